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
probability (the core's :func:`~gametheory_aid.core.bargaining.nash_bargaining` on the
:class:`~gametheory_aid.core.bargaining.TransferFrontier` from :math:`(g_A, g_R)` with
efficiency :math:`k`, solved in closed form), the deterrence threshold
:math:`\tau^* = \max(0, P^*) \in [0, 1]` (always finite, because :math:`\tau = 1` deters) and
the collusion-proof reward
:math:`w^* = \max\bigl(0,\ g_R^0 + \min(k g_A^0,\ g_A^0/k)\bigr)` with
:math:`g_A^0 = (1-\tau)V_A - \tau F_A`, :math:`g_R^0 = (1-\tau)V_R - \tau F_R`.
"""
from __future__ import annotations

import numpy as np

from ..core.bargaining import TransferFrontier, nash_bargaining
from ..core.params import Domain, Parameter
from . import register
from .base import Model, Output

__all__ = ["JointBlame", "REGIMES", "detection_cutoff", "side_deal_frontier", "collusion_proof_reward"]

#: The regimes of the specification; the solver's integer codes index this tuple.
REGIMES = ("deterred", "mixed", "unchecked", "collude_and_audit")
_REGIME_ARRAY = np.array(REGIMES)
_DETERRED, _MIXED, _UNCHECKED, _COLLUDE = range(4)

_NONNEG = Domain(0, None)
_UNIT = Domain(0, 1)


# -- the pair -----------------------------------------------------------------------------
def _surplus_roots(reward_aider, reward_recipient, penalty_aider, penalty_recipient, transfer_efficiency,
                   whistleblower_reward):
    r"""Zeros in :math:`P` of the two side-deal surpluses.

    Returns ``(root_aider_pays, root_recipient_pays)``: the zeros of
    :math:`k g_A(P) + g_R(P)` and of :math:`g_A(P) + k g_R(P)`.  Both surpluses are
    :math:`N - D P`; where :math:`D = 0` (all rewards and penalties zero) the surplus is the
    constant :math:`-w` or :math:`-k w`, never positive, and its root is taken as 0.
    """
    arrays = _one_shape(reward_aider, reward_recipient, penalty_aider, penalty_recipient, transfer_efficiency,
                        whistleblower_reward)
    root1, root2, _, _ = _surplus_roots_inplace(*arrays, tuple(np.empty(arrays[0].shape) for _ in range(4)))
    return root1, root2


def _one_shape(*values):
    """The arguments as float arrays broadcast to one shape (read-only views where broadcast)."""
    return np.broadcast_arrays(*(np.asarray(value, dtype=float) for value in values))


def _surplus_roots_inplace(va, vr, fa, fr, k, w, buffers):
    """:func:`_surplus_roots` for arrays of one shape, computed in the four arrays ``buffers``.

    The zeros are numerator / denominator: :math:`(k V_A + V_R - w) / (k(V_A + F_A) + V_R +
    F_R)` and :math:`(V_A + k(V_R - w)) / (V_A + F_A + k(V_R + F_R))`, 0 where the denominator
    is 0.  Returns ``(root1, root2, spare_1, spare_2)``, the spares two of the buffers now free.
    """
    root1, den, root2, stake_aider = buffers
    np.add(va, fa, out=stake_aider)
    np.multiply(k, va, out=root1)
    root1 += vr
    root1 -= w
    np.multiply(stake_aider, k, out=den)
    den += vr
    den += fr
    # (a denominator of a few ulps can overflow a root to -inf: the pair never falsifies)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        root1 /= den
    if not den.min(initial=np.inf) > 0:  # a zero (or NaN) denominator: root 0
        np.copyto(root1, 0.0, where=~(den > 0))
    np.subtract(vr, w, out=root2)
    root2 *= k
    root2 += va
    np.add(vr, fr, out=den)
    den *= k
    den += stake_aider
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        root2 /= den
    if not den.min(initial=np.inf) > 0:
        np.copyto(root2, 0.0, where=~(den > 0))
    return root1, root2, den, stake_aider


def _collusion_proof_reward_inplace(va, vr, fa, fr, k, tau, out, scratch):
    """:func:`collusion_proof_reward` for arrays of one shape, into ``out`` (``scratch`` is overwritten).

    :math:`\\min(k g, g/k)` is computed branch-free as :math:`k \\max(g, 0) + \\min(g, 0)/k`, one
    of the terms being zero.
    """
    reward = np.add(va, fa, out=out)
    reward *= tau
    np.subtract(va, reward, out=reward)               # the aider's gain without audits
    passed_on = np.minimum(reward, 0.0, out=scratch)
    with np.errstate(over="ignore"):  # k of a few ulps: no finite reward deters
        passed_on /= k
    np.maximum(reward, 0.0, out=reward)
    reward *= k
    reward += passed_on
    gain_recipient = np.add(vr, fr, out=scratch)
    gain_recipient *= tau
    np.subtract(vr, gain_recipient, out=gain_recipient)  # the recipient's gain before w
    reward += gain_recipient
    return np.maximum(reward, 0.0, out=reward)


def detection_cutoff(reward_aider, reward_recipient, penalty_aider, penalty_recipient, transfer_efficiency,
                     whistleblower_reward):
    r"""The cutoff :math:`P^*`: the pair falsifies iff the detection probability :math:`P < P^*`.

    :math:`P^* = \min(P_1, P_2)` with :math:`P_1, P_2` the zeros of the side-deal surpluses
    :math:`k g_A + g_R` (the aider pays) and :math:`g_A + k g_R` (the recipient pays).
    Always :math:`P^* \le 1`; :math:`P^* \le 0` means the pair never falsifies.
    """
    return np.minimum(*_surplus_roots(reward_aider, reward_recipient, penalty_aider, penalty_recipient,
                                      transfer_efficiency, whistleblower_reward))


def collusion_proof_reward(reward_aider, reward_recipient, penalty_aider, penalty_recipient, transfer_efficiency,
                           transparency):
    r"""Least whistleblower reward :math:`w^*` that deters falsifying without audits.

    Without audits :math:`P = \tau`.  With :math:`g_A^0 = (1-\tau)V_A - \tau F_A` and
    :math:`g_R^0 = (1-\tau)V_R - \tau F_R` (the recipient's gain before :math:`w`), falsifying
    is unprofitable iff :math:`k g_A^0 + g_R^0 \le w` or :math:`g_A^0/k + g_R^0 \le w`, so

    .. math:: w^* = \max\bigl(0,\ g_R^0 + \min(k g_A^0,\ g_A^0 / k)\bigr).

    (When the aider gains it can pass on :math:`k g_A^0`; when it loses the recipient must
    pay it :math:`-g_A^0/k`.)  Any smaller non-negative reward leaves falsifying profitable.
    """
    arrays = _one_shape(reward_aider, reward_recipient, penalty_aider, penalty_recipient, transfer_efficiency,
                        transparency)
    shape = arrays[0].shape
    return _collusion_proof_reward_inplace(*arrays, out=np.empty(shape), scratch=np.empty(shape))[()]


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
    return TransferFrontier(np.moveaxis(gains, 0, -1), transfer_efficiency)


def _amount_sent(shortfall, transfer_efficiency, out=None):
    r"""The transfer that leaves the aider ``shortfall`` below its gain :math:`g_A`.

    The aider sends :math:`s = g_A - u_A` when that is non-negative; otherwise the recipient
    sends :math:`t` with :math:`k t = u_A - g_A`, reported as :math:`-t = (g_A - u_A)/k`.
    ``out`` (optional, not ``shortfall``) is scratch of the same shape; ``shortfall`` is
    overwritten with the result, which is returned.
    """
    # branch-free: max(x, 0) + min(x, 0)/k is x or x/k exactly (the other term is a zero)
    received = np.maximum(shortfall, 0.0, out=out)
    np.minimum(shortfall, 0.0, out=shortfall)
    with np.errstate(over="ignore"):  # k of a few ulps: the recipient would send without bound
        shortfall /= transfer_efficiency
    shortfall += received
    return shortfall


def _side_deal(gains, transfer_efficiency, recipient_power):
    """The generalised Nash bargaining solution over the gains; returns (sent, u_aider, u_recipient).

    ``gains`` has shape ``(2, ...)``: the rows :math:`g_A` and :math:`g_R` (moved to the last
    axis as the frontier's status quo without a copy); it is overwritten.
    """
    deal = nash_bargaining(TransferFrontier(np.moveaxis(gains, 0, -1), transfer_efficiency),
                           disagreement=(0.0, 0.0), power=1.0 - recipient_power)
    u_aider, u_recipient = deal.utilities
    shortfall = np.subtract(gains[0], u_aider, out=gains[0])
    return _amount_sent(shortfall, transfer_efficiency, out=gains[1]), u_aider, u_recipient


@register
class JointBlame(Model):
    """Joint blame-avoidance (联合避责): the aider and the recipient against the centre's audits.

    See the module docstring for the formal model and the equilibrium.  Parameters are
    keyword arguments by their public names; ``solve()`` is vectorised over arrays.  Its ten
    real-valued outputs are the rows of one block of memory (one allocation is much cheaper
    than ten), so keeping any one of them keeps the block.
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
        Output("regime", "deterred, mixed, unchecked or collude_and_audit", "regime"),
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
        shape = np.shape(transparency)  # parameters arrive broadcast to one shape
        if shape == ():  # work on 1-element arrays so that in-place updates apply to scalars too
            return {name: value.reshape(()) for name, value in self._solve(
                prob_good=prob_good.reshape(1), reward_aider=reward_aider.reshape(1),
                reward_recipient=reward_recipient.reshape(1), penalty_aider=penalty_aider.reshape(1),
                penalty_recipient=penalty_recipient.reshape(1), transfer_efficiency=transfer_efficiency.reshape(1),
                recipient_power=recipient_power.reshape(1), audit_cost=audit_cost.reshape(1),
                audit_detection=audit_detection.reshape(1), centre_loss=centre_loss.reshape(1),
                transparency=transparency.reshape(1), whistleblower_reward=whistleblower_reward.reshape(1)).items()}
        pi, c, d, tau, w = prob_good, audit_cost, audit_detection, transparency, whistleblower_reward
        va, vr, fa, fr, k = reward_aider, reward_recipient, penalty_aider, penalty_recipient, transfer_efficiency

        # Memory traffic, not arithmetic, bounds this solver: temporaries are computed in place and
        # their buffers reused for later quantities (the comments name what a buffer holds).  The
        # ten real-valued outputs are the rows of one block, and every array of this shape below
        # is one of them (`fresh()`): one large allocation costs far less in fresh memory pages
        # than ten separate ones, and the temporaries fit into the rows not yet final.
        fresh = iter(np.empty((10,) + shape)).__next__
        root_aider_pays, root_recipient_pays, spare_1, spare_2 = _surplus_roots_inplace(
            va, vr, fa, fr, k, w, (fresh(), fresh(), fresh(), fresh()))
        cutoff = np.minimum(root_aider_pays, root_recipient_pays, out=root_aider_pays)  # P*: falsify iff P < P*
        buffer_a = root_recipient_pays
        del root_aider_pays, root_recipient_pays
        bad = np.subtract(1.0, pi, out=spare_1)
        marginal = np.subtract(1.0, tau, out=spare_2)  # detection an audit adds to the platform's
        del spare_1, spare_2
        marginal *= d
        gain_full = np.multiply(bad, marginal, out=buffer_a)  # G(1): auditing pays when every bad year
        gain_full *= centre_loss                              # is falsified
        gain_full -= c
        cost_true = np.multiply(c, pi, out=fresh())    # -G(0): the cost of auditing true good reports

        not_deterred = tau < cutoff                   # (deterred: tau >= P*)
        audits = gain_full > 0.0
        audits &= not_deterred
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            collusion_star = np.add(gain_full, cost_true, out=gain_full)  # x*: leaves the centre indifferent
            np.divide(cost_true, collusion_star, out=collusion_star)
            audit_star = np.subtract(cutoff, tau, out=cost_true)        # a*: leaves the pair indifferent
            audit_star /= marginal
        del gain_full, cost_true
        collude_and_audit = audit_star > 1.0          # even a = 1 leaves P below P*
        collude_and_audit &= audits
        mixed = audits ^ collude_and_audit
        unchecked = not_deterred ^ audits

        mixed_at = np.flatnonzero(mixed)              # the mixed regime is a minority: index it
        collusion = fresh()
        np.copyto(collusion, not_deterred)
        collusion.put(mixed_at, collusion_star.take(mixed_at))
        free = collusion_star
        del collusion_star
        audit = fresh()
        np.copyto(audit, collude_and_audit)
        audit.put(mixed_at, audit_star.take(mixed_at))
        detection = np.multiply(marginal, audit, out=audit_star)
        detection += tau
        buffer_b = marginal
        del marginal, audit_star

        false_reports = np.multiply(bad, collusion, out=fresh())  # probability of a false good report
        good_reports = np.add(pi, false_reports, out=fresh())
        with np.errstate(divide="ignore", invalid="ignore"):
            false_rate = np.divide(false_reports, good_reports, out=fresh())
        if not good_reports.all():
            false_rate[good_reports == 0.0] = 0.0     # no good reports at all: none is false
        expected_loss = np.subtract(1.0, detection, out=free)
        expected_loss *= false_reports
        expected_loss *= centre_loss
        audit_costs = np.multiply(c, audit, out=buffer_b)
        audit_costs *= good_reports
        expected_loss += audit_costs
        honest_bad = np.subtract(bad, false_reports, out=bad)
        honest_bad *= w
        expected_loss += honest_bad
        # Four rows are free now: the reward, then the side deal's three outputs.
        reward, sent, u_aider, u_recipient = audit_costs, honest_bad, false_reports, good_reports
        del buffer_b, audit_costs, honest_bad, bad, false_reports, good_reports, free

        # Regime codes index REGIMES: deterred 0, mixed 1, unchecked 2, collude_and_audit 3.
        code = np.add(unchecked.view(np.uint8), unchecked.view(np.uint8))
        code += mixed.view(np.uint8)
        for _ in range(3):                            # (in place: no temporary for 3 * mask)
            code += collude_and_audit.view(np.uint8)

        _collusion_proof_reward_inplace(va, vr, fa, fr, k, tau, out=reward, scratch=sent)
        # In the mixed regime detection = P*, where the pair is indifferent.
        colluding = unchecked
        colluding |= collude_and_audit
        self._side_deals(colluding, mixed_at, detection, va, vr, fa, fr, k, w, recipient_power,
                         outputs=(sent, u_aider, u_recipient))
        return {
            "collusion_probability": collusion,
            "audit_probability": audit,
            "regime": _REGIME_ARRAY.take(code),
            "detection_probability": detection,
            "false_report_rate": false_rate,
            "centre_expected_loss": expected_loss,
            "side_transfer": sent,
            "aider_gain": u_aider,
            "recipient_gain": u_recipient,
            "deterrence_threshold": np.maximum(cutoff, 0.0, out=cutoff),
            "collusion_proof_reward": reward,
        }

    @staticmethod
    def _side_deals(colluding, mixed, detection, va, vr, fa, fr, k, w, recipient_power, outputs=None):
        """(side_transfer, aider_gain, recipient_gain) at the equilibrium detection probability.

        Where the pair colludes strictly (``unchecked``, ``collude_and_audit``) the deal is the
        core's generalised Nash bargaining solution on the kinked frontier.  In the ``mixed``
        regime :math:`P = P^*`: the only individually rational point is (0, 0), so both gains
        are 0 and the transfer hands over the payer's whole gain -- :math:`g_A(P^*) \\ge 0` if the
        aider pays (its surplus :math:`k g_A + g_R` binds, and :math:`g_A + k g_R \\ge 0` with it
        gives :math:`g_A (1 - k^2) \\ge 0`), :math:`g_A(P^*)/k < 0` if the recipient pays (by the
        same argument; at :math:`k = 1` the two readings coincide); that is the amount sent for the
        shortfall :math:`g_A - 0`.  When deterred no deal is struck: all three are 0.  ``mixed``
        is a boolean mask or the flat indices of the mixed points; ``outputs``, three arrays of the
        shape of ``detection`` (their contents are overwritten), receive the results.
        """
        shape = np.shape(detection)
        if outputs is None:
            outputs = tuple(np.empty(shape) for _ in range(3))
        sent, u_aider, u_recipient = outputs

        # g_A and g_R at the equilibrium detection probability, everywhere (cheaper than gathering
        # their inputs), held in the buffers of the two gains until the deal is struck
        gain_aider = np.add(va, fa, out=u_recipient)
        gain_aider *= detection
        np.subtract(va, gain_aider, out=gain_aider)
        sent.fill(0.0)

        where = mixed if mixed.dtype.kind in "iu" else np.flatnonzero(mixed)
        if where.size:
            sent.put(where, _amount_sent(gain_aider.take(where), k.take(where)))

        where = np.flatnonzero(colluding)
        if where.size:
            gain_recipient = np.add(vr, fr, out=u_aider)
            gain_recipient *= detection
            np.subtract(vr, gain_recipient, out=gain_recipient)
            gain_recipient -= w
            # The deal's inputs gathered into the rows of one buffer: one allocation, not four.
            rows = np.empty((4, where.size))
            for row, source in zip(rows, (gain_aider, gain_recipient, k, recipient_power)):
                np.take(source, where, out=row, mode="clip")  # (mode: the indices are valid; no copy)
            deal = _side_deal(rows[:2], rows[2], rows[3])
        u_aider.fill(0.0)
        u_recipient.fill(0.0)
        if where.size:
            for out, values in zip((sent, u_aider, u_recipient), deal):
                out.put(where, values)
        return sent, u_aider, u_recipient

    # -- the finite game ---------------------------------------------------------------
    def _scalar_params(self) -> dict:
        values = self.params
        arrays = [n for n, v in values.items() if np.ndim(v) != 0]
        if arrays:
            raise ValueError(f"{self.name}: the game needs scalar parameters; {arrays[0]!r} is an array")
        return {n: float(v) for n, v in values.items()}

    def payoff_matrices(self) -> tuple:
        r"""The pair-versus-centre game as two 2x2 payoff arrays ``(pair, centre)``.

        Rows: the pair {falsify, honest} when performance is bad; columns: the centre
        {audit, no audit} on a good report.

        The pair's payoff is the binding side-deal surplus, linear in :math:`P`:
        :math:`k g_A(P) + g_R(P)` if the aider is the payer at the cutoff
        (:math:`P_1 \le P_2`), else :math:`g_A(P) + k g_R(P)`; honesty is the zero point.  It is
        positive iff :math:`P < P^*`, so its best responses are the pair's.  With :math:`P`
        linear in the audit rate, so is the pair's expected payoff.

        The centre's payoff is minus its expected loss over the year:
        :math:`-(1-\pi)x(1-P)L - c_a a(\pi + (1-\pi)x) - (1-\pi)(1-x)w`.
        """
        p = self._scalar_params()
        va, vr, fa, fr, k, w = (p["reward_aider"], p["reward_recipient"], p["penalty_aider"],
                                p["penalty_recipient"], p["transfer_efficiency"], p["whistleblower_reward"])
        pi, c, d, loss, tau = p["prob_good"], p["audit_cost"], p["audit_detection"], p["centre_loss"], p["transparency"]
        root1, root2 = _surplus_roots(va, vr, fa, fr, k, w)

        def surplus(detect: float) -> float:
            g_a = (1 - detect) * va - detect * fa
            g_r = (1 - detect) * vr - detect * fr - w
            return k * g_a + g_r if root1 <= root2 else g_a + k * g_r

        p_audit = tau + (1 - tau) * d
        pair = np.array([[surplus(p_audit), surplus(tau)], [0.0, 0.0]])
        bad = 1 - pi
        centre = np.array([
            [-bad * (1 - p_audit) * loss - c, -bad * (1 - tau) * loss],
            [-c * pi - bad * w, -bad * w],
        ])
        return pair, centre

    def to_game(self):
        """The pair-versus-centre game as the core's 2x2 ``NormalFormGame`` (see :meth:`payoff_matrices`)."""
        from ..core.normal_form import NormalFormGame

        pair, centre = self.payoff_matrices()
        return NormalFormGame.bimatrix(pair, centre, players=("pair", "centre"),
                                       strategies=(("falsify", "honest"), ("audit", "no audit")))

    # -- closed form -------------------------------------------------------------------
    def symbolic(self):
        """The equilibrium in closed form, regime by regime (see the module docstring)."""
        import sympy as sp

        from ..core.symbolic import Regime, SymbolicSolution

        sym = {p.name: sp.Symbol(p.symbol, real=True) for p in self.parameters}
        pi, va, vr, fa, fr, k, beta, c, d, loss, tau, w = (sym[p.name] for p in self.parameters)
        alpha = 1 - beta                                          # the aider's bargaining power

        def gains(detect):
            return va - detect * (va + fa), vr - detect * (vr + fr) - w

        root1 = (k * va + vr - w) / (k * (va + fa) + vr + fr)
        root2 = (va + k * (vr - w)) / (va + fa + k * (vr + fr))
        cutoff = sp.Min(root1, root2)
        bad = 1 - pi
        marginal = (1 - tau) * d
        gain_full = bad * marginal * loss - c

        def nash_deal(detect):
            """(sent, u_aider, u_recipient): the weighted Nash solution on the kinked frontier."""
            g_a, g_r = gains(detect)
            t1 = g_a + g_r / k                                    # total in aider units, aider pays
            t2 = g_a / k + g_r                                    # total in recipient units, recipient pays
            pieces = [
                ((g_a - alpha * t1, alpha * t1, (1 - alpha) * k * t1), sp.And(t1 >= 0, alpha * t1 <= g_a)),
                ((g_a / k - alpha * t2, alpha * k * t2, (1 - alpha) * t2), sp.And(t2 >= 0, alpha * k * t2 >= g_a)),
                ((0, g_a, g_r), True),                            # the kink: no transfer
            ]
            return tuple(sp.Piecewise(*[(vals[i], cond) for vals, cond in pieces]) for i in range(3))

        def outcome(x, a, deal):
            detect = tau + marginal * a
            false_reports = bad * x
            good = pi + false_reports
            rate = false_reports / good if x != 0 else sp.Integer(0)
            loss_exp = false_reports * (1 - detect) * loss + c * a * good + (bad - false_reports) * w
            sent, u_a, u_r = deal if deal is not None else nash_deal(detect)
            return {"collusion_probability": sp.sympify(x), "audit_probability": sp.sympify(a),
                    "detection_probability": detect, "false_report_rate": rate,
                    "centre_expected_loss": loss_exp, "side_transfer": sent,
                    "aider_gain": u_a, "recipient_gain": u_r}

        x_star = c * pi / (bad * ((1 - tau) * d * loss - c))
        a_star = (cutoff - tau) / marginal
        g_a_star = gains(cutoff)[0]
        mixed_deal = (sp.Piecewise((g_a_star, root1 <= root2), (g_a_star / k, True)), sp.Integer(0), sp.Integer(0))
        regimes = [
            Regime("deterred", tau >= cutoff, outcome(0, 0, (sp.Integer(0),) * 3)),
            Regime("unchecked", gain_full <= 0, outcome(1, 0, None)),
            Regime("collude_and_audit", tau + marginal < cutoff, outcome(1, 1, None)),
            Regime("mixed", sp.true, outcome(x_star, a_star, mixed_deal)),
        ]
        g_a0, g_r0 = va - tau * (va + fa), vr - tau * (vr + fr)
        thresholds = {
            "detection_cutoff": cutoff,
            "deterrence_threshold": sp.Max(0, cutoff),
            "collusion_proof_reward": sp.Max(0, g_r0 + sp.Min(k * g_a0, g_a0 / k)),
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
