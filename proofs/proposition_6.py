r"""Proposition 6 (strategy portfolio, 组合策略): intensities, displacement, the platform, deterrence.

Derived with sympy from the aider's programme (statement: ``proposition_6.md``).  Each ``test_*``
function is one step; run the file as a script to print the derivation.

The programme.  The aider chooses :math:`e \ge 0` to maximise
:math:`U(e) = g \cdot e - \tfrac12 e^\top K e`, :math:`K = (1-\kappa) I + \kappa \mathbf 1\mathbf 1^\top`,
with net gains :math:`g_k = b_k - p_k F_k`, :math:`p_k = 1 - (1-\tau)(1-\tau_k)`.  The centre's
harm is :math:`h \cdot e`.  :math:`D_a = 1 - \kappa + \kappa a`.  The general steps are derived
for :math:`n = 3` channels (every active set) and the inverse of :math:`K_A` for every size
:math:`a \le 5`.
"""
from __future__ import annotations

from itertools import combinations

import sympy as sp

n = 3
kappa, tau = sp.symbols("kappa tau", real=True)
b = sp.symbols("b1:4", nonnegative=True)
F = sp.symbols("F1:4", nonnegative=True)
h = sp.symbols("h1:4", nonnegative=True)
t = sp.symbols("t1:4", real=True)                     # the channel transparencies tau_k
e = sp.symbols("e1:4", real=True)
mu = sp.symbols("mu1:4", nonnegative=True)            # multipliers of e_k >= 0
G = sp.symbols("g1:4", real=True)                     # net gains as free symbols


def detection(k):
    return 1 - (1 - tau) * (1 - t[k])


def net(k):
    return b[k] - detection(k) * F[k]


def K(size):
    return (1 - kappa) * sp.eye(size) + kappa * sp.ones(size, size)


def D(a):
    return 1 - kappa + kappa * a


def kkt_solution(A, gains):
    """e_A = K_A^{-1} g_A from stationarity on the active set A (zeros off it), by sympy's inverse."""
    inv = K(len(A)).inv()
    eA = inv * sp.Matrix([gains[i] for i in A])
    out = [sp.Integer(0)] * n
    for pos, i in enumerate(A):
        out[i] = sp.simplify(eA[pos])
    return out


ACTIVE_SETS = [A for size in range(1, n + 1) for A in combinations(range(n), size)]


def test_K_is_positive_definite_iff_kappa_is_in_range():
    # eigenvalues: 1 - kappa (on the vectors summing to zero, n - 1 of them) and 1 - kappa + kappa n (on 1)
    for size in range(2, 6):
        eig = {sp.expand(value): count for value, count in K(size).eigenvals().items()}
        assert eig == {1 - kappa: size - 1, sp.expand(D(size)): 1}
        # both positive  <=>  kappa < 1 and kappa > -1/(n - 1)
        low = sp.solve(sp.Eq(D(size), 0), kappa)[0]
        assert low == sp.Rational(-1, size - 1)
        assert sp.diff(D(size), kappa) == size - 1 > 0  # D_n rises in kappa: positive above the root
    # n = 1: K = 1, positive for every kappa
    assert sp.simplify(K(1)[0, 0]) == 1
    # hence U is strictly concave (its Hessian is -K) and the KKT conditions are necessary and sufficient


def test_stationarity_and_complementary_slackness():
    L = sum(G[k] * e[k] for k in range(n)) - (sp.Matrix(e).T * K(n) * sp.Matrix(e))[0] / 2 \
        + sum(mu[k] * e[k] for k in range(n))
    S = sum(e)
    for k in range(n):
        grad = sp.diff(L, e[k])
        # dL/de_k = g_k - (K e)_k + mu_k, with (K e)_k = (1 - kappa) e_k + kappa S
        assert sp.expand(grad - (G[k] - (1 - kappa) * e[k] - kappa * S + mu[k])) == 0
        # an inactive channel (e_k = 0): mu_k = kappa S - g_k >= 0, i.e. g_k <= kappa S
        mu_k = sp.solve(grad.subs(e[k], 0), mu[k])[0]
        assert sp.expand(mu_k - (kappa * S.subs(e[k], 0) - G[k])) == 0


def test_inverse_of_K_on_the_active_set():
    for a in range(1, 6):
        inv = sp.simplify(K(a).inv())
        claimed = (sp.eye(a) - kappa / D(a) * sp.ones(a, a)) / (1 - kappa)
        assert sp.simplify(inv - claimed) == sp.zeros(a, a)


def test_intensities_in_closed_form():
    for A in ACTIVE_SETS:
        eA = kkt_solution(A, G)
        S = sum(G[i] for i in A) / D(len(A))
        for i in A:
            # e_i = (g_i - kappa S)/(1 - kappa), S = sum_A g / D_a
            assert sp.simplify(eA[i] - (G[i] - kappa * S) / (1 - kappa)) == 0
        # and S is the total intensity
        assert sp.simplify(sum(eA) - S) == 0


def test_active_channels_are_the_top_ones_by_net_gain():
    # with 1 - kappa > 0: e_i > 0 <=> g_i > kappa S, and an inactive j has g_j <= kappa S (multiplier >= 0),
    # so every active channel's net gain exceeds every inactive one's: the active set is a top set
    spare = sp.Symbol("spare", positive=True)  # 1 - kappa
    S, gi = sp.symbols("S g_i", real=True)
    e_i = (gi - kappa * S) / spare
    assert sp.solve(sp.Eq(e_i, 0), gi) == [kappa * S]
    assert sp.diff(e_i, gi).is_positive


def test_the_candidate_count_is_a_prefix():
    # sorted u_1 >= ... >= u_n, C_a = u_1 + ... + u_a; psi_a = u_a D_a - kappa C_a (> 0 iff u_a > kappa S_a)
    a = sp.Symbol("a", positive=True)
    ua, ub, Ca = sp.symbols("u_a u_b C_a", real=True)     # u_b = u_{a+1} <= u_a
    psi_a = ua * D(a) - kappa * Ca
    psi_next = ub * D(a + 1) - kappa * (Ca + ub)
    # psi_{a+1} - psi_a = -(u_a - u_{a+1}) D_a <= 0: the positive psi form a prefix
    assert sp.expand(psi_next - psi_a + (ua - ub) * D(a)) == 0
    # psi_{a+1} <= 0  <=>  u_{a+1} <= kappa C_a / D_a = kappa S_a: the channel after the prefix is inactive
    assert sp.expand(psi_next - (ub * D(a) - kappa * Ca)) == 0
    # psi_1 = (1 - kappa) u_1: some channel is active iff the best net gain is positive
    assert sp.expand((ua * D(1) - kappa * ua) - (1 - kappa) * ua) == 0


def test_displacement_between_channels():
    gains = [net(k) for k in range(n)]
    for A in ACTIVE_SETS:
        eA = kkt_solution(A, gains)
        a = len(A)
        for k in range(n):
            for j in range(n):
                slope = sp.simplify(sp.diff(eA[j], t[k]))
                if j not in A or k not in A:
                    assert slope == 0  # zero rows and columns off the active set
                    continue
                claimed = -F[k] * (1 - tau) * (int(j == k) - kappa / D(a)) / (1 - kappa)
                assert sp.simplify(slope - claimed) == 0
                if j != k:
                    # off the diagonal: kappa F_k (1 - tau) / ((1 - kappa) D_a), of the sign of kappa
                    assert sp.simplify(slope - kappa * F[k] * (1 - tau) / ((1 - kappa) * D(a))) == 0
    # the sign: with F_k > 0, tau < 1 and K positive definite the factor F_k (1 - tau)/((1 - kappa) D_a) > 0
    Fk, keep, spare, Da, size = sp.symbols("F_k keep spare D_a size", positive=True)
    factor = Fk * keep / (spare * Da)
    assert (size * factor).is_positive and (-size * factor).is_negative  # kappa > 0: raises; kappa < 0: lowers


def test_one_platform_never_raises_total_evasion():
    gains = [net(k) for k in range(n)]
    for A in ACTIVE_SETS:
        S = sum(kkt_solution(A, gains))
        slope = sp.simplify(sp.diff(S, tau))
        claimed = -sum(F[k] * (1 - t[k]) for k in A) / D(len(A))
        assert sp.simplify(slope - claimed) == 0
    # every F_k (1 - tau_k) >= 0 and D_a > 0: dS/dtau <= 0
    Fk, open_ = sp.symbols("F_k open", nonnegative=True)
    Da = sp.Symbol("D_a", positive=True)
    assert (-(Fk * open_) / Da).is_nonpositive


def test_a_tool_raises_harm_iff_its_channel_harms_little():
    gains = [net(k) for k in range(n)]
    for A in ACTIVE_SETS:
        eA = kkt_solution(A, gains)
        harm = sum(h[j] * eA[j] for j in range(n))
        H = sum(h[j] for j in A)
        for k in A:
            slope = sp.simplify(sp.diff(harm, t[k]))
            # d harm / d tau_k = -F_k (1 - tau)(h_k - kappa H_A / D_a)/(1 - kappa)
            claimed = -F[k] * (1 - tau) * (h[k] - kappa * H / D(len(A))) / (1 - kappa)
            assert sp.simplify(slope - claimed) == 0
    # so with F_k > 0, tau < 1 (and 1 - kappa > 0) it is positive iff h_k < kappa H_A / D_a
    hk, bound = sp.symbols("h_k bound", real=True)
    Fk, keep, spare = sp.symbols("F_k keep spare", positive=True)
    slope = -Fk * keep * (hk - bound) / spare
    assert sp.solve(sp.Eq(slope, 0), hk) == [bound]
    assert sp.diff(slope, hk).is_negative  # positive below the bound, negative above


def test_deterrence_threshold_in_closed_form():
    # e = 0 satisfies the KKT conditions iff every multiplier mu_k = -g_k >= 0, i.e. every g_k <= 0
    # (for every kappa: S = 0); each g_k falls in tau:
    for k in range(n):
        assert sp.simplify(sp.diff(net(k), tau) + F[k] * (1 - t[k])) == 0
        root = sp.solve(sp.Eq(net(k), 0), tau)[0]
        # g_k = 0 at tau = (b_k - F_k tau_k)/(F_k (1 - tau_k)) = 1 - (F_k - b_k)/(F_k (1 - tau_k))
        assert sp.simplify(root - (b[k] - F[k] * t[k]) / (F[k] * (1 - t[k]))) == 0
        assert sp.simplify(root - (1 - (F[k] - b[k]) / (F[k] * (1 - t[k])))) == 0
        # at tau = 1 the net gain is b_k - F_k: the root exceeds 1 iff b_k > F_k (never deterred)
        assert sp.simplify(net(k).subs(tau, 1) - (b[k] - F[k])) == 0
        # F_k (1 - tau_k) = 0: g_k does not depend on tau; it is b_k (F_k = 0) or b_k - F_k (tau_k = 1)
        assert sp.simplify(net(k).subs(F[k], 0) - b[k]) == 0
        assert sp.simplify(net(k).subs(t[k], 1) - (b[k] - F[k])) == 0
    # so the threshold is max(0, max_k t_k): 0 where F_k (1 - tau_k) = 0 <= F_k - b_k, inf where b_k > F_k


def test_harm_is_affine_in_the_targeting_on_each_active_set():
    # optimal_targeting's exactness: on the region of the active set A the intensities, the KKT
    # inequalities and the harm are affine in (tau_1, ..., tau_n), so minimising the harm over the budget
    # polytope is one linear programme per active set
    gains = [net(k) for k in range(n)]
    for A in ACTIVE_SETS:
        eA = kkt_solution(A, gains)
        S = sum(eA)
        harm = sum(h[j] * eA[j] for j in range(n))
        constraints = [gains[j] - kappa * S for j in range(n)]   # >= 0 on A, <= 0 off A
        for expr in [harm, *eA, *constraints]:
            for k in range(n):
                for m in range(n):
                    assert sp.simplify(sp.diff(expr, t[k], t[m])) == 0


def test_the_models_closed_form_is_this_derivation():
    from gametheory_aid.models.strategy_portfolio import StrategyPortfolio

    model = StrategyPortfolio(gain=[1, 1, 1], fine=[1, 1, 1], harm=[1, 1, 1], channel_transparency=[0, 0, 0])
    sol = model.symbolic()
    sym = model.symbols()
    rename = {sym["substitution"]: kappa, sym["transparency"]: tau}
    for k in range(n):
        rename.update({sym["gain"][k]: b[k], sym["fine"][k]: F[k], sym["harm"][k]: h[k],
                       sym["channel_transparency"][k]: t[k]})
    gains = [net(k) for k in range(n)]
    regimes = {r.name: r for r in sol.regimes}
    for A in ACTIVE_SETS:
        name = ("full" if len(A) == n else "partial") + ": active " + ",".join(str(i + 1) for i in A)
        eA = kkt_solution(A, gains)
        for k in range(n):
            assert sp.simplify(regimes[name].outputs[f"intensity_{k + 1}"].subs(rename) - eA[k]) == 0


if __name__ == "__main__":
    for name, f in list(globals().items()):
        if name.startswith("test_"):
            f()
            print("ok", name)
