"""The commands on one model: ``list``, ``describe``, ``solve``, ``compare`` and ``export``.

::

    gametheory-aid list [--json]
    gametheory-aid describe MODEL [--lang en|zh] [--raw-names] [--json]
    gametheory-aid solve MODEL [--set NAME=VALUE ...] [--lang en|zh] [--raw-names] [--json]
    gametheory-aid compare MODEL [--transparency TAU ...] [--set NAME=VALUE ...] [--lang en|zh] [--raw-names] [--json]
    gametheory-aid export MODEL --format nfg|efg [--set NAME=VALUE ...] [--exact | --no-exact] [--out PATH]

``compare`` varies ``transparency`` itself: ``--set transparency=...`` there is an error (it
would be ignored), as is any option given twice (see :mod:`.options`).

The tables of ``describe``, ``solve`` and ``compare`` name the outputs, regimes and parameters
by their labels in ``--lang`` (English by default), booleans as yes/no words; ``--raw-names``
prints the raw names (those of ``--set``, ``--json`` and files) as the results print
themselves.  ``--json`` always keeps the raw names.
"""
from __future__ import annotations

import argparse
import inspect
import sys

from .options import (
    CLIError,
    add_json,
    add_lang,
    add_model,
    add_raw_names,
    add_set,
    model_from_args,
    parse_level,
    print_json,
    set_names,
    write_text,
)

__all__ = ["register", "cmd_list", "cmd_describe", "cmd_solve", "cmd_compare", "cmd_export",
           "model_metadata"]


def _parameter_metadata(p) -> dict:
    d = p.domain
    return {"name": p.name, "symbol": p.symbol, "default": None if p.default is None else p.default,
            "domain": {"text": str(d), "low": d.low, "high": d.high, "low_open": d.low_open,
                       "high_open": d.high_open, "integer": d.integer},
            "meaning": p.meaning, "chinese": p.chinese, "optional": p.optional, "vector": p.vector,
            "shares": p.shares, "allowed": p.allowed}


def _output_metadata(o) -> dict:
    return {"name": o.name, "meaning": o.meaning, "kind": o.kind, "chinese": o.chinese,
            "categories": list(o.categories)}


def model_metadata(cls) -> dict:
    """A model class's description as JSON-ready data: titles, parameters and outputs."""
    return {"name": cls.name, "title": cls.title, "chinese_title": cls.chinese_title, "summary": cls.summary,
            "transparency_channel": cls.transparency_channel,
            "parameters": [_parameter_metadata(p) for p in cls.parameters],
            "outputs": [_output_metadata(o) for o in cls.outputs],
            "has_game": cls.has_game(), "has_symbolic": cls.has_symbolic()}


def cmd_list(args) -> int:
    """The registered models: a line each, or JSON (names, titles, parameter names)."""
    from ..models import get_model, model_names

    classes = [get_model(name) for name in model_names()]
    if args.json:
        print_json([{"name": c.name, "title": c.title, "chinese_title": c.chinese_title,
                     "parameters": list(c.parameter_specs())} for c in classes])
        return 0
    for cls in classes:
        print(f"{cls.name:20s} {cls.title}" + (f" ({cls.chinese_title})" if cls.chinese_title else ""))
    return 0


def _words(lang: str) -> dict:
    """The words of the labelled tables in ``lang``: the shared ones and those of ``describe``."""
    from ..models.display import WORDS

    return {**WORDS[lang], **_MORE_WORDS[lang]}


#: The words only the command line's tables use, by language.
_MORE_WORDS = {
    "en": {"part": "{name} ({model})",
           "part_by": "{name} by {parameter} ({model})", "parameters": "Parameters:",
           "outputs": "Outputs:", "regimes": "Regimes:", "transparency": "Transparency acts through: {channel}",
           "head": ("name", "label", "symbol", "domain", "default", "meaning"), "vector": " (vector)",
           "none": "none", "regime_head": ("output", "regime", "label")},
    "zh": {"part": "{name}（{model}）",
           "part_by": "不同{parameter}下{name}（{model}）", "parameters": "参数：",
           "outputs": "输出：", "regimes": "均衡类型：", "transparency": "透明度的作用渠道：{channel}",
           "head": ("名称", "标签", "符号", "取值范围", "默认值", "含义"), "vector": "（向量）",
           "none": "无", "regime_head": ("输出", "均衡类型", "标签")},
}


def _display(model, value, lang: str):
    from ..models.display import display_value

    return display_value(model, value, lang)


def label(model, name: str, lang: str) -> str:
    from ..models.story import label as story_label

    return story_label(model, name, lang)


def _nested(value) -> bool:
    from ..core.results import ModelResult

    return isinstance(value, ModelResult)


def result_text(result, lang: str = "en", title: str | None = None) -> str:
    """A :class:`~gametheory_aid.core.results.ModelResult` as a table of labelled outputs in ``lang``.

    A composite's sub-results follow the headline table, each under its own heading, as the
    result prints itself.
    """
    from ..core.results import format_table
    from ..models import get_model

    W = _words(lang)
    model = get_model(result.model)
    title = title or W["equilibrium"].format(model=result.model)
    values = [(k, result[k]) for k in result]
    rows = [(label(model, k, lang), _display(model, v, lang)) for k, v in values if not _nested(v)]
    parts = [title + ("\n" + format_table((W["output"], W["value"]), rows) if rows or not values else "")]
    parts += [result_text(v, lang, W["part"].format(name=label(model, k, lang), model=v.model))
              for k, v in values if _nested(v)]
    return "\n\n".join(parts)


def comparison_text(table, lang: str = "en", title: str | None = None) -> str:
    """A :class:`~gametheory_aid.core.results.Comparison` as a table of labelled outputs in ``lang``."""
    from ..core.results import TABLE_WIDTH, Comparison, format_table
    from ..models import get_model

    W = _words(lang)
    model = get_model(table.model)
    parameter = label(model, table.parameter, lang)
    title = title or W["by"].format(model=table.model, parameter=parameter)
    header = [W["output"]] + [f"{table.symbol}={t:g}" for t in table.levels]
    columns = {name: [r[name] for r in table.results] for name in table.outputs}
    nested = [name for name, column in columns.items() if column and _nested(column[0])]
    rows = [[label(model, name, lang)] + [_display(model, v, lang) for v in column]
            for name, column in columns.items() if name not in nested]
    parts = [title + ("\n" + format_table(header, rows, width=TABLE_WIDTH) if rows or not nested else "")]
    for name in nested:
        sub = Comparison(columns[name][0].model, table.parameter, table.levels, columns[name], table.symbol)
        sub_parameter = label(get_model(sub.model), table.parameter, lang)
        parts.append(comparison_text(sub, lang, W["part_by"].format(name=label(model, name, lang), model=sub.model,
                                                                    parameter=sub_parameter)))
    return "\n\n".join(parts)


def describe_text(cls, lang: str = "en") -> str:
    """A model's description with each parameter's, output's and regime's label in ``lang``.

    The raw names stay in the first column: they are what ``--set`` and ``--json`` use.
    """
    from ..core.results import format_table

    W = _words(lang)
    head = f"{cls.name}: {cls.title}" + (f" ({cls.chinese_title})" if cls.chinese_title else "")
    lines = [head]
    if cls.summary:
        lines += ["", cls.summary.strip()]
    if cls.transparency_channel:
        lines += ["", W["transparency"].format(channel=cls.transparency_channel)]
    rows = [(p.name + (W["vector"] if p.vector else ""), label(cls, p.name, lang), p.symbol, p.allowed,
             W["none"] if p.default is None else p.default,
             p.meaning + (f" ({p.chinese})" if p.chinese else "")) for p in cls.parameters]
    lines += ["", W["parameters"], format_table(W["head"], rows)]
    rows = [(o.name, label(cls, o.name, lang), o.meaning + (f" ({o.chinese})" if o.chinese else ""))
            for o in cls.outputs]
    lines += ["", W["outputs"], format_table((W["head"][0], W["head"][1], W["head"][5]), rows)]
    regimes = [(o.name, c, label(cls, c, lang)) for o in cls.outputs for c in (o.categories or ())]
    if regimes:
        lines += ["", W["regimes"], format_table(W["regime_head"], regimes)]
    return "\n".join(lines)


def cmd_describe(args) -> int:
    """A model's game, parameters and outputs (text, or JSON metadata)."""
    from ..models import get_model

    cls = get_model(args.model)
    if args.json:
        print_json(model_metadata(cls))
    elif args.raw_names:
        print(cls.describe())
    else:
        print(describe_text(cls, args.lang))
    return 0


def cmd_solve(args) -> int:
    """The equilibrium at the given parameters."""
    result = model_from_args(args).solve()
    if args.json:
        print_json(result.to_json())
    elif args.raw_names:
        print(result)
    else:
        print(result_text(result, args.lang))
    return 0


def cmd_compare(args) -> int:
    """The model at each transparency level."""
    if "transparency" in set_names(args):
        levels = " ".join(f"{t:g}" for t in args.transparency)
        raise CLIError(f"--set transparency: compare varies transparency over --transparency ({levels}), so "
                       f"the --set value would be ignored; give the levels with --transparency only")
    model = model_from_args(args)
    if "transparency" not in model.parameter_specs():
        raise CLIError(f"model {model.name} has no transparency parameter")
    table = model.compare(args.transparency)
    if args.json:
        print_json(table.to_json())
    elif args.raw_names:
        print(table)
    else:
        print(comparison_text(table, args.lang))
    return 0


def _takes_exact(model) -> bool:
    """Whether the model's ``to_game`` can build its game in rational arithmetic (``exact=True``)."""
    try:
        return "exact" in inspect.signature(model.to_game).parameters
    except (TypeError, ValueError):  # no signature to read: assume the plain method
        return False


def _game(model, exact):
    """The model's finite game: exact where it can be (``exact`` None), or as ``--exact/--no-exact`` say."""
    if not _takes_exact(model):
        if exact:
            raise CLIError(f"--exact: model {model.name} builds its game in floating point only; "
                           f"export it without --exact")
        return model.to_game()
    # the command line's values are decimals as typed: their game is exact unless --no-exact
    return model.to_game(exact=exact is None or exact)


def cmd_export(args) -> int:
    """The model's finite game in Gambit's ``.nfg`` or ``.efg`` format."""
    model = model_from_args(args)
    if not model.has_game():
        raise CLIError(f"model {model.name} is not a finite game; nothing to export")
    game = _game(model, args.exact)
    writer = {"nfg": "to_nfg", "efg": "to_efg"}[args.format]
    if not hasattr(game, writer):
        other = "efg" if args.format == "nfg" else "nfg"
        raise CLIError(f"model {model.name} is a {type(game).__name__}; export it with --format {other}")
    text = getattr(game, writer)()
    if args.out is not None:
        write_text(args.out, text)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def register(sub, common) -> None:
    """Add ``list``, ``describe``, ``solve``, ``compare`` and ``export`` to the subparsers ``sub``.

    ``common`` are the parent parsers every subcommand takes (``--debug``).
    """
    p = sub.add_parser("list", parents=common, help="list the registered models",
                       description="The registered models: name and title.")
    add_json(p, 'print [{"name", "title", "chinese_title", "parameters"}, ...]')
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("describe", parents=common, help="a model's game, parameters and outputs",
                       description="A model: its game, its parameters (symbol, domain, default, meaning, the "
                       "paper's term; vector parameters marked) and its outputs.")
    add_model(p)
    add_lang(p)
    add_raw_names(p)
    add_json(p, 'print the metadata {"name", "title", ..., "parameters": [...], "outputs": [...]}')
    p.set_defaults(func=cmd_describe)

    p = sub.add_parser("solve", parents=common, help="solve a model at given parameters",
                       description="Solve a model at one point: its defaults, with --set changes.")
    add_model(p)
    add_set(p)
    add_lang(p)
    add_raw_names(p)
    add_json(p, 'print {"model", "parameters", "equilibrium"}')
    p.set_defaults(func=cmd_solve)

    p = sub.add_parser("compare", parents=common, help="solve a model at several transparency levels",
                       description="The same model solved at each transparency level, side by side.")
    add_model(p)
    p.add_argument("--transparency", type=parse_level, nargs="+", default=[0.0, 0.5, 1.0], metavar="TAU",
                   help="transparency levels in [0, 1] (default: 0 0.5 1); compare varies transparency, so it "
                   "cannot also be given with --set")
    add_set(p)
    add_lang(p)
    add_raw_names(p)
    add_json(p, 'print {"model", "parameters", "transparency", "equilibria"}')
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("export", parents=common, help="write a model's finite game in Gambit format",
                       description="Write the finite game of a model (where it is one) as a Gambit "
                       ".nfg (strategic form) or .efg (extensive form) file.")
    add_model(p)
    p.add_argument("--format", choices=("nfg", "efg"), required=True,
                   help="nfg: strategic form; efg: extensive form (game trees)")
    add_set(p)
    p.add_argument("--exact", action=argparse.BooleanOptionalAction, default=None,
                   help="numbers as exact fractions of the decimal values given (--set transparency=0.3 is 3/10) "
                   "or as floats (--no-exact); default: exact where the model can build its game exactly")
    p.add_argument("--out", metavar="PATH", help="file to write (default: standard output)")
    p.set_defaults(func=cmd_export)
