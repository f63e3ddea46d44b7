"""The ``plot`` command: a model's outputs against digital transparency, written to a PNG, SVG or PDF file."""
from __future__ import annotations

import argparse
import os

from .options import CLIError, add_model, add_set, model_from_args

__all__ = ["register", "cmd_plot", "FORMATS"]

FORMATS = ("png", "svg", "pdf")


def _points(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 2:
        raise argparse.ArgumentTypeError(f"--points {text!r}: needs an integer >= 2")
    return n


def cmd_plot(args) -> int:
    """Draw the model's outputs (by default its story's figure) against τ ∈ [0, 1] into ``--out``."""
    fmt = os.path.splitext(args.out)[1].lower().lstrip(".")
    if fmt not in FORMATS:
        raise CLIError(f"--out {args.out}: unknown format {fmt or '(no extension)'!r}; allowed: "
                       f"{', '.join('.' + f for f in FORMATS)}")
    from .options import set_names

    if "transparency" in set_names(args):
        raise CLIError("--set transparency: plot varies transparency over [0, 1], so the --set value would be "
                       "ignored; leave it out")
    model = model_from_args(args)
    from .._optional import require

    matplotlib = require("matplotlib", "plot")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..analysis.plots import plot_transparency

    try:
        fig, _ = plot_transparency(model, args.output, lang=args.lang, raw_names=args.raw_names, points=args.points)
    except ValueError as exc:
        raise CLIError(str(exc)) from None
    try:
        fig.savefig(args.out, format=fmt, dpi=150)
    except OSError as exc:
        raise CLIError(f"--out {args.out}: cannot write: {exc.strerror or exc}") from None
    finally:
        plt.close(fig)
    return 0


def register(sub, common) -> None:
    """Add ``plot`` to the subparsers ``sub`` (``common``: the parent parsers every subcommand takes)."""
    p = sub.add_parser("plot", parents=common, help="draw a model's outputs against transparency",
                       description="A model's outputs against digital transparency τ ∈ [0, 1]: regimes shaded "
                       "and named, thresholds dashed, jumps drawn as breaks. The format comes from the extension "
                       "of --out (.png, .svg or .pdf).")
    add_model(p)
    p.add_argument("--output", action="append", metavar="NAME",
                   help="an output to draw (repeatable; default: the model's story's figure)")
    p.add_argument("--out", required=True, metavar="FILE", help="the file to write: FILE.png, FILE.svg or FILE.pdf")
    add_set(p)
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the labels (default: en)")
    p.add_argument("--raw-names", action="store_true", help="label with the raw parameter and output names")
    p.add_argument("--points", type=_points, default=201, metavar="N",
                   help="number of transparency values on [0, 1] (default: 201)")
    p.set_defaults(func=cmd_plot)
