"""The story of ``resource-allocation`` (策略性分配资源): its report section, figure, walkthrough and terms.

The aider re-orders priorities (调整型政策变通, 重合作而轻支援) and gives more to targets with more
feedback (回馈能力), so that weak recipients fall to the margin (边缘地带).  The sentences and the
walkthrough read every number from the comparison table, the threshold or ``model.solve()``.
"""
from __future__ import annotations

from .story import DemoStep, Figure, Story, change, effect, format_number, same

__all__ = ["STORY"]

_f = format_number


def _targets(flags) -> str:
    """The 1-based numbers of the flagged targets, e.g. ``"1, 3"``."""
    return ", ".join(str(i + 1) for i, flag in enumerate(list(flags)) if flag)


def _vector(values) -> str:
    return "(" + ", ".join(_f(float(v) + 0.0) for v in list(values)) + ")"  # + 0.0: no "-0"



def _at(tau, r, lang: str) -> str:
    """The allocation at one level: the diversion and who is pushed to the margin."""
    who = _targets(r["marginalised"])
    regime = STORY.label(r["regime"], lang)
    if lang == "zh":
        tail = (f"目标 {who} 被推向边缘地带，得不到任何资源" if who else "没有目标被边缘化")
        return (f"τ = {_f(tau)} 时，支援方按回馈能力策略性分配资源，分配为 {_vector(r['allocation'])}，"
                f"偏离均衡分配的资金 {_f(r['diverted'])}（占 {_f(r['diverted_share'])}）；{tail}"
                f"（均衡类型：{regime}）。")
    several = "," in who
    tail = (f"target{'s' if several else ''} {who} {'are' if several else 'is'} pushed to the margin "
            f"(边缘地带) and get{'' if several else 's'} nothing" if who else "no target is marginalised")
    return (f"At τ = {_f(tau)} the aider allocates by feedback (回馈能力, 策略性分配资源): "
            f"{_vector(r['allocation'])}, diverting {_f(r['diverted'])} ({_f(r['diverted_share'])} of the "
            f"budget) from the balanced allocation (均衡分配); {tail} (regime: {regime}).")


def _threshold(tau_bar, lang: str, marginalised_at_zero: bool) -> str:
    """Where every target is funded: at any τ (or any τ > 0), above a level inside (0, 1), or never."""
    tau_bar = float(tau_bar)
    if not tau_bar < 1:  # ∞: no level up to full transparency funds every target
        return ("即使完全透明，仍有目标被边缘化：仅靠财政转移的可见性不足以纠正重合作而轻支援。" if lang == "zh"
                else "Even full transparency leaves some target marginalised: visibility of transfers alone "
                     "does not undo favouring cooperation over aid (重合作而轻支援).")
    if tau_bar <= 0:
        if marginalised_at_zero:
            return ("τ > 0 时每个目标都得到资源。" if lang == "zh"
                    else "Every target is funded at any transparency above τ = 0.")
        return ("在任何透明度下都没有目标被边缘化。" if lang == "zh"
                else "No target is marginalised at any transparency.")
    return (f"τ > {_f(tau_bar)} 时每个目标都得到资源：透明抑制了调整型政策变通。" if lang == "zh"
            else f"Above τ = {_f(tau_bar)} every target is funded: transparency curbs the adaptive "
                 f"policy flexibility (调整型政策变通).")


def sentences(table, facts, lang: str) -> list:
    """The report's sentences: who is marginalised at the first and last levels, the move, the threshold.

    Every word is chosen from the numbers: which targets get nothing at each of the two levels,
    which way the diverted funds move from the first level to the last (in the order given), and
    whether every target is funded at any transparency, above a level inside (0, 1), or never.

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
    out = [_at(t0, first, lang)]
    if not same(t0, t1):
        out.append(_at(t1, last, lang))
        d0, d1 = first["diverted"], last["diverted"]
        move = effect(d0, d1, t0, t1)  # as transparency rises
        if lang == "zh":
            why = {"falls": "透明度抑制了资源偏离。", "rises": "这里透明度反而增加了偏离均衡分配的资金。",
                   "stays": "透明度没有改变资源偏离。"}[move]
            out.append(f"从 τ = {_f(t0)} 到 τ = {_f(t1)}，偏离的资金{change(d0, d1, lang)}：{why}")
        else:
            why = {"falls": "transparency curbs the diversion.",
                   "rises": "here transparency raises the diversion.",
                   "stays": "transparency leaves the diversion where it was."}[move]
            out.append(f"From τ = {_f(t0)} to τ = {_f(t1)} the amount diverted {change(d0, d1, lang)}: {why}")
    at_zero = any(same(t, 0) and bool(any(r.to_dict()["marginalised"]))
                  for t, r in zip(table.levels, table.results, strict=True))
    out.append(_threshold(facts["threshold_transparency"], lang, at_zero))
    return out


def demo(model, lang: str) -> list:
    """The classroom walkthrough at the model's parameters, without and with full transparency."""
    tau = model.params["transparency"]
    r0, r1 = model.solve().to_dict(), model.with_(transparency=1.0).solve().to_dict()
    g0, g1 = STORY.label(r0["regime"], lang), STORY.label(r1["regime"], lang)
    bar = _threshold(r0["threshold_transparency"], lang, bool(any(r0["marginalised"])) and same(tau, 0))
    n0, n1 = r0["n_marginalised"], r1["n_marginalised"]
    if lang == "zh":
        steps = [
            ("第1步 谁行动、谁知道什么",
             ["中央按均衡分配下达预算；支援方决定如何在各目标间分配，偏离会带来规范成本，被平台看见还要问责。"]),
            ("第2步 支援方怎么做、为什么",
             ["回馈能力强的目标（企业、合作项目）给支援方更多回报，于是重合作而轻支援。"]),
            (f"第3步 均衡（τ = {_f(tau)}）",
             [f"分配 {_vector(r0['allocation'])}，边缘化目标数 {n0}（均衡类型：{g0}）。"]),
            ("第4步 数字透明（τ = 1）",
             [f"分配 {_vector(r1['allocation'])}，边缘化目标数 {n1}（均衡类型：{g1}）；偏离的资金"
              f"{change(r0['diverted'], r1['diverted'], lang)}。", bar]),
        ]
    else:
        steps = [
            ("Who moves, and what do they know?",
             ["The centre sets a balanced allocation (均衡分配); the aider spreads the budget across targets. "
              "Departing costs it a norm cost, and accountability when the platform shows the spread."]),
            ("What would the aider do, and why?",
             ["Targets with more feedback (回馈能力) give the aider more back, so it favours cooperation over aid "
              "(重合作而轻支援)."]),
            (f"The equilibrium (τ = {_f(tau)})",
             [f"Allocation {_vector(r0['allocation'])}, {n0} target{'' if n0 == 1 else 's'} marginalised "
              f"(regime {g0})."]),
            ("The same problem with full transparency (τ = 1)",
             [f"Allocation {_vector(r1['allocation'])}, {n1} target{'' if n1 == 1 else 's'} marginalised "
              f"(regime {g1}); the amount diverted {change(r0['diverted'], r1['diverted'], lang)}.", bar]),
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
