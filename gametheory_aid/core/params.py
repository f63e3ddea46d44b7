"""Parameter specification and validation.

A model declares its parameters as :class:`Parameter` objects: a public name, the
mathematical symbol, the domain, the default, the meaning in English and the source's
own term.  :meth:`Parameter.validate` turns user input into a float array (or an int for
integer parameters) and raises :class:`ParameterError` -- a :class:`ValueError` -- that
names the parameter, the offending value and the allowed domain.  Nothing is clipped.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["ParameterError", "Domain", "Parameter", "validate_parameters", "broadcast_parameters"]


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


@dataclass(frozen=True)
class Parameter:
    """Specification of one model parameter.

    Parameters
    ----------
    name : str
        Public name (keyword argument, CLI ``--set NAME=VALUE``, JSON key).
    symbol : str
        The symbol in the model's formulas (a sympy-parsable name, e.g. ``"theta_s"``).
    default : float, int or None
        Default value (``None`` only when ``optional``).
    domain : Domain
        Allowed values.
    meaning : str
        One line in English.
    chinese : str
        The source paper's own term, where it has one.
    optional : bool
        ``None`` is an allowed value meaning "not set" (e.g. no upper bound).
    """

    name: str
    symbol: str
    default: Any
    domain: Domain
    meaning: str
    chinese: str = ""
    optional: bool = False

    @property
    def integer(self) -> bool:
        return self.domain.integer

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
        try:
            arr = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            raise ParameterError(self.name, value, str(self.domain), "must be a real number or array") from None
        if arr.dtype == object:  # pragma: no cover - numpy raises above for ragged input
            raise ParameterError(self.name, value, str(self.domain), "must be a real number or array")
        if not self.domain.contains_all(arr):
            ok = self.domain.mask(arr)  # only on failure: find the first offending element
            bad = arr[~ok].flat[0] if arr.ndim else arr.item()
            raise ParameterError(self.name, float(bad), str(self.domain))
        return arr


def validate_parameters(specs, values: dict) -> dict:
    """Validate ``values`` against the sequence of :class:`Parameter` ``specs``.

    Unknown names raise :class:`ParameterError`; missing names take their defaults.
    """
    by_name = {p.name: p for p in specs}
    unknown = [k for k in values if k not in by_name]
    if unknown:
        raise ParameterError(unknown[0], values[unknown[0]], "the model's parameters: " + ", ".join(by_name),
                             "unknown parameter")
    out = {}
    for p in specs:
        out[p.name] = p.validate(values.get(p.name, p.default))
    return out


def broadcast_parameters(values: dict) -> dict:
    """Broadcast the array-valued entries of ``values`` against each other.

    Raises :class:`ParameterError` naming the first parameter whose shape does not fit.
    """
    arrays = {k: v for k, v in values.items() if isinstance(v, np.ndarray)}
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays.values())) if arrays else ()
    except ValueError:
        shape = ()
        for k, a in arrays.items():
            try:
                shape = np.broadcast_shapes(shape, a.shape)
            except ValueError:
                raise ParameterError(k, f"array of shape {a.shape}", f"arrays broadcastable to shape {shape}",
                                     "shapes do not broadcast") from None
    out = dict(values)
    for k, a in arrays.items():
        out[k] = np.broadcast_to(a, shape)
    return out
