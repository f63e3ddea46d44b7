r"""Piecewise-linear Pareto frontiers and their generalised Nash solutions in closed form.

Two kinds of frontier, both solved without search and vectorised over any leading
parameter dimensions (the formulas are derived in :mod:`gametheory_aid.core.bargaining`):

* a **vertex chain** :math:`P_0, \dots, P_{K-1}` ordered by non-decreasing :math:`u_1` and
  non-increasing :math:`u_2`: the closed-form maximiser on every segment at once
  (``_segment_candidates``), then the segment with the largest weighted Nash product, ties
  to the Pareto-best point (``_best_segment``);
* a :class:`TransferFrontier`, the two half-lines reached from a status quo by a one-way
  lossy transfer: the stationary point of the piece that holds it, or the kink
  (``_nash_transfers``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .bargaining_solution import (
    _TOUCH_ULPS,
    BargainingSolution,
    _in_domain,
    _pairs,
    _real_array,
    _validate_disagreement,
)
from .params import Domain, ParameterError

__all__ = ["TransferFrontier"]

_FRONTIER_DOMAIN = ("finite vertices (u1, u2) in an array of shape (..., K, 2), K >= 1, ordered by "
                    "non-decreasing u1 and non-increasing u2")
_LEAST_POSITIVE = float(np.nextafter(0.0, 1.0))


# ------------------------------------------------------------------ piecewise-linear frontier

def _validate_frontier(frontier: Any) -> np.ndarray:
    vertices = _real_array("frontier", frontier, _FRONTIER_DOMAIN)
    if vertices.ndim < 2 or vertices.shape[-1] != 2 or vertices.shape[-2] < 1:
        raise ParameterError("frontier", f"array of shape {vertices.shape}", _FRONTIER_DOMAIN,
                             "expected shape (..., K, 2) with K >= 1")
    step = np.diff(vertices, axis=-2)
    bad = (step[..., 0] < 0) | (step[..., 1] > 0)
    if np.any(bad):
        index = np.argwhere(bad)[0]
        pair = vertices[tuple(index[:-1])][index[-1]:index[-1] + 2].tolist()
        raise ParameterError("frontier", pair, _FRONTIER_DOMAIN,
                             f"consecutive vertices {index[-1]} and {index[-1] + 1} are out of order")
    return vertices


def _segment_candidates(xs, ys, d1, d2, power, tol1, tol2):
    """Best individually rational point of every segment of every problem in the batch.

    Segment-major layout: ``xs`` and ``ys`` are the vertices' ``u1`` and ``u2``, shape ``(K, m)``
    (``m`` problems, contiguous along the problem axis); ``d1``, ``d2``, ``power``, ``tol1`` and
    ``tol2`` have shape ``(m,)``.  Returns ``(u1, u2, gain1, gain2, feasible)``, each of shape
    ``(K - 1, m)``: the weighted-Nash maximiser on the segment (the closed-form stationary point
    clipped to the segment's individually rational part), the gains over ``d`` there, and
    whether that part is non-empty.  A segment that reaches the individually rational region
    only to within rounding (``tol``) counts as touching it; its candidate is then raised to ``d``.

    Vertical and horizontal segments, touching segments and candidates at an end vertex are
    rare: their special cases are applied only where they occur, and the arithmetic is done
    in place on the segment-major arrays (few temporaries, contiguous loops).
    """
    a1, e1, a2, e2 = xs[:-1], xs[1:], ys[:-1], ys[1:]
    b1 = e1 - a1                                         # b1 >= 0 >= b2 (validated order)
    b2 = e2 - a2
    g1 = a1 - d1                                         # gains at t = 0
    g2 = a2 - d2
    with np.errstate(divide="ignore", invalid="ignore"):
        # u1(t) >= d1  <=>  t >= -g1/b1 ;  u2(t) >= d2  <=>  t <= g2/(-b2).  Where b1 = 0 the
        # quotient is -inf, +inf or nan for g1 > 0, < 0, = 0, and fmax(0, nan) = 0, so the lower
        # bound is 0 if g1 >= 0 and +inf (empty) otherwise; likewise for the upper bound where
        # b2 = 0.  (b1 + 0.0 and 0.0 - b2 turn a -0.0 into +0.0 so the infinities have the right sign.)
        run = b1 + 0.0
        drop = 0.0 - b2
        t_lo = np.negative(g1)
        t_lo /= run
        np.fmax(0.0, t_lo, out=t_lo)
        t_hi = g2 / drop
        np.fmin(1.0, t_hi, out=t_hi)
        feasible = t_lo <= t_hi
        if not feasible.all():
            # A point missing individual rationality only by rounding still counts (touching d):
            # use the interval with d lowered by `tol` where the exact one is empty.
            loose_lo = g1 + tol1
            np.negative(loose_lo, out=loose_lo)
            loose_lo /= run
            np.fmax(0.0, loose_lo, out=loose_lo)
            loose_hi = g2 + tol2
            loose_hi /= drop
            np.fmin(1.0, loose_hi, out=loose_hi)
            touching = loose_lo <= loose_hi
            touching &= ~feasible
            if touching.any():
                np.copyto(t_lo, loose_lo, where=touching)
                np.copyto(t_hi, loose_hi, where=touching)
                feasible |= touching
            del touching
        else:
            loose_lo = loose_hi = None
        # Stationary point of the weighted log Nash product; along a vertical segment the
        # product falls with t (take the top), along a horizontal one it rises (take the right).
        t_star = np.multiply(power, b1, out=loose_lo)   # (the buffers are free now)
        t_star *= g2
        other = np.multiply(1.0 - power, b2, out=loose_hi)
        other *= g1
        t_star += other
        np.negative(t_star, out=t_star)
        np.multiply(b1, b2, out=other)
        t_star /= other
        vertical, horizontal = b1 == 0, b2 == 0
        if vertical.any() or horizontal.any():
            np.copyto(t_star, np.inf, where=horizontal)
            np.copyto(t_star, -np.inf, where=vertical)
        del vertical, horizontal
    t = np.clip(t_star, t_lo, t_hi, out=t_lo)
    infeasible = ~feasible
    if infeasible.any():
        np.copyto(t, 0.0, where=infeasible)               # infeasible segments: any finite t
    # a + t*b is exact at t = 0; take the end vertex itself at t = 1 so shared vertices coincide.
    at_end = t == 1.0
    any_end = at_end.any()
    u1 = np.multiply(t, b1, out=run)
    u1 += a1
    u2 = np.multiply(t, b2, out=drop)
    u2 += a2
    if any_end:
        np.copyto(u1, e1, where=at_end)
        np.copyto(u2, e2, where=at_end)
    # Gains: at the stationary point they are the shares (beta, 1 - beta) of the surpluses
    # S1 = g1 - b1*g2/b2 and S2 = g2 - b2*g1/b1 (the line's reach beyond d), computed without
    # the cancellation in u - d that would zero a gain far below the utilities' magnitude
    # (power near 0 or 1) and with it the product.  Rounding may leave a few ulps below zero.
    gain1 = np.multiply(t, b1, out=other)
    gain1 += g1
    gain2 = np.multiply(t, b2, out=t_hi)
    gain2 += g2
    if any_end:
        np.subtract(e1, d1, out=gain1, where=at_end)
        np.subtract(e2, d2, out=gain2, where=at_end)
    stationary = t_star >= 0.0
    stationary &= feasible
    stationary &= t_star <= 1.0
    if stationary.any():
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.multiply(b1, g2, out=t_star)
            share /= b2
            np.subtract(g1, share, out=share)
            np.multiply(share, power, out=gain1, where=stationary)
            _keep_positive(gain1, share, power, stationary)
            np.multiply(b2, g1, out=share)
            share /= b1
            np.subtract(g2, share, out=share)
            np.multiply(share, 1.0 - power, out=gain2, where=stationary)
            _keep_positive(gain2, share, 1.0 - power, stationary)
    np.maximum(gain1, 0.0, out=gain1)
    np.maximum(gain2, 0.0, out=gain2)
    np.maximum(u1, d1, out=u1)
    np.maximum(u2, d2, out=u2)
    return u1, u2, gain1, gain2, feasible


def _keep_positive(gain, surplus, weight, where):
    """Raise to the least positive float the gains that are positive but rounded to zero.

    A share ``weight * surplus`` of a positive surplus with a positive weight is positive, but
    underflows to 0 for a weight of a few ulps (power near 0 or 1); ``0 ** weight`` would then
    zero the Nash product and lose the segment that holds the solution.
    """
    lost = gain == 0.0
    lost &= where
    if lost.any():
        lost &= surplus > 0.0
        lost &= weight > 0.0
        np.copyto(gain, _LEAST_POSITIVE, where=lost)


def _first_argmax(values):
    """``np.argmax(values, axis=0)`` for an array of shape ``(S, m)`` with few rows.

    The first index of the maximum of each column (NaN counts as the maximum), computed row by
    row: numpy's own argmax along the leading axis works column by column, slowly for few rows.
    """
    n_rows = values.shape[0]
    if n_rows > 16 or (values.dtype.kind == "f" and np.isnan(values).any()):
        return np.argmax(values, axis=0)
    if values.dtype == bool:
        values = values.view(np.uint8)
    index = np.zeros(values.shape[1:], dtype=np.intp)
    best = values[0].copy()
    for row in range(1, n_rows):
        better = values[row] > best          # strictly: the first maximum wins ties
        np.copyto(index, row, where=better)
        np.maximum(best, values[row], out=best)
    return index


def _best_segment(u1, u2, gain1, gain2, feasible, power):
    """Index (shape ``(m,)``) of the segment whose candidate maximises the weighted Nash product.

    Ties (zero product; power 0 or 1 along a flat piece) go to the Pareto-best tied point.
    Where a single segment is feasible and every gain is finite the product need not be
    evaluated: that segment wins.  Elsewhere the products are compared.
    """
    choice = _first_argmax(feasible)                     # the first feasible segment
    if feasible.shape[0] == 1:
        return choice
    if np.isfinite(gain1).all() and np.isfinite(gain2).all():
        # finite gains give a finite product, so a lone feasible segment is the maximum
        contested = feasible.sum(axis=0, dtype=np.intp) > 1
        if not contested.any():
            return choice
        compare = feasible & contested
    else:
        contested = None
        compare = feasible
    # Weighted Nash product; 0**0 == 1 makes it u1 - d1 at power 1 and u2 - d2 at power 0.
    product = gain1 ** power
    second = gain2 ** (1.0 - power)
    product *= second
    excluded = ~compare
    np.copyto(product, -np.inf, where=excluded)
    best = np.max(product, axis=0)
    tiebreak = np.add(u1, u2, out=second)
    excluded |= product != best
    np.copyto(tiebreak, -np.inf, where=excluded)
    winner = _first_argmax(tiebreak)
    if contested is None:
        return winner
    np.copyto(choice, winner, where=contested)
    return choice


def _nash_piecewise_linear(vertices, d, power):
    try:
        shape = np.broadcast_shapes(vertices.shape[:-2], d.shape[:-1], power.shape)
    except ValueError:
        raise ParameterError("disagreement", f"array of shape {d.shape}",
                             f"shapes broadcastable with frontier {vertices.shape[:-2]} (leading) "
                             f"and power {power.shape}", "shapes do not broadcast") from None
    n_vertices = vertices.shape[-2]
    vertices = np.broadcast_to(vertices, shape + (n_vertices, 2))
    d1 = np.broadcast_to(d[..., 0], shape)
    d2 = np.broadcast_to(d[..., 1], shape)
    power = np.broadcast_to(power, shape)
    if n_vertices == 1:  # a single feasible point: one degenerate segment
        vertices = np.concatenate([vertices, vertices], axis=-2)
        n_vertices = 2
    # Segment-major layout: (K, m) arrays of u1 and u2, contiguous along the m problems.  A
    # frontier built as a transposed view of such a buffer is used without a copy.
    m = int(np.prod(shape, dtype=np.int64))
    flat = vertices.reshape((m, n_vertices, 2))
    xs = np.ascontiguousarray(flat[..., 0].T)
    ys = np.ascontiguousarray(flat[..., 1].T)
    flat_d1, flat_d2, flat_power = (np.ascontiguousarray(a).reshape(m) for a in (d1, d2, power))
    eps = np.finfo(float).eps
    tol1 = np.abs(xs).max(axis=0)
    tol1 += np.abs(flat_d1)
    tol1 *= _TOUCH_ULPS * eps
    tol2 = np.abs(ys).max(axis=0)
    tol2 += np.abs(flat_d2)
    tol2 *= _TOUCH_ULPS * eps

    u1, u2, gain1, gain2, feasible = _segment_candidates(xs, ys, flat_d1, flat_d2, flat_power, tol1, tol2)
    k = _best_segment(u1, u2, gain1, gain2, feasible, flat_power)
    agreement = feasible.any(axis=0)
    u1_star = np.take_along_axis(u1, k[None], axis=0)[0]
    u2_star = np.take_along_axis(u2, k[None], axis=0)[0]
    if not agreement.all():
        disagree = ~agreement
        np.copyto(u1_star, flat_d1, where=disagree)
        np.copyto(u2_star, flat_d2, where=disagree)
    return BargainingSolution(utilities=(u1_star.reshape(shape), u2_star.reshape(shape)),
                              agreement=agreement.reshape(shape),
                              disagreement=(np.array(d1), np.array(d2)), power=np.array(power),
                              method="piecewise_linear")


# ------------------------------------------------------------------------- transfer frontier

_EFFICIENCY = Domain(0, 1, low_open=True)


@dataclass(frozen=True, init=False, eq=False)  # (arrays: equality by identity)
class TransferFrontier:
    r"""The utilities two players reach from a status quo by a one-way lossy transfer.

    From the status quo :math:`q = (q_1, q_2)` player 1 may send :math:`s \ge 0`, of which
    player 2 receives :math:`k s`, or player 2 may send :math:`t \ge 0`, of which player 1
    receives :math:`k t`; :math:`k \in (0, 1]` is the transfer's ``efficiency``.  The Pareto
    frontier is two half-lines through :math:`q`,

    .. math:: (q_1 - s,\ q_2 + k s) \quad\text{and}\quad (q_1 + k t,\ q_2 - t), \qquad s, t \ge 0,

    of slopes :math:`-k` and :math:`-1/k`: piecewise linear and concave, with one kink at
    :math:`q` (a straight line when :math:`k = 1`, transferable utility).
    :func:`nash_bargaining` solves it in closed form (see there); :meth:`vertices` gives the
    same frontier as a vertex chain for the general piecewise-linear solver.

    Parameters
    ----------
    status_quo : array_like, shape ``(..., 2)``
        The point :math:`q` reached without any transfer.
    efficiency : array_like
        :math:`k \in (0, 1]`, the fraction of a transfer that reaches its receiver.

    Raises
    ------
    ParameterError
        Non-finite values, a last axis other than 2, or ``efficiency`` outside (0, 1].
    """

    status_quo: np.ndarray
    efficiency: np.ndarray

    def __init__(self, status_quo: Any, efficiency: Any = 1.0):
        object.__setattr__(self, "status_quo", _pairs("status_quo", status_quo, "(q1, q2)"))
        object.__setattr__(self, "efficiency", _in_domain("efficiency", efficiency, _EFFICIENCY))

    def vertices(self, disagreement: Any = (0.0, 0.0)) -> np.ndarray:
        r"""The frontier as a vertex chain of shape ``(..., 3, 2)`` ordered by increasing :math:`u_1`.

        The middle vertex is the status quo; the outer ones are the transfers
        :math:`s = t = |q_1 - d_1| + |q_2 - d_2| + 1`, far enough for the chain to hold every
        point that gives both players at least ``disagreement``.
        """
        d = _validate_disagreement(disagreement)
        q1, q2 = self.status_quo[..., 0], self.status_quo[..., 1]
        k = self.efficiency
        reach = np.abs(q1 - d[..., 0]) + np.abs(q2 - d[..., 1]) + 1.0
        coordinates = np.broadcast_arrays(q1 - reach, q2 + k * reach,   # player 1 sends `reach`
                                          q1, q2,                        # the kink
                                          q1 + k * reach, q2 - reach)    # player 2 sends `reach`
        return np.stack(coordinates, axis=-1).reshape(coordinates[0].shape + (3, 2))


def _nash_transfers(frontier: TransferFrontier, d: np.ndarray, power: np.ndarray) -> BargainingSolution:
    """The generalised Nash solution on a :class:`TransferFrontier`, in closed form.

    Branch-free (minima and maxima, no masks) and in place on two two-row buffers, the
    utilities and scratch: the computation is bound by memory traffic.  Each line's reach is
    kept in the receiver's units (:math:`k T_1`, :math:`k T_2`), which need no division, so a
    tiny efficiency cannot overflow the solution's own terms.
    """
    q1, q2 = frontier.status_quo[..., 0], frontier.status_quo[..., 1]
    k = frontier.efficiency
    d1, d2 = d[..., 0], d[..., 1]
    try:
        shape = np.broadcast_shapes(q1.shape, k.shape, d1.shape, power.shape)
    except ValueError:
        raise ParameterError("disagreement", f"array of shape {d.shape}",
                             f"shapes broadcastable with status_quo {frontier.status_quo.shape[:-1]} (leading), "
                             f"efficiency {k.shape} and power {power.shape}", "shapes do not broadcast") from None
    at_origin = not (d1.any() or d2.any())
    gain1 = q1 if at_origin else q1 - d1                     # the gains at the status quo
    gain2 = q2 if at_origin else q2 - d2
    utilities = np.empty((2,) + shape)
    scratch = np.empty((2,) + shape)
    # Each line's reach beyond d in the receiver's units: what the receiver has when the payer
    # hands over its whole gain (reach_2 = k*total_1 on the line where player 1 pays, reach_1 =
    # k*total_2 where player 2 pays).
    reach_2 = np.multiply(k, gain1, out=scratch[0, ...])
    reach_2 += gain2
    reach_1 = np.multiply(k, gain2, out=scratch[1, ...])
    reach_1 += gain1
    # Some point gives both at least d iff both reaches are non-negative; a reach short of 0 only
    # by rounding (d off the frontier by _TOUCH_ULPS ulps in each coordinate) still touches.
    if reach_2.min(initial=0.0) >= 0.0 and reach_1.min(initial=0.0) >= 0.0:
        agreement = np.ones(shape, dtype=bool)
    else:
        touch = _TOUCH_ULPS * np.finfo(float).eps
        slack_1 = np.abs(q1) + np.abs(d1)
        slack_2 = np.abs(q2) + np.abs(d2)
        agreement = reach_2 >= -touch * (k * slack_1 + slack_2)
        agreement &= reach_1 >= -touch * (slack_1 + k * slack_2)
    # On each line the Nash solution gives each player its power's share of the line's reach:
    # player 1 gets beta*total_1 where it pays (valid iff that is at most gain1: s >= 0) and
    # beta*k*total_2 where player 2 pays (valid iff at least gain1: t >= 0); otherwise the
    # solution is the kink.  Where some point gives both at least d the second is at most the
    # first, so player 1's gain is gain1 clipped to [beta*k*total_2, beta*total_1]; likewise
    # player 2's is gain2 clipped to [(1-beta)*k*total_1, (1-beta)*total_2].  (A payer's own
    # line may lie so far out that its share overflows to infinity: the clip then ignores it.)
    with np.errstate(over="ignore"):
        u1 = np.multiply(power, reach_1, out=utilities[0, ...])
        np.maximum(u1, gain1, out=u1)
        u2 = np.multiply(power, reach_2, out=utilities[1, ...])    # (scratch: beta*total_1)
        u2 /= k
        np.minimum(u1, u2, out=u1)
        complement = np.subtract(1.0, power, out=u2)                # (scratch: 1 - beta)
        reach_2 *= complement
        reach_1 *= complement
        reach_1 /= k
        np.maximum(reach_2, gain2, out=u2)
        np.minimum(u2, reach_1, out=u2)
    del reach_1, reach_2, complement, scratch
    if not at_origin:
        u1 += d1
        u2 += d2
    np.maximum(u1, d1, out=u1)                # a touching point may sit an ulp below d
    np.maximum(u2, d2, out=u2)
    if not agreement.all():
        disagree = ~agreement
        np.copyto(u1, d1, where=disagree)
        np.copyto(u2, d2, where=disagree)
    return BargainingSolution(utilities=(u1, u2), agreement=agreement,
                              disagreement=(np.broadcast_to(d1, shape), np.broadcast_to(d2, shape)),
                              power=np.broadcast_to(power, shape), method="transfers")
