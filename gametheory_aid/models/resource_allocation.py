r"""Strategic allocation of resources (策略性分配资源).

The formal model (specification section 6)
------------------------------------------
Facing broadly set tasks the aider re-orders priorities (调整型政策变通, 重合作而轻支援) and
gives more to targets that give more back (回馈能力), so that weak recipients become marginal
(边缘地带).

* Targets :math:`i = 1, \dots, n`.  The contracted budget :math:`B` (``budget``) is spent in
  full; the centre's intended, balanced allocation (均衡分配) is :math:`B s` with
  :math:`s` = ``intended_share`` (every :math:`s_i > 0`, :math:`\sum_i s_i = 1`).
* Target :math:`i` returns :math:`r_i \ge 0` (``feedback``) per unit to the aider.
* The aider chooses :math:`x \ge 0`, :math:`\sum_i x_i = B`, to maximise

  .. math::  U(x) = \sum_i r_i x_i - \frac{m}{2} \sum_i (x_i - B s_i)^2, \qquad m = \mu + \tau\kappa,

  with :math:`\mu` (``norm_cost``), :math:`\kappa` (``penalty``) and :math:`\tau`
  (``transparency``; channel: visibility of fiscal transfers).

Solution
--------
For :math:`m > 0` the KKT conditions (multiplier :math:`\lambda m` on the budget) give the
Euclidean projection of :math:`B s + r/m` onto the simplex :math:`\{x \ge 0, \sum x = B\}`:

.. math::  x_i = \max\left(0,\ B s_i + \frac{r_i}{m} - \lambda\right),

computed with the sort-based projection (Held, Wolfe and Crowder 1974; Duchi et al. 2008).
At :math:`m = 0` the allocation is the limit :math:`m \to 0^+`: with :math:`T` the targets of
highest feedback, every other target gets nothing and

.. math::  x_i = B s_i + \frac{B}{|T|}\Bigl(1 - \sum_{j \in T} s_j\Bigr), \quad i \in T,

(the projection of :math:`B s` restricted to :math:`T`; every target of :math:`T` is funded).

Threshold
---------
With every target funded, :math:`\sum_i x_i = B` gives :math:`\lambda = \bar r / m`
(:math:`\bar r` the mean feedback) and :math:`x_i = B s_i + (r_i - \bar r)/m`; the projection
funds every target iff this is positive for all :math:`i`, i.e. iff

.. math::  m > M = \max_i \frac{\bar r - r_i}{B s_i}

(or all feedback is equal, :math:`M = 0`: then :math:`x = B s` at every :math:`m`).  Hence
:math:`\bar\tau = \max(0, (M - \mu)/\kappa)` when :math:`\kappa > 0` and this is below 1;
:math:`\bar\tau = 0` if :math:`\mu > M` (or :math:`M = 0`); otherwise ``inf``.
"""
from __future__ import annotations

import numpy as np

from ..core.params import Domain, Parameter
from . import register
from ._float_range import refuse_non_finite
from .base import Model, Output, regime_codes
from .resource_allocation_story import STORY

__all__ = ["ResourceAllocation", "REGIMES", "project_to_budget"]

#: The regimes of the specification; the solver's integer codes index this tuple.
REGIMES = ("balanced", "tilted", "marginalising")

_NONNEG = Domain(0, None)


def project_to_budget(point, budget):
    r"""Euclidean projection of each column of ``point`` onto :math:`\{x \ge 0, \sum x = B\}`.

    The projection is :math:`x_i = \max(0, y_i - \lambda)` with the level :math:`\lambda` set by
    the budget; after sorting :math:`y` in decreasing order :math:`u_1 \ge \dots \ge u_n`, the
    funded targets are the first :math:`\rho` with :math:`k u_k > \sum_{j \le k} u_j - B` and
    :math:`\lambda = (\sum_{j \le \rho} u_j - B)/\rho` (Held, Wolfe and Crowder 1974; Duchi et
    al. 2008, algorithm 1).

    Parameters
    ----------
    point : ndarray, shape (n, m)
        One column per point, one row per target.
    budget : ndarray, shape (m,)

    Returns
    -------
    ndarray, shape (n, m)

    Examples
    --------
    >>> project_to_budget(np.array([[3.0], [1.0], [-1.0]]), np.array([2.0])).ravel().tolist()
    [2.0, 0.0, 0.0]
    >>> project_to_budget(np.array([[1.0], [1.0]]), np.array([4.0])).ravel().tolist()
    [2.0, 2.0]
    """
    n = point.shape[0]
    u = -np.sort(-point, axis=0)
    excess = np.cumsum(u, axis=0) - budget
    count = np.arange(1, n + 1)[:, None]
    # at least the largest entry is funded (k = 1 holds since B > 0)
    funded = np.maximum(np.count_nonzero(u * count > excess, axis=0), 1)
    level = np.take_along_axis(excess, (funded - 1)[None], axis=0)[0] / funded
    return np.maximum(point - level, 0.0)


@register
class ResourceAllocation(Model):
    """The aider's strategic allocation of a budget across targets of unequal feedback."""

    name = "resource-allocation"
    title = "Strategic allocation of resources"
    chinese_title = "策略性分配资源"
    summary = "The aider tilts the budget towards targets that give more back, marginalising weak ones."
    transparency_channel = "visibility of fiscal transfers"
    story = STORY
    parameters = (
        Parameter("budget", "B", 12.0, Domain(0, None, low_open=True), "the contracted budget"),
        Parameter("intended_share", "s", (1 / 3, 1 / 3, 1 / 3), Domain(0, 1, low_open=True),
                  "each target's intended share of the budget", "均衡分配", vector=True, shares=True),
        Parameter("feedback", "r", (0.0, 0.5, 1.0), _NONNEG, "each target's return to the aider per unit",
                  "回馈能力", vector=True),
        Parameter("norm_cost", "mu", 0.05, _NONNEG, "the aider's own cost of departing from the intended allocation"),
        Parameter("penalty", "kappa", 0.2, _NONNEG, "accountability per squared unit of a seen misallocation"),
        Parameter("transparency", "tau", 0.0, Domain(0, 1), "visibility of fiscal transfers", "数字技术赋能"),
    )
    outputs = (
        Output("allocation", "each target's allocation x_i"),
        Output("marginalised", "whether each target gets nothing (x_i <= 1e-12 B, and never above the threshold)"),
        Output("n_marginalised", "the number of marginalised targets"),
        Output("diverted", "budget taken from under-served targets, sum max(0, B s_i - x_i)"),
        Output("diverted_share", "diverted / B"),
        Output("aider_return", "sum r_i x_i"),
        Output("aider_gain", "U(x) - U(B s)"),
        Output("regime", "balanced, tilted or marginalising", kind="regime", categories=REGIMES),
        Output("threshold_transparency", "least tau above which no target is marginalised (inf if none below 1)"),
    )

    def _solve(self, *, budget, intended_share, feedback, norm_cost, penalty, transparency):
        # Targets run along the first axis inside: numpy reduces a short leading axis about twenty
        # times faster than a short trailing one, and every step below sums or compares targets.
        share, feedback = intended_share.T.copy(), feedback.T.copy()
        # a subnormal m or kappa overflows r/m or M/kappa to inf, which is the right limit
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            fields = _allocate(budget, share, feedback, norm_cost, penalty, transparency)
        # the overflows above are limits inside; an output beyond the float64 range is refused
        refuse_non_finite(self, fields, dict(budget=budget, intended_share=intended_share, feedback=feedback,
                                             norm_cost=norm_cost, penalty=penalty, transparency=transparency),
                          exempt=("threshold_transparency",))
        for name in ("allocation", "marginalised"):
            fields[name] = fields[name].T
        return fields

    def symbolic(self):
        """The allocation for each set of funded targets, with its condition, and the threshold.

        Returns
        -------
        SymbolicSolution
            One regime per non-empty set of funded targets (named by the targets' numbers, for
            m > 0) with ``allocation_i``, ``diverted``, ``aider_return`` and ``aider_gain``, and
            ``threshold_transparency`` in closed form, for this model's number of targets.
        """
        return _symbolic(self)


def _allocate(budget, intended_share, feedback, norm_cost, penalty, transparency):
    """The solver, targets on the first axis: vector parameters (n, m), scalars (m,)."""
    intended = budget * intended_share
    m = norm_cost + transparency * penalty
    positive = m > 0
    top = feedback.max(axis=0)
    # shifting every target by the top feedback leaves the projection unchanged and keeps r/m bounded
    tilt = (feedback - top) / np.where(positive, m, 1.0)
    projected = project_to_budget(intended + tilt, budget)
    # m = 0: the limit m -> 0+, the projection of B s restricted to the top-feedback targets T
    best = feedback == top
    spare = budget - np.sum(np.where(best, intended, 0.0), axis=0)
    limit = np.where(best, intended + spare / np.count_nonzero(best, axis=0), 0.0)
    allocation = np.where(positive, projected, limit)

    # every target funded iff m > M = max_i (rbar - r_i)/(B s_i), M = 0 when the feedback is equal
    equal = np.all(best, axis=0)
    worst = np.where(equal, 0.0, np.maximum(np.max((feedback.mean(axis=0) - feedback) / intended, axis=0), 0.0))
    level = np.maximum(0.0, (worst - norm_cost) / np.where(penalty > 0, penalty, 1.0))
    threshold = np.where(penalty > 0, np.where(level < 1, level, np.inf), np.where(norm_cost > worst, 0.0, np.inf))
    threshold = np.where(equal, 0.0, threshold)

    # Above the threshold every target is funded (proposition), decided by that very comparison: just
    # above it the worst target's x_i is positive but below 1e-12 B, which the tolerance alone would
    # call nothing, contradicting the reported threshold.
    marginalised = (allocation <= 1e-12 * budget) & ~(transparency > threshold)
    n_marginalised = np.count_nonzero(marginalised, axis=0)
    departure = allocation - intended
    diverted = np.maximum(-departure, 0.0).sum(axis=0)
    aider_return = np.sum(feedback * allocation, axis=0)
    aider_gain = np.sum(feedback * departure, axis=0) - 0.5 * m * np.sum(departure ** 2, axis=0)
    balanced = np.max(np.abs(departure), axis=0) <= 1e-12 * budget
    regime = regime_codes(balanced, n_marginalised == 0, default=2)
    return {"allocation": allocation, "marginalised": marginalised, "n_marginalised": n_marginalised,
            "diverted": diverted, "diverted_share": diverted / budget, "aider_return": aider_return,
            "aider_gain": aider_gain, "regime": regime, "threshold_transparency": threshold}


def _symbolic(model):
    """See :meth:`ResourceAllocation.symbolic`."""
    from itertools import combinations

    import sympy as sp

    from ..core.symbolic import Regime, SymbolicSolution

    sym = model.symbols()
    B, s, r = sym["budget"], sym["intended_share"], sym["feedback"]
    mu, kappa, tau = sym["norm_cost"], sym["penalty"], sym["transparency"]
    n = len(s)
    m = mu + tau * kappa
    regimes = []
    for size in range(n, 0, -1):
        for funded in combinations(range(n), size):
            level = (sum(B * s[i] + r[i] / m for i in funded) - B) / size
            x = [B * s[i] + r[i] / m - level if i in funded else sp.Integer(0) for i in range(n)]
            condition = sp.And(*[x[i] > 0 for i in funded],
                               *[B * s[j] + r[j] / m - level <= 0 for j in range(n) if j not in funded])
            departure = [x[i] - B * s[i] for i in range(n)]
            outputs = {"diverted": sum(sp.Max(0, -d) for d in departure),
                       "aider_return": sum(r[i] * x[i] for i in range(n)),
                       "aider_gain": sum(r[i] * departure[i] for i in range(n))
                       - m / 2 * sum(d ** 2 for d in departure)}
            for i in range(n):
                outputs[f"allocation_{i + 1}"] = x[i]
            regimes.append(Regime("funded " + ",".join(str(i + 1) for i in funded), condition, outputs))
    mean = sum(r) / n
    worst = sp.Max(0, *[(mean - r[i]) / (B * s[i]) for i in range(n)])
    level = sp.Max(0, (worst - mu) / kappa)
    threshold = sp.Piecewise((0, sp.Eq(worst, 0)), (sp.oo, sp.And(sp.Eq(kappa, 0), mu <= worst)),
                             (0, sp.Eq(kappa, 0)), (level, level < 1), (sp.oo, True))
    notes = ["m = mu + tau kappa > 0; at m = 0 the allocation is the limit m -> 0+ (see the module docstring)",
             "threshold: no target is marginalised iff m > max_i (rbar - r_i)/(B s_i), rbar the mean feedback"]
    return SymbolicSolution(model=model.name, symbols=sym, regimes=regimes,
                            thresholds={"threshold_transparency": threshold}, notes=notes)
