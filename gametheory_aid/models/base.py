"""The model contract: what a model writes, and what the base class does for it.

A model is a class with

* ``name`` -- the registry name from the specification (e.g. ``"pleading-poverty"``);
* ``parameters`` -- a tuple of :class:`~gametheory_aid.core.params.Parameter` (``vector=True``
  for one value per target or channel);
* ``outputs`` -- a tuple of :class:`Output` (names of the result fields, in order; a
  categorical output lists its ``categories``);
* ``_solve(*, name=value, ...) -> dict`` -- the equilibrium as plain numpy expressions, nothing
  else;
* optionally ``_check(values)`` -- cross-parameter constraints (raise ``ParameterError``);
* optionally ``symbolic()``, ``to_game()`` and a ``story`` (:class:`~gametheory_aid.models.story.Story`:
  its prose, report section, figure, demo and glossary terms).

As in ``scipy.stats``, where the public method owns argument checks and shapes and a
distribution writes only ``_pdf``, :meth:`Model.solve` owns everything around ``_solve``:

* **validation** once, at construction (:func:`~gametheory_aid.core.params.validate_parameters`);
* **shapes**: the points' shape is the broadcast shape of the scalar parameters and of the
  leading axes of the vector ones.  ``_solve`` receives keyword-only arguments of one flat
  shape: ``(m,)`` for a scalar parameter, ``(m, n)`` for a vector one (``int`` for integer
  parameters, ``None`` for unset optional ones), and returns arrays of shape ``(m,)``,
  ``(m, n)``, ``(m, n, n)``, ... which the base class reshapes to the points' shape plus the
  trailing axes (0-d for a single point);
* **blocks**: large inputs are solved in blocks of :attr:`Model.block_size` points written
  into preallocated outputs, so that a solver's temporaries stay in the cache and fresh
  memory is touched once, by the outputs;
* **categories**: a categorical output (``Output(..., categories=labels)``) is returned by
  ``_solve`` as integer codes into ``labels`` and stays codes inside the result; strings are
  made only when it is read (:class:`~gametheory_aid.core.results.ModelResult`);
* the **scalar guard** (:meth:`Model.scalar_params`) and the **sympy symbols** of the
  parameters (:meth:`Model.symbols`);
* the **float range**: a real output that is ``NaN``, or not finite after float64 arithmetic
  overflowed or became undefined (``inf - inf``) during the solve -- e.g. at
  ``value_intercept=1e308`` -- is refused with a
  :class:`~gametheory_aid.core.params.ParameterError` naming the parameter of most extreme
  magnitude at the first such point, instead of returned with a ``RuntimeWarning``.  Such an
  event in a branch the solver discards (finite outputs) passes, and so does an ``inf`` the
  solver writes on purpose (a threshold that is never reached), or under its own
  ``np.errstate(over="ignore")``;
* the **closed form's values**: the :class:`~gametheory_aid.core.symbolic.SymbolicSolution` a
  model's ``symbolic()`` returns carries the model's parameter values, so that its lambdified
  functions take them for the arguments they are not given (the model writes nothing for it).

Instances are immutable: :meth:`Model.with_` returns a new model.
"""
from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from ..core.params import (
    ParameterError,
    broadcast_parameters,
    broadcast_shape,
    check_names,
    validate_array,
    validate_parameters,
    vector_length,
)
from ..core.results import Comparison, ModelResult, format_table
from ..core.symbolic import SymbolicSolution

__all__ = ["Model", "Output", "regime_codes"]


@dataclass(frozen=True)
class Output:
    """A named output of a model's solution.

    ``kind`` is ``"real"``, ``"bool"``, ``"int"``, ``"regime"`` (a categorical output whose
    labels are ``categories``) or ``"object"`` (a nested result).  ``chinese`` is the paper's
    own term where it has one.
    """

    name: str
    meaning: str
    kind: str = "real"
    chinese: str = ""
    categories: tuple = ()


def regime_codes(*conditions: np.ndarray, default: int | None = None) -> np.ndarray:
    """Codes 0, 1, ... of the first of ``conditions`` that holds (``default`` where none does).

    ``conditions`` are boolean arrays in order of precedence, like the regimes of a model's
    specification; the code of condition ``i`` is ``i`` and ``default`` is ``len(conditions)``
    when not given.  The result is a ``uint8`` array.
    """
    shape = np.broadcast_shapes(*(np.shape(c) for c in conditions))
    code = np.full(shape, len(conditions) if default is None else default, dtype=np.uint8)
    for i in range(len(conditions) - 1, -1, -1):  # the first condition that holds wins
        code[np.broadcast_to(conditions[i], shape)] = i
    return code


class Model:
    """Base class of the package's models (see the module docstring)."""

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    chinese_title: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    transparency_channel: ClassVar[str] = ""
    parameters: ClassVar[tuple] = ()
    outputs: ClassVar[tuple] = ()
    #: The model's prose, report section, figure, demo and glossary terms (or ``None``).
    story: ClassVar[Any] = None
    #: Points per block of :meth:`solve` (a solver's temporaries then stay in the cache).
    block_size: ClassVar[int] = 1 << 14
    #: Whether :meth:`solve` may cut the points into blocks (``False`` for models whose
    #: outputs are nested results).
    blockwise: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("symbolic")
        if own is not None and not getattr(own, "_attaches_values", False):
            cls.symbolic = _attaching_values(own)

    def __init__(self, **params: Any):
        self._build(params, frozenset(params))

    def _build(self, params: dict, given: frozenset) -> None:
        values = validate_parameters(self.parameters, params, owner=f"model {self.name!r}")
        self._init_validated(values, {k: params.get(k, p.default) for k, p in self.parameter_specs().items()},
                             given)

    def _init_validated(self, values: dict, raw: dict, given: frozenset = frozenset()) -> None:
        # the names the caller set: a cross-parameter check (``_check``) blames one of them
        self._given = given
        self._shape = broadcast_shape(values, self.parameters)
        self._n = vector_length(self.parameters, values)
        self._check(values)
        self._raw = raw
        self._values = values

    @classmethod
    def from_validated(cls, values: dict, given=()) -> Model:
        """The model at parameters already validated against its own (for composite models).

        ``values`` maps every parameter name to the output of its ``Parameter.validate``;
        only the cross-parameter checks (``_check``) run again.  ``given`` names the
        parameters the caller set (a failed cross-check blames one of them).
        """
        self = cls.__new__(cls)
        self._init_validated(dict(values), dict(values), frozenset(given))
        return self

    # -- parameters ---------------------------------------------------------------
    @classmethod
    def parameter_specs(cls) -> dict:
        """Parameter name -> :class:`Parameter`, in specification order."""
        return {p.name: p for p in cls.parameters}

    @classmethod
    def output_specs(cls) -> dict:
        """Output name -> :class:`Output`, in specification order."""
        return {o.name: o for o in cls.outputs}

    @classmethod
    def defaults(cls) -> dict:
        return {p.name: p.default for p in cls.parameters}

    @property
    def params(self) -> dict:
        """The model's validated parameters (floats/arrays, ints, or None)."""
        return {k: (v.item() if isinstance(v, np.ndarray) and v.ndim == 0 else v) for k, v in self._values.items()}

    @property
    def shape(self) -> tuple:
        """The points' shape: the broadcast shape of the parameters (vectors' leading axes)."""
        return self._shape

    @property
    def n(self) -> int | None:
        """The length of the vector parameters' last axis (``None`` without vector parameters)."""
        return self._n

    def _check(self, values: dict) -> None:
        """Cross-parameter constraints; override to raise :class:`ParameterError`."""

    def with_(self, **changes: Any) -> Model:
        """A copy of the model with some parameters changed."""
        check_names(changes, self.parameter_specs(), "parameter", f"model {self.name!r}")
        # the changes last: a vector of a new length is blamed, not the old one it disagrees with
        merged = {k: v for k, v in self._raw.items() if k not in changes}
        merged.update(changes)
        model = type(self).__new__(type(self))
        model._build(merged, frozenset(changes))
        return model

    def scalar_params(self, what: str = "this analysis") -> dict:
        """The parameters of one point: Python floats (a float vector for a vector parameter).

        Raises
        ------
        ParameterError
            Naming the first parameter that holds more than one point.
        """
        out = {}
        for p in self.parameters:
            v = self._values[p.name]
            if isinstance(v, np.ndarray):
                if v.ndim != (1 if p.vector else 0):
                    raise ParameterError(p.name, f"array of shape {v.shape}", "one point",
                                         f"{self.name}: {what} needs scalar parameters")
                v = v.copy() if p.vector else float(v)
            out[p.name] = v
        return out

    def symbols(self) -> dict:
        """Parameter name -> sympy symbol, built from each ``Parameter.symbol``.

        A vector parameter gets a tuple of n symbols ``symbol_1 ... symbol_n``.
        """
        import sympy as sp

        n = self._n
        out = {}
        for p in self.parameters:
            if p.vector:
                out[p.name] = tuple(sp.Symbol(f"{p.symbol}_{i + 1}", real=True) for i in range(n))
            else:
                out[p.name] = sp.Symbol(p.symbol, real=True)
        return out

    # -- solving ------------------------------------------------------------------
    def _solve(self, **params) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def _flat_values(self) -> dict:
        """Each parameter as an array over the flattened points (views where possible)."""
        shape, size = self._shape, math.prod(self._shape)
        specs = self.parameter_specs()
        out = {}
        for name, v in self._values.items():
            if not isinstance(v, np.ndarray):
                out[name] = v
                continue
            trailing = v.shape[-1:] if specs[name].vector else ()
            lead = v.shape[:-1] if trailing else v.shape
            if math.prod(lead) == 1:
                out[name] = v.reshape((1,) + trailing)  # broadcast in each block
            elif lead == shape:
                out[name] = v.reshape((size,) + trailing)
            else:
                out[name] = np.broadcast_to(v, shape + trailing).reshape((size,) + trailing)
        return out

    @staticmethod
    def _block(flat: dict, start: int, stop: int) -> dict:
        out = {}
        for name, v in flat.items():
            if isinstance(v, np.ndarray):
                out[name] = (np.broadcast_to(v, (stop - start,) + v.shape[1:]) if v.shape[0] == 1
                             else v[start:stop])
            else:
                out[name] = v
        return out

    def _solve_flat(self, values: dict, m: int) -> dict:
        fields = self._solve(**values)
        _check_outputs(self, fields)
        out = {}
        for o in self.outputs:
            v = fields[o.name]
            if o.kind != "object":
                v = np.asarray(v)
                if v.shape[:1] != (m,):
                    v = np.broadcast_to(v, (m,) + v.shape[1:] if v.ndim else (m,))
            out[o.name] = v
        return out

    def solve(self) -> ModelResult:
        """Solve the model at its parameters (vectorised over array parameters)."""
        shape, size = self._shape, math.prod(self._shape)
        events = _FloatEvents()
        with np.errstate(over="call", invalid="call", call=events):
            fields = self._compute(shape, size)
        _refuse_non_finite(self, fields, shape, events.seen)
        result = {}
        for o in self.outputs:
            v = fields[o.name]
            if o.kind != "object":
                if o.categories and v.dtype.kind in "iu" and v.dtype != np.uint8 and len(o.categories) < 256:
                    v = v.astype(np.uint8)
            result[o.name] = v
        categories = {o.name: o.categories for o in self.outputs if o.categories}
        return ModelResult(self.name, result, self.params, categories=categories, shape=shape)

    def _compute(self, shape: tuple, size: int) -> dict:
        """The outputs in the points' shape (blockwise where the model allows it)."""
        if not self.blockwise:  # nested results: the parameters in the points' shape, outputs as they come
            fields = self._solve(**broadcast_parameters(self._values, self.parameters))
            _check_outputs(self, fields)
            fields = {o.name: fields[o.name] if o.kind == "object" else _to_shape(fields[o.name], shape)
                      for o in self.outputs}
        elif size <= self.block_size:
            fields = {k: _unflatten(v, shape) for k, v in self._solve_flat(self._block(self._flat_values(), 0, size),
                                                                          size).items()}
        else:
            fields = {k: _unflatten(v, shape) for k, v in self._solve_blocks(self._flat_values(), size,
                                                                             self.block_size).items()}
        return fields

    def _solve_blocks(self, flat: dict, size: int, block: int) -> dict:
        """Solve in blocks of ``block`` points, writing into outputs allocated once."""
        out: dict = {}
        pieces: dict = {}
        for start in range(0, size, block):
            stop = min(start + block, size)
            fields = self._solve_flat(self._block(flat, start, stop), stop - start)
            for name, v in fields.items():
                if v.dtype.kind in "UO":  # variable-width strings: joined at the end
                    pieces.setdefault(name, []).append(v)
                    continue
                if name not in out:
                    out[name] = np.empty((size,) + v.shape[1:], dtype=v.dtype)
                out[name][start:stop] = v
        for name, parts in pieces.items():
            out[name] = np.concatenate(parts)
        return out

    def compare(self, levels: Sequence[float] = (0.0, 0.5, 1.0), parameter: str = "transparency") -> Comparison:
        """The same model solved at each value of one parameter, as a :class:`Comparison` table.

        By default the parameter is ``transparency``: the model with and without digital
        transparency, side by side.
        """
        specs = self.parameter_specs()
        check_names([parameter], specs, "parameter", f"model {self.name!r}")
        spec = specs[parameter]
        if spec.vector or spec.integer:
            raise ParameterError(parameter, levels, "a real scalar parameter",
                                 "compare varies one real scalar parameter")
        values = validate_array(parameter, levels, spec.domain, what="a list of levels")
        if values.ndim != 1 or values.size == 0:
            raise ParameterError(parameter, levels, str(spec.domain), "levels must be a non-empty list of numbers")
        values = values + 0.0  # -0.0 is the level 0 (and is headed "tau=0", not "tau=-0")
        results = [self.with_(**{parameter: float(t)}).solve() for t in values]
        return Comparison(self.name, parameter, values.tolist(), results, symbol=spec.symbol)

    def symbolic(self):
        """The equilibrium in closed form (a :class:`~gametheory_aid.core.symbolic.SymbolicSolution`)."""
        raise NotImplementedError(f"{self.name} has no closed form")

    @classmethod
    def has_game(cls) -> bool:
        return cls.to_game is not Model.to_game

    @classmethod
    def has_symbolic(cls) -> bool:
        return cls.symbolic is not Model.symbolic

    def to_game(self):
        """The model as a finite game of the core (where it is one)."""
        raise NotImplementedError(f"{self.name} is not a finite game")

    def game_solution(self) -> dict:
        """Outputs of :meth:`solve` recomputed from :meth:`to_game` by the core's game solvers.

        An independent check of the closed form: a model that is a finite game returns here the
        outputs its game's equilibrium determines (e.g. strategies and payoffs), computed by
        backward induction or equilibrium enumeration on ``to_game()`` at one point.
        """
        raise NotImplementedError(f"{self.name} does not recompute its outputs from its game")

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
        rows = [(p.name + (" (vector)" if p.vector else ""), p.symbol, p.allowed,
                 "none" if p.default is None else p.default,
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


def _attaching_values(symbolic):
    """``symbolic`` whose solution carries the model's parameter values (see the module docstring)."""
    @functools.wraps(symbolic)
    def closed_form(self, *args, **kwargs):
        solution = symbolic(self, *args, **kwargs)
        if isinstance(solution, SymbolicSolution) and not solution.values:
            solution.values = {p.name: self._values[p.name] for p in self.parameters}
        return solution

    closed_form._attaches_values = True
    return closed_form


class _FloatEvents:
    """numpy's floating-point error callback: records whether an overflow or invalid operation happened."""

    def __init__(self):
        self.seen = False

    def __call__(self, kind: str, flag: int) -> None:
        self.seen = True


def _refuse_non_finite(model: Model, fields: dict, shape: tuple, events: bool) -> None:
    """Raise :class:`ParameterError` if a real output is NaN, or not finite after a float event.

    Names the parameter of most extreme magnitude (largest ``|log10 |x||``) at the first
    point whose outputs are not finite: the one to rescale.
    """
    size = math.prod(shape)
    first = None
    for o in model.outputs:
        if o.kind != "real" or not isinstance(fields.get(o.name), np.ndarray) or fields[o.name].dtype.kind != "f":
            continue
        bad = ~np.isfinite(fields[o.name]) if events else np.isnan(fields[o.name])
        if not bad.any():
            continue
        point = _first_point(bad, shape)
        if first is None or point < first[0]:
            nan = _first_point(np.isnan(fields[o.name]), shape) == point
            first = (point, o.name, "NaN" if nan else "infinite")
    if first is None:
        return  # finite outputs: any event was in a branch the solver discarded
    point, output, what = first
    specs = model.parameter_specs()
    worst = None
    for name, v in model._values.items():
        if not isinstance(v, np.ndarray):
            continue
        trailing = v.shape[-1:] if specs[name].vector else ()
        at = np.broadcast_to(v, shape + trailing).reshape((size,) + trailing)[point] if size else v
        for x in np.atleast_1d(at).ravel():
            if x != 0 and np.isfinite(x):
                score = abs(math.log10(abs(float(x))))
                if worst is None or score > worst[0]:
                    worst = (score, name, float(x))
    name, x = (worst[1], worst[2]) if worst is not None else (model.parameters[0].name, None)
    where = f" at point {tuple(int(i) for i in np.unravel_index(point, shape))}" if shape else ""
    raise ParameterError(name, x, f"{specs[name].allowed}, at magnitudes float64 arithmetic can hold",
                         f"model {model.name!r} leaves the float64 range{where}: its output {output!r} is "
                         f"{what}; give the parameters moderate magnitudes (rescale the units)")


def _first_point(mask: np.ndarray, shape: tuple) -> int:
    """The flat index of the first point where ``mask`` (points' axes, then an output's own) holds."""
    try:
        at = np.broadcast_to(mask, shape + mask.shape[len(shape):]).reshape(math.prod(shape), -1).any(axis=1)
    except ValueError:  # an output not over the points (nested results)
        return 0
    return int(np.argmax(at)) if at.any() else math.prod(shape)


def _check_outputs(model: Model, fields: dict) -> None:
    missing = [o.name for o in model.outputs if o.name not in fields]
    if missing:  # a defect of the model, not of the input
        raise RuntimeError(f"{model.name}: solver did not produce {missing}")


def _to_shape(value, shape: tuple) -> np.ndarray:
    """An output of a nested model in the points' shape (it may depend on fewer parameters)."""
    value = np.asarray(value)
    if value.shape[:len(shape)] != shape and np.broadcast_shapes(value.shape, shape) == shape:
        value = np.array(np.broadcast_to(value, shape))
    return value


def _unflatten(value, shape: tuple):
    """A flat output ``(m, ...)`` in the points' ``shape`` (objects pass through)."""
    if isinstance(value, np.ndarray):
        return value.reshape(shape + value.shape[1:])
    return value


def _same(a, b) -> bool:
    try:
        return bool(np.all(np.asarray(a) == np.asarray(b))) and np.shape(a) == np.shape(b)
    except Exception:
        return a is b
