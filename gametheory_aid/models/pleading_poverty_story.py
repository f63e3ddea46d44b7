"""The story of ``pleading-poverty`` (装穷叫苦): its report section, figure, walkthrough and terms.

The sentences and the walkthrough are functions of the solution: every number in them comes
from the comparison table, the thresholds, or ``model.solve()`` at the model's parameters.
"""
from __future__ import annotations

from .story import DemoStep, Figure, Story, format_number
from .story import first_last as _first_last

__all__ = ["STORY"]

_f = format_number


def sentences(table, facts, lang: str) -> list:
    """The report's sentences: the rent and the weak quota at the lowest and highest transparency.

    Parameters
    ----------
    table : Comparison
        The model solved at each transparency level.
    facts : dict
        ``threshold_transparency`` (the least transparency giving the first best).
    lang : {"en", "zh"}
    """
    t0, t1 = table.levels[0], table.levels[-1]
    r0, r1 = _first_last(table, "rent_strong")
    q0, q1 = _first_last(table, "quota_weak")
    g0, g1 = _first_last(table, "regime")
    fb = table.results[0].to_dict()["quota_weak_first_best"]
    naive = table.results[0].to_dict()["naive_pleading_gain"]
    tau_fb = facts["threshold_transparency"]
    if lang == "zh":
        return [f"τ = {_f(t0)} 时，若中央天真地提供完全信息合同，财政宽裕的支援方装穷叫苦可多得 {_f(naive)}；"
                f"因此最优合同须留给它 {_f(r0)} 的信息租金，并把困难型的任务从 {_f(fb)} 压到 {_f(q0)}（区间：{g0}）。",
                f"τ = {_f(t1)} 时，信息租金为 {_f(r1)}，困难型任务为 {_f(q1)}（区间：{g1}）：平台核实财政能力，"
                f"装穷叫苦被查出的风险使谎报不再划算。",
                f"τ ≥ {_f(tau_fb)} 时达到完全信息最优。"]
    return [f"At τ = {_f(t0)}, a fiscally strong aider facing naive first-best contracts would gain "
            f"{_f(naive)} by pleading poverty (装穷叫苦); the optimal menu therefore leaves it an information "
            f"rent of {_f(r0)} and cuts the weak type's quota from {_f(fb)} to {_f(q0)} (regime: {g0}).",
            f"At τ = {_f(t1)} the rent is {_f(r1)} and the weak type's quota {_f(q1)} (regime: {g1}): the "
            f"platform verifies fiscal capacity, so a false plea risks the penalty and is worth less.",
            f"The first best holds from τ ≥ {_f(tau_fb)}."]


def demo(model, lang: str) -> list:
    """The classroom walkthrough at the model's parameters, without and with full transparency."""
    p = model.params
    r0, r1 = model.solve().to_dict(), model.with_(transparency=1.0).solve().to_dict()
    if lang == "zh":
        steps = [
            ("第1步 谁行动、谁知道什么",
             [f"中央政府（委托人）不知道支援方的财政能力：宽裕型边际成本 {_f(p['cost_strong'])}"
              f"（概率 {_f(p['prob_strong'])}），困难型 {_f(p['cost_weak'])}。",
              "中央先提出合同菜单，支援方再申报类型。"]),
            ("第2步 天真的合同会怎样",
             [f"若中央按完全信息最优出价，宽裕型谎称困难可多得 {_f(r0['naive_pleading_gain'])}："
              "这就是装穷叫苦。"]),
            ("第3步 中央的最优回应",
             [f"中央留给宽裕型 {_f(r0['rent_strong'])} 的信息租金，并把困难型任务从 "
              f"{_f(r0['quota_weak_first_best'])} 压到 {_f(r0['quota_weak'])}"
              f"（区间 {r0['regime']}）。",
              f"中央福利 {_f(r0['centre_welfare'])}，比完全信息少 {_f(r0['welfare_loss'])}。"]),
            ("第4步 数字透明（τ = 1）",
             [f"平台核实财政能力，谎报被查出要付罚款 {_f(p['penalty'])}。",
              f"信息租金 {_f(r1['rent_strong'])}，困难型任务 {_f(r1['quota_weak'])}"
              f"（区间 {r1['regime']}）。",
              f"τ ≥ {_f(r0['threshold_transparency'])} 即达到完全信息最优。"]),
        ]
    else:
        steps = [
            ("Who moves, and what do they know?",
             [f"The centre (principal) does not know the aider's fiscal capacity: a strong aider has marginal cost "
              f"{_f(p['cost_strong'])} (probability {_f(p['prob_strong'])}), a weak one {_f(p['cost_weak'])}.",
              "The centre commits to a menu of (quota, transfer) contracts; the aider then claims a type."]),
            ("What would a naive centre get?",
             [f"Offering each type its full-information contract, the strong aider would gain "
              f"{_f(r0['naive_pleading_gain'])} by claiming to be weak: it pleads poverty."]),
            ("The centre's best response: the optimal menu",
             [f"It leaves the strong aider an information rent of {_f(r0['rent_strong'])} and cuts the weak type's "
              f"quota from {_f(r0['quota_weak_first_best'])} to {_f(r0['quota_weak'])} (regime {r0['regime']}), so "
              f"that pleading poverty is no longer worth it.",
              f"The centre's welfare is {_f(r0['centre_welfare'])}, {_f(r0['welfare_loss'])} below full "
              f"information."]),
            ("The same game with full transparency (τ = 1)",
             [f"The platform reveals the true type; a false claim costs the penalty {_f(p['penalty'])}.",
              f"Rent {_f(r1['rent_strong'])}, weak quota {_f(r1['quota_weak'])} (regime {r1['regime']}).",
              f"Any τ ≥ {_f(r0['threshold_transparency'])} already gives the first best."]),
        ]
    return [DemoStep(heading, tuple(lines)) for heading, lines in steps]


STORY = Story(
    title={"en": "Pleading poverty (装穷叫苦): screening the aider's fiscal capacity",
           "zh": "装穷叫苦：对支援方财政能力的甄别"},
    order=10,
    thresholds=("threshold_transparency",),
    figure=Figure(outputs=("rent_strong", "welfare_loss", "quota_weak")),
    sentences=sentences,
    demo_title={"en": "Classroom walkthrough: pleading poverty (装穷叫苦), a screening game",
                "zh": "课堂演示：装穷叫苦（甄别模型）"},
    demo=demo,
    glossary={"pleading_poverty": ("pleading poverty", "装穷叫苦"),
              "information_rent": ("information rent", "信息租金")},
)
