r"""Proposition 1 (pleading poverty): the optimal screening menu under verification.

Derived with sympy from the centre's program (statement: ``proposition_1.md``).  Each
``test_*`` function is one step; run the file as a script to print the derivation.

The program.  Types :math:`\theta_s < \theta_w` (probabilities :math:`\nu`, :math:`1-\nu`),
:math:`S(q) = a q - b q^2/2`; the centre chooses :math:`(q_s, t_s, q_w, t_w)` to maximise
:math:`\nu[S(q_s) - t_s] + (1-\nu)[S(q_w) - t_w]` subject to

* participation :math:`t_i - \theta_i q_i \ge 0`,
* truth-telling :math:`t_s - \theta_s q_s \ge (1-\tau)(t_w - \theta_s q_w) - \tau F` and
  :math:`t_w - \theta_w q_w \ge (1-\tau)(t_s - \theta_w q_s) - \tau F`,
* :math:`q_s, q_w \ge 0`.

Sign conventions used for the symbols: :math:`\Delta = \theta_w - \theta_s > 0`, the weights
:math:`\nu` and :math:`\omega = 1 - \nu` are positive, :math:`\sigma = 1 - \tau \ge 0` is the
probability that a false claim escapes detection, :math:`F \ge 0`, :math:`b > 0`.
"""
from __future__ import annotations

import sympy as sp

# -- primitives ----------------------------------------------------------------------------
a = sp.Symbol("a", real=True)
b = sp.Symbol("b", positive=True)
theta_s = sp.Symbol("theta_s", nonnegative=True)
Delta = sp.Symbol("Delta", positive=True)            # theta_w - theta_s
theta_w = theta_s + Delta
nu = sp.Symbol("nu", positive=True)
omega = sp.Symbol("omega", positive=True)            # 1 - nu
tau = sp.Symbol("tau", nonnegative=True)
sigma = sp.Symbol("sigma", nonnegative=True)         # 1 - tau
F = sp.Symbol("F", nonnegative=True)

q_s, q_w, t_s, t_w, U_s, U_w = sp.symbols("q_s q_w t_s t_w U_s U_w", real=True)
lam, mu_s, mu_w, eta_s, eta_w = sp.symbols("lambda mu_s mu_w eta_s eta_w", real=True)


def S(q):
    """The centre's value of a quota."""
    return a * q - b * q ** 2 / 2


OBJECTIVE = nu * (S(q_s) - t_s) + omega * (S(q_w) - t_w)
# Constraints written g >= 0, in transfers.
IR_S = t_s - theta_s * q_s
IR_W = t_w - theta_w * q_w
IC_S = (t_s - theta_s * q_s) - ((1 - tau) * (t_w - theta_s * q_w) - tau * F)
IC_W = (t_w - theta_w * q_w) - ((1 - tau) * (t_s - theta_w * q_s) - tau * F)

# Change of variables t_i = U_i + theta_i q_i (U_i: the type's rent).
TO_RENTS = {t_s: U_s + theta_s * q_s, t_w: U_w + theta_w * q_w}

k = sigma * Delta                                     # marginal rent (1 - tau) Delta
# The three candidate weak quotas (before clipping at 0) and the strong quota.
Q_S = (a - theta_s) / b
Q_FB = (a - theta_w) / b
LOG = []


def say(*lines):
    LOG.extend(lines)


def _rents(expr):
    return sp.expand(expr.subs(TO_RENTS).subs(tau, 1 - sigma))


# -- step 1: the program in rents ---------------------------------------------------------
def test_program_in_rents():
    """Participation and truth-telling in terms of the rents U_i."""
    assert sp.expand(_rents(IR_S) - U_s) == 0
    assert sp.expand(_rents(IR_W) - U_w) == 0
    # IC_s: U_s >= sigma (U_w + Delta q_w) - (1 - sigma) F
    assert sp.expand(_rents(IC_S) - (U_s - sigma * (U_w + Delta * q_w) + (1 - sigma) * F)) == 0
    # IC_w: U_w >= sigma (U_s - Delta q_s) - (1 - sigma) F
    assert sp.expand(_rents(IC_W) - (U_w - sigma * (U_s - Delta * q_s) + (1 - sigma) * F)) == 0
    W = _rents(OBJECTIVE)
    assert sp.expand(W - (nu * (S(q_s) - theta_s * q_s - U_s) + omega * (S(q_w) - theta_w * q_w - U_w))) == 0
    say("1. With t_i = U_i + theta_i q_i:",
        "   IC_s: U_s >= (1-tau)(U_w + Delta q_w) - tau F;  IC_w: U_w >= (1-tau)(U_s - Delta q_s) - tau F",
        "   W = nu [S(q_s) - theta_s q_s - U_s] + (1-nu) [S(q_w) - theta_w q_w - U_w]")


# -- step 2: KKT of the relaxed program (IC_w dropped) ------------------------------------
VARS = (q_s, q_w, U_s, U_w)
W_RENTS = nu * (S(q_s) - theta_s * q_s - U_s) + omega * (S(q_w) - theta_w * q_w - U_w)
G = {  # multiplier -> constraint g >= 0 of the relaxed program
    mu_s: U_s,
    mu_w: U_w,
    lam: U_s - sigma * (U_w + Delta * q_w) + (1 - sigma) * F,
    eta_s: q_s,
    eta_w: q_w,
}
LAGRANGIAN = W_RENTS + sum(m * g for m, g in G.items())
STATIONARITY = [sp.diff(LAGRANGIAN, v) for v in VARS]


def test_relaxed_program_is_concave():
    """Concave objective and linear constraints: the KKT conditions are necessary and sufficient."""
    H = sp.hessian(W_RENTS, VARS)
    assert H == sp.diag(-nu * b, -omega * b, 0, 0)
    for g in G.values():
        assert all(sp.diff(g, v, 2) == 0 for v in VARS)
    say("2. The relaxed program (IC_w dropped) has Hessian diag(-nu b, -(1-nu) b, 0, 0) and linear",
        "   constraints: KKT is necessary and sufficient; the quotas are unique (strict concavity).")


def test_weak_participation_binds():
    """dL/dU_w = 0 gives mu_w = (1 - nu) + lambda (1 - tau) > 0, so U_w = 0."""
    mu_w_sol = sp.solve(STATIONARITY[3], mu_w)[0]
    assert sp.simplify(mu_w_sol - (omega + lam * sigma)) == 0
    assert (mu_w_sol.subs(lam, sp.Symbol("l", nonnegative=True))).is_positive
    mu_s_sol = sp.solve(STATIONARITY[2], mu_s)[0]
    assert sp.simplify(mu_s_sol - (nu - lam)) == 0
    say("3. dL/dU_w = 0: mu_w = (1-nu) + lambda (1-tau) > 0, hence U_w = 0 (weak participation binds).",
        "   dL/dU_s = 0: mu_s = nu - lambda, so 0 <= lambda <= nu.")


def _kkt(binding, zero_multipliers):
    """Solve stationarity + the binding constraints with the given multipliers set to 0."""
    eqs = [e.subs({m: 0 for m in zero_multipliers}) for e in STATIONARITY]
    eqs += [G[m] for m in binding]
    unknowns = list(VARS) + [m for m in G if m not in zero_multipliers]
    sols = sp.solve(eqs, unknowns, dict=True)
    assert len(sols) == 1, sols
    sol = {v: sols[0].get(v, v) for v in unknowns}
    sol.update({m: sp.Integer(0) for m in zero_multipliers})
    return sol


# Regime solutions: quotas interior (a > theta_w), strong quota interior (a > theta_s).
SOL_FIRST_BEST = _kkt(binding=[mu_s, mu_w], zero_multipliers=[lam, eta_s, eta_w])
SOL_INFORMATION_RENT = _kkt(binding=[lam, mu_w], zero_multipliers=[mu_s, eta_s, eta_w])
SOL_ZERO_RENT = _kkt(binding=[lam, mu_s, mu_w], zero_multipliers=[eta_s, eta_w])
SOL_SHUTDOWN = _kkt(binding=[lam, mu_w, eta_w], zero_multipliers=[mu_s, eta_s])

Q_SB = sp.simplify(SOL_INFORMATION_RENT[q_w])        # interior second-best weak quota
KINK = sp.simplify(SOL_ZERO_RENT[q_w])               # tau F / ((1 - tau) Delta)


def test_first_best_regime():
    """lambda = 0: U_s = 0 and the efficient quotas; feasible iff (1-tau) Delta q_w^FB <= tau F."""
    sol = SOL_FIRST_BEST
    assert sp.simplify(sol[q_s] - Q_S) == 0 and sp.simplify(sol[q_w] - Q_FB) == 0
    assert sol[U_s] == 0 and sol[U_w] == 0 and sp.simplify(sol[mu_s] - nu) == 0
    # the one remaining condition is primal feasibility of IC_s
    ic_s = sp.expand(G[lam].subs(sol))
    assert sp.expand(ic_s - ((1 - sigma) * F - k * Q_FB)) == 0
    say("4. lambda = 0 (IC_s slack): U_s = 0, q_s = (a-theta_s)/b, q_w = q_w^FB = (a-theta_w)/b;",
        "   feasible iff (1-tau) Delta q_w^FB <= tau F.                        [first_best]")


def test_information_rent_regime():
    """lambda = nu (mu_s = 0): IC_s binds with U_s = k q_w - tau F, and the downward distortion."""
    sol = SOL_INFORMATION_RENT
    assert sp.simplify(sol[lam] - nu) == 0
    assert sp.simplify(Q_SB - ((a - theta_w) / b - nu * k / (omega * b))) == 0
    distortion = sp.simplify(Q_FB - Q_SB)
    assert sp.simplify(distortion - nu * sigma * Delta / (omega * b)) == 0
    assert distortion.is_nonnegative
    assert sp.simplify(sol[U_s] - (k * Q_SB - (1 - sigma) * F)) == 0
    say("5. lambda = nu (U_s free): (1-nu)(a - b q_w - theta_w) = nu (1-tau) Delta, so",
        "   q_w^SB = q_w^FB - nu/(1-nu) (1-tau) Delta / b   and   U_s = (1-tau) Delta q_w^SB - tau F;",
        "   feasible (U_s >= 0) iff (1-tau) Delta q_w^SB >= tau F.         [information_rent if >]")


def test_zero_rent_distorted_regime():
    """0 < lambda < nu: U_s = 0 and IC_s binds, so q_w sits at the kink tau F = (1-tau) Delta q_w."""
    sol = SOL_ZERO_RENT
    assert sp.simplify(KINK - (1 - sigma) * F / (sigma * Delta)) == 0
    assert sol[U_s] == 0
    # lambda >= 0 iff kink <= q_w^FB ; mu_s = nu - lambda >= 0 iff kink >= q_w^SB
    assert sp.simplify(sol[lam] * k / (omega * b) - (Q_FB - KINK)) == 0
    assert sp.simplify(sol[mu_s] * k / (omega * b) - (KINK - Q_SB)) == 0
    assert (k / (omega * b)).is_nonnegative
    say("6. 0 < lambda < nu: U_s = 0 and IC_s binds: q_w = kink = tau F / ((1-tau) Delta);",
        "   lambda (1-tau) Delta / ((1-nu) b) = q_w^FB - kink, mu_s (1-tau) Delta / ((1-nu) b) = kink - q_w^SB,",
        "   so multipliers are >= 0 iff q_w^SB <= kink <= q_w^FB.            [zero_rent_distorted]")


def test_shutdown_regime():
    """q_w = 0 with IC_s binding needs tau F = 0 (U_s = -tau F >= 0) and eta_w >= 0 iff q_w^SB <= 0."""
    sol = SOL_SHUTDOWN
    assert sol[q_w] == 0
    assert sp.simplify(sol[U_s] + (1 - sigma) * F) == 0         # U_s = -tau F: feasible iff tau F = 0
    assert sp.simplify(sol[eta_w] + omega * b * Q_SB) == 0       # eta_w >= 0 iff q_w^SB <= 0
    # At q_w^FB <= 0 (a <= theta_w) the same corner with lambda = 0 is the first best:
    corner = _kkt(binding=[mu_s, mu_w, eta_w], zero_multipliers=[lam, eta_s])
    assert corner[q_w] == 0 and sp.simplify(corner[eta_w] + omega * b * Q_FB) == 0
    say("7. q_w = 0, lambda = nu: U_s = -tau F, feasible iff tau F = 0; eta_w = -(1-nu) b q_w^SB >= 0",
        "   iff q_w^SB <= 0.  When also q_w^FB > 0 the weak type is excluded.      [shutdown]",
        "   (With lambda = 0 the corner needs q_w^FB <= 0: the first best itself.)")


def test_strong_quota_corner():
    """eta_s >= 0 at q_s = 0 iff a <= theta_s: q_s = (a - theta_s)^+ / b in every regime."""
    eta_s_at_zero = sp.solve(STATIONARITY[0].subs(q_s, 0), eta_s)[0]
    assert sp.simplify(eta_s_at_zero + nu * (a - theta_s)) == 0
    for sol in (SOL_FIRST_BEST, SOL_INFORMATION_RENT, SOL_ZERO_RENT, SOL_SHUTDOWN):
        assert sp.simplify(sol[q_s] - Q_S) == 0
    say("8. q_s = (a - theta_s)^+ / b (no distortion at the top), in every regime.")


# -- step 3: the regimes partition the parameter space -------------------------------------
def _clip(x):
    return sp.Max(0, x)


def test_regimes_partition():
    """With q^SB = (q_w^SB)^+ <= q^FB = (q_w^FB)^+ the four conditions are exclusive and exhaustive."""
    # q_w^FB - q_w^SB = nu k / ((1-nu) b) >= 0, and x -> max(0, x) is monotone
    assert sp.simplify(Q_FB - Q_SB - nu * k / (omega * b)) == 0
    # exhaustiveness: enumerate the sign pattern of (tau F, k q^FB - tau F, k q^SB - tau F)
    # with the implication k q^SB <= k q^FB; every admissible pattern has exactly one regime.
    x_fb, x_sb, d = sp.symbols("x_fb x_sb d", real=True)   # k q^FB, k q^SB, tau F
    conditions = {
        "first_best": x_fb <= d,
        "information_rent": x_sb > d,
        "zero_rent_distorted": sp.And(d > 0, x_fb > d, x_sb <= d),
        "shutdown": sp.And(sp.Eq(d, 0), x_fb > 0, x_sb <= 0),
    }
    samples = [(xf, xs, dd) for dd in (0, 1) for xf in (0, 1, 2) for xs in (0, 1, 2) if 0 <= xs <= xf]
    for xf, xs, dd in samples:
        holds = [n for n, c in conditions.items() if bool(c.subs({x_fb: xf, x_sb: xs, d: dd}))]
        assert len(holds) == 1, (xf, xs, dd, holds)
    say("9. Regimes (q^FB = (q_w^FB)^+, q^SB = (q_w^SB)^+ <= q^FB, k = (1-tau) Delta):",
        "   first_best:          k q^FB <= tau F",
        "   information_rent:    k q^SB >  tau F",
        "   zero_rent_distorted: k q^SB <= tau F < k q^FB  (tau F > 0)",
        "   shutdown:            tau F = 0 < k q^FB, q^SB = 0",
        "   Every sign pattern of (tau F, k q^FB - tau F, k q^SB - tau F) meets exactly one.")


def test_closed_forms_as_median_and_max():
    """q_w = min(q^FB, max(q^SB, kink)) and U_s = max(0, k q^SB - tau F) in every regime.

    The regime conditions written with the kink (k > 0): first_best iff q^FB <= kink,
    information_rent iff q^SB > kink, zero_rent_distorted iff q^SB <= kink < q^FB; under each,
    the min/max expression reduces to the regime's quota.  Checked on exact rational points
    covering every regime (the reduction is a comparison of three ordered numbers).
    """
    vals = [sp.Rational(n, 4) for n in range(0, 13)]
    for fb in vals:
        for sb in vals:
            if sb > fb:
                continue
            for kink in vals:
                median = sp.Min(fb, sp.Max(sb, kink))
                if fb <= kink:
                    assert median == fb
                elif sb > kink:
                    assert median == sb
                else:
                    assert median == kink
    say("10. Hence q_w = min(q^FB, max(q^SB, tau F / k)) and U_s = max(0, k q^SB - tau F).")


# -- step 4: the weak type's truth-telling constraint is slack --------------------------------
def test_weak_truth_telling_slack():
    """IC_w holds at the relaxed optimum, so the relaxed solution solves the full program."""
    ic_w = U_w - sigma * (U_s - Delta * q_s) + (1 - sigma) * F
    # information_rent: U_w = 0, U_s = k q_w - tau F
    slack_info = sp.expand(ic_w.subs({U_w: 0, U_s: k * q_w - (1 - sigma) * F}))
    target = sigma * Delta * (q_s - sigma * q_w) + (1 - sigma) * F * (1 + sigma)
    assert sp.expand(slack_info - target) == 0
    # q_s >= q_w >= 0 and sigma <= 1 make every term >= 0:
    #   q_s - sigma q_w = (q_s - q_w) + (1 - sigma) q_w, with q_s - q_w^SB = (Delta + nu k/(1-nu))/b > 0
    assert sp.simplify(Q_S - Q_SB - (Delta + nu * k / omega) / b) == 0
    # other regimes: U_s = 0
    slack_zero = sp.expand(ic_w.subs({U_w: 0, U_s: 0}))
    assert sp.expand(slack_zero - (sigma * Delta * q_s + (1 - sigma) * F)) == 0
    say("11. IC_w at the solution: slack = (1-tau) Delta (q_s - (1-tau) q_w) + tau F (2 - tau) >= 0",
        "    (information_rent) or (1-tau) Delta q_s + tau F >= 0 (U_s = 0), since q_s >= q_w.",
        "    So the relaxed optimum is feasible, hence optimal, for the full program.")


# -- step 5: comparative statics in transparency and penalty --------------------------------
def test_distortion_falls_in_transparency_and_penalty():
    """Each piece of q_w = min(q^FB, max(q^SB, kink)) weakly rises in tau and in F."""
    q_sb_tau = Q_SB.subs(sigma, 1 - tau)
    kink_tau = KINK.subs(sigma, 1 - tau)
    d_sb = sp.simplify(sp.diff(q_sb_tau, tau))
    assert sp.simplify(d_sb - nu * Delta / (omega * b)) == 0 and d_sb.is_positive
    assert sp.diff(q_sb_tau, F) == 0
    d_kink = sp.simplify(sp.diff(kink_tau, tau))
    assert sp.simplify(d_kink - F / (Delta * (1 - tau) ** 2)) == 0
    escape = sp.Symbol("sigma", positive=True)           # the kink exists only where k > 0
    assert d_kink.subs(tau, 1 - escape).is_nonnegative
    d_kink_F = sp.simplify(sp.diff(kink_tau, F))
    assert sp.simplify(d_kink_F - tau / ((1 - tau) * Delta)) == 0
    assert (tau / (escape * Delta)).is_nonnegative      # tau >= 0, 1 - tau = sigma > 0
    assert sp.diff(Q_FB, tau) == 0 and sp.diff(Q_FB, F) == 0
    say("12. d q_w^SB / d tau = nu Delta / ((1-nu) b) > 0, d kink / d tau = F / (Delta (1-tau)^2) >= 0,",
        "    d kink / dF = tau / ((1-tau) Delta) >= 0, q^FB constant: min/max keep monotonicity,",
        "    so q_w rises and the distortion q_w^FB - q_w falls weakly in tau and in F.")


def test_welfare_loss_falls_in_transparency_and_penalty():
    """Envelope argument: the centre's reduced objective rises weakly in tau and F at every q_w."""
    rent_arg = (1 - tau) * Delta * q_w - tau * F         # U_s = max(0, rent_arg) at given q_w
    assert sp.expand(sp.diff(rent_arg, tau) + (Delta * q_w + F)) == 0   # <= 0 for q_w >= 0
    assert sp.diff(rent_arg, F) == -tau
    say("13. At any q_w the required rent max(0, (1-tau) Delta q_w - tau F) falls weakly in tau and F,",
        "    so the centre's optimum rises weakly and welfare_loss falls weakly (first best is fixed).")


def test_rent_comparative_statics():
    """Rent falls in F; in tau it falls iff Delta (q_w - distortion) + F >= 0, and can rise."""
    q_sb_tau = Q_SB.subs(sigma, 1 - tau)
    h = (1 - tau) * Delta * q_sb_tau - tau * F          # U_s in information_rent
    assert sp.diff(h, F) == -tau
    dh = sp.expand(sp.diff(h, tau))
    distortion = (Q_FB - Q_SB).subs(sigma, 1 - tau)
    assert sp.expand(dh - (-Delta * (q_sb_tau - distortion) - F)) == 0
    # h is concave in tau, so once falling it keeps falling ...
    assert sp.simplify(sp.diff(h, tau, 2) + 2 * nu * Delta ** 2 / (omega * b)) == 0
    # ... and it falls on all of [0, 1] when dh/dtau <= 0 at tau = 0:
    at_zero = sp.expand(dh.subs(tau, 0))
    assert sp.expand(at_zero + Delta / b * (a - theta_w - 2 * nu * Delta / omega) + F) == 0
    # Counterexample to a monotone rent: a = 10, b = 1, theta = (2, 4), nu = 7/10, F = 2.
    point = {a: 10, b: 1, theta_s: 2, Delta: 2, nu: sp.Rational(7, 10), omega: sp.Rational(3, 10), F: 2}
    rent0 = h.subs(point).subs(tau, 0)
    rent1 = h.subs(point).subs(tau, sp.Rational(1, 10))
    assert (rent0, rent1) == (sp.Rational(8, 3), sp.Rational(76, 25))
    # both points lie in information_rent (q_w^SB > 0 and a positive rent), so U_s = h there
    assert Q_SB.subs(point).subs(sigma, 1) > 0 and Q_SB.subs(point).subs(sigma, sp.Rational(9, 10)) > 0
    assert rent0 > 0 and rent1 > rent0
    say("14. In information_rent U_s = (1-tau) Delta q_w^SB - tau F: dU_s/dF = -tau <= 0, and",
        "    dU_s/dtau = -Delta (q_w - distortion) - F, concave in tau: the rent falls in tau where",
        "    q_w + F/Delta >= distortion, on all of [0, 1] if a - theta_w + bF/Delta >= 2 nu Delta/(1-nu).",
        "    Otherwise it first rises: a=10, b=1, theta=(2,4), nu=0.7, F=2 gives U_s = 8/3 at tau = 0",
        "    and 76/25 at tau = 1/10 (the centre expands q_w faster than the rent per unit falls).")


def test_first_best_iff_threshold():
    """g(tau) = tau F - (1-tau) Delta q^FB rises in tau; first best iff g >= 0 iff tau >= threshold."""
    qfb = sp.Symbol("q_FB", nonnegative=True)            # (q_w^FB)^+
    g = tau * F - (1 - tau) * Delta * qfb
    assert sp.expand(sp.diff(g, tau) - (F + Delta * qfb)) == 0   # >= 0
    root = sp.solve(sp.Eq(g, 0), tau)
    assert len(root) == 1 and sp.simplify(root[0] - Delta * qfb / (Delta * qfb + F)) == 0
    assert g.subs(tau, 1) == F                                   # g(1) >= 0: the first best at tau = 1
    assert g.subs(qfb, 0) == tau * F                             # nothing at stake: first best for all tau
    assert sp.simplify(root[0].subs(F, 0)) == 1                  # F = 0 < q^FB: only tau = 1
    # the naive pleading gain is -g: strong aiders plead poverty iff tau < threshold
    naive_gain = (1 - tau) * (theta_w * qfb - theta_s * qfb) - tau * F
    assert sp.expand(naive_gain + g) == 0
    say("15. first_best iff g(tau) = tau F - (1-tau) Delta q^FB >= 0; g' = F + Delta q^FB >= 0, g(1) = F >= 0:",
        "    the set is [tau*, 1] with tau* = Delta q^FB / (Delta q^FB + F) (0 when q^FB = 0; 1 when F = 0 < q^FB).",
        "    naive_pleading_gain = (1-tau) Delta q^FB - tau F = -g > 0 iff tau < tau*.")


def test_derivation_matches_model():
    """The derived menu equals the package's solver on exact points of every regime."""
    from gametheory_aid.models.pleading_poverty import PleadingPoverty

    points = [  # (a, b, theta_s, theta_w, nu, tau, F, expected regime)
        (10, 1, 2, 4, sp.Rational(1, 2), 0, 2, "information_rent"),
        (10, 1, 2, 4, sp.Rational(1, 2), sp.Rational(9, 10), 2, "first_best"),
        (10, 1, 2, 4, sp.Rational(7, 10), sp.Rational(1, 2), 8, "zero_rent_distorted"),
        (10, 1, 2, 4, sp.Rational(9, 10), 0, 2, "shutdown"),
        (3, 2, 1, 4, sp.Rational(1, 2), sp.Rational(1, 4), 1, "first_best"),
    ]
    for a_, b_, ts_, tw_, nu_, tau_, F_, regime in points:
        subs = {a: a_, b: b_, theta_s: ts_, Delta: tw_ - ts_, nu: nu_, omega: 1 - nu_, sigma: 1 - tau_, F: F_}
        qfb = max(Q_FB.subs(subs), 0)
        qsb = max(Q_SB.subs(subs), 0)
        kk = k.subs(subs)
        d = tau_ * F_
        kink = d / kk if kk else sp.oo
        q_w_expected = min(qfb, max(qsb, kink))
        rent_expected = max(0, kk * qsb - d)
        r = PleadingPoverty(value_intercept=float(a_), value_curvature=float(b_), cost_strong=float(ts_),
                            cost_weak=float(tw_), prob_strong=float(nu_), transparency=float(tau_),
                            penalty=float(F_)).solve()
        assert str(r.regime) == regime
        assert abs(float(r.quota_weak) - float(q_w_expected)) < 1e-12
        assert abs(float(r.rent_strong) - float(rent_expected)) < 1e-12
        assert abs(float(r.quota_strong) - float(max(Q_S.subs(subs), 0))) < 1e-12


def main():
    for name, fn in list(globals().items()):
        if name.startswith("test_"):
            fn()
    print(__doc__.split("\n\n")[0])
    print("\n".join(LOG))
    print("\nall steps verified")


if __name__ == "__main__":
    main()
