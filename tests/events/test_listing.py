"""The mechanisms that keep the list and the personal feed cheap: a capped count, cached filter
choices forgotten on write, a feed cached under a fingerprint of what it shows, and the
language filter sorted in the reader's language."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from cocity.core import pagination
from cocity.events import selectors, services
from cocity.events.forms import language_choices
from cocity.events.models import Event
from cocity.network.models import Space
from tests.factories import SpaceFactory, UserFactory, event_with_session

pytestmark = pytest.mark.django_db


def test_capped_count_says_more_than_and_deep_pages_still_exist(monkeypatch, settings):
    event, _track = event_with_session()
    for _ in range(2):
        event_with_session(space=event.space)
    events = Event.objects.order_by("pk")
    page = selectors.event_page(events, None)
    # cap 200 rows by default: 3 rows are counted exactly
    assert (page.paginator.count, page.paginator.capped) == (3, False)
    monkeypatch.setattr(selectors, "COUNT_CAP", 1)
    monkeypatch.setattr(pagination, "PAGES_AHEAD", 1)
    settings.COCITY_PAGE_SIZE = 1
    first = selectors.event_page(events, "1")
    assert first.paginator.limit == 2  # the page asked for and one after it
    assert (first.paginator.count, first.paginator.capped, first.has_next()) == (2, True, True)
    deep = selectors.event_page(events, "3")  # past the cap, the page still exists
    assert deep.number == 3 and list(deep) == [events.last()]
    assert (deep.paginator.count, deep.paginator.capped) == (3, False)


def test_event_list_says_more_than_when_capped(client, monkeypatch, settings):
    space = SpaceFactory()
    for _ in range(3):
        event_with_session(space=space)
    monkeypatch.setattr(selectors, "COUNT_CAP", 1)
    monkeypatch.setattr(pagination, "PAGES_AHEAD", 1)
    settings.COCITY_PAGE_SIZE = 1
    page = client.get(reverse("events:event_list")).content.decode()
    assert "More than 2 upcoming events" in page
    assert "Page 1 of many" in page


def test_filter_choices_follow_writes_and_visibility(client, django_assert_num_queries):
    event, _track = event_with_session()
    hidden = SpaceFactory(visibility=Space.Visibility.MEMBERS)
    event_with_session(space=hidden)
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    choices = selectors.filter_choices(user=anonymous)
    assert [slug for slug, _name in choices.spaces] == [event.space.slug]
    with django_assert_num_queries(0):  # cached; a visitor needs no query
        selectors.filter_choices(user=anonymous)
    # A new event in a new space, through the service: the choices are forgotten on commit.
    other = SpaceFactory(name="Zebra square")
    services.event_create(space=other, actor=None, title="New", slug="new-one", status="published")
    slugs = [slug for slug, _name in selectors.filter_choices(user=anonymous).spaces]
    assert other.slug in slugs and hidden.slug not in slugs
    # A space the person may not see is a space that does not exist (?space= is a hub's scope,
    # tests/network/test_hubs_see_all.py): not found, its name never shown.
    response = client.get(reverse("events:event_list"), {"space": hidden.slug})
    assert response.status_code == 404
    assert hidden.name not in response.content.decode()


def test_ongoing_long_event_stays_in_the_upcoming_list(client):
    start = timezone.now() - timedelta(days=60)
    event, track = event_with_session(hours=24 * 90, start=start)
    # Dates written by a service: the longest-event bound is recomputed.
    services.session_create(
        track=track,
        day=(timezone.now() + timedelta(days=40)).date(),
        start=time(10),
        end=time(12),
        time_zone="Europe/Paris",
    )
    page = client.get(reverse("events:event_list")).content.decode()
    assert event.title in page
    past = client.get(reverse("events:event_list"), {"when": "past"}).content.decode()
    assert event.title not in past


def test_personal_feed_is_cached_and_follows_changes(client, django_assert_max_num_queries):
    _event, track = event_with_session()
    person = UserFactory()
    services.registration_create(track=track, user=person)
    url = reverse("events:my_calendar", args=[services.calendar_token_for(user=person).token])
    first = client.get(url).content
    with django_assert_max_num_queries(2):  # the token and the fingerprint
        assert client.get(url).content == first
    # A new session time: the feed shows it at once.
    services.session_update(
        session=track.sessions.get(),
        day=date(2031, 5, 8),
        start=time(9),
        end=time(10),
        time_zone="UTC",
    )
    assert b"20310508T090000Z" in client.get(url).content
    # A new registration, then a cancellation: likewise.
    second, second_track = event_with_session(title="Second dialogue")
    registration = services.registration_create(track=second_track, user=person)
    assert b"Second dialogue" in client.get(url).content
    services.registration_cancel(registration=registration)
    assert b"Second dialogue" not in client.get(url).content
    assert second.pk


def test_language_filter_is_sorted_in_the_readers_language():
    with translation.override("fr"):
        names = [name for _code, name in language_choices()[1:]]
    assert names == sorted(names, key=selectors.sort_key)
    assert selectors.sort_key("Écossais") < selectors.sort_key("Espagnol")
