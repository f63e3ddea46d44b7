"""The story of ``pleading-poverty`` (装穷叫苦): its report section, figure, walkthrough and terms.

The sentences and the walkthrough are functions of the solution: every number in them comes
from the comparison table, the thresholds, or ``model.solve()`` at the model's parameters.
"""
from __future__ import annotations

from .story import DemoStep, Figure, Story, direction, format_number, label, same

__all__ = ["STORY"]

_f = format_number


def _label(name: str, lang: str) -> str:
    from . import get_model  # the registry imports this module: look the model up when speaking

    return label(get_model("pleading-poverty"), name, lang)


def _threshold(tau_fb, lang: str, demo: bool = False) -> str:
    """Where the first best starts, said from whether the threshold is inside [0, 1]."""
    tau_fb = float(tau_fb)
    if tau_fb <= 0:
        return "τ = 0 时即已达到完全信息最优。" if lang == "zh" else "The first best holds already at τ = 0."
    if not tau_fb <= 1:  # above 1, or infinite / undefined
        return "没有任何透明度水平能达到完全信息最优。" if lang == "zh" else \
            "No transparency level reaches the first best."
    if lang == "zh":
        return f"τ ≥ {_f(tau_fb)} 即达到完全信息最优。" if demo else f"τ ≥ {_f(tau_fb)} 时达到完全信息最优。"
    return f"Any τ ≥ {_f(tau_fb)} already gives the first best." if demo else \
        f"The first best holds from τ ≥ {_f(tau_fb)}."


def _at_first(row: dict, t0, lang: str) -> str:
    """The first level's sentence: the naive plea, then the menu's rent and quota cut (if any)."""
    naive, rent, fb, q = row["naive_pleading_gain"], row["rent_strong"], row["quota_weak_first_best"], row["quota_weak"]
    regime = _label(row["regime"], lang)
    pleads = float(naive) > 0 and not same(naive, 0)
    cut = float(q) < float(fb) and not same(q, fb)
    if lang == "zh":
        head = (f"τ = {_f(t0)} 时，若中央天真地提供完全信息合同，财政宽裕的支援方装穷叫苦可多得 {_f(naive)}；"
                if pleads else f"τ = {_f(t0)} 时，即使中央天真地提供完全信息合同，装穷叫苦也不划算；")
        if cut:
            tail = (f"{'因此' if pleads else ''}最优合同须留给它 {_f(rent)} 的信息租金，并把困难型的任务从 {_f(fb)} "
                    f"压到 {_f(q)}（均衡类型：{regime}）。")
        elif same(fb, 0):
            tail = (f"最优合同留给它 {_f(rent)} 的信息租金；即使在完全信息下困难型也不值得承担任务"
                    f"（任务 0，均衡类型：{regime}）。")
        else:
            tail = (f"最优合同留给它 {_f(rent)} 的信息租金，困难型的任务保持在完全信息水平 {_f(q)}"
                    f"（均衡类型：{regime}）。")
        return head + tail
    head = (f"At τ = {_f(t0)}, a fiscally strong aider facing naive first-best contracts would gain "
            f"{_f(naive)} by pleading poverty (装穷叫苦); " if pleads else
            f"At τ = {_f(t0)}, pleading poverty (装穷叫苦) would not pay even against naive first-best contracts; ")
    if cut:
        tail = (f"the optimal menu {'therefore ' if pleads else ''}leaves it an information rent of {_f(rent)} and "
                f"cuts the weak type's quota from {_f(fb)} to {_f(q)} (regime: {regime}).")
    elif same(fb, 0):
        tail = (f"the optimal menu leaves the strong aider a rent of {_f(rent)}; the weak type is not worth a task "
                f"even with full information (quota 0, regime: {regime}).")
    else:
        tail = (f"the optimal menu leaves the strong aider a rent of {_f(rent)} and keeps the weak type's quota at "
                f"its first best {_f(q)} (regime: {regime}).")
    return head + tail


def _menu(row: dict, lang: str) -> str:
    """The demo's line on the optimal menu: the quota cut where there is one."""
    rent, fb, q = row["rent_strong"], row["quota_weak_first_best"], row["quota_weak"]
    regime = _label(row["regime"], lang)
    cut = float(q) < float(fb) and not same(q, fb)
    if lang == "zh":
        if cut:
            return (f"中央留给宽裕型 {_f(rent)} 的信息租金，并把困难型任务从 {_f(fb)} 压到 {_f(q)}"
                    f"（均衡类型：{regime}）。")
        if same(fb, 0):
            return (f"中央留给宽裕型 {_f(rent)} 的信息租金；即使在完全信息下困难型也不值得承担任务"
                    f"（任务 0，均衡类型：{regime}）。")
        return f"中央留给宽裕型 {_f(rent)} 的信息租金，困难型任务保持完全信息水平 {_f(q)}（均衡类型：{regime}）。"
    if cut:
        return (f"It leaves the strong aider an information rent of {_f(rent)} and cuts the weak type's quota from "
                f"{_f(fb)} to {_f(q)} (regime {regime}), so that pleading poverty is no longer worth it.")
    if same(fb, 0):
        return (f"It leaves the strong aider a rent of {_f(rent)}; the weak type is not worth a task even with full "
                f"information (quota 0, regime {regime}).")
    return (f"It leaves the strong aider a rent of {_f(rent)} and keeps the weak type's quota at its first best "
            f"{_f(q)} (regime {regime}): no distortion is needed.")


def sentences(table, facts, lang: str) -> list:
    """The report's sentences, chosen from the numbers at the first and the last level given.

    The first level's plea and menu; then, if the last level differs, how the rent and the weak
    quota move from the first level to the last (in the order the levels are given); then where
    the first best starts (at τ = 0, inside (0, 1], or at no level).

    Parameters
    ----------
    table : Comparison
        The model solved at each transparency level.
    facts : dict
        ``threshold_transparency`` (the least transparency giving the first best).
    lang : {"en", "zh"}
    """
    t0, t1 = table.levels[0], table.levels[-1]
    first, last = table.results[0].to_dict(), table.results[-1].to_dict()
    out = [_at_first(first, t0, lang)]
    if not same(t0, t1):
        r0, r1 = first["rent_strong"], last["rent_strong"]
        q1, regime = last["quota_weak"], _label(last["regime"], lang)
        move = direction(r0, r1, "en")
        if lang == "zh":
            why = {"falls": "平台核实财政能力，装穷叫苦被查出的风险使谎报不再划算。",
                   "rises": f"这里信息租金反而上升（{_f(r0)} → {_f(r1)}）。",
                   "stays": f"透明度没有改变信息租金（τ = {_f(t0)} 时同为 {_f(r0)}）。"}[move]
            out.append(f"τ = {_f(t1)} 时，信息租金为 {_f(r1)}，困难型任务为 {_f(q1)}（均衡类型：{regime}）：{why}")
        else:
            why = {"falls": "the platform verifies fiscal capacity, so a false plea risks the penalty and is "
                            "worth less.",
                   "rises": f"here the rent rises ({_f(r0)} → {_f(r1)}).",
                   "stays": f"transparency leaves the rent where it was at τ = {_f(t0)} ({_f(r0)})."}[move]
            out.append(f"At τ = {_f(t1)} the rent is {_f(r1)} and the weak type's quota {_f(q1)} (regime: {regime}): "
                       f"{why}")
    out.append(_threshold(facts["threshold_transparency"], lang))
    return out


def demo(model, lang: str = "en") -> list:
    """The classroom walkthrough at the model's parameters, without and with full transparency.

    Each step's words are chosen from the numbers: whether the naive plea pays, whether the menu
    cuts the weak quota, and where the first best starts.
    """
    p = model.params
    r0, r1 = model.solve().to_dict(), model.with_(transparency=1.0).solve().to_dict()
    naive = r0["naive_pleading_gain"]
    pleads = float(naive) > 0 and not same(naive, 0)
    if lang == "zh":
        steps = [
            ("第1步 谁行动、谁知道什么",
             [f"中央政府（委托人）不知道支援方的财政能力：宽裕型边际成本 {_f(p['cost_strong'])}"
              f"（概率 {_f(p['prob_strong'])}），困难型 {_f(p['cost_weak'])}。",
              "中央先提出合同菜单，支援方再申报类型。"]),
            ("第2步 天真的合同会怎样",
             [f"若中央按完全信息最优出价，宽裕型谎称困难可多得 {_f(naive)}：这就是装穷叫苦。" if pleads else
              "即使中央按完全信息最优出价，宽裕型谎称困难也得不到好处：这里没有装穷叫苦的动机。"]),
            ("第3步 中央的最优回应",
             [_menu(r0, lang),
              f"中央福利 {_f(r0['centre_welfare'])}，比完全信息少 {_f(r0['welfare_loss'])}。"]),
            ("第4步 数字透明（τ = 1）",
             [f"平台核实财政能力，谎报被查出要付罚款 {_f(p['penalty'])}。",
              f"信息租金 {_f(r1['rent_strong'])}，困难型任务 {_f(r1['quota_weak'])}"
              f"（均衡类型：{_label(r1['regime'], lang)}）。",
              _threshold(r0["threshold_transparency"], lang, demo=True)]),
        ]
    else:
        steps = [
            ("Who moves, and what do they know?",
             [f"The centre (principal) does not know the aider's fiscal capacity: a strong aider has marginal cost "
              f"{_f(p['cost_strong'])} (probability {_f(p['prob_strong'])}), a weak one {_f(p['cost_weak'])}.",
              "The centre commits to a menu of (quota, transfer) contracts; the aider then claims a type."]),
            ("What would a naive centre get?",
             [f"Offering each type its full-information contract, the strong aider would gain {_f(naive)} by "
              f"claiming to be weak: it pleads poverty." if pleads else
              "Even against each type's full-information contract, the strong aider would gain nothing by claiming "
              "to be weak: here there is no motive to plead poverty."]),
            ("The centre's best response: the optimal menu",
             [_menu(r0, lang),
              f"The centre's welfare is {_f(r0['centre_welfare'])}, {_f(r0['welfare_loss'])} below full "
              f"information."]),
            ("The same game with full transparency (τ = 1)",
             [f"The platform reveals the true type; a false claim costs the penalty {_f(p['penalty'])}.",
              f"Rent {_f(r1['rent_strong'])}, weak quota {_f(r1['quota_weak'])} (regime {_label(r1['regime'], lang)}).",
              _threshold(r0["threshold_transparency"], lang, demo=True)]),
        ]
    return [DemoStep(heading, tuple(lines)) for heading, lines in steps]


#: Short labels of the outputs, regimes and parameters: name -> (English, Chinese).
LABELS = {
    # parameters
    "value_intercept": ("centre's marginal value of the aid task", "支援任务的边际价值"),
    "value_curvature": ("curvature of the centre's value", "中央收益的曲率"),
    "cost_strong": ("strong aider's marginal cost", "宽裕型的边际成本"),
    "cost_weak": ("weak aider's marginal cost", "困难型的边际成本"),
    "prob_strong": ("probability the aider is strong", "宽裕型的先验概率"),
    "transparency": ("digital transparency", "数字透明程度"),
    "penalty": ("penalty on a detected false claim", "虚报被查出的惩罚"),
    # outputs
    "quota_strong": ("strong aider's quota", "宽裕型的支援任务"),
    "quota_weak": ("weak aider's quota", "困难型的支援任务"),
    "quota_weak_first_best": ("weak aider's first-best quota", "困难型的最优支援任务"),
    "transfer_strong": ("transfer to the strong aider", "给宽裕型的补偿"),
    "transfer_weak": ("transfer to the weak aider", "给困难型的补偿"),
    "rent_strong": ("strong aider's information rent", "宽裕型的信息租金"),
    "centre_welfare": ("centre's expected payoff", "中央的期望收益"),
    "first_best_welfare": ("centre's first-best payoff", "完全信息下中央的收益"),
    "welfare_loss": ("centre's welfare loss", "中央的福利损失"),
    "expected_quota": ("expected quota", "期望支援任务"),
    "regime": ("regime", "均衡类型"),
    "threshold_transparency": ("first-best transparency threshold", "达到最优的透明度门槛"),
    "naive_pleading_gain": ("gain from pleading poverty", "装穷叫苦的收益"),
    "pleads_poverty_if_naive": ("pleads poverty (naive menu)", "装穷叫苦（简单合同）"),
    # regimes
    "information_rent": ("information rent", "留有信息租金"),
    "zero_rent_distorted": ("no rent, distorted quota", "无租金但任务扭曲"),
    "first_best": ("first best", "最优配置"),
    "shutdown": ("weak aider shut out", "困难型不分配任务"),
}

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
    labels=LABELS,
)
