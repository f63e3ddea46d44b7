"""The story of ``joint-blame`` (联合避责): its report section, figure, walkthrough and terms.

The aider and the recipient may jointly falsify a bad evaluation result; the centre audits
good reports, and the digital platform flags false ones by itself.  The sentences and the
walkthrough read every number from the comparison table, the thresholds or ``model.solve()``.
"""
from __future__ import annotations

from .story import DemoStep, Figure, Story, format_number
from .story import first_last as _first_last

__all__ = ["STORY"]

_f = format_number


def sentences(table, facts, lang: str) -> list:
    """The report's sentences: collusion and audits at the lowest and highest transparency.

    Parameters
    ----------
    table : Comparison
        The model solved at each transparency level.
    facts : dict
        ``deterrence_threshold`` (the least transparency that deters without audits) and
        ``collusion_proof_reward`` (the least whistleblower reward that does).
    lang : {"en", "zh"}
    """
    t0, t1 = table.levels[0], table.levels[-1]
    x0, x1 = _first_last(table, "collusion_probability")
    a0, a1 = _first_last(table, "audit_probability")
    g0, g1 = _first_last(table, "regime")
    tau_d, w_star = facts["deterrence_threshold"], facts["collusion_proof_reward"]
    if lang == "zh":
        return [f"τ = {_f(t0)} 时，业绩不佳的年份支援方与受援方以 {_f(x0)} 的概率联合避责、共同虚报考核结果，中央以 "
                f"{_f(a0)} 的概率核查（区间：{g0}）。",
                f"τ = {_f(t1)} 时，合谋概率 {_f(x1)}，核查概率 {_f(a1)}（区间：{g1}）。在混合区间内，平台的自动发现"
                f"会挤出中央的核查，合谋率反而可能先升后降。",
                f"τ ≥ {_f(tau_d)} 时即使无人核查也不值得合谋；举报奖励达到 {_f(w_star)} 亦可阻止合谋。"]
    return [f"At τ = {_f(t0)}, in a bad year the aider and the recipient jointly falsify the evaluation (联合避责) "
            f"with probability {_f(x0)} and the centre audits with probability {_f(a0)} (regime: {g0}).",
            f"At τ = {_f(t1)} they collude with probability {_f(x1)} and the centre audits with probability "
            f"{_f(a1)} (regime: {g1}). In the mixed regime the platform's own detection crowds out audits, so "
            f"partial transparency can raise collusion before it deters it.",
            f"From τ ≥ {_f(tau_d)} falsifying does not pay even without audits; a whistleblower reward of "
            f"{_f(w_star)} would deter it too."]


def demo(model, lang: str) -> list:
    """The classroom walkthrough at the model's parameters, without and with full transparency."""
    r0, r1 = model.solve().to_dict(), model.with_(transparency=1.0).solve().to_dict()
    if lang == "zh":
        steps = [
            ("第1步 谁行动、谁知道什么",
             ["支援方与受援方都知道当年业绩好坏，中央只看到联合上报的结果。",
              "业绩不佳时二者可共同虚报为好；中央决定是否核查。"]),
            ("第2步 各方怎么做、为什么",
             [f"虚报带来考核奖励，但被查出要受罚；二者通过转移支付分配收益（支援方向受援方转移 "
              f"{_f(r0['side_transfer'])}）。中央核查有成本，只有合谋足够多时才值得核查。"]),
            ("第3步 均衡",
             [f"合谋概率 {_f(r0['collusion_probability'])}，核查概率 {_f(r0['audit_probability'])}"
              f"（区间 {r0['regime']}）。"]),
            ("第4步 数字透明（τ = 1）",
             [f"平台自动发现虚报：合谋概率 {_f(r1['collusion_probability'])}，核查概率 "
              f"{_f(r1['audit_probability'])}（区间 {r1['regime']}）。",
              f"τ ≥ {_f(r0['deterrence_threshold'])} 时无需核查即可阻止合谋。"]),
        ]
    else:
        steps = [
            ("Who moves, and what do they know?",
             ["The aider and the recipient both see whether the year went well; the centre sees only their joint "
              "report.",
              "In a bad year they may jointly report it as good; the centre decides whether to audit good reports."]),
            ("What would each do, and why?",
             [f"A good report earns rewards, a detected false one costs penalties. The pair splits the gain with a "
              f"side transfer (aider to recipient: {_f(r0['side_transfer'])}). Auditing is costly, so the centre "
              f"audits only when enough reports are false: an inspection game."]),
            ("The equilibrium",
             [f"They falsify with probability {_f(r0['collusion_probability'])}; the centre audits with probability "
              f"{_f(r0['audit_probability'])} (regime {r0['regime']})."]),
            ("The same game with full transparency (τ = 1)",
             [f"The platform flags false reports itself: collusion {_f(r1['collusion_probability'])}, audits "
              f"{_f(r1['audit_probability'])} (regime {r1['regime']}).",
              f"From τ ≥ {_f(r0['deterrence_threshold'])} collusion is deterred without any audit."]),
        ]
    return [DemoStep(heading, tuple(lines)) for heading, lines in steps]


#: Short labels of the outputs, regimes and parameters: name -> (English, Chinese).
LABELS = {
    # parameters
    "prob_good": ("probability of good performance", "考核结果较好的概率"),
    "reward_aider": ("aider's reward for a good result", "支援方的考核奖励"),
    "reward_recipient": ("recipient's reward for a good result", "受援方的考核奖励"),
    "penalty_aider": ("aider's penalty if caught", "支援方被查出的问责"),
    "penalty_recipient": ("recipient's penalty if caught", "受援方被查出的问责"),
    "transfer_efficiency": ("side-transfer efficiency", "私下转移的效率"),
    "recipient_power": ("recipient's bargaining power", "受援方的议价能力"),
    "audit_cost": ("centre's audit cost", "考核评估成本"),
    "audit_detection": ("audit detection probability", "核查的查出概率"),
    "centre_loss": ("centre's loss from a false report", "虚报对中央的损失"),
    "transparency": ("digital transparency", "数字透明程度"),
    "whistleblower_reward": ("whistleblower reward", "举报奖励"),
    # outputs
    "collusion_probability": ("collusion probability", "联合避责概率"),
    "audit_probability": ("audit probability", "核查概率"),
    "regime": ("regime", "均衡类型"),
    "detection_probability": ("detection probability", "查出概率"),
    "false_report_rate": ("share of false good reports", "虚报比例"),
    "centre_expected_loss": ("centre's expected loss", "中央的期望损失"),
    "side_transfer": ("side transfer to the recipient", "支援方给受援方的私下转移"),
    "aider_gain": ("aider's gain from colluding", "支援方合谋的收益"),
    "recipient_gain": ("recipient's gain from colluding", "受援方合谋的收益"),
    "deterrence_threshold": ("deterrence transparency threshold", "遏制联合避责的透明度门槛"),
    "collusion_proof_reward": ("collusion-proof whistleblower reward", "防合谋的举报奖励"),
    # regimes
    "deterred": ("deterred", "联合避责被遏制"),
    "unchecked": ("unchecked collusion", "联合避责不受核查"),
    "collude_and_audit": ("collusion and audits", "合谋与核查并存"),
    "mixed": ("mixed", "混合均衡"),
}

STORY = Story(
    title={"en": "Joint blame-avoidance against the evaluation (联合避责)",
           "zh": "联合避责：合谋应对考核评价"},
    order=40,
    thresholds=("deterrence_threshold", "collusion_proof_reward"),
    figure=Figure(outputs=("collusion_probability", "audit_probability", "centre_expected_loss")),
    sentences=sentences,
    demo_title={"en": "Classroom walkthrough: joint blame-avoidance (联合避责) against the evaluation",
                "zh": "课堂演示：联合避责（合谋与核查）"},
    demo=demo,
    glossary={"joint_blame": ("joint blame-avoidance", "联合避责"),
              "evaluation": ("the east-west cooperation evaluation", "东西部协作考核评价"),
              "whistleblower": ("whistleblower reward", "举报奖励")},
    labels=LABELS,
)
