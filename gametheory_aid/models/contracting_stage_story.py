"""The story of ``contracting-stage``: the centre's totals across the contracting link (发包环节).

The report's closing section (the centre's totals with and without transparency, and the
transparency worth its platform's cost), its figure, and a short classroom walkthrough of the
four strategies under one transparency level.  Every number comes from the model: its
``solve()``, its sub-models' results and :meth:`optimal_transparency`.
"""
from __future__ import annotations

from .story import DemoStep, Figure, Story, change, effect, format_number, same

__all__ = ["STORY"]

_f = format_number


def _helps(w0, w1, t0, t1, lang: str) -> str:
    """Whether more transparency helps or hurts the centre's total, said from the two totals."""
    move = effect(w0, w1, t0, t1)  # as transparency rises
    if lang == "zh":
        return {"rises": "透明度有利于中央。", "falls": "这里透明度反而降低了中央的总收益。",
                "stays": "透明度没有改变中央的总收益。"}[move]
    return {"rises": "transparency helps the centre.", "falls": "here transparency lowers the centre's total.",
            "stays": "transparency leaves the centre's total where it was."}[move]


def _optimum(optimal, lang: str) -> str:
    """The transparency worth its platform's cost, and what it gains against the status quo."""
    k, t, net, base = optimal.platform_cost, optimal.transparency, optimal.net_value, optimal.value_without
    if same(t, 0):
        return (f"平台成本为 κτ²/2（κ = {_f(k)}）时，数字平台不值得投入：最优透明度为 τ* = 0，"
                f"净收益即现状的 {_f(base)}。"
                if lang == "zh" else
                f"With a platform costing κτ²/2 (κ = {_f(k)}), no platform is worth its cost: the best transparency is "
                f"τ* = 0, the status quo's {_f(base)}.")
    if lang == "zh":
        return (f"平台成本为 κτ²/2（κ = {_f(k)}）时，最优透明度为 τ* = {_f(t)}，此时中央总收益为 "
                f"{_f(optimal.centre_total)}；扣除平台成本后，与现状相比净收益{change(base, net, lang)}。")
    return (f"With a platform costing κτ²/2 (κ = {_f(k)}), the best transparency is τ* = {_f(t)}, where the centre's "
            f"total is {_f(optimal.centre_total)}; net of the platform's cost, against the status quo, it "
            f"{change(base, net, lang)}.")


def sentences(table, facts, lang):
    """The centre's totals at the first and last levels, whether transparency helps, and the optimum.

    ``facts["optimal"]`` is :meth:`ContractingStage.optimal_transparency` at the model's
    parameters; whether the platform is worth its cost at all is said from it.
    """
    w0, w1 = table.results[0].to_dict()["centre_total"], table.results[-1].to_dict()["centre_total"]
    t0, t1 = table.levels[0], table.levels[-1]
    if same(t0, t1):
        first = (f"中央在四个模型中的总收益：τ = {_f(t0)} 时为 {_f(w0)}。" if lang == "zh"
                 else f"The centre's total across the four models is {_f(w0)} at τ = {_f(t0)}.")
    elif lang == "zh":
        first = (f"从 τ = {_f(t0)} 到 τ = {_f(t1)}，中央在四个模型中的总收益{change(w0, w1, lang)}："
                 f"{_helps(w0, w1, t0, t1, lang)}")
    else:
        first = (f"The centre's total across the four models {change(w0, w1, lang)} from τ = {_f(t0)} to "
                 f"τ = {_f(t1)}: {_helps(w0, w1, t0, t1, lang)}")
    return [first, _optimum(facts["optimal"], lang)]


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
                     (f"扣除平台成本前，从 τ = 0 到 τ = 1 中央总收益{change(without, full, lang)}："
                      f"{_helps(without, full, 0.0, 1.0, lang)}",)),
            DemoStep("第4步 最优透明度",
                     (_optimum(optimal, lang),)),
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
                 (f"Before the platform's cost, the centre's total {change(without, full, lang)} from τ = 0 to "
                  f"τ = 1: {_helps(without, full, 0.0, 1.0, lang)}",)),
        DemoStep("The optimal transparency",
                 (_optimum(optimal, lang),)),
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
    # the transparency worth the platform's cost (the report's further results)
    "optimal.transparency": ("best transparency τ*", "最优透明度 τ*"),
    "optimal.centre_total": ("centre's total at τ*", "τ* 下的中央总收益"),
    "optimal.net_value": ("centre's total at τ* net of the platform's cost", "τ* 下扣除平台成本的中央净收益"),
    "optimal.platform_cost": ("platform cost κ", "平台成本系数 κ"),
    "optimal.value_without": ("centre's total without transparency", "无数字透明时的中央总收益"),
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
