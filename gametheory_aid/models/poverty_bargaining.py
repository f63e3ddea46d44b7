r"""Bargaining over the quota on claimed capacity (与中央政府博弈, 装穷叫苦).

The formal model
----------------
The aider's true marginal cost of aid is :math:`\theta` (``true_cost``), its private
information.  It submits a claimed cost :math:`\hat\theta \in [\theta, \bar\theta]`, where
:math:`\bar\theta` is ``max_claim`` (no bound when unset).

*Bargaining on the claim.*  The centre's value of a quota is
:math:`S(q) = a q - b q^2/2`; its utility is :math:`S(q) - t`, the aider's believed utility
:math:`t - \hat\theta q`.  The two bargain over :math:`(q, t)`, :math:`q \ge 0`, as if
:math:`\hat\theta` were true: the generalised Nash bargaining solution with the aider's power
:math:`\beta` and disagreement payoffs :math:`d_C, d_A`.  Utility is transferable, so the
solution picks the quota that maximises the claimed joint surplus and splits the gain over the
disagreement point by :math:`\beta`:

.. math::

   q(c) = \frac{(a - c)^+}{b}, \qquad W(c) = \max_{q \ge 0} S(q) - c q = \frac{((a - c)^+)^2}{2b},
   \qquad G(c) = W(c) - d_C - d_A,

the aider gets :math:`d_A + \beta G(c)` and the centre :math:`d_C + (1 - \beta) G(c)`
(transfer :math:`t = c\,q(c) + d_A + \beta G(c)`).  If :math:`G(c) < 0` there is no agreement and
both get their disagreement payoffs (at :math:`G(c) = 0` the agreement is struck; the payoffs are
the same either way).  Agreement on a claim holds iff :math:`c \le \bar c = a - \sqrt{2 b D^+}`,
:math:`D = d_C + d_A`.

*Verification.*  With probability :math:`\tau` (``transparency``; channel: verification of
fiscal data) the true cost is verified.  Verification concerns the claim, not the deal: the
parties bargain anew by the same solution at :math:`\theta` (a renegotiation of the deal, or
bargaining afresh if the claim had produced none), and an overstated claim
(:math:`\hat\theta > \theta`) costs the aider :math:`F + r(\hat\theta - \theta)`
(``penalty_fixed``, ``penalty_rate``), a sanction that nobody receives.

*The aider's problem.*  With overstatement :math:`x = \hat\theta - \theta` and agreement on the
claim, the aider's true payoff when not verified is
:math:`U(x) = d_A + \beta G(\theta + x) + x\,q(\theta + x)`, so its expected gain over honesty is

.. math::

   \Delta(x) = (1 - \tau)\,\frac{2 (1 - \beta)(a - \theta) x - (2 - \beta) x^2}{2b}
               - \tau (F + r x), \qquad x > 0,

a concave quadratic.  Its maximiser is

.. math::

   x^* = \frac{(1 - \tau)(1 - \beta)(a - \theta) - \tau r b}{(1 - \tau)(2 - \beta)},

capped by :math:`x_{\max} = \min(\bar\theta, \bar c) - \theta` (claims above :math:`\bar c`
end in disagreement and are weakly worse than the claim :math:`\bar c`; claims above
:math:`a` leave the quota at zero and only add penalty).  The aider overstates by
:math:`x^+ = \min(x^*, x_{\max})` iff :math:`x^* > 0`, :math:`x_{\max} > 0` and
:math:`\Delta(x^+) > 0`; otherwise it claims honestly (ties go to honesty).  Because of the
fixed penalty the choice is discrete: at the threshold the overstatement drops from
:math:`x^+ > 0` to zero.

*Threshold.*  Honesty holds at :math:`\tau` iff :math:`\Delta(x; \tau) \le 0` for every
feasible :math:`x > 0`; :math:`\Delta` is affine in :math:`\tau`, so this is
:math:`\tau \ge \sup_{0 < x \le x_{\max}} g(x)/(g(x) + F + r x)`, with
:math:`g(x) = (2 (1-\beta)(a-\theta) x - (2-\beta) x^2)/(2b)` the gain when not verified.  The
ratio is quasi-concave in :math:`x`; its maximiser (first-order condition
:math:`(2-\beta) r x^2/2 + (2-\beta) F x - (1-\beta)(a-\theta) F = 0`) is

.. math::

   \hat x = \frac{2 (1-\beta)(a-\theta) F}{(2-\beta)\left(F + \sqrt{F^2 + 2 (1-\beta)(a-\theta) F r/(2-\beta)}\right)},

so ``threshold_transparency`` :math:`= g(\tilde x)/(g(\tilde x) + F + r\tilde x)` with
:math:`\tilde x = \min(\hat x, x_{\max})` -- a closed form; for :math:`F = 0` it is the limit
:math:`x \to 0`, :math:`(1-\beta)(a-\theta)/((1-\beta)(a-\theta) + r b)`, and it is zero when
there is nothing to gain (:math:`\beta = 1`, :math:`\theta \ge a`, :math:`x_{\max} \le 0`).

*Outputs.*  ``efficient_quota`` is the quota the solution gives at the true cost (zero when even
the true surplus is below :math:`d_C + d_A`), which is also the quota after verification;
``expected_shortfall`` = ``efficient_quota`` - ``expected_quota``
:math:`= (1 - \tau) x / b`.  The centre's expected payoff is
:math:`d_C + (1 - \beta)\left[G(\theta)^+ - (1-\tau)(W(\theta) - W(\hat\theta))\right]`.

``rubinstein_power`` gives the aider's subgame-perfect share of Rubinstein's alternating-offers
game, a foundation for :math:`\beta`.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from ..core.params import Domain, Parameter, ParameterError
from ..core.symbolic import Regime, SymbolicSolution
from . import register
from .base import Model, Output

__all__ = ["PovertyBargaining", "rubinstein_power"]


_DISCOUNT = Domain(0, 1, high_open=True)


def rubinstein_power(delta_aider, delta_centre, first_mover="aider"):
    r"""The aider's subgame-perfect share in Rubinstein's alternating-offers game.

    Two players split a surplus of one by alternating offers, discounting each round by
    :math:`\delta_A` (aider) and :math:`\delta_C` (centre).  The unique subgame-perfect
    equilibrium (Rubinstein 1982) gives the first mover :math:`(1 - \delta_2)/(1 - \delta_1
    \delta_2)`, where player 1 moves first.  The share can serve as ``bargaining_power``.

    Parameters
    ----------
    delta_aider, delta_centre : float or array_like
        Discount factors in [0, 1); arrays broadcast.
    first_mover : {"aider", "centre"}
        Who makes the first offer.

    Returns
    -------
    numpy.ndarray
        The aider's share (0-d for scalar input).

    Raises
    ------
    ParameterError
        If a discount factor lies outside [0, 1) or ``first_mover`` is not one of the two names.
    """
    from ..core.bargaining import rubinstein_shares  # the core's alternating-offers solution

    if first_mover not in ("aider", "centre"):
        raise ParameterError("first_mover", first_mover, "{'aider', 'centre'}")
    deltas = {}
    for name, value in (("delta_aider", delta_aider), ("delta_centre", delta_centre)):
        deltas[name] = Parameter(name, name, None, _DISCOUNT, "discount factor").validate(value)
    share_aider, _ = rubinstein_shares(deltas["delta_aider"], deltas["delta_centre"],
                                       first_mover=1 if first_mover == "aider" else 2)
    return np.asarray(share_aider, dtype=float)


_REAL = Domain(None, None)
_NONNEG = Domain(0, None)
_POS = Domain(0, None, low_open=True)
_UNIT = Domain(0, 1)


@register
class PovertyBargaining(Model):
    """Bargaining over the quota on a claimed cost, with verification (see module docstring)."""

    name = "poverty-bargaining"
    title = "Bargaining over the quota on claimed capacity"
    chinese_title = "与中央政府博弈（装穷叫苦）"
    summary = ("The aider claims a marginal cost at least its true one and bargains with the centre over "
               "its quota and compensation (generalised Nash bargaining) as if the claim were true. "
               "Verification reveals the true cost with probability tau; the deal is then renegotiated "
               "at the true cost and an overstated claim is penalised.")
    transparency_channel = ("verification of fiscal data: the probability that the platform reveals the "
                            "aider's true cost")
    parameters = (
        Parameter("value_intercept", "a", 10.0, _POS, "centre's marginal value of the first unit of quota"),
        Parameter("value_curvature", "b", 1.0, _POS, "curvature of the centre's value S(q) = a q - b q^2/2"),
        Parameter("true_cost", "theta", 2.0, _NONNEG, "aider's true marginal cost of aid (private)",
                  "支援方财政能力"),
        Parameter("max_claim", "theta_max", None, _NONNEG,
                  "largest cost the aider can claim (none: unbounded); at least true_cost", "叫苦上限",
                  optional=True),
        Parameter("bargaining_power", "beta", 0.5, _UNIT, "aider's bargaining power", "博弈能力"),
        Parameter("disagreement_centre", "d_C", 0.0, _REAL, "centre's payoff if no agreement"),
        Parameter("disagreement_aider", "d_A", 0.0, _REAL, "aider's payoff if no agreement"),
        Parameter("transparency", "tau", 0.0, _UNIT, "probability that the true cost is verified",
                  "数字技术赋能"),
        Parameter("penalty_fixed", "F", 1.0, _NONNEG, "fixed penalty on a verified overstated claim",
                  "问责"),
        Parameter("penalty_rate", "r", 1.0, _NONNEG, "penalty per unit of verified overstatement", "问责"),
    )
    outputs = (
        Output("claimed_cost", "cost the aider claims", chinese="叫苦"),
        Output("overstatement", "claimed minus true cost"),
        Output("pleads_poverty", "the aider overstates its cost", kind="bool", chinese="装穷叫苦"),
        Output("quota_if_believed", "quota agreed on the claim (no verification)"),
        Output("expected_quota", "expected quota, verification included"),
        Output("efficient_quota", "quota agreed at the true cost"),
        Output("expected_shortfall", "efficient_quota minus expected_quota", chinese="逃避支援任务"),
        Output("aider_expected_payoff", "aider's expected true payoff"),
        Output("aider_gain_from_pleading", "aider's expected payoff minus that of the honest claim"),
        Output("centre_expected_payoff", "centre's expected payoff"),
        Output("threshold_transparency", "least transparency at which the aider claims honestly"),
    )

    def _check(self, values):
        cap = values["max_claim"]
        if cap is None:
            return
        cost = values["true_cost"]
        try:
            low = np.broadcast_arrays(cap, cost)
        except ValueError:  # shapes that do not fit are reported by the broadcasting step
            return
        bad = low[0] < low[1]
        if np.any(bad):
            raise ParameterError("max_claim", float(low[0][bad].flat[0]), "[true_cost, inf)",
                                 f"below true_cost = {float(low[1][bad].flat[0])!r}")

    def _solve(self, value_intercept, value_curvature, true_cost, max_claim, bargaining_power,
               disagreement_centre, disagreement_aider, transparency, penalty_fixed, penalty_rate):
        args = (value_intercept, value_curvature, true_cost, max_claim, bargaining_power,
                disagreement_centre, disagreement_aider, transparency, penalty_fixed, penalty_rate)
        if np.ndim(value_intercept) == 0:  # one point: solve it as an array of one (in-place arithmetic)
            out = _equilibrium(*(None if v is None else np.reshape(v, 1) for v in args))
            return {k: v.reshape(()) for k, v in out.items()}
        return _equilibrium(*args)

    def symbolic(self) -> SymbolicSolution:
        """The equilibrium in closed form (an unset ``max_claim`` is ``theta_max = oo``)."""
        return _symbolic(self.name, self.parameters)


def _equilibrium(a, b, theta, max_claim, beta, d_centre, d_aider, tau, fine, rate):
    """The vectorised equilibrium on 1-d or higher arrays of one common shape (see module docstring).

    Temporaries are updated in place: the solver is meant for millions of points at once.
    """
    two_b = 2.0 * b
    one_minus_tau = 1.0 - tau
    one_minus_beta = 1.0 - beta
    two_minus_beta = one_minus_beta + 1.0
    surplus_threshold = d_centre + d_aider                     # D = d_C + d_A
    margin = a - theta
    quota = np.maximum(margin, 0.0)                            # b q(theta) before the agreement test
    true_gain = quota * quota
    true_gain /= two_b
    true_gain -= surplus_threshold                             # G(theta)
    agree = true_gain >= 0.0
    np.maximum(true_gain, 0.0, out=true_gain)                  # G(theta)^+
    quota *= agree
    quota /= b                                                 # efficient_quota
    # Largest overstatement that still ends in agreement: theta + x <= a - sqrt(2 b D^+).
    x_cap = np.maximum(surplus_threshold, 0.0)
    x_cap *= two_b
    np.sqrt(x_cap, out=x_cap)
    np.subtract(margin, x_cap, out=x_cap)
    if max_claim is not None:
        np.minimum(x_cap, max_claim - theta, out=x_cap)
    stake = one_minus_beta * margin                            # A = b Delta'(0+) at tau = 0
    curvature = one_minus_tau * two_minus_beta                 # -b Delta''
    slope = one_minus_tau * stake                              # b Delta'(0+)
    scratch = tau * rate
    scratch *= b
    slope -= scratch
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        x = slope / curvature                                  # first-order condition
        np.minimum(x, x_cap, out=x)
        gain = curvature * x                                   # Delta(x)
        gain *= -0.5
        gain += slope
        gain *= x
        gain /= b
        np.multiply(tau, fine, out=scratch)
        gain -= scratch
        threshold = _threshold(stake, b, two_minus_beta, fine, rate, x_cap)
    pleads = tau < threshold
    pleads &= x > 0.0
    pleads &= gain > 0.0
    over = np.where(pleads, x, 0.0)
    gain = np.where(pleads, gain, 0.0)
    unverified_over = one_minus_tau * over
    # (1 - beta)(1 - tau)(W(theta) - W(theta + x)) with W(theta) - W(theta + x) = x (2 (a - theta) - x)/(2b).
    centre_loss = margin * 2.0
    centre_loss -= over
    centre_loss *= unverified_over
    centre_loss /= two_b
    np.subtract(true_gain, centre_loss, out=centre_loss)
    centre_loss *= one_minus_beta
    centre_loss += d_centre
    aider = true_gain * beta
    aider += d_aider
    aider += gain
    shortfall = unverified_over / b
    believed = over / b
    np.subtract(quota, believed, out=believed)
    return {
        "claimed_cost": theta + over,
        "overstatement": over,
        "pleads_poverty": pleads,
        "quota_if_believed": believed,
        "expected_quota": quota - shortfall,
        "efficient_quota": quota,
        "expected_shortfall": shortfall,
        "aider_expected_payoff": aider,
        "aider_gain_from_pleading": gain,
        "centre_expected_payoff": centre_loss,
        "threshold_transparency": threshold,
    }


def _threshold(stake, b, two_minus_beta, fine, rate, x_cap):
    r"""Least transparency at which honesty is optimal (closed form; see module docstring).

    ``sup_x g(x)/(g(x) + F + r x)`` over ``0 < x <= x_cap``: attained at ``x~ = min(x_hat, x_cap)``
    when ``F > 0``; the limit ``x -> 0`` when ``F = 0``.
    Call under ``np.errstate(divide="ignore", invalid="ignore", over="ignore")``.
    """
    two_stake = 2.0 * stake
    root = two_stake * rate
    root /= two_minus_beta
    root += fine
    np.sqrt(root, out=root)
    root *= np.sqrt(fine)                            # sqrt(F) sqrt(F + 2 A r/(2 - beta)): no F^2 underflow
    root += fine                                     # F + sqrt(F^2 + 2 A F r/(2 - beta))
    root *= two_minus_beta
    root[root == 0.0] = 1.0                          # F = 0: x_hat = 0
    x_tilde = two_stake * fine
    x_tilde /= root                                  # x_hat
    np.minimum(x_tilde, x_cap, out=x_tilde)
    h = two_minus_beta * x_tilde
    np.subtract(two_stake, h, out=h)
    h /= 2.0 * b                                     # h = g(x~)/x~
    # F > 0: g/(g + F + r x~) at x~;  F = 0: the limit x -> 0, h/(h + r).
    gain = h * x_tilde
    cost = rate * x_tilde
    cost += fine
    cost += gain
    np.divide(gain, cost, out=gain)
    cost = h + rate
    np.divide(h, cost, out=h)
    some_gain = stake > 0.0
    some_gain &= x_cap > 0.0
    return np.where(some_gain, np.where(fine > 0.0, gain, h), 0.0)


def _symbolic(model_name, parameters) -> SymbolicSolution:
    names = [p.name for p in parameters]
    syms = {p.name: sp.Symbol(p.symbol, real=True) for p in parameters}
    a, b, theta, theta_max = (syms[n] for n in ("value_intercept", "value_curvature", "true_cost", "max_claim"))
    beta, d_c, d_a, tau = (syms[n] for n in ("bargaining_power", "disagreement_centre", "disagreement_aider",
                                             "transparency"))
    fine, rate = syms["penalty_fixed"], syms["penalty_rate"]
    big_d = d_c + d_a
    margin_pos = sp.Max(a - theta, 0)
    true_gain = margin_pos ** 2 / (2 * b) - big_d
    stake = (1 - beta) * (a - theta)
    x_cap = sp.Min(theta_max, a - sp.sqrt(2 * b * sp.Max(big_d, 0))) - theta
    # Threshold: sup over 0 < x <= x_cap of g/(g + F + r x), g the unverified gain.
    g = lambda x: (2 * stake * x - (2 - beta) * x ** 2) / (2 * b)  # noqa: E731
    # sqrt(F^2 + 2 A F r/(2 - beta)) written as sqrt(F) sqrt(F + ...), which does not underflow.
    x_hat = 2 * stake * fine / ((2 - beta) * (fine + sp.sqrt(fine) * sp.sqrt(fine + 2 * stake * rate / (2 - beta))))
    x_tilde = sp.Min(x_hat, x_cap)
    no_gain = sp.Or(stake <= 0, x_cap <= 0)
    threshold_no_fine = stake / (stake + rate * b)        # F = 0: the supremum is the limit x -> 0
    threshold_fine = g(x_tilde) / (g(x_tilde) + fine + rate * x_tilde)
    threshold = sp.Piecewise((0, no_gain), (threshold_no_fine, sp.Eq(fine, 0)), (threshold_fine, True))
    # The same condition without a Piecewise inside a relational (which printers cannot handle).
    honest_condition = sp.Or(no_gain, sp.And(sp.Eq(fine, 0), tau >= threshold_no_fine),
                             sp.And(fine > 0, tau >= threshold_fine))
    x_star = ((1 - tau) * stake - tau * rate * b) / ((1 - tau) * (2 - beta))
    q_eff = margin_pos / b
    honest_aider = d_a + beta * true_gain
    honest_centre = d_c + (1 - beta) * true_gain

    def pleading(x):
        gain = (1 - tau) * g(x) - tau * (fine + rate * x)
        return {
            "claimed_cost": theta + x, "overstatement": x, "pleads_poverty": sp.Integer(1),
            "quota_if_believed": q_eff - x / b, "expected_quota": q_eff - (1 - tau) * x / b,
            "efficient_quota": q_eff, "expected_shortfall": (1 - tau) * x / b,
            "aider_expected_payoff": honest_aider + gain, "aider_gain_from_pleading": gain,
            "centre_expected_payoff": honest_centre - (1 - beta) * (1 - tau) * x * (2 * (a - theta) - x) / (2 * b),
            "threshold_transparency": threshold,
        }

    def honest(q, aider, centre, thr):
        return {
            "claimed_cost": theta, "overstatement": sp.Integer(0), "pleads_poverty": sp.Integer(0),
            "quota_if_believed": q, "expected_quota": q, "efficient_quota": q,
            "expected_shortfall": sp.Integer(0), "aider_expected_payoff": aider,
            "aider_gain_from_pleading": sp.Integer(0), "centre_expected_payoff": centre,
            "threshold_transparency": thr,
        }

    regimes = [
        Regime("no_agreement", true_gain < 0, honest(sp.Integer(0), d_a, d_c, sp.Integer(0))),
        Regime("honest", honest_condition, honest(q_eff, honest_aider, honest_centre, threshold)),
        Regime("pleads_interior", x_star <= x_cap, pleading(x_star)),
        Regime("pleads_capped", sp.true, pleading(x_cap)),
    ]
    return SymbolicSolution(
        model=model_name, symbols={n: syms[n] for n in names}, regimes=regimes,
        thresholds={"threshold_transparency": threshold},
        notes=[
            "pleads_poverty is 1 for True and 0 for False.",
            "An unset max_claim is theta_max = oo.",
            "Ties go to the honest claim; the aider pleads iff tau < threshold_transparency.",
            "With penalty_fixed > 0 the overstatement jumps from a positive value to zero at the threshold.",
            "The penalty is a sanction that nobody receives; verification applies to the claim even when "
            "the claim produced no agreement.",
        ])
