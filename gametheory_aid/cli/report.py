"""The commands on every model together: ``report`` and ``demo``.

::

    gametheory-aid report [--transparency TAU ...] [--config FILE.toml] [--set MODEL.NAME=VALUE ...] [--lang en|zh]
        [--format text|markdown|html|json] [--out PATH]
    gametheory-aid demo MODEL [--set NAME=VALUE ...] [--lang en|zh] [--step]

Both only call the public functions of :mod:`gametheory_aid.report` (``load_config``,
``build_report``, ``render``) and :mod:`gametheory_aid.demo` (``demo``), imported when the
command runs.  ``--transparency`` and a configuration's ``transparency`` list may both be given
only when they agree (otherwise one would be ignored); a configuration that cannot be read and
an ``--out`` that cannot be written are one-line errors naming the path.
"""
from __future__ import annotations

from .options import (
    LANGUAGES,
    CLIError,
    add_model,
    add_raw_names,
    add_set,
    model_from_args,
    parse_assignment,
    parse_level,
    write_text,
)

__all__ = ["register", "cmd_report", "cmd_demo"]

FORMATS = ("text", "markdown", "html", "json")


def cmd_report(args) -> int:
    """Build the report and print it, or write it to ``--out``."""
    from ..report import build_report, render

    config = _config(args.config) if args.config is not None else None
    levels = args.transparency
    given = (config or {}).get("transparency")
    if levels is not None and given is not None and [float(t) for t in levels] != list(given):
        raise CLIError(f"--transparency {' '.join(f'{t:g}' for t in levels)}: the config file {args.config!r} "
                       f"sets transparency = [{', '.join(f'{t:g}' for t in given)}]; give the levels in one "
                       f"place only")
    params = _report_params(args.set, config, args.config)
    text = render(build_report(levels, config, args.lang, params=params), args.format, raw_names=args.raw_names)
    if args.out is not None:
        write_text(args.out, text)
    else:
        print(text)
    return 0


def _report_params(items, config, path) -> dict:
    """The ``--set MODEL.NAME=VALUE`` items as ``{model: {name: value}}`` (``build_report`` checks them).

    The model prefix is required; a parameter set twice, or set differently in ``--config``, is a
    one-line error naming both.
    """
    out: dict = {}
    for item in items or []:
        name, value = parse_assignment(item)
        model, dot, parameter = name.partition(".")
        if not dot or not parameter:
            raise CLIError(f"--set {item.strip()}: the report needs the model too, as MODEL.NAME=VALUE "
                           f"(e.g. --set pleading-poverty.value_intercept=3)")
        if parameter in out.get(model, {}):
            raise CLIError(f"--set: parameter {name!r} given twice")
        given = ((config or {}).get("models") or {}).get(model, {}).get(parameter)
        if given is not None and not isinstance(value, list) and float(given) != float(value):
            raise CLIError(f"--set {item.strip()}: the config file {path!r} sets {parameter} = {given:g} in "
                           f"[{model}]; give the value in one place only")
        out.setdefault(model, {})[parameter] = value
    if out:
        from ..report import check_config

        check_config(out, source="--set")  # an unknown model or parameter named as the user typed it
    return out


def _config(path: str) -> dict:
    """The TOML configuration at ``path``; a file that cannot be read is a one-line :class:`CLIError`."""
    from ..core.params import ParameterError
    from ..report import load_config

    try:
        return load_config(path)
    except ParameterError as exc:  # a value outside its domain: say in which file it is
        if path in str(exc):
            raise
        raise CLIError(f"--config {path!r}: {exc}") from None
    except UnicodeDecodeError as exc:
        raise CLIError(f"--config {path!r}: not UTF-8 text (byte {exc.start}); a config is a TOML file") from None
    except OSError as exc:  # a directory, no permission, ... (a missing file is the report's own error)
        raise CLIError(f"--config {path!r}: cannot read the file: {exc.strerror or exc}") from None


def cmd_demo(args) -> int:
    """Print the narrated walkthrough of one model (``--step``: pausing for Enter between steps)."""
    import sys

    from ..demo import PROMPT, demo, render_parts, walkthrough

    model = model_from_args(args)  # an unknown model or parameter is a one-line error
    if not args.step:
        print(demo(model, lang=args.lang, raw_names=args.raw_names))
        return 0
    title, steps = walkthrough(model, lang=args.lang, raw_names=args.raw_names)
    print(f"{title}\n{'=' * len(title)}\n")
    parts = render_parts(steps, args.lang)
    pausing = True
    for i, part in enumerate(parts):
        print(part)
        if pausing and i < len(parts) - 1:
            print(PROMPT[args.lang], end="", flush=True)
            pausing = sys.stdin.readline() != ""  # end of input: print the rest without pausing
            print()
    return 0


def register(sub, common) -> None:
    """Add ``report`` and ``demo`` to the subparsers ``sub`` (``common``: the shared parent parsers)."""
    p = sub.add_parser("report", parents=common,
                       help="the contracting-link report: every model with and without transparency",
                       description="Solve every model of the report at each transparency level and explain "
                       "the numbers.")
    p.add_argument("--transparency", type=parse_level, nargs="+", default=None, metavar="TAU",
                   help="levels to compare (default: the config's, else 0 0.5 1; both only if they agree)")
    p.add_argument("--config", metavar="FILE.toml", help="model parameters from a TOML file")
    add_set(p, help="give a model's parameter a value (repeatable), with the model's name first: "
            "--set pleading-poverty.value_intercept=3 (a value also in --config must agree)")
    p.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the text (default en)")
    p.add_argument("--format", choices=FORMATS, default="text", help="output format (default text)")
    p.add_argument("--out", metavar="PATH", help="file to write (default: standard output)")
    add_raw_names(p)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("demo", parents=common, help="a narrated classroom walkthrough of one model",
                       description="Step by step: who moves, what they know, the equilibrium, and the same "
                       "game with full transparency.")
    add_model(p)
    add_set(p)
    p.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the walkthrough (default en)")
    p.add_argument("--step", action="store_true",
                   help="pause for Enter between steps (end of input prints the rest)")
    add_raw_names(p)
    p.set_defaults(func=cmd_demo)
