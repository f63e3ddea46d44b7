r"""Joint blame-avoidance against the evaluation (联合避责): collusion and inspection.

The formal model (specification section 4)
------------------------------------------
Under the east--west cooperation evaluation (东西部协作考核评价) the aiding government
(aider, A) and the receiving government (recipient, R) may jointly falsify a bad result.

* The year's performance is good with probability :math:`\pi` (``prob_good``).  Both
  governments observe it; the centre sees only their joint report.
* A good report earns :math:`V_A` (``reward_aider``) and :math:`V_R` (``reward_recipient``).
  A false good report that is detected earns nothing and costs :math:`F_A, F_R`
  (``penalty_aider``, ``penalty_recipient``).  An honest bad report earns 0, except that the
  recipient receives the whistleblower reward :math:`w` (``whistleblower_reward``).
* Falsifying needs both.  A side transfer may go either way; the receiver gets the fraction
  :math:`k` (``transfer_efficiency``) of what is sent.  The transfer is the generalised Nash
  bargaining solution over the gains from falsifying, disagreement = honesty, the
  recipient's power :math:`\beta_R` (``recipient_power``).
* The centre audits a good report with probability :math:`a` at cost :math:`c_a`
  (``audit_cost``); an audit detects a false report with probability :math:`d`
  (``audit_detection``).  Independently the digital platform flags a false report with
  probability :math:`\tau` (``transparency``).  A false report is detected with probability

  .. math::  P = 1 - (1-\tau)(1-a d) = \tau + (1-\tau)\,a\,d .

  An undetected false report costs the centre :math:`L` (``centre_loss``).
* Nash equilibrium of the pair (falsify with probability :math:`x` when performance is bad)
  and the centre (audit rate :math:`a`), played simultaneously.  Ties: the pair falsifies
  only if strictly profitable; the centre audits only if strictly profitable.

The pair's decision
-------------------
At detection probability :math:`P` the gains from falsifying over honesty, before any side
transfer, are :math:`g_A(P) = (1-P)V_A - P F_A` and :math:`g_R(P) = (1-P)V_R - P F_R - w`.
Sending :math:`s \ge 0` from aider to recipient gives :math:`(g_A - s,\ g_R + k s)`; the
recipient sending :math:`t \ge 0` gives :math:`(g_A + k t,\ g_R - t)`.  The Pareto frontier is
two segments of slopes :math:`-k` and :math:`-1/k` with a kink at :math:`(g_A, g_R)`.  Some
transfer makes both at least as well off and one strictly better iff

.. math::  \Phi(P) = \min(k g_A + g_R,\; g_A + k g_R) > 0 ,

(the first term is what the recipient keeps if the aider hands over its whole gain, the
second what the aider keeps if the recipient does).  Both terms are linear and strictly
decreasing in :math:`P` (unless all rewards and penalties are zero), so the pair falsifies iff
:math:`P < P^*` with

.. math::  P^* = \min\left(\frac{k V_A + V_R - w}{k(V_A+F_A) + V_R + F_R},\;
                            \frac{V_A + k(V_R - w)}{V_A + F_A + k(V_R+F_R)}\right) \le 1 .

Only :math:`P` enters; :math:`\tau` and :math:`a` act only through :math:`P`.  At
:math:`P = 1` both gains are :math:`\le 0`, so full transparency always deters.

The centre's decision
---------------------
A good report is false with posterior :math:`q = (1-\pi)x / (\pi + (1-\pi)x)`.  An audit
of a false report adds detection :math:`(1-\tau)d` beyond the platform's, saving :math:`L`;
so auditing a good report pays :math:`q(1-\tau)dL - c_a`, i.e. per year
:math:`G(x) = (1-\pi)x(1-\tau)dL - c_a(\pi + (1-\pi)x)`.

Equilibrium (regimes, in order of precedence)
---------------------------------------------
* ``deterred``: :math:`\tau \ge P^*` -- no collusion, no audits (:math:`x = a = 0`).
* ``unchecked``: :math:`G(1) = (1-\pi)(1-\tau)dL - c_a \le 0` -- auditing never pays;
  :math:`x = 1, a = 0`.
* ``collude_and_audit``: :math:`\tau + (1-\tau)d < P^*` -- even sure audits do not deter;
  :math:`x = a = 1`.
* ``mixed``: otherwise, the inspection game's mixed equilibrium

  .. math::  x^* = \frac{c_a \pi}{(1-\pi)\left((1-\tau)dL - c_a\right)}, \qquad
             a^* = \frac{P^* - \tau}{(1-\tau)d}.

  The collusion rate :math:`x^*` does not involve the penalties, rewards, :math:`k` or
  :math:`w` (they move only :math:`a^*`) and rises with :math:`\tau`.  When
  :math:`c_a\pi = 0` the mixed equilibrium degenerates to :math:`x = 0, a = a^*` (the least
  deterring audit rate), the limit of the mixed equilibrium.

Outputs also report the equilibrium detection probability, the share of good reports that
are false, the centre's expected loss, the side deal at the equilibrium detection
probability (where the pair colludes strictly, the core's
:func:`~gametheory_aid.core.bargaining.nash_bargaining` on the
:class:`~gametheory_aid.core.bargaining.TransferFrontier` from :math:`(g_A, g_R)` with
efficiency :math:`k`, solved in closed form; in the mixed regime the transfer that hands over
the payer's whole gain, leaving both at 0; nothing when deterred), the deterrence threshold
:math:`\tau^* = \max(0, P^*) \in [0, 1]` (always finite, because :math:`\tau = 1` deters) and
the collusion-proof reward
:math:`w^* = \max\bigl(0,\ g_R^0 + \min(k g_A^0,\ g_A^0/k)\bigr)` with
:math:`g_A^0 = (1-\tau)V_A - \tau F_A`, :math:`g_R^0 = (1-\tau)V_R - \tau F_R`.

The module
----------
The primitives are written once and used by the vectorised solver (numpy), by
:meth:`JointBlame.payoff_matrices` (the finite game) and by :meth:`JointBlame.symbolic`
(sympy): :func:`gain_aider` :math:`g_A(P)`, :func:`gain_recipient` :math:`g_R(P)`,
:func:`side_deal_surpluses`, :func:`surplus_roots` and :func:`detection_cutoff` :math:`P^*`,
:func:`added_detection` :math:`(1-\tau)d` and :func:`detection_probability` :math:`P`,
:func:`audit_gain` :math:`G(x)`, :func:`mixed_collusion` :math:`x^*` and :func:`mixed_audit`
:math:`a^*`, :func:`reports` and :func:`centre_expected_loss`, :func:`amount_sent` (the signed
transfer) and :func:`collusion_proof_reward` :math:`w^*`.  :func:`side_deal_frontier` builds the
side deal's frontier for the core's bargaining solver.  The ``regime`` output holds codes into
:data:`REGIMES`, in the order of precedence above.
"""
from __future__ import annotations

import operator
from fractions import Fraction

import numpy as np

from ..core.bargaining import TransferFrontier, nash_bargaining
from ..core.params import Domain, Parameter
from . import register
from .base import Model, Output, regime_codes
from .joint_blame_story import STORY

__all__ = ["JointBlame", "REGIMES", "added_detection", "detection_probability", "gain_aider", "gain_recipient",
           "side_deal_surpluses", "surplus_roots", "detection_cutoff", "audit_gain_endpoints", "audit_gain",
           "mixed_collusion", "mixed_audit", "reports", "centre_expected_loss", "amount_sent",
           "collusion_proof_reward", "side_deal_frontier"]

#: The regimes in order of precedence; the ``regime`` output holds codes into this tuple.
REGIMES = ("deterred", "unchecked", "collude_and_audit", "mixed")
DETERRED, UNCHECKED, COLLUDE_AND_AUDIT, MIXED = range(len(REGIMES))

_NONNEG = Domain(0, None)
_UNIT = Domain(0, 1)


# -- primitives ------------------------------------------------------------------------------
# Written with operators only (``maximum``/``minimum``/``divide`` where numpy and sympy differ),
# so that the solver (numpy arrays), the finite game (floats) and the closed form (sympy) share them.
def _ratio_or_zero(numerator, denominator):
    """``numerator / denominator``, and 0 where the denominator is not positive."""
    # (a denominator of a few ulps can overflow the ratio to -inf: the pair then never falsifies)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.where(denominator > 0, np.divide(numerator, denominator), 0.0)


def added_detection(transparency, audit_detection):
    r"""What an audit adds to the platform's detection of a false report, :math:`(1-\tau)d`."""
    return (1 - transparency) * audit_detection


def detection_probability(transparency, audit_detection, audit):
    r"""The probability that a false report is detected, :math:`P = \tau + (1-\tau)\,a\,d = 1 - (1-\tau)(1-ad)`.

    The platform flags it with probability :math:`\tau`; otherwise an audit (rate :math:`a`) catches it
    with probability :math:`d`.
    """
    return transparency + added_detection(transparency, audit_detection) * audit


def gain_aider(detection, reward_aider, penalty_aider):
    r"""The aider's gain from falsifying over honesty, before transfers: :math:`g_A(P) = (1-P)V_A - P F_A`."""
    return reward_aider - detection * (reward_aider + penalty_aider)


def gain_recipient(detection, reward_recipient, penalty_recipient, whistleblower_reward):
    r"""The recipient's gain from falsifying over honesty, before transfers: :math:`g_R(P) = (1-P)V_R - P F_R - w`.

    Honesty earns the recipient the whistleblower reward :math:`w`, which falsifying forgoes.
    """
    return reward_recipient - detection * (reward_recipient + penalty_recipient) - whistleblower_reward


def side_deal_surpluses(gain_a, gain_r, transfer_efficiency):
    r"""The surpluses :math:`(k g_A + g_R,\ g_A + k g_R)` of the side deal.

    The first is what the recipient keeps if the aider hands over its whole gain, the second what
    the aider keeps if the recipient does.  Some transfer makes both at least as well off as honesty
    and one strictly better iff both are positive: :math:`\Phi = \min(k g_A + g_R, g_A + k g_R) > 0`.
    """
    return transfer_efficiency * gain_a + gain_r, gain_a + transfer_efficiency * gain_r


def surplus_roots(reward_aider, reward_recipient, penalty_aider, penalty_recipient, transfer_efficiency,
                  whistleblower_reward, divide=_ratio_or_zero):
    r"""The zeros in :math:`P` of the two side-deal surpluses: ``(root_aider_pays, root_recipient_pays)``.

    .. math:: P_1 = \frac{k V_A + V_R - w}{k(V_A+F_A) + V_R + F_R}, \qquad
              P_2 = \frac{V_A + k(V_R - w)}{V_A + F_A + k(V_R+F_R)},

    the zeros of :math:`k g_A(P) + g_R(P)` and :math:`g_A(P) + k g_R(P)`.  Both surpluses are
    :math:`N - D P`; where :math:`D = 0` (all rewards and penalties zero) a surplus is the constant
    :math:`-w` or :math:`-k w`, never positive, and ``divide`` (numpy's default) takes its root as 0;
    pass ``divide=operator.truediv`` for sympy.
    """
    va, vr, fa, fr, k, w = (reward_aider, reward_recipient, penalty_aider, penalty_recipient, transfer_efficiency,
                            whistleblower_reward)
    return (divide(k * va + vr - w, k * (va + fa) + vr + fr),
            divide(va + k * (vr - w), va + fa + k * (vr + fr)))


def detection_cutoff(reward_aider, reward_recipient, penalty_aider, penalty_recipient, transfer_efficiency,
                     whistleblower_reward, minimum=np.minimum, divide=_ratio_or_zero):
    r"""The cutoff :math:`P^*`: the pair falsifies iff the detection probability :math:`P < P^*`.

    :math:`P^* = \min(P_1, P_2)`, the smaller zero of the side-deal surpluses
    (:func:`surplus_roots`).  Always :math:`P^* \le 1`; :math:`P^* \le 0` means the pair never
    falsifies.  Pass ``minimum=sp.Min, divide=operator.truediv`` for sympy.
    """
    return minimum(*surplus_roots(reward_aider, reward_recipient, penalty_aider, penalty_recipient,
                                  transfer_efficiency, whistleblower_reward, divide=divide))


def audit_gain_endpoints(prob_good, added, centre_loss, audit_cost):
    r"""The centre's yearly gain from auditing good reports when all and when none of the bad years are falsified.

    ``(G(1), G(0))`` with :math:`G(1) = (1-\pi)(1-\tau)dL - c_a` (an audit of a false report adds
    ``added`` :math:`= (1-\tau)d` to the platform's detection and saves :math:`L`) and
    :math:`G(0) = -c_a\pi` (only true good reports are audited).
    """
    return (1 - prob_good) * added * centre_loss - audit_cost, -audit_cost * prob_good


def audit_gain(collusion, prob_good, added, centre_loss, audit_cost):
    r"""The centre's yearly gain from auditing good reports, :math:`G(x) = (1-\pi)x(1-\tau)dL - c_a(\pi + (1-\pi)x)`.

    A good report is false with posterior :math:`q = (1-\pi)x/(\pi + (1-\pi)x)`, and auditing it pays
    :math:`q(1-\tau)dL - c_a`; per year that is :math:`G(x)`, linear in the collusion rate :math:`x`:
    :math:`x\,G(1) + (1-x)\,G(0)` (:func:`audit_gain_endpoints`).  The centre audits iff :math:`G > 0`.
    """
    all_false, none_false = audit_gain_endpoints(prob_good, added, centre_loss, audit_cost)
    return collusion * all_false + (1 - collusion) * none_false


def mixed_collusion(gain_none_false, gain_all_false):
    r"""The collusion rate that leaves the centre indifferent, the zero of the linear :math:`G`:

    .. math:: x^* = \frac{G(0)}{G(0) - G(1)} = \frac{c_a \pi}{(1-\pi)\left((1-\tau)dL - c_a\right)} .
    """
    return gain_none_false / (gain_none_false - gain_all_false)


def mixed_audit(cutoff, transparency, added):
    r"""The audit rate that leaves the pair indifferent, :math:`a^* = (P^* - \tau)/((1-\tau)d)`: :math:`P = P^*`."""
    return (cutoff - transparency) / added


def reports(prob_good, collusion):
    r"""The probabilities of a false good report, :math:`(1-\pi)x`, and of any good report, :math:`\pi + (1-\pi)x`."""
    false_reports = (1 - prob_good) * collusion
    return false_reports, prob_good + false_reports


def centre_expected_loss(prob_good, collusion, audit, detection, centre_loss, audit_cost, whistleblower_reward):
    r"""The centre's expected loss over the year.

    .. math:: (1-\pi)x(1-P)L + c_a\,a\,(\pi + (1-\pi)x) + (1-\pi)(1-x)\,w :

    undetected false reports, audits of good reports, and whistleblower rewards for honest bad ones.
    """
    false_reports, good_reports = reports(prob_good, collusion)
    return ((1 - detection) * false_reports * centre_loss + audit_cost * audit * good_reports
            + (1 - prob_good - false_reports) * whistleblower_reward)


def amount_sent(shortfall, transfer_efficiency, maximum=np.maximum, minimum=np.minimum):
    r"""The signed transfer that leaves the aider ``shortfall`` below its gain :math:`g_A`.

    The aider sends :math:`s = g_A - u_A` when that is non-negative; otherwise the recipient sends
    :math:`t` with :math:`k t = u_A - g_A`, reported as :math:`-t`.  Both at once:
    :math:`\max(g_A - u_A, 0) + \min(g_A - u_A, 0)/k` (one of the terms is zero).
    """
    return maximum(shortfall, 0) + minimum(shortfall, 0) / transfer_efficiency


def collusion_proof_reward(reward_aider, reward_recipient, penalty_aider, penalty_recipient, transfer_efficiency,
                           transparency, maximum=np.maximum, minimum=np.minimum):
    r"""Least whistleblower reward :math:`w^*` that deters falsifying without audits.

    Without audits :math:`P = \tau`.  With :math:`g_A^0 = g_A(\tau)` and :math:`g_R^0 = g_R(\tau)` at
    :math:`w = 0` (the recipient's gain before :math:`w`), falsifying is unprofitable iff
    :math:`k g_A^0 + g_R^0 \le w` or :math:`g_A^0/k + g_R^0 \le w`, so

    .. math:: w^* = \max\bigl(0,\ g_R^0 + \min(k g_A^0,\ g_A^0 / k)\bigr).

    (When the aider gains it can pass on :math:`k g_A^0`; when it loses the recipient must pay it
    :math:`-g_A^0/k`.)  Any smaller non-negative reward leaves falsifying profitable.
    """
    g_a = gain_aider(transparency, reward_aider, penalty_aider)
    g_r = gain_recipient(transparency, reward_recipient, penalty_recipient, 0)
    with np.errstate(over="ignore"):  # k of a few ulps: g/k overflows, and no finite reward deters
        return maximum(g_r + minimum(transfer_efficiency * g_a, g_a / transfer_efficiency), 0)


def _at(at, values, size):
    """An array of ``size`` zeros holding ``values`` at the indices ``at``."""
    out = np.zeros(size)
    out[at] = values
    return out


def side_deal_frontier(aider_gain, recipient_gain, transfer_efficiency) -> TransferFrontier:
    r"""The side deal's Pareto frontier over the gains from falsifying, ``u1`` the aider's gain.

    From the gains :math:`(g_A, g_R)` (no transfer) the aider may send :math:`s \ge 0`
    (points :math:`(g_A - s, g_R + k s)`, slope :math:`-k`) or the recipient :math:`t \ge 0`
    (points :math:`(g_A + k t, g_R - t)`, slope :math:`-1/k`): the core's
    :class:`~gametheory_aid.core.bargaining.TransferFrontier`, piecewise linear with its kink at
    zero transfer.  Its :meth:`~gametheory_aid.core.bargaining.TransferFrontier.vertices` give
    the same frontier as a vertex chain.
    """
    gains = np.stack(np.broadcast_arrays(np.asarray(aider_gain, dtype=float),
                                         np.asarray(recipient_gain, dtype=float)))
    # (the pairs on the last axis as a view of the two rows: each player's gains stay contiguous)
    return TransferFrontier(np.moveaxis(gains, 0, -1), transfer_efficiency)


@register
class JointBlame(Model):
    """Joint blame-avoidance (联合避责): the aider and the recipient against the centre's audits.

    See the module docstring for the formal model and the equilibrium.  Parameters are
    keyword arguments by their public names; ``solve()`` is vectorised over arrays.

    Examples
    --------
    >>> r = JointBlame().solve()
    >>> str(r.regime), round(float(r.collusion_probability), 4), round(float(r.audit_probability), 4)
    ('mixed', 0.3462, 0.4905)
    """

    name = "joint-blame"
    title = "Joint blame-avoidance against the evaluation (collusion and inspection)"
    chinese_title = "联合避责"
    summary = (
        "Under the east-west cooperation evaluation (东西部协作考核评价) the aider and the recipient "
        "may jointly report a bad year as good, settling a side transfer by Nash bargaining. The "
        "centre audits good reports at a cost; the digital platform flags false reports "
        "independently. The equilibrium of this inspection game gives the collusion and audit "
        "probabilities.")
    transparency_channel = (
        "real-time visibility of transfers and results: the platform flags a false report with "
        "probability tau independently of audits, so a false report is detected with probability "
        "P = 1 - (1 - tau)(1 - a d)")
    story = STORY

    parameters = (
        Parameter("prob_good", "pi_good", 0.6, _UNIT,
                  "probability that the year's aid performance is good", "年度考核评价"),
        Parameter("reward_aider", "V_A", 3.0, _NONNEG,
                  "the aider's reward for a good evaluation result", "较好的考核评价结果"),
        Parameter("reward_recipient", "V_R", 1.0, _NONNEG,
                  "the recipient's reward for a good evaluation result", "较好的考核评价结果"),
        Parameter("penalty_aider", "F_A", 4.0, _NONNEG,
                  "the aider's penalty when a false report is detected", "问责"),
        Parameter("penalty_recipient", "F_R", 2.0, _NONNEG,
                  "the recipient's penalty when a false report is detected", "问责"),
        Parameter("transfer_efficiency", "k", 0.7, Domain(0, 1, low_open=True),
                  "fraction of a side transfer that reaches its receiver"),
        Parameter("recipient_power", "beta_R", 0.5, _UNIT,
                  "the recipient's bargaining power in the side deal"),
        Parameter("audit_cost", "c_a", 0.3, _NONNEG,
                  "the centre's cost of auditing one good report", "考核评估"),
        Parameter("audit_detection", "d", 0.8, _UNIT,
                  "probability that an audit detects a false report"),
        Parameter("centre_loss", "L", 2.0, _NONNEG,
                  "the centre's loss from an undetected false report", "降低对口支援行政发包制的效果"),
        Parameter("transparency", "tau", 0.0, _UNIT,
                  "digital transparency: probability that the platform flags a false report", "数字技术赋能"),
        Parameter("whistleblower_reward", "w", 0.0, _NONNEG,
                  "the recipient's reward for an honest bad report"),
    )

    outputs = (
        Output("collusion_probability", "probability x that the pair falsifies a bad result", "real", "联合避责"),
        Output("audit_probability", "probability a that the centre audits a good report", "real"),
        Output("regime", "deterred, unchecked, collude_and_audit or mixed", "regime", categories=REGIMES),
        Output("detection_probability", "P = 1 - (1 - tau)(1 - a d) in equilibrium", "real"),
        Output("false_report_rate", "share of good reports that are false", "real"),
        Output("centre_expected_loss", "undetected losses + audit costs + whistleblower rewards", "real"),
        Output("side_transfer", "amount the aider sends the recipient in the side deal at the equilibrium "
                                "detection probability (negative: the recipient sends); 0 when deterred", "real"),
        Output("aider_gain", "the aider's gain from colluding over honesty after the transfer", "real"),
        Output("recipient_gain", "the recipient's gain from colluding over honesty after the transfer", "real"),
        Output("deterrence_threshold", "least tau at which falsifying is unprofitable without audits", "real"),
        Output("collusion_proof_reward", "least whistleblower reward that deters falsifying without audits",
               "real"),
    )


    # -- equilibrium -------------------------------------------------------------------
    def _solve(self, *, prob_good, reward_aider, reward_recipient, penalty_aider, penalty_recipient,
               transfer_efficiency, recipient_power, audit_cost, audit_detection, centre_loss, transparency,
               whistleblower_reward) -> dict:
        pi, tau, d, k, w = prob_good, transparency, audit_detection, transfer_efficiency, whistleblower_reward
        va, vr, fa, fr = reward_aider, reward_recipient, penalty_aider, penalty_recipient

        # The pair falsifies iff the detection probability is below P*; the centre audits iff G > 0.
        cutoff = detection_cutoff(va, vr, fa, fr, k, w)
        added = added_detection(tau, d)
        gain_all_false, gain_none_false = audit_gain_endpoints(pi, added, centre_loss, audit_cost)  # G(1), G(0)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # (used only in the mixed regime)
            x_star = mixed_collusion(gain_none_false, gain_all_false)
            a_star = mixed_audit(cutoff, tau, added)
        # The regimes in order of precedence (ties: falsifying and auditing only if strictly profitable).
        regime = regime_codes(~(tau < cutoff),        # deterred: tau >= P*, the platform alone deters
                              ~(gain_all_false > 0),  # unchecked: auditing never pays, G(1) <= 0
                              a_star > 1)             # collude_and_audit: tau + (1 - tau) d < P*; else mixed
        mixed = regime == MIXED
        colludes_surely = (regime == UNCHECKED) | (regime == COLLUDE_AND_AUDIT)
        # (x, a) by regime: (0, 0) deterred, (1, 0) unchecked, (1, 1) collude_and_audit, (x*, a*) mixed
        collusion = np.where(mixed, x_star, colludes_surely)
        audit = np.where(mixed, a_star, regime == COLLUDE_AND_AUDIT)
        detection = detection_probability(tau, d, audit)

        false_reports, good_reports = reports(pi, collusion)
        with np.errstate(divide="ignore", invalid="ignore"):
            false_report_rate = np.where(good_reports > 0, false_reports / good_reports, 0.0)  # no good report

        # The side deal at the equilibrium detection probability.  Where the pair colludes strictly (at
        # the points `at`) it is the Nash bargaining solution on the frontier of lossy transfers.  In the
        # mixed regime P = P*: the only individually rational deal is (0, 0), and the transfer hands over
        # the payer's whole gain (the shortfall g_A - 0).  When deterred no deal is struck.
        g_a = gain_aider(detection, va, fa)
        g_r = gain_recipient(detection, vr, fr, w)
        at = np.flatnonzero(colludes_surely)
        deal = nash_bargaining(side_deal_frontier(g_a[at], g_r[at], k[at]), disagreement=(0.0, 0.0),
                               power=1 - recipient_power[at])
        u_aider, u_recipient = deal.utilities
        with np.errstate(over="ignore"):  # (k of a few ulps: the recipient would send without bound)
            deal_sent = amount_sent(g_a[at] - u_aider, k[at])
            mixed_sent = amount_sent(g_a, k)
        size = len(regime)
        return {
            "collusion_probability": collusion,
            "audit_probability": audit,
            "regime": regime,
            "detection_probability": detection,
            "false_report_rate": false_report_rate,
            "centre_expected_loss": centre_expected_loss(pi, collusion, audit, detection, centre_loss, audit_cost,
                                                         w),
            "side_transfer": np.where(mixed, mixed_sent, _at(at, deal_sent, size)),
            "aider_gain": _at(at, u_aider, size),
            "recipient_gain": _at(at, u_recipient, size),
            "deterrence_threshold": np.maximum(cutoff, 0.0),
            "collusion_proof_reward": collusion_proof_reward(va, vr, fa, fr, k, tau),
        }

    # -- the finite game ---------------------------------------------------------------
    def payoff_matrices(self, exact: bool = False) -> tuple:
        r"""The pair-versus-centre game as two 2x2 payoff arrays ``(pair, centre)``.

        Rows: the pair {falsify, honest} when performance is bad; columns: the centre
        {audit, no audit} on a good report.

        The pair's payoff is the binding side-deal surplus (:func:`side_deal_surpluses`), linear in
        :math:`P`: :math:`k g_A(P) + g_R(P)` if the aider is the payer at the cutoff
        (:math:`P_1 \le P_2`), else :math:`g_A(P) + k g_R(P)`; honesty is the zero point.  It is
        positive iff :math:`P < P^*`, so its best responses are the pair's.  With :math:`P`
        linear in the audit rate, so is the pair's expected payoff.

        The centre's payoff is minus its expected loss over the year (:func:`centre_expected_loss`):
        :math:`-(1-\pi)x(1-P)L - c_a a(\pi + (1-\pi)x) - (1-\pi)(1-x)w`.
        """
        p = self.scalar_params("the game")
        one, zero, divide = 1.0, 0.0, _ratio_or_zero
        if exact:  # each parameter as the decimal it was given (the shortest that gives its float)
            p = {name: Fraction(repr(float(value))) for name, value in p.items()}
            one, zero = Fraction(1), Fraction(0)

            def divide(numerator, denominator):
                return numerator / denominator if denominator > 0 else zero
        va, vr, fa, fr, k, w = (p["reward_aider"], p["reward_recipient"], p["penalty_aider"],
                                p["penalty_recipient"], p["transfer_efficiency"], p["whistleblower_reward"])
        pi, c, d, loss, tau = p["prob_good"], p["audit_cost"], p["audit_detection"], p["centre_loss"], p["transparency"]
        root_aider_pays, root_recipient_pays = surplus_roots(va, vr, fa, fr, k, w, divide=divide)
        aider_pays = root_aider_pays <= root_recipient_pays

        def pair(audit: float) -> float:
            detection = detection_probability(tau, d, audit)
            surpluses = side_deal_surpluses(gain_aider(detection, va, fa), gain_recipient(detection, vr, fr, w), k)
            return surpluses[0] if aider_pays else surpluses[1]

        def centre(collusion: float, audit: float) -> float:
            return -centre_expected_loss(pi, collusion, audit, detection_probability(tau, d, audit), loss, c, w)

        dtype = object if exact else float
        return (np.array([[pair(one), pair(zero)], [zero, zero]], dtype=dtype),
                np.array([[centre(one, one), centre(one, zero)], [centre(zero, one), centre(zero, zero)]], dtype=dtype))

    def to_game(self, exact: bool = True):
        """The pair-versus-centre game as the core's 2x2 ``NormalFormGame`` (see :meth:`payoff_matrices`).

        Parameters
        ----------
        exact : bool, optional
            Compute the payoffs in rational arithmetic from each parameter read as the
            shortest decimal that gives its float (``0.7`` is 7/10), so that the game's
            ``exact_payoffs`` and its ``.nfg`` file hold the decimal inputs' own payoffs
            (default); ``False`` computes them in floating point.
        """
        from ..core.normal_form import NormalFormGame

        pair, centre = self.payoff_matrices(exact=exact)
        return NormalFormGame.bimatrix(pair, centre, players=("pair", "centre"),
                                       strategies=(("falsify", "honest"), ("audit", "no audit")), title=self.name)

    def game_solution(self) -> dict:
        """The equilibrium outputs recomputed from :meth:`to_game` by the core's vertex enumeration.

        One parameter point only.  The game's unique equilibrium gives the collusion and audit
        rates; the detection probability and the share of false good reports follow from them, and
        the centre's expected loss is minus its equilibrium payoff.

        Returns
        -------
        dict
            ``collusion_probability``, ``audit_probability``, ``detection_probability``,
            ``false_report_rate`` and ``centre_expected_loss``, as in :meth:`solve`.

        Raises
        ------
        ParameterError
            If any parameter is an array.
        ValueError
            If the game has more than one equilibrium (on a regime boundary, where the game is
            degenerate).
        """
        p = self.scalar_params("the game")
        equilibria = self.to_game().equilibria(method="vertex")
        if len(equilibria) != 1 or equilibria.degenerate:
            raise ValueError(f"{self.name}: the game is degenerate here ({len(equilibria)} extreme equilibria)")
        (falsify, _), (audit, _) = (tuple(float(v) for v in s) for s in equilibria[0].as_arrays())
        false_reports, good_reports = reports(p["prob_good"], falsify)
        return {"collusion_probability": falsify, "audit_probability": audit,
                "detection_probability": detection_probability(p["transparency"], p["audit_detection"], audit),
                "false_report_rate": false_reports / good_reports if good_reports > 0 else 0.0,
                "centre_expected_loss": -float(equilibria[0].payoffs[1])}

    # -- closed form -------------------------------------------------------------------
    def symbolic(self):
        """The equilibrium in closed form, regime by regime (see the module docstring).

        Returns
        -------
        SymbolicSolution
            The four regimes in order of precedence, their outputs, and the thresholds
            ``detection_cutoff``, ``deterrence_threshold`` and ``collusion_proof_reward``.
        """
        import sympy as sp

        from ..core.symbolic import Regime, SymbolicSolution

        sym = self.symbols()
        pi, va, vr, fa, fr, k, beta, c, d, loss, tau, w = (sym[p.name] for p in self.parameters)
        alpha = 1 - beta                                          # the aider's bargaining power
        zero = sp.Integer(0)
        root_aider_pays, root_recipient_pays = surplus_roots(va, vr, fa, fr, k, w, divide=operator.truediv)
        cutoff = detection_cutoff(va, vr, fa, fr, k, w, minimum=sp.Min, divide=operator.truediv)
        added = added_detection(tau, d)
        gain_all_false, gain_none_false = audit_gain_endpoints(pi, added, loss, c)

        def nash_deal(detection):
            """(sent, u_aider, u_recipient): the weighted Nash solution on the kinked frontier."""
            g_a, g_r = gain_aider(detection, va, fa), gain_recipient(detection, vr, fr, w)
            t1 = g_a + g_r / k                                    # total in aider units, aider pays
            t2 = g_a / k + g_r                                    # total in recipient units, recipient pays
            pieces = [
                ((g_a - alpha * t1, alpha * t1, (1 - alpha) * k * t1), sp.And(t1 >= 0, alpha * t1 <= g_a)),
                ((g_a / k - alpha * t2, alpha * k * t2, (1 - alpha) * t2), sp.And(t2 >= 0, alpha * k * t2 >= g_a)),
                ((0, g_a, g_r), True),                            # the kink: no transfer
            ]
            return tuple(sp.Piecewise(*[(vals[i], cond) for vals, cond in pieces]) for i in range(3))

        def outcome(x, a, deal):
            detection = detection_probability(tau, d, a)
            false_reports, good_reports = reports(pi, x)
            sent, u_a, u_r = deal if deal is not None else nash_deal(detection)
            return {"collusion_probability": sp.sympify(x), "audit_probability": sp.sympify(a),
                    "detection_probability": detection,
                    "false_report_rate": false_reports / good_reports if x != 0 else zero,
                    "centre_expected_loss": centre_expected_loss(pi, x, a, detection, loss, c, w),
                    "side_transfer": sent, "aider_gain": u_a, "recipient_gain": u_r}

        x_star = mixed_collusion(gain_none_false, gain_all_false)
        a_star = mixed_audit(cutoff, tau, added)
        mixed_deal = (amount_sent(gain_aider(cutoff, va, fa), k, maximum=sp.Max, minimum=sp.Min), zero, zero)
        regimes = [
            Regime("deterred", tau >= cutoff, outcome(0, 0, (zero,) * 3)),
            Regime("unchecked", gain_all_false <= 0, outcome(1, 0, None)),
            Regime("collude_and_audit", detection_probability(tau, d, 1) < cutoff, outcome(1, 1, None)),
            Regime("mixed", sp.true, outcome(x_star, a_star, mixed_deal)),
        ]
        thresholds = {
            "detection_cutoff": cutoff,
            "deterrence_threshold": sp.Max(0, cutoff),
            "collusion_proof_reward": collusion_proof_reward(va, vr, fa, fr, k, tau, maximum=sp.Max, minimum=sp.Min),
        }
        notes = [
            "Regimes in order of precedence: the first whose condition holds applies.",
            "Ties: the pair falsifies only if strictly profitable (P < P*); the centre audits only if "
            "strictly profitable (G(1) > 0).",
            "detection_cutoff P* = min of the zeros of k*g_A + g_R and g_A + k*g_R; it is at most 1, so "
            "tau = 1 always deters and deterrence_threshold lies in [0, 1].",
            "In the mixed regime the pair is indifferent: both gains are 0 and side_transfer is the "
            "transfer that leaves both indifferent at P*.",
            "When all rewards and penalties are 0 the cutoff is 0 (the pair never gains); the closed "
            "form above is then 0/0.",
        ]
        return SymbolicSolution(model=self.name, symbols=sym, regimes=regimes, thresholds=thresholds, notes=notes)
