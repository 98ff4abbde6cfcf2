"""Links from measures to events, library items and actions of action plans: the address is
resolved to a public item (or a clear error and nothing written), both sides show the link,
editors add and remove links, and the pages' query counts do not grow with the links."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from cocity.network.models import Space
from cocity.pledges import services
from cocity.pledges.models import Measure, MeasureLink
from tests.factories import (
    ActionFactory,
    CampaignFactory,
    EventFactory,
    LibraryItemFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    ProcessFactory,
    SpaceFactory,
    TerritoryFactory,
    UserFactory,
    pledge_with_measures,
)

pytestmark = pytest.mark.django_db


def members_only_space():
    return SpaceFactory(visibility=Space.Visibility.MEMBERS)


@pytest.fixture
def world():
    lyon = TerritoryFactory(name="Lyon")
    org = OrganisationFactory(name="Métropole de Lyon", home_territory=lyon)
    editor = OrganisationMembershipFactory(organisation=org, role="editor").user
    pledge = pledge_with_measures(organisation=org, amounts=("1250000",))
    process = ProcessFactory()
    return {
        "pledge": pledge,
        "measure": pledge.measures.get(),
        "editor": editor,
        "event": EventFactory(title="Winter dialogue"),
        "item": LibraryItemFactory(title="Housing first in Lyon", status="published"),
        "action": ActionFactory(process=process, title="Peer exchange"),
        "process": process,
    }


def link(measure, target, kind):
    return services.link_add(measure=measure, kind=kind, url=target.get_absolute_url())


# --- the service: resolution and validation ---------------------------------------------------


def test_each_kind_resolves_to_its_item(world):
    measure = world["measure"]
    event = link(measure, world["event"], "event")
    item = link(measure, world["item"], "library")
    action = link(measure, world["action"], "action")
    assert (event.event, item.library_item, action.action) == (
        world["event"],
        world["item"],
        world["action"],
    )
    assert event.label == "Winter dialogue" and event.href == world["event"].get_absolute_url()
    assert item.title == "Housing first in Lyon"  # the title when linked, kept as a record
    assert (action.event, action.library_item) == (None, None)


def test_short_and_full_addresses_of_this_site_are_accepted(world):
    measure = world["measure"]
    short = reverse("library:item_detail_short", args=[world["item"].pk])
    assert services.link_add(measure=measure, kind="library", url=short).library_item
    full = f"http://testserver{world['event'].get_absolute_url()}?from=mail#when"
    assert services.link_add(measure=measure, kind="event", url=full).event == world["event"]


def test_the_item_keeps_its_live_title_and_address(world):
    made = link(world["measure"], world["event"], "event")
    world["event"].title, world["event"].slug = "Spring dialogue", "spring-dialogue"
    world["event"].save()
    made = MeasureLink.objects.get(pk=made.pk)
    assert (made.label, made.href) == ("Spring dialogue", "/events/spring-dialogue/")


def test_deleting_the_item_removes_the_link(world):
    link(world["measure"], world["item"], "library")
    world["item"].delete()
    assert not MeasureLink.objects.exists()


def _bad_addresses(world):
    hidden_space = members_only_space()
    private_event = EventFactory(space=hidden_space)
    draft_event = EventFactory(status="draft")
    private_item = LibraryItemFactory(space=hidden_space, status="published")
    draft_item = LibraryItemFactory(status="draft")
    private_action = ActionFactory(process=ProcessFactory(space=hidden_space))
    missing_action = reverse("plans:action_detail", args=[world["process"].slug, 999_999])
    return [
        # (kind, address, words the message must contain)
        ("event", "/no/such/page/", "no page of this site"),
        ("event", "/pledges/", "not the page of an event"),
        ("event", "https://evil.example/events/x/", "address of a page of this site"),
        ("event", "javascript:alert(1)", "address of a page of this site"),
        ("event", world["item"].get_absolute_url(), "It is the page of a library item"),
        ("library", world["event"].get_absolute_url(), "It is the page of an event"),
        ("action", world["item"].get_absolute_url(), "not the page of an action"),
        ("event", "/events/no-such-event/", "no public event"),
        ("event", private_event.get_absolute_url(), "no public event"),
        ("event", draft_event.get_absolute_url(), "no public event"),
        ("library", "/library/999999/", "no public library item"),
        ("library", private_item.get_absolute_url(), "no public library item"),
        ("library", draft_item.get_absolute_url(), "no public library item"),
        ("action", missing_action, "no public action"),
        ("action", private_action.get_absolute_url(), "no public action"),
        ("action", "/processes/no-such-process/actions/1/", "no public action"),
        ("event", "", "Give the address"),
    ]


def test_bad_addresses_give_a_clear_error_and_write_nothing(world):
    measure = world["measure"]
    for kind, url, words in _bad_addresses(world):
        with pytest.raises(ValidationError) as error:
            services.link_add(measure=measure, kind=kind, url=url, title="Anything")
        message = " ".join(error.value.message_dict["url"])
        assert words in message, (kind, url, message)
    assert not MeasureLink.objects.exists()


def test_a_second_link_to_the_same_item_is_refused(world):
    link(world["measure"], world["event"], "event")
    with pytest.raises(ValidationError, match="linked to that page already"):
        link(world["measure"], world["event"], "event")
    assert MeasureLink.objects.count() == 1


def test_a_bad_link_in_the_measure_form_writes_no_measure(client, world):
    client.force_login(world["editor"])
    pledge = world["pledge"]
    data = {
        "description": "Childcare places",
        "amount": "1000",
        "currency": "EUR",
        "starts_on": "2024-02-01",
        "ends_on": "2025-02-01",
        "link_kind": "event",
        "link_url": "/events/no-such-event/",
    }
    response = client.post(reverse("pledges:measure_add", args=[pledge.pk]), data)
    assert response.status_code == 200
    assert "no public event" in response.context["form"].errors["link_url"][0]
    assert pledge.measures.count() == 1
    data["link_url"] = world["event"].get_absolute_url()
    response = client.post(reverse("pledges:measure_add", args=[pledge.pk]), data)
    assert response.status_code == 302
    assert Measure.objects.get(description="Childcare places").links.get().event == world["event"]


# --- both sides render --------------------------------------------------------------------------


def test_the_pledge_page_shows_the_items_live_titles_and_links(client, world):
    measure = world["measure"]
    link(measure, world["event"], "event")
    link(measure, world["item"], "library")
    link(measure, world["action"], "action")
    html = client.get(world["pledge"].get_absolute_url()).content.decode()
    for target in (world["event"], world["item"], world["action"]):
        assert f'href="{target.get_absolute_url()}">{target.title}</a>' in html
    assert "Remove the link" not in html  # readers get no buttons


@pytest.mark.parametrize("target", ["event", "item", "action"])
def test_the_items_page_shows_the_linked_pledges(client, world, target):
    obj = world[target]
    link(world["measure"], obj, {"event": "event", "item": "library", "action": "action"}[target])
    draft = pledge_with_measures(publish=False, amounts=("7",))
    services.link_add(
        measure=draft.measures.get(),
        kind="event" if target == "event" else ("library" if target == "item" else "action"),
        url=obj.get_absolute_url(),
    )
    response = client.get(obj.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Linked pledges" in html
    pledge = world["pledge"]
    assert f'href="{pledge.get_absolute_url()}#measure-{world["measure"].pk}"' in html
    assert pledge.title in html and "Lyon" in html and "1,250,000.00 EUR" in html
    assert draft.title not in html  # drafts are not shown on the other side


def test_pages_without_links_show_no_section(client, world):
    for obj in (world["event"], world["item"], world["action"]):
        assert "Linked pledges" not in client.get(obj.get_absolute_url()).content.decode()


def test_the_action_plan_page_lists_the_pledges_linked_to_its_actions(client, world):
    link(world["measure"], world["action"], "action")
    html = client.get(reverse("plans:plan", args=[world["process"].slug])).content.decode()
    assert "Linked pledges" in html
    assert f'href="{world["action"].get_absolute_url()}">Peer exchange</a>' in html
    assert world["pledge"].title in html


def test_an_item_no_longer_public_is_hidden_from_readers_not_from_editors(client, world):
    link(world["measure"], world["event"], "event")
    world["event"].space.visibility = Space.Visibility.MEMBERS
    world["event"].space.save()
    url = world["pledge"].get_absolute_url()
    assert "Winter dialogue" not in client.get(url).content.decode()
    client.force_login(world["editor"])
    html = client.get(url).content.decode()
    assert "Winter dialogue" in html and "no longer public" in html


# --- permissions ---------------------------------------------------------------------------------


def _people(world):
    org = world["pledge"].organisation
    staff = UserFactory(is_staff=True)
    return {
        "anonymous": (None, False),
        "signed in": (UserFactory(), False),
        "member": (OrganisationMembershipFactory(organisation=org, role="member").user, False),
        "editor": (world["editor"], True),
        "admin": (OrganisationMembershipFactory(organisation=org, role="admin").user, True),
        "campaign manager": (
            OrganisationMembershipFactory(
                organisation=world["pledge"].campaign.organisation, role="admin"
            ).user,
            False,
        ),
        "staff": (staff, True),
    }


def test_who_may_add_and_remove_links(world):
    pledge, measure = world["pledge"], world["measure"]
    add_url = reverse("pledges:link_add", args=[pledge.pk, measure.pk])
    for role, (user, allowed) in _people(world).items():
        client = Client()
        if user is not None:
            client.force_login(user)
        response = client.post(add_url, {"kind": "event", "url": world["event"].get_absolute_url()})
        made = MeasureLink.objects.first()
        assert (made is not None) == allowed, role
        if not allowed:
            assert response.status_code == (302 if user is None else 403), role
            assert user is not None or "/accounts/login/" in response["Location"]
            made = link(measure, world["event"], "event")
        else:
            assert response.status_code == 302, role
        remove_url = reverse("pledges:link_remove", args=[pledge.pk, made.pk])
        assert client.get(remove_url).status_code == 405, role
        response = client.post(remove_url)
        assert MeasureLink.objects.filter(pk=made.pk).exists() != allowed, role
        MeasureLink.objects.all().delete()


def test_editors_see_the_link_form_and_remove_buttons(client, world):
    link(world["measure"], world["event"], "event")
    client.force_login(world["editor"])
    html = client.get(world["pledge"].get_absolute_url()).content.decode()
    assert reverse("pledges:link_add", args=[world["pledge"].pk, world["measure"].pk]) in html
    assert "Remove the link to “Winter dialogue”" in html
    response = client.get(
        reverse("pledges:link_add", args=[world["pledge"].pk, world["measure"].pk])
    )
    assert response.status_code == 200 and b"Add the link" in response.content


def test_the_link_form_shows_the_services_error(client, world):
    client.force_login(world["editor"])
    url = reverse("pledges:link_add", args=[world["pledge"].pk, world["measure"].pk])
    response = client.post(url, {"kind": "library", "url": world["event"].get_absolute_url()})
    assert response.status_code == 200
    assert "It is the page of an event" in response.context["form"].errors["url"][0]
    assert not MeasureLink.objects.exists()
    response = client.post(url, {"kind": "other", "url": "https://example.org/"})
    assert "title" in response.context["form"].errors
    assert not MeasureLink.objects.exists()


def test_a_measure_of_another_pledge_or_a_foreign_link_is_not_found(client, world):
    other = pledge_with_measures(organisation=world["pledge"].organisation)
    foreign = link(other.measures.get(), world["event"], "event")
    client.force_login(world["editor"])
    pledge = world["pledge"]
    url = reverse("pledges:link_add", args=[pledge.pk, other.measures.get().pk])
    assert client.get(url).status_code == 404
    url = reverse("pledges:link_remove", args=[pledge.pk, foreign.pk])
    assert client.post(url).status_code == 404
    assert MeasureLink.objects.filter(pk=foreign.pk).exists()


def test_removing_needs_the_csrf_token(world):
    made = link(world["measure"], world["event"], "event")
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["editor"])
    response = client.post(reverse("pledges:link_remove", args=[world["pledge"].pk, made.pk]))
    assert response.status_code == 403
    assert MeasureLink.objects.filter(pk=made.pk).exists()


# --- query counts ------------------------------------------------------------------------------


def _linker(target, kind):
    campaign = CampaignFactory()

    def make(n):
        for _ in range(n):
            pledge = pledge_with_measures(
                campaign=campaign,
                organisation=OrganisationFactory(home_territory=TerritoryFactory()),
            )
            link(pledge.measures.get(), target, kind)

    return make


@pytest.mark.parametrize(
    ("target", "kind"), [("event", "event"), ("item", "library"), ("action", "action")]
)
def test_item_pages_make_one_query_for_any_number_of_links(
    assert_query_budget, world, target, kind
):
    obj = world[target]
    assert_query_budget(obj.get_absolute_url(), _linker(obj, kind), n=2)


def test_plan_page_query_count(assert_query_budget, world):
    def make(n):
        for _ in range(n):
            action = ActionFactory(process=world["process"])
            link(world["measure"], action, "action")

    assert_query_budget(reverse("plans:plan", args=[world["process"].slug]), make, n=2)


def test_pledge_page_query_count_with_links(assert_query_budget, world):
    measure = world["measure"]

    def make(n):
        for _ in range(n):
            link(measure, EventFactory(), "event")
            link(measure, LibraryItemFactory(status="published"), "library")
            link(measure, ActionFactory(process=ProcessFactory()), "action")

    assert_query_budget(world["pledge"].get_absolute_url(), make, n=2)


def test_the_linked_pledges_section_is_in_french(client, world):
    link(world["measure"], world["event"], "event")
    client.cookies["cocity_language"] = "fr"
    html = client.get(world["event"].get_absolute_url()).content.decode()
    assert "Engagements liés" in html and "liées à cette page" in html
