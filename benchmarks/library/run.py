# ruff: noqa: E501, E402  (benchmark script: generated SQL with constants, random data, prints)
"""Search benchmark: fill the search index with N synthetic documents (bulk SQL: generate_series
on PostgreSQL, executemany on SQLite), then time ``cocity.search.selectors.search`` (ranked
matches + snippets + the six facet counts, as the search page runs it) and the facet counts alone
from C concurrent clients (threads, one database connection each). Not through HTTP: this
measures the queries, not Django's request cycle.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cocity_library_bench \\
      DJANGO_SETTINGS_MODULE=cocity.settings.test .venv/bin/python benchmarks/library/run.py \\
      --documents 200000 --clients 20 --seconds 20
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from multiprocessing import Process, Queue
from pathlib import Path

import django

django.setup()

from corpus import WORDS, generate
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, connections
from django.test import RequestFactory

from cocity.search.index import rebuild_facet_counts
from cocity.search.selectors import (
    FACETS,
    facet_counts,
    match,
    parse_query,
    search,
    stored_facet_counts,
    visible_documents,
)

QUERIES = ["housing", "logement", "roma families", "beni comuni", "vivienda barrio",
           "school budget", "camps", "participation democracy", "jardin", "energy climate"]  # fmt: skip


def _one(kind: str, query: str, factory: RequestFactory) -> None:
    user = AnonymousUser()
    if kind in ("search", "search-cold", "browse"):
        if kind == "search-cold":
            cache.clear()  # this process's summaries: every search counts and ranks again
        results = search(user=user, raw_query="" if kind == "browse" else query, filters={})
        list(results.hits)
    elif kind == "facets":
        stored_facet_counts(user, {})
    elif kind == "facets-filter":
        stored_facet_counts(user, {"city": "FR-MRS"})
    elif kind == "facets-words":
        facet_counts(match(visible_documents(user), parse_query(query).terms), {})


def _client(kind: str, seed: int, deadline: float, out: Queue) -> None:  # type: ignore[type-arg]
    rng = random.Random(seed)
    factory = RequestFactory()
    mine = []
    try:
        while time.perf_counter() < deadline:
            query = rng.choice(QUERIES)
            t0 = time.perf_counter()
            _one(kind, query, factory)
            mine.append(time.perf_counter() - t0)
    finally:
        connections.close_all()
        out.put(mine)


WRITES_PER_SECOND = 1.0


def _writer(deadline: float, per_second: float) -> None:
    """Index a new document every 1/per_second s: every write moves the index version."""
    from cocity.search.index import write_entry
    from cocity.search.registry import IndexEntry, SearchProvider

    provider = SearchProvider(key="bench.writer", model="search.Document", entry=lambda o: None)
    rng = random.Random(99)
    n = 0
    try:
        while time.perf_counter() < deadline:
            n += 1
            words = " ".join(rng.choice(WORDS["en"]) for _ in range(6))
            write_entry(provider, n, IndexEntry(title=words, body=words, url=f"/w/{n}",
                                                kind="library.news", language="en",
                                                city="FR-MRS", year=2026))  # fmt: skip
            time.sleep(1 / per_second)
    finally:
        connections.close_all()


def measure(kind: str, clients: int, seconds: float) -> dict[str, float]:
    """``clients`` processes (not threads: one interpreter lock would queue them all), each
    with its own database connection, for ``seconds``."""
    if kind in ("search", "browse", "search-writes"):  # warm: each question once, untimed
        for query in QUERIES:
            _one("search" if kind == "search-writes" else kind, query, RequestFactory())
    connections.close_all()  # no connection crosses the fork
    out: Queue = Queue()  # type: ignore[type-arg]
    deadline = time.perf_counter() + seconds
    workers = [
        Process(
            target=_client, args=("search" if kind == "search-writes" else kind, i, deadline, out)
        )
        for i in range(clients)
    ]
    writer = (
        Process(target=_writer, args=(deadline, WRITES_PER_SECOND))
        if kind == "search-writes"
        else None
    )
    if writer is not None:
        writer.start()
    for worker in workers:
        worker.start()
    timings: list[float] = []
    for _worker in workers:
        timings.extend(out.get())
    for worker in workers:
        worker.join()
    if writer is not None:
        writer.join()
        with connection.cursor() as cursor:  # leave the data set as it was
            cursor.execute("DELETE FROM search_document WHERE provider = 'bench.writer'")
        rebuild_facet_counts()
    timings.sort()
    return {
        "requests": len(timings),
        "p50_ms": round(1000 * statistics.median(timings), 1),
        "p95_ms": round(1000 * timings[int(0.95 * (len(timings) - 1))], 1),
        "max_ms": round(1000 * timings[-1], 1),
        "per_second": round(len(timings) / seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--reuse", action="store_true", help="keep the documents already there")
    parser.add_argument("--recount", action="store_true", help="with --reuse: rebuild the counts")
    parser.add_argument("--only", default="", help="comma-separated: search,search-cold,...")
    parser.add_argument("--writes", type=float, default=1.0, help="index writes a second")
    args = parser.parse_args()
    global WRITES_PER_SECOND
    WRITES_PER_SECOND = args.writes
    call_command("migrate", verbosity=0)
    generated = None if args.reuse else round(generate(args.documents), 1)
    counted = None
    if not args.reuse or args.recount:
        started = time.perf_counter()
        rebuild_facet_counts()
        counted = round(time.perf_counter() - started, 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_document")
        count = cursor.fetchone()[0]
    connections.close_all()
    result = {
        "database": connection.vendor,
        "documents": count,
        "generate_seconds": generated,
        "facet_counts_rebuild_seconds": counted,
        "clients": args.clients,
        "facets": list(FACETS),
    }
    rows = {
        "search, 10 queries again and again (summaries cached beforehand)": "search",
        "search, no summary cached (every search counts, ranks and facets its matches)": (
            "search-cold"
        ),
        f"search, the same 10 queries while a writer indexes {args.writes} documents a second": (
            "search-writes"
        ),
        "search page without words (kept counts, newest first)": "browse",
        "facet counts, no words (kept counts)": "facets",
        "facet counts, no words, one filter (kept counts)": "facets-filter",
        "facet counts with words (one pass over the matches, not cached)": "facets-words",
    }
    for label, kind in rows.items():
        if args.only and kind not in args.only.split(","):
            continue
        result[label] = measure(kind, args.clients, args.seconds)
        print(label, result[label], flush=True)
    out = Path(__file__).resolve().parents[1] / "results" / f"library-{connection.vendor}.json"
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
