"""The base model API and result objects, on a toy model."""
import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from toy import Toy

from gametheory_aid.core.params import ParameterError
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
