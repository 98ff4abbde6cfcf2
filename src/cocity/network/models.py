"""Territories, topics, organisations, spaces and who belongs to them, with which role."""

import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cocity.core import images, media
from cocity.core.geo import validate_boundary
from cocity.core.translations import Translatable, translated

TERRITORY_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,31}$")
validate_territory_code = RegexValidator(
    TERRITORY_CODE_RE,
    _(
        "A territory code is 1 to 32 capital letters, digits, “-” or “_”, "
        "starting with a letter or digit (for example BE, BE-BRU, FR-75-11)."
    ),
    code="bad_territory_code",
)


class Role(models.TextChoices):
    MEMBER = "member", _("member")
    EDITOR = "editor", _("editor")
    ADMIN = "admin", _("admin")


ROLE_RANK = {Role.MEMBER: 1, Role.EDITOR: 2, Role.ADMIN: 3}


class Territory(Translatable):
    translatable_fields = ("name",)

    class Kind(models.TextChoices):
        COUNTRY = "country", _("country")
        CITY = "city", _("city")
        DISTRICT = "district", _("district")
        NEIGHBOURHOOD = "neighbourhood", _("neighbourhood")

    # Which kinds a territory of each kind may sit under.
    ALLOWED_PARENTS = {
        Kind.COUNTRY: (),
        Kind.CITY: (Kind.COUNTRY,),
        Kind.DISTRICT: (Kind.CITY,),
        Kind.NEIGHBOURHOOD: (Kind.DISTRICT, Kind.CITY),
    }

    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(
        _("code"), max_length=32, unique=True, validators=[validate_territory_code]
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of codes ("BE/BE-BRU/BE-BRU-01/"): subtree queries with one LIKE.
    path = models.CharField(_("path"), max_length=400, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False, default=0)
    boundary = models.JSONField(
        _("boundary (GeoJSON)"), null=True, blank=True, validators=[validate_boundary]
    )
    # A boundary drawn by hand or otherwise not the official outline (the demo's districts):
    # every map that draws it says the boundaries are approximate (maps.places_collection).
    boundary_approximate = models.BooleanField(
        _("approximate boundary"),
        default=False,
        help_text=_("The outline is an approximation, not the official boundary."),
    )

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ("path",)

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.path = self.compute_path()
        self.depth = self.path.count("/") - 1
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("network:territory_detail", args=[self.code])

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent_id and self.parent else ""
        return f"{prefix}{self.code}/"

    def clean(self) -> None:
        super().clean()
        self.code = (self.code or "").strip().upper()
        allowed = self.ALLOWED_PARENTS.get(self.kind, ())  # type: ignore[call-overload]
        if self.parent is None and allowed:
            raise ValidationError(
                {
                    "parent": _("A %(kind)s must be part of a %(parents)s.")
                    % {
                        "kind": self.get_kind_display(),
                        "parents": " / ".join(str(self.Kind(k).label) for k in allowed),
                    }
                }
            )
        if self.parent is not None:
            if self.parent.kind not in allowed:
                raise ValidationError(
                    {
                        "parent": _("A %(kind)s cannot be part of a %(parent)s.")
                        % {
                            "kind": self.get_kind_display(),
                            "parent": self.parent.get_kind_display(),
                        }
                    }
                )
            if self.pk and self.parent.path.startswith(self.path or "\0"):
                raise ValidationError({"parent": _("A territory cannot be part of itself.")})

    @property
    def city(self) -> "Territory | None":
        """The city this territory is in (itself for a city), from the path, without a query."""
        return self if self.kind == self.Kind.CITY else None


class Topic(Translatable):
    translatable_fields = ("name", "description")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("broader topic"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return translated(self, "name")

    def get_absolute_url(self) -> str:
        return reverse("network:topic_detail", args=[self.slug])

    def clean(self) -> None:
        super().clean()
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A topic cannot be broader than itself.")})


class Organisation(Translatable):
    translatable_fields = ("name", "description")

    class Kind(models.TextChoices):
        LOCAL_GOVERNMENT = "local_government", _("local government")
        CIVIL_SOCIETY = "civil_society", _("civil-society group")
        RESEARCH = "research", _("research institute")
        NETWORK = "network", _("network")
        PUBLIC_SERVICE = "public_service", _("public service")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    home_territory = models.ForeignKey(
        Territory,
        verbose_name=_("home territory"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True, max_length=10_000)
    logo = media.ImageField(_("logo"), upload_to="logos/%Y/", blank=True)
    logo_alt = models.CharField(_("logo text alternative"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    members: models.ManyToManyField = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="OrganisationMembership", related_name="organisations"
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:organisation_detail", args=[self.slug])

    def clean(self) -> None:
        super().clean()
        if self.logo and not self.logo_alt.strip():
            raise ValidationError(
                {"logo_alt": _("Describe the logo for people who cannot see it.")}
            )


class OrganisationMembership(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("organisation membership")
        verbose_name_plural = _("organisation memberships")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_org_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"


class Space(Translatable):
    translatable_fields = ("name", "summary", "description")

    class Kind(models.TextChoices):
        PARTNERSHIP = "partnership", _("partnership")
        WORKING_GROUP = "working_group", _("working group")
        LAB = "lab", _("lab")
        PROGRAMME = "programme", _("programme")
        SERIES = "series", _("series")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("public")
        MEMBERS = "members", _("members only")

    class JoinPolicy(models.TextChoices):
        OPEN = "open", _("anyone signed in can join")
        REQUEST = "request", _("people ask to join; admins decide")
        INVITATION = "invitation", _("by invitation only")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    join_policy = models.CharField(
        _("who can join"), max_length=16, choices=JoinPolicy.choices, default=JoinPolicy.REQUEST
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=20_000)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territory"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="spaces",
    )
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("owning organisations"), related_name="spaces", blank=True
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), related_name="spaces", blank=True
    )
    members: models.ManyToManyField = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="SpaceMembership", related_name="spaces"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    cover = images.PictureField(_("cover image"), upload_to="spaces/covers/%Y/")
    cover_alt = images.alt_field()
    cover_decorative = images.decorative_field()
    cover_variants = images.variants_field()

    class Meta:
        verbose_name = _("space")
        verbose_name_plural = _("spaces")
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:space_detail", args=[self.slug])

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC

    def clean(self) -> None:
        super().clean()
        if self.visibility == self.Visibility.MEMBERS and self.join_policy == self.JoinPolicy.OPEN:
            raise ValidationError(
                {
                    "join_policy": _(
                        "A members-only space cannot be open to anyone: "
                        "choose requests or invitations."
                    )
                }
            )
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A space cannot be part of itself.")})


class SpaceMembership(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="space_memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("space membership")
        verbose_name_plural = _("space memberships")
        constraints = [
            models.UniqueConstraint(fields=["space", "user"], name="one_space_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.space} ({self.role})"


class JoinRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(_("message"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        ordering = ("created_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["space", "user"],
                condition=Q(status="pending"),
                name="one_pending_join_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.space} ({self.status})"


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + timedelta(days=14)


class Invitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        REVOKED = "revoked", _("revoked")

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), default=_invitation_expiry)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ("-created_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["space", "email"],
                condition=Q(status="pending"),
                name="one_pending_invitation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.space} ({self.status})"

    @property
    def is_usable(self) -> bool:
        return self.status == self.Status.PENDING and self.expires_at > timezone.now()
