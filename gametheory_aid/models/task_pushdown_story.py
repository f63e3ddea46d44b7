"""The story of ``task-pushdown``: its report section, figure, classroom walkthrough and terms.

The Upper (the aiding government) pushes the task down (向下转移任务压力), the Lower escalates
it back up (反向避责), and passing to and fro lets the task fall through (任务落空).  The
sentences and the walkthrough read every number from the model's solution.
"""
from __future__ import annotations

import math

import numpy as np

from .story import DemoStep, Figure, Story, change, effect, format_number, same

__all__ = ["STORY", "BLAME_SCALES", "analyses"]

_f = format_number

#: The actors in Chinese (the model's outputs name them in English).
_ZH_ACTOR = {"upper": "上级", "lower": "下级"}

#: The accountability scales the report asks about: both blames times κ, κ from 0 to 4 by 0.05.
BLAME_SCALES = np.linspace(0.0, 4.0, 81)


def _actor(actor: str, lang: str) -> str:
    """The acting party in words: the story's label once it has one, else the Chinese/English word."""
    text = STORY.label(actor, lang)
    if text == actor and lang == "zh":
        return _ZH_ACTOR.get(actor, actor)
    return text


def _lapse_from(response) -> float:
    """The least scale on the grid at which the task falls through (∞ if none)."""
    lapsed = np.asarray(response.lapsed).reshape(-1)
    return float(response.scales[lapsed][0]) if lapsed.any() else math.inf


def analyses(model) -> dict:
    """The accountability response: where scaling both blames up makes the task fall through (任务落空).

    ``accountability`` holds the least factor κ of :data:`BLAME_SCALES` at which the task lapses
    at the model's transparency (``lapse_from``) and at full transparency
    (``lapse_from_full_transparency``; ∞ where no scale up to ``max_scale`` lapses), with the
    completion probability at the largest scale at both.
    """
    here = model.accountability_response(BLAME_SCALES)
    full = model.with_(transparency=1.0).accountability_response(BLAME_SCALES)
    return {"accountability": {
        "transparency": float(model.params["transparency"]),
        "max_scale": float(BLAME_SCALES[-1]),
        "lapse_from": _lapse_from(here),
        "lapse_from_full_transparency": _lapse_from(full),
        "completion_at_max_scale": float(np.asarray(here.completion_probability).reshape(-1)[-1]),
        "completion_at_max_scale_full_transparency": float(np.asarray(full.completion_probability).reshape(-1)[-1]),
    }}


def _accountability(facts: dict, lang: str) -> str:
    """Where more blame makes the task fall through, and how full transparency changes that."""
    a = facts["accountability"]
    t, top, k0, k1 = a["transparency"], a["max_scale"], a["lapse_from"], a["lapse_from_full_transparency"]
    here, there = math.isfinite(k0), math.isfinite(k1)
    if lang == "zh":
        head = (f"问责强度：τ = {_f(t)} 时，把双方的问责同乘以 κ，κ 达到 {_f(k0)} 时任务开始落空" if here else
                f"问责强度：τ = {_f(t)} 时，把双方的问责同乘以 κ（至多 {_f(top)}），任务都不会落空")
        if same(t, 1):
            return head + "。"
        if here and there:
            tail = ("；完全透明（τ = 1）下同样如此" if same(k0, k1) else
                    f"；完全透明（τ = 1）下落空的起点{change(k0, k1, lang)}")
        elif here:
            tail = f"；完全透明（τ = 1）下直到 κ = {_f(top)} 任务都不会落空：责任网格使推诿的责任归位"
        elif there:
            tail = f"；而完全透明（τ = 1）下 κ 达到 {_f(k1)} 时任务反而开始落空"
        else:
            tail = "；完全透明（τ = 1）下同样不会"
        return head + tail + "。"
    head = (f"Accountability: at τ = {_f(t)}, with both blames scaled by κ, the task first falls through "
            f"(任务落空) at κ = {_f(k0)}" if here else
            f"Accountability: at τ = {_f(t)}, with both blames scaled by any κ up to {_f(top)}, the task never "
            f"falls through (任务落空)")
    if same(t, 1):
        return head + "."
    if here and there:
        tail = ("; with full transparency (τ = 1) just the same" if same(k0, k1) else
                f"; with full transparency (τ = 1) the scale at which it does {change(k0, k1, lang)}")
    elif here:
        tail = (f"; with full transparency (τ = 1) it no longer does, up to κ = {_f(top)}: the responsibility "
                f"grid makes the blame of passing stick")
    elif there:
        tail = f"; with full transparency (τ = 1), though, it first does at κ = {_f(k1)}"
    else:
        tail = "; nor with full transparency (τ = 1)"
    return head + tail + "."


def sentences(table, facts, lang):
    """One sentence per transparency level (who acts, when, with what success), then the channels."""
    out = []
    for t, r in zip(table.levels, table.results, strict=True):
        d = r.to_dict()
        rnd = d["acting_round"]
        if lang == "zh":
            if d["lapsed"]:
                out.append(f"τ = {_f(t)}：上级向下转移任务压力，下级反向避责，来回推诿直至任务落空。")
            else:
                who = _actor(d["actor"], lang)
                push = "上级先向下转移任务压力，" if d["pushed_down"] else ""
                esc = "下级又反向避责，" if d["escalated"] else ""
                out.append(f"τ = {_f(t)}：{push}{esc}由{who}在第 {rnd} 轮行动，"
                           f"完成概率 {_f(d['completion_probability'])}。")
        else:
            if d["lapsed"]:
                out.append(f"At τ = {_f(t)} the Upper pushes the task down (向下转移任务压力), the Lower escalates it "
                           f"back (反向避责), and passing to and fro lets the task fall through (任务落空).")
            else:
                steps = []
                if d["pushed_down"]:
                    steps.append("the Upper pushes the task down")
                if d["escalated"]:
                    steps.append("the Lower escalates it back up")
                lead = (", ".join(steps) + "; then ") if steps else ""
                out.append(f"At τ = {_f(t)}: {lead}{_actor(d['actor'], lang)} acts in round {rnd}; "
                           f"the task is completed with "
                           f"probability {_f(d['completion_probability'])}.")
    if "accountability" in facts:
        out.append(_accountability(facts, lang))
    out.append(_channels(table, lang))
    return out


def _channels(table, lang: str) -> str:
    """The channels of transparency, said from how completion moves from the first level to the last."""
    t0, t1 = table.levels[0], table.levels[-1]
    c0 = table.results[0].to_dict()["completion_probability"]
    c1 = table.results[-1].to_dict()["completion_probability"]
    move = effect(c0, c1, t0, t1)  # as transparency rises
    if lang == "zh":
        if move == "rises":
            return (f"责任网格记录每一次推诿，使责任难以分散；决策支持降低行动风险，从而减少避责动机："
                    f"从 τ = {_f(t0)} 到 τ = {_f(t1)}，完成概率{change(c0, c1, lang)}。")
        if move == "falls":
            return f"这里透明度反而降低了完成概率：从 τ = {_f(t0)} 到 τ = {_f(t1)}，完成概率{change(c0, c1, lang)}。"
        return (f"责任网格记录每一次推诿，决策支持降低行动风险；但在这些参数下完成概率不变（{_f(c1)}）。"
                if not same(t0, t1) else "责任网格记录每一次推诿，使责任难以分散；决策支持降低行动风险。")
    if move == "rises":
        return ("The responsibility grid (责任网格) records every pass, so blame for a lapse sticks; decision "
                f"support makes acting less risky, so avoiding blame is worth less: from τ = {_f(t0)} to "
                f"τ = {_f(t1)} completion {change(c0, c1, lang)}.")
    if move == "falls":
        return (f"Here transparency lowers completion: from τ = {_f(t0)} to τ = {_f(t1)} it "
                f"{change(c0, c1, lang)}.")
    if not same(t0, t1):
        return ("The responsibility grid (责任网格) records every pass and decision support makes acting less "
                f"risky, but at these parameters completion stays at {_f(c1)}.")
    return ("The responsibility grid (责任网格) records every pass, so blame for a lapse sticks; decision support "
            "makes acting less risky.")


def _plan_text(plan, lang):
    """The plan as a sequence of act/pass words, round by round."""
    words = ("行动", "推") if lang == "zh" else ("act", "pass")
    return " → ".join(words[0] if a else words[1] for a in plan)


def _full(model, r0, r1, lang: str) -> str:
    """Completion at full transparency against the model's own level, said from the numbers."""
    t = model.params["transparency"]
    c0, c1 = r0["completion_probability"], r1["completion_probability"]
    move = effect(c0, c1, t, 1.0)
    if lang == "zh":
        if same(t, 1):
            return f"完成概率 {_f(c1)}。"
        lapse = "任务落空。" if r1["lapsed"] else ""
        surprise = "透明度反而降低了完成概率：" if move == "falls" else ""
        return f"{lapse}{surprise}与 τ = {_f(t)} 相比，完成概率{change(c0, c1, lang)}。"
    if same(t, 1):
        return f"completion probability {_f(c1)}."
    lapse = "the task falls through (任务落空); " if r1["lapsed"] else ""
    surprise = "here transparency lowers completion: " if move == "falls" else ""
    return f"{lapse}{surprise}against τ = {_f(t)}, the completion probability {change(c0, c1, lang)}."


def demo(model, lang):
    """The walkthrough at the model's parameters: who moves, why, the equilibrium, and τ = 1."""
    p = model.params
    r0, r1 = model.solve().to_dict(), model.with_(transparency=1.0).solve().to_dict()
    if lang == "zh":
        outcome = ("任务落空。" if r0["lapsed"] else
                   f"第 {r0['acting_round']} 轮由{_actor(r0['actor'], lang)}行动，"
                   f"完成概率 {_f(r0['completion_probability'])}。")
        return [
            DemoStep("第1步 谁行动、谁知道什么",
                     (f"上级（支援方）与下级轮流持有任务，共 {p['rounds']} 轮；完全信息。"
                      "每轮持有者选择行动或推给对方。",)),
            DemoStep("第2步 各方怎么做、为什么",
                     (f"行动要付成本、失败要担责；推诿则把风险留给对方，但任务落空时双方只承担 "
                      f"{_f(p['blame_stickiness'])} 比例的责任——责任分散。",)),
            DemoStep("第3步 均衡（逆向归纳）", (f"各轮计划：{_plan_text(r0['plan'], lang)}；" + outcome,)),
            DemoStep("第4步 数字透明（τ = 1）",
                     ("责任网格记录每次推诿，任务落空时责任全部归位。",
                      f"各轮计划：{_plan_text(r1['plan'], lang)}；{_full(model, r0, r1, lang)}")),
        ]
    outcome = ("the task falls through (任务落空)." if r0["lapsed"] else
               f"{_actor(r0['actor'], lang)} acts in round {r0['acting_round']}, completing the task with "
               f"probability "
               f"{_f(r0['completion_probability'])}.")
    return [
        DemoStep("Who moves, and what do they know?",
                 (f"The Upper (the aider) and the Lower hold the task in turn for {p['rounds']} rounds, with perfect "
                  f"information. Each round the holder acts or passes it on (push down / escalate).",)),
        DemoStep("What would each do, and why?",
                 (f"Acting costs effort and risks blame on failure; passing leaves the risk to the other. If every "
                  f"round passes, only a share {_f(p['blame_stickiness'])} of the blame sticks: responsibility is "
                  f"diffuse.",)),
        DemoStep("The equilibrium, by backward induction",
                 (f"Plan by round: {_plan_text(r0['plan'], lang)}; " + outcome,)),
        DemoStep("The same game with full transparency (τ = 1)",
                 ("The responsibility grid records every pass, so all blame for a lapse sticks.",
                  f"Plan by round: {_plan_text(r1['plan'], lang)}; {_full(model, r0, r1, lang)}")),
    ]


#: Short labels of the outputs, actors and parameters: name -> (English, Chinese).
LABELS = {
    # parameters
    "rounds": ("rounds before the task lapses", "任务轮次"),
    "success_upper": ("Upper's initial success probability", "支援方政府行动成功概率"),
    "success_lower": ("Lower's initial success probability", "下级政府行动成功概率"),
    "time_decay": ("success decay per round", "时间紧（每轮成功率衰减）"),
    "cost_upper": ("Upper's cost of acting", "支援方政府的行动成本"),
    "cost_lower": ("Lower's cost of acting", "下级政府的行动成本"),
    "credit_upper": ("Upper's credit on success", "支援方政府的邀功收益"),
    "credit_lower": ("Lower's credit on success", "下级政府的邀功收益"),
    "blame_upper": ("Upper's blame on failure", "支援方政府的问责"),
    "blame_lower": ("Lower's blame on failure", "下级政府的问责"),
    "supervisory_share": ("supervisory share of blame", "监管责任"),
    "blame_stickiness": ("blame stickiness on a lapse", "责任模糊时的问责黏性"),
    "transparency": ("digital transparency", "数字透明程度"),
    "decision_support": ("prediction and decision support", "预测与决策支持"),
    # outputs
    "plan": ("acts by round", "各轮是否行动"),
    "acting_round": ("acting round", "行动轮次"),
    "actor": ("who acts", "行动方"),
    "completion_probability": ("completion probability", "任务完成概率"),
    "lapsed": ("task lapsed", "任务落空"),
    "value_upper": ("Upper's expected payoff", "支援方政府的期望收益"),
    "value_lower": ("Lower's expected payoff", "下级政府的期望收益"),
    "pushed_down": ("pushed down", "向下转移任务压力"),
    "escalated": ("blame pushed back up", "反向避责"),
    # actors
    "upper": ("the Upper", "支援方政府"),
    "lower": ("the Lower", "下级政府"),
    # the accountability response (the report's further results)
    "accountability.transparency": ("τ of the accountability response", "问责响应所在的 τ"),
    "accountability.max_scale": ("largest blame scale κ tried", "所试最大问责倍数 κ"),
    "accountability.lapse_from": ("blame scale κ from which the task falls through", "任务开始落空的问责倍数 κ"),
    "accountability.lapse_from_full_transparency": ("blame scale κ from which the task falls through "
                                                    "under full transparency", "完全透明下任务开始落空的问责倍数 κ"),
    "accountability.completion_at_max_scale": ("completion probability at the largest κ", "最大问责倍数下的完成概率"),
    "accountability.completion_at_max_scale_full_transparency": (
        "completion probability at the largest κ under full transparency", "完全透明下最大问责倍数下的完成概率"),
    "none": ("no one", "无人行动"),
}

STORY = Story(
    title={"en": "Pushing tasks down and reverse blame-avoidance (向下转移任务压力 / 反向避责)",
           "zh": "向下转移任务压力与反向避责"},
    order=30,
    thresholds=(),
    figure=Figure(outputs=("completion_probability", "value_upper", "value_lower")),
    sentences=sentences,
    analyses=analyses,
    demo_title={"en": "Classroom walkthrough: pushing tasks down and reverse blame-avoidance",
                "zh": "课堂演示：向下转移任务压力与反向避责"},
    demo=demo,
    glossary={
        "lower": ("lower levels", "下级政府 / 所属部门"),
        "pushing_down": ("pushing task pressure downward", "向下转移任务压力"),
        "time_tight": ("time is tight, the task is heavy", "时间紧、任务重"),
        "reverse_blame": ("reverse blame-avoidance", "反向避责"),
        "by_the_book": ("sticking to the rules", "墨守成规、按部就班"),
        "lapse": ("the task falls through", "任务落空"),
        "responsibility_grid": ("the responsibility grid", "责任网格"),
        "decision_support": ("prediction and decision support", "预测与决策支持"),
    },
    labels=LABELS,
)
