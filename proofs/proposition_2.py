"""Proposition 2 (poverty-bargaining): the optimal overstatement and the transparency threshold.

Derived with sympy from the model's primitives: the centre's value S(q) = a q - b q^2/2, the
generalised Nash product on a claimed cost, the verification lottery and the penalty.  Run as a
script to print the derivation; collected by pytest as tests.  See ``proposition_2.md``.
"""
import functools
import random

import sympy as sp

a, b = sp.symbols("a b", positive=True)
q, t, c, x = sp.symbols("q t c x", real=True)
theta = sp.Symbol("theta", nonnegative=True)
beta, tau = sp.symbols("beta tau", real=True)
d_a, d_c = sp.symbols("d_A d_C", real=True)
fine, rate = sp.symbols("F r", nonnegative=True)
# Sign-friendly reparametrisations: 1 - tau = s > 0 (tau < 1), 1 - beta = w >= 0 (beta <= 1), m = a - theta.
s = sp.Symbol("s", positive=True)
w = sp.Symbol("w", nonnegative=True)
m = sp.Symbol("m", positive=True)

S = a * q - b * q ** 2 / 2


def nash_solution(claim):
    """Maximise the log generalised Nash product over (q, t) for a claimed cost: first-order conditions."""
    gain_a = t - claim * q - d_a
    gain_c = S - t - d_c
    log_product = beta * sp.log(gain_a) + (1 - beta) * sp.log(gain_c)
    foc_t = sp.together(sp.diff(log_product, t))
    foc_q = sp.together(sp.diff(log_product, q))
    # The t-condition is linear in t: solve it, then the q-condition in q alone.
    t_sol = sp.solve(sp.numer(foc_t), t)
    assert len(t_sol) == 1
    q_condition = sp.factor(sp.numer(sp.together(foc_q.subs(t, t_sol[0]))))
    q_sol = [z for z in sp.solve(q_condition, q) if sp.cancel(z - (a - claim) / b) == 0]
    # Other roots make a gain vanish (log product = -oo): not maximisers.
    assert len(q_sol) == 1, q_condition
    return q_sol[0], sp.cancel(t_sol[0].subs(q, q_sol[0]))


@functools.cache
def derive():
    """Every step of the derivation, as a dict of sympy expressions."""
    out = {}
    q_c, t_c = nash_solution(c)
    out["quota"], out["transfer"] = q_c, sp.cancel(t_c)
    joint_gain = sp.cancel((S - c * q).subs(q, q_c) - d_a - d_c)         # G(c)
    out["joint_gain"] = joint_gain
    out["aider_share"] = sp.cancel(t_c - c * q_c - d_a - beta * joint_gain)  # must be 0: d_A + beta G
    # The aider's TRUE payoff from a deal on claim c, and the expected gain over honesty.
    true_payoff = sp.cancel(t_c - theta * q_c)
    honest = true_payoff.subs(c, theta)
    unverified_gain = sp.expand(true_payoff.subs(c, theta + x) - honest)      # g(x)
    out["unverified_gain"] = sp.factor(unverified_gain)
    delta = (1 - tau) * unverified_gain - tau * (fine + rate * x)            # Delta(x; tau), x > 0
    out["delta"] = delta
    # First-order condition and concavity.
    foc = sp.diff(delta, x)
    x_star = sp.solve(sp.Eq(foc, 0), x)
    assert len(x_star) == 1
    out["x_star"] = sp.factor(x_star[0])
    out["second_derivative"] = sp.factor(sp.diff(delta, x, 2))
    out["value_at_x_star"] = sp.factor(delta.subs(x, out["x_star"]))
    # Threshold: Delta is affine in tau; tau(x) solves Delta(x; tau) = 0.
    tau_of_x = sp.solve(sp.Eq(delta, 0), tau)
    assert len(tau_of_x) == 1
    out["tau_of_x"] = sp.factor(tau_of_x[0])
    # tau(x) = h/(1 + h) with h = g/(F + r x); maximise h: first-order condition, a quadratic in x.
    h = unverified_gain / (fine + rate * x)
    numerator = sp.expand(sp.numer(sp.together(sp.diff(h, x))))
    out["ratio_foc"] = sp.factor(numerator)
    roots = sp.solve(numerator, x)
    out["ratio_roots"] = roots
    return out


def _positive_root(roots):
    """The root that is positive for F, r > 0, beta < 1, theta < a (checked at a rational point)."""
    point = {a: 10, b: 1, theta: 2, beta: sp.Rational(1, 2), fine: 1, rate: 1}
    pos = [r for r in roots if r.subs(point) > 0]
    assert len(pos) == 1
    return pos[0]


# ------------------------------------------------------------------------------------------------
def test_bargaining_on_a_claim_is_efficient_given_the_claim_and_splits_by_power():
    d = derive()
    assert sp.cancel(d["quota"] - (a - c) / b) == 0             # S'(q) = c
    assert sp.cancel(d["joint_gain"] - ((a - c) ** 2 / (2 * b) - d_a - d_c)) == 0
    assert d["aider_share"] == 0                                  # aider: d_A + beta G(c)


def test_optimal_overstatement_first_order_condition_and_concavity():
    d = derive()
    # The FOC solution, in the proposition's form.
    expected = ((1 - tau) * (1 - beta) * (a - theta) - tau * rate * b) / ((1 - tau) * (2 - beta))
    assert sp.cancel(d["x_star"] - expected) == 0
    # Concavity: Delta'' = -(1 - tau)(2 - beta)/b < 0 for tau < 1 and beta <= 1.
    second = d["second_derivative"].subs({tau: 1 - s, beta: 1 - w})
    assert second.is_negative
    # The gain at the optimum: (1 - tau)(2 - beta) x*^2/(2b) - tau F.
    gap = d["value_at_x_star"] - ((1 - tau) * (2 - beta) * d["x_star"] ** 2 / (2 * b) - tau * fine)
    assert sp.cancel(gap) == 0


def test_overstatement_falls_strictly_in_transparency_while_positive():
    d = derive()
    slope = sp.simplify(sp.diff(d["x_star"], tau))
    assert sp.cancel(slope + rate * b / ((1 - tau) ** 2 * (2 - beta))) == 0
    positive_rate = sp.Symbol("r_pos", positive=True)
    signed = sp.factor(slope.subs({tau: 1 - s, beta: 1 - w, rate: positive_rate}))
    assert signed.is_negative                                     # strictly, when r > 0
    assert sp.cancel(slope.subs(rate, 0)) == 0                   # flat when r = 0 (until the jump)


def test_no_overstatement_at_full_bargaining_power():
    d = derive()
    delta_full = sp.expand(d["delta"].subs(beta, 1))
    # Delta = -(1 - tau) x^2/(2b) - tau (F + r x): every term <= 0, and < 0 for x > 0.
    assert sp.cancel(delta_full + (1 - tau) * x ** 2 / (2 * b) + tau * (fine + rate * x)) == 0
    # tau in [0, 1) as v/(1 + v), v >= 0: strictly negative for x > 0; at tau = 1, -(F + r x) <= 0
    # (zero only without penalties, where the tie goes to honesty).
    xp, v = sp.Symbol("x_pos", positive=True), sp.Symbol("v", nonnegative=True)
    assert sp.factor(delta_full.subs({x: xp, tau: v / (1 + v)})).is_negative
    assert delta_full.subs({x: xp, tau: 1}).is_nonpositive


def test_threshold_is_the_supremum_over_claims_and_honesty_holds_above_it():
    d = derive()
    g = d["unverified_gain"]
    # tau(x) = g/(g + F + r x): honesty at tau iff tau >= tau(x) for every feasible x > 0.
    assert sp.cancel(d["tau_of_x"] - g / (g + fine + rate * x)) == 0
    # Delta is affine in tau with slope -(g + F + r x) < 0 wherever the unverified gain g > 0.
    assert sp.cancel(sp.diff(d["delta"], tau) + g + fine + rate * x) == 0
    # The ratio's first-order condition: (2 - beta)(r x^2/2 + F x) - (1 - beta)(a - theta) F = 0.
    foc = d["ratio_foc"]
    quadratic = (2 - beta) * (rate * x ** 2 / 2 + fine * x) - (1 - beta) * (a - theta) * fine
    assert sp.simplify(foc / quadratic).is_constant() and sp.simplify(foc / quadratic) != 0
    # The quadratic decreases in x -> the ratio is quasi-concave: a single maximiser x_hat.
    assert sp.diff(quadratic, x).subs({beta: 1 - w}).subs(x, sp.Symbol("xp", positive=True)).is_nonnegative
    x_hat = _positive_root(d["ratio_roots"])
    closed = 2 * (1 - beta) * (a - theta) * fine / (
        (2 - beta) * (fine + sp.sqrt(fine ** 2 + 2 * (1 - beta) * (a - theta) * fine * rate / (2 - beta))))
    threshold = g.subs(x, x_hat) / (g.subs(x, x_hat) + fine + rate * x_hat)
    rng = random.Random(2)
    for _ in range(6):
        point = {a: rng.randint(5, 20), b: sp.Rational(rng.randint(1, 8), 4), theta: rng.randint(0, 4),
                 beta: sp.Rational(rng.randint(0, 9), 10), fine: sp.Rational(rng.randint(1, 9), 3),
                 rate: sp.Rational(rng.randint(1, 9), 4)}
        assert abs(sp.N((x_hat - closed).subs(point), 40)) < 1e-30
        thr = sp.nsimplify(threshold.subs(point))
        # Cross-check by the other route: at the threshold the interior optimum x*(tau) is x_hat and
        # the gain there (1 - tau)(2 - beta) x*^2/(2b) - tau F is exactly zero.
        assert abs(float((d["x_star"] - x_hat).subs(point).subs(tau, thr))) < 1e-12
        assert abs(float(d["value_at_x_star"].subs(point).subs(tau, thr))) < 1e-12
        # Above the threshold no claim gains; just below, the best claim gains.
        xs = [sp.Rational(k, 7) for k in range(1, 60)]
        above = min(float(thr) + 1e-6, 1.0)
        assert all(float(d["delta"].subs(point).subs({tau: above, x: xv})) <= 0 for xv in xs)
        below = float(thr) - 1e-6
        assert float(d["delta"].subs(point).subs({tau: below, x: d["x_star"].subs(point).subs(tau, below)})) > 0


def test_threshold_without_fixed_penalty_is_where_the_first_order_gain_vanishes():
    d = derive()
    # F = 0: the supremum of tau(x) is the limit x -> 0, where x*(tau) reaches zero.
    limit = sp.limit(d["tau_of_x"].subs(fine, 0), x, 0, "+")
    at_zero = sp.solve(sp.Eq(d["x_star"], 0), tau)
    assert len(at_zero) == 1 and sp.cancel(limit - at_zero[0]) == 0
    assert sp.cancel(limit - (1 - beta) * (a - theta) / ((1 - beta) * (a - theta) + rate * b)) == 0


def test_claims_without_agreement_never_beat_the_last_claim_with_agreement():
    d = derive()
    # At the last claim with agreement, c_bar, G(c_bar) = 0 and the aider keeps
    # d_A + (c_bar - theta) q(c_bar) >= d_A, what any claim without agreement gives on the
    # unverified branch; the verified branch does not depend on agreement on the claim.
    c_bar = sp.Symbol("c_bar", real=True)
    true_payoff = (d["transfer"] - theta * d["quota"]).subs(c, c_bar)
    at_boundary = sp.simplify(true_payoff.subs(d_c, (a - c_bar) ** 2 / (2 * b) - d_a))
    assert sp.cancel(at_boundary - (d_a + (c_bar - theta) * (a - c_bar) / b)) == 0


def test_derived_solution_matches_the_model():
    import numpy as np

    from gametheory_aid.models.poverty_bargaining import PovertyBargaining

    d = derive()
    rng = np.random.default_rng(5)
    for _ in range(20):
        p = {"value_intercept": rng.uniform(5, 20), "value_curvature": rng.uniform(0.2, 3),
             "true_cost": rng.uniform(0, 4), "bargaining_power": rng.uniform(0, 0.9),
             "transparency": rng.uniform(0, 0.3), "penalty_fixed": rng.uniform(0, 0.5),
             "penalty_rate": rng.uniform(0, 2)}
        res = PovertyBargaining(**p).solve()
        sub = {a: p["value_intercept"], b: p["value_curvature"], theta: p["true_cost"],
               beta: p["bargaining_power"], tau: p["transparency"], fine: p["penalty_fixed"],
               rate: p["penalty_rate"], d_a: 0, d_c: 0}
        xs = float(d["x_star"].subs(sub))
        gain = float(d["value_at_x_star"].subs(sub))
        if xs > 0 and gain > 0:
            assert float(res.overstatement) == pytest_approx(xs)
            assert float(res.aider_gain_from_pleading) == pytest_approx(gain)
        else:
            assert float(res.overstatement) == 0.0


def pytest_approx(v):
    import pytest

    return pytest.approx(v, rel=1e-9, abs=1e-9)


if __name__ == "__main__":
    sp.init_printing(use_unicode=True)
    d = derive()
    print("Bargaining on a claim c (first-order conditions of the log Nash product):")
    print("  q(c) =", d["quota"], "  t(c) =", d["transfer"])
    print("  joint gain G(c) =", d["joint_gain"], "  aider gets d_A + beta G(c)")
    print("Unverified gain of overstating by x: g(x) =", d["unverified_gain"])
    print("Expected gain over honesty: Delta(x) =", d["delta"])
    print("First-order condition: x* =", d["x_star"])
    print("Second derivative:", d["second_derivative"], "(< 0 for tau < 1)")
    print("Gain at x*:", d["value_at_x_star"])
    print("d x*/d tau =", sp.simplify(sp.diff(d["x_star"], tau)), "(< 0 iff r > 0)")
    print("Delta at beta = 1:", sp.factor(sp.expand(d["delta"].subs(beta, 1))))
    print("tau(x) solving Delta = 0:", d["tau_of_x"])
    print("First-order condition of g/(F + r x):", d["ratio_foc"], "= 0")
    print("Roots:", d["ratio_roots"])
    print("Threshold without fixed penalty:", sp.limit(d["tau_of_x"].subs(fine, 0), x, 0, "+"))
