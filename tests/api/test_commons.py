"""The commons' API: the registries of commons and pacts and the calls as their pages show them
(drafts and withdrawn pacts never listed, and 404 but to their parties and officers), a pact's
dated history of states, constant queries, ETags, and 4xx for bad input."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cocity.commons.models import CallForCare, Commitment, PactHistoryEntry, PactParty
from cocity.network.models import Role
from tests.factories import (
    CommonsFactory,
    OrganisationMembershipFactory,
    PactFactory,
    TerritoryFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def garden():  # type: ignore[no-untyped-def]
    italy = TerritoryFactory(code="IT", name="Italy", kind="country")
    place = TerritoryFactory(code="IT-BO", name="Bologna", kind="city", parent=italy)
    return CommonsFactory(slug="rose-garden", name="Rose garden", territory=place)


def test_the_registry_lists_public_pacts_never_drafts_or_withdrawn(api_get, garden, token_for):
    author = UserFactory()
    PactFactory(commons=garden, title="Running", state="active")
    PactFactory(commons=garden, title="Draft", state="draft", created_by=author)
    PactFactory(commons=garden, title="Gone", state="withdrawn", created_by=author)
    assert [p["title"] for p in api_get("/pacts").json()["items"]] == ["Running"]
    # Not even to their author: the registry is public (their own pacts are on "My pacts").
    mine = api_get("/pacts", token=token_for(author)).json()["items"]
    assert [p["title"] for p in mine] == ["Running"]
    assert [p["title"] for p in api_get("/commons/rose-garden/pacts").json()["items"]] == [
        "Running"
    ]


def test_a_draft_pact_is_found_only_by_its_author_and_the_officers(
    api_get, client, garden, token_for
):
    author = UserFactory()
    officer = OrganisationMembershipFactory(organisation=garden.organisation, role=Role.EDITOR).user
    draft = PactFactory(commons=garden, state="draft", created_by=author)
    path = f"/pacts/{draft.pk}"
    assert api_get(path).status_code == 404
    assert api_get(path, token=token_for(UserFactory())).status_code == 404
    assert api_get(path, token=token_for(author)).status_code == 200
    assert api_get(path, token=token_for(officer)).status_code == 200
    # The page agrees.
    assert client.get(f"/commons/pacts/{draft.pk}/").status_code == 404
    client.force_login(author)
    assert client.get(f"/commons/pacts/{draft.pk}/").status_code == 200


def _comment(pact, **fields):  # type: ignore[no-untyped-def]
    from django.contrib.contenttypes.models import ContentType

    from cocity.participation.models import Comment

    return Comment.objects.create(
        content_type=ContentType.objects.get_for_model(type(pact)),
        object_id=pact.pk,
        author=fields.pop("author", None) or UserFactory(),
        **fields,
    )


def test_a_pact_s_comments_hidden_ones_keep_only_their_reason(api_get, garden, token_for):
    from django.utils import timezone

    pact = PactFactory(commons=garden, state="public_window")
    first = _comment(pact, body="Count me in", stance="for")
    _comment(pact, body="Me too", parent=first)
    _comment(pact, body="RUDE REMARK", hidden_at=timezone.now(), hidden_reason="abuse")
    response = api_get(f"/pacts/{pact.pk}/comments")
    body = response.json()
    assert [c["body"] for c in body["items"]] == ["Count me in", None]
    assert [r["body"] for r in body["items"][0]["replies"]] == ["Me too"]
    assert body["items"][1]["hidden_reason"] == "abuse"
    assert "RUDE REMARK" not in response.content.decode()
    author = UserFactory()
    draft = PactFactory(commons=garden, state="draft", created_by=author)
    _comment(draft, body="Early note")
    assert api_get(f"/pacts/{draft.pk}/comments").status_code == 404
    assert api_get(f"/pacts/{draft.pk}/comments", token=token_for(UserFactory())).status_code == 404
    mine = api_get(f"/pacts/{draft.pk}/comments", token=token_for(author))
    assert [c["body"] for c in mine.json()["items"]] == ["Early note"]


def test_a_pact_shows_its_parties_commitments_and_dated_history(api_get, garden):
    person = UserFactory(display_name="Ada Lovelace")
    pact = PactFactory(commons=garden, title="Care of the roses", state="active")
    party = PactParty.objects.create(pact=pact, role="proponent", person=person)
    Commitment.objects.create(pact=pact, party=party, category="time", description="Water")
    day = datetime.datetime(2025, 3, 1, 10, tzinfo=datetime.UTC)
    PactHistoryEntry.objects.create(
        pact=pact, action="submit", from_state="draft", to_state="submitted", actor=person,
        created_at=day,
    )  # fmt: skip
    PactHistoryEntry.objects.create(
        pact=pact, action="approve", from_state="submitted", to_state="approved",
        reason="Meets the rules", created_at=day + datetime.timedelta(days=9),
    )  # fmt: skip
    body = api_get(f"/pacts/{pact.pk}").json()
    assert body["title"] == "Care of the roses"
    assert body["commons"]["slug"] == "rose-garden"
    assert body["commons"]["place"]["code"] == "IT-BO"
    assert body["parties"][0]["name"] == "Ada Lovelace"
    assert body["parties"][0]["commitments"] == [{"category": "time", "description": "Water"}]
    assert [(e["from_state"], e["to_state"]) for e in body["history"]] == [
        ("draft", "submitted"),
        ("submitted", "approved"),
    ]
    assert body["history"][0]["by"] == "Ada Lovelace"
    assert body["history"][1]["reason"] == "Meets the rules"
    assert body["history"][0]["created_at"].startswith("2025-03-01T10:00:00")
    assert "@" not in str(body)  # no e-mail address, ever


def test_registry_filters_mirror_the_page(api_get, garden):
    topic = TopicFactory(slug="greenery")
    garden.topics.add(topic)
    other = CommonsFactory(kind="building", territory=TerritoryFactory(code="IT-MI"))
    PactFactory(commons=garden, title="Roses", state="active", kind="complex")
    PactFactory(commons=other, title="Roof", state="signed")

    def titles(query):  # type: ignore[no-untyped-def]
        response = api_get("/pacts?" + query)
        assert response.status_code == 200, response.content
        return {p["title"] for p in response.json()["items"]}

    assert titles("state=signed") == {"Roof"}
    assert titles("kind=complex") == {"Roses"}
    assert titles("commons_kind=building") == {"Roof"}
    assert titles("territory=IT-BO") == {"Roses"}
    assert titles("topic=greenery") == {"Roses"}
    assert titles(f"organisation={garden.organisation.slug}") == {"Roses"}
    assert titles("year=1999") == set()
    commons = api_get("/commons?commons_kind=building").json()["items"]
    assert [c["slug"] for c in commons] == [other.slug]
    listed = api_get("/commons?territory=IT-BO").json()["items"]
    assert [(c["slug"], c["pact_count"]) for c in listed] == [("rose-garden", 1)]


def test_commons_and_calls_in_detail(api_get, garden):
    today = datetime.date.today()
    call = CallForCare.objects.create(
        organisation=garden.organisation,
        title="Spring call",
        slug="spring",
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30),
    )
    call.commons.add(garden)
    body = api_get("/commons/rose-garden").json()
    assert body["name"] == "Rose garden"
    assert body["calls"][0]["slug"] == "spring"
    assert body["organisation"]["slug"] == garden.organisation.slug
    calls = api_get("/calls").json()["items"]
    assert [(c["slug"], c["open"], c["commons_count"]) for c in calls] == [("spring", True, 1)]
    detail = api_get("/calls/spring").json()
    assert [c["slug"] for c in detail["commons"]] == ["rose-garden"]
    assert api_get("/calls/nope").status_code == 404
    assert api_get("/commons/nope").status_code == 404


def _count(path: str, client: Client) -> int:
    client.get("/api/v1" + path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1" + path)
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.mark.parametrize("signed_in", [False, True])
def test_lists_and_details_take_a_constant_number_of_queries(garden, token_for, signed_in):
    headers = {"Authorization": f"Bearer {token_for(UserFactory())}"} if signed_in else {}
    client = Client(headers=headers)
    pact = PactFactory(commons=garden)
    call = CallForCare.objects.create(
        organisation=garden.organisation,
        title="Call",
        slug="call",
        opens_on=datetime.date(2025, 1, 1),
        closes_on=datetime.date(2025, 2, 1),
    )

    def rows(n: int) -> None:
        for _ in range(n):
            commons = CommonsFactory(territory=TerritoryFactory())
            PactFactory(commons=commons)
            PactFactory(commons=garden)
            call.commons.add(commons)
            party = PactParty.objects.create(pact=pact, role="cosigner", person=UserFactory())
            Commitment.objects.create(pact=pact, party=party, category="time", description="x")
            PactHistoryEntry.objects.create(
                pact=pact, action="x", to_state="active", actor=UserFactory()
            )
            first = _comment(pact, body="A")
            _comment(pact, body="B", parent=first)

    paths = [
        "/pacts",
        "/commons",
        "/commons/rose-garden/pacts",
        "/calls",
        "/calls/call",
        f"/pacts/{pact.pk}",
        f"/pacts/{pact.pk}/comments",
    ]
    rows(3)
    few = [_count(p, client) for p in paths]
    rows(27)
    many = [_count(p, client) for p in paths]
    assert few == many


def test_answers_carry_an_etag_and_304_until_something_changes(api_get, garden):
    pact = PactFactory(commons=garden)
    tag = api_get(f"/pacts/{pact.pk}")["ETag"]
    assert api_get(f"/pacts/{pact.pk}", HTTP_IF_NONE_MATCH=tag).status_code == 304
    PactHistoryEntry.objects.create(pact=pact, action="start", to_state="active")
    assert api_get(f"/pacts/{pact.pk}", HTTP_IF_NONE_MATCH=tag).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/pacts?cursor=garbage",
        "/pacts?state=sleeping",
        "/pacts?kind=weird",
        "/pacts?year=99999999999999999999",
        "/pacts?year=12",
        "/pacts?territory=NOWHERE",
        "/pacts?topic=no-such-topic",
        "/pacts?overdue=perhaps",
        "/pacts?space=no-such-space",
        "/pacts?organisation=" + "o" * 500,
        "/pacts?limit=-3",
        "/pacts/0",
        "/pacts/99999999999999999999999",
        "/pacts/9223372036854775807",
        "/pacts/abc",
        "/pacts/0/comments",
        "/pacts/99999999999999999999999/comments",
        "/pacts/123456/comments",
        "/commons?commons_kind=castle",
        "/commons?cursor=W10",
        "/commons/%27%3B--",
        "/commons/" + "c" * 300,
        "/commons/nope/pacts",
        "/calls?cursor=" + "x" * 3000,
    ],
)
def test_bad_input_is_a_4xx_problem_never_a_500(api_get, garden, path):
    response = api_get(path)
    assert 400 <= response.status_code < 500, (path, response.status_code)
    assert response["Content-Type"] == "application/problem+json"
