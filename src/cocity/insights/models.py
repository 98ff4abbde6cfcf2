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

from .problems import from_json, texts


class DataSet(models.Model):
    class Status(models.TextChoices):
        IMPORTING = "importing", _("importing")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    class Boundaries(models.TextChoices):
        TERRITORIES = "territories", _("from the territory tree")
        UPLOAD = "upload", _("uploaded GeoJSON")

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


class ImportJob(models.Model):
    """An import run on the task queue (``services.import_job_run``); the data set's page shows
    its phase and progress, and the problems that stopped it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting in the queue")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    class Phase(models.TextChoices):
        CHECKING = "checking", _("checking rows")
        WRITING = "writing", _("writing units")
        COMPUTING = "computing", _("computing indices")

    dataset = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="imports")
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
