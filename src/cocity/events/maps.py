"""The events' map: in-person and hybrid events with a venue point, as GeoJSON features for
``static/cocity/js/map.js`` (the list's map, ``views.event_map``), read with the list's own
filters and visibility (``selectors.event_list``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import formats, timezone

from cocity.core.translations import TRANSLATION_COLUMNS, translated
from cocity.network.selectors.territories import ContextAreas, city_areas

from .models import Event
from .selectors import EventFilters, event_list

MAP_LIMIT = 300  # features per answer, whatever the area (as the pacts' map)

_FORMATS = dict(Event.Format.choices)


def events_in_bbox(
    *,
    user: Any,
    filters: EventFilters,
    bbox: tuple[float, float, float, float] | None,
    limit: int = MAP_LIMIT,
) -> list[dict[str, Any]]:
    """The events of the list (same filters, same order, only what ``user`` may see) held in
    person with a map point, inside ``bbox`` when given; plain rows, at most ``limit``."""
    events = event_list(user=user, filters=filters).filter(
        format__in=(Event.Format.IN_PERSON, Event.Format.HYBRID),
        latitude__isnull=False,
    )
    if bbox is not None:
        west, south, east, north = bbox
        events = events.filter(
            longitude__gte=west, longitude__lte=east, latitude__gte=south, latitude__lte=north
        )
    rows: Any = events.prefetch_related(None).values(
        "slug",
        "title",
        "format",
        "starts_at",
        "time_zone",
        "venue_name",
        "latitude",
        "longitude",
        *TRANSLATION_COLUMNS,
    )[:limit]
    return list(rows)


def context_areas(*, user: Any, filters: EventFilters) -> ContextAreas:
    """The neighbourhoods (or districts) of the cities of the list's events on the map (their
    place, else their space's), drawn named under the points so the map is recognisable
    without tiles: ``city_areas``' caps, the list's filters and visibility."""
    rows = (
        event_list(user=user, filters=filters)
        .filter(format__in=(Event.Format.IN_PERSON, Event.Format.HYBRID), latitude__isnull=False)
        .prefetch_related(None)
        .values_list("territory__path", "space__territory__path")[:MAP_LIMIT]
    )
    return city_areas(own or space or "" for own, space in rows)


def feature(row: dict[str, Any], url_pattern: str) -> dict[str, Any]:
    """One event as a point: its title (linked, in the viewer's language), the day it starts in
    its own zone and its format, its venue."""
    day = ""
    if row["starts_at"] is not None:
        start = timezone.localtime(row["starts_at"], Event(time_zone=row["time_zone"]).zone)
        day = formats.date_format(start, "DATE_FORMAT")
    fmt = str(_FORMATS.get(row["format"], row["format"]))
    return {
        "type": "Feature",
        "geometry": {
            "type": "Point",
            "coordinates": [float(row["longitude"]), float(row["latitude"])],
        },
        "properties": {
            "title": _title(row),
            "status_label": f"{day} · {fmt}" if day else fmt,
            "place": row["venue_name"],
            "url": url_pattern.replace("EVENT-SLUG", row["slug"]),
        },
    }


def _title(row: dict[str, Any]) -> str:
    """The row's title as the viewer reads it (a row read without the translation columns: as
    written)."""
    if not all(name in row for name in TRANSLATION_COLUMNS):
        return str(row["title"])
    columns = {name: row[name] for name in TRANSLATION_COLUMNS}
    return translated(Event(title=row["title"], **columns), "title")


def event_url_pattern() -> str:
    """The event URL with a placeholder slug, reversed once per answer."""
    return reverse("events:event_detail", args=["EVENT-SLUG"])
