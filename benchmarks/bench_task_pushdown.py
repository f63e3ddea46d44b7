"""Throughput of the task-pushdown model: the readable solver, a numpy baseline, the game tree.

Run as a script: ``python benchmarks/bench_task_pushdown.py [--points N] [--rounds T] [--block-size B]
[--sample M]``.

* ``solver``: ``TaskPushdown(rounds=T, **arrays).solve()`` on N random points across the
  domain (construction and validation, broadcasting and all nine outputs, the plan included),
  one process, best of 3 runs after a warm-up run, by wall clock and by this process's CPU
  time (the latter is not inflated when other processes share the cores).
* ``numpy baseline``: the memory-bound floor -- numpy writing as many float64 arrays of N
  elements as the model has outputs, each from one input with one operation
  (``np.add(x, 1.0)``), best of 3; the ratio of the two says how many such passes over memory
  the solver costs.
* ``normal form + nashpy``: a Python loop that builds each point's game tree, its normal form
  (the core's), and lists its Nash equilibria with nashpy's support enumeration, on a sample
  of M points; also the core tree's own backward induction per point.  Every sampled plan is
  checked against the vectorised one.  ``--sample 0`` skips them.

Prints a readable summary and, last, one JSON line.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import time
import warnings

import numpy as np

from gametheory_aid.models.task_pushdown import TaskPushdown

OUTPUTS = [o.name for o in TaskPushdown.outputs]


def random_parameters(n: int, seed: int = 0) -> dict:
    """N points drawn uniformly across a box of the domain."""
    rng = np.random.default_rng(seed)
    return dict(
        success_upper=rng.uniform(0, 1, n), success_lower=rng.uniform(0, 1, n),
        time_decay=rng.uniform(0.01, 1, n), cost_upper=rng.uniform(0, 5, n), cost_lower=rng.uniform(0, 5, n),
        credit_upper=rng.uniform(0, 5, n), credit_lower=rng.uniform(0, 5, n),
        blame_upper=rng.uniform(0, 10, n), blame_lower=rng.uniform(0, 10, n),
        supervisory_share=rng.uniform(0, 1, n), blame_stickiness=rng.uniform(0, 1, n),
        transparency=rng.uniform(0, 1, n), decision_support=rng.uniform(0, 1, n))


def best_of(runs: int, fn, clock=time.perf_counter) -> float:
    """Best time of ``runs`` calls by ``clock`` (wall clock, or this process's CPU time)."""
    best = float("inf")
    for _ in range(runs):
        start = clock()
        fn()
        best = min(best, clock() - start)
    return best


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10 ** 6)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--block-size", type=int, default=TaskPushdown.block_size)
    args = parser.parse_args(argv)
    TaskPushdown.block_size = args.block_size

    params = random_parameters(args.points)

    def full():
        result = TaskPushdown(rounds=args.rounds, **params).solve()
        assert all(name in result for name in OUTPUTS)
        return result

    inputs = list(params.values())
    inputs = [inputs[i % len(inputs)] for i in range(len(OUTPUTS))]

    def baseline():  # one float64 array per output, one pass each
        return [np.add(x, 1.0) for x in inputs]

    result = full()  # warm-up
    baseline()
    t_total = best_of(args.runs, full)
    t_base = best_of(args.runs, baseline)
    t_total_cpu = best_of(args.runs, full, time.process_time)  # robust to other load on the machine
    model = TaskPushdown(rounds=args.rounds, **params)
    t_solve = best_of(args.runs, model.solve)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    actors, counts = np.unique(result.actor, return_counts=True)

    out = {
        "benchmark": "task-pushdown",
        "rounds": args.rounds,
        "points": args.points,
        "block_size": args.block_size,
        "solver_points_per_second": args.points / t_total,
        "solver_cpu_time_points_per_second": args.points / t_total_cpu,
        "solve_only_points_per_second": args.points / t_solve,
        "baseline_points_per_second": args.points / t_base,
        "baseline_over_solver": t_total / t_base,
        "actor_shares": {str(a): int(c) / args.points for a, c in zip(actors, counts, strict=True)},
        "load_average_1min": load,
        "numpy": np.__version__,
        "python": platform.python_version(),
    }
    print(f"task-pushdown: {args.points:,} points, rounds = {args.rounds}, block size {args.block_size}")
    print(f"  construction + solve (all outputs): {out['solver_points_per_second']:.3g} points/s")
    print(f"  the same, by CPU time:              {out['solver_cpu_time_points_per_second']:.3g} points/s")
    print(f"  solve only:                         {out['solve_only_points_per_second']:.3g} points/s")
    print(f"  numpy baseline ({len(OUTPUTS)} x np.add):        {out['baseline_points_per_second']:.3g} points/s "
          f"(solver / baseline time: {out['baseline_over_solver']:.3g})")

    if args.sample:
        sample = [{k: float(v[i]) for k, v in params.items()} for i in range(args.sample)]

        def nashpy_loop():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # degenerate games: nashpy warns, the count is what matters
                for point in sample:
                    game = TaskPushdown(rounds=args.rounds, **point).to_game().to_normal_form().to_nashpy()
                    list(game.support_enumeration())

        def tree_loop():
            return [TaskPushdown(rounds=args.rounds, **point).to_game().backward_induction().plan
                    for point in sample]

        t_nashpy = best_of(1, nashpy_loop)
        t_tree = best_of(args.runs, tree_loop)
        plans = tree_loop()
        agree = sum(all((spe[label] == "act") == bool(result.plan[i, k])
                        for k, label in enumerate(spe)) for i, spe in enumerate(plans))
        out.update({
            "nashpy_sample": args.sample,
            "nashpy_points_per_second": args.sample / t_nashpy,
            "tree_backward_induction_points_per_second": args.sample / t_tree,
            "speedup_over_nashpy": (args.points / t_total) / (args.sample / t_nashpy),
            "sample_plans_agreeing": f"{agree}/{args.sample}",
        })
        print(f"  normal form + nashpy, per point:    {out['nashpy_points_per_second']:.3g} points/s "
              f"({args.sample} points)")
        print(f"  game-tree backward induction:       {out['tree_backward_induction_points_per_second']:.3g} points/s")
        print(f"  speed-up over nashpy:               {out['speedup_over_nashpy']:.3g}x")
        print(f"  sampled plans agreeing with the tree: {out['sample_plans_agreeing']}")
    print(f"  load average (1 min): {load}")
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
