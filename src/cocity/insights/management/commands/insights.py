"""``cocity insights indices DATA.csv ...``: segregation indices for researchers' own data.

The command only parses arguments, reads the files and prints; the numbers come from
``cocity.insights.report.compute_report``, the function the pages' import calls too (same
options, same defaults, same numbers). Output is printed only once every
computation has succeeded: bad input gives a ``CommandError`` naming the line and no JSON.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cocity.insights.io import InputError, read_boundaries, read_counts_csv
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
            help="Segregation indices from a CSV of counts per unit (and optional boundaries).",
        )
        p.add_argument("data", help="CSV file, one row per unit.")
        p.add_argument("--id-column", required=True, help="Column holding the unit id.")
        p.add_argument("--groups", required=True, help="Comma-separated group columns.")
        p.add_argument(
            "--total",
            help="Column with each unit's total population; each group is then compared with "
            "the rest of the total. Without it, the groups are taken as the whole population.",
        )
        p.add_argument("--boundaries", help="GeoJSON FeatureCollection of the units' polygons.")
        p.add_argument("--id-property", help="Feature property matching --id-column.")
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
        self._note(f"reading {options['data']}")
        table = read_counts_csv(
            options["data"], id_column=options["id_column"], groups=groups, total=options["total"]
        )
        if table.total is None and len(groups) < 2:
            raise CommandError("one group needs --total (the rest is compared with it).")
        geometries = None
        if options["boundaries"]:
            self._note(f"reading {options['boundaries']}")
            geometries = read_boundaries(
                options["boundaries"], id_property=options["id_property"], ids=table.ids
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
