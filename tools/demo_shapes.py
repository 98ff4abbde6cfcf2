"""Write src/cocity/network/data/demo_shapes.json: the demo's districts and neighbourhoods of
Marseille, Brussels, Berlin and Bologna as polygons that touch their neighbours.

APPROXIMATIONS, not the real boundaries: each district is a hand-drawn outline of a dozen
points around the real one (neighbouring districts drawn with a shared edge where the real ones
touch), and each neighbourhood is the part of its district nearest to a point in the real
neighbourhood (a Voronoi cell clipped to the district), so neighbourhoods tile their district
with no gap or overlap. The demo says so (``note`` in the file, docs/commons.md). Run again
after changing a point: ``.venv/bin/python tools/demo_shapes.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import shapely
from shapely.geometry import MultiPoint, Polygon, mapping

OUT = Path(__file__).resolve().parents[1] / "src/cocity/network/data/demo_shapes.json"

# code: (outline as (lon, lat) points, {neighbourhood code: (lon, lat) inside the real one})
DISTRICTS: dict[str, tuple[list[tuple[float, float]], dict[str, tuple[float, float]]]] = {
    # Marseille: 3e arrondissement (Belle de Mai, Saint-Lazare, Saint-Mauront) and, to its
    # north-west, the 15e (La Cabucelle, Les Aygalades); they share the edge by Les Crottes.
    "FR-MRS-01": (
        [(5.372, 43.302), (5.386, 43.301), (5.402, 43.304), (5.404, 43.312), (5.400, 43.318),
         (5.392, 43.326), (5.376, 43.324), (5.370, 43.312)],
        {"FR-MRS-01-1": (5.393, 43.312), "FR-MRS-01-2": (5.378, 43.308),
         "FR-MRS-01-3": (5.382, 43.319)},
    ),
    "FR-MRS-02": (
        [(5.376, 43.324), (5.392, 43.326), (5.398, 43.340), (5.394, 43.372), (5.372, 43.376),
         (5.358, 43.370), (5.345, 43.352), (5.352, 43.334), (5.366, 43.326)],
        {"FR-MRS-02-1": (5.361, 43.336), "FR-MRS-02-2": (5.375, 43.358)},
    ),
    # Brussels: Molenbeek-Saint-Jean and, south of it across the canal, Anderlecht.
    "BE-BRU-01": (
        [(4.300, 50.850), (4.322, 50.849), (4.343, 50.848), (4.347, 50.857), (4.336, 50.866),
         (4.310, 50.870), (4.296, 50.862)],
        {"BE-BRU-01-1": (4.337, 50.855), "BE-BRU-01-2": (4.318, 50.863)},
    ),
    "BE-BRU-02": (
        [(4.252, 50.830), (4.270, 50.810), (4.300, 50.800), (4.330, 50.812), (4.340, 50.832),
         (4.343, 50.848), (4.322, 50.849), (4.300, 50.850), (4.270, 50.845)],
        {"BE-BRU-02-1": (4.328, 50.838), "BE-BRU-02-2": (4.284, 50.836)},
    ),
    # Berlin: Neukölln (Rollberg, Schillerkiez, Gropiusstadt) and Mitte (Wedding, Moabit),
    # which do not touch (Friedrichshain-Kreuzberg lies between).
    "DE-BER-01": (
        [(13.420, 52.490), (13.455, 52.488), (13.475, 52.470), (13.495, 52.425), (13.470, 52.400),
         (13.445, 52.410), (13.420, 52.440), (13.412, 52.470)],
        {"DE-BER-01-1": (13.433, 52.478), "DE-BER-01-2": (13.420, 52.472),
         "DE-BER-01-3": (13.462, 52.425)},
    ),
    "DE-BER-02": (
        [(13.320, 52.515), (13.360, 52.508), (13.400, 52.503), (13.425, 52.512), (13.415, 52.530),
         (13.390, 52.560), (13.350, 52.565), (13.325, 52.545)],
        {"DE-BER-02-1": (13.358, 52.549), "DE-BER-02-2": (13.340, 52.527)},
    ),
    # Bologna: Navile (Bolognina, Corticella) and, east of it, San Donato-San Vitale (Pilastro).
    "IT-BLQ-01": (
        [(11.320, 44.505), (11.342, 44.503), (11.365, 44.503), (11.372, 44.525), (11.370, 44.560),
         (11.335, 44.560), (11.318, 44.535)],
        {"IT-BLQ-01-1": (11.345, 44.512), "IT-BLQ-01-2": (11.352, 44.540)},
    ),
    "IT-BLQ-02": (
        [(11.365, 44.503), (11.420, 44.495), (11.430, 44.520), (11.405, 44.535), (11.372, 44.525)],
        {"IT-BLQ-02-1": (11.395, 44.515)},
    ),
}  # fmt: skip


# Rough city outlines around those districts (the real cities' shapes, a dozen points each).
CITIES: dict[str, list[tuple[float, float]]] = {
    "FR-MRS": [(5.29, 43.36), (5.33, 43.39), (5.40, 43.39), (5.46, 43.35), (5.50, 43.30),
               (5.46, 43.24), (5.38, 43.21), (5.33, 43.25), (5.35, 43.29), (5.32, 43.33)],
    "BE-BRU": [(4.24, 50.82), (4.30, 50.79), (4.36, 50.77), (4.44, 50.79), (4.48, 50.83),
               (4.46, 50.88), (4.40, 50.91), (4.32, 50.90), (4.26, 50.87)],
    "DE-BER": [(13.09, 52.42), (13.20, 52.38), (13.40, 52.34), (13.62, 52.37), (13.76, 52.45),
               (13.72, 52.55), (13.60, 52.62), (13.40, 52.68), (13.20, 52.64), (13.11, 52.55)],
    "IT-BLQ": [(11.23, 44.46), (11.28, 44.43), (11.37, 44.42), (11.44, 44.45), (11.45, 44.51),
               (11.41, 44.56), (11.33, 44.575), (11.26, 44.54)],
}  # fmt: skip


def _check(ok: bool, code: str) -> None:
    if not ok:
        raise SystemExit(f"{code}: not a valid polygon inside its parent")


def _rounded(shape: object) -> dict:
    geometry = mapping(shapely.set_precision(shape, 1e-5))
    return json.loads(json.dumps(geometry))


def build() -> dict[str, dict]:
    shapes: dict[str, dict] = {}
    for code, outline in CITIES.items():
        _check(Polygon(outline).is_valid, code)
        shapes[code] = _rounded(Polygon(outline))
    for code, (outline, hoods) in DISTRICTS.items():
        district = Polygon(outline)
        _check(district.is_valid and Polygon(CITIES[code[:6]]).covers(district), code)
        shapes[code] = _rounded(district)
        if len(hoods) == 1:
            (only,) = hoods
            shapes[only] = shapes[code]
            continue
        cells = shapely.voronoi_polygons(MultiPoint(list(hoods.values())), extend_to=district)
        for hood, point in hoods.items():
            (cell,) = [c for c in cells.geoms if c.contains(shapely.Point(point))]
            piece = cell.intersection(district)
            _check(piece.geom_type == "Polygon" and piece.is_valid, hood)
            shapes[hood] = _rounded(piece)
    return shapes


def main() -> None:
    data = {
        "note": (
            "Approximations of the real districts and neighbourhoods, drawn for the demo: "
            "hand-drawn district outlines and Voronoi neighbourhoods (tools/demo_shapes.py). "
            "Not for any real use."
        ),
        "shapes": build(),
    }
    OUT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    print(f"{OUT}: {len(data['shapes'])} shapes")


if __name__ == "__main__":
    main()
