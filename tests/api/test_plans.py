"""The processes' API: what the process, idea, action and plan pages show each viewer, and
nothing more (members-only spaces 404, hidden texts never given), in a constant number of
queries, with ETags, and 4xx for bad input."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cocity.network.models import Role, Space
from cocity.participation.models import Comment, Support
from cocity.plans.models import Phase, ProgressUpdate
from tests.factories import (
    ActionFactory,
    IdeaFactory,
    OrganisationFactory,
    ProcessFactory,
    SpaceMembershipFactory,
    TerritoryFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    """A public process in its collect phase and a members-only one, each with ideas."""
    today = timezone.localdate()
    public = ProcessFactory(slug="open-budget", title="Open budget")
    Phase.objects.create(
        process=public,
        kind="collect",
        starts_on=today - datetime.timedelta(days=3),
        ends_on=today + datetime.timedelta(days=3),
    )
    secret_space = ProcessFactory.build().space
    secret_space.visibility = Space.Visibility.MEMBERS
    secret_space.save()
    closed = ProcessFactory(slug="inner-circle", title="Inner circle", space=secret_space)
    member = SpaceMembershipFactory(space=secret_space, role=Role.MEMBER).user
    IdeaFactory(process=closed, title="Members only idea")
    return {"public": public, "closed": closed, "member": member}


def test_a_visitor_lists_only_the_processes_of_spaces_they_may_see(api_get, world, token_for):
    body = api_get("/processes").json()
    assert [p["slug"] for p in body["items"]] == ["open-budget"]
    assert body["items"][0]["active_phase"]["kind"] == "collect"
    assert body["next"] is None
    outsider = token_for(UserFactory())
    assert [p["slug"] for p in api_get("/processes", token=outsider).json()["items"]] == [
        "open-budget"
    ]
    member = token_for(world["member"])
    assert {p["slug"] for p in api_get("/processes", token=member).json()["items"]} == {
        "open-budget",
        "inner-circle",
    }


@pytest.mark.parametrize(
    "path",
    [
        "/processes/inner-circle",
        "/processes/inner-circle/ideas",
        "/processes/inner-circle/actions",
        "/processes/inner-circle/plan",
    ],
)
def test_a_members_only_process_is_not_found_but_by_its_members(
    api_get, client, world, token_for, path
):
    assert api_get(path).status_code == 404
    assert api_get(path, token=token_for(UserFactory())).status_code == 404
    assert api_get(path, token=token_for(world["member"])).status_code == 200
    if path.endswith("/actions"):
        return  # no page lists the actions alone (the plan does)
    # The pages agree.
    page = path + "/"
    assert client.get(page).status_code == 404
    client.force_login(world["member"])
    assert client.get(page).status_code == 200


def test_the_members_only_ideas_comments_and_actions_are_not_found(api_get, world, token_for):
    idea = world["closed"].ideas.get()
    action = ActionFactory(process=world["closed"])
    for path in (
        f"/processes/inner-circle/ideas/{idea.pk}",
        f"/processes/inner-circle/ideas/{idea.pk}/comments",
        f"/processes/inner-circle/actions/{action.pk}",
        f"/processes/inner-circle/actions/{action.pk}/comments",
    ):
        assert api_get(path).status_code == 404, path
        assert api_get(path, token=token_for(UserFactory())).status_code == 404, path
        assert api_get(path, token=token_for(world["member"])).status_code == 200, path


def test_the_space_filter_of_a_members_only_space_is_not_found_for_others(
    api_get, world, token_for
):
    slug = world["closed"].space.slug
    assert api_get(f"/processes?space={slug}").status_code == 404
    listed = api_get(f"/processes?space={slug}", token=token_for(world["member"])).json()
    assert [p["slug"] for p in listed["items"]] == ["inner-circle"]


def test_a_process_shows_its_phases_counts_and_plan_state(api_get, world):
    IdeaFactory(process=world["public"])
    ActionFactory(process=world["public"])
    body = api_get("/processes/open-budget").json()
    assert body["title"] == "Open budget"
    assert body["space"]["slug"] == world["public"].space.slug
    assert [p["kind"] for p in body["phases"]] == ["collect"]
    assert body["phases"][0]["active"] is True
    assert "post" in body["phases"][0]["allows"]
    assert (body["idea_count"], body["action_count"]) == (1, 1)
    assert body["plan"]["state"] == "draft"


def test_ideas_with_their_supports_and_the_caller_s_own_support(api_get, world, token_for):
    process = world["public"]
    supporter = UserFactory()
    liked = IdeaFactory(process=process, title="Benches", support_count=2)
    IdeaFactory(process=process, title="Trees", support_count=5)
    from cocity.plans.models import Idea

    Support.objects.create(
        content_type=ContentType.objects.get_for_model(Idea), object_id=liked.pk, user=supporter
    )
    items = api_get("/processes/open-budget/ideas?sort=supported").json()["items"]
    assert [(i["title"], i["support_count"]) for i in items] == [("Trees", 5), ("Benches", 2)]
    assert not any(i["you_support"] for i in items)
    mine = api_get("/processes/open-budget/ideas?sort=supported", token=token_for(supporter))
    assert [i["you_support"] for i in mine.json()["items"]] == [False, True]


def test_a_hidden_idea_keeps_its_title_and_reason_but_never_its_text(api_get, world):
    idea = IdeaFactory(
        process=world["public"],
        title="Shouting",
        body="SECRET RANT",
        hidden_at=timezone.now(),
        hidden_reason="insults",
    )
    listed = api_get("/processes/open-budget/ideas").json()["items"][0]
    assert listed["hidden"] is True and listed["hidden_reason"] == "insults"
    response = api_get(f"/processes/open-budget/ideas/{idea.pk}")
    assert response.json()["body"] is None
    assert "SECRET RANT" not in response.content.decode()


def test_idea_filters_mirror_the_page(api_get, world):
    process = world["public"]
    topic = TopicFactory()
    city = TerritoryFactory(code="XX-TOWN", kind="country")
    IdeaFactory(process=process, title="With topic", topic=topic)
    IdeaFactory(process=process, title="In town", territory=city)
    action = ActionFactory(process=process)
    IdeaFactory(process=process, title="Merged", action=action, answer="accepted")

    def titles(query):  # type: ignore[no-untyped-def]
        response = api_get("/processes/open-budget/ideas?" + query)
        assert response.status_code == 200, response.content
        return {i["title"] for i in response.json()["items"]}

    assert titles(f"topic={topic.pk}") == {"With topic"}
    assert titles("territory=XX-TOWN") == {"In town"}
    assert titles("merged=yes") == {"Merged"}
    assert titles("answer=accepted") == {"Merged"}
    assert titles("merged=no") == {"With topic", "In town"}
    once = api_get("/processes/open-budget/ideas?sort=random&seed=42").json()["items"]
    again = api_get("/processes/open-budget/ideas?sort=random&seed=42").json()["items"]
    assert [i["id"] for i in once] == [i["id"] for i in again] and len(once) == 3


def test_idea_pages_follow_their_cursor_to_the_end(api_get, world):
    for n in range(7):
        IdeaFactory(process=world["public"], title=f"Idea {n}", support_count=n % 3)
    for sort in ("newest", "supported", "discussed", "random&seed=7"):
        seen, cursor = [], None
        while True:
            path = f"/processes/open-budget/ideas?sort={sort}&limit=3"
            response = api_get(path + (f"&cursor={cursor}" if cursor else ""))
            assert response.status_code == 200
            seen += [i["id"] for i in response.json()["items"]]
            cursor = response.json()["next"]
            if cursor is None:
                break
        assert len(seen) == len(set(seen)) == 7, sort


def _comment(target, **fields):  # type: ignore[no-untyped-def]
    return Comment.objects.create(
        content_type=ContentType.objects.get_for_model(type(target)),
        object_id=target.pk,
        author=fields.pop("author", None) or UserFactory(),
        **fields,
    )


def test_comments_come_in_threads_and_hidden_ones_keep_only_their_reason(api_get, world):
    idea = IdeaFactory(process=world["public"])
    first = _comment(idea, body="Good idea", stance="for")
    _comment(idea, body="Indeed", parent=first)
    _comment(idea, body="NASTY WORDS", hidden_at=timezone.now(), hidden_reason="abuse")
    response = api_get(f"/processes/open-budget/ideas/{idea.pk}/comments")
    body = response.json()
    assert [c["body"] for c in body["items"]] == ["Good idea", None]
    assert body["items"][0]["stance"] == "for"
    assert [r["body"] for r in body["items"][0]["replies"]] == ["Indeed"]
    assert body["items"][1]["hidden_reason"] == "abuse"
    assert "NASTY WORDS" not in response.content.decode()


def test_actions_their_progress_reports_and_the_plan(api_get, world):
    process = world["public"]
    topic = TopicFactory()
    done = ActionFactory(process=process, title="Paint", status="done", progress=100, topic=topic)
    ActionFactory(process=process, title="Plant", status="in_progress", progress=40)
    ActionFactory(process=process, title="Pave", status="dropped", progress=0)
    IdeaFactory(process=process, title="Colour the walls", action=done)
    ProgressUpdate.objects.create(
        action=done, text="All walls painted", progress=100, status="done"
    )
    listed = api_get("/processes/open-budget/actions").json()["items"]
    assert [a["title"] for a in listed] == ["Paint", "Plant", "Pave"]
    assert api_get("/processes/open-budget/actions?status=done").json()["items"][0]["id"] == done.pk
    by_topic = api_get(f"/processes/open-budget/actions?topic={topic.pk}").json()["items"]
    assert [a["title"] for a in by_topic] == ["Paint"]
    detail = api_get(f"/processes/open-budget/actions/{done.pk}").json()
    assert detail["progress"] == 100
    assert detail["updates"][0]["text"] == "All walls painted"
    assert detail["source_ideas"][0]["title"] == "Colour the walls"
    plan = api_get("/processes/open-budget/plan").json()
    assert plan["action_count"] == 3
    assert plan["progress"] == 70  # (100 + 40) / 2: the dropped action is not counted
    assert plan["by_status"] == {"done": 1, "in_progress": 1, "dropped": 1}


def _count(path: str, client: Client) -> int:
    client.get("/api/v1" + path)  # warm (content types, token's last use)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1" + path)
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.mark.parametrize("as_member", [False, True])
def test_lists_and_details_take_a_constant_number_of_queries(world, token_for, as_member):
    process = world["public"]
    headers = {"Authorization": f"Bearer {token_for(world['member'])}"} if as_member else {}
    client = Client(headers=headers)
    topic, place = TopicFactory(), TerritoryFactory()

    def rows(n: int) -> None:
        for _ in range(n):
            idea = IdeaFactory(
                process=process, topic=topic, territory=place, on_behalf_of=OrganisationFactory()
            )
            _comment(idea, body="A")
            first = _comment(process.ideas.order_by("id").first(), body="B")
            _comment(process.ideas.order_by("id").first(), body="C", parent=first)
            action = ActionFactory(process=process, topic=topic)
            action.partners.add(OrganisationFactory())
            IdeaFactory(process=process, action=action)
            first_action = process.actions.order_by("id").first()
            ProgressUpdate.objects.create(
                action=first_action, text="On", progress=10, status="in_progress",
                author=UserFactory(),
            )  # fmt: skip
            first_action.partners.add(OrganisationFactory())
            IdeaFactory(process=process, action=first_action)
            _comment(first_action, body="D")
            Phase.objects.create(
                process=process, kind="refine", starts_on=datetime.date(2020, 1, 1),
                ends_on=datetime.date(2020, 2, 1),
            )  # fmt: skip
            ProcessFactory(space=process.space)

    paths = [
        "/processes",
        "/processes/open-budget/ideas",
        "/processes/open-budget/ideas?sort=supported",
        "/processes/open-budget/ideas?sort=random&seed=3",
        f"/processes/open-budget/ideas?topic={topic.pk}&territory={place.code}",
        "/processes/open-budget/actions",
        "/processes/open-budget/plan",
        "/processes/open-budget",
    ]
    rows(3)
    first_idea = process.ideas.order_by("id").first()
    first_action = process.actions.order_by("id").first()
    paths += [
        f"/processes/open-budget/ideas/{first_idea.pk}",
        f"/processes/open-budget/ideas/{first_idea.pk}/comments",
        f"/processes/open-budget/actions/{first_action.pk}",
        f"/processes/open-budget/actions/{first_action.pk}/comments",
    ]
    few = [_count(p, client) for p in paths]
    rows(27)
    many = [_count(p, client) for p in paths]
    assert few == many


def test_joining_a_members_only_space_changes_the_answer_and_its_etag(api_get, world, token_for):
    newcomer = UserFactory()
    secret = token_for(newcomer)
    before = api_get("/processes", token=secret)
    assert [p["slug"] for p in before.json()["items"]] == ["open-budget"]
    SpaceMembershipFactory(space=world["closed"].space, user=newcomer)
    after = api_get("/processes", token=secret, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert {p["slug"] for p in after.json()["items"]} == {"open-budget", "inner-circle"}


def test_answers_carry_an_etag_and_304_until_something_changes(api_get, world):
    first = api_get("/processes/open-budget/ideas")
    tag = first["ETag"]
    assert tag
    assert api_get("/processes/open-budget/ideas", HTTP_IF_NONE_MATCH=tag).status_code == 304
    IdeaFactory(process=world["public"])
    assert api_get("/processes/open-budget/ideas", HTTP_IF_NONE_MATCH=tag).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/processes?cursor=garbage",
        "/processes?limit=0",
        "/processes?limit=99999999999999999999999",
        "/processes?space=" + "x" * 500,
        "/processes?place=%27%22%3Cscript%3E",
        "/processes/open-budget/ideas?sort=loudest",
        "/processes/open-budget/ideas?sort=random",
        "/processes/open-budget/ideas?sort=random&seed=0",
        "/processes/open-budget/ideas?topic=abc",
        "/processes/open-budget/ideas?topic=99999999999999999999999999",
        "/processes/open-budget/ideas?topic=999999",
        "/processes/open-budget/ideas?territory=NOWHERE",
        "/processes/open-budget/ideas?answer=maybe",
        "/processes/open-budget/ideas?merged=perhaps",
        "/processes/open-budget/ideas?cursor=W10",
        "/processes/open-budget/ideas/99999999999999999999999999",
        "/processes/open-budget/ideas/0",
        "/processes/open-budget/ideas/9223372036854775807",
        "/processes/open-budget/ideas/-1/comments",
        "/processes/open-budget/actions?status=finished",
        "/processes/open-budget/actions/99999999999999999999999999",
        "/processes/open-budget/actions/12345",
        "/processes/%27%3B--",
        "/processes/" + "a" * 300,
        "/processes/no-such-process/plan",
    ],
)
def test_bad_input_is_a_4xx_problem_never_a_500(api_get, world, path):
    response = api_get(path)
    assert 400 <= response.status_code < 500, (path, response.status_code)
    assert response["Content-Type"] == "application/problem+json"


def test_texts_come_in_the_caller_s_language_with_their_own_etag(api_get, world):
    process = world["public"]
    process.original_language = "en"
    process.translations = {"fr": {"title": "Budget participatif"}}
    process.save()
    french = api_get("/processes/open-budget", HTTP_ACCEPT_LANGUAGE="fr")
    english = api_get("/processes/open-budget", HTTP_ACCEPT_LANGUAGE="en")
    assert french.json()["title"] == "Budget participatif"
    assert english.json()["title"] == "Open budget"
    assert french.json()["original_language"] == "en"
    assert french["ETag"] != english["ETag"]
