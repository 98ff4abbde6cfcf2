"""The interactive map component (``static/cocity/js/map.js``, on Leaflet): its files and the
base map's configuration, loaded only by the pages that draw a map::

    {% load maps %}
    {% block head %}{% map_assets %}{% endblock %}

The server-drawn SVG and the table stay in the page: the script replaces the SVG by the map
and leaves the table (docs/decisions/0009-maps-on-leaflet.md)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.conf import settings
from django.utils.html import json_script
from django.utils.translation import gettext as _

from cocity.core import geojson
from cocity.core.translations import translated

register = template.Library()


def map_config() -> dict[str, Any]:
    """What map.js reads from the page: the tiles (an empty address means none)."""
    return {
        "tiles": settings.COCITY_MAP_TILES_URL,
        "attribution": settings.COCITY_MAP_TILES_ATTRIBUTION,
        "maxZoom": settings.COCITY_MAP_MAX_ZOOM,
        "texts": {
            "map": _("Interactive map"),
            "noTiles": _(
                "No base map here: boundaries, points and names are drawn on a plain "
                "background. The table or list on this page gives the same information."
            ),
            "cluster": _("%(count)s places here: zoom in"),
            "shown": _("%(count)s shown on the map."),
            "truncated": _(
                "Only the newest %(count)s in this area are shown: zoom in or filter to see "
                "the others."
            ),
            "loading": _("Loading the map…"),
            "failed": _("The map could not load its points; the table below lists them."),
            "open": _("Open"),
            "pin": _("Chosen place: use the arrow keys to move it"),
            "pinHere": _("Put the pin in the middle of the map"),
            "pinMoved": _("Pin at latitude %(lat)s, longitude %(lon)s."),
            "outside": _("This place is outside the space's territory; choose a place inside."),
            "outline": _("Outline of the allowed territory"),
            "approximate": _(
                "Some boundaries on this map are approximate: hand-drawn outlines, not the "
                "official ones."
            ),
            "outlined": _("%(place)s is outlined on the map: put the pin inside it."),
        },
    }


@register.inclusion_tag("maps/assets.html")
def map_assets() -> dict[str, Any]:
    return {"map_config": map_config()}


def places_points(places: Iterable[Any]) -> dict[str, Any] | None:
    """Places as markers (a point inside each boundary) with their name and link: for a map
    of places far apart (the directory's cities), where their shapes would be dots."""
    shown = [p for p in places if getattr(p, "boundary", None)]
    if not shown:
        return None
    points = geojson.inner_points([p.boundary for p in shown])
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": point},
            "properties": {"title": translated(p, "name"), "url": p.get_absolute_url()},
        }
        for p, point in zip(shown, points, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def _approximate(place: Any) -> dict[str, bool]:
    """``{"approximate": True}`` for a place whose outline is not the official one
    (``Territory.boundary_approximate``): map.js then says the boundaries are approximate."""
    return {"approximate": True} if getattr(place, "boundary_approximate", False) else {}


def places_collection(places: Iterable[Any], outline: Any = None) -> dict[str, Any] | None:
    """Places (anything with ``boundary``, ``name``, ``code`` and ``get_absolute_url``:
    territories) as GeoJSON for map.js, each named and opening its page, ``outline`` (the place
    the page is about) as a dashed edge around them; simplified for the whole in view. ``None``
    when no place has a boundary."""
    shown = [p for p in places if getattr(p, "boundary", None)]
    if outline is not None and not getattr(outline, "boundary", None):
        outline = None
    if not shown and outline is not None:
        shown, outline = [outline], None
    if not shown:
        return None
    every = shown + ([outline] if outline is not None else [])
    box = geojson.bounds([p.boundary for p in every])
    shapes = geojson.simplified(
        [p.boundary for p in every], tolerance=geojson.display_tolerance(*box)
    )
    features = [
        {
            "type": "Feature",
            "geometry": shape,
            "properties": {
                "name": translated(p, "name"),
                "code": p.code,
                "url": p.get_absolute_url(),
                **_approximate(p),
            },
        }
        for p, shape in zip(shown, shapes, strict=False)
    ]
    if outline is not None:
        features.insert(
            0,
            {
                "type": "Feature",
                "geometry": shapes[-1],
                "properties": {
                    "name": translated(outline, "name"),
                    "dashed": True,
                    "weight": 2,
                    **_approximate(outline),
                },
            },
        )
    return {"type": "FeatureCollection", "features": features}


@register.inclusion_tag("maps/places.html")
def places_map(
    places: Iterable[Any],
    *,
    outline: Any = None,
    points: str = "",
    label: str = "",
    as_points: bool = False,
) -> dict[str, Any]:
    """A map of places (``places_collection``, or markers with ``as_points``); ``points`` a
    bbox GeoJSON endpoint for what lies there. Nothing is drawn when no place has a boundary
    (the page's list says the same)."""
    return {
        "collection": places_points(places) if as_points else places_collection(places, outline),
        "element_id": f"places-map-{outline.code if outline is not None else 'all'}",
        "points": points,
        "label": label,
    }


@register.simple_tag
def places_data(places: Iterable[Any], *, outline: Any = None, element_id: str) -> str:
    """The same places as a ``json_script`` for a map drawn by another template (the pacts
    map draws the filtered place's neighbourhoods, named, under its markers: a click there is
    for the map, so they open nothing); "" when none."""
    collection = places_collection(places, outline)
    if not collection:
        return ""
    for feature in collection["features"]:
        feature["properties"].pop("url", None)
    return json_script(collection, element_id)


@register.filter
def joined(rows: Iterable[Any], attribute: str) -> list[Any]:
    """The items of each row's ``attribute`` in one list: ``rows|joined:"cities"``."""
    return [item for row in rows for item in getattr(row, attribute)]


@register.inclusion_tag("maps/points.html")
def points_map(items: Iterable[Any], *, label: str, element_id: str, status: str = "") -> dict:
    """A clustered map of the items that have a ``latitude`` and ``longitude`` (ideas...):
    each a marker with a popup (``title``, the ``status`` method or attribute's text, a link to
    ``get_absolute_url``). The list the items come from is the text equivalent; put the tag in
    the fragment htmx swaps, so that filters change the map and the list together."""
    features = []
    for item in items:
        if getattr(item, "latitude", None) is None or getattr(item, "longitude", None) is None:
            continue
        text = getattr(item, status, "") if status else ""
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(item.longitude), float(item.latitude)],
                },
                "properties": {
                    "title": str(item.title),
                    "status_label": str(text() if callable(text) else text or ""),
                    "url": item.get_absolute_url(),
                },
            }
        )
    return {
        "collection": {"type": "FeatureCollection", "features": features} if features else None,
        "element_id": element_id,
        "label": label,
    }


@register.inclusion_tag("maps/points.html")
def venue_map(
    latitude: Any, longitude: Any, *, title: str, text: str = "", label: str, element_id: str
) -> dict:
    """A small map of one place (an event's venue): a marker whose popup gives ``title`` and
    ``text`` (the address), no link. Without JavaScript the page's own address text stands: the
    fallback says it is given above. Nothing when the point is missing."""
    if latitude is None or longitude is None:
        return {"collection": None}
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [float(longitude), float(latitude)]},
        "properties": {"title": str(title), "status_label": str(text or "")},
    }
    return {
        "collection": {"type": "FeatureCollection", "features": [feature]},
        "element_id": element_id,
        "label": label,
        "fallback": _("The venue and its address are given in words above the map."),
    }
