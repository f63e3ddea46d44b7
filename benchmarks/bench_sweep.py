"""Benchmark of parameter sweeps: points per second and peak memory.

For each model it measures, each case in a fresh process (so that the peak resident memory
``resource.getrusage(RUSAGE_SELF).ru_maxrss`` belongs to that case alone):

* ``raw``     -- the model's own vectorised ``solve()`` (parameter validation included) on
  batches of ``chunk`` points, the batches covering ``points`` points in all, every output
  computed (no table is built); each batch's points are made from its flat indices, as the
  sweep makes them;
* ``memory``  -- ``sweep`` of a ``points``-point grid returning the table in memory;
* ``parquet`` -- the same sweep streamed to a Parquet dataset (``out=``);

Each case reports wall-clock seconds and the process's CPU seconds
(``time.process_time``, all threads: the Parquet sweep writes in background threads while
it solves the next chunk, so its CPU time exceeds its wall time on two or more cores).  The
summary gives both ratios to the raw case, and the load average before and after.  pandas
and pyarrow are imported before the clock starts (a one-off cost of about 0.2 s that the
raw case does not pay).

And, for one model, a ``big`` case: a ``10^8``-point grid swept to Parquet (three output
columns), whose peak memory must stay below 2 GiB.

Usage::

    python benchmarks/bench_sweep.py                 # every model, 10^7 points
    python benchmarks/bench_sweep.py --points 1e6    # quicker
    python benchmarks/bench_sweep.py --big           # also the 10^8-point grid
    python benchmarks/bench_sweep.py --compression none   # uncompressed Parquet
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

MODELS = ("pleading-poverty", "poverty-bargaining", "task-pushdown", "joint-blame", "resource-allocation",
          "strategy-portfolio", "contracting-stage")
# The two swept parameters of each model (the grid is transparency x the second one).
SECOND = {"pleading-poverty": ("penalty", 0.0, 10.0), "poverty-bargaining": ("penalty_fixed", 0.0, 5.0),
          "task-pushdown": ("blame_lower", 0.0, 10.0), "joint-blame": ("penalty_aider", 0.0, 10.0),
          "resource-allocation": ("penalty", 0.0, 10.0), "strategy-portfolio": ("substitution", 0.0, 0.9),
          "contracting-stage": ("task_value", 0.0, 20.0)}
BIG_OUTPUTS = {"pleading-poverty": ["rent_strong", "welfare_loss", "regime"]}


def _grid(name: str, points: int) -> dict:
    n_tau = 1000
    second, lo, hi = SECOND[name]
    return {"transparency": np.linspace(0, 1, n_tau), second: np.linspace(lo, hi, points // n_tau)}


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def run_case(case: str, name: str, points: int, chunk: int, compression: str = "snappy") -> dict:
    """Run one case in this process and return its figures."""
    from gametheory_aid import get_model
    from gametheory_aid.analysis import sweep

    model = get_model(name)()
    grid = _grid(name, points)
    if case != "raw":  # import the table libraries before the clock starts: a rate, not a start-up time
        import pandas  # noqa: F401
        import pyarrow.parquet  # noqa: F401
    n = int(np.prod([len(v) for v in grid.values()]))
    start, cpu = time.perf_counter(), time.process_time()
    if case == "raw":
        (p1, v1), (p2, v2) = grid.items()
        for s in range(0, n, chunk):
            i, j = np.divmod(np.arange(s, min(s + chunk, n)), len(v2))
            model.with_(**{p1: v1[i], p2: v2[j]}).solve()
    elif case == "memory":
        table = sweep(model, grid, chunk_size=chunk, progress=False)
        assert len(table) == n
    else:
        out = tempfile.mkdtemp(prefix="bench-sweep-")
        try:
            outputs = BIG_OUTPUTS.get(name) if case == "big" else None
            handle = sweep(model, grid, outputs=outputs, chunk_size=chunk, out=os.path.join(out, "d"),
                           compression=compression, progress=False)
            assert handle.complete and len(handle) == n
        finally:
            shutil.rmtree(out, ignore_errors=True)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    return {"case": case, "model": name, "points": n, "chunk": chunk, "compression": compression,
            "seconds": round(seconds, 2),
            "cpu_seconds": round(cpu_seconds, 2), "points_per_second": n / seconds,
            "cpu_points_per_second": n / cpu_seconds, "peak_mib": round(_peak_mib(), 1)}


def _subprocess(case: str, name: str, points: int, chunk: int, compression: str = "snappy") -> dict:
    res = subprocess.run([sys.executable, __file__, "--case", case, "--model", name, "--points", str(points),
                          "--chunk", str(chunk), "--compression", compression], capture_output=True, text=True)
    if res.returncode != 0:
        return {"case": case, "model": name, "error": res.stderr.strip().splitlines()[-1]}
    return json.loads(res.stdout)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=float, default=1e7)
    parser.add_argument("--chunk", type=int, default=1 << 20)
    parser.add_argument("--models", nargs="+", default=list(MODELS))
    parser.add_argument("--big", action="store_true", help="also sweep a 10^8-point grid to Parquet")
    parser.add_argument("--compression", default="snappy",
                        help="Parquet codec of the parquet cases (snappy, zstd, lz4, gzip, brotli, none)")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--model", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    points = int(args.points)
    if args.case:
        print(json.dumps(run_case(args.case, args.model, points, args.chunk, args.compression)))
        return 0
    rows = []
    load_before = os.getloadavg()
    for name in args.models:
        for case in ("raw", "memory", "parquet"):
            row = _subprocess(case, name, points, args.chunk, args.compression)
            rows.append(row)
            print(json.dumps(row), flush=True)
    if args.big:
        row = _subprocess("big", "pleading-poverty", 10 ** 8, args.chunk)
        rows.append(row)
        print(json.dumps(row), flush=True)
    load_after = os.getloadavg()
    print()
    print(f"{'model':20s} {'case':8s} {'wall s':>7s} {'cpu s':>7s} {'points/s':>10s} {'vs raw':>7s} "
          f"{'cpu vs raw':>10s} {'peak MiB':>9s}")
    raw = {r["model"]: r for r in rows if r["case"] == "raw" and "error" not in r}
    for r in rows:
        if "error" in r:
            print(f"{r['model']:20s} {r['case']:8s} error: {r['error']}")
            continue
        base = raw.get(r["model"])
        ratio = r["points_per_second"] / base["points_per_second"] if base else float("nan")
        cpu_ratio = r["cpu_points_per_second"] / base["cpu_points_per_second"] if base else float("nan")
        print(f"{r['model']:20s} {r['case']:8s} {r['seconds']:7.2f} {r['cpu_seconds']:7.2f} "
              f"{r['points_per_second']:10.3g} {ratio:7.2f} {cpu_ratio:10.2f} {r['peak_mib']:9.0f}")
    print("load average (1, 5, 15 min) before: " + ", ".join(f"{x:.2f}" for x in load_before)
          + "; after: " + ", ".join(f"{x:.2f}" for x in load_after))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
