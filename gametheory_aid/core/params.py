"""Parameter specification and validation.

A model declares its parameters as :class:`Parameter` objects: a public name, the
mathematical symbol, the domain, the default, the meaning in English and the source's
own term.  :meth:`Parameter.validate` turns user input into a float array (or an int for
integer parameters) and raises :class:`ParameterError` -- a :class:`ValueError` -- that
names the parameter, the offending value and the allowed domain.  Nothing is clipped.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["ParameterError", "UnknownNameError", "Domain", "Parameter", "validate_array", "check_names",
           "closest_name", "validate_parameters", "SHARE_TOLERANCE", "broadcast_shape", "broadcast_parameters",
           "vector_length"]


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
    """

    def __init__(self, name: str, value: Any, domain: str, detail: str | None = None):
        self.name = name
        self.value = value
        self.domain = domain
        msg = f"parameter {name!r} = {value!r} is outside its domain {domain}"
        if detail:
            msg += f" ({detail})"
        super().__init__(msg)


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
        if name not in allowed:
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

    def __str__(self) -> str:
        if self.integer:
            parts = []
            if self.low is not None:
                parts.append(f">= {int(self.low)}")
            if self.high is not None:
                parts.append(f"<= {int(self.high)}")
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
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def validate_array(name: str, value: Any, domain: Domain, *, what: str = "a real number or array") -> np.ndarray:
    """``value`` as a float array every element of which lies in ``domain``.

    The one validator of "an array in a domain" of the package: parameters, analysis
    arguments (levels, bounds, budgets) and core arguments (powers, efficiencies) all use it.

    Raises
    ------
    ParameterError
        Naming ``name``, the first offending element and the domain.
    """
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(name, value, str(domain), f"must be {what}") from None
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
            if isinstance(value, (bool, np.bool_)):
                raise ParameterError(self.name, value, str(self.domain), "must be an integer")
            try:
                as_float = float(value)
            except (TypeError, ValueError):
                raise ParameterError(self.name, value, str(self.domain), "must be an integer") from None
            if np.ndim(value) != 0:
                raise ParameterError(self.name, value, str(self.domain), "must be a scalar integer")
            if not self.domain.mask(np.asarray(as_float)):
                raise ParameterError(self.name, value, str(self.domain))
            return int(as_float)
        what = "a vector (last axis over targets)" if self.vector else "a real number or array"
        arr = validate_array(self.name, value, self.domain, what=what)
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


def vector_length(specs, values: dict) -> int | None:
    """The common length n of the last axis of the vector parameters (``None`` if there are none).

    Raises :class:`ParameterError` naming both parameters when two lengths differ.
    """
    first = None
    for p in specs:
        v = values.get(p.name)
        if not p.vector or v is None:
            continue
        n = np.shape(v)[-1]
        if first is None:
            first = (p.name, n)
        elif n != first[1]:
            raise ParameterError(p.name, f"vector of length {n}", f"vectors of length n = {first[1]}",
                                 f"{p.name!r} has length {n} but {first[0]!r} has length {first[1]}: "
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
    vector_length(specs, out)
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
