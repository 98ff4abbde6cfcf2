"""Organisers edit and delete tracks and sessions: a track people registered for is never
deleted, a new session time is a new revision that registrants hear about."""

from datetime import date, time

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from icalendar import Calendar

from cocity.events import services
from cocity.events.models import Event, Registration, Session, Track
from cocity.network.models import Role
from tests.factories import SpaceMembershipFactory, UserFactory, event_with_session

pytestmark = pytest.mark.django_db


def _organiser(event):  # type: ignore[no-untyped-def]
    user = UserFactory()
    SpaceMembershipFactory(space=event.space, user=user, role=Role.EDITOR)
    return user


def test_track_with_registrations_is_not_deleted_and_nothing_changes(client):
    event, track = event_with_session(capacity=5)
    services.registration_create(track=track, user=UserFactory())
    client.force_login(_organiser(event))
    response = client.post(reverse("events:track_delete", args=[event.slug, track.pk]))
    assert response.status_code == 302
    assert Track.objects.filter(pk=track.pk).exists()
    assert Session.objects.filter(track=track).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "cannot be deleted: 1 person is registered" in page
    with pytest.raises(ValidationError, match="2 people are registered"):
        services.registration_create(track=track, user=UserFactory())
        services.track_delete(track=track)


def test_empty_track_is_deleted_and_the_event_dates_follow(client):
    event, track = event_with_session()
    other = Track.objects.create(event=event, name="Second")
    client.force_login(_organiser(event))
    response = client.post(reverse("events:track_delete", args=[event.slug, track.pk]))
    assert response.status_code == 302
    assert not Track.objects.filter(pk=track.pk).exists()
    assert Track.objects.filter(pk=other.pk).exists()
    event.refresh_from_db()
    assert event.starts_at is None and event.ends_at is None


def test_track_edit_more_places_promote_the_wait_list_in_order(client):
    event, track = event_with_session(capacity=1)
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    for person in (first, second, third):
        services.registration_create(track=track, user=person)
    client.force_login(_organiser(event))
    url = reverse("events:track_edit", args=[event.slug, track.pk])
    assert client.get(url).status_code == 200
    fewer = client.post(url, {"name": "Main", "capacity": "0"})
    assert fewer.status_code == 400
    response = client.post(url, {"name": "Thursdays", "capacity": "2"})
    assert response.status_code == 302
    track.refresh_from_db()
    assert (track.name, track.capacity, track.confirmed_count) == ("Thursdays", 2, 2)
    statuses = dict(Registration.objects.filter(track=track).values_list("user_id", "status"))
    assert statuses == {first.pk: "confirmed", second.pk: "confirmed", third.pk: "waitlisted"}


def test_fewer_places_than_confirmed_is_refused_with_a_plural_message():
    _event, track = event_with_session(capacity=3)
    services.registration_create(track=track, user=UserFactory())
    with pytest.raises(ValidationError, match="1 person is already confirmed"):
        services.track_update(track=track, name="Main", capacity=0)
    services.registration_create(track=track, user=UserFactory())
    with pytest.raises(ValidationError, match="2 people are already confirmed"):
        services.track_update(track=track, name="Main", capacity=1)
    track.refresh_from_db()
    assert (track.capacity, track.confirmed_count) == (3, 2)


def test_new_session_time_bumps_sequence_and_tells_registrants(client):
    event, track = event_with_session()
    person = UserFactory()
    services.registration_create(track=track, user=person)
    session = track.sessions.get()
    sequence = Event.objects.get(pk=event.pk).sequence
    mail.outbox.clear()
    client.force_login(_organiser(event))
    url = reverse("events:session_edit", args=[event.slug, session.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"day": "2031-03-13", "start": "16:00", "end": "18:00", "time_zone": "Europe/Paris"},
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    event.refresh_from_db()
    assert event.sequence == sequence + 1
    assert event.starts_at.isoformat() == "2031-03-13T15:00:00+00:00"
    assert [m.to for m in mail.outbox] == [[person.email]]
    vevent = Calendar.from_ical(mail.outbox[0].attachments[0][1]).walk("VEVENT")[0]
    assert int(vevent["SEQUENCE"]) == event.sequence
    assert vevent.decoded("DTSTART").isoformat() == "2031-03-13T15:00:00+00:00"


def test_session_edit_bad_input_writes_nothing(client):
    event, track = event_with_session()
    session = track.sessions.get()
    before = (session.start, session.end, Event.objects.get(pk=event.pk).sequence)
    client.force_login(_organiser(event))
    url = reverse("events:session_edit", args=[event.slug, session.pk])
    for data, message in [
        ({"day": "2031-03-13", "start": "18:00", "end": "16:00", "time_zone": "Europe/Paris"},
         "end after it starts"),
        ({"day": "2031-03-13", "start": "16:00", "end": "18:00", "time_zone": "Mars/Olympus"},
         "not a time zone"),
        ({"day": "2031-03-30", "start": "02:30", "end": "03:30", "time_zone": "Europe/Paris"},
         "does not exist"),
    ]:  # fmt: skip
        response = client.post(url, data)
        assert response.status_code == 400 and message in response.content.decode()
    session.refresh_from_db()
    assert (session.start, session.end, Event.objects.get(pk=event.pk).sequence) == before


def test_last_session_of_a_track_with_registrations_stays():
    event, track = event_with_session()
    session = track.sessions.get()
    services.registration_create(track=track, user=UserFactory())
    with pytest.raises(ValidationError, match="only session"):
        services.session_delete(session=session)
    extra = services.session_create(
        track=track, day=date(2031, 1, 9), start=time(15), end=time(17), time_zone="Europe/Paris"
    )
    services.session_delete(session=session)
    assert list(track.sessions.all()) == [extra]
    event.refresh_from_db()
    assert event.starts_at == extra.start


def test_only_organisers_edit_tracks_and_sessions(client):
    event, track = event_with_session()
    session = track.sessions.get()
    urls = [
        reverse("events:track_edit", args=[event.slug, track.pk]),
        reverse("events:session_edit", args=[event.slug, session.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to log in
    client.force_login(UserFactory())
    for url in urls:
        assert client.get(url).status_code == 403
    assert (
        client.post(reverse("events:track_delete", args=[event.slug, track.pk])).status_code == 403
    )
    assert (
        client.post(reverse("events:session_delete", args=[event.slug, session.pk])).status_code
        == 403
    )
    assert Session.objects.filter(pk=session.pk).exists()
    # Another event's track through this event's address: 404.
    _other, other_track = event_with_session()
    client.force_login(_organiser(event))
    bad = reverse("events:track_edit", args=[event.slug, other_track.pk])
    assert client.get(bad).status_code == 404
