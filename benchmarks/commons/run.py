"""Load benchmark of the collaboration-pact registry, with the harness of ``benchmarks/run.py``
(gunicorn, production settings, PostgreSQL, wrk at 20 connections).

    # once: the data (50,000 commons, 200,000 pacts, 800,000 history entries)
    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE cocity_bench_commons'
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cocity_bench_commons cocity migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cocity_bench_commons \\
        python benchmarks/commons/generate.py
    # then
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cocity_bench_commons \\
        python benchmarks/commons/run.py --duration 15

Pages: the ceiling view, the registry (first page, a neighbourhood, a status), the map data
(GeoJSON of a visible area, a neighbourhood-sized box and the whole city) and the SVG map page.
Writes ``benchmarks/results/commons.{md,json}`` with the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
import run as harness  # noqa: E402  (benchmarks/run.py)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    harness.server_arguments(parser, database="cocity_bench_commons", connections=20)
    parser.add_argument(
        "--no-page-cache",
        action="store_true",
        help="turn the anonymous page cache off (every request renders; results in "
        "commons-uncached.{md,json})",
    )
    args = parser.parse_args()
    harness.require_wrk()
    _admin, database_url = harness.database_urls(os.environ.get("DATABASE_URL", ""), args.database)
    env = harness.app_env(
        database_url,
        Path(tempfile.mkdtemp(prefix="cocity-bench-commons-")),
        **({"COCITY_PAGE_CACHE": "false"} if args.no_page_cache else {}),
    )
    pages = [
        ("ceiling: minimal Django view", "/bench/ceiling/"),
        ("registry, first page", "/commons/"),
        ("registry, one neighbourhood", "/commons/?territory=BX-CITY-01-7"),
        ("registry, status active, page 20", "/commons/?state=active&page=20"),
        ("map data, neighbourhood box", "/commons/map.geojson?bbox=11.30,44.48,11.33,44.50"),
        ("map data, visible area", "/commons/map.geojson?bbox=11.25,44.45,11.40,44.55"),
        ("map data, neighbourhood filter", "/commons/map.geojson?territory=BX-CITY-01-3"),
        # Issue 17: the interactive map asks at every zoom; the answer is capped (MAP_LIMIT).
        ("map data, first view (no bbox)", "/commons/map.geojson"),
        ("map data, the whole world", "/commons/map.geojson?bbox=-180,-90,180,90"),
        ("map data, street zoom", "/commons/map.geojson?bbox=11.340,44.500,11.346,44.504"),
        ("SVG map page", "/commons/map/?bbox=11.30,44.48,11.33,44.50"),
        # Hub pages (cocity.core.hubs) over every benchmark commons and pact.
        ("the city's organisation (hub page)", "/organisations/bench-city/"),
        ("the city (hub page)", "/places/BX-CITY/"),
    ]
    load_before = os.getloadavg()
    sizes = {}
    with harness.serving(env, args, "gunicorn-commons.log") as (base, server):
        results = harness.measure_pages(base, pages, args, viewers=harness.viewers_for(args, env))
        sizes = _answer_sizes(base, [path for _name, path in pages if "map.geojson" in path])
        rss = harness.peak_rss_mb(harness.worker_pids(server.pid))
    harness.write_report(
        "commons-uncached" if args.no_page_cache else "commons",
        data={"commons": 50_000, "pacts": 200_000, "history": 800_000, "database": args.database},
        args=args,
        env=env,
        pages=results,
        rss=rss,
        load_before=load_before,
        notes=(
            "Anonymous page cache OFF: every request renders."
            if args.no_page_cache
            else "Anonymous page cache ON (Redis): repeated anonymous requests are cache hits; "
            "signed-in rows (with --signed-in) render every request."
        )
        + " Map data answer sizes (bytes, target under 200 kB): "
        + ", ".join(f"`{path}` {size:,}" for path, size in sizes.items()),
    )


def _answer_sizes(base: str, paths: list[str]) -> dict[str, int]:
    """The size of each map data answer (issue 17: under 200 kB at any zoom)."""
    import urllib.request

    sizes = {}
    for path in paths:
        with urllib.request.urlopen(base + path) as response:  # noqa: S310 - our own server
            sizes[path] = len(response.read())
    return sizes


if __name__ == "__main__":
    main()
