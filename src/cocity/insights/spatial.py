"""Spatial segregation: contiguity from boundaries, spatial dissimilarity, spatial proximity.

Numbers only (numpy, scipy, shapely); no Django. Memory stays O(units + neighbour pairs): the
contiguity is a ``scipy.sparse`` CSR matrix built from a shapely ``STRtree`` bulk query, and
spatial proximity is summed over square tiles (all pairs, exactly) or over the pairs within a
distance cutoff (found by binning the centroids into cells), never as a dense units x units
matrix.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Literal

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from scipy import sparse
from scipy.spatial.distance import cdist

from .indices import FloatArray, _share, check_single, dissimilarity

Contiguity = Literal["queen", "rook"]
Progress = Callable[[int, int], None]


# --------------------------------------------------------------------------- geometry


def check_polygons(geometries: Sequence[object] | NDArray[np.object_]) -> NDArray[np.object_]:
    """Return the geometries as a shapely array; ValueError naming the first bad one."""
    geoms = np.asarray(geometries, dtype=object)
    if geoms.ndim != 1:
        raise ValueError("geometries must be a flat sequence.")
    missing = shapely.is_missing(geoms)
    if np.any(missing):
        raise ValueError(f"geometry {int(np.flatnonzero(missing)[0])} is missing.")
    kinds = shapely.get_type_id(geoms)
    polygonal = (kinds == shapely.GeometryType.POLYGON) | (
        kinds == shapely.GeometryType.MULTIPOLYGON
    )
    if not np.all(polygonal):
        raise ValueError(f"geometry {int(np.flatnonzero(~polygonal)[0])} is not a polygon.")
    empty = shapely.is_empty(geoms)
    if np.any(empty):
        raise ValueError(f"geometry {int(np.flatnonzero(empty)[0])} is empty.")
    valid = shapely.is_valid(geoms)
    if not np.all(valid):
        bad = int(np.flatnonzero(~valid)[0])
        raise ValueError(f"geometry {bad} is invalid: {shapely.is_valid_reason(geoms[bad])}.")
    return geoms


def contiguity(
    geometries: Sequence[object] | NDArray[np.object_],
    kind: Contiguity = "queen",
    *,
    validate: bool = True,
) -> sparse.csr_matrix:
    """Binary, symmetric contiguity weights (CSR, zero diagonal) from polygon boundaries.

    queen: two units are neighbours when their polygons share at least one point;
    rook: when they share a stretch of boundary of positive length (a common edge), so units
    meeting only at a corner are queen but not rook neighbours.

    Candidate pairs come from one vectorised ``STRtree.query(..., predicate="intersects")``
    (a spatial index, not n^2 checks); rook then keeps the pairs whose boundaries intersect in a
    line (DE-9IM boundary/boundary dimension 1, or overlapping interiors).
    """
    if kind not in ("queen", "rook"):
        raise ValueError("contiguity must be 'queen' or 'rook'.")
    geoms = check_polygons(geometries) if validate else np.asarray(geometries, dtype=object)
    n = geoms.shape[0]
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left < right  # each unordered pair once, no self pairs
    left, right = left[keep], right[keep]
    if kind == "rook" and left.size:
        de9im = np.asarray(shapely.relate(geoms[left], geoms[right]), dtype="U9")
        cells = de9im.view("U1").reshape(-1, 9)
        codes = (cells[:, 4] == "1") | (cells[:, 0] == "2")
        left, right = left[codes], right[codes]
    rows = np.concatenate([left, right])
    cols = np.concatenate([right, left])
    data = np.ones(rows.shape[0], dtype=np.float64)
    weights = sparse.csr_matrix((data, (rows, cols)), shape=(n, n))
    weights.sum_duplicates()
    return weights


def square_grid(nx: int, ny: int, size: float = 100.0) -> NDArray[np.object_]:
    """nx * ny square polygons of side ``size``, row by row from the origin (built with numpy)."""
    ix, iy = np.meshgrid(np.arange(nx, dtype=np.float64), np.arange(ny, dtype=np.float64))
    x0 = ix.ravel() * size
    y0 = iy.ravel() * size
    corners = np.array([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]], dtype=np.float64) * size
    coords = np.empty((x0.size, 5, 2))
    coords[:, :, 0] = x0[:, None] + corners[:, 0]
    coords[:, :, 1] = y0[:, None] + corners[:, 1]
    return np.asarray(shapely.polygons(coords), dtype=object)


def hex_grid(nx: int, ny: int, size: float = 100.0) -> NDArray[np.object_]:
    """nx * ny pointy-top hexagons of circumradius ``size`` in offset rows (built with numpy).

    Neighbouring hexagons always share an edge, so queen and rook contiguity coincide.
    """
    width = np.sqrt(3.0) * size
    ix, iy = np.meshgrid(np.arange(nx, dtype=np.float64), np.arange(ny, dtype=np.float64))
    cx = ix.ravel() * width + (iy.ravel() % 2) * width / 2
    cy = iy.ravel() * 1.5 * size
    angles = np.deg2rad(np.array([30, 90, 150, 210, 270, 330, 30], dtype=np.float64))
    # Rounding makes the shared vertices of neighbours bit-identical.
    dx = np.round(np.cos(angles) * size, 9)
    dy = np.round(np.sin(angles) * size, 9)
    coords = np.empty((cx.size, 7, 2))
    coords[:, :, 0] = np.round(cx[:, None] + dx, 6)
    coords[:, :, 1] = np.round(cy[:, None] + dy, 6)
    return np.asarray(shapely.polygons(coords), dtype=object)


# --------------------------------------------------------------------------- spatial dissimilarity


def spatial_dissimilarity(
    group: ArrayLike,
    total: ArrayLike,
    weights: sparse.spmatrix,
    *,
    standardize: bool = False,
) -> float:
    """Morrill's spatial dissimilarity, in the reference library's form.

    SD = D - sum_ij c_ij |p_i - p_j| / sum_ij c_ij, with c the contiguity weights (binary by
    default, row-standardised with ``standardize=True``), summed over the stored neighbour
    pairs only.
    """
    x, t = check_single(group, total)
    w = sparse.csr_matrix(weights, dtype=np.float64)
    if w.shape != (x.shape[0], x.shape[0]):
        raise ValueError(f"weights are {w.shape}, expected {x.shape[0]} x {x.shape[0]} units.")
    if standardize:
        row_sums = np.asarray(w.sum(axis=1)).ravel()
        scale = np.zeros_like(row_sums)
        np.divide(1.0, row_sums, out=scale, where=row_sums > 0)
        w = sparse.csr_matrix(sparse.diags(scale) @ w)
    den = float(w.data.sum())
    if den <= 0:
        raise ValueError("no unit has a neighbour: spatial dissimilarity is undefined.")
    coo = w.tocoo()
    p = _share(x, t)
    num = float(np.sum(coo.data * np.abs(p[coo.row] - p[coo.col])))
    return dissimilarity(x, t) - num / den


def prepared_spatial_dissimilarity(
    weights: sparse.spmatrix,
) -> Callable[[FloatArray, float], float]:
    """``spatial_dissimilarity`` with binary or given weights, the neighbour pairs laid out once
    for many groups of the same units (the permutation tests): ``sd(shares, d)`` from the
    units' shares p_i (0 for empty units) and the group's dissimilarity."""
    w = sparse.csr_matrix(weights, dtype=np.float64)
    symmetric = (w != w.T).nnz == 0  # then each unordered pair once, counted twice
    coo = sparse.triu(w, k=1).tocoo() if symmetric else w.tocoo()
    rows, cols, data = coo.row, coo.col, coo.data
    den = float(w.data.sum())
    if den <= 0:
        raise ValueError("no unit has a neighbour: spatial dissimilarity is undefined.")
    factor = 2.0 if symmetric else 1.0

    from . import kernels

    rows, cols = rows.astype(np.int64), cols.astype(np.int64)

    def sd(shares: FloatArray, d: float) -> float:
        return d - factor * kernels.pair_abs_diff_sum(shares, rows, cols, data) / den

    return sd


# --------------------------------------------------------------------------- spatial proximity


def centroids_and_areas(
    geometries: Sequence[object] | NDArray[np.object_],
) -> tuple[FloatArray, FloatArray]:
    """Centroid coordinates (n x 2) and areas (n) of the polygons."""
    geoms = np.asarray(geometries, dtype=object)
    cent = shapely.centroid(geoms)
    xy = np.column_stack([shapely.get_x(cent), shapely.get_y(cent)]).astype(np.float64)
    return xy, np.asarray(shapely.area(geoms), dtype=np.float64)


def _check_points(xy: ArrayLike, areas: ArrayLike, n: int) -> tuple[FloatArray, FloatArray]:
    pts = np.asarray(xy, dtype=np.float64)
    a = np.asarray(areas, dtype=np.float64)
    if pts.shape != (n, 2) or a.shape != (n,):
        raise ValueError(f"coordinates must be {n} x 2 and areas {n} long.")
    if not (np.all(np.isfinite(pts)) and np.all(np.isfinite(a))) or np.any(a < 0):
        raise ValueError("coordinates and areas must be finite, areas non-negative.")
    return pts, a


def _sp_from_sums(sums: FloatArray, x: FloatArray, y: FloatArray, t: FloatArray) -> float:
    """SP = (X Pxx + Y Pyy) / (T Ptt) from the three quadratic forms v' C v."""
    big_x, big_y, big_t = x.sum(), y.sum(), t.sum()
    pxx = sums[0] / big_x**2
    pyy = sums[1] / big_y**2
    ptt = sums[2] / big_t**2
    return float((big_x * pxx + big_y * pyy) / (big_t * ptt))


def spatial_proximity(
    group: ArrayLike,
    total: ArrayLike,
    xy: ArrayLike,
    areas: ArrayLike,
    *,
    alpha: float = 0.6,
    beta: float = 0.5,
    kernel: Literal["reference", "exponential"] = "reference",
    scale: float = 1.0,
    cutoff: float | None = None,
    block_size: int | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> float:
    """Spatial proximity SP = (X Pxx + Y Pyy) / (T Ptt), with Pvv = sum_ij v_i v_j c_ij / V^2.

    ``kernel="reference"`` reproduces ``segregation.singlegroup.SpatialProximity`` exactly:
    d_ij is the distance between centroids divided by the sum of unit j's distances to every
    unit, c_ij = 1 - exp(-d_ij) off the diagonal and c_ii = 1 - exp(-(alpha a_i)^beta). Every
    pair is needed (its weights grow with distance), so it is summed exactly, in float64,
    over square tiles of ``block_size`` x ``block_size`` pairs (default 512), each unordered
    tile once (its distances serve both orders of its pairs): O(n^2) time, two reused
    ``block_size``^2 buffers per worker thread, ``workers`` threads (default: one per CPU).
    Without a cutoff the exponential kernel is summed the same way (symmetric: each unordered
    pair once, counted twice).

    ``kernel="exponential"`` is Massey and Denton's decay c_ij = exp(-d_ij / scale) with
    d_ii = (alpha a_i)^beta. It fades with distance, so with ``cutoff`` only the pairs closer
    than ``cutoff`` are summed (each dropped pair weighs less than exp(-cutoff / scale)); this
    runs in O(n + pairs within the cutoff), found by binning the centroids into cells.
    """
    return spatial_proximities(
        np.asarray(group).reshape(-1, 1),
        total,
        xy,
        areas,
        alpha=alpha,
        beta=beta,
        kernel=kernel,
        scale=scale,
        cutoff=cutoff,
        block_size=block_size,
        progress=progress,
        workers=workers,
    )[0]


def spatial_proximities(
    counts: ArrayLike,
    total: ArrayLike,
    xy: ArrayLike,
    areas: ArrayLike,
    *,
    alpha: float = 0.6,
    beta: float = 0.5,
    kernel: Literal["reference", "exponential"] = "reference",
    scale: float = 1.0,
    cutoff: float | None = None,
    block_size: int | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> list[float]:
    """``spatial_proximity`` of each column of ``counts`` (units x groups) against ``total``,
    every pair of units visited once for all the groups (each group and its rest are two more
    rows of the same quadratic forms)."""
    table = np.asarray(counts)
    if table.ndim != 2:
        raise ValueError("counts must be a units x groups table.")
    columns = [check_single(table[:, k], total) for k in range(table.shape[1])]
    t = columns[0][1]
    n = t.shape[0]
    pts, a = _check_points(xy, areas, n)
    workers = _workers(workers)
    if alpha < 0 or beta < 0:
        raise ValueError("alpha and beta must be non-negative.")
    groups = len(columns)
    v = np.vstack([x for x, _ in columns] + [t - x for x, _ in columns] + [t])
    if kernel == "reference":
        if cutoff is not None:
            raise ValueError("the reference kernel grows with distance: it cannot be cut off.")
        sums = _reference_proximity_sums(v, pts, a, alpha, beta, block_size, progress, workers)
    elif kernel == "exponential":
        if scale <= 0:
            raise ValueError("scale must be positive.")
        self_c = np.exp(-((alpha * a) ** beta) / scale)
        if cutoff is None:
            sums = _exponential_sums_exact(v, pts, self_c, scale, block_size, progress, workers)
        else:
            if cutoff <= 0:
                raise ValueError("cutoff must be positive.")
            sums = _exponential_sums_cutoff(
                v, pts, self_c, scale, cutoff, block_size, progress, workers
            )
    else:
        raise ValueError("kernel must be 'reference' or 'exponential'.")
    return [
        _sp_from_sums(sums[[k, groups + k, 2 * groups]], x, t - x, t)
        for k, (x, _) in enumerate(columns)
    ]


BLOCK_ELEMENTS = 2**23  # candidate pairs held at once per worker by the cutoff kernel
TILE = 512  # side of the square tiles of the exact all-pairs kernels (2 MB per buffer)


def _workers(workers: int | None) -> int:
    return max(1, os.cpu_count() or 1) if workers is None else max(1, int(workers))


def _tiles(n: int, size: int | None) -> list[tuple[int, int, int, int]]:
    """Tiles (i0, i1, j0, j1) of the upper half (i block <= j block) of the n x n pair matrix."""
    side = TILE if size is None else max(1, int(size))
    starts = list(range(0, n, side))
    tiles = [
        (a, min(n, a + side), b, min(n, b + side))
        for ia, a in enumerate(starts)
        for b in starts[ia:]
    ]
    return tiles


class _TileBuffers(threading.local):
    """Per-thread preallocated buffers for the tile kernels (no allocation per tile)."""

    side = 0
    dist: FloatArray
    work: FloatArray

    def get(self, side: int, rows: int, cols: int) -> tuple[FloatArray, FloatArray]:
        if self.side != side:
            self.side = side
            self.dist = np.empty(side * side)
            self.work = np.empty(side * side)
        return (
            self.dist[: rows * cols].reshape(rows, cols),
            self.work[: rows * cols].reshape(rows, cols),
        )


def _run_tiles(
    work: Callable[[FloatArray, int, int, int, int], None],
    tiles: list[tuple[int, int, int, int]],
    shape: tuple[int, ...],
    progress: Progress | None,
    first_step: int,
    steps: int,
    workers: int,
) -> FloatArray:
    """Run ``work(acc, *tile)`` over the tiles on ``workers`` threads and add up the ``acc``.

    cdist and numpy release the GIL, so the threads run in parallel. Each thread takes every
    ``workers``-th tile and adds into its own accumulator of ``shape``: no shared state but
    the progress counter.
    """
    done = [first_step]
    lock = threading.Lock()

    def run(offset: int) -> FloatArray:
        acc = np.zeros(shape)
        for tile in tiles[offset::workers]:
            work(acc, *tile)
            with lock:
                done[0] += 1
                if progress:
                    progress(done[0], steps)
        return acc

    if workers <= 1 or len(tiles) <= 1:
        parts = [run(0)] if workers <= 1 else [run(i) for i in range(workers)]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(run, range(workers)))
    return np.asarray(np.sum(parts, axis=0), dtype=np.float64)


def _reference_proximity_sums(
    v: FloatArray,
    pts: FloatArray,
    a: FloatArray,
    alpha: float,
    beta: float,
    block_size: int | None,
    progress: Progress | None,
    workers: int,
) -> FloatArray:
    """v' C v for the reference kernel, all pairs exactly, over the upper half of the tiles.

    Each unordered tile pair's distances are computed once (float64, ``cdist`` into a
    preallocated buffer): pass 1 adds them to both units' distance sums S; pass 2 uses them
    twice, as exp(-d_ij / S_j) for the ordered pairs (i, j) and exp(-d_ij / S_i) for (j, i).
    """
    n = pts.shape[0]
    tiles = _tiles(n, block_size)
    side = TILE if block_size is None else max(1, int(block_size))
    steps = 2 * len(tiles)
    buffers = _TileBuffers()

    # Pass 1: S_j = sum_k d_jk (the reference divides column j of the distances by it).
    def distance_sums(acc: FloatArray, i0: int, i1: int, j0: int, j1: int) -> None:
        d, _ = buffers.get(side, i1 - i0, j1 - j0)
        cdist(pts[i0:i1], pts[j0:j1], out=d)
        acc[i0:i1] += d.sum(axis=1)
        if i0 != j0:
            acc[j0:j1] += d.sum(axis=0)

    col_sums = _run_tiles(distance_sums, tiles, (n,), progress, 0, steps, workers)
    neg_inv = np.zeros(n)
    np.divide(-1.0, col_sums, out=neg_inv, where=col_sums > 0)

    # Pass 2: sum_ij v_i v_j (1 - exp(-d_ij / S_j)) = V^2 - sum_ij v_i v_j exp(-d_ij / S_j);
    # the diagonal (d = 0, exp = 1) is replaced afterwards.
    def decayed_sums(acc: FloatArray, i0: int, i1: int, j0: int, j1: int) -> None:
        d, e = buffers.get(side, i1 - i0, j1 - j0)
        cdist(pts[i0:i1], pts[j0:j1], out=d)
        vi, vj = v[:, i0:i1], v[:, j0:j1]
        np.multiply(d, neg_inv[None, j0:j1], out=e)
        np.exp(e, out=e)
        acc += np.einsum("kj,kj->k", vi @ e, vj)
        if i0 != j0:  # the mirrored ordered pairs (j, i), divided by S_i
            np.multiply(d, neg_inv[i0:i1, None], out=e)
            np.exp(e, out=e)
            acc += np.einsum("kj,kj->k", vi @ e, vj)

    decayed = _run_tiles(decayed_sums, tiles, (3,), progress, len(tiles), steps, workers)
    self_c = 1 - np.exp(-((alpha * a) ** beta))
    totals = v.sum(axis=1)
    # Off the diagonal: (V^2 - sum v_i^2) - (decayed - sum v_i^2 exp(-0)) = V^2 - decayed.
    off = totals**2 - decayed
    return np.asarray(off + v**2 @ self_c, dtype=np.float64)


def _exponential_sums_exact(
    v: FloatArray,
    pts: FloatArray,
    self_c: FloatArray,
    scale: float,
    block_size: int | None,
    progress: Progress | None,
    workers: int,
) -> FloatArray:
    """v' C v for exp(-d / scale), all pairs exactly: the kernel is symmetric, so each
    unordered pair is computed once (upper half of the tiles) and counted twice."""
    tiles = _tiles(pts.shape[0], block_size)
    side = TILE if block_size is None else max(1, int(block_size))
    buffers = _TileBuffers()
    factor = -1.0 / scale

    def sums(acc: FloatArray, i0: int, i1: int, j0: int, j1: int) -> None:
        d, e = buffers.get(side, i1 - i0, j1 - j0)
        cdist(pts[i0:i1], pts[j0:j1], out=d)
        np.multiply(d, factor, out=e)
        np.exp(e, out=e)
        if i0 == j0:
            np.fill_diagonal(e, 0.0)  # the diagonal is added below
            acc += np.einsum("kj,kj->k", v[:, i0:i1] @ e, v[:, j0:j1])
        else:
            acc += 2.0 * np.einsum("kj,kj->k", v[:, i0:i1] @ e, v[:, j0:j1])

    pair_sums = _run_tiles(sums, tiles, (3,), progress, 0, len(tiles), workers)
    return np.asarray(pair_sums + v**2 @ self_c, dtype=np.float64)


def _exponential_sums_cutoff(
    v: FloatArray,
    pts: FloatArray,
    self_c: FloatArray,
    scale: float,
    cutoff: float,
    block_size: int | None,
    progress: Progress | None,
    workers: int,
) -> FloatArray:
    """Sum v_i v_j exp(-d_ij / scale) over the pairs closer than ``cutoff``, plus the diagonal.

    Points are binned into square cells of side ``cutoff``; a pair within the cutoff is always in
    the same or an adjacent cell, so only the cell pairs (0, 0), (1, -1), (1, 0), (1, 1), (0, 1)
    are visited (each unordered pair once) and every pair sum is doubled. Cell pairs are
    processed in chunks of a bounded number of candidate pairs: memory stays bounded.
    """
    n = pts.shape[0]
    cells = np.floor((pts - pts.min(axis=0)) / cutoff).astype(np.int64)
    width = int(cells[:, 1].max()) + 3
    keys = (cells[:, 0] + 1) * width + (cells[:, 1] + 1)
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    px, py = pts[order, 0], pts[order, 1]
    vs = v[:, order]
    unique, starts, counts = np.unique(sorted_keys, return_index=True, return_counts=True)
    from . import kernels

    if kernels.NUMBA:
        return _cutoff_sums_compiled(
            px, py, vs, unique, starts, counts, width, cutoff, scale, self_c, v, progress, workers
        )
    pair_budget = BLOCK_ELEMENTS // 8 if block_size is None else max(block_size, 1) * 512
    tasks: list[tuple[int, bool, NDArray[np.int64], NDArray[np.int64]]] = []
    for dx, dy in ((0, 0), (1, -1), (1, 0), (1, 1), (0, 1)):
        target = unique + dx * width + dy
        pos = np.minimum(np.searchsorted(unique, target), unique.size - 1)
        found = unique[pos] == target
        a = np.flatnonzero(found)
        b = pos[found]
        bounds = np.concatenate([[0], np.cumsum(counts[a] * counts[b])])
        lo = 0
        while lo < a.size:
            hi = int(np.searchsorted(bounds, bounds[lo] + pair_budget, "right")) - 1
            hi = min(max(hi, lo + 1), a.size)
            tasks.append((len(tasks), dx == 0 and dy == 0, a[lo:hi], b[lo:hi]))
            lo = hi
    done = [0]

    def run(task: tuple[int, bool, NDArray[np.int64], NDArray[np.int64]]) -> FloatArray:
        _, same_cell, a, b = task
        na, nb = counts[a], counts[b]
        sizes = na * nb
        owner = np.repeat(np.arange(a.size), sizes)
        first = np.cumsum(sizes) - sizes
        r = np.arange(int(sizes.sum())) - first[owner]
        nb_owner = nb[owner]
        ia = starts[a][owner] + r // nb_owner
        ib = starts[b][owner] + r % nb_owner
        if same_cell:
            keep = ia < ib
            ia, ib = ia[keep], ib[keep]
        d = np.hypot(px[ia] - px[ib], py[ia] - py[ib])
        close = d < cutoff
        ia, ib = ia[close], ib[close]
        c = np.exp(d[close] * (-1.0 / scale))
        out = np.array([2.0 * float(np.dot(vs[k, ia] * vs[k, ib], c)) for k in range(3)])
        done[0] += 1
        if progress:
            progress(done[0], len(tasks))
        return out

    if workers <= 1:
        results = [run(task) for task in tasks]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(run, tasks))
    sums = np.sum(results, axis=0) if results else np.zeros(3)
    del n
    return np.asarray(sums + v**2 @ self_c, dtype=np.float64)


def _cutoff_sums_compiled(
    px: FloatArray,
    py: FloatArray,
    vs: FloatArray,
    keys: NDArray[np.int64],
    starts: NDArray[np.intp],
    counts: NDArray[np.intp],
    width: int,
    cutoff: float,
    scale: float,
    self_c: FloatArray,
    v: FloatArray,
    progress: Progress | None,
    workers: int,
) -> FloatArray:
    """The cut-off sums by the compiled kernel, the cells shared among ``workers`` threads (it
    releases the GIL) in chunks, for the progress reports."""
    from . import kernels

    cells = keys.size
    chunks = max(1, min(cells, 16 * workers))
    bounds = np.linspace(0, cells, chunks + 1).astype(np.int64)
    args = (
        px,
        py,
        np.ascontiguousarray(vs),
        keys.astype(np.int64),
        starts.astype(np.int64),
        counts.astype(np.int64),
        int(width),
        float(cutoff),
        float(scale),
    )
    done = [0]
    lock = threading.Lock()

    def run(chunk: int) -> FloatArray:
        out: FloatArray = kernels.cutoff_sums(*args, int(bounds[chunk]), int(bounds[chunk + 1]))
        with lock:
            done[0] += 1
            if progress:
                progress(done[0], chunks)
        return out

    if workers <= 1:
        parts = [run(c) for c in range(chunks)]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(run, range(chunks)))
    return np.asarray(np.sum(parts, axis=0) + v**2 @ self_c, dtype=np.float64)
