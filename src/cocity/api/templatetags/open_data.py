"""schema.org JSON-LD for the pages of an organisation and a place (an event's page has its own,
made by ``cocity.events.views``), and the origin of imported content ("From <source>", with a
link back). The capabilities' templates load this library (``{% load open_data %}``); no
capability imports the api app.

The JSON goes into ``<script type="application/ld+json">`` escaped as Django's ``json_script``
escapes it (``<``, ``>`` and ``&`` as ``\\u003C``...), so no text (a title with ``</script>``)
can close the element."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import _json_script_escapes  # type: ignore[attr-defined]
from django.utils.safestring import SafeString, mark_safe

from ..opendata import absolute

register = template.Library()

SCHEMA = "https://schema.org"


def json_ld(data: dict[str, Any]) -> SafeString:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(  # noqa: S308 - escaped as json_script does: no "<", ">" or "&" left
        '<script type="application/ld+json">' + text.translate(_json_script_escapes) + "</script>"
    )


def _organisation(org: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@type": "Organization",
        "name": org.name,
        "url": absolute(org.get_absolute_url()),
    }
    if getattr(org, "website", ""):
        data["sameAs"] = org.website
    return data


def _coordinates(value: Any) -> Iterator[tuple[float, float]]:
    if isinstance(value, list | tuple):
        if len(value) >= 2 and all(isinstance(v, int | float) for v in value[:2]):
            yield float(value[0]), float(value[1])
        else:
            for part in value:
                yield from _coordinates(part)


def centre(boundary: Any) -> tuple[float, float] | None:
    """The centre of a GeoJSON geometry's bounding box, as (latitude, longitude)."""
    if not isinstance(boundary, dict):
        return None
    geometry = boundary.get("geometry", boundary) if boundary.get("type") == "Feature" else boundary
    if not isinstance(geometry, dict):
        return None
    points = list(_coordinates(geometry.get("coordinates")))
    if not points:
        return None
    longitudes = [p[0] for p in points]
    latitudes = [p[1] for p in points]
    return (
        round((min(latitudes) + max(latitudes)) / 2, 6),
        round((min(longitudes) + max(longitudes)) / 2, 6),
    )


@register.simple_tag
def organisation_json_ld(organisation: Any) -> SafeString:
    data = {"@context": SCHEMA, **_organisation(organisation)}
    if organisation.description:
        data["description"] = organisation.description[:500]
    territory = organisation.home_territory
    if territory is not None:
        data["address"] = {"@type": "PostalAddress", "addressLocality": territory.name}
    return json_ld(data)


@register.simple_tag
def place_json_ld(territory: Any, ancestors: Any = ()) -> SafeString:
    """``ancestors``: the places it lies in, outermost first (the page has them already)."""
    ancestors = list(ancestors or ())
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "City" if territory.kind == "city" else "Place",
        "name": territory.name,
        "url": absolute(territory.get_absolute_url()),
        "identifier": territory.code,
    }
    point = centre(territory.boundary)
    if point is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": point[0], "longitude": point[1]}
    parent = ancestors[-1] if ancestors else None
    if parent is not None:
        data["containedInPlace"] = {
            "@type": "Place",
            "name": parent.name,
            "url": absolute(parent.get_absolute_url()),
        }
    return json_ld(data)


@register.inclusion_tag("api/imported_origin.html")
def imported_origin(obj: Any) -> dict[str, Any]:
    """ "From <source>" with a link back to the page at the source, for imported content."""
    from ..opendata_import import origin_of

    return {"origin": origin_of(obj)}


@register.simple_tag
def space_open_data_url(space: Any) -> str:
    """The address of a public space's open-data page ("" for other spaces; no query)."""
    from django.urls import reverse

    if space.visibility != "public":
        return ""
    return reverse("open_data:package", args=["spaces", space.slug])
