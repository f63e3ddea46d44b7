"""Benchmark of the ``strategy-portfolio`` model.

* Closed form: ``StrategyPortfolio(**arrays).solve()`` on 10^6 random parameter points with
  n = 4 channels (construction with validation, broadcasting and all ten outputs, the 4 x 4
  ``displacement`` included), one process, best of 3 runs after one warm-up run; wall-clock time,
  with the process's CPU time beside it (the machine may be shared).
* Independent method: the aider's programme solved numerically (SLSQP with bounds) on a sample of
  100 points, with the largest difference from the closed form relative to max(1, max_k |g_k|).
* ``optimal_targeting`` at the defaults (16 + a few linear programmes).

Prints a readable summary and, as the last line, one JSON object.
"""
from __future__ import annotations

import json
import os
import time

import numpy as np

from gametheory_aid.models.strategy_portfolio import StrategyPortfolio

POINTS = 10 ** 6
SAMPLE = 100
RUNS = 3
N = 4


def random_points(count, seed=0):
    rng = np.random.default_rng(seed)
    return dict(gain=rng.uniform(0, 3, (count, N)), fine=rng.uniform(0, 5, (count, N)),
                harm=rng.uniform(0, 2, (count, N)), substitution=rng.uniform(-0.3, 0.95, count),
                transparency=rng.uniform(0, 1, count),
                channel_transparency=rng.uniform(0, 1, (count, N)) * (rng.random((count, N)) < 0.5))


def numeric_intensity(g, kappa):
    from scipy.optimize import minimize

    s = max(1.0, float(np.max(np.abs(g))))
    q = g / s
    K = (1 - kappa) * np.eye(N) + kappa * np.ones((N, N))
    res = minimize(lambda y: 0.5 * y @ K @ y - q @ y, np.maximum(q, 0), jac=lambda y: K @ y - q, method="SLSQP",
                   bounds=[(0, None)] * N, options={"ftol": 1e-16, "maxiter": 2000})
    return s * res.x, s


def main():
    points = random_points(POINTS)
    StrategyPortfolio(**points).solve()
    best, best_cpu = np.inf, np.inf
    for _ in range(RUNS):
        start, cpu = time.perf_counter(), time.process_time()
        StrategyPortfolio(**points).solve()
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    rate, cpu_rate = POINTS / best, POINTS / best_cpu

    sample = random_points(SAMPLE, seed=1)
    closed = np.asarray(StrategyPortfolio(**sample).solve().intensity)
    start = time.perf_counter()
    worst = 0.0
    for k in range(SAMPLE):
        p = 1 - (1 - sample["transparency"][k]) * (1 - sample["channel_transparency"][k])
        g = sample["gain"][k] - p * sample["fine"][k]
        e, scale = numeric_intensity(g, sample["substitution"][k])
        worst = max(worst, float(np.max(np.abs(e - closed[k]))) / scale)
    numeric_rate = SAMPLE / (time.perf_counter() - start)

    model = StrategyPortfolio()
    model.optimal_targeting(1.0)
    start = time.perf_counter()
    targeting = model.optimal_targeting(1.0)
    targeting_seconds = time.perf_counter() - start

    load = os.getloadavg()[0]
    print(f"closed form: {rate:,.0f} points/s wall, {cpu_rate:,.0f} points/s CPU ({POINTS:,} points, n = {N}, "
          f"best of {RUNS})")
    print(f"numeric optimiser (SLSQP): {numeric_rate:,.0f} points/s on {SAMPLE} points; "
          f"largest difference / max(1, |g|) = {worst:.2e}")
    print(f"optimal_targeting at the defaults: {targeting_seconds * 1e3:.0f} ms, {targeting.lps_solved} LPs")
    print(f"load average: {load:.2f}")
    print(json.dumps({"points_per_second": rate, "cpu_points_per_second": cpu_rate,
                      "numeric_points_per_second": numeric_rate, "max_relative_difference": worst,
                      "targeting_seconds": targeting_seconds, "targeting_lps": targeting.lps_solved,
                      "load_average": load}))


if __name__ == "__main__":
    main()
