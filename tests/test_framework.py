"""The base model API and result objects, on a toy model."""
import json
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from toy import Toy

from gametheory_aid.core.params import ParameterError, UnknownNameError
from gametheory_aid.core.results import Comparison, ModelResult, to_jsonable


def test_defaults_and_solve():
    res = Toy().solve()
    assert isinstance(res, ModelResult)
    assert res.rent == pytest.approx(2.0) and res["regime"] == "hidden"
    assert list(res) == ["rent", "regime"]
    assert res.to_dict() == {"rent": 2.0, "regime": "hidden"}
    assert "rent" in repr(res) and "toy" in repr(res)


def test_result_is_immutable():
    res = Toy().solve()
    with pytest.raises(AttributeError):
        res.rent = 3
    with pytest.raises(AttributeError, match="no field 'nope'"):
        res.nope  # noqa: B018 (the attribute access is the test)


def test_with_returns_a_new_model():
    m = Toy()
    m2 = m.with_(transparency=0.5)
    assert m.params["transparency"] == 0.0 and m2.params["transparency"] == 0.5
    assert m2.solve().rent == pytest.approx(1.0)
    assert "transparency=0.5" in repr(m2)


@given(hnp.arrays(float, st.integers(1, 6), elements=st.floats(0, 1)),
       hnp.arrays(float, st.integers(1, 6), elements=st.floats(0, 10)))
def test_broadcasting_equals_scalar(taus, costs):
    res = Toy(transparency=taus[:, None], cost=costs[None, :]).solve()
    assert res.rent.shape == (taus.size, costs.size)
    for i, t in enumerate(taus):
        for j, c in enumerate(costs):
            one = Toy(transparency=t, cost=c).solve()
            assert res.rent[i, j] == one.rent
            assert res.regime[i, j] == one.regime


def test_bad_input_names_parameter():
    with pytest.raises(ParameterError, match="'transparency' = 1.5 .*\\[0, 1\\]"):
        Toy(transparency=1.5)
    with pytest.raises(ParameterError, match="'cost'"):
        Toy(cost=20.0)
    with pytest.raises(ParameterError, match="unknown parameter"):
        Toy(penalty=1)
    with pytest.raises(ValueError):
        Toy(cost=float("nan"))


def test_compare_table():
    table = Toy().compare([0, 0.5, 1])
    assert isinstance(table, Comparison)
    assert table.levels == [0.0, 0.5, 1.0]
    assert table.column("regime") == ["hidden", "hidden", "visible"]
    d = table.to_dict()
    assert d["transparency"] == [0.0, 0.5, 1.0] and d["rent"] == pytest.approx([2.0, 1.0, 0.0])
    text = repr(table)
    assert "tau=0.5" in text and "rent" in text
    frame = table.to_frame()
    assert list(frame.index) == [0.0, 0.5, 1.0] and frame.loc[0.5, "rent"] == pytest.approx(1.0)


def test_describe_lists_parameters_and_outputs():
    text = Toy.describe()
    for word in ("toy", "cost", "ceiling", "transparency", "rent", "regime", "[0, 1]", "数字技术赋能"):
        assert word in text


def test_json_shape_round_trips():
    res = Toy(transparency=np.array([0.0, 1.0])).solve()
    doc = json.loads(json.dumps(res.to_json()))
    assert set(doc) == {"model", "parameters", "equilibrium"}
    assert doc["equilibrium"]["rent"] == [2.0, 0.0]
    assert doc["equilibrium"]["regime"] == ["hidden", "visible"]
    assert doc["parameters"]["transparency"] == [0.0, 1.0]


@pytest.mark.parametrize("value, expected", [
    pytest.param(np.float64(1.5), 1.5, id="numpy-float"),
    pytest.param(np.array(2), 2, id="0d"),
    pytest.param(np.bool_(True), True, id="bool"),
    pytest.param(float("nan"), None, id="nan"),
    pytest.param(float("inf"), "inf", id="inf"),
    pytest.param({"a": np.arange(2)}, {"a": [0, 1]}, id="dict"),
])
def test_to_jsonable(value, expected):
    assert to_jsonable(value) == expected


# ---------------------------------------------------------------------------------------------
# Input of the Python API: unknown names, compare's levels, closed forms (issue 14)
# ---------------------------------------------------------------------------------------------
PLEADING = "pleading-poverty"
TYPO = "did you mean 'transparency'"


def _pleading():
    import gametheory_aid as gta

    return gta.get_model(PLEADING)


@pytest.mark.parametrize("call", [
    pytest.param(lambda M: M(transparancy=0.5), id="constructor"),
    pytest.param(lambda M: M().with_(transparancy=0.5), id="with_"),
    pytest.param(lambda M: M().compare([0, 1], parameter="transparancy"), id="compare"),
    pytest.param(lambda M: M().symbolic().lambdify("rent_strong")(transparancy=0.5), id="lambdified"),
    pytest.param(lambda M: __import__("gametheory_aid.analysis", fromlist=["sweep"]).sweep(
        M.name, {"transparancy": [0.0, 1.0]}), id="sweep-axis"),
    pytest.param(lambda M: __import__("gametheory_aid.analysis", fromlist=["sensitivity"]).sensitivity(
        M.name, {"transparancy": (0.0, 1.0)}, method="morris", n=4), id="sensitivity-bounds"),
    pytest.param(lambda M: __import__("gametheory_aid.report", fromlist=["check_config"]).check_config(
        {M.name: {"transparancy": 0.5}}), id="config-table"),
])
def test_an_unknown_keyword_is_named_with_the_closest(call):
    """Before: a report configuration's table did not suggest 'transparency' (its levels are top-level)."""

    with pytest.raises(UnknownNameError, match=TYPO) as info:
        call(_pleading())
    message = str(info.value)
    assert info.value.name == "transparancy" and "unknown parameter 'transparancy'" in message
    assert isinstance(info.value, KeyError) and isinstance(info.value, ValueError)


@pytest.mark.parametrize("name", [["transparency"], 3, None, ("transparency",)])
def test_a_parameter_name_that_is_no_string_is_unknown(name):
    """Before: compare(parameter=[...]) raised "TypeError: unhashable type: 'list'"."""

    with pytest.raises(UnknownNameError, match="unknown parameter") as info:
        _pleading()().compare([0, 1], parameter=name)
    assert info.value.name == name and "transparency" in str(info.value)


@pytest.mark.parametrize("call", [
    pytest.param(lambda gta: gta.get_model("pleading-povrety"), id="get_model"),
    pytest.param(lambda gta: __import__("gametheory_aid.analysis", fromlist=["sweep"]).sweep(
        "pleading-povrety", {"transparency": [0.0, 1.0]}), id="sweep"),
    pytest.param(lambda gta: __import__("gametheory_aid.analysis", fromlist=["sensitivity"]).sensitivity(
        "pleading-povrety", {"transparency": (0.0, 1.0)}, method="morris", n=4), id="sensitivity"),
    pytest.param(lambda gta: __import__("gametheory_aid.report", fromlist=["check_config"]).check_config(
        {"pleading-povrety": {"penalty": 1.0}}), id="config"),
])
def test_an_unknown_model_is_one_error_class_everywhere(call):
    """Before: sweep and sensitivity raised a plain ValueError, get_model an UnknownNameError."""
    import gametheory_aid as gta

    with pytest.raises(UnknownNameError, match="did you mean 'pleading-poverty'") as info:
        call(gta)
    assert isinstance(info.value, LookupError) and isinstance(info.value, ValueError)
    assert info.value.name == "pleading-povrety"


@pytest.mark.parametrize("levels, reason", [
    pytest.param("abc", "a string is not a number", id="string"),
    pytest.param(["0.5"], "a string is not a number", id="list-of-strings"),
    pytest.param([True, False], "a bool is not a number", id="bools"),
    pytest.param([0.5 + 1j], "complex", id="complex"),
    pytest.param([0.5, None], "None is not a number", id="none"),
    pytest.param(np.array([0.5], dtype=object), "dtype object", id="object-array"),
    pytest.param([0, 10 ** 400], "float64 range", id="huge-int"),
    pytest.param([[0, 1]], "non-empty list", id="nested"),
    pytest.param([], "non-empty list", id="empty"),
    pytest.param(np.array([]), "non-empty list", id="empty-array"),
    pytest.param([0, 2], None, id="out-of-domain"),
    pytest.param([float("nan")], None, id="nan"),
])
def test_compare_validates_its_levels_like_the_parameter(levels, reason):
    """Before: ["0.5"] and [True] were compared as 0.5 and 1; 10**400 raised OverflowError."""
    with pytest.raises(ParameterError) as info:
        _pleading()().compare(levels)
    message = str(info.value)
    assert info.value.name == "transparency" and "domain [0, 1]" in message and "\n" not in message
    if reason:
        assert reason in message


@pytest.mark.parametrize("levels, reason", [
    pytest.param([0, 2], r"= 2\.0 is outside its domain \[0, 1\]", id="out-of-domain"),
    pytest.param([0, 10 ** 400], "float64 range", id="huge-int"),
])
def test_config_levels_are_validated_like_the_parameter(levels, reason):
    """Before: levels [0, 2] passed the configuration check and [0, 10**400] raised OverflowError."""
    from gametheory_aid.report import check_config

    with pytest.raises(ParameterError, match=reason) as info:
        check_config({"transparency": levels})
    assert info.value.name == "transparency"


def test_config_table_values_keep_their_reason():
    """Before: a table's value beyond the float range raised OverflowError."""
    from gametheory_aid.report import check_config

    with pytest.raises(ParameterError, match="float64 range") as info:
        check_config({PLEADING: {"penalty": 10 ** 400}})
    assert info.value.name == f"{PLEADING}.penalty"


def test_config_transparency_in_a_table_points_to_the_levels():
    from gametheory_aid.report import ConfigNameError, check_config

    with pytest.raises(ConfigNameError, match="transparency levels are set once, at the top") as info:
        check_config({PLEADING: {"transparency": 0.5}})
    assert "did you mean" not in str(info.value)
    with pytest.raises(ConfigNameError, match="did you mean 'penalty'") as info:
        check_config({PLEADING: {"penalti": 0.5}})
    assert "at the top" not in str(info.value)


def test_lambdify_an_unknown_output_is_named_with_the_outputs():
    """Before: sympy's "At least one (expr, cond) pair expected"."""

    sol = _pleading()().symbolic()
    with pytest.raises(UnknownNameError, match="did you mean 'rent_strong'") as info:
        sol.lambdify("rent_stong")
    assert "outputs: " in str(info.value) and "threshold_transparency" in info.value.known
    with pytest.raises(UnknownNameError, match="unknown output 'nope'"):
        sol.lambdify("nope")


def test_lambdify_takes_the_models_values_for_what_is_not_given():
    """Before: KeyError 'value_intercept'.

    At tau = 1/2, F = 3 (other defaults: a = 10, b = 1, theta = 2, 4, nu = 1/2) the weak quota solves
    (1 - nu)(a - b q - theta_w) = nu (1 - tau) dtheta, q = 5, and the rent is (1 - tau) dtheta q - tau F = 3.5.
    """
    model = _pleading()(penalty=3.0)
    rent = model.symbolic().lambdify("rent_strong")
    assert float(rent(transparency=0.5)) == pytest.approx(3.5, abs=1e-12)
    assert float(rent(transparency=0.5, penalty=2.0)) == pytest.approx(4.0, abs=1e-12)  # given: it wins
    taus = np.array([0.0, 0.5])
    np.testing.assert_allclose(rent(transparency=taus), model.with_(transparency=taus).solve().rent_strong)
    with pytest.raises(ParameterError, match="'transparency' = '0.5'.*a string is not a number"):
        rent(transparency="0.5")
    with pytest.raises(ParameterError, match="'penalty' = True.*a bool is not a number"):
        rent(transparency=0.5, penalty=True)


def test_lambdify_a_vector_model_and_a_fixed_integer():
    import gametheory_aid as gta

    ra = gta.get_model("resource-allocation")(budget=10.0, feedback=[0.2, 0.5, 1.0])
    first = ra.symbolic().lambdify("allocation_1")
    assert float(first(transparency=0.5)) == pytest.approx(
        float(ra.with_(transparency=0.5).solve().allocation[0]), abs=1e-12)
    pushdown = gta.get_model("task-pushdown")(rounds=2)
    value = pushdown.symbolic().lambdify("value_upper")
    assert float(value(transparency=0.5)) == pytest.approx(
        float(pushdown.with_(transparency=0.5).solve().value_upper), abs=1e-12)
    assert float(value(transparency=0.5, rounds=2)) == pytest.approx(float(value(transparency=0.5)))
    with pytest.raises(ParameterError, match="'rounds' = 3 .*built for rounds = 2"):
        value(transparency=0.5, rounds=3)


def test_a_vector_of_a_new_length_is_the_one_blamed():
    """Before: setting intended_share to two targets blamed the default feedback (three)."""
    import gametheory_aid as gta

    cls = gta.get_model("resource-allocation")
    for make in (lambda: cls(intended_share=[0.5, 0.5]), lambda: cls().with_(intended_share=[0.5, 0.5])):
        with pytest.raises(ParameterError) as info:
            make()
        assert info.value.name == "intended_share" and "'feedback' has length 3" in str(info.value)
    with pytest.raises(ParameterError) as info:  # both given: the later disagrees with the earlier
        cls(intended_share=[0.2, 0.3, 0.5], feedback=[0.0, 1.0])
    assert info.value.name == "feedback"


def test_a_composite_names_its_parts_parameters_when_a_part_leaves_the_float_range():
    """Before: inf and NaN with RuntimeWarnings, then the sub-model's own name without its prefix."""
    import gametheory_aid as gta
    from gametheory_aid.models.contracting_stage import _stage_name

    stage = gta.get_model("contracting-stage")(**{"pleading-poverty.value_intercept": 1e300})
    with pytest.raises(ParameterError, match="float64 range") as info:
        stage.solve()
    assert info.value.name == "pleading-poverty.value_intercept"
    assert _stage_name("joint-blame", "transparency") == "transparency"  # one transparency for every part


def test_the_error_classes_are_exported_at_the_top():
    import gametheory_aid as gta

    assert gta.UnknownNameError is UnknownNameError and gta.ParameterError is ParameterError
    assert {"ParameterError", "UnknownNameError"} <= set(gta.__all__)


def test_a_closed_form_carries_the_models_values_unless_it_sets_its_own():
    """``symbolic()`` of any model (a user's too) gets the model's values for its lambdified functions."""
    import sympy as sp

    from gametheory_aid.core.symbolic import Regime, SymbolicSolution

    def closed_form(values):
        def symbolic(self):
            c, tau = sp.symbols("c tau")
            return SymbolicSolution(self.name, {"cost": c, "transparency": tau},
                                    [Regime("all", sp.true, {"rent": (1 - tau) * c})], values=dict(values))
        return symbolic

    WithValues = type("WithValues", (Toy,), {"symbolic": closed_form({"cost": 5.0, "transparency": 0.0})})
    Plain = type("Plain", (Toy,), {"symbolic": closed_form({})})
    assert WithValues.has_symbolic() and Plain.has_symbolic()
    assert float(Plain(cost=3.0).symbolic().lambdify("rent")(transparency=0.5)) == 1.5  # the model's cost
    assert float(WithValues(cost=3.0).symbolic().lambdify("rent")(transparency=0.5)) == 2.5  # its own values
    Other = type("Other", (Toy,), {"symbolic": lambda self: "not a closed form"})
    assert Other().symbolic() == "not a closed form"


def test_lambdify_takes_none_only_for_an_optional_parameter_the_model_leaves_unset():
    """No cap (max_claim unset) is an infinite cap; None for a parameter that has a value is refused."""
    import gametheory_aid as gta

    cls = gta.get_model("poverty-bargaining")
    uncapped = cls().symbolic().lambdify("claimed_cost")
    expected = float(cls().solve().claimed_cost)
    assert float(uncapped()) == float(uncapped(max_claim=None)) == pytest.approx(expected, abs=1e-12)
    assert float(uncapped(max_claim=2.5)) == pytest.approx(float(cls(max_claim=2.5).solve().claimed_cost))
    capped = cls(max_claim=2.5).symbolic().lambdify("claimed_cost")
    for unset in ({"max_claim": None}, {"transparency": None}):
        with pytest.raises(ParameterError, match="None is not a number") as info:
            capped(**unset)
        assert info.value.name in unset


def test_compare_at_minus_zero_is_the_level_zero():
    table = _pleading()().compare([-0.0, 1.0])
    assert table.levels == [0.0, 1.0] and math.copysign(1.0, table.levels[0]) == 1.0
    assert "tau=0 " in repr(table) and "tau=-0" not in repr(table)
