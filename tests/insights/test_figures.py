"""The figures of the city page: rounded half up (never cut) and written as the locale writes
them, in full in the downloads; every index linked to its explanation."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse

from cocity.insights import explanations, maps, services
from cocity.insights.management.commands.insights import _fmt
from cocity.insights.selectors import MULTIGROUP_LABELS

from .platform_helpers import GROUPS, ROWS, counts_csv, grid_city

pytestmark = pytest.mark.django_db


def _dataset(city, hoods):  # type: ignore[no-untyped-def]
    return services.dataset_import(
        city=city,
        name="Census",
        source="INSEE",
        year=2020,
        groups=GROUPS,
        total_column="total",
        id_column="code",
        csv_text=counts_csv(hoods, ROWS),
    )


def test_a_figure_is_rounded_half_up_by_locale_on_the_page_and_whole_in_the_csv(client):
    city, hoods = grid_city()
    dataset = _dataset(city, hoods)
    results = dataset.results
    results["single_group"]["a"]["dissimilarity"] = 0.5155
    results["local"][hoods[0].code]["local_entropy"] = 0.5155
    dataset.results = results
    dataset.save(update_fields=["results"])
    url = reverse("insights:city", args=[city.code])
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<td>0.516</td>" in english and "0.515<" not in english
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "<td>0,516</td>" in french and "0,515<" not in french
    # the map's table of local entropy (two decimals): 0.52, never 0.51
    mapped = client.get(url + "?measure=local_entropy").content.decode()
    assert "<td>0.52</td>" in mapped
    response = client.get(reverse("insights:dataset_csv", args=[dataset.pk]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["local_entropy"] == "0.5155"
    geojson = client.get(reverse("insights:dataset_geojson", args=[dataset.pk])).json()
    assert geojson["features"][0]["properties"]["local_entropy"] == 0.5155


def test_the_command_table_and_the_legend_round_half_up():
    assert _fmt(0.0000005) == "0.000001"
    assert _fmt(0.5155555) == "0.515556"
    assert _fmt(None) == "-"
    assert maps._two_decimals(0.125) == 0.13
    assert maps._two_decimals(0.515) == 0.52


def test_every_index_on_the_page_links_to_its_explanation(client):
    city, hoods = grid_city()
    _dataset(city, hoods)
    html = client.get(reverse("insights:city", args=[city.code])).content.decode()
    links = set(re.findall(r'href="#(about-[a-z-]+)"', html))
    ids = set(re.findall(r'id="(about-[a-z-]+)"', html))
    assert links and links <= ids
    for key in ("dissimilarity", "spatial-proximity", "multigroup-gini", "location-quotient"):
        assert f"about-{key}" in links
    assert "What the indices mean" in html and "Reading a change" in html


def test_every_index_has_an_explanation_in_english_and_french():
    from django.utils import translation

    keys = set(explanations.EXPLANATIONS)
    assert {f"multigroup_{name}" for name in MULTIGROUP_LABELS} <= keys
    assert {"dissimilarity", "gini", "entropy", "isolation", "exposure", "atkinson"} <= keys
    assert {"correlation_ratio", "spatial_dissimilarity", "spatial_proximity"} <= keys
    assert {"location_quotient", "local_entropy", "representation_ratio"} <= keys
    assert {"participation_dissimilarity", "p_value"} <= keys
    for entry in explanations.EXPLANATIONS.values():
        with translation.override("en"):
            english = [str(text) for text in entry]
        with translation.override("fr"):
            french = [str(text) for text in entry]
        for en, fr in zip(english, french, strict=True):
            assert en and (fr != en or en in {"Gini", "Atkinson"}), en
