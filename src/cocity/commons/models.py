"""Urban commons, calls for care and collaboration pacts (Bologna's "collaborative city").

A *commons* is a place, building, facility, service or digital good the city (or another owner)
invites residents to care for. A *pact* is the public agreement between residents, groups and the
city on how they will do it; its lifecycle lives in ``lifecycle.py`` (one transitions table) and
every change of state is kept in ``PactHistoryEntry`` (the public, dated history).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from cocity.core import images, media
from cocity.core.geo import validate_boundary
from cocity.core.translations import Translatable
from cocity.core.uploads import validate_image, validate_pdf


class Commons(Translatable):
    translatable_fields = ("name", "description")

    class Kind(models.TextChoices):
        PLACE = "place", _("place")
        BUILDING = "building", _("building")
        FACILITY = "facility", _("facility")
        SERVICE = "service", _("service")
        DIGITAL = "digital", _("digital")

    class Owner(models.TextChoices):
        CITY = "city", _("the city")
        PUBLIC_BODY = "public_body", _("another public body")
        PRIVATE = "private", _("private owner, with consent")

    class Condition(models.TextChoices):
        GOOD = "good", _("good")
        FAIR = "fair", _("fair")
        POOR = "poor", _("poor")
        DERELICT = "derelict", _("derelict or vacant")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True, max_length=10_000)
    owner = models.CharField(_("owner"), max_length=16, choices=Owner.choices, default=Owner.CITY)
    owner_name = models.CharField(_("owner's name"), max_length=200, blank=True)
    owner_consent = models.BooleanField(
        _("the private owner consents to collaborative care"), default=False
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("responsible city or public body"),
        on_delete=models.PROTECT,
        related_name="commons",
    )
    department = models.CharField(_("responsible department"), max_length=200, blank=True)
    territory = models.ForeignKey(
        "network.Territory",
        verbose_name=_("territory"),
        on_delete=models.PROTECT,
        related_name="commons",
    )
    # Denormalised copy of territory.path: neighbourhood filters with one indexed LIKE, no join.
    territory_path = models.CharField(max_length=400, editable=False, db_index=True, default="")
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    shape = models.JSONField(
        _("shape (GeoJSON polygon)"), null=True, blank=True, validators=[validate_boundary]
    )
    condition = models.CharField(
        _("condition"), max_length=16, choices=Condition.choices, default=Condition.FAIR
    )
    topics = models.ManyToManyField(
        "network.Topic", verbose_name=_("topics"), related_name="commons", blank=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    cover = images.PictureField(_("cover image"), upload_to="commons/covers/%Y/")
    cover_alt = images.alt_field()
    cover_decorative = images.decorative_field()
    cover_variants = images.variants_field()

    class Meta:
        verbose_name = _("commons")
        verbose_name_plural = _("commons")
        ordering = ("name", "id")
        indexes = [models.Index(fields=["longitude", "latitude"], name="commons_lonlat")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if self.territory_id:
            self.territory_path = self.territory.path
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("commons:commons_detail", args=[self.slug])

    def clean(self) -> None:
        super().clean()
        errors: dict[str, object] = {}
        if self.owner == self.Owner.PRIVATE and not self.owner_consent:
            errors["owner_consent"] = _(
                "A privately owned commons can only be listed with the owner's consent."
            )
        if (self.latitude is None) != (self.longitude is None):
            errors["latitude"] = _("Give both latitude and longitude, or neither.")
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            errors["latitude"] = _("Latitude must be within ±90.")
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            errors["longitude"] = _("Longitude must be within ±180.")
        if self.kind != self.Kind.DIGITAL and self.latitude is None and not self.shape:
            errors["latitude"] = _("Give a map location or a shape for a physical commons.")
        if errors:
            raise ValidationError(errors)


class CommonsPhoto(models.Model):
    commons = models.ForeignKey(Commons, on_delete=models.CASCADE, related_name="photos")
    image = media.ImageField(_("photo"), upload_to="commons/%Y/", validators=[validate_image])
    alt_text = models.CharField(_("text alternative"), max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("photo of a commons")
        verbose_name_plural = _("photos of commons")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return self.alt_text

    def clean(self) -> None:
        super().clean()
        if not (self.alt_text or "").strip():
            raise ValidationError(
                {"alt_text": _("Describe the photo for people who cannot see it.")}
            )


class CallForCare(Translatable):
    translatable_fields = ("title", "description")

    def translation_owner(self) -> tuple[str, object]:
        # Translated by those who may publish the city's calls (``commons`` is a list).
        return "commons.add_callforcare", self.organisation

    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="calls_for_care",
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=10_000)
    opens_on = models.DateField(_("open from"))
    closes_on = models.DateField(_("open until"))
    commons = models.ManyToManyField(
        Commons, verbose_name=_("commons open for proposals"), related_name="calls"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("call for care")
        verbose_name_plural = _("calls for care")
        ordering = ("-opens_on", "id")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("commons:call_detail", args=[self.slug])

    def clean(self) -> None:
        super().clean()
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("A call cannot close before it opens.")})


class Pact(Translatable):
    translatable_fields = ("title", "objectives")

    class Kind(models.TextChoices):
        ORDINARY = "ordinary", _("ordinary")
        COMPLEX = "complex", _("complex")

    class Level(models.TextChoices):
        OCCASIONAL = "occasional", _("occasional care")
        ONGOING = "ongoing", _("ongoing care")
        SHARED = "shared", _("shared management")
        REGENERATION = "regeneration", _("regeneration")

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        UNDER_REVIEW = "under_review", _("under review")
        AWAITING_INFORMATION = "awaiting_information", _("awaiting information")
        PUBLIC_WINDOW = "public_window", _("public window")
        APPROVED = "approved", _("approved, awaiting signatures")
        CO_DESIGN = "co_design", _("co-design")
        SIGNED = "signed", _("signed")
        ACTIVE = "active", _("active")
        REPORTED = "reported", _("reported")
        RENEWED = "renewed", _("renewed")
        CLOSED = "closed", _("closed")
        TERMINATED = "terminated", _("terminated")
        REJECTED = "rejected", _("rejected")
        MERGED = "merged", _("merged into another pact")
        WITHDRAWN = "withdrawn", _("withdrawn")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    commons = models.ForeignKey(
        Commons, verbose_name=_("commons"), on_delete=models.PROTECT, related_name="pacts"
    )
    call = models.ForeignKey(
        CallForCare,
        verbose_name=_("in answer to the call"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pacts",
    )
    competes_with = models.ForeignKey(
        "self",
        verbose_name=_("competing proposal for"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="competing",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
    )
    state = models.CharField(
        _("status"), max_length=24, choices=State.choices, default=State.DRAFT, db_index=True
    )
    state_since = models.DateTimeField(_("in this status since"), default=timezone.now)
    step_due_on = models.DateField(_("step due by"), null=True, blank=True, db_index=True)
    objectives = models.TextField(_("objectives"), max_length=10_000)
    level = models.CharField(_("level of intervention"), max_length=16, choices=Level.choices)
    resources_offered = models.TextField(_("resources offered"), blank=True, max_length=5_000)
    resources_requested = models.TextField(_("resources requested"), blank=True, max_length=5_000)
    responsibilities = models.TextField(
        _("responsibilities and risk arrangements"), blank=True, max_length=5_000
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    renewal_terms = models.TextField(_("renewal terms"), blank=True, max_length=3_000)
    termination_terms = models.TextField(_("termination terms"), blank=True, max_length=3_000)
    reporting_duties = models.TextField(_("reporting duties"), blank=True, max_length=3_000)
    indicators = models.TextField(
        _("indicators"), blank=True, max_length=3_000, help_text=_("One indicator per line.")
    )
    shared_draft = models.TextField(_("shared draft"), blank=True, max_length=50_000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="commons_pacts",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    cover = images.PictureField(_("cover image"), upload_to="pacts/covers/%Y/")
    cover_alt = images.alt_field()
    cover_decorative = images.decorative_field()
    cover_variants = images.variants_field()

    class Meta:
        verbose_name = _("collaboration pact")
        verbose_name_plural = _("collaboration pacts")
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["state", "-created_at"], name="pact_state_created")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("commons:pact_detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.state not in (self.State.DRAFT, self.State.WITHDRAWN)

    @property
    def is_overdue(self) -> bool:
        return bool(self.step_due_on and self.step_due_on < timezone.localdate())

    def indicator_list(self) -> list[str]:
        return [line.strip() for line in self.indicators.splitlines() if line.strip()]

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on:
            if self.ends_on < self.starts_on:
                raise ValidationError({"ends_on": _("A pact cannot end before it starts.")})
            years = getattr(settings, "COCITY_COMMONS_ORDINARY_MAX_YEARS", 3)
            if self.kind == self.Kind.ORDINARY:
                try:
                    limit = self.starts_on.replace(year=self.starts_on.year + years)
                except ValueError:  # 29 February
                    limit = self.starts_on.replace(year=self.starts_on.year + years, day=28)
                if self.ends_on > limit:
                    raise ValidationError(
                        {
                            "ends_on": _(
                                "An ordinary pact lasts at most %(years)s years: "
                                "end it by %(date)s or propose a complex pact."
                            )
                            % {"years": years, "date": formats.date_format(limit, "DATE_FORMAT")}
                        }
                    )


class PactParty(models.Model):
    """Someone who signs the pact: the city, a proponent (person or organisation) or a co-signer.

    An organisation signs through its contact person; the city signs through one of its officers.
    """

    class Role(models.TextChoices):
        CITY = "city", _("the city")
        PROPONENT = "proponent", _("proponent")
        COSIGNER = "cosigner", _("co-signer")

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pact_parties",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person (or the organisation's contact person)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pact_parties",
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pact_signatures",
    )
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)

    class Meta:
        verbose_name = _("party to a pact")
        verbose_name_plural = _("parties to pacts")
        ordering = ("pact", "role", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["pact", "organisation"],
                condition=models.Q(organisation__isnull=False),
                name="pact_party_one_per_org",
            ),
            models.UniqueConstraint(
                fields=["pact", "person"],
                condition=models.Q(organisation__isnull=True),
                name="pact_party_one_per_person",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if self.organisation_id and self.organisation:
            return self.organisation.name
        return str(self.person) if self.person_id else "?"

    def clean(self) -> None:
        super().clean()
        if not self.organisation_id and not self.person_id:
            raise ValidationError(_("A party is a person or an organisation."))
        if self.role == self.Role.CITY and not self.organisation_id:
            raise ValidationError({"organisation": _("The city signs as an organisation.")})
        if self.role != self.Role.CITY and self.organisation_id and not self.person_id:
            raise ValidationError(
                {"person": _("Name the organisation's contact person: they sign for it.")}
            )


class Commitment(models.Model):
    class Category(models.TextChoices):
        WORK = "work", _("work and care")
        MATERIALS = "materials", _("materials")
        TOOLS = "tools", _("tools and safety equipment")
        INSURANCE = "insurance", _("insurance")
        TRAINING = "training", _("training")
        FUNDING = "funding", _("funding")
        SPACES = "spaces", _("spaces")
        COMMUNICATION = "communication", _("communication")
        OTHER = "other", _("other")

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="commitments")
    party = models.ForeignKey(PactParty, on_delete=models.CASCADE, related_name="commitments")
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    description = models.TextField(_("what this party commits to"), max_length=3_000)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ("party_id", "id")

    def __str__(self) -> str:
        return self.description[:80]

    def clean(self) -> None:
        super().clean()
        if self.party_id and self.pact_id and self.party.pact_id != self.pact_id:
            raise ValidationError({"party": _("This party is not part of this pact.")})


class Activity(models.Model):
    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="activities")
    description = models.CharField(_("activity"), max_length=500)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ("starts_on", "id")

    def __str__(self) -> str:
        return self.description

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("An activity cannot end before it starts.")})


class PactDocument(models.Model):
    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = media.FileField(_("PDF file"), upload_to="pacts/%Y/", validators=[validate_pdf])
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pact document")
        verbose_name_plural = _("pact documents")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return self.title


class PactPhoto(models.Model):
    class When(models.TextChoices):
        BEFORE = "before", _("before")
        AFTER = "after", _("after")

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="photos")
    report = models.ForeignKey(
        "PactReport", null=True, blank=True, on_delete=models.CASCADE, related_name="photos"
    )
    when = models.CharField(_("before or after"), max_length=8, choices=When.choices)
    image = media.ImageField(_("photo"), upload_to="pacts/%Y/", validators=[validate_image])
    alt_text = models.CharField(_("text alternative"), max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pact photo")
        verbose_name_plural = _("pact photos")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return self.alt_text

    def clean(self) -> None:
        super().clean()
        if not (self.alt_text or "").strip():
            raise ValidationError(
                {"alt_text": _("Describe the photo for people who cannot see it.")}
            )


class PactHistoryEntry(models.Model):
    """One line of the public history: who moved the pact from which status to which, and why."""

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="history")
    action = models.CharField(_("action"), max_length=32)
    from_state = models.CharField(_("from"), max_length=24, choices=Pact.State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=24, choices=Pact.State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True, max_length=5_000)
    due_on = models.DateField(_("next step due by"), null=True, blank=True)
    created_at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        verbose_name = _("pact history entry")
        verbose_name_plural = _("pact history")
        ordering = ("created_at", "id")
        indexes = [models.Index(fields=["pact", "created_at"], name="pact_history_created")]

    def __str__(self) -> str:
        return f"{self.pact_id}: {self.from_state} → {self.to_state}"


class PactVersion(models.Model):
    """One saved version of the shared co-design draft."""

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"), max_length=50_000)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("draft version")
        verbose_name_plural = _("draft versions")
        ordering = ("pact", "number")
        constraints = [
            models.UniqueConstraint(fields=["pact", "number"], name="pact_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.pact_id} v{self.number}"


class PactReport(models.Model):
    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="reports")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    summary = models.TextField(_("what was done"), max_length=10_000)
    hours = models.PositiveIntegerField(_("volunteer hours contributed"), default=0)
    indicator_values = models.JSONField(_("indicators"), default=dict, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ("-period_end", "-id")

    def __str__(self) -> str:
        return f"{self.pact_id}: {self.period_start} to {self.period_end}"

    def clean(self) -> None:
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("A period cannot end before it starts.")})
