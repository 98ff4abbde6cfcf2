"""Contiguity from boundaries against brute force; spatial dissimilarity and proximity."""

import numpy as np
import pytest
import shapely
from scipy import sparse

from cocity.insights import spatial


def brute_force(geoms, kind):
    n = len(geoms)
    dense = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            if i == j or not geoms[i].intersects(geoms[j]):
                continue
            shared = geoms[i].boundary.intersection(geoms[j].boundary)
            if kind == "queen" or shared.length > 0:
                dense[i, j] = 1
    return dense


@pytest.mark.parametrize("kind", ["queen", "rook"])
@pytest.mark.parametrize("grid", [spatial.square_grid, spatial.hex_grid])
def test_contiguity_equals_brute_force(kind, grid):
    geoms = grid(7, 5, 10.0)
    w = spatial.contiguity(geoms, kind)
    assert sparse.isspmatrix_csr(w)
    np.testing.assert_array_equal(w.toarray(), brute_force(list(geoms), kind))


def test_queen_and_rook_differ_at_corners_on_a_square_grid():
    geoms = spatial.square_grid(3, 3, 1.0)
    queen = spatial.contiguity(geoms, "queen")
    rook = spatial.contiguity(geoms, "rook")
    centre = 4
    assert queen[centre].nnz == 8
    assert rook[centre].nnz == 4
    assert queen[centre, 0] == 1 and rook[centre, 0] == 0  # corner neighbour


def test_hexagons_queen_equals_rook():
    geoms = spatial.hex_grid(6, 6, 1.0)
    assert (spatial.contiguity(geoms, "queen") != spatial.contiguity(geoms, "rook")).nnz == 0


def test_invalid_geometry_is_named():
    bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])
    geoms = [*spatial.square_grid(2, 1), bowtie]
    with pytest.raises(ValueError, match="geometry 2 is invalid"):
        spatial.contiguity(geoms)
    with pytest.raises(ValueError, match="geometry 0 is not a polygon"):
        spatial.contiguity([shapely.Point(0, 0)])


def test_spatial_dissimilarity_needs_matching_weights():
    w = spatial.contiguity(spatial.square_grid(2, 2))
    with pytest.raises(ValueError, match="expected 3 x 3"):
        spatial.spatial_dissimilarity([1, 2, 3], [4, 4, 4], w)


def test_proximity_cutoff_approaches_exact_exponential():
    geoms = spatial.square_grid(20, 20, 1.0)
    xy, areas = spatial.centroids_and_areas(geoms)
    rng = np.random.default_rng(0)
    total = rng.integers(0, 100, len(geoms))
    group = rng.binomial(total, 0.3)
    exact = spatial.spatial_proximity(
        group, total, xy, areas, kernel="exponential", scale=1.0, block_size=50
    )
    huge = spatial.spatial_proximity(
        group, total, xy, areas, kernel="exponential", scale=1.0, cutoff=1e6, block_size=1
    )
    near = spatial.spatial_proximity(
        group, total, xy, areas, kernel="exponential", scale=1.0, cutoff=8.0, block_size=1
    )
    assert huge == pytest.approx(exact, abs=1e-12)
    assert near == pytest.approx(exact, rel=1e-4)
    with pytest.raises(ValueError, match="cannot be cut off"):
        spatial.spatial_proximity(group, total, xy, areas, cutoff=3.0)
