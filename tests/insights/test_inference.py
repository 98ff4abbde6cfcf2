"""Permutation tests and comparisons: reproducible with a seed, margins kept, sensible p-values."""

import numpy as np
import pytest

from cocity.insights import inference
from cocity.insights.synthetic import synthetic_city

DISSIM = inference.single_group_statistic("dissimilarity")


@pytest.fixture(scope="module")
def table():
    city = synthetic_city(20, 20, n_groups=2, seed=5)
    return city.counts


def test_random_allocations_keep_unit_and_group_totals(table):
    draws = inference.draw_permutations(table, 4, np.random.default_rng(1))
    assert draws.shape == (4, *table.shape)
    assert (draws >= 0).all()
    np.testing.assert_array_equal(draws.sum(axis=2), np.broadcast_to(table.sum(axis=1), (4, 400)))
    np.testing.assert_array_equal(draws.sum(axis=1), np.broadcast_to(table.sum(axis=0), (4, 2)))


def test_systematic_null_keeps_group_totals(table):
    draws = inference.draw_systematic(table, 3, np.random.default_rng(1))
    np.testing.assert_array_equal(draws.sum(axis=1), np.broadcast_to(table.sum(axis=0), (3, 2)))


def test_permutation_test_is_reproducible_with_a_seed(table):
    a = inference.permutation_test(DISSIM, table, permutations=30, seed=42)
    b = inference.permutation_test(DISSIM, table, permutations=30, seed=42, workers=1)
    c = inference.permutation_test(DISSIM, table, permutations=30, seed=43)
    np.testing.assert_array_equal(a.null, b.null)
    assert not np.array_equal(a.null, c.null)
    assert a.p_value == pytest.approx(1 / 31)  # clustered city: never reached by chance
    summary = a.summary()
    assert summary["null"]["mean"] < a.statistic
    assert set(summary["null"]["quantiles"]) >= {"2.5%", "50%", "97.5%"}


def test_random_city_is_not_significant():
    rng = np.random.default_rng(3)
    total = rng.integers(50, 200, 300)
    group = rng.binomial(total, 0.4)
    table = np.column_stack([group, total - group])
    result = inference.permutation_test(DISSIM, table, permutations=99, seed=1)
    assert result.p_value > 0.05


def test_comparison_of_two_dates():
    rng = np.random.default_rng(9)
    total = rng.integers(50, 200, 200)
    first = np.column_stack([g := rng.binomial(total, 0.4), total - g])
    same = inference.compare(DISSIM, first, first, permutations=49, seed=2)
    assert same.difference == 0
    assert same.p_value == 1.0
    city = synthetic_city(14, 14, n_groups=2, seed=5).counts
    different = inference.compare(DISSIM, city, first, permutations=49, seed=2)
    assert different.difference > 0
    assert different.p_value == pytest.approx(1 / 50)
    again = inference.compare(DISSIM, city, first, permutations=49, seed=2)
    np.testing.assert_array_equal(different.null, again.null)


def test_reference_two_tailed_p():
    assert inference.reference_two_tailed_p(0.5, [0.1, 0.2, 0.9, 1.0]) == 1.0
    assert inference.reference_two_tailed_p(2.0, [0.1, 0.2]) == 0.0


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ([[1.5, 2], [3, 4]], "whole-number"),
        ([[1, -2], [3, 4]], "negative"),
        ([[1], [3]], "at least two groups"),
    ],
)
def test_bad_counts(counts, message):
    with pytest.raises(ValueError, match=message):
        inference.permutation_test(DISSIM, counts, permutations=5, seed=1)
