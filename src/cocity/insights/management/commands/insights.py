"""``cocity insights indices DATA.csv ...``: segregation indices for researchers' own data.

The command only parses arguments, reads the files and prints; the numbers come from the pure
core in ``cocity.insights`` (indices, spatial, inference). Output is printed only once every
computation has succeeded: bad input gives a ``CommandError`` naming the line and no JSON.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cocity.insights import indices, inference, spatial
from cocity.insights.io import InputError, read_boundaries, read_counts_csv

AUTO_REFERENCE_PROXIMITY_LIMIT = 50_000  # above: exponential kernel with a distance cutoff
DEFAULT_CUTOFF_SCALES = 5.0


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
        p.add_argument("--atkinson-b", type=float, default=0.5)
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
        self._note(f"reading {options['data']}")
        table = read_counts_csv(
            options["data"], id_column=options["id_column"], groups=groups, total=options["total"]
        )
        n = len(table.ids)
        if table.total is not None:
            total = table.total
            rest = total - table.counts.sum(axis=1)
            multi = np.column_stack([table.counts, rest]) if rest.any() else table.counts
        else:
            if len(groups) < 2:
                raise CommandError("one group needs --total (the rest is compared with it).")
            total = table.counts.sum(axis=1)
            multi = table.counts
        b = options["atkinson_b"]
        result: dict[str, Any] = {"units": n, "groups": groups, "single_group": {}}
        for k, group in enumerate(groups):
            try:
                values = indices.single_group_indices(table.counts[:, k], total)
                values["atkinson"] = indices.atkinson(table.counts[:, k], total, b=b)
            except ValueError as exc:
                raise CommandError(f"group {group}: {exc}") from exc
            result["single_group"][group] = values
        try:
            result["multigroup"] = indices.multigroup_indices(multi)
        except ValueError as exc:
            raise CommandError(f"multigroup indices: {exc}") from exc
        parameters: dict[str, Any] = {
            "atkinson_b": b,
            "multigroup_groups": groups
            + (["rest of total"] if multi.shape[1] > len(groups) else []),
        }
        weights = None
        if options["boundaries"]:
            weights = self._spatial(options, table.ids, table.counts, total, result, parameters)
        if options["permutations"]:
            result["permutation_tests"] = self._permutations(
                options, groups, table.counts, total, multi, weights
            )
        result["parameters"] = parameters
        return result

    def _spatial(
        self,
        options: dict[str, Any],
        ids: list[str],
        counts: np.ndarray,
        total: np.ndarray,
        result: dict[str, Any],
        parameters: dict[str, Any],
    ) -> Any:
        self._note(f"reading {options['boundaries']}")
        geoms = read_boundaries(options["boundaries"], id_property=options["id_property"], ids=ids)
        kind = options["contiguity"]
        started = time.monotonic()
        weights = spatial.contiguity(geoms, kind, validate=False)
        self._note(
            f"{kind} contiguity: {weights.nnz // 2} neighbour pairs "
            f"({time.monotonic() - started:.1f} s)"
        )
        xy, areas = spatial.centroids_and_areas(geoms)
        mode = options["proximity"]
        if mode == "auto":
            mode = "reference" if len(ids) <= AUTO_REFERENCE_PROXIMITY_LIMIT else "exponential"
        scale = options["proximity_scale"]
        cutoff = options["proximity_cutoff"]
        if mode == "exponential":
            if scale is None:
                coo = weights.tocoo()
                if coo.nnz == 0:
                    raise CommandError("no unit has a neighbour: give --proximity-scale.")
                scale = float(np.median(np.hypot(*(xy[coo.row] - xy[coo.col]).T)))
            if cutoff is None:
                cutoff = DEFAULT_CUTOFF_SCALES * scale
        parameters.update(
            contiguity=kind,
            proximity_kernel=mode,
            proximity_scale=scale if mode == "exponential" else None,
            proximity_cutoff=cutoff if mode == "exponential" else None,
        )
        result["spatial"] = {}
        for k, group in enumerate(result["groups"]):
            x = counts[:, k]
            try:
                values: dict[str, float | None] = {
                    "spatial_dissimilarity": spatial.spatial_dissimilarity(x, total, weights)
                }
                if mode == "none":
                    values["spatial_proximity"] = None
                else:
                    values["spatial_proximity"] = spatial.spatial_proximity(
                        x,
                        total,
                        xy,
                        areas,
                        kernel="reference" if mode == "reference" else "exponential",
                        scale=scale or 1.0,
                        cutoff=cutoff if mode == "exponential" else None,
                        progress=self._progress(f"spatial proximity of {group}"),
                    )
            except ValueError as exc:
                raise CommandError(f"group {group}: {exc}") from exc
            result["spatial"][group] = values
        return weights

    def _permutations(
        self,
        options: dict[str, Any],
        groups: list[str],
        counts: np.ndarray,
        total: np.ndarray,
        multi: np.ndarray,
        weights: Any,
    ) -> dict[str, Any]:
        n_perm, seed = options["permutations"], options["seed"]
        b = options["atkinson_b"]
        out: dict[str, Any] = {
            "permutations": n_perm,
            "seed": seed,
            "null": "random allocation of people, unit and group totals fixed",
            "p_value": "one-sided, (1 + #{null >= observed}) / (permutations + 1)",
            "p_value_two_sided": "min(1, 2 * min of both one-sided add-one p-values)",
            "single_group": {},
        }
        for k, group in enumerate(groups):
            stats: dict[str, inference.Statistic] = {
                name: inference.single_group_statistic(name)
                for name in indices.SINGLE_GROUP_FUNCTIONS
            }
            stats["atkinson"] = _atkinson_statistic(b)
            if weights is not None:
                stats["spatial_dissimilarity"] = _spatial_dissimilarity_statistic(weights)
            table = np.column_stack([counts[:, k], total - counts[:, k]])
            tests = inference.permutation_tests(
                stats,
                table,
                permutations=n_perm,
                seed=seed,
                progress=self._progress(f"permutations for {group}"),
            )
            out["single_group"][group] = {name: r.summary() for name, r in tests.items()}
        multi_stats = {
            name: inference.multigroup_statistic(name)
            for name in (
                "dissimilarity",
                "gini",
                "information_theory",
                "normalized_exposure",
                "relative_diversity",
            )
        }
        tests = inference.permutation_tests(
            multi_stats,
            multi,
            permutations=n_perm,
            seed=seed,
            progress=self._progress("permutations for the multigroup indices"),
        )
        out["multigroup"] = {name: r.summary() for name, r in tests.items()}
        return out


def _atkinson_statistic(b: float) -> inference.Statistic:
    def statistic(table: np.ndarray) -> float:
        return indices.atkinson(table[:, 0], table.sum(axis=1), b=b)

    return statistic


def _spatial_dissimilarity_statistic(weights: Any) -> inference.Statistic:
    def statistic(table: np.ndarray) -> float:
        return spatial.spatial_dissimilarity(table[:, 0], table.sum(axis=1), weights)

    return statistic


def _fmt(value: Any) -> str:
    return "-" if value is None else f"{value:.6f}"


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
