r"""Bargaining solutions: the generalised Nash solution and Rubinstein's alternating offers.

**Formal model.**  Two players bargain over a feasible set :math:`U \subset \mathbb{R}^2` of
utility pairs :math:`u = (u_1, u_2)`.  If they fail to agree each gets its disagreement
payoff :math:`d = (d_1, d_2)`.  The set is given by its Pareto frontier, either

* a piecewise-linear chain of vertices :math:`P_0, \dots, P_{K-1}` ordered by increasing
  :math:`u_1` and decreasing :math:`u_2` (a linear frontier is :math:`K = 2`), or
* the points reached from a status quo :math:`q` by a one-way lossy transfer, of which the
  receiver gets the fraction :math:`k \in (0, 1]` (:class:`TransferFrontier`): two half-lines
  of slopes :math:`-k` and :math:`-1/k` with a kink at :math:`q`, or
* a concave, strictly decreasing function :math:`u_2 = f(u_1)` on
  :math:`[\underline u_1, \overline u_1]`;

:math:`U` is everything weakly below the frontier (free disposal).  The **generalised Nash
bargaining solution** with player 1's bargaining power :math:`\beta \in [0, 1]`
(Nash 1950; Kalai 1977; Roth 1979) is

.. math::

    u^* = \arg\max_{u \in U,\ u \ge d} \; (u_1 - d_1)^{\beta} (u_2 - d_2)^{1 - \beta}.

It is the unique solution satisfying Pareto efficiency, invariance to positive affine
transformations of each player's utility and independence of irrelevant alternatives
(plus symmetry when :math:`\beta = 1/2`) on convex problems.  If no point of :math:`U`
gives both players at least :math:`d_i` there is no agreement and the outcome is :math:`d`.

**Closed form on a segment.**  On the line :math:`u(t) = a + t\,b`, :math:`b_1 > 0 > b_2`,
write the gains at :math:`t = 0` as :math:`g = a - d`.  The log Nash product
:math:`\beta \log(g_1 + b_1 t) + (1 - \beta) \log(g_2 + b_2 t)` is strictly concave where
both gains are positive, and its first-order condition
:math:`\beta b_1 (g_2 + b_2 t) + (1 - \beta) b_2 (g_1 + b_1 t) = 0` gives

.. math::

    t^* = -\frac{\beta\, b_1 g_2 + (1 - \beta)\, b_2 g_1}{b_1 b_2},

equivalently player 1 receives the share :math:`\beta` of the surplus measured along the line.
By concavity the maximiser on a segment is :math:`t^*` clipped to the segment's individually
rational part.  :func:`nash_bargaining` evaluates this for every segment at once (numpy
broadcasting over any leading parameter dimensions) and keeps the best segment.

**Closed form on a transfer frontier.**  Both pieces of a :class:`TransferFrontier` are such
lines, so on each the solution gives each player its power's share of the line's reach beyond
:math:`d`.  The log Nash product is concave along the (concave) frontier, so the solution is
the stationary point of the piece whose half-line contains it, or the kink when neither does;
one comparison per piece decides, with no search over segments.

**Rubinstein (1982).**  Players alternately propose splits of a unit pie; a rejected offer
delays the game one period, discounting player :math:`i`'s payoff by :math:`\delta_i \in
[0, 1)`.  The unique subgame-perfect equilibrium is immediate agreement, the first mover
receiving :math:`(1 - \delta_{\text{other}}) / (1 - \delta_1 \delta_2)`
(:func:`rubinstein_shares`).  With a finite horizon :math:`T` (disagreement 0 after
:math:`T` rejected offers) backward induction gives the equilibrium directly
(:func:`rubinstein_finite`); it converges to Rubinstein's shares as :math:`T \to \infty`.

**References.**

* Nash, J. (1950). The bargaining problem. *Econometrica* 18(2), 155-162.
* Kalai, E. (1977). Nonsymmetric Nash solutions and replications of 2-person bargaining.
  *International Journal of Game Theory* 6(3), 129-133.
* Roth, A. E. (1979). *Axiomatic Models of Bargaining*. Springer.
* Rubinstein, A. (1982). Perfect equilibrium in a bargaining model. *Econometrica* 50(1), 97-109.
* Binmore, K., Rubinstein, A. and Wolinsky, A. (1986). The Nash bargaining solution in economic
  modelling. *RAND Journal of Economics* 17(2), 176-188.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
from scipy import optimize

from .params import Domain, ParameterError
from .results import to_jsonable

__all__ = ["BargainingSolution", "TransferFrontier", "nash_bargaining", "rubinstein_shares", "rubinstein_finite"]

_UNIT = Domain(0, 1)
_DISCOUNT = Domain(0, 1, high_open=True)
_FRONTIER_DOMAIN = ("finite vertices (u1, u2) in an array of shape (..., K, 2), K >= 1, ordered by "
                    "non-decreasing u1 and non-increasing u2")
# A disagreement point outside the feasible set by at most _TOUCH_ULPS * eps * (largest |u_i| on the
# frontier + |d_i|) in each coordinate i counts as touching it: the miss is rounding error.
_TOUCH_ULPS = 16.0
_LEAST_POSITIVE = float(np.nextafter(0.0, 1.0))


@dataclass(frozen=True)
class BargainingSolution:
    """The outcome of a two-player bargaining problem.

    Attributes
    ----------
    utilities : tuple of ndarray
        ``(u1, u2)``, the agreed utilities (the disagreement payoffs where there is no
        agreement); arrays with the broadcast shape of the inputs (0-d for scalar input).
    agreement : ndarray of bool
        Whether some feasible point gives both players at least their disagreement payoffs.
    disagreement : tuple of ndarray
        ``(d1, d2)``, broadcast to the same shape.
    power : ndarray
        Player 1's bargaining power, broadcast to the same shape.
    method : str
        ``"piecewise_linear"`` (closed form on each segment), ``"transfers"`` (closed form on a
        :class:`TransferFrontier`) or ``"concave_function"`` (bounded scalar optimisation).
    """

    utilities: tuple
    agreement: np.ndarray
    disagreement: tuple
    power: np.ndarray
    method: str

    @property
    def gains(self) -> tuple:
        """``(u1 - d1, u2 - d2)``: each player's gain over disagreement."""
        return (self.utilities[0] - self.disagreement[0], self.utilities[1] - self.disagreement[1])

    def to_dict(self) -> dict:
        """Plain Python values (lists for arrays, floats and bools for 0-d arrays)."""
        return {
            "utilities": to_jsonable(list(self.utilities)),
            "agreement": to_jsonable(self.agreement),
            "disagreement": to_jsonable(list(self.disagreement)),
            "power": to_jsonable(self.power),
            "method": self.method,
        }


# ----------------------------------------------------------------------------- validation

def _real_array(name: str, value: Any, domain: str) -> np.ndarray:
    """``value`` as a float array, or a ParameterError naming ``name`` (NaN/inf rejected)."""
    if callable(value) or isinstance(value, (str, bytes)):
        raise ParameterError(name, value, domain, "must be a real number or array")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(name, value, domain, "must be a real number or array") from None
    # NaN and infinities propagate into the minimum or maximum: two reductions, no mask
    if arr.size and not (np.isfinite(arr.min()) and np.isfinite(arr.max())):
        bad = arr[~np.isfinite(arr)].flat[0]
        raise ParameterError(name, float(bad), domain, "must be finite")
    return arr


def _in_domain(name: str, value: Any, domain: Domain) -> np.ndarray:
    arr = _real_array(name, value, str(domain))
    if not domain.contains_all(arr):
        ok = domain.mask(arr)
        raise ParameterError(name, float(arr[~ok].flat[0]), str(domain))
    return arr


def _pairs(name: str, value: Any, symbols: str) -> np.ndarray:
    """``value`` as a float array of pairs, shape ``(..., 2)``, or a ParameterError naming ``name``."""
    domain = f"finite {symbols} pairs in an array of shape (..., 2)"
    pairs = _real_array(name, value, domain)
    if pairs.ndim < 1 or pairs.shape[-1] != 2:
        raise ParameterError(name, f"array of shape {pairs.shape}", domain, "last axis must have length 2")
    return pairs


def _validate_disagreement(disagreement: Any) -> np.ndarray:
    return _pairs("disagreement", disagreement, "(d1, d2)")


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


# ------------------------------------------------------------------ piecewise-linear frontier

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


# -------------------------------------------------------------------- concave-function frontier

_GRID_CHECK = 257  # points at which a callable frontier is checked for monotonicity and concavity


def _validate_callable(frontier: Callable, bounds: Any):
    domain = "(u1_min, u1_max), finite, u1_min <= u1_max"
    if bounds is None:
        raise ParameterError("bounds", None, domain, "required when the frontier is a function")
    b = _real_array("bounds", bounds, domain)
    if b.shape != (2,) or b[0] > b[1]:
        raise ParameterError("bounds", b.tolist(), domain)
    u1_min, u1_max = float(b[0]), float(b[1])

    def f(u1: float) -> float:
        value = frontier(u1)
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise ParameterError("frontier", f"f({u1!r}) = {value!r}", "a real-valued function of u1") from None
        if not np.isfinite(value):
            raise ParameterError("frontier", f"f({u1!r}) = {value!r}", "a finite function on bounds")
        return value

    grid = np.linspace(u1_min, u1_max, _GRID_CHECK)
    values = np.array([f(x) for x in grid])
    scale = np.max(np.abs(values)) + np.max(np.abs(grid)) + 1.0
    tol = 1e-9 * scale
    rises = np.diff(values) > tol
    if np.any(rises):
        i = int(np.argmax(rises))
        raise ParameterError("frontier",
                             f"f({grid[i]!r}) = {values[i]!r} < f({grid[i + 1]!r}) = {values[i + 1]!r}",
                             "a concave, strictly decreasing function on bounds", "not decreasing")
    bends_up = values[:-2] - 2.0 * values[1:-1] + values[2:] > tol
    if np.any(bends_up):
        i = int(np.argmax(bends_up)) + 1
        raise ParameterError("frontier", f"f near u1 = {grid[i]!r}",
                             "a concave, strictly decreasing function on bounds", "not concave")
    return f, u1_min, u1_max


def _nash_concave_function(frontier, bounds, d, power):
    f, u1_min, u1_max = _validate_callable(frontier, bounds)
    if d.shape != (2,) or power.shape != ():
        raise ParameterError("disagreement" if d.shape != (2,) else "power",
                             f"array of shape {d.shape if d.shape != (2,) else power.shape}",
                             "a single (d1, d2) pair and a scalar power", "a function frontier is scalar only")
    d1, d2, beta = float(d[0]), float(d[1]), float(power)

    def solution(u1, u2, agreement):
        return BargainingSolution(utilities=(np.array(u1), np.array(u2)), agreement=np.array(agreement),
                                  disagreement=(np.array(d1), np.array(d2)), power=np.array(beta),
                                  method="concave_function")

    # Individually rational interval [x_lo, x_hi] of u1: u1 >= d1 and f(u1) >= d2 (f decreasing);
    # as for the piecewise-linear form, missing it by a few ulps counts as touching.
    eps = np.finfo(float).eps
    tol1 = _TOUCH_ULPS * eps * (max(abs(u1_min), abs(u1_max)) + abs(d1))
    tol2 = _TOUCH_ULPS * eps * (max(abs(f(u1_min)), abs(f(u1_max))) + abs(d2))
    if d1 > u1_max + tol1:
        return solution(d1, d2, False)
    # as for a chain: some point weakly dominates d lowered by the allowance in both coordinates
    if f(min(max(u1_min, d1 - tol1), u1_max)) < d2 - tol2:
        return solution(d1, d2, False)
    x_lo = min(max(u1_min, d1), u1_max)
    top = f(x_lo)
    if f(u1_max) >= d2:
        x_hi = u1_max
    elif top <= d2:
        x_hi = x_lo
    else:
        x_hi = optimize.brentq(lambda x: f(x) - d2, x_lo, u1_max, xtol=1e-15 * (1.0 + abs(u1_max)), rtol=1e-15)

    if beta == 1.0 or x_hi <= x_lo:
        u1 = x_hi
    elif beta == 0.0:
        # Player 2's best point; if f is flat there in floating point, the Pareto-best of the ties.
        u1 = _last_at_least(f, top, x_lo, x_hi)
    else:
        u1 = _maximise_log_product(f, d1, d2, beta, x_lo, x_hi)
    # max: a root of f - d2 (or a touching point) may sit an ulp below d
    return solution(max(u1, d1), max(f(u1), d2), True)


def _maximise_log_product(f, d1, d2, beta, x_lo, x_hi):
    """Maximiser of beta*log(u1 - d1) + (1 - beta)*log(f(u1) - d2) on [x_lo, x_hi], 0 < beta < 1.

    The objective is concave.  Brent's bounded method (scipy) brackets the maximum, but stops
    at a relative precision of about the square root of the machine precision.  Around its
    point a bracket is widened until the first-order condition (below) changes sign across it,
    and two refinements follow: a golden-section search in the bracket, driven by comparisons of
    the objective, pins down a maximum at a kink of ``f`` to rounding; where ``f`` is smooth the
    objective is too flat for comparisons, and the first-order condition
    ``beta*(f - d2) + (1 - beta)*(u1 - d1)*f' = 0`` (``f'`` by central differences) is solved by
    root finding instead.  That root is kept only if it is as good to rounding, which
    discards it at a kink.
    """
    def neg_log_product(u1: float) -> float:
        gain1, gain2 = u1 - d1, f(u1) - d2
        if gain1 <= 0.0 or gain2 <= 0.0:
            return np.inf
        return -(beta * np.log(gain1) + (1.0 - beta) * np.log(gain2))

    width = x_hi - x_lo
    scale = 1.0 + abs(x_lo) + abs(x_hi)
    # A huge finite value, not inf, where a gain vanishes keeps Brent's parabolic steps finite.
    result = optimize.minimize_scalar(lambda x: min(neg_log_product(x), 1e300), bounds=(x_lo, x_hi),
                                      method="bounded", options={"xatol": 1e-13 * scale})
    # The bounded method never evaluates the ends themselves; the maximum may sit at one
    # (a bound of the frontier that is not an individual-rationality bound).
    best = min([float(result.x), x_lo, x_hi], key=neg_log_product)

    step = max(1e-5 * width, 4.0 * np.finfo(float).eps * scale)  # never below rounding of u1

    def first_order(x: float) -> float:
        lo, hi = max(x - step, x_lo), min(x + step, x_hi)
        slope = (f(hi) - f(lo)) / (hi - lo)
        return beta * (f(x) - d2) + (1.0 - beta) * (x - d1) * slope

    # A bracket around Brent's point, widened until the first-order condition changes sign
    # across it (Brent's error grows with the flatness of the objective).
    reach = max(1e-7 * width, 1e-9 * scale)
    while True:
        left, right = max(x_lo, best - reach), min(x_hi, best + reach)
        sign_change = first_order(left) > 0.0 > first_order(right)
        if sign_change or (left == x_lo and right == x_hi):
            break
        reach *= 8.0
    # The first-order condition uses finite differences, which straddle a kink of f closer than
    # `step` and may show a sign change beside it: confirm the bracket by comparisons.  While the
    # golden-section point sits at an end of the bracket that is not an end of [x_lo, x_hi],
    # the maximum lies beyond that end, and the bracket is widened there.
    xtol = 1e-15 * scale
    for _ in range(200):
        golden = _golden_section(neg_log_product, left, right, xtol)
        beyond_left = golden - left <= 4.0 * xtol and left > x_lo
        beyond_right = right - golden <= 4.0 * xtol and right < x_hi
        if not (beyond_left or beyond_right):
            break
        span = max(right - left, xtol)
        if beyond_left:
            left = max(x_lo, left - 2.0 * span)
        if beyond_right:
            right = min(x_hi, right + 2.0 * span)
        sign_change = first_order(left) > 0.0 > first_order(right)
    best = min([golden, best], key=neg_log_product)
    if sign_change:
        refined = optimize.brentq(first_order, left, right, xtol=1e-15 * scale, rtol=1e-15)
        value = neg_log_product(best)
        if neg_log_product(refined) <= value + 1e-13 * (1.0 + abs(value)):
            best = refined
    return best


def _last_at_least(f, level, left, right):
    """The largest u1 in [left, right] with f(u1) >= level (f non-increasing, f(left) >= level)."""
    if f(right) >= level:
        return right
    for _ in range(1100):  # bisection: enough halvings to reach adjacent floats
        middle = 0.5 * (left + right)
        if middle in (left, right):
            break
        if f(middle) >= level:
            left = middle
        else:
            right = middle
    return left


def _golden_section(objective, left, right, xtol):
    """Minimiser of a unimodal ``objective`` on [left, right] by golden-section search."""
    ratio = (np.sqrt(5.0) - 1.0) / 2.0
    inner_left, inner_right = right - ratio * (right - left), left + ratio * (right - left)
    f_left, f_right = objective(inner_left), objective(inner_right)
    for _ in range(200):  # about 70 steps shrink any bracket used here below xtol
        if right - left <= xtol:
            break
        if f_left <= f_right:
            right, inner_right, f_right = inner_right, inner_left, f_left
            inner_left = right - ratio * (right - left)
            f_left = objective(inner_left)
        else:
            left, inner_left, f_left = inner_left, inner_right, f_right
            inner_right = left + ratio * (right - left)
            f_right = objective(inner_right)
    return inner_left if f_left <= f_right else inner_right


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


# ------------------------------------------------------------------------------- public API

def nash_bargaining(frontier, disagreement=(0.0, 0.0), power=0.5, *, bounds=None) -> BargainingSolution:
    r"""Generalised Nash bargaining solution (Nash 1950; Kalai 1977; Roth 1979).

    Maximises :math:`(u_1 - d_1)^{\beta} (u_2 - d_2)^{1 - \beta}` over the feasible set bounded
    by ``frontier`` (free disposal below it), subject to :math:`u_i \ge d_i`.

    Parameters
    ----------
    frontier : array_like or callable
        Either an array of shape ``(..., K, 2)``: the vertices :math:`(u_1, u_2)` of a
        piecewise-linear Pareto frontier ordered by non-decreasing :math:`u_1` and
        non-increasing :math:`u_2` (``K = 2`` is a linear frontier, ``K = 1`` a single
        feasible point; consecutive equal vertices are allowed).  Leading dimensions broadcast
        with ``disagreement`` and ``power``.  Solved in closed form on each segment, fully
        vectorised.

        Or a :class:`TransferFrontier`: the status quo and the efficiency of a one-way
        lossy transfer (a concave frontier with one kink); solved in closed form, fully
        vectorised.

        Or a callable ``f(u1) -> u2``, concave and strictly decreasing on ``bounds``
        (checked on a grid); scalar problems only; solved by bounded scalar optimisation of
        the log Nash product.
    disagreement : array_like, shape ``(..., 2)``
        The disagreement point :math:`(d_1, d_2)`.
    power : array_like
        Player 1's bargaining power :math:`\beta \in [0, 1]`.  ``power = 1`` gives player 1
        the largest feasible :math:`u_1` with player 2 held at :math:`u_2 \ge d_2`;
        ``power = 0`` the reverse.
    bounds : tuple of float, optional
        ``(u1_min, u1_max)``, the domain of a callable frontier (required then; not allowed
        with an array frontier).

    Returns
    -------
    BargainingSolution
        Utilities, agreement flag, disagreement point and power, all with the broadcast shape.

    Raises
    ------
    ParameterError
        A ``ValueError`` naming the argument, the value and the allowed domain: power outside
        [0, 1], non-finite values, a malformed or mis-ordered frontier, shapes that do not
        broadcast.

    Notes
    -----
    *No agreement.*  If no feasible point gives both players at least :math:`d_i`,
    ``agreement`` is False and the utilities are :math:`d`.  A frontier that only touches
    :math:`d` is an agreement at :math:`d`; a disagreement point outside the feasible set by
    at most :math:`16 \varepsilon (\max_k |P_{k,i}| + |d_i|)` in each coordinate :math:`i`
    (:math:`\varepsilon` the machine epsilon) counts as touching it.

    *Transfers.*  With gains :math:`g = q - d` at the status quo of a
    :class:`TransferFrontier`, the line where player 1 pays reaches :math:`T_1 = g_1 + g_2/k`
    beyond :math:`d` in player 1's units, the line where player 2 pays
    :math:`T_2 = g_1/k + g_2` in player 2's.  Some point gives both at least :math:`d` iff
    :math:`T_1, T_2 \ge 0`.  The solution gives each player its power's share of one line's
    reach: :math:`u - d = (\beta T_1,\ (1-\beta) k T_1)` if :math:`\beta T_1 \le g_1`
    (player 1 pays), else :math:`(\beta k T_2,\ (1-\beta) T_2)` if
    :math:`(1-\beta) T_2 \le g_2` (player 2 pays), else the status quo (the kink).
    Equivalently each gain is the status quo's, clipped between the two lines' solutions:
    :math:`u_1 - d_1 = \min(\max(\beta k T_2,\ g_1),\ \beta T_1)` and
    :math:`u_2 - d_2 = \min(\max((1-\beta) k T_1,\ g_2),\ (1-\beta) T_2)` (where there is
    agreement the lower bound never exceeds the upper).  The result is the one the vertex chain
    :meth:`TransferFrontier.vertices` gives, to rounding; ``method`` is ``"transfers"``.

    *Precision.*  The piecewise-linear form is exact to rounding.  The callable form is
    found by Brent's bounded method and then refined (a golden-section search and root
    finding on the first-order condition) to a relative precision of about 1e-12 where ``f``
    is smooth, and to rounding at a kink of ``f``.

    *Ties.*  When several feasible points attain the maximal product (the product is zero
    on the whole individually rational set, or power is 0 or 1 and the frontier has a
    horizontal or vertical piece) the Pareto-best of them is chosen, i.e. the one with the
    largest :math:`u_1 + u_2`.  On a concave frontier this makes the solution unique.  A
    frontier that is not concave is accepted; the result is then a maximiser of the Nash
    product over the frontier, but the axiomatic characterisation needs a convex set.

    Examples
    --------
    >>> sol = nash_bargaining([[0.0, 1.0], [1.0, 0.0]], power=0.5)
    >>> float(sol.utilities[0]), float(sol.utilities[1])
    (0.5, 0.5)
    """
    power_arr = _in_domain("power", power, _UNIT)
    d = _validate_disagreement(disagreement)
    if isinstance(frontier, TransferFrontier):
        if bounds is not None:
            raise ParameterError("bounds", bounds, "None for a transfer frontier",
                                 "bounds apply only to a function frontier")
        return _nash_transfers(frontier, d, power_arr)
    if callable(frontier):
        return _nash_concave_function(frontier, bounds, d, power_arr)
    if bounds is not None:
        raise ParameterError("bounds", bounds, "None for an array frontier",
                             "bounds apply only to a function frontier")
    return _nash_piecewise_linear(_validate_frontier(frontier), d, power_arr)


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
        Number of periods :math:`T \ge 1`.
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
            or horizon < 1):
        raise ParameterError("horizon", horizon, "integer >= 1")
    d1, d2 = np.broadcast_arrays(d1, d2)
    # proposer(t) for t = 1..T alternates starting at `mover`; work backwards from t = T.
    proposer_share = np.ones(d1.shape)
    for t in range(int(horizon) - 1, 0, -1):
        proposer_t = mover if t % 2 == 1 else 3 - mover
        delta_responder = d2 if proposer_t == 1 else d1
        proposer_share = 1.0 - delta_responder * proposer_share
    first, second = np.asarray(proposer_share), np.asarray(1.0 - proposer_share)
    return (first, second) if mover == 1 else (second, first)
