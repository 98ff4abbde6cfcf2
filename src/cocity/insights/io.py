"""Reading neighbourhood data for the insights core: a CSV of counts and GeoJSON boundaries.

Plain Python, numpy and shapely (no Django). Every problem is reported with where it is (the
CSV line, counting the header as line 1, or the GeoJSON feature number) through ``InputError``;
nothing is returned when anything is wrong.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from cocity.core import geojson

MAX_REPORTED = 20


def gettext_noop(message: str) -> str:
    """Marks a message for the French catalogue (``makemessages`` finds it by this name)
    without importing Django: the pages translate it, the command prints it as it is."""
    return message


@dataclass(frozen=True)
class Problem:
    """One problem: ``message`` (English, with ``%(name)s`` placeholders, in the catalogue)
    and its values. ``str()`` gives the English text."""

    message: str
    params: dict[str, Any]

    def __str__(self) -> str:
        return self.message % self.params


class InputError(ValueError):
    """Bad input; ``problems`` lists every problem found (``str()`` shows MAX_REPORTED)."""

    def __init__(self, problems: Sequence[Problem | geojson.GeoJSONError | str]):
        self.problems = list(problems)
        shown = [str(p) for p in self.problems[:MAX_REPORTED]]
        more = "" if len(problems) <= MAX_REPORTED else f"\n... and {len(problems) - 20} more"
        super().__init__("\n".join(shown) + more)


@dataclass(frozen=True)
class CountsTable:
    ids: list[str]
    groups: list[str]
    counts: NDArray[np.int64]  # units x groups
    total: NDArray[np.int64] | None  # the total column, when given
    lines: list[int] = field(default_factory=list)  # each unit's line (the header is line 1)


def _whole_number(text: str) -> int | None:
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        return None
    if not math.isfinite(value) or value != int(value):
        return None
    return int(value)


class Formula(str):
    """A spreadsheet cell holding a formula (its text, ``=SUM(B2:C2)``) rather than a value:
    ``parse_records`` refuses it in a column it uses (the value is whatever Excel last computed,
    which a file saved by another program may not even hold)."""

    __slots__ = ()


def _records(lines: Iterable[str], **reader: Any) -> Iterator[tuple[int, list[str]]]:
    """Each CSV record with its number (the header is line 1); ``reader``: ``csv.reader``
    options (the delimiter a file was found to use). A record the csv module cannot read is an
    ``InputError`` at its line: a cell longer than its limit (``csv.field_size_limit``, 128 KiB
    unless changed), which bounds the memory one cell takes, or a broken quote."""
    records = csv.reader(lines, **reader)
    line = 1
    while True:
        try:
            row = next(records)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field limit" in str(exc):
                problem = Problem(
                    gettext_noop("Line %(line)d: a cell is longer than %(limit)d characters."),
                    {"line": line, "limit": csv.field_size_limit()},
                )
            else:
                problem = Problem(
                    gettext_noop("Line %(line)d: not a readable CSV line."), {"line": line}
                )
            raise InputError([problem]) from exc
        yield line, row
        line += 1


def read_counts_csv(
    path: str | Path, *, id_column: str, groups: list[str], total: str | None = None
) -> CountsTable:
    """``parse_counts`` of a CSV file (UTF-8, with or without a byte order mark)."""
    try:
        handle = Path(path).open(newline="", encoding="utf-8-sig")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise InputError([f"cannot read {path}: {exc.strerror}."]) from exc
    with handle:
        return parse_counts(handle, id_column=id_column, groups=groups, total=total)


def header_problems(header: list[str], wanted: list[str]) -> list[Problem]:
    """One problem per column of ``wanted`` that the header (stripped cells) lacks."""
    return [
        Problem(gettext_noop("Line 1: missing column %(column)s."), {"column": c})
        for c in wanted
        if c not in header
    ]


def check_header(line: str, *, id_column: str, groups: list[str], total: str | None) -> None:
    """The header line alone (what a queued import checks before it is stored): the same
    problems as ``parse_counts`` gives for it, as an ``InputError``."""
    records = _records([line]) if line.strip() else iter(())
    first = next(records, None)
    if first is None:
        raise InputError([Problem(gettext_noop("The file has no rows."), {})])
    wanted = [id_column, *groups, *([total] if total else [])]
    missing = header_problems([c.strip() for c in first[1]], wanted)
    if missing:
        raise InputError(missing)


def parse_counts(
    lines: Iterable[str],
    *,
    id_column: str,
    groups: list[str],
    total: str | None = None,
    id_key: Callable[[str], str] | None = None,
    id_problem: Callable[[str, int], Problem | str | None] | None = None,
) -> CountsTable:
    """``parse_records`` of CSV text (comma-separated)."""
    return parse_records(
        _records(lines),
        id_column=id_column,
        groups=groups,
        total=total,
        id_key=id_key,
        id_problem=id_problem,
    )


def parse_records(
    records: Iterable[tuple[int, list[str]]],
    *,
    id_column: str,
    groups: list[str],
    total: str | None = None,
    id_key: Callable[[str], str] | None = None,
    id_problem: Callable[[str, int], Problem | str | None] | None = None,
) -> CountsTable:
    """Read one row per unit from numbered records (``(line, cells)``, the header first: a CSV
    file's or a spreadsheet's, see ``sources.table_records``): an id, whole non-negative counts
    per group and maybe a total column (without it, each unit's total is the sum of its groups).
    The one reader of counts files, for the command and the pages' import. ``id_key`` normalises
    the ids (the pages compare territory codes in capitals); ``id_problem(id, line)`` adds the
    caller's own check of each id (the pages': a territory of the city). A ``Formula`` cell in a
    column it uses is a problem. Every problem is reported at once, with its line."""
    if not groups:
        raise InputError(["no groups given."])
    if len(set(groups)) != len(groups):
        raise InputError(["a group is named twice."])
    columns = [*groups, *([total] if total else [])]
    problems: list[Problem | str] = []
    ids: list[str] = []
    rows: list[list[int]] = []
    numbers: list[int] = []
    seen: dict[str, int] = {}
    records = iter(records)
    first = next(records, None)
    if first is None:
        raise InputError([Problem(gettext_noop("The file has no rows."), {})])
    header = [h.strip() for h in first[1]]
    missing = header_problems(header, [id_column, *columns])
    if missing:
        raise InputError(missing)
    id_at = header.index(id_column)
    positions = [header.index(c) for c in columns]
    for line, row in records:
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(
                Problem(
                    gettext_noop(
                        "Line %(line)d: %(found)d columns where the header has %(wanted)d."
                    ),
                    {"line": line, "found": len(row), "wanted": len(header)},
                )
            )
            continue
        formulas = [
            (column, row[at])
            for column, at in zip([id_column, *columns], [id_at, *positions], strict=True)
            if isinstance(row[at], Formula)
        ]
        if formulas:
            problems.extend(
                Problem(
                    gettext_noop(
                        "Line %(line)d: %(column)s holds a formula (%(formula)s); save the "
                        "values, not formulas."
                    ),
                    {"line": line, "column": column, "formula": formula[:60]},
                )
                for column, formula in formulas
            )
            continue
        unit = row[id_at].strip()
        if id_key is not None:
            unit = id_key(unit)
        if not unit:
            problems.append(
                Problem(
                    gettext_noop("Line %(line)d: empty %(column)s."),
                    {"line": line, "column": id_column},
                )
            )
        elif unit in seen:
            problems.append(
                Problem(
                    gettext_noop("Line %(line)d: %(column)s “%(code)s” already on line %(first)d."),
                    {"line": line, "column": id_column, "code": unit[:40], "first": seen[unit]},
                )
            )
        else:
            seen[unit] = line
        if unit and id_problem is not None:
            problem = id_problem(unit, line)
            if problem is not None:
                problems.append(problem)
        values: list[int] = []
        bad = False
        for column, at in zip(columns, positions, strict=True):
            value = _whole_number(row[at])
            if value is None:
                problems.append(
                    Problem(
                        gettext_noop("Line %(line)d: %(column)s is not a whole number."),
                        {"line": line, "column": column},
                    )
                )
            elif value < 0:
                problems.append(
                    Problem(
                        gettext_noop("Line %(line)d: %(column)s is negative."),
                        {"line": line, "column": column},
                    )
                )
            bad |= value is None or value < 0
            values.append(value if value is not None and value >= 0 else 0)
        if total and not bad:
            unit_total = values[-1]
            for column, value in zip(groups, values, strict=False):
                if value > unit_total:
                    problems.append(
                        Problem(
                            gettext_noop(
                                "Line %(line)d: %(column)s (%(value)d) is larger than the total "
                                "(%(total)d)."
                            ),
                            {"line": line, "column": column, "value": value, "total": unit_total},
                        )
                    )
            if len(groups) > 1 and sum(values[:-1]) > unit_total:
                problems.append(
                    Problem(
                        gettext_noop("Line %(line)d: the groups add up to more than the total."),
                        {"line": line},
                    )
                )
        ids.append(unit)
        rows.append(values)
        numbers.append(line)
    if not rows and not problems:
        problems.append(Problem(gettext_noop("The file has no rows."), {}))
    if problems:
        raise InputError(problems)
    table = np.array(rows, dtype=np.int64).reshape(len(rows), len(columns))
    return CountsTable(
        ids=ids,
        groups=list(groups),
        counts=table[:, : len(groups)],
        total=table[:, -1] if total else None,
        lines=numbers,
    )


def read_boundaries(path: str | Path, *, id_property: str, ids: list[str]) -> NDArray[np.object_]:
    """Polygons from a GeoJSON FeatureCollection, in the order of ``ids``; checked valid."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError([f"cannot read {path}: {exc.strerror}."]) from exc
    except UnicodeDecodeError as exc:
        raise InputError([f"{path}: not UTF-8 text."]) from exc
    try:
        data = geojson.loads(text)
    except geojson.GeoJSONError as exc:
        raise InputError([f"{path}: {exc}."]) from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise InputError([f"{path}: not a GeoJSON FeatureCollection."])
    features = data.get("features")
    if not isinstance(features, list):
        raise InputError([f"{path}: the FeatureCollection has no features list."])
    wanted = {unit: i for i, unit in enumerate(ids)}
    found: dict[str, int] = {}
    geoms = np.empty(len(ids), dtype=object)
    problems: list[str] = []
    pending: list[tuple[int, str, dict[str, Any]]] = []
    for number, feature in enumerate(features, start=1):
        where = f"{path}: feature {number}"
        if not isinstance(feature, dict):
            problems.append(f"{where}: not a GeoJSON feature.")
            continue
        props = feature.get("properties") or {}
        if id_property not in props:
            problems.append(f"{where}: no property {id_property!r}.")
            continue
        unit = str(props[id_property]).strip()
        where = f"{where} ({id_property} {unit!r})"
        if unit not in wanted:
            problems.append(f"{where}: unknown id, not in the data.")
            continue
        if unit in found:
            problems.append(f"{where}: duplicate id (feature {found[unit]}).")
            continue
        found[unit] = number
        pending.append((wanted[unit], where, feature))
    # The one boundary rule (cocity.core.geojson, shared with the pages and the territories),
    # one vectorised parse and validity check for all features; coordinates in any projection.
    shapes, checked = geojson.check_boundaries([f for _, _, f in pending], geographic=False)
    for (slot, where, _), shape, problem in zip(pending, shapes, checked, strict=True):
        if problem is None:
            geoms[slot] = shape
        else:
            problems.append(f"{where}: {problem}.")
    missing = [unit for unit in ids if unit not in found]
    if missing:
        shown = ", ".join(repr(m) for m in missing[:5])
        problems.append(f"{path}: no boundary for {len(missing)} unit(s) of the data: {shown}.")
    if problems:
        raise InputError(problems)
    return geoms
