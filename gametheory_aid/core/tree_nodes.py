"""The nodes of a finite game tree, and the checks of a tree built from them.

A tree is built from :class:`Terminal` (an outcome with one payoff per player),
:class:`Decision` (one player's move, its actions in order) and :class:`Chance` (outcomes
drawn with given probabilities) nodes and handed to
:class:`~gametheory_aid.core.game_tree.GameTree`, which checks it (``_check_tree``: no
cycles, valid player indices and labels, finite payoffs, probabilities in [0, 1]), then
labels and normalises it.  Its arithmetic is exact when every payoff and probability is
(``_is_exact``).  Every refusal is a :class:`~gametheory_aid.core.gambit_io.GameInputError`
(a ``ValueError``) naming the node by its path from the root, the value and what is allowed.
"""
from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np

from .gambit_io import MAX_PAYOFF, MAX_TREE_NODES, GameInputError, GameSizeError

__all__ = ["Terminal", "Decision", "Chance", "Node"]


@dataclass(frozen=True)
class Terminal:
    """A terminal node (an outcome).

    Parameters
    ----------
    payoffs : tuple
        One payoff per player, in the order of the tree's ``players``.
    label : str
        The outcome's name (optional).
    """

    payoffs: tuple
    label: str = ""

    def __post_init__(self):
        if not isinstance(self.payoffs, tuple):
            # text, bytes, mappings and sets iterate, but not as one payoff per player
            if isinstance(self.payoffs, (str, bytes, bytearray, Mapping, set, frozenset)) \
                    or not isinstance(self.payoffs, Iterable):
                raise _node_error(f"terminal payoffs must be a sequence of numbers, one per player, got "
                                  f"{type(self.payoffs).__name__} {self.payoffs!r:.100}", "payoffs", self.payoffs,
                                  "a sequence of real numbers, one per player")
            try:
                object.__setattr__(self, "payoffs", tuple(self.payoffs))
            except (TypeError, ValueError) as exc:  # a 0-d array, an iterator that fails
                raise _node_error(f"terminal payoffs must be a sequence of numbers, got {self.payoffs!r:.100} "
                                  f"({exc})", "payoffs", self.payoffs,
                                  "a sequence of real numbers, one per player") from None


@dataclass(frozen=True)
class Decision:
    """A decision node of one player.

    Parameters
    ----------
    player : int
        Index of the player who moves (into the tree's ``players``).
    actions : dict
        Action label -> child node.  The order matters: it is the tie precedence of
        ``backward_induction(tie="first")`` and the order of the player's actions in the
        normal form.
    label : str
        The node's name; unlabelled decision nodes are named by their path from the root
        (``"root"``, ``"root/In"``, ...) when the :class:`GameTree` is built.
    """

    player: int
    actions: dict
    label: str = ""


@dataclass(frozen=True)
class Chance:
    """A chance node.

    Parameters
    ----------
    outcomes : dict
        Outcome label -> ``(probability, child node)``; the probabilities lie in [0, 1] and
        sum to one (exactly for ``Fraction``/``int`` probabilities, within 1e-9 for floats).
    label : str
        The node's name (auto-named by its path when empty).
    """

    outcomes: dict
    label: str = ""


Node = Terminal | Decision | Chance


# --------------------------------------------------------------------------- numbers

def _node_error(message: str, name: str, value, domain: str) -> GameInputError:
    return GameInputError(message, name=name, value=value, domain=domain)


_REAL = "a finite real number (int, float, Fraction, Decimal; not bool, complex or text)"


def _is_exact(x) -> bool:
    return isinstance(x, (int, Fraction, Decimal, np.integer)) and not isinstance(x, (bool, np.bool_))


def _check_real(x, what: str, limit: float | None = None) -> None:
    """Reject anything that is not a finite real number (booleans and NaN/inf included).

    With ``limit``, also a magnitude beyond it (compared exactly, so that ``10**400`` is
    refused without an ``OverflowError``).
    """
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (numbers.Real, Decimal)):
        raise _node_error(f"{what} = {x!r:.100} is not a real number (got {type(x).__name__})", what, x, _REAL)
    if isinstance(x, Decimal):
        finite = x.is_finite()
    elif _is_exact(x):
        finite = True
    else:
        finite = math.isfinite(float(x))
    if not finite:
        raise _node_error(f"{what} = {x!r:.100} is not finite (NaN and infinity are not allowed)", what, x, _REAL)
    if limit is not None and abs(x) > limit:
        shown = _magnitude(x)
        raise _node_error(f"{what} = {shown} exceeds {limit:g} in magnitude (sums of payoffs weighted by "
                          "probabilities must stay finite)", what, shown,
                          f"real numbers of magnitude at most {limit:g}")


def _magnitude(x) -> str:
    """A short text of a (huge) number for a message: ``1e+305``, or its order of magnitude."""
    try:
        return f"{float(x):.6g}" if abs(float(x)) < math.inf else "a number beyond 1e308"
    except OverflowError:
        return "a number beyond 1e308"


def _fmt(x) -> str:
    if isinstance(x, Fraction):
        return str(x)
    return f"{x:.6g}" if isinstance(x, float) else str(x)


# --------------------------------------------------------------------------- structure

_NODE = "a Terminal, Decision or Chance node"


def _path_text(link, cut: bool = True) -> str:
    """The path ``"root/a/b"`` of a node from its link ``(parent link, edge label)`` (``"root"``: ``(None, path)``).

    Built only for a message or a label, so that checking a deep tree does not build a path
    string per node; for a message (``cut``) a path of more than 200 labels is cut in the middle.
    """
    edges = []
    while link is not None:
        link, edge = link
        edges.append(edge)
    edges.reverse()
    if cut and len(edges) > 200:
        edges = edges[:100] + [f"...({len(edges) - 200} more)..."] + edges[-100:]
    return "/".join(edges)


def _check_node(node, link, players: tuple, numbers_seen: list) -> list:
    """Check one node reached along the path ``link`` (see ``_path_text``); its ``(edge label, child)`` pairs.

    Every payoff and probability of the node is appended to ``numbers_seen``.
    """
    n = len(players)
    if isinstance(node, Terminal):
        if len(node.payoffs) != n:
            raise _node_error(f"terminal at {_path_text(link)!r} has {len(node.payoffs)} payoffs "
                              f"{node.payoffs!r:.200}; expected {n}, one per player {list(players)}", "payoffs",
                              len(node.payoffs), f"{n} payoffs, one per player")
        for i, x in enumerate(node.payoffs):
            _check_real(x, f"payoff of player {players[i]!r} at terminal {_path_text(link)!r}", MAX_PAYOFF)
        numbers_seen.extend(node.payoffs)
        kind = None
    elif isinstance(node, Decision):
        p = node.player
        if isinstance(p, (bool, np.bool_)) or not isinstance(p, (int, np.integer)) or not 0 <= p < n:
            raise _node_error(f"decision node at {_path_text(link)!r} has player {p!r:.100}; expected an index in "
                              f"0..{n - 1} of players {list(players)}", "player", p, f"an integer in 0..{n - 1}")
        children = node.actions
        kind = "action"
    elif isinstance(node, Chance):
        children = node.outcomes
        kind = "outcome"
    else:
        raise _node_error(f"node at {_path_text(link)!r} is {node!r:.200}; expected {_NODE}", "node",
                          type(node).__name__, _NODE)
    if not isinstance(node.label, str):
        raise _node_error(f"node label at {_path_text(link)!r} must be a string, got {node.label!r:.100}", "label",
                          node.label, "a string")
    if kind is None:
        return []
    if not isinstance(children, Mapping) or not children:
        raise _node_error(f"{type(node).__name__.lower()} node at {_path_text(link)!r} needs a non-empty dict of "
                          f"{kind}s, got {children!r:.200}", f"{kind}s", type(children).__name__,
                          f"a non-empty dict of {kind}s")
    out = []
    for a, child in children.items():
        if not isinstance(a, str) or not a:
            raise _node_error(f"{kind} labels must be non-empty strings, got {a!r:.100} at {_path_text(link)!r}",
                              f"{kind} label", a, "non-empty strings")
        if isinstance(node, Chance):
            if not (isinstance(child, (tuple, list)) and len(child) == 2):
                raise _node_error(f"chance outcome {a!r} at {_path_text(link)!r} must be a (probability, node) "
                                  f"pair, got {child!r:.200}", "outcome", type(child).__name__,
                                  "a (probability, node) pair")
            prob, child = child
            what = f"probability of outcome {a!r} at chance node {_path_text(link)!r}"
            _check_real(prob, what)
            if not 0 <= prob <= 1:
                raise _node_error(f"{what} is {prob!r}; it must lie in [0, 1]", "probability", prob, "[0, 1]")
            numbers_seen.append(prob)
        out.append((a, child))
    return out


def _check_tree(root, path: str, players: tuple, ancestors: set, numbers_seen: list) -> None:
    """Check the structure and numbers of the tree below ``root``, reached from the root along ``path``.

    ``players`` are the players' names; ``ancestors`` holds the ids of nodes above ``root`` (a
    node among them is a cycle); every payoff and probability is appended to ``numbers_seen``.

    Depth-first with an explicit stack (trees of any depth), each node object checked once:
    a node reached again along another path is shared, not a cycle, unless it is still open
    above the current node.  At most :data:`~gametheory_aid.core.gambit_io.MAX_TREE_NODES`
    distinct nodes.

    Raises
    ------
    GameInputError
        A node that is not a node, a cycle, a wrong payoff, player, label or probability.
    GameSizeError
        More than ``MAX_TREE_NODES`` distinct nodes.
    """
    open_ids, done = set(ancestors), set()
    stack = [(root, (None, path), False)]
    while stack:
        node, link, closing = stack.pop()
        if closing:
            open_ids.discard(id(node))
            done.add(id(node))
            continue
        if id(node) in open_ids:
            raise _node_error(f"the node at {_path_text(link)!r} is its own ancestor: a game tree cannot have cycles",
                              "tree", _path_text(link), "a finite tree without cycles")
        if id(node) in done:
            continue
        if len(done) + len(open_ids) >= MAX_TREE_NODES:
            raise GameSizeError(f"the tree has more than {MAX_TREE_NODES} distinct nodes", name="tree nodes",
                                value=len(done) + len(open_ids) + 1, domain=f"at most {MAX_TREE_NODES} nodes")
        children = _check_node(node, link, players, numbers_seen)
        open_ids.add(id(node))
        stack.append((node, link, True))
        stack.extend((child, (link, a), False) for a, child in reversed(children))


def _children(node) -> list:
    """The child nodes of a checked node, in order."""
    if isinstance(node, Decision):
        return list(node.actions.values())
    if isinstance(node, Chance):
        return [child for _, child in node.outcomes.values()]
    return []


def _postorder(root) -> list:
    """Every distinct node (by identity) below a checked tree's ``root``, children before parents.

    Depth-first with an explicit stack: a node shared by several parents is listed once, so
    the work of the tree algorithms grows with the number of distinct nodes, not of paths.
    """
    order, seen = [], set()
    stack = [(root, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(_children(node)))
    return order
