r"""Proposition 4 (joint blame-avoidance): collusion against audits and transparency.

Derived with sympy from the model's primitives (statement: ``proposition_4.md``).  Each
``test_*`` function is one step; run the file as a script to print the derivation.

Primitives.  At detection probability :math:`P` the pair's gains from falsifying a bad result
over honesty, before any side transfer, are

.. math:: g_A(P) = (1-P)V_A - P F_A, \qquad g_R(P) = (1-P)V_R - P F_R - w .

A signed transfer :math:`s` (aider to recipient if :math:`s \ge 0`, the recipient sending
:math:`-s` otherwise; the receiver gets the fraction :math:`k \in (0, 1]`) gives
:math:`u_A(s) = g_A - s,\ u_R(s) = g_R + k s` for :math:`s \ge 0` and
:math:`u_A(s) = g_A - k s,\ u_R(s) = g_R + s` for :math:`s < 0`.  The pair falsifies iff some
:math:`s` gives :math:`u_A, u_R \ge 0` with one of them positive.

The centre audits a good report with probability :math:`a` at cost :math:`c_a`; an audit
detects with probability :math:`d`; the platform flags with probability :math:`\tau`;
:math:`P = 1 - (1-\tau)(1-a d)`; an undetected false report costs it :math:`L`; performance is
good with probability :math:`\pi`; the pair falsifies a bad result with probability :math:`x`.
"""
from __future__ import annotations

import sympy as sp

# -- primitives ----------------------------------------------------------------------------
V_A, V_R, F_A, F_R, w = sp.symbols("V_A V_R F_A F_R w", nonnegative=True)
k = sp.Symbol("k", positive=True)                    # transfer efficiency, k <= 1
one_minus_k = sp.Symbol("kappa", nonnegative=True)   # 1 - k, to state signs
P, s = sp.symbols("P s", real=True)
tau, d, a, x = sp.symbols("tau d a x", nonnegative=True)
pi_good = sp.Symbol("pi_good", positive=True)
bad = sp.Symbol("omega", positive=True)              # 1 - pi_good, the probability of a bad year
c_a, L = sp.symbols("c_a L", positive=True)
g_A, g_R = sp.symbols("g_A g_R", real=True)          # gains as free symbols for the sign analysis


def gain_aider(detect):
    return (1 - detect) * V_A - detect * F_A


def gain_recipient(detect):
    return (1 - detect) * V_R - detect * F_R - w


def detection(audit):
    """P = 1 - (1 - tau)(1 - a d): the platform or an audit catches the false report."""
    return 1 - (1 - tau) * (1 - audit * d)


# Surpluses of the side deal: what the receiver keeps if the payer hands over its whole gain.
SURPLUS_AIDER_PAYS = k * g_A + g_R
SURPLUS_RECIPIENT_PAYS = g_A + k * g_R


def acceptable_interval():
    """Transfers acceptable to both: [s_R, s_A] with u_A(s_A) = 0 and u_R(s_R) = 0, per sign case."""
    s_A_pos = sp.solve(sp.Eq(g_A - s, 0), s)[0]        # aider's zero on s >= 0 (valid if g_A >= 0)
    s_A_neg = sp.solve(sp.Eq(g_A - k * s, 0), s)[0]    # on s < 0 (valid if g_A < 0)
    s_R_neg = sp.solve(sp.Eq(g_R + s, 0), s)[0]        # recipient's zero on s < 0 (valid if g_R >= 0)
    s_R_pos = sp.solve(sp.Eq(g_R + k * s, 0), s)[0]    # on s >= 0 (valid if g_R < 0)
    return s_A_pos, s_A_neg, s_R_neg, s_R_pos


# -- step 1: the pair's decision is one surplus condition -----------------------------------
def test_decision_is_positive_surplus():
    r"""The pair falsifies iff :math:`\Phi = \min(k g_A + g_R,\ g_A + k g_R) > 0`.

    :math:`u_A` falls and :math:`u_R` rises in :math:`s`, so acceptable transfers form
    :math:`[s_R, s_A]`; a strict improvement exists iff :math:`s_A - s_R > 0`.  In each sign
    case :math:`s_A - s_R` is a positive multiple of the smaller surplus (or the sum of two
    non-negative gains, when :math:`\Phi \ge 0` holds trivially).
    """
    s_A_pos, s_A_neg, s_R_neg, s_R_pos = acceptable_interval()
    gp, gq = sp.symbols("gp gq", nonnegative=True)   # |g| for the sign cases
    # g_A >= 0, g_R < 0: the aider pays; width = (k g_A + g_R)/k, and that surplus is the smaller.
    width = (s_A_pos - s_R_pos).subs({g_A: gp, g_R: -gq})
    assert sp.simplify(width - SURPLUS_AIDER_PAYS.subs({g_A: gp, g_R: -gq}) / k) == 0
    diff = (SURPLUS_RECIPIENT_PAYS - SURPLUS_AIDER_PAYS).subs({g_A: gp, g_R: -gq, k: 1 - one_minus_k})
    assert sp.expand(diff - one_minus_k * (gp + gq)) == 0           # >= 0
    # g_A < 0, g_R >= 0: the recipient pays; width = (g_A + k g_R)/k, the smaller surplus.
    width = (s_A_neg - s_R_neg).subs({g_A: -gp, g_R: gq})
    assert sp.simplify(width - SURPLUS_RECIPIENT_PAYS.subs({g_A: -gp, g_R: gq}) / k) == 0
    diff = (SURPLUS_AIDER_PAYS - SURPLUS_RECIPIENT_PAYS).subs({g_A: -gp, g_R: gq, k: 1 - one_minus_k})
    assert sp.expand(diff - one_minus_k * (gp + gq)) == 0
    # both >= 0: width g_A + g_R >= 0, positive iff one gain is; so are both surpluses.
    width = (s_A_pos - s_R_neg).subs({g_A: gp, g_R: gq})
    assert sp.simplify(width - (gp + gq)) == 0
    assert SURPLUS_AIDER_PAYS.subs({g_A: gp, g_R: gq}).is_nonnegative
    # both < 0: width (g_A + g_R)/k < 0 and both surpluses are negative: no deal.
    width = (s_A_neg - s_R_pos).subs({g_A: -gp, g_R: -gq})
    assert sp.simplify(width + (gp + gq) / k) == 0
    assert (-SURPLUS_AIDER_PAYS.subs({g_A: -gp, g_R: -gq})).is_nonnegative


def cutoffs():
    """The zeros in P of the two surpluses (the pair's decision depends on P only)."""
    surplus_1 = SURPLUS_AIDER_PAYS.subs({g_A: gain_aider(P), g_R: gain_recipient(P)})
    surplus_2 = SURPLUS_RECIPIENT_PAYS.subs({g_A: gain_aider(P), g_R: gain_recipient(P)})
    return surplus_1, surplus_2, sp.solve(surplus_1, P)[0], sp.solve(surplus_2, P)[0]


def test_cutoff_in_detection_probability():
    r"""Both surpluses are linear and strictly decreasing in :math:`P`; the pair falsifies iff
    :math:`P < P^* = \min(P_1, P_2)`, and :math:`P^* \le 1` (so :math:`P = 1` always deters)."""
    surplus_1, surplus_2, root_1, root_2 = cutoffs()
    for surplus, root in ((surplus_1, root_1), (surplus_2, root_2)):
        assert sp.diff(surplus, P, 2) == 0                       # linear
        slope = sp.diff(surplus, P)
        assert (-slope).is_nonnegative                           # decreasing (strictly unless all V, F = 0)
        assert sp.simplify(surplus - slope * (P - root)) == 0    # surplus = |slope| (root - P)
        assert sp.simplify(root - 1 - surplus.subs(P, 1) / (-slope)) == 0   # root - 1 = surplus(1)/|slope|
        assert (-surplus.subs(P, 1)).is_nonnegative              # at P = 1 the surplus is <= 0
    assert sp.simplify(root_1 - (k * V_A + V_R - w) / (k * (V_A + F_A) + V_R + F_R)) == 0
    assert sp.simplify(root_2 - (V_A + k * (V_R - w)) / (V_A + F_A + k * (V_R + F_R))) == 0


# -- step 2: the centre's payoff of auditing, and the game ------------------------------------
def centre_audit_gain(collusion):
    r"""Per year: auditing every good report minus not auditing any.

    A good report is false with posterior :math:`q = (1-\pi)x / (\pi + (1-\pi)x)`; an audit adds
    detection :math:`(1-\tau)d` beyond the platform's, saving :math:`L`, at cost :math:`c_a`.
    """
    good_reports = pi_good + bad * collusion
    posterior = bad * collusion / good_reports
    per_good_report = posterior * (1 - tau) * d * L - c_a
    return sp.simplify(per_good_report * good_reports)


def centre_expected_loss(collusion, audit):
    """Undetected losses + audit costs (+ whistleblower rewards, which do not depend on a)."""
    return (bad * collusion * (1 - detection(audit)) * L + c_a * audit * (pi_good + bad * collusion)
            + bad * (1 - collusion) * w)


def test_centre_gain_is_marginal_loss():
    """The audit gain is the derivative of minus the centre's loss in the audit rate."""
    assert sp.simplify(-sp.diff(centre_expected_loss(x, a), a) - centre_audit_gain(x)) == 0


def mixed_equilibrium():
    """Indifference conditions: the centre's pins x, the pair's pins a (P(a) = P*)."""
    x_star = sp.solve(sp.Eq(centre_audit_gain(x), 0), x)[0]
    cutoff = sp.Symbol("P_star", positive=True)
    a_star = sp.solve(sp.Eq(detection(a), cutoff), a)[0]
    return x_star, a_star, cutoff


def test_mixed_equilibrium():
    r""":math:`x^* = c_a\pi / ((1-\pi)((1-\tau)dL - c_a))`, :math:`a^* = (P^* - \tau)/((1-\tau)d)`."""
    x_star, a_star, cutoff = mixed_equilibrium()
    assert sp.simplify(x_star - c_a * pi_good / (bad * ((1 - tau) * d * L - c_a))) == 0
    assert sp.simplify(a_star - (cutoff - tau) / ((1 - tau) * d)) == 0
    # x* < 1 iff auditing pays when every bad year is falsified: G(1) > 0.
    gain_full = centre_audit_gain(1)
    assert sp.simplify(gain_full - (bad * (1 - tau) * d * L - c_a * (pi_good + bad))) == 0
    # with pi + omega = 1, G(1) = omega (1 - tau) d L - c_a and x* = c_a pi / (G(1) + c_a pi)
    gain_full_unit = gain_full.subs(pi_good, 1 - bad)
    assert sp.simplify(x_star.subs(pi_good, 1 - bad)
                       - c_a * (1 - bad) / (gain_full_unit + c_a * (1 - bad))) == 0
    # a* <= 1 iff sure audits reach the cutoff: tau + (1 - tau) d >= P*.
    assert sp.simplify(detection(1) - (tau + (1 - tau) * d)) == 0


def test_mixed_equilibrium_is_the_game_equilibrium():
    """In the 2x2 game (pair: falsify/honest; centre: audit/no audit) the pair's payoff is its
    binding surplus, linear in P; the indifference conditions of the bimatrix give (x*, a*)."""
    surplus_1, _, root_1, _ = cutoffs()
    pair = sp.Matrix([[surplus_1.subs(P, detection(1)), surplus_1.subs(P, detection(0))], [0, 0]])
    centre = -sp.Matrix([[centre_expected_loss(1, 1), centre_expected_loss(1, 0)],
                         [centre_expected_loss(0, 1), centre_expected_loss(0, 0)]])
    col = sp.Matrix([a, 1 - a])
    row = sp.Matrix([[x, 1 - x]])
    a_game = sp.solve(sp.Eq((pair * col)[0], (pair * col)[1]), a)[0]
    x_game = sp.solve(sp.Eq((row * centre)[0], (row * centre)[1]), x)[0]
    x_star, a_star, cutoff = mixed_equilibrium()
    assert sp.simplify(a_game - a_star.subs(cutoff, root_1)) == 0
    assert sp.simplify(x_game - x_star) == 0


# -- step 3: penalties move only the audit rate ------------------------------------------------
def test_penalties_move_only_the_audit_rate():
    r""":math:`x^*` involves neither penalty (nor rewards, :math:`k`, :math:`w`); :math:`a^*` falls
    in each penalty because both zeros :math:`P_1, P_2` do."""
    x_star, a_star, cutoff = mixed_equilibrium()
    assert not x_star.free_symbols & {F_A, F_R, V_A, V_R, k, w}
    _, _, root_1, root_2 = cutoffs()
    for root in (root_1, root_2):
        numerator, denominator = sp.fraction(sp.together(root))
        assert not numerator.free_symbols & {F_A, F_R}
        for penalty in (F_A, F_R):
            weight = sp.diff(denominator, penalty)
            assert weight.is_nonnegative
            # d root / dF = -weight * numerator / denominator^2 <= 0 where the root (so P*) is positive
            assert sp.simplify(sp.diff(root, penalty) + weight * numerator / denominator ** 2) == 0
    assert sp.simplify(sp.diff(a_star, cutoff) - 1 / ((1 - tau) * d)) == 0   # a* rises with P*


# -- step 4: transparency crowds out audits, then deters ---------------------------------------
def test_collusion_rises_with_transparency_in_the_mixed_regime():
    r""":math:`\partial x^*/\partial\tau = c_a\pi(1-\pi)dL / [(1-\pi)((1-\tau)dL - c_a)]^2 > 0`
    and :math:`\partial a^*/\partial\tau = (P^* - 1)/((1-\tau)^2 d) \le 0`."""
    x_star, a_star, cutoff = mixed_equilibrium()
    dx = sp.factor(sp.diff(x_star, tau))
    expected = c_a * pi_good * bad * d * L / (bad * ((1 - tau) * d * L - c_a)) ** 2
    assert sp.simplify(dx - expected) == 0
    numerator, denominator = sp.fraction(expected)
    assert numerator.is_nonnegative and denominator.is_nonnegative      # a product over a square
    da = sp.simplify(sp.diff(a_star, tau))
    assert sp.simplify(da - (cutoff - 1) / ((1 - tau) ** 2 * d)) == 0


def test_no_collusion_above_the_threshold():
    r"""If :math:`\tau \ge P^*` then :math:`P(a) \ge \tau \ge P^*` for every :math:`a`: honesty
    for sure (:math:`x = 0`), whereupon auditing only costs (:math:`G(0) = -c_a\pi < 0`): :math:`a = 0`."""
    assert sp.simplify(detection(a) - tau - (1 - tau) * a * d) == 0   # P(a) - tau >= 0
    assert sp.simplify(centre_audit_gain(0) + c_a * pi_good) == 0


def test_deterrence_threshold():
    r"""Without audits :math:`P = \tau`; the least deterring :math:`\tau` in [0, 1] is
    :math:`\max(0, P^*)`, and it always exists because :math:`P^* \le 1`."""
    _, _, root_1, root_2 = cutoffs()
    for root in (root_1, root_2):
        numerator, denominator = sp.fraction(sp.together(root))
        assert sp.expand(denominator - numerator).is_nonnegative   # = F terms + w >= 0: root <= 1
    assert detection(0) == tau


def test_collusion_proof_reward():
    r""":math:`w^* = \max\bigl(0, g_R^0 + \min(k g_A^0, g_A^0/k)\bigr)` at :math:`P = \tau`:
    the least :math:`w` at which one surplus stops being positive."""
    surplus_1, surplus_2, _, _ = cutoffs()
    w_1 = sp.solve(surplus_1.subs(P, tau), w)[0]
    w_2 = sp.solve(surplus_2.subs(P, tau), w)[0]
    g_A0, g_R0 = gain_aider(tau), (1 - tau) * V_R - tau * F_R
    assert sp.simplify(w_1 - (k * g_A0 + g_R0)) == 0
    assert sp.simplify(w_2 - (g_A0 / k + g_R0)) == 0
    # each surplus falls in w, so falsifying stops once w >= min(w_1, w_2)
    assert sp.diff(surplus_1, w) == -1 and sp.diff(surplus_2, w) == -k
    # min(k g, g/k) is k g for g >= 0 and g/k for g < 0, because g/k - k g = g (1 - k)(1 + k)/k
    g = sp.Symbol("g", real=True)
    assert sp.simplify(g / k - k * g - g * (1 - k) * (1 + k) / k) == 0


def test_model_matches_the_derivation():
    """The implemented model agrees with the derived expressions at a few points."""
    import numpy as np

    from gametheory_aid.models.joint_blame import JointBlame

    x_star, a_star, cutoff = mixed_equilibrium()
    _, _, root_1, root_2 = cutoffs()
    for values in ({}, {"transparency": 0.2}, {"transparency": 0.1, "penalty_aider": 6.0},
                   {"whistleblower_reward": 0.1, "transfer_efficiency": 1.0}):
        model = JointBlame(**values)
        p = model.params
        subs = {V_A: p["reward_aider"], V_R: p["reward_recipient"], F_A: p["penalty_aider"],
                F_R: p["penalty_recipient"], k: p["transfer_efficiency"], w: p["whistleblower_reward"],
                tau: p["transparency"], d: p["audit_detection"], L: p["centre_loss"], c_a: p["audit_cost"],
                pi_good: p["prob_good"], bad: 1 - p["prob_good"]}
        p_star = min(float(root_1.subs(subs)), float(root_2.subs(subs)))
        r = model.solve()
        assert r.regime == "mixed"
        assert np.isclose(float(r.collusion_probability), float(x_star.subs(subs)))
        assert np.isclose(float(r.audit_probability), float(a_star.subs(subs).subs(cutoff, p_star)))
        assert np.isclose(float(r.deterrence_threshold), max(0.0, p_star))


if __name__ == "__main__":
    sp.init_printing(use_unicode=True)
    s1, s2, r1, r2 = cutoffs()
    print("Surplus if the aider pays:     ", sp.factor(s1))
    print("Surplus if the recipient pays: ", sp.factor(s2))
    print("Zeros in P:  P_1 =", sp.simplify(r1), "   P_2 =", sp.simplify(r2))
    print("Centre's audit gain G(x) =", sp.factor(centre_audit_gain(x)))
    xs, as_, cut = mixed_equilibrium()
    print("Mixed equilibrium:  x* =", sp.simplify(xs), "   a* =", sp.simplify(as_))
    print("dx*/dtau =", sp.factor(sp.diff(xs, tau)))
    print("da*/dtau =", sp.simplify(sp.diff(as_, tau)))
    g_A0, g_R0 = gain_aider(tau), (1 - tau) * V_R - tau * F_R
    print("Collusion-proof reward candidates:", sp.solve(s1.subs(P, tau), w), sp.solve(s2.subs(P, tau), w))
    for name, f in sorted(globals().items()):
        if name.startswith("test_") and callable(f):
            f()
            print("ok:", name)
