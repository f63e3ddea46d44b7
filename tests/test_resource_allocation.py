"""The resource-allocation model: the allocation against a numerical optimum, the threshold, properties."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gametheory_aid as gta
from gametheory_aid.core.params import ParameterError

Model = gta.get_model("resource-allocation")


def numeric_allocation(budget, share, feedback, m):
    """The aider's optimum by SLSQP (an independent reference)."""
    from scipy.optimize import minimize

    intended = budget * share
    n = len(share)

    def loss(x):
        return -(feedback @ x - 0.5 * m * np.sum((x - intended) ** 2))

    def grad(x):
        return -(feedback - m * (x - intended))

    res = minimize(loss, intended, jac=grad, method="SLSQP", bounds=[(0, None)] * n,
                   constraints=[{"type": "eq", "fun": lambda x: x.sum() - budget, "jac": lambda x: np.ones(n)}],
                   options={"ftol": 1e-15, "maxiter": 1000})
    return res.x


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


@pytest.mark.parametrize("seed", range(60))
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
        u = lambda y: p["feedback"] @ y - 0.5 * m * np.sum((y - B * p["intended_share"]) ** 2)  # noqa: E731
        # the exact optimum is at least as good as the solver's, and equal to it up to its accuracy
        assert u(x) >= u(ref) - 1e-9 * max(1.0, abs(u(x)))
        assert np.allclose(x, ref, rtol=1e-5, atol=1e-5 * B)
    else:
        # m = 0: the limit m -> 0+, checked against the projection at a tiny m
        near = Model(**{**p, "norm_cost": 1e-9, "penalty": 0.0}).solve()
        assert np.allclose(x, near.allocation, rtol=0, atol=1e-6 * B)


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


def test_array_equals_scalar_for_mixed_leading_shapes():
    rng = np.random.default_rng(5)
    share = rng.dirichlet(np.ones(4), size=(2, 1))
    share = share / share.sum(axis=-1, keepdims=True)
    feedback = rng.uniform(0, 1, (3, 4))
    tau = rng.uniform(0, 1, (2, 3))
    res = Model(intended_share=share, feedback=feedback, transparency=tau).solve()
    assert np.shape(res.allocation) == (2, 3, 4)
    for i in range(2):
        for j in range(3):
            one = Model(intended_share=share[i, 0], feedback=feedback[j], transparency=tau[i, j]).solve()
            for name in ("allocation", "marginalised", "diverted", "aider_gain", "threshold_transparency"):
                assert np.array_equal(np.asarray(getattr(res, name))[i, j], np.asarray(getattr(one, name)))
            assert res.regime[i, j] == one.regime


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
