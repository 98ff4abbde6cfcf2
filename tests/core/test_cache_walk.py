"""Every cached page, every model it shows (cocity.core.cache, decision 0007).

On the demo network, the walk visits every URL pattern whose view carries ``public_page_cache``
as an anonymous visitor, and

1. reads which tables the page's rendering queried: each model read must be in the cache table
   under one of the page's namespaces (or ``EVERYWHERE``), or be listed in ``NOT_SHOWN`` with the
   reason it cannot make the page stale;
2. for each model of the table the page shows, writes a row through the admin (the change form,
   as a browser posts it; the value of a text field the page shows is replaced by a marker) and
   through the service that owns the model, and checks that the next anonymous request is
   rendered again (not the cached copy), showing the marker.

A new cached page fails here until ``SAMPLES`` says which address to visit; a model shown on a
cached page fails until the table covers it and ``SERVICE_WRITES`` says how its service writes.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cocity.core import cache as page_cache
from tests.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db

MARKER = "Walked4Cache"
NUMBERS = (models.IntegerField, models.DecimalField, models.FloatField)

# Tables a cached page may read without showing their rows to anyone: why they cannot make a
# cached page stale.
NOT_SHOWN: dict[str, str] = {
    "django_content_type": "content types never change while the site runs",
    "django_session": "visitors served from the cache have no session",
}


def cached_patterns() -> Iterator[tuple[str, tuple[str, ...]]]:
    """(URL name, namespaces) of every view decorated with ``public_page_cache``."""

    def walk(patterns: list[Any], namespace: str | None) -> Iterator[tuple[str, Any]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                nested = f"{namespace}:{inner}" if namespace and inner else inner or namespace
                yield from walk(pattern.url_patterns, nested)
            elif isinstance(pattern, URLPattern):
                policy = getattr(pattern.callback, "_cocity_page_cache", None)
                if policy is not None:
                    name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
                    yield name, policy[0]

    yield from walk(get_resolver().url_patterns, None)


def _model(label: str) -> type[models.Model]:
    return apps.get_model(label)


def _first(label: str, **filters: Any) -> Any:
    found = _model(label).objects.filter(**filters).order_by("pk").first()
    assert found is not None, f"the demo network has no {label} with {filters}"
    return found


def _public_process() -> Any:
    return _first("plans.Process", space__visibility="public", ideas__isnull=False)


def _public_event() -> Any:
    return _model("events.Event").objects.filter(
        space__visibility="public", tracks__sessions__isnull=False
    ).exclude(status="draft").order_by("pk").first() or _first(
        "events.Event", space__visibility="public"
    )


def _pledging_organisation() -> Any:
    return _first("pledges.Pledge", state="published").organisation


def _principle() -> Any:
    return _first("pledges.FrameworkItem", framework__isnull=False)


# Which address of each cached page the walk visits (URL name -> path).
SAMPLES: dict[str, Callable[[], str]] = {
    "home": lambda: reverse("home"),
    "network:organisation_list": lambda: reverse("network:organisation_list"),
    "network:organisation_detail": lambda: _first("network.Organisation").get_absolute_url(),
    "network:space_list": lambda: reverse("network:space_list"),
    "network:space_detail": lambda: _first(
        "network.Space", visibility="public", memberships__isnull=False
    ).get_absolute_url(),
    "network:territory_list": lambda: reverse("network:territory_list"),
    "network:territory_detail": lambda: _first("network.Territory", kind="city").get_absolute_url(),
    "network:territory_boundary": lambda: (
        reverse("network:territory_boundary") + f"?id={_first('network.Territory', kind='city').pk}"
    ),
    "network:topic_detail": lambda: reverse(
        "network:topic_detail", args=[_first("network.Topic").slug]
    ),
    "events:event_list": lambda: reverse("events:event_list") + "?when=all",
    "events:event_map": lambda: reverse("events:event_map") + "?when=all",
    "events:series_detail": lambda: _first(
        "events.Series", space__visibility="public", events__isnull=False
    ).get_absolute_url(),
    "events:event_detail": lambda: _public_event().get_absolute_url(),
    "pledges:index": lambda: reverse("pledges:index"),
    "pledges:campaign_detail": lambda: _first("pledges.Campaign").get_absolute_url(),
    "pledges:organisation_pledges": lambda: reverse(
        "pledges:organisation_pledges", args=[_pledging_organisation().slug]
    ),
    "pledges:framework_detail": lambda: _first("pledges.Framework").get_absolute_url(),
    "pledges:principle_detail": lambda: reverse(
        "pledges:principle_detail", args=[_principle().framework.slug, _principle().code]
    ),
    "plans:process_detail": lambda: _public_process().get_absolute_url(),
    "plans:idea_list": lambda: reverse("plans:idea_list", args=[_public_process().slug]),
    "plans:idea_detail": lambda: _first(
        "plans.Idea", process=_public_process(), hidden_at__isnull=True
    ).get_absolute_url(),
    "plans:action_detail": lambda: _first(
        "plans.Action", process__space__visibility="public"
    ).get_absolute_url(),
    "plans:plan": lambda: reverse("plans:plan", args=[_public_process().slug]),
    "plans:plan_print": lambda: reverse("plans:plan_print", args=[_public_process().slug]),
    "commons:index": lambda: reverse("commons:index"),
    "commons:map": lambda: reverse("commons:map"),
    "commons:map_geojson": lambda: reverse("commons:map_geojson") + "?bbox=-180,-90,180,90",
}


def _tables() -> dict[str, type[models.Model]]:
    return {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)}


TABLE_IN_SQL = re.compile(r'(?:FROM|JOIN)\s+"?(\w+)"?', re.IGNORECASE)


def _namespaces_of(model: type[models.Model]) -> set[str]:
    names = set(page_cache.cache_namespaces_of(model))
    names |= page_cache._M2M.get(model, set())
    return names


def _get(client: Client, path: str) -> tuple[Any, int]:
    """The anonymous page and the number of queries it cost (0: served from the cache)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response, len(queries)


def test_every_cached_page_changes_after_a_write_of_every_model_it_shows(
    admin_client: Client,
) -> None:
    call_command("demo_data", verbosity=0)
    pages = dict(cached_patterns())
    missing = sorted(set(pages) - set(SAMPLES))
    assert not missing, f"cached pages the walk does not visit (add them to SAMPLES): {missing}"
    assert not set(SAMPLES) - set(pages), "SAMPLES names pages that are no longer cached"

    visitor, problems = Client(), []
    paths = {name: SAMPLES[name]() for name in pages}
    tables = _tables()
    shown_on: dict[type[models.Model], list[str]] = {}
    for name, path in paths.items():
        with CaptureQueriesContext(connection) as queries:
            assert visitor.get(path).status_code == 200, path
        covered = set(pages[name]) | {page_cache.EVERYWHERE}
        read = {t for q in queries.captured_queries for t in TABLE_IN_SQL.findall(q["sql"])}
        for table in sorted(read):
            if table in NOT_SHOWN:
                continue
            model = tables.get(table)
            if model is None:
                continue  # full-text tables and the like: written with their rows
            if not _namespaces_of(model) & covered:
                problems.append(
                    f"{name} reads {model._meta.label}, which none of its namespaces "
                    f"{sorted(covered)} covers: add it to the cache table (apps.py)"
                )
            elif not model._meta.auto_created:
                shown_on.setdefault(model, []).append(name)
        _, cost = _get(visitor, path)
        if cost:
            problems.append(f"{name}: the second anonymous visit was not served from the cache")
    assert not problems, "\n".join(problems)

    missing_writes = sorted(m._meta.label for m in shown_on if m._meta.label not in SERVICE_WRITES)
    assert not missing_writes, (
        f"models shown on cached pages without a service write in the walk: {missing_writes}"
    )
    for model, names in sorted(shown_on.items(), key=lambda item: item[0]._meta.label):
        problems += _walk_model(admin_client, visitor, model, {n: paths[n] for n in names})
    assert not problems, "\n".join(problems)


def _walk_model(
    admin_client: Client, visitor: Client, model: type[models.Model], paths: dict[str, str]
) -> list[str]:
    label, problems = model._meta.label, []
    for path in paths.values():
        visitor.get(path)  # cached again
    before = {name: _get(visitor, path)[0].content.decode() for name, path in paths.items()}
    outcome, shown, renamed = _admin_write(admin_client, model, before)
    if outcome == "refused":
        problems.append(f"{label}: the admin refused its own change form")
    for name, path in paths.items():
        response, cost = _get(visitor, path)
        if outcome == "saved" and not cost:
            problems.append(f"{label} changed in the admin: {name} still served the cached copy")
        page = response.content.decode()
        if outcome == "saved" and shown and f">{shown}<" in before[name] and renamed not in page:
            problems.append(f"{label} renamed in the admin: {name} does not show it")
    write = SERVICE_WRITES[label]
    if write is None:
        return problems
    try:
        write()
    except Exception as error:
        return [*problems, f"{label}: the walk's service write failed: {error!r}"]
    for name, path in paths.items():
        if not _get(visitor, path)[1]:
            problems.append(f"{label} written by its service: {name} still served the cached copy")
    return problems


def _admin_write(
    admin_client: Client, model: type[models.Model], pages: dict[str, str]
) -> tuple[str, str, str]:
    """Post the admin change form of a row of ``model``, changed: a text a page shows replaced
    by a marker, else another value of a field with choices, or a number plus one.
    ("saved", text shown, new text); ("read-only", ...) when the admin does not edit this model
    or the form changed nothing it could; ("refused", ...) when the admin refused its own
    form."""
    model_admin = admin.site._registry.get(model)
    if model_admin is None:
        return "read-only", "", ""
    editable = [f for f in model._meta.concrete_fields if f.editable and not f.unique]
    texts = [f.name for f in editable if isinstance(f, models.CharField) and not f.choices]
    row, changes, shown, renamed = None, {}, "", ""
    for candidate in model._default_manager.order_by("pk")[:200]:
        for name in texts:
            value = str(getattr(candidate, name) or "")
            if len(value) >= 6 and any(f">{value}<" in page for page in pages.values()):
                row, shown = candidate, value
                renamed = f"{value} {MARKER}"[: model._meta.get_field(name).max_length]
                changes = {name: renamed}
                break
        if row is not None:
            break
    rows = [row] if row is not None else list(model._default_manager.order_by("pk")[:10])
    outcome = "read-only"
    for row in rows:  # a change a rule refuses (the last admin of a space): the next row
        if not shown:
            changes = {}
            for field in editable:
                now = getattr(row, field.attname)
                others = [c for c, _label in field.choices or () if c != now]
                if others:
                    changes = {field.name: others[0]}
                    break
                if isinstance(field, NUMBERS) and not field.is_relation:
                    changes = {field.name: str((now or 0) + 1)}
                    break
        outcome = _post_change(admin_client, row, changes)
        if outcome != "refused":
            break
    return outcome, shown, renamed


def _post_change(admin_client: Client, row: models.Model, changes: dict[str, Any]) -> str:
    meta = row._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[row.pk])
    form = admin_client.get(url)
    if form.status_code != 200 or b'name="_save"' not in form.content:
        return "read-only"
    data = admin_form_data(admin_client, url)
    changes = {name: value for name, value in changes.items() if name in data}
    if not changes:
        return "read-only"  # what the admin lets change, no cached page shows
    response = admin_client.post(url, {**data, **changes})
    return "saved" if response.status_code == 302 else "refused"


# How the service that owns each model shown on a cached page writes a row of it. ``None``, with
# the reason, for a model no service writes on its own.


_FRESH = itertools.count()


def _staff() -> Any:
    return _model("accounts.User").objects.filter(is_superuser=True).order_by("pk").first()


def _today() -> Any:
    from django.utils import timezone

    return timezone.localdate()


def _write_user() -> None:
    from cocity.accounts import services

    person = _first("plans.Idea", process=_public_process()).author
    services.profile_update(
        user=person,
        display_name=f"{person.display_name} {MARKER}"[:120],
        bio=person.bio,
        languages=list(person.languages or []),
        time_zone=person.time_zone,
        home_city=person.home_city,
        home_neighbourhood=person.home_neighbourhood,
    )


def _write_commons() -> None:
    from cocity.commons import services

    commons = _first("commons.Commons")
    services.commons_create(
        organisation=commons.organisation,
        name=f"Walked commons {MARKER}",
        slug="walked-commons",
        kind=commons.kind,
        territory=commons.territory,
        actor=_staff(),
        latitude=commons.latitude,
        longitude=commons.longitude,
    )


def _write_call() -> None:
    from datetime import timedelta

    from cocity.commons import services

    commons = _first("commons.Commons")
    services.call_create(
        organisation=commons.organisation,
        title=f"Walked call {MARKER}",
        slug="walked-call",
        opens_on=_today(),
        closes_on=_today() + timedelta(days=30),
        commons=[commons],
        actor=_staff(),
    )


def _write_pact() -> None:
    from cocity.commons import services

    pact = _first("commons.Pact")
    services.pact_update(pact=pact, actor=_staff(), title=f"{pact.title} {MARKER}"[:200])


def _write_event() -> None:
    from cocity.events import services

    event = _public_event()
    services.event_update(event=event, actor=_staff(), title=f"{event.title} {MARKER}"[:200])


def _write_series() -> None:
    from cocity.events import services

    series = _first("events.Series", space__visibility="public", events__isnull=False)
    services.series_update(
        series=series,
        name=f"{series.name} {MARKER}"[:200],
        slug=series.slug,
        parent=series.parent,
        summary=series.summary,
        description=series.description,
    )


def _write_track() -> None:
    from cocity.events import services

    track = _first("events.Track", event=_public_event())
    services.track_update(
        track=track,
        name=f"{track.name} {MARKER}"[:200],
        description=track.description,
        capacity=track.capacity,
        registration_deadline=track.registration_deadline,
    )


def _write_session() -> None:
    from datetime import time, timedelta

    from cocity.events import services

    track = _first("events.Track", event=_public_event())
    services.session_create(
        track=track,
        day=_today() + timedelta(days=400),
        start=time(10),
        end=time(11),
        time_zone="Europe/Brussels",
        title=MARKER,
        notify=False,
    )


def _write_speaker() -> None:
    from cocity.events import services

    services.speaker_add(event=_public_event(), name=f"Speaker {MARKER}")


def _write_material() -> None:
    from cocity.events import services

    services.material_add(event=_public_event(), title=MARKER, url="https://example.org/walk")


def _write_question() -> None:
    from cocity.events import services

    services.question_add(event=_public_event(), label=f"Question {MARKER}")


def _write_organisation() -> None:
    from cocity.network.services import organisations as services

    organisation = _first("network.Organisation")
    services.organisation_update(
        organisation=organisation,
        name=f"{organisation.name} {MARKER}"[:200],
        kind=organisation.kind,
        home_territory=organisation.home_territory,
        website=organisation.website,
        description=organisation.description,
        logo_alt=organisation.logo_alt,
    )


def _write_organisation_membership() -> None:
    from cocity.network.services import organisations as services

    organisation = _first("network.Organisation")
    person = (
        _model("accounts.User")
        .objects.exclude(organisation_memberships__organisation=organisation)
        .filter(deleted_at__isnull=True)
        .order_by("pk")
        .first()
    )
    services.organisation_member_add(organisation=organisation, email=person.email)


def _write_space() -> None:
    from cocity.network.services import spaces as services

    space = _first("network.Space", visibility="public", memberships__isnull=False)
    services.space_update(space=space, actor=_staff(), name=f"{space.name} {MARKER}"[:200])


def _write_space_membership() -> None:
    from cocity.network.services import spaces as services

    space = _first("network.Space", visibility="public", join_policy="open")
    person = (
        _model("accounts.User")
        .objects.exclude(space_memberships__space=space)
        .filter(deleted_at__isnull=True, is_active=True)
        .order_by("pk")
        .first()
    )
    services.space_join(space=space, user=person)


def _write_territory() -> None:
    from cocity.network.services import territories as services

    territory = _first("network.Territory", kind="city")
    services.territory_update(territory=territory, name=f"{territory.name} {MARKER}")


def _write_topic() -> None:
    from cocity.network.services import topics as services

    topic = _first("network.Topic")
    services.topic_update(
        topic=topic,
        name=f"{topic.name} {MARKER}"[:100],
        slug=topic.slug,
        parent=topic.parent,
        description=topic.description,
        translations=topic.translations,
    )


def _write_comment() -> None:
    from cocity.participation import services

    idea = _first("plans.Idea", process=_public_process(), hidden_at__isnull=True)
    services.comment_create(target=idea, author=_staff(), body=MARKER)


def _write_process() -> None:
    from cocity.plans import services

    process = _public_process()
    services.process_update(process=process, actor=_staff(), title=f"{process.title} {MARKER}")


def _write_phase() -> None:
    from datetime import timedelta

    from cocity.plans import services

    services.phase_add(
        process=_public_process(),
        kind="monitor",
        starts_on=_today() + timedelta(days=500),
        ends_on=_today() + timedelta(days=600),
        name=MARKER,
    )


def _write_idea() -> None:
    from cocity.plans import services

    idea = _first("plans.Idea", process=_public_process(), hidden_at__isnull=True)
    services.idea_answer(idea=idea, facilitator=_staff(), answer="under_study", reason=MARKER)


def _write_action() -> None:
    from cocity.plans import services

    action = _first("plans.Action", process__space__visibility="public")
    action.title = f"{action.title} {MARKER}"[:200]
    services.action_save(action=action, actor=_staff())


def _write_progress() -> None:
    from cocity.plans import services

    action = _first("plans.Action", process__space__visibility="public")
    services.progress_add(
        action=action, author=_staff(), text=MARKER, progress=50, status=action.status
    )


def _write_framework() -> None:
    from cocity.pledges import services

    services.framework_create(
        organisation=_first("network.Organisation"),
        slug=f"walked-framework-{next(_FRESH)}",
        name=f"Framework {MARKER}",
        items=[services.ItemInput(code="W1", name=f"Principle {MARKER}")],
    )


def _write_campaign() -> None:
    from cocity.pledges import services

    campaign = _first("pledges.Campaign")
    services.campaign_update(campaign=campaign, name=f"{campaign.name} {MARKER}"[:200])


def _write_pledge() -> None:
    from cocity.pledges import services

    pledge = _first("pledges.Pledge", state="published")
    services.pledge_update(
        pledge=pledge,
        title=f"{pledge.title} {MARKER}"[:200],
        statement=pledge.statement,
        principles=list(pledge.principles.all()),
        signed_by=pledge.signed_by,
        signed_on=pledge.signed_on,
    )


def _write_measure() -> None:
    from datetime import timedelta

    from cocity.pledges import services

    pledge = _first("pledges.Pledge", state="published")
    services.measure_add(
        pledge=pledge,
        description=f"Measure {MARKER}",
        amount="1000",
        currency=pledge.campaign.currency,
        starts_on=_today(),
        ends_on=_today() + timedelta(days=365),
    )


def _write_measure_link() -> None:
    from cocity.pledges import services

    measure = _first("pledges.Measure", pledge__state="published")
    services.link_add(measure=measure, kind="other", url="https://example.org/walk", title=MARKER)


def _write_summary() -> None:
    from cocity.pledges import services

    services.summary_recompute(campaign=_first("pledges.Campaign"))


def _write_rate() -> None:
    from cocity.pledges import services

    services.exchange_rate_set(base="USD", quote="EUR", rate="0.9", valid_on=_today())


def _write_library_item() -> None:
    from cocity.library import services

    item = _first("library.LibraryItem", status="published", space__visibility="public")
    services.item_archive(user=_staff(), item=item)


def _write_dataset() -> None:
    from cocity.insights import services

    services.dataset_compute(dataset=_first("insights.DataSet", status="ready"))


SERVICE_WRITES: dict[str, Callable[[], None] | None] = {
    "accounts.User": _write_user,
    # Written only with its imported event or library item (open-data import), whose own save
    # bumps the same namespaces.
    "api.ImportedRecord": None,
    "commons.CallForCare": _write_call,
    "commons.Commons": _write_commons,
    "commons.Pact": _write_pact,
    "events.Event": _write_event,
    "events.Material": _write_material,
    "events.Question": _write_question,
    "events.Series": _write_series,
    "events.Session": _write_session,
    "events.Speaker": _write_speaker,
    "events.Track": _write_track,
    # Shown on the hub pages of spaces, organisations and places (cocity.core.hubs).
    "insights.DataSet": _write_dataset,
    "library.LibraryItem": _write_library_item,
    "network.Organisation": _write_organisation,
    "network.OrganisationMembership": _write_organisation_membership,
    "network.Space": _write_space,
    "network.SpaceMembership": _write_space_membership,
    "network.Territory": _write_territory,
    "network.Topic": _write_topic,
    "participation.Comment": _write_comment,
    "plans.Action": _write_action,
    "plans.Idea": _write_idea,
    # Written only with its idea (idea_create), whose own save bumps the same namespace.
    "plans.IdeaAttachment": None,
    "plans.Phase": _write_phase,
    "plans.Process": _write_process,
    "plans.ProgressUpdate": _write_progress,
    "pledges.Campaign": _write_campaign,
    "pledges.CampaignSummary": _write_summary,
    "pledges.ExchangeRate": _write_rate,
    "pledges.Framework": _write_framework,
    # Written only with its framework (framework_create): the same namespace.
    "pledges.FrameworkItem": _write_framework,
    "pledges.Measure": _write_measure,
    "pledges.MeasureLink": _write_measure_link,
    "pledges.Pledge": _write_pledge,
}
