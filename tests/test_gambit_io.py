"""Tests of :mod:`gametheory_aid.core.gambit_io` and ``NormalFormGame``'s .nfg methods.

Independent reference: pygambit's own reader and writer (``read_nfg``, ``Game.to_nfg``,
``read_efg``), where it is installed; without it only those comparisons are skipped.
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
from gametheory_aid.core.params import ParameterError


class _LazyGambit:
    """pygambit, imported at first use: a test that uses it is skipped where it is missing,
    the package's own reader and writer tests run regardless."""

    def __getattr__(self, name):
        return getattr(pytest.importorskip("pygambit"), name)


pygambit = _LazyGambit()

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
    pygambit.Game  # noqa: B018 (to_gambit needs pygambit: skip here without it)
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
    pygambit.Game  # noqa: B018 (to_gambit needs pygambit)
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


# -- hostile files ----------------------------------------------------------------------------------------

_CHILD = """
import sys
from gametheory_aid.core.normal_form import NormalFormGame
from gametheory_aid.core.params import ParameterError
import resource
resource.setrlimit(resource.RLIMIT_AS, (2 * 1024 ** 3, 2 * 1024 ** 3))
try:
    NormalFormGame.from_nfg(sys.stdin.read())
    print("read")
except BaseException as exc:
    print(type(exc).__name__, isinstance(exc, ParameterError), str(exc)[:300])
"""


def read_in_a_child(text: str) -> str:
    """What reading ``text`` does, in a child process limited to 2 GB and 60 s: a hang or a
    memory exhaustion fails the test instead of the test run."""
    import subprocess
    import sys
    try:
        done = subprocess.run([sys.executable, "-c", _CHILD], input=text, capture_output=True, text=True,
                              timeout=60)
    except subprocess.TimeoutExpired:
        return "timeout"
    return done.stdout.strip() or done.stderr.strip()[-300:]


@pytest.mark.parametrize("text, message", [
    pytest.param('NFG 1 R "" { "a" } { 1 }\n1e99999999\n', "exponent", id="huge-exponent"),
    pytest.param('NFG 1 R "" { "a" } { 1 }\n1e-99999999\n', "exponent", id="tiny-exponent"),
    pytest.param('NFG 1 R "" { "a" "b" } { 3000000000 2 }\n0\n', "strategy count of player 1", id="huge-count"),
    pytest.param('NFG 1 R "" { "a" "b" "c" } { 2000 2000 2000 }\n0\n', "payoff entries", id="huge-product"),
    pytest.param('NFG 1 R "" { "a" } { 1 }\n' + "9" * 5000 + "\n", "characters", id="long-number"),
])
def test_hostile_nfg_is_refused_before_anything_is_allocated(text, message):
    outcome = read_in_a_child(text)
    assert outcome.startswith("GambitFormatError True"), outcome
    assert message in outcome


def test_a_payoff_beyond_the_limit_is_named():
    with pytest.raises(ParameterError, match=r"payoff 1e\+301 at position \d+ exceeds"):
        parse_nfg('NFG 1 R "" { "a" } { 1 }\n1e301\n')
    assert parse_nfg('NFG 1 R "" { "a" } { 1 }\n1e-400\n')["payoffs"][0][0] == F(1, 10 ** 400)  # exact


VALID_NFG = 'NFG 1 R "game" { "Row" "Col" }\n{ { "u" "d" }\n{ "l" "r" }\n}\n""\n\n3 3 0 5 5 0 1 1\n'
HOSTILE_TOKENS = ["1e99999", "-1e-99999", "9" * 1200, "1/0", "0/0", "3000000000", "-1", "1.5", "nan", "inf",
                  "1e308", "-1e308", "{", "}", '"', '"\\', "\\", "\x00", "NFG", "1 1", "1/3", "-0.0", "1e"]


@settings(max_examples=300, deadline=None)
@given(st.one_of(
    st.binary(max_size=200).map(lambda b: b.decode("utf-8", errors="replace")),
    st.integers(0, len(VALID_NFG)).map(lambda k: VALID_NFG[:k]),
    st.tuples(st.integers(0, len(VALID_NFG)), st.lists(st.sampled_from(HOSTILE_TOKENS), min_size=1, max_size=3))
      .map(lambda a: VALID_NFG[:a[0]] + " " + " ".join(a[1]) + " " + VALID_NFG[a[0]:]),
    st.lists(st.sampled_from(HOSTILE_TOKENS + ["NFG", "1", "R", '""', '"a"', "{", "}", "0", "2"]), max_size=25)
      .map(" ".join),
))
def test_fuzzed_nfg_text_reads_or_fails_with_a_named_error(text):
    try:
        game = NormalFormGame.from_nfg(text if text.lstrip().startswith("NFG") else "NFG\n" + text)
    except ParameterError as exc:
        assert isinstance(exc, ValueError) and str(exc).startswith("Gambit .nfg")
    else:
        assert isinstance(game, NormalFormGame)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_fuzzed_nfg_bytes_read_or_fail_with_a_named_error(data):
    try:
        NormalFormGame.from_nfg(b"NFG 1 R " + data)
    except ParameterError as exc:
        assert "Gambit .nfg" in str(exc)


# -- exact export of the models' games -----------------------------------------------------------------------

def test_joint_blame_exports_the_exact_payoffs_of_its_decimal_parameters():
    from gametheory_aid.models import get_model

    model = get_model("joint-blame")()
    game = model.to_game()
    p = {name: Fraction(repr(float(v))) for name, v in model.scalar_params("test").items()}
    pi, c, d, loss, tau, w = (p["prob_good"], p["audit_cost"], p["audit_detection"], p["centre_loss"],
                              p["transparency"], p["whistleblower_reward"])

    def centre(x, a):  # minus the centre's expected loss, written out from its definition
        detect = tau + (1 - tau) * d * a
        return -((1 - pi) * x * (1 - detect) * loss + c * a * (pi + (1 - pi) * x) + (1 - pi) * (1 - x) * w)

    pair, centre_payoffs = game.exact_payoffs
    assert centre_payoffs.tolist() == [[centre(1, 1), centre(1, 0)], [centre(0, 1), centre(0, 0)]]
    assert pair[1].tolist() == [0, 0]
    assert all(isinstance(v, Fraction) and v.denominator <= 10 ** 6 for u in (pair, centre_payoffs) for v in u.flat)
    text = game.to_nfg()
    assert text.startswith('NFG 1 R "joint-blame"')
    assert "0000000" not in text and "9999999" not in text  # no float residue such as 17499999999999999/...
    floats = model.to_game(exact=False)
    assert np.allclose(floats.payoffs[1], game.payoffs[1], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("text, message", [
    pytest.param('NFG 1 R "" { "A" } { 1 }\n""\n1e999\n', "about 1e999", id="payoff-beyond-float"),
    pytest.param('NFG 1 R "" { "A" } { 1e999 }\n""\n1\n', "about 1e999", id="count-beyond-float"),
])
def test_numbers_beyond_the_float_range_get_a_format_error_not_overflow(text, message):
    """The message of a refused number beyond 1e308 gives its order of magnitude (its float
    would overflow)."""
    with pytest.raises(ParameterError, match=message):
        parse_nfg(text)


def test_efg_records_are_parsed_in_preorder():
    from gametheory_aid.core.gambit_io import EfgNode, efg_text, parse_efg

    nodes = [EfgNode("c", "n", infoset=1, actions=("h", "t"), probs=(Fraction(1, 3), Fraction(2, 3))),
             EfgNode("t", "a", outcome=1, outcome_name="a", payoffs=(Fraction(1), Fraction(-1, 2))),
             EfgNode("p", "q", player=2, infoset=1, infoset_name="q", actions=("x",)),
             EfgNode("t", "b", outcome=2, outcome_name="b", payoffs=(Fraction(0), Fraction(5)))]
    data = parse_efg(efg_text("T", ["P1", "P2"], nodes, comment="c"))
    assert data["nodes"] == nodes and data["title"] == "T" and data["comment"] == "c"
    assert data["players"] == ["P1", "P2"] and data["positions"][0].startswith("line 4,")
