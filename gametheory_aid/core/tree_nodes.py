"""The nodes of a finite game tree, and the checks of a tree built from them.

A tree is built from :class:`Terminal` (an outcome with one payoff per player),
:class:`Decision` (one player's move, its actions in order) and :class:`Chance` (outcomes
drawn with given probabilities) nodes and handed to
:class:`~gametheory_aid.core.game_tree.GameTree`, which checks it (``_check_tree``: no
cycles, valid player indices and labels, finite payoffs, probabilities in [0, 1]), then
labels and normalises it.  Its arithmetic is exact when every payoff and probability is
(``_is_exact``).
"""
from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np

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
            try:
                object.__setattr__(self, "payoffs", tuple(self.payoffs))
            except TypeError:
                raise ValueError(f"terminal payoffs must be a sequence of numbers, got {self.payoffs!r}") from None


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

def _is_exact(x) -> bool:
    return isinstance(x, (int, Fraction, Decimal, np.integer)) and not isinstance(x, (bool, np.bool_))


def _check_real(x, what: str) -> None:
    """Reject anything that is not a finite real number (booleans and NaN/inf included)."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (numbers.Real, Decimal)):
        raise ValueError(f"{what} = {x!r} is not a real number")
    if not _is_exact(x) and not math.isfinite(float(x)):
        raise ValueError(f"{what} = {x!r} is not finite (NaN and infinity are not allowed)")
    if isinstance(x, Decimal) and not x.is_finite():
        raise ValueError(f"{what} = {x!r} is not finite (NaN and infinity are not allowed)")


def _fmt(x) -> str:
    if isinstance(x, Fraction):
        return str(x)
    return f"{x:.6g}" if isinstance(x, float) else str(x)


# --------------------------------------------------------------------------- structure

def _check_tree(node, path: str, players: tuple, ancestors: set, numbers_seen: list) -> None:
    """Check the structure and numbers of the tree below ``node``, reached from the root along ``path``.

    ``players`` are the players' names; ``ancestors`` holds the ids of the nodes above (a node
    among them is a cycle); every payoff and probability is appended to ``numbers_seen``.
    """
    if id(node) in ancestors:
        raise ValueError(f"the node at {path!r} is its own ancestor: a game tree cannot have cycles")
    n = len(players)
    if isinstance(node, Terminal):
        if len(node.payoffs) != n:
            raise ValueError(f"terminal at {path!r} has {len(node.payoffs)} payoffs {node.payoffs!r}; "
                             f"expected {n}, one per player {list(players)}")
        for i, x in enumerate(node.payoffs):
            _check_real(x, f"payoff of player {players[i]!r} at terminal {path!r}")
        numbers_seen.extend(node.payoffs)
        return
    if isinstance(node, Decision):
        p = node.player
        if isinstance(p, (bool, np.bool_)) or not isinstance(p, (int, np.integer)) or not 0 <= p < n:
            raise ValueError(f"decision node at {path!r} has player {p!r}; expected an index in "
                             f"0..{n - 1} of players {list(players)}")
        children = node.actions
        kind = "action"
    elif isinstance(node, Chance):
        children = node.outcomes
        kind = "outcome"
    else:
        raise ValueError(f"node at {path!r} is {node!r}; expected a Terminal, Decision or Chance node")
    if not isinstance(node.label, str):
        raise ValueError(f"node label at {path!r} must be a string, got {node.label!r}")
    if not isinstance(children, Mapping) or not children:
        raise ValueError(f"{type(node).__name__.lower()} node at {path!r} needs a non-empty dict of "
                         f"{kind}s, got {children!r}")
    ancestors = ancestors | {id(node)}
    for a, child in children.items():
        if not isinstance(a, str) or not a:
            raise ValueError(f"{kind} labels must be non-empty strings, got {a!r} at {path!r}")
        if isinstance(node, Chance):
            if not (isinstance(child, (tuple, list)) and len(child) == 2):
                raise ValueError(f"chance outcome {a!r} at {path!r} must be a (probability, node) pair, "
                                 f"got {child!r}")
            prob, child = child
            _check_real(prob, f"probability of outcome {a!r} at chance node {path!r}")
            if not 0 <= prob <= 1:
                raise ValueError(f"probability of outcome {a!r} at chance node {path!r} is {prob!r}; "
                                 "it must lie in [0, 1]")
            numbers_seen.append(prob)
        _check_tree(child, f"{path}/{a}", players, ancestors, numbers_seen)
