"""Writes for the insights platform: importing a data set (validated first, every problem with
its line, nothing written when any is found), computing its indices with the core, and the
background import of large files."""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np
import shapely
import shapely.geometry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cocity.accounts.types import Actor
from cocity.core import geo, geojson
from cocity.network.models import Territory

from . import inference
from .io import InputError, Problem, parse_counts
from .models import DataSet, ImportJob, Unit
from .report import ReportOptions, compute_report, multigroup_table

BATCH = 1000


@dataclass
class ParsedRow:
    territory_id: int
    code: str
    counts: list[int]
    total: int
    boundary: dict[str, Any] | None = None


def parse_groups(text: str) -> list[dict[str, str]]:
    """``column = Label`` per line (the label is optional)."""
    groups = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        column, _sep, label = line.partition("=")
        groups.append({"column": column.strip(), "label": label.strip() or column.strip()})
    return groups


def _translated(problem: Problem | str) -> str:
    """A reader's problem in the language of the request (its message is in the catalogue)."""
    if isinstance(problem, Problem):
        return _(problem.message) % problem.params
    return str(problem)


def _city_territories(city: Territory) -> dict[str, Territory]:
    return {
        t.code: t
        for t in Territory.objects.filter(path__startswith=city.path)
        .exclude(pk=city.pk)
        .only("id", "code", "name", "path", "kind")
    }


def validate_upload(
    *,
    city: Territory,
    groups: list[dict[str, str]],
    total_column: str,
    id_column: str,
    csv_text: str,
    geojson_text: str | None = None,
    id_property: str = "code",
) -> list[ParsedRow]:
    """Every problem with its line (the header is line 1); raise them all at once. The counts
    are read by ``io.parse_counts``, the command's reader; the codes must be the city's."""
    columns = [g["column"] for g in groups]
    places = _city_territories(city)

    def unknown(code: str, line: int) -> str | None:
        if code in places:
            return None
        return _("Line %(line)d: unknown territory code “%(code)s” in %(city)s.") % {
            "line": line,
            "code": code[:40],
            "city": city.name,
        }

    try:
        table = parse_counts(
            io.StringIO(csv_text),
            id_column=id_column,
            groups=columns,
            total=total_column or None,
            id_key=str.upper,
            id_problem=unknown,
        )
    except InputError as exc:
        raise ValidationError([_translated(p) for p in exc.problems]) from exc
    totals = table.counts.sum(axis=1) if table.total is None else table.total
    rows = [
        ParsedRow(places[code].pk, code, table.counts[i].tolist(), int(totals[i]))
        for i, code in enumerate(table.ids)
    ]
    problems: list[str] = []
    if geojson_text is not None and not problems:
        problems.extend(_attach_boundaries(rows, geojson_text, id_property))
    if problems:
        raise ValidationError(problems)
    return rows


def _attach_boundaries(rows: list[ParsedRow], text: str, id_property: str) -> list[str]:
    """Each row's boundary from a FeatureCollection, checked by the one boundary rule
    (``cocity.core.geo``, the same as the territories')."""
    problems: list[str] = []
    try:
        data = geo.loads(text)
    except ValidationError as error:
        return list(error.messages)
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        return [_("The boundaries are not a GeoJSON FeatureCollection.")]
    entries: list[tuple[int, str, dict[str, Any]]] = []
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(properties, dict) or id_property not in properties or geometry is None:
            problems.append(
                _("Feature %(number)d: no %(property)s property or no readable geometry.")
                % {"number": number, "property": id_property}
            )
            continue
        entries.append((number, str(properties[id_property]).strip().upper(), geometry))
    _shapes, checked = geo.check_boundaries([geometry for _n, _c, geometry in entries])
    by_code = {row.code: row for row in rows}
    found: set[str] = set()
    for (number, code, geometry), problem in zip(entries, checked, strict=True):
        if problem is not None:
            problems.append(
                _("Feature %(number)d (%(code)s): %(problem)s")
                % {"number": number, "code": code[:40], "problem": problem}
            )
            continue
        if code not in by_code:
            problems.append(
                _("Feature %(number)d: “%(code)s” is not in the counts.")
                % {"number": number, "code": code[:40]}
            )
            continue
        if code in found:
            problems.append(
                _("Feature %(number)d: “%(code)s” appears twice.")
                % {"number": number, "code": code[:40]}
            )
            continue
        found.add(code)
        by_code[code].boundary = geojson.geometry_of(geometry)
    for row in rows:
        if row.code not in found:
            problems.append(_("No boundary for %(code)s.") % {"code": row.code})
    return problems


# --------------------------------------------------------------------------- import


def dataset_import(
    *,
    city: Territory,
    name: str,
    source: str,
    year: int,
    groups: list[dict[str, str]],
    total_column: str,
    id_column: str,
    csv_text: str,
    geojson_text: str | None = None,
    id_property: str = "code",
    user: Actor | None = None,
    dataset: DataSet | None = None,
    options: ReportOptions | None = None,
) -> DataSet:
    """Create (or replace the counts of) a data set. Small files are written at once; large
    ones are written by a queued task that records its progress. ``options``: see
    ``dataset_compute`` (kept with the data set for the queued computation)."""
    target = dataset or DataSet(city=city, created_by=user)
    target.name, target.source, target.year = name, source, year
    target.groups, target.total_column, target.id_column = groups, total_column, id_column
    target.boundaries = (
        DataSet.Boundaries.UPLOAD if geojson_text is not None else DataSet.Boundaries.TERRITORIES
    )
    target.full_clean()
    rows = validate_upload(
        city=city,
        groups=groups,
        total_column=total_column,
        id_column=id_column,
        csv_text=csv_text,
        geojson_text=geojson_text,
        id_property=id_property,
    )
    with transaction.atomic():
        target.status = DataSet.Status.IMPORTING
        if options is not None:  # read back by dataset_compute, after a queued import too
            target.results = {"options": asdict(options)}
        target.save()
        if len(rows) > settings.COCITY_INSIGHTS_ASYNC_ROWS:
            job = ImportJob.objects.create(
                dataset=target,
                rows_total=len(rows),
                payload=[[r.territory_id, r.counts, r.total, r.boundary] for r in rows],
            )
            from .tasks import run_import

            transaction.on_commit(lambda: run_import.enqueue(job.pk))
        else:
            _write_units(target, rows)
            dataset_compute(dataset=target, options=options)
    return target


def _write_units(dataset: DataSet, rows: list[ParsedRow]) -> None:
    dataset.units.all().delete()
    Unit.objects.bulk_create(
        [
            Unit(
                dataset=dataset,
                territory_id=r.territory_id,
                counts=r.counts,
                total=r.total,
                boundary=r.boundary,
            )
            for r in rows
        ],
        batch_size=BATCH,
    )


def import_job_run(*, job_id: int) -> None:
    """Write a queued import in batches, recording progress after each, then compute."""
    job = ImportJob.objects.select_related("dataset").get(pk=job_id)
    if job.finished:
        return
    job.status = ImportJob.Status.RUNNING
    job.save(update_fields=["status"])
    dataset = job.dataset
    try:
        dataset.units.all().delete()
        payload = job.payload
        for start in range(0, len(payload), BATCH):
            chunk = payload[start : start + BATCH]
            with transaction.atomic():
                Unit.objects.bulk_create(
                    [
                        Unit(dataset=dataset, territory_id=t, counts=c, total=n, boundary=b)
                        for t, c, n, b in chunk
                    ]
                )
                ImportJob.objects.filter(pk=job.pk).update(rows_done=start + len(chunk))
        dataset_compute(dataset=dataset)
    except Exception as exc:  # recorded for the page, then re-raised for the worker's log
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        DataSet.objects.filter(pk=dataset.pk).update(status=DataSet.Status.FAILED)
        raise
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.DONE, payload=[], finished_at=timezone.now()
    )


# --------------------------------------------------------------------------- indices


def _options_of(dataset: DataSet, options: ReportOptions | None) -> ReportOptions:
    """The options given, else those the data set was last computed with, else the defaults."""
    if options is not None:
        return options
    stored = (dataset.results or {}).get("options") or {}
    known = {f.name for f in fields(ReportOptions)}
    return ReportOptions(**{k: v for k, v in stored.items() if k in known})


def compute_results(
    dataset: DataSet, units: list[Unit], options: ReportOptions | None = None
) -> dict[str, Any]:
    """The data set's report (``report.compute_report``, as the command computes it), with the
    group labels and the local measures keyed by territory code, as plain JSON."""
    codes = [u.territory.code for u in units]
    counts = np.array([u.counts for u in units], dtype=np.int64).reshape(len(units), -1)
    total = np.array([u.total for u in units], dtype=np.int64)
    geometries = [u.geometry() for u in units]
    shapes = None
    if units and all(geometries):
        shapes = [shapely.geometry.shape(g) for g in geometries]
    columns = dataset.group_columns
    results = compute_report(
        counts, total, columns, shapes, _options_of(dataset, options), local=True
    )
    local = results.pop("local")
    results["groups"] = [
        {"column": g["column"], "label": label, "count": int(counts[:, k].sum())}
        for k, (g, label) in enumerate(zip(dataset.groups, dataset.group_labels, strict=True))
    ]
    results["local"] = {
        code: {
            "lq": dict(zip(columns, local["lq"][i], strict=True)),
            "local_entropy": local["entropy"][i],
            "local_diversity": local["diversity"][i],
        }
        for i, code in enumerate(codes)
    }
    return results


def _comparison(dataset: DataSet, table: np.ndarray) -> dict[str, Any] | None:
    """Multigroup dissimilarity now against the previous year's data set for the same groups."""
    previous = (
        DataSet.objects.filter(city_id=dataset.city_id, status=DataSet.Status.READY)
        .exclude(pk=dataset.pk)
        .filter(year__lt=dataset.year)
        .order_by("-year", "-id")
    )
    for other in previous:
        if other.groups_key != dataset.groups_key or other.group_columns != dataset.group_columns:
            continue
        units = list(other.units.all())
        before = np.array([u.counts for u in units], dtype=np.int64).reshape(len(units), -1)
        rest = np.array([u.total for u in units], dtype=np.int64) - before.sum(axis=1)
        if table.shape[1] == before.shape[1] + 1:
            before = np.column_stack([before, rest])
        if before.shape[1] != table.shape[1] or table.shape[1] < 2:
            return None
        try:
            result = inference.compare(
                inference.multigroup_statistic("dissimilarity"),
                table,
                before,
                permutations=99,
                seed=dataset.year,
            )
        except ValueError:
            return None
        return {
            "index": "multigroup dissimilarity",
            "year": dataset.year,
            "previous_year": other.year,
            "previous_id": other.pk,
            "value": result.statistic_1,
            "previous_value": result.statistic_2,
            "difference": result.difference,
            "p_value": result.p_value,
            "permutations": result.permutations,
        }
    return None


def dataset_compute(*, dataset: DataSet, options: ReportOptions | None = None) -> DataSet:
    """Compute and store the report (called after every import or change). ``options``:
    those of ``report.ReportOptions`` (by default the ones the data set was last computed
    with, else the defaults the command has too)."""
    units = list(dataset.units.select_related("territory").order_by("territory__path"))
    results = compute_results(dataset, units, options) if units else {"units": 0, "errors": []}
    if units:
        counts = np.array([u.counts for u in units], dtype=np.int64).reshape(len(units), -1)
        table = multigroup_table(counts, np.array([u.total for u in units], dtype=np.int64))
        results["comparison"] = _comparison(dataset, table)
    dataset.results = results
    dataset.computed_at = timezone.now()
    dataset.status = DataSet.Status.READY
    dataset.save(update_fields=["results", "computed_at", "status"])
    return dataset


def dataset_delete(*, dataset: DataSet) -> None:
    dataset.delete()
