"""The story of ``resource-allocation`` (策略性分配资源): its report section, figure, walkthrough and terms.

The aider re-orders priorities (调整型政策变通, 重合作而轻支援) and gives more to targets with more
feedback (回馈能力), so that weak recipients fall to the margin (边缘地带).  The sentences and the
walkthrough read every number from the comparison table, the threshold or ``model.solve()``.
"""
from __future__ import annotations

import math

from .story import DemoStep, Figure, Story, format_number

__all__ = ["STORY"]

_f = format_number


def _targets(flags) -> str:
    """The 1-based numbers of the flagged targets, e.g. ``"1, 3"``."""
    return ", ".join(str(i + 1) for i, flag in enumerate(list(flags)) if flag)


def _vector(values) -> str:
    return "(" + ", ".join(_f(float(v)) for v in list(values)) + ")"


def sentences(table, facts, lang: str) -> list:
    """The report's sentences: who is marginalised at the lowest and highest transparency, and the threshold.

    Parameters
    ----------
    table : Comparison
        The model solved at each transparency level.
    facts : dict
        ``threshold_transparency`` (the least transparency above which no target is marginalised).
    lang : {"en", "zh"}
    """
    first, last = table.results[0].to_dict(), table.results[-1].to_dict()
    t0, t1 = table.levels[0], table.levels[-1]
    tau_bar = float(facts["threshold_transparency"])
    out = []
    for tau, r in ((t0, first), (t1, last)):
        who = _targets(r["marginalised"])
        if lang == "zh":
            tail = (f"目标 {who} 被推向边缘地带，得不到任何资源" if who else "没有目标被边缘化")
            out.append(f"τ = {_f(tau)} 时，支援方按回馈能力策略性分配资源，分配为 {_vector(r['allocation'])}，"
                       f"偏离均衡分配的资金 {_f(r['diverted'])}（占 {_f(r['diverted_share'])}）；{tail}"
                       f"（区间：{r['regime']}）。")
        else:
            several = "," in who
            tail = (f"target{'s' if several else ''} {who} {'are' if several else 'is'} pushed to the margin "
                    f"(边缘地带) and get{'' if several else 's'} nothing" if who else "no target is marginalised")
            out.append(f"At τ = {_f(tau)} the aider allocates by feedback (回馈能力, 策略性分配资源): "
                       f"{_vector(r['allocation'])}, diverting {_f(r['diverted'])} ({_f(r['diverted_share'])} of the "
                       f"budget) from the balanced allocation (均衡分配); {tail} (regime: {r['regime']}).")
    if math.isinf(tau_bar):
        out.append("即使完全透明，仍有目标被边缘化：仅靠财政转移的可见性不足以纠正重合作而轻支援。" if lang == "zh"
                   else "Even full transparency leaves some target marginalised: visibility of transfers alone "
                        "does not undo favouring cooperation over aid (重合作而轻支援).")
    elif tau_bar == 0:
        out.append("在任何透明度下都没有目标被边缘化。" if lang == "zh"
                   else "No target is marginalised at any transparency.")
    else:
        out.append(f"τ > {_f(tau_bar)} 时每个目标都得到资源：透明抑制了调整型政策变通。" if lang == "zh"
                   else f"Above τ = {_f(tau_bar)} every target is funded: transparency curbs the adaptive "
                        f"policy flexibility (调整型政策变通).")
    return out


def demo(model, lang: str) -> list:
    """The classroom walkthrough at the model's parameters, without and with full transparency."""
    r0, r1 = model.solve().to_dict(), model.with_(transparency=1.0).solve().to_dict()
    tau_bar = float(r0["threshold_transparency"])
    bar = "∞" if math.isinf(tau_bar) else _f(tau_bar)
    if lang == "zh":
        steps = [
            ("第1步 谁行动、谁知道什么",
             ["中央按均衡分配下达预算；支援方决定如何在各目标间分配，偏离会带来规范成本，被平台看见还要问责。"]),
            ("第2步 支援方怎么做、为什么",
             ["回馈能力强的目标（企业、合作项目）给支援方更多回报，于是重合作而轻支援。"]),
            ("第3步 均衡（τ = 0）",
             [f"分配 {_vector(r0['allocation'])}，边缘化目标数 {r0['n_marginalised']}（区间 {r0['regime']}）。"]),
            ("第4步 数字透明（τ = 1）",
             [f"分配 {_vector(r1['allocation'])}，边缘化目标数 {r1['n_marginalised']}（区间 {r1['regime']}）。",
              f"透明度阈值：{bar}。"]),
        ]
    else:
        steps = [
            ("Who moves, and what do they know?",
             ["The centre sets a balanced allocation (均衡分配); the aider spreads the budget across targets. "
              "Departing costs it a norm cost, and accountability when the platform shows the spread."]),
            ("What would the aider do, and why?",
             ["Targets with more feedback (回馈能力) give the aider more back, so it favours cooperation over aid "
              "(重合作而轻支援)."]),
            ("The equilibrium (τ = 0)",
             [f"Allocation {_vector(r0['allocation'])}, {r0['n_marginalised']} target(s) marginalised "
              f"(regime {r0['regime']})."]),
            ("The same problem with full transparency (τ = 1)",
             [f"Allocation {_vector(r1['allocation'])}, {r1['n_marginalised']} target(s) marginalised "
              f"(regime {r1['regime']}).",
              f"Threshold transparency: {bar}."]),
        ]
    return [DemoStep(heading, tuple(lines)) for heading, lines in steps]


#: Short labels of the outputs, regimes and parameters: name -> (English, Chinese).
LABELS = {
    # parameters
    "budget": ("contracted budget", "发包预算"),
    "intended_share": ("intended share", "均衡分配份额"),
    "feedback": ("feedback to the aider", "回馈能力"),
    "norm_cost": ("aider's cost of departing from the plan", "偏离分配方案的成本"),
    "penalty": ("penalty on a seen misallocation", "分配失当被发现的问责"),
    "transparency": ("digital transparency", "数字透明程度"),
    # outputs
    "allocation": ("allocation", "资源分配"),
    "marginalised": ("marginalised", "处于边缘地带"),
    "n_marginalised": ("number marginalised", "边缘地带的对象数"),
    "diverted": ("budget diverted", "被挪移的资源"),
    "diverted_share": ("share of budget diverted", "被挪移资源的比例"),
    "aider_return": ("aider's return", "支援方获得的回馈"),
    "aider_gain": ("aider's gain from tilting", "支援方策略性分配的收益"),
    "regime": ("regime", "分配类型"),
    "threshold_transparency": ("no-marginalisation transparency threshold", "消除边缘地带的透明度门槛"),
    # regimes
    "balanced": ("balanced", "均衡分配"),
    "tilted": ("tilted", "有所偏斜"),
    "marginalising": ("marginalising", "出现边缘地带"),
}

STORY = Story(
    title={"en": "Strategic allocation of resources (策略性分配资源)",
           "zh": "策略性分配资源：重合作而轻支援"},
    order=35,
    thresholds=("threshold_transparency",),
    figure=Figure(outputs=("allocation",)),
    sentences=sentences,
    demo_title={"en": "Classroom walkthrough: strategic allocation of resources (策略性分配资源)",
                "zh": "课堂演示：策略性分配资源"},
    demo=demo,
    glossary={"strategic_allocation": ("strategic allocation of resources", "策略性分配资源"),
              "feedback": ("feedback capacity", "回馈能力"),
              "margin": ("the margin", "边缘地带"),
              "cooperation_over_aid": ("favouring cooperation over aid", "重合作而轻支援"),
              "adaptive_flexibility": ("adaptive policy flexibility", "调整型政策变通"),
              "balanced_allocation": ("balanced allocation", "均衡分配")},
    labels=LABELS,
)
