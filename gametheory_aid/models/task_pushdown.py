r"""Pushing tasks down and reverse blame-avoidance: a game of hot potato.

The paper's aiding government (the *Upper*) answers the centre's task by pushing it down to its
departments or subordinate governments (向下转移任务压力, citing 时间紧、任务重); the *Lower*
answers by sticking to the rules and escalating every problem upward (反向避责).  Passed to and
fro, the task can fall through (任务落空).

Formal model (specification section 3)
--------------------------------------
Rounds :math:`k = 0, \dots, T-1` (:math:`T` = ``rounds``).  The holder of round :math:`k` is
:math:`h(k)` = Upper for even :math:`k` and Lower for odd :math:`k`; :math:`o` is the other
party.  The holder chooses

* **act**: it pays its cost :math:`c_h`; the task succeeds with probability
  :math:`P_h(k) = \tilde p_h \lambda^k`, where
  :math:`\tilde p_h = p_h + \rho\tau(1 - p_h)` (decision support lowers the risk of acting).
  On success each party :math:`i` gains its credit :math:`r_i`; on failure the actor bears its
  blame :math:`b_h` and the other party bears :math:`\sigma b_o`.  The game ends;
* **pass** (Upper: push down; Lower: escalate): the other party holds round :math:`k+1`.

If all :math:`T` rounds pass the task lapses and each party bears
:math:`b_i s` with the sticky share :math:`s = \varphi + \tau(1 - \varphi)` (the responsibility
grid records every pass).  Expected payoffs of acting at round :math:`k` (:math:`P = P_h(k)`)
and of the lapse:

.. math::

    A_h(k) = P (r_h + b_h) - (c_h + b_h), \qquad
    O_o(k) = P (r_o + \sigma b_o) - \sigma b_o, \qquad
    L_i = -s\, b_i .

(:math:`A_h` and :math:`O_o` are affine in :math:`P`: at :math:`P = 1` they are the payoffs
of a success, :math:`r_h - c_h` and :math:`r_o`, at :math:`P = 0` those of a failure,
:math:`-b_h - c_h` and :math:`-\sigma b_o`.)

Solution: subgame-perfect equilibrium by backward induction from :math:`V(T) = L`; the holder
acts iff :math:`A_h(k) \ge V_h(k+1)` (**acts when indifferent**), and then
:math:`V(k) = (A_h(k), O_o(k))`, else :math:`V(k) = V(k+1)`.  The induction is a loop over the
:math:`T` rounds, each step vectorised over the parameter points.

Closed form of the lapse.  The task lapses iff every holder prefers the lapse to acting in every
round, :math:`\tilde p_h \lambda^k (r_h + b_h) < c_h + (1 - s) b_h` for all :math:`k`; as
:math:`\lambda \le 1` the earliest round of each party binds:

.. math::

    \text{lapse} \iff \tilde p_U (r_U + b_U) < c_U + (1-s) b_U
    \;\wedge\; \bigl(T = 1 \vee \tilde p_L \lambda (r_L + b_L) < c_L + (1-s) b_L\bigr).

Floating point.  Indifference is detected up to a bound on the rounding of the two payoffs
compared (:func:`acting_rounding`): :data:`TIE_TOLERANCE` times the size of the terms each sums
(:math:`P r_h`, :math:`c_h`, :math:`(1-P) b_h`), plus the rounding of the probability times the
stakes it multiplies.  So exact ties of the real numbers (the defaults have one) are not decided
by rounding, while a blame that a sure success never incurs blurs nothing.  A tie is judged on the holder's own
payoffs only: the other party's stakes, however large, do not make the holder indifferent
between payoffs that differ.

The module
----------
The primitives -- :func:`effective_success`, :func:`sticky_share`, :func:`decay_powers`,
:func:`acting_payoffs` and :func:`lapse_payoffs` -- are plain arithmetic, written once and used
alike by the solver (numpy arrays), :meth:`TaskPushdown.symbolic` (sympy symbols),
:meth:`TaskPushdown.to_game` (fractions) and the analyses
:meth:`TaskPushdown.accountability_response` and :meth:`TaskPushdown.optimal_pressure`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.params import Domain, Parameter, ParameterError, validate_array
from ..core.results import ModelResult
from . import register
from .base import Model, Output, regime_codes
from .task_pushdown_story import STORY

__all__ = ["TaskPushdown", "AccountabilityResponse", "OptimalPressure", "TIE_TOLERANCE", "MAX_ROUNDS",
           "SYMBOLIC_MAX_ROUNDS", "ACTORS",
           "PROBABILITY_ROUNDING", "effective_success", "sticky_share", "decay_powers", "acting_payoffs",
           "acting_rounding", "lapse_payoffs", "holder"]

#: Relative tolerance for indifference: holder h acts if acting is worse for it by at most the
#: rounding bound of the two payoffs it compares (:func:`acting_rounding`): ``TIE_TOLERANCE``
#: times the size of the terms they sum, of the holder's own stakes only.  About 18 units in the
#: last place: a sum of three rounded products of decimal inputs is off by a few.
TIE_TOLERANCE = 4e-15
#: The rounding of one product or sum of numbers in [0, 1] that makes a success probability
#: (:math:`\tilde p \lambda^k`, a share that sticks), with room to spare (about 4.5 ulps of 1)
PROBABILITY_ROUNDING = 1e-15

#: The largest number of rounds (the upper bound of the ``rounds`` domain).  The solver takes one
#: vectorised step per round and its ``plan`` output holds ``rounds`` flags per point, the game tree
#: (:meth:`TaskPushdown.to_game`) has ``2 rounds + 1`` nodes and its normal form ``2**ceil(rounds/2)``
#: strategies per party: with at most 1000 rounds a solve, an ``.efg`` export and a backward
#: induction of the tree each take well under a second, and a sweep's plan at most 1000 bytes per
#: point, while the success probability :math:`\lambda^k` of any decay below 0.97 is already below
#: 1e-13 by the last round.  Larger values are refused before anything is allocated.
MAX_ROUNDS = 1000

#: The most rounds :meth:`TaskPushdown.symbolic` builds: its backward induction in symbols keeps
#: :math:`2^T` branches, which takes a few seconds at 8 rounds and minutes at 10.
SYMBOLIC_MAX_ROUNDS = 8

#: The categories of the ``actor`` output: the parties by index (0: Upper, 1: Lower), then none.
ACTORS = ("upper", "lower", "none")
UPPER, LOWER = 0, 1

_UNIT = Domain(0, 1)
_NONNEG = Domain(0, None)


# -- the primitives ------------------------------------------------------------------------
def effective_success(success, decision_support, transparency):
    r"""Success probability when acting, :math:`\tilde p = p + \rho\tau(1 - p)`.

    The decision-support channel: prediction and simulation make acting less risky.  Pure
    arithmetic, so it serves numpy arrays, Fractions and sympy symbols alike.
    """
    support = decision_support * transparency
    return success + support * (1 - success)


def sticky_share(blame_stickiness, transparency):
    r"""Share of each party's blame that sticks on a lapse, :math:`s = \varphi + \tau(1-\varphi)`.

    The responsibility-grid channel: the grid records every pass, so diffuse blame sticks.
    """
    return blame_stickiness + transparency * (1 - blame_stickiness)


def decay_powers(time_decay, rounds: int) -> list:
    r"""The decay of success with delay, :math:`\lambda^k` for :math:`k = 0, \dots, T-1`.

    By repeated multiplication (:math:`\lambda^0` is the integer 1), so that every user of the
    primitives rounds the same way and fractions stay exact.
    """
    powers = [1]
    for _ in range(1, rounds):
        powers.append(powers[-1] * time_decay)
    return powers


def acting_payoffs(holder: int, success, credit, cost, blame, supervisory_share) -> tuple:
    r"""Expected payoffs (Upper, Lower) when party ``holder`` acts and succeeds with probability ``success``.

    The actor :math:`h`: :math:`A_h = P (r_h + b_h) - (c_h + b_h) = P r_h - c_h - (1 - P) b_h`; the
    other party :math:`o`: :math:`O_o = P (r_o + \sigma b_o) - \sigma b_o = P r_o - (1 - P)\sigma b_o`.
    At ``success`` 1 and 0 they are the payoffs of a success and of a failure.

    Parameters
    ----------
    holder : int
        The acting party, 0 (Upper) or 1 (Lower).
    success : number or array
        :math:`P`, the probability that the action succeeds.
    credit, cost, blame : pairs
        :math:`(r_U, r_L)`, :math:`(c_U, c_L)`, :math:`(b_U, b_L)`.
    supervisory_share : number or array
        :math:`\sigma`, the other party's share of its blame on a failure.
    """
    other = 1 - holder
    supervised = supervisory_share * blame[other]
    failure = 1 - success
    pay = [None, None]
    # as P r - c - (1 - P) b: a large blame that a sure success never incurs does not cancel
    pay[holder] = success * credit[holder] - cost[holder] - failure * blame[holder]
    pay[other] = success * credit[other] - failure * supervised
    return tuple(pay)


def acting_rounding(holder: int, success, credit, cost, blame, supervisory_share, steps: int) -> tuple:
    r"""Bounds (Upper, Lower) on the rounding of :func:`acting_payoffs` in floating point.

    :data:`TIE_TOLERANCE` times the size of the terms each payoff sums (:math:`|P r|`,
    :math:`|c|`, :math:`|(1-P) b|`), plus the rounding of the probability itself --
    ``steps`` roundings of numbers in [0, 1] (:data:`PROBABILITY_ROUNDING` each) -- times the
    stakes it multiplies (:math:`r + b`).
    """
    other = 1 - holder
    supervised = supervisory_share * blame[other]
    failure = 1 - success
    slack = steps * PROBABILITY_ROUNDING * abs(success)  # relative: an exact 0 or 1 stays exact
    err = [None, None]
    err[holder] = (TIE_TOLERANCE * (abs(success * credit[holder]) + abs(cost[holder]) + abs(failure * blame[holder]))
                   + slack * (abs(credit[holder]) + abs(blame[holder])))
    err[other] = (TIE_TOLERANCE * (abs(success * credit[other]) + abs(failure * supervised))
                  + slack * (abs(credit[other]) + abs(supervised)))
    return tuple(err)


def lapse_payoffs(blame, sticky) -> tuple:
    r"""Payoffs (Upper, Lower) when every round passes, :math:`L_i = -s\, b_i`."""
    return (-sticky * blame[UPPER], -sticky * blame[LOWER])


def holder(k: int) -> str:
    """The holder of round ``k``: ``"upper"`` for even, ``"lower"`` for odd rounds."""
    return ACTORS[k % 2]


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


@register
class TaskPushdown(Model):
    """Pushing tasks down and reverse blame-avoidance (spec section 3).

    Outputs (see the module docstring for the model):

    * ``plan`` -- bool array of shape ``(..., rounds)``: ``True`` means the holder of that round
      **acts** there, ``False`` that it passes, at every round (on and off the equilibrium path);
    * ``acting_round`` -- int array, the round in which the task is acted on, ``-1`` if it lapses;
    * ``actor`` -- categorical, ``"upper"``, ``"lower"`` or ``"none"`` (lapsed);
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
    story = STORY
    parameters = (
        Parameter("rounds", "T", 4, Domain(1, MAX_ROUNDS, integer=True),
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
        Output("actor", "who acts: upper, lower or none", "regime", categories=ACTORS),
        Output("completion_probability", "probability that the task is completed successfully"),
        Output("lapsed", "every round passes: the task falls through", "bool", "任务落空"),
        Output("value_upper", "the Upper's equilibrium expected payoff"),
        Output("value_lower", "the Lower's equilibrium expected payoff"),
        Output("pushed_down", "the Upper passes at round 0", "bool", "向下转移任务压力"),
        Output("escalated", "the Upper passes at round 0 and the Lower at round 1", "bool", "反向避责"),
    )

    # -- the equilibrium -------------------------------------------------------------
    def _solve(self, *, rounds, success_upper, success_lower, time_decay, cost_upper, cost_lower,
               credit_upper, credit_lower, blame_upper, blame_lower, supervisory_share,
               blame_stickiness, transparency, decision_support):
        """Backward induction from the lapse, one step per round, vectorised over the points."""
        credit = (credit_upper, credit_lower)
        cost = (cost_upper, cost_lower)
        blame = (blame_upper, blame_lower)
        success = (effective_success(success_upper, decision_support, transparency),
                   effective_success(success_lower, decision_support, transparency))
        decay = decay_powers(time_decay, rounds)

        # V(T): after the last round the task lapses
        sticky = sticky_share(blame_stickiness, transparency)
        value = lapse_payoffs(blame, sticky)
        # how far rounding may have moved each value: indifference is judged up to it, on the
        # holder's own payoffs (never the other party's stakes)
        rounding = tuple((TIE_TOLERANCE + 3 * PROBABILITY_ROUNDING) * np.abs(v) for v in value)  # s: 3 roundings
        completion = np.zeros_like(time_decay)
        acting_round = np.full(time_decay.shape, -1)
        plan = [None] * rounds
        for k in reversed(range(rounds)):
            h = k % 2  # the holder: the Upper at even rounds, the Lower at odd ones
            prob = success[h] * decay[k]
            acting = acting_payoffs(h, prob, credit, cost, blame, supervisory_share)
            # p~ takes 4 roundings, lambda^k k more, their product one
            error = acting_rounding(h, prob, credit, cost, blame, supervisory_share, steps=k + 5)
            plan[k] = act = acting[h] >= value[h] - (error[h] + rounding[h])  # acts when indifferent
            value = tuple(np.where(act, acting[i], value[i]) for i in (UPPER, LOWER))
            rounding = tuple(np.where(act, error[i], rounding[i]) for i in (UPPER, LOWER))
            completion = np.where(act, prob, completion)
            acting_round = np.where(act, k, acting_round)

        lapsed = acting_round < 0
        pushed_down = ~plan[0]
        escalated = pushed_down & ~plan[1] if rounds > 1 else np.zeros_like(pushed_down)
        return {"plan": np.stack(plan, axis=-1), "acting_round": acting_round,
                "actor": regime_codes(~lapsed & (acting_round % 2 == 0), ~lapsed),  # upper, lower, else none
                "completion_probability": completion, "lapsed": lapsed,
                "value_upper": value[UPPER], "value_lower": value[LOWER],
                "pushed_down": pushed_down, "escalated": escalated}

    def _solve_along(self, **changes) -> ModelResult:
        """The equilibrium on a new last axis along which ``changes`` vary.

        Every parameter array gets a trailing axis of length one, ``changes`` (arrays that
        broadcast against them) replace some parameters, and the model so made is solved as
        any other: the result has the broadcast shape, the new axis last.
        """
        values = {name: (v[..., None] if isinstance(v, np.ndarray) else v) for name, v in self._values.items()}
        values.update(changes)
        return type(self)(**values).solve()

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
        kappa = validate_array("scales", scales, _NONNEG).ravel()
        out = self._solve_along(blame_upper=self._values["blame_upper"][..., None] * kappa,
                                blame_lower=self._values["blame_lower"][..., None] * kappa)
        return AccountabilityResponse(kappa, out.completion_probability, out.lapsed, out.acting_round,
                                      out.actor, out.value_upper, out.value_lower)

    def _lower_outcome_lines(self):
        """The Lower's payoff in each terminal outcome as ``alpha + beta * blame_lower``.

        Outcomes: acting at round m = 0..T-1 (Upper at even m, Lower at odd m), then the lapse.
        The payoffs (:func:`acting_payoffs`, :func:`lapse_payoffs`) are affine in the Lower's
        blame: ``alpha`` is their value at ``blame_lower = 0``, ``beta`` their change from 0 to 1.
        Returns two arrays of shape ``model shape + (T + 1,)``.
        """
        v = self._values
        rounds = v["rounds"]
        success = (effective_success(v["success_upper"], v["decision_support"], v["transparency"]),
                   effective_success(v["success_lower"], v["decision_support"], v["transparency"]))
        decay = decay_powers(v["time_decay"], rounds)
        sticky = sticky_share(v["blame_stickiness"], v["transparency"])
        credit, cost = (v["credit_upper"], v["credit_lower"]), (v["cost_upper"], v["cost_lower"])

        def lower_payoffs(blame_lower):
            blame = (v["blame_upper"], blame_lower)
            pay = [acting_payoffs(k % 2, success[k % 2] * decay[k], credit, cost, blame,
                                  v["supervisory_share"])[LOWER] for k in range(rounds)]
            pay.append(lapse_payoffs(blame, sticky)[LOWER])
            return np.stack(np.broadcast_arrays(*pay), axis=-1)

        alpha = lower_payoffs(0.0)
        return alpha, lower_payoffs(1.0) - alpha

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
        :math:`r_U + c_U + 2 b_U` (which bound the size of the Upper's values, so their rounding)
        counting as tied.

        Parameters
        ----------
        max_pressure : float or array_like
            The largest blame the Upper may impose; non-negative and finite; broadcasts with
            the model's parameters.

        Returns
        -------
        OptimalPressure
        """
        top = validate_array("max_pressure", max_pressure, _NONNEG)
        alpha, beta = self._lower_outcome_lines()
        first, second = np.triu_indices(alpha.shape[-1], 1)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # non-finite roots are dropped
            roots = (alpha[..., second] - alpha[..., first]) / (beta[..., first] - beta[..., second])
        top_b = top[..., None]
        shape = np.broadcast_shapes(roots.shape[:-1], top_b.shape[:-1])
        roots = np.broadcast_to(roots, shape + roots.shape[-1:])
        top_b = np.broadcast_to(top_b, shape + (1,))
        inside = np.isfinite(roots) & (roots > 0) & (roots < top_b)
        roots = np.where(inside, roots, 0.0)
        breaks = np.sort(np.concatenate([np.zeros(shape + (1,)), top_b, roots], axis=-1), axis=-1)
        mids = 0.5 * (breaks[..., 1:] + breaks[..., :-1])
        # interleave: b0, m0, b1, m1, ..., b_n (sorted; the midpoints at odd positions)
        points = np.stack([breaks[..., :-1], mids], axis=-1).reshape(shape + (-1,))
        points = np.concatenate([points, breaks[..., -1:]], axis=-1)
        out = self._solve_along(blame_lower=points)
        value_upper = out.value_upper
        # Ties: values within TIE_TOLERANCE times the Upper's stakes (free of b_L; they bound the
        # size of its values, so their rounding) are equal, so rounding does not push the choice
        # to a larger pressure.
        v = self._values
        tolerance = TIE_TOLERANCE * (v["credit_upper"] + v["cost_upper"] + 2.0 * v["blame_upper"])
        best = value_upper.max(axis=-1)
        first_best = np.argmax(value_upper >= (best - tolerance)[..., None], axis=-1)
        at_break = first_best % 2 == 0

        def pick(a):  # the value at the least optimal point
            return np.take_along_axis(a, first_best[..., None], axis=-1)[..., 0]

        best = pick(value_upper)
        infimum = np.take_along_axis(points, (first_best - (~at_break))[..., None], axis=-1)[..., 0]
        status_quo = self.solve().value_upper
        return OptimalPressure(pressure=infimum, value=best, attained=np.asarray(at_break),
                               actor=pick(out.actor), acting_round=pick(out.acting_round),
                               completion_probability=pick(out.completion_probability),
                               lapsed=pick(out.lapsed), value_lower=pick(out.value_lower),
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
              module docstring (:math:`A_U(0) < L_U`, and :math:`A_L(1) < L_L` when
              :math:`T > 1`);
            * threshold ``paradox_threshold_transparency``: with one round, raising
              ``blame_upper`` makes acting less attractive iff :math:`\tau` is below
              :math:`(1 - p_U - \varphi)/(1 - \varphi + \rho(1 - p_U))`, which is
              :math:`\tau < (1 - \tilde p_U - \varphi)/(1 - \varphi)` solved for
              :math:`\tau` (proposition 3).

            ``rounds`` is fixed (not a symbol); ``actor`` follows from ``acting_round``.

        Raises
        ------
        ParameterError
            If ``rounds`` exceeds :data:`SYMBOLIC_MAX_ROUNDS` (the closed form has :math:`2^T`
            branches); :meth:`solve` takes up to :data:`MAX_ROUNDS`.
        """
        rounds = self._values["rounds"]
        if rounds > SYMBOLIC_MAX_ROUNDS:
            raise ParameterError("rounds", rounds, f"integer >= 1 and <= {SYMBOLIC_MAX_ROUNDS} for the closed form",
                                 f"the closed form has 2**rounds branches; solve() takes up to {MAX_ROUNDS} rounds")
        import sympy as sp

        from ..core.symbolic import Regime, SymbolicSolution

        s = {name: symbol for name, symbol in self.symbols().items() if name != "rounds"}
        credit = (s["credit_upper"], s["credit_lower"])
        cost = (s["cost_upper"], s["cost_lower"])
        blame = (s["blame_upper"], s["blame_lower"])
        success = (effective_success(s["success_upper"], s["decision_support"], s["transparency"]),
                   effective_success(s["success_lower"], s["decision_support"], s["transparency"]))
        decay = decay_powers(s["time_decay"], rounds)
        prob = [success[k % 2] * decay[k] for k in range(rounds)]
        lapse = lapse_payoffs(blame, sticky_share(s["blame_stickiness"], s["transparency"]))
        outcome = [acting_payoffs(k % 2, prob[k], credit, cost, blame, s["supervisory_share"])
                   for k in range(rounds)] + [lapse]  # index T: the lapse

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
                "completion_probability": prob[k] if k < rounds else sp.Integer(0),
                "value_upper": outcome[k][UPPER], "value_lower": outcome[k][LOWER],
            }
            regimes.append(Regime(name, on_path[k], outputs))

        # each party's earliest round binds: the holder prefers the lapse to acting there
        lapse_condition = sp.And(*[sp.StrictLessThan(outcome[k][k % 2], lapse[k % 2]) for k in range(min(rounds, 2))])
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
        return SymbolicSolution(model=self.name, symbols=s, regimes=regimes,
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
        Terminal payoffs are the primitives of the module docstring: the acting payoffs at a
        sure success, :math:`(r_h - c_h, r_o)`, and at a sure failure,
        :math:`(-b_h - c_h, -\sigma b_o)`, for actor :math:`h` and other party :math:`o`, and
        the lapse :math:`(-s b_U, -s b_L)`.

        The tree is computed in rational arithmetic, reading each parameter as the shortest
        decimal that gives its float (``0.7`` is 7/10), so that its payoffs are the decimal
        inputs' own (``r_h - c_h`` without rounding).

        Parameters
        ----------
        exact : bool, optional
            Keep the tree's numbers as fractions, so that ties of the decimal inputs are exact.
            Default: floats (each the nearest to its exact value).

        Raises
        ------
        ParameterError
            If any parameter is an array (the game is built for one parameter point).
        """
        from fractions import Fraction

        from ..core.game_tree import Chance, Decision, GameTree, Terminal

        point = self.scalar_params("to_game")
        rounds = point.pop("rounds")
        q = {name: Fraction(repr(value)) for name, value in point.items()}
        number = Fraction if exact else float
        credit = (q["credit_upper"], q["credit_lower"])
        cost = (q["cost_upper"], q["cost_lower"])
        blame = (q["blame_upper"], q["blame_lower"])
        success = (effective_success(q["success_upper"], q["decision_support"], q["transparency"]),
                   effective_success(q["success_lower"], q["decision_support"], q["transparency"]))
        decay = decay_powers(q["time_decay"], rounds)

        def terminal(payoffs, label):
            return Terminal(tuple(number(x) for x in payoffs), label=label)

        node = terminal(lapse_payoffs(blame, sticky_share(q["blame_stickiness"], q["transparency"])), "lapse")
        for k in range(rounds - 1, -1, -1):
            h = k % 2
            prob = success[h] * decay[k]
            tag = f"round {k} ({holder(k)})"
            win = acting_payoffs(h, 1, credit, cost, blame, q["supervisory_share"])  # a sure success
            fail = acting_payoffs(h, 0, credit, cost, blame, q["supervisory_share"])  # a sure failure
            chance = Chance({"success": (number(prob), terminal(win, f"{tag} success")),
                             "failure": (number(1 - prob), terminal(fail, f"{tag} failure"))},
                            label=f"{tag} acts")
            node = Decision(h, {"act": chance, "pass": node}, label=tag)
        return GameTree(node, players=("Upper", "Lower"), title=f"{self.name} ({rounds} rounds)")

    def game_solution(self) -> dict:
        """The equilibrium outputs recomputed from :meth:`to_game` by the core's backward induction.

        The tree in rational arithmetic, ``backward_induction(tie="first")`` (the holder acts
        when indifferent); the plan, the acting round, the completion probability (the success
        probability of the acting round's chance node) and the values follow from its
        subgame-perfect equilibrium.  One parameter point only.

        Returns
        -------
        dict
            ``plan``, ``acting_round``, ``completion_probability``, ``lapsed``, ``value_upper``,
            ``value_lower``, ``pushed_down`` and ``escalated``, as in :meth:`solve`.

        Raises
        ------
        ParameterError
            If any parameter is an array.
        """
        tree = self.to_game(exact=True)
        spe = tree.backward_induction(tie="first")
        labels = [f"round {k} ({holder(k)})" for k in range(self._values["rounds"])]
        plan = [spe.plan[label] == "act" for label in labels]
        acting_round = plan.index(True) if any(plan) else -1
        completion = (tree.node(labels[acting_round]).actions["act"].outcomes["success"][0]
                      if acting_round >= 0 else 0)
        pushed_down = not plan[0]
        return {"plan": np.array(plan), "acting_round": acting_round,
                "completion_probability": float(completion), "lapsed": acting_round < 0,
                "value_upper": float(spe.payoffs[UPPER]), "value_lower": float(spe.payoffs[LOWER]),
                "pushed_down": pushed_down, "escalated": pushed_down and len(plan) > 1 and not plan[1]}
