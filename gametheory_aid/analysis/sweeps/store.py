"""A sweep on disk: Parquet chunk files, the JSON manifest, and the handle that reads them.

``sweep(..., out=PATH)`` writes ``PATH/part-NNNNNN.parquet``, one file per chunk, each to a
temporary name moved into place with :func:`os.replace` (so a file that exists is complete),
and ``PATH/_manifest.json``, the sweep's definition (:func:`_definition`).  Resuming checks
that the manifest matches and skips the chunks whose file exists (:func:`_prepare_out`).

A chunk goes from its column arrays straight to Arrow (:func:`_arrow_table`): categorical
columns become dictionary-encoded columns built from their codes and categories.
:class:`SweepDataset` (from :func:`open_sweep`) reads the files back; :func:`sweep_to_dataarrays`
reshapes a grid sweep's table to arrays, one axis per swept parameter.
"""
from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence

import numpy as np

from .layout import _as_frame, _frame

MANIFEST = "_manifest.json"
_FORMAT = 1
_AXIS_LIST_LIMIT = 10_000
_VOLATILE = ("package_version", "complete")


# -- writing ------------------------------------------------------------------------------
def _arrow_table(data: dict, index: np.ndarray):
    """The chunk as a :class:`pyarrow.Table`, built from the column arrays directly.

    The result is what ``pa.Table.from_pandas(frame, preserve_index=True)`` gives for the
    chunk's DataFrame (the same columns, types and pandas metadata, so that pandas reads
    the ``point`` index and the categorical columns back), with dictionary indices widened
    to int32 so that every file has the same schema.  Only a one-row DataFrame is built,
    for the metadata; the columns themselves go straight from numpy to Arrow, a
    categorical as ``DictionaryArray.from_arrays(codes, categories)``.
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
            codes = np.asarray(cat.codes)
            arr = pa.DictionaryArray.from_arrays(
                pa.array(codes.astype(np.int32), mask=codes < 0),
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
def _definition(model, plan, layout: tuple) -> dict:
    from ... import __version__
    from ...core.results import to_jsonable

    doc = {"format": _FORMAT, "package_version": __version__, "model": model.name,
           "model_class": f"{type(model).__module__}.{type(model).__qualname__}",
           "fixed_parameters": to_jsonable({k: v for k, v in model.params.items() if k not in plan.names}),
           "kind": plan.kind, "parameters": list(plan.names), "n_points": plan.n_points,
           "chunk_size": plan.chunk_size, "n_chunks": plan.n_chunks,
           "outputs": [c.output for c in layout],
           "columns": list(plan.names) + [n for c in layout for n in c.names]}
    if plan.kind == "grid":
        doc["shape"] = list(plan.shape)
        doc["grid"] = {n: _axis_record(v) for n, v in zip(plan.names, plan.values, strict=False)}
    else:
        doc.update(method=plan.method, seed=plan.seed,
                   bounds={n: [float(lo), float(hi)]
                           for n, lo, hi in zip(plan.names, plan.low, plan.high, strict=True)})
    return doc


def _axis_record(values: np.ndarray) -> dict:
    """A grid axis in the manifest: its values when short, always its size and digest."""
    import hashlib

    values = np.ascontiguousarray(values)
    rec = {"n": int(values.size), "dtype": str(values.dtype),
           "sha256": hashlib.sha256(values.tobytes()).hexdigest()}
    if values.size <= _AXIS_LIST_LIMIT:
        rec["values"] = values.tolist()
    return rec


def _same_definition(a: dict, b: dict) -> list:
    """Keys on which two manifests disagree (ignoring version and completion)."""
    keys = (set(a) | set(b)) - set(_VOLATILE)
    return sorted(k for k in keys if a.get(k) != b.get(k))


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


# -- reading --------------------------------------------------------------------------------
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
