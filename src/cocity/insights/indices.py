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
group: O(n log n) instead of the reference library's O(n^2) pairwise sums. Most indices run as
fused numba kernels (``kernels.py``, imported on first use) that validate, total and compute in
one or two passes over the counts; the numpy code here validates again only to name the problem
when a kernel reports one, so the errors are those of the numpy validation.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from types import ModuleType
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
#
# Validation is one pass over the data wherever the dtype allows it: whole-number arrays need
# only their minimum (no NaN possible); float arrays need only their minimum too, because NaN
# propagates through it and +inf shows in the sums computed anyway. Only when that fast check
# fails is the slower search for the first bad unit run, to name it in the error. Integer and
# float64 input is used as it is (no copy); other numeric dtypes are converted once.

IntArray = NDArray[np.int64]
CountArray = NDArray[np.int64] | NDArray[np.float64]


def _first_bad_unit(array: NDArray[Any], name: str) -> None:
    """Raise the error for the first unit with a non-finite or negative count (slow path)."""
    rows = array.reshape(array.shape[0], -1)
    finite = np.isfinite(rows).all(axis=1)
    if not finite.all():
        bad = int(np.flatnonzero(~finite)[0])
        raise ValueError(f"{name} has a missing or infinite value (unit {bad}).")
    negative = (rows < 0).any(axis=1)
    if negative.any():
        bad = int(np.flatnonzero(negative)[0])
        raise ValueError(f"{name} has a negative count (unit {bad}).")


def _as_counts(values: ArrayLike, name: str, ndim: int) -> CountArray:
    """Counts as int64 (whole-number input) or float64, checked in one pass, copied only if the
    dtype has to change."""
    raw = np.asarray(values)
    if raw.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got {raw.ndim}-D.")
    if raw.shape[0] == 0:
        raise ValueError(f"{name} has no units.")
    if ndim == 1 and not raw.flags.c_contiguous:
        # A column of a table: one strided pass (converting whole numbers to float64 on the
        # way, as exactly as the float arithmetic of the indices), then contiguous passes.
        raw = np.ascontiguousarray(raw, dtype=np.float64 if raw.dtype.kind in "iub" else None)
    kind = raw.dtype.kind
    if kind in "iub":
        ints = raw if raw.dtype == np.int64 else raw.astype(np.int64)
        if kind == "u" and raw.dtype.itemsize == 8 and raw.size and raw.max() > 2**62:
            raise ValueError(f"{name} has a count too large to handle.")
        if kind == "i" and ints.min() < 0:
            _first_bad_unit(ints, name)
        return ints
    if raw.dtype == np.float64:
        floats = raw
    else:
        try:
            floats = raw.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{name} must be numbers ({exc}).") from exc
    if not floats.min() >= 0:  # False for NaN, -inf and negatives alike
        _first_bad_unit(floats, name)
    return floats


def _total_of(values: CountArray, name: str) -> float:
    total = float(values.sum())
    if not np.isfinite(total):
        _first_bad_unit(values, name)
        raise ValueError(f"{name} adds up to more than a float can hold.")
    return total


def _whole(values: ArrayLike) -> bool:
    return np.asarray(values).dtype.kind in "iub"


# --------------------------------------------------------------------------- fused kernels

_KERNELS: ModuleType | None = None
_KERNEL_DTYPES = (np.dtype(np.int64), np.dtype(np.float64))


def _kernels() -> ModuleType:
    """The numba kernels, imported (and numba with them) on first use."""
    global _KERNELS
    if _KERNELS is None:
        from . import kernels

        _KERNELS = kernels
    return _KERNELS


def _kernel_array(values: ArrayLike, ndim: int) -> NDArray[Any] | None:
    """``values`` as the kernels take them: int64 or float64 (used as they are, any layout;
    other numeric dtypes converted once), or None when only the numpy validation can handle
    them (wrong shape, no units, not numbers, unsigned 64-bit counts that may not fit)."""
    raw = np.asarray(values)
    if raw.ndim != ndim or raw.shape[0] == 0:
        return None
    if raw.dtype in _KERNEL_DTYPES:
        return raw
    kind = raw.dtype.kind
    if kind in "iub" and not (kind == "u" and raw.dtype.itemsize == 8):
        return raw.astype(np.int64)
    if kind == "f":
        return raw.astype(np.float64)
    return None


def _fused_single(
    group: ArrayLike | SingleCounts, total: ArrayLike | None, kernel: Any, *extra: Any
) -> tuple[NDArray[Any], NDArray[Any], tuple[Any, ...]]:
    """(x, t, kernel(x, t, *extra)) for a one-group kernel whose result starts with (X, T, bad
    group, bad total, group > total): on the raw arrays when the kernel finds them valid,
    otherwise after ``SingleCounts`` has validated them (which raises the first problem's
    error)."""
    if not isinstance(group, SingleCounts) and total is not None:
        x, t = _kernel_array(group, 1), _kernel_array(total, 1)
        if x is not None and t is not None and x.shape == t.shape:
            if x.dtype != t.dtype:  # one float, one int: compute in float64
                x, t = np.asarray(x, dtype=np.float64), np.asarray(t, dtype=np.float64)
            out = kernel(x, t, *extra)
            big_x, big_t, bad_x, bad_t, over = out[:5]
            if not (bad_x or bad_t or over) and 0 < big_x < big_t < math.inf:
                return x, t, out
    s = prepare_single(group, total)  # raises the error of the first problem, if any
    return s.x, s.t, kernel(s.x, s.t, *extra)


def _fused_groups(
    counts: ArrayLike | GroupCounts, kernel: Any, *extra: Any
) -> tuple[NDArray[Any], list[float], tuple[Any, ...]]:
    """(g, X_k as floats, kernel(g)) for a multigroup kernel whose result starts with (X_k,
    bad), g the groups x units view of a plain table: on the table as it is when the kernel
    finds it valid, otherwise after ``GroupCounts`` has validated it (which raises the first
    problem's error)."""
    if not isinstance(counts, GroupCounts):
        raw = _kernel_array(counts, 2)
        if raw is not None and raw.shape[1] >= 2:
            g = raw.T
            out = kernel(g, *extra)
            totals = out[0].tolist()
            if not out[1] and all(0 < v < math.inf for v in totals):
                return g, totals, out
        counts = GroupCounts(counts)  # raises the error of the first problem, if any
    out = kernel(counts.counts, *extra)
    return counts.counts, out[0].tolist(), out


def _group_sums(g: NDArray[Any]) -> tuple[FloatArray, bool, NDArray[np.int64] | None]:
    """(X_k, a count is negative or NaN, for whole numbers a bound on each group's largest
    count (None for floats)); one pass."""
    k = _kernels()
    if g.dtype == np.int64:
        out: tuple[FloatArray, bool, NDArray[np.int64]] = k.group_sums_int(g)
        return out
    totals, bad = k.group_sums(g)
    return totals, bad, None


def _shares_of(totals: list[float]) -> tuple[float, list[float]]:
    """(T, the city shares P_k) from the group totals."""
    grand = math.fsum(totals)
    return grand, [v / grand for v in totals]


class SingleCounts:
    """A validated (group, total) pair with its sums: the shared first step of every one-group
    index. Every one-group function accepts one in place of ``(group, total)``; what an index
    needs beyond the sums (the shares, float copies) is computed on first use and kept.
    """

    __slots__ = ("_share", "_tf", "_xf", "big_t", "big_x", "integer", "p", "t", "x")

    def __init__(self, group: ArrayLike, total: ArrayLike):
        x = _as_counts(group, "group", 1)
        t = _as_counts(total, "total", 1)
        if x.shape != t.shape:
            raise ValueError(f"group and total differ in length ({x.shape[0]} and {t.shape[0]}).")
        if x.dtype != t.dtype:  # one float, one int: compare (and compute) in float64
            x, t = np.asarray(x, dtype=np.float64), np.asarray(t, dtype=np.float64)
        over = np.less(t, x)
        if over.any():
            bad = int(np.flatnonzero(over)[0])
            raise ValueError(f"group is larger than total in unit {bad} ({x[bad]:g} > {t[bad]:g}).")
        big_x, big_t = _total_of(x, "group"), _total_of(t, "total")
        if big_t <= 0:
            raise ValueError("total population is zero.")
        if big_x <= 0:
            raise ValueError("the group has no members: the index is undefined.")
        if big_x >= big_t:
            raise ValueError("everyone belongs to the group: the index is undefined.")
        self.x, self.t = x, t
        self.big_x, self.big_t = big_x, big_t
        self.p = big_x / big_t
        # Whole-number input (possibly converted to float64 above, still whole numbers).
        self.integer = _whole(group) and _whole(total)
        self._share: FloatArray | None = None
        self._xf: FloatArray | None = None
        self._tf: FloatArray | None = None

    @property
    def xf(self) -> FloatArray:
        """The group as float64 (converted once, on first use)."""
        if self._xf is None:
            self._xf = np.asarray(self.x, dtype=np.float64)
        return self._xf

    @property
    def tf(self) -> FloatArray:
        """The totals as float64 (converted once, on first use)."""
        if self._tf is None:
            self._tf = np.asarray(self.t, dtype=np.float64)
        return self._tf

    def share(self) -> FloatArray:
        """p_i = x_i / t_i, 0 for empty units (where x_i is 0 as well)."""
        if self._share is None:
            if self.integer:  # an empty unit is the only one with t_i < 1, and has x_i = 0
                out = np.maximum(self.tf, 1.0)
                self._share = np.divide(self.xf, out, out=out)
            else:
                self._share = _share(self.xf, self.tf)
        return self._share


def prepare_single(group: ArrayLike | SingleCounts, total: ArrayLike | None = None) -> SingleCounts:
    """Validate one group against its totals once (see ``SingleCounts``)."""
    if isinstance(group, SingleCounts):
        return group
    if total is None:
        raise ValueError("total is missing.")
    return SingleCounts(group, total)


def check_single(group: ArrayLike, total: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Validate one group against its totals; return both as float arrays."""
    s = SingleCounts(group, total)
    return np.asarray(s.x, dtype=np.float64), np.asarray(s.t, dtype=np.float64)


def _share(x: FloatArray, t: FloatArray) -> FloatArray:
    """x / t, with 0 where t is 0 (the reference library's convention for empty units)."""
    out = np.zeros(x.shape, dtype=np.float64)
    np.divide(x, t, out=out, where=t > 0)
    return out


def _xlogx(p: FloatArray) -> FloatArray:
    """p * ln(p) with 0 * ln(0) = 0."""
    out = np.zeros(p.shape, dtype=np.float64)
    positive = p > 0
    out[positive] = p[positive] * np.log(p[positive])
    return out


def weighted_abs_pair_sum(values: FloatArray, weights: FloatArray) -> float:
    """Sum over ordered pairs (i, j) of w_i * w_j * |v_i - v_j|, in O(n log n).

    After sorting by value, unit i's pairs with all earlier units add
    ``w_i * (v_i * W_before - (w v)_before)``; each unordered pair is counted once, so the
    result is doubled to count ordered pairs as the reference library does. Ties add nothing
    whatever their order, so the sort need not be stable.
    """
    order = np.argsort(values)
    return _kernels().sorted_pair_sum(values, np.asarray(weights, dtype=np.float64), order)


# --------------------------------------------------------------------------- one group


def dissimilarity(group: ArrayLike | SingleCounts, total: ArrayLike | None = None) -> float:
    """Index of dissimilarity D (Massey and Denton 1988).

    sum_i |x_i - t_i P| is computed as 2 (X - sum_i min(x_i, t_i P)), using sum_i t_i P = X.
    """
    k = _kernels()
    x, t, (big_x, big_t, *_) = _fused_single(group, total, k.pair_sums, k.SUMS, 0.0)
    below = k.min_expected_pair(x, t, big_x / big_t)
    return dissimilarity_from_sums(big_x, big_t, below)


# The one-group and multigroup indices from their sums (the index functions and the permutation
# tests' compiled sums of ``report.py`` share these formulas).


def dissimilarity_from_sums(big_x: float, big_t: float, below: float) -> float:
    """D from X, T and sum_i min(x_i, t_i P)."""
    p = big_x / big_t
    return float((big_x - below) / (big_t * p * (1 - p)))


def entropy_from_sums(big_x: float, big_t: float, local: float) -> float:
    """H from X, T and sum_i t_i E_i = sum_i (t ln t - x ln x - y ln y)_i."""
    p = big_x / big_t
    e = -(p * math.log(p) + (1 - p) * math.log(1 - p))
    return float(1 - local / (e * big_t))


def correlation_ratio_from_sums(big_x: float, big_t: float, squares: float) -> float:
    """V from X, T and sum_i x_i^2 / t_i."""
    p = big_x / big_t
    return float((squares / big_x - p) / (1 - p))


def atkinson_from_sums(big_x: float, big_t: float, powers: float, b: float) -> float:
    """A(b) from X, T and sum_i x_i^b y_i^(1-b)."""
    p = big_x / big_t
    inner = powers / (p * big_t)
    return float(1 - (p / (1 - p)) * abs(inner) ** (1 / (1 - b)))


def gini(group: ArrayLike | SingleCounts, total: ArrayLike | None = None) -> float:
    """Gini segregation index G, by sorting (O(n log n))."""
    s = prepare_single(group, total)
    return gini_from_pairs(s, gini_pairs(s))


def gini_pairs(s: SingleCounts) -> float:
    """sum_ij t_i t_j |p_i - p_j| (ordered pairs), the sum behind both Gini indices."""
    return weighted_abs_pair_sum(s.share(), s.tf)


def gini_from_pairs(s: SingleCounts, pairs: float) -> float:
    return gini_from_sums(s.big_x, s.big_t, pairs)


def gini_from_sums(big_x: float, big_t: float, pairs: float) -> float:
    """G from X, T and sum_ij t_i t_j |p_i - p_j| (ordered pairs)."""
    p = big_x / big_t
    return float(pairs / (2 * big_t * big_t * p * (1 - p)))


def _binary_entropy(p: FloatArray) -> FloatArray:
    return -(_xlogx(p) + _xlogx(1 - p))


def entropy(group: ArrayLike | SingleCounts, total: ArrayLike | None = None) -> float:
    """Theil's information theory index H (natural logarithm).

    H = 1 - sum_i t_i E_i / (E T), with t_i E_i = t ln t - x ln x - y ln y (y = t - x); for
    whole-number counts the k ln k values come from a table (one logarithm per distinct count).
    """
    k = _kernels()
    x, t, (big_x, big_t, *_, top) = _fused_single(group, total, k.pair_sums, k.LARGEST, 0.0)
    if x.dtype == np.int64:
        table = _xlogx_table(int(top), t.size)
        if table is not None:
            local = float(k.binary_xlogx_table(x, t, table))
        else:
            local = sum_xlogx_int(t) - sum_xlogx_int(x) - sum_xlogx_int(t - x)
    else:
        xf, tf = np.asarray(x, dtype=np.float64), np.asarray(t, dtype=np.float64)
        local = float(np.sum(tf * _binary_entropy(_share(xf, tf))))
    return entropy_from_sums(big_x, big_t, local)


def _isolation_sums(
    group: ArrayLike | SingleCounts, total: ArrayLike | None
) -> tuple[float, float, float]:
    """(X, T, sum_i x_i^2 / t_i)."""
    k = _kernels()
    _, _, (big_x, big_t, *_, squares, _) = _fused_single(group, total, k.pair_sums, k.SQUARES, 0.0)
    return big_x, big_t, squares


def isolation(group: ArrayLike | SingleCounts, total: ArrayLike | None = None) -> float:
    """Isolation index xPx: the group share in the unit of the average group member."""
    big_x, _, squares = _isolation_sums(group, total)
    return float(squares / big_x)


def exposure(group: ArrayLike | SingleCounts, total: ArrayLike | None = None) -> float:
    """Exposure (interaction) index xPy: the share of the rest in the average member's unit."""
    # sum_i (x_i / X)(1 - p_i) = 1 - xPx: the x_i / X add up to 1 (empty units have x_i = 0).
    big_x, _, squares = _isolation_sums(group, total)
    return float(1.0 - squares / big_x)


def atkinson(
    group: ArrayLike | SingleCounts, total: ArrayLike | None = None, b: float = 0.5
) -> float:
    """Atkinson index with shape parameter ``b`` (0 <= b < 1, default 0.5).

    sum_i (1 - p_i)^(1-b) p_i^b t_i is computed as sum_i y_i^(1-b) x_i^b (y = t - x).
    """
    if not 0 <= b < 1:
        raise ValueError("Atkinson's b must be at least 0 and below 1.")
    k = _kernels()
    if b == 0:
        _, _, (big_x, big_t, *_) = _fused_single(group, total, k.pair_sums, k.SUMS, 0.0)
        powers = big_t - big_x
    else:
        _, _, (big_x, big_t, *_, powers, _) = _fused_single(
            group, total, k.pair_sums, k.POWERS, float(b)
        )
    return atkinson_from_sums(big_x, big_t, powers, b)


def correlation_ratio(group: ArrayLike | SingleCounts, total: ArrayLike | None = None) -> float:
    """Correlation ratio V (eta squared): isolation adjusted for the group's overall share."""
    big_x, big_t, squares = _isolation_sums(group, total)
    return correlation_ratio_from_sums(big_x, big_t, squares)


SINGLE_GROUP_FUNCTIONS: dict[str, Callable[..., float]] = {
    "dissimilarity": dissimilarity,
    "gini": gini,
    "entropy": entropy,
    "isolation": isolation,
    "exposure": exposure,
    "atkinson": atkinson,
    "correlation_ratio": correlation_ratio,
}


def single_group_indices(group: ArrayLike, total: ArrayLike) -> dict[str, float]:
    """Every one-group index, validating the input once (whole numbers stay whole numbers)."""
    s = SingleCounts(group, total)
    return {name: fn(s) for name, fn in SINGLE_GROUP_FUNCTIONS.items()}


# --------------------------------------------------------------------------- several groups


class GroupCounts:
    """Validated units x groups counts, prepared once for every multigroup index.

    Preparation (the constructor) validates the counts and totals each group in one pass (a
    fused kernel; the numpy validation runs only to name a problem the kernel found) and keeps
    the counts as they are, int64 or float64, groups x units (``counts``: a view of a
    column-major table, as ``DataFrame.to_numpy()`` gives; a C-ordered table is copied to that
    layout once, since every index reads the counts again). Every multigroup index and local
    measure accepts either a plain units x groups array or a ``GroupCounts``; what one index
    needs beyond that (square sums, entropy sums, and for the Gini index and the local measures
    the float64 group-major copy ``by_group``, the unit totals t_i and the shares) is computed
    on first use and cached, so computing several indices from one ``GroupCounts`` does each
    piece of work once (the reference library repeats the validation and the layout change for
    every index). The counts must not be modified while the ``GroupCounts`` is in use: they are
    kept by reference.
    """

    def __init__(self, counts: ArrayLike):
        raw = np.asarray(counts)
        if raw.ndim != 2:
            raise ValueError(f"counts must be a 2-D array, got {raw.ndim}-D.")
        if raw.shape[0] == 0:
            raise ValueError("counts has no units.")
        if raw.shape[1] < 2:
            raise ValueError("multigroup indices need at least two groups.")
        fast = _kernel_array(raw, 2)
        if fast is None:  # e.g. unsigned 64-bit or non-numeric: the numpy validation converts
            fast = _as_counts(raw, "counts", 2)
        g = fast.T
        totals, bad, largest = _group_sums(g)
        if bad or not np.all(np.isfinite(totals)):
            _first_bad_unit(fast, "counts")
            raise ValueError("counts add up to more than a float can hold.")
        if np.any(totals <= 0):
            bad_group = int(np.flatnonzero(totals <= 0)[0])
            raise ValueError(f"group {bad_group} has no members: the index is undefined.")
        if not g.flags.c_contiguous:
            # Each index reads the counts again: lay them out group-major once (in chunks of
            # units that stay in the CPU cache), keeping the dtype.
            g = _group_major(g)
        self.counts: NDArray[Any] = g
        self.integer = g.dtype == np.int64
        # For whole numbers, a bound on each group's largest count (for the entropy table).
        self.largest: NDArray[np.int64] | None = largest
        self.group_totals: FloatArray = np.asarray(totals, dtype=np.float64)
        self.grand_total = float(self.group_totals.sum())
        self.city_shares: FloatArray = self.group_totals / self.grand_total
        self._cache: dict[str, Any] = {}

    @property
    def by_group(self) -> FloatArray:
        """The counts as float64, groups x units, C-contiguous (a view when they already are:
        e.g. a float64 table in column-major order, as ``DataFrame.to_numpy()`` gives)."""
        if "by_group" not in self._cache:
            self._cache["by_group"] = np.asarray(self.counts, dtype=np.float64)
        return np.asarray(self._cache["by_group"])

    @property
    def total(self) -> FloatArray:
        """t_i, the people of each unit (float64)."""
        if "total" not in self._cache:
            by_group = self.by_group
            total = by_group[0] + by_group[1]
            for k in range(2, by_group.shape[0]):
                total += by_group[k]
            self._cache["total"] = total
        return np.asarray(self._cache["total"])

    @property
    def ints(self) -> NDArray[np.int64] | None:
        """The whole-number counts, units x groups (None for float input)."""
        return np.asarray(self.counts.T, dtype=np.int64) if self.integer else None

    @property
    def units(self) -> int:
        return int(self.counts.shape[1])

    @property
    def groups(self) -> int:
        return int(self.counts.shape[0])

    def inverse_total(self) -> FloatArray:
        """1 / t_i for the units with people. An empty unit's counts are all 0, so any finite
        value serves it: 1 for whole-number counts (no unit lies between 0 and 1, so
        1 / max(t_i, 1) needs no mask), 0 otherwise."""
        if "inv" not in self._cache:
            if self.integer:
                inv = np.maximum(self.total, 1.0)
                np.divide(1.0, inv, out=inv)
            else:
                inv = np.zeros_like(self.total)
                np.divide(1.0, self.total, out=inv, where=self.total > 0)
            self._cache["inv"] = inv
        return np.asarray(self._cache["inv"])

    def shares(self) -> FloatArray:
        """p_ik = c_ik / t_i (0 for empty units), group-major."""
        if "shares" not in self._cache:
            self._cache["shares"] = self.by_group * self.inverse_total()
        return np.asarray(self._cache["shares"])

    def square_sums(self) -> FloatArray:
        """s_k = sum_i c_ik^2 / t_i, so that sum_i t_i (p_ik - P_k)^2 = s_k - T P_k^2."""
        if "sq" not in self._cache:
            self._cache["sq"] = _kernels().square_sums(self.counts)[2]
        return np.asarray(self._cache["sq"])

    def entropy_sums(self) -> tuple[float, float]:
        """(sum_ik c_ik ln c_ik, sum_i t_i ln t_i)."""
        if "xlogx" not in self._cache:
            self._cache["xlogx"] = _entropy_sums(self.counts, self.largest)
        cached: tuple[float, float] = self._cache["xlogx"]
        return cached


_TRANSPOSE_CHUNK = 16_384


def _group_major(g: NDArray[Any]) -> NDArray[Any]:
    """A C-contiguous copy of a groups x units view, copied in chunks of units."""
    out = np.empty(g.shape, dtype=g.dtype)
    for start in range(0, g.shape[1], _TRANSPOSE_CHUNK):
        stop = start + _TRANSPOSE_CHUNK
        np.copyto(out[:, start:stop], g[:, start:stop])
    return out


def group_totals(counts: ArrayLike | GroupCounts) -> FloatArray:
    """X_k, the people of each group, validated (one pass over a plain table; the Simpson's
    indices and the diversity need nothing else)."""
    return np.array(_group_totals(counts), dtype=np.float64)


def _group_totals(counts: ArrayLike | GroupCounts) -> list[float]:
    if isinstance(counts, GroupCounts):
        return list(counts.group_totals.tolist())
    return _fused_groups(counts, _group_sums)[1]


def prepare_groups(counts: ArrayLike | GroupCounts) -> GroupCounts:
    """Validate and prepare a units x groups table once (see ``GroupCounts``)."""
    return counts if isinstance(counts, GroupCounts) else GroupCounts(counts)


def _xlogx_table(top: int, size: int) -> FloatArray | None:
    """k ln k for k = 0..top, when a table is cheaper than one logarithm per value."""
    if top > max(65_536, size):
        return None
    table = np.arange(top + 1, dtype=np.float64)
    table[1:] *= np.log(table[1:])
    return table


def sum_xlogx_int(values: NDArray[np.int64]) -> float:
    """sum of k ln k over whole numbers, by table look-up when the largest is not too big."""
    if values.size == 0:
        return 0.0
    table = _xlogx_table(int(values.max()), values.size)
    if table is not None:
        return float(table[values].sum())
    return float(np.sum(_xlogx(values.astype(np.float64))))


def _interaction(g: GroupCounts) -> float:
    pk = g.city_shares
    return float(np.sum(pk * (1 - pk)))


def multi_dissimilarity(counts: ArrayLike | GroupCounts) -> float:
    """Multigroup dissimilarity D (Reardon and Firebaugh 2002).

    sum_ik t_i |p_ik - P_k| is computed as sum_ik |c_ik - t_i P_k| (no division per unit), i.e.
    2 sum_k (X_k - sum_i min(c_ik, t_i P_k)), using sum_i t_i P_k = X_k.
    """
    k = _kernels()
    if isinstance(counts, GroupCounts):
        g, totals = counts.counts, counts.group_totals.tolist()
    else:
        g, totals, _ = _fused_groups(counts, _group_sums)
    return multi_dissimilarity_from_sums(
        totals, float(k.min_expected_sum(g, np.array(_shares_of(totals)[1])))
    )


def multi_dissimilarity_from_sums(totals: list[float], below: float) -> float:
    """Multigroup D from the X_k and sum_ik min(c_ik, t_i P_k)."""
    grand, pk = _shares_of(totals)
    return (grand - below) / (grand * math.fsum(p * (1 - p) for p in pk))


def multi_gini(counts: ArrayLike | GroupCounts) -> float:
    """Multigroup Gini G, by sorting each group's shares (O(K n log n))."""
    g = prepare_groups(counts)
    shares = g.shares()
    return multi_gini_from_pairs(
        g, [weighted_abs_pair_sum(shares[k], g.total) for k in range(g.groups)]
    )


def multi_gini_from_pairs(g: GroupCounts, pairs: list[float]) -> float:
    """The multigroup Gini from each group's sum_ij t_i t_j |p_ik - p_jk|."""
    return multi_gini_from_sums(g.group_totals.tolist(), pairs)


def multi_gini_from_sums(totals: list[float], pairs: list[float]) -> float:
    """The multigroup Gini from the X_k and each group's sum_ij t_i t_j |p_ik - p_jk|."""
    grand, pk = _shares_of(totals)
    return float(math.fsum(pairs) / (2 * grand**2 * math.fsum(p * (1 - p) for p in pk)))


def _entropy_sums(g: NDArray[Any], largest: NDArray[np.int64] | None) -> tuple[float, float]:
    """(sum_ik c_ik ln c_ik, sum_i t_i ln t_i) of a valid groups x units table; k ln k from a
    table for whole numbers when the bound on every unit total (the sum of the bounds on the
    groups' largest counts) is small enough."""
    k = _kernels()
    if largest is not None:
        table = _xlogx_table(sum(largest.tolist()), g.size)  # Python ints: no overflow
        if table is not None:
            cells, units = k.xlogx_sums_table(g, table)
            return float(cells), float(units)
    cells, units = k.xlogx_sums(g)
    return float(cells), float(units)


def multi_information_theory(counts: ArrayLike | GroupCounts) -> float:
    """Multigroup information theory index H (natural logarithm).

    sum_ik c_ik ln(p_ik / P_k) = sum c ln c - sum_i t_i ln t_i - sum_k X_k ln P_k, where the
    c ln c sums of whole-number counts come from a table (one logarithm per distinct count).
    """
    if isinstance(counts, GroupCounts):
        totals = counts.group_totals.tolist()
        cells, units = counts.entropy_sums()
    else:
        g, totals, (_, _, largest) = _fused_groups(counts, _group_sums)
        cells, units = _entropy_sums(g, largest)
    return multi_information_theory_from_sums(totals, cells, units)


def multi_information_theory_from_sums(totals: list[float], cells: float, units: float) -> float:
    """Multigroup H from the X_k, sum_ik c_ik ln c_ik and sum_i t_i ln t_i."""
    grand, pk = _shares_of(totals)
    e = -math.fsum(p * math.log(p) for p in pk)
    between = cells - units - math.fsum(x * math.log(p) for x, p in zip(totals, pk, strict=True))
    return between / (grand * e)


def _square_sums(counts: ArrayLike | GroupCounts) -> tuple[list[float], list[float]]:
    """(X_k, s_k = sum_i c_ik^2 / t_i), validated."""
    if isinstance(counts, GroupCounts):
        return counts.group_totals.tolist(), counts.square_sums().tolist()
    _, totals, (_, _, squares) = _fused_groups(counts, _kernels().square_sums)
    return totals, squares.tolist()


def multi_normalized_exposure(counts: ArrayLike | GroupCounts) -> float:
    """Multigroup normalized exposure P = sum_k sum_i t_i (p_ik - P_k)^2 / ((1 - P_k) T).

    sum_i t_i (p_ik - P_k)^2 = s_k - T P_k^2 with s_k = sum_i c_ik^2 / t_i.
    """
    return multi_normalized_exposure_from_sums(*_square_sums(counts))


def multi_normalized_exposure_from_sums(totals: list[float], squares: list[float]) -> float:
    """Multigroup normalized exposure from the X_k and s_k = sum_i c_ik^2 / t_i."""
    grand, pk = _shares_of(totals)
    spread = math.fsum((s - grand * p * p) / (1 - p) for s, p in zip(squares, pk, strict=True))
    return spread / grand


def multi_relative_diversity(counts: ArrayLike | GroupCounts) -> float:
    """Multigroup relative diversity R = sum_ik t_i (p_ik - P_k)^2 / (T I)."""
    return multi_relative_diversity_from_sums(*_square_sums(counts))


def multi_relative_diversity_from_sums(totals: list[float], squares: list[float]) -> float:
    """Multigroup relative diversity from the X_k and s_k = sum_i c_ik^2 / t_i."""
    grand, pk = _shares_of(totals)
    spread = math.fsum(squares) - grand * math.fsum(p * p for p in pk)
    return spread / (grand * math.fsum(p * (1 - p) for p in pk))


def simpsons_interaction(counts: ArrayLike | GroupCounts) -> float:
    """Simpson's interaction: chance that two people drawn at random belong to different groups."""
    _, pk = _shares_of(_group_totals(counts))
    return math.fsum(p * (1 - p) for p in pk)


def simpsons_concentration(counts: ArrayLike | GroupCounts) -> float:
    """Simpson's concentration: chance that two people drawn at random share a group."""
    _, pk = _shares_of(_group_totals(counts))
    return math.fsum(p * p for p in pk)


def multi_diversity(counts: ArrayLike | GroupCounts, normalized: bool = False) -> float:
    """City-wide diversity (entropy of the group shares), optionally divided by ln(K)."""
    _, pk = _shares_of(_group_totals(counts))
    e = -math.fsum(p * math.log(p) for p in pk)
    return e / math.log(len(pk)) if normalized else e


MULTIGROUP_FUNCTIONS: dict[str, Callable[[ArrayLike | GroupCounts], float]] = {
    "dissimilarity": multi_dissimilarity,
    "gini": multi_gini,
    "information_theory": multi_information_theory,
    "normalized_exposure": multi_normalized_exposure,
    "relative_diversity": multi_relative_diversity,
    "simpsons_interaction": simpsons_interaction,
    "simpsons_concentration": simpsons_concentration,
    "diversity": multi_diversity,
}


def multigroup_indices(counts: ArrayLike | GroupCounts) -> dict[str, float]:
    """Every multigroup index, validating and preparing the input once."""
    g = prepare_groups(counts)
    return {name: fn(g) for name, fn in MULTIGROUP_FUNCTIONS.items()}


def check_multi(counts: ArrayLike) -> FloatArray:
    """Validate a units x groups table of counts; return it as a float array (units x groups)."""
    return np.ascontiguousarray(GroupCounts(counts).by_group.T)


# --------------------------------------------------------------------------- local measures


def location_quotient(counts: ArrayLike | GroupCounts) -> FloatArray:
    """Location quotient per unit and group: (x_ik / t_i) / (X_k / T); NaN for empty units."""
    g = prepare_groups(counts)
    with np.errstate(invalid="ignore", divide="ignore"):
        lq = g.by_group / g.total / g.city_shares[:, None]
    return np.ascontiguousarray(lq.T)


def local_diversity(counts: ArrayLike | GroupCounts) -> FloatArray:
    """Local diversity per unit: -sum_k p_ik ln p_ik (0 for an empty unit)."""
    g = prepare_groups(counts)
    return np.asarray(-np.sum(_xlogx(g.shares()), axis=0), dtype=np.float64)


def local_entropy(counts: ArrayLike | GroupCounts) -> FloatArray:
    """Local entropy per unit: local diversity divided by ln(K), in [0, 1]."""
    g = prepare_groups(counts)
    return local_diversity(g) / float(np.log(g.groups))


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
