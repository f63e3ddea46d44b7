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

from . import gambit_io
from .gambit_io import MAX_PLAYERS, MAX_TREE_NODES, GambitFormatError, GameInputError, GameSizeError
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
from .tree_conversion import _efg_text, _normal_form_payoffs, _tree_from_efg
from .tree_conversion import _quote as _quote
from .tree_nodes import Chance, Decision, Node, Terminal, _check_tree, _fmt, _is_exact, _path_text, _postorder
from .tree_nodes import _check_real as _check_real

# The ``from ... import name as name`` imports re-export helpers from the modules that define them.

__all__ = ["Terminal", "Decision", "Chance", "GameTree", "SubgamePerfect", "EquilibriumLimitError"]

#: Floating-point chance probabilities must sum to one within this tolerance.
PROBABILITY_TOL = 1e-9
#: Most characters of all the labels made from paths for unlabelled decision and chance
#: nodes (a path label is as long as its node is deep, so their total grows with the square
#: of the depth of an unlabelled chain).
MAX_LABEL_CHARS = 50_000_000


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
    GameInputError
        A ``ValueError`` naming what was wrong, the value and what is allowed: a node that
        is not a :class:`Terminal`, :class:`Decision` or :class:`Chance`, a cycle, a payoff
        vector of the wrong length or with an entry that is not a finite real number (NaN,
        infinities, booleans, complex numbers and text are refused) or beyond
        :data:`~gametheory_aid.core.gambit_io.MAX_PAYOFF` in magnitude, a player index out
        of range, a node without actions/outcomes or with labels that are not non-empty
        strings, chance probabilities outside [0, 1] or not summing to one, players that
        are not distinct non-empty strings, or two decision nodes sharing a label.
    GameSizeError
        More than :data:`~gametheory_aid.core.gambit_io.MAX_PLAYERS` players, more than
        :data:`~gametheory_aid.core.gambit_io.MAX_TREE_NODES` distinct nodes, or path
        labels of more than :data:`MAX_LABEL_CHARS` characters in all.

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
        names = "a sequence of distinct non-empty strings, one per player"
        if isinstance(players, str) or not isinstance(players, Sequence):
            raise GameInputError(f"players must be a sequence of names, got {players!r:.100}", name="players",
                                 value=players, domain=names)
        players = tuple(players)
        if not players:
            raise GameInputError("players must name at least one player", name="players", value=players,
                                 domain=names)
        if len(players) > MAX_PLAYERS:
            raise GameSizeError(f"players: {len(players)} players; at most {MAX_PLAYERS} are supported (the normal "
                                "form has one array axis per player)", name="players", value=len(players),
                                domain=f"at most {MAX_PLAYERS} players")
        for p in players:
            if not isinstance(p, str) or not p:
                raise GameInputError(f"player names must be non-empty strings, got {p!r:.100} in {players!r:.200}",
                                     name="players", value=p, domain=names)
        if len(set(players)) != len(players):
            raise GameInputError(f"player names must be unique, got {players!r:.200}", name="players", value=players,
                                 domain=names)
        if not isinstance(title, str):
            raise GameInputError(f"title must be a string, got {title!r:.100}", name="title", value=title,
                                 domain="a string")
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
                raise GameInputError(f"decision node label {lab!r:.200} is used more than once; decision labels "
                                     "must be unique (they key the plan of an equilibrium)", name="label", value=lab,
                                     domain="a distinct label for each decision node")
            seen.add(lab)
        self._by_label = {d.label: d for d in self._decisions}
        self._player_nodes = [[d for d in self._decisions if d.player == i] for i in range(len(players))]
        self._position = {d.label: j for nodes in self._player_nodes for j, d in enumerate(nodes)}

    # -- construction ---------------------------------------------------------------
    def _num(self, x):
        return Fraction(x) if self._exact else float(x)

    def _copy(self, root, path: str):
        """The labelled, normalised copy of the tree below ``root`` (registering its nodes).

        Iterative, and by identity: a node object reached along several paths is one node
        of the copy (labelled by the first path in preorder when unlabelled), so that the
        copy is as large as the number of distinct nodes.
        """
        labels: dict = {}  # id of an original node -> its label, in preorder of first occurrence
        automatic = 0  # characters of the labels made from paths
        stack = [(root, (None, path), len(path))]
        while stack:
            node, link, length = stack.pop()
            if id(node) in labels:
                continue
            if isinstance(node, Terminal) or node.label:
                labels[id(node)] = node.label
            else:
                # a path label is as long as the node is deep: bound their total before making them
                automatic += length
                if automatic > MAX_LABEL_CHARS:
                    raise GameSizeError(f"the labels made from paths for the unlabelled nodes of this tree would have "
                                        f"more than {MAX_LABEL_CHARS} characters; label the decision and chance "
                                        "nodes of deep trees", name="labels", value=automatic,
                                        domain=f"at most {MAX_LABEL_CHARS} characters of path labels")
                labels[id(node)] = _path_text(link, cut=False)
            if isinstance(node, Decision):
                self._decisions.append(id(node))
                stack.extend((c, (link, a), length + 1 + len(a)) for a, c in reversed(list(node.actions.items())))
            elif isinstance(node, Chance):
                self._chances.append(id(node))
                stack.extend((c, (link, o), length + 1 + len(o))
                             for o, (_, c) in reversed(list(node.outcomes.items())))
        new: dict = {}
        for node in _postorder(root):
            label = labels[id(node)]
            if isinstance(node, Terminal):
                new[id(node)] = Terminal(tuple(self._num(x) for x in node.payoffs), label)
            elif isinstance(node, Decision):
                new[id(node)] = Decision(int(node.player), {a: new[id(c)] for a, c in node.actions.items()}, label)
            else:
                new[id(node)] = Chance({o: (self._num(p), new[id(c)]) for o, (p, c) in node.outcomes.items()}, label)
        self._decisions = [new[k] for k in self._decisions]
        self._chances = [new[k] for k in self._chances]
        return new[id(root)]

    def _check_probabilities(self) -> None:
        for c in self._chances:
            total = sum(p for p, _ in c.outcomes.values())
            ok = total == 1 if self._exact else abs(total - 1.0) <= PROBABILITY_TOL
            if not ok:
                listed = ", ".join(f"{o}={_fmt(p)}" for o, (p, _) in c.outcomes.items())
                raise GameInputError(f"probabilities at chance node {c.label!r:.200} sum to {_fmt(total)}, not 1 "
                                     f"({listed:.300}); " + ("exact probabilities must sum to exactly 1" if self._exact
                                                             else f"the tolerance is {PROBABILITY_TOL:g}"),
                                     name="probabilities", value=_fmt(total), domain="probabilities summing to 1")

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
            raise GameInputError(f"player = {player!r:.100} is not a player index in 0..{len(self._players) - 1}",
                                 name="player", value=player, domain=f"an integer in 0..{len(self._players) - 1}")
        return int(player)

    # -- evaluation -----------------------------------------------------------------
    def _check_plan(self, plan: Mapping) -> None:
        if not isinstance(plan, Mapping):
            raise GameInputError(f"a plan must be a mapping of decision-node labels to actions, got "
                                 f"{type(plan).__name__}", name="plan", value=type(plan).__name__,
                                 domain="a mapping label -> action")
        for d in self._decisions:
            if d.label not in plan:
                raise GameInputError(f"the plan has no action for decision node {d.label!r}", name="plan",
                                     value=d.label, domain="an action for every decision node")
            if not isinstance(plan[d.label], str) or plan[d.label] not in d.actions:
                raise GameInputError(f"the plan's action {plan[d.label]!r:.100} at {d.label!r} is not one of "
                                     f"{list(d.actions)}", name="plan", value=plan[d.label],
                                     domain=f"one of {list(d.actions)}")

    def _value(self, root, plan: Mapping) -> tuple:
        """The value of ``root`` under ``plan``: children before parents, each node once."""
        zero = Fraction(0) if self._exact else 0.0
        value: dict = {}
        for node in _postorder(root):
            if isinstance(node, Terminal):
                value[id(node)] = node.payoffs
            elif isinstance(node, Decision):
                value[id(node)] = value[id(node.actions[plan[node.label]])]
            else:
                total = [zero] * len(self._players)
                for p, child in node.outcomes.values():
                    total = [t + p * x for t, x in zip(total, value[id(child)], strict=False)]
                value[id(node)] = tuple(total)
        return value[id(root)]

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
        """(path, histories) of a plan: edges played in preorder and terminal histories.

        Iterative; the play of a shared node is listed at each of its occurrences, at most
        :data:`~gametheory_aid.core.gambit_io.MAX_TREE_NODES` steps in all.
        """
        path: list = []
        histories: list = []
        stack = [(self._root, Fraction(1) if self._exact else 1.0, ())]
        while stack:
            node, prob, history = stack.pop()
            if len(path) + len(histories) > MAX_TREE_NODES:
                raise GameSizeError(f"the play of this plan visits more than {MAX_TREE_NODES} nodes (shared nodes "
                                    "counted at each occurrence)", name="play", value=len(path) + len(histories),
                                    domain=f"at most {MAX_TREE_NODES} nodes")
            if history:
                path.append(history[-1])
            if isinstance(node, Terminal):
                histories.append((prob, history))
            elif isinstance(node, Decision):
                a = plan[node.label]
                stack.append((node.actions[a], prob, history + (a,)))
            else:
                # outcomes of probability zero are not realised
                stack.extend((child, prob * p, history + (o,))
                             for o, (p, child) in reversed(list(node.outcomes.items())) if p > 0)
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

    @classmethod
    def from_efg(cls, text_or_path) -> GameTree:
        """Read a Gambit ``.efg`` tree (version 2) from text, bytes or a file path.

        A string is the text itself if it starts with ``EFG`` or holds a line break, and a
        path otherwise (see :func:`~gametheory_aid.core.gambit_io.read_game_text`).  The
        file may hold personal, chance and terminal nodes with outcomes at the terminals;
        every information set must be one node (perfect information) -- the occurrences of
        a shared node that :meth:`to_efg` writes out become one shared node again.  Numbers
        are read exactly, so the tree is exact (``Fraction``) and ``GameTree.from_efg(
        tree.to_efg())`` has the same equilibria as an exact ``tree``.

        Raises
        ------
        GambitFormatError
            A malformed file, one that asks for more than the limits of
            :mod:`~gametheory_aid.core.gambit_io` ("Hostile files"), or a game the package's
            trees cannot represent (imperfect information, payoffs at non-terminal nodes),
            naming the line and position.
        OSError
            A file that cannot be read.
        """
        data = gambit_io.parse_efg(gambit_io.read_game_text(text_or_path, "EFG"))
        root = _tree_from_efg(data)
        try:
            return cls(root, data["players"], title=data["title"])
        except GameInputError as exc:  # e.g. empty or repeated player names
            raise GambitFormatError(f"Gambit .efg: {exc}", name="Gambit .efg", value=exc.value,
                                    domain=exc.domain) from None

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

        lines.append(describe(self._root))
        # preorder with an explicit stack: an edge's line, then the subtree below it; the
        # subtree of a shared node is outlined once and marked "(above)" where it recurs
        shown: set = set()
        stack: list = [("node", self._root, 1)]
        while stack:
            kind, item, depth = stack.pop()
            if kind == "line":
                edge, child = item
                again = not isinstance(child, Terminal) and id(child) in shown
                lines.append("  " * depth + f"{edge} -> {describe(child)}" + (" (above)" if again else ""))
                continue
            if id(item) in shown:
                continue
            shown.add(id(item))
            if isinstance(item, Decision):
                edges = list(item.actions.items())
            elif isinstance(item, Chance):
                edges = [(f"{o} ({_fmt(p)})", c) for o, (p, c) in item.outcomes.items()]
            else:
                edges = []
            for edge, child in reversed(edges):
                stack.append(("node", child, depth + 1))
                stack.append(("line", (edge, child), depth))
        return "\n".join(lines)

    __str__ = __repr__
