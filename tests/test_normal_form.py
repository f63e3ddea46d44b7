"""Tests of :mod:`gametheory_aid.core.normal_form`.

Independent references: pygambit's exact ``enummixed_solve`` (lrs-style enumeration of
extreme equilibria), sympy's exact linear algebra, scipy's half-space intersection, and
brute-force loops over pure profiles written out directly here.  Only the comparisons with
pygambit need it installed (they call :func:`gambit`); the rest run without it.
"""
from __future__ import annotations

import itertools
import math
import tracemalloc
import warnings
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.spatial import HalfspaceIntersection

from gametheory_aid.core.normal_form import (
    IncompleteEnumerationWarning,
    NormalFormGame,
    _integer_solve,
    complete_pairs,
    polytope_vertices,
    vertex_labels,
)
from gametheory_aid.core.params import ParameterError
from gametheory_aid.core.results import EquilibriumSet

TOL = 1e-9


# -- helpers -----------------------------------------------------------------------------------

def gambit():
    """pygambit, or skip the calling test (only the comparisons with Gambit need it)."""
    return pytest.importorskip("pygambit")


def gambit_extreme(game: NormalFormGame) -> set:
    """pygambit's exact extreme equilibria as a set of flat tuples of Fractions."""
    gambit()
    gg = game.to_gambit()
    result = gambit().nash.enummixed_solve(gg, rational=True)
    return {tuple(Fraction(e[s].numerator, e[s].denominator) for p in gg.players for s in p.strategies)
            for e in result.equilibria}


def flat(eq) -> tuple:
    return tuple(v for s in eq.strategies for v in s)


def same_profiles(ours, reference, atol=1e-7) -> bool:
    """Each of two lists of flat profiles lies within ``atol`` of one in the other."""
    if len(ours) == 0 or len(reference) == 0:
        return len(ours) == len(reference)
    a = np.array([[float(v) for v in p] for p in ours]).reshape(len(ours), -1)
    b = np.array([[float(v) for v in p] for p in reference]).reshape(len(reference), -1)
    close = np.abs(a[:, None, :] - b[None, :, :]).max(axis=2) <= atol
    return bool(close.any(axis=1).all() and close.any(axis=0).all())


def has_shared_strategy(profiles: set, m: int) -> bool:
    """Two distinct extreme equilibria with one player's strategy in common."""
    rows = {p[:m] for p in profiles}
    cols = {p[m:] for p in profiles}
    return len(rows) < len(profiles) or len(cols) < len(profiles)


def brute_force_pure(payoffs) -> set:
    """Pure equilibria by checking every profile and every unilateral deviation."""
    shape = payoffs[0].shape
    found = set()
    for profile in itertools.product(*[range(s) for s in shape]):
        stable = True
        for p, u in enumerate(payoffs):
            for t in range(shape[p]):
                deviation = profile[:p] + (t,) + profile[p + 1:]
                if u[deviation] > u[profile]:
                    stable = False
        if stable:
            found.add(profile)
    return found


def bimatrices(values, low=2, high=4):
    """Hypothesis strategy: (A, B) with m, n in [low, high] and entries from ``values``."""
    return st.tuples(st.integers(low, high), st.integers(low, high)).flatmap(
        lambda mn: st.tuples(*[st.lists(st.lists(values, min_size=mn[1], max_size=mn[1]),
                                        min_size=mn[0], max_size=mn[0]) for _ in range(2)]))


FLOAT_PAYOFF = st.floats(-10, 10, allow_nan=False).map(lambda v: round(v, 3))
SMALL_INT = st.integers(0, 2)


# -- the small steps ------------------------------------------------------------------------------

@pytest.mark.parametrize("exact", [pytest.param(False, id="float"), pytest.param(True, id="exact")])
def test_polytope_vertices_of_a_simplex(exact):
    # {z >= 0, z1 + z2 <= 1}: vertices (0,0), (1,0), (0,1); constraints z1=0, z2=0, z1+z2=1
    verts, tight = polytope_vertices(np.array([[1, 1]]), exact=exact)
    got = {tuple(float(v) for v in row): tuple(t) for row, t in zip(verts, tight, strict=False)}
    assert got == {(0.0, 0.0): (True, True, False), (1.0, 0.0): (False, True, True),
                   (0.0, 1.0): (True, False, True)}


def test_polytope_vertices_degenerate_apex_is_found_once():
    # square pyramid apex: x + z <= 1, y + z <= 1, -x... here: box [0,1]^2 cut by x + y <= 1 and
    # x + y <= 1 again (a repeated constraint makes (1,0) and (0,1) carry three tight labels)
    verts, tight = polytope_vertices(np.array([[1, 1], [1, 1]]), exact=True)
    assert sorted(map(tuple, verts)) == [(0, 0), (0, 1), (1, 0)]
    assert sorted(tight.sum(axis=1).tolist()) == [2, 3, 3]


@settings(max_examples=40)
@given(st.integers(2, 4), st.integers(1, 4), st.integers(0, 2 ** 32 - 1))
def test_polytope_vertices_match_halfspace_intersection(d, k, seed):
    """Random positive C: our vertices equal scipy's (Qhull) half-space intersection."""
    C = np.random.default_rng(seed).uniform(0.2, 2.0, size=(k, d))
    ours, tight = polytope_vertices(C)
    # half-spaces a.z + b <= 0: -z_i <= 0 and C z - 1 <= 0
    halfspaces = np.vstack([np.hstack([-np.eye(d), np.zeros((d, 1))]), np.hstack([C, -np.ones((k, 1))])])
    interior = np.full(d, 1e-3)
    reference = HalfspaceIntersection(halfspaces, interior).intersections
    assert same_profiles(ours, reference, atol=1e-7)
    # every vertex has at least d tight constraints (it is a vertex, not an interior point)
    assert (tight.sum(axis=1) >= d).all()


def test_vertex_labels_swap_blocks_for_the_second_player():
    tight = np.array([[True, False, False, True, True]])  # Q with n = 2: y_1 = 0, (Ay)_2 = 1, (Ay)_3 = 1
    assert vertex_labels(tight, 2, 0).tolist() == tight.tolist()
    assert vertex_labels(tight, 2, 1).tolist() == [[False, True, True, True, False]]
    with pytest.raises(ValueError, match="player must be 0 or 1"):
        vertex_labels(tight, 2, 2)


def test_complete_pairs_finds_exactly_the_covering_pairs():
    labels_p = np.array([[1, 1, 0, 0], [0, 1, 1, 0]], dtype=bool)
    labels_q = np.array([[0, 0, 1, 1], [1, 0, 0, 1], [0, 0, 0, 1]], dtype=bool)
    assert complete_pairs(labels_p, labels_q).tolist() == [[0, 0], [1, 1]]


@settings(max_examples=60)
@given(st.integers(1, 4), st.integers(0, 2), st.integers(0, 2 ** 32 - 1))
def test_integer_solve_agrees_with_sympy(c, extra_rows, seed):
    """Fraction-free elimination vs sympy: same unique solutions, same rank verdicts."""
    rng = np.random.default_rng(seed)
    r = c + extra_rows
    matrices = rng.integers(-2, 3, size=(6, r, c))
    rhs = rng.integers(-2, 3, size=(6, r))
    numer, denom, ok = _integer_solve(matrices.astype(object), rhs.astype(object))
    for k in range(6):
        M, b = sympy.Matrix(matrices[k]), sympy.Matrix(rhs[k])
        unique = M.rank() == c and M.row_join(b).rank() == c
        assert ok[k] == unique
        if unique:
            solution = M.solve_least_squares(b) if r > c else M.solve(b)
            assert [Fraction(int(w), int(denom[k])) for w in numer[k]] == \
                [Fraction(int(v.p), int(v.q)) for v in solution]


# -- classic games ------------------------------------------------------------------------------------

F = Fraction
CLASSICS = [
    pytest.param([[1, -1], [-1, 1]], [[-1, 1], [1, -1]],
                 {((F(1, 2), F(1, 2)), (F(1, 2), F(1, 2)))}, False, False, id="matching-pennies"),
    pytest.param([[3, 0], [5, 1]], [[3, 5], [0, 1]],
                 {((0, 1), (0, 1))}, False, False, id="prisoners-dilemma"),
    pytest.param([[2, 0], [0, 1]], [[1, 0], [0, 2]],
                 {((1, 0), (1, 0)), ((0, 1), (0, 1)), ((F(2, 3), F(1, 3)), (F(1, 3), F(2, 3)))},
                 False, False, id="battle-of-the-sexes"),
    pytest.param([[0, -1, 1], [1, 0, -1], [-1, 1, 0]], [[0, 1, -1], [-1, 0, 1], [1, -1, 0]],
                 {((F(1, 3),) * 3, (F(1, 3),) * 3)}, False, False, id="rock-paper-scissors"),
    # row 1 weakly dominates; against row 1 the column player is indifferent: every
    # (row 1, y) is an equilibrium -- a segment between two extreme equilibria
    pytest.param([[1, 1], [0, 0]], [[1, 1], [0, 0]],
                 {((1, 0), (1, 0)), ((1, 0), (0, 1))}, True, True, id="degenerate-segment"),
    # von Stengel (2002) degenerate example: column 2 is a best reply to a pure row
    pytest.param([[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]],
                 {((1, 0, 0), (1, 0)), ((1, 0, 0), (F(2, 3), F(1, 3))),
                  ((0, F(1, 3), F(2, 3)), (F(1, 3), F(2, 3)))}, True, True, id="von-stengel-degenerate"),
]


@pytest.mark.parametrize("method", ["vertex", "support"])
@pytest.mark.parametrize("exact", [pytest.param(False, id="float"), pytest.param(True, id="exact")])
@pytest.mark.parametrize("A, B, expected, degenerate, continuum", CLASSICS)
def test_classic_games(A, B, expected, degenerate, continuum, method, exact):
    game = NormalFormGame.bimatrix(A, B)
    result = game.equilibria(method=method, exact=exact)
    assert isinstance(result, EquilibriumSet) and result.exact == exact and result.complete
    got = {tuple(tuple(v for v in s) for s in e.strategies) for e in result}
    if exact:
        assert got == {tuple(tuple(F(v) for v in s) for s in prof) for prof in expected}
        assert all(e.regret == 0 and isinstance(e.strategies[0][0], Fraction) for e in result)
    else:
        assert same_profiles([flat_tuple(p) for p in got], [flat_tuple(p) for p in expected])
        assert all(e.regret <= TOL for e in result)
    assert result.degenerate == degenerate == game.is_degenerate()
    assert result.continuum == continuum


def flat_tuple(profile) -> tuple:
    return tuple(v for s in profile for v in s)


def test_continuum_midpoint_is_an_equilibrium():
    """The segment flagged by ``continuum``: the midpoint of two partners has regret 0."""
    game = NormalFormGame.bimatrix([[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]])
    result = game.equilibria(exact=True)
    assert result.continuum
    shared = [(a, b) for a, b in itertools.combinations(result, 2) if a.strategies[0] == b.strategies[0]]
    assert shared
    for a, b in shared:
        y = [(u + v) / 2 for u, v in zip(a.strategies[1], b.strategies[1], strict=False)]
        assert game.regret([list(a.strategies[0]), y]) == 0


def test_payoffs_of_battle_of_the_sexes_mixed_equilibrium():
    game = NormalFormGame.bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    mixed = [e for e in game.equilibria(exact=True) if e.strategies[0][0] not in (0, 1)]
    assert mixed[0].payoffs == (F(2, 3), F(2, 3))


# -- hypothesis: agreement with pygambit --------------------------------------------------------------

@settings(max_examples=60)
@given(bimatrices(FLOAT_PAYOFF))
def test_random_float_games_match_gambit(AB):
    game = NormalFormGame.bimatrix(*AB)
    reference = gambit_extreme(game)
    for method in ("vertex", "support"):
        floats = game.equilibria(method=method)
        assert all(e.regret <= TOL for e in floats)
        assert same_profiles([flat(e) for e in floats], list(reference))
        exact = game.equilibria(method=method, exact=True)
        assert all(e.regret == 0 for e in exact)
        assert {flat(e) for e in exact} == reference
        assert exact.continuum == has_shared_strategy(reference, game.shape[0])


@settings(max_examples=80)
@given(bimatrices(SMALL_INT))
def test_random_degenerate_games_match_gambit(AB):
    game = NormalFormGame.bimatrix(*AB)
    reference = gambit_extreme(game)
    m = game.shape[0]
    for method in ("vertex", "support"):
        exact = game.equilibria(method=method, exact=True)
        assert all(e.regret == 0 for e in exact)
        assert {flat(e) for e in exact} == reference
        assert exact.continuum == has_shared_strategy(reference, m)
        floats = game.equilibria(method=method)
        assert all(e.regret <= TOL for e in floats)
        assert same_profiles([flat(e) for e in floats], list(reference))
        assert floats.continuum == exact.continuum and floats.degenerate == exact.degenerate
    if has_shared_strategy(reference, m):
        assert game.is_degenerate()  # a continuum only occurs in degenerate games


@settings(max_examples=40)
@given(bimatrices(SMALL_INT, 2, 3), st.integers(1, 5), st.integers(-3, 3), st.integers(0, 1))
def test_equilibria_invariant_under_affine_maps_and_player_swap(AB, scale, shift, player):
    """Positive affine maps of one player's payoffs keep the equilibria; swapping the
    players (transposing) swaps the strategies."""
    A, B = (np.array(x) for x in AB)
    game = NormalFormGame.bimatrix(A, B)
    base = {flat(e) for e in game.equilibria(exact=True)}
    mapped = (A * scale + shift, B) if player == 0 else (A, B * scale + shift)
    assert {flat(e) for e in NormalFormGame.bimatrix(*mapped).equilibria(exact=True)} == base
    A.shape[0]
    swapped = {flat(e) for e in NormalFormGame.bimatrix(B.T, A.T).equilibria(exact=True)}
    n = A.shape[1]
    assert {p[n:] + p[:n] for p in swapped} == base


@settings(max_examples=20)
@given(bimatrices(FLOAT_PAYOFF, 2, 3))
def test_nashpy_vertex_enumeration_agrees_on_nondegenerate_games(AB):
    game = NormalFormGame.bimatrix(*AB)
    assume(not game.is_degenerate())
    theirs = game.equilibria(method="nashpy-vertex")
    assert theirs.complete and all(e.regret <= TOL for e in theirs)
    assert same_profiles([flat(e) for e in game.equilibria()], [flat(e) for e in theirs])


# a non-degenerate 3x3 game (payoffs to two decimals) in which nashpy 0.0.43's support
# enumeration returned 2 of the 3 equilibria with numpy 2.3 (found by random search): the third
# has a zero probability that rounding can leave a few ulps below zero, and nashpy rejects
# any negative entry.  Whether it is lost depends on the linear-algebra rounding of the numpy
# in use (with numpy 2.4 it comes out as +3.6e-17 and is kept).
NASHPY_MISS_A = [[-0.92, 0.75, -0.06], [0.1, -0.36, 0.5], [-0.95, -0.26, -0.94]]
NASHPY_MISS_B = [[-0.75, 0.93, 0.32], [-0.14, 0.05, 0.75], [-0.31, 0.18, 0.37]]


def test_regression_equilibrium_dropped_by_nashpy_support_enumeration():
    game = NormalFormGame.bimatrix(NASHPY_MISS_A, NASHPY_MISS_B)
    assert not game.is_degenerate()
    missing = (F(70, 131), F(61, 131), F(0), F(0), F(56, 167), F(111, 167))
    reference = gambit_extreme(game)
    assert missing in reference and len(reference) == 3
    for method in ("vertex", "support"):
        assert {flat(e) for e in game.equilibria(method=method, exact=True)} == reference
        assert same_profiles([flat(e) for e in game.equilibria(method=method)], list(reference))
    nashpy_result = game.equilibria(method="nashpy-support")
    assert not nashpy_result.complete  # never presented as exhaustive: it may miss the third
    # whatever it finds is one of the three (and it finds at least the two pure ones)
    found = np.array([[float(v) for v in flat(e)] for e in nashpy_result])
    exact = np.array([[float(v) for v in r] for r in reference])
    assert 2 <= len(found) <= 3
    assert (np.abs(found[:, None, :] - exact[None, :, :]).max(axis=2).min(axis=1) <= 1e-7).all()


def test_gambit_method_exact_matches_own_enumeration():
    gambit()
    game = NormalFormGame.bimatrix([[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]])
    ours = game.equilibria(exact=True)
    theirs = game.equilibria(method="gambit", exact=True)
    assert {flat(e) for e in ours} == {flat(e) for e in theirs}
    assert theirs.continuum and theirs.degenerate


# -- n players -----------------------------------------------------------------------------------------

def three_player_games():
    return st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(2, 3)).flatmap(
        lambda shape: st.lists(st.lists(SMALL_INT, min_size=int(np.prod(shape)), max_size=int(np.prod(shape))),
                               min_size=3, max_size=3).map(
            lambda flat_payoffs: [np.array(u).reshape(shape) for u in flat_payoffs]))


@given(three_player_games())
def test_three_player_pure_equilibria_match_brute_force(payoffs):
    game = NormalFormGame(payoffs)
    expected = brute_force_pure(payoffs)
    for exact in (False, True):
        result = game.pure_equilibria(exact=exact)
        got = {tuple(int(np.argmax([float(v) for v in s])) for s in e.strategies) for e in result}
        assert got == expected and len(result) == len(expected)
        assert all(e.regret == 0 for e in result)
        for e in result:
            cell = tuple(int(np.argmax([float(v) for v in s])) for s in e.strategies)
            assert [float(v) for v in e.payoffs] == [float(u[cell]) for u in payoffs]


@settings(max_examples=25)
@given(st.integers(0, 2 ** 32 - 1))
def test_three_player_auto_contains_pure_and_only_equilibria(seed):
    """Generic 3-player games: 'auto' = all pure equilibria + Gambit's mixed ones, each
    certified by its regret, never claimed complete."""
    gambit()
    rng = np.random.default_rng(seed)
    shape = tuple(rng.integers(2, 4, size=3))
    payoffs = [rng.integers(-5, 6, size=shape) + rng.uniform(-0.25, 0.25, size=shape) for _ in range(3)]
    game = NormalFormGame(payoffs)
    result = game.equilibria(timeout=10)
    assert not result.complete and len(result) >= 1
    assert all(e.regret <= TOL and game.regret(list(e.as_arrays())) <= TOL for e in result)
    pure = {tuple(int(np.argmax(s)) for s in e.as_arrays())
            for e in result if all(max(s) == 1 for s in e.as_arrays())}
    assert pure == brute_force_pure(payoffs)


def test_gambit_timeout_is_reported_not_silent():
    gambit()
    # a degenerate 3-player game on which Gambit's enumpoly_solve can stall
    payoffs = [[[[1, 1], [0, 1]], [[1, 0], [0, 1]], [[1, 1], [0, 0]]],
               [[[1, 0], [1, 1]], [[0, 0], [1, 0]], [[1, 1], [1, 1]]],
               [[[0, 1], [0, 0]], [[1, 1], [0, 0]], [[1, 1], [1, 1]]]]
    game = NormalFormGame(payoffs)
    with pytest.warns(IncompleteEnumerationWarning, match="did not finish"):
        result = game.equilibria(timeout=1e-4)
    assert not result.complete
    assert all(e.regret <= TOL for e in result)
    pure = {tuple(int(np.argmax(s)) for s in e.as_arrays()) for e in result
            if all(max(s) == 1 for s in e.as_arrays())}
    assert pure == brute_force_pure([np.array(u) for u in payoffs])


@given(st.integers(0, 2 ** 32 - 1))
def test_payoff_vector_and_regret_match_brute_force_sums(seed):
    rng = np.random.default_rng(seed)
    shape = tuple(rng.integers(1, 4, size=3))
    payoffs = [rng.normal(size=shape) for _ in range(3)]
    profile = [rng.dirichlet(np.ones(s)) for s in shape]
    game = NormalFormGame(payoffs)
    expected = np.zeros(3)
    for cell in itertools.product(*[range(s) for s in shape]):
        weight = np.prod([profile[q][cell[q]] for q in range(3)])
        expected += weight * np.array([u[cell] for u in payoffs])
    assert np.allclose(game.payoff_vector(profile), expected, atol=1e-12)
    gains = []
    for p in range(3):
        for t in range(shape[p]):
            deviation = [np.eye(shape[q])[t] if q == p else profile[q] for q in range(3)]
            gains.append(NormalFormGame(payoffs).payoff_vector(deviation)[p] - expected[p])
    assert game.regret(profile) == pytest.approx(max(gains), abs=1e-12)


def test_exact_profiles_give_exact_payoffs():
    game = NormalFormGame.bimatrix([[F(1, 3), 0], [sympy.Rational(1, 2), 1]], [[1, 1], [1, 0]])
    value = game.payoff_vector([[F(1, 2), F(1, 2)], [F(1, 2), F(1, 2)]])
    assert value.tolist() == [F(11, 24), F(3, 4)]
    assert game.regret([[1, 0], [1, 0]]) == F(1, 6)


# -- conversions and display ----------------------------------------------------------------------------

def test_to_gambit_keeps_labels_title_and_exact_payoffs():
    gambit()
    game = NormalFormGame.bimatrix([[F(1, 3), 2], [0.1, -1]], [[1, 0], [0, 1]], players=["Row", "Col"],
                                   strategies=[["up", "down"], ["left", "right"]], title="t")
    gg = game.to_gambit()
    assert gg.title == "t"
    assert [p.label for p in gg.players] == ["Row", "Col"]
    assert [[s.label for s in p.strategies] for p in gg.players] == [["up", "down"], ["left", "right"]]
    arrays = gg.to_arrays()
    assert arrays[0].tolist() == [[F(1, 3), 2], [F(1, 10), -1]]


def test_to_nashpy_payoffs():
    game = NormalFormGame.bimatrix([[1, 2], [3, 4]], [[5, 6], [7, 8]])
    nash_game = game.to_nashpy()
    assert np.array_equal(nash_game.payoff_matrices[0], [[1, 2], [3, 4]])
    assert np.array_equal(nash_game.payoff_matrices[1], [[5, 6], [7, 8]])


def test_repr_shows_bimatrix_cells_and_labels():
    game = NormalFormGame.bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=["Row", "Column"],
                                   strategies=[["C", "D"], ["c", "d"]], title="Prisoner's dilemma")
    text = repr(game)
    assert "Prisoner's dilemma" in text
    assert "3, 3" in text and "0, 5" in text and "5, 0" in text and "1, 1" in text
    assert "Row \\ Column" in text


def test_defaults_and_attributes():
    game = NormalFormGame([np.zeros((2, 3)), np.ones((2, 3))])
    assert game.n_players == 2 and game.shape == (2, 3)
    assert game.players == ("Player 1", "Player 2")
    assert game.strategies == (("1", "2"), ("1", "2", "3"))
    assert all(isinstance(u, np.ndarray) and u.dtype == float for u in game.payoffs)
    with pytest.raises(ValueError):
        game.payoffs[0][0, 0] = 5.0  # read-only


# -- bad input --------------------------------------------------------------------------------------------

BAD_GAMES = [
    pytest.param(lambda: NormalFormGame([[[1, 2], [3]], [[1, 2], [3, 4]]]), "ragged", id="ragged"),
    pytest.param(lambda: NormalFormGame([[1, 2], [3, 4]]), "dimensions", id="wrong-ndim"),
    pytest.param(lambda: NormalFormGame.bimatrix([[1, 2]], [[1, 2], [3, 4]]), "same shape", id="shape-mismatch"),
    pytest.param(lambda: NormalFormGame.bimatrix([[1, float("nan")]], [[1, 2]]), "finite", id="nan"),
    pytest.param(lambda: NormalFormGame.bimatrix([[1, float("inf")]], [[1, 2]]), "finite", id="inf"),
    pytest.param(lambda: NormalFormGame.bimatrix([["a", 1]], [[1, 2]]), "not a number", id="string"),
    pytest.param(lambda: NormalFormGame.bimatrix([[True, 1]], [[1, 2]]), "boolean", id="bool"),
    pytest.param(lambda: NormalFormGame([]), "at least one player", id="no-players"),
    pytest.param(lambda: NormalFormGame.bimatrix(np.zeros((0, 2)), np.zeros((0, 2))), "at least one strategy",
                 id="no-strategies"),
    pytest.param(lambda: NormalFormGame.bimatrix([[1]], [[1]], players=["a"]), "players", id="player-labels"),
    pytest.param(lambda: NormalFormGame.bimatrix([[1, 2]], [[1, 2]], strategies=[["u"], ["l"]]), "strategies of",
                 id="strategy-labels"),
    pytest.param(lambda: NormalFormGame.bimatrix([[1]], [[1]]).equilibria(method="lemke"), "not one of",
                 id="unknown-method"),
    pytest.param(lambda: NormalFormGame.bimatrix([[1]], [[1]]).equilibria(tol=-1.0), "tol", id="bad-tol"),
    pytest.param(lambda: NormalFormGame([np.zeros((2, 2, 2))] * 3).to_nashpy(), "two-player", id="nashpy-3p"),
    pytest.param(lambda: NormalFormGame([np.zeros((2, 2, 2))] * 3).equilibria("vertex"), "two-player",
                 id="vertex-3p"),
    pytest.param(lambda: NormalFormGame.bimatrix([[1]], [[1]]).regret([[1], [0.5]]), "probability vector",
                 id="not-a-distribution"),
    pytest.param(lambda: NormalFormGame.bimatrix([[1, 2]], [[1, 2]]).regret([[1], [1]]), "probabilities",
                 id="wrong-profile-length"),
    pytest.param(lambda: NormalFormGame.bimatrix([[1]], [[1]]).equilibria("nashpy-support", exact=True),
                 "floating point", id="nashpy-exact"),
]


@pytest.mark.parametrize("build, message", BAD_GAMES)
def test_bad_input_raises_value_error(build, message):
    with pytest.raises(ValueError, match=message):
        build()


# -- tolerances relative to the payoffs ------------------------------------------------------------------

PRISONERS_DILEMMA = ([[3, 0], [5, 1]], [[3, 5], [0, 1]])
MATCHING_PENNIES = ([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])


def test_tiny_prisoners_dilemma_has_one_pure_equilibrium():
    """Scaled by 1e-12 the payoff differences are far below an absolute tolerance of 1e-9,
    but the game is the same: (defect, defect) is its only equilibrium."""
    A, B = (np.array(u, dtype=float) * 1e-12 for u in PRISONERS_DILEMMA)
    game = NormalFormGame.bimatrix(A, B)
    for result in (game.pure_equilibria(), game.equilibria(), game.equilibria(method="support")):
        assert [tuple(tuple(s) for s in e.strategies) for e in result] == [((0.0, 1.0), (0.0, 1.0))]
        assert result.complete


def test_huge_matching_pennies_has_its_mixed_equilibrium_without_a_warning():
    A, B = (np.array(u, dtype=float) * 1e12 for u in MATCHING_PENNIES)
    game = NormalFormGame.bimatrix(A, B)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an incomplete result would warn
        for method in ("vertex", "support"):
            result = game.equilibria(method=method)
            assert result.complete and len(result) == 1
            assert np.allclose(np.concatenate(result[0].as_arrays()), 0.5, atol=1e-12)
            assert result[0].regret <= 1e-9 * 2e12  # relative to the payoff range 2e12
        assert len(game.pure_equilibria()) == 0


@settings(max_examples=40, deadline=None)
@given(bimatrices(st.integers(0, 4), 2, 3), st.integers(-12, 12), st.integers(-12, 12),
       st.integers(-1000, 1000), st.integers(-1000, 1000))
def test_equilibrium_sets_are_invariant_under_positive_affine_maps_at_any_scale(AB, k1, k2, c1, c2):
    """Player p's payoffs mapped to 10**k_p * (u_p + c_p), in floating point: the equilibria
    are those of the original game, computed exactly."""
    A, B = (np.array(x, dtype=float) for x in AB)
    reference = NormalFormGame.bimatrix(A, B)
    expected = [flat(e) for e in reference.equilibria(exact=True)]
    expected_pure = [flat(e) for e in reference.pure_equilibria(exact=True)]
    mapped = NormalFormGame.bimatrix(10.0 ** k1 * (A + c1), 10.0 ** k2 * (B + c2))
    for method in ("vertex", "support"):
        result = mapped.equilibria(method=method)
        assert result.complete
        assert same_profiles([flat(e) for e in result], expected)
        assert len(result) == len(expected)
    assert same_profiles([flat(e) for e in mapped.pure_equilibria()], expected_pure)
    assert mapped.is_degenerate() == reference.is_degenerate()


@pytest.mark.parametrize("tol", [0, 0.0, -1e-9, float("nan"), float("inf"), 1e10, 0.5, 1e-300, True, "1e-9", None,
                                 1j])
def test_tolerances_outside_their_range_are_refused_by_name(tol):
    game = NormalFormGame.bimatrix(*PRISONERS_DILEMMA)
    for call in (lambda: game.equilibria(tol=tol), lambda: game.pure_equilibria(tol=tol),
                 lambda: game.is_degenerate(tol=tol)):
        with pytest.raises(ParameterError, match="tol") as info:
            call()
        assert info.value.name == "tol"


@pytest.mark.parametrize("big", [1e308, -1e308, 1.7e308])
def test_payoffs_near_the_float_limit_give_a_named_error(big):
    """Differences of such payoffs overflow to infinity; a named error, not numpy's
    LinAlgError ("SVD did not converge")."""
    with pytest.raises(ParameterError, match="payoffs of player 1") as info:
        NormalFormGame.bimatrix([[big, 0], [0, 1]], [[1, 0], [0, 1]]).equilibria()
    assert info.value.name == "payoffs"


# -- the cost of enumeration -------------------------------------------------------------------------------

def test_enumeration_cost_counts_the_linear_systems():
    """Vertex enumeration of an m x n game: C(m+n, m) systems of size m x (m+1) for P and
    C(m+n, n) of size n x (n+1) for Q; support enumeration: every |I| <= |K| pair."""
    from gametheory_aid.core.nash_enumeration import enumeration_cost
    assert enumeration_cost((10, 10), "vertex") == 184756 * (110 + 110)
    assert enumeration_cost((2, 3), "vertex") == 10 * (6 + 12)
    support_2x2 = sum(math.comb(2, a) * math.comb(2, b) * (b + 1) * (a + 2)
                      for a in (1, 2) for b in range(a, 3)) * 2
    assert enumeration_cost((2, 2), "support") == support_2x2


@pytest.mark.parametrize("method", ["vertex", "support", "auto", "nashpy-vertex", "nashpy-support"])
def test_enumeration_past_its_limit_is_refused_before_allocating(method):
    rng = np.random.default_rng(3)
    game = NormalFormGame.bimatrix(rng.normal(size=(12, 12)), rng.normal(size=(12, 12)))
    tracemalloc.start()
    try:
        with pytest.raises(ParameterError, match="enumeration of this 12 x 12 game") as info:
            game.equilibria(method=method)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    from gametheory_aid.core.nash_enumeration import MAX_SOLVE_ENTRIES, GameSizeError
    assert isinstance(info.value, GameSizeError)
    assert isinstance(info.value, ParameterError) and info.value.value > MAX_SOLVE_ENTRIES[False]
    assert peak < 10_000_000  # refused from the count, nothing of the systems allocated
    with pytest.raises(GameSizeError):
        game.is_degenerate()
    with pytest.raises(GameSizeError, match="exact"):
        NormalFormGame.bimatrix(np.eye(10), np.eye(10)).equilibria(exact=True)


def test_a_10_by_10_game_is_within_the_limit():
    from gametheory_aid.core.nash_enumeration import MAX_SOLVE_ENTRIES, enumeration_cost
    assert enumeration_cost((10, 10), "vertex") <= MAX_SOLVE_ENTRIES[False] < enumeration_cost((11, 11), "vertex")
    # the pure equilibria of any size stay available
    rng = np.random.default_rng(0)
    A = rng.normal(size=(30, 30))
    assert len(NormalFormGame.bimatrix(A, A).pure_equilibria()) >= 1  # a common-interest game


# -- hostile input to the constructors ----------------------------------------------------------
HOSTILE_ENTRIES = [float("nan"), float("inf"), -float("inf"), None, "1", b"1", True, np.bool_(True), 1 + 2j,
                   np.complex64(1), object(), np.datetime64("2020-01-01"), 10 ** 400, Fraction(-(10 ** 400), 7),
                   1e308, -1e301, [1, 2], np.array([]), {"a": 1}, np.ma.masked_array([[1.0]], [[True]])]


@settings(max_examples=200)
@given(st.integers(1, 3), st.integers(1, 3), st.data())
def test_hostile_payoff_entries_are_refused_with_a_package_error(m, n, data):
    """One hostile entry anywhere in a bimatrix game, or a hostile argument: the package's
    error (never TypeError, OverflowError, LinAlgError or a silent conversion)."""
    pay = [[[float(i + j) for j in range(n)] for i in range(m)] for _ in range(2)]
    where = data.draw(st.sampled_from(["entry", "payoffs", "player array", "players", "strategies", "title",
                                       "bimatrix"]))
    bad = data.draw(st.sampled_from(HOSTILE_ENTRIES))
    kwargs = {}
    if where == "entry":
        pay[data.draw(st.integers(0, 1))][data.draw(st.integers(0, m - 1))][data.draw(st.integers(0, n - 1))] = bad
    elif where == "payoffs":
        pay = bad
    elif where == "player array":
        pay[1] = bad
    elif where == "players":
        assume(not isinstance(bad, (list, np.ndarray, str)))  # a string is a valid name
        kwargs["players"] = ["A", bad]
    elif where == "strategies":
        kwargs["strategies"] = [[str(k) for k in range(m)], bad]
    elif where == "title":
        assume(not isinstance(bad, str))
        kwargs["title"] = bad
    with pytest.raises(ParameterError) as info:
        if where == "bimatrix":
            NormalFormGame.bimatrix(pay[0], bad)
        else:
            NormalFormGame(pay, **kwargs)
    assert str(info.value)


@settings(max_examples=50)
@given(st.integers(1, 4), st.integers(1, 4),
       st.sampled_from([int, float, Fraction, np.int64, np.float32, lambda v: sympy.Rational(v)]))
def test_valid_payoffs_of_every_number_type_still_build(m, n, kind):
    pay = [[[kind(i - j) for j in range(n)] for i in range(m)], [[kind(i * j) for j in range(n)] for i in range(m)]]
    game = NormalFormGame(pay)
    assert game.shape == (m, n) and len(game.pure_equilibria()) >= 1


def test_named_errors_for_huge_numbers_repeated_labels_and_size():
    with pytest.raises(ParameterError, match="beyond 1e\\+300"):
        NormalFormGame([[10 ** 400, 0]])  # not OverflowError while writing the message
    with pytest.raises(ParameterError, match="'a' is given more than once"):
        NormalFormGame([[1, 2]], strategies=[["a", "a"]])
    with pytest.raises(ParameterError, match="'P' is given more than once"):
        NormalFormGame.bimatrix([[1]], [[1]], players=["P", "P"])
    with pytest.raises(ParameterError, match="payoff entries"):
        NormalFormGame([np.zeros((1500, 1500)), np.zeros((1500, 1500))])  # refused before 4.5 M Fractions


def test_joint_blame_game_round_trips_through_nfg():
    """Joint-blame's game is a strategic one (no tree): its exact .nfg text reads back to the
    same game with the same equilibria."""
    from gametheory_aid.models import get_model

    game = get_model("joint-blame")().to_game()
    back = NormalFormGame.from_nfg(game.to_nfg())
    assert back == game and back.title == game.title
    ours = [e.strategies for e in game.equilibria(exact=True)]
    assert [e.strategies for e in back.equilibria(exact=True)] == ours
