"""Reads for insights pages: each query shape decided here once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.fields.json import KeyTransform
from django.utils.translation import gettext_lazy as _

from cocity.core.hubs import HubScope
from cocity.core.translations import translated, translation_columns
from cocity.network.models import Territory

from .models import DataSet, Geography, ImportJob

READY = DataSet.Status.READY
MULTIGROUP_LABELS = {
    "dissimilarity": _("Multigroup dissimilarity"),
    "gini": _("Multigroup Gini"),
    "information_theory": _("Information theory index (H)"),
    "normalized_exposure": _("Normalised exposure"),
    "relative_diversity": _("Relative diversity"),
    "simpsons_interaction": _("Simpson's interaction"),
    "simpsons_concentration": _("Simpson's concentration"),
    "diversity": _("Diversity (entropy)"),
}


def datasets_in_hub(scope: HubScope) -> QuerySet[DataSet]:
    """The ready data sets of the city a space or a place lies in, and of the cities inside a
    place (a country); none for an organisation (data sets belong to a city). What a hub's data
    section counts and the insights page filtered to the hub (``?space=``, ``?place=``) lists."""
    if not scope.territory_path:
        return DataSet.objects.none()
    around = Q(city__path__in=scope.territory_paths_up) | Q(
        city__path__startswith=scope.territory_path
    )
    return DataSet.objects.filter(around, status=READY)


def hub_datasets(scope: HubScope) -> QuerySet[DataSet]:
    return datasets_in_hub(scope).select_related("city").order_by("-year", "-id")


def cities_with_datasets() -> QuerySet[Territory]:
    return (
        Territory.objects.filter(kind="city", insight_datasets__status=READY)
        .annotate(
            datasets=Count("insight_datasets", filter=Q(insight_datasets__status=READY)),
            latest_year=Max("insight_datasets__year", filter=Q(insight_datasets__status=READY)),
        )
        .order_by("name")
    )


def city_datasets(city: Territory) -> list[DataSet]:
    """Every data set of a city, newest year first (results included: they are the page)."""
    return list(
        DataSet.objects.filter(city=city).select_related("geography").order_by("-year", "-id")
    )


def dataset_units(dataset: DataSet) -> list[Any]:
    return list(
        dataset.units.select_related("territory")
        .only(
            "id",
            "counts",
            "total",
            "boundary",
            "territory_id",
            "dataset_id",
            "territory__code",
            "territory__name",
            "territory__path",
            "territory__boundary",
            "territory__boundary_approximate",
            *translation_columns("territory"),
        )
        .order_by("territory__path")
    )


def datasets_for_page() -> QuerySet[DataSet]:
    """Data sets for their own page and its progress fragment: the results stay in the
    database (a million areas make them tens of megabytes, seconds to read); only the number
    of areas (``result_units``) and the indices that could not be computed
    (``result_errors``) are read from them."""
    return (
        DataSet.objects.select_related("city", "geography")
        .defer("results")
        .annotate(
            result_units=KeyTransform("units", "results"),
            result_errors=KeyTransform("errors", "results"),
        )
    )


def latest_job(dataset: DataSet) -> ImportJob | None:
    return dataset.imports.first()


def import_pending(dataset: DataSet) -> bool:
    """Whether an import of the data set waits in the queue or runs."""
    return dataset.imports.filter(
        status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING]
    ).exists()


def over_time(datasets: list[DataSet]) -> list[dict[str, Any]]:
    """Series of data sets with the same groups, oldest first, with each index's change.

    One data set per year: two data sets of the same year are never a change over time, so
    only the newest of a year (the highest id, the last imported) enters a series."""
    series: dict[str, dict[int, DataSet]] = {}
    for ds in datasets:
        if ds.status == READY and ds.results.get("units"):
            by_year = series.setdefault(ds.groups_key, {})
            if ds.year not in by_year or ds.pk > by_year[ds.year].pk:
                by_year[ds.year] = ds
    out = []
    for by_year in series.values():
        items = sorted(by_year.values(), key=lambda d: d.year)
        if len(items) < 2:
            continue
        names = list(items[-1].results.get("multigroup", {}))
        rows = []
        for name in names:
            values = [d.results.get("multigroup", {}).get(name) for d in items]
            first, last = values[0], values[-1]
            change = last - first if first is not None and last is not None else None
            label = MULTIGROUP_LABELS.get(name, name)
            rows.append({"name": label, "values": values, "change": change})
        single = []
        for column, label in zip(items[-1].group_columns, items[-1].group_labels, strict=True):
            values = [
                d.results.get("single_group", {}).get(column, {}).get("dissimilarity")
                for d in items
            ]
            first, last = values[0], values[-1]
            change = last - first if first is not None and last is not None else None
            single.append({"name": label, "values": values, "change": change})
        out.append(
            {
                "datasets": items,
                "years": [d.year for d in items],
                "multigroup": rows,
                "dissimilarity": single,
                "comparison": items[-1].results.get("comparison"),
            }
        )
    return out


def comparison_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """The ready data sets any visitor may compare, grouped by city for the comparison form's
    two selects (the results stay in the database: only names are shown)."""
    rows = (
        DataSet.objects.filter(status=READY)
        .select_related("city")
        .only(
            "id",
            "name",
            "year",
            "city__name",
            "city__code",
            *translation_columns(),
            *translation_columns("city"),
        )
        .order_by("city__name", "-year", "-id")
    )
    groups: dict[str, list[tuple[int, str]]] = {}
    for ds in rows:
        groups.setdefault(translated(ds.city, "name"), []).append(
            (ds.pk, f"{translated(ds, 'name')} ({ds.year})")
        )
    return list(groups.items())


def datasets_to_compare(first: int, second: int) -> tuple[DataSet, DataSet] | None:
    """Two ready data sets with their city, in the order asked (None when one is not there or
    not ready). Of the results, only the city-wide indices are read (``result_single_group``,
    ``result_spatial``, ``result_multigroup``, ``result_units``): the local measures of a
    large data set are tens of megabytes the comparison does not show."""
    found = (
        DataSet.objects.filter(pk__in=[first, second], status=READY)
        .select_related("city")
        .defer("results")
        .annotate(
            result_units=KeyTransform("units", "results"),
            result_single_group=KeyTransform("single_group", "results"),
            result_spatial=KeyTransform("spatial", "results"),
            result_multigroup=KeyTransform("multigroup", "results"),
        )
    )
    by_pk = {ds.pk: ds for ds in found}
    if first not in by_pk or second not in by_pk:
        return None
    return by_pk[first], by_pk[second]


def dataset_table(dataset: DataSet, columns: list[str]) -> tuple[Any, Any]:
    """The counts of ``columns`` (units x columns, in that order) and the totals of a data set,
    as whole-number arrays, in the order the report is computed in."""
    import numpy as np

    order = [dataset.group_columns.index(column) for column in columns]
    rows = list(dataset.units.order_by("territory__path").values_list("counts", "total").iterator())
    counts = np.array([r[0] for r in rows], dtype=np.int64).reshape(len(rows), -1)
    total = np.array([r[1] for r in rows], dtype=np.int64)
    return np.ascontiguousarray(counts[:, order]), total


@dataclass(frozen=True)
class TemplateUnits:
    """What a city's downloadable templates hold: its current units (codes, names, boundaries,
    in one order) and the group columns to fill in."""

    codes: list[str]
    names: list[str]
    boundaries: list[dict[str, Any] | None]
    groups: list[str]


TEMPLATE_EXAMPLE_GROUPS = ["group_a", "group_b"]


def city_template_units(city: Territory) -> TemplateUnits:
    """The city's current units: those of its newest geography version (the codes its files
    use), else the places of the tree under it that have no places under them (the codes an
    import matched to places expects). The groups: those of its newest ready data set, else
    two examples, so that a template is a file the import reads as it comes back filled in."""
    geography = Geography.objects.filter(city=city).order_by("-created_at", "-id").first()
    rows: list[tuple[str, str, dict[str, Any] | None]]
    if geography is not None:
        rows = list(geography.areas.order_by("code").values_list("code", "name", "boundary"))
    else:
        rows = list(
            Territory.objects.filter(path__startswith=city.path)
            .exclude(pk=city.pk)
            .filter(children__isnull=True)
            .order_by("path")
            .values_list("code", "name", "boundary")
        )
    newest = (
        DataSet.objects.filter(city=city, status=READY)
        .order_by("-year", "-id")
        .values_list("groups", flat=True)
        .first()
    )
    groups = [g["column"] for g in newest or [] if isinstance(g, dict) and g.get("column")]
    return TemplateUnits(
        codes=[r[0] for r in rows],
        names=[r[1] for r in rows],
        boundaries=[r[2] for r in rows],
        groups=groups or list(TEMPLATE_EXAMPLE_GROUPS),
    )


def city_geographies(city: Territory) -> list[Any]:
    """The versions of the city's own areas, newest first."""
    from .models import Geography

    return list(
        Geography.objects.filter(city=city)
        .annotate(area_count=Count("areas"))
        .order_by("-created_at", "-id")
    )


def import_drafts(city: Territory, user: Any) -> list[ImportJob]:
    """A person's guided imports of the city that wait for their columns or failed."""
    if not user.is_authenticated:
        return []
    return list(
        ImportJob.objects.filter(
            city=city,
            created_by=user,
            status__in=[ImportJob.Status.DRAFT, ImportJob.Status.FAILED],
            dataset__isnull=True,
        ).order_by("-created_at")[:10]
    )


def city_template_kinds(city: Territory) -> list[str]:
    """The template files offered for a city: the boundary formats only when the units the
    templates hold (``city_template_units``) have boundaries, asked with one cheap query."""
    geography = Geography.objects.filter(city=city).order_by("-created_at", "-id").first()
    if geography is not None:
        has_boundaries = geography.areas.filter(boundary__isnull=False).exists()
    else:
        has_boundaries = (
            Territory.objects.filter(path__startswith=city.path, boundary__isnull=False)
            .exclude(pk=city.pk)
            .filter(children__isnull=True)
            .exists()
        )
    kinds = ["csv", "xlsx"]
    return kinds + (["geojson", "gpkg", "shp.zip"] if has_boundaries else [])


def import_live(job: ImportJob) -> ImportJob:
    """The job with how far its last transaction has written, while it runs (from the shared
    cache: ``services.live_progress_set``); as it is otherwise."""
    from django.core.cache import cache

    from .models import LIVE_PROGRESS

    if job.status == ImportJob.Status.RUNNING:
        live = cache.get(LIVE_PROGRESS.format(job.pk))
        if isinstance(live, dict) and live.get("phase") == job.phase:
            job.rows_done = int(live.get("rows_done") or 0)
            job.rows_total = int(live.get("rows_total") or 0)
    return job


# --- The API's reads (cocity.api.endpoints.insights) -------------------------------------------
# The results of a large data set are tens of megabytes (the local measures of every area): the
# API reads only the parts an answer shows, as the pages do.

INDEX_PARTS = ("units", "population", "errors", "single_group", "spatial", "multigroup")


def datasets_with_indices() -> QuerySet[DataSet]:
    """Data sets with their city, units and the city-wide indices of their results
    (``result_<part>`` for each of ``INDEX_PARTS`` and ``comparison``), not the local measures."""
    return (
        DataSet.objects.select_related("city", "geography")
        .defer("results")
        .annotate(
            **{f"result_{part}": KeyTransform(part, "results") for part in INDEX_PARTS},
            result_comparison=KeyTransform("comparison", "results"),
        )
    )


def city_datasets_over_time(city: Territory) -> list[DataSet]:
    """The city's data sets as :func:`over_time` reads them (its ``results`` made of the parts
    it needs only: units, indices and the comparison with the year before)."""
    parts = ("units", "single_group", "multigroup", "comparison")
    rows = list(
        DataSet.objects.filter(city=city)
        .defer("results")
        .annotate(**{f"result_{part}": KeyTransform(part, "results") for part in parts})
        .order_by("-year", "-id")
    )
    for row in rows:
        row.results = {part: getattr(row, f"result_{part}") for part in parts}
    return rows


def dataset_units_page(dataset: DataSet) -> QuerySet[Any]:
    """A data set's units with their place (code, name, path as ``path``) and counts, without
    boundaries, in the city page's order (the place tree's)."""
    from django.db.models import F

    return (
        dataset.units.select_related("territory")
        .only(
            "id",
            "counts",
            "total",
            "territory_id",
            "dataset_id",
            "territory__code",
            "territory__name",
            "territory__path",
            *translation_columns("territory"),
        )
        .annotate(path=F("territory__path"))
    )


def local_measures(dataset: DataSet, codes: list[str]) -> dict[str, Any]:
    """The local measures (location quotients, entropy, diversity) of these areas of a data set,
    read from its results in one query, whatever their number (the rest stays in the database)."""
    if not codes:
        return {}
    names = {f"m{i}": code for i, code in enumerate(codes)}
    local = KeyTransform("local", "results")
    row = (
        DataSet.objects.filter(pk=dataset.pk)
        .annotate(**{name: KeyTransform(code, local) for name, code in names.items()})
        .values(*names)
        .first()
    )
    if row is None:
        return {}
    return {code: row[name] for name, code in names.items() if isinstance(row[name], dict)}


def dataset_population(dataset: DataSet) -> tuple[list[Territory], dict[int, int]]:
    """The areas of a data set (places with code and name only) and their population, for the
    participation-equity report (``equity.report``), in one query."""
    units = list(
        dataset.units.select_related("territory")
        .only(
            "total",
            "territory_id",
            "dataset_id",
            "territory__code",
            "territory__name",
            "territory__path",
            *translation_columns("territory"),
        )
        .order_by("territory__path")
    )
    return [u.territory for u in units], {u.territory_id: u.total for u in units}
