"""The task-pushdown model (spec section 3): pushing tasks down, reverse blame-avoidance, lapse.

Independent checks: a plain scalar backward induction written from the specification
(:func:`reference`), the core's game tree (its own backward induction, its normal form), nashpy
on that normal form, pygambit on the exported ``.efg`` file, and a brute-force pressure grid.
"""
from __future__ import annotations

import functools
import itertools
import os
import tempfile
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gametheory_aid.core.params import ParameterError
from gametheory_aid.models import MODELS
from gametheory_aid.models.task_pushdown import (
    ACTORS,
    TIE_TOLERANCE,
    TaskPushdown,
    acting_payoffs,
    decay_powers,
    effective_success,
    lapse_payoffs,
    sticky_share,
)

SPEC_OUTPUTS = ["plan", "acting_round", "actor", "completion_probability", "lapsed", "value_upper",
                "value_lower", "pushed_down", "escalated"]
SPEC_DEFAULTS = dict(rounds=4, success_upper=0.7, success_lower=0.8, time_decay=0.85, cost_upper=1,
                     cost_lower=0.6, credit_upper=2, credit_lower=1, blame_upper=4, blame_lower=4,
                     supervisory_share=0.2, blame_stickiness=0.2, transparency=0, decision_support=0)
REAL_PARAMS = [p for p in SPEC_DEFAULTS if p != "rounds"]


# --------------------------------------------------------------------------- strategies
unit = st.floats(0, 1)
params_st = st.fixed_dictionaries({
    "success_upper": unit, "success_lower": unit,
    "time_decay": st.floats(0, 1, exclude_min=True),
    "cost_upper": st.floats(0, 10), "cost_lower": st.floats(0, 10),
    "credit_upper": st.floats(0, 10), "credit_lower": st.floats(0, 10),
    "blame_upper": st.floats(0, 20), "blame_lower": st.floats(0, 20),
    "supervisory_share": unit, "blame_stickiness": unit, "transparency": unit, "decision_support": unit,
})
rounds_st = st.integers(1, 6)
# decimal grid: ties are exact in rational arithmetic and non-ties are far from ties
grid = lambda lo, hi, step: st.integers(int(lo / step), int(hi / step)).map(lambda i: round(i * step, 10))  # noqa: E731
decimal_params_st = st.fixed_dictionaries({
    "success_upper": grid(0, 1, 0.1), "success_lower": grid(0, 1, 0.1),
    "time_decay": grid(0.5, 1, 0.25), "cost_upper": grid(0, 2, 0.5), "cost_lower": grid(0, 2, 0.5),
    "credit_upper": grid(0, 3, 1), "credit_lower": grid(0, 3, 1), "blame_upper": grid(0, 4, 1),
    "blame_lower": grid(0, 4, 1), "supervisory_share": grid(0, 1, 0.25),
    "blame_stickiness": grid(0, 1, 0.25), "transparency": grid(0, 1, 0.5), "decision_support": grid(0, 1, 0.5),
})


def random_params(rng, n):
    """n random points across the domain (a tenth of them on round values, to hit ties)."""
    p = {
        "success_upper": rng.random(n), "success_lower": rng.random(n),
        "time_decay": rng.uniform(1e-3, 1, n), "cost_upper": rng.uniform(0, 5, n),
        "cost_lower": rng.uniform(0, 5, n), "credit_upper": rng.uniform(0, 5, n),
        "credit_lower": rng.uniform(0, 5, n), "blame_upper": rng.uniform(0, 10, n),
        "blame_lower": rng.uniform(0, 10, n), "supervisory_share": rng.random(n),
        "blame_stickiness": rng.random(n), "transparency": rng.random(n), "decision_support": rng.random(n),
    }
    for k, v in p.items():
        few = rng.random(n) < 0.1
        v[few] = np.round(v[few], 1) if k != "time_decay" else 1.0
    return p


# --------------------------------------------------------------------------- reference
def reference(params, rounds):
    """Scalar backward induction written directly from the specification.

    Returns the plan (act at each round), the acting round (-1: lapse), completion probability,
    both values, and ``gap``: the smallest |acting payoff - continuation payoff| met by any
    holder (how far the point is from a tie), relative to the size of the payoffs.
    """
    p = params
    s = p["blame_stickiness"] + p["transparency"] * (1 - p["blame_stickiness"])
    ptil = [p["success_upper"] + p["decision_support"] * p["transparency"] * (1 - p["success_upper"]),
            p["success_lower"] + p["decision_support"] * p["transparency"] * (1 - p["success_lower"])]
    c = [p["cost_upper"], p["cost_lower"]]
    r = [p["credit_upper"], p["credit_lower"]]
    b = [p["blame_upper"], p["blame_lower"]]
    sig = p["supervisory_share"]
    cont = (-s * b[0], -s * b[1], 0.0, -1)  # values, completion, acting round
    plan = [None] * rounds
    gap = np.inf
    scale = 1.0 + sum(c) + sum(r) + sum(b)
    for k in reversed(range(rounds)):
        h, o = k % 2, 1 - k % 2
        P = ptil[h] * p["time_decay"] ** k
        val = [0.0, 0.0]
        val[h] = P * (r[h] - c[h]) + (1 - P) * (-b[h] - c[h])
        val[o] = P * r[o] + (1 - P) * (-sig * b[o])
        gap = min(gap, abs(val[h] - cont[h]) / scale)
        plan[k] = val[h] >= cont[h]
        if plan[k]:
            cont = (val[0], val[1], P, k)
    return {"plan": plan, "value_upper": cont[0], "value_lower": cont[1],
            "completion_probability": cont[2], "acting_round": cont[3], "gap": gap}


def brute_normal_form(params, rounds):
    """Payoff matrices of the normal form, by enumerating pure strategies (act/pass per own round)."""
    upper_rounds = list(range(0, rounds, 2))
    lower_rounds = list(range(1, rounds, 2))
    ups = list(itertools.product([True, False], repeat=len(upper_rounds)))
    los = list(itertools.product([True, False], repeat=len(lower_rounds))) or [()]
    A = np.empty((len(ups), len(los)))
    B = np.empty_like(A)
    for i, su in enumerate(ups):
        for j, sl in enumerate(los):
            plan = [None] * rounds
            for k, a in zip(upper_rounds, su, strict=True):
                plan[k] = a
            for k, a in zip(lower_rounds, sl, strict=True):
                plan[k] = a
            A[i, j], B[i, j] = play(params, plan)
    return A, B


def play(params, plan):
    """Expected payoffs when every round follows ``plan``."""
    p = params
    s = p["blame_stickiness"] + p["transparency"] * (1 - p["blame_stickiness"])
    for k, act in enumerate(plan):
        if act:
            h = k % 2
            base = p["success_upper"] if h == 0 else p["success_lower"]
            P = (base + p["decision_support"] * p["transparency"] * (1 - base)) * p["time_decay"] ** k
            me = ("upper", "lower")[h]
            other = ("upper", "lower")[1 - h]
            mine = P * (p[f"credit_{me}"] - p[f"cost_{me}"]) - (1 - P) * (p[f"blame_{me}"] + p[f"cost_{me}"])
            theirs = P * p[f"credit_{other}"] - (1 - P) * p["supervisory_share"] * p[f"blame_{other}"]
            return (mine, theirs) if h == 0 else (theirs, mine)
    return -s * p["blame_upper"], -s * p["blame_lower"]


def plan_labels(plan):
    return {f"round {k} ({'upper' if k % 2 == 0 else 'lower'})": ("act" if a else "pass")
            for k, a in enumerate(plan)}


# --------------------------------------------------------------------------- declaration
def test_registered_with_spec_names():
    assert MODELS["task-pushdown"] is TaskPushdown
    assert [o.name for o in TaskPushdown.outputs] == SPEC_OUTPUTS
    assert TaskPushdown.defaults() == SPEC_DEFAULTS
    for p in TaskPushdown.parameters:
        assert p.meaning and p.symbol


def test_output_types_and_shapes():
    res = TaskPushdown(rounds=3, transparency=[[0.0], [1.0]], blame_upper=[1.0, 4.0, 8.0]).solve()
    assert res.plan.shape == (2, 3, 3) and res.plan.dtype == bool
    assert res.acting_round.shape == (2, 3) and res.acting_round.dtype == np.int64
    assert set(np.unique(res.actor)) <= {"upper", "lower", "none"}
    for name in ("lapsed", "pushed_down", "escalated"):
        assert res[name].dtype == bool and res[name].shape == (2, 3)
    one = TaskPushdown().solve()
    assert all(isinstance(v, np.ndarray) for v in one.values())
    assert one.plan.shape == (4,) and one.actor.shape == ()


# --------------------------------------------------------------------------- the defaults
def test_defaults_by_hand():
    """Spec defaults, solved by hand (s = 0.2 at tau = 0, s = 1 at tau = 1).

    tau = 0, from the end: round 3 Lower: P = .8*.85^3 = .4913, A = .4913*5 - 4.6 = -2.1435 < -.8
    (lapse) -> pass; round 2 Upper: A = .7*.7225*6 - 5 = -1.9655 < -.8 -> pass; round 1 Lower:
    A = .68*5 - 4.6 = -1.2 < -.8 -> pass; round 0 Upper: A = .7*6 - 5 = -.8 = -.8: a tie -> act.
    Lower then gets .7*(1 + .8) - .8 = .46.
    tau = 1: round 3 Lower acts (-2.1435 >= -4), Upper then gets .4913*2.8 - .8 = .57564;
    round 2 Upper passes (-1.9655 < .57564); round 1 Lower acts (-1.2 >= -2.1435), Upper gets
    .68*2.8 - .8 = 1.104; round 0 Upper passes (-.8 < 1.104).
    """
    r0 = TaskPushdown().solve()
    assert r0.plan.tolist() == [True, False, False, False]
    assert (r0.acting_round, r0.actor, r0.lapsed, r0.pushed_down) == (0, "upper", False, False)
    assert r0.completion_probability == pytest.approx(0.7)
    assert (r0.value_upper, r0.value_lower) == (pytest.approx(-0.8), pytest.approx(0.46))
    r1 = TaskPushdown(transparency=1).solve()
    assert r1.plan.tolist() == [False, True, False, True]
    assert (r1.acting_round, r1.actor, r1.pushed_down, r1.escalated) == (1, "lower", True, False)
    assert r1.completion_probability == pytest.approx(0.68)
    assert (r1.value_upper, r1.value_lower) == (pytest.approx(1.104), pytest.approx(-1.2))
    # the tie at tau = 0 is exact in rational arithmetic and the tree resolves it the same way
    spe = TaskPushdown().to_game(exact=True).backward_induction(tie="first")
    assert spe.plan == plan_labels(r0.plan.tolist())
    assert spe.payoffs == (Fraction(-4, 5), Fraction(23, 50))


def test_defaults_knife_edge_paradox():
    """At the defaults (tau = 0) the Upper is indifferent; any extra blame makes the task lapse."""
    resp = TaskPushdown().accountability_response([0.5, 1.0, 1.01, 2.0])
    assert resp.lapsed.tolist() == [False, False, True, True]
    assert resp.actor.tolist() == ["upper", "upper", "none", "none"]
    # with full transparency the same increases never produce a lapse
    assert not TaskPushdown(transparency=1).accountability_response([0.5, 1.0, 1.01, 2.0]).lapsed.any()


# --------------------------------------------------------------------------- vs the game tree
@given(params_st, rounds_st)
def test_spe_is_nash_of_normal_form(params, rounds):
    """The solver's plan is a pure Nash equilibrium of the tree's normal form (nashpy), same payoffs."""
    model = TaskPushdown(rounds=rounds, **params)
    res = model.solve()
    tree = model.to_game()
    nfg = tree.to_normal_form()
    A, B = nfg.payoffs
    A_brute, B_brute = brute_normal_form(params, rounds)  # independent enumeration
    np.testing.assert_allclose(A, A_brute, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(B, B_brute, rtol=1e-12, atol=1e-12)
    row, col = tree.strategy_profile(plan_labels(res.plan.tolist()))
    sr, sc = np.eye(A.shape[0])[row], np.eye(A.shape[1])[col]
    game = nfg.to_nashpy()
    pay_u, pay_l = game[sr, sc]
    A_n, B_n = game.payoff_matrices
    regret = max(np.max(A_n @ sc) - pay_u, np.max(sr @ B_n) - pay_l)
    assert regret <= 1e-9
    assert nfg.regret([sr, sc]) <= 1e-9
    assert pay_u == pytest.approx(float(res.value_upper), abs=1e-9)
    assert pay_l == pytest.approx(float(res.value_lower), abs=1e-9)


@given(params_st, rounds_st)
def test_agrees_with_tree_backward_induction(params, rounds):
    ref = reference(params, rounds)
    assume(ref["gap"] > 1e-9)  # ties are tested in exact arithmetic below
    res = TaskPushdown(rounds=rounds, **params).solve()
    spe = TaskPushdown(rounds=rounds, **params).to_game().backward_induction(tie="first")
    assert spe.plan == plan_labels(res.plan.tolist())
    assert res.plan.tolist() == ref["plan"]
    assert int(res.acting_round) == ref["acting_round"]
    np.testing.assert_allclose([res.value_upper, res.value_lower], spe.payoffs, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(res.completion_probability, ref["completion_probability"], rtol=1e-12, atol=1e-15)


@given(decimal_params_st, rounds_st)
def test_ties_agree_with_exact_tree(params, rounds):
    """On a decimal grid (many exact ties) the solver equals the tree in rational arithmetic."""
    model = TaskPushdown(rounds=rounds, **params)
    res = model.solve()
    spe = model.to_game(exact=True).backward_induction(tie="first")
    assert spe.exact
    assert spe.plan == plan_labels(res.plan.tolist())
    np.testing.assert_allclose([res.value_upper, res.value_lower], [float(x) for x in spe.payoffs],
                               rtol=1e-12, atol=1e-12)


@settings(max_examples=25)
@given(params_st, rounds_st)
def test_gambit_efg_profile_is_an_equilibrium(params, rounds):
    """The exported .efg read by pygambit: the solver's plan has zero regret and the same payoffs."""
    gbt = pytest.importorskip("pygambit")
    model = TaskPushdown(rounds=rounds, **params)
    res = model.solve()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "task.efg")
        model.to_game().write_efg(path)
        game = gbt.read_efg(path)
    plan = plan_labels(res.plan.tolist())
    profile = game.mixed_behavior_profile(rational=False)
    for player in game.players:
        for infoset in player.infosets:
            for action in infoset.actions:
                profile[action] = 1.0 if action.label == plan[infoset.label] else 0.0
    assert profile.max_regret() <= 1e-9
    players = list(game.players)
    assert profile.payoff(players[0]) == pytest.approx(float(res.value_upper), abs=1e-9)
    assert profile.payoff(players[1]) == pytest.approx(float(res.value_lower), abs=1e-9)


def test_to_game_structure_and_errors():
    tree = TaskPushdown(rounds=3).to_game()
    assert tree.players == ("Upper", "Lower")
    assert [d.label for d in tree.decision_nodes()] == ["round 0 (upper)", "round 1 (lower)", "round 2 (upper)"]
    assert all(list(d.actions) == ["act", "pass"] for d in tree.decision_nodes())
    assert "EFG 2 R" in tree.to_efg()
    with pytest.raises(ParameterError, match="transparency"):
        TaskPushdown(transparency=[0.0, 1.0]).to_game()


# --------------------------------------------------------------------------- symbolic
@functools.cache
def lambdified(rounds):
    sol = TaskPushdown(rounds=rounds).symbolic()
    syms = list(sol.symbols.values())
    conds = [sp.lambdify(syms, r.condition, "numpy") for r in sol.regimes]
    outs = {name: [sp.lambdify(syms, r.outputs[name], "numpy") for r in sol.regimes]
            for name in sol.regimes[0].outputs}
    thresholds = {name: sp.lambdify(syms, expr, "numpy") for name, expr in sol.thresholds.items()}
    return list(sol.symbols), conds, outs, thresholds


@given(params_st, rounds_st)
def test_lapse_condition_matches_solver(params, rounds):
    """The closed-form lapse condition (earliest round of each party binds) equals the solver."""
    names, _, _, thresholds = lambdified(1 if rounds == 1 else 2)  # the condition is the same for T >= 2
    ref = reference(params, rounds)
    s = params["blame_stickiness"] + params["transparency"] * (1 - params["blame_stickiness"])
    assume(ref["gap"] > 1e-9)
    # and away from the closed form's own boundaries
    for h, k in ((0, 0), (1, 1))[:min(rounds, 2)]:
        me = ("upper", "lower")[h]
        base = params[f"success_{me}"]
        pt = base + params["decision_support"] * params["transparency"] * (1 - base)
        margin = pt * params["time_decay"] ** k * (params[f"credit_{me}"] + params[f"blame_{me}"]) \
            - params[f"cost_{me}"] - (1 - s) * params[f"blame_{me}"]
        assume(abs(margin) > 1e-9 * (1 + params[f"credit_{me}"] + params[f"blame_{me}"] + params[f"cost_{me}"]))
    closed = bool(thresholds["lapse_condition"](*[params[n] for n in names]))
    assert closed == bool(TaskPushdown(rounds=rounds, **params).solve().lapsed)


@pytest.mark.parametrize("rounds", [pytest.param(t, id=f"rounds={t}") for t in (1, 2, 3)])
@settings(max_examples=30)
@given(params=params_st)
def test_symbolic_solution_lambdified_equals_solve(rounds, params):
    """SymbolicSolution.lambdify of every output equals solve() (points away from ties)."""
    assume(reference(params, rounds)["gap"] > 1e-9)
    sol = symbolic_solution(rounds)
    res = TaskPushdown(rounds=rounds, **params).solve()
    args = {k: np.atleast_1d(v) for k, v in params.items()}
    for name in ("acting_round", "completion_probability", "value_upper", "value_lower",
                 "lapsed", "pushed_down", "escalated", "lapse_condition"):
        got = sol[name](**args)
        want = np.asarray(res["lapsed" if name == "lapse_condition" else name], dtype=float)
        np.testing.assert_allclose(np.broadcast_to(got, (1,))[0], want, rtol=1e-9, atol=1e-9, err_msg=name)
    for k in range(rounds):
        assert bool(np.broadcast_to(sol[f"acts_at_round_{k}"](**args), (1,))[0]) == bool(res.plan[k])


@functools.cache
def symbolic_solution(rounds):
    sol = TaskPushdown(rounds=rounds).symbolic()
    names = ["acting_round", "completion_probability", "value_upper", "value_lower", "lapsed",
             "pushed_down", "escalated", "lapse_condition"] + [f"acts_at_round_{k}" for k in range(rounds)]
    return {name: sol.lambdify(name) for name in names}


@pytest.mark.parametrize("rounds", [pytest.param(t, id=f"rounds={t}") for t in (1, 2, 3, 4)])
def test_symbolic_regimes_on_random_arrays(rounds):
    """Regime by regime (exactly one holds away from ties) on 3000 random points."""
    names, conds, outs, thresholds = lambdified(rounds)
    rng = np.random.default_rng(rounds)
    p = random_params(rng, 3000)
    res = TaskPushdown(rounds=rounds, **p).solve()
    args = [p[n] for n in names]
    gaps = np.array([reference({k: v[i] for k, v in p.items()}, rounds)["gap"] for i in range(3000)])
    clear = gaps > 1e-9
    assert clear.mean() > 0.8
    holds = np.array([np.broadcast_to(c(*args), (3000,)) for c in conds])
    assert (holds[:, clear].sum(axis=0) == 1).all()
    which = holds.argmax(axis=0)
    for name, fs in outs.items():
        vals = np.array([np.broadcast_to(f(*args), (3000,)) for f in fs], dtype=float)
        got = vals[which, np.arange(3000)]
        np.testing.assert_allclose(got[clear], np.asarray(res[name], dtype=float)[clear],
                                   rtol=1e-9, atol=1e-12, err_msg=name)
    for k in range(rounds):
        np.testing.assert_array_equal(np.broadcast_to(thresholds[f"acts_at_round_{k}"](*args), (3000,))[clear],
                                      res.plan[clear, k])


# --------------------------------------------------------------------------- proposition 3
@given(params_st.map(lambda p: {**p, "transparency": 1.0}), rounds_st,
       st.lists(st.floats(0, 10), min_size=2, max_size=8))
def test_full_transparency_raising_both_blames_never_creates_a_lapse(params, rounds, scales):
    resp = TaskPushdown(rounds=rounds, **params).accountability_response(sorted(scales))
    lapsed = resp.lapsed.tolist()
    first_done = next((i for i, x in enumerate(lapsed) if not x), len(lapsed))
    assert not any(lapsed[first_done:]), lapsed


@given(params_st.map(lambda p: {**p, "transparency": 1.0}), rounds_st,
       st.floats(1, 5), st.floats(1, 5))
def test_full_transparency_raising_either_blame_never_creates_a_lapse(params, rounds, up, lo):
    base = TaskPushdown(rounds=rounds, **params)
    raised = base.with_(blame_upper=params["blame_upper"] * up, blame_lower=params["blame_lower"] * lo)
    assert not (raised.solve().lapsed and not base.solve().lapsed)


@given(params_st, st.floats(0, 20), st.floats(0, 20))
def test_one_round_paradox_threshold(params, b1, b2):
    """One round: below the threshold more blame never helps acting; above, it never hurts."""
    lo, hi = sorted((b1, b2))
    model = TaskPushdown(rounds=1, **params)
    p, phi, rho, tau = (params["success_upper"], params["blame_stickiness"], params["decision_support"],
                        params["transparency"])
    denom = 1 - phi + rho * (1 - p)
    assume(denom > 1e-6)
    threshold = (1 - p - phi) / denom
    assume(abs(tau - threshold) > 1e-9)
    acts_lo = not model.with_(blame_upper=lo).solve().lapsed
    acts_hi = not model.with_(blame_upper=hi).solve().lapsed
    if tau < threshold:
        assert acts_lo or not acts_hi  # acting at more blame implies acting at less
    else:
        assert acts_hi or not acts_lo


def test_completion_can_fall_as_blame_rises_at_full_transparency():
    """Proposition 3's caveat: no lapse, but acting moves to a later round and a weaker actor.

    tau = 1, two rounds.  Blames 2: Lower's A = .48*4 - 4 = -2.08 < -2 (lapse) -> passes; Upper's
    A = .8*4 - 3 = .2 >= -2 -> acts; completion .8.  Blames 4: Lower's A = .48*6 - 6 = -3.12 >= -4
    -> acts; Upper then gets .48*2.8 - .8 = .544 > .8*6 - 5 = -.2 -> pushes down; completion .48.
    """
    model = TaskPushdown(rounds=2, success_upper=0.8, success_lower=0.6, time_decay=0.8, cost_upper=1,
                         cost_lower=2, credit_upper=2, credit_lower=2, blame_upper=2, blame_lower=2,
                         supervisory_share=0.2, blame_stickiness=0.2, transparency=1)
    resp = model.accountability_response([1.0, 2.0])
    assert resp.actor.tolist() == ["upper", "lower"]
    assert resp.acting_round.tolist() == [0, 1]
    np.testing.assert_allclose(resp.completion_probability, [0.8, 0.48])
    assert not resp.lapsed.any()
    for kappa, actor in ((1, "act"), (2, "pass")):
        spe = model.with_(blame_upper=2 * kappa, blame_lower=2 * kappa).to_game(exact=True).backward_induction()
        assert spe.plan["round 0 (upper)"] == actor


# --------------------------------------------------------------------------- broadcasting
@settings(max_examples=20)
@given(st.integers(0, 2**32 - 1), rounds_st)
def test_array_results_equal_scalar_results(seed, rounds):
    rng = np.random.default_rng(seed)
    p = random_params(rng, 12)
    res = TaskPushdown(rounds=rounds, **p).solve()
    for i in range(12):
        one = TaskPushdown(rounds=rounds, **{k: v[i] for k, v in p.items()}).solve()
        for name in SPEC_OUTPUTS:
            np.testing.assert_array_equal(res[name][i], one[name], err_msg=name)


def test_two_dimensional_broadcasting():
    taus = np.linspace(0, 1, 5)[:, None]
    blames = np.linspace(0, 8, 7)[None, :]
    res = TaskPushdown(transparency=taus, blame_upper=blames).solve()
    assert res.value_upper.shape == (5, 7) and res.plan.shape == (5, 7, 4)
    for i, j in itertools.product(range(5), range(7)):
        one = TaskPushdown(transparency=taus[i, 0], blame_upper=blames[0, j]).solve()
        for name in SPEC_OUTPUTS:
            np.testing.assert_array_equal(res[name][i, j], one[name], err_msg=name)


@given(params_st, rounds_st, st.lists(st.floats(0, 5), min_size=1, max_size=5))
def test_accountability_response_equals_scaled_solves(params, rounds, scales):
    model = TaskPushdown(rounds=rounds, **params)
    resp = model.accountability_response(scales)
    assert resp.completion_probability.shape == (len(scales),)
    for i, kappa in enumerate(scales):
        one = model.with_(blame_upper=params["blame_upper"] * kappa,
                          blame_lower=params["blame_lower"] * kappa).solve()
        assert resp.lapsed[i] == one.lapsed and resp.actor[i] == one.actor
        assert resp.completion_probability[i] == one.completion_probability
        assert resp.acting_round[i] == one.acting_round
        assert resp.value_upper[i] == one.value_upper and resp.value_lower[i] == one.value_lower


def test_accountability_response_adds_an_axis():
    resp = TaskPushdown(transparency=[0.0, 0.5, 1.0]).accountability_response(np.linspace(0, 3, 7))
    assert resp.completion_probability.shape == (3, 7) and resp.actor.shape == (3, 7)


# --------------------------------------------------------------------------- optimal pressure
@given(params_st, st.integers(1, 5), st.floats(0, 20))
def test_optimal_pressure_beats_a_fine_grid(params, rounds, top):
    model = TaskPushdown(rounds=rounds, **params)
    opt = model.optimal_pressure(top)
    pressures = np.linspace(0, top, 2001)
    values = model.with_(blame_lower=pressures).solve().value_upper
    # optimal up to the documented tie tolerance (TIE_TOLERANCE times r_U + c_U + 2 b_U)
    tie = TIE_TOLERANCE * (params["credit_upper"] + params["cost_upper"] + 2 * params["blame_upper"])
    assert 0 <= opt.pressure <= top
    assert np.all(values <= opt.value + tie + 1e-12 * (1 + abs(opt.value)))
    # least pressure: every smaller pressure does strictly worse.  (The value is a step function
    # whose steps do not involve b_L, so a grid point in the chosen step has the identical value;
    # one in a step tied with the best, below the chosen one, would have been chosen.)
    assert not np.any((values >= opt.value) & (pressures < opt.pressure - 1e-9))
    at = model.with_(blame_lower=float(opt.pressure)).solve().value_upper
    if opt.attained:
        assert at == opt.value
    else:  # the infimum of an interval where the value is attained just above it
        above = opt.breakpoints[opt.breakpoints > opt.pressure]
        inside = 0.5 * (opt.pressure + above[0])
        assert model.with_(blame_lower=inside).solve().value_upper == opt.value
        assert at < opt.value


def test_optimal_pressure_upper_value_is_free_of_blame_lower():
    """The Upper's payoff in every terminal outcome does not involve b_L (so only flips matter)."""
    tree = TaskPushdown().to_game()
    other = TaskPushdown(blame_lower=9.0).to_game()
    up = tree.normal_form_payoffs()[0]
    np.testing.assert_array_equal(up, other.normal_form_payoffs()[0])


def test_optimal_pressure_open_optimum_by_hand():
    """Two rounds, tau = 0, s = .1, sigma = .8: the Upper prefers the lapse (-.4) to the Lower acting.

    Lower acts iff .4*(3 + b) - 1 - b >= -.1 b, i.e. b <= .4; then the Upper passes and gets
    .4*(3 + 3.2) - 3.2 = -.72 (better than acting, .5*7 - 4.5 = -1).  For b > .4 the Lower passes,
    the task lapses and the Upper gets -.4.  The supremum -.4 is not attained at b = .4 (tie: Lower acts).
    """
    model = TaskPushdown(rounds=2, success_upper=0.5, success_lower=0.5, time_decay=0.8, cost_upper=0.5,
                         cost_lower=1, credit_upper=3, credit_lower=3, blame_upper=4, supervisory_share=0.8,
                         blame_stickiness=0.1, transparency=0)
    opt = model.optimal_pressure(10)
    assert opt.pressure == pytest.approx(0.4) and not opt.attained
    assert opt.value == pytest.approx(-0.4) and opt.lapsed and opt.actor == "none"
    assert model.with_(blame_lower=0.4).solve().value_upper == pytest.approx(-0.72)
    assert model.optimal_pressure(0.3).value == pytest.approx(-0.72)


def test_optimal_pressure_defaults_prefers_no_pressure():
    """Defaults: with b_L = 0 the Lower acts at round 1 (.68*1 - .6 = .08 >= 0 = its lapse payoff),
    giving the Upper .68*2.8 - .8 = 1.104 (> -.8 when it acts itself)."""
    opt = TaskPushdown().optimal_pressure(10)
    assert opt.pressure == 0 and opt.attained
    assert opt.value == pytest.approx(1.104) and opt.actor == "lower"
    assert opt.value_upper_unpressured == pytest.approx(-0.8)


@settings(max_examples=15)
@given(st.integers(0, 2**32 - 1), st.integers(1, 4))
def test_optimal_pressure_array_equals_scalar(seed, rounds):
    rng = np.random.default_rng(seed)
    p = random_params(rng, 8)
    tops = rng.uniform(0, 15, 8)
    opt = TaskPushdown(rounds=rounds, **p).optimal_pressure(tops)
    for i in range(8):
        one = TaskPushdown(rounds=rounds, **{k: v[i] for k, v in p.items()}).optimal_pressure(tops[i])
        for field in ("pressure", "value", "attained", "actor", "acting_round", "completion_probability"):
            assert getattr(opt, field)[i] == getattr(one, field), field


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("name, value", [
    pytest.param("rounds", 0, id="rounds-zero"),
    pytest.param("rounds", 2.5, id="rounds-fraction"),
    pytest.param("rounds", -3, id="rounds-negative"),
    pytest.param("rounds", True, id="rounds-bool"),
    pytest.param("rounds", [2, 3], id="rounds-array"),
    pytest.param("success_upper", 1.5, id="p-upper-above-one"),
    pytest.param("success_lower", -0.1, id="p-lower-negative"),
    pytest.param("time_decay", 0.0, id="lambda-zero"),
    pytest.param("time_decay", 1.2, id="lambda-above-one"),
    pytest.param("supervisory_share", 2.0, id="sigma-above-one"),
    pytest.param("blame_stickiness", -1.0, id="phi-negative"),
    pytest.param("transparency", 1.01, id="tau-above-one"),
    pytest.param("decision_support", -0.5, id="rho-negative"),
    pytest.param("cost_upper", -1.0, id="cost-negative"),
    pytest.param("blame_lower", float("inf"), id="blame-infinite"),
    pytest.param("credit_lower", [1.0, float("nan")], id="credit-nan-in-array"),
])
def test_bad_input_names_the_parameter(name, value):
    with pytest.raises(ParameterError, match=f"'{name}'") as err:
        TaskPushdown(**{name: value})
    assert err.value.name == name


@given(st.sampled_from(REAL_PARAMS))
def test_nan_rejected_everywhere(name):
    with pytest.raises(ParameterError, match=f"'{name}' = nan"):
        TaskPushdown(**{name: float("nan")})


@pytest.mark.parametrize("method, value", [
    pytest.param("accountability_response", [-1.0], id="scale-negative"),
    pytest.param("accountability_response", [float("nan")], id="scale-nan"),
    pytest.param("optimal_pressure", -2.0, id="pressure-negative"),
    pytest.param("optimal_pressure", float("inf"), id="pressure-infinite"),
])
def test_bad_analysis_arguments(method, value):
    arg = "scales" if method == "accountability_response" else "max_pressure"
    with pytest.raises(ParameterError, match=f"'{arg}'"):
        getattr(TaskPushdown(), method)(value)


# --------------------------------------------------------------------------- primitives and the contract
def test_acting_payoffs_run_from_failure_to_success():
    """A_h and O_o at P = 1 and 0 are the payoffs of a success and of a failure, affine in P between."""
    F = Fraction
    credit, cost, blame, sigma = (F(2), F(1)), (F(1), F(3, 5)), (F(4), F(7, 2)), F(1, 5)
    for h in (0, 1):
        o = 1 - h
        win = acting_payoffs(h, 1, credit, cost, blame, sigma)
        fail = acting_payoffs(h, 0, credit, cost, blame, sigma)
        assert (win[h], win[o]) == (credit[h] - cost[h], credit[o])
        assert (fail[h], fail[o]) == (-blame[h] - cost[h], -sigma * blame[o])
        for P in (F(0), F(3, 10), F(17, 20), F(1)):
            mixed = acting_payoffs(h, P, credit, cost, blame, sigma)
            assert mixed == tuple(P * w + (1 - P) * f for w, f in zip(win, fail, strict=True))
    assert lapse_payoffs(blame, F(1, 5)) == (-F(4, 5), -F(7, 10))


def test_primitives_serve_arrays_and_symbols_alike():
    """The same functions give the solver's arrays and the closed form's expressions."""
    lam, p, rho, tau, phi = sp.symbols("lam p rho tau phi")
    assert decay_powers(lam, 4) == [1, lam, lam**2, lam**3]
    assert sp.expand(effective_success(p, rho, tau) - (p + rho * tau * (1 - p))) == 0
    assert sp.expand(sticky_share(phi, tau) - (phi + tau * (1 - phi))) == 0
    x = np.array([0.3, 0.85, 1.0])
    powers = decay_powers(x, 4)
    np.testing.assert_array_equal(powers[3], x * x * x)
    assert powers[0] == 1
    np.testing.assert_array_equal(powers[1], x)


def test_actor_is_categorical():
    """The actor is stored as codes into ACTORS: the holder's index (0 Upper, 1 Lower), 2 if lapsed."""
    res = TaskPushdown(rounds=3, transparency=np.linspace(0, 1, 11),
                       blame_upper=np.linspace(0, 30, 7)[:, None]).solve()
    assert ACTORS == ("upper", "lower", "none")
    assert res.categories["actor"] == ACTORS
    codes = res.codes("actor")
    assert codes.dtype == np.uint8 and codes.shape == res.shape == (7, 11)
    np.testing.assert_array_equal(codes, np.where(res.lapsed, 2, res.acting_round % 2))
    np.testing.assert_array_equal(np.asarray(ACTORS)[codes], res.actor)
    assert set(np.unique(codes)) == {0, 1, 2}


def test_blocks_do_not_change_the_solution(monkeypatch):
    """Solving in blocks of a few points gives the single-block solution exactly."""
    p = random_params(np.random.default_rng(5), 1000)
    whole = TaskPushdown(rounds=5, **p).solve()
    monkeypatch.setattr(TaskPushdown, "block_size", 37)
    pieces = TaskPushdown(rounds=5, **p).solve()
    for name in SPEC_OUTPUTS:
        np.testing.assert_array_equal(pieces[name], whole[name], err_msg=name)
    assert pieces.plan.shape == (1000, 5)


def test_symbolic_uses_the_parameters_symbols():
    model = TaskPushdown(rounds=2)
    sol = model.symbolic()
    assert sol.symbols == {name: s for name, s in model.symbols().items() if name != "rounds"}


@pytest.mark.parametrize("rounds", [1, 2, 5])
def test_lapse_condition_is_the_closed_form_of_the_docstring(rounds):
    """Each relation of lapse_condition says G_h(k) < 0 with G_h(k) = p~_h lam^k (r_h + b_h) - c_h - (1 - s) b_h."""
    sol = TaskPushdown(rounds=rounds).symbolic()
    s = sol.symbols
    cond = sol.thresholds["lapse_condition"]
    relations = cond.args if isinstance(cond, sp.And) else (cond,)
    assert len(relations) == min(rounds, 2)
    sticky = s["blame_stickiness"] + s["transparency"] * (1 - s["blame_stickiness"])
    gains = []
    for k, me in enumerate(("upper", "lower")[:min(rounds, 2)]):
        pt = s[f"success_{me}"] + s["decision_support"] * s["transparency"] * (1 - s[f"success_{me}"])
        gains.append(pt * s["time_decay"] ** k * (s[f"credit_{me}"] + s[f"blame_{me}"]) - s[f"cost_{me}"]
                     - (1 - sticky) * s[f"blame_{me}"])
    for rel in relations:
        assert isinstance(rel, (sp.StrictLessThan, sp.StrictGreaterThan))
        below = rel.lhs - rel.rhs if isinstance(rel, sp.StrictLessThan) else rel.rhs - rel.lhs
        assert any(sp.expand(below - gain) == 0 for gain in gains), rel


def _tree_numbers(node):
    """Every chance probability and terminal payoff of a tree, in a fixed order."""
    if hasattr(node, "payoffs"):
        return list(node.payoffs)
    if hasattr(node, "outcomes"):
        return [x for prob, child in node.outcomes.values() for x in [prob, *_tree_numbers(child)]]
    return [x for child in node.actions.values() for x in _tree_numbers(child)]


@given(decimal_params_st, rounds_st)
def test_float_tree_is_the_exact_tree_rounded(params, rounds):
    """to_game() holds the nearest float to every number of to_game(exact=True): 2 - 1 is 1.0, not 0.999..."""
    model = TaskPushdown(rounds=rounds, **params)
    exact = _tree_numbers(model.to_game(exact=True).root)
    floats = _tree_numbers(model.to_game().root)
    assert all(isinstance(q, Fraction) for q in exact) and all(isinstance(x, float) for x in floats)
    assert floats == [float(q) for q in exact]


def test_default_tree_payoffs_are_the_decimals():
    numbers = _tree_numbers(TaskPushdown(rounds=1).to_game().root)
    assert numbers == [0.7, 1.0, 1.0, 0.3, -5.0, -0.8, -0.8, -0.8]


def test_analyses_go_through_the_public_solver():
    """accountability_response and optimal_pressure on 2-d parameter arrays equal point-by-point solves."""
    taus = np.array([[0.0], [0.5], [1.0]])
    blames = np.array([2.0, 4.0])
    model = TaskPushdown(rounds=3, transparency=taus, blame_upper=blames)
    resp = model.accountability_response([0.5, 1.5])
    opt = model.optimal_pressure([[2.0, 8.0]])
    assert resp.lapsed.shape == (3, 2, 2) and opt.pressure.shape == (3, 2)
    for i, j in itertools.product(range(3), range(2)):
        one = TaskPushdown(rounds=3, transparency=taus[i, 0], blame_upper=blames[j])
        for s, kappa in enumerate((0.5, 1.5)):
            scaled = one.with_(blame_upper=blames[j] * kappa, blame_lower=4.0 * kappa).solve()
            assert resp.actor[i, j, s] == scaled.actor and resp.value_upper[i, j, s] == scaled.value_upper
        single = one.optimal_pressure((2.0, 8.0)[j])
        assert opt.pressure[i, j] == single.pressure and opt.actor[i, j] == single.actor


# --------------------------------------------------------------------------- the story
def test_story_sentences_and_walkthrough_follow_the_solution():
    story = TaskPushdown.story
    assert story.order == 30 and story.thresholds == ()
    assert story.figure.outputs == ("completion_probability", "value_upper", "value_lower")
    table = TaskPushdown().compare([0.0, 1.0])
    assert story.sentences(table, {}, "en")[:2] == [
        "At τ = 0: the Upper acts in round 0; the task is completed with probability 0.7.",
        "At τ = 1: the Upper pushes the task down; then the Lower acts in round 1; the task is completed "
        "with probability 0.68."]
    assert story.sentences(table, {}, "zh")[1] == ("τ = 1：上级先向下转移任务压力，由下级政府在第 1 轮行动，"
                                                   "完成概率 0.68。")
    lapsing = TaskPushdown(rounds=1, blame_upper=40, blame_lower=40).compare([0.0])
    assert "任务落空" in story.sentences(lapsing, {}, "en")[0]
    steps = story.demo(TaskPushdown(), "en")
    assert [s.heading for s in steps][2] == "The equilibrium, by backward induction"
    assert steps[2].lines == ("Plan by round: act → pass → pass → pass; the Upper acts in round 0, completing the "
                              "task with probability 0.7.",)
    assert steps[3].lines[1] == ("Plan by round: pass → act → pass → act; here transparency lowers completion: "
                                 "against τ = 0, the completion probability falls (0.7 → 0.68).")
    assert len(story.demo(TaskPushdown(), "zh")) == 4


def test_story_module_does_not_import_the_model():
    import ast
    import inspect

    from gametheory_aid.models import task_pushdown_story

    tree = ast.parse(inspect.getsource(task_pushdown_story))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported <= {"__future__", "story"}


@given(decimal_params_st, rounds_st)
def test_game_solution_equals_solve_with_ties(params, rounds):
    """game_solution() (the exact tree's backward induction) equals solve(), also at exact ties."""
    model = TaskPushdown(rounds=rounds, **params)
    res, game = model.solve(), model.game_solution()
    assert game["plan"].tolist() == res.plan.tolist()
    for name in ("acting_round", "lapsed", "pushed_down", "escalated"):
        assert game[name] == res[name], name
    for name in ("completion_probability", "value_upper", "value_lower"):
        np.testing.assert_allclose(game[name], res[name], rtol=1e-12, atol=1e-12, err_msg=name)
    with pytest.raises(ParameterError, match="transparency"):
        TaskPushdown(transparency=[0.0, 1.0]).game_solution()


# --------------------------------------------------------------------------- ties on the holder's own payoffs
def test_tie_is_judged_on_the_holders_own_payoffs():
    """A huge blame of the Lower does not make the Upper indifferent between -0.9 and -0.8."""
    r = TaskPushdown(rounds=1, cost_upper=1.1, blame_lower=1e11).solve()
    # acting: 0.7 (2 + 4) - (1.1 + 4) = -0.9; passing lets the task lapse: -0.2 * 4 = -0.8
    assert r.plan.tolist() == [False]
    assert bool(r.lapsed) and str(r.actor) == "none"
    assert float(r.value_upper) == pytest.approx(-0.8, rel=1e-12)


@pytest.mark.parametrize("params, plan", [
    # a sure success never incurs the Upper's blame: passing (1/20 from the Lower's success) beats acting (0)
    pytest.param(dict(success_upper=1.0, success_lower=0.1, time_decay=0.5, cost_upper=1.0, credit_upper=1,
                      credit_lower=0, cost_lower=0, blame_upper=1e11, blame_lower=0, supervisory_share=0.0,
                      blame_stickiness=0.0), [False, True], id="sure-success-huge-own-blame"),
    # a sure failure: acting costs -0.5 - 1e12, passing -1e12; the Upper passes
    pytest.param(dict(success_upper=0.0, cost_upper=0.5, credit_upper=0, blame_upper=1e12, blame_lower=0,
                      blame_stickiness=1.0, transparency=0.0), [False], id="sure-failure-huge-own-blame"),
])
def test_a_huge_blame_that_is_certain_blurs_no_choice(params, plan):
    model = TaskPushdown(rounds=len(plan), **params)
    assert model.solve().plan.tolist() == plan
    spe = model.to_game(exact=True).backward_induction(tie="first")
    assert plan_labels(plan) == spe.plan
    assert float(model.solve().value_upper) == pytest.approx(float(spe.payoffs[0]), rel=1e-12, abs=1e-12)


@settings(max_examples=40)
@given(decimal_params_st, rounds_st, st.sampled_from(["blame_upper", "blame_lower", "credit_upper", "credit_lower",
                                                      "cost_upper", "cost_lower"]), st.integers(6, 13))
def test_one_partys_huge_stakes_do_not_blur_the_others_choice(params, rounds, name, exponent):
    """With one stake scaled up to 10**13 the solver still equals the tree in rational arithmetic."""
    params = {**params, name: params[name] * 10.0 ** exponent}
    model = TaskPushdown(rounds=rounds, **params)
    res = model.solve()
    spe = model.to_game(exact=True).backward_induction(tie="first")
    assert spe.plan == plan_labels(res.plan.tolist())


# --------------------------------------------------------------------------- the bound on rounds
@pytest.mark.parametrize("value", [1e30, 1e10, 1e9, 1e7, 1001, 10**400])
def test_rounds_above_the_bound_are_refused_by_name(value):
    from gametheory_aid.models.task_pushdown import MAX_ROUNDS

    with pytest.raises(ParameterError, match=r"'rounds' = .* integer >= 1 and <= 1000") as err:
        TaskPushdown(rounds=value)
    assert err.value.name == "rounds" and MAX_ROUNDS == 1000


def test_rounds_at_the_bound_solve_as_the_tree_does():
    model = TaskPushdown(rounds=1000, time_decay=1.0, success_upper=0.1, success_lower=0.1)
    r = model.solve()
    assert r.plan.shape == (1000,)
    assert plan_labels(r.plan.tolist()) == model.to_game().backward_induction(tie="first").plan


def test_sweep_over_too_many_rounds_is_refused_up_front(capsys, tmp_path):
    from gametheory_aid import cli

    out = tmp_path / "out"
    code = cli.main(["sweep", "task-pushdown", "--samples", "16", "--vary", "rounds=1:1e9", "--out", str(out)])
    _, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1 and "'rounds'" in err and "<= 1000" in err
    assert not out.exists()


def test_symbolic_refuses_more_rounds_than_it_can_build():
    from gametheory_aid.models.task_pushdown import SYMBOLIC_MAX_ROUNDS

    with pytest.raises(ParameterError, match=f"<= {SYMBOLIC_MAX_ROUNDS} for the closed form") as err:
        TaskPushdown(rounds=SYMBOLIC_MAX_ROUNDS + 1).symbolic()
    assert err.value.name == "rounds"


# -- huge and tiny magnitudes: finite results or a named refusal ------------------------------------
