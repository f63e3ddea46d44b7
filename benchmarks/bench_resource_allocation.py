"""Benchmark of the ``resource-allocation`` model.

* Closed form: ``ResourceAllocation(**arrays).solve()`` on 10^6 random parameter points with
  n = 3 targets (construction with validation, broadcasting and all nine outputs), one process,
  best of 3 runs after one warm-up run.
* Independent method: the aider's program solved numerically (SLSQP) on a sample of 100 points,
  with the largest difference from the closed form.

Prints a readable summary and, as the last line, one JSON object.
"""
from __future__ import annotations

import json
import os
import time

import numpy as np

from gametheory_aid.models.resource_allocation import ResourceAllocation

POINTS = 10 ** 6
SAMPLE = 100
RUNS = 3
N = 3


def random_points(count, seed=0):
    rng = np.random.default_rng(seed)
    share = rng.dirichlet(np.ones(N), size=count)
    share /= share.sum(axis=-1, keepdims=True)
    return dict(budget=rng.uniform(1, 20, count), intended_share=share, feedback=rng.uniform(0, 2, (count, N)),
                norm_cost=rng.uniform(0, 0.5, count), penalty=rng.uniform(0, 1, count),
                transparency=rng.uniform(0, 1, count))


def numeric_allocation(budget, share, feedback, m):
    from scipy.optimize import minimize

    intended = budget * share
    res = minimize(lambda x: -(feedback @ x - 0.5 * m * np.sum((x - intended) ** 2)), intended,
                   jac=lambda x: -(feedback - m * (x - intended)), method="SLSQP", bounds=[(0, None)] * N,
                   constraints=[{"type": "eq", "fun": lambda x: x.sum() - budget}],
                   options={"ftol": 1e-15, "maxiter": 1000})
    return res.x


def main():
    points = random_points(POINTS)
    ResourceAllocation(**points).solve()
    best = np.inf
    for _ in range(RUNS):
        start = time.perf_counter()
        ResourceAllocation(**points).solve()
        best = min(best, time.perf_counter() - start)
    rate = POINTS / best
    sample = random_points(SAMPLE, seed=1)
    closed = np.asarray(ResourceAllocation(**sample).solve().allocation)
    start = time.perf_counter()
    worst = 0.0
    for k in range(SAMPLE):
        m = sample["norm_cost"][k] + sample["transparency"][k] * sample["penalty"][k]
        x = numeric_allocation(sample["budget"][k], sample["intended_share"][k], sample["feedback"][k], m)
        worst = max(worst, float(np.max(np.abs(x - closed[k])) / sample["budget"][k]))
    numeric_rate = SAMPLE / (time.perf_counter() - start)
    load = os.getloadavg()[0]
    print(f"closed form: {rate:,.0f} points/s ({POINTS:,} points, n = {N}, best of {RUNS})")
    print(f"numeric optimiser (SLSQP): {numeric_rate:,.0f} points/s on {SAMPLE} points; "
          f"largest difference / B = {worst:.2e}")
    print(f"load average: {load:.2f}")
    print(json.dumps({"points_per_second": rate, "numeric_points_per_second": numeric_rate,
                      "max_relative_difference": worst, "load_average": load}))


if __name__ == "__main__":
    main()
