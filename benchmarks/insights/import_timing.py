"""A large counts file through the guided import's pages: how long each request holds a web
worker (the target: under 5 s for a signed-in person, issue 15) and how long the background
task takes to check and write it, phase by phase. Reuses the harness (``benchmarks/run.py``:
database helpers, gunicorn with the production settings).

    .venv/bin/python benchmarks/insights/import_timing.py                 # 1,000,000 rows
    .venv/bin/python benchmarks/insights/import_timing.py --rows 100000 --bad 25

Steps: a fresh PostgreSQL database (``--database``, on the server of ``DATABASE_URL``, default
postgres://postgres@127.0.0.1:5432/), migrated; a city with ``--rows`` neighbourhoods (one
``INSERT ... SELECT generate_series``) and a staff member signed in; a counts file of
``--rows`` rows (code, three groups, total; ``--bad`` of them with an unknown code) written to
disk; gunicorn (production settings, the database task queue); then the guided import's
steps, each request timed from the first byte sent to the answer: the upload page, the POST of
the file (read only as far as its head: a redirect to the import's page), the import's page
(the preview and the columns), the POST of the columns (the places already in the tree, three
groups and the total: a redirect back to the import's page, the import queued). Then
``cocity db_worker --batch`` runs the queued check and import while this script reads the job's
phase every 0.2 s and the progress fragment every second (as the page's htmx does); the time
until the data set is ready is the two POSTs' and the worker's. Prints and writes
``benchmarks/results/insights-import.json``.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import json
import os
import random
import re
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("harness", HERE.parent / "run.py")
assert spec and spec.loader
harness = importlib.util.module_from_spec(spec)
spec.loader.exec_module(harness)

CITY = "ZZ-BEN"

SETUP = """
import json
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
from django.contrib.auth import get_user_model
from django.db import connection
from cocity.network.models import Territory

country = Territory.objects.create(name="Benchland", code="ZZ", kind="country")
city = Territory.objects.create(name="Bench City", code="%(city)s", kind="city", parent=country)
with connection.cursor() as cursor:
    cursor.execute(
        "INSERT INTO network_territory "
        "(name, code, kind, parent_id, path, depth, boundary_approximate) "
        "SELECT 'Area ' || i, %%s || lpad(i::text, 7, '0'), 'neighbourhood', %%s, "
        "%%s || lpad(i::text, 7, '0') || '/', 2, false FROM generate_series(1, %%s) AS i",
        ["%(city)s-", city.pk, city.path + "%(city)s-", %(rows)d],
    )
user = get_user_model().objects.create_user(email="importer@bench.cocity.localhost", is_staff=True)
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(user.pk)
store[BACKEND_SESSION_KEY] = next(
    path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user")
)
store[HASH_SESSION_KEY] = user.get_session_auth_hash()
store.save()
print(json.dumps({"cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}"}))
"""


def write_counts(path: Path, rows: int, bad: int, seed: int = 1) -> int:
    """code,a,b,c,total with ``bad`` unknown codes spread through the file; its size."""
    rng = random.Random(seed)
    every = rows // bad if bad else 0
    with path.open("w") as out:
        out.write("code,a,b,c,total\n")
        for i in range(1, rows + 1):
            a, b, c = rng.randrange(500), rng.randrange(500), rng.randrange(500)
            code = f"{CITY}-{i:07d}" if not every or i % every else f"XX-NOPE-{i}"
            out.write(f"{code},{a},{b},{c},{a + b + c + rng.randrange(100)}\n")
    return path.stat().st_size


def multipart(fields: dict[str, str], name: str, path: Path) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
        f'filename="{path.name}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
        + path.read_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def choice_fields(page: bytes, csrf: str) -> dict[str, str]:
    """The columns form of the import's page (``ImportChoiceForm``), filled for the file of
    ``write_counts``: its codes are places already in the tree, a, b and c the groups (their
    ``group_<i>``/``label_<i>`` fields numbered by the file's columns, read from the page)."""
    columns = [c.decode() for c in re.findall(rb'<th scope="col">([^<]*)</th>', page)]
    header = ["code", "a", "b", "c", "total"]
    at = columns.index("code")  # the preview's header: "Line", then the file's columns
    assert columns[at : at + len(header)] == header, columns
    fields = {
        "csrfmiddlewaretoken": csrf,
        "name": "Residents by place of birth",
        "source": "benchmark",
        "year": "2024",
        "code_column": "code",
        "name_column": "",
        "total_column": "total",
        "units": "places",
    }
    for i, column in enumerate(header):
        if column in ("a", "b", "c"):
            assert f'name="group_{i}"'.encode() in page, f"no group_{i} on the page"
            fields[f"group_{i}"] = "on"
            fields[f"label_{i}"] = f"Group {column.upper()}"
    return fields


def csrf_token(page: bytes) -> str:
    found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1).decode()


def request(
    base: str, method: str, path: str, headers: dict[str, str], body: bytes | None = None
) -> tuple[http.client.HTTPResponse, bytes, float]:
    where = urlsplit(base)
    conn = http.client.HTTPConnection(where.hostname or "127.0.0.1", where.port, timeout=600)
    started = time.perf_counter()
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    content = response.read()
    elapsed = time.perf_counter() - started
    conn.close()
    return response, content, elapsed


def job_state(database_url: str) -> tuple[str, str, int, int] | None:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        try:
            row = conn.execute(
                "SELECT status, phase, rows_done, rows_total FROM insights_importjob "
                "ORDER BY id DESC LIMIT 1"
            ).fetchone()
        except psycopg.errors.UndefinedColumn:  # before the import had phases
            row = conn.execute(
                "SELECT status, '', rows_done, rows_total FROM insights_importjob "
                "ORDER BY id DESC LIMIT 1"
            ).fetchone()
    return None if row is None else (row[0], row[1], row[2], row[3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--bad", type=int, default=0, help="rows with an unknown code")
    parser.add_argument("--database", default="cocity_bench_import")
    parser.add_argument("--workers", type=int, default=harness.DEFAULT_WORKERS)
    parser.add_argument("--worker-threads", type=int, default=harness.DEFAULT_WORKER_THREADS)
    parser.add_argument("--request-only", action="store_true", help="no worker run")
    parser.add_argument("--redis-db", type=int, default=7)
    parser.add_argument("--label", default="", help="added to the result file's name")
    args = parser.parse_args()
    args.connections = 1
    admin_url, database_url = harness.database_urls(
        os.environ.get("DATABASE_URL", ""), args.database
    )
    work = Path(tempfile.mkdtemp(prefix="cocity-bench-import-"))
    # A Redis database of its own (sessions live there): the tests flush the high numbers.
    redis = (
        harness.redis_url().rsplit("/", 1)[0] + f"/{args.redis_db}" if harness.redis_url() else ""
    )
    env = harness.app_env(database_url, work, COCITY_TASKS="database", REDIS_URL=redis)
    load_before = os.getloadavg()
    harness.pg(admin_url, f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    harness.pg(admin_url, f'CREATE DATABASE "{args.database}"')
    cocity = str(harness.BIN / "cocity")
    harness.sh(cocity, "migrate", "--noinput", "--skip-checks", "-v0", env=env)
    started = time.perf_counter()
    setup = SETUP % {"city": CITY, "rows": args.rows}
    out = harness.sh(cocity, "shell", "-c", setup, env=env, capture=True)
    cookie = json.loads(out.strip().splitlines()[-1])["cookie"]
    counts = work / "counts.csv"
    size = write_counts(counts, args.rows, args.bad)
    took = time.perf_counter() - started
    print(f"== {args.rows} areas and a {size / 1e6:.1f} MB file in {took:.0f} s")
    report: dict[str, Any] = {
        "rows": args.rows,
        "bad_rows": args.bad,
        "file_mb": round(size / 1e6, 1),
    }
    with harness.serving(env, args, "insights-import-server.log", migrate=False) as (base, server):
        form = f"/insights/{CITY}/datasets/new/"
        response, content, took = request(base, "GET", form, {"Cookie": cookie})
        assert response.status == 200, (response.status, content[:2000])
        report["upload_page_seconds"] = round(took, 2)
        set_cookies = response.headers.get_all("Set-Cookie") or []
        csrf_cookie = next(c.split(";")[0] for c in set_cookies if "csrftoken" in c)
        cookies = f"{cookie}; {csrf_cookie}"
        body, content_type = multipart(
            {"csrfmiddlewaretoken": csrf_token(content)}, "counts", counts
        )
        headers = {"Cookie": cookies, "Content-Type": content_type}
        started = time.perf_counter()
        try:
            response, content, elapsed = request(base, "POST", form, headers, body)
        except (http.client.HTTPException, OSError) as error:  # gunicorn's timeout (30 s)
            report["request_seconds"] = round(time.perf_counter() - started, 2)
            report["request_error"] = repr(error)
            print(f"== POST {size / 1e6:.1f} MB: {error!r} after {report['request_seconds']} s")
            args.request_only = True
            write(report, args, load_before)
            return
        location = response.getheader("Location", "")
        print(f"== POST {size / 1e6:.1f} MB: {response.status} in {elapsed:.2f} s -> {location}")
        assert response.status == 302, content[:2000]
        assert re.search(r"/insights/imports/\d+/$", location), location
        report["request_seconds"] = round(elapsed, 2)  # the upload: the file's head read
        report["request_status"] = response.status
        response, content, took = request(base, "GET", location, {"Cookie": cookies})
        assert response.status == 200, (response.status, content[:2000])
        report["import_page_seconds"] = round(took, 2)  # the preview and the columns
        body = urlencode(choice_fields(content, csrf_token(content))).encode()
        headers = {"Cookie": cookies, "Content-Type": "application/x-www-form-urlencoded"}
        response, content, took = request(base, "POST", location, headers, body)
        print(f"== POST the columns: {response.status} in {took:.2f} s")
        assert response.status == 302 and response.getheader("Location") == location, (
            response.status,
            content[:3000],
        )
        report["choice_seconds"] = round(took, 2)  # the choice checked, the import queued
        report["server_peak_rss_mb"] = harness.peak_rss_mb(harness.worker_pids(server.pid))
        report["job_after_request"] = job_state(database_url)
        for _warm_up in range(2 * args.workers):  # every process has served the fragment once
            request(base, "GET", location, {"Cookie": cookie, "HX-Request": "true"})
        if not args.request_only:
            report.update(run_worker(cocity, env, database_url, base, location, cookie))
            # until the data set is ready (or, with --bad, until its problems are listed)
            report["until_done_seconds"] = round(
                report["request_seconds"] + report["choice_seconds"] + report["background_seconds"],
                1,
            )
            response, content, took = request(base, "GET", location, {"Cookie": cookie})
            if response.status == 302:  # done: the import's page sends on to the data set
                response, content, took = request(
                    base, "GET", response.getheader("Location", ""), {"Cookie": cookie}
                )
                assert response.status == 200, (response.status, content[:2000])
                report["data_set_page_after_seconds"] = round(took, 2)
            else:  # failed: the import's page lists the problems
                assert response.status == 200, (response.status, content[:2000])
                report["problems_page_after_seconds"] = round(took, 2)
    write(report, args, load_before)


def write(report: dict[str, Any], args: argparse.Namespace, load_before: tuple[float, ...]) -> None:
    report["load_average_before"] = [round(x, 2) for x in load_before]
    report["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    report["cores"] = os.cpu_count()
    harness.RESULTS.mkdir(exist_ok=True)
    name = "insights-import" + (f"-{args.rows}" if args.rows != 1_000_000 else "")
    name += f"-{args.label}" if args.label else ""
    (harness.RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))


def run_worker(
    cocity: str, env: dict[str, str], database_url: str, base: str, page: str, cookie: str
) -> dict[str, Any]:
    """``db_worker --batch``, timed, with its phases and peak memory; the progress fragment's
    slowest answer meanwhile."""
    phases: dict[str, float] = {}
    pages: list[float] = []
    peak = 0.0
    started = time.perf_counter()
    worker = subprocess.Popen(
        [cocity, "db_worker", "--batch", "--no-startup-delay", "-v0"], env=env, cwd=harness.REPO
    )
    next_page = started
    while worker.poll() is None:
        state = job_state(database_url)
        if state is not None:
            key = state[1] if state[0] == "running" else state[0]
            phases.setdefault(key, time.perf_counter() - started)
        peak = max(peak, harness.peak_rss_mb([worker.pid]))
        if time.perf_counter() >= next_page:
            _response, _content, took = request(
                base, "GET", page, {"Cookie": cookie, "HX-Request": "true"}
            )
            pages.append(took)
            next_page = time.perf_counter() + 1.0
        time.sleep(0.2)
    total = time.perf_counter() - started
    state = job_state(database_url)
    phases.setdefault(state[0] if state else "gone", total)
    marks = sorted(phases.items(), key=lambda item: item[1])
    durations = {
        name: round((marks[i + 1][1] if i + 1 < len(marks) else total) - at, 1)
        for i, (name, at) in enumerate(marks)
    }
    print(f"== worker: {total:.1f} s, phases from their first sight: {durations}")
    return {
        "background_seconds": round(total, 1),
        "phase_seconds": durations,
        "job_at_end": state,
        "worker_exit": worker.returncode,
        "worker_peak_rss_mb": peak,
        "progress_fragment_seconds": {
            "answers": len(pages),
            "median": round(sorted(pages)[len(pages) // 2], 3) if pages else None,
            "slowest": round(max(pages), 3) if pages else None,
        },
    }


if __name__ == "__main__":
    main()
