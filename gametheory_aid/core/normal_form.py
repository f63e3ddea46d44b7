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

Tolerances and limits
---------------------
Floating-point decisions (ties, tight constraints, regret certificates) are taken on each
player's payoffs mapped exactly onto [0, 1], :math:`(u_p - \min u_p)/(\max u_p - \min
u_p)`, so ``tol`` is relative to the player's payoff range and the equilibria are the same
after any positive affine map of one player's payoffs, at any scale.  ``tol`` must lie in
:data:`~gametheory_aid.core.payoff_tensors.TOL_RANGE`; payoffs beyond
:data:`~gametheory_aid.core.gambit_io.MAX_PAYOFF` in magnitude are refused.  Vertex and
support enumeration take time and memory exponential in the game's size: their cost (the
entries of the batched linear systems) is counted before anything is allocated and a game
beyond :data:`~gametheory_aid.core.nash_enumeration.MAX_SOLVE_ENTRIES` is refused with a
:class:`~gametheory_aid.core.gambit_io.GameSizeError`.
"""
from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path

import numpy as np

from .._optional import require
from . import gambit_io
from .gambit_io import GameInputError, GameSizeError
from .nash_enumeration import (
    MAX_SOLVE_ENTRIES,
    IncompleteEnumerationWarning,
    _check_cost,
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
from .params import UnknownNameError
from .payoff_tensors import (
    TOL_RANGE,
    _is_exact_number,
    _labels,
    _player_regrets,
    _regret_and_payoffs,
    _unit_payoffs,
    _validate_payoffs,
    check_tol,
)
from .payoff_tensors import _deviation_payoffs as _deviation_payoffs
from .results import Equilibrium, EquilibriumSet, format_table

# The ``from ... import name as name`` imports re-export helpers from the modules that define them.

__all__ = ["NormalFormGame", "polytope_vertices", "vertex_labels", "complete_pairs",
           "IncompleteEnumerationWarning", "GameInputError", "GameSizeError", "TOL_RANGE", "MAX_SOLVE_ENTRIES"]

METHODS = ("auto", "vertex", "support", "pure", "nashpy-support", "nashpy-vertex", "gambit")

#: Longest time limit for Gambit's ``enumpoly_solve``, in seconds (a day).
MAX_TIMEOUT = 86_400.0


def _check_exact(exact) -> bool:
    if not isinstance(exact, (bool, np.bool_)):
        raise GameInputError(f"exact = {exact!r} is not a boolean", name="exact", value=exact, domain="True or False")
    return bool(exact)


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
    GameInputError
        Ragged or mis-shaped payoffs, non-finite, non-numeric or masked entries, payoffs
        beyond :data:`~gametheory_aid.core.gambit_io.MAX_PAYOFF` in magnitude, labels
        that are not strings, repeat (player names, or one player's strategy labels) or
        whose counts do not match the shape (a ``ValueError``).
    GameSizeError
        More than :data:`~gametheory_aid.core.gambit_io.MAX_PLAYERS` players or
        :data:`~gametheory_aid.core.gambit_io.MAX_PAYOFF_ENTRIES` payoff entries (profiles
        times players), refused before the entries are converted.

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
        self._unit = None  # the payoffs mapped onto [0, 1], made when a float solver needs them
        self.payoffs = floats
        self.shape = shape
        self.n_players = len(shape)
        self.players = _labels(players, [f"Player {p + 1}" for p in range(self.n_players)], "players",
                               self.n_players)
        if strategies is None:
            self.strategies = tuple(tuple(str(k + 1) for k in range(s)) for s in shape)
        else:
            domain = f"one list of labels for each of the {self.n_players} players"
            if isinstance(strategies, (str, bytes, dict)) or not isinstance(strategies, Iterable):
                raise GameInputError(f"strategies = {strategies!r:.60} is not a list of label lists",
                                     name="strategies", value=strategies, domain=domain)
            strategies = tuple(strategies)
            if len(strategies) != self.n_players:
                raise GameInputError(f"strategies: labels for {len(strategies)} players given but the game has "
                                     f"{self.n_players}", name="strategies", value=len(strategies), domain=domain)
            for p, st in enumerate(strategies):
                if st is None:  # (None stands for the default labels of all players only)
                    raise GameInputError(f"strategies of {self.players[p]}: expected a sequence of {shape[p]} labels, "
                                         "got None", name="strategies", value=None, domain=domain)
            self.strategies = tuple(_labels(st, (), f"strategies of {self.players[p]}", shape[p])
                                    for p, st in enumerate(strategies))
        if not isinstance(title, str):
            raise GameInputError(f"title = {title!r:.60} is not a string", name="title", value=title, domain="a string")
        self.title = title

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
    def _normalised(self) -> tuple:
        """``(units, unit floats, ranges)``: the payoffs mapped exactly onto [0, 1]
        (:func:`~gametheory_aid.core.payoff_tensors._unit_payoffs`), rounded, and the
        players' payoff ranges as floats."""
        if self._unit is None:
            units, ranges = _unit_payoffs(self._exact)
            floats = tuple(np.array(u, dtype=float) for u in units)
            for f in floats:
                f.setflags(write=False)
            self._unit = (units, floats, tuple(float(r) for r in ranges))
        return self._unit

    def _profile(self, profile, tol: float = 1e-9) -> tuple:
        """Validated mixed profile: (tuple of arrays, exact?)."""
        if isinstance(profile, (str, bytes, dict)) or not hasattr(profile, "__len__"):
            raise GameInputError(f"profile must be a sequence of {self.n_players} mixed strategies, got "
                                 f"{type(profile).__name__}", name="profile", value=type(profile).__name__,
                                 domain=f"{self.n_players} probability vectors")
        if len(profile) != self.n_players:
            raise GameInputError(f"profile has {len(profile)} strategies but the game has {self.n_players} players",
                                 name="profile", value=len(profile), domain=f"{self.n_players} strategies")
        arrays = []
        for p, s in enumerate(profile):
            if isinstance(s, (str, bytes, dict, np.ma.MaskedArray)):
                raise GameInputError(f"strategy of {self.players[p]} is a {type(s).__name__}, not a probability "
                                     "vector", name="profile", value=type(s).__name__, domain="probability vectors")
            try:
                arrays.append(np.array(s, dtype=object).ravel())
            except ValueError as exc:
                raise GameInputError(f"strategy of {self.players[p]} is not a vector: {exc}", name="profile",
                                     value=s, domain="probability vectors") from None
            for v in arrays[-1]:
                gambit_io.to_fraction(v)  # a finite real number, or a named error
        exact = all(_is_exact_number(v) for arr in arrays for v in arr)
        out = []
        for p, arr in enumerate(arrays):
            if arr.size != self.shape[p]:
                raise GameInputError(f"strategy of {self.players[p]} has {arr.size} probabilities but "
                                     f"{self.shape[p]} are needed", name="profile", value=arr.size,
                                     domain=f"{self.shape[p]} probabilities")
            if exact:
                arr = np.array([gambit_io.to_fraction(v) for v in arr], dtype=object)
                bad = (arr < 0).astype(bool).any() or sum(arr) != 1
            else:
                arr = np.array(arr, dtype=float)
                bad = (arr < -tol).any() or abs(arr.sum() - 1) > 1e-6
            if bad:
                raise GameInputError(f"strategy of {self.players[p]} = {list(arr)} is not a probability vector "
                                     "(non-negative entries summing to 1)", name="profile", value=list(arr),
                                     domain="non-negative entries summing to 1")
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

    def _float_regrets(self, profile: tuple) -> np.ndarray:
        """Each player's regret relative to her payoff range (on the payoffs mapped onto [0, 1])."""
        return np.maximum(np.array(_player_regrets(self._normalised()[1], profile)[0], dtype=float), 0.0)

    def regret(self, profile) -> float:
        """:math:`\\max_p (\\max_t U_p(t, \\sigma_{-p}) - U_p(\\sigma))`: 0 exactly at a Nash
        equilibrium (a Fraction when the profile is exact).

        In floating point each player's regret is computed on her payoffs mapped onto [0, 1]
        and scaled back by her payoff range, so that a large common offset costs no precision.
        """
        prof, exact = self._profile(profile)
        if exact:
            return _regret_and_payoffs(self._exact, prof)[0]
        return float((self._float_regrets(prof) * np.array(self._normalised()[2])).max())

    def _candidate(self, profile: tuple, method: str, exact: bool, tol: float) -> tuple:
        """``(Equilibrium, certified)``: the profile with its payoffs and regret, and whether
        the regret is 0 (exact) or at most ``tol`` times each player's payoff range."""
        if exact:
            regret, values = _regret_and_payoffs(self._exact, profile)
            strategies = tuple(tuple(Fraction(v) for v in s) for s in profile)
            eq = Equilibrium(strategies, tuple(Fraction(v) for v in values), method, True, Fraction(regret), 0.0)
            return eq, regret == 0
        relative = self._float_regrets(profile)
        ranges = np.array(self._normalised()[2])
        values = _regret_and_payoffs(self.payoffs, profile)[1]
        strategies = tuple(tuple(float(v) for v in s) for s in profile)
        eq = Equilibrium(strategies, tuple(float(v) for v in values), method, False,
                         float((relative * ranges).max()), tol * float(ranges.max()))
        return eq, bool(relative.max() <= tol)

    def _equilibrium(self, profile: tuple, method: str, exact: bool, tol: float) -> Equilibrium:
        return self._candidate(profile, method, exact, tol)[0]

    # -- pure equilibria ----------------------------------------------------------------------
    def pure_equilibria(self, exact: bool = False, tol: float = 1e-9) -> EquilibriumSet:
        """All pure-strategy Nash equilibria, by checking every profile at once.

        A profile :math:`s` is an equilibrium iff for every player :math:`u_p(s) \\ge
        \\max_t u_p(t, s_{-p})` (unless ``exact``, within ``tol`` times the player's payoff
        range).  Vectorised: the maximum along each player's own axis is broadcast back over
        the whole tensor.
        """
        exact = _check_exact(exact)
        tol = check_tol(tol)
        pay = self._exact if exact else self._normalised()[1]
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
            raise GameInputError(f"{what} needs a two-player game; this game has {self.n_players} players",
                                 name="players", value=self.n_players, domain="two players")

    def is_degenerate(self, tol: float = 1e-9) -> bool:
        """Whether the (two-player) game is degenerate: some vertex of a best-response
        polytope has more tight constraints (labels) than the polytope's dimension --
        equivalently, some mixed strategy with support of size :math:`k` has more than
        :math:`k` pure best replies (von Stengel 2002, Thm 2.10).

        Raises
        ------
        GameSizeError
            If vertex enumeration of the game is beyond its limit (see :meth:`equilibria`).
        """
        self._require_two("is_degenerate")
        tol = check_tol(tol)
        _check_cost(self.shape, "vertex", False)
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
            Floating-point tolerance, relative to each player's payoff range (labels,
            non-negativity, duplicates, regret), in
            :data:`~gametheory_aid.core.payoff_tensors.TOL_RANGE`.
        timeout : float
            Seconds allowed for Gambit's ``enumpoly_solve`` (games with more than two
            players), which runs in a child process because it can stall on degenerate
            games; on expiry its equilibria are left out with a warning.

        Returns
        -------
        EquilibriumSet
            Each equilibrium carries its regret and the absolute tolerance (``tol`` times
            the largest payoff range) it was accepted with, or exactly 0 when exact; the set
            carries ``degenerate``, ``continuum`` and ``complete`` flags.

        Raises
        ------
        GameInputError
            An unknown method (an :class:`~gametheory_aid.core.params.UnknownNameError`),
            a ``tol`` outside its range, a bad ``timeout`` or ``exact``.
        GameSizeError
            Vertex or support enumeration (also nashpy's, and ``"auto"`` for two players)
            whose linear systems would hold more than
            :data:`~gametheory_aid.core.nash_enumeration.MAX_SOLVE_ENTRIES` matrix entries:
            the work grows exponentially with the numbers of strategies (a 10 x 10 game is
            within the limit in floating point, 11 x 11 is not).
        """
        if not isinstance(method, str) or method not in METHODS:
            raise UnknownNameError(str(method), METHODS, "method", listing=f"not one of {', '.join(METHODS)}")
        exact = _check_exact(exact)
        tol = check_tol(tol)
        if method == "pure":
            return self.pure_equilibria(exact=exact, tol=tol)
        if isinstance(timeout, (bool, np.bool_)) or not isinstance(timeout, (int, float, np.integer, np.floating)) \
                or not math.isfinite(timeout) or not 0 < timeout <= MAX_TIMEOUT:
            raise GameInputError(f"timeout = {timeout!r} must be a positive number of seconds, at most {MAX_TIMEOUT:g}",
                                 name="timeout", value=timeout, domain=f"(0, {MAX_TIMEOUT:g}] seconds")
        if method == "auto" and self.n_players != 2:
            return _many_player(self, exact, tol, timeout)
        if method == "gambit":
            return _gambit(self, exact, tol, timeout)
        self._require_two(f"method {method!r}")
        if exact and method.startswith("nashpy"):
            raise GameInputError(f"method {method!r} is floating point only; use exact=False", name="exact",
                                 value=exact, domain=f"False for method {method!r}")
        _check_cost(self.shape, "support" if method.endswith("support") else "vertex", exact)
        if method in ("auto", "vertex"):
            return _vertex_enumeration(self, exact, tol)
        if method == "support":
            return _support_enumeration(self, exact, tol)
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
                raise GameInputError(f"cannot convert to a Gambit game: {what}: {problem}", name="labels",
                                     value=label, domain="labels Gambit accepts")
        # (labels are unique: the constructor refuses repeated ones)
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
        """Read a Gambit ``.nfg`` game (payoff-list or outcome form) from text, bytes or a file path.

        A string is the text itself if it starts with ``NFG`` or holds a line break, and a
        path otherwise (see :func:`~gametheory_aid.core.gambit_io.read_game_text`).

        Raises
        ------
        GambitFormatError
            A malformed file, or one that asks for more than the limits of
            :mod:`~gametheory_aid.core.gambit_io` ("Hostile files").
        OSError
            A file that cannot be read.
        """
        text = gambit_io.read_game_text(text_or_path, "NFG")
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
