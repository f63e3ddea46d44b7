"""Reading a sweep from disk: :class:`SweepDataset`, :func:`open_sweep`, :func:`sweep_to_dataarrays`.

A dataset is read only when it is whole: every chunk of the manifest has a file that
matches its record (size, and when read its CRC-32 checksum and identity).  An unfinished
sweep raises :class:`~.errors.IncompleteSweepError`, saying how many chunks are missing and
how to resume, unless the caller asks for what is there (``partial=True``, with an
:class:`~.errors.IncompleteSweepWarning`); a chunk that fails its checks raises
:class:`~.errors.CorruptChunkError` (skipped, and named in the warning, with ``partial=True``).
"""
from __future__ import annotations

import os
import warnings
import zlib
from collections.abc import Sequence

import numpy as np

from .errors import CorruptChunkError, IncompleteSweepError, IncompleteSweepWarning, SweepError, SweepManifestError
from .layout import _as_frame
from .store import _FORMAT, _IDENTITY, MANIFEST, _check_identity, _read_manifest, _records, chunk_file

__all__ = ["SweepDataset", "open_sweep", "sweep_to_dataarrays"]


class SweepDataset:
    """Handle on a sweep written to disk (a directory of Parquet files and a manifest).

    Nothing is read until asked: :meth:`to_pandas` reads the table (optionally some
    columns), :meth:`to_arrow` a :class:`pyarrow.Table`, :meth:`dataset` opens it as a
    :mod:`pyarrow.dataset` for out-of-core queries.  Each refuses an unfinished sweep
    unless ``partial=True``, and checks every chunk it reads against the manifest's record
    (``verify=False`` checks sizes only).  ``os.fspath(handle)`` is the directory, so
    ``pandas.read_parquet(handle)`` works too, but without these checks.

    Attributes
    ----------
    path : str
    manifest : dict
        The sweep's definition and, once complete, its chunks' records.
    resumed : ResumeReport or None
        Set on the handle :func:`~.run.sweep` returns for ``resume=True``: the chunks it
        skipped, recomputed (and why) and computed.

    Raises
    ------
    FileNotFoundError
        ``path`` holds no manifest.
    SweepManifestError
        The manifest is not a sweep's manifest.
    """

    def __init__(self, path):
        self.path = os.fspath(path)
        manifest = os.path.join(self.path, MANIFEST)
        if not os.path.exists(manifest):
            raise FileNotFoundError(f"{self.path!r} is not a sweep: no {MANIFEST}")
        self.manifest = _read_manifest(manifest)
        self.resumed = None

    def __fspath__(self) -> str:
        return self.path

    def __len__(self) -> int:
        return int(self.manifest["n_points"])

    @property
    def n_chunks(self) -> int:
        return int(self.manifest["n_chunks"])

    def _state(self) -> tuple:
        """(chunk -> record of the chunks present at their recorded size, chunk -> why the others are not)."""
        m = self.manifest
        if m["complete"] is False:  # a running sweep's records are in its journal: read afresh
            self.manifest = m = _read_manifest(os.path.join(self.path, MANIFEST))
        records = _records(self.path, m) if m["format"] == _FORMAT else {}
        ok, bad = {}, {}
        for k in range(self.n_chunks):
            path = os.path.join(self.path, chunk_file(k, self.n_chunks))
            try:
                size = os.path.getsize(path)
            except OSError:
                bad[k] = "missing"
                continue
            rec = records.get(k)
            if m["format"] != _FORMAT:  # format 1 recorded nothing: the file is all there is
                ok[k] = None
            elif rec is None:
                bad[k] = "not recorded yet"
            elif size != rec["bytes"]:
                bad[k] = f"{size} bytes where {rec['bytes']} were recorded"
            else:
                ok[k] = rec
        return ok, bad

    @property
    def complete(self) -> bool:
        """Every chunk has been written and recorded, and has its recorded size."""
        return not self._state()[1]

    def missing(self) -> list:
        """The chunks not written (or not matching their record's size), in order."""
        return sorted(self._state()[1])

    def files(self) -> list:
        """The files of the chunks written and recorded, in chunk order (stray files never)."""
        ok, _ = self._state()
        return [os.path.join(self.path, chunk_file(k, self.n_chunks)) for k in sorted(ok)]

    def _usable(self, partial: bool, verify: bool) -> dict:
        """The chunks to read, after refusing (or warning about) an unfinished sweep."""
        if verify and self.manifest["format"] != _FORMAT:
            raise SweepManifestError(f"sweep {self.path!r} was written by an older version (manifest format "
                                     f"{self.manifest['format']}) that recorded no checksums; read it with "
                                     "verify=False, or run the sweep again")
        ok, bad = self._state()
        if bad:
            msg = self._missing_message(bad)
            if not partial:
                raise IncompleteSweepError(f"{msg}; finish it with sweep(..., out={self.path!r}, resume=True) "
                                           "(on the command line: the same sweep command with --resume), or read "
                                           "what is there with partial=True", self.path, sorted(bad), self.n_chunks)
            warnings.warn(f"reading part of a sweep: {msg}", IncompleteSweepWarning, stacklevel=3)
        return ok

    def _missing_message(self, bad: dict) -> str:
        m = self.manifest
        absent = sum(min((k + 1) * m["chunk_size"], m["n_points"]) - k * m["chunk_size"] for k in bad)
        listed = ", ".join(str(k) if why == "missing" else f"{k} ({why})" for k, why in sorted(bad.items())[:5])
        more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
        return (f"sweep {self.path!r} is incomplete: {len(bad)} of {self.n_chunks} chunks missing "
                f"(chunks {listed}{more}; {absent} of {m['n_points']} points)")

    def _read(self, k: int, record, columns, verify: bool):
        """Chunk ``k`` as a table, checked against its record (checksum and identity)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        path = os.path.join(self.path, chunk_file(k, self.n_chunks))
        with open(path, "rb") as fh:  # read once: checksummed, then decoded from memory
            data = fh.read()
        if verify:
            crc = f"{zlib.crc32(data):08x}"
            if crc != record["crc32"]:
                return None, f"checksum (CRC-32) {crc} where {record['crc32']} was recorded"
        try:
            table = pq.read_table(pa.BufferReader(pa.py_buffer(data)), columns=columns)
        except Exception as exc:  # noqa: BLE001 - any failure to parse is a damaged chunk
            return None, f"not a readable Parquet file ({type(exc).__name__})"
        meta = dict(table.schema.metadata or {})
        if verify:
            why = _check_identity(meta, table.num_rows, self.manifest, k)
            if why:
                return None, why
        meta.pop(_IDENTITY, None)  # per-chunk metadata: drop it so that the chunks concatenate
        return table.replace_schema_metadata(meta), None

    def to_arrow(self, columns: Sequence[str] | None = None, *, partial: bool = False, verify: bool = True):
        """The table as a :class:`pyarrow.Table`, chunks in point order.

        Parameters
        ----------
        columns : sequence of str, optional
            Read only these columns (and the ``point`` index).
        partial : bool
            Read the chunks that are there from an unfinished sweep (warning
            :class:`IncompleteSweepWarning`) instead of raising :class:`IncompleteSweepError`;
            damaged chunks are then skipped and named in a warning too.
        verify : bool
            Check each chunk's CRC-32 and identity against the manifest (a pass over the
            bytes, cheap next to decoding); sizes are checked always.

        Raises
        ------
        IncompleteSweepError
            Chunks missing, without ``partial``.
        CorruptChunkError
            A chunk that does not match its record, without ``partial``.
        """
        import pyarrow as pa

        cols = None if columns is None else ["point"] + [c for c in columns if c != "point"]
        tables, damaged = [], {}
        for k, record in sorted(self._usable(partial, verify).items()):
            table, why = self._read(k, record, cols, verify)
            if why is None:
                tables.append(table)
                continue
            name = chunk_file(k, self.n_chunks)
            if not partial:
                raise CorruptChunkError(f"sweep {self.path!r}: {name} is damaged ({why}); run the sweep again "
                                        "with resume=True (--resume) to recompute it",
                                        os.path.join(self.path, name), why)
            damaged[k] = why
        if damaged:
            warnings.warn(f"reading part of a sweep: skipped damaged chunks {self._missing_message(damaged)}",
                          IncompleteSweepWarning, stacklevel=2)
        if not tables:
            raise IncompleteSweepError(f"sweep {self.path!r} has no chunk written yet", self.path,
                                       list(range(self.n_chunks)), self.n_chunks)
        return pa.concat_tables(tables, promote_options="default")

    def to_pandas(self, columns: Sequence[str] | None = None, *, partial: bool = False, verify: bool = True):
        """The table (rows in point order) as a DataFrame indexed by ``point``; see :meth:`to_arrow`."""
        df = self.to_arrow(columns, partial=partial, verify=verify).to_pandas()
        if "point" in df.columns:
            df = df.set_index("point")
        return _as_frame(df, self.manifest)

    def dataset(self, *, partial: bool = False, verify: bool = True):
        """The chunk files as a :class:`pyarrow.dataset.Dataset`, for out-of-core queries.

        The same checks as :meth:`to_arrow`, made here, before any query (``verify``
        reads every file once).
        """
        import pyarrow.dataset as ds

        usable = self._usable(partial, verify)
        if verify:
            for k, record in usable.items():
                path = os.path.join(self.path, chunk_file(k, self.n_chunks))
                table, why = self._read(k, record, ["point"], True)
                if why is not None:
                    raise CorruptChunkError(f"sweep {self.path!r}: {os.path.basename(path)} is damaged ({why}); "
                                            "run the sweep again with resume=True (--resume) to recompute it",
                                            path, why)
        return ds.dataset([os.path.join(self.path, chunk_file(k, self.n_chunks)) for k in sorted(usable)],
                          format="parquet")

    def to_xarray(self):
        """See :meth:`SweepFrame.to_xarray` (needs ``xarray``)."""
        return self.to_pandas().to_xarray()

    def __repr__(self) -> str:
        m = self.manifest
        ok, _ = self._state()
        return (f"SweepDataset({self.path!r}: {m['model']}, {m['n_points']} points, "
                f"{len(ok)} of {m['n_chunks']} chunks written)")


def open_sweep(path) -> SweepDataset:
    """Open a sweep written with ``sweep(..., out=path)`` (see :class:`SweepDataset`)."""
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
        raise SweepError("sweep_to_dataarrays needs the table of a grid sweep")
    names = definition["parameters"]
    shape = tuple(definition["shape"])
    if len(table) != int(np.prod(shape)) or not np.array_equal(np.asarray(table.index), np.arange(len(table))):
        raise SweepError("sweep_to_dataarrays needs every point of the grid, in point order")
    strides = [int(np.prod(shape[j + 1:])) for j in range(len(shape))]
    coords = {n: np.asarray(table[n])[np.arange(shape[j]) * strides[j]] for j, n in enumerate(names)}
    arrays = {c: np.asarray(table[c]).reshape(shape) for c in table.columns if c not in names}
    return coords, arrays
