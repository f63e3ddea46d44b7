"""Parameter sweeps of any model, at any scale, in chunks of bounded memory.

A sweep solves a model at many parameter points and returns a tidy table: one row per
point, the swept parameters' columns first, then the outputs.  The points are either

* a **full factorial grid** :math:`G = V_1 \\times \\dots \\times V_d` of given value
  vectors (rows in C order: the last parameter varies fastest), or
* **N sampled points** in the box :math:`\\prod_j [l_j, h_j]` drawn by independent
  uniform sampling, Latin hypercube sampling (McKay, Beckman & Conover 1979) or a
  scrambled Sobol' sequence (Sobol' 1967; Owen scrambling), the last two through
  :mod:`scipy.stats.qmc`.

Point :math:`i` of a grid with shape :math:`(n_1, \\dots, n_d)` has the multi-index
``np.unravel_index(i, shape)``, so chunk :math:`k` (points ``k*chunk_size`` up to
``(k+1)*chunk_size``) is generated from its flat indices alone and a grid of
:math:`10^8` points never exists in memory.  Sampled points are likewise generated chunk
by chunk and do not depend on the chunk size: random points come from the counter-based
Philox generator (point :math:`i` uses counter block :math:`i`), Sobol' points from
``fast_forward``.  Latin hypercube points are stratified over all :math:`N` points at once
and therefore are drawn in one piece (:math:`8 N d` bytes).

Each chunk is solved by one vectorised call of the model (one call per value of an
integer parameter such as ``rounds``, which models accept only as scalars).

Tidy-table rule for outputs
---------------------------
By default a sweep records every output of kind ``"real"``, ``"int"``, ``"bool"`` and
``"regime"`` that has one value per point.  Outputs of kind ``"object"`` and outputs with
extra trailing dimensions (such as a ``plan`` of shape ``(..., rounds)``) are skipped
unless named in ``outputs``; when named, an output with trailing dimensions becomes one
column per trailing index, ``plan[0]``, ``plan[1]``, ... (``name[i,j]`` for two
dimensions), and its width must be the same at every point of the sweep.  Object values
are stored as strings (``None`` stays missing).

Streaming to disk
-----------------
With ``out=PATH`` the chunks are written as a Parquet dataset: ``PATH/part-NNNNNN.parquet``,
one file per chunk, each written to a temporary name and moved into place with
:func:`os.replace` (so a file that exists is complete), plus ``PATH/_manifest.json``, the
sweep's definition.  ``resume=True`` checks that the manifest matches, skips the chunks
whose file exists, and finishes the sweep; the result equals an uninterrupted run's.
With the local backend, background threads write finished chunks while the next one is
solved (up to three chunks in memory); without ``out`` the in-memory table is allocated
once, at its full size, and filled chunk by chunk.
"""
from __future__ import annotations

import json
import math
import os
import sys
import threading
import warnings
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np

from .._optional import require
from ..core.params import ParameterError
from ..models.base import Model

__all__ = ["sweep", "evaluate_points", "open_sweep", "SweepDataset", "sweep_to_dataarrays",
           "resolve_model", "DEFAULT_CHUNK_SIZE", "MANIFEST", "METHODS", "BACKENDS"]

DEFAULT_CHUNK_SIZE = 1 << 17
MANIFEST = "_manifest.json"
METHODS = ("random", "latin", "sobol")
BACKENDS = ("local", "dask")
_FORMAT = 1
_SCALAR_KINDS = ("real", "int", "bool", "regime")


# -- the model ------------------------------------------------------------------------
def resolve_model(model) -> Model:
    """A model instance from a registry name, a :class:`Model` subclass or an instance.

    A name or a class gives the model at its default parameters; an instance keeps its
    own (scalar) parameters, which become the fixed parameters of a sweep.

    Raises
    ------
    ValueError
        For an unknown name, an object that is not a model, or an instance with array
        parameters.
    """
    if isinstance(model, str):
        from ..models import get_model
        try:
            model = get_model(model)
        except KeyError as exc:
            raise ValueError(exc.args[0]) from None
    if isinstance(model, type) and issubclass(model, Model):
        model = model()
    if not isinstance(model, Model):
        raise ValueError(f"model must be a registry name, a Model class or instance, not {model!r}")
    arrays = [k for k, v in model.params.items() if np.ndim(v) > 0]
    if arrays:
        raise ValueError(f"model {model.name!r}: fixed parameters must be scalars; "
                         f"{arrays[0]!r} is an array (sweep it instead)")
    return model


def _parameter_names(model: Model) -> list:
    return list(model.parameter_specs())


def _check_name(model: Model, name: str, what: str) -> None:
    if name not in model.parameter_specs():
        raise ValueError(f"{what}: unknown parameter {name!r} of model {model.name!r}; "
                         f"parameters: {', '.join(_parameter_names(model))}")


def _bound(model: Model, name: str, pair, *, strict: bool) -> tuple:
    """One ``bounds`` entry ``name -> (low, high)``, validated against the model's parameter.

    ``strict`` asks for ``low < high`` (a sensitivity box must have volume); otherwise
    ``low <= high`` (a sampled sweep may pin a parameter).
    """
    _check_name(model, name, "bounds")
    try:
        lo, hi = (float(x) for x in pair)
    except (TypeError, ValueError):
        raise ValueError(f"bounds: {name!r} needs a pair (low, high), got {pair!r}") from None
    spec = model.parameter_specs()[name]
    spec.validate(lo)
    spec.validate(hi)
    if strict and not lo < hi:
        raise ValueError(f"bounds: {name!r} needs low < high, got ({lo!r}, {hi!r})")
    if not strict and not lo <= hi:
        raise ValueError(f"bounds: {name!r} has low {lo!r} > high {hi!r}")
    return lo, hi


# -- output layout ----------------------------------------------------------------------
@dataclass(frozen=True)
class _Column:
    """One output of the table: its kind, trailing shape and column names."""

    output: str
    kind: str
    trailing: tuple
    names: tuple


def _column_names(name: str, trailing: tuple) -> tuple:
    if not trailing:
        return (name,)
    return tuple(f"{name}[{','.join(map(str, idx))}]" for idx in np.ndindex(*trailing))


def _layout(model: Model, outputs: Sequence[str] | None) -> tuple:
    """The table's output columns, from one solve at the model's (fixed) parameters."""
    kinds = {o.name: o.kind for o in model.outputs}
    probe = model.solve()
    if outputs is None:
        chosen = [o for o in kinds if kinds[o] in _SCALAR_KINDS and np.ndim(probe[o]) == 0]
    else:
        if isinstance(outputs, str):
            outputs = [outputs]
        chosen = list(dict.fromkeys(outputs))
        for o in chosen:
            if o not in kinds:
                raise ValueError(f"outputs: unknown output {o!r} of model {model.name!r}; "
                                 f"outputs: {', '.join(kinds)}")
    return tuple(_Column(o, kinds[o], tuple(np.shape(probe[o])), _column_names(o, tuple(np.shape(probe[o]))))
                 for o in chosen)


def _check_widths(model: Model, layout: tuple, plan) -> None:
    """Outputs with trailing dimensions must keep their width over the swept integers."""
    shaped = [c for c in layout if c.trailing]
    ints = [(j, n) for j, (n, i) in enumerate(zip(plan.names, plan.integer)) if i]
    for j, name in ints:
        if plan.kind == "grid":
            candidates = np.unique(plan.values[j])
        else:
            candidates = np.unique([int(plan.low[j]), int(plan.high[j])])
        for value in candidates[:1000]:
            probe = model.with_(**{name: int(value)}).solve()
            for col in shaped:
                if np.shape(probe[col.output]) != col.trailing:
                    raise ValueError(f"outputs: {col.output!r} has shape {np.shape(probe[col.output])} at "
                                     f"{name}={int(value)} but {col.trailing} at {name}={model.params[name]}; "
                                     f"sweep {name!r} in separate runs to record it")


def _as_column(values: np.ndarray, kind: str):
    """Values of one column as a pandas array of a dtype fixed by the output's kind."""
    import pandas as pd

    values = np.asarray(values)
    if values.dtype == object:
        missing = np.equal(values, None)
        if kind == "real":
            return np.where(missing, np.nan, values).astype(float)
        if kind == "int":
            return pd.array(values, dtype="Int64")
        if kind == "bool":
            return pd.array(values, dtype="boolean")
        strings = np.array([None if v is None else str(v) for v in values.tolist()], dtype=object)
        return pd.array(strings, dtype="str")
    if kind == "real":
        return values.astype(float, copy=False)
    if kind == "int":
        if values.dtype.kind == "f":
            return pd.array(np.where(np.isfinite(values), values, np.nan), dtype="Int64")
        return values.astype(np.int64, copy=False)
    if kind == "bool":
        return values.astype(bool, copy=False)
    if kind == "regime" and values.dtype.kind == "U":
        return _categorical(values)
    return pd.array(values.astype(str), dtype="str")


def _categorical(values: np.ndarray, limit: int = 64):
    """A few-valued string array as a Categorical (sorted categories), in O(n) per category.

    Regimes take a handful of values, so peeling one category at a time with a vectorised
    comparison is much faster than hashing or sorting every string.
    """
    import pandas as pd

    codes = np.full(values.shape, -1, dtype=np.int32)
    found = []
    open_ = np.ones(values.shape, dtype=bool)
    first = 0
    while len(found) < limit:
        cat = values[first]
        hit = values == cat  # a full vectorised comparison is cheaper than indexing the rest
        codes[hit] = len(found)
        found.append(str(cat))
        open_ &= ~hit
        first = int(np.argmax(open_))
        if not open_[first]:
            break
    if open_.any():  # many distinct values: not a regime-like column
        return pd.Categorical(values.astype(str))
    order = np.argsort(found)
    rank = np.empty(len(found), dtype=np.int32)
    rank[order] = np.arange(len(found), dtype=np.int32)
    return pd.Categorical.from_codes(rank[codes], categories=[found[i] for i in order])


def _concat(frames: list):
    """Concatenate chunk frames column by column (one copy; pandas' concat would copy twice).

    Categorical columns get the sorted union of their categories.
    """
    import pandas as pd

    if len(frames) == 1:
        return frames[0]
    columns = {}
    for col in frames[0].columns:
        parts = [f[col] for f in frames]
        dtype = parts[0].dtype
        if isinstance(dtype, pd.CategoricalDtype):
            cats = np.array(sorted(set().union(*(p.cat.categories for p in parts))), dtype=object)
            codes = []
            for p in parts:
                old = np.asarray(p.cat.codes)
                remap = np.searchsorted(cats, np.asarray(p.cat.categories, dtype=object)).astype(np.int32)
                codes.append(np.where(old < 0, -1, remap[np.maximum(old, 0)]) if remap.size else old)
            columns[col] = pd.Categorical.from_codes(np.concatenate(codes), categories=list(cats))
        elif isinstance(dtype, np.dtype) and all(p.dtype == dtype for p in parts):
            columns[col] = np.concatenate([p.to_numpy() for p in parts])
        else:
            columns[col] = pd.concat(parts, ignore_index=True).array
    index = pd.Index(np.concatenate([f.index.to_numpy() for f in frames]), name="point")
    return pd.DataFrame(columns, index=index, copy=False)


def _empty(n: int, dtype) -> np.ndarray:
    """An uninitialised array for a whole column of the in-memory table, cheap to fill.

    A column of the table is a fresh allocation of up to a gigabyte, and on Linux its cost
    is mostly page faults.  numpy advises the kernel to back large arrays with transparent
    huge pages; where the kernel then compacts memory at fault time (``defrag = madvise``,
    the usual default) filling the table costs several times more than with ordinary
    pages.  So the column is an anonymous memory map whose pages are mapped in one go
    (``MAP_POPULATE``, no fault per page) where the platform has it, and otherwise an
    array allocated without the huge-page advice.  Only the table's own columns are
    allocated this way; the model's arrays keep numpy's defaults.  (Measured in
    docs/explanation/sweep-performance.md.)
    """
    import mmap

    dtype = np.dtype(dtype)
    nbytes = n * dtype.itemsize
    flags = getattr(mmap, "MAP_POPULATE", 0)
    if flags and nbytes >= 1 << 22:
        try:
            buf = mmap.mmap(-1, nbytes, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | flags)
            return np.frombuffer(buf, dtype=dtype, count=n)
        except (OSError, ValueError):  # pragma: no cover - e.g. a memory limit on mappings
            pass
    try:
        from numpy._core.multiarray import _set_madvise_hugepage
    except ImportError:  # pragma: no cover - older or newer numpy
        return np.empty(n, dtype=dtype)
    previous = _set_madvise_hugepage(False)
    try:
        return np.empty(n, dtype=dtype)
    finally:
        _set_madvise_hugepage(previous)


class _Collector:
    """The in-memory table of a sweep, filled chunk by chunk into preallocated columns.

    The number of points is known in advance, so each numpy column is allocated once and
    every chunk is copied into its slice (no per-chunk DataFrame, no final concatenation,
    and half the peak memory).  Categorical columns are kept as integer codes against a
    growing list of categories, sorted once at the end.  A column whose chunks are not all
    numpy arrays of one dtype (nullable integers, strings) is kept as parts and
    concatenated by pandas, as :func:`_concat` does.
    """

    def __init__(self, n_points: int):
        self.n = n_points
        self.arrays: dict = {}
        self.cats: dict = {}      # column -> {category: global code}, in order of appearance
        self.parts: dict = {}     # column -> list of pandas Series (the general case)
        self.names: list = []

    def add(self, start: int, stop: int, data: dict) -> None:
        import pandas as pd

        if not self.names:
            self.names = list(data)
        for name, values in data.items():
            if name in self.parts:
                self.parts[name].append(pd.Series(values, copy=False))
                continue
            arr = self.arrays.get(name)
            if arr is None:
                if start == 0 and isinstance(values, pd.Categorical):
                    arr = self.arrays[name] = _empty(self.n, np.int32)
                    self.cats[name] = {}
                elif start == 0 and isinstance(values, np.ndarray):
                    arr = self.arrays[name] = _empty(self.n, values.dtype)
                else:
                    self.parts[name] = [pd.Series(values, copy=False)]
                    continue
            if name in self.cats and isinstance(values, pd.Categorical):
                known = self.cats[name]
                remap = np.array([known.setdefault(c, len(known)) for c in values.categories.tolist()] + [-1],
                                 dtype=np.int32)  # code -1 (missing) maps to the last entry
                arr[start:stop] = remap[np.asarray(values.codes)]
            elif name not in self.cats and isinstance(values, np.ndarray) and values.dtype == arr.dtype:
                arr[start:stop] = values
            else:  # a chunk of another type: fall back to pandas for this column
                self.parts[name] = [pd.Series(self._finish(name, start), copy=False),
                                    pd.Series(values, copy=False)]
                del self.arrays[name]

    def _finish(self, name: str, stop: int):
        import pandas as pd

        arr = self.arrays[name][:stop]
        if name not in self.cats:
            return arr
        found = list(self.cats[name])
        order = np.argsort(np.array(found, dtype=object)) if found else np.array([], dtype=np.int64)
        rank = np.empty(len(found) + 1, dtype=np.int32)
        rank[order] = np.arange(len(found), dtype=np.int32)
        rank[-1] = -1
        return pd.Categorical.from_codes(rank[arr], categories=[found[i] for i in order])

    def frame(self):
        import pandas as pd

        columns = {}
        for name in self.names:
            if name in self.parts:
                columns[name] = pd.concat(self.parts[name], ignore_index=True).array
            else:
                columns[name] = self._finish(name, self.n)
        index = pd.Index(np.arange(self.n, dtype=np.int64), name="point")
        return pd.DataFrame(columns, index=index, copy=False)


def _validated(spec, values: np.ndarray) -> np.ndarray:
    """Check every value against the parameter's domain (ParameterError names the first bad one)."""
    values = np.asarray(values, dtype=float)
    if spec.integer:  # integer parameters validate scalars only: check the array at once
        ok = spec.domain.mask(values)
        if not np.all(ok):
            bad = float(values[~ok].flat[0])
            detail = "must be an integer" if np.isfinite(bad) and bad != np.floor(bad) else None
            raise ParameterError(spec.name, bad, str(spec.domain), detail)
        return values.astype(np.int64)
    spec.validate(values)
    return values


# -- the points ---------------------------------------------------------------------------
@dataclass
class _Plan:
    """The points of a sweep, chunk by chunk (picklable: sent to Dask workers)."""

    kind: str                        # "grid" or "samples"
    names: tuple
    integer: tuple                   # per name: integer parameter?
    n_points: int
    chunk_size: int
    values: tuple = ()               # grid: one 1-D array per name
    method: str = ""                 # samples
    low: np.ndarray | None = None
    high: np.ndarray | None = None
    seed: int = 0
    latin: np.ndarray | None = field(default=None, repr=False)

    @property
    def shape(self) -> tuple:
        return tuple(len(v) for v in self.values)

    @property
    def n_chunks(self) -> int:
        return max(1, math.ceil(self.n_points / self.chunk_size))

    def span(self, k: int) -> tuple:
        start = k * self.chunk_size
        return start, min(start + self.chunk_size, self.n_points)

    def points(self, k: int) -> dict:
        """Parameter name -> 1-D array of the values at the points of chunk ``k``."""
        start, stop = self.span(k)
        if self.kind == "grid":
            shape = self.shape
            strides = [math.prod(shape[j + 1:]) for j in range(len(shape))]
            return {n: _axis_column(v, s, start, stop - start) for n, v, s in zip(self.names, self.values, strides)}
        unit = self._unit(start, stop)
        cols = {}
        for j, (name, is_int) in enumerate(zip(self.names, self.integer)):
            lo, hi = self.low[j], self.high[j]
            if is_int:  # equal probability for each integer of [lo, hi]
                cols[name] = np.minimum(lo + np.floor(unit[:, j] * (hi - lo + 1)), hi).astype(np.int64)
            else:
                cols[name] = lo + unit[:, j] * (hi - lo)
        return cols

    def _unit(self, start: int, stop: int) -> np.ndarray:
        """Points ``start:stop`` of the unit-cube design, independent of the chunking."""
        d = len(self.names)
        if self.method == "latin":
            return self.latin[start:stop]
        if self.method == "sobol":
            from scipy.stats import qmc
            engine = qmc.Sobol(d, scramble=True, rng=np.random.default_rng(self.seed))
            if start:
                engine.fast_forward(start)
            with warnings.catch_warnings():  # balance holds for the whole power-of-2 design
                warnings.simplefilter("ignore", UserWarning)
                return engine.random(stop - start)
        # random: point i uses Philox counter block(s) i, whatever the chunk size
        blocks = -(-d // 4)
        gen = np.random.Philox(key=self.seed, counter=start * blocks)
        raw = gen.random_raw((stop - start) * 4 * blocks).reshape(stop - start, 4 * blocks)[:, :d]
        return (raw >> np.uint64(11)).astype(float) * 2.0 ** -53


def _axis_column(values: np.ndarray, stride: int, start: int, m: int) -> np.ndarray:
    """The values of one grid axis at flat points ``start, ..., start + m - 1``.

    In C order axis :math:`j` takes ``values[(i // stride) % n]`` at flat point ``i``: each
    value repeated ``stride`` times, the pattern repeating with period ``n * stride``.  The
    column is built from that pattern with block copies (``np.repeat``, ``np.resize``)
    rather than by dividing every flat index (``np.unravel_index``), which costs about as
    much as solving the fastest models; the elements are the same.  Work and memory are
    O(m).
    """
    n = len(values)
    period = n * stride
    phase = start % period
    if period <= m:  # the chunk holds whole periods: tile one period, rotated to the phase
        pattern = np.repeat(values, stride) if stride > 1 else values
        return np.resize(np.roll(pattern, -phase), m)
    first = phase // stride  # a part of one period, wrapping around at most once
    last = (phase + m - 1) // stride
    counts = np.full(last - first + 1, stride, dtype=np.int64)
    counts[0] -= phase - first * stride  # the first and last runs are cut by the chunk
    counts[-1] -= (last + 1) * stride - (phase + m)
    return np.repeat(values[np.arange(first, last + 1) % n], counts)


def _grid_plan(model: Model, grid: Mapping, chunk_size: int) -> _Plan:
    if not isinstance(grid, Mapping) or not grid:
        raise ValueError("grid: expected a non-empty mapping NAME -> values")
    names, integer, values = [], [], []
    specs = model.parameter_specs()
    for name, vals in grid.items():
        _check_name(model, name, "grid")
        spec = specs[name]
        arr = np.asarray(vals, dtype=float)
        if arr.ndim != 1 or arr.size == 0:
            raise ValueError(f"grid: values of {name!r} must be a non-empty 1-D sequence")
        arr = _validated(spec, arr)
        names.append(name)
        integer.append(spec.integer)
        values.append(arr)
    n_points = int(np.prod([len(v) for v in values], dtype=object))
    return _Plan("grid", tuple(names), tuple(integer), n_points, chunk_size, values=tuple(values))


def _sample_plan(model: Model, samples: int, bounds: Mapping, method: str, seed: int,
                 chunk_size: int) -> _Plan:
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 1:
        raise ValueError(f"samples: expected a positive integer, got {samples!r}")
    if method not in METHODS:
        raise ValueError(f"method: expected one of {', '.join(METHODS)}, got {method!r}")
    if not isinstance(bounds, Mapping) or not bounds:
        raise ValueError("bounds: sampled sweeps need bounds={'name': (low, high), ...}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed: expected a non-negative integer, got {seed!r}")
    specs = model.parameter_specs()
    names, integer, low, high = [], [], [], []
    for name, pair in bounds.items():
        lo, hi = _bound(model, name, pair, strict=False)
        names.append(name)
        integer.append(specs[name].integer)
        low.append(lo)
        high.append(hi)
    plan = _Plan("samples", tuple(names), tuple(integer), int(samples), chunk_size, method=method,
                 low=np.array(low), high=np.array(high), seed=int(seed))
    if method == "latin":
        from scipy.stats import qmc
        plan.latin = qmc.LatinHypercube(len(names), rng=np.random.default_rng(int(seed))).random(int(samples))
    return plan


# -- solving a chunk ----------------------------------------------------------------------
def _solve_columns(model: Model, points: Mapping, layout: tuple) -> dict:
    """Solve ``model`` at the points (1-D arrays): column name -> the chunk's column.

    The parameter columns come first, then the outputs; each column is a numpy array or,
    for the kinds numpy cannot hold (categorical regimes, nullable integers, strings), a
    pandas array (see :func:`_as_column`).
    """
    names = list(points)
    n = len(next(iter(points.values()))) if points else 0
    specs = model.parameter_specs()
    int_names = [k for k in names if specs[k].integer]
    if int_names:  # integer parameters are scalars: one vectorised call per distinct value
        keys = np.stack([np.asarray(points[k]) for k in int_names], axis=1)
        combos, inverse = np.unique(keys, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        groups = [(np.flatnonzero(inverse == g), dict(zip(int_names, map(int, combo))))
                  for g, combo in enumerate(combos)]
    else:
        groups = [(None, {})]
    columns = {k: np.asarray(points[k]) for k in names}
    pieces = {c: [] for col in layout for c in col.names}
    for rows, scalars in groups:
        call = {k: (v if rows is None else v[rows]) for k, v in columns.items() if k not in scalars}
        call.update(scalars)
        m = n if rows is None else len(rows)
        solved = model.with_(**call).solve()
        point_shape = (m,) if any(np.ndim(v) for v in call.values()) else ()
        for col in layout:
            value = np.asarray(solved[col.output])
            trailing = value.shape[len(point_shape):]
            if value.shape[:len(point_shape)] != point_shape and value.ndim:
                raise RuntimeError(f"{model.name}: output {col.output!r} has shape {value.shape}, "
                                   f"expected points first {point_shape}")
            if trailing != col.trailing:
                raise ValueError(f"output {col.output!r} has trailing shape {trailing} at some points "
                                 f"and {col.trailing} at others; sweep the parameter that sets it separately")
            if not trailing and value.shape == (m,):  # the usual case: already one value per point
                pieces[col.names[0]].append(value)
                continue
            value = np.broadcast_to(value.reshape((1,) * (1 - len(point_shape)) + value.shape),
                                    (m,) + trailing).reshape(m, -1)
            for j, cname in enumerate(col.names):
                pieces[cname].append(value[:, j])
    order = None if groups[0][0] is None else np.argsort(np.concatenate([r for r, _ in groups]), kind="stable")
    data = {k: columns[k] for k in names}
    kinds = {c: col.kind for col in layout for c in col.names}
    for cname, parts in pieces.items():
        flat = parts[0] if order is None else np.concatenate(parts)[order]
        data[cname] = _as_column(flat, kinds[cname])
    return data


def _frame(data: dict, index) -> "object":
    import pandas as pd

    # copy=False keeps one block per column: consolidating them would copy the whole chunk
    return pd.DataFrame(data, index=pd.Index(np.asarray(index, dtype=np.int64), name="point"), copy=False)


def _solve_table(model: Model, points: Mapping, layout: tuple, index) -> "object":
    """Solve ``model`` at the points (1-D arrays) and return the chunk's DataFrame."""
    return _frame(_solve_columns(model, points, layout), index)


@dataclass
class _Runner:
    """Everything a worker needs to compute (and write) chunk ``k``."""

    model: Model
    plan: _Plan
    layout: tuple
    out: str | None = None
    width: int = 6

    def columns(self, k: int) -> dict:
        return _solve_columns(self.model, self.plan.points(k), self.layout)

    def frame(self, k: int):
        start, stop = self.plan.span(k)
        return _frame(self.columns(k), np.arange(start, stop))

    def path(self, k: int) -> str:
        return os.path.join(self.out, f"part-{k:0{self.width}d}.parquet")

    def write(self, k: int, data: dict) -> int:
        """Write chunk ``k`` (its columns ``data``) to its Parquet file; return its size."""
        start, stop = self.plan.span(k)
        _write_parquet(data, np.arange(start, stop, dtype=np.int64), self.path(k), self.plan.names)
        return stop - start

    def __call__(self, k: int):
        if self.out is None:
            return self.frame(k)
        return self.write(k, self.columns(k))


def _run_chunk(runner: _Runner, k: int):
    return runner(k)


def _arrow_table(data: dict, index: np.ndarray):
    """The chunk as a :class:`pyarrow.Table`, built from the column arrays directly.

    The result is what ``pa.Table.from_pandas(frame, preserve_index=True)`` gives for the
    chunk's DataFrame (the same columns, types and pandas metadata, so that pandas reads
    the ``point`` index and the categorical regimes back), with dictionary indices widened
    to int32 so that every file has the same schema.  Only a one-row DataFrame is built,
    for the metadata; the columns themselves go straight from numpy to Arrow.
    """
    import pandas as pd
    import pyarrow as pa

    head = pa.Table.from_pandas(_frame({k: v[:1] for k, v in data.items()}, index[:1]), preserve_index=True)
    fields, arrays = [], []
    for f in head.schema:
        values = index if f.name == "point" and "point" not in data else data[f.name]
        if pa.types.is_dictionary(f.type):
            f = pa.field(f.name, pa.dictionary(pa.int32(), pa.string()), f.nullable, f.metadata)
            cat = values if isinstance(values, pd.Categorical) else pd.Categorical(values)
            arr = pa.DictionaryArray.from_arrays(
                pa.array(np.asarray(cat.codes, dtype=np.int32), mask=np.asarray(cat.codes) < 0),
                pa.array(np.asarray(cat.categories, dtype=object), type=pa.string()))
        elif isinstance(values, np.ndarray) and values.dtype.kind in "fiub":
            arr = pa.array(values, type=f.type, from_pandas=True)  # NaN -> null, as from_pandas
        else:
            arr = pa.array(values, from_pandas=True)
            if arr.type != f.type:
                arr = arr.cast(f.type)
        fields.append(f)
        arrays.append(arr)
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields, metadata=head.schema.metadata))


def _write_parquet(data: dict, index: np.ndarray, path: str, parameters: Sequence[str] = ()) -> None:
    """Write the chunk to ``path`` atomically: a temporary file, then :func:`os.replace`.

    One row group per file, Snappy compression (the default).  Dictionary encoding only
    for the categorical and string columns: trying it on every float column costs more
    than solving the chunk.  Min/max statistics only for the ``point`` index and the swept
    ``parameters`` (the columns a dataset query filters row groups on); computing them for
    every output costs about a tenth of the write.  Values are handed to the encoder in
    batches of 64 Ki rows rather than 1 Ki (fewer calls, same file contents).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder, base = os.path.split(path)
    tmp = os.path.join(folder, f".{base}.{os.getpid()}.{threading.get_ident()}.tmp")
    table = _arrow_table(data, index)
    encode = [f.name for f in table.schema if pa.types.is_dictionary(f.type) or pa.types.is_string(f.type)
              or pa.types.is_large_string(f.type)]
    stats = [n for n in table.column_names if n == "point" or n in parameters]
    pq.write_table(table, tmp, use_dictionary=encode, write_statistics=stats,
                   row_group_size=max(1, len(table)), write_batch_size=1 << 16)
    os.replace(tmp, path)


def _write_json(path: str, doc: dict) -> None:
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, indent=2, sort_keys=True)
        fh.write("\n")
    os.replace(tmp, path)


# -- the sweep's definition -----------------------------------------------------------------
def _definition(model: Model, plan: _Plan, layout: tuple) -> dict:
    from .. import __version__
    from ..core.results import to_jsonable

    doc = {"format": _FORMAT, "package_version": __version__, "model": model.name,
           "model_class": f"{type(model).__module__}.{type(model).__qualname__}",
           "fixed_parameters": to_jsonable({k: v for k, v in model.params.items() if k not in plan.names}),
           "kind": plan.kind, "parameters": list(plan.names), "n_points": plan.n_points,
           "chunk_size": plan.chunk_size, "n_chunks": plan.n_chunks,
           "outputs": [c.output for c in layout],
           "columns": list(plan.names) + [n for c in layout for n in c.names]}
    if plan.kind == "grid":
        doc["shape"] = list(plan.shape)
        doc["grid"] = {n: _axis_record(v) for n, v in zip(plan.names, plan.values)}
    else:
        doc.update(method=plan.method, seed=plan.seed,
                   bounds={n: [float(lo), float(hi)] for n, lo, hi in zip(plan.names, plan.low, plan.high)})
    return doc


_AXIS_LIST_LIMIT = 10_000


def _axis_record(values: np.ndarray) -> dict:
    """A grid axis in the manifest: its values when short, always its size and digest."""
    import hashlib

    values = np.ascontiguousarray(values)
    rec = {"n": int(values.size), "dtype": str(values.dtype),
           "sha256": hashlib.sha256(values.tobytes()).hexdigest()}
    if values.size <= _AXIS_LIST_LIMIT:
        rec["values"] = values.tolist()
    return rec


_VOLATILE = ("package_version", "complete")


def _same_definition(a: dict, b: dict) -> list:
    """Keys on which two manifests disagree (ignoring version and completion)."""
    keys = (set(a) | set(b)) - set(_VOLATILE)
    return sorted(k for k in keys if a.get(k) != b.get(k))


# -- results ------------------------------------------------------------------------------
_FRAME_CLASS = None


def _frame_class():
    """A DataFrame subclass whose ``to_xarray`` indexes a grid sweep by its parameters."""
    global _FRAME_CLASS
    if _FRAME_CLASS is None:
        import pandas as pd

        class SweepFrame(pd.DataFrame):
            """A sweep's tidy table (a :class:`pandas.DataFrame`); ``attrs["sweep"]`` is its definition."""

            @property
            def _constructor(self):
                return SweepFrame

            def to_xarray(self):
                """The grid sweep as an :class:`xarray.Dataset` with one dimension per parameter.

                Needs the optional package ``xarray`` (not a dependency of this package).
                """
                require("xarray", "xarray")
                sweep_def = self.attrs.get("sweep", {})
                plain = pd.DataFrame(self)
                if sweep_def.get("kind") == "grid":
                    return plain.set_index(list(sweep_def["parameters"])).to_xarray()
                return plain.to_xarray()

        _FRAME_CLASS = SweepFrame
    return _FRAME_CLASS


def _as_frame(df, definition: dict):
    frame = _frame_class()(df)
    frame.attrs["sweep"] = definition
    return frame


class SweepDataset:
    """Handle on a sweep written to disk (a directory of Parquet files and a manifest).

    Nothing is read until asked: :meth:`to_pandas` reads the table (optionally some
    columns), :meth:`to_arrow` a :class:`pyarrow.Table`, :meth:`dataset` opens it as a
    :mod:`pyarrow.dataset` for out-of-core queries.  ``os.fspath(handle)`` is the directory,
    so ``pandas.read_parquet(handle)`` works too.
    """

    def __init__(self, path):
        self.path = os.fspath(path)
        manifest = os.path.join(self.path, MANIFEST)
        if not os.path.exists(manifest):
            raise FileNotFoundError(f"{self.path!r} is not a sweep: no {MANIFEST}")
        with open(manifest, encoding="utf-8") as fh:
            self.manifest = json.load(fh)

    def __fspath__(self) -> str:
        return self.path

    def __len__(self) -> int:
        return int(self.manifest["n_points"])

    @property
    def complete(self) -> bool:
        """Every chunk has been written."""
        return len(self.files()) == int(self.manifest["n_chunks"])

    def files(self) -> list:
        """The chunk files present, in chunk order."""
        return sorted(os.path.join(self.path, f) for f in os.listdir(self.path)
                      if f.startswith("part-") and f.endswith(".parquet"))

    def to_arrow(self, columns: Sequence[str] | None = None):
        import pyarrow as pa
        import pyarrow.parquet as pq

        cols = None if columns is None else ["point"] + [c for c in columns if c != "point"]
        tables = [pq.read_table(f, columns=cols) for f in self.files()]
        if not tables:
            raise ValueError(f"sweep {self.path!r} has no chunk written yet")
        return pa.concat_tables(tables, promote_options="default")

    def to_pandas(self, columns: Sequence[str] | None = None):
        """The table (rows in point order) as a DataFrame indexed by ``point``."""
        df = self.to_arrow(columns).to_pandas()
        if "point" in df.columns:
            df = df.set_index("point")
        return _as_frame(df, self.manifest)

    def dataset(self):
        """The files as a :class:`pyarrow.dataset.Dataset`."""
        import pyarrow.dataset as ds
        return ds.dataset(self.files(), format="parquet")

    def to_xarray(self):
        """See :meth:`SweepFrame.to_xarray` (needs ``xarray``)."""
        return self.to_pandas().to_xarray()

    def __repr__(self) -> str:
        m = self.manifest
        return (f"SweepDataset({self.path!r}: {m['model']}, {m['n_points']} points in "
                f"{len(self.files())}/{m['n_chunks']} chunks)")


def open_sweep(path) -> SweepDataset:
    """Open a sweep written with ``sweep(..., out=path)``."""
    return SweepDataset(path)


def sweep_to_dataarrays(table) -> tuple:
    """A grid sweep as numpy arrays, one per column, shaped like the grid (numpy only).

    Parameters
    ----------
    table : DataFrame or SweepDataset
        The result of a grid sweep (every point, in point order).

    Returns
    -------
    coords : dict
        Parameter name -> its 1-D grid values.
    arrays : dict
        Output column -> array of shape ``(len(values_1), ..., len(values_d))``.
    """
    if isinstance(table, SweepDataset):
        table = table.to_pandas()
    definition = table.attrs.get("sweep", {})
    if definition.get("kind") != "grid":
        raise ValueError("sweep_to_dataarrays needs the table of a grid sweep")
    names = definition["parameters"]
    shape = tuple(definition["shape"])
    if len(table) != int(np.prod(shape)) or not np.array_equal(np.asarray(table.index), np.arange(len(table))):
        raise ValueError("sweep_to_dataarrays needs every point of the grid, in point order")
    strides = [int(np.prod(shape[j + 1:])) for j in range(len(shape))]
    coords = {n: np.asarray(table[n])[np.arange(shape[j]) * strides[j]] for j, n in enumerate(names)}
    arrays = {c: np.asarray(table[c]).reshape(shape) for c in table.columns if c not in names}
    return coords, arrays


# -- the driver ---------------------------------------------------------------------------
def _progress_bar(progress, total: int, initial: int):
    show = sys.stderr.isatty() if progress is None else bool(progress)
    if not show:
        return None
    tqdm = require("tqdm", "sweep").tqdm
    return tqdm(total=total, initial=initial, unit="pt", unit_scale=True, file=sys.stderr)


def _prepare_out(out, definition: dict, resume: bool, width: int, n_chunks: int) -> set:
    """Create or check the output directory; return the chunks already written."""
    os.makedirs(out, exist_ok=True)
    manifest = os.path.join(out, MANIFEST)
    if os.path.exists(manifest):
        if not resume:
            raise FileExistsError(f"out: {os.fspath(out)!r} already holds a sweep; pass resume=True to "
                                  "finish it, or choose another path")
        with open(manifest, encoding="utf-8") as fh:
            old = json.load(fh)
        diff = _same_definition(old, definition)
        if diff:
            raise ValueError(f"resume: the sweep in {os.fspath(out)!r} has a different definition "
                             f"({', '.join(diff)} differ)")
    else:
        stray = [f for f in os.listdir(out) if not f.startswith(".")]
        if stray:
            raise FileExistsError(f"out: {os.fspath(out)!r} is not empty and holds no sweep manifest")
        _write_json(manifest, dict(definition, complete=False))
    for f in os.listdir(out):  # temporary files of an interrupted run
        if f.startswith(".part-") and f.endswith(".tmp"):
            os.remove(os.path.join(out, f))
    done = set()
    for k in range(n_chunks):
        if os.path.exists(os.path.join(out, f"part-{k:0{width}d}.parquet")):
            done.add(k)
    return done


def _dask_client(scheduler):
    distributed = require("distributed", "dask")
    if isinstance(scheduler, distributed.Client):
        return scheduler, []
    if scheduler is None:
        cluster = distributed.LocalCluster(dashboard_address=":0")  # any free port
        client = distributed.Client(cluster)
        return client, [client, cluster]
    client = distributed.Client(scheduler)  # an address, or a cluster object
    return client, [client]


def _run_local(runner: _Runner, todo: list, bar, results: dict, table: _Collector | None = None) -> None:
    if runner.out is not None:
        _run_local_parquet(runner, todo, bar, results)
    elif table is not None:
        _run_local_memory(runner, todo, bar, table)
    else:
        for k in todo:
            results[k] = runner(k)
            if bar is not None:
                start, stop = runner.plan.span(k)
                bar.update(stop - start)


def _run_local_memory(runner: _Runner, todo: list, bar, table: _Collector) -> None:
    """Solve the next chunk while a second thread copies the previous one into the table.

    The copy (and, at the first chunk, the mapping of the whole table's memory) releases
    the GIL, so on two cores it overlaps the solving; one chunk at most waits to be copied.
    """
    from concurrent.futures import ThreadPoolExecutor

    def copy(k, data):
        start, stop = runner.plan.span(k)
        table.add(start, stop, data)
        return stop - start

    pending = None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sweep-table") as pool:
        try:
            for k in todo:
                data = runner.columns(k)
                if pending is not None:
                    done, pending = pending.result(), None
                    if bar is not None:
                        bar.update(done)
                pending = pool.submit(copy, k, data)
                del data
            if pending is not None:
                done, pending = pending.result(), None
                if bar is not None:
                    bar.update(done)
        finally:
            if pending is not None:  # an error: let the copy already started end first
                pending.exception()


def _run_local_parquet(runner: _Runner, todo: list, bar, results: dict, writers: int = 2) -> None:
    """Solve the next chunk while other threads write the previous ones to Parquet.

    Arrow's encoder and numpy's loops release the GIL, so the writes overlap the solving;
    at most ``writers`` chunks wait to be written (memory: ``writers + 1`` chunks).  Errors
    of either side are raised here, after the pending writes have finished.
    """
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    def finish():
        k, fut = pending.popleft()
        results[k] = fut.result()
        if bar is not None:
            bar.update(results[k])

    pending: deque = deque()
    with ThreadPoolExecutor(max_workers=writers, thread_name_prefix="sweep-writer") as pool:
        try:
            for k in todo:
                data = runner.columns(k)
                while len(pending) >= writers:
                    finish()
                pending.append((k, pool.submit(runner.write, k, data)))
                del data
            while pending:
                finish()
        finally:
            for _, fut in pending:  # an error: let the writes already started end first
                fut.exception()


def _run_dask(runner: _Runner, todo: list, bar, results: dict, scheduler) -> None:
    distributed = require("distributed", "dask")
    client, owned = _dask_client(scheduler)
    try:
        shared = client.scatter(runner, broadcast=True)
        window = max(4, 2 * sum(client.nthreads().values()))
        pending = iter(todo)
        live = distributed.as_completed()
        keys = {}

        def submit_next() -> bool:
            k = next(pending, None)
            if k is None:
                return False
            fut = client.submit(_run_chunk, shared, k, pure=False)
            keys[fut.key] = k
            live.add(fut)
            return True

        for _ in range(window):
            if not submit_next():
                break
        for fut in live:
            k = keys.pop(fut.key)
            results[k] = fut.result()
            fut.release()
            if bar is not None:
                start, stop = runner.plan.span(k)
                bar.update(stop - start)
            submit_next()
    finally:
        for obj in owned:
            obj.close()


def sweep(model, grid: Mapping | None = None, samples: int | None = None, outputs: Sequence[str] | None = None, *,
          method: str = "random", bounds: Mapping | None = None, seed: int = 0,
          chunk_size: int = DEFAULT_CHUNK_SIZE, out=None, resume: bool = False, backend: str = "local",
          scheduler=None, progress: bool | None = None):
    """Solve a model over a grid or a sample of parameter points.

    Parameters
    ----------
    model : str, Model subclass or Model instance
        A registry name or class (solved at the defaults of the other parameters) or an
        instance (the other parameters at the instance's values, which must be scalars).
    grid : mapping, optional
        Parameter name -> 1-D values; the sweep covers the full factorial product, rows in
        C order (the last parameter varies fastest).
    samples : int, optional
        Number of sampled points (instead of ``grid``), in the box ``bounds``.
    outputs : sequence of str, optional
        Outputs to record; by default every scalar output of kind real, int, bool or
        regime (see the module docstring for object outputs and trailing dimensions).
    method : {"random", "latin", "sobol"}
        Sampling design: independent uniform (Philox, seeded), Latin hypercube or scrambled
        Sobol' (:mod:`scipy.stats.qmc`).  Sobol' designs are balanced when ``samples`` is a
        power of two.
    bounds : mapping
        Parameter name -> ``(low, high)`` for sampled sweeps; integer parameters are drawn
        uniformly from the integers of ``[low, high]``.
    seed : int
        Seed of the sampling design (the same seed gives the same points).
    chunk_size : int
        Points solved per vectorised call; memory is proportional to it.
    out : path, optional
        Directory of a Parquet dataset to stream the chunks to.  The table is then not held
        in memory: the return value is a :class:`SweepDataset` handle.
    resume : bool
        With ``out``: finish an interrupted sweep of the same definition.
    backend : {"local", "dask"}
        Run chunks in this process, or as tasks on ``dask.distributed`` (the workers must
        see ``out``, and import the model's module).
    scheduler : str, Client or cluster, optional
        For ``backend="dask"``: a scheduler address, a ``distributed.Client`` or a cluster
        object; by default a new ``LocalCluster`` for the duration of the sweep.
    progress : bool, optional
        Show a tqdm progress bar; by default only when standard error is a terminal.

    Returns
    -------
    pandas.DataFrame or SweepDataset
        Without ``out``: the tidy table, indexed by the point number ``point``, with
        ``attrs["sweep"]`` the definition and, for grids, ``to_xarray()`` (needs
        ``xarray``).  With ``out``: a handle on the dataset.

    Raises
    ------
    ValueError
        Bad names, sizes, methods or bounds; a resumed sweep whose definition differs.
    ParameterError
        A swept value outside the parameter's domain.
    FileExistsError
        ``out`` already holds a sweep and ``resume`` is false.
    """
    require("pandas", "sweep")
    model = resolve_model(model)
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer)) or chunk_size < 1:
        raise ValueError(f"chunk_size: expected a positive integer, got {chunk_size!r}")
    if backend not in BACKENDS:
        raise ValueError(f"backend: expected one of {', '.join(BACKENDS)}, got {backend!r}")
    if (grid is None) == (samples is None):
        raise ValueError("sweep: give either grid=... or samples=N (with bounds=...), not both or neither")
    if grid is not None:
        if bounds is not None:
            raise ValueError("bounds: only for sampled sweeps (samples=N), not with grid")
        plan = _grid_plan(model, grid, int(chunk_size))
    else:
        plan = _sample_plan(model, samples, bounds, method, seed, int(chunk_size))
    if resume and out is None:
        raise ValueError("resume: needs out=PATH")
    layout = _layout(model, outputs)
    _check_widths(model, layout, plan)
    definition = _definition(model, plan, layout)
    width = max(6, len(str(plan.n_chunks - 1)))
    runner = _Runner(model, plan, layout, None if out is None else os.fspath(out), width)

    done = set()
    if out is not None:
        done = _prepare_out(os.fspath(out), definition, resume, width, plan.n_chunks)
    todo = [k for k in range(plan.n_chunks) if k not in done]
    initial = sum(plan.span(k)[1] - plan.span(k)[0] for k in done)
    bar = _progress_bar(progress, plan.n_points, initial)
    results: dict = {}
    table = _Collector(plan.n_points) if out is None and backend == "local" else None
    try:
        if backend == "local":
            _run_local(runner, todo, bar, results, table)
        else:
            _run_dask(runner, todo, bar, results, scheduler)
    finally:
        if bar is not None:
            bar.close()

    if out is not None:
        _write_json(os.path.join(os.fspath(out), MANIFEST), dict(definition, complete=True))
        return SweepDataset(out)
    if table is not None:
        return _as_frame(table.frame(), definition)
    return _as_frame(_concat([results[k] for k in range(plan.n_chunks)]), definition)


def evaluate_points(model, points: Mapping, outputs: Sequence[str] | None = None, *,
                    chunk_size: int = DEFAULT_CHUNK_SIZE):
    """Solve a model at explicit points (a table of equal-length columns), in chunks.

    Parameters
    ----------
    model : str, Model subclass or Model instance
    points : mapping or DataFrame
        Parameter name -> 1-D array of values (all of one length).
    outputs : sequence of str, optional
        As for :func:`sweep`.

    Returns
    -------
    pandas.DataFrame
        The parameter columns, then the outputs; one row per point.
    """
    require("pandas", "sweep")
    model = resolve_model(model)
    cols = {k: np.asarray(points[k]) for k in points}
    lengths = {len(v) for v in cols.values()}
    if not cols or len(lengths) != 1:
        raise ValueError("points: expected equal-length 1-D columns")
    specs = model.parameter_specs()
    for k, v in cols.items():
        _check_name(model, k, "points")
        cols[k] = _validated(specs[k], v)
    n = lengths.pop()
    if n == 0:
        raise ValueError("points: no points given")
    layout = _layout(model, outputs)
    frames = []
    for start in range(0, n, chunk_size):
        stop = min(start + chunk_size, n)
        frames.append(_solve_table(model, {k: v[start:stop] for k, v in cols.items()}, layout,
                                   np.arange(start, stop)))
    return _concat(frames)
