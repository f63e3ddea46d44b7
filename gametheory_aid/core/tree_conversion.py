"""A game tree's full normal form and its Gambit ``.efg`` text.

The normal form has, for each player, every combination of one action at each of the
player's decision nodes as a pure strategy; its payoffs, expected through chance nodes,
are built for all profiles at once (``_normal_form_payoffs``).  The ``.efg`` writer
(``_efg_text``) gives every decision node its own information set and writes payoffs and
probabilities in Gambit's rational format.  Both work on the labelled, normalised tree
of a :class:`~gametheory_aid.core.game_tree.GameTree`, whose methods
:meth:`~gametheory_aid.core.game_tree.GameTree.normal_form_payoffs` and
:meth:`~gametheory_aid.core.game_tree.GameTree.to_efg` call them.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

import numpy as np

from .tree_nodes import Chance, Decision, Node, Terminal

__all__ = ["MAX_PROFILES"]

#: Largest number of pure-strategy profiles :meth:`GameTree.normal_form_payoffs` will build.
MAX_PROFILES = 2_000_000


# --------------------------------------------------------------------------- normal form

def _choice_table(nodes: Sequence[Decision]) -> np.ndarray:
    """Array (strategies, nodes): the index of the action each pure strategy takes at each node."""
    sizes = [len(d.actions) for d in nodes]
    return np.indices(sizes).reshape(len(sizes), -1).T if sizes else np.zeros((1, 0), dtype=int)


def _normal_form_payoffs(root: Node, player_nodes: Sequence[Sequence[Decision]], position: Mapping[str, int],
                         shape: tuple, exact: bool) -> tuple:
    """Payoff arrays of the full normal form; see :meth:`GameTree.normal_form_payoffs`.

    ``player_nodes[i]`` lists player i's decision nodes in preorder, ``position`` maps a
    decision node's label to its index in that list, ``shape`` is the normal form's shape.
    """
    total = math.prod(shape)
    if total > MAX_PROFILES:
        raise ValueError(f"the full normal form has {total} pure-strategy profiles (shape {shape}); "
                         f"at most {MAX_PROFILES} are built")
    n = len(player_nodes)
    dtype = object if exact else float
    tables = [_choice_table(nodes) for nodes in player_nodes]

    def value(node) -> np.ndarray:
        if isinstance(node, Terminal):
            return np.array(node.payoffs, dtype=dtype).reshape((n,) + (1,) * n)
        if isinstance(node, Chance):
            acc = None
            for p, child in node.outcomes.values():
                term = value(child) * p
                acc = term if acc is None else acc + term
            return acc
        i = node.player
        choice = tables[i][:, position[node.label]]
        mask_shape = [1] * (n + 1)
        mask_shape[1 + i] = len(choice)
        choice = choice.reshape(mask_shape)
        out = None
        for k, child in enumerate(node.actions.values()):
            v = value(child)
            out = v if out is None else np.where(choice == k, v, out)
        # With one action the mask never applies; broadcast along axis i all the same.
        return np.broadcast_to(out, np.broadcast_shapes(out.shape, tuple(mask_shape)))

    full = np.broadcast_to(value(root), (n,) + shape)
    return tuple(np.array(full[i], dtype=dtype) for i in range(n))


# --------------------------------------------------------------------------- .efg export

def _efg_text(title: str, players: Sequence[str], root: Node) -> str:
    """The tree below ``root`` as ``.efg`` text; see :meth:`GameTree.to_efg`."""
    lines = [f"EFG 2 R {_quote(title)} {{ " + " ".join(_quote(p) for p in players) + " }",
             _quote(""), ""]
    infoset_counter = [0] * len(players)
    counters = {"chance": 0, "outcome": 0}

    def emit(node):
        if isinstance(node, Terminal):
            counters["outcome"] += 1
            pays = ", ".join(_efg_number(x) for x in node.payoffs)
            lines.append(f"t {_quote(node.label)} {counters['outcome']} {_quote(node.label)} {{ {pays} }}")
        elif isinstance(node, Decision):
            infoset_counter[node.player] += 1
            acts = " ".join(_quote(a) for a in node.actions)
            lines.append(f"p {_quote(node.label)} {node.player + 1} {infoset_counter[node.player]} "
                         f"{_quote(node.label)} {{ {acts} }} 0")
            for child in node.actions.values():
                emit(child)
        else:
            counters["chance"] += 1
            probs = _efg_probabilities([p for p, _ in node.outcomes.values()])
            outs = " ".join(f"{_quote(o)} {q}" for o, q in zip(node.outcomes, probs, strict=False))
            lines.append(f"c {_quote(node.label)} {counters['chance']} {_quote(node.label)} {{ {outs} }} 0")
            for _, child in node.outcomes.values():
                emit(child)

    emit(root)
    return "\n".join(lines) + "\n"


def _quote(s: str) -> str:
    """A Gambit file string: in double quotes, each quote escaped as ``\\"``.

    Gambit's reader keeps other backslashes literally, so a backslash right before a quote
    or at the end of the string cannot be written unambiguously and is refused.
    """
    if s.endswith("\\") or '\\"' in s:
        raise ValueError(f"the label {s!r} cannot be written to a .efg file: a backslash may not end a "
                         "label or precede a double quote")
    return '"' + s.replace('"', '\\"') + '"'


def _decimal(x) -> Decimal:
    """The shortest decimal that reads back as the double ``x`` (exact for Fractions' floats)."""
    return Decimal(repr(float(x)))


def _efg_number(x) -> str:
    if isinstance(x, Fraction):
        return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
    d = _decimal(x)
    return format(d.normalize() if d != 0 else Decimal(0), "f")


def _efg_probabilities(probs: list) -> list:
    if all(isinstance(p, Fraction) for p in probs):
        return [_efg_number(p) for p in probs]
    texts = [_efg_number(p) for p in probs]
    largest = max(range(len(probs)), key=lambda k: probs[k])
    # Exact rational arithmetic on the written decimals, so that Gambit's sum is exactly one.
    rest = sum(Fraction(_decimal(p)) for k, p in enumerate(probs) if k != largest)
    texts[largest] = _efg_number(1 - rest)
    return texts
