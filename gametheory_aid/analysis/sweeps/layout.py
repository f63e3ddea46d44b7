"""The layout of a sweep's table and the in-memory table itself.

* :func:`_layout` -- the output columns (:class:`_Column`): which outputs are recorded and
  under which names (``plan[0]``, ``allocation[2]``, ``contrast[0,1]`` for trailing axes);
* :func:`_as_column` -- one chunk's values of a column as an array whose dtype is fixed by
  the output's kind: categorical outputs as :class:`pandas.Categorical`, built from the
  model's integer codes (:meth:`~gametheory_aid.core.results.ModelResult.codes`) where it
  declares ``Output.categories``, never through strings;
* :class:`_Collector` -- the in-memory table, preallocated at its full size and filled chunk
  by chunk; :func:`_concat` for chunk frames gathered otherwise (Dask, explicit points);
* :func:`_as_frame` -- the result, a :class:`~.frame.SweepFrame` (a :class:`pandas.DataFrame`
  subclass defined at module level, so it pickles) with ``attrs["sweep"]`` and a grid-aware
  ``to_xarray``.

Categorical columns keep the categories of their chunks when every chunk has the same (the
declared labels, in the model's order); otherwise they get the sorted union.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ...core.params import UnknownNameError, _brief
from ...models.base import Model
from .errors import SweepError

_SCALAR_KINDS = ("real", "int", "bool", "regime")


# -- output layout ----------------------------------------------------------------------
@dataclass(frozen=True)
class _Column:
    """One output of the table: its kind, trailing shape, column names and categories.

    ``categories`` are the labels of a categorical output that the model returns as codes
    (``Output.categories``); empty otherwise.
    """

    output: str
    kind: str
    trailing: tuple
    names: tuple
    categories: tuple = ()


def _column_names(name: str, trailing: tuple) -> tuple:
    if not trailing:
        return (name,)
    return tuple(f"{name}[{','.join(map(str, idx))}]" for idx in np.ndindex(*trailing))


def _raw(result, name: str):
    """An output of a solution as the model returned it: codes for a categorical output."""
    return result.codes(name) if name in result.categories else result[name]


def _layout(model: Model, outputs: Sequence[str] | None, vectors: bool = True) -> tuple:
    """The table's output columns, from one solve at the model's (fixed) parameters.

    By default every output of a scalar kind with one value per point, and (with
    ``vectors``) every one whose trailing axes all have the length ``n`` of the model's
    vector parameters (one value per target, or per pair of targets).
    """
    kinds = {o.name: o.kind for o in model.outputs}
    probe = model.solve()
    n = model.n
    if outputs is None:
        def recorded(o):
            shape = np.shape(_raw(probe, o))
            return not shape or (vectors and n is not None and all(d == n for d in shape))
        chosen = [o for o in kinds if kinds[o] in _SCALAR_KINDS and recorded(o)]
    else:
        if isinstance(outputs, str):
            outputs = [outputs]
        if not isinstance(outputs, Sequence) or not all(isinstance(o, str) for o in outputs):
            raise SweepError(f"outputs: expected output names (a list of strings), got {_brief(outputs)}")
        chosen = list(dict.fromkeys(outputs))
        for o in chosen:
            if o not in kinds:
                err = UnknownNameError(o, kinds, "output", f"model {model.name!r}")
                err.args = (f"outputs: {err.args[0]}",)
                raise err
    cats = probe.categories
    columns = []
    for o in chosen:
        trailing = tuple(np.shape(_raw(probe, o)))
        columns.append(_Column(o, kinds[o], trailing, _column_names(o, trailing), tuple(cats.get(o, ()))))
    return tuple(columns)


def _check_widths(model: Model, layout: tuple, plan) -> None:
    """Outputs with trailing dimensions must keep their width over the swept integers."""
    shaped = [c for c in layout if c.trailing]
    ints = [(j, n) for j, (n, i) in enumerate(zip(plan.names, plan.integer, strict=False)) if i]
    for j, name in ints:
        if plan.kind == "grid":
            candidates = np.unique(plan.values[j])
        else:
            candidates = np.unique([int(plan.low[j]), int(plan.high[j])])
        for value in candidates[:1000]:
            probe = model.with_(**{name: int(value)}).solve()
            for col in shaped:
                shape = np.shape(_raw(probe, col.output))
                if shape != col.trailing:
                    raise SweepError(f"outputs: {col.output!r} has shape {shape} at "
                                     f"{name}={int(value)} but {col.trailing} at {name}={model.params[name]}; "
                                     f"sweep {name!r} in separate runs to record it")


# -- columns ------------------------------------------------------------------------------
def _as_column(values: np.ndarray, kind: str, categories: tuple = ()):
    """Values of one column as a pandas array of a dtype fixed by the output's kind.

    With ``categories`` the values are the model's codes, and the column is the
    categorical built from them.
    """
    if categories:
        return _coded(values, categories)
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


def _coded(codes: np.ndarray, categories: tuple):
    """A categorical from a model's codes (indices into ``categories``), without strings."""
    import pandas as pd

    return pd.Categorical.from_codes(np.asarray(codes), categories=list(categories))


def _categorical(values: np.ndarray, limit: int = 64):
    """A few-valued string array as a Categorical (sorted categories), in O(n) per category.

    For models that return labels rather than codes.  Regimes take a handful of values, so
    peeling one category at a time with a vectorised comparison is much faster than hashing
    or sorting every string.
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

    A categorical column keeps its categories when every chunk has the same, and gets the
    sorted union of them otherwise.
    """
    import pandas as pd

    if len(frames) == 1:
        return frames[0]
    columns = {}
    for col in frames[0].columns:
        parts = [f[col] for f in frames]
        dtype = parts[0].dtype
        if isinstance(dtype, pd.CategoricalDtype):
            first = parts[0].cat.categories
            if all(p.cat.categories.equals(first) for p in parts[1:]):
                codes = np.concatenate([np.asarray(p.cat.codes) for p in parts])
                columns[col] = pd.Categorical.from_codes(codes, categories=first)
                continue
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


def _frame(data: dict, index) -> object:
    import pandas as pd

    # copy=False keeps one block per column: consolidating them would copy the whole chunk
    return pd.DataFrame(data, index=pd.Index(np.asarray(index, dtype=np.int64), name="point"), copy=False)


# -- the in-memory table ------------------------------------------------------------------
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
    and half the peak memory).  Categorical columns are kept as integer codes against the
    list of categories seen so far: a chunk with the same categories (a model's declared
    labels) is copied as it is, another one remapped; the categories are sorted at the end
    only when the chunks did not all have the same.  A column whose chunks are not all
    numpy arrays of one dtype (nullable integers, strings) is kept as parts and
    concatenated by pandas, as :func:`_concat` does.
    """

    def __init__(self, n_points: int):
        self.n = n_points
        self.arrays: dict = {}
        self.cats: dict = {}      # column -> {category: global code}, in order of appearance
        self.mixed: set = set()   # categorical columns whose chunks had different categories
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
                    self.cats[name] = {c: i for i, c in enumerate(values.categories.tolist())}
                elif start == 0 and isinstance(values, np.ndarray):
                    arr = self.arrays[name] = _empty(self.n, values.dtype)
                else:
                    self.parts[name] = [pd.Series(values, copy=False)]
                    continue
            if name in self.cats and isinstance(values, pd.Categorical):
                known = self.cats[name]
                cats = values.categories.tolist()
                if len(cats) == len(known) and list(known) == cats:  # the same categories: the codes as they are
                    arr[start:stop] = values.codes
                    continue
                self.mixed.add(name)
                remap = np.array([known.setdefault(c, len(known)) for c in cats] + [-1],
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
        if name not in self.mixed:
            return pd.Categorical.from_codes(arr, categories=found)
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


# -- the result ---------------------------------------------------------------------------
def _as_frame(df, definition: dict):
    """``df`` as a :class:`~.frame.SweepFrame` (an importable, picklable type) with the definition."""
    from .frame import SweepFrame

    frame = SweepFrame(df)
    frame.attrs["sweep"] = definition
    return frame
