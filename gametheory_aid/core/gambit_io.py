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
the quoting and number rules
(:func:`parse_efg` reads such text back into records, and
:meth:`GameTree.from_efg <gametheory_aid.core.game_tree.GameTree.from_efg>` into a tree).

Hostile files
-------------
A file is read only as far as it may ask: at most :data:`MAX_FILE_CHARS` characters,
numbers of at most :data:`MAX_NUMBER_CHARS` characters with a decimal exponent of at most
:data:`MAX_EXPONENT` in magnitude (``1e99999999`` would otherwise be expanded into an
integer of a hundred million digits), payoffs of magnitude at most :data:`MAX_PAYOFF`,
at most :data:`MAX_PLAYERS` players, :data:`MAX_PAYOFF_ENTRIES` payoff entries of a
strategic game (strategy counts such as ``{ 3000000000 }`` are refused before anything is
allocated) and :data:`MAX_TREE_NODES` nodes of a tree.  Every failure is a
:class:`GambitFormatError` that names what was wrong and where.

Errors
------
The finite-game modules (normal forms, game trees and these formats) raise
:class:`GameInputError` -- a :class:`~gametheory_aid.core.params.ParameterError`, hence a
``ValueError`` -- for wrong input, with its subclasses :class:`GameSizeError` (a game or a
computation larger than a documented limit, refused before allocating) and
:class:`GambitFormatError` (a malformed or hostile file).
"""
from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from numbers import Number
from pathlib import Path
from typing import Any

import numpy as np

from .params import ParameterError

__all__ = ["format_number", "quote", "to_fraction", "tokenize", "nfg_text", "parse_nfg",
           "read_game_text", "EfgNode", "efg_text", "parse_efg", "gambit_label_problem", "gambit_reader_label_clash",
           "GameInputError", "GameSizeError", "GambitFormatError", "MAX_PAYOFF", "MAX_PLAYERS",
           "MAX_PAYOFF_ENTRIES", "MAX_TREE_NODES", "MAX_FILE_CHARS", "MAX_NUMBER_CHARS", "MAX_EXPONENT"]

#: Largest payoff magnitude of a finite game: differences of payoffs, sums weighted by
#: probabilities and tolerances scaled by the payoff range then stay finite doubles.
MAX_PAYOFF = 1e300
#: Most players of a strategic game (numpy arrays have at most 64 axes; the normal form of
#: a tree and the regret contractions add axes of their own).
MAX_PLAYERS = 32
#: Most payoff entries (contingencies times players) a strategic-game file may ask for.
MAX_PAYOFF_ENTRIES = 2_000_000
#: Most nodes of a tree read from or written to a ``.efg`` file, or listed in the play of
#: an equilibrium (the expanded tree, every occurrence of a shared node counted).
MAX_TREE_NODES = 200_000
#: Most characters of a game file.
MAX_FILE_CHARS = 20_000_000
#: Longest number in a game file, in characters: the exact payoffs of task-pushdown's
#: longest tree (1000 rounds) take 2601, and each integer part stays below the 4300 digits
#: that Python converts from text by default.
MAX_NUMBER_CHARS = 4000
#: Largest magnitude of a decimal exponent in a game file (``1e-400`` is read exactly).
MAX_EXPONENT = 1000


# -- errors ---------------------------------------------------------------------------------

class GameInputError(ParameterError):
    """Wrong input to a finite game: payoffs, labels, a tree, a profile, a solver argument.

    A :class:`~gametheory_aid.core.params.ParameterError` (hence a ``ValueError``) whose
    message says what was wrong, the value and what is allowed.

    Attributes
    ----------
    name : str
        What was wrong (``"payoffs"``, ``"tol"``, ``"Gambit .nfg"``, ...).
    value : object
        The offending value (shortened for long text).
    domain : str
        What would have been accepted.
    """

    def __init__(self, message: str, *, name: str, value: Any = None, domain: str = ""):
        self.name, self.value, self.domain = name, value, domain
        ValueError.__init__(self, message)


class GameSizeError(GameInputError):
    """A game or a computation larger than a documented limit, refused before allocating.

    ``name`` says what was counted, ``value`` the count and ``domain`` the limit.
    """


class GambitFormatError(GameInputError):
    """A Gambit ``.nfg`` or ``.efg`` file that is malformed or asks for more than the limits."""


def _short(value: Fraction) -> str:
    """A number read from a file, for a message: exact when short, else its order of magnitude
    (a float of a number beyond 1e308 would overflow)."""
    if abs(value) < 10 ** 30:
        return format_number(value)
    if abs(value) < 10 ** 308:
        return f"{float(value):.6g}"
    # (from the bit length: text of an integer of more than 4300 digits is refused by Python)
    digits = int((abs(value.numerator) // value.denominator).bit_length() * math.log10(2))
    return f"{'-' if value < 0 else ''}about 1e{digits}"


def _excerpt(text: str, size: int = 40) -> str:
    return text if len(text) <= size else text[:size] + "..."


# -- numbers and strings --------------------------------------------------------------

def to_fraction(value: Any) -> Fraction:
    """The exact rational value of a number.

    Integers, :class:`~fractions.Fraction` and sympy rationals are taken as they are; a
    float is read as the shortest decimal that rounds to it (``0.1`` -> ``1/10``), which
    is how it is written in a text file.  Booleans, NaN, infinities and non-numbers raise
    :class:`ValueError`.
    """
    if isinstance(value, (bool, np.bool_)):
        raise GameInputError(f"payoff {value!r} is a boolean, not a number", name="number", value=value,
                             domain=_REAL)
    if isinstance(value, Fraction):
        return Fraction(value.numerator, value.denominator)
    if isinstance(value, (int, np.integer)):
        return Fraction(int(value))
    if getattr(value, "is_Rational", False):  # sympy Integer / Rational
        return Fraction(int(value.p), int(value.q))
    if isinstance(value, (float, np.floating)) or getattr(value, "is_Float", False):
        x = float(value)
        if not math.isfinite(x):
            raise GameInputError(f"payoff {value!r} is not a finite number", name="number", value=value,
                                 domain=_REAL)
        return Fraction(repr(x))
    if isinstance(value, Number):
        raise GameInputError(f"payoff {value!r} of type {type(value).__name__} is not a real number", name="number",
                             value=value, domain=_REAL)
    raise GameInputError(f"payoff {value!r} of type {type(value).__name__} is not a number", name="number",
                         value=value, domain=_REAL)


_REAL = "finite real numbers (int, float, Fraction, sympy Rational)"


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


def tokenize(text: str, what: str = "Gambit file", escapes: str = "all") -> list:
    """Split Gambit file text into ``(kind, value, position)`` tokens.

    Kinds are ``"string"`` (value unescaped), ``"brace"``, ``"number"`` (value a
    Fraction) and ``"word"``.  Commas separate numbers in outcome lists and are dropped.
    ``escapes="all"`` reads ``\\x`` as ``x`` (this module's :func:`quote`);
    ``escapes="quote"`` reads only ``\\"`` as ``"`` and keeps other backslashes, as
    Gambit's ``.efg`` reader does.

    Raises
    ------
    GambitFormatError
        An unexpected character, or a number beyond :data:`MAX_NUMBER_CHARS` characters
        or :data:`MAX_EXPONENT` in exponent, or with a zero denominator.
    """
    if len(text) > MAX_FILE_CHARS:
        raise GambitFormatError(f"{what}: the text has {len(text)} characters; at most {MAX_FILE_CHARS} are read",
                                name=what, value=len(text), domain=f"at most {MAX_FILE_CHARS} characters")
    unescape = (lambda raw: re.sub(r"\\(.)", r"\1", raw, flags=re.DOTALL)) if escapes == "all" \
        else (lambda raw: raw.replace('\\"', '"'))
    tokens, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise GambitFormatError(f"{what}: unexpected character {text[pos]!r} at position {pos}", name=what,
                                    value=text[pos], domain="Gambit's tokens: strings, braces, numbers, words")
        kind = m.lastgroup
        raw = m.group()
        if kind == "string":
            tokens.append(("string", unescape(raw[1:-1]), pos))
        elif kind == "number":
            tokens.append(("number", _parse_number(raw, pos, what), pos))
        elif kind != "space":
            tokens.append((kind, raw, pos))
        pos = m.end()
    return tokens


def _parse_number(raw: str, pos: int = 0, what: str = "Gambit file") -> Fraction:
    """The exact value of a number token, refusing those that would take long to expand."""
    if len(raw) > MAX_NUMBER_CHARS:
        raise GambitFormatError(f"{what}: the number {_excerpt(raw)!r} at position {pos} has {len(raw)} characters; "
                                f"at most {MAX_NUMBER_CHARS} are read", name=what, value=_excerpt(raw),
                                domain=f"numbers of at most {MAX_NUMBER_CHARS} characters")
    exponent = re.search(r"[eE]([+-]?\d+)", raw)
    if exponent and abs(int(exponent.group(1))) > MAX_EXPONENT:
        raise GambitFormatError(f"{what}: the number {_excerpt(raw)!r} at position {pos} has the exponent "
                                f"{exponent.group(1)}; at most {MAX_EXPONENT} in magnitude is read",
                                name=what, value=_excerpt(raw),
                                domain=f"exponents in [-{MAX_EXPONENT}, {MAX_EXPONENT}]")
    if "/" in raw:
        num, den = raw.split("/")
        if int(den) == 0:
            raise GambitFormatError(f"{what}: number {raw!r} at position {pos} has a zero denominator",
                                    name=what, value=raw, domain="a non-zero denominator")
        return Fraction(num) / int(den)
    return Fraction(raw)


def read_game_text(source: Any, magic: str) -> str:
    """The text of a game file given as its text, as bytes or as a path.

    A ``str`` is the text itself when it starts with ``magic`` (``"NFG"``, ``"EFG"``), holds
    a line break or is blank, and a path otherwise; ``bytes`` are UTF-8 text.  Files and text
    longer than :data:`MAX_FILE_CHARS` are refused before they are read.

    Raises
    ------
    GambitFormatError
        Text that is not UTF-8, or too long.
    GameInputError
        A source that is neither text, bytes nor a path.
    OSError
        A file that cannot be read.
    """
    what = f"Gambit .{magic.lower()}"
    too_long = f"at most {MAX_FILE_CHARS} characters"
    if isinstance(source, (bytes, bytearray)):
        data = bytes(source)
    elif isinstance(source, str) and (source.lstrip().startswith(magic) or "\n" in source or not source.strip()):
        data = None
        text = source
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        size = path.stat().st_size
        if size > 4 * MAX_FILE_CHARS:  # UTF-8 takes at most 4 bytes a character
            raise GambitFormatError(f"{what}: the file {str(path)!r} has {size} bytes; {too_long} are read",
                                    name=what, value=size, domain=too_long)
        data = path.read_bytes()
    else:
        raise GameInputError(f"{what}: expected the file's text, bytes or a path, got {type(source).__name__}",
                             name="source", value=type(source).__name__, domain="str, bytes or a path")
    if data is not None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise GambitFormatError(f"{what}: the file is not UTF-8 text (byte {exc.start}: {exc.reason})",
                                    name=what, value=data[exc.start:exc.start + 1], domain="UTF-8 text") from None
    if len(text) > MAX_FILE_CHARS:
        raise GambitFormatError(f"{what}: the text has {len(text)} characters; {too_long} are read",
                                name=what, value=len(text), domain=too_long)
    return text


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
            raise GambitFormatError(f"{self.what}: expected {want} {context}but found {got}".replace("  ", " "),
                                    name=self.what, value=tok[1], domain=f"{want} {context}".strip())
        self.i += 1
        return tok[1]

    def at(self, kind: str, value: Any = None) -> bool:
        tok = self.peek()
        return tok[0] == kind and (value is None or tok[1] == value)

    def fail(self, message: str, value: Any = None, domain: str = "", pos: int | None = None) -> GambitFormatError:
        return _fail(self.what, message, value, domain)


def _read_header(r: _Reader, magic: str, version: int, version_note: str) -> tuple:
    """The header both Gambit formats share: ``MAGIC version R|D "title" { "player" ... }``.

    Returns ``(title, players)``; refuses another version, another number type, no players
    and more than :data:`MAX_PLAYERS` players (before reading further).
    """
    r.take("word", magic, "at the start ")
    found = r.take("number", context="(format version) ")
    if found != version:
        raise r.fail(f"unsupported format version {format_number(found) if abs(found) < 1e6 else '?'}; "
                     f"{version_note}", str(found)[:20], f"version {version}", r.tokens[r.i - 1][2])
    kind = r.take("word", context="('R' or 'D') ")
    if kind not in ("R", "D"):
        raise r.fail(f"the number type after '{magic} {version}' must be R or D, not {kind!r}", kind, "R or D")
    title = r.take("string", context="(game title) ")
    r.take("brace", "{", "before the player names ")
    players = []
    while r.at("string"):
        players.append(r.take("string"))
        if len(players) > MAX_PLAYERS:
            raise r.fail(f"more than {MAX_PLAYERS} players", len(players), f"at most {MAX_PLAYERS} players")
    r.take("brace", "}", "after the player names ")
    if not players:
        raise r.fail("the game has no players", 0, "at least one player")
    return title, players


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
        raise GameInputError(f"nfg_text: {len(players)} players but {len(arrays)} payoff arrays", name="payoffs",
                             value=len(arrays), domain=f"{len(players)} payoff arrays, one per player")
    head = (f"NFG 1 R {quote(title)} {{ {' '.join(quote(p) for p in players)} }}\n"
            "{ " + "\n  ".join("{ " + " ".join(quote(s) for s in strats) + " }" for strats in strategies)
            + "\n}\n" + quote(comment) + "\n\n")
    # Gambit order: first player's strategy varies fastest = column-major flattening.
    columns = [a.ravel(order="F") for a in arrays]
    lines = [" ".join(format_number(col[k]) for col in columns) for k in range(int(np.prod(shape)))]
    return head + "\n".join(lines) + "\n"


def _fail(what: str, message: str, value: Any = None, domain: str = "") -> GambitFormatError:
    return GambitFormatError(f"{what}: {message}", name=what, value=value, domain=domain)


def _payoff_number(r: _Reader, context: str) -> Fraction:
    """A payoff token, of magnitude at most :data:`MAX_PAYOFF`."""
    pos = r.peek()[2]
    value = r.take("number", context=context)
    if abs(value) > MAX_PAYOFF:
        # (a float of a number beyond 1e308 would overflow)
        shown = _short(value)
        raise _fail(r.what, f"the payoff {shown} at position {pos} exceeds {MAX_PAYOFF:g} in magnitude",
                    shown, f"payoffs of magnitude at most {MAX_PAYOFF:g}")
    return value


def _count(r: _Reader, context: str, low: int, high: int, subject: str) -> int:
    """An integer token in ``[low, high]`` (a count or an index); ``subject`` names it in the message."""
    pos = r.peek()[2]
    value = r.take("number", context=context)
    if value.denominator != 1 or not low <= value <= high:
        shown = _short(value)
        allowed = f"an integer in {low}..{high}" if low != 1 else f"a positive integer of at most {high}"
        raise _fail(r.what, f"{subject} {shown} at position {pos} is not {allowed}", shown, allowed)
    return int(value)


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
    GambitFormatError
        On any deviation from the format, naming what was expected and where; and before
        allocating, on a file that asks for more than :data:`MAX_PLAYERS` players or
        :data:`MAX_PAYOFF_ENTRIES` payoff entries, or holds a payoff beyond
        :data:`MAX_PAYOFF` (see the module's "Hostile files").
    """
    what = "Gambit .nfg"
    if not isinstance(text, str):
        raise GameInputError(f"{what}: expected text, got {type(text).__name__}", name=what,
                             value=type(text).__name__, domain="str")
    r = _Reader(tokenize(text, what), what)
    title, players = _read_header(r, "NFG", 1, "only version 1 is defined")
    n = len(players)
    r.take("brace", "{", "before the strategies ")
    strategies = []
    entries = n  # payoff entries asked for so far: players x contingencies
    limit = f"at most {MAX_PAYOFF_ENTRIES} payoff entries (contingencies x players)"
    if r.at("brace", "{"):
        for i in range(n):
            r.take("brace", "{", f"before the strategies of player {i + 1} ")
            labels = []
            while r.at("string"):
                labels.append(r.take("string"))
            r.take("brace", "}", f"after the strategies of player {i + 1} ")
            if not labels:
                raise _fail(what, f"player {i + 1} has no strategies", 0, "at least one strategy each")
            entries *= len(labels)
            if entries > MAX_PAYOFF_ENTRIES:
                raise _fail(what, f"the strategies up to player {i + 1} give {entries} payoff entries; {limit}",
                            entries, limit)
            strategies.append(labels)
    else:
        counts = []
        for i in range(n):
            # the count is checked against the limit before any label is made
            count = _count(r, f"(number of strategies of player {i + 1}) ", 1, MAX_PAYOFF_ENTRIES,
                           f"the strategy count of player {i + 1},")
            entries *= count
            if entries > MAX_PAYOFF_ENTRIES:
                raise _fail(what, f"the strategy counts up to player {i + 1} ({count}) give {entries} payoff "
                            f"entries; {limit}", entries, limit)
            counts.append(count)
        strategies = [[str(k + 1) for k in range(c)] for c in counts]
    r.take("brace", "}", "after the strategies ")
    comment = r.take("string") if r.at("string") else ""
    shape = tuple(len(s) for s in strategies)
    cells = math.prod(shape)
    if r.at("brace", "{"):
        table = _read_outcomes(r, n, cells)
    else:
        values = []
        while r.at("number") and len(values) <= cells * n:
            values.append(_payoff_number(r, "(payoff) "))
        while r.at("number"):  # count the rest for the message without keeping them
            r.take("number")
            values.append(None)
        if len(values) != cells * n:
            raise _fail(what, f"payoff list has {len(values)} numbers; expected {cells} contingencies x {n} players "
                        f"= {cells * n}", len(values), f"{cells * n} numbers")
        table = np.array(values, dtype=object).reshape(cells, n)
    if r.peek()[0] != "end":
        tok = r.peek()
        raise _fail(what, f"unexpected {tok[0]} {tok[1]!r} at position {tok[2]} after the payoffs", tok[1],
                    "the end of the file")
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
            pay.append(_payoff_number(r, f"(payoff of outcome {len(outcomes)}) "))
            if len(pay) > n:
                break
        if len(pay) != n:
            raise _fail(r.what, f"outcome {len(outcomes)} has {len(pay)}{'+' if len(pay) > n else ''} payoffs; "
                        f"expected {n}", len(pay), f"{n} payoffs, one per player")
        r.take("brace", "}", f"after outcome {len(outcomes)} ")
        outcomes.append(pay)
    r.take("brace", "}", "after the outcomes ")
    index = []
    while r.at("number") and len(index) <= cells:
        index.append(_count(r, "(outcome index) ", 0, len(outcomes) - 1, "outcome index"))
    while r.at("number"):  # count the rest for the message without keeping them
        r.take("number")
        index.append(None)
    if len(index) != cells:
        raise _fail(r.what, f"{len(index)} outcome indices; expected one per contingency ({cells})", len(index),
                    f"{cells} outcome indices")
    return np.array([outcomes[k] for k in index], dtype=object).reshape(cells, n)


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
                raise GameInputError(f"efg_text: chance node {node.name!r} has {len(node.actions)} actions "
                                     f"but {len(node.probs)} probabilities", name="probs", value=len(node.probs),
                                     domain=f"{len(node.actions)} probabilities, one per action")
            acts = " ".join(f"{quote(a)} {format_number(p)}" for a, p in zip(node.actions, node.probs, strict=False))
            lines.append(f"c {quote(node.name)} {node.infoset} {quote(node.infoset_name)} "
                         f"{{ {acts} }} {_efg_outcome(node)}")
        elif node.kind == "t":
            lines.append(f"t {quote(node.name)} {_efg_outcome(node)}")
        else:
            raise GameInputError(f"efg_text: node kind {node.kind!r} is not one of 'p', 'c', 't'", name="kind",
                                 value=node.kind, domain="'p', 'c' or 't'")
    return "\n".join(lines) + "\n"



def _line_of(text: str, pos: int) -> str:
    """``"line L, position P"`` of a character position (the end of the text for ``-1``)."""
    pos = len(text) if pos < 0 else pos
    return f"line {text.count(chr(10), 0, pos) + 1}, position {pos}"


def parse_efg(text: str) -> dict:
    """Parse Gambit ``.efg`` text (version 2) into pre-order :class:`EfgNode` records.

    Personal, chance and terminal nodes are read with their information sets and outcomes;
    an outcome given once by number and payoffs may be referred to again by its number
    alone.  The records are checked to form one tree (every personal and chance node
    followed by the subtrees of its actions, nothing after the last), read with an explicit
    count of the subtrees still due (no recursion).

    Returns
    -------
    dict
        ``title``, ``players`` (list of str), ``comment`` and ``nodes``: the list of
        :class:`EfgNode` records in pre-order, payoffs and probabilities as Fractions, and
        ``positions``: each record's ``"line L, position P"`` in the text.

    Raises
    ------
    GambitFormatError
        On any deviation from the format, naming what was expected and its line and
        position; before allocating, on more than :data:`MAX_PLAYERS` players or
        :data:`MAX_TREE_NODES` nodes, and on payoffs beyond :data:`MAX_PAYOFF` (see the
        module's "Hostile files").
    """
    what = "Gambit .efg"
    if not isinstance(text, str):
        raise GameInputError(f"{what}: expected text, got {type(text).__name__}", name=what,
                             value=type(text).__name__, domain="str")
    r = _EfgReader(tokenize(text, what, escapes="quote"), what, text)
    title, players = _read_header(r, "EFG", 2, "only version 2 is read")
    n = len(players)
    comment = r.take("string") if r.at("string") else ""
    nodes, positions = [], []
    due = 1  # subtrees still to be read
    outcomes: dict = {}  # outcome number -> payoffs
    while due:
        if r.peek()[0] == "end":
            raise r.fail(f"the file ends with {due} subtree{'s' if due > 1 else ''} still to come (a truncated tree)",
                         due, "a complete tree")
        if len(nodes) >= MAX_TREE_NODES:
            raise r.fail(f"more than {MAX_TREE_NODES} nodes", len(nodes) + 1, f"at most {MAX_TREE_NODES} nodes")
        pos = r.peek()[2]
        node_kind = r.take("word", context="(node type p, c or t) ")
        if node_kind not in ("p", "c", "t"):
            raise r.fail(f"node type {node_kind!r:.20} at {_line_of(text, pos)} is not p, c or t", node_kind,
                         "p (personal), c (chance) or t (terminal)", pos)
        name = r.take("string", context=f"(name of the {node_kind} node) ")
        node = _efg_record(r, node_kind, name, n, outcomes, pos)
        nodes.append(node)
        positions.append(_line_of(text, pos))
        due += len(node.actions) - 1
    if r.peek()[0] != "end":
        tok = r.peek()
        raise r.fail(f"unexpected {tok[0]} {tok[1]!r:.40} after the last node of the tree", tok[1],
                     "the end of the file", tok[2])
    return {"title": title, "players": players, "comment": comment, "nodes": nodes, "positions": positions}


class _EfgReader(_Reader):
    """A :class:`_Reader` whose errors name the line and position."""

    def __init__(self, tokens: list, what: str, text: str):
        super().__init__(tokens, what)
        self.text = text

    def fail(self, message: str, value: Any = None, domain: str = "", pos: int | None = None) -> GambitFormatError:
        where = _line_of(self.text, self.peek()[2] if pos is None else pos)
        return GambitFormatError(f"{self.what}: {message} ({where})", name=self.what, value=value, domain=domain)

    def take(self, kind: str, value: Any = None, context: str = ""):
        tok = self.peek()
        if tok[0] != kind or (value is not None and tok[1] != value):
            want = repr(value) if value is not None else kind
            got = "end of file" if tok[0] == "end" else f"{tok[0]} {str(tok[1])[:40]!r}"
            raise self.fail(f"expected {want} {context}but found {got}".replace("  ", " "), tok[1],
                            f"{want} {context}".strip())
        self.i += 1
        return tok[1]

    def integer(self, context: str, low: int, high: int, subject: str) -> int:
        pos = self.peek()[2]
        value = self.take("number", context=context)
        if value.denominator != 1 or not low <= value <= high:
            shown = _short(value)
            raise self.fail(f"{subject} {shown} is not an integer in {low}..{high}", shown,
                            f"an integer in {low}..{high}", pos)
        return int(value)


def _efg_record(r: _EfgReader, kind: str, name: str, n: int, outcomes: dict, pos: int) -> EfgNode:
    """The rest of one node line after its type and name."""
    player = infoset = 0
    infoset_name = ""
    actions: list = []
    probs: list = []
    if kind in ("p", "c"):
        if kind == "p":
            player = r.integer("(player number) ", 1, n, "the player number")
        infoset = r.integer("(information set number) ", 1, MAX_TREE_NODES, "the information set number")
        if r.at("string"):
            infoset_name = r.take("string")
        r.take("brace", "{", "before the actions ")
        while r.at("string"):
            actions.append(r.take("string"))
            if kind == "c":
                probs.append(r.take("number", context=f"(probability of chance action {len(actions)}) "))
            if len(actions) > MAX_TREE_NODES:
                raise r.fail(f"more than {MAX_TREE_NODES} actions", len(actions), f"at most {MAX_TREE_NODES}")
        r.take("brace", "}", "after the actions ")
        if not actions:
            raise r.fail(f"the {'personal' if kind == 'p' else 'chance'} node has no actions", 0,
                         "at least one action", pos)
    outcome = r.integer("(outcome number) ", 0, MAX_TREE_NODES, "the outcome number")
    outcome_name, payoffs = "", ()
    if outcome:
        if r.at("string"):
            outcome_name = r.take("string")
        if r.at("brace", "{"):
            r.take("brace", "{")
            pay = []
            while r.at("number") and len(pay) <= n:
                pay.append(_payoff_number(r, f"(payoff of outcome {outcome}) "))
            r.take("brace", "}", f"after the {n} payoffs of outcome {outcome} ")
            if len(pay) != n:
                raise r.fail(f"outcome {outcome} has {len(pay)} payoffs; expected {n}, one per player", len(pay),
                             f"{n} payoffs", pos)
            payoffs = tuple(pay)
            if outcomes.setdefault(outcome, payoffs) != payoffs:
                raise r.fail(f"outcome {outcome} is given the payoffs {[format_number(v) for v in payoffs]} here "
                             f"but {[format_number(v) for v in outcomes[outcome]]} before", outcome,
                             "the same payoffs at every use of an outcome", pos)
        elif outcome in outcomes:
            payoffs = outcomes[outcome]
        else:
            raise r.fail(f"outcome {outcome} is used before its payoffs are given", outcome,
                         "payoffs at the first use of an outcome", pos)
    return EfgNode(kind, name, player, infoset, infoset_name, tuple(actions), tuple(probs), outcome, outcome_name,
                   payoffs)
