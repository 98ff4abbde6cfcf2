"""Two data sets side by side: two cities, or two dates of one city (the comparison page).

The figures come from each data set's stored report; the only computation is the permutation
test of ``inference.compare`` (units of both pooled and relabelled at random) for the
multigroup dissimilarity and each group's dissimilarity. It runs with a fixed seed, so the page
shows the same p-value on every visit, and its result is kept in the default cache under both
ids and both ``computed_at``: a data set computed again gets a new test.

A p-value needs the same groups in both data sets (the same columns: the pooled table must
mean the same thing on both sides); otherwise the figures are shown without one. Two data sets
of one city and one year are never a change over time.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from django.core.cache import cache

from . import inference, selectors
from .explanations import MULTIGROUP, SINGLE_GROUP, anchor
from .models import DataSet
from .report import multigroup_table

SEED = 20_261_207  # fixed: the same p-values on every visit
MAX_PERMUTATIONS = 999
MIN_PERMUTATIONS = 99
# Pooled units x permutations the page may spend on one test (a permutation recomputes the
# index on both sides): 999 for cities of up to a few hundred areas, fewer above.
UNIT_BUDGET = 500_000
CACHE_SECONDS = 7 * 24 * 3600


def permutations_for(units: int) -> int:
    """How many random relabellings the page runs for two data sets of ``units`` areas in all."""
    return max(MIN_PERMUTATIONS, min(MAX_PERMUTATIONS, UNIT_BUDGET // max(units, 1)))


def kind_of(a: DataSet, b: DataSet) -> str:
    """ "cities" (two cities), "years" (one city, two years) or "same_year" (one city, one
    year: never a change over time)."""
    if a.city_id != b.city_id:
        return "cities"
    return "same_year" if a.year == b.year else "years"


def indices_of(dataset: DataSet) -> dict[str, Any]:
    """The city-wide part of a data set's results: the annotations of
    ``selectors.datasets_to_compare`` when it was read there, else its results."""
    if hasattr(dataset, "result_multigroup"):
        return {
            "units": getattr(dataset, "result_units", None) or 0,
            "single_group": getattr(dataset, "result_single_group", None) or {},
            "spatial": getattr(dataset, "result_spatial", None) or {},
            "multigroup": getattr(dataset, "result_multigroup", None) or {},
        }
    return dataset.results


def _stamp(dataset: DataSet) -> str:
    return dataset.computed_at.isoformat() if dataset.computed_at else ""


def p_values(a: DataSet, b: DataSet) -> dict[str, Any]:
    """The permutation tests of the multigroup dissimilarity ("multigroup_dissimilarity") and
    of each group's dissimilarity ("dissimilarity:<column>") between ``a`` and ``b``, with
    their number of permutations; empty when the groups differ. Cached."""
    if a.groups_key != b.groups_key:
        return {}
    if (a.year, a.pk) > (b.year, b.pk):  # the earlier first, whichever side the page shows it
        a, b = b, a
    columns = a.group_columns
    units = int(indices_of(a).get("units") or 0) + int(indices_of(b).get("units") or 0)
    permutations = permutations_for(units)
    key = f"insights:compare:{a.pk}:{_stamp(a)}:{b.pk}:{_stamp(b)}:{permutations}:{SEED}"
    found = cache.get(key)
    if found is not None:
        return dict(found)
    counts_a, total_a = selectors.dataset_table(a, columns)
    counts_b, total_b = selectors.dataset_table(b, columns)
    out: dict[str, Any] = {"permutations": permutations, "seed": SEED}
    table_a, table_b = multigroup_table(counts_a, total_a), multigroup_table(counts_b, total_b)
    if table_a.shape[1] == table_b.shape[1]:
        out["multigroup_dissimilarity"] = _test(
            inference.multigroup_statistic("dissimilarity"), table_a, table_b, permutations
        )
    statistic = inference.single_group_statistic("dissimilarity")
    for k, column in enumerate(columns):
        out[f"dissimilarity:{column}"] = _test(
            statistic,
            np.column_stack([counts_a[:, k], total_a - counts_a[:, k]]),
            np.column_stack([counts_b[:, k], total_b - counts_b[:, k]]),
            permutations,
        )
    cache.set(key, out, CACHE_SECONDS)
    return out


def permutation_test(
    statistic: Any, first: Any, second: Any, permutations: int | None = None
) -> inference.ComparisonResult | None:
    """The permutation test of ``statistic`` between two tables (units x groups), the earlier
    first, with this page's seed and ``permutations_for`` both (the import's change over time
    runs the same test); None when it cannot be computed."""
    if not len(first) or not len(second):
        return None
    if permutations is None:
        permutations = permutations_for(len(first) + len(second))
    try:
        return inference.compare(statistic, first, second, permutations=permutations, seed=SEED)
    except ValueError:  # a group with nobody in it, on one side or in a relabelling
        return None


def _test(statistic: Any, first: Any, second: Any, permutations: int) -> float | None:
    result = permutation_test(statistic, first, second, permutations)
    return None if result is None else float(result.p_value)


def _row(key: str, label: Any, a: Any, b: Any, p_value: float | None = None) -> dict[str, Any]:
    difference = b - a if isinstance(a, int | float) and isinstance(b, int | float) else None
    return {
        "key": key,
        "anchor": anchor(key),
        "label": label,
        "a": a,
        "b": b,
        "difference": difference,
        "p_value": p_value,
    }


def side_by_side(a: DataSet, b: DataSet) -> dict[str, Any]:
    """What the comparison page shows: every index of both data sets (one-group indices for
    the groups both have), the difference (second minus first) and, for the dissimilarities,
    the p-value when the groups are the same."""
    tests = p_values(a, b)
    results_a, results_b = indices_of(a), indices_of(b)
    labels_b = dict(zip(b.group_columns, b.group_labels, strict=True))
    groups = []
    for column, label in zip(a.group_columns, a.group_labels, strict=True):
        if column not in labels_b:
            continue
        values_a = {
            **results_a.get("single_group", {}).get(column, {}),
            **results_a.get("spatial", {}).get(column, {}),
        }
        values_b = {
            **results_b.get("single_group", {}).get(column, {}),
            **results_b.get("spatial", {}).get(column, {}),
        }
        rows = [
            _row(
                key,
                entry.label,
                values_a.get(key),
                values_b.get(key),
                tests.get(f"dissimilarity:{column}") if key == "dissimilarity" else None,
            )
            for key, entry in SINGLE_GROUP.items()
            if key in values_a or key in values_b
        ]
        groups.append({"column": column, "label": label, "rows": rows})
    multi_a, multi_b = results_a.get("multigroup", {}), results_b.get("multigroup", {})
    multigroup = [
        _row(
            key,
            entry.label,
            multi_a.get(key.removeprefix("multigroup_")),
            multi_b.get(key.removeprefix("multigroup_")),
            tests.get(key),
        )
        for key, entry in MULTIGROUP.items()
        if key.removeprefix("multigroup_") in multi_a or key.removeprefix("multigroup_") in multi_b
    ]
    return {
        "kind": kind_of(a, b),
        "same_groups": a.groups_key == b.groups_key,
        "groups": groups,
        "multigroup": multigroup,
        "permutations": tests.get("permutations"),
    }
