"""The story of ``contracting-stage``: the centre's totals across the contracting link (发包环节).

The report's closing section (the centre's totals with and without transparency, and the
transparency worth its platform's cost), its figure, and a short classroom walkthrough of the
four strategies under one transparency level.  Every number comes from the model: its
``solve()``, its sub-models' results and :meth:`optimal_transparency`.
"""
from __future__ import annotations

from .story import DemoStep, Figure, Story, format_number

__all__ = ["STORY"]

_f = format_number


def sentences(table, facts, lang):
    """The centre's totals at the first and last levels, and the optimal transparency (``facts["optimal"]``)."""
    optimal = facts["optimal"]
    w0, w1 = table.results[0].to_dict()["centre_total"], table.results[-1].to_dict()["centre_total"]
    t0, t1 = table.levels[0], table.levels[-1]
    if lang == "zh":
        return [f"中央在四个模型中的总收益：τ = {_f(t0)} 时为 {_f(w0)}，τ = {_f(t1)} 时为 {_f(w1)}。",
                f"平台成本为 κτ²/2（κ = {_f(optimal.platform_cost)}）时，最优透明度为 τ* = {_f(optimal.transparency)}，"
                f"净收益 {_f(optimal.net_value)}（现状为 {_f(optimal.value_without)}）。"]
    return [f"The centre's total across the four models is {_f(w0)} at τ = {_f(t0)} and {_f(w1)} at τ = {_f(t1)}.",
            f"With a platform costing κτ²/2 (κ = {_f(optimal.platform_cost)}), the best transparency is "
            f"τ* = {_f(optimal.transparency)}, worth {_f(optimal.net_value)} net "
            f"(status quo: {_f(optimal.value_without)})."]


def analyses(model):
    """The transparency that maximises the centre's total net of the platform's cost."""
    return {"optimal": model.optimal_transparency()}


def demo(model, lang):
    """The walkthrough at the model's parameters: the four strategies, the totals, the optimal transparency."""
    tau = model.params["transparency"]
    r = model.solve().to_dict()
    without = float(model.with_(transparency=0.0).solve().centre_total)
    full = float(model.with_(transparency=1.0).solve().centre_total)
    optimal = model.optimal_transparency()
    value = model.params["task_value"]
    if lang == "zh":
        return [
            DemoStep("第1步 同一数字透明程度下的四种策略",
                     (f"在 τ = {_f(tau)} 下同时求解支援方的组合策略：装穷叫苦（信息租金 {_f(r['information_rent'])}）、"
                      f"与中央政府博弈（预期任务缺口 {_f(r['quota_shortfall'])}）、"
                      f"向下转移任务压力（完成概率 {_f(r['completion_probability'])}）"
                      f"和联合避责（合谋概率 {_f(r['collusion_rate'])}）。",)),
            DemoStep("第2步 中央从各策略中得到什么",
                     (f"甄别中的中央福利 {_f(r['centre_welfare_screening'])}，讨价还价中的中央收益 "
                      f"{_f(r['centre_payoff_bargaining'])}，下压任务的价值 {_f(value)} × "
                      f"{_f(r['completion_probability'])} = {_f(r['centre_value_pushdown'])}，减去合谋损失 "
                      f"{_f(r['centre_loss_collusion'])}：总收益 {_f(r['centre_total'])}。",)),
            DemoStep("第3步 有无数字透明时的中央总收益",
                     (f"τ = 0 时为 {_f(without)}，τ = 1 时为 {_f(full)}；完全透明在扣除平台成本前给中央带来 "
                      f"{_f(full - without)}。",)),
            DemoStep("第4步 最优透明度",
                     (f"平台强度为 τ 时成本为 κτ²/2（κ = {_f(optimal.platform_cost)}）。",
                      f"最优透明度 τ* = {_f(optimal.transparency)}：中央总收益 {_f(optimal.centre_total)} "
                      f"减去平台成本，净收益 {_f(optimal.net_value)}（现状为 {_f(optimal.value_without)}）。")),
        ]
    return [
        DemoStep("The four strategies under one transparency level",
                 (f"The aider's combined strategies (组合策略) are solved together at τ = {_f(tau)}: pleading poverty "
                  f"(information rent {_f(r['information_rent'])}), bargaining on claimed costs (expected quota "
                  f"shortfall {_f(r['quota_shortfall'])}), pushing tasks down (completion probability "
                  f"{_f(r['completion_probability'])}) and joint blame-avoidance (collusion probability "
                  f"{_f(r['collusion_rate'])}).",)),
        DemoStep("What each strategy leaves the centre",
                 (f"Its welfare from screening {_f(r['centre_welfare_screening'])}, its payoff from bargaining "
                  f"{_f(r['centre_payoff_bargaining'])}, the pushed-down task's value {_f(value)} × "
                  f"{_f(r['completion_probability'])} = {_f(r['centre_value_pushdown'])}, less the loss to "
                  f"collusion {_f(r['centre_loss_collusion'])}: a total of {_f(r['centre_total'])}.",)),
        DemoStep("The centre's total without and with transparency",
                 (f"{_f(without)} at τ = 0 and {_f(full)} at τ = 1: full transparency is worth "
                  f"{_f(full - without)} to the centre before the platform's cost.",)),
        DemoStep("The optimal transparency",
                 (f"A platform of strength τ costs κτ²/2 (κ = {_f(optimal.platform_cost)}).",
                  f"The best transparency is τ* = {_f(optimal.transparency)}: the centre's total "
                  f"{_f(optimal.centre_total)} less the platform's cost, a net value of {_f(optimal.net_value)} "
                  f"against {_f(optimal.value_without)} in the status quo.")),
    ]


#: Short labels of the outputs and parameters: name -> (English, Chinese).  A part's parameter
#: ("part.param") is labelled by the part's label below and the part model's own label.
LABELS = {
    # parameters
    "transparency": ("digital transparency", "数字透明程度"),
    "task_value": ("value of the pushed-down task", "任务落实的价值"),
    "platform_cost": ("platform cost scale", "数字平台成本"),
    # parts
    "pleading-poverty": ("pleading poverty", "装穷叫苦"),
    "poverty-bargaining": ("bargaining", "与中央政府博弈"),
    "task-pushdown": ("task push-down", "向下转移任务压力"),
    "joint-blame": ("joint blame", "联合避责"),
    # outputs
    "pleading_poverty": ("pleading-poverty equilibrium", "装穷叫苦的均衡"),
    "poverty_bargaining": ("bargaining equilibrium", "与中央政府博弈的均衡"),
    "task_pushdown": ("task push-down equilibrium", "向下转移任务压力的均衡"),
    "joint_blame": ("joint-blame equilibrium", "联合避责的均衡"),
    "information_rent": ("information rent", "信息租金"),
    "quota_shortfall": ("expected quota shortfall", "逃避支援任务（期望缺口）"),
    "completion_probability": ("task completion probability", "任务完成概率"),
    "collusion_rate": ("collusion probability", "联合避责概率"),
    "centre_welfare_screening": ("centre's welfare, screening", "中央收益：甄别"),
    "centre_payoff_bargaining": ("centre's payoff, bargaining", "中央收益：博弈"),
    "centre_value_pushdown": ("centre's value, push-down", "中央收益：任务落实"),
    "centre_loss_collusion": ("centre's loss, collusion", "中央损失：联合避责"),
    "centre_total": ("centre's total", "中央总收益"),
}

STORY = Story(
    title={"en": "The centre's totals across the contracting link", "zh": "发包环节的中央总收益"},
    order=90,
    thresholds=(),
    figure=Figure(outputs=("centre_total",)),
    sentences=sentences,
    analyses=analyses,
    demo_title={"en": "Classroom walkthrough: the contracting link, all four strategies under one transparency level",
                "zh": "课堂演示：发包环节的组合策略"},
    demo=demo,
    glossary={"contracting_link": ("the contracting link", "发包环节"),
              "combined_strategies": ("combined strategies", "组合策略")},
    labels=LABELS,
)
