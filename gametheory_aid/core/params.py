"""Parameter specification and validation.

A model declares its parameters as :class:`Parameter` objects: a public name, the
mathematical symbol, the domain, the default, the meaning in English and the source's
own term.  :meth:`Parameter.validate` turns user input into a float array (or an int for
integer parameters) and raises :class:`ParameterError` -- a :class:`ValueError` -- that
names the parameter, the offending value and the allowed domain.  Nothing is clipped.

A number is a real number of the Python API: ``int``, ``float``, numpy integers and floats
(and ``Fraction``/``Decimal``), or arrays and (nested) lists of them.  Strings, bools,
complex numbers, dates, ``None`` inside arrays, object arrays, masked elements and integers
beyond the float range are refused, not converted: the command line parses its text into
numbers before the model sees them.
"""
from __future__ import annotations

import decimal
import math
import numbers
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["ParameterError", "UnknownNameError", "Domain", "Parameter", "validate_array", "check_names",
           "unicode_symbol",
           "closest_name", "validate_parameters", "as_real_array", "SHARE_TOLERANCE", "broadcast_shape",
           "broadcast_parameters", "vector_length"]


class ParameterError(ValueError):
    """A parameter value outside its domain (or of the wrong kind).

    Attributes
    ----------
    name : str
        The parameter's public name.
    value : object
        The offending value (the first offending element for arrays).
    domain : str
        A human-readable statement of the allowed values.
    detail : str or None
        What is wrong, where the domain alone does not say it.
    """

    def __init__(self, name: str, value: Any, domain: str, detail: str | None = None):
        self.name = name
        self.value = value
        self.domain = domain
        self.detail = detail
        msg = f"parameter {name!r} = {_brief(value)} is outside its domain {domain}"
        if detail:
            msg += f" ({detail})"
        super().__init__(msg)

    def renamed(self, name: str) -> ParameterError:
        """The same error about the parameter called ``name`` (a composite model's ``"part.parameter"``).

        >>> ParameterError("penalty", -1.0, "[0, inf)").renamed("pleading-poverty.penalty").name
        'pleading-poverty.penalty'
        """
        return ParameterError(name, self.value, self.domain, self.detail)


def _brief(value: Any, limit: int = 200) -> str:
    """``repr(value)`` for a one-line message: huge integers by their size, long reprs cut."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10 ** 30:
        # repr of a 10**5000 raises (Python's digit limit); its digits say nothing anyway
        digits = int(value.bit_length() * math.log10(2)) + 1
        return f"<{'-' if value < 0 else ''}integer of about {digits} digits>"
    try:
        text = " ".join(repr(value).split())  # one line: numpy prints 2-d arrays on several
    except Exception:  # a hostile __repr__, or a list holding a 10**5000: the type is enough
        return f"<{type(value).__name__} object>"
    return text if len(text) <= limit else text[:limit - 3] + "..."


class UnknownNameError(ParameterError, KeyError):
    """A name (of a parameter, output, model, axis, ...) that is not among the known ones.

    Both a :class:`ParameterError` (hence a ``ValueError``) and a ``KeyError`` (a
    ``LookupError``), so that code catching either sees it.  The message suggests the closest
    known name.

    Attributes
    ----------
    name : str
        The unknown name.
    known : tuple of str
        The names that would have been accepted.
    what : str
        What kind of name it is ("parameter", "output", "model", ...).
    """

    def __init__(self, name: str, known, what: str = "parameter", owner: str = "", *, prefix: str = "",
                 where: str | None = None, listing: str | None = None):
        self.name = name
        self.value = name
        self.known = tuple(known)
        self.what = what
        self.domain = "one of: " + ", ".join(self.known) if self.known else "none"
        self.detail = None
        if where is None:
            where = f" of {owner}" if owner else ""
        msg = f"{prefix}unknown {what} {name!r}{where}"
        guess = closest_name(name, self.known)
        if guess is not None:
            msg += f"; did you mean {guess!r}?"
        msg += f" ({listing or what + 's: ' + (', '.join(self.known) or 'none')})"
        Exception.__init__(self, msg)

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


def closest_name(name: str, known) -> str | None:
    """The known name most like ``name`` (``difflib`` ratio at least 0.6), or ``None``."""
    import difflib

    matches = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.6)
    return matches[0] if matches else None


def check_names(names, known, what: str = "parameter", owner: str = "") -> None:
    """Raise :class:`UnknownNameError` for the first of ``names`` not in ``known``."""
    known = tuple(known)
    allowed = set(known)
    for name in names:
        if not isinstance(name, str) or name not in allowed:  # a list or a number is no name (nor hashable)
            raise UnknownNameError(name, known, what, owner)


@dataclass(frozen=True)
class Domain:
    """An interval of the extended real line, optionally restricted to integers.

    ``Domain(0, 1)`` is the closed interval [0, 1]; ``Domain(0, None, low_open=True)`` is
    (0, inf).  Infinite values are never accepted (they are not meaningful for any
    parameter of this package); NaN never is.
    """

    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    integer: bool = False

    def integer_bounds(self) -> tuple:
        """The least and the greatest allowed integer (``None`` where unbounded).

        Open and fractional bounds become the integers they allow: ``Domain(0, 10.5,
        low_open=True, integer=True)`` allows 1 ... 10.
        """
        low = high = None
        if self.low is not None:
            low = math.floor(self.low) + 1 if self.low_open else math.ceil(self.low)
        if self.high is not None:
            high = math.ceil(self.high) - 1 if self.high_open else math.floor(self.high)
        return low, high

    def __str__(self) -> str:
        if self.integer:
            low, high = self.integer_bounds()
            parts = []
            if low is not None:
                parts.append(f">= {low}")
            if high is not None:
                parts.append(f"<= {high}")
            return "integer " + " and ".join(parts) if parts else "integer"
        lo = "-inf" if self.low is None else _fmt(self.low)
        hi = "inf" if self.high is None else _fmt(self.high)
        left = "(" if (self.low_open or self.low is None) else "["
        right = ")" if (self.high_open or self.high is None) else "]"
        return f"{left}{lo}, {hi}{right}"

    def contains_all(self, values: np.ndarray) -> bool:
        """Whether every element of ``values`` lies in the domain.

        Two reductions instead of a boolean mask per bound: validating a parameter array of
        a million points then costs about a millisecond.  NaN and infinities propagate into
        the minimum or maximum and fail the finiteness test.
        """
        if values.size == 0:
            return True
        if self.integer:
            return bool(np.all(self.mask(values)))
        lowest, highest = values.min(), values.max()
        if not (np.isfinite(lowest) and np.isfinite(highest)):
            return False
        if self.low is not None and not (lowest > self.low if self.low_open else lowest >= self.low):
            return False
        if self.high is not None and not (highest < self.high if self.high_open else highest <= self.high):
            return False
        return True

    def mask(self, values: np.ndarray) -> np.ndarray:
        """Boolean array: which elements of ``values`` lie in the domain."""
        ok = np.isfinite(values)
        with np.errstate(invalid="ignore"):
            if self.low is not None:
                ok &= (values > self.low) if self.low_open else (values >= self.low)
            if self.high is not None:
                ok &= (values < self.high) if self.high_open else (values <= self.high)
            if self.integer:
                ok &= np.equal(np.floor(values), values)
        return ok


def _fmt(x: float) -> str:
    # whole numbers without ".0", but 1e308 as 1e+308, not as its 309 digits
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e16 else repr(float(x))


#: Why a numpy dtype kind is not a real number (``"f"``, ``"i"`` and ``"u"`` are).
_NOT_REAL = {"b": "a bool is not a number", "c": "a complex number is not real",
             "M": "a date is not a number", "m": "a time difference is not a number",
             "U": "a string is not a number", "S": "a string is not a number",
             "O": "an array of Python objects (dtype object) is not a numeric array",
             "V": "a structured array is not a number"}


def _is_real_type(t: type) -> bool:
    """Whether values of type ``t`` are real numbers (bools are not)."""
    return (issubclass(t, (numbers.Real, decimal.Decimal, np.integer, np.floating))
            and not issubclass(t, (bool, np.bool_)))


def _scalar_reason(x: Any) -> str | None:
    """Why the scalar ``x`` is not a real number (``None`` if it is one)."""
    if isinstance(x, (bool, np.bool_)):
        return "a bool is not a number"
    if isinstance(x, (str, bytes)):
        return "a string is not a number"
    if isinstance(x, np.generic):
        return None if x.dtype.kind in "fiu" else _NOT_REAL.get(x.dtype.kind, "not a real number")
    if isinstance(x, (numbers.Real, decimal.Decimal)):
        return None
    if isinstance(x, numbers.Complex):
        return "a complex number is not real"
    if x is None:
        return "None is not a number"
    return f"a value of type {type(x).__name__} is not a number"


def _beyond_float(x: Any) -> bool:
    """Whether the real number ``x`` is finite but beyond the float64 range (``10**400``, a longdouble 1e400)."""
    try:
        with np.errstate(over="ignore"):
            if not math.isinf(float(np.float64(x))):
                return False
    except OverflowError:  # a Python int or Fraction
        return True
    if isinstance(x, decimal.Decimal):
        return x.is_finite()
    return isinstance(x, np.floating) and bool(np.isfinite(x))


def as_real_array(name: str, value: Any, allowed: str, what: str = "a real number or array") -> np.ndarray:
    """``value`` as a float64 array, if it is a real number or an array of real numbers.

    The kind check of :func:`validate_array`, without the domain: strings, bools, complex
    numbers, dates, ``None``, object arrays, masked elements, ragged lists and numbers beyond
    the float64 range are refused, never converted.  (A masked array without masked elements
    is its data.)

    Raises
    ------
    ParameterError
        Naming ``name``, the value and ``allowed``, and saying what is wrong.
    """
    def refuse(reason: str, bad: Any = value):
        raise ParameterError(name, bad, allowed, f"must be {what}; {reason}") from None

    if isinstance(value, np.ma.MaskedArray):
        if np.ma.getmaskarray(value).any():
            refuse("masked elements are not values (fill them, or drop them)")
        value = np.asarray(value.data)
    if isinstance(value, (np.ndarray, np.generic)) or (hasattr(value, "__array__") and not isinstance(value, type)):
        try:
            arr = np.asarray(value)
        except Exception:  # a hostile __array__
            refuse(f"a {type(value).__name__} that numpy cannot read")
        kind = arr.dtype.kind
        if kind not in "fiu":
            refuse(_NOT_REAL.get(kind, f"dtype {arr.dtype} is not real"))
        if arr.dtype == np.float64:
            return arr
        with np.errstate(over="ignore"):
            out = arr.astype(np.float64)
        if kind == "f" and out.size and np.isinf(out).any():  # e.g. a longdouble 1e400
            where = np.isinf(out) & np.isfinite(arr)
            if where.any():
                refuse("beyond the float64 range (about 1.8e308)", arr[where].flat[0])
        return out
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        try:
            leaves = np.asarray(value, dtype=object)
        except Exception:
            refuse("not a rectangular list of numbers")
        # The elements of a list are Python objects: check their kinds, once per type.
        flat = leaves.ravel()
        bad = {t for t in set(map(type, flat)) if not _is_real_type(t)}
        for x in (x for x in flat if type(x) in bad):  # the first offending element, in order
            if isinstance(x, np.ndarray):
                if x.ndim != 0:
                    refuse("a ragged list (rows of different lengths) is not an array")
                if _scalar_reason(x[()]) is None:
                    continue
                x = x[()]
            if isinstance(x, (list, tuple)):
                refuse("a ragged list (rows of different lengths) is not an array")
            refuse(f"element {_brief(x, 40)}: {_scalar_reason(x)}")
        try:
            with np.errstate(over="ignore"):  # a longdouble 1e400 becomes inf: found below
                arr = leaves.astype(np.float64)
        except OverflowError:  # a Python int or Fraction beyond the float range
            arr = None
        except (TypeError, ValueError, ArithmeticError):
            refuse("not a list of real numbers")
        if arr is None or np.isinf(arr).any():
            big = next((x for x in flat if _beyond_float(x)), None)
            if big is not None or arr is None:
                refuse(f"element {_brief(big, 40)} is beyond the float64 range (about 1.8e308)")
        return arr
    reason = _scalar_reason(value)
    if reason is not None:
        refuse(reason)
    try:
        x = float(value)
    except OverflowError:
        refuse("beyond the float64 range (about 1.8e308)")
    except (TypeError, ValueError, ArithmeticError):
        refuse("not a real number")
    if math.isinf(x) and isinstance(value, decimal.Decimal) and value.is_finite():
        refuse("beyond the float64 range (about 1.8e308)")  # float(Decimal('1e400')) is inf
    return np.asarray(x)


def validate_array(name: str, value: Any, domain: Domain, *, what: str = "a real number or array",
                   allow_empty: bool = True) -> np.ndarray:
    """``value`` as a float array every element of which lies in ``domain``.

    The one validator of "an array in a domain" of the package: parameters, analysis
    arguments (levels, bounds, budgets) and core arguments (powers, efficiencies) all use it.
    What is not a real number is refused by :func:`as_real_array`; an empty array only with
    ``allow_empty=False``.

    Raises
    ------
    ParameterError
        Naming ``name``, the first offending element and the domain.
    """
    arr = as_real_array(name, value, str(domain), what)
    if arr.size == 0 and not allow_empty:
        raise ParameterError(name, value, str(domain), f"must be {what}; an empty array holds no point")
    if not domain.contains_all(arr):
        ok = domain.mask(arr)  # only on failure: find the first offending element
        bad = arr[~ok].flat[0] if arr.ndim else arr.item()
        raise ParameterError(name, float(bad), str(domain))
    return arr


#: How far from 1 the entries of a vector of shares may sum (rounding, not renormalisation).
SHARE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Parameter:
    """Specification of one model parameter.

    Parameters
    ----------
    name : str
        Public name (keyword argument, CLI ``--set NAME=VALUE``, JSON key).
    symbol : str
        The symbol in the model's formulas (a sympy-parsable name, e.g. ``"theta_s"``).
    default : float, int, tuple or None
        Default value (``None`` only when ``optional``; a tuple for a vector parameter).
    domain : Domain
        Allowed values (of every element, for a vector parameter).
    meaning : str
        One line in English.
    chinese : str
        The source paper's own term, where it has one.
    optional : bool
        ``None`` is an allowed value meaning "not set" (e.g. no upper bound).
    vector : bool
        One value per target or channel: the last axis has length n, shared by all of a
        model's vector parameters; leading axes broadcast with the scalar parameters.
    shares : bool
        A vector of shares: besides lying in ``domain``, each vector sums to 1 (within
        :data:`SHARE_TOLERANCE`); it is never renormalised.

    Examples
    --------
    >>> share = Parameter("share", "s", (0.5, 0.5), Domain(0, None, low_open=True), "shares",
    ...                   vector=True, shares=True)
    >>> share.validate([0.25, 0.75]).tolist()
    [0.25, 0.75]
    >>> try:
    ...     share.validate([0.5, 0.6])
    ... except ParameterError as error:
    ...     print(error)  # doctest: +ELLIPSIS
    parameter 'share' = [0.5, 0.6] is outside its domain (0, inf) with every vector summing to 1 ... sums to 1.1)
    """

    name: str
    symbol: str
    default: Any
    domain: Domain
    meaning: str
    chinese: str = ""
    optional: bool = False
    vector: bool = False
    shares: bool = False

    @property
    def integer(self) -> bool:
        return self.domain.integer

    @property
    def allowed(self) -> str:
        """The allowed values in words (the domain, and the sum for shares)."""
        if self.shares:
            return f"{self.domain} with every vector summing to 1 (within {SHARE_TOLERANCE:g})"
        return str(self.domain)

    def validate(self, value: Any):
        """Return the validated value: a float ndarray, an int, or ``None``.

        Raises
        ------
        ParameterError
            If the value is malformed or any element lies outside the domain.
        """
        if value is None:
            if self.optional:
                return None
            raise ParameterError(self.name, value, str(self.domain), "a value is required")
        if self.integer:
            return self._validate_integer(value)
        what = "a vector (last axis over targets)" if self.vector else "a real number or array"
        arr = validate_array(self.name, value, self.domain, what=what, allow_empty=False)
        if self.vector and (arr.ndim == 0 or arr.shape[-1] == 0):
            raise ParameterError(self.name, value, str(self.domain),
                                 "a vector parameter needs a last axis of length n >= 1")
        if self.shares:
            total = arr.sum(axis=-1)
            off = np.abs(total - 1.0) > SHARE_TOLERANCE
            if np.any(off):
                raise ParameterError(self.name, value, self.allowed,
                                     f"a vector sums to {float(np.asarray(total)[off].flat[0]):.10g}")
        return arr

    def _validate_integer(self, value: Any) -> int:
        """An integer parameter's value as an ``int``, its bounds compared exactly (no float).

        ``3``, ``3.0`` and ``numpy.int64(3)`` are 3; ``3.5``, bools, strings and arrays are
        refused, and so is any value above the domain's upper bound -- before a model
        allocates anything of that size.
        """
        domain = str(self.domain)
        if isinstance(value, np.ndarray):
            if value.ndim != 0:
                raise ParameterError(self.name, value, domain, "must be a scalar integer, not an array")
            if value.dtype.kind not in "fiu":
                raise ParameterError(self.name, value, domain,
                                     f"must be an integer; {_NOT_REAL.get(value.dtype.kind, 'not a number')}")
            value = value[()]
        elif isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
            raise ParameterError(self.name, value, domain, "must be a scalar integer, not a list")
        reason = _scalar_reason(value)
        if reason is not None:
            raise ParameterError(self.name, value, domain, f"must be an integer; {reason}")
        if isinstance(value, (numbers.Integral, np.integer)):
            n = int(value)
        else:
            try:
                x = float(value)
            except OverflowError:
                raise ParameterError(self.name, value, domain, "must be an integer; beyond the float64 range") from None
            if not math.isfinite(x):
                raise ParameterError(self.name, value, domain, "must be a finite integer")
            if not x.is_integer():
                raise ParameterError(self.name, value, domain, "not a whole number")
            n = int(x)
        low, high = self.domain.integer_bounds()
        if (low is not None and n < low) or (high is not None and n > high):
            raise ParameterError(self.name, value, domain)
        return n


def vector_length(specs, values: dict, given=()) -> int | None:
    """The common length n of the last axis of the vector parameters (``None`` if there are none).

    Raises :class:`ParameterError` naming both parameters when two lengths differ; the error is
    about the one that comes later in ``given`` (the names the caller set, in the order set), so
    that a vector set by hand is blamed rather than a default it disagrees with.
    """
    rank = {name: i for i, name in enumerate(given)}
    first = None
    for p in specs:
        v = values.get(p.name)
        if not p.vector or v is None:
            continue
        n = np.shape(v)[-1]
        if first is None:
            first = (p.name, n)
        elif n != first[1]:
            (name, length), (other, other_length) = (p.name, n), first
            if rank.get(other, -1) > rank.get(name, -1):
                (name, length), (other, other_length) = first, (p.name, n)
            raise ParameterError(name, f"vector of length {length}", f"vectors of length n = {other_length}",
                                 f"{name!r} has length {length} but {other!r} has length {other_length}: "
                                 f"every vector parameter has the same n")
    return None if first is None else first[1]


def validate_parameters(specs, values: dict, owner: str = "") -> dict:
    """Validate ``values`` against the sequence of :class:`Parameter` ``specs``.

    Unknown names raise :class:`UnknownNameError` (suggesting the closest known name);
    missing names take their defaults; vector parameters must share their length.
    """
    by_name = {p.name: p for p in specs}
    check_names(values, by_name, "parameter", owner)
    out = {}
    for p in specs:
        out[p.name] = p.validate(values.get(p.name, p.default))
    vector_length(specs, out, given=tuple(values))
    return out


def _leading(spec_by_name: dict, name: str, value: np.ndarray) -> tuple:
    p = spec_by_name.get(name)
    return value.shape[:-1] if (p is not None and p.vector) else value.shape


def broadcast_shape(values: dict, specs=()) -> tuple:
    """The broadcast shape of the points: scalars' shapes and vectors' leading axes.

    Raises :class:`ParameterError` naming the first parameter whose shape does not fit.
    """
    by_name = {p.name: p for p in specs}
    arrays = {k: v for k, v in values.items() if isinstance(v, np.ndarray)}
    shapes = {k: _leading(by_name, k, a) for k, a in arrays.items()}
    try:
        return np.broadcast_shapes(*shapes.values()) if shapes else ()
    except ValueError:
        shape = ()
        for k, s in shapes.items():
            try:
                shape = np.broadcast_shapes(shape, s)
            except ValueError:
                raise ParameterError(k, f"array of shape {arrays[k].shape}",
                                     f"arrays broadcastable to shape {shape}", "shapes do not broadcast") from None
        raise  # pragma: no cover - the loop finds the culprit


def broadcast_parameters(values: dict, specs=()) -> dict:
    """Broadcast the array-valued entries of ``values`` against each other.

    Vector parameters (named in ``specs`` with ``vector=True``) keep their last axis and
    broadcast their leading axes.  Raises :class:`ParameterError` naming the first parameter
    whose shape does not fit.
    """
    by_name = {p.name: p for p in specs}
    shape = broadcast_shape(values, specs)
    out = dict(values)
    for k, a in values.items():
        if isinstance(a, np.ndarray):
            p = by_name.get(k)
            out[k] = np.broadcast_to(a, shape + a.shape[-1:] if (p is not None and p.vector) else shape)
    return out


def unicode_symbol(name: str) -> str:
    """A parameter's symbol with its Greek letter written as one (``"theta_s"`` -> ``"θ_s"``).

    >>> unicode_symbol("tau"), unicode_symbol("theta_s"), unicode_symbol("V_A"), unicode_symbol("lam")
    ('τ', 'θ_s', 'V_A', 'λ')
    >>> unicode_symbol("max_claim")
    'max_claim'
    """
    head, sep, tail = name.partition("_")
    head = {"lam": "lamda", "lambda": "lamda"}.get(head, head)  # Unicode spells it LAMDA
    try:
        head = unicodedata.lookup(f"GREEK SMALL LETTER {head.upper()}") if len(head) > 1 else head
    except KeyError:
        pass
    return head + sep + tail
