# ruff: noqa: RUF001  (en dashes are what the page shows)
"""The personal start page (/start/, cocity.core.start): each app's section for the signed-in
person, empty states that say what to do next, a constant number of queries whatever the
number of items, never cached, and the place people land after logging in."""

import datetime
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cocity.commons.models import Pact
from cocity.core import start as start_registry
from cocity.events.models import Registration, Session, Track
from cocity.network.models import Role, Space
from cocity.participation import services as participation
from cocity.participation.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/start/"


@pytest.fixture
def person():
    return factories.UserFactory(time_zone="America/Sao_Paulo")


@pytest.fixture
def signed_in(client, person):
    client.force_login(person)
    return client


def text_of(response):
    """The page's words, without its tags (times are in <time> elements)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


def register(person, *, days=5, hours=2, zone="Europe/Paris", status="confirmed", **fields):
    start = (timezone.now() + timedelta(days=days)).replace(
        hour=13, minute=0, second=0, microsecond=0
    )
    event, track = factories.event_with_session(start=start, hours=hours, time_zone=zone, **fields)
    Registration.objects.create(event=event, track=track, user=person, status=status)
    return event


def test_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=/start/" in response["Location"]


def test_a_newcomer_gets_first_steps_and_empty_states(client):
    client.force_login(factories.UserFactory())
    page = client.get(URL).content.decode()
    assert "Your first steps" in page
    assert reverse("network:space_list") in page and reverse("events:event_list") in page
    assert "You are not registered for any upcoming session." in page
    assert "You follow no process yet." in page
    assert "Nothing new." in page
    # No pact, no pledge: those sections are left out rather than empty.
    assert "Your pacts" not in page and "Progress reports due" not in page


def test_next_sessions_in_the_person_s_zone(signed_in, person):
    event = register(person, zone="Europe/Paris", title="Cities of Equality webinar")
    register(person, days=-3, title="Already over")
    register(person, days=8, status="waitlisted", title="Waiting for a seat")
    other = factories.UserFactory()
    register(other, title="Someone else's")
    response = signed_in.get(URL)
    page = response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert "Your first steps" not in page
    assert "Cities of Equality webinar" in page and event.get_absolute_url() in page
    # 13:00 UTC: 10:00 in São Paulo (the person's zone) first, then the event's 14:00 in Paris
    # (or 15:00 in summer).
    assert "10:00–12:00 (São Paulo time)" in text_of(response)
    assert "Paris time" in page
    assert "Waiting for a seat" in page and "on the wait list" in page
    assert "Already over" not in page and "Someone else" not in page


def test_a_session_of_a_space_the_person_can_no_longer_see_is_left_out(signed_in, person):
    register(
        person,
        title="Members only now",
        space=factories.SpaceFactory(visibility=Space.Visibility.MEMBERS),
    )
    assert "Members only now" not in signed_in.get(URL).content.decode()


def test_processes_followed_directly_or_through_their_space(signed_in, person):
    collecting, _organiser = factories.process_in_phase("collect", title="Brainstorm on housing")
    voting, _organiser = factories.process_in_phase("prioritise", title="Which actions first")
    _unfollowed, _organiser = factories.process_in_phase("collect", title="Not followed")
    participation.follow_set(target=collecting, user=person, follow=True)
    participation.follow_set(target=voting.space, user=person, follow=True)
    page = signed_in.get(URL).content.decode()
    assert "Brainstorm on housing" in page and "Which actions first" in page
    assert "Not followed" not in page
    assert "Post ideas until" in page
    assert "Support ideas until" in page
    assert "You follow no process yet." not in page


def test_pact_deadlines(signed_in, person):
    today = timezone.localdate()
    factories.PactFactory(
        title="Garden pact",
        state=Pact.State.UNDER_REVIEW,
        step_due_on=today - timedelta(days=2),
        created_by=person,
    )
    running = factories.PactFactory(
        title="Square pact", state=Pact.State.ACTIVE, ends_on=today + timedelta(days=40)
    )
    factories.OrganisationMembershipFactory(
        organisation=running.commons.organisation, user=person, role=Role.EDITOR
    )
    factories.PactFactory(title="Not mine", state=Pact.State.UNDER_REVIEW, step_due_on=today)
    page = signed_in.get(URL).content.decode()
    assert "Garden pact" in page and "Next step overdue since" in page
    assert "Square pact" in page and "Runs until" in page
    assert "Not mine" not in page
    assert page.index("Garden pact") < page.index("Square pact")


def test_pledge_reports_due(signed_in, person):
    organisation = factories.OrganisationFactory()
    factories.OrganisationMembershipFactory(
        organisation=organisation, user=person, role=Role.EDITOR
    )
    pledge = factories.pledge_with_measures(
        organisation=organisation, signed_on=datetime.date(2024, 1, 15)
    )
    assert pledge.report_due_on is not None
    factories.pledge_with_measures()  # another organisation's
    page = signed_in.get(URL).content.decode()
    assert "Progress reports due" in page
    assert pledge.title in page
    assert reverse("pledges:report_file", args=[pledge.pk]) in page
    assert "Report overdue since" in page  # due months after January 2024


def test_unread_notifications(signed_in, person):
    for number in range(7):
        Notification.objects.create(recipient=person, kind="news", message=f"News {number}")
    Notification.objects.create(
        recipient=person, kind="news", message="Already read", read_at=timezone.now()
    )
    page = signed_in.get(URL).content.decode()
    assert "7 unread notifications." in page
    assert "News 6" in page and "News 2" in page
    assert "News 1" not in page  # the latest five
    assert "Already read" not in page


def test_french(signed_in, person):
    register(person, title="Webinaire")
    signed_in.cookies["cocity_language"] = "fr"
    page = text_of(signed_in.get(URL, HTTP_ACCEPT_LANGUAGE="fr"))
    assert "Vos prochaines séances" in page
    assert "(heure de São Paulo)" in page


def test_the_same_number_of_queries_for_few_and_many_items(assert_same_query_count, client, person):
    organisation = factories.OrganisationFactory()
    factories.OrganisationMembershipFactory(
        organisation=organisation, user=person, role=Role.EDITOR
    )
    campaign = factories.CampaignFactory()
    commons = factories.CommonsFactory(organisation=organisation)
    today = timezone.localdate()

    def make_rows(n):
        for number in range(n):
            register(person, days=2 + number % 20)
            process, _organiser = factories.process_in_phase("collect")
            participation.follow_set(target=process, user=person, follow=True)
            factories.PactFactory(
                commons=commons, state=Pact.State.SUBMITTED, step_due_on=today + timedelta(days=n)
            )
            factories.pledge_with_measures(campaign=campaign, organisation=organisation)
            Notification.objects.create(recipient=person, kind="news", message=f"News {number}")

    client.force_login(person)
    queries = assert_same_query_count(URL, make_rows, few=1, many=8, client_=client)
    assert queries <= 12, queries


def test_an_app_s_section_comes_through_the_registry(signed_in):
    start_registry.register(
        start_registry.StartSection(
            key="test-extra",
            title="A section from elsewhere",
            order=99,
            template="includes/components/empty_state.html",
            context=lambda user: {"message": f"Hello {user.pk}"},
        )
    )
    start_registry.register(
        start_registry.StartSection(
            key="test-silent",
            title="A section with nothing to say",
            order=98,
            template="includes/components/empty_state.html",
            context=lambda user: None,
        )
    )
    try:
        page = signed_in.get(URL).content.decode()
    finally:
        start_registry.unregister("test-extra")
        start_registry.unregister("test-silent")
    assert "A section from elsewhere" in page
    assert "A section with nothing to say" not in page


def test_the_start_page_is_in_the_person_s_menu(signed_in):
    page = signed_in.get(reverse("events:event_list")).content.decode()
    assert 'href="/start/"' in page


def test_logging_in_leads_to_the_start_page(client):
    factories.UserFactory(email="ana@example.org")
    response = client.post(
        reverse("account_login"),
        {"login": "ana@example.org", "password": "correct horse battery"},
    )
    assert response.status_code == 302
    assert response["Location"] == URL


def test_logging_in_keeps_next(client):
    factories.UserFactory(email="ana@example.org")
    response = client.post(
        reverse("account_login") + "?next=/events/",
        {"login": "ana@example.org", "password": "correct horse battery", "next": "/events/"},
    )
    assert response["Location"] == "/events/"


def test_sessions_are_in_the_session_s_own_zone(signed_in, person):
    event = register(person, zone="Europe/Paris", title="Two hemispheres")
    Session.objects.filter(track__event=event).update(time_zone="Asia/Seoul")
    Track.objects.filter(event=event)  # (one track)
    page = signed_in.get(URL).content.decode()
    assert "Seoul time" in page
