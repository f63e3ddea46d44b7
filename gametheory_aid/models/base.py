"""The base model API shared by every contracting-stage model.

A model is a class with

* ``name`` -- the registry name from the specification (e.g. ``"pleading-poverty"``);
* ``parameters`` -- a tuple of :class:`~gametheory_aid.core.params.Parameter`;
* ``outputs`` -- a tuple of :class:`Output` (names of the result fields, in order);
* ``_solve(**params) -> dict`` -- the vectorised equilibrium: receives validated,
  broadcast parameters (float arrays of one common shape, ints for integer parameters,
  ``None`` for unset optional ones) and returns a dict of outputs;
* optionally ``_check(params)`` -- cross-parameter constraints (raise ParameterError);
* optionally ``symbolic()`` and ``to_game()``.

Instances are immutable: :meth:`Model.with_` returns a new model.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Sequence

import numpy as np

from ..core.params import Parameter, ParameterError, broadcast_parameters, validate_parameters
from ..core.results import Comparison, ModelResult, format_table

__all__ = ["Model", "Output"]


@dataclass(frozen=True)
class Output:
    """A named output of a model's solution."""

    name: str
    meaning: str
    kind: str = "real"  # "real", "bool", "regime", "int", "object"
    chinese: str = ""


class Model:
    """Base class of the package's models (see module docstring)."""

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    chinese_title: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    transparency_channel: ClassVar[str] = ""
    parameters: ClassVar[tuple] = ()
    outputs: ClassVar[tuple] = ()

    def __init__(self, **params: Any):
        values = validate_parameters(self.parameters, params)
        self._check(values)
        self._raw = {k: params.get(k, p.default) for k, p in self.parameter_specs().items()}
        self._values = values

    # -- parameters ---------------------------------------------------------------
    @classmethod
    def parameter_specs(cls) -> dict:
        """Parameter name -> :class:`Parameter`, in specification order."""
        return {p.name: p for p in cls.parameters}

    @classmethod
    def defaults(cls) -> dict:
        return {p.name: p.default for p in cls.parameters}

    @property
    def params(self) -> dict:
        """The model's validated parameters (floats/arrays, ints, or None)."""
        return {k: (v.item() if isinstance(v, np.ndarray) and v.ndim == 0 else v) for k, v in self._values.items()}

    def _check(self, values: dict) -> None:
        """Cross-parameter constraints; override to raise :class:`ParameterError`."""

    def with_(self, **changes: Any) -> "Model":
        """A copy of the model with some parameters changed."""
        merged = dict(self._raw)
        merged.update(changes)
        return type(self)(**merged)

    # -- solving ------------------------------------------------------------------
    def _solve(self, **params) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def solve(self) -> ModelResult:
        """Solve the model at its parameters (vectorised over array parameters)."""
        values = broadcast_parameters(self._values)
        fields = self._solve(**values)
        missing = [o.name for o in self.outputs if o.name not in fields]
        if missing:  # a defect of the model, not of the input
            raise RuntimeError(f"{self.name}: solver did not produce {missing}")
        ordered = {o.name: fields[o.name] for o in self.outputs}
        return ModelResult(self.name, ordered, self.params)

    def compare(self, transparency_levels: Sequence[float] = (0.0, 0.5, 1.0)) -> Comparison:
        """The same model solved at each transparency level, as a :class:`Comparison` table."""
        levels = [float(t) for t in np.atleast_1d(np.asarray(transparency_levels, dtype=float))]
        results = [self.with_(transparency=t).solve() for t in levels]
        return Comparison(self.name, levels, results)

    def symbolic(self):
        """The equilibrium in closed form (a :class:`~gametheory_aid.core.symbolic.SymbolicSolution`)."""
        raise NotImplementedError(f"{self.name} has no closed form")

    @classmethod
    def has_game(cls) -> bool:
        return cls.to_game is not Model.to_game

    def to_game(self):
        """The model as a finite game of the core (where it is one)."""
        raise NotImplementedError(f"{self.name} is not a finite game")

    # -- presentation -------------------------------------------------------------
    @classmethod
    def describe(cls) -> str:
        """A readable description: the model, its parameters and its outputs."""
        head = f"{cls.name}: {cls.title}"
        if cls.chinese_title:
            head += f" ({cls.chinese_title})"
        lines = [head]
        if cls.summary:
            lines += ["", cls.summary.strip()]
        if cls.transparency_channel:
            lines += ["", f"Transparency acts through: {cls.transparency_channel}"]
        lines += ["", "Parameters:"]
        rows = [(p.name, p.symbol, str(p.domain), "none" if p.default is None else p.default,
                 p.meaning + (f" ({p.chinese})" if p.chinese else "")) for p in cls.parameters]
        lines.append(format_table(("name", "symbol", "domain", "default", "meaning"), rows))
        lines += ["", "Outputs:"]
        lines.append(format_table(("name", "meaning"),
                                  [(o.name, o.meaning + (f" ({o.chinese})" if o.chinese else ""))
                                   for o in cls.outputs]))
        return "\n".join(lines)

    def __repr__(self) -> str:
        changed = {k: v for k, v in self._raw.items() if not _same(v, self.parameter_specs()[k].default)}
        args = ", ".join(f"{k}={v!r}" for k, v in changed.items())
        return f"{type(self).__name__}({args})"


def _same(a, b) -> bool:
    try:
        return bool(np.all(np.asarray(a) == np.asarray(b))) and np.shape(a) == np.shape(b)
    except Exception:
        return a is b
