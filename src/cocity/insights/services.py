"""Writes for the insights platform: importing a data set (validated first, every problem with
its line, nothing written when any is found), computing its indices with the core, and the
background import of large files (stored as they came; a task checks every line, then writes).
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import io
import json
import re
import secrets
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from copy import copy
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import shapely
import shapely.geometry
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from cocity.accounts.types import Actor
from cocity.core import geojson, uploads
from cocity.core.cache import rows_changed
from cocity.core.geojson import GeoJSONError
from cocity.core.queue import enqueue_with_writes
from cocity.network.models import Territory
from cocity.network.selectors.hubs import spaces_gathering
from cocity.participation import services as participation

from . import comparison, inference, selectors, sources
from .io import CountsTable, InputError, Problem, check_header, parse_counts, parse_records
from .models import (
    LIVE_PROGRESS,
    ColumnChoice,
    DataSet,
    Geography,
    GeographyArea,
    ImportJob,
    StagedUnit,
    Unit,
)
from .problems import SHOWN, AnyProblem, as_json, texts
from .report import ReportOptions, compute_report, multigroup_table

BATCH = 1000  # units per INSERT when a small import writes them
STAGE_BATCH = 5000  # units per transaction when a queued import stages them (progress after each)
PROGRESS_LINES = 20_000  # a queued import records how far it has read every so many lines
CHUNK = 65_536  # bytes read at a time from a stored upload
# Where queued uploads wait for their task, in the default storage. /media/ serves only files a
# model registers (cocity.core.media), and none registers this folder; the task deletes them.
UPLOADS = "private/insights-imports/"
_T = TypeVar("_T")


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


def _city_territories(city: Territory) -> dict[str, tuple[int, str]]:
    """Each territory under the city: code -> (id, path). Tuples, not rows: a city may have a
    million areas."""
    return {
        code: (pk, path)
        for code, pk, path in Territory.objects.filter(path__startswith=city.path)
        .exclude(pk=city.pk)
        .values_list("code", "id", "path")
        .iterator(chunk_size=10_000)
    }


@dataclass
class Checked:
    """A counts file (and its boundaries) that passed every check."""

    table: CountsTable
    places: dict[str, tuple[int, str]]  # the city's territories: code -> (id, path)
    boundaries: list[dict[str, Any] | None] | None  # each row's uploaded boundary

    @property
    def totals(self) -> np.ndarray:
        table = self.table
        return table.counts.sum(axis=1) if table.total is None else table.total

    def order(self) -> list[int]:
        """The rows in the order of their territories' paths, the order ``dataset_compute``
        reads units in (so a queued import computes the same numbers)."""
        paths = [self.places[code][1] for code in self.table.ids]
        return sorted(range(len(paths)), key=paths.__getitem__)


def _check(
    *,
    city: Territory,
    groups: list[dict[str, str]],
    total_column: str,
    id_column: str,
    lines: Iterable[str],
    geojson_text: str | None,
    id_property: str,
) -> Checked:
    """Every problem with its line (the header is line 1), all at once as an ``InputError``:
    the counts read by ``io.parse_counts`` (the command's reader), the codes the city's, the
    boundaries by the one boundary rule. The problems stay messages with their values
    (``problems``), to be shown in the reader's language now or later."""
    places = _city_territories(city)

    counted: set[str] = set()

    def unknown(code: str, line: int) -> Problem | None:
        counted.add(code)
        if code in places:
            return None
        return Problem(
            gettext_noop("Line %(line)d: unknown territory code “%(code)s” in %(city)s."),
            {"line": line, "code": code[:40], "city": city.name},
        )

    table = parse_counts(
        lines,
        id_column=id_column,
        groups=[g["column"] for g in groups],
        total=total_column or None,
        id_key=str.upper,
        id_problem=unknown,
    )
    boundaries = None
    if geojson_text is not None:
        boundaries, problems = _boundaries(table.ids, geojson_text, id_property)
        if problems:
            raise InputError(problems)
    return Checked(table, places, boundaries)


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
    """Every problem with its line (the header is line 1); raise them all at once in the
    active language (the first ``problems.SHOWN``, then how many more). The counts are read by
    ``io.parse_counts``, the command's reader; the codes must be the city's."""
    try:
        checked = _check(
            city=city,
            groups=groups,
            total_column=total_column,
            id_column=id_column,
            lines=io.StringIO(csv_text),
            geojson_text=geojson_text,
            id_property=id_property,
        )
    except InputError as exc:
        raise ValidationError(texts(exc.problems)) from exc
    table, totals, boundaries = checked.table, checked.totals, checked.boundaries
    return [
        ParsedRow(
            checked.places[code][0],
            code,
            table.counts[i].tolist(),
            int(totals[i]),
            boundaries[i] if boundaries is not None else None,
        )
        for i, code in enumerate(table.ids)
    ]


def _boundaries(
    ids: list[str], text: str, id_property: str
) -> tuple[list[dict[str, Any] | None], list[AnyProblem]]:
    """Each row's boundary from a FeatureCollection (in the order of ``ids``), checked by the
    one boundary rule (``cocity.core.geojson``, the same as the territories'), and the
    problems found."""
    problems: list[AnyProblem] = []
    try:
        data = geojson.loads(text)
    except GeoJSONError as error:
        return [], [error]
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        return [], [
            Problem(gettext_noop("The boundaries are not a GeoJSON FeatureCollection."), {})
        ]
    entries: list[tuple[int, str, dict[str, Any]]] = []
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(properties, dict) or id_property not in properties or geometry is None:
            problems.append(
                Problem(
                    gettext_noop(
                        "Feature %(number)d: no %(property)s property or no readable geometry."
                    ),
                    {"number": number, "property": id_property},
                )
            )
            continue
        entries.append((number, str(properties[id_property]).strip().upper(), geometry))
    _shapes, checked = geojson.check_boundaries([g for _n, _c, g in entries], geographic=True)
    slot = {code: i for i, code in enumerate(ids)}
    boundaries: list[dict[str, Any] | None] = [None] * len(ids)
    found: set[str] = set()
    for (number, code, geometry), problem in zip(entries, checked, strict=True):
        if problem is not None:
            problems.append(
                Problem(
                    gettext_noop("Feature %(number)d (%(code)s): %(problem)s"),
                    {"number": number, "code": code[:40], "problem": problem},
                )
            )
            continue
        if code not in slot:
            problems.append(
                Problem(
                    gettext_noop("Feature %(number)d: “%(code)s” is not in the counts."),
                    {"number": number, "code": code[:40]},
                )
            )
            continue
        if code in found:
            problems.append(
                Problem(
                    gettext_noop("Feature %(number)d: “%(code)s” appears twice."),
                    {"number": number, "code": code[:40]},
                )
            )
            continue
        found.add(code)
        boundaries[slot[code]] = geojson.geometry_of(geometry)
    for code in ids:
        if code not in found:
            problems.append(Problem(gettext_noop("No boundary for %(code)s."), {"code": code}))
    return boundaries, problems


# --------------------------------------------------------------------------- import


def _spec(
    *,
    name: str,
    source: str,
    year: int,
    groups: list[dict[str, str]],
    total_column: str,
    id_column: str,
    id_property: str,
    uploaded: bool,
    options: ReportOptions | None,
) -> dict[str, Any]:
    """What an import makes of its data set, as JSON (a queued import keeps it on its job)."""
    return {
        "name": name,
        "source": source,
        "year": year,
        "groups": groups,
        "total_column": total_column,
        "id_column": id_column,
        "id_property": id_property,
        "boundaries": DataSet.Boundaries.UPLOAD if uploaded else DataSet.Boundaries.TERRITORIES,
        "options": asdict(options) if options is not None else None,
    }


def _apply(target: DataSet, spec: dict[str, Any]) -> None:
    target.name, target.source, target.year = spec["name"], spec["source"], spec["year"]
    target.groups, target.total_column = spec["groups"], spec["total_column"]
    target.id_column, target.boundaries = spec["id_column"], spec["boundaries"]
    if spec.get("options") is not None:  # read back by dataset_compute when it runs again
        target.results = {**(target.results or {}), "options": spec["options"]}


def _candidate(
    *, city: Territory, user: Actor | None, dataset: DataSet | None, spec: dict[str, Any]
) -> DataSet:
    """The data set as the import will leave it, validated (a copy when replacing one: the
    data set itself changes only when the import writes)."""
    candidate = copy(dataset) if dataset is not None else DataSet(city=city, created_by=user)
    _apply(candidate, spec)
    candidate.full_clean()
    return candidate


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
    """Create (or replace the counts of) a data set from text checked here, whole. Up to
    ``COCITY_INSIGHTS_ASYNC_ROWS`` rows it is written at once; above, the text is queued like
    a large upload (``dataset_import_queued``). ``options``: see ``dataset_compute`` (kept
    with the data set for later computations)."""
    spec = _spec(
        name=name,
        source=source,
        year=year,
        groups=groups,
        total_column=total_column,
        id_column=id_column,
        id_property=id_property,
        uploaded=geojson_text is not None,
        options=options,
    )
    candidate = _candidate(city=city, user=user, dataset=dataset, spec=spec)
    rows = validate_upload(
        city=city,
        groups=groups,
        total_column=total_column,
        id_column=id_column,
        csv_text=csv_text,
        geojson_text=geojson_text,
        id_property=id_property,
    )
    if len(rows) > settings.COCITY_INSIGHTS_ASYNC_ROWS:
        return _queue(
            candidate=candidate,
            dataset=dataset,
            spec=spec,
            counts=ContentFile(csv_text.encode()),
            boundaries=ContentFile(geojson_text.encode()) if geojson_text is not None else None,
            rows_total=len(rows),
        )
    target = dataset or candidate
    _apply(target, spec)
    with transaction.atomic():
        target.status = DataSet.Status.IMPORTING
        if options is not None:  # read back by dataset_compute
            target.results = {"options": asdict(options)}
        target.save()
        _write_units(target, rows)
        dataset_compute(dataset=target, options=options)
        if dataset is None:
            _tell_space_followers(target)
    return target


def _tell_space_followers(dataset: DataSet) -> None:
    """A new data set of a city: the followers of the spaces in the city (or around it) are
    notified (participation.space_news)."""
    participation.space_news(
        spaces=spaces_gathering(territory_path=dataset.city.path, both_ways=True),
        kind="space_publication",
        message=participation.Said(
            gettext_lazy("New data set for %(city)s: %(name)s"),
            {
                "city": (dataset.city, "name"),
                "name": (dataset, "name", f"{{}} ({dataset.year})"),
            },
        ),
        url=dataset.get_absolute_url(),
        actor=dataset.created_by_id,
    )


def dataset_import_queued(
    *,
    city: Territory,
    name: str,
    source: str,
    year: int,
    groups: list[dict[str, str]],
    total_column: str,
    id_column: str,
    counts: File,
    boundaries: File | None = None,
    id_property: str = "code",
    user: Actor | None = None,
    dataset: DataSet | None = None,
    options: ReportOptions | None = None,
) -> DataSet:
    """A large upload (``COCITY_INSIGHTS_ASYNC_BYTES``): only what is cheap is checked here
    (the data set's fields and the counts' header line), then the files are stored as they came
    and ``import_job_run`` checks every line and writes, on the task queue. A new data set is
    created empty ("importing"); a replaced one is left as it is until the task writes."""
    spec = _spec(
        name=name,
        source=source,
        year=year,
        groups=groups,
        total_column=total_column,
        id_column=id_column,
        id_property=id_property,
        uploaded=boundaries is not None,
        options=options,
    )
    candidate = _candidate(city=city, user=user, dataset=dataset, spec=spec)
    line = _header_line(counts)
    if line is not None:
        try:
            check_header(
                line,
                id_column=id_column,
                groups=[g["column"] for g in groups],
                total=total_column or None,
            )
        except InputError as exc:
            raise ValidationError(texts(exc.problems)) from exc
    return _queue(
        candidate=candidate, dataset=dataset, spec=spec, counts=counts, boundaries=boundaries
    )


def _header_line(upload: File) -> str | None:
    """The first line of an upload (``None`` when it is longer than one chunk)."""
    upload.seek(0)
    head = upload.read(CHUNK)
    upload.seek(0)
    text = codecs.getincrementaldecoder("utf-8-sig")(errors="replace").decode(head)
    line, newline, _rest = text.partition("\n")
    if not newline and len(head) >= CHUNK:
        return None
    return line


def _queue(
    *,
    candidate: DataSet,
    dataset: DataSet | None,
    spec: dict[str, Any],
    counts: File,
    boundaries: File | None,
    rows_total: int = 0,
) -> DataSet:
    """Store the files, record the job and enqueue its task when the transaction commits."""
    from .tasks import run_import

    stored = [_store(counts, "csv"), ""]
    try:
        if boundaries is not None:
            stored[1] = _store(boundaries, "geojson")
        with transaction.atomic():
            if dataset is None:
                candidate.status = DataSet.Status.IMPORTING
                candidate.save()
            job = ImportJob.objects.create(
                dataset=dataset or candidate,
                city_id=candidate.city_id,
                created_by_id=candidate.created_by_id,
                spec=spec,
                counts_file=stored[0],
                boundaries_file=stored[1],
                rows_total=rows_total,
            )
            enqueue_with_writes(run_import, job.pk)
    except BaseException:
        _remove(stored)
        raise
    return dataset or candidate


def _store(upload: File, extension: str) -> str:
    upload.seek(0)
    name = f"{UPLOADS}{secrets.token_urlsafe(18)}.{extension}"
    return str(default_storage.save(name, upload))


def _remove(names: Iterable[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


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
    rows_changed(Unit)


# --------------------------------------------------------------------------- the queued import


def import_job_run(*, job_id: int) -> None:
    """Run a queued import, recording its phase and progress for the data set's page: check
    every line ("checking rows"), stage the units in batches ("writing units"), compute the
    indices from what was read ("computing indices"), then, in one short transaction, put the
    staged units, the results and the new name, groups... on the data set. Problems in the file
    fail the job with them, and nothing is written: a new data set stays empty, a replaced one
    keeps its units. Only a job waiting in the queue runs: a finished one (or one another
    worker has taken) is left alone."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING,
        phase=ImportJob.Phase.CHECKING,
        rows_done=0,
        started_at=timezone.now(),
    )
    if not claimed:
        return
    job = ImportJob.objects.select_related("dataset__city", "city").get(pk=job_id)
    try:
        _run(job)
    except InputError as exc:  # the file's problems, shown on the data set's page
        _failed(job, problems=exc.problems)
        if "units" in job.spec:  # the guided import offers to repair the polygons
            repairable = bool(exc.problems) and sources.repairable(exc.problems)
            _progress(job, spec={**job.spec, "repairable": repairable})
    except Exception as exc:  # recorded for the page, then re-raised for the worker's log
        _failed(job, error=str(exc)[:2000])
        raise
    finally:
        cache.delete(LIVE_PROGRESS.format(job_id))
        StagedUnit.objects.filter(job_id=job_id).delete()
        failed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.FAILED).exists()
        if "units" not in job.spec or not failed:
            _remove([job.counts_file, job.boundaries_file])
        # a guided import that failed keeps its files: the person may choose other columns,
        # repair the boundaries, or discard it (import_discard)


def _failed(job: ImportJob, *, problems: Sequence[AnyProblem] = (), error: str = "") -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.FAILED,
        problems=[as_json(p) for p in problems[:SHOWN]],
        problems_total=len(problems),
        error=error,
        finished_at=timezone.now(),
    )
    if job.dataset_id is not None:
        DataSet.objects.filter(pk=job.dataset_id, status=DataSet.Status.IMPORTING).update(
            status=DataSet.Status.FAILED
        )
        rows_changed(DataSet)


def _progress(job: ImportJob, **values: Any) -> None:
    ImportJob.objects.filter(pk=job.pk).update(**values)


def _run(job: ImportJob) -> None:
    dataset, spec = job.dataset, job.spec
    if "units" in spec:  # a guided import (import_configure)
        city = job.city or dataset.city  # type: ignore[union-attr]
        if dataset is not None:
            guided = copy(dataset)
        else:
            guided = DataSet(city=city, created_by_id=job.created_by_id)
        _apply(guided, spec)
        guided.full_clean(exclude=["geography"])  # a new version does not exist yet
        _run_guided(job, city, guided)
        return
    assert dataset is not None  # noqa: S101 (the older imports always have their data set)
    candidate = copy(dataset)
    _apply(candidate, spec)
    options = ReportOptions(**spec["options"]) if spec.get("options") else None
    _progress(job, rows_total=max(_count_lines(job.counts_file) - 1, 0))
    geojson_text = None
    if job.boundaries_file:
        with default_storage.open(job.boundaries_file, "rb") as handle:
            geojson_text = _decoded(handle.read())
    with default_storage.open(job.counts_file, "rb") as handle:
        checked = _check(
            city=dataset.city,
            groups=spec["groups"],
            total_column=spec["total_column"],
            id_column=spec["id_column"],
            lines=_counted(job, _text_lines(handle.chunks(CHUNK))),
            geojson_text=geojson_text,
            id_property=spec["id_property"],
        )
    order = checked.order()
    _progress(job, phase=ImportJob.Phase.WRITING, rows_done=0, rows_total=len(order))
    _stage(job, checked, order)
    _progress(job, phase=ImportJob.Phase.COMPUTING)
    results = _checked_results(candidate, checked, order, options)
    with transaction.atomic():
        target = DataSet.objects.select_for_update().get(pk=dataset.pk)
        new = target.status != DataSet.Status.READY
        _apply(target, spec)
        target.units.all().delete()
        if _move_staged(job, target) != len(order):
            raise RuntimeError("The city's territories changed during the import.")
        target.results, target.computed_at = results, timezone.now()
        target.status = DataSet.Status.READY
        target.save()
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.DONE, rows_done=len(order), finished_at=timezone.now()
        )
        if new:
            _tell_space_followers(target)


def _decoded(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:  # checked when it was sent; a file changed since is refused
        raise InputError([Problem(gettext_noop("The file is not UTF-8 text."), {})]) from None


def _count_lines(name: str) -> int:
    """How many lines a stored file has (for the progress while it is checked)."""
    lines, last = 0, b""
    with default_storage.open(name, "rb") as handle:
        for chunk in handle.chunks(CHUNK):
            lines += chunk.count(b"\n")
            last = chunk or last
    return lines + (1 if last and not last.endswith(b"\n") else 0)


def _text_lines(chunks: Iterable[bytes]) -> Iterator[str]:
    """The lines of UTF-8 text given in chunks, each with its "\\n" (as ``io.StringIO``
    gives them to the reader), never more than one line and one chunk in memory."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    pending: list[str] = []
    try:
        for chunk in chunks:
            parts = decoder.decode(chunk).split("\n")
            if len(parts) == 1:
                pending.append(parts[0])
                continue
            yield "".join([*pending, parts[0], "\n"])
            for part in parts[1:-1]:
                yield part + "\n"
            pending = [parts[-1]]
        rest = "".join([*pending, decoder.decode(b"", final=True)])
    except UnicodeDecodeError:  # checked when it was sent; a file changed since is refused
        raise InputError([Problem(gettext_noop("The file is not UTF-8 text."), {})]) from None
    if rest:
        yield rest


def _counted(job: ImportJob, items: Iterable[_T], every: int | None = None) -> Iterator[_T]:
    """``items`` (lines or numbered records, the header first), recording on the job how many
    rows were read every ``every`` items (``PROGRESS_LINES`` unless given)."""
    every = every or PROGRESS_LINES
    for number, item in enumerate(items):
        if number and number % every == 0:
            _progress(job, rows_done=number - 1)  # the header is not a row
        yield item


def _stage(job: ImportJob, checked: Checked, order: list[int]) -> None:
    """The units, in batches committed one by one (the page sees the count grow); they join
    the data set only in the last step (``_move_staged``)."""
    table, totals, boundaries = checked.table, checked.totals, checked.boundaries
    for start in range(0, len(order), STAGE_BATCH):
        rows = order[start : start + STAGE_BATCH]
        counts, sums = table.counts[rows].tolist(), totals[rows].tolist()
        with transaction.atomic():
            StagedUnit.objects.bulk_create(
                [
                    StagedUnit(
                        job=job,
                        territory_id=checked.places[table.ids[i]][0],
                        counts=counts[k],
                        total=sums[k],
                        boundary=boundaries[i] if boundaries is not None else None,
                    )
                    for k, i in enumerate(rows)
                ]
            )
            _progress(job, rows_done=start + len(rows))


def _move_staged(job: ImportJob, dataset: DataSet) -> int:
    """Copy the job's staged units into the data set in one statement, remove them, and say
    how many were copied."""
    quote = connection.ops.quote_name

    def column(model: type[models.Model], name: str) -> str:
        field = model._meta.get_field(name)
        assert isinstance(field, models.Field) and field.column  # noqa: S101 (for the types)
        return quote(field.column)

    names = ["territory", "counts", "total", "boundary"]
    unit = ", ".join(column(Unit, n) for n in names)
    staged = ", ".join(column(StagedUnit, n) for n in names)
    into, source = quote(Unit._meta.db_table), quote(StagedUnit._meta.db_table)
    # Every name comes from the models; the two values are parameters.
    sql = (
        f"INSERT INTO {into} ({column(Unit, 'dataset')}, {unit}) "  # noqa: S608
        f"SELECT %s, {staged} FROM {source} WHERE {column(StagedUnit, 'job')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [dataset.pk, job.pk])
        moved = int(cursor.rowcount)
    StagedUnit.objects.filter(job=job).delete()
    rows_changed(Unit)
    return moved


def _checked_results(
    dataset: DataSet, checked: Checked, order: list[int], options: ReportOptions | None
) -> dict[str, Any]:
    """``dataset_compute``'s results, from the rows read (no unit is loaded back)."""
    table = checked.table
    codes = [table.ids[i] for i in order]
    counts, totals = table.counts[order], checked.totals[order]
    if checked.boundaries is not None:
        geometries = [checked.boundaries[i] for i in order]
    else:
        geometries = _territory_boundaries(dataset.city, codes)
    results = _report(dataset, codes, counts, totals, geometries, options)
    results["comparison"] = _comparison(dataset, multigroup_table(counts, totals))
    return results


def _territory_boundaries(city: Territory, codes: list[str]) -> list[dict[str, Any] | None]:
    found = dict(
        Territory.objects.filter(path__startswith=city.path, boundary__isnull=False)
        .values_list("code", "boundary")
        .iterator(chunk_size=10_000)
    )
    return [found.get(code) for code in codes]


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
    counts = np.array([u.counts for u in units], dtype=np.int64).reshape(len(units), -1)
    total = np.array([u.total for u in units], dtype=np.int64)
    codes = [u.territory.code for u in units]
    return _report(dataset, codes, counts, total, [u.geometry() for u in units], options)


def _report(
    dataset: DataSet,
    codes: list[str],
    counts: np.ndarray,
    total: np.ndarray,
    geometries: Sequence[dict[str, Any] | None],
    options: ReportOptions | None,
) -> dict[str, Any]:
    shapes = None
    if codes and all(geometries):
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
    """Multigroup dissimilarity now against the previous year's data set for the same groups,
    tested as the comparison page tests it (``comparison.permutation_test``: the earlier data set
    first, the same seed and permutations), so the two pages give the same p-value."""
    previous = (
        DataSet.objects.filter(city_id=dataset.city_id, status=DataSet.Status.READY)
        .exclude(pk=dataset.pk)
        .filter(year__lt=dataset.year)
        .order_by("-year", "-id")
    )
    for other in previous:
        if other.groups_key != dataset.groups_key or other.group_columns != dataset.group_columns:
            continue
        before = multigroup_table(*selectors.dataset_table(other, dataset.group_columns))
        if before.shape[1] != table.shape[1] or table.shape[1] < 2:
            return None
        result = comparison.permutation_test(
            inference.multigroup_statistic("dissimilarity"), before, table
        )
        if result is None:
            return None
        return {
            "index": "multigroup dissimilarity",
            "year": dataset.year,
            "previous_year": other.year,
            "previous_id": other.pk,
            "value": result.statistic_2,
            "previous_value": result.statistic_1,
            "difference": result.statistic_2 - result.statistic_1,
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
    """Delete a data set, and the stored uploads of its imports still waiting or running."""
    waiting = dataset.imports.exclude(
        status__in=[ImportJob.Status.DONE, ImportJob.Status.FAILED]
    ).values_list("counts_file", "boundaries_file")
    names = [name for pair in waiting for name in pair]
    dataset.delete()
    _remove(names)


# --------------------------------------------------------------------------- the guided import
#
# Upload (``import_upload``: the files stored as they came, read only far enough to show their
# first rows, columns, encoding, projection), then the person's choice of columns and units
# (``import_configure``: remembered for the next file of the same source, a confirmation before
# a data set of the same year is replaced), then the task (``import_job_run``) checks every
# line and feature, and only when nothing is wrong writes the units, the places they bring and
# the data set, in one transaction. A failed check keeps the files for another choice or a
# repair, and writes nothing else.

UNITS_PLACES = "places"  # the places of the tree, matched by their codes
UNITS_NEW = "new"  # the file's own units: a new version of the city's geography
TABLE_NAMES = ("csv", "tsv", "txt", "xlsx")
BOUNDARY_NAMES = ("geojson", "json", "gpkg", "zip")


class ReplaceNeeded(Exception):
    """The choice would replace a data set of the same year: ask first."""

    def __init__(self, dataset: DataSet):
        super().__init__(str(dataset))
        self.dataset = dataset


@contextlib.contextmanager
def _local_file(name: str) -> Iterator[str]:
    """A stored upload as a path on this machine (the readers open files by path; GDAL reads
    GeoPackages and zips by seeking): the storage's own path when it has one, else a copy."""
    try:
        local = default_storage.path(name)
    except NotImplementedError:
        local = ""
    if local and Path(local).is_file():
        yield local
        return
    with (
        tempfile.NamedTemporaryFile(suffix=Path(name).suffix) as copy_,
        default_storage.open(name, "rb") as handle,
    ):
        for chunk in handle.chunks(CHUNK):
            copy_.write(chunk)
        copy_.flush()
        yield copy_.name


def _extension(filename: str) -> str:
    return Path(filename or "").suffix.lower().lstrip(".")


def import_upload(
    *, city: Territory, user: Actor | None, counts: File, boundaries: File | None = None
) -> ImportJob:
    """Store the files and read their heads (``sources.inspect_table``/``inspect_boundaries``:
    kind by content, encoding, delimiter, columns, first rows, projection). A file that cannot
    be read is refused with its problems and nothing is kept."""
    problems: list[AnyProblem] = []
    counts_name = Path(getattr(counts, "name", "") or "counts.csv").name[:200]
    boundaries_name = Path(getattr(boundaries, "name", "") or "").name[:200]
    uploads.check_size(counts, "csv")
    if boundaries is not None:
        uploads.check_size(boundaries, "geodata")
    stored = [_store(counts, _extension(counts_name) or "csv"), ""]
    try:
        if boundaries is not None:
            stored[1] = _store(boundaries, _extension(boundaries_name) or "geojson")
        inspected: dict[str, Any] = {}
        with _local_file(stored[0]) as path:
            try:
                inspected["table"] = sources.inspect_table(path, filename=counts_name).as_json()
            except InputError as exc:
                problems += exc.problems
        if stored[1]:
            with _local_file(stored[1]) as path:
                try:
                    layer = sources.inspect_boundaries(path, filename=boundaries_name)
                    inspected["layer"] = layer.as_json()
                except InputError as exc:
                    problems += exc.problems
        if problems:
            raise ValidationError(texts(problems))
        job = ImportJob.objects.create(
            city=city,
            created_by_id=user.pk if user is not None else None,
            status=ImportJob.Status.DRAFT,
            counts_file=stored[0],
            boundaries_file=stored[1],
            counts_name=counts_name,
            boundaries_name=boundaries_name,
            inspected=inspected,
        )
    except BaseException:
        _remove(stored)
        raise
    return job


def _signature(job: ImportJob) -> str:
    """The same source: a counts file of the same kind with the same columns (next year's
    counts often come without the boundaries, which the version the choice names holds)."""
    table = job.inspected.get("table") or {}
    key = json.dumps([table.get("kind"), sorted(table.get("columns") or [])])
    return hashlib.sha256(key.encode()).hexdigest()


def _guess(columns: list[str], words: Sequence[str]) -> str:
    for word in words:
        for column in columns:
            if column.strip().lower() == word:
                return column
    for word in words:
        for column in columns:
            if word in column.strip().lower():
                return column
    return ""


def import_choice_initial(job: ImportJob) -> dict[str, Any]:
    """What the columns form starts from: the choice made for the last file of the same source
    in this city, else a guess from the columns' names."""
    remembered = ColumnChoice.objects.filter(city_id=job.city_id, signature=_signature(job)).first()
    if remembered is not None:
        return {**remembered.choice, "remembered": True}
    table = job.inspected.get("table") or {}
    layer = job.inspected.get("layer") or {}
    columns = list(table.get("columns") or [])
    code = _guess(columns, ("code", "id", "insee", "iris", "geo_code", "unit", "ags"))
    name = _guess([c for c in columns if c != code], ("name", "nom", "label", "libelle", "lib"))
    total = _guess(
        [c for c in columns if c not in (code, name)], ("total", "population", "pop", "ensemble")
    )
    properties = list(layer.get("columns") or [])
    return {
        "code_column": code,
        "name_column": name,
        "total_column": total,
        "groups": [{"column": c, "label": c} for c in columns if c not in (code, name, total)],
        "code_property": _guess(properties, (code.lower(), "code", "id", "insee", "iris"))
        if properties
        else "",
        "name_property": _guess(properties, ("name", "nom", "label", "libelle"))
        if properties
        else "",
        "units": UNITS_NEW if properties else UNITS_PLACES,
        "geography_name": "",
        "geography_version": "",
        "remembered": False,
    }


def same_year(*, city: Territory, year: int, groups: list[dict[str, str]]) -> DataSet | None:
    """The ready data set of the city for the same year and the same groups: the one an import
    of that year replaces (two data sets of the same date are never a change over time)."""
    columns = sorted(g["column"] for g in groups)
    for dataset in DataSet.objects.filter(city=city, year=year, status=DataSet.Status.READY).defer(
        "results"
    ):
        if sorted(dataset.group_columns) == columns:
            return dataset
    return None


def import_configure(
    *, job: ImportJob, choice: dict[str, Any], replace: bool = False, repair: bool = False
) -> ImportJob:
    """Record the person's choice, remember it for the source, and queue the check and the
    import. ``choice``: name, source, year, code_column, name_column, groups ([{column,
    label}]), total_column, units (``UNITS_PLACES``, ``UNITS_NEW`` or a geography's id),
    geography_name, geography_version, code_property, name_property. Raises
    ``ValidationError`` for a choice that cannot be right (columns not in the file...), and
    ``ReplaceNeeded`` when it would replace a data set of the same year unless ``replace``."""
    if job.status not in (ImportJob.Status.DRAFT, ImportJob.Status.FAILED):
        raise ValidationError(_("This import has already started."))
    city = job.city
    assert city is not None  # noqa: S101 (every guided import has its city)
    table = job.inspected.get("table") or {}
    layer = job.inspected.get("layer") or {}
    columns = list(table.get("columns") or [])
    properties = list(layer.get("columns") or [])
    groups = [g for g in choice.get("groups") or [] if g.get("column")]
    errors: dict[str, list[str]] = {}

    def error(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    wanted = {"code_column": choice.get("code_column") or ""}
    if choice.get("total_column"):
        wanted["total_column"] = choice["total_column"]
    if choice.get("name_column"):
        wanted["name_column"] = choice["name_column"]
    for field, column in wanted.items():
        if column not in columns:
            error(field, _("The file has no column “%(column)s”.") % {"column": column})
    for group in groups:
        if group["column"] not in columns:
            error("groups", _("The file has no column “%(column)s”.") % {"column": group["column"]})
    units = str(choice.get("units") or UNITS_PLACES)
    geography: Geography | None = None
    if units not in (UNITS_PLACES, UNITS_NEW):
        geography = Geography.objects.filter(city=city, pk=units if units.isdigit() else 0).first()
        if geography is None:
            error("units", _("Choose the units of this city the file uses."))
    if job.boundaries_file:
        if choice.get("code_property") not in properties:
            error("code_property", _("Choose the boundaries' code property."))
        if choice.get("name_property") and choice["name_property"] not in properties:
            error("name_property", _("Choose the boundaries' name property."))
    if units == UNITS_NEW:
        if not (choice.get("geography_name") or "").strip():
            error("geography_name", _("Name these units (for example “Census districts”)."))
        if not (choice.get("geography_version") or "").strip():
            error("geography_version", _("Say which version these units are (for example 2021)."))
        elif Geography.objects.filter(
            city=city, name=choice["geography_name"].strip(), version=choice["geography_version"]
        ).exists():
            error(
                "geography_version",
                _("These units already exist in this version: choose them instead."),
            )
    if errors:
        raise ValidationError(errors)
    spec = _spec(
        name=choice["name"],
        source=choice.get("source") or "",
        year=int(choice["year"]),
        groups=groups,
        total_column=choice.get("total_column") or "",
        id_column=choice["code_column"],
        id_property=choice.get("code_property") or "",
        uploaded=bool(job.boundaries_file) or units != UNITS_PLACES,
        options=None,
    )
    spec.update(
        {
            "units": units,
            "name_column": choice.get("name_column") or "",
            "name_property": choice.get("name_property") or "",
            "geography_name": (choice.get("geography_name") or "").strip(),
            "geography_version": (choice.get("geography_version") or "").strip(),
            "repair": repair,
        }
    )
    replaced = same_year(city=city, year=spec["year"], groups=groups)
    _candidate(city=city, user=None, dataset=replaced, spec=spec)
    if replaced is not None and not replace:
        raise ReplaceNeeded(replaced)
    # the name too (next year's file of a source is the same data set), not the year
    remembered = {k: v for k, v in choice.items() if k not in ("year", "remembered")}
    with transaction.atomic():
        ColumnChoice.objects.update_or_create(
            city=city,
            signature=_signature(job),
            defaults={"choice": remembered, "updated_at": timezone.now()},
        )
        job.spec, job.dataset = spec, replaced
        job.status, job.phase = ImportJob.Status.QUEUED, ""
        job.problems, job.problems_total, job.error, job.repairs = [], 0, "", []
        job.rows_done = 0
        job.save()
        from .tasks import run_import

        enqueue_with_writes(run_import, job.pk)
    return job


def import_discard(*, job: ImportJob) -> None:
    """Forget an import that has not written: its stored files and its record."""
    if job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING):
        raise ValidationError(_("This import is running."))
    _remove([job.counts_file, job.boundaries_file])
    if job.dataset_id is None or job.status != ImportJob.Status.DONE:
        job.delete()


@dataclass
class _Place:
    """Where a unit of a guided import goes: its place of the tree (``territory_id`` None for
    a new unit, created under the city when the import writes), the code it will have there,
    its name and the boundary the import gives it."""

    territory_id: int | None
    territory_code: str
    name: str
    boundary: dict[str, Any] | None
    path: str  # the place's path in the tree: units are read and computed in its order


def _territory_code(city: Territory, code: str, taken: set[str]) -> str:
    """The code of a new unit's place: the city's code and the unit's ("FR-MRS-13201"), or a
    short hash of the unit's code where that is not a valid, free territory code."""
    wanted = re.sub(r"[^A-Z0-9_-]", "-", f"{city.code}-{code}".upper())
    if len(wanted) > 32 or wanted in taken:
        digest = hashlib.sha1(code.encode(), usedforsecurity=False).hexdigest()[:10].upper()
        wanted = f"{city.code[:21]}-{digest}"
        while wanted in taken:
            wanted = f"{wanted[:-1]}{secrets.choice('0123456789')}"
    taken.add(wanted)
    return wanted


def _places_of(
    city: Territory, spec: dict[str, Any], boundaries: sources.Boundaries | None
) -> dict[str, _Place]:
    """Each unit code the counts may use, with its place (see ``_Place``)."""
    units = spec["units"]
    file_shapes: dict[str, tuple[str | None, dict[str, Any]]] = {}
    if boundaries is not None:
        names: Sequence[str | None] = boundaries.names or [None] * len(boundaries.codes)
        file_shapes = {
            code: (name, geometry)
            for code, name, geometry in zip(
                boundaries.codes, names, boundaries.geometries, strict=True
            )
        }
    if units == UNITS_PLACES:
        tree = Territory.objects.filter(path__startswith=city.path).exclude(pk=city.pk)
        return {
            code: _Place(pk, code, name, file_shapes.get(code, (None, None))[1], path)
            for code, pk, name, path in tree.values_list("code", "id", "name", "path").iterator(
                10_000
            )
        }
    if units != UNITS_NEW:
        areas = GeographyArea.objects.filter(geography_id=int(units)).select_related("territory")
        return {
            a.code: _Place(
                a.territory_id,
                a.territory.code,
                a.name,
                file_shapes[a.code][1] if a.code in file_shapes else a.boundary,
                a.territory.path,
            )
            for a in areas.iterator(10_000)
        }
    # New units: those of the boundaries file (when there is one: every count needs its
    # boundary), or any code of the counts. A code that is already a place of the city (from
    # an earlier version) keeps that place.
    existing = {
        code: (pk, path)
        for code, pk, path in Territory.objects.filter(path__startswith=city.path).values_list(
            "code", "id", "path"
        )
    }
    # every code a new place may take starts with the city's (``_territory_code``): only the
    # places whose code does are read, not the whole tree
    taken = set(
        Territory.objects.filter(code__startswith=city.code[:21])
        .values_list("code", flat=True)
        .iterator(10_000)
    )
    if boundaries is None:
        return _NewPlaces(city, existing, taken)
    return {
        code: _new_place(city, code, name or code, geometry, existing, taken)
        for code, (name, geometry) in file_shapes.items()
    }


def _new_place(
    city: Territory,
    code: str,
    name: str,
    geometry: dict[str, Any] | None,
    existing: dict[str, tuple[int, str]],
    taken: set[str],
) -> _Place:
    for candidate in (code, f"{city.code}-{code}"):
        if candidate in existing:
            pk, path = existing[candidate]
            return _Place(pk, candidate, name, geometry, path)
    new_code = _territory_code(city, code, taken)
    return _Place(None, new_code, name, geometry, f"{city.path}{new_code}/")


class _NewPlaces(dict[str, _Place]):
    """New units without a boundaries file: any code of the counts is a unit (made on demand)."""

    def __init__(self, city: Territory, existing: dict[str, tuple[int, str]], taken: set[str]):
        super().__init__()
        self.city, self.existing, self.taken = city, existing, taken

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and bool(code)

    def __missing__(self, code: str) -> _Place:
        place = _new_place(self.city, code, code, None, self.existing, self.taken)
        self[code] = place
        return place


def live_progress_set(job_id: int, **values: Any) -> None:
    """How far the import's last transaction has written. The job's row cannot show it before
    the commit; the shared cache can (Redis in production: the worker and the web processes
    share it). With a cache of each process's own, the page shows the phase without a length."""
    # plain values (a phase as its text, not the enum): any reader unpickles them
    plain = {key: str(value) if isinstance(value, str) else value for key, value in values.items()}
    cache.set(LIVE_PROGRESS.format(job_id), plain, 3600)


def _progress_step(rows_total: int) -> int:
    """How often a guided import records the rows read: about every hundredth of the file
    (every 1,000 rows at least, ``PROGRESS_LINES`` at most), so that the bar moves."""
    return min(PROGRESS_LINES, max(1_000, rows_total // 100))


def _run_guided(job: ImportJob, city: Territory, candidate: DataSet) -> None:
    """Check every row and feature of a guided import (all problems at once, nothing written),
    compute the indices from what was read, then write in one transaction: the new units'
    places and geography version, the units, the data set."""
    spec = job.spec
    info = sources.TableInfo.from_json(job.inspected["table"])
    rows_total = info.rows
    if rows_total is None and info.kind == "csv":  # a large file: its lines, for the progress
        rows_total = max(_count_lines(job.counts_file) - 1, 0)
    _progress(job, rows_total=rows_total or 0)
    problems: list[AnyProblem] = []
    boundaries: sources.Boundaries | None = None
    if job.boundaries_file:
        with _local_file(job.boundaries_file) as path:
            try:
                boundaries = sources.read_boundaries(
                    path,
                    filename=job.boundaries_name,
                    code_property=spec["id_property"],
                    name_property=spec.get("name_property") or None,
                    repair=bool(spec.get("repair")),
                )
            except InputError as exc:
                problems += exc.problems
    if boundaries is not None and boundaries.repairs:
        _progress(job, repairs=[as_json(p) for p in boundaries.repairs[:SHOWN]])
    places = _places_of(city, spec, boundaries)
    units = spec["units"]
    name_at: dict[str, str] = {}

    counted: set[str] = set()

    def unknown(code: str, line: int) -> Problem | None:
        counted.add(code)
        if code in places:
            return None
        if units == UNITS_PLACES:
            return Problem(
                gettext_noop("Line %(line)d: unknown territory code “%(code)s” in %(city)s."),
                {"line": line, "code": code[:40], "city": city.name},
            )
        if units == UNITS_NEW:
            return Problem(
                gettext_noop("Line %(line)d: no boundary for the unit “%(code)s”."),
                {"line": line, "code": code[:40]},
            )
        return Problem(
            gettext_noop("Line %(line)d: “%(code)s” is not a unit of this version."),
            {"line": line, "code": code[:40]},
        )

    table = None
    with _local_file(job.counts_file) as path:
        try:
            records = _counted(
                job, sources.table_records(path, info), _progress_step(rows_total or 0)
            )
            if spec.get("name_column"):
                records = _names_from(
                    records, code=spec["id_column"], name=spec["name_column"], names=name_at
                )
            table = parse_records(
                records,
                id_column=spec["id_column"],
                groups=[g["column"] for g in spec["groups"]],
                total=spec["total_column"] or None,
                id_key=str.upper,
                id_problem=unknown,
            )
        except InputError as exc:
            problems += exc.problems
    if boundaries is not None and units == UNITS_NEW:
        for code, feature in zip(boundaries.codes, boundaries.features, strict=True):
            if code not in counted:
                problems.append(
                    Problem(
                        gettext_noop("Feature %(number)d: “%(code)s” is not in the counts."),
                        {"number": feature, "code": code[:40]},
                    )
                )
    if problems or table is None:
        raise InputError(problems)
    rows = [places[code] for code in table.ids]
    for code, place in zip(table.ids, rows, strict=True):
        if code in name_at and place.territory_id is None:
            place.name = name_at[code][:200] or place.name
    order = sorted(range(len(rows)), key=lambda i: rows[i].path)  # as dataset_compute reads
    totals = table.counts.sum(axis=1) if table.total is None else table.total
    _progress(job, phase=ImportJob.Phase.COMPUTING, rows_done=len(order), rows_total=len(order))
    counts, totals = table.counts[order], totals[order]
    codes = [rows[i].territory_code for i in order]
    geometries: Sequence[dict[str, Any] | None] = [rows[i].boundary for i in order]
    if units == UNITS_PLACES and boundaries is None:
        geometries = _territory_boundaries(city, codes)
    results = _report(candidate, codes, counts, totals, geometries, None)
    results["comparison"] = _comparison(candidate, multigroup_table(counts, totals))
    # a new place is created with the unit's boundary: its unit reads it there (not a copy)
    created = {i for i in order if rows[i].territory_id is None}
    phase = ImportJob.Phase.PLACES if created else ImportJob.Phase.WRITING
    steps = len(created) + (len(order) if units == UNITS_NEW else 0) + len(order)
    _progress(job, phase=phase, rows_done=0, rows_total=steps)
    written = [0]

    def advance(n: int) -> None:
        written[0] += n
        live_progress_set(job.pk, phase=phase, rows_done=written[0], rows_total=steps)

    with transaction.atomic():
        geography = _write_places(
            job, city, spec, [(table.ids[i], rows[i]) for i in order], advance
        )
        if units == UNITS_NEW and geography is not None:
            _remember_version(job, geography)
        if job.dataset_id is not None:
            target = DataSet.objects.select_for_update().get(pk=job.dataset_id)
            target.units.all().delete()
        else:
            target = candidate
        new = target.pk is None
        _apply(target, spec)
        target.geography = geography
        target.results, target.computed_at = results, timezone.now()
        target.status = DataSet.Status.READY
        target.save()
        keep_boundary = units != UNITS_PLACES or boundaries is not None
        for start in range(0, len(order), STAGE_BATCH):
            Unit.objects.bulk_create(
                [
                    Unit(
                        dataset=target,
                        territory_id=rows[i].territory_id or 0,  # every place exists by now
                        counts=counts[k].tolist(),
                        total=int(totals[k]),
                        boundary=rows[i].boundary if keep_boundary and i not in created else None,
                    )
                    for k, i in enumerate(order[start : start + STAGE_BATCH], start=start)
                ]
            )
            advance(min(STAGE_BATCH, len(order) - start))
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.DONE,
            dataset=target,
            rows_done=len(order),
            finished_at=timezone.now(),
        )
        if new:
            _tell_space_followers(target)


def _remember_version(job: ImportJob, geography: Geography) -> None:
    """The next file of the same source most often counts the same areas: its import starts
    from the version this one made (another census is a choice away)."""
    remembered = ColumnChoice.objects.filter(city_id=job.city_id, signature=_signature(job)).first()
    if remembered is not None and remembered.choice.get("units") == UNITS_NEW:
        remembered.choice = {**remembered.choice, "units": str(geography.pk)}
        remembered.save(update_fields=["choice"])


def _names_from(
    records: Iterable[tuple[int, list[str]]], *, code: str, name: str, names: dict[str, str]
) -> Iterator[tuple[int, list[str]]]:
    """``records`` as they come, noting each unit's name (by its code, in capitals) from the
    name column the person chose; the first record is the header."""
    iterator = iter(records)
    first = next(iterator, None)
    if first is None:
        return
    yield first
    header = [str(c).strip() for c in first[1]]
    if code not in header or name not in header:
        yield from iterator
        return
    code_at, name_at = header.index(code), header.index(name)
    for line, cells in iterator:
        if len(cells) > max(code_at, name_at):
            names[str(cells[code_at]).strip().upper()] = str(cells[name_at]).strip()
        yield line, cells


def _crs_label(crs: str | None, name: str | None) -> str:
    """ "EPSG:2154 (RGF93 v1 / Lambert-93)", as the import page showed it."""
    if crs and name and name != crs:
        return f"{crs} ({name})"[:200]
    return (crs or name or "")[:200]


def _write_places(
    job: ImportJob,
    city: Territory,
    spec: dict[str, Any],
    rows: list[tuple[str, _Place]],
    advance: Callable[[int], None],
) -> Geography | None:
    """The places a guided import brings (new units under the city) and the version of the
    city's geography it uses; fills each new row's ``territory_id``. ``advance(n)`` after each
    batch of n rows written."""
    units = spec["units"]
    if units == UNITS_PLACES:
        return None
    if units != UNITS_NEW:
        return Geography.objects.get(pk=int(units))
    layer = job.inspected.get("layer") or {}
    geography = Geography.objects.create(
        city=city,
        name=spec["geography_name"][:200],
        version=spec["geography_version"][:40],
        source=spec.get("source", "")[:300],
        crs=_crs_label(layer.get("crs"), layer.get("crs_name")),
        created_by_id=job.created_by_id,
    )
    new = [place for _code, place in rows if place.territory_id is None]
    for start in range(0, len(new), STAGE_BATCH):
        batch = new[start : start + STAGE_BATCH]
        created = Territory.objects.bulk_create(
            [
                Territory(
                    name=place.name[:200],
                    code=place.territory_code,
                    kind=Territory.Kind.NEIGHBOURHOOD,
                    parent=city,
                    path=f"{city.path}{place.territory_code}/",
                    depth=city.depth + 1,
                    boundary=place.boundary,
                )
                for place in batch
            ]
        )
        if created and created[0].pk is None:  # databases that do not return the ids
            ids = dict(
                Territory.objects.filter(code__in=[p.territory_code for p in batch]).values_list(
                    "code", "id"
                )
            )
            for place in batch:
                place.territory_id = ids[place.territory_code]
        else:
            for place, territory in zip(batch, created, strict=True):
                place.territory_id = territory.pk
        advance(len(batch))
    for start in range(0, len(rows), STAGE_BATCH):
        batch_rows = rows[start : start + STAGE_BATCH]
        GeographyArea.objects.bulk_create(
            [
                GeographyArea(
                    geography=geography,
                    code=code[:64],
                    name=place.name[:200],
                    territory_id=place.territory_id or 0,  # set above for the new ones
                    boundary=place.boundary,
                )
                for code, place in batch_rows
            ]
        )
        advance(len(batch_rows))
    return geography
