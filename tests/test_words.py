"""The words follow the numbers: every number a sentence quotes is the solution's, every direction
word agrees with the numbers beside it, and the threshold and plea sentences match the solution.

The expected values are recomputed from ``model.with_(transparency=t).solve()`` at each level,
independently of the sentence builders.
"""
from __future__ import annotations

import math
import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gametheory_aid.core.params import ParameterError
from gametheory_aid.models import get_model, model_names
from gametheory_aid.models.story import direction, format_number, same
from gametheory_aid.report import build_section

LANGS = ("en", "zh")
#: A number as prose prints it (format_number: 3 significant figures, maybe an exponent).
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[+-]\d+)?|∞|n/a")
#: A direction word with the two numbers it describes: "rises (0 → 8)", "上升（0 → 8）".
CLAIM = re.compile(r"(rises|falls|stays|上升|下降|不变)\s*[(（](\S+) → ([^;；)）\s]+)")
WORDS = {"rises": 1, "上升": 1, "falls": -1, "下降": -1, "stays": 0, "不变": 0}

levels_st = st.lists(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0]) | st.floats(0, 1), min_size=1,
                     max_size=4)


@st.composite
def scalars(draw, name: str):
    """A model at its defaults with each float parameter (but transparency) scaled by a drawn factor."""
    cls = get_model(name)
    changes = {}
    for key, spec in cls.parameter_specs().items():
        if key.endswith("transparency") or spec.vector or not isinstance(spec.default, float):
            continue
        if draw(st.booleans()):
            changes[key] = spec.default * draw(st.floats(0.0, 2.0)) if spec.default else draw(st.floats(0.0, 1.0))
    try:
        model = cls(**changes)
        model.solve()
    except ParameterError:
        assume(False)
    return model


def numbers(text: str) -> list:
    return NUMBER.findall(text)


def check_claims(text: str) -> int:
    """Every direction word agrees with the sign of after - before (at the printed precision)."""
    found = 0
    for word, before, after in CLAIM.findall(text):
        found += 1
        b, a = float(before), float(after)
        sign = 0 if same(b, a) else (1 if a > b else -1)
        assert WORDS[word] == sign, (word, before, after, text)
    return found


def test_direction_and_same():
    assert [direction(0, 8), direction(8, 0), direction(0.7, 0.7001)] == ["rises", "falls", "stays"]
    assert [direction(0, 8, "zh"), direction(8, 0, "zh"), direction(1, 1, "zh")] == ["上升", "下降", "不变"]
    assert same(1, 1.0001) and not same(1, 1.01)


# -- pleading-poverty: every quoted number, the plea, the cut and the threshold ------------------------------
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(model=scalars("pleading-poverty"), levels=levels_st, lang=st.sampled_from(LANGS))
def test_pleading_poverty_sentences_quote_the_solution(model, levels, lang):
    section = build_section(model, levels, lang)
    rows = [model.with_(transparency=t).solve().to_dict() for t in levels]
    first, last = rows[0], rows[-1]
    quoted = {format_number(t) for t in levels}
    for row in (first, last):
        quoted |= {format_number(row[k]) for k in ("naive_pleading_gain", "rent_strong", "quota_weak",
                                                   "quota_weak_first_best", "threshold_transparency")}
    quoted.add("0")  # "already at τ = 0"
    text = "\n".join(section.sentences)
    for n in numbers(text):
        assert n in quoted, (n, text)
    check_claims(text)
    pleads = first["naive_pleading_gain"] > 0 and not same(first["naive_pleading_gain"], 0)
    assert (("would gain" in text) if lang == "en" else ("可多得" in text)) == pleads
    cut = first["quota_weak"] < first["quota_weak_first_best"] and not same(
        first["quota_weak"], first["quota_weak_first_best"])
    assert (("cuts the weak" in text) if lang == "en" else ("压到" in text)) == cut
    tau = first["threshold_transparency"]
    final = section.sentences[-1]
    if tau <= 0:
        assert "τ = 0" in final and ("already" in final or "即已" in final)
    elif not tau <= 1:
        assert "No transparency level" in final or "没有任何" in final
    else:
        assert format_number(tau) in final
    if len(section.sentences) == 3:  # the move from the first level to the last
        move = direction(first["rent_strong"], last["rent_strong"])
        words = {"en": {"falls": "worth less", "rises": "rent rises", "stays": "leaves the rent"},
                 "zh": {"falls": "不再划算", "rises": "反而上升", "stays": "没有改变"}}[lang]
        assert words[move] in section.sentences[1]
    else:
        assert same(levels[0], levels[-1])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(model=scalars("pleading-poverty"), t=st.floats(0, 1), lang=st.sampled_from(LANGS))
def test_pleading_poverty_demo_quotes_the_solution(model, t, lang):
    model = model.with_(transparency=t)
    steps = model.story.demo(model, lang)
    r0, r1 = model.solve().to_dict(), model.with_(transparency=1.0).solve().to_dict()
    quoted = {format_number(v) for v in model.params.values()} | {"1", "2", "3", "4", "0"}
    quoted |= {format_number(v) for r in (r0, r1) for v in r.values() if isinstance(v, float)}
    text = "\n".join(line for s in steps for line in (s.heading, *s.lines))
    for n in numbers(text):
        assert n in quoted, (n, text)
    pleads = r0["naive_pleading_gain"] > 0 and not same(r0["naive_pleading_gain"], 0)
    assert ("pleads poverty." in text or "这就是装穷叫苦" in text) == pleads
    check_claims(text)


# -- task-pushdown: the channels sentence says what completion does -----------------------------------------
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(model=scalars("task-pushdown"), levels=levels_st, lang=st.sampled_from(LANGS))
def test_task_pushdown_channels_follow_completion(model, levels, lang):
    final = build_section(model, levels, lang).sentences[-1]
    c0, c1 = (model.with_(transparency=t).solve().to_dict()["completion_probability"] for t in (levels[0],
                                                                                                 levels[-1]))
    quoted = {format_number(x) for x in (c0, c1, levels[0], levels[-1])}
    for n in numbers(final):
        assert n in quoted, (n, final)
    move = "stays" if same(levels[0], levels[-1]) else direction(c0, c1)
    lowers = "lowers completion" in final or "反而降低" in final
    assert lowers == (move == "falls"), final
    if move == "rises":
        assert check_claims(final) == 1
    assert ("worth less" in final or "减少避责动机" in final) == (move == "rises")


# -- every model: no direction word next to two numbers contradicts them ------------------------------------
@pytest.mark.parametrize("name", [pytest.param(n, id=n) for n in model_names()])
@pytest.mark.parametrize("levels", [pytest.param([0, 0.5, 1], id="up"), pytest.param([1, 0], id="down"),
                                    pytest.param([0.5], id="one"), pytest.param([0.3, 0.3], id="repeated")])
@pytest.mark.parametrize("lang", LANGS)
def test_no_direction_word_contradicts_its_numbers(name, levels, lang):
    cls = get_model(name)
    if cls.story is None or not cls.story.in_report:
        pytest.skip("no report section")
    text = "\n".join(build_section(name, levels, lang).sentences)
    check_claims(text)


@pytest.mark.parametrize("tau, en, zh", [
    pytest.param(0.0, "The first best holds already at τ = 0.", "τ = 0 时即已达到完全信息最优。", id="at-zero"),
    pytest.param(0.5, "The first best holds from τ ≥ 0.5.", "τ ≥ 0.5 时达到完全信息最优。", id="inside"),
    pytest.param(1.5, "No transparency level reaches the first best.", "没有任何透明度水平能达到完全信息最优。",
                 id="above-one"),
    pytest.param(math.inf, "No transparency level reaches the first best.", "没有任何透明度水平能达到完全信息最优。",
                 id="never"),
])
def test_the_threshold_sentence_says_where_the_first_best_starts(tau, en, zh):
    cls = get_model("pleading-poverty")
    table = cls().compare([0, 1])
    facts = {"threshold_transparency": tau}
    assert cls.story.sentences(table, facts, "en")[-1] == en
    assert cls.story.sentences(table, facts, "zh")[-1] == zh


@pytest.mark.parametrize("lang, words", [pytest.param("en", "completion stays at", id="en"),
                                         pytest.param("zh", "完成概率不变", id="zh")])
def test_task_pushdown_says_when_completion_does_not_move(lang, words):
    model = get_model("task-pushdown")(decision_support=0.0, blame_stickiness=1.0)
    c0, c1 = (float(model.with_(transparency=t).solve().completion_probability) for t in (0, 1))
    assert same(c0, c1)  # the premise, from the model itself
    final = build_section(model, [0, 1], lang).sentences[-1]
    assert words in final and format_number(c1) in final
