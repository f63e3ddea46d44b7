"""The ``sweep`` and ``sensitivity`` commands.

::

    gametheory-aid sweep MODEL --grid AXIS=LO:HI:N [--grid ...] --out PATH
    gametheory-aid sweep MODEL --samples N [--method random|latin|sobol] --vary AXIS=LO:HI [...] --out PATH
        [--set NAME=VALUE] [--output NAME] [--seed S] [--chunk-size N] [--resume] [--compression C]
        [--backend local|dask [--scheduler ADDR] [--scheduler-timeout S]] [--progress | --no-progress] [--json]
    gametheory-aid sensitivity MODEL --vary AXIS=LO:HI [...] --n N [--method sobol|morris]
        [--output NAME] [--set NAME=VALUE] [--seed S] [--json]

An **axis** is a scalar parameter (``transparency``) or one element of a vector parameter,
spelt with its 0-based index (``feedback[0]``); the other elements keep the vector fixed with
``--set feedback=0,0.5,1`` (or the model's default).  ``--grid AXIS=LO:HI:N`` is ``N`` evenly
spaced values from ``LO`` to ``HI`` inclusive, and ``--grid AXIS=V1,V2,...`` lists the
values: in ``--grid`` a comma list is the axis's grid values, never a vector.  ``--vary
AXIS=LO:HI`` is the range of a sampled axis.  Malformed ranges and unknown names are
:class:`ValueError` with a one-line message naming the argument.

Both commands apply the same rules as the functions: ``--method sobol`` needs a power of two
(``--samples`` of a sweep, ``--n`` of Sobol' indices; one message for both), a sweep has at
most 100 000 chunks (``--chunk-size``), ``--scheduler`` needs ``--backend dask``, and an axis
cannot also be ``--set``.  ``sweep --resume`` verifies the chunks already written and says
how many it skipped and recomputed; Ctrl-C stops a sweep cleanly (exit status 130), keeping
every finished chunk, and says how to finish it with ``--resume``.

The commands call :func:`gametheory_aid.analysis.sweep` and
:func:`gametheory_aid.analysis.sensitivity`, imported when they run.
"""
from __future__ import annotations

import argparse
import math
import sys
import warnings

from .options import PROG, SET_HELP, CLIError, add_json, add_model, add_set, model_from_args, print_json

__all__ = ["register", "parse_grid", "parse_range", "cmd_sweep", "cmd_sensitivity"]

AXIS_HELP = ("an AXIS is a parameter, or one element of a vector parameter spelt with its 0-based index, "
             "e.g. feedback[0]")
_AXIS_SENTENCE = AXIS_HELP[0].upper() + AXIS_HELP[1:]


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
    """``AXIS=LO:HI:N`` (``N`` values from ``LO`` to ``HI``) or ``AXIS=V1,V2,...`` -> ``(axis, values)``.

    ``AXIS`` is a parameter name or an element ``name[i]`` of a vector parameter; it is
    checked against the model later.
    """
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
    """``AXIS=LO:HI`` -> ``(axis, (lo, hi))`` with ``LO < HI``."""
    form = "NAME=LO:HI (e.g. transparency=0:1)"
    name, rest = _split(text, arg, form)
    parts = rest.split(":")
    if len(parts) != 2:
        hint = "; N grid values are --grid NAME=LO:HI:N" if len(parts) == 3 else ""
        raise ValueError(f"{arg} {text!r}: expected {form}{hint}")
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


def _check_axes(model, axes, arg: str, fixed) -> None:
    """Each axis names a scalar parameter or an element of a vector one, and is not also ``--set``."""
    from ..analysis.sweeps import _check_name

    given = {item.partition("=")[0].strip() for item in fixed or []}
    specs = model.parameter_specs()
    for name in axes:
        if name in specs and specs[name].vector:
            last = (model.n or 1) - 1
            raise CLIError(f"{arg} {name}: {name!r} is a vector parameter; sweep one element at a time, "
                           f"{name}[0] .. {name}[{last}] (0-based), and fix the others with "
                           f"--set {name}=V1,V2,...")
        _check_name(model, name, arg)
        if name in given:
            raise CLIError(f"{arg} {name}: also given with --set; fix it with --set or sweep it, not both")


def _check_outputs(model, names) -> None:
    from ..core.params import UnknownNameError, check_names

    try:
        check_names(names or [], [o.name for o in model.outputs], "output", f"model {model.name!r}")
    except UnknownNameError as exc:
        raise CLIError(f"--output: {exc}") from None


def _n_points(grid: dict, samples) -> int:
    if grid:
        return math.prod(len(v) for v in grid.values())
    return int(samples)


def cmd_sweep(args) -> int:
    """Run ``sweep`` and report where the dataset is (a line, or the manifest as JSON).

    On Ctrl-C (``SIGINT``) the chunks already written are kept and recorded; the command
    says how many and how to finish (``--resume``) on one line, and exits with status 130.
    """
    try:
        return _sweep_command(args)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted: {_kept(args.out)}", file=sys.stderr)
        return 130


def _kept(out: str) -> str:
    """What an interrupted sweep left in ``out``, and how to finish it."""
    try:
        from ..analysis import open_sweep
        handle = open_sweep(out)
        done, total = len(handle.files()), handle.n_chunks
    except (OSError, ValueError, ImportError):
        return "before any chunk was written; nothing was kept (run the command again to start afresh)"
    except KeyboardInterrupt:  # pragma: no cover - a second Ctrl-C while counting
        return f"the chunks written so far are kept in {out}; run the same command with --resume to finish"
    return (f"{done} of {total} chunks are written and kept in {out}; run the same command with --resume "
            "to finish the sweep")


def _sweep_command(args) -> int:
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
    if args.scheduler is not None and args.backend != "dask":
        raise CLIError(f"--scheduler: {args.scheduler!r} is only used with --backend dask (the backend is "
                       f"{args.backend}); add --backend dask, or leave out --scheduler")
    if not 0 < args.scheduler_timeout <= 3600:
        raise CLIError(f"--scheduler-timeout: expected seconds in (0, 3600], got {args.scheduler_timeout:g}")
    from ..analysis.sweeps import _check_chunks, _check_sobol_size

    if args.samples is not None and args.method == "sobol":
        _check_sobol_size(args.samples, "--samples")
    _check_chunks(_n_points(grid, args.samples), args.chunk_size, "--chunk-size")
    model = model_from_args(args)
    _check_axes(model, grid, "--grid", args.set)
    _check_axes(model, bounds, "--vary", args.set)
    _check_outputs(model, args.output)

    from ..analysis import sweep
    from ..analysis.sweeps import ResumeWarning

    kwargs = dict(outputs=args.output or None, chunk_size=args.chunk_size, out=args.out, resume=args.resume,
                  compression=args.compression, backend=args.backend, scheduler=args.scheduler,
                  scheduler_timeout=args.scheduler_timeout, progress=args.progress)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResumeWarning)  # the report below names the same chunks
        if grid:
            result = sweep(model, grid, **kwargs)
        else:
            result = sweep(model, samples=args.samples, method=args.method, bounds=bounds, seed=args.seed,
                           **kwargs)
    m = result.manifest
    report = result.resumed
    if args.json:
        doc = {k: v for k, v in m.items() if k != "chunks"}
        if report is not None:
            doc["resumed"] = {"kept": len(report.kept), "recomputed": {str(k): v for k, v in report.recomputed.items()},
                              "missing": len(report.missing), "strays": report.strays}
        print_json(dict(path=str(result.path), **doc))
    else:
        if report is not None:
            print(f"{result.path}: resumed: {report}")
        print(f"{result.path}: {m['n_points']} points of {m['model']} in {m['n_chunks']} Parquet chunks "
              f"(columns: {', '.join(m['columns'])})")
    return 0


def cmd_sensitivity(args) -> int:
    """Run ``sensitivity`` and print the indices (a table, or JSON with ``--json``)."""
    bounds = _collect(args.vary, parse_range, "--vary")
    if not bounds:
        raise ValueError("sensitivity: needs at least one --vary NAME=LO:HI")
    if args.n < 2:
        raise ValueError(f"--n: must be at least 2, got {args.n}")
    if args.method == "sobol":
        from ..analysis.sweeps import _check_sobol_size
        _check_sobol_size(args.n, "--n")  # the same rule, and message, as sweep --method sobol
    model = model_from_args(args)
    _check_axes(model, bounds, "--vary", args.set)
    _check_outputs(model, args.output)

    from ..analysis import sensitivity

    result = sensitivity(model, bounds, method=args.method, n=args.n, outputs=args.output or None, seed=args.seed)
    if args.json:
        print_json(result.to_json())
    else:
        print(result)
    return 0


def register(sub, common) -> None:
    """Add ``sweep`` and ``sensitivity`` to the subparsers ``sub`` (``common``: the shared parent parsers)."""
    set_help = SET_HELP.replace("give a parameter a value", "fix a parameter for the whole run")

    p = sub.add_parser("sweep", parents=common,
                       help="solve a model over a grid or a sample, to a Parquet dataset",
                       description="Solve a model over a full factorial grid or a sampled design, streaming "
                       "chunks to a Parquet dataset that --resume can finish. " + _AXIS_SENTENCE + "; the "
                       "vector's other elements keep their --set (or default) values.",
                       epilog="example: gametheory-aid sweep resource-allocation --set feedback=0,0.5,1 "
                       "--grid 'feedback[0]=0:1:11' --grid transparency=0:1:11 --out feedback")
    add_model(p)
    p.add_argument("--grid", action="append", metavar="AXIS=LO:HI:N",
                   help="grid values of an axis (repeatable): N points from LO to HI, or AXIS=V1,V2,... "
                   "(a comma list is the axis's values, never a vector); " + AXIS_HELP)
    p.add_argument("--samples", type=int, metavar="N", help="number of sampled points (with --vary)")
    p.add_argument("--method", choices=("random", "latin", "sobol"), default="random",
                   help="sampling design (default random)")
    p.add_argument("--vary", action="append", metavar="AXIS=LO:HI",
                   help="sampled range of an axis (repeatable, with --samples); " + AXIS_HELP)
    p.add_argument("--seed", type=int, default=0, help="seed of the sampling design (default 0)")
    add_set(p, set_help)
    p.add_argument("--output", action="append", metavar="NAME", help="record only these outputs (repeatable)")
    p.add_argument("--out", required=True, metavar="PATH", help="directory of the Parquet dataset")
    p.add_argument("--resume", action="store_true",
                   help="finish an interrupted sweep in PATH: verify the chunks there, compute the rest")
    p.add_argument("--chunk-size", type=int, default=1 << 17, metavar="N",
                   help="points per chunk and per file (default 131072); at most 100000 chunks per sweep")
    p.add_argument("--compression", choices=("snappy", "zstd", "lz4", "gzip", "brotli", "none"), default=None,
                   help="Parquet codec of the chunk files (default snappy; none writes fastest, zstd smallest)")
    p.add_argument("--backend", choices=("local", "dask"), default="local",
                   help="run the chunks in this process, or on a Dask cluster (default local)")
    p.add_argument("--scheduler", metavar="ADDR",
                   help="Dask scheduler address, with --backend dask (default: a local cluster)")
    p.add_argument("--scheduler-timeout", type=float, default=10.0, metavar="SECONDS",
                   help="give up if the scheduler does not answer within this time (default 10)")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bar (default: when standard error is a terminal)")
    add_json(p, 'print the dataset\'s manifest {"path", "model", "n_points", "columns", ...}')
    p.set_defaults(func=cmd_sweep)

    p = sub.add_parser("sensitivity", parents=common, help="Sobol' indices or Morris effects of a model's outputs",
                       description="Global sensitivity of a model's outputs to parameters varied uniformly "
                       "over ranges (through SALib). " + _AXIS_SENTENCE + ".")
    add_model(p)
    p.add_argument("--vary", action="append", metavar="AXIS=LO:HI",
                   help="range of an axis (repeatable); " + AXIS_HELP)
    p.add_argument("--n", type=int, default=1024, metavar="N",
                   help="Sobol' base sample (a power of two) or Morris trajectories (default 1024)")
    p.add_argument("--method", choices=("sobol", "morris"), default="sobol",
                   help="Sobol' indices (variance shares) or Morris elementary effects (default sobol)")
    p.add_argument("--output", action="append", metavar="NAME", help="analyse only these outputs (repeatable)")
    add_set(p, set_help)
    p.add_argument("--seed", type=int, default=0, help="seed of the sample (default 0)")
    add_json(p, "print the result as JSON")
    p.set_defaults(func=cmd_sensitivity)
