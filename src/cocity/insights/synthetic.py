"""Synthetic cities: grids of polygons with spatially clustered groups (numpy, no Django).

Used by the tests, the benchmark and demo data. Each group's propensity is a smooth random field
(a sum of Gaussian bumps around random centres), so neighbours resemble each other the way real
neighbourhoods do; counts are then drawn per unit with a seeded numpy Generator.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .spatial import hex_grid, square_grid


@dataclass(frozen=True)
class SyntheticCity:
    geometries: NDArray[np.object_]
    counts: NDArray[np.int64]  # units x groups
    groups: tuple[str, ...]

    @property
    def total(self) -> NDArray[np.int64]:
        return np.asarray(self.counts.sum(axis=1), dtype=np.int64)


def clustered_counts(
    xy: NDArray[np.float64],
    n_groups: int = 3,
    *,
    mean_population: float = 800.0,
    empty_share: float = 0.02,
    bumps: int = 12,
    strength: float = 3.0,
    seed: int = 0,
) -> NDArray[np.int64]:
    """Counts per unit and group, clustered in space around random centres."""
    rng = np.random.default_rng(seed)
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    extent = float(np.max(hi - lo)) or 1.0
    logits = np.zeros((xy.shape[0], n_groups))
    for k in range(n_groups):
        centres = lo + rng.random((bumps, 2)) * (hi - lo)
        widths = extent * (0.04 + 0.12 * rng.random(bumps))
        for c, w in zip(centres, widths, strict=True):
            d2 = np.sum((xy - c) ** 2, axis=1)
            logits[:, k] += strength * np.exp(-d2 / (2 * w * w))
    logits -= logits.max(axis=1, keepdims=True)
    probs = np.exp(logits)
    probs /= probs.sum(axis=1, keepdims=True)
    totals = np.asarray(rng.poisson(mean_population, xy.shape[0]), dtype=np.int64)
    totals[rng.random(xy.shape[0]) < empty_share] = 0
    # Multinomial per unit, vectorised as a chain of conditional binomials.
    counts = np.zeros((xy.shape[0], n_groups), dtype=np.int64)
    left = totals.astype(np.int64)
    mass = np.ones(xy.shape[0])
    for k in range(n_groups - 1):
        p = np.clip(probs[:, k] / np.maximum(mass, 1e-300), 0.0, 1.0)
        counts[:, k] = rng.binomial(left, p)
        left -= counts[:, k]
        mass -= probs[:, k]
    counts[:, -1] = left
    return counts


def synthetic_city(
    nx: int,
    ny: int,
    *,
    n_groups: int = 3,
    shape: str = "square",
    size: float = 100.0,
    seed: int = 0,
    mean_population: float = 800.0,
) -> SyntheticCity:
    """A grid city of nx * ny units with clustered groups named group_1, group_2, ..."""
    import shapely

    geoms = square_grid(nx, ny, size) if shape == "square" else hex_grid(nx, ny, size)
    cent = shapely.centroid(geoms)
    xy = np.column_stack([shapely.get_x(cent), shapely.get_y(cent)])
    counts = clustered_counts(xy, n_groups, seed=seed, mean_population=mean_population)
    return SyntheticCity(geoms, counts, tuple(f"group_{k + 1}" for k in range(n_groups)))
