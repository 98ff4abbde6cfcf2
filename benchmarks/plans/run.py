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
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("harness", HERE.parent / "run.py")
assert spec and spec.loader
harness = importlib.util.module_from_spec(spec)
spec.loader.exec_module(harness)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    harness.server_arguments(parser, database="cocity_bench_plans", connections=50)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    harness.require_wrk()
    admin_url, database_url = harness.database_urls(
        os.environ.get("DATABASE_URL", ""), args.database
    )
    env = harness.app_env(
        database_url,
        Path(tempfile.mkdtemp(prefix="cocity-bench-plans-")),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
    )
    data = harness.generated_data(admin_url, env, args, HERE / "generate.py")
    ideas = f"/processes/{data['busiest_process']}/ideas/"
    pages = [
        ("ceiling: minimal Django view", "/bench/ceiling/"),
        ("ideas, newest, page 1", f"{ideas}"),
        ("ideas, newest, page 100 (deepest)", f"{ideas}?sort=newest&page=100"),
        ("ideas, most supported, page 1", f"{ideas}?sort=supported"),
        ("ideas, most supported, page 100", f"{ideas}?sort=supported&page=100"),
        ("ideas, most discussed, page 50", f"{ideas}?sort=discussed&page=50"),
        ("ideas, random (a seeded address), page 100", f"{ideas}?sort=random&seed=12345&page=100"),
        (
            "ideas, topic filter + supported, p. 20",
            f"{ideas}?sort=supported&topic={data.get('sample_topic', '')}&page=20",
        ),
        (
            "idea page (most supported idea)",
            f"/processes/{data['busiest_process']}/ideas/{data['busiest_idea']}/",
        ),
    ]
    harness.sh(str(harness.BIN / "cocity"), "migrate", "--noinput", "--skip-checks", "-v0", env=env)
    harness.sh(
        str(harness.BIN / "cocity"), "collectstatic", "--noinput", "--skip-checks", "-v0", env=env
    )  # the query counts render pages with the production static files storage
    counts = json.loads(
        harness.sh(
            str(harness.BIN / "python"), str(HERE / "query_counts.py"),
            json.dumps([p for _n, p in pages[1:]] + [f"{ideas}?sort=supported&page=2"]),
            env={**env, "COCITY_PAGE_CACHE": "false"}, capture=True,
        ).strip().splitlines()[-1]
    )  # fmt: skip
    print(f"   queries: {json.dumps(counts)}")
    load_before = os.getloadavg()
    with harness.serving(env, args, "gunicorn-plans.log", migrate=False) as (base, server):
        results = harness.measure_pages(base, pages, args, viewers=harness.viewers_for(args, env))
        rss = harness.peak_rss_mb(harness.worker_pids(server.pid))
    for row in results:
        row["queries"] = counts.get(row["path"])
    harness.write_report(
        "plans",
        data=data,
        args=args,
        env=env,
        pages=results,
        rss=rss,
        load_before=load_before,
        extra={"queries": counts},
        notes="Queries per page (Django test client, anonymous, cache off): "
        + json.dumps(counts)
        + "\n\nAnonymous visitors are served by the page cache, except the random order "
        "(a seed of their own in the session: rendered every time). Signed-in rows (with "
        "--signed-in) render every request.",
    )


if __name__ == "__main__":
    main()
