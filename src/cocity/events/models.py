"""Series, events, tracks, sessions, speakers, materials, questions, registrations and personal
calendar tokens (the reminders sent are in the shared ledger, ``cocity.core.reminders``).

Times: a session stores its start and end in UTC (Django's aware datetimes) plus the IANA zone
the organiser set them in, so "Thursday 15:00 Europe/Paris" stays 15:00 on both sides of a
daylight-saving change. Seats: a track counts its confirmed registrations in ``confirmed_count``,
changed only under a row lock on the track (see ``services.registration_create``).
"""

import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cocity.core import images, media
from cocity.core.geo import check_point_inside
from cocity.core.languages import validate_language_codes
from cocity.core.translations import Translatable


def validate_zone(value: str) -> None:
    if not value or value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(zone)s” is not a time zone name such as Europe/Paris."),
            code="invalid_time_zone",
            params={"zone": value},
        )


def validate_zone_list(value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("Give a list of time zone names."), code="invalid_zone_list")
    for zone in value:
        validate_zone(zone)


def validate_interpretation(value: object) -> None:
    """Pairs such as ``["fr>en", "en>fr"]``: from one language code into another."""
    if not isinstance(value, list):
        raise ValidationError(_("Give a list of pairs such as fr>en."), code="invalid_pairs")
    for pair in value:
        bits = str(pair).split(">")
        if len(bits) != 2 or bits[0] == bits[1]:
            raise ValidationError(
                _("“%(pair)s” is not an interpretation pair such as fr>en."),
                code="invalid_pair",
                params={"pair": pair},
            )
        validate_language_codes(bits)


def validate_offsets(value: object) -> None:
    if not isinstance(value, list) or not all(
        isinstance(v, int) and 0 < v <= 60 * 24 * 30 for v in value
    ):
        raise ValidationError(
            _("Give reminder times as minutes before a session, between 1 and 43200."),
            code="invalid_offsets",
        )


def default_offsets() -> list[int]:
    return [24 * 60, 60]


class Series(Translatable):
    translatable_fields = ("name", "summary", "description")

    def translation_owner(self) -> tuple[str, object]:
        return "events.add_event", self.space

    space = models.ForeignKey(
        "network.Space", verbose_name=_("space"), on_delete=models.CASCADE, related_name="series"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=20_000)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("events:series_detail", args=[self.slug])

    def clean(self) -> None:
        super().clean()
        node, seen = self.parent, {self.pk}
        while node is not None:
            if node.pk in seen:
                raise ValidationError({"parent": _("A series cannot be part of itself.")})
            seen.add(node.pk)
            node = node.parent


class Event(Translatable):
    translatable_fields = ("title", "summary", "description")

    class Kind(models.TextChoices):
        WEBINAR = "webinar", _("webinar")
        WORKSHOP = "workshop", _("workshop")
        PRESENTATION = "presentation", _("presentation")
        STUDY_VISIT = "study_visit", _("study visit")
        PEER_LEARNING = "peer_learning", _("peer-learning cycle")
        ACADEMY = "academy", _("academy")
        OTHER = "other", _("other")

    class Format(models.TextChoices):
        ONLINE = "online", _("online")
        IN_PERSON = "in_person", _("in person")
        HYBRID = "hybrid", _("hybrid")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        POSTPONED = "postponed", _("postponed")
        CANCELLED = "cancelled", _("cancelled")

    class Registration(models.TextChoices):
        INTERNAL = "internal", _("on this site")
        EXTERNAL = "external", _("on another site")
        NONE = "none", _("no registration")

    space = models.ForeignKey(
        "network.Space", verbose_name=_("space"), on_delete=models.CASCADE, related_name="events"
    )
    series = models.ForeignKey(
        Series,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=30_000)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.WEBINAR)
    format = models.CharField(
        _("format"), max_length=12, choices=Format.choices, default=Format.ONLINE
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    time_zone = models.CharField(
        _("time zone of the event"),
        max_length=64,
        default="Europe/Paris",
        validators=[validate_zone],
    )
    extra_zones = models.JSONField(
        _("also show times in"),
        default=list,
        blank=True,
        validators=[validate_zone_list],
        help_text=_("Time zone names such as Europe/London, America/Sao_Paulo."),
    )
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.CharField(_("address"), max_length=300, blank=True)
    territory = models.ForeignKey(
        "network.Territory",
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    # The venue's map point (the place picker on the event form; the event page's and the
    # list's maps): inside the space's territory when it has a boundary.
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    organisations = models.ManyToManyField(
        "network.Organisation", verbose_name=_("organisers"), related_name="events", blank=True
    )
    topics = models.ManyToManyField(
        "network.Topic", verbose_name=_("topics"), related_name="events", blank=True
    )
    languages = models.JSONField(
        _("languages spoken"),
        default=list,
        blank=True,
        validators=[validate_language_codes],
        help_text=_("Language codes such as en, fr."),
    )
    interpretation = models.JSONField(
        _("interpretation offered"),
        default=list,
        blank=True,
        validators=[validate_interpretation],
        help_text=_("Pairs such as fr>en, en>fr."),
    )
    online_url = models.URLField(
        _("online meeting link"),
        blank=True,
        help_text=_("Shown only to confirmed registrants and organisers."),
    )
    registration_mode = models.CharField(
        _("registration"),
        max_length=12,
        choices=Registration.choices,
        default=Registration.INTERNAL,
    )
    external_registration_url = models.URLField(_("registration address"), blank=True)
    reminder_offsets = models.JSONField(
        _("reminders (minutes before each session)"),
        default=default_offsets,
        blank=True,
        validators=[validate_offsets],
    )
    # Denormalised from the sessions (kept by the services) for listing and date filters.
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True, db_index=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("revision"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    cover = images.PictureField(_("cover image"), upload_to="events/covers/%Y/")
    cover_alt = images.alt_field()
    cover_decorative = images.decorative_field()
    cover_variants = images.variants_field()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ("starts_at", "id")
        indexes = [
            models.Index(fields=["status", "starts_at", "id"], name="event_status_start"),
            models.Index(fields=["status", "ends_at"], name="event_status_end"),
            # The listing (upcoming: ends_at >= now ORDER BY starts_at, id; past: the reverse)
            # of events that are not drafts: an index-only scan that checks ends_at and the
            # space in the index itself, and the paginator's capped COUNT on the same index.
            models.Index(
                fields=["starts_at", "id"],
                include=["ends_at", "space"],
                condition=~Q(status="draft"),
                name="event_listed",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="event_point_both_or_none",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:event_detail", args=[self.slug])

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def interpretation_pairs(self) -> list[tuple[str, str]]:
        return [tuple(p.split(">", 1)) for p in self.interpretation]

    def clean(self) -> None:
        super().clean()
        if (
            self.registration_mode == self.Registration.EXTERNAL
            and not self.external_registration_url
        ):
            raise ValidationError(
                {"external_registration_url": _("Give the address where people register.")}
            )
        if self.series_id and self.series and self.series.space_id != self.space_id:
            raise ValidationError({"series": _("Choose a series of the same space.")})
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(
                {"latitude": _("Give both latitude and longitude for a map point, or neither.")}
            )
        territory = self.space.territory if self.space_id else None
        if territory is not None and territory.boundary:
            try:
                check_point_inside(
                    territory.boundary, self.latitude, self.longitude, place=territory.name
                )
            except ValidationError as error:
                raise ValidationError({"latitude": error}) from error


class Speaker(Translatable):
    translatable_fields = ("affiliation",)

    def translation_owner(self) -> tuple[str, object]:
        return "events.change_event", self.event

    class Role(models.TextChoices):
        INPUT = "input", _("input")
        COMMENT = "comment", _("comment")
        MODERATOR = "moderator", _("moderator")
        KEYNOTE = "keynote", _("keynote")
        HOST = "host", _("host")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=200)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.INPUT)
    bio = models.TextField(_("short biography"), max_length=2000, blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("profile"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(default=0)
    portrait = images.PictureField(
        _("portrait"), upload_to="events/portraits/%Y/", widths=images.PORTRAIT_WIDTHS
    )
    portrait_alt = images.alt_field()
    portrait_decorative = images.decorative_field()
    portrait_variants = images.variants_field()

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.name


def material_path(instance: "Material", filename: str) -> str:
    """Kept for migration 0001; new files are named by cocity.core.media."""
    return f"events/materials/{secrets.token_hex(8)}.pdf"


class Material(models.Model):
    class Kind(models.TextChoices):
        CONCEPT_NOTE = "concept_note", _("concept note")
        POLICY_PAPER = "policy_paper", _("policy paper")
        SLIDES = "slides", _("slides")
        REPORT = "report", _("report")
        OTHER = "other", _("other")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    file = media.FileField(_("PDF file"), upload_to="events/materials/%Y/", blank=True)
    url = models.URLField(_("link"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if bool(self.file) == bool(self.url):
            raise ValidationError(_("Give either a PDF file or a link, not both."))

    @property
    def href(self) -> str:
        return self.file.url if self.file else self.url


class Track(Translatable):
    translatable_fields = ("name", "description")

    def translation_owner(self) -> tuple[str, object]:
        return "events.change_event", self.event

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tracks")
    name = models.CharField(_("name"), max_length=200)
    description = models.CharField(_("description"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    confirmed_count = models.PositiveIntegerField(_("confirmed"), default=0, editable=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.name

    @property
    def places_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.confirmed_count, 0)


class Session(Translatable):
    translatable_fields = ("title",)

    def translation_owner(self) -> tuple[str, object]:
        return "events.change_event", self.track.event

    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200, blank=True)
    start = models.DateTimeField(_("start"), db_index=True)
    end = models.DateTimeField(_("end"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Paris", validators=[validate_zone]
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ("start", "id")

    def __str__(self) -> str:
        return self.title or f"{self.track} {self.start:%Y-%m-%d}"

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("A session must end after it starts.")})


class Question(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("question"), max_length=200)
    help_text = models.CharField(_("help"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.label


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        WAITLISTED = "waitlisted", _("on the wait list")
        CANCELLED = "cancelled", _("cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    # Arrival order: the wait list is promoted by (created_at, id), both set under the track lock.
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("promoted"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ("created_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=~Q(status="cancelled"),
                name="one_live_registration_per_event",
            )
        ]
        indexes = [
            models.Index(fields=["track", "status", "created_at", "id"], name="reg_track_queue"),
            models.Index(fields=["user", "status"], name="reg_user_status"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.event} ({self.status})"


def _calendar_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarToken(models.Model):
    """The secret in the address of a person's "my events" calendar; reset makes a new one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_calendar_token"
    )
    token = models.CharField(max_length=64, unique=True, default=_calendar_token)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"calendar of {self.user_id}"
