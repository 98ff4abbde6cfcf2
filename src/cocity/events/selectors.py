"""Reads about events: visibility decided once (:func:`events_visible_to`), every list with its
query shape decided here."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.core.paginator import Page
from django.db.models import F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from cocity.accounts.types import Actor, Viewer
from cocity.core.cache import cached
from cocity.core.hubs import HubScope
from cocity.core.pagination import paginate
from cocity.core.translations import TRANSLATION_COLUMNS, translated
from cocity.network.models import (
    OrganisationMembership,
    Role,
    Space,
    SpaceMembership,
    Territory,
    Topic,
)
from cocity.network.selectors import spaces_visible_to

from .models import CalendarToken, Event, Registration, Series, Session, Track


def spaces_organised_by(user: Viewer) -> QuerySet[Space]:
    """Spaces whose events this person organises (mirrors ``rules.is_organiser``)."""
    if not user.is_authenticated:
        return Space.objects.none()
    if user.is_staff:
        return Space.objects.all()
    edits = SpaceMembership.objects.filter(
        user_id=user.pk, role__in=[Role.EDITOR, Role.ADMIN]
    ).values("space_id")
    admin_orgs = OrganisationMembership.objects.filter(user_id=user.pk, role=Role.ADMIN).values(
        "organisation_id"
    )
    owned = Space.organisations.through.objects.filter(organisation_id__in=admin_orgs).values(
        "space_id"
    )
    return Space.objects.filter(Q(pk__in=edits) | Q(pk__in=owned))


def events_visible_to(user: Viewer) -> QuerySet[Event]:
    """Events of spaces the person may see; drafts only for their organisers."""
    events = Event.objects.all()
    if user.is_authenticated and user.is_staff:
        return events
    if not user.is_authenticated:
        return events.filter(space__visibility=Space.Visibility.PUBLIC).exclude(
            status=Event.Status.DRAFT
        )
    visible = spaces_visible_to(user).values("pk")
    organised = spaces_organised_by(user).values("pk")
    return events.filter(space_id__in=visible).filter(
        ~Q(status=Event.Status.DRAFT) | Q(space_id__in=organised)
    )


def series_visible_to(user: Viewer) -> QuerySet[Series]:
    return Series.objects.filter(space_id__in=spaces_visible_to(user).values("pk"))


def events_in_hub(scope: HubScope) -> QuerySet[Event]:
    """The events of a hub that this person may see (drafts only for their organisers): its
    spaces' events (``HubScope.match``), and on an organisation's or a place's page also those
    in the place and those the organisations co-organise. The hub's events section counts these
    and the list filtered to the hub (``?space=``, ``?organisation=``, ``?place=``) shows them."""
    condition = scope.match(space="space_id", territory_path="territory__path")
    if scope.kind != "space" and scope.organisations is not None:
        organised = Event.organisations.through.objects.filter(
            organisation_id__in=scope.organisations
        ).values("event_id")
        condition |= Q(pk__in=organised)
    return events_visible_to(scope.viewer).filter(condition)


@dataclass
class EventFilters:
    when: str = "upcoming"
    q: str = ""
    series: Series | None = None
    kind: str = ""
    format: str = ""
    language: str = ""
    topic: Any = None
    city: Territory | None = None
    date_from: date | None = None
    date_to: date | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    hub: HubScope | None = None  # ?space=, ?organisation=, ?place= (events_in_hub)


def _day_start(day: date) -> datetime | None:
    """Midnight of ``day`` in the viewer's zone; None when that instant (or the day after it,
    for an upper bound) is beyond what a datetime can hold (0001-01-01 east of UTC,
    9999-12-31): the filter then has no bound on that side, which is what such a day means."""
    try:
        start = datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())
        start.astimezone(UTC)  # what the database is given
    except OverflowError:
        return None
    return start


def _day_after(day: date) -> datetime | None:
    try:
        return _day_start(day + timedelta(days=1))
    except OverflowError:
        return None


def _earliest_unfinished_start(now: datetime) -> datetime | None:
    """The earliest start of an event that has not ended: ``now - longest_event()``, or None
    (no bound) when a stored event is so long that the subtraction leaves the calendar."""
    try:
        return now - longest_event()
    except OverflowError:
        return None


def event_list(*, user: Viewer, filters: EventFilters) -> QuerySet[Event]:
    now = timezone.now()
    events = events_visible_to(user).select_related("space", "series", "territory")
    # The list is ordered by the start but split by the end: the redundant bound on starts_at
    # (an event that has not ended started at most ``longest_event()`` ago; one that has ended
    # started before now) lets PostgreSQL walk the starts_at index from the right place instead
    # of stepping over every past event (14 ms -> 0.3 ms at 10,000 past events).
    if filters.when == "all":  # upcoming and past, and those with no date yet (a hub's count)
        events = events.order_by(F("starts_at").desc(nulls_first=True), "-id")
    elif filters.when == "past":
        events = events.filter(ends_at__lt=now, starts_at__lt=now).order_by("-starts_at", "-id")
    else:
        events = events.filter(ends_at__gte=now).order_by("starts_at", "id")
        earliest = _earliest_unfinished_start(now)
        if earliest is not None:
            events = events.filter(starts_at__gte=earliest)
    if filters.q:
        for word in filters.q.split()[:8]:
            events = events.filter(
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(venue_name__icontains=word)
            )
    if filters.series is not None:
        # The series and every series under it (series nest).
        ids = _series_subtree_ids(filters.series)
        events = events.filter(series_id__in=ids)
    if filters.hub is not None:  # a space with its sub-spaces, an organisation, a place
        events = events.filter(pk__in=events_in_hub(filters.hub).values("pk"))
    if filters.kind:
        events = events.filter(kind=filters.kind)
    if filters.format:
        events = events.filter(format=filters.format)
    if filters.language:
        events = events.filter(
            Q(languages__icontains=f'"{filters.language}"')
            | Q(interpretation__icontains=f'{filters.language}"')
        )
    if filters.topic is not None:
        events = events.filter(topics=filters.topic)
    if filters.city is not None:
        events = events.filter(territory__path__startswith=filters.city.path)
    first = _day_start(filters.date_from) if filters.date_from else None
    if first is not None:
        events = events.filter(ends_at__gte=first)
    after = _day_after(filters.date_to) if filters.date_to else None
    if after is not None:
        events = events.filter(starts_at__lt=after)
    return events.prefetch_related("topics")


def _series_subtree_ids(series: Series) -> list[int]:
    ids, frontier = [series.pk], [series.pk]
    for _depth in range(6):
        frontier = list(Series.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        if not frontier:
            break
        ids += frontier
    return ids


def event_for_viewer(*, slug: str, user: Viewer) -> Event | None:
    return (
        events_visible_to(user)
        .select_related("space", "series", "series__parent", "territory")
        .prefetch_related(
            "organisations",
            "topics",
            "speakers",
            "materials",
            "questions",
            Prefetch(
                "tracks",
                queryset=Track.objects.prefetch_related(
                    Prefetch("sessions", queryset=Session.objects.order_by("start", "id"))
                ),
            ),
        )
        .filter(slug=slug)
        .first()
    )


def viewer_registration(*, event: Event, user: Viewer) -> Registration | None:
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.filter(event=event, user=user)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("track")
        .first()
    )


def registrants(*, event: Event) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(event=event)
        .select_related("user", "track")
        .order_by("track__position", "track_id", "status", "created_at", "id")
    )


def sessions_for_events(events: Any) -> QuerySet[Session]:
    return (
        Session.objects.filter(track__event__in=events)
        .select_related("track__event")
        .order_by("start", "id")
    )


def user_for_calendar_token(token: str) -> Actor | None:
    found = CalendarToken.objects.select_related("user").filter(token=token).first()
    return found.user if found and found.user.is_active else None


def my_live_registrations(*, user: Actor) -> QuerySet[Registration]:
    """The person's registrations (confirmed or waiting) for events they may see *now*: the base
    of every personal list (the calendar feed, "my events", reminders). Someone who left or was
    removed from a members-only space no longer sees its events here either
    (:func:`events_visible_to`, hence ``network.selectors.spaces_visible_to``)."""
    return (
        Registration.objects.filter(user=user)
        .exclude(status=Registration.Status.CANCELLED)
        .filter(event_id__in=events_visible_to(user).values("pk"))
    )


def my_sessions(*, user: Actor) -> tuple[list[Session], set[int]]:
    """Sessions of the tracks the person is registered for (confirmed or waiting), and the
    ids of events whose link they may see (confirmed)."""
    live = my_live_registrations(user=user)
    rows = list(live.values_list("track_id", "event_id", "status"))
    tracks = [r[0] for r in rows]
    confirmed = {r[1] for r in rows if r[2] == Registration.Status.CONFIRMED}
    sessions = list(
        Session.objects.filter(track_id__in=tracks)
        .exclude(track__event__status=Event.Status.DRAFT)
        .select_related("track__event")
        .order_by("start", "id")
    )
    return sessions, confirmed


def my_registrations(*, user: Actor) -> QuerySet[Registration]:
    return (
        my_live_registrations(user=user)
        .select_related("event", "track")
        .order_by("-event__starts_at", "id")
    )


# Filter choices --------------------------------------------------------------------------------
#
# The list's filter form offers the spaces and series that have events, the topics and the
# cities. Computing them on every request meant a DISTINCT over the events table (33 ms at
# 20,000 events); they are read once into the cache (``cocity.core.cache.cached``) under the
# "events" and "network" namespaces: any write to an event, a series, a space, a topic or a place
# makes them stale at once (the cache table, decision 0007).

CHOICES_TIMEOUT = 600
MIN_LONGEST_EVENT = timedelta(days=31)


def longest_event() -> timedelta:
    """How long the longest event lasts (first start to last end), at least 31 days: a bound
    for the list's query. Read with the cached choices, so forgotten whenever an event's dates
    change; the 31-day floor keeps the list right for ordinary events even in a process whose
    cache has not heard of a change yet."""
    longest = _all_choices()["longest"]
    return max(longest or MIN_LONGEST_EVENT, MIN_LONGEST_EVENT)


def _compute_choices() -> dict[str, Any]:
    return {
        "spaces": list(
            Space.objects.filter(pk__in=Event.objects.values("space_id"))
            .order_by("name", "pk")
            .values_list("pk", "slug", "name", "visibility", *TRANSLATION_COLUMNS)
        ),
        "series": list(
            Series.objects.order_by("name", "pk").values_list(
                "pk", "slug", "name", "space_id", *TRANSLATION_COLUMNS
            )
        ),
        "topics": list(
            Topic.objects.order_by("name", "pk").values_list("slug", "name", *TRANSLATION_COLUMNS)
        ),
        "cities": list(
            Territory.objects.filter(kind=Territory.Kind.CITY)
            .order_by("name", "pk")
            .values_list("code", "name", *TRANSLATION_COLUMNS)
        ),
        "longest": Event.objects.filter(starts_at__isnull=False).aggregate(
            longest=Max(F("ends_at") - F("starts_at"))
        )["longest"],
    }


def _all_choices() -> dict[str, Any]:
    # The rows carry their translation columns (each label is shown in the viewer's language).
    return cached(("events", "network"), "events-choices-2", _compute_choices, CHOICES_TIMEOUT)


def _label(model: type[Any], name: str, columns: Any) -> str:
    """A choice's name in the viewer's language, from its row's translation columns."""
    row = model(name=name, **dict(zip(TRANSLATION_COLUMNS, columns, strict=True)))
    return translated(row, "name")


@dataclass(frozen=True)
class FilterChoices:
    series: list[tuple[str, str]]
    spaces: list[tuple[str, str]]
    topics: list[tuple[str, str]]
    cities: list[tuple[str, str]]

    def with_space(self, space: Space) -> FilterChoices:
        """These choices, also offering a space the list is filtered to (a hub's "See all")
        when its events are all in its sub-spaces."""
        if any(slug == space.slug for slug, _name in self.spaces):
            return self
        spaces = sorted(
            [*self.spaces, (space.slug, translated(space, "name"))],
            key=lambda choice: sort_key(choice[1]),
        )
        return replace(self, spaces=spaces)


def filter_choices(*, user: Viewer) -> FilterChoices:
    """(value, label) lists for the list's filters, limited to the spaces the person may see:
    no query for a visitor, one small query for a signed-in person (their visible spaces among
    those that have events)."""
    data = _all_choices()
    spaces = data["spaces"]
    if not user.is_authenticated:
        visible = {row[0] for row in spaces if row[3] == Space.Visibility.PUBLIC}
    elif user.is_staff:
        visible = {row[0] for row in spaces}
    else:
        ids = [row[0] for row in spaces] + [row[3] for row in data["series"]]
        visible = set(spaces_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    series = [
        (slug, _label(Series, name, columns))
        for _pk, slug, name, space, *columns in data["series"]
        if space in visible
    ]
    shown_spaces = [
        (slug, _label(Space, name, columns))
        for pk, slug, name, _vis, *columns in spaces
        if pk in visible
    ]
    topics = [(slug, _label(Topic, name, columns)) for slug, name, *columns in data["topics"]]
    cities = [(code, _label(Territory, name, columns)) for code, name, *columns in data["cities"]]
    return FilterChoices(
        series=sorted(series, key=lambda c: sort_key(c[1])),
        spaces=sorted(shown_spaces, key=lambda c: sort_key(c[1])),
        topics=sorted(topics, key=lambda c: sort_key(c[1])),
        cities=sorted(cities, key=lambda c: sort_key(c[1])),
    )


def sort_key(text: str) -> str:
    """Alphabetical order that ignores case and accents ("Éwé" next to "Ewe")."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# Counting ------------------------------------------------------------------------------------


# The list counts at most this many rows, or up to PAGES_AHEAD pages after the one asked for,
# so the first pages of a long list do not count every row (26 ms for 10,000 upcoming events)
# and a deep page still exists; beyond, the page says "more than".
COUNT_CAP = 200


def event_page(queryset: QuerySet, page: str | int | None) -> Page:
    """One page of a list of events, its count capped (``paginator.capped``)."""
    return paginate(queryset, page, cap=COUNT_CAP, open_ended=True)


def registration_activity(*, home_path: str) -> list[tuple[Any, ...]]:
    """Registrations (not cancelled) in public spaces by people whose home neighbourhood lies
    under ``home_path``, as ``(user id, home neighbourhood id, space id, created at)`` rows (the
    participation-equity pages of insights count them)."""
    return list(
        Registration.objects.filter(
            user__home_neighbourhood__path__startswith=home_path,
            event__space__visibility=Space.Visibility.PUBLIC,
        )
        .exclude(status="cancelled")
        .values_list("user_id", "user__home_neighbourhood_id", "event__space_id", "created_at")
    )


def next_sessions(*, user: Viewer, limit: int = 5) -> list[Session]:
    """The person's next sessions (of the tracks they are registered or wait-listed for, not
    yet ended, of events they may still see), soonest first, each with its track and event and
    ``registration_status``: one query whatever the number of registrations (the start page)."""
    if not user.is_authenticated:
        return []
    live = Registration.objects.filter(user_id=user.pk).exclude(
        status=Registration.Status.CANCELLED
    )
    return list(
        Session.objects.filter(
            end__gte=timezone.now(),
            track_id__in=live.values("track_id"),
            track__event_id__in=events_visible_to(user).values("pk"),
        )
        .annotate(
            registration_status=Subquery(
                live.filter(track_id=OuterRef("track_id")).values("status")[:1]
            )
        )
        .select_related("track__event")
        .order_by("start", "id")[:limit]
    )
