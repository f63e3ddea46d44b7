"""Benchmark of the ``joint-blame`` model.

Run as a script: ``python benchmarks/bench_joint_blame.py [--points N] [--sample M] [--block-sizes ...]``.

* Closed form: ``JointBlame(**arrays).solve()`` on N = 10^6 random points across the domain
  (construction with validation, all eleven outputs, including the side deal through the core's
  Nash bargaining solver), one process, best of 3 runs after one warm-up run.
* Memory-bound baseline, in the same run: numpy writing as many float64 arrays of N elements
  as the model has outputs, each from one input by one operation (``np.add(x, 1.0)``), best of 3.
  The ratio of the two rates says how far the solver is from merely writing its outputs.
* Independent method: a Python loop that builds each point's 2x2 game and runs nashpy's support
  enumeration, on a sample of M points (best of 3).

``--block-sizes 4096,16384,...`` also times the closed form at other values of
``JointBlame.block_size``.  Prints a readable summary and, as the last line, one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import time

import numpy as np

from gametheory_aid.models.joint_blame import JointBlame

RUNS = 3


def random_parameters(n: int, seed: int = 0) -> dict:
    """N points drawn uniformly across a box of the domain (every regime occurs)."""
    rng = np.random.default_rng(seed)
    return dict(
        prob_good=rng.uniform(0, 1, n), reward_aider=rng.uniform(0, 5, n), reward_recipient=rng.uniform(0, 5, n),
        penalty_aider=rng.uniform(0, 5, n), penalty_recipient=rng.uniform(0, 5, n),
        transfer_efficiency=rng.uniform(0.01, 1, n), recipient_power=rng.uniform(0, 1, n),
        audit_cost=rng.uniform(0, 1, n), audit_detection=rng.uniform(0, 1, n), centre_loss=rng.uniform(0, 5, n),
        transparency=rng.uniform(0, 1, n), whistleblower_reward=rng.uniform(0, 1, n))


def best_time(run, runs: int = RUNS) -> float:
    """Best-of-``runs`` wall-clock time of ``run()``, after one warm-up call."""
    run()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
        del result
    return min(times)


def closed_form_time(params: dict) -> float:
    """Validating and solving every point, all outputs."""
    return best_time(lambda: JointBlame(**params).solve())


def baseline_time(params: dict) -> float:
    """Writing one float64 array per output of the model, each by one numpy operation on an input."""
    inputs = list(params.values())
    outputs = len(JointBlame.outputs)
    return best_time(lambda: [np.add(inputs[i % len(inputs)], 1.0) for i in range(outputs)])


def nashpy_rate(params: dict, sample: int) -> float:
    points = [{k: float(v[i]) for k, v in params.items()} for i in range(sample)]

    def loop():
        for point in points:
            list(JointBlame(**point).to_game().to_nashpy().support_enumeration())

    return sample / best_time(loop)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10 ** 6)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--block-sizes", default="", help="comma-separated block sizes to time as well")
    args = parser.parse_args(argv)
    points = args.points

    params = random_parameters(points)
    load_before = os.getloadavg()[0]
    best = closed_form_time(params)
    base = baseline_time(params)
    rate, base_rate = points / best, points / base
    blocks = {}
    default_block = JointBlame.block_size
    for size in (int(s) for s in args.block_sizes.split(",") if s):
        JointBlame.block_size = size
        try:
            blocks[size] = round(points / closed_form_time(params))
        finally:
            JointBlame.block_size = default_block
    load = os.getloadavg()[0]
    regimes, counts = np.unique(JointBlame(**params).solve().regime, return_counts=True)
    nash_rate = nashpy_rate(params, args.sample) if args.sample else float("nan")

    print(f"closed form: {points:,} points in {best:.4f} s (best of {RUNS}, block size {default_block}) "
          f"= {rate:,.0f} points/s")
    print(f"baseline ({len(JointBlame.outputs)} x np.add(x, 1.0) on {points:,} elements): {base:.4f} s "
          f"= {base_rate:,.0f} points/s; closed form / baseline = {rate / base_rate:.2f}")
    for size, r in blocks.items():
        print(f"  block size {size}: {r:,} points/s")
    print(f"load average (1 min) {load_before:.2f} before, {load:.2f} after")
    print("regimes: " + ", ".join(f"{r} {c / points:.1%}" for r, c in zip(regimes, counts, strict=True)))
    print(f"nashpy support enumeration: {nash_rate:,.0f} points/s on {args.sample} points; "
          f"closed form / nashpy = {rate / nash_rate:,.3g}")
    out = {"model": "joint-blame", "points": points, "closed_form_points_per_s": round(rate),
           "closed_form_best_s": round(best, 5), "block_size": default_block,
           "baseline_points_per_s": round(base_rate), "baseline_best_s": round(base, 5),
           "ratio_to_baseline": round(rate / base_rate, 3),
           "block_sizes_points_per_s": {str(k): v for k, v in blocks.items()},
           "load_average": round(load, 2), "nashpy_points_per_s": round(nash_rate, 1), "nashpy_sample": args.sample,
           "regime_shares": {str(r): int(c) / points for r, c in zip(regimes, counts, strict=True)},
           "numpy": np.__version__, "python": platform.python_version()}
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
