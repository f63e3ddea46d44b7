r"""The combined strategies (组合策略) and where transparency should go.

The paper's aiding governments "dissolve pressure with combined strategies" (利用组合策略消解压力):
pleading poverty (装穷叫苦), pushing task pressure downward (向下转移任务压力), strategic
allocation of resources (策略性分配资源) and joint blame-avoidance (联合避责).  The strategies
draw on one limited stock of political capital, so blocking one can push the aider into another.
This model asks whether one platform shrinks the whole space of blame-avoidance strategies
(压缩避责策略空间) and which channel a limited digital budget should cover first.

The formal model (specification section 7)
------------------------------------------
* Channels :math:`k = 1, \dots, n` (by default :math:`n = 4`, the four strategies above).
* Detection on channel :math:`k`: :math:`p_k = 1 - (1 - \tau)(1 - \tau_k)`, with :math:`\tau`
  (``transparency``: one platform over every channel) and :math:`\tau_k`
  (``channel_transparency``: a tool aimed at channel :math:`k`, detecting independently).
* The net gain of a unit of strategy :math:`k` is :math:`g_k = b_k - p_k F_k`, with
  :math:`b_k` (``gain``: pressure relieved) and :math:`F_k` (``fine``: accountability when
  detected).
* The aider chooses intensities :math:`e \ge 0` to maximise

  .. math::  U(e) = g \cdot e - \tfrac12 e^\top K e, \qquad K = (1 - \kappa) I + \kappa \mathbf 1 \mathbf 1^\top,

  with :math:`\kappa` (``substitution``): :math:`\kappa > 0` substitutes (one pool of
  capacity), :math:`\kappa < 0` complements.  :math:`K` has the eigenvalues :math:`1 - \kappa`
  (on the vectors summing to zero) and :math:`1 - \kappa + \kappa n` (on :math:`\mathbf 1`), so it
  is positive definite iff :math:`-1/(n-1) < \kappa < 1` (any :math:`\kappa < 1` when
  :math:`n = 1`): :math:`U` is strictly concave and the optimum unique.
* The centre's harm is :math:`h \cdot e`, :math:`h` = ``harm``.

Solution (proposition 6, ``proofs/proposition_6.py``)
-----------------------------------------------------
Write :math:`S = \sum_k e_k` and :math:`D_a = 1 - \kappa + \kappa a > 0`.  The KKT conditions
are :math:`(Ke)_k = (1 - \kappa) e_k + \kappa S = g_k` where :math:`e_k > 0` and
:math:`\kappa S \ge g_k` where :math:`e_k = 0`.  Hence

.. math::  e_k = \frac{\max(0,\ g_k - \kappa S)}{1 - \kappa}, \qquad
           S = \frac{\sum_{j \in A} g_j}{D_a},

where :math:`A` is the set of active channels, :math:`a = |A|`.  Since :math:`g_i > \kappa S
\ge g_j` for :math:`i \in A`, :math:`j \notin A`, the active channels are the top ones by
:math:`g` (tied channels are both in or both out).  Sorting :math:`g` in decreasing order,
:math:`u_1 \ge \dots \ge u_n` with partial sums :math:`C_a`, candidate :math:`a` is consistent
iff :math:`\psi_a = u_a D_a - \kappa C_a > 0 \ge \psi_{a+1}`; as
:math:`\psi_{a+1} - \psi_a = -(u_a - u_{a+1}) D_a \le 0` the positive :math:`\psi_a` form a
prefix and :math:`a` is simply their number (0: every :math:`g_k \le 0`, the aider is
deterred).  One sort, one cumulative sum and a count per point: no iterative solver.  With
complements a channel with a slightly negative :math:`g_k` can be active.

Derivatives, the active set held fixed.  On :math:`A`, :math:`e_A = K_A^{-1} g_A` with
:math:`K_A^{-1} = (I - \tfrac{\kappa}{D_a}\mathbf 1\mathbf 1^\top)/(1 - \kappa)`, and
:math:`\partial g_k / \partial \tau_k = -F_k(1 - \tau)`,
:math:`\partial g_k / \partial \tau = -F_k(1 - \tau_k)`.  So

.. math::  \frac{\partial e_j}{\partial \tau_k} = -\frac{F_k (1 - \tau)}{1 - \kappa}
           \Bigl(\delta_{jk} - \frac{\kappa}{D_a}\Bigr), \qquad
           \frac{\partial S}{\partial \tau} = -\frac{\sum_{k \in A} F_k (1 - \tau_k)}{D_a} \le 0

(``displacement`` and ``uniform_effect``; zero rows and columns off :math:`A`).  Substitutes
(:math:`\kappa > 0`) displace evasion into the other active channels, complements drag them
down; one platform never raises the total.

Deterrence.  :math:`e = 0` iff every :math:`g_k \le 0` (whatever :math:`\kappa`), and
:math:`g_k` falls in :math:`\tau`, so ``deterrence_threshold`` is :math:`\max(0, \max_k t_k)`
with :math:`t_k = (b_k - F_k\tau_k)/(F_k(1 - \tau_k)) = 1 - (F_k - b_k)/(F_k (1 - \tau_k))`
(the first form is computed: no cancellation near :math:`t_k = 0`); :math:`t_k = 0` when
:math:`F_k(1 - \tau_k) = 0 \le F_k - b_k` (nothing to deter, or the channel tool already detects
everything) and :math:`t_k = \infty` when :math:`b_k > F_k` (even certain detection does not
deter).  It is at most 1 when finite.

Floating point.  A channel is ``active`` when :math:`e_k > 10^{-12}\max(1, \max_j |g_j|)`
(the specification's rule); the intensity of a channel that is not active is reported as exactly
0, so that ``regime`` is ``deterred`` exactly when ``intensity`` is zero, and the aider is
deterred at ``deterrence_threshold`` itself although rounding may leave a :math:`g_k` of the
order of :math:`10^{-16}\max(b_k, F_k)`.  Detection is computed as :math:`p_k = \tau + (1 - \tau)\tau_k`
(exact near 0, and never above 1 after rounding), and ``deterrence_threshold`` is the exact
:math:`\tau`, so a gain within the activity tolerance (e.g. a subnormal :math:`b_k` with
:math:`F_k = 0`) is reported inactive although the threshold is ``inf``.  Displacement and
``uniform_effect`` hold no negative zeros.

Where the platform should go first
----------------------------------
:meth:`StrategyPortfolio.optimal_targeting` chooses the channel transparencies under a budget
(exact: one linear programme per set of active channels; see its docstring).

Examples
--------
>>> from gametheory_aid.models.strategy_portfolio import StrategyPortfolio
>>> r = StrategyPortfolio().solve()
>>> [round(x * 21, 9) for x in r.intensity.tolist()]     # (48, 34, 20, 6) / 21
[48.0, 34.0, 20.0, 6.0]
>>> float(r.total_evasion) * 7, str(r.regime), float(r.deterrence_threshold)
(36.0, 'full', 0.75)
>>> round(float(r.uniform_effect) * 7, 9)                  # -64/7
-64.0
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.params import Domain, Parameter, ParameterError, validate_array
from . import register
from ._float_range import refuse_non_finite
from .base import Model, Output, regime_codes
from .strategy_portfolio_story import STORY

__all__ = ["StrategyPortfolio", "OptimalTargeting", "REGIMES", "ACTIVE_TOLERANCE", "TIE_TOLERANCE"]

#: The regimes of the specification; the solver's integer codes index this tuple.
REGIMES = ("deterred", "partial", "full")

#: A channel is active when ``e_k > ACTIVE_TOLERANCE * max(1, max_j |g_j|)`` (the specification's rule).
ACTIVE_TOLERANCE = 1e-12

#: optimal_targeting: harms within TIE_TOLERANCE * max(1, untargeted harm) count as tied (and then
#: the least spending wins); spendings within TIE_TOLERANCE * max(1, budget) count as tied.
TIE_TOLERANCE = 1e-9

_NONNEG = Domain(0, None)
_UNIT = Domain(0, 1)


@dataclass(frozen=True)
class OptimalTargeting:
    """The centre's best channel transparencies under a budget (:meth:`StrategyPortfolio.optimal_targeting`).

    Attributes
    ----------
    method : str
        How it was computed.
    targeting : ndarray, shape (n,)
        The least-spending optimal channel transparencies :math:`\\tau_k`.
    harm : float
        The centre's harm at ``targeting`` (``solve()`` at it, the platform ``transparency`` as in
        the model).
    spending : float
        :math:`\\sum_k c_k \\tau_k` at ``targeting`` (at most ``budget``).
    active : ndarray of bool, shape (n,)
        The aider's active channels at ``targeting``.
    intensity : ndarray, shape (n,)
        The aider's intensities at ``targeting``.
    budget : float
    cost : ndarray, shape (n,)
        :math:`c_k`, the cost of full transparency on channel :math:`k`.
    even_targeting : float
        The common :math:`\\tau_k = \\min(1, \\text{budget}/\\sum_k c_k)` of spreading the budget evenly.
    even_harm : float
        The harm when the budget is spread evenly.
    untargeted_harm : float
        The harm without targeting (every :math:`\\tau_k = 0`).
    marginal_harm : ndarray, shape (n,)
        Where the first unit of the budget does most: the rate of change of the harm per unit of
        spending on channel :math:`k` at no targeting, :math:`\\sum_j h_j\\,\\partial e_j/\\partial\\tau_k
        / c_k` (the active set held fixed); positive where a tool would raise the harm.
    lps_solved : int
        Linear programmes solved (one per set of active channels, then one per tied winner).
    tolerance : float
        Harms within it count as tied (the least spending then wins).
    """

    method: str
    targeting: np.ndarray
    harm: float
    spending: float
    active: np.ndarray
    intensity: np.ndarray
    budget: float
    cost: np.ndarray
    even_targeting: float
    even_harm: float
    untargeted_harm: float
    marginal_harm: np.ndarray
    lps_solved: int
    tolerance: float

    def to_dict(self) -> dict:
        return {"method": self.method, "targeting": np.asarray(self.targeting).tolist(), "harm": self.harm,
                "spending": self.spending, "active": np.asarray(self.active).tolist(),
                "intensity": np.asarray(self.intensity).tolist(), "budget": self.budget,
                "cost": np.asarray(self.cost).tolist(), "even_targeting": self.even_targeting,
                "even_harm": self.even_harm, "untargeted_harm": self.untargeted_harm,
                "marginal_harm": np.asarray(self.marginal_harm).tolist(), "lps_solved": self.lps_solved,
                "tolerance": self.tolerance}


@register
class StrategyPortfolio(Model):
    """The aider's portfolio of blame-avoidance strategies, and where transparency should go (spec section 7)."""

    name = "strategy-portfolio"
    title = "The combined strategies and where transparency should go"
    chinese_title = "组合策略"
    summary = ("The aider mixes its strategies, which compete for one pool of political capital: blocking one "
               "channel displaces evasion into the others, one platform shrinks the whole strategic space, and a "
               "limited budget of targeted tools has a best place to go first.")
    transparency_channel = "one platform over every channel (detection p_k = 1 - (1 - tau)(1 - tau_k))"
    story = STORY
    parameters = (
        Parameter("gain", "b", (3.0, 2.5, 2.0, 1.5), _NONNEG, "pressure relieved per unit of each strategy",
                  "消解压力", vector=True),
        Parameter("fine", "F", (4.0, 4.0, 4.0, 4.0), _NONNEG, "accountability per unit of a detected strategy",
                  "问责", vector=True),
        Parameter("harm", "h", (1.0, 1.0, 1.0, 1.0), _NONNEG, "the centre's harm per unit of each strategy",
                  vector=True),
        Parameter("substitution", "kappa", 0.25, Domain(None, 1, high_open=True),
                  "substitution between strategies (> 0 substitutes, < 0 complements); in (-1/(n-1), 1)",
                  "组合策略"),
        Parameter("transparency", "tau", 0.0, _UNIT, "one platform over every channel", "数字技术赋能"),
        Parameter("channel_transparency", "tau_c", (0.0, 0.0, 0.0, 0.0), _UNIT,
                  "a tool aimed at each channel, detecting independently of the platform", vector=True),
    )
    outputs = (
        Output("intensity", "the aider's intensity e_k on each channel"),
        Output("active", "whether each channel is used (e_k > 1e-12 max(1, max_j |g_j|))", kind="bool"),
        Output("total_evasion", "sum of the intensities"),
        Output("centre_harm", "the centre's harm, sum h_k e_k"),
        Output("aider_payoff", "the aider's payoff g.e - e'Ke/2 at its optimum"),
        Output("detection", "detection probability on each channel, 1 - (1 - tau)(1 - tau_k)"),
        Output("displacement", "d e_j / d tau_k (row j, column k), the active set held fixed"),
        Output("uniform_effect", "d total_evasion / d tau, the active set held fixed"),
        Output("regime", "deterred (e = 0), partial or full (every channel active)", kind="regime",
               categories=REGIMES),
        Output("deterrence_threshold", "least tau at which e = 0, given the tau_k (inf if none <= 1)",
               chinese="压缩避责策略空间"),
    )

    def _check(self, values: dict) -> None:
        n = self.n
        if n is None or n < 2:
            return  # n = 1: any kappa < 1 (the domain)
        kappa = np.asarray(values["substitution"], dtype=float)
        bad = ~(1.0 + kappa * (n - 1) > 0)  # D_n = 1 - kappa + kappa n, as the solver computes it
        if np.any(bad):
            value = float(kappa[bad].flat[0]) if kappa.ndim else float(kappa)
            raise ParameterError("substitution", value, f"(-1/(n-1), 1) = ({-1 / (n - 1):.10g}, 1) for n = {n}",
                                 "K = (1 - kappa) I + kappa 11' must be positive definite")

    def _solve(self, *, gain, fine, harm, substitution, transparency, channel_transparency):
        # Channels run along the first axis inside: numpy reduces a short leading axis about twenty
        # times faster than a short trailing one, and every step below sums or compares channels.
        b, F, h, tk = (np.ascontiguousarray(v.T) for v in (gain, fine, harm, channel_transparency))
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            fields = _portfolio(b, F, h, substitution, transparency, tk)
        # the overflows above are limits inside; an output beyond the float64 range is refused
        refuse_non_finite(self, fields, dict(gain=gain, fine=fine, harm=harm, substitution=substitution,
                                             transparency=transparency, channel_transparency=channel_transparency),
                          exempt=("deterrence_threshold",))
        for name in ("intensity", "active", "detection"):
            fields[name] = fields[name].T
        fields["displacement"] = fields["displacement"].transpose(2, 0, 1)
        return fields

    def symbolic(self):
        """The intensities for each set of active channels, with its condition, and the derivatives.

        Returns
        -------
        SymbolicSolution
            The regime ``deterred`` and one regime per non-empty set :math:`A` of active channels
            (named by the channels' numbers), with ``intensity_k``, ``total_evasion``,
            ``centre_harm``, ``aider_payoff``, ``uniform_effect`` and ``displacement_j_k``
            (:math:`\\partial e_j/\\partial \\tau_k`), and ``deterrence_threshold`` in closed form, for
            this model's number of channels.
        """
        return _symbolic(self)

    # -- where the platform should go first -----------------------------------------------------
    def optimal_targeting(self, budget, cost=None) -> OptimalTargeting:
        r"""The channel transparencies :math:`\tau_k \in [0, 1]` within the budget that minimise the harm.

        The budget constraint is :math:`\sum_k c_k\tau_k \le` ``budget``.

        The platform ``transparency`` stays as in the model; the model's own
        ``channel_transparency`` is replaced by the centre's choice.

        Why this is exact.  Fix a set :math:`A` of active channels.  On the region
        :math:`R_A` of targetings where the KKT conditions of :math:`A` hold --
        :math:`g_i - \kappa S_A \ge 0` for :math:`i \in A` and :math:`g_j - \kappa S_A \le 0` for
        :math:`j \notin A`, :math:`S_A = \sum_{A} g / D_a` -- the aider's optimum is
        :math:`e_A = (g_A - \kappa S_A \mathbf 1)/(1 - \kappa)` (the KKT conditions are sufficient,
        the optimum unique).  Each :math:`g_k = b_k - F_k\tau - F_k(1 - \tau)\tau_k` is affine in the
        targeting, so :math:`R_A` is a polyhedron and the harm
        :math:`h \cdot e = \sum_{i \in A} w_i g_i`, :math:`w_i = (h_i - \kappa \sum_A h / D_a)/(1 -
        \kappa)`, is affine on it.  Every targeting lies in the region of its own active set, so
        the regions cover the budget polytope and the global minimum is the least of the
        :math:`2^n` linear programmes "minimise :math:`\sum_A w_i g_i` over :math:`R_A` within the
        budget" (HiGHS).  Among the winners (harm within :attr:`OptimalTargeting.tolerance`, i.e.
        :data:`TIE_TOLERANCE` times :math:`\max(1, \text{untargeted harm})`) a second linear
        programme per winner finds the least spending with harm at most the optimum (plus
        :math:`10^{-12}` of the scale, to stay feasible under round-off); among the candidates with
        harm within the tolerance the least spending wins (the first found, in the order of the
        sets, on spendings within :data:`TIE_TOLERANCE` times :math:`\max(1, \text{budget})`).
        When the harm is flat along a face of the polytope several targetings tie; one vertex of
        the face is returned, deterministically.
        The reported harm is ``solve()`` at the returned targeting.  The cost is :math:`2^n` small
        linear programmes (16 for the default four channels).

        Parameters
        ----------
        budget : float
            Non-negative and finite.
        cost : array_like of length n, optional
            :math:`c_k > 0`, the cost of full transparency on channel :math:`k`; ones by default.

        Returns
        -------
        OptimalTargeting

        Raises
        ------
        ParameterError
            For a bad ``budget`` or ``cost``, or parameters holding more than one point.

        Examples
        --------
        >>> best = StrategyPortfolio().optimal_targeting(1.0)
        >>> best.harm <= best.even_harm <= best.untargeted_harm
        True
        """
        from scipy.optimize import linprog

        v = self.scalar_params("optimal_targeting")
        n = self.n
        budget_arr = validate_array("budget", budget, _NONNEG, what="a non-negative number")
        if budget_arr.ndim != 0:
            raise ParameterError("budget", budget, "[0, inf)", "one number")
        budget = float(budget_arr)
        if cost is None:
            cost = np.ones(n)
        else:
            cost = validate_array("cost", cost, Domain(0, None, low_open=True), what="a vector of length n")
            if cost.shape != (n,):
                raise ParameterError("cost", cost.tolist(), f"(0, inf), a vector of length n = {n}",
                                     f"cost has shape {cost.shape}")
        b, F, h = v["gain"], v["fine"], v["harm"]
        kappa, tau = v["substitution"], v["transparency"]

        def harm_at(targetings):
            """The centre's harm at each targeting (rows), by one solve()."""
            return np.asarray(self.with_(channel_transparency=np.atleast_2d(targetings)).solve().centre_harm)

        even = min(1.0, budget / float(cost.sum()))
        status_quo = self.with_(channel_transparency=np.zeros(n)).solve()
        untargeted = float(status_quo.centre_harm)
        marginal = (h @ np.asarray(status_quo.displacement)) / cost + 0.0
        even_harm = float(self.with_(channel_transparency=np.full(n, even)).solve().centre_harm)
        tolerance = TIE_TOLERANCE * max(1.0, untargeted)

        g0 = b - F * tau              # g_k at tau_k = 0
        slope = F * (1.0 - tau)       # -d g_k / d tau_k
        scale = max(1.0, float(np.max(np.abs(g0))), float(np.max(slope)))
        options = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}
        bounds = [(0.0, 1.0)] * n
        regions = []
        lps = 0
        for mask in _subsets(n):
            a = int(mask.sum())
            share = kappa / (1.0 + kappa * (a - 1)) if a else 0.0
            # margin_i(t) = g_i - kappa S_A = const_i + rows_i . t
            const = g0 - share * g0[mask].sum()
            rows = -np.diag(slope) + share * np.where(mask, slope, 0.0)[None, :]
            sign = np.where(mask, -1.0, 1.0)[:, None]     # A: margin >= 0; outside A: margin <= 0
            A_ub = np.vstack([sign * rows / scale, cost[None, :]])
            b_ub = np.concatenate([-sign[:, 0] * const / scale, [budget]])
            weight = np.where(mask, h, 0.0) / (1.0 - kappa)
            objective, offset = weight @ rows, float(weight @ const)
            res = linprog(objective, A_ub=A_ub, b_ub=b_ub, bounds=bounds, method="highs", options=options)
            lps += 1
            if res.status == 0:
                regions.append((objective, offset, A_ub, b_ub, _feasible(res.x, cost, budget)))
        # the LP optima, and no targeting (always feasible), evaluated by solve()
        candidates = np.array([r[-1] for r in regions] + [np.zeros(n)])
        harms = harm_at(candidates)
        best = float(np.min(harms))
        winners = [x for x, value in zip(candidates, harms, strict=True) if value <= best + tolerance]
        slack = 1e-12 * max(1.0, untargeted)  # keeps the second LP feasible at the optimum's round-off
        # least spending among the optimal targetings: one more LP per set that attains the optimum
        for (objective, offset, A_ub, b_ub, x), value in zip(regions, harms[:-1], strict=True):
            if min(float(objective @ x) + offset, value) > best + tolerance:
                continue
            res = linprog(cost, A_ub=np.vstack([A_ub, objective[None, :]]),
                          b_ub=np.concatenate([b_ub, [best + slack - offset]]), bounds=bounds, method="highs",
                          options=options)
            lps += 1
            if res.status == 0:
                winners.append(_feasible(res.x, cost, budget))
        winners = np.array(winners)
        w_harms = harm_at(winners)
        spend = winners @ cost
        ok = w_harms <= best + tolerance
        least = np.min(spend[ok])
        pick = winners[np.flatnonzero(ok & (spend <= least + TIE_TOLERANCE * max(1.0, budget)))[0]]
        at = self.with_(channel_transparency=pick).solve()  # the reported numbers are solve() at the choice
        return OptimalTargeting(method=f"exact: one linear programme per set of active channels (HiGHS), "
                                       f"{2 ** n} sets, then the least spending among the optimal",
                                targeting=pick, harm=float(at.centre_harm), spending=float(pick @ cost),
                                active=np.asarray(at.active), intensity=np.asarray(at.intensity), budget=budget,
                                cost=cost, even_targeting=even, even_harm=even_harm, untargeted_harm=untargeted,
                                marginal_harm=marginal, lps_solved=lps, tolerance=tolerance)


def _subsets(n: int):
    """Every subset of the n channels as a boolean mask: by size, then lexicographically."""
    from itertools import combinations

    for size in range(n + 1):
        for chosen in combinations(range(n), size):
            mask = np.zeros(n, dtype=bool)
            mask[list(chosen)] = True
            yield mask


def _feasible(x, cost, budget):
    """An LP solution made exactly feasible: inside [0, 1] and within the budget (a change of order 1e-10)."""
    x = np.clip(np.asarray(x, dtype=float), 0.0, 1.0)
    spent = float(x @ cost)
    if spent > budget:
        x = x * (budget / spent) if spent > 0 else np.zeros_like(x)
    return x


def _network(n: int) -> list:
    """Comparators (i, j), i < j, of Batcher's odd-even merge sort, pruned to n wires.

    Built for the next power of two; a comparator that touches a wire at or beyond n only meets a
    padding value that sorts last, so it is dropped.  Five comparators for n = 4.
    """
    size = 1
    while size < n:
        size *= 2
    pairs = []
    block = 1
    while block < size:
        k = block
        while k >= 1:
            for j in range(k % block, size - k, 2 * k):
                for i in range(min(k, size - j - k)):
                    if (i + j) // (2 * block) == (i + j + k) // (2 * block):
                        pairs.append((i + j, i + j + k))
            k //= 2
        block *= 2
    return [(i, j) for i, j in pairs if j < n]


#: Sorting networks for short vectors (row-wise minimum and maximum beat np.sort along a short axis).
_NETWORKS = {n: _network(n) for n in range(1, 9)}


def _sorted_rows(values):
    """The rows of ``values`` (n, m) sorted in decreasing order along the first axis, as a list of rows."""
    n = values.shape[0]
    if n not in _NETWORKS:
        return list(np.sort(values, axis=0)[::-1])
    rows = list(values)
    for i, j in _NETWORKS[n]:
        rows[i], rows[j] = np.maximum(rows[i], rows[j]), np.minimum(rows[i], rows[j])
    return rows


def _portfolio(b, F, h, kappa, tau, tk):
    """The solver, channels on the first axis: vector parameters (n, m), scalars (m,).

    Written to allocate few temporaries (in-place updates of its own fresh arrays): each fresh
    block-sized array costs page faults, which would otherwise dominate the arithmetic.
    """
    n = b.shape[0]
    keep = 1.0 - tau                                   # 1 - tau
    detection = tk * keep
    detection += tau                                   # p_k = tau + (1 - tau) tau_k, in [0, 1] when rounded
    net = detection * F
    np.subtract(b, net, out=net)                       # g_k = b_k - p_k F_k
    # the number of active channels a: the count of psi_a = u_a D_a - kappa C_a > 0, which form a
    # prefix of the channels sorted by g (u_1 >= ... >= u_n, C_a = u_1 + ... + u_a, D_a = 1 + kappa (a - 1))
    a = np.zeros(net.shape[1], dtype=np.intp)
    pull = np.zeros(net.shape[1])                      # kappa C_a, summed over the positive psi
    scaled = np.zeros(net.shape[1])                    # kappa C_i
    for i, u in enumerate(_sorted_rows(net)):
        step = kappa * u
        scaled = scaled + step
        positive = u * (1.0 + kappa * i) > scaled
        a += positive
        pull += step * positive
    pull /= 1.0 + kappa * (a - 1.0)                    # kappa S = kappa C_a / D_a (0 when a = 0)
    spare = 1.0 - kappa
    e = net - pull
    np.maximum(e, 0.0, out=e)
    e /= spare                                         # e_k = max(0, g_k - kappa S) / (1 - kappa)
    active = e > ACTIVE_TOLERANCE * np.maximum(np.maximum(net.max(axis=0), -net.min(axis=0)), 1.0)
    e *= active

    count = np.count_nonzero(active, axis=0)
    denom = 1.0 + kappa * (count - 1.0)               # D_a on the reported active set
    cross = kappa / (denom * spare)                    # kappa / (D_a (1 - kappa))
    push = F * keep
    push *= active                                     # F_k (1 - tau) = -d g_k / d tau_k, on A
    # d e_j / d tau_k = -push_k (delta_jk - kappa / D_a) / (1 - kappa), rows and columns on A
    displacement = active[:, None, :] * (push * cross)[None, :, :]
    push /= spare
    diagonal = displacement.reshape(n * n, -1)[:: n + 1]            # a view of the (k, k) entries
    diagonal -= push
    displacement += 0.0                                # turns the negative zeros of kappa < 0 into zeros
    room = F - F * tk                                  # F_k (1 - tau_k) = -d g_k / d tau
    uniform = 0.0 - np.einsum("km,km->m", room, active) / denom   # 0.0 - x: no negative zeros
    # deterrence: g_k <= 0 iff tau >= t_k = (b_k - F_k tau_k) / (F_k (1 - tau_k)).  Where
    # F_k (1 - tau_k) = 0 the quotient is +inf if b_k > F_k tau_k (never deterred), -inf if b_k < F_k
    # (always) and NaN if b_k = F_k tau_k (g_k = 0 at every tau), which fmax drops; t_k > 1 iff b_k > F_k.
    level = F * tk
    np.subtract(b, level, out=level)
    level /= room
    threshold = np.fmax(np.fmax.reduce(level, axis=0), 0.0)
    threshold[threshold > 1.0] = np.inf

    return {"intensity": e, "active": active, "total_evasion": e.sum(axis=0),
            "centre_harm": np.einsum("km,km->m", h, e), "aider_payoff": 0.5 * np.einsum("km,km->m", net, e),
            "detection": detection, "displacement": displacement, "uniform_effect": uniform,
            "regime": regime_codes(count == 0, count < n, default=2), "deterrence_threshold": threshold}


def _symbolic(model):
    """See :meth:`StrategyPortfolio.symbolic`."""
    from itertools import combinations

    import sympy as sp

    from ..core.symbolic import Regime, SymbolicSolution

    sym = model.symbols()
    b, F, h, tk = sym["gain"], sym["fine"], sym["harm"], sym["channel_transparency"]
    kappa, tau = sym["substitution"], sym["transparency"]
    n = len(b)
    g = [b[k] - (1 - (1 - tau) * (1 - tk[k])) * F[k] for k in range(n)]
    zero = sp.Integer(0)
    regimes = []
    deterred = {f"intensity_{k + 1}": zero for k in range(n)}
    deterred.update(total_evasion=zero, centre_harm=zero, aider_payoff=zero, uniform_effect=zero)
    deterred.update({f"displacement_{j + 1}_{k + 1}": zero for j in range(n) for k in range(n)})
    regimes.append(Regime("deterred", sp.And(*[gk <= 0 for gk in g]), deterred))
    for size in range(n, 0, -1):
        for chosen in combinations(range(n), size):
            D = 1 - kappa + kappa * size
            S = sum(g[i] for i in chosen) / D
            e = [(g[k] - kappa * S) / (1 - kappa) if k in chosen else zero for k in range(n)]
            condition = sp.And(*[g[i] - kappa * S > 0 for i in chosen],
                               *[g[j] - kappa * S <= 0 for j in range(n) if j not in chosen])
            outputs = {f"intensity_{k + 1}": e[k] for k in range(n)}
            outputs["total_evasion"] = sum(e)
            outputs["centre_harm"] = sum(h[k] * e[k] for k in range(n))
            outputs["aider_payoff"] = (sum(g[k] * e[k] for k in range(n))
                                       - ((1 - kappa) * sum(x ** 2 for x in e) + kappa * sum(e) ** 2) / 2)
            outputs["uniform_effect"] = -sum(F[k] * (1 - tk[k]) for k in chosen) / D
            for j in range(n):
                for k in range(n):
                    entry = (-F[k] * (1 - tau) * (int(j == k) - kappa / D) / (1 - kappa)
                             if j in chosen and k in chosen else zero)
                    outputs[f"displacement_{j + 1}_{k + 1}"] = entry
            kind = "full" if size == n else "partial"
            regimes.append(Regime(f"{kind}: active " + ",".join(str(k + 1) for k in chosen), condition, outputs))
    levels = [sp.Piecewise((sp.oo, F[k] - b[k] < 0), (0, sp.Eq(F[k] * (1 - tk[k]), 0)),
                           ((b[k] - F[k] * tk[k]) / (F[k] * (1 - tk[k])), True)) for k in range(n)]
    threshold = sp.Max(0, *levels)
    notes = ["K = (1 - kappa) I + kappa 11' is positive definite: -1/(n-1) < kappa < 1",
             "g_k = b_k - (1 - (1 - tau)(1 - tau_c_k)) F_k; the active channels are the top ones by g",
             "displacement_j_k = d intensity_j / d tau_c_k with the active set held fixed"]
    return SymbolicSolution(model=model.name, symbols=sym, regimes=regimes,
                            thresholds={"deterrence_threshold": threshold}, notes=notes)
