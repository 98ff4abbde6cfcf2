"""Properties of the indices and validation of their input (no reference library needed)."""

import numpy as np
import pytest

from cocity.insights import indices, kernels
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


@pytest.mark.parametrize(
    ("group", "total", "message"),
    [
        ([1.0, np.inf], [3.0, np.inf], "missing or infinite value \\(unit 1\\)"),
        ([1.0, -np.inf], [3.0, 3.0], "missing or infinite value \\(unit 1\\)"),
        ([1.0, 2.0], [3.0, np.nan], "total has a missing or infinite value \\(unit 1\\)"),
        ([1.5, -0.5], [3.0, 3.0], "negative count \\(unit 1\\)"),
        (np.array([1, -2], dtype=np.int32), [3, 3], "negative count \\(unit 1\\)"),
    ],
)
def test_fast_validation_still_names_the_bad_unit(group, total, message):
    for fn in indices.SINGLE_GROUP_FUNCTIONS.values():
        with pytest.raises(ValueError, match=message):
            fn(group, total)


def test_bad_multigroup_input_on_every_path():
    bad = [
        ([[1, -1], [2, 3]], "negative count \\(unit 0\\)"),
        ([[1.0, 2.0], [np.nan, 3.0]], "missing or infinite value \\(unit 1\\)"),
        ([[1.0, 2.0], [np.inf, 3.0]], "missing or infinite value \\(unit 1\\)"),
        ([["a", "b"], ["c", "d"]], "must be numbers"),
        ([[1, 0], [2, 0]], "group 1 has no members"),
    ]
    for counts, message in bad:
        for fn in indices.MULTIGROUP_FUNCTIONS.values():
            with pytest.raises(ValueError, match=message):
                fn(counts)


def test_prepared_inputs_give_the_same_values(city):
    x, t = city.counts[:, 0], city.total
    prepared = indices.SingleCounts(x, t)
    for name, fn in indices.SINGLE_GROUP_FUNCTIONS.items():
        assert fn(prepared) == pytest.approx(fn(x.astype(float), t.astype(float)), abs=1e-12), name
    g = indices.GroupCounts(city.counts)
    as_float = indices.multigroup_indices(city.counts.astype(np.float64))
    for name, value in indices.multigroup_indices(g).items():
        assert value == pytest.approx(as_float[name], abs=1e-12), name
        assert indices.MULTIGROUP_FUNCTIONS[name](city.counts) == pytest.approx(value, abs=1e-12)


def test_group_counts_uses_a_group_major_float_array_without_copying(city):
    by_group = np.ascontiguousarray(city.counts.T, dtype=np.float64)
    g = indices.GroupCounts(by_group.T)
    assert np.shares_memory(g.by_group, by_group)
    np.testing.assert_array_equal(g.total, city.total)


def _definitions(c: np.ndarray) -> dict[str, float]:
    """The multigroup indices straight from their definitions (shares, no rearrangement)."""
    c = np.asarray(c, dtype=np.float64)
    t = c.sum(axis=1)
    p = np.divide(c, t[:, None], out=np.zeros_like(c), where=t[:, None] > 0)
    big_t = t.sum()
    pk = c.sum(axis=0) / big_t
    interaction = np.sum(pk * (1 - pk))
    e = -np.sum(pk * np.log(pk))
    ratio = np.divide(p, pk, out=np.ones_like(p), where=p > 0)
    spread = t[:, None] * (p - pk) ** 2
    return {
        "dissimilarity": np.sum(t[:, None] * np.abs(p - pk)) / (2 * big_t * interaction),
        "information_theory": np.sum(t[:, None] * p * np.log(ratio)) / (big_t * e),
        "normalized_exposure": np.sum(spread / (1 - pk)) / big_t,
        "relative_diversity": np.sum(spread) / (big_t * interaction),
        "simpsons_interaction": interaction,
        "simpsons_concentration": np.sum(pk * pk),
        "diversity": e,
    }


@pytest.mark.parametrize(
    "scale",
    [
        1,  # whole numbers, k ln k from a table
        1000,  # unit totals too large for a table: one logarithm per count
        2**33,  # counts beyond 2^31: summed as floats, not as integers
        0.37,  # weighted (non-integer) counts
    ],
)
def test_fused_kernels_agree_with_the_definitions_over_several_blocks(scale):
    # 3,500 units: several blocks of units and a partial one.
    city = synthetic_city(70, 50, n_groups=4, seed=5)
    c = city.counts * scale
    assert c.shape[0] > 2 * kernels.BLOCK
    want = _definitions(c)
    for table in (c, np.asfortranarray(c), c[:, [2, 0, 3, 1]][:, [1, 3, 0, 2]]):
        for name, value in want.items():
            fn = indices.MULTIGROUP_FUNCTIONS[name]
            assert fn(table) == pytest.approx(value, rel=1e-11), (name, scale)
            assert fn(indices.GroupCounts(table)) == pytest.approx(value, rel=1e-11), name
    x, t = c[:, 1], c.sum(axis=1)
    p = np.divide(x, t, out=np.zeros_like(t, dtype=float), where=t > 0)
    big_p = x.sum() / t.sum()
    assert indices.dissimilarity(x, t) == pytest.approx(
        np.sum(t * np.abs(p - big_p)) / (2 * t.sum() * big_p * (1 - big_p)), rel=1e-11
    )
    entropy = -(indices._xlogx(p) + indices._xlogx(1 - p))
    e = -(big_p * np.log(big_p) + (1 - big_p) * np.log(1 - big_p))
    assert indices.entropy(x, t) == pytest.approx(
        np.sum(t * (e - entropy)) / (e * t.sum()), rel=1e-10
    )
    assert indices.isolation(x, t) == pytest.approx(np.sum(x / x.sum() * p), rel=1e-11)
    assert indices.atkinson(x, t, b=0.3) == pytest.approx(
        1
        - big_p
        / (1 - big_p)
        * abs(np.sum((1 - p) ** 0.7 * p**0.3 * t) / (big_p * t.sum())) ** (1 / 0.7),
        rel=1e-11,
    )


@pytest.mark.parametrize("groups", [2, 5, 9])
def test_kernels_for_any_number_of_groups(groups):
    """One plain kernel serves every number of groups (no source generated per number)."""
    city = synthetic_city(60, 40, n_groups=groups, seed=groups)
    want = _definitions(city.counts)
    for table in (np.asfortranarray(city.counts), city.counts):
        for name, value in want.items():
            assert indices.MULTIGROUP_FUNCTIONS[name](table) == pytest.approx(value, rel=1e-11)


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
@pytest.mark.parametrize(
    ("layout", "dtype"),
    [("C", np.int64), ("F", np.int64), ("C", np.float64), ("F", np.float64), ("C", np.int32)],
)
def test_raw_tables_give_the_numpy_validation_errors(layout, dtype):
    good = np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    cases = [(np.array([[1, 2, 3], [4, -5, 6], [7, 8, 9]]), "negative count \\(unit 1\\)")]
    if np.dtype(dtype).kind == "f":
        for value in (np.nan, np.inf, -np.inf):
            bad = good.astype(dtype)
            bad[2, 1] = value
            cases.append((bad, "missing or infinite value \\(unit 2\\)"))
        cases.append((np.full((2, 2), 1e308), "add up to more than a float can hold"))
    cases.append((np.array([[1, 0, 3], [4, 0, 6]]), "group 1 has no members"))
    for counts, message in cases:
        table = np.asarray(counts, dtype=dtype, order=layout)
        for fn in indices.MULTIGROUP_FUNCTIONS.values():
            with pytest.raises(ValueError, match=message):
                fn(table)
        with pytest.raises(ValueError, match=message):
            indices.GroupCounts(table)


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
def test_raw_pairs_give_the_numpy_validation_errors():
    table = np.array([[1, 3], [-2, 3], [0, 5]])
    cases = [
        (table[:, 0], table[:, 1], "group has a negative count \\(unit 1\\)"),
        (np.array([1.0, 2.0, 0.0]), np.array([3.0, np.nan, 5.0]), "total has a missing"),
        (np.array([1.0, 2.0]), np.array([3.0, np.inf]), "total has a missing"),
        (np.array([4, 1]), np.array([3.0, 3.0]), "larger than total in unit 0"),
        (np.array([[1, 4], [2, 1]])[:, 1], np.array([3, 3]), "larger than total in unit 0"),
        (np.array([1e308, 1e308]), np.array([1e308, 1e308]), "more than a float can hold"),
        (np.array([1, 2], dtype=np.uint64), np.array([2**63, 3], dtype=np.uint64), "too large"),
        (np.array([True, False]), np.array([1, 2]), None),
    ]
    for group, total, message in cases:
        for name, fn in indices.SINGLE_GROUP_FUNCTIONS.items():
            if message is None:
                assert fn(group, total) == pytest.approx(fn(group.astype(int), total)), name
                continue
            with pytest.raises(ValueError, match=message):
                fn(group, total)
            with pytest.raises(ValueError, match=message):
                indices.SingleCounts(group, total)
    with pytest.raises(ValueError, match="total is missing"):
        indices.dissimilarity([1, 2])


def test_kernels_run_from_several_threads_at_once():
    """The permutation tests call the indices from threads: the kernels release the GIL and
    keep no shared state."""
    from concurrent.futures import ThreadPoolExecutor

    city = synthetic_city(60, 50, n_groups=3, seed=2)

    def every_index(_: int) -> tuple[dict[str, float], dict[str, float]]:
        raw = {name: fn(city.counts) for name, fn in indices.MULTIGROUP_FUNCTIONS.items()}
        single = {
            name: fn(city.counts[:, 0], city.total)
            for name, fn in indices.SINGLE_GROUP_FUNCTIONS.items()
        }
        return raw, single

    want = every_index(0)
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(every_index, range(8)))
    assert all(values == want for values in got)
