"""The kernels: plain ``@njit`` functions with a numpy fallback that gives the same numbers."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from cocity.insights import indices, kernels, spatial
from cocity.insights.synthetic import synthetic_city

SOURCES = Path(indices.__file__).parent


def _every_index(counts: np.ndarray) -> dict[str, float]:
    total = counts.sum(axis=1)
    values = {f"multi {name}": fn(counts) for name, fn in indices.MULTIGROUP_FUNCTIONS.items()}
    values.update({f"prepared {name}": v for name, v in indices.multigroup_indices(counts).items()})
    for name, fn in indices.SINGLE_GROUP_FUNCTIONS.items():
        values[f"single {name}"] = fn(counts[:, 0], total)
        values[f"single float {name}"] = fn(counts[:, 1].astype(float), total.astype(float))
    values["atkinson 0.3"] = indices.atkinson(counts[:, 2], total, b=0.3)
    return values


@pytest.mark.parametrize("scale", [1, 1000, 0.37])
def test_the_numpy_path_gives_the_numba_numbers(monkeypatch, scale):
    """Without numba (``kernels.NUMBA`` False) every index comes from the numpy equivalents."""
    assert kernels.NUMBA, "numba is a dependency: the compiled path runs by default"
    city = synthetic_city(70, 50, n_groups=4, seed=3)
    counts = city.counts * scale
    for table in (counts, np.asfortranarray(counts)):
        compiled = _every_index(table)
        monkeypatch.setattr(kernels, "NUMBA", False)
        fallback = _every_index(table)
        monkeypatch.setattr(kernels, "NUMBA", True)
        assert fallback.keys() == compiled.keys()
        for name, value in compiled.items():
            assert fallback[name] == pytest.approx(value, rel=1e-12, abs=1e-14), name


def test_the_numpy_path_reports_bad_input_with_the_same_errors(monkeypatch):
    monkeypatch.setattr(kernels, "NUMBA", False)
    with pytest.raises(ValueError, match="negative count \\(unit 1\\)"):
        indices.multi_dissimilarity(np.array([[1, 2], [-1, 3], [4, 5]]))
    with pytest.raises(ValueError, match="missing or infinite value \\(unit 0\\)"):
        indices.dissimilarity(np.array([np.nan, 1.0]), np.array([2.0, 2.0]))
    with pytest.raises(ValueError, match="larger than total in unit 1"):
        indices.isolation(np.array([1, 5]), np.array([2, 4]))


def test_proximity_with_a_cutoff_is_the_same_without_numba(monkeypatch):
    city = synthetic_city(40, 30, seed=4)
    xy, areas = spatial.centroids_and_areas(city.geometries)
    args = (city.counts[:, 0], city.total, xy, areas)
    options = {"kernel": "exponential", "scale": 100.0, "cutoff": 500.0}
    compiled = spatial.spatial_proximity(*args, **options)
    monkeypatch.setattr(kernels, "NUMBA", False)
    assert spatial.spatial_proximity(*args, **options) == pytest.approx(compiled, rel=1e-12)


def test_no_source_is_generated_and_run_with_exec():
    for path in SOURCES.rglob("*.py"):
        text = path.read_text()
        # the built-ins, not re.compile or a method of that name
        assert not re.search(r"(?<![\w.])(exec|compile)\(", text), path


def test_compiled_random_allocations_keep_both_margins_and_follow_the_seed():
    city = synthetic_city(30, 20, n_groups=3, seed=6)
    draws = kernels.draw_allocations(city.counts, 16, seed=11)
    assert draws.shape == (16, *city.counts.shape)
    assert (draws.sum(axis=2) == city.total).all()
    assert (draws.sum(axis=1) == city.counts.sum(axis=0)).all()
    assert (draws >= 0).all()
    assert np.array_equal(draws, kernels.draw_allocations(city.counts, 16, seed=11))
    assert not np.array_equal(draws, kernels.draw_allocations(city.counts, 16, seed=12))


def test_compiled_allocations_have_the_numpy_draws_distribution():
    """The same multivariate hypergeometric split of the same halving tree: mean and variance
    of each unit's count agree with numpy's draws (4,000 allocations of 40 units)."""
    from cocity.insights import inference

    counts = synthetic_city(8, 5, n_groups=3, seed=2).counts
    compiled = kernels.draw_allocations(counts, 4000, seed=3).astype(float)
    numpy = inference.draw_permutations(counts, 4000, np.random.default_rng(3)).astype(float)
    spread = np.sqrt(numpy.var(axis=0) / 4000) + 1e-9
    assert np.all(np.abs(compiled.mean(axis=0) - numpy.mean(axis=0)) < 5 * spread)
    assert np.allclose(compiled.var(axis=0), numpy.var(axis=0), rtol=0.15, atol=0.5)


def test_a_report_without_numba_has_the_same_indices_and_a_valid_test(monkeypatch):
    from cocity.insights.report import ReportOptions, compute_report

    city = synthetic_city(30, 20, n_groups=3, seed=8)
    args = (city.counts, None, list(city.groups), city.geometries)
    options = ReportOptions(coordinates="projected", permutations=19, seed=5)
    compiled = compute_report(*args, options)
    monkeypatch.setattr(kernels, "NUMBA", False)
    fallback = compute_report(*args, options)
    for part in ("single_group", "multigroup", "spatial"):
        for key, values in compiled[part].items():
            got = fallback[part][key]
            if isinstance(values, dict):
                assert got == pytest.approx(values, rel=1e-12), (part, key)
            else:
                assert got == pytest.approx(values, rel=1e-12), (part, key)
    # Another random stream: the same observed statistics, a null from the same distribution.
    tests, other = compiled["permutation_tests"], fallback["permutation_tests"]
    for group, summaries in tests["single_group"].items():
        for name, summary in summaries.items():
            theirs = other["single_group"][group][name]
            assert theirs["statistic"] == pytest.approx(summary["statistic"], rel=1e-12)
            assert theirs["null"]["mean"] == pytest.approx(
                summary["null"]["mean"], abs=4 * summary["null"]["std"] + 1e-12
            ), (group, name)
