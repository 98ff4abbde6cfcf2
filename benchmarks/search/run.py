# ruff: noqa: E402, S608  (benchmark script: imports after django.setup(), SQL of the backend cut in parts)
"""Search backends side by side (issue 20): build each backend's index of N documents, then
ask the full results page (``selectors.search``: the backend's answer, the hits read from the
table with their extracts, the six facets) from C client processes, every question one that was
never asked before, while a writer indexes one document a second through ``index.write_entry``
(and, for Tantivy, an indexer process drains the outbox with ``indexer.apply_pending`` as the
task worker does, so the readers reload on each commit). The database backend and Tantivy are
measured one after the other in the same run, on the same documents.

    createdb -h 127.0.0.1 -U postgres bench_search
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_search \\
      COCITY_SEARCH_DIR=/tmp/bench_search \\
      DJANGO_SETTINGS_MODULE=cocity.settings.test .venv/bin/python benchmarks/search/run.py \\
      --documents 1000000 --clients 20 --seconds 60

``--reuse`` keeps the documents already there; ``--phases`` runs some of ``generate``,
``build-database``, ``build-tantivy``, ``build-sqlite``, ``search`` and ``explain`` (where
the database backend's time goes: its statement run again in parts, and the plans) (default:
generate, both builds, search). Each phase writes
``benchmarks/results/issue20/<phase><--suffix>.json``; ``--tune`` tries the database backend
with other settings in that run only. Figures and what they mean: docs/search.md, "Figures".
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from multiprocessing import Process, Queue
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "library"))

import django

django.setup()

from corpus import CITIES, KINDS, TOPICS, WORDS, generate
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, connections

from cocity.search import indexer
from cocity.search.backends import get_backend, reset_backends
from cocity.search.backends.base import NOBODY, indexed_documents
from cocity.search.index import rebuild_facet_counts
from cocity.search.selectors import search

RESULTS = HERE.parent / "results" / "issue20"
YEARS = [str(y) for y in range(2010, 2026)]
LANGUAGES = list(WORDS)
MID_WORDS = 50_000  # the synthetic long tail of the bodies: w0 ... w49999, ~1,000 documents each


# --- Questions never asked before ---------------------------------------------------------


def _filter(rng: random.Random) -> dict[str, str]:
    facet = rng.choice(["kind", "city", "year", "language", "topic"])
    values = {"kind": KINDS, "city": CITIES, "year": YEARS, "language": LANGUAGES, "topic": TOPICS}
    return {facet: rng.choice(values[facet])}


def _common(rng: random.Random, language: str = "") -> str:
    return rng.choice(WORDS[language or rng.choice(LANGUAGES)])


def _two_common(rng: random.Random) -> str:
    language = rng.choice(LANGUAGES)  # as people ask: two words of one language
    return f"{_common(rng, language)} {_common(rng, language)}"


def _mid(rng: random.Random) -> str:
    return f"w{rng.randrange(MID_WORDS)}"


def _typed(rng: random.Random) -> str:
    """A common word, then the first letters of another of its language (as people type)."""
    language = rng.choice(LANGUAGES)
    word = _common(rng, language)
    return f"{_common(rng, language)} {word[: max(3, len(word) - rng.randint(1, 3))]}"


# Question types: (label, maker). Each maker returns (text, filters). Common words are the
# per-language vocabulary (each in a quarter or more of its language's documents), mid-frequency
# words one of the 50,000 of the long tail (~1,000 documents each), rare questions two of those
# (a handful of documents, often none).
TYPES: dict[str, Any] = {
    "common word": lambda r: (_common(r), {}),
    "common word + facet": lambda r: (_common(r), _filter(r)),
    "two common words": lambda r: (_two_common(r), {}),
    "two common words + facet": lambda r: (_two_common(r), _filter(r)),
    "common word + typed prefix": lambda r: (_typed(r), {}),
    "mid-frequency word": lambda r: (_mid(r), {}),
    "mid-frequency word + facet": lambda r: (_mid(r), _filter(r)),
    "common + mid-frequency words": lambda r: (f"{_common(r)} {_mid(r)}", {}),
    "rare (two mid-frequency words)": lambda r: (f"{_mid(r)} {_mid(r)}", {}),
    "rare + facet": lambda r: (f"{_mid(r)} {_mid(r)}", _filter(r)),
}


def questions(count: int, seed: int = 20) -> list[tuple[str, str, dict[str, str]]]:
    """``count`` distinct questions (type, words, filters) in rounds of one of each type in a
    random order; a type whose distinct questions run out (single common words: ~100) leaves
    the rounds."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[tuple[str, str, dict[str, str]]] = []
    live = list(TYPES)
    while len(out) < count and live:
        rng.shuffle(live)
        for label in list(live):
            for _attempt in range(200):
                text, filters = TYPES[label](rng)
                key = json.dumps([text.split(), sorted(filters.items())])
                if key not in seen:
                    seen.add(key)
                    out.append((label, text, filters))
                    break
            else:
                live.remove(label)
    return out[:count]


# --- Index builds -------------------------------------------------------------------------


def _size(cursor: Any) -> dict[str, int]:
    cursor.execute(
        "SELECT pg_relation_size('search_document'), pg_total_relation_size('search_document'), "
        "pg_relation_size('search_document_vector'), "
        "pg_total_relation_size('search_documenttopic'), "
        "pg_total_relation_size('search_facetcount')"
    )
    heap, total, gin, topics, counts = cursor.fetchone()
    return {
        "table_bytes": heap,
        "table_with_toast_and_indexes_bytes": total,
        "gin_bytes": gin,
        "topics_table_bytes": topics,
        "facet_counts_bytes": counts,
    }


def _progress(label: str, started: float) -> Any:
    def progress(done: int) -> None:
        if done % 50_000 == 0:
            print(f"{label}: {done} in {time.perf_counter() - started:.0f} s", flush=True)

    return progress


def build_database() -> dict[str, Any]:
    """The database backend's whole index written again by its own ``rebuild`` (each
    document's tsvector from its folded title and body, in place, batches of 1,000, the GIN
    index kept up to date), then the facet counts; sizes before and after."""
    from cocity.search.backends.database import DatabaseBackend

    with connection.cursor() as cursor:
        before = _size(cursor)
    started = time.perf_counter()
    backend = DatabaseBackend()
    documents = (d for d in indexed_documents() if d.scope != NOBODY)
    backend.rebuild(documents, _progress("database", started))
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE search_document")
        vacuum = time.perf_counter() - started
        after = _size(cursor)
    return {
        "what": "DatabaseBackend().rebuild(indexed_documents()): every document's full-text "
        "part (tsvector) rewritten in place with the GIN index in use, then the facet counts",
        "documents": backend.statistics()["documents"],
        "seconds": round(seconds, 1),
        "vacuum_analyze_seconds": round(vacuum, 1),
        "size_after_bulk_load": before,
        "size_after_rebuild": after,
    }


def build_tantivy() -> dict[str, Any]:
    from cocity.search.backends.tantivy import TantivyBackend

    backend = TantivyBackend()
    started = time.perf_counter()
    documents = (d for d in indexed_documents() if d.scope != NOBODY)
    backend.rebuild(documents, _progress("tantivy", started))
    seconds = time.perf_counter() - started
    stats = backend.statistics()
    return {
        "what": "TantivyBackend().rebuild(indexed_documents()): a new generation from every "
        "document read from the table, then the switch",
        "documents": stats.get("documents"),
        "segments": stats.get("segments"),
        "seconds": round(seconds, 1),
        "bytes": stats.get("bytes"),
        "path": stats.get("path"),
    }


def build_sqlite(path: Path) -> dict[str, Any]:
    """SQLite FTS5: the same documents copied to a separate SQLite file, then the database
    backend's rebuild there (our analysis: folded words and the Snowball stems)."""
    import sqlite3

    from cocity.search.index import fulltext_params, fulltext_sql

    path.unlink(missing_ok=True)
    lite = sqlite3.connect(path)
    lite.execute(
        "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )
    started = time.perf_counter()
    insert = fulltext_sql("sqlite").replace("%s", "?")
    batch: list[list[Any]] = []
    done = 0
    for d in indexed_documents():
        batch.append(fulltext_params("sqlite", d.id, d.title, d.body, d.language))
        if len(batch) >= 1000:
            lite.executemany(insert, batch)
            done += len(batch)
            batch = []
            if done % 50_000 == 0:
                print(f"sqlite: {done} in {time.perf_counter() - started:.0f} s", flush=True)
    lite.executemany(insert, batch)
    lite.commit()
    seconds = time.perf_counter() - started
    lite.close()
    return {
        "what": "the full-text part as the database backend writes it on SQLite "
        "(index.fulltext_params: folded words and Snowball stems) into an FTS5 table of a "
        "separate file",
        "seconds": round(seconds, 1),
        "bytes": path.stat().st_size,
    }


# --- Searching ----------------------------------------------------------------------------


def _client(
    backend: str,
    mine: list[tuple[str, str, dict[str, str]]],
    start: float,
    deadline: float,
    out: Queue,  # type: ignore[type-arg]
) -> None:
    user = AnonymousUser()
    timings: list[tuple[str, float, float, bool, int, float]] = []
    engine = get_backend(backend)  # the instance selectors.search uses (one per process)
    answer = engine.search
    spent = [0.0]

    def timed_search(query: Any) -> Any:  # the backend's own part of the page
        t0 = time.perf_counter()
        try:
            return answer(query)
        finally:
            spent[0] += time.perf_counter() - t0

    engine.search = timed_search  # type: ignore[method-assign]
    try:
        # Untimed: the connection, the backend (Tantivy opens its index), the imports.
        search(user=user, raw_query=f"warmup{os.getpid()}", filters={}, backend=backend)
        while time.time() < start:
            time.sleep(0.01)
        for label, text, filters in mine:
            if time.time() >= deadline:
                break
            cache.clear()  # nothing this process computed before can answer
            spent[0] = 0.0
            t0, c0 = time.perf_counter(), time.process_time()
            results = search(user=user, raw_query=text, filters=filters, backend=backend)
            list(results.hits)
            timings.append(
                (
                    label,
                    time.perf_counter() - t0,
                    time.process_time() - c0,
                    results.degraded,
                    results.total,
                    spent[0],
                )
            )
    finally:
        connections.close_all()
        out.put(timings)


def _writer(backend: str, deadline: float, per_second: float, out: Queue) -> None:  # type: ignore[type-arg]
    """One new document every 1/per_second s through ``index.write_entry`` (the hook every
    capability's writes go through), with the backend setting of the run: the outbox row for
    Tantivy. The indexer process applies it (the task the hook queues is not run here)."""
    from cocity.search.index import write_entry
    from cocity.search.registry import IndexEntry, SearchProvider

    settings.COCITY_SEARCH_BACKEND = backend
    reset_backends()
    indexer._enqueue = lambda: None  # the indexer process is the task worker here
    provider = SearchProvider(key="bench.writer", model="search.Document", entry=lambda o: None)
    rng = random.Random(99)
    written = []
    n = int(time.time())  # object ids of their own in every run
    try:
        while time.time() < deadline:
            n += 1
            t0 = time.perf_counter()
            words = " ".join(rng.choice(WORDS["en"]) for _ in range(6))
            write_entry(provider, n, IndexEntry(title=words, body=f"{words} w{n % 50000}",
                                                url=f"/w/{n}", kind="library.news",
                                                language="en", city="FR-MRS", year=2025,
                                                topics=(("housing", "housing"),)))  # fmt: skip
            written.append(time.perf_counter() - t0)
            time.sleep(max(0.0, 1 / per_second - written[-1]))
    finally:
        connections.close_all()
        out.put(("writer", written))


def _indexer(deadline: float, out: Queue) -> None:  # type: ignore[type-arg]
    """The task worker: drains the outbox into Tantivy as soon as rows are there."""
    from cocity.search.backends.tantivy import TantivyBackend

    backend = TantivyBackend()
    runs: list[tuple[int, float]] = []
    try:
        while time.time() < deadline + 2:
            t0 = time.perf_counter()
            applied = indexer.apply_pending(backend)
            if applied:
                runs.append((applied, time.perf_counter() - t0))
            time.sleep(0.2)
    finally:
        connections.close_all()
        out.put(("indexer", runs))


def _summary(
    rows: list[tuple[str, float, float, bool, int, float]], seconds: float
) -> dict[str, Any]:
    wall = sorted(r[1] for r in rows)
    cpu = sorted(r[2] for r in rows)
    if not wall:
        return {"requests": 0}
    return {
        "requests": len(wall),
        "p50_ms": round(1000 * statistics.median(wall), 1),
        "p95_ms": round(1000 * wall[int(0.95 * (len(wall) - 1))], 1),
        "max_ms": round(1000 * wall[-1], 1),
        "per_second": round(len(wall) / seconds, 1),
        "client_cpu_p50_ms": round(1000 * statistics.median(cpu), 1),
        "backend_p50_ms": round(1000 * statistics.median(r[5] for r in rows), 1),
        "backend_p95_ms": round(1000 * sorted(r[5] for r in rows)[int(0.95 * (len(rows) - 1))], 1),
        "degraded": sum(1 for r in rows if r[3]),
        "median_total": statistics.median(r[4] for r in rows),
    }


def measure(
    backend: str,
    pool: list[tuple[str, str, dict[str, str]]],
    clients: int,
    seconds: float,
    writes: float,
) -> dict[str, Any]:
    connections.close_all()  # no connection crosses the fork
    out: Queue = Queue()  # type: ignore[type-arg]
    start = time.time() + 8  # every client warmed up and waiting
    deadline = start + seconds
    workers = [
        Process(target=_client, args=(backend, pool[i::clients], start, deadline, out))
        for i in range(clients)
    ]
    helpers = [Process(target=_writer, args=(backend, deadline, writes, out))]
    if get_backend(backend).uses_outbox:
        helpers.append(Process(target=_indexer, args=(deadline, out)))
    for process in [*helpers, *workers]:
        process.start()
    rows: list[tuple[str, float, float, bool, int, float]] = []
    extra: dict[str, Any] = {}
    for _ in range(len(workers) + len(helpers)):
        got = out.get()
        if isinstance(got, tuple):
            extra[got[0]] = got[1]
        else:
            rows.extend(got)
    for process in [*helpers, *workers]:
        process.join()
    result = {"all questions": _summary(rows, seconds)}
    for label in TYPES:
        result[label] = _summary([r for r in rows if r[0] == label], seconds)
    writes_done = extra.get("writer", [])
    result["writes"] = {
        "count": len(writes_done),
        "p50_ms": round(1000 * statistics.median(writes_done), 1) if writes_done else None,
    }
    if "indexer" in extra:
        runs = extra["indexer"]
        result["indexer"] = {
            "runs": len(runs),
            "changes": sum(n for n, _s in runs),
            "p50_ms": round(1000 * statistics.median(s for _n, s in runs), 1) if runs else None,
        }
    return result


def _cleanup_writes() -> None:
    """The writer's documents gone from the table and every index."""
    from cocity.search.index import _delete
    from cocity.search.models import Document

    settings.COCITY_SEARCH_BACKEND = "tantivy"
    reset_backends()
    original = indexer._enqueue
    indexer._enqueue = lambda: None
    try:
        for object_id in Document.objects.filter(provider="bench.writer").values_list(
            "object_id", flat=True
        ):
            _delete("bench.writer", object_id)
        indexer.apply_pending(get_backend("tantivy"))
    finally:
        indexer._enqueue = original
        settings.COCITY_SEARCH_BACKEND = "database"
        reset_backends()


def explain(per_type: int, seed: int = 2020, suffix: str = "") -> dict[str, Any]:
    """Where the database backend's time goes: for new questions of each type, the statement
    ``DatabaseBackend.summarise`` sends (the first one, over every candidate), run again without
    the time limit in parts: the candidates alone (with and without their rank), then the page
    and total, then the facets without the topics, then the whole."""
    from django.db import transaction

    from cocity.search.backends import database

    captured: list[tuple[str, list[Any]]] = []
    original = database.DatabaseBackend._run

    def capture(self: Any, statement: str, params: list[Any], *args: Any) -> Any:
        captured.append((statement, list(params)))
        return original(self, statement, params, *args)

    database.DatabaseBackend._run = capture  # type: ignore[method-assign, assignment]

    def timed(sql: str, params: list[Any]) -> float:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")  # as DatabaseBackend._run
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute("SET LOCAL statement_timeout = 0")
            t0 = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            return round(1000 * (time.perf_counter() - t0), 1)

    rank = "ts_rank_cd(search_vector, %s::tsquery)"
    out: dict[str, Any] = {}
    plans: list[str] = []
    by_type: dict[str, list[tuple[str, str, dict[str, str]]]] = {}
    for question in questions(5000, seed=seed):  # not the search phase's questions
        by_type.setdefault(question[0], []).append(question)
    user = AnonymousUser()
    try:
        for label, asked in by_type.items():
            rows = []
            for _label, text, filters in asked[:per_type]:
                captured.clear()
                cache.clear()
                t0 = time.perf_counter()
                results = search(user=user, raw_query=text, filters=filters, backend="database")
                page_ms = round(1000 * (time.perf_counter() - t0), 1)
                if not captured:
                    continue
                statement, params = captured[0]
                head, tail = statement.split(") SELECT 'hit'", 1)
                candidates = head.split("AS MATERIALIZED (", 1)[1]
                names = head.split("WITH c (", 1)[1].split(")", 1)[0]
                cte = f"WITH c ({names}) AS MATERIALIZED ({candidates}) "
                no_rank = candidates.replace(rank, "(%s::tsquery IS NULL)::int::float")
                parts = {
                    "candidates, no rank": (
                        f"WITH c ({names}) AS MATERIALIZED ({no_rank}) SELECT count(*) FROM c"
                    ),
                    "candidates with rank": cte + "SELECT count(*) FROM c",
                    "page and total": cte
                    + "SELECT 'hit'"
                    + tail.split(" UNION ALL SELECT 'kind'")[0],
                    "+ five facets": cte
                    + "SELECT 'hit'"
                    + tail.split(" UNION ALL SELECT 'topic'")[0],
                    "+ topic facet (whole statement)": statement,
                }
                row: dict[str, Any] = {
                    "question": text,
                    "filters": filters,
                    "total": results.total,
                    "degraded": results.degraded,
                    "results_page_ms": page_ms,
                    "statements_sent": len(captured),
                }
                row["whole statement, first run"] = timed(statement, params)
                for name, sql in parts.items():
                    row[name] = timed(sql, params)
                rows.append(row)
                row["_sql"] = (statement, params)
            if rows:  # the plan of the type's slowest question
                slowest = max(rows, key=lambda r: r["whole statement, first run"])
                statement, params = slowest["_sql"]
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("SET LOCAL jit = off")
                    cursor.execute("SET LOCAL work_mem = '64MB'")
                    cursor.execute("SET LOCAL statement_timeout = 0")
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
                    plan = "\n".join(r[0] for r in cursor.fetchall())
                plans.append(f"-- {label}: {slowest['question']!r} {slowest['filters']}\n{plan}\n")
                for r in rows:
                    del r["_sql"]
            if rows:
                keys = [k for k in rows[0] if isinstance(rows[0][k], float)]
                out[label] = {
                    "questions": rows,
                    "median_ms": {k: round(statistics.median(r[k] for r in rows), 1) for k in keys},
                }
    finally:
        database.DatabaseBackend._run = original  # type: ignore[method-assign]
    (RESULTS / f"explain-database{suffix}.txt").write_text("\n".join(plans))
    return out


def tune(changes: dict[str, str]) -> None:
    """Other settings of the database backend for this run (nothing is written to the code):
    ``candidates`` (``backends.database.CANDIDATES``); any other name is a PostgreSQL setting
    of every connection (``work_mem=64MB``, ``enable_seqscan=off``)."""
    import re

    from django.db.backends.signals import connection_created

    from cocity.search.backends import database

    if "candidates" in changes:
        database.CANDIDATES = int(changes.pop("candidates"))
    for name, value in changes.items():
        if not re.fullmatch(r"[a-z_]+", name) or not re.fullmatch(r"[A-Za-z0-9]+", value):
            sys.exit(f"--tune: {name}={value}?")

    def session(sender: Any, connection: Any, **kwargs: Any) -> None:
        with connection.cursor() as cursor:
            for name, value in changes.items():
                cursor.execute(f"SET {name} = '{value}'")

    if changes:
        connection_created.connect(session, weak=False)
        connections.close_all()


def machine() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
    memory = Path("/proc/meminfo").read_text().split("\n")[0].split()[1]
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().split("\n")
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(int(memory) / 1024 / 1024, 1),
        "postgresql": version.split(",")[0],
        "shared_buffers": buffers,
        "python": platform.python_version(),
        "load_average_when_saved": os.getloadavg(),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
        ).stdout.strip(),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--writes", type=float, default=1.0, help="index writes a second")
    parser.add_argument("--reuse", action="store_true", help="keep the documents already there")
    parser.add_argument(
        "--phases", default="generate,build-database,build-tantivy,search", help="comma-separated"
    )
    parser.add_argument("--backends", default="database,tantivy", help="for the search phase")
    parser.add_argument("--questions", type=int, default=30_000)
    parser.add_argument("--explain-per-type", type=int, default=5)
    parser.add_argument("--explain-seed", type=int, default=2020, help="another for new questions")
    parser.add_argument(
        "--tune",
        default="",
        help="the database backend otherwise, this run only: candidates=2001,enable_seqscan=off",
    )
    parser.add_argument(
        "--suffix",
        default="",
        help="of the result files: search-1-client.json (--suffix=-1-client)",
    )
    parser.add_argument("--sqlite-file", default=str(Path(settings.COCITY_SEARCH_DIR) / "fts5.db"))
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("DATABASE_URL must name a PostgreSQL database made for the benchmark")
    load = os.getloadavg()
    phases = args.phases.split(",")
    if args.tune:
        tune(dict(item.split("=", 1) for item in args.tune.split(",")))
    RESULTS.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)

    def save(name: str, result: dict[str, Any]) -> None:
        result = {
            "machine": {**machine(), "load_average_at_start": load},
            "command": " ".join(sys.argv),
            "tune": args.tune,
            **result,
        }
        (RESULTS / f"{name}{args.suffix}.json").write_text(json.dumps(result, indent=2) + "\n")
        print(name, json.dumps(result, indent=2), flush=True)

    if "generate" in phases and not args.reuse:
        seconds = generate(args.documents)
        started = time.perf_counter()
        rebuild_facet_counts()
        save(
            "generate",
            {
                "documents": args.documents,
                "generate_seconds": round(seconds, 1),
                "facet_counts_seconds": round(time.perf_counter() - started, 1),
            },
        )
    if "build-database" in phases:
        save("build-database", build_database())
    if "build-tantivy" in phases:
        save("build-tantivy", build_tantivy())
    if "build-sqlite" in phases:
        save("build-sqlite", build_sqlite(Path(args.sqlite_file)))
    if "search" in phases:
        names = args.backends.split(",")
        # Each backend its own questions (same types, same proportions): not even the
        # database's page cache has seen them.
        everything = questions(args.questions * len(names))
        result: dict[str, Any] = {
            "documents": _count(),
            "clients": args.clients,
            "seconds_per_backend": args.seconds,
            "writes_per_second": args.writes,
            "question_types": list(TYPES),
            "statement_timeout_ms": settings.COCITY_SEARCH_STATEMENT_TIMEOUT_MS,
        }
        for position, backend in enumerate(names):
            print(f"searching with {backend}...", flush=True)
            pool = everything[position :: len(names)]
            result[backend] = measure(backend, pool, args.clients, args.seconds, args.writes)
            print(backend, json.dumps(result[backend]["all questions"]), flush=True)
            _cleanup_writes()
        save("search", result)
    if "explain" in phases:
        save("explain-database", explain(args.explain_per_type, args.explain_seed, args.suffix))


def _count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_document")
        return int(cursor.fetchone()[0])


if __name__ == "__main__":
    main()
