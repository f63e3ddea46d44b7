"""The package's main job: the contracting-link report with and without transparency.

For each model of the contracting stage the report gives the equilibrium at each transparency
level in a table, the thresholds, and a few plain sentences on what changes and why, in the
paper's terms; then the centre's totals across the four models and the transparency that is
worth its cost. It renders as text, Markdown, a single self-contained HTML file (figures
embedded) or JSON, in English or Chinese.

Data flow: parameters (defaults, or a TOML file) -> models -> :class:`Report` (numbers only)
-> a renderer (presentation only).
"""
from __future__ import annotations

import base64
import html
import io
import json
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .core.params import ParameterError
from .core.results import Comparison, format_table, to_jsonable
from .glossary import term
from .models import get_model

__all__ = ["Report", "ModelSection", "ConfigError", "build_report", "render", "load_config",
           "REPORT_MODELS", "FORMATS", "LANGUAGES"]

#: The models of the report, in the order of the paper's strategies.
REPORT_MODELS = ("pleading-poverty", "poverty-bargaining", "task-pushdown", "joint-blame")
STAGE = "contracting-stage"
FORMATS = ("text", "markdown", "html", "json")
LANGUAGES = ("en", "zh")

#: Outputs of each model that are thresholds (one number, not per level).
THRESHOLDS = {
    "pleading-poverty": ("threshold_transparency",),
    "poverty-bargaining": ("threshold_transparency",),
    "task-pushdown": (),
    "joint-blame": ("deterrence_threshold", "collusion_proof_reward"),
}

#: What each model's figure plots against transparency.
FIGURE_OUTPUTS = {
    "pleading-poverty": ("rent_strong", "welfare_loss", "quota_weak"),
    "poverty-bargaining": ("overstatement", "expected_shortfall"),
    "task-pushdown": ("completion_probability", "value_upper", "value_lower"),
    "joint-blame": ("collusion_probability", "audit_probability", "centre_expected_loss"),
    STAGE: ("centre_total",),
}

TITLES = {
    "en": {
        "report": "The contracting link of paired aid: equilibria with and without digital transparency",
        "intro": ("In paired aid (对口支援) the centre contracts aid tasks out (发包) to aiding governments, "
                  "which can escape the pressure with combined strategies (组合策略). Each section solves one "
                  "strategy as a game at each level of digital transparency τ (0 = the status quo, "
                  "1 = full transparency)."),
        "pleading-poverty": "Pleading poverty (装穷叫苦): screening the aider's fiscal capacity",
        "poverty-bargaining": "Bargaining with the centre on claimed costs (与中央政府博弈)",
        "task-pushdown": "Pushing tasks down and reverse blame-avoidance (向下转移任务压力 / 反向避责)",
        "joint-blame": "Joint blame-avoidance against the evaluation (联合避责)",
        STAGE: "The centre's totals across the contracting link",
        "thresholds": "Thresholds",
        "what": "What transparency changes",
        "output": "output",
        "optimal": "Optimal transparency",
        "figure": "Figure",
    },
    "zh": {
        "report": "对口支援发包环节：有无数字透明时的均衡",
        "intro": ("对口支援中，中央政府将援助任务发包给支援方政府，支援方政府可能以组合策略化解压力。"
                  "以下各节把每种策略表述为博弈，并在不同数字透明程度 τ 下求解（0 为现状，1 为完全透明）。"),
        "pleading-poverty": "装穷叫苦：对支援方财政能力的甄别",
        "poverty-bargaining": "与中央政府博弈：基于申报成本的讨价还价",
        "task-pushdown": "向下转移任务压力与反向避责",
        "joint-blame": "联合避责：合谋应对考核评价",
        STAGE: "发包环节的中央总收益",
        "thresholds": "阈值",
        "what": "数字透明改变了什么",
        "output": "输出",
        "optimal": "最优透明度",
        "figure": "图",
    },
}


class ConfigError(ValueError):
    """A malformed report configuration (reported on one line by the command line)."""


@dataclass
class ModelSection:
    """One model's part of the report: the numbers, and the sentences that explain them."""

    model: str
    title: str
    parameters: dict
    table: Comparison
    thresholds: dict
    sentences: list

    def to_json(self) -> dict:
        return {"model": self.model, "title": self.title, "parameters": to_jsonable(self.parameters),
                "transparency": self.table.levels,
                "equilibria": [to_jsonable(r.to_dict()) for r in self.table.results],
                "thresholds": to_jsonable(self.thresholds), "sentences": list(self.sentences)}


@dataclass
class Report:
    """The whole report: a section per model, the centre's totals and the optimal transparency."""

    lang: str
    levels: list
    sections: list
    stage: ModelSection
    optimal: Any
    config: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"lang": self.lang, "transparency": self.levels,
                "models": {s.model: s.to_json() for s in self.sections},
                "stage": self.stage.to_json(), "optimal_transparency": to_jsonable(self.optimal.to_dict())}


# -- configuration --------------------------------------------------------------------------
def load_config(path) -> dict:
    """Read a TOML report configuration.

    The file may set ``transparency = [0, 0.5, 1]`` and one table per model with that model's
    parameters (``[pleading-poverty]``, ``[joint-blame]``, ...; ``[contracting-stage]`` for
    ``task_value`` and ``platform_cost``). Unknown tables and keys, and values outside their
    domain, raise :class:`ConfigError` / :class:`ParameterError` naming them.
    """
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file {str(path)!r} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {str(path)!r} is not valid TOML: {exc}") from None
    return check_config(data, source=str(path))


def check_config(data: dict, source: str = "config") -> dict:
    """Validate a configuration mapping (see :func:`load_config`); returns it normalised."""
    out = {"transparency": None, "models": {}}
    allowed = set(REPORT_MODELS) | {STAGE}
    for key, value in data.items():
        if key == "transparency":
            if not isinstance(value, list) or not value or not all(
                    isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
                raise ConfigError(f"{source}: 'transparency' must be a non-empty list of numbers, got {value!r}")
            out["transparency"] = [float(v) for v in value]
        elif key in allowed:
            if not isinstance(value, dict):
                raise ConfigError(f"{source}: [{key}] must be a table of parameters, got {value!r}")
            cls = get_model(key)
            specs = cls.parameter_specs()
            for name, v in value.items():
                if name not in specs or name == "transparency" or (key == STAGE and "." in name):
                    known = [n for n in specs if n != "transparency" and "." not in n]
                    raise ConfigError(f"{source}: unknown parameter {name!r} in [{key}]; known: {', '.join(known)}")
                if isinstance(v, bool) or not isinstance(v, (int, float)):
                    raise ConfigError(f"{source}: [{key}] {name} must be a number, got {v!r}")
            try:
                cls(**value) if key != STAGE else None
            except ParameterError as exc:
                raise ParameterError(f"{key}.{exc.name}", exc.value, exc.domain) from None
            out["models"][key] = dict(value)
        else:
            raise ConfigError(f"{source}: unknown key or table {key!r}; expected 'transparency' or one of "
                              f"[{'], ['.join(sorted(allowed))}]")
    return out


# -- the numbers -----------------------------------------------------------------------------
def _model(name: str, config: dict):
    return get_model(name)(**config.get("models", {}).get(name, {}))


def _stage(config: dict):
    models = config.get("models", {})
    params = dict(models.get(STAGE, {}))
    for name in REPORT_MODELS:
        params.update({f"{name}.{k}": v for k, v in models.get(name, {}).items()})
    return get_model(STAGE)(**params)


def build_report(transparency: Sequence[float] | None = None, config: dict | None = None,
                 lang: str = "en") -> Report:
    """Solve every model at each transparency level and assemble the :class:`Report`."""
    if lang not in LANGUAGES:
        raise ConfigError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    config = config or {"models": {}}
    levels = transparency if transparency is not None else (config.get("transparency") or [0.0, 0.5, 1.0])
    levels = [float(t) for t in levels]
    sections = []
    for name in REPORT_MODELS:
        model = _model(name, config)
        table = model.compare(levels)
        thresholds = {k: table.results[0].to_dict()[k] for k in THRESHOLDS[name]}
        sentences = STORIES[name](table, thresholds, lang)
        sections.append(ModelSection(name, TITLES[lang][name], model.params, table, thresholds, sentences))
    stage_model = _stage(config)
    stage_table = stage_model.value_of_transparency(levels)
    optimal = stage_model.optimal_transparency()
    stage = ModelSection(STAGE, TITLES[lang][STAGE],
                         {k: v for k, v in stage_model.params.items() if "." not in k}, stage_table,
                         {"optimal_transparency": optimal.transparency}, _stage_story(stage_table, optimal, lang))
    return Report(lang, levels, sections, stage, optimal, config)


# -- the sentences ---------------------------------------------------------------------------
def format_number(x) -> str:
    """A number for prose: three significant figures, ∞ and n/a spelt out."""
    x = float(x)
    if math.isnan(x):
        return "n/a"
    if math.isinf(x):
        return "∞"
    return f"{x:.3g}"


_f = format_number


def _first_last(table: Comparison, name: str):
    d0, d1 = table.results[0].to_dict(), table.results[-1].to_dict()
    return d0[name], d1[name]


def _story_pleading(table, thr, lang):
    t0, t1 = table.levels[0], table.levels[-1]
    r0, r1 = _first_last(table, "rent_strong")
    q0, q1 = _first_last(table, "quota_weak")
    g0, g1 = _first_last(table, "regime")
    fb = table.results[0].to_dict()["quota_weak_first_best"]
    naive = table.results[0].to_dict()["naive_pleading_gain"]
    tau_fb = thr["threshold_transparency"]
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


def _story_bargaining(table, thr, lang):
    t0, t1 = table.levels[0], table.levels[-1]
    o0, o1 = _first_last(table, "overstatement")
    s0, s1 = _first_last(table, "expected_shortfall")
    eff = table.results[0].to_dict()["efficient_quota"]
    tau_h = thr["threshold_transparency"]
    if lang == "zh":
        return [f"τ = {_f(t0)} 时，支援方在与中央政府博弈中把成本多报 {_f(o0)}，任务比有效水平 {_f(eff)} 少 {_f(s0)}。",
                f"τ = {_f(t1)} 时多报 {_f(o1)}，任务缺口 {_f(s1)}：财政数据被核实的概率越高，夸大成本的预期罚款越高。",
                f"τ ≥ {_f(tau_h)} 时支援方如实申报。"]
    return [f"At τ = {_f(t0)} the aider, bargaining with the centre (与中央政府博弈), overstates its cost by "
            f"{_f(o0)}, so its quota falls short of the efficient {_f(eff)} by {_f(s0)} in expectation.",
            f"At τ = {_f(t1)} it overstates by {_f(o1)} (shortfall {_f(s1)}): verified fiscal data make an "
            f"exaggerated claim costlier in expectation.",
            f"It claims honestly from τ ≥ {_f(tau_h)}."]


def _story_pushdown(table, thr, lang):
    out = []
    for t, r in zip(table.levels, table.results):
        d = r.to_dict()
        actor, rnd = d["actor"], d["acting_round"]
        if lang == "zh":
            if d["lapsed"]:
                out.append(f"τ = {_f(t)}：上级向下转移任务压力，下级反向避责，来回推诿直至任务落空。")
            else:
                who = {"upper": "上级", "lower": "下级"}.get(actor, actor)
                push = "上级先向下转移任务压力，" if d["pushed_down"] else ""
                esc = "下级又反向避责，" if d["escalated"] else ""
                out.append(f"τ = {_f(t)}：{push}{esc}由{who}在第 {rnd} 轮行动，完成概率 {_f(d['completion_probability'])}。")
        else:
            if d["lapsed"]:
                out.append(f"At τ = {_f(t)} the Upper pushes the task down (向下转移任务压力), the Lower escalates it "
                           f"back (反向避责), and passing to and fro lets the task fall through (任务落空).")
            else:
                steps = []
                if d["pushed_down"]:
                    steps.append("the Upper pushes the task down")
                if d["escalated"]:
                    steps.append("the Lower escalates it back up")
                lead = (", ".join(steps) + "; then ") if steps else ""
                out.append(f"At τ = {_f(t)}: {lead}the {actor} acts in round {rnd}; the task is completed with "
                           f"probability {_f(d['completion_probability'])}.")
    if lang == "zh":
        out.append("责任网格记录每一次推诿，使责任难以分散；决策支持降低行动风险，从而减少避责动机。")
    else:
        out.append("The responsibility grid (责任网格) records every pass, so blame for a lapse sticks; decision "
                   "support makes acting less risky, so avoiding blame is worth less.")
    return out


def _story_joint(table, thr, lang):
    t0, t1 = table.levels[0], table.levels[-1]
    x0, x1 = _first_last(table, "collusion_probability")
    a0, a1 = _first_last(table, "audit_probability")
    g0, g1 = _first_last(table, "regime")
    tau_d, w_star = thr["deterrence_threshold"], thr["collusion_proof_reward"]
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


def _stage_story(table, optimal, lang):
    w0, w1 = _first_last(table, "centre_total")
    t0, t1 = table.levels[0], table.levels[-1]
    if lang == "zh":
        return [f"中央在四个模型中的总收益：τ = {_f(t0)} 时为 {_f(w0)}，τ = {_f(t1)} 时为 {_f(w1)}。",
                f"平台成本为 κτ²/2（κ = {_f(optimal.platform_cost)}）时，最优透明度为 τ* = {_f(optimal.transparency)}，"
                f"净收益 {_f(optimal.net_value)}（现状为 {_f(optimal.value_without)}）。"]
    return [f"The centre's total across the four models is {_f(w0)} at τ = {_f(t0)} and {_f(w1)} at τ = {_f(t1)}.",
            f"With a platform costing κτ²/2 (κ = {_f(optimal.platform_cost)}), the best transparency is "
            f"τ* = {_f(optimal.transparency)}, worth {_f(optimal.net_value)} net (status quo: {_f(optimal.value_without)})."]


STORIES = {"pleading-poverty": _story_pleading, "poverty-bargaining": _story_bargaining,
           "task-pushdown": _story_pushdown, "joint-blame": _story_joint}


# -- rendering -------------------------------------------------------------------------------
def _display(value) -> Any:
    """A cell: plans as act/pass sequences, numbers as they are."""
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, (bool, np.bool_)) for v in value):
        return " ".join("act" if v else "pass" for v in value)
    if isinstance(value, np.ndarray) and value.dtype == bool and value.ndim == 1:
        return " ".join("act" if v else "pass" for v in value.tolist())
    return value


def _rows(section: ModelSection):
    cls = get_model(section.model)
    kinds = {o.name: o.kind for o in cls.outputs}
    thresholds = set(section.thresholds)
    for name in section.table.outputs:
        if kinds.get(name) == "object" or name in thresholds:
            continue
        yield [name] + [_display(r.to_dict()[name]) for r in section.table.results]


def _header(report: Report) -> list:
    return [TITLES[report.lang]["output"]] + [f"τ={t:g}" for t in report.levels]


def _all_sections(report: Report):
    return list(report.sections) + [report.stage]


def render_text(report: Report) -> str:
    T = TITLES[report.lang]
    out = [T["report"], "=" * len(T["report"]), "", T["intro"], ""]
    for s in _all_sections(report):
        out += [s.title, "-" * len(s.title), format_table(_header(report), list(_rows(s)))]
        if s.thresholds:
            out += ["", T["thresholds"] + ": " + ", ".join(f"{k} = {_f(v)}" for k, v in s.thresholds.items())]
        out += ["", *[f"* {line}" for line in s.sentences], ""]
    return "\n".join(out)


def _md_table(header, rows) -> str:
    def cell(v):
        if isinstance(v, float):
            return _f(v)
        return str(v)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows]
    return "\n".join(lines)


def render_markdown(report: Report) -> str:
    T = TITLES[report.lang]
    out = [f"# {T['report']}", "", T["intro"], ""]
    for s in _all_sections(report):
        out += [f"## {s.title}", "", _md_table(_header(report), list(_rows(s))), ""]
        if s.thresholds:
            out += [f"**{T['thresholds']}:** " + ", ".join(f"`{k}` = {_f(v)}" for k, v in s.thresholds.items()), ""]
        out += [f"- {line}" for line in s.sentences] + [""]
    return "\n".join(out)


def figure_png(model: str, config: dict | None = None, points: int = 201) -> bytes:
    """PNG bytes of a model's key outputs against transparency (needs matplotlib)."""
    from ._optional import require
    require("matplotlib", "plot")
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    config = config or {"models": {}}
    grid = np.linspace(0.0, 1.0, points)
    base = _stage(config) if model == STAGE else _model(model, config)
    result = base.with_(transparency=grid).solve()
    fig, ax = plt.subplots(figsize=(6, 3.4), dpi=100)
    for name in FIGURE_OUTPUTS[model]:
        ax.plot(grid, np.asarray(result[name], dtype=float), label=name)
    ax.set_xlabel("transparency τ")
    ax.set_title(model)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def render_html(report: Report) -> str:
    """One self-contained HTML file: tables, sentences and a figure per model as data URIs."""
    T = TITLES[report.lang]
    esc = html.escape
    parts = [f"<!DOCTYPE html><html lang=\"{report.lang}\"><head><meta charset=\"utf-8\">",
             f"<title>{esc(T['report'])}</title>",
             "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:right}"
             "td:first-child,th:first-child{text-align:left}img{max-width:100%}</style></head><body>",
             f"<h1>{esc(T['report'])}</h1>", f"<p>{esc(T['intro'])}</p>"]
    for s in _all_sections(report):
        parts.append(f"<section id=\"{esc(s.model)}\"><h2>{esc(s.title)}</h2><table><thead><tr>")
        parts += [f"<th>{esc(h)}</th>" for h in _header(report)]
        parts.append("</tr></thead><tbody>")
        for row in _rows(s):
            cells = [esc(str(row[0]))] + [esc(_f(v) if isinstance(v, float) else str(v)) for v in row[1:]]
            parts.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        parts.append("</tbody></table>")
        if s.thresholds:
            parts.append(f"<p><strong>{esc(T['thresholds'])}:</strong> "
                         + ", ".join(f"<code>{esc(k)}</code> = {esc(_f(v))}" for k, v in s.thresholds.items())
                         + "</p>")
        parts.append("<ul>" + "".join(f"<li>{esc(x)}</li>" for x in s.sentences) + "</ul>")
        png = base64.b64encode(figure_png(s.model, report.config)).decode("ascii")
        parts.append(f"<figure><img alt=\"{esc(s.model)} against transparency\" "
                     f"src=\"data:image/png;base64,{png}\"><figcaption>{esc(T['figure'])}: {esc(s.title)}"
                     f"</figcaption></figure></section>")
    parts.append("</body></html>")
    return "\n".join(parts)


def render_json(report: Report) -> str:
    return json.dumps(to_jsonable(report.to_json()), ensure_ascii=False, indent=2)


RENDERERS = {"text": render_text, "markdown": render_markdown, "html": render_html, "json": render_json}


def render(report: Report, format: str = "text") -> str:
    """Render the report as ``text``, ``markdown``, ``html`` or ``json``."""
    try:
        return RENDERERS[format](report)
    except KeyError:
        raise ConfigError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}") from None


def render_report(transparency: Sequence[float] = (0.0, 0.5, 1.0), lang: str = "en", format: str = "text",
                  config: dict | None = None) -> str:
    """Build and render the report in one call."""
    return render(build_report(transparency, config, lang), format)
