"""The comparison page: two data sets side by side with the permutation test's p-value, the
form's bad input, and two data sets of one year never shown as a change over time."""

from __future__ import annotations

import re

import numpy as np
import pytest
from django.urls import reverse

from cocity.insights import comparison, inference, selectors, services
from cocity.insights.models import DataSet
from cocity.insights.report import multigroup_table
from cocity.insights.templatetags.insights import num

from .platform_helpers import GROUPS, ROWS, counts_csv, grid_city

pytestmark = pytest.mark.django_db

LATER = [(a + 40, max(b - 10, 0), t + 30) for a, b, t in ROWS]
URL = reverse("insights:compare")


def _dataset(city, hoods, year=2020, rows=ROWS, groups=GROUPS):  # type: ignore[no-untyped-def]
    return services.dataset_import(
        city=city,
        name="Census",
        source="INSEE",
        year=year,
        groups=groups,
        total_column="total",
        id_column="code",
        csv_text=counts_csv(hoods, rows),
    )


def _table(dataset: DataSet) -> np.ndarray:
    units = list(dataset.units.order_by("territory__path"))
    counts = np.array([u.counts for u in units], dtype=np.int64)
    total = np.array([u.total for u in units], dtype=np.int64)
    return multigroup_table(counts, total)


def _cell_after(html: str, label: str, column: int) -> str:
    """The text of the ``column``-th cell (0: first data set ... 3: p-value) of a row."""
    row = re.search(re.escape(label) + r"</a></th>((?:<td>[^<]*</td>){4})", html)
    assert row, label
    return re.findall(r"<td>([^<]*)</td>", row.group(1))[column]


def test_two_years_side_by_side_with_the_p_value_of_inference_compare(client):
    city, hoods = grid_city()
    first = _dataset(city, hoods, 2015)
    second = _dataset(city, hoods, 2020, LATER)
    response = client.get(URL, {"a": first.pk, "b": second.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "the difference is the change from 2015 to 2020" in html
    expected = inference.compare(
        inference.multigroup_statistic("dissimilarity"),
        _table(first),
        _table(second),
        permutations=comparison.permutations_for(12),
        seed=comparison.SEED,
    )
    assert comparison.permutations_for(12) == 999
    assert _cell_after(html, "Multigroup dissimilarity", 3) == num(expected.p_value)
    assert _cell_after(html, "Multigroup dissimilarity", 0) == num(expected.statistic_1)
    assert _cell_after(html, "Multigroup dissimilarity", 1) == num(expected.statistic_2)
    assert _cell_after(html, "Multigroup dissimilarity", 2) == num(
        second.results["multigroup"]["dissimilarity"] - first.results["multigroup"]["dissimilarity"]
    )
    # each group's dissimilarity has its own test; the other indices have none
    group_a = html.split("Group A against everyone else")[1]
    one_group = inference.compare(
        inference.single_group_statistic("dissimilarity"),
        np.column_stack([_table(first)[:, 0], _table(first).sum(axis=1) - _table(first)[:, 0]]),
        np.column_stack([_table(second)[:, 0], _table(second).sum(axis=1) - _table(second)[:, 0]]),
        permutations=999,
        seed=comparison.SEED,
    )
    assert _cell_after(group_a, "Dissimilarity", 3) == num(one_group.p_value)
    assert _cell_after(group_a, "Gini", 3) == "—"
    assert 'id="about-p-value"' in html and 'href="#about-multigroup-dissimilarity"' in html


def test_two_cities_and_the_test_is_cached(client, monkeypatch):
    city, hoods = grid_city()
    other, other_hoods = grid_city(code="FR-LYS")
    first = _dataset(city, hoods, 2020)
    second = _dataset(other, other_hoods, 2020, LATER)
    html = client.get(URL, {"a": first.pk, "b": second.pk}).content.decode()
    assert "Two cities" in html and "not a change over time" not in html

    def fail(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("computed again")

    monkeypatch.setattr(inference, "compare", fail)
    again = client.get(URL, {"a": first.pk, "b": second.pk}).content.decode()
    assert _cell_after(again, "Multigroup dissimilarity", 3) == _cell_after(
        html, "Multigroup dissimilarity", 3
    )


def test_different_groups_show_the_figures_without_a_p_value(client):
    city, hoods = grid_city()
    first = _dataset(city, hoods, 2015)
    second = _dataset(city, hoods, 2020, groups=GROUPS[:1])
    html = client.get(URL, {"a": first.pk, "b": second.pk}).content.decode()
    assert "do not have the same groups" in html
    assert _cell_after(html, "Multigroup dissimilarity", 3) == "—"
    group_a = html.split("Group A against everyone else")[1]
    assert _cell_after(group_a, "Dissimilarity", 0) == num(
        first.results["single_group"]["a"]["dissimilarity"]
    )
    assert _cell_after(group_a, "Dissimilarity", 3) == "—"
    assert "Group B against everyone else" not in html


def test_same_city_same_year_is_never_a_change_over_time(client):
    city, hoods = grid_city()
    first = _dataset(city, hoods, 2020)
    second = _dataset(city, hoods, 2020, LATER)
    html = client.get(URL, {"a": first.pk, "b": second.pk}).content.decode()
    assert "Same year: not a change over time." in html
    assert "the change from" not in html
    # nor on the city page, nor in the stored comparison of the import
    second.refresh_from_db()
    assert second.results.get("comparison") is None
    assert selectors.over_time(selectors.city_datasets(city)) == []
    page = client.get(reverse("insights:city", args=[city.code])).content.decode()
    assert "Change over time" not in page


def test_over_time_keeps_one_data_set_per_year():
    city, hoods = grid_city()
    _dataset(city, hoods, 2015)
    _dataset(city, hoods, 2020, LATER)
    newest = _dataset(city, hoods, 2020, ROWS)
    series = selectors.over_time(selectors.city_datasets(city))
    assert len(series) == 1 and series[0]["years"] == [2015, 2020]
    assert series[0]["datasets"][-1] == newest
    assert newest.results["comparison"]["previous_year"] == 2015


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"a": "x", "b": "1"}, "Select a valid choice"),
        ({"a": "999999", "b": "999998"}, "Select a valid choice"),
        ({"a": "", "b": ""}, "This field is required"),
        ({"a": "1e3", "b": "%00"}, "Select a valid choice"),
    ],
)
def test_bad_input_shows_the_form_with_an_error(client, params, message):
    city, hoods = grid_city()
    _dataset(city, hoods, 2020)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'id="comparison"' not in response.content.decode()


def test_the_same_data_set_twice_and_one_not_ready(client):
    city, hoods = grid_city()
    ready = _dataset(city, hoods, 2020)
    html = client.get(URL, {"a": ready.pk, "b": ready.pk}).content.decode()
    assert "Choose two different data sets" in html and 'id="comparison"' not in html
    failed = DataSet.objects.create(city=city, name="Broken", year=2019, status="failed")
    html = client.get(URL, {"a": ready.pk, "b": failed.pk}).content.decode()
    assert "Select a valid choice" in html


def test_the_form_alone_lists_ready_data_sets_by_city_and_keeps_the_first(client):
    city, hoods = grid_city()
    ready = _dataset(city, hoods, 2020)
    DataSet.objects.create(city=city, name="Broken", year=2019, status="failed")
    response = client.get(URL, {"a": ready.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<optgroup label="Marseille">' in html and "Broken" not in html
    assert f'<option value="{ready.pk}" selected>' in html
    assert "errorlist" not in html
    city_page = client.get(reverse("insights:city", args=[city.code])).content.decode()
    assert f'href="{URL}?a={ready.pk}"' in city_page


def test_french_page(client):
    city, hoods = grid_city()
    first = _dataset(city, hoods, 2015)
    second = _dataset(city, hoods, 2020, LATER)
    response = client.get(URL, {"a": first.pk, "b": second.pk}, HTTP_ACCEPT_LANGUAGE="fr")
    html = response.content.decode()
    assert "Comparer deux jeux de données" in html
    assert "Ce que veulent dire les indices" in html


def test_the_comparison_reads_the_city_wide_indices_not_the_local_measures(
    client, django_assert_max_num_queries
):
    city, hoods = grid_city()
    first = _dataset(city, hoods, 2015)
    second = _dataset(city, hoods, 2020, LATER)
    pair = selectors.datasets_to_compare(second.pk, first.pk)
    assert pair is not None and [d.pk for d in pair] == [second.pk, first.pk]
    assert all("results" in d.get_deferred_fields() for d in pair)
    assert comparison.indices_of(pair[0])["multigroup"] == second.results["multigroup"]
    assert comparison.indices_of(pair[0])["units"] == 6
    client.get(URL, {"a": first.pk, "b": second.pk})  # the tests are now cached
    with django_assert_max_num_queries(8):
        html = client.get(URL, {"a": first.pk, "b": second.pk}).content.decode()
    assert all("results" in d.get_deferred_fields() for d in pair)
    assert _cell_after(html, "Gini", 0) != "—"


def test_the_city_page_links_a_series_over_time_to_the_comparison(client):
    city, hoods = grid_city()
    first = _dataset(city, hoods, 2015)
    second = _dataset(city, hoods, 2020, LATER)
    page = client.get(reverse("insights:city", args=[city.code])).content.decode()
    assert f'href="{URL}?a={first.pk}&amp;b={second.pk}">Compare 2015 and 2020 side by side' in page
