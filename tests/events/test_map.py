"""Issue 17: events on the map. An event's venue point (latitude and longitude, both or neither,
in range, inside its space's territory when that has a boundary) is refused with a clear error
when wrong, and nothing is saved; the list's GeoJSON endpoint gives only the events the viewer
may see, in person with a point, in the bbox, capped, with the list's filters; a malformed bbox
is a 400."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cocity.events import maps, services
from cocity.events.models import Event
from cocity.network.models import Role, Space
from tests.factories import (
    SpaceFactory,
    SpaceMembershipFactory,
    TerritoryFactory,
    UserFactory,
    event_with_session,
)

pytestmark = pytest.mark.django_db

# A square around Marseille's Belle de Mai (longitude, latitude).
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[5.37, 43.30], [5.41, 43.30], [5.41, 43.33], [5.37, 43.33], [5.37, 43.30]]],
}


def _space_in_a_territory() -> Space:
    place = TerritoryFactory(name="Belle de Mai", code="BDM", boundary=SQUARE)
    return SpaceFactory(territory=place)


def _form(**extra: str) -> dict[str, str]:
    return {
        "title": "Housing workshop",
        "slug": "housing-workshop",
        "kind": "workshop",
        "format": "in_person",
        "status": "published",
        "time_zone": "Europe/Paris",
        "registration_mode": "none",
        "reminder_offsets": "1440, 60",
        "venue_name": "Friche la Belle de Mai",
        "venue_address": "41 rue Jobin, 13003 Marseille",
        **extra,
    }


def _organiser(client, space: Space) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory()
    SpaceMembershipFactory(space=space, user=user, role=Role.ADMIN)
    client.force_login(user)


@pytest.mark.parametrize(
    ("point", "field", "message"),
    [
        ({"latitude": "91", "longitude": "5.39"}, "latitude", "less than or equal to 90"),
        ({"latitude": "43.31", "longitude": "-181"}, "longitude", "greater than or equal to -180"),
        ({"latitude": "forty", "longitude": "5.39"}, "latitude", "Enter a number"),
        ({"latitude": "43.31"}, "longitude", "Give both latitude and longitude"),
        ({"longitude": "5.39"}, "latitude", "Give both latitude and longitude"),
        ({"latitude": "43.40", "longitude": "5.39"}, "latitude", "outside Belle de Mai"),
    ],
)
def test_bad_venue_points_are_refused_with_a_clear_error_and_nothing_saved(
    client,  # type: ignore[no-untyped-def]
    point: dict[str, str],
    field: str,
    message: str,
) -> None:
    space = _space_in_a_territory()
    _organiser(client, space)
    response = client.post(reverse("events:event_create", args=[space.slug]), _form(**point))
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors.get(field, [])), form.errors
    assert not Event.objects.filter(space=space).exists()


def test_a_point_inside_is_saved_rounded_and_drawn_on_the_event_page(client) -> None:  # type: ignore[no-untyped-def]
    space = _space_in_a_territory()
    _organiser(client, space)
    # The picker writes 5 decimals; a pasted coordinate with more (and a decimal comma) is kept
    # to 5, as the model stores it.
    point = {"latitude": "43,3105049", "longitude": "5.390512"}
    response = client.post(reverse("events:event_create", args=[space.slug]), _form(**point))
    assert response.status_code == 302, response.context["form"].errors
    event = Event.objects.get(space=space)
    assert (event.latitude, event.longitude) == (Decimal("43.31050"), Decimal("5.39051"))
    page = client.get(event.get_absolute_url()).content.decode()
    assert 'id="event-venue-map"' in page and "leaflet.js" in page
    assert "41 rue Jobin" in page  # the address as text beside the map
    ld = json.loads(page.split('type="application/ld+json">', 1)[1].split("</script>", 1)[0])
    assert ld["location"]["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": 43.3105,
        "longitude": 5.39051,
    }
    # The edit form's picker outlines the space's territory and starts at the saved point.
    edit = client.get(reverse("events:event_edit", args=[event.slug])).content.decode()
    assert 'data-map-limit="map-limit-id_latitude"' in edit and 'value="43.31050"' in edit


def test_online_event_or_no_point_has_no_map(client) -> None:  # type: ignore[no-untyped-def]
    online, _t = event_with_session(format="online", latitude=43.31, longitude=5.39)
    assert "event-venue-map" not in client.get(online.get_absolute_url()).content.decode()
    nowhere, _t = event_with_session(format="in_person")
    page = client.get(nowhere.get_absolute_url()).content.decode()
    assert "event-venue-map" not in page and "leaflet.js" not in page


def test_the_service_refuses_half_a_point_and_a_point_outside() -> None:
    space = _space_in_a_territory()
    actor = UserFactory()
    fields = {k: v for k, v in _form().items() if k != "reminder_offsets"}
    with pytest.raises(ValidationError, match="Give both latitude and longitude"):
        services.event_create(space=space, actor=actor, latitude=Decimal("43.31"), **fields)
    with pytest.raises(ValidationError, match="outside Belle de Mai"):
        services.event_create(
            space=space,
            actor=actor,
            latitude=Decimal("44"),
            longitude=Decimal("5.39"),
            **fields,
        )
    assert not Event.objects.exists()


def _geojson(client, **params):  # type: ignore[no-untyped-def]
    response = client.get(reverse("events:event_map"), params)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)


def test_map_endpoint_gives_the_visible_in_person_events_with_a_point(client) -> None:  # type: ignore[no-untyped-def]
    venue = {"latitude": Decimal("43.31050"), "longitude": Decimal("5.39050")}
    shown, _t = event_with_session(title="Atelier Belle de Mai", format="hybrid", **venue)
    event_with_session(title="Online only", format="online", **venue)
    event_with_session(title="No point", format="in_person")
    event_with_session(title="Draft", format="in_person", status="draft", **venue)
    hidden = SpaceFactory(
        visibility=Space.Visibility.MEMBERS, join_policy=Space.JoinPolicy.INVITATION
    )
    secret, _t = event_with_session(title="Members only", format="in_person", space=hidden, **venue)
    data = _geojson(client)
    assert [f["properties"]["title"] for f in data["features"]] == ["Atelier Belle de Mai"]
    feature = data["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [5.3905, 43.3105]}
    assert feature["properties"]["url"] == shown.get_absolute_url()
    assert "hybrid" in feature["properties"]["status_label"]
    assert data["truncated"] is False and data["limit"] == maps.MAP_LIMIT
    # a member sees their space's event; the list's filters apply (format, bbox)
    member = UserFactory()
    SpaceMembershipFactory(space=hidden, user=member, role=Role.MEMBER)
    client.force_login(member)
    titles = {f["properties"]["title"] for f in _geojson(client)["features"]}
    assert titles == {"Atelier Belle de Mai", "Members only"}
    only = _geojson(client, format="in_person")["features"]
    assert [f["properties"]["url"] for f in only] == [secret.get_absolute_url()]
    assert _geojson(client, bbox="2,48,3,49")["features"] == []
    assert len(_geojson(client, bbox="5,43,6,44")["features"]) == 2
    assert _geojson(client, q="atelier")["features"][0]["properties"]["title"] == shown.title


@pytest.mark.parametrize(
    "bbox", ["1,2,3", "a,b,c,d", "5,43,4,44", "-200,0,10,10", "0,0,10,95", "nan,0,1,1", "1,1,1,1"]
)
def test_map_endpoint_refuses_a_malformed_bbox(client, bbox: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("events:event_map"), {"bbox": bbox})
    assert response.status_code == 400
    assert "west,south,east,north" in response.json()["error"]


def test_map_endpoint_is_capped(client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(maps, "MAP_LIMIT", 2)
    for n in range(3):
        event_with_session(
            title=f"Walk {n}",
            format="in_person",
            latitude=Decimal("43.3"),
            longitude=Decimal("5.4"),
        )
    data = _geojson(client, bbox="-180,-90,180,90")
    assert len(data["features"]) == 2 and data["truncated"] is True and data["limit"] == 2
    # the first in the list's order (the soonest upcoming)
    assert [f["properties"]["title"] for f in data["features"]] == ["Walk 0", "Walk 1"]


def test_event_list_has_the_map_with_the_list_query(client) -> None:  # type: ignore[no-untyped-def]
    body = client.get(reverse("events:event_list"), {"kind": "workshop"}).content.decode()
    assert 'data-map-points="/events/map.geojson?kind=workshop"' in body
    assert "leaflet.js" in body
    swapped = client.get(
        reverse("events:event_list"), {"kind": "webinar"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'data-map-points="/events/map.geojson?kind=webinar"' in swapped


def test_event_list_map_names_the_neighbourhoods_of_its_events_cities(client) -> None:  # type: ignore[no-untyped-def]
    """Without tiles the list's map draws, under its points, the parts of the cities of the
    events it shows (the event's place, else its space's), named; not those of a city whose
    only event the visitor may not see."""

    def city(code: str, west: float) -> list:  # type: ignore[type-arg]
        town = TerritoryFactory(code=code, name=f"City {code}", kind="city")
        return [
            TerritoryFactory(
                code=f"{code}-{n}", name=f"Part {code}-{n}", kind="district", parent=town,
                boundary={"type": "Polygon", "coordinates": [[
                    [west + n, 43], [west + n + 1, 43], [west + n + 1, 44], [west + n, 43]
                ]]},
            )
            for n in range(2)
        ]  # fmt: skip

    shown = city("EVA", 5.0)
    by_space = city("EVB", 7.0)
    hidden = city("EVC", 9.0)
    point = {"latitude": Decimal("43.31"), "longitude": Decimal("5.39")}
    event_with_session(format="in_person", territory=shown[0], **point)
    event_with_session(format="hybrid", space=SpaceFactory(territory=by_space[1]), **point)
    event_with_session(format="in_person", territory=hidden[0], status="draft", **point)
    body = client.get(reverse("events:event_list")).content.decode()
    start = body.index('id="event-places"')
    data = json.loads(body[body.index(">", start) + 1 : body.index("</script>", start)])
    names = {f["properties"]["name"] for f in data["features"]}
    assert names == {"Part EVA-0", "Part EVA-1", "Part EVB-0", "Part EVB-1"}
    assert 'data-map-features="event-places" data-map-area-names' in body
    # With no event on the map, no areas either.
    body = client.get(reverse("events:event_list"), {"q": "nothing-like-this"}).content.decode()
    assert 'id="event-places"' not in body
