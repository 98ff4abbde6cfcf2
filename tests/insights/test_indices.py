"""Properties of the indices and validation of their input (no reference library needed)."""

import numpy as np
import pytest

from cocity.insights import indices
from cocity.insights.synthetic import synthetic_city

BOUNDED = ("dissimilarity", "gini", "entropy", "isolation", "exposure", "atkinson")


@pytest.fixture(scope="module")
def city():
    return synthetic_city(30, 20, n_groups=3, seed=3)


def test_single_group_indices_are_within_0_and_1(city):
    for k in range(3):
        values = indices.single_group_indices(city.counts[:, k], city.total)
        for name in BOUNDED:
            assert 0 <= values[name] <= 1, name
        assert values["isolation"] + values["exposure"] == pytest.approx(1)


def test_multigroup_indices_are_within_0_and_1(city):
    values = indices.multigroup_indices(city.counts)
    for name, value in values.items():
        if name != "diversity":
            assert 0 <= value <= 1, name
    assert values["simpsons_interaction"] + values["simpsons_concentration"] == pytest.approx(1)


def test_even_city_gives_zero():
    group = np.array([10, 20, 30, 0, 40])
    total = group * 4
    values = indices.single_group_indices(group, total)
    for name in ("dissimilarity", "gini", "entropy", "atkinson", "correlation_ratio"):
        assert values[name] == pytest.approx(0, abs=1e-12), name
    assert values["isolation"] == pytest.approx(0.25)
    multi = indices.multigroup_indices(np.column_stack([group, 3 * group]))
    for name in ("dissimilarity", "gini", "information_theory", "normalized_exposure"):
        assert multi[name] == pytest.approx(0, abs=1e-12), name


def test_fully_segregated_city_gives_one():
    group = np.array([50, 0, 70, 0, 0])
    total = np.array([50, 30, 70, 0, 10])
    values = indices.single_group_indices(group, total)
    for name in ("dissimilarity", "gini", "entropy", "isolation", "atkinson", "correlation_ratio"):
        assert values[name] == pytest.approx(1), name
    assert values["exposure"] == pytest.approx(0)
    counts = np.array([[50, 0, 0], [0, 30, 0], [0, 0, 70], [0, 0, 0]])
    multi = indices.multigroup_indices(counts)
    for name in ("dissimilarity", "gini", "information_theory", "normalized_exposure"):
        assert multi[name] == pytest.approx(1), name


def test_gini_by_sorting_equals_pairwise_sum(city):
    x, t = city.counts[:, 0].astype(float), city.total.astype(float)
    p = np.divide(x, t, out=np.zeros_like(x), where=t > 0)
    pairwise = np.sum(np.outer(t, t) * np.abs(p[:, None] - p[None, :]))
    big_p = x.sum() / t.sum()
    assert indices.gini(x, t) == pytest.approx(
        pairwise / (2 * t.sum() ** 2 * big_p * (1 - big_p)), rel=1e-12
    )


def test_local_measures_shapes_and_empty_units():
    counts = np.array([[10, 10], [0, 0], [5, 0]])
    lq = indices.location_quotient(counts)
    assert lq.shape == (3, 2)
    assert np.isnan(lq[1]).all()
    np.testing.assert_allclose(indices.local_entropy(counts), [1.0, 0.0, 0.0])
    np.testing.assert_allclose(indices.local_diversity(counts), [np.log(2), 0.0, 0.0])


@pytest.mark.parametrize(
    ("group", "total", "message"),
    [
        ([1, -2], [3, 3], "negative"),
        ([1, np.nan], [3, 3], "missing"),
        ([4, 1], [3, 3], "larger than total in unit 0"),
        ([0, 0], [3, 3], "no members"),
        ([3, 3], [3, 3], "everyone"),
        ([1, 2, 3], [3, 3], "differ in length"),
        ([], [], "no units"),
        ([0, 0], [0, 0], "total population is zero"),
        (["a", "b"], [1, 2], "must be numbers"),
    ],
)
def test_bad_single_group_input(group, total, message):
    with pytest.raises(ValueError, match=message):
        indices.dissimilarity(group, total)


def test_bad_multigroup_input():
    with pytest.raises(ValueError, match="at least two groups"):
        indices.multi_dissimilarity([[1], [2]])
    with pytest.raises(ValueError, match="group 1 has no members"):
        indices.multi_gini([[1, 0], [2, 0]])
    with pytest.raises(ValueError, match="negative"):
        indices.multi_information_theory([[1, -1], [2, 3]])


def test_atkinson_parameter():
    assert indices.atkinson([1, 2], [3, 3], b=0.0) == pytest.approx(0)
    with pytest.raises(ValueError, match="b must"):
        indices.atkinson([1, 2], [3, 3], b=1.0)
