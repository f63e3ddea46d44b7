"""The resource-allocation model: the allocation against a numerical optimum, the threshold, properties."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gametheory_aid as gta
from gametheory_aid.core.params import ParameterError

Model = gta.get_model("resource-allocation")


def _slsqp(objective, gradient, start, constraints, scale=1.0):
    """SLSQP on the budget simplex in units of the budget; the answer must be feasible.

    ``scale`` divides the objective so that its gradient is of order one (SLSQP's line search
    stalls on a steep objective).
    """
    from scipy.optimize import minimize

    n = len(start)
    if n == 1:  # the simplex is one point
        return np.ones(1)
    for first, ftol in ((start, 1e-15), (np.full(n, 1.0 / n), 1e-15), (start, 1e-13)):  # restarts if it stalls
        res = minimize(lambda y: objective(y) / scale, first, jac=lambda y: gradient(y) / scale, method="SLSQP",
                       bounds=[(0, None)] * n, constraints=constraints, options={"ftol": ftol, "maxiter": 1000})
        if res.success:
            break
    assert res.success, res.message
    assert np.all(res.x >= -1e-12) and abs(res.x.sum() - 1.0) <= 1e-10
    return res.x


def _budget(n):
    return {"type": "eq", "fun": lambda y: y.sum() - 1.0, "jac": lambda y: np.ones(n)}


def numeric_allocation(budget, share, feedback, m):
    """The aider's optimum by SLSQP (an independent reference)."""
    tilt = feedback / (m * budget)  # U / (m B^2) = tilt . y - |y - s|^2 / 2 + const, with y = x / B
    y = _slsqp(lambda y: 0.5 * np.sum((y - share) ** 2) - tilt @ y, lambda y: (y - share) - tilt, share,
               [_budget(len(share))], scale=max(1.0, np.abs(tilt).max()))
    return budget * y


def numeric_limit(budget, share, feedback):
    """m = 0: the best aider return by linprog, then the point of that face nearest B s (SLSQP).

    As m -> 0+ the aider's optimum tends to the maximiser of the return that departs least from
    the intended allocation.  The optimal face is the set of targets whose reduced cost in the
    linear programme is zero (HiGHS's marginals), the others held at zero.
    """
    from scipy.optimize import linprog

    n = len(share)
    lp = linprog(-feedback, A_eq=np.ones((1, n)), b_eq=[1.0], bounds=[(0, None)] * n, method="highs")
    on_face = np.abs(lp.lower.marginals) <= 1e-12 * max(1.0, feedback.max())
    y = np.zeros(n)
    face_share = share[on_face]
    y[on_face] = _slsqp(lambda z: 0.5 * np.sum((z - face_share) ** 2), lambda z: z - face_share, face_share,
                        [_budget(int(on_face.sum()))])
    return budget * y


def kkt_holds(x, budget, share, feedback, m, tol):
    """KKT conditions of the aider's concave program: x >= 0, sum B, gradient equal on support, lower off it."""
    g = feedback - m * (x - budget * share)
    support = x > tol * budget
    level = g[support].max()
    return (np.all(x >= -tol * budget) and abs(x.sum() - budget) <= tol * budget
            and np.all(np.abs(g[support] - level) <= tol * max(1.0, abs(level)))
            and np.all(g[~support] <= level + tol * max(1.0, abs(level))))


def random_point(rng):
    n = int(rng.integers(1, 7))
    share = rng.dirichlet(np.ones(n))
    share = share / share.sum()
    kind = rng.integers(0, 3)
    if kind == 0:
        feedback = rng.uniform(0, 2, n)
    elif kind == 1:  # ties and zeros
        feedback = rng.choice([0.0, 0.5, 1.0], n)
    else:
        feedback = np.round(rng.uniform(0, 1, n), 1)
    return dict(budget=float(rng.uniform(0.5, 20)), intended_share=share, feedback=feedback,
                norm_cost=float(rng.choice([0.0, rng.uniform(0, 0.5)])), penalty=float(rng.uniform(0, 1)),
                transparency=float(rng.choice([0.0, rng.uniform(0, 1)])))


@pytest.mark.parametrize("seed", range(200))
def test_allocation_is_the_aiders_optimum(seed):
    rng = np.random.default_rng(seed)
    p = random_point(rng)
    res = Model(**p).solve()
    x = np.asarray(res.allocation)
    m = p["norm_cost"] + p["transparency"] * p["penalty"]
    B = p["budget"]
    assert np.all(x >= 0) and x.sum() == pytest.approx(B, rel=1e-12)
    if m > 0:
        assert kkt_holds(x, B, p["intended_share"], p["feedback"], m, 1e-9)
        ref = numeric_allocation(B, p["intended_share"], p["feedback"], m)
    else:  # the limit m -> 0+
        ref = numeric_limit(B, p["intended_share"], p["feedback"])
    np.testing.assert_allclose(x, ref, rtol=1e-7, atol=1e-7 * B)


@pytest.mark.parametrize("p, x", [
    pytest.param(dict(), [0.0, 1.0, 11.0], id="default"),
    pytest.param(dict(norm_cost=0.0), [0.0, 0.0, 12.0], id="m0-top-target"),
    pytest.param(dict(norm_cost=0.0, feedback=[0.0, 1.0, 1.0]), [0.0, 6.0, 6.0], id="m0-tie"),
    pytest.param(dict(norm_cost=0.0, feedback=[1.0, 1.0, 0.0], intended_share=[0.5, 0.25, 0.25]),
                 [7.5, 4.5, 0.0], id="m0-tie-unequal"),
    pytest.param(dict(feedback=[1.0, 1.0, 1.0]), [4.0, 4.0, 4.0], id="equal-feedback"),
    pytest.param(dict(intended_share=[1.0], feedback=[3.0]), [12.0], id="one-target"),
])
def test_allocation_table(p, x):
    assert np.allclose(Model(**p).solve().allocation, x, atol=1e-12)


def bisect_threshold(p, steps=60):
    """The least tau above which no target is marginalised, by bisection on the solver's own output."""
    def clean(tau):
        return int(Model(**{**p, "transparency": tau}).solve().n_marginalised) == 0
    if not clean(1.0):
        return np.inf
    if clean(0.0):
        return 0.0
    lo, hi = 0.0, 1.0
    for _ in range(steps):
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if clean(mid) else (mid, hi)
    return hi


@pytest.mark.parametrize("seed", range(40))
def test_threshold_equals_bisection(seed):
    rng = np.random.default_rng(1000 + seed)
    p = random_point(rng)
    p["norm_cost"] = float(rng.uniform(0, 0.2))
    p["penalty"] = float(rng.uniform(0, 3) * rng.integers(0, 2))
    p.pop("transparency")
    got = float(Model(**p).solve().threshold_transparency)
    ref = bisect_threshold(p)
    if np.isinf(ref):
        assert np.isinf(got)
    else:
        assert got == pytest.approx(ref, abs=1e-8)


def test_default_threshold():
    # M = max_i (rbar - r_i)/(B s_i) = 0.5/4; (M - mu)/kappa = 0.375
    res = Model().solve()
    assert float(res.threshold_transparency) == pytest.approx(0.375)
    assert res.regime == "marginalising"
    assert Model(transparency=0.5).solve().regime == "tilted"
    assert Model(feedback=[1, 1, 1]).solve().regime == "balanced"


@st.composite
def points(draw):
    n = draw(st.integers(1, 6))
    w = np.array(draw(st.lists(st.floats(0.05, 1.0), min_size=n, max_size=n)))
    share = w / w.sum()
    if abs(share.sum() - 1) > 1e-12:
        share[-1] = 1 - share[:-1].sum()
    feedback = np.array(draw(st.lists(st.sampled_from([0.0, 0.3, 0.5, 1.0, 2.0]) | st.floats(0, 3),
                                      min_size=n, max_size=n)))
    return dict(budget=draw(st.floats(0.5, 50)), intended_share=share, feedback=feedback,
                norm_cost=draw(st.floats(0, 1)), penalty=draw(st.floats(0, 2)))


TAUS = np.linspace(0, 1, 41)


@settings(max_examples=60, deadline=None)
@given(points())
def test_properties_in_transparency(p):
    res = Model(**p, transparency=TAUS).solve()
    x = np.asarray(res.allocation)
    B = p["budget"]
    assert np.all(x >= 0)
    assert np.allclose(x.sum(axis=-1), B, rtol=1e-12)
    diverted = np.asarray(res.diverted)
    assert np.all(np.diff(diverted) <= 1e-9 * B)
    marg = np.asarray(res.marginalised)
    assert np.all(marg[1:] <= marg[:-1])  # nested: marginalised at a higher tau => at every lower one
    low = np.flatnonzero(p["feedback"] == p["feedback"].min())
    assert np.all(np.diff(x[:, low], axis=0) >= -1e-9 * B)
    assert np.all(np.asarray(res.aider_gain) >= -1e-9 * B * max(1.0, p["feedback"].max()))


@settings(max_examples=30, deadline=None)
@given(points(), st.floats(0, 3))
def test_equal_feedback_is_balanced(p, level):
    p["feedback"] = np.full_like(p["feedback"], level)
    res = Model(**p, transparency=TAUS).solve()
    assert np.all(res.regime == "balanced")
    assert np.all(np.asarray(res.threshold_transparency) == 0)


@settings(max_examples=30, deadline=None)
@given(points())
def test_equal_shares_marginalise_from_the_bottom(p):
    n = len(p["feedback"])
    p["intended_share"] = np.full(n, 1 / n)
    p["intended_share"][-1] = 1 - p["intended_share"][:-1].sum()
    res = Model(**p, transparency=TAUS).solve()
    marg = np.asarray(res.marginalised)
    r = p["feedback"]
    less = r[None, :] < r[:, None]  # less[i, j]: r_j < r_i
    for row in marg:
        for i in np.flatnonzero(row):
            assert np.all(row[less[i]])


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 5), st.integers(1, 3), st.integers(1, 3), st.integers(0, 2**32 - 1))
def test_array_equals_scalar_for_mixed_leading_shapes(n, rows, cols, seed):
    rng = np.random.default_rng(seed)
    share = rng.dirichlet(np.ones(n), size=(rows, 1))
    feedback = rng.choice([0.0, 0.5, 1.0, rng.uniform(0, 2)], size=(cols, n))  # ties and zeros
    tau = rng.uniform(0, 1, (rows, cols))
    norm_cost = rng.choice([0.0, 0.05], size=(1, cols))  # m = 0 somewhere when penalty is 0
    penalty = rng.choice([0.0, 0.3], size=(rows, 1))
    res = Model(intended_share=share, feedback=feedback, transparency=tau, norm_cost=norm_cost,
                penalty=penalty).solve()
    assert res.shape == (rows, cols) and np.shape(res.allocation) == (rows, cols, n)
    for i in range(rows):
        for j in range(cols):
            one = Model(intended_share=share[i, 0], feedback=feedback[j], transparency=tau[i, j],
                        norm_cost=norm_cost[0, j], penalty=penalty[i, 0]).solve()
            assert one.shape == ()
            for out in Model.outputs:
                np.testing.assert_array_equal(np.asarray(res[out.name])[i, j], np.asarray(one[out.name]),
                                              err_msg=out.name)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 6), st.sampled_from(["length", "sum", "negative", "nan", "inf"]),
       st.sampled_from(["intended_share", "feedback"]), st.integers(0, 2**32 - 1))
def test_bad_vector_input_names_the_parameter(n, defect, name, seed):
    rng = np.random.default_rng(seed)
    good = {"intended_share": rng.dirichlet(np.ones(n)), "feedback": rng.uniform(0, 1, n)}
    bad = good[name].copy()
    k = int(rng.integers(0, n))
    if defect == "length":
        bad = np.append(bad, 0.5)
    elif defect == "sum":
        if name == "feedback":  # feedback need not sum to anything: make it negative instead
            bad[k] = -0.5
        else:
            bad = bad * rng.choice([0.9, 1.1])
    elif defect == "negative":
        bad[k] = -rng.uniform(1e-6, 1)
    else:
        bad[k] = np.nan if defect == "nan" else np.inf
    with pytest.raises(ParameterError) as info:
        Model(**{**good, name: bad})
    assert info.value.name == name and name in str(info.value)


@pytest.mark.parametrize("kw, name", [
    pytest.param(dict(feedback=[0.0, 1.0]), "feedback", id="wrong-length"),
    pytest.param(dict(intended_share=[0.5, 0.3, 0.3]), "intended_share", id="shares-not-one"),
    pytest.param(dict(intended_share=[0.5, 0.6, -0.1]), "intended_share", id="negative-share"),
    pytest.param(dict(intended_share=[0.5, 0.5, 0.0]), "intended_share", id="zero-share"),
    pytest.param(dict(feedback=[0.0, -1.0, 1.0]), "feedback", id="negative-feedback"),
    pytest.param(dict(feedback=[0.0, np.nan, 1.0]), "feedback", id="nan-feedback"),
    pytest.param(dict(intended_share=[np.nan, 0.5, 0.5]), "intended_share", id="nan-share"),
    pytest.param(dict(budget=0.0), "budget", id="zero-budget"),
    pytest.param(dict(transparency=1.5), "transparency", id="tau-above-one"),
])
def test_bad_input_names_the_parameter(kw, name):
    with pytest.raises(ParameterError, match=name):
        Model(**kw)


@pytest.mark.parametrize("seed", range(8))
def test_closed_form_agrees_with_solve(seed):
    rng = np.random.default_rng(77 + seed)
    n = int(rng.integers(1, 4))
    share = rng.dirichlet(np.ones(n))
    share = share / share.sum()
    p = dict(budget=float(rng.uniform(1, 10)), intended_share=share, feedback=rng.uniform(0, 1, n),
             norm_cost=float(rng.uniform(0.01, 0.3)), penalty=float(rng.uniform(0, 1)),
             transparency=float(rng.uniform(0, 1)))
    model = Model(**p)
    sol, res = model.symbolic(), model.solve()
    values = model.scalar_params("the closed form")
    for name in ("diverted", "aider_return", "aider_gain", "threshold_transparency"):
        got = float(sol.lambdify(name)(**values))
        want = float(getattr(res, name))
        assert got == pytest.approx(want, rel=1e-9, abs=1e-9), name
    for i in range(n):
        assert float(sol.lambdify(f"allocation_{i + 1}")(**values)) == pytest.approx(
            float(np.asarray(res.allocation)[i]), rel=1e-9, abs=1e-9)


def test_sweep_over_transparency_and_the_weakest_feedback():
    pytest.importorskip("pandas")
    from gametheory_aid.analysis import sweep

    taus, weakest = np.linspace(0, 1, 5), np.array([0.0, 0.25, 0.5])
    frame = sweep("resource-allocation", grid={"transparency": taus, "feedback[0]": weakest})
    assert len(frame) == 15
    assert {"allocation[0]", "allocation[2]", "marginalised[0]", "diverted", "regime"} <= set(frame.columns)
    for k in range(len(frame)):
        tau, r0 = float(frame["transparency"].iloc[k]), float(frame["feedback[0]"].iloc[k])
        one = Model(transparency=tau, feedback=[r0, 0.5, 1.0]).solve()
        assert float(frame["diverted"].iloc[k]) == float(one.diverted)
        assert [float(frame[f"allocation[{i}]"].iloc[k]) for i in range(3)] == list(np.asarray(one.allocation))
        assert frame["regime"].iloc[k] == one.regime


def test_sweeping_one_intended_share_alone_is_refused():
    from gametheory_aid.analysis import sweep

    with pytest.raises(ParameterError, match="shares summing to 1"):
        sweep("resource-allocation", grid={"intended_share[0]": [0.2, 0.4]})


def test_sobol_indices_of_the_diverted_amount():
    pytest.importorskip("SALib")
    from gametheory_aid.analysis import sensitivity

    result = sensitivity("resource-allocation", {"transparency": (0, 1), "feedback[0]": (0, 1)}, n=256,
                         outputs=["diverted"])
    table = result.indices.set_index("parameter")
    assert set(table.index) == {"transparency", "feedback[0]"}
    assert np.all(np.isfinite(table["ST"]))
    # both move the diverted amount: transparency through m, the weakest feedback through M
    assert table.loc["transparency", "ST"] > 0.05 and table.loc["feedback[0]", "ST"] > 0.05


@pytest.mark.parametrize("spelling", ["feedback=0,0.5,2", "feedback=[0, 0.5, 2]"])
def test_cli_accepts_vector_values(spelling, capsys):
    import json

    from gametheory_aid import cli

    assert cli.main(["solve", "resource-allocation", "--set", spelling, "--set", "transparency=0.5",
                     "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    want = Model(feedback=[0, 0.5, 2], transparency=0.5).solve()
    assert doc["equilibrium"]["allocation"] == list(np.asarray(want.allocation))
    assert doc["equilibrium"]["regime"] == want.regime


def test_cli_bad_vector_is_one_line_and_exit_2(capsys):
    from gametheory_aid import cli

    assert cli.main(["solve", "resource-allocation", "--set", "intended_share=0.5,0.3,0.3"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "intended_share" in err and "sum" in err


@pytest.mark.parametrize("params, says", [
    pytest.param({}, ["target 1 is pushed to the margin", "no target is marginalised", "Above τ = 0.375"],
                 id="defaults"),
    pytest.param({"feedback": [1.0, 1.0, 1.0]}, ["No target is marginalised at any transparency"], id="equal"),
    pytest.param({"penalty": 0.0}, ["Even full transparency leaves some target marginalised"], id="no-penalty"),
    pytest.param({"norm_cost": 0.0, "feedback": [0.0, 0.0, 1.0]}, ["targets 1, 2 are pushed"], id="two-out"),
])
def test_story_sentences_follow_the_numbers(params, says):
    model = Model(**params)
    table = model.compare([0.0, 1.0])
    facts = {"threshold_transparency": float(model.solve().threshold_transparency)}
    text = " ".join(Model.story.sentences(table, facts, "en"))
    for phrase in says:
        assert phrase in text, (phrase, text)
    assert len(Model.story.sentences(table, facts, "zh")) == len(Model.story.sentences(table, facts, "en"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_demo_walkthrough_reads_the_solution(lang):
    model = Model(transparency=0.0)
    steps = Model.story.demo(model, lang)
    text = "\n".join(line for step in steps for line in step.lines)
    assert "(0, 1, 11)" in text and "(2, 4, 6)" in text and "0.375" in text


# -- huge and tiny magnitudes: finite results or a named refusal ------------------------------------


def test_feedback_beyond_the_float_range_is_refused_by_name():
    """r = 1e308 on every target: the aider's return sum r x overflows; refused, not returned as inf."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ParameterError, match="'feedback' = 1e\\+308.*float64 range.*'aider_return'") as err:
            gta.get_model("resource-allocation")(feedback=[1e308, 1e308, 1e308]).solve()
    assert err.value.name == "feedback"
    # at moderate magnitudes the same point is finite: x = B s, U = r B
    r = gta.get_model("resource-allocation")(feedback=[1e150, 1e150, 1e150]).solve()
    assert float(r.aider_return) == pytest.approx(12e150, rel=1e-12)


def test_an_intended_share_above_one_is_refused_without_a_warning():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ParameterError, match="'intended_share' = 1e\\+308 is outside its domain \\(0, 1\\]"):
            gta.get_model("resource-allocation")(intended_share=[1e308, 1e308, 1e308])


@settings(max_examples=60)
@given(st.integers(2, 4).flatmap(lambda n: st.tuples(
    st.lists(st.integers(0, 20).map(lambda i: i / 10), min_size=n, max_size=n),
    st.integers(0, 10).map(lambda i: i / 100), st.integers(1, 10).map(lambda i: i / 10))))
def test_no_target_marginalised_just_above_the_threshold(point):
    """Above the model's own threshold_transparency (the open interval (tau_bar, 1]) every target is funded."""
    feedback, mu, kappa = point
    n = len(feedback)
    p = dict(intended_share=[1 / n] * n, feedback=feedback, norm_cost=mu, penalty=kappa)
    model = gta.get_model("resource-allocation")
    threshold = float(model(**p).solve().threshold_transparency)
    if np.isfinite(threshold) and threshold < 1:
        # exactly there: the next float above the threshold, not a margin that hides rounding
        above = float(np.nextafter(threshold, 2.0))
        assert int(model(**p, transparency=above).solve().n_marginalised) == 0
    if 0 < threshold <= 1:  # and at the threshold itself the worst target gets nothing
        assert int(model(**p, transparency=threshold).solve().n_marginalised) >= 1


@settings(max_examples=80)
@given(st.integers(2, 5).flatmap(lambda n: st.tuples(
    st.lists(st.floats(0.05, 1.0), min_size=n, max_size=n),
    st.lists(st.floats(0.0, 3.0), min_size=n, max_size=n),
    st.floats(0.0, 0.5), st.floats(0.01, 5.0), st.floats(0.5, 50.0))))
def test_the_threshold_is_exact_one_ulp_either_side(point):
    """At the next float above threshold_transparency no target is marginalised; at it, one is."""
    weights, feedback, mu, kappa, budget = point
    shares = np.asarray(weights) / np.sum(weights)
    shares = (shares / shares.sum()).tolist()
    p = dict(intended_share=shares, feedback=feedback, norm_cost=mu, penalty=kappa, budget=budget)
    model = gta.get_model("resource-allocation")
    threshold = float(model(**p).solve().threshold_transparency)
    if np.isfinite(threshold) and threshold < 1:
        above = float(np.nextafter(threshold, 2.0))
        res = model(**p, transparency=above).solve()
        assert int(res.n_marginalised) == 0 and not np.any(res.marginalised)
        assert str(res.regime) != "marginalising"
    if 0 < threshold <= 1:
        res = model(**p, transparency=threshold).solve()
        assert int(res.n_marginalised) >= 1 and str(res.regime) == "marginalising"
