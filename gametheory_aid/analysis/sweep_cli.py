"""The ``sweep`` and ``sensitivity`` subcommands of the command line.

::

    gametheory-aid sweep MODEL --grid NAME=LO:HI:N [--grid ...] --out PATH
    gametheory-aid sweep MODEL --samples N [--method random|latin|sobol] --vary NAME=LO:HI [...] --out PATH
        [--set NAME=VALUE] [--output NAME] [--seed S] [--chunk-size N] [--resume]
        [--backend local|dask] [--scheduler ADDR] [--progress | --no-progress]
    gametheory-aid sensitivity MODEL --vary NAME=LO:HI [...] --n N [--method sobol|morris]
        [--output NAME] [--set NAME=VALUE] [--seed S] [--json]

``--grid NAME=LO:HI:N`` is ``N`` evenly spaced values from ``LO`` to ``HI`` inclusive
(``NAME=V1,V2,...`` lists the values).  Malformed ranges and unknown names raise
:class:`ValueError` with a one-line message naming the argument.
"""
from __future__ import annotations

import argparse
import json
import math

__all__ = ["register", "parse_grid", "parse_range", "cmd_sweep", "cmd_sensitivity"]


def _number(text: str, arg: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{arg}: {what} {text!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{arg}: {what} {text!r} is not finite")
    return value


def _split(text: str, arg: str, form: str) -> tuple:
    name, eq, rest = text.partition("=")
    name = name.strip()
    if not eq or not name or not rest.strip():
        raise ValueError(f"{arg} {text!r}: expected {form}")
    return name, rest.strip()


def parse_grid(text: str, arg: str = "--grid") -> tuple:
    """``NAME=LO:HI:N`` (``N`` values from ``LO`` to ``HI``) or ``NAME=V1,V2,...`` -> ``(name, values)``."""
    import numpy as np

    form = "NAME=LO:HI:N (e.g. transparency=0:1:101) or NAME=V1,V2,..."
    name, rest = _split(text, arg, form)
    if ":" in rest:
        parts = rest.split(":")
        if len(parts) != 3:
            raise ValueError(f"{arg} {text!r}: expected {form}")
        lo = _number(parts[0], f"{arg} {name}", "LO")
        hi = _number(parts[1], f"{arg} {name}", "HI")
        try:
            count = int(parts[2])
        except ValueError:
            raise ValueError(f"{arg} {name}: N {parts[2]!r} is not a whole number") from None
        if count < 1:
            raise ValueError(f"{arg} {name}: N must be at least 1, got {count}")
        if hi < lo:
            raise ValueError(f"{arg} {name}: LO {lo:g} is greater than HI {hi:g}")
        if count == 1 and hi != lo:
            raise ValueError(f"{arg} {name}: N = 1 needs LO = HI")
        return name, np.linspace(lo, hi, count)
    values = [_number(v.strip(), f"{arg} {name}", "value") for v in rest.split(",")]
    return name, np.asarray(values)


def parse_range(text: str, arg: str = "--vary") -> tuple:
    """``NAME=LO:HI`` -> ``(name, (lo, hi))`` with ``LO < HI``."""
    form = "NAME=LO:HI (e.g. transparency=0:1)"
    name, rest = _split(text, arg, form)
    parts = rest.split(":")
    if len(parts) != 2:
        raise ValueError(f"{arg} {text!r}: expected {form}")
    lo = _number(parts[0], f"{arg} {name}", "LO")
    hi = _number(parts[1], f"{arg} {name}", "HI")
    if not lo < hi:
        raise ValueError(f"{arg} {name}: needs LO < HI, got {lo:g}:{hi:g}")
    return name, (lo, hi)


def _collect(items, parse, arg: str) -> dict:
    out = {}
    for item in items or []:
        name, value = parse(item, arg)
        if name in out:
            raise ValueError(f"{arg}: parameter {name!r} given twice")
        out[name] = value
    return out


def _model(args):
    """The model named on the command line, with ``--set`` applied (as every command does)."""
    from ..cli import model_from_args

    return model_from_args(args)


def _check_names(model, names, arg: str) -> None:
    specs = model.parameter_specs()
    for name in names:
        if name not in specs:
            raise ValueError(f"{arg}: unknown parameter {name!r} of model {model.name!r}; "
                             f"parameters: {', '.join(specs)}")


def _check_outputs(model, names) -> None:
    known = [o.name for o in model.outputs]
    for name in names or []:
        if name not in known:
            raise ValueError(f"--output: unknown output {name!r} of model {model.name!r}; "
                             f"outputs: {', '.join(known)}")


def cmd_sweep(args) -> int:
    """Run ``sweep`` and report where the dataset is."""
    from .sweep import sweep

    grid = _collect(args.grid, parse_grid, "--grid")
    bounds = _collect(args.vary, parse_range, "--vary")
    if grid and (bounds or args.samples is not None):
        raise ValueError("--grid cannot be combined with --samples/--vary")
    if not grid and args.samples is None:
        raise ValueError("sweep: give --grid NAME=LO:HI:N, or --samples N with --vary NAME=LO:HI")
    if args.samples is not None and args.samples < 1:
        raise ValueError(f"--samples: must be at least 1, got {args.samples}")
    if args.samples is not None and not bounds:
        raise ValueError("--samples: needs at least one --vary NAME=LO:HI")
    if args.chunk_size < 1:
        raise ValueError(f"--chunk-size: must be at least 1, got {args.chunk_size}")
    model = _model(args)
    _check_names(model, grid, "--grid")
    _check_names(model, bounds, "--vary")
    _check_outputs(model, args.output)
    kwargs = dict(outputs=args.output or None, chunk_size=args.chunk_size, out=args.out, resume=args.resume,
                  backend=args.backend, scheduler=args.scheduler, progress=args.progress)
    if grid:
        result = sweep(model, grid, **kwargs)
    else:
        result = sweep(model, samples=args.samples, method=args.method, bounds=bounds, seed=args.seed, **kwargs)
    m = result.manifest
    print(f"{result.path}: {m['n_points']} points of {m['model']} in {m['n_chunks']} Parquet chunks "
          f"(columns: {', '.join(m['columns'])})")
    return 0


def cmd_sensitivity(args) -> int:
    """Run ``sensitivity`` and print the indices (a table, or JSON with ``--json``)."""
    from .sensitivity import sensitivity

    bounds = _collect(args.vary, parse_range, "--vary")
    if not bounds:
        raise ValueError("sensitivity: needs at least one --vary NAME=LO:HI")
    if args.n < 2:
        raise ValueError(f"--n: must be at least 2, got {args.n}")
    if args.method == "sobol" and args.n & (args.n - 1):
        raise ValueError(f"--n: Sobol' indices need a power of two, got {args.n}")
    model = _model(args)
    _check_names(model, bounds, "--vary")
    _check_outputs(model, args.output)
    result = sensitivity(model, bounds, method=args.method, n=args.n, outputs=args.output or None,
                         seed=args.seed)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print(result)
    return 0


def register(subparsers) -> None:
    """Add the ``sweep`` and ``sensitivity`` subcommands to an argparse subparsers object."""
    set_help = "fix a parameter for the whole run (repeatable), e.g. --set penalty=1"

    p = subparsers.add_parser("sweep", help="solve a model over a grid or a sample, to a Parquet dataset",
                              description="Solve a model over a full factorial grid or a sampled design, "
                              "streaming chunks to a Parquet dataset that --resume can finish.")
    p.add_argument("model")
    p.add_argument("--grid", action="append", metavar="NAME=LO:HI:N",
                   help="grid values of a parameter (repeatable): N points from LO to HI, or NAME=V1,V2,...")
    p.add_argument("--samples", type=int, metavar="N", help="number of sampled points (with --vary)")
    p.add_argument("--method", choices=("random", "latin", "sobol"), default="random",
                   help="sampling design (default random)")
    p.add_argument("--vary", action="append", metavar="NAME=LO:HI", help="sampled range of a parameter (repeatable)")
    p.add_argument("--seed", type=int, default=0, help="seed of the sampling design (default 0)")
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help=set_help)
    p.add_argument("--output", action="append", metavar="NAME", help="record only these outputs (repeatable)")
    p.add_argument("--out", required=True, metavar="PATH", help="directory of the Parquet dataset")
    p.add_argument("--resume", action="store_true", help="finish an interrupted sweep in PATH")
    p.add_argument("--chunk-size", type=int, default=1 << 17, metavar="N", help="points per chunk (default 131072)")
    p.add_argument("--backend", choices=("local", "dask"), default="local")
    p.add_argument("--scheduler", metavar="ADDR", help="Dask scheduler address (default: a local cluster)")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bar (default: when standard error is a terminal)")
    p.set_defaults(func=cmd_sweep)

    p = subparsers.add_parser("sensitivity", help="Sobol' indices or Morris effects of a model's outputs",
                              description="Global sensitivity of a model's outputs to parameters varied "
                              "uniformly over ranges (through SALib).")
    p.add_argument("model")
    p.add_argument("--vary", action="append", metavar="NAME=LO:HI", help="range of a parameter (repeatable)")
    p.add_argument("--n", type=int, default=1024, metavar="N",
                   help="Sobol' base sample (a power of two) or Morris trajectories (default 1024)")
    p.add_argument("--method", choices=("sobol", "morris"), default="sobol")
    p.add_argument("--output", action="append", metavar="NAME", help="analyse only these outputs (repeatable)")
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help=set_help)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=cmd_sensitivity)
