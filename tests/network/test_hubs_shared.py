"""The hub sections rendered once for everyone who sees what a visitor sees
(``network.views.hubs``): a signed-in person with no role that widens what they see gets the
visitor's sections from a shared fragment, fresh after a write; everyone else gets their own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cocity.network.models import Role, Space
from cocity.network.selectors.hubs import sees_what_visitors_see
from tests.factories import (
    EventFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    SpaceFactory,
    SpaceMembershipFactory,
    UserFactory,
    event_with_session,
)

pytestmark = pytest.mark.django_db


def _hub_html(response) -> str:  # type: ignore[no-untyped-def]
    """The sections and the activity of a hub page, without the page around them."""
    return str(response.context["hub_html"])


def test_who_sees_what_visitors_see():
    lab = SpaceFactory()
    closed = SpaceFactory(visibility=Space.Visibility.MEMBERS)
    organisation = OrganisationFactory()
    resident = SpaceMembershipFactory(space=lab, role=Role.MEMBER).user
    insider = SpaceMembershipFactory(space=closed, role=Role.MEMBER).user
    editor = SpaceMembershipFactory(space=lab, role=Role.EDITOR).user
    org_editor = OrganisationMembershipFactory(organisation=organisation, role=Role.EDITOR).user
    org_member = OrganisationMembershipFactory(organisation=organisation, role=Role.MEMBER).user

    assert sees_what_visitors_see(UserFactory())
    assert sees_what_visitors_see(resident)
    assert sees_what_visitors_see(org_member)
    assert not sees_what_visitors_see(insider)  # a members-only space's work
    assert not sees_what_visitors_see(editor)  # the space's draft events
    assert not sees_what_visitors_see(org_editor)  # the organisation's draft pledges
    assert not sees_what_visitors_see(UserFactory(is_staff=True))


def test_a_resident_gets_the_visitors_sections_from_one_shared_rendering(client, settings):
    settings.COCITY_PAGE_CACHE = True
    lab = SpaceFactory(name="Fairville lab")
    event_with_session(space=lab, title="Open dialogue")
    url = reverse("network:space_detail", args=[lab.slug])
    as_visitor = _hub_html(client.get(url))
    resident = SpaceMembershipFactory(space=lab, role=Role.MEMBER).user
    resident.time_zone = "Europe/Brussels"  # the site's zone, the visitor's here
    resident.save(update_fields=["time_zone"])
    client.force_login(resident)

    first = client.get(url)
    with CaptureQueriesContext(connection) as again:
        second = client.get(url)

    assert _hub_html(first) == as_visitor
    assert _hub_html(second) == as_visitor
    assert "Open dialogue" in as_visitor
    # The sections come from the fragment: no query reads an event the second time.
    assert not [q for q in again.captured_queries if "events_event" in q["sql"]]
    # The personal part is still theirs.
    assert "Follow this space" in second.content.decode()


def test_the_shared_sections_are_fresh_after_a_write(client, settings):
    settings.COCITY_PAGE_CACHE = True
    lab = SpaceFactory()
    url = reverse("network:space_detail", args=[lab.slug])
    client.force_login(UserFactory())
    assert "Brand new dialogue" not in client.get(url).content.decode()

    event_with_session(space=lab, title="Brand new dialogue")

    assert "Brand new dialogue" in client.get(url).content.decode()


def test_a_member_of_a_closed_sub_space_gets_their_own_sections(client, settings):
    settings.COCITY_PAGE_CACHE = True
    lab = SpaceFactory()
    closed = SpaceFactory(parent=lab, visibility=Space.Visibility.MEMBERS)
    event_with_session(space=closed, title="Closed meeting")
    url = reverse("network:space_detail", args=[lab.slug])
    client.force_login(UserFactory())
    assert "Closed meeting" not in client.get(url).content.decode()  # the shared fragment

    client.force_login(SpaceMembershipFactory(space=closed, role=Role.MEMBER).user)

    assert "Closed meeting" in client.get(url).content.decode()


def test_an_editor_is_never_served_the_shared_sections(client, settings):
    settings.COCITY_PAGE_CACHE = True
    lab = SpaceFactory()
    EventFactory(space=lab, title="Draft event", status="draft")
    url = reverse("network:space_detail", args=[lab.slug])
    client.force_login(UserFactory())
    client.get(url)  # fills the shared fragment
    editor = SpaceMembershipFactory(space=lab, role=Role.EDITOR).user
    client.force_login(editor)

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200

    assert [q for q in queries.captured_queries if "events_event" in q["sql"]]
