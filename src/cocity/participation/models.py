"""What people do around any piece of content, kept once for every app: threaded comments with a
stance, supports, follows, moderation reports, the moderators' activity log and in-app
notifications with each person's e-mail preference.

Targets are referenced by a generic foreign key (content type + object id): ideas and actions of
``plans`` today, anything else tomorrow (see docs/decisions/0006-participation-generic-targets.md).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cocity.core.translations import Translatable


class Moderated(models.Model):
    """Content moderators can hide: it stays in place with the reason shown instead of the text."""

    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)

    class Meta:
        abstract = True

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class AtModerators(models.Model):
    """Where the moderators of a report or a log entry are: a space, or the organisation the
    content belongs to when it belongs to no space (a pact: the organisation responsible for its
    commons). Exactly one of the two (``one_venue``)."""

    space = models.ForeignKey(
        "network.Space", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        "network.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        abstract = True


def one_venue(name: str) -> models.CheckConstraint:
    """Reports and log entries belong to a space or to an organisation, never both or neither."""
    return models.CheckConstraint(
        condition=(models.Q(space__isnull=False) & models.Q(organisation__isnull=True))
        | (models.Q(space__isnull=True) & models.Q(organisation__isnull=False)),
        name=name,
    )


class Comment(Moderated, Translatable):
    translatable_fields = ("body",)
    translation_permission = None  # machine translation only

    class Stance(models.TextChoices):
        FOR = "for", _("in favour")
        AGAINST = "against", _("against")
        NEUTRAL = "neutral", _("neutral")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    body = models.TextField(_("comment"), max_length=5000)
    stance = models.CharField(
        _("stance"), max_length=8, choices=Stance.choices, default=Stance.NEUTRAL
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ("created_at", "id")
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "parent", "created_at", "id"],
                name="comment_target_idx",
            )
        ]

    def __str__(self) -> str:
        return self.body[:60]


class Support(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supports"
    )
    # The group a per-person limit counts in (a plans process); null when nothing limits it.
    scope_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("given"), default=timezone.now)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "user"], name="one_support_per_person"
            )
        ]
        indexes = [
            models.Index(fields=["user", "content_type", "scope_id"], name="support_scope_idx")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} + {self.content_type_id}:{self.object_id}"


class Follow(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "user"], name="one_follow_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.content_type_id}:{self.object_id}"


class Report(AtModerators):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        HIDDEN = "hidden", _("hidden")
        KEPT = "kept", _("kept")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.CharField(_("reason for the decision"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["space", "status", "created_at"], name="report_queue_idx"),
            models.Index(
                fields=["organisation", "status", "created_at"], name="report_org_queue_idx"
            ),
        ]
        constraints = [one_venue("report_one_venue")]

    def __str__(self) -> str:
        return self.reason[:60]


class ActivityEntry(AtModerators):
    """One thing a moderator or facilitator did: never edited, never deleted by the app."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(_("what"), max_length=40)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    summary = models.CharField(_("summary"), max_length=300)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("activity entry")
        verbose_name_plural = _("activity log")
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["space", "created_at"], name="activity_space_idx"),
            models.Index(fields=["organisation", "created_at"], name="activity_org_idx"),
        ]
        constraints = [one_venue("activity_one_venue")]

    def __str__(self) -> str:
        return self.summary


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40)
    message = models.CharField(_("message"), max_length=400)
    url = models.CharField(_("link"), max_length=400, blank=True)
    # The space the news is about, if any: the inbox, the digests and the export show it only
    # while the recipient may see that space (visibility follows membership).
    space = models.ForeignKey(
        "network.Space",
        verbose_name=_("space"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Set once the notification went out by e-mail (alone or in a digest): never sent twice.
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["recipient", "created_at"], name="notification_inbox_idx"),
            models.Index(fields=["emailed_at", "recipient"], name="notification_mail_idx"),
        ]

    def __str__(self) -> str:
        return self.message


class NotificationPreference(models.Model):
    class Email(models.TextChoices):
        IMMEDIATE = "immediate", _("at once, one e-mail per notification")
        DAILY = "daily", _("once a day, in a digest")
        NEVER = "never", _("never (only on the site)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.CharField(
        _("e-mail me"), max_length=12, choices=Email.choices, default=Email.IMMEDIATE
    )
    last_digest_at = models.DateTimeField(_("last digest"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email}"
