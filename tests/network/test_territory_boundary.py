"""The place picker's outline of a place chosen in the same form (the commons form): one
place's boundary as a GeoJSON Feature, by id; bad ids are refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[5.37, 43.30], [5.41, 43.30], [5.41, 43.33], [5.37, 43.33], [5.37, 43.30]]],
}


def test_place_boundary_endpoint_for_the_commons_picker(client) -> None:  # type: ignore[no-untyped-def]
    place = TerritoryFactory(name="Belle de Mai", code="BDM2", boundary=SQUARE)
    url = reverse("network:territory_boundary")
    data = client.get(url, {"id": place.pk}).json()
    assert data["type"] == "Feature" and data["geometry"]["type"] == "Polygon"
    assert data["properties"] == {"name": "Belle de Mai", "code": "BDM2", "approximate": False}
    place.boundary_approximate = True
    place.save()
    assert client.get(url, {"id": place.pk}).json()["properties"]["approximate"] is True
    bare = TerritoryFactory(boundary=None)
    assert client.get(url, {"id": bare.pk}).json()["geometry"] is None
    assert client.get(url, {"id": "x"}).status_code == 400
    assert client.get(url).status_code == 400
    assert client.get(url, {"id": "999999999"}).status_code == 404


def test_the_approximate_flag_is_kept_by_the_services() -> None:
    from cocity.network.services.territories import territory_create, territory_update

    place = territory_create(
        name="Drawn", code="DRAWN", kind="country", boundary=SQUARE, boundary_approximate=True
    )
    place.refresh_from_db()
    assert place.boundary_approximate is True
    territory_update(territory=place, name="Drawn again")
    place.refresh_from_db()
    assert (place.name, place.boundary_approximate) == ("Drawn again", True)
    territory_update(territory=place, boundary_approximate=False)
    place.refresh_from_db()
    assert place.boundary_approximate is False
