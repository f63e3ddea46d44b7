"""Solving one chunk of a sweep: the model at the chunk's points, as the table's columns.

Each chunk is solved by one vectorised call of the model, or one call per combination of
the integer parameters in the chunk (models accept those only as scalars).  The swept
elements of a vector parameter (axes ``"weight[0]"``, ...) are written into a copy of the
fixed vector broadcast to the chunk, so the model receives whole vectors of shape
``(m, n)``.  :class:`_Runner` bundles what a worker needs to solve, and write, chunk ``k``.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ...models.base import Model
from .designs import _Plan, _split_axis
from .errors import SweepError
from .layout import _as_column, _frame
from .store import _chunk_record, _identity, _write_parquet, chunk_file


def _solve_columns(model: Model, points: Mapping, layout: tuple) -> dict:
    """Solve ``model`` at the points (1-D arrays): column name -> the chunk's column.

    The parameter columns come first, then the outputs; each column is a numpy array or,
    for the kinds numpy cannot hold (categoricals, nullable integers, strings), a pandas
    array (see :func:`~.layout._as_column`).  Categorical outputs that the model returns as
    codes stay codes.
    """
    names = list(points)
    n = len(next(iter(points.values()))) if points else 0
    specs = model.parameter_specs()
    elements: dict = {}  # vector parameter -> [(index, axis name)] of its swept elements
    for k in names:
        base, index = _split_axis(k)
        if index is not None:
            elements.setdefault(base, []).append((int(index), k))
    swept = {k for pairs in elements.values() for _, k in pairs}
    int_names = [k for k in names if k not in swept and specs[k].integer]
    if int_names:  # integer parameters are scalars: one vectorised call per distinct value
        keys = np.stack([np.asarray(points[k]) for k in int_names], axis=1)
        combos, inverse = np.unique(keys, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        groups = [(np.flatnonzero(inverse == g), dict(zip(int_names, map(int, combo), strict=False)))
                  for g, combo in enumerate(combos)]
    else:
        groups = [(None, {})]
    columns = {k: np.asarray(points[k]) for k in names}
    pieces = {c: [] for col in layout for c in col.names}
    for rows, scalars in groups:
        m = n if rows is None else len(rows)
        call = {k: (v if rows is None else v[rows]) for k, v in columns.items()
                if k not in scalars and k not in swept}
        for base, pairs in elements.items():  # the fixed vector, with the swept elements set
            fixed = np.asarray(model.params[base], dtype=float)
            vector = np.empty((m,) + fixed.shape[-1:])
            vector[:] = fixed
            for index, k in pairs:
                vector[:, index] = columns[k] if rows is None else columns[k][rows]
            call[base] = vector
        call.update(scalars)
        solved = model.with_(**call).solve()
        point_shape = (m,) if any(np.ndim(v) for v in call.values()) else ()
        for col in layout:
            value = np.asarray(solved.codes(col.output) if col.categories else solved[col.output])
            trailing = value.shape[len(point_shape):]
            if value.shape[:len(point_shape)] != point_shape and value.ndim:
                raise RuntimeError(f"{model.name}: output {col.output!r} has shape {value.shape}, "
                                   f"expected points first {point_shape}")
            if trailing != col.trailing:
                raise SweepError(f"output {col.output!r} has trailing shape {trailing} at some points "
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
    kinds = {c: (col.kind, col.categories) for col in layout for c in col.names}
    for cname, parts in pieces.items():
        flat = parts[0] if order is None else np.concatenate(parts)[order]
        data[cname] = _as_column(flat, *kinds[cname])
    return data


def _solve_table(model: Model, points: Mapping, layout: tuple, index) -> object:
    """Solve ``model`` at the points (1-D arrays) and return the chunk's DataFrame."""
    return _frame(_solve_columns(model, points, layout), index)


@dataclass
class _Runner:
    """Everything a worker needs to compute (and write) chunk ``k``.

    With ``out``, ``manifest`` is the sweep's definition (for the chunk files' names and
    identities) and ``compression`` the Parquet codec.
    """

    model: Model
    plan: _Plan
    layout: tuple
    out: str | None = None
    manifest: dict | None = None
    compression: str = "snappy"

    def columns(self, k: int) -> dict:
        return _solve_columns(self.model, self.plan.points(k), self.layout)

    def frame(self, k: int):
        start, stop = self.plan.span(k)
        return _frame(self.columns(k), np.arange(start, stop))

    def path(self, k: int) -> str:
        return os.path.join(self.out, chunk_file(k, self.plan.n_chunks))

    def write(self, k: int, data: dict) -> dict:
        """Write chunk ``k`` (its columns ``data``) to its Parquet file; return its record."""
        start, stop = self.plan.span(k)
        written = _write_parquet(data, np.arange(start, stop, dtype=np.int64), self.path(k), self.plan.names,
                                 self.compression, _identity(self.manifest, k))
        return _chunk_record(k, self.manifest, written)

    def __call__(self, k: int):
        if self.out is None:
            return self.frame(k)
        return self.write(k, self.columns(k))


def _run_chunk(runner: _Runner, k: int):
    return runner(k)
