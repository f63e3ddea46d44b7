"""The commands on one model: ``list``, ``describe``, ``solve``, ``compare`` and ``export``.

::

    gametheory-aid list [--json]
    gametheory-aid describe MODEL [--json]
    gametheory-aid solve MODEL [--set NAME=VALUE ...] [--json]
    gametheory-aid compare MODEL [--transparency TAU ...] [--set NAME=VALUE ...] [--json]
    gametheory-aid export MODEL --format nfg|efg [--set NAME=VALUE ...] [--exact | --no-exact] [--out PATH]

``compare`` varies ``transparency`` itself: ``--set transparency=...`` there is an error (it
would be ignored), as is any option given twice (see :mod:`.options`).
"""
from __future__ import annotations

import argparse
import inspect
import sys

from .options import (
    CLIError,
    add_json,
    add_model,
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


def cmd_describe(args) -> int:
    """A model's game, parameters and outputs (text, or JSON metadata)."""
    from ..models import get_model

    cls = get_model(args.model)
    if args.json:
        print_json(model_metadata(cls))
    else:
        print(cls.describe())
    return 0


def cmd_solve(args) -> int:
    """The equilibrium at the given parameters."""
    result = model_from_args(args).solve()
    if args.json:
        print_json(result.to_json())
    else:
        print(result)
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
    else:
        print(table)
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
    add_json(p, 'print the metadata {"name", "title", ..., "parameters": [...], "outputs": [...]}')
    p.set_defaults(func=cmd_describe)

    p = sub.add_parser("solve", parents=common, help="solve a model at given parameters",
                       description="Solve a model at one point: its defaults, with --set changes.")
    add_model(p)
    add_set(p)
    add_json(p, 'print {"model", "parameters", "equilibrium"}')
    p.set_defaults(func=cmd_solve)

    p = sub.add_parser("compare", parents=common, help="solve a model at several transparency levels",
                       description="The same model solved at each transparency level, side by side.")
    add_model(p)
    p.add_argument("--transparency", type=parse_level, nargs="+", default=[0.0, 0.5, 1.0], metavar="TAU",
                   help="transparency levels in [0, 1] (default: 0 0.5 1); compare varies transparency, so it "
                   "cannot also be given with --set")
    add_set(p)
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
