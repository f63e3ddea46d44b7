r"""Proposition 5 (resource allocation): the aider's allocation, the threshold and comparative statics.

Derived with sympy from the aider's program.  Each ``test_*`` function is one step.

The program.  The aider chooses :math:`x \ge 0`, :math:`\sum_i x_i = B`, to maximise
:math:`U(x) = \sum_i r_i x_i - \tfrac{m}{2}\sum_i (x_i - B s_i)^2`, :math:`m = \mu + \tau\kappa > 0`.
:math:`U` is strictly concave and the constraints linear, so the KKT conditions are necessary
and sufficient.  Derived for :math:`n = 3` targets, with :math:`S` the set of funded targets.
"""
from __future__ import annotations

import sympy as sp

n = 3
B, m, mu, kappa, tau = sp.symbols("B m mu kappa tau", positive=True)
nu = sp.Symbol("nu", real=True)  # multiplier of the budget
lam = sp.Symbol("lambda", real=True)  # nu / m
r = sp.symbols("r1:4", nonnegative=True)
s = sp.symbols("s1:4", positive=True)
x = sp.symbols("x1:4", real=True)
eta = sp.symbols("eta1:4", nonnegative=True)  # multipliers of x_i >= 0


def lagrangian():
    U = sum(r[i] * x[i] for i in range(n)) - m / 2 * sum((x[i] - B * s[i]) ** 2 for i in range(n))
    return U + nu * (B - sum(x)) + sum(eta[i] * x[i] for i in range(n))


def test_stationarity_gives_the_projection_form():
    L = lagrangian()
    for i in range(n):
        xi = sp.solve(sp.diff(L, x[i]), x[i])[0]
        # stationarity: x_i = B s_i + r_i/m - nu/m + eta_i/m
        assert sp.simplify(xi - (B * s[i] + r[i] / m - nu / m + eta[i] / m)) == 0
        # funded (eta_i = 0 by complementary slackness): x_i = B s_i + r_i/m - lambda, lambda = nu/m
        funded = xi.subs(eta[i], 0).subs(nu, lam * m)
        assert sp.simplify(funded - (B * s[i] + r[i] / m - lam)) == 0
        # unfunded (x_i = 0): eta_i = nu - r_i - m B s_i >= 0  <=>  B s_i + r_i/m - lambda <= 0
        eta_i = sp.solve(sp.Eq(xi, 0), eta[i])[0].subs(nu, lam * m)
        assert sp.simplify(eta_i / m + (B * s[i] + r[i] / m - lam)) == 0
    # together: x_i = max(0, B s_i + r_i/m - lambda), lambda fixed by the budget.


def test_the_optimum_is_the_projection_of_the_tilted_intended_allocation():
    # U(x) = -m/2 ||x - (B s + r/m)||^2 + (terms free of x): maximising U over the budget simplex is
    # the Euclidean projection of B s + r/m onto it
    U = sum(r[i] * x[i] for i in range(n)) - m / 2 * sum((x[i] - B * s[i]) ** 2 for i in range(n))
    distance = sum((x[i] - B * s[i] - r[i] / m) ** 2 for i in range(n))
    rest = sp.expand(U + m / 2 * distance)
    assert all(sp.diff(rest, x[i]) == 0 for i in range(n))


def test_full_support_level_is_mean_feedback_over_m():
    xs = [B * s[i] + r[i] / m - lam for i in range(n)]
    level = sp.solve(sp.Eq(sum(xs), B).subs(s[2], 1 - s[0] - s[1]), lam)[0]
    assert sp.simplify(level - sum(r) / (n * m)) == 0


def test_no_marginalisation_condition_and_threshold():
    rbar = sum(r) / n
    for i in range(n):
        xi = B * s[i] + (r[i] - rbar) / m
        # x_i > 0  <=>  m B s_i > rbar - r_i  <=>  m > (rbar - r_i)/(B s_i)
        assert sp.simplify(xi * m / (B * s[i]) - (m - (rbar - r[i]) / (B * s[i]))) == 0
    # with M = max_i (rbar - r_i)/(B s_i): m = mu + tau kappa > M  <=>  tau > (M - mu)/kappa
    M = sp.Symbol("M", real=True)
    # the boundary m = M in tau, and m increasing in tau (kappa > 0): above the root m > M
    root = sp.solve(sp.Eq(mu + tau * kappa, M), tau)[0]
    assert sp.simplify(root - (M - mu) / kappa) == 0
    assert sp.diff(mu + tau * kappa - M, tau).is_positive


def _support_allocation(S):
    """The allocation of the funded targets S (any subset), with lambda_S from the budget."""
    level = (sum(B * s[i] + r[i] / m for i in S) - B) / len(S)
    return {i: B * s[i] + r[i] / m - level for i in S}, level


def test_funded_allocations_move_towards_the_mean_of_the_funded():
    for S in ([0, 1, 2], [1, 2], [0, 2]):
        alloc, level = _support_allocation(S)
        rbar_S = sum(r[i] for i in S) / len(S)
        for i in S:
            # d x_i / dm = (rbar_S - r_i)/m^2: the lowest-feedback funded target rises in m, hence in tau
            assert sp.simplify(sp.diff(alloc[i], m) - (rbar_S - r[i]) / m ** 2) == 0
        # the level falls in m: d lambda_S / dm = -rbar_S/m^2 <= 0
        assert sp.simplify(sp.diff(level, m) + rbar_S / m ** 2) == 0
    # dm/dtau = kappa >= 0
    assert sp.diff(mu + tau * kappa, tau) == kappa


SUPPORTS = [S for k in range(1, n + 1) for S in __import__("itertools").combinations(range(n), k)]


def _multiplier(S):
    """The budget multiplier nu = m lambda on the support S, solved from the budget constraint."""
    xs = [B * s[i] + r[i] / m - lam for i in S]
    level = sp.solve(sp.Eq(sum(xs), B), lam)[0]
    return sp.simplify(m * level)


def test_the_multiplier_falls_in_m_on_every_support():
    for S in SUPPORTS:
        nu_S = _multiplier(S)
        share_S = sum(s[i] for i in S)
        # nu_S = rbar_S - m B (1 - sigma_S)/|S|, sigma_S the intended share of the funded targets
        assert sp.simplify(nu_S - (sum(r[i] for i in S) / len(S) - m * B * (1 - share_S) / len(S))) == 0
        slope = sp.diff(nu_S, m)
        # d nu_S / dm = -B (1 - sigma_S)/|S| <= 0 because sigma_S <= 1 (shares sum to one)
        assert sp.simplify(slope + B * (1 - share_S) / len(S)) == 0
    # the optimum is continuous in m (strictly concave program), so nu(m) is continuous and
    # piecewise one of the nu_S: it is nonincreasing in m, hence in tau (dm/dtau = kappa >= 0)


def test_funded_targets_stay_funded_as_m_rises():
    # by stationarity a target is funded iff d_i = m B s_i + r_i - nu > 0 (then x_i = d_i/m);
    # d d_i/dm = B s_i - nu'(m) > 0 on every support, so d_i rises strictly with m: the set of
    # marginalised targets shrinks (weakly) as tau rises
    for S in SUPPORTS:
        for i in range(n):
            d_i = m * B * s[i] + r[i] - _multiplier(S)
            slope = sp.simplify(sp.diff(d_i, m))
            # slope = B s_i + B (1 - sigma_S)/|S|, a sum of a positive and a nonnegative term
            share_S = sum(s[j] for j in S)
            assert sp.simplify(slope - B * s[i] - B * (1 - share_S) / len(S)) == 0
            assert (B * s[i]).is_positive


def test_diverted_falls_in_m_on_every_support():
    # diverted = sum over under-served targets of B s_i - x_i: an unfunded target contributes B s_i
    # (its set only shrinks, and x is continuous, so nothing jumps), a funded one with r_i < nu
    # contributes (nu - r_i)/m, whose derivative (m nu' - (nu - r_i))/m^2 is <= 0
    gap = sp.Symbol("g", positive=True)  # nu - r_i > 0 for a funded under-served target
    for S in SUPPORTS:
        nu_S = _multiplier(S)
        for i in S:
            term = (nu_S - r[i]) / m
            slope = sp.simplify(sp.diff(term, m))
            # slope = (m nu_S' - (nu_S - r_i))/m^2
            assert sp.simplify(slope - (m * sp.diff(nu_S, m) - (nu_S - r[i])) / m ** 2) == 0
            # m nu_S' = -m B (1 - sigma_S)/|S| <= 0 and nu_S - r_i = gap > 0: the slope is negative
            bound = sp.simplify((m * sp.diff(nu_S, m)).subs(s[S[0]], 1 - sum(s[j] for j in range(n) if j != S[0])))
            share_out = sum(s[j] for j in range(n) if j not in S)
            assert sp.simplify(bound + m * B * share_out / len(S)) == 0
            assert (-(m * B * share_out / len(S) + gap) / m ** 2).is_negative


def test_the_m_to_zero_limit_funds_only_the_top_feedback():
    # targets 1, 2 share the top feedback rho, target 3 has less: on the support T = {1, 2}
    rho, delta = sp.symbols("rho delta", positive=True)
    feedback = {r[0]: rho, r[1]: rho, r[2]: rho - delta}
    nu_T = _multiplier((0, 1)).subs(feedback)
    for i in (0, 1):
        x_i = (B * s[i] + r[i] / m - nu_T / m).subs(feedback)
        # x_i -> B s_i + B (1 - s_1 - s_2)/2: the intended allocation plus an equal split of the rest
        assert sp.simplify(sp.limit(x_i, m, 0, "+") - (B * s[i] + B * (1 - s[0] - s[1]) / 2)) == 0
    # the lower target stays unfunded near m = 0: d_3 = m B s_3 + r_3 - nu_T -> -delta < 0
    d_3 = (m * B * s[2] + r[2]).subs(feedback) - nu_T
    assert sp.limit(d_3, m, 0, "+") == -delta


def test_diverted_falls_in_m_on_full_support():
    rbar = sum(r) / n
    # on full support diverted = sum over r_i < rbar of (rbar - r_i)/m: each term has derivative -(rbar - r_i)/m^2
    for i in range(n):
        term = (rbar - r[i]) / m
        assert sp.simplify(sp.diff(term, m) + term / m) == 0


def test_equal_shares_marginalise_from_the_bottom():
    # with s_i = 1/n, B/n + r_j/m - lambda < B/n + r_i/m - lambda whenever r_j < r_i:
    # if i is unfunded (the right side <= 0) so is every j with less feedback.
    d = sp.Symbol("d", positive=True)  # r_i - r_j > 0
    gap = (B / n + (r[1] + d) / m - lam) - (B / n + r[1] / m - lam)
    assert sp.simplify(gap - d / m) == 0 and (d / m).is_positive


if __name__ == "__main__":
    for name, f in list(globals().items()):
        if name.startswith("test_"):
            f()
            print("ok", name)
