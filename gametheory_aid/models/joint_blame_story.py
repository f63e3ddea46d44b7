"""The story of ``joint-blame`` (联合避责): its report section, figure, walkthrough and terms.

The aider and the recipient may jointly falsify a bad evaluation result; the centre audits
good reports, and the digital platform flags false ones by itself.  The sentences and the
walkthrough read every number from the comparison table, the thresholds or ``model.solve()``.
"""
from __future__ import annotations

from .story import DemoStep, Figure, Story, change, effect, format_number, same, threshold_case
from .story import first_last as _first_last

__all__ = ["STORY"]

_f = format_number


def _regime(r, lang: str) -> str:
    """The regime's label (the story's own, so that the story needs nothing from the model)."""
    return STORY.label(r["regime"], lang)


def _at(tau, r, lang: str) -> str:
    """Collusion and audits at one level, with the case said from the numbers."""
    x, a, g = r["collusion_probability"], r["audit_probability"], _regime(r, lang)
    if same(x, 0):
        audits = ("中央无需核查" if same(a, 0) else f"中央仍以 {_f(a)} 的概率核查") if lang == "zh" else (
            "the centre need not audit" if same(a, 0) else f"the centre still audits with probability {_f(a)}")
        return (f"τ = {_f(tau)} 时，业绩不佳的年份支援方与受援方不联合避责、如实上报，{audits}（均衡类型：{g}）。"
                if lang == "zh" else
                f"At τ = {_f(tau)}, in a bad year the aider and the recipient report truthfully (no joint "
                f"blame-avoidance, 联合避责) and {audits} (regime: {g}).")
    if lang == "zh":
        return (f"τ = {_f(tau)} 时，业绩不佳的年份支援方与受援方以 {_f(x)} 的概率联合避责、共同虚报考核结果，中央以 "
                f"{_f(a)} 的概率核查（均衡类型：{g}）。")
    return (f"At τ = {_f(tau)}, in a bad year the aider and the recipient jointly falsify the evaluation (联合避责) "
            f"with probability {_f(x)} and the centre audits with probability {_f(a)} (regime: {g}).")


def _deterrence(tau_d, lang: str) -> str:
    """Where the platform alone deters falsifying: at τ = 0, inside (0, 1], or at no level."""
    case = threshold_case(tau_d)
    if lang == "zh":
        return {"zero": "τ = 0 时即使无人核查也不值得合谋。",
                "inside": f"τ ≥ {_f(tau_d)} 时即使无人核查也不值得合谋。",
                "never": "没有任何透明度水平能单靠平台阻止合谋。"}[case]
    return {"zero": "Falsifying does not pay even without audits, already at τ = 0.",
            "inside": f"From τ ≥ {_f(tau_d)} falsifying does not pay even without audits.",
            "never": "No transparency level deters falsifying by the platform alone."}[case]


def _reward(t0, w_star, lang: str) -> str:
    """The whistleblower reward that deters at the first level (none needed where it is 0)."""
    if same(w_star, 0):
        return (f"τ = {_f(t0)} 时无需举报奖励。" if lang == "zh"
                else f"At τ = {_f(t0)} no whistleblower reward is needed.")
    if not float(w_star) < float("inf"):
        return (f"τ = {_f(t0)} 时任何举报奖励都不能阻止合谋。" if lang == "zh"
                else f"At τ = {_f(t0)} no whistleblower reward would deter it.")
    return (f"τ = {_f(t0)} 时，举报奖励达到 {_f(w_star)} 亦可阻止合谋。" if lang == "zh"
            else f"At τ = {_f(t0)} a whistleblower reward of {_f(w_star)} would deter it too.")


def sentences(table, facts, lang: str) -> list:
    """The report's sentences: collusion and audits at the first level, their move to the last, the thresholds.

    Every word is chosen from the numbers: whether the pair colludes at all, which way collusion
    and audits move from the first level to the last (in the order given; "transparency raises
    collusion" is said plainly where it does), whether the deterrence threshold lies at τ = 0,
    inside (0, 1] or beyond every level, and whether a whistleblower reward is needed.

    Parameters
    ----------
    table : Comparison
        The model solved at each transparency level.
    facts : dict
        ``deterrence_threshold`` (the least transparency that deters without audits) and
        ``collusion_proof_reward`` (the least whistleblower reward that does, at the first level).
    lang : {"en", "zh"}
    """
    t0, t1 = table.levels[0], table.levels[-1]
    first, last = table.results[0].to_dict(), table.results[-1].to_dict()
    x0, x1 = _first_last(table, "collusion_probability")
    a0, a1 = _first_last(table, "audit_probability")
    out = [_at(t0, first, lang)]
    if not same(t0, t1):
        move = effect(x0, x1, t0, t1)  # as transparency rises
        g1 = _regime(last, lang)
        if lang == "zh":
            why = {"falls": "透明度抑制了合谋。",
                   "rises": "这里透明度反而提高了合谋概率：平台的自动发现挤出了中央的核查。",
                   "stays": "透明度没有改变合谋概率。"}[move]
            out.append(f"从 τ = {_f(t0)} 到 τ = {_f(t1)}，合谋概率{change(x0, x1, lang)}，核查概率"
                       f"{change(a0, a1, lang)}（均衡类型：{g1}）：{why}")
        else:
            why = {"falls": "transparency curbs collusion.",
                   "rises": "here transparency raises collusion: the platform's own detection crowds out audits.",
                   "stays": "transparency leaves collusion where it was."}[move]
            out.append(f"From τ = {_f(t0)} to τ = {_f(t1)} collusion {change(x0, x1, lang)} and the audit probability "
                       f"{change(a0, a1, lang)} (regime: {g1}): {why}")
    out.append(_deterrence(facts["deterrence_threshold"], lang) + ("" if lang == "zh" else " ")
               + _reward(t0, facts["collusion_proof_reward"], lang))
    return out



def demo(model, lang: str) -> list:
    """The classroom walkthrough at the model's parameters, without and with full transparency."""
    r0, r1 = model.solve().to_dict(), model.with_(transparency=1.0).solve().to_dict()
    t = model.params["transparency"]
    x0, x1 = r0["collusion_probability"], r1["collusion_probability"]
    a0, a1 = r0["audit_probability"], r1["audit_probability"]
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
              f"（均衡类型：{_regime(r0, lang)}）。"]),
            ("第4步 数字透明（τ = 1）",
             [f"平台自动发现虚报：与 τ = {_f(t)} 相比，合谋概率{change(x0, x1, lang)}，核查概率{change(a0, a1, lang)}"
              f"（均衡类型：{_regime(r1, lang)}）。",
              _deterrence(r0["deterrence_threshold"], lang)]),
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
              f"{_f(r0['audit_probability'])} (regime {_regime(r0, lang)})."]),
            ("The same game with full transparency (τ = 1)",
             [f"The platform flags false reports itself: against τ = {_f(t)}, collusion {change(x0, x1, lang)} and the "
              f"audit probability {change(a0, a1, lang)} (regime {_regime(r1, lang)}).",
              _deterrence(r0["deterrence_threshold"], lang)]),
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
