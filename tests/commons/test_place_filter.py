"""The place filter of the pacts registry, its map and exports, and of the registry of commons
offers the places with something to filter and those above them, never every place: a city that
brings its hundreds of statistical areas adds no option to these public pages (issue 18)."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from cocity.commons.models import Pact
from cocity.network.models import Territory
from tests.commons import scenario
from tests.factories import CommonsFactory, PactFactory, TerritoryFactory

pytestmark = pytest.mark.django_db
S = Pact.State
SELECT = re.compile(r'<select name="territory"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="([^"]*)"([^>]*)>')


@pytest.fixture
def w() -> SimpleNamespace:
    world = scenario.world()
    PactFactory(commons=world.commons, title="Care of Bolognina", state=S.ACTIVE)
    return world


def options(html: str) -> list[str]:
    """The values of the territory select's options ("" for "anywhere")."""
    found = SELECT.search(html)
    assert found, "no territory select on the page"
    return [value for value, _attrs in OPTION.findall(found.group(1))]


def selected(html: str) -> list[str]:
    found = SELECT.search(html)
    assert found
    return [value for value, attrs in OPTION.findall(found.group(1)) if "selected" in attrs]


def berlin(areas: int = 300) -> Any:
    """Another city bringing its own areas, none of which holds a pact."""
    country = TerritoryFactory(name="Germany", code="DE")
    city = TerritoryFactory(name="Berlin", code="DE-BER", kind=Territory.Kind.CITY, parent=country)
    for n in range(areas):
        TerritoryFactory(
            name=f"Berlin area {n}",
            code=f"DE-BER-{n:04d}",
            kind=Territory.Kind.NEIGHBOURHOOD,
            parent=city,
        )
    return city


def page(client, name: str = "commons:index", **params: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("name", ["commons:index", "commons:map"])
def test_offers_the_places_of_pacts_and_those_above_only(client, w, name):  # type: ignore[no-untyped-def]
    scenario.draft(w, commons=CommonsFactory(organisation=w.comune, territory=w.other))
    # Pilastro holds only a draft (not in the list), Italy is a country: neither is offered.
    before = options(page(client, name))
    assert before == ["", "IT-BLQ", "IT-BLQ-01", "IT-BLQ-01-1"]
    city = berlin()
    CommonsFactory(organisation=w.comune, territory=Territory.objects.get(code="DE-BER-0007"))
    assert options(page(client, name)) == before  # 300 areas and a commons without pacts later
    PactFactory(commons=CommonsFactory(territory=city.children.get(code="DE-BER-0042")))
    assert options(page(client, name)) == ["", "DE-BER", "DE-BER-0042", *before[1:]]  # by path


def test_filtering_by_an_offered_place_works_as_before(client, w):  # type: ignore[no-untyped-def]
    berlin(5)
    elsewhere = CommonsFactory(territory=Territory.objects.get(code="DE-BER-0003"))
    PactFactory(commons=elsewhere, title="Care of a Berlin yard", state=S.ACTIVE)
    html = page(client, territory="IT-BLQ")  # the city: every pact of its neighbourhoods
    assert "Care of Bolognina" in html and "Care of a Berlin yard" not in html
    assert selected(html) == ["IT-BLQ"]
    html = page(client, territory="DE-BER-0003")
    assert "Care of a Berlin yard" in html and "Care of Bolognina" not in html
    data = json.loads(
        client.get(reverse("commons:map_geojson"), {"territory": "IT-BLQ-01"}).content
    )
    assert [f["properties"]["title"] for f in data["features"]] == ["Care of Bolognina"]
    csv_text = b"".join(
        client.get(reverse("commons:export_csv"), {"territory": "DE-BER"}).streaming_content
    ).decode()
    assert "Care of a Berlin yard" in csv_text and "Care of Bolognina" not in csv_text


def test_a_place_named_in_the_address_is_accepted_even_without_pacts(client, w):  # type: ignore[no-untyped-def]
    """A place's page asks the map for ``?territory=<code>`` whatever it holds: a place with no
    pact filters to nothing (not to every pact), and is shown selected."""
    html = page(client, territory="IT-BLQ-01-2")
    assert "Care of Bolognina" not in html and selected(html) == ["IT-BLQ-01-2"]
    data = json.loads(
        client.get(reverse("commons:map_geojson"), {"territory": "IT-BLQ-01-2"}).content
    )
    assert data["features"] == []


def test_an_unknown_place_is_the_usual_invalid_choice(client, w):  # type: ignore[no-untyped-def]
    for name in ("commons:index", "commons:map", "commons:commons_list"):
        html = page(client, name, territory="NOWHERE")
        assert "Select a valid choice" in html and "NOWHERE" not in options(html)
    response = client.get(reverse("commons:map_geojson"), {"territory": "x" * 5000})
    assert response.status_code == 200


def test_the_commons_registry_offers_the_places_of_commons(client, w):  # type: ignore[no-untyped-def]
    CommonsFactory(organisation=w.comune, territory=w.other, name="Pilastro hall")  # no pact
    berlin()
    html = page(client, "commons:commons_list")
    assert options(html) == ["", "IT-BLQ", "IT-BLQ-01", "IT-BLQ-01-1", "IT-BLQ-01-2"]
    html = page(client, "commons:commons_list", territory="IT-BLQ-01-2")
    assert "Pilastro hall" in html and "Giardino Bolognina" not in html


@pytest.mark.parametrize("name", ["commons:index", "commons:map", "commons:commons_list"])
def test_other_cities_areas_add_no_query(client, w, assert_same_query_count, name):  # type: ignore[no-untyped-def]
    city = berlin(0)

    def make(n: int) -> None:
        for _ in range(n):
            area = TerritoryFactory(kind=Territory.Kind.NEIGHBOURHOOD, parent=city)
            CommonsFactory(territory=area)  # a commons without pacts

    assert_same_query_count(reverse(name), make)
