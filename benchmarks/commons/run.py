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
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
import run as harness  # noqa: E402  (benchmarks/run.py)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--worker-threads", type=int, default=2)
    parser.add_argument("--database", default="cocity_bench_commons")
    parser.add_argument(
        "--no-page-cache",
        action="store_true",
        help="turn the anonymous page cache off (every request renders; results in "
        "commons-uncached.{md,json})",
    )
    args = parser.parse_args()
    _admin, database_url = harness.database_urls(os.environ.get("DATABASE_URL", ""), args.database)
    work = Path(tempfile.mkdtemp(prefix="cocity-bench-commons-"))
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "cocity.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "REDIS_URL": harness.redis_url(),
        "COCITY_DATA_DIR": str(work),
        "STATIC_ROOT": str(work / "static"),
        "COCITY_BENCHMARK_VIEWS": "true",
        "LOG_LEVEL": "ERROR",
        "COCITY_PAGE_CACHE": "false" if args.no_page_cache else "true",
    }
    harness.sh(str(harness.BIN / "cocity"), "migrate", "--noinput", "--skip-checks", "-v0", env=env)
    harness.sh(
        str(harness.BIN / "cocity"), "collectstatic", "--noinput", "--skip-checks", "-v0", env=env
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    harness.RESULTS.mkdir(exist_ok=True)
    log = (harness.RESULTS / "gunicorn-commons.log").open("wb")
    server = subprocess.Popen(
        [
            str(harness.BIN / "gunicorn"),
            "cocity.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={args.workers}",
            f"--threads={args.worker_threads}",
            "--worker-class=gthread",
            "--keep-alive=5",
            "--backlog=2048",
        ],
        env=env,
        cwd=harness.REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    pages = [
        ("ceiling: minimal Django view", "/bench/ceiling/"),
        ("registry, first page", "/commons/"),
        ("registry, one neighbourhood", "/commons/?territory=BX-CITY-01-7"),
        ("registry, status active, page 20", "/commons/?state=active&page=20"),
        ("map data, neighbourhood box", "/commons/map.geojson?bbox=11.30,44.48,11.33,44.50"),
        ("map data, visible area", "/commons/map.geojson?bbox=11.25,44.45,11.40,44.55"),
        ("map data, neighbourhood filter", "/commons/map.geojson?territory=BX-CITY-01-3"),
        ("SVG map page", "/commons/map/?bbox=11.30,44.48,11.33,44.50"),
    ]
    results: list[dict[str, Any]] = []
    load_before = os.getloadavg()
    try:
        harness.wait_until_up(base + "/healthz", server)
        for name, path in pages:
            time.sleep(5)
            for _ in range(20):
                with urllib.request.urlopen(base + path, timeout=10) as response:  # noqa: S310
                    assert response.status == 200, (path, response.status)
            load = os.getloadavg()[0]
            figures = harness.wrk(base + path, args.duration, args.connections, args.threads)
            figures.update(name=name, path=path, load_1min=load)
            results.append(figures)
            print(
                f"   {name:30} {figures['rps']:8} req/s  p50 {figures['p50_ms']:7} ms  "
                f"p95 {figures['p95_ms']:7} ms  p99 {figures['p99_ms']:7} ms  load {load:.1f}"
            )
        rss = harness.peak_rss_mb(harness.worker_pids(server.pid))
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.rmtree(work, ignore_errors=True)
    report = {
        "finished": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "data": {
            "commons": 50_000,
            "pacts": 200_000,
            "history": 800_000,
            "database": args.database,
        },
        "setup": {
            "workers": args.workers,
            "threads": args.worker_threads,
            "worker_class": "gthread",
            "connections": args.connections,
            "duration": args.duration,
            "redis": bool(env["REDIS_URL"]),
            "page_cache": not args.no_page_cache,
            "cores": os.cpu_count(),
        },
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "pages": results,
        "peak_rss_mb": rss,
    }
    text = harness.markdown(report) + (
        f"\nLoad average (1, 5, 15 min) before: {report['load_average_before']}, "
        f"after: {report['load_average_after']}; per page (1 min) in the JSON.\n"
        + (
            "\nAnonymous page cache OFF: every request renders.\n"
            if args.no_page_cache
            else "\nAnonymous page cache ON (Redis): repeated anonymous requests are cache hits.\n"
        )
    )
    name = "commons-uncached" if args.no_page_cache else "commons"
    (harness.RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2))
    (harness.RESULTS / f"{name}.md").write_text(text)
    print()
    print(text)


if __name__ == "__main__":
    main()
