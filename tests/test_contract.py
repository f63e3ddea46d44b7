"""The model contract, checked for every registered model (a new model is picked up by itself).

For each name in ``model_names()``:

* array input gives the same results as the scalar points one by one, and mixed leading shapes
  broadcast like numpy (vector outputs keep their trailing axes);
* bad input (NaN, out of domain, unknown names, vectors of the wrong length) is a
  ``ParameterError`` naming the parameter;
* hostile input (strings, bools, None, complex numbers, dates, object, masked and empty arrays,
  huge and tiny magnitudes, wrong shapes and vector lengths) to the constructor, ``with_``,
  ``solve`` and ``compare`` either works or is a ``ParameterError`` naming the parameter
  (fuzzed by hypothesis); what is not a real number is refused by every parameter;
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


# ---------------------------------------------------------------------------------------------
# Hostile input: every failure of the constructor, solve, with_ and compare is a ParameterError
# naming the parameter
# ---------------------------------------------------------------------------------------------
class _Opaque:
    """Neither a number nor convertible to one, with a repr that fails."""

    def __repr__(self):
        raise RuntimeError("no repr")


#: Values no parameter of any model accepts (whatever its domain): not real numbers, or no point.
NOT_NUMBERS = {"none": None, "string": "0.5", "empty-string": "", "bytes": b"1", "true": True, "false": False,
               "numpy-bool": np.bool_(True), "complex": 0.5 + 1j, "numpy-complex": np.complex128(0.5),
               "complex-array": np.array([0.5 + 0j]), "datetime64": np.datetime64("2020-01-01"),
               "timedelta64": np.timedelta64(1, "D"), "masked": np.ma.masked_array([0.5, 0.5], mask=[True, False]),
               "object-array": np.array([0.5], dtype=object), "object-0d": np.array(0.5, dtype=object),
               "empty-array": np.array([]), "empty-list": [], "empty-nested": [[]], "none-in-list": [0.5, None],
               "strings": ["0.5"], "bool-in-list": [0.5, True], "ragged": [[0.5], [0.5, 0.5]], "dict": {"a": 0.5},
               "set": {0.5}, "opaque": _Opaque(), "string-array": np.array(["0.5"]), "int-10**400": 10 ** 400,
               "int-minus-10**400": -(10 ** 400), "longdouble-1e400": np.longdouble("1e400"),
               "nan": float("nan"), "nan-in-array": np.array([0.5, np.nan])}
#: Values that are numbers, some of them outside a domain or at its edges, some huge or tiny.
NUMBERS = [-0.0, 0.0, 1.0, -1.0, float("inf"), -float("inf"), 1e308, -1e308, 1.7976931348623157e308, 5e-324,
           1e-300, 1e300, 10 ** 300, 2 ** 63, np.float32(0.5), np.int64(3), np.uint8(1)]


def _hostile_for(spec):
    """Hostile values for one parameter: kinds no domain holds, numbers, wrong shapes and lengths."""
    values = list(NOT_NUMBERS.values())
    if spec.integer:
        values += [3.5, np.array([3]), [3], np.int64(2), 2.0, -1, 0]
        low, high = spec.domain.integer_bounds()
        if high is not None:  # beyond the bound: refused before anything is allocated
            values += [high + 1, 10 ** 9, 1e30, 10 ** 400, 2 ** 63 + 1]
        return values
    values += NUMBERS
    if spec.vector:
        n = len(spec.default)
        good = np.asarray(spec.default, dtype=float)
        values += [0.5, np.full(n + 1, 0.5), np.full(max(n - 1, 0), 0.5), np.zeros((2, 0)), np.array([good, good]),
                   list(good) + [None], [*good[:-1], "0.5"], [*good[:-1], 0.5 + 1j], np.full(n, np.nan),
                   np.full(n, 1e308), [*good[:-1], 10 ** 400], np.tile(good, (2, 3, 1))]
    else:
        values += [np.full((2, 3), 0.5), np.array([[0.25], [0.75]]), np.zeros((0, 2))]
    return values


def _names_a_parameter(error, cls, given):
    """The error is a ParameterError naming one of ``given`` (or, for the float range, a parameter)."""
    message = str(error)
    assert isinstance(error, ParameterError), (type(error), message)
    assert "\n" not in message and len(message) < 2000, message
    assert error.name in cls.parameter_specs(), message
    assert f"{error.name!r}" in message, message
    if "float64 range" not in message:  # a solve out of range names the parameter of extreme magnitude
        assert error.name in given, (error.name, given, message)


def _attempt(call, cls, given):
    """Run ``call``: it succeeds or raises a ParameterError naming a parameter of ``given``."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # no result computed past a warning
        try:
            return call()
        except ParameterError as error:
            _names_a_parameter(error, cls, given)
        except Exception as error:  # anything else is a defect: report it with its value
            pytest.fail(f"{cls.name}: {type(error).__name__}: {error} for {given!r}")
    return None


@pytest.mark.parametrize("name", NAMES)
def test_hostile_values_give_named_errors(name):
    """The constructor, ``with_``, ``solve`` and ``compare`` under every hostile value of every parameter.

    Each either works or raises a ParameterError whose message names the parameter (before: strings,
    bools and complex numbers were converted, 10**400 raised OverflowError, ...).
    """
    from hypothesis import given, settings
    from hypothesis import strategies as st

    cls = gta.get_model(name)
    base = cls()
    specs = [p for p in cls.parameters if not p.optional]
    pairs = st.sampled_from(specs).flatmap(lambda p: st.tuples(st.just(p.name), st.sampled_from(_hostile_for(p))))
    floats = st.sampled_from(specs).flatmap(
        lambda p: st.tuples(st.just(p.name), st.floats(allow_nan=True, allow_infinity=True)))

    @settings(max_examples=60, derandomize=True, database=None)
    @given(st.lists(pairs | floats, min_size=1, max_size=3, unique_by=lambda pair: pair[0]))
    def check(changes):
        values = dict(changes)
        model = _attempt(lambda: cls(**values), cls, values)
        again = _attempt(lambda: base.with_(**values), cls, values)
        assert (model is None) == (again is None), values
        if model is not None:
            _attempt(model.solve, cls, values)
        for pname, value in changes:
            spec = cls.parameter_specs()[pname]
            if spec.vector or spec.integer:
                continue
            _attempt(lambda: base.compare(value, parameter=pname), cls, {pname: value})  # noqa: B023
            _attempt(lambda: base.compare([value], parameter=pname), cls, {pname: value})  # noqa: B023

    check()


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("value", NOT_NUMBERS.values(), ids=NOT_NUMBERS.keys())
def test_what_is_not_a_number_is_refused_by_every_parameter(name, value):
    """Not a real number (or no point): refused by each parameter, by name, never converted."""
    cls = gta.get_model(name)
    for p in cls.parameters:
        if value is None and p.optional:
            continue  # None is "not set" for an optional parameter
        with pytest.raises(ParameterError) as info:
            cls(**{p.name: value})
        assert info.value.name == p.name and f"{p.name!r}" in str(info.value), str(info.value)
        assert p.allowed in str(info.value) or str(p.domain) in str(info.value)


@pytest.mark.parametrize("name", NAMES)
def test_extreme_magnitudes_give_finite_results_or_a_named_error(name):
    """Real parameters at magnitudes 1e100 ... 1e308 (or 1e-100 ... 5e-324): no RuntimeWarning, no inf/NaN
    output -- either finite results or a ParameterError naming a parameter."""
    import warnings

    from hypothesis import given, settings
    from hypothesis import strategies as st

    cls = gta.get_model(name)
    specs = [p for p in cls.parameters if not p.integer and p.default is not None]

    @st.composite
    def extreme_point(draw):
        chosen = draw(st.lists(st.sampled_from(specs), min_size=1, max_size=3, unique_by=lambda p: p.name))
        point = {}
        for p in chosen:
            exponent = draw(st.integers(100, 308)) * draw(st.sampled_from([1, -1]))
            value = draw(st.floats(1.0, 9.99)) * 10.0 ** exponent if exponent > -308 else 5e-324
            if np.ndim(p.default):
                vector = np.array(p.default, dtype=float)
                vector[draw(st.integers(0, vector.size - 1))] = value
                value = vector
            point[p.name] = value
        return point

    @settings(max_examples=40)
    @given(extreme_point())
    def check(point):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                result = cls(**point).solve()
            except ParameterError as err:
                assert err.name in cls.parameter_specs()
                return
        for output in cls.outputs:
            if output.kind != "real":
                continue
            value = np.asarray(getattr(result, output.name), dtype=float)
            finite = np.isfinite(value) | ((value == np.inf) & ("threshold" in output.name))
            assert finite.all(), (output.name, value)

    check()
