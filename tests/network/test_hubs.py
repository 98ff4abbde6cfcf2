"""Hub pages (cocity.core.hubs): a space's, an organisation's and a place's page gather the
events, processes, library items, pacts, commons, pledges, campaigns and data sets that belong
there, each section with a count and a link to all of it, in a fixed number of queries; hidden
content stays hidden; a new event makes the cached page stale."""

import datetime
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from cocity.insights.models import DataSet
from cocity.network.models import Organisation, Role, Space, Territory
from cocity.plans.models import Action, Phase
from tests.factories import (
    ActionFactory,
    CampaignFactory,
    CommonsFactory,
    EventFactory,
    LibraryItemFactory,
    OrganisationFactory,
    PactFactory,
    ProcessFactory,
    SpaceFactory,
    SpaceMembershipFactory,
    city_with_neighbourhoods,
    event_with_session,
    pledge_with_measures,
    process_in_phase,
)

pytestmark = pytest.mark.django_db

_n = itertools.count()


def _space_url(space: Space) -> str:
    return reverse("network:space_detail", args=[space.slug])


def _world():  # type: ignore[no-untyped-def]
    _country, city, _district, hoods = city_with_neighbourhoods()
    city_hall = OrganisationFactory(
        name="City hall", kind=Organisation.Kind.LOCAL_GOVERNMENT, home_territory=city
    )
    lab = SpaceFactory(name="Fairville lab", territory=hoods[0])
    lab.organisations.add(city_hall)
    return city, hoods, city_hall, lab


def _fill(space: Space, organisation: Organisation, city: Territory, hood: Territory, n: int):  # type: ignore[no-untyped-def]
    """``n`` of every kind of work in this space, its organisation and its place."""
    for _i in range(n):
        i = next(_n)
        event_with_session(space=space, title=f"Event {i}", slug=f"hub-event-{i}", territory=hood)
        process, _organiser = process_in_phase("collect", space=space, title=f"Process {i}")
        ActionFactory(process=process, status=Action.Status.DONE, progress=100)
        LibraryItemFactory(
            space=space,
            status="published",
            title=f"Practice {i}",
            published_at=timezone.now(),
            published_on=timezone.localdate(),
        )
        commons = CommonsFactory(organisation=organisation, territory=hood, name=f"Garden {i}")
        PactFactory(commons=commons, title=f"Pact {i}")
        campaign = CampaignFactory(organisation=organisation, name=f"Campaign {i}")
        pledge_with_measures(campaign=campaign, organisation=organisation)
        DataSet.objects.create(
            city=city,
            name=f"Census {i}",
            year=2000 + i % 50,
            groups=[{"column": "a"}],
            status=DataSet.Status.READY,
        )


# The gathering ------------------------------------------------------------------------------


def test_space_page_gathers_every_kind_of_work_with_counts_and_links(client):
    city, hoods, city_hall, lab = _world()
    _fill(lab, city_hall, city, hoods[0], 2)

    response = client.get(_space_url(lab))

    assert response.status_code == 200
    sections = {part.section.key: part.content for part in response.context["hub"].sections}
    assert set(sections) == {
        "events",
        "processes",
        "library",
        "pacts",
        "commons",
        "pledges",
        "campaigns",
        "insights",
    }
    assert {key: content.count for key, content in sections.items()} == dict.fromkeys(sections, 2)
    # Every "See all" is the app's list filtered to the hub (tests/network/test_hubs_see_all.py)
    assert sections["events"].see_all == f"/events/?space={lab.slug}&when=all"
    assert sections["processes"].see_all == f"/processes/?space={lab.slug}"
    assert sections["library"].see_all == f"/library/?space={lab.slug}"
    assert sections["pacts"].see_all == f"/commons/?space={lab.slug}"
    assert sections["insights"].see_all == f"{reverse('insights:index')}?space={lab.slug}"
    html = response.content.decode()
    for title in ("Event", "Process", "Practice", "Pact", "Garden", "Campaign", "Census"):
        assert title in html
    # What one can do now in a process, and its action plan's progress.
    assert "Post ideas until" in html
    assert "<progress" in html
    # The activity stream: newest publications first, a handful.
    activity = response.context["hub"].activity
    assert 0 < len(activity) <= 6
    assert [a.when for a in activity] == sorted((a.when for a in activity), reverse=True)


def test_see_all_links_list_the_space_and_its_sub_spaces_only(client):
    _city, _hoods, _hall, lab = _world()
    other = SpaceFactory()
    ProcessFactory(space=lab, title="Ours")
    ProcessFactory(space=SpaceFactory(parent=lab), title="Our working group's")
    ProcessFactory(space=other, title="Theirs")

    response = client.get(reverse("plans:process_list"), {"space": lab.slug})

    titles = sorted(process.title for process in response.context["page_obj"])
    assert titles == ["Our working group's", "Ours"]


def test_sub_spaces_work_appears_on_the_parent_space(client):
    parent = SpaceFactory()
    child = SpaceFactory(parent=parent)
    event_with_session(space=child, title="Child's workshop")

    response = client.get(_space_url(parent))

    assert "Child&#x27;s workshop" in response.content.decode()


def test_place_page_gathers_labs_and_their_work(client):
    city, hoods, city_hall, lab = _world()
    _fill(lab, city_hall, city, hoods[0], 1)

    response = client.get(reverse("network:territory_detail", args=[city.code]))

    assert response.status_code == 200
    sections = {part.section.key: part.content.count for part in response.context["hub"].sections}
    assert sections == {
        "events": 1,
        "processes": 1,
        "library": 1,
        "pacts": 1,
        "commons": 1,
        "pledges": 1,
        "campaigns": 1,
        "insights": 1,
    }
    assert "Fairville lab" in response.content.decode()


def test_organisation_page_gathers_its_work(client):
    city, hoods, city_hall, lab = _world()
    _fill(lab, city_hall, city, hoods[0], 1)

    response = client.get(reverse("network:organisation_detail", args=[city_hall.slug]))

    sections = {part.section.key: part.content.count for part in response.context["hub"].sections}
    assert sections == {
        "events": 1,
        "processes": 1,
        "library": 1,
        "pacts": 1,
        "commons": 1,
        "pledges": 1,
        "campaigns": 1,
    }
    assert sections.get("insights") is None  # data sets belong to cities, not organisations


# Visibility ---------------------------------------------------------------------------------


def test_members_only_space_and_its_work_stay_hidden(client):
    city, hoods, city_hall, _lab = _world()
    secret = SpaceFactory(visibility=Space.Visibility.MEMBERS, territory=hoods[1])
    secret.organisations.add(city_hall)
    event_with_session(space=secret, title="Closed meeting", territory=hoods[1])
    ProcessFactory(space=secret, title="Closed brainstorm")
    LibraryItemFactory(space=secret, status="published", title="Closed note")
    member = SpaceMembershipFactory(space=secret, role=Role.MEMBER).user

    assert client.get(_space_url(secret)).status_code == 404
    for url in (
        reverse("network:territory_detail", args=[city.code]),
        reverse("network:organisation_detail", args=[city_hall.slug]),
    ):
        html = client.get(url).content.decode()
        assert "Closed meeting" not in html
        assert "Closed brainstorm" not in html
        assert "Closed note" not in html
    client.force_login(member)
    html = client.get(reverse("network:territory_detail", args=[city.code])).content.decode()
    assert "Closed meeting" in html
    assert "Closed brainstorm" in html


def test_drafts_are_not_shown(client):
    _city, _hoods, _hall, lab = _world()
    EventFactory(space=lab, title="Draft event", status="draft")
    LibraryItemFactory(space=lab, status="draft", title="Draft practice")
    LibraryItemFactory(space=lab, status="in_review", title="Practice under review")
    PactFactory(commons=CommonsFactory(organisation=_hall), title="Draft pact", state="draft")
    pledge_with_measures(organisation=_hall, publish=False)

    response = client.get(_space_url(lab))

    html = response.content.decode()
    for title in ("Draft event", "Draft practice", "Practice under review", "Draft pact"):
        assert title not in html
    assert "pledges" not in {part.section.key for part in response.context["hub"].sections}


# Query counts -------------------------------------------------------------------------------


@pytest.mark.parametrize("signed_in", [False, True])
def test_space_page_query_count_is_flat(client, assert_same_query_count, signed_in):
    city, hoods, city_hall, lab = _world()
    if signed_in:
        client.force_login(SpaceMembershipFactory(space=lab).user)
    assert_same_query_count(
        _space_url(lab), lambda n: _fill(lab, city_hall, city, hoods[0], n), few=2, many=20
    )


@pytest.mark.parametrize("signed_in", [False, True])
def test_organisation_page_query_count_is_flat(client, assert_same_query_count, signed_in):
    city, hoods, city_hall, lab = _world()
    if signed_in:
        client.force_login(SpaceMembershipFactory(space=lab).user)
    assert_same_query_count(
        reverse("network:organisation_detail", args=[city_hall.slug]),
        lambda n: _fill(lab, city_hall, city, hoods[0], n),
        few=2,
        many=20,
    )


@pytest.mark.parametrize("signed_in", [False, True])
def test_place_page_query_count_is_flat(client, assert_same_query_count, signed_in):
    city, hoods, city_hall, lab = _world()
    if signed_in:
        client.force_login(SpaceMembershipFactory(space=lab).user)
    assert_same_query_count(
        reverse("network:territory_detail", args=[city.code]),
        lambda n: _fill(lab, city_hall, city, hoods[0], n),
        few=2,
        many=20,
    )


# The page cache -----------------------------------------------------------------------------


def test_a_new_event_makes_the_cached_space_page_stale(client, django_assert_num_queries):
    _city, _hoods, _hall, lab = _world()
    assert "Brand new dialogue" not in client.get(_space_url(lab)).content.decode()
    with django_assert_num_queries(0):  # from the page cache
        client.get(_space_url(lab))

    event_with_session(space=lab, title="Brand new dialogue")

    assert "Brand new dialogue" in client.get(_space_url(lab)).content.decode()


def test_a_new_phase_makes_the_cached_place_page_stale(client):
    city, _hoods, _hall, lab = _world()
    process = ProcessFactory(space=lab, title="Slow brainstorm")
    url = reverse("network:territory_detail", args=[city.code])
    assert "Post ideas until" not in client.get(url).content.decode()

    today = timezone.localdate()
    Phase.objects.create(
        process=process,
        kind="collect",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=3),
    )

    assert "Post ideas until" in client.get(url).content.decode()


def test_hub_pages_are_in_the_hubs_namespace():
    from cocity.core.cache import cache_namespaces_of
    from cocity.core.hubs import HUB_NAMESPACE
    from cocity.events.models import Event
    from cocity.library.models import LibraryItem

    assert HUB_NAMESPACE in cache_namespaces_of(Event)
    assert HUB_NAMESPACE in cache_namespaces_of(LibraryItem)
    assert HUB_NAMESPACE in cache_namespaces_of(DataSet)


def test_publishing_a_library_item_makes_the_cached_space_page_stale(client):
    from cocity.library import services as library_services

    _city, _hoods, _hall, lab = _world()
    author = SpaceMembershipFactory(space=lab, role=Role.MEMBER).user
    editor = SpaceMembershipFactory(space=lab, role=Role.EDITOR).user
    item = library_services.item_create(
        user=author, space=lab, kind="case_study", title="Fresh practice", summary="How."
    )
    library_services.item_submit(user=author, item=item)
    assert "Fresh practice" not in client.get(_space_url(lab)).content.decode()

    library_services.item_publish(user=editor, item=item)  # an update(): no model signal

    assert "Fresh practice" in client.get(_space_url(lab)).content.decode()


def test_pledges_linked_to_the_space_work_are_gathered(client):
    from cocity.pledges import services as pledge_services

    _city, _hoods, _hall, lab = _world()
    event, _track = event_with_session(space=lab, title="Partnership meeting")
    lyon = OrganisationFactory(name="Ville de Lyon")  # owns no space here
    pledge = pledge_with_measures(organisation=lyon)
    pledge_services.link_add(
        measure=pledge.measures.first(), kind="event", url=event.get_absolute_url()
    )
    pledge_with_measures(organisation=OrganisationFactory(name="Unrelated city"))

    response = client.get(_space_url(lab))

    sections = {part.section.key: part.content for part in response.context["hub"].sections}
    assert [item.title for item in sections["pledges"].items] == [pledge.title]
    assert [item.title for item in sections["campaigns"].items] == [pledge.campaign.name]


def test_a_members_only_sub_space_stays_out_of_its_parent_page_for_others(client):
    parent = SpaceFactory()
    secret = SpaceFactory(parent=parent, visibility=Space.Visibility.MEMBERS)
    event_with_session(space=secret, title="Closed workshop")
    member = SpaceMembershipFactory(space=secret).user

    assert "Closed workshop" not in client.get(_space_url(parent)).content.decode()
    client.force_login(member)
    assert "Closed workshop" in client.get(_space_url(parent)).content.decode()


def test_the_library_see_all_list_holds_what_the_space_shows(client):
    _city, _hoods, _hall, lab = _world()
    LibraryItemFactory(space=lab, status="published", title="Own practice")
    elsewhere = LibraryItemFactory(status="published", title="Shared practice")
    elsewhere.also_in_spaces.add(lab)
    LibraryItemFactory(status="published", title="Unrelated practice")

    hub = client.get(_space_url(lab)).context["hub"]
    library = next(part.content for part in hub.sections if part.section.key == "library")
    response = client.get(library.see_all)

    titles = sorted(item.title for item in response.context["page_obj"])
    assert titles == ["Own practice", "Shared practice"]
    assert library.count == 2
