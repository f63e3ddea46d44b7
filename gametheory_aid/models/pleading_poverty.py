r"""Pleading poverty (装穷叫苦): Bayesian screening with verification.

The formal model of pleading poverty
------------------------------------
The centre (中央政府, the principal) contracts an aid task with an aiding government
(支援方政府, the agent) whose fiscal capacity is private information.

* **Types.** The aider's marginal cost of aid is :math:`\theta_s` (fiscally strong) with
  probability :math:`\nu`, or :math:`\theta_w > \theta_s` (weak) with probability
  :math:`1-\nu`; :math:`\Delta\theta = \theta_w - \theta_s`.
* **Payoffs.** The centre values a quota :math:`q \ge 0` at
  :math:`S(q) = a q - b q^2/2` and pays the transfer (compensation or credit) :math:`t`; its
  payoff is :math:`S(q) - t`.  An aider of type :math:`\theta` gets :math:`t - \theta q`.
* **Timing.** (1) The centre commits to a menu :math:`\{(q_s, t_s), (q_w, t_w)\}`; (2) the
  aider claims a type; (3) the digital platform reveals the true type with probability
  :math:`\tau` (the transparency channel: visibility of fiscal capacity and transfers); a
  detected false claim voids the contract and costs the aider :math:`F`, whose payoff is then
  :math:`-F`; (4) the task is carried out.
* **The centre's program.**

  .. math::

     \max_{q_s, q_w \ge 0,\ t_s, t_w}\ \nu\,[S(q_s) - t_s] + (1-\nu)\,[S(q_w) - t_w]

  subject to participation :math:`t_i - \theta_i q_i \ge 0` (:math:`i = s, w`) and truthful
  claims

  .. math::

     t_s - \theta_s q_s &\ge (1-\tau)(t_w - \theta_s q_w) - \tau F, \\
     t_w - \theta_w q_w &\ge (1-\tau)(t_s - \theta_w q_s) - \tau F.

The optimal menu (proposition 1, derived in ``proofs/proposition_1.py``)
------------------------------------------------------------------------
With rents :math:`U_i = t_i - \theta_i q_i`, the weak type's participation binds
(:math:`U_w = 0`) and the strong type's rent is what its truth-telling constraint demands,
:math:`U_s = \max\{0, k q_w - \tau F\}` with the *marginal rent* :math:`k = (1-\tau)\Delta\theta`.
The strong quota is efficient, :math:`q_s = (a-\theta_s)^+/b`.  Let

.. math::

   q_w^{FB} = \frac{(a-\theta_w)^+}{b}, \qquad
   q_w^{SB} = \frac{1}{b}\Big(a - \theta_w - \frac{\nu}{1-\nu} k\Big)^+, \qquad
   \bar q = \frac{\tau F}{k}\ \text{(the kink where the rent vanishes)}.

Then :math:`q_w = \min\{q_w^{FB}, \max\{q_w^{SB}, \bar q\}\}`, in four regimes:

``first_best``
    :math:`k\,q_w^{FB} \le \tau F`: the threat of detection alone keeps the strong type
    honest at the first-best menu (includes :math:`\tau = 1`, and :math:`a \le \theta_w`
    where even the first-best weak quota is 0).
``information_rent``
    :math:`k\,q_w^{SB} > \tau F`: :math:`q_w = q_w^{SB}` and the strong type earns the
    rent :math:`k q_w^{SB} - \tau F > 0`.
``zero_rent_distorted``
    otherwise, when :math:`\tau F > 0`: :math:`q_w = \bar q`, held at the kink where
    :math:`\tau F = (1-\tau)\Delta\theta\, q_w`; no rent, but a distorted weak quota.
``shutdown``
    otherwise (:math:`\tau F = 0`, :math:`a - \theta_w \le \tfrac{\nu}{1-\nu}k`,
    :math:`a > \theta_w`): the weak type is served nothing although the first best would
    serve it.

The weak type's truth-telling constraint is slack at this menu, so it solves the full
program.  The distortion :math:`q_w^{FB} - q_w` and the welfare loss fall weakly in
:math:`\tau` and :math:`F`; the rent falls weakly in :math:`F` but is only single-peaked in
:math:`\tau` (it can rise where the weak quota is heavily distorted).
``threshold_transparency`` :math:`= \Delta\theta q_w^{FB} / (\Delta\theta q_w^{FB} + F)`
(0 when :math:`q_w^{FB} = 0`; 1 when :math:`F = 0 < q_w^{FB}`: without a penalty only full
transparency removes the rent).  A strong aider facing the first-best menu gains
:math:`(1-\tau)\Delta\theta q_w^{FB} - \tau F` by pleading poverty (``naive_pleading_gain``).
The other outputs: :math:`t_s = \theta_s q_s + U_s`, :math:`t_w = \theta_w q_w`; at an efficient
quota :math:`S(q) - \theta q = b q^2/2`, so the first-best welfare is
:math:`\nu b q_s^2/2 + (1-\nu) b (q_w^{FB})^2/2` and the welfare loss is
:math:`\nu U_s + (1-\nu)\, b\, (q_w^{FB} - q_w)^2/2`.

Ties are resolved as written: the first best holds iff :math:`\tau \ge`
``threshold_transparency`` (the comparison is made in exactly this form, so that at
:math:`\tau` equal to the reported threshold the menu is the first best), and there
:math:`q_w` is exactly :math:`q_w^{FB}` and the naive gain is :math:`\le 0` (within an ulp of the
threshold it is computed in the factored form :math:`(\Delta\theta q_w^{FB} + F)(\bar\tau - \tau)`,
whose sign is that of the comparison); the rent regime needs a
strictly positive interior rent, larger than the rounding of the terms it is the difference of
(:data:`TIE_TOLERANCE`), so that a decimal tie such as :math:`\tau = 0.1, F = 75.6` at the
defaults is the kink, not a rent of :math:`10^{-15}`; outside the first best a weak quota
:math:`\le 0` is ``shutdown``.

Domains: :math:`a \ge 0`, :math:`b > 0`, :math:`0 \le \theta_s < \theta_w`,
:math:`\nu \in (0, 1)` (open: at :math:`\nu = 0` the strong menu and at :math:`\nu = 1` the
weak menu would be indeterminate), :math:`\tau \in [0, 1]`, :math:`F \ge 0`.

The module
----------
The primitives -- :func:`efficient_quota`, :func:`marginal_rent` :math:`k`,
:func:`expected_penalty` :math:`\tau F`, :func:`pleading_gain` :math:`k q_w - \tau F`,
:func:`second_best_quota`, :func:`kink_quota`, :func:`first_best_welfare`,
:func:`welfare_loss`, :func:`threshold_transparency` and the value :func:`centre_value`
:math:`S` -- are written once and used by the vectorised solver (numpy), by
:meth:`PleadingPoverty.symbolic` (sympy) and, for :math:`S`, by :func:`numeric_menu`, the
independent numerical optimum of the full program.

Reference for pleading poverty
------------------------------
Laffont, J.-J. and Martimort, D. (2002), *The Theory of Incentives: The Principal-Agent
Model*, Princeton University Press, ch. 2 (screening with two types).
"""
from __future__ import annotations

import numpy as np

from ..core.params import Domain, Parameter, ParameterError, broadcast_parameters
from . import register
from .base import Model, Output, regime_codes
from .pleading_poverty_story import STORY

__all__ = ["PleadingPoverty", "REGIMES", "TIE_TOLERANCE", "numeric_menu", "centre_value", "efficient_quota",
           "marginal_rent",
           "expected_penalty", "pleading_gain", "second_best_quota", "kink_quota", "first_best_welfare",
           "welfare_loss", "threshold_transparency"]

#: The regimes of the optimal menu; the ``regime`` output holds codes into this tuple.
REGIMES = ("information_rent", "zero_rent_distorted", "first_best", "shutdown")

#: Relative size of a rounding error: an interior rent :math:`k q_w^{SB} - \tau F` at most this
#: times the magnitudes it is computed from, :math:`k (a + \theta_w + \tfrac{\nu}{1-\nu} k)/b + \tau F`,
#: is a tie (no rent, the kink regime).  A few hundred ulps: far below any rent the model's
#: inputs can mean, far above the rounding of the few operations that compute it.
TIE_TOLERANCE = 1e-13


# -- primitives ------------------------------------------------------------------------------
# Written with operators only (and ``maximum`` where a positive part is needed), so that the
# solver (numpy arrays, ``np.maximum``) and the closed form (sympy, ``sp.Max``) share them.
def centre_value(a, b, q):
    r"""The centre's value of a quota, :math:`S(q) = a q - b q^2/2`."""
    return a * q - b * q ** 2 / 2


def efficient_quota(a, b, theta, maximum=np.maximum):
    r"""The full-information quota of a type with marginal cost :math:`\theta`: :math:`(a-\theta)^+/b`.

    It solves :math:`S'(q) = \theta`, clipped at 0.
    """
    return maximum(a - theta, 0) / b


def marginal_rent(tau, dtheta):
    r"""The rent a strong aider earns per unit of weak quota, :math:`k = (1-\tau)\Delta\theta`.

    A false claim of weakness escapes detection with probability :math:`1-\tau` and then saves
    :math:`\Delta\theta` per unit of the weak contract's quota.
    """
    return (1 - tau) * dtheta


def expected_penalty(tau, F):
    r"""The expected penalty of a false claim, :math:`\tau F`."""
    return tau * F


def pleading_gain(k, quota_weak, penalty_expected):
    r"""A strong aider's expected gain from claiming weakness: :math:`k\,q_w - \tau F`.

    Against a weak contract that leaves the weak type no rent (:math:`t_w = \theta_w q_w`),
    :math:`(1-\tau)(t_w - \theta_s q_w) - \tau F = k q_w - \tau F`.
    """
    return k * quota_weak - penalty_expected


def second_best_quota(a, b, theta_w, nu, k, maximum=np.maximum):
    r"""The interior second-best weak quota :math:`\big(a - \theta_w - \tfrac{\nu}{1-\nu} k\big)^+/b`.

    It solves :math:`(1-\nu)(S'(q_w) - \theta_w) = \nu k`: the weak surplus of one more unit
    against the strong type's rent it raises.
    """
    return maximum(a - theta_w - nu / (1 - nu) * k, 0) / b


def kink_quota(k, penalty_expected):
    r"""The weak quota at which the strong type's rent vanishes, :math:`\bar q = \tau F / k`."""
    return penalty_expected / k


def first_best_welfare(nu, b, quota_strong, quota_weak_first_best):
    r"""The centre's expected payoff under full information.

    At the efficient quota :math:`q = (a-\theta)^+/b`, :math:`S(q) - \theta q = b q^2/2`, so it
    is :math:`\nu\, b q_s^2/2 + (1-\nu)\, b (q_w^{FB})^2/2`.
    """
    return nu * (b * quota_strong ** 2 / 2) + (1 - nu) * (b * quota_weak_first_best ** 2 / 2)


def welfare_loss(nu, b, rent, quota_weak_first_best, quota_weak):
    r"""The centre's loss against the first best, :math:`\nu U_s + (1-\nu)\, b (q_w^{FB} - q_w)^2/2`.

    The strong type's rent, plus the weak surplus lost by distorting its quota (the surplus is
    quadratic around its maximum).
    """
    return nu * rent + (1 - nu) * (b * (quota_weak_first_best - quota_weak) ** 2 / 2)


def threshold_transparency(dtheta, quota_weak_first_best, F):
    r"""The least transparency giving the first best, :math:`\Delta\theta q_w^{FB}/(\Delta\theta q_w^{FB} + F)`.

    The rent a naive first-best menu leaves, :math:`\Delta\theta q_w^{FB}`, against the penalty;
    0/0 when nothing is at stake and :math:`F = 0` (the caller reads it as 0).
    """
    at_stake = dtheta * quota_weak_first_best
    return at_stake / (at_stake + F)


@register
class PleadingPoverty(Model):
    """Screening the aider's fiscal capacity, with a platform that verifies claims.

    See the module docstring for the formal model and its solution.

    Examples
    --------
    >>> from gametheory_aid import get_model
    >>> r = get_model("pleading-poverty")().solve()
    >>> str(r.regime), float(r.quota_weak), float(r.rent_strong)
    ('information_rent', 4.0, 8.0)
    """

    name = "pleading-poverty"
    title = "Pleading poverty: screening the aider's fiscal capacity with verification"
    chinese_title = "装穷叫苦"
    summary = (
        "The centre offers a menu of (quota, transfer) contracts to an aider whose fiscal capacity "
        "(marginal cost of aid) is private. A fiscally strong aider may claim to be weak to get a "
        "lighter task with a generous transfer; the centre distorts the weak quota down to limit the "
        "strong aider's information rent. The digital platform detects a false claim with probability "
        "tau, voiding the contract and costing the aider a penalty."
    )
    transparency_channel = (
        "visibility of fiscal capacity and horizontal transfers: a false claim of weakness is detected "
        "with probability tau (voided contract and penalty F)"
    )
    story = STORY
    parameters = (
        Parameter("value_intercept", "a", 10.0, Domain(0, None),
                  "centre's marginal value of the first unit of the aid task (quota), S(q) = a q - b q^2/2",
                  "支援任务"),
        Parameter("value_curvature", "b", 1.0, Domain(0, None, low_open=True),
                  "curvature of the centre's value of the quota"),
        Parameter("cost_strong", "theta_s", 2.0, Domain(0, None),
                  "marginal cost of aid of a fiscally strong aider"),
        Parameter("cost_weak", "theta_w", 4.0, Domain(0, None, low_open=True),
                  "marginal cost of aid of a fiscally weak aider (must exceed cost_strong)",
                  "财政压力"),
        Parameter("prob_strong", "nu", 0.5, Domain(0, 1, low_open=True, high_open=True),
                  "prior probability that the aider is fiscally strong"),
        Parameter("transparency", "tau", 0.0, Domain(0, 1),
                  "probability that the digital platform reveals the aider's true fiscal capacity",
                  "数字技术赋能（可视化）"),
        Parameter("penalty", "F", 2.0, Domain(0, None),
                  "penalty on an aider whose false claim is detected (its payoff is then -F)",
                  "惩罚"),
    )
    outputs = (
        Output("quota_strong", "quota assigned to the strong aider"),
        Output("quota_weak", "quota assigned to the weak aider"),
        Output("quota_weak_first_best", "weak aider's quota under full information"),
        Output("transfer_strong", "transfer (compensation or credit) to the strong aider"),
        Output("transfer_weak", "transfer (compensation or credit) to the weak aider"),
        Output("rent_strong", "strong aider's information rent", chinese="信息优势"),
        Output("centre_welfare", "centre's expected payoff at the optimal menu"),
        Output("first_best_welfare", "centre's expected payoff under full information"),
        Output("welfare_loss", "first_best_welfare - centre_welfare"),
        Output("expected_quota", "expected quota, nu q_s + (1 - nu) q_w"),
        Output("regime", "information_rent, zero_rent_distorted, first_best or shutdown", "regime",
               categories=REGIMES),
        Output("threshold_transparency", "least transparency giving the first best"),
        Output("naive_pleading_gain", "strong aider's expected gain from claiming weakness under the "
                                      "first-best menu", chinese="装穷叫苦"),
        Output("pleads_poverty_if_naive", "naive_pleading_gain > 0", "bool", chinese="装穷叫苦"),
    )

    def _check(self, values: dict) -> None:
        pair = broadcast_parameters({"cost_strong": values["cost_strong"], "cost_weak": values["cost_weak"]})
        bad = ~(pair["cost_weak"] > pair["cost_strong"])
        if np.any(bad):
            idx = np.argmax(bad) if bad.ndim else ()
            value = float(np.ravel(pair["cost_weak"])[idx]) if bad.ndim else float(pair["cost_weak"])
            strong = float(np.ravel(pair["cost_strong"])[idx]) if bad.ndim else float(pair["cost_strong"])
            reason = "the weak type's marginal cost must exceed the strong type's"
            if "cost_strong" in self._given and "cost_weak" not in self._given:  # blame what was set
                raise ParameterError("cost_strong", strong, f"[0, cost_weak) = [0, {value!r})", reason)
            raise ParameterError("cost_weak", value, f"(cost_strong, inf) = ({strong!r}, inf)", reason)

    def _solve(self, *, value_intercept, value_curvature, cost_strong, cost_weak, prob_strong, transparency,
               penalty) -> dict:
        a, b, theta_s, theta_w, nu, tau, F = (value_intercept, value_curvature, cost_strong, cost_weak,
                                              prob_strong, transparency, penalty)
        dtheta = theta_w - theta_s
        quota_strong = efficient_quota(a, b, theta_s)              # the strong quota is efficient
        quota_fb = efficient_quota(a, b, theta_w)
        k = marginal_rent(tau, dtheta)
        deterrent = expected_penalty(tau, F)

        # The first best holds iff tau >= threshold_transparency (proposition 1), decided by that very
        # comparison, so that the reported threshold is exactly the least tau the solver calls first best.
        at_stake = dtheta * quota_fb
        with np.errstate(divide="ignore", invalid="ignore"):
            threshold = np.fmax(threshold_transparency(dtheta, quota_fb, F), 0)   # 0/0 (nothing at stake) -> 0
        first_best = tau >= threshold                              # detection alone keeps the strong type honest
        # k q^FB - tau F, whose sign must be that of threshold - tau; where rounding of the difference gives
        # it the other sign (within an ulp of the threshold) it is (dtheta q^FB + F)(threshold - tau), the
        # same number in factored form, whose sign is exact
        naive_gain = pleading_gain(k, quota_fb, deterrent)
        naive_gain = np.where(first_best == (naive_gain <= 0), naive_gain, (at_stake + F) * (threshold - tau))
        quota_sb = second_best_quota(a, b, theta_w, nu, k)
        interior_rent = pleading_gain(k, quota_sb, deterrent)
        # A rent within rounding of the terms it is the difference of is a tie (no rent): e.g.
        # tau = 0.1, F = 75.6 at the defaults, where k q^SB = tau F = 7.56 exactly in decimals.
        noise = TIE_TOLERANCE * (k * (a + theta_w + nu / (1 - nu) * k) / b + deterrent)
        information_rent = ~first_best & (interior_rent > noise)
        rent = np.where(information_rent, interior_rent, 0.0)
        # q_w = min(q^FB, max(q^SB, tau F / k)); k = 0 only at tau = 1, which is first best (tau F / k is
        # then inf or nan). Where it is first best q_w is exactly q^FB, whatever the rounding of tau F / k;
        # where the rent is a tie, q^SB and the kink agree up to rounding and the kink is taken.
        with np.errstate(divide="ignore", invalid="ignore"):
            kink = kink_quota(k, deterrent)
        distorted = np.minimum(np.where(information_rent, quota_sb, np.maximum(quota_sb, kink)), quota_fb)
        quota_weak = np.where(first_best, quota_fb, distorted)
        regime = regime_codes(information_rent, ~first_best & (quota_weak > 0), first_best)   # else shutdown

        fb_welfare = first_best_welfare(nu, b, quota_strong, quota_fb)
        loss = welfare_loss(nu, b, rent, quota_fb, quota_weak)
        return {
            "quota_strong": quota_strong,
            "quota_weak": quota_weak,
            "quota_weak_first_best": quota_fb,
            "transfer_strong": theta_s * quota_strong + rent,
            "transfer_weak": theta_w * quota_weak,             # the weak type's participation binds
            "rent_strong": rent,
            "centre_welfare": fb_welfare - loss,
            "first_best_welfare": fb_welfare,
            "welfare_loss": loss,
            "expected_quota": nu * quota_strong + (1 - nu) * quota_weak,
            "regime": regime,
            "threshold_transparency": threshold,
            "naive_pleading_gain": naive_gain,
            "pleads_poverty_if_naive": ~first_best,
        }

    def symbolic(self):
        """The optimal menu in closed form, regime by regime (derived in ``proofs/proposition_1.py``).

        Returns
        -------
        SymbolicSolution
            The four regimes (in order of precedence), their outputs and ``threshold_transparency``.
        """
        import sympy as sp

        from ..core.symbolic import Regime, SymbolicSolution

        symbols = self.symbols()
        a, b, theta_s, theta_w, nu, tau, F = (symbols[p.name] for p in self.parameters)
        dtheta = theta_w - theta_s
        k = marginal_rent(tau, dtheta)
        deterrent = expected_penalty(tau, F)
        q_s = efficient_quota(a, b, theta_s, maximum=sp.Max)
        q_fb = efficient_quota(a, b, theta_w, maximum=sp.Max)
        q_sb = second_best_quota(a, b, theta_w, nu, k, maximum=sp.Max)
        # tau F >= 0; Max(0, .) keeps the lambdified kink a numpy division (no ZeroDivisionError at tau = 1
        # for Python floats, where the first_best regime applies anyway).
        kink = kink_quota(k, sp.Max(0, deterrent))
        fb_welfare = first_best_welfare(nu, b, q_s, q_fb)
        threshold = sp.Piecewise((0, sp.Le(dtheta * q_fb, 0)), (threshold_transparency(dtheta, q_fb, F), True))

        def outputs(q_w, rent):
            loss = welfare_loss(nu, b, rent, q_fb, q_w)
            return {
                "quota_strong": q_s, "quota_weak": q_w, "quota_weak_first_best": q_fb,
                "transfer_strong": theta_s * q_s + rent, "transfer_weak": theta_w * q_w,
                "rent_strong": rent, "centre_welfare": fb_welfare - loss,
                "first_best_welfare": fb_welfare, "welfare_loss": loss,
                "expected_quota": nu * q_s + (1 - nu) * q_w,
                "naive_pleading_gain": pleading_gain(k, q_fb, deterrent),
            }

        zero = sp.Integer(0)
        regimes = [
            Regime("first_best", sp.Le(k * q_fb, deterrent), outputs(q_fb, zero)),
            Regime("information_rent", sp.Gt(k * q_sb, deterrent), outputs(q_sb, pleading_gain(k, q_sb, deterrent))),
            Regime("zero_rent_distorted",
                   sp.And(sp.Gt(deterrent, 0), sp.Gt(k * q_fb, deterrent), sp.Le(k * q_sb, deterrent)),
                   outputs(kink, zero)),
            Regime("shutdown",
                   sp.And(sp.Eq(deterrent, 0), sp.Gt(k * q_fb, 0), sp.Le(k * q_sb, 0)),
                   outputs(zero, zero)),
        ]
        notes = [
            "domains: a >= 0, b > 0, 0 <= theta_s < theta_w, 0 < nu < 1, 0 <= tau <= 1, F >= 0",
            "the weak type's participation binds and its truth-telling constraint is slack",
            "first_best includes a <= theta_w (the first-best weak quota is 0) and tau = 1",
            "shutdown: the weak type is excluded although the first best would serve it (needs tau F = 0)",
            "threshold_transparency = 1 when F = 0 < q_w^FB: without a penalty only full transparency "
            "removes the rent",
        ]
        return SymbolicSolution(self.name, symbols, regimes, {"threshold_transparency": threshold}, notes)


def numeric_menu(value_intercept=10.0, value_curvature=1.0, cost_strong=2.0, cost_weak=4.0, prob_strong=0.5,
                 transparency=0.0, penalty=2.0, starts=4, seed=0) -> dict:
    """The centre's optimal menu at one parameter point, by direct numerical optimisation.

    An independent reference for the closed form: maximises the centre's expected payoff over
    menus :math:`(q_s, t_s, q_w, t_w)` subject to all four constraints (both participation and
    both truth-telling constraints, nothing relaxed) and :math:`q \\ge 0`, with SLSQP
    (``scipy.optimize.minimize``) from the origin and ``starts`` random starting menus, keeping
    the best feasible result.  The program is a concave quadratic objective under linear
    constraints, so every local optimum is global; the starts guard against a solver failure.

    Returns
    -------
    dict
        ``quota_strong``, ``transfer_strong``, ``quota_weak``, ``transfer_weak``,
        ``rent_strong`` (:math:`t_s - \\theta_s q_s`), ``rent_weak``, ``centre_welfare`` and
        ``max_violation`` (the largest constraint violation of the returned menu).
    """
    from scipy.optimize import minimize

    a, b, ts, tw, nu, tau, F = (float(value_intercept), float(value_curvature), float(cost_strong),
                                float(cost_weak), float(prob_strong), float(transparency), float(penalty))

    def welfare(x):
        qs, Ts, qw, Tw = x
        return nu * (centre_value(a, b, qs) - Ts) + (1 - nu) * (centre_value(a, b, qw) - Tw)

    def neg_welfare(x):
        return -welfare(x)

    def neg_grad(x):
        qs, _, qw, _ = x
        return -np.array([nu * (a - b * qs), -nu, (1 - nu) * (a - b * qw), -(1 - nu)])

    # Constraint rows g(x) = A x + c >= 0, in the variables (q_s, t_s, q_w, t_w).
    A = np.array([
        [-ts, 1.0, 0.0, 0.0],                                        # participation, strong
        [0.0, 0.0, -tw, 1.0],                                        # participation, weak
        [-ts, 1.0, (1 - tau) * ts, -(1 - tau)],                      # truth-telling, strong
        [(1 - tau) * tw, -(1 - tau), -tw, 1.0],                      # truth-telling, weak
    ])
    c = np.array([0.0, 0.0, tau * F, tau * F])
    cons = [{"type": "ineq", "fun": lambda x: A @ x + c, "jac": lambda x: A}]
    scale = max(a, 1.0) / b
    rng = np.random.default_rng(seed)
    x0s = [np.zeros(4)] + [np.array([rng.uniform(0, scale), rng.uniform(0, a * scale + 1),
                                     rng.uniform(0, scale), rng.uniform(0, a * scale + 1)])
                           for _ in range(starts)]
    best = None
    for x0 in x0s:
        res = minimize(neg_welfare, x0, jac=neg_grad, method="SLSQP", constraints=cons,
                       bounds=[(0, None), (None, None), (0, None), (None, None)],
                       options={"ftol": 1e-14, "maxiter": 500})
        x = res.x
        violation = max(0.0, float(-(A @ x + c).min()), float(-min(x[0], x[2])))
        if violation > 1e-8 * (1 + scale * max(a, tw)):
            continue
        if best is None or welfare(x) > welfare(best[0]):
            best = (x, violation)
    if best is None:  # pragma: no cover - SLSQP failed from every start
        raise RuntimeError("numerical optimisation found no feasible menu")
    x, violation = best
    return {"quota_strong": x[0], "transfer_strong": x[1], "quota_weak": x[2], "transfer_weak": x[3],
            "rent_strong": x[1] - ts * x[0], "rent_weak": x[3] - tw * x[2], "centre_welfare": welfare(x),
            "max_violation": violation}
