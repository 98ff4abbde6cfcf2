# ruff: noqa: E501  (benchmark script: long data rows)
"""The plans figure: the idea list (every sort, a filter, first and deepest page) and the idea
page at 50 concurrent clients on 100,000 ideas, 1,000,000 supports and 500,000 comments (target:
p95 under 50 ms), with the number of queries per page on the first and the deepest page.
Reuses the harness (``benchmarks/run.py``: database helpers, gunicorn, wrk with its Lua report).

    .venv/bin/python benchmarks/plans/run.py              # generate, then measure
    .venv/bin/python benchmarks/plans/run.py --reuse      # keep the generated database

Writes benchmarks/results/plans.{md,json}.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("harness", HERE.parent / "run.py")
assert spec and spec.loader
harness = importlib.util.module_from_spec(spec)
spec.loader.exec_module(harness)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--worker-threads", type=int, default=2)
    parser.add_argument("--database", default="cocity_bench_plans")
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    admin_url, database_url = harness.database_urls(
        os.environ.get("DATABASE_URL", ""), args.database
    )
    work = Path(tempfile.mkdtemp(prefix="cocity-bench-plans-"))
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "cocity.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "REDIS_URL": harness.redis_url(),
        "COCITY_DATA_DIR": str(work),
        "STATIC_ROOT": str(work / "static"),
        "LOG_LEVEL": "ERROR",
    }
    summary_path = harness.RESULTS / f"data-{args.database}.json"
    if not args.reuse or not summary_path.exists():
        harness.pg(admin_url, f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        harness.pg(admin_url, f'CREATE DATABASE "{args.database}"')
        harness.sh(
            str(harness.BIN / "cocity"), "migrate", "--noinput", "--skip-checks", "-v0", env=env
        )
        out = harness.sh(
            str(harness.BIN / "python"),
            str(HERE / "generate.py"),
            f"--scale={args.scale}",
            env=env,
            capture=True,
        )
        summary_path.write_text(out.strip().splitlines()[-1])
    data = json.loads(summary_path.read_text())
    print(f"   data: {json.dumps(data)}")
    ideas = f"/processes/{data['busiest_process']}/ideas/"
    pages = [
        ("ideas, newest, page 1", f"{ideas}"),
        ("ideas, newest, page 100 (deepest)", f"{ideas}?sort=newest&page=100"),
        ("ideas, most supported, page 1", f"{ideas}?sort=supported"),
        ("ideas, most supported, page 100", f"{ideas}?sort=supported&page=100"),
        ("ideas, most discussed, page 50", f"{ideas}?sort=discussed&page=50"),
        ("ideas, random, page 100", f"{ideas}?sort=random&page=100"),
        (
            "ideas, topic filter + supported, p. 20",
            f"{ideas}?sort=supported&topic={data.get('sample_topic', '')}&page=20",
        ),
        (
            "idea page (most supported idea)",
            f"/processes/{data['busiest_process']}/ideas/{data['busiest_idea']}/",
        ),
    ]
    harness.sh(
        str(harness.BIN / "cocity"), "collectstatic", "--noinput", "--skip-checks", "-v0", env=env
    )
    counts = json.loads(
        harness.sh(
            str(harness.BIN / "python"), str(HERE / "query_counts.py"),
            json.dumps([p for _n, p in pages] + [f"{ideas}?sort=supported&page=2"]), env=env, capture=True,
        ).strip().splitlines()[-1]
    )  # fmt: skip
    print(f"   queries: {json.dumps(counts)}")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    log = (harness.RESULTS / "gunicorn-plans.log").open("wb")
    server = subprocess.Popen(
        [
            str(harness.BIN / "gunicorn"), "cocity.wsgi:application", f"--bind=127.0.0.1:{port}",
            f"--workers={args.workers}", f"--threads={args.worker_threads}",
            "--worker-class=gthread", "--keep-alive=5",
        ],
        env=env, cwd=harness.REPO, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    results: list[dict[str, Any]] = []
    try:
        harness.wait_until_up(base + "/healthz", server)
        for name, path in pages:
            time.sleep(2)
            single = []
            for _ in range(20):
                started = time.perf_counter()
                with urllib.request.urlopen(base + path, timeout=30) as response:  # noqa: S310
                    assert response.status == 200, (path, response.status)
                single.append((time.perf_counter() - started) * 1000)
            figures = harness.wrk(base + path, args.duration, args.connections, 2)
            figures.update(
                name=name, path=path, queries=counts.get(path),
                single_client_p50_ms=round(statistics.median(single), 1),
            )  # fmt: skip
            results.append(figures)
            print(
                f"   {name:40} {figures['rps']:8} req/s  p50 {figures['p50_ms']:7} ms  "
                f"p95 {figures['p95_ms']:7} ms  p99 {figures['p99_ms']:7} ms  q {figures['queries']}"
            )
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
        "data": data,
        "queries": counts,
        "setup": {
            "workers": args.workers, "threads": args.worker_threads,
            "connections": args.connections, "duration": args.duration,
            "redis": bool(env["REDIS_URL"]), "cores": os.cpu_count(),
            "load_average_at_end": os.getloadavg(),
        },
        "pages": results,
    }  # fmt: skip
    lines = [
        "# Plans benchmark",
        "",
        f"Finished {report['finished']}; {data['ideas']:,} ideas in {data['processes']} processes, "
        f"{data['supports']:,} supports, {data['comments']:,} comments; {args.connections} clients "
        f"(wrk), {args.duration} s per page, gunicorn {args.workers} workers x "
        f"{args.worker_threads} threads, {os.cpu_count()} cores, load average at the end "
        f"{os.getloadavg()[0]:.1f}.",
        "",
        "| page | req/s | p50 ms | p95 ms | p99 ms | one client, p50 ms | queries |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        *[
            f"| {r['name']} | {r['rps']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | "
            f"{r['single_client_p50_ms']} | {r['queries']} |"
            for r in results
        ],
        "",
    ]
    (harness.RESULTS / "plans.json").write_text(json.dumps(report, indent=2))
    (harness.RESULTS / "plans.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
