r"""Extreme Nash equilibria of two-player games by vertex and support enumeration.

The algorithms behind ``NormalFormGame.equilibria(method="vertex")`` and
``method="support"`` (the model and the method are described in
:mod:`gametheory_aid.core.normal_form`):

* the vertices of a polytope :math:`\{z \ge 0,\ C z \le 1\}` with their tight constraints
  (:func:`polytope_vertices`), relabelled in the joint numbering of the best-response
  polytopes (:func:`vertex_labels`) and paired when completely labelled
  (:func:`complete_pairs`);
* the indifference systems of all support pairs (``_support_candidates``);
* the batched linear solvers both rely on: fraction-free exact elimination
  (``_integer_solve``, Bareiss 1968) and least squares with a rank and residual test
  (``_float_solve``);
* the certification of candidate pairs by their regret, which leaves out failures with an
  :class:`IncompleteEnumerationWarning`;
* the cost of an enumeration, counted before it starts (:func:`enumeration_cost`): both
  methods solve a number of linear systems exponential in the game's size, and a game whose
  systems would hold more than :data:`MAX_SOLVE_ENTRIES` matrix entries is refused with a
  :class:`~gametheory_aid.core.gambit_io.GameSizeError` instead of running out of memory.

Floating-point enumeration works on the payoffs mapped onto [1, 2] exactly
(``1 + (u - min u) / (max u - min u)``), so its tolerance is relative to each player's
payoff range.

The game-level functions take a two-player
:class:`~gametheory_aid.core.normal_form.NormalFormGame` whose arguments
:meth:`~gametheory_aid.core.normal_form.NormalFormGame.equilibria` has validated.
"""
from __future__ import annotations

import itertools
import math
import warnings
from fractions import Fraction

import numpy as np

from .gambit_io import GameInputError, GameSizeError
from .results import EquilibriumSet

__all__ = ["polytope_vertices", "vertex_labels", "complete_pairs", "IncompleteEnumerationWarning",
           "enumeration_cost", "MAX_SOLVE_ENTRIES"]

#: Most matrix entries (coefficients and right-hand sides) the batched linear systems of one
#: vertex or support enumeration may hold, in floating point (8 bytes each, about 0.4 GB)
#: and in exact arithmetic (Python integers, slower and larger).  A 10 x 10 game needs 4.1e7
#: for vertex enumeration, 11 x 11 1.9e8.
MAX_SOLVE_ENTRIES = {False: 50_000_000, True: 10_000_000}


def enumeration_cost(shape: tuple, method: str, stop: int | None = None) -> int:
    """Matrix entries of the linear systems that ``method`` solves for an ``m x n`` game.

    ``"vertex"``: every :math:`d` of the :math:`m + n` constraints of each polytope, a
    :math:`d \\times (d + 1)` system, for :math:`d = m` and :math:`d = n`.  ``"support"``:
    for each player, every support :math:`I` and reply set :math:`K` with
    :math:`|K| \\ge |I|`, a :math:`(|K| + 1) \\times (|I| + 2)` system.  Exact integers,
    counted without allocating; with ``stop``, counting ends once the total exceeds it.
    """
    m, n = shape
    if method == "vertex":
        return math.comb(m + n, m) * (m * (m + 1) + n * (n + 1))
    total = 0
    for rows, cols in ((m, n), (n, m)):
        for a in range(1, rows + 1):
            supports = math.comb(rows, a)
            for b in range(a, cols + 1):
                total += supports * math.comb(cols, b) * (b + 1) * (a + 2)
                if stop is not None and total > stop:
                    return total
    return total


def _check_cost(shape: tuple, method: str, exact: bool) -> None:
    """Refuse, before allocating, an enumeration beyond :data:`MAX_SOLVE_ENTRIES`."""
    limit = MAX_SOLVE_ENTRIES[bool(exact)]
    cost = enumeration_cost(shape, method, stop=limit)
    if cost > limit:
        arithmetic = "exact" if exact else "floating-point"
        shown = f"{cost:.3g}" if cost < 10 ** 300 else "more than 1e300"
        raise GameSizeError(f"{method} enumeration of this {shape[0]} x {shape[1]} game would solve linear systems "
                            f"with {'more than ' if method == 'support' else ''}{shown} matrix entries; at most "
                            f"{limit:.3g} are allowed in {arithmetic} arithmetic (the work grows exponentially with "
                            "the numbers of strategies): reduce the game, e.g. by removing dominated strategies",
                            name=f"{method} enumeration", value=cost, domain=f"at most {limit} matrix entries")


class IncompleteEnumerationWarning(UserWarning):
    """A candidate equilibrium failed its regret certificate and was left out."""


# -- polytope machinery (two players) ----------------------------------------------------------

def _positive_scale(payoff: np.ndarray, exact: bool) -> np.ndarray:
    """A positive affine image of a payoff matrix.

    Float mode: entries in [1, 2].  Exact mode: positive *integers* (Python ints in an
    object array), :math:`L (u - \\min u) + 1` with :math:`L` the least common multiple
    of the denominators, so that elimination can stay fraction-free.  Constant payoffs
    become all ones.
    """
    lo, hi = payoff.min(), payoff.max()
    if exact:
        scale = math.lcm(*[int(Fraction(v).denominator) for v in payoff.flat])
        return np.array([int((Fraction(v) - lo) * scale) + 1 for v in payoff.flat],
                        dtype=object).reshape(payoff.shape)
    if hi == lo:
        return np.ones(payoff.shape)
    return 1 + (payoff - lo) / (hi - lo)  # callers pass payoffs already mapped onto [0, 1]


def _integer_solve(matrix: np.ndarray, rhs: np.ndarray) -> tuple:
    """Exact solution of a batch of integer systems by fraction-free Gauss-Jordan
    elimination (Bareiss 1968): every intermediate entry is a minor of the augmented
    matrix, so all divisions are exact and only integers occur.

    Parameters
    ----------
    matrix : object array of ints, shape (N, r, c), r >= c
    rhs : object array of ints, shape (N, r)

    Returns
    -------
    numerators : object array of ints, shape (N, c)
    denominator : object array of ints, shape (N,)
        The solution is ``numerators / denominator`` (a non-zero determinant).
    ok : bool array, shape (N,)
        The system has full column rank and is consistent (a unique solution).
    """
    N, r, c = matrix.shape
    aug = np.concatenate([matrix, rhs[:, :, None]], axis=2)
    ok = np.ones(N, dtype=bool)
    idx = np.arange(N)
    previous = np.ones(N, dtype=object)
    for j in range(c):
        nonzero = (aug[:, j:, j] != 0).astype(bool)
        has = nonzero.any(axis=1)
        ok &= has
        pivot_row = j + np.argmax(nonzero, axis=1)
        row_j = aug[idx, j].copy()
        aug[idx, j] = aug[idx, pivot_row]
        aug[idx, pivot_row] = row_j
        pivot = np.where(has, aug[:, j, j], 1)
        factor = aug[:, :, j].copy()
        updated = (pivot[:, None, None] * aug - factor[:, :, None] * aug[:, j][:, None, :]) // previous[:, None, None]
        updated[:, j] = aug[:, j]  # the pivot row is kept
        aug, previous = updated, pivot
    ok &= (aug[:, c:, c] == 0).astype(bool).all(axis=1)
    return aug[:, :c, c], previous, ok


def _fractions(numerators: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """Object array of Fractions ``numerators / denominator`` (row-wise denominators)."""
    out = np.empty(numerators.shape, dtype=object)
    for k in range(numerators.shape[0]):
        out[k] = [Fraction(int(w), int(denominator[k])) for w in numerators[k]]
    return out


def _float_solve(matrix: np.ndarray, rhs: np.ndarray, tol: float) -> tuple:
    """Batched least squares with a rank and a residual test (float counterpart of
    :func:`_integer_solve`): unique solutions only."""
    N, r, c = matrix.shape
    if N == 0:
        return np.zeros((0, c)), np.zeros(0, dtype=bool)
    sv = np.linalg.svd(matrix, compute_uv=False)
    ok = sv[:, -1] > 1e-11 * sv[:, 0]
    solution = np.zeros((N, c))
    if ok.any():
        if r == c:
            solution[ok] = np.linalg.solve(matrix[ok], rhs[ok][:, :, None])[:, :, 0]
        else:
            solution[ok] = (np.linalg.pinv(matrix[ok]) @ rhs[ok][:, :, None])[:, :, 0]
        residual = np.abs(np.einsum("nrc,nc->nr", matrix, solution) - rhs).max(axis=1)
        ok &= residual <= tol
    return solution, ok


def _unique_rows(points: np.ndarray, exact: bool, tol: float) -> np.ndarray:
    """Indices of the first occurrence of each distinct row (within ``tol`` if float)."""
    if len(points) == 0:
        return np.zeros(0, dtype=int)
    if exact:
        seen, keep = set(), []
        for k, row in enumerate(map(tuple, points)):
            if row not in seen:
                seen.add(row)
                keep.append(k)
        return np.array(keep, dtype=int)
    close = np.abs(points[:, None, :] - points[None, :, :]).max(axis=2) <= tol
    return np.flatnonzero(~np.tril(close, -1).any(axis=1))


def polytope_vertices(constraints: np.ndarray, exact: bool = False, tol: float = 1e-9) -> tuple:
    """All vertices of :math:`\\{z \\in \\mathbb{R}^d : z \\ge 0,\\ C z \\le 1\\}`.

    Every set of :math:`d` of the :math:`d + k` constraints is solved as equalities
    (batched); the feasible solutions, deduplicated, are the vertices.

    Parameters
    ----------
    constraints : array, shape (k, d)
        :math:`C`, with positive entries so that the polytope is bounded.
    exact : bool
        Rational arithmetic (entries Fractions) instead of floating point.
    tol : float
        Feasibility, tightness and duplicate tolerance (float mode).

    Returns
    -------
    vertices : array, shape (v, d)
        Object array of Fractions if ``exact``; includes the origin.
    tight : bool array, shape (v, d + k)
        Which constraints hold with equality: columns ``0..d-1`` are :math:`z_i = 0`,
        columns ``d..d+k-1`` are :math:`(C z)_j = 1`.
    """
    C = np.asarray(constraints, dtype=object if exact else float)
    if C.ndim != 2 or 0 in C.shape:
        raise GameInputError(f"constraints must be a non-empty (k, d) matrix, got shape {C.shape}", name="constraints",
                             value=C.shape, domain="a non-empty 2-d array")
    k, d = C.shape
    limit = MAX_SOLVE_ENTRIES[bool(exact)]
    cost = math.comb(d + k, d) * d * (d + 1)
    if cost > limit:
        raise GameSizeError(f"the vertices of a polytope with {d} variables and {k} constraints would need linear "
                            f"systems with {cost:.3g} matrix entries; at most {limit:.3g} are allowed",
                            name="polytope vertices", value=cost, domain=f"at most {limit} matrix entries")
    one, zero = (1, 0) if exact else (1.0, 0.0)
    minus_identity = np.where(np.eye(d, dtype=bool), -one, zero).astype(C.dtype)
    G = np.concatenate([minus_identity, C], axis=0)
    h = np.array([zero] * d + [one] * k, dtype=C.dtype)
    bases = np.array(list(itertools.combinations(range(d + k), d)), dtype=int)
    if exact:
        if not all(isinstance(v, (int, np.integer)) for v in C.flat):  # clear denominators
            C = np.asarray(C, dtype=object)
            scale = math.lcm(*[Fraction(v).denominator for v in C.flat])
            G = np.concatenate([minus_identity, np.vectorize(lambda v: int(Fraction(v) * scale),
                                                             otypes=[object])(C)], axis=0)
            h = np.array([0] * d + [scale] * k, dtype=object)
        numer, denom, ok = _integer_solve(G[bases], h[bases])
        sign = np.where(denom > 0, 1, -1).astype(object)
        slack = (denom[:, None] * h[None, :] - numer @ G.T) * sign[:, None]  # = |D| (h - G z)
        feasible = ok & (slack >= 0).astype(bool).all(axis=1)
        verts = _fractions(numer[feasible], denom[feasible])
        keep = _unique_rows(verts, True, tol)
        verts = verts[keep]
        tight = (slack[feasible][keep] == 0).astype(bool)
        return verts, tight
    solution, ok = _float_solve(G[bases], h[bases], tol)
    slack = h[None, :] - solution @ G.T
    feasible = ok & (slack >= -tol).all(axis=1)
    verts = solution[feasible]
    verts = verts[_unique_rows(verts, False, tol)]
    verts[np.abs(verts) <= tol] = 0.0
    tight = np.abs(h[None, :] - verts @ G.T) <= tol
    return verts, tight


def vertex_labels(tight: np.ndarray, dim: int, player: int) -> np.ndarray:
    """Labels of best-response-polytope vertices in the joint numbering ``0..m+n-1``.

    Parameters
    ----------
    tight : bool array, shape (v, m + n)
        :func:`polytope_vertices`' tightness mask: the first ``dim`` columns are the
        non-negativity constraints.
    dim : int
        The polytope's dimension (``m`` for player 1's :math:`P`, ``n`` for :math:`Q`).
    player : {0, 1}
        For :math:`P` (``0``) the mask is already in label order (:math:`x_i = 0` ->
        ``i``, :math:`(B^\\top x)_j = 1` -> ``m + j``).  For :math:`Q` (``1``) the blocks
        are swapped: :math:`(A y)_i = 1` -> ``i``, :math:`y_j = 0` -> ``m + j``.
    """
    tight = np.asarray(tight, dtype=bool)
    if player == 0:
        return tight
    if player != 1:
        raise GameInputError(f"vertex_labels: player must be 0 or 1, got {player!r}", name="player", value=player,
                             domain="0 or 1")
    return np.concatenate([tight[:, dim:], tight[:, :dim]], axis=1)


def complete_pairs(labels_p: np.ndarray, labels_q: np.ndarray) -> np.ndarray:
    """Index pairs ``(a, b)`` with ``labels_p[a] | labels_q[b]`` covering every label.

    Parameters
    ----------
    labels_p, labels_q : bool arrays, shapes (v_P, L) and (v_Q, L)

    Returns
    -------
    int array, shape (pairs, 2)
    """
    covered = (np.asarray(labels_p, bool)[:, None, :] | np.asarray(labels_q, bool)[None, :, :]).all(axis=2)
    return np.argwhere(covered)


# -- enumeration of a game -----------------------------------------------------------------

def _scaled(game, exact: bool) -> tuple:
    """The game's payoff matrices :math:`(A, B)`, each mapped to positive values (:func:`_positive_scale`).

    In floating point from the payoffs mapped exactly onto [0, 1], so that no precision is
    lost to the payoffs' own offset and scale.
    """
    A, B = game._exact if exact else game._normalised()[1]
    return _positive_scale(A, exact), _positive_scale(B, exact)


def _polytopes(game, exact: bool, tol: float) -> tuple:
    """Vertices and joint labels of :math:`P` and :math:`Q` (normalised payoffs)."""
    A, B = _scaled(game, exact)
    m, n = game.shape
    xs, tight_p = polytope_vertices(B.T, exact, tol)
    ys, tight_q = polytope_vertices(A, exact, tol)
    return xs, vertex_labels(tight_p, m, 0), ys, vertex_labels(tight_q, n, 1)


def _pair_up(game, xs, ys, pairs, method: str, exact: bool, tol: float, degenerate: bool) -> EquilibriumSet:
    """Normalise vertex pairs into equilibria, certify them, flag continua."""
    eqs, dropped = [], 0
    if len(pairs):
        # a strategy with two or more distinct extreme partners lies on an equilibrium segment
        continuum = bool((np.bincount(pairs[:, 0]) > 1).any() or (np.bincount(pairs[:, 1]) > 1).any())
    else:
        continuum = False
    for a, b in pairs:
        x, y = xs[a], ys[b]
        profile = (x / x.sum(), y / y.sum())
        if not exact:
            profile = tuple(np.asarray(s, dtype=float) for s in profile)
        eq, certified = game._candidate(profile, method, exact, tol)
        if not certified:
            dropped += 1
            continue
        eqs.append(eq)
    if dropped:
        warnings.warn(f"{dropped} candidate equilibria of {game.title or 'the game'} failed the regret "
                      f"certificate (tolerance {tol} of each player's payoff range) and were left out; "
                      "try exact=True",
                      IncompleteEnumerationWarning, stacklevel=3)
    eqs.sort(key=lambda e: tuple(float(v) for s in e.strategies for v in s))
    return EquilibriumSet(eqs, method=method, exact=exact, degenerate=degenerate,
                          continuum=continuum, complete=not dropped)


def _vertex_enumeration(game, exact: bool, tol: float) -> EquilibriumSet:
    """All extreme equilibria: the completely labelled non-zero vertex pairs of :math:`P \\times Q`."""
    m, n = game.shape
    xs, lp, ys, lq = _polytopes(game, exact, tol)
    nonzero_x = np.array([any(v != 0 for v in row) for row in xs], dtype=bool)
    nonzero_y = np.array([any(v != 0 for v in row) for row in ys], dtype=bool)
    xs, lp, ys, lq = xs[nonzero_x], lp[nonzero_x], ys[nonzero_y], lq[nonzero_y]
    degenerate = bool((lp.sum(axis=1) > m).any() or (lq.sum(axis=1) > n).any())
    return _pair_up(game, xs, ys, complete_pairs(lp, lq), "vertex enumeration", exact, tol, degenerate)


def _support_candidates(payoff: np.ndarray, exact: bool, tol: float) -> tuple:
    """Strategies of one player that make the other indifferent over a set of replies.

    ``payoff`` is the *opponent's* payoff with the player's strategies on axis 0.
    For every support :math:`I` and every set :math:`K` of opponent replies with
    :math:`|K| \\ge |I|`, solve :math:`\\sum_{i \\in I} x_i\\,c_{ik} - v = 0\\ (k \\in K)`,
    :math:`\\sum_{i \\in I} x_i = 1`; keep unique non-negative solutions for which
    every :math:`k \\in K` is a best reply.  Returns (strategies, number of labels).
    """
    m, n = payoff.shape
    zero, one = (0, 1) if exact else (0.0, 1.0)  # exact mode: integer payoffs
    dtype = object if exact else float
    found = []
    for a in range(1, m + 1):
        supports = np.array(list(itertools.combinations(range(m), a)), dtype=int)
        for b in range(a, n + 1):
            replies = np.array(list(itertools.combinations(range(n), b)), dtype=int)
            I = np.repeat(supports, len(replies), axis=0)  # noqa: E741 (the paper's index set)
            K = np.tile(replies, (len(supports), 1))
            N = len(I)
            # rows k in K: payoff[I, k]^T x - v = 0; last row: sum x = 1
            block = payoff[I[:, :, None], K[:, None, :]].transpose(0, 2, 1)  # (N, b, a)
            matrix = np.empty((N, b + 1, a + 1), dtype=dtype)
            matrix[:, :b, :a] = block
            matrix[:, :b, a] = -one
            matrix[:, b, :a] = one
            matrix[:, b, a] = zero
            rhs = np.full((N, b + 1), zero, dtype=dtype)
            rhs[:, b] = one
            rows = np.arange(N)[:, None]
            if exact:
                numer, denom, ok = _integer_solve(matrix, rhs)
                sign = np.where(denom > 0, 1, -1).astype(object)
                scaled = np.full((N, m), 0, dtype=object)  # |D| x, integers
                scaled[rows, I] = numer[:, :a] * sign[:, None]
                ok &= (scaled >= 0).astype(bool).all(axis=1)
                value = scaled @ payoff  # |D| times the opponent's payoffs
                top = value.max(axis=1)
                best = (np.take_along_axis(value, K, axis=1) == top[:, None]).astype(bool)
                ok &= best.all(axis=1)
                found.append(_fractions(scaled[ok], (denom * sign)[ok]))
                continue
            sol, ok = _float_solve(matrix, rhs, tol)
            ok &= (sol[:, :a] >= -tol).all(axis=1)
            x = np.zeros((N, m))
            x[rows, I] = sol[:, :a]
            # clear round-off below zero and renormalise (failed rows stay 0)
            x = np.clip(x, 0.0, None)
            total = x.sum(axis=1, keepdims=True)
            ok &= total[:, 0] > 0
            x = np.divide(x, total, out=np.zeros_like(x), where=total > 0)
            value = x @ payoff  # (N, n) opponent's payoffs
            top = value.max(axis=1)
            ok &= (np.take_along_axis(value, K, axis=1) >= top[:, None] - tol).all(axis=1)
            found.append(x[ok])
    xs = np.concatenate(found, axis=0)
    xs = xs[_unique_rows(xs, exact, tol)]
    value = xs @ payoff
    top = value.max(axis=1)
    if exact:
        n_labels = (xs == 0).astype(bool).sum(axis=1) + (value == top[:, None]).astype(bool).sum(axis=1)
    else:
        n_labels = (xs <= tol).sum(axis=1) + (value >= top[:, None] - tol).sum(axis=1)
    return xs, n_labels


def _support_enumeration(game, exact: bool, tol: float) -> EquilibriumSet:
    """All extreme equilibria: the zero-regret pairs of both players' support candidates."""
    A, B = _scaled(game, exact)
    m, n = game.shape
    xs, labels_x = _support_candidates(B, exact, tol)
    ys, labels_y = _support_candidates(A.T, exact, tol)
    # pair by the regret of each candidate pair (both players, normalised payoffs)
    AY = A @ ys.T  # (m, ny)
    XB = xs @ B  # (nx, n)
    reg_1 = AY.max(axis=0)[None, :] - xs @ AY
    reg_2 = XB.max(axis=1)[:, None] - XB @ ys.T
    if exact:
        ok = ((reg_1 == 0) & (reg_2 == 0)).astype(bool)
    else:
        ok = (reg_1 <= tol) & (reg_2 <= tol)
    degenerate = bool((labels_x > m).any() or (labels_y > n).any())
    return _pair_up(game, xs, ys, np.argwhere(ok), "support enumeration", exact, tol, degenerate)
