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
:math:`\tau` (it can rise where the weak quota is heavily distorted).  ``threshold_transparency`` :math:`= \Delta\theta q_w^{FB} / (\Delta\theta q_w^{FB} + F)`
(0 when :math:`q_w^{FB} = 0`; 1 when :math:`F = 0 < q_w^{FB}`: without a penalty only full
transparency removes the rent).  A strong aider facing the first-best menu gains
:math:`(1-\tau)\Delta\theta q_w^{FB} - \tau F` by pleading poverty (``naive_pleading_gain``).

Domains: :math:`a \ge 0`, :math:`b > 0`, :math:`0 \le \theta_s < \theta_w`,
:math:`\nu \in (0, 1)` (open: at :math:`\nu = 0` the strong menu and at :math:`\nu = 1` the
weak menu would be indeterminate), :math:`\tau \in [0, 1]`, :math:`F \ge 0`.

Reference for pleading poverty
------------------------------
Laffont, J.-J. and Martimort, D. (2002), *The Theory of Incentives: The Principal-Agent
Model*, Princeton University Press, ch. 2 (screening with two types).
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from ..core.params import Domain, Parameter, ParameterError, broadcast_parameters
from ..core.symbolic import Regime, SymbolicSolution
from . import register
from .base import Model, Output

__all__ = ["PleadingPoverty", "REGIMES", "numeric_menu"]

#: Regime labels, indexed by the integer codes used inside :meth:`PleadingPoverty._solve`.
REGIMES = ("information_rent", "zero_rent_distorted", "first_best", "shutdown")
_REGIME_LABELS = np.array(REGIMES)
# The labels as rows of UCS-4 code points: gathering rows is faster than gathering strings.
_LABEL_CODEPOINTS = _REGIME_LABELS.view(np.uint32).reshape(len(REGIMES), -1)


def _regime_labels(code: np.ndarray) -> np.ndarray:
    """The regime names (a numpy string array) for integer codes indexing :data:`REGIMES`."""
    return np.take(_LABEL_CODEPOINTS, code, axis=0).view(_REGIME_LABELS.dtype).reshape(code.shape)


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
        Output("regime", "information_rent, zero_rent_distorted, first_best or shutdown", "regime"),
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
            raise ParameterError("cost_weak", value, f"(cost_strong, inf) = ({strong!r}, inf)",
                                 "the weak type's marginal cost must exceed the strong type's")

    def _solve(self, value_intercept, value_curvature, cost_strong, cost_weak, prob_strong, transparency,
               penalty) -> dict:
        shape = np.shape(value_intercept)
        # Work on 1-d arrays so that the in-place operations below apply to 0-d input too.
        a, b, theta_s, theta_w, nu, tau, F = (np.reshape(x, (-1,)) for x in (
            value_intercept, value_curvature, cost_strong, cost_weak, prob_strong, transparency, penalty))
        mul, sub, maximum = np.multiply, np.subtract, np.maximum
        # The only divisions by zero are tau F / k at tau = 1 and 0/0 in the threshold when nothing
        # is at stake; both are resolved explicitly below (fmin/fmax and the first-best override).
        with np.errstate(divide="ignore", invalid="ignore"):
            # Efficient quotas: S'(q) = theta, clipped at 0.
            margin_s = a - theta_s
            maximum(margin_s, 0.0, out=margin_s)
            quota_strong = margin_s / b
            margin_w = a - theta_w
            positive_w = maximum(margin_w, 0.0)
            quota_fb = positive_w / b
            weak = 1.0 - nu
            # first-best welfare: [nu (a - theta_s)^+ q_s + (1 - nu) (a - theta_w)^+ q_w^FB] / 2
            first_best_welfare = mul(nu, margin_s, out=margin_s)
            first_best_welfare *= quota_strong
            positive_w *= quota_fb
            positive_w *= weak
            first_best_welfare += positive_w
            first_best_welfare *= 0.5

            dtheta = theta_w - theta_s
            marginal_rent = 1.0 - tau                  # k = (1 - tau) dtheta: rent per unit of weak quota
            marginal_rent *= dtheta
            deterrent = tau * F                        # expected penalty of a false claim
            naive_gain = marginal_rent * quota_fb
            naive_gain -= deterrent
            first_best = naive_gain <= 0.0
            # Interior second best: (1 - nu)(a - b q - theta_w) = nu k.
            quota_sb = np.divide(nu, weak)
            quota_sb *= marginal_rent
            sub(margin_w, quota_sb, out=quota_sb)
            maximum(quota_sb, 0.0, out=quota_sb)
            quota_sb /= b
            rent = mul(marginal_rent, quota_sb, out=margin_w)
            rent -= deterrent
            information_rent = rent > 0.0
            maximum(rent, 0.0, out=rent)
            # q_w = min(q^FB, max(q^SB, tau F / k)); at k = 0 the kink is inf or nan (tau F = 0), and
            # fmax ignores nan. Then q_w is set to exactly q^FB in the first best: where it is
            # first best q_w equals q^FB up to rounding, so the difference added is exact.
            quota_weak = np.divide(deterrent, marginal_rent, out=positive_w)
            np.fmax(quota_sb, quota_weak, out=quota_weak)
            np.fmin(quota_weak, quota_fb, out=quota_weak)
            gap = sub(quota_fb, quota_weak, out=quota_sb)
            gap *= first_best
            quota_weak += gap

            # Regime codes without masked writes: info 0, kink 1, first best 2, shutdown 3.
            shutdown = quota_weak <= 0.0
            shutdown &= ~first_best
            code = np.logical_not(information_rent).view(np.int8)
            code += first_best.view(np.int8)
            code += shutdown.view(np.int8)
            code += shutdown.view(np.int8)

            # Welfare loss = nu rent + (1 - nu) b/2 (q_w^FB - q_w)^2 (the weak surplus is quadratic).
            welfare_loss = sub(quota_fb, quota_weak, out=gap)
            welfare_loss *= welfare_loss
            welfare_loss *= b
            welfare_loss *= weak
            welfare_loss *= 0.5
            welfare_loss += mul(nu, rent, out=deterrent)    # deterrent is no longer needed
            centre_welfare = first_best_welfare - welfare_loss
            at_stake = mul(dtheta, quota_fb, out=dtheta)   # dtheta q_w^FB: the rent a naive menu leaves
            threshold = np.add(at_stake, F, out=marginal_rent)
            np.divide(at_stake, threshold, out=threshold)
            np.fmax(threshold, 0.0, out=threshold)      # 0/0 (nothing at stake, F = 0) -> 0
            transfer_strong = theta_s * quota_strong
            transfer_strong += rent
            expected_quota = mul(weak, quota_weak, out=weak)
            expected_quota += mul(nu, quota_strong, out=deterrent)
        out = {
            "quota_strong": quota_strong,
            "quota_weak": quota_weak,
            "quota_weak_first_best": quota_fb,
            "transfer_strong": transfer_strong,
            "transfer_weak": theta_w * quota_weak,
            "rent_strong": rent,
            "centre_welfare": centre_welfare,
            "first_best_welfare": first_best_welfare,
            "welfare_loss": welfare_loss,
            "expected_quota": expected_quota,
            "regime": _regime_labels(code),
            "threshold_transparency": threshold,
            "naive_pleading_gain": naive_gain,
            "pleads_poverty_if_naive": ~first_best,
        }
        return {k: v.reshape(shape) for k, v in out.items()}

    def symbolic(self) -> SymbolicSolution:
        """The optimal menu in closed form, regime by regime (derived in ``proofs/proposition_1.py``)."""
        a, b, theta_s, theta_w, nu, tau, F = sp.symbols("a b theta_s theta_w nu tau F", real=True)
        symbols = dict(zip([p.name for p in self.parameters], (a, b, theta_s, theta_w, nu, tau, F)))
        dtheta = theta_w - theta_s
        k = (1 - tau) * dtheta
        q_s = sp.Max(0, a - theta_s) / b
        q_fb = sp.Max(0, a - theta_w) / b
        q_sb = sp.Max(0, a - theta_w - nu / (1 - nu) * k) / b
        # tau F >= 0; Max(0, .) keeps the lambdified kink a numpy division (no ZeroDivisionError at tau = 1
        # for Python floats, where the first_best regime applies anyway).
        kink = sp.Max(0, tau * F) / k
        fb_welfare = nu * q_s * sp.Max(0, a - theta_s) / 2 + (1 - nu) * b * q_fb ** 2 / 2
        threshold = sp.Piecewise((0, sp.Le(dtheta * q_fb, 0)), (dtheta * q_fb / (dtheta * q_fb + F), True))
        gain = k * q_fb - tau * F

        def outputs(q_w, rent):
            loss = nu * rent + (1 - nu) * b * (q_fb - q_w) ** 2 / 2
            return {
                "quota_strong": q_s, "quota_weak": q_w, "quota_weak_first_best": q_fb,
                "transfer_strong": theta_s * q_s + rent, "transfer_weak": theta_w * q_w,
                "rent_strong": rent, "centre_welfare": fb_welfare - loss,
                "first_best_welfare": fb_welfare, "welfare_loss": loss,
                "expected_quota": nu * q_s + (1 - nu) * q_w,
                "naive_pleading_gain": gain,
            }

        regimes = [
            Regime("first_best", sp.Le(k * q_fb, tau * F), outputs(q_fb, sp.Integer(0))),
            Regime("information_rent", sp.Gt(k * q_sb, tau * F), outputs(q_sb, k * q_sb - tau * F)),
            Regime("zero_rent_distorted",
                   sp.And(sp.Gt(tau * F, 0), sp.Gt(k * q_fb, tau * F), sp.Le(k * q_sb, tau * F)),
                   outputs(kink, sp.Integer(0))),
            Regime("shutdown",
                   sp.And(sp.Eq(tau * F, 0), sp.Gt(k * q_fb, 0), sp.Le(k * q_sb, 0)),
                   outputs(sp.Integer(0), sp.Integer(0))),
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
        return nu * (a * qs - 0.5 * b * qs * qs - Ts) + (1 - nu) * (a * qw - 0.5 * b * qw * qw - Tw)

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
