"""What people do most, through the API: register for a track and cancel (events), post an idea,
support it, comment on it (plans), follow a space or an organisation (network), file a progress
report on a pledge's measure (pledges).

Each write needs a token with its scope (``write:<capability>``: 403 without), finds its object
the way the page does (404 when the caller may not see it, or it is not theirs), validates the
input with the page's own form (422, field by field) and calls the capability's service, so the
pages' permissions and rules hold (a refusal such as a closed phase or a cancelled event: 409).
Writes count against the same limit as the pages' (``COCITY_POST_RATE``, per person: 429 with
``Retry-After``). An ``Idempotency-Key`` header makes a retried request harmless: the same key
again gets the first answer and writes nothing (``services.idempotent``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Literal, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Header, Router, Schema, Status
from pydantic import Field

from cocity.accounts.models import User
from cocity.core.forms import error_text
from cocity.core.ratelimit import client_identity, hit, parse_rate
from cocity.events import selectors as event_selectors
from cocity.events import services as event_services
from cocity.events.forms import RegistrationForm
from cocity.events.models import Registration, Track
from cocity.network.models import Organisation, Territory, Topic
from cocity.network.selectors import spaces_visible_to
from cocity.participation import services as participation
from cocity.participation.forms import CommentForm
from cocity.participation.models import Comment
from cocity.plans import selectors as plan_selectors
from cocity.plans import services as plan_services
from cocity.plans.forms import IdeaForm
from cocity.plans.models import Idea
from cocity.pledges import selectors as pledge_selectors
from cocity.pledges import services as pledge_services
from cocity.pledges.forms import ReportForm
from cocity.pledges.models import Pledge

from .. import services
from ..auth import TokenOnly, require_scope
from ..errors import ApiError

router = Router()

KEY = Header(
    None,
    alias="Idempotency-Key",
    max_length=200,
    description="Any string of yours (a UUID): the same request sent again with the same key "
    "gets the first answer and writes nothing.",
)


# --- common ground ------------------------------------------------------------------------------


class WriteToken(TokenOnly):
    """A valid token with this scope (403 otherwise), the write counted against the pages' limit
    (429): both checked before the request's body is read."""

    def __init__(self, scope: str) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = super().authenticate(request, token)
        if found is not None:
            require_scope(request, self.scope)
            _limit(request)
        return found


EVENTS = WriteToken("write:events")
PLANS = WriteToken("write:plans")
NETWORK = WriteToken("write:network")
PLEDGES = WriteToken("write:pledges")


def _person(request: HttpRequest, scope: str) -> User:
    require_scope(request, scope)  # already checked by the WriteToken: kept as a safeguard
    return cast(User, request.user)  # the token's person


def _limit(request: HttpRequest) -> None:
    """The pages' limit on writes (``PostRateLimitMiddleware``, which leaves ``/api/`` to this):
    the same counter per person, whether they write through a page or the API."""
    rate = parse_rate(getattr(settings, "COCITY_POST_RATE", ""))
    if rate is None:
        return
    allowed, retry_after = hit(client_identity(request), rate)
    if not allowed:
        raise ApiError(
            429,
            _("Too many requests."),
            _("Try again in %(seconds)d seconds.") % {"seconds": retry_after},
            headers={"Retry-After": str(retry_after)},
        )


def _field_errors(errors: dict[str, list[str]], rename: dict[str, str] | None = None) -> ApiError:
    rename = rename or {}
    return ApiError(
        422,
        _("The request is not valid."),
        errors=[
            {"field": rename.get(name, name) if name != "__all__" else "body", "message": message}
            for name, messages in errors.items()
            for message in messages
        ],
    )


def _refused(error: ValidationError, rename: dict[str, str] | None = None) -> ApiError:
    """A service's refusal: about fields, 422 with them; a rule (a closed phase, a cancelled
    event, twice the same support), 409 with the reason."""
    if hasattr(error, "error_dict"):
        return _field_errors(
            {
                name: [str(m) for m in ValidationError(e).messages]
                for name, e in error.error_dict.items()
            },
            rename,
        )
    if error.code == "missing_answers":
        return ApiError(422, _("The request is not valid."), error_text(error))
    return ApiError(409, _("This cannot be done now."), error_text(error))


def _form_errors(form: Any, rename: dict[str, str] | None = None) -> ApiError:
    return _field_errors({name: list(messages) for name, messages in form.errors.items()}, rename)


def _once(
    request: HttpRequest,
    key: str | None,
    endpoint: str,
    payload: Any,
    act: Callable[[], tuple[int, Schema]],
) -> Status[Any]:
    def run() -> tuple[int, Any]:
        status, body = act()
        return status, body.model_dump(mode="json")

    status, body = services.idempotent(
        user=cast(User, request.user), key=key, endpoint=endpoint, payload=payload, act=run
    )
    return Status(status, body)


# --- events: register for a track, cancel -------------------------------------------------------


class RegistrationIn(Schema):
    answers: dict[str, str] = Field(
        default_factory=dict,
        description="The answers to the organisers' questions, by question id.",
    )


class RegistrationResult(Schema):
    id: int
    event: str = Field(description="The event's slug.")
    track_id: int
    status: str = Field(description="confirmed, waitlisted (the track is full) or cancelled.")
    created_at: datetime
    cancelled_at: datetime | None
    promoted: int | None = Field(
        None, description="On cancelling: the registration given the freed place, if any."
    )


def _registration(registration: Registration, event_slug: str) -> RegistrationResult:
    return RegistrationResult(
        id=registration.pk,
        event=event_slug,
        track_id=registration.track_id,
        status=registration.status,
        created_at=registration.created_at,
        cancelled_at=registration.cancelled_at,
        promoted=None,
    )


@router.post(
    "/events/{slug}/tracks/{track_id}/registrations",
    response={201: RegistrationResult},
    tags=["events"],
    auth=EVENTS,
    summary="Register for a track (a place, or the wait list when it is full)",
)
def register(
    request: HttpRequest,
    slug: str,
    track_id: int,
    payload: RegistrationIn,
    idempotency_key: str | None = KEY,
) -> Status[Any]:
    user = _person(request, "write:events")
    event = event_selectors.event_for_viewer(slug=slug[:200], user=user)
    if event is None:
        raise Http404
    track = Track.objects.filter(pk=track_id, event=event).first() if track_id < 2**63 else None
    if track is None:
        raise Http404
    if not user.has_perm("events.register", event):
        raise ApiError(
            409,
            _("This cannot be done now."),
            _("This event is cancelled.")
            if event.is_cancelled
            else _("Registration is not open for this event."),
        )
    questions = list(event.questions.all())
    form = RegistrationForm(
        {f"q{key}": value for key, value in payload.answers.items()}, questions=questions
    )
    if not form.is_valid():
        raise _form_errors(form)

    def act() -> tuple[int, Schema]:
        try:
            registration = event_services.registration_create(
                track=track, user=user, answers=form.answers()
            )
        except ValidationError as error:
            raise _refused(error) from None
        return 201, _registration(registration, event.slug)

    return _once(request, idempotency_key, f"register:{track.pk}", payload.dict(), act)


@router.post(
    "/registrations/{registration_id}/cancel",
    response={200: RegistrationResult},
    tags=["events"],
    auth=EVENTS,
    summary="Cancel your registration (its place goes to the first person waiting)",
)
def cancel(
    request: HttpRequest, registration_id: int, idempotency_key: str | None = KEY
) -> Status[Any]:
    user = _person(request, "write:events")
    registration = (
        Registration.objects.select_related("event").filter(pk=registration_id, user=user).first()
        if registration_id < 2**63
        else None
    )
    if registration is None:
        raise Http404

    def act() -> tuple[int, Schema]:
        try:
            promoted = event_services.registration_cancel(registration=registration)
        except ValidationError as error:
            raise _refused(error) from None
        registration.refresh_from_db()
        result = _registration(registration, registration.event.slug)
        result.promoted = promoted.pk if promoted is not None else None
        return 200, result

    return _once(request, idempotency_key, f"cancel:{registration.pk}", {}, act)


# --- plans: post an idea, support it, comment on it ---------------------------------------------


class IdeaIn(Schema):
    title: str = Field(max_length=1000)
    body: str = Field(max_length=100_000, description="Markdown.")
    topic: str | None = Field(None, max_length=200, description="A topic's slug.")
    place: str | None = Field(
        None, max_length=200, description="A place's code, within the process's space."
    )
    latitude: float | None = None
    longitude: float | None = None
    on_behalf_of: str | None = Field(
        None, max_length=200, description="The slug of an organisation you belong to."
    )


class IdeaPosted(Schema):
    id: int
    process: str = Field(description="The process's slug.")
    title: str
    created_at: datetime
    support_count: int
    url: str


def _process_and_idea(request: HttpRequest, slug: str, idea_id: int | None = None) -> Any:
    process = plan_selectors.process_for(request.user, slug[:200])
    if idea_id is None:
        return process, None
    if idea_id >= 2**63:
        raise Http404
    return process, plan_selectors.idea_detail(process, idea_id)


def _pk_of(model: type[Model], field: str, value: str | None) -> int | str | None:
    if value in (None, ""):
        return None
    found = model._default_manager.filter(**{field: value}).values_list("pk", flat=True).first()
    return found if found is not None else "-1"  # the form says "not one of the choices"


@router.post(
    "/processes/{slug}/ideas",
    response={201: IdeaPosted},
    tags=["plans"],
    auth=PLANS,
    summary="Post an idea (when the process's active phase allows it)",
)
def idea_post(
    request: HttpRequest, slug: str, payload: IdeaIn, idempotency_key: str | None = KEY
) -> Status[Any]:
    user = _person(request, "write:plans")
    process, _idea = _process_and_idea(request, slug)
    if not process.allows("post"):
        raise ApiError(
            409, _("This cannot be done now."), str(plan_services.PHASE_MESSAGES["post"])
        )
    data = {
        "title": payload.title,
        "body": payload.body,
        "topic": _pk_of(Topic, "slug", payload.topic),
        "territory": _pk_of(Territory, "code", payload.place),
        "latitude": "" if payload.latitude is None else str(payload.latitude),
        "longitude": "" if payload.longitude is None else str(payload.longitude),
        "on_behalf_of": _pk_of(Organisation, "slug", payload.on_behalf_of),
    }
    form = IdeaForm({k: v for k, v in data.items() if v is not None}, user=user, process=process)
    rename = {"territory": "place"}
    if not form.is_valid():
        raise _form_errors(form, rename)
    fields = {k: v for k, v in form.cleaned_data.items() if k != "attachments"}

    def act() -> tuple[int, Schema]:
        try:
            idea = plan_services.idea_create(process=process, author=user, **fields)
        except ValidationError as error:
            raise _refused(error, rename) from None
        return 201, IdeaPosted(
            id=idea.pk,
            process=process.slug,
            title=idea.title,
            created_at=idea.created_at,
            support_count=idea.support_count,
            url=request.build_absolute_uri(idea.get_absolute_url()),
        )

    return _once(request, idempotency_key, f"idea:{process.pk}", payload.dict(), act)


class SupportResult(Schema):
    idea_id: int
    supported: bool
    support_count: int


def _support(
    request: HttpRequest, slug: str, idea_id: int, key: str | None, support: bool
) -> Status[Any]:
    user = _person(request, "write:plans")
    _process, idea = _process_and_idea(request, slug, idea_id)

    def act() -> tuple[int, Schema]:
        try:
            if support:
                plan_services.idea_support(idea=idea, user=user)
            else:
                plan_services.idea_unsupport(idea=idea, user=user)
        except ValidationError as error:
            raise _refused(error) from None
        count = Idea.objects.filter(pk=idea.pk).values_list("support_count", flat=True).get()
        return 200, SupportResult(idea_id=idea.pk, supported=support, support_count=count)

    return _once(request, key, f"support:{idea.pk}:{support}", {}, act)


@router.post(
    "/processes/{slug}/ideas/{idea_id}/support",
    response={200: SupportResult},
    tags=["plans"],
    auth=PLANS,
    summary="Support an idea (within the process's limit of supports)",
)
def idea_support(
    request: HttpRequest, slug: str, idea_id: int, idempotency_key: str | None = KEY
) -> Status[Any]:
    return _support(request, slug, idea_id, idempotency_key, True)


@router.delete(
    "/processes/{slug}/ideas/{idea_id}/support",
    response={200: SupportResult},
    tags=["plans"],
    auth=PLANS,
    summary="Withdraw your support from an idea",
)
def idea_unsupport(
    request: HttpRequest, slug: str, idea_id: int, idempotency_key: str | None = KEY
) -> Status[Any]:
    return _support(request, slug, idea_id, idempotency_key, False)


class CommentIn(Schema):
    body: str = Field(max_length=100_000)
    stance: Literal["for", "against", "neutral"] = "neutral"
    parent: int | None = Field(None, description="The comment this one answers.")


class CommentPosted(Schema):
    id: int
    idea_id: int
    body: str
    stance: str
    parent: int | None
    created_at: datetime


@router.post(
    "/processes/{slug}/ideas/{idea_id}/comments",
    response={201: CommentPosted},
    tags=["plans"],
    auth=PLANS,
    summary="Comment on an idea, or answer a comment",
)
def idea_comment(
    request: HttpRequest,
    slug: str,
    idea_id: int,
    payload: CommentIn,
    idempotency_key: str | None = KEY,
) -> Status[Any]:
    user = _person(request, "write:plans")
    _process, idea = _process_and_idea(request, slug, idea_id)
    form = CommentForm({"body": payload.body, "stance": payload.stance})
    if not form.is_valid():
        raise _form_errors(form)
    parent = None
    if payload.parent is not None:
        parent = (
            Comment.objects.filter(pk=payload.parent).first()
            if 0 < payload.parent < 2**63
            else None
        )
        if parent is None:
            raise _field_errors({"parent": [_("There is no such comment.")]})

    def act() -> tuple[int, Schema]:
        try:
            comment = plan_services.idea_comment(
                idea=idea,
                author=user,
                body=form.cleaned_data["body"],
                stance=form.cleaned_data["stance"],
                parent=parent,
            )
        except ValidationError as error:
            raise _refused(error) from None
        return 201, CommentPosted(
            id=comment.pk,
            idea_id=idea.pk,
            body=comment.body,
            stance=comment.stance,
            parent=comment.parent_id,
            created_at=comment.created_at,
        )

    return _once(request, idempotency_key, f"comment:{idea.pk}", payload.dict(), act)


# --- network: follow ----------------------------------------------------------------------------


class FollowResult(Schema):
    following: bool


def _follow(request: HttpRequest, target: Model | None, follow: bool) -> FollowResult:
    if target is None:
        raise Http404
    participation.follow_set(target=target, user=cast(User, request.user), follow=follow)
    return FollowResult(following=follow)


def _space(request: HttpRequest, slug: str) -> Model | None:
    return spaces_visible_to(request.user).filter(slug=slug[:200]).first()


def _organisation(slug: str) -> Model | None:
    return Organisation.objects.filter(slug=slug[:200]).first()


@router.post(
    "/spaces/{slug}/follow",
    response=FollowResult,
    tags=["network"],
    auth=NETWORK,
    summary="Follow a space: its new events, processes and publications are notified to you",
)
def space_follow(request: HttpRequest, slug: str) -> FollowResult:
    _person(request, "write:network")
    return _follow(request, _space(request, slug), True)


@router.delete(
    "/spaces/{slug}/follow",
    response=FollowResult,
    tags=["network"],
    auth=NETWORK,
    summary="Stop following a space",
)
def space_unfollow(request: HttpRequest, slug: str) -> FollowResult:
    _person(request, "write:network")
    return _follow(request, _space(request, slug), False)


@router.post(
    "/organisations/{slug}/follow",
    response=FollowResult,
    tags=["network"],
    auth=NETWORK,
    summary="Follow an organisation",
)
def organisation_follow(request: HttpRequest, slug: str) -> FollowResult:
    _person(request, "write:network")
    return _follow(request, _organisation(slug), True)


@router.delete(
    "/organisations/{slug}/follow",
    response=FollowResult,
    tags=["network"],
    auth=NETWORK,
    summary="Stop following an organisation",
)
def organisation_unfollow(request: HttpRequest, slug: str) -> FollowResult:
    _person(request, "write:network")
    return _follow(request, _organisation(slug), False)


# --- pledges: file a progress report on a measure -----------------------------------------------


class ReportIn(Schema):
    measure: int = Field(description="The measure's id (one of this pledge's).")
    reported_on: date
    spent: str = Field(max_length=50, description="Spent so far, in the measure's currency.")
    status: Literal["not_started", "on_track", "delayed", "completed", "abandoned"]
    narrative: str = Field("", max_length=100_000)
    evidence_url: str = Field("", max_length=2000)
    indicators: dict[str, str] = Field(
        default_factory=dict, description="Latest values of the measure's indicators, by id."
    )


class ReportFiled(Schema):
    id: int
    pledge_id: int
    measure: int
    reported_on: date
    spent: str
    status: str
    narrative: str
    evidence_url: str
    created_at: datetime


@router.post(
    "/pledges/{pledge_id}/reports",
    response={201: ReportFiled},
    tags=["pledges"],
    auth=PLEDGES,
    summary="File a progress report on a measure of your organisation's published pledge",
)
def report_file(
    request: HttpRequest, pledge_id: int, payload: ReportIn, idempotency_key: str | None = KEY
) -> Status[Any]:
    user = _person(request, "write:pledges")
    try:
        pledge = pledge_selectors.pledge_detail(pledge_id, user) if pledge_id < 2**63 else None
    except Pledge.DoesNotExist:
        pledge = None
    # Someone else's pledge, or one not published: not found, as on the page.
    if (
        pledge is None
        or not user.has_perm("pledges.file_report", pledge)
        or not pledge.is_published
    ):
        raise Http404
    data: dict[str, Any] = {
        "measure": str(payload.measure),
        "reported_on": payload.reported_on.isoformat(),
        "spent": payload.spent,
        "status": payload.status,
        "narrative": payload.narrative,
        "evidence_url": payload.evidence_url,
    }
    data.update({f"indicator_{key}": value for key, value in payload.indicators.items()})
    form = ReportForm(data, pledge=pledge)
    if not form.is_valid():
        raise _form_errors(form)
    cleaned = form.cleaned_data
    measure = next(m for m in pledge.measures.all() if m.pk == cleaned["measure"])
    known = {str(indicator.pk) for indicator in measure.indicators.all()}
    if any(key not in known for key in payload.indicators):
        raise _field_errors({"indicators": [_("That indicator belongs to another measure.")]})

    def act() -> tuple[int, Schema]:
        try:
            report = pledge_services.report_file(
                measure=measure,
                reported_on=cleaned["reported_on"],
                spent=cleaned["spent"],
                status=cleaned["status"],
                narrative=cleaned["narrative"],
                evidence_url=cleaned["evidence_url"],
                indicator_values=form.indicator_values(),
                created_by=user,
            )
        except ValidationError as error:
            raise _refused(error) from None
        return 201, ReportFiled(
            id=report.pk,
            pledge_id=pledge.pk,
            measure=measure.pk,
            reported_on=report.reported_on,
            spent=str(report.spent),
            status=report.status,
            narrative=report.narrative,
            evidence_url=report.evidence_url,
            created_at=report.created_at,
        )

    return _once(request, idempotency_key, f"report:{pledge.pk}", payload.dict(), act)
