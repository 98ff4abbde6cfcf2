"""Load benchmark of the event pages, with the harness of ``benchmarks/run.py`` (gunicorn,
production settings, PostgreSQL, Redis cache when Redis answers, wrk at 50 connections).

    # once: the data (20,000 events, 1,000,200 registrations)
    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE cocity_bench_events'
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cocity_bench_events cocity migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cocity_bench_events \\
        python benchmarks/events/generate.py
    # then (add --signed-in for the uncached figures)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cocity_bench_events \\
        python benchmarks/events/run.py --duration 15

Pages: the ceiling view, the event list (first page and page 50), an event page and the
personal calendar of the person registered for 200 events. Writes
``benchmarks/results/events.{md,json}`` with the load average before and after.
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


def feed_token(database_url: str) -> tuple[str, int]:
    """The calendar person's token, and how many events were generated (at any --scale)."""
    import psycopg

    with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1)) as conn:
        row = conn.execute(
            "SELECT t.token FROM events_calendartoken t JOIN accounts_user u ON u.id = t.user_id"
            " WHERE u.email = 'feed-200@bench.cocity.localhost'"
        ).fetchone()
        events = conn.execute(
            "SELECT count(*) FROM events_event WHERE slug LIKE 'bench-event-%%'"
        ).fetchone()
    if row is None or not events or not events[0]:
        raise SystemExit("No benchmark data: run benchmarks/events/generate.py first.")
    return str(row[0]), int(events[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    harness.server_arguments(parser, database="cocity_bench_events", connections=50)
    parser.add_argument(
        "--feed-connections",
        type=int,
        default=1,
        help="connections for the personal feed (the issue's figure is one person's calendar "
        "client asking; it is measured at --connections too)",
    )
    args = parser.parse_args()
    harness.require_wrk()
    _admin, database_url = harness.database_urls(os.environ.get("DATABASE_URL", ""), args.database)
    token, events = feed_token(database_url)
    # Addresses that exist at any --scale: the middle event, and the list's middle page (20 a
    # page); at scale 1, event 10001 of 20,000 and page 50 as before.
    middle_page = max(1, min(50, events // 40))
    env = harness.app_env(database_url, Path(tempfile.mkdtemp(prefix="cocity-bench-events-")))
    feed = f"/events/me/calendar/{token}.ics"
    pages = [
        ("ceiling: minimal Django view", "/bench/ceiling/"),
        ("event list", "/events/"),
        (f"event list, page {middle_page}", f"/events/?page={middle_page}"),
        ("event list, online webinars", "/events/?kind=webinar&format=online"),
        ("event page", f"/events/bench-event-{events // 2 + 1}/"),
        ("personal feed, 200 events", feed),
        # The hub page of the space that holds every benchmark event (cocity.core.hubs).
        ("the events' space (hub page)", "/spaces/bench-events/"),
    ]
    load_before = os.getloadavg()
    with harness.serving(env, args, "gunicorn-events.log") as (base, server):
        results = harness.measure_pages(
            base, pages, args, viewers=harness.viewers_for(args, env), hide=token
        )
        one = argparse.Namespace(**{**vars(args), "connections": args.feed_connections})
        for row in harness.measure_pages(base, [pages[-1]], one, hide=token):
            row["name"] += f", {args.feed_connections} connection(s)"
            results.append(row)
        rss = harness.peak_rss_mb(harness.worker_pids(server.pid))
    harness.write_report(
        "events",
        data={"events": 20_000, "registrations": 1_000_200, "database": args.database},
        args=args,
        env=env,
        pages=results,
        rss=rss,
        load_before=load_before,
        notes="Anonymous visitors are served by the page cache (list, event page); signed-in "
        "rows (with --signed-in) render every request. The personal feed is cached per person "
        "under a fingerprint of what it shows.",
    )


if __name__ == "__main__":
    main()
