"""Writes for the insights platform: importing a data set (validated first, every problem with
its line, nothing written when any is found), computing its indices with the core, and the
background import of large files (stored as they came; a task checks every line, then writes).
"""

from __future__ import annotations

import codecs
import io
import secrets
from collections.abc import Iterable, Iterator, Sequence
from copy import copy
from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np
import shapely
import shapely.geometry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cocity.accounts.types import Actor
from cocity.core import geojson
from cocity.core.geojson import GeoJSONError
from cocity.core.queue import enqueue_with_writes
from cocity.network.models import Territory
from cocity.network.selectors.hubs import spaces_gathering
from cocity.participation import services as participation

from . import inference
from .io import CountsTable, InputError, Problem, check_header, parse_counts
from .models import DataSet, ImportJob, StagedUnit, Unit
from .problems import SHOWN, AnyProblem, as_json, texts
from .report import ReportOptions, compute_report, multigroup_table

BATCH = 1000  # units per INSERT when a small import writes them
STAGE_BATCH = 5000  # units per transaction when a queued import stages them (progress after each)
PROGRESS_LINES = 20_000  # a queued import records how far it has read every so many lines
CHUNK = 65_536  # bytes read at a time from a stored upload
# Where queued uploads wait for their task, in the default storage. /media/ serves only files a
# model registers (cocity.core.media), and none registers this folder; the task deletes them.
UPLOADS = "private/insights-imports/"


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

    def unknown(code: str, line: int) -> Problem | None:
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
        message=_("New data set for %(city)s: %(name)s")
        % {"city": dataset.city.name, "name": str(dataset)},
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
    job = ImportJob.objects.select_related("dataset__city").get(pk=job_id)
    try:
        _run(job)
    except InputError as exc:  # the file's problems, shown on the data set's page
        _failed(job, problems=exc.problems)
    except Exception as exc:  # recorded for the page, then re-raised for the worker's log
        _failed(job, error=str(exc)[:2000])
        raise
    finally:
        StagedUnit.objects.filter(job_id=job_id).delete()
        _remove([job.counts_file, job.boundaries_file])


def _failed(job: ImportJob, *, problems: Sequence[AnyProblem] = (), error: str = "") -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.FAILED,
        problems=[as_json(p) for p in problems[:SHOWN]],
        problems_total=len(problems),
        error=error,
        finished_at=timezone.now(),
    )
    DataSet.objects.filter(pk=job.dataset_id, status=DataSet.Status.IMPORTING).update(
        status=DataSet.Status.FAILED
    )


def _progress(job: ImportJob, **values: Any) -> None:
    ImportJob.objects.filter(pk=job.pk).update(**values)


def _run(job: ImportJob) -> None:
    dataset, spec = job.dataset, job.spec
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


def _counted(job: ImportJob, lines: Iterable[str]) -> Iterator[str]:
    """``lines``, recording on the job how many data lines were read, every so often."""
    for number, line in enumerate(lines):
        if number and number % PROGRESS_LINES == 0:
            _progress(job, rows_done=number - 1)  # the header is not a row
        yield line


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
    """Delete a data set, and the stored uploads of its imports still waiting or running."""
    waiting = dataset.imports.exclude(
        status__in=[ImportJob.Status.DONE, ImportJob.Status.FAILED]
    ).values_list("counts_file", "boundaries_file")
    names = [name for pair in waiting for name in pair]
    dataset.delete()
    _remove(names)
