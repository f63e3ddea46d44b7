r"""Payoff tensors of finite strategic games: validation and contractions.

The payoffs of an :math:`n`-player game are :math:`n` tensors :math:`u_p` of shape
:math:`(s_1, \dots, s_n)`.  This module checks and normalises them (exact Fractions and
read-only floats), checks label lists, and contracts a payoff tensor with a mixed profile
to give the deviation payoffs :math:`U_p(t, \sigma_{-p})`, the expected payoffs
:math:`U_p(\sigma)` and the regret of :math:`\sigma`.  It is the arithmetic shared by
:class:`~gametheory_aid.core.normal_form.NormalFormGame` and its solvers.
"""
from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from . import gambit_io

# -- input validation ---------------------------------------------------------------------

def _validate_payoffs(payoffs: Any) -> tuple:
    """Exact (object arrays of Fractions) and float payoff tensors, and the game's shape."""
    if isinstance(payoffs, (str, bytes)) or not hasattr(payoffs, "__len__"):
        raise ValueError(f"payoffs must be a sequence of n payoff arrays, one per player; got {type(payoffs).__name__}")
    n = len(payoffs)
    if n == 0:
        raise ValueError("payoffs: a game needs at least one player (got an empty sequence)")
    exact = []
    for p, raw in enumerate(payoffs):
        try:
            arr = np.array(raw, dtype=object)
        except ValueError as exc:  # numpy refuses ragged nesting
            raise ValueError(f"payoffs of player {p + 1} are ragged (rows of unequal length): {exc}") from None
        if any(isinstance(v, (list, tuple, np.ndarray)) for v in arr.flat):
            raise ValueError(f"payoffs of player {p + 1} are ragged (rows of unequal length)")
        if arr.ndim != n:
            raise ValueError(f"payoffs of player {p + 1} have {arr.ndim} dimensions (shape {arr.shape}); "
                             f"a {n}-player game needs {n} dimensions, one per player")
        try:
            exact.append(np.vectorize(gambit_io.to_fraction, otypes=[object])(arr) if arr.size else arr)
        except ValueError as exc:
            raise ValueError(f"payoffs of player {p + 1}: {exc}; payoffs must be finite real numbers") from None
    shape = exact[0].shape
    for p, arr in enumerate(exact):
        if arr.shape != shape:
            raise ValueError(f"payoffs of player {p + 1} have shape {arr.shape} but player 1's have shape "
                             f"{shape}; all players' payoff arrays must have the same shape")
    if any(s == 0 for s in shape):
        raise ValueError(f"payoff shape {shape}: every player needs at least one strategy")
    floats = tuple(np.array(arr, dtype=float) for arr in exact)
    for f in floats:
        f.setflags(write=False)
    return tuple(exact), floats, tuple(int(s) for s in shape)


def _labels(given, default, what: str, size: int) -> tuple:
    if given is None:
        return tuple(default)
    out = tuple(str(g) for g in given)
    if len(out) != size:
        raise ValueError(f"{what}: {len(out)} labels given but {size} needed")
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


def _regret_and_payoffs(payoffs: Sequence[np.ndarray], profile: Sequence[np.ndarray]) -> tuple:
    values, regrets = [], []
    for p, u in enumerate(payoffs):
        dev = _deviation_payoffs(u, profile, p)
        value = np.dot(dev, profile[p])
        values.append(value)
        regrets.append(max(dev) - value)
    return max(regrets), values
