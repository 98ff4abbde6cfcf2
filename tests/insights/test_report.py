"""``report.compute_report``: the permutation tests compute each index from one compiled pass
over an allocation; on the data themselves those statistics are the report's indices."""

from __future__ import annotations

import numpy as np
import pytest

from cocity.insights import kernels
from cocity.insights.report import ReportOptions, compute_report
from cocity.insights.synthetic import synthetic_city


@pytest.mark.parametrize("numba", [True, False])
@pytest.mark.parametrize("b", [0.5, 0.2])
def test_tested_statistics_are_the_reports_indices(monkeypatch, numba, b):
    monkeypatch.setattr(kernels, "NUMBA", numba)
    city = synthetic_city(24, 18, n_groups=3, seed=9)
    counts = city.counts[:, :2]  # two groups and a "rest of total"
    options = ReportOptions(coordinates="projected", permutations=9, seed=2, atkinson_b=b)
    report = compute_report(counts, city.total, ["a", "b"], city.geometries, options)
    assert report["errors"] == []
    assert report["parameters"]["multigroup_groups"] == ["a", "b", "rest of total"]
    tests = report["permutation_tests"]
    for group in ("a", "b"):
        summaries = tests["single_group"][group]
        values = report["single_group"][group] | report["spatial"][group]
        assert set(summaries) == {*report["single_group"][group], "spatial_dissimilarity"}
        for name, summary in summaries.items():
            assert summary["statistic"] == pytest.approx(values[name], rel=1e-12), (group, name)
            assert 0 < summary["p_value"] <= 1
    for name, summary in tests["multigroup"].items():
        assert summary["statistic"] == pytest.approx(report["multigroup"][name], rel=1e-12), name


def test_the_same_seed_gives_the_same_tests():
    city = synthetic_city(20, 15, n_groups=3, seed=1)
    options = ReportOptions(coordinates="projected", permutations=19, seed=7)
    first = compute_report(city.counts, None, list(city.groups), city.geometries, options)
    second = compute_report(city.counts, None, list(city.groups), city.geometries, options)
    assert first["permutation_tests"] == second["permutation_tests"]


def test_problems_are_listed_and_the_rest_is_computed():
    counts = np.array([[0, 5], [0, 3], [0, 7]])
    report = compute_report(counts, None, ["empty", "full"], None, ReportOptions(permutations=9))
    assert any("group empty" in e and "no members" in e for e in report["errors"])
    assert report["single_group"] == {}
    assert report["permutation_tests"]["single_group"] == {}


def test_lonlat_coordinates_are_checked():
    city = synthetic_city(5, 4, seed=1)  # metres, far beyond 180 degrees
    report = compute_report(city.counts, None, list(city.groups), city.geometries)
    assert any("not longitude and latitude" in e for e in report["errors"])
    assert "contiguity_links" not in report
