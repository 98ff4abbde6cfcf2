"""Personal access tokens and the idempotency keys of API writes."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "cct_"  # noqa: S105 - not a secret: every token starts with it (secret scanners can recognise them)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(models.Model):
    """A token a person creates on their profile, for scripts and other tools. Only its hash is
    kept; the token itself is shown once, when it is made. ``scopes`` is a list of ``"read"``
    and ``"write:<capability>"`` (``SCOPES``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    key_prefix = models.CharField(_("start of the token"), max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("access token")
        verbose_name_plural = _("access tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def new_secret() -> tuple[str, str]:
        """(token, prefix): ``cct_<8 chars>_<43 chars>``; the prefix identifies the row."""
        prefix = secrets.token_hex(4)
        return f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}", prefix


class IdempotencyKey(models.Model):
    """The answer an API write gave for a key the caller chose (``Idempotency-Key`` header): the
    same request sent again with the same key gets the same answer and changes nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    endpoint = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_answer_per_idempotency_key")
        ]

    def __str__(self) -> str:
        return self.key


class ImportedRecord(models.Model):
    """Where an imported library item or event came from (``cocity open-data import``): the
    published package of another instance, the record's identifier there and its page, shown as
    "From <source>" with a link back. Importing the same package again updates the object found
    here instead of creating another."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    space = models.ForeignKey(
        "network.Space", verbose_name=_("space"), on_delete=models.CASCADE, related_name="+"
    )
    source = models.CharField(_("package"), max_length=500)
    source_title = models.CharField(_("source"), max_length=300)
    remote_id = models.CharField(_("identifier at the source"), max_length=100)
    origin_url = models.URLField(_("page at the source"), max_length=500)
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("imported record")
        verbose_name_plural = _("imported records")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "content_type", "remote_id"], name="imported_record_once"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="imported_object")]

    def __str__(self) -> str:
        return f"{self.source_title}: {self.remote_id}"
