"""Benchmark of the ``pleading-poverty`` model.

* Closed form: ``PleadingPoverty(**arrays).solve()`` on 10^6 random parameter points across the
  domain (validation, broadcasting and all fourteen outputs), one process, best of 3 runs after
  one warm-up run.
* Independent method: the direct numerical optimisation of the centre's program
  (:func:`~gametheory_aid.models.pleading_poverty.numeric_menu`, SLSQP from five starts) on a
  sample of 200 points, with the largest difference from the closed form.

Prints a readable summary and, as the last line, one JSON object.
"""
from __future__ import annotations

import json
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


def closed_form_rate(params: dict) -> tuple:
    """Best-of-RUNS wall-clock and CPU (this process) times of validating and solving every point."""
    PleadingPoverty(**params).solve()          # warm-up: first touch of the output memory
    walls, cpus = [], []
    for _ in range(RUNS):
        wall, cpu = time.perf_counter(), time.process_time()
        result = PleadingPoverty(**params).solve()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
        del result
    return POINTS / min(walls), min(walls), POINTS / min(cpus)


def numeric_rate(params: dict) -> tuple:
    start = time.perf_counter()
    menus = [numeric_menu(**{k: float(v[i]) for k, v in params.items()}) for i in range(SAMPLE)]
    elapsed = time.perf_counter() - start
    closed = PleadingPoverty(**params).solve()
    worst = max(max(abs(m["quota_weak"] - closed.quota_weak[i]), abs(m["quota_strong"] - closed.quota_strong[i]))
                for i, m in enumerate(menus))
    return SAMPLE / elapsed, worst


def main() -> dict:
    rng = np.random.default_rng(20240601)
    params = random_points(POINTS, rng)
    rate, best, cpu_rate = closed_form_rate(params)
    regimes, counts = np.unique(PleadingPoverty(**params).solve().regime, return_counts=True)
    sample = {k: v[:SAMPLE] for k, v in params.items()}
    num_rate, worst = numeric_rate(sample)
    print(f"closed form: {POINTS:,} points in {best:.4f} s (best of {RUNS}) = {rate:,.0f} points/s "
          f"(CPU time: {cpu_rate:,.0f} points/s)")
    print("regimes: " + ", ".join(f"{r} {c / POINTS:.1%}" for r, c in zip(regimes, counts)))
    print(f"numerical optimisation (SLSQP): {num_rate:,.1f} points/s on {SAMPLE} points; "
          f"largest quota difference from the closed form {worst:.2e}")
    out = {"model": "pleading-poverty", "points": POINTS, "closed_form_points_per_s": round(rate),
           "closed_form_best_s": round(best, 5),
           "closed_form_cpu_points_per_s": round(cpu_rate), "numeric_points_per_s": round(num_rate, 1),
           "numeric_sample": SAMPLE, "numeric_max_quota_diff": float(worst)}
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
