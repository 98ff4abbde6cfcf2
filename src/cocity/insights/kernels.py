"""Fused numba kernels for the indices of ``indices.py`` (numpy and numba only, no Django).

numpy needs one pass over the data for every elementary step (a minimum to validate, a sum per
group, a division, a minimum against the expected count, ...); these kernels validate, total and
compute an index in one or two passes instead. They take the counts as they come (int64 or
float64, a one-group pair of 1-D arrays or a groups x units view of a units x groups table)
and never raise: they report whether a count is negative or NaN, and ``indices.py`` then runs its
slower numpy validation to raise the same error it always has.

Compiled on first use and cached on disk (``cache=True``: in ``__pycache__`` beside this file, or
numba's user-wide cache directory, or ``NUMBA_CACHE_DIR``). ``fastmath`` allows only
reassociation (so that sums vectorise), contraction and signed zeros: no ``nnan`` / ``ninf``, so
NaN and infinities keep their meaning for the validation. ``error_model="numpy"``: a division by
zero gives inf or NaN, as in numpy, instead of raising. ``nogil``: the permutation tests call the
indices from several threads at once.

Multigroup kernels come in two forms: for 2 to ``MAX_UNROLLED`` groups, one generated for the
number of groups (one loop over the units, everything in registers, vectorised); beyond, the
``_blocks`` / ``_rows`` kernels, which walk the units in blocks of ``BLOCK`` (the unit totals
t_i built in a small buffer that stays in the CPU cache while each group's counts of the block
are read once more, so that the table itself is read from memory once per pass).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from numba import njit

BLOCK = 1024
_OPTIONS: dict[str, Any] = {
    "cache": True,
    "nogil": True,
    "fastmath": {"reassoc", "contract", "nsz"},
    "error_model": "numpy",
}


# --------------------------------------------------------------------------- several groups
#
# ``g`` is the table as groups x units (``counts.T``): a C-contiguous array when the table is
# column-major (``DataFrame.to_numpy()``), so that each group's counts are contiguous.


@njit(**_OPTIONS)
def _group_sums_rows(g):
    """``group_sums`` (below) one group after the other, for any number of groups."""
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


@njit(**_OPTIONS)
def _group_sums_int_rows(g):
    """``group_sums_int`` (below) one group after the other, for any number of groups."""
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
    if bits.max() >= 2**31:
        for k in range(groups):
            row = g[k]
            f = 0.0
            for i in range(n):
                f += row[i]
            totals[k] = f
    return totals, False, bits


@njit(**_OPTIONS)
def _min_expected_sum_blocks(g, city_shares):
    """sum_ik min(c_ik, t_i P_k) (multigroup dissimilarity); one pass."""
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


@njit(**_OPTIONS)
def _square_sums_blocks(g):
    """(X_k, bad, s_k = sum_i c_ik^2 / t_i over units with people); one pass."""
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


@njit(**_OPTIONS)
def _xlogx_sums_table_blocks(g, table):
    """(sum_ik c_ik ln c_ik, sum_i t_i ln t_i) for whole numbers, k ln k read from ``table``
    (which must reach the largest unit total); one pass. The counts index the table as
    unsigned numbers (they are valid, so not negative), which spares a test per look-up."""
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


@njit(**_OPTIONS)
def xlogx_sums(g):
    """(sum_ik c_ik ln c_ik, sum_i t_i ln t_i) with one logarithm per value (0 ln 0 = 0)."""
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


# Kernels for a fixed number of groups, K = 2 to MAX_UNROLLED, on a C-contiguous groups x units
# table: one loop over the units that keeps every group's count, the unit total and each
# group's sums in registers, which the compiler vectorises across units. With K known only at
# run time (the ``_blocks`` kernels above) each count is read twice and the sums go through
# memory, two to three times slower. The source of each is generated for its K on first use
# (compiled under this file's name, so that numba caches it like the others).

MAX_UNROLLED = 8


def _each(pattern: str, groups: int, sep: str = "; ") -> str:
    return sep.join(pattern.format(k=k) for k in range(groups))


def _expander(groups: int) -> Callable[..., str]:
    """``e(pattern, sep)``: the pattern written once per group, ``{k}`` the group's number."""

    def e(pattern: str, sep: str = "; ") -> str:
        return _each(pattern, groups, sep)

    return e


def _square_sums_source(groups: int) -> str:
    e = _expander(groups)

    return f"""
def square_sums_{groups}(g):
    {e("r{k} = g[{k}]")}
    {e("x{k} = 0.0")}
    {e("s{k} = 0.0")}
    bad = False
    for i in range(g.shape[1]):
        {e("c{k} = float(r{k}[i])")}
        {e("x{k} += c{k}")}
        bad |= not ({e("(c{k} >= 0)", " & ")})
        t = {e("c{k}", " + ")}
        inv = 1.0 / t if t > 0 else 0.0
        {e("s{k} += c{k} * c{k} * inv")}
    return np.array([{e("x{k}", ", ")}]), bad, np.array([{e("s{k}", ", ")}])
"""


def _min_expected_sum_source(groups: int) -> str:
    e = _expander(groups)

    return f"""
def min_expected_sum_{groups}(g, city_shares):
    {e("r{k} = g[{k}]")}
    {e("p{k} = city_shares[{k}]")}
    acc = 0.0
    for i in range(g.shape[1]):
        {e("c{k} = float(r{k}[i])")}
        t = {e("c{k}", " + ")}
        acc += {e("min(c{k}, t * p{k})", " + ")}
    return acc
"""


def _xlogx_sums_table_source(groups: int) -> str:
    e = _expander(groups)

    return f"""
def xlogx_sums_table_{groups}(g, table):
    {e("r{k} = g[{k}]")}
    cells = 0.0
    units = 0.0
    for i in range(g.shape[1]):
        {e("c{k} = r{k}[i]")}
        cells += {e("table[np.uint64(c{k})]", " + ")}
        units += table[np.uint64({e("c{k}", " + ")})]
    return cells, units
"""


def _group_sums_source(groups: int) -> str:
    e = _expander(groups)

    return f"""
def group_sums_{groups}(g):
    {e("r{k} = g[{k}]")}
    {e("x{k} = 0.0")}
    bad = False
    for i in range(g.shape[1]):
        {e("c{k} = r{k}[i]")}
        {e("x{k} += c{k}")}
        bad |= not ({e("(c{k} >= 0)", " & ")})
    return np.array([{e("x{k}", ", ")}]), bad
"""


def _group_sums_int_source(groups: int) -> str:
    e = _expander(groups)

    return f"""
def group_sums_int_{groups}(g):
    {e("r{k} = g[{k}]")}
    {e("x{k} = 0")}
    {e("b{k} = 0")}
    for i in range(g.shape[1]):
        {e("c{k} = r{k}[i]")}
        {e("x{k} += c{k}")}
        {e("b{k} |= c{k}")}
    bits = {e("b{k}", " | ")}
    totals = np.array([{e("float(x{k})", ", ")}])
    return totals, bits < 0, bits >= 2**31, np.array([{e("b{k}", ", ")}])
"""


_SOURCES = {
    "group_sums": _group_sums_source,
    "group_sums_int": _group_sums_int_source,
    "square_sums": _square_sums_source,
    "min_expected_sum": _min_expected_sum_source,
    "xlogx_sums_table": _xlogx_sums_table_source,
}
_FIXED: dict[tuple[str, int], Any] = {}


def _fixed(kind: str, g: Any) -> Any:
    """The fixed-K kernel ``kind`` for the table ``g``, or None above MAX_UNROLLED groups.
    (Two threads asking for a new one at once may both build it: harmless, the last is kept.)"""
    groups = g.shape[0]
    if groups > MAX_UNROLLED:
        return None
    key = (kind, groups)
    if key not in _FIXED:
        namespace: dict[str, Any] = {}
        code = compile(_SOURCES[kind](groups), __file__, "exec")
        exec(code, globals(), namespace)  # noqa: S102 - source generated above, no input
        _FIXED[key] = njit(**_OPTIONS)(namespace[f"{kind}_{groups}"])
    return _FIXED[key]


def group_sums(g: Any) -> Any:
    """(X_k as float64, whether a count is negative or NaN); one pass."""
    kernel = _fixed("group_sums", g)
    return kernel(g) if kernel is not None else _group_sums_rows(g)


def group_sums_int(g: Any) -> Any:
    """``group_sums`` for int64 counts, faster: summed as integers and checked for a negative
    count by OR-ing each group's counts (the result is negative if one is). Returns (X_k, bad,
    the OR of each group's counts): for valid counts, at least the group's largest count, so
    that their sum bounds every unit total (the size of a table of k ln k). Exact below 2^31
    per count (fewer than 2^32 of them cannot overflow a sum); larger counts are summed again
    as floats."""
    kernel = _fixed("group_sums_int", g)
    if kernel is None:
        return _group_sums_int_rows(g)
    totals, bad, large, bits = kernel(g)
    if large and not bad:
        totals = _group_sums_rows(g)[0]
    return totals, bad, bits


def square_sums(g: Any) -> Any:
    """(X_k, bad, s_k = sum_i c_ik^2 / t_i over units with people); one pass."""
    kernel = _fixed("square_sums", g)
    return kernel(g) if kernel is not None else _square_sums_blocks(g)


def min_expected_sum(g: Any, city_shares: Any) -> float:
    """sum_ik min(c_ik, t_i P_k) (multigroup dissimilarity); one pass."""
    kernel = _fixed("min_expected_sum", g)
    if kernel is not None:
        return float(kernel(g, city_shares))
    return float(_min_expected_sum_blocks(g, city_shares))


def xlogx_sums_table(g: Any, table: Any) -> tuple[float, float]:
    """(sum_ik c_ik ln c_ik, sum_i t_i ln t_i) for valid whole numbers, k ln k read from
    ``table`` (which must reach the largest unit total); one pass."""
    kernel = _fixed("xlogx_sums_table", g)
    cells, units = kernel(g, table) if kernel is not None else _xlogx_sums_table_blocks(g, table)
    return float(cells), float(units)


# --------------------------------------------------------------------------- one group
#
# ``x`` (the group) and ``t`` (the totals) are 1-D arrays of one length, of any stride. Each
# kernel returns the validation flags (a negative or NaN group count, a negative or NaN total,
# a group larger than its total) with X and T, so that the caller can check them first.


SUMS = 0  # pair_sums: X, T and the flags only
LARGEST = 1  # ... and the largest total (for a table of k ln k)
SQUARES = 2  # ... and sum_i x_i^2 / t_i over units with people (isolation)
POWERS = 3  # ... and sum_i x_i^b (t_i - x_i)^(1-b) (Atkinson; b = 0.5: a square root)


@njit(**_OPTIONS)
def pair_sums(x, t, what, b):
    """(X, T, bad group, bad total, group > total somewhere, extra, largest total) in one pass,
    where ``extra`` is what ``what`` asks for (``SQUARES``, ``POWERS``; 0 otherwise) and the
    largest total is computed for ``LARGEST`` only (0 otherwise). One kernel for all four
    (the loop is compiled once per ``what``-branch by loop unswitching) keeps the number of
    compiled versions, and the first run's compile time, down."""
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


@njit(**_OPTIONS)
def min_expected_pair(x, t, share):
    """sum_i min(x_i, t_i P) (dissimilarity); one pass."""
    acc = 0.0
    for i in range(x.size):
        c = float(x[i])
        e = t[i] * share
        acc += c if c < e else e
    return acc


@njit(**_OPTIONS)
def binary_xlogx_table(x, t, table):
    """sum_i (t ln t - x ln x - y ln y)_i for whole numbers (y = t - x), k ln k from ``table``
    (which must reach the largest total); one pass."""
    acc = 0.0
    for i in range(x.size):
        a = x[i]
        b = t[i]
        acc += table[b] - table[a] - table[b - a]
    return acc
