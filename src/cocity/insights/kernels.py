"""Fused kernels for the indices of ``indices.py`` (numpy, and numba when installed; no Django).

numpy needs one pass over the data for every elementary step (a minimum to validate, a sum per
group, a division, a minimum against the expected count, ...); the numba kernels validate, total
and compute an index in one or two passes instead. They take the counts as they come (int64 or
float64, a one-group pair of 1-D arrays or a groups x units view of a units x groups table)
and never raise: they report whether a count is negative or NaN, and ``indices.py`` then runs its
slower numpy validation to raise the same error it always has.

Every kernel is a plain function under ``@njit``: no source is generated at run time. Each
public function here checks ``NUMBA`` and calls either the compiled kernel or its numpy
equivalent (same arguments, same results up to the order of floating-point sums). ``NUMBA`` is
False when numba cannot be imported or ``COCITY_INSIGHTS_NUMBA=0``; the tests switch it off to
run the numpy path. ADR 0008 records the measured difference.

Compiled on first use and cached on disk (``cache=True``: in ``__pycache__`` beside this file, or
numba's user-wide cache directory, or ``NUMBA_CACHE_DIR``). ``fastmath`` allows only
reassociation (so that sums vectorise), contraction and signed zeros: no ``nnan`` / ``ninf``, so
NaN and infinities keep their meaning for the validation. ``error_model="numpy"``: a division by
zero gives inf or NaN, as in numpy, instead of raising. ``nogil``: the permutation tests call the
indices from several threads at once.

Multigroup kernels walk the units in blocks of ``BLOCK`` (the unit totals t_i built in a small
buffer that stays in the CPU cache while each group's counts of the block are read once more,
so that the table itself is read from memory once per pass), for any number of groups.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from typing import Any

import numpy as np

_njit: Any
try:  # numba is a dependency, but the core runs (more slowly) without it
    from numba import njit as _njit

    NUMBA = os.environ.get("COCITY_INSIGHTS_NUMBA", "1") != "0"
except ImportError:  # pragma: no cover - numba is installed wherever the tests run
    _njit = None
    NUMBA = False

BLOCK = 1024
_OPTIONS: dict[str, Any] = {
    "cache": True,
    "nogil": True,
    "fastmath": {"reassoc", "contract", "nsz"},
    "error_model": "numpy",
}


def _compiled(fn: Callable[..., Any]) -> Any:
    """``fn`` under ``@njit`` (compiled lazily, on its first call), or None without numba."""
    return None if _njit is None else _njit(**_OPTIONS)(fn)


# --------------------------------------------------------------------------- several groups
#
# ``g`` is the table as groups x units (``counts.T``): a C-contiguous array when the table is
# column-major (``DataFrame.to_numpy()``), so that each group's counts are contiguous.


def _group_sums_loop(g):  # type: ignore[no-untyped-def]
    groups, n = g.shape
    totals = np.zeros(groups)
    bad = False
    for k in range(groups):
        row = g[k]
        s = 0.0
        for i in range(n):
            v = row[i]
            s += v
            bad |= not v >= 0
        totals[k] = s
    return totals, bad


def _group_sums_int_loop(g):  # type: ignore[no-untyped-def]
    groups, n = g.shape
    totals = np.zeros(groups)
    bits = np.zeros(groups, dtype=np.int64)
    for k in range(groups):
        row = g[k]
        s = 0
        b = 0
        for i in range(n):
            v = row[i]
            s += v
            b |= v
        totals[k] = s
        bits[k] = b
    if bits.min() < 0:
        return totals, True, bits
    if bits.max() >= 2**31:  # an integer sum could overflow: sum again as floats
        for k in range(groups):
            row = g[k]
            f = 0.0
            for i in range(n):
                f += row[i]
            totals[k] = f
    return totals, False, bits


def _min_expected_sum_loop(g, city_shares):  # type: ignore[no-untyped-def]
    groups, n = g.shape
    t = np.empty(BLOCK)
    acc = 0.0
    for start in range(0, n, BLOCK):
        m = min(n - start, BLOCK)
        row = g[0, start : start + m]
        for j in range(m):
            t[j] = row[j]
        for k in range(1, groups):
            row = g[k, start : start + m]
            for j in range(m):
                t[j] += row[j]
        for k in range(groups):
            row = g[k, start : start + m]
            p = city_shares[k]
            s = 0.0
            for j in range(m):
                c = float(row[j])
                e = t[j] * p
                s += c if c < e else e
            acc += s
    return acc


def _square_sums_loop(g):  # type: ignore[no-untyped-def]
    groups, n = g.shape
    inv = np.empty(BLOCK)
    totals = np.zeros(groups)
    squares = np.zeros(groups)
    bad = False
    for start in range(0, n, BLOCK):
        m = min(n - start, BLOCK)
        for j in range(m):
            inv[j] = 0.0
        for k in range(groups):
            row = g[k, start : start + m]
            s = 0.0
            for j in range(m):
                v = row[j]
                inv[j] += v
                s += v
                bad |= not v >= 0
            totals[k] += s
        for j in range(m):
            inv[j] = 1.0 / inv[j] if inv[j] > 0 else 0.0
        for k in range(groups):
            row = g[k, start : start + m]
            s = 0.0
            for j in range(m):
                c = float(row[j])
                s += c * c * inv[j]
            squares[k] += s
    return totals, bad, squares


def _xlogx_sums_table_loop(g, table):  # type: ignore[no-untyped-def]
    groups, n = g.shape
    t = np.empty(BLOCK, dtype=np.int64)
    cells = 0.0
    units = 0.0
    for start in range(0, n, BLOCK):
        m = min(n - start, BLOCK)
        row = g[0, start : start + m]
        for j in range(m):
            t[j] = row[j]
        for k in range(1, groups):
            row = g[k, start : start + m]
            for j in range(m):
                t[j] += row[j]
        s = 0.0
        for k in range(groups):
            row = g[k, start : start + m]
            for j in range(m):
                s += table[np.uint64(row[j])]
        cells += s
        s = 0.0
        for j in range(m):
            s += table[np.uint64(t[j])]
        units += s
    return cells, units


def _xlogx_sums_loop(g):  # type: ignore[no-untyped-def]
    groups, n = g.shape
    t = np.empty(BLOCK)
    cells = 0.0
    units = 0.0
    for start in range(0, n, BLOCK):
        m = min(n - start, BLOCK)
        for j in range(m):
            t[j] = 0.0
        for k in range(groups):
            row = g[k, start : start + m]
            for j in range(m):
                c = float(row[j])
                t[j] += c
                if c > 0:
                    cells += c * math.log(c)
        for j in range(m):
            if t[j] > 0:
                units += t[j] * math.log(t[j])
    return cells, units


_nb_group_sums = _compiled(_group_sums_loop)
_nb_group_sums_int = _compiled(_group_sums_int_loop)
_nb_min_expected_sum = _compiled(_min_expected_sum_loop)
_nb_square_sums = _compiled(_square_sums_loop)
_nb_xlogx_sums_table = _compiled(_xlogx_sums_table_loop)
_nb_xlogx_sums = _compiled(_xlogx_sums_loop)


def _bad(values: Any) -> bool:
    """A count is negative or NaN (the minimum propagates NaN; ``not NaN >= 0`` is True)."""
    return bool(values.size) and not bool(np.min(values) >= 0)


def _xlogx(values: Any) -> Any:
    out = np.zeros(values.shape)
    positive = values > 0
    out[positive] = values[positive] * np.log(values[positive])
    return out


def group_sums(g: Any) -> tuple[Any, bool]:
    """(X_k as float64, whether a count is negative or NaN); one pass."""
    if NUMBA:
        return _nb_group_sums(g)  # type: ignore[no-any-return]
    return np.asarray(g.sum(axis=1), dtype=np.float64), _bad(g)


def group_sums_int(g: Any) -> tuple[Any, bool, Any]:
    """``group_sums`` for int64 counts, faster: summed as integers and checked for a negative
    count by OR-ing each group's counts (the result is negative if one is). Returns (X_k, bad,
    the OR of each group's counts): for valid counts, at least the group's largest count, so
    that their sum bounds every unit total (the size of a table of k ln k). Exact below 2^31
    per count (fewer than 2^32 of them cannot overflow a sum); larger counts are summed again
    as floats."""
    if NUMBA:
        return _nb_group_sums_int(g)  # type: ignore[no-any-return]
    bits = np.bitwise_or.reduce(g, axis=1)
    return g.sum(axis=1, dtype=np.float64), bool(bits.size and bits.min() < 0), bits


def square_sums(g: Any) -> tuple[Any, bool, Any]:
    """(X_k, bad, s_k = sum_i c_ik^2 / t_i over units with people); one pass."""
    if NUMBA:
        return _nb_square_sums(g)  # type: ignore[no-any-return]
    f = np.asarray(g, dtype=np.float64)
    t = f.sum(axis=0)
    inv = np.zeros_like(t)
    np.divide(1.0, t, out=inv, where=t > 0)
    with np.errstate(all="ignore"):
        squares = (f * f * inv).sum(axis=1)
    return f.sum(axis=1), _bad(g), squares


def min_expected_sum(g: Any, city_shares: Any) -> float:
    """sum_ik min(c_ik, t_i P_k) (multigroup dissimilarity); one pass."""
    if NUMBA:
        return float(_nb_min_expected_sum(g, city_shares))
    f = np.asarray(g, dtype=np.float64)
    return float(np.minimum(f, f.sum(axis=0) * np.asarray(city_shares)[:, None]).sum())


def xlogx_sums_table(g: Any, table: Any) -> tuple[float, float]:
    """(sum_ik c_ik ln c_ik, sum_i t_i ln t_i) for valid whole numbers, k ln k read from
    ``table`` (which must reach the largest unit total); one pass."""
    if NUMBA:
        cells, units = _nb_xlogx_sums_table(g, table)
        return float(cells), float(units)
    return float(table[g].sum()), float(table[g.sum(axis=0)].sum())


def xlogx_sums(g: Any) -> tuple[float, float]:
    """(sum_ik c_ik ln c_ik, sum_i t_i ln t_i) with one logarithm per value (0 ln 0 = 0)."""
    if NUMBA:
        cells, units = _nb_xlogx_sums(g)
        return float(cells), float(units)
    f = np.asarray(g, dtype=np.float64)
    return float(_xlogx(f).sum()), float(_xlogx(f.sum(axis=0)).sum())


# --------------------------------------------------------------------------- one group
#
# ``x`` (the group) and ``t`` (the totals) are 1-D arrays of one length, of any stride. Each
# kernel returns the validation flags (a negative or NaN group count, a negative or NaN total,
# a group larger than its total) with X and T, so that the caller can check them first.


SUMS = 0  # pair_sums: X, T and the flags only
LARGEST = 1  # ... and the largest total (for a table of k ln k)
SQUARES = 2  # ... and sum_i x_i^2 / t_i over units with people (isolation)
POWERS = 3  # ... and sum_i x_i^b (t_i - x_i)^(1-b) (Atkinson; b = 0.5: a square root)


def _pair_sums_loop(x, t, what, b):  # type: ignore[no-untyped-def]
    big_x = 0.0
    big_t = 0.0
    bad_x = False
    bad_t = False
    over = False
    extra = 0.0
    top = t[0] - t[0]
    half = b == 0.5
    for i in range(x.size):
        u = x[i]
        w = t[i]
        big_x += u
        big_t += w
        bad_x |= not u >= 0
        bad_t |= not w >= 0
        over |= w < u
        if what == LARGEST:
            top = max(top, w)
        elif what == SQUARES:
            uf = float(u)
            wf = float(w)
            extra += uf * uf / wf if wf > 0 else 0.0
        elif what == POWERS:
            uf = float(u)
            yf = float(w) - uf
            if half:
                extra += math.sqrt(uf * yf)
            else:
                extra += yf ** (1 - b) * uf**b
    return big_x, big_t, bad_x, bad_t, over, extra, top


def _min_expected_pair_loop(x, t, share):  # type: ignore[no-untyped-def]
    acc = 0.0
    for i in range(x.size):
        c = float(x[i])
        e = t[i] * share
        acc += c if c < e else e
    return acc


def _binary_xlogx_table_loop(x, t, table):  # type: ignore[no-untyped-def]
    acc = 0.0
    for i in range(x.size):
        a = x[i]
        b = t[i]
        acc += table[b] - table[a] - table[b - a]
    return acc


_nb_pair_sums = _compiled(_pair_sums_loop)
_nb_min_expected_pair = _compiled(_min_expected_pair_loop)
_nb_binary_xlogx_table = _compiled(_binary_xlogx_table_loop)


def pair_sums(x: Any, t: Any, what: int, b: float) -> tuple[Any, ...]:
    """(X, T, bad group, bad total, group > total somewhere, extra, largest total) in one pass,
    where ``extra`` is what ``what`` asks for (``SQUARES``, ``POWERS``; 0 otherwise) and the
    largest total is computed for ``LARGEST`` only (0 otherwise). One kernel for all four
    (the loop is compiled once per ``what``-branch by loop unswitching) keeps the number of
    compiled versions, and the first run's compile time, down."""
    if NUMBA:
        return _nb_pair_sums(x, t, what, b)  # type: ignore[no-any-return]
    xf = np.asarray(x, dtype=np.float64)
    tf = np.asarray(t, dtype=np.float64)
    extra = 0.0
    top = t.max() if what == LARGEST else t.dtype.type(0)
    with np.errstate(all="ignore"):
        if what == SQUARES:
            squares = np.zeros_like(xf)
            np.divide(xf * xf, tf, out=squares, where=tf > 0)
            extra = float(squares.sum())
        elif what == POWERS:
            yf = tf - xf
            extra = float(np.sqrt(xf * yf).sum() if b == 0.5 else (yf ** (1 - b) * xf**b).sum())
        over = bool(np.any(t < x))
    return float(xf.sum()), float(tf.sum()), _bad(x), _bad(t), over, extra, top


def min_expected_pair(x: Any, t: Any, share: float) -> float:
    """sum_i min(x_i, t_i P) (dissimilarity); one pass."""
    if NUMBA:
        return float(_nb_min_expected_pair(x, t, share))
    return float(np.minimum(np.asarray(x, dtype=np.float64), t * share).sum())


def binary_xlogx_table(x: Any, t: Any, table: Any) -> float:
    """sum_i (t ln t - x ln x - y ln y)_i for whole numbers (y = t - x), k ln k from ``table``
    (which must reach the largest total); one pass."""
    if NUMBA:
        return float(_nb_binary_xlogx_table(x, t, table))
    return float((table[t] - table[x] - table[t - x]).sum())


# --------------------------------------------------------------------------- spatial proximity
#
# The pairs of centroids closer than a cutoff, found by binning the points into square cells of
# side ``cutoff`` (``spatial.py`` sorts the points by cell and passes, for each occupied cell, its
# key, first point and number of points): a pair within the cutoff is always in the same or an
# adjacent cell, so only the cell pairs (0, 0), (1, -1), (1, 0), (1, 1), (0, 1) are visited,
# each unordered pair once.


def _cutoff_sums_loop(px, py, vs, keys, starts, counts, width, cutoff, scale, first, last):  # type: ignore[no-untyped-def]
    rows = vs.shape[0]
    acc = np.zeros(rows)
    factor = -1.0 / scale
    offsets = (0, width - 1, width, width + 1, 1)
    for a in range(first, last):
        a0 = starts[a]
        a1 = a0 + counts[a]
        for step in range(5):
            target = keys[a] + offsets[step]
            b = np.searchsorted(keys, target)
            if b >= keys.size or keys[b] != target:
                continue
            b0 = starts[b]
            b1 = b0 + counts[b]
            for i in range(a0, a1):
                xi = px[i]
                yi = py[i]
                j0 = i + 1 if step == 0 else b0
                for j in range(j0, b1):
                    dx = xi - px[j]
                    dy = yi - py[j]
                    d = math.sqrt(dx * dx + dy * dy)
                    if d < cutoff:
                        c = math.exp(d * factor)
                        for k in range(rows):
                            acc[k] += vs[k, i] * vs[k, j] * c
    return 2.0 * acc


_nb_cutoff_sums = _compiled(_cutoff_sums_loop)


def cutoff_sums(
    px: Any,
    py: Any,
    vs: Any,
    keys: Any,
    starts: Any,
    counts: Any,
    width: int,
    cutoff: float,
    scale: float,
    first: int,
    last: int,
) -> Any:
    """sum over the pairs (i, j), i != j, closer than ``cutoff`` of v_i v_j exp(-d_ij / scale)
    for each row v of ``vs``, over the pairs whose first point lies in the cells ``first`` to
    ``last`` - 1 (numba only: ``spatial.py`` has the numpy version, in chunks of pairs)."""
    return _nb_cutoff_sums(px, py, vs, keys, starts, counts, width, cutoff, scale, first, last)


# --------------------------------------------------------------------------- permutation tests


def _pair_abs_diff_sum_loop(p, rows, cols, data):  # type: ignore[no-untyped-def]
    acc = 0.0
    for e in range(rows.size):
        acc += data[e] * abs(p[rows[e]] - p[cols[e]])
    return acc


_nb_pair_abs_diff_sum = _compiled(_pair_abs_diff_sum_loop)


def pair_abs_diff_sum(p: Any, rows: Any, cols: Any, data: Any) -> float:
    """sum_e data_e |p[rows_e] - p[cols_e]| over the stored neighbour pairs e (spatial
    dissimilarity); one pass, no gathered copies."""
    if NUMBA:
        return float(_nb_pair_abs_diff_sum(p, rows, cols, data))
    return float(np.dot(data, np.abs(p[rows] - p[cols])))


# Random allocations for the permutation tests, the halving tree of ``inference.py`` walked in
# one compiled loop: each node's people are split between its halves by one hypergeometric draw
# per group (conditionally on the groups before), as numpy's ``Generator.hypergeometric`` does
# it (the ratio-of-uniforms method of Stadlober 1989 for samples of 10 or more, sequential draws
# below), with numba's own random stream, seeded per batch.

_HALF_LN_2PI = 0.9189385332046728
_D1 = 1.7155277699214135
_D2 = 0.8989161620588988
_LOG_FACTORIALS_SIZE = 1 << 17  # ln k! read from a table below (1 MB), computed above
_log_factorials: list[Any] = []


def _log_factorials_table() -> Any:
    """ln k! for k < 2^17 (the nodes near the leaves of the tree, where most draws are)."""
    if not _log_factorials:
        from scipy.special import gammaln

        _log_factorials.append(gammaln(np.arange(_LOG_FACTORIALS_SIZE, dtype=np.float64) + 1))
    return _log_factorials[0]


def _inner(fn: Callable[..., Any]) -> Any:
    """A helper called from a compiled loop: compiled too (when numba is there)."""
    return fn if _njit is None else _njit(cache=True, nogil=True)(fn)


@_inner
def _log_factorial(k, table):  # type: ignore[no-untyped-def]
    if k < table.size:
        return table[k]
    x = float(k)
    return (
        (x + 0.5) * math.log(x) - x + (_HALF_LN_2PI + (1.0 / x) * (1 / 12.0 - 1 / (360.0 * x * x)))
    )


@_inner
def _hypergeometric_sample(good, bad, sample):  # type: ignore[no-untyped-def]
    total = good + bad
    computed = total - sample if sample > total // 2 else sample
    remaining_total = total
    remaining_good = good
    while computed > 0 and remaining_good > 0 and remaining_total > remaining_good:
        remaining_total -= 1
        if np.random.randint(0, remaining_total + 1) < remaining_good:
            remaining_good -= 1
        computed -= 1
    if remaining_total == remaining_good:
        remaining_good -= computed
    return remaining_good if sample > total // 2 else good - remaining_good


@_inner
def _hypergeometric_hrua(good, bad, sample, table):  # type: ignore[no-untyped-def]
    popsize = good + bad
    computed = min(sample, popsize - sample)
    mingoodbad = min(good, bad)
    maxgoodbad = max(good, bad)
    p = mingoodbad / popsize
    q = maxgoodbad / popsize
    mu = computed * p
    a = mu + 0.5
    var = (popsize - computed) * computed * p * q / (popsize - 1)
    c = math.sqrt(var + 0.5)
    h = _D1 * c + _D2
    m = math.floor((computed + 1) * (mingoodbad + 1) / (popsize + 2))
    g = (
        _log_factorial(m, table)
        + _log_factorial(mingoodbad - m, table)
        + _log_factorial(computed - m, table)
        + _log_factorial(maxgoodbad - computed + m, table)
    )
    b = min(min(computed, mingoodbad) + 1, math.floor(a + 16 * c))
    k = 0
    while True:
        u = np.random.random()
        v = np.random.random()
        if u == 0.0:
            continue
        x = a + h * (v - 0.5) / u
        if x < 0.0 or x >= b:
            continue
        k = math.floor(x)
        gp = (
            _log_factorial(k, table)
            + _log_factorial(mingoodbad - k, table)
            + _log_factorial(computed - k, table)
            + _log_factorial(maxgoodbad - computed + k, table)
        )
        t = g - gp
        if u * (4.0 - u) - 3.0 <= t:
            break
        if u * (u - t) >= 1:
            continue
        if 2.0 * math.log(u) <= t:
            break
    if good > bad:
        k = computed - k
    if computed < sample:
        k = good - k
    return k


@_inner
def _hypergeometric(good, bad, sample, table):  # type: ignore[no-untyped-def]
    if sample <= 0 or good <= 0:
        return 0
    if bad <= 0:
        return sample
    if sample >= 10 and sample <= good + bad - 10:
        return _hypergeometric_hrua(good, bad, sample, table)
    return _hypergeometric_sample(good, bad, sample)


def _draw_allocations_loop(counts, prefix, size, seed, table):  # type: ignore[no-untyped-def]
    n, groups = counts.shape
    carried = groups - 1
    np.random.seed(seed)
    out = np.empty((size, n, groups), dtype=np.int64)
    depth = 2 * (int(math.log2(max(n, 1))) + 2)
    lo_stack = np.empty(depth, dtype=np.int64)
    hi_stack = np.empty(depth, dtype=np.int64)
    node_stack = np.empty((depth, max(carried, 1)), dtype=np.int64)
    group_totals = np.zeros(groups, dtype=np.int64)
    for i in range(n):
        for k in range(groups):
            group_totals[k] += counts[i, k]
    for d in range(size):
        top = 0
        lo_stack[0] = 0
        hi_stack[0] = n
        for k in range(carried):
            node_stack[0, k] = group_totals[k]
        top = 1
        while top > 0:
            top -= 1
            lo = lo_stack[top]
            hi = hi_stack[top]
            if hi - lo == 1:
                rest = prefix[hi] - prefix[lo]
                for k in range(carried):
                    out[d, lo, k] = node_stack[top, k]
                    rest -= node_stack[top, k]
                out[d, lo, carried] = rest
                continue
            mid = (lo + hi) // 2
            population = prefix[hi] - prefix[lo]
            remaining = prefix[mid] - prefix[lo]  # people still to put in the left half
            # The left child goes on top of the right one, which takes the node's slot.
            right = top
            left = top + 1
            for k in range(carried):
                good = node_stack[top, k]
                population -= good
                drawn = _hypergeometric(good, population, remaining, table)
                node_stack[left, k] = drawn
                node_stack[right, k] = good - drawn
                remaining -= drawn
            lo_stack[right] = mid
            hi_stack[right] = hi
            lo_stack[left] = lo
            hi_stack[left] = mid
            top += 2
    return out


_nb_draw_allocations: Any = _inner(_draw_allocations_loop)


def draw_allocations(counts: Any, size: int, seed: int) -> Any:
    """``size`` random allocations of the units x groups table ``counts`` (int64), unit and
    group totals kept: (size, units, groups). numba only (``inference.py`` has the numpy
    version); the same ``seed`` gives the same allocations."""
    prefix = np.concatenate([[0], np.cumsum(counts.sum(axis=1))]).astype(np.int64)
    return _nb_draw_allocations(
        np.ascontiguousarray(counts, dtype=np.int64),
        prefix,
        int(size),
        int(seed),
        _log_factorials_table(),
    )


def _sorted_pair_sum_loop(values, weights, order):  # type: ignore[no-untyped-def]
    before_w = 0.0
    before_wv = 0.0
    acc = 0.0
    for i in range(order.size):
        j = order[i]
        v = values[j]
        w = weights[j]
        acc += w * (v * before_w - before_wv)
        before_w += w
        before_wv += w * v
    return 2.0 * acc


_nb_sorted_pair_sum = _compiled(_sorted_pair_sum_loop)


def sorted_pair_sum(values: Any, weights: Any, order: Any) -> float:
    """sum over ordered pairs (i, j) of w_i w_j |v_i - v_j|, given the order that sorts the
    values (Gini): each unit's pairs with the units before it, from running sums; one pass."""
    if NUMBA:
        return float(_nb_sorted_pair_sum(values, weights, order))
    v = values[order]
    w = np.asarray(weights[order], dtype=np.float64)
    wv = w * v
    cum_w = np.cumsum(w)
    cum_w -= w
    cum_wv = np.cumsum(wv)
    cum_wv -= wv
    return float(2.0 * (np.dot(wv, cum_w) - np.dot(w, cum_wv)))


def _allocation_sums_loop(g, t, shares, table, b):  # type: ignore[no-untyped-def]
    groups, n = g.shape
    below = np.zeros(groups)
    squares = np.zeros(groups)
    powers = np.zeros(groups)
    ln_in = np.zeros(groups)
    ln_out = np.zeros(groups)
    half = b == 0.5
    for k in range(groups):
        row = g[k]
        p = shares[k]
        s_below = 0.0
        s_squares = 0.0
        s_powers = 0.0
        s_in = 0.0
        s_out = 0.0
        for i in range(n):
            c = row[i]
            w = t[i]
            cf = float(c)
            wf = float(w)
            e = wf * p
            s_below += cf if cf < e else e
            if w > 0:
                s_squares += cf * cf / wf
            yf = wf - cf
            s_powers += math.sqrt(cf * yf) if half else yf ** (1 - b) * cf**b
            s_in += table[c]
            s_out += table[w - c]
        below[k] = s_below
        squares[k] = s_squares
        powers[k] = s_powers
        ln_in[k] = s_in
        ln_out[k] = s_out
    return below, squares, powers, ln_in, ln_out


_nb_allocation_sums = _compiled(_allocation_sums_loop)


def allocation_sums(g: Any, t: Any, shares: Any, table: Any, b: float) -> tuple[Any, ...]:
    """For each group k of a groups x units table of whole numbers (a random allocation, whose
    unit totals ``t`` and city shares P_k are those of the data): sum_i min(c_ik, t_i P_k),
    sum_i c_ik^2 / t_i, sum_i c_ik^b (t_i - c_ik)^(1-b), sum_i c_ik ln c_ik and
    sum_i (t_i - c_ik) ln(t_i - c_ik) (k ln k from ``table``), in one pass: what every
    one-group index but Gini and every multigroup index needs."""
    if NUMBA:
        return _nb_allocation_sums(g, t, shares, table, b)  # type: ignore[no-any-return]
    f = np.asarray(g, dtype=np.float64)
    tf = np.asarray(t, dtype=np.float64)
    below = np.minimum(f, tf * np.asarray(shares)[:, None]).sum(axis=1)
    inv = np.zeros_like(tf)
    np.divide(1.0, tf, out=inv, where=tf > 0)
    y = tf - f
    with np.errstate(all="ignore"):
        powers = (np.sqrt(f * y) if b == 0.5 else y ** (1 - b) * f**b).sum(axis=1)
    return below, (f * f * inv).sum(axis=1), powers, table[g].sum(axis=1), table[t - g].sum(axis=1)
