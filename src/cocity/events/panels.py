"""The events section of the hub pages (``cocity.core.hubs``): upcoming and recent events of a
space (and its sub-spaces), an organisation or a place, with their times in the viewer's zone.
Four queries whatever the number of events."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cocity.core.hubs import (
    ITEMS_PER_SECTION,
    HubActivity,
    HubContent,
    HubItem,
    HubScope,
    HubSection,
    register,
)
from cocity.core.timezones import session_line
from cocity.core.translations import translated

from . import selectors
from .models import Event

UPCOMING = 3


def _when(event: Event) -> str:
    if event.starts_at is None:
        return gettext("Date to be announced")
    # One line, as on every event display: the viewer's time, then the event's zone if it differs.
    return session_line(event.starts_at, event.ends_at, event_zone=event.time_zone)


def _item(event: Event) -> HubItem:
    meta = [_when(event)]
    if event.venue_name:
        meta.append(event.venue_name)
    elif event.format == Event.Format.ONLINE:
        meta.append(gettext("online"))
    badge = "" if event.status == Event.Status.PUBLISHED else str(event.get_status_display())
    return HubItem(
        title=translated(event, "title"),
        url=event.get_absolute_url(),
        meta=" · ".join(meta),
        badge=badge,
    )


def _see_all(scope: HubScope) -> str:
    # every event the section counts, past and upcoming (the list shows the upcoming by default)
    return scope.see_all(reverse("events:event_list"), when="all")


def _content(scope: HubScope) -> HubContent:
    events = selectors.events_in_hub(scope)
    now = timezone.now()
    upcoming = list(events.filter(ends_at__gte=now).order_by("starts_at", "id")[:UPCOMING])
    recent = list(
        events.filter(ends_at__lt=now).order_by("-starts_at", "-id")[
            : max(ITEMS_PER_SECTION - len(upcoming), 1)
        ]
    )
    published = events.exclude(status=Event.Status.DRAFT).order_by("-created_at", "-id")[:6]
    return HubContent(
        count=events.count(),
        items=[_item(event) for event in upcoming + recent],
        see_all=_see_all(scope),
        activity=[
            HubActivity(
                when=e.created_at,
                kind=gettext("Event"),
                title=translated(e, "title"),
                url=e.get_absolute_url(),
            )
            for e in published
        ],
    )


register(
    HubSection(
        key="events",
        title=_("Events"),
        order=10,
        content=_content,
        shows=("events.Event", "events.Session", "events.Track"),
        empty=_("No events yet."),
    )
)
