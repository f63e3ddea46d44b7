"""Result objects (core.results) and the entry points, independently of any one model."""
import json
import runpy
import sys
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

import gametheory_aid as gta
from gametheory_aid.core.results import Comparison, Equilibrium, EquilibriumSet, ModelResult, format_table, to_jsonable


@pytest.mark.parametrize("value, expected", [
    pytest.param(np.float64(1.5), 1.5, id="numpy-float"),
    pytest.param(np.int64(3), 3, id="numpy-int"),
    pytest.param(np.bool_(True), True, id="numpy-bool"),
    pytest.param(np.str_("mixed"), "mixed", id="numpy-str"),
    pytest.param(float("inf"), "inf", id="inf"),
    pytest.param(float("-inf"), "-inf", id="minus-inf"),
    pytest.param(float("nan"), None, id="nan"),
    pytest.param(Fraction(1, 4), 0.25, id="fraction"),
    pytest.param(sp.Rational(1, 2), 0.5, id="sympy-number"),
    pytest.param({"a": (np.int64(1), np.array([0.5]))}, {"a": [1, [0.5]]}, id="nested"),
    pytest.param(np.array(2.0), 2.0, id="0-d"),
    pytest.param("text", "text", id="string"),
])
def test_to_jsonable(value, expected):
    got = to_jsonable(value)
    assert got == expected
    json.dumps(got)


def test_model_result_categories_codes_and_immutability():
    r = ModelResult("m", {"x": np.array([1.0, 2.0]), "regime": np.array([1, 0], dtype=np.uint8)},
                    {"p": np.array([0.0, 1.0])}, categories={"regime": ("a", "b")})
    assert r.regime.tolist() == ["b", "a"] and r.codes("regime").tolist() == [1, 0]
    assert r.categories == {"regime": ("a", "b")} and r.shape == (2,)
    with pytest.raises(KeyError):
        r.codes("x")
    with pytest.raises(AttributeError):
        r.x = 1
    with pytest.raises(AttributeError, match="no field"):
        r.nope  # noqa: B018
    assert "regime" in dir(r) and len(r) == 2
    again = __import__("pickle").loads(__import__("pickle").dumps(r))
    assert again.regime.tolist() == ["b", "a"]
    one = ModelResult("m", {"regime": np.array(1, dtype=np.uint8)}, categories={"regime": ("a", "b")}, shape=())
    assert isinstance(one.regime, np.ndarray) and one.to_dict() == {"regime": "b"}


def test_comparison_table_json_frame():
    model = gta.get_model("pleading-poverty")()
    table = model.compare([0.0, 1.0])
    assert isinstance(table, Comparison) and table.parameter == "transparency" and len(table) == 2
    assert table.column("regime") == ["information_rent", "first_best"]
    doc = table.to_json()
    assert doc["varied"] == "transparency" and doc["transparency"] == [0.0, 1.0]
    assert "tau=1" in repr(table)
    pytest.importorskip("pandas")
    frame = table.to_frame()
    assert list(frame.index) == [0.0, 1.0]


def test_equilibrium_objects_render_and_serialise():
    e = Equilibrium(((Fraction(1, 2), Fraction(1, 2)), (0.25, 0.75)), (Fraction(1), 0.5), "vertex enumeration",
                    exact=False, regret=0.0)
    assert "1/2" in repr(e) and e.as_arrays()[1].tolist() == [0.25, 0.75]
    s = EquilibriumSet([e], method="vertex enumeration", degenerate=True, continuum=True)
    text = repr(s)
    assert "degenerate game" in text and "continuum" in text and s.max_regret == 0.0
    assert s.to_dict()["equilibria"][0]["payoffs"] == [1.0, 0.5]
    assert "a" in format_table(("a",), [[np.arange(20)]])


def test_symbolic_solution_renders():
    text = repr(gta.get_model("joint-blame")().symbolic())
    assert "regime deterred" in text and "note:" in text


@pytest.mark.parametrize("module", ["gametheory_aid", "gametheory_aid.cli"])
def test_python_dash_m_runs_the_command_line(module, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", [module, "list"])
    with pytest.raises(SystemExit) as info:
        runpy.run_module(module, run_name="__main__")
    assert info.value.code == 0
    assert "pleading-poverty" in capsys.readouterr().out


@pytest.mark.parametrize("value, text", [
    pytest.param(float("nan"), "n/a", id="nan"), pytest.param(float("inf"), "∞", id="inf"),
    pytest.param(1 / 3, "0.333", id="three-figures"),
])
def test_format_number(value, text):
    from gametheory_aid.models.story import format_number
    assert format_number(value) == text


def test_register_needs_a_name_and_unknown_models_suggest():
    from gametheory_aid.core.params import UnknownNameError
    from gametheory_aid.models import Model, register

    class Nameless(Model):
        pass

    with pytest.raises(ValueError, match="needs a name"):
        register(Nameless)
    with pytest.raises(UnknownNameError, match="did you mean 'joint-blame'"):
        gta.get_model("joint-blam")
    with pytest.raises(KeyError):
        gta.get_model("nothing-like-it")


def test_scalar_guard_and_compare_errors():
    from gametheory_aid.core.params import ParameterError
    model = gta.get_model("joint-blame")(transparency=[0.1, 0.2])
    with pytest.raises(ParameterError, match="transparency.*scalar parameters"):
        model.scalar_params()
    with pytest.raises(ParameterError, match="transparency"):
        model.compare([])
    with pytest.raises(ParameterError, match="transparency"):
        model.compare([2.0])
    with pytest.raises(ParameterError, match="rounds"):
        gta.get_model("task-pushdown")().compare([1, 2], parameter="rounds")


def test_closed_form_names_and_fallbacks():
    """A SymbolicSolution refuses names it does not define and arguments it cannot take, by name."""
    from gametheory_aid.core.params import ParameterError, UnknownNameError
    from gametheory_aid.core.symbolic import Regime, SymbolicSolution

    x, y = sp.Symbol("x"), sp.Symbol("y")
    sol = SymbolicSolution("m", {"x": x, "y": y}, [Regime("r", sp.true, {"z": x + y})], thresholds={"t": 2 * x})
    assert sol.output_names == ["z", "t"]
    with pytest.raises(UnknownNameError, match="unknown output 3"):
        sol.lambdify(3)
    with pytest.raises(UnknownNameError, match="unknown regime output 't'"):
        sol.piecewise("t")  # a threshold, not a regime's output
    with pytest.raises(ParameterError, match="'y'.*needs a value for 'y'"):
        sol.lambdify("z")(x=1.0)  # a solution built by hand has no model values to fall back on
    with pytest.raises(ParameterError, match="'y'.*shapes do not broadcast"):
        sol.lambdify("z")(x=[1.0, 2.0], y=[1.0, 2.0, 3.0])
    assert sol.lambdify("z")(x=[1.0, 2.0], y=1.0).tolist() == [2.0, 3.0]


@pytest.mark.parametrize("rounds, shown", [
    pytest.param(True, "True", id="bool"), pytest.param("2", "'2'", id="string"),
    pytest.param([[1], [1, 2]], "[[1], [1, 2]]", id="ragged"), pytest.param(3, "3", id="other-value"),
])
def test_a_parameter_fixed_in_the_closed_form_takes_only_its_value(rounds, shown):
    from gametheory_aid.core.params import ParameterError

    value = gta.get_model("task-pushdown")(rounds=2).symbolic().lambdify("value_upper")
    with pytest.raises(ParameterError, match=r"'rounds' = .*built for rounds = 2") as info:
        value(transparency=0.5, rounds=rounds)
    assert shown in str(info.value)
