"""Benchmark of parameter sweeps: points per second and peak memory.

For each model it measures, each case in a fresh process (so that the peak resident memory
``resource.getrusage(RUSAGE_SELF).ru_maxrss`` belongs to that case alone):

* ``raw``     -- the model's own vectorised ``solve()`` on batches of ``chunk`` points, the
  batches covering ``points`` points in all (no table is built);
* ``memory``  -- ``sweep`` of a ``points``-point grid returning the table in memory;
* ``parquet`` -- the same sweep streamed to a Parquet dataset (``out=``);

and, for one model, a ``big`` case: a ``10^8``-point grid swept to Parquet (three output
columns), whose peak memory must stay below 2 GiB.

Usage::

    python benchmarks/bench_sweep.py                 # every model, 10^7 points
    python benchmarks/bench_sweep.py --points 1e6    # quicker
    python benchmarks/bench_sweep.py --big           # also the 10^8-point grid
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

MODELS = ("pleading-poverty", "poverty-bargaining", "task-pushdown", "joint-blame")
# The two swept parameters of each model (the grid is transparency x the second one).
SECOND = {"pleading-poverty": ("penalty", 0.0, 10.0), "poverty-bargaining": ("penalty_fixed", 0.0, 5.0),
          "task-pushdown": ("blame_lower", 0.0, 10.0), "joint-blame": ("penalty_aider", 0.0, 10.0)}
BIG_OUTPUTS = {"pleading-poverty": ["rent_strong", "welfare_loss", "regime"]}


def _grid(name: str, points: int) -> dict:
    n_tau = 1000
    second, lo, hi = SECOND[name]
    return {"transparency": np.linspace(0, 1, n_tau), second: np.linspace(lo, hi, points // n_tau)}


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def run_case(case: str, name: str, points: int, chunk: int) -> dict:
    """Run one case in this process and return its figures."""
    from gametheory_aid import get_model
    from gametheory_aid.analysis import sweep

    model = get_model(name)()
    grid = _grid(name, points)
    n = int(np.prod([len(v) for v in grid.values()]))
    start = time.perf_counter()
    if case == "raw":
        (p1, v1), (p2, v2) = grid.items()
        flat = np.arange(n)
        for s in range(0, n, chunk):
            i, j = np.divmod(flat[s:s + chunk], len(v2))
            model.with_(**{p1: v1[i], p2: v2[j]}).solve()
    elif case == "memory":
        table = sweep(model, grid, chunk_size=chunk, progress=False)
        assert len(table) == n
    else:
        out = tempfile.mkdtemp(prefix="bench-sweep-")
        try:
            outputs = BIG_OUTPUTS.get(name) if case == "big" else None
            handle = sweep(model, grid, outputs=outputs, chunk_size=chunk, out=os.path.join(out, "d"),
                           progress=False)
            assert handle.complete and len(handle) == n
        finally:
            shutil.rmtree(out, ignore_errors=True)
    seconds = time.perf_counter() - start
    return {"case": case, "model": name, "points": n, "chunk": chunk, "seconds": round(seconds, 2),
            "points_per_second": n / seconds, "peak_mib": round(_peak_mib(), 1)}


def _subprocess(case: str, name: str, points: int, chunk: int) -> dict:
    res = subprocess.run([sys.executable, __file__, "--case", case, "--model", name, "--points", str(points),
                          "--chunk", str(chunk)], capture_output=True, text=True)
    if res.returncode != 0:
        return {"case": case, "model": name, "error": res.stderr.strip().splitlines()[-1]}
    return json.loads(res.stdout)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=float, default=1e7)
    parser.add_argument("--chunk", type=int, default=1 << 20)
    parser.add_argument("--models", nargs="+", default=list(MODELS))
    parser.add_argument("--big", action="store_true", help="also sweep a 10^8-point grid to Parquet")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--model", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    points = int(args.points)
    if args.case:
        print(json.dumps(run_case(args.case, args.model, points, args.chunk)))
        return 0
    rows = []
    for name in args.models:
        for case in ("raw", "memory", "parquet"):
            row = _subprocess(case, name, points, args.chunk)
            rows.append(row)
            print(json.dumps(row), flush=True)
    if args.big:
        row = _subprocess("big", "pleading-poverty", 10 ** 8, args.chunk)
        rows.append(row)
        print(json.dumps(row), flush=True)
    print()
    print(f"{'model':20s} {'case':8s} {'points/s':>12s} {'vs raw':>7s} {'peak MiB':>9s}")
    raw = {r["model"]: r.get("points_per_second") for r in rows if r["case"] == "raw"}
    for r in rows:
        if "error" in r:
            print(f"{r['model']:20s} {r['case']:8s} error: {r['error']}")
            continue
        ratio = r["points_per_second"] / raw[r["model"]] if raw.get(r["model"]) else float("nan")
        print(f"{r['model']:20s} {r['case']:8s} {r['points_per_second']:12.3g} {ratio:7.2f} {r['peak_mib']:9.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
