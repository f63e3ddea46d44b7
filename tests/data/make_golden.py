"""Regenerate the behaviour-freeze data: every model's outputs on fixed random points.

The data in ``golden/`` were written by this script *before* the package was reshaped into one
model contract; ``tests/test_golden.py`` checks that the package still reproduces them.  Run it
again only when a model's behaviour is meant to change (and say so in the change).

    python tests/data/make_golden.py
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

import gametheory_aid as gta

HERE = Path(__file__).parent / "golden"
POINTS = 10_000


def _draw(rng, spec, n):
    """Values over the whole domain, with the bounds and the default planted."""
    d = spec.domain
    default = 1.0 if spec.default is None else float(spec.default)
    lo = d.low if d.low is not None else -3 * (abs(default) + 1)
    hi = d.high if d.high is not None else 3 * (abs(default) + 1)
    x = rng.uniform(lo, hi, n)
    plant = rng.random(n)
    x = np.where(plant < 0.08, default, x)
    if d.low is not None and not d.low_open:
        x = np.where((plant >= 0.08) & (plant < 0.14), d.low, x)
    if d.high is not None and not d.high_open:
        x = np.where((plant >= 0.14) & (plant < 0.20), d.high, x)
    if d.low_open and d.low is not None:
        x = np.where(x <= d.low, d.low + 1e-3 * (hi - lo), x)
    if d.high_open and d.high is not None:
        x = np.where(x >= d.high, d.high - 1e-3 * (hi - lo), x)
    return x


def points(name, rng):
    cls = gta.get_model(name)
    pts = {}
    for p in cls.parameters:
        if p.integer or p.optional:
            continue
        pts[p.name] = _draw(rng, p, POINTS)
    if name == "pleading-poverty":   # cost_weak > cost_strong
        pts["cost_weak"] = pts["cost_strong"] + rng.uniform(1e-3, 6, POINTS) * (rng.random(POINTS) > 0.05) + 1e-3
    if name == "poverty-bargaining":
        pts["disagreement_centre"] = np.where(rng.random(POINTS) < 0.5, 0.0, pts["disagreement_centre"])
        pts["disagreement_aider"] = np.where(rng.random(POINTS) < 0.5, 0.0, pts["disagreement_aider"])
    return pts


def solve_points(name, pts, extra=None):
    cls = gta.get_model(name)
    res = cls(**pts, **(extra or {})).solve()
    out = {}
    for o in cls.outputs:
        if o.kind == "object":
            continue
        out[o.name] = np.asarray(res[o.name])
    return out


def main():
    HERE.mkdir(exist_ok=True)
    rng = np.random.default_rng(20261202)
    for name in ("pleading-poverty", "poverty-bargaining", "joint-blame"):
        pts = points(name, rng)
        outs = solve_points(name, pts)
        if name == "poverty-bargaining":   # also with a cap on the claim
            cap = pts["true_cost"] + rng.uniform(0, 3, POINTS)
            capped = solve_points(name, pts, {"max_claim": cap})
            outs.update({f"capped.{k}": v for k, v in capped.items()})
            pts = dict(pts, max_claim=cap)
        np.savez_compressed(HERE / f"{name}.npz", **{f"param.{k}": v for k, v in pts.items()},
                            **{f"out.{k}": v for k, v in outs.items()})
    # task-pushdown: rounds is an integer scalar; 10^4 points spread over T = 1..6
    arrays = {}
    for rounds in range(1, 7):
        pts = points("task-pushdown", rng)
        pts = {k: v[: POINTS // 6] for k, v in pts.items()}
        outs = solve_points("task-pushdown", pts, {"rounds": rounds})
        arrays.update({f"T{rounds}.param.{k}": v for k, v in pts.items()})
        arrays.update({f"T{rounds}.out.{k}": v for k, v in outs.items()})
    np.savez_compressed(HERE / "task-pushdown.npz", **arrays)
    # contracting-stage: the shared transparency and the centre's parameters, 1,000 points
    pts = {"transparency": rng.uniform(0, 1, 1000), "task_value": rng.uniform(0, 10, 1000),
           "platform_cost": rng.uniform(0, 8, 1000)}
    outs = solve_points("contracting-stage", pts)
    np.savez_compressed(HERE / "contracting-stage.npz", **{f"param.{k}": v for k, v in pts.items()},
                        **{f"out.{k}": v for k, v in outs.items()})
    print(json.dumps({p.name: p.stat().st_size for p in sorted(HERE.glob("*.npz"))}))


if __name__ == "__main__":
    main()
