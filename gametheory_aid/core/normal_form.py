r"""Finite games in strategic (normal) form and their Nash equilibria.

The model
---------
A finite game has players :math:`p = 1, \dots, n`, finite pure-strategy sets
:math:`S_p` with :math:`|S_p| = s_p`, and payoff tensors
:math:`u_p : S_1 \times \dots \times S_n \to \mathbb{R}`.  A mixed profile
:math:`\sigma = (\sigma_1, \dots, \sigma_n)`, :math:`\sigma_p \in \Delta(S_p)`, gives
player :math:`p` the expected payoff

.. math:: U_p(\sigma) = \sum_{s \in S} u_p(s) \prod_q \sigma_q(s_q).

Its *regret* is :math:`\max_p \bigl(\max_{t \in S_p} U_p(t, \sigma_{-p}) - U_p(\sigma)\bigr)
\ge 0`; :math:`\sigma` is a Nash equilibrium iff the regret is 0.

Two players: vertex enumeration
-------------------------------
For a bimatrix game :math:`(A, B)` (both :math:`m \times n`) shift and scale each
player's payoffs to be positive (equilibria are invariant under positive affine maps of
one player's payoffs) and form the best-response polytopes

.. math::
   P = \{x \in \mathbb{R}^m : x \ge 0,\ B^\top x \le 1\}, \qquad
   Q = \{y \in \mathbb{R}^n : A y \le 1,\ y \ge 0\}.

Label the :math:`m + n` constraints: in :math:`P`, :math:`x_i = 0` has label :math:`i`
and :math:`(B^\top x)_j = 1` has label :math:`m + j`; in :math:`Q`, :math:`(A y)_i = 1`
has label :math:`i` and :math:`y_j = 0` has label :math:`m + j`.  A pair of vertices
:math:`(x, y) \ne (0, 0)` whose labels together cover :math:`\{0, \dots, m+n-1\}`
("completely labelled"), rescaled to probability vectors, is an *extreme* Nash
equilibrium, and every extreme equilibrium arises so -- also in degenerate games
(von Stengel 2002, *Handbook of Game Theory* 3, ch. 45, Thm 2.14; Avis, Rosenberg, Savani
& von Stengel 2010, *Economic Theory* 42, "Enumeration of Nash equilibria for two-player
games").  Vertices are found by choosing every set of :math:`m` (resp. :math:`n`)
constraints, solving them as equalities (a batched ``numpy.linalg.solve``, or exact
rational elimination) and keeping the feasible solutions.

The game is *degenerate* when some vertex has more tight constraints than the dimension;
then an extreme equilibrium strategy may have several extreme partners, and every
convex combination of partners is also an equilibrium (a *continuum*): the set of
extreme equilibria is returned with ``continuum=True``.

Support enumeration over all support pairs
------------------------------------------
For supports :math:`I \subseteq S_1` and a set :math:`K \subseteq S_2` of columns that
must be player 2's best replies, player 1's strategy solves the indifference system
:math:`\sum_{i \in I} x_i b_{ik} = v\ (k \in K)`, :math:`\sum_{i\in I} x_i = 1`, :math:`x_i
= 0\ (i \notin I)`.  All pairs with :math:`|K| \ge |I|` are tried (the system is then
square or over-determined, solved exactly or with a residual test); the unique, non-negative
(up to a tolerance) solutions whose columns :math:`K` really are best replies are exactly
the non-zero vertices of :math:`P`, normalised.  The same for player 2.  Pairs with zero
regret are the extreme equilibria: an independent route to the same set, valid for
unequal support sizes and degenerate games.

More players
------------
Pure equilibria are found by checking, for all profiles at once, that every player's
payoff is maximal along her own axis.  Mixed equilibria of games with more than two
players come from Gambit when ``pygambit`` is installed: its polynomial-system
enumeration (``enumpoly_solve``, run in a child process with a time limit because it can
stall on degenerate games) and the limit of the principal logit quantal-response branch
(``logit_solve``), refined by Newton's method on its support until the regret is below
the tolerance.  Neither is exhaustive, so the set is reported with ``complete=False``.
"""
from __future__ import annotations

import itertools
import math
import warnings
from fractions import Fraction
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .._optional import require
from . import gambit_io
from .results import Equilibrium, EquilibriumSet, format_table

__all__ = ["NormalFormGame", "polytope_vertices", "vertex_labels", "complete_pairs",
           "IncompleteEnumerationWarning"]

METHODS = ("auto", "vertex", "support", "pure", "nashpy-support", "nashpy-vertex", "gambit")


class IncompleteEnumerationWarning(UserWarning):
    """A candidate equilibrium failed its regret certificate and was left out."""


# -- input validation ---------------------------------------------------------------------

def _validate_payoffs(payoffs: Any) -> tuple:
    """Exact (object arrays of Fractions) and float payoff tensors, and the game's shape."""
    if isinstance(payoffs, (str, bytes)) or not hasattr(payoffs, "__len__"):
        raise ValueError(f"payoffs must be a sequence of n payoff arrays, one per player; got {type(payoffs).__name__}")
    n = len(payoffs)
    if n == 0:
        raise ValueError("payoffs: a game needs at least one player (got an empty sequence)")
    exact = []
    for p, raw in enumerate(payoffs):
        try:
            arr = np.array(raw, dtype=object)
        except ValueError as exc:  # numpy refuses ragged nesting
            raise ValueError(f"payoffs of player {p + 1} are ragged (rows of unequal length): {exc}") from None
        if any(isinstance(v, (list, tuple, np.ndarray)) for v in arr.flat):
            raise ValueError(f"payoffs of player {p + 1} are ragged (rows of unequal length)")
        if arr.ndim != n:
            raise ValueError(f"payoffs of player {p + 1} have {arr.ndim} dimensions (shape {arr.shape}); "
                             f"a {n}-player game needs {n} dimensions, one per player")
        try:
            exact.append(np.vectorize(gambit_io.to_fraction, otypes=[object])(arr) if arr.size else arr)
        except ValueError as exc:
            raise ValueError(f"payoffs of player {p + 1}: {exc}; payoffs must be finite real numbers") from None
    shape = exact[0].shape
    for p, arr in enumerate(exact):
        if arr.shape != shape:
            raise ValueError(f"payoffs of player {p + 1} have shape {arr.shape} but player 1's have shape "
                             f"{shape}; all players' payoff arrays must have the same shape")
    if any(s == 0 for s in shape):
        raise ValueError(f"payoff shape {shape}: every player needs at least one strategy")
    floats = tuple(np.array(arr, dtype=float) for arr in exact)
    for f in floats:
        f.setflags(write=False)
    return tuple(exact), floats, tuple(int(s) for s in shape)


def _labels(given, default, what: str, size: int) -> tuple:
    if given is None:
        return tuple(default)
    out = tuple(str(g) for g in given)
    if len(out) != size:
        raise ValueError(f"{what}: {len(out)} labels given but {size} needed")
    return out


def _is_exact_number(v: Any) -> bool:
    return (isinstance(v, (int, Fraction, np.integer)) and not isinstance(v, (bool, np.bool_))) \
        or bool(getattr(v, "is_Rational", False))


# -- tensor contractions --------------------------------------------------------------------

def _deviation_payoffs(payoff: np.ndarray, profile: Sequence[np.ndarray], player: int) -> np.ndarray:
    """:math:`U_p(t, \\sigma_{-p})` for every pure strategy :math:`t` of ``player``.

    Contracts the payoff tensor with every other player's mixed strategy, highest axis
    first so that the lower axes keep their positions.
    """
    out = payoff
    for q in reversed(range(payoff.ndim)):
        if q != player:
            out = np.tensordot(out, profile[q], axes=([q], [0]))
    return out


def _regret_and_payoffs(payoffs: Sequence[np.ndarray], profile: Sequence[np.ndarray]) -> tuple:
    values, regrets = [], []
    for p, u in enumerate(payoffs):
        dev = _deviation_payoffs(u, profile, p)
        value = np.dot(dev, profile[p])
        values.append(value)
        regrets.append(max(dev) - value)
    return max(regrets), values


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
    return 1 + (payoff - lo) / (hi - lo)


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
    k, d = C.shape
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
        raise ValueError(f"vertex_labels: player must be 0 or 1, got {player!r}")
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


# -- the game -------------------------------------------------------------------------------

class NormalFormGame:
    """A finite game in strategic form.

    Parameters
    ----------
    payoffs : sequence of n array-likes
        ``payoffs[p]`` has shape ``(s_1, ..., s_n)``: player ``p``'s payoff at each pure
        profile.  Entries may be ints, floats, Fractions or sympy Rationals; they are kept
        exactly (floats as their shortest decimal) for ``exact=True`` computations.
    players : sequence of str, optional
        Names (default ``"Player 1"``, ...).
    strategies : sequence of sequences of str, optional
        Per player, strategy labels (default ``"1"``, ``"2"``, ...).
    title : str, optional

    Raises
    ------
    ValueError
        Ragged or mis-shaped payoffs, non-finite or non-numeric entries, label counts
        that do not match the shape.

    Attributes
    ----------
    n_players : int
    shape : tuple of int
    payoffs : tuple of read-only float arrays
    players : tuple of str
    strategies : tuple of tuples of str
    title : str
    """

    def __init__(self, payoffs, players=None, strategies=None, title: str = ""):
        exact, floats, shape = _validate_payoffs(payoffs)
        self._exact = exact
        self.payoffs = floats
        self.shape = shape
        self.n_players = len(shape)
        self.players = _labels(players, [f"Player {p + 1}" for p in range(self.n_players)], "players",
                               self.n_players)
        if strategies is None:
            self.strategies = tuple(tuple(str(k + 1) for k in range(s)) for s in shape)
        else:
            if len(strategies) != self.n_players:
                raise ValueError(f"strategies: labels for {len(strategies)} players given but the game has "
                                 f"{self.n_players}")
            self.strategies = tuple(_labels(st, (), f"strategies of {self.players[p]}", shape[p])
                                    for p, st in enumerate(strategies))
        self.title = str(title)

    @classmethod
    def bimatrix(cls, row_payoffs, column_payoffs, **kw) -> "NormalFormGame":
        """The two-player game in which the row player gets ``row_payoffs`` (:math:`A`) and
        the column player ``column_payoffs`` (:math:`B`), both of shape ``(m, n)``."""
        return cls([row_payoffs, column_payoffs], **kw)

    @property
    def exact_payoffs(self) -> tuple:
        """The payoffs as object arrays of :class:`~fractions.Fraction`."""
        return tuple(a.copy() for a in self._exact)

    # -- profiles -------------------------------------------------------------------------
    def _profile(self, profile, tol: float = 1e-9) -> tuple:
        """Validated mixed profile: (tuple of arrays, exact?)."""
        if len(profile) != self.n_players:
            raise ValueError(f"profile has {len(profile)} strategies but the game has {self.n_players} players")
        flat = [v for s in profile for v in np.ravel(np.array(s, dtype=object))]
        exact = all(_is_exact_number(v) for v in flat)
        out = []
        for p, s in enumerate(profile):
            arr = np.array(s, dtype=object).ravel()
            if arr.size != self.shape[p]:
                raise ValueError(f"strategy of {self.players[p]} has {arr.size} probabilities but "
                                 f"{self.shape[p]} are needed")
            if exact:
                arr = np.array([gambit_io.to_fraction(v) for v in arr], dtype=object)
                bad = (arr < 0).astype(bool).any() or sum(arr) != 1
            else:
                arr = np.array(arr, dtype=float)
                if not np.isfinite(arr).all():
                    raise ValueError(f"strategy of {self.players[p]} has non-finite entries: {arr}")
                bad = (arr < -tol).any() or abs(arr.sum() - 1) > 1e-6
            if bad:
                raise ValueError(f"strategy of {self.players[p]} = {list(arr)} is not a probability vector "
                                 "(non-negative entries summing to 1)")
            out.append(arr)
        return tuple(out), exact

    def payoff_vector(self, profile) -> np.ndarray:
        """Expected payoffs :math:`(U_1(\\sigma), \\dots, U_n(\\sigma))` of a mixed profile.

        Exact (an object array of Fractions) when every probability is an int, Fraction or
        sympy Rational; float otherwise.
        """
        prof, exact = self._profile(profile)
        pay = self._exact if exact else self.payoffs
        return np.array(_regret_and_payoffs(pay, prof)[1], dtype=object if exact else float)

    def regret(self, profile) -> float:
        """:math:`\\max_p (\\max_t U_p(t, \\sigma_{-p}) - U_p(\\sigma))`: 0 exactly at a Nash
        equilibrium (a Fraction when the profile is exact)."""
        prof, exact = self._profile(profile)
        pay = self._exact if exact else self.payoffs
        r = _regret_and_payoffs(pay, prof)[0]
        return r if exact else float(r)

    def _equilibrium(self, profile: tuple, method: str, exact: bool, tol: float) -> Equilibrium:
        pay = self._exact if exact else self.payoffs
        regret, values = _regret_and_payoffs(pay, profile)
        if exact:
            strategies = tuple(tuple(Fraction(v) for v in s) for s in profile)
            return Equilibrium(strategies, tuple(Fraction(v) for v in values), method, True, Fraction(regret), 0.0)
        strategies = tuple(tuple(float(v) for v in s) for s in profile)
        return Equilibrium(strategies, tuple(float(v) for v in values), method, False, max(float(regret), 0.0), tol)

    # -- pure equilibria ----------------------------------------------------------------------
    def pure_equilibria(self, exact: bool = False, tol: float = 1e-9) -> EquilibriumSet:
        """All pure-strategy Nash equilibria, by checking every profile at once.

        A profile :math:`s` is an equilibrium iff for every player :math:`u_p(s) \\ge
        \\max_t u_p(t, s_{-p})` (within ``tol`` unless ``exact``).  Vectorised: the maximum
        along each player's own axis is broadcast back over the whole tensor.
        """
        pay = self._exact if exact else self.payoffs
        best = np.ones(self.shape, dtype=bool)
        for p, u in enumerate(pay):
            top = u.max(axis=p, keepdims=True)
            best &= (u >= top).astype(bool) if exact else (u >= top - tol)
        one, zero = (Fraction(1), Fraction(0)) if exact else (1.0, 0.0)
        eqs = []
        for cell in np.argwhere(best):
            profile = tuple(np.array([one if k == c else zero for k in range(s)], dtype=object if exact else float)
                            for c, s in zip(cell, self.shape))
            eqs.append(self._equilibrium(profile, "pure enumeration", exact, tol))
        return EquilibriumSet(eqs, method="pure enumeration", exact=exact, complete=True)

    # -- two-player enumeration ------------------------------------------------------------------
    def _require_two(self, what: str) -> None:
        if self.n_players != 2:
            raise ValueError(f"{what} needs a two-player game; this game has {self.n_players} players")

    def _scaled(self, exact: bool) -> tuple:
        A, B = self._exact if exact else self.payoffs
        return _positive_scale(A, exact), _positive_scale(B, exact)

    def _polytopes(self, exact: bool, tol: float) -> tuple:
        """Vertices and joint labels of :math:`P` and :math:`Q` (normalised payoffs)."""
        A, B = self._scaled(exact)
        m, n = self.shape
        xs, tight_p = polytope_vertices(B.T, exact, tol)
        ys, tight_q = polytope_vertices(A, exact, tol)
        return xs, vertex_labels(tight_p, m, 0), ys, vertex_labels(tight_q, n, 1)

    def is_degenerate(self, tol: float = 1e-9) -> bool:
        """Whether the (two-player) game is degenerate: some vertex of a best-response
        polytope has more tight constraints (labels) than the polytope's dimension --
        equivalently, some mixed strategy with support of size :math:`k` has more than
        :math:`k` pure best replies (von Stengel 2002, Thm 2.10)."""
        self._require_two("is_degenerate")
        xs, lp, ys, lq = self._polytopes(False, tol)
        m, n = self.shape
        return bool((lp.sum(axis=1) > m).any() or (lq.sum(axis=1) > n).any())

    def _pair_up(self, xs, ys, pairs, method: str, exact: bool, tol: float, degenerate: bool) -> EquilibriumSet:
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
            eq = self._equilibrium(profile, method, exact, tol)
            if exact and eq.regret != 0 or not exact and eq.regret > tol:
                dropped += 1
                continue
            eqs.append(eq)
        if dropped:
            warnings.warn(f"{dropped} candidate equilibria of {self.title or 'the game'} failed the regret "
                          f"certificate (tolerance {tol}) and were left out; try exact=True",
                          IncompleteEnumerationWarning, stacklevel=3)
        eqs.sort(key=lambda e: tuple(float(v) for s in e.strategies for v in s))
        return EquilibriumSet(eqs, method=method, exact=exact, degenerate=degenerate,
                              continuum=continuum, complete=not dropped)

    def _vertex_enumeration(self, exact: bool, tol: float) -> EquilibriumSet:
        m, n = self.shape
        xs, lp, ys, lq = self._polytopes(exact, tol)
        nonzero_x = np.array([any(v != 0 for v in row) for row in xs], dtype=bool)
        nonzero_y = np.array([any(v != 0 for v in row) for row in ys], dtype=bool)
        xs, lp, ys, lq = xs[nonzero_x], lp[nonzero_x], ys[nonzero_y], lq[nonzero_y]
        degenerate = bool((lp.sum(axis=1) > m).any() or (lq.sum(axis=1) > n).any())
        return self._pair_up(xs, ys, complete_pairs(lp, lq), "vertex enumeration", exact, tol, degenerate)

    def _support_candidates(self, payoff: np.ndarray, exact: bool, tol: float) -> tuple:
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
                I = np.repeat(supports, len(replies), axis=0)
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

    def _support_enumeration(self, exact: bool, tol: float) -> EquilibriumSet:
        A, B = self._scaled(exact)
        m, n = self.shape
        xs, labels_x = self._support_candidates(B, exact, tol)
        ys, labels_y = self._support_candidates(A.T, exact, tol)
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
        return self._pair_up(xs, ys, np.argwhere(ok), "support enumeration", exact, tol, degenerate)

    # -- external solvers ---------------------------------------------------------------------------
    def _from_pairs(self, pairs, method: str, tol: float, complete: bool, degenerate: bool) -> EquilibriumSet:
        eqs, dropped, seen = [], 0, set()
        for profile in pairs:
            profile = tuple(np.asarray(s, dtype=float) for s in profile)
            key = tuple(np.round(np.concatenate(profile) / max(tol, 1e-12)).astype(np.int64))
            if key in seen:
                continue
            seen.add(key)
            eq = self._equilibrium(profile, method, False, tol)
            if eq.regret > tol:
                dropped += 1
                continue
            eqs.append(eq)
        if dropped:
            warnings.warn(f"{dropped} equilibria returned by {method} have regret above {tol} and were left out",
                          IncompleteEnumerationWarning, stacklevel=3)
        eqs.sort(key=lambda e: tuple(v for s in e.strategies for v in s))
        return EquilibriumSet(eqs, method=method, exact=False, degenerate=degenerate,
                              complete=complete and not dropped)

    def _nashpy(self, which: str, tol: float) -> EquilibriumSet:
        game = self.to_nashpy()
        degenerate = self.is_degenerate(tol)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                if which == "support":
                    pairs = list(game.support_enumeration(non_degenerate=False, tol=tol))
                else:
                    pairs = list(game.vertex_enumeration())
            except Exception as exc:  # nashpy's vertex enumeration fails on some degenerate games
                raise ValueError(f"nashpy's {which} enumeration failed on this game "
                                 f"({type(exc).__name__}: {exc}); use method='vertex'") from exc
        # nashpy's support enumeration can miss equilibria (equal-size supports, sign test
        # without tolerance); its vertex enumeration only covers non-degenerate games.
        complete = which == "vertex" and not degenerate
        return self._from_pairs(pairs, f"nashpy {which} enumeration", tol, complete, degenerate)

    def _gambit(self, exact: bool, tol: float, timeout: float) -> EquilibriumSet:
        gbt = require("pygambit", "gambit")
        if self.n_players == 2:
            game = self.to_gambit()
            result = gbt.nash.enummixed_solve(game, rational=exact)
            method = "gambit enummixed"
            profiles = [[[e[s] for s in p.strategies] for p in game.players] for e in result.equilibria]
        else:
            if exact:
                raise ValueError("method='gambit' with exact=True needs a two-player game (Gambit's "
                                 "polynomial enumeration for more players is floating point)")
            method = "gambit enumpoly"
            profiles = _enumpoly_with_timeout(self.to_nfg(), timeout)
            if profiles is None:
                warnings.warn(f"Gambit's enumpoly_solve did not finish within {timeout} s (it can stall on "
                              "degenerate games); its equilibria are missing", IncompleteEnumerationWarning,
                              stacklevel=3)
                return EquilibriumSet([], method=method, exact=False, complete=False)
        if exact:
            eqs = []
            for prof in profiles:
                profile = tuple(np.array([Fraction(v.numerator, v.denominator) for v in s], dtype=object)
                                for s in prof)
                eqs.append(self._equilibrium(profile, method, True, 0.0))
            bad = [e for e in eqs if e.regret != 0]
            if bad:
                raise ArithmeticError(f"Gambit returned {len(bad)} exact profiles that are not equilibria")
            eqs.sort(key=lambda e: tuple(float(v) for s in e.strategies for v in s))
            out = EquilibriumSet(eqs, method=method, exact=True, complete=True)
        else:
            out = self._from_pairs([[[float(v) for v in s] for s in prof] for prof in profiles],
                                   method, tol, self.n_players == 2, False)
        if self.n_players == 2:
            out.degenerate = self.is_degenerate(tol)
            out.continuum = _shares_a_strategy(out)
        else:
            out.complete = False
        return out

    # -- the dispatcher ------------------------------------------------------------------------------
    def equilibria(self, method: str = "auto", exact: bool = False, tol: float = 1e-9,
                   timeout: float = 30.0) -> EquilibriumSet:
        """Nash equilibria of the game.

        Parameters
        ----------
        method : str
            ``"auto"`` -- two players: ``"vertex"``; more: pure equilibria plus Gambit's
            ``enumpoly_solve`` and polished ``logit_solve`` equilibria if ``pygambit`` is
            installed (``complete=False``).
            ``"vertex"`` -- all extreme equilibria by best-response-polytope vertex
            enumeration (two players; also degenerate games).
            ``"support"`` -- all extreme equilibria by indifference systems over all
            support pairs, of equal or unequal sizes (two players).
            ``"pure"`` -- pure equilibria, any number of players.
            ``"nashpy-support"``, ``"nashpy-vertex"`` -- nashpy's algorithms (two players,
            floating point; ``complete=False`` where they can miss equilibria).
            ``"gambit"`` -- pygambit's ``enummixed_solve`` (two players) or
            ``enumpoly_solve``.
        exact : bool
            Rational arithmetic: strategies and payoffs are Fractions and every regret is
            exactly 0.
        tol : float
            Floating-point tolerance (labels, non-negativity, duplicates, regret).
        timeout : float
            Seconds allowed for Gambit's ``enumpoly_solve`` (games with more than two
            players), which runs in a child process because it can stall on degenerate
            games; on expiry its equilibria are left out with a warning.

        Returns
        -------
        EquilibriumSet
            Each equilibrium carries its regret (``<= tol``, or exactly 0 when exact);
            the set carries ``degenerate``, ``continuum`` and ``complete`` flags.
        """
        if method not in METHODS:
            raise ValueError(f"method {method!r} is not one of {', '.join(METHODS)}")
        if not (isinstance(tol, (int, float)) and math.isfinite(tol) and tol > 0):
            raise ValueError(f"tol = {tol!r} must be a positive finite number")
        if method == "pure":
            return self.pure_equilibria(exact=exact, tol=tol)
        if not (isinstance(timeout, (int, float)) and timeout > 0):
            raise ValueError(f"timeout = {timeout!r} must be a positive number of seconds")
        if method == "auto" and self.n_players != 2:
            return self._many_player(exact, tol, timeout)
        if method == "gambit":
            return self._gambit(exact, tol, timeout)
        self._require_two(f"method {method!r}")
        if method in ("auto", "vertex"):
            return self._vertex_enumeration(exact, tol)
        if method == "support":
            return self._support_enumeration(exact, tol)
        if exact:
            raise ValueError(f"method {method!r} is floating point only; use exact=False")
        return self._nashpy(method.split("-")[1], tol)

    def _many_player(self, exact: bool, tol: float, timeout: float) -> EquilibriumSet:
        """Pure equilibria, Gambit's enumpoly equilibria and the polished limit of the
        principal logit branch (which always exists), deduplicated; never complete."""
        pure = self.pure_equilibria(exact=exact, tol=tol)
        try:
            gbt = require("pygambit", "gambit")
        except ImportError:
            return EquilibriumSet(pure, method="pure enumeration", exact=exact, complete=False)
        mixed = list(self._gambit(False, tol, timeout))
        game = self.to_gambit()
        for e in gbt.nash.logit_solve(game, use_strategic=True).equilibria:
            start = [np.array([float(e[s]) for s in p.strategies]) for p in game.players]
            polished = _polish(self.payoffs, start, tol)
            if polished is not None:
                mixed.append(self._equilibrium(polished, "gambit logit, polished", False, tol))
        keys = {tuple(round(float(v), 7) for s in e.strategies for v in s) for e in pure}
        extra = []
        for e in mixed:
            key = tuple(round(float(v), 7) for s in e.strategies for v in s)
            if key not in keys:
                keys.add(key)
                extra.append(e)
        return EquilibriumSet(list(pure) + extra, method="pure enumeration + gambit enumpoly + logit",
                              exact=exact and not extra, complete=False)

    # -- conversions -------------------------------------------------------------------------------------
    def to_nashpy(self):
        """The game as a ``nashpy.Game`` (two players only; float payoffs)."""
        self._require_two("to_nashpy")
        import nashpy
        return nashpy.Game(np.array(self.payoffs[0]), np.array(self.payoffs[1]))

    def to_gambit(self):
        """The game as a ``pygambit.Game`` with exact payoffs, labels and title.

        Raises
        ------
        ValueError
            A label Gambit refuses (see :func:`~gametheory_aid.core.gambit_io.gambit_label_problem`).
        """
        gbt = require("pygambit", "gambit")
        labelled = [(f"title {self.title!r}", self.title, True)]
        labelled += [(f"player {p!r}", p, False) for p in self.players]
        labelled += [(f"strategy {s!r} of {p!r}", s, False) for p, st in zip(self.players, self.strategies)
                     for s in st]
        for what, label, is_title in labelled:
            problem = gambit_io.gambit_label_problem(label, title=is_title)
            if problem:
                raise ValueError(f"cannot convert to a Gambit game: {what}: {problem}")
        for what, labels in [("player labels", self.players)] + [
                (f"strategy labels of {p!r}", st) for p, st in zip(self.players, self.strategies)]:
            if len(set(labels)) != len(labels):
                raise ValueError(f"cannot convert to a Gambit game: {what} {list(labels)} must be unique")
        game = gbt.Game.from_arrays(*[a.copy() for a in self._exact], title=self.title or "Untitled strategic game")
        # Gambit keeps labels unique at every step: first move its defaults out of the way
        taken = set(self.players).union(*self.strategies)
        spare = next(f"tmp{k}" for k in itertools.count() if not any(x.startswith(f"tmp{k}") for x in taken))
        for stage in ("spare", "final"):
            for p, (player, name, labels) in enumerate(zip(game.players, self.players, self.strategies)):
                player.label = f"{spare} {p}" if stage == "spare" else name
                for k, (strategy, label) in enumerate(zip(player.strategies, labels)):
                    strategy.label = f"{spare} {k}" if stage == "spare" else label
        return game

    def to_nfg(self) -> str:
        """Gambit ``.nfg`` text (payoff-list form, exact numbers).

        Gambit's own reader refuses a few label lists that this format allows (see
        :func:`~gametheory_aid.core.gambit_io.gambit_label_problem` and
        :func:`~gametheory_aid.core.gambit_io.gambit_reader_label_clash`).
        """
        return gambit_io.nfg_text(self.title, self.players, self.strategies, self._exact)

    def write_nfg(self, path) -> None:
        """Write :meth:`to_nfg` to ``path``."""
        Path(path).write_text(self.to_nfg(), encoding="utf-8")

    @classmethod
    def from_nfg(cls, text_or_path) -> "NormalFormGame":
        """Read a Gambit ``.nfg`` game (payoff-list or outcome form) from text or a file path."""
        if isinstance(text_or_path, Path) or not str(text_or_path).lstrip().startswith("NFG"):
            text = Path(text_or_path).read_text(encoding="utf-8")
        else:
            text = str(text_or_path)
        data = gambit_io.parse_nfg(text)
        return cls(data["payoffs"], players=data["players"], strategies=data["strategies"], title=data["title"])

    # -- display ----------------------------------------------------------------------------------------
    def __eq__(self, other) -> bool:
        if not isinstance(other, NormalFormGame):
            return NotImplemented
        return (self.shape == other.shape and self.players == other.players
                and self.strategies == other.strategies and self.title == other.title
                and all((a == b).astype(bool).all() for a, b in zip(self._exact, other._exact)))

    __hash__ = None

    def __repr__(self) -> str:
        def cell(index) -> str:
            return ", ".join(_fmt(u[index]) for u in self._exact)

        head = f"NormalFormGame({self.title!r}; " if self.title else "NormalFormGame("
        head += ", ".join(f"{p}: {len(s)} strategies" for p, s in zip(self.players, self.strategies)) + ")"
        if self.n_players == 1:
            return head + "\n" + format_table([self.players[0], "payoff"],
                                              [[s, cell((k,))] for k, s in enumerate(self.strategies[0])])
        blocks = [head]
        for rest in itertools.product(*[range(s) for s in self.shape[2:]]):
            if rest:
                blocks.append("; ".join(f"{self.players[q + 2]} plays {self.strategies[q + 2][k]!r}"
                                        for q, k in enumerate(rest)))
            header = [f"{self.players[0]} \\ {self.players[1]}"] + list(self.strategies[1])
            rows = [[r] + [cell((i, j) + rest) for j in range(self.shape[1])]
                    for i, r in enumerate(self.strategies[0])]
            blocks.append(format_table(header, rows))
        return "\n".join(blocks)


def _polish(payoffs: Sequence[np.ndarray], profile: Sequence[np.ndarray], tol: float):
    """Newton refinement of an approximate equilibrium on its support.

    With supports :math:`T_p = \\{t : \\sigma_p(t) > 10^{-6}\\}`, solve the polynomial
    system :math:`U_p(t, \\sigma_{-p}) = U_p(t_0, \\sigma_{-p})` (:math:`t \\in T_p`) and
    :math:`\\sum_{t \\in T_p} \\sigma_p(t) = 1` for every player (as many equations as
    unknowns) with ``scipy.optimize.root``.  Returns the refined profile if its regret is
    at most ``tol`` and it is a probability profile, else ``None``.
    """
    from scipy.optimize import root

    supports = [np.flatnonzero(s > 1e-6) for s in profile]
    sizes = np.cumsum([0] + [len(t) for t in supports])

    def unpack(z):
        out = [np.zeros(len(s)) for s in profile]
        for p, t in enumerate(supports):
            out[p][t] = z[sizes[p]:sizes[p + 1]]
        return out

    def equations(z):
        sigma = unpack(z)
        eqs = []
        for p, t in enumerate(supports):
            dev = _deviation_payoffs(payoffs[p], sigma, p)[t]
            eqs.extend(dev[1:] - dev[0])
            eqs.append(sigma[p].sum() - 1.0)
        return np.array(eqs)

    start = np.concatenate([s[t] for s, t in zip(profile, supports)])
    solution = root(equations, start, method="hybr", options={"xtol": 1e-15})
    sigma = unpack(solution.x)
    if min(s.min() for s in sigma) < -tol:
        return None
    sigma = [np.clip(s, 0.0, None) / np.clip(s, 0.0, None).sum() for s in sigma]
    regret = _regret_and_payoffs(payoffs, sigma)[0]
    return tuple(sigma) if regret <= tol else None


def _enumpoly_child(nfg: str, connection) -> None:
    """Child-process body: Gambit's enumpoly on a game given as .nfg text; sends float profiles."""
    import io

    gbt = require("pygambit", "gambit")
    game = gbt.read_nfg(io.StringIO(nfg))
    result = gbt.nash.enumpoly_solve(game, use_strategic=True)
    connection.send([[[float(e[s]) for s in p.strategies] for p in game.players] for e in result.equilibria])
    connection.close()


def _enumpoly_with_timeout(nfg: str, timeout: float):
    """Run :func:`_enumpoly_child` in a child process; ``None`` if it does not finish in time
    (the child is then terminated)."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_enumpoly_child, args=(nfg, sender), daemon=True)
    child.start()
    sender.close()
    try:
        if receiver.poll(timeout):
            try:
                return receiver.recv()
            except EOFError:  # the child died without an answer
                return None
        return None
    finally:
        if child.is_alive():
            child.terminate()
        child.join()
        receiver.close()


def _shares_a_strategy(equilibria: Sequence[Equilibrium], digits: int = 9) -> bool:
    """Whether two distinct extreme equilibria have one player's strategy in common (then
    the segment between them consists of equilibria)."""
    keys = [tuple(tuple(round(float(v), digits) for v in s) for s in e.strategies) for e in equilibria]
    keys = list(dict.fromkeys(keys))
    return any(len({k[p] for k in keys}) < len(keys) for p in range(len(keys[0]))) if keys else False


def _fmt(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    text = gambit_io.format_number(value)
    return text if "/" in text or len(text) <= 12 else f"{float(value):.6g}"
