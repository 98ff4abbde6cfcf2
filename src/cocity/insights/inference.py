"""Inference for segregation indices: permutation tests and two-city (two-date) comparisons.

Numbers only (numpy), no Django. Everything is seeded through ``numpy.random.SeedSequence``: the
same seed gives the same null distribution whatever the number of threads.

Null of random allocation (``null="permutation"``, the default): the people of the city are
shuffled across units keeping both every unit's population and every group's size, i.e. the
exact permutation distribution of person labels. A draw is a multivariate hypergeometric
allocation; it is generated without materialising people by splitting the units in halves
recursively (a binary tree, one vectorised hypergeometric draw per group per tree level), so a
draw costs O(units x groups), vectorised across units and across permutations.

``null="systematic"`` is the reference library's ``systematic`` approach (Allen et al. 2015):
each group's members are sent to units independently with probability t_j / T (multinomial),
keeping group sizes but not unit populations.

Comparison of two cities or two dates follows the reference library's ``TwoValueTest`` with
``null_approach="random_label"``: units of both are pooled and randomly relabelled as city 1 or
city 2 (keeping the two numbers of units), and the difference of the index is recomputed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .indices import (
    MULTIGROUP_FUNCTIONS,
    SINGLE_GROUP_FUNCTIONS,
    FloatArray,
    describe,
)

Statistic = Callable[[NDArray[np.int64]], float]
Null = Literal["permutation", "systematic"]
Progress = Callable[[int, int], None]
_BATCH = 8  # permutations drawn together; each batch has its own child seed
_HYPERGEOMETRIC_LIMIT = 10**9  # numpy's bound on ngood and nbad


@dataclass(frozen=True)
class PermutationResult:
    statistic: float
    null: FloatArray
    p_value: float  # one-sided: how often the null is at least as large
    p_value_two_sided: float
    permutations: int
    seed: int | None
    null_kind: str

    def summary(self) -> dict[str, Any]:
        return {
            "statistic": self.statistic,
            "p_value": self.p_value,
            "p_value_two_sided": self.p_value_two_sided,
            "permutations": self.permutations,
            "seed": self.seed,
            "null_kind": self.null_kind,
            "null": describe(self.null),
        }


@dataclass(frozen=True)
class ComparisonResult:
    statistic_1: float
    statistic_2: float
    difference: float  # statistic_1 - statistic_2
    null: FloatArray  # differences under random labelling
    p_value: float  # two-sided
    permutations: int
    seed: int | None

    def summary(self) -> dict[str, Any]:
        return {
            "statistic_1": self.statistic_1,
            "statistic_2": self.statistic_2,
            "difference": self.difference,
            "p_value": self.p_value,
            "permutations": self.permutations,
            "seed": self.seed,
            "null": describe(self.null),
        }


# --------------------------------------------------------------------------- statistics


def single_group_statistic(name: str) -> Statistic:
    """A statistic on a (group, rest) table, from a one-group index name."""
    fn = SINGLE_GROUP_FUNCTIONS[name]

    def statistic(counts: NDArray[np.int64]) -> float:
        return fn(counts[:, 0], counts.sum(axis=1))

    return statistic


def multigroup_statistic(name: str) -> Statistic:
    fn = MULTIGROUP_FUNCTIONS[name]

    def statistic(counts: NDArray[np.int64]) -> float:
        return fn(counts)

    return statistic


def check_integer_counts(counts: ArrayLike) -> NDArray[np.int64]:
    """Units x groups table of non-negative whole numbers (random allocation moves people)."""
    c = np.asarray(counts)
    if c.ndim != 2 or c.shape[1] < 2 or c.shape[0] == 0:
        raise ValueError("counts must be a units x groups table with at least two groups.")
    as_float = c.astype(np.float64)
    if not np.all(np.isfinite(as_float)):
        raise ValueError("counts have a missing or infinite value.")
    if np.any(as_float < 0):
        raise ValueError("counts have a negative value.")
    if np.any(as_float != np.round(as_float)):
        raise ValueError("permutation tests need whole-number counts.")
    return as_float.astype(np.int64)


# --------------------------------------------------------------------------- null draws


@dataclass(frozen=True)
class _SplitLevel:
    """One level of the halving tree: the nodes it splits and where their halves go."""

    left_pop: NDArray[np.int64]  # people in the left half of each node
    to_next: NDArray[np.intp]  # positions in [left halves, right halves] split further
    to_leaf: NDArray[np.intp]  # positions in [left halves, right halves] that are one unit
    leaf_units: NDArray[np.intp]  # ... and those units


def _split_plan(unit_totals: NDArray[np.int64]) -> tuple[list[_SplitLevel], NDArray[np.intp]]:
    """The halving tree of the units, which depends on the unit totals only (computed once per
    test and reused by every batch of permutations). Returns the levels and, for a table of a
    single unit, that unit."""
    n = unit_totals.shape[0]
    prefix = np.concatenate([[0], np.cumsum(unit_totals)])
    levels: list[_SplitLevel] = []
    lo, hi = np.array([0]), np.array([n])
    if n == 1:
        return levels, np.array([0], dtype=np.intp)
    while lo.size:
        mid = (lo + hi) // 2
        child_lo, child_hi = np.concatenate([lo, mid]), np.concatenate([mid, hi])
        single = child_hi - child_lo == 1
        levels.append(
            _SplitLevel(
                left_pop=np.asarray(prefix[mid] - prefix[lo], dtype=np.int64),
                to_next=np.flatnonzero(~single),
                to_leaf=np.flatnonzero(single),
                leaf_units=np.asarray(child_lo[single], dtype=np.intp),
            )
        )
        lo, hi = child_lo[~single], child_hi[~single]
    return levels, np.array([], dtype=np.intp)


def draw_permutations(
    counts: NDArray[np.int64],
    size: int,
    rng: np.random.Generator,
    plan: tuple[list[_SplitLevel], NDArray[np.intp]] | None = None,
) -> NDArray[np.int64]:
    """``size`` random allocations with fixed unit and group totals: (size, units, groups).

    The units are halved recursively; at each level one vectorised multivariate
    hypergeometric draw (group by group, conditionally) splits every node's people between
    its halves, for all ``size`` permutations at once. Only the first K - 1 groups are carried
    down the tree: the last is each unit's total minus the others.
    """
    n, k = counts.shape
    unit_totals = counts.sum(axis=1)
    levels, single_unit = _split_plan(unit_totals) if plan is None else plan
    result = np.empty((size, n, k), dtype=np.int64)
    # node_counts: (size, nodes, K - 1); node_pop: the people in each node (same for all draws).
    node_counts = np.broadcast_to(counts.sum(axis=0)[: k - 1], (size, 1, k - 1)).copy()
    node_pop = np.array([int(unit_totals.sum())], dtype=np.int64)
    if single_unit.size:
        result[:, 0, : k - 1] = node_counts[:, 0, :]
    for level in levels:
        left = np.empty_like(node_counts)
        remaining = np.broadcast_to(level.left_pop, node_counts.shape[:2]).copy()
        rest = np.broadcast_to(node_pop, node_counts.shape[:2]).copy()
        for g in range(k - 1):
            good = node_counts[:, :, g]
            rest -= good
            draw = rng.hypergeometric(good, rest, remaining)
            left[:, :, g] = draw
            remaining -= draw
        children = np.concatenate([left, node_counts - left], axis=1)
        child_pop = np.concatenate([level.left_pop, node_pop - level.left_pop])
        if level.to_leaf.size:
            result[:, level.leaf_units, : k - 1] = children[:, level.to_leaf, :]
        node_counts = children[:, level.to_next, :]
        node_pop = child_pop[level.to_next]
    result[:, :, k - 1] = unit_totals - result[:, :, : k - 1].sum(axis=2)
    return result


def draw_systematic(
    counts: NDArray[np.int64], size: int, rng: np.random.Generator
) -> NDArray[np.int64]:
    """The reference library's systematic null: each group multinomial over t_j / T."""
    unit_totals = counts.sum(axis=1).astype(np.float64)
    p = unit_totals / unit_totals.sum()
    result = np.empty((size, counts.shape[0], counts.shape[1]), dtype=np.int64)
    for k, group_size in enumerate(counts.sum(axis=0)):
        result[:, :, k] = rng.multinomial(int(group_size), p, size=size)
    return result


def _null_values(
    evaluate: Callable[[NDArray[np.int64]], Sequence[float]],
    statistics: int,
    counts: NDArray[np.int64],
    permutations: int,
    seed: int | None,
    null: Null,
    progress: Progress | None,
    workers: int,
) -> FloatArray:
    """permutations x statistics: ``evaluate`` (every statistic at once) on each allocation."""
    if null == "permutation":
        if counts.sum() >= _HYPERGEOMETRIC_LIMIT:
            raise ValueError(
                "the permutation null handles fewer than a billion people; use null='systematic'."
            )
    elif null != "systematic":
        raise ValueError("null must be 'permutation' or 'systematic'.")
    sizes = [min(_BATCH, permutations - start) for start in range(0, permutations, _BATCH)]
    children = np.random.SeedSequence(seed).spawn(len(sizes))
    done = [0]
    plan = _split_plan(counts.sum(axis=1)) if null == "permutation" else None

    from . import kernels

    compiled = kernels.NUMBA and plan is not None

    def run(index: int) -> list[Sequence[float]]:
        if compiled:  # the same tree in one compiled loop, numba's random stream
            seed = int(children[index].generate_state(1)[0])
            draws = kernels.draw_allocations(counts, sizes[index], seed)
        else:
            rng = np.random.default_rng(children[index])
            draws = (
                draw_permutations(counts, sizes[index], rng, plan)
                if plan is not None
                else draw_systematic(counts, sizes[index], rng)
            )
        values = [evaluate(d) for d in draws]
        done[0] += sizes[index]
        if progress:
            progress(done[0], permutations)
        return values

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        batches = list(pool.map(run, range(len(sizes))))
    return np.array([row for batch in batches for row in batch], dtype=np.float64).reshape(
        permutations, statistics
    )


def permutation_tests_of(
    evaluate: Callable[[NDArray[np.int64]], Sequence[float]],
    statistics: int,
    counts: ArrayLike,
    *,
    permutations: int = 99,
    seed: int | None = None,
    null: Null = "permutation",
    progress: Progress | None = None,
    workers: int = 2,
) -> list[PermutationResult]:
    """``statistics`` indices computed together by ``evaluate(table)`` (which can share work
    between them: one validation, one sort), each tested on the same random allocations.

    p_value = (1 + #{null >= observed}) / (permutations + 1) (one-sided: more segregated than
    chance); p_value_two_sided = min(1, 2 * the smaller of both one-sided add-one p-values).
    """
    if permutations < 1:
        raise ValueError("permutations must be at least 1.")
    c = check_integer_counts(counts)
    observed = [float(v) for v in evaluate(c)]
    if len(observed) != statistics:
        raise ValueError(f"evaluate gave {len(observed)} values, not {statistics}.")
    values = _null_values(evaluate, statistics, c, permutations, seed, null, progress, workers)
    results = []
    for column, statistic in enumerate(observed):
        null_values = values[:, column]
        greater = (1 + int(np.sum(null_values >= statistic))) / (permutations + 1)
        less = (1 + int(np.sum(null_values <= statistic))) / (permutations + 1)
        results.append(
            PermutationResult(
                statistic=statistic,
                null=null_values,
                p_value=greater,
                p_value_two_sided=min(1.0, 2 * min(greater, less)),
                permutations=permutations,
                seed=seed,
                null_kind=null,
            )
        )
    return results


def permutation_tests(
    statistics: dict[str, Statistic],
    counts: ArrayLike,
    *,
    permutations: int = 99,
    seed: int | None = None,
    null: Null = "permutation",
    progress: Progress | None = None,
    workers: int = 2,
) -> dict[str, PermutationResult]:
    """Several indices tested on the same random allocations (one draw, many statistics); see
    ``permutation_tests_of``."""
    names = list(statistics)
    functions = [statistics[name] for name in names]
    results = permutation_tests_of(
        lambda table: [float(fn(table)) for fn in functions],
        len(names),
        counts,
        permutations=permutations,
        seed=seed,
        null=null,
        progress=progress,
        workers=workers,
    )
    return dict(zip(names, results, strict=True))


def permutation_test(
    statistic: Statistic,
    counts: ArrayLike,
    *,
    permutations: int = 99,
    seed: int | None = None,
    null: Null = "permutation",
    progress: Progress | None = None,
    workers: int = 2,
) -> PermutationResult:
    """Test one index against random allocation (see ``permutation_tests``)."""
    return permutation_tests(
        {"statistic": statistic},
        counts,
        permutations=permutations,
        seed=seed,
        null=null,
        progress=progress,
        workers=workers,
    )["statistic"]


def compare(
    statistic: Statistic,
    counts_1: ArrayLike,
    counts_2: ArrayLike,
    *,
    permutations: int = 99,
    seed: int | None = None,
    progress: Progress | None = None,
) -> ComparisonResult:
    """Is an index different in two cities (or at two dates)? Random labelling of units.

    p_value = (1 + #{|null difference| >= |observed difference|}) / (permutations + 1).
    """
    if permutations < 1:
        raise ValueError("permutations must be at least 1.")
    c1 = check_integer_counts(counts_1)
    c2 = check_integer_counts(counts_2)
    if c1.shape[1] != c2.shape[1]:
        raise ValueError("both tables need the same groups.")
    s1, s2 = float(statistic(c1)), float(statistic(c2))
    observed = s1 - s2
    pooled = np.concatenate([c1, c2])
    n1 = c1.shape[0]
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    values = np.empty(permutations)
    for i in range(permutations):
        order = rng.permutation(pooled.shape[0])
        values[i] = statistic(pooled[order[:n1]]) - statistic(pooled[order[n1:]])
        if progress:
            progress(i + 1, permutations)
    extreme = int(np.sum(np.abs(values) >= abs(observed) - 1e-12))
    return ComparisonResult(
        statistic_1=s1,
        statistic_2=s2,
        difference=observed,
        null=values,
        p_value=(1 + extreme) / (permutations + 1),
        permutations=permutations,
        seed=seed,
    )


def reference_two_tailed_p(observed: float, null: Sequence[float] | FloatArray) -> float:
    """The reference library's two-tailed p-value, 2 * min(#{null > obs}, #{null < obs}) / n."""
    values = np.asarray(null, dtype=np.float64)
    return float(
        2 * min(int(np.sum(observed < values)), int(np.sum(observed > values))) / values.size
    )
