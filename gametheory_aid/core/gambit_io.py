"""Gambit's text formats for finite games: ``.nfg`` (strategic form) and ``.efg`` (trees).

Strategic form (``.nfg``)
-------------------------
A game with players :math:`1, \\dots, n` and strategy sets :math:`S_1, \\dots, S_n` is
written in Gambit's *payoff list* form::

    NFG 1 R "title" { "Player 1" "Player 2" } { { "s1" "s2" } { "t1" "t2" "t3" } }
    "comment"

    u_1(c_1) u_2(c_1) ... u_n(c_1)  u_1(c_2) ...

where the contingencies :math:`c_1, c_2, \\dots` run through :math:`S_1 \\times \\dots
\\times S_n` with the *first* player's strategy varying fastest (column-major order of
the payoff tensor).  The reader accepts that form, the variant that gives strategy counts
``{ 2 3 }`` instead of labels, and the *outcome* form, in which a list of outcomes
``{ "name" u_1, ..., u_n }`` is followed by one outcome index per contingency (index 0:
the null outcome, all payoffs zero).

Numbers are exact: integers, decimals (``0.25``, ``-1e-3``) and rationals (``1/3``) are
read as :class:`fractions.Fraction`, and written back exactly (finite decimals as
decimals, other rationals as ``p/q``).

Extensive form (``.efg``)
-------------------------
:func:`efg_text` writes a tree given as a pre-order list of :class:`EfgNode` records --
personal (``p``), chance (``c``) and terminal (``t``) nodes -- in Gambit's version 2
format, so that trees built elsewhere in the package can be exported without re-deriving
the quoting and number rules.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from numbers import Number
from typing import Any

import numpy as np

__all__ = ["format_number", "quote", "to_fraction", "tokenize", "nfg_text", "parse_nfg",
           "EfgNode", "efg_text", "gambit_label_problem", "gambit_reader_label_clash"]


# -- numbers and strings --------------------------------------------------------------

def to_fraction(value: Any) -> Fraction:
    """The exact rational value of a number.

    Integers, :class:`~fractions.Fraction` and sympy rationals are taken as they are; a
    float is read as the shortest decimal that rounds to it (``0.1`` -> ``1/10``), which
    is how it is written in a text file.  Booleans, NaN, infinities and non-numbers raise
    :class:`ValueError`.
    """
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"payoff {value!r} is a boolean, not a number")
    if isinstance(value, Fraction):
        return Fraction(value.numerator, value.denominator)
    if isinstance(value, (int, np.integer)):
        return Fraction(int(value))
    if getattr(value, "is_Rational", False):  # sympy Integer / Rational
        return Fraction(int(value.p), int(value.q))
    if isinstance(value, (float, np.floating)) or getattr(value, "is_Float", False):
        x = float(value)
        if not math.isfinite(x):
            raise ValueError(f"payoff {value!r} is not a finite number")
        return Fraction(repr(x))
    if isinstance(value, Number):
        raise ValueError(f"payoff {value!r} of type {type(value).__name__} is not a real number")
    raise ValueError(f"payoff {value!r} of type {type(value).__name__} is not a number")


def format_number(value: Any) -> str:
    """Exact text of a number for Gambit files: ``3``, ``-0.25``, ``1/3``."""
    q = to_fraction(value)
    if q.denominator == 1:
        return str(q.numerator)
    d, twos, fives = q.denominator, 0, 0
    while d % 2 == 0:
        d //= 2
        twos += 1
    while d % 5 == 0:
        d //= 5
        fives += 1
    if d != 1:  # not a finite decimal
        return f"{q.numerator}/{q.denominator}"
    places = max(twos, fives)
    scaled = q * 10 ** places  # an integer
    sign = "-" if scaled < 0 else ""
    digits = str(abs(scaled.numerator)).rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def quote(text: str) -> str:
    """A Gambit string literal: double quotes, with ``\\`` and ``"`` escaped."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


_GAMBIT_LABEL = re.compile(r"[!-~](?: ?[!-~])*")


def gambit_label_problem(label: str, title: bool = False) -> str | None:
    """Why Gambit (version 16.7) would refuse ``label``, or ``None`` if it accepts it.

    Gambit's labels are non-empty printable ASCII without leading, trailing or doubled
    spaces; a title need only be ASCII.  Neither may contain a backslash, which Gambit's
    reader does not treat as the escape character it is in this module.  The package's own
    reader and writer have no such limits (files are UTF-8), but such files cannot be
    opened by Gambit.
    """
    text = str(label)
    if "\\" in text:
        return "a Gambit label or title must not contain a backslash"
    if title:
        return None if text.isascii() else "a Gambit title must be ASCII"
    if _GAMBIT_LABEL.fullmatch(text):
        return None
    return ("a Gambit label must be non-empty printable ASCII, without leading, trailing or "
            "two consecutive spaces")


def gambit_reader_label_clash(labels: Sequence[str]) -> str | None:
    """Why Gambit's file reader (version 16.7) would refuse this list of player or strategy labels.

    The reader creates the players (a player's strategies) with the default labels ``"1"``, ...,
    ``"n"`` and then renames them in order, keeping labels unique at every step: a label equal
    to the default label of a *later* item clashes with it, e.g. strategies ``["2", "1"]`` or
    ``["3", "a", "b"]`` ("Strategy label must be unique for the player").  Returns ``None`` if
    there is no clash.  Only Gambit's reader is affected: :meth:`NormalFormGame.to_gambit
    <gametheory_aid.core.normal_form.NormalFormGame.to_gambit>` renames through spare labels,
    and the package's own reader has no such limit.
    """
    count = len(labels)
    for position, label in enumerate(labels, start=1):
        if label in {str(later) for later in range(position + 1, count + 1)}:
            return (f"label {label!r} at position {position} is the default label of a later item, "
                    "which Gambit's reader gives it before renaming")
    return None


_TOKEN = re.compile(r"""
    (?P<space>\s+|,)
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<brace>[{}])
  | (?P<number>[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?:/\d+)?)
  | (?P<word>[A-Za-z_]+)
""", re.VERBOSE | re.DOTALL)


def tokenize(text: str) -> list:
    """Split Gambit file text into ``(kind, value, position)`` tokens.

    Kinds are ``"string"`` (value unescaped), ``"brace"``, ``"number"`` (value a
    Fraction) and ``"word"``.  Commas separate numbers in outcome lists and are dropped.
    """
    tokens, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise ValueError(f"Gambit file: unexpected character {text[pos]!r} at position {pos}")
        kind = m.lastgroup
        raw = m.group()
        if kind == "string":
            tokens.append(("string", re.sub(r"\\(.)", r"\1", raw[1:-1], flags=re.DOTALL), pos))
        elif kind == "number":
            tokens.append(("number", _parse_number(raw), pos))
        elif kind != "space":
            tokens.append((kind, raw, pos))
        pos = m.end()
    return tokens


def _parse_number(raw: str) -> Fraction:
    if "/" in raw:
        num, den = raw.split("/")
        if int(den) == 0:
            raise ValueError(f"Gambit file: number {raw!r} has a zero denominator")
        return Fraction(num) / int(den)
    return Fraction(raw)


class _Reader:
    """A cursor over tokens with small expectation helpers (clear errors)."""

    def __init__(self, tokens: list, what: str):
        self.tokens, self.i, self.what = tokens, 0, what

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else ("end", None, -1)

    def take(self, kind: str, value: Any = None, context: str = ""):
        tok = self.peek()
        if tok[0] != kind or (value is not None and tok[1] != value):
            want = repr(value) if value is not None else kind
            got = "end of file" if tok[0] == "end" else f"{tok[0]} {tok[1]!r} at position {tok[2]}"
            raise ValueError(f"{self.what}: expected {want} {context}but found {got}".replace("  ", " "))
        self.i += 1
        return tok[1]

    def at(self, kind: str, value: Any = None) -> bool:
        tok = self.peek()
        return tok[0] == kind and (value is None or tok[1] == value)


# -- strategic form ---------------------------------------------------------------------

def nfg_text(title: str, players: Sequence[str], strategies: Sequence[Sequence[str]],
             payoffs: Sequence[Any], comment: str = "") -> str:
    """Gambit ``.nfg`` text (payoff-list form) of a strategic game.

    Parameters
    ----------
    title : str
    players : sequence of str
        Player labels, :math:`n` of them.
    strategies : sequence of sequences of str
        Each player's strategy labels.
    payoffs : sequence of array-like
        ``payoffs[i]`` has shape ``(len(strategies[0]), ..., len(strategies[n-1]))``:
        player ``i``'s payoff.  Entries are written exactly (see :func:`format_number`).
    comment : str, optional
    """
    shape = tuple(len(s) for s in strategies)
    arrays = [np.asarray(p, dtype=object).reshape(shape) for p in payoffs]
    if len(arrays) != len(players):
        raise ValueError(f"nfg_text: {len(players)} players but {len(arrays)} payoff arrays")
    head = (f"NFG 1 R {quote(title)} {{ {' '.join(quote(p) for p in players)} }}\n"
            "{ " + "\n  ".join("{ " + " ".join(quote(s) for s in strats) + " }" for strats in strategies)
            + "\n}\n" + quote(comment) + "\n\n")
    # Gambit order: first player's strategy varies fastest = column-major flattening.
    columns = [a.ravel(order="F") for a in arrays]
    lines = [" ".join(format_number(col[k]) for col in columns) for k in range(int(np.prod(shape)))]
    return head + "\n".join(lines) + "\n"


def parse_nfg(text: str) -> dict:
    """Parse Gambit ``.nfg`` text (payoff-list or outcome form).

    Returns
    -------
    dict
        ``title``, ``players`` (list of str), ``strategies`` (list of lists of str),
        ``comment`` and ``payoffs``: a list of object arrays of Fractions, one per player,
        of shape ``(s_1, ..., s_n)``.

    Raises
    ------
    ValueError
        On any deviation from the format, naming what was expected and where.
    """
    r = _Reader(tokenize(text), "Gambit .nfg")
    r.take("word", "NFG", "at the start ")
    version = r.take("number", context="(format version) ")
    if version != 1:
        raise ValueError(f"Gambit .nfg: unsupported format version {version}; only version 1 is defined")
    if r.take("word", context="('R' or 'D') ") not in ("R", "D"):
        raise ValueError("Gambit .nfg: the number type after 'NFG 1' must be R or D")
    title = r.take("string", context="(game title) ")
    r.take("brace", "{", "before the player names ")
    players = []
    while r.at("string"):
        players.append(r.take("string"))
    r.take("brace", "}", "after the player names ")
    n = len(players)
    if n == 0:
        raise ValueError("Gambit .nfg: the game has no players")
    r.take("brace", "{", "before the strategies ")
    strategies = []
    if r.at("brace", "{"):
        for i in range(n):
            r.take("brace", "{", f"before the strategies of player {i + 1} ")
            labels = []
            while r.at("string"):
                labels.append(r.take("string"))
            r.take("brace", "}", f"after the strategies of player {i + 1} ")
            strategies.append(labels)
    else:
        for i in range(n):
            count = r.take("number", context=f"(number of strategies of player {i + 1}) ")
            if count.denominator != 1 or count < 1:
                raise ValueError(f"Gambit .nfg: player {i + 1} has {count} strategies; need a positive integer")
            strategies.append([str(k + 1) for k in range(int(count))])
    r.take("brace", "}", "after the strategies ")
    if any(len(s) == 0 for s in strategies):
        raise ValueError("Gambit .nfg: every player needs at least one strategy")
    comment = r.take("string") if r.at("string") else ""
    shape = tuple(len(s) for s in strategies)
    cells = int(np.prod(shape))
    if r.at("brace", "{"):
        table = _read_outcomes(r, n, cells)
    else:
        values = []
        while r.at("number"):
            values.append(r.take("number"))
        if len(values) != cells * n:
            raise ValueError(f"Gambit .nfg: payoff list has {len(values)} numbers; "
                             f"expected {cells} contingencies x {n} players = {cells * n}")
        table = np.array(values, dtype=object).reshape(cells, n)
    if r.peek()[0] != "end":
        tok = r.peek()
        raise ValueError(f"Gambit .nfg: unexpected {tok[0]} {tok[1]!r} at position {tok[2]} after the payoffs")
    payoffs = [table[:, i].reshape(shape, order="F") for i in range(n)]
    return {"title": title, "players": players, "strategies": strategies,
            "comment": comment, "payoffs": payoffs}


def _read_outcomes(r: _Reader, n: int, cells: int) -> np.ndarray:
    """Outcome form: ``{ { "name" u_1 ... u_n } ... }`` then one outcome index per cell."""
    r.take("brace", "{", "before the outcomes ")
    outcomes = [[Fraction(0)] * n]  # index 0: the null outcome
    while r.at("brace", "{"):
        r.take("brace", "{")
        if r.at("string"):
            r.take("string")
        pay = []
        while r.at("number"):
            pay.append(r.take("number"))
        r.take("brace", "}", f"after outcome {len(outcomes)} ")
        if len(pay) != n:
            raise ValueError(f"Gambit .nfg: outcome {len(outcomes)} has {len(pay)} payoffs; expected {n}")
        outcomes.append(pay)
    r.take("brace", "}", "after the outcomes ")
    index = []
    while r.at("number"):
        index.append(r.take("number"))
    if len(index) != cells:
        raise ValueError(f"Gambit .nfg: {len(index)} outcome indices; expected one per contingency ({cells})")
    for k in index:
        if k.denominator != 1 or not 0 <= k < len(outcomes):
            raise ValueError(f"Gambit .nfg: outcome index {k} is not in 0..{len(outcomes) - 1}")
    return np.array([outcomes[int(k)] for k in index], dtype=object).reshape(cells, n)


# -- extensive form -----------------------------------------------------------------------

@dataclass(frozen=True)
class EfgNode:
    """One node of a game tree in Gambit's ``.efg`` order (pre-order: a node, then its
    children's subtrees left to right).

    Attributes
    ----------
    kind : {"p", "c", "t"}
        Personal (a player moves), chance or terminal.
    name : str
    player : int
        The moving player, 1-based (personal nodes only).
    infoset : int
        Information-set number, 1-based, per player (chance nodes: per chance player).
    infoset_name : str
    actions : tuple of str
        Action labels (personal and chance nodes).
    probs : tuple
        Chance probabilities, one per action (chance nodes only); written exactly.
    outcome : int
        Outcome number (0: no outcome).  Terminal nodes normally carry one.
    outcome_name : str
    payoffs : tuple
        One payoff per player, for a non-zero outcome.
    """

    kind: str
    name: str = ""
    player: int = 0
    infoset: int = 0
    infoset_name: str = ""
    actions: tuple = ()
    probs: tuple = ()
    outcome: int = 0
    outcome_name: str = ""
    payoffs: tuple = ()


def _efg_outcome(node: EfgNode) -> str:
    if node.outcome == 0:
        return "0"
    pay = ", ".join(format_number(v) for v in node.payoffs)
    return f"{node.outcome} {quote(node.outcome_name)} {{ {pay} }}"


def efg_text(title: str, players: Sequence[str], nodes: Iterable[EfgNode], comment: str = "") -> str:
    """Gambit ``.efg`` text (version 2) of a tree given as pre-order :class:`EfgNode` records."""
    lines = [f"EFG 2 R {quote(title)} {{ {' '.join(quote(p) for p in players)} }}", quote(comment), ""]
    for node in nodes:
        if node.kind == "p":
            acts = " ".join(quote(a) for a in node.actions)
            lines.append(f"p {quote(node.name)} {node.player} {node.infoset} {quote(node.infoset_name)} "
                         f"{{ {acts} }} {_efg_outcome(node)}")
        elif node.kind == "c":
            if len(node.probs) != len(node.actions):
                raise ValueError(f"efg_text: chance node {node.name!r} has {len(node.actions)} actions "
                                 f"but {len(node.probs)} probabilities")
            acts = " ".join(f"{quote(a)} {format_number(p)}" for a, p in zip(node.actions, node.probs, strict=False))
            lines.append(f"c {quote(node.name)} {node.infoset} {quote(node.infoset_name)} "
                         f"{{ {acts} }} {_efg_outcome(node)}")
        elif node.kind == "t":
            lines.append(f"t {quote(node.name)} {_efg_outcome(node)}")
        else:
            raise ValueError(f"efg_text: node kind {node.kind!r} is not one of 'p', 'c', 't'")
    return "\n".join(lines) + "\n"
