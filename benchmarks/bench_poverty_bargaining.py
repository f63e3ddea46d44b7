"""Benchmark of the poverty-bargaining model.

* The closed-form solver (``PovertyBargaining._solve``, plain numpy expressions, solved in blocks by
  the base class): parameter points per second for 10^6 random points across the domain, every
  output, one process (model construction with validation plus ``solve()``; best of three runs
  after a warm-up).
* A memory-bound numpy baseline in the same run: the time numpy takes to write as many float64
  arrays of 10^6 elements as the model has outputs, each from one input by one operation
  (``np.add(x, 1.0)``); the ratio of the two says how far the solver is from merely writing its
  outputs.
* The independent numeric method: the aider's best claim by a dense grid plus bounded
  ``scipy.optimize.minimize_scalar`` refinement on each smooth piece of its expected payoff, on a
  sample of 200 points.

Run ``python benchmarks/bench_poverty_bargaining.py`` (``--block-sizes 4096,16384,65536`` also
times the solver at other ``PovertyBargaining.block_size`` values); the last line is a JSON record.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import time

import numpy as np
from scipy.optimize import minimize_scalar

from gametheory_aid.models.poverty_bargaining import PovertyBargaining

N_POINTS = 10 ** 6
N_NUMERIC = 200
REPEATS = 3


def random_parameters(n: int, seed: int = 0) -> dict:
    """Random points across the domain (disagreement and the cap included)."""
    rng = np.random.default_rng(seed)
    a = rng.uniform(0.5, 20, n)
    b = rng.uniform(0.1, 5, n)
    theta = rng.uniform(0, 1.2, n) * a
    surplus = np.maximum(a - theta, 0) ** 2 / (2 * b)
    return {
        "value_intercept": a, "value_curvature": b, "true_cost": theta,
        "max_claim": theta + rng.uniform(0, 10, n),
        "bargaining_power": rng.uniform(0, 1, n),
        "disagreement_centre": rng.uniform(-0.2, 0.6, n) * surplus,
        "disagreement_aider": rng.uniform(-0.2, 0.6, n) * surplus,
        "transparency": rng.uniform(0, 1, n),
        "penalty_fixed": rng.uniform(0, 5, n),
        "penalty_rate": rng.uniform(0, 3, n),
    }


def expected_payoff(claim, p):
    """The aider's expected true payoff of a claim, from the model's primitives."""
    a, b, theta = p["value_intercept"], p["value_curvature"], p["true_cost"]

    def deal(c):
        quota = np.maximum(a - c, 0.0) / b
        gain = a * quota - b * quota ** 2 / 2 - c * quota - p["disagreement_centre"] - p["disagreement_aider"]
        transfer = c * quota + p["disagreement_aider"] + p["bargaining_power"] * gain
        return np.where(gain >= 0, transfer - theta * quota, p["disagreement_aider"])

    claim = np.asarray(claim, dtype=float)
    penalty = np.where(claim > theta, p["penalty_fixed"] + p["penalty_rate"] * (claim - theta), 0.0)
    tau = p["transparency"]
    return (1 - tau) * deal(claim) + tau * (deal(theta) - penalty)


def numeric_best_claim(p, grid: int = 2001):
    """Grid plus ``minimize_scalar`` on each smooth piece; the honest claim first (ties keep it)."""
    theta, a, b = p["true_cost"], p["value_intercept"], p["value_curvature"]
    d = p["disagreement_centre"] + p["disagreement_aider"]
    top = p["max_claim"]
    breaks = sorted({theta, top} | {c for c in (a, a - math.sqrt(2 * b * max(d, 0.0))) if theta < c < top})
    best_c, best_v = theta, float(expected_payoff(theta, p))
    for lo, hi in zip(breaks[:-1], breaks[1:], strict=True):
        cs = np.linspace(lo, hi, grid)[1:]
        vals = expected_payoff(cs, p)
        i = int(np.argmax(vals))
        r = minimize_scalar(lambda c: -float(expected_payoff(c, p)),
                            bounds=(cs[max(i - 1, 0)], cs[min(i + 1, len(cs) - 1)]), method="bounded",
                            options={"xatol": 1e-10})
        for c, v in ((cs[i], vals[i]), (r.x, -r.fun)):
            if v > best_v:
                best_c, best_v = float(c), float(v)
    return best_c, best_v


def _best_time(run) -> float:
    run()  # warm-up (first touch of memory)
    best = math.inf
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def bench_vectorised(params: dict, block_size: int | None = None) -> float:
    """Points per second of ``PovertyBargaining(**params).solve()`` (all outputs)."""
    default = PovertyBargaining.block_size
    if block_size is not None:
        PovertyBargaining.block_size = block_size
    try:
        result = PovertyBargaining(**params).solve()
        assert result.overstatement.shape == (N_POINTS,)
        return N_POINTS / _best_time(lambda: PovertyBargaining(**params).solve())
    finally:
        PovertyBargaining.block_size = default


def bench_baseline(params: dict) -> float:
    """Points per second of writing one float64 array per output from the inputs, one ``np.add`` each."""
    inputs = [v for v in params.values() if v is not None]
    n_outputs = len(PovertyBargaining.outputs)

    def run():
        return [np.add(inputs[i % len(inputs)], 1.0) for i in range(n_outputs)]

    return N_POINTS / _best_time(run)


def bench_numeric() -> tuple:
    params = random_parameters(N_NUMERIC, seed=1)
    points = [{k: float(v[i]) for k, v in params.items()} for i in range(N_NUMERIC)]
    start = time.perf_counter()
    values = [numeric_best_claim(pt)[1] for pt in points]
    elapsed = time.perf_counter() - start
    closed = PovertyBargaining(**params).solve().aider_expected_payoff
    scale = 1 + params["value_intercept"] ** 2 / params["value_curvature"]
    worst = float(np.max(np.abs(closed - np.array(values)) / scale))
    return N_NUMERIC / elapsed, worst


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--block-sizes", default="", help="comma-separated block sizes to time as well")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    params = random_parameters(N_POINTS)
    vectorised = bench_vectorised(params)
    baseline = bench_baseline(params)
    by_block = {int(b): bench_vectorised(params, int(b)) for b in args.block_sizes.split(",") if b.strip()}
    numeric, worst = bench_numeric()
    print(f"closed form, vectorised: {vectorised:,.0f} points/s ({N_POINTS:,} points, all outputs, "
          f"block_size {PovertyBargaining.block_size}, best of {REPEATS})")
    print(f"numpy baseline ({len(PovertyBargaining.outputs)} x np.add(x, 1.0)): {baseline:,.0f} points/s; "
          f"solver / baseline = {vectorised / baseline:.3f}")
    for block, rate in by_block.items():
        print(f"  block_size {block}: {rate:,.0f} points/s")
    print(f"numeric (grid + minimize_scalar): {numeric:,.1f} points/s ({N_NUMERIC} points); "
          f"largest payoff gap / scale {worst:.2e}")
    print(f"load average (1 min) at start: {load:.2f}")
    record = {"model": "poverty-bargaining", "points": N_POINTS, "points_per_second": round(vectorised),
              "block_size": PovertyBargaining.block_size, "baseline_points_per_second": round(baseline),
              "ratio_to_baseline": round(vectorised / baseline, 4),
              "points_per_second_by_block_size": {str(k): round(v) for k, v in by_block.items()},
              "numeric_points": N_NUMERIC, "numeric_points_per_second": round(numeric, 1),
              "numeric_max_relative_payoff_gap": worst, "speedup": round(vectorised / numeric),
              "load_average": round(load, 2)}
    print(json.dumps(record))
    return record


if __name__ == "__main__":
    main()
