r"""The contracting stage (发包环节) as a whole: the four models under one transparency level.

The contracting stage as one model
----------------------------------
The aider's combined strategies (组合策略) are the four models of this package, each with its own
parameters, played under one shared level of digital transparency :math:`\tau \in [0, 1]`:

* ``pleading-poverty`` (装穷叫苦, screening): the centre's welfare :math:`W_1(\tau)`;
* ``poverty-bargaining`` (bargaining on claimed costs): the centre's payoff :math:`W_2(\tau)`;
* ``task-pushdown`` (向下转移任务压力 / 反向避责): the pushed-down task is completed with probability
  :math:`\pi(\tau)`, worth :math:`V` = ``task_value`` to the centre;
* ``joint-blame`` (联合避责): the centre's expected loss :math:`L_4(\tau)`.

The centre's total is :math:`W(\tau) = W_1 + W_2 + V\,\pi - L_4`. A platform of strength
:math:`\tau` costs :math:`\kappa\tau^2/2` (:math:`\kappa` = ``platform_cost``), so the optimal
transparency maximises :math:`W(\tau) - \kappa\tau^2/2` on [0, 1].

Parameters of the sub-models keep their own names behind the model's name, e.g.
``"joint-blame.penalty_aider"`` (pass them as ``ContractingStage(**{"joint-blame.penalty_aider": 5})``
or on the command line as ``--set joint-blame.penalty_aider=5``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from ..core.params import Domain, Parameter, ParameterError
from . import register
from .base import Model, Output
from .contracting_stage_story import STORY

# (imported in the paper's order of the strategies, which is the registry's order)
from .pleading_poverty import PleadingPoverty  # isort: skip
from .poverty_bargaining import PovertyBargaining  # isort: skip
from .task_pushdown import TaskPushdown  # isort: skip
from .joint_blame import JointBlame  # isort: skip

__all__ = ["ContractingStage", "OptimalTransparency", "STAGE_MODELS", "TIE_TOLERANCE"]

#: Net values of the platform within this fraction of ``max(1, |net value|)`` are tied in
#: :meth:`ContractingStage.optimal_transparency` (the least transparency among them wins).
TIE_TOLERANCE = 1e-12

#: The sub-models, in the order of the paper's strategies.
STAGE_MODELS = (PleadingPoverty, PovertyBargaining, TaskPushdown, JointBlame)
SEPARATOR = "."


def _field(model_name: str) -> str:
    return model_name.replace("-", "_")


def _namespaced_parameters() -> tuple:
    out = []
    for cls in STAGE_MODELS:
        for p in cls.parameters:
            if p.name == "transparency":
                continue
            # every other property (domain, optional, vector, shares) is the sub-model's own
            out.append(replace(p, name=f"{cls.name}{SEPARATOR}{p.name}", meaning=f"{cls.name}: {p.meaning}"))
    return tuple(out)


@dataclass(frozen=True)
class OptimalTransparency:
    """The transparency that maximises the centre's total net of the platform's cost.

    Attributes
    ----------
    transparency : float
        The maximiser :math:`\\tau^*` (least one on ties).
    centre_total : float
        :math:`W(\\tau^*)`.
    net_value : float
        :math:`W(\\tau^*) - \\kappa \\tau^{*2}/2`.
    platform_cost : float
        :math:`\\kappa`.
    value_without : float
        :math:`W(0)`, the status quo.
    """

    transparency: float
    centre_total: float
    net_value: float
    platform_cost: float
    value_without: float

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@register
class ContractingStage(Model):
    """The four contracting-stage models under one transparency level (see module docstring)."""

    name = "contracting-stage"
    blockwise = False  # its outputs are the sub-models' own results
    title = "The contracting link: all four strategies under one transparency level"
    chinese_title = "发包环节的组合策略"
    summary = ("Pleading poverty, bargaining on claimed costs, pushing tasks down with reverse "
               "blame-avoidance, and joint blame-avoidance, solved together; the centre's totals "
               "show what digital transparency buys.")
    transparency_channel = "each sub-model's own channel, at one shared level"
    story = STORY
    parameters = (
        Parameter("transparency", "tau", 0.0, Domain(0, 1), "strength of digital empowerment", "数字技术赋能"),
        Parameter("task_value", "V", 5.0, Domain(0, None),
                  "the centre's value of completing the pushed-down task", "任务落实"),
        Parameter("platform_cost", "kappa", 4.0, Domain(0, None),
                  "cost scale of the digital platform: kappa * tau**2 / 2", "数字平台成本"),
    ) + _namespaced_parameters()
    outputs = tuple(Output(_field(cls.name), f"the {cls.name} equilibrium", kind="object")
                    for cls in STAGE_MODELS) + (
        Output("information_rent", "the strong aider's information rent (pleading-poverty rent_strong)"),
        Output("quota_shortfall", "expected shortfall of the bargained quota (poverty-bargaining)"),
        Output("completion_probability", "probability that the pushed-down task is completed (task-pushdown)"),
        Output("collusion_rate", "probability of falsifying a bad evaluation (joint-blame)"),
        Output("centre_welfare_screening", "the centre's welfare in pleading-poverty"),
        Output("centre_payoff_bargaining", "the centre's expected payoff in poverty-bargaining"),
        Output("centre_value_pushdown", "task_value times the completion probability"),
        Output("centre_loss_collusion", "the centre's expected loss in joint-blame"),
        Output("centre_total", "the centre's total: the three gains minus the collusion loss"),
    )

    def submodels(self) -> dict:
        """Each sub-model at this stage's transparency and its own parameters (validated once)."""
        return dict(self._submodels)

    @staticmethod
    def _build_submodels(values: dict, self_given=frozenset()) -> dict:
        out = {}
        for cls in STAGE_MODELS:
            own = {p.name: values[f"{cls.name}{SEPARATOR}{p.name}"]
                   for p in cls.parameters if p.name != "transparency"}
            try:
                # the stage validated every value already: only the sub-model's own cross-checks run
                given = [p.name for p in cls.parameters if f"{cls.name}{SEPARATOR}{p.name}" in self_given]
                out[cls.name] = cls.from_validated(dict(own, transparency=values["transparency"]), given)
            except ParameterError as exc:
                raise exc.renamed(_stage_name(cls.name, exc.name)) from None
        return out

    def _check(self, values: dict) -> None:
        # the sub-models' own cross-parameter constraints, checked as they are built (once)
        self._submodels = self._build_submodels(values, self._given)

    def _solve(self, transparency, task_value, platform_cost, **_):
        results = {}
        for name, m in self.submodels().items():
            try:
                results[name] = m.solve()
            except ParameterError as exc:  # a sub-model's parameter, by the stage's name for it
                raise exc.renamed(_stage_name(name, exc.name)) from None
        pp, pb = results["pleading-poverty"], results["poverty-bargaining"]
        tp, jb = results["task-pushdown"], results["joint-blame"]
        value_pushdown = task_value * tp.completion_probability
        total = pp.centre_welfare + pb.centre_expected_payoff + value_pushdown - jb.centre_expected_loss
        fields = {_field(name): res for name, res in results.items()}
        fields.update(
            information_rent=pp.rent_strong,
            quota_shortfall=pb.expected_shortfall,
            completion_probability=tp.completion_probability,
            collusion_rate=jb.collusion_probability,
            centre_welfare_screening=pp.centre_welfare,
            centre_payoff_bargaining=pb.centre_expected_payoff,
            centre_value_pushdown=value_pushdown,
            centre_loss_collusion=jb.centre_expected_loss,
            centre_total=total,
        )
        return fields

    def value_of_transparency(self, levels=(0.0, 0.25, 0.5, 0.75, 1.0)):
        """The centre's totals against transparency: a :class:`~gametheory_aid.core.results.Comparison`."""
        return self.compare(levels)

    def breakpoints(self) -> np.ndarray:
        r"""The transparencies in [0, 1] where a sub-model may change regime or choice, sorted.

        Between two consecutive breakpoints every sub-model stays in one regime, so
        :math:`W(\tau)` is smooth there.  They are found in closed form from the sub-models'
        own thresholds:

        * ``pleading-poverty``: ``threshold_transparency`` (the first best from there on), the
          roots of the interior rent :math:`(1-\tau)\Delta\theta\, q_w^{SB}(\tau) - \tau F`
          (a quadratic in :math:`1 - \tau`) and of :math:`q_w^{SB}(\tau) = 0`;
        * ``poverty-bargaining``: ``threshold_transparency`` and the transparencies where the
          optimal overstatement :math:`m(\tau)/k(\tau)` reaches 0 or the cap :math:`x_{\max}`
          (both affine conditions in :math:`\tau`);
        * ``task-pushdown``: every payoff of an outcome is affine in :math:`\tau`, so a holder's
          choice can flip only where two of its outcome payoffs cross; of these crossings those
          where the plan changes (or differs at the crossing itself, a tie) are kept;
        * ``joint-blame``: ``deterrence_threshold``, where auditing stops paying
          (:math:`(1-\pi)(1-\tau)dL = c_a`) and where the mixed audit rate reaches 1.

        Plus 0 and 1.  Needs scalar parameters.
        """
        subs = self.submodels()
        points = [0.0, 1.0]
        results = {name: m.solve() for name, m in subs.items()}
        points += [float(results["pleading-poverty"].threshold_transparency),
                   float(results["poverty-bargaining"].threshold_transparency),
                   float(results["joint-blame"].deterrence_threshold)]
        points += _screening_breakpoints(subs["pleading-poverty"].params)
        points += _bargaining_breakpoints(subs["poverty-bargaining"])
        points += _pushdown_breakpoints(subs["task-pushdown"])
        points += _collusion_breakpoints(subs["joint-blame"].params)
        pts = np.asarray(points, dtype=float)
        return np.unique(pts[np.isfinite(pts) & (pts >= 0.0) & (pts <= 1.0)])

    def optimal_transparency(self, cost=None) -> OptimalTransparency:
        r"""The :math:`\tau \in [0, 1]` maximising :math:`W(\tau) - \kappa\tau^2/2`, least on ties.

        :math:`W` is piecewise smooth with jumps where a sub-model changes regime.  The pieces'
        ends are found in closed form (:meth:`breakpoints`); the net value is evaluated at every
        breakpoint and maximised inside every piece (bounded Brent maximisation; an inner point
        counts only where it beats both ends of its piece), and the best of these candidates
        wins.  Values within :data:`TIE_TOLERANCE` times :math:`\max(1, |W|)` are tied and the
        least transparency among them is taken: where the
        net value is flat from a breakpoint on (e.g. from the threshold at which every sub-model
        is deterred, with a free platform), the answer is that breakpoint exactly.

        Parameters
        ----------
        cost : float, optional
            :math:`\kappa`; the model's ``platform_cost`` when omitted.
        """
        from scipy.optimize import minimize_scalar

        kappa = float(self.params["platform_cost"] if cost is None else cost)
        if not np.isfinite(kappa) or kappa < 0:
            raise ParameterError("cost", kappa, "[0, inf)")
        if any(np.ndim(v) for v in self.params.values() if v is not None):
            raise ValueError("optimal_transparency needs scalar parameters")
        breaks = self.breakpoints()
        totals = np.asarray(self.with_(transparency=breaks).solve().centre_total, dtype=float)
        candidates = list(zip(breaks.tolist(), (totals - kappa * breaks ** 2 / 2).tolist(), strict=True))

        def total_at(t):
            return float(self.with_(transparency=float(t)).solve().centre_total)

        ends = [net for _, net in candidates]
        tolerance = TIE_TOLERANCE * max(1.0, max(abs(net) for net in ends))
        for i, (lo, hi) in enumerate(zip(breaks[:-1], breaks[1:], strict=True)):
            res = minimize_scalar(lambda t: -(total_at(t) - kappa * t * t / 2), bounds=(lo, hi), method="bounded",
                                  options={"xatol": 1e-12 * max(1.0, hi)})
            # an inner point only where it beats both ends of its piece: a smooth piece that is flat, or
            # rises to an end, has its best (and least on ties) at an end, which is evaluated exactly
            if -res.fun > max(ends[i], ends[i + 1]) + tolerance:
                candidates.append((float(res.x), float(-res.fun)))
        best_net = max(net for _, net in candidates)
        best_t = min(t for t, net in candidates if net >= best_net - tolerance)
        total = total_at(best_t)
        return OptimalTransparency(transparency=best_t, centre_total=total, net_value=total - kappa * best_t ** 2 / 2,
                                   platform_cost=kappa, value_without=float(totals[0]))


def _roots_in_unit(intercept, slope) -> list:
    """The root of ``intercept + slope * tau`` if it lies in (0, 1) (none where the line is flat)."""
    if slope == 0:
        return []
    root = -intercept / slope
    return [root] if 0.0 < root < 1.0 else []


def _screening_breakpoints(v: dict) -> list:
    r"""Where the pleading-poverty interior rent or the second-best weak quota changes sign."""
    a, b, theta_w = v["value_intercept"], v["value_curvature"], v["cost_weak"]
    dtheta, nu, F = theta_w - v["cost_strong"], v["prob_strong"], v["penalty"]
    ratio = nu / (1 - nu)
    margin = a - theta_w
    # q^SB = 0 iff margin = ratio (1 - tau) dtheta: 1 - tau = margin / (ratio dtheta)
    out = _roots_in_unit(margin - ratio * dtheta, ratio * dtheta)
    # with u = 1 - tau: u dtheta (margin - ratio u dtheta)/b - (1 - u) F = 0, i.e.
    # -(ratio dtheta^2 / b) u^2 + (dtheta margin / b + F) u - F = 0
    qa, qb, qc = -ratio * dtheta ** 2 / b, dtheta * margin / b + F, -F
    out += [1.0 - u for u in _quadratic_roots(qa, qb, qc) if 0.0 < 1.0 - u < 1.0]
    return out


def _quadratic_roots(qa: float, qb: float, qc: float) -> list:
    r"""The real roots of :math:`q_a u^2 + q_b u + q_c` (:math:`q_a \ne 0`), without cancellation.

    The root of larger magnitude is :math:`q / q_a` with :math:`q = -(q_b + \operatorname{sign}(q_b)
    \sqrt{\Delta})/2`, the other :math:`q_c / q` (Press et al., *Numerical Recipes*, sect. 5.6).  Where
    :math:`q_a` is tiny (a probability near 0) the first is beyond the float range: it is left out, as
    no root of that size lies in the unit interval.
    """
    qa, qb, qc = float(qa), float(qb), float(qc)
    disc = qb * qb - 4.0 * qa * qc
    if disc < 0:
        return []
    q = -0.5 * (qb + math.copysign(math.sqrt(disc), qb))
    if q == 0.0:  # qb = 0 and disc = 0: then qc = 0, the double root 0
        return [0.0]
    roots = [qc / q]
    large = q / qa  # Python floats: an overflow is inf, not an error
    if math.isfinite(large):
        roots.append(large)
    return roots


def _bargaining_breakpoints(model) -> list:
    r"""Where the poverty-bargaining optimal overstatement :math:`m/k` reaches 0 or the cap."""
    from .poverty_bargaining import largest_overstatement

    v = model.params
    a, b, theta, beta, rate = v["value_intercept"], v["value_curvature"], v["true_cost"], v["bargaining_power"], \
        v["penalty_rate"]
    x_max = float(largest_overstatement(a, b, theta, v["max_claim"], v["disagreement_centre"],
                                        v["disagreement_aider"], maximum=max, minimum=min, sqrt=np.sqrt))
    stake = (1 - beta) * (a - theta)
    # m(tau) = (1 - tau) stake - tau rate b; k(tau) = (1 - tau)(2 - beta): m = c k is affine in tau
    out = []
    for cap in (0.0, x_max):
        out += _roots_in_unit(stake - (2 - beta) * cap, -stake - rate * b + (2 - beta) * cap)
    return out


def _pushdown_breakpoints(model) -> list:
    """Where two outcome payoffs of the holder of a round cross (each payoff is affine in tau)."""
    from .task_pushdown import acting_payoffs, decay_powers, effective_success, lapse_payoffs, sticky_share

    v = model.params
    rounds = v["rounds"]

    def payoffs(tau):  # (T + 1, 2): the outcome of acting at round m, then the lapse
        credit, cost = (v["credit_upper"], v["credit_lower"]), (v["cost_upper"], v["cost_lower"])
        blame = (v["blame_upper"], v["blame_lower"])
        success = (effective_success(v["success_upper"], v["decision_support"], tau),
                   effective_success(v["success_lower"], v["decision_support"], tau))
        decay = decay_powers(v["time_decay"], rounds)
        rows = [acting_payoffs(m % 2, success[m % 2] * decay[m], credit, cost, blame, v["supervisory_share"])
                for m in range(rounds)]
        rows.append(lapse_payoffs(blame, sticky_share(v["blame_stickiness"], tau)))
        return np.array(rows, dtype=float)

    at0, at1 = payoffs(0.0), payoffs(1.0)
    holder = np.arange(rounds) % 2
    first, second = np.triu_indices(rounds + 1, 1)
    first, second = first[first < rounds], second[first < rounds]   # round k against a later outcome m
    h = holder[first]
    d0 = at0[first, h] - at0[second, h]
    d1 = at1[first, h] - at1[second, h]
    with np.errstate(divide="ignore", invalid="ignore"):
        roots = d0 / (d0 - d1)
    roots = np.unique(roots[np.isfinite(roots) & (roots > 0) & (roots < 1)])
    if roots.size == 0:
        return []
    # Most crossings involve an outcome that is not reached: keep a root only where the plan differs
    # there or on its two sides (one vectorised solve of the pushdown at the roots and between them).
    ends = np.concatenate([[0.0], roots, [1.0]])
    mids = 0.5 * (ends[:-1] + ends[1:])
    plans = model.with_(transparency=np.concatenate([roots, mids])).solve().plan
    at, side = plans[:roots.size], plans[roots.size:]
    left, right = side[:-1], side[1:]
    keep = np.any(at != left, axis=-1) | np.any(right != left, axis=-1)
    return roots[keep].tolist()


def _collusion_breakpoints(v: dict) -> list:
    """Where auditing stops paying, and where the mixed audit rate reaches 1, in joint-blame."""
    from .joint_blame import detection_cutoff

    pi, d, loss, c_a = v["prob_good"], v["audit_detection"], v["centre_loss"], v["audit_cost"]
    cutoff = float(detection_cutoff(v["reward_aider"], v["reward_recipient"], v["penalty_aider"],
                                    v["penalty_recipient"], v["transfer_efficiency"], v["whistleblower_reward"]))
    # G(1) = (1 - pi)(1 - tau) d L - c_a = 0; a* = (P* - tau)/((1 - tau) d) = 1 at tau (1 - d) = P* - d
    out = _roots_in_unit((1 - pi) * d * loss - c_a, -(1 - pi) * d * loss)
    out += _roots_in_unit(cutoff - d, -(1 - d))
    return out


def _stage_name(part: str, name: str) -> str:
    """The stage's name for the parameter ``name`` of its sub-model ``part`` (transparency is shared)."""
    return name if name == "transparency" else f"{part}{SEPARATOR}{name}"
