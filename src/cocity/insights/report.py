"""A data set's whole report: the one function behind the ``cocity insights`` command and the
web import (numbers only: numpy, scipy, shapely; no Django).

``compute_report`` takes the counts of each unit (and their polygons, when there are any) and
returns, as plain JSON: every one-group index of each group, every multigroup index, with the
polygons spatial dissimilarity and spatial proximity, and with ``permutations`` a permutation
test of those indices. The choices that change the numbers are ``ReportOptions``, one default
for everyone; both callers record them in ``parameters``.

Problems with the data (a group with nobody in it, units with no neighbour, ...) do not stop the
report: the index is left out (``None``) and the problem is listed in ``errors``, for the pages
to show; the command refuses to print a report that has any.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

from . import indices, inference, spatial

Coordinates = Literal["lonlat", "projected"]
Proximity = Literal["auto", "reference", "exponential", "none"]
ProgressFactory = Callable[[str], Callable[[int, int], None] | None]

AUTO_REFERENCE_PROXIMITY_LIMIT = 50_000  # above: exponential kernel with a distance cutoff
DEFAULT_CUTOFF_SCALES = 5.0
# Tested on every random allocation, beside each group's one-group indices (and its spatial
# dissimilarity when there are boundaries). The Simpson's indices and the diversity depend on
# the group sizes only, which random allocation keeps: they have no test.
TESTED_MULTIGROUP = (
    "dissimilarity",
    "gini",
    "information_theory",
    "normalized_exposure",
    "relative_diversity",
)
REST = "rest of total"


@dataclass(frozen=True)
class ReportOptions:
    """What changes the numbers of a report (the same defaults for the command and the pages).

    ``coordinates``: "lonlat" when the boundaries are in degrees of longitude and latitude
    (GeoJSON's standard, and the territories' boundaries): they are projected to metres around
    the data set's mean latitude (equirectangular) before contiguity and proximity; "projected"
    when they are already in a metric projection, used as they are.
    ``proximity``: the spatial proximity kernel: "reference" (the reference library's, every
    pair), "exponential" (Massey and Denton's exp(-d / scale), pairs beyond ``cutoff`` left
    out), "auto" (reference up to ``AUTO_REFERENCE_PROXIMITY_LIMIT`` units, exponential
    above), "none". The exponential scale defaults to the median distance between the centroids
    of neighbouring units, the cutoff to ``DEFAULT_CUTOFF_SCALES`` times the scale.
    """

    atkinson_b: float = 0.5
    contiguity: spatial.Contiguity = "queen"
    coordinates: Coordinates = "lonlat"
    proximity: Proximity = "auto"
    proximity_scale: float | None = None
    proximity_cutoff: float | None = None
    permutations: int = 0
    seed: int | None = None

    def check(self) -> None:
        """ValueError for an option no report can use."""
        if self.contiguity not in ("queen", "rook"):
            raise ValueError("contiguity must be 'queen' or 'rook'.")
        if self.coordinates not in ("lonlat", "projected"):
            raise ValueError("coordinates must be 'lonlat' or 'projected'.")
        if self.proximity not in ("auto", "reference", "exponential", "none"):
            raise ValueError("proximity must be 'auto', 'reference', 'exponential' or 'none'.")
        if not 0 <= self.atkinson_b < 1:
            raise ValueError("Atkinson's b must be at least 0 and below 1.")
        if self.permutations < 0:
            raise ValueError("permutations must be 0 or more.")
        for name in ("proximity_scale", "proximity_cutoff"):
            value = getattr(self, name)
            if value is not None and not value > 0:
                raise ValueError(f"{name.replace('_', ' ')} must be positive.")


def _finite(value: Any) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def lonlat_to_metres(geometries: NDArray[np.object_]) -> NDArray[np.object_]:
    """Longitude/latitude to metres around the mean latitude of the centroids (equirectangular):
    good enough for contiguity (topological) and the distances of spatial proximity within one
    city. ValueError when the coordinates cannot be degrees."""
    xmin, ymin, xmax, ymax = shapely.total_bounds(geometries)
    if not (xmin >= -180 and xmax <= 180 and ymin >= -90 and ymax <= 90):
        raise ValueError(
            f"the boundaries' coordinates (x from {xmin:g} to {xmax:g}, y from {ymin:g} to "
            f"{ymax:g}) are not longitude and latitude; if they are already projected, say so "
            "(coordinates 'projected')."
        )
    lat0 = float(np.mean(shapely.get_y(shapely.centroid(geometries))))
    factors = np.array([111_320.0 * math.cos(math.radians(lat0)), 110_540.0])
    return np.asarray(shapely.transform(geometries, lambda xy: xy * factors), dtype=object)


def multigroup_table(counts: NDArray[np.int64], total: NDArray[np.int64]) -> NDArray[np.int64]:
    """The groups, with a "rest of total" column when they do not cover everyone."""
    rest = total - counts.sum(axis=1)
    return np.column_stack([counts, rest]) if rest.any() else counts


def compute_report(
    counts: ArrayLike,
    total: ArrayLike | None,
    groups: Sequence[str],
    geometries: Sequence[Any] | NDArray[np.object_] | None = None,
    options: ReportOptions | None = None,
    *,
    local: bool = False,
    progress: ProgressFactory | None = None,
    note: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """The report of a units x groups table of whole-number counts (``total``: each unit's
    population, the sum of its groups when None), with the units' polygons if any.

    ``local`` adds the local measures per unit (lists in the order of the units);
    ``progress(label)`` gives a progress callback for each long step, ``note`` receives short
    messages (the command prints both on stderr)."""
    options = options or ReportOptions()
    options.check()
    c = np.asarray(counts, dtype=np.int64).reshape(len(counts), -1)  # type: ignore[arg-type]
    # Contiguous whole numbers, however they came (a column of a table is strided): every
    # caller then takes the same path through the kernels, to the last bit.
    t = c.sum(axis=1) if total is None else np.ascontiguousarray(total, dtype=np.int64)
    names = list(groups)
    multi = multigroup_table(c, t)
    errors: list[str] = []
    report: dict[str, Any] = {
        "units": int(c.shape[0]),
        "population": int(t.sum()),
        "groups": names,
        "single_group": {},
        "multigroup": {},
        "errors": errors,
    }
    b = options.atkinson_b
    by_group = np.ascontiguousarray(c.T)  # each group's counts contiguous, whole numbers
    for k, group in enumerate(names):
        try:
            prepared = indices.SingleCounts(by_group[k], t)
            values = {name: fn(prepared) for name, fn in indices.SINGLE_GROUP_FUNCTIONS.items()}
            values["atkinson"] = indices.atkinson(prepared, b=b)
            report["single_group"][group] = {n: _finite(v) for n, v in values.items()}
        except ValueError as exc:
            errors.append(f"group {group}: {exc}")
    prepared_multi: indices.GroupCounts | None = None
    if multi.shape[1] > 1:
        try:
            prepared_multi = indices.GroupCounts(multi)
            report["multigroup"] = {
                n: _finite(v) for n, v in indices.multigroup_indices(prepared_multi).items()
            }
        except ValueError as exc:
            errors.append(f"multigroup indices: {exc}")
    if local:
        report["local"] = _local(prepared_multi, multi.shape, len(names))
    # What was asked (``options``, to compute the report again alike) and what was used.
    report["options"] = asdict(options)
    parameters: dict[str, Any] = {
        "atkinson_b": b,
        "multigroup_groups": names + ([REST] if multi.shape[1] > len(names) else []),
    }
    weights = None
    if geometries is not None:
        weights = _spatial(c, t, names, geometries, options, report, parameters, progress, note)
    if options.permutations:
        report["permutation_tests"] = _permutation_tests(
            c, t, multi, names, weights, options, errors, progress
        )
        if note:
            note(f"permutations: {options.permutations} random allocations")
    report["parameters"] = parameters
    return report


def _local(
    prepared: indices.GroupCounts | None, shape: tuple[int, ...], groups: int
) -> dict[str, Any]:
    if prepared is None:
        empty: list[float | None] = [None] * shape[0]
        return {"lq": [[None] * groups] * shape[0], "entropy": empty, "diversity": empty}
    lq = indices.location_quotient(prepared)[:, :groups]
    return {
        "lq": [[_finite(v) for v in row] for row in lq.tolist()],
        "entropy": [_finite(v) for v in indices.local_entropy(prepared).tolist()],
        "diversity": [_finite(v) for v in indices.local_diversity(prepared).tolist()],
    }


def _spatial(
    c: NDArray[np.int64],
    t: NDArray[np.int64],
    names: list[str],
    geometries: Sequence[Any] | NDArray[np.object_],
    options: ReportOptions,
    report: dict[str, Any],
    parameters: dict[str, Any],
    progress: ProgressFactory | None,
    note: Callable[[str], None] | None,
) -> Any:
    """Contiguity, spatial dissimilarity and proximity into ``report``; the weights (or None)."""
    errors: list[str] = report["errors"]
    report["spatial"] = {group: {} for group in names}
    try:
        geoms = np.asarray(geometries, dtype=object)
        if options.coordinates == "lonlat":
            geoms = lonlat_to_metres(geoms)
        weights = spatial.contiguity(geoms, options.contiguity, validate=False)
        xy, areas = spatial.centroids_and_areas(geoms)
    except ValueError as exc:
        errors.append(str(exc))
        return None
    report["contiguity_links"] = int(weights.nnz // 2)
    if note:
        note(f"{options.contiguity} contiguity: {weights.nnz // 2} neighbour pairs")
    for k, group in enumerate(names):
        try:
            value = spatial.spatial_dissimilarity(c[:, k], t, weights)
            report["spatial"][group]["spatial_dissimilarity"] = _finite(value)
        except ValueError as exc:
            report["spatial"][group]["spatial_dissimilarity"] = None
            errors.append(f"group {group}: {exc}")
    mode = options.proximity
    if mode == "auto":
        mode = "reference" if c.shape[0] <= AUTO_REFERENCE_PROXIMITY_LIMIT else "exponential"
    scale, cutoff = options.proximity_scale, options.proximity_cutoff
    if mode == "exponential":
        if scale is None:
            coo = weights.tocoo()
            if coo.nnz:
                scale = float(np.median(np.hypot(*(xy[coo.row] - xy[coo.col]).T)))
        if cutoff is None and scale is not None:
            cutoff = DEFAULT_CUTOFF_SCALES * scale
    parameters.update(
        contiguity=options.contiguity,
        coordinates=options.coordinates,
        proximity_kernel=mode,
        proximity_scale=scale if mode == "exponential" else None,
        proximity_cutoff=cutoff if mode == "exponential" else None,
    )
    if mode == "none":
        for group in names:
            report["spatial"][group]["spatial_proximity"] = None
        return weights
    if mode == "exponential" and scale is None:
        errors.append("no unit has a neighbour: the exponential proximity needs a scale.")
        values: list[float | None] = [None] * len(names)
    else:
        try:
            values = [
                _finite(v)
                for v in spatial.spatial_proximities(
                    c,
                    t,
                    xy,
                    areas,
                    kernel="reference" if mode == "reference" else "exponential",
                    scale=scale or 1.0,
                    cutoff=cutoff if mode == "exponential" else None,
                    progress=progress("spatial proximity") if progress else None,
                )
            ]
        except ValueError:
            # A group that cannot have the index (nobody in it, say) is already in ``errors``:
            # the others are computed one by one.
            values = [
                _one_proximity(c[:, k], t, xy, areas, mode, scale, cutoff)
                for k in range(len(names))
            ]
    for group, proximity in zip(names, values, strict=True):
        report["spatial"][group]["spatial_proximity"] = proximity
    if note:
        note(f"spatial proximity: {mode} kernel")
    return weights


def _one_proximity(
    x: NDArray[np.int64],
    t: NDArray[np.int64],
    xy: NDArray[np.float64],
    areas: NDArray[np.float64],
    mode: str,
    scale: float | None,
    cutoff: float | None,
) -> float | None:
    try:
        return _finite(
            spatial.spatial_proximity(
                x,
                t,
                xy,
                areas,
                kernel="reference" if mode == "reference" else "exponential",
                scale=scale or 1.0,
                cutoff=cutoff if mode == "exponential" else None,
            )
        )
    except ValueError:
        return None


def _permutation_tests(
    c: NDArray[np.int64],
    t: NDArray[np.int64],
    multi: NDArray[np.int64],
    names: list[str],
    weights: Any,
    options: ReportOptions,
    errors: list[str],
    progress: ProgressFactory | None,
) -> dict[str, Any]:
    """Every tested index on the same random allocations of the whole table (all groups at
    once, unit and group totals kept): one allocation of everyone is also a random allocation
    of each group against the rest, so one set of draws serves every test."""
    b = options.atkinson_b
    sd = None
    if weights is not None and weights.nnz:
        sd = spatial.prepared_spatial_dissimilarity(weights)
    single_names = [*indices.SINGLE_GROUP_FUNCTIONS, *(["spatial_dissimilarity"] if sd else [])]
    testable = [k for k, group in enumerate(names) if group in _tested_groups(c, t, names)]
    keys: list[tuple[str, str]] = [(names[k], name) for k in testable for name in single_names] + [
        ("", name) for name in TESTED_MULTIGROUP if _multigroup_defined(multi)
    ]

    evaluate = _allocation_statistics(t, multi, testable, b, sd)
    out: dict[str, Any] = {
        "permutations": options.permutations,
        "seed": options.seed,
        "null": "random allocation of people, unit and group totals fixed",
        "p_value": "one-sided, (1 + #{null >= observed}) / (permutations + 1)",
        "p_value_two_sided": "min(1, 2 * min of both one-sided add-one p-values)",
        "single_group": {names[k]: {} for k in testable},
        "multigroup": {},
    }
    if not keys:
        return out
    try:
        results = inference.permutation_tests_of(
            evaluate,
            len(keys),
            multi,
            permutations=options.permutations,
            seed=options.seed,
            progress=progress("permutations") if progress else None,
        )
    except ValueError as exc:
        errors.append(f"permutation tests: {exc}")
        return out
    for (group, name), result in zip(keys, results, strict=True):
        summary = result.summary()
        if group:
            out["single_group"][group][name] = summary
        else:
            out["multigroup"][name] = summary
    return out


def _allocation_statistics(
    t: NDArray[np.int64],
    multi: NDArray[np.int64],
    testable: list[int],
    b: float,
    sd: Callable[[NDArray[np.float64], float], float] | None,
) -> Callable[[NDArray[np.int64]], list[float]]:
    """The tested indices of one allocation, in the order of the keys of
    ``_permutation_tests``. An allocation keeps every unit's population t_i and every group's
    size X_k, so everything that depends on them only (the city shares, sum_i t_i ln t_i, the
    table of k ln k) is computed once here; one compiled pass over the allocation then gives
    the sums of every index but Gini (``kernels.allocation_sums``), one sort per group serves
    both Gini indices, and the indices come from the sums by the formulas of ``indices.py``."""
    from . import kernels

    totals = multi.sum(axis=0).astype(np.float64).tolist()
    grand = math.fsum(totals)
    shares = np.array([x / grand for x in totals])
    tf = t.astype(np.float64)
    divisor = np.maximum(tf, 1.0)  # an empty unit has x_i = 0: share 0
    # k ln k up to the largest unit (None when too large: the index functions then serve).
    table = indices._xlogx_table(int(t.max()), t.size)
    units_ln = float(table[t].sum()) if table is not None else 0.0
    many = _multigroup_defined(multi)

    def evaluate(allocation: NDArray[np.int64]) -> list[float]:
        if table is None:
            return _allocation_statistics_slow(allocation, t, testable, b, sd, many)
        by_group = np.ascontiguousarray(allocation.T)
        below, squares, powers, ln_in, ln_out = kernels.allocation_sums(
            by_group, t, shares, table, b
        )
        pairs: dict[int, float] = {}
        values: list[float] = []
        for k in testable:
            big_x = totals[k]
            share = by_group[k] / divisor
            pairs[k] = indices.weighted_abs_pair_sum(share, tf)
            d = indices.dissimilarity_from_sums(big_x, grand, float(below[k]))
            values += [
                d,
                indices.gini_from_sums(big_x, grand, pairs[k]),
                indices.entropy_from_sums(big_x, grand, units_ln - ln_in[k] - ln_out[k]),
                float(squares[k] / big_x),
                float(1.0 - squares[k] / big_x),
                indices.atkinson_from_sums(big_x, grand, float(powers[k]), b),
                indices.correlation_ratio_from_sums(big_x, grand, float(squares[k])),
            ]
            if sd is not None:
                values.append(sd(share, d))
        if many:
            group_pairs = [
                pairs[k] if k in pairs else indices.weighted_abs_pair_sum(by_group[k] / divisor, tf)
                for k in range(len(totals))
            ]
            square_list = squares.tolist()
            values += [
                indices.multi_dissimilarity_from_sums(totals, float(below.sum())),
                indices.multi_gini_from_sums(totals, group_pairs),
                indices.multi_information_theory_from_sums(totals, float(ln_in.sum()), units_ln),
                indices.multi_normalized_exposure_from_sums(totals, square_list),
                indices.multi_relative_diversity_from_sums(totals, square_list),
            ]
        return values

    return evaluate


def _allocation_statistics_slow(
    allocation: NDArray[np.int64],
    t: NDArray[np.int64],
    testable: list[int],
    b: float,
    sd: Callable[[NDArray[np.float64], float], float] | None,
    many: bool,
) -> list[float]:
    """The tested indices of one allocation by the index functions (very large populations)."""
    values: list[float] = []
    by_group = np.ascontiguousarray(allocation.T)
    for k in testable:
        s = indices.SingleCounts(by_group[k], t)
        for name, fn in indices.SINGLE_GROUP_FUNCTIONS.items():
            values.append(indices.atkinson(s, b=b) if name == "atkinson" else fn(s))
        if sd is not None:
            values.append(sd(s.share(), indices.dissimilarity(s)))
    if many:
        g = indices.GroupCounts(allocation)
        values += [indices.MULTIGROUP_FUNCTIONS[name](g) for name in TESTED_MULTIGROUP]
    return values


def _multigroup_defined(multi: NDArray[np.int64]) -> bool:
    """Two groups or more, each with somebody in it."""
    return multi.shape[1] > 1 and bool((multi.sum(axis=0) > 0).all())


def _tested_groups(c: NDArray[np.int64], t: NDArray[np.int64], names: list[str]) -> set[str]:
    """The groups whose one-group indices are defined (somebody in, somebody out)."""
    sizes, population = c.sum(axis=0), int(t.sum())
    return {group for k, group in enumerate(names) if 0 < int(sizes[k]) < population}
