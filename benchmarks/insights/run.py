"""Benchmark of the insights numerical core beside the reference library (PySAL segregation).

Run it in an environment with the ``reference`` extra (segregation, libpysal, geopandas, psutil):

    python -m venv /tmp/refvenv && /tmp/refvenv/bin/pip install -e '.[reference]'
    /tmp/refvenv/bin/python benchmarks/insights/run.py            # everything, ~10 minutes
    /tmp/refvenv/bin/python benchmarks/insights/run.py --quick    # smaller sizes, ~1 minute
    /tmp/refvenv/bin/python benchmarks/insights/run.py --only indices   # the index table, ~1 min

Every case runs in its own child process so that its peak resident memory (ru_maxrss) is its
own. Results go to benchmarks/results/insights.json and insights.md (a Markdown table).
Reference runs whose dense units x units matrices cannot fit are tried under an address-space
limit (--ref-memory-gb, default 8) and reported as out of memory instead of taking the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
RESULTS = ROOT / "benchmarks" / "results"

from cocity.insights import indices, inference, spatial  # noqa: E402
from cocity.insights.synthetic import clustered_counts  # noqa: E402

SINGLE_REF = {
    "dissimilarity": "Dissim",
    "gini": "Gini",
    "entropy": "Entropy",
    "isolation": "Isolation",
    "exposure": "Interaction",
    "atkinson": "Atkinson",
    "correlation_ratio": "CorrelationR",
}
MULTI_REF = {
    "dissimilarity": "MultiDissim",
    "gini": "MultiGini",
    "information_theory": "MultiInfoTheory",
    "normalized_exposure": "MultiNormExposure",
    "relative_diversity": "MultiRelativeDiversity",
    "simpsons_interaction": "SimpsonsInteraction",
    "simpsons_concentration": "SimpsonsConcentration",
    "diversity": "MultiDiversity",
}
# The reference builds n x n dense matrices here: beyond this size it cannot run on this machine.
DENSE_IN_REFERENCE = {"multigroup gini", "spatial dissimilarity", "spatial proximity"}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def best_of(fn: Any, repeats: int) -> tuple[float, Any]:
    best, value = float("inf"), None
    for _ in range(repeats):
        started = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - started)
    return best, value


def grid_city(n_side_x: int, n_side_y: int, groups: int = 3, seed: int = 1) -> dict[str, Any]:
    geoms = spatial.square_grid(n_side_x, n_side_y, 100.0)
    xy, areas = spatial.centroids_and_areas(geoms)
    counts = clustered_counts(xy, groups, seed=seed)
    return {"geoms": geoms, "xy": xy, "areas": areas, "counts": counts}


def frame(city: dict[str, Any], geo: bool = False) -> Any:
    import geopandas as gpd
    import pandas as pd

    counts = city["counts"]
    data = {f"g{k}": counts[:, k] for k in range(counts.shape[1])}
    data["total"] = counts.sum(axis=1)
    if geo:
        return gpd.GeoDataFrame(data, geometry=city["geoms"], crs="EPSG:3857")
    return pd.DataFrame(data)


def shape_for(n: int) -> tuple[int, int]:
    side = round(n**0.5)
    return (side, n // side) if side * (n // side) == n else (n // 100, 100)


# --------------------------------------------------------------------------- cases


def best_of_prepared(prepare: Any, fn: Any, repeats: int) -> tuple[float, Any]:
    """Best time of ``fn(prepared)``, each repetition on a freshly prepared input (prepared
    outside the timing, so nothing computed by an earlier repetition is reused)."""
    best, value = float("inf"), None
    for _ in range(repeats):
        prepared = prepare()
        started = time.perf_counter()
        value = fn(prepared)
        best = min(best, time.perf_counter() - started)
    return best, value


def case_aspatial(n: int) -> dict[str, Any]:
    """Every single-group and multigroup index, ours and the reference, at n units.

    Ours is timed three ways: from the raw array (validation and everything included, what a
    single call costs), the one-off preparation (validation, layout, totals: ``SingleCounts``
    or ``GroupCounts``) and the index from a fresh prepared input (what each further index
    costs once the data are prepared).
    """
    from segregation import multigroup, singlegroup

    city = grid_city(*shape_for(n))
    table = city["counts"]  # units x groups, C order
    # Inputs in the layout the reference's DataFrame has (built outside the timing, like the
    # DataFrame): one contiguous array per column, and the table as DataFrame.to_numpy()
    # returns it (column-major). A strided column and a C-ordered table are timed below too.
    counts = np.asfortranarray(table)
    x, t = np.ascontiguousarray(table[:, 0]), table.sum(axis=1)
    df = frame(city)
    groups = [f"g{k}" for k in range(counts.shape[1])]
    # Warm up numba (the reference's Gini) on a small table, outside the timings.
    singlegroup.Gini(df.head(200), "g0", "total")
    rows = []
    prep_single_t, _ = best_of(lambda: indices.SingleCounts(x, t), 7)
    for name, ref_name in SINGLE_REF.items():
        fn = indices.SINGLE_GROUP_FUNCTIONS[name]
        repeats = 3 if name == "gini" else 7
        ours_t, ours_v = best_of(lambda fn=fn: fn(x, t), repeats)
        prep_t, _ = best_of_prepared(lambda: indices.SingleCounts(x, t), fn, repeats)
        ref_cls = getattr(singlegroup, ref_name)
        kwargs = {"b": 0.5} if name == "atkinson" else {}
        ref_repeats = 1 if name == "gini" else 5
        ref_t, ref = best_of(lambda c=ref_cls, k=kwargs: c(df, "g0", "total", **k), ref_repeats)
        rows.append(
            _row(
                f"single-group {name}",
                n,
                ours_t,
                ref_t,
                ours_v,
                ref.statistic,
                preparation=prep_single_t,
                prepared=prep_t,
            )
        )
    prep_multi_t, _ = best_of(lambda: indices.GroupCounts(counts), 7)
    for name, ref_name in MULTI_REF.items():
        if name == "gini":
            continue  # dense in the reference: its own case at a smaller size
        fn = indices.MULTIGROUP_FUNCTIONS[name]
        ours_t, ours_v = best_of(lambda fn=fn: fn(counts), 7)
        prep_t, _ = best_of_prepared(lambda: indices.GroupCounts(counts), fn, 7)
        ref_cls = getattr(multigroup, ref_name)
        ref_t, ref = best_of(lambda c=ref_cls: c(df, groups), 5)
        rows.append(
            _row(
                f"multigroup {name}",
                n,
                ours_t,
                ref_t,
                ours_v,
                ref.statistic,
                preparation=prep_multi_t,
                prepared=prep_t,
            )
        )
    # The same calls on the other layouts: the group as a strided column of the C-ordered
    # units x groups table, and that table itself (one strided pass more to lay them out).
    for label, fn, args, ref_name, ref_args in (
        (
            "single-group dissimilarity, group a strided column of a C-ordered table",
            indices.dissimilarity,
            (table[:, 0], t),
            "Dissim",
            ("g0", "total"),
        ),
        (
            "multigroup dissimilarity, C-ordered units x groups table",
            indices.multi_dissimilarity,
            (table,),
            "MultiDissim",
            (groups,),
        ),
    ):
        ours_t, ours_v = best_of(lambda fn=fn, args=args: fn(*args), 7)
        ref_cls = getattr(singlegroup if ref_name == "Dissim" else multigroup, ref_name)
        ref_t, ref = best_of(lambda c=ref_cls, a=ref_args: c(df, *a), 5)
        rows.append(_row(label, n, ours_t, ref_t, ours_v, ref.statistic))
    # All multigroup indices but Gini from one raw array: prepared once inside the timing,
    # against the sum of the reference's classes, which repeat that work for every index.
    names = [n for n in MULTI_REF if n != "gini"]

    def all_ours() -> list[float]:
        g = indices.GroupCounts(counts)
        return [indices.MULTIGROUP_FUNCTIONS[k](g) for k in names]

    ours_t, _ = best_of(all_ours, 7)
    ref_t, _ = best_of(lambda: [getattr(multigroup, MULTI_REF[k])(df, groups) for k in names], 3)
    rows.append(
        _row("all 7 multigroup indices but Gini, one call (prep included)", n, ours_t, ref_t, 0, 0)
    )
    return {"rows": rows}


def case_multigini(n: int) -> dict[str, Any]:
    from segregation import multigroup

    city = grid_city(*shape_for(n))
    counts = city["counts"]
    ours_t, ours_v = best_of(lambda: indices.multi_gini(counts), 5)
    df = frame(city)
    ref_t, ref = best_of(lambda: multigroup.MultiGini(df, ["g0", "g1", "g2"]), 1)
    return {"rows": [_row("multigroup gini", n, ours_t, ref_t, ours_v, ref.statistic)]}


def case_ours_multigini(n: int) -> dict[str, Any]:
    city = grid_city(*shape_for(n))
    ours_t, ours_v = best_of(lambda: indices.multi_gini(city["counts"]), 5)
    return {"rows": [_row("multigroup gini", n, ours_t, None, ours_v, None)]}


def case_spatial_dissim_ours(n: int) -> dict[str, Any]:
    """Boundaries to contiguity to spatial dissimilarity, ours only (the reference cannot)."""
    nx, ny = shape_for(n)
    started = time.perf_counter()
    geoms = spatial.square_grid(nx, ny, 100.0)
    build = time.perf_counter() - started
    xy, _ = spatial.centroids_and_areas(geoms)
    counts = clustered_counts(xy, 3, seed=1)
    x, t = counts[:, 0], counts.sum(axis=1)
    started = time.perf_counter()
    w = spatial.contiguity(geoms, "queen")
    contiguity_t = time.perf_counter() - started
    started = time.perf_counter()
    value = spatial.spatial_dissimilarity(x, t, w)
    sd_t = time.perf_counter() - started
    return {
        "polygons_s": build,
        "contiguity_s": contiguity_t,
        "neighbour_pairs": int(w.nnz // 2),
        "spatial_dissimilarity_s": sd_t,
        "total_s": contiguity_t + sd_t,
        "value": value,
        "peak_rss_mb": peak_rss_mb(),
    }


def case_spatial_dissim_ref(n: int) -> dict[str, Any]:
    """Reference SpatialDissim with its default Queen weights, and ours, at n units."""
    from segregation import singlegroup

    city = grid_city(*shape_for(n))
    gdf = frame(city, geo=True)
    counts = city["counts"]
    started = time.perf_counter()
    w = spatial.contiguity(city["geoms"], "queen")
    ours_v = spatial.spatial_dissimilarity(counts[:, 0], counts.sum(axis=1), w)
    ours_t = time.perf_counter() - started
    started = time.perf_counter()
    ref = singlegroup.SpatialDissim(gdf, "g0", "total")
    ref_t = time.perf_counter() - started
    return {"rows": [_row("spatial dissimilarity", n, ours_t, ref_t, ours_v, ref.statistic)]}


def case_proximity_ref(n: int) -> dict[str, Any]:
    from segregation import singlegroup

    city = grid_city(*shape_for(n))
    gdf = frame(city, geo=True)
    counts = city["counts"]
    ours_t, ours_v = best_of(
        lambda: spatial.spatial_proximity(
            counts[:, 0], counts.sum(axis=1), city["xy"], city["areas"]
        ),
        1,
    )
    ref_t, ref = best_of(lambda: singlegroup.SpatialProximity(gdf, "g0", "total"), 1)
    return {"rows": [_row("spatial proximity", n, ours_t, ref_t, ours_v, ref.statistic)]}


def case_proximity_ours(n: int, kernel: str, cutoff_scales: float | None) -> dict[str, Any]:
    city = grid_city(*shape_for(n))
    counts = city["counts"]
    started = time.perf_counter()
    value = spatial.spatial_proximity(
        counts[:, 0],
        counts.sum(axis=1),
        city["xy"],
        city["areas"],
        kernel=kernel,  # type: ignore[arg-type]
        scale=100.0,
        cutoff=None if cutoff_scales is None else cutoff_scales * 100.0,
    )
    return {
        "seconds": time.perf_counter() - started,
        "value": value,
        "peak_rss_mb": peak_rss_mb(),
        "threads": os.cpu_count(),
        "tile": spatial.TILE,
    }


def case_permutation(n: int, ref_iterations: int) -> dict[str, Any]:
    from segregation import singlegroup
    from segregation.inference import SingleValueTest

    city = grid_city(*shape_for(n))
    counts = city["counts"]
    table = np.column_stack([counts[:, 0], counts.sum(axis=1) - counts[:, 0]])
    stat = inference.single_group_statistic("dissimilarity")
    ours_t, ours = best_of(
        lambda: inference.permutation_test(stat, table, permutations=99, seed=1), 1
    )
    sys_t, _ = best_of(
        lambda: inference.permutation_test(stat, table, permutations=99, seed=1, null="systematic"),
        1,
    )
    df = frame(city)
    index = singlegroup.Dissim(df, "g0", "total")
    started = time.perf_counter()
    SingleValueTest(index, iterations_under_null=ref_iterations, null_approach="systematic")
    ref_t = (time.perf_counter() - started) * 99 / ref_iterations
    return {
        "permutation_s": ours_t,
        "systematic_s": sys_t,
        "reference_systematic_s": ref_t,
        "reference_iterations_run": ref_iterations,
        "p_value": ours.p_value,
        "peak_rss_mb": peak_rss_mb(),
    }


# --------------------------------------------------------------------------- the whole report
#
# What a person waits for: every one-group index of each group, every multigroup index, spatial
# dissimilarity and proximity from the polygons and a 99-permutation test of those indices, for
# a 100,000-unit city (``cocity.insights.report.compute_report``, what the command and the pages
# call). The city is written once by the driver (counts as .npy, polygons as WKB), so that each
# fresh process only loads it.

REPORT_GRID = (400, 250)  # 100,000 square units of 100 m, 3 clustered groups


def write_report_city(folder: Path, nx: int, ny: int) -> None:
    import shapely

    from cocity.insights.synthetic import synthetic_city

    city = synthetic_city(nx, ny, n_groups=3, seed=1)
    np.save(folder / "counts.npy", city.counts)
    np.save(folder / "polygons.npy", np.asarray(shapely.to_wkb(city.geometries), dtype=object),
            allow_pickle=True)  # fmt: skip


def case_report(folder: str, repeats: int) -> dict[str, Any]:
    """In a fresh process: load the city, then the first report (imports, numba's compilation
    or its cache, everything) and ``repeats`` more in the same process. Wall and CPU time."""
    started = time.perf_counter()
    import shapely

    counts = np.load(Path(folder) / "counts.npy")
    polygons = shapely.from_wkb(np.load(Path(folder) / "polygons.npy", allow_pickle=True))
    loaded = time.perf_counter() - started

    def one() -> tuple[float, float, dict[str, float], dict[str, Any]]:
        steps: dict[str, float] = {}
        wall, cpu = time.perf_counter(), time.process_time()
        from cocity.insights.report import ReportOptions, compute_report

        def note(message: str) -> None:
            steps.setdefault(message.split(":")[0], time.perf_counter() - wall)

        options = ReportOptions(coordinates="projected", permutations=99, seed=1)
        result = compute_report(counts, None, ["g1", "g2", "g3"], polygons, options, note=note)
        return time.perf_counter() - wall, time.process_time() - cpu, steps, result

    first_wall, first_cpu, first_steps, result = one()
    warm = [one() for _ in range(repeats)]
    from cocity.insights import kernels

    return {
        "numba": kernels.NUMBA,
        "load_s": loaded,
        "first_s": first_wall,
        "first_cpu_s": first_cpu,
        "first_steps": first_steps,
        "warm_s": [w[0] for w in warm],
        "warm_cpu_s": [w[1] for w in warm],
        "warm_steps": warm[-1][2] if warm else {},
        "errors": result["errors"],
        "multigroup_dissimilarity": result["multigroup"]["dissimilarity"],
        "proximity_kernel": result["parameters"]["proximity_kernel"],
        "p_value_dissimilarity_g1": result["permutation_tests"]["single_group"]["g1"][
            "dissimilarity"
        ]["p_value_two_sided"],
        "peak_rss_mb": peak_rss_mb(),
    }


def case_report_reference(folder: str, iterations: int) -> dict[str, Any]:
    """The reference library on the same city, for what it can compute at this size: the
    one-group indices of each group, the multigroup indices but Gini, and its permutation test
    (``SingleValueTest``, systematic null, dissimilarity; ``iterations`` run, scaled to 99).
    Multigroup Gini, spatial dissimilarity and proximity build dense units x units matrices
    (74.5 GiB at 100,000 units): tried under the address-space limit of the driver."""
    import geopandas as gpd
    import pandas as pd
    import shapely
    from segregation import multigroup, singlegroup
    from segregation.inference import SingleValueTest

    counts = np.load(Path(folder) / "counts.npy")
    data = {f"g{k + 1}": counts[:, k] for k in range(3)} | {"total": counts.sum(axis=1)}
    df = pd.DataFrame(data)
    groups = ["g1", "g2", "g3"]
    out: dict[str, Any] = {}
    started = time.perf_counter()
    for group in groups:
        for ref_name in SINGLE_REF.values():
            kwargs = {"b": 0.5} if ref_name == "Atkinson" else {}
            getattr(singlegroup, ref_name)(df, group, "total", **kwargs)
    out["single_group_s"] = time.perf_counter() - started
    started = time.perf_counter()
    for name, ref_name in MULTI_REF.items():
        if name != "gini":
            getattr(multigroup, ref_name)(df, groups)
    out["multigroup_but_gini_s"] = time.perf_counter() - started
    index = singlegroup.Dissim(df, "g1", "total")
    started = time.perf_counter()
    SingleValueTest(index, iterations_under_null=iterations, null_approach="systematic")
    out["permutation_dissimilarity_99_s"] = (time.perf_counter() - started) * 99 / iterations
    out["permutation_iterations_run"] = iterations
    polygons = shapely.from_wkb(np.load(Path(folder) / "polygons.npy", allow_pickle=True))
    gdf = gpd.GeoDataFrame(data, geometry=polygons, crs="EPSG:3857")
    for label, fn in (
        ("multigroup_gini", lambda: multigroup.MultiGini(df, groups)),
        ("spatial_dissimilarity", lambda: singlegroup.SpatialDissim(gdf, "g1", "total")),
        ("spatial_proximity", lambda: singlegroup.SpatialProximity(gdf, "g1", "total")),
    ):
        started = time.perf_counter()
        try:
            fn()
            out[f"{label}_s"] = time.perf_counter() - started
        except MemoryError as exc:
            out[f"{label}_s"] = None
            out[f"{label}_error"] = f"MemoryError: {str(exc)[:120]}"
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def report_section(report: dict[str, Any], units: int, repeats: int, memory_gb: float) -> None:
    """The whole-report figures: numba with a cold and a warm on-disk cache, the numpy
    fallback, the command on files, and the reference library, one after the other."""
    import tempfile

    nx, ny = REPORT_GRID if units == 100_000 else shape_for(units)
    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as cache:
        write_report_city(Path(folder), nx, ny)
        cold = {"NUMBA_CACHE_DIR": cache}
        report["report_numba_cold_cache"] = child("report", [folder, repeats], env=cold)
        report["report_numba_warm_cache"] = child("report", [folder, repeats], env=cold)
        report["report_numpy"] = child(
            "report", [folder, max(1, repeats // 2)], env={"COCITY_INSIGHTS_NUMBA": "0"}
        )
        report["report_reference"] = child("report_reference", [folder, 9], memory_gb)
    report["report_command"] = command_on_files(nx, ny)
    report["sizes"]["report"] = nx * ny


def command_on_files(nx: int, ny: int) -> dict[str, Any]:
    """``cocity insights indices`` on the city's CSV and GeoJSON (what a researcher runs):
    Django's start-up, reading both files and the report, with 99 permutations."""
    import tempfile

    sys.path.insert(0, str(Path(__file__).parent))
    from generate import write_city

    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder) / "city"
        write_city(nx, ny, base, 3, "square", 1)
        cocity = Path(sys.executable).with_name("cocity")
        started = time.perf_counter()
        done = subprocess.run(
            [cocity, "insights", "--verbosity", "0", "indices", f"{base}.csv",
             "--id-column", "code", "--groups", "group_1,group_2,group_3",
             "--boundaries", f"{base}.geojson",
             "--id-property", "code", "--coordinates", "projected", "--permutations", "99",
             "--seed", "1"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        elapsed = time.perf_counter() - started
    load = [round(v, 2) for v in os.getloadavg()]
    if done.returncode:
        return {"error": (done.stderr or "no output").strip()[-300:], "load_average_after": load}
    return {"seconds": elapsed, "load_average_after": load}


def _row(
    name: str,
    n: int,
    ours: float,
    ref: float | None,
    ours_v: float,
    ref_v: float | None,
    *,
    preparation: float | None = None,
    prepared: float | None = None,
) -> dict[str, Any]:
    return {
        "index": name,
        "units": n,
        "ours_s": ours,
        "preparation_s": preparation,
        "prepared_s": prepared,
        "reference_s": ref,
        "ratio": None if ref is None else ref / ours,
        "ratio_prepared": None if ref is None or prepared is None else ref / prepared,
        "ours_value": ours_v,
        "reference_value": ref_v,
        "abs_difference": None if ref_v is None else abs(ours_v - ref_v),
    }


CASES = {
    "aspatial": case_aspatial,
    "multigini": case_multigini,
    "ours_multigini": case_ours_multigini,
    "spatial_dissim_ours": case_spatial_dissim_ours,
    "spatial_dissim_ref": case_spatial_dissim_ref,
    "proximity_ref": case_proximity_ref,
    "proximity_ours": case_proximity_ours,
    "permutation": case_permutation,
    "report": case_report,
    "report_reference": case_report_reference,
}


# --------------------------------------------------------------------------- driver


def child(
    name: str,
    args: list[Any],
    memory_gb: float | None = None,
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Run one case in a fresh interpreter; an address-space limit turns OOM into a report."""
    code = (
        "import json, resource, sys; sys.argv = ['run.py'];"
        f"limit = {memory_gb!r};"
        "limit and resource.setrlimit(resource.RLIMIT_AS, (int(limit * 2**30),) * 2);"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r});"
        "import run;"
        f"print('RESULT' + json.dumps(run.CASES[{name!r}](*{args!r})))"
    )
    started = time.perf_counter()
    print(f"  {name}{tuple(args)} ...", file=sys.stderr, flush=True)
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        # One BLAS thread: on a shared, busy machine OpenBLAS's spinning threads slow everything.
        env={**os.environ, "PYTHONWARNINGS": "ignore", "OPENBLAS_NUM_THREADS": "1", **(env or {})},
    )
    elapsed = time.perf_counter() - started
    load = [round(v, 2) for v in os.getloadavg()]
    for line in done.stdout.splitlines():
        if line.startswith("RESULT"):
            result: dict[str, Any] = json.loads(line[6:])
            result["wall_s"] = elapsed
            result["load_average_after"] = load
            return result
    tail = (done.stderr or "").strip().splitlines()[-1:] or ["no output"]
    return {"error": tail[0], "wall_s": elapsed, "load_average_after": load}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    parser.add_argument("--ref-memory-gb", type=float, default=8.0)
    parser.add_argument("--skip-exact-proximity", action="store_true")
    parser.add_argument(
        "--exact-proximity-units",
        type=int,
        default=None,
        help="size of the exact all-pairs proximity runs (default: the big size, 100,000)",
    )
    parser.add_argument(
        "--only",
        choices=["indices", "report"],
        default=None,
        help="indices: only the single-group and multigroup index table at the big size "
        "(written to insights-indices.json / .md, leaving the full results alone); report: "
        "only the whole report of a 100,000-unit city (insights-report.json / .md)",
    )
    parser.add_argument("--repeats", type=int, default=3, help="reports after the first (report)")
    opts = parser.parse_args()
    warnings.simplefilter("ignore")
    big, huge, small = (10_000, 40_000, 2_000) if opts.quick else (100_000, 1_000_000, 10_000)
    mem = opts.ref_memory_gb
    report: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "numpy": np.__version__,
            "platform": platform.platform(),
        },
        "sizes": {"big": big, "huge": huge, "small": small},
        "command": " ".join([sys.executable, "benchmarks/insights/run.py", *sys.argv[1:]]),
        "load_average": {"start": [round(v, 2) for v in os.getloadavg()]},
    }
    from importlib.metadata import version

    report["machine"]["segregation"] = version("segregation")
    report["machine"]["libpysal"] = version("libpysal")
    if opts.only == "report":
        report["only"] = "report"
        print("whole report", file=sys.stderr)
        report_section(report, big, opts.repeats, mem)
        report["load_average"]["end"] = [round(v, 2) for v in os.getloadavg()]
        print(save(report, opts.quick, "-report"))
        return
    print("aspatial indices", file=sys.stderr)
    rows = child("aspatial", [big]).get("rows", [])
    if opts.only == "indices":
        report["only"] = "indices"
        report["aspatial"] = rows
        report["load_average"]["end"] = [round(v, 2) for v in os.getloadavg()]
        print(save(report, opts.quick, "-indices"))
        return
    gini_big = child("multigini", [big], mem)
    if "error" in gini_big:
        ours = child("ours_multigini", [big])["rows"][0]
        ours["reference_s"] = None
        ours["note"] = f"reference out of memory under {mem:g} GB ({gini_big['error']})"
        rows.append(ours)
    else:
        rows += gini_big["rows"]
    rows += child("multigini", [small]).get("rows", [])
    report["aspatial"] = rows

    save(report, opts.quick)
    print("spatial dissimilarity", file=sys.stderr)
    spatial_rows = child("spatial_dissim_ref", [small]).get("rows", [])
    ref_big = child("spatial_dissim_ref", [big], mem)
    if "error" in ref_big:
        spatial_rows.append(
            {
                "index": "spatial dissimilarity",
                "units": big,
                "reference_s": None,
                "note": f"reference out of memory under {mem:g} GB ({ref_big['error']})",
            }
        )
    else:
        spatial_rows += ref_big["rows"]
    report["spatial_dissimilarity_rows"] = spatial_rows
    report["spatial_dissimilarity_big"] = child("spatial_dissim_ours", [big])
    report["spatial_dissimilarity_huge"] = child("spatial_dissim_ours", [huge])

    save(report, opts.quick)
    print("spatial proximity", file=sys.stderr)
    report["proximity_rows"] = child("proximity_ref", [small]).get("rows", [])
    exact_n = opts.exact_proximity_units or big
    report["sizes"]["exact_proximity"] = exact_n
    if not opts.skip_exact_proximity:
        report["proximity_big_reference_kernel"] = child(
            "proximity_ours", [exact_n, "reference", None]
        )
        report["proximity_big_exponential_exact"] = child(
            "proximity_ours", [exact_n, "exponential", None]
        )
    report["proximity_big_exponential_cutoff"] = child("proximity_ours", [big, "exponential", 5.0])
    report["proximity_huge_exponential_cutoff"] = child(
        "proximity_ours", [huge, "exponential", 5.0]
    )

    save(report, opts.quick)
    print("permutation test", file=sys.stderr)
    report["permutation"] = child("permutation", [big, 9 if opts.quick else 19])
    report["load_average"]["end"] = [round(v, 2) for v in os.getloadavg()]
    print(save(report, opts.quick))


def save(report: dict[str, Any], quick: bool, part: str = "") -> str:
    """Write the JSON and the Markdown table (also after each section, so a long run shows)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    suffix = ("-quick" if quick else "") + part
    (RESULTS / f"insights{suffix}.json").write_text(json.dumps(report, indent=1) + "\n")
    markdown = render(report)
    (RESULTS / f"insights{suffix}.md").write_text(markdown)
    return markdown


def _s(value: float | None) -> str:
    if value is None:
        return "-"
    if value < 1e-3:
        return f"{value * 1e6:.0f} µs"
    return f"{value * 1000:.2f} ms" if value < 1 else f"{value:.2f} s"


def _load(values: list[float] | None) -> str:
    return "-" if not values else ", ".join(f"{v:.2f}" for v in values)


def render_report(r: dict[str, Any]) -> list[str]:
    """The whole-report table (``--only report``)."""
    lines = [
        "## Whole report, 100,000 units with boundaries",
        "",
        "Every one-group index of 3 groups, every multigroup index, queen contiguity, spatial "
        "dissimilarity and proximity (exponential kernel with a cutoff, the default above "
        "50,000 units) and a 99-permutation test of every index. Each row is a fresh process; "
        "*first* includes the imports and numba's compilation (cold cache) or the loading of "
        "its on-disk cache (warm cache); *again* is the same report in the started process "
        "(best and worst of the repeats). CPU is user + system time of all threads.",
        "",
        "| case | first report | CPU | again (best / worst) | CPU (best) | contiguity | "
        "proximity | permutations | peak RSS |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key, label in (
        ("report_numba_cold_cache", "numba, cold cache (compiles)"),
        ("report_numba_warm_cache", "numba, warm on-disk cache"),
        ("report_numpy", "numpy fallback (no numba)"),
    ):
        c = r.get(key)
        if not c:
            continue
        if "error" in c:
            lines.append(f"| {label} | error: {c['error']} | | | | | | | |")
            continue
        steps = c.get("warm_steps") or c["first_steps"]
        contiguity = steps.get("queen contiguity")
        proximity = steps.get("spatial proximity")
        permutations = steps.get("permutations")
        warm = c["warm_s"]
        lines.append(
            f"| {label} | {_s(c['first_s'])} | {_s(c['first_cpu_s'])} | "
            f"{_s(min(warm))} / {_s(max(warm))} | {_s(min(c['warm_cpu_s']))} | "
            f"{_s(contiguity)} | {_s(proximity and contiguity and proximity - contiguity)} | "
            f"{_s(permutations and proximity and permutations - proximity)} | "
            f"{c['peak_rss_mb']:.0f} MB |"
        )
    ref = r.get("report_reference")
    if ref and "error" not in ref:

        def shown(key: str) -> str:
            if ref.get(f"{key}_s") is not None:
                return _s(ref[f"{key}_s"])
            return "out of memory" if ref.get(f"{key}_error") else "-"

        lines += [
            "",
            "Reference library on the same city, same process for all its parts: "
            f"one-group indices of the 3 groups {_s(ref['single_group_s'])}, multigroup "
            f"indices but Gini {_s(ref['multigroup_but_gini_s'])}, permutation test of the "
            f"dissimilarity (systematic null) {_s(ref['permutation_dissimilarity_99_s'])} for "
            f"99 (ran {ref['permutation_iterations_run']}, scaled); multigroup Gini "
            f"{shown('multigroup_gini')}, spatial dissimilarity "
            f"{shown('spatial_dissimilarity')}, spatial proximity {shown('spatial_proximity')}.",
        ]
    elif ref:
        lines += ["", f"Reference library: error: {ref['error']}"]
    cmd = r.get("report_command")
    if cmd:
        shown_cmd = _s(cmd["seconds"]) if "seconds" in cmd else f"error: {cmd['error']}"
        lines += [
            "",
            "`cocity insights indices` on the same city as CSV + GeoJSON (Django's start-up, "
            f"reading both files, the report with 99 permutations): {shown_cmd}.",
        ]
    return lines


def render(r: dict[str, Any]) -> str:
    m = r["machine"]
    lines = [
        "# Insights benchmark",
        "",
        f"{m['cpus']} CPUs, Python {m['python']}, numpy {m['numpy']}, reference: segregation "
        f"{m['segregation']} (libpysal {m['libpysal']}). Times are the best of several runs "
        "(one run for slow cases); each case runs in its own process.",
        "",
        f"Command: `{r.get('command', 'python benchmarks/insights/run.py')}`. Load average "
        f"(1, 5, 15 min) at the start: {_load(r.get('load_average', {}).get('start'))}, at the "
        f"end: {_load(r.get('load_average', {}).get('end'))}.",
        "",
        "## Single-group and multigroup indices",
        "",
        "*from raw*: one call on the plain arrays, validation included. *preparation*: the "
        "one-off validation and layout (`SingleCounts` / `GroupCounts`), shared by every index "
        "of the same data. *from prepared*: the index on a freshly prepared input (nothing "
        "reused from an earlier repetition). Ratios are the reference's time over ours.",
        "",
        "| index | units | ours from raw | preparation (once) | ours from prepared | reference "
        "| ratio from raw | ratio from prepared | abs. difference |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    if r.get("only") == "report":
        return "\n".join(lines[:6] + render_report(r)) + "\n"
    rows = r.get("aspatial", []) + r.get("spatial_dissimilarity_rows", [])
    for row in rows + r.get("proximity_rows", []):
        ratio = "-" if row.get("ratio") is None else f"{row['ratio']:.0f}x"
        ratio_p = "-" if row.get("ratio_prepared") is None else f"{row['ratio_prepared']:.0f}x"
        diff = row.get("abs_difference")
        ref = _s(row.get("reference_s")) if row.get("reference_s") else row.get("note", "-")
        lines.append(
            f"| {row['index']} | {row['units']:,} | {_s(row.get('ours_s'))} "
            f"| {_s(row.get('preparation_s'))} | {_s(row.get('prepared_s'))} | {ref} | {ratio} "
            f"| {ratio_p} | {'-' if diff is None else f'{diff:.1e}'} |"
        )
    if r.get("only") == "indices":
        return "\n".join(lines) + "\n"
    lines += ["", "## Spatial dissimilarity from boundaries (ours)", ""]
    lines += [
        "| units | polygons built | queen contiguity (STRtree) | neighbour pairs "
        "| spatial dissimilarity | contiguity + index | peak RSS |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key in ("spatial_dissimilarity_big", "spatial_dissimilarity_huge"):
        c = r.get(key)
        if not c:
            continue
        if "error" in c:
            lines.append(f"| {key} | error: {c['error']} | | | | | |")
            continue
        n = r["sizes"]["big" if key.endswith("big") else "huge"]
        lines.append(
            f"| {n:,} | {_s(c['polygons_s'])} | {_s(c['contiguity_s'])} | "
            f"{c['neighbour_pairs']:,} | {_s(c['spatial_dissimilarity_s'])} | "
            f"{_s(c['total_s'])} | {c['peak_rss_mb']:.0f} MB |"
        )
    lines += ["", "## Spatial proximity (ours)", ""]
    lines += [
        "| case | units | time | peak RSS | threads, tile | value |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key, label, size in (
        ("proximity_big_reference_kernel", "reference kernel, all pairs, exact", "exact_proximity"),
        (
            "proximity_big_exponential_exact",
            "exponential kernel, all pairs, exact",
            "exact_proximity",
        ),
        ("proximity_big_exponential_cutoff", "exponential kernel, cutoff 5 x scale", "big"),
        ("proximity_huge_exponential_cutoff", "exponential kernel, cutoff 5 x scale", "huge"),
    ):
        c = r.get(key)
        if not c:
            continue
        if "error" in c:
            lines.append(f"| {label} | {r['sizes'][size]:,} | error: {c['error']} | | | |")
            continue
        lines.append(
            f"| {label} | {r['sizes'][size]:,} | {_s(c['seconds'])} | "
            f"{c['peak_rss_mb']:.0f} MB | {c.get('threads', '-')}, {c.get('tile', '-')} "
            f"| {c['value']:.9f} |"
        )
    p = r.get("permutation")
    lines += ["", "## Permutation test (99 random allocations, dissimilarity)", ""]
    if not p:
        lines.append("not run yet")
    elif "error" in p:
        lines.append(f"error: {p['error']}")
    else:
        lines += [
            "| units | ours, exact permutation null | ours, systematic null | "
            "reference SingleValueTest (systematic) | peak RSS |",
            "| ---: | ---: | ---: | ---: | ---: |",
            f"| {r['sizes']['big']:,} | {_s(p['permutation_s'])} | {_s(p['systematic_s'])} | "
            f"{_s(p['reference_systematic_s'])} (ran {p['reference_iterations_run']}, "
            f"scaled to 99) | {p['peak_rss_mb']:.0f} MB |",
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
