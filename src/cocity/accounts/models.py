"""People: one model for the account and its public profile (no separate Profile table to join)."""

import zoneinfo
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cocity.core.languages import validate_language_codes


def validate_time_zone(value: str) -> None:
    if value and value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(zone)s” is not a time zone name such as Europe/Paris."),
            code="invalid_time_zone",
            params={"zone": value},
        )


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=120, blank=True)
    bio = models.TextField(_("about me"), max_length=2000, blank=True)
    languages = models.JSONField(
        _("languages spoken"),
        default=list,
        blank=True,
        validators=[validate_language_codes],
        help_text=_("Language codes such as en, fr, ar."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, blank=True, validators=[validate_time_zone]
    )
    home_city = models.ForeignKey(
        "network.Territory",
        verbose_name=_("home city"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    home_neighbourhood = models.ForeignKey(
        "network.Territory",
        verbose_name=_("home neighbourhood"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="residents",
    )
    machine_translation = models.BooleanField(
        _("show machine translations"),
        default=True,
        db_default=True,
        help_text=_(
            "What others wrote in another language is shown machine-translated, labelled, when "
            "nobody has translated it yet. Off: the original is shown instead."
        ),
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)

    objects: ClassVar[UserManager] = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ("display_name", "id")

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        if self.deleted_at:
            return str(_("Former member"))
        return self.display_name or self.email.split("@", 1)[0]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("accounts:profile", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()
        hood, city = self.home_neighbourhood, self.home_city
        if hood is not None and hood.kind not in ("neighbourhood", "district"):
            raise ValidationError(
                {
                    "home_neighbourhood": _("Choose a neighbourhood or district, not a %(kind)s.")
                    % {"kind": hood.get_kind_display()}
                }
            )
        if city is not None and city.kind != "city":
            raise ValidationError({"home_city": _("Choose a city.")})
        if hood is not None and city is not None and not hood.path.startswith(city.path):
            raise ValidationError(
                {
                    "home_neighbourhood": _("This neighbourhood is not in %(city)s.")
                    % {"city": city.name}
                }
            )


__all__ = ["User", "settings"]
