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

import numpy as np

from .bargaining_solution import _TOUCH_ULPS as _TOUCH_ULPS
from .bargaining_solution import BargainingSolution, _in_domain, _validate_disagreement
from .bargaining_solution import _pairs as _pairs
from .bargaining_solution import _real_array as _real_array
from .function_frontier import _GRID_CHECK as _GRID_CHECK
from .function_frontier import _golden_section as _golden_section
from .function_frontier import _last_at_least as _last_at_least
from .function_frontier import _maximise_log_product as _maximise_log_product
from .function_frontier import _nash_concave_function
from .function_frontier import _validate_callable as _validate_callable
from .linear_frontiers import _EFFICIENCY as _EFFICIENCY
from .linear_frontiers import _FRONTIER_DOMAIN as _FRONTIER_DOMAIN
from .linear_frontiers import _LEAST_POSITIVE as _LEAST_POSITIVE
from .linear_frontiers import TransferFrontier, _nash_piecewise_linear, _nash_transfers, _validate_frontier
from .linear_frontiers import _best_segment as _best_segment
from .linear_frontiers import _first_argmax as _first_argmax
from .linear_frontiers import _keep_positive as _keep_positive
from .linear_frontiers import _segment_candidates as _segment_candidates
from .params import Domain, ParameterError
from .results import to_jsonable as to_jsonable
from .rubinstein import _DISCOUNT as _DISCOUNT
from .rubinstein import _validate_first_mover as _validate_first_mover
from .rubinstein import rubinstein_finite, rubinstein_shares

# The ``from ... import name as name`` imports re-export helpers from the modules that define them.

__all__ = ["BargainingSolution", "TransferFrontier", "nash_bargaining", "rubinstein_shares", "rubinstein_finite"]

_UNIT = Domain(0, 1)


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
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):  # judged by the result below
        solution = _solve(frontier, d, power_arr, bounds)
    # finite inputs give finite utilities unless a product over- or underflowed on the way
    if not all(np.all(np.isfinite(u)) for u in solution.utilities):
        _refuse_magnitudes(frontier, d)
    return solution


def _solve(frontier, d: np.ndarray, power_arr: np.ndarray, bounds) -> BargainingSolution:
    """:func:`nash_bargaining` on validated ``d`` and ``power``, by the kind of frontier."""
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


def _refuse_magnitudes(frontier, d: np.ndarray) -> None:
    r"""Raise :class:`ParameterError` for utilities beyond float64's range, naming the most extreme input.

    Called when the solution is not finite (a product over- or underflowed): the input of largest
    :math:`|\log_{10}|x||` is the one to rescale.
    """
    inputs = {"disagreement": d}
    if isinstance(frontier, TransferFrontier):
        inputs["status_quo"] = frontier.status_quo
    elif not callable(frontier):
        inputs["frontier"] = np.asarray(frontier, dtype=float)
    worst = ("frontier", None, -1.0)
    for name, values in inputs.items():
        finite = values[np.isfinite(values) & (values != 0)]
        if finite.size:
            x = float(finite.flat[np.argmax(np.abs(np.log10(np.abs(finite))))])
            if abs(np.log10(abs(x))) > worst[2]:
                worst = (name, x, abs(np.log10(abs(x))))
    name, x, _ = worst
    raise ParameterError(name, "the frontier's values" if x is None else x,
                         "utilities at magnitudes float64 arithmetic can hold",
                         "the Nash product leaves the float64 range (over- or underflow); give the utilities "
                         "moderate magnitudes "
                         "(rescale the units)")
