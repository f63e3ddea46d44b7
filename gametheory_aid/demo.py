"""Narrated classroom walkthroughs: one model, step by step, without and with transparency.

Each walkthrough says who moves, what they know, what each would do and why, the
equilibrium, and then the same game with full transparency -- every number computed by the
model's own ``solve()`` at its default parameters.
"""
from __future__ import annotations

from .models import get_model
from .report import format_number

__all__ = ["demo", "DEMOS"]


_f = format_number


def _steps(title: str, steps: list) -> str:
    lines = [title, "=" * len(title), ""]
    for i, (head, body) in enumerate(steps, 1):
        lines += [f"Step {i}. {head}" if not head.startswith("第") else head, *[f"   {b}" for b in body], ""]
    return "\n".join(lines)


def _pleading(lang):
    m = get_model("pleading-poverty")()
    p = m.params
    r0, r1 = m.solve().to_dict(), m.with_(transparency=1.0).solve().to_dict()
    if lang == "zh":
        return _steps("课堂演示：装穷叫苦（甄别模型）", [
            ("第1步 谁行动、谁知道什么", [f"中央政府（委托人）不知道支援方的财政能力：宽裕型边际成本 {_f(p['cost_strong'])}（概率 "
                                    f"{_f(p['prob_strong'])}），困难型 {_f(p['cost_weak'])}。", "中央先提出合同菜单，支援方再申报类型。"]),
            ("第2步 天真的合同会怎样", [f"若中央按完全信息最优出价，宽裕型谎称困难可多得 {_f(r0['naive_pleading_gain'])}："
                                  "这就是装穷叫苦。"]),
            ("第3步 中央的最优回应", [f"中央留给宽裕型 {_f(r0['rent_strong'])} 的信息租金，并把困难型任务从 "
                                f"{_f(r0['quota_weak_first_best'])} 压到 {_f(r0['quota_weak'])}（区间 {r0['regime']}）。",
                                f"中央福利 {_f(r0['centre_welfare'])}，比完全信息少 {_f(r0['welfare_loss'])}。"]),
            ("第4步 数字透明（τ = 1）", [f"平台核实财政能力，谎报被查出要付罚款 {_f(p['penalty'])}。",
                                   f"信息租金 {_f(r1['rent_strong'])}，困难型任务 {_f(r1['quota_weak'])}（区间 {r1['regime']}）。",
                                   f"τ ≥ {_f(r0['threshold_transparency'])} 即达到完全信息最优。"]),
        ])
    return _steps("Classroom walkthrough: pleading poverty (装穷叫苦), a screening game", [
        ("Who moves, and what do they know?",
         [f"The centre (principal) does not know the aider's fiscal capacity: a strong aider has marginal cost "
          f"{_f(p['cost_strong'])} (probability {_f(p['prob_strong'])}), a weak one {_f(p['cost_weak'])}.",
          "The centre commits to a menu of (quota, transfer) contracts; the aider then claims a type."]),
        ("What would a naive centre get?",
         [f"Offering each type its full-information contract, the strong aider would gain "
          f"{_f(r0['naive_pleading_gain'])} by claiming to be weak: it pleads poverty."]),
        ("The centre's best response: the optimal menu",
         [f"It leaves the strong aider an information rent of {_f(r0['rent_strong'])} and cuts the weak type's quota "
          f"from {_f(r0['quota_weak_first_best'])} to {_f(r0['quota_weak'])} (regime {r0['regime']}), so that "
          f"pleading poverty is no longer worth it.",
          f"The centre's welfare is {_f(r0['centre_welfare'])}, {_f(r0['welfare_loss'])} below full information."]),
        ("The same game with full transparency (τ = 1)",
         [f"The platform reveals the true type; a false claim costs the penalty {_f(p['penalty'])}.",
          f"Rent {_f(r1['rent_strong'])}, weak quota {_f(r1['quota_weak'])} (regime {r1['regime']}).",
          f"Any τ ≥ {_f(r0['threshold_transparency'])} already gives the first best."]),
    ])


def _bargaining(lang):
    m = get_model("poverty-bargaining")()
    p = m.params
    r0, r1 = m.solve().to_dict(), m.with_(transparency=1.0).solve().to_dict()
    if lang == "zh":
        return _steps("课堂演示：与中央政府博弈（讨价还价）", [
            ("第1步 谁行动、谁知道什么", [f"支援方真实成本 {_f(p['true_cost'])} 只有自己知道；它先申报成本，再与中央就任务量和补偿讨价还价。"]),
            ("第2步 支援方怎么做、为什么", [f"多报成本会缩小任务、抬高补偿：它申报 {_f(r0['claimed_cost'])}，多报 {_f(r0['overstatement'])}，"
                                     f"多得 {_f(r0['aider_gain_from_pleading'])}。"]),
            ("第3步 均衡", [f"相信申报时任务 {_f(r0['quota_if_believed'])}，有效任务 {_f(r0['efficient_quota'])}，"
                          f"预期缺口 {_f(r0['expected_shortfall'])}。"]),
            ("第4步 数字透明（τ = 1）", [f"财政数据必被核实：申报 {_f(r1['claimed_cost'])}，缺口 {_f(r1['expected_shortfall'])}。",
                                   f"τ ≥ {_f(r0['threshold_transparency'])} 时如实申报。"]),
        ])
    return _steps("Classroom walkthrough: bargaining with the centre on claimed costs", [
        ("Who moves, and what do they know?",
         [f"Only the aider knows its true marginal cost {_f(p['true_cost'])}. It claims a cost, then bargains with "
          f"the centre over the quota and compensation as if the claim were true."]),
        ("What does the aider do, and why?",
         [f"A higher claimed cost shrinks the quota and raises compensation: it claims {_f(r0['claimed_cost'])}, "
          f"an overstatement of {_f(r0['overstatement'])}, worth {_f(r0['aider_gain_from_pleading'])} to it."]),
        ("The equilibrium",
         [f"Quota if believed {_f(r0['quota_if_believed'])} against the efficient {_f(r0['efficient_quota'])}: "
          f"an expected shortfall of {_f(r0['expected_shortfall'])}."]),
        ("The same game with full transparency (τ = 1)",
         [f"The fiscal data are always verified: the claim is {_f(r1['claimed_cost'])}, the shortfall "
          f"{_f(r1['expected_shortfall'])}.",
          f"The aider is honest from τ ≥ {_f(r0['threshold_transparency'])}."]),
    ])


_ZH_ACTOR = {"upper": "上级", "lower": "下级"}


def _plan_text(plan, lang):
    words = ("行动", "推") if lang == "zh" else ("act", "pass")
    return " → ".join(words[0] if a else words[1] for a in plan)


def _pushdown(lang):
    m = get_model("task-pushdown")()
    p = m.params
    r0, r1 = m.solve().to_dict(), m.with_(transparency=1.0).solve().to_dict()
    if lang == "zh":
        return _steps("课堂演示：向下转移任务压力与反向避责", [
            ("第1步 谁行动、谁知道什么", [f"上级（支援方）与下级轮流持有任务，共 {p['rounds']} 轮；完全信息。每轮持有者选择行动或推给对方。"]),
            ("第2步 各方怎么做、为什么", [f"行动要付成本、失败要担责；推诿则把风险留给对方，但任务落空时双方只承担 "
                                   f"{_f(p['blame_stickiness'])} 比例的责任——责任分散。"]),
            ("第3步 均衡（逆向归纳）", [f"各轮计划：{_plan_text(r0['plan'], lang)}；"
                                 + ("任务落空。" if r0["lapsed"] else f"第 {r0['acting_round']} 轮由{_ZH_ACTOR.get(r0['actor'], r0['actor'])}行动，"
                                    f"完成概率 {_f(r0['completion_probability'])}。")]),
            ("第4步 数字透明（τ = 1）", ["责任网格记录每次推诿，任务落空时责任全部归位。",
                                   f"各轮计划：{_plan_text(r1['plan'], lang)}；完成概率 {_f(r1['completion_probability'])}。"]),
        ])
    return _steps("Classroom walkthrough: pushing tasks down and reverse blame-avoidance", [
        ("Who moves, and what do they know?",
         [f"The Upper (the aider) and the Lower hold the task in turn for {p['rounds']} rounds, with perfect "
          f"information. Each round the holder acts or passes it on (push down / escalate)."]),
        ("What would each do, and why?",
         [f"Acting costs effort and risks blame on failure; passing leaves the risk to the other. If every round "
          f"passes, only a share {_f(p['blame_stickiness'])} of the blame sticks: responsibility is diffuse."]),
        ("The equilibrium, by backward induction",
         [f"Plan by round: {_plan_text(r0['plan'], lang)}; "
          + ("the task falls through (任务落空)." if r0["lapsed"] else
             f"the {r0['actor']} acts in round {r0['acting_round']}, completing the task with probability "
             f"{_f(r0['completion_probability'])}.")]),
        ("The same game with full transparency (τ = 1)",
         ["The responsibility grid records every pass, so all blame for a lapse sticks.",
          f"Plan by round: {_plan_text(r1['plan'], lang)}; completion probability "
          f"{_f(r1['completion_probability'])}."]),
    ])


def _joint(lang):
    m = get_model("joint-blame")()
    r0, r1 = m.solve().to_dict(), m.with_(transparency=1.0).solve().to_dict()
    if lang == "zh":
        return _steps("课堂演示：联合避责（合谋与核查）", [
            ("第1步 谁行动、谁知道什么", ["支援方与受援方都知道当年业绩好坏，中央只看到联合上报的结果。",
                                   "业绩不佳时二者可共同虚报为好；中央决定是否核查。"]),
            ("第2步 各方怎么做、为什么", [f"虚报带来考核奖励，但被查出要受罚；二者通过转移支付分配收益（支援方向受援方转移 "
                                   f"{_f(r0['side_transfer'])}）。中央核查有成本，只有合谋足够多时才值得核查。"]),
            ("第3步 均衡", [f"合谋概率 {_f(r0['collusion_probability'])}，核查概率 {_f(r0['audit_probability'])}（区间 {r0['regime']}）。"]),
            ("第4步 数字透明（τ = 1）", [f"平台自动发现虚报：合谋概率 {_f(r1['collusion_probability'])}，核查概率 "
                                   f"{_f(r1['audit_probability'])}（区间 {r1['regime']}）。",
                                   f"τ ≥ {_f(r0['deterrence_threshold'])} 时无需核查即可阻止合谋。"]),
        ])
    return _steps("Classroom walkthrough: joint blame-avoidance (联合避责) against the evaluation", [
        ("Who moves, and what do they know?",
         ["The aider and the recipient both see whether the year went well; the centre sees only their joint report.",
          "In a bad year they may jointly report it as good; the centre decides whether to audit good reports."]),
        ("What would each do, and why?",
         [f"A good report earns rewards, a detected false one costs penalties. The pair splits the gain with a "
          f"side transfer (aider to recipient: {_f(r0['side_transfer'])}). Auditing is costly, so the centre audits "
          f"only when enough reports are false: an inspection game."]),
        ("The equilibrium",
         [f"They falsify with probability {_f(r0['collusion_probability'])}; the centre audits with probability "
          f"{_f(r0['audit_probability'])} (regime {r0['regime']})."]),
        ("The same game with full transparency (τ = 1)",
         [f"The platform flags false reports itself: collusion {_f(r1['collusion_probability'])}, audits "
          f"{_f(r1['audit_probability'])} (regime {r1['regime']}).",
          f"From τ ≥ {_f(r0['deterrence_threshold'])} collusion is deterred without any audit."]),
    ])


DEMOS = {"pleading-poverty": _pleading, "poverty-bargaining": _bargaining,
         "task-pushdown": _pushdown, "joint-blame": _joint}


def demo(model: str, lang: str = "en") -> str:
    """The narrated walkthrough of ``model`` in ``lang`` ("en" or "zh")."""
    if lang not in ("en", "zh"):
        raise ValueError(f"unknown language {lang!r}; choose en or zh")
    try:
        return DEMOS[model](lang)
    except KeyError:
        raise ValueError(f"no classroom walkthrough for {model!r}; available: {', '.join(DEMOS)}") from None
