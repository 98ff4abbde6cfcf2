"""Sessions on the first and last days a database can store (0001-01-01, 9999-12-31) do not
break the event list for anyone, and no form lets anyone give such a day."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from cocity.events.models import Event, Session, Track
from cocity.network.models import Role
from tests.factories import EventFactory, SpaceMembershipFactory, UserFactory, event_with_session

pytestmark = pytest.mark.django_db

FIRST = datetime(1, 1, 1, 12, 0, tzinfo=UTC)
LAST = datetime(9999, 12, 31, 10, 0, tzinfo=UTC)


def _stored_extremes() -> Event:
    """What a person could store before the range check: two sessions, 10,000 years apart."""
    event = EventFactory()
    track = Track.objects.create(event=event, name="Main")
    for start in (FIRST, LAST):
        Session.objects.create(
            track=track, start=start, end=start + timedelta(hours=1), time_zone="UTC"
        )
    Event.objects.filter(pk=event.pk).update(starts_at=FIRST, ends_at=LAST + timedelta(hours=1))
    return event


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?when=past",
        "?date_from=2030-01-01",
        "?date_to=2030-01-01",
        "?date_from=0001-01-01&date_to=9999-12-31",
        "?date_to=9999-12-31",
        "?date_from=0001-01-01",
    ],
)
def test_the_list_survives_extreme_stored_dates(client, query):
    _stored_extremes()
    event_with_session(title="An ordinary dialogue")
    anonymous = client.get("/events/" + query)
    assert anonymous.status_code == 200
    client.force_login(UserFactory())
    assert client.get("/events/" + query).status_code == 200


def test_an_out_of_range_filter_day_is_a_form_error(client):
    response = client.get("/events/?date_to=9999-12-31")
    assert "between the years 1900 and 2200" in response.content.decode()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31", "2201-01-01"])
def test_a_session_day_out_of_range_is_refused_and_nothing_is_written(client, day):
    event, track = event_with_session()
    session = track.sessions.get()
    before = (session.start, session.end)
    organiser = UserFactory()
    SpaceMembershipFactory(space=event.space, user=organiser, role=Role.EDITOR)
    client.force_login(organiser)
    url = reverse("events:session_edit", args=[event.slug, session.pk])
    response = client.post(
        url, {"day": day, "start": "10:00", "end": "11:00", "time_zone": "Europe/Paris"}
    )
    assert response.status_code == 400
    assert "between the years 1900 and 2200" in response.content.decode()
    session.refresh_from_db()
    assert (session.start, session.end) == before


def test_the_service_refuses_an_out_of_range_day_too():
    from datetime import date, time

    from django.core.exceptions import ValidationError

    from cocity.events import services

    _event, track = event_with_session()
    with pytest.raises(ValidationError, match="between the years 1900 and 2200"):
        services.session_create(
            track=track, day=date(9999, 12, 31), start=time(10), end=time(11), time_zone="UTC"
        )
    assert track.sessions.count() == 1
