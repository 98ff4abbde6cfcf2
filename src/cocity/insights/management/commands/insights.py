"""``cocity insights indices DATA.csv ...``: segregation indices for researchers' own data.

The command only parses arguments, reads the files and prints; the numbers come from
``cocity.insights.report.compute_report``, the function the pages' import calls too (same
options, same defaults, same numbers). The files are read by the pages' readers too
(``cocity.insights.sources``): counts from CSV in any common encoding and delimiter or from
Excel, boundaries from GeoJSON, GeoPackage or a zipped Shapefile in the projection the file
gives, reprojected to longitude and latitude; what was detected is printed on stderr. Output is
printed only once every computation has succeeded: bad input gives a ``CommandError`` naming
the line or feature and no JSON.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import numpy as np
import shapely.geometry
from django.core.management.base import BaseCommand, CommandError, CommandParser
from numpy.typing import NDArray

from cocity.insights import sources
from cocity.insights.io import CountsTable, InputError, parse_records, read_boundaries
from cocity.insights.report import (
    AUTO_REFERENCE_PROXIMITY_LIMIT,
    DEFAULT_CUTOFF_SCALES,
    ReportOptions,
    compute_report,
)


class Command(BaseCommand):
    help = "Neighbourhood insights for researchers. Subcommand: indices."
    requires_system_checks: list[str] = []  # reads files only, never the database

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        p = sub.add_parser(
            "indices",
            help="Segregation indices from counts per unit (and optional boundaries).",
        )
        p.add_argument(
            "data",
            help="CSV (any common encoding and delimiter, detected) or Excel (.xlsx) file, "
            "one row per unit.",
        )
        p.add_argument("--id-column", required=True, help="Column holding the unit id.")
        p.add_argument("--groups", required=True, help="Comma-separated group columns.")
        p.add_argument(
            "--total",
            help="Column with each unit's total population; each group is then compared with "
            "the rest of the total. Without it, the groups are taken as the whole population.",
        )
        p.add_argument(
            "--boundaries",
            help="The units' polygons: GeoJSON, GeoPackage (.gpkg) or zipped Shapefile (.zip), "
            "in the projection the file gives (reprojected to longitude and latitude).",
        )
        p.add_argument("--id-property", help="Feature property matching --id-column.")
        p.add_argument(
            "--repair",
            action="store_true",
            help="Repair invalid polygons with make_valid (what changed is printed) instead of "
            "refusing them, as the pages offer to (longitude and latitude only).",
        )
        p.add_argument("--contiguity", choices=["queen", "rook"], default="queen")
        p.add_argument(
            "--coordinates",
            choices=["lonlat", "projected"],
            default=ReportOptions.coordinates,
            help="'lonlat' (GeoJSON's standard): the boundaries are in degrees, projected to "
            "metres around the data's mean latitude before contiguity and proximity, as the "
            "pages do; 'projected': already in metres, used as they are.",
        )
        p.add_argument("--atkinson-b", type=float, default=ReportOptions.atkinson_b)
        p.add_argument(
            "--proximity",
            choices=["auto", "reference", "exponential", "none"],
            default="auto",
            help="Spatial proximity kernel: 'reference' (PySAL segregation's, all pairs), "
            "'exponential' (Massey and Denton's exp(-d/scale) with a distance cutoff), 'auto' "
            f"(reference up to {AUTO_REFERENCE_PROXIMITY_LIMIT} units, exponential above).",
        )
        p.add_argument(
            "--proximity-scale",
            type=float,
            help="Decay distance of the exponential kernel (default: median distance between "
            "the centroids of neighbouring units).",
        )
        p.add_argument(
            "--proximity-cutoff",
            type=float,
            help=f"Pairs farther apart are ignored (default: {DEFAULT_CUTOFF_SCALES:g} x scale).",
        )
        p.add_argument("--permutations", type=int, default=0, help="Random allocations (0: none).")
        p.add_argument("--seed", type=int, default=None)
        p.add_argument("--format", choices=["json", "table"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] != "indices":  # pragma: no cover - argparse enforces it
            raise CommandError("unknown subcommand")
        self.verbose = options.get("verbosity", 1) >= 1
        try:
            result = self._indices(options)
        except InputError as exc:
            raise CommandError(str(exc)) from exc
        if options["format"] == "json":
            self.stdout.write(json.dumps(result, indent=2, allow_nan=False))
        else:
            self.stdout.write(_table(result))

    # ------------------------------------------------------------------ progress

    def _note(self, message: str) -> None:
        if self.verbose:
            self.stderr.write(message)

    def _progress(self, label: str) -> Callable[[int, int], None]:
        started = time.monotonic()
        last = [-1]

        def report(done: int, total: int) -> None:
            percent = int(100 * done / max(total, 1))
            if not self.verbose or percent == last[0] or (percent % 10 and done != total):
                return
            last[0] = percent
            self.stderr.write(f"{label}: {percent}% ({time.monotonic() - started:.1f} s)")

        return report

    # ------------------------------------------------------------------ the work

    def _indices(self, options: dict[str, Any]) -> dict[str, Any]:
        groups = [g.strip() for g in options["groups"].split(",") if g.strip()]
        if options["boundaries"] and not options["id_property"]:
            raise CommandError("--boundaries needs --id-property.")
        if options["permutations"] < 0:
            raise CommandError("--permutations must be 0 or more.")
        settings = ReportOptions(
            atkinson_b=options["atkinson_b"],
            contiguity=options["contiguity"],
            coordinates=options["coordinates"],
            proximity=options["proximity"],
            proximity_scale=options["proximity_scale"],
            proximity_cutoff=options["proximity_cutoff"],
            permutations=options["permutations"],
            seed=options["seed"],
        )
        try:
            settings.check()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        table = self._counts(options["data"], options["id_column"], groups, options["total"])
        if table.total is None and len(groups) < 2:
            raise CommandError("one group needs --total (the rest is compared with it).")
        geometries = None
        if options["boundaries"]:
            geometries = self._boundaries(
                options["boundaries"],
                id_property=options["id_property"],
                ids=table.ids,
                projected=options["coordinates"] == "projected",
                repair=options["repair"],
            )
        result = compute_report(
            table.counts,
            table.total,
            groups,
            geometries,
            settings,
            progress=self._progress,
            note=self._note,
        )
        if result["errors"]:
            raise CommandError("\n".join(result["errors"]))
        del result["errors"]
        return result

    def _counts(
        self, path: str, id_column: str, groups: list[str], total: str | None
    ) -> CountsTable:
        """The counts, read as the pages read them (``sources.inspect_table``, then every row
        through ``io.parse_records``), with what was detected printed."""
        self._note(f"reading {path}")
        _readable(path)
        name = Path(path).name
        if Path(path).stat().st_size == 0:
            records: Any = iter(())  # parse_records says: the file has no rows
        else:
            info = sources.inspect_table(path, filename=name)
            if info.kind == "xlsx":
                self._note(f"counts: Excel workbook, sheet {info.sheet!r}")
            else:
                self._note(
                    f"counts: CSV, encoding {info.encoding}, delimiter {_delimiter(info.delimiter)}"
                )
            records = sources.table_records(path, info)
        return parse_records(records, id_column=id_column, groups=groups, total=total)

    def _boundaries(
        self, path: str, *, id_property: str, ids: list[str], projected: bool, repair: bool
    ) -> NDArray[np.object_]:
        """The units' polygons in the order of ``ids``. A GeoPackage, a zipped Shapefile or a
        GeoJSON that gives its own projection is read by the pages' reader
        (``sources.read_boundaries``: reprojected to longitude and latitude, as the pages store
        them, so the figures are theirs), and so is any file with ``--repair``; a GeoJSON
        without a projection of its own is read as it is, in degrees or, with ``--coordinates
        projected``, in metres."""
        self._note(f"reading {path}")
        _readable(path)
        name = Path(path).name
        layer = None
        try:
            layer = sources.inspect_boundaries(path, filename=name)
        except InputError:
            if Path(path).suffix.lower() in (".gpkg", ".zip"):
                raise
            # Not something GDAL reads: the GeoJSON reader says what is wrong with it.
        if projected and repair:
            raise CommandError(
                "--repair reads the boundaries as the pages do, in longitude and latitude: "
                "leave out --coordinates projected."
            )
        plain = layer is not None and layer.kind == "geojson" and layer.crs == sources.WGS84
        if layer is None or (plain and not repair):
            if projected:
                self._note("boundaries: GeoJSON, coordinates used as they are (projected)")
            else:
                self._note("boundaries: GeoJSON, longitude and latitude (EPSG:4326)")
            return read_boundaries(path, id_property=id_property, ids=ids)
        shown = " ".join(
            x for x in (layer.crs, f"({layer.crs_name})" if layer.crs_name else "") if x
        )
        kinds = {"geojson": "GeoJSON", "gpkg": "GeoPackage", "shp.zip": "zipped Shapefile"}
        if projected:
            raise CommandError(
                f"{path}: a {kinds[layer.kind]} in {shown} is reprojected to longitude and "
                "latitude; --coordinates projected is for GeoJSON read as it is: leave it out."
            )
        self._note(
            f"boundaries: {kinds[layer.kind]}"
            + (f", layer {layer.layer!r}" if layer.layer and layer.kind != "geojson" else "")
            + f", projection {shown}"
            + (", reprojected to longitude and latitude" if layer.crs != sources.WGS84 else "")
        )
        found = sources.read_boundaries(
            path, filename=name, code_property=id_property, repair=repair, key=str
        )
        for repaired in found.repairs:
            self._note(str(repaired))
        return _in_order(path, id_property, ids, found)


def _readable(path: str) -> None:
    try:
        with Path(path).open("rb"):
            pass
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}.") from exc


def _delimiter(delimiter: str | None) -> str:
    return {"\t": "tab", None: "','"}.get(delimiter, repr(delimiter))


def _in_order(
    path: str, id_property: str, ids: list[str], found: sources.Boundaries
) -> NDArray[np.object_]:
    """The polygons of ``found`` in the order of the data's ``ids`` (shapely, from the same
    GeoJSON the pages store and compute from); every unit without one, and every feature
    not in the data, is a problem."""
    wanted = {unit: i for i, unit in enumerate(ids)}
    geoms = np.empty(len(ids), dtype=object)
    problems: list[str] = []
    for code, number, geometry in zip(found.codes, found.features, found.geometries, strict=True):
        if code not in wanted:
            where = f"{path}: feature {number} ({id_property} {code!r})"
            problems.append(f"{where}: unknown id, not in the data.")
            continue
        geoms[wanted[code]] = shapely.geometry.shape(geometry)
    missing = [unit for unit in ids if geoms[wanted[unit]] is None]
    if missing:
        shown = ", ".join(repr(m) for m in missing[:5])
        problems.append(f"{path}: no boundary for {len(missing)} unit(s) of the data: {shown}.")
    if problems:
        raise InputError(problems)
    return geoms


def _fmt(value: Any) -> str:
    """Six decimals, rounded half up from the figure as written (0.5155 at three decimals
    would be 0.516, where "%.3f" of the binary value gives 0.515), as the pages round; the
    JSON output keeps every digit."""
    if value is None:
        return "-"
    return str(Decimal(repr(float(value))).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP))


def _table(result: dict[str, Any]) -> str:
    groups = result["groups"]
    width = max(24, *(len(g) + 2 for g in groups))
    lines = [f"units: {result['units']}", "", "One group against the rest"]
    names = list(next(iter(result["single_group"].values())))
    lines.append("index".ljust(32) + "".join(g.rjust(width) for g in groups))
    for name in names:
        row = "".join(_fmt(result["single_group"][g][name]).rjust(width) for g in groups)
        lines.append(name.ljust(32) + row)
    if "spatial" in result:
        for name in ("spatial_dissimilarity", "spatial_proximity"):
            row = "".join(_fmt(result["spatial"][g][name]).rjust(width) for g in groups)
            lines.append(name.ljust(32) + row)
    lines += ["", "Multigroup", "index".ljust(32) + "value".rjust(width)]
    for name, value in result["multigroup"].items():
        lines.append(name.ljust(32) + _fmt(value).rjust(width))
    tests = result.get("permutation_tests")
    if tests:
        lines += [
            "",
            f"Two-sided permutation p-values ({tests['permutations']} random allocations)",
        ]
        lines.append("index".ljust(32) + "".join(g.rjust(width) for g in groups))
        for name in next(iter(tests["single_group"].values())):
            row = "".join(
                _fmt(tests["single_group"][g][name]["p_value_two_sided"]).rjust(width)
                for g in groups
            )
            lines.append(name.ljust(32) + row)
        for name, summary in tests["multigroup"].items():
            lines.append(
                f"multigroup {name}".ljust(32) + _fmt(summary["p_value_two_sided"]).rjust(width)
            )
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run it as: cocity insights indices ...")
