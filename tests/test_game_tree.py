"""Tests of the finite game trees (``gametheory_aid.core.game_tree``).

Every equilibrium the module computes is checked against an independent computation:

* a reference evaluator and one-shot-deviation test written here (a plan is subgame perfect
  iff no player gains by changing the action at a single decision node -- the one-shot
  deviation principle for finite games of perfect information), and a brute-force list of
  all pure SPEs obtained by filtering every plan through that test;
* the full normal form, whose entries are re-evaluated here profile by profile, with the
  regret of the equilibrium profile computed by numpy and by nashpy;
* Gambit (pygambit), reading the exported ``.efg`` file: its payoffs, its node values
  (one-shot deviations), its pure Nash equilibria (``enumpure_solve``) and its pure
  agent-form equilibria filtered to the subgame-perfect ones.
"""
from __future__ import annotations

import io
import itertools
import json
import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gametheory_aid.core.game_tree import Chance, Decision, EquilibriumLimitError, GameTree, SubgamePerfect, Terminal

TOL = 1e-12


# --------------------------------------------------------------------------- random trees
@st.composite
def raw_trees(draw, players=(2, 3), exact=None, max_decisions=6, max_chance=2, max_depth=4):
    """A random tree (depth 1-4, branching 2-3, some chance nodes) and its number of players.

    Payoffs are either random floats or small integers (which create ties); under exact
    arithmetic they are integers and halves and the probabilities Fractions.
    """
    n = draw(st.sampled_from(players)) if isinstance(players, tuple) else players
    exact = draw(st.booleans()) if exact is None else exact
    small_ints = True if exact else draw(st.booleans())
    depth = draw(st.integers(1, max_depth))
    budget = {"decision": max_decisions, "chance": max_chance}

    def payoff():
        if exact:
            return Fraction(draw(st.integers(-2, 4)), draw(st.sampled_from([1, 1, 2])))
        if small_ints:
            return float(draw(st.integers(0, 2)))
        return draw(st.floats(-10, 10, allow_nan=False, allow_infinity=False))

    def terminal():
        return Terminal(tuple(payoff() for _ in range(n)))

    def build(level):
        if level == depth:
            return terminal()
        kinds = ["decision"] * 3 + ["chance"] + ([] if level == 0 else ["terminal"])
        kind = draw(st.sampled_from(kinds))
        if kind != "terminal" and budget[kind] == 0:
            kind = "decision" if budget["decision"] else ("chance" if budget["chance"] else "terminal")
        if kind == "terminal":
            return terminal()
        budget[kind] -= 1
        width = draw(st.integers(2, 3))
        children = [build(level + 1) for _ in range(width)]
        if kind == "decision":
            names = draw(st.permutations(["a", "b", "c"]))[:width]
            return Decision(draw(st.integers(0, n - 1)), dict(zip(names, children, strict=False)))
        weights = draw(st.lists(st.integers(0, 3), min_size=width, max_size=width).filter(any))
        total = sum(weights)
        probs = [Fraction(w, total) if exact else w / total for w in weights]
        return Chance({f"o{k}": (p, c) for k, (p, c) in enumerate(zip(probs, children, strict=False))})

    return build(0), n


@st.composite
def game_trees(draw, **kwargs):
    root, n = draw(raw_trees(**kwargs))
    return GameTree(root, players=[f"P{i}" for i in range(n)])


# --------------------------------------------------------------------------- references
def ref_value(node, plan):
    """Expected payoffs of the subtree at ``node`` when every decision node follows ``plan``."""
    if isinstance(node, Terminal):
        return np.array([float(x) for x in node.payoffs])
    if isinstance(node, Decision):
        return ref_value(node.actions[plan[node.label]], plan)
    return sum(float(p) * ref_value(c, plan) for p, c in node.outcomes.values())


def ref_exact_value(node, plan):
    if isinstance(node, Terminal):
        return tuple(node.payoffs)
    if isinstance(node, Decision):
        return ref_exact_value(node.actions[plan[node.label]], plan)
    parts = [(p, ref_exact_value(c, plan)) for p, c in node.outcomes.values()]
    return tuple(sum(p * v[k] for p, v in parts) for k in range(len(parts[0][1])))


def all_decisions(node):
    """Decision nodes in preorder, found by walking the tree (not the module's list)."""
    if isinstance(node, Terminal):
        return []
    if isinstance(node, Decision):
        return [node] + [d for c in node.actions.values() for d in all_decisions(c)]
    return [d for _, c in node.outcomes.values() for d in all_decisions(c)]


def tied_actions(node, plan, exact):
    """The actions at ``node`` that maximise the mover's value given ``plan`` below it."""
    i = node.player
    if exact:
        vals = {a: ref_exact_value(c, plan)[i] for a, c in node.actions.items()}
        best = max(vals.values())
        return [a for a, v in vals.items() if v == best]
    vals = {a: ref_value(c, plan)[i] for a, c in node.actions.items()}
    best = max(vals.values())
    return [a for a, v in vals.items() if v >= best - TOL * max(1.0, abs(best))]


def is_spe(tree, plan):
    """One-shot deviation test at every decision node."""
    return all(plan[d.label] in tied_actions(d, plan, tree.exact) for d in all_decisions(tree.root))


def brute_force_spes(tree):
    nodes = all_decisions(tree.root)
    plans = ({d.label: a for d, a in zip(nodes, choice, strict=False)}
             for choice in itertools.product(*(list(d.actions) for d in nodes)))
    return {plan_key(p) for p in plans if is_spe(tree, p)}


def plan_key(plan):
    return tuple(sorted(plan.items()))


def plan_of_profile(tree, profile):
    """Decode a pure-strategy profile of the full normal form into a plan (last node fastest)."""
    plan = {}
    for i, s in enumerate(profile):
        nodes = [d for d in all_decisions(tree.root) if d.player == i]
        if not nodes:
            continue
        choice = np.unravel_index(s, [len(d.actions) for d in nodes])
        plan.update({d.label: list(d.actions)[int(k)] for d, k in zip(nodes, choice, strict=False)})
    return plan


def regret(arrays, profile):
    """The largest gain of any player from a unilateral pure deviation (numpy)."""
    gains = []
    for i, a in enumerate(arrays):
        line = list(profile)
        line[i] = slice(None)
        gains.append(float(np.max(a[tuple(line)].astype(float)) - float(a[profile])))
    return max(gains)


# --------------------------------------------------------------------------- textbook games
def entry_game():
    return GameTree(Decision(0, {"Out": Terminal((0, 2)),
                                 "In": Decision(1, {"Fight": Terminal((-1, -1)),
                                                    "Accommodate": Terminal((1, 1))})}),
                    players=["Entrant", "Incumbent"], title="Entry game")


def test_entry_game_subgame_perfect_equilibrium():
    """Selten's chain-store stage: the unique SPE is (In, Accommodate) with payoffs (1, 1)."""
    tree = entry_game()
    spe = tree.backward_induction()
    assert spe.plan == {"root": "In", "root/In": "Accommodate"}
    assert spe.payoffs == (1, 1) and spe.path == ("In", "Accommodate") and spe.exact
    assert [s.plan for s in tree.subgame_perfect_equilibria()] == [spe.plan]
    # The normal form has a second, non-credible Nash equilibrium (Out, Fight).
    assert tree.pure_strategies(0) == ["Out", "In"] and tree.pure_strategies(1) == ["Fight", "Accommodate"]
    arrays = tree.normal_form_payoffs()
    pure_ne = {p for p in np.ndindex(*tree.normal_form_shape()) if regret(arrays, p) <= 0}
    assert pure_ne == {(0, 0), (1, 1)}
    assert tree.strategy_profile(spe) == (1, 1)


def test_centipede_game_everyone_takes():
    """Rosenthal's centipede with four moves: backward induction takes at once, payoffs (1, 0)."""
    pays = [(1, 0), (0, 2), (3, 1), (2, 4)]
    node = Terminal((4, 3))
    for k in reversed(range(4)):
        node = Decision(k % 2, {"take": Terminal(pays[k]), "pass": node}, label=f"move{k + 1}")
    tree = GameTree(node, ["Ann", "Bob"], title="Centipede")
    spe = tree.backward_induction()
    assert spe.plan == {f"move{k}": "take" for k in range(1, 5)}
    assert spe.payoffs == (1, 0) and spe.path == ("take",)
    assert len(tree.subgame_perfect_equilibria()) == 1
    assert tree.pure_strategies(0) == ["take/take", "take/pass", "pass/take", "pass/pass"]


def deep_tie_tree():
    """Bob is indifferent between a (Ann gets 3) and b (Ann gets 0); Ann's Out gives her 1.

    Hand-derived SPEs: {Bob: a, Ann: In} with payoffs (3, 0) and {Bob: b, Ann: Out} with (1, 0).
    """
    return GameTree(Decision(0, {"In": Decision(1, {"a": Terminal((3, 0)), "b": Terminal((0, 0))}, "bob"),
                                 "Out": Terminal((1, 0))}, "ann"), ["Ann", "Bob"])


def test_tie_rules_on_a_tie_deep_in_the_tree():
    tree = deep_tie_tree()
    first = tree.backward_induction("first")
    last = tree.backward_induction("last")
    assert first.plan == {"ann": "In", "bob": "a"} and first.payoffs == (3, 0)
    assert last.plan == {"ann": "Out", "bob": "b"} and last.payoffs == (1, 0)
    seen = []
    chosen = tree.backward_induction(lambda node, tied: seen.append((node.label, tied)) or tied[1])
    assert seen == [("bob", ["a", "b"])] and chosen.plan == last.plan
    spes = tree.subgame_perfect_equilibria()
    assert [s.plan for s in spes] == [first.plan, last.plan]
    assert first in spes and last in spes


def test_tie_rule_must_choose_a_tied_action():
    with pytest.raises(ValueError, match="tie rule chose 'c'"):
        deep_tie_tree().backward_induction(lambda node, tied: "c")


def test_chance_paths_and_histories():
    """Nature draws H (1/3) or T (2/3); Ann then chooses.  Hand-derived values."""
    third = Fraction(1, 3)
    tree = GameTree(Chance({"H": (third, Decision(0, {"x": Terminal((1, 0)), "y": Terminal((2, 0))})),
                            "T": (1 - third, Decision(0, {"x": Terminal((5, 1)), "y": Terminal((4, 1))})),
                            "Z": (Fraction(0), Decision(0, {"x": Terminal((0, 0)), "y": Terminal((9, 9))}))},
                           label="nature"), ["Ann", "Bob"])
    spe = tree.backward_induction()
    # Auto-labels are paths of edge labels from the root, whatever the ancestors are called.
    assert spe.plan == {"root/H": "y", "root/T": "x", "root/Z": "y"}
    assert spe.payoffs == (Fraction(2, 3) + Fraction(10, 3), Fraction(2, 3))
    assert spe.path == ("H", "y", "T", "x")  # the zero-probability outcome is not played
    assert spe.histories == ((third, ("H", "y")), (2 * third, ("T", "x")))
    json.dumps(spe.to_dict())


def test_exact_and_float_arithmetic():
    exact = GameTree(Chance({"a": (Fraction(1, 3), Terminal((1, 2))), "b": (Fraction(2, 3), Terminal((0, 1)))}),
                     ["A", "B"])
    assert exact.exact and exact.backward_induction().payoffs == (Fraction(1, 3), Fraction(4, 3))
    assert all(isinstance(x, Fraction) for x in exact.backward_induction().payoffs)
    mixed = GameTree(Chance({"a": (0.5, Terminal((1, 2))), "b": (Fraction(1, 2), Terminal((0, 1)))}), ["A", "B"])
    assert not mixed.exact and mixed.backward_induction().payoffs == (0.5, 1.5)
    assert all(type(x) is float for x in mixed.backward_induction().payoffs)


def test_auto_labels_strategy_labels_and_profile_indices():
    leaf = Terminal((0, 0))
    tree = GameTree(Decision(0, {"act": Decision(1, {"act": Decision(0, {"act": leaf, "pass": leaf}),
                                                     "pass": leaf}),
                                 "pass": Decision(0, {"act": leaf, "pass": leaf})}), ["U", "L"])
    assert [d.label for d in tree.decision_nodes()] == ["root", "root/act", "root/act/act", "root/pass"]
    assert [d.label for d in tree.decision_nodes(0)] == ["root", "root/act/act", "root/pass"]
    assert tree.pure_strategies(0)[:3] == ["act/act/act", "act/act/pass", "act/pass/act"]
    assert tree.normal_form_shape() == (8, 2)
    plan = {"root": "pass", "root/act": "pass", "root/act/act": "act", "root/pass": "pass"}
    assert tree.strategy_profile(plan) == (0b101, 1)
    assert tree.expected_payoffs(plan) == (0, 0)
    text = repr(tree)
    assert "[root] U" in text and "  act -> [root/act] L" in text and "      pass -> (0, 0)" in text


def test_players_without_moves_have_one_strategy():
    tree = GameTree(Decision(1, {"l": Terminal((1, 2, 3)), "r": Terminal((3, 1, 2))}), ["A", "B", "C"])
    assert tree.pure_strategies(0) == ["-"] and tree.normal_form_shape() == (1, 2, 1)
    assert tree.backward_induction().plan == {"root": "l"}


def test_limit_on_the_number_of_equilibria():
    """k indifferent, independent decisions under a chance node: exactly 2**k SPEs."""
    k = 6
    leaf = Terminal((0,))
    tree = GameTree(Chance({f"o{j}": (Fraction(1, k), Decision(0, {"a": leaf, "b": leaf})) for j in range(k)}),
                    ["solo"])
    spes = tree.subgame_perfect_equilibria()
    assert len(spes) == 2 ** k and len({plan_key(s.plan) for s in spes}) == 2 ** k
    with pytest.raises(EquilibriumLimitError, match="more than limit = 63"):
        tree.subgame_perfect_equilibria(limit=2 ** k - 1)


# --------------------------------------------------------------------------- bad input
T2 = Terminal((0, 0))
BAD = [
    pytest.param(lambda: Chance({"H": (0.5, T2), "T": (0.4, T2)}), "sum to 0.9, not 1", id="probs-sum-float"),
    pytest.param(lambda: Chance({"H": (Fraction(1, 2), T2), "T": (Fraction(1, 3), T2)}), "sum to 5/6, not 1",
                 id="probs-sum-exact"),
    pytest.param(lambda: Chance({"H": (1.5, T2), "T": (-0.5, T2)}), "must lie in \\[0, 1\\]", id="prob-range"),
    pytest.param(lambda: Chance({"H": (float("nan"), T2)}), "not finite", id="prob-nan"),
    pytest.param(lambda: Chance({"H": T2}), "\\(probability, node\\) pair", id="outcome-not-pair"),
    pytest.param(lambda: Decision(0, {"a": Terminal((1, 2, 3)), "b": T2}), "has 3 payoffs.*expected 2",
                 id="payoff-length"),
    pytest.param(lambda: Decision(0, {"a": Terminal((1, float("inf"))), "b": T2}), "not finite", id="payoff-inf"),
    pytest.param(lambda: Decision(0, {"a": Terminal((1, True)), "b": T2}), "not a real number", id="payoff-bool"),
    pytest.param(lambda: Decision(2, {"a": T2}), "player 2; expected an index in 0..1", id="player-index"),
    pytest.param(lambda: Decision(0, {}), "non-empty dict of actions", id="no-actions"),
    pytest.param(lambda: Decision(0, {"a": Decision(1, {"x": T2}, "n"), "b": Decision(1, {"x": T2}, "n")}),
                 "label 'n' is used more than once", id="duplicate-labels"),
    pytest.param(lambda: Decision(0, {"a": (1, 2)}), "expected a Terminal, Decision or Chance", id="not-a-node"),
    pytest.param(lambda: Decision(0, {3: T2}), "non-empty strings", id="action-label"),
]


@pytest.mark.parametrize("make, message", BAD)
def test_bad_trees_raise_clear_errors(make, message):
    with pytest.raises(ValueError, match=message):
        GameTree(make(), ["A", "B"])


@pytest.mark.parametrize("players, message", [
    pytest.param([], "at least one player", id="no-players"),
    pytest.param(["A", "A"], "unique", id="duplicate-players"),
    pytest.param("AB", "sequence of names", id="string-players"),
])
def test_bad_players(players, message):
    with pytest.raises(ValueError, match=message):
        GameTree(Terminal((0, 0)), players)


def test_cycles_and_bad_arguments_are_rejected():
    loop = Decision(0, {})
    loop.actions["again"] = loop  # the dict is mutable even though the node is frozen
    with pytest.raises(ValueError, match="own ancestor"):
        GameTree(loop, ["A"])
    tree = entry_game()
    with pytest.raises(ValueError, match="tie = 'middle'"):
        tree.backward_induction("middle")
    with pytest.raises(ValueError, match="tol = -1"):
        tree.subgame_perfect_equilibria(tol=-1)
    with pytest.raises(ValueError, match="limit = 0"):
        tree.subgame_perfect_equilibria(limit=0)
    with pytest.raises(ValueError, match="no action for decision node 'root/In'"):
        tree.strategy_profile({"root": "In"})
    with pytest.raises(ValueError, match="player = 5"):
        tree.decision_nodes(5)


# --------------------------------------------------------------------------- properties
@given(game_trees(), st.sampled_from(["first", "last", "middle"]))
def test_backward_induction_is_subgame_perfect_and_respects_the_tie_rule(tree, rule):
    """For 2-3 players: the plan passes the one-shot deviation test at every node, each
    node's choice is the first/last/middle of the tied maximisers, and the payoffs are the
    plan's expected payoffs (reference evaluator)."""
    tie = (lambda node, tied: tied[len(tied) // 2]) if rule == "middle" else rule
    spe = tree.backward_induction(tie)
    assert set(spe.plan) == {d.label for d in all_decisions(tree.root)}
    for d in all_decisions(tree.root):
        tied = tied_actions(d, spe.plan, tree.exact)
        expected = {"first": tied[0], "last": tied[-1], "middle": tied[len(tied) // 2]}[rule]
        assert spe.plan[d.label] == expected
    np.testing.assert_allclose(np.array(spe.payoffs, dtype=float), ref_value(tree.root, spe.plan), atol=1e-9)
    if tree.exact:
        assert spe.payoffs == ref_exact_value(tree.root, spe.plan)
    assert math.isclose(float(sum(p for p, _ in spe.histories)), 1.0)


@given(game_trees())
def test_all_subgame_perfect_equilibria_match_brute_force(tree):
    """The enumeration equals the brute-force list (all plans filtered by the one-shot
    deviation test), has no duplicates, starts with the "first" rule's equilibrium and
    contains the "last" rule's."""
    spes = tree.subgame_perfect_equilibria()
    keys = [plan_key(s.plan) for s in spes]
    assert len(set(keys)) == len(keys)
    assert set(keys) == brute_force_spes(tree)
    assert spes[0] == tree.backward_induction("first")
    assert tree.backward_induction("last") in spes


@given(game_trees(max_decisions=5))
def test_equilibria_are_nash_equilibria_of_the_normal_form(tree):
    """Every entry of the full normal form equals the reference evaluation of the decoded
    profile; every SPE maps to a pure profile with regret <= 1e-9 and the same payoffs."""
    arrays = tree.normal_form_payoffs()
    shape = tree.normal_form_shape()
    assert all(a.shape == shape for a in arrays)
    for profile in np.ndindex(*shape):
        expected = ref_value(tree.root, plan_of_profile(tree, profile))
        np.testing.assert_allclose([float(a[profile]) for a in arrays], expected, atol=1e-9)
    for spe in tree.subgame_perfect_equilibria():
        profile = tree.strategy_profile(spe)
        assert plan_of_profile(tree, profile) == spe.plan
        assert regret(arrays, profile) <= 1e-9
        np.testing.assert_allclose([float(a[profile]) for a in arrays], np.array(spe.payoffs, float), atol=1e-9)


@given(game_trees(players=2, max_decisions=5))
def test_nashpy_confirms_the_equilibrium_in_the_normal_form(tree):
    nashpy = pytest.importorskip("nashpy")
    A, B = (np.array(a, dtype=float) for a in tree.normal_form_payoffs())
    game = nashpy.Game(A, B)
    for rule in ("first", "last"):
        spe = tree.backward_induction(rule)
        r, c = tree.strategy_profile(spe)
        sigma_r, sigma_c = np.eye(A.shape[0])[r], np.eye(A.shape[1])[c]
        np.testing.assert_allclose(game[sigma_r, sigma_c], np.array(spe.payoffs, float), atol=1e-9)
        row_regret = np.max(A @ sigma_c) - sigma_r @ A @ sigma_c
        col_regret = np.max(sigma_r @ B) - sigma_r @ B @ sigma_c
        assert max(row_regret, col_regret) <= 1e-9
        if tree.exact:  # equal rationals become equal floats: nashpy's exact test applies
            assert game.is_best_response(sigma_r, sigma_c) == (True, True)


def normal_form_game_class():
    from gametheory_aid.core.normal_form import NormalFormGame

    return NormalFormGame


def test_to_normal_form_of_the_entry_game():
    NormalFormGame = normal_form_game_class()
    game = entry_game().to_normal_form()
    assert isinstance(game, NormalFormGame)
    assert list(game.players) == ["Entrant", "Incumbent"]
    assert [list(s) for s in game.strategies] == [["Out", "In"], ["Fight", "Accommodate"]]
    # Hand-derived: the pure equilibria are (Out, Fight) and (In, Accommodate).
    pure = {tuple(int(np.argmax(s)) for s in e.as_arrays()) for e in game.pure_equilibria(exact=True)}
    assert pure == {(0, 0), (1, 1)}


@settings(max_examples=30)
@given(game_trees(exact=True, max_decisions=4))
def test_to_normal_form_certifies_the_equilibrium(tree):
    normal_form_game_class()
    game = tree.to_normal_form()
    assert tuple(game.shape) == tree.normal_form_shape()
    for spe in (tree.backward_induction("first"), tree.backward_induction("last")):
        profile = tree.strategy_profile(spe)
        onehot = [[Fraction(int(k == s)) for k in range(m)] for s, m in zip(profile, game.shape, strict=False)]
        assert game.regret(onehot) == 0
        assert tuple(game.payoff_vector(onehot)) == spe.payoffs


# --------------------------------------------------------------------------- Gambit
def read_back(tree):
    gambit = pytest.importorskip("pygambit", reason="pygambit is not installed: the .efg export is not checked")
    return gambit, gambit.read_efg(io.StringIO(tree.to_efg()))


def test_to_gambit_is_the_efg_read_by_gambit():
    gambit, game = read_back(entry_game())
    direct = entry_game().to_gambit()
    assert isinstance(direct, gambit.Game) and direct.title == "Entry game"
    assert direct.to_efg() == game.to_efg()


def gambit_personal_nodes(game):
    return [n for n in game.nodes if not n.is_terminal and not n.player.is_chance]


def gambit_profile(gambit, game, plan):
    """The pure behaviour profile of ``plan`` in Gambit (exact)."""
    profile = game.mixed_behavior_profile(rational=True)
    for infoset in game.infosets:
        if infoset.is_chance:
            continue
        for action in infoset.actions:
            profile[action] = gambit.Rational(int(action.label == plan[infoset.label]))
    return profile


def gambit_subgame_perfect(game, profile):
    """One-shot deviations with Gambit's own node values (conditional on reaching the node)."""
    return all(profile.node_value(n.player, n) >= max(profile.node_value(n.player, c) for c in n.children)
               for n in gambit_personal_nodes(game))


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(game_trees(exact=True, max_decisions=5))
def test_gambit_reads_the_efg_and_agrees(tree):
    gambit, game = read_back(tree)
    # Structure: players, personal nodes in preorder with their labels and actions.
    assert [p.label for p in game.players] == list(tree.players)
    ours = tree.decision_nodes()
    theirs = gambit_personal_nodes(game)
    assert [(n.label, n.player.label, [a.label for a in n.infoset.actions]) for n in theirs] == \
        [(d.label, tree.players[d.player], list(d.actions)) for d in ours]
    # Payoffs and subgame perfection of every SPE, by Gambit's evaluation.
    spes = tree.subgame_perfect_equilibria()
    for spe in spes:
        profile = gambit_profile(gambit, game, spe.plan)
        assert tuple(Fraction(profile.payoff(p)) for p in game.players) == spe.payoffs
        assert gambit_subgame_perfect(game, profile)
    # Gambit's subgame-perfect equilibria: its pure agent-form equilibria that pass the test.
    gambit_spes = set()
    for eq in gambit.nash.enumpure_agent_solve(game).equilibria:
        if gambit_subgame_perfect(game, eq):
            plan = {inf.label: next(a.label for a in inf.actions if eq[a] == 1)
                    for inf in game.infosets if not inf.is_chance}
            gambit_spes.add(plan_key(plan))
    assert gambit_spes == {plan_key(s.plan) for s in spes}
    # Gambit's pure Nash equilibria of its (reduced) strategic form = ours, reduced.
    arrays = tree.normal_form_payoffs()
    ours_ne = set()
    for profile in np.ndindex(*tree.normal_form_shape()):
        if all(max(a[tuple(slice(None) if j == i else profile[j] for j in range(len(profile)))]) == a[profile]
               for i, a in enumerate(arrays)):
            ours_ne.add(reduce_profile(game, plan_of_profile(tree, profile)))
    theirs_ne = set()
    for eq in gambit.nash.enumpure_solve(game).equilibria:
        theirs_ne.add(tuple(next(s.label for s in p.strategies if eq[s] == 1) for p in game.players))
    assert ours_ne == theirs_ne


def reduce_profile(game, plan):
    """The reduced strategy of each player (Gambit's labels) that agrees with ``plan``."""
    out = []
    for p in game.players:
        match = [s.label for s in p.strategies
                 if all(s.action(inf) is None or s.action(inf).label == plan[inf.label] for inf in p.infosets)]
        assert len(match) == 1
        out.append(match[0])
    return tuple(out)


@settings(max_examples=40)
@given(game_trees(exact=False, max_decisions=4))
def test_gambit_payoffs_agree_on_floating_point_trees(tree):
    """Float payoffs and probabilities survive the export (probabilities summing to exactly one)."""
    gambit, game = read_back(tree)
    spe = tree.backward_induction()
    profile = gambit_profile(gambit, game, spe.plan)
    np.testing.assert_allclose([float(profile.payoff(p)) for p in game.players], spe.payoffs,
                               rtol=1e-9, atol=1e-9)


def test_efg_quoting_and_numbers(tmp_path):
    tree = GameTree(Decision(0, {'say "hi"': Terminal((Fraction(1, 3), -2), label='back\\slash'),
                                 "tiny": Terminal((1.5e-7, 2.0))}, label='Ann\'s "move"'),
                    ["A", 'B "2"'], title='The "title"')
    tree.write_efg(tmp_path / "game.efg")
    gambit = pytest.importorskip("pygambit", reason="pygambit is not installed")
    game = gambit.read_efg(str(tmp_path / "game.efg"))
    assert game.title == 'The "title"' and [p.label for p in game.players] == ["A", 'B "2"']
    assert [a.label for a in game.root.infoset.actions] == ['say "hi"', "tiny"]
    assert game.root.label == 'Ann\'s "move"'
    outcomes = [(o.label, [Fraction(o[p]) for p in game.players]) for o in game.outcomes]
    # The tree is floating point (1.5e-7), so 1/3 became a double, written as the shortest
    # decimal that reads back as the same double.
    assert outcomes[0][0] == "back\\slash" and outcomes[0][1][1] == -2
    assert float(outcomes[0][1][0]) == 1 / 3 and float(outcomes[1][1][0]) == 1.5e-7


def test_efg_refuses_labels_it_cannot_quote():
    tree = GameTree(Decision(0, {"a\\": Terminal((0,))}), ["A"])
    with pytest.raises(ValueError, match="backslash may not end a label"):
        tree.to_efg()


def test_subgame_perfect_to_dict_is_json_ready():
    spe = entry_game().backward_induction()
    assert isinstance(spe, SubgamePerfect)
    data = json.loads(json.dumps(spe.to_dict()))
    assert data["plan"] == {"root": "In", "root/In": "Accommodate"} and data["payoffs"] == [1.0, 1.0]
    assert data["method"] == "backward induction" and data["exact"] is True


# -- deep and shared trees ---------------------------------------------------------------------------------

def deep_chain(rounds: int) -> Decision:
    """A chain of ``rounds`` decisions, each to act (a chance move) or to pass to the other player."""
    node = Terminal((0, 0), "lapse")
    for k in range(rounds - 1, -1, -1):
        act = Chance({"success": (Fraction(1, 2), Terminal((1, 1))), "failure": (Fraction(1, 2), Terminal((-3, -3)))})
        node = Decision(k % 2, {"act": act, "pass": node}, label=f"round {k}")
    return node


def test_a_tree_thousands_of_levels_deep_is_solved_and_exported():
    """Recursion would stop at Python's limit (about 1000 frames); every algorithm is iterative."""
    tree = GameTree(deep_chain(3000), players=["U", "L"], title="deep")
    spe = tree.backward_induction()
    # acting is worth (1 - 3) / 2 = -1 to either player, the lapse 0: everyone passes
    assert set(spe.plan.values()) == {"pass"} and spe.payoffs == (0, 0) and len(spe.path) == 3000
    assert tree.expected_payoffs(spe.plan) == (0, 0)
    assert len(tree.subgame_perfect_equilibria()) == 1
    text = tree.to_efg()
    assert text.count("\np ") == 3000 and text.count("\nc ") == 3000 and text.count("\nt ") == 6001
    assert repr(tree).count("\n") == 1 + 4 * 3000  # the title, then act, success, failure, pass per round
    with pytest.raises(ValueError, match="profiles"):
        tree.normal_form_payoffs()  # 2**1500 profiles per player: refused, not attempted


def test_task_pushdown_with_600_rounds_exports_as_efg():
    from gametheory_aid.models import get_model

    model = get_model("task-pushdown")(rounds=600)
    text = model.to_game(exact=True).to_efg()
    assert text.count("\np ") == 600 and text.count("\nc ") == 600 and text.count("\nt ") == 1201


def test_a_shared_subtree_is_one_node_solved_once():
    """Each level's two actions lead to the same node object: 2**30 paths but 30 nodes, one
    choice each, and every algorithm visits each node once."""
    node = Terminal((1, 2))
    for k in range(30):
        node = Decision(k % 2, {"a": node, "b": node})
    tree = GameTree(node, players=["A", "B"])
    assert len(tree.decision_nodes()) == 30
    calls = []
    spe = tree.backward_induction(tie=lambda n, tied: calls.append(n.label) or tied[-1])
    assert len(calls) == 30 and len(set(calls)) == 30  # every node decided once
    assert spe.path == ("b",) * 30 and spe.payoffs == (1, 2) and len(spe.plan) == 30
    assert tree.normal_form_shape() == (2 ** 15, 2 ** 15)
    with pytest.raises(EquilibriumLimitError):
        tree.subgame_perfect_equilibria(limit=1000)  # 2**30 plans, one per choice of each node
    assert repr(tree).count("(above)") == 29
    with pytest.raises(ValueError, match="2147483647 nodes"):
        tree.to_efg()  # a tree file writes every occurrence: refused before writing


def test_a_shared_node_keeps_one_choice_across_its_occurrences():
    """Two decisions lead to one shared node of player B with a tie: its SPEs choose once for
    both occurrences, and the .efg file puts both occurrences in one information set."""
    shared = Decision(1, {"x": Terminal((1, 0)), "y": Terminal((2, 0))}, label="B")
    root = Decision(0, {"l": Decision(0, {"go": shared, "stop": Terminal((0, 5))}, label="A2"), "r": shared},
                    label="A1")
    tree = GameTree(root, players=["A", "B"])
    assert [d.label for d in tree.decision_nodes()] == ["A1", "A2", "B"]
    plans = [spe.plan for spe in tree.subgame_perfect_equilibria()]
    # B is indifferent between x and y (0 either way); A then gets 1 or 2 from B's node along
    # both l-go and r, so A2 goes on (not 0 from stop) and A1 is indifferent between l and r
    assert sorted(tuple(p.values()) for p in plans) == [("l", "go", "x"), ("l", "go", "y"),
                                                        ("r", "go", "x"), ("r", "go", "y")]
    text = tree.to_efg()
    infosets = [line.split()[2:4] for line in text.splitlines() if line.startswith('p "B"')]
    assert infosets == [["2", "1"], ["2", "1"]]  # player 2, information set 1, twice
    outcomes = [line.split('"')[2].split()[0] for line in text.splitlines() if line.startswith("t ")]
    assert len(outcomes) == 5 and len(set(outcomes)) == 3  # the shared terminals keep their outcome


# --------------------------------------------------------------------------- hostile input
HOSTILE = [float("nan"), float("inf"), -float("inf"), None, "1", b"1", True, np.bool_(False), 1 + 2j,
           np.complex128(1), object(), np.datetime64("2020-01-01"), 10 ** 400, Fraction(10 ** 400), 1e301, -1e305,
           np.array([1.0]), np.array([]), np.array(5.0), [1, 2, 3], {"a": 1}, Decimal("NaN"), Decimal("1e400")]


def _tree_with(where, bad):
    """A small valid tree of two players with the hostile value ``bad`` put at ``where``."""
    pay = [(1, 2), (0, 0), (Fraction(1, 2), 3)]
    prob = [Fraction(1, 2), Fraction(1, 2)]
    player, label, action, players, title, root = 0, "", "a", ["A", "B"], "", None
    if where == "payoff":
        pay[1] = (bad, 0)
    elif where == "payoffs":
        pay[2] = bad
    elif where == "probability":
        prob[0] = bad
    elif where == "player":
        player = bad
    elif where == "label":
        label = bad
    elif where == "action":
        action = bad
    elif where == "players":
        players = bad
    elif where == "player name":
        players = ["A", bad]
    elif where == "title":
        title = bad
    else:
        root = bad

    def build():
        chance = Chance({"h": (prob[0], Terminal(pay[1])), "t": (prob[1], Terminal(pay[2]))})
        return GameTree(root if where == "root" else Decision(player, {action: Terminal(pay[0]), "z": chance},
                                                               label=label),
                        players, title=title)
    return build


@settings(max_examples=150)
@given(st.sampled_from(["payoff", "payoffs", "probability", "player", "label", "action", "players", "player name",
                        "title", "root"]),
       st.sampled_from(HOSTILE))
def test_hostile_values_in_a_tree_are_refused_with_a_package_error(where, bad):
    """Whatever is wrong and wherever it is, building the tree (its nodes included) raises the
    package's error naming it -- never TypeError, OverflowError, RecursionError or a silent
    conversion (b"1" as the payoff 49, True as 1, 10**400 as an unbounded payoff)."""
    from collections.abc import Hashable

    from hypothesis import assume

    from gametheory_aid.core.params import ParameterError

    assume(where != "action" or isinstance(bad, Hashable))  # a dict key must be hashable for Python itself
    assume(not (isinstance(bad, str) and where in ("label", "action", "player name", "title")))  # valid there
    with pytest.raises(ParameterError) as info:
        _tree_with(where, bad)()
    assert str(info.value)


@settings(max_examples=60)
@given(st.sampled_from(["payoff", "probability", "player", "label", "action", "title"]))
def test_valid_values_at_the_fuzzed_places_still_build(where):
    good = {"payoff": np.float64(-0.0), "probability": Fraction(1, 2), "player": np.int64(1), "label": "x",
            "action": "b", "title": "t"}[where]
    tree = _tree_with(where, good)()
    assert tree.backward_induction().payoffs


def test_huge_payoffs_and_bytes_are_refused_by_name():
    from gametheory_aid.core.gambit_io import MAX_PAYOFF
    from gametheory_aid.core.params import ParameterError

    for huge in (10 ** 400, Fraction(-(10 ** 400), 3), 1.0001 * MAX_PAYOFF):
        with pytest.raises(ParameterError, match="magnitude"):
            GameTree(Terminal((huge,)), ["A"])
    GameTree(Terminal((MAX_PAYOFF,)), ["A"])  # the limit itself is allowed
    with pytest.raises(ParameterError, match="sequence of numbers"):
        Terminal(b"12")  # would be the payoffs (49, 50)
    with pytest.raises(ParameterError, match="at most 32"):
        GameTree(Terminal((0,) * 33), [f"P{i}" for i in range(33)])


def test_a_deep_unlabelled_chain_is_refused_before_its_path_labels_are_made():
    """Labels made from paths grow with the square of the depth: a chain of 100000 unlabelled
    nodes would need 10**10 characters; it is refused at once, as is a tree with more nodes
    than the limit."""
    from gametheory_aid.core import gambit_io
    from gametheory_aid.core.params import ParameterError

    node = Terminal((0,))
    for _ in range(100_000):
        node = Decision(0, {"a": node})
    with pytest.raises(ParameterError, match="path"):
        GameTree(node, ["A"])
    # labelled, the same chain builds (and is solved without recursion)
    node = Terminal((0,))
    for k in range(100_000):
        node = Decision(0, {"a": node}, label=f"n{k}")
    assert len(GameTree(node, ["A"]).decision_nodes()) == 100_000
    wide = Decision(0, {f"a{k}": Terminal((k,)) for k in range(gambit_io.MAX_TREE_NODES)})
    with pytest.raises(ParameterError, match=f"more than {gambit_io.MAX_TREE_NODES} distinct nodes"):
        GameTree(wide, ["A"])


# --------------------------------------------------------------------------- .efg reader
def _same_equilibria(a, b):
    assert [s.payoffs for s in a.subgame_perfect_equilibria()] == [s.payoffs for s in b.subgame_perfect_equilibria()]
    assert a.backward_induction().plan == b.backward_induction().plan


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(game_trees(exact=True))
def test_efg_round_trip_of_random_exact_trees(tree):
    back = GameTree.from_efg(tree.to_efg())
    assert back.exact and back.players == tree.players
    assert [d.label for d in back.decision_nodes()] == [d.label for d in tree.decision_nodes()]
    _same_equilibria(tree, back)
    assert back.to_efg() == tree.to_efg()


@pytest.mark.parametrize("rounds", [1, 2, 7, 600])
def test_efg_round_trip_of_task_pushdown(rounds, tmp_path):
    from gametheory_aid.models import get_model

    model = get_model("task-pushdown")(rounds=rounds)
    tree = model.to_game(exact=True)
    path = tmp_path / "pushdown.efg"
    tree.write_efg(path)
    back = GameTree.from_efg(path)
    assert back.title == tree.title and back.players == tree.players
    spe, spe_back = tree.backward_induction(), back.backward_induction()
    assert spe_back.payoffs == spe.payoffs and spe_back.plan == spe.plan
    if rounds < 10:
        _same_equilibria(tree, back)


def test_efg_round_trip_restores_shared_nodes():
    shared = Decision(1, {"x": Terminal((1, 0)), "y": Terminal((2, 0))}, label="B")
    root = Decision(0, {"l": Decision(0, {"go": shared, "stop": Terminal((0, 5))}, label="A2"), "r": shared},
                    label="A1")
    tree = GameTree(root, players=["A", "B"])
    back = GameTree.from_efg(tree.to_efg())
    assert [d.label for d in back.decision_nodes()] == ["A1", "A2", "B"]  # B is one node again
    assert back.root.actions["r"] is back.node("A2").actions["go"]
    _same_equilibria(tree, back)


def test_efg_reader_reads_gambit_conventions():
    """Outcomes referred to by number alone, a terminal without outcome (all zero), the
    'D' number type, decimals and rationals; the result agrees with the tree built by hand."""
    text = ('EFG 2 D "entry" { "E" "I" }\n"a comment"\n\n'
            'p "" 1 1 "" { "Out" "In" } 0\n'
            't "" 0\n'
            'p "" 2 1 "" { "Fight" "Acc" } 0\n'
            't "" 1 "war" { -1.5, -1 }\n'
            'c "" 1 "" { "x" 0.25 "y" 3/4 } 0\n'
            't "" 1\n'
            't "" 2 "peace" { 1 1e0 }\n')
    tree = GameTree.from_efg(text)
    assert tree.title == "entry" and tree.players == ("E", "I") and tree.exact
    hand = GameTree(Decision(0, {"Out": Terminal((0, 0)), "In": Decision(1, {
        "Fight": Terminal((Fraction(-3, 2), -1)),
        "Acc": Chance({"x": (Fraction(1, 4), Terminal((Fraction(-3, 2), -1))),
                       "y": (Fraction(3, 4), Terminal((1, 1)))})})}),
        ["E", "I"])
    _same_equilibria(tree, hand)
    assert tree.expected_payoffs({"root": "In", "root/In": "Acc"}) == (Fraction(3, 8), Fraction(1, 2))
    assert tree.n_players == 2
    with pytest.raises(KeyError, match="no decision node labelled 'x'"):
        tree.node("x")
    with pytest.raises(ValueError, match="must be a mapping"):
        tree.expected_payoffs(["Out"])
    with pytest.raises(ValueError, match="is not one of"):
        tree.expected_payoffs({"root": "Up", "root/In": "Acc"})


BAD_EFG = [
    pytest.param('EFG 2 R "" { "A" }\n""\np "" 1 1 "" { "a" "b" } 0\nt "" 1 "" { 1 }\n', "truncated", id="truncated"),
    pytest.param('EFG 2 R "" { "A" }\n""\nt "" 1 "" { 1 }\nt "" 0\n', "after the last node", id="extra-node"),
    pytest.param('EFG 2 R "" { "A" }\n""\nt "" 1 "" { 1e99999999 }\n', "exponent", id="huge-exponent"),
    pytest.param('EFG 2 R "" { "A" }\n""\nt "" 1 "" { 1e400 }\n', "exceeds", id="huge-payoff"),
    pytest.param('EFG 2 R "" { "A" }\n""\np "" 1 3000000000 "" { "a" } 0\nt "" 0\n', "information set number",
                 id="huge-infoset"),
    pytest.param('EFG 2 R "" { "A" }\n""\np "" 2 1 "" { "a" } 0\nt "" 0\n', "player number", id="player-range"),
    pytest.param('EFG 2 R "" { "A" }\n""\nt "" 1 "" { 1 2 }\n', "2 payoffs; expected 1", id="payoff-count"),
    pytest.param('EFG 2 R "" { "A" }\n""\nt "" 3\n', "before its payoffs", id="outcome-undefined"),
    pytest.param('EFG 2 R "" { "A" }\n""\nc "" 1 "" { "h" 1/2 "t" 1/3 } 0\nt "" 0\nt "" 0\n', "sum to exactly 1",
                 id="probabilities"),
    pytest.param('EFG 2 R "" { "A" "B" }\n""\np "" 1 1 "" { "a" "b" } 0\np "" 2 1 "" { "x" } 0\nt "" 0\n'
                 'p "" 2 1 "" { "x" } 0\nt "" 1 "" { 1 1 }\n', "perfect information", id="imperfect-information"),
    pytest.param('EFG 2 R "" { "A" }\n""\np "" 1 1 "" { "a" "a" } 0\nt "" 0\nt "" 0\n', "distinct",
                 id="duplicate-actions"),
    pytest.param('EFG 2 R "" { "A" }\n""\np "" 1 1 "" { "a" } 1 "" { 3 }\nt "" 0\n', "terminal nodes only",
                 id="inner-payoff"),
    pytest.param('EFG 2 R "" { "A" "A" }\n""\nt "" 0\n', "unique", id="duplicate-players"),
    pytest.param('EFG 2 R "" { ' + '"P" ' * 33 + '}\n""\nt "" 0\n', "more than 32 players", id="many-players"),
    pytest.param('EFG 2 R "" { "A" }\n""\nq "" 0\n', "not p, c or t", id="node-type"),
    pytest.param('EFG 2 R "" { "A" }\n""\np "" 1 1 "" { } 0\n', "no actions", id="no-actions"),
    pytest.param('EFG 2 R "" { "A" }\n""\np "" 1 1 "" { "a" "b" } 0\nt "" 1 "" { 1 }\nt "" 1 "" { 2 }\n',
                 "before", id="outcome-changed"),
    pytest.param('EFG 2 R "" { "A" }\n""\np "n" 1 1 "" { "a" "b" } 0\np "n" 1 2 "" { "x" } 0\nt "" 0\n'
                 't "" 1 "" { 1 }\n', "named 'n'", id="duplicate-names"),
    pytest.param('EFG 2 R "" { }\n""\nt "" 0\n', "no players", id="no-players"),
    pytest.param('EFG 3 R "" { "A" }\n""\nt "" 0\n', "version", id="version"),
    pytest.param('EFG 2 Q "" { "A" }\n""\nt "" 0\n', "must be R or D", id="number-type"),
    pytest.param('NFG 1 R "" { "A" }\n', "expected 'EFG'", id="not-efg"),
    pytest.param(b'\xff\xfe', "UTF-8", id="not-utf8"),
    pytest.param("", "expected 'EFG'", id="empty"),
]


@pytest.mark.parametrize("text, message", BAD_EFG)
def test_bad_efg_files_raise_format_errors_naming_what_and_where(text, message):
    from gametheory_aid.core.gambit_io import GambitFormatError

    with pytest.raises(GambitFormatError, match=message) as info:
        GameTree.from_efg(text)
    if isinstance(text, str) and text.startswith("EFG") and message not in ("exponent", "unique", "exceeds"):
        assert "line " in str(info.value)
    assert "position" in str(info.value) or message in ("UTF-8", "unique")


def test_efg_reader_bounds_the_number_of_nodes_before_building(monkeypatch):
    from gametheory_aid.core import gambit_io

    monkeypatch.setattr(gambit_io, "MAX_TREE_NODES", 10)
    text = 'EFG 2 R "" { "A" }\n""\np "" 1 1 "" { ' + " ".join(f'"a{k}"' for k in range(8)) + ' } 0\n' \
        + 'p "" 1 2 "" { "x" "y" "z" "w" } 0\n' + 't "" 0\n' * 11
    with pytest.raises(gambit_io.GambitFormatError, match="more than 10 nodes"):
        GameTree.from_efg(text)
    with pytest.raises(gambit_io.GambitFormatError, match="more than 10 actions"):
        GameTree.from_efg('EFG 2 R "" { "A" }\n""\np "" 1 1 "" { ' + '"a" ' * 11 + '} 0\n')
    with pytest.raises(gambit_io.GameInputError, match="expected text"):
        gambit_io.parse_efg(b"EFG 2")


def _valid_efg_texts():
    entry = entry_game().to_efg()
    chance = GameTree(Chance({"h": (Fraction(1, 3), Decision(0, {"a": Terminal((1, 2)), "b": Terminal((0, 5))})),
                              "t": (Fraction(2, 3), Terminal((Fraction(-7, 2), 1)))}), ["P", "Q"], "c").to_efg()
    return [entry, chance]


@settings(max_examples=300)
@given(st.data())
def test_efg_reader_fuzz_truncated_mutated_and_random_input(data):
    """Truncated and mutated valid files and random bytes: the reader returns a tree or raises
    a GambitFormatError (a package error) -- never another exception or a hang."""
    from gametheory_aid.core.gambit_io import GambitFormatError

    text = data.draw(st.sampled_from(_valid_efg_texts()))
    how = data.draw(st.sampled_from(["truncate", "mutate", "insert", "bytes"]))
    if how == "truncate":
        source = text[:data.draw(st.integers(0, len(text)))].encode()
    elif how == "mutate":
        k = data.draw(st.integers(0, len(text) - 1))
        piece = data.draw(st.sampled_from(['"', "{", "}", "0", "9", "-", "/", "e", "p", "c", "t", " ", "\\", "1e999",
                                           "3000000000", "x", "\n"]))
        source = (text[:k] + piece + text[k + 1:]).encode()
    elif how == "insert":
        k = data.draw(st.integers(0, len(text)))
        source = (text[:k] + data.draw(st.text(max_size=8)) + text[k:]).encode()
    else:
        source = data.draw(st.binary(max_size=200))
    try:
        tree = GameTree.from_efg(source)
    except GambitFormatError as exc:
        assert str(exc).startswith("Gambit .efg")
    else:
        tree.backward_induction()  # whatever was read is a valid tree
