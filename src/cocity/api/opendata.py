"""Open data: a published data package per space and per city (issue 21, "Open data").

A package is a folder of flat files, one CSV and one JSON per kind of content (events, library
items, processes, ideas, actions, comments, commons, pacts, pledges), and its data card
``datapackage.json`` (a Frictionless Tabular Data Package: name, title, licence, created date and,
for every file, its path, format and table schema of typed, described fields).

What goes in is what a visitor sees: every kind reads through its capability's hub selector
(``events_in_hub``, ``items_in_hub``, ``pacts_in_hub``...) with an anonymous viewer, so members-only
spaces, drafts and hidden ideas or comments never leave the site. People's names are left out
(an idea's author is given only when posted on behalf of an organisation; comments carry no
author); meeting links are never exported.

It follows Metagov's "Interoperable Deliberative Tools" flat-file specification (published by
default without a token, at stable documented URLs, with a licence and a data card) and borrows
its field names from the flat files the cohort shares (Decidim's open data in Metagov's "data
puddle"): ``start_time``/``end_time``, ``address``, ``participatory_space``, ``organizations``,
``taxonomies``, ``votes``, ``comments_count``, ``state``; comments as ``body``, ``alignment``
(1 for, -1 against, 0 neutral), ``commentable_type``, ``commentable_id``, ``depth``,
``root_commentable_url``. Ideas play the part of proposals, actions that of results.

Times are ISO 8601 in UTC (``2026-03-01T09:00:00Z``, Frictionless's default datetime format);
an event also gives its IANA zone. In the CSV files a text cell that starts like a spreadsheet
formula gets a leading ``'`` (``cocity.core.csv``); the JSON files carry the text as it is.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from cocity.commons import selectors as commons_selectors
from cocity.core.csv import safe_row
from cocity.core.hubs import HubScope
from cocity.events import selectors as event_selectors
from cocity.library import selectors as library_selectors
from cocity.network.models import Space, Territory
from cocity.network.selectors import spaces_visible_to
from cocity.network.selectors.hubs import space_scope, territory_scope
from cocity.participation.models import Comment
from cocity.plans import selectors as plans_selectors
from cocity.plans.models import Action, Idea
from cocity.pledges import selectors as pledge_selectors

DEFAULT_LICENSE = "CC-BY-4.0"
LICENSES = {
    "CC-BY-4.0": (
        "Creative Commons Attribution 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    "CC-BY-SA-4.0": (
        "Creative Commons Attribution Share-Alike 4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    "CC0-1.0": ("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODbL-1.0": (
        "Open Data Commons Open Database License 1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
    "PDDL-1.0": (
        "Open Data Commons Public Domain Dedication and License 1.0",
        "https://opendatacommons.org/licenses/pddl/1-0/",
    ),
}
CARD = "datapackage.json"
SCOPES = ("spaces", "cities")
FILE_NAME = re.compile(r"^[a-z_]+\.(csv|json)$")
LIST_SEPARATOR = "; "


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # a Frictionless type: string, integer, number, boolean, date, datetime
    description: Any  # a lazy translatable string


@dataclass(frozen=True)
class Kind:
    name: str
    title: Any
    description: Any
    fields: tuple[Field, ...]
    rows: Callable[[HubScope], Iterable[dict[str, Any]]]

    @property
    def field_names(self) -> list[str]:
        return [field.name for field in self.fields]


# --- values ---------------------------------------------------------------------------------


def base_url() -> str:
    return str(settings.COCITY_BASE_URL).rstrip("/")


def absolute(path: str) -> str:
    return base_url() + path


def utc(value: datetime.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def day(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def number(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def joined(values: Iterable[Any]) -> str:
    return LIST_SEPARATOR.join(sorted(str(value) for value in values if value))


def _id(description: Any = None) -> Field:
    return Field("id", "integer", description or _("Identifier on this site."))


def _url() -> Field:
    return Field("url", "string", _("Address of the page on this site."))


def _created() -> Field:
    return Field("created_at", "datetime", _("When it was created (UTC)."))


def _space_field() -> Field:
    return Field("participatory_space", "string", _("Slug of the space it belongs to."))


# --- the kinds ------------------------------------------------------------------------------


def _events(scope: HubScope) -> Iterator[dict[str, Any]]:
    events = (
        event_selectors.events_in_hub(scope)
        .select_related("space", "territory")
        .prefetch_related("organisations", "topics")
        .order_by("starts_at", "id")
    )
    for event in events:
        external = event.registration_mode == event.Registration.EXTERNAL
        yield {
            "id": event.pk,
            "reference": event.slug,
            "url": absolute(event.get_absolute_url()),
            "title": event.title,
            "short_description": event.summary,
            "description": event.description,
            "type": event.kind,
            "type_of_meeting": event.format,
            "status": event.status,
            "start_time": utc(event.starts_at),
            "end_time": utc(event.ends_at),
            "time_zone": event.time_zone,
            "location": event.venue_name,
            "address": event.venue_address,
            "place": event.territory.code if event.territory else None,
            "latitude": number(event.latitude),
            "longitude": number(event.longitude),
            "organizations": joined(o.name for o in event.organisations.all()),
            "taxonomies": joined(t.slug for t in event.topics.all()),
            "participatory_space": event.space.slug,
            "registration_type": event.registration_mode,
            "registration_url": event.external_registration_url if external else None,
            "created_at": utc(event.created_at),
            "updated_at": utc(event.updated_at),
        }


EVENT_FIELDS = (
    _id(),
    Field("reference", "string", _("Stable slug of the event (its address).")),
    _url(),
    Field("title", "string", _("Title.")),
    Field("short_description", "string", _("Summary.")),
    Field("description", "string", _("Description (Markdown).")),
    Field("type", "string", _("Kind: webinar, workshop, presentation, study_visit...")),
    Field("type_of_meeting", "string", _("Format: online, in_person or hybrid.")),
    Field("status", "string", _("published, postponed or cancelled.")),
    Field("start_time", "datetime", _("Start of the first session (UTC).")),
    Field("end_time", "datetime", _("End of the last session (UTC).")),
    Field("time_zone", "string", _("IANA time zone of the event.")),
    Field("location", "string", _("Name of the venue.")),
    Field("address", "string", _("Address of the venue.")),
    Field("place", "string", _("Code of the place (territory) where it happens.")),
    Field("latitude", "number", _("Latitude (WGS 84).")),
    Field("longitude", "number", _("Longitude (WGS 84).")),
    Field("organizations", "string", _("Co-organising organisations, separated by '; '.")),
    Field("taxonomies", "string", _("Topic slugs, separated by '; '.")),
    _space_field(),
    Field("registration_type", "string", _("internal, external or none.")),
    Field("registration_url", "string", _("Where to register, when it is on another site.")),
    _created(),
    Field("updated_at", "datetime", _("Last change (UTC).")),
)


def _library_items(scope: HubScope) -> Iterator[dict[str, Any]]:
    items = (
        library_selectors.items_in_hub(scope)
        .select_related("space")
        .prefetch_related("organisations", "topics", "territories")
        .order_by("-published_on", "-id")
    )
    for item in items:
        yield {
            "id": item.pk,
            "url": absolute(item.get_absolute_url()),
            "type": item.kind,
            "title": item.title,
            "short_description": item.summary,
            "body": item.body,
            "locale": item.language,
            "publication_date": day(item.published_on),
            "published_at": utc(item.published_at),
            "organizations": joined(o.name for o in item.organisations.all()),
            "places": joined(t.code for t in item.territories.all()),
            "taxonomies": joined(t.slug for t in item.topics.all()),
            "participatory_space": item.space.slug,
            "created_at": utc(item.created_at),
            "updated_at": utc(item.updated_at),
        }


LIBRARY_FIELDS = (
    _id(),
    _url(),
    Field("type", "string", _("Kind: case_study, policy_example, publication, news...")),
    Field("title", "string", _("Title.")),
    Field("short_description", "string", _("Summary.")),
    Field("body", "string", _("Text (Markdown).")),
    Field("locale", "string", _("Language of the original (code).")),
    Field("publication_date", "date", _("Publication date.")),
    Field("published_at", "datetime", _("When it was published on this site (UTC).")),
    Field("organizations", "string", _("Organisations, separated by '; '.")),
    Field("places", "string", _("Codes of the places it is about, separated by '; '.")),
    Field("taxonomies", "string", _("Topic slugs, separated by '; '.")),
    _space_field(),
    _created(),
    Field("updated_at", "datetime", _("Last change (UTC).")),
)


def _processes(scope: HubScope) -> Iterator[dict[str, Any]]:
    for process in plans_selectors.processes_in_hub(scope).order_by("created_at", "id"):
        yield {
            "id": process.pk,
            "slug": process.slug,
            "url": absolute(process.get_absolute_url()),
            "title": process.title,
            "description": process.description,
            "plan_title": process.plan_title,
            "plan_state": process.plan_state,
            "plan_adopted_on": day(process.plan_adopted_on),
            "participatory_space": process.space.slug,
            "created_at": utc(process.created_at),
        }


PROCESS_FIELDS = (
    _id(),
    Field("slug", "string", _("Stable slug of the process.")),
    _url(),
    Field("title", "string", _("Title.")),
    Field("description", "string", _("Description (Markdown).")),
    Field("plan_title", "string", _("Title of its action plan.")),
    Field("plan_state", "string", _("State of its action plan: draft or adopted.")),
    Field("plan_adopted_on", "date", _("When the action plan was adopted.")),
    _space_field(),
    _created(),
)


def _visible_ideas(scope: HubScope) -> Any:
    processes = plans_selectors.processes_in_hub(scope).values("pk")
    return Idea.objects.filter(process__in=processes, hidden_at__isnull=True)


def _ideas(scope: HubScope) -> Iterator[dict[str, Any]]:
    ideas = (
        _visible_ideas(scope)
        .select_related("process", "topic", "territory", "on_behalf_of")
        .order_by("created_at", "id")
    )
    for idea in ideas:
        yield {
            "id": idea.pk,
            "url": absolute(idea.get_absolute_url()),
            "title": idea.title,
            "body": idea.body,
            "process": idea.process.slug,
            "taxonomies": idea.topic.slug if idea.topic else None,
            "place": idea.territory.code if idea.territory else None,
            "latitude": number(idea.latitude),
            "longitude": number(idea.longitude),
            "author": idea.on_behalf_of.name if idea.on_behalf_of else None,
            "votes": idea.support_count,
            "comments_count": idea.comment_count,
            "state": idea.answer or None,
            "answered_at": utc(idea.answered_at),
            "result_id": idea.action_id,
            "created_at": utc(idea.created_at),
            "updated_at": utc(idea.updated_at),
        }


IDEA_FIELDS = (
    _id(),
    _url(),
    Field("title", "string", _("Title.")),
    Field("body", "string", _("Description (Markdown).")),
    Field("process", "string", _("Slug of the process it was posted to.")),
    Field("taxonomies", "string", _("Topic slug.")),
    Field("place", "string", _("Code of the place it is about.")),
    Field("latitude", "number", _("Latitude (WGS 84).")),
    Field("longitude", "number", _("Longitude (WGS 84).")),
    Field(
        "author",
        "string",
        _("Organisation it was posted on behalf of (people's names are not published)."),
    ),
    Field("votes", "integer", _("Number of supports.")),
    Field("comments_count", "integer", _("Number of comments.")),
    Field("state", "string", _("Answer of the organisers, if any.")),
    Field("answered_at", "datetime", _("When it was answered (UTC).")),
    Field("result_id", "integer", _("Identifier of the action it was merged into, if any.")),
    _created(),
    Field("updated_at", "datetime", _("Last change (UTC).")),
)


def _actions(scope: HubScope) -> Iterator[dict[str, Any]]:
    processes = plans_selectors.processes_in_hub(scope).values("pk")
    actions = (
        Action.objects.filter(process__in=processes)
        .select_related("process", "topic", "lead_organisation")
        .prefetch_related("partners")
        .order_by("created_at", "id")
    )
    for action in actions:
        yield {
            "id": action.pk,
            "url": absolute(action.get_absolute_url()),
            "title": action.title,
            "description": action.description,
            "process": action.process.slug,
            "status": action.status,
            "progress": action.progress,
            "start_date": day(action.starts_on),
            "end_date": day(action.due_on),
            "lead_organization": action.lead_organisation.name
            if action.lead_organisation
            else None,
            "organizations": joined(p.name for p in action.partners.all()),
            "taxonomies": action.topic.slug if action.topic else None,
            "comments_count": action.comment_count,
            "created_at": utc(action.created_at),
        }


ACTION_FIELDS = (
    _id(),
    _url(),
    Field("title", "string", _("Title.")),
    Field("description", "string", _("Description (Markdown).")),
    Field("process", "string", _("Slug of the process whose action plan it is in.")),
    Field("status", "string", _("proposed, planned, in_progress, done, dropped or delayed.")),
    Field("progress", "integer", _("Progress, in percent.")),
    Field("start_date", "date", _("Starts on.")),
    Field("end_date", "date", _("Due on.")),
    Field("lead_organization", "string", _("Lead organisation.")),
    Field("organizations", "string", _("Partner organisations, separated by '; '.")),
    Field("taxonomies", "string", _("Topic slug.")),
    Field("comments_count", "integer", _("Number of comments.")),
    _created(),
)

ALIGNMENT = {"for": 1, "against": -1, "neutral": 0}


def _comments(scope: HubScope) -> Iterator[dict[str, Any]]:
    ideas = {
        i.pk: i for i in _visible_ideas(scope).select_related("process").only("id", "process__slug")
    }
    processes = plans_selectors.processes_in_hub(scope).values("pk")
    actions = {
        a.pk: a
        for a in Action.objects.filter(process__in=processes)
        .select_related("process")
        .only("id", "process__slug")
    }
    idea_type = ContentType.objects.get_for_model(Idea)
    action_type = ContentType.objects.get_for_model(Action)
    targets = {idea_type.pk: ("idea", ideas), action_type.pk: ("action", actions)}
    comments = (
        Comment.objects.filter(hidden_at__isnull=True)
        .filter(
            Q(content_type=idea_type, object_id__in=list(ideas))
            | Q(content_type=action_type, object_id__in=list(actions))
        )
        .order_by("created_at", "id")
    )
    for comment in comments:
        kind, objects = targets[comment.content_type_id]
        target = objects[comment.object_id]
        yield {
            "id": comment.pk,
            "body": comment.body,
            "alignment": ALIGNMENT.get(comment.stance),
            "commentable_type": kind,
            "commentable_id": comment.object_id,
            "depth": 1 if comment.parent_id else 0,
            "parent_id": comment.parent_id,
            "root_commentable_url": absolute(target.get_absolute_url()),
            "created_at": utc(comment.created_at),
        }


COMMENT_FIELDS = (
    _id(),
    Field("body", "string", _("Text of the comment (its author is not published).")),
    Field("alignment", "integer", _("Stance: 1 in favour, -1 against, 0 neutral, empty if none.")),
    Field("commentable_type", "string", _("What it comments on: idea or action.")),
    Field("commentable_id", "integer", _("Identifier of the idea or action.")),
    Field("depth", "integer", _("0 for a comment, 1 for a reply.")),
    Field("parent_id", "integer", _("Identifier of the comment it replies to.")),
    Field("root_commentable_url", "string", _("Address of the idea or action.")),
    _created(),
)


def _commons(scope: HubScope) -> Iterator[dict[str, Any]]:
    commons = (
        commons_selectors.commons_in_hub(scope)
        .select_related("organisation", "territory")
        .order_by("name", "id")
    )
    for item in commons:
        yield {
            "id": item.pk,
            "slug": item.slug,
            "url": absolute(item.get_absolute_url()),
            "title": item.name,
            "type": item.kind,
            "description": item.description,
            "owner": item.owner,
            "organization": item.organisation.name if item.organisation else None,
            "place": item.territory.code if item.territory else None,
            "latitude": number(item.latitude),
            "longitude": number(item.longitude),
            "condition": item.condition or None,
            "created_at": utc(item.created_at),
        }


COMMONS_FIELDS = (
    _id(),
    Field("slug", "string", _("Stable slug of the commons.")),
    _url(),
    Field("title", "string", _("Name.")),
    Field("type", "string", _("Kind: place, building, facility, service, digital.")),
    Field("description", "string", _("Description (Markdown).")),
    Field("owner", "string", _("Kind of owner: city, public_body or private.")),
    Field("organization", "string", _("Organisation that looks after it.")),
    Field("place", "string", _("Code of the place where it is.")),
    Field("latitude", "number", _("Latitude (WGS 84).")),
    Field("longitude", "number", _("Longitude (WGS 84).")),
    Field("condition", "string", _("Condition: good, fair, poor or derelict.")),
    _created(),
)


def _pacts(scope: HubScope) -> Iterator[dict[str, Any]]:
    pacts = (
        commons_selectors.pacts_in_hub(scope).select_related("commons").order_by("created_at", "id")
    )
    for pact in pacts:
        yield {
            "id": pact.pk,
            "url": absolute(pact.get_absolute_url()),
            "title": pact.title,
            "type": pact.kind,
            "commons": pact.commons.slug if pact.commons else None,
            "state": pact.state,
            "state_published_at": utc(pact.state_since),
            "objectives": pact.objectives,
            "start_date": day(pact.starts_on),
            "end_date": day(pact.ends_on),
            "created_at": utc(pact.created_at),
        }


PACT_FIELDS = (
    _id(),
    _url(),
    Field("title", "string", _("Title.")),
    Field("type", "string", _("Kind of pact.")),
    Field("commons", "string", _("Slug of the commons it cares for.")),
    Field("state", "string", _("Current status.")),
    Field("state_published_at", "datetime", _("In this status since (UTC).")),
    Field("objectives", "string", _("Objectives.")),
    Field("start_date", "date", _("Starts on.")),
    Field("end_date", "date", _("Ends on.")),
    _created(),
)


def _pledges(scope: HubScope) -> Iterator[dict[str, Any]]:
    pledges = (
        pledge_selectors.pledges_in_hub(scope)
        .select_related("campaign", "organisation")
        .order_by("signed_on", "id")
    )
    for pledge in pledges:
        yield {
            "id": pledge.pk,
            "url": absolute(pledge.get_absolute_url()),
            "title": pledge.title,
            "statement": pledge.statement,
            "campaign": pledge.campaign.slug,
            "organization": pledge.organisation.name if pledge.organisation else None,
            "signed_on": day(pledge.signed_on),
            "published_at": utc(pledge.published_at),
        }


PLEDGE_FIELDS = (
    _id(),
    _url(),
    Field("title", "string", _("Title.")),
    Field("statement", "string", _("Statement (Markdown).")),
    Field("campaign", "string", _("Slug of the campaign.")),
    Field("organization", "string", _("Organisation that pledged.")),
    Field("signed_on", "date", _("Signed on.")),
    Field("published_at", "datetime", _("When it was published (UTC).")),
)

KINDS: tuple[Kind, ...] = (
    Kind("events", _("Events"), _("Public events and their dates."), EVENT_FIELDS, _events),
    Kind(
        "library_items",
        _("Library items"),
        _("Published case studies, policy examples, publications and news."),
        LIBRARY_FIELDS,
        _library_items,
    ),
    Kind("processes", _("Processes"), _("Participation processes."), PROCESS_FIELDS, _processes),
    Kind("ideas", _("Ideas"), _("Ideas posted to the processes."), IDEA_FIELDS, _ideas),
    Kind("actions", _("Actions"), _("Actions of the action plans."), ACTION_FIELDS, _actions),
    Kind("comments", _("Comments"), _("Comments on ideas and actions."), COMMENT_FIELDS, _comments),
    Kind("commons", _("Commons"), _("Urban commons."), COMMONS_FIELDS, _commons),
    Kind("pacts", _("Pacts"), _("Public pacts of collaboration."), PACT_FIELDS, _pacts),
    Kind("pledges", _("Pledges"), _("Published pledges."), PLEDGE_FIELDS, _pledges),
)
KINDS_BY_NAME = {kind.name: kind for kind in KINDS}


# --- the package ----------------------------------------------------------------------------


def license_id() -> str:
    return str(getattr(settings, "COCITY_OPEN_DATA_LICENSE", "") or DEFAULT_LICENSE)


def data_dir() -> Path:
    configured = getattr(settings, "COCITY_OPEN_DATA_DIR", "")
    return Path(configured) if configured else Path(settings.MEDIA_ROOT) / "open-data"


def package_url(scope_kind: str, key: str, name: str = "") -> str:
    return absolute(f"/open-data/{scope_kind}/{key}/{name}")


def _text(value: Any) -> str:
    return str(value) if isinstance(value, Promise) else value


def table_schema(kind: Kind) -> dict[str, Any]:
    return {
        "fields": [
            {"name": f.name, "type": f.type, "description": _text(f.description)}
            for f in kind.fields
        ],
        "primaryKey": "id",
        "missingValues": [""],
    }


def data_card(
    *, scope_kind: str, key: str, title: str, homepage: str, counts: dict[str, int]
) -> dict[str, Any]:
    licence = license_id()
    licence_title, licence_path = LICENSES.get(licence, (licence, ""))
    resources = []
    for kind in KINDS:
        schema = table_schema(kind)
        for fmt, mediatype in (("csv", "text/csv"), ("json", "application/json")):
            resources.append(
                {
                    "name": f"{kind.name.replace('_', '-')}-{fmt}",
                    "path": f"{kind.name}.{fmt}",
                    "profile": "tabular-data-resource",
                    "title": _text(kind.title),
                    "description": _text(kind.description),
                    "format": fmt,
                    "mediatype": mediatype,
                    "encoding": "utf-8",
                    "schema": schema,
                    "cocity:rows": counts.get(kind.name, 0),
                }
            )
    license_entry = {"name": licence, "title": licence_title}
    if licence_path:
        license_entry["path"] = licence_path
    site = str(settings.COCITY_SITE_NAME)
    return {
        "profile": "tabular-data-package",
        "name": f"{re.sub(r'[^a-z0-9._-]+', '-', site.lower())}-{scope_kind}-{key.lower()}",
        "id": package_url(scope_kind, key, CARD),
        "title": title,
        "description": _text(
            _(
                "The public content of %(title)s on %(site)s, regenerated after changes. Members-"
                "only content, drafts and people's names are not included."
            )
        )
        % {"title": title, "site": site},
        "homepage": homepage,
        "licenses": [license_entry],
        "created": utc(timezone.now()),
        "sources": [{"title": site, "path": base_url() + "/"}],
        "keywords": ["cocity", "open data", "participation", "interoperable deliberative tools"],
        "cocity:scope": {"kind": scope_kind, "key": key},
        "resources": resources,
    }


def _csv_bytes(kind: Kind, rows: list[dict[str, Any]]) -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    names = kind.field_names
    writer.writerow(names)
    for row in rows:
        values = [row.get(name) for name in names]
        values = [("true" if v else "false") if isinstance(v, bool) else v for v in values]
        writer.writerow(safe_row(values))
    return out.getvalue().encode("utf-8")


def _json_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def build(
    scope: HubScope, *, scope_kind: str, key: str, title: str, homepage: str
) -> dict[str, bytes]:
    """Every file of a package, by name. Field descriptions in the site's language."""
    files: dict[str, bytes] = {}
    counts: dict[str, int] = {}
    with override(settings.LANGUAGE_CODE):
        for kind in KINDS:
            rows = [{name: row.get(name) for name in kind.field_names} for row in kind.rows(scope)]
            counts[kind.name] = len(rows)
            files[f"{kind.name}.csv"] = _csv_bytes(kind, rows)
            files[f"{kind.name}.json"] = _json_bytes(rows)
        card = data_card(
            scope_kind=scope_kind, key=key, title=title, homepage=homepage, counts=counts
        )
    files[CARD] = _json_bytes(card)
    return files


def write_atomically(target: Path, files: dict[str, bytes]) -> None:
    """Write the package into a new folder beside ``target``, then swap a symbolic link to it
    in one rename: readers see the old package or the new one, never half of each."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    for name, content in files.items():
        (fresh / name).write_bytes(content)
    os.chmod(fresh, 0o755)  # noqa: S103 - public files, readable by the web server
    # The folder's random part only: a name holding the slug twice passes the file system's
    # 255 bytes for a long slug (up to 200 characters), and the regeneration failed (a 500).
    link = target.parent / f".{target.name}.link-{fresh.name.rsplit('-', 1)[-1]}"
    os.symlink(fresh.name, link)
    previous = os.readlink(target) if target.is_symlink() else None
    if target.exists() and not target.is_symlink():
        shutil.rmtree(target)  # a folder left by hand: replaced
    os.replace(link, target)
    if previous and previous != fresh.name:
        shutil.rmtree(target.parent / previous, ignore_errors=True)
    _sweep(target, keep=fresh.name)


def _sweep(target: Path, *, keep: str) -> None:
    """Remove the folders of this package that two regenerations at once may have left behind
    (each removes the folder it replaced): those no link points to, older than ten minutes (a
    regeneration still writing its folder is not touched)."""
    limit = time.time() - 600
    for old in target.parent.glob(f".{target.name}-*"):
        try:
            if old.name != keep and old.is_dir() and old.stat().st_mtime < limit:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            continue


def remove(target: Path) -> None:
    if target.is_symlink():
        previous = os.readlink(target)
        target.unlink()
        shutil.rmtree(target.parent / previous, ignore_errors=True)
    elif target.exists():
        shutil.rmtree(target)


def public_spaces() -> Any:
    return spaces_visible_to(AnonymousUser()).order_by("slug")


def cities() -> Any:
    """Cities with at least one public space in them or below them."""
    paths = (
        public_spaces().filter(territory__isnull=False).values_list("territory__path", flat=True)
    )
    wanted = {p for path in paths for p in _paths_up(path)}
    return Territory.objects.filter(kind=Territory.Kind.CITY, path__in=wanted).order_by("code")


def _paths_up(path: str) -> list[str]:
    parts = [part for part in path.split("/") if part]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def space_package(space: Space) -> dict[str, bytes]:
    scope = space_scope(space=space, user=AnonymousUser())
    return build(
        scope,
        scope_kind="spaces",
        key=space.slug,
        title=space.name,
        homepage=absolute(space.get_absolute_url()),
    )


def city_package(city: Territory) -> dict[str, bytes]:
    scope = territory_scope(territory=city, user=AnonymousUser())
    return build(
        scope,
        scope_kind="cities",
        key=city.code,
        title=city.name,
        homepage=absolute(city.get_absolute_url()),
    )


def package_dir(scope_kind: str, key: str) -> Path:
    return data_dir() / scope_kind / key


def publish_space(space: Space) -> None:
    write_atomically(package_dir("spaces", space.slug), space_package(space))


def publish_city(city: Territory) -> None:
    write_atomically(package_dir("cities", city.code), city_package(city))


def publish(*, space: str | None = None, city: str | None = None) -> list[str]:
    """Regenerate the packages (all of them, or one space's, or one city's) and remove those of
    spaces and cities that are no longer public. Returns what was written, as "spaces/slug"."""
    written: list[str] = []
    if space is None and city is None:
        spaces = list(public_spaces())
        towns = list(cities())
        for scope_kind, keep in (
            ("spaces", {s.slug for s in spaces}),
            ("cities", {c.code for c in towns}),
        ):
            for key in published_keys(scope_kind):
                if key not in keep:
                    remove(package_dir(scope_kind, key))
    else:
        spaces = list(public_spaces().filter(slug=space)) if space else []
        towns = list(cities().filter(code=city)) if city else []
        if space and not spaces:
            if _safe_key(space):
                remove(package_dir("spaces", space))  # no longer public: unpublished
            raise LookupError(space)
        if city and not towns:
            raise LookupError(city)
    for item in spaces:
        publish_space(item)
        written.append(f"spaces/{item.slug}")
    for town in towns:
        publish_city(town)
        written.append(f"cities/{town.code}")
    return written


def _safe_key(key: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}", key)) and ".." not in key


def published_keys(scope_kind: str) -> list[str]:
    folder = data_dir() / scope_kind
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def published_file(scope_kind: str, key: str, name: str) -> Path | None:
    """The path of a published file, or None (unknown scope, key or file name)."""
    if scope_kind not in SCOPES or not _safe_key(key) or not FILE_NAME.fullmatch(name):
        return None
    path = package_dir(scope_kind, key) / name
    return path if path.is_file() else None


def read_card(scope_kind: str, key: str) -> dict[str, Any] | None:
    path = published_file(scope_kind, key, CARD)
    if path is None:
        return None
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
