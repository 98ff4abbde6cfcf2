"""The series' Atom feed: one ``Feed`` instance serves every request, in every thread, so what one
reader may see is never kept on it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from cocity.events.models import Event, Series
from cocity.events.views import series_feed
from cocity.network.models import Role
from tests.factories import SpaceMembershipFactory, UserFactory, event_with_session

pytestmark = pytest.mark.django_db


def test_two_readers_at_once_each_get_their_own_events() -> None:
    published, _track = event_with_session(title="Open dialogue")
    space = published.space
    draft, _track = event_with_session(space=space, title="Draft dialogue", status="draft")
    series = Series.objects.create(space=space, name="Enabler", slug="enabler")
    Event.objects.filter(pk__in=[published.pk, draft.pk]).update(series=series)
    organiser = UserFactory()
    SpaceMembershipFactory(space=space, user=organiser, role=Role.ADMIN)
    visitor_request = RequestFactory().get("/events/series/enabler/feed.atom")
    visitor_request.user = AnonymousUser()
    organiser_request = RequestFactory().get("/events/series/enabler/feed.atom")
    organiser_request.user = organiser

    # Two requests interleaved (two threads): the organiser's arrives while the visitor's runs.
    for_visitor = series_feed.get_object(visitor_request, "enabler")
    for_organiser = series_feed.get_object(organiser_request, "enabler")

    assert [e.title for e in series_feed.items(for_visitor)] == ["Open dialogue"]
    assert {e.title for e in series_feed.items(for_organiser)} == {
        "Open dialogue",
        "Draft dialogue",
    }
