"""Urban commons, calls for care and collaboration pacts with their dated history of states.

Read through ``cocity.commons.selectors`` with the pages' filters (``forms.PactFilterForm``): the
registries list the public pacts only; a draft or withdrawn pact answers 404 to whoever its page
refuses (``commons.view_pact``: its parties and the officers of the commons may see it).
"""

from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema

from cocity.commons import selectors
from cocity.commons.forms import PactFilterForm
from cocity.commons.models import CallForCare, Commons, Pact
from cocity.core.translations import translated
from cocity.network.selectors.hubs import hub_scope_from_query

from ..errors import ApiError
from ..http import conditional
from ..pagination import cursor_page
from .threads import CommentPage, comment_page

router = Router(tags=["commons"])

MAX_ID = 2**63 - 1
SHOWN = ("commons", "network")


# --- schemas -----------------------------------------------------------------------------------


class CommonsPlaceRef(Schema):
    code: str
    name: str


class CommonsOrganisationRef(Schema):
    slug: str
    name: str


class CommonsTopicRef(Schema):
    slug: str
    name: str


class CommonsRef(Schema):
    slug: str
    name: str
    kind: str
    place: CommonsPlaceRef | None
    url: str


class CommonsOut(Schema):
    slug: str
    name: str
    kind: str
    kind_label: str
    organisation: CommonsOrganisationRef
    department: str
    place: CommonsPlaceRef | None
    latitude: float | None
    longitude: float | None
    pact_count: int
    url: str


class CommonsPage(Schema):
    items: list[CommonsOut]
    next: str | None


class PhotoOut(Schema):
    url: str
    alt_text: str


class CallRef(Schema):
    slug: str
    title: str
    url: str


class CommonsDetailOut(CommonsOut):
    description: str
    original_language: str
    owner: str
    owner_label: str
    owner_name: str
    condition: str
    condition_label: str
    shape: dict[str, Any] | None
    topics: list[CommonsTopicRef]
    photos: list[PhotoOut]
    calls: list[CallRef]


class CallOut(Schema):
    slug: str
    title: str
    organisation: CommonsOrganisationRef
    opens_on: date
    closes_on: date
    open: bool
    commons_count: int
    url: str


class CallPage(Schema):
    items: list[CallOut]
    next: str | None


class CallDetailOut(CallOut):
    description: str
    original_language: str
    commons: list[CommonsRef]


class PactOut(Schema):
    id: int
    title: str
    kind: str
    state: str
    state_label: str
    level: str
    commons: CommonsRef
    created_at: datetime
    starts_on: date
    ends_on: date
    step_due_on: date | None
    overdue: bool
    url: str


class PactPage(Schema):
    items: list[PactOut]
    next: str | None


class CommitmentOut(Schema):
    category: str
    description: str


class PartyOut(Schema):
    role: str
    name: str
    organisation: CommonsOrganisationRef | None
    contact: str | None
    signed_at: datetime | None
    signed_by: str | None
    commitments: list[CommitmentOut]


class ActivityOut(Schema):
    description: str
    starts_on: date
    ends_on: date


class HistoryEntryOut(Schema):
    created_at: datetime
    action: str
    from_state: str
    to_state: str
    to_state_label: str
    by: str | None
    reason: str
    due_on: date | None


class PactReportOut(Schema):
    period_start: date
    period_end: date
    summary: str
    hours: int
    indicator_values: dict[str, Any]
    author: str


class PactDocumentOut(Schema):
    title: str
    url: str


class PactRef(Schema):
    id: int
    title: str
    state: str
    url: str


class PactDetailOut(PactOut):
    objectives: str
    original_language: str
    level_label: str
    state_since: datetime
    organisation: CommonsOrganisationRef
    department: str
    call: CallRef | None
    competes_with: PactRef | None
    merged_into: PactRef | None
    competing: list[PactRef]
    resources_offered: str
    resources_requested: str
    responsibilities: str
    renewal_terms: str
    termination_terms: str
    reporting_duties: str
    indicators: list[str]
    parties: list[PartyOut]
    activities: list[ActivityOut]
    reports: list[PactReportOut]
    volunteer_hours: int
    documents: list[PactDocumentOut]
    history: list[HistoryEntryOut]


# --- converting --------------------------------------------------------------------------------


# The converters make plain dicts: the response's schema validates them once.


def _place(territory: Any) -> dict[str, Any] | None:
    if territory is None:
        return None
    return {"code": territory.code, "name": translated(territory, "name")}


def _organisation(organisation: Any) -> dict[str, Any]:
    return {"slug": organisation.slug, "name": translated(organisation, "name")}


def _commons_ref(commons: Commons) -> dict[str, Any]:
    return {
        "slug": commons.slug,
        "name": translated(commons, "name"),
        "kind": commons.kind,
        "place": _place(commons.territory) if commons.territory_id else None,
        "url": commons.get_absolute_url(),
    }


def _commons(commons: Commons) -> dict[str, Any]:
    return {
        "slug": commons.slug,
        "name": translated(commons, "name"),
        "kind": commons.kind,
        "kind_label": str(commons.get_kind_display()),
        "organisation": _organisation(commons.organisation),
        "department": commons.department,
        "place": _place(commons.territory),
        "latitude": commons.latitude,
        "longitude": commons.longitude,
        "pact_count": getattr(commons, "pact_count", 0),
        "url": commons.get_absolute_url(),
    }


def _call(call: CallForCare, today: date) -> dict[str, Any]:
    return {
        "slug": call.slug,
        "title": translated(call, "title"),
        "organisation": _organisation(call.organisation),
        "opens_on": call.opens_on,
        "closes_on": call.closes_on,
        "open": call.opens_on <= today <= call.closes_on,
        "commons_count": getattr(call, "commons_count", 0),
        "url": call.get_absolute_url(),
    }


def _pact(pact: Pact, today: date) -> dict[str, Any]:
    return {
        "id": pact.pk,
        "title": translated(pact, "title"),
        "kind": pact.kind,
        "state": pact.state,
        "state_label": str(pact.get_state_display()),
        "level": pact.level,
        "commons": _commons_ref(pact.commons),
        "created_at": pact.created_at,
        "starts_on": pact.starts_on,
        "ends_on": pact.ends_on,
        "step_due_on": pact.step_due_on,
        "overdue": bool(pact.step_due_on and pact.step_due_on < today),
        "url": pact.get_absolute_url(),
    }


def _pact_ref(pact: Pact | None) -> PactRef | None:
    if pact is None:
        return None
    return PactRef(
        id=pact.pk, title=translated(pact, "title"), state=pact.state, url=pact.get_absolute_url()
    )


def _filters(request: HttpRequest, values: dict[str, Any], *, of_pacts: bool) -> dict[str, Any]:
    """The pages' filter form on the API's parameters: its values, or 422 naming the wrong ones
    (the page quietly drops them; a script should hear about them). A hub (``space``,
    ``organisation``, ``place``) the caller may not see is a 404, as on the page."""
    data = {name: "" if value is None else str(value) for name, value in values.items()}
    form = PactFilterForm(data, places=selectors.filter_places(of_pacts=of_pacts))
    if not form.is_valid():
        raise ApiError(
            422,
            _("The request is not valid."),
            errors=[
                {"field": field, "message": " ".join(str(m) for m in messages)}
                for field, messages in form.errors.items()
            ],
        )
    filters = dict(form.cleaned_data)
    hub = hub_scope_from_query(user=request.user, params=data)
    if hub is not None:
        filters["hub"] = hub
    return filters


# --- commons -----------------------------------------------------------------------------------


@router.get(
    "/commons",
    response=CommonsPage,
    summary="The registry of urban commons, by name",
    description="The registry's filters: `commons_kind`, `territory` (a place's code: the "
    "place and the places in it), and a hub: `space`, `organisation` (slugs) or `place` (code).",
)
@conditional(*SHOWN)
def commons_list(
    request: HttpRequest,
    commons_kind: Commons.Kind | None = None,
    territory: str | None = Query(None, max_length=32),
    space: str | None = Query(None, max_length=200),
    organisation: str | None = Query(None, max_length=200),
    place: str | None = Query(None, max_length=32),
    cursor: str | None = Query(None, max_length=2000),
    limit: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    filters = _filters(
        request,
        {
            "commons_kind": commons_kind,
            "territory": territory,
            "space": space,
            "organisation": organisation,
            "place": place,
        },
        of_pacts=False,
    )
    return cursor_page(
        selectors.commons_list(filters),
        cursor=cursor,
        limit=limit,
        order=("name", "id"),
        convert=_commons,
    )


def _commons_or_404(slug: str) -> Commons:
    try:
        return selectors.commons_detail(slug)
    except Commons.DoesNotExist:
        raise Http404 from None


@router.get("/commons/{slug}", response=CommonsDetailOut, summary="An urban commons")
@conditional(*SHOWN)
def commons_detail(request: HttpRequest, slug: str = Path(..., max_length=200)) -> Any:
    commons = _commons_or_404(slug)
    base = _commons(commons)
    base["pact_count"] = selectors.commons_pacts(commons).count()
    return CommonsDetailOut(
        **base,
        description=translated(commons, "description"),
        original_language=commons.original_language,
        owner=commons.owner,
        owner_label=str(commons.get_owner_display()),
        owner_name=commons.owner_name,
        condition=commons.condition,
        condition_label=str(commons.get_condition_display()),
        shape=commons.shape or None,
        topics=[CommonsTopicRef(slug=t.slug, name=t.label) for t in commons.topics.all()],
        photos=[PhotoOut(url=p.image.url, alt_text=p.alt_text) for p in commons.photos.all()],
        calls=[
            CallRef(slug=c.slug, title=translated(c, "title"), url=c.get_absolute_url())
            for c in commons.calls.all()
        ],
    )


@router.get(
    "/commons/{slug}/pacts",
    response=PactPage,
    summary="The public pacts of a commons, newest first",
)
@conditional(*SHOWN)
def commons_pacts(
    request: HttpRequest,
    slug: str = Path(..., max_length=200),
    cursor: str | None = Query(None, max_length=2000),
    limit: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    commons = _commons_or_404(slug)
    today = timezone.localdate()
    return cursor_page(
        selectors.commons_pacts(commons),
        cursor=cursor,
        limit=limit,
        order=("-created_at", "-id"),
        convert=lambda p: _pact(p, today),
    )


# --- calls for care ----------------------------------------------------------------------------


@router.get("/calls", response=CallPage, summary="Calls for care, the latest opened first")
@conditional(*SHOWN)
def call_list(
    request: HttpRequest,
    cursor: str | None = Query(None, max_length=2000),
    limit: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    today = timezone.localdate()
    return cursor_page(
        selectors.calls_list(),
        cursor=cursor,
        limit=limit,
        order=("-opens_on", "id"),
        convert=lambda c: _call(c, today),
    )


@router.get("/calls/{slug}", response=CallDetailOut, summary="A call for care and its commons")
@conditional(*SHOWN)
def call_detail(request: HttpRequest, slug: str = Path(..., max_length=200)) -> Any:
    try:
        call = selectors.call_detail(slug)
    except CallForCare.DoesNotExist:
        raise Http404 from None
    commons = list(call.commons.all())
    return CallDetailOut(
        **{**_call(call, timezone.localdate()), "commons_count": len(commons)},
        description=translated(call, "description"),
        original_language=call.original_language,
        commons=[CommonsRef(**_commons_ref(c)) for c in commons],
    )


# --- pacts -------------------------------------------------------------------------------------


@router.get(
    "/pacts",
    response=PactPage,
    summary="The public registry of collaboration pacts, newest first",
    description="The registry's filters: `state`, `kind`, `commons_kind`, `territory` (a "
    "place's code), `topic` (slug), `year` (proposed in), `overdue` (only steps past their "
    "date), and a hub: `space`, `organisation` (slugs) or `place` (code). Drafts and withdrawn "
    "pacts are never listed.",
)
@conditional(*SHOWN)
def pact_list(
    request: HttpRequest,
    state: Pact.State | None = None,
    kind: Pact.Kind | None = None,
    commons_kind: Commons.Kind | None = None,
    territory: str | None = Query(None, max_length=32),
    topic: str | None = Query(None, max_length=120),
    year: int | None = Query(None, ge=1990, le=2100),
    overdue: bool = False,
    space: str | None = Query(None, max_length=200),
    organisation: str | None = Query(None, max_length=200),
    place: str | None = Query(None, max_length=32),
    cursor: str | None = Query(None, max_length=2000),
    limit: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    filters = _filters(
        request,
        {
            "state": state,
            "kind": kind,
            "commons_kind": commons_kind,
            "territory": territory,
            "topic": topic,
            "year": year,
            "overdue": "on" if overdue else "",
            "space": space,
            "organisation": organisation,
            "place": place,
        },
        of_pacts=True,
    )
    today = timezone.localdate()
    return cursor_page(
        selectors.pact_registry(filters),
        cursor=cursor,
        limit=limit,
        order=("-created_at", "-id"),
        convert=lambda p: _pact(p, today),
    )


def _pact_or_404(request: HttpRequest, pact_id: int, *, full: bool) -> Pact:
    """The pact (with everything its page shows when ``full``), or 404 to whoever its page
    refuses (``commons.view_pact``)."""
    try:
        pact = (
            selectors.pact_detail(pact_id)
            if full
            else Pact.objects.select_related("commons__organisation").get(pk=pact_id)
        )
    except Pact.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("commons.view_pact", pact):
        raise Http404
    return pact


@router.get(
    "/pacts/{pact_id}/comments",
    response=CommentPage,
    summary="The public comments on a pact, oldest first, each with its replies",
    description="A comment the moderators removed keeps its place with their reason; its text "
    "is never given (`body` is null).",
)
@conditional(*SHOWN, "participation")
def pact_comments(
    request: HttpRequest,
    pact_id: int = Path(..., ge=1, le=MAX_ID),
    cursor: str | None = Query(None, max_length=2000),
    limit: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    return comment_page(_pact_or_404(request, pact_id, full=False), cursor, limit)


@router.get(
    "/pacts/{pact_id}",
    response=PactDetailOut,
    summary="A pact: its parties and commitments, activities, reports and dated history",
    description="`history` is every change of state, oldest first, with who made it and the "
    "reason given. A draft or withdrawn pact is found only by its parties and the officers of "
    "its commons.",
)
@conditional(*SHOWN)
def pact_detail(request: HttpRequest, pact_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    pact = _pact_or_404(request, pact_id, full=True)
    reports = list(pact.reports.all())
    return PactDetailOut(
        **_pact(pact, timezone.localdate()),
        objectives=translated(pact, "objectives"),
        original_language=pact.original_language,
        level_label=str(pact.get_level_display()),
        state_since=pact.state_since,
        organisation=CommonsOrganisationRef(**_organisation(pact.commons.organisation)),
        department=pact.commons.department,
        call=CallRef(
            slug=pact.call.slug,
            title=translated(pact.call, "title"),
            url=pact.call.get_absolute_url(),
        )
        if pact.call
        else None,
        competes_with=_pact_ref(pact.competes_with),
        merged_into=_pact_ref(pact.merged_into),
        competing=[ref for ref in map(_pact_ref, pact.competing.all()) if ref is not None],
        resources_offered=pact.resources_offered,
        resources_requested=pact.resources_requested,
        responsibilities=pact.responsibilities,
        renewal_terms=pact.renewal_terms,
        termination_terms=pact.termination_terms,
        reporting_duties=pact.reporting_duties,
        indicators=pact.indicator_list(),
        parties=[
            PartyOut(
                role=party.role,
                name=translated(party.organisation, "name") if party.organisation else party.name,
                organisation=CommonsOrganisationRef(**_organisation(party.organisation))
                if party.organisation
                else None,
                contact=party.person.public_name if party.organisation and party.person else None,
                signed_at=party.signed_at,
                signed_by=party.signed_by.public_name if party.signed_by else None,
                commitments=[
                    CommitmentOut(category=c.category, description=c.description)
                    for c in party.commitments.all()
                ],
            )
            for party in pact.parties.all()
        ],
        activities=[
            ActivityOut(description=a.description, starts_on=a.starts_on, ends_on=a.ends_on)
            for a in pact.activities.all()
        ],
        reports=[
            PactReportOut(
                period_start=r.period_start,
                period_end=r.period_end,
                summary=r.summary,
                hours=r.hours,
                indicator_values=r.indicator_values or {},
                author=r.author.public_name,
            )
            for r in reports
        ],
        volunteer_hours=sum(r.hours for r in reports),
        documents=[PactDocumentOut(title=d.title, url=d.file.url) for d in pact.documents.all()],
        history=[
            HistoryEntryOut(
                created_at=e.created_at,
                action=e.action,
                from_state=e.from_state,
                to_state=e.to_state,
                to_state_label=str(e.get_to_state_display()),
                by=e.actor.public_name if e.actor else None,
                reason=e.reason,
                due_on=e.due_on,
            )
            for e in pact.history.all()
        ],
    )
