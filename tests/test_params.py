"""Parameter specification and validation (core.params)."""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from gametheory_aid.core.params import Domain, Parameter, ParameterError, broadcast_parameters, validate_parameters

UNIT = Parameter("transparency", "tau", 0.0, Domain(0, 1), "strength of digital empowerment", "数字技术赋能")
POSITIVE = Parameter("value_curvature", "b", 1.0, Domain(0, None, low_open=True), "curvature")
ROUNDS = Parameter("rounds", "T", 4, Domain(1, None, integer=True), "number of rounds")
CAP = Parameter("max_claim", "theta_max", None, Domain(0, None), "cap on claims", optional=True)


@pytest.mark.parametrize("domain, text", [
    pytest.param(Domain(0, 1), "[0, 1]", id="closed"),
    pytest.param(Domain(0, 1, low_open=True), "(0, 1]", id="left-open"),
    pytest.param(Domain(0, None, low_open=True), "(0, inf)", id="positive"),
    pytest.param(Domain(None, None), "(-inf, inf)", id="real-line"),
    pytest.param(Domain(1, None, integer=True), "integer >= 1", id="integer"),
])
def test_domain_text(domain, text):
    assert str(domain) == text


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_unit_interval_accepts_exactly_its_members(x):
    inside = math.isfinite(x) and 0 <= x <= 1
    if inside:
        assert UNIT.validate(x) == x
    else:
        with pytest.raises(ParameterError) as info:
            UNIT.validate(x)
        err = info.value
        assert err.name == "transparency" and err.domain == "[0, 1]"
        assert "transparency" in str(err) and "[0, 1]" in str(err)


def test_error_is_a_value_error_and_names_value():
    with pytest.raises(ValueError, match=r"'value_curvature' = 0\.0 .*\(0, inf\)"):
        POSITIVE.validate(0.0)


@given(st.lists(st.floats(0, 1), min_size=1, max_size=20), st.integers(0, 19))
def test_array_with_one_bad_element_names_that_element(values, where):
    arr = np.array(values)
    arr[where % len(arr)] = 1.5
    with pytest.raises(ParameterError) as info:
        UNIT.validate(arr)
    assert info.value.value == 1.5


@pytest.mark.parametrize("value", [
    pytest.param("abc", id="string"), pytest.param([[0.1], [0.1, 0.2]], id="ragged"),
    pytest.param(object(), id="object"),
])
def test_malformed_real(value):
    with pytest.raises(ParameterError, match="transparency"):
        UNIT.validate(value)


@pytest.mark.parametrize("value, ok", [
    pytest.param(4, True, id="int"), pytest.param(4.0, True, id="integral-float"),
    pytest.param(0, False, id="zero"), pytest.param(2.5, False, id="fraction"),
    pytest.param(True, False, id="bool"), pytest.param([1, 2], False, id="array"),
    pytest.param("x", False, id="string"), pytest.param(float("nan"), False, id="nan"),
])
def test_integer_parameter(value, ok):
    if ok:
        assert ROUNDS.validate(value) == 4 and isinstance(ROUNDS.validate(value), int)
    else:
        with pytest.raises(ParameterError, match="rounds"):
            ROUNDS.validate(value)


def test_optional_parameter():
    assert CAP.validate(None) is None
    assert CAP.validate(3.0) == 3.0
    with pytest.raises(ParameterError, match="transparency.*required"):
        UNIT.validate(None)


def test_validate_parameters_defaults_and_unknown():
    out = validate_parameters((UNIT, POSITIVE), {"transparency": 0.5})
    assert out["transparency"] == 0.5 and out["value_curvature"] == 1.0
    with pytest.raises(ParameterError, match="unknown parameter 'penalty'"):
        validate_parameters((UNIT, POSITIVE), {"penalty": 1})


@given(st.integers(1, 5), st.integers(1, 5))
def test_broadcast_parameters(n, m):
    out = broadcast_parameters({"a": np.zeros((n, 1)), "b": np.ones(m), "c": 3, "d": np.asarray(2.0)})
    assert out["a"].shape == out["b"].shape == out["d"].shape == (n, m)
    assert out["c"] == 3


def test_broadcast_mismatch_names_parameter():
    with pytest.raises(ParameterError, match="'b'.*do not broadcast"):
        broadcast_parameters({"a": np.zeros(3), "b": np.zeros(4)})


@given(hnp.arrays(float, st.integers(0, 30), elements=st.floats(allow_nan=True, allow_infinity=True)),
       st.sampled_from([Domain(0, 1), Domain(0, 1, low_open=True, high_open=True), Domain(0, None),
                        Domain(None, None), Domain(1, None, integer=True)]))
def test_contains_all_agrees_with_the_elementwise_mask(values, domain):
    assert domain.contains_all(values) == bool(np.all(domain.mask(values)))
