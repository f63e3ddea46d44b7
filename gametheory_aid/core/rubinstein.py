r"""Rubinstein's (1982) alternating-offers bargaining over a unit pie.

:func:`rubinstein_shares` gives the unique subgame-perfect shares of the infinite-horizon
game in closed form; :func:`rubinstein_finite` solves the game with a finite horizon by
backward induction, an independent computation that converges to the same shares.  The
model is described in :mod:`gametheory_aid.core.bargaining`.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .bargaining_solution import _in_domain
from .params import Domain, ParameterError

__all__ = ["rubinstein_shares", "rubinstein_finite"]

_DISCOUNT = Domain(0, 1, high_open=True)

#: Largest horizon :func:`rubinstein_finite` accepts: backward induction takes one step per
#: period, and by then the finite game's shares differ from the infinite game's by at most
#: :math:`(\delta_1 \delta_2)^{49999}`, below rounding unless a discount factor is within
#: about 1e-3 of 1.
MAX_HORIZON = 100_000


def _validate_first_mover(first_mover: Any) -> int:
    if isinstance(first_mover, (bool, np.bool_)) or np.ndim(first_mover) != 0 or first_mover not in (1, 2):
        raise ParameterError("first_mover", first_mover, "{1, 2}")
    return int(first_mover)


def rubinstein_shares(delta_1, delta_2, first_mover=1) -> tuple:
    r"""Subgame-perfect shares of a unit pie in Rubinstein's (1982) alternating-offers game.

    With discount factors :math:`\delta_1, \delta_2 \in [0, 1)` the unique subgame-perfect
    equilibrium is immediate agreement on

    .. math::

        x_{\text{first}} = \frac{1 - \delta_{\text{other}}}{1 - \delta_1 \delta_2}, \qquad
        x_{\text{second}} = 1 - x_{\text{first}}.

    Parameters
    ----------
    delta_1, delta_2 : array_like
        Per-period discount factors in [0, 1); broadcast against each other.
    first_mover : {1, 2}
        The player who makes the first offer.

    Returns
    -------
    (share_1, share_2) : tuple of ndarray
        The players' shares, summing to 1.

    Notes
    -----
    Limits (not accepted as input): with one :math:`\delta_i = 1` and the other below 1 the
    patient player takes the whole pie whoever moves first; with
    :math:`\delta_i = e^{-r_i \Delta}` and :math:`\Delta \to 0` the shares tend to
    :math:`r_2 / (r_1 + r_2)` and :math:`r_1 / (r_1 + r_2)`, the generalised Nash solution
    with power :math:`r_2 / (r_1 + r_2)` (Binmore, Rubinstein and Wolinsky 1986); at
    :math:`\delta_1 = \delta_2 = 1` every split is an equilibrium.  With
    :math:`\delta_1 = \delta_2 = \delta` the first mover gets :math:`1 / (1 + \delta)`.
    """
    d1 = _in_domain("delta_1", delta_1, _DISCOUNT)
    d2 = _in_domain("delta_2", delta_2, _DISCOUNT)
    mover = _validate_first_mover(first_mover)
    delta_other = d2 if mover == 1 else d1
    first = (1.0 - delta_other) / (1.0 - d1 * d2)  # already of the broadcast shape
    second = 1.0 - first
    return (first, second) if mover == 1 else (second, first)


def rubinstein_finite(delta_1, delta_2, horizon, first_mover=1) -> tuple:
    r"""Subgame-perfect shares in the alternating-offers game with ``horizon`` periods.

    Periods :math:`1, \dots, T`; the proposer alternates, starting with ``first_mover``; if
    the offer of period :math:`T` is rejected both get 0.  Backward induction: the last
    proposer takes everything, and in each earlier period the proposer offers the responder
    exactly the discounted value of being the next proposer (accepted when indifferent),
    so the proposer's share obeys :math:`v_T = 1`,
    :math:`v_t = 1 - \delta_{\text{responder}(t)} v_{t+1}`.

    This is an independent computation of the finite game; as :math:`T \to \infty` it
    converges to :func:`rubinstein_shares`, the error being at most
    :math:`(\delta_1 \delta_2)^{\lfloor (T - 1) / 2 \rfloor}`.

    Parameters
    ----------
    delta_1, delta_2 : array_like
        Discount factors in [0, 1); broadcast against each other.
    horizon : int
        Number of periods, :math:`1 \le T \le` :data:`MAX_HORIZON` (100,000).
    first_mover : {1, 2}
        The player who makes the first offer.

    Returns
    -------
    (share_1, share_2) : tuple of ndarray
    """
    d1 = _in_domain("delta_1", delta_1, _DISCOUNT)
    d2 = _in_domain("delta_2", delta_2, _DISCOUNT)
    mover = _validate_first_mover(first_mover)
    if (isinstance(horizon, (bool, np.bool_)) or not isinstance(horizon, (int, np.integer))
            or not 1 <= horizon <= MAX_HORIZON):
        big = isinstance(horizon, int) and abs(horizon) >= 10**30  # (printing it could take long)
        shown = f"an integer of {horizon.bit_length()} bits" if big else horizon
        raise ParameterError("horizon", shown, f"integers in [1, {MAX_HORIZON}]")
    d1, d2 = np.broadcast_arrays(d1, d2)
    # proposer(t) for t = 1..T alternates starting at `mover`; work backwards from t = T.
    proposer_share = np.ones(d1.shape)
    for t in range(int(horizon) - 1, 0, -1):
        proposer_t = mover if t % 2 == 1 else 3 - mover
        delta_responder = d2 if proposer_t == 1 else d1
        proposer_share = 1.0 - delta_responder * proposer_share
    first, second = np.asarray(proposer_share), np.asarray(1.0 - proposer_share)
    return (first, second) if mover == 1 else (second, first)
