"""The strategy-portfolio model: intensities against numerical optima, derivatives, targeting, properties."""
from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gametheory_aid as gta
from gametheory_aid.core.params import ParameterError

Model = gta.get_model("strategy-portfolio")


# -- independent references ----------------------------------------------------------------------
def net_gain(p):
    """g_k = b_k - p_k F_k with p_k = 1 - (1 - tau)(1 - tau_k), written out independently."""
    detection = 1 - (1 - p["transparency"]) * (1 - np.asarray(p["channel_transparency"], float))
    return np.asarray(p["gain"], float) - detection * np.asarray(p["fine"], float)


def K(n, kappa):
    return (1 - kappa) * np.eye(n) + kappa * np.ones((n, n))


def numeric_intensity(g, kappa):
    """The aider's optimum by SLSQP with bounds e >= 0 (an independent reference), on the scaled problem.

    With s = max(1, max |g|) and e = s y: U / s^2 = (g/s).y - y'Ky/2.
    """
    from scipy.optimize import minimize

    n = len(g)
    s = max(1.0, float(np.max(np.abs(g))))
    q, M = g / s, K(n, kappa)
    res = minimize(lambda y: 0.5 * y @ M @ y - q @ y, np.maximum(q, 0), jac=lambda y: M @ y - q, method="SLSQP",
                   bounds=[(0, None)] * n, options={"ftol": 1e-16, "maxiter": 2000})
    assert res.success, res.message
    return s * res.x


def kkt_enumeration(g, kappa):
    """The aider's optimum by enumerating active sets and solving K_A e_A = g_A (numpy.linalg), KKT-checked."""
    n = len(g)
    M = K(n, kappa)
    scale = max(1.0, float(np.max(np.abs(g))))
    for size in range(n + 1):
        for A in combinations(range(n), size):
            e = np.zeros(n)
            if A:
                e[list(A)] = np.linalg.solve(M[np.ix_(A, A)], g[list(A)])
            residual = g - M @ e
            if np.all(e >= -1e-12 * scale) and np.all(residual <= 1e-10 * scale):
                return e
    raise AssertionError("no active set satisfies the KKT conditions")


def kkt_holds(e, g, kappa, tol):
    """KKT of max g.e - e'Ke/2, e >= 0: gradient zero where e > 0, non-positive where e = 0."""
    r = g - K(len(g), kappa) @ e
    scale = max(1.0, float(np.max(np.abs(g))))
    return np.all(e >= 0) and np.all(np.abs(r[e > 0]) <= tol * scale) and np.all(r[e == 0] <= tol * scale)


def lowest_kappa(n):
    return -1.0 / (n - 1) if n > 1 else -5.0


def random_point(rng, n=None):
    n = int(rng.integers(1, 6)) if n is None else n
    kind = rng.integers(0, 4)
    if kind == 0:      # substitutes
        kappa = float(rng.uniform(0, 0.95))
    elif kind == 1:    # complements, down to near -1/(n-1)
        kappa = float(rng.uniform(lowest_kappa(n) * 0.97, 0))
    elif kind == 2:    # exactly independent
        kappa = 0.0
    else:
        kappa = float(rng.uniform(lowest_kappa(n) * 0.9, 0.9))
    gain = rng.uniform(0, 3, n)
    fine = rng.uniform(0, 5, n) * (rng.random(n) < 0.8)          # some zero fines
    if rng.random() < 0.3:                                         # ties
        gain = rng.choice([0.0, 1.0, 2.0], n)
        fine = rng.choice([0.0, 1.0, 2.0], n)
    channel = rng.uniform(0, 1, n) * (rng.random(n) < 0.5)
    if rng.random() < 0.2:
        channel[rng.integers(0, n)] = 1.0
    return dict(gain=gain, fine=fine, harm=rng.uniform(0, 2, n), substitution=kappa,
                transparency=float(rng.choice([0.0, rng.uniform(0, 1)])), channel_transparency=channel)


# -- the intensities -------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(300))
def test_intensities_are_the_aiders_optimum(seed):
    rng = np.random.default_rng(seed)
    p = random_point(rng)
    res = Model(**p).solve()
    e = np.asarray(res.intensity)
    g = net_gain(p)
    scale = max(1.0, float(np.max(np.abs(g))))
    assert kkt_holds(e, g, p["substitution"], 1e-9)
    np.testing.assert_allclose(e, numeric_intensity(g, p["substitution"]), rtol=0, atol=1e-7 * scale)
    np.testing.assert_allclose(e, kkt_enumeration(g, p["substitution"]), rtol=0, atol=1e-9 * scale)
    assert np.array_equal(np.asarray(res.active), e > 1e-12 * scale)
    # the outputs that follow from e
    assert float(res.total_evasion) == pytest.approx(e.sum(), abs=1e-12 * scale)
    assert float(res.centre_harm) == pytest.approx(p["harm"] @ e, abs=1e-12 * scale)
    payoff = g @ e - 0.5 * e @ K(len(g), p["substitution"]) @ e
    assert float(res.aider_payoff) == pytest.approx(payoff, rel=1e-9, abs=1e-9 * scale)
    np.testing.assert_allclose(res.detection, 1 - (1 - p["transparency"]) * (1 - p["channel_transparency"]),
                               rtol=0, atol=1e-15)


@pytest.mark.parametrize("p, e", [
    # defaults: g = b = (3, 2.5, 2, 1.5); all four active: D_4 = 1 - 1/4 + 4/4 = 7/4, S = 9/(7/4) = 36/7,
    # kappa S = 9/7, e_k = (b_k - 9/7)/(3/4) = (16/7, 34/21, 20/21, 2/7)
    pytest.param(dict(), [16 / 7, 34 / 21, 20 / 21, 2 / 7], id="defaults"),
    # n = 1, any kappa < 1: K = 1, e = max(0, g) = 1 - (1/4) 2 = 1/2
    pytest.param(dict(gain=[1.0], fine=[2.0], harm=[1.0], channel_transparency=[0.0], substitution=-5.0,
                      transparency=0.25), [0.5], id="one-channel"),
    # kappa = 0: independent channels, e = max(0, g); g = (1.5 - 1, 1 - 1) = (0.5, 0)
    pytest.param(dict(gain=[1.5, 1.0], fine=[2.0, 2.0], harm=[1.0, 1.0], channel_transparency=[0.0, 0.0],
                      substitution=0.0, transparency=0.5), [0.5, 0.0], id="independent"),
    # tau = 0.8 on the defaults: p = 0.8, g = b - 3.2 < 0 everywhere: deterred
    pytest.param(dict(transparency=0.8), [0.0, 0.0, 0.0, 0.0], id="full-deterrence"),
    # complements kappa = -1/2, g = (1 - 0.6, 0.5 - 0.6) = (0.4, -0.1): D_2 = 1 + kappa = 1/2,
    # S = 0.3/0.5 = 0.6, kappa S = -0.3, e = (0.4 + 0.3, -0.1 + 0.3)/1.5 = (7/15, 2/15): the channel with a
    # negative net gain is active
    pytest.param(dict(gain=[1.0, 0.5], fine=[1.0, 1.0], harm=[1.0, 1.0], channel_transparency=[0.0, 0.0],
                      substitution=-0.5, transparency=0.6), [7 / 15, 2 / 15], id="complements"),
    # a channel tool: tau_1 = 1/2 on the defaults: g = (1, 2.5, 2, 1.5); all active would give
    # S = 7/(7/4) = 4, kappa S = 1, e_1 = 0 (boundary); with A = {2, 3, 4}: D_3 = 3/2, S = 6/(3/2) = 4,
    # kappa S = 1 >= g_1 = 1, e = (0, 2, 4/3, 2/3)
    pytest.param(dict(channel_transparency=[0.5, 0, 0, 0]), [0.0, 2.0, 4 / 3, 2 / 3], id="channel-tool"),
])
def test_intensity_table(p, e):
    np.testing.assert_allclose(Model(**p).solve().intensity, e, rtol=0, atol=1e-12)


@pytest.mark.parametrize("p, want", [
    # defaults (see test_intensity_table): harm = S = 36/7; payoff = g.e/2 = (3 16/7 + 2.5 34/21 + 2 20/21
    # + 1.5 2/7)/2 = 278/42 = 139/21; uniform = -sum F_k (1 - tau_k)/D_4 = -16/(7/4) = -64/7; threshold =
    # max_k b_k/F_k = 3/4
    pytest.param(dict(), dict(total_evasion=36 / 7, centre_harm=36 / 7, aider_payoff=139 / 21,
                              uniform_effect=-64 / 7, regime="full", deterrence_threshold=0.75), id="defaults"),
    # n = 1: e = 1/2, payoff 1/8, uniform -F (1 - tau_1)/D_1 = -2, threshold b/F = 1/2
    pytest.param(dict(gain=[1.0], fine=[2.0], harm=[3.0], channel_transparency=[0.0], substitution=-5.0,
                      transparency=0.25),
                 dict(total_evasion=0.5, centre_harm=1.5, aider_payoff=0.125, uniform_effect=-2.0, regime="full",
                      deterrence_threshold=0.5), id="one-channel"),
    # kappa = 0: e = (1/2, 0), payoff g.e/2 = 1/8, uniform -F_1 = -2 (A = {1}), threshold max(3/4, 1/2)
    pytest.param(dict(gain=[1.5, 1.0], fine=[2.0, 2.0], harm=[1.0, 1.0], channel_transparency=[0.0, 0.0],
                      substitution=0.0, transparency=0.5),
                 dict(total_evasion=0.5, centre_harm=0.5, aider_payoff=0.125, uniform_effect=-2.0, regime="partial",
                      deterrence_threshold=0.75), id="independent"),
    pytest.param(dict(transparency=0.8), dict(total_evasion=0.0, centre_harm=0.0, aider_payoff=0.0,
                                              uniform_effect=0.0, regime="deterred", deterrence_threshold=0.75),
                 id="full-deterrence"),
    # complements: e = (7/15, 2/15), payoff (0.4 7/15 - 0.1 2/15)/2 = 13/150, uniform -(1 + 1)/(1/2) = -4,
    # threshold max(1/1, 0.5/1) = 1
    pytest.param(dict(gain=[1.0, 0.5], fine=[1.0, 1.0], harm=[1.0, 1.0], channel_transparency=[0.0, 0.0],
                      substitution=-0.5, transparency=0.6),
                 dict(total_evasion=0.6, centre_harm=0.6, aider_payoff=13 / 150, uniform_effect=-4.0, regime="full",
                      deterrence_threshold=1.0), id="complements"),
    # a fine below the gain: even certain detection leaves b_1 - F_1 = 1 > 0: no threshold
    pytest.param(dict(fine=[2.0, 4.0, 4.0, 4.0]), dict(deterrence_threshold=np.inf), id="never-deterred"),
    # tau_1 = 1 with b_1 <= F_1 and b_2 = 0: t_1 = 0 and t_2 = 0; t_3 = (2 - 0)/4 = 1/2
    pytest.param(dict(gain=[3.0, 0.0, 2.0], fine=[4.0, 0.0, 4.0], harm=[1.0, 1.0, 1.0],
                      channel_transparency=[1.0, 0.0, 0.0]), dict(deterrence_threshold=0.5), id="threshold-edges"),
    # b_1 = 4.0004 just above F_1 = 4: t_1 = 1.0001 > 1, so no threshold
    pytest.param(dict(gain=[4.0004, 2.5, 2.0, 1.5]), dict(deterrence_threshold=np.inf), id="never-deterred-barely"),
    # zero fine with a positive gain: never deterred
    pytest.param(dict(gain=[1.0, 1.0], fine=[0.0, 1.0], harm=[1.0, 1.0], channel_transparency=[0.0, 0.0]),
                 dict(deterrence_threshold=np.inf), id="zero-fine"),
])
def test_outputs_table(p, want):
    res = Model(**p).solve()
    for name, value in want.items():
        got = getattr(res, name)
        if isinstance(value, str):
            assert got == value, name
        else:
            assert float(got) == pytest.approx(value, abs=1e-12), name


@pytest.mark.parametrize("p, diagonal, off", [
    # defaults: d e_j / d tau_k = -F_k (1 - tau)(delta_jk - kappa/D)/(1 - kappa) = -(16/3)(delta_jk - 1/7)
    pytest.param(dict(), -32 / 7, 16 / 21, id="defaults"),
    # complements: F (1 - tau) = 0.4, kappa/D = -1: diagonal -0.4 * 2/1.5, off-diagonal -0.4/1.5
    pytest.param(dict(gain=[1.0, 0.5], fine=[1.0, 1.0], harm=[1.0, 1.0], channel_transparency=[0.0, 0.0],
                      substitution=-0.5, transparency=0.6), -8 / 15, -4 / 15, id="complements"),
])
def test_displacement_table(p, diagonal, off):
    d = np.asarray(Model(**p).solve().displacement)
    n = d.shape[0]
    np.testing.assert_allclose(np.diag(d), diagonal, atol=1e-12)
    np.testing.assert_allclose(d[~np.eye(n, dtype=bool)], off, atol=1e-12)


def test_inactive_channels_have_zero_rows_and_columns():
    # tau_1 = 1/2 pushes channel 1 out (see test_intensity_table): its row and column are zero
    d = np.asarray(Model(channel_transparency=[0.5, 0, 0, 0]).solve().displacement)
    assert np.all(d[0] == 0) and np.all(d[:, 0] == 0)
    # A = {2, 3, 4}, D_3 = 3/2: off-diagonal (16/3)(1/6) = 8/9, diagonal -(16/3)(5/6) = -40/9
    np.testing.assert_allclose(d[1:, 1:], np.full((3, 3), 8 / 9) - 48 / 9 * np.eye(3), atol=1e-12)


# -- derivatives against finite differences of the solver's own intensities -------------------------
def _derivative_point(rng):
    p = random_point(rng)
    p["transparency"] = float(rng.uniform(0.01, 0.99))
    p["channel_transparency"] = rng.uniform(0.01, 0.99, len(p["gain"]))
    return p


@pytest.mark.parametrize("seed", range(60))
def test_derivatives_equal_finite_differences(seed):
    rng = np.random.default_rng(5000 + seed)
    p = _derivative_point(rng)
    n = len(p["gain"])
    res = Model(**p).solve()
    step = 1e-6
    checked = 0
    for k in range(n):
        lo, hi = dict(p), dict(p)
        lo["channel_transparency"] = p["channel_transparency"].copy()
        hi["channel_transparency"] = p["channel_transparency"].copy()
        lo["channel_transparency"][k] -= step
        hi["channel_transparency"][k] += step
        r_lo, r_hi = Model(**lo).solve(), Model(**hi).solve()
        if not (np.array_equal(r_lo.active, res.active) and np.array_equal(r_hi.active, res.active)):
            continue  # the active set changes within the step
        fd = (np.asarray(r_hi.intensity) - np.asarray(r_lo.intensity)) / (2 * step)
        np.testing.assert_allclose(np.asarray(res.displacement)[:, k], fd, rtol=1e-5, atol=1e-5)
        checked += 1
    lo, hi = Model(**{**p, "transparency": p["transparency"] - step}), Model(**{**p, "transparency": p["transparency"]
                                                                                    + step})
    r_lo, r_hi = lo.solve(), hi.solve()
    if np.array_equal(r_lo.active, res.active) and np.array_equal(r_hi.active, res.active):
        fd = (float(r_hi.total_evasion) - float(r_lo.total_evasion)) / (2 * step)
        assert float(res.uniform_effect) == pytest.approx(fd, rel=1e-5, abs=1e-5)
        checked += 1


def test_derivatives_are_checked_often():
    """The finite-difference test above is not vacuous: most points keep their active set."""
    kept = 0
    for seed in range(60):
        p = _derivative_point(np.random.default_rng(5000 + seed))
        res = Model(**p).solve()
        hi = Model(**{**p, "transparency": p["transparency"] + 1e-6}).solve()
        kept += bool(np.any(res.active)) and np.array_equal(hi.active, res.active)
    assert kept >= 20


# -- hypothesis properties -------------------------------------------------------------------------
@st.composite
def points(draw, n=None, kappa=None):
    n = draw(st.integers(1, 5)) if n is None else n
    vec = st.lists(st.just(0.0) | st.sampled_from([1.0, 2.0]) | st.floats(1e-3, 4), min_size=n,
                   max_size=n).map(np.array)
    low = lowest_kappa(n)
    k = draw(st.floats(low * 0.99, 0.99)) if kappa is None else draw(kappa)
    return dict(gain=draw(vec), fine=draw(vec), harm=draw(vec), substitution=k,
                transparency=draw(st.floats(0, 1)),
                channel_transparency=draw(st.lists(st.floats(0, 1), min_size=n, max_size=n).map(np.array)))


@settings(max_examples=150, deadline=None)
@given(points())
def test_invariants(p):
    res = Model(**p).solve()
    e = np.asarray(res.intensity)
    assert np.all(e >= 0) and np.all(np.isfinite(e))
    assert np.all((np.asarray(res.detection) >= 0) & (np.asarray(res.detection) <= 1))
    assert float(res.centre_harm) >= 0 and float(res.aider_payoff) >= 0
    assert float(res.uniform_effect) <= 0
    assert np.array_equal(e > 0, np.asarray(res.active))
    count = int(np.count_nonzero(res.active))
    assert str(res.regime) == ("deterred" if count == 0 else "full" if count == len(e) else "partial")
    d = np.asarray(res.displacement)
    inactive = ~np.asarray(res.active)
    assert np.all(d[inactive] == 0) and np.all(d[:, inactive] == 0)
    assert np.all(np.diag(d) <= 0)


@settings(max_examples=100, deadline=None)
@given(points(kappa=st.floats(0.01, 0.99)), st.data())
def test_substitutes_displace_and_complements_drag(p, data):
    p["fine"] = p["fine"] + 0.1       # F_k > 0
    p["transparency"] = min(p["transparency"], 0.99)  # tau < 1
    if data.draw(st.booleans()):      # complements instead
        n = len(p["gain"])
        p["substitution"] = -data.draw(st.floats(0.01, 0.99)) * (1.0 / (n - 1) if n > 1 else 5.0)
    res = Model(**p).solve()
    d = np.asarray(res.displacement)
    A = np.flatnonzero(res.active)
    off = [d[j, k] for j in A for k in A if j != k]
    if p["substitution"] > 0:
        assert all(x > 0 for x in off)
    else:
        assert all(x < 0 for x in off)


@settings(max_examples=150, deadline=None)
@given(points())
def test_deterred_at_and_above_the_threshold(p):
    thr = float(Model(**p).solve().deterrence_threshold)
    if np.isinf(thr):  # some g_k > 0 even at tau = 1 (used, unless within the activity tolerance)
        g = net_gain({**p, "transparency": 1.0})
        assert g.max() > 0
        if g.max() > 1e-9:
            assert np.any(np.asarray(Model(**{**p, "transparency": 1.0}).solve().active))
        return
    levels = np.concatenate([[thr], np.linspace(thr, 1, 7)])
    res = Model(**{**p, "transparency": levels}).solve()
    assert np.all(np.asarray(res.intensity) == 0)
    assert np.all(res.regime == "deterred")
    if thr > 1e-6:  # just below, some channel is used: g_k(thr - d) = F_k (1 - tau_k) d > 0 for the binding k
        room = p["fine"] * (1 - p["channel_transparency"])
        with np.errstate(divide="ignore", invalid="ignore"):
            level = np.where(room > 0, (p["gain"] - p["fine"] * p["channel_transparency"]) / room, -np.inf)
        k = int(np.argmax(level))
        if room[k] * 1e-6 > 1e-9:  # well conditioned (the quotient cancels when tau_k is near 1)
            assert level[k] == pytest.approx(thr, rel=1e-9, abs=1e-12)
            below = Model(**{**p, "transparency": thr - 1e-6}).solve()
            assert net_gain({**p, "transparency": thr - 1e-6})[k] > 0
            assert np.any(np.asarray(below.intensity) > 0)


def test_array_equals_scalar_for_mixed_leading_shapes():
    rng = np.random.default_rng(11)
    n = 4
    gain = rng.uniform(0, 3, (2, 1, n))
    fine = rng.uniform(0, 5, (3, n))
    channel = rng.uniform(0, 1, (2, 3, n)) * (rng.random((2, 3, n)) < 0.5)
    kappa = rng.uniform(-0.3, 0.9, (2, 1))
    tau = rng.uniform(0, 1, (1, 3))
    res = Model(gain=gain, fine=fine, channel_transparency=channel, substitution=kappa, transparency=tau).solve()
    assert np.shape(res.intensity) == (2, 3, n) and np.shape(res.displacement) == (2, 3, n, n)
    assert np.shape(res.total_evasion) == (2, 3)
    for i in range(2):
        for j in range(3):
            one = Model(gain=gain[i, 0], fine=fine[j], channel_transparency=channel[i, j],
                        substitution=float(kappa[i, 0]), transparency=float(tau[0, j])).solve()
            for name in ("intensity", "active", "total_evasion", "centre_harm", "aider_payoff", "detection",
                         "displacement", "uniform_effect", "deterrence_threshold"):
                assert np.array_equal(np.asarray(getattr(res, name))[i, j], np.asarray(getattr(one, name))), name
            assert res.regime[i, j] == one.regime


def test_large_inputs_are_solved_in_blocks_like_small_ones():
    rng = np.random.default_rng(3)
    m, n = Model.block_size + 77, 3
    p = dict(gain=rng.uniform(0, 3, (m, n)), fine=rng.uniform(0, 5, (m, n)), harm=rng.uniform(0, 2, (m, n)),
             substitution=rng.uniform(-0.45, 0.9, m), transparency=rng.uniform(0, 1, m),
             channel_transparency=rng.uniform(0, 1, (m, n)))
    big = Model(**p).solve()
    tail = Model(**{k: v[-100:] for k, v in p.items()}).solve()
    for name in ("intensity", "displacement", "deterrence_threshold", "uniform_effect"):
        assert np.array_equal(np.asarray(big[name])[-100:], np.asarray(tail[name])), name


@pytest.mark.parametrize("kw, name", [
    pytest.param(dict(substitution=-0.34), "substitution", id="kappa-below-minus-third-n4"),
    pytest.param(dict(substitution=-1 / 3), "substitution", id="kappa-at-minus-third-n4"),
    pytest.param(dict(substitution=1.0), "substitution", id="kappa-one"),
    pytest.param(dict(gain=[1, 1], fine=[1, 1], harm=[1, 1], channel_transparency=[0, 0], substitution=-1.0),
                 "substitution", id="kappa-minus-one-n2"),
    pytest.param(dict(substitution=np.array([0.2, -0.5])), "substitution", id="kappa-array-one-bad"),
    pytest.param(dict(fine=[4.0, 4.0, 4.0]), "fine", id="unequal-lengths"),
    pytest.param(dict(harm=[1.0, 1.0]), "harm", id="unequal-lengths-harm"),
    pytest.param(dict(gain=[3.0, np.nan, 2.0, 1.5]), "gain", id="nan-gain"),
    pytest.param(dict(substitution=np.nan), "substitution", id="nan-kappa"),
    pytest.param(dict(fine=[4.0, -1.0, 4.0, 4.0]), "fine", id="negative-fine"),
    pytest.param(dict(harm=[1.0, 1.0, -0.5, 1.0]), "harm", id="negative-harm"),
    pytest.param(dict(channel_transparency=[0.0, 1.5, 0.0, 0.0]), "channel_transparency", id="tau-k-above-one"),
    pytest.param(dict(channel_transparency=[0.0, -0.1, 0.0, 0.0]), "channel_transparency", id="tau-k-negative"),
    pytest.param(dict(transparency=np.inf), "transparency", id="inf-tau"),
])
def test_bad_input_names_the_parameter(kw, name):
    with pytest.raises(ParameterError, match=name) as info:
        Model(**kw)
    assert info.value.name == name


@pytest.mark.parametrize("seed", range(6))
def test_many_channels_use_the_general_sort(seed):
    # n > 8 channels: np.sort instead of a sorting network
    rng = np.random.default_rng(600 + seed)
    p = random_point(rng, n=int(rng.integers(9, 11)))
    e = np.asarray(Model(**p).solve().intensity)
    g = net_gain(p)
    scale = max(1.0, float(np.max(np.abs(g))))
    assert kkt_holds(e, g, p["substitution"], 1e-9)
    np.testing.assert_allclose(e, kkt_enumeration(g, p["substitution"]), rtol=0, atol=1e-9 * scale)


def test_any_kappa_below_one_when_n_is_one():
    res = Model(gain=[2.0], fine=[1.0], harm=[1.0], channel_transparency=[0.0], substitution=-100.0).solve()
    assert float(np.asarray(res.intensity)[0]) == pytest.approx(2.0)


def test_kappa_just_inside_the_range():
    res = Model(substitution=-1 / 3 + 1e-9).solve()
    assert np.all(np.isfinite(res.intensity))


# -- the closed form ------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(6))
def test_closed_form_agrees_with_solve(seed):
    rng = np.random.default_rng(900 + seed)
    p = random_point(rng, n=int(rng.integers(1, 4)))
    model = Model(**p)
    sol, res = model.symbolic(), model.solve()
    values = model.scalar_params("the closed form")
    n = len(p["gain"])
    e, d = np.asarray(res.intensity), np.asarray(res.displacement)
    for k in range(n):
        assert float(sol.lambdify(f"intensity_{k + 1}")(**values)) == pytest.approx(e[k], abs=1e-10)
        for j in range(n):
            got = float(sol.lambdify(f"displacement_{j + 1}_{k + 1}")(**values))
            assert got == pytest.approx(d[j, k], abs=1e-10)
    assert float(sol.lambdify("deterrence_threshold")(**values)) == pytest.approx(float(res.deterrence_threshold))


# -- where the platform should go first ------------------------------------------------------------
def _harm(p, targeting):
    return np.asarray(Model(**{**p, "channel_transparency": np.atleast_2d(targeting)}).solve().centre_harm)


def random_targetings(rng, n, cost, budget, count):
    """Feasible targetings: uniform in the box, scaled into the budget; plus vertices and single channels."""
    box = rng.uniform(0, 1, (count, n)) ** rng.choice([0.3, 1.0, 3.0], (count, 1))
    spend = box @ cost
    box = box * np.minimum(1.0, budget / np.maximum(spend, 1e-300))[:, None]
    singles = np.zeros((n, n))
    for k in range(n):
        singles[k, k] = min(1.0, budget / cost[k])
    return np.vstack([box, singles, np.zeros((1, n))])


@pytest.mark.parametrize("seed", range(40))
def test_optimal_targeting_is_never_beaten(seed):
    rng = np.random.default_rng(7000 + seed)
    p = random_point(rng, n=int(rng.integers(1, 5)))
    n = len(p["gain"])
    cost = rng.uniform(0.5, 2.0, n) if rng.random() < 0.5 else None
    c = np.ones(n) if cost is None else cost
    budget = float(rng.uniform(0, 1.2) * c.sum())
    best = Model(**p).optimal_targeting(budget, cost)
    t = np.asarray(best.targeting)
    assert t.shape == (n,) and np.all((t >= 0) & (t <= 1))
    assert best.spending == pytest.approx(t @ c) and best.spending <= budget
    # its reported harm is solve() at its targeting
    assert best.harm == float(_harm(p, t)[0])
    assert best.untargeted_harm == float(_harm(p, np.zeros(n))[0])
    assert best.even_harm == float(_harm(p, np.full(n, min(1.0, budget / c.sum())))[0])
    samples = random_targetings(rng, n, c, budget, 3000)
    assert np.all(samples @ c <= budget * (1 + 1e-12))
    assert np.min(_harm(p, samples)) >= best.harm - best.tolerance
    assert best.harm <= best.even_harm + best.tolerance and best.harm <= best.untargeted_harm + best.tolerance


@pytest.mark.parametrize("seed", range(20))
def test_least_spending_when_full_deterrence_is_affordable(seed):
    # every h_k > 0: harm 0 needs e = 0, i.e. every g_k <= 0, i.e. tau_k >= (b_k - F_k tau)/(F_k (1 - tau));
    # the least spending is the sum of c_k times these (floored at 0)
    rng = np.random.default_rng(8000 + seed)
    n = int(rng.integers(1, 5))
    b, F = rng.uniform(0, 2, n), rng.uniform(2, 4, n)
    tau = float(rng.uniform(0, 0.5))
    c = rng.uniform(0.5, 2, n)
    p = dict(gain=b, fine=F, harm=rng.uniform(0.1, 2, n), substitution=float(rng.uniform(lowest_kappa(n) * 0.9, 0.9)),
             transparency=tau, channel_transparency=np.zeros(n))
    need = np.maximum(0.0, (b - F * tau) / (F * (1 - tau)))
    best = Model(**p).optimal_targeting(float(need @ c) * 1.5 + 0.01, c)
    assert best.harm == 0.0
    np.testing.assert_allclose(best.targeting, need, atol=1e-8)
    assert best.spending == pytest.approx(need @ c, abs=1e-8)


@pytest.mark.parametrize("p, budget, targeting, harm", [
    # n = 1: harm = h max(0, 1 - 2 t); budget 1/4 buys t = 1/4, harm 1/2; budget 1 buys deterrence at t = 1/2
    pytest.param(dict(gain=[1.0], fine=[2.0], harm=[1.0], channel_transparency=[0.0]), 0.25, [0.25], 0.5,
                 id="one-channel-partial"),
    pytest.param(dict(gain=[1.0], fine=[2.0], harm=[1.0], channel_transparency=[0.0]), 1.0, [0.5], 0.0,
                 id="one-channel-least-spending"),
    # kappa = 0, b = (1, 1), F = (2, 1): channel 1 cuts harm at rate 2 until t_1 = 1/2, channel 2 at rate 1;
    # budget 3/4: t = (1/2, 1/4), harm 0 + 3/4
    pytest.param(dict(gain=[1.0, 1.0], fine=[2.0, 1.0], harm=[1.0, 1.0], channel_transparency=[0.0, 0.0],
                      substitution=0.0), 0.75, [0.5, 0.25], 0.75, id="independent-greedy"),
    # kappa = 1/2, h = (0, 1), b = (2, 2), F = (1, 1): a tool on channel 1 raises harm (h_1 = 0 < kappa h_2/D_2 =
    # 1/3); on channel 2, e_2 = (2 - 2 t_2)/3 / (1/2) = (4/3)(1 - t_2): budget 1/2 gives t = (0, 1/2), harm 2/3
    pytest.param(dict(gain=[2.0, 2.0], fine=[1.0, 1.0], harm=[0.0, 1.0], channel_transparency=[0.0, 0.0],
                      substitution=0.5), 0.5, [0.0, 0.5], 2 / 3, id="harm-raising-tool-avoided"),
    # kappa = 1/2, h = (1, 0), b = (2, 2), F = (4, 4): harm 0 once channel 1 is out. With channel 2 active
    # and untargeted, S = g_2 = 2 and channel 1 is out iff g_1 = 2 - 4 t_1 <= kappa S = 1, i.e. t_1 >= 1/4;
    # targeting channel 2 lowers S and only raises the t_1 needed: the least spending is t = (1/4, 0)
    pytest.param(dict(gain=[2.0, 2.0], fine=[4.0, 4.0], harm=[1.0, 0.0], channel_transparency=[0.0, 0.0],
                      substitution=0.5), 1.0, [0.25, 0.0], 0.0, id="least-spending-on-a-flat-face"),
    # complements kappa = -1/2, h = (0, 1), b = (2, 1/2), F = (1, 2): with channel 1 active alone S = g_1 and
    # channel 2 is out iff g_2 = 1/2 - 2 t_2 <= kappa g_1 = -(2 - t_1)/2; t_1 only raises the t_2 needed, so the
    # least spending is t = (0, 3/4) (every t_2 in [3/4, 1] is optimal, harm 0)
    pytest.param(dict(gain=[2.0, 0.5], fine=[1.0, 2.0], harm=[0.0, 1.0], channel_transparency=[0.0, 0.0],
                      substitution=-0.5), 1.0, [0.0, 0.75], 0.0, id="least-spending-complements"),
    pytest.param(dict(gain=[2.0, 0.5], fine=[1.0, 2.0], harm=[0.0, 1.0], channel_transparency=[0.0, 0.0],
                      substitution=-0.5), 0.8, [0.0, 0.75], 0.0, id="least-spending-complements-tight"),
    # defaults, budget 3 >= sum b_k/F_k = 9/4: full deterrence at the least spending t_k = b_k/F_k
    pytest.param(dict(), 3.0, [0.75, 0.625, 0.5, 0.375], 0.0, id="defaults-deterred"),
])
def test_optimal_targeting_table(p, budget, targeting, harm):
    best = Model(**p).optimal_targeting(budget)
    np.testing.assert_allclose(best.targeting, targeting, atol=1e-8)
    assert best.harm == pytest.approx(harm, abs=1e-8)
    assert "linear programme" in best.method and best.lps_solved >= 2 ** len(targeting)


def test_optimal_targeting_at_the_defaults():
    # with h = F = 1-vectors every active channel cuts harm at the same rate, so the budget is spent in
    # full: harm 36/7 - (16/7) * 1 = 20/7 while all four stay active (one optimum among many); spreading it
    # evenly (t = 1/4, g = b - 1) pushes channel 4 out: S = 4.5/(3/2) = 3
    best = Model().optimal_targeting(1.0)
    assert best.harm == pytest.approx(20 / 7, abs=1e-9)
    assert best.spending == pytest.approx(1.0, abs=1e-9)
    assert best.even_targeting == 0.25 and best.even_harm == pytest.approx(3.0)
    assert best.untargeted_harm == pytest.approx(36 / 7)
    d = best.to_dict()
    assert d["harm"] == best.harm and len(d["targeting"]) == 4


def test_optimal_targeting_replaces_the_models_channel_transparency():
    a = Model().optimal_targeting(0.5)
    b = Model(channel_transparency=[1.0, 0.0, 0.3, 0.0]).optimal_targeting(0.5)
    assert a.harm == b.harm and a.untargeted_harm == b.untargeted_harm


@pytest.mark.parametrize("args, name", [
    pytest.param((-1.0,), "budget", id="negative-budget"),
    pytest.param((np.nan,), "budget", id="nan-budget"),
    pytest.param((np.inf,), "budget", id="inf-budget"),
    pytest.param(([1.0, 2.0],), "budget", id="array-budget"),
    pytest.param((1.0, [1.0, 1.0]), "cost", id="short-cost"),
    pytest.param((1.0, [1.0, 0.0, 1.0, 1.0]), "cost", id="zero-cost"),
    pytest.param((1.0, [1.0, -1.0, 1.0, 1.0]), "cost", id="negative-cost"),
    pytest.param((1.0, [1.0, np.nan, 1.0, 1.0]), "cost", id="nan-cost"),
])
def test_optimal_targeting_bad_input(args, name):
    with pytest.raises(ParameterError, match=name):
        Model().optimal_targeting(*args)


def test_optimal_targeting_needs_one_point():
    with pytest.raises(ParameterError, match="transparency"):
        Model(transparency=[0.0, 0.5]).optimal_targeting(1.0)


def test_zero_budget_is_no_targeting():
    best = Model().optimal_targeting(0.0)
    assert np.all(best.targeting == 0) and best.harm == best.untargeted_harm == best.even_harm


# -- the story: every sentence chosen from the numbers it quotes ----------------------------------
STORY_CASES = [
    pytest.param(dict(), id="defaults"),
    pytest.param(dict(substitution=-0.2), id="complements"),
    pytest.param(dict(gain=[2.0, 0.5], fine=[1.0, 2.0], harm=[0.0, 1.0], channel_transparency=[0.0, 0.0]),
                 id="a-tool-that-raises-harm"),
    pytest.param(dict(fine=[2.0, 4.0, 4.0, 4.0]), id="never-deterred"),
    pytest.param(dict(gain=[0.0, 0.0, 0.0], fine=[1.0, 1.0, 1.0], harm=[1.0, 1.0, 1.0],
                      channel_transparency=[0.0, 0.0, 0.0]), id="no-strategy-used"),
    pytest.param(dict(gain=[3.0, 1.0, 0.5], fine=[4.0, 4.0, 4.0], harm=[1.0, 2.0, 1.0],
                      channel_transparency=[0.0, 0.0, 0.0], substitution=0.3), id="three-channels"),
    pytest.param(dict(gain=[1.0], fine=[2.0], harm=[1.0], channel_transparency=[0.0], substitution=0.0),
                 id="one-channel"),
]


@pytest.mark.parametrize("p", STORY_CASES)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_story_sentences_follow_the_numbers(p, lang):
    from gametheory_aid.models.story import format_number as f
    from gametheory_aid.models.strategy_portfolio_story import TARGETING_BUDGET, channel_name

    model = Model(**p)
    table = model.compare([0.0, 1.0])
    facts = {"deterrence_threshold": table.results[0].deterrence_threshold}
    facts.update(Model.story.analyses(model))
    text = "\n".join(Model.story.sentences(table, facts, lang))
    r0 = table.results[0].to_dict()
    best = model.optimal_targeting(TARGETING_BUDGET)
    n = model.n
    for number in (r0["total_evasion"], r0["centre_harm"], best.harm, best.even_harm, best.untargeted_harm):
        assert f(number) in text
    threshold = r0["deterrence_threshold"]
    said_never = ("仍会使用某些策略" if lang == "zh" else "leaves some strategy in use") in text
    said_none = ("任何透明度下都不使用" if lang == "zh" else "uses no strategy at any transparency") in text
    assert said_never == bool(np.isinf(threshold)) and said_none == (threshold == 0)
    raising = [k for k in range(n) if best.marginal_harm[k] > 1e-12 * max(1.0, abs(min(best.marginal_harm)))]
    said_raise = ("反而会提高中央损害" if lang == "zh" else "would raise the centre's harm") in text
    assert said_raise == bool(raising)
    for k in raising:
        assert channel_name(k, n, lang) in text
    active = [k for k in range(n) if r0["active"][k]]
    if len(active) >= 2:
        moved = r0["displacement"][active[1]][active[0]]
        assert f(moved) in text
        word = ("推高" if moved > 0 else "压低") if lang == "zh" else (
            "displacing evasion into" if moved > 0 else "dragging down")
        assert word in text
    no_margin = ("任何定向工具都不能在边际上降低" if lang == "zh" else "no targeted tool lowers") in text
    assert no_margin == (min(best.marginal_harm) >= -1e-12 * max(1.0, abs(min(best.marginal_harm))))


@pytest.mark.parametrize("p", STORY_CASES)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_story_demo_follows_the_numbers(p, lang):
    from gametheory_aid.models.story import format_number as f

    model = Model(**p)
    steps = Model.story.demo(model, lang)
    assert len(steps) == 4 and all(step.lines for step in steps)
    r0 = model.solve().to_dict()
    text = "\n".join(line for step in steps for line in step.lines)
    assert f(r0["total_evasion"]) in text and f(r0["uniform_effect"]) in text
    k = max(range(model.n), key=lambda i: (r0["intensity"][i], -i))
    blocked = np.array(model.params["channel_transparency"], float)
    blocked[k] = 1.0
    r_block = model.with_(channel_transparency=blocked).solve().to_dict()
    assert f(r_block["total_evasion"]) in text
    others = [j for j in range(model.n) if j != k]
    rose = any(r_block["intensity"][j] > r0["intensity"][j] for j in others)
    fell = any(r_block["intensity"][j] < r0["intensity"][j] for j in others)
    phrases = {"en": ("already uses no strategy", "displaced into", "fall with it", "do not move"),
               "zh": ("已不使用任何策略", "转移到", "随之减少", "其他策略不变")}[lang]
    expected = phrases[0] if not any(r0["active"]) else phrases[1] if rose else phrases[2] if fell else phrases[3]
    assert expected in text


# -- huge and tiny magnitudes: finite results or a named refusal ------------------------------------


def test_gains_beyond_the_float_range_are_refused_by_name():
    """b = 1e308: the intensities are finite (5.7e307) but their sum is not; refused, not returned as inf."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ParameterError, match="'gain' = 1e\\+308.*float64 range") as err:
            gta.get_model("strategy-portfolio")(gain=[1e308] * 4).solve()
    assert err.value.name == "gain"
    # 1e100: e_k = g_k / (1 - kappa + kappa n) = 1e100 / 1.75 on every channel, all finite
    r = gta.get_model("strategy-portfolio")(gain=[1e100] * 4).solve()
    assert float(r.total_evasion) == pytest.approx(4e100 / 1.75, rel=1e-12)


@settings(max_examples=60)
@given(st.integers(1, 4).flatmap(lambda n: st.tuples(
    st.lists(st.integers(0, 8).map(lambda i: i / 2), min_size=n, max_size=n),
    st.lists(st.integers(0, 8).map(lambda i: i / 2), min_size=n, max_size=n),
    st.lists(st.integers(0, 4).map(lambda i: i / 4), min_size=n, max_size=n),
    st.integers(-2, 9).map(lambda i: i / 10 if n > 1 else abs(i) / 10))))
def test_deterred_exactly_at_the_deterrence_threshold(point):
    """At tau = the model's own deterrence_threshold (when finite) the aider is deterred: e = 0."""
    gain, fine, channel, kappa = point
    n = len(gain)
    if n > 1 and kappa <= -1 / (n - 1):
        kappa = 0.0
    p = dict(gain=gain, fine=fine, channel_transparency=channel, harm=[1.0] * n, substitution=kappa)
    model = gta.get_model("strategy-portfolio")
    threshold = float(model(**p).solve().deterrence_threshold)
    if np.isfinite(threshold):
        at = model(**p, transparency=threshold).solve()
        assert str(at.regime) == "deterred" and float(at.total_evasion) == 0.0
