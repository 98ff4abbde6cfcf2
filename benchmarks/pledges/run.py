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
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("harness", HERE.parent / "run.py")
assert spec and spec.loader
harness = importlib.util.module_from_spec(spec)
spec.loader.exec_module(harness)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    harness.server_arguments(parser, database="cocity_bench_pledges", connections=20, duration=20)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    harness.require_wrk()
    admin_url, database_url = harness.database_urls(
        os.environ.get("DATABASE_URL", ""), args.database
    )
    env = harness.app_env(database_url, Path(tempfile.mkdtemp(prefix="cocity-bench-pledges-")))
    data = harness.generated_data(admin_url, env, args, HERE / "generate.py")
    harness.sh(str(harness.BIN / "cocity"), "migrate", "--noinput", "--skip-checks", "-v0", env=env)
    write = json.loads(
        harness.sh(
            str(harness.BIN / "python"), str(HERE / "write_timing.py"), env=env, capture=True
        ).strip().splitlines()[-1]
    )  # fmt: skip
    print(f"   write: {json.dumps(write)}")
    slug = data["sample_campaign"]
    pages = [
        ("ceiling: minimal Django view", "/bench/ceiling/"),
        ("campaign totals page", f"/pledges/campaigns/{slug}/"),
        (
            "campaign totals, rates of 2024",
            f"/pledges/campaigns/{slug}/?currency=EUR&on=2024-06-30",
        ),
        ("a principle across cities", "/pledges/frameworks/european-pillar-of-social-rights/4/"),
    ]
    load_before = os.getloadavg()
    with harness.serving(env, args, "gunicorn-pledges.log", migrate=False) as (base, server):
        results = harness.measure_pages(base, pages, args, viewers=harness.viewers_for(args, env))
        rss = harness.peak_rss_mb(harness.worker_pids(server.pid))
    harness.write_report(
        "pledges",
        data=data,
        args=args,
        env=env,
        pages=results,
        rss=rss,
        load_before=load_before,
        extra={"write": write},
        notes=f"One write at this scale (a progress report, the campaign summary recomputed in "
        f"the same transaction): {write['report_file_ms']} ms median of {write['runs']}.\n\n"
        "Anonymous visitors are served by the page cache (bumped by every pledges write); "
        "signed-in rows (with --signed-in) render the page around the cached totals fragment.",
    )


if __name__ == "__main__":
    main()
