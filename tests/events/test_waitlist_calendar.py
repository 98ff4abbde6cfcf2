"""A person on the wait list is not attending: their calendar invitation (the "changed" mail)
and their personal feed show the event as tentative, never accepted, and without the link."""

from datetime import date, time

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from cocity.events import services
from tests.factories import UserFactory, event_with_session

pytestmark = pytest.mark.django_db


def _vevent(ics: bytes | str):  # type: ignore[no-untyped-def]
    return Calendar.from_ical(ics).walk("VEVENT")[0]


def _seated_and_waiting():  # type: ignore[no-untyped-def]
    event, track = event_with_session(capacity=1)
    seated, waiting = UserFactory(), UserFactory()
    services.registration_create(track=track, user=seated)
    services.registration_create(track=track, user=waiting)
    return event, track, seated, waiting


def test_the_changed_mail_invites_the_waiting_person_as_tentative():
    event, track, seated, waiting = _seated_and_waiting()
    mail.outbox.clear()
    services.session_update(
        session=track.sessions.get(),
        day=date(2031, 3, 13),
        start=time(16),
        end=time(18),
        time_zone="Europe/Paris",
    )
    invites = {m.to[0]: _vevent(m.attachments[0][1]) for m in mail.outbox}
    assert set(invites) == {seated.email, waiting.email}
    mine = invites[waiting.email]
    assert mine["ATTENDEE"].params["PARTSTAT"] == "TENTATIVE"
    assert mine["STATUS"] == "TENTATIVE"
    assert event.online_url not in mine.to_ical().decode()
    theirs = invites[seated.email]
    assert theirs["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED"
    assert theirs["STATUS"] == "CONFIRMED"


def test_the_personal_feed_shows_the_waiting_person_tentative(client):
    _event, _track, seated, waiting = _seated_and_waiting()
    for person, status in ((waiting, "TENTATIVE"), (seated, "CONFIRMED")):
        token = services.calendar_token_for(user=person).token
        feed = client.get(reverse("events:my_calendar", args=[token])).content
        assert _vevent(feed)["STATUS"] == status
