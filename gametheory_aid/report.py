"""The package's main job: the contracting-link report with and without transparency.

The report has a section for every registered model whose :class:`~gametheory_aid.models.story.Story`
asks for one (``story.in_report``), in the order of the stories (``story.order``: the paper's
order of the strategies), the composite models last.  A section is built the same way for
every model:

1. the model at its parameters (defaults, or the configuration's table named after it) is
   solved at each transparency level, ``model.compare(levels)``: the section's table;
2. the story's ``thresholds`` (outputs that are one number, not one per level) are read off
   the first level's result;
3. the story's ``analyses(model)``, if any, add further results (e.g. an optimal
   transparency); thresholds and analyses together are the section's *facts*;
4. the story's ``sentences(table, facts, lang)`` explain the numbers in the paper's terms;
5. the story's ``figure`` is solved on its grid: a :class:`FigureData` of x and y values.

A *composite* model is one that carries other registered models' parameters under their
names (``"joint-blame.penalty_aider"``, as ``contracting-stage`` does): its section comes
after the others, and a configuration's table for one of its parts sets that part in the
composite too.

Data flow: parameters (defaults, or a TOML file) -> models -> :class:`Report` (numbers only,
figures included) -> a renderer (presentation only: text, Markdown, a single self-contained
HTML file with the figures embedded, or JSON), in English or Chinese.  This module holds no
model-specific text: only the report's own title, introduction and labels.
"""
from __future__ import annotations

import base64
import html
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .core.params import ParameterError, UnknownNameError, check_names, closest_name, unicode_symbol, validate_array
from .core.results import Comparison, display_width, format_table, to_jsonable
from .models import get_model, model_names
from .models.display import display_value
from .models.story import LANGUAGES, format_number, label

__all__ = ["Report", "ModelSection", "FigureData", "ConfigError", "ConfigNameError", "build_report", "render",
           "render_report", "build_section", "load_config", "check_config", "figure_data", "figure_png",
           "report_models", "components", "format_number", "FORMATS", "LANGUAGES"]
# (``REPORT_MODELS`` is read from the registry when asked for: see ``__getattr__``)

FORMATS = ("text", "markdown", "html", "json")
#: The report's parameter: every section compares its model across levels of it.
PARAMETER = "transparency"
DEFAULT_LEVELS = (0.0, 0.5, 1.0)

#: The report's own words (the models' words are in their stories).
TITLES = {
    "en": {
        "report": "The contracting link of paired aid: equilibria with and without digital transparency",
        "intro": ("In paired aid (对口支援) the centre contracts aid tasks out (发包) to aiding governments, "
                  "which can escape the pressure with combined strategies (组合策略). Each section solves one "
                  "strategy as a game at each level of digital transparency τ (0 = the status quo, "
                  "1 = full transparency)."),
        "thresholds": "Thresholds",
        "facts": "Further results",
        "output": "output",
        "figure": "Figure",
    },
    "zh": {
        "report": "对口支援发包环节：有无数字透明时的均衡",
        "intro": ("对口支援中，中央政府将援助任务发包给支援方政府，支援方政府可能以组合策略化解压力。"
                  "以下各节把每种策略表述为博弈，并在不同数字透明程度 τ 下求解（0 为现状，1 为完全透明）。"),
        "thresholds": "阈值",
        "facts": "其他结果",
        "output": "输出",
        "figure": "图",
    },
}

_f = format_number


class ConfigError(ValueError):
    """A malformed report configuration (reported on one line by the command line)."""


class ConfigNameError(ConfigError, UnknownNameError):
    """An unknown table or key in a report configuration; the message suggests the closest name."""

    def __init__(self, source: str, name: str, known, what: str, where: str = "", listing: str = ""):
        UnknownNameError.__init__(self, name, known, what, prefix=f"{source}: ", where=where,
                                  listing=listing or "known: " + ", ".join(known))


# -- the registry's report models ------------------------------------------------------------
def components(cls) -> tuple:
    """The registered models whose parameters ``cls`` carries as ``"model.parameter"`` (its parts).

    Empty for an ordinary model; a composite model (e.g. ``contracting-stage``) lists its
    sub-models.
    """
    prefixes = {name.split(".", 1)[0] for name in cls.parameter_specs() if "." in name}
    return tuple(name for name in model_names() if name in prefixes)


def _story_models() -> list:
    """Names of the registered models with a story, in the stories' order (registry order on ties)."""
    names = [n for n in model_names() if get_model(n).story is not None]
    return sorted(names, key=lambda n: get_model(n).story.order)


def report_models(composites: bool = False) -> tuple:
    """The models with a section in the report, in its order.

    Parameters
    ----------
    composites : bool
        If true, the composite models' sections (which come last) are included; by default
        only the ordinary models' are (:data:`REPORT_MODELS`).
    """
    names = [n for n in _story_models() if get_model(n).story.in_report]
    ordinary = [n for n in names if not components(get_model(n))]
    return tuple(ordinary + ([n for n in names if n not in ordinary] if composites else []))


def __getattr__(name: str):
    if name == "REPORT_MODELS":  # the registry's current models, not a second list
        return report_models()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# -- the numbers -----------------------------------------------------------------------------
@dataclass
class FigureData:
    """A section's figure as numbers: each of the story's outputs against one parameter.

    Attributes
    ----------
    model : str
    parameter : str
        The x axis (``transparency`` unless the story says otherwise).
    label : str
        The x axis's label, e.g. ``"transparency τ"``.
    x : numpy.ndarray
        The parameter's values (the story's ``Figure.points`` on its range).
    y : dict
        Output name -> float array of the same length as ``x`` (codes for a categorical output).
    outputs : tuple of str
        The figure's outputs as the story names them (a vector output once, not per element).
    lang : str
        The language its picture is labelled in.
    source : Model or None
        The model instance the numbers come from, so that :func:`figure_png` draws it with
        :func:`~gametheory_aid.analysis.plots.plot_transparency`.
    """

    model: str
    parameter: str
    label: str
    x: np.ndarray
    y: dict
    outputs: tuple = ()
    lang: str = "en"
    source: object = field(default=None, repr=False, compare=False)

    def to_json(self) -> dict:
        return {"parameter": self.parameter, "x": to_jsonable(self.x),
                "y": {k: to_jsonable(v) for k, v in self.y.items()}}


@dataclass
class ModelSection:
    """One model's part of the report: the numbers, and the sentences that explain them.

    In Jupyter it renders as HTML (its part of :func:`render_html`).

    Attributes
    ----------
    model, title : str
    parameters : dict
        The model's own parameters (a composite's parts' are in their own sections).
    table : Comparison
        The model at each transparency level.
    thresholds : dict
        The story's thresholds, from the first level's result.
    sentences : list of str
    outputs : list of str
        The table's rows (the story's ``table_outputs``, by default every output that is
        neither nested nor a threshold).
    facts : dict
        The thresholds and the results of the story's ``analyses``.
    figure : FigureData or None
    lang : str
        The language of its title and sentences.
    """

    model: str
    title: str
    parameters: dict
    table: Comparison
    thresholds: dict
    sentences: list
    outputs: list = field(default_factory=list)
    facts: dict = field(default_factory=dict)
    figure: FigureData | None = None
    lang: str = "en"

    @property
    def analyses(self) -> dict:
        """The facts that are not thresholds (the story's ``analyses``)."""
        return {k: v for k, v in self.facts.items() if k not in self.thresholds}

    def _repr_html_(self) -> str:
        return html_section(self, self.lang)

    def to_json(self) -> dict:
        return {"model": self.model, "title": self.title, "parameters": to_jsonable(self.parameters),
                "transparency": self.table.levels,
                "equilibria": [to_jsonable(r.to_dict()) for r in self.table.results],
                "thresholds": to_jsonable(self.thresholds),
                "analyses": {k: _jsonable(v) for k, v in self.analyses.items()},
                "sentences": list(self.sentences),
                "figure": None if self.figure is None else self.figure.to_json()}


@dataclass
class Report:
    """The whole report: a section per model, then the composite models' sections.

    ``stage`` is the first composite section (the centre's totals across the contracting
    link) and ``optimal`` the first section's analysis named ``"optimal"`` (the transparency
    worth its cost), or ``None``.  In Jupyter it renders as HTML: the sections of
    :func:`render_html`, without the page around them.
    """

    lang: str
    levels: list
    sections: list
    composites: list = field(default_factory=list)
    config: dict = field(default_factory=dict)

    @property
    def stage(self) -> ModelSection | None:
        return self.composites[0] if self.composites else None

    @property
    def optimal(self) -> Any:
        for s in self.all_sections:
            if "optimal" in s.analyses:
                return s.analyses["optimal"]
        return None

    @property
    def all_sections(self) -> list:
        return list(self.sections) + list(self.composites)

    def _repr_html_(self) -> str:
        return html_body(self)

    def to_json(self) -> dict:
        out = {"lang": self.lang, "transparency": self.levels,
               "models": {s.model: s.to_json() for s in self.sections},
               "composites": {s.model: s.to_json() for s in self.composites}}
        if self.stage is not None:
            out["stage"] = self.stage.to_json()
        if self.optimal is not None:
            out["optimal_transparency"] = _jsonable(self.optimal)
        return out


def _jsonable(value) -> Any:
    """An analysis's result as JSON-ready data (objects through their ``to_dict``)."""
    if hasattr(value, "to_dict"):
        value = value.to_dict()
    return to_jsonable(value)


# -- configuration --------------------------------------------------------------------------
def load_config(path) -> dict:
    """Read a TOML report configuration.

    The file may set ``transparency = [0, 0.5, 1]`` and one table per model (any registered
    model with a story) holding that model's parameters: ``[pleading-poverty]``,
    ``[joint-blame]``, ...; ``[contracting-stage]`` for ``task_value`` and ``platform_cost``.
    Unknown tables and keys raise :class:`ConfigNameError` suggesting the closest name; values
    outside their domain raise :class:`~gametheory_aid.core.params.ParameterError` naming them.
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
    except RecursionError:  # the TOML reader recurses once per level of nested arrays or tables
        raise ConfigError(f"config file {str(path)!r}: arrays or tables nested too deeply to read; a report "
                          f"configuration is a TOML file of model tables") from None
    return check_config(data, source=str(path))


def _table_parameters(cls) -> list:
    """The parameters a configuration table may set: not the report's own, not a composite's parts'."""
    return [n for n in cls.parameter_specs() if n != PARAMETER and "." not in n]


def check_config(data: dict, source: str = "config") -> dict:
    """Validate a configuration mapping (see :func:`load_config`); returns it normalised."""
    out = {"transparency": None, "models": {}}
    tables = _story_models()
    for key, value in data.items():
        if key == PARAMETER:
            if not isinstance(value, list) or not value or not all(
                    isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
                raise ConfigError(f"{source}: 'transparency' must be a non-empty list of numbers, got {value!r}")
            # the levels in the parameter's own domain, as any parameter (2 or 10**400 named here)
            domain = get_model(tables[0]).parameter_specs()[PARAMETER].domain
            out["transparency"] = validate_array(PARAMETER, value, domain, what="a list of levels").tolist()
            continue
        if key not in tables:
            raise ConfigNameError(source, key, [PARAMETER] + tables, "key or table",
                                  listing=f"expected 'transparency' or one of [{'], ['.join(tables)}]")
        if not isinstance(value, dict):
            raise ConfigError(f"{source}: [{key}] must be a table of parameters, got {value!r}")
        cls = get_model(key)
        known = _table_parameters(cls)
        for name, v in value.items():
            if name not in known:
                _unknown_table_key(source, key, name, known)
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise ConfigError(f"{source}: [{key}] {name} must be a number, got {v!r}")
        try:
            cls(**value)
        except ParameterError as exc:
            raise exc.renamed(f"{key}.{exc.name}") from None
        out["models"][key] = dict(value)
    return out


def _unknown_table_key(source: str, table: str, name: str, known: list) -> None:
    """Raise :class:`ConfigNameError` for the key ``name`` of ``[table]``, suggesting the closest.

    The report's transparency is no table's key: a key spelt like it points to the top-level levels.
    """
    candidates = known if name == PARAMETER else [PARAMETER] + known
    if name == PARAMETER or closest_name(name, candidates) == PARAMETER:
        listing = (f"the report's transparency levels are set once, at the top of the file: "
                   f"transparency = [0, 0.5, 1]; parameters of [{table}]: {', '.join(known)}")
        raise ConfigNameError(source, name, candidates, "parameter", where=f" in [{table}]", listing=listing)
    raise ConfigNameError(source, name, known, "parameter", where=f" in [{table}]")


def _build_model(cls, config: dict):
    """The model at the configuration's parameters (a composite's parts from their own tables)."""
    tables = config.get("models", {})
    params = dict(tables.get(cls.name, {}))
    specs = cls.parameter_specs()
    for part in components(cls):
        params.update({f"{part}.{k}": v for k, v in tables.get(part, {}).items() if f"{part}.{k}" in specs})
    return cls(**params)


def figure_data(model, figure=None, lang: str = "en") -> FigureData:
    """The numbers of ``model``'s figure (``figure``: its story's by default).

    One vectorised solve on ``figure.points`` values of ``figure.parameter`` between
    ``figure.low`` and ``figure.high`` (by default the ends of the parameter's domain).  The
    parameter may be one element of a vector parameter, spelt ``"name[i]"`` (0-based) as in
    sweeps; a vector output gives one curve per element, keyed ``"name[i]"``.
    """
    figure = figure if figure is not None else model.story.figure
    element = re.fullmatch(r"(?P<base>\w+)\[(?P<index>\d+)\]", figure.parameter)
    base = element["base"] if element else figure.parameter
    specs = model.parameter_specs()
    check_names([base], specs, "parameter", f"figure of model {model.name!r}")
    spec = specs[base]
    low = spec.domain.low if figure.low is None else figure.low
    high = spec.domain.high if figure.high is None else figure.high
    if low is None or high is None:
        raise ValueError(f"{model.name}: {figure.parameter} has an unbounded domain; "
                         f"give the figure's low and high")
    x = np.linspace(float(low), float(high), int(figure.points))
    if element:  # the rest of the vector stays at the model's value
        values = np.array(np.broadcast_to(model.params[base], x.shape + (model.n,)), dtype=float)
        values[:, int(element["index"])] = x
    else:
        values = x
    result = model.with_(**{base: values}).solve()
    categorical = set(result.categories) if hasattr(result, "categories") else set()
    y = {}
    for name in figure.outputs:
        v = np.asarray(result.codes(name) if name in categorical else result[name], dtype=float)
        y.update({f"{name}[{i}]": v[:, i] for i in range(v.shape[1])} if v.ndim == 2 else {name: v})
    label = (f"{figure.parameter}" if element else f"{figure.parameter} {unicode_symbol(spec.symbol)}")
    return FigureData(model.name, figure.parameter, label, x, y, tuple(figure.outputs), lang, model)


def _section(name: str, config: dict, levels: list, lang: str) -> ModelSection:
    return build_section(_build_model(get_model(name), config), levels, lang)


def build_section(model, levels: Sequence[float] = DEFAULT_LEVELS, lang: str = "en") -> ModelSection:
    """One model's section of the report: its table across ``levels``, facts, sentences, figure.

    Parameters
    ----------
    model : Model or str
        A model at its parameters, or a registered model's name (then at its defaults).
    levels : sequence of float
        The transparency levels of the section's table.
    lang : {"en", "zh"}
    """
    if isinstance(model, str):
        model = get_model(model)()
    if lang not in LANGUAGES:
        raise ConfigError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    levels = [float(t) for t in levels]
    cls = type(model)
    name = cls.name
    story = cls.story
    table = model.compare(levels, parameter=PARAMETER)
    first = table.results[0].to_dict()
    thresholds = {k: first[k] for k in story.thresholds}
    facts = dict(thresholds)
    if story.analyses is not None:
        facts.update(story.analyses(model))
    sentences = list(story.sentences(table, facts, lang)) if story.sentences is not None else []
    kinds = {o.name: o.kind for o in cls.outputs}
    outputs = (list(story.table_outputs) if story.table_outputs is not None else
               [n for n in table.outputs if kinds.get(n) != "object" and n not in thresholds])
    figure = figure_data(model, story.figure, lang=lang) if story.figure is not None else None
    parts = components(cls)
    parameters = {k: v for k, v in model.params.items() if k.split(".", 1)[0] not in parts}
    return ModelSection(name, story.text(story.title, lang), parameters, table, thresholds, sentences,
                        outputs, facts, figure, lang)


def build_report(transparency: Sequence[float] | None = None, config: dict | None = None,
                 lang: str = "en", params: dict | None = None) -> Report:
    """Solve every report model at each transparency level and assemble the :class:`Report`.

    Parameters
    ----------
    transparency : sequence of float, optional
        The levels; by default the configuration's, else ``[0, 0.5, 1]``.
    config : dict, optional
        A configuration from :func:`load_config` / :func:`check_config`.
    lang : {"en", "zh"}
    params : dict, optional
        Parameter values by model, as a configuration's tables:
        ``{"pleading-poverty": {"value_intercept": 3}}``.  A value the configuration also sets
        must be the same.

    Raises
    ------
    ConfigError
        For an unknown language, model or parameter (naming the closest), a value outside its
        domain, or a value ``params`` and ``config`` both set differently.
    """
    if lang not in LANGUAGES:
        raise ConfigError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    config = config or {"models": {}}
    if params:
        config = _with_params(config, params)
    levels = transparency if transparency is not None else (config.get("transparency") or DEFAULT_LEVELS)
    levels = [float(t) for t in levels]
    ordinary = report_models()
    sections = [_section(n, config, levels, lang) for n in report_models(composites=True)]
    return Report(lang, levels, [s for s in sections if s.model in ordinary],
                  [s for s in sections if s.model not in ordinary], config)


def _with_params(config: dict, params: dict) -> dict:
    """``config`` with the tables of ``params`` merged in (checked as a configuration's tables)."""
    models = {k: dict(v) for k, v in config.get("models", {}).items()}
    for model, table in params.items():
        for name, value in dict(table).items():
            given = models.get(model, {}).get(name)
            if given is not None and float(given) != float(value):
                raise ConfigError(f"params: {model}.{name} = {value!r}, but the configuration sets "
                                  f"{model}.{name} = {given!r}; give the value in one place only")
        models.setdefault(model, {}).update(dict(table))
    checked = check_config(models, source="params")
    return {**config, "models": checked["models"]}


# -- rendering -------------------------------------------------------------------------------
def _rows(section: ModelSection, lang: str, raw_names: bool = False):
    """The table's rows: an output's label (or raw name) and its cell at each level."""
    model = get_model(section.model)
    columns = [r.to_dict() for r in section.table.results]
    for name in section.outputs:
        yield [label(model, name, lang, raw=raw_names)] + [display_value(model, c[name], lang, raw_names)
                                                           for c in columns]


def _header(report: Report) -> list:
    return [TITLES[report.lang]["output"]] + [f"τ={t:g}" for t in report.levels]


def _fact_items(section: ModelSection, lang: str = "en", raw_names: bool = True) -> list:
    """The analyses as ``(name, number)`` pairs (an object's fields as ``name.field``), a name by
    its label unless ``raw_names``."""
    items = []
    for key, value in section.analyses.items():
        value = value.to_dict() if hasattr(value, "to_dict") else value
        if isinstance(value, dict):
            items += [(f"{key}.{k}", v) for k, v in value.items() if _is_number(v)]
        elif _is_number(value):
            items.append((key, value))
    model = get_model(section.model)
    return [(label(model, k, lang, raw=raw_names), v) for k, v in items]


#: A raw name (``rent_strong``, ``optimal.transparency``), shown as code; a label is words.
_RAW = re.compile(r"[A-Za-z0-9_.\[\]-]+")


def _md_name(name: str) -> str:
    return f"`{name}`" if _RAW.fullmatch(name) else name


def _html_name(name: str) -> str:
    return f"<code>{html.escape(name)}</code>" if _RAW.fullmatch(name) else html.escape(name)


def _threshold_items(section: ModelSection, lang: str, raw_names: bool) -> list:
    """The thresholds as ``(name, number)`` pairs, a name by its label unless ``raw_names``."""
    model = get_model(section.model)
    return [(label(model, k, lang, raw=raw_names), v) for k, v in section.thresholds.items()]


def _is_number(v) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))


def _cell(v) -> str:
    return _f(v) if isinstance(v, float) else str(v)


def render_text(report: Report, raw_names: bool = False) -> str:
    """The report as plain text: outputs and regimes by their labels, or raw names if ``raw_names``."""
    T = TITLES[report.lang]
    lang = report.lang
    out = [T["report"], "=" * display_width(T["report"]), "", T["intro"], ""]
    for s in report.all_sections:
        out += [s.title, "-" * display_width(s.title), format_table(_header(report), list(_rows(s, lang, raw_names)))]
        if s.thresholds:
            out += ["", T["thresholds"] + ": " + ", ".join(f"{k} = {_f(v)}"
                                                          for k, v in _threshold_items(s, lang, raw_names))]
        facts = _fact_items(s, lang, raw_names)
        if facts:
            out += ["", T["facts"] + ": " + ", ".join(f"{k} = {_f(v)}" for k, v in facts)]
        out += ["", *[f"* {line}" for line in s.sentences], ""]
    return "\n".join(out)


def _md_table(header, rows) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(v) for v in r) + " |" for r in rows]
    return "\n".join(lines)


def render_markdown(report: Report, raw_names: bool = False) -> str:
    """The report as Markdown: outputs and regimes by their labels, or raw names if ``raw_names``."""
    T = TITLES[report.lang]
    lang = report.lang
    out = [f"# {T['report']}", "", T["intro"], ""]
    for s in report.all_sections:
        out += [f"## {s.title}", "", _md_table(_header(report), list(_rows(s, lang, raw_names))), ""]
        if s.thresholds:
            out += [f"**{T['thresholds']}:** " + ", ".join(f"{_md_name(k)} = {_f(v)}"
                                                          for k, v in _threshold_items(s, lang, raw_names)), ""]
        facts = _fact_items(s, lang, raw_names)
        if facts:
            out += [f"**{T['facts']}:** " + ", ".join(f"{_md_name(k)} = {_f(v)}" for k, v in facts), ""]
        out += [f"- {line}" for line in s.sentences] + [""]
    return "\n".join(out)


def figure_png(figure, config: dict | None = None, lang: str | None = None) -> bytes:
    """PNG bytes of a figure (needs matplotlib), drawn as :func:`~.analysis.plots.plot_transparency` draws it.

    Parameters
    ----------
    figure : FigureData or str
        A section's figure, or a model's name: then its story's figure at the parameters of
        ``config`` (a configuration from :func:`load_config`).
    config : dict, optional
    lang : {"en", "zh"}, optional
        The labels' language; by default the figure's.
    """
    from ._optional import require
    require("matplotlib", "plot")
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .analysis import plots

    if isinstance(figure, str):
        figure = figure_data(_build_model(get_model(figure), config or {"models": {}}), lang=lang or "en")
    lang = lang or figure.lang
    if figure.source is not None and figure.parameter == "transparency":
        fig, _ = plots.plot_transparency(figure.source, figure.outputs, lang=lang, points=len(figure.x))
    else:  # another parameter on the x axis: the numbers as they are, in the same style
        with plt.rc_context(plots.style(lang)):
            fig, ax = plt.subplots(figsize=(6.4, 4.2), layout="constrained")
            for name, y in figure.y.items():
                ax.plot(figure.x, y, label=name)
            ax.set_xlabel(figure.label)
            ax.set_title(figure.model)
            ax.legend()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    plt.close(fig)
    return buf.getvalue()


def render_html(report: Report, raw_names: bool = False) -> str:
    """One self-contained HTML file: tables, sentences and each section's figure as a data URI.

    Outputs and regimes are shown by their labels, or by their raw names if ``raw_names``.
    """
    T = TITLES[report.lang]
    esc = html.escape
    parts = [f"<!DOCTYPE html><html lang=\"{report.lang}\"><head><meta charset=\"utf-8\">",
             f"<title>{esc(T['report'])}</title>",
             "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:right}"
             "td:first-child,th:first-child{text-align:left}img{max-width:100%}</style></head><body>",
             html_body(report, raw_names), "</body></html>"]
    return "\n".join(parts)


def html_body(report: Report, raw_names: bool = False) -> str:
    """The report as HTML without the page around it: heading, introduction, each section."""
    T, esc = TITLES[report.lang], html.escape
    return "\n".join([f"<h1>{esc(T['report'])}</h1>", f"<p>{esc(T['intro'])}</p>"]
                     + [html_section(s, report.lang, raw_names) for s in report.all_sections])


def html_section(section: ModelSection, lang: str | None = None, raw_names: bool = False) -> str:
    """One section as an HTML ``<section>``: title, table, thresholds and analyses, sentences, figure."""
    lang = lang or section.lang
    if lang not in TITLES:
        raise ValueError(f"html_section: lang = {lang!r}; allowed: {', '.join(map(repr, TITLES))}")
    T = TITLES[lang]
    esc = html.escape
    parts = [f"<section id=\"{esc(section.model)}\"><h2>{esc(section.title)}</h2><table><thead><tr>"]
    parts += [f"<th>{esc(h)}</th>" for h in [T["output"]] + [f"τ={t:g}" for t in section.table.levels]]
    parts.append("</tr></thead><tbody>")
    for row in _rows(section, lang, raw_names):
        cells = [esc(str(row[0]))] + [esc(_cell(v)) for v in row[1:]]
        parts.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    parts.append("</tbody></table>")
    for heading, items in ((T["thresholds"], _threshold_items(section, lang, raw_names)),
                           (T["facts"], _fact_items(section, lang, raw_names))):
        if items:
            parts.append(f"<p><strong>{esc(heading)}:</strong> "
                         + ", ".join(f"{_html_name(k)} = {esc(_f(v))}" for k, v in items) + "</p>")
    parts.append("<ul>" + "".join(f"<li>{esc(x)}</li>" for x in section.sentences) + "</ul>")
    if section.figure is not None:
        png = base64.b64encode(figure_png(section.figure, lang=lang)).decode("ascii")
        parts.append(f"<figure><img alt=\"{esc(section.model)}: {esc(section.figure.label)}\" "
                     f"src=\"data:image/png;base64,{png}\"><figcaption>{esc(T['figure'])}: {esc(section.title)}"
                     f"</figcaption></figure>")
    parts.append("</section>")
    return "\n".join(parts)


def render_json(report: Report) -> str:
    return json.dumps(to_jsonable(report.to_json()), ensure_ascii=False, indent=2)


RENDERERS = {"text": render_text, "markdown": render_markdown, "html": render_html, "json": render_json}


def render(report: Report, format: str = "text", raw_names: bool = False) -> str:
    """Render the report as ``text``, ``markdown``, ``html`` or ``json``.

    The human-readable formats show the outputs and regimes by their labels in the report's
    language, or by their raw names if ``raw_names``; JSON always keeps the raw names.
    """
    try:
        renderer = RENDERERS[format]
    except KeyError:
        raise ConfigError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}") from None
    return renderer(report) if format == "json" else renderer(report, raw_names=raw_names)


def render_report(transparency: Sequence[float] = DEFAULT_LEVELS, lang: str = "en", format: str = "text",
                  config: dict | None = None, raw_names: bool = False) -> str:
    """Build and render the report in one call."""
    return render(build_report(transparency, config, lang), format, raw_names=raw_names)
