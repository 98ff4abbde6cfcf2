"""The library's API: published items only, with their translations, as the library pages show
them to each viewer (a members-only space's items absent and 404 to others), in a constant
number of queries, with ETags, and 4xx for bad input."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cocity.library.models import ItemFigure, ItemLink, ItemTranslation, LibraryItem
from cocity.network.models import Role, Space
from tests.factories import (
    LibraryItemFactory,
    OrganisationFactory,
    SpaceFactory,
    SpaceMembershipFactory,
    TerritoryFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
PUBLISHED = LibraryItem.Status.PUBLISHED


@pytest.fixture
def shelves():  # type: ignore[no-untyped-def]
    public = SpaceFactory(slug="commons-lab")
    closed = SpaceFactory(slug="back-room", visibility=Space.Visibility.MEMBERS)
    member = SpaceMembershipFactory(space=closed, role=Role.MEMBER).user
    author = UserFactory()
    items = {
        "open": LibraryItemFactory(
            space=public, title="Participatory budget", status=PUBLISHED,
            published_on=datetime.date(2025, 5, 1), author=author,
        ),
        "draft": LibraryItemFactory(space=public, title="Unfinished", author=author),
        "review": LibraryItemFactory(space=public, title="Under review", status="in_review"),
        "archived": LibraryItemFactory(space=public, title="Old", status="archived"),
        "closed": LibraryItemFactory(
            space=closed, title="Internal notes", status=PUBLISHED,
            published_on=datetime.date(2025, 6, 1),
        ),
    }  # fmt: skip
    return {"items": items, "member": member, "author": author, "closed": closed}


def test_only_published_items_the_viewer_may_see_are_listed(api_get, shelves, token_for):
    assert [i["title"] for i in api_get("/library").json()["items"]] == ["Participatory budget"]
    author = token_for(shelves["author"])
    assert [i["title"] for i in api_get("/library", token=author).json()["items"]] == [
        "Participatory budget"
    ]
    member = token_for(shelves["member"])
    assert [i["title"] for i in api_get("/library", token=member).json()["items"]] == [
        "Internal notes",
        "Participatory budget",
    ]


def test_drafts_and_members_only_items_are_not_found(api_get, client, shelves, token_for):
    items = shelves["items"]
    for name in ("draft", "review", "archived"):
        path = f"/library/{items[name].pk}"
        assert api_get(path).status_code == 404
        assert api_get(path, token=token_for(shelves["author"])).status_code == 404
    closed = f"/library/{items['closed'].pk}"
    assert api_get(closed).status_code == 404
    assert api_get(closed, token=token_for(UserFactory())).status_code == 404
    assert api_get(closed, token=token_for(shelves["member"])).status_code == 200
    # The page agrees.
    page = items["closed"].get_absolute_url()
    assert client.get(page).status_code == 404
    client.force_login(shelves["member"])
    assert client.get(page).status_code == 200
    # A members-only space named as a hub is not found either.
    assert api_get("/library?space=back-room").status_code == 404


def test_an_item_with_its_translations_figures_and_links(api_get, shelves):
    item = shelves["items"]["open"]
    place = TerritoryFactory(code="FR-LYO")
    topic = TopicFactory(slug="budgets")
    item.territories.add(place)
    item.topics.add(topic)
    item.organisations.add(OrganisationFactory(slug="city-of-lyon"))
    ItemTranslation.objects.create(
        item=item, language="fr", title="Budget participatif", summary="Résumé", body="Texte"
    )
    ItemFigure.objects.create(item=item, label="Budget", value="1500000.50", unit="EUR")
    ItemLink.objects.create(item=item, url="https://example.org/report", title="Report")
    listed = api_get("/library").json()["items"][0]
    assert listed["languages"] == ["en", "fr"]
    assert listed["places"] == [{"code": "FR-LYO", "name": place.name}]
    body = api_get(f"/library/{item.pk}").json()
    assert body["title"] == "Participatory budget"
    assert body["translations"] == [
        {"language": "fr", "title": "Budget participatif", "summary": "Résumé", "body": "Texte"}
    ]
    assert body["figures"][0]["label"] == "Budget"
    assert str(body["figures"][0]["value"]) in ("1500000.50", "1500000.5")
    assert body["links"] == [{"title": "Report", "url": "https://example.org/report"}]
    assert body["organisations"][0]["slug"] == "city-of-lyon"
    assert body["topics"] == [{"slug": "budgets", "name": topic.name}]
    assert body["url"] == item.get_absolute_url()


def test_filters_mirror_the_page(api_get, shelves):
    topic = TopicFactory(slug="housing")
    toolkit = LibraryItemFactory(
        space=shelves["items"]["open"].space, kind="toolkit", status=PUBLISHED, title="Toolkit"
    )
    toolkit.topics.add(topic)

    def titles(query):  # type: ignore[no-untyped-def]
        response = api_get("/library?" + query)
        assert response.status_code == 200, response.content
        return [i["title"] for i in response.json()["items"]]

    assert titles("kind=toolkit") == ["Toolkit"]
    assert titles("topic=housing") == ["Toolkit"]
    assert titles("topic=nothing-here") == []
    assert set(titles("space=commons-lab")) == {"Toolkit", "Participatory budget"}
    # Undated items come after the dated ones, and the cursor walks them all.
    seen, cursor = [], None
    while True:
        page = api_get("/library?limit=1" + (f"&cursor={cursor}" if cursor else "")).json()
        seen += [i["title"] for i in page["items"]]
        cursor = page["next"]
        if cursor is None:
            break
    assert seen == ["Participatory budget", "Toolkit"]


def _count(path: str, client: Client) -> int:
    client.get("/api/v1" + path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1" + path)
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.mark.parametrize("as_member", [False, True])
def test_the_list_and_an_item_take_a_constant_number_of_queries(shelves, token_for, as_member):
    headers = {"Authorization": f"Bearer {token_for(shelves['member'])}"} if as_member else {}
    client = Client(headers=headers)
    item = shelves["items"]["open"]
    space = item.space

    def rows(n: int) -> None:
        for i in range(n):
            other = LibraryItemFactory(space=space, status=PUBLISHED)
            other.topics.add(TopicFactory())
            other.territories.add(TerritoryFactory())
            ItemTranslation.objects.create(item=other, language="fr", title="T", summary="S")
            item.topics.add(TopicFactory())
            item.organisations.add(OrganisationFactory())
            ItemFigure.objects.create(item=item, label=f"F{i}", value=1)
            ItemLink.objects.create(item=item, url=f"https://example.org/{i}", title="L")

    paths = ["/library", f"/library/{item.pk}"]
    rows(3)
    few = [_count(p, client) for p in paths]
    rows(27)
    many = [_count(p, client) for p in paths]
    assert few == many


def test_answers_carry_an_etag_and_304_until_something_changes(api_get, shelves):
    item = shelves["items"]["open"]
    tag = api_get(f"/library/{item.pk}")["ETag"]
    assert api_get(f"/library/{item.pk}", HTTP_IF_NONE_MATCH=tag).status_code == 304
    ItemTranslation.objects.create(item=item, language="de", title="T", summary="S")
    assert api_get(f"/library/{item.pk}", HTTP_IF_NONE_MATCH=tag).status_code == 200
    list_tag = api_get("/library")["ETag"]
    assert api_get("/library", HTTP_IF_NONE_MATCH=list_tag).status_code == 304
    LibraryItemFactory(space=item.space, status=PUBLISHED)
    assert api_get("/library", HTTP_IF_NONE_MATCH=list_tag).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/library?kind=poem",
        "/library?topic=" + "t" * 500,
        "/library?cursor=garbage",
        "/library?cursor=W10",
        "/library?limit=100000000000000000000000",
        "/library?space=nowhere",
        "/library?place=%27%3B--",
        "/library/0",
        "/library/abc",
        "/library/99999999999999999999999",
        "/library/9223372036854775807",
    ],
)
def test_bad_input_is_a_4xx_problem_never_a_500(api_get, shelves, path):
    response = api_get(path)
    assert 400 <= response.status_code < 500, (path, response.status_code)
    assert response["Content-Type"] == "application/problem+json"
