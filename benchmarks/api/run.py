"""Load benchmark of the API's lists (issue 21, "Figures to reach"): 100,000 ideas, events and
pledges in PostgreSQL (``benchmarks/api/generate.py``, a database of its own), gunicorn with the
production settings (the harness of ``benchmarks/run.py``), wrk at 50 connections on a page of
50 of each list, anonymous and with a personal access token, then the same lists asked again
with the ``If-None-Match`` of their answer: the share answered 304 and their latency.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/api/run.py [--scale 0.1] [--duration 15] [--reuse]

Target: p95 under 50 ms for each list at 50 connections, anonymous and with a token; the
conditional requests all 304. Writes ``benchmarks/results/api.{md,json}``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
import run as harness  # noqa: E402  (benchmarks/run.py)

TARGET_P95_MS = 50


def get(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (loopback)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:  # 304 arrives as an "error"
        return error.code, dict(error.headers), b""


def wrk(url: str, args: argparse.Namespace, headers: dict[str, str]) -> dict[str, Any]:
    threads = min(args.threads, args.connections)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--timeout",
        "10s",
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = harness.sh(*command, "-s", str(HERE / "status.lua"), url, capture=True)
    figures = json.loads(next(r for r in reversed(out.splitlines()) if r.startswith("{")))
    figures["rps"] = round(figures["requests"] / (figures["duration_us"] / 1e6), 1)
    return figures


def measure(
    base: str, lists: list[tuple[str, str]], args: argparse.Namespace, token: str
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    callers = [("anonymous", {}), ("token", {"Authorization": f"Bearer {token}"})]
    for caller, headers in callers:
        for name, path in lists:
            url = base + path
            single = []
            for _ in range(20):  # warm up, one at a time: the single-client figure
                started = time.perf_counter()
                status, _headers, body = get(url, headers)
                assert status == 200, (path, status, body[:200])
                single.append((time.perf_counter() - started) * 1000)
            items = len(json.loads(body)["items"])
            for conditional in (False, True):
                sent = dict(headers)
                time.sleep(3)  # let the previous run's queue drain
                if conditional:  # the tag of now (it also changes every two minutes)
                    sent["If-None-Match"] = get(url, headers)[1]["ETag"]
                load = round(os.getloadavg()[0], 2)
                figures = wrk(url, args, sent)
                figures.update(
                    name=name + (", If-None-Match" if conditional else ""),
                    path=path,
                    viewer=caller,
                    items=items,
                    load_1min=load,
                    single_client_p50_ms=round(sorted(single)[len(single) // 2], 1),
                    not_modified_share=round(
                        figures["not_modified"] / max(1, figures["answered"]), 4
                    ),
                )
                rows.append(figures)
                print(
                    f"   {figures['name']:40} {caller:9} {figures['rps']:8} req/s  "
                    f"p50 {figures['p50_ms']:7} ms  p95 {figures['p95_ms']:7} ms  "
                    f"304 {figures['not_modified_share']:.0%}  errors "
                    f"{figures['non_2xx'] + figures['socket_errors']}  load {load}",
                    flush=True,
                )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    harness.server_arguments(parser, database="cocity_bench_api", connections=50)
    parser.add_argument("--scale", type=float, default=1.0, help="1.0: 100,000 rows of each")
    parser.add_argument("--reuse", action="store_true", help="keep the last generated database")
    args = parser.parse_args()
    harness.require_wrk()
    admin_url, database_url = harness.database_urls(
        os.environ.get("DATABASE_URL", ""), args.database
    )
    env = harness.app_env(
        database_url,
        Path(tempfile.mkdtemp(prefix="cocity-bench-api-")),
        COCITY_API_RATE="10000000/m",  # the rate limit is not what is measured
    )
    data = harness.generated_data(admin_url, env, args, HERE / "generate.py")
    lists = [
        ("events, upcoming", f"/api/v1/events?space={data['space']}&limit=50"),
        ("ideas of a process", f"/api/v1/processes/{data['process']}/ideas?limit=50"),
        ("pledges", "/api/v1/pledges?limit=50"),
    ]
    load_before = os.getloadavg()
    with harness.serving(env, args, "gunicorn-api.log", migrate=False) as (base, server):
        rows = measure(base, lists, args, data["token"])
        rss = harness.peak_rss_mb(harness.worker_pids(server.pid))
    shown = {k: v for k, v in data.items() if k != "token"}
    report = harness.write_report(
        "api",
        data=shown,
        args=args,
        env=env,
        pages=rows,
        rss=rss,
        load_before=load_before,
        notes=f"Target: p95 under {TARGET_P95_MS} ms at {args.connections} connections for a "
        "page of 50, anonymous and with a token (`Authorization: Bearer`), and conditional "
        "requests answered 304 before any row is read. Share of 304 per row in the JSON "
        "(`not_modified_share`).",
    )
    slow = [r for r in report["pages"] if r["p95_ms"] > TARGET_P95_MS]
    for row in slow:
        print(f"over the target: {row['name']} ({row['viewer']}): p95 {row['p95_ms']} ms")


if __name__ == "__main__":
    main()
