"""The story of ``strategy-portfolio`` (组合策略): its report section, figure, walkthrough and terms.

The aider dissolves pressure with combined strategies (利用组合策略消解压力): pleading poverty
(装穷叫苦), pushing task pressure downward (向下转移任务压力), strategic allocation of resources
(策略性分配资源) and joint blame-avoidance (联合避责).  The strategies share one pool of political
capital, so a tool that blocks one displaces evasion into the others, while one platform over every
channel shrinks the space of blame-avoidance strategies (压缩避责策略空间).  The sentences and the
walkthrough read every number from the comparison table, ``model.solve()`` and
``model.optimal_targeting``.
"""
from __future__ import annotations

from .story import DemoStep, Figure, Story, change, direction, effect, format_number, same, threshold_case

__all__ = ["STORY", "CHANNELS", "TARGETING_BUDGET", "channel_name"]

_f = format_number

#: The default channels (n = 4), in English and in the paper's Chinese.
CHANNELS = {"en": ("pleading poverty (装穷叫苦)", "pushing tasks down (向下转移任务压力)",
                   "strategic allocation of resources (策略性分配资源)", "joint blame-avoidance (联合避责)"),
            "zh": ("装穷叫苦", "向下转移任务压力", "策略性分配资源", "联合避责")}

#: The budget of targeted tools the report and the walkthrough ask about: full transparency on one
#: channel at unit cost.
TARGETING_BUDGET = 1.0


def channel_name(k: int, n: int, lang: str) -> str:
    """Channel ``k`` (0-based) by its strategy when there are the default four, else by its number."""
    if n == len(CHANNELS["en"]):
        return CHANNELS["zh" if lang == "zh" else "en"][k]
    return f"渠道 {k + 1}" if lang == "zh" else f"channel {k + 1}"


def _vector(values) -> str:
    return "(" + ", ".join(_f(float(v) + 0.0) for v in list(values)) + ")"  # + 0.0: no "-0"


def _names(flags, n, lang) -> str:
    sep = "、" if lang == "zh" else ", "
    return sep.join(channel_name(k, n, lang) for k, flag in enumerate(list(flags)) if flag)


def _threshold(value, lang) -> str:
    """Where the platform deters every strategy: at τ = 0, inside (0, 1], or at no level."""
    case = threshold_case(value)
    if case == "never":
        return ("即使平台完全透明，支援方仍会使用某些策略（罚款低于收益）" if lang == "zh"
                else "even a fully transparent platform leaves some strategy in use (its fine is below its gain)")
    if case == "zero":
        return ("支援方在任何透明度下都不使用任何策略" if lang == "zh"
                else "the aider uses no strategy at any transparency")
    return (f"平台透明度达到 τ = {_f(value)} 时所有策略都被遏制，避责策略空间被压缩为零" if lang == "zh"
            else f"from τ = {_f(value)} the platform deters every strategy: the strategic space shrinks to nothing "
                 f"(压缩避责策略空间)")



def _join(items, lang) -> str:
    return ("、" if lang == "zh" else ", ").join(items)


def _targeting_sentences(best, n, lang) -> list:
    """Where a limited budget of targeted tools should go first, from an :class:`OptimalTargeting`.

    First the margin (``marginal_harm``: the harm's rate of change per unit of spending on each channel
    at no targeting), then the exact optimum for the budget against spreading it evenly and no targeting.
    """
    rate = [float(x) for x in best.marginal_harm]
    steepest = min(rate)
    scale = max(1.0, abs(steepest))
    first = [k for k in range(n) if rate[k] <= steepest + 1e-9 * scale]
    raising = [k for k in range(n) if rate[k] > 1e-12 * scale]
    names = [channel_name(k, n, lang) for k in first]
    targeting = _vector(best.targeting)
    out = []
    if lang == "zh":
        if steepest >= -1e-12 * scale:
            out.append("在现状下，任何定向工具都不能在边际上降低中央损害。")
        elif len(first) == n and n > 1:
            out.append(f"定向预算的第一单位：在现状下每个渠道的边际价值相同：每单位预算使中央损害下降 "
                       f"{_f(-steepest)}，只要该渠道仍被使用。")
        else:
            out.append(f"定向预算的第一单位应先投向{_join(names, lang)}：每单位预算使中央损害下降 "
                       f"{_f(-steepest)}（各渠道依次为 {_vector(rate)}）。")
        if raising:
            out.append(f"针对{_join([channel_name(k, n, lang) for k in raising], lang)}的工具反而会提高中央损害："
                       f"被堵住的避责转移到危害更大的策略。")
        out.append(f"预算为 {_f(best.budget)} 时，精确最优的定向（{best.lps_solved} 个线性规划）为 {targeting}，"
                   f"中央损害{change(best.untargeted_harm, best.harm, lang)}，平均分配同样预算则为 "
                   f"{_f(best.even_harm)}。")
        return out
    if steepest >= -1e-12 * scale:
        out.append("In the status quo no targeted tool lowers the centre's harm at the margin.")
    elif len(first) == n and n > 1:
        out.append(f"The first unit of a targeting budget: in the status quo every channel is worth the same at the "
                   f"margin; each unit of the budget cuts the centre's harm by {_f(-steepest)} for as long as the "
                   f"channel stays in use.")
    else:
        out.append(f"The first unit of a targeting budget should go to {_join(names, lang)}: each unit "
                   f"there cuts the centre's harm by {_f(-steepest)} (by channel: {_vector(rate)}).")
    if raising:
        out.append(f"A tool aimed at {_join([channel_name(k, n, lang) for k in raising], lang)} would raise the "
                   f"centre's harm: the evasion it blocks is displaced into more harmful strategies.")
    out.append(f"With a budget of {_f(best.budget)} the exact optimum ({best.lps_solved} linear programmes) targets "
               f"{targeting}: against no targeting the centre's harm {change(best.untargeted_harm, best.harm, lang)}, "
               f"and it is {_f(best.even_harm)} when the same budget is spread evenly.")
    return out


def sentences(table, facts, lang: str) -> list:
    """The report's sentences: the mix at the lowest and highest transparency, the threshold, the targeting.

    Parameters
    ----------
    table : Comparison
        The model solved at each transparency level.
    facts : dict
        ``deterrence_threshold`` and ``targeting`` (an :class:`OptimalTargeting`).
    lang : {"en", "zh"}
    """
    first, last = table.results[0].to_dict(), table.results[-1].to_dict()
    t0, t1 = table.levels[0], table.levels[-1]
    n = len(first["intensity"])
    out = []
    for tau, r in ((t0, first), (t1, last))[:1 if same(t0, t1) else 2]:
        used = _names(r["active"], n, lang)
        regime = STORY.label(r["regime"], lang)
        if lang == "zh":
            tail = f"使用的策略：{used}" if used else "支援方不使用任何策略"
            out.append(f"τ = {_f(tau)} 时，支援方的组合策略强度为 {_vector(r['intensity'])}，总避责 "
                       f"{_f(r['total_evasion'])}，中央损害 {_f(r['centre_harm'])}；{tail}（均衡类型：{regime}）。")
        else:
            tail = f"it uses {used}" if used else "it uses no strategy"
            out.append(f"At τ = {_f(tau)} the aider's combined strategies (组合策略) have intensities "
                       f"{_vector(r['intensity'])}, total evasion {_f(r['total_evasion'])} and harm to the centre "
                       f"{_f(r['centre_harm'])}; {tail} (regime: {regime}).")
    if not same(t0, t1):
        e0, e1 = first["total_evasion"], last["total_evasion"]
        move = effect(e0, e1, t0, t1)  # as transparency rises
        if lang == "zh":
            why = {"falls": "平台压缩了避责策略空间。", "rises": "这里透明度反而增加了总避责。",
                   "stays": "透明度没有改变总避责。"}[move]
            out.append(f"从 τ = {_f(t0)} 到 τ = {_f(t1)}，总避责{change(e0, e1, lang)}：{why}")
        else:
            why = {"falls": "the platform shrinks the space of blame-avoidance (压缩避责策略空间).",
                   "rises": "here transparency raises total evasion.",
                   "stays": "transparency leaves total evasion where it was."}[move]
            out.append(f"From τ = {_f(t0)} to τ = {_f(t1)} total evasion {change(e0, e1, lang)}: {why}")
    d = first["displacement"]
    active = [k for k in range(n) if first["active"][k]]
    if len(active) >= 2:
        k, j = active[0], active[1]
        moved = float(d[j][k])
        if lang == "zh":
            word = "不影响" if same(moved, 0) else "推高" if moved > 0 else "压低"
            out.append(f"在 τ = {_f(t0)} 时，针对{channel_name(k, n, lang)}的工具每提高一单位，"
                       f"{channel_name(j, n, lang)}的强度变化 {_f(moved)}（{word}其他策略）；"
                       f"而平台对总避责的边际效应为 {_f(first['uniform_effect'])}。")
        else:
            word = ("leaving the other strategies unchanged" if same(moved, 0) else
                    "displacing evasion into the other strategies" if moved > 0 else
                    "dragging down the other strategies")
            out.append(f"At τ = {_f(t0)} a tool aimed at {channel_name(k, n, lang)} moves "
                       f"{channel_name(j, n, lang)} by {_f(moved)} per unit ({word}), while the "
                       f"platform changes total evasion by {_f(first['uniform_effect'])} per unit.")
    out.append(("平台：" if lang == "zh" else "The platform: ") + _threshold(facts["deterrence_threshold"], lang)
               + ("。" if lang == "zh" else "."))
    if "targeting" in facts:
        out += _targeting_sentences(facts["targeting"], n, lang)
    return out


def analyses(model) -> dict:
    """Where a budget of targeted tools should go first: ``model.optimal_targeting(TARGETING_BUDGET)``."""
    return {"targeting": model.optimal_targeting(TARGETING_BUDGET)}


def demo(model, lang: str) -> list:
    """The classroom walkthrough at the model's parameters."""
    p = model.params
    n = model.n
    r0 = model.solve().to_dict()
    blocked = list(p["channel_transparency"])
    k = max(range(n), key=lambda i: (r0["intensity"][i], -i))  # the most used channel
    blocked[k] = 1.0
    r_block = model.with_(channel_transparency=blocked).solve().to_dict()
    r1 = model.with_(transparency=1.0).solve().to_dict()
    best = model.optimal_targeting(TARGETING_BUDGET)
    name = channel_name(k, n, lang)
    others = [j for j in range(n) if j != k]
    moves = {j: direction(r0["intensity"][j], r_block["intensity"][j]) for j in others}
    rose = [j for j in others if moves[j] == "rises"]
    fell = [j for j in others if moves[j] == "falls"]
    threshold = _threshold(r0["deterrence_threshold"], lang)
    if lang == "zh":
        if not any(r0["active"]):
            moved = "现状下支援方已不使用任何策略。"
        elif rose:
            moved = f"被堵住的避责转移到{_join([channel_name(j, n, lang) for j in rose], lang)}。"
        elif fell:
            moved = "其他策略随之减少（策略互补）。"
        else:
            moved = "其他策略不变。"
        steps = [
            ("谁行动、谁知道什么",
             [f"支援方在 {n} 种避责策略之间分配有限的政治资本（组合策略）：每单位策略 k 消解压力 b_k，"
              f"被发现时承担问责 F_k；替代系数 κ = {_f(p['substitution'])}（κ > 0 互为替代，κ < 0 互补）。",
              "中央的数字平台（数字透明程度 τ）以概率 τ 发现每一种策略，针对某一渠道的工具再以概率 τ_k 独立发现。"]),
            ("支援方怎么做、为什么",
             [f"净收益 g_k = b_k − p_k F_k 最高的策略被优先使用；现状下强度为 {_vector(r0['intensity'])}，"
              f"总避责 {_f(r0['total_evasion'])}（均衡类型：{STORY.label(r0['regime'], lang)}）。"]),
            ("数字透明：堵住一个渠道，还是覆盖所有渠道",
             [f"对{name}完全透明（τ_k = 1）后，强度变为 {_vector(r_block['intensity'])}，总避责"
              f"{change(r0['total_evasion'], r_block['total_evasion'], lang)}：{moved}",
              f"一个平台覆盖所有渠道：它对总避责的边际效应为 {_f(r0['uniform_effect'])} ≤ 0，τ = 1 时强度为 "
              f"{_vector(r1['intensity'])}；{threshold}。"]),
            ("平台应先投向哪里", _targeting_sentences(best, n, lang)),
        ]
    else:
        if not any(r0["active"]):
            moved = "the aider already uses no strategy."
        elif rose:
            moved = ("the blocked evasion is displaced into "
                     + _join([channel_name(j, n, lang) for j in rose], lang) + ".")
        elif fell:
            moved = "the other strategies fall with it (they are complements)."
        else:
            moved = "the other strategies do not move."
        steps = [
            ("Who moves, and what do they know?",
             [f"The aider spreads a limited stock of political capital over {n} strategies, its combined strategies "
              f"(组合策略): a unit of strategy k relieves pressure b_k and costs accountability F_k when detected; "
              f"substitution κ = {_f(p['substitution'])} (κ > 0 substitutes, κ < 0 complements).",
              "The centre's platform (digital transparency τ) detects every strategy with probability τ; a tool aimed "
              "at channel k detects it independently with probability τ_k."]),
            ("What would the aider do, and why?",
             [f"It uses first the strategies of highest net gain g_k = b_k − p_k F_k; in the status quo the "
              f"intensities are {_vector(r0['intensity'])}, total evasion {_f(r0['total_evasion'])} "
              f"(regime {STORY.label(r0['regime'], lang)})."]),
            ("Digital transparency: one channel, or every channel",
             [f"Full transparency on {name} (τ_k = 1) gives intensities {_vector(r_block['intensity'])}; total "
              f"evasion {change(r0['total_evasion'], r_block['total_evasion'], lang)}: {moved}",
              f"One platform over every channel changes total evasion by {_f(r0['uniform_effect'])} ≤ 0 per unit; at "
              f"τ = 1 the intensities are {_vector(r1['intensity'])}; {threshold}."]),
            ("Where should the platform go first?", _targeting_sentences(best, n, lang)),
        ]
    return [DemoStep(heading, tuple(lines)) for heading, lines in steps]


#: Short labels of the outputs, regimes and parameters: name -> (English, Chinese).
LABELS = {
    # parameters
    "gain": ("pressure relieved per unit", "消解压力"),
    "fine": ("penalty per detected unit", "问责"),
    "harm": ("centre's harm per unit", "对中央的损害"),
    "substitution": ("substitution between strategies", "组合策略的替代性"),
    "transparency": ("digital transparency", "数字透明程度"),
    "channel_transparency": ("channel transparency", "单项渠道透明度"),
    # outputs
    "intensity": ("intensity", "策略强度"),
    "active": ("channel used", "渠道是否使用"),
    "total_evasion": ("total blame avoidance", "避责总强度"),
    "centre_harm": ("centre's harm", "中央受到的损害"),
    "aider_payoff": ("aider's payoff", "支援方的收益"),
    "detection": ("detection probability", "查出概率"),
    "displacement": ("displacement", "策略转移"),
    "uniform_effect": ("effect of transparency", "透明度的整体效应"),
    "regime": ("regime", "均衡类型"),
    "deterrence_threshold": ("deterrence transparency threshold", "压缩避责策略空间的透明度门槛"),
    # regimes
    "deterred": ("deterred", "避责被遏制"),
    "partial": ("some channels", "部分渠道避责"),
    # where a budget of targeted tools should go first (the report's further results)
    "targeting.harm": ("harm with the best targeting", "最优定向下的中央损害"),
    "targeting.spending": ("spending on targeted tools", "定向工具支出"),
    "targeting.budget": ("budget for targeted tools", "定向工具预算"),
    "targeting.even_targeting": ("channel transparency if the budget is spread evenly", "预算平均分配时各渠道透明度"),
    "targeting.even_harm": ("harm if the budget is spread evenly", "预算平均分配时的中央损害"),
    "targeting.untargeted_harm": ("harm without targeting", "不定向时的中央损害"),
    "targeting.lps_solved": ("linear programmes solved", "求解的线性规划数"),
    "targeting.tolerance": ("tolerance of ties in harm", "损害相等的容差"),
    "full": ("every channel", "全部渠道避责"),
}

STORY = Story(
    title={"en": "The combined strategies (组合策略) and where transparency should go first",
           "zh": "组合策略：策略替代与数字平台的优先方向"},
    order=80,
    thresholds=("deterrence_threshold",),
    table_outputs=("intensity", "active", "total_evasion", "centre_harm", "aider_payoff", "detection",
                   "uniform_effect", "regime"),
    figure=Figure(outputs=("intensity",), parameter="channel_transparency[0]", low=0.0, high=1.0),
    sentences=sentences,
    analyses=analyses,
    demo_title={"en": "Classroom walkthrough: the combined strategies (组合策略) and where the platform goes first",
                "zh": "课堂演示：组合策略与数字平台的优先方向"},
    demo=demo,
    glossary={"combined_strategies": ("combined strategies", "组合策略"),
              "pleading_poverty": ("pleading poverty", "装穷叫苦"),
              "pushing_down": ("pushing task pressure downward", "向下转移任务压力"),
              "strategic_allocation": ("strategic allocation of resources", "策略性分配资源"),
              "joint_blame": ("joint blame-avoidance", "联合避责"),
              "shrink_strategy_space": ("shrinking the space of blame-avoidance strategies", "压缩避责策略空间"),
              "dissolve_pressure": ("dissolving pressure with combined strategies", "利用组合策略消解压力")},
    labels=LABELS,
)
