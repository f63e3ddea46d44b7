"""Tests of the bargaining solutions against independent computations.

* The generalised Nash solution on piecewise-linear frontiers is checked against a direct
  numerical maximisation of the log Nash product along the frontier (dense evaluation, then
  scipy's bounded scalar minimiser; root finding for powers 0 and 1), against hand-derived
  closed forms, and against the axioms (Pareto efficiency, symmetry, invariance to affine
  transformations, independence of irrelevant alternatives).
* Rubinstein's shares are checked against backward induction of the finite game.
"""
from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import optimize

from gametheory_aid.core.bargaining import (
    BargainingSolution,
    TransferFrontier,
    nash_bargaining,
    rubinstein_finite,
    rubinstein_shares,
)
from gametheory_aid.core.params import ParameterError

# ----------------------------------------------------------------------------- strategies

coord = st.floats(-5.0, 5.0, allow_nan=False, allow_infinity=False)
# Mostly interior powers, but also the ends and values within rounding of them.
powers = st.one_of(st.floats(0.001, 0.999), st.floats(0.0, 1.0), st.sampled_from([0.0, 1.0]))
interior_powers = st.floats(0.01, 0.99)
discounts = st.floats(0.0, 0.99)
GRID_PER_SEGMENT = 2000  # dense evaluation points per segment's length in the reference search
TOUCH = 16 * np.finfo(float).eps  # a disagreement point this close (relative) touches the frontier


@st.composite
def concave_frontiers(draw, min_vertices=2, max_vertices=5):
    """Vertices of a concave, strictly decreasing piecewise-linear frontier."""
    k = draw(st.integers(min_vertices, max_vertices))
    widths = draw(st.lists(st.floats(0.05, 4.0), min_size=k - 1, max_size=k - 1))
    slopes = sorted(draw(st.lists(st.floats(-8.0, -0.1), min_size=k - 1, max_size=k - 1)), reverse=True)
    x = draw(coord) + np.concatenate([[0.0], np.cumsum(widths)])
    y = draw(coord) + np.concatenate([[0.0], np.cumsum(np.multiply(slopes, widths))])
    return np.column_stack([x, y])


@st.composite
def problems(draw, min_vertices=2, max_vertices=5):
    """A frontier, a disagreement point inside or outside the feasible set, and a power."""
    vertices = draw(concave_frontiers(min_vertices, max_vertices))
    x, y = vertices[:, 0], vertices[:, 1]
    d1 = draw(st.floats(x[0] - 3.0, x[-1] + 1.0))
    d2 = draw(st.floats(y[-1] - 3.0, y[0] + 1.0))
    return vertices, np.array([d1, d2]), draw(powers)


# ------------------------------------------------------------------ independent reference

def _point(vertices, s):
    """The frontier point at arc parameter s in [0, K-1] (segment floor(s), fraction s - floor(s))."""
    k = min(int(np.floor(s)), len(vertices) - 2)
    t = s - k
    return (1.0 - t) * vertices[k] + t * vertices[k + 1]


def reference_nash(vertices, d, power):
    """Direct numerical maximisation of the Nash product along the frontier.

    The individually rational arc [s_lo, s_hi] of the frontier is found by root finding; the
    log Nash product is evaluated densely on it and the best grid point polished with scipy's
    bounded minimiser.  Returns (u1, u2, agreement, touching), touching meaning that the arc
    is a single point.
    """
    x, y = vertices[:, 0], vertices[:, 1]
    # Some frontier point weakly dominates d  <=>  d1 <= max u1 and the frontier at d1 is >= d2
    # (to the documented rounding allowance of 16 eps times the coordinate's magnitude).
    tol1 = TOUCH * (np.max(np.abs(x)) + abs(d[0]))
    tol2 = TOUCH * (np.max(np.abs(y)) + abs(d[1]))
    agreement = d[0] <= x[-1] + tol1 and np.interp(max(d[0] - tol1, x[0]), x, y) >= d[1] - tol2
    if not agreement:
        return d[0], d[1], False, False
    last = len(vertices) - 1

    def gap(i, s):
        return _point(vertices, s)[i] - d[i]

    def root(i):
        return optimize.brentq(lambda s: gap(i, s), 0.0, last, xtol=1e-15, rtol=1e-15)

    s_lo = 0.0 if gap(0, 0.0) >= 0 else (last if gap(0, last) <= 0 else root(0))
    s_hi = last if gap(1, last) >= 0 else (0.0 if gap(1, 0.0) <= 0 else root(1))
    if s_lo >= s_hi:  # the frontier touches d
        u = _point(vertices, s_lo)
        return u[0], u[1], True, True
    if power in (0.0, 1.0):  # one player takes all: the other held at its disagreement payoff
        u = _point(vertices, s_hi if power == 1.0 else s_lo)
        return u[0], u[1], True, False

    def neg_log_product(s):
        u = _point(vertices, s)
        g1, g2 = u[0] - d[0], u[1] - d[1]
        if g1 <= 0 or g2 <= 0:
            return np.inf
        return -(power * math.log(g1) + (1.0 - power) * math.log(g2))

    grid = np.linspace(s_lo, s_hi, GRID_PER_SEGMENT * last + 1)
    values = np.array([neg_log_product(s) for s in grid])
    i = int(np.argmin(values))
    lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, len(grid) - 1)]
    res = optimize.minimize_scalar(lambda s: min(neg_log_product(s), 1e300), bounds=(lo, hi),
                                   method="bounded", options={"xatol": 1e-14})
    best = min([res.x, lo, hi, grid[i]], key=neg_log_product)
    u = _point(vertices, best)
    return u[0], u[1], True, False


def log_product(u1, u2, d, power):
    g1, g2 = u1 - d[0], u2 - d[1]
    if g1 <= 0 or g2 <= 0:
        return -np.inf
    return power * math.log(g1) + (1.0 - power) * math.log(g2)


def frontier_height(vertices, u1):
    return np.interp(u1, vertices[:, 0], vertices[:, 1])


def rationality_margin(vertices, d):
    """How far d lies inside (> 0) or outside (< 0) the feasible set, in the worse coordinate."""
    x = vertices[:, 0]
    return min(x[-1] - d[0], frontier_height(vertices, max(d[0], x[0])) - d[1])


# ------------------------------------------------------------ piecewise-linear: brute force

@given(problems())
def test_matches_direct_numerical_maximisation(problem):
    vertices, d, power = problem
    sol = nash_bargaining(vertices, d, power)
    r1, r2, agreement, touching = reference_nash(vertices, d, power)
    assert bool(sol.agreement) == agreement
    scale = 1.0 + np.max(np.abs(vertices))
    if not agreement:
        assert (float(sol.utilities[0]), float(sol.utilities[1])) == (d[0], d[1])
        return
    u1, u2 = float(sol.utilities[0]), float(sol.utilities[1])
    assert u1 >= d[0] and u2 >= d[1]
    if touching:  # the only individually rational point, to rounding
        assert u1 == pytest.approx(r1, abs=1e-9 * scale) and u2 == pytest.approx(r2, abs=1e-9 * scale)
        return
    assert u1 == pytest.approx(r1, rel=1e-7, abs=1e-7 * scale)
    assert u2 == pytest.approx(r2, rel=1e-7, abs=1e-7 * scale)
    smaller_gain = min(u1 - d[0], u2 - d[1])
    if 0.0 < power < 1.0 and smaller_gain > 1e-6 * scale:
        # The closed form is the exact maximiser: never beaten by the search, to the rounding
        # of the search's point (about eps*scale absolute, so eps*scale/gain in the log).
        rounding = 64 * np.finfo(float).eps * scale / smaller_gain
        assert log_product(u1, u2, d, power) >= log_product(r1, r2, d, power) - rounding


@given(st.integers(2, 5), st.data())
def test_array_input_equals_scalar_calls(k, data):
    n = data.draw(st.integers(1, 6))
    rows = [data.draw(problems(k, k)) for _ in range(n)]
    frontiers = np.stack([r[0] for r in rows])
    d = np.stack([r[1] for r in rows])
    power = np.array([r[2] for r in rows])
    batch = nash_bargaining(frontiers, d, power)
    assert batch.utilities[0].shape == (n,) and batch.agreement.shape == (n,)
    for i, (vertices, di, pi) in enumerate(rows):
        single = nash_bargaining(vertices, di, pi)
        assert batch.utilities[0][i] == single.utilities[0]
        assert batch.utilities[1][i] == single.utilities[1]
        assert batch.agreement[i] == single.agreement


@given(concave_frontiers(), st.lists(st.tuples(coord, coord), min_size=1, max_size=3),
       st.lists(powers, min_size=1, max_size=4))
def test_leading_dimensions_broadcast(vertices, points, power_list):
    d = np.array(points)[:, None, :]          # shape (m, 1, 2)
    power = np.array(power_list)              # shape (n,)
    sol = nash_bargaining(vertices, d, power)
    shape = (len(points), len(power_list))
    assert sol.utilities[0].shape == shape and sol.agreement.shape == shape
    assert sol.power.shape == shape and sol.disagreement[0].shape == shape
    for i, j in np.ndindex(shape):
        single = nash_bargaining(vertices, points[i], power_list[j])
        assert sol.utilities[0][i, j] == single.utilities[0]
        assert sol.utilities[1][i, j] == single.utilities[1]
        assert sol.agreement[i, j] == single.agreement


def test_incompatible_shapes_rejected():
    with pytest.raises(ParameterError, match="disagreement"):
        nash_bargaining(np.zeros((3, 2, 2)) + [[0, 1], [1, 0]], np.zeros((4, 2)))


# ------------------------------------------------------------------- closed forms by hand

@given(st.floats(0.2, 5.0), st.floats(0.5, 10.0), st.floats(-3.0, 3.0), st.floats(-3.0, 3.0), interior_powers)
def test_linear_frontier_closed_form(slope, height, d1, d2, power):
    # Frontier u2 = c - m*u1 on a segment long enough never to bind.  The first-order condition
    # beta/(u1 - d1) = (1 - beta)*m/(c - m*u1 - d2) gives u1 - d1 = beta*S/m, u2 - d2 = (1-beta)*S
    # with S = c - d2 - m*d1 the surplus in player 2's units.
    c = height
    surplus = c - d2 - slope * d1
    assume(surplus > 1e-3)
    vertices = [[-100.0, c + 100.0 * slope], [100.0, c - 100.0 * slope]]
    sol = nash_bargaining(vertices, (d1, d2), power)
    assert bool(sol.agreement)
    assert float(sol.gains[0]) == pytest.approx(power * surplus / slope, rel=1e-9, abs=1e-9)
    assert float(sol.gains[1]) == pytest.approx((1.0 - power) * surplus, rel=1e-9, abs=1e-9)


@given(st.floats(0.1, 10.0), st.floats(-5.0, 0.0))
def test_symmetric_split_on_linear_frontier(size, d):
    # u1 + u2 = size, d = (d, d), power 1/2: each gets d + (size - 2d)/2 = size/2.
    for sol in (nash_bargaining([[0.0, size], [size, 0.0]], (d, d), 0.5),
                nash_bargaining(lambda u: size - u, (d, d), 0.5, bounds=(0.0, size))):
        assert float(sol.utilities[0]) == pytest.approx(size / 2, rel=1e-8)
        assert float(sol.utilities[1]) == pytest.approx(size / 2, rel=1e-8)


@pytest.mark.parametrize("vertices, d, power, expected, agreement", [
    pytest.param([[0, 1], [1, 0]], (0, 0), 0.5, (0.5, 0.5), True, id="linear-symmetric"),
    pytest.param([[0, 1], [1, 0]], (0, 0), 1.0, (1.0, 0.0), True, id="power-1-takes-all"),
    pytest.param([[0, 1], [1, 0]], (0, 0), 0.0, (0.0, 1.0), True, id="power-0-gives-all"),
    pytest.param([[0, 1], [1, 0]], (0.2, 0.3), 1.0, (0.7, 0.3), True, id="power-1-holds-2-at-d2"),
    pytest.param([[0, 1], [1, 0]], (0.2, 0.3), 0.0, (0.2, 0.8), True, id="power-0-holds-1-at-d1"),
    pytest.param([[0, 1], [1, 0]], (-10, 0), 0.5, (0.0, 1.0), True, id="clipped-to-segment-end"),
    pytest.param([[0, 2], [1, 1], [2, 0]], (1, 1), 0.5, (1.0, 1.0), True, id="touching-at-vertex"),
    pytest.param([[0, 1], [1, 0]], (0.25, 0.75), 0.5, (0.25, 0.75), True, id="touching-on-segment"),
    pytest.param([[0, 1], [1, 0]], (0.3, 0.7), 0.5, (0.3, 0.7), True, id="touching-to-rounding"),
    pytest.param([[0, 1], [1, 0]], (1, 0), 0.5, (1.0, 0.0), True, id="touching-at-end"),
    pytest.param([[0, 1], [1, 0]], (0.5, 0.5 + 1e-9), 0.5, (0.5, 0.5 + 1e-9), False, id="just-outside"),
    pytest.param([[0, 1], [1, 0]], (1.5, -5), 0.5, (1.5, -5.0), False, id="beyond-right-end"),
    pytest.param([[0, 1], [1, 0]], (-5, 1.5), 1.0, (-5.0, 1.5), False, id="above-top"),
    pytest.param([[0, 1], [0.5, 0.5], [0.5, 0.5], [1, 0]], (0, 0), 0.5, (0.5, 0.5), True,
                 id="degenerate-segment"),
    pytest.param([[0.4, 0.6]], (0, 0), 0.5, (0.4, 0.6), True, id="single-point-frontier"),
    pytest.param([[0.4, 0.6]], (0.5, 0), 0.5, (0.5, 0.0), False, id="single-point-not-rational"),
    pytest.param([[0.4, 0.6], [0.4, 0.6]], (0, 0), 1.0, (0.4, 0.6), True, id="repeated-vertex"),
    pytest.param([[0, 1], [0.5, 1], [1, 0]], (0.2, 1), 0.5, (0.5, 1.0), True, id="zero-product-flat-top"),
    pytest.param([[0, 1], [0.5, 1], [1, 0]], (0, 0), 0.0, (0.5, 1.0), True, id="power-0-flat-top"),
    pytest.param([[0, 1], [1, 0.5], [1, 0]], (0, 0), 1.0, (1.0, 0.5), True, id="power-1-vertical-end"),
    pytest.param([[0, 1], [1, 0.5], [1, 0]], (1, 0), 0.5, (1.0, 0.5), True, id="zero-product-vertical"),
    # u2 = 4 - 2*u1 for u1 in [0, 1], then u2 = 3 - u1: the d = 0 maximiser of u1*u2 on the
    # first line is u1 = 1 (the kink), on the second u1 = 1.5 with product 2.25 > 2.
    pytest.param([[0, 4], [1, 2], [3, 0]], (0, 0), 0.5, (1.5, 1.5), True, id="second-segment"),
    pytest.param([[0, 4], [1, 2], [2, 0]], (0, 0), 0.5, (1.0, 2.0), True, id="at-kink"),
])
def test_hand_derived_cases(vertices, d, power, expected, agreement):
    sol = nash_bargaining(vertices, d, power)
    assert bool(sol.agreement) is agreement
    assert float(sol.utilities[0]) == pytest.approx(expected[0], abs=1e-12)
    assert float(sol.utilities[1]) == pytest.approx(expected[1], abs=1e-12)


# ------------------------------------------------------------------------------- axioms

@given(problems())
def test_pareto_efficient_and_individually_rational(problem):
    vertices, d, power = problem
    sol = nash_bargaining(vertices, d, power)
    u1, u2 = float(sol.utilities[0]), float(sol.utilities[1])
    scale = 1.0 + np.max(np.abs(vertices)) + np.max(np.abs(d))
    if not sol.agreement:
        return
    assert u1 >= d[0] and u2 >= d[1]
    if u1 - d[0] > 1e-9 * scale or u2 - d[1] > 1e-9 * scale:  # not just touching d
        assert vertices[0, 0] - 1e-12 * scale <= u1 <= vertices[-1, 0] + 1e-12 * scale
        assert u2 == pytest.approx(frontier_height(vertices, u1), abs=1e-9 * scale)


@st.composite
def symmetric_frontiers(draw):
    """A concave frontier symmetric about the diagonal, built outwards from (c, c)."""
    c = draw(coord)
    m = draw(st.integers(1, 3))
    widths = draw(st.lists(st.floats(0.05, 3.0), min_size=m, max_size=m))
    slopes = sorted(draw(st.lists(st.floats(-0.95, -0.05), min_size=m, max_size=m)))  # steep near c
    left = [(c, c)]
    for w, s in zip(widths, slopes, strict=False):
        x, y = left[-1]
        left.append((x - w, y - s * w))
    upper = left[::-1]
    return np.array(upper + [(y, x) for x, y in left[1:]])


@given(symmetric_frontiers(), st.floats(-8.0, 8.0), interior_powers)
def test_symmetry(vertices, e, power):
    sol = nash_bargaining(vertices, (e, e), 0.5)
    assert float(sol.utilities[0]) == pytest.approx(float(sol.utilities[1]), rel=1e-12, abs=1e-12)
    # Anonymity: swapping the players' powers on a symmetric problem swaps the utilities.
    a = nash_bargaining(vertices, (e, e), power)
    b = nash_bargaining(vertices, (e, e), 1.0 - power)
    assert float(a.utilities[0]) == pytest.approx(float(b.utilities[1]), rel=1e-9, abs=1e-9)
    assert float(a.utilities[1]) == pytest.approx(float(b.utilities[0]), rel=1e-9, abs=1e-9)


@given(problems(), st.floats(0.1, 10.0), st.floats(0.1, 10.0), coord, coord)
def test_invariance_to_affine_transformations(problem, a1, a2, c1, c2):
    vertices, d, power = problem
    # Whether d touches the frontier is decided to rounding, which no transformation preserves.
    assume(abs(rationality_margin(vertices, d)) > 1e-9)
    scale, shift = np.array([a1, a2]), np.array([c1, c2])
    sol = nash_bargaining(vertices, d, power)
    moved = nash_bargaining(vertices * scale + shift, d * scale + shift, power)
    assert bool(moved.agreement) == bool(sol.agreement)
    size = 1.0 + np.max(np.abs(vertices * scale + shift)) + np.max(np.abs(d * scale + shift))
    for i in range(2):
        expected = float(sol.utilities[i]) * scale[i] + shift[i]
        assert float(moved.utilities[i]) == pytest.approx(expected, abs=1e-9 * size)


@given(problems(), st.floats(0.05, 0.95), st.floats(0.05, 0.95))
def test_independence_of_irrelevant_alternatives(problem, cut_left, cut_right):
    # Shrinking the frontier to a sub-chain that still contains the solution leaves it unchanged.
    vertices, d, power = problem
    assume(rationality_margin(vertices, d) > 1e-9)  # not merely touching to rounding
    sol = nash_bargaining(vertices, d, power)
    u1 = float(sol.utilities[0])
    x = vertices[:, 0]
    lo, hi = u1 - cut_left * (u1 - x[0]), u1 + cut_right * (x[-1] - u1)
    inner = vertices[(x > lo) & (x < hi)]
    sub = np.vstack([[lo, frontier_height(vertices, lo)], inner, [hi, frontier_height(vertices, hi)]])
    smaller = nash_bargaining(sub, d, power)
    size = 1.0 + np.max(np.abs(vertices)) + np.max(np.abs(d))
    assert bool(smaller.agreement)
    assert float(smaller.utilities[0]) == pytest.approx(u1, abs=1e-9 * size)
    assert float(smaller.utilities[1]) == pytest.approx(float(sol.utilities[1]), abs=1e-9 * size)


@given(problems(), powers, powers)
def test_player_1_gains_with_power(problem, p, q):
    vertices, d, _ = problem
    low, high = sorted([p, q])
    a, b = nash_bargaining(vertices, d, low), nash_bargaining(vertices, d, high)
    size = 1.0 + np.max(np.abs(vertices))
    assert float(b.utilities[0]) >= float(a.utilities[0]) - 1e-12 * size
    assert float(b.utilities[1]) <= float(a.utilities[1]) + 1e-12 * size


# -------------------------------------------------------------------- concave-function form

# ----------------------------------------------------------- transfer frontier: closed form

efficiencies = st.one_of(st.floats(0.05, 1.0), st.just(1.0))


@st.composite
def transfer_problems(draw):
    """A status quo, an efficiency, a disagreement point inside or outside, and a power."""
    q = np.array([draw(coord), draw(coord)])
    d = np.array([draw(coord), draw(coord)]) if draw(st.booleans()) else np.zeros(2)
    return q, draw(efficiencies), d, draw(powers)


def transfer_reach(q, k, d):
    """min(T1, T2): negative iff no point gives both players at least d (see the docstring)."""
    g1, g2 = q - d
    return min(g1 + g2 / k, g1 / k + g2)


@given(transfer_problems())
def test_transfer_frontier_matches_direct_numerical_maximisation(problem):
    """The closed form against the brute-force search along the same frontier's vertex chain."""
    q, k, d, power = problem
    frontier = TransferFrontier(q, k)
    sol = nash_bargaining(frontier, d, power)
    assert sol.method == "transfers"
    scale = 1.0 + np.max(np.abs(q)) + np.max(np.abs(d))
    assume(abs(transfer_reach(q, k, d)) > 1e-9 * scale / k)  # not merely touching to rounding
    r1, r2, agreement, _ = reference_nash(frontier.vertices(d), d, power)
    assert bool(sol.agreement) == agreement
    if not agreement:
        assert (float(sol.utilities[0]), float(sol.utilities[1])) == (d[0], d[1])
        return
    assert float(sol.utilities[0]) == pytest.approx(r1, rel=1e-7, abs=1e-7 * scale / k)
    assert float(sol.utilities[1]) == pytest.approx(r2, rel=1e-7, abs=1e-7 * scale / k)


@given(transfer_problems())
def test_transfer_frontier_agrees_with_its_vertex_chain(problem):
    """The closed form and the general piecewise-linear solver on TransferFrontier.vertices()."""
    q, k, d, power = problem
    frontier = TransferFrontier(q, k)
    ours = nash_bargaining(frontier, d, power)
    chain = nash_bargaining(frontier.vertices(d), d, power)
    scale = 1.0 + np.max(np.abs(q)) + np.max(np.abs(d))
    if abs(transfer_reach(q, k, d)) > 1e-9 * scale / k:
        assert bool(ours.agreement) == bool(chain.agreement)
    for mine, theirs in zip(ours.utilities, chain.utilities, strict=False):
        assert float(mine) == pytest.approx(float(theirs), rel=1e-9, abs=1e-9 * scale / k)


@pytest.mark.parametrize("q, k, power, expected, agreement", [
    # both gain; the line where player 1 pays, u1 + u2/k = 3.3, holds the solution: shares
    # (0.5 * 3.3, 0.5 * 0.7 * 3.3)
    pytest.param((2.3, 0.7), 0.7, 0.5, (1.65, 1.155), True, id="player-1-pays"),
    # mirror image: player 2 pays along u1/k + u2 = 3.3
    pytest.param((0.7, 2.3), 0.7, 0.5, (1.155, 1.65), True, id="player-2-pays"),
    # equal gains, lossy transfers, equal power: neither line's solution lies on its half-line
    # (0.5 * (1 + 1/0.5) = 1.5 > 1 on both)
    pytest.param((1.0, 1.0), 0.5, 0.5, (1.0, 1.0), True, id="kink"),
    # player 1 loses 1 without a transfer; player 2 compensates: T2 = -1/0.5 + 3 = 1, shares
    # (0.5 * 0.5 * 1, 0.5 * 1); player 2 sends t = 2.5
    pytest.param((-1.0, 3.0), 0.5, 0.5, (0.25, 0.5), True, id="compensation"),
    # no surplus on the line player 1 needs: T2 = -1/0.5 + 0.25 < 0
    pytest.param((-1.0, 0.25), 0.5, 0.5, (0.0, 0.0), False, id="no-agreement"),
    # all power to player 1: player 2 hands over all of its 2, worth 0.5 * 2 to player 1
    pytest.param((1.0, 2.0), 0.5, 1.0, (2.0, 0.0), True, id="power-1"),
    # all power to player 2: player 1 hands over all of its 1, worth 0.5 to player 2
    pytest.param((1.0, 2.0), 0.5, 0.0, (0.0, 2.5), True, id="power-0"),
    # transferable utility (k = 1): equal split of the sum
    pytest.param((3.0, -1.0), 1.0, 0.5, (1.0, 1.0), True, id="transferable-utility"),
])
def test_transfer_frontier_by_hand(q, k, power, expected, agreement):
    sol = nash_bargaining(TransferFrontier(q, k), (0.0, 0.0), power)
    assert (float(sol.utilities[0]), float(sol.utilities[1])) == pytest.approx(expected, abs=1e-12)
    assert bool(sol.agreement) == agreement


@given(st.lists(transfer_problems(), min_size=1, max_size=6))
def test_transfer_frontier_array_input_equals_scalar_calls(rows):
    q = np.stack([r[0] for r in rows])
    k = np.array([r[1] for r in rows])
    d = np.stack([r[2] for r in rows])
    power = np.array([r[3] for r in rows])
    batch = nash_bargaining(TransferFrontier(q, k), d, power)
    assert batch.utilities[0].shape == (len(rows),) and batch.agreement.shape == (len(rows),)
    for i, (qi, ki, di, pi) in enumerate(rows):
        single = nash_bargaining(TransferFrontier(qi, ki), di, pi)
        assert batch.utilities[0][i] == single.utilities[0]
        assert batch.utilities[1][i] == single.utilities[1]
        assert batch.agreement[i] == single.agreement


@given(transfer_problems())
def test_transfer_frontier_solution_is_on_the_frontier_and_rational(problem):
    q, k, d, power = problem
    sol = nash_bargaining(TransferFrontier(q, k), d, power)
    u1, u2 = float(sol.utilities[0]), float(sol.utilities[1])
    assert u1 >= d[0] and u2 >= d[1]
    if sol.agreement and (u1, u2) != (d[0], d[1]):
        scale = 1.0 + np.max(np.abs(q)) + np.max(np.abs(d))
        # on the half-line where player 1 pays (u1 <= q1) or where player 2 pays (u1 >= q1)
        expected_u2 = q[1] + k * (q[0] - u1) if u1 <= q[0] else q[1] - (u1 - q[0]) / k
        assert u2 == pytest.approx(expected_u2, abs=1e-9 * scale / k)


def test_transfer_frontier_vertices():
    chain = TransferFrontier([[2.0, -1.0]], 0.5).vertices()
    # reach |2| + |-1| + 1 = 4: player 1 sends 4 (player 2 gets 2), the kink, player 2 sends 4
    assert chain.shape == (1, 3, 2)
    assert chain[0].tolist() == [[-2.0, 1.0], [2.0, -1.0], [4.0, -5.0]]


@given(interior_powers, st.floats(0.2, 5.0))
def test_function_frontier_quadratic_closed_form(power, scale):
    # u2 = a*(1 - (u1/a)**2), d = 0: beta/u1 = (1 - beta)*2*u1/(a**2 - u1**2)
    # gives u1**2 = a**2 * beta / (2 - beta).
    sol = nash_bargaining(lambda u: scale * (1.0 - (u / scale) ** 2), (0.0, 0.0), power, bounds=(0.0, scale))
    u1 = scale * math.sqrt(power / (2.0 - power))
    assert sol.method == "concave_function" and bool(sol.agreement)
    assert float(sol.utilities[0]) == pytest.approx(u1, rel=1e-7)
    assert float(sol.utilities[1]) == pytest.approx(scale * (1.0 - (u1 / scale) ** 2), rel=1e-7)


@settings(max_examples=40)
@given(st.floats(1.2, 4.0), st.floats(0.5, 3.0), st.floats(0.5, 3.0), st.floats(-1.0, 1.5),
       st.floats(-1.0, 3.5), powers)
def test_function_frontier_matches_fine_piecewise_linear(exponent, height, width, d1, d2, power):
    # u2 = h*(1 - (u1/w)**q) on [0, w]: concave and strictly decreasing for q > 1.
    f = lambda u: height * (1.0 - (u / width) ** exponent)  # noqa: E731
    # Keep d away from the boundary of the feasible set, where the chords' set is smaller.
    assume(abs(d1 - width) > 1e-2 and abs(f(min(max(d1, 0.0), width)) - d2) > 1e-2)
    n = 40001
    grid = np.linspace(0.0, width, n)
    chain = nash_bargaining(np.column_stack([grid, f(grid)]), (d1, d2), power)
    smooth = nash_bargaining(f, (d1, d2), power, bounds=(0.0, width))
    assert bool(smooth.agreement) == bool(chain.agreement)
    # The chords' frontier is within O(h**2) of f but its slope within O(h): the solutions
    # differ by O(h) (h the grid spacing), the maximal Nash products by O(h**2).
    spacing = width / (n - 1)
    steepest = exponent * height / width
    # (Near a flat top u2 = h - O(u1**q) is constant in floating point for u1 < w*eps**(1/q).)
    flat = width * np.finfo(float).eps ** (1.0 / exponent)
    assert float(smooth.utilities[0]) == pytest.approx(float(chain.utilities[0]), abs=2 * spacing + flat)
    assert float(smooth.utilities[1]) == pytest.approx(float(chain.utilities[1]), abs=2 * spacing * steepest)
    if chain.agreement and 0.0 < power < 1.0 and min(map(float, chain.gains)) > 1e-9:
        gap = (log_product(*map(float, smooth.utilities), (d1, d2), power)
               - log_product(*map(float, chain.utilities), (d1, d2), power))
        assert -1e-12 <= gap <= 1e-6  # the chords' feasible set lies inside the curve's


@given(problems())
def test_function_form_of_a_piecewise_linear_frontier_agrees(problem):
    # The same concave frontier as a function (linear interpolation): the maximiser may sit at
    # a kink, where only the comparison-driven refinement is exact.
    vertices, d, power = problem
    x, y = vertices[:, 0], vertices[:, 1]
    chain = nash_bargaining(vertices, d, power)
    smooth = nash_bargaining(lambda u: float(np.interp(u, x, y)), d, power, bounds=(x[0], x[-1]))
    assert bool(smooth.agreement) == bool(chain.agreement)
    scale = 1.0 + np.max(np.abs(vertices)) + np.max(np.abs(d))
    for i in range(2):
        assert float(smooth.utilities[i]) == pytest.approx(float(chain.utilities[i]), rel=1e-9, abs=1e-9 * scale)


@pytest.mark.parametrize("bounds, d, power, expected, agreement", [
    pytest.param((0.0, 0.3), (0, 0), 0.5, (0.3, 0.7), True, id="maximum-at-right-bound"),
    pytest.param((0.7, 1.0), (0, 0), 0.5, (0.7, 0.3), True, id="maximum-at-left-bound"),
    pytest.param((0.0, 1.0), (0.2, 0.3), 1.0, (0.7, 0.3), True, id="power-1"),
    pytest.param((0.0, 1.0), (0.2, 0.3), 0.0, (0.2, 0.8), True, id="power-0"),
    pytest.param((0.0, 1.0), (0.25, 0.75), 0.5, (0.25, 0.75), True, id="touching"),
    pytest.param((0.0, 1.0), (0.5, 0.6), 0.5, (0.5, 0.6), False, id="no-agreement"),
    pytest.param((0.0, 1.0), (1.5, -1.0), 0.5, (1.5, -1.0), False, id="beyond-bounds"),
])
def test_function_frontier_edge_cases(bounds, d, power, expected, agreement):
    sol = nash_bargaining(lambda u: 1.0 - u, d, power, bounds=bounds)
    assert bool(sol.agreement) is agreement
    assert float(sol.utilities[0]) == pytest.approx(expected[0], abs=1e-9)
    assert float(sol.utilities[1]) == pytest.approx(expected[1], abs=1e-9)


def test_function_frontier_power_one_finds_the_root():
    # u2 = 1 - u1**2 held at d2 = 0.75: u1 = 0.5.
    sol = nash_bargaining(lambda u: 1.0 - u * u, (0.0, 0.75), 1.0, bounds=(0.0, 1.0))
    assert float(sol.utilities[0]) == pytest.approx(0.5, abs=1e-13)
    assert float(sol.utilities[1]) >= 0.75


# ------------------------------------------------------------------------------ Rubinstein

@given(discounts, discounts, st.integers(1, 80), st.sampled_from([1, 2]))
def test_finite_horizon_converges_to_rubinstein(delta_1, delta_2, horizon, first_mover):
    infinite = rubinstein_shares(delta_1, delta_2, first_mover)
    finite = rubinstein_finite(delta_1, delta_2, horizon, first_mover)
    bound = (delta_1 * delta_2) ** ((horizon - 1) // 2)
    for i in range(2):
        assert abs(float(finite[i]) - float(infinite[i])) <= bound + 1e-12
    # The last proposer takes all: an odd horizon (first mover proposes last) favours the first
    # mover relative to the infinite game, an even one the second.
    first = first_mover - 1
    excess = float(finite[first]) - float(infinite[first])
    assert excess >= -1e-15 if horizon % 2 == 1 else excess <= 1e-15
    # The error does not grow when two more periods are added.
    longer = rubinstein_finite(delta_1, delta_2, horizon + 2, first_mover)
    assert abs(float(longer[0]) - float(infinite[0])) <= abs(float(finite[0]) - float(infinite[0])) + 1e-15


@given(discounts, discounts)
def test_long_horizon_matches(delta_1, delta_2):
    infinite = rubinstein_shares(delta_1, delta_2)
    finite = rubinstein_finite(delta_1, delta_2, 3001)
    assert float(finite[0]) == pytest.approx(float(infinite[0]), abs=1e-9)


@given(st.lists(discounts, min_size=1, max_size=5), discounts, st.sampled_from([1, 2]))
def test_shares_sum_to_one_and_broadcast(deltas, delta_2, first_mover):
    share_1, share_2 = rubinstein_shares(np.array(deltas), delta_2, first_mover)
    assert share_1.shape == share_2.shape == (len(deltas),)
    np.testing.assert_allclose(share_1 + share_2, 1.0, rtol=0, atol=1e-15)
    assert np.all((share_1 >= 0) & (share_1 <= 1))
    for i, delta in enumerate(deltas):
        single = rubinstein_shares(delta, delta_2, first_mover)
        assert share_1[i] == single[0] and share_2[i] == single[1]


@given(discounts, discounts)
def test_first_mover_advantage_and_equilibrium_conditions(delta_1, delta_2):
    x1, _ = rubinstein_shares(delta_1, delta_2, first_mover=1)  # player 1's share proposing
    _, y2 = rubinstein_shares(delta_1, delta_2, first_mover=2)  # player 2's share proposing
    # Each responder is offered exactly the discounted value of proposing next period.
    assert 1.0 - float(x1) == pytest.approx(delta_2 * float(y2), abs=1e-12)
    assert 1.0 - float(y2) == pytest.approx(delta_1 * float(x1), abs=1e-12)
    # Proposing is worth more than responding, to either player.
    assert float(x1) > 1.0 - float(y2)
    assert float(y2) > 1.0 - float(x1)


@given(discounts, st.sampled_from([1, 2]))
def test_equal_discounts(delta, first_mover):
    shares = rubinstein_shares(delta, delta, first_mover)
    first = shares[first_mover - 1]
    assert float(first) == pytest.approx(1.0 / (1.0 + delta), rel=1e-12)
    assert float(first) >= 0.5


@pytest.mark.parametrize("horizon, first_mover, expected", [
    # T = 1: an ultimatum.  T = 2: 1 offers 2 the value delta_2 * 1 of 2's ultimatum.
    # T = 3: 2 would offer 1 delta_1 * 1 and keep 1 - delta_1, so 1 offers delta_2 * (1 - delta_1).
    pytest.param(1, 1, (1.0, 0.0), id="T1-ultimatum"),
    pytest.param(1, 2, (0.0, 1.0), id="T1-ultimatum-by-2"),
    pytest.param(2, 1, (1 - 0.8, 0.8), id="T2"),
    pytest.param(3, 1, (1 - 0.8 * (1 - 0.6), 0.8 * (1 - 0.6)), id="T3"),
    pytest.param(2, 2, (0.6, 1 - 0.6), id="T2-by-2"),
])
def test_finite_horizon_by_hand(horizon, first_mover, expected):
    shares = rubinstein_finite(0.6, 0.8, horizon, first_mover)
    assert float(shares[0]) == pytest.approx(expected[0], abs=1e-15)
    assert float(shares[1]) == pytest.approx(expected[1], abs=1e-15)


def test_ultimatum_limit_of_zero_discounts():
    assert tuple(map(float, rubinstein_shares(0.0, 0.0))) == (1.0, 0.0)
    assert tuple(map(float, rubinstein_shares(0.0, 0.0, 2))) == (0.0, 1.0)


# ---------------------------------------------------------------------------- bad input

LINE = [[0.0, 1.0], [1.0, 0.0]]


@pytest.mark.parametrize("call, name, value", [
    pytest.param(lambda: TransferFrontier((1.0, 2.0), 0.0), "efficiency", "0", id="efficiency-zero"),
    pytest.param(lambda: TransferFrontier((1.0, 2.0), 1.5), "efficiency", "1.5", id="efficiency-above-1"),
    pytest.param(lambda: TransferFrontier((1.0, 2.0), np.nan), "efficiency", "nan", id="efficiency-nan"),
    pytest.param(lambda: TransferFrontier((1.0, np.inf), 0.5), "status_quo", "inf", id="status-quo-inf"),
    pytest.param(lambda: TransferFrontier((1.0, 2.0, 3.0), 0.5), "status_quo", "(3,)", id="status-quo-shape"),
    pytest.param(lambda: nash_bargaining(TransferFrontier((1.0, 2.0), 0.5), bounds=(0.0, 1.0)), "bounds",
                 "(0.0, 1.0)", id="bounds-with-transfers"),
    pytest.param(lambda: nash_bargaining(TransferFrontier(np.zeros((3, 2)), 0.5), np.zeros((4, 2))),
                 "disagreement", "(4, 2)", id="transfers-shapes"),
    pytest.param(lambda: nash_bargaining(LINE, power=1.5), "power", "1.5", id="power-above-1"),
    pytest.param(lambda: nash_bargaining(LINE, power=-0.1), "power", "-0.1", id="power-negative"),
    pytest.param(lambda: nash_bargaining(LINE, power=[0.5, np.nan]), "power", "nan", id="power-nan"),
    pytest.param(lambda: nash_bargaining(LINE, (0.0, np.inf)), "disagreement", "inf", id="d-inf"),
    pytest.param(lambda: nash_bargaining(LINE, (0.0, 0.0, 0.0)), "disagreement", "(3,)", id="d-shape"),
    pytest.param(lambda: nash_bargaining([[0.0, np.nan], [1.0, 0.0]]), "frontier", "nan", id="frontier-nan"),
    pytest.param(lambda: nash_bargaining([0.0, 1.0]), "frontier", "(2,)", id="frontier-1d"),
    pytest.param(lambda: nash_bargaining([[0, 1, 2], [1, 0, 2]]), "frontier", "(2, 3)", id="frontier-3-columns"),
    pytest.param(lambda: nash_bargaining([[1.0, 0.0], [0.0, 1.0]]), "frontier", "[[1.0, 0.0], [0.0, 1.0]]",
                 id="frontier-u1-decreasing"),
    pytest.param(lambda: nash_bargaining([[0.0, 0.0], [1.0, 1.0]]), "frontier", "[[0.0, 0.0], [1.0, 1.0]]",
                 id="frontier-u2-increasing"),
    pytest.param(lambda: nash_bargaining(LINE, bounds=(0, 1)), "bounds", "(0, 1)", id="bounds-with-array"),
    pytest.param(lambda: nash_bargaining(lambda u: 1 - u), "bounds", "None", id="function-without-bounds"),
    pytest.param(lambda: nash_bargaining(lambda u: 1 - u, bounds=(1, 0)), "bounds", "[1.0, 0.0]",
                 id="bounds-reversed"),
    pytest.param(lambda: nash_bargaining(lambda u: u, bounds=(0, 1)), "frontier", "f(", id="function-increasing"),
    pytest.param(lambda: nash_bargaining(lambda u: 1 - math.sqrt(u), bounds=(0, 1)), "frontier", "f near",
                 id="function-convex"),
    pytest.param(lambda: nash_bargaining(lambda u: math.nan, bounds=(0, 1)), "frontier", "nan",
                 id="function-nan"),
    pytest.param(lambda: nash_bargaining(lambda u: 1 - u, [[0, 0], [0, 0]], bounds=(0, 1)), "disagreement",
                 "(2, 2)", id="function-with-array-d"),
    pytest.param(lambda: rubinstein_shares(1.0, 0.5), "delta_1", "1.0", id="delta-1-equal-1"),
    pytest.param(lambda: rubinstein_shares(0.5, -0.1), "delta_2", "-0.1", id="delta-2-negative"),
    pytest.param(lambda: rubinstein_shares(0.5, np.nan), "delta_2", "nan", id="delta-nan"),
    pytest.param(lambda: rubinstein_shares(0.5, 0.5, first_mover=3), "first_mover", "3", id="first-mover-3"),
    pytest.param(lambda: rubinstein_shares(0.5, 0.5, first_mover=True), "first_mover", "True",
                 id="first-mover-bool"),
    pytest.param(lambda: rubinstein_finite(0.5, 0.5, 0), "horizon", "0", id="horizon-0"),
    pytest.param(lambda: rubinstein_finite(0.5, 0.5, 2.5), "horizon", "2.5", id="horizon-float"),
    pytest.param(lambda: rubinstein_finite(0.5, 1.2, 5), "delta_2", "1.2", id="finite-delta-above-1"),
    # backward induction takes a step per period: 10**400 periods would never end
    pytest.param(lambda: rubinstein_finite(0.5, 0.5, 10 ** 400), "horizon", "1329 bits", id="horizon-10**400"),
    pytest.param(lambda: rubinstein_finite(0.5, 0.5, 100_001), "horizon", "100001", id="horizon-above-max"),
    # utilities whose Nash product leaves float64's range: refused, not inf/NaN with a warning
    pytest.param(lambda: nash_bargaining([[0.0, 1e200], [1e200, 0.0]]), "frontier", "1e+200",
                 id="frontier-1e200"),
    pytest.param(lambda: nash_bargaining([[0.0, 1e308], [1e308, 0.0]], (-1.0, 0.0)), "frontier", "1e+308",
                 id="frontier-1e308"),
])
def test_bad_input_names_parameter_value_and_domain(call, name, value):
    with pytest.raises(ParameterError) as info:
        call()
    message = str(info.value)
    assert info.value.name == name and f"'{name}'" in message
    assert value in message
    assert info.value.domain and info.value.domain in message


@settings(max_examples=60)
@given(st.floats(1e-300, 1e300), st.floats(1e-300, 1e300), st.floats(-1e300, 1e300), interior_powers)
def test_any_magnitude_gives_a_finite_solution_or_a_named_error(u1, u2, d1, power):
    """A linear frontier at any finite magnitude: finite utilities on the frontier, or a ParameterError."""
    try:
        sol = nash_bargaining([[0.0, u2], [u1, 0.0]], (d1, 0.0), power)
    except ParameterError as exc:
        assert exc.name in ("frontier", "disagreement") and "float64" in str(exc)
        return
    assert all(np.isfinite(u) for u in sol.utilities)


def test_the_horizon_bound_is_reachable():
    share, _ = rubinstein_finite(0.9, 0.9, 100_000)
    assert share == pytest.approx(rubinstein_shares(0.9, 0.9)[0], abs=1e-12)


# ------------------------------------------------------------------------------- result object

def test_to_dict_is_plain_json():
    sol = nash_bargaining([[[0, 1], [1, 0]], [[0, 2], [2, 0]]], (0, 0), [0.5, 1.0])
    assert isinstance(sol, BargainingSolution)
    data = sol.to_dict()
    assert json.loads(json.dumps(data)) == {
        "utilities": [[0.5, 2.0], [0.5, 0.0]],
        "agreement": [True, True],
        "disagreement": [[0.0, 0.0], [0.0, 0.0]],
        "power": [0.5, 1.0],
        "method": "piecewise_linear",
    }
    scalar = nash_bargaining(LINE).to_dict()
    assert scalar["utilities"] == [0.5, 0.5] and scalar["agreement"] is True and scalar["power"] == 0.5


# ----------------------------------------------------------------- hostile constructor input
_HOSTILE = [float("nan"), float("inf"), None, "0.5", b"1", True, np.bool_(True), 0.5 + 1j, np.complex128(0.5),
            object(), np.datetime64("2020-01-01"), 10 ** 400, [[1.0, 2.0], [3.0]], np.ma.masked_array([0.5], [True]),
            len]


@settings(max_examples=100)
@given(st.sampled_from(["status_quo", "status_quo entry", "efficiency", "frontier", "disagreement"]),
       st.sampled_from(_HOSTILE))
def test_hostile_values_are_refused_by_the_bargaining_constructors(where, bad):
    """TransferFrontier and nash_bargaining refuse what numpy would convert without a word
    (a complex imaginary part, a bool, a date, a mask) or fail on (10**400) with a
    ParameterError naming the argument."""
    from gametheory_aid.core.bargaining import TransferFrontier, nash_bargaining

    with pytest.raises(ParameterError) as info:
        if where == "status_quo":
            TransferFrontier(bad)
        elif where == "status_quo entry":
            TransferFrontier([bad, 1.0])
        elif where == "efficiency":
            TransferFrontier([0.0, 1.0], bad)
        elif where == "frontier":
            nash_bargaining([[0.0, 1.0], [bad, 0.0]])
        else:
            nash_bargaining([[0.0, 1.0], [1.0, 0.0]], disagreement=[bad, 0.0])
    assert info.value.name in ("status_quo", "efficiency", "frontier", "disagreement")
