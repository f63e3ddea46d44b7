"""The poverty-bargaining model (spec section 2) against independent computations.

The reference below re-implements the model from its primitives only -- the centre's value
S(q), the bargaining solution on a claimed cost, the verification lottery and the penalty -- and
finds the aider's best claim by brute force (a dense grid plus bounded ``minimize_scalar`` on each
smooth piece, with the honest claim and the cap as candidates).  The threshold is checked by a
bisection on tau over that brute-force search, and the transferable-utility shortcut of the
bargaining solution by maximising the generalised Nash product numerically.
"""
import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize, minimize_scalar

from gametheory_aid.core.params import ParameterError
from gametheory_aid.models import MODELS
from gametheory_aid.models.poverty_bargaining import PovertyBargaining, rubinstein_power

OUTPUTS = ("claimed_cost", "overstatement", "pleads_poverty", "quota_if_believed", "expected_quota",
           "efficient_quota", "expected_shortfall", "aider_expected_payoff", "aider_gain_from_pleading",
           "centre_expected_payoff", "threshold_transparency")


# ---------------------------------------------------------------------------------------------
# Independent reference: the model's primitives and a brute-force search over claims
# ---------------------------------------------------------------------------------------------
def bargain(claim, p):
    """(agreement, quota, transfer) of the bargaining solution when the cost is taken to be ``claim``."""
    a, b = p["value_intercept"], p["value_curvature"]
    quota = np.maximum(a - claim, 0.0) / b             # argmax_q S(q) - claim q
    joint = a * quota - b * quota ** 2 / 2 - claim * quota
    gain = joint - p["disagreement_centre"] - p["disagreement_aider"]
    # Agreement iff the gain is >= 0; the slack absorbs rounding at the last claim with agreement.
    agree = gain >= -1e-12 * _scale(p)
    transfer = claim * quota + p["disagreement_aider"] + p["bargaining_power"] * gain
    return agree, np.where(agree, quota, 0.0), transfer


def aider_true_payoff(claim, p):
    """The aider's true payoff from a deal struck on ``claim`` (disagreement payoff if none)."""
    agree, quota, transfer = bargain(claim, p)
    return np.where(agree, transfer - p["true_cost"] * quota, p["disagreement_aider"])


def expected_payoff(claim, p):
    """Aider's expected true payoff of a claim (vectorised over ``claim``)."""
    theta, tau = p["true_cost"], p["transparency"]
    claim = np.asarray(claim, dtype=float)
    penalty = np.where(claim > theta, p["penalty_fixed"] + p["penalty_rate"] * (claim - theta), 0.0)
    verified = aider_true_payoff(theta, p) - penalty
    return (1 - tau) * aider_true_payoff(claim, p) + tau * verified


def centre_expected(claim, p):
    def centre(c):
        agree, quota, transfer = bargain(c, p)
        a, b = p["value_intercept"], p["value_curvature"]
        return np.where(agree, a * quota - b * quota ** 2 / 2 - transfer, p["disagreement_centre"])
    return (1 - p["transparency"]) * centre(claim) + p["transparency"] * centre(p["true_cost"])


def brute_force_claim(p, grid=4001):
    """The best claim and its payoff by grid search and ``minimize_scalar`` on each smooth piece.

    Pieces are separated by the points where the payoff may kink or jump: the honest claim, the
    last claim with agreement, the claim at which the quota reaches zero, and the cap.
    """
    theta, a, b = p["true_cost"], p["value_intercept"], p["value_curvature"]
    d = p["disagreement_centre"] + p["disagreement_aider"]
    top = p["max_claim"] if p["max_claim"] is not None else max(a, theta) + 5.0
    breaks = {theta, top}
    for c in (a, a - math.sqrt(2 * b * d) if d > 0 else a):
        if theta < c < top:
            breaks.add(c)
    breaks = sorted(breaks)
    f = lambda c: float(expected_payoff(c, p))  # noqa: E731
    best_c, best_v = theta, f(theta)             # honesty first: ties keep it
    for lo, hi in zip(breaks[:-1], breaks[1:], strict=True):
        eps = 1e-12 * max(1.0, abs(hi))
        cs = np.linspace(lo + eps, hi, grid)
        vals = expected_payoff(cs, p)
        i = int(np.argmax(vals))
        cands = [(cs[i], vals[i]), (hi, f(hi))]
        span = (cs[max(i - 1, 0)], cs[min(i + 1, grid - 1)])
        if span[1] > span[0]:
            r = minimize_scalar(lambda c: -f(c), bounds=span, method="bounded", options={"xatol": 1e-12})
            cands.append((r.x, -r.fun))
        for c, v in cands:
            if v > best_v:
                best_c, best_v = float(c), float(v)
    return best_c, best_v


def pleads_numerically(p, tol):
    """Whether some overstated claim beats honesty by more than ``tol`` (brute force)."""
    _, best = brute_force_claim(p, grid=801)
    return best - float(expected_payoff(p["true_cost"], p)) > tol


def bisect_threshold(p, iterations=40):
    """Least tau at which honesty is optimal, by bisection over the brute-force search."""
    scale = 1e-13 * _scale(p)  # above rounding in payoff differences
    if not pleads_numerically({**p, "transparency": 0.0}, scale):
        return 0.0
    lo, hi = 0.0, 1.0
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        if pleads_numerically({**p, "transparency": mid}, scale):
            lo = mid
        else:
            hi = mid
    return hi


def solve(**p):
    return PovertyBargaining(**p).solve()


def cap_of(p):
    """Largest feasible overstatement with agreement (from the primitives)."""
    d = p["disagreement_centre"] + p["disagreement_aider"]
    top = p["value_intercept"] - math.sqrt(2 * p["value_curvature"] * max(d, 0.0))
    if p["max_claim"] is not None:
        top = min(top, p["max_claim"])
    return top - p["true_cost"]


# ---------------------------------------------------------------------------------------------
# Parameter strategies over the whole domain (with its edges)
# ---------------------------------------------------------------------------------------------
def _unit_with_edges():
    return st.one_of(st.just(0.0), st.just(1.0), st.floats(0, 1))


@st.composite
def parameters(draw, with_cap=None):
    a = draw(st.floats(0.5, 20))
    b = draw(st.floats(0.1, 5))
    theta = draw(st.one_of(st.floats(0, a), st.floats(0, 1.3 * a)))
    surplus = max(a - theta, 0.0) ** 2 / (2 * b)
    d_c = draw(st.one_of(st.just(0.0), st.floats(-5, 5), st.floats(0, 1.2 * surplus + 1)))
    d_a = draw(st.one_of(st.just(0.0), st.floats(-5, 5), st.floats(0, 0.5 * surplus + 1)))
    use_cap = draw(st.booleans()) if with_cap is None else with_cap
    cap = theta + draw(st.one_of(st.just(0.0), st.floats(0, a))) if use_cap else None
    return {
        "value_intercept": a, "value_curvature": b, "true_cost": theta, "max_claim": cap,
        "bargaining_power": draw(_unit_with_edges()),
        "disagreement_centre": d_c, "disagreement_aider": d_a,
        "transparency": draw(_unit_with_edges()),
        "penalty_fixed": draw(st.one_of(st.just(0.0), st.floats(0, 5))),
        "penalty_rate": draw(st.one_of(st.just(0.0), st.floats(0, 3))),
    }


def _scale(p):
    return 1.0 + p["value_intercept"] ** 2 / p["value_curvature"] + abs(p["disagreement_centre"]) \
        + abs(p["disagreement_aider"])


# ---------------------------------------------------------------------------------------------
# Against brute force
# ---------------------------------------------------------------------------------------------
@settings(max_examples=60)
@given(parameters())
def test_claim_matches_brute_force_maximisation(p):
    res = solve(**p)
    best_c, best_v = brute_force_claim(p)
    tol = 1e-6 * _scale(p)
    # The model's claim attains the brute-force optimum, and nothing found beats it.
    assert float(res.aider_expected_payoff) == pytest.approx(best_v, abs=tol)
    assert float(expected_payoff(float(res.claimed_cost), p)) == pytest.approx(best_v, abs=tol)
    # Its own accounting agrees with the primitives.
    honest = float(expected_payoff(p["true_cost"], p))
    assert float(res.aider_gain_from_pleading) == pytest.approx(best_v - honest, abs=tol)
    assert float(res.centre_expected_payoff) == pytest.approx(
        float(centre_expected(float(res.claimed_cost), p)), abs=tol)
    agree_b, q_b, _ = bargain(float(res.claimed_cost), p)
    agree_t, q_t, _ = bargain(p["true_cost"], p)
    assert float(res.quota_if_believed) == pytest.approx(float(q_b), abs=1e-9 * _scale(p))
    assert float(res.efficient_quota) == pytest.approx(float(q_t), abs=1e-9 * _scale(p))
    tau = p["transparency"]
    assert float(res.expected_quota) == pytest.approx((1 - tau) * float(q_b) + tau * float(q_t),
                                                      abs=1e-9 * _scale(p))
    if res.pleads_poverty:  # a claim that pleads is strictly better than honesty
        assert best_v >= honest - tol
        assert bool(agree_b)  # no claim beyond agreement is ever strictly preferred


@settings(max_examples=20)
@given(parameters())
def test_threshold_matches_bisection_on_tau(p):
    threshold = float(solve(**p).threshold_transparency)
    by_bisection = bisect_threshold(p)
    if abs(threshold - by_bisection) > 2e-5:
        # Brute force tells pleading from honesty only where the gain exceeds its payoff resolution
        # (1e-13 of the payoff scale): then the model must plead at the bisection's threshold, for a
        # gain no larger than that resolution.
        at = solve(**{**p, "transparency": by_bisection})
        assert threshold > by_bisection
        assert 0 < float(at.aider_gain_from_pleading) <= 1e-12 * _scale(p)


@pytest.mark.parametrize("beta", [0.0, 0.3, 0.5, 0.9])
def test_transferable_utility_split_is_the_nash_bargaining_solution(beta):
    """Maximising the generalised Nash product over (q, t) gives the model's quota and payoffs."""
    p = {"value_intercept": 10.0, "value_curvature": 1.3, "true_cost": 2.0, "max_claim": None,
         "bargaining_power": beta, "disagreement_centre": 1.0, "disagreement_aider": 0.5,
         "transparency": 0.0, "penalty_fixed": 1.0, "penalty_rate": 1.0}
    res = solve(**p)
    c = float(res.claimed_cost)
    a, b = p["value_intercept"], p["value_curvature"]

    def neg_log_nash(z):
        q, t = z
        u_a = t - c * q - p["disagreement_aider"]
        u_c = a * q - b * q * q / 2 - t - p["disagreement_centre"]
        if u_a <= 0 or u_c <= 0:
            return 1e6
        return -(beta * math.log(u_a) + (1 - beta) * math.log(u_c)) if 0 < beta < 1 else \
            -(math.log(u_a) if beta == 1 else math.log(u_c))

    if beta == 0.0:  # the centre takes everything: the aider is held to d_A, the quota is efficient
        assert float(res.quota_if_believed) == pytest.approx((a - c) / b)
        assert float(aider_true_payoff(c, p)) == pytest.approx(p["disagreement_aider"] + (c - 2.0) * (a - c) / b)
        return
    q0 = 0.7 * (a - c) / b  # a feasible start: both above disagreement
    start = [q0, 0.5 * (c * q0 + p["disagreement_aider"] + a * q0 - b * q0 * q0 / 2 - p["disagreement_centre"])]
    r = minimize(neg_log_nash, start, method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-14,
                                                                      "maxiter": 20000})
    q, t = r.x
    assert q == pytest.approx(float(res.quota_if_believed), abs=1e-5)
    assert t - 2.0 * q == pytest.approx(float(aider_true_payoff(c, p)), abs=1e-5)


# ---------------------------------------------------------------------------------------------
# Properties (proposition 2)
# ---------------------------------------------------------------------------------------------
@given(parameters(), st.floats(0, 1), st.floats(0, 1))
def test_overstatement_falls_in_transparency(p, t1, t2):
    lo, hi = sorted((t1, t2))
    r_lo = solve(**{**p, "transparency": lo})
    r_hi = solve(**{**p, "transparency": hi})
    x_lo, x_hi = float(r_lo.overstatement), float(r_hi.overstatement)
    assert x_hi <= x_lo + 1e-12 * _scale(p)
    # Strictly, while positive, when the penalty grows with the overstatement and the cap is slack.
    resolvable = p["penalty_rate"] * p["value_curvature"] * (hi - lo) > 1e-9 * (1 + x_lo)
    if resolvable and x_hi > 0 and x_lo < cap_of(p) - 1e-9 * _scale(p):
        assert x_hi < x_lo


@given(parameters(with_cap=False))
def test_overstatement_strictly_falls_along_a_transparency_grid(p):
    p = {**p, "penalty_rate": max(p["penalty_rate"], 0.1)}
    taus = np.linspace(0, 1, 41)
    res = solve(**{**p, "transparency": taus})
    x = res.overstatement
    steps = np.diff(x)
    assert np.all(steps <= 0)
    positive = x[1:] > 0
    uncapped = x[:-1] < cap_of(p) - 1e-9 * _scale(p)
    assert np.all(steps[positive & uncapped] < 0)


@given(parameters())
def test_no_overstatement_at_full_bargaining_power(p):
    res = solve(**{**p, "bargaining_power": 1.0})
    assert float(res.overstatement) == 0.0 and not res.pleads_poverty
    assert float(res.threshold_transparency) == 0.0


@given(parameters(), st.floats(0, 1))
def test_honest_at_and_above_threshold_and_pleading_just_below(p, u):
    threshold = float(solve(**p).threshold_transparency)
    assert 0.0 <= threshold <= 1.0
    for tau in (threshold, threshold + u * (1 - threshold)):
        res = solve(**{**p, "transparency": tau})
        assert float(res.overstatement) == 0.0 and not res.pleads_poverty
        assert float(res.aider_gain_from_pleading) == 0.0
    if threshold > 1e-6:
        below = solve(**{**p, "transparency": threshold * (1 - 1e-6)})
        assert below.pleads_poverty and float(below.overstatement) > 0


@settings(max_examples=150)
@given(parameters())
def test_the_threshold_is_exact_one_ulp_either_side(p):
    """One float below threshold_transparency the aider pleads (strictly positive gain); at it, it is honest."""
    threshold = float(solve(**p).threshold_transparency)
    at = solve(**{**p, "transparency": threshold})
    assert not at.pleads_poverty and float(at.overstatement) == 0.0
    if threshold > 0:
        below = solve(**{**p, "transparency": float(np.nextafter(threshold, -1.0))})
        assert below.pleads_poverty
        assert float(below.overstatement) > 0 and float(below.aider_gain_from_pleading) > 0


@given(parameters())
def test_invariants(p):
    r = solve(**p)
    tau = p["transparency"]
    assert float(r.claimed_cost) == pytest.approx(p["true_cost"] + float(r.overstatement))
    assert bool(r.pleads_poverty) == (float(r.overstatement) > 0)
    assert float(r.aider_gain_from_pleading) >= 0
    assert float(r.expected_shortfall) >= 0
    assert float(r.expected_shortfall) == pytest.approx(float(r.efficient_quota) - float(r.expected_quota),
                                                        abs=1e-12 * _scale(p))
    assert float(r.expected_shortfall) == pytest.approx((1 - tau) * float(r.overstatement)
                                                        / p["value_curvature"], abs=1e-12 * _scale(p))
    if p["max_claim"] is not None:
        assert float(r.claimed_cost) <= p["max_claim"]
    # Both do at least as well as disagreement (the aider also at least as well as honesty).
    assert float(r.aider_expected_payoff) >= p["disagreement_aider"] - 1e-12 * _scale(p)
    assert float(r.centre_expected_payoff) >= p["disagreement_centre"] - 1e-12 * _scale(p)


# ---------------------------------------------------------------------------------------------
# Boundary cases, worked by hand from the formulas of the module docstring
# ---------------------------------------------------------------------------------------------
# Defaults: a=10, b=1, theta=2, beta=1/2, D=0, F=1, r=1.  At tau = 0 the overstatement is
# (1-beta)(a-theta)/(2-beta) = 8/3; the claim 14/3 gives quota 16/3, the aider
# beta W(14/3) + (8/3)(16/3) = 64/9 + 128/9 = 64/3 against 16 if honest, the centre 64/9.
# Threshold: the root of (A - B tau)^2 = C tau (1 - tau) with A = 4, B = A + r b = 5,
# C = 2 b (2 - beta) F = 3, i.e. tau = 2 A^2 / (2 A B + C + sqrt(C (4 A r b + C))).
DEFAULT_THRESHOLD = 32 / (43 + math.sqrt(57))

CASES = [
    pytest.param({}, dict(overstatement=8 / 3, quota_if_believed=16 / 3, efficient_quota=8.0,
                          aider_expected_payoff=64 / 3, aider_gain_from_pleading=16 / 3,
                          centre_expected_payoff=64 / 9, threshold_transparency=DEFAULT_THRESHOLD),
                 id="defaults-tau0"),
    pytest.param({"transparency": 1.0}, dict(overstatement=0.0, expected_quota=8.0, aider_expected_payoff=16.0,
                                             centre_expected_payoff=16.0,
                                             threshold_transparency=DEFAULT_THRESHOLD), id="defaults-tau1"),
    # tau = 1/2: x* = ((1/2)(4) - (1/2)(1))/((1/2)(3/2)) = 2; gain (1/2)(3/2)(4)/2 - 1/2 = 1.
    pytest.param({"transparency": 0.5}, dict(overstatement=2.0, expected_quota=7.0, aider_gain_from_pleading=1.0,
                                             expected_shortfall=1.0), id="defaults-tau-half"),
    # No penalties: x* = 8/3 whatever tau < 1; the threshold is 1.
    pytest.param({"transparency": 0.99, "penalty_fixed": 0.0, "penalty_rate": 0.0},
                 dict(overstatement=8 / 3, threshold_transparency=1.0), id="zero-penalties"),
    pytest.param({"transparency": 1.0, "penalty_fixed": 0.0, "penalty_rate": 0.0},
                 dict(overstatement=0.0, threshold_transparency=1.0), id="zero-penalties-tau1"),
    # F = 0, r = 1: threshold A/(A + r b) = 4/5.
    pytest.param({"penalty_fixed": 0.0}, dict(overstatement=8 / 3, threshold_transparency=0.8), id="no-fixed-penalty"),
    # beta = 0: x* = 8/2 = 4, quota 4, aider 4*4 = 16 against 0, centre W(6) = 8.
    pytest.param({"bargaining_power": 0.0}, dict(overstatement=4.0, aider_expected_payoff=16.0,
                                                 centre_expected_payoff=8.0), id="beta0"),
    pytest.param({"bargaining_power": 1.0}, dict(overstatement=0.0, aider_expected_payoff=32.0,
                                                 centre_expected_payoff=0.0, threshold_transparency=0.0), id="beta1"),
    # Cap binds: claim 3, quota 7, aider (1/2)(49/2) + 7 = 19.25.
    pytest.param({"max_claim": 3.0}, dict(claimed_cost=3.0, aider_expected_payoff=19.25,
                                          aider_gain_from_pleading=3.25), id="max-claim-binding"),
    pytest.param({"max_claim": 2.0}, dict(overstatement=0.0, threshold_transparency=0.0), id="max-claim-honest"),
    # D = 18: claims above 10 - sqrt(36) = 4 end in disagreement; the aider claims 4 and gets 2*6 = 12.
    pytest.param({"disagreement_centre": 18.0}, dict(claimed_cost=4.0, aider_expected_payoff=12.0,
                                                     centre_expected_payoff=18.0, aider_gain_from_pleading=5.0),
                 id="agreement-boundary-binding"),
    # W(theta) = 32 < D = 35: no agreement at all.
    pytest.param({"disagreement_centre": 20.0, "disagreement_aider": 15.0, "transparency": 0.3},
                 dict(overstatement=0.0, efficient_quota=0.0, expected_quota=0.0, aider_expected_payoff=15.0,
                      centre_expected_payoff=20.0, threshold_transparency=0.0), id="no-agreement"),
    # W(theta) = D exactly: the aider is held to d_A whatever it claims.
    pytest.param({"disagreement_centre": 32.0}, dict(overstatement=0.0, efficient_quota=8.0,
                                                     aider_expected_payoff=0.0, threshold_transparency=0.0),
                 id="zero-true-surplus"),
    # theta >= a: nothing to produce; D = -2 shared by beta.
    pytest.param({"true_cost": 12.0, "disagreement_aider": -2.0}, dict(overstatement=0.0, efficient_quota=0.0,
                                                                       aider_expected_payoff=-1.0,
                                                                       centre_expected_payoff=1.0),
                 id="cost-above-value"),
]


@pytest.mark.parametrize("changes, expected", CASES)
def test_boundary_cases(changes, expected):
    res = solve(**changes)
    for name, value in expected.items():
        assert float(res[name]) == pytest.approx(value, rel=1e-12, abs=1e-12), name


def test_indifference_goes_to_honesty():
    # tau = 0 and beta = 1: every claim leaves the aider with the whole surplus -- or less.
    res = solve(bargaining_power=1.0, penalty_fixed=0.0, penalty_rate=0.0)
    assert float(res.overstatement) == 0.0
    # theta >= a with no penalty: every claim gives the same payoff.
    res = solve(true_cost=15.0, penalty_fixed=0.0, penalty_rate=0.0, transparency=0.5)
    assert float(res.overstatement) == 0.0 and not res.pleads_poverty


def test_fixed_penalty_makes_the_choice_discrete():
    at = float(solve().threshold_transparency)
    just_below = solve(transparency=at * (1 - 1e-9))
    # The overstatement does not shrink to zero: it jumps from x*(threshold) > 0.
    x_star = (0.5 * 8 * (1 - at) - at) / ((1 - at) * 1.5)
    assert float(just_below.overstatement) == pytest.approx(x_star, rel=1e-6) and x_star > 1


# ---------------------------------------------------------------------------------------------
# Broadcasting, metadata, symbolic form
# ---------------------------------------------------------------------------------------------
@settings(max_examples=25)
@given(st.lists(parameters(with_cap=True), min_size=1, max_size=6))
def test_array_equals_scalar(points):
    names = list(points[0])
    arrays = {n: np.array([pt[n] for pt in points]) for n in names}
    res = solve(**arrays)
    for i, pt in enumerate(points):
        one = solve(**pt)
        for name in OUTPUTS:
            assert res[name].shape == (len(points),)
            assert res[name][i] == one[name], name


def test_broadcasting_shapes_and_unset_cap():
    res = solve(transparency=np.linspace(0, 1, 5)[:, None], bargaining_power=np.array([0.0, 0.5, 1.0]))
    for name in OUTPUTS:
        assert res[name].shape == (5, 3)
    assert res.pleads_poverty.dtype == bool
    assert np.shape(solve().overstatement) == ()


@pytest.mark.parametrize("name, value, domain", [
    pytest.param("transparency", 1.5, "[0, 1]", id="tau-high"),
    pytest.param("transparency", -0.1, "[0, 1]", id="tau-low"),
    pytest.param("bargaining_power", 2.0, "[0, 1]", id="beta"),
    pytest.param("value_curvature", 0.0, "(0, inf)", id="b-zero"),
    pytest.param("value_intercept", -1.0, "(0, inf)", id="a-negative"),
    pytest.param("true_cost", -1.0, "[0, inf)", id="theta-negative"),
    pytest.param("penalty_fixed", -0.5, "[0, inf)", id="F-negative"),
    pytest.param("penalty_rate", float("nan"), "[0, inf)", id="r-nan"),
    pytest.param("disagreement_centre", float("inf"), "(-inf, inf)", id="dC-inf"),
    pytest.param("disagreement_aider", float("nan"), "(-inf, inf)", id="dA-nan"),
    pytest.param("max_claim", 1.0, "[true_cost, inf)", id="cap-below-cost"),
    pytest.param("max_claim", -1.0, "[0, inf)", id="cap-negative"),
])
def test_bad_input_names_parameter(name, value, domain):
    with pytest.raises(ParameterError) as info:
        PovertyBargaining(**{name: value})
    assert info.value.name == name and info.value.domain == domain
    assert name in str(info.value)


def test_bad_input_in_arrays():
    with pytest.raises(ParameterError, match="max_claim"):
        PovertyBargaining(true_cost=np.array([1.0, 3.0]), max_claim=np.array([2.0, 2.5]))
    with pytest.raises(ParameterError, match="transparency"):
        PovertyBargaining(transparency=np.array([0.2, np.nan]))


def test_metadata_follows_the_spec():
    assert MODELS["poverty-bargaining"] is PovertyBargaining
    assert tuple(o.name for o in PovertyBargaining.outputs) == OUTPUTS
    defaults = PovertyBargaining.defaults()
    assert defaults == {"value_intercept": 10.0, "value_curvature": 1.0, "true_cost": 2.0, "max_claim": None,
                        "bargaining_power": 0.5, "disagreement_centre": 0.0, "disagreement_aider": 0.0,
                        "transparency": 0.0, "penalty_fixed": 1.0, "penalty_rate": 1.0}
    table = PovertyBargaining().compare([0.0, 1.0])
    assert table.column("pleads_poverty") == [True, False]


_SYMBOLIC = {}


def _lambdified():
    if not _SYMBOLIC:
        sol = PovertyBargaining().symbolic()
        _SYMBOLIC.update({name: sol.lambdify(name) for name in OUTPUTS})
    return _SYMBOLIC


@settings(max_examples=60)
@given(parameters())
def test_symbolic_solution_equals_solve(p):
    res = solve(**p)
    # numpy values (not Python floats), so that branches not taken may divide by zero quietly.
    args = {k: np.float64(np.inf if v is None else v) for k, v in p.items()}
    with np.errstate(all="ignore"):
        for name, f in _lambdified().items():
            assert float(f(**args)) == pytest.approx(float(res[name]), rel=1e-9, abs=1e-9 * _scale(p)), name


def test_symbolic_threshold_is_the_root_of_the_interior_condition():
    sol = PovertyBargaining().symbolic()
    s = sol.symbols
    expr = sol.thresholds["threshold_transparency"].subs({s["value_intercept"]: 10, s["value_curvature"]: 1,
                                                         s["true_cost"]: 2, s["bargaining_power"]: sp.Rational(1, 2),
                                                         s["disagreement_centre"]: 0, s["disagreement_aider"]: 0,
                                                         s["penalty_fixed"]: 1, s["penalty_rate"]: 1,
                                                         s["max_claim"]: sp.oo})
    assert float(expr) == pytest.approx(DEFAULT_THRESHOLD, rel=1e-12)


# ---------------------------------------------------------------------------------------------
# Rubinstein's alternating offers
# ---------------------------------------------------------------------------------------------
def _alternating_offers_by_backward_induction(delta_first, delta_second, rounds=4000):
    """First mover's share in the T-round game (last proposer takes all), T large."""
    share = 1.0  # the proposer in the last round takes everything
    deltas = (delta_first, delta_second)
    for k in range(rounds - 2, -1, -1):  # proposer at round k offers the responder its continuation value
        responder = deltas[(k + 1) % 2]
        share = 1.0 - responder * share
    return share


@pytest.mark.parametrize("d_a, d_c", [pytest.param(0.9, 0.8, id="patient-aider"),
                                      pytest.param(0.5, 0.95, id="patient-centre"),
                                      pytest.param(0.0, 0.7, id="impatient-aider"),
                                      pytest.param(0.6, 0.6, id="equal")])
def test_rubinstein_power_matches_backward_induction(d_a, d_c):
    first = float(rubinstein_power(d_a, d_c, "aider"))
    assert first == pytest.approx(_alternating_offers_by_backward_induction(d_a, d_c), abs=1e-9)
    second = float(rubinstein_power(d_a, d_c, first_mover="centre"))
    assert second == pytest.approx(1 - _alternating_offers_by_backward_induction(d_c, d_a), abs=1e-9)


@given(st.floats(0, 0.999), st.floats(0, 0.999))
def test_rubinstein_power_is_a_share_and_broadcasts(d_a, d_c):
    shares = rubinstein_power(np.array([d_a, 0.5]), np.array([[d_c], [0.2]]))
    assert shares.shape == (2, 2)
    assert np.all((0 <= shares) & (shares <= 1))
    assert shares[0, 0] == pytest.approx(float(rubinstein_power(d_a, d_c)))
    # Moving first is an advantage.
    assert float(rubinstein_power(d_a, d_c)) >= float(rubinstein_power(d_a, d_c, "centre"))


@pytest.mark.parametrize("kwargs, name", [
    pytest.param(dict(delta_aider=1.0, delta_centre=0.5), "delta_aider", id="delta-aider-one"),
    pytest.param(dict(delta_aider=0.5, delta_centre=-0.1), "delta_centre", id="delta-centre-negative"),
    pytest.param(dict(delta_aider=np.nan, delta_centre=0.5), "delta_aider", id="nan"),
    pytest.param(dict(delta_aider=0.5, delta_centre=0.5, first_mover="recipient"), "first_mover", id="mover"),
])
def test_rubinstein_power_bad_input(kwargs, name):
    with pytest.raises(ParameterError) as info:
        rubinstein_power(**kwargs)
    assert info.value.name == name


# ---------------------------------------------------------------------------------------------
# The primitives, written once for numpy and sympy
# ---------------------------------------------------------------------------------------------
def _primitive_symbols():
    a, b = sp.symbols("a b", positive=True)
    theta, x, beta, tau, fine, rate, c = sp.symbols("theta x beta tau F r c", real=True)
    return a, b, theta, x, beta, tau, fine, rate, c


def test_primitives_are_the_bargaining_solution_and_the_verification_lottery():
    from gametheory_aid.models import poverty_bargaining as pb

    a, b, theta, x, beta, tau, fine, rate, c = _primitive_symbols()
    d_c, d_a = sp.symbols("d_C d_A", real=True)
    below = {c: a - 1}  # a claim below a: the quota is interior
    q = pb.claimed_quota(a, b, c, sp.Max).subs(below)
    assert sp.simplify(q - 1 / b) == 0
    surplus = pb.claimed_surplus(a, b, c, sp.Max).subs(below)
    assert sp.simplify(surplus - (a * q - b * q ** 2 / 2 - (a - 1) * q)) == 0
    assert sp.simplify(pb.bargaining_gain(a, b, c, d_c, d_a, sp.Max).subs(below) - (surplus - d_c - d_a)) == 0
    # g(x): the aider's true payoff from the deal on theta + x minus that on theta (theta + x <= a).
    def true_payoff(claim):
        quota = (a - claim) / b
        joint = a * quota - b * quota ** 2 / 2 - claim * quota
        return claim * quota + beta * joint - theta * quota
    g = pb.unverified_gain(x, a, b, theta, beta)
    assert sp.expand(g - (true_payoff(theta + x) - true_payoff(theta))) == 0
    delta = pb.expected_gain(x, a, b, theta, beta, tau, fine, rate)
    assert sp.expand(delta - ((1 - tau) * g - tau * (fine + rate * x))) == 0
    x_star = pb.optimal_overstatement(a, b, theta, beta, tau, rate)
    assert sp.simplify(sp.diff(delta, x).subs(x, x_star)) == 0
    # The break-even transparency makes overstating by x worth nothing.
    tau_x = pb.break_even_transparency(x, a, b, theta, beta, fine, rate)
    assert sp.simplify(delta.subs(tau, tau_x)) == 0
    assert sp.simplify(pb.break_even_transparency_at_zero(a, b, theta, beta, rate)
                       - sp.limit(tau_x.subs(fine, 0), x, 0, "+")) == 0
    loss = pb.expected_surplus_loss(x, a, b, theta, tau)
    assert sp.expand(loss - (1 - tau) * (pb.claimed_surplus(a, b, theta, lambda v, _: v)
                                         - pb.claimed_surplus(a, b, theta + x, lambda v, _: v))) == 0


def test_ratio_maximiser_is_the_first_order_condition_of_the_break_even_transparency():
    from gametheory_aid.models import poverty_bargaining as pb

    a, b, theta, x, beta, tau, fine, rate, c = _primitive_symbols()
    point = {a: 10, b: sp.Rational(3, 2), theta: 2, beta: sp.Rational(1, 3), fine: sp.Rational(7, 5),
             rate: sp.Rational(4, 5)}
    tau_x = pb.break_even_transparency(x, a, b, theta, beta, fine, rate).subs(point)
    x_hat = pb.ratio_maximiser(a, b, theta, beta, fine, rate, sp.sqrt).subs(point)
    assert float(x_hat) > 0
    assert abs(float(sp.diff(tau_x, x).subs(x, x_hat))) < 1e-12
    assert float(sp.diff(tau_x, x, 2).subs(x, x_hat)) < 0
    # The same primitive on numpy arrays gives the same number.
    num = pb.ratio_maximiser(10.0, 1.5, 2.0, 1 / 3, np.array([1.4]), 0.8, np.sqrt)
    assert float(num[0]) == pytest.approx(float(x_hat), rel=1e-14)


def test_largest_overstatement_without_a_cap_is_the_agreement_bound():
    from gametheory_aid.models import poverty_bargaining as pb

    kw = dict(maximum=np.maximum, minimum=np.minimum, sqrt=np.sqrt)
    assert pb.largest_overstatement(10.0, 1.0, 2.0, None, 18.0, 0.0, **kw) == pytest.approx(2.0)
    assert pb.largest_overstatement(10.0, 1.0, 2.0, 3.0, 18.0, 0.0, **kw) == pytest.approx(1.0)
    assert pb.largest_overstatement(10.0, 1.0, 2.0, None, -5.0, 0.0, **kw) == pytest.approx(8.0)


@pytest.mark.parametrize("block", [1, 7, 1000])
def test_solving_in_blocks_gives_the_same_outputs(block, monkeypatch):
    rng = np.random.default_rng(11)
    n = 3001
    a = rng.uniform(0.5, 20, n)
    theta = rng.uniform(0, 1.2, n) * a
    p = {"value_intercept": a, "value_curvature": rng.uniform(0.1, 5, n), "true_cost": theta,
         "max_claim": theta + rng.uniform(0, 10, n), "bargaining_power": rng.uniform(0, 1, n),
         "disagreement_centre": rng.uniform(-5, 20, n), "disagreement_aider": rng.uniform(-5, 10, n),
         "transparency": rng.uniform(0, 1, n), "penalty_fixed": rng.choice([0.0, 1.0, 3.0], n),
         "penalty_rate": rng.uniform(0, 3, n)}
    whole = solve(**p)
    monkeypatch.setattr(PovertyBargaining, "block_size", block)
    blocks = solve(**p)
    for name in OUTPUTS:
        np.testing.assert_array_equal(blocks[name], whole[name], err_msg=name)


def test_importing_the_model_does_not_import_sympy():
    import subprocess
    import sys

    code = ("import sys; import gametheory_aid.models.poverty_bargaining; "
            "print('sympy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


# ---------------------------------------------------------------------------------------------
# The story: report sentences and the walkthrough, every number from the model
# ---------------------------------------------------------------------------------------------
def test_story_is_carried_by_the_model():
    from gametheory_aid.models.poverty_bargaining_story import STORY
    from gametheory_aid.models.story import Figure

    assert PovertyBargaining.story is STORY
    assert STORY.order == 20 and STORY.thresholds == ("threshold_transparency",)
    assert STORY.figure == Figure(outputs=("overstatement", "expected_shortfall"))
    assert STORY.title["en"] == "Bargaining with the centre on claimed costs (与中央政府博弈)"
    assert STORY.title["zh"] == "与中央政府博弈：基于申报成本的讨价还价"
    assert STORY.glossary["bargaining"] == ("bargaining with the centre", "与中央政府博弈")
    assert all(name in PovertyBargaining.output_specs() for name in STORY.thresholds + STORY.figure.outputs)


def test_story_module_does_not_import_the_model_module():
    import ast
    from pathlib import Path

    import gametheory_aid.models.poverty_bargaining_story as story

    tree = ast.parse(Path(story.__file__).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not any(m and m.endswith("poverty_bargaining") for m in imported)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_story_sentences_follow_the_numbers(lang):
    from gametheory_aid.models.story import format_number as f

    model = PovertyBargaining(penalty_rate=0.5)
    table = model.compare([0.0, 0.4])
    facts = {"threshold_transparency": float(table.results[0].threshold_transparency)}
    lines = PovertyBargaining.story.sentences(table, facts, lang)
    assert len(lines) == 3
    r0, r1 = table.results[0], table.results[-1]
    for number in (r0.overstatement, r0.efficient_quota, r0.expected_shortfall):
        assert f(number) in lines[0]
    for number in (r1.overstatement, r1.expected_shortfall):
        assert f(number) in lines[1]
    assert f(facts["threshold_transparency"]) in lines[2]
    if lang == "en":
        assert lines[0].startswith("At τ = 0 the aider, bargaining with the centre (与中央政府博弈), overstates")
        assert lines[2] == f"It claims honestly from τ ≥ {f(facts['threshold_transparency'])}."
    else:
        assert lines[2] == f"τ ≥ {f(facts['threshold_transparency'])} 时支援方如实申报。"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_story_walkthrough_computes_every_number(lang):
    from gametheory_aid.models.story import DemoStep
    from gametheory_aid.models.story import format_number as f

    model = PovertyBargaining(true_cost=3.0, bargaining_power=0.25)
    steps = PovertyBargaining.story.demo(model, lang)
    assert len(steps) == 4 and all(isinstance(s, DemoStep) for s in steps)
    r0, r1 = model.solve(), model.with_(transparency=1.0).solve()
    text = "\n".join(line for s in steps for line in s.lines)
    for number in (3.0, r0.claimed_cost, r0.overstatement, r0.aider_gain_from_pleading, r0.quota_if_believed,
                   r0.efficient_quota, r0.expected_shortfall, r1.claimed_cost, r1.expected_shortfall,
                   r0.threshold_transparency):
        assert f(number) in text
    if lang == "zh":
        assert [s.heading for s in steps][0] == "第1步 谁行动、谁知道什么"
        assert "数字透明" in steps[-1].heading
    else:
        assert steps[0].heading == "Who moves, and what do they know?"
        assert "transparency" in steps[-1].heading
    assert PovertyBargaining.story.text(PovertyBargaining.story.demo_title, lang)


# -- huge and tiny magnitudes: finite results or a named refusal ------------------------------------


@settings(max_examples=60)
@given(st.fixed_dictionaries({
    "value_intercept": st.integers(1, 40).map(lambda i: i / 2),
    "value_curvature": st.integers(1, 6).map(lambda i: i / 2),
    "true_cost": st.integers(0, 10).map(lambda i: i / 2), "bargaining_power": st.integers(0, 10).map(lambda i: i / 10),
    "penalty_fixed": st.integers(0, 6).map(lambda i: i / 2), "penalty_rate": st.integers(0, 6).map(lambda i: i / 2)}))
def test_honest_exactly_at_the_threshold(p):
    """At tau = the model's own threshold_transparency the aider claims honestly."""
    from gametheory_aid.models import get_model

    model = get_model("poverty-bargaining")
    threshold = float(model(**p).solve().threshold_transparency)
    at = model(**p, transparency=threshold).solve()
    assert not bool(at.pleads_poverty) and float(at.overstatement) == 0.0


@pytest.mark.parametrize("curvature", [0.1015625, 0.1, 0.3, 1 / 3, 7.0])
def test_no_penalty_at_full_transparency_is_a_tie_both_forms_call_honest(curvature):
    # at tau = 1 with no penalty every claim is detected and costs nothing: the gain is exactly 0,
    # a tie, and the spec's tie rule says honest -- in the closed form as well as in solve()
    from gametheory_aid import get_model

    model = get_model("poverty-bargaining")(value_intercept=15.0, value_curvature=curvature, true_cost=0.0,
                                            bargaining_power=0.0, transparency=1.0, penalty_fixed=0.0,
                                            penalty_rate=0.0)
    res = model.solve()
    assert float(res.claimed_cost) == 0.0 and not bool(res.pleads_poverty)
    assert float(res.threshold_transparency) == 1.0
    claimed = model.symbolic().lambdify("claimed_cost")
    with np.errstate(all="ignore"):
        assert float(claimed(max_claim=np.inf)) == 0.0
