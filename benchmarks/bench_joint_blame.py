"""Throughput of the joint-blame model: vectorised closed form versus nashpy per point.

Run as a script: ``python benchmarks/bench_joint_blame.py [--points N] [--sample M]``.

* ``vectorised``: ``JointBlame(**arrays).solve()`` on N random points across the domain (all
  outputs, including the side deal through the core's Nash bargaining solver; validation
  included), one process, best of 3 runs.
* ``nashpy``: a Python loop that builds each point's 2x2 game and runs nashpy's support
  enumeration, on a sample of M points (best of 3).

Prints a readable summary and, last, one JSON line.
"""
from __future__ import annotations

import argparse
import json
import platform
import time

import numpy as np

from gametheory_aid.models.joint_blame import JointBlame


def random_parameters(n: int, seed: int = 0) -> dict:
    """N points drawn uniformly across a box of the domain."""
    rng = np.random.default_rng(seed)
    return dict(
        prob_good=rng.uniform(0, 1, n), reward_aider=rng.uniform(0, 5, n), reward_recipient=rng.uniform(0, 5, n),
        penalty_aider=rng.uniform(0, 5, n), penalty_recipient=rng.uniform(0, 5, n),
        transfer_efficiency=rng.uniform(0.01, 1, n), recipient_power=rng.uniform(0, 1, n),
        audit_cost=rng.uniform(0, 1, n), audit_detection=rng.uniform(0, 1, n), centre_loss=rng.uniform(0, 5, n),
        transparency=rng.uniform(0, 1, n), whistleblower_reward=rng.uniform(0, 1, n))


def best_of(runs: int, fn) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10 ** 6)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)

    params = random_parameters(args.points)
    model = JointBlame(**params)
    model.solve()  # warm-up
    t_solve = best_of(args.runs, model.solve)
    t_total = best_of(args.runs, lambda: JointBlame(**params).solve())
    regimes, counts = np.unique(model.solve().regime, return_counts=True)

    sample = [{k: float(v[i]) for k, v in params.items()} for i in range(args.sample)]

    def nashpy_loop():
        for point in sample:
            list(JointBlame(**point).to_game().to_nashpy().support_enumeration())

    t_nashpy = best_of(args.runs, nashpy_loop)

    result = {
        "benchmark": "joint-blame",
        "points": args.points,
        "vectorised_points_per_second": args.points / t_solve,
        "vectorised_with_validation_points_per_second": args.points / t_total,
        "nashpy_sample": args.sample,
        "nashpy_points_per_second": args.sample / t_nashpy,
        "speedup": (args.points / t_solve) / (args.sample / t_nashpy),
        "regime_shares": {str(r): int(c) / args.points for r, c in zip(regimes, counts)},
        "numpy": np.__version__,
        "python": platform.python_version(),
    }
    print(f"joint-blame: {args.points:,} points")
    print(f"  vectorised solve:             {result['vectorised_points_per_second']:.3g} points/s")
    print(f"  validation + solve:           {result['vectorised_with_validation_points_per_second']:.3g} points/s")
    print(f"  nashpy support enumeration:   {result['nashpy_points_per_second']:.3g} points/s "
          f"({args.sample} points)")
    print(f"  speed-up:                     {result['speedup']:.3g}x")
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
