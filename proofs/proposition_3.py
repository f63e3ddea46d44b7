"""Proposition 3 (``task-pushdown``): the accountability paradox, and full transparency.

The statements and the written induction are in ``proposition_3.md``.  The functions below
derive each algebraic step with sympy from the model's primitives -- the terminal payoffs of
the game (success, failure, lapse) and the success probability -- not from the solver's
formulas, and then check the solver against the derived results.

Run as a script to print the derivation::

    python proofs/proposition_3.py
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from gametheory_aid.models.task_pushdown import TaskPushdown

# ---------------------------------------------------------------------------- primitives
p, q, rho, tau, phi, lam = sp.symbols("p ptilde rho tau phi lam", nonnegative=True)
c, r, b, c_o, r_o, b_o, sigma = sp.symbols("c r b c_o r_o b_o sigma", nonnegative=True)
k = sp.Symbol("k", integer=True, nonnegative=True)

#: share of blame that sticks on a lapse (the responsibility grid is tau's channel)
sticky = phi + tau * (1 - phi)
#: success probability with decision support (the other channel of tau)
p_tilde = p + rho * tau * (1 - p)


def expected_act_payoff(P, credit, cost, blame):
    """The actor's expected payoff at the chance node after 'act' (spec section 3).

    Success (probability P): credit - cost.  Failure: -blame - cost.
    """
    return P * (credit - cost) + (1 - P) * (-blame - cost)


def expected_other_payoff(P, credit, blame):
    """The non-acting party's expected payoff: credit on success, sigma * its blame on failure."""
    return P * credit + (1 - P) * (-sigma * blame)


def lapse_payoff(blame):
    """Each party's payoff if every round passes."""
    return -sticky * blame


# ---------------------------------------------------------------------------- part 1
def one_round_margin():
    """One round: the Upper's gain from acting over passing (= the lapse), with P = ptilde."""
    return sp.expand(expected_act_payoff(q, r, c, b) - lapse_payoff(b))


def test_one_round_paradox_threshold():
    """With one round, raising blame makes acting less attractive iff tau < (1 - ptilde - phi)/(1 - phi)."""
    margin = one_round_margin()
    slope = sp.diff(margin, b)                       # effect of more blame on the gain from acting
    assert sp.simplify(slope - (sticky - (1 - q))) == 0
    # the slope is increasing in tau (strictly when phi < 1), so it is negative exactly below its root
    assert sp.simplify(sp.diff(slope, tau) - (1 - phi)) == 0
    root = sp.solve(sp.Eq(slope, 0), tau)
    assert len(root) == 1
    assert sp.simplify(root[0] - (1 - q - phi) / (1 - phi)) == 0
    # factorised: slope = (1 - phi)(tau - tau*), so for phi < 1 it is negative iff tau < tau*
    assert sp.simplify(slope - (1 - phi) * (tau - root[0])) == 0
    # the same by sympy's inequality solver at the defaults (phi = 1/5, ptilde = 7/10): tau < 1/8
    region = sp.solve_univariate_inequality(slope.subs({phi: sp.Rational(1, 5), q: sp.Rational(7, 10)}) < 0,
                                            tau, relational=False)
    assert region == sp.Interval.open(-sp.oo, sp.Rational(1, 8))
    # the other party's blame does not enter the one-round decision
    assert sp.diff(margin, b_o) == 0


def test_paradox_threshold_in_terms_of_tau_alone():
    """ptilde depends on tau; solving slope < 0 for tau gives the model's explicit threshold."""
    slope = sp.diff(expected_act_payoff(p_tilde, r, c, b) - lapse_payoff(b), b)
    root = sp.solve(sp.Eq(slope, 0), tau)
    assert len(root) == 1
    explicit = (1 - p - phi) / (1 - phi + rho * (1 - p))
    assert sp.simplify(root[0] - explicit) == 0
    # slope increases in tau: d/dtau = (1 - phi) + rho (1 - p) >= 0
    assert sp.simplify(sp.diff(slope, tau) - ((1 - phi) + rho * (1 - p))) == 0
    model = TaskPushdown(rounds=1).symbolic()
    s = model.symbols
    implemented = model.thresholds["paradox_threshold_transparency"]
    ours = explicit.subs({p: s["success_upper"], phi: s["blame_stickiness"], rho: s["decision_support"]})
    assert sp.simplify(implemented - ours) == 0


def test_one_round_solver_follows_the_threshold():
    """The solver, one round: below the threshold acting is monotone decreasing in blame, above increasing."""
    rng = np.random.default_rng(3)
    n = 20000
    pu, ph, rh = rng.random(n), rng.uniform(0, 0.95, n), rng.random(n)
    threshold = (1 - pu - ph) / (1 - ph + rh * (1 - pu))
    ta = rng.random(n)
    clear = np.abs(ta - threshold) > 1e-6
    blames = np.linspace(0, 30, 61)
    model = TaskPushdown(rounds=1, success_upper=pu[:, None], blame_stickiness=ph[:, None],
                         decision_support=rh[:, None], transparency=ta[:, None],
                         cost_upper=rng.uniform(0, 3, n)[:, None], credit_upper=rng.uniform(0, 3, n)[:, None],
                         blame_upper=blames[None, :])
    acts = ~model.solve().lapsed
    below = (ta < threshold) & clear
    above = (ta > threshold) & clear
    # below: once acting stops as blame rises it never resumes; above: once acting starts it continues
    assert not np.any(below[:, None] & (np.diff(acts.astype(int), axis=1) > 0))
    assert not np.any(above[:, None] & (np.diff(acts.astype(int), axis=1) < 0))


# ---------------------------------------------------------------------------- part 2
def test_lapse_characterisation_steps():
    """Lemma: the subgame from round k lapses iff the holder prefers the lapse at every later round.

    Step 1: if the continuation lapses, the holder's alternative to acting is its lapse payoff,
    and its gain from acting at round k is ptilde lam^k (r + b) - c - (1 - s) b.
    Step 2: that gain is non-increasing in k (lam <= 1), so each party's earliest round binds.
    """
    gain = sp.expand(expected_act_payoff(q * lam**k, r, c, b) - lapse_payoff(b))
    assert sp.simplify(gain - (q * lam**k * (r + b) - c - (1 - sticky) * b)) == 0
    two_later = gain.subs(k, k + 2) - gain
    assert sp.simplify(two_later - q * (r + b) * lam**k * (lam**2 - 1)) == 0  # <= 0 for lam in (0, 1]


def test_full_transparency_induction_steps():
    """The algebra of the induction in proposition_3.md (tau = 1)."""
    # (a) at tau = 1 the whole blame sticks on a lapse
    assert sp.simplify(sticky.subs(tau, 1) - 1) == 0
    assert sp.simplify(lapse_payoff(b).subs(tau, 1) + b) == 0
    # (b) the holder's gain from acting over a lapsing continuation
    P = sp.Symbol("P", nonnegative=True)
    gain = sp.expand((expected_act_payoff(P, r, c, b) - lapse_payoff(b)).subs(tau, 1))
    assert sp.simplify(gain - (P * (r + b) - c)) == 0
    # (c) it rises with the holder's own blame (slope P >= 0) and ignores the other's blame
    assert sp.diff(gain, b) == P
    assert sp.diff(gain, b_o) == 0
    # (d) so raising blame from b to b' keeps a non-negative gain non-negative
    b2 = sp.Symbol("b2", nonnegative=True)
    assert sp.simplify(gain.subs(b, b2) - gain - P * (b2 - b)) == 0
    # contrast, tau < 1: the slope P - (1 - s) is negative when s < 1 - P (the paradox) -- the
    # step (c) fails and so does the induction
    slope_general = sp.diff(expected_act_payoff(P, r, c, b) - lapse_payoff(b), b)
    assert sp.simplify(slope_general - (P - (1 - sticky))) == 0


def test_full_transparency_solver_never_lapses_more():
    """The solver at tau = 1, rounds 1..6: along rising blame scales a completed task stays completed."""
    rng = np.random.default_rng(11)
    n = 5000
    scales = np.linspace(0, 5, 41)
    for rounds in range(1, 7):
        model = TaskPushdown(rounds=rounds, transparency=1.0, success_upper=rng.random(n),
                             success_lower=rng.random(n), time_decay=rng.uniform(0.05, 1, n),
                             cost_upper=rng.uniform(0, 4, n), cost_lower=rng.uniform(0, 4, n),
                             credit_upper=rng.uniform(0, 3, n), credit_lower=rng.uniform(0, 3, n),
                             blame_upper=rng.uniform(0, 5, n), blame_lower=rng.uniform(0, 5, n),
                             supervisory_share=rng.random(n), blame_stickiness=rng.random(n),
                             decision_support=rng.random(n))
        lapsed = model.accountability_response(scales).lapsed
        assert not np.any(np.diff(lapsed.astype(int), axis=1) > 0), rounds


# ---------------------------------------------------------------------------- part 3
def completion_example(kappa):
    """The caveat, in exact arithmetic: tau = 1, two rounds, both blames 2 * kappa.

    Returns (who acts, completion probability) by backward induction on the primitives.
    """
    R = sp.Rational
    pu, pl, lam_, cu, cl, ru, rl, sig = R(8, 10), R(6, 10), R(8, 10), 1, 2, 2, 2, R(2, 10)
    bu = bl = 2 * kappa
    P1 = pl * lam_
    lower_act = P1 * (rl - cl) + (1 - P1) * (-bl - cl)
    lower_acts = lower_act >= -bl                                # lapse payoff at tau = 1
    upper_cont = (P1 * ru + (1 - P1) * (-sig * bu)) if lower_acts else -bu
    upper_act = pu * (ru - cu) + (1 - pu) * (-bu - cu)
    if upper_act >= upper_cont:
        return "upper", pu
    return ("lower", P1) if lower_acts else ("none", 0)


def test_completion_can_fall_as_blame_rises():
    """Doubling both blames at tau = 1 keeps the task alive but hands it to a later, weaker actor."""
    assert completion_example(1) == ("upper", sp.Rational(4, 5))
    assert completion_example(2) == ("lower", sp.Rational(12, 25))
    model = TaskPushdown(rounds=2, success_upper=0.8, success_lower=0.6, time_decay=0.8, cost_upper=1,
                         cost_lower=2, credit_upper=2, credit_lower=2, blame_upper=2, blame_lower=2,
                         supervisory_share=0.2, transparency=1)
    resp = model.accountability_response([1, 2])
    assert resp.actor.tolist() == ["upper", "lower"]
    np.testing.assert_allclose(resp.completion_probability, [0.8, 0.48])


def _print_derivation() -> None:
    margin = one_round_margin()
    slope = sp.diff(margin, b)
    print("One round, the Upper's gain from acting over the lapse (P = ptilde):")
    print("  D =", sp.simplify(margin))
    print("  dD/db =", sp.simplify(slope), "  (increasing in tau, slope", sp.simplify(sp.diff(slope, tau)), ")")
    print("  dD/db < 0  <=>  tau <", sp.simplify(sp.solve(sp.Eq(slope, 0), tau)[0]))
    full = sp.diff(expected_act_payoff(p_tilde, r, c, b) - lapse_payoff(b), b)
    print("  with ptilde = p + rho tau (1 - p):  tau <", sp.simplify(sp.solve(sp.Eq(full, 0), tau)[0]))
    P = sp.Symbol("P")
    gain = sp.expand((expected_act_payoff(P, r, c, b) - lapse_payoff(b)).subs(tau, 1))
    print("At tau = 1, the gain from acting over a lapsing continuation:", gain,
          "; d/db =", sp.diff(gain, b), ">= 0")
    print("Caveat (tau = 1, two rounds): blames 2 ->", completion_example(1), "; blames 4 ->",
          completion_example(2))


if __name__ == "__main__":
    _print_derivation()
