"""The permission matrix, walked through the API and through the pages (issue 21, "Done
means"): for each kind of object with a page and an endpoint, in each visibility the world has
(public, members-only, draft), for each viewer (visitor, signed-in outsider, member, organiser,
staff), the API answers what the page answers: 200 where the page shows it, 404 where the page
does not, and the object is in the API's list exactly when its page is shown. Then the token
rules: no token or a revoked one 401, a scope that does not allow the write 403.

Adding a kind is one row of ``ROWS``; the objects are those of tests/api/world.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from .world import World, build_world

VIEWERS = ("visitor", "outsider", "member", "organiser", "staff")


@dataclass(frozen=True)
class Row:
    kind: str
    objects: tuple[str, ...]  # names in the world: public, members-only, draft...
    detail: Callable[[Any], str]  # the API address of one
    listing: Callable[[Any], str] | None  # the API list it belongs to (None: no list)
    key: Callable[[Any], Any] = lambda obj: obj.pk  # how the list names it
    field: str = "id"  # under which field
    page_list: Callable[[Any], str] | None = None  # the page listing it (links to its page)
    differs: tuple[tuple[str, str], ...] = ()  # (object, why): known differences, xfail


ROWS = [
    Row("space", ("public_space", "members_space"), lambda o: f"/spaces/{o.slug}",
        lambda o: "/spaces?limit=200", lambda o: o.slug, "slug",
        page_list=lambda o: reverse("network:space_list")),
    Row("event", ("public_event", "draft_event", "members_event"),
        lambda o: f"/events/{o.slug}", lambda o: "/events?limit=200", lambda o: o.slug, "slug",
        page_list=lambda o: reverse("events:event_list")),
    Row("process", ("public_process", "members_process"), lambda o: f"/processes/{o.slug}",
        lambda o: "/processes?limit=200", lambda o: o.slug, "slug",
        page_list=lambda o: reverse("plans:process_list")),
    Row("idea", ("public_idea", "members_idea"),
        lambda o: f"/processes/{o.process.slug}/ideas/{o.pk}",
        lambda o: f"/processes/{o.process.slug}/ideas?limit=200",
        page_list=lambda o: reverse("plans:idea_list", args=[o.process.slug])),
    Row("action", ("public_action",),
        lambda o: f"/processes/{o.process.slug}/actions/{o.pk}",
        lambda o: f"/processes/{o.process.slug}/actions?limit=200"),
    Row("commons", ("commons",), lambda o: f"/commons/{o.slug}",
        lambda o: "/commons?limit=200", lambda o: o.slug, "slug"),
    Row("pact", ("active_pact", "draft_pact"), lambda o: f"/pacts/{o.pk}",
        lambda o: "/pacts?limit=200", page_list=lambda o: reverse("commons:index")),
    Row("pledge campaign", ("campaign",), lambda o: f"/campaigns/{o.slug}",
        lambda o: "/campaigns?limit=200", lambda o: o.slug, "slug",
        page_list=lambda o: reverse("pledges:index")),
    Row("pledge", ("published_pledge", "draft_pledge"), lambda o: f"/pledges/{o.pk}",
        lambda o: "/pledges?limit=200"),
    Row("library item", ("public_item", "draft_item", "members_item"),
        lambda o: f"/library/{o.pk}", lambda o: "/library?limit=200",
        page_list=lambda o: reverse("library:item_list"),
        differs=(("draft_item", "the page shows a draft to its author and the space's editors; "
                                "the API gives published items only"),)),
    Row("data set", ("dataset",), lambda o: f"/insights/datasets/{o.pk}",
        lambda o: "/insights/datasets?limit=200",
        page_list=lambda o: reverse("insights:city", args=[o.city.code])),
]  # fmt: skip


def _cases() -> list[Any]:
    cases = []
    for row in ROWS:
        for name in row.objects:
            known = dict(row.differs)
            marks = [pytest.mark.xfail(reason=known[name], strict=True)] if name in known else []
            cases.append(pytest.param(row, name, id=f"{row.kind}:{name}", marks=marks))
    return cases


CASES = _cases()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _no_page_cache(settings):  # type: ignore[no-untyped-def]
    settings.COCITY_PAGE_CACHE = False
    settings.COCITY_API_RATE = "100000/m"


def page_client(world: World, viewer: str) -> Client:
    client = Client()
    if viewer != "visitor":
        client.force_login(world.people[viewer])
    return client


def api(world: World, viewer: str, path: str, *, method: str = "get", **kwargs: Any) -> Any:
    headers = {}
    if viewer != "visitor":
        headers["HTTP_AUTHORIZATION"] = f"Bearer {world.tokens[viewer]}"
    return getattr(Client(), method)("/api/v1" + path, **headers, **kwargs)


def _listed(response: Any, field: str) -> list[Any]:
    if response.status_code == 404:  # the list of something hidden (a members-only process)
        return []
    assert response.status_code == 200, response.content[:300]
    return [item.get(field) for item in response.json()["items"]]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "name"), CASES)
def test_the_api_shows_what_the_page_shows(world, row, name):  # type: ignore[no-untyped-def]
    obj = world[name]
    shown_to = {}
    for viewer in VIEWERS:
        page = page_client(world, viewer).get(obj.get_absolute_url())
        assert page.status_code in (200, 404), (viewer, page.status_code)
        shown = shown_to[viewer] = page.status_code == 200
        answer = api(world, viewer, row.detail(obj))
        assert answer.status_code == (200 if shown else 404), (
            f"{row.kind} {name}: the page answers {page.status_code} to the {viewer}, "
            f"the API {answer.status_code}"
        )
        if row.listing is None:
            continue
        listed = row.key(obj) in _listed(api(world, viewer, row.listing(obj)), row.field)
        if row.page_list is not None:  # the same list on the page and in the API
            html = page_client(world, viewer).get(row.page_list(obj))
            on_page = html.status_code == 200 and obj.get_absolute_url() in html.content.decode()
            assert listed == on_page, (
                f"{row.kind} {name}, {viewer}: page list {on_page}, API {listed}"
            )
        elif not shown:
            assert not listed, f"{row.kind} {name}: hidden from the {viewer}, yet in the API list"
    # The matrix means something: what is public is seen by all, the rest not by a visitor.
    if name.startswith(("members_", "draft_")):
        assert not shown_to["visitor"] and not shown_to["outsider"], shown_to
        assert shown_to["staff"] or name == "draft_pact", shown_to
    else:
        assert all(shown_to.values()), shown_to


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["public_event", "members_event", "draft_event"])
def test_the_meeting_link_goes_where_the_page_shows_it(world, name):  # type: ignore[no-untyped-def]
    event = world[name]
    link = event.online_url
    for viewer in VIEWERS:
        page = page_client(world, viewer).get(event.get_absolute_url())
        on_page = page.status_code == 200 and link in page.content.decode()
        answer = api(world, viewer, f"/events/{event.slug}")
        in_api = answer.status_code == 200 and answer.json().get("online_url") == link
        assert on_page == in_api, f"{name}, {viewer}: page {on_page}, API {in_api}"
    # The member registered for the public event sees its link; a visitor never does.
    if name == "public_event":
        assert api(world, "member", f"/events/{event.slug}").json()["online_url"] == link
        assert api(world, "visitor", f"/events/{event.slug}").json()["online_url"] is None


def _idea_post(world: World) -> tuple[str, dict[str, Any]]:
    process = world["public_process"]
    return f"/api/v1/processes/{process.slug}/ideas", {"title": "Shade", "body": "Trees."}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("scopes", "status"),
    [
        ((), 401),  # no token
        (("read",), 403),
        (("read", "write:events"), 403),  # another capability's scope
        (("write:plans",), 201),
    ],
)
def test_a_write_needs_a_token_with_its_scope(world, token_for, scopes, status):  # type: ignore[no-untyped-def]
    path, body = _idea_post(world)
    headers = {}
    if scopes:
        headers["HTTP_AUTHORIZATION"] = "Bearer " + token_for(world.people["member"], *scopes)
    response = Client().post(path, body, content_type="application/json", **headers)
    assert response.status_code in ((200, 201) if status == 201 else (status,)), response.content
    assert response["Content-Type"].startswith(
        "application/json" if status == 201 else "application/problem+json"
    )


@pytest.mark.django_db
def test_a_revoked_or_wrong_token_is_401_for_reads_and_writes(world):  # type: ignore[no-untyped-def]
    from cocity.api.models import ApiToken
    from cocity.api.services import token_revoke

    member = world.people["member"]
    path, body = _idea_post(world)
    secret = world.read_only["member"]
    token_revoke(user=member, token=ApiToken.objects.get(user=member, name="member reader"))
    for header in (f"Bearer {secret}", "Bearer cct_nothing_here", "Bearer "):
        assert Client().get("/api/v1/spaces", HTTP_AUTHORIZATION=header).status_code == 401
        response = Client().post(path, body, content_type="application/json",
                                 HTTP_AUTHORIZATION=header)  # fmt: skip
        assert response.status_code == 401


@pytest.mark.django_db
def test_someone_else_s_registration_is_not_found(world):  # type: ignore[no-untyped-def]
    from cocity.events.models import Registration

    mine = Registration.objects.get(user=world.people["member"], track=world["public_track"])
    answer = api(world, "outsider", f"/registrations/{mine.pk}/cancel", method="post")
    assert answer.status_code == 404
    mine.refresh_from_db()
    assert mine.status == Registration.Status.CONFIRMED
