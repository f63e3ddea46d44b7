r"""Payoff tensors of finite strategic games: validation and contractions.

The payoffs of an :math:`n`-player game are :math:`n` tensors :math:`u_p` of shape
:math:`(s_1, \dots, s_n)`.  This module checks and normalises them (exact Fractions and
read-only floats), checks label lists, and contracts a payoff tensor with a mixed profile
to give the deviation payoffs :math:`U_p(t, \sigma_{-p})`, the expected payoffs
:math:`U_p(\sigma)` and the regret of :math:`\sigma`.  It is the arithmetic shared by
:class:`~gametheory_aid.core.normal_form.NormalFormGame` and its solvers.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from . import gambit_io
from .gambit_io import MAX_PAYOFF, MAX_PAYOFF_ENTRIES, MAX_PLAYERS, GameInputError, GameSizeError

# -- input validation ---------------------------------------------------------------------

#: Tolerances accepted by the floating-point solvers.  ``tol`` is relative to each player's
#: payoff range: below the lower end rounding alone exceeds it, above the upper end payoffs
#: that differ by more than a percent of a player's range would count as equal.
TOL_RANGE = (1e-14, 1e-2)


def check_tol(tol: Any, what: str = "tol") -> float:
    """``tol`` as a float, or a :class:`GameInputError` unless it is a real number in :data:`TOL_RANGE`."""
    low, high = TOL_RANGE
    domain = f"a real number in [{low:g}, {high:g}] (relative to each player's payoff range)"
    if isinstance(tol, (bool, np.bool_)) or not isinstance(tol, (int, float, np.integer, np.floating)) \
            or not math.isfinite(float(tol)) or not low <= float(tol) <= high:
        raise GameInputError(f"{what} = {tol!r} is not {domain}", name=what, value=tol, domain=domain)
    return float(tol)


def _payoff_error(p: int, message: str, value: Any = None) -> GameInputError:
    return GameInputError(f"payoffs of player {p + 1}{message}", name="payoffs", value=value,
                          domain=f"finite real numbers of magnitude at most {MAX_PAYOFF:g}, one array per player")


def _validate_payoffs(payoffs: Any) -> tuple:
    """Exact (object arrays of Fractions) and float payoff tensors, and the game's shape."""
    if isinstance(payoffs, (str, bytes, dict, np.ma.MaskedArray)) or not hasattr(payoffs, "__len__"):
        raise GameInputError(f"payoffs must be a sequence of n payoff arrays, one per player; got "
                             f"{type(payoffs).__name__}", name="payoffs", value=type(payoffs).__name__,
                             domain="a sequence of n arrays of shape (s_1, ..., s_n)")
    n = len(payoffs)
    if n == 0:
        raise GameInputError("payoffs: a game needs at least one player (got an empty sequence)", name="payoffs",
                             value=0, domain="at least one player")
    if n > MAX_PLAYERS:
        raise GameSizeError(f"payoffs: {n} players; at most {MAX_PLAYERS} are supported", name="players", value=n,
                            domain=f"at most {MAX_PLAYERS}")
    exact = []
    for p, raw in enumerate(payoffs):
        if isinstance(raw, np.ma.MaskedArray):  # the mask would be dropped without a word
            raise _payoff_error(p, " are a masked array; give plain numbers (a game has no missing payoffs)")
        if isinstance(raw, (str, bytes, dict)):
            raise _payoff_error(p, f" are a {type(raw).__name__}, not an array of numbers", type(raw).__name__)
        try:
            arr = np.array(raw, dtype=object)
        except ValueError as exc:  # numpy refuses ragged nesting (and more than 64 axes)
            raise _payoff_error(p, f" are ragged (rows of unequal length) or not an array: {exc}") from None
        if any(isinstance(v, (list, tuple, np.ndarray)) for v in arr.flat):
            raise _payoff_error(p, " are ragged (rows of unequal length)")
        if arr.ndim != n:
            raise _payoff_error(p, f" have {arr.ndim} dimensions (shape {arr.shape}); a {n}-player game needs {n} "
                                "dimensions, one per player", arr.shape)
        if arr.size * n > MAX_PAYOFF_ENTRIES:  # before every entry is made a Fraction
            raise GameSizeError(f"payoffs: shape {arr.shape} for {n} players is {arr.size * n} payoff entries; at "
                                f"most {MAX_PAYOFF_ENTRIES} are supported", name="payoffs", value=arr.size * n,
                                domain=f"at most {MAX_PAYOFF_ENTRIES} payoff entries (profiles x players)")
        try:
            q = np.vectorize(gambit_io.to_fraction, otypes=[object])(arr) if arr.size else arr
        except ValueError as exc:
            raise _payoff_error(p, f": {exc}; payoffs must be finite real numbers") from None
        big = [v for v in q.flat if abs(v) > MAX_PAYOFF]
        if big:
            shown = f"{float(big[0]):.6g}" if abs(big[0]) < 1e308 else "a number beyond 1e308"
            raise _payoff_error(p, f" include {shown}, beyond {MAX_PAYOFF:g} in magnitude (differences "
                                "and expected payoffs must stay finite)", shown)
        exact.append(q)
    shape = exact[0].shape
    for p, arr in enumerate(exact):
        if arr.shape != shape:
            raise _payoff_error(p, f" have shape {arr.shape} but player 1's have shape {shape}; all players' "
                                "payoff arrays must have the same shape", arr.shape)
    if any(s == 0 for s in shape):
        raise GameInputError(f"payoff shape {shape}: every player needs at least one strategy", name="payoffs",
                             value=shape, domain="at least one strategy per player")
    floats = tuple(np.array(arr, dtype=float) for arr in exact)
    for f in floats:
        f.setflags(write=False)
    return tuple(exact), floats, tuple(int(s) for s in shape)


def _unit_payoffs(exact: Sequence[np.ndarray]) -> tuple:
    """Each player's payoffs mapped affinely onto [0, 1], exactly: ``(units, ranges)``.

    ``(u - min u) / (max u - min u)`` as object arrays of Fractions (all zeros for constant
    payoffs) and the ranges ``max u - min u``.  The floating-point solvers and certificates
    work on these, rounded once, so that their tolerances are relative to each player's
    payoff range and no precision is lost to a large common offset or scale.
    """
    units, ranges = [], []
    for u in exact:
        lo, hi = min(u.flat), max(u.flat)
        span = hi - lo
        units.append(np.full(u.shape, Fraction(0), dtype=object) if span == 0 else (u - lo) / span)
        ranges.append(span)
    return tuple(units), tuple(ranges)


def _labels(given, default, what: str, size: int) -> tuple:
    if given is None:
        return tuple(default)
    # (a mapping or a set iterates over its keys, in an order the caller may not mean)
    if isinstance(given, (str, bytes, Mapping, set, frozenset)) or not isinstance(given, Iterable):
        raise GameInputError(f"{what}: expected a sequence of {size} labels, got {given!r:.60}", name=what,
                             value=given, domain=f"a sequence of {size} strings")
    out = tuple(given)
    bad = [g for g in out if not isinstance(g, str)]
    if bad:
        raise GameInputError(f"{what}: label {bad[0]!r} is a {type(bad[0]).__name__}, not a string", name=what,
                             value=bad[0], domain="strings")
    if len(out) != size:
        raise GameInputError(f"{what}: {len(out)} labels given but {size} needed", name=what, value=len(out),
                             domain=f"{size} labels")
    if len(set(out)) != len(out):
        twice = next(g for k, g in enumerate(out) if g in out[:k])
        raise GameInputError(f"{what}: label {twice!r:.100} is given more than once; labels must be unique",
                             name=what, value=twice, domain=f"{size} distinct strings")
    return out


def _is_exact_number(v: Any) -> bool:
    return (isinstance(v, (int, Fraction, np.integer)) and not isinstance(v, (bool, np.bool_))) \
        or bool(getattr(v, "is_Rational", False))


# -- tensor contractions --------------------------------------------------------------------

def _deviation_payoffs(payoff: np.ndarray, profile: Sequence[np.ndarray], player: int) -> np.ndarray:
    """:math:`U_p(t, \\sigma_{-p})` for every pure strategy :math:`t` of ``player``.

    Contracts the payoff tensor with every other player's mixed strategy, highest axis
    first so that the lower axes keep their positions.
    """
    out = payoff
    for q in reversed(range(payoff.ndim)):
        if q != player:
            out = np.tensordot(out, profile[q], axes=([q], [0]))
    return out


def _player_regrets(payoffs: Sequence[np.ndarray], profile: Sequence[np.ndarray]) -> tuple:
    """Each player's regret :math:`\\max_t U_p(t, \\sigma_{-p}) - U_p(\\sigma)` and expected payoff."""
    values, regrets = [], []
    for p, u in enumerate(payoffs):
        dev = _deviation_payoffs(u, profile, p)
        value = np.dot(dev, profile[p])
        values.append(value)
        regrets.append(max(dev) - value)
    return regrets, values


def _regret_and_payoffs(payoffs: Sequence[np.ndarray], profile: Sequence[np.ndarray]) -> tuple:
    regrets, values = _player_regrets(payoffs, profile)
    return max(regrets), values
