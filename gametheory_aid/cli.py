"""The ``gametheory-aid`` command line, generic over the model registry.

Every user error -- an unknown model or parameter, a malformed or out-of-domain value --
prints one line on stderr and exits with status 2; no traceback.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Sequence

from . import __version__
from .core.params import ParameterError
from .core.results import to_jsonable
from .models import get_model, model_names

__all__ = ["main", "build_parser", "CLIError", "parse_assignment", "model_from_args"]

PROG = "gametheory-aid"


class CLIError(ValueError):
    """A user error on the command line (reported on one line, exit status 2)."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line, not a usage block."""

    def error(self, message: str):  # noqa: D401 - argparse API
        raise CLIError(f"{self.prog}: {message}")


def parse_assignment(text: str, what: str = "--set") -> tuple:
    """Split ``NAME=VALUE`` into ``(NAME, VALUE)``; VALUE is a number, or ``none``."""
    if "=" not in text:
        raise CLIError(f"{what} {text!r}: expected NAME=VALUE")
    name, _, raw = text.partition("=")
    name, raw = name.strip(), raw.strip()
    if not name:
        raise CLIError(f"{what} {text!r}: missing parameter name before '='")
    if raw.lower() in ("none", "null"):
        return name, None
    try:
        value = float(raw)
    except ValueError:
        raise CLIError(f"{what} {name}={raw!r}: not a number") from None
    return name, value


def model_from_args(args):
    """The model named by ``args.model`` with the ``--set NAME=VALUE`` items of ``args.set``."""
    cls = get_model(args.model)
    changes = {}
    for item in getattr(args, "set", None) or []:
        name, value = parse_assignment(item)
        if name not in cls.parameter_specs():
            raise CLIError(f"unknown parameter {name!r} for model {cls.name}; "
                           f"known: {', '.join(cls.parameter_specs())}")
        changes[name] = value
    return cls(**changes)


def _print_json(obj) -> None:
    print(json.dumps(to_jsonable(obj), ensure_ascii=False, indent=2))


def cmd_list(args) -> int:
    for name in model_names():
        cls = get_model(name)
        print(f"{name:20s} {cls.title}" + (f" ({cls.chinese_title})" if cls.chinese_title else ""))
    return 0


def cmd_describe(args) -> int:
    print(get_model(args.model).describe())
    return 0


def cmd_solve(args) -> int:
    result = model_from_args(args).solve()
    if args.json:
        _print_json(result.to_json())
    else:
        print(result)
    return 0


def cmd_compare(args) -> int:
    model = model_from_args(args)
    if "transparency" not in model.parameter_specs():
        raise CLIError(f"model {model.name} has no transparency parameter")
    table = model.compare(args.transparency)
    if args.json:
        _print_json(table.to_json())
    else:
        print(table)
    return 0


def cmd_export(args) -> int:
    model = model_from_args(args)
    if not model.has_game():
        raise CLIError(f"model {model.name} is not a finite game; nothing to export")
    game = model.to_game()
    writer = {"nfg": "to_nfg", "efg": "to_efg"}[args.format]
    if not hasattr(game, writer):
        other = "efg" if args.format == "nfg" else "nfg"
        raise CLIError(f"model {model.name} is a {type(game).__name__}; export it with --format {other}")
    text = getattr(game, writer)()
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def cmd_report(args) -> int:
    from .report import build_report, load_config, render
    config = load_config(args.config) if args.config else None
    text = render(build_report(args.transparency, config, args.lang), args.format)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        print(text)
    return 0


def cmd_demo(args) -> int:
    from .demo import demo
    get_model(args.model)  # unknown model: one-line error
    print(demo(args.model, lang=args.lang))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Paired aid's contracting link as games, "
                     "solved with and without digital transparency.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p = sub.add_parser("list", help="list the models")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("describe", help="a model's game, parameters and outputs")
    p.add_argument("model")
    p.set_defaults(func=cmd_describe)

    set_help = "set a parameter (repeatable), e.g. --set transparency=0.5"
    p = sub.add_parser("solve", help="solve a model at given parameters")
    p.add_argument("model")
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help=set_help)
    p.add_argument("--json", action="store_true", help='print {"model", "parameters", "equilibrium"}')
    p.set_defaults(func=cmd_solve)

    p = sub.add_parser("compare", help="solve a model at several transparency levels")
    p.add_argument("model")
    p.add_argument("--transparency", type=float, nargs="+", default=[0.0, 0.5, 1.0], metavar="TAU")
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help=set_help)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("export", help="write a model's finite game in Gambit format")
    p.add_argument("model")
    p.add_argument("--format", choices=("nfg", "efg"), required=True)
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help=set_help)
    p.add_argument("--out", metavar="PATH", help="file to write (default: standard output)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("report", help="the contracting-link report: every model with and without transparency")
    p.add_argument("--transparency", type=float, nargs="+", default=None, metavar="TAU",
                   help="levels to compare (default: the config's, else 0 0.5 1)")
    p.add_argument("--config", metavar="FILE.toml", help="model parameters from a TOML file")
    p.add_argument("--lang", choices=("en", "zh"), default="en")
    p.add_argument("--format", choices=("text", "markdown", "html", "json"), default="text")
    p.add_argument("--out", metavar="PATH", help="file to write (default: standard output)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("demo", help="a narrated classroom walkthrough of one model")
    p.add_argument("model")
    p.add_argument("--lang", choices=("en", "zh"), default="en")
    p.set_defaults(func=cmd_demo)

    try:
        from .analysis import sweep_cli
    except ImportError:  # the analysis extras are optional
        sweep_cli = None
    if sweep_cli is not None and hasattr(sweep_cli, "register"):
        sweep_cli.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        return int(args.func(args) or 0)
    except (CLIError, ParameterError) as exc:
        msg = str(exc)
    except KeyError as exc:  # unknown model
        msg = exc.args[0] if exc.args else str(exc)
    except ValueError as exc:
        msg = str(exc)
    except (ImportError, NotImplementedError, OSError) as exc:
        msg = str(exc)
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
    first = msg.strip().splitlines()[0] if msg.strip() else "error"
    if not first.startswith(PROG):
        first = f"{PROG}: error: {first}"
    print(first, file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
