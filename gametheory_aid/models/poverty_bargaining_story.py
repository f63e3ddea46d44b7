"""The story of ``poverty-bargaining``: its report section, figure, walkthrough and terms.

Bargaining with the centre (与中央政府博弈): the aider overstates its cost to lower its quota,
and verified fiscal data (数字技术赋能) make an exaggerated claim costlier.  Every number in the
prose comes from the model's own solution.
"""
from __future__ import annotations

from .story import DemoStep, Figure, Story, change, effect, format_number, same, threshold_case
from .story import first_last as _first_last

__all__ = ["STORY"]

_f = format_number


def _honest(overstatement, shortfall) -> bool:
    """Whether the aider reads as claiming its true cost (no overstatement, no shortfall)."""
    return same(overstatement, 0) and same(shortfall, 0)


def _threshold(tau_h, lang: str) -> str:
    """Where honest claims start: at τ = 0, inside (0, 1], or at no level."""
    case = threshold_case(tau_h)
    if lang == "zh":
        return {"zero": "τ = 0 时支援方即已如实申报。", "inside": f"τ ≥ {_f(tau_h)} 时支援方如实申报。",
                "never": "没有任何透明度水平能使支援方如实申报。"}[case]
    return {"zero": "The aider claims honestly already at τ = 0.",
            "inside": f"It claims honestly from τ ≥ {_f(tau_h)}.",
            "never": "No transparency level makes the aider claim honestly."}[case]


def sentences(table, facts, lang):
    """The overstatement and the shortfall at the first level, their move to the last, the threshold.

    Every word is chosen from the numbers: whether the aider overstates at all, which way the
    overstatement and the shortfall move from the first level to the last (in the order given),
    whether more transparency curbs the exaggeration, and whether the honesty threshold lies at
    τ = 0, inside (0, 1] or beyond every level.
    """
    t0, t1 = table.levels[0], table.levels[-1]
    o0, o1 = _first_last(table, "overstatement")
    s0, s1 = _first_last(table, "expected_shortfall")
    eff = table.results[0].to_dict()["efficient_quota"]
    out = []
    if lang == "zh":
        out.append(f"τ = {_f(t0)} 时，支援方如实申报成本，任务为有效水平 {_f(eff)}。" if _honest(o0, s0) else
                   f"τ = {_f(t0)} 时，支援方在与中央政府博弈中把成本多报 {_f(o0)}，任务比有效水平 {_f(eff)} "
                   f"预期少 {_f(s0)}。")
    else:
        out.append(f"At τ = {_f(t0)} the aider claims its true cost, so its quota is the efficient {_f(eff)}."
                   if _honest(o0, s0) else
                   f"At τ = {_f(t0)} the aider, bargaining with the centre (与中央政府博弈), overstates its cost by "
                   f"{_f(o0)}, so its quota falls short of the efficient {_f(eff)} by {_f(s0)} in expectation.")
    if not same(t0, t1):
        moves = {effect(o0, o1, t0, t1), effect(s0, s1, t0, t1)}  # as transparency rises
        if lang == "zh":
            why = ("财政数据被核实的概率越高，夸大成本的预期罚款越高。" if "falls" in moves and "rises" not in moves
                   else "这里透明度反而加剧了夸大成本。" if "rises" in moves else "这里透明度没有改变申报。")
            out.append(f"从 τ = {_f(t0)} 到 τ = {_f(t1)}，多报的成本{change(o0, o1, lang)}，任务缺口"
                       f"{change(s0, s1, lang)}：{why}")
        else:
            why = ("verified fiscal data make an exaggerated claim costlier in expectation." if "falls" in moves
                   and "rises" not in moves else "here transparency does not curb the exaggeration."
                   if "rises" in moves else "here transparency does not change the claim.")
            out.append(f"From τ = {_f(t0)} to τ = {_f(t1)} the overstatement {change(o0, o1, lang)} and the "
                       f"shortfall {change(s0, s1, lang)}: {why}")
    out.append(_threshold(facts["threshold_transparency"], lang))
    return out


def demo(model, lang):
    """The classroom walkthrough at the model's parameters, without and with full transparency."""
    p = model.params
    r0, r1 = model.solve().to_dict(), model.with_(transparency=1.0).solve().to_dict()
    honest = same(r0["overstatement"], 0)
    if lang == "zh":
        return [
            DemoStep("第1步 谁行动、谁知道什么",
                     (f"支援方真实成本 {_f(p['true_cost'])} 只有自己知道；"
                      "它先申报成本，再与中央就任务量和补偿讨价还价。",)),
            DemoStep("第2步 支援方怎么做、为什么",
                     (f"多报成本会缩小任务、抬高补偿：它申报 {_f(r0['claimed_cost'])}，多报 {_f(r0['overstatement'])}，"
                      f"多得 {_f(r0['aider_gain_from_pleading'])}。" if not honest else
                      f"它如实申报 {_f(r0['claimed_cost'])}：多报成本在这里不划算。",)),
            DemoStep("第3步 均衡",
                     (f"相信申报时任务 {_f(r0['quota_if_believed'])}，有效任务 {_f(r0['efficient_quota'])}，"
                      f"预期缺口 {_f(r0['expected_shortfall'])}。",)),
            DemoStep("第4步 数字透明（τ = 1）",
                     (f"财政数据必被核实：申报 {_f(r1['claimed_cost'])}，缺口 {_f(r1['expected_shortfall'])}"
                      f"（多报{change(r0['overstatement'], r1['overstatement'], lang)}）。",
                      _threshold(r0["threshold_transparency"], lang))),
        ]
    return [
        DemoStep("Who moves, and what do they know?",
                 (f"Only the aider knows its true marginal cost {_f(p['true_cost'])}. It claims a cost, then bargains "
                  f"with the centre over the quota and compensation as if the claim were true.",)),
        DemoStep("What does the aider do, and why?",
                 (f"A higher claimed cost shrinks the quota and raises compensation: it claims "
                  f"{_f(r0['claimed_cost'])}, an overstatement of {_f(r0['overstatement'])}, worth "
                  f"{_f(r0['aider_gain_from_pleading'])} to it." if not honest else
                  f"It claims its true cost {_f(r0['claimed_cost'])}: overstating would not pay here.",)),
        DemoStep("The equilibrium",
                 (f"Quota if believed {_f(r0['quota_if_believed'])} against the efficient "
                  f"{_f(r0['efficient_quota'])}: an expected shortfall of {_f(r0['expected_shortfall'])}.",)),
        DemoStep("The same game with full transparency (τ = 1)",
                 (f"The fiscal data are always verified: the claim is {_f(r1['claimed_cost'])}, the shortfall "
                  f"{_f(r1['expected_shortfall'])} (the overstatement "
                  f"{change(r0['overstatement'], r1['overstatement'], lang)}).",
                  _threshold(r0["threshold_transparency"], lang))),
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
