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

from .gambit_io import MAX_TREE_NODES, GambitFormatError, GameInputError, GameSizeError, format_number
from .tree_nodes import Chance, Decision, Node, Terminal, _children, _postorder

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
        raise GameSizeError(f"the full normal form has {total} pure-strategy profiles (shape {shape}); "
                            f"at most {MAX_PROFILES} are built", name="profiles", value=total,
                            domain=f"at most {MAX_PROFILES} profiles")
    n = len(player_nodes)
    dtype = object if exact else float
    tables = [_choice_table(nodes) for nodes in player_nodes]

    value: dict = {}  # id of a node -> its value array; children first, each node once
    for node in _postorder(root):
        if isinstance(node, Terminal):
            value[id(node)] = np.array(node.payoffs, dtype=dtype).reshape((n,) + (1,) * n)
            continue
        if isinstance(node, Chance):
            acc = None
            for p, child in node.outcomes.values():
                term = value[id(child)] * p
                acc = term if acc is None else acc + term
            value[id(node)] = acc
            continue
        i = node.player
        choice = tables[i][:, position[node.label]]
        mask_shape = [1] * (n + 1)
        mask_shape[1 + i] = len(choice)
        choice = choice.reshape(mask_shape)
        out = None
        for k, child in enumerate(node.actions.values()):
            v = value[id(child)]
            out = v if out is None else np.where(choice == k, v, out)
        # With one action the mask never applies; broadcast along axis i all the same.
        value[id(node)] = np.broadcast_to(out, np.broadcast_shapes(out.shape, tuple(mask_shape)))

    full = np.broadcast_to(value[id(root)], (n,) + shape)
    return tuple(np.array(full[i], dtype=dtype) for i in range(n))


# --------------------------------------------------------------------------- .efg export

def _expanded_size(root: Node) -> int:
    """Nodes of the tree below ``root`` written out, every occurrence of a shared node counted."""
    size: dict = {}
    for node in _postorder(root):
        size[id(node)] = 1 + sum(size[id(c)] for c in _children(node))
    return size[id(root)]


def _efg_text(title: str, players: Sequence[str], root: Node) -> str:
    """The tree below ``root`` as ``.efg`` text; see :meth:`GameTree.to_efg`.

    Written in preorder with an explicit stack (trees of any depth).  A shared node is
    written at each of its occurrences, all in one information set (it is one node with
    one choice) and, for a terminal, with one outcome.

    Raises
    ------
    GameSizeError
        If the written tree would have more than :data:`~gametheory_aid.core.gambit_io.MAX_TREE_NODES`
        nodes.
    """
    size = _expanded_size(root)
    if size > MAX_TREE_NODES:
        raise GameSizeError(f"the .efg file of this tree would have {size} nodes (shared nodes written at each "
                            f"occurrence); at most {MAX_TREE_NODES} are written", name="tree nodes", value=size,
                            domain=f"at most {MAX_TREE_NODES} nodes")
    lines = [f"EFG 2 R {_quote(title)} {{ " + " ".join(_quote(p) for p in players) + " }",
             _quote(""), ""]
    infoset_counter = [0] * len(players)
    counters = {"chance": 0, "outcome": 0}
    numbers: dict = {}  # id of a node -> its information set or outcome number

    def number(node, key) -> int:
        if id(node) not in numbers:
            if key == "outcome" or key == "chance":
                counters[key] += 1
                numbers[id(node)] = counters[key]
            else:
                infoset_counter[key] += 1
                numbers[id(node)] = infoset_counter[key]
        return numbers[id(node)]

    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, Terminal):
            k = number(node, "outcome")
            pays = ", ".join(_efg_number(x) for x in node.payoffs)
            lines.append(f"t {_quote(node.label)} {k} {_quote(node.label)} {{ {pays} }}")
        elif isinstance(node, Decision):
            acts = " ".join(_quote(a) for a in node.actions)
            lines.append(f"p {_quote(node.label)} {node.player + 1} {number(node, node.player)} "
                         f"{_quote(node.label)} {{ {acts} }} 0")
            stack.extend(reversed(list(node.actions.values())))
        else:
            probs = _efg_probabilities([p for p, _ in node.outcomes.values()])
            outs = " ".join(f"{_quote(o)} {q}" for o, q in zip(node.outcomes, probs, strict=False))
            lines.append(f"c {_quote(node.label)} {number(node, 'chance')} {_quote(node.label)} {{ {outs} }} 0")
            stack.extend(reversed([child for _, child in node.outcomes.values()]))
    return "\n".join(lines) + "\n"


def _quote(s: str) -> str:
    """A Gambit file string: in double quotes, each quote escaped as ``\\"``.

    Gambit's reader keeps other backslashes literally, so a backslash right before a quote
    or at the end of the string cannot be written unambiguously and is refused.
    """
    if s.endswith("\\") or '\\"' in s:
        raise GameInputError(f"the label {s!r:.200} cannot be written to a .efg file: a backslash may not end a "
                             "label or precede a double quote", name="label", value=s,
                             domain="labels without a final backslash or a backslash before a quote")
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


# --------------------------------------------------------------------------- .efg import

def _tree_from_efg(data: dict) -> Node:
    """The root of the tree described by :func:`~gametheory_aid.core.gambit_io.parse_efg`'s records.

    Built children first from the pre-order records with an explicit stack.  Nodes are
    hash-consed: the occurrences of one node that a ``.efg`` file writes out (one
    information set, the same subtree below) become one shared node again, while nodes of
    different information sets stay distinct.  A decision node is labelled by its name (or
    its information set's name); a terminal by its name (or its outcome's).

    Raises
    ------
    GambitFormatError
        What the package's trees cannot represent -- an information set holding different
        nodes (imperfect information), payoffs at a non-terminal node, repeated or empty
        action labels, chance probabilities that do not sum to one, two nodes of one name
        -- naming the line and position of the node.
    """
    n = len(data["players"])
    zero = (Fraction(0),) * n
    built: list = []  # the subtrees read so far, the next sibling on top
    canon: dict = {}  # structural key -> the one node of that key
    infosets: dict = {}  # (player, information set) -> the key of its node
    labels: dict = {}  # decision-node label -> the key of its node

    def fail(message: str, where: str, value=None, domain: str = "") -> GambitFormatError:
        return GambitFormatError(f"Gambit .efg: {message} ({where})", name="Gambit .efg", value=value, domain=domain)

    for rec, where in zip(reversed(data["nodes"]), reversed(data["positions"]), strict=True):
        if rec.kind == "t":
            label = rec.name or rec.outcome_name
            node = Terminal(tuple(rec.payoffs) or zero, label)
            if rec.outcome:  # the occurrences of one outcome are one terminal
                node = canon.setdefault(("t", rec.outcome, label, node.payoffs), node)
            built.append(node)
            continue
        if rec.outcome and any(rec.payoffs):
            raise fail(f"the {'personal' if rec.kind == 'p' else 'chance'} node {rec.name!r:.60} has the payoffs of "
                       f"outcome {rec.outcome}; payoffs are read at terminal nodes only", where, rec.outcome,
                       "payoffs at terminal nodes")
        if len(set(rec.actions)) != len(rec.actions) or "" in rec.actions:
            raise fail(f"the actions {list(rec.actions)!r:.200} of node {rec.name!r:.60} are not distinct non-empty "
                       "labels", where, list(rec.actions)[:10], "distinct non-empty action labels")
        children = [built.pop() for _ in rec.actions]
        if rec.kind == "p":
            label = rec.name or rec.infoset_name
            key = ("p", rec.player, rec.infoset, label, tuple((a, id(c)) for a, c in zip(rec.actions, children,
                                                                                                strict=True)))
            node = canon.get(key) or Decision(rec.player - 1, dict(zip(rec.actions, children, strict=True)), label)
            infoset = (rec.player, rec.infoset)
        else:
            if any(not 0 <= p <= 1 for p in rec.probs) or sum(rec.probs) != 1:
                raise fail(f"the probabilities {[format_number(p) for p in rec.probs]!r:.200} of chance node "
                           f"{rec.name!r:.60} do not lie in [0, 1] and sum to exactly 1", where,
                           [format_number(p) for p in rec.probs][:10], "probabilities in [0, 1] summing to 1")
            label = rec.name or rec.infoset_name
            key = ("c", rec.infoset, label, tuple((a, p, id(c))
                                                  for a, p, c in zip(rec.actions, rec.probs, children, strict=True)))
            node = canon.get(key) or Chance({a: (p, c) for a, p, c in zip(rec.actions, rec.probs, children,
                                                                         strict=True)}, label)
            infoset = (0, rec.infoset)
        if infosets.setdefault(infoset, key) != key:
            owner = f"player {rec.player}" if rec.kind == "p" else "chance"
            raise fail(f"information set {rec.infoset} of {owner} holds nodes with different subtrees or names; "
                       "only games of perfect information (each information set one node) are read", where,
                       rec.infoset, "one node per information set")
        if rec.kind == "p" and label and labels.setdefault(label, key) != key:
            raise fail(f"two different personal nodes are named {label!r:.60}; decision-node names must be unique",
                       where, label, "distinct names of personal nodes")
        canon[key] = node
        built.append(node)
    return built[0]
