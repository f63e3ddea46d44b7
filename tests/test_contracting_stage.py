"""The contracting stage: four models under one transparency level, and the optimal transparency."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gametheory_aid import ParameterError, get_model
from gametheory_aid.models.contracting_stage import STAGE_MODELS, ContractingStage


def test_registered_and_namespaced_parameters():
    assert get_model("contracting-stage") is ContractingStage
    names = ContractingStage.parameter_specs()
    for cls in STAGE_MODELS:
        for p in cls.parameters:
            if p.name != "transparency":
                assert f"{cls.name}.{p.name}" in names
    assert {"transparency", "task_value", "platform_cost"} <= set(names)


def test_submodels_keep_their_own_parameters():
    stage = ContractingStage(transparency=0.3, **{"joint-blame.penalty_aider": 6.0, "pleading-poverty.penalty": 1.0})
    subs = stage.submodels()
    assert subs["joint-blame"].params["penalty_aider"] == 6.0
    assert subs["pleading-poverty"].params["penalty"] == 1.0
    assert all(m.params["transparency"] == 0.3 for m in subs.values())
    res = stage.solve()
    own = get_model("joint-blame")(transparency=0.3, penalty_aider=6.0).solve()
    assert res.collusion_rate == own.collusion_probability


@settings(max_examples=25, deadline=None)
@given(st.floats(0, 1), st.floats(0, 10), st.floats(0.5, 5), st.floats(1, 10), st.floats(0, 0.9))
def test_headline_numbers_are_the_four_models_solved_on_their_own(tau, task_value, pp_penalty, jb_penalty,
                                                                   success_upper):
    own = {"pleading-poverty": {"penalty": pp_penalty}, "joint-blame": {"penalty_aider": jb_penalty},
           "task-pushdown": {"success_upper": success_upper}, "poverty-bargaining": {}}
    stage = ContractingStage(transparency=tau, task_value=task_value,
                             **{f"{name}.{k}": v for name, values in own.items() for k, v in values.items()})
    res = stage.solve()
    pp = get_model("pleading-poverty")(transparency=tau, **own["pleading-poverty"]).solve()
    pb = get_model("poverty-bargaining")(transparency=tau).solve()
    tp = get_model("task-pushdown")(transparency=tau, **own["task-pushdown"]).solve()
    jb = get_model("joint-blame")(transparency=tau, **own["joint-blame"]).solve()
    expected = {"information_rent": pp.rent_strong, "quota_shortfall": pb.expected_shortfall,
                "completion_probability": tp.completion_probability, "collusion_rate": jb.collusion_probability,
                "centre_welfare_screening": pp.centre_welfare, "centre_payoff_bargaining": pb.centre_expected_payoff,
                "centre_value_pushdown": task_value * tp.completion_probability,
                "centre_loss_collusion": jb.centre_expected_loss}
    for name, value in expected.items():
        assert float(res[name]) == float(value), name
    total = (pp.centre_welfare + pb.centre_expected_payoff + task_value * tp.completion_probability
             - jb.centre_expected_loss)
    assert float(res.centre_total) == pytest.approx(float(total), rel=1e-12, abs=1e-12)


def test_submodel_errors_name_the_namespaced_parameter():
    with pytest.raises(ParameterError, match="'pleading-poverty.cost_weak'"):
        ContractingStage(**{"pleading-poverty.cost_weak": 1.0})
    with pytest.raises(ParameterError, match="'joint-blame.prob_good'"):
        ContractingStage(**{"joint-blame.prob_good": 3.0})


def test_arrays_of_transparency_equal_scalars():
    taus = np.linspace(0, 1, 7)
    arr = ContractingStage(transparency=taus).solve()
    for i, t in enumerate(taus):
        one = ContractingStage(transparency=t).solve()
        for name in ("centre_total", "information_rent", "quota_shortfall", "completion_probability",
                     "collusion_rate"):
            assert arr[name][i] == pytest.approx(float(one[name]), abs=1e-12), name


def test_value_of_transparency_is_a_table_over_levels():
    table = ContractingStage().value_of_transparency([0, 0.5, 1])
    assert table.levels == [0.0, 0.5, 1.0] and len(table.column("centre_total")) == 3


@settings(max_examples=15)
@given(st.floats(0, 40), st.floats(0, 10))
def test_optimal_transparency_beats_a_fine_grid(kappa, task_value):
    stage = ContractingStage(task_value=task_value)
    best = stage.optimal_transparency(kappa)
    grid = np.linspace(0, 1, 2001)
    totals = stage.with_(transparency=grid).solve().centre_total
    net = totals - kappa * grid**2 / 2
    assert best.net_value >= net.max() - 1e-9
    assert 0 <= best.transparency <= 1
    again = float(stage.with_(transparency=best.transparency).solve().centre_total)
    assert best.net_value == pytest.approx(again - kappa * best.transparency**2 / 2, abs=1e-12)


def test_free_platform_is_used_fully_and_a_costly_one_not_at_all():
    assert ContractingStage().optimal_transparency(0.0).net_value >= float(
        ContractingStage(transparency=1.0).solve().centre_total) - 1e-12
    assert ContractingStage().optimal_transparency(1e6).transparency < 1e-3


@pytest.mark.parametrize("cost", [pytest.param(-1.0, id="negative"), pytest.param(float("nan"), id="nan")])
def test_bad_cost(cost):
    with pytest.raises(ParameterError, match="cost"):
        ContractingStage().optimal_transparency(cost)


# -- the story: the report's closing section and the walkthrough, every number from the model --
def test_story_is_carried_by_the_model():
    from gametheory_aid.models.contracting_stage_story import STORY
    from gametheory_aid.models.story import Figure

    assert ContractingStage.story is STORY
    assert STORY.order == 90 and STORY.thresholds == ()
    assert STORY.figure == Figure(outputs=("centre_total",))
    assert STORY.title == {"en": "The centre's totals across the contracting link", "zh": "发包环节的中央总收益"}
    assert set(STORY.demo_title) == {"en", "zh"}


def test_story_module_does_not_import_the_model_module():
    import ast
    from pathlib import Path

    import gametheory_aid.models.contracting_stage_story as story

    tree = ast.parse(Path(story.__file__).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(m and m.endswith("contracting_stage") for m in imported)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_story_sentences_read_the_optimal_transparency_from_the_analyses(lang):
    from gametheory_aid.models.story import format_number as f

    model = ContractingStage(platform_cost=2.5)
    facts = ContractingStage.story.analyses(model)
    optimal = facts["optimal"]
    assert optimal == model.optimal_transparency()
    table = model.value_of_transparency([0.0, 1.0])
    lines = ContractingStage.story.sentences(table, facts, lang)
    assert len(lines) == 2
    w0, w1 = table.column("centre_total")
    assert f(w0) in lines[0] and f(w1) in lines[0]
    for number in (optimal.platform_cost, optimal.transparency, optimal.net_value, optimal.value_without):
        assert f(number) in lines[1]
    helps = w1 > w0 and f(w1) != f(w0)  # the premise: here more transparency raises the total
    assert helps
    if lang == "en":
        assert lines[0] == (f"The centre's total across the four models rises ({f(w0)} → {f(w1)}) from τ = 0 to "
                            f"τ = 1: transparency helps the centre.")
        assert lines[1].startswith(f"With a platform costing κτ²/2 (κ = {f(2.5)}), the best transparency is τ* = ")
    else:
        assert lines[0] == f"从 τ = 0 到 τ = 1，中央在四个模型中的总收益上升（{f(w0)} → {f(w1)}）：透明度有利于中央。"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_walkthrough_computes_every_number(lang):
    from gametheory_aid.models.story import DemoStep
    from gametheory_aid.models.story import format_number as f

    model = ContractingStage(transparency=0.4, task_value=7.0)
    steps = ContractingStage.story.demo(model, lang)
    assert len(steps) == 4 and all(isinstance(s, DemoStep) and s.heading and s.lines for s in steps)
    r = model.solve()
    without = float(model.with_(transparency=0.0).solve().centre_total)
    full = float(model.with_(transparency=1.0).solve().centre_total)
    optimal = model.optimal_transparency()
    first, second, third, fourth = ("\n".join(s.lines) for s in steps)
    assert f(0.4) in first
    for name in ("information_rent", "quota_shortfall", "completion_probability", "collusion_rate"):
        assert f(r[name]) in first, name
    for name in ("centre_welfare_screening", "centre_payoff_bargaining", "centre_value_pushdown",
                 "centre_loss_collusion", "centre_total"):
        assert f(r[name]) in second, name
    assert f(7.0) in second
    assert f(without) in third and f(full) in third
    assert (f"({f(without)} → {f(full)})" in third) if lang == "en" else (f"（{f(without)} → {f(full)}）" in third)
    assert full > without and (("rises" in third) if lang == "en" else ("上升" in third))
    for number in (optimal.platform_cost, optimal.transparency, optimal.centre_total, optimal.net_value,
                   optimal.value_without):
        assert f(number) in fourth
    text = "\n".join([s.heading for s in steps] + [first, second, third, fourth])
    assert ("transparency" in text) if lang == "en" else ("数字透明" in text)


# -- huge and tiny magnitudes: finite results or a named refusal ------------------------------------


# -- the optimal transparency: exact breakpoints, least tau on ties ---------------------------------
def test_free_platform_optimum_is_exactly_the_least_tau_of_the_flat_top():
    """With platform_cost = 0 the net value is flat from 6/7 upward (pleading-poverty's threshold
    2*6/(2*6 + 2) at the defaults, the last sub-model to settle): tau* is 6/7, not a grid point beside it."""
    stage = ContractingStage(platform_cost=0.0)
    best = stage.optimal_transparency()
    assert best.transparency == 6 / 7
    flat = stage.with_(transparency=np.array([6 / 7, 0.9, 1.0])).solve().centre_total
    assert best.net_value == pytest.approx(float(flat[0]), rel=1e-15)
    assert np.ptp(flat) <= 1e-12 * abs(float(flat[0]))
    assert float(stage.with_(transparency=0.857).solve().centre_total) < best.net_value - 1e-9


def _sub_states(stage, taus):
    """What each sub-model chooses at each tau: regimes, the aider's pleading, the pushdown plan."""
    res = stage.with_(transparency=np.asarray(taus, dtype=float)).solve()
    pp, pb = res["pleading_poverty"], res["poverty_bargaining"]
    tp, jb = res["task_pushdown"], res["joint_blame"]
    return [(str(pp.regime[i]), bool(pb.pleads_poverty[i]), tuple(tp.plan[i].tolist()), str(jb.regime[i]))
            for i in range(len(taus))]


@settings(max_examples=25, deadline=None)
@given(st.floats(0.5, 5), st.floats(0, 3), st.floats(0, 1), st.floats(0, 1), st.floats(1, 8), st.floats(0.05, 1),
       st.integers(1, 5))
def test_every_submodel_keeps_its_choices_between_breakpoints(pp_penalty, pb_rate, support, stickiness, jb_penalty,
                                                             audit_cost, rounds):
    stage = ContractingStage(**{"pleading-poverty.penalty": pp_penalty, "poverty-bargaining.penalty_rate": pb_rate,
                                "task-pushdown.decision_support": support, "task-pushdown.rounds": rounds,
                                "task-pushdown.blame_stickiness": stickiness, "joint-blame.penalty_aider": jb_penalty,
                                "joint-blame.audit_cost": audit_cost})
    breaks = stage.breakpoints()
    assert breaks[0] == 0.0 and breaks[-1] == 1.0 and np.all(np.diff(breaks) > 0)
    for lo, hi in zip(breaks[:-1], breaks[1:], strict=True):
        if hi - lo < 1e-6:
            continue
        inside = [lo + f * (hi - lo) for f in (1e-4, 0.3, 0.7, 1 - 1e-4)]
        states = _sub_states(stage, inside)
        assert all(s == states[0] for s in states), (lo, hi, states)


def test_breakpoints_in_closed_form_by_hand():
    """Each sub-model's breakpoints at hand-checked points."""
    from gametheory_aid.models import contracting_stage as cs

    assert cs._roots_in_unit(1.0, 0.0) == [] and cs._roots_in_unit(1.0, -2.0) == [0.5]
    assert cs._roots_in_unit(1.0, 1.0) == []                         # the root -1 is outside (0, 1)
    # pleading-poverty at the defaults (a = 10, b = 1, theta = 2, 4, nu = 1/2, F = 2): with u = 1 - tau,
    # q^SB = 6 - 2u is never 0 for u <= 1, and the rent 2u (6 - 2u) - 2 (1 - u) = -4u^2 + 14u - 2 vanishes
    # at u = (14 - sqrt(164))/8, i.e. tau = 1 - (7 - sqrt(41))/4
    pp = dict(value_intercept=10.0, value_curvature=1.0, cost_strong=2.0, cost_weak=4.0, prob_strong=0.5,
              penalty=2.0)
    assert cs._screening_breakpoints(pp) == [pytest.approx(1 - (7 - 41 ** 0.5) / 4, rel=1e-14)]
    # a = 3 < theta_w, F = 0: q^SB = 0 at tau = 1.5 and the rent -4u^2 - 2u at u = 0, -1/2: none inside
    assert cs._screening_breakpoints({**pp, "value_intercept": 3.0, "penalty": 0.0}) == []
    # a = theta_w, F = 1: the rent -4u^2 + u - 1 has no real root (1 - 16 < 0); q^SB = 0 only at tau = 1
    assert cs._screening_breakpoints({**pp, "value_intercept": 4.0, "penalty": 1.0}) == []
    # a probability of the strong type near 0 (here subnormal): the rent's u^2 coefficient is ~1e-309,
    # its far root beyond the float range; the near root is that of the linear rest, 2u 6 - 2(1 - u) =
    # 14u - 2 = 0: u = 1/7, tau = 6/7
    tiny = cs._screening_breakpoints({**pp, "prob_strong": 1.1125369292536e-309})
    assert tiny == [pytest.approx(6 / 7, rel=1e-14)]
    assert cs._quadratic_roots(1.0, -3.0, 2.0) == [1.0, 2.0]          # (u - 1)(u - 2)
    assert cs._quadratic_roots(1.0, 0.0, 0.0) == [0.0] and cs._quadratic_roots(1.0, 0.0, 1.0) == []
    # joint-blame without audits' detection (d = 0): no audit boundary at all
    jb = ContractingStage(**{"joint-blame.audit_detection": 0.0}).submodels()["joint-blame"].params
    assert all(0 < t < 1 for t in cs._collusion_breakpoints(jb))
    # task-pushdown, one round, c_U = 1.8: acting gives 0.7 * 6 - 5.8 = -1.6, the lapse -(0.2 + 0.8 tau) 4,
    # equal at tau = 1/4; the Upper passes below it and acts from it on
    stage = ContractingStage(**{"task-pushdown.rounds": 1, "task-pushdown.cost_upper": 1.8})
    (root,) = cs._pushdown_breakpoints(stage.submodels()["task-pushdown"])
    assert root == pytest.approx(0.25, rel=1e-12)
    plans = [state[2] for state in _sub_states(stage, [0.2499, 0.2501])]
    assert plans == [(False,), (True,)]
