"""Tests of the ``pleading-poverty`` model (screening with verification, spec section 1).

The closed form is checked against an independent numerical optimisation of the centre's full
program (all four constraints, SLSQP from several starts), against hand-computed menus, against
its own symbolic form, and by properties over the whole parameter domain.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar

from gametheory_aid.core.params import ParameterError
from gametheory_aid.models import MODELS
from gametheory_aid.models.pleading_poverty import REGIMES, PleadingPoverty, numeric_menu

SPEC_OUTPUTS = (
    "quota_strong", "quota_weak", "quota_weak_first_best", "transfer_strong", "transfer_weak", "rent_strong",
    "centre_welfare", "first_best_welfare", "welfare_loss", "expected_quota", "regime",
    "threshold_transparency", "naive_pleading_gain", "pleads_poverty_if_naive",
)
SPEC_DEFAULTS = dict(value_intercept=10, value_curvature=1, cost_strong=2, cost_weak=4, prob_strong=0.5,
                     transparency=0, penalty=2)
REAL_OUTPUTS = [o.name for o in PleadingPoverty.outputs if o.kind == "real"]


# -- strategies --------------------------------------------------------------------------------
def unit(lo=0.0, hi=1.0):
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


@st.composite
def points(draw, numeric=False):
    """A parameter point across the domain, with the edges (tau in {0, 1}, F = 0, a <= theta) drawn often."""
    if numeric:  # well-conditioned for the numerical optimiser
        b = draw(unit(0.2, 5.0))
        nu = draw(unit(0.05, 0.95))
        dtheta = draw(unit(0.05, 8.0))
    else:
        b = draw(unit(0.01, 50.0))
        nu = draw(unit(1e-4, 1 - 1e-4))
        dtheta = draw(unit(1e-3, 20.0))
    theta_s = draw(st.one_of(st.just(0.0), unit(0.0, 10.0)))
    a = draw(unit(0.0, 30.0))
    tau = draw(st.one_of(st.just(0.0), st.just(1.0), unit()))
    F = draw(st.one_of(st.just(0.0), unit(0.0, 20.0)))
    return dict(value_intercept=a, value_curvature=b, cost_strong=theta_s, cost_weak=theta_s + dtheta,
                prob_strong=nu, transparency=tau, penalty=F)


def solve(**p):
    return PleadingPoverty(**p).solve()


def scale_of(p):
    """Typical size of quotas and of payoffs at a point (for tolerances)."""
    q = max(1.0, p["value_intercept"] / p["value_curvature"])
    return q, max(1.0, q * max(p["value_intercept"], p["cost_weak"], p["penalty"]))


# -- metadata ---------------------------------------------------------------------------------
def test_registered_with_spec_names():
    assert MODELS["pleading-poverty"] is PleadingPoverty
    assert tuple(o.name for o in PleadingPoverty.outputs) == SPEC_OUTPUTS
    assert PleadingPoverty.defaults() == SPEC_DEFAULTS
    assert set(PleadingPoverty().solve().keys()) == set(SPEC_OUTPUTS)
    assert PleadingPoverty.chinese_title == "装穷叫苦"


# -- hand-computed menus ------------------------------------------------------------------------
# Values derived by hand from the formulas of Laffont & Martimort (2002, ch. 2) with the penalty:
# q_s = (a - theta_s)/b, q_w^SB = (a - theta_w - nu/(1-nu) (1-tau) Delta)/b, U_s = (1-tau) Delta q_w - tau F.
HAND = [
    pytest.param(dict(), dict(quota_strong=8, quota_weak=4, quota_weak_first_best=6, transfer_strong=24,
                              transfer_weak=16, rent_strong=8, centre_welfare=20, first_best_welfare=25,
                              welfare_loss=5, expected_quota=6, regime="information_rent",
                              threshold_transparency=6 / 7, naive_pleading_gain=12, pleads_poverty_if_naive=True),
                 id="defaults-tau0"),
    pytest.param(dict(transparency=0.5), dict(quota_weak=5, transfer_strong=20, transfer_weak=20, rent_strong=4,
                                              centre_welfare=22.75, welfare_loss=2.25, expected_quota=6.5,
                                              regime="information_rent", naive_pleading_gain=5),
                 id="defaults-tau0.5"),
    pytest.param(dict(transparency=1), dict(quota_weak=6, transfer_strong=16, transfer_weak=24, rent_strong=0,
                                            centre_welfare=25, welfare_loss=0, expected_quota=7, regime="first_best",
                                            naive_pleading_gain=-2, pleads_poverty_if_naive=False),
                 id="defaults-tau1"),
    pytest.param(dict(prob_strong=0.7, transparency=0.5, penalty=8),
                 dict(quota_strong=8, quota_weak=4, transfer_strong=16, transfer_weak=16, rent_strong=0,
                      first_best_welfare=27.8, welfare_loss=0.6, centre_welfare=27.2, expected_quota=6.8,
                      regime="zero_rent_distorted", threshold_transparency=0.6, naive_pleading_gain=2,
                      pleads_poverty_if_naive=True),
                 id="kink"),
    pytest.param(dict(prob_strong=0.9), dict(quota_weak=0, transfer_strong=16, transfer_weak=0, rent_strong=0,
                                             first_best_welfare=30.6, welfare_loss=1.8, centre_welfare=28.8,
                                             expected_quota=7.2, regime="shutdown", naive_pleading_gain=12),
                 id="shutdown"),
    pytest.param(dict(value_intercept=3, value_curvature=2, cost_strong=1, cost_weak=4, transparency=0.25, penalty=1),
                 dict(quota_strong=1, quota_weak=0, quota_weak_first_best=0, transfer_strong=1, transfer_weak=0,
                      rent_strong=0, first_best_welfare=0.5, welfare_loss=0, regime="first_best",
                      threshold_transparency=0, naive_pleading_gain=-0.25, pleads_poverty_if_naive=False),
                 id="a-below-cost-weak"),
    pytest.param(dict(value_intercept=1, cost_strong=2, cost_weak=3, transparency=0.5),
                 dict(quota_strong=0, quota_weak=0, transfer_strong=0, centre_welfare=0, first_best_welfare=0,
                      regime="first_best", threshold_transparency=0, naive_pleading_gain=-1),
                 id="a-below-cost-strong"),
    pytest.param(dict(transparency=0.5, penalty=0),
                 dict(quota_weak=5, rent_strong=5, transfer_strong=21, centre_welfare=22.25, welfare_loss=2.75,
                      regime="information_rent", threshold_transparency=1, naive_pleading_gain=6),
                 id="no-penalty"),
    pytest.param(dict(transparency=1, penalty=0),
                 dict(quota_weak=6, rent_strong=0, regime="first_best", threshold_transparency=1,
                      naive_pleading_gain=0, pleads_poverty_if_naive=False),
                 id="no-penalty-tau1"),
]


@pytest.mark.parametrize("params, expected", HAND)
def test_hand_computed_menus(params, expected):
    r = solve(**params).to_dict()
    for name, value in expected.items():
        if isinstance(value, (str, bool)):
            assert r[name] == value, name
        else:
            assert r[name] == pytest.approx(value, abs=1e-12), name


def test_rent_can_rise_with_transparency():
    """Counterexample to a monotone rent (see proposition 1): confirmed by the numerical optimum."""
    low, high = (dict(prob_strong=0.7, transparency=t) for t in (0.0, 0.1))
    assert float(solve(**low).rent_strong) == pytest.approx(8 / 3, abs=1e-12)
    assert float(solve(**high).rent_strong) == pytest.approx(3.04, abs=1e-12)
    for p in (low, high):
        num = numeric_menu(**{**SPEC_DEFAULTS, **p})
        assert num["rent_strong"] == pytest.approx(float(solve(**p).rent_strong), abs=1e-6)


# -- the independent numerical optimum ----------------------------------------------------------
def closed_form_is_feasible(p, r, tol):
    """All four constraints of the centre's program hold at the closed-form menu."""
    ts, tw, tau, F = p["cost_strong"], p["cost_weak"], p["transparency"], p["penalty"]
    qs, qw, Ts, Tw = (float(r[k]) for k in ("quota_strong", "quota_weak", "transfer_strong", "transfer_weak"))
    return min(Ts - ts * qs, Tw - tw * qw,
               (Ts - ts * qs) - ((1 - tau) * (Tw - ts * qw) - tau * F),
               (Tw - tw * qw) - ((1 - tau) * (Ts - tw * qs) - tau * F), qs, qw) >= -tol


@settings(max_examples=60)
@given(points(numeric=True))
def test_matches_numerical_optimisation(p):
    r = solve(**p)
    num = numeric_menu(**p)
    q_scale, pay_scale = scale_of(p)
    assert closed_form_is_feasible(p, r, 1e-9 * pay_scale)
    # the closed form is at least as good as the numerical optimum, and equal to it
    assert float(r.centre_welfare) >= num["centre_welfare"] - 1e-9 * pay_scale
    assert num["centre_welfare"] == pytest.approx(float(r.centre_welfare), abs=1e-5 * pay_scale)
    for name in ("quota_strong", "quota_weak"):
        assert num[name] == pytest.approx(float(r[name]), abs=1e-5 * q_scale), name
    for name in ("transfer_strong", "transfer_weak", "rent_strong"):
        assert num[name] == pytest.approx(float(r[name]), abs=1e-5 * pay_scale), name
    assert num["rent_weak"] == pytest.approx(0.0, abs=1e-5 * pay_scale)


@pytest.mark.parametrize("params", [pytest.param(dict(p[0]), id=p[1]) for p in [
    (dict(), "information_rent"), (dict(prob_strong=0.7, transparency=0.5, penalty=8), "zero_rent_distorted"),
    (dict(prob_strong=0.9), "shutdown"), (dict(transparency=0.9), "first_best"),
    (dict(value_intercept=3, cost_strong=1, cost_weak=4), "first_best-zero-weak-quota")]])
def test_each_regime_matches_numerical_optimisation(params):
    p = {**SPEC_DEFAULTS, **params}
    r = solve(**p)
    num = numeric_menu(**p)
    for name in ("quota_strong", "quota_weak", "transfer_strong", "transfer_weak", "rent_strong", "centre_welfare"):
        assert num[name] == pytest.approx(float(r[name]), abs=1e-6), name


def numeric_first_best_quota(p):
    """The weak type's full-information quota by numerical maximisation of S(q) - theta_w q."""
    a, b, tw = p["value_intercept"], p["value_curvature"], p["cost_weak"]
    res = minimize_scalar(lambda q: -(a * q - b * q * q / 2 - tw * q), bounds=(0.0, a / b + 1.0),
                          method="bounded", options={"xatol": 1e-12})
    return res.x if a * res.x - b * res.x ** 2 / 2 - tw * res.x > 0 else 0.0


def numeric_is_first_best(p, q_fb, tol):
    """Whether the numerical optimum is the first best: the weak quota at ``q_fb`` to the
    reference's precision in quota, and no rent to ``tol`` (a payoff)."""
    num = numeric_menu(**p, starts=1)
    return num["quota_weak"] >= q_fb - quota_precision(p, tol) and num["rent_strong"] <= tol


def quota_precision(p, tol):
    """How well the numerical optimum pins the weak quota.  SLSQP stops once the welfare is
    right to about ``1e-14`` of its size; the welfare is quadratic in q_w with curvature
    (1 - nu) b, so q_w is right to sqrt(2 1e-14 W / ((1 - nu) b)) -- coarser than a payoff's
    ``tol`` where the weak type is rare (nu near 1) and the welfare flat in its quota."""
    _, pay_scale = scale_of(p)
    flat = (1 - p["prob_strong"]) * p["value_curvature"]
    return max(tol, (2 * 1e-14 * pay_scale / flat) ** 0.5)


@settings(max_examples=12)
@given(points(numeric=True), st.one_of(st.just(0.0), unit(0.2, 10.0)))
def test_threshold_matches_bisection(p, F):
    p = {**p, "penalty": F}
    q_fb = numeric_first_best_quota(p)
    assume(q_fb == 0.0 or q_fb > 0.1)
    threshold = float(solve(**p).threshold_transparency)
    tol = 1e-8 * scale_of(p)[1]
    if numeric_is_first_best({**p, "transparency": 0.0}, q_fb, tol):
        found = 0.0
    else:
        lo, hi = 0.0, 1.0
        assert numeric_is_first_best({**p, "transparency": 1.0}, q_fb, tol)
        while hi - lo > 1e-7:
            mid = 0.5 * (lo + hi)
            if numeric_is_first_best({**p, "transparency": mid}, q_fb, tol):
                hi = mid
            else:
                lo = mid
        found = hi
    assert found == pytest.approx(threshold, abs=1e-5)


# -- properties over the domain -----------------------------------------------------------------
TAU_GRID = np.linspace(0.0, 1.0, 201)


def along(p, name, grid):
    """Solve the point p along a grid of one parameter (one vectorised call)."""
    return solve(**{**p, name: grid})


@given(points())
def test_distortion_and_welfare_loss_fall_in_transparency(p):
    r = along(p, "transparency", TAU_GRID)
    q_scale, pay_scale = scale_of(p)
    distortion = r.quota_weak_first_best - r.quota_weak
    assert np.all(np.diff(distortion) <= 1e-12 * q_scale)
    assert np.all(np.diff(r.welfare_loss) <= 1e-12 * pay_scale)
    assert np.all(np.diff(r.naive_pleading_gain) <= 1e-12 * pay_scale)


@given(points(), unit(0.0, 40.0))
def test_distortion_rent_and_loss_fall_in_penalty(p, F_max):
    grid = np.linspace(0.0, F_max, 101)
    r = along(p, "penalty", grid)
    q_scale, pay_scale = scale_of({**p, "penalty": F_max})
    assert np.all(np.diff(r.quota_weak_first_best - r.quota_weak) <= 1e-12 * q_scale)
    assert np.all(np.diff(r.rent_strong) <= 1e-12 * pay_scale)
    assert np.all(np.diff(r.welfare_loss) <= 1e-12 * pay_scale)


@given(points())
def test_rent_single_peaked_in_transparency(p):
    """The rent is quasi-concave in tau: once it falls it never rises again."""
    rent = along(p, "transparency", TAU_GRID).rent_strong
    step = np.diff(rent)
    tol = 1e-10 * scale_of(p)[1]
    falls = np.flatnonzero(step < -tol)
    if falls.size:
        assert np.all(step[falls[0]:] <= tol)


@given(points(), unit(0.0, 10.0))
def test_rent_falls_in_transparency_under_the_condition(p, extra):
    """If a - theta_w + b F / Delta >= 2 nu Delta / (1 - nu) the rent falls weakly on [0, 1]."""
    dtheta = p["cost_weak"] - p["cost_strong"]
    ratio = p["prob_strong"] / (1 - p["prob_strong"])
    a = p["cost_weak"] + 2 * ratio * dtheta - p["value_curvature"] * p["penalty"] / dtheta + extra
    assume(0 <= a <= 1e4)
    p = {**p, "value_intercept": a}
    rent = along(p, "transparency", TAU_GRID).rent_strong
    assert np.all(np.diff(rent) <= 1e-10 * scale_of(p)[1])


@given(points())
def test_first_best_iff_transparency_above_threshold(p):
    r = solve(**p)
    threshold = float(r.threshold_transparency)
    assert 0.0 <= threshold <= 1.0
    assert (str(r.regime) == "first_best") == (p["transparency"] >= threshold)
    above = solve(**{**p, "transparency": min(1.0, threshold + 1e-9)})
    assert str(above.regime) == "first_best"
    if threshold > 1e-6:
        below = solve(**{**p, "transparency": threshold - 1e-6})
        assert str(below.regime) != "first_best"
    # the threshold does not depend on the transparency it is computed at
    assert float(solve(**{**p, "transparency": 0.5}).threshold_transparency) == pytest.approx(threshold)


def assert_first_best_menu(r):
    """The first-best menu, exactly: no rent, no distortion, no loss, nothing to gain by pleading."""
    assert str(r.regime) == "first_best"
    assert float(r.quota_weak) == float(r.quota_weak_first_best)
    assert float(r.rent_strong) == 0.0 and float(r.welfare_loss) == 0.0
    assert float(r.naive_pleading_gain) <= 0 and not bool(r.pleads_poverty_if_naive)


@given(points())
def test_first_best_exactly_at_the_threshold(p):
    """At tau = the model's own threshold_transparency the menu is the first best; just below it is not."""
    threshold = float(solve(**p).threshold_transparency)
    at = solve(**{**p, "transparency": threshold})
    assert float(at.threshold_transparency) == threshold
    assert_first_best_menu(at)
    if threshold > 0:
        below = solve(**{**p, "transparency": float(np.nextafter(threshold, 0.0))})
        assert str(below.regime) != "first_best"
        assert bool(below.pleads_poverty_if_naive) and float(below.naive_pleading_gain) > 0
        assert float(below.quota_weak) <= float(below.quota_weak_first_best)


def test_threshold_of_the_issue_is_first_best():
    """a = 10, theta_s = 1, theta_w = 3, F = 3: threshold 2*7/(2*7 + 3) = 14/17, first best there."""
    p = dict(value_intercept=10, cost_strong=1, cost_weak=3, penalty=3)
    r = solve(**p, transparency=14 / 17)
    assert float(r.threshold_transparency) == pytest.approx(14 / 17, rel=1e-15)
    assert_first_best_menu(r)
    assert float(r.quota_weak) == 7.0 and float(r.transfer_weak) == 21.0


def test_decimal_tie_of_the_rent_is_the_kink():
    """tau = 0.1, F = 75.6 at the defaults: k = 1.8, q^SB = 6 - 1.8 = 4.2 and k q^SB = 7.56 = tau F.

    The interior rent is exactly 0 in decimals: the kink regime with no rent, not a rent of 1e-15.
    """
    r = solve(transparency=0.1, penalty=75.6)
    assert str(r.regime) == "zero_rent_distorted"
    assert float(r.rent_strong) == 0.0
    assert float(r.quota_weak) == pytest.approx(4.2, rel=1e-14)
    assert float(r.transfer_strong) == pytest.approx(2 * 8, rel=1e-15)  # theta_s q_s, no rent
    # welfare loss (1 - nu) b (q^FB - q_w)^2 / 2 = 0.5 * 1.8^2 / 2 = 0.81
    assert float(r.welfare_loss) == pytest.approx(0.81, rel=1e-12)


@given(points())
def test_invariants(p):
    r = solve(**p).to_dict()
    q_scale, pay_scale = scale_of(p)
    eps = 1e-12 * pay_scale
    assert r["rent_strong"] >= 0 and r["welfare_loss"] >= 0
    assert r["regime"] in REGIMES
    assert 0 <= r["quota_weak"] <= r["quota_weak_first_best"] + 1e-12 * q_scale
    assert r["quota_weak_first_best"] <= r["quota_strong"]
    assert r["welfare_loss"] == pytest.approx(r["first_best_welfare"] - r["centre_welfare"], abs=eps)
    assert r["rent_strong"] == pytest.approx(r["transfer_strong"] - p["cost_strong"] * r["quota_strong"], abs=eps)
    assert r["transfer_weak"] == pytest.approx(p["cost_weak"] * r["quota_weak"], abs=eps)
    nu = p["prob_strong"]
    assert r["expected_quota"] == pytest.approx(nu * r["quota_strong"] + (1 - nu) * r["quota_weak"], abs=eps)
    assert r["pleads_poverty_if_naive"] == (r["naive_pleading_gain"] > 0) == (r["regime"] != "first_best")


@given(points())
def test_regime_labels_match_the_menu(p):
    r = solve(**p).to_dict()
    regime, q_w, q_fb, rent = r["regime"], r["quota_weak"], r["quota_weak_first_best"], r["rent_strong"]
    if regime == "information_rent":
        assert rent > 0
    else:
        assert rent == 0
    if regime == "first_best":
        assert q_w == q_fb and r["welfare_loss"] == pytest.approx(0.0, abs=1e-12 * scale_of(p)[1])
    if regime == "zero_rent_distorted":
        assert 0 < q_w < q_fb
        k = (1 - p["transparency"]) * (p["cost_weak"] - p["cost_strong"])
        assert k * q_w == pytest.approx(p["transparency"] * p["penalty"], rel=1e-9)   # held at the kink
    if regime == "shutdown":
        assert q_w == 0 < q_fb and p["transparency"] * p["penalty"] == 0


@given(points(), unit(1e-9, 1e-7))
def test_menu_continuous_in_transparency(p, h):
    """Quota and rent move continuously across regime boundaries (no jump at any tau)."""
    tau = min(p["transparency"], 1.0 - h)
    r0, r1 = solve(**{**p, "transparency": tau}), solve(**{**p, "transparency": tau + h})
    q_scale, pay_scale = scale_of(p)
    assert abs(float(r1.quota_weak - r0.quota_weak)) <= 1e-3 * q_scale
    assert abs(float(r1.rent_strong - r0.rent_strong)) <= 1e-3 * pay_scale


@given(points(), unit(1e-9, 1e-6))
def test_shutdown_boundary_in_prob_strong(p, h):
    """Without an expected penalty the weak type is shut down iff nu/(1-nu) (1-tau) Delta >= a - theta_w."""
    p = {**p, "penalty": 0.0, "transparency": min(p["transparency"], 0.9)}
    margin, k = p["value_intercept"] - p["cost_weak"], (1 - p["transparency"]) * (p["cost_weak"] - p["cost_strong"])
    assume(margin > 1e-3)
    nu_star = margin / (margin + k)          # nu/(1-nu) k = margin
    assume(h < nu_star < 1 - h)
    assert str(solve(**{**p, "prob_strong": nu_star + h}).regime) == "shutdown"
    assert str(solve(**{**p, "prob_strong": nu_star - h}).regime) == "information_rent"


@given(points(), unit(0.1, 20.0), unit(0.1, 20.0), unit(1e-7, 1e-5))
def test_information_rent_to_kink_boundary(p, extra, F, h):
    """Where the interior rent k q_w^SB - tau F reaches 0 the regime turns from the rent to the kink."""
    dtheta = p["cost_weak"] - p["cost_strong"]
    nu, b = p["prob_strong"], p["value_curvature"]
    ratio = nu / (1 - nu)
    margin = ratio * dtheta + extra                      # a - theta_w: a positive rent at tau = 0
    p = {**p, "value_intercept": p["cost_weak"] + margin, "penalty": F}

    def rent(tau):                                       # concave in tau, > 0 at 0 and -F < 0 at 1
        k = (1 - tau) * dtheta
        return k * max(margin - ratio * k, 0.0) / b - tau * F

    lo, hi = 0.0, 1.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if rent(mid) > 0 else (lo, mid)
    assume(h < lo < 1 - h)
    assert str(solve(**{**p, "transparency": lo - h}).regime) == "information_rent"
    after = solve(**{**p, "transparency": lo + h})
    assert float(after.rent_strong) == 0.0
    # the kink, unless the first best is already reached within h (a tiny gap q^FB - q^SB)
    assert str(after.regime) == "zero_rent_distorted" or float(after.threshold_transparency) <= lo + h


# -- broadcasting ---------------------------------------------------------------------------------
@settings(max_examples=20)
@given(st.lists(points(), min_size=2, max_size=6))
def test_array_equals_scalar(pts):
    names = list(SPEC_DEFAULTS)
    arrays = {n: np.array([pt[n] for pt in pts]) for n in names}
    together = solve(**arrays)
    for i, pt in enumerate(pts):
        one = solve(**pt)
        for name in SPEC_OUTPUTS:
            assert together[name].shape == (len(pts),)
            assert together[name][i] == one[name], name


def test_broadcast_shapes_mix_scalars_and_arrays():
    tau = np.linspace(0, 1, 5)
    nu = np.array([[0.2], [0.5], [0.8]])
    r = solve(transparency=tau, prob_strong=nu)
    for name in SPEC_OUTPUTS:
        assert r[name].shape == (3, 5)
    for i in range(3):
        for j in range(5):
            one = solve(transparency=tau[j], prob_strong=nu[i, 0])
            for name in SPEC_OUTPUTS:
                assert r[name][i, j] == one[name]
    assert r.regime.dtype.kind == "U" and r.pleads_poverty_if_naive.dtype == bool


# -- the symbolic solution --------------------------------------------------------------------------
_LAMBDIFIED = {}


def lambdified():
    """The symbolic solution's outputs and regime conditions as numpy functions (built once)."""
    if not _LAMBDIFIED:
        import sympy as sp

        sol = PleadingPoverty().symbolic()
        _LAMBDIFIED.update({n: sol.lambdify(n) for n in REAL_OUTPUTS})
        args = [sol.symbols[n] for n in sol.symbols]
        _LAMBDIFIED["regimes"] = [(reg.name, sp.lambdify(args, reg.condition, modules="numpy"))
                                  for reg in sol.regimes]
        _LAMBDIFIED["names"] = list(sol.symbols)
    return _LAMBDIFIED


@given(points())
def test_symbolic_equals_solve(p):
    r = solve(**p).to_dict()
    funcs = lambdified()
    pay_scale = scale_of(p)[1]
    with np.errstate(all="ignore"):
        for name in REAL_OUTPUTS:
            value = float(funcs[name](**p))
            assert value == pytest.approx(r[name], abs=1e-9 * pay_scale, rel=1e-9), name
        args = [p[n] for n in funcs["names"]]
        holding = [name for name, cond in funcs["regimes"] if bool(cond(*args))]
    # the symbolic conditions are exclusive and pick the solver's regime (up to rounding on a boundary)
    assert holding == [r["regime"]] or _on_boundary(p)


def _on_boundary(p):
    k = (1 - p["transparency"]) * (p["cost_weak"] - p["cost_strong"])
    d = p["transparency"] * p["penalty"]
    r = solve(**p)
    sb = max(p["value_intercept"] - p["cost_weak"] - p["prob_strong"] / (1 - p["prob_strong"]) * k, 0.0)
    sb /= p["value_curvature"]
    return min(abs(k * float(r.quota_weak_first_best) - d), abs(k * sb - d)) < 1e-9 * scale_of(p)[1]


# -- bad input ----------------------------------------------------------------------------------------
BAD = [
    ("value_intercept", -1.0), ("value_intercept", math.nan), ("value_intercept", math.inf),
    ("value_curvature", 0.0), ("value_curvature", -2.0), ("value_curvature", math.nan),
    ("cost_strong", -0.5), ("cost_strong", math.nan), ("cost_weak", 0.0), ("cost_weak", math.inf),
    ("prob_strong", 0.0), ("prob_strong", 1.0), ("prob_strong", 1.5), ("prob_strong", math.nan),
    ("transparency", -0.1), ("transparency", 1.1), ("transparency", math.nan),
    ("penalty", -1.0), ("penalty", math.inf), ("penalty", math.nan),
]


@pytest.mark.parametrize("name, value", [pytest.param(n, v, id=f"{n}={v}") for n, v in BAD])
def test_bad_input_names_the_parameter(name, value):
    with pytest.raises(ParameterError) as err:
        PleadingPoverty(**{name: value})
    assert err.value.name == name
    assert name in str(err.value) and str(err.value.domain) in str(err.value)
    # inside an array too
    with pytest.raises(ParameterError) as err:
        PleadingPoverty(**{name: np.array([SPEC_DEFAULTS[name] or 0.5, value])})
    assert err.value.name == name


@pytest.mark.parametrize("strong, weak", [pytest.param(4.0, 4.0, id="equal"), pytest.param(5.0, 4.0, id="below"),
                                          pytest.param(np.array([1.0, 3.0]), np.array([2.0, 3.0]), id="array")])
def test_cost_weak_must_exceed_cost_strong(strong, weak):
    with pytest.raises(ParameterError) as err:
        PleadingPoverty(cost_strong=strong, cost_weak=weak)
    assert err.value.name == "cost_weak"
    assert "cost_strong" in str(err.value)


def test_unknown_parameter_rejected():
    with pytest.raises(ParameterError) as err:
        PleadingPoverty(transparancy=0.5)
    assert err.value.name == "transparancy"


# -- comparison with and without transparency ------------------------------------------------------
def test_compare_table():
    comparison = PleadingPoverty().compare([0, 0.5, 1])
    frame = comparison.to_frame()
    assert list(frame.index) == [0.0, 0.5, 1.0]
    assert list(frame.columns) == list(SPEC_OUTPUTS)
    assert list(frame["regime"]) == ["information_rent", "information_rent", "first_best"]
    assert list(frame["rent_strong"]) == pytest.approx([8.0, 4.0, 0.0])


# -- the module's organisation -------------------------------------------------------------------
def test_import_loads_neither_sympy_nor_scipy_optimize():
    import subprocess
    import sys

    code = ("import sys; import gametheory_aid.models.pleading_poverty; "
            "print(sorted(m for m in ('sympy', 'scipy.optimize') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_regime_is_stored_as_codes_and_read_as_names():
    r = solve(transparency=TAU_GRID, prob_strong=0.7, penalty=8)
    codes = r.codes("regime")
    assert codes.dtype == np.uint8 and r.categories["regime"] == REGIMES
    np.testing.assert_array_equal(np.asarray(REGIMES)[codes], r.regime)
    assert set(r.regime.tolist()) == {"information_rent", "zero_rent_distorted", "first_best"}


def test_blocks_give_the_same_outputs_as_one_block(monkeypatch):
    """Solving in blocks of a few points (across regime and block boundaries) changes nothing."""
    rng = np.random.default_rng(7)
    n = 1001
    theta_s = rng.uniform(0.0, 5.0, n)
    p = dict(value_intercept=rng.uniform(0.0, 20.0, n), value_curvature=rng.uniform(0.1, 5.0, n),
             cost_strong=theta_s, cost_weak=theta_s + rng.uniform(0.01, 5.0, n),
             prob_strong=rng.uniform(0.01, 0.99, n), transparency=np.where(rng.random(n) < 0.2, 1.0, rng.random(n)),
             penalty=np.where(rng.random(n) < 0.2, 0.0, rng.uniform(0.0, 10.0, n)))
    whole = solve(**p)
    monkeypatch.setattr(PleadingPoverty, "block_size", 7)
    blocks = solve(**p)
    for name in SPEC_OUTPUTS:
        np.testing.assert_array_equal(blocks[name], whole[name], err_msg=name)
    first_best = whole.regime == "first_best"
    assert first_best.any() and (~first_best).any()
    np.testing.assert_array_equal(whole.quota_weak[first_best], whole.quota_weak_first_best[first_best])


def test_primitives_are_the_solution_in_the_papers_terms():
    """The primitives of the module, evaluated by hand at the defaults, give the solver's outputs."""
    from gametheory_aid.models import pleading_poverty as pp

    a, b, theta_s, theta_w, nu, tau, F = 10.0, 1.0, 2.0, 4.0, 0.5, 0.0, 2.0
    k = pp.marginal_rent(tau, theta_w - theta_s)
    q_s, q_fb = pp.efficient_quota(a, b, theta_s), pp.efficient_quota(a, b, theta_w)
    q_sb = pp.second_best_quota(a, b, theta_w, nu, k)
    rent = pp.pleading_gain(k, q_sb, pp.expected_penalty(tau, F))
    r = solve().to_dict()
    assert (k, q_s, q_fb, q_sb, rent) == (2.0, 8.0, 6.0, 4.0, 8.0)
    assert r["naive_pleading_gain"] == pp.pleading_gain(k, q_fb, pp.expected_penalty(tau, F))
    assert r["first_best_welfare"] == pp.first_best_welfare(nu, b, q_s, q_fb)
    # at the efficient quota the surplus S(q) - theta q is b q^2 / 2
    assert pp.centre_value(a, b, q_s) - theta_s * q_s == b * q_s ** 2 / 2
    assert r["welfare_loss"] == pp.welfare_loss(nu, b, rent, q_fb, q_sb)
    assert r["threshold_transparency"] == pp.threshold_transparency(theta_w - theta_s, q_fb, F)
    assert pp.kink_quota(pp.marginal_rent(0.5, 2.0), pp.expected_penalty(0.5, 8.0)) == 4.0


# -- the story -------------------------------------------------------------------------------------
def test_story_is_carried_by_the_model_and_does_not_import_it():
    import ast
    import inspect

    from gametheory_aid.models import pleading_poverty_story

    story = PleadingPoverty.story
    assert story is pleading_poverty_story.STORY
    assert story.order == 10 and story.thresholds == ("threshold_transparency",)
    assert story.figure.outputs == ("rent_strong", "welfare_loss", "quota_weak")
    assert story.title == {"en": "Pleading poverty (装穷叫苦): screening the aider's fiscal capacity",
                           "zh": "装穷叫苦：对支援方财政能力的甄别"}
    assert story.glossary == {"pleading_poverty": ("pleading poverty", "装穷叫苦"),
                              "information_rent": ("information rent", "信息租金")}
    tree = ast.parse(inspect.getsource(pleading_poverty_story))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not any("pleading_poverty" in (m or "") or "report" in (m or "") or "demo" in (m or "")
                   for m in imported), imported


def test_story_sentences_at_the_defaults():
    table = PleadingPoverty().compare([0, 0.5, 1])
    facts = {"threshold_transparency": float(table.results[0].threshold_transparency)}
    assert PleadingPoverty.story.sentences(table, facts, "en") == [
        "At τ = 0, a fiscally strong aider facing naive first-best contracts would gain 12 by pleading poverty "
        "(装穷叫苦); the optimal menu therefore leaves it an information rent of 8 and cuts the weak type's quota "
        "from 6 to 4 (regime: information rent).",
        "At τ = 1 the rent is 0 and the weak type's quota 6 (regime: first best): the platform verifies fiscal "
        "capacity, so a false plea risks the penalty and is worth less.",
        "The first best holds from τ ≥ 0.857."]
    assert PleadingPoverty.story.sentences(table, facts, "zh") == [
        "τ = 0 时，若中央天真地提供完全信息合同，财政宽裕的支援方装穷叫苦可多得 12；"
        "因此最优合同须留给它 8 的信息租金，并把困难型的任务从 6 压到 4（均衡类型：留有信息租金）。",
        "τ = 1 时，信息租金为 0，困难型任务为 6（均衡类型：最优配置）：平台核实财政能力，"
        "装穷叫苦被查出的风险使谎报不再划算。",
        "τ ≥ 0.857 时达到完全信息最优。"]


def test_story_demo_at_the_defaults():
    story = PleadingPoverty.story
    en = story.demo(PleadingPoverty(), "en")
    assert [s.heading for s in en] == ["Who moves, and what do they know?", "What would a naive centre get?",
                                       "The centre's best response: the optimal menu",
                                       "The same game with full transparency (τ = 1)"]
    assert en[2].lines == (
        "It leaves the strong aider an information rent of 8 and cuts the weak type's quota from 6 to 4 "
        "(regime information rent), so that pleading poverty is no longer worth it.",
        "The centre's welfare is 20, 5 below full information.")
    assert en[3].lines[1:] == ("Rent 0, weak quota 6 (regime first best).",
                               "Any τ ≥ 0.857 already gives the first best.")
    zh = story.demo(PleadingPoverty(), "zh")
    assert [s.heading for s in zh] == ["第1步 谁行动、谁知道什么", "第2步 天真的合同会怎样", "第3步 中央的最优回应",
                                       "第4步 数字透明（τ = 1）"]
    assert zh[0].lines == ("中央政府（委托人）不知道支援方的财政能力：宽裕型边际成本 2（概率 0.5），困难型 4。",
                           "中央先提出合同菜单，支援方再申报类型。")
    assert zh[3].lines[1] == "信息租金 0，困难型任务 6（均衡类型：最优配置）。"
    assert story.demo_title == {"en": "Classroom walkthrough: pleading poverty (装穷叫苦), a screening game",
                                "zh": "课堂演示：装穷叫苦（甄别模型）"}


# -- huge and tiny magnitudes: finite results or a named refusal ------------------------------------


@pytest.mark.parametrize("build, name", [
    pytest.param(lambda: PleadingPoverty(cost_strong=5.0), "cost_strong", id="strong-set"),
    pytest.param(lambda: PleadingPoverty(cost_weak=1.0), "cost_weak", id="weak-set"),
    pytest.param(lambda: PleadingPoverty(cost_strong=5.0, cost_weak=4.5), "cost_weak", id="both-set"),
    pytest.param(lambda: PleadingPoverty().with_(cost_strong=5.0), "cost_strong", id="with-strong"),
    pytest.param(lambda: PleadingPoverty(cost_strong=1.0).with_(cost_weak=0.5), "cost_weak", id="with-weak"),
])
def test_the_cost_ordering_blames_the_cost_that_was_set(build, name):
    # defaults: cost_strong = 2 < cost_weak = 4; the error names the parameter the caller gave
    with pytest.raises(ParameterError, match=f"parameter '{name}'") as info:
        build()
    assert info.value.name == name and "the weak type's marginal cost must exceed" in str(info.value)


def test_the_stage_blames_its_parts_cost_that_was_set():
    from gametheory_aid import get_model

    with pytest.raises(ParameterError, match="pleading-poverty.cost_strong"):
        get_model("contracting-stage")(**{"pleading-poverty.cost_strong": 5.0})
