"""The commands on every model together: ``report`` and ``demo``.

::

    gametheory-aid report [--transparency TAU ...] [--config FILE.toml] [--lang en|zh]
        [--format text|markdown|html|json] [--out PATH]
    gametheory-aid demo MODEL [--lang en|zh]

Both only call the public functions of :mod:`gametheory_aid.report` (``load_config``,
``build_report``, ``render``) and :mod:`gametheory_aid.demo` (``demo``), imported when the
command runs.  ``--transparency`` and a configuration's ``transparency`` list may both be given
only when they agree (otherwise one would be ignored); a configuration that cannot be read and
an ``--out`` that cannot be written are one-line errors naming the path.
"""
from __future__ import annotations

from .options import CLIError, add_model, parse_level, write_text

__all__ = ["register", "cmd_report", "cmd_demo"]

LANGUAGES = ("en", "zh")
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
    text = render(build_report(levels, config, args.lang), args.format)
    if args.out is not None:
        write_text(args.out, text)
    else:
        print(text)
    return 0


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
    """Print the narrated walkthrough of one model."""
    from ..demo import demo
    from ..models import get_model

    get_model(args.model)  # an unknown model is a one-line error naming the closest one
    print(demo(args.model, lang=args.lang))
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
    p.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the text (default en)")
    p.add_argument("--format", choices=FORMATS, default="text", help="output format (default text)")
    p.add_argument("--out", metavar="PATH", help="file to write (default: standard output)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("demo", parents=common, help="a narrated classroom walkthrough of one model",
                       description="Step by step: who moves, what they know, the equilibrium, and the same "
                       "game with full transparency.")
    add_model(p)
    p.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the walkthrough (default en)")
    p.set_defaults(func=cmd_demo)
