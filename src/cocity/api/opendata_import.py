"""Importing another instance's published package (``cocity open-data import``): "following" a
partner network's library items and events in a space.

The package is the data card (``datapackage.json``) of a cocity open-data package, given as an
``http(s)`` address or a local path (the card or its folder). Its ``library_items.json`` and
``events.json`` resources are read (the CSV copies are not needed), checked, then written in one
transaction: a bad package (not JSON, not a data card, a resource missing or without the fields
the import needs, a wrong type, an address that is not ``http(s)``, a file over the size limit,
an unreachable address) is refused with a clear error and nothing is written.

Items and events are created through the library's and the events' services, in the name of an
editor of the space (``--by``): as DRAFTS by default, which that space's editors review and
publish as any other; ``--publish`` publishes them at once (the editor's choice, taken by the
person who runs the import). Each keeps an :class:`~cocity.api.models.ImportedRecord`: where it
came from (the source's title and its page there, shown on the page as "From ..." with a link
back) and its identifier at the source, so that importing the same package again updates what
it imported before and never duplicates it.
"""

from __future__ import annotations

import datetime
import json
import re
import urllib.error
import urllib.parse
import urllib.request
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cocity.events import services as event_services
from cocity.events.models import Event, Session
from cocity.library import services as library_services
from cocity.library.models import LibraryItem
from cocity.network.models import Space

from .models import ImportedRecord

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
TIMEOUT_SECONDS = 15
CARD = "datapackage.json"
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
REMOTE_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")

# What the import needs in each resource, with the type of each value (None allowed when the
# second element is True), and the longest text it takes.
LIBRARY_NEEDS = {
    "id": (int, False),
    "url": (str, False),
    "type": (str, False),
    "title": (str, False),
    "short_description": (str, True),
    "body": (str, True),
    "locale": (str, True),
    "publication_date": (str, True),
}
EVENT_NEEDS = {
    "id": (int, False),
    "url": (str, False),
    "title": (str, False),
    "short_description": (str, True),
    "description": (str, True),
    "type": (str, True),
    "type_of_meeting": (str, True),
    "start_time": (str, True),
    "end_time": (str, True),
    "time_zone": (str, True),
    "location": (str, True),
    "address": (str, True),
}
LIMITS = {
    "title": 200,
    "short_description": 400,
    "body": 60_000,
    "description": 30_000,
    "location": 200,
    "address": 300,
    "url": 500,
}


class ImportRefused(Exception):
    """The package cannot be imported: the message says why; nothing was written."""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    source_title: str = ""
    details: list[str] = field(default_factory=list)


def max_bytes() -> int:
    return int(getattr(settings, "COCITY_OPEN_DATA_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


# --- reading --------------------------------------------------------------------------------


def _is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def _fetch(address: str) -> bytes:
    limit = max_bytes()
    if _is_url(address):
        request = urllib.request.Request(  # noqa: S310 - http(s) only (_is_url)
            address, headers={"User-Agent": "cocity open-data"}
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - http(s) only, checked above
                data = response.read(limit + 1)
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise ImportRefused(
                _("Could not read %(address)s: %(error)s") % {"address": address, "error": error}
            ) from None
    else:
        path = Path(address)
        try:
            if path.stat().st_size > limit:
                raise ImportRefused(
                    _("%(address)s is larger than the limit of %(limit)s bytes.")
                    % {"address": address, "limit": limit}
                )
            data = path.read_bytes()
        except OSError as error:
            raise ImportRefused(
                _("Could not read %(address)s: %(error)s")
                % {"address": address, "error": error.strerror or error}
            ) from None
    if len(data) > limit:
        raise ImportRefused(
            _("%(address)s is larger than the limit of %(limit)s bytes.")
            % {"address": address, "limit": limit}
        )
    return data


def _json(address: str) -> Any:
    try:
        return json.loads(_fetch(address).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: nested too deep
        raise ImportRefused(_("%(address)s is not valid JSON.") % {"address": address}) from None


def _card_address(source: str) -> str:
    if _is_url(source):
        return source if source.endswith(".json") else source.rstrip("/") + "/" + CARD
    if "://" in source:
        raise ImportRefused(_("Give an http(s) address or a local path."))
    path = Path(source)
    return str(path / CARD) if path.is_dir() else str(path)


def _beside(card_address: str, relative: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_-]+\.json", relative):
        raise ImportRefused(
            _("The data card names an unexpected file: %(path)s") % {"path": relative[:80]}
        )
    if _is_url(card_address):
        return urllib.parse.urljoin(card_address, relative)
    return str(Path(card_address).parent / relative)


def _resource(
    card: dict[str, Any], card_address: str, name: str, needs: dict[str, Any]
) -> list[dict[str, Any]] | None:
    resources = card.get("resources")
    if not isinstance(resources, list):
        raise ImportRefused(_("This is not a data package: it has no list of resources."))
    wanted = f"{name}.json"
    for resource in resources:
        if not isinstance(resource, dict) or resource.get("path") != wanted:
            continue
        schema = resource.get("schema")
        fields = schema.get("fields") if isinstance(schema, dict) else None
        if not isinstance(fields, list):
            raise ImportRefused(_("%(file)s has no table schema.") % {"file": wanted})
        declared = {f.get("name") for f in fields if isinstance(f, dict)}
        missing = sorted(set(needs) - declared)
        if missing:
            raise ImportRefused(
                _("%(file)s lacks the fields %(fields)s.")
                % {"file": wanted, "fields": ", ".join(missing)}
            )
        rows = _json(_beside(card_address, wanted))
        if not isinstance(rows, list):
            raise ImportRefused(_("%(file)s is not a list of records.") % {"file": wanted})
        return [_checked(row, needs, wanted, number) for number, row in enumerate(rows, 1)]
    return None


def _checked(row: Any, needs: dict[str, Any], file: str, number: int) -> dict[str, Any]:
    def refuse(problem: str) -> ImportRefused:
        return ImportRefused(
            _("%(file)s, record %(number)s: %(problem)s")
            % {"file": file, "number": number, "problem": problem}
        )

    if not isinstance(row, dict):
        raise refuse(_("not an object."))
    clean: dict[str, Any] = {}
    for name, (kind, optional) in needs.items():
        if name not in row:
            raise refuse(_("the field %(field)s is missing.") % {"field": name})
        value = row[name]
        if value is None or value == "":
            if not optional:
                raise refuse(_("the field %(field)s is empty.") % {"field": name})
            clean[name] = "" if kind is str else None
            continue
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise refuse(_("the field %(field)s is not a whole number.") % {"field": name})
        if kind is str:
            if not isinstance(value, str):
                raise refuse(_("the field %(field)s is not text.") % {"field": name})
            value = CONTROL.sub("", value).strip()
            if len(value) > LIMITS.get(name, 200):
                raise refuse(_("the field %(field)s is too long.") % {"field": name})
        clean[name] = value
    if not REMOTE_ID.match(str(clean["id"])):
        raise refuse(_("the identifier is not valid."))
    url = urllib.parse.urlsplit(clean["url"])
    if url.scheme not in ("http", "https") or not url.netloc:
        raise refuse(_("the address of its page is not an http(s) address."))
    return clean


def _datetime(value: str, name: str) -> datetime.datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ImportRefused(
            _("%(field)s is not a date and time: %(value)s") % {"field": name, "value": value[:40]}
        ) from None
    if parsed.tzinfo is None:
        raise ImportRefused(
            _("%(field)s has no time zone: %(value)s") % {"field": name, "value": value[:40]}
        )
    return parsed


def _date(value: str) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ImportRefused(_("Not a date: %(value)s") % {"value": value[:40]}) from None


# --- writing --------------------------------------------------------------------------------


def _record(model: type, source: str, remote_id: Any) -> ImportedRecord | None:
    return ImportedRecord.objects.filter(
        source=source,
        content_type=ContentType.objects.get_for_model(model),
        remote_id=str(remote_id),
    ).first()


def _remember(
    obj: Any,
    *,
    space: Space,
    source: str,
    title: str,
    row: dict[str, Any],
    record: ImportedRecord | None,
) -> None:
    if record is None:
        record = ImportedRecord(
            content_type=ContentType.objects.get_for_model(type(obj)),
            source=source,
            remote_id=str(row["id"]),
        )
    record.object_id = obj.pk
    record.space = space
    record.source_title = title[:300]
    record.origin_url = row["url"]
    record.updated_at = timezone.now()
    record.save()


def _library_kind(value: str) -> str:
    return value if value in LibraryItem.Kind.values else LibraryItem.Kind.PUBLICATION


def _language(value: str) -> str:
    choices = {code for code, _name in LibraryItem._meta.get_field("language").choices or ()}
    return value if value in choices else "en"


def _import_item(
    row: dict[str, Any],
    *,
    space: Space,
    by: Any,
    publish: bool,
    source: str,
    title: str,
    result: ImportResult,
) -> None:
    record = _record(LibraryItem, source, row["id"])
    item = LibraryItem.objects.filter(pk=record.object_id, space=space).first() if record else None
    fields = {
        "kind": _library_kind(row["type"]),
        "title": row["title"],
        "summary": row["short_description"] or row["title"],
        "body": row["body"],
        "language": _language(row["locale"]),
        "published_on": _date(row["publication_date"] or ""),
    }
    if item is None:
        item = library_services.item_create(user=by, space=space, **fields)
        result.created += 1
    else:
        item = library_services.item_update(user=by, item=item, **fields)
        result.updated += 1
    if publish and item.status != LibraryItem.Status.PUBLISHED:
        if item.status == LibraryItem.Status.DRAFT:
            item = library_services.item_submit(user=by, item=item)
        item = library_services.item_publish(user=by, item=item)
    _remember(item, space=space, source=source, title=title, row=row, record=record)


def _zone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        return settings.TIME_ZONE
    return value


def _import_event(
    row: dict[str, Any],
    *,
    space: Space,
    by: Any,
    publish: bool,
    source: str,
    title: str,
    result: ImportResult,
) -> None:
    record = _record(Event, source, row["id"])
    event = Event.objects.filter(pk=record.object_id, space=space).first() if record else None
    zone_name = _zone(row["time_zone"])
    start = _datetime(row["start_time"], "start_time")
    end = _datetime(row["end_time"], "end_time")
    fields: dict[str, Any] = {
        "title": row["title"],
        "summary": row["short_description"],
        "description": row["description"],
        "kind": row["type"] if row["type"] in Event.Kind.values else Event.Kind.OTHER,
        "format": row["type_of_meeting"]
        if row["type_of_meeting"] in Event.Format.values
        else Event.Format.ONLINE,
        "time_zone": zone_name,
        "venue_name": row["location"],
        "venue_address": row["address"],
        # People register at the source: the link back is the event's page there.
        "registration_mode": Event.Registration.EXTERNAL,
        "external_registration_url": row["url"],
    }
    if event is None:
        fields["status"] = Event.Status.PUBLISHED if publish else Event.Status.DRAFT
        fields["slug"] = _free_slug(row["title"])
        event = event_services.event_create(space=space, actor=by, **fields)
        result.created += 1
    else:
        if publish and event.status == Event.Status.DRAFT:
            fields["status"] = Event.Status.PUBLISHED
        event = event_services.event_update(event=event, actor=by, **fields)
        result.updated += 1
    if start and end and end > start:
        _set_times(event, start, end, zone_name)
    _remember(event, space=space, source=source, title=title, row=row, record=record)


def _free_slug(title: str) -> str:
    from django.utils.text import slugify

    base = (slugify(title)[:180] or "event").strip("-") or "event"
    slug, number = base, 1
    while Event.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _set_times(
    event: Event, start: datetime.datetime, end: datetime.datetime, zone_name: str
) -> None:
    zone = zoneinfo.ZoneInfo(zone_name)
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    times: dict[str, Any] = {
        "day": local_start.date(),
        "start": local_start.time().replace(tzinfo=None),
        "end": local_end.time().replace(tzinfo=None),
        "end_day": local_end.date() if local_end.date() != local_start.date() else None,
        "time_zone": zone_name,
    }
    session = Session.objects.filter(track__event=event).order_by("start", "id").first()
    if session is None:
        track = event_services.track_create(event=event, name=_("Programme"))
        event_services.session_create(track=track, notify=False, **times)
    elif (session.start, session.end) != (start, end):
        event_services.session_update(session=session, **times)


def import_package(source: str, *, space: Space, by: Any, publish: bool = False) -> ImportResult:
    """Import the library items and events of the package at ``source`` into ``space``, in the
    name of ``by`` (an editor of the space). All or nothing: raises :class:`ImportRefused`."""
    if not by.has_perm("events.add_event", space):  # an editor or admin of the space
        raise ImportRefused(_("%(person)s is not an editor of this space.") % {"person": by})
    card_address = _card_address(source)
    card = _json(card_address)
    if not isinstance(card, dict):
        raise ImportRefused(_("This is not a data package: it has no list of resources."))
    items = _resource(card, card_address, "library_items", LIBRARY_NEEDS)
    events = _resource(card, card_address, "events", EVENT_NEEDS)
    if items is None and events is None:
        raise ImportRefused(_("The package has neither library items nor events."))
    identity = card.get("id")
    package = identity if isinstance(identity, str) and _is_url(identity) else card_address
    package = package[:500]
    raw_title = card.get("title")
    site = ""
    sources = card.get("sources")
    if isinstance(sources, list) and sources and isinstance(sources[0], dict):
        site = str(sources[0].get("title") or "")
    title = (
        " / ".join(
            part
            for part in (
                CONTROL.sub("", site).strip(),
                CONTROL.sub("", str(raw_title or "")).strip(),
            )
            if part
        )
        or package
    )
    result = ImportResult(source_title=title[:300])
    try:
        with transaction.atomic():
            for row in items or []:
                _import_item(
                    row,
                    space=space,
                    by=by,
                    publish=publish,
                    source=package,
                    title=title,
                    result=result,
                )
            for row in events or []:
                _import_event(
                    row,
                    space=space,
                    by=by,
                    publish=publish,
                    source=package,
                    title=title,
                    result=result,
                )
    except ValidationError as error:
        raise ImportRefused(
            _("A record was refused: %(error)s") % {"error": "; ".join(error.messages)}
        ) from None
    except PermissionDenied:
        raise ImportRefused(
            _("%(person)s may not publish in this space.") % {"person": by}
        ) from None
    return result


def origin_of(obj: Any) -> ImportedRecord | None:
    """Where an imported object came from, or None."""
    return ImportedRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
    ).first()
