"""A hub section's "See all" opens its app's list filtered to the hub (``?space=``,
``?organisation=``, ``?place=``, read by ``network.selectors.hubs.hub_scope_from_query``), and
that list holds exactly what the section counted: same scope, same visibility, for every section,
on the page of a space with sub-spaces, an organisation and a place, for a visitor and a member.
A space one may not see is a space that does not exist."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from cocity.insights.models import DataSet
from cocity.network.models import Organisation, Role, Space
from tests.factories import (
    CampaignFactory,
    CommonsFactory,
    EventFactory,
    LibraryItemFactory,
    OrganisationFactory,
    PactFactory,
    ProcessFactory,
    SpaceFactory,
    SpaceMembershipFactory,
    UserFactory,
    city_with_neighbourhoods,
    event_with_session,
    pledge_with_measures,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _render_every_time(settings):  # type: ignore[no-untyped-def]
    settings.COCITY_PAGE_CACHE = False  # the lists' contexts, not a cached copy


SECTIONS = {"events", "processes", "library", "pacts", "commons", "pledges", "campaigns"}


def _published_item(space: Space, title: str):  # type: ignore[no-untyped-def]
    return LibraryItemFactory(
        space=space,
        status="published",
        title=title,
        published_at=timezone.now(),
        published_on=timezone.localdate(),
    )


def _world():  # type: ignore[no-untyped-def]
    """A partnership (in a neighbourhood of Marseille, owned by the city hall) with a lab, the
    lab's working group (two levels of sub-spaces) and a members-only sub-space; work in each;
    drafts; and work elsewhere that no hub here may count."""
    _country, city, _district, hoods = city_with_neighbourhoods()
    hall = OrganisationFactory(
        name="City hall", kind=Organisation.Kind.LOCAL_GOVERNMENT, home_territory=city
    )
    partnership = SpaceFactory(name="Partnership", slug="partnership", territory=hoods[0])
    partnership.organisations.add(hall)
    lab = SpaceFactory(name="Lab", parent=partnership, territory=hoods[0])
    group = SpaceFactory(name="Working group", parent=lab, territory=hoods[1])
    secret = SpaceFactory(
        name="Closed circle",
        slug="closed-circle",
        parent=partnership,
        visibility=Space.Visibility.MEMBERS,
        territory=hoods[1],
    )
    secret.organisations.add(hall)
    elsewhere = SpaceFactory(name="Elsewhere")
    past = timezone.now() - datetime.timedelta(days=30)
    for i, space in enumerate((partnership, lab, group, secret, elsewhere)):
        event_with_session(
            space=space, title=f"Coming {i}", slug=f"coming-{i}", territory=space.territory
        )
        event_with_session(space=space, title=f"Past {i}", slug=f"past-{i}", start=past)
        ProcessFactory(space=space, title=f"Process {i}")
        _published_item(space, f"Practice {i}")
    EventFactory(space=lab, title="Draft event", status="draft")
    LibraryItemFactory(space=lab, status="draft", title="Draft practice")
    shared = _published_item(elsewhere, "Shared practice")
    shared.also_in_spaces.add(group)
    for i, hood in enumerate(hoods):
        commons = CommonsFactory(organisation=hall, territory=hood, name=f"Garden {i}")
        PactFactory(commons=commons, title=f"Pact {i}")
    PactFactory(commons=CommonsFactory(organisation=hall), title="Draft pact", state="draft")
    PactFactory(commons=CommonsFactory(), title="Unrelated pact")
    campaign = CampaignFactory(organisation=hall, name="Hall campaign")
    pledge_with_measures(campaign=campaign, organisation=hall)
    pledge_with_measures(campaign=campaign, organisation=hall, publish=False)  # a draft
    pledge_with_measures(organisation=OrganisationFactory(name="Unrelated city"))
    for year, status in ((2021, DataSet.Status.READY), (2022, DataSet.Status.READY)):
        DataSet.objects.create(
            city=city, name="Census", year=year, groups=[{"column": "a"}], status=status
        )
    member = SpaceMembershipFactory(space=secret, role=Role.MEMBER).user
    return {
        "space": reverse("network:space_detail", args=[partnership.slug]),
        "organisation": reverse("network:organisation_detail", args=[hall.slug]),
        "place": reverse("network:territory_detail", args=[city.code]),
        "member": member,
        "secret": secret,
        "partnership": partnership,
    }


def _listed(response, key: str) -> list:  # type: ignore[no-untyped-def]
    """The rows a list page shows for a section."""
    if key == "campaigns":
        return list(response.context["campaigns"])
    if key == "pledges":
        return list(response.context["pledges"].object_list)
    return list(response.context["page_obj"].object_list)


@pytest.mark.parametrize("hub", ["space", "organisation", "place"])
@pytest.mark.parametrize("as_member", [False, True])
def test_every_see_all_list_holds_what_its_section_counts(client, hub, as_member):
    world = _world()
    if as_member:
        client.force_login(world["member"])

    page = client.get(world[hub])

    assert page.status_code == 200
    sections = {part.section.key: part.content for part in page.context["hub"].sections}
    expected = SECTIONS | ({"insights"} if hub != "organisation" else set())
    assert set(sections) == expected
    for key, content in sections.items():
        assert content.count > 0, key
        url = urlsplit(content.see_all)
        assert parse_qs(url.query)  # filtered to the hub, never the whole list
        response = client.get(f"{url.path}?{url.query}")
        assert response.status_code == 200, key
        listed = _listed(response, key)
        assert len(listed) == content.count, (hub, key, [str(row) for row in listed])
        # the removable chip names the hub
        kind = {"place": "territory"}.get(hub, hub)
        assert response.context["hub_filter"].scope.kind == kind
        assert "Show all, not only in" in response.content.decode()
    # What only the members of the closed circle may see is counted for them only.
    titles = {str(row) for row in _listed(client.get(sections["events"].see_all), "events")}
    assert ("Coming 3" in titles) is as_member
    assert "Draft event" not in titles
    assert "Coming 4" not in titles  # elsewhere


def test_a_space_list_keeps_its_sub_spaces_but_not_another_space(client):
    world = _world()

    response = client.get(reverse("events:event_list"), {"space": "partnership", "when": "all"})

    titles = sorted(event.title for event in response.context["page_obj"].object_list)
    assert titles == ["Coming 0", "Coming 1", "Coming 2", "Past 0", "Past 1", "Past 2"]
    html = response.content.decode()
    assert "In Partnership" in html
    assert world["secret"].name not in html


def test_the_hub_filter_composes_with_the_list_filters_and_keeps_them(client):
    _world()

    response = client.get(
        reverse("events:event_list"), {"space": "partnership", "when": "past", "page": "1"}
    )

    titles = sorted(event.title for event in response.context["page_obj"].object_list)
    assert titles == ["Past 0", "Past 1", "Past 2"]
    hub = response.context["hub_filter"]
    assert hub.remove_url == "?when=past"  # the other filters stay, back to the first page
    # the filter form carries an organisation or a place along (the space has its own select)
    library = client.get(reverse("library:item_list"), {"space": "partnership"})
    assert '<input type="hidden" name="space" value="partnership">' in library.content.decode()
    organisation = Organisation.objects.get(name="City hall")
    pacts = client.get(reverse("commons:index"), {"organisation": organisation.slug})
    assert f'name="organisation" value="{organisation.slug}"' in pacts.content.decode()


LISTS = [
    "events:event_list",
    "plans:process_list",
    "library:item_list",
    "commons:index",
    "commons:commons_list",
    "pledges:index",
    "insights:index",
]


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize(
    "params",
    [
        {"space": "no-such-space"},
        {"organisation": "no-such-organisation"},
        {"place": "XX-NOWHERE"},
        {"space": "x" * 5000},
        {"place": "<script>"},
    ],
)
def test_an_unknown_hub_is_not_found(client, name, params):
    response = client.get(reverse(name), params)

    assert response.status_code == 404


@pytest.mark.parametrize("name", LISTS)
def test_a_members_only_space_is_not_found_for_others_and_listed_for_members(client, name):
    world = _world()
    params = {"space": world["secret"].slug}

    for viewer in (None, UserFactory()):
        if viewer is not None:
            client.force_login(viewer)
        response = client.get(reverse(name), params)
        assert response.status_code == 404
        assert world["secret"].name not in response.content.decode()
    # the same answer as for a space that never existed
    assert client.get(reverse(name), {"space": "never-was"}).status_code == 404

    client.force_login(world["member"])
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    assert "In Closed circle" in response.content.decode()


def test_the_registry_open_data_links_keep_the_hub(client):
    world = _world()
    page = client.get(world["organisation"])
    pacts = next(
        part.content for part in page.context["hub"].sections if part.section.key == "pacts"
    )
    query = urlsplit(pacts.see_all).query

    csv = b"".join(client.get(f"{reverse('commons:export_csv')}?{query}").streaming_content)

    rows = csv.decode().strip().splitlines()[1:]
    assert len(rows) == pacts.count
    assert not any("Unrelated pact" in row for row in rows)
    assert client.get(reverse("commons:export_csv"), {"space": "closed-circle"}).status_code == 404
