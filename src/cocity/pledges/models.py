"""Frameworks of principles, campaigns, pledges with measures and indicators, progress reports,
exchange rates, and the per-campaign summary kept consistent with every write.

Translations: like ``network.Topic``, each row is written in English and carries a
``translations`` object ``{"fr": {"name": ..., "description": ...}}``; ``.label`` and
``.text`` pick the viewer's language and fall back to English.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cocity.core import media
from cocity.core.translations import Translatable, translated

from .currencies import validate_currency

ZERO = Decimal("0")


class Translated(Translatable):
    """A framework's own words in every language (cocity.core.translations)."""

    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=5000)

    translatable_fields = ("name", "description")

    class Meta:
        abstract = True

    @property
    def label(self) -> str:
        return translated(self, "name")

    @property
    def text(self) -> str:
        return translated(self, "description")

    def clean(self) -> None:
        super().clean()
        ok = isinstance(self.translations, dict) and all(
            isinstance(lang, str)
            and isinstance(entry, dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in entry.items())
            for lang, entry in self.translations.items()
        )
        if not ok:
            raise ValidationError(
                {"translations": _('Give {"language": {"name": ..., "description": ...}}.')}
            )


class Framework(Translated):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    # None: shipped with cocity (European Pillar of Social Rights, SDGs); else the author.
    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pledge_frameworks",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("pledges:framework_detail", args=[self.slug])


class FrameworkItem(Translated):
    class Kind(models.TextChoices):
        CHAPTER = "chapter", _("chapter")
        PRINCIPLE = "principle", _("principle")
        GOAL = "goal", _("goal")

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    code = models.CharField(_("code"), max_length=20)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("principle or goal")
        verbose_name_plural = _("principles and goals")
        ordering = ("framework", "position", "id")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="one_code_per_framework")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("pledges:principle_detail", args=[self.framework.slug, self.code])

    def clean(self) -> None:
        super().clean()
        if self.parent is not None:
            if self.parent.framework_id != self.framework_id:
                raise ValidationError({"parent": _("The parent must be in the same framework.")})
            if self.parent.kind != self.Kind.CHAPTER:
                raise ValidationError({"parent": _("Principles and goals sit under a chapter.")})
        if self.kind == self.Kind.CHAPTER and self.parent_id:
            raise ValidationError({"parent": _("A chapter is at the top of its framework.")})


class Campaign(Translatable):
    translatable_fields = ("name", "summary", "description")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=20_000)
    # The admins of this organisation manage the campaign (see rules.py).
    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("run by"),
        on_delete=models.PROTECT,
        related_name="pledge_campaigns",
    )
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.PROTECT, related_name="campaigns"
    )
    currency = models.CharField(
        _("reporting currency"), max_length=3, default="EUR", validators=[validate_currency]
    )
    report_every_months = models.PositiveSmallIntegerField(
        _("report every (months)"), default=6, validators=[MinValueValidator(1)]
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ("-created_at", "id")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("pledges:campaign_detail", args=[self.slug])


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    ON_TRACK = "on_track", _("on track")
    DELAYED = "delayed", _("delayed")
    COMPLETED = "completed", _("completed")
    ABANDONED = "abandoned", _("abandoned")


class Pledge(Translatable):
    translatable_fields = ("title", "statement")

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="pledges")
    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="pledges",
    )
    title = models.CharField(_("title"), max_length=200)
    statement = models.TextField(_("statement"), max_length=20_000, blank=True)
    principles = models.ManyToManyField(
        FrameworkItem, verbose_name=_("principles served"), related_name="pledges", blank=True
    )
    signed_by = models.CharField(_("signed by"), max_length=200)
    signed_on = models.DateField(_("signed on"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NOT_STARTED
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # The next progress report is due on this day (signed_on + N months, then every N months).
    report_due_on = models.DateField(_("next report due"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ("-signed_on", "id")
        indexes = [
            models.Index(fields=["campaign", "state", "report_due_on"]),
            models.Index(fields=["campaign", "state", "signed_on"]),
            # Every published pledge, newest signed first (the API's list, a page at a time).
            models.Index(fields=["state", "-signed_on", "-id"], name="pledges_state_signed_id"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pledges:pledge_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return bool(self.is_published and self.report_due_on and self.report_due_on < today)


class Measure(Translatable):
    translatable_fields = ("description",)

    def translation_owner(self) -> tuple[str, object]:
        return "pledges.change_pledge", self.pledge

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="measures")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    description = models.TextField(_("description"), max_length=5000)
    amount = models.DecimalField(
        _("budget"), max_digits=18, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    department = models.CharField(_("responsible department"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NOT_STARTED
    )
    # From the latest progress report (kept by services.report_file).
    spent = models.DecimalField(_("spent so far"), max_digits=18, decimal_places=2, default=ZERO)
    last_reported_on = models.DateField(_("last report"), null=True, blank=True)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ("pledge", "position", "id")

    def __str__(self) -> str:
        return self.description[:80]

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A measure cannot end before it starts.")})


class Indicator(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=18, decimal_places=4)
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=4)
    current = models.DecimalField(
        _("latest value"), max_digits=18, decimal_places=4, null=True, blank=True
    )

    class Meta:
        verbose_name = _("target indicator")
        verbose_name_plural = _("target indicators")
        ordering = ("measure", "id")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.baseline is not None and self.target is not None and self.baseline == self.target:
            raise ValidationError({"target": _("The target must differ from the baseline.")})

    @property
    def share_reached(self) -> float | None:
        if self.current is None or self.target == self.baseline:
            return None
        share = float((self.current - self.baseline) / (self.target - self.baseline))
        return max(0.0, min(1.0, share))


class MeasureLink(models.Model):
    """A link from a measure to an event, a library item or an action of an action plan (a
    reference to the row itself: it follows renames and goes with the item when it is deleted),
    or to any other page (a plain address). ``services.link_add`` resolves an address of this
    site to the item and checks that it is public; the other side's pages show the links in the
    "linked pledges" panel (``pledges/panels.py``)."""

    class Kind(models.TextChoices):
        EVENT = "event", _("event")
        LIBRARY = "library", _("library item")
        ACTION = "action", _("action of an action plan")
        OTHER = "other", _("other page")

    # The foreign key each kind of item is stored in (``other`` has none).
    TARGET_FIELDS: dict[str, str] = {
        Kind.EVENT: "event",
        Kind.LIBRARY: "library_item",
        Kind.ACTION: "action",
    }

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    # For an item: the title it had when linked (the pages show its live title).
    title = models.CharField(_("title"), max_length=200, blank=True)
    # For an item: its address when linked (the pages link to its live address).
    url = models.CharField(_("address"), max_length=500, db_index=True)
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    library_item = models.ForeignKey(
        "library.LibraryItem",
        verbose_name=_("library item"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    action = models.ForeignKey(
        "plans.Action",
        verbose_name=_("action"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("measure link")
        verbose_name_plural = _("measure links")
        ordering = ("measure", "kind", "id")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind="event",
                        event__isnull=False,
                        library_item__isnull=True,
                        action__isnull=True,
                    )
                    | models.Q(
                        kind="library",
                        event__isnull=True,
                        library_item__isnull=False,
                        action__isnull=True,
                    )
                    | models.Q(
                        kind="action",
                        event__isnull=True,
                        library_item__isnull=True,
                        action__isnull=False,
                    )
                    | models.Q(
                        kind="other",
                        event__isnull=True,
                        library_item__isnull=True,
                        action__isnull=True,
                    )
                ),
                name="measure_link_target_matches_kind",
            ),
            models.UniqueConstraint(fields=["measure", "event"], name="one_link_per_event"),
            models.UniqueConstraint(
                fields=["measure", "library_item"], name="one_link_per_library_item"
            ),
            models.UniqueConstraint(fields=["measure", "action"], name="one_link_per_action"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def target(self) -> Any:
        """The linked event, library item or action (None for another page)."""
        name = self.TARGET_FIELDS.get(self.kind)
        return getattr(self, name) if name else None

    @property
    def label(self) -> str:
        target = self.target
        return str(target.title) if target is not None else self.title

    @property
    def href(self) -> str:
        target = self.target
        return str(target.get_absolute_url()) if target is not None else self.url


class PledgeDocument(models.Model):
    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = media.FileField(_("PDF file"), upload_to="pledges/%Y/")
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("supporting document")
        verbose_name_plural = _("supporting documents")
        ordering = ("pledge", "id")

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="reports")
    reported_on = models.DateField(_("report date"))
    spent = models.DecimalField(
        _("spent so far"), max_digits=18, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    narrative = models.TextField(_("what happened"), max_length=20_000, blank=True)
    evidence_url = models.URLField(_("evidence (link)"), blank=True, max_length=500)
    evidence_file = media.FileField(
        _("evidence (PDF)"), upload_to="pledges/reports/%Y/", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("filed"), default=timezone.now)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ("-reported_on", "-id")
        indexes = [models.Index(fields=["measure", "reported_on"])]

    def __str__(self) -> str:
        return f"{self.measure} @ {self.reported_on}"


class IndicatorValue(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="one_value_per_report")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.value}"


class ExchangeRate(models.Model):
    """1 ``base`` = ``rate`` ``quote``, as published on ``valid_on`` (kept by the admin)."""

    base = models.CharField(_("base currency"), max_length=3, validators=[validate_currency])
    quote = models.CharField(_("quote currency"), max_length=3, validators=[validate_currency])
    rate = models.DecimalField(
        _("rate"),
        max_digits=20,
        decimal_places=10,
        validators=[MinValueValidator(Decimal("1e-10"))],
    )
    valid_on = models.DateField(_("valid on"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ("base", "quote", "-valid_on")
        constraints = [
            models.UniqueConstraint(fields=["base", "quote", "valid_on"], name="one_rate_per_day")
        ]

    def __str__(self) -> str:
        return f"1 {self.base} = {self.rate} {self.quote} ({self.valid_on})"

    def clean(self) -> None:
        super().clean()
        if self.base and self.base == self.quote:
            raise ValidationError({"quote": _("A rate needs two different currencies.")})


class CampaignSummary(models.Model):
    """Totals of a campaign's published pledges, recomputed in the same transaction as every
    write that changes them (the campaign row is locked first, so concurrent writes queue)."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="totals")
    data = models.JSONField(default=dict)
    computed_at = models.DateTimeField(default=timezone.now)
    # +1 on every recomputation (a record of how often; the caches follow the namespace
    # versions of cocity.core.cache).
    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("campaign totals")
        verbose_name_plural = _("campaign totals")

    def __str__(self) -> str:
        return f"totals of campaign {self.campaign_id}"
