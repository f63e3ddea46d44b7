r"""Pushing tasks down and reverse blame-avoidance: a game of hot potato.

The paper's aiding government (the *Upper*) answers the centre's task by pushing it down to its
departments or subordinate governments (向下转移任务压力, citing 时间紧、任务重); the *Lower*
answers by sticking to the rules and escalating every problem upward (反向避责).  Passed to and
fro, the task can fall through (任务落空).

Formal model (specification section 3)
--------------------------------------
Rounds :math:`k = 0, \dots, T-1` (:math:`T` = ``rounds``).  The holder of round :math:`k` is
:math:`h(k)` = Upper for even :math:`k` and Lower for odd :math:`k`.  The holder chooses

* **act**: it pays its cost :math:`c_h`; the task succeeds with probability
  :math:`P_h(k) = \tilde p_h \lambda^k`, where
  :math:`\tilde p_h = p_h + \rho\tau(1 - p_h)` (decision support lowers the risk of acting).
  On success each party :math:`i` gains its credit :math:`r_i`; on failure the actor bears its
  blame :math:`b_h` and the other party :math:`o` bears :math:`\sigma b_o`.  The game ends;
* **pass** (Upper: push down; Lower: escalate): the other party holds round :math:`k+1`.

If all :math:`T` rounds pass the task lapses and each party bears
:math:`b_i s` with the sticky share :math:`s = \varphi + \tau(1 - \varphi)` (the responsibility
grid records every pass).  Expected payoffs of acting at round :math:`k` (:math:`P = P_h(k)`):

.. math::

    A_h(k) = P (r_h + b_h) - c_h - b_h, \qquad
    O_o(k) = P (r_o + \sigma b_o) - \sigma b_o, \qquad
    L_i = -s\, b_i .

Solution: subgame-perfect equilibrium by backward induction from :math:`V(T) = L`; the holder
acts iff :math:`A_h(k) \ge V_h(k+1)` (**acts when indifferent**).  The induction runs over rounds
and is vectorised over parameter points.

Closed form of the lapse.  The task lapses iff every holder prefers the lapse to acting in every
round, :math:`\tilde p_h \lambda^k (r_h + b_h) < c_h + (1 - s) b_h` for all :math:`k`; as
:math:`\lambda \le 1` the earliest round of each party binds:

.. math::

    \text{lapse} \iff \tilde p_U (r_U + b_U) < c_U + (1-s) b_U
    \;\wedge\; \bigl(T = 1 \vee \tilde p_L \lambda (r_L + b_L) < c_L + (1-s) b_L\bigr).

Floating point.  Indifference is detected with the relative tolerance :data:`TIE_TOLERANCE`
(times the sum of all credits, costs and blames), so that exact ties of the real numbers (the
defaults have one) are not decided by rounding.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.params import Domain, Parameter, ParameterError, broadcast_parameters
from . import register
from .base import Model, Output

__all__ = ["TaskPushdown", "AccountabilityResponse", "OptimalPressure", "TIE_TOLERANCE",
           "effective_success", "sticky_share"]

#: Relative tolerance for indifference: the holder acts if acting is worse by at most
#: ``TIE_TOLERANCE * (r_U + c_U + b_U + r_L + c_L + b_L)``.
TIE_TOLERANCE = 1e-12

#: Names of the actor output, indexed by (round parity, or 2 for no actor).
ACTOR_NAMES = np.array(["upper", "lower", "none"])

_UNIT = Domain(0, 1)
_NONNEG = Domain(0, None)


def effective_success(success, decision_support, transparency):
    """Success probability when acting, :math:`\tilde p = p + \rho\tau(1 - p)`.

    The decision-support channel: prediction and simulation make acting less risky.  Pure
    arithmetic, so it serves numpy arrays, Fractions and sympy symbols alike.
    """
    support = decision_support * transparency
    return success + support * (1 - success)


def sticky_share(blame_stickiness, transparency):
    """Share of each party's blame that sticks on a lapse, :math:`s = \varphi + \tau(1-\varphi)`.

    The responsibility-grid channel: the grid records every pass, so diffuse blame sticks.
    """
    return blame_stickiness + transparency * (1 - blame_stickiness)


def holder(k: int) -> str:
    """The holder of round ``k``: ``"upper"`` for even, ``"lower"`` for odd rounds."""
    return "upper" if k % 2 == 0 else "lower"


@dataclass(frozen=True)
class AccountabilityResponse:
    """The equilibrium as both blames are scaled together by each factor in ``scales``.

    Every array has the model's broadcast shape followed by one axis over ``scales``.

    Attributes
    ----------
    scales : ndarray
        The factors :math:`\\kappa` (blames :math:`\\kappa b_U`, :math:`\\kappa b_L`), 1-d.
    completion_probability : ndarray
        Probability that the task is carried out successfully, per scale.
    lapsed : ndarray of bool
        Whether the task falls through (all rounds pass), per scale.
    acting_round : ndarray of int
        The round in which the task is acted on, -1 if it lapses.
    actor : ndarray of str
        ``"upper"``, ``"lower"`` or ``"none"``.
    value_upper, value_lower : ndarray
        The parties' equilibrium expected payoffs.
    """

    scales: np.ndarray
    completion_probability: np.ndarray
    lapsed: np.ndarray
    acting_round: np.ndarray
    actor: np.ndarray
    value_upper: np.ndarray
    value_lower: np.ndarray


@dataclass(frozen=True)
class OptimalPressure:
    """The Upper's best choice of the Lower's blame before play.

    Attributes
    ----------
    pressure : ndarray
        The least optimal ``blame_lower`` in ``[0, max_pressure]``.  When the optimal set is an
        interval open at its left end (at that breakpoint the Lower's tie rule selects a worse
        outcome for the Upper) no least element exists; ``pressure`` is then the infimum and
        ``attained`` is False.
    value : ndarray
        The Upper's optimal (supremum) expected payoff.
    attained : ndarray of bool
        Whether ``value`` is attained at ``pressure``.
    actor, acting_round, completion_probability, lapsed, value_lower : ndarray
        The equilibrium at the least optimal point (at ``pressure`` when attained, otherwise
        at the midpoint of the leftmost optimal interval).
    value_upper_unpressured : ndarray
        The Upper's value at the model's own ``blame_lower`` (for comparison).
    breakpoints : ndarray
        Sorted candidate pressures, last axis: 0, ``max_pressure`` and every root in
        between of a difference of two of the Lower's outcome payoffs (duplicates possible).
    """

    pressure: np.ndarray
    value: np.ndarray
    attained: np.ndarray
    actor: np.ndarray
    acting_round: np.ndarray
    completion_probability: np.ndarray
    lapsed: np.ndarray
    value_lower: np.ndarray
    value_upper_unpressured: np.ndarray
    breakpoints: np.ndarray


def _validate_extra(name: str, value, domain: Domain) -> np.ndarray:
    """Validate an argument of an analysis method (not a model parameter)."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(name, value, str(domain), "must be a real number or array") from None
    ok = domain.mask(arr)
    if not np.all(ok):
        bad = arr[~ok].flat[0] if arr.ndim else arr.item()
        raise ParameterError(name, float(bad), str(domain))
    return arr


@register
class TaskPushdown(Model):
    """Pushing tasks down and reverse blame-avoidance (spec section 3).

    Outputs (see the module docstring for the model):

    * ``plan`` -- bool array of shape ``(..., rounds)``: ``True`` means the holder of that round
      **acts** there, ``False`` that it passes, at every round (on and off the equilibrium path);
    * ``acting_round`` -- int array, the round in which the task is acted on, ``-1`` if it lapses;
    * ``actor`` -- string array, ``"upper"``, ``"lower"`` or ``"none"`` (lapsed);
    * ``completion_probability`` -- :math:`\\tilde p_h\\lambda^k` of the acting round, 0 if lapsed;
    * ``lapsed`` -- all rounds pass (任务落空);
    * ``value_upper``, ``value_lower`` -- equilibrium expected payoffs;
    * ``pushed_down`` -- the Upper passes at round 0 (also when ``rounds`` = 1);
    * ``escalated`` -- the Upper passes at round 0 and the Lower passes at round 1
      (False when ``rounds`` = 1: there is no round 1).
    """

    name = "task-pushdown"
    title = "Pushing tasks down and reverse blame-avoidance (a game of hot potato)"
    chinese_title = "向下转移任务压力与反向避责"
    summary = (
        "The aiding government (Upper) and its lower level (Lower) alternately hold a task and "
        "either act on it (at a cost, with a success probability that decays over rounds) or pass "
        "it on; if every round passes the task lapses (任务落空) and each side bears the share of "
        "its blame that sticks. Subgame-perfect equilibrium by backward induction."
    )
    transparency_channel = (
        "the responsibility grid (责任网格) makes the blame of a lapse stick (s = φ + τ(1 − φ)); "
        "prediction and decision support raise success probabilities (p̃ = p + ρτ(1 − p))"
    )
    parameters = (
        Parameter("rounds", "T", 4, Domain(1, None, integer=True),
                  "number of rounds before the task lapses", "任务轮次"),
        Parameter("success_upper", "p_U", 0.7, _UNIT,
                  "probability that the Upper's action succeeds at round 0", "支援方政府行动成功概率"),
        Parameter("success_lower", "p_L", 0.8, _UNIT,
                  "probability that the Lower's action succeeds at round 0", "下级政府行动成功概率"),
        Parameter("time_decay", "lam", 0.85, Domain(0, 1, low_open=True),
                  "factor by which success probability falls per round of delay", "时间紧"),
        Parameter("cost_upper", "c_U", 1.0, _NONNEG, "the Upper's cost of acting", "行动成本"),
        Parameter("cost_lower", "c_L", 0.6, _NONNEG, "the Lower's cost of acting", "行动成本"),
        Parameter("credit_upper", "r_U", 2.0, _NONNEG, "the Upper's credit on success", "邀功"),
        Parameter("credit_lower", "r_L", 1.0, _NONNEG, "the Lower's credit on success", "邀功"),
        Parameter("blame_upper", "b_U", 4.0, _NONNEG,
                  "the Upper's blame when its action fails (accountability intensity)", "问责"),
        Parameter("blame_lower", "b_L", 4.0, _NONNEG,
                  "the Lower's blame when its action fails (accountability intensity)", "问责"),
        Parameter("supervisory_share", "sigma", 0.2, _UNIT,
                  "share of its blame the non-acting party bears when the other's action fails",
                  "监管责任"),
        Parameter("blame_stickiness", "phi", 0.2, _UNIT,
                  "share of blame that sticks when the task lapses and responsibility is diffuse",
                  "责任模糊"),
        Parameter("transparency", "tau", 0.0, _UNIT,
                  "strength of digital empowerment", "数字技术赋能"),
        Parameter("decision_support", "rho", 0.0, _UNIT,
                  "how far transparency's prediction and decision support close the risk of acting",
                  "预测与决策参考"),
    )
    outputs = (
        Output("plan", "act (True) or pass (False) at every round, last axis over rounds", "bool"),
        Output("acting_round", "round in which the task is acted on (-1: lapsed)", "int"),
        Output("actor", "who acts: upper, lower or none", "regime"),
        Output("completion_probability", "probability that the task is completed successfully"),
        Output("lapsed", "every round passes: the task falls through", "bool", "任务落空"),
        Output("value_upper", "the Upper's equilibrium expected payoff"),
        Output("value_lower", "the Lower's equilibrium expected payoff"),
        Output("pushed_down", "the Upper passes at round 0", "bool", "向下转移任务压力"),
        Output("escalated", "the Upper passes at round 0 and the Lower at round 1", "bool", "反向避责"),
    )

    # -- the equilibrium -------------------------------------------------------------
    def _solve(self, rounds, success_upper, success_lower, time_decay, cost_upper, cost_lower,
               credit_upper, credit_lower, blame_upper, blame_lower, supervisory_share,
               blame_stickiness, transparency, decision_support):
        """Backward induction over rounds, vectorised over parameter points."""
        shape = np.shape(success_upper)
        sticky = sticky_share(blame_stickiness, transparency)
        # per party: effective success, actor's stake (P*stake - loss), supervisor's stake
        success = (effective_success(success_upper, decision_support, transparency),
                   effective_success(success_lower, decision_support, transparency))
        stake = (credit_upper + blame_upper, credit_lower + blame_lower)
        loss = (cost_upper + blame_upper, cost_lower + blame_lower)
        side_blame = (supervisory_share * blame_upper, supervisory_share * blame_lower)
        side_stake = (credit_upper + side_blame[0], credit_lower + side_blame[1])
        tolerance = TIE_TOLERANCE * (stake[0] + loss[0] + stake[1] + loss[1])

        # success probabilities decay geometrically: lambda^k by repeated multiplication
        decay = [None] * rounds
        for k in range(1, rounds):
            decay[k] = time_decay if k == 1 else decay[k - 1] * time_decay

        # continuation values after the last round: the lapse
        value = [-sticky * blame_upper, -sticky * blame_lower]
        completion = np.zeros(shape)
        # acting round in the smallest integer type that holds it (int arithmetic is exact)
        small = np.int8 if rounds < 127 else np.int64
        acting_round = np.full(shape, -1, dtype=small)
        plan = np.empty(shape + (rounds,), dtype=bool)
        for k in range(rounds - 1, -1, -1):
            h = k % 2
            o = 1 - h
            prob = success[h] * decay[k] if k else success[h]
            own = prob * stake[h] - loss[h]
            act = own >= value[h] - tolerance
            plan[..., k] = act
            value[h] = np.where(act, own, value[h])
            value[o] = np.where(act, prob * side_stake[o] - side_blame[o], value[o])
            completion = np.where(act, prob, completion)
            acting_round += act * (k - acting_round)
        lapsed = acting_round < 0
        # -1 & 1 == 1, so lapsed points index 2 ("none")
        actor = np.take(ACTOR_NAMES, (acting_round & 1) + lapsed)
        acting_round = acting_round.astype(np.int64)
        pushed_down = ~plan[..., 0]
        escalated = pushed_down & ~plan[..., 1] if rounds > 1 else np.zeros(shape, dtype=bool)
        return {"plan": plan, "acting_round": acting_round, "actor": np.asarray(actor),
                "completion_probability": completion, "lapsed": np.asarray(lapsed),
                "value_upper": value[0], "value_lower": value[1],
                "pushed_down": np.asarray(pushed_down), "escalated": np.asarray(escalated)}

    # -- helpers ---------------------------------------------------------------------------
    def _solve_on_new_axis(self, **overrides) -> dict:
        """Solve with every array parameter given a trailing axis and ``overrides`` on it."""
        values = {k: (v[..., None] if isinstance(v, np.ndarray) else v) for k, v in self._values.items()}
        values.update(overrides)
        values = broadcast_parameters(values)
        return self._solve(**values)

    def _require_scalars(self, what: str) -> None:
        for name, v in self._values.items():
            if isinstance(v, np.ndarray) and v.ndim:
                raise ParameterError(name, f"array of shape {v.shape}", "a scalar",
                                     f"{what} needs scalar parameters")

    # -- analyses -------------------------------------------------------------------------
    def accountability_response(self, scales) -> AccountabilityResponse:
        """The equilibrium when both blames are multiplied by each factor in ``scales``.

        Parameters
        ----------
        scales : array_like
            Non-negative finite factors :math:`\\kappa`; flattened to 1-d.  The blames become
            :math:`\\kappa b_U` and :math:`\\kappa b_L` (accountability intensity).

        Returns
        -------
        AccountabilityResponse
            Arrays of shape ``model shape + (len(scales),)``.

        Raises
        ------
        ParameterError
            If a scale is negative, NaN or infinite.
        """
        kappa = _validate_extra("scales", scales, _NONNEG).ravel()
        out = self._solve_on_new_axis(blame_upper=self._values["blame_upper"][..., None] * kappa,
                                      blame_lower=self._values["blame_lower"][..., None] * kappa)
        return AccountabilityResponse(kappa, out["completion_probability"], out["lapsed"],
                                      out["acting_round"], out["actor"], out["value_upper"],
                                      out["value_lower"])

    def _lower_outcome_lines(self):
        """The Lower's payoff in each terminal outcome as ``alpha + beta * blame_lower``.

        Outcomes: acting at round m = 0..T-1 (Upper at even m, Lower at odd m), then the lapse.
        Returns two arrays of shape ``model shape + (T + 1,)``.
        """
        v = self._values
        p_up = effective_success(v["success_upper"], v["decision_support"], v["transparency"])
        p_lo = effective_success(v["success_lower"], v["decision_support"], v["transparency"])
        sticky = sticky_share(v["blame_stickiness"], v["transparency"])
        alphas, betas = [], []
        for m in range(v["rounds"]):
            if m % 2 == 0:  # the Upper acts: the Lower bears sigma * b_L on failure
                prob = p_up * v["time_decay"] ** m
                alphas.append(prob * v["credit_lower"])
                betas.append(-(1 - prob) * v["supervisory_share"])
            else:  # the Lower acts: P (r_L + b_L) - c_L - b_L
                prob = p_lo * v["time_decay"] ** m
                alphas.append(prob * v["credit_lower"] - v["cost_lower"])
                betas.append(-(1 - prob))
        alphas.append(0.0 * sticky)
        betas.append(-sticky)
        lines = np.broadcast_arrays(*alphas, *betas)
        n = len(alphas)
        return np.stack(lines[:n], axis=-1), np.stack(lines[n:], axis=-1)

    def optimal_pressure(self, max_pressure) -> OptimalPressure:
        """The Upper's choice of ``blame_lower`` in ``[0, max_pressure]`` before play.

        The Upper's payoff in every terminal outcome is free of :math:`b_L` (its own success,
        supervisory and lapse payoffs involve only :math:`b_U`), so its value is a step function
        of :math:`b_L` that changes only where one of the Lower's act/pass choices flips.  Each
        such choice compares two of the Lower's outcome payoffs, which are linear in :math:`b_L`
        (:meth:`_lower_outcome_lines`); the flips are among the roots of their pairwise
        differences.  Between consecutive roots every choice, hence the value, is constant; the
        method evaluates every root and one point inside every piece (exact up to floating
        point; no grid).  Least pressure on ties, values within :data:`TIE_TOLERANCE` times
        :math:`r_U + c_U + 2 b_U` counting as tied (as indifference does in the equilibrium).

        Parameters
        ----------
        max_pressure : float or array_like
            The largest blame the Upper may impose; non-negative and finite; broadcasts with
            the model's parameters.

        Returns
        -------
        OptimalPressure
        """
        top = _validate_extra("max_pressure", max_pressure, _NONNEG)
        alpha, beta = self._lower_outcome_lines()
        first, second = np.triu_indices(alpha.shape[-1], 1)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # non-finite roots are dropped
            roots = (alpha[..., second] - alpha[..., first]) / (beta[..., first] - beta[..., second])
        top_b = np.asarray(top)[..., None]
        shape = np.broadcast_shapes(roots.shape[:-1], top_b.shape[:-1])
        roots = np.broadcast_to(roots, shape + roots.shape[-1:])
        top_b = np.broadcast_to(top_b, shape + (1,))
        inside = np.isfinite(roots) & (roots > 0) & (roots < top_b)
        roots = np.where(inside, roots, 0.0)
        breaks = np.sort(np.concatenate([np.zeros(shape + (1,)), top_b, roots], axis=-1), axis=-1)
        mids = 0.5 * (breaks[..., 1:] + breaks[..., :-1])
        # interleave: b0, m0, b1, m1, ..., b_n (sorted, midpoints flagged)
        n = breaks.shape[-1]
        points = np.empty(shape + (2 * n - 1,))
        points[..., 0::2] = breaks
        points[..., 1::2] = mids
        out = self._solve_on_new_axis(blame_lower=points)
        value_upper = out["value_upper"]
        # Ties as in the equilibrium: values within TIE_TOLERANCE times the Upper's stakes (free
        # of b_L) are equal, so rounding does not push the choice to a larger pressure.
        p = self.params
        stakes = np.asarray(p["credit_upper"]) + p["cost_upper"] + 2.0 * np.asarray(p["blame_upper"])
        tolerance = TIE_TOLERANCE * stakes
        best = value_upper.max(axis=-1)
        first_best = np.argmax(value_upper >= (best - tolerance)[..., None], axis=-1)
        at_break = first_best % 2 == 0
        pick = lambda a: np.take_along_axis(a, first_best[..., None], axis=-1)[..., 0]  # noqa: E731
        best = pick(value_upper)
        infimum = np.take_along_axis(points, (first_best - (~at_break))[..., None], axis=-1)[..., 0]
        status_quo = self.solve().value_upper
        return OptimalPressure(pressure=infimum, value=np.asarray(best), attained=np.asarray(at_break),
                               actor=pick(out["actor"]), acting_round=pick(out["acting_round"]),
                               completion_probability=pick(out["completion_probability"]),
                               lapsed=pick(out["lapsed"]), value_lower=pick(out["value_lower"]),
                               value_upper_unpressured=np.broadcast_to(status_quo, best.shape),
                               breakpoints=breaks)

    # -- closed form -----------------------------------------------------------------------
    def symbolic(self):
        r"""The equilibrium in closed form for the model's ``rounds``.

        Backward induction in symbols.  Write :math:`U(m)` for the payoff vector of outcome
        :math:`m` (acting at round :math:`m`, or the lapse :math:`m = T`).  Every branch of the
        induction from the last round back is a list of relations, one per round; the holder
        of round :math:`k` acts iff, for the outcome :math:`m` that follows its pass,
        :math:`A_h(k) \ge U_h(m)` (ties: act).  The conditions are kept flat (disjunctions of
        conjunctions of linear-in-blame relations) so that they print and lambdify in time
        linear in their size (:math:`2^T` branches).

        Returns
        -------
        SymbolicSolution
            * regimes ``upper_acts_at_round_k`` / ``lower_acts_at_round_k`` and ``lapse`` (on
              the equilibrium path), each with ``acting_round``, ``completion_probability``,
              ``value_upper`` and ``value_lower``;
            * thresholds (conditions, lambdified to 1.0/0.0): ``acts_at_round_k`` (the holder
              of round k acts if the round is reached: the ``plan``), ``lapsed``,
              ``pushed_down``, ``escalated``, and ``lapse_condition``, the closed form of the
              module docstring;
            * threshold ``paradox_threshold_transparency``: with one round, raising
              ``blame_upper`` makes acting less attractive iff :math:`\tau` is below
              :math:`(1 - p_U - \varphi)/(1 - \varphi + \rho(1 - p_U))`, which is
              :math:`\tau < (1 - \tilde p_U - \varphi)/(1 - \varphi)` solved for
              :math:`\tau` (proposition 3).

            ``rounds`` is fixed (not a symbol); ``actor`` follows from ``acting_round``.
        """
        import sympy as sp

        from ..core.symbolic import Regime, SymbolicSolution

        names = [p.name for p in self.parameters if p.name != "rounds"]
        sym = {p.name: sp.Symbol(p.symbol, real=True, nonnegative=True)
               for p in self.parameters if p.name != "rounds"}
        sym["time_decay"] = sp.Symbol("lam", positive=True)
        s = sym
        rounds = self._values["rounds"]
        sticky = sticky_share(s["blame_stickiness"], s["transparency"])
        p_eff = [effective_success(s["success_upper"], s["decision_support"], s["transparency"]),
                 effective_success(s["success_lower"], s["decision_support"], s["transparency"])]
        cost = [s["cost_upper"], s["cost_lower"]]
        credit = [s["credit_upper"], s["credit_lower"]]
        blame = [s["blame_upper"], s["blame_lower"]]
        sigma = s["supervisory_share"]

        def prob(k):
            return p_eff[k % 2] * s["time_decay"] ** k

        def payoffs_if_act(k):
            h, o, P = k % 2, 1 - k % 2, prob(k)
            pay = [None, None]
            pay[h] = P * (credit[h] + blame[h]) - cost[h] - blame[h]
            pay[o] = P * (credit[o] + sigma * blame[o]) - sigma * blame[o]
            return pay

        lapse = [-sticky * blame[0], -sticky * blame[1]]
        outcome = [payoffs_if_act(m) for m in range(rounds)] + [lapse]  # index T: the lapse

        # Backward induction in symbols.  A branch of the induction from round k is the list
        # of each later holder's choice (as a relation between payoffs) and the outcome m it
        # leads to; the holder of round k-1 then acts iff A_h(k-1) >= U_h(m) (ties: act).
        # Keeping the 2^(T-k) branches flat (disjunctions of conjunctions) keeps the
        # expressions, their printing and lambdify linear in their size.
        branches = [([], rounds)]  # the subgame after the last round: the lapse
        acts = [None] * rounds
        for k in range(rounds - 1, -1, -1):
            h = k % 2
            acts[k] = sp.Or(*[sp.And(*conds, sp.GreaterThan(outcome[k][h], outcome[m][h]))
                              for conds, m in branches])
            branches = ([(conds + [sp.GreaterThan(outcome[k][h], outcome[m][h])], k)
                         for conds, m in branches]
                        + [(conds + [sp.StrictLessThan(outcome[k][h], outcome[m][h])], m)
                           for conds, m in branches])
        on_path = {m: sp.Or(*[sp.And(*conds) for conds, end in branches if end == m])
                   for m in range(rounds + 1)}

        regimes = []
        for k in range(rounds + 1):
            name = f"{holder(k)}_acts_at_round_{k}" if k < rounds else "lapse"
            outputs = {
                "acting_round": sp.Integer(k if k < rounds else -1),
                "completion_probability": prob(k) if k < rounds else sp.Integer(0),
                "value_upper": outcome[k][0], "value_lower": outcome[k][1],
            }
            regimes.append(Regime(name, on_path[k], outputs))

        def prefers_lapse(h, k):
            return sp.StrictLessThan(p_eff[h] * s["time_decay"] ** k * (credit[h] + blame[h]),
                                     cost[h] + (1 - sticky) * blame[h])

        lapse_condition = prefers_lapse(0, 0) if rounds == 1 else sp.And(prefers_lapse(0, 0),
                                                                         prefers_lapse(1, 1))
        thresholds = {f"acts_at_round_{k}": acts[k] for k in range(rounds)}
        # the Boolean outputs, as conditions (lambdify gives 1.0 for True)
        thresholds["lapsed"] = on_path[rounds]
        thresholds["pushed_down"] = sp.Not(acts[0])
        thresholds["escalated"] = sp.And(sp.Not(acts[0]), sp.Not(acts[1])) if rounds > 1 else sp.false
        thresholds["lapse_condition"] = lapse_condition
        p_u, phi, rho = s["success_upper"], s["blame_stickiness"], s["decision_support"]
        thresholds["paradox_threshold_transparency"] = (1 - p_u - phi) / (1 - phi + rho * (1 - p_u))
        notes = [
            f"rounds = {rounds} (fixed; rounds alternate Upper, Lower, ...)",
            "the holder acts when indifferent (A_h(k) >= V_h(k+1))",
            "s = phi + tau*(1 - phi) is the sticky share of blame on a lapse; "
            "p~_h = p_h + rho*tau*(1 - p_h)",
            "lapse_condition: the task lapses iff the Upper prefers the lapse to acting at round 0 "
            "and (rounds = 1 or) the Lower prefers it at round 1; later rounds never bind as lam <= 1",
            "one round: raising blame_upper makes acting less attractive iff "
            "tau < paradox_threshold_transparency (the accountability paradox)",
        ]
        ordered = {n: sym[n] for n in names}
        return SymbolicSolution(model=self.name, symbols=ordered, regimes=regimes,
                                thresholds=thresholds, notes=notes)

    # -- the finite game -------------------------------------------------------------------
    def to_game(self, exact: bool = False):
        r"""The model as the core's extensive-form :class:`~gametheory_aid.core.game_tree.GameTree`.

        Players ``("Upper", "Lower")``.  Round :math:`k` is a decision node labelled
        ``"round k (upper)"`` or ``"round k (lower)"`` with actions ``"act"`` (listed first, so
        ``backward_induction(tie="first")`` implements the rule that the holder acts when
        indifferent) and ``"pass"``; ``"act"`` leads to a chance node ``"round k (...) acts"``
        with outcomes ``"success"`` (probability :math:`\tilde p_h\lambda^k`) and
        ``"failure"``; if every round passes the play ends at the terminal ``"lapse"``.
        Terminal payoffs are the primitives of the module docstring: success
        :math:`(r_h - c_h, r_o)`, failure :math:`(-b_h - c_h, -\sigma b_o)` for actor
        :math:`h` and other party :math:`o`, lapse :math:`(-s b_U, -s b_L)`.

        Parameters
        ----------
        exact : bool, optional
            Build the tree in rational arithmetic, reading each parameter as the shortest
            decimal that gives its float (``0.7`` is 7/10), so that ties of the decimal
            inputs are exact.  Default: floating point.

        Raises
        ------
        ParameterError
            If any parameter is an array (the game is built for one parameter point).
        """
        from fractions import Fraction

        from ..core.game_tree import Chance, Decision, GameTree, Terminal

        self._require_scalars("to_game")
        num = (lambda x: Fraction(repr(float(x)))) if exact else float  # noqa: E731
        v = {k: (val if k == "rounds" else num(val)) for k, val in self.params.items()}
        p_eff = [effective_success(v["success_upper"], v["decision_support"], v["transparency"]),
                 effective_success(v["success_lower"], v["decision_support"], v["transparency"])]
        cost = [v["cost_upper"], v["cost_lower"]]
        credit = [v["credit_upper"], v["credit_lower"]]
        blame = [v["blame_upper"], v["blame_lower"]]
        sigma = v["supervisory_share"]
        sticky = sticky_share(v["blame_stickiness"], v["transparency"])
        rounds = v["rounds"]

        node = Terminal((-sticky * blame[0], -sticky * blame[1]), label="lapse")
        for k in range(rounds - 1, -1, -1):
            h, o = k % 2, 1 - k % 2
            prob = p_eff[h] * v["time_decay"] ** k
            win, fail = [None, None], [None, None]
            win[h], win[o] = credit[h] - cost[h], credit[o]
            fail[h], fail[o] = -blame[h] - cost[h], -sigma * blame[o]
            tag = f"round {k} ({holder(k)})"
            chance = Chance({"success": (prob, Terminal(tuple(win), label=f"{tag} success")),
                             "failure": (1 - prob, Terminal(tuple(fail), label=f"{tag} failure"))},
                            label=f"{tag} acts")
            node = Decision(h, {"act": chance, "pass": node}, label=tag)
        return GameTree(node, players=("Upper", "Lower"), title=f"{self.name} ({rounds} rounds)")
