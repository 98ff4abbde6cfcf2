"""Choropleth maps drawn on the server as SVG from the boundaries (no tile server, no script).

Projection: plain equirectangular, longitudes shrunk by cos(latitude) at the centre and the whole
fitted to the city's bounding box. Classes: fixed breaks (ratios around 1 for location quotients
and representation; fifths for entropy), coloured with ColorBrewer's PuOr (diverging) or a
purple sequential palette, both colour-blind safe; borders are dark so every light fill keeps a
3:1 contrast with its neighbours' edges. "No data" areas are grey with hatching.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from cocity.core.numbers import format_number

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


@dataclass
class Legend:
    fill: str
    label: str


@dataclass
class Map:
    width: int
    height: int
    areas: list[Area]
    legend: list[Legend]


def _rings(geometry: dict[str, Any] | None) -> list[list[list[float]]]:
    if not geometry:
        return []
    if geometry.get("type") == "Polygon":
        return list(geometry["coordinates"])
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def classify(value: float | None, diverging: bool) -> int | None:
    if value is None or not math.isfinite(value):
        return None
    breaks = RATIO_BREAKS if diverging else SHARE_BREAKS
    return sum(1 for b in breaks if value >= b)


def legend(diverging: bool) -> list[Legend]:
    breaks = RATIO_BREAKS if diverging else SHARE_BREAKS
    palette = DIVERGING if diverging else SEQUENTIAL
    edges = [None, *breaks, None]
    items = []
    for k, fill in enumerate(palette):
        low, high = edges[k], edges[k + 1]
        if low is None:
            label = _("below %(high)s") % {"high": format_number(high, max_decimals=3)}
        elif high is None:
            label = _("%(low)s or more") % {"low": format_number(low, max_decimals=3)}
        else:
            label = _("%(low)s to %(high)s") % {
                "low": format_number(low, max_decimals=3),
                "high": format_number(high, max_decimals=3),
            }
        items.append(Legend(fill, str(label)))
    items.append(Legend(NO_DATA, str(_("no data or too few people"))))
    return items


def choropleth(
    features: list[tuple[str, str, dict[str, Any] | None, float | None, str]], *, diverging: bool
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
    palette = DIVERGING if diverging else SEQUENTIAL
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
        k = classify(value, diverging)
        areas.append(
            Area(code, name, value, " ".join(parts), NO_DATA if k is None else palette[k], text)
        )
    return Map(width, height, areas, legend(diverging))
