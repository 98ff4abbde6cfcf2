"""Load benchmark: generated data in PostgreSQL, gunicorn with the production settings, wrk.

    make bench                      # scale 1.0, 50 connections, 20 s per page
    make bench BENCH_ARGS="--scale 0.1 --duration 5"
    .venv/bin/python benchmarks/run.py --reuse   # keep the database generated last time

Steps: (re)create the database ``cocity_bench`` (``--database``) on the PostgreSQL server of
``DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/), migrate, fill it with
``benchmarks/generate.py``, collect static files, start gunicorn (production settings, HTTPS
redirect off since wrk speaks plain HTTP on the loopback, Redis cache when Redis answers), then
for each page: a warm-up, and wrk with 50 connections for ``--duration`` seconds; with
``--signed-in``, every page again as a signed-in person (whom the page cache never serves). Reports
requests/s and p50/p95/p99 per page, the peak resident memory of the busiest app process, and
writes ``benchmarks/results/<stamp>.{md,json}`` (and ``latest.*``).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results"
BIN = Path(sys.executable).parent


def sh(*args: str, env: dict[str, str] | None = None, capture: bool = False) -> str:
    result = subprocess.run(
        list(args), env=env, cwd=REPO, check=True, text=True, capture_output=capture
    )
    return result.stdout if capture else ""


def database_urls(base: str, name: str) -> tuple[str, str]:
    bits = urlsplit(base or "postgres://postgres@127.0.0.1:5432/postgres")
    if bits.scheme not in ("postgres", "postgresql"):
        raise SystemExit("The benchmark runs on PostgreSQL: set DATABASE_URL to a postgres:// URL.")
    admin = urlunsplit(("postgresql", bits.netloc, "/postgres", "", ""))
    return admin, urlunsplit(("postgres", bits.netloc, f"/{name}", "", ""))


def pg(admin_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[call-overload]


def redis_url() -> str:
    if shutil.which("redis-cli") is None:
        return ""
    ok = subprocess.run(
        ["redis-cli", "-h", "127.0.0.1", "ping"], capture_output=True, text=True, check=False
    )
    return "redis://127.0.0.1:6379/14" if ok.stdout.strip() == "PONG" else ""


def wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped; see benchmarks/results/gunicorn.log")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer in time")


def worker_pids(master: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True, check=False
    ).stdout
    return [int(pid) for pid in out.split()]


def peak_rss_mb(pids: list[int]) -> float:
    """The highest peak resident set size (VmHWM) among these processes, in MB."""
    peak = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except FileNotFoundError:
            continue
    return round(peak / 1024, 1)


SESSION_SNIPPET = """
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth import load_backend
User = get_user_model()
user = User.objects.filter(is_staff=False, is_active=True).order_by("pk").first()
if user is None:  # a data set without people (pledges): one for the signed-in rows
    user = User.objects.create_user(email="signed-in@bench.cocity.localhost")
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(user.pk)
store[BACKEND_SESSION_KEY] = next(
    path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user")
)
store[HASH_SESSION_KEY] = user.get_session_auth_hash()
store.save()
print(f"{settings.SESSION_COOKIE_NAME}={store.session_key}")
"""


def signed_in_cookie(env: dict[str, str]) -> str:
    """A session of a generated (non-staff) person, made in the server's own session store."""
    out = sh(str(BIN / "cocity"), "shell", "-c", SESSION_SNIPPET, env=env, capture=True)
    return out.strip().splitlines()[-1]


def wrk(
    url: str, duration: int, connections: int, threads: int, cookie: str = ""
) -> dict[str, Any]:
    out = sh(
        "wrk",
        f"-t{min(threads, connections)}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        *(["-H", f"Cookie: {cookie}"] if cookie else []),
        "-s",
        str(HERE / "report.lua"),
        url,
        capture=True,
    )
    line = next(row for row in reversed(out.splitlines()) if row.startswith("{"))
    figures = json.loads(line)
    figures["rps"] = round(figures["requests"] / (figures["duration_us"] / 1e6), 1)
    return figures


def markdown(report: dict[str, Any]) -> str:
    rows = [
        "| page | visitor | requests/s | p50 ms | p95 ms | p99 ms | errors | one client p50 ms |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for page in report["pages"]:
        rows.append(
            f"| {page['name']} (`{page['path']}`) | {page.get('viewer', 'anonymous')} | "
            f"{page['rps']} | {page['p50_ms']} | "
            f"{page['p95_ms']} | {page['p99_ms']} | {page['non_2xx'] + page['socket_errors']} | "
            f"{page.get('single_client_p50_ms', '-')} |"
        )
    setup = report["setup"]
    return "\n".join(
        [
            f"# cocity load benchmark, {report['finished']}",
            "",
            f"Data: {json.dumps(report['data'])}",
            "",
            f"Server: gunicorn, {setup['workers']} workers x {setup['threads']} threads "
            f"({setup['worker_class']}), production settings, PostgreSQL"
            f"{', Redis cache' if setup['redis'] else ''}; {os.cpu_count()} cores. "
            f"Load: wrk, {setup['connections']} connections, {setup['duration']} s per page.",
            "",
            *rows,
            "",
            f"Peak resident memory of one app process: {report['peak_rss_mb']} MB.",
            "",
        ]
    )


# --- shared by the per-capability runners (benchmarks/<app>/run.py) ----------------------------

# One gunicorn process per core: measured on this 2-core machine (docs/benchmarks.md), 2 workers
# x 2 threads kept p95 at 33-48 ms on a cached page at 50 connections where 3 x 2 gave 58-82 ms
# (three GIL-bound processes and wrk time-slicing two cores).
DEFAULT_WORKERS = 2
DEFAULT_WORKER_THREADS = 2


def server_arguments(
    parser: argparse.ArgumentParser, *, database: str, connections: int, duration: int = 15
) -> None:
    """The options every runner takes: load, server shape, database, visitor."""
    parser.add_argument("--duration", type=int, default=duration, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=connections)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="gunicorn processes")
    parser.add_argument("--worker-threads", type=int, default=DEFAULT_WORKER_THREADS)
    parser.add_argument("--database", default=database)
    parser.add_argument(
        "--signed-in",
        action="store_true",
        help="measure every page a second time as a signed-in person (no page cache)",
    )


def app_env(database_url: str, work: Path, **extra: str) -> dict[str, str]:
    """The environment of the app under test: production settings on the loopback."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "cocity.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url(),
        "COCITY_DATA_DIR": str(work),
        "STATIC_ROOT": str(work / "static"),
        "COCITY_BENCHMARK_VIEWS": "true",
        "LOG_LEVEL": "ERROR",
        **extra,
    }


def require_wrk() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: `make bench` installs it (apt-get install wrk).")


@contextmanager
def serving(
    env: dict[str, str], args: argparse.Namespace, log_name: str, *, migrate: bool = True
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Migrate, collect static files, start gunicorn on a free port; yield its base URL."""
    if migrate:
        sh(str(BIN / "cocity"), "migrate", "--noinput", "--skip-checks", "-v0", env=env)
    sh(str(BIN / "cocity"), "collectstatic", "--noinput", "--skip-checks", "-v0", env=env)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    RESULTS.mkdir(exist_ok=True)
    log = (RESULTS / log_name).open("wb")
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "cocity.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={args.workers}",
            f"--threads={args.worker_threads}",
            "--worker-class=gthread",
            "--keep-alive=5",
            "--backlog=2048",
            # Each process holds at most its share of the keep-alive connections (plus one), so
            # the kernel cannot hand most of them to one process (measured: without it, some
            # runs served at half the rate with p50 = p95; see docs/benchmarks.md).
            f"--worker-connections={math.ceil(args.connections / args.workers) + 1}",
        ],
        env=env,
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/healthz", server)
        yield base, server
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.rmtree(env["COCITY_DATA_DIR"], ignore_errors=True)


def measure_pages(
    base: str,
    pages: list[tuple[str, str]],
    args: argparse.Namespace,
    *,
    viewers: list[tuple[str, str]] | None = None,
    hide: str = "",
) -> list[dict[str, Any]]:
    """For each visitor and page: 5 s of rest, 20 warm-up requests, then wrk. ``hide`` is a
    secret (a feed token) replaced in the reported paths."""
    results: list[dict[str, Any]] = []
    for viewer, cookie in viewers or [("anonymous", "")]:
        for name, path in pages:
            time.sleep(5)  # let the previous page's queue drain before measuring this one
            single = []
            for _ in range(20):  # warm up every worker's caches and connections, one at a time
                warm = urllib.request.Request(  # noqa: S310 (loopback)
                    base + path, headers={"Cookie": cookie} if cookie else {}
                )
                started = time.perf_counter()
                with urllib.request.urlopen(warm, timeout=30) as response:  # noqa: S310
                    assert response.status == 200, (path, response.status)
                    response.read()
                single.append((time.perf_counter() - started) * 1000)
            load = round(os.getloadavg()[0], 2)
            figures = wrk(base + path, args.duration, args.connections, args.threads, cookie)
            shown = path.replace(hide, "<token>") if hide else path
            figures.update(
                name=name,
                path=shown,
                viewer=viewer,
                load_1min=load,
                single_client_p50_ms=round(sorted(single)[len(single) // 2], 1),
            )
            results.append(figures)
            print(
                f"   {name:34} {viewer:10} {figures['rps']:8} req/s  p50 {figures['p50_ms']:7} ms"
                f"  p95 {figures['p95_ms']:7} ms  p99 {figures['p99_ms']:7} ms  load {load}",
                flush=True,
            )
    return results


def viewers_for(args: argparse.Namespace, env: dict[str, str]) -> list[tuple[str, str]]:
    viewers = [("anonymous", "")]
    if getattr(args, "signed_in", False):
        viewers.append(("signed in", signed_in_cookie(env)))
    return viewers


def generated_data(
    admin_url: str, env: dict[str, str], args: argparse.Namespace, script: Path
) -> dict[str, Any]:
    """The data set's summary (``benchmarks/results/data-<database>.json``): with ``--reuse``
    the one of the last generation, else a fresh database, migrated and filled by ``script``
    (which prints a JSON summary as its last line)."""
    summary_path = RESULTS / f"data-{args.database}.json"
    if not getattr(args, "reuse", False) or not summary_path.exists():
        print(f"== database {args.database}: create, migrate, generate (scale {args.scale})")
        pg(admin_url, f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        pg(admin_url, f'CREATE DATABASE "{args.database}"')
        sh(str(BIN / "cocity"), "migrate", "--noinput", "--skip-checks", "-v0", env=env)
        started = time.monotonic()
        out = sh(str(BIN / "python"), str(script), f"--scale={args.scale}", env=env, capture=True)
        data = json.loads(out.strip().splitlines()[-1])
        data.setdefault("generate_seconds", round(time.monotonic() - started, 1))
        RESULTS.mkdir(exist_ok=True)
        summary_path.write_text(json.dumps(data, indent=2))
    data: dict[str, Any] = json.loads(summary_path.read_text())
    print(f"   data: {json.dumps(data)}")
    return data


def write_report(
    name: str,
    *,
    data: dict[str, Any],
    args: argparse.Namespace,
    env: dict[str, str],
    pages: list[dict[str, Any]],
    rss: float,
    load_before: tuple[float, float, float],
    notes: str = "",
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """benchmarks/results/<name>.{json,md}: setup, load averages, one row per page."""
    report = {
        "finished": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "data": data,
        "setup": {
            "workers": args.workers,
            "threads": args.worker_threads,
            "worker_class": "gthread",
            "connections": args.connections,
            "duration": args.duration,
            "redis": bool(env.get("REDIS_URL")),
            "page_cache": env.get("COCITY_PAGE_CACHE", "true") != "false",
            "cores": os.cpu_count(),
        },
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "pages": pages,
        "peak_rss_mb": rss,
        **(extra or {}),
    }
    text = markdown(report) + (
        f"\nLoad average (1, 5, 15 min) before: {report['load_average_before']}, "
        f"after: {report['load_average_after']}; per page (1 min) in the JSON.\n"
    )
    if notes:
        text += "\n" + notes.strip() + "\n"
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2))
    (RESULTS / f"{name}.md").write_text(text)
    print()
    print(text)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--duration", type=int, default=20, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="gunicorn processes")
    parser.add_argument(
        "--worker-threads", type=int, default=DEFAULT_WORKER_THREADS, help="threads per worker"
    )
    parser.add_argument("--database", default="cocity_bench")
    parser.add_argument("--reuse", action="store_true", help="keep the existing database")
    parser.add_argument(
        "--signed-in",
        action="store_true",
        help="measure every page a second time as a signed-in person (no page cache)",
    )
    args = parser.parse_args()
    require_wrk()
    admin_url, database_url = database_urls(os.environ.get("DATABASE_URL", ""), args.database)
    env = app_env(database_url, Path(tempfile.mkdtemp(prefix="cocity-bench-")))
    data = generated_data(admin_url, env, args, HERE / "generate.py")
    pages = [
        ("ceiling: minimal Django view", "/bench/ceiling/"),
        ("home", "/"),
        ("spaces directory", "/spaces/"),
        ("organisations directory", "/organisations/"),
        ("places directory", "/places/"),
        # The space, organisation and place pages are hubs (cocity.core.hubs): each capability's
        # section is read there; the per-app benchmarks measure them over their own rows.
        ("a space", f"/spaces/{data['sample_space']}/"),
        ("an organisation", f"/organisations/{data['sample_organisation']}/"),
        ("a place", f"/places/{data['sample_territory']}/"),
    ]
    load_before = os.getloadavg()
    with serving(env, args, "gunicorn.log", migrate=False) as (base, server):
        viewers = viewers_for(args, env)
        results = measure_pages(base, pages, args, viewers=viewers)
        # The personal start page exists only for a signed-in person (never from the page cache).
        signed_in = [viewer for viewer in viewers if viewer[1]]
        if signed_in:
            start = [("personal start page", "/start/")]
            results += measure_pages(base, start, args, viewers=signed_in)
        rss = peak_rss_mb(worker_pids(server.pid))
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    for name in (stamp, "latest"):
        write_report(
            name, data=data, args=args, env=env, pages=results, rss=rss, load_before=load_before
        )


if __name__ == "__main__":
    main()
