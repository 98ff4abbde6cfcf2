"""The hostile-input corpus on every surface besides the pages: each value is stored through the
real services (as a form keeps it) and read back in search results and their extracts, Atom
feeds, iCalendar files, CSV and JSON downloads and e-mails, with the checks of
``cocity.core.testing.surfaces``. One scene per app and payload reads every surface it reaches.

The last tests fail when a surface is added without being fed the corpus: an endpoint answering
CSV, iCalendar, Atom or JSON (or any endpoint of the API app), an e-mail template, a search
provider or a section of the personal data export that no registered surface covers.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cocity.accounts import exports
from cocity.api.services import token_create
from cocity.commons import services as commons_services
from cocity.commons.models import CallForCare
from cocity.core.testing.corpus import HOSTILE_INPUTS, executable_markup
from cocity.core.testing.surfaces import (
    MailText,
    Surface,
    assert_defused,
    assert_mail_shows,
    check_atom,
    check_ical,
    check_mail,
    check_search_page,
    csv_rows,
    ical_text,
    json_body,
    json_strings,
    machine_readable_endpoints,
    mail_templates,
    recording_renders,
    register_surface,
    registered_surfaces,
    squashed,
    storable,
)
from cocity.events import services as event_services
from cocity.events.models import Event, Registration
from cocity.network.models import Role, Territory
from cocity.participation import services as participation
from cocity.participation.models import Comment
from cocity.plans.models import Idea
from cocity.pledges.models import ProgressReport
from cocity.search.registry import providers
from tests.accounts.test_export import SECTIONS, _one_of_each
from tests.factories import (
    OrganisationMembershipFactory,
    SpaceMembershipFactory,
    TerritoryFactory,
    UserFactory,
)
from tests.security import corpus_worlds as worlds

pytestmark = pytest.mark.django_db

PAYLOADS = list(HOSTILE_INPUTS)

# Endpoints that answer JSON or files without any text a person wrote.
NOT_FED = {
    "healthz": "the health check answers a constant status",
    "api:openapi-json": "the API's schema, made from the code: no text a person wrote",
    "api_docs": "the API's documentation page, made from its schema: no text a person wrote",
}


def _surface(name: str, kind: str, **covers: tuple[str, ...]) -> Surface:
    return register_surface(Surface(name=name, kind=kind, **covers))


LIBRARY = _surface(
    "library", "atom",
    url_names=("library:feed_space", "library:feed_topic", "library:feed_kind"),
    templates=(
        "library/emails/published", "library/emails/returned", "library/emails/contact_received",
        "library/emails/contact_answered", "library/emails/contact_answered_copy",
    ),
    providers=("library.item",),
)  # fmt: skip
EVENTS = _surface(
    "events", "ical",
    url_names=(
        "events:event_ics", "events:series_ics", "events:space_ics", "events:my_calendar",
        "events:series_feed", "events:registrants_csv", "events:event_map",
    ),
    templates=tuple(
        f"events/emails/{name}"
        for name in (
            "confirmed", "waitlisted", "message", "changed", "reminder", "cancelled", "promoted",
            "access_ended",
        )
    ),
    providers=("events.event",),
)  # fmt: skip
PLANS = _surface(
    "plans", "csv",
    url_names=("plans:plan_csv",),
    templates=("participation/emails/notification", "participation/emails/digest"),
    providers=("plans.idea", "plans.action"),
)  # fmt: skip
COMMONS = _surface(
    "commons", "csv",
    url_names=("commons:export_csv", "commons:export_geojson", "commons:map_geojson"),
    templates=("commons/emails/decision", "commons/emails/reminder"),
    providers=("commons.commons", "commons.pact"),
)  # fmt: skip
PLEDGES = _surface(
    "pledges", "json",
    url_names=("pledges:campaign_export_csv", "pledges:campaign_export_json"),
    templates=("pledges/emails/report_due",),
)  # fmt: skip
INSIGHTS = _surface(
    "insights", "csv",
    url_names=(
        "insights:dataset_csv", "insights:dataset_geojson", "insights:city_areas",
        "network:territory_boundary",
    ),
)  # fmt: skip
NETWORK = _surface(
    "network", "mail",
    templates=(
        "network/emails/invitation", "network/emails/join_request_received",
        "network/emails/join_request_decided",
    ),
)  # fmt: skip
PERSONAL_EXPORT = _surface(
    "personal data export", "json", url_names=("accounts:export",), sections=tuple(SECTIONS)
)


# --- Reading ------------------------------------------------------------------------------------


class Reader:
    """A client that notes every URL name it reads, so that a scene reads all it registered."""

    def __init__(self, user: Any = None) -> None:
        self.client = Client(raise_request_exception=False)
        if user is not None:
            self.client.force_login(user)
        self.read: set[str] = set()

    def get(self, name: str, *args: Any, **query: str) -> Any:
        self.read.add(name)
        response = self.client.get(reverse(name, args=args), query)
        assert response.status_code == 200, f"{name}: {response.status_code}"
        return response

    def post(self, name: str, *args: Any) -> Any:
        self.read.add(name)
        response = self.client.post(reverse(name, args=args))
        assert response.status_code == 200, f"{name}: {response.status_code}"
        return response


def _read_all(surface: Surface, *readers: Reader) -> None:
    read = set().union(*(reader.read for reader in readers))
    assert set(surface.url_names) <= read, f"{surface.name}: not read: {surface.url_names}"


@pytest.fixture(autouse=True)
def _mail_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test's transaction never commits: run on-commit work (mail) at once."""
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The mail templates rendered during the test."""
    from cocity.core import mail as core_mail

    record: list[str] = []
    monkeypatch.setattr(
        core_mail, "render_plain_text", recording_renders(record, core_mail.render_plain_text)
    )
    return record


def _mails(surface: Surface, rendered: list[str], value: str) -> list[MailText]:
    """Every message sent passes ``check_mail`` and shows the value as written; the scene sent
    every mail its surface covers."""
    missing = set(surface.templates) - set(rendered)
    assert not missing, f"{surface.name}: these mails were not sent: {sorted(missing)}"
    texts = []
    for message in mail.outbox:
        text = check_mail(message)
        assert_mail_shows(text, value, f"mail {message.subject[:50]!r}")
        texts.append(text)
    return texts


def _search(value: str, titles: set[str], reader: Reader | None = None) -> None:
    """Searching the shared word finds the scene's documents, each titled as stored; searching
    one of the value's own words puts the highlights inside it: neither re-opens markup."""
    reader = reader or Reader()
    hits = check_search_page(reader.get("search:search", q=worlds.WORD).content.decode())
    assert {squashed(hit.title) for hit in hits} == {squashed(title) for title in titles}
    words = re.findall(r"\w+", value)[:4]
    found = [
        word
        for word in words
        if check_search_page(reader.get("search:search", q=word).content.decode())
    ]
    # PostgreSQL's parser indexes no word of what looks like a <script> or <style> element, nor
    # a word over 2,047 characters: there, some values cannot be found by their own words.
    if words and connection.vendor == "sqlite":
        assert found, f"none of {[word[:20] for word in words]} finds the value"


# --- Library: search, Atom feeds, mails ----------------------------------------------------------


@pytest.mark.parametrize("name", PAYLOADS)
def test_library(name: str, rendered: list[str]) -> None:
    value = storable(HOSTILE_INPUTS[name])
    scene = worlds.library_item(value, mails=True)
    worlds.library_contacts(value)
    _search(value, {scene.title})

    reader = Reader()
    for url_name, key in (
        ("library:feed_space", scene.space.slug),
        ("library:feed_topic", scene.topic.slug),
        ("library:feed_kind", "case_study"),
    ):
        _feed, entries = check_atom(reader.get(url_name, key).content)
        assert len(entries) == 1, url_name
        assert entries[0].texts["title"] == scene.title, url_name
        assert entries[0].texts["summary"] == scene.summary, url_name
    _read_all(LIBRARY, reader)
    _mails(LIBRARY, rendered, value)


# --- Events: iCalendar, the series feed, registrants CSV, mails ----------------------------------


@pytest.mark.parametrize("name", PAYLOADS)
def test_events(name: str, rendered: list[str]) -> None:
    value = storable(HOSTILE_INPUTS[name])
    scene = worlds.event_mails(value)
    event = scene.event
    event.refresh_from_db()

    public = Reader()
    # The space is members-only now (the end of access): read as its organiser.
    organiser = Reader(scene.organiser)
    for reader, url_name, key in (
        (organiser, "events:event_ics", event.slug),
        (organiser, "events:series_ics", scene.series.slug),
        (organiser, "events:space_ics", event.space.slug),
    ):
        # One VEVENT per session: one in each of the two tracks.
        for vevent in check_ical(reader.get(url_name, key).content, events=2):
            assert ical_text(vevent, "SUMMARY") == scene.title, url_name
            assert ical_text(vevent, "DESCRIPTION").startswith(scene.summary), url_name
            assert ical_text(vevent, "LOCATION").startswith("New "), url_name
    # The promoted person's own feed: the event with its online link.
    token = event_services.calendar_token_for(user=scene.waiting).token
    (vevent,) = check_ical(public.get("events:my_calendar", token).content, events=1)
    assert ical_text(vevent, "SUMMARY") == scene.title
    assert ical_text(vevent, "LOCATION").endswith(" / https://meet.example.org/room")

    # The events list's map: the event at its venue, its title as it came (a JSON string).
    Event.objects.filter(pk=event.pk).update(format="hybrid", latitude=44.5, longitude=11.3)
    points = json_body(organiser.get("events:event_map", when="all"))
    assert scene.title in set(json_strings(points))
    _search(value, {scene.title}, organiser)  # a member of the space, now members-only
    feed, entries = check_atom(organiser.get("events:series_feed", scene.series.slug).content)
    assert feed["title"] == scene.series.name and feed["subtitle"] == scene.series.summary
    assert [entry.texts["title"] for entry in entries] == [scene.title]
    assert entries[0].texts["summary"] == scene.summary

    rows = csv_rows(organiser.get("events:registrants_csv", event.slug))
    assert_defused(rows, event.questions.get().label, value[:1000])
    _read_all(EVENTS, public, organiser)

    texts = _mails(EVENTS, rendered, value)
    calendars = [calendar for text in texts for calendar in text.calendars]
    assert calendars, "the registration mails carry invite.ics"
    for vevents in calendars:
        assert [ical_text(v, "SUMMARY") for v in vevents] == [scene.title]  # the person's track


# --- Plans: search, the action plan CSV, notifications and digests -------------------------------


@pytest.mark.parametrize("name", PAYLOADS)
def test_plans(name: str, rendered: list[str]) -> None:
    value = storable(HOSTILE_INPUTS[name])
    scene = worlds.plan_scene(value)
    participation.digests_send()
    _search(value, {scene["idea"].title, scene["action"].title})

    reader = Reader()
    rows = csv_rows(reader.get("plans:plan_csv", scene["process"].slug))
    assert_defused(rows, scene["action"].title, scene["action"].deliverables)
    _read_all(PLANS, reader)
    _mails(PLANS, rendered, value)


# --- Commons: search, the pacts' CSV and GeoJSON, the map, mails ---------------------------------


@pytest.mark.parametrize("name", PAYLOADS)
def test_commons(name: str, rendered: list[str]) -> None:
    value = storable(HOSTILE_INPUTS[name])
    scene = worlds.commons_scene(value)
    worlds.commons_reminders(scene)
    pact, commons = scene["pact"], scene["commons"]
    _search(value, {pact.title, commons.name})

    reader = Reader()
    assert_defused(csv_rows(reader.get("commons:export_csv")), pact.title, commons.name)
    for url_name in ("commons:export_geojson", "commons:map_geojson"):
        strings = set(json_strings(json_body(reader.get(url_name))))
        assert pact.title in strings, url_name
    _read_all(COMMONS, reader)
    _mails(COMMONS, rendered, value)


# --- Pledges: the campaign's CSV and JSON, the report reminder -----------------------------------


@pytest.mark.parametrize("name", PAYLOADS)
def test_pledges(name: str, rendered: list[str]) -> None:
    value = storable(HOSTILE_INPUTS[name])
    pledge = worlds.pledge_scene(value)
    worlds.pledge_reminders(pledge)
    measure = pledge.measures.get()
    texts = (pledge.organisation.name, pledge.title, measure.description, measure.department)

    reader = Reader()
    slug = pledge.campaign.slug
    assert_defused(csv_rows(reader.get("pledges:campaign_export_csv", slug)), *texts)
    data = json_body(reader.get("pledges:campaign_export_json", slug))
    assert data["name"] == pledge.campaign.name
    strings = set(json_strings(data))
    for text in texts:
        assert text in strings, text[:60]
    _read_all(PLEDGES, reader)
    _mails(PLEDGES, rendered, value)


# --- Insights: a data set's units as CSV and GeoJSON ---------------------------------------------


@pytest.mark.parametrize("name", PAYLOADS)
def test_insights(name: str) -> None:
    value = storable(HOSTILE_INPUTS[name])
    dataset = worlds.dataset_scene(value)
    reader = Reader()
    rows = csv_rows(reader.get("insights:dataset_csv", dataset.pk))
    assert_defused(rows, value[:200])  # the neighbourhoods' names
    strings = set(json_strings(json_body(reader.get("insights:dataset_geojson", dataset.pk))))
    assert value[:200] in strings
    # the choropleth's areas for a zoom (map.js): the names as they came, as JSON strings
    areas = reader.get("insights:city_areas", dataset.city.code, dataset=str(dataset.pk), zoom="14")
    assert value[:200] in set(json_strings(json_body(areas)))
    # one place's outline for the place picker: its name as it came
    area = Territory.objects.filter(
        code__startswith=f"{dataset.city.code}-", kind=Territory.Kind.NEIGHBOURHOOD
    ).first()
    assert area is not None and area.name == value[:200]
    outline = json_body(reader.get("network:territory_boundary", id=str(area.pk)))
    assert outline["properties"]["name"] == area.name
    _read_all(INSIGHTS, reader)


# --- Network: invitations and requests to join ---------------------------------------------------


@pytest.mark.parametrize("name", PAYLOADS)
def test_network_mails(name: str, rendered: list[str]) -> None:
    value = storable(HOSTILE_INPUTS[name])
    worlds.network_mails(value)
    _mails(NETWORK, rendered, value)


# --- The personal data export --------------------------------------------------------------------


@pytest.mark.parametrize("name", PAYLOADS)
def test_personal_data_export(name: str) -> None:
    """Every section of the export (``SECTIONS`` of ``tests/accounts/test_export.py``, which
    fails for a section it does not know) holds the value exactly, in valid JSON."""
    tag = storable(HOSTILE_INPUTS[name], 100)
    person = UserFactory()
    city = TerritoryFactory(kind="city")
    _one_of_each(person, tag, city)
    reader = Reader(person)
    data = json_body(reader.post("accounts:export"))
    for section, words in SECTIONS.items():
        if "{tag}" not in words:
            continue
        expected = words.format(tag=tag)
        assert any(expected in text for text in json_strings(data[section])), section
        if escape(tag) != tag:
            assert not any(escape(tag) in text for text in json_strings(data[section]))
    _read_all(PERSONAL_EXPORT, reader)


# --- The API: every endpoint reads the scenes' values back as JSON, every write is fed them ------

API_EVENTS = _surface(
    "api events", "api",
    url_names=(
        "api:event_list", "api:event_detail", "api:series_list", "api:series_detail",
        "api:space_list", "api:space_detail", "api:me", "api:my_registrations", "api:register",
        "api:cancel", "api:space_follow", "open_data:index", "open_data:package",
        "open_data:file",
    ),
)  # fmt: skip
API_PLANS = _surface(
    "api plans", "api",
    url_names=(
        "api:process_list", "api:process_detail", "api:idea_list", "api:idea_detail",
        "api:action_list", "api:action_detail", "api:action_comments", "api:plan",
        "api:idea_post", "api:idea_support", "api:idea_comment", "api:idea_comments",
        "open_data:file",
    ),
)  # fmt: skip
API_COMMONS = _surface(
    "api commons", "api",
    url_names=(
        "api:commons_list", "api:commons_detail", "api:commons_pacts", "api:pact_list",
        "api:pact_detail", "api:pact_comments", "api:call_list", "api:call_detail",
    ),
)  # fmt: skip
API_PLEDGES = _surface(
    "api pledges", "api",
    url_names=(
        "api:frameworks", "api:framework", "api:principle", "api:campaigns", "api:campaign",
        "api:pledges", "api:pledge", "api:reports", "api:report_file", "api:organisation_list",
        "api:organisation_detail", "api:organisation_follow",
    ),
)  # fmt: skip
API_LIBRARY = _surface(
    "api library", "api",
    url_names=(
        "api:item_list", "api:item_detail", "api:topic_list", "api:topic_detail",
        "api:search_everything", "open_data:file",
    ),
)  # fmt: skip
API_INSIGHTS = _surface(
    "api insights", "api",
    url_names=(
        "api:cities", "api:city", "api:datasets", "api:dataset", "api:units",
        "api:equity_report", "api:place_list", "api:place_detail",
    ),
)  # fmt: skip
API_TOKENS = _surface("api token pages", "api", url_names=("api_tokens", "api_token_revoke"))


class ApiReader(Reader):
    """A client of the API: without a token (a visitor), or with one of ``user``'s."""

    def __init__(self, user: Any = None, scopes: tuple[str, ...] = ("read",)) -> None:
        super().__init__()
        self.headers: dict[str, str] = {}
        if user is not None:
            _token, secret = token_create(user=user, name="corpus", scopes=scopes)
            self.headers["Authorization"] = f"Bearer {secret}"

    def json(self, name: str, query: dict[str, str] | None = None, **kwargs: Any) -> set[str]:
        """Every string of a JSON answer (valid JSON, a 200)."""
        self.read.add(name)
        response = self.client.get(reverse(name, kwargs=kwargs), query or {}, headers=self.headers)
        assert response.status_code == 200, f"{name}: {response.status_code}"
        return set(json_strings(json_body(response)))

    def write(self, name: str, body: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        """A POST: a 2xx with JSON, or a 4xx problem+json; never a server error. The answer's
        JSON, or None when refused."""
        self.read.add(name)
        response = self.client.post(
            reverse(name, kwargs=kwargs), data=json.dumps(body or {}),
            content_type="application/json", headers=self.headers,
        )  # fmt: skip
        assert response.status_code < 500, f"{name}: {response.status_code}"
        data = json.loads(response.content.decode("utf-8"))
        if response.status_code >= 400:
            assert response["Content-Type"].startswith("application/problem+json"), name
            return None
        assert "json" in response["Content-Type"], name
        return data


@pytest.fixture
def open_data(settings: Any, tmp_path: Any) -> None:
    settings.COCITY_OPEN_DATA_DIR = str(tmp_path / "open-data")


def _open_data(reader: Reader, space: Any, kind: str, *planted: str) -> None:
    """The space's open-data package: its CSV defused, its JSON the values as stored."""
    assert_defused(csv_rows(reader.get("open_data:file", "spaces", space.slug, f"{kind}.csv")),
                   *planted)  # fmt: skip
    data = json_body(reader.get("open_data:file", "spaces", space.slug, f"{kind}.json"))
    strings = set(json_strings(data))
    for text in planted:
        assert text in strings, f"{kind}.json: {text[:60]!r}"


def _page_inert(reader: Reader, name: str, *args: Any) -> str:
    html = reader.get(name, *args).content.decode()
    assert not executable_markup(html, settings.STATIC_URL), name
    return html


@pytest.mark.parametrize("name", PAYLOADS)
def test_api_events(name: str, open_data: None) -> None:
    payload = HOSTILE_INPUTS[name]
    value = storable(payload)
    scene = worlds.event_scene(value)
    event, space = scene.event, scene.event.space
    visitor = ApiReader()
    strings = visitor.json("api:event_list", {"space": space.slug})
    assert {scene.title, scene.summary} <= strings
    strings = visitor.json("api:event_detail", slug=event.slug)
    assert {scene.title, scene.summary, event.venue_name, scene.track.name} <= strings
    assert event.description in strings
    strings = visitor.json("api:series_list", {"space": space.slug})
    assert scene.series.name in strings
    strings = visitor.json("api:series_detail", slug=scene.series.slug)
    assert {scene.series.name, scene.series.summary} <= strings
    assert space.name in visitor.json("api:space_list")
    assert space.name in visitor.json("api:space_detail", slug=space.slug)

    confirmed = ApiReader(scene.confirmed)
    confirmed.json("api:me")
    assert scene.title in confirmed.json("api:my_registrations")

    # The writes: the value as a question's answer, then cancelling; following the space.
    person = UserFactory()
    writer = ApiReader(person, ("read", "write:events", "write:network"))
    question = event.questions.get()
    before = Registration.objects.filter(user=person).count()
    done = writer.write(
        "api:register", {"answers": {str(question.pk): payload}}, slug=event.slug,
        track_id=scene.track.pk,
    )  # fmt: skip
    if done is None:  # refused (too long, a NUL byte): nothing kept; cancel another one
        assert Registration.objects.filter(user=person).count() == before
        canceller = ApiReader(scene.confirmed, ("read", "write:events"))
        done = {"id": Registration.objects.get(event=event, user=scene.confirmed).pk}
    else:
        canceller = writer
    assert canceller.write("api:cancel", registration_id=done["id"]) is not None
    assert writer.write("api:space_follow", slug=space.slug) is not None

    # Open data: the space's package, its events as CSV (defused) and JSON (exact).
    _page_inert(visitor, "open_data:index")
    _page_inert(visitor, "open_data:package", "spaces", space.slug)
    _open_data(visitor, space, "events", scene.title)
    _read_all(API_EVENTS, visitor, confirmed, writer, canceller)


@pytest.mark.parametrize("name", PAYLOADS)
def test_api_plans(name: str, open_data: None) -> None:
    payload = HOSTILE_INPUTS[name]
    value = storable(payload)
    scene = worlds.plan_scene(value)
    process, idea, action = scene["process"], scene["idea"], scene["action"]
    comment = participation.comment_create(
        target=action, author=UserFactory(), body=value, counter=None
    )
    slug = process.slug
    visitor = ApiReader()
    assert process.title in visitor.json("api:process_list", {"space": process.space.slug})
    assert process.title in visitor.json("api:process_detail", slug=slug)
    assert idea.title in visitor.json("api:idea_list", slug=slug)
    assert {idea.title, idea.body} <= visitor.json("api:idea_detail", slug=slug, idea_id=idea.pk)
    assert action.title in visitor.json("api:action_list", slug=slug)
    strings = visitor.json("api:action_detail", slug=slug, action_id=action.pk)
    assert {action.title, action.description, action.deliverables} <= strings
    strings = visitor.json("api:action_comments", slug=slug, action_id=action.pk)
    assert comment.body in strings
    assert action.title in visitor.json("api:plan", slug=slug)

    # The writes: an idea and a comment whose texts are the payload, a support.
    person = UserFactory()
    SpaceMembershipFactory(space=process.space, user=person, role=Role.MEMBER)
    writer = ApiReader(person, ("read", "write:plans"))
    ideas = Idea.objects.count()
    posted = writer.write("api:idea_post", {"title": payload[:1000], "body": payload}, slug=slug)
    if posted is None:
        assert Idea.objects.count() == ideas
    else:
        stored = Idea.objects.get(pk=posted["id"])
        strings = writer.json("api:idea_detail", slug=slug, idea_id=stored.pk)
        assert {stored.title, stored.body} <= strings
    writer.write("api:idea_support", slug=slug, idea_id=idea.pk)
    said = writer.write("api:idea_comment", {"body": payload}, slug=slug, idea_id=idea.pk)
    strings = writer.json("api:idea_comments", slug=slug, idea_id=idea.pk)
    if said is not None:
        assert Comment.objects.get(pk=said["id"]).body in strings

    _open_data(visitor, process.space, "ideas", idea.title)
    _open_data(visitor, process.space, "actions", action.title, action.description)
    _read_all(API_PLANS, visitor, writer)


@pytest.mark.parametrize("name", PAYLOADS)
def test_api_commons(name: str) -> None:
    value = storable(HOSTILE_INPUTS[name])
    scene = worlds.commons_scene(value)
    w, commons, pact = scene["world"], scene["commons"], scene["pact"]
    today = timezone.localdate()
    call = commons_services.call_create(
        organisation=w.comune, title=worlds.fit(value, CallForCare, "title"),
        slug=f"call-{pact.pk}", opens_on=today, closes_on=today + timedelta(days=30),
        commons=[commons], actor=w.officer, description=value,
    )  # fmt: skip
    comment = commons_services.comment_add(pact=pact, author=w.resident, body=value)
    visitor = ApiReader()
    assert commons.name in visitor.json("api:commons_list")
    assert {commons.name, commons.description} <= visitor.json(
        "api:commons_detail", slug=commons.slug
    )
    assert pact.title in visitor.json("api:commons_pacts", slug=commons.slug)
    assert pact.title in visitor.json("api:pact_list")
    assert {pact.title, pact.objectives} <= visitor.json("api:pact_detail", pact_id=pact.pk)
    assert comment.body in visitor.json("api:pact_comments", pact_id=pact.pk)
    assert call.title in visitor.json("api:call_list")
    assert {call.title, call.description} <= visitor.json("api:call_detail", slug=call.slug)
    _read_all(API_COMMONS, visitor)


@pytest.mark.parametrize("name", PAYLOADS)
def test_api_pledges(name: str) -> None:
    payload = HOSTILE_INPUTS[name]
    value = storable(payload)
    pledge = worlds.pledge_scene(value)
    measure = pledge.measures.get()
    campaign, organisation = pledge.campaign, pledge.organisation
    framework = campaign.framework
    visitor = ApiReader()
    visitor.json("api:frameworks")
    visitor.json("api:framework", slug=framework.slug)
    visitor.json("api:principle", slug=framework.slug, code="4")
    assert campaign.name in visitor.json("api:campaigns")
    assert campaign.name in visitor.json("api:campaign", slug=campaign.slug)
    assert pledge.title in visitor.json("api:pledges")
    strings = visitor.json("api:pledge", pledge_id=pledge.pk)
    assert {pledge.title, organisation.name, measure.description, measure.department} <= strings
    assert organisation.name in visitor.json("api:organisation_list")
    assert organisation.name in visitor.json("api:organisation_detail", slug=organisation.slug)

    # The writes: a progress report whose narrative is the payload; following the organisation.
    editor = UserFactory()
    OrganisationMembershipFactory(organisation=organisation, user=editor, role=Role.EDITOR)
    writer = ApiReader(editor, ("read", "write:pledges", "write:network"))
    reports = ProgressReport.objects.count()
    filed = writer.write(
        "api:report_file",
        {"measure": measure.pk, "reported_on": str(timezone.localdate()), "spent": "10",
         "status": "on_track", "narrative": payload, "evidence_url": ""},
        pledge_id=pledge.pk,
    )  # fmt: skip
    if filed is None:
        assert ProgressReport.objects.count() == reports
    else:
        stored = ProgressReport.objects.order_by("-pk").first()
        assert stored is not None
        assert stored.narrative in writer.json("api:reports", pledge_id=pledge.pk)
    writer.json("api:reports", pledge_id=pledge.pk)
    assert writer.write("api:organisation_follow", slug=organisation.slug) is not None
    _read_all(API_PLEDGES, visitor, writer)


@pytest.mark.parametrize("name", PAYLOADS)
def test_api_library(name: str, open_data: None) -> None:
    value = storable(HOSTILE_INPUTS[name])
    scene = worlds.library_item(value)
    topic = scene.topic
    topic.name = worlds.fit(value, type(topic), "name")
    topic.save()
    visitor = ApiReader()
    assert scene.title in visitor.json("api:item_list", {"space": scene.space.slug})
    strings = visitor.json("api:item_detail", item_id=scene.item.pk)
    assert {scene.title, scene.summary, scene.item.body} <= strings
    assert topic.name in visitor.json("api:topic_list")
    assert topic.name in visitor.json("api:topic_detail", slug=topic.slug)
    assert scene.title in visitor.json("api:search_everything", {"q": worlds.WORD})
    _open_data(visitor, scene.space, "library_items", scene.title, scene.summary)
    _read_all(API_LIBRARY, visitor)


@pytest.mark.parametrize("name", PAYLOADS)
def test_api_insights(name: str) -> None:
    value = storable(HOSTILE_INPUTS[name])
    dataset = worlds.dataset_scene(value)
    city = dataset.city
    area = Territory.objects.filter(
        code__startswith=f"{city.code}-", kind=Territory.Kind.NEIGHBOURHOOD
    ).first()
    assert area is not None and area.parent is not None
    visitor = ApiReader()
    visitor.json("api:cities")
    visitor.json("api:city", code=city.code)
    assert value[:200] in visitor.json("api:datasets", {"city": city.code})
    assert value[:200] in visitor.json("api:dataset", dataset_id=dataset.pk)
    assert value[:200] in visitor.json("api:units", dataset_id=dataset.pk)
    visitor.json("api:equity_report", dataset_id=dataset.pk)
    assert area.name in visitor.json("api:place_list", {"parent": area.parent.code})
    assert area.name in visitor.json("api:place_detail", code=area.code)
    _read_all(API_INSIGHTS, visitor)


@pytest.mark.parametrize("name", PAYLOADS)
def test_api_token_pages(name: str) -> None:
    """A token named after the value: its page and its revoking page show the name inert."""
    person = UserFactory()
    token, _secret = token_create(user=person, name=storable(HOSTILE_INPUTS[name], 100),
                                  scopes=["read"])  # fmt: skip
    reader = Reader(person)
    for url_name, args in (("api_tokens", ()), ("api_token_revoke", (token.pk,))):
        html = _page_inert(reader, url_name, *args)
        assert escape(token.name) in html or squashed(escape(token.name)) in squashed(html)
    _read_all(API_TOKENS, reader)


# --- Every surface is fed the corpus -------------------------------------------------------------


def _covered(attribute: str) -> set[str]:
    return {item for surface in registered_surfaces() for item in getattr(surface, attribute)}


def test_every_machine_readable_endpoint_is_fed_the_corpus() -> None:
    """A view answering CSV, iCalendar, Atom or JSON (or any view of the API) is read back by a
    scene above, or is listed in ``NOT_FED`` with the reason."""
    endpoints = machine_readable_endpoints()
    assert "events:event_ics" in endpoints and "library:feed_kind" in endpoints  # the walk works
    missing = set(endpoints) - _covered("url_names") - set(NOT_FED)
    assert not missing, f"not fed the hostile-input corpus: {sorted(missing)}"
    assert not set(NOT_FED) - set(endpoints), "NOT_FED names an endpoint that is gone"


def test_every_mail_is_fed_the_corpus() -> None:
    templates = mail_templates()
    assert "events/emails/confirmed" in templates  # the walk works
    missing = templates - _covered("templates")
    assert not missing, f"mails not fed the hostile-input corpus: {sorted(missing)}"


def test_every_search_provider_is_fed_the_corpus() -> None:
    missing = {provider.key for provider in providers()} - _covered("providers")
    assert not missing, f"search providers not fed the hostile-input corpus: {sorted(missing)}"


def test_every_export_section_is_fed_the_corpus() -> None:
    missing = set(exports.sections()) - _covered("sections")
    assert not missing, f"export sections not fed the hostile-input corpus: {sorted(missing)}"


def test_a_surface_of_another_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown surface kind"):
        Surface(name="x", kind="fax")


# --- The checks themselves -----------------------------------------------------------------------

_VEVENT = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//cocity//events//EN\r\nBEGIN:VEVENT\r\n"
    "UID:1@x\r\nDTSTART:20300101T100000Z\r\nSUMMARY:{summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)
_ATOM = (
    '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
    "<title>T</title><entry><title>E</title>{summary}</entry></feed>"
)
_HITS = (
    '<ol class="cards search-hits"><li class="card"><h3><a href="/x">Title</a></h3>'
    '<p class="meta">kind</p><p>{extract}</p></li></ol>'
)


def _mail(subject: str = "Hello", html: str = "") -> Any:
    message = mail.EmailMultiAlternatives(subject, "Body", "a@example.org", ["b@example.org"])
    if html:
        message.attach_alternative(html, "text/html")
    return message


@pytest.mark.parametrize(
    ("check", "good", "bad"),
    [
        pytest.param(
            lambda text: check_ical(text.encode(), events=1),
            _VEVENT.format(summary="a\\nb"),
            _VEVENT.format(summary="a\r\nX-INJECTED:1"),
            id="ical-injected-line",
        ),
        pytest.param(
            lambda text: check_ical(text.encode()),
            _VEVENT.format(summary="a"),
            _VEVENT.format(summary="a\r\nSUMMARY:b"),
            id="ical-property-twice",
        ),
        pytest.param(
            lambda text: check_ical(text.encode()),
            _VEVENT.format(summary="a"),
            _VEVENT.format(summary="a\nDTEND:20300101T110000Z"),
            id="ical-bare-line-feed",
        ),
        pytest.param(
            lambda text: check_atom(text.encode()),
            _ATOM.format(summary='<summary type="html">&lt;b&gt;x&lt;/b&gt;</summary>'),
            _ATOM.format(
                summary='<summary type="html">&lt;img src=x onerror=alert(1)&gt;</summary>'
            ),
            id="atom-html-summary",
        ),
        pytest.param(
            lambda text: check_atom(text.encode()),
            _ATOM.format(summary="<summary>a &amp; b</summary>"),
            _ATOM.format(summary="<summary>a & b</summary>"),
            id="atom-well-formed",
        ),
        pytest.param(
            check_search_page,
            _HITS.format(extract="a <mark>word</mark> &lt;b&gt;"),
            _HITS.format(extract="a <mark>word</mark> <b>bold</b>"),
            id="search-markup-in-extract",
        ),
        pytest.param(
            check_search_page,
            _HITS.format(extract="<mark>a</mark> b"),
            _HITS.format(extract="</mark>a <mark>b"),
            id="search-highlight-reopened",
        ),
        pytest.param(
            lambda html: check_mail(_mail(html=html)),
            "<p>&lt;script&gt;</p>",
            "<p><img src=x onerror=alert(1)></p>",
            id="mail-html-part",
        ),
        pytest.param(
            lambda subject: check_mail(_mail(subject=subject)),
            "Hello there",
            "Hello\nBcc: victim@example.org",
            id="mail-subject",
        ),
        pytest.param(
            lambda cell: assert_defused([["name"], [cell]], "=1+2"),
            "'=1+2",
            "=1+2",
            id="csv-formula",
        ),
        pytest.param(
            lambda body: assert_mail_shows(MailText("S", body, [], []), "a <b>", "mail"),
            "Hello a <b>",
            "Hello a &lt;b&gt;",
            id="mail-escaped-text",
        ),
    ],
)
def test_the_surface_checks_themselves(check: Any, good: str, bad: str) -> None:
    check(good)
    with pytest.raises(AssertionError):
        check(bad)
