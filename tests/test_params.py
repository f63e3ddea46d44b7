"""Parameter specification and validation (core.params)."""
import decimal
import math
import re
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from gametheory_aid.core.params import (
    Domain,
    Parameter,
    ParameterError,
    broadcast_parameters,
    validate_array,
    validate_parameters,
)

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


# ---------------------------------------------------------------------------------------------
# Hostile kinds: what is not a real number is refused, never converted (issue 14)
# ---------------------------------------------------------------------------------------------
class Hostile:
    """An object whose repr fails: the message must still be built."""

    def __repr__(self):
        raise RuntimeError("no repr")


@pytest.mark.parametrize("value, reason", [
    pytest.param(0.5 + 1j, "complex", id="complex"),
    pytest.param(np.array([0.5 + 0j]), "complex", id="complex-array-zero-imaginary"),
    pytest.param(np.complex128(0.5), "complex", id="numpy-complex"),
    pytest.param(np.datetime64("2020-01-01"), "date", id="datetime64"),
    pytest.param(np.array(["2020-01-01"], dtype="datetime64[D]"), "date", id="datetime64-array"),
    pytest.param(np.timedelta64(1, "D"), "time difference", id="timedelta64"),
    pytest.param(np.ma.masked_array([0.1, 0.2], mask=[True, False]), "masked", id="masked-element"),
    pytest.param(np.array([0.1, 0.2], dtype=object), "dtype object", id="object-array"),
    pytest.param(np.array(0.5, dtype=object), "dtype object", id="object-0d"),
    pytest.param(np.array([]), "empty", id="empty-array"),
    pytest.param([], "empty", id="empty-list"),
    pytest.param([[]], "empty", id="empty-nested"),
    pytest.param(np.zeros((3, 0)), "empty", id="empty-trailing-axis"),
    pytest.param(10 ** 400, "float64 range", id="int-10**400"),
    pytest.param(-10 ** 400, "float64 range", id="int-minus-10**400"),
    pytest.param(10 ** 5000, "float64 range", id="int-beyond-repr-limit"),
    pytest.param([0.5, 10 ** 400], "float64 range", id="list-with-huge-int"),
    pytest.param([0.5, np.longdouble("1e400")], "float64 range", id="list-with-longdouble-1e400"),
    pytest.param([decimal.Decimal("1e400")], "float64 range", id="list-with-decimal-1e400"),
    pytest.param([Fraction(10 ** 400)], "float64 range", id="list-with-huge-fraction"),
    pytest.param(decimal.Decimal("1e400"), "float64 range", id="decimal-1e400"),
    pytest.param(np.longdouble("1e400"), "float64 range", id="longdouble-1e400"),
    pytest.param("0.5", "string", id="string"),
    pytest.param(b"0.5", "string", id="bytes"),
    pytest.param(["0.5"], "string", id="list-of-strings"),
    pytest.param(True, "bool", id="bool"),
    pytest.param(np.bool_(False), "bool", id="numpy-bool"),
    pytest.param(np.array([True, False]), "bool", id="bool-array"),
    pytest.param([0.5, True], "bool", id="bool-in-list"),
    pytest.param([0.5, None], "None", id="none-in-list"),
    pytest.param([[0.1], [0.1, 0.2]], "ragged", id="ragged"),
    pytest.param([np.array([0.1, 0.2]), np.array([0.3])], "ragged", id="ragged-arrays"),
    pytest.param({"a": 1}, "dict", id="dict"),
    pytest.param({0.5}, "set", id="set"),
    pytest.param((x for x in [0.5]), "generator", id="generator"),
    pytest.param(Hostile(), "Hostile", id="hostile-repr"),
])
def test_what_is_not_a_real_number_is_refused_not_converted(value, reason):
    """Before: complex became 0.5 (a warning), bools, strings, object/masked arrays were converted, [] gave
    an empty result, 10**400 raised OverflowError (not a ValueError)."""
    with pytest.raises(ParameterError) as info:
        UNIT.validate(value)
    message = str(info.value)
    assert info.value.name == "transparency" and "[0, 1]" in message and reason in message
    assert "\n" not in message and len(message) < 500  # one line, whatever the value


@pytest.mark.parametrize("value, expected", [
    pytest.param(1, 1.0, id="int"), pytest.param(np.float32(0.5), 0.5, id="float32"),
    pytest.param(np.int8(1), 1.0, id="int8"), pytest.param(Fraction(1, 4), 0.25, id="fraction"),
    pytest.param(decimal.Decimal("0.75"), 0.75, id="decimal"), pytest.param(-0.0, 0.0, id="minus-zero"),
    pytest.param(range(2), [0.0, 1.0], id="range"), pytest.param((0.25, 1), [0.25, 1.0], id="tuple"),
    pytest.param([[0, 0.5], [1, 0.25]], [[0, 0.5], [1, 0.25]], id="nested-list"),
    pytest.param([np.array([0.0, 0.5]), np.array([1.0, 0.25])], [[0, 0.5], [1, 0.25]], id="list-of-arrays"),
    pytest.param(np.ma.masked_array([0.1, 0.2]), [0.1, 0.2], id="masked-array-without-masked-elements"),
    pytest.param(np.arange(3, dtype=np.uint8) / 2, [0.0, 0.5, 1.0], id="uint8-derived"),
])
def test_real_numbers_of_every_kind_are_accepted(value, expected):
    got = UNIT.validate(value)
    assert got.dtype == np.float64 and got.tolist() == expected


@pytest.mark.parametrize("value, ok", [
    pytest.param(np.array([True]), False, id="bool-array"), pytest.param(np.array([1, 0]), True, id="int-array"),
    pytest.param("1", False, id="string"), pytest.param(1e308, True, id="largest-order"),
    pytest.param(10 ** 308, True, id="int-10**308-fits"), pytest.param(2 * 10 ** 308, False, id="int-2e308-not"),
])
def test_as_real_array_checks_kinds_not_domains(value, ok):
    from gametheory_aid.core.params import as_real_array

    if ok:
        assert as_real_array("x", value, "anything").dtype == np.float64
    else:
        with pytest.raises(ParameterError, match="'x'"):
            as_real_array("x", value, "anything")


def test_validate_array_allows_empty_arrays_only_when_asked():
    assert validate_array("levels", [], Domain(0, 1)).size == 0
    with pytest.raises(ParameterError, match="'levels'.*empty"):
        validate_array("levels", [], Domain(0, 1), allow_empty=False)


def test_none_inside_validate_array_names_none_not_nan():
    """Before: validate_array(None) became NaN and the message said "= nan"."""
    with pytest.raises(ParameterError, match=r"'levels' = None .*None is not a number"):
        validate_array("levels", None, Domain(0, 1))


# ---------------------------------------------------------------------------------------------
# Integer parameters: an upper bound that is displayed and enforced before anything is allocated
# ---------------------------------------------------------------------------------------------
BOUNDED = Parameter("rounds", "T", 4, Domain(1, 600, integer=True), "number of rounds")


@pytest.mark.parametrize("value, expected", [
    pytest.param(3, 3, id="int"), pytest.param(3.0, 3, id="integral-float"), pytest.param(np.int64(3), 3, id="int64"),
    pytest.param(np.float64(3.0), 3, id="float64"), pytest.param(np.array(3), 3, id="0d-array"),
    pytest.param(Fraction(6, 2), 3, id="fraction"), pytest.param(decimal.Decimal("3"), 3, id="decimal"),
    pytest.param(600, 600, id="the-bound"), pytest.param(1, 1, id="the-least"),
])
def test_bounded_integer_accepts_whole_numbers_in_range(value, expected):
    got = BOUNDED.validate(value)
    assert got == expected and type(got) is int


@pytest.mark.parametrize("value, detail", [
    pytest.param(3.5, "not a whole number", id="fraction"), pytest.param(Fraction(7, 2), "not a whole number",
                                                                       id="Fraction-7/2"),
    pytest.param(601, None, id="above-the-bound"), pytest.param(1e9, None, id="1e9"),
    pytest.param(1e30, None, id="1e30"), pytest.param(10 ** 400, None, id="10**400"),
    pytest.param(10 ** 5000, None, id="10**5000"), pytest.param(2 ** 63 + 1, None, id="beyond-int64"),
    pytest.param(0, None, id="below"), pytest.param(-(10 ** 400), None, id="minus-10**400"),
    pytest.param(float("nan"), "finite", id="nan"), pytest.param(float("inf"), "finite", id="inf"),
    pytest.param(True, "bool", id="bool"), pytest.param(np.bool_(True), "bool", id="numpy-bool"),
    pytest.param(np.array(True), "bool", id="0d-bool-array"), pytest.param("3", "string", id="string"),
    pytest.param([3], "not a list", id="list"), pytest.param(np.array([3]), "not an array", id="array"),
    pytest.param(3 + 0j, "complex", id="complex"), pytest.param(np.array(3, dtype=object), "dtype object",
                                                               id="object-0d"),
    pytest.param({"a": 3}, "dict", id="dict"), pytest.param(None, "required", id="none"),
])
def test_bounded_integer_refuses_with_the_bound_in_the_message(value, detail):
    """Before: 1e30 and 10**400 raised OverflowError (or were accepted without a bound), "3" was 3."""
    with pytest.raises(ParameterError) as info:
        BOUNDED.validate(value)
    message = str(info.value)
    assert info.value.name == "rounds" and "integer >= 1 and <= 600" in message and "\n" not in message
    if detail:
        assert detail in message


@given(st.integers(-10 ** 30, 10 ** 30) | st.integers(-700, 700))
def test_bounded_integer_accepts_exactly_its_members(n):
    for value in (n, float(n)) if abs(n) < 2 ** 53 else (n,):  # floats only where they are exact
        if 1 <= n <= 600:
            assert BOUNDED.validate(value) == n
        else:
            with pytest.raises(ParameterError, match="'rounds'"):
                BOUNDED.validate(value)


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_integer_floats_are_whole_numbers_or_refused(x):
    if math.isfinite(x) and x.is_integer() and 1 <= x <= 600:
        assert BOUNDED.validate(x) == int(x)
    else:
        with pytest.raises(ParameterError, match="'rounds'"):
            BOUNDED.validate(x)


@pytest.mark.parametrize("domain, text, inside, outside", [
    pytest.param(Domain(1, 600, integer=True), "integer >= 1 and <= 600", (1, 600), (0, 601), id="closed"),
    # (0, 10) over the integers is 1 ... 9; [0.5, 10.5] is 1 ... 10
    pytest.param(Domain(0, 10, low_open=True, high_open=True, integer=True), "integer >= 1 and <= 9", (1, 9),
                 (0, 10), id="open"),
    pytest.param(Domain(0.5, 10.5, integer=True), "integer >= 1 and <= 10", (1, 10), (0, 11), id="fractional"),
    pytest.param(Domain(None, 5, integer=True), "integer <= 5", (-(10 ** 40), 5), (6,), id="upper-only"),
])
def test_integer_domain_displays_the_integers_it_allows(domain, text, inside, outside):
    spec = Parameter("k", "k", inside[0], domain, "a count")
    assert str(domain) == text and spec.allowed == text
    for n in inside:
        assert spec.validate(n) == n
    for n in outside:
        with pytest.raises(ParameterError, match=re.escape(text)):
            spec.validate(n)


def test_large_bounds_display_in_exponent_form():
    """Before: a bound of 1e308 was printed as its 309 digits."""
    assert str(Domain(0, 1e308)) == "[0, 1e+308]" and str(Domain(0, 2 ** 40)) == "[0, 1099511627776]"


def test_infinities_in_a_list_are_infinities_not_beyond_the_range():
    """An infinite element is outside every domain; only a finite one is "beyond the float64 range"."""
    for value in ([0.5, math.inf], [decimal.Decimal("inf")], [np.longdouble("inf")]):
        with pytest.raises(ParameterError) as info:
            UNIT.validate(value)
        assert "= inf" in str(info.value) and "float64 range" not in str(info.value)


@pytest.mark.parametrize("name", [["transparency"], 3, None, ("transparency",), b"transparency"])
def test_a_name_that_is_no_string_is_unknown(name):
    """Before: an unhashable name raised TypeError inside check_names."""
    from gametheory_aid.core.params import UnknownNameError, check_names

    with pytest.raises(UnknownNameError) as info:
        check_names([name], ["transparency", "penalty"], "parameter", "model 'm'")
    assert info.value.name == name and "parameters: transparency, penalty" in str(info.value)


def test_a_renamed_error_keeps_the_value_domain_and_reason():
    with pytest.raises(ParameterError) as info:
        UNIT.validate("0.5")
    renamed = info.value.renamed("stage.transparency")
    assert (renamed.name, renamed.value, renamed.domain, renamed.detail) == (
        "stage.transparency", "0.5", "[0, 1]", info.value.detail)
    assert str(renamed) == str(info.value).replace("'transparency'", "'stage.transparency'")


VECTORS = [Parameter("share", "s", (0.5, 0.5), Domain(0, 1), "shares", vector=True),
           Parameter("weight", "w", (1.0, 1.0), Domain(0, None), "weights", vector=True)]


@pytest.mark.parametrize("values, blamed, other", [
    pytest.param({"share": [0.2, 0.3, 0.5]}, "share", "weight", id="first-given"),
    pytest.param({"weight": [1.0, 1.0, 1.0]}, "weight", "share", id="second-given"),
    pytest.param({"share": [0.2, 0.8], "weight": [1.0, 1.0, 1.0]}, "weight", "share", id="both-later-blamed"),
    pytest.param({"weight": [1.0, 1.0, 1.0], "share": [0.2, 0.8]}, "share", "weight", id="both-in-other-order"),
])
def test_a_length_mismatch_blames_the_vector_set_last(values, blamed, other):
    """Before: the first vector parameter in the specification was the reference, whichever was set."""
    with pytest.raises(ParameterError) as info:
        validate_parameters(VECTORS, values)
    assert info.value.name == blamed and f"but {other!r} has length" in str(info.value)


class _UnreadableArray:
    """An object numpy would read through ``__array__``, which fails."""

    def __array__(self, *args, **kwargs):
        raise RuntimeError("unreadable")


def _broken_real():
    """A registered ``numbers.Real`` whose conversions fail: neither a float nor convertible."""
    import numbers

    def fail(self, *args):
        raise TypeError("no conversion")

    methods = {name: fail for name in numbers.Real.__abstractmethods__}
    methods["__hash__"] = lambda self: 0
    return type("BrokenReal", (numbers.Real,), methods)()


@pytest.mark.parametrize("value, reason", [
    pytest.param(_UnreadableArray(), "numpy cannot read", id="unreadable-array"),
    pytest.param([np.zeros((2, 2)), np.zeros((2, 3))], "not a rectangular list", id="blocks-of-other-shapes"),
    pytest.param([_broken_real()], "not a list of real numbers", id="list-of-broken-reals"),
    pytest.param(_broken_real(), "not a real number", id="broken-real"),
])
def test_what_numpy_or_float_cannot_read_is_refused_by_name(value, reason):
    from gametheory_aid.core.params import as_real_array

    with pytest.raises(ParameterError, match=reason) as info:
        as_real_array("x", value, "anything")
    assert info.value.name == "x"


def test_an_infinite_float32_is_an_infinity_not_beyond_the_range():
    with pytest.raises(ParameterError) as info:
        UNIT.validate(np.array([0.5, np.inf], dtype=np.float32))
    assert "= inf" in str(info.value) and "float64 range" not in str(info.value)


def test_an_integer_beyond_the_float_range_as_a_fraction_is_refused():
    with pytest.raises(ParameterError, match="'rounds'.*beyond the float64 range"):
        BOUNDED.validate(Fraction(10 ** 400, 3))
