"""The one model the core keeps: the ledger of reminders sent (``cocity.core.reminders``)."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SentReminder(models.Model):
    """One row per reminder sent: what it was about (any row, by a generic key) and which
    reminder (``key``: "session:12:60", "report-due:2026-06-30", "step-due"). Unique, so a
    reminder recorded once is never sent again, whichever command or process runs it."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    key = models.CharField(_("reminder"), max_length=100)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ("-sent_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "key"], name="one_reminder_per_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} {self.key}"
