"""Server-side maps: the bbox parameter, GeoJSON features and an SVG drawn from points and
shapes (no tile server, no script). The same rows feed the table next to the map."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from .models import Pact

_STATE_LABELS = dict(Pact.State.choices)

WIDTH, HEIGHT, PAD = 640, 420, 16


def feature(row: dict[str, Any], url_pattern: str | None = None) -> dict[str, Any]:
    geometry: dict[str, Any] | None
    if row.get("commons__latitude") is not None:
        geometry = {
            "type": "Point",
            "coordinates": [row["commons__longitude"], row["commons__latitude"]],
        }
    else:
        geometry = row.get("commons__shape")
    return {
        "type": "Feature",
        "id": row["id"],
        "geometry": geometry,
        "properties": {
            "title": row["title"],
            "type": row["kind"],
            "status": row["state"],
            "status_label": str(_STATE_LABELS.get(row["state"], row["state"])),
            "commons": row["commons__name"],
            "commons_kind": row["commons__kind"],
            "url": _pact_url(row["id"], url_pattern),
        },
    }


def pact_url_pattern() -> str:
    """The pact URL with a placeholder id, reversed once per response instead of per feature."""
    return reverse("commons:pact_detail", args=[987654321])


def _pact_url(pk: int, pattern: str | None) -> str:
    return (pattern or pact_url_pattern()).replace("987654321", str(pk))


def _shape_points(shape: Any) -> list[list[float]]:
    if not shape:
        return []
    polygons = [shape["coordinates"]] if shape.get("type") == "Polygon" else shape["coordinates"]
    return [p for polygon in polygons for ring in polygon[:1] for p in ring]


def svg_map(rows: list[dict[str, Any]], bbox: tuple[float, float, float, float] | None) -> dict:
    """Positions of each pact in an SVG view box (equirectangular, fitted to the area)."""
    lons, lats = [], []
    for row in rows:
        if row.get("commons__latitude") is not None:
            lons.append(row["commons__longitude"])
            lats.append(row["commons__latitude"])
        for lon, lat in _shape_points(row.get("commons__shape")):
            lons.append(lon)
            lats.append(lat)
    if bbox is None and lons:
        bbox = (min(lons), min(lats), max(lons), max(lats))
    if bbox is None:
        return {"width": WIDTH, "height": HEIGHT, "marks": [], "shapes": []}
    west, south, east, north = bbox
    span_x = max(east - west, 1e-6)
    span_y = max(north - south, 1e-6)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        x = PAD + (lon - west) / span_x * (WIDTH - 2 * PAD)
        y = PAD + (north - lat) / span_y * (HEIGHT - 2 * PAD)
        return round(x, 1), round(y, 1)

    marks, shapes = [], []
    for n, row in enumerate(rows, start=1):
        if row.get("commons__latitude") is not None:
            x, y = xy(row["commons__longitude"], row["commons__latitude"])
            marks.append({"n": n, "x": x, "y": y, "row": row})
        points = _shape_points(row.get("commons__shape"))
        if points:
            path = " ".join(f"{a},{b}" for a, b in (xy(lon, lat) for lon, lat in points))
            shapes.append({"n": n, "points": path, "row": row})
            if row.get("commons__latitude") is None:
                cx = sum(p[0] for p in points) / len(points)
                cy = sum(p[1] for p in points) / len(points)
                x, y = xy(cx, cy)
                marks.append({"n": n, "x": x, "y": y, "row": row})
    return {"width": WIDTH, "height": HEIGHT, "marks": marks, "shapes": shapes, "bbox": bbox}
