"""Spaces, organisations, places and topics through the API: what the pages show each viewer
(members-only spaces absent and 404 for the others), filters, cursors, a constant number of
queries per page, ETags, and bad input answered 4xx."""

import pytest
from django.test import Client

from cocity.core.cache import rows_changed
from cocity.network.models import Role, Space, Territory
from tests.factories import city_with_neighbourhoods

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[5.37, 43.30], [5.39, 43.30], [5.39, 43.32], [5.37, 43.32], [5.37, 43.30]]],
}


@pytest.fixture
def closed(space_factory, organisation_factory):  # type: ignore[no-untyped-def]
    owner = organisation_factory(slug="owner", name="Owner")
    space = space_factory(
        slug="closed",
        name="Closed circle",
        visibility=Space.Visibility.MEMBERS,
        join_policy=Space.JoinPolicy.INVITATION,
    )
    space.organisations.add(owner)
    return space


@pytest.fixture
def viewers(
    closed, user_factory, space_membership_factory, organisation_membership_factory, token_for
):
    member = user_factory()
    space_membership_factory(space=closed, user=member, role=Role.MEMBER)
    org_admin = user_factory()
    organisation_membership_factory(
        organisation=closed.organisations.get(), user=org_admin, role=Role.ADMIN
    )
    return {
        "visitor": None,
        "non-member": token_for(user_factory()),
        "member": token_for(member),
        "owning organisation's admin": token_for(org_admin),
    }


SEES = {"visitor": False, "non-member": False, "member": True, "owning organisation's admin": True}


@pytest.mark.parametrize("who", list(SEES))
def test_a_members_only_space_is_seen_as_on_its_page(
    who, api_get, client, closed, viewers, space_factory
):
    space_factory(slug="open", name="Open house")
    token = viewers[who]
    listed = [s["slug"] for s in api_get("/spaces", token=token).json()["items"]]
    detail = api_get("/spaces/closed", token=token)
    assert ("closed" in listed) is SEES[who]
    assert "open" in listed
    assert detail.status_code == (200 if SEES[who] else 404)
    # The page agrees.
    if token is None:
        assert client.get("/spaces/closed/").status_code == 404
    if SEES[who]:
        body = detail.json()
        assert body["visibility"] == "members" and body["name"] == "Closed circle"
        assert [o["slug"] for o in body["organisations"]] == ["owner"]
    else:
        assert detail["Content-Type"] == "application/problem+json"


def test_a_space_names_its_parent_and_children_only_when_visible(api_get, space_factory, closed):
    parent = space_factory(slug="parent")
    child = space_factory(slug="child", parent=parent)
    space_factory(slug="hidden-child", parent=parent, visibility=Space.Visibility.MEMBERS)
    Space.objects.filter(pk=child.pk).update(parent=closed)
    rows_changed(Space)  # an update() sends no signal: it says so, as the services do
    body = api_get("/spaces/child").json()
    assert body["parent"] is None  # the members-only parent is not named
    assert [c["slug"] for c in api_get("/spaces/parent").json()["children"]] == []
    Space.objects.filter(pk=child.pk).update(parent=parent)
    rows_changed(Space)
    body = api_get("/spaces/child").json()
    assert body["parent"]["slug"] == "parent"
    assert [c["slug"] for c in api_get("/spaces/parent").json()["children"]] == ["child"]


def test_the_space_directory_filters_as_the_page_does(
    api_get, space_factory, topic_factory, organisation_factory
):
    _country, city, _district, hoods = city_with_neighbourhoods()
    water = topic_factory(slug="water")
    org = organisation_factory(slug="acme")
    lab = space_factory(slug="lab", name="Water lab", kind=Space.Kind.LAB, territory=hoods[0])
    lab.topics.add(water)
    other = space_factory(slug="other", name="Housing group", kind=Space.Kind.WORKING_GROUP)
    other.organisations.add(org)

    def slugs(query: str) -> list[str]:
        response = api_get("/spaces" + query)
        assert response.status_code == 200, response.content
        return [s["slug"] for s in response.json()["items"]]

    assert slugs("") == ["other", "lab"]  # by name
    assert slugs("?kind=lab") == ["lab"]
    assert slugs("?topic=water") == ["lab"]
    assert slugs("?organisation=acme") == ["other"]
    assert slugs(f"?city={city.code.lower()}") == ["lab"]
    assert slugs("?q=housing") == ["other"]
    item = api_get("/spaces?kind=lab").json()["items"][0]
    assert item["place"]["code"] == hoods[0].code and item["topics"][0]["slug"] == "water"
    assert item["member_count"] == 0
    for unknown in ("?topic=nope", "?organisation=nope", "?city=NOPE", f"?city={hoods[0].code}"):
        assert api_get("/spaces" + unknown).status_code == 404


def test_spaces_page_through_with_cursors(api_get, space_factory):  # type: ignore[no-untyped-def]
    for n in range(7):
        space_factory(slug=f"s{n}", name=f"Space {n:02d}")
    seen, cursor = [], None
    while True:
        body = api_get("/spaces?limit=3" + (f"&cursor={cursor}" if cursor else "")).json()
        seen += [s["slug"] for s in body["items"]]
        cursor = body["next"]
        if cursor is None:
            break
    assert seen == [f"s{n}" for n in range(7)]


@pytest.mark.parametrize(
    ("address", "signed_in"),
    [
        ("/api/v1/spaces", False),
        ("/api/v1/spaces", True),
        ("/api/v1/organisations", False),
        ("/api/v1/organisations?city=FR-MRS", True),
        ("/api/v1/topics", False),
        ("/api/v1/places", False),
        ("/api/v1/places?boundary=true", True),
    ],
)
def test_lists_make_the_same_number_of_queries_whatever_their_length(
    address,
    signed_in,
    assert_query_budget,
    space_factory,
    organisation_factory,
    topic_factory,
    territory_factory,
    user_factory,
    token_for,
):
    # Each list measured on its own, with fewer rows than a page (3, then 30).
    country = territory_factory(code="FR", name="France")
    city = territory_factory(code="FR-MRS", kind=Territory.Kind.CITY, parent=country)

    def make(n: int) -> None:
        for _ in range(n):
            space = space_factory(territory=city)
            space.organisations.add(organisation_factory(home_territory=city))
            space.topics.add(topic_factory(parent=None))
            territory_factory(kind=Territory.Kind.DISTRICT, parent=city, boundary=SQUARE)

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token_for(user_factory())}") if signed_in else None
    assert_query_budget(address, make, n=3, client_=client)


def test_answers_carry_an_etag_and_304_when_unchanged(api_get, space_factory):  # type: ignore[no-untyped-def]
    space = space_factory(slug="open")
    for address in ("/spaces", "/spaces/open", "/organisations", "/topics", "/places"):
        first = api_get(address)
        assert first.status_code == 200 and first["ETag"]
        again = api_get(address, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304
    tag = api_get("/spaces/open")["ETag"]
    space.name = "Renamed"
    space.save()
    assert api_get("/spaces/open", HTTP_IF_NONE_MATCH=tag).status_code == 200


def test_organisations_directory_and_page(
    api_get,
    organisation_factory,
    closed,
    space_factory,
    user_factory,
    token_for,
    organisation_membership_factory,
):
    _country, city, _district, hoods = city_with_neighbourhoods()
    organisation_factory(slug="city-hall", name="City hall", kind="local_government",
                         home_territory=hoods[1])  # fmt: skip
    owner = closed.organisations.get()
    open_space = space_factory(slug="open")
    open_space.organisations.add(owner)
    slugs = [o["slug"] for o in api_get("/organisations").json()["items"]]
    assert slugs == ["city-hall", "owner"]
    assert [o["slug"] for o in api_get("/organisations?kind=local_government").json()["items"]] == [
        "city-hall"
    ]
    assert [o["slug"] for o in api_get(f"/organisations?city={city.code}").json()["items"]] == [
        "city-hall"
    ]
    assert [o["slug"] for o in api_get("/organisations?q=hall").json()["items"]] == ["city-hall"]
    body = api_get("/organisations/owner").json()
    assert body["public_space_count"] == 1  # the members-only one is not counted
    assert [s["slug"] for s in body["spaces"]] == ["open"]
    admin = user_factory()
    organisation_membership_factory(organisation=owner, user=admin, role=Role.ADMIN)
    body = api_get("/organisations/owner", token=token_for(admin)).json()
    assert [s["slug"] for s in body["spaces"]] == ["closed", "open"]
    assert body["member_count"] == 1
    assert api_get("/organisations/nope").status_code == 404


def test_places_with_their_boundaries(api_get):  # type: ignore[no-untyped-def]
    country, city, district, hoods = city_with_neighbourhoods()
    Territory.objects.filter(pk=city.pk).update(boundary=SQUARE, boundary_approximate=True)
    body = api_get(f"/places/{city.code.lower()}").json()
    assert body["code"] == city.code and body["kind"] == "city"
    assert body["boundary"] == SQUARE and body["has_boundary"] and body["boundary_approximate"]
    assert [a["code"] for a in body["ancestors"]] == [country.code]
    assert [c["code"] for c in body["children"]] == [district.code]
    assert body["parent"] == country.code
    assert api_get(f"/places/{hoods[0].code}").json()["boundary"] is None
    listed = api_get("/places").json()["items"]
    assert [p["code"] for p in listed] == [country.code, city.code, district.code] + [
        h.code for h in hoods
    ]
    assert all(p["boundary"] is None for p in listed)
    assert [p["has_boundary"] for p in listed] == [False, True, False, False, False]
    with_shapes = api_get("/places?boundary=true&kind=city").json()["items"]
    assert with_shapes[0]["boundary"] == SQUARE
    assert [p["code"] for p in api_get(f"/places?parent={district.code}").json()["items"]] == [
        h.code for h in hoods
    ]
    assert len(api_get(f"/places?within={city.code}").json()["items"]) == 3
    assert api_get("/places/NOWHERE").status_code == 404
    assert api_get("/places?parent=NOWHERE").status_code == 404


def test_topics_with_their_narrower_topics(api_get, topic_factory):  # type: ignore[no-untyped-def]
    broad = topic_factory(slug="environment", name="Environment")
    topic_factory(slug="water", name="Water", parent=broad)
    topic_factory(slug="air", name="Air", parent=broad)
    body = api_get("/topics/environment").json()
    assert [t["slug"] for t in body["narrower"]] == ["air", "water"]
    assert api_get("/topics/water").json()["parent"] == "environment"
    assert [t["slug"] for t in api_get("/topics?parent=environment").json()["items"]] == [
        "air",
        "water",
    ]
    assert api_get("/topics/nope").status_code == 404


@pytest.mark.parametrize(
    "address",
    [
        "/spaces?limit=0",
        "/spaces?limit=99999999999999999999999",
        "/spaces?limit=-1",
        "/spaces?cursor=garbage",
        "/spaces?cursor=" + "x" * 5000,
        "/spaces?kind=castle",
        "/spaces?topic=%3Cscript%3E",
        "/spaces?q=" + "a" * 500,
        "/spaces/" + "x" * 300,
        "/organisations?kind=cult",
        "/organisations?cursor=W10",
        "/places?boundary=perhaps",
        "/places?parent=..%2F..",
        "/places/" + "Z" * 40,
        "/places/%F0%9F%98%80",
        "/topics?parent=%27%3B--",
    ],
)
def test_bad_input_is_a_4xx_never_a_500(api_get, address):  # type: ignore[no-untyped-def]
    response = api_get(address)
    assert 400 <= response.status_code < 500, (address, response.status_code)
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("address", ["/spaces?q=%00water", "/spaces?city=%00", "/topics/%00"])
def test_a_nul_byte_is_refused_before_the_api(api_get, address):  # type: ignore[no-untyped-def]
    # cocity.core.middleware.BadInputMiddleware answers 400 for any address holding one.
    response = api_get(address)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("address", ["/spaces?q=%E2%80%AE%3Cb%3E", "/organisations?q=%25%25_"])
def test_odd_but_harmless_words_are_answered(api_get, address):  # type: ignore[no-untyped-def]
    assert api_get(address).status_code == 200


def test_the_permission_matrix_is_the_pages_own(
    closed,
    space_factory,
    user_factory,
    space_membership_factory,
    organisation_membership_factory,
    token_for,
):
    """Every viewer, public and members-only spaces (and sub-spaces): the API answers 404
    exactly where the page does, and lists a space exactly where the directory does."""
    from django.test import Client as PageClient

    space_factory(slug="open", name="Open house")
    space_factory(slug="open-child", name="Open child", parent=closed)
    space_factory(
        slug="closed-child",
        name="Closed child",
        parent=closed,
        visibility=Space.Visibility.MEMBERS,
        join_policy=Space.JoinPolicy.REQUEST,
    )
    member, org_admin, org_member, stranger = (user_factory() for _ in range(4))
    staff = user_factory(is_staff=True)
    space_membership_factory(space=closed, user=member, role=Role.MEMBER)
    owner = closed.organisations.get()
    organisation_membership_factory(organisation=owner, user=org_admin, role=Role.ADMIN)
    organisation_membership_factory(organisation=owner, user=org_member, role=Role.MEMBER)
    viewers = {"visitor": None, "stranger": stranger, "member": member, "org admin": org_admin,
               "org member": org_member, "staff": staff}  # fmt: skip
    slugs = ["open", "closed", "open-child", "closed-child"]
    for who, person in viewers.items():
        page, api = PageClient(), Client()
        if person is not None:
            page.force_login(person)
            api = Client(HTTP_AUTHORIZATION=f"Bearer {token_for(person)}")
        listed = {s["slug"] for s in api.get("/api/v1/spaces").json()["items"]}
        directory = page.get("/spaces/").content.decode()
        for slug in slugs:
            shown = page.get(f"/spaces/{slug}/")
            assert shown.status_code == api.get(f"/api/v1/spaces/{slug}").status_code, (who, slug)
            assert (slug in listed) is (f'href="/spaces/{slug}/"' in directory), (who, slug)
        owned = {s["slug"] for s in api.get("/api/v1/organisations/owner").json()["spaces"]}
        on_page = page.get("/organisations/owner/").content.decode()
        sees = who in ("member", "org admin", "staff")
        assert owned == ({"closed"} if sees else set()), who
        assert ("closed" in owned) is ('href="/spaces/closed/"' in on_page), who


def test_names_in_the_caller_s_language_each_with_its_own_etag(api_get, topic_factory):
    topic_factory(name="Housing", slug="housing", translations={"fr": {"name": "Logement"}})
    english = api_get("/topics/housing")
    french = api_get("/topics/housing", HTTP_ACCEPT_LANGUAGE="fr")
    assert english.json()["name"] == "Housing"
    assert french.json()["name"] == "Logement"
    assert english["ETag"] != french["ETag"]
    assert "Accept-Language" in french["Vary"]
    refreshed = api_get(
        "/topics/housing", HTTP_ACCEPT_LANGUAGE="fr", HTTP_IF_NONE_MATCH=english["ETag"]
    )
    assert refreshed.status_code == 200 and refreshed.json()["name"] == "Logement"
