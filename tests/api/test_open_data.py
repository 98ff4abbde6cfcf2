"""Open data: the packages per space and per city (what a visitor sees, nothing more), their data
card validated against their own files, the stable addresses, the background regeneration and
the import of another instance's package (idempotent, all or nothing)."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import urllib.error
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.utils import timezone

from cocity.api import opendata
from cocity.api.models import ImportedRecord
from cocity.api.opendata_import import ImportRefused, import_package
from cocity.events.models import Event
from cocity.library.models import LibraryItem
from cocity.network.models import Role, Space
from cocity.participation.models import Comment
from tests.factories import (
    ActionFactory,
    EventFactory,
    IdeaFactory,
    LibraryItemFactory,
    OrganisationFactory,
    PactFactory,
    ProcessFactory,
    SpaceFactory,
    SpaceMembershipFactory,
    TerritoryFactory,
    UserFactory,
    city_with_neighbourhoods,
    event_with_session,
)

pytestmark = pytest.mark.django_db

HOSTILE = "</script><script>alert(1)</script>=cmd|' /C calc'!A0 \u202e"


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.COCITY_OPEN_DATA_DIR = str(tmp_path / "open-data")
    settings.COCITY_BASE_URL = "https://partner.example.org"


def _world():  # type: ignore[no-untyped-def]
    _country, city, district, _hoods = city_with_neighbourhoods()
    org = OrganisationFactory(name="Friends of the Garden")
    space = SpaceFactory(slug="greening", name="Greening", territory=district)
    space.organisations.add(org)
    secret = SpaceFactory(slug="secret", visibility=Space.Visibility.MEMBERS, territory=district)
    event, _track = event_with_session(
        space=space, title=HOSTILE, format="hybrid", venue_name="Hall"
    )
    event.organisations.add(org)
    EventFactory(space=space, title="Draft meeting", status="draft")
    EventFactory(space=secret, title="Members-only meeting")
    LibraryItemFactory(
        space=space,
        title="Published practice",
        status="published",
        published_at=timezone.now(),
        published_on=datetime.date(2026, 1, 5),
    )
    LibraryItemFactory(space=space, title="Draft practice", status="draft")
    process = ProcessFactory(space=space)
    idea = IdeaFactory(process=process, title="Shade trees", support_count=3, on_behalf_of=org)
    IdeaFactory(process=process, title="Hidden idea", hidden_at=timezone.now())
    IdeaFactory(process=ProcessFactory(space=secret), title="Members-only idea")
    ActionFactory(process=process, title="Plant trees")
    Comment.objects.create(target=idea, author=idea.author, body="Yes please", stance="for")
    PactFactory(commons__organisation=org, title="Garden pact")
    return city, space, secret, event, idea


def _files(scope_kind: str, key: str) -> dict[str, bytes]:
    folder = opendata.package_dir(scope_kind, key)
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def _parses(value: object, kind: str) -> bool:
    if value is None or value == "":
        return True
    text = str(value)
    try:
        if kind == "integer":
            int(text)
        elif kind == "number":
            float(text)
        elif kind == "boolean":
            return text in ("true", "false", "True", "False")
        elif kind == "date":
            datetime.date.fromisoformat(text)
        elif kind == "datetime":
            datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")
        elif kind == "string":
            return isinstance(value, str)
    except ValueError:
        return False
    return True


def validate(files: dict[str, bytes]) -> dict:  # type: ignore[type-arg]
    """The package's files match its data card: every resource is there, CSV columns and JSON
    keys are the schema's fields in order, and every value parses as its field's type."""
    card = json.loads(files["datapackage.json"])
    assert card["profile"] == "tabular-data-package"
    assert card["licenses"][0]["name"]
    datetime.datetime.strptime(card["created"], "%Y-%m-%dT%H:%M:%SZ")
    assert {r["path"] for r in card["resources"]} | {"datapackage.json"} == set(files)
    names = [r["name"] for r in card["resources"]]
    assert len(names) == len(set(names))
    # Frictionless names: lower case letters, digits, ".", "_", "-".
    assert all(re.fullmatch(r"[a-z0-9._-]+", name) for name in [card["name"], *names])
    assert all(r["profile"] == "tabular-data-resource" for r in card["resources"])
    assert all(r["schema"]["primaryKey"] == "id" for r in card["resources"])
    for resource in card["resources"]:
        fields = resource["schema"]["fields"]
        columns = [f["name"] for f in fields]
        assert all(f["description"] and f["type"] for f in fields)
        text = files[resource["path"]].decode("utf-8")
        if resource["format"] == "csv":
            rows = list(csv.reader(io.StringIO(text)))
            assert rows[0] == columns
            records = [dict(zip(columns, row, strict=True)) for row in rows[1:]]
        else:
            records = json.loads(text)
            assert all(list(record) == columns for record in records)
        assert len(records) == resource["cocity:rows"]
        for record in records:
            for f in fields:
                assert _parses(record[f["name"]], f["type"]), (resource["path"], f, record)
    return card


def test_space_package_validates_against_its_card_and_holds_only_public_content() -> None:
    _city, space, _secret, event, _idea = _world()

    assert opendata.publish(space="greening") == ["spaces/greening"]

    files = _files("spaces", "greening")
    card = validate(files)
    assert card["licenses"][0]["name"] == "CC-BY-4.0"
    assert card["homepage"] == "https://partner.example.org" + space.get_absolute_url()
    events = json.loads(files["events.json"])
    assert [e["title"] for e in events] == [HOSTILE]
    assert events[0]["start_time"].endswith("Z")
    assert events[0]["organizations"] == "Friends of the Garden"
    everything = b"".join(files.values()).decode()
    for absent in (
        "Draft meeting", "Members-only meeting", "Members-only idea", "Draft practice",
        "Hidden idea", "secret-room",
    ):  # fmt: skip
        assert absent not in everything
    assert event.online_url not in everything
    ideas = json.loads(files["ideas.json"])
    assert [(i["title"], i["votes"], i["author"]) for i in ideas] == [
        ("Shade trees", 3, "Friends of the Garden")
    ]
    comments = json.loads(files["comments.json"])
    assert comments[0]["alignment"] == 1 and comments[0]["commentable_type"] == "idea"
    assert "author" not in comments[0]
    assert [i["title"] for i in json.loads(files["library_items.json"])] == ["Published practice"]
    assert [a["title"] for a in json.loads(files["actions.json"])] == ["Plant trees"]
    assert [p["title"] for p in json.loads(files["pacts.json"])] == ["Garden pact"]
    # The spreadsheet guard in the CSV, the text as it is in the JSON.
    rows = list(csv.DictReader(io.StringIO(files["events.csv"].decode())))
    assert rows[0]["title"] == HOSTILE  # starts with "<": not a formula
    assert rows[0]["type_of_meeting"] == "hybrid"


def test_city_package_gathers_the_public_content_of_the_city(settings) -> None:  # type: ignore[no-untyped-def]
    settings.COCITY_OPEN_DATA_LICENSE = "CC0-1.0"
    city, _space, _secret, _event, _idea = _world()
    SpaceFactory(slug="elsewhere", territory=TerritoryFactory(code="XX", kind="city"))

    written = opendata.publish()

    assert "cities/FR-MRS" in written and "spaces/greening" in written
    assert "spaces/secret" not in written
    files = _files("cities", "FR-MRS")
    card = validate(files)
    assert card["licenses"][0]["name"] == "CC0-1.0"
    assert [e["title"] for e in json.loads(files["events.json"])] == [HOSTILE]
    assert city.name in card["title"]


def _queries_to_publish(rows: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    org = OrganisationFactory()
    space = SpaceFactory(territory=TerritoryFactory(kind="city"))
    space.organisations.add(org)
    process = ProcessFactory(space=space)
    for _n in range(rows):
        event = EventFactory(space=space)
        event.organisations.add(org)
        LibraryItemFactory(space=space, status="published", published_at=timezone.now())
        idea = IdeaFactory(process=process, on_behalf_of=org)
        Comment.objects.create(target=idea, author=idea.author, body="Agreed")
        ActionFactory(process=process)
        PactFactory(commons__organisation=org)
    ContentType.objects.clear_cache()
    with CaptureQueriesContext(connection) as queries:
        opendata.publish(space=space.slug)
    return len(queries)


def test_a_package_costs_the_same_queries_for_few_rows_and_many() -> None:
    assert _queries_to_publish(2) == _queries_to_publish(12)


def test_regenerating_replaces_the_package_atomically() -> None:
    _world()
    opendata.publish(space="greening")
    first = opendata.package_dir("spaces", "greening").resolve()
    EventFactory(space=Space.objects.get(slug="greening"), title="Another", status="published")
    opendata.publish(space="greening")
    second = opendata.package_dir("spaces", "greening").resolve()

    assert first != second and not first.exists()
    assert opendata.package_dir("spaces", "greening").is_symlink()
    leftovers = [p.name for p in second.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == [second.name]
    assert "Another" in (second / "events.json").read_text()


def test_the_files_are_served_at_stable_addresses_to_anyone(client) -> None:  # type: ignore[no-untyped-def]
    _world()
    opendata.publish()

    index = client.get("/open-data/")
    assert index.status_code == 200
    assert b"/open-data/spaces/greening/" in index.content
    assert b"/open-data/cities/FR-MRS/" in index.content
    page = client.get("/open-data/spaces/greening/")
    assert page.status_code == 200 and b"events.csv" in page.content
    card = client.get("/open-data/spaces/greening/datapackage.json")
    assert card.status_code == 200
    assert card["Content-Type"] == "application/json"
    assert card["Access-Control-Allow-Origin"] == "*"
    assert json.loads(b"".join(card.streaming_content))["name"].endswith("greening")
    csv_file = client.get("/open-data/spaces/greening/events.csv")
    assert csv_file["Content-Type"].startswith("text/csv")
    for missing in (
        "/open-data/spaces/greening/nothing.csv",
        "/open-data/spaces/greening/..%2F..%2Fsecret.json",
        "/open-data/spaces/secret/datapackage.json",
        "/open-data/spaces/secret/",
        "/open-data/planets/greening/events.csv",
        "/open-data/spaces/greening/events.exe",
    ):
        assert client.get(missing).status_code == 404, missing


def test_a_space_made_members_only_is_no_longer_served(client) -> None:  # type: ignore[no-untyped-def]
    _world()
    opendata.publish()
    Space.objects.filter(slug="greening").update(visibility=Space.Visibility.MEMBERS)

    assert client.get("/open-data/spaces/greening/events.json").status_code == 404
    opendata.publish()
    assert not opendata.package_dir("spaces", "greening").exists()


def test_the_command_publishes_one_space_or_refuses_an_unknown_one() -> None:
    _world()
    out = io.StringIO()
    call_command("open_data", "--space", "greening", stdout=out)
    assert "1 package(s) written" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("open_data", "--space", "secret", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("open_data", "--city", "NOWHERE", stdout=io.StringIO())


def test_a_write_queues_the_regeneration(settings, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    settings.COCITY_OPEN_DATA_ON_WRITE = True
    space = SpaceFactory(slug="busy")
    with django_capture_on_commit_callbacks(execute=True):
        EventFactory(space=space, title="Fresh news", status="published")
    assert "Fresh news" in (opendata.package_dir("spaces", "busy") / "events.json").read_text()


def test_no_regeneration_on_write_with_immediate_tasks_by_default() -> None:
    space = SpaceFactory(slug="quiet")
    EventFactory(space=space)
    assert not opendata.package_dir("spaces", "quiet").exists()


# --- import ---------------------------------------------------------------------------------


@pytest.fixture
def partner_package(tmp_path) -> Path:  # type: ignore[no-untyped-def]
    """The package of a partner instance, published then kept as local files."""
    _world()
    opendata.publish(space="greening")
    folder = tmp_path / "partner"
    folder.mkdir()
    for name, content in _files("spaces", "greening").items():
        (folder / name).write_bytes(content)
    # The partner's objects are not ours: only the files stay.
    Event.objects.all().delete()
    LibraryItem.objects.all().delete()
    return folder


@pytest.fixture
def follower():  # type: ignore[no-untyped-def]
    space = SpaceFactory(slug="followers")
    editor = SpaceMembershipFactory(space=space, role=Role.EDITOR).user
    return space, editor


def test_import_creates_drafts_with_their_origin_and_is_idempotent(
    partner_package, follower, client
) -> None:  # type: ignore[no-untyped-def]
    space, editor = follower

    result = import_package(str(partner_package), space=space, by=editor)

    assert (result.created, result.updated) == (2, 0)
    event = Event.objects.get(space=space)
    item = LibraryItem.objects.get(space=space)
    assert event.title == HOSTILE and event.status == "draft"
    assert item.title == "Published practice" and item.status == "draft"
    assert event.starts_at is not None and event.online_url == ""
    assert event.external_registration_url.startswith("https://partner.example.org/events/")
    record = ImportedRecord.objects.get(object_id=event.pk, content_type__model="event")
    assert record.source_title == "cocity / Greening"

    again = import_package(str(partner_package / "datapackage.json"), space=space, by=editor)
    assert (again.created, again.updated) == (0, 2)
    assert Event.objects.filter(space=space).count() == 1
    assert LibraryItem.objects.filter(space=space).count() == 1
    assert ImportedRecord.objects.count() == 2

    client.force_login(editor)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "From cocity / Greening" in page
    assert f'href="{record.origin_url}"' in page
    assert "<script>alert(1)" not in page


def test_import_can_publish(partner_package, follower, client) -> None:  # type: ignore[no-untyped-def]
    space, editor = follower
    call_command(
        "open_data", "import", str(partner_package), "--space", "followers",
        "--by", editor.email, "--publish", stdout=io.StringIO(),
    )  # fmt: skip
    item = LibraryItem.objects.get(space=space)
    assert item.status == "published"
    assert Event.objects.get(space=space).status == "published"
    page = client.get(item.get_absolute_url()).content.decode()
    assert "From cocity / Greening" in page


def _rewrite(folder: Path, name: str, change) -> None:  # type: ignore[no-untyped-def]
    path = folder / name
    changed = change(json.loads(path.read_text()))
    if isinstance(changed, bytes):  # raw bytes, not JSON
        path.write_bytes(changed)
    else:
        path.write_text(json.dumps(changed))


def _drop_field(card: dict) -> dict:  # type: ignore[type-arg]
    for resource in card["resources"]:
        if resource["path"] == "events.json":
            resource["schema"]["fields"] = [
                f for f in resource["schema"]["fields"] if f["name"] != "start_time"
            ]
    return card


@pytest.mark.parametrize(
    ("name", "change", "message"),
    [
        ("events.json", lambda rows: b"[" * 100_000, "not valid JSON"),
        ("datapackage.json", lambda card: [1, 2], "not a data package"),
        ("datapackage.json", lambda card: {**card, "resources": "x"}, "not a data package"),
        ("datapackage.json", _drop_field, "lacks the fields start_time"),
        ("events.json", lambda rows: [{**rows[0], "id": "1; DROP"}], "whole number"),
        ("events.json", lambda rows: [{**rows[0], "id": True}], "whole number"),
        ("events.json", lambda rows: [{**rows[0], "title": "x" * 201}], "too long"),
        ("events.json", lambda rows: [{**rows[0], "url": "javascript:alert(1)"}], "http(s)"),
        (
            "events.json",
            lambda rows: [{k: v for k, v in rows[0].items() if k != "title"}],
            "missing",
        ),
        ("events.json", lambda rows: [{**rows[0], "start_time": "tomorrow"}], "start_time"),
        ("events.json", lambda rows: {"not": "a list"}, "not a list"),
        ("library_items.json", lambda rows: ["text"], "not an object"),
    ],
)
def test_a_bad_package_is_refused_and_nothing_is_written(
    partner_package, follower, name, change, message
) -> None:  # type: ignore[no-untyped-def]
    space, editor = follower
    _rewrite(partner_package, name, change)

    with pytest.raises(ImportRefused, match=message.replace("(", r"\(").replace(")", r"\)")):
        import_package(str(partner_package), space=space, by=editor)

    assert not LibraryItem.objects.filter(space=space).exists()
    assert not Event.objects.filter(space=space).exists()
    assert not ImportedRecord.objects.exists()


def test_a_bad_file_not_json_too_large_or_unreachable_is_refused(
    partner_package, follower, settings, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    space, editor = follower
    (partner_package / "events.json").write_text("{not json")
    with pytest.raises(ImportRefused, match="not valid JSON"):
        import_package(str(partner_package), space=space, by=editor)
    settings.COCITY_OPEN_DATA_IMPORT_MAX_BYTES = 100
    with pytest.raises(ImportRefused, match="larger than the limit"):
        import_package(str(partner_package), space=space, by=editor)
    with pytest.raises(ImportRefused, match="Could not read"):
        import_package(str(partner_package / "nothing"), space=space, by=editor)

    def unreachable(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise urllib.error.URLError("connection refused")

    monkeypatch.setattr("urllib.request.urlopen", unreachable)
    with pytest.raises(ImportRefused, match=r"Could not read https://partner\.invalid"):
        import_package("https://partner.invalid/open-data/spaces/x/", space=space, by=editor)
    with pytest.raises(ImportRefused, match="http"):
        import_package("ftp://partner.invalid/datapackage.json", space=space, by=editor)
    assert not ImportedRecord.objects.exists()


def test_a_record_refused_half_way_leaves_nothing(partner_package, follower) -> None:  # type: ignore[no-untyped-def]
    space, editor = follower
    # The library item is fine; the event comes after it and ends before it starts... with an
    # unknown zone and an end that the events' services refuse (a year out of range).
    _rewrite(
        partner_package,
        "events.json",
        lambda rows: [
            {**rows[0], "start_time": "0001-01-01T00:00:00Z", "end_time": "0001-01-01T02:00:00Z"}
        ],
    )
    with pytest.raises(ImportRefused):
        import_package(str(partner_package), space=space, by=editor)
    assert not LibraryItem.objects.filter(space=space).exists()
    assert not ImportedRecord.objects.exists()


def test_only_an_editor_of_the_space_may_import(partner_package, follower) -> None:  # type: ignore[no-untyped-def]
    space, _editor = follower
    with pytest.raises(ImportRefused, match="not an editor"):
        import_package(str(partner_package), space=space, by=UserFactory())
    with pytest.raises(CommandError, match="Give the package"):
        call_command("open_data", "import", str(partner_package), stdout=io.StringIO())


def test_the_space_page_links_to_its_package_written_on_first_request(client) -> None:  # type: ignore[no-untyped-def]
    _world()
    space = Space.objects.get(slug="greening")
    assert b'href="/open-data/spaces/greening/"' in client.get(space.get_absolute_url()).content
    secret = Space.objects.get(slug="secret")
    client.force_login(SpaceMembershipFactory(space=secret).user)
    secret_page = client.get(secret.get_absolute_url())
    assert secret_page.status_code == 200 and b"/open-data/" not in secret_page.content
    client.logout()

    assert not opendata.package_dir("spaces", "greening").exists()
    page = client.get("/open-data/spaces/greening/")
    assert page.status_code == 200
    assert opendata.package_dir("spaces", "greening").is_symlink()
    opendata.remove(opendata.package_dir("spaces", "greening"))
    assert client.get("/open-data/cities/FR-MRS/ideas.csv").status_code == 200
    assert client.get("/open-data/spaces/greening/events.json").status_code == 200


def test_the_demo_packages_validate_against_their_cards() -> None:
    """The demo's packages (every public space, every city): each file matches its data card,
    and nothing of a members-only space is in any of them."""
    call_command("demo_data", verbosity=0)

    written = opendata.publish()

    assert any(name.startswith("cities/") for name in written)
    hidden = Space.objects.exclude(visibility=Space.Visibility.PUBLIC)
    hidden_events = set(Event.objects.filter(space__in=hidden).values_list("slug", flat=True))
    counts: dict[str, int] = {}
    for name in written:
        scope_kind, key = name.split("/")
        files = _files(scope_kind, key)
        card = validate(files)
        for resource in card["resources"]:
            counts[resource["path"]] = counts.get(resource["path"], 0) + resource["cocity:rows"]
        events = json.loads(files["events.json"])
        assert not {e["reference"] for e in events} & hidden_events
        assert not any(e["status"] == "draft" for e in events)
    assert counts["events.json"] and counts["library_items.json"] and counts["ideas.json"]


def test_folders_left_by_regenerations_at_once_are_swept(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import time

    target = tmp_path / "pkg"
    orphan = tmp_path / ".pkg-orphan"
    orphan.mkdir()
    os.utime(orphan, (time.time() - 3600, time.time() - 3600))
    fresh = tmp_path / ".pkg-writing"
    fresh.mkdir()  # another regeneration still writing: kept

    opendata.write_atomically(target, {"datapackage.json": b"{}"})

    assert not orphan.exists() and fresh.exists()
    assert (target / "datapackage.json").read_bytes() == b"{}"


def test_import_from_an_address_reads_the_files_beside_the_card(
    partner_package, follower, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    space, editor = follower
    asked: list[str] = []

    class Response(io.BytesIO):
        def __enter__(self):  # type: ignore[no-untyped-def]
            return self

        def __exit__(self, *args):  # type: ignore[no-untyped-def]
            return False

    def urlopen(request, timeout):  # type: ignore[no-untyped-def]
        url = request.full_url
        asked.append(url)
        prefix = "https://partner.example.org/open-data/spaces/greening/"
        assert url.startswith(prefix) and timeout
        return Response((partner_package / url.removeprefix(prefix)).read_bytes())

    monkeypatch.setattr("urllib.request.urlopen", urlopen)
    result = import_package(
        "https://partner.example.org/open-data/spaces/greening", space=space, by=editor
    )

    assert result.created == 2
    assert asked == [
        "https://partner.example.org/open-data/spaces/greening/datapackage.json",
        "https://partner.example.org/open-data/spaces/greening/library_items.json",
        "https://partner.example.org/open-data/spaces/greening/events.json",
    ]
    record = ImportedRecord.objects.get(content_type__model="libraryitem")
    assert record.source == "https://partner.example.org/open-data/spaces/greening/datapackage.json"


def test_a_burst_of_writes_queues_one_deferred_regeneration(
    settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    space = SpaceFactory(slug="burst")
    with django_capture_on_commit_callbacks(execute=True):
        for _n in range(3):
            EventFactory(space=space)
    queued = DBTaskResult.objects.filter(task_path="cocity.api.tasks.refresh_open_data")
    assert queued.count() == 1
    assert queued.get().run_after > timezone.now()
