"""The numerical core agrees with PySAL's segregation (reference values in data/reference.json).

The values were produced by tests/insights/make_reference.py with the reference library itself;
they cover two synthetic cities (square and hexagonal grids, with empty units) and a real public
data set (North Carolina births by county, 1974 and 1979).
"""

import json
from pathlib import Path

import numpy as np
import pytest
import shapely

from cocity.insights import indices, spatial

DATA = Path(__file__).parent / "data"
REFERENCE = json.loads((DATA / "reference.json").read_text())
CASES = sorted(REFERENCE["cases"])
TOL = 1e-9


def geometries(name: str) -> np.ndarray:
    case = REFERENCE["cases"][name]
    if "grid" in case:
        g = case["grid"]
        build = spatial.square_grid if g["shape"] == "square" else spatial.hex_grid
        return build(g["nx"], g["ny"], g["size"])
    features = json.loads((DATA / "nc_counties.geojson").read_text())["features"]
    return np.array([shapely.geometry.shape(f["geometry"]) for f in features], dtype=object)


def counts(name: str) -> np.ndarray:
    return np.array(REFERENCE["cases"][name]["counts"], dtype=np.int64)


@pytest.mark.parametrize("name", CASES)
def test_single_group_indices(name):
    c = counts(name)
    total = c.sum(axis=1)
    case = REFERENCE["cases"][name]
    for k, group in enumerate(case["groups"]):
        ours = indices.single_group_indices(c[:, k], total)
        expected = case["expected"]["single_group"][group]
        assert set(expected) == set(ours)
        for index, value in expected.items():
            assert ours[index] == pytest.approx(value, abs=TOL), (group, index)


@pytest.mark.parametrize("name", CASES)
def test_multigroup_indices(name):
    ours = indices.multigroup_indices(counts(name))
    expected = REFERENCE["cases"][name]["expected"]["multigroup"]
    assert set(expected) == set(ours)
    for index, value in expected.items():
        assert ours[index] == pytest.approx(value, abs=TOL), index


@pytest.mark.parametrize("name", CASES)
def test_local_measures(name):
    c = counts(name)
    expected = REFERENCE["cases"][name]["expected"]["local"]
    for measure, fn in (
        ("location_quotient", indices.location_quotient),
        ("local_entropy", indices.local_entropy),
        ("local_diversity", indices.local_diversity),
    ):
        want = np.array([np.nan if v is None else v for v in expected[measure]])
        got = np.asarray(fn(c)).ravel()
        np.testing.assert_allclose(got, want, atol=TOL, rtol=0, equal_nan=True, err_msg=measure)


@pytest.mark.parametrize("name", CASES)
def test_contiguity_matches_reference_pair_counts(name):
    geoms = geometries(name)
    expected = REFERENCE["cases"][name]["expected"]
    assert spatial.contiguity(geoms, "queen").nnz == expected["queen_pairs"]
    assert spatial.contiguity(geoms, "rook").nnz == expected["rook_pairs"]


@pytest.mark.parametrize("name", CASES)
def test_spatial_indices(name):
    c = counts(name)
    total = c.sum(axis=1)
    geoms = geometries(name)
    queen = spatial.contiguity(geoms, "queen")
    rook = spatial.contiguity(geoms, "rook")
    xy, areas = spatial.centroids_and_areas(geoms)
    case = REFERENCE["cases"][name]
    for k, group in enumerate(case["groups"]):
        want = case["expected"]["spatial"][group]
        x = c[:, k]
        assert spatial.spatial_dissimilarity(x, total, queen) == pytest.approx(
            want["spatial_dissimilarity_queen"], abs=TOL
        )
        assert spatial.spatial_dissimilarity(x, total, rook) == pytest.approx(
            want["spatial_dissimilarity_rook"], abs=TOL
        )
        assert spatial.spatial_dissimilarity(x, total, queen, standardize=True) == pytest.approx(
            want["spatial_dissimilarity_queen_standardized"], abs=TOL
        )
        got = spatial.spatial_proximity(x, total, xy, areas, block_size=37)
        assert got == pytest.approx(want["spatial_proximity"], abs=TOL)


def layouts(c: np.ndarray) -> dict[str, np.ndarray]:
    """The same counts in the layouts and dtypes the fused kernels take (or convert)."""
    wide = np.zeros((c.shape[0], 2 * c.shape[1]), dtype=np.int64)
    wide[:, ::2] = c
    return {
        "C int64": np.ascontiguousarray(c),
        "F int64 (DataFrame.to_numpy)": np.asfortranarray(c),
        "F float64": np.asfortranarray(c, dtype=np.float64),
        "C float64": c.astype(np.float64),
        "int32": c.astype(np.int32),
        "uint16": c.astype(np.uint16),
        "strided columns": wide[:, ::2],
        "float32": c.astype(np.float32),
    }


@pytest.mark.parametrize("name", CASES)
def test_every_function_on_raw_counts_in_every_layout(name):
    """Each public function called on its own (the fused kernels' raw path, not the prepared
    inputs of single_group_indices / multigroup_indices) agrees with the reference."""
    c = counts(name)
    case = REFERENCE["cases"][name]
    multi = case["expected"]["multigroup"]
    for label, table in layouts(c).items():
        for index, fn in indices.MULTIGROUP_FUNCTIONS.items():
            assert fn(table) == pytest.approx(multi[index], abs=TOL), (label, index)
        total = table.sum(axis=1, dtype=table.dtype)
        for k, group in enumerate(case["groups"]):
            expected = case["expected"]["single_group"][group]
            for x, t, how in (
                (table[:, k], total, "column"),
                (np.ascontiguousarray(table[:, k]), total, "contiguous"),
                (table[:, k].astype(np.float64), total, "float group, other total"),
                (list(table[:, k]), list(total), "lists"),
            ):
                for index, fn in indices.SINGLE_GROUP_FUNCTIONS.items():
                    assert fn(x, t) == pytest.approx(expected[index], abs=TOL), (label, how, index)
