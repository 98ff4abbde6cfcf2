"""Events, series, tracks and sessions through the API: what the pages show each viewer
(members-only spaces' events and drafts 404 and absent), times in UTC with their zone, the
meeting link only for confirmed registrants and organisers (as the event page), the caller's
registrations (401 without a token), filters, cursors, constant queries, ETags, bad input."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cocity.events import services
from cocity.events.models import Event, Series, Session, Track
from cocity.network.models import Role, Space
from tests.factories import city_with_neighbourhoods, event_with_session

pytestmark = pytest.mark.django_db
SECRET = "secret-room"


@pytest.fixture
def closed(space_factory):
    return space_factory(
        slug="closed", visibility=Space.Visibility.MEMBERS, join_policy=Space.JoinPolicy.INVITATION
    )


@pytest.fixture
def people(closed, user_factory, space_membership_factory, token_for):
    member = user_factory()
    space_membership_factory(space=closed, user=member, role=Role.MEMBER)
    editor = user_factory()
    space_membership_factory(space=closed, user=editor, role=Role.EDITOR)
    return {
        "visitor": (None, None),
        "non-member": (token_for(stranger := user_factory()), stranger),
        "member": (token_for(member), member),
        "organiser": (token_for(editor), editor),
    }


SEES_EVENT = {"visitor": False, "non-member": False, "member": True, "organiser": True}
SEES_DRAFT = {"visitor": False, "non-member": False, "member": False, "organiser": True}


@pytest.mark.parametrize("who", list(SEES_EVENT))
def test_members_only_events_and_drafts_are_seen_as_on_their_pages(who, api_get, closed, people):
    event_with_session(space=closed, slug="inside")
    event_with_session(space=closed, slug="draft", status=Event.Status.DRAFT)
    event_with_session(slug="outside")
    token, _person = people[who]
    listed = {e["slug"] for e in api_get("/events", token=token).json()["items"]}
    assert "outside" in listed
    assert ("inside" in listed) is SEES_EVENT[who]
    assert ("draft" in listed) is SEES_DRAFT[who]
    assert api_get("/events/inside", token=token).status_code == (200 if SEES_EVENT[who] else 404)
    assert api_get("/events/draft", token=token).status_code == (200 if SEES_DRAFT[who] else 404)
    # A members-only space named as a filter is a space that does not exist.
    filtered = api_get("/events?space=closed", token=token)
    assert filtered.status_code == (200 if SEES_EVENT[who] else 404)


def test_the_meeting_link_only_for_confirmed_registrants_and_organisers(
    api_get, people, user_factory, token_for, client
):
    event, track = event_with_session(slug="talk", capacity=1)
    first, second = user_factory(), user_factory()
    services.registration_create(track=track, user=first)
    waiting = services.registration_create(track=track, user=second)
    assert waiting.status == "waitlisted"
    organiser = user_factory()
    from cocity.network.models import SpaceMembership

    SpaceMembership.objects.create(space=event.space, user=organiser, role=Role.EDITOR)

    def link(token: str | None) -> str | None:
        response = api_get("/events/talk", token=token)
        assert response.status_code == 200
        assert SECRET not in response.content.decode() or response.json()["online_url"]
        return response.json()["online_url"]

    assert link(None) is None
    assert link(token_for(user_factory())) is None
    assert link(token_for(second)) is None  # on the wait list
    assert link(token_for(first)) == event.online_url
    assert link(token_for(organiser)) == event.online_url
    # The page decides the same for a visitor.
    assert SECRET not in client.get("/events/talk/").content.decode()
    body = api_get("/events/talk", token=token_for(second)).json()
    assert body["registration"]["status"] == "waitlisted" and body["tracks"][0]["full"]
    assert body["can_register"] is False


def test_times_are_utc_with_their_zone(api_get):
    start = datetime(2031, 3, 30, 13, 0, tzinfo=UTC)  # the day after Europe/Paris moves to summer
    event, _track = event_with_session(slug="spring", start=start, time_zone="Europe/Paris")
    event.extra_zones = ["America/Sao_Paulo"]
    event.save()
    body = api_get("/events/spring").json()
    assert body["time_zone"] == "Europe/Paris" and body["extra_zones"] == ["America/Sao_Paulo"]
    assert body["starts_at"].replace("Z", "+00:00") == "2031-03-30T13:00:00+00:00"
    session = body["tracks"][0]["sessions"][0]
    assert session["start"].replace("Z", "+00:00") == "2031-03-30T13:00:00+00:00"
    assert session["end"].replace("Z", "+00:00") == "2031-03-30T15:00:00+00:00"
    assert session["time_zone"] == "Europe/Paris"
    assert body["tracks"][0]["open"] is True and body["tracks"][0]["places_left"] is None


def test_the_list_filters_as_the_page_does(api_get, space_factory, topic_factory):
    _country, city, _district, hoods = city_with_neighbourhoods()
    now = timezone.now()
    lab = space_factory(slug="lab")
    sub = space_factory(slug="sub", parent=lab)
    water = topic_factory(slug="water")
    series = Series.objects.create(space=lab, name="Cycle", slug="cycle")
    soon, _ = event_with_session(slug="soon", space=lab, start=now + timedelta(days=1))
    soon.topics.add(water)
    Event.objects.filter(pk=soon.pk).update(
        series=series, kind="workshop", format="in_person", languages=["fr"], territory=hoods[0]
    )
    event_with_session(slug="later", space=sub, start=now + timedelta(days=5), title="Bike repair")
    event_with_session(slug="before", start=now - timedelta(days=5))
    event_with_session(slug="long-ago", start=now - timedelta(days=50))

    def slugs(query: str) -> list[str]:
        response = api_get("/events" + query)
        assert response.status_code == 200, response.content
        return [e["slug"] for e in response.json()["items"]]

    assert slugs("") == ["soon", "later"]
    assert slugs("?when=past") == ["before", "long-ago"]
    assert set(slugs("?when=all")) == {"soon", "later", "before", "long-ago"}
    assert slugs("?space=lab") == ["soon", "later"]  # with its sub-spaces
    assert slugs("?space=sub") == ["later"]
    assert slugs("?series=cycle") == ["soon"]
    assert slugs("?topic=water") == ["soon"]
    assert slugs("?kind=workshop") == ["soon"]
    assert slugs("?format=in_person") == ["soon"]
    assert slugs("?language=fr") == ["soon"]
    assert slugs(f"?city={city.code}") == ["soon"]
    assert slugs(f"?place={hoods[0].code}") == ["soon"]
    assert slugs("?q=bike") == ["later"]
    day = (now + timedelta(days=3)).date().isoformat()
    assert slugs(f"?date_from={day}") == ["later"]
    assert slugs(f"?date_to={day}") == ["soon"]
    assert slugs("?date_from=0001-01-01&date_to=9999-12-31") == ["soon", "later"]
    for unknown in ("?series=nope", "?topic=nope", "?city=NOPE", "?space=nope", "?place=NOPE"):
        assert api_get("/events" + unknown).status_code == 404, unknown
    assert api_get("/events?language=xx").status_code == 422


def test_events_page_through_with_cursors_in_both_directions(api_get):
    now = timezone.now()
    for n in range(5):
        event_with_session(slug=f"up-{n}", start=now + timedelta(days=n + 1))
        event_with_session(slug=f"down-{n}", start=now - timedelta(days=n + 1))
    for when, expected in (
        ("upcoming", [f"up-{n}" for n in range(5)]),
        ("past", [f"down-{n}" for n in range(5)]),
    ):
        seen, cursor = [], None
        while True:
            address = f"/events?when={when}&limit=2" + (f"&cursor={cursor}" if cursor else "")
            body = api_get(address).json()
            seen += [e["slug"] for e in body["items"]]
            cursor = body["next"]
            if cursor is None:
                break
        assert seen == expected


def test_series_seen_as_on_their_pages(api_get, closed, people, space_factory):
    lab = space_factory(slug="lab")
    top = Series.objects.create(space=lab, name="Academy", slug="academy")
    Series.objects.create(space=lab, name="Module 1", slug="module-1", parent=top)
    Series.objects.create(space=closed, name="Inner circle", slug="inner")
    assert [s["slug"] for s in api_get("/series").json()["items"]] == ["academy", "module-1"]
    assert api_get("/series/inner").status_code == 404
    member_token = people["member"][0]
    assert api_get("/series/inner", token=member_token).status_code == 200
    body = api_get("/series/academy").json()
    assert [c["slug"] for c in body["children"]] == ["module-1"]
    assert api_get("/series/module-1").json()["parent"] == "academy"
    assert [s["slug"] for s in api_get("/series?parent=academy").json()["items"]] == ["module-1"]
    assert [s["slug"] for s in api_get("/series?space=lab").json()["items"]] == [
        "academy",
        "module-1",
    ]
    assert api_get("/series?space=closed").json()["items"] == []
    assert api_get("/events?series=inner").status_code == 404


def test_my_registrations_need_a_token(api_get, user_factory, token_for, closed, people):
    assert api_get("/me/registrations").status_code == 401
    person = user_factory()
    _talk, track = event_with_session(slug="talk", capacity=1)
    services.registration_create(track=track, user=user_factory())
    services.registration_create(track=track, user=person)  # wait list
    _other, other_track = event_with_session(slug="other")
    services.registration_create(track=other_track, user=person)
    _gone, gone_track = event_with_session(slug="gone")
    cancelled = services.registration_create(track=gone_track, user=person)
    services.registration_cancel(registration=cancelled)
    body = api_get("/me/registrations", token=token_for(person)).json()
    rows = {r["event"]["slug"]: r for r in body["items"]}
    assert set(rows) == {"talk", "other"}
    assert rows["talk"]["status"] == "waitlisted" and rows["talk"]["online_url"] is None
    assert rows["other"]["status"] == "confirmed" and rows["other"]["online_url"] == SECRET.join(
        ["https://zoom.example.org/j/", ""]
    )
    assert rows["other"]["track_id"] == other_track.pk and rows["other"]["track_name"] == "Main"
    # A members-only space's event drops out when its person loses sight of it.
    member_token, member = people["member"]
    _inside, inside_track = event_with_session(slug="inside", space=closed)
    services.registration_create(track=inside_track, user=member)
    mine = api_get("/me/registrations", token=member_token).json()["items"]
    assert [r["event"]["slug"] for r in mine] == ["inside"]
    from cocity.network.models import SpaceMembership

    SpaceMembership.objects.filter(space=closed, user=member).delete()
    assert api_get("/me/registrations", token=member_token).json()["items"] == []


@pytest.mark.parametrize(
    ("address", "signed_in"),
    [
        ("/api/v1/events", False),
        ("/api/v1/events?space=lab&when=all", True),
        ("/api/v1/events?topic=t&series=s-0&language=en", True),
        ("/api/v1/series", False),
        ("/api/v1/me/registrations", True),
    ],
)
def test_lists_make_the_same_number_of_queries_whatever_their_length(
    address,
    signed_in,
    assert_query_budget,
    space_factory,
    topic_factory,
    organisation_factory,
    user_factory,
    token_for,
):
    # Each list measured on its own, with fewer rows than a page (3, then 30).
    lab = space_factory(slug="lab")
    topic = topic_factory(slug="t")
    person = user_factory()
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token_for(person)}") if signed_in else None
    top = Series.objects.create(space=lab, name="S", slug="s-0")

    def make(n: int) -> None:
        for _ in range(n):
            number = Series.objects.count()
            series = Series.objects.create(space=lab, name="S", slug=f"s-{number}", parent=top)
            event, track = event_with_session(space=lab, series=series, languages=["en"])
            event.topics.add(topic, topic_factory())
            event.organisations.add(organisation_factory())
            services.registration_create(track=track, user=person)

    assert_query_budget(address, make, n=3, client_=client)


def test_an_event_page_makes_the_same_number_of_queries_whatever_its_size(
    api_get, settings, user_factory, token_for
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.COCITY_PAGE_CACHE = False
    event, _track = event_with_session(slug="big")
    token = token_for(user_factory())
    counts = []
    for _round in range(2):
        api_get("/events/big", token=token)
        with CaptureQueriesContext(connection) as queries:
            assert api_get("/events/big", token=token).status_code == 200
        counts.append(len(queries))
        for n in range(10):
            extra = Track.objects.create(event=event, name=f"Track {n}")
            start = timezone.now() + timedelta(days=20 + n)
            Session.objects.create(track=extra, start=start, end=start + timedelta(hours=1))
    assert counts[0] == counts[1]


def test_answers_carry_an_etag_and_304_when_unchanged(api_get, user_factory, token_for):
    _event, track = event_with_session(slug="talk")
    person = user_factory()
    token = token_for(person)
    for address, tok in (
        ("/events", None),
        ("/events/talk", None),
        ("/series", None),
        ("/me/registrations", token),
    ):
        first = api_get(address, token=tok)
        assert first.status_code == 200 and first["ETag"]
        assert api_get(address, token=tok, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    tag = api_get("/me/registrations", token=token)["ETag"]
    detail_tag = api_get("/events/talk", token=token)["ETag"]
    services.registration_create(track=track, user=person)
    assert api_get("/me/registrations", token=token, HTTP_IF_NONE_MATCH=tag).status_code == 200
    # The event's answer to this person changes too (their registration, the meeting link).
    changed = api_get("/events/talk", token=token, HTTP_IF_NONE_MATCH=detail_tag)
    assert changed.status_code == 200 and changed.json()["online_url"]


@pytest.mark.parametrize(
    "address",
    [
        "/events?when=tomorrow",
        "/events?limit=0",
        "/events?limit=100000000000000000000000",
        "/events?cursor=garbage",
        "/events?date_from=2024-02-30",
        "/events?date_from=99999-01-01",
        "/events?date_to=-1",
        "/events?date_to=0",  # pydantic's lax mode would read a Unix time
        "/events?date_from=1700000000",
        "/events?kind=party",
        "/events?format=telepathy",
        "/events?language=" + "x" * 50,
        "/events?space=%3Cscript%3E",
        "/events?series=..%2F",
        "/events?place=" + "A" * 40,
        "/events/" + "x" * 300,
        "/series?cursor=W10",
        "/series?parent=%27--",
        "/series/nope",
        "/me/registrations?cursor=garbage",
    ],
)
def test_bad_input_is_a_4xx_never_a_500(api_get, address, user_factory, token_for):
    for token in (None, token_for(user_factory())):
        response = api_get(address, token=token)
        assert 400 <= response.status_code < 500, (address, response.status_code)
        assert response["Content-Type"] == "application/problem+json"


def test_a_cursor_of_one_list_order_given_to_another_is_refused_or_harmless(api_get):
    now = timezone.now()
    for n in range(3):
        event_with_session(slug=f"e{n}", start=now + timedelta(days=n + 1))
    cursor = api_get("/events?limit=1").json()["next"]
    response = api_get(f"/events?when=all&limit=1&cursor={cursor}")
    assert response.status_code in (200, 400)


def test_the_permission_matrix_is_the_pages_own(
    client, closed, space_factory, user_factory, space_membership_factory, token_for
):
    """Every viewer, every kind of event and series: the API answers 404 exactly where the page
    does, and gives the meeting link exactly where the page shows it."""
    from django.test import Client as PageClient

    lab = space_factory(slug="lab")
    confirmed, waiting, member, editor, stranger = (user_factory() for _ in range(5))
    space_membership_factory(space=closed, user=member, role=Role.MEMBER)
    space_membership_factory(space=closed, user=editor, role=Role.EDITOR)
    space_membership_factory(space=closed, user=confirmed, role=Role.MEMBER)
    space_membership_factory(space=closed, user=waiting, role=Role.MEMBER)
    events = {
        "public": event_with_session(space=lab, slug="public", capacity=1),
        "draft": event_with_session(space=lab, slug="draft", status=Event.Status.DRAFT),
        "inside": event_with_session(space=closed, slug="inside", capacity=1),
        "inside-draft": event_with_session(
            space=closed, slug="inside-draft", status=Event.Status.DRAFT
        ),
        "cancelled": event_with_session(space=lab, slug="cancelled", status="cancelled"),
    }
    for name in ("public", "inside"):
        _event, track = events[name]
        services.registration_create(track=track, user=confirmed)
        services.registration_create(track=track, user=waiting)
    Series.objects.create(space=lab, name="Open series", slug="open-series")
    Series.objects.create(space=closed, name="Closed series", slug="closed-series")
    viewers = {"visitor": None, "stranger": stranger, "member": member, "organiser": editor,
               "confirmed": confirmed, "waiting": waiting}  # fmt: skip
    for who, person in viewers.items():
        page = PageClient()
        api = Client()
        if person is not None:
            page.force_login(person)
            api = Client(HTTP_AUTHORIZATION=f"Bearer {token_for(person)}")
        for slug in events:
            shown = page.get(f"/events/{slug}/")
            answered = api.get(f"/api/v1/events/{slug}")
            assert shown.status_code == answered.status_code, (who, slug)
            if answered.status_code == 200:
                link = answered.json()["online_url"]
                assert (SECRET in shown.content.decode()) is (link is not None), (who, slug)
        for slug in ("open-series", "closed-series"):
            shown = page.get(f"/events/series/{slug}/")
            assert shown.status_code == api.get(f"/api/v1/series/{slug}").status_code, (who, slug)
        listed = {e["slug"] for e in api.get("/api/v1/events").json()["items"]}
        on_page = page.get("/events/").content.decode()
        for slug in events:
            assert (slug in listed) is (f'href="/events/{slug}/"' in on_page), (who, slug)
