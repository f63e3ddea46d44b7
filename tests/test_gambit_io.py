"""Tests of :mod:`gametheory_aid.core.gambit_io` and ``NormalFormGame``'s .nfg methods.

Independent reference: pygambit's own reader and writer (``read_nfg``, ``Game.to_nfg``,
``read_efg``).
"""
from __future__ import annotations

import io
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import sympy
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gametheory_aid.core.gambit_io import (
    EfgNode,
    efg_text,
    format_number,
    gambit_reader_label_clash,
    parse_nfg,
    quote,
    to_fraction,
)
from gametheory_aid.core.normal_form import NormalFormGame

pygambit = pytest.importorskip("pygambit")

F = Fraction

NUMBERS = st.one_of(st.integers(-1000, 1000),
                    st.fractions(min_value=-50, max_value=50, max_denominator=60),
                    st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False))
LABELS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=8)
# what Gambit 16.7 accepts: printable ASCII (no backslash), single inner spaces
GAMBIT_LABELS = st.from_regex(r"[!-\[\]-~](?: ?[!-\[\]-~]){0,6}", fullmatch=True)


@st.composite
def games(draw, max_players=3, labels=LABELS):
    n = draw(st.integers(2, max_players))
    shape = tuple(draw(st.lists(st.integers(1, 3), min_size=n, max_size=n)))
    size = int(np.prod(shape))
    payoffs = [np.array(draw(st.lists(NUMBERS, min_size=size, max_size=size)), dtype=object).reshape(shape)
               for _ in range(n)]
    players = draw(st.lists(labels, min_size=n, max_size=n, unique=True))
    strategies = [draw(st.lists(labels, min_size=s, max_size=s, unique=True)) for s in shape]
    return NormalFormGame(payoffs, players=players, strategies=strategies, title=draw(labels))


# -- numbers and strings --------------------------------------------------------------------------

@pytest.mark.parametrize("value, text", [
    pytest.param(3, "3", id="int"),
    pytest.param(-7, "-7", id="negative-int"),
    pytest.param(F(1, 4), "0.25", id="finite-decimal"),
    pytest.param(F(-1, 3), "-1/3", id="rational"),
    pytest.param(0.1, "0.1", id="float-shortest-decimal"),
    pytest.param(1e-7, "0.0000001", id="small-float"),
    pytest.param(-2.5, "-2.5", id="negative-float"),
    pytest.param(sympy.Rational(2, 7), "2/7", id="sympy-rational"),
    pytest.param(np.int64(4), "4", id="numpy-int"),
])
def test_format_number(value, text):
    assert format_number(value) == text


@given(st.fractions(max_denominator=10 ** 6))
def test_format_number_is_exact(q):
    assert F(format_number(q)) == q
    assert pygambit.read_nfg(io.StringIO(f'NFG 1 R "" {{ "a" }} {{ 1 }}\n{format_number(q)}\n')) \
        .to_arrays()[0][0] == q


@pytest.mark.parametrize("value", [float("nan"), float("inf"), True, "1", None, 1 + 2j])
def test_to_fraction_rejects_non_numbers(value):
    with pytest.raises(ValueError):
        to_fraction(value)


@given(LABELS)
def test_quote_round_trips_through_the_tokenizer(label):
    text = f'NFG 1 R {quote(label)} {{ {quote(label)} }} {{ 1 }}\n0\n'
    assert parse_nfg(text)["title"] == label
    assert parse_nfg(text)["players"] == [label]


@given(GAMBIT_LABELS)
def test_quote_is_read_by_pygambit(label):
    text = f'NFG 1 R {quote(label)} {{ {quote(label)} }} {{ 1 }}\n0\n'
    game = pygambit.read_nfg(io.StringIO(text))
    assert game.title == label and [p.label for p in game.players] == [label]


@pytest.mark.parametrize("label", ["", " a", "a ", "a  b", "\u4e2d\u592e", "tab\there", "back\\slash"])
def test_labels_gambit_refuses_give_a_clear_error(label):
    game = NormalFormGame.bimatrix([[1]], [[1]], players=["ok", label])
    with pytest.raises(ValueError, match="Gambit label"):
        game.to_gambit()
    with pytest.raises(ValueError, match="must be unique"):
        NormalFormGame.bimatrix([[1]], [[1]], players=["same", "same"]).to_gambit()
    assert NormalFormGame.from_nfg(game.to_nfg()) == game  # the package's own format has no such limit


# -- .nfg round trips and cross-checks ----------------------------------------------------------------

@settings(max_examples=60)
@given(games())
def test_nfg_round_trip(game):
    again = NormalFormGame.from_nfg(game.to_nfg())
    assert again == game
    assert all((a == b).all() for a, b in zip(again.exact_payoffs, game.exact_payoffs, strict=False))


def reader_clash(game):
    return any(gambit_reader_label_clash(list(labels)) for labels in [game.players, *game.strategies])


@settings(max_examples=60)
@given(games(labels=GAMBIT_LABELS))
def test_pygambit_reads_our_nfg(game):
    assume(not reader_clash(game))  # a limit of Gambit's reader, pinned by the next test
    theirs = pygambit.read_nfg(io.StringIO(game.to_nfg()))
    assert theirs.title == game.title
    assert [p.label for p in theirs.players] == list(game.players)
    assert [[s.label for s in p.strategies] for p in theirs.players] == [list(s) for s in game.strategies]
    for ours, arr in zip(game.exact_payoffs, theirs.to_arrays(), strict=False):
        assert arr.shape == ours.shape
        assert all(F(a) == b for a, b in zip(arr.ravel(), ours.ravel(), strict=False))


@settings(max_examples=200)
@given(st.lists(st.sampled_from(["1", "2", "3", "4", "a", "b"]), min_size=1, max_size=4, unique=True),
       st.booleans())
def test_gambit_reader_label_clash_is_exactly_what_gambit_refuses(labels, as_players):
    if as_players:
        game = NormalFormGame([np.zeros((1,) * len(labels), dtype=object)] * len(labels), players=labels)
    else:
        game = NormalFormGame.bimatrix([[0] * len(labels)], [[0] * len(labels)], players=["p", "q"],
                                       strategies=[["s"], labels])
    problem = gambit_reader_label_clash(labels)
    try:
        pygambit.read_nfg(io.StringIO(game.to_nfg()))
        refused = False
    except ValueError as error:
        refused = True
        assert "must be unique" in str(error)
    assert refused == (problem is not None)
    # the API conversion renames through spare labels and has no such limit
    assert [p.label for p in game.to_gambit().players] == list(game.players)


@settings(max_examples=40)
@given(games(labels=GAMBIT_LABELS))
def test_we_read_pygambit_outcome_form(game):
    text = game.to_gambit().to_nfg()  # Gambit writes the outcome form
    assert "{ \"\"" in text or "{ \"" in text
    assert NormalFormGame.from_nfg(text) == game


PRISONERS = '''NFG 1 R "Two person Prisoner's Dilemma" { "Player 1" "Player 2" }
{ { "Cooperate" "Defect" }
{ "Cooperate" "Defect" }
}
""

{
{ "" 9, 9 }
{ "" 10, 0 }
{ "" 0, 10 }
{ "" 1, 1 }
}
1 2 3 4
'''


def test_gambit_order_first_player_varies_fastest():
    # contingencies run (1,1), (2,1), (1,2), (2,2): outcome 2 is (row 2, column 1)
    game = NormalFormGame.from_nfg(PRISONERS)
    assert game.payoffs[0].tolist() == [[9, 0], [10, 1]]
    assert game.payoffs[1].tolist() == [[9, 10], [0, 1]]
    assert game.strategies == (("Cooperate", "Defect"), ("Cooperate", "Defect"))
    reference = pygambit.read_nfg(io.StringIO(PRISONERS)).to_arrays()
    assert [a.tolist() for a in reference] == [[[9, 0], [10, 1]], [[9, 10], [0, 1]]]


def test_counts_form_and_null_outcome():
    text = 'NFG 1 D "counts" { "A" "B" } { 2 2 }\n\n{ { "x" 1 2 } }\n1 0 0 1\n'
    game = NormalFormGame.from_nfg(text)
    assert game.strategies == (("1", "2"), ("1", "2"))
    assert game.payoffs[0].tolist() == [[1, 0], [0, 1]] and game.payoffs[1].tolist() == [[2, 0], [0, 2]]


def test_payoff_list_written_in_gambit_order():
    game = NormalFormGame.bimatrix([[1, 2], [3, 4]], [[5, 6], [7, 8]], title="order")
    numbers = game.to_nfg().split('""')[-1].split()
    assert numbers == ["1", "5", "3", "7", "2", "6", "4", "8"]


def test_write_and_read_files(tmp_path: Path):
    game = NormalFormGame.bimatrix([[F(1, 3), 0.5], [2, -1]], [[0, 1], [1, 0]], title="file")
    path = tmp_path / "game.nfg"
    game.write_nfg(path)
    assert NormalFormGame.from_nfg(path) == game
    assert NormalFormGame.from_nfg(str(path)) == game
    assert pygambit.read_nfg(str(path)).title == "file"


BAD_NFG = [
    pytest.param('EFG 2 R "" { "a" }', "expected 'NFG'", id="not-nfg"),
    pytest.param('NFG 2 R "" { "a" } { 1 }\n0', "version", id="version"),
    pytest.param('NFG 1 R "" { "a" "b" } { 2 2 }\n1 2 3', "payoff list has 3 numbers", id="too-few"),
    pytest.param('NFG 1 R "" { "a" "b" } { 1 1 }\n1 2 3', "payoff list has 3 numbers", id="too-many"),
    pytest.param('NFG 1 R "" { "a" } { 1 }\n{ { "" 1 } }\n1 "x"', "unexpected string", id="trailing"),
    pytest.param('NFG 1 R "" { "a" } { 1 }\n{ { "" 1 } }\n2', "outcome index 2", id="bad-index"),
    pytest.param('NFG 1 R "" { "a" "b" } { 1 1 }\n{ { "" 1 } }\n1', "outcome 1 has 1 payoffs", id="short-outcome"),
    pytest.param('NFG 1 R "" { "a" } { 0 }\n', "positive integer", id="no-strategies"),
    pytest.param('NFG 1 R "" { "a" } { 1 }\n1/0', "zero denominator", id="zero-denominator"),
    pytest.param('NFG 1 R "" { "a" } { 1 }\n@', "unexpected character", id="bad-character"),
    pytest.param('NFG 1 R "unterminated { "a" } { 1 }', "expected", id="unterminated-string"),
]


@pytest.mark.parametrize("text, message", BAD_NFG)
def test_bad_nfg_raises_value_error(text, message):
    with pytest.raises(ValueError, match=message):
        parse_nfg(text)


# -- .efg ------------------------------------------------------------------------------------------------

def test_efg_text_is_read_by_pygambit():
    """Chance move, then player 1 moves without seeing it (one information set spanning
    two nodes), then player 2 answers seeing player 1's move."""
    def answer(infoset, base):
        return [EfgNode("p", player=2, infoset=infoset, infoset_name=f"after {base}", actions=("l", "r")),
                EfgNode("t", outcome=base, outcome_name=f"o{base}", payoffs=(1, -1)),
                EfgNode("t", outcome=base + 1, outcome_name=f"o{base + 1}", payoffs=(F(1, 3), 2))]

    nodes = [EfgNode("c", name="nature", infoset=1, infoset_name="chance", actions=("H", "T"),
                     probs=(F(1, 3), F(2, 3))),
             EfgNode("p", name="p1 heads", player=1, infoset=1, infoset_name="guess", actions=("h", "t")),
             *answer(1, 1), *answer(2, 3),
             EfgNode("p", name="p1 tails", player=1, infoset=1, infoset_name="guess", actions=("h", "t")),
             *answer(3, 5), *answer(4, 7)]
    text = efg_text('tree "quoted"', ["One", "Two"], nodes)
    game = pygambit.read_efg(io.StringIO(text))
    assert game.title == 'tree "quoted"'
    assert [p.label for p in game.players] == ["One", "Two"]
    one, two = list(game.players)
    assert len(list(one.infosets)) == 1 and len(list(two.infosets)) == 4
    assert len(list(game.outcomes)) == 8
    assert [a.prob for a in game.root.infoset.actions] == [F(1, 3), F(2, 3)]
    assert {F(o[two]) for o in game.outcomes} == {F(-1), F(2)}


def test_efg_text_rejects_bad_nodes():
    with pytest.raises(ValueError, match="node kind"):
        efg_text("", ["a"], [EfgNode("x")])
    with pytest.raises(ValueError, match="probabilities"):
        efg_text("", ["a"], [EfgNode("c", actions=("a", "b"), probs=(1,))])
