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

__all__ = ["ContractingStage", "OptimalTransparency", "STAGE_MODELS"]

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
    def _build_submodels(values: dict) -> dict:
        out = {}
        for cls in STAGE_MODELS:
            own = {p.name: values[f"{cls.name}{SEPARATOR}{p.name}"]
                   for p in cls.parameters if p.name != "transparency"}
            try:
                # the stage validated every value already: only the sub-model's own cross-checks run
                out[cls.name] = cls.from_validated(dict(own, transparency=values["transparency"]))
            except ParameterError as exc:
                raise ParameterError(f"{cls.name}{SEPARATOR}{exc.name}", exc.value, exc.domain) from None
        return out

    def _check(self, values: dict) -> None:
        # the sub-models' own cross-parameter constraints, checked as they are built (once)
        self._submodels = self._build_submodels(values)

    def _solve(self, transparency, task_value, platform_cost, **_):
        results = {name: m.solve() for name, m in self.submodels().items()}
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

    def optimal_transparency(self, cost=None, resolution: int = 4001) -> OptimalTransparency:
        r"""The :math:`\tau \in [0, 1]` maximising :math:`W(\tau) - \kappa\tau^2/2`.

        :math:`W` is piecewise smooth with jumps where a sub-model changes regime, so the
        maximiser is located on a grid of ``resolution`` points (one vectorised solve) and then
        refined by bounded scalar maximisation in the grid cells on either side of the best
        grid points. Ties go to the least transparency.

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
        grid = np.linspace(0.0, 1.0, int(resolution))
        totals = np.asarray(self.with_(transparency=grid).solve().centre_total, dtype=float)
        net = totals - kappa * grid**2 / 2

        def total_at(t):
            return float(self.with_(transparency=float(t)).solve().centre_total)

        best_t, best_net = float(grid[np.argmax(net)]), float(np.max(net))
        step = grid[1] - grid[0]
        for i in np.argsort(-net)[:5]:
            lo, hi = max(0.0, grid[i] - step), min(1.0, grid[i] + step)
            res = minimize_scalar(lambda t: -(total_at(t) - kappa * t * t / 2), bounds=(lo, hi),
                                  method="bounded", options={"xatol": 1e-10})
            if -res.fun > best_net + 1e-12:
                best_t, best_net = float(res.x), float(-res.fun)
        return OptimalTransparency(transparency=best_t, centre_total=total_at(best_t), net_value=best_net,
                                   platform_cost=kappa, value_without=float(totals[0]))
