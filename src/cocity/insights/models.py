"""Neighbourhood data on the platform: a city's data sets, their counts per territory, the
indices computed from them (stored as JSON), and the progress of imports run in the background.

The numbers themselves come from the pure core (``indices.py``, ``spatial.py``,
``inference.py``); these models only keep what was imported and what was computed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cocity.core.translations import Translatable

from .problems import from_json, texts


class Geography(models.Model):
    """One version of a city's statistical units (the 2021 census districts, say): the units a
    data set brought with its file, each a place of the tree under the city, with the boundary
    this version gives it. Units change between censuses; a data set says which version it
    uses, and a later version keeps the earlier one's boundaries for its data sets."""

    city = models.ForeignKey(
        "network.Territory",
        verbose_name=_("city"),
        on_delete=models.CASCADE,
        related_name="insight_geographies",
        limit_choices_to={"kind": "city"},
    )
    name = models.CharField(_("name"), max_length=200)
    version = models.CharField(_("version"), max_length=40)
    source = models.CharField(_("source"), max_length=300, blank=True)
    # The projection of the file the units came from, as read ("EPSG:2154 RGF93 v1 / Lambert-93").
    crs = models.CharField(_("projection of the file"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("geography")
        verbose_name_plural = _("geographies")
        ordering = ("city", "name", "-version")
        constraints = [
            models.UniqueConstraint(
                fields=["city", "name", "version"], name="insights_geography_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


class GeographyArea(models.Model):
    """A unit of a geography version: its code as the files give it, its name, its boundary in
    this version, and the place of the tree it is (created under the city when it was new)."""

    geography = models.ForeignKey(Geography, on_delete=models.CASCADE, related_name="areas")
    code = models.CharField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    territory = models.ForeignKey(
        "network.Territory", on_delete=models.CASCADE, related_name="insight_areas"
    )
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)

    class Meta:
        verbose_name = _("unit of a geography")
        verbose_name_plural = _("units of a geography")
        ordering = ("geography", "code")
        constraints = [
            models.UniqueConstraint(fields=["geography", "code"], name="insights_area_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ColumnChoice(models.Model):
    """The columns a person chose for a city's file with these columns (the unit code, the
    groups, the total...), offered again when a file of the same source comes back."""

    city = models.ForeignKey("network.Territory", on_delete=models.CASCADE, related_name="+")
    # A hash of the file's kind and sorted column names: "the same source".
    signature = models.CharField(max_length=64)
    choice = models.JSONField(default=dict)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["city", "signature"], name="insights_columns_once")
        ]

    def __str__(self) -> str:
        return f"{self.city_id}:{self.signature[:8]}"


class DataSet(Translatable):
    translatable_fields = ("name",)

    class Status(models.TextChoices):
        IMPORTING = "importing", _("importing")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    class Boundaries(models.TextChoices):
        TERRITORIES = "territories", _("from the territory tree")
        UPLOAD = "upload", _("uploaded with the data")

    city = models.ForeignKey(
        "network.Territory",
        verbose_name=_("city"),
        on_delete=models.CASCADE,
        related_name="insight_datasets",
        limit_choices_to={"kind": "city"},
    )
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    # [{"column": "born_abroad", "label": "Born abroad"}, ...] in the order of the counts.
    groups = models.JSONField(_("groups"), default=list)
    total_column = models.CharField(_("total column"), max_length=100, blank=True)
    id_column = models.CharField(_("territory code column"), max_length=100, default="code")
    boundaries = models.CharField(
        _("boundaries"), max_length=16, choices=Boundaries.choices, default=Boundaries.TERRITORIES
    )
    # The version of the city's units the data set brought or uses (none: the places of the
    # tree, matched by their codes).
    geography = models.ForeignKey(
        Geography,
        verbose_name=_("units"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="datasets",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IMPORTING
    )
    # Indices computed by the core when the data set is imported or changed.
    results = models.JSONField(_("results"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("data set")
        verbose_name_plural = _("data sets")
        ordering = ("city", "-year", "-id")
        indexes = [models.Index(fields=["city", "status", "year"], name="insights_city_year")]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("insights:dataset_detail", args=[self.pk])

    @property
    def group_columns(self) -> list[str]:
        return [g["column"] for g in self.groups]

    @property
    def group_labels(self) -> list[str]:
        return [g.get("label") or g["column"] for g in self.groups]

    @property
    def groups_key(self) -> str:
        """Data sets with the same key can be compared over time."""
        return ",".join(sorted(self.group_columns))

    def clean(self) -> None:
        super().clean()
        if self.city_id and self.city.kind != "city":
            raise ValidationError({"city": _("Choose a city.")})
        if not isinstance(self.groups, list) or not self.groups:
            raise ValidationError({"groups": _("Name at least one group column.")})
        columns = [g.get("column") if isinstance(g, dict) else None for g in self.groups]
        if any(not c for c in columns) or len(set(columns)) != len(columns):
            raise ValidationError({"groups": _("Each group needs its own column name.")})
        if self.total_column and self.total_column in columns:
            raise ValidationError({"total_column": _("The total cannot also be a group.")})
        if self.id_column in columns or self.id_column == self.total_column:
            raise ValidationError(
                {"id_column": _("The territory code column cannot also hold counts.")}
            )


class Unit(models.Model):
    """One territory's counts in a data set (the groups in the data set's order)."""

    dataset = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="units")
    territory = models.ForeignKey(
        "network.Territory", on_delete=models.CASCADE, related_name="insight_units"
    )
    counts = models.JSONField(_("counts"), default=list)
    total = models.PositiveIntegerField(_("total"))
    # Only for uploaded boundaries; otherwise the territory's own boundary is used.
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["dataset", "territory"], name="insights_unit_once")
        ]

    def __str__(self) -> str:
        return f"{self.dataset_id}:{self.territory_id}"

    def geometry(self) -> dict[str, Any] | None:
        return self.boundary or self.territory.boundary


# The cache key of how far a running import's last transaction has written (the job's own row
# shows it only after the commit): services.live_progress_set, selectors.import_live.
LIVE_PROGRESS = "insights:import-progress:{}"


class ImportJob(models.Model):
    """An import run on the task queue (``services.import_job_run``); the data set's page shows
    its phase and progress, and the problems that stopped it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("waiting for its columns")
        QUEUED = "queued", _("waiting in the queue")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    class Phase(models.TextChoices):
        CHECKING = "checking", _("checking rows")
        WRITING = "writing", _("writing units")
        COMPUTING = "computing", _("computing indices")
        PLACES = "places", _("adding the units to the places")

    # The data set it replaces, or the one it made (none while a new one is being checked: a
    # failed import leaves no data set behind).
    dataset = models.ForeignKey(
        DataSet, null=True, blank=True, on_delete=models.CASCADE, related_name="imports"
    )
    city = models.ForeignKey(
        "network.Territory", null=True, on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    phase = models.CharField(_("phase"), max_length=12, choices=Phase.choices, blank=True)
    # Of the phase: lines read of about the file's lines, units staged of the rows.
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows imported"), default=0)
    # What the import makes of the data set (name, source, year, groups, columns, boundaries,
    # options), put on it when the units are written: a replaced data set keeps its own until.
    spec = models.JSONField(default=dict, blank=True)
    # The upload as it came, in the default storage (services.UPLOADS: never served), until
    # the job ends.
    counts_file = models.CharField(max_length=300, blank=True)
    boundaries_file = models.CharField(max_length=300, blank=True)
    # The names the files were sent with, and what reading them found (sources.TableInfo and
    # LayerInfo as JSON: kind, encoding, delimiter, columns, first rows, projection...).
    counts_name = models.CharField(max_length=200, blank=True)
    boundaries_name = models.CharField(max_length=200, blank=True)
    inspected = models.JSONField(default=dict, blank=True)
    # What make_valid changed when the person asked for the boundaries to be repaired.
    repairs = models.JSONField(default=list, blank=True)
    # The problems found in the file (the first ones, as problems.as_json) and how many.
    problems = models.JSONField(default=list, blank=True)
    problems_total = models.PositiveIntegerField(default=0)
    error = models.TextField(_("error"), blank=True)  # an unexpected failure, for operators
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.dataset_id}: {self.rows_done}/{self.rows_total}"

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, int(100 * self.rows_done / self.rows_total))

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def editable(self) -> bool:
        """A guided import waiting for its columns, or failed: its choice can be made again."""
        return (
            bool(self.city_id)
            and self.status in (self.Status.DRAFT, self.Status.FAILED)
            and (self.status == self.Status.DRAFT or "units" in (self.spec or {}))
        )

    @property
    def repairable(self) -> bool:
        """The boundaries' problems are all invalid polygons that make_valid can repair."""
        return bool((self.spec or {}).get("repairable"))

    def repair_texts(self) -> list[str]:
        return texts([from_json(p) for p in self.repairs], len(self.repairs))

    def problem_texts(self) -> list[str]:
        """The problems that stopped the import, in the active language, with how many more."""
        return texts([from_json(p) for p in self.problems], self.problems_total)


class StagedUnit(models.Model):
    """A unit a queued import has checked and written, waiting for the import's last step,
    which moves them all into the data set in one transaction: a data set never shows half an
    import, and a failed one leaves nothing behind."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="staged")
    territory = models.ForeignKey("network.Territory", on_delete=models.CASCADE, related_name="+")
    counts = models.JSONField(default=list)
    total = models.PositiveIntegerField()
    boundary = models.JSONField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.job_id}:{self.territory_id}"
