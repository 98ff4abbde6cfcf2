"""Regenerate the reference values the insights tests compare against.

Runs PySAL's ``segregation`` (the reference library) on the test inputs and writes
``tests/insights/data/reference.json``; also writes the real data set the tests use
(``nc_births.csv`` and ``nc_counties.geojson``) from the copy of North Carolina's county births
(1974 and 1979, all and non-white; Cressie 1993, the ``sids2`` example shipped inside the
``libpysal`` wheel, no download), projected to NAD83 / North Carolina (EPSG:32119, metres).

It needs the optional ``reference`` extra, best in a separate virtualenv:

    python -m venv /tmp/refvenv && /tmp/refvenv/bin/pip install -e '.[reference]'
    /tmp/refvenv/bin/python tests/insights/make_reference.py
"""

from __future__ import annotations

import csv
import json
import sys
import warnings
from importlib.metadata import version
from pathlib import Path

import geopandas as gpd
import libpysal
import numpy as np
import pandas as pd
from segregation import local, multigroup, singlegroup

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
sys.path.insert(0, str(HERE.parents[1] / "src"))

from cocity.insights.spatial import hex_grid, square_grid  # noqa: E402
from cocity.insights.synthetic import clustered_counts  # noqa: E402

SINGLE = {
    "dissimilarity": lambda d, g, t: singlegroup.Dissim(d, g, t),
    "gini": lambda d, g, t: singlegroup.Gini(d, g, t),
    "entropy": lambda d, g, t: singlegroup.Entropy(d, g, t),
    "isolation": lambda d, g, t: singlegroup.Isolation(d, g, t),
    "exposure": lambda d, g, t: singlegroup.Interaction(d, g, t),
    "atkinson": lambda d, g, t: singlegroup.Atkinson(d, g, t, b=0.5),
    "correlation_ratio": lambda d, g, t: singlegroup.CorrelationR(d, g, t),
}
MULTI = {
    "dissimilarity": multigroup.MultiDissim,
    "gini": multigroup.MultiGini,
    "information_theory": multigroup.MultiInfoTheory,
    "normalized_exposure": multigroup.MultiNormExposure,
    "relative_diversity": multigroup.MultiRelativeDiversity,
    "simpsons_interaction": multigroup.SimpsonsInteraction,
    "simpsons_concentration": multigroup.SimpsonsConcentration,
    "diversity": multigroup.MultiDiversity,
}


def _floats(values: np.ndarray) -> list:
    return [None if not np.isfinite(v) else float(v) for v in np.asarray(values).ravel()]


def compute(gdf: gpd.GeoDataFrame, groups: list[str]) -> dict:
    gdf = gdf.copy()
    gdf["total"] = gdf[groups].sum(axis=1)
    queen = libpysal.weights.Queen.from_dataframe(gdf, use_index=False, silence_warnings=True)
    rook = libpysal.weights.Rook.from_dataframe(gdf, use_index=False, silence_warnings=True)
    out: dict = {"single_group": {}, "spatial": {}, "multigroup": {}, "local": {}}
    for g in groups:
        out["single_group"][g] = {k: float(f(gdf, g, "total").statistic) for k, f in SINGLE.items()}
        out["spatial"][g] = {
            "spatial_dissimilarity_queen": float(
                singlegroup.SpatialDissim(gdf, g, "total").statistic
            ),
            "spatial_dissimilarity_rook": float(
                singlegroup.SpatialDissim(gdf, g, "total", w=rook).statistic
            ),
            "spatial_dissimilarity_queen_standardized": float(
                singlegroup.SpatialDissim(gdf, g, "total", w=queen, standardize=True).statistic
            ),
            "spatial_proximity": float(singlegroup.SpatialProximity(gdf, g, "total").statistic),
        }
    frame = pd.DataFrame(gdf[groups])
    out["multigroup"] = {k: float(f(frame, groups).statistic) for k, f in MULTI.items()}
    out["local"] = {
        "location_quotient": _floats(local.MultiLocationQuotient(frame, groups).statistics),
        "local_entropy": _floats(local.MultiLocalEntropy(frame, groups).statistics),
        "local_diversity": _floats(local.MultiLocalDiversity(frame, groups).statistics),
    }
    out["queen_pairs"] = int(queen.sparse.nnz)
    out["rook_pairs"] = int(rook.sparse.nnz)
    return out


def synthetic_case(shape: str, nx: int, ny: int, n_groups: int, seed: int) -> dict:
    geoms = square_grid(nx, ny, 100.0) if shape == "square" else hex_grid(nx, ny, 100.0)
    gdf = gpd.GeoDataFrame(geometry=geoms, crs="EPSG:3857")
    xy = np.column_stack([gdf.centroid.x, gdf.centroid.y])
    counts = clustered_counts(xy, n_groups, mean_population=300.0, empty_share=0.05, seed=seed)
    groups = [f"group_{k + 1}" for k in range(n_groups)]
    for k, g in enumerate(groups):
        gdf[g] = counts[:, k]
    return {
        "grid": {"shape": shape, "nx": nx, "ny": ny, "size": 100.0},
        "groups": groups,
        "counts": counts.tolist(),
        "expected": compute(gdf, groups),
    }


def nc_births() -> tuple[dict, dict]:
    raw = gpd.read_file(libpysal.examples.get_path("sids2.shp")).set_crs("EPSG:4267")
    nc = raw.to_crs("EPSG:32119")
    rows = []
    for _, r in nc.iterrows():
        rows.append(
            {
                "fips": str(r.FIPS),
                "county": r.NAME,
                "births_1974": int(r.BIR74),
                "nonwhite_1974": int(r.NWBIR74),
                "births_1979": int(r.BIR79),
                "nonwhite_1979": int(r.NWBIR79),
            }
        )
    with (DATA / "nc_births.csv").open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    features = [
        {
            "type": "Feature",
            "properties": {"fips": str(r.FIPS)},
            "geometry": r.geometry.__geo_interface__,
        }
        for _, r in nc.iterrows()
    ]
    (DATA / "nc_counties.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
    )
    # Re-read the geometry exactly as the tests will (from the GeoJSON just written).
    gdf = gpd.read_file(DATA / "nc_counties.geojson")
    gdf = gdf.set_crs("EPSG:32119", allow_override=True)
    cases = {}
    for year in (1974, 1979):
        frame = gdf.copy()
        frame["nonwhite"] = [r[f"nonwhite_{year}"] for r in rows]
        frame["white"] = [r[f"births_{year}"] - r[f"nonwhite_{year}"] for r in rows]
        cases[f"nc_births_{year}"] = {
            "source": "tests/insights/data/nc_births.csv + nc_counties.geojson",
            "year": year,
            "groups": ["nonwhite", "white"],
            "counts": frame[["nonwhite", "white"]].to_numpy().tolist(),
            "expected": compute(frame, ["nonwhite", "white"]),
        }
    return cases["nc_births_1974"], cases["nc_births_1979"]


def main() -> None:
    warnings.simplefilter("ignore")
    DATA.mkdir(exist_ok=True)
    nc74, nc79 = nc_births()
    result = {
        "generated_by": "tests/insights/make_reference.py",
        "reference": {
            "segregation": version("segregation"),
            "libpysal": version("libpysal"),
            "numpy": version("numpy"),
        },
        "cases": {
            "square_24x18": synthetic_case("square", 24, 18, 3, seed=7),
            "hex_15x12": synthetic_case("hex", 15, 12, 4, seed=11),
            "nc_births_1974": nc74,
            "nc_births_1979": nc79,
        },
    }
    (DATA / "reference.json").write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {DATA / 'reference.json'}")


if __name__ == "__main__":
    main()
