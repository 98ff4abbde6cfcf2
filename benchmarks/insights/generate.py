"""Write a synthetic city as the ``cocity insights indices`` command reads it.

    python benchmarks/insights/generate.py --nx 1000 --ny 1000 --out /tmp/city1m

writes /tmp/city1m.csv (code, group_1..group_K, total) and /tmp/city1m.geojson (square or
hexagonal grid polygons with a ``code`` property). Groups are spatially clustered (see
``cocity.insights.synthetic``); a few units are empty.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from cocity.insights.synthetic import synthetic_city


def write_city(nx: int, ny: int, out: Path, groups: int, shape: str, seed: int) -> None:
    city = synthetic_city(nx, ny, n_groups=groups, shape=shape, seed=seed)
    codes = [f"u{i}" for i in range(city.counts.shape[0])]
    with out.with_suffix(".csv").open("w") as fh:
        fh.write(",".join(["code", *city.groups, "total"]) + "\n")
        table = np.column_stack([city.counts, city.total])
        for code, row in zip(codes, table.tolist(), strict=True):
            fh.write(code + "," + ",".join(map(str, row)) + "\n")
    geometries = shapely.to_geojson(city.geometries)
    with out.with_suffix(".geojson").open("w") as fh:
        fh.write('{"type":"FeatureCollection","features":[\n')
        for i, (code, geometry) in enumerate(zip(codes, geometries, strict=True)):
            sep = ",\n" if i else ""
            fh.write(
                f'{sep}{{"type":"Feature","properties":{{"code":"{code}"}},"geometry":{geometry}}}'
            )
        fh.write("\n]}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nx", type=int, default=100)
    parser.add_argument("--ny", type=int, default=100)
    parser.add_argument("--groups", type=int, default=3)
    parser.add_argument("--shape", choices=["square", "hex"], default="square")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    started = time.perf_counter()
    write_city(args.nx, args.ny, args.out, args.groups, args.shape, args.seed)
    print(f"wrote {args.out}.csv and .geojson in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
