"""The paper's terms, English <-> Chinese (used by the report, the demos and the docs)."""
from __future__ import annotations

__all__ = ["GLOSSARY", "term"]

#: key -> (English, Chinese as the paper writes it)
GLOSSARY = {
    "paired_aid": ("paired aid", "对口支援"),
    "contracting": ("contracting out", "发包"),
    "administrative_subcontracting": ("administrative subcontracting", "行政发包制"),
    "project_system": ("project system", "项目制"),
    "contracting_link": ("the contracting link", "发包环节"),
    "combined_strategies": ("combined strategies", "组合策略"),
    "centre": ("the centre", "中央政府"),
    "aider": ("the aiding government", "支援方政府"),
    "recipient": ("the receiving government", "受援方政府"),
    "lower": ("lower levels", "下级政府 / 所属部门"),
    "pleading_poverty": ("pleading poverty", "装穷叫苦"),
    "bargaining": ("bargaining with the centre", "与中央政府博弈"),
    "pushing_down": ("pushing task pressure downward", "向下转移任务压力"),
    "time_tight": ("time is tight, the task is heavy", "时间紧、任务重"),
    "reverse_blame": ("reverse blame-avoidance", "反向避责"),
    "by_the_book": ("sticking to the rules", "墨守成规、按部就班"),
    "lapse": ("the task falls through", "任务落空"),
    "joint_blame": ("joint blame-avoidance", "联合避责"),
    "evaluation": ("the east-west cooperation evaluation", "东西部协作考核评价"),
    "strategic_allocation": ("strategic allocation of resources", "策略性分配资源"),
    "digital_empowerment": ("digital empowerment", "数字技术赋能"),
    "responsibility": ("responsibility", "责任性"),
    "responsibility_grid": ("the responsibility grid", "责任网格"),
    "decision_support": ("prediction and decision support", "预测与决策支持"),
    "transparency": ("digital transparency", "数字透明"),
    "information_rent": ("information rent", "信息租金"),
    "whistleblower": ("whistleblower reward", "举报奖励"),
}


def term(key: str, lang: str = "en") -> str:
    """The term in ``lang`` ("en" or "zh")."""
    en, zh = GLOSSARY[key]
    return zh if lang == "zh" else en
