"""GeoJSON boundaries read and checked on shapely, with no Django (the insights numerical core
and its command use it as it is; ``cocity.core.geo`` wraps it for forms, models and services).

One rule for a boundary, wherever it comes from (a territory, a commons' shape, a data set's
uploaded boundaries, the ``cocity insights`` command):

- a Polygon or MultiPolygon geometry (a Feature is accepted for its geometry);
- its coordinates nest exactly as the type says (rings of positions of two or three numbers);
- GEOS reads it: every ring closed, with at least four positions;
- not empty, and valid as GEOS sees it (no self-intersection, holes inside their shell...);
- with ``geographic=True`` (the default; GeoJSON is longitude/latitude), longitude within ±180
  and latitude within ±90. The command reads projected files (metres) with ``geographic=False``.

Text is never parsed nested deeper than ``MAX_DEPTH`` (a FeatureCollection of MultiPolygons is 7
deep), so a file nested 100,000 levels deep is a clear ``GeoJSONError``, never a RecursionError;
an object nested beyond Python's recursion limit is refused when it is written out for GEOS, so
GEOS is never handed such a structure.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

MAX_DEPTH = 32
POLYGON_TYPES = ("Polygon", "MultiPolygon")

MESSAGES = {
    "bad_json": "not valid JSON (%(detail)s)",
    "too_deep": "nested more than %(limit)d levels deep",
    "not_object": "not a GeoJSON object",
    "no_geometry": "the feature has no geometry",
    "not_polygon": "a %(kind)s, not a Polygon or MultiPolygon",
    "bad_coordinates": "the coordinates are not rings of positions of two numbers",
    "short_ring": "a ring has fewer than four positions",
    "open_ring": "a ring does not end where it starts",
    "empty": "empty geometry",
    "out_of_range": "longitude must be within ±180 and latitude within ±90",
    "invalid": "invalid geometry (%(reason)s)",
}


class GeoJSONError(ValueError):
    """A problem with a boundary: ``code`` (a key of ``MESSAGES``) and its ``params``."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(MESSAGES[code] % params if params else MESSAGES[code])


_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)


def _codes(text: str | bytes) -> NDArray[np.uint8]:
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    return np.frombuffer(data, dtype=np.uint8)


def _steps(codes: NDArray[np.uint8]) -> NDArray[np.int8]:
    """+1 where an array or object opens, -1 where one closes (strings not told apart)."""
    opens = (codes == ord("[")) | (codes == ord("{"))
    closes = (codes == ord("]")) | (codes == ord("}"))
    return opens.view(np.int8) - closes.view(np.int8)


def nesting_depth(text: str | bytes) -> int:
    """How deep the arrays and objects of a JSON text nest, outside strings, without parsing."""
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    if b'"' in data:
        data = _STRING.sub(b'""', data)
    steps = _steps(_codes(data))
    return int(np.cumsum(steps, dtype=np.int32).max()) if steps.size else 0


def loads(text: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """Parse JSON text nested at most ``max_depth`` deep; ``GeoJSONError`` otherwise."""
    steps = _steps(_codes(text))  # brackets in strings counted too: a quick first look
    deepest = int(np.cumsum(steps, dtype=np.int32).max()) if steps.size else 0
    if deepest > max_depth and nesting_depth(text) > max_depth:
        raise GeoJSONError("too_deep", limit=max_depth)
    try:
        return json.loads(text)
    except RecursionError as exc:  # deeper than it looked: brackets hidden by strings
        raise GeoJSONError("too_deep", limit=max_depth) from exc
    except json.JSONDecodeError as exc:
        raise GeoJSONError("bad_json", detail=f"line {exc.lineno}: {exc.msg}") from exc
    except ValueError as exc:  # bytes that are not UTF-8
        raise GeoJSONError("bad_json", detail=str(exc)[:100]) from exc


def geometry_of(value: Any) -> dict[str, Any]:
    """The Polygon or MultiPolygon geometry of a geometry or Feature object (not yet checked)."""
    if not isinstance(value, dict):
        raise GeoJSONError("not_object")
    if value.get("type") == "Feature":
        value = value.get("geometry")
        if not isinstance(value, dict):
            raise GeoJSONError("no_geometry")
    kind = value.get("type")
    if kind not in POLYGON_TYPES:
        raise GeoJSONError("not_polygon", kind=str(kind or "unknown type")[:40])
    return {"type": kind, "coordinates": value.get("coordinates")}


_ENCODER = json.JSONEncoder(allow_nan=False)  # one encoder: json.dumps makes one per call


def _geometry_text(geometry: dict[str, Any]) -> str:
    try:
        text = _ENCODER.encode(geometry)
    except RecursionError as exc:
        raise GeoJSONError("too_deep", limit=MAX_DEPTH) from exc
    except (TypeError, ValueError) as exc:
        raise GeoJSONError("bad_coordinates") from exc
    return text


def _geos_error(text: str) -> GeoJSONError:
    """Why GEOS refuses to read a geometry's text (already known to nest as its type says)."""
    try:
        shapely.from_geojson(text, on_invalid="raise")
    except shapely.errors.GEOSException as exc:
        reason = str(exc)
        if "closed" in reason:
            return GeoJSONError("open_ring")
        if "LinearRing" in reason and "must be" in reason:
            return GeoJSONError("short_ring")
    return GeoJSONError("bad_coordinates")


def check_boundaries(
    values: Sequence[Any], *, geographic: bool = True
) -> tuple[NDArray[np.object_], list[GeoJSONError | None]]:
    """Check many boundaries at once (one vectorised GEOS parse and validity check).

    Returns the shapely geometries (``None`` where refused) and, for each value, ``None`` or the
    ``GeoJSONError`` that refuses it.
    """
    n = len(values)
    shapes = np.full(n, None, dtype=object)
    problems: list[GeoJSONError | None] = [None] * n
    texts: list[str] = []
    slots: list[int] = []
    for i, value in enumerate(values):
        try:
            texts.append(_geometry_text(geometry_of(loads(value) if _is_text(value) else value)))
            slots.append(i)
        except GeoJSONError as error:
            problems[i] = error
    if not texts:
        return shapes, problems
    # Text nested deeper than Python's recursion limit never reaches GEOS (the encoder refuses
    # it): GEOS reads texts nested a few hundred levels at most, and refuses a wrong structure.
    parsed = shapely.from_geojson(texts, on_invalid="ignore")
    missing = shapely.is_missing(parsed)
    empty = np.zeros(len(texts), dtype=bool)
    empty[~missing] = shapely.is_empty(parsed[~missing])
    usable = ~missing & ~empty
    in_range = np.ones(len(texts), dtype=bool)
    if geographic and usable.any():
        box = shapely.bounds(parsed[usable])
        in_range[usable] = (
            (box[:, 0] >= -180) & (box[:, 2] <= 180) & (box[:, 1] >= -90) & (box[:, 3] <= 90)
        )
    valid = np.zeros(len(texts), dtype=bool)
    valid[usable] = shapely.is_valid(parsed[usable])
    for k, slot in enumerate(slots):
        if missing[k]:
            problems[slot] = _geos_error(texts[k])
        elif empty[k]:
            problems[slot] = GeoJSONError("empty")
        elif not in_range[k]:
            problems[slot] = GeoJSONError("out_of_range")
        elif not valid[k]:
            problems[slot] = GeoJSONError("invalid", reason=shapely.is_valid_reason(parsed[k]))
        else:
            shapes[slot] = parsed[k]
    return shapes, problems


def _is_text(value: Any) -> bool:
    return isinstance(value, str | bytes)


def boundary(value: Any, *, geographic: bool = True) -> dict[str, Any]:
    """One boundary (a geometry or Feature, as an object or JSON text), checked: the bare
    geometry ``{"type", "coordinates"}``; ``GeoJSONError`` otherwise."""
    if isinstance(value, str | bytes):
        value = loads(value)
    geometry = geometry_of(value)
    _shapes, problems = check_boundaries([geometry], geographic=geographic)
    if problems[0] is not None:
        raise problems[0]
    return geometry


def display_tolerance(west: float, south: float, east: float, north: float) -> float:
    """The simplification tolerance, in degrees, for drawing an area this wide on a map about
    2,000 pixels across (the whole area in view): half a pixel, so nothing visible is lost."""
    return max(east - west, north - south, 1e-9) / 4000


def simplified(
    geometries: Sequence[dict[str, Any] | None], *, tolerance: float
) -> list[dict[str, Any] | None]:
    """Copies of boundaries for display at a zoom: simplified (Douglas-Peucker keeping each
    shape valid) with ``tolerance`` in degrees, coordinates rounded to the decimals that
    tolerance needs (at most 6, about 10 cm). ``None`` stays ``None``; a shape that simplifies
    away is kept as it came (a tiny area stays visible). One vectorised pass for any count."""
    slots = [i for i, g in enumerate(geometries) if g]
    out: list[dict[str, Any] | None] = [None] * len(geometries)
    if not slots:
        return out
    shapes = shapely.from_geojson([_ENCODER.encode(geometries[i]) for i in slots])
    thin = shapely.simplify(shapes, tolerance, preserve_topology=True)
    empty = shapely.is_empty(thin)
    thin[empty] = shapes[empty]
    digits = int(min(6, max(1, np.ceil(-np.log10(max(tolerance, 1e-9) / 2)))))
    thin = shapely.set_coordinates(thin, np.round(shapely.get_coordinates(thin), digits))
    for slot, text in zip(slots, shapely.to_geojson(thin), strict=True):
        out[slot] = json.loads(text)
    return out


def bounds(geometries: Sequence[dict[str, Any]]) -> tuple[float, float, float, float]:
    """West, south, east, north around boundaries (already checked)."""
    shapes = shapely.from_geojson([_ENCODER.encode(g) for g in geometries])
    box = shapely.total_bounds(shapes)
    return float(box[0]), float(box[1]), float(box[2]), float(box[3])


def inner_points(geometries: Sequence[dict[str, Any]]) -> list[list[float]]:
    """A point inside each boundary (already checked), [longitude, latitude] rounded to 5
    decimals: where a marker for the whole place goes."""
    shapes = shapely.from_geojson([_ENCODER.encode(g) for g in geometries])
    coordinates = np.round(shapely.get_coordinates(shapely.point_on_surface(shapes)), 5)
    return [[float(x), float(y)] for x, y in coordinates]
