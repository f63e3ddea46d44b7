"""The ``gametheory-aid`` command line, generic over the model registry.

::

    gametheory-aid [--debug] COMMAND ...

Commands: ``list``, ``describe``, ``solve``, ``compare``, ``export`` (:mod:`.models`),
``report``, ``demo`` (:mod:`.report`), ``sweep``, ``sensitivity`` (:mod:`.sweeps`), ``plot``
(:mod:`.plot`), ``serve`` (:mod:`.serve`, the classroom page); the options they share --
``MODEL``, ``--set NAME=VALUE``, ``--json`` -- are parsed in :mod:`.options`.

Errors: every user error -- an unknown model, parameter or output, a malformed or
out-of-domain value, conflicting or repeated options, a missing or unwritable file, a missing
optional dependency -- prints **one line** on standard error, ``gametheory-aid: error: ...``,
and exits with status 2, without a traceback.  Anything else is a defect: one line too
(``gametheory-aid: internal error: ...``), exit status 1, and ``--debug`` (before or after the
command) prints the traceback instead, for a bug report.  Ctrl-C stops any command with one
line, ``gametheory-aid: interrupted``, and exit status 130 (128 + SIGINT, as shells report
it); a closed pipe (``| head``) is a normal end, status 0.  Warnings are one line each,
``gametheory-aid: warning: ...``.

Importing this package and running ``list`` import neither sympy, scipy.optimize, pandas,
pyarrow nor matplotlib: each command imports what it needs when it runs.
"""
from __future__ import annotations

import argparse
import os
import sys
import traceback
import warnings
from collections.abc import Sequence

from .. import __version__
from ..core.params import ParameterError
from . import models, plot, report, sweeps
from . import serve as serve_command
from .options import PROG, CLIError, Parser, parse_assignment, parse_value

__all__ = ["main", "build_parser", "CLIError", "parse_assignment", "parse_value", "PROG"]

#: Exceptions that are the user's error: one line, exit status 2.
USER_ERRORS = (CLIError, ParameterError, ValueError, ImportError, NotImplementedError, OSError)

#: Exit status after Ctrl-C: 128 + SIGINT, what a shell reports for a command killed by it.
INTERRUPTED = 130

DEBUG_HELP = "on an error, print the full traceback (for a bug report) instead of one line"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    parser = Parser(prog=PROG, description="Paired aid's contracting link as games, "
                    "solved with and without digital transparency.",
                    epilog="Run 'gametheory-aid COMMAND --help' for a command's options.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}",
                        help="print the version and exit")
    parser.add_argument("--debug", action="store_true", help=DEBUG_HELP)
    # ``--debug`` after the command too; SUPPRESS keeps a subcommand from resetting it to False
    common = Parser(add_help=False)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=DEBUG_HELP)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.required = True
    models.register(sub, [common])
    report.register(sub, [common])
    sweeps.register(sub, [common])
    plot.register(sub, [common])
    serve_command.register(sub, [common])
    return parser


def _first_line(exc: BaseException) -> str:
    msg = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
    return msg.strip().splitlines()[0] if msg.strip() else type(exc).__name__


def _one_line(exc: BaseException) -> str:
    first = _first_line(exc)
    return first if first.startswith(PROG) else f"{PROG}: error: {first}"


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Show a warning as the command line's other messages: one line naming the program."""
    print(f"{PROG}: warning: {_first_line(Warning(str(message)))}", file=sys.stderr if file is None else file)


def _interrupted(exc: KeyboardInterrupt) -> str:
    """The line after Ctrl-C; a command may add what it kept and how to go on (``KeyboardInterrupt(msg)``)."""
    return f"{PROG}: interrupted" + (f": {_first_line(exc)}" if exc.args and str(exc).strip() else "")


def _quiet_stdout() -> None:
    """After a closed pipe (``| head``), send the rest of standard output nowhere."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (e.g. captured in tests)
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line on ``argv`` (default ``sys.argv[1:]``); returns the exit status.

    0 on success, 2 on a user error (one line on standard error), 1 on a defect (one line, or
    the traceback with ``--debug``), 130 after Ctrl-C (one line, or the traceback with
    ``--debug``).
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv[: argv.index("--")] if "--" in argv else "--debug" in argv
    with warnings.catch_warnings():  # restores the warning display afterwards
        if not debug:
            warnings.showwarning = _show_warning
        return _run(argv, debug)


def _run(argv: list, debug: bool) -> int:
    try:
        args = build_parser().parse_args(argv)
        debug = bool(getattr(args, "debug", False))
        return int(args.func(args) or 0)
    except BrokenPipeError:  # e.g. piped into `head`: the reader has what it wanted
        _quiet_stdout()
        return 0
    except KeyboardInterrupt as exc:  # Ctrl-C: the user's choice, not a defect
        if debug:
            traceback.print_exc()
        else:
            print(_interrupted(exc), file=sys.stderr)
        return INTERRUPTED
    except USER_ERRORS as exc:
        if debug:
            traceback.print_exc()
        else:
            print(_one_line(exc), file=sys.stderr)
        return 2
    except Exception as exc:  # a defect: say so, and how to get the traceback
        if debug:
            traceback.print_exc()
        else:
            print(f"{PROG}: internal error: {type(exc).__name__}: {_first_line(exc)} "
                  f"(run again with --debug for the traceback)", file=sys.stderr)
        return 1
