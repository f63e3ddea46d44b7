"""The story of ``poverty-bargaining``: its report section, figure, walkthrough and terms.

Bargaining with the centre (与中央政府博弈): the aider overstates its cost to lower its quota,
and verified fiscal data (数字技术赋能) make an exaggerated claim costlier.  Every number in the
prose comes from the model's own solution.
"""
from __future__ import annotations

from .story import DemoStep, Figure, Story, format_number
from .story import first_last as _first_last

__all__ = ["STORY"]

_f = format_number


def sentences(table, facts, lang):
    """What transparency changes: the overstatement and the shortfall at the first and last levels."""
    t0, t1 = table.levels[0], table.levels[-1]
    o0, o1 = _first_last(table, "overstatement")
    s0, s1 = _first_last(table, "expected_shortfall")
    eff = table.results[0].to_dict()["efficient_quota"]
    tau_h = facts["threshold_transparency"]
    if lang == "zh":
        return [f"τ = {_f(t0)} 时，支援方在与中央政府博弈中把成本多报 {_f(o0)}，任务比有效水平 {_f(eff)} 少 {_f(s0)}。",
                f"τ = {_f(t1)} 时多报 {_f(o1)}，任务缺口 {_f(s1)}：财政数据被核实的概率越高，夸大成本的预期罚款越高。",
                f"τ ≥ {_f(tau_h)} 时支援方如实申报。"]
    return [f"At τ = {_f(t0)} the aider, bargaining with the centre (与中央政府博弈), overstates its cost by "
            f"{_f(o0)}, so its quota falls short of the efficient {_f(eff)} by {_f(s0)} in expectation.",
            f"At τ = {_f(t1)} it overstates by {_f(o1)} (shortfall {_f(s1)}): verified fiscal data make an "
            f"exaggerated claim costlier in expectation.",
            f"It claims honestly from τ ≥ {_f(tau_h)}."]


def demo(model, lang):
    """The classroom walkthrough at the model's parameters, without and with full transparency."""
    p = model.params
    r0, r1 = model.solve().to_dict(), model.with_(transparency=1.0).solve().to_dict()
    if lang == "zh":
        return [
            DemoStep("第1步 谁行动、谁知道什么",
                     (f"支援方真实成本 {_f(p['true_cost'])} 只有自己知道；"
                      "它先申报成本，再与中央就任务量和补偿讨价还价。",)),
            DemoStep("第2步 支援方怎么做、为什么",
                     (f"多报成本会缩小任务、抬高补偿：它申报 {_f(r0['claimed_cost'])}，多报 {_f(r0['overstatement'])}，"
                      f"多得 {_f(r0['aider_gain_from_pleading'])}。",)),
            DemoStep("第3步 均衡",
                     (f"相信申报时任务 {_f(r0['quota_if_believed'])}，有效任务 {_f(r0['efficient_quota'])}，"
                      f"预期缺口 {_f(r0['expected_shortfall'])}。",)),
            DemoStep("第4步 数字透明（τ = 1）",
                     (f"财政数据必被核实：申报 {_f(r1['claimed_cost'])}，缺口 {_f(r1['expected_shortfall'])}。",
                      f"τ ≥ {_f(r0['threshold_transparency'])} 时如实申报。")),
        ]
    return [
        DemoStep("Who moves, and what do they know?",
                 (f"Only the aider knows its true marginal cost {_f(p['true_cost'])}. It claims a cost, then bargains "
                  f"with the centre over the quota and compensation as if the claim were true.",)),
        DemoStep("What does the aider do, and why?",
                 (f"A higher claimed cost shrinks the quota and raises compensation: it claims "
                  f"{_f(r0['claimed_cost'])}, an overstatement of {_f(r0['overstatement'])}, worth "
                  f"{_f(r0['aider_gain_from_pleading'])} to it.",)),
        DemoStep("The equilibrium",
                 (f"Quota if believed {_f(r0['quota_if_believed'])} against the efficient "
                  f"{_f(r0['efficient_quota'])}: an expected shortfall of {_f(r0['expected_shortfall'])}.",)),
        DemoStep("The same game with full transparency (τ = 1)",
                 (f"The fiscal data are always verified: the claim is {_f(r1['claimed_cost'])}, the shortfall "
                  f"{_f(r1['expected_shortfall'])}.",
                  f"The aider is honest from τ ≥ {_f(r0['threshold_transparency'])}.")),
    ]


#: Short labels of the outputs and parameters: name -> (English, Chinese).
LABELS = {
    # parameters
    "value_intercept": ("centre's marginal value of the quota", "支援任务的边际价值"),
    "value_curvature": ("curvature of the centre's value", "中央收益的曲率"),
    "true_cost": ("aider's true marginal cost", "支援方财政能力（真实成本）"),
    "max_claim": ("largest cost claimable", "叫苦上限"),
    "bargaining_power": ("aider's bargaining power", "支援方的博弈能力"),
    "disagreement_centre": ("centre's payoff without agreement", "谈判破裂时中央的收益"),
    "disagreement_aider": ("aider's payoff without agreement", "谈判破裂时支援方的收益"),
    "transparency": ("digital transparency", "数字透明程度"),
    "penalty_fixed": ("fixed penalty on a verified overstatement", "虚报被核实的固定问责"),
    "penalty_rate": ("penalty per unit overstated", "按虚报幅度的问责"),
    # outputs
    "claimed_cost": ("claimed cost", "叫苦声称的成本"),
    "overstatement": ("overstatement of cost", "虚报幅度"),
    "pleads_poverty": ("pleads poverty", "装穷叫苦"),
    "quota_if_believed": ("quota if the claim is believed", "按声称成本议定的任务"),
    "expected_quota": ("expected quota", "期望支援任务"),
    "efficient_quota": ("efficient quota", "有效率的支援任务"),
    "expected_shortfall": ("expected quota shortfall", "逃避支援任务（期望缺口）"),
    "aider_expected_payoff": ("aider's expected payoff", "支援方的期望收益"),
    "aider_gain_from_pleading": ("aider's gain from pleading", "支援方叫苦的收益"),
    "centre_expected_payoff": ("centre's expected payoff", "中央的期望收益"),
    "threshold_transparency": ("honesty transparency threshold", "如实申报的透明度门槛"),
}

STORY = Story(
    title={"en": "Bargaining with the centre on claimed costs (与中央政府博弈)",
           "zh": "与中央政府博弈：基于申报成本的讨价还价"},
    order=20,
    thresholds=("threshold_transparency",),
    figure=Figure(outputs=("overstatement", "expected_shortfall")),
    sentences=sentences,
    demo_title={"en": "Classroom walkthrough: bargaining with the centre on claimed costs",
                "zh": "课堂演示：与中央政府博弈（讨价还价）"},
    demo=demo,
    glossary={"bargaining": ("bargaining with the centre", "与中央政府博弈")},
    labels=LABELS,
)
