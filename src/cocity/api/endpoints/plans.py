"""Co-production processes: processes and their phases, ideas with their supports, the comments
on ideas and actions, actions with their progress reports, and the action plan.

Everything is read through ``cocity.plans.selectors`` (and the participation app's for comments):
a process in a members-only space answers 404 to visitors and non-members, as its pages do, and
its ideas, actions and comments with it. A hidden idea keeps its title with the moderators'
reason, without its text; a hidden comment keeps its place in the thread with the reason,
without its text (as the pages show them).
"""

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema

from cocity.core.translations import translated
from cocity.network.selectors.hubs import hub_scope_from_query
from cocity.participation.services import supported_ids
from cocity.plans import selectors
from cocity.plans.forms import IdeaFilterForm
from cocity.plans.models import PHASE_ALLOWS, Action, Idea, Phase, Process

from ..errors import ApiError
from ..http import conditional
from ..pagination import cursor_page
from .threads import CommentPage, comment_page

router = Router(tags=["processes"])

MAX_ID = 2**63 - 1
MAX_SEED = 2**31 - 1
# What the process, idea and action pages show: processes, ideas, actions, progress (plans),
# supports and comments (participation), spaces, topics, places, organisations (network).
SHOWN = ("plans", "participation", "network")


# --- schemas -----------------------------------------------------------------------------------


class PlansSpaceRef(Schema):
    slug: str
    name: str


class PlansTopicRef(Schema):
    id: int
    slug: str
    name: str


class PlansPlaceRef(Schema):
    code: str
    name: str


class PlansOrganisationRef(Schema):
    slug: str
    name: str


class PhaseOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    description: str
    starts_on: date
    ends_on: date
    active: bool
    allows: list[str]


class ProcessOut(Schema):
    slug: str
    title: str
    description: str
    original_language: str
    space: PlansSpaceRef
    created_at: datetime
    active_phase: PhaseOut | None
    url: str


class PlanStateOut(Schema):
    title: str
    state: str
    adopted_on: date | None


class ProcessDetailOut(ProcessOut):
    phases: list[PhaseOut]
    support_limit: int | None
    idea_count: int
    action_count: int
    plan: PlanStateOut


class ProcessPage(Schema):
    items: list[ProcessOut]
    next: str | None


class ActionRef(Schema):
    id: int
    title: str
    status: str
    progress: int
    url: str


class IdeaOut(Schema):
    id: int
    title: str
    hidden: bool
    hidden_reason: str
    author: str
    on_behalf_of: PlansOrganisationRef | None
    created_at: datetime
    topic: PlansTopicRef | None
    place: PlansPlaceRef | None
    latitude: float | None
    longitude: float | None
    support_count: int
    comment_count: int
    answer: str
    answer_label: str
    action: ActionRef | None
    you_support: bool
    url: str


class IdeaAttachmentOut(Schema):
    name: str
    mimetype: str
    size: int
    url: str


class IdeaDetailOut(IdeaOut):
    body: str | None
    original_language: str
    updated_at: datetime | None
    answer_reason: str
    answered_at: datetime | None
    attachments: list[IdeaAttachmentOut]


class IdeaPage(Schema):
    items: list[IdeaOut]
    next: str | None


class SourceIdeaOut(Schema):
    id: int
    title: str
    author: str
    url: str


class ActionOut(Schema):
    id: int
    title: str
    status: str
    status_label: str
    progress: int
    topic: PlansTopicRef | None
    lead_organisation: PlansOrganisationRef | None
    partners: list[PlansOrganisationRef]
    starts_on: date | None
    due_on: date | None
    comment_count: int
    source_ideas: list[SourceIdeaOut]
    url: str


class ProgressUpdateOut(Schema):
    on: date
    progress: int
    status: str
    text: str
    link: str
    file: str | None
    author: str | None
    created_at: datetime


class ActionDetailOut(ActionOut):
    description: str
    deliverables: str
    original_language: str
    created_at: datetime
    updates: list[ProgressUpdateOut]


class ActionPage(Schema):
    items: list[ActionOut]
    next: str | None


class PlanOut(Schema):
    process: str
    title: str
    state: str
    adopted_on: date | None
    progress: int | None
    action_count: int
    by_status: dict[str, int]
    actions: list[ActionOut]


# --- converting --------------------------------------------------------------------------------


# The converters make plain dicts: the response's schema validates them once (building the
# schema objects here too cost a third of a page's time).


def _space(process: Process) -> dict[str, Any]:
    return {"slug": process.space.slug, "name": translated(process.space, "name")}


def _phase(phase: Phase, active: Phase | None) -> dict[str, Any]:
    return {
        "id": phase.pk,
        "kind": phase.kind,
        "kind_label": str(phase.get_kind_display()),
        "name": phase.label,
        "description": translated(phase, "description"),
        "starts_on": phase.starts_on,
        "ends_on": phase.ends_on,
        "active": active is not None and phase.pk == active.pk,
        "allows": sorted(PHASE_ALLOWS[phase.kind]),
    }


def _process(process: Process) -> dict[str, Any]:
    active = process.active_phase()
    return {
        "slug": process.slug,
        "title": translated(process, "title"),
        "description": translated(process, "description"),
        "original_language": process.original_language,
        "space": _space(process),
        "created_at": process.created_at,
        "active_phase": _phase(active, active) if active else None,
        "url": process.get_absolute_url(),
    }


def _topic(topic: Any) -> dict[str, Any] | None:
    if topic is None:
        return None
    return {"id": topic.pk, "slug": topic.slug, "name": topic.label}


def _organisation(organisation: Any) -> dict[str, Any] | None:
    if organisation is None:
        return None
    return {"slug": organisation.slug, "name": translated(organisation, "name")}


def _idea(idea: Idea, supported: set[int]) -> dict[str, Any]:
    action = idea.action
    return {
        "id": idea.pk,
        "title": translated(idea, "title"),
        "hidden": idea.is_hidden,
        "hidden_reason": idea.hidden_reason if idea.is_hidden else "",
        "author": idea.author.public_name,
        "on_behalf_of": _organisation(idea.on_behalf_of),
        "created_at": idea.created_at,
        "topic": _topic(idea.topic),
        "place": {"code": idea.territory.code, "name": translated(idea.territory, "name")}
        if idea.territory
        else None,
        "latitude": float(idea.latitude) if idea.latitude is not None else None,
        "longitude": float(idea.longitude) if idea.longitude is not None else None,
        "support_count": idea.support_count,
        "comment_count": idea.comment_count,
        "answer": idea.answer,
        "answer_label": str(idea.get_answer_display()) if idea.answer else "",
        "action": {
            "id": action.pk,
            "title": translated(action, "title"),
            "status": action.status,
            "progress": action.progress,
            "url": action.get_absolute_url(),
        }
        if action is not None
        else None,
        "you_support": idea.pk in supported,
        "url": idea.get_absolute_url(),
    }


def _action(action: Action) -> dict[str, Any]:
    return {
        "id": action.pk,
        "title": translated(action, "title"),
        "status": action.status,
        "status_label": str(action.get_status_display()),
        "progress": action.progress,
        "topic": _topic(action.topic),
        "lead_organisation": _organisation(action.lead_organisation),
        "partners": [_organisation(p) for p in action.partners.all()],
        "starts_on": action.starts_on,
        "due_on": action.due_on,
        "comment_count": action.comment_count,
        "source_ideas": [
            {
                "id": i.pk,
                "title": translated(i, "title"),
                "author": i.author.public_name,
                "url": i.get_absolute_url(),
            }
            for i in action.source_ideas.all()
        ],
        "url": action.get_absolute_url(),
    }


def _bad_filters(form: Any) -> ApiError:
    return ApiError(
        422,
        _("The request is not valid."),
        errors=[
            {"field": field, "message": " ".join(str(m) for m in messages)}
            for field, messages in form.errors.items()
        ],
    )


# --- processes ---------------------------------------------------------------------------------


@router.get(
    "/processes",
    response=ProcessPage,
    summary="Processes you may see, newest first",
    description="Filter to a hub as its page does: `space` (slug), `organisation` (slug) or "
    "`place` (code). A members-only space's processes are listed for its members only.",
)
@conditional(*SHOWN)
def process_list(
    request: HttpRequest,
    space: str | None = Query(None, max_length=200),
    organisation: str | None = Query(None, max_length=200),
    place: str | None = Query(None, max_length=32),
    cursor: str | None = Query(None, max_length=2000),
    limit: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    params = {"space": space or "", "organisation": organisation or "", "place": place or ""}
    hub = hub_scope_from_query(user=request.user, params=params)
    processes = (
        selectors.process_list(user=request.user, hub=hub)
        .select_related("manual_phase")
        .prefetch_related("phases")
    )
    return cursor_page(
        processes,
        cursor=cursor,
        limit=limit,
        order=("-created_at", "-id"),
        convert=_process,
    )


@router.get(
    "/processes/{slug}",
    response=ProcessDetailOut,
    summary="A process with its phases and its action plan's state",
)
@conditional(*SHOWN)
def process_detail(request: HttpRequest, slug: str = Path(..., max_length=200)) -> Any:
    process = selectors.process_for(request.user, slug)
    active = process.active_phase()
    return ProcessDetailOut(
        **_process(process),
        phases=[PhaseOut(**_phase(p, active)) for p in process.phases.all()],
        support_limit=process.support_limit,
        idea_count=process.ideas.count(),
        action_count=process.actions.count(),
        plan=PlanStateOut(
            title=process.plan_title,
            state=process.plan_state,
            adopted_on=process.plan_adopted_on,
        ),
    )


# --- ideas -------------------------------------------------------------------------------------

IDEA_ORDERS = {
    "newest": ("-created_at", "-id"),
    "supported": ("-support_count", "-id"),
    "discussed": ("-comment_count", "-id"),
    "random": ("shuffle", "id"),
}


@router.get(
    "/processes/{slug}/ideas",
    response=IdeaPage,
    summary="The ideas of a process, with their supports and comments counted",
    description="The idea list's filters: `sort` (newest, supported, discussed, or random with "
    "a `seed` from 1 to 2147483647: the same seed gives the same order), `topic` (id), "
    "`territory` (a place's code: the place and the places in it), `answer` and `merged` "
    "(`yes`: became an action, `no`: not yet). Hidden ideas are listed with the moderators' "
    "reason, as on the page.",
)
@conditional(*SHOWN)
def idea_list(
    request: HttpRequest,
    slug: str = Path(..., max_length=200),
    sort: Literal["newest", "supported", "discussed", "random"] = "newest",
    seed: int | None = Query(None, ge=1, le=MAX_SEED),
    topic: int | None = Query(None, ge=1, le=MAX_ID),
    territory: str | None = Query(None, max_length=32),
    answer: str | None = Query(None, max_length=20),
    merged: Literal["yes", "no"] | None = None,
    cursor: str | None = Query(None, max_length=2000),
    limit: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    process = selectors.process_for(request.user, slug)
    if sort == "random" and seed is None:
        raise ApiError(
            422,
            _("The request is not valid."),
            errors=[{"field": "seed", "message": _("A random order needs a seed.")}],
        )
    data = {
        "topic": str(topic or ""),
        "territory": territory or "",
        "answer": answer or "",
        "merged": merged or "",
    }
    form = IdeaFilterForm(data, places=selectors.idea_filter_places(process))
    if not form.is_valid():
        raise _bad_filters(form)
    chosen = form.cleaned_data
    ideas = selectors.idea_list(
        process,
        sort=sort,
        seed=seed or 0,
        topic=chosen["topic"].pk if chosen.get("topic") else None,
        territory_path=chosen["territory"].path if chosen.get("territory") else None,
        answer=chosen.get("answer") or None,
        merged={"yes": True, "no": False}.get(chosen.get("merged") or ""),
    )
    page = cursor_page(ideas, cursor=cursor, limit=limit, order=IDEA_ORDERS[sort])
    rows: list[Idea] = page["items"]
    selectors.attach_process(process, rows)
    supported = supported_ids(user=request.user, model=Idea, ids=[i.pk for i in rows])
    return {"items": [_idea(i, supported) for i in rows], "next": page["next"]}


def _idea_of(request: HttpRequest, slug: str, idea_id: int) -> Idea:
    process = selectors.process_for(request.user, slug)
    return selectors.idea_detail(process, idea_id)


@router.get(
    "/processes/{slug}/ideas/{idea_id}",
    response=IdeaDetailOut,
    summary="An idea: its text (not when hidden), its answer, what it became",
)
@conditional(*SHOWN)
def idea_detail(
    request: HttpRequest,
    slug: str = Path(..., max_length=200),
    idea_id: int = Path(..., ge=1, le=MAX_ID),
) -> Any:
    idea = _idea_of(request, slug, idea_id)
    supported = supported_ids(user=request.user, model=Idea, ids=[idea.pk])
    return IdeaDetailOut(
        **_idea(idea, supported),
        body=None if idea.is_hidden else translated(idea, "body"),
        original_language=idea.original_language,
        updated_at=idea.updated_at,
        answer_reason=idea.answer_reason if idea.answer else "",
        answered_at=idea.answered_at,
        attachments=[
            IdeaAttachmentOut(name=a.name, mimetype=a.mimetype, size=a.size, url=a.file.url)
            for a in idea.attachments.all()
        ],
    )


@router.get(
    "/processes/{slug}/ideas/{idea_id}/comments",
    response=CommentPage,
    summary="The comments on an idea, oldest first, each with its replies",
    description="A comment the moderators removed keeps its place with their reason; its text "
    "is never given (`body` is null).",
)
@conditional(*SHOWN)
def idea_comments(
    request: HttpRequest,
    slug: str = Path(..., max_length=200),
    idea_id: int = Path(..., ge=1, le=MAX_ID),
    cursor: str | None = Query(None, max_length=2000),
    limit: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    return comment_page(_idea_of(request, slug, idea_id), cursor, limit)


# --- actions and the plan ----------------------------------------------------------------------


@router.get(
    "/processes/{slug}/actions",
    response=ActionPage,
    summary="The actions of a process, with their progress",
    description="Filters: `status`, `topic` (id).",
)
@conditional(*SHOWN)
def action_list(
    request: HttpRequest,
    slug: str = Path(..., max_length=200),
    status: Action.Status | None = None,
    topic: int | None = Query(None, ge=1, le=MAX_ID),
    cursor: str | None = Query(None, max_length=2000),
    limit: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    process = selectors.process_for(request.user, slug)
    actions = selectors.actions_of(process)
    if status:
        actions = actions.filter(status=status)
    if topic:
        actions = actions.filter(topic_id=topic)
    page = cursor_page(actions, cursor=cursor, limit=limit, order=("id",))
    selectors.attach_process(process, page["items"])
    return {"items": [_action(a) for a in page["items"]], "next": page["next"]}


def _action_of(request: HttpRequest, slug: str, action_id: int) -> Action:
    process = selectors.process_for(request.user, slug)
    return selectors.action_detail(process, action_id)


@router.get(
    "/processes/{slug}/actions/{action_id}",
    response=ActionDetailOut,
    summary="An action with its progress reports and the ideas it came from",
)
@conditional(*SHOWN)
def action_detail(
    request: HttpRequest,
    slug: str = Path(..., max_length=200),
    action_id: int = Path(..., ge=1, le=MAX_ID),
) -> Any:
    action = _action_of(request, slug, action_id)
    return ActionDetailOut(
        **_action(action),
        description=translated(action, "description"),
        deliverables=action.deliverables,
        original_language=action.original_language,
        created_at=action.created_at,
        updates=[
            ProgressUpdateOut(
                on=u.on,
                progress=u.progress,
                status=u.status,
                text=u.text,
                link=u.link,
                file=u.file.url if u.file else None,
                author=u.author.public_name if u.author else None,
                created_at=u.created_at,
            )
            for u in action.updates.all()
        ],
    )


@router.get(
    "/processes/{slug}/actions/{action_id}/comments",
    response=CommentPage,
    summary="The comments on an action, oldest first, each with its replies",
)
@conditional(*SHOWN)
def action_comments(
    request: HttpRequest,
    slug: str = Path(..., max_length=200),
    action_id: int = Path(..., ge=1, le=MAX_ID),
    cursor: str | None = Query(None, max_length=2000),
    limit: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    return comment_page(_action_of(request, slug, action_id), cursor, limit)


@router.get(
    "/processes/{slug}/plan",
    response=PlanOut,
    summary="The action plan: every action with its progress, by topic as on the page",
    description="`progress` is the mean progress of the actions not dropped (null without "
    "any); `by_status` counts the actions of each status.",
)
@conditional(*SHOWN)
def plan(request: HttpRequest, slug: str = Path(..., max_length=200)) -> Any:
    process = selectors.process_for(request.user, slug)
    actions = selectors.plan_actions(process)
    counted = [a.progress for a in actions if a.status != Action.Status.DROPPED]
    by_status: dict[str, int] = {}
    for action in actions:
        by_status[action.status] = by_status.get(action.status, 0) + 1
    return PlanOut(
        process=process.slug,
        title=process.plan_title,
        state=process.plan_state,
        adopted_on=process.plan_adopted_on,
        progress=round(sum(counted) / len(counted)) if counted else None,
        action_count=len(actions),
        by_status=by_status,
        actions=[ActionOut(**_action(a)) for a in actions],
    )
