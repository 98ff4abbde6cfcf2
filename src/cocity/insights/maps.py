"""Choropleth maps drawn on the server as SVG from the boundaries (no tile server, no script).

The SVG is the no-script fallback; ``interactive`` gives map.js the same areas as GeoJSON.

Projection: plain equirectangular, longitudes shrunk by cos(latitude) at the centre and the whole
fitted to the city's bounding box. Classes: quantiles by default, or fixed breaks (ratios around 1
for location quotients and representation; fifths for entropy), ``CLASS_METHODS``, coloured
with ColorBrewer's PuOr (diverging) or a purple sequential palette, both colour-blind safe;
borders are dark so every light fill keeps a 3:1 contrast with its neighbours' edges. "No data"
areas are grey with hatching.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from cocity.core import geojson
from cocity.core.numbers import format_number, to_decimal

WIDTH, HEIGHT, PAD = 640, 480, 8

DIVERGING = ["#b35806", "#f1a340", "#f7f7f7", "#998ec3", "#542788"]  # PuOr, 5 classes
RATIO_BREAKS = [0.5, 0.8, 1.25, 2.0]
SEQUENTIAL = ["#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"]  # Purples, 5 classes
SHARE_BREAKS = [0.2, 0.4, 0.6, 0.8]
NO_DATA = "url(#insights-nodata)"


@dataclass
class Area:
    code: str
    name: str
    value: float | None
    path: str
    fill: str
    label: str  # the value as text (or why there is none)
    k: int | None = None  # the class, None for no data


@dataclass
class Legend:
    fill: str
    label: str
    low: float | None = None
    high: float | None = None
    count: int | None = None  # areas in the class


@dataclass
class Map:
    width: int
    height: int
    areas: list[Area]
    legend: list[Legend]
    method: str = "quantiles"
    method_label: str = ""
    bounds: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)

    @property
    def fills(self) -> list[str]:
        return [item.fill for item in self.legend if item.fill != NO_DATA]


def _rings(geometry: dict[str, Any] | None) -> list[list[list[float]]]:
    if not geometry:
        return []
    if geometry.get("type") == "Polygon":
        return list(geometry["coordinates"])
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


# How the classes are cut: quantiles (by default: five classes with about as many areas each, so
# every colour is used) or the fixed breaks above (ratios around 1, fifths of entropy), which
# keep the same meaning from city to city. The legend says which.
CLASS_METHODS = {
    "quantiles": _("Quantiles: five classes with about as many areas each"),
    "fixed": _("Fixed breaks: the same classes in every city"),
}


def breaks_for(values: list[float | None], *, diverging: bool, method: str) -> list[float]:
    """The class breaks (ascending, at most four, rounded to the two decimals the legend shows)."""
    if method == "fixed":
        return RATIO_BREAKS if diverging else SHARE_BREAKS
    finite = sorted(v for v in values if v is not None and math.isfinite(v))
    if len(finite) < 2:
        return []
    cuts = [finite[min(len(finite) - 1, round(q * len(finite) / 5))] for q in range(1, 5)]
    lowest = _two_decimals(finite[0])
    return sorted({_two_decimals(c) for c in cuts if _two_decimals(c) > lowest})


def _two_decimals(value: float) -> float:
    """``value`` rounded half up to two decimals, as the legend writes it (``round`` rounds
    the binary value half to even: 0.125 would become 0.12, 0.515 0.51)."""
    number = to_decimal(value)
    if number is None:  # not finite: left to the caller's filter
        return value
    return float(number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def classify(value: float | None, breaks: list[float]) -> int | None:
    if value is None or not math.isfinite(value):
        return None
    return sum(1 for b in breaks if value >= b)


def palette_for(breaks: list[float], diverging: bool) -> list[str]:
    """One colour per class, spread over the five-colour palette when there are fewer classes."""
    palette = DIVERGING if diverging else SEQUENTIAL
    n = len(breaks) + 1
    if n >= len(palette):
        return palette
    if n == 1:
        return [palette[len(palette) // 2 if diverging else -1]]
    return [palette[round(k * (len(palette) - 1) / (n - 1))] for k in range(n)]


def legend(breaks: list[float], fills: list[str], counts: list[int] | None = None) -> list[Legend]:
    edges: list[float | None] = [None, *breaks, None]
    items = []
    for k, fill in enumerate(fills):
        low, high = edges[k], edges[k + 1]
        if low is None and high is None:
            label = str(_("every value"))
        elif low is None:
            label = _("below %(high)s") % {"high": format_number(high, max_decimals=3)}
        elif high is None:
            label = _("%(low)s or more") % {"low": format_number(low, max_decimals=3)}
        else:
            label = _("%(low)s to %(high)s") % {
                "low": format_number(low, max_decimals=3),
                "high": format_number(high, max_decimals=3),
            }
        items.append(Legend(fill, str(label), low, high, counts[k] if counts else None))
    items.append(Legend(NO_DATA, str(_("no data or too few people"))))
    return items


def choropleth(
    features: list[tuple[str, str, dict[str, Any] | None, float | None, str]],
    *,
    diverging: bool,
    method: str = "quantiles",
) -> Map | None:
    """features: (code, name, GeoJSON geometry, value or None, value as text)."""
    points = [p for _c, _n, g, _v, _t in features for ring in _rings(g) for p in ring]
    if not points:
        return None
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    kx = math.cos(math.radians((south + north) / 2))
    span_x, span_y = max((east - west) * kx, 1e-9), max(north - south, 1e-9)
    scale = min((WIDTH - 2 * PAD) / span_x, (HEIGHT - 2 * PAD) / span_y)
    width = round(span_x * scale + 2 * PAD)
    height = round(span_y * scale + 2 * PAD)
    method = method if method in CLASS_METHODS else "quantiles"
    breaks = breaks_for([f[3] for f in features], diverging=diverging, method=method)
    fills = palette_for(breaks, diverging)
    counts = [0] * len(fills)
    areas = []
    for code, name, geometry, value, text in features:
        parts = []
        for ring in _rings(geometry):
            coords = " ".join(
                f"{PAD + (x - west) * kx * scale:.1f},{PAD + (north - y) * scale:.1f}"
                for x, y, *_rest in ring
            )
            parts.append(f"M{coords}Z")
        if not parts:
            continue
        k = classify(value, breaks)
        if k is not None:
            counts[k] += 1
        areas.append(
            Area(code, name, value, " ".join(parts), NO_DATA if k is None else fills[k], text, k)
        )
    return Map(
        width, height, areas, legend(breaks, fills, counts), method, str(CLASS_METHODS[method]),
        (west, south, east, north),
    )  # fmt: skip


MAX_ZOOM = 20


def zoom_tolerance(zoom: int) -> float:
    """Half a pixel, in degrees, at a web map's zoom level (256-pixel tiles)."""
    return 360 / (256 * 2 ** max(0, min(zoom, MAX_ZOOM))) / 2


def interactive(
    chosen: Map,
    features: list[tuple[str, str, dict[str, Any] | None, float | None, str]],
    *,
    zoom: int | None = None,
    approximate: bool = False,
) -> str:
    """The choropleth for the interactive map (map.js), as compact JSON text safe inside a
    ``<script type="application/json">``: each area's boundary simplified for the whole city in
    view (``geojson.display_tolerance``: half a pixel), its coordinates as whole steps of the
    precision that tolerance needs, each position the difference from the one before
    (TopoJSON's quantised delta encoding); with its code, name, value as text and class (the
    colours travel once, in the legend). 10,000 areas stay well under 1 MB. With ``zoom``, the
    boundaries are simplified for that zoom level instead (``zoom_tolerance``). ``approximate``:
    some boundaries are not the official ones (``Territory.boundary_approximate``), said so.

    ``{"type": "cocity-areas", "step": s, "areas": [[code, name, text, class, polygons]]}``,
    polygons a list of rings, a ring ``[[x0, y0], [dx, dy], ...]`` in steps of ``s`` degrees."""
    by_code = {area.code: area for area in chosen.areas}
    drawn = [f for f in features if f[0] in by_code]
    # the whole city in view, or (zoomed in, map.js asks again) half a pixel at that zoom
    tolerance = geojson.display_tolerance(*chosen.bounds) if zoom is None else zoom_tolerance(zoom)
    shapes = geojson.simplified([f[2] for f in drawn], tolerance=tolerance)
    step = 10.0 ** -min(6, max(1, math.ceil(-math.log10(tolerance / 2))))
    areas = []
    for (code, name, _g, _v, text), shape in zip(drawn, shapes, strict=True):
        polygons = [] if shape is None else (
            [shape["coordinates"]] if shape["type"] == "Polygon" else shape["coordinates"]
        )  # fmt: skip
        encoded: list[list[list[int]] | None] = []
        for polygon in polygons:
            for ring in polygon:
                x0 = y0 = 0
                out = []
                for x, y, *_rest in ring:
                    xi, yi = round(x / step), round(y / step)
                    out.append([xi - x0, yi - y0])
                    x0, y0 = xi, yi
                encoded.append(out)
            encoded.append(None)  # the end of a polygon (its first ring is the shell)
        areas.append([code, name, text, by_code[code].k, encoded])
    payload: dict[str, Any] = {"type": "cocity-areas", "step": step, "areas": areas}
    if approximate:  # map.js says under the map that the boundaries are approximate
        payload["approximate"] = True
    return (
        json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
