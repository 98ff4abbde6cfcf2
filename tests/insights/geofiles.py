"""Files as cities have them, written for the tests: a small city's areas as a GeoPackage in
the French national projection (Lambert-93), a GeoJSON, a zipped Shapefile, and its counts as
CSV (any delimiter and encoding) or Excel."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pyogrio.raw
import shapely
from pyproj import Transformer

# Six squares of about 1 km in Marseille's 3rd and 4th arrondissements (lon/lat).
CODES = ["13201", "13202", "13203", "13204", "13205", "13206"]
NAMES = ["Belle de Mai", "Saint-Lazare", "Saint-Mauront", "La Villette", "Cité", "Chartreux"]
# a (born in France), b (born abroad), total: D(a, b) computed by hand in the tests
COUNTS = [(100, 50, 200), (10, 150, 180), (80, 20, 120), (5, 90, 100), (60, 60, 150), (30, 10, 50)]


def lonlat_squares(n: int = 6, size: float = 0.01) -> list[Any]:
    shapes = []
    for k in range(n):
        x0, y0 = 5.37 + (k % 3) * size, 43.30 + (k // 3) * size
        shapes.append(shapely.box(x0, y0, x0 + size, y0 + size))
    return shapes


def write_gpkg(
    path: Path,
    *,
    codes: list[str] = CODES,
    names: list[str] = NAMES,
    shapes: list[Any] | None = None,
    crs: str = "EPSG:2154",
    driver: str = "GPKG",
) -> Path:
    """The areas in ``crs`` (reprojected from lon/lat), properties ``code`` and ``nom``."""
    shapes = shapes if shapes is not None else lonlat_squares(len(codes))
    to = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    projected = shapely.transform(
        np.array(shapes, dtype=object), lambda xy: np.column_stack(to.transform(xy[:, 0], xy[:, 1]))
    )
    pyogrio.raw.write(
        str(path),
        geometry=shapely.to_wkb(projected),
        field_data=[np.array(codes, dtype=object), np.array(names, dtype=object)],
        fields=["code", "nom"],
        geometry_type="Polygon",
        crs=crs,
        driver=driver,
    )
    return path


def write_shapefile_zip(path: Path, *, leave_out: tuple[str, ...] = (), **kwargs: Any) -> Path:
    folder = path.parent / (path.stem + "-parts")
    folder.mkdir()
    write_gpkg(folder / "areas.shp", driver="ESRI Shapefile", **kwargs)
    with zipfile.ZipFile(path, "w") as archive:
        for part in sorted(folder.iterdir()):
            if part.suffix.lstrip(".") not in leave_out:
                archive.write(part, part.name)
    return path


def write_geojson(path: Path, *, codes: list[str] = CODES, names: list[str] = NAMES) -> Path:
    features = [
        {
            "type": "Feature",
            "properties": {"code": code, "nom": name},
            "geometry": shapely.geometry.mapping(shape),
        }
        for code, name, shape in zip(codes, names, lonlat_squares(len(codes)), strict=True)
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def counts_text(
    *,
    codes: list[str] = CODES,
    names: list[str] = NAMES,
    counts: list[tuple[int, int, int]] = COUNTS,
    delimiter: str = ",",
) -> str:
    lines = [delimiter.join(["code", "nom", "france", "abroad", "total"])]
    for code, name, (a, b, t) in zip(codes, names, counts, strict=True):
        lines.append(delimiter.join([code, name, str(a), str(b), str(t)]))
    return "\n".join(lines) + "\n"


def write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def dissimilarity(counts: list[tuple[int, int, int]] = COUNTS, group: int = 0) -> float:
    """A group's dissimilarity with everyone else, by hand: D = 1/2 sum |g_i/G - r_i/R|, with
    r_i = total_i - g_i the rest of the area's residents."""
    g = [row[group] for row in counts]
    r = [row[2] - row[group] for row in counts]
    return 0.5 * sum(abs(gi / sum(g) - ri / sum(r)) for gi, ri in zip(g, r, strict=True))
