"""Behaviour freeze: every model reproduces the outputs saved before the package was reshaped.

``tests/data/golden/*.npz`` hold 10^4 fixed random points per model (across all regimes, with
domain bounds and defaults planted) and the outputs the package gave there; see
``tests/data/make_golden.py``.  Real outputs agree to 1e-12 relative, strings and booleans
exactly.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import gametheory_aid as gta

GOLDEN = Path(__file__).parent / "data" / "golden"
RTOL = 1e-12


def _check(name, params, expected):
    result = gta.get_model(name)(**params).solve()
    for key, want in expected.items():
        got = np.asarray(result[key])
        assert got.shape == want.shape, key
        if want.dtype.kind in "USb" or want.dtype == bool:
            np.testing.assert_array_equal(got.astype(want.dtype), want, err_msg=f"{name}.{key}")
        else:
            np.testing.assert_allclose(got, want, rtol=RTOL, atol=0, err_msg=f"{name}.{key}")


def _split(data, prefix=""):
    params = {k[len(prefix) + 6:]: data[k] for k in data.files if k.startswith(prefix + "param.")}
    outs = {k[len(prefix) + 4:]: data[k] for k in data.files if k.startswith(prefix + "out.")}
    return params, outs


@pytest.mark.parametrize("name", ["pleading-poverty", "joint-blame", "contracting-stage"])
def test_reproduces_saved_outputs(name):
    params, outs = _split(np.load(GOLDEN / f"{name}.npz"))
    _check(name, params, outs)


def test_poverty_bargaining_reproduces_saved_outputs():
    params, outs = _split(np.load(GOLDEN / "poverty-bargaining.npz"))
    cap = params.pop("max_claim")
    _check("poverty-bargaining", params, {k: v for k, v in outs.items() if not k.startswith("capped.")})
    _check("poverty-bargaining", dict(params, max_claim=cap),
           {k[7:]: v for k, v in outs.items() if k.startswith("capped.")})


@pytest.mark.parametrize("rounds", range(1, 7))
def test_task_pushdown_reproduces_saved_outputs(rounds):
    params, outs = _split(np.load(GOLDEN / "task-pushdown.npz"), prefix=f"T{rounds}.")
    _check("task-pushdown", dict(params, rounds=rounds), outs)
