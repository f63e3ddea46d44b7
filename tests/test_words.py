"""The words follow the numbers: every number a sentence quotes is the solution's, every direction
word agrees with the numbers beside it, and the threshold and plea sentences match the solution.

The expected values are recomputed from ``model.with_(transparency=t).solve()`` at each level,
independently of the sentence builders.
"""
from __future__ import annotations

import dataclasses
import math
import re

import numpy as np
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
    unserved = not cut and same(first["quota_weak_first_best"], 0)  # a <= theta_w: no task even at first best
    assert (("not worth a task" in text) if lang == "en" else ("不值得承担任务" in text)) == unserved
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
    cut = r0["quota_weak"] < r0["quota_weak_first_best"] and not same(r0["quota_weak"], r0["quota_weak_first_best"])
    unserved = not cut and same(r0["quota_weak_first_best"], 0)
    assert ("not worth a task" in text or "不值得承担任务" in text) == unserved
    check_claims(text)


# -- task-pushdown: the channels sentence says what more transparency does to completion --------------------
def _effect_sign(before, after, t0, t1) -> int:
    """The sign of the move of an output as transparency rises (0 where the levels or the values read alike)."""
    if same(t0, t1) or same(before, after):
        return 0
    return (1 if after > before else -1) * (1 if t1 > t0 else -1)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(model=scalars("task-pushdown"), levels=levels_st, lang=st.sampled_from(LANGS))
def test_task_pushdown_channels_follow_completion(model, levels, lang):
    final = build_section(model, levels, lang).sentences[-1]
    c0, c1 = (model.with_(transparency=t).solve().to_dict()["completion_probability"] for t in (levels[0],
                                                                                                 levels[-1]))
    quoted = {format_number(x) for x in (c0, c1, levels[0], levels[-1])}
    for n in numbers(final):
        assert n in quoted, (n, final)
    sign = _effect_sign(c0, c1, levels[0], levels[-1])
    lowers = "lowers completion" in final or "反而降低" in final
    assert lowers == (sign == -1), final
    if sign:
        assert check_claims(final) == 1
    assert ("worth less" in final or "减少避责动机" in final) == (sign == 1)


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


# -- every model, both languages: numbers from the solution, direction and effect words from the numbers ------
#: Words that say what more transparency does, with the sign of the move they claim.
EFFECT_WORDS = ((re.compile(r"transparency helps|有利于"), 1),
                (re.compile(r"transparency raises|反而(提高|增加|加剧)"), 1),
                (re.compile(r"transparency lowers|反而降低"), -1), (re.compile(r"transparency curbs|抑制了"), -1))
#: The two levels a sentence compares: "from τ = a to τ = b" / "从 τ = a 到 τ = b", or "against τ = a" (to τ = 1).
SPAN = re.compile(r"(?:from|从) τ = (\S+?) (?:to|到) τ = ([^\s,，:：]+)", re.IGNORECASE)
AGAINST = re.compile(r"(?:against|与) τ = ([^\s,，:：]+)")


def _values(x):
    """Every number in a result, a fact or a parameter value (nested results, dataclasses, arrays)."""
    if isinstance(x, (bool, np.bool_, str)) or x is None:
        return
    if hasattr(x, "to_dict"):
        yield from _values(x.to_dict())
    elif dataclasses.is_dataclass(x):
        yield from _values({f.name: getattr(x, f.name) for f in dataclasses.fields(x)})
    elif isinstance(x, dict):
        for v in x.values():
            yield from _values(v)
    elif isinstance(x, (list, tuple)):
        for v in x:
            yield from _values(v)
    elif isinstance(x, np.ndarray):
        for v in x.ravel().tolist():
            yield from _values(v)
    elif isinstance(x, (int, float, np.integer, np.floating)):
        yield float(x)


def _quotable(*sources) -> set:
    """The numbers as prose prints them, their negatives too (a cut is said as a positive amount)."""
    out = {str(i) for i in range(11)}  # step numbers, target and channel numbers, counts
    for v in _values(list(sources)):
        out |= {format_number(v + 0.0), format_number(-v + 0.0)}
    return out


def check_effects(line: str) -> None:
    """A word on what transparency does agrees with a move it quotes, read in the direction of rising τ."""
    for words, sign in EFFECT_WORDS:
        if not words.search(line):
            continue
        span, against = SPAN.search(line), AGAINST.search(line)
        if span:
            t0, t1 = float(span[1]), float(span[2])
        elif against:
            t0, t1 = float(against[1]), 1.0
        else:
            continue  # a general remark, not a claim about two levels
        moves = [_effect_sign(float(b), float(a), t0, t1) for _, b, a in CLAIM.findall(line)]
        assert sign in moves, (words.pattern, line)


def _report_models():
    return [pytest.param(n, id=n) for n in model_names()
            if get_model(n).story is not None and get_model(n).story.in_report and get_model(n).story.sentences]


def _demo_models():
    return [pytest.param(n, id=n) for n in model_names()
            if get_model(n).story is not None and get_model(n).story.demo is not None]


#: Fewer examples for the models whose section solves an optimisation (a few tenths of a second each).
_SLOW = {"strategy-portfolio", "contracting-stage"}


@pytest.mark.parametrize("name", _report_models())
def test_every_report_sentence_quotes_the_solution(name):
    @settings(max_examples=6 if name in _SLOW else 20, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(model=scalars(name), levels=levels_st, lang=st.sampled_from(LANGS))
    def check(model, levels, lang):
        section = build_section(model, levels, lang)
        rows = [model.with_(transparency=t).solve() for t in levels]
        cls = type(model)
        facts = dict(cls.story.analyses(model)) if cls.story.analyses else {}
        facts.update({k: rows[0].to_dict()[k] for k in cls.story.thresholds})
        quoted = _quotable(levels, rows, facts, dict(model.params))
        for line in section.sentences:
            for n in numbers(line):
                assert n in quoted, (n, line)
            check_claims(line)
            check_effects(line)

    check()


@pytest.mark.parametrize("name", _demo_models())
def test_every_demo_line_quotes_the_solution(name):
    @settings(max_examples=4 if name in _SLOW else 15, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(model=scalars(name), t=st.floats(0, 1), lang=st.sampled_from(LANGS))
    def check(model, t, lang):
        model = model.with_(transparency=t)
        steps = model.story.demo(model, lang)
        sources = [dict(model.params), model.solve(), model.with_(transparency=0.0).solve(),
                   model.with_(transparency=1.0).solve()]
        if name == "strategy-portfolio":  # the most used channel blocked, and where a budget should go first
            r0 = model.solve().to_dict()
            k = max(range(model.n), key=lambda i: (r0["intensity"][i], -i))
            blocked = list(model.params["channel_transparency"])
            blocked[k] = 1.0
            sources += [model.with_(channel_transparency=blocked).solve(), model.optimal_targeting(1.0)]
        if name == "contracting-stage":
            sources.append(model.optimal_transparency())
        quoted = _quotable(*sources)
        for line in (text for s in steps for text in (s.heading, *s.lines)):
            for n in numbers(line):
                assert n in quoted, (n, line)
            check_claims(line)
            check_effects(line)

    check()


@pytest.mark.parametrize("line, agrees", [
    pytest.param("From τ = 0 to τ = 1 completion falls (0.7 → 0.68): here transparency lowers completion.", True,
                 id="lowers-falls"),
    pytest.param("From τ = 1 to τ = 0 completion rises (0.68 → 0.7): here transparency lowers completion.", True,
                 id="lowers-read-backwards"),
    pytest.param("From τ = 0 to τ = 1 completion rises (0.68 → 0.7): here transparency lowers completion.", False,
                 id="lowers-but-rises"),
    pytest.param("从 τ = 0 到 τ = 1，中央总收益下降（44.4 → 30.3）：透明度有利于中央。", False,
                 id="zh-helps-but-falls"),
    pytest.param("扣除平台成本前，从 τ = 0 到 τ = 1 中央总收益上升（30.3 → 44.4）：透明度有利于中央。", True,
                 id="zh-helps"),
    pytest.param("The platform flags false reports itself: against τ = 0.5, collusion rises (0 → 0.3): here "
                 "transparency raises collusion.", True, id="against"),
])
def test_the_effect_check_can_fail(line, agrees):
    if agrees:
        check_effects(line)
    else:
        with pytest.raises(AssertionError):
            check_effects(line)


# -- task-pushdown: the accountability response, recomputed by scaling the blames one by one --------------
@pytest.mark.parametrize("params", [
    pytest.param({}, id="defaults"),
    pytest.param({"decision_support": 0.5}, id="decision-support"),
    pytest.param({"blame_stickiness": 1.0}, id="all-blame-sticks"),
    pytest.param({"cost_upper": 3.0, "cost_lower": 3.0}, id="lapses-at-once"),
    pytest.param({"transparency": 1.0}, id="full-transparency"),
])
@pytest.mark.parametrize("lang", LANGS)
def test_task_pushdown_reports_where_more_blame_makes_the_task_fall_through(params, lang):
    from gametheory_aid.models.task_pushdown_story import BLAME_SCALES

    model = get_model("task-pushdown")(**params)
    section = build_section(model, [0, 1], lang)
    fact = section.facts["accountability"]

    def lapse_from(m):
        b_u, b_l = m.params["blame_upper"], m.params["blame_lower"]
        for k in BLAME_SCALES:
            if bool(m.with_(blame_upper=k * b_u, blame_lower=k * b_l).solve().lapsed):
                return float(k)
        return math.inf

    k0, k1 = lapse_from(model), lapse_from(model.with_(transparency=1.0))
    assert (fact["lapse_from"], fact["lapse_from_full_transparency"]) == (k0, k1)
    line = next(s for s in section.sentences if s.startswith(("Accountability", "问责强度")))
    assert ((format_number(k0) in line) if math.isfinite(k0) else
            ("never falls through" in line or "都不会落空" in line))
    check_claims(line)
    if math.isfinite(k0) and not math.isfinite(k1) and not same(model.params["transparency"], 1):
        assert "no longer" in line or "直到" in line


# -- every case of the words on thresholds and optima, in both languages --------------------------------------
def _optimal(t, net=1.0, base=1.0):
    from gametheory_aid.models.contracting_stage import OptimalTransparency

    return OptimalTransparency(transparency=t, centre_total=net, net_value=net, platform_cost=2.0, value_without=base)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("module, call, en, zh", [
    pytest.param("poverty_bargaining_story", lambda m, lang: m._threshold(0.0, lang), "already at τ = 0", "即已",
                 id="bargaining-zero"),
    pytest.param("poverty_bargaining_story", lambda m, lang: m._threshold(1.5, lang), "No transparency level",
                 "没有任何", id="bargaining-never"),
    pytest.param("joint_blame_story", lambda m, lang: m._deterrence(0.0, lang), "already at τ = 0", "τ = 0 时",
                 id="deterrence-zero"),
    pytest.param("joint_blame_story", lambda m, lang: m._deterrence(math.inf, lang), "No transparency level",
                 "没有任何", id="deterrence-never"),
    pytest.param("joint_blame_story", lambda m, lang: m._reward(0.0, math.inf, lang), "no whistleblower reward would",
                 "任何举报奖励都不能", id="reward-never"),
    pytest.param("resource_allocation_story", lambda m, lang: m._threshold(0.0, lang, True), "above τ = 0", "τ > 0",
                 id="allocation-above-zero"),
    pytest.param("resource_allocation_story", lambda m, lang: m._threshold(0.0, lang, False), "at any transparency",
                 "任何透明度下", id="allocation-never-marginalised"),
    pytest.param("resource_allocation_story", lambda m, lang: m._threshold(math.inf, lang, True),
                 "Even full transparency", "即使完全透明", id="allocation-never"),
    pytest.param("strategy_portfolio_story", lambda m, lang: m._threshold(0.0, lang), "no strategy at any",
                 "任何透明度下都不使用", id="portfolio-zero"),
    pytest.param("strategy_portfolio_story", lambda m, lang: m._threshold(math.inf, lang), "even a fully transparent",
                 "即使平台完全透明", id="portfolio-never"),
    pytest.param("contracting_stage_story", lambda m, lang: m._optimum(_optimal(0.0), lang), "no platform is worth",
                 "不值得投入", id="optimum-zero"),
    pytest.param("contracting_stage_story", lambda m, lang: m._helps(2.0, 1.0, 0.0, 1.0, lang),
                 "here transparency lowers", "反而降低", id="hurts"),
    pytest.param("contracting_stage_story", lambda m, lang: m._helps(2.0, 2.0, 0.0, 1.0, lang),
                 "leaves the centre's total", "没有改变", id="no-effect"),
])
def test_threshold_and_optimum_words(module, call, en, zh, lang):
    import importlib

    text = call(importlib.import_module(f"gametheory_aid.models.{module}"), lang)
    assert (en if lang == "en" else zh) in text


@pytest.mark.parametrize("k0, k1, t, en, zh", [
    pytest.param(1.0, 2.0, 0.0, "the scale at which it does rises (1 → 2)", "上升（1 → 2）", id="moves-up"),
    pytest.param(1.0, 1.0, 0.0, "just the same", "同样如此", id="same"),
    pytest.param(math.inf, 2.0, 0.0, "though, it first does at κ = 2", "反而开始落空", id="only-with-transparency"),
    pytest.param(math.inf, math.inf, 0.0, "nor with full transparency", "同样不会", id="never"),
    pytest.param(1.0, 1.0, 1.0, "at κ = 1.", "开始落空。", id="at-full-transparency"),
])
@pytest.mark.parametrize("lang", LANGS)
def test_accountability_words(k0, k1, t, en, zh, lang):
    from gametheory_aid.models.task_pushdown_story import _accountability

    facts = {"accountability": {"transparency": t, "max_scale": 4.0, "lapse_from": k0,
                                "lapse_from_full_transparency": k1}}
    text = _accountability(facts, lang)
    assert (en if lang == "en" else zh) in text
    check_claims(text)


@pytest.mark.parametrize("lang, words", [pytest.param("en", "completion probability", id="en"),
                                         pytest.param("zh", "完成概率", id="zh")])
def test_task_pushdown_walkthrough_at_full_transparency_says_no_move(lang, words):
    model = get_model("task-pushdown")(transparency=1.0)
    c1 = float(model.solve().completion_probability)
    last = model.story.demo(model, lang)[-1].lines[-1]
    assert last.endswith(f"{words} {format_number(c1)}.") or last.endswith(f"{words} {format_number(c1)}。")
    assert check_claims(last) == 0
