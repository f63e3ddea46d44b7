r"""Finite game trees with perfect information and chance moves.

Formal model
------------
A finite extensive-form game with perfect information (Kuhn 1953) is a finite rooted tree
whose nodes are of three kinds:

* a **terminal** node :math:`z` carries a payoff vector :math:`u(z) \in \mathbb{R}^n`, one
  entry per player;
* a **decision** node :math:`x` belongs to one player :math:`\iota(x) \in \{0, \dots, n-1\}`
  and its outgoing edges are that player's actions :math:`A(x)`; with perfect information
  every decision node is an information set of its own, so the player knows the whole
  history when choosing;
* a **chance** node :math:`c` draws its outgoing edge :math:`o` with a fixed probability
  :math:`\pi_c(o)`, :math:`\sum_o \pi_c(o) = 1`.

A pure strategy of player :math:`i` (a *plan*) picks one action at every decision node of
:math:`i`, reached or not.  A profile of plans :math:`\sigma` induces a distribution over
terminal nodes; the value of a node is the expected payoff vector of the subtree below it,

.. math::

    v(z) = u(z), \qquad
    v(x) = v(\text{child of } x \text{ along } \sigma(x)), \qquad
    v(c) = \sum_o \pi_c(o)\, v(\text{child of } c \text{ along } o).

Every node is the root of a subgame.  A profile is a **subgame-perfect equilibrium** (SPE,
Selten 1965) if it is a Nash equilibrium of every subgame; by the one-shot deviation
principle it is enough that at every decision node :math:`x` the chosen action maximises
:math:`v_{\iota(x)}` over the children of :math:`x` given :math:`\sigma` below them.
**Backward induction** (Zermelo's algorithm) constructs one SPE by choosing, from the
leaves up, a maximising action at each decision node; every pure SPE arises this way for
some choice among tied maximisers, which is how :meth:`GameTree.subgame_perfect_equilibria`
enumerates them all.

The **normal form** of the tree (:meth:`GameTree.to_normal_form`) is the full one: player
:math:`i`'s pure strategies are all combinations of one action at each of :math:`i`'s
decision nodes, in preorder, labelled by the actions joined with ``"/"``; its payoffs are
the expected payoffs through chance nodes.  An SPE maps to a pure Nash equilibrium of it
(:meth:`GameTree.strategy_profile`).

Arithmetic is exact when every payoff and probability is an ``int`` or a
:class:`fractions.Fraction` (all values are then kept as ``Fraction``); otherwise it is
floating point and ties are decided within a tolerance.

References
----------
Kuhn, H. W. (1953). Extensive games and the problem of information. *Contributions to the
Theory of Games II*, 193--216.
Selten, R. (1965). Spieltheoretische Behandlung eines Oligopolmodells mit
Nachfrageträgheit. *Zeitschrift für die gesamte Staatswissenschaft* 121, 301--324.
Osborne, M. J. and Rubinstein, A. (1994). *A Course in Game Theory*, ch. 6.
McKelvey, R. D., McLennan, A. M. and Turocy, T. L. *Gambit: Software Tools for Game
Theory* (the ``.efg`` file format).
"""
from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction

import numpy as np

from .results import to_jsonable as to_jsonable
from .subgame_perfect import (
    DEFAULT_TOL,
    EquilibriumLimitError,
    SubgamePerfect,
    _backward_induction,
    _subgame_perfect_plans,
)
from .subgame_perfect import _check_tol as _check_tol
from .subgame_perfect import _maximisers as _maximisers
from .tree_conversion import MAX_PROFILES as MAX_PROFILES
from .tree_conversion import _choice_table as _choice_table
from .tree_conversion import _decimal as _decimal
from .tree_conversion import _efg_number as _efg_number
from .tree_conversion import _efg_probabilities as _efg_probabilities
from .tree_conversion import _efg_text, _normal_form_payoffs
from .tree_conversion import _quote as _quote
from .tree_nodes import Chance, Decision, Node, Terminal, _check_tree, _fmt, _is_exact
from .tree_nodes import _check_real as _check_real

# The ``from ... import name as name`` imports re-export helpers from the modules that define them.

__all__ = ["Terminal", "Decision", "Chance", "GameTree", "SubgamePerfect", "EquilibriumLimitError"]

#: Floating-point chance probabilities must sum to one within this tolerance.
PROBABILITY_TOL = 1e-9


# --------------------------------------------------------------------------- the tree
class GameTree:
    """A finite game tree with perfect information and chance moves.

    Parameters
    ----------
    root : Terminal, Decision or Chance
        The root of the tree.
    players : sequence of str
        The players' names; ``Decision.player`` indexes into it and every terminal has one
        payoff per player.
    title : str, optional

    Raises
    ------
    ValueError
        If a payoff vector has the wrong length or a non-finite entry, a player index is
        out of range, a node has no action/outcome, chance probabilities lie outside
        [0, 1] or do not sum to one, or two decision nodes share a label.

    Notes
    -----
    The tree is copied on construction with every decision and chance node labelled
    (unlabelled ones by their path of edge labels from the root, ``"root"``,
    ``"root/In"``, ``"root/In/Fight"``...), numbers normalised (all ``Fraction`` if every
    payoff and probability is an ``int`` or ``Fraction``, all ``float`` otherwise), and the
    same node object may appear at several places.  ``tree.root`` is that labelled copy.

    Examples
    --------
    The entry game: the entrant stays out (0, 2) or enters; the incumbent then fights
    (-1, -1) or accommodates (1, 1).

    >>> tree = GameTree(Decision(0, {"Out": Terminal((0, 2)),
    ...                              "In": Decision(1, {"Fight": Terminal((-1, -1)),
    ...                                                 "Accommodate": Terminal((1, 1))})}),
    ...                 players=["Entrant", "Incumbent"], title="Entry game")
    >>> spe = tree.backward_induction()
    >>> spe.plan
    {'root': 'In', 'root/In': 'Accommodate'}
    >>> spe.path, [int(v) for v in spe.payoffs]
    (('In', 'Accommodate'), [1, 1])
    """

    def __init__(self, root: Node, players: Sequence[str], title: str = ""):
        if isinstance(players, str) or not isinstance(players, Sequence):
            raise ValueError(f"players must be a sequence of names, got {players!r}")
        players = tuple(players)
        if not players:
            raise ValueError("players must name at least one player")
        for p in players:
            if not isinstance(p, str) or not p:
                raise ValueError(f"player names must be non-empty strings, got {p!r} in {players!r}")
        if len(set(players)) != len(players):
            raise ValueError(f"player names must be unique, got {players!r}")
        if not isinstance(title, str):
            raise ValueError(f"title must be a string, got {title!r}")
        self._players = players
        self._title = title
        # First pass: structure, validity and whether every number is exact.
        numbers_seen: list = []
        _check_tree(root, "root", self._players, set(), numbers_seen)
        self._exact = all(_is_exact(x) for x in numbers_seen)
        # Second pass: the labelled, normalised copy.
        self._decisions: list[Decision] = []
        self._chances: list[Chance] = []
        self._root = self._copy(root, "root")
        self._check_probabilities()
        labels = [d.label for d in self._decisions]
        seen: set = set()
        for lab in labels:
            if lab in seen:
                raise ValueError(f"decision node label {lab!r} is used more than once; decision labels "
                                 "must be unique (they key the plan of an equilibrium)")
            seen.add(lab)
        self._by_label = {d.label: d for d in self._decisions}
        self._player_nodes = [[d for d in self._decisions if d.player == i] for i in range(len(players))]
        self._position = {d.label: j for nodes in self._player_nodes for j, d in enumerate(nodes)}

    # -- construction ---------------------------------------------------------------
    def _num(self, x):
        return Fraction(x) if self._exact else float(x)

    def _copy(self, node, path: str):
        if isinstance(node, Terminal):
            return Terminal(tuple(self._num(x) for x in node.payoffs), node.label)
        label = node.label or path
        if isinstance(node, Decision):
            # Preorder: register the node before its subtrees.
            slot = len(self._decisions)
            self._decisions.append(None)
            new = Decision(int(node.player), {a: self._copy(c, f"{path}/{a}") for a, c in node.actions.items()},
                           label)
            self._decisions[slot] = new
            return new
        slot = len(self._chances)
        self._chances.append(None)
        new = Chance({o: (self._num(p), self._copy(c, f"{path}/{o}")) for o, (p, c) in node.outcomes.items()},
                     label)
        self._chances[slot] = new
        return new

    def _check_probabilities(self) -> None:
        for c in self._chances:
            total = sum(p for p, _ in c.outcomes.values())
            ok = total == 1 if self._exact else abs(total - 1.0) <= PROBABILITY_TOL
            if not ok:
                listed = ", ".join(f"{o}={_fmt(p)}" for o, (p, _) in c.outcomes.items())
                raise ValueError(f"probabilities at chance node {c.label!r} sum to {_fmt(total)}, not 1 "
                                 f"({listed}); " + ("exact probabilities must sum to exactly 1" if self._exact
                                                    else f"the tolerance is {PROBABILITY_TOL:g}"))

    # -- accessors ------------------------------------------------------------------
    @property
    def root(self) -> Node:
        """The labelled, normalised copy of the tree's root."""
        return self._root

    @property
    def players(self) -> tuple:
        return self._players

    @property
    def n_players(self) -> int:
        return len(self._players)

    @property
    def title(self) -> str:
        return self._title

    @property
    def exact(self) -> bool:
        """Whether every payoff and probability is exact (kept as ``Fraction``)."""
        return self._exact

    def decision_nodes(self, player: int | None = None) -> list:
        """The decision nodes (labelled :class:`Decision` objects) in preorder.

        Parameters
        ----------
        player : int, optional
            Only that player's nodes.
        """
        if player is None:
            return list(self._decisions)
        return list(self._player_nodes[self._player_index(player)])

    def node(self, label: str) -> Decision:
        """The decision node with the given label."""
        try:
            return self._by_label[label]
        except KeyError:
            raise KeyError(f"no decision node labelled {label!r}; labels are {list(self._by_label)}") from None

    def _player_index(self, player) -> int:
        if isinstance(player, (bool, np.bool_)) or not isinstance(player, (int, np.integer)) \
                or not 0 <= player < len(self._players):
            raise ValueError(f"player = {player!r} is not a player index in 0..{len(self._players) - 1}")
        return int(player)

    # -- evaluation -----------------------------------------------------------------
    def _check_plan(self, plan: Mapping) -> None:
        for d in self._decisions:
            if d.label not in plan:
                raise ValueError(f"the plan has no action for decision node {d.label!r}")
            if plan[d.label] not in d.actions:
                raise ValueError(f"the plan's action {plan[d.label]!r} at {d.label!r} is not one of "
                                 f"{list(d.actions)}")

    def _value(self, node, plan: Mapping) -> tuple:
        if isinstance(node, Terminal):
            return node.payoffs
        if isinstance(node, Decision):
            return self._value(node.actions[plan[node.label]], plan)
        zero = Fraction(0) if self._exact else 0.0
        total = [zero] * len(self._players)
        for p, child in node.outcomes.values():
            v = self._value(child, plan)
            total = [t + p * x for t, x in zip(total, v, strict=False)]
        return tuple(total)

    def expected_payoffs(self, plan: Mapping) -> tuple:
        """Expected payoffs from the root when every decision node follows ``plan``.

        Parameters
        ----------
        plan : mapping
            Decision-node label -> action label, for every decision node.
        """
        self._check_plan(plan)
        return self._value(self._root, plan)

    def _play(self, plan: Mapping) -> tuple[tuple, tuple]:
        """(path, histories) of a plan: edges played in preorder and terminal histories."""
        path: list = []
        histories: list = []

        def walk(node, prob, history):
            if isinstance(node, Terminal):
                histories.append((prob, tuple(history)))
            elif isinstance(node, Decision):
                a = plan[node.label]
                path.append(a)
                walk(node.actions[a], prob, history + [a])
            else:
                for o, (p, child) in node.outcomes.items():
                    if p > 0:  # outcomes of probability zero are not realised
                        path.append(o)
                        walk(child, prob * p, history + [o])

        walk(self._root, Fraction(1) if self._exact else 1.0, [])
        return tuple(path), tuple(histories)

    def _result(self, plan: Mapping, payoffs: tuple) -> SubgamePerfect:
        plan = {d.label: plan[d.label] for d in self._decisions}  # preorder
        path, histories = self._play(plan)
        return SubgamePerfect(plan=plan, payoffs=tuple(payoffs), path=path, exact=self._exact,
                              histories=histories)

    # -- solution -------------------------------------------------------------------
    def backward_induction(self, tie: str | Callable = "first", tol: float = DEFAULT_TOL) -> SubgamePerfect:
        """One subgame-perfect equilibrium by backward induction.

        Parameters
        ----------
        tie : {"first", "last"} or callable
            How to choose among actions that maximise the mover's value: the earliest-listed
            (``"first"``), the last-listed (``"last"``), or ``tie(node, tied_labels)`` returning
            one of ``tied_labels`` (called only when there are at least two).
        tol : float
            Floating-point values within ``tol * max(1, |best|)`` of the best count as tied
            (ignored under exact arithmetic, where ties are exact equalities).

        Returns
        -------
        SubgamePerfect

        Notes
        -----
        Zermelo's algorithm: the value of a terminal is its payoff vector, of a chance node
        the probability-weighted mean of its children's values, of a decision node the
        value of the chosen maximising child.  One pass over the tree.
        """
        plan, payoffs = _backward_induction(self._root, len(self._players), self._exact, tie, tol)
        return self._result(plan, payoffs)

    def subgame_perfect_equilibria(self, tol: float = DEFAULT_TOL, limit: int = 10_000) -> list:
        """Every pure subgame-perfect equilibrium.

        Parameters
        ----------
        tol : float
            Tie tolerance, as in :meth:`backward_induction`.
        limit : int
            Raise :class:`EquilibriumLimitError` rather than list more than ``limit``.

        Returns
        -------
        list of SubgamePerfect
            The first is ``backward_induction(tie="first", tol=tol)``.

        Notes
        -----
        Backward induction over sets: the pure SPEs of a subgame rooted at a decision node
        are, for every combination of one SPE in each child subgame, every action that
        maximises the mover's value given that combination (a tie deep in the tree changes
        the values above it, so the maximisers are recomputed per combination).  At a chance
        node they are all combinations.  The number of SPEs of a subgame is at least the
        product of its children's, so the count is checked on the way up.
        """
        plans = _subgame_perfect_plans(self._root, len(self._players), self._exact, tol, limit)
        return [self._result(plan, value) for plan, value in plans]

    # -- normal form ----------------------------------------------------------------
    def pure_strategies(self, player: int) -> list:
        """Labels of ``player``'s pure strategies in the full normal form.

        A pure strategy is one action at each of the player's decision nodes, in preorder,
        the labels joined by ``"/"``; the last node varies fastest.  A player without
        decision nodes has the single strategy ``"-"``.
        """
        nodes = self._player_nodes[self._player_index(player)]
        if not nodes:
            return ["-"]
        return ["/".join(c) for c in itertools.product(*(list(d.actions) for d in nodes))]

    def normal_form_shape(self) -> tuple:
        """Numbers of pure strategies ``(s_1, ..., s_n)`` of the full normal form."""
        return tuple(math.prod(len(d.actions) for d in nodes) for nodes in self._player_nodes)

    def normal_form_payoffs(self) -> tuple:
        """The payoff arrays of the full normal form.

        Returns
        -------
        tuple of numpy arrays
            Player i's expected payoff, an array of shape ``normal_form_shape()`` indexed by
            the pure strategies of :meth:`pure_strategies` (``float``, or ``object`` holding
            ``Fraction`` under exact arithmetic).

        Notes
        -----
        Vectorised over profiles: the value of each node is an array over the pure
        strategies of the players who move below it (broadcast along the other axes); a
        decision node of player i selects, along axis i, the child that each of i's
        strategies picks there; a chance node takes the probability-weighted sum.
        """
        return _normal_form_payoffs(self._root, self._player_nodes, self._position, self.normal_form_shape(),
                                    self._exact)

    def to_normal_form(self):
        """The full normal form as a :class:`~gametheory_aid.core.normal_form.NormalFormGame`.

        See :meth:`normal_form_payoffs` and :meth:`pure_strategies`.
        """
        from .normal_form import NormalFormGame  # imported lazily: the normal form depends on nothing here
        return NormalFormGame(list(self.normal_form_payoffs()), players=list(self._players),
                              strategies=[self.pure_strategies(i) for i in range(len(self._players))],
                              title=self._title)

    def strategy_profile(self, spe) -> tuple:
        """Indices of each player's pure strategy (in :meth:`to_normal_form`) under a plan.

        Parameters
        ----------
        spe : SubgamePerfect or mapping
            An equilibrium, or a plan (decision-node label -> action) for every decision node.
        """
        plan = spe.plan if isinstance(spe, SubgamePerfect) else spe
        self._check_plan(plan)
        profile = []
        for nodes in self._player_nodes:
            index = 0
            for d in nodes:  # mixed radix, last node fastest
                index = index * len(d.actions) + list(d.actions).index(plan[d.label])
            profile.append(index)
        return tuple(profile)

    # -- Gambit export --------------------------------------------------------------
    def to_efg(self) -> str:
        """The tree in Gambit's extensive-form file format (``.efg``, version 2, rational).

        Every decision node is its own information set (numbered per player in preorder),
        every chance node its own chance information set, every terminal its own outcome.
        Floating-point numbers are written as the shortest decimals that read back as the
        same doubles; Gambit requires chance probabilities to sum to exactly one, so for
        floating-point trees the largest probability of each chance node absorbs the
        rounding of the others (at most the validation tolerance 1e-9).
        """
        return _efg_text(self._title, self._players, self._root)

    def write_efg(self, path) -> None:
        """Write :meth:`to_efg` to ``path`` (UTF-8)."""
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(self.to_efg())

    def to_gambit(self):
        """The tree as a ``pygambit.Game``, read from :meth:`to_efg` (needs ``pygambit``)."""
        import io

        from .._optional import require
        gambit = require("pygambit", "gambit")
        return gambit.read_efg(io.StringIO(self.to_efg()))

    # -- presentation ---------------------------------------------------------------
    def __repr__(self) -> str:
        head = f"GameTree {self._title!r}" if self._title else "GameTree"
        lines = [f"{head} (players: {', '.join(self._players)}; "
                 f"{'exact' if self._exact else 'floating point'})"]

        def describe(node) -> str:
            if isinstance(node, Terminal):
                pays = "(" + ", ".join(_fmt(x) for x in node.payoffs) + ")"
                return pays + (f" {node.label!r}" if node.label else "")
            if isinstance(node, Decision):
                return f"[{node.label}] {self._players[node.player]}"
            return f"[{node.label}] chance"

        def outline(node, depth):
            if isinstance(node, Decision):
                for a, child in node.actions.items():
                    lines.append("  " * depth + f"{a} -> {describe(child)}")
                    outline(child, depth + 1)
            elif isinstance(node, Chance):
                for o, (p, child) in node.outcomes.items():
                    lines.append("  " * depth + f"{o} ({_fmt(p)}) -> {describe(child)}")
                    outline(child, depth + 1)

        lines.append(describe(self._root))
        outline(self._root, 1)
        return "\n".join(lines)

    __str__ = __repr__
