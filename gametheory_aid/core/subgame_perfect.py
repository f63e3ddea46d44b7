"""Pure subgame-perfect equilibria of a game tree: backward induction over one or all ties.

:class:`SubgamePerfect` is an equilibrium of a
:class:`~gametheory_aid.core.game_tree.GameTree` (its plan, payoffs and play).  The
algorithms work on the tree's labelled, normalised root and return plans with their values
from the root; :meth:`GameTree.backward_induction
<gametheory_aid.core.game_tree.GameTree.backward_induction>` and
:meth:`GameTree.subgame_perfect_equilibria
<gametheory_aid.core.game_tree.GameTree.subgame_perfect_equilibria>` turn them into
:class:`SubgamePerfect` results.
"""
from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from .results import to_jsonable
from .tree_nodes import Chance, Decision, Node, Terminal, _postorder

__all__ = ["SubgamePerfect", "EquilibriumLimitError", "DEFAULT_TOL"]

#: Absolute tolerance (scaled by ``max(1, |best value|)``) within which floating-point
#: action values count as tied.
DEFAULT_TOL = 1e-12


class EquilibriumLimitError(RuntimeError):
    """More subgame-perfect equilibria than the caller's ``limit``."""


@dataclass(frozen=True)
class SubgamePerfect:
    """A pure subgame-perfect equilibrium of a :class:`GameTree`.

    Parameters
    ----------
    plan : dict
        Decision-node label -> chosen action, for every decision node on and off the
        equilibrium path, in preorder.
    payoffs : tuple
        Expected payoffs from the root, one per player.
    path : tuple
        The labels of the edges played, in preorder.  Without chance nodes this is the
        realised path from the root to a terminal node.  At a chance node every outcome of
        positive probability is followed, so the path lists the chance outcome's label and
        then the play below it, outcome after outcome (see ``histories`` for the separate
        branches).
    method : str
        ``"backward induction"``.
    exact : bool
        Whether the arithmetic was exact (``Fraction``) rather than floating point.
    histories : tuple
        The terminal histories reached with positive probability, as
        ``(probability, labels)`` pairs; a single ``(1, path)`` without chance nodes.
    """

    plan: dict
    payoffs: tuple
    path: tuple
    method: str = "backward induction"
    exact: bool = False
    histories: tuple = ()

    def to_dict(self) -> dict:
        """JSON-ready dictionary (``Fraction`` values become floats)."""
        return {"plan": dict(self.plan), "payoffs": to_jsonable(self.payoffs), "path": list(self.path),
                "histories": [{"probability": to_jsonable(p), "path": list(h)} for p, h in self.histories],
                "method": self.method, "exact": self.exact}


def _check_tol(tol) -> None:
    if isinstance(tol, (bool, np.bool_)) or not isinstance(tol, numbers.Real) or not math.isfinite(tol) or tol < 0:
        raise ValueError(f"tol = {tol!r}; expected a finite number >= 0")


def _maximisers(node: Decision, values: Mapping, tol: float, exact: bool) -> list:
    """The actions whose value to the mover is maximal (within ``tol`` unless exact)."""
    i = node.player
    best = max(v[i] for v in values.values())
    slack = 0 if exact else tol * max(1.0, abs(best))
    return [a for a, v in values.items() if v[i] >= best - slack]


def _backward_induction(root: Node, n_players: int, exact: bool, tie: str | Callable, tol: float) -> tuple:
    """``(plan, payoffs)`` of one SPE by backward induction; see :meth:`GameTree.backward_induction`.

    ``plan`` maps the label of every decision node to its chosen action (in the order the
    nodes are solved, children first); ``payoffs`` is the value of ``root``.
    """
    if not (tie in ("first", "last") or callable(tie)):
        raise ValueError(f"tie = {tie!r}; expected 'first', 'last' or a callable (node, tied_labels) -> label")
    _check_tol(tol)
    plan: dict = {}
    value: dict = {}
    # children before parents, each node once (a shared node is one node with one choice)
    for node in _postorder(root):
        if isinstance(node, Terminal):
            value[id(node)] = node.payoffs
            continue
        if isinstance(node, Chance):
            values = [(p, value[id(child)]) for p, child in node.outcomes.values()]
            value[id(node)] = tuple(sum(p * v[k] for p, v in values) for k in range(n_players))
            continue
        values = {a: value[id(child)] for a, child in node.actions.items()}
        tied = _maximisers(node, values, tol, exact)
        if len(tied) == 1 or tie == "first":
            choice = tied[0]
        elif tie == "last":
            choice = tied[-1]
        else:
            choice = tie(node, list(tied))
            if choice not in tied:
                raise ValueError(f"the tie rule chose {choice!r} at {node.label!r}; expected one of {tied}")
        plan[node.label] = choice
        value[id(node)] = values[choice]
    return plan, value[id(root)]


def _subgame_perfect_plans(root: Node, n_players: int, exact: bool, tol: float, limit: int) -> list:
    """``(plan, payoffs)`` of every pure SPE; see :meth:`GameTree.subgame_perfect_equilibria`."""
    _check_tol(tol)
    if isinstance(limit, (bool, np.bool_)) or not isinstance(limit, (int, np.integer)) or limit < 1:
        raise ValueError(f"limit = {limit!r}; expected a positive integer")

    def too_many(count, where):
        raise EquilibriumLimitError(f"more than limit = {limit} subgame-perfect equilibria (at least {count} "
                                    f"in the subgame at {where!r}); raise `limit` to list them")

    def merged(combo) -> dict | None:
        """The union of the children's plan fragments, or None if a shared node's choices differ."""
        out: dict = {}
        for fragment, _ in combo:
            for label, action in fragment.items():
                if out.setdefault(label, action) != action:
                    return None
        return out

    solutions: dict = {}  # id of a node -> list of (plan fragment, value), one per SPE of its subgame
    for node in _postorder(root):
        if isinstance(node, Terminal):
            solutions[id(node)] = [({}, node.payoffs)]
            continue
        children = node.outcomes if isinstance(node, Chance) else node.actions
        labels = list(children)
        subs = [solutions[id(c[1] if isinstance(node, Chance) else c)] for c in children.values()]
        count = math.prod(len(sub) for sub in subs)
        if count > limit:
            too_many(count, node.label)
        out = []
        for combo in itertools.product(*subs):
            plan = merged(combo)
            if plan is None:
                continue
            if isinstance(node, Chance):
                probs = [p for p, _ in children.values()]
                value = tuple(sum(p * v[k] for p, (_, v) in zip(probs, combo, strict=False))
                              for k in range(n_players))
                out.append((plan, value))
                continue
            values = {a: v for a, (_, v) in zip(labels, combo, strict=False)}
            for a in _maximisers(node, values, tol, exact):
                out.append(({**plan, node.label: a}, values[a]))
                if len(out) > limit:
                    too_many(len(out), node.label)
        solutions[id(node)] = out
    return solutions[id(root)]
