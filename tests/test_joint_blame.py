"""The joint-blame model (spec section 4) against independent computations.

* The equilibrium of the 2x2 pair-versus-centre game (``to_game()``) is computed by pygambit
  (``enummixed_solve`` and ``lcp_solve``), by nashpy's support enumeration and by the core's
  vertex enumeration, and compared with ``solve()`` at random points across the domain.  Points
  within ``MARGIN`` of a regime boundary (where the game is degenerate and has a continuum of
  equilibria) are excluded.
* The pair's decision is checked from its definition -- "some transfer makes both at least as
  well off and one strictly better" -- by a linear program over the two transfer directions
  (scipy ``linprog``), not through the model's cutoff formula.
* The side deal is checked by maximising the weighted Nash product over the transfer with
  scipy's bounded scalar minimiser on each transfer direction.
* The centre's indifference in the mixed regime is checked through the posterior that a good
  report is false (``false_report_rate``).
"""
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog, minimize_scalar

import gametheory_aid as gta
from gametheory_aid.core.bargaining import nash_bargaining
from gametheory_aid.core.params import ParameterError
from gametheory_aid.models.joint_blame import REGIMES, JointBlame, detection_cutoff, side_deal_frontier

# The specification's outputs, in its order, and its defaults (copied from the spec, not the code).
OUTPUTS = ("collusion_probability", "audit_probability", "regime", "detection_probability", "false_report_rate",
           "centre_expected_loss", "side_transfer", "aider_gain", "recipient_gain", "deterrence_threshold",
           "collusion_proof_reward")
SPEC_DEFAULTS = dict(prob_good=0.6, reward_aider=3, reward_recipient=1, penalty_aider=4, penalty_recipient=2,
                     transfer_efficiency=0.7, recipient_power=0.5, audit_cost=0.3, audit_detection=0.8,
                     centre_loss=2, transparency=0, whistleblower_reward=0)
NUMERIC = tuple(o for o in OUTPUTS if o != "regime")
# Distance from every regime boundary required of a point compared with the finite-game solvers.
MARGIN = 1e-6


# ---------------------------------------------------------------------------------------------
# Independent references
# ---------------------------------------------------------------------------------------------
def gains(p, detect):
    """The pair's gains from falsifying over honesty before any transfer, at detection ``detect``."""
    g_a = (1 - detect) * p["reward_aider"] - detect * p["penalty_aider"]
    g_r = (1 - detect) * p["reward_recipient"] - detect * p["penalty_recipient"] - p["whistleblower_reward"]
    return g_a, g_r


def falsifies(p, detect):
    """Whether some transfer makes both at least as well off as honesty and one strictly better.

    Exact (rational) arithmetic straight from the definition.  With the signed transfer s
    (aider -> recipient if s >= 0, the recipient sending -s otherwise) the aider's gain
    u_A(s) falls and the recipient's u_R(s) rises in s, so the transfers acceptable to both form
    the interval [s_R, s_A] with u_A(s_A) = 0 and u_R(s_R) = 0; a strict improvement for one of
    them exists iff s_R < s_A.
    """
    q = {key: Fraction(value) for key, value in p.items()}
    detect = Fraction(detect)
    g_a, g_r = gains(q, detect)
    k = q["transfer_efficiency"]
    s_aider = g_a if g_a >= 0 else g_a / k         # u_A = g_a - s (s >= 0), g_a - k s (s < 0)
    s_recipient = -g_r if g_r >= 0 else -g_r / k   # u_R = g_r + s (s < 0), g_r + k s (s >= 0)
    return s_recipient < s_aider


def lp_joint_improvement(g_a, g_r, k):
    """max (u_A + u_R) over transfers s+ (aider sends), s- (recipient sends) >= 0 with u_A, u_R >= 0.

    A linear program (scipy HiGHS); None when no transfer keeps both at least as well off.
    """
    bound = 10 * (abs(g_a) + abs(g_r) + 1) / k
    res = linprog(c=[1 - k, 1 - k], A_ub=[[1, -k], [-k, 1]], b_ub=[g_a, g_r],
                  bounds=[(0, bound), (0, bound)], method="highs")
    if res.status != 0:
        return None
    return g_a + g_r + (k - 1) * (res.x[0] + res.x[1])


def nash_deal_bruteforce(g_a, g_r, k, recipient_power):
    """(sent, u_A, u_R) maximising u_A^(1-beta) u_R^beta over the signed transfer (grid + polish)."""
    alpha = 1 - recipient_power

    def utilities(sent):
        sent = np.asarray(sent, dtype=float)
        return (np.where(sent >= 0, g_a - sent, g_a - k * sent), np.where(sent >= 0, g_r + k * sent, g_r + sent))

    def log_product(sent):
        u_a, u_r = utilities(sent)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = (np.where(alpha > 0, alpha * np.log(u_a), 0.0)
                     + np.where(alpha < 1, (1 - alpha) * np.log(u_r), 0.0))
        return np.where((u_a >= 0) & (u_r >= 0), np.nan_to_num(value, nan=-np.inf), -np.inf)

    lo, hi = -abs(g_r) - abs(g_a) / k - 1, abs(g_a) + abs(g_r) / k + 1
    grid = np.concatenate([np.linspace(lo, hi, 200001), [0.0]])
    values = log_product(grid)
    best = grid[np.argmax(values)]
    step = (hi - lo) / 200000
    candidates = [best]
    for a, b in ((best - step, min(best + step, 0.0)), (max(best - step, 0.0), best + step)):
        if a < b:
            res = minimize_scalar(lambda s: -float(log_product(s)), bounds=(a, b), method="bounded",
                                  options={"xatol": 1e-14})
            candidates.append(res.x)
    best = max(candidates, key=lambda s: float(log_product(s)))
    u_a, u_r = utilities(best)
    return float(best), float(u_a), float(u_r)


def cutoff_by_bisection(p):
    """P*: where the pair stops falsifying, by bisection on the exact definition."""
    if not falsifies(p, 0.0):
        return 0.0
    lo, hi = 0.0, 1.0
    for _ in range(56):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if falsifies(p, mid) else (lo, mid)
    return hi


def random_points(n, seed):
    """Parameter dicts across the domain; some transparency and rewards at their corners."""
    rng = np.random.default_rng(seed)
    pts = []
    for _ in range(n):
        p = dict(prob_good=rng.uniform(0, 1), reward_aider=rng.uniform(0, 5), reward_recipient=rng.uniform(0, 5),
                 penalty_aider=rng.uniform(0, 5), penalty_recipient=rng.uniform(0, 5),
                 transfer_efficiency=rng.uniform(0.05, 1), recipient_power=rng.uniform(0, 1),
                 audit_cost=rng.uniform(0, 1), audit_detection=rng.uniform(0, 1), centre_loss=rng.uniform(0, 6),
                 transparency=rng.choice([0.0, rng.uniform(0, 0.6), rng.uniform(0, 1)]),
                 whistleblower_reward=rng.choice([0.0, rng.uniform(0, 1)]))
        pts.append(p)
    return pts


def near_boundary(p, degenerate=True):
    """Within MARGIN of a regime boundary (or, with ``degenerate``, of a degenerate game)."""
    cutoff = float(detection_cutoff(p["reward_aider"], p["reward_recipient"], p["penalty_aider"],
                                    p["penalty_recipient"], p["transfer_efficiency"], p["whistleblower_reward"]))
    tau, d, pi, c = p["transparency"], p["audit_detection"], p["prob_good"], p["audit_cost"]
    gain_full = (1 - pi) * (1 - tau) * d * p["centre_loss"] - c
    near = abs(tau - cutoff) < MARGIN or abs(gain_full) < MARGIN or abs(tau + (1 - tau) * d - cutoff) < MARGIN
    if degenerate:  # ties in the 2x2 game: a costless or pointless audit, no bad years
        near = near or c * pi < MARGIN or (1 - tau) * d < MARGIN or 1 - pi < MARGIN
    return near


# Hypothesis strategies over the whole domain.
unit = st.floats(0, 1)
nonneg = st.floats(0, 10)
params = st.fixed_dictionaries(dict(
    prob_good=unit, reward_aider=nonneg, reward_recipient=nonneg, penalty_aider=nonneg, penalty_recipient=nonneg,
    transfer_efficiency=st.floats(1e-3, 1), recipient_power=unit, audit_cost=st.floats(0, 5),
    audit_detection=unit, centre_loss=nonneg, transparency=unit, whistleblower_reward=st.floats(0, 5)))



@st.composite
def mixed_params(draw):
    """Points of the mixed regime: tau between the audit-deterred and the platform-deterred
    levels of the cutoff (found by bisection on the exact definition), auditing worth its cost.

    Returns ``(params, lowest)``: ``lowest`` is the least tau at which sure audits deter.
    """
    p = draw(params)
    cutoff = cutoff_by_bisection(p)
    d = p["audit_detection"]
    assume(cutoff > 1e-3 and d > 1e-3 and 1e-3 < p["prob_good"] < 1 - 1e-3 and p["centre_loss"] > 1e-3)
    lowest = max(0.0, (cutoff - d) / (1 - d)) if d < 1 else 0.0
    assume(cutoff - lowest > 1e-3)
    tau = lowest + draw(st.floats(0.01, 0.99)) * (cutoff - lowest)
    share = draw(st.floats(0.01, 0.99))
    p.update(transparency=tau, audit_cost=share * (1 - p["prob_good"]) * (1 - tau) * d * p["centre_loss"])
    return p, lowest

def solve(**p):
    return JointBlame(**p).solve()


# ---------------------------------------------------------------------------------------------
# Metadata
# ---------------------------------------------------------------------------------------------
def test_registered_under_spec_name():
    assert gta.get_model("joint-blame") is JointBlame
    assert JointBlame.chinese_title == "联合避责"


def test_parameters_and_defaults_are_the_spec():
    assert JointBlame.defaults() == pytest.approx(SPEC_DEFAULTS)
    assert set(JointBlame.defaults()) == set(SPEC_DEFAULTS)
    assert all(p.symbol and p.meaning for p in JointBlame.parameters)


def test_outputs_are_the_spec_in_order():
    assert tuple(o.name for o in JointBlame.outputs) == OUTPUTS
    assert tuple(solve().keys()) == OUTPUTS


# ---------------------------------------------------------------------------------------------
# The equilibrium against pygambit, nashpy and the core's vertex enumeration on to_game()
# ---------------------------------------------------------------------------------------------
def game_points():
    pts = [p for p in random_points(400, seed=20240601) if not near_boundary(p)]
    return pts[:150]


def test_game_sample_covers_every_regime():
    regimes = {str(solve(**p).regime) for p in game_points()}
    assert regimes == set(REGIMES)


@pytest.mark.parametrize("p", game_points())
def test_equilibrium_is_the_unique_equilibrium_of_the_game(p):
    pytest.importorskip("pygambit")
    import pygambit as gbt

    r = solve(**p)
    x, a = float(r.collusion_probability), float(r.audit_probability)
    expected = [[x, 1 - x], [a, 1 - a]]
    game = JointBlame(**p).to_game()

    g = game.to_gambit()
    for solver in (gbt.nash.enummixed_solve, gbt.nash.lcp_solve):
        eqs = solver(g, rational=False).equilibria
        assert len(eqs) == 1, f"{solver.__name__} found {len(eqs)} equilibria"
        got = [[float(eqs[0][s]) for s in pl.strategies] for pl in g.players]
        np.testing.assert_allclose(got, expected, atol=1e-9)

    nash_eqs = list(game.to_nashpy().support_enumeration())
    assert len(nash_eqs) == 1
    np.testing.assert_allclose([nash_eqs[0][0], nash_eqs[0][1]], expected, atol=1e-9)

    core = game.equilibria()
    assert len(core) == 1 and not core.degenerate
    np.testing.assert_allclose([list(s) for s in core[0].as_arrays()], expected, atol=1e-9)
    # the centre's payoff in the game is minus its expected loss
    assert float(core[0].payoffs[1]) == pytest.approx(-float(r.centre_expected_loss), abs=1e-9)


def test_to_game_labels_and_scalar_only():
    game = JointBlame().to_game()
    assert game.players == ("pair", "centre")
    assert game.strategies == (("falsify", "honest"), ("audit", "no audit"))
    with pytest.raises(ValueError, match="scalar"):
        JointBlame(transparency=[0.0, 0.5]).to_game()


# ---------------------------------------------------------------------------------------------
# The pair's decision, the side deal and the centre's indifference from first principles
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("p", random_points(60, seed=7)[:60])
def test_cutoff_is_where_the_pair_stops_falsifying(p):
    """deterrence_threshold = max(0, P*) where P* is found by bisection on the LP definition."""
    threshold = float(solve(**p).deterrence_threshold)
    assert threshold == pytest.approx(cutoff_by_bisection(p), abs=1e-9)


@pytest.mark.parametrize("p", random_points(40, seed=5))
def test_exact_decision_agrees_with_a_linear_program(p):
    """Two independent readings of "some transfer makes both at least as well off, one strictly"."""
    for detect in np.linspace(0, 1, 21):
        best = lp_joint_improvement(*gains(p, detect), p["transfer_efficiency"])
        if best is not None and abs(best) < 1e-7:
            continue  # too close to the cutoff for the LP's tolerances
        assert falsifies(p, detect) == (best is not None and best > 0)


@pytest.mark.parametrize("p", [p for p in random_points(300, seed=11) if not near_boundary(p)][:80])
def test_side_deal_is_the_nash_bargaining_solution(p):
    r = solve(**p)
    if r.regime in ("unchecked", "collude_and_audit"):
        g_a, g_r = gains(p, float(r.detection_probability))
        sent, u_a, u_r = nash_deal_bruteforce(g_a, g_r, p["transfer_efficiency"], p["recipient_power"])
        assert float(r.aider_gain) == pytest.approx(u_a, abs=1e-6)
        assert float(r.recipient_gain) == pytest.approx(u_r, abs=1e-6)
        assert float(r.side_transfer) == pytest.approx(sent, abs=1e-6)
    elif r.regime == "mixed":
        # indifferent pair: the transfer hands over the payer's whole gain, leaving both at zero
        g_a, g_r = gains(p, float(r.detection_probability))
        s, k = float(r.side_transfer), p["transfer_efficiency"]
        u_a, u_r = (g_a - s, g_r + k * s) if s >= 0 else (g_a - k * s, g_r + s)
        assert (u_a, u_r) == pytest.approx((0.0, 0.0), abs=1e-9)
        assert float(r.aider_gain) == float(r.recipient_gain) == 0.0
    else:
        assert float(r.side_transfer) == float(r.aider_gain) == float(r.recipient_gain) == 0.0


@given(st.integers(0, 2**32 - 1))
def test_side_deal_equals_the_general_piecewise_linear_solver(seed):
    """At every colluding point of a random batch, the model's deal (the core's closed form on a
    TransferFrontier) equals the core's general solver on the frontier's vertex chain."""
    points = random_points(64, seed)
    batch = {name: np.array([p[name] for p in points]) for name in points[0]}
    r = solve(**batch)
    colluding = np.isin(r.regime, ("unchecked", "collude_and_audit"))
    assume(colluding.any())
    p = {name: values[colluding] for name, values in batch.items()}
    g_a, g_r = gains(p, r.detection_probability[colluding])
    frontier = side_deal_frontier(g_a, g_r, p["transfer_efficiency"])
    chain = nash_bargaining(frontier.vertices(), (0.0, 0.0), 1.0 - p["recipient_power"])
    scale = 1.0 + np.abs(g_a) + np.abs(g_r) / p["transfer_efficiency"]
    assert chain.agreement.all()
    assert (np.abs(r.aider_gain[colluding] - chain.utilities[0]) <= 1e-9 * scale).all()
    assert (np.abs(r.recipient_gain[colluding] - chain.utilities[1]) <= 1e-9 * scale).all()
    assert (r.aider_gain[colluding] >= 0).all() and (r.recipient_gain[colluding] >= 0).all()


def _owner(values):
    """The array that owns the memory of ``values`` (following views to their base)."""
    while isinstance(values.base, np.ndarray):
        values = values.base
    return values


@pytest.mark.parametrize("size, block_size", [(50, None), (1000, 256)], ids=["one-block", "many-blocks"])
def test_outputs_own_distinct_memory_and_keep_no_scratch(size, block_size, monkeypatch):
    """No two outputs share memory, and each output keeps only its own values alive: no output is
    a view into a larger scratch buffer of the solver (in one block or in many)."""
    if block_size is not None:
        monkeypatch.setattr(JointBlame, "block_size", block_size)
    points = random_points(size, seed=3)
    r = solve(**{name: np.array([p[name] for p in points]) for name in points[0]})
    outputs = [np.asarray(r.codes("regime") if name == "regime" else r[name]) for name in OUTPUTS]
    for i, first in enumerate(outputs):
        for second in outputs[i + 1:]:
            assert not np.shares_memory(first, second)
    for name, values in zip(OUTPUTS, outputs, strict=True):
        assert values.shape == (size,), name
        assert _owner(values).nbytes == values.nbytes, name


def test_regime_is_stored_as_codes_into_regimes():
    r = solve(transparency=np.array([0.0, 0.1, 1.0]), audit_cost=np.array([0.3, 5.0, 0.3]))
    assert r.codes("regime").dtype == np.uint8
    assert [REGIMES[c] for c in r.codes("regime")] == ["mixed", "unchecked", "deterred"]
    assert REGIMES == ("deterred", "unchecked", "collude_and_audit", "mixed")  # the order of precedence


def test_default_side_deal_by_hand():
    """tau = 0.1, c_a = 5 (unchecked): g_A = 3 - 0.7 = 2.3, g_R = 1 - 0.3 = 0.7; the aider pays.

    On the aider-pays line u_A + u_R/k = 2.3 + 0.7/0.7 = 3.3, equal powers: u_A = 1.65,
    u_R = 0.5 * 0.7 * 3.3 = 1.155, s = 2.3 - 1.65 = 0.65.
    """
    r = solve(transparency=0.1, audit_cost=5)
    assert r.regime == "unchecked"
    assert (float(r.aider_gain), float(r.recipient_gain), float(r.side_transfer)) == pytest.approx((1.65, 1.155, 0.65))


# mixed points are a conditional draw (about one in six survives its assumptions)
@settings(suppress_health_check=[HealthCheck.filter_too_much])
@given(mixed_params())
def test_mixed_regime_makes_both_players_indifferent(point):
    p, _ = point
    r = solve(**p)
    assert r.regime == "mixed"
    tau, d, loss = p["transparency"], p["audit_detection"], p["centre_loss"]
    # the centre: posterior that a good report is false x the audit's extra detection x loss = cost
    assert float(r.false_report_rate) * (1 - tau) * d * loss == pytest.approx(p["audit_cost"], rel=1e-9, abs=1e-12)
    # the pair: the detection probability is the cutoff P* (= the deterrence threshold here)
    assert float(r.detection_probability) == pytest.approx(float(r.deterrence_threshold), rel=1e-12, abs=1e-12)


# ---------------------------------------------------------------------------------------------
# Proposition 4 as properties
# ---------------------------------------------------------------------------------------------
# mixed points are a conditional draw (about one in six survives its assumptions)
@settings(suppress_health_check=[HealthCheck.filter_too_much])
@given(mixed_params(), st.floats(0, 10), st.floats(0, 10))
def test_mixed_collusion_is_invariant_to_both_penalties(point, penalty_aider, penalty_recipient):
    p, _ = point
    base = solve(**p)
    other = solve(**{**p, "penalty_aider": penalty_aider, "penalty_recipient": penalty_recipient})
    assume(base.regime == "mixed" and other.regime == "mixed")
    assert float(other.collusion_probability) == pytest.approx(float(base.collusion_probability), rel=1e-12)


# mixed points are a conditional draw (about one in six survives its assumptions)
@settings(suppress_health_check=[HealthCheck.filter_too_much])
@given(mixed_params(), st.floats(0, 10))
def test_penalties_move_the_audit_rate_down(point, extra):
    p, _ = point
    base = solve(**p)
    harsher = solve(**{**p, "penalty_aider": p["penalty_aider"] + extra})
    assume(base.regime == "mixed" and harsher.regime == "mixed")
    assert float(harsher.audit_probability) <= float(base.audit_probability) + 1e-12


# mixed points are a conditional draw (about one in six survives its assumptions)
@settings(suppress_health_check=[HealthCheck.filter_too_much])
@given(mixed_params(), unit)
def test_collusion_rises_with_transparency_in_the_mixed_regime(point, u):
    p, lowest = point
    hi = p["transparency"]
    lo = lowest + u * (hi - lowest)  # auditing pays more at lower tau: still mixed
    r_lo, r_hi = solve(**{**p, "transparency": lo}), solve(**{**p, "transparency": hi})
    assume(r_lo.regime == "mixed" and r_hi.regime == "mixed")
    assert float(r_hi.collusion_probability) >= float(r_lo.collusion_probability) - 1e-12
    assert float(r_hi.audit_probability) <= float(r_lo.audit_probability) + 1e-12


@given(params, unit)
def test_no_collusion_at_or_above_the_deterrence_threshold(p, u):
    threshold = float(solve(**p).deterrence_threshold)
    assert 0.0 <= threshold <= 1.0
    tau = threshold + u * (1.0 - threshold)
    r = solve(**{**p, "transparency": tau})
    assert r.regime == "deterred"
    assert float(r.collusion_probability) == 0.0 and float(r.audit_probability) == 0.0


@given(params)
def test_full_transparency_always_deters(p):
    r = solve(**{**p, "transparency": 1.0})
    assert r.regime == "deterred" and float(r.collusion_probability) == 0.0


@settings(max_examples=60)
@given(params, st.floats(1e-6, 1))
def test_below_the_threshold_falsifying_pays_without_audits(p, u):
    """The threshold is the least such tau: just below it the LP finds a strictly improving deal."""
    threshold = float(solve(**p).deterrence_threshold)
    assume(threshold > 1e-4)
    tau = threshold * (1 - u * 1e-3)
    assert falsifies(p, tau)
    assert solve(**{**p, "transparency": tau}).regime != "deterred"


@settings(max_examples=60)
@given(params, st.floats(1e-3, 1))
def test_collusion_proof_reward_is_the_least_deterring_reward(p, u):
    r = solve(**p)
    reward = float(r.collusion_proof_reward)
    tau = p["transparency"]
    assert reward >= 0.0
    # with the reward (plus a rounding margin) falsifying does not pay without audits
    above = {**p, "whistleblower_reward": reward + 1e-9 * (1 + reward)}
    assert not falsifies(above, tau)
    assert solve(**above).regime == "deterred"
    # any smaller reward leaves it strictly profitable
    if reward > 1e-6:
        below = {**p, "whistleblower_reward": reward * (1 - u * 1e-3) if u < 1 else reward - 1e-6}
        assert falsifies(below, tau)
        assert solve(**below).regime != "deterred"


@given(params)
def test_outputs_in_range_and_consistent(p):
    r = solve(**p)
    for name in ("collusion_probability", "audit_probability", "detection_probability", "false_report_rate",
                 "deterrence_threshold"):
        assert 0.0 <= float(r[name]) <= 1.0, name
    assert r.regime in REGIMES
    tau, d = p["transparency"], p["audit_detection"]
    assert float(r.detection_probability) == pytest.approx(1 - (1 - tau) * (1 - float(r.audit_probability) * d))
    assert float(r.centre_expected_loss) >= -1e-12
    assert float(r.collusion_proof_reward) >= 0.0
    regime_x = {"deterred": 0.0, "unchecked": 1.0, "collude_and_audit": 1.0}
    if str(r.regime) in regime_x:
        assert float(r.collusion_probability) == regime_x[str(r.regime)]


# ---------------------------------------------------------------------------------------------
# Closed form, broadcasting, validation
# ---------------------------------------------------------------------------------------------
SYMBOLIC = JointBlame().symbolic()
SYMBOLIC_FUNCS = {name: SYMBOLIC.lambdify(name) for name in NUMERIC}


@given(params)
def test_symbolic_solution_equals_solve(p):
    assume(not near_boundary(p, degenerate=False) and p["prob_good"] > 0)
    assume(p["reward_aider"] + p["reward_recipient"] + p["penalty_aider"] + p["penalty_recipient"] > 1e-6)
    r = solve(**p)
    values = {key: np.float64(value) for key, value in p.items()}  # x/0 -> inf, not an exception
    with np.errstate(all="ignore"):
        for name, f in SYMBOLIC_FUNCS.items():
            reference = float(f(**values))
            if not np.isfinite(reference) and np.isfinite(float(r[name])):
                reference = exact_closed_form(name, p)  # the float formula overflowed (e.g. a subnormal prob_good)
            assert reference == pytest.approx(float(r[name]), rel=1e-9, abs=1e-9), name


def exact_closed_form(name, p):
    """The closed form of output ``name`` evaluated in exact rational arithmetic at the floats ``p``."""
    import sympy as sp

    expr = SYMBOLIC.thresholds[name] if name in SYMBOLIC.thresholds else SYMBOLIC.piecewise(name)
    exact = {SYMBOLIC.symbols[k]: sp.Rational(v) for k, v in p.items() if k in SYMBOLIC.symbols}
    return float(expr.subs(exact))


def test_symbolic_regimes_are_the_spec_regimes():
    assert {reg.name for reg in SYMBOLIC.regimes} == set(REGIMES)
    assert set(SYMBOLIC.symbols) == set(SPEC_DEFAULTS)
    assert {"deterrence_threshold", "collusion_proof_reward"} <= set(SYMBOLIC.thresholds)


@settings(max_examples=30)
@given(st.integers(0, 2 ** 32 - 1))
def test_arrays_equal_scalars(seed):
    pts = random_points(25, seed)
    arrays = {k: np.array([q[k] for q in pts]) for k in pts[0]}
    together = solve(**arrays)
    for i, q in enumerate(pts):
        alone = solve(**q)
        for name in OUTPUTS:
            if name == "regime":
                assert together[name][i] == alone[name]
            else:
                assert together[name][i] == pytest.approx(float(alone[name]), rel=1e-12, abs=1e-12), name


def test_broadcast_shapes_and_dtypes():
    r = solve(transparency=np.linspace(0, 1, 5)[:, None], audit_cost=np.array([0.01, 0.3, 5.0]))
    for name in OUTPUTS:
        assert np.shape(r[name]) == (5, 3), name
    assert r.regime.dtype.kind == "U"
    scalar = solve()
    assert np.shape(scalar.regime) == () and str(scalar.regime) == "mixed"


def test_degenerate_all_zero_rewards_never_collude():
    r = solve(reward_aider=0, reward_recipient=0, penalty_aider=0, penalty_recipient=0)
    assert r.regime == "deterred" and float(r.deterrence_threshold) == 0.0


@pytest.mark.parametrize("name, value", [
    pytest.param("transfer_efficiency", 0.0, id="k-zero"),
    pytest.param("transfer_efficiency", 1.5, id="k-above-one"),
    pytest.param("transfer_efficiency", -0.2, id="k-negative"),
    pytest.param("prob_good", 1.2, id="prob-good-above-one"),
    pytest.param("prob_good", -0.1, id="prob-good-negative"),
    pytest.param("recipient_power", 1.01, id="power-above-one"),
    pytest.param("audit_detection", -0.5, id="detection-negative"),
    pytest.param("transparency", 2.0, id="tau-above-one"),
    pytest.param("transparency", float("nan"), id="tau-nan"),
    pytest.param("audit_cost", -1.0, id="negative-audit-cost"),
    pytest.param("centre_loss", -0.1, id="negative-loss"),
    pytest.param("penalty_aider", -1.0, id="negative-penalty"),
    pytest.param("reward_recipient", float("inf"), id="reward-inf"),
    pytest.param("whistleblower_reward", float("nan"), id="reward-nan"),
])
def test_bad_input_raises_parameter_error(name, value):
    with pytest.raises(ParameterError) as info:
        JointBlame(**{name: value})
    err = info.value
    assert isinstance(err, ValueError)
    assert err.name == name
    assert name in str(err) and str(err.domain) in str(err)


def test_bad_element_of_an_array_is_named():
    with pytest.raises(ParameterError) as info:
        JointBlame(audit_detection=np.array([0.1, 0.5, 1.3]))
    assert info.value.name == "audit_detection" and info.value.value == pytest.approx(1.3)


# ---------------------------------------------------------------------------------------------
# One implementation of each primitive: the public helpers, the game and the solver agree
# ---------------------------------------------------------------------------------------------
@settings(max_examples=20)
@given(st.integers(0, 2 ** 32 - 1))
def test_public_helpers_are_the_solver_primitives(seed):
    from gametheory_aid.models import joint_blame as jb

    points = random_points(200, seed)
    p = {name: np.array([q[name] for q in points]) for name in points[0]}
    r = solve(**p)
    args = (p["reward_aider"], p["reward_recipient"], p["penalty_aider"], p["penalty_recipient"],
            p["transfer_efficiency"])
    cutoff = jb.detection_cutoff(*args, p["whistleblower_reward"])
    assert np.array_equal(np.maximum(cutoff, 0.0), r.deterrence_threshold)
    assert np.array_equal(cutoff, np.minimum(*jb.surplus_roots(*args, p["whistleblower_reward"])))
    assert np.array_equal(jb.collusion_proof_reward(*args, p["transparency"]), r.collusion_proof_reward)
    detection = jb.detection_probability(p["transparency"], p["audit_detection"], r.audit_probability)
    assert np.array_equal(detection, r.detection_probability)
    loss = jb.centre_expected_loss(p["prob_good"], r.collusion_probability, r.audit_probability, detection,
                                   p["centre_loss"], p["audit_cost"], p["whistleblower_reward"])
    assert np.array_equal(loss, r.centre_expected_loss)


@pytest.mark.parametrize("p", game_points()[:40])
def test_payoff_matrices_use_the_same_surpluses_and_loss(p):
    from gametheory_aid.models import joint_blame as jb

    model = JointBlame(**p)
    pair, centre = model.payoff_matrices()
    cutoff = float(jb.detection_cutoff(p["reward_aider"], p["reward_recipient"], p["penalty_aider"],
                                       p["penalty_recipient"], p["transfer_efficiency"], p["whistleblower_reward"]))
    tau, d = p["transparency"], p["audit_detection"]
    # the pair's payoff is positive exactly where the detection probability is below the cutoff
    assert (pair[0, 1] > 0) == (tau < cutoff) and (pair[0, 0] > 0) == (tau + (1 - tau) * d < cutoff)
    r = solve(**p)
    x, a = float(r.collusion_probability), float(r.audit_probability)
    expected = np.array([x, 1 - x]) @ centre @ np.array([a, 1 - a])
    assert expected == pytest.approx(-float(r.centre_expected_loss), abs=1e-12)


def test_scalar_guard_is_the_base_class_guard():
    with pytest.raises(ParameterError, match="the game needs scalar parameters") as info:
        JointBlame(penalty_aider=[1.0, 2.0]).payoff_matrices()
    assert info.value.name == "penalty_aider"


def test_sympy_is_imported_lazily():
    import subprocess
    import sys

    code = ("import sys; import gametheory_aid.models.joint_blame as jb; jb.JointBlame().solve(); "
            "jb.JointBlame().to_game(); print('sympy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_story_is_carried_by_the_model():
    from gametheory_aid.models.joint_blame_story import STORY
    from gametheory_aid.models.story import DemoStep

    assert JointBlame.story is STORY
    assert STORY.order == 40 and STORY.thresholds == ("deterrence_threshold", "collusion_proof_reward")
    assert set(STORY.figure.outputs) <= set(OUTPUTS)
    model = JointBlame()
    table = model.compare([0.0, 1.0])
    facts = {name: table.results[0].to_dict()[name] for name in STORY.thresholds}
    for lang in ("en", "zh"):
        text = " ".join(STORY.sentences(table, facts, lang))
        assert "0.392" in text and "3.1" in text
        assert STORY.label("mixed", lang) in text and STORY.label("deterred", lang) in text
        steps = STORY.demo(model, lang)
        assert len(steps) == 4 and all(isinstance(step, DemoStep) for step in steps)
        assert "0.346" in " ".join(steps[2].lines) and "0.392" in " ".join(steps[3].lines)


@pytest.mark.parametrize("p", game_points()[:40])
def test_game_solution_recomputes_solve(p):
    model = JointBlame(**p)
    r = model.solve()
    from_game = model.game_solution()
    assert set(from_game) == {"collusion_probability", "audit_probability", "detection_probability",
                              "false_report_rate", "centre_expected_loss"}
    for name, value in from_game.items():
        assert value == pytest.approx(float(r[name]), rel=1e-9, abs=1e-9), name


def test_game_solution_refuses_a_degenerate_game():
    with pytest.raises(ValueError, match="degenerate"):
        JointBlame(audit_cost=0.0).game_solution()   # costless audits: a continuum of equilibria


# -- huge and tiny magnitudes: finite results or a named refusal ------------------------------------


@settings(max_examples=60)
@given(st.fixed_dictionaries({
    "prob_good": st.integers(1, 9).map(lambda i: i / 10), "reward_aider": st.integers(0, 10).map(lambda i: i / 2),
    "reward_recipient": st.integers(0, 10).map(lambda i: i / 2),
    "penalty_aider": st.integers(0, 10).map(lambda i: i / 2),
    "penalty_recipient": st.integers(0, 10).map(lambda i: i / 2),
    "transfer_efficiency": st.integers(1, 10).map(lambda i: i / 10),
    "whistleblower_reward": st.integers(0, 4).map(lambda i: i / 2),
    "audit_detection": st.integers(0, 10).map(lambda i: i / 10)}))
def test_deterred_exactly_at_the_deterrence_threshold(p):
    """At tau = the model's own deterrence_threshold falsifying is unprofitable: regime deterred."""
    from gametheory_aid.models import get_model

    model = get_model("joint-blame")
    threshold = float(model(**p).solve().deterrence_threshold)
    at = model(**p, transparency=threshold).solve()
    assert str(at.regime) == "deterred" and float(at.collusion_probability) == 0.0
