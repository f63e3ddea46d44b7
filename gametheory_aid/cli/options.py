"""What every command of the command line shares: ``--set``, the model, ``--json``.

``--set NAME=VALUE`` (repeatable) gives a model parameter a value:

* a number, ``--set transparency=0.5``;
* ``none``, for an optional parameter left unset;
* a vector, for a vector parameter (one value per target or channel): comma-separated,
  ``--set feedback=0,0.5,1``, or in brackets, ``--set 'feedback=[0, 0.5, 1]'``.

A list given to a scalar parameter, a malformed number, a number too large for a float
(``1e400``) or a vector whose length differs from the model's other vector parameters is a
:class:`CLIError` naming the parameter.  Values are then validated by the model itself (its
domains and cross-constraints).

Every option that takes one value (``--format``, ``--out``, ``--transparency TAU ...``, a
``--flag/--no-flag`` pair) may be given once: a second occurrence would silently replace the
first, so it is an error; option names are never abbreviated.  Every error the parser finds is
one line, ``gametheory-aid: error: COMMAND: ...``, like the commands' own.
"""
from __future__ import annotations

import argparse
import json
import math

__all__ = ["CLIError", "Parser", "PROG", "parse_value", "parse_assignment", "parse_level", "add_model", "add_set",
           "add_json", "add_lang", "add_raw_names", "model_from_args", "set_names", "print_json", "write_text",
           "SET_HELP", "LANGUAGES"]

PROG = "gametheory-aid"

SET_HELP = ("give a parameter a value (repeatable): a number (--set transparency=0.5), none for an optional "
            "parameter left unset, or for a vector parameter one value per target, comma-separated "
            "(--set feedback=0,0.5,1) or bracketed (--set 'feedback=[0, 0.5, 1]')")


class CLIError(ValueError):
    """A user error on the command line (reported on one line, exit status 2)."""


def _once(action_class):
    """``action_class`` refusing a second occurrence of its option (which argparse would let win silently)."""

    class Once(action_class):
        def __call__(self, parser, namespace, values, option_string=None):
            given = namespace.__dict__.setdefault("_options_given", {})
            if self.dest in given:
                both = "" if given[self.dest] == option_string else f" ({given[self.dest]} and {option_string})"
                raise argparse.ArgumentError(self, f"given twice{both}; give it once")
            given[self.dest] = option_string
            super().__call__(parser, namespace, values, option_string)

    Once.__name__ = f"Once{action_class.__name__}"
    return Once


_ONCE = {None: _once(argparse._StoreAction), "store": _once(argparse._StoreAction),
         argparse.BooleanOptionalAction: _once(argparse.BooleanOptionalAction)}


class Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line, not a usage block.

    Its options are never abbreviated (``--trans`` is not ``--transparency``), and an option
    that holds one value may be given only once.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def add_argument(self, *args, **kwargs):
        if args and args[0].startswith("-") and kwargs.get("action") in _ONCE:
            kwargs["action"] = _ONCE[kwargs.get("action")]
        return super().add_argument(*args, **kwargs)

    def error(self, message: str):  # noqa: D401 - argparse API
        command = self.prog[len(PROG):].strip() if self.prog.startswith(PROG) else self.prog
        raise CLIError(f"{PROG}: error: {command + ': ' if command else ''}{message}")


# -- --set NAME=VALUE ------------------------------------------------------------------------
def _overflows(text: str, value: float) -> bool:
    """``text`` is a finite number too large for a float (``1e400``), which ``float`` reads as inf."""
    return math.isinf(value) and "inf" not in text.lower()


def _number(name: str, raw: str, item: str, what: str, where: str = "") -> float:
    at = f"{where} {item!r}" if where else f"{item!r}"
    try:
        value = float(item)
    except ValueError:
        if where:
            raise CLIError(f"{what} {name}={raw!r}: {where} {item!r} is not a number") from None
        raise CLIError(f"{what} {name}={raw!r}: not a number") from None
    if _overflows(item, value):
        raise CLIError(f"{what} {name}={raw!r}: {at} is too large for a float (magnitude above 1.8e308)")
    return value


def parse_level(text: str) -> float:
    """An ``argparse`` type for a number such as ``--transparency TAU``: a float, never an overflow to inf.

    ``nan`` and ``inf`` are read as such, for the model to refuse with its domain.
    """
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid float value: {text!r}") from None
    if _overflows(text, value):
        raise argparse.ArgumentTypeError(f"{text!r} is too large for a float (magnitude above 1.8e308)")
    return value


def parse_value(name: str, raw: str, what: str = "--set"):
    """The value of ``NAME=RAW``: a float, ``None`` (``none``/``null``) or a list of floats.

    ``RAW`` is a vector when it holds a comma (``0,0.5,1``) or is bracketed (``[0, 0.5, 1]``);
    a bracketed single value (``[2]``) is a vector of length one.

    Raises
    ------
    CLIError
        Naming the parameter and the element that is not a number.
    """
    text = raw.strip()
    if text.lower() in ("none", "null"):
        return None
    bracketed = text.startswith("[") or text.endswith("]")
    if bracketed:
        if not (text.startswith("[") and text.endswith("]")):
            raise CLIError(f"{what} {name}={raw!r}: unbalanced brackets; write a vector as [V1, V2, ...]")
        text = text[1:-1].strip()
        if not text:
            raise CLIError(f"{what} {name}={raw!r}: an empty vector; give at least one value")
    if not bracketed and "," not in text:
        return _number(name, raw, text, what)
    items = [s.strip() for s in text.split(",")]
    return [_number(name, raw, item, what, f"element {i}") for i, item in enumerate(items)]


def parse_assignment(text: str, what: str = "--set") -> tuple:
    """Split ``NAME=VALUE`` into ``(NAME, value)`` with the value as :func:`parse_value` reads it."""
    if "=" not in text:
        raise CLIError(f"{what} {text!r}: expected NAME=VALUE")
    name, _, raw = text.partition("=")
    name = name.strip()
    if not name:
        raise CLIError(f"{what} {text!r}: missing parameter name before '='")
    return name, parse_value(name, raw, what)


def _vector_lengths(cls, changes: dict) -> None:
    """A vector given with ``--set`` has the length n of the model's other vector parameters."""
    specs = cls.parameter_specs()
    given = {k: len(v) for k, v in changes.items() if specs[k].vector and isinstance(v, list)}
    if not given:
        return
    first, n = next(iter(given.items()))
    for name, length in given.items():
        if length != n:
            raise CLIError(f"--set {name}: {length} values, but --set {first} has {n}; "
                           f"every vector parameter of model {cls.name} has the same length n")
    others = [p.name for p in cls.parameters if p.vector and p.name not in changes and p.default is not None
              and len(p.default) != n]
    if others:
        default_n = len(specs[others[0]].default)
        raise CLIError(f"--set {first}: {n} values, but the model's other vector parameters have "
                       f"n = {default_n} by default ({', '.join(others)}); set them too, with {n} values each")


def model_from_args(args):
    """The model named by ``args.model``, with the ``--set NAME=VALUE`` items of ``args.set`` applied.

    Raises
    ------
    CLIError, ParameterError
        An unknown model or parameter (with the closest known name), a parameter set twice, a
        list given to a scalar parameter, vectors of different lengths, or a value the model
        rejects.
    """
    from ..core.params import UnknownNameError, check_names
    from ..models import get_model

    cls = get_model(args.model)
    specs = cls.parameter_specs()
    changes: dict = {}
    for item in getattr(args, "set", None) or []:
        name, value = parse_assignment(item)
        try:
            check_names([name], specs, "parameter", f"model {cls.name!r}")
        except UnknownNameError as exc:
            raise CLIError(f"--set: {exc}") from None
        if name in changes:
            raise CLIError(f"--set: parameter {name!r} given twice")
        spec = specs[name]
        if isinstance(value, list) and not spec.vector:
            raise CLIError(f"--set {item.strip()}: {name!r} is a scalar parameter of model {cls.name}; "
                           f"give one number (the sweep command varies a parameter over many values)")
        if spec.vector and isinstance(value, float):
            n = None if spec.default is None else len(spec.default)
            example = ",".join([_short(value)] * (n or 2))
            raise CLIError(f"--set {item.strip()}: {name!r} is a vector parameter of model {cls.name} "
                           f"(one value per target); give its values comma-separated, e.g. --set {name}={example}")
        changes[name] = value
    _vector_lengths(cls, changes)
    return cls(**changes)


def set_names(args) -> list:
    """The parameter names given with ``--set`` (as typed; :func:`model_from_args` checks them)."""
    return [item.partition("=")[0].strip() for item in getattr(args, "set", None) or []]


def _short(x: float) -> str:
    return str(int(x)) if math.isfinite(x) and float(x).is_integer() else repr(x)


# -- options shared by the subcommands ---------------------------------------------------------
def add_model(parser: argparse.ArgumentParser) -> None:
    """The positional ``MODEL`` argument."""
    parser.add_argument("model", metavar="MODEL", help="a registered model's name (see: gametheory-aid list)")


def add_set(parser: argparse.ArgumentParser, help: str = SET_HELP) -> None:
    """The repeatable ``--set NAME=VALUE`` option."""
    parser.add_argument("--set", action="append", metavar="NAME=VALUE", help=help)


def add_json(parser: argparse.ArgumentParser, help: str) -> None:
    """The ``--json`` flag."""
    parser.add_argument("--json", action="store_true", help=help)


#: The languages of the human-readable output.
LANGUAGES = ("en", "zh")


def add_lang(parser: argparse.ArgumentParser, help: str = "language of the tables' labels (default en)") -> None:
    """The ``--lang en|zh`` option."""
    parser.add_argument("--lang", choices=LANGUAGES, default="en", help=help)


def add_raw_names(parser: argparse.ArgumentParser) -> None:
    """The ``--raw-names`` flag: tables show the raw output, regime and parameter names, not their labels."""
    parser.add_argument("--raw-names", action="store_true",
                        help="show the raw names of outputs, regimes and parameters (as in --json, --set and "
                        "files) instead of their labels")


def write_text(path: str, text: str, option: str = "--out") -> None:
    """Write ``text`` to the file ``path`` given with ``option``.

    A path that cannot be written is a :class:`CLIError`; a closed pipe (``--out /dev/stdout |
    head``) is passed on as :class:`BrokenPipeError`, which the command line takes as a normal end.
    """
    try:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    except BrokenPipeError:  # ``--out /dev/stdout | head``: the reader has what it wanted, a normal end
        raise
    except OSError as exc:
        raise CLIError(f"{option} {path!r}: cannot write the file: {exc.strerror or exc}") from None


def print_json(obj) -> None:
    """Print ``obj`` as indented JSON (numpy values, fractions and sympy numbers converted)."""
    from ..core.results import to_jsonable

    print(json.dumps(to_jsonable(obj), ensure_ascii=False, indent=2))
