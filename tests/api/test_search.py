"""Search through the API: the search page's selector, so the same hits for the same viewer
(members-only content only for whoever may see its space, facets included), extracts as plain
text, filters and pages, constant queries, ETags, and bad input answered 4xx."""

from urllib.parse import quote

import pytest
from django.test import Client

from cocity.network.models import Role, Space
from cocity.search import index

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(space_factory, event_factory, user_factory, space_membership_factory, token_for):
    open_space = space_factory(slug="open", name="Open lab")
    closed = space_factory(
        slug="closed",
        name="Secret council",
        visibility=Space.Visibility.MEMBERS,
        join_policy=Space.JoinPolicy.INVITATION,
    )
    public = event_factory(
        space=open_space,
        title="Bread & roses: housing dialogue",
        summary="Talking about <housing> & rents.",
        kind="workshop",
    )
    secret = event_factory(space=closed, title="Confidential housing plan", summary="Housing.")
    for event in (public, secret):
        index.update(event)
    member = user_factory()
    space_membership_factory(space=closed, user=member, role=Role.MEMBER)
    return {
        "public": public,
        "secret": secret,
        "closed": closed,
        "open": open_space,
        "member": token_for(member),
        "stranger": token_for(user_factory()),
    }


def _titles(body: dict) -> list[str]:
    return [hit["title"] for hit in body["hits"]]


@pytest.mark.parametrize("who", ["visitor", "stranger", "member"])
def test_members_only_content_only_for_those_who_see_its_space(who, api_get, client, indexed):
    token = None if who == "visitor" else indexed[who]
    response = api_get("/search?q=housing", token=token)
    assert response.status_code == 200
    body = response.json()
    sees = who == "member"
    assert ("Confidential housing plan" in _titles(body)) is sees
    assert "Bread & roses: housing dialogue" in _titles(body)
    assert body["total"] == (2 if sees else 1)
    spaces = {f["value"] for f in body["facets"]["space"]}
    assert (str(indexed["closed"].pk) in spaces) is sees
    assert ("Secret council" in response.content.decode()) is sees
    # The page agrees, for a visitor.
    if token is None:
        assert "Confidential" not in client.get("/search/?q=housing").content.decode()
    # Naming the members-only space as a filter finds nothing for the others.
    named = api_get(f"/search?q=housing&space={indexed['closed'].pk}", token=token).json()
    assert named["total"] == (1 if sees else 0)


def test_a_hit_has_its_title_address_kind_and_a_plain_text_extract(api_get, indexed):
    body = api_get("/search?q=rents").json()
    assert body["query"] == "rents" and body["exact"] is True
    [hit] = body["hits"]
    assert hit["url"] == indexed["public"].get_absolute_url()
    assert hit["kind"] and hit["kind_label"]
    assert "<mark>" not in hit["extract"] and "&amp;" not in hit["extract"]
    assert "rents" in hit["extract"]
    assert hit["space"] == {"id": indexed["open"].pk, "slug": "open", "name": "Open lab"}
    assert set(body["facets"]) == {"kind", "topic", "city", "language", "year", "space"}
    assert body["page"] == 1 and body["pages"] == 1


def test_filters_and_scope(api_get, indexed, settings):
    kind = api_get("/search?q=housing").json()["hits"][0]["kind"]
    assert api_get(f"/search?q=housing&kind={kind}").json()["total"] == 1
    assert api_get("/search?q=housing&kind=nothing").json()["total"] == 0
    assert api_get("/search?q=housing&within=events").json()["total"] == 1
    assert api_get("/search?q=housing&within=library").json()["total"] == 0
    assert api_get(f"/search?q=housing&space={indexed['open'].pk}").json()["total"] == 1
    assert api_get("/search?q=housing&year=1999").json()["total"] == 0
    # Past the last page: the last page, as on the page.
    body = api_get("/search?q=housing&page=9999").json()
    assert body["page"] == 1 and body["total"] == 1


def test_odd_words_are_only_words(api_get, indexed):
    for words in ('"housing" & | ! :* (', "housing' OR 1=1 --", "%25_", "\u202ehousing"):
        response = api_get("/search?q=" + quote(words))
        assert response.status_code == 200, words


def test_answers_carry_an_etag_and_304_until_the_index_changes(api_get, indexed, event_factory):
    first = api_get("/search?q=housing")
    assert first.status_code == 200 and first["ETag"]
    assert api_get("/search?q=housing", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    index.update(event_factory(space=indexed["open"], title="More housing"))
    again = api_get("/search?q=housing", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again.json()["total"] == 2


def test_the_same_number_of_queries_whatever_the_number_of_hits(
    assert_query_budget, space_factory, event_factory, user_factory, token_for
):
    space = space_factory()

    def make(n: int) -> None:
        for _ in range(n):
            index.update(event_factory(space=space, title="Housing talk"))

    assert_query_budget("/api/v1/search?q=housing", make, n=3)
    token = token_for(user_factory())
    with_token = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert_query_budget("/api/v1/search?q=housing&within=events", make, n=3, client_=with_token)


@pytest.mark.parametrize(
    "address",
    [
        "/search?page=0",
        "/search?page=abc",
        "/search?page=99999999999999999999999",
        "/search?year=abc",
        "/search?year=-1",
        "/search?space=-1",
        "/search?space=1e400",
        "/search?within=everywhere",
        "/search?kind=" + "k" * 100,
        "/search?q=" + "a" * 30_000,
    ],
)
def test_bad_input_is_a_4xx_never_a_500(api_get, address):
    response = api_get(address)
    assert 400 <= response.status_code < 500, (address, response.status_code)
    assert response["Content-Type"] == "application/problem+json"


def test_the_same_hits_as_the_search_page_for_every_viewer(
    indexed, user_factory, space_membership_factory, token_for
):
    from html import unescape

    from django.contrib.auth import get_user_model

    member = get_user_model().objects.filter(space_memberships__space=indexed["closed"]).get()
    titles = ["Bread & roses: housing dialogue", "Confidential housing plan"]
    for person in (None, user_factory(), member, user_factory(is_staff=True)):
        page, api = Client(), Client()
        if person is not None:
            page.force_login(person)
            api = Client(HTTP_AUTHORIZATION=f"Bearer {token_for(person)}")
        for query in ("q=housing", "q=", "q=housing&within=events", "q=plan"):
            on_page = unescape(page.get(f"/search/?{query}").content.decode())
            body = api.get(f"/api/v1/search?{query}").json()
            found = [hit["title"] for hit in body["hits"]]
            for title in titles:
                assert (title in found) is (title in on_page), (person, query, title)
