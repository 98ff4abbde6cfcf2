"""GeoJSON boundaries: validation without a GIS stack (Polygon and MultiPolygon only)."""

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

POLYGON_TYPES = ("Polygon", "MultiPolygon")


def _check_ring(ring: Any) -> None:
    if not isinstance(ring, list) or len(ring) < 4:
        raise ValidationError(
            _("Each ring of a polygon needs at least four positions."), code="short_ring"
        )
    for position in ring:
        if (
            not isinstance(position, list)
            or len(position) < 2
            or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in position[:2])
        ):
            raise ValidationError(
                _("A position must be a pair of numbers [longitude, latitude]."),
                code="bad_position",
            )
        lon, lat = position[0], position[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValidationError(
                _("Longitude must be within ±180 and latitude within ±90."), code="out_of_range"
            )
    if ring[0][:2] != ring[-1][:2]:
        raise ValidationError(
            _("A polygon ring must end where it starts (closed ring)."), code="open_ring"
        )


def normalise_boundary(value: Any) -> dict[str, Any] | None:
    """Accept a GeoJSON geometry, Feature, or text of one; return the geometry or raise."""
    if value in (None, "", {}):
        return None
    if isinstance(value, str | bytes):
        try:
            value = json.loads(value)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ValidationError(_("The boundary is not valid JSON."), code="bad_json") from exc
    if not isinstance(value, dict):
        raise ValidationError(_("The boundary must be a GeoJSON object."), code="not_object")
    if value.get("type") == "Feature":
        value = value.get("geometry")
        if not isinstance(value, dict):
            raise ValidationError(_("The feature has no geometry."), code="no_geometry")
    kind = value.get("type")
    if kind not in POLYGON_TYPES:
        raise ValidationError(
            _("The boundary must be a Polygon or MultiPolygon, not %(kind)s."),
            code="not_polygon",
            params={"kind": kind or _("an unknown type")},
        )
    coordinates = value.get("coordinates")
    polygons = [coordinates] if kind == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        raise ValidationError(_("The boundary has no coordinates."), code="no_coordinates")
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise ValidationError(_("A polygon needs at least one ring."), code="no_ring")
        for ring in polygon:
            _check_ring(ring)
    return {"type": kind, "coordinates": coordinates}


def validate_boundary(value: Any) -> None:
    normalise_boundary(value)
