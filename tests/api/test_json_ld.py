"""schema.org JSON-LD on the pages of an event, an organisation and a place: the right types and
fields, times with their offset, no meeting link, and text that cannot close the script."""

from __future__ import annotations

import datetime
import json
import zoneinfo

import pytest

from tests.factories import (
    OrganisationFactory,
    SpaceFactory,
    TerritoryFactory,
    city_with_neighbourhoods,
    event_with_session,
)

pytestmark = pytest.mark.django_db

HOSTILE = '</script><script>alert("x")</script><!-- & "quotes"'


def json_ld(page: str) -> dict:  # type: ignore[type-arg]
    scripts = page.split('<script type="application/ld+json">')
    assert len(scripts) == 2, "one JSON-LD block"
    text = scripts[1].split("</script>", 1)[0]
    assert "<" not in text and ">" not in text
    return json.loads(text)


def test_event_page_describes_the_event_without_the_meeting_link(client) -> None:  # type: ignore[no-untyped-def]
    org = OrganisationFactory(name=HOSTILE)
    start = datetime.datetime(2031, 6, 3, 13, 0, tzinfo=datetime.UTC)
    event, _track = event_with_session(
        title=HOSTILE, format="hybrid", venue_name="Town hall", venue_address="1 Main St",
        latitude=43.3, longitude=5.4, start=start, time_zone="Europe/Paris",
    )  # fmt: skip
    event.organisations.add(org)

    page = client.get(event.get_absolute_url()).content.decode()

    assert "<script>alert" not in page
    data = json_ld(page)
    assert data["@type"] == "Event" and data["name"] == HOSTILE
    assert data["startDate"] == "2031-06-03T15:00:00+02:00"
    assert datetime.datetime.fromisoformat(data["endDate"]).utcoffset() == datetime.timedelta(
        hours=2
    )
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    kinds = {location["@type"] for location in data["location"]}
    assert kinds == {"Place", "VirtualLocation"}
    assert data["organizer"][0]["name"] == HOSTILE
    assert event.online_url not in page
    virtual = next(loc for loc in data["location"] if loc["@type"] == "VirtualLocation")
    assert virtual["url"].endswith(event.get_absolute_url())
    assert zoneinfo.ZoneInfo(event.time_zone)


def test_organisation_page_is_an_organization(client) -> None:  # type: ignore[no-untyped-def]
    _country, city, _district, _hoods = city_with_neighbourhoods()
    org = OrganisationFactory(
        name=HOSTILE, description="We care.", website="https://garden.example.org",
        home_territory=city,
    )  # fmt: skip

    page = client.get(org.get_absolute_url()).content.decode()

    data = json_ld(page)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Organization"
    assert data["name"] == HOSTILE
    assert data["url"].endswith(org.get_absolute_url())
    assert data["sameAs"] == "https://garden.example.org"
    assert data["address"]["addressLocality"] == "Marseille"


def test_place_page_is_a_place_with_geo_when_its_outline_is_known(client) -> None:  # type: ignore[no-untyped-def]
    country = TerritoryFactory(name="France", code="FR")
    city = TerritoryFactory(
        name=HOSTILE, code="FR-XYZ", kind="city", parent=country,
        boundary={"type": "Polygon", "coordinates": [[[5.0, 43.0], [6.0, 43.0], [6.0, 44.0],
                                                     [5.0, 44.0], [5.0, 43.0]]]},
    )  # fmt: skip
    SpaceFactory(territory=city)

    data = json_ld(client.get(city.get_absolute_url()).content.decode())

    assert data["@type"] == "City" and data["name"] == HOSTILE
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 43.5, "longitude": 5.5}
    assert data["containedInPlace"]["name"] == "France"
    assert data["identifier"] == "FR-XYZ"


def test_place_without_outline_has_no_geo(client) -> None:  # type: ignore[no-untyped-def]
    place = TerritoryFactory(name="Somewhere", code="SW")
    data = json_ld(client.get(place.get_absolute_url()).content.decode())
    assert data["@type"] == "Place" and "geo" not in data and "containedInPlace" not in data
