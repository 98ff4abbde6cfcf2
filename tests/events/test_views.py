import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cocity.events import services
from cocity.events.models import Registration
from cocity.network.models import Role, Space
from tests.factories import (
    EventFactory,
    SpaceFactory,
    SpaceMembershipFactory,
    UserFactory,
    event_with_session,
)

pytestmark = pytest.mark.django_db
SECRET = "secret-room"


def test_meeting_link_never_public(client):
    event, _track = event_with_session()
    services.speaker_add(event=event, name="Marie Garmadi")
    urls = [
        event.get_absolute_url(),
        reverse("events:event_list"),
        reverse("events:event_ics", args=[event.slug]),
        reverse("events:space_ics", args=[event.space.slug]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET not in response.content.decode(), url
    # A signed-in person who is not registered, and one on the wait list: no link either.
    stranger = UserFactory()
    client.force_login(stranger)
    assert SECRET not in client.get(event.get_absolute_url()).content.decode()
    # JSON-LD is there, as data, without the link.
    page = client.get(event.get_absolute_url()).content.decode()
    assert 'type="application/ld+json"' in page
    data = json.loads(page.split('type="application/ld+json">', 1)[1].split("</script>", 1)[0])
    assert data["@type"] == "Event" and data["name"] == event.title
    assert SECRET not in json.dumps(data)


def test_register_then_see_link_then_cancel(client):
    event, track = event_with_session(capacity=1)
    person, waiting = UserFactory(), UserFactory()
    client.force_login(person)
    response = client.post(reverse("events:event_register", args=[event.slug, track.pk]))
    assert response.status_code == 302
    assert SECRET in client.get(event.get_absolute_url()).content.decode()
    # The personal calendar has the link; the public one does not.
    token = services.calendar_token_for(user=person).token
    feed = client.get(reverse("events:my_calendar", args=[token])).content.decode()
    assert SECRET in feed and "BEGIN:VEVENT" in feed
    services.registration_create(track=track, user=waiting)
    registration = Registration.objects.get(user=person)
    cancel_url = reverse("events:registration_cancel", args=[services.cancel_token(registration)])
    assert client.get(cancel_url).status_code == 200
    client.post(cancel_url)
    assert Registration.objects.get(user=person).status == "cancelled"
    assert Registration.objects.get(user=waiting).status == "confirmed"
    assert SECRET not in client.get(event.get_absolute_url()).content.decode()
    # Old token after reset: 404.
    services.calendar_token_reset(user=person)
    assert client.get(reverse("events:my_calendar", args=[token])).status_code == 404


def test_register_with_missing_answer_shows_error_and_writes_nothing(client):
    event, track = event_with_session()
    services.question_add(event=event, label="Organisation", required=True)
    client.force_login(UserFactory())
    response = client.post(reverse("events:event_register", args=[event.slug, track.pk]))
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not Registration.objects.exists()


def test_members_only_and_draft_events_are_404():
    from django.test import Client

    client = Client()
    hidden = SpaceFactory(
        visibility=Space.Visibility.MEMBERS, join_policy=Space.JoinPolicy.INVITATION
    )
    secret, _t = event_with_session(space=hidden)
    draft, _t2 = event_with_session(status="draft")
    assert client.get(secret.get_absolute_url()).status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("events:event_ics", args=[secret.slug])).status_code == 404
    listing = client.get(reverse("events:event_list")).content.decode()
    assert secret.title not in listing and draft.title not in listing
    editor = UserFactory()
    SpaceMembershipFactory(space=draft.space, user=editor, role=Role.EDITOR)
    client.force_login(editor)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_event_list_filters_and_past(client):
    _soon, _t = event_with_session(title="Housing webinar", kind="webinar")
    _past, _t2 = event_with_session(
        title="Old academy", kind="academy", start=timezone.now() - timedelta(days=400)
    )
    body = client.get(reverse("events:event_list"), {"kind": "webinar"}).content.decode()
    assert "Housing webinar" in body and "Old academy" not in body
    body = client.get(reverse("events:event_list"), {"when": "past"}).content.decode()
    assert "Old academy" in body and "Housing webinar" not in body
    body = client.get(reverse("events:event_list"), {"q": "housing"}).content.decode()
    assert "Housing webinar" in body
    response = client.get(reverse("events:event_list"), HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_event_list_query_count_does_not_grow(assert_same_query_count):
    space = SpaceFactory()

    def make(n):  # type: ignore[no-untyped-def]
        for _ in range(n):
            event_with_session(space=space)

    assert_same_query_count(reverse("events:event_list"), make)


def test_event_page_query_count_does_not_grow(client, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.COCITY_PAGE_CACHE = False  # it measures the rendering, not a cache hit
    event, track = event_with_session()
    client.get(event.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(event.get_absolute_url())
    for i in range(20):
        services.speaker_add(event=event, name=f"Speaker {i}")
        services.registration_create(track=track, user=UserFactory())
    client.get(event.get_absolute_url())  # warm again: the writes made cached lists stale
    with CaptureQueriesContext(connection) as many:
        client.get(event.get_absolute_url())
    assert len(few) == len(many)


def test_organiser_exports_csv_and_marks_attendance(client):
    event, track = event_with_session()
    organiser = UserFactory()
    SpaceMembershipFactory(space=event.space, user=organiser, role=Role.EDITOR)
    person = UserFactory(display_name="=cmd|' /C calc'!A0")
    registration = services.registration_create(track=track, user=person)
    client.force_login(UserFactory())
    assert client.get(reverse("events:registrants", args=[event.slug])).status_code == 403
    client.force_login(organiser)
    csv_text = client.get(reverse("events:registrants_csv", args=[event.slug])).content.decode()
    assert person.email in csv_text and "'=cmd" in csv_text
    client.post(
        reverse("events:registrants", args=[event.slug]),
        {"what": "attendance", f"attended-{registration.pk}": "yes"},
    )
    registration.refresh_from_db()
    assert registration.attended is True


def test_organiser_creates_event_and_session_with_bad_zone_refused(client):
    space = SpaceFactory()
    organiser = UserFactory()
    SpaceMembershipFactory(space=space, user=organiser, role=Role.ADMIN)
    client.force_login(organiser)
    response = client.post(
        reverse("events:event_create", args=[space.slug]),
        {
            "title": "New dialogue",
            "slug": "new-dialogue",
            "kind": "webinar",
            "format": "online",
            "status": "published",
            "time_zone": "Europe/Paris",
            "registration_mode": "internal",
            "reminder_offsets": "1440, 60",
            "interpretation": "fr>en",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = space.events.get()
    manage = reverse("events:event_manage", args=[event.slug])
    client.post(manage, {"what": "track", "track-name": "Main", "track-capacity": "10"})
    track = event.tracks.get()
    bad = client.post(
        manage,
        {
            "what": "session",
            "session-track": track.pk,
            "session-day": "2027-01-14",
            "session-start": "15:00",
            "session-end": "17:00",
            "session-time_zone": "Europe/Atlantis",
        },
    )
    assert bad.status_code == 400 and "not a time zone" in bad.content.decode()
    backwards = client.post(
        manage,
        {
            "what": "session",
            "session-track": track.pk,
            "session-day": "2027-01-14",
            "session-start": "17:00",
            "session-end": "15:00",
            "session-time_zone": "Europe/Paris",
        },
    )
    assert backwards.status_code == 400 and "end after it starts" in backwards.content.decode()
    assert not track.sessions.exists()
    ok = client.post(
        manage,
        {
            "what": "session",
            "session-track": track.pk,
            "session-day": "2027-01-14",
            "session-start": "15:00",
            "session-end": "17:00",
            "session-time_zone": "Europe/Paris",
        },
    )
    assert ok.status_code == 302
    event.refresh_from_db()
    assert event.starts_at is not None


def test_series_feed_and_calendar(client):
    from cocity.events.models import Series

    event, _t = event_with_session()
    series = Series.objects.create(space=event.space, name="Enabler", slug="enabler")
    event.series = series
    event.save()
    atom = client.get(reverse("events:series_feed", args=["enabler"]))
    assert atom.status_code == 200 and event.title in atom.content.decode()
    ics = client.get(reverse("events:series_ics", args=["enabler"])).content.decode()
    assert "BEGIN:VCALENDAR" in ics and SECRET not in ics and SECRET not in atom.content.decode()
    assert client.get(series.get_absolute_url()).status_code == 200


def test_unused_factory_is_fine():
    assert EventFactory()


def test_cached_pages_for_visitors_change_right_after_a_registration_or_an_edit(client, settings):
    settings.COCITY_PAGE_CACHE = True
    event, track = event_with_session(capacity=3, title="Cached Webinar")
    list_url, page_url = reverse("events:event_list"), event.get_absolute_url()
    assert "Log in to register" in client.get(page_url).content.decode()
    assert "Cached Webinar" in client.get(list_url).content.decode()
    services.event_update(event=event, actor=None, title="Renamed Webinar")
    assert "Renamed Webinar" in client.get(list_url).content.decode()
    assert "Renamed Webinar" in client.get(page_url).content.decode()
    # A signed-in person is never served the visitors' copy.
    person = UserFactory()
    services.registration_create(track=track, user=person)
    client.force_login(person)
    page = client.get(page_url).content.decode()
    assert SECRET in page and "Log in to register" not in page
    services.event_status_change(event=event, status="cancelled", actor=None)
    client.logout()
    assert "Log in to register" not in client.get(page_url).content.decode()
