"""Event pages. Thin: parse with a form, check the permission (rules), call a selector or a
service, render. Events of spaces a person may not see, and drafts, answer 404."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from cocity.accounts.types import signed_in
from cocity.core.cache import cached, public_page_cache
from cocity.core.csv import csv_response
from cocity.core.forms import add_service_errors, error_text
from cocity.core.geo import parse_bbox
from cocity.core.http import vary_on_htmx
from cocity.core.pagination import paginate
from cocity.core.translations import translated
from cocity.network.models import Space
from cocity.network.selectors import spaces_visible_to
from cocity.network.selectors.hubs import hub_filter

from . import ical, maps, selectors, services
from .forms import (
    EventFilterForm,
    EventForm,
    MaterialForm,
    MessageForm,
    QuestionForm,
    RegistrationForm,
    SessionEditForm,
    SessionForm,
    SpeakerForm,
    TrackForm,
)
from .models import Event, Registration, Series, Session, Track

ICS = "text/calendar; charset=utf-8"
FEED_TIMEOUT = 6 * 3600
FEED_CACHE = ("events", "registrations", "network")
# Anonymous visitors get the list, event and series pages from the shared page cache: any write
# to a model these pages show bumps its namespaces (the cache table in each app's apps.py). What
# changes with the clock alone (an event moving from upcoming to past, a deadline passing) is at
# most PUBLIC_CACHE_TIMEOUT seconds late; the services check deadlines themselves.
PUBLIC_CACHE = ("events", "network", "pledges")  # pledges: the "linked pledges" table
PUBLIC_CACHE_TIMEOUT = 120


def _event_or_404(request: HttpRequest, slug: str) -> Event:
    event = selectors.event_for_viewer(slug=slug, user=request.user)
    if event is None:
        raise Http404
    return event


def _organised_event_or_404(request: HttpRequest, slug: str) -> Event:
    event = _event_or_404(request, slug)
    if not request.user.has_perm("events.change_event", event):
        raise PermissionDenied
    return event


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=ICS)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# Listing -------------------------------------------------------------------------------------


def _list_filters(request: HttpRequest) -> tuple[EventFilterForm, Any, Any]:
    """The list's filter form, its filters and the hub chip, read from the query: the list and
    the points of its map show the same events."""
    # ?space= (with its sub-spaces), ?organisation=, ?place=: what a hub's events section counts
    hub = hub_filter(user=request.user, params=request.GET, form_fields=("space",))
    choices = selectors.filter_choices(user=request.user)
    if hub is not None and hub.scope.kind == "space":  # a parent space may have no events itself
        choices = choices.with_space(hub.scope.obj)
    form = EventFilterForm(request.GET or None, choices=choices)
    values = form.filters()
    values.pop("space", None)  # read through the hub's scope
    return form, selectors.EventFilters(**values, hub=hub.scope if hub else None), hub


@require_http_methods(["GET", "HEAD"])
@public_page_cache(PUBLIC_CACHE, timeout=PUBLIC_CACHE_TIMEOUT)
def event_list(request: HttpRequest) -> HttpResponse:
    form, filters, hub = _list_filters(request)
    page_obj = selectors.event_page(
        selectors.event_list(user=request.user, filters=filters), request.GET.get("page")
    )
    around = maps.context_areas(user=request.user, filters=filters)  # named under the points
    context = {
        "form": form,
        "page_obj": page_obj,
        "when": filters.when,
        "hub_filter": hub,
        "map_areas": around.areas,
    }
    template = "events/partials/event_results.html" if request.htmx else "events/event_list.html"  # type: ignore[attr-defined]
    return vary_on_htmx(render(request, template, context))


@require_http_methods(["GET", "HEAD"])
@public_page_cache(PUBLIC_CACHE, timeout=PUBLIC_CACHE_TIMEOUT)
def event_map(request: HttpRequest) -> HttpResponse:
    """The list's in-person events with a venue point in ``bbox`` (``west,south,east,north``)
    as GeoJSON for its map: the list's filters and visibility, the first ``MAP_LIMIT`` in the
    list's order (``truncated`` says when there are more); a malformed bbox is a 400."""
    bbox = parse_bbox(request.GET.get("bbox"))
    if request.GET.get("bbox") and bbox is None:
        return JsonResponse({"error": _("bbox is west,south,east,north in degrees.")}, status=400)
    rows = maps.events_in_bbox(
        user=request.user, filters=_list_filters(request)[1], bbox=bbox, limit=maps.MAP_LIMIT + 1
    )
    pattern = maps.event_url_pattern()
    body = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [maps.feature(row, pattern) for row in rows[: maps.MAP_LIMIT]],
            "limit": maps.MAP_LIMIT,
            "truncated": len(rows) > maps.MAP_LIMIT,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return HttpResponse(body.encode(), content_type="application/geo+json")


def _json_ld(request: HttpRequest, event: Event, sessions: list[Any]) -> dict[str, Any]:
    status = {
        Event.Status.CANCELLED: "EventCancelled",
        Event.Status.POSTPONED: "EventPostponed",
    }.get(event.status, "EventScheduled")  # type: ignore[call-overload]
    mode = {
        Event.Format.ONLINE: "OnlineEventAttendanceMode",
        Event.Format.IN_PERSON: "OfflineEventAttendanceMode",
        Event.Format.HYBRID: "MixedEventAttendanceMode",
    }[event.format]  # type: ignore[index]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.summary,
        "url": request.build_absolute_uri(event.get_absolute_url()),
        "eventStatus": f"https://schema.org/{status}",
        "eventAttendanceMode": f"https://schema.org/{mode}",
        "inLanguage": event.languages,
        "organizer": [{"@type": "Organization", "name": o.name} for o in event.organisations.all()],
        "performer": [
            {"@type": "Person", "name": s.name, "affiliation": s.affiliation}
            for s in event.speakers.all()
        ],
    }
    if event.starts_at:
        data["startDate"] = event.starts_at.astimezone(event.zone).isoformat()
    if event.ends_at:
        data["endDate"] = event.ends_at.astimezone(event.zone).isoformat()
    location: list[dict[str, Any]] = []
    if event.format != Event.Format.IN_PERSON:
        # The page's address, never the meeting link.
        location.append({"@type": "VirtualLocation", "url": data["url"]})
    if event.venue_name or event.venue_address:
        place: dict[str, Any] = {
            "@type": "Place",
            "name": event.venue_name,
            "address": event.venue_address,
        }
        if event.latitude is not None and event.longitude is not None:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(event.latitude),
                "longitude": float(event.longitude),
            }
        location.append(place)
    if location:
        data["location"] = location if len(location) > 1 else location[0]
    if len(sessions) > 1:
        data["subEvent"] = [
            {
                "@type": "Event",
                "name": f"{event.title} ({s.track.name})",
                "startDate": s.start.astimezone(event.zone).isoformat(),
                "endDate": s.end.astimezone(event.zone).isoformat(),
            }
            for s in sessions
        ]
    return data


@require_http_methods(["GET", "HEAD"])
@public_page_cache(PUBLIC_CACHE, timeout=PUBLIC_CACHE_TIMEOUT)
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    user = request.user
    viewer_zone = timezone.get_current_timezone()
    registration = selectors.viewer_registration(event=event, user=user)
    is_organiser = user.has_perm("events.change_event", event)
    can_register = user.has_perm("events.register", event)
    questions = list(event.questions.all())
    tracks = []
    all_sessions = []
    now = timezone.now()
    for track in event.tracks.all():
        sessions = list(track.sessions.all())
        for session in sessions:
            session.track = track
        all_sessions += sessions
        tracks.append(
            {
                "track": track,
                "sessions": [{"session": s} for s in sessions],
                "open": not (track.registration_deadline and now > track.registration_deadline)
                and not (event.ends_at and now > event.ends_at),
                "full": track.places_left == 0,
            }
        )
    context = {
        "event": event,
        "tracks": tracks,
        "registration": registration,
        "is_organiser": is_organiser,
        "can_register": can_register and registration is None,
        "register_form": RegistrationForm(questions=questions) if can_register else None,
        "show_link": bool(event.online_url)
        and (
            is_organiser
            or (registration is not None and registration.status == Registration.Status.CONFIRMED)
        ),
        "cancel_token": services.cancel_token(registration) if registration else "",
        "json_ld": json_ld_text(_json_ld(request, event, all_sessions)),
        "viewer_zone": getattr(viewer_zone, "key", str(viewer_zone)),
        "is_past": bool(event.ends_at and event.ends_at < now),
    }
    return render(request, "events/event_detail.html", context)


# Registration --------------------------------------------------------------------------------


@login_required
@require_POST
def event_register(request: HttpRequest, slug: str, track_id: int) -> HttpResponse:
    event = _event_or_404(request, slug)
    track = get_object_or_404(Track, pk=track_id, event=event)
    questions = list(event.questions.all())
    form = RegistrationForm(request.POST, questions=questions)
    if not request.user.has_perm("events.register", event):
        if event.is_cancelled:
            messages.error(request, _("This event is cancelled."))
        else:
            messages.error(request, _("Registration is not open for this event."))
        return redirect(event)
    if form.is_valid():
        try:
            registration = services.registration_create(
                track=track, user=signed_in(request), answers=form.answers()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if registration.status == Registration.Status.CONFIRMED:
                messages.success(
                    request,
                    _("You are registered. We have sent you an e-mail with a calendar invitation."),
                )
            else:
                messages.info(
                    request,
                    _(
                        "This track is full: you are on the wait list. "
                        "We will write to you if a place frees up."
                    ),
                )
            return redirect(event)
    event_context = {"event": event, "track": track, "form": form}
    return render(request, "events/register_error.html", event_context, status=400)


@require_http_methods(["GET", "POST"])
def registration_cancel(request: HttpRequest, token: str) -> HttpResponse:
    registration = services.registration_from_token(token)
    if registration is None:
        raise Http404
    if request.method == "POST":
        if registration.status == Registration.Status.CANCELLED:
            messages.info(request, _("This registration was already cancelled."))
        else:
            try:
                services.registration_cancel(registration=registration)
            except ValidationError as error:
                messages.error(request, error_text(error))
            else:
                messages.success(request, _("Your registration is cancelled."))
        return redirect(registration.event)
    return render(
        request, "events/cancel_confirm.html", {"registration": registration, "token": token}
    )


# Calendars and feeds -------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    sessions = list(selectors.sessions_for_events([event.pk]))
    return _ics_response(
        ical.build_calendar(sessions, name=translated(event, "title")), f"{event.slug}.ics"
    )


def _series_or_404(request: HttpRequest, slug: str) -> Series:
    series = (
        selectors.series_visible_to(request.user)
        .select_related("space", "parent")
        .filter(slug=slug)
        .first()
    )
    if series is None:
        raise Http404
    return series


@require_http_methods(["GET", "HEAD"])
@public_page_cache(PUBLIC_CACHE, timeout=PUBLIC_CACHE_TIMEOUT)
def series_detail(request: HttpRequest, slug: str) -> HttpResponse:
    series = _series_or_404(request, slug)
    filters = selectors.EventFilters(series=series, when=request.GET.get("when") or "upcoming")
    page_obj = selectors.event_page(
        selectors.event_list(user=request.user, filters=filters), request.GET.get("page")
    )
    children = list(selectors.series_visible_to(request.user).filter(parent=series))
    return render(
        request,
        "events/series_detail.html",
        {"series": series, "page_obj": page_obj, "children": children, "when": filters.when},
    )


def _events_in_series(request: HttpRequest, series: Series) -> Any:
    ids = selectors._series_subtree_ids(series)
    return selectors.events_visible_to(request.user).filter(series_id__in=ids)


@require_http_methods(["GET", "HEAD"])
def series_ics(request: HttpRequest, slug: str) -> HttpResponse:
    series = _series_or_404(request, slug)
    sessions = list(selectors.sessions_for_events(_events_in_series(request, series).values("pk")))
    return _ics_response(
        ical.build_calendar(sessions, name=translated(series, "name")), f"{series.slug}.ics"
    )


@dataclass(frozen=True)
class _SeriesReading:
    """A series and the events of it one reader may see: the feed object of one request (the
    ``Feed`` instance serves every request, in every thread, so it keeps nothing of one)."""

    series: Series
    events: Any


class SeriesAtomFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str) -> _SeriesReading:
        series = _series_or_404(request, slug)
        return _SeriesReading(series=series, events=_events_in_series(request, series))

    def title(self, obj: _SeriesReading) -> str:
        return translated(obj.series, "name")

    def link(self, obj: _SeriesReading) -> str:
        return obj.series.get_absolute_url()

    def subtitle(self, obj: _SeriesReading) -> str:
        return translated(obj.series, "summary")

    def items(self, obj: _SeriesReading) -> Any:
        return obj.events.order_by("-starts_at", "-id")[:50]

    def item_title(self, item: Event) -> str:
        return translated(item, "title")

    def item_description(self, item: Event) -> str:
        # Atom's <summary type="html">: the plain-text summary escaped, shown as text.
        return escape(translated(item, "summary"))

    def item_link(self, item: Event) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Event) -> Any:
        return item.created_at

    def item_updateddate(self, item: Event) -> Any:
        return item.updated_at


series_feed = SeriesAtomFeed()


@require_http_methods(["GET", "HEAD"])
def space_ics(request: HttpRequest, slug: str) -> HttpResponse:
    space = spaces_visible_to(request.user).filter(slug=slug).first()
    if space is None:
        raise Http404
    events = selectors.events_visible_to(request.user).filter(space=space).values("pk")
    sessions = list(selectors.sessions_for_events(events))
    return _ics_response(
        ical.build_calendar(sessions, name=translated(space, "name")), f"{space.slug}.ics"
    )


@require_http_methods(["GET", "HEAD"])
def my_calendar(request: HttpRequest, token: str) -> HttpResponse:
    user = selectors.user_for_calendar_token(token)
    if user is None:
        raise Http404

    def build() -> bytes:
        sessions, confirmed = selectors.my_sessions(user=user)
        return ical.build_calendar(
            sessions,
            name=_("My events on %(site)s") % {"site": settings.COCITY_SITE_NAME},
            with_link_for=confirmed,
            # the rest are on a wait list: tentative, not attending
            tentative_for={s.track.event_id for s in sessions} - confirmed,
        )

    # Cached per person until an event or a registration changes (the cache table: "events",
    # "registrations"): no query instead of building 200 VEVENTs on every poll of a client.
    body = cached(FEED_CACHE, f"events-feed:{user.pk}", build, FEED_TIMEOUT)
    response = _ics_response(body, "my-events.ics")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def my_events(request: HttpRequest) -> HttpResponse:
    person = signed_in(request)
    if request.method == "POST":
        services.calendar_token_reset(user=person)
        messages.success(
            request, _("Your calendar has a new address; the old one no longer works.")
        )
        return redirect("events:my_events")
    token = services.calendar_token_for(user=person)
    page_obj = paginate(selectors.my_registrations(user=person), request.GET.get("page"))
    feed_url = request.build_absolute_uri(reverse("events:my_calendar", args=[token.token]))
    return render(request, "events/my_events.html", {"page_obj": page_obj, "feed_url": feed_url})


# Organisers ----------------------------------------------------------------------------------


def _organised_space_or_404(request: HttpRequest, slug: str) -> Space:
    space = spaces_visible_to(request.user).filter(slug=slug).first()
    if space is None:
        raise Http404
    if not request.user.has_perm("events.add_event", space):
        raise PermissionDenied
    return space


def _event_fields(form: EventForm) -> tuple[dict[str, Any], Any, Any]:
    data = dict(form.cleaned_data)
    organisations = data.pop("organisations")
    topics = data.pop("topics")
    return data, organisations, topics


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest, space_slug: str) -> HttpResponse:
    space = _organised_space_or_404(request, space_slug)
    form = EventForm(
        request.POST or None,
        request.FILES or None,
        series=Series.objects.filter(space=space),
        space=space,
    )
    if request.method == "POST" and form.is_valid():
        data, organisations, topics = _event_fields(form)
        try:
            event = services.event_create(
                space=space,
                actor=signed_in(request),
                organisations=organisations,
                topics=topics,
                **data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The event is saved. Add a track and its sessions."))
            return redirect("events:event_manage", slug=event.slug)
    return render(request, "events/event_form.html", {"form": form, "space": space, "event": None})


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, slug: str) -> HttpResponse:
    event = _organised_event_or_404(request, slug)
    form = EventForm(
        request.POST or None,
        request.FILES or None,
        initial=EventForm.initial_for(event),
        series=Series.objects.filter(space=event.space),
        space=event.space,
    )
    if request.method == "POST" and form.is_valid():
        data, organisations, topics = _event_fields(form)
        try:
            event = services.event_update(
                event=event,
                actor=signed_in(request),
                organisations=organisations,
                topics=topics,
                **data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The event is saved."))
            return redirect("events:event_manage", slug=event.slug)
    return render(
        request, "events/event_form.html", {"form": form, "space": event.space, "event": event}
    )


FORMS = {
    "track": TrackForm,
    "session": SessionForm,
    "speaker": SpeakerForm,
    "material": MaterialForm,
    "question": QuestionForm,
}


def _manage_forms(
    event: Event, bound: str | None = None, request: HttpRequest | None = None
) -> dict[str, Any]:
    forms: dict[str, Any] = {}
    for name, cls in FORMS.items():
        args: list[Any] = [request.POST, request.FILES] if (request and name == bound) else []
        kwargs: dict[str, Any] = {"prefix": name}
        if name == "session":
            kwargs["tracks"] = event.tracks.all()
            kwargs["initial"] = {"time_zone": event.time_zone}
        forms[name] = cls(*args, **kwargs)
    return forms


@login_required
@require_http_methods(["GET", "POST"])
def event_manage(request: HttpRequest, slug: str) -> HttpResponse:
    event = _organised_event_or_404(request, slug)
    what = request.POST.get("what") if request.method == "POST" else None
    forms = _manage_forms(event, what, request)
    if what in FORMS:
        form = forms[what]
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                if what == "track":
                    services.track_create(event=event, **data)
                elif what == "session":
                    services.session_create(**data)
                elif what == "speaker":
                    services.speaker_add(event=event, **data)
                elif what == "material":
                    services.material_add(event=event, **data)
                else:
                    services.question_add(event=event, **data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("events:event_manage", slug=event.slug)
    status = 400 if what in FORMS else 200
    return render(
        request, "events/event_manage.html", {"event": event, "forms": forms}, status=status
    )


def _organised_track_or_404(request: HttpRequest, slug: str, track_id: int) -> tuple[Event, Track]:
    event = _organised_event_or_404(request, slug)
    return event, get_object_or_404(Track, pk=track_id, event=event)


@login_required
@require_http_methods(["GET", "POST"])
def track_edit(request: HttpRequest, slug: str, track_id: int) -> HttpResponse:
    event, track = _organised_track_or_404(request, slug, track_id)
    form = TrackForm(request.POST or None, initial=TrackForm.initial_for(track))
    if request.method == "POST" and form.is_valid():
        try:
            promoted = services.track_update(track=track, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if promoted:
                messages.success(
                    request,
                    ngettext(
                        "The track is saved; %(count)s person on the wait list has a place.",
                        "The track is saved; %(count)s people on the wait list have a place.",
                        len(promoted),
                    )
                    % {"count": len(promoted)},
                )
            else:
                messages.success(request, _("The track is saved."))
            return redirect("events:event_manage", slug=event.slug)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "events/track_form.html",
        {"event": event, "track": track, "form": form},
        status=status,
    )


@login_required
@require_POST
def track_delete(request: HttpRequest, slug: str, track_id: int) -> HttpResponse:
    event, track = _organised_track_or_404(request, slug, track_id)
    try:
        services.track_delete(track=track)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The track is deleted."))
    return redirect("events:event_manage", slug=event.slug)


def _organised_session_or_404(
    request: HttpRequest, slug: str, session_id: int
) -> tuple[Event, Session]:
    event = _organised_event_or_404(request, slug)
    session = get_object_or_404(
        Session.objects.select_related("track"), pk=session_id, track__event=event
    )
    return event, session


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    event, session = _organised_session_or_404(request, slug, session_id)
    form = SessionEditForm(request.POST or None, initial=SessionEditForm.initial_for(session))
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(session=session, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The session is saved."))
            return redirect("events:event_manage", slug=event.slug)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "events/session_form.html",
        {"event": event, "session": session, "form": form},
        status=status,
    )


@login_required
@require_POST
def session_delete(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    event, session = _organised_session_or_404(request, slug, session_id)
    try:
        services.session_delete(session=session)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The session is deleted."))
    return redirect("events:event_manage", slug=event.slug)


@login_required
@require_http_methods(["GET", "POST"])
def registrants(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    if not request.user.has_perm("events.manage_registrations", event):
        raise PermissionDenied
    message_form = MessageForm(request.POST if request.POST.get("what") == "message" else None)
    if request.method == "POST":
        if request.POST.get("what") == "attendance":
            marks: dict[int, bool | None] = {}
            for key, value in request.POST.items():
                if key.startswith("attended-") and key[9:].isdigit():
                    marks[int(key[9:])] = {"yes": True, "no": False}.get(str(value))
            services.attendance_mark(event=event, attended=marks)
            messages.success(request, _("Attendance saved."))
            return redirect("events:registrants", slug=event.slug)
        if message_form.is_valid():
            try:
                count = services.registrants_message(
                    event=event, actor=signed_in(request), **message_form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(message_form, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Message sent to %(count)s person.",
                        "Message sent to %(count)s people.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect("events:registrants", slug=event.slug)
    page_obj = paginate(selectors.registrants(event=event), request.GET.get("page"), per_page=100)
    return render(
        request,
        "events/registrants.html",
        {
            "event": event,
            "page_obj": page_obj,
            "message_form": message_form,
            "questions": list(event.questions.all()),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def registrants_csv(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    if not request.user.has_perm("events.manage_registrations", event):
        raise PermissionDenied
    questions = list(event.questions.all())
    header = [_("name"), _("e-mail"), _("track"), _("status"), _("registered"), _("attended")]
    rows = (
        [
            r.user.public_name,
            r.user.email,
            r.track.name,
            r.status,
            r.created_at.isoformat(),
            "" if r.attended is None else str(r.attended).lower(),
        ]
        + [r.answers.get(str(q.pk), "") for q in questions]
        for r in selectors.registrants(event=event).iterator(chunk_size=500)
    )
    return csv_response(
        header + [q.label for q in questions], rows, filename=f"{event.slug}-registrants.csv"
    )


def json_ld_text(data: dict[str, Any]) -> SafeString:
    """JSON-LD for a ``<script type="application/ld+json">`` (data, not script: the CSP allows
    it); ``<``, ``>`` and ``&`` are escaped so no text can close the element."""
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)  # noqa: S308 - escaped above
