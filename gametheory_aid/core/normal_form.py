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
from fractions import Fraction
from pathlib import Path

import numpy as np

from .._optional import require
from . import gambit_io
from .nash_enumeration import (
    IncompleteEnumerationWarning,
    _polytopes,
    _support_enumeration,
    _vertex_enumeration,
    complete_pairs,
    polytope_vertices,
    vertex_labels,
)
from .nash_enumeration import _float_solve as _float_solve
from .nash_enumeration import _fractions as _fractions
from .nash_enumeration import _integer_solve as _integer_solve
from .nash_enumeration import _pair_up as _pair_up
from .nash_enumeration import _positive_scale as _positive_scale
from .nash_enumeration import _scaled as _scaled
from .nash_enumeration import _support_candidates as _support_candidates
from .nash_enumeration import _unique_rows as _unique_rows
from .nash_external import _enumpoly_child as _enumpoly_child
from .nash_external import _enumpoly_with_timeout as _enumpoly_with_timeout
from .nash_external import _from_pairs as _from_pairs
from .nash_external import _gambit, _many_player, _nashpy
from .nash_external import _polish as _polish
from .nash_external import _shares_a_strategy as _shares_a_strategy
from .payoff_tensors import _deviation_payoffs as _deviation_payoffs
from .payoff_tensors import _is_exact_number, _labels, _regret_and_payoffs, _validate_payoffs
from .results import Equilibrium, EquilibriumSet, format_table

# The ``from ... import name as name`` imports re-export helpers from the modules that define them.

__all__ = ["NormalFormGame", "polytope_vertices", "vertex_labels", "complete_pairs",
           "IncompleteEnumerationWarning"]

METHODS = ("auto", "vertex", "support", "pure", "nashpy-support", "nashpy-vertex", "gambit")


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
    def bimatrix(cls, row_payoffs, column_payoffs, **kw) -> NormalFormGame:
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
                            for c, s in zip(cell, self.shape, strict=False))
            eqs.append(self._equilibrium(profile, "pure enumeration", exact, tol))
        return EquilibriumSet(eqs, method="pure enumeration", exact=exact, complete=True)

    # -- two-player enumeration ------------------------------------------------------------------
    def _require_two(self, what: str) -> None:
        if self.n_players != 2:
            raise ValueError(f"{what} needs a two-player game; this game has {self.n_players} players")

    def is_degenerate(self, tol: float = 1e-9) -> bool:
        """Whether the (two-player) game is degenerate: some vertex of a best-response
        polytope has more tight constraints (labels) than the polytope's dimension --
        equivalently, some mixed strategy with support of size :math:`k` has more than
        :math:`k` pure best replies (von Stengel 2002, Thm 2.10)."""
        self._require_two("is_degenerate")
        xs, lp, ys, lq = _polytopes(self, False, tol)
        m, n = self.shape
        return bool((lp.sum(axis=1) > m).any() or (lq.sum(axis=1) > n).any())

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
            return _many_player(self, exact, tol, timeout)
        if method == "gambit":
            return _gambit(self, exact, tol, timeout)
        self._require_two(f"method {method!r}")
        if method in ("auto", "vertex"):
            return _vertex_enumeration(self, exact, tol)
        if method == "support":
            return _support_enumeration(self, exact, tol)
        if exact:
            raise ValueError(f"method {method!r} is floating point only; use exact=False")
        return _nashpy(self, method.split("-")[1], tol)

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
        labelled += [(f"strategy {s!r} of {p!r}", s, False)
                     for p, st in zip(self.players, self.strategies, strict=True)
                     for s in st]
        for what, label, is_title in labelled:
            problem = gambit_io.gambit_label_problem(label, title=is_title)
            if problem:
                raise ValueError(f"cannot convert to a Gambit game: {what}: {problem}")
        for what, labels in [("player labels", self.players)] + [
                (f"strategy labels of {p!r}", st) for p, st in zip(self.players, self.strategies, strict=False)]:
            if len(set(labels)) != len(labels):
                raise ValueError(f"cannot convert to a Gambit game: {what} {list(labels)} must be unique")
        game = gbt.Game.from_arrays(*[a.copy() for a in self._exact], title=self.title or "Untitled strategic game")
        # Gambit keeps labels unique at every step: first move its defaults out of the way
        taken = set(self.players).union(*self.strategies)
        spare = next(f"tmp{k}" for k in itertools.count() if not any(x.startswith(f"tmp{k}") for x in taken))
        for stage in ("spare", "final"):
            for p, (player, name, labels) in enumerate(zip(game.players, self.players, self.strategies, strict=False)):
                player.label = f"{spare} {p}" if stage == "spare" else name
                for k, (strategy, label) in enumerate(zip(player.strategies, labels, strict=False)):
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
    def from_nfg(cls, text_or_path) -> NormalFormGame:
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
                and all((a == b).astype(bool).all() for a, b in zip(self._exact, other._exact, strict=False)))

    __hash__ = None

    def __repr__(self) -> str:
        def cell(index) -> str:
            return ", ".join(_fmt(u[index]) for u in self._exact)

        head = f"NormalFormGame({self.title!r}; " if self.title else "NormalFormGame("
        head += ", ".join(f"{p}: {len(s)} strategies"
                          for p, s in zip(self.players, self.strategies, strict=True)) + ")"
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


def _fmt(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    text = gambit_io.format_number(value)
    return text if "/" in text or len(text) <= 12 else f"{float(value):.6g}"
