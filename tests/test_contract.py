"""The model contract, checked for every registered model (a new model is picked up by itself).

For each name in ``model_names()``:

* array input gives the same results as the scalar points one by one, and mixed leading shapes
  broadcast like numpy (vector outputs keep their trailing axes);
* bad input (NaN, out of domain, unknown names, vectors of the wrong length) is a
  ``ParameterError`` naming the parameter;
* ``to_dict`` / JSON round-trips, and the parameters read back give the same solution;
* ``symbolic()`` (where a model has it) agrees with ``solve()``;
* ``to_game()`` (where a model is a finite game) solved by the core's own game solvers agrees
  with ``solve()`` (``Model.game_solution``).

Model files keep only their model-specific claims.
"""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

import gametheory_aid as gta
from gametheory_aid.core.params import ParameterError, UnknownNameError
from gametheory_aid.core.results import to_jsonable

NAMES = gta.model_names()
POINTS = 12


def _draw(spec, rng):
    """One value of a real parameter: near its default, anywhere in its domain."""
    if spec.shares:  # anywhere on the simplex
        return rng.dirichlet(np.ones(len(spec.default)))
    d = spec.domain
    default = np.asarray(1.0 if spec.default is None else spec.default, dtype=float)
    scale = np.abs(default) + 1.0
    lo = d.low if d.low is not None else default - 2 * scale
    hi = d.high if d.high is not None else default + 2 * scale
    value = np.where(rng.random(default.shape) < 0.5, default * rng.uniform(0.5, 1.5, default.shape),
                     rng.uniform(lo, hi, default.shape))
    return np.clip(value, lo if not d.low_open else np.nextafter(lo, np.inf),
                   hi if not d.high_open else np.nextafter(hi, -np.inf))


def _real(cls, optional=False):
    """The real parameters (optional ones unset by default only if ``optional``)."""
    return [p for p in cls.parameters if not p.integer and (optional or not (p.optional and p.default is None))
            and "." not in p.name]


def accepted_points(cls, count=POINTS, seed=0, together_only=False):
    """Parameter points the model accepts: every parameter drawn at once, else one at a time.

    ``together_only``: only points where every parameter is drawn (defaults can sit exactly on a
    tie, where a closed form evaluated in floating point may pick the other side).
    """
    rng = np.random.default_rng(seed)
    points = []
    for _ in range(200 * count):
        if len(points) == count:
            break
        together = together_only or rng.random() < 0.5
        point = {}
        for p in _real(cls, optional=together_only):
            if together or rng.random() < 1.0 / max(len(_real(cls)), 1):
                point[p.name] = _draw(p, rng)
        try:
            cls(**point)
        except ParameterError:
            continue
        points.append(point)
    assert points, f"{cls.name}: no accepted point"
    return points


def _same(a, b, name):
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape, (name, a.shape, b.shape)
    if a.dtype.kind in "fc":
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12, equal_nan=True, err_msg=name)
    else:
        np.testing.assert_array_equal(a, b, err_msg=name)


def _outputs(cls):
    return [o.name for o in cls.outputs if o.kind != "object"]


def _stack(cls, points):
    """The points as arrays over a first axis (vector parameters keep their last axis)."""
    names = {k for p in points for k in p}
    defaults = cls.defaults()
    return {k: np.stack([np.asarray(p.get(k, defaults[k]), dtype=float) for p in points]) for k in names}


@pytest.mark.parametrize("name", NAMES)
def test_array_input_equals_scalar_points(name):
    cls = gta.get_model(name)
    points = accepted_points(cls)
    batch = cls(**_stack(cls, points)).solve()
    assert batch.shape == (len(points),)
    for i, point in enumerate(points):
        one = cls(**point).solve()
        assert one.shape == ()
        for out in _outputs(cls):
            _same(np.asarray(batch[out])[i], one[out], f"{name}.{out}[{i}]")


@pytest.mark.parametrize("name", NAMES)
def test_mixed_leading_shapes_broadcast(name):
    cls = gta.get_model(name)
    points = accepted_points(cls, seed=1)
    real = [p for p in _real(cls)]
    for first in real:
        for second in real:
            if first.name == second.name:
                continue
            a = [p.get(first.name, first.default) for p in points[:3]]
            b = [p.get(second.name, second.default) for p in points[:4]]
            column = np.asarray(a, float)[:, None] if not first.vector else np.asarray(a, float)[:, None, :]
            row = np.asarray(b, float)[None, :] if not second.vector else np.asarray(b, float)[None]
            values = {first.name: column, second.name: row}
            try:
                grid = cls(**values).solve()
            except ParameterError:
                continue  # a cross-parameter constraint: try another pair
            assert grid.shape == (3, 4)
            for i in range(3):
                for j in range(4):
                    one = cls(**{first.name: a[i], second.name: b[j]}).solve()
                    for out in _outputs(cls):
                        _same(np.asarray(grid[out])[i, j], one[out], f"{name}.{out}[{i},{j}]")
            return
    pytest.fail(f"{name}: no pair of parameters could be broadcast")


@pytest.mark.parametrize("name", NAMES)
def test_bad_input_names_the_parameter(name):
    cls = gta.get_model(name)
    for p in _real(cls):
        bad = np.full(np.shape(p.default), np.nan) if p.vector else math.nan
        with pytest.raises(ParameterError, match=p.name.replace(".", r"\.")) as info:
            cls(**{p.name: bad})
        assert info.value.name == p.name and f"{p.name!r} = " in str(info.value) and "nan" in str(info.value)
        if p.domain.low is not None:
            below = np.asarray(p.default, float) * 0 + p.domain.low - 1.0
            with pytest.raises(ParameterError, match=p.name.replace(".", r"\.")):
                cls(**{p.name: below if p.vector else float(below)})
        if p.vector:
            with pytest.raises(ParameterError, match=p.name.replace(".", r"\.")):
                cls(**{p.name: list(np.atleast_1d(p.default)) + [1.0]})
    typo = cls.parameters[0].name + "x"
    with pytest.raises(UnknownNameError, match=f"did you mean '{cls.parameters[0].name}'") as info:
        cls(**{typo: 1.0})
    assert info.value.name == typo


@pytest.mark.parametrize("name", NAMES)
def test_json_round_trip(name):
    cls = gta.get_model(name)
    point = accepted_points(cls, count=1, seed=2)[0]
    result = cls(**point).solve()
    doc = json.loads(json.dumps(result.to_json()))
    assert doc["model"] == name
    assert doc["equilibrium"] == to_jsonable(result.to_dict())
    again = cls(**{k: v for k, v in doc["parameters"].items()}).solve()
    for out in _outputs(cls):
        _same(again[out], result[out], f"{name}.{out}")


@pytest.mark.parametrize("name", [n for n in NAMES if gta.get_model(n).has_symbolic()])
def test_symbolic_agrees_with_solve(name):
    cls = gta.get_model(name)
    small = {p.name: int(p.domain.low) + 1 for p in cls.parameters if p.integer}  # closed forms grow with T
    for point in accepted_points(cls, count=4, seed=3, together_only=True):
        model = cls(**point, **small)
        sol = model.symbolic()
        result = model.solve()
        values = {k: v for k, v in model.scalar_params("the closed form").items() if v is not None}
        names = set(sol.thresholds) | {k for r in sol.regimes for k in r.outputs}
        checked = 0
        for out in _outputs(cls):
            if out not in names or model.output_specs()[out].kind not in ("real",):
                continue
            got = sol.lambdify(out)(**values)
            _same(np.asarray(got, dtype=float), np.asarray(result[out], dtype=float), f"{name}.{out}")
            checked += 1
        assert checked, f"{name}: the closed form gives no output of solve()"


@pytest.mark.parametrize("name", [n for n in NAMES if gta.get_model(n).has_game()])
def test_game_equilibrium_agrees_with_solve(name):
    cls = gta.get_model(name)
    for point in accepted_points(cls, count=4, seed=4, together_only=True):
        model = cls(**point)
        result = model.solve()
        from_game = model.game_solution()
        assert from_game, f"{name}: game_solution() gives nothing to compare"
        for out, value in from_game.items():
            np.testing.assert_allclose(np.asarray(value, dtype=float), np.asarray(result[out], dtype=float),
                                       rtol=1e-9, atol=1e-9, err_msg=f"{name}.{out}")
