"""Load benchmark of the event pages, with the harness of ``benchmarks/run.py`` (gunicorn,
production settings, PostgreSQL, Redis cache when Redis answers, wrk at 50 connections).

    # once: the data (20,000 events, 1,000,200 registrations)
    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE cocity_bench_events'
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cocity_bench_events cocity migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cocity_bench_events \\
        python benchmarks/events/generate.py
    # then
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cocity_bench_events \\
        python benchmarks/events/run.py --duration 15

Pages: the ceiling view, the event list (first page and page 50), an event page and the
personal calendar of the person registered for 200 events. Writes
``benchmarks/results/events.{md,json}`` with the load average before and after.
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


def feed_token(database_url: str) -> str:
    import psycopg

    with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1)) as conn:
        row = conn.execute(
            "SELECT t.token FROM events_calendartoken t JOIN accounts_user u ON u.id = t.user_id"
            " WHERE u.email = 'feed-200@bench.cocity.localhost'"
        ).fetchone()
    if row is None:
        raise SystemExit("No benchmark data: run benchmarks/events/generate.py first.")
    return str(row[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--worker-threads", type=int, default=2)
    parser.add_argument("--database", default="cocity_bench_events")
    args = parser.parse_args()
    _admin, database_url = harness.database_urls(os.environ.get("DATABASE_URL", ""), args.database)
    token = feed_token(database_url)
    work = Path(tempfile.mkdtemp(prefix="cocity-bench-events-"))
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
    log = (harness.RESULTS / "gunicorn-events.log").open("wb")
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
        ("event list", "/events/"),
        ("event list, page 50", "/events/?page=50"),
        ("event page", "/events/bench-event-10001/"),
        ("personal feed, 200 events", f"/events/me/calendar/{token}.ics"),
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
            figures.update(name=name, path=path.replace(token, "<token>"), load_1min=load)
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
        "data": {"events": 20_000, "registrations": 1_000_200, "database": args.database},
        "setup": {
            "workers": args.workers,
            "threads": args.worker_threads,
            "worker_class": "gthread",
            "connections": args.connections,
            "duration": args.duration,
            "redis": bool(env["REDIS_URL"]),
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
    )
    (harness.RESULTS / "events.json").write_text(json.dumps(report, indent=2))
    (harness.RESULTS / "events.md").write_text(text)
    print()
    print(text)


if __name__ == "__main__":
    main()
