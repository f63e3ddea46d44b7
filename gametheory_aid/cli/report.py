"""The commands on every model together: ``report`` and ``demo``.

::

    gametheory-aid report [--transparency TAU ...] [--config FILE.toml] [--lang en|zh]
        [--format text|markdown|html|json] [--out PATH]
    gametheory-aid demo MODEL [--lang en|zh]

Both only call the public functions of :mod:`gametheory_aid.report` (``load_config``,
``build_report``, ``render``) and :mod:`gametheory_aid.demo` (``demo``), imported when the
command runs.
"""
from __future__ import annotations

from .options import add_model

__all__ = ["register", "cmd_report", "cmd_demo"]

LANGUAGES = ("en", "zh")
FORMATS = ("text", "markdown", "html", "json")


def cmd_report(args) -> int:
    """Build the report and print it, or write it to ``--out``."""
    from ..report import build_report, load_config, render

    config = load_config(args.config) if args.config else None
    text = render(build_report(args.transparency, config, args.lang), args.format)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        print(text)
    return 0


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
    p.add_argument("--transparency", type=float, nargs="+", default=None, metavar="TAU",
                   help="levels to compare (default: the config's, else 0 0.5 1)")
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
