"""Benchmark of the ``pleading-poverty`` model.

* Closed form: ``PleadingPoverty(**arrays).solve()`` on 10^6 random parameter points across the
  domain (construction with validation, broadcasting and all fourteen outputs), one process,
  best of 3 runs after one warm-up run.
* Memory-bound baseline, in the same run: numpy writing as many float64 arrays of 10^6 elements
  as the model has outputs, each from one input by one operation (``np.add(x, 1.0)``), best of 3.
  The ratio of the two rates says how far the solver is from merely writing its outputs.
* Independent method: the direct numerical optimisation of the centre's program
  (:func:`~gametheory_aid.models.pleading_poverty.numeric_menu`, SLSQP from five starts) on a
  sample of 200 points, with the largest difference from the closed form.

``--block-sizes 4096,16384,...`` also times the closed form at other values of
``PleadingPoverty.block_size``.  Prints a readable summary and, as the last line, one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np

from gametheory_aid.models.pleading_poverty import PleadingPoverty, numeric_menu

POINTS = 10 ** 6
SAMPLE = 200
RUNS = 3


def random_points(n: int, rng: np.random.Generator) -> dict:
    """Points spread over the domain (every regime occurs)."""
    theta_s = rng.uniform(0.0, 5.0, n)
    return dict(value_intercept=rng.uniform(0.0, 20.0, n), value_curvature=rng.uniform(0.1, 5.0, n),
                cost_strong=theta_s, cost_weak=theta_s + rng.uniform(0.01, 5.0, n),
                prob_strong=rng.uniform(0.01, 0.99, n), transparency=rng.uniform(0.0, 1.0, n),
                penalty=rng.uniform(0.0, 10.0, n))


def best_time(run) -> float:
    """Best-of-RUNS wall-clock time of ``run()``, after one warm-up call."""
    run()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
        del result
    return min(times)


def closed_form_time(params: dict) -> float:
    """Validating and solving every point, all outputs."""
    return best_time(lambda: PleadingPoverty(**params).solve())


def baseline_time(params: dict) -> float:
    """Writing one float64 array per output of the model, each by one numpy operation on an input."""
    inputs = list(params.values())
    outputs = len(PleadingPoverty.outputs)
    return best_time(lambda: [np.add(inputs[i % len(inputs)], 1.0) for i in range(outputs)])


def numeric_rate(params: dict) -> tuple:
    start = time.perf_counter()
    menus = [numeric_menu(**{k: float(v[i]) for k, v in params.items()}) for i in range(SAMPLE)]
    elapsed = time.perf_counter() - start
    closed = PleadingPoverty(**params).solve()
    worst = max(max(abs(m["quota_weak"] - closed.quota_weak[i]), abs(m["quota_strong"] - closed.quota_strong[i]))
                for i, m in enumerate(menus))
    return SAMPLE / elapsed, worst


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--block-sizes", default="", help="comma-separated block sizes to time as well")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(20240601)
    params = random_points(POINTS, rng)
    load_before = os.getloadavg()[0]
    best = closed_form_time(params)
    base = baseline_time(params)
    rate, base_rate = POINTS / best, POINTS / base
    blocks = {}
    default_block = PleadingPoverty.block_size
    for size in (int(s) for s in args.block_sizes.split(",") if s):
        PleadingPoverty.block_size = size
        try:
            blocks[size] = round(POINTS / closed_form_time(params))
        finally:
            PleadingPoverty.block_size = default_block
    load = os.getloadavg()[0]
    regimes, counts = np.unique(PleadingPoverty(**params).solve().regime, return_counts=True)
    sample = {k: v[:SAMPLE] for k, v in params.items()}
    num_rate, worst = numeric_rate(sample)
    print(f"closed form: {POINTS:,} points in {best:.4f} s (best of {RUNS}, block size {default_block}) "
          f"= {rate:,.0f} points/s")
    print(f"baseline ({len(PleadingPoverty.outputs)} x np.add(x, 1.0) on {POINTS:,} elements): {base:.4f} s "
          f"= {base_rate:,.0f} points/s; closed form / baseline = {rate / base_rate:.2f}")
    for size, r in blocks.items():
        print(f"  block size {size}: {r:,} points/s")
    print(f"load average (1 min) {load_before:.2f} before, {load:.2f} after")
    print("regimes: " + ", ".join(f"{r} {c / POINTS:.1%}" for r, c in zip(regimes, counts, strict=True)))
    print(f"numerical optimisation (SLSQP): {num_rate:,.1f} points/s on {SAMPLE} points; "
          f"largest quota difference from the closed form {worst:.2e}")
    out = {"model": "pleading-poverty", "points": POINTS, "closed_form_points_per_s": round(rate),
           "closed_form_best_s": round(best, 5), "block_size": default_block,
           "baseline_points_per_s": round(base_rate), "baseline_best_s": round(base, 5),
           "ratio_to_baseline": round(rate / base_rate, 3),
           "block_sizes_points_per_s": {str(k): v for k, v in blocks.items()},
           "load_average": round(load, 2), "numeric_points_per_s": round(num_rate, 1),
           "numeric_sample": SAMPLE, "numeric_max_quota_diff": float(worst)}
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
