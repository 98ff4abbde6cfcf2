"""GeoJSON boundaries for forms, models and services: ``cocity.core.geojson`` (shapely, no
Django) with its problems as translated ``ValidationError``s. Territories, commons' shapes and
the insights data sets' uploaded boundaries all go through here, so a boundary that one accepts
another cannot refuse."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.fields import InvalidJSONInput
from django.utils.translation import gettext_lazy as _

from . import geojson
from .geojson import GeoJSONError

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

MESSAGES: dict[str, _StrPromise] = {
    "bad_json": _("The boundary is not valid JSON."),
    "too_deep": _("The boundary is nested more than %(limit)d levels deep."),
    "not_object": _("The boundary must be a GeoJSON object."),
    "no_geometry": _("The feature has no geometry."),
    "not_polygon": _("The boundary must be a Polygon or MultiPolygon, not %(kind)s."),
    "bad_coordinates": _("A position must be a pair of numbers [longitude, latitude]."),
    "short_ring": _("Each ring of a polygon needs at least four positions."),
    "open_ring": _("A polygon ring must end where it starts (closed ring)."),
    "empty": _("The boundary has no coordinates."),
    "out_of_range": _("Longitude must be within ±180 and latitude within ±90."),
    "invalid": _("The boundary is not a valid polygon (%(reason)s)."),
}


def validation_error(error: GeoJSONError) -> ValidationError:
    """The translated ``ValidationError`` for a ``GeoJSONError`` (same code and params)."""
    return ValidationError(MESSAGES[error.code], code=error.code, params=error.params or None)


def message(error: GeoJSONError) -> str:
    """The translated text of a ``GeoJSONError``."""
    return validation_error(error).messages[0]


def loads(text: str | bytes) -> Any:
    """JSON text nested at most ``geojson.MAX_DEPTH`` deep, parsed; ``ValidationError`` else."""
    try:
        return geojson.loads(text)
    except GeoJSONError as error:
        raise validation_error(error) from error


def normalise_boundary(value: Any) -> dict[str, Any] | None:
    """A geometry or Feature (object or JSON text) checked as a boundary, as a bare Polygon or
    MultiPolygon geometry; ``None`` for no boundary; ``ValidationError`` otherwise."""
    if value in (None, "", {}, b""):
        return None
    try:
        return geojson.boundary(value)
    except GeoJSONError as error:
        raise validation_error(error) from error


def validate_boundary(value: Any) -> None:
    """Model field validator (``JSONField``) for a boundary."""
    normalise_boundary(value)


def check_boundaries(values: Sequence[Any]) -> tuple[Any, list[str | None]]:
    """Many boundaries at once: the shapely geometries, and for each a translated problem or
    ``None`` (``geojson.check_boundaries`` with longitude/latitude coordinates)."""
    shapes, problems = geojson.check_boundaries(values, geographic=True)
    return shapes, [None if p is None else message(p) for p in problems]


class BoundaryField(forms.JSONField):
    """A form field for a boundary's GeoJSON text: nesting bounded before it is parsed (a text
    nested 100,000 levels deep is a form error, not a crash), then checked and normalised."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value.strip():
            loads(value)  # the depth first: Django's own parse is not bounded
        return normalise_boundary(super().to_python(value))

    def bound_data(self, data: Any, initial: Any) -> Any:
        if isinstance(data, str) and geojson.nesting_depth(data) > geojson.MAX_DEPTH:
            return InvalidJSONInput(data)
        return super().bound_data(data, initial)

    def has_changed(self, initial: Any, data: Any) -> bool:
        if isinstance(data, str) and geojson.nesting_depth(data) > geojson.MAX_DEPTH:
            return True
        return super().has_changed(initial, data)


def point_inside(boundary: dict[str, Any] | None, latitude: Any, longitude: Any) -> bool:
    """Whether a point lies inside (or on the edge of) a boundary; True with no boundary."""
    if not boundary:
        return True
    import shapely

    shape = shapely.from_geojson(geojson._geometry_text(geojson.geometry_of(boundary)))
    return bool(shapely.covers(shape, shapely.Point(float(longitude), float(latitude))))


def check_point_inside(
    boundary: dict[str, Any] | None, latitude: Any, longitude: Any, *, place: str
) -> None:
    """``ValidationError`` (code ``outside_territory``) when a map point lies outside the
    boundary of ``place`` (a territory's name): the place picker keeps the pin inside, and the
    server says so for anyone who types coordinates."""
    if latitude is None or longitude is None:
        return
    if not (-90 <= float(latitude) <= 90 and -180 <= float(longitude) <= 180):
        return  # out of range: the fields' own validators say so
    if point_inside(boundary, latitude, longitude):
        return
    raise ValidationError(
        _("This point is outside %(place)s: choose a place inside it on the map."),
        code="outside_territory",
        params={"place": place},
    )


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """A map's ``bbox`` parameter, ``west,south,east,north`` in degrees; ``None`` when absent
    or malformed (the endpoints answer 400 to a malformed one)."""
    if not value:
        return None
    try:
        west, south, east, north = (float(v) for v in value.split(","))
    except ValueError:
        return None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        return None
    return west, south, east, north
