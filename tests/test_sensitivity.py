"""Sensitivity indices: Sobol' on the Ishigami function, additive models, Morris, categories."""
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_sweep import HOSTILE, assert_package_error
from vector_toy import VectorToy

from gametheory_aid.analysis import sensitivity
from gametheory_aid.core.params import Domain, Parameter, ParameterError
from gametheory_aid.models import get_model
from gametheory_aid.models.base import Model, Output

A, B = 7.0, 0.1  # the Ishigami function's usual constants (Ishigami & Homma 1990)


class Ishigami(Model):
    """y = sin x1 + a sin^2 x2 + b x3^4 sin x1 on [-pi, pi]^3 (a test model, not registered)."""

    name = "ishigami-test"
    parameters = tuple(Parameter(f"x{i}", f"x{i}", 0.0, Domain(-np.pi, np.pi), f"input {i}") for i in (1, 2, 3))
    outputs = (Output("y", "Ishigami function"), Output("positive", "y > 0", kind="bool"),
               Output("sign", "sign of sin x1", kind="regime"))

    def _solve(self, x1, x2, x3):
        y = np.sin(x1) + A * np.sin(x2) ** 2 + B * x3 ** 4 * np.sin(x1)
        return {"y": y, "positive": y > 0, "sign": np.where(np.sin(x1) >= 0, "up", "down")}


def ishigami_indices():
    """The analytic indices (Sobol' & Levitan 1999), derived from the variance decomposition."""
    pi4, pi8 = np.pi ** 4, np.pi ** 8
    v1 = 0.5 * (1 + B * pi4 / 5) ** 2
    v2 = A ** 2 / 8
    v13 = B ** 2 * pi8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return {"S1": [v1 / v, v2 / v, 0.0], "ST": [(v1 + v13) / v, v2 / v, v13 / v]}


BOX = {f"x{i}": (-np.pi, np.pi) for i in (1, 2, 3)}


def test_sobol_indices_of_ishigami_match_the_published_values():
    expected = ishigami_indices()
    # the published values, to four decimals
    np.testing.assert_allclose(expected["S1"], [0.3139, 0.4424, 0.0], atol=1e-4)
    np.testing.assert_allclose(expected["ST"], [0.5576, 0.4424, 0.2437], atol=1e-4)
    res = sensitivity(Ishigami, BOX, n=2 ** 13, outputs=["y"], seed=1)
    assert res.n_evaluations == 2 ** 13 * 5
    rows = res.indices.set_index("parameter")
    np.testing.assert_allclose(rows.loc[["x1", "x2", "x3"], "S1"], expected["S1"], atol=0.03)
    np.testing.assert_allclose(rows.loc[["x1", "x2", "x3"], "ST"], expected["ST"], atol=0.03)
    assert (rows["S1_conf"] > 0).all() and (rows["S1_conf"] < 0.05).all()
    assert res.index("y", "x2") == pytest.approx(rows.loc["x2", "S1"])


class Linear(Model):
    """y = c1 x1 + c2 x2 + c3 x3 on a box: additive, so S1 = ST = c_j^2 w_j^2 / sum."""

    name = "linear-test"
    parameters = tuple(Parameter(f"x{i}", f"x{i}", 0.0, Domain(-10, 10), f"input {i}") for i in (1, 2, 3))
    outputs = (Output("y", "linear"), Output("high", "x1 above 0.3", kind="regime"))
    coefficients = (1.0, 2.0, 0.0)

    def _solve(self, x1, x2, x3):
        c = self.coefficients
        return {"y": c[0] * x1 + c[1] * x2 + c[2] * x3, "high": np.where(x1 > 0.3, "high", "low")}


@settings(max_examples=10)
@given(widths=st.tuples(st.floats(0.2, 3), st.floats(0.2, 3), st.floats(0.2, 3)))
def test_additive_model_indices_are_variance_shares(widths):
    box = {f"x{i + 1}": (0.0, w) for i, w in enumerate(widths)}
    c = np.array(Linear.coefficients)
    share = (c * np.array(widths)) ** 2 / np.sum((c * np.array(widths)) ** 2)
    res = sensitivity(Linear, box, n=1024, outputs=["y"], seed=2)
    rows = res.indices.set_index("parameter")
    np.testing.assert_allclose(rows["S1"], share, atol=0.05)
    np.testing.assert_allclose(rows["ST"], share, atol=0.05)


def test_morris_mu_star_of_a_linear_model_is_slope_times_range():
    box = {"x1": (0.0, 1.0), "x2": (-1.0, 2.0), "x3": (0.0, 5.0)}
    res = sensitivity(Linear, box, method="morris", n=20, outputs=["y"], seed=3)
    rows = res.indices.set_index("parameter")
    np.testing.assert_allclose(rows["mu_star"], [1.0 * 1, 2.0 * 3, 0.0], atol=1e-9)
    np.testing.assert_allclose(rows["sigma"], 0.0, atol=1e-9)
    assert res.n_evaluations == 20 * 4


def test_categorical_outputs_are_reported_as_shares():
    res = sensitivity(Linear, {"x1": (0.0, 1.0), "x2": (0.0, 1.0)}, n=2048, seed=4)
    shares = res.shares.set_index("category")["share"]
    assert shares.sum() == pytest.approx(1.0)
    assert shares["high"] == pytest.approx(0.7, abs=0.02)  # P(x1 > 0.3) for x1 ~ U(0, 1)
    assert set(res.indices["output"]) == {"y"}  # no variance decomposition of a regime


def test_constant_output_gives_nan_and_a_note():
    res = sensitivity(Linear, {"x3": (0.0, 1.0)}, n=64, outputs=["y"])  # c3 = 0: y is constant
    assert res.indices["S1"].isna().all() and "constant" in res.notes[0]
    doc = json.loads(json.dumps(res.to_json()))
    assert doc["indices"][0]["S1"] is None
    assert "note" in repr(res)


@pytest.mark.parametrize("kwargs, error, match", [
    pytest.param(dict(bounds={"x1": (0, 1)}, method="fast"), ValueError, "method", id="method"),
    pytest.param(dict(bounds={"x1": (0, 1)}, n=100), ValueError, "power of two", id="n-not-power"),
    pytest.param(dict(bounds={"x1": (0, 1)}, n=1), ValueError, "n", id="n-too-small"),
    pytest.param(dict(bounds={"nope": (0, 1)}), ValueError, "nope", id="unknown-parameter"),
    pytest.param(dict(bounds={"x1": (1, 1)}), ValueError, "x1", id="empty-range"),
    pytest.param(dict(bounds={"x1": (0, 11)}), ParameterError, "x1", id="outside-domain"),
    pytest.param(dict(bounds={}), ValueError, "bounds", id="no-bounds"),
    pytest.param(dict(bounds={"x1": (0, 1)}, outputs=["nope"]), ValueError, "nope", id="unknown-output"),
])
def test_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        sensitivity(Linear, **kwargs)


@pytest.mark.parametrize("kwargs, match", [
    pytest.param(dict(conf_level="0.9"), "conf_level", id="conf-level-string"),
    pytest.param(dict(conf_level=True), "conf_level", id="conf-level-bool"),
    pytest.param(dict(conf_level=float("nan")), "conf_level", id="conf-level-nan"),
    pytest.param(dict(method="morris", num_levels=1), "num_levels", id="num-levels-one"),
    pytest.param(dict(method="morris", num_levels="4"), "num_levels", id="num-levels-string"),
    pytest.param(dict(method="morris", num_levels=4.0), "num_levels", id="num-levels-float"),
    pytest.param(dict(method=["sobol"]), "method", id="method-list"),
    pytest.param(dict(n=1 << 40), "GiB drawn at once", id="n-too-large"),  # refused before allocating
])
def test_hostile_options_are_named_value_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        sensitivity(Linear, {"x1": (0, 1)}, **kwargs)


SENSITIVITY_SLOTS = ["bounds", "bounds-pair", "bounds-end", "method", "n", "seed", "conf_level", "num_levels",
                     "outputs", "outputs-element", "chunk_size"]


@settings(max_examples=200, deadline=None)
@given(slot=st.sampled_from(SENSITIVITY_SLOTS), value=HOSTILE)
def test_fuzzed_sensitivity_arguments_fail_with_a_package_error_naming_them(slot, value):
    kwargs = {"bounds": {"x1": (0.0, 1.0)}, "n": 8}
    if slot == "n" and isinstance(value, int) and not isinstance(value, bool) and 64 < value < 2 ** 40:
        value = 2 ** 40 - 1  # a valid large n is a long run, not a hostile value: use one that is refused
    if slot.startswith("bounds"):
        kwargs["bounds"] = {"bounds": lambda: value, "bounds-pair": lambda: {"x1": value},
                            "bounds-end": lambda: {"x1": (0.0, value)}}[slot]()
    elif slot.startswith("outputs"):
        kwargs["outputs"] = value if slot == "outputs" else ["y", value]
    else:
        kwargs[slot] = value
    if slot == "num_levels":
        kwargs["method"] = "morris"
    names = {"bounds-pair": ("bounds", "x1"), "bounds-end": ("bounds", "x1")}.get(slot, (slot.split("-")[0],))
    assert_package_error(lambda: sensitivity(Linear, **kwargs), names)


def test_sobol_size_rule_and_message_are_those_of_a_sobol_sweep():
    from gametheory_aid.analysis import sweep

    with pytest.raises(ValueError) as indices:
        sensitivity(Linear, {"x1": (0, 1)}, n=1000)
    with pytest.raises(ValueError) as design:
        sweep(Linear, samples=1000, method="sobol", bounds={"x1": (0, 1)})
    # 1000 lies between 2^9 = 512 and 2^10 = 1024
    tail = "Sobol' designs need a power of two (their balance holds only then), got 1000; use 512 or 1024"
    assert str(indices.value) == f"n: {tail}" and str(design.value) == f"samples: {tail}"
    assert len(sensitivity(Linear, {"x1": (0, 1)}, n=1024).indices) == 1  # powers of two pass both
    assert len(sweep(Linear, samples=1024, method="sobol", bounds={"x1": (0, 1)})) == 1024


def test_real_model_threshold_does_not_depend_on_transparency():
    res = sensitivity("pleading-poverty", {"transparency": (0, 1), "penalty": (0, 5)}, n=256,
                      outputs=["threshold_transparency", "rent_strong", "regime"])
    rows = res.indices.set_index(["output", "parameter"])
    # the threshold is defined with the other parameters fixed: transparency cannot move it
    assert rows.loc[("threshold_transparency", "transparency"), "ST"] == pytest.approx(0.0, abs=1e-9)
    assert rows.loc[("rent_strong", "transparency"), "ST"] > 0.1
    cls = get_model("pleading-poverty")
    regimes = {o.name: o.kind for o in cls.outputs}
    assert regimes["regime"] == "regime" and res.shares["share"].sum() == pytest.approx(1.0)


def test_an_element_of_a_vector_parameter_can_be_varied():
    bounds = {"weight[0]": (0.5, 6.0), "transparency": (0.0, 1.0)}
    res = sensitivity(VectorToy, bounds, n=64)
    assert set(res.indices["output"]) == {"gap"}  # vector outputs are not analysed by default
    assert list(res.indices["parameter"]) == list(bounds)
    assert np.isfinite(res.indices["ST"]).all() and (res.indices["ST"] > 0).all()
    assert set(res.shares["output"]) == {"regime"} and res.shares["share"].sum() == pytest.approx(1.0)
    with pytest.raises(ParameterError, match=r"weight\[3\]"):
        sensitivity(VectorToy, {"weight[3]": (1.0, 2.0)}, n=64)
