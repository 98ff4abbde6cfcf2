"""A city's own data through the guided import (issue 18): the two figures to reach.

    .venv/bin/python benchmarks/insights/city_data.py                  # both parts, SQLite
    .venv/bin/python benchmarks/insights/city_data.py --only large --units 100000
    .venv/bin/python benchmarks/insights/city_data.py --only small --repeats 5
    .venv/bin/python benchmarks/insights/city_data.py \\
        --database postgres://postgres@127.0.0.1:5432/cocity_bench_city
    .venv/bin/python benchmarks/insights/city_data.py --only large --profile   # cProfile

**Large** (target: under 60 s in the background, under 2 GB, the progress bar moving): a
GeoPackage of ``--units`` squares of 100 m in Lambert-93 (EPSG:2154) over Marseille, 400
columns wide, properties ``code`` ("U000001"...) and ``nom``, and a counts file (CSV, or
``--counts xlsx``) of code, name, five groups and total, written in a temporary folder.
``services.import_upload`` and ``services.import_configure`` (new units, a new version of the
city's geography) run in a ``cocity shell`` while a ``cocity db_worker`` (the database task
queue, as deployed) waits; the script reads the job's status, phase and rows every 0.5 s and
the worker's peak resident memory (VmHWM), from the configure call to "done". With
``--profile`` the task runs instead under cProfile in the shell (no worker) and the slowest
functions are printed and written beside the results.

**Small** (target: upload to indices on the page under 5 s): gunicorn with the production
settings (``benchmarks/run.py``'s harness), a ``cocity db_worker`` beside it, an editor of an
organisation of the city signed in; for each of ``--repeats`` new cities of 30 units: GET the
upload form, POST a GeoPackage and a CSV, GET the preview, POST the columns, then as a browser
does: the progress page and its fragment every second (``hx-trigger="every 1s"``) until it says
where the data set is, the data set's page, the city's page with the indices.

Each part, and each of the ``--large-runs`` large imports, has a fresh database: a SQLite file in
the temporary folder, or the PostgreSQL database named by ``--database`` (dropped and created on
its server, dropped at the end). Writes ``benchmarks/results/insights-city-data.json``
(``--label`` adds to the name; every 0.5 s sample is kept) and removes the temporary folder
(kept with ``--profile``: the profile's ``.pstats`` is there). Results and what they mean:
``docs/benchmarks.md``, "Insights: a city's own data (issue 18)".
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("harness", HERE.parent / "run.py")
assert spec and spec.loader
harness = importlib.util.module_from_spec(spec)
spec.loader.exec_module(harness)

LARGE_CITY = "FR-MRS"
GROUPS = ["france", "europe", "africa", "asia", "americas"]
# Marseille in Lambert-93: the grid's south-west corner (metres).
X0, Y0 = 890_000.0, 6_240_000.0

SETUP = """
import json
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
from django.contrib.auth import get_user_model
from cocity.network.models import Organisation, OrganisationMembership, Role, Territory

country = Territory.objects.create(name="France", code="FR", kind="country")
user = get_user_model().objects.create_user(email="data-officer@bench.cocity.localhost")
for n, code in enumerate(%(cities)r):
    city = Territory.objects.create(name=f"City {code}", code=code, kind="city", parent=country)
    org = Organisation.objects.create(
        name=f"Statistics office {code}", slug=f"stats-{code.lower()}", kind="public",
        home_territory=city,
    )
    OrganisationMembership.objects.create(organisation=org, user=user, role=Role.EDITOR)
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(user.pk)
store[BACKEND_SESSION_KEY] = next(
    path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user")
)
store[HASH_SESSION_KEY] = user.get_session_auth_hash()
store.save()
print(json.dumps({"cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}"}))
"""

# Upload and configure as the pages do (services), timed; the task goes to the database queue,
# or with PROFILE runs here under cProfile.
LARGE_IMPORT = """
import cProfile, json, pstats, time
from django.contrib.auth import get_user_model
from django.core.files import File
from cocity.insights import services
from cocity.insights.models import ImportJob
from cocity.network.models import Territory

city = Territory.objects.get(code=%(city)r)
user = get_user_model().objects.get(email="data-officer@bench.cocity.localhost")
out = {}
started = time.time()
with open(%(counts)r, "rb") as counts, open(%(boundaries)r, "rb") as boundaries:
    job = services.import_upload(
        city=city, user=user, counts=File(counts, name=%(counts_name)r),
        boundaries=File(boundaries, name="units.gpkg"),
    )
out["upload_seconds"] = time.time() - started
out["layer"] = {k: job.inspected["layer"].get(k) for k in ("crs", "features", "kind")}
out["configure_at"] = time.time()
services.import_configure(job=job, choice=%(choice)r)
out["configured_at"] = time.time()
out["job"] = job.pk
if %(profile)r:
    profile = cProfile.Profile()
    profile.enable()
    services.import_job_run(job_id=job.pk)
    profile.disable()
    out["done_at"] = time.time()
    profile.dump_stats(%(profile)r)
    job.refresh_from_db()
    out["status"] = job.status
    out["problems"] = job.problem_texts()[:5]
    out["error"] = job.error[:500]
print("RESULT " + json.dumps(out))
"""

JOB_TIMES = """
import json
from cocity.insights.models import ImportJob
jobs = ImportJob.objects.filter(status="done").order_by("pk")
print(json.dumps([(j.finished_at - j.started_at).total_seconds() for j in jobs]))
"""


def grid(units: int, width: int, size: float) -> tuple[np.ndarray, np.ndarray]:
    """South-west corners of ``units`` squares, ``width`` per row, from (X0, Y0)."""
    i = np.arange(units)
    return X0 + (i % width) * size, Y0 + (i // width) * size


def write_geopackage(path: Path, codes: list[str], names: list[str], width: int, size: float):
    import pyogrio.raw
    import shapely

    x, y = grid(len(codes), width, size)
    squares = shapely.box(x, y, x + size, y + size)
    pyogrio.raw.write(
        str(path),
        geometry=shapely.to_wkb(squares),
        field_data=[np.array(codes, dtype=object), np.array(names, dtype=object)],
        fields=["code", "nom"],
        geometry_type="Polygon",
        crs="EPSG:2154",
        driver="GPKG",
    )


def counts_table(units: int, groups: int, seed: int) -> np.ndarray:
    """Counts with some spatial pattern (group shares drift along the grid) and a total a little
    above their sum (people who did not answer)."""
    rng = np.random.default_rng(seed)
    position = np.linspace(0, 1, units)
    weights = np.column_stack(
        [1 + np.sin(np.pi * (position * (k + 1) + k / groups)) ** 2 for k in range(groups)]
    )
    people = rng.integers(50, 400, size=units)
    shares = weights / weights.sum(axis=1, keepdims=True)
    counts = rng.binomial(people[:, None], shares)
    return np.column_stack([counts, counts.sum(axis=1) + rng.integers(0, 10, size=units)])


def write_counts(path: Path, codes: list[str], names: list[str], table: np.ndarray) -> None:
    header = ["code", "nom", *GROUPS[: table.shape[1] - 1], "total"]
    if path.suffix == ".xlsx":
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("counts")
        sheet.append(header)
        for code, name, row in zip(codes, names, table.tolist(), strict=True):
            sheet.append([code, name, *row])
        book.save(path)
        return
    with path.open("w", encoding="utf-8") as out:
        out.write(",".join(header) + "\n")
        for code, name, row in zip(codes, names, table.tolist(), strict=True):
            out.write(f"{code},{name}," + ",".join(map(str, row)) + "\n")


def write_city(folder: Path, units: int, *, width: int, size: float, counts: str, seed: int):
    folder.mkdir(parents=True, exist_ok=True)
    codes = [f"U{i:06d}" for i in range(1, units + 1)]
    names = [f"Unit {i}" for i in range(1, units + 1)]
    boundaries, counts_path = folder / "units.gpkg", folder / f"counts.{counts}"
    write_geopackage(boundaries, codes, names, width, size)
    write_counts(counts_path, codes, names, counts_table(units, len(GROUPS), seed))
    return boundaries, counts_path


def choice(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "source": "Benchmark",
        "year": 2021,
        "code_column": "code",
        "name_column": "nom",
        "total_column": "total",
        "groups": [{"column": g, "label": g.capitalize()} for g in GROUPS],
        "units": "new",
        "geography_name": "Census units",
        "geography_version": "2021",
        "code_property": "code",
        "name_property": "nom",
    }


# --------------------------------------------------------------------------- the database


def database_setup(args: argparse.Namespace, work: Path) -> tuple[str, Any]:
    """The app's DATABASE_URL and a function reading the newest import job's state."""
    if not args.database:
        path = work / "bench.sqlite3"

        def state_sqlite() -> tuple[int, str, str, int, int] | None:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as conn:
                row = conn.execute(
                    "SELECT id, status, phase, rows_done, rows_total FROM insights_importjob "
                    "ORDER BY id DESC LIMIT 1"
                ).fetchone()
            return None if row is None else tuple(row)

        return f"sqlite:///{path}", state_sqlite
    bits = urlsplit(args.database)
    name = bits.path.lstrip("/")
    admin = urlunsplit(("postgresql", bits.netloc, "/postgres", "", ""))
    harness.pg(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    harness.pg(admin, f'CREATE DATABASE "{name}"')
    url = urlunsplit(("postgresql", bits.netloc, f"/{name}", "", ""))

    def state_pg() -> tuple[int, str, str, int, int] | None:
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            row = conn.execute(
                "SELECT id, status, phase, rows_done, rows_total FROM insights_importjob "
                "ORDER BY id DESC LIMIT 1"
            ).fetchone()
        return None if row is None else tuple(row)

    return urlunsplit(("postgres", bits.netloc, f"/{name}", "", "")), state_pg


def live_progress(redis_url: str, job_id: int) -> dict[str, Any] | None:
    """How far the import's last transaction has written, as its page reads it while the job
    runs (``selectors.import_live``): the cache entry django-redis keeps pickled under
    ``:1:<key>``. None without Redis (each process's own cache: the page shows the phase)."""
    if not redis_url:
        return None
    import pickle

    import redis

    value = redis.Redis.from_url(redis_url).get(f":1:insights:import-progress:{job_id}")
    return pickle.loads(value) if value else None  # noqa: S301 (our own worker's entry)


@contextmanager
def db_worker(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``cocity db_worker`` as deployed (polls the queue every second when idle)."""
    with log.open("wb") as out:
        worker = subprocess.Popen(
            [str(harness.BIN / "cocity"), "db_worker", "--no-startup-delay", "-v1"],
            env=env,
            cwd=harness.REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            time.sleep(3)  # its Django loaded, polling
            yield worker
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()


def rss_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of ``pid`` in MB."""
    values = {"VmRSS:": 0, "VmHWM:": 0}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key = line.split(":")[0] + ":"
            if key in values:
                values[key] = int(line.split()[1])
    except FileNotFoundError:
        pass
    return round(values["VmRSS:"] / 1024, 1), round(values["VmHWM:"] / 1024, 1)


# --------------------------------------------------------------------------- 100,000 units


def run_large(args: argparse.Namespace, env: dict[str, str], work: Path, state: Any) -> dict:
    started = time.perf_counter()
    boundaries, counts = write_city(
        work / "large", args.units, width=400, size=100.0, counts=args.counts, seed=1
    )
    report: dict[str, Any] = {
        "units": args.units,
        "groups": len(GROUPS),
        "counts_format": args.counts,
        "geopackage_mb": round(boundaries.stat().st_size / 1e6, 1),
        "counts_mb": round(counts.stat().st_size / 1e6, 1),
        "files_written_seconds": round(time.perf_counter() - started, 1),
    }
    print(
        f"== {args.units} units: {report['geopackage_mb']} MB GeoPackage, "
        f"{report['counts_mb']} MB {args.counts}"
    )
    profile_path = work / "import.pstats" if args.profile else ""
    snippet = LARGE_IMPORT % {
        "city": LARGE_CITY,
        "counts": str(counts),
        "counts_name": counts.name,
        "boundaries": str(boundaries),
        "choice": choice("Residents by birthplace (100,000 units)"),
        "profile": str(profile_path),
    }
    cocity = str(harness.BIN / "cocity")
    if args.profile:
        shell = subprocess.Popen(
            [cocity, "shell", "-c", snippet],
            env=env,
            cwd=harness.REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        peak = 0.0
        while shell.poll() is None:
            peak = max(peak, rss_mb(shell.pid)[1])
            time.sleep(0.5)
        out = json.loads(shell.stdout.read().split("RESULT ", 1)[1])  # type: ignore[union-attr]
        report["profiled"] = {
            "upload_seconds": round(out["upload_seconds"], 2),
            "configure_seconds": round(out["configured_at"] - out["configure_at"], 2),
            "run_seconds_under_cprofile": round(out["done_at"] - out["configured_at"], 1),
            "status": out["status"],
            "problems": out["problems"],
            "error": out["error"],
            "peak_rss_mb": peak,
            "top": top_functions(profile_path),
        }
        print(json.dumps(report["profiled"], indent=2))
        print(f"== the profile: {profile_path} (python -m pstats)")
        return report
    newest = state()
    before = newest[0] if newest else 0  # the small cities' imports
    with db_worker(env, work / "worker-large.log") as worker:
        shell = subprocess.Popen(
            [cocity, "shell", "-c", snippet],
            env=env,
            cwd=harness.REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        samples: list[dict[str, Any]] = []
        current = None
        while worker.poll() is None:  # from the upload on; kept: from the configure call
            now = time.time()
            newest = state()
            current = newest[1:] if newest and newest[0] > before else None
            rss, _peak = rss_mb(worker.pid)
            rows_done, rows_total = (current[2], current[3]) if current else (0, 0)
            live = live_progress(env.get("REDIS_URL", ""), newest[0]) if current else None
            if live and current and current[0] == "running" and live.get("phase") == current[1]:
                rows_done, rows_total = live["rows_done"], live["rows_total"]  # as the page reads
            samples.append(
                {
                    "t": now,
                    "status": current[0] if current else "",
                    "phase": current[1] if current else "",
                    "rows_done": rows_done,
                    "rows_total": rows_total,
                    "rss_mb": rss,
                }
            )
            if current and current[0] in ("done", "failed"):
                break
            if shell.poll() not in (None, 0) or time.perf_counter() - started > args.timeout:
                break
            time.sleep(0.5)
        output, _ = shell.communicate()
        assert shell.returncode == 0, output
        out = json.loads(output.split("RESULT ", 1)[1])
        samples = [
            {**s, "t": round(s["t"] - out["configure_at"], 2)}
            for s in samples
            if s["t"] >= out["configure_at"]
        ]
        _rss, peak = rss_mb(worker.pid)
    report.update(
        {
            "upload_seconds": round(out["upload_seconds"], 2),
            "layer": out["layer"],
            "configure_seconds": round(out["configured_at"] - out["configure_at"], 2),
            "configure_to_done_seconds": samples[-1]["t"] if samples else None,
            "status": current[0] if current else None,
            "worker_peak_rss_mb": peak,
            "phase_seconds": phases(samples),
            "progress_values": sorted(
                {(s["phase"], s["rows_done"]) for s in samples if s["status"] == "running"}
            ),
            "samples": samples,
        }
    )
    report["progress_distinct_values"] = len(report["progress_values"])
    print(
        f"== large: configure -> {report['status']} in {report['configure_to_done_seconds']} s, "
        f"worker peak {peak} MB, phases {report['phase_seconds']}, "
        f"{report['progress_distinct_values']} distinct progress values"
    )
    return report


def phases(samples: list[dict[str, Any]]) -> dict[str, float]:
    """Seconds in each status/phase, from the first sample that saw it to the next one's."""
    marks: list[tuple[str, float]] = []
    for sample in samples:
        key = sample["phase"] if sample["status"] == "running" else sample["status"]
        if not marks or marks[-1][0] != key:
            marks.append((key, sample["t"]))
    end = samples[-1]["t"] if samples else 0.0
    out: dict[str, float] = {}
    for i, (key, at) in enumerate(marks):
        until = marks[i + 1][1] if i + 1 < len(marks) else end
        out[key] = round(out.get(key, 0.0) + until - at, 1)
    return out


def top_functions(path: Path | str, limit: int = 30) -> list[dict[str, Any]]:
    import pstats

    stats = pstats.Stats(str(path))
    rows = []
    for (filename, line, name), (_cc, calls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        where = filename.split("site-packages/")[-1].split("src/")[-1]
        rows.append(
            {
                "function": f"{where}:{line}({name})",
                "calls": calls,
                "own_s": round(tottime, 2),
                "cumulative_s": round(cumtime, 2),
            }
        )
    rows.sort(key=lambda r: -r["cumulative_s"])
    return rows[:limit]


# --------------------------------------------------------------------------- 30 units, the pages


class Browser:
    """Just enough of a browser on http.client: cookies, timing, CSRF tokens."""

    def __init__(self, base: str, cookie: str):
        self.where = urlsplit(base)
        self.host = self.where.hostname or "127.0.0.1"
        name, value = cookie.split("=", 1)
        self.cookies = {name: value}

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes, float]:
        headers = headers or {}
        conn = http.client.HTTPConnection(self.host, self.where.port, timeout=120)
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        conn.request(method, path, body=body, headers={"Cookie": cookie, **headers})
        response = conn.getresponse()
        content = response.read()
        elapsed = time.perf_counter() - started
        for line in response.headers.get_all("Set-Cookie") or []:
            name, value = line.split(";")[0].split("=", 1)
            self.cookies[name] = value
        found = {k.lower(): v for k, v in response.headers.items()}
        conn.close()
        return response.status, found, content, elapsed

    def token(self, content: bytes) -> str:
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        assert found, content[:3000]
        return found.group(1).decode()


def form_body(fields: list[tuple[str, str]], files: list[tuple[str, Path]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields
    ]
    for name, path in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{path.name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + path.read_bytes()
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def urlencoded(fields: list[tuple[str, str]]) -> tuple[bytes, str]:
    from urllib.parse import urlencode

    return urlencode(fields).encode(), "application/x-www-form-urlencoded"


def small_import(browser: Browser, city: str, folder: Path) -> dict[str, Any]:
    """One city of 30 units, from the upload form to its page with the indices."""
    boundaries, counts = write_city(folder, 30, width=6, size=500.0, counts="csv", seed=7)
    steps: dict[str, float] = {}
    status, _h, content, steps["get upload form"] = browser.request(
        "GET", f"/insights/{city}/datasets/new/"
    )
    assert status == 200, (status, content[:2000])
    body, kind = form_body(
        [("csrfmiddlewaretoken", browser.token(content))],
        [("counts", counts), ("boundaries", boundaries)],
    )
    started = time.perf_counter()
    status, headers, content, steps["POST files"] = browser.request(
        "POST", f"/insights/{city}/datasets/new/", body, {"Content-Type": kind}
    )
    assert status == 302, (status, content[:3000])
    preview = headers["location"]
    status, _h, content, steps["GET preview"] = browser.request("GET", preview)
    assert status == 200, (status, content[:2000])
    columns = re.findall(rb'name="label_(\d+)"[^>]*', content)
    labels = {int(i) for i in columns}
    header = ["code", "nom", *GROUPS, "total"]
    fields = [
        ("csrfmiddlewaretoken", browser.token(content)),
        ("name", "Residents by birthplace"),
        ("source", "Benchmark"),
        ("year", "2021"),
        ("code_column", "code"),
        ("name_column", "nom"),
        ("total_column", "total"),
        ("units", "new"),
        ("geography_name", "Census units"),
        ("geography_version", "2021"),
        ("code_property", "code"),
        ("name_property", "nom"),
    ]
    for i, column in enumerate(header):
        assert i in labels, f"no label field for column {i}"
        if column in GROUPS:
            fields += [(f"group_{i}", "on"), (f"label_{i}", column.capitalize())]
    body, kind = urlencoded(fields)
    status, headers, content, steps["POST columns"] = browser.request(
        "POST", preview, body, {"Content-Type": kind}
    )
    assert status == 302, (status, content[:3000])
    progress = headers["location"]
    status, headers, content, steps["GET progress page"] = browser.request("GET", progress)
    polls, waited = 0, 0.0
    dataset = headers.get("location") if status == 302 else None
    poll_started = time.perf_counter()
    while dataset is None:  # htmx: the fragment every second until it says where to go
        assert status in (200, 204), (status, content[:2000])
        time.sleep(1.0)
        status, headers, content, _took = browser.request(
            "GET", progress, headers={"HX-Request": "true"}
        )
        polls += 1
        dataset = headers.get("hx-redirect")
        assert time.perf_counter() - poll_started < 120, "the import did not finish in 2 minutes"
    waited = time.perf_counter() - poll_started
    steps["waiting for the import (polls every 1 s)"] = waited
    status, _h, content, steps["GET data set page"] = browser.request("GET", dataset)
    assert status == 200, (status, content[:2000])
    status, _h, content, steps["GET city page"] = browser.request("GET", f"/insights/{city}/")
    assert status == 200, (status, content[:2000])
    assert b"issimilarity" in content or b"dissimilarit" in content.lower(), content[:2000]
    total = time.perf_counter() - started
    return {
        "city": city,
        "steps": {k: round(v, 3) for k, v in steps.items()},
        "polls": polls,
        "total_seconds": round(total, 3),
        "requests_seconds": round(total - waited, 3),
    }


def run_small(
    args: argparse.Namespace, env: dict[str, str], work: Path, cookie: str, cities: list[str]
) -> dict[str, Any]:
    args.connections = 1
    runs: list[dict[str, Any]] = []
    with (
        harness.serving(env, args, "insights-city-data-server.log", migrate=False) as served,
        db_worker(env, work / "worker-small.log") as worker,
    ):
        base, server = served
        browser = Browser(base, cookie)
        for _warm_up in range(2 * args.workers):  # each process has served a page once
            browser.request("GET", f"/insights/{cities[0]}/")
        for n, city in enumerate(cities):
            run = small_import(browser, city, work / f"small-{n}")
            runs.append(run)
            print(
                f"== small {city}: {run['total_seconds']} s ({run['polls']} polls) {run['steps']}"
            )
        server_peak = harness.peak_rss_mb(harness.worker_pids(server.pid))
        worker_peak = rss_mb(worker.pid)[1]
    out = harness.sh(str(harness.BIN / "cocity"), "shell", "-c", JOB_TIMES, env=env, capture=True)
    task_seconds = json.loads(out.strip().splitlines()[-1])
    totals = [r["total_seconds"] for r in runs]
    steps = {
        step: {
            "median": round(statistics.median(r["steps"][step] for r in runs), 3),
            "max": round(max(r["steps"][step] for r in runs), 3),
        }
        for step in runs[0]["steps"]
    }
    return {
        "units": 30,
        "repeats": len(runs),
        "total_seconds": {"median": round(statistics.median(totals), 3), "max": max(totals)},
        "requests_only_seconds": {
            "median": round(statistics.median(r["requests_seconds"] for r in runs), 3),
            "max": max(r["requests_seconds"] for r in runs),
        },
        "steps": steps,
        "task_seconds": summary(task_seconds),  # the worker's import_job_run, start to done
        "server_peak_rss_mb": server_peak,
        "worker_peak_rss_mb": worker_peak,
        "runs": runs,
    }


# --------------------------------------------------------------------------- main


def fresh(args: argparse.Namespace, work: Path, cities: list[str]) -> tuple[dict, Any, str]:
    """A fresh database (SQLite file in ``work``, or the PostgreSQL database dropped and
    created), migrated, with the cities, their editor and her session: (env, state, cookie)."""
    work.mkdir(parents=True, exist_ok=True)
    database_url, state = database_setup(args, work)
    redis = (
        harness.redis_url().rsplit("/", 1)[0] + f"/{args.redis_db}" if harness.redis_url() else ""
    )
    env = harness.app_env(
        database_url, work / "data", COCITY_TASKS="database", REDIS_URL=redis, LOG_LEVEL="WARNING"
    )
    cocity = str(harness.BIN / "cocity")
    harness.sh(cocity, "migrate", "--noinput", "--skip-checks", "-v0", env=env)
    out = harness.sh(cocity, "shell", "-c", SETUP % {"cities": cities}, env=env, capture=True)
    return env, state, json.loads(out.strip().splitlines()[-1])["cookie"]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), 2),
        "min": round(min(values), 2),
        "max": round(max(values), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["large", "small"], default="")
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--counts", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--repeats", type=int, default=5, help="small imports (one city each)")
    parser.add_argument("--large-runs", type=int, default=3, help="large imports (fresh database)")
    parser.add_argument("--database", default="", help="postgres://... (default: SQLite file)")
    parser.add_argument("--profile", action="store_true", help="the large import under cProfile")
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--workers", type=int, default=harness.DEFAULT_WORKERS)
    parser.add_argument("--worker-threads", type=int, default=harness.DEFAULT_WORKER_THREADS)
    parser.add_argument("--redis-db", type=int, default=8)
    parser.add_argument("--label", default="", help="added to the result file's name")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="cocity-bench-city-data-"))
    report: dict[str, Any] = {
        "database": "postgresql" if args.database else "sqlite",
        "cores": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }
    if args.only in ("", "small") and not args.profile:
        cities = [f"FR-B{n:02d}" for n in range(1, args.repeats + 1)]
        env, _state, cookie = fresh(args, root / "small", cities)
        report["small"] = run_small(args, env, root / "small", cookie, cities)
    if args.only in ("", "large"):
        runs = []
        for n in range(1 if args.profile else args.large_runs):
            env, state, _cookie = fresh(args, root / f"large-{n}", [LARGE_CITY])
            run = run_large(args, env, root / f"large-{n}", state)
            run["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
            runs.append(run)
        report["large"] = runs[0] if args.profile else {"runs": runs}
        if not args.profile:
            done = [r for r in runs if r.get("configure_to_done_seconds") is not None]
            phase_names = {name for r in done for name in r["phase_seconds"]}
            report["large"]["summary"] = {
                "configure_to_done_seconds": summary(
                    [r["configure_to_done_seconds"] for r in done]
                ),
                "worker_peak_rss_mb": summary([r["worker_peak_rss_mb"] for r in done]),
                "phase_seconds": {
                    name: summary([r["phase_seconds"].get(name, 0.0) for r in done])
                    for name in sorted(phase_names)
                },
                "progress_distinct_values": summary([r["progress_distinct_values"] for r in done]),
            }
    report["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    if args.database:
        bits = urlsplit(args.database)
        admin = urlunsplit(("postgresql", bits.netloc, "/postgres", "", ""))
        harness.pg(admin, f'DROP DATABASE IF EXISTS "{bits.path.lstrip("/")}" WITH (FORCE)')
    if not args.profile:
        shutil.rmtree(root, ignore_errors=True)
    harness.RESULTS.mkdir(exist_ok=True)
    name = "insights-city-data" + (f"-{args.label}" if args.label else "")
    (harness.RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2))
    brief = {k: v for k, v in report.items() if k not in ("small", "large")}
    if "small" in report:
        brief["small"] = {k: v for k, v in report["small"].items() if k != "runs"}
    if "large" in report:
        brief["large"] = report["large"].get("summary") or report["large"].get("profiled")
    print(json.dumps(brief, indent=2))


if __name__ == "__main__":
    main()
