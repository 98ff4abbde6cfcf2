"""Segregation indices: the pure numerical core (numpy only, no Django, no pandas).

Every function takes plain arrays of counts per spatial unit:

* one group against the rest: ``group`` (members of the group in each unit) and ``total``
  (everyone in each unit), two 1-D arrays of the same length;
* several groups: ``counts``, a 2-D array with one row per unit and one column per group; the
  groups are taken as exhaustive (a unit's total is the sum of its row).

Definitions follow Massey and Denton (1988) and Reardon and Firebaugh (2002) in the form used by
PySAL's ``segregation`` 2.x (the reference library); ``docs/insights.md`` lists each formula and
the few places where a convention had to be chosen. Units with no population take part with a
share of zero, as in the reference library. Invalid input (negative counts, NaN, a group larger
than its total, a group with nobody or everybody in it) raises ``ValueError`` with a clear message.

Everything is O(units x groups) in time and memory, except the Gini indices, which sort once per
group: O(n log n) instead of the reference library's O(n^2) pairwise sums.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]

SINGLE_GROUP_INDICES = (
    "dissimilarity",
    "gini",
    "entropy",
    "isolation",
    "exposure",
    "atkinson",
    "correlation_ratio",
)
MULTIGROUP_INDICES = (
    "dissimilarity",
    "gini",
    "information_theory",
    "normalized_exposure",
    "relative_diversity",
    "simpsons_interaction",
    "simpsons_concentration",
    "diversity",
)


# --------------------------------------------------------------------------- validation


def _as_counts(values: ArrayLike, name: str, ndim: int) -> FloatArray:
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numbers ({exc}).") from exc
    if array.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got {array.ndim}-D.")
    if array.shape[0] == 0:
        raise ValueError(f"{name} has no units.")
    if not np.all(np.isfinite(array)):
        bad = int(np.flatnonzero(~np.isfinite(array).reshape(array.shape[0], -1).all(axis=1))[0])
        raise ValueError(f"{name} has a missing or infinite value (unit {bad}).")
    if np.any(array < 0):
        bad = int(np.flatnonzero((array < 0).reshape(array.shape[0], -1).any(axis=1))[0])
        raise ValueError(f"{name} has a negative count (unit {bad}).")
    return array


def check_single(group: ArrayLike, total: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Validate one group against its totals; return both as float arrays."""
    x = _as_counts(group, "group", 1)
    t = _as_counts(total, "total", 1)
    if x.shape != t.shape:
        raise ValueError(f"group and total differ in length ({x.shape[0]} and {t.shape[0]}).")
    over = x > t
    if np.any(over):
        bad = int(np.flatnonzero(over)[0])
        raise ValueError(f"group is larger than total in unit {bad} ({x[bad]:g} > {t[bad]:g}).")
    big_x, big_t = x.sum(), t.sum()
    if big_t <= 0:
        raise ValueError("total population is zero.")
    if big_x <= 0:
        raise ValueError("the group has no members: the index is undefined.")
    if big_x >= big_t:
        raise ValueError("everyone belongs to the group: the index is undefined.")
    return x, t


def check_multi(counts: ArrayLike) -> FloatArray:
    """Validate a units x groups table of counts; return it as a float array."""
    c = _as_counts(counts, "counts", 2)
    if c.shape[1] < 2:
        raise ValueError("multigroup indices need at least two groups.")
    group_totals = c.sum(axis=0)
    if np.any(group_totals <= 0):
        bad = int(np.flatnonzero(group_totals <= 0)[0])
        raise ValueError(f"group {bad} has no members: the index is undefined.")
    return c


def _share(x: FloatArray, t: FloatArray) -> FloatArray:
    """x / t, with 0 where t is 0 (the reference library's convention for empty units)."""
    out = np.zeros_like(x)
    np.divide(x, t, out=out, where=t > 0)
    return out


def _xlogx(p: FloatArray) -> FloatArray:
    """p * ln(p) with 0 * ln(0) = 0."""
    out = np.zeros_like(p)
    positive = p > 0
    out[positive] = p[positive] * np.log(p[positive])
    return out


def weighted_abs_pair_sum(values: FloatArray, weights: FloatArray) -> float:
    """Sum over ordered pairs (i, j) of w_i * w_j * |v_i - v_j|, in O(n log n).

    After sorting by value, unit i's pairs with all earlier units add
    ``w_i * (v_i * W_before - (w v)_before)``; each unordered pair is counted once, so the
    result is doubled to count ordered pairs as the reference library does.
    """
    order = np.argsort(values, kind="stable")
    v = values[order]
    w = weights[order]
    cum_w = np.cumsum(w) - w
    cum_wv = np.cumsum(w * v) - w * v
    return float(2.0 * np.sum(w * (v * cum_w - cum_wv)))


# --------------------------------------------------------------------------- one group


def dissimilarity(group: ArrayLike, total: ArrayLike) -> float:
    """Index of dissimilarity D (Massey and Denton 1988)."""
    x, t = check_single(group, total)
    big_t = t.sum()
    p = x.sum() / big_t
    return float(np.sum(t * np.abs(_share(x, t) - p)) / (2 * big_t * p * (1 - p)))


def gini(group: ArrayLike, total: ArrayLike) -> float:
    """Gini segregation index G, by sorting (O(n log n))."""
    x, t = check_single(group, total)
    big_t = t.sum()
    p = x.sum() / big_t
    pairs = weighted_abs_pair_sum(_share(x, t), t)
    return pairs / (2 * big_t * big_t * p * (1 - p))


def _binary_entropy(p: FloatArray) -> FloatArray:
    return -(_xlogx(p) + _xlogx(1 - p))


def entropy(group: ArrayLike, total: ArrayLike) -> float:
    """Theil's information theory index H (natural logarithm)."""
    x, t = check_single(group, total)
    big_t = t.sum()
    p = x.sum() / big_t
    e = float(_binary_entropy(np.array([p]))[0])
    ei = _binary_entropy(_share(x, t))
    return float(np.sum(t * (e - ei)) / (e * big_t))


def isolation(group: ArrayLike, total: ArrayLike) -> float:
    """Isolation index xPx: the group share in the unit of the average group member."""
    x, t = check_single(group, total)
    return float(np.sum(x / x.sum() * _share(x, t)))


def exposure(group: ArrayLike, total: ArrayLike) -> float:
    """Exposure (interaction) index xPy: the share of the rest in the average member's unit."""
    x, t = check_single(group, total)
    return float(np.sum(x / x.sum() * _share(t - x, t)))


def atkinson(group: ArrayLike, total: ArrayLike, b: float = 0.5) -> float:
    """Atkinson index with shape parameter ``b`` (0 <= b < 1, default 0.5)."""
    if not 0 <= b < 1:
        raise ValueError("Atkinson's b must be at least 0 and below 1.")
    x, t = check_single(group, total)
    big_t = t.sum()
    p = x.sum() / big_t
    pi = _share(x, t)
    inner = np.sum((1 - pi) ** (1 - b) * pi**b * t) / (p * big_t)
    return float(1 - (p / (1 - p)) * abs(inner) ** (1 / (1 - b)))


def correlation_ratio(group: ArrayLike, total: ArrayLike) -> float:
    """Correlation ratio V (eta squared): isolation adjusted for the group's overall share."""
    x, t = check_single(group, total)
    p = x.sum() / t.sum()
    xpx = float(np.sum(x / x.sum() * _share(x, t)))
    return (xpx - p) / (1 - p)


SINGLE_GROUP_FUNCTIONS: dict[str, Callable[[ArrayLike, ArrayLike], float]] = {
    "dissimilarity": dissimilarity,
    "gini": gini,
    "entropy": entropy,
    "isolation": isolation,
    "exposure": exposure,
    "atkinson": atkinson,
    "correlation_ratio": correlation_ratio,
}


def single_group_indices(group: ArrayLike, total: ArrayLike) -> dict[str, float]:
    """Every one-group index, validating the input once."""
    x, t = check_single(group, total)
    return {name: fn(x, t) for name, fn in SINGLE_GROUP_FUNCTIONS.items()}


# --------------------------------------------------------------------------- several groups


def _multi_parts(counts: ArrayLike) -> tuple[FloatArray, FloatArray, float, FloatArray, FloatArray]:
    c = check_multi(counts)
    t = c.sum(axis=1)
    big_t = float(t.sum())
    shares = _share(c, t[:, None])
    big_p = c.sum(axis=0) / big_t
    return c, t, big_t, shares, big_p


def multi_dissimilarity(counts: ArrayLike) -> float:
    """Multigroup dissimilarity D (Reardon and Firebaugh 2002)."""
    _, t, big_t, pik, pk = _multi_parts(counts)
    interaction = float(np.sum(pk * (1 - pk)))
    return float(np.sum(t[:, None] * np.abs(pik - pk)) / (2 * big_t * interaction))


def multi_gini(counts: ArrayLike) -> float:
    """Multigroup Gini G, by sorting each group's shares (O(K n log n))."""
    _, t, big_t, pik, pk = _multi_parts(counts)
    interaction = float(np.sum(pk * (1 - pk)))
    total = sum(weighted_abs_pair_sum(pik[:, k], t) for k in range(pik.shape[1]))
    return total / (2 * big_t * big_t * interaction)


def multi_information_theory(counts: ArrayLike) -> float:
    """Multigroup information theory index H (natural logarithm)."""
    _, t, big_t, pik, pk = _multi_parts(counts)
    e = float(-np.sum(_xlogx(pk)))
    ratio = np.ones_like(pik)
    np.divide(pik, pk, out=ratio, where=pik > 0)
    return float(np.sum(t[:, None] * pik * np.log(ratio)) / (big_t * e))


def multi_normalized_exposure(counts: ArrayLike) -> float:
    """Multigroup normalized exposure P."""
    _, t, big_t, pik, pk = _multi_parts(counts)
    return float(np.sum(t[:, None] * (pik - pk) ** 2 / (1 - pk)) / big_t)


def multi_relative_diversity(counts: ArrayLike) -> float:
    """Multigroup relative diversity R."""
    _, t, big_t, pik, pk = _multi_parts(counts)
    interaction = float(np.sum(pk * (1 - pk)))
    return float(np.sum(t[:, None] * (pik - pk) ** 2) / (big_t * interaction))


def simpsons_interaction(counts: ArrayLike) -> float:
    """Simpson's interaction: chance that two people drawn at random belong to different groups."""
    c = check_multi(counts)
    pk = c.sum(axis=0) / c.sum()
    return float(np.sum(pk * (1 - pk)))


def simpsons_concentration(counts: ArrayLike) -> float:
    """Simpson's concentration: chance that two people drawn at random share a group."""
    c = check_multi(counts)
    pk = c.sum(axis=0) / c.sum()
    return float(np.sum(pk * pk))


def multi_diversity(counts: ArrayLike, normalized: bool = False) -> float:
    """City-wide diversity (entropy of the group shares), optionally divided by ln(K)."""
    c = check_multi(counts)
    pk = c.sum(axis=0) / c.sum()
    e = float(-np.sum(_xlogx(pk)))
    return e / float(np.log(c.shape[1])) if normalized else e


MULTIGROUP_FUNCTIONS: dict[str, Callable[[ArrayLike], float]] = {
    "dissimilarity": multi_dissimilarity,
    "gini": multi_gini,
    "information_theory": multi_information_theory,
    "normalized_exposure": multi_normalized_exposure,
    "relative_diversity": multi_relative_diversity,
    "simpsons_interaction": simpsons_interaction,
    "simpsons_concentration": simpsons_concentration,
    "diversity": multi_diversity,
}


def multigroup_indices(counts: ArrayLike) -> dict[str, float]:
    """Every multigroup index, validating the input once."""
    c = check_multi(counts)
    return {name: fn(c) for name, fn in MULTIGROUP_FUNCTIONS.items()}


# --------------------------------------------------------------------------- local measures


def location_quotient(counts: ArrayLike) -> FloatArray:
    """Location quotient per unit and group: (x_ik / t_i) / (X_k / T); NaN for empty units."""
    c = check_multi(counts)
    t = c.sum(axis=1)
    big = c.sum(axis=0) / c.sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray((c / t[:, None]) / big, dtype=np.float64)


def local_diversity(counts: ArrayLike) -> FloatArray:
    """Local diversity per unit: -sum_k p_ik ln p_ik (0 for an empty unit)."""
    c = check_multi(counts)
    t = c.sum(axis=1)
    return np.asarray(-np.sum(_xlogx(_share(c, t[:, None])), axis=1), dtype=np.float64)


def local_entropy(counts: ArrayLike) -> FloatArray:
    """Local entropy per unit: local diversity divided by ln(K), in [0, 1]."""
    c = check_multi(counts)
    return local_diversity(c) / float(np.log(c.shape[1]))


def with_rest(group: ArrayLike, total: ArrayLike) -> FloatArray:
    """Two-column table (group, rest of the total) for the multigroup functions."""
    x, t = check_single(group, total)
    return np.column_stack([x, t - x])


def describe(values: FloatArray) -> dict[str, Any]:
    """Summary of a distribution: mean, standard deviation and quantiles."""
    q = np.quantile(values, [0.025, 0.05, 0.25, 0.5, 0.75, 0.95, 0.975])
    return {
        "mean": float(np.mean(values)),
        "std": float(np.std(values, ddof=1)) if values.size > 1 else 0.0,
        "quantiles": {
            key: float(v)
            for key, v in zip(("2.5%", "5%", "25%", "50%", "75%", "95%", "97.5%"), q, strict=True)
        },
    }
