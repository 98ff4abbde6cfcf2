"""``cocity load-territories FILE``: create or update territories from GeoJSON or CSV.

GeoJSON: a FeatureCollection whose features have properties ``code``, ``name``, ``kind`` and
``parent_code``, and optionally a Polygon or MultiPolygon geometry (the boundary).
CSV: columns ``code,name,kind,parent_code`` and optionally ``boundary_geojson``.

Every row is checked first and every problem is printed with its line or feature number; if
there is any, nothing is written. Otherwise everything is written in one transaction. Parents may
come after their children in the file.
"""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from cocity.core import geojson
from cocity.core.forms import error_text
from cocity.core.geo import normalise_boundary
from cocity.core.uploads import max_upload_bytes
from cocity.network.models import Territory, validate_territory_code
from cocity.network.services.territories import territory_create, territory_update

KIND_DEPTH = {kind: depth for depth, kind in enumerate(Territory.Kind.values)}
NAME_MAX = Territory._meta.get_field("name").max_length or 200


@dataclass
class Row:
    where: str  # "line 3" or "feature 2"
    code: str
    name: str
    kind: str
    parent_code: str
    boundary: Any
    problems: list[str] = field(default_factory=list)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _read_geojson(text: str) -> list[Row]:
    try:
        data = geojson.loads(text)
    except geojson.GeoJSONError as exc:
        raise CommandError(f"The file is {exc}.") from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise CommandError("A GeoJSON file must hold a FeatureCollection.")
    features = data.get("features")
    if not isinstance(features, list):
        raise CommandError("The FeatureCollection has no list of features.")
    rows = []
    for number, feature in enumerate(features, start=1):
        where = f"feature {number}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            row = Row(where, "", "", "", "", None)
            row.problems.append("not a GeoJSON Feature")
            rows.append(row)
            continue
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            properties = {}
        rows.append(
            Row(
                where,
                _text(properties.get("code")).upper(),
                _text(properties.get("name")),
                _text(properties.get("kind")).lower(),
                _text(properties.get("parent_code")).upper(),
                feature.get("geometry"),
            )
        )
    return rows


def _read_csv(text: str) -> list[Row]:
    reader = csv.DictReader(io.StringIO(text))
    columns = {name.strip() for name in reader.fieldnames or []}
    missing = {"code", "name", "kind", "parent_code"} - columns
    if missing:
        raise CommandError(
            "The CSV header must have the columns code,name,kind,parent_code"
            f"[,boundary_geojson]; missing: {', '.join(sorted(missing))}."
        )
    rows = []
    for record in reader:
        record = {(key or "").strip(): value for key, value in record.items()}
        rows.append(
            Row(
                f"line {reader.line_num}",
                _text(record.get("code")).upper(),
                _text(record.get("name")),
                _text(record.get("kind")).lower(),
                _text(record.get("parent_code")).upper(),
                _text(record.get("boundary_geojson")) or None,
            )
        )
    return rows


def check_rows(rows: list[Row]) -> None:
    """Record every problem on its row; nothing here writes."""
    seen: dict[str, str] = {}
    for row in rows:
        if not row.code:
            row.problems.append("the code is missing")
        else:
            try:
                validate_territory_code(row.code)
            except ValidationError as error:
                row.problems.append(f"bad code “{row.code}”: {error_text(error)}")
            if row.code in seen:
                row.problems.append(f"duplicate code “{row.code}” (already on {seen[row.code]})")
            else:
                seen[row.code] = row.where
        if not row.name:
            row.problems.append("the name is missing")
        elif len(row.name) > NAME_MAX:
            row.problems.append(f"the name is longer than {NAME_MAX} characters")
        if row.kind not in KIND_DEPTH:
            row.problems.append(
                f"bad kind “{row.kind}”: use one of {', '.join(Territory.Kind.values)}"
            )
        if row.boundary not in (None, "", {}):
            try:
                row.boundary = normalise_boundary(row.boundary)
            except ValidationError as error:
                row.problems.append(f"bad boundary: {error_text(error)}")
        else:
            row.boundary = None

    in_file = {row.code: row for row in rows if row.code}
    parent_codes = {row.parent_code for row in rows if row.parent_code} - set(in_file)
    in_database = dict(Territory.objects.filter(code__in=parent_codes).values_list("code", "kind"))
    for row in rows:
        if row.kind not in KIND_DEPTH:
            continue
        allowed = Territory.ALLOWED_PARENTS[Territory.Kind(row.kind)]
        if not row.parent_code:
            if allowed:
                row.problems.append(f"a {row.kind} needs a parent_code (a {' or '.join(allowed)})")
            continue
        if not allowed:
            row.problems.append(f"a {row.kind} cannot have a parent (parent_code must be empty)")
            continue
        if row.parent_code == row.code:
            row.problems.append("a territory cannot be its own parent")
            continue
        parent_kind = (
            in_file[row.parent_code].kind
            if row.parent_code in in_file
            else in_database.get(row.parent_code)
        )
        if parent_kind is None:
            row.problems.append(
                f"unknown parent code “{row.parent_code}” (neither in the file nor in the database)"
            )
        elif parent_kind not in allowed:
            row.problems.append(
                f"a {row.kind} cannot be part of a {parent_kind} (“{row.parent_code}”)"
            )


def write_rows(rows: list[Row]) -> tuple[int, int]:
    """Create or update every row, parents first, in the caller's transaction."""
    created = updated = 0
    done: dict[str, Territory] = {}
    for row in sorted(rows, key=lambda r: KIND_DEPTH[r.kind]):
        parent = None
        if row.parent_code:
            parent = done.get(row.parent_code) or Territory.objects.get(code=row.parent_code)
        existing = Territory.objects.filter(code=row.code).first()
        try:
            if existing is None:
                territory = territory_create(
                    name=row.name,
                    code=row.code,
                    kind=row.kind,
                    parent=parent,
                    boundary=row.boundary,
                )
                created += 1
            else:
                territory = territory_update(
                    territory=existing,
                    name=row.name,
                    kind=row.kind,
                    parent=parent,
                    boundary=row.boundary,
                )
                updated += 1
        except ValidationError as error:
            raise CommandError(f"{row.where}: {error_text(error)} Nothing was written.") from error
        done[row.code] = territory
    return created, updated


class Command(BaseCommand):
    help = (
        "Create or update territories from a GeoJSON FeatureCollection (properties code, name, "
        "kind, parent_code) or a CSV file (code,name,kind,parent_code[,boundary_geojson]). "
        "Nothing is written unless every row is valid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a .geojson/.json or .csv file")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and write nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}.")
        limit = max_upload_bytes("geojson")
        if path.stat().st_size > limit:
            raise CommandError(f"The file is larger than {limit} bytes (COCITY_MAX_GEOJSON_BYTES).")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CommandError("The file must be UTF-8 text.") from exc
        is_json = path.suffix.lower() in (".geojson", ".json") or text.lstrip().startswith("{")
        rows = _read_geojson(text) if is_json else _read_csv(text)
        if not rows:
            raise CommandError("The file holds no territories.")

        check_rows(rows)
        problems = [f"{row.where}: {problem}" for row in rows for problem in row.problems]
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(
                f"{len(problems)} problem(s) found in {path.name}; nothing was written."
            )
        if options["dry_run"]:
            self.stdout.write(
                f"{len(rows)} territories checked; no problem found. Nothing written."
            )
            return
        with transaction.atomic():
            created, updated = write_rows(rows)
        self.stdout.write(self.style.SUCCESS(f"{created} territories created, {updated} updated."))
