"""The points of a sweep: axis names, grid plans and sampled plans, chunk by chunk.

An **axis** of a sweep is a parameter name (``"transparency"``) or one element of a vector
parameter, spelt with its 0-based index (``"weight[0]"``); :func:`_axis_spec` checks a name
against the model and returns the parameter that validates its values.  The other elements
of a vector keep the model's (fixed) values.

A :class:`_Plan` holds the definition of the points -- a full factorial grid or N sampled
points in a box -- and generates the points of chunk ``k`` from ``k`` alone:

* grid point :math:`i` of shape :math:`(n_1, \\dots, n_d)` has the multi-index
  ``np.unravel_index(i, shape)`` (C order, the last axis fastest), built for a whole chunk
  with block copies (:func:`_axis_column`), so a grid of :math:`10^8` points never exists
  in memory;
* random points come from the counter-based Philox generator (point :math:`i` uses counter
  block :math:`i`), Sobol' points from ``fast_forward``, so neither depends on the chunk
  size; Latin hypercube points are stratified over all :math:`N` points and drawn at once
  (:math:`8 N d` bytes).
"""
from __future__ import annotations

import math
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from ...core.params import ParameterError, UnknownNameError, _brief, as_real_array, validate_array
from ...models.base import Model
from .errors import SweepError

METHODS = ("random", "latin", "sobol")

#: The most chunks a sweep may have (each one a vectorised call, and with ``out=`` one file).
MAX_CHUNKS = 100_000
#: The largest Latin hypercube design, in bytes (it is drawn at once: 8 N d bytes).
LATIN_MAX_BYTES = 1 << 30

_EXACT_INTEGERS = 2 ** 53
_ELEMENT = re.compile(r"^(?P<base>[^\[\]]+)\[(?P<index>[^\[\]]*)\]$")


# -- axis names -------------------------------------------------------------------------
def _split_axis(name) -> tuple:
    """``"weight[2]"`` -> ``("weight", "2")``; a plain name -> ``(name, None)`` (no checks)."""
    m = _ELEMENT.match(name) if isinstance(name, str) else None
    return (name, None) if m is None else (m["base"], m["index"])


def _axis_names(model: Model) -> list:
    """The axes a sweep of ``model`` accepts: scalar parameters and vector elements."""
    n = model.n or 0
    out = []
    for p in model.parameters:
        out.extend([f"{p.name}[{i}]" for i in range(n)] if p.vector else [p.name])
    return out


def _parameter_names(model: Model) -> list:
    return list(model.parameter_specs())


def _axis_spec(model: Model, name, what: str):
    """The :class:`Parameter` whose domain the values of axis ``name`` must lie in.

    Raises
    ------
    ParameterError
        Naming the axis: an unknown name (:class:`UnknownNameError`, with the closest known
        axis), a whole vector parameter (sweep one element), an element of a scalar
        parameter, an element index outside ``0 .. n - 1``, or an element of a vector of shares
        (it cannot move alone).
    """
    specs = model.parameter_specs()
    base, index = _split_axis(name)
    spec = specs.get(base)
    if spec is None:
        err = UnknownNameError(name, _axis_names(model), "parameter", f"model {model.name!r}")
        err.args = (f"{what}: {err.args[0]}",)
        raise err
    n = model.n
    if spec.vector and n is None:
        raise ParameterError(name, None, "a vector", f"{what}: the vector parameter {base!r} is not set")
    if index is None:
        if spec.vector:
            raise ParameterError(name, "the whole vector", f"one element at a time: {name}[0] .. {name}[{n - 1}]",
                                 f"{what}: a vector parameter is swept one element at a time, spelt with "
                                 f"its 0-based index; fix the whole vector with fixed= or the model instance")
        return spec
    if not spec.vector:
        raise ParameterError(name, index, "a scalar: no element index",
                             f"{what}: {base!r} is a scalar parameter of model {model.name!r}; "
                             f"sweep it as {base!r}")
    if not index.isdigit() or int(index) >= n:
        raise ParameterError(name, int(index) if index.isdigit() else index, f"element indices 0 .. {n - 1}",
                             f"{what}: the vector parameters of model {model.name!r} have n = {n} "
                             f"elements, indexed from 0")
    if spec.shares:  # moving one share alone breaks the sum: refuse before any point is solved
        raise ParameterError(name, "one element", spec.allowed,
                             f"{what}: the entries of {base!r} are shares summing to 1, so one cannot be "
                             f"swept alone; fix the whole vector with fixed= or the model instance")
    return spec


def _check_name(model: Model, name: str, what: str) -> None:
    _axis_spec(model, name, what)


def _validated(spec, values: np.ndarray, axis: str | None = None) -> np.ndarray:
    """Check every value against the parameter's domain (ParameterError names the first bad one).

    ``axis`` is the element's name (``"weight[0]"``) for an element of a vector parameter.
    """
    values = as_real_array(axis or spec.name, values, str(spec.domain))
    if spec.integer:  # integer parameters validate scalars only: check the array at once
        ok = spec.domain.mask(values)
        if not np.all(ok):
            bad = float(values[~ok].flat[0])
            detail = "must be an integer" if np.isfinite(bad) and bad != np.floor(bad) else None
            raise ParameterError(spec.name, bad, str(spec.domain), detail)
        _check_exact_integers(spec, values)
        return values.astype(np.int64)
    if spec.vector:  # one element: every value in the elements' domain
        return validate_array(axis or spec.name, values, spec.domain)
    spec.validate(values)
    return values


def _check_exact_integers(spec, values) -> None:
    """Integers beyond 2**53 are not exact in float64 (nor, past 2**63, in int64): refuse them."""
    big = np.abs(values) > _EXACT_INTEGERS
    if np.any(big):
        raise ParameterError(spec.name, float(np.asarray(values)[big].flat[0]), str(spec.domain),
                             f"integers above 2**53 = {_EXACT_INTEGERS} are not exact in floating point")


def _bound(model: Model, name: str, pair, *, strict: bool) -> tuple:
    """One ``bounds`` entry ``name -> (low, high)``, validated against the model's parameter.

    ``name`` is an axis (a parameter, or an element ``"weight[0]"`` of a vector one).
    ``strict`` asks for ``low < high`` (a sensitivity box must have volume); otherwise
    ``low <= high`` (a sampled sweep may pin a parameter).
    """
    spec = _axis_spec(model, name, "bounds")
    if isinstance(pair, (str, bytes, Mapping)) or not hasattr(pair, "__len__") or len(pair) != 2:
        raise SweepError(f"bounds: {name!r} needs a pair (low, high), got {_brief(pair)}")
    ends = as_real_array(name, list(pair), str(spec.domain), "a pair of real numbers")
    if ends.shape != (2,):
        raise SweepError(f"bounds: {name!r} needs a pair of numbers (low, high), got {_brief(pair)}")
    lo, hi = float(ends[0]), float(ends[1])
    if spec.integer:
        _check_exact_integers(spec, np.array([lo, hi]))
    if spec.vector:
        validate_array(name, [lo, hi], spec.domain)
    else:
        spec.validate(lo)
        spec.validate(hi)
    if strict and not lo < hi:
        raise SweepError(f"bounds: {name!r} needs low < high, got ({lo!r}, {hi!r})")
    if not strict and not lo <= hi:
        raise SweepError(f"bounds: {name!r} has low {lo!r} > high {hi!r}")
    return lo, hi


# -- sizes ------------------------------------------------------------------------------------
def _check_chunks(n_points: int, chunk_size: int, arg: str = "chunk_size") -> int:
    """The number of chunks, refused above :data:`MAX_CHUNKS` before anything is written.

    ``arg`` names the argument in the message (``"--chunk-size"`` on the command line).
    """
    n_chunks = max(1, -(-int(n_points) // int(chunk_size)))
    if n_chunks > MAX_CHUNKS:
        least = -(-int(n_points) // MAX_CHUNKS)
        raise SweepError(f"{arg}: {chunk_size} points per chunk makes {n_chunks} chunks of {n_points} points, "
                         f"above the limit of {MAX_CHUNKS} chunks (one vectorised call, and one Parquet file, "
                         f"each); use a chunk size of at least {least}")
    return n_chunks


def _check_sobol_size(n, arg: str) -> None:
    """Sobol' designs need a power of two: the same rule, and message, for sweeps and indices."""
    n = int(n)
    if n >= 1 and not n & (n - 1):
        return
    lower = 1 << max(0, n.bit_length() - 1)
    raise SweepError(f"{arg}: Sobol' designs need a power of two (their balance holds only then), got {n}; "
                     f"use {lower} or {lower * 2}")


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
            return {n: _axis_column(v, s, start, stop - start)
                    for n, v, s in zip(self.names, self.values, strides, strict=True)}
        unit = self._unit(start, stop)
        cols = {}
        for j, (name, is_int) in enumerate(zip(self.names, self.integer, strict=False)):
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
        raise SweepError("grid: expected a non-empty mapping NAME -> values")
    names, integer, values = [], [], []
    for name, vals in grid.items():
        spec = _axis_spec(model, name, "grid")
        arr = as_real_array(name, vals, str(spec.domain), "a 1-D sequence of real numbers")
        if arr.ndim != 1 or arr.size == 0:
            raise SweepError(f"grid: values of {name!r} must be a non-empty 1-D sequence")
        arr = _validated(spec, arr, name)
        names.append(name)
        integer.append(spec.integer)
        values.append(arr)
    n_points = int(np.prod([len(v) for v in values], dtype=object))
    _check_chunks(n_points, chunk_size)
    return _Plan("grid", tuple(names), tuple(integer), n_points, chunk_size, values=tuple(values))


def _sample_plan(model: Model, samples: int, bounds: Mapping, method: str, seed: int,
                 chunk_size: int) -> _Plan:
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or not 1 <= samples < 2 ** 63:
        raise SweepError(f"samples: expected a positive integer below 2**63, got {_brief(samples)}")
    _check_chunks(int(samples), chunk_size, "samples")  # too many samples, or too small chunks
    if not isinstance(method, str) or method not in METHODS:
        raise SweepError(f"method: expected one of {', '.join(METHODS)}, got {_brief(method)}")
    if method == "sobol":
        _check_sobol_size(samples, "samples")
    if not isinstance(bounds, Mapping) or not bounds:
        raise SweepError("bounds: sampled sweeps need bounds={'name': (low, high), ...}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2 ** 64:
        raise SweepError(f"seed: expected an integer from 0 to 2**64 - 1, got {_brief(seed)}")
    names, integer, low, high = [], [], [], []
    for name, pair in bounds.items():
        lo, hi = _bound(model, name, pair, strict=False)
        names.append(name)
        integer.append(_axis_spec(model, name, "bounds").integer)
        low.append(lo)
        high.append(hi)
    plan = _Plan("samples", tuple(names), tuple(integer), int(samples), chunk_size, method=method,
                 low=np.array(low), high=np.array(high), seed=int(seed))
    if method == "latin":
        need = 8 * int(samples) * len(names)
        if need > LATIN_MAX_BYTES:
            raise SweepError(f"samples: a Latin hypercube of {samples} points in {len(names)} dimensions is drawn "
                             f"at once ({need / 2 ** 30:.1f} GiB), above the limit of "
                             f"{LATIN_MAX_BYTES / 2 ** 30:.0f} GiB; use method='random' or 'sobol', or fewer samples")
        from scipy.stats import qmc
        plan.latin = qmc.LatinHypercube(len(names), rng=np.random.default_rng(int(seed))).random(int(samples))
    return plan
