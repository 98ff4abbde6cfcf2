"""Events, series, tracks and sessions, and the caller's own registrations.

Read through the events' selectors: events of spaces the caller may not see, and drafts (except
for their organisers), are absent from the lists and answer 404, as their pages do. Times are
ISO 8601 in UTC, each with the IANA zone the organiser set it in (``time_zone``), so a client
shows "15:00 Europe/Paris" as the page does. The online meeting link is given only to whom the
event page shows it: the event's organisers and the person with a confirmed registration.
"""

from datetime import UTC, datetime
from typing import Any, Literal

from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from cocity.accounts.types import Viewer
from cocity.core.languages import LANGUAGE_NAMES
from cocity.core.translations import translated
from cocity.events import selectors
from cocity.events.models import Event, Registration, Series, Track
from cocity.network.models import Territory, Topic
from cocity.network.selectors.hubs import hub_scope_from_query

from ..auth import write_auth
from ..errors import ApiError
from ..fields import Day
from ..http import conditional
from ..pagination import DEFAULT_LIMIT, MAX_LIMIT, cursor_page
from .network import CODE, SLUG, PlaceRef, Ref, _place_ref, _ref

router = Router(tags=["events"])

NAMESPACES = ("events", "network")
MINE = ("events", "registrations", "network")

Cursor = Field(None, max_length=1000, description="The `next` of the previous page.")
Limit = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Rows per page.")


def _utc(moment: datetime | None) -> datetime | None:
    return moment.astimezone(UTC) if moment is not None else None


# Schemas -------------------------------------------------------------------------------------


class EventOut(Schema):
    id: int
    slug: str
    title: str
    summary: str
    url: str
    kind: str
    format: Literal["online", "in_person", "hybrid"]
    status: Literal["draft", "published", "postponed", "cancelled"]
    starts_at: datetime | None = Field(description="UTC; null before its first session is set.")
    ends_at: datetime | None = Field(description="UTC.")
    time_zone: str = Field(description="The IANA zone the event's times are set in.")
    extra_zones: list[str] = Field(description="Other zones the page also shows the times in.")
    languages: list[str]
    interpretation: list[str] = Field(description="Pairs such as fr>en.")
    space: Ref
    series: Ref | None
    place: PlaceRef | None
    topics: list[Ref]
    venue_name: str
    registration_mode: Literal["internal", "external", "none"]


class SessionOut(Schema):
    id: int
    title: str
    start: datetime = Field(description="UTC.")
    end: datetime = Field(description="UTC.")
    time_zone: str = Field(description="The IANA zone the session was set in.")


class TrackOut(Schema):
    id: int
    name: str
    description: str
    capacity: int | None = Field(description="Places in all; null for no limit.")
    places_left: int | None
    registration_deadline: datetime | None = Field(description="UTC.")
    open: bool = Field(description="Registration is still possible (deadline, end of event).")
    full: bool = Field(description="A new registration goes on the wait list.")
    sessions: list[SessionOut]


class SpeakerOut(Schema):
    name: str
    affiliation: str
    role: str
    bio: str


class MaterialOut(Schema):
    title: str
    kind: str
    url: str


class YourRegistration(Schema):
    id: int
    status: Literal["confirmed", "waitlisted"]
    track: int


class EventDetail(EventOut):
    description: str
    venue_address: str
    latitude: float | None
    longitude: float | None
    organisations: list[Ref]
    speakers: list[SpeakerOut]
    materials: list[MaterialOut]
    tracks: list[TrackOut]
    external_registration_url: str
    online_url: str | None = Field(
        description="The meeting link: only for the event's organisers and for you when your "
        "registration is confirmed (null otherwise)."
    )
    registration: YourRegistration | None = Field(description="Yours, with a token.")
    is_organiser: bool
    can_register: bool


class EventPage(Schema):
    items: list[EventOut]
    next: str | None


class SeriesOut(Schema):
    id: int
    slug: str
    name: str
    summary: str
    url: str
    space: Ref
    parent: str | None = Field(description="The slug of the series it is part of.")


class SeriesDetail(SeriesOut):
    description: str
    children: list[Ref]


class SeriesPage(Schema):
    items: list[SeriesOut]
    next: str | None


class RegistrationOut(Schema):
    id: int
    status: Literal["confirmed", "waitlisted"]
    created_at: datetime = Field(description="UTC.")
    event: EventOut
    track_id: int
    track_name: str
    online_url: str | None = Field(
        description="The meeting link when your registration is confirmed (or you organise)."
    )


class RegistrationPage(Schema):
    items: list[RegistrationOut]
    next: str | None


# Converting ----------------------------------------------------------------------------------


def _event_fields(event: Event) -> dict[str, Any]:
    return {
        "id": event.pk,
        "slug": event.slug,
        "title": translated(event, "title"),
        "summary": translated(event, "summary"),
        "url": event.get_absolute_url(),
        "kind": event.kind,
        "format": event.format,
        "status": event.status,
        "starts_at": _utc(event.starts_at),
        "ends_at": _utc(event.ends_at),
        "time_zone": event.time_zone,
        "extra_zones": list(event.extra_zones or []),
        "languages": list(event.languages or []),
        "interpretation": list(event.interpretation or []),
        "space": _ref(event.space),
        "series": _ref(event.series) if event.series_id and event.series else None,
        "place": _place_ref(event.territory) if event.territory_id else None,
        "topics": [_ref(t) for t in event.topics.all()],
        "venue_name": event.venue_name,
        "registration_mode": event.registration_mode,
    }


def _series_fields(series: Series) -> dict[str, Any]:
    return {
        "id": series.pk,
        "slug": series.slug,
        "name": translated(series, "name"),
        "summary": translated(series, "summary"),
        "url": series.get_absolute_url(),
        "space": _ref(series.space),
        "parent": series.parent.slug if series.parent_id and series.parent else None,
    }


def _track(track: Track, *, event: Event, now: datetime) -> TrackOut:
    return TrackOut(
        id=track.pk,
        name=translated(track, "name"),
        description=translated(track, "description"),
        capacity=track.capacity,
        places_left=track.places_left,
        registration_deadline=_utc(track.registration_deadline),
        # As the event page decides.
        open=not (track.registration_deadline and now > track.registration_deadline)
        and not (event.ends_at and now > event.ends_at),
        full=track.places_left == 0,
        sessions=[
            SessionOut(
                id=s.pk,
                title=translated(s, "title"),
                start=s.start.astimezone(UTC),
                end=s.end.astimezone(UTC),
                time_zone=s.time_zone,
            )
            for s in track.sessions.all()
        ],
    )


# Events --------------------------------------------------------------------------------------

ORDERS = {
    "upcoming": ("starts_at", "id"),  # soonest first, as the list page
    "past": ("-starts_at", "-id"),  # latest first, as the list page
    "all": ("-created_at", "-id"),  # newest first (some have no date yet)
}


class EventFilters(Schema):
    when: Literal["upcoming", "past", "all"] = "upcoming"
    q: str = Field("", max_length=200, description="Words in the title, summary or venue.")
    space: str | None = Field(
        None, max_length=200, pattern=SLUG, description="A space's slug (with its sub-spaces)."
    )
    organisation: str | None = Field(
        None, max_length=200, pattern=SLUG, description="An organisation's slug (its spaces)."
    )
    place: str | None = Field(
        None, max_length=32, pattern=CODE, description="A place's code (events and spaces there)."
    )
    series: str | None = Field(
        None, max_length=200, pattern=SLUG, description="A series' slug (with the series in it)."
    )
    kind: (
        Literal[
            "webinar",
            "workshop",
            "presentation",
            "study_visit",
            "peer_learning",
            "academy",
            "other",
        ]
        | None
    ) = None
    format: Literal["online", "in_person", "hybrid"] | None = None
    language: str | None = Field(
        None, max_length=12, description="Spoken or interpreted, a code such as fr."
    )
    topic: str | None = Field(None, max_length=120, pattern=SLUG, description="A topic's slug.")
    city: str | None = Field(None, max_length=32, pattern=CODE, description="A city's code.")
    date_from: Day | None = Field(None, description="Events not ended before this day.")
    date_to: Day | None = Field(None, description="Events starting by this day.")
    cursor: str | None = Cursor
    limit: int = Limit


def _filters(user: Viewer, given: EventFilters) -> selectors.EventFilters:
    """The list page's filters, each object looked up as the page does; one the caller may not
    see (a members-only space or its series) is answered as one that does not exist (404)."""
    hub = hub_scope_from_query(
        user=user,
        params={"space": given.space, "organisation": given.organisation, "place": given.place},
    )
    series = None
    if given.series:
        series = selectors.series_visible_to(user).filter(slug=given.series).first()
        if series is None:
            raise Http404
    if given.language and given.language not in LANGUAGE_NAMES:
        raise ApiError(
            422,
            _("The request is not valid."),
            errors=[{"field": "language", "message": _("Not a language code we know.")}],
        )
    city = None
    if given.city:
        city = get_object_or_404(Territory, kind=Territory.Kind.CITY, code=given.city.upper())
    return selectors.EventFilters(
        when=given.when,
        q=" ".join(given.q.split()),
        series=series,
        kind=given.kind or "",
        format=given.format or "",
        language=given.language or "",
        topic=get_object_or_404(Topic, slug=given.topic) if given.topic else None,
        city=city,
        date_from=given.date_from,
        date_to=given.date_to,
        hub=hub,
    )


@router.get(
    "/events",
    response=EventPage,
    summary="Events you may see: upcoming (soonest first), past (latest first) or all",
)
@conditional(*NAMESPACES)
def event_list(request: HttpRequest, filters: Query[EventFilters]) -> dict[str, Any]:
    events = selectors.event_list(user=request.user, filters=_filters(request.user, filters))
    return cursor_page(
        events,
        cursor=filters.cursor,
        limit=filters.limit,
        order=ORDERS[filters.when],
        convert=lambda e: EventOut(**_event_fields(e)),
    )


@router.get(
    "/events/{slug}",
    response=EventDetail,
    summary="An event with its tracks and sessions (404 when you may not see it)",
)
@conditional(*MINE)
def event_detail(request: HttpRequest, slug: str) -> EventDetail:
    event = selectors.event_for_viewer(slug=slug[:200], user=request.user)
    if event is None:
        raise Http404
    user = request.user
    registration = selectors.viewer_registration(event=event, user=user)
    is_organiser = user.has_perm("events.change_event", event)
    can_register = user.has_perm("events.register", event)
    # The event page's rule for the meeting link, exactly.
    show_link = bool(event.online_url) and (
        is_organiser
        or (registration is not None and registration.status == Registration.Status.CONFIRMED)
    )
    now = timezone.now()
    return EventDetail(
        **_event_fields(event),
        description=translated(event, "description"),
        venue_address=event.venue_address,
        latitude=float(event.latitude) if event.latitude is not None else None,
        longitude=float(event.longitude) if event.longitude is not None else None,
        organisations=[_ref(o) for o in event.organisations.all()],
        speakers=[
            SpeakerOut(
                name=s.name, affiliation=translated(s, "affiliation"), role=s.role, bio=s.bio
            )
            for s in event.speakers.all()
        ],
        materials=[
            MaterialOut(title=m.title, kind=m.kind, url=m.href) for m in event.materials.all()
        ],
        tracks=[_track(t, event=event, now=now) for t in event.tracks.all()],
        external_registration_url=event.external_registration_url,
        online_url=event.online_url if show_link else None,
        registration=YourRegistration(
            id=registration.pk,
            status=registration.status,  # type: ignore[arg-type]
            track=registration.track_id,
        )
        if registration is not None
        else None,
        is_organiser=is_organiser,
        can_register=can_register and registration is None,
    )


# Series --------------------------------------------------------------------------------------


class SeriesFilters(Schema):
    space: str | None = Field(None, max_length=200, pattern=SLUG, description="A space's slug.")
    parent: str | None = Field(
        None, max_length=200, pattern=SLUG, description="The series directly in this one."
    )
    cursor: str | None = Cursor
    limit: int = Limit


def _visible_series(request: HttpRequest) -> Any:
    return selectors.series_visible_to(request.user).select_related("space", "parent")


@router.get("/series", response=SeriesPage, summary="Series of events you may see")
@conditional(*NAMESPACES)
def series_list(request: HttpRequest, filters: Query[SeriesFilters]) -> dict[str, Any]:
    series = _visible_series(request)
    if filters.space:
        series = series.filter(space__slug=filters.space)
    if filters.parent:
        parent = _visible_series(request).filter(slug=filters.parent).first()
        if parent is None:
            raise Http404
        series = series.filter(parent_id=parent.pk)
    return cursor_page(
        series,
        cursor=filters.cursor,
        limit=filters.limit,
        order=("name", "id"),
        convert=lambda s: SeriesOut(**_series_fields(s)),
    )


@router.get(
    "/series/{slug}",
    response=SeriesDetail,
    summary="A series (its events: /events?series=)",
)
@conditional(*NAMESPACES)
def series_detail(request: HttpRequest, slug: str) -> SeriesDetail:
    series = _visible_series(request).filter(slug=slug[:200]).first()
    if series is None:
        raise Http404
    children = selectors.series_visible_to(request.user).filter(parent=series).order_by("name")
    return SeriesDetail(
        **_series_fields(series),
        description=translated(series, "description"),
        children=[_ref(child) for child in children],
    )


# The caller's registrations ------------------------------------------------------------------


class MineFilters(Schema):
    cursor: str | None = Cursor
    limit: int = Limit


@router.get(
    "/me/registrations",
    response=RegistrationPage,
    auth=write_auth,
    summary="Your registrations (confirmed or on a wait list), newest first: needs a token",
)
@conditional(*MINE)
def my_registrations(request: HttpRequest, filters: Query[MineFilters]) -> dict[str, Any]:
    user = request.user
    organised = selectors.spaces_organised_by(user).filter(pk=OuterRef("event__space_id"))
    rows = (
        selectors.my_registrations(user=user)  # type: ignore[arg-type]
        .select_related("event__space", "event__series", "event__territory")
        .prefetch_related("event__topics")
        .annotate(organises=Exists(organised))
    )

    def convert(row: Registration) -> RegistrationOut:
        event = row.event
        show_link = bool(event.online_url) and (
            row.organises  # type: ignore[attr-defined]
            or row.status == Registration.Status.CONFIRMED
        )
        return RegistrationOut(
            id=row.pk,
            status=row.status,  # type: ignore[arg-type]
            created_at=row.created_at.astimezone(UTC),
            event=EventOut(**_event_fields(event)),
            track_id=row.track_id,
            track_name=translated(row.track, "name"),
            online_url=event.online_url if show_link else None,
        )

    return cursor_page(
        rows,
        cursor=filters.cursor,
        limit=filters.limit,
        order=("-created_at", "-id"),
        convert=convert,
    )
