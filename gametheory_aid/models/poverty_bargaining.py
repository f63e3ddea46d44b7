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

a concave quadratic, :math:`\Delta(x) = x\,(m - k x/2)/b - \tau F` with slope
:math:`m = b\,\Delta'(0^+) = (1-\tau)(1-\beta)(a-\theta) - \tau r b` and curvature
:math:`k = -b\,\Delta'' = (1-\tau)(2-\beta)`.  Its maximiser is

.. math::

   x^* = \frac{m}{k} = \frac{(1 - \tau)(1 - \beta)(a - \theta) - \tau r b}{(1 - \tau)(2 - \beta)},

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

The module
----------
The primitives are written once, as functions of plain arithmetic that serve numpy arrays and
sympy symbols alike (``maximum``, ``minimum`` and ``sqrt`` are passed in: ``np.maximum`` or
``sp.Max``, ...): the bargaining solution on a claim (:func:`claimed_quota`,
:func:`claimed_surplus`, :func:`bargaining_gain`), the agreement range
(:func:`largest_overstatement`), the verification channel (:func:`unverified_gain`,
:func:`claim_slope`, :func:`claim_curvature`, :func:`expected_gain`,
:func:`optimal_overstatement`), the threshold (:func:`ratio_maximiser`,
:func:`break_even_transparency`, :func:`break_even_transparency_at_zero`) and the centre's loss
(:func:`expected_surplus_loss`).  :meth:`PovertyBargaining._solve` and :meth:`PovertyBargaining.symbolic`
are both built from them.
"""
from __future__ import annotations

import numpy as np

from ..core.params import Domain, Parameter, ParameterError
from . import register
from .base import Model, Output
from .poverty_bargaining_story import STORY

__all__ = ["PovertyBargaining", "rubinstein_power", "claimed_quota", "claimed_surplus", "bargaining_gain",
           "largest_overstatement", "unverified_gain", "claim_slope", "claim_curvature", "expected_gain",
           "optimal_overstatement", "ratio_maximiser", "break_even_transparency",
           "break_even_transparency_at_zero", "expected_surplus_loss"]


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


# ---------------------------------------------------------------------------------------------
# The primitives: plain arithmetic on numpy arrays or sympy expressions alike
# ---------------------------------------------------------------------------------------------
def claimed_quota(a, b, claim, maximum):
    r"""The quota bargained on a claimed cost :math:`c`, :math:`q(c) = (a - c)^+/b`.

    The transferable-utility Nash bargaining solution picks the quota that maximises the claimed
    joint surplus :math:`S(q) - c q`.
    """
    return maximum(a - claim, 0) / b


def claimed_surplus(a, b, claim, maximum):
    r"""The claimed joint surplus at that quota, :math:`W(c) = ((a - c)^+)^2/(2b)`."""
    return maximum(a - claim, 0) ** 2 / (2 * b)


def bargaining_gain(a, b, claim, d_centre, d_aider, maximum):
    r"""The gain over disagreement to be split, :math:`G(c) = W(c) - d_C - d_A`.

    The aider gets :math:`d_A + \beta G(c)`, the centre :math:`d_C + (1 - \beta) G(c)`; there is
    an agreement iff :math:`G(c) \ge 0`.
    """
    return claimed_surplus(a, b, claim, maximum) - (d_centre + d_aider)


def largest_overstatement(a, b, theta, max_claim, d_centre, d_aider, *, maximum, minimum, sqrt):
    r"""The cap :math:`x_{\max} = \min(\bar\theta, a - \sqrt{2 b D^+}) - \theta`, :math:`D = d_C + d_A`.

    Claims above :math:`a - \sqrt{2 b D^+}` end in disagreement; ``max_claim`` ``None`` is no bound.
    """
    agreement = a - theta - sqrt(2 * b * maximum(d_centre + d_aider, 0))
    return agreement if max_claim is None else minimum(agreement, max_claim - theta)


def unverified_gain(x, a, b, theta, beta):
    r"""The aider's gain from overstating by :math:`x` when not verified,
    :math:`g(x) = (2 (1 - \beta)(a - \theta) x - (2 - \beta) x^2)/(2b)`.

    The claimed surplus shrinks, but the aider is paid for a cost it does not bear on every unit
    of the smaller quota.
    """
    return (2 * ((1 - beta) * (a - theta)) - (2 - beta) * x) / (2 * b) * x


def claim_slope(a, b, theta, beta, tau, rate):
    r"""The slope of the expected gain at honesty,
    :math:`m = b\,\Delta'(0^+) = (1-\tau)(1-\beta)(a-\theta) - \tau r b`."""
    return (1 - tau) * ((1 - beta) * (a - theta)) - tau * rate * b


def claim_curvature(beta, tau):
    r"""The curvature of the expected gain, :math:`k = -b\,\Delta'' = (1 - \tau)(2 - \beta)`."""
    return (1 - tau) * (2 - beta)


def expected_gain(x, a, b, theta, beta, tau, fine, rate):
    r"""The verification channel: the aider's expected gain over honesty of overstating by :math:`x > 0`.

    With probability :math:`1 - \tau` the claim stands and the aider gains :math:`g(x)`; with
    probability :math:`\tau` the true cost is verified, the deal is bargained at it, and the
    penalty :math:`F + r x` is due:

    .. math::  \Delta(x) = (1 - \tau)\,g(x) - \tau (F + r x) = x\,(m - k x/2)/b - \tau F.
    """
    slope, curvature = claim_slope(a, b, theta, beta, tau, rate), claim_curvature(beta, tau)
    return x * (slope - curvature * x / 2) / b - tau * fine


def optimal_overstatement(a, b, theta, beta, tau, rate):
    r"""The maximiser of :math:`\Delta`, :math:`x^* = m/k` (before the cap)."""
    return claim_slope(a, b, theta, beta, tau, rate) / claim_curvature(beta, tau)


def ratio_maximiser(a, b, theta, beta, fine, rate, sqrt):
    r"""The overstatement whose break-even transparency is highest (for :math:`F > 0`),

    .. math::

       \hat x = \frac{2 (1-\beta)(a-\theta) F}
                     {(2-\beta)\left(F + \sqrt{F}\sqrt{F + 2 (1-\beta)(a-\theta) r/(2-\beta)}\right)},

    the positive root of :math:`(2-\beta) r x^2/2 + (2-\beta) F x - (1-\beta)(a-\theta) F = 0`
    (:math:`\sqrt{F}\sqrt{\cdot}` rather than :math:`\sqrt{F^2 + \dots}`, which underflows).
    """
    two_stake = 2 * ((1 - beta) * (a - theta))
    return two_stake * fine / ((2 - beta) * (fine + sqrt(fine) * sqrt(fine + two_stake * rate / (2 - beta))))


def break_even_transparency(x, a, b, theta, beta, fine, rate):
    r"""The transparency at which overstating by :math:`x` just stops paying, :math:`g(x)/(g(x) + F + r x)`.

    :math:`\Delta(x; \tau)` is affine in :math:`\tau` and vanishes there.
    """
    gain = unverified_gain(x, a, b, theta, beta)
    return gain / (rate * x + fine + gain)


def break_even_transparency_at_zero(a, b, theta, beta, rate):
    r"""The limit :math:`x \to 0` of :func:`break_even_transparency` without a fixed penalty,
    :math:`(1-\beta)(a-\theta)/((1-\beta)(a-\theta) + r b)`."""
    # b g'(0), with g'(0) = g(x)/x as x -> 0; no division by b, so that a tie at tau = 1 (rate 0)
    # gives exactly 1 in floating point as well as in the closed form
    scaled_slope = (1 - beta) * (a - theta)
    return scaled_slope / (scaled_slope + rate * b)


def expected_surplus_loss(x, a, b, theta, tau):
    r"""The claimed surplus lost in expectation to an overstatement :math:`x`.

    The deal on :math:`\theta + x` stands with probability :math:`1 - \tau`:
    :math:`(1 - \tau)(W(\theta) - W(\theta + x)) = (1 - \tau)\,x\,(2 (a - \theta) - x)/(2b)`
    (for :math:`\theta + x \le a`).  The centre bears the share :math:`1 - \beta` of it.
    """
    return (2 * (a - theta) - x) * ((1 - tau) * x) / (2 * b)


def _below_threshold(rounded, x, gain, a, b, theta, beta, tau, fine, rate, x_max, threshold):
    r"""The overstatement and gain where ``tau`` is below the threshold but rounding says otherwise.

    Below the threshold :math:`\bar\tau` pleading pays strictly.  Without a fixed penalty the
    slope at honesty is :math:`m = (S + r b)(\bar\tau - \tau)` with :math:`S = (1-\beta)(a-\theta)`,
    so :math:`x^* = \min(m/k, x_{\max})`; with one, :math:`\Delta(\tilde x) =
    (g(\tilde x) + F + r\tilde x)(\bar\tau - \tau)` (``break_even_transparency`` is where the
    affine :math:`\Delta(\tilde x; \tau)` vanishes), and :math:`\Delta(x^*) \ge \Delta(\tilde x)`.
    Elsewhere ``x`` and ``gain`` are returned unchanged.
    """
    if not np.any(rounded):
        return x, gain
    gap = threshold - tau
    scaled_slope = (1 - beta) * (a - theta)
    curvature = claim_curvature(beta, tau)
    x_free = np.minimum((scaled_slope + rate * b) * gap / curvature, x_max)          # F = 0
    x_tilde = np.minimum(ratio_maximiser(a, b, theta, beta, fine, rate, np.sqrt), x_max)
    at_tilde = (unverified_gain(x_tilde, a, b, theta, beta) + fine + rate * x_tilde) * gap
    x_fixed = np.where(x > 0, x, x_tilde)                                               # F > 0
    new_x = np.where(fine > 0, x_fixed, np.where(x > 0, x, x_free))
    new_gain = np.where(fine > 0, np.maximum(gain, at_tilde),
                        np.maximum(gain, expected_gain(new_x, a, b, theta, beta, tau, fine, rate)))
    new_gain = np.where(fine > 0, new_gain, np.where(new_gain > 0, new_gain, curvature * new_x ** 2 / (2 * b)))
    return np.where(rounded, new_x, x), np.where(rounded, new_gain, gain)


def _threshold(a, b, theta, beta, fine, rate, x_max):
    r"""Least transparency at which honesty is optimal, :math:`\sup_{0 < x \le x_{\max}} g/(g + F + r x)`.

    Attained at :math:`\tilde x = \min(\hat x, x_{\max})` when :math:`F > 0`; the limit
    :math:`x \to 0` when :math:`F = 0`; zero when there is nothing to gain.
    """
    x_tilde = np.minimum(ratio_maximiser(a, b, theta, beta, fine, rate, np.sqrt), x_max)
    threshold = np.where(fine > 0, break_even_transparency(x_tilde, a, b, theta, beta, fine, rate),
                         break_even_transparency_at_zero(a, b, theta, beta, rate))
    something_to_gain = ((1 - beta) * (a - theta) > 0) & (x_max > 0)
    return np.where(something_to_gain, threshold, 0.0)


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
    story = STORY
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

    def _solve(self, *, value_intercept, value_curvature, true_cost, max_claim, bargaining_power,
               disagreement_centre, disagreement_aider, transparency, penalty_fixed, penalty_rate):
        a, b, theta, beta, tau = value_intercept, value_curvature, true_cost, bargaining_power, transparency
        d_centre, d_aider, fine, rate = disagreement_centre, disagreement_aider, penalty_fixed, penalty_rate
        # Bargaining at the true cost: the honest deal, and the deal after verification.
        true_gain = bargaining_gain(a, b, theta, d_centre, d_aider, np.maximum)          # G(theta)
        agree = true_gain >= 0                                                           # ties: agreement
        efficient_quota = np.where(agree, claimed_quota(a, b, theta, np.maximum), 0.0)
        true_gain = np.maximum(true_gain, 0.0)                                           # G(theta)^+
        # The aider's optimal claim: the first-order condition, capped by max_claim and agreement.
        x_max = largest_overstatement(a, b, theta, max_claim, d_centre, d_aider,
                                      maximum=np.maximum, minimum=np.minimum, sqrt=np.sqrt)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # tau = 1, F = 0: branches not taken
            x = np.minimum(optimal_overstatement(a, b, theta, beta, tau, rate), x_max)
            gain = expected_gain(x, a, b, theta, beta, tau, fine, rate)
            threshold = _threshold(a, b, theta, beta, fine, rate, x_max)
        # It pleads iff that pays strictly (ties go to honesty), i.e. iff tau < threshold (proposition 2),
        # decided by that very comparison; the fixed penalty makes it all or nothing.  Within an ulp
        # below the threshold the slope m and the gain are differences that round to <= 0: there they
        # are taken in factored form, whose sign is exact.
        below = tau < threshold
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            x, gain = _below_threshold(below & ~((x > 0) & (gain > 0)), x, gain, a, b, theta, beta, tau, fine,
                                       rate, x_max, threshold)
        pleads = below & (x > 0) & (gain > 0)
        overstatement = np.where(pleads, x, 0.0)
        gain = np.where(pleads, gain, 0.0)
        shortfall = (1 - tau) * overstatement / b
        surplus_lost = expected_surplus_loss(overstatement, a, b, theta, tau)   # the centre bears 1 - beta of it
        return {
            "claimed_cost": theta + overstatement,
            "overstatement": overstatement,
            "pleads_poverty": pleads,
            "quota_if_believed": efficient_quota - overstatement / b,   # q(theta + x) = q(theta) - x/b
            "expected_quota": efficient_quota - shortfall,
            "efficient_quota": efficient_quota,
            "expected_shortfall": shortfall,
            "aider_expected_payoff": d_aider + beta * true_gain + gain,
            "aider_gain_from_pleading": gain,
            "centre_expected_payoff": d_centre + (1 - beta) * (true_gain - surplus_lost),
            "threshold_transparency": threshold,
        }

    def symbolic(self):
        """The equilibrium in closed form (an unset ``max_claim`` is ``theta_max = oo``).

        Returns
        -------
        SymbolicSolution
            Regimes ``no_agreement``, ``honest``, ``pleads_interior`` (:math:`x^* \\le x_{\\max}`)
            and ``pleads_capped``, and the threshold ``threshold_transparency``.
        """
        import sympy as sp

        from ..core.symbolic import Regime, SymbolicSolution

        syms = self.symbols()
        a, b, theta, theta_max = (syms[n] for n in ("value_intercept", "value_curvature", "true_cost", "max_claim"))
        beta, d_c, d_a, tau = (syms[n] for n in ("bargaining_power", "disagreement_centre", "disagreement_aider",
                                                 "transparency"))
        fine, rate = syms["penalty_fixed"], syms["penalty_rate"]
        true_gain = bargaining_gain(a, b, theta, d_c, d_a, sp.Max)
        x_max = largest_overstatement(a, b, theta, theta_max, d_c, d_a, maximum=sp.Max, minimum=sp.Min,
                                      sqrt=sp.sqrt)
        # Threshold: sup over 0 < x <= x_max of the break-even transparency.
        x_tilde = sp.Min(ratio_maximiser(a, b, theta, beta, fine, rate, sp.sqrt), x_max)
        no_gain = sp.Or((1 - beta) * (a - theta) <= 0, x_max <= 0)
        threshold_no_fine = break_even_transparency_at_zero(a, b, theta, beta, rate)
        threshold_fine = break_even_transparency(x_tilde, a, b, theta, beta, fine, rate)
        threshold = sp.Piecewise((0, no_gain), (threshold_no_fine, sp.Eq(fine, 0)), (threshold_fine, True))
        # The same condition without a Piecewise inside a relational (which printers cannot handle).
        honest_condition = sp.Or(no_gain, sp.And(sp.Eq(fine, 0), tau >= threshold_no_fine),
                                 sp.And(fine > 0, tau >= threshold_fine))
        x_star = optimal_overstatement(a, b, theta, beta, tau, rate)
        q_eff = claimed_quota(a, b, theta, sp.Max)
        honest_aider = d_a + beta * true_gain
        honest_centre = d_c + (1 - beta) * true_gain

        def pleading(x):
            gain = expected_gain(x, a, b, theta, beta, tau, fine, rate)
            return {
                "claimed_cost": theta + x, "overstatement": x, "pleads_poverty": sp.Integer(1),
                "quota_if_believed": q_eff - x / b, "expected_quota": q_eff - (1 - tau) * x / b,
                "efficient_quota": q_eff, "expected_shortfall": (1 - tau) * x / b,
                "aider_expected_payoff": honest_aider + gain, "aider_gain_from_pleading": gain,
                "centre_expected_payoff": honest_centre - (1 - beta) * expected_surplus_loss(x, a, b, theta, tau),
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
            Regime("pleads_interior", x_star <= x_max, pleading(x_star)),
            Regime("pleads_capped", sp.true, pleading(x_max)),
        ]
        return SymbolicSolution(
            model=self.name, symbols=syms, regimes=regimes,
            thresholds={"threshold_transparency": threshold},
            notes=[
                "pleads_poverty is 1 for True and 0 for False.",
                "An unset max_claim is theta_max = oo.",
                "Ties go to the honest claim; the aider pleads iff tau < threshold_transparency.",
                "With penalty_fixed > 0 the overstatement jumps from a positive value to zero at the threshold.",
                "The penalty is a sanction that nobody receives; verification applies to the claim even when "
                "the claim produced no agreement.",
            ])
