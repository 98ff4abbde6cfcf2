"""The pledges figure: the campaign totals page at 20 concurrent clients on 5,000 pledges,
50,000 measures and 500,000 progress reports (target: p95 under 100 ms). Reuses the harness
(``benchmarks/run.py``: database helpers, gunicorn set-up, wrk with its Lua latency report).

    .venv/bin/python benchmarks/pledges/run.py              # generate, then measure
    .venv/bin/python benchmarks/pledges/run.py --reuse      # keep the generated database

Also times, in process, one write at that scale (a progress report: the summary is recomputed in
the same transaction) and writes benchmarks/results/pledges.{md,json}.
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
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--worker-threads", type=int, default=2)
    parser.add_argument("--database", default="cocity_bench_pledges")
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    admin_url, database_url = harness.database_urls(
        os.environ.get("DATABASE_URL", ""), args.database
    )
    work = Path(tempfile.mkdtemp(prefix="cocity-bench-pledges-"))
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
            str(harness.BIN / "python"), str(HERE / "generate.py"), f"--scale={args.scale}",
            env=env, capture=True,
        )  # fmt: skip
        summary_path.write_text(out.strip().splitlines()[-1])
    data = json.loads(summary_path.read_text())
    print(f"   data: {json.dumps(data)}")
    write = json.loads(
        harness.sh(
            str(harness.BIN / "python"), str(HERE / "write_timing.py"), env=env, capture=True
        ).strip().splitlines()[-1]
    )  # fmt: skip
    print(f"   write: {json.dumps(write)}")
    harness.sh(
        str(harness.BIN / "cocity"), "collectstatic", "--noinput", "--skip-checks", "-v0", env=env
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    log = (harness.RESULTS / "gunicorn-pledges.log").open("wb")
    server = subprocess.Popen(
        [
            str(harness.BIN / "gunicorn"), "cocity.wsgi:application", f"--bind=127.0.0.1:{port}",
            f"--workers={args.workers}", f"--threads={args.worker_threads}",
            "--worker-class=gthread", "--keep-alive=5",
        ],
        env=env, cwd=harness.REPO, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    slug = data["sample_campaign"]
    pages = [
        ("campaign totals page", f"/pledges/campaigns/{slug}/"),
        (
            "campaign totals, rates of 2024",
            f"/pledges/campaigns/{slug}/?currency=EUR&on=2024-06-30",
        ),
        ("a principle across cities", "/pledges/frameworks/european-pillar-of-social-rights/4/"),
    ]
    results: list[dict[str, Any]] = []
    try:
        harness.wait_until_up(base + "/healthz", server)
        for name, path in pages:
            time.sleep(3)
            single = []
            for _ in range(30):
                started = time.perf_counter()
                with urllib.request.urlopen(base + path, timeout=30) as response:  # noqa: S310
                    assert response.status == 200, (path, response.status)
                single.append((time.perf_counter() - started) * 1000)
            figures = harness.wrk(base + path, args.duration, args.connections, 2)
            figures.update(
                name=name, path=path, single_client_p50_ms=round(statistics.median(single), 1)
            )
            results.append(figures)
            print(
                f"   {name:32} {figures['rps']:8} req/s  p50 {figures['p50_ms']:7} ms  "
                f"p95 {figures['p95_ms']:7} ms  p99 {figures['p99_ms']:7} ms"
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
        "write": write,
        "setup": {
            "workers": args.workers, "threads": args.worker_threads,
            "connections": args.connections, "duration": args.duration,
            "redis": bool(env["REDIS_URL"]), "cores": os.cpu_count(),
            "load_average_at_end": os.getloadavg(),
        },
        "pages": results,
    }  # fmt: skip
    lines = [
        "# Pledges benchmark",
        "",
        f"Finished {report['finished']}; {data['pledges']:,} pledges, {data['measures']:,} "
        f"measures, {data['progress_reports']:,} progress reports; {args.connections} clients "
        f"(wrk), {args.duration} s per page, gunicorn {args.workers} workers x "
        f"{args.worker_threads} threads, {os.cpu_count()} cores.",
        "",
        "| page | req/s | p50 ms | p95 ms | p99 ms | one client, p50 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        *[
            f"| {r['name']} | {r['rps']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | "
            f"{r['single_client_p50_ms']} |"
            for r in results
        ],
        "",
        f"One write at this scale (a progress report, summary recomputed in the same "
        f"transaction): {write['report_file_ms']} ms median of {write['runs']}.",
        "",
    ]
    (harness.RESULTS / "pledges.json").write_text(json.dumps(report, indent=2))
    (harness.RESULTS / "pledges.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
