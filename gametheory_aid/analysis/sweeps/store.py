"""A sweep on disk: Parquet chunk files, the JSON manifest with a record of every chunk.

``sweep(..., out=PATH)`` writes

* ``PATH/part-NNNNNN.parquet``, one file per chunk, each to a hidden temporary name moved
  into place with :func:`os.replace`; each file carries its identity in its Parquet
  metadata (the sweep's definition digest, the chunk number and its first and last point);
* ``PATH/_manifest.json``, the sweep's definition (:func:`_definition`) and, once the sweep
  is complete, the **record** of every chunk: its file, first and last point index, rows,
  size in bytes and CRC-32 checksum;
* ``PATH/_chunks.jsonl`` while the sweep runs: the manifest's journal, one record appended
  (and flushed) per chunk as it is written; it is folded into the manifest at the end, or
  when the sweep is resumed.

So a chunk counts as done only when its file matches its record: resuming
(:class:`_Store`) verifies every file present -- size, checksum, and identity -- and
recomputes, naming it, any that is truncated, zero-length, corrupted, copied from another
sweep or not recorded; files named like chunks that belong to no chunk of the sweep are
moved aside (hidden, ``.stray-part-...``).  Reading (:mod:`.dataset`) checks the same.

A chunk goes from its column arrays straight to Arrow (:func:`_arrow_table`): categorical
columns become dictionary-encoded columns built from their codes and categories.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .designs import MAX_CHUNKS
from .errors import ResumeWarning, SweepError, SweepManifestError
from .layout import _frame

MANIFEST = "_manifest.json"
JOURNAL = "_chunks.jsonl"
COMPRESSIONS = ("snappy", "zstd", "lz4", "gzip", "brotli", "none")
_FORMAT = 2
_AXIS_LIST_LIMIT = 10_000
_VOLATILE = ("package_version", "complete", "chunks", "digest")
_IDENTITY = b"gametheory_aid.sweep"  # key of a chunk's identity in its Parquet metadata
_MANIFEST_MAX_BYTES = 256 << 20  # ~1 kB per record at most: far above MAX_CHUNKS records
_CHUNK_NAME = re.compile(r"^part-(\d+)\.parquet$")
_RECORD_KEYS = ("chunk", "file", "first_point", "last_point", "rows", "bytes", "crc32")


# -- writing ------------------------------------------------------------------------------
def _arrow_table(data: dict, index: np.ndarray, identity: dict | None = None):
    """The chunk as a :class:`pyarrow.Table`, built from the column arrays directly.

    The result is what ``pa.Table.from_pandas(frame, preserve_index=True)`` gives for the
    chunk's DataFrame (the same columns, types and pandas metadata, so that pandas reads
    the ``point`` index and the categorical columns back), with dictionary indices widened
    to int32 so that every file has the same schema.  Only a one-row DataFrame is built,
    for the metadata; the columns themselves go straight from numpy to Arrow, a
    categorical as ``DictionaryArray.from_arrays(codes, categories)``.  ``identity`` (the
    chunk's sweep digest, number and point range) is added to the schema's metadata.
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
    metadata = dict(head.schema.metadata or {})
    if identity is not None:
        metadata[_IDENTITY] = json.dumps(identity, sort_keys=True).encode()
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields, metadata=metadata))


def _write_parquet(data: dict, index: np.ndarray, path: str, parameters: Sequence[str] = (),
                   compression: str = "snappy", identity: dict | None = None) -> dict:
    """Write the chunk to ``path`` atomically (a hidden temporary file, then :func:`os.replace`).

    Returns the file's size and CRC-32 (``{"bytes": ..., "crc32": ...}``), computed from the
    written file while it is still in the page cache.  One row group per file,
    ``compression`` (Snappy by default; ``"none"`` writes fastest, ``"zstd"`` smallest).
    Dictionary encoding only for the categorical and string columns: trying it on every
    float column costs more than solving the chunk.  Min/max statistics only for the
    ``point`` index and the swept ``parameters`` (the columns a dataset query filters row
    groups on); computing them for every output costs about a tenth of the write.  Values
    are handed to the encoder in batches of 64 Ki rows rather than 1 Ki (fewer calls, same
    file contents).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder, base = os.path.split(path)
    tmp = os.path.join(folder, f".{base}.{os.getpid()}.{threading.get_ident()}.tmp")
    table = _arrow_table(data, index, identity)
    encode = [f.name for f in table.schema if pa.types.is_dictionary(f.type) or pa.types.is_string(f.type)
              or pa.types.is_large_string(f.type)]
    stats = [n for n in table.column_names if n == "point" or n in parameters]
    pq.write_table(table, tmp, use_dictionary=encode, write_statistics=stats, compression=compression,
                   row_group_size=max(1, len(table)), write_batch_size=1 << 16)
    record = {"bytes": os.path.getsize(tmp), "crc32": _crc32_file(tmp)}
    os.replace(tmp, path)
    return record


def _crc32_file(path: str) -> str:
    """The CRC-32 of a file, as 8 hexadecimal digits (read in blocks; zlib releases the GIL)."""
    crc = 0
    block = bytearray(8 << 20)
    view = memoryview(block)
    with open(path, "rb", buffering=0) as fh:
        while True:
            n = fh.readinto(block)
            if not n:
                break
            crc = zlib.crc32(view[:n], crc)
    return f"{crc:08x}"


def _write_json(path: str, doc: dict) -> None:
    """Write ``doc`` atomically: a hidden temporary file (ignored and cleaned up), then a rename."""
    folder, base = os.path.split(path)
    tmp = os.path.join(folder, f".{base}.{os.getpid()}.{threading.get_ident()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, indent=2, sort_keys=True)
        fh.write("\n")
    os.replace(tmp, path)


def _remove_temporaries(out: str) -> None:
    """Temporary files of an interrupted run: chunks and manifests being written."""
    for f in os.listdir(out):
        hidden_tmp = f.startswith((".part-", f".{MANIFEST}.")) and f.endswith(".tmp")
        if hidden_tmp or (f.startswith(f"{MANIFEST}.") and f.endswith(".tmp")):  # the latter: format 1
            try:
                os.remove(os.path.join(out, f))
            except FileNotFoundError:  # pragma: no cover - removed meanwhile
                pass


# -- the sweep's definition -----------------------------------------------------------------
def _definition(model, plan, layout: tuple, compression: str = "snappy") -> dict:
    from ... import __version__
    from ...core.results import to_jsonable

    doc = {"format": _FORMAT, "package_version": __version__, "model": model.name,
           "model_class": f"{type(model).__module__}.{type(model).__qualname__}",
           "fixed_parameters": to_jsonable({k: v for k, v in model.params.items() if k not in plan.names}),
           "kind": plan.kind, "parameters": list(plan.names), "n_points": plan.n_points,
           "chunk_size": plan.chunk_size, "n_chunks": plan.n_chunks,
           "outputs": [c.output for c in layout],
           "columns": list(plan.names) + [n for c in layout for n in c.names],
           "compression": compression}
    if plan.kind == "grid":
        doc["shape"] = list(plan.shape)
        doc["grid"] = {n: _axis_record(v) for n, v in zip(plan.names, plan.values, strict=False)}
    else:
        doc.update(method=plan.method, seed=plan.seed,
                   bounds={n: [float(lo), float(hi)]
                           for n, lo, hi in zip(plan.names, plan.low, plan.high, strict=True)})
    doc["digest"] = _digest(doc)
    return doc


def _digest(definition: dict) -> str:
    """SHA-256 of the definition (without the version, completion and records): the sweep's identity."""
    core = {k: v for k, v in definition.items() if k not in _VOLATILE}
    return hashlib.sha256(json.dumps(core, sort_keys=True).encode()).hexdigest()


def _axis_record(values: np.ndarray) -> dict:
    """A grid axis in the manifest: its values when short, always its size and digest."""
    values = np.ascontiguousarray(values)
    rec = {"n": int(values.size), "dtype": str(values.dtype),
           "sha256": hashlib.sha256(values.tobytes()).hexdigest()}
    if values.size <= _AXIS_LIST_LIMIT:
        rec["values"] = values.tolist()
    return rec


def _same_definition(a: dict, b: dict) -> list:
    """Keys on which two manifests disagree (ignoring version, completion and records)."""
    keys = (set(a) | set(b)) - set(_VOLATILE)
    return sorted(k for k in keys if a.get(k) != b.get(k))


# -- the manifest and the chunks' records ------------------------------------------------------
def _width(n_chunks: int) -> int:
    return max(6, len(str(n_chunks - 1)))


def chunk_file(k: int, n_chunks: int) -> str:
    """The file name of chunk ``k`` of a sweep of ``n_chunks`` chunks."""
    return f"part-{k:0{_width(n_chunks)}d}.parquet"


def _span(manifest: dict, k: int) -> tuple:
    """First and last point (inclusive) of chunk ``k``."""
    first = k * manifest["chunk_size"]
    return first, min(first + manifest["chunk_size"], manifest["n_points"]) - 1


def _is_int(x) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _bad(path: str, what: str) -> SweepManifestError:
    return SweepManifestError(f"{path!r} is not a sweep manifest: {what}")


def _read_manifest(path: str) -> dict:
    """The manifest at ``path``, checked field by field.

    Raises
    ------
    FileNotFoundError
        No manifest.
    SweepManifestError
        Not UTF-8 JSON, not an object, a field missing or of the wrong type, sizes that
        disagree (``n_chunks`` against ``n_points`` and ``chunk_size``), more than
        :data:`~.designs.MAX_CHUNKS` chunks, or a malformed chunk record.
    """
    if os.path.getsize(path) > _MANIFEST_MAX_BYTES:
        raise _bad(path, f"larger than {_MANIFEST_MAX_BYTES >> 20} MiB")
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise _bad(path, f"not valid JSON ({type(exc).__name__}: {str(exc).splitlines()[0][:120]})") from None
    if not isinstance(doc, dict):
        raise _bad(path, f"expected a JSON object, got {type(doc).__name__}")
    fmt = doc.get("format")
    if fmt not in (1, _FORMAT) or not _is_int(fmt):
        raise _bad(path, f"format {fmt!r} is not 1 or {_FORMAT}")
    for key, ok, what in (("model", lambda v: isinstance(v, str), "a string"),
                          ("kind", lambda v: v in ("grid", "samples"), "'grid' or 'samples'"),
                          ("parameters", _str_list, "a list of strings"),
                          ("columns", _str_list, "a list of strings"),
                          ("n_points", lambda v: _is_int(v) and v >= 1, "a positive integer"),
                          ("chunk_size", lambda v: _is_int(v) and v >= 1, "a positive integer"),
                          ("n_chunks", lambda v: _is_int(v) and 1 <= v <= MAX_CHUNKS,
                           f"an integer from 1 to {MAX_CHUNKS}"),
                          ("complete", lambda v: isinstance(v, bool), "true or false")):
        if key not in doc:
            raise _bad(path, f"no {key!r}")
        if not ok(doc[key]):
            raise _bad(path, f"{key!r} is {doc[key]!r}, expected {what}")
    if doc["n_chunks"] != -(-doc["n_points"] // doc["chunk_size"]):
        raise _bad(path, f"n_chunks {doc['n_chunks']} is not n_points {doc['n_points']} in chunks of "
                         f"{doc['chunk_size']}")
    if fmt == _FORMAT:
        digest = doc.get("digest")
        if not (isinstance(digest, str) and re.fullmatch(r"[0-9a-f]{64}", digest)):
            raise _bad(path, f"'digest' is {digest!r}, expected 64 hexadecimal digits")
        chunks = doc.get("chunks", [])
        if not isinstance(chunks, list):
            raise _bad(path, f"'chunks' is a {type(chunks).__name__}, expected a list of records")
        for rec in chunks:
            problem = _record_problem(rec, doc)
            if problem:
                raise _bad(path, f"chunk record {str(rec)[:80]}: {problem}")
        if doc["complete"] and len({r["chunk"] for r in chunks}) != doc["n_chunks"]:
            raise _bad(path, f"complete, but it records {len(chunks)} of {doc['n_chunks']} chunks")
    return doc


def _str_list(v) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


def _record_problem(rec, manifest: dict) -> str | None:
    """Why ``rec`` is not a valid record of a chunk of this sweep (None if it is)."""
    if not isinstance(rec, dict):
        return "not an object"
    for key in _RECORD_KEYS:
        if key not in rec:
            return f"no {key!r}"
    k = rec["chunk"]
    if not _is_int(k) or not 0 <= k < manifest["n_chunks"]:
        return f"chunk {k!r} is not in 0 .. {manifest['n_chunks'] - 1}"
    first, last = _span(manifest, k)
    expected = {"file": chunk_file(k, manifest["n_chunks"]), "first_point": first, "last_point": last,
                "rows": last - first + 1}
    for key, value in expected.items():
        if rec[key] != value or (key != "file" and not _is_int(rec[key])):
            return f"{key} {rec[key]!r}, expected {value!r}"
    if not _is_int(rec["bytes"]) or rec["bytes"] < 1:
        return f"bytes {rec['bytes']!r} is not a positive integer"
    if not (isinstance(rec["crc32"], str) and re.fullmatch(r"[0-9a-f]{8}", rec["crc32"])):
        return f"crc32 {rec['crc32']!r} is not 8 hexadecimal digits"
    return None


def _read_journal(folder: str, manifest: dict) -> dict:
    """Chunk -> record from the journal; lines cut by a kill, malformed or of another sweep are skipped."""
    out: dict = {}
    if "digest" not in manifest:  # format 1 kept no journal
        return out
    path = os.path.join(folder, JOURNAL)
    try:
        fh = open(path, "rb")
    except FileNotFoundError:
        return out
    with fh:
        for _ in range(4 * MAX_CHUNKS):  # a bound on hostile files; a run appends one line per chunk
            line = fh.readline(4096)
            if not line:
                break
            try:
                rec = json.loads(line)
            except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
                continue
            if isinstance(rec, dict) and rec.get("sweep") == manifest.get("digest") \
                    and _record_problem(rec, manifest) is None:
                out[rec["chunk"]] = {k: rec[k] for k in _RECORD_KEYS}
    return out


def _records(folder: str, manifest: dict) -> dict:
    """Chunk -> record: the manifest's, updated by the journal's while the sweep is unfinished."""
    records = {r["chunk"]: r for r in manifest.get("chunks", [])}
    if not manifest["complete"]:
        records.update(_read_journal(folder, manifest))
    return records


def _identity(manifest: dict, k: int) -> dict:
    first, last = _span(manifest, k)
    return {"sweep": manifest["digest"], "chunk": k, "first_point": first, "last_point": last}


def _check_identity(metadata, num_rows: int, manifest: dict, k: int) -> str | None:
    """Why a file's Parquet metadata does not make it chunk ``k`` of this sweep (None if it does)."""
    raw = (metadata or {}).get(_IDENTITY)
    if raw is None:
        return "carries no sweep identity (not written by this package's sweep)"
    try:
        found = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return "carries a malformed sweep identity"
    want = _identity(manifest, k)
    if not isinstance(found, dict) or found.get("sweep") != want["sweep"]:
        return "written by another sweep (its definition digest differs)"
    if found != want:
        return (f"holds chunk {found.get('chunk')!r} (points {found.get('first_point')!r}.."
                f"{found.get('last_point')!r}), not chunk {k} (points {want['first_point']}..{want['last_point']})")
    rows = want["last_point"] - want["first_point"] + 1
    if num_rows != rows:
        return f"has {num_rows} rows, chunk {k} has {rows}"
    return None


def _verify(path: str, record: dict | None, manifest: dict, k: int) -> str | None:
    """Why the file at ``path`` is not the recorded chunk ``k`` (None if it is): size, checksum, identity."""
    size = os.path.getsize(path)
    if size == 0:
        return "zero-length file"
    if record is None:
        return "not recorded in the manifest (written after the last record of an interrupted run, or copied in)"
    if size != record["bytes"]:
        return f"{size} bytes where {record['bytes']} were recorded (truncated or replaced)"
    crc = _crc32_file(path)
    if crc != record["crc32"]:
        return f"checksum (CRC-32) {crc} where {record['crc32']} was recorded (corrupted or replaced)"
    import pyarrow.parquet as pq
    try:
        meta = pq.read_metadata(path)
    except Exception as exc:  # noqa: BLE001 - any failure to parse means "not this chunk"
        return f"not a readable Parquet file ({type(exc).__name__})"
    return _check_identity(meta.metadata, meta.num_rows, manifest, k)


# -- the output directory ----------------------------------------------------------------------
@dataclass
class ResumeReport:
    """What a resumed sweep found on disk.

    Attributes
    ----------
    n_chunks : int
    kept : list of int
        Chunks whose file matched its record (size, checksum, identity): skipped.
    recomputed : dict
        Chunk -> why its file was not trusted (it was removed and the chunk computed again).
    missing : list of int
        Chunks with no file: computed.
    strays : list of str
        Files named like chunks that belong to no chunk of the sweep, moved aside (``.stray-NAME``).
    """

    n_chunks: int
    kept: list = field(default_factory=list)
    recomputed: dict = field(default_factory=dict)
    missing: list = field(default_factory=list)
    strays: list = field(default_factory=list)

    def __str__(self) -> str:
        text = (f"{len(self.kept)} of {self.n_chunks} chunks verified and skipped, "
                f"{len(self.recomputed) + len(self.missing)} computed ({len(self.recomputed)} recomputed, "
                f"{len(self.missing)} missing)")
        if self.recomputed:
            named = [f"{chunk_file(k, self.n_chunks)}: {why}" for k, why in sorted(self.recomputed.items())[:3]]
            more = len(self.recomputed) - len(named)
            text += "; recomputed " + "; ".join(named) + (f"; and {more} more" if more > 0 else "")
        if self.strays:
            text += f"; moved aside {len(self.strays)} stray file(s): " + ", ".join(self.strays[:3])
        return text


class _Lock:
    """An exclusive advisory lock on the output directory itself, held for the run (POSIX).

    A second process on the same sweep is refused instead of racing the first (each would
    remove the other's temporary files).  Locking the directory leaves no lock file behind;
    the lock ends with the process, so a killed run never blocks the next.
    """

    def __init__(self, out: str):
        self.fd = None
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no advisory locks
            return
        fd = os.open(out, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise SweepError(f"out: another process is running the sweep in {out!r}; let it finish "
                             "or stop it first") from None
        self.fd = fd

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


class _Store:
    """The output directory of a running sweep: checks, resume verification, records, cleanup.

    Opening it creates the directory and the manifest, or (``resume``) checks the manifest's
    definition and verifies every chunk file present against its record.  :meth:`add` records
    a written chunk in the journal; :meth:`finish` writes the complete manifest;
    :meth:`discard` removes what a fresh sweep created when it ends before writing a chunk.
    """

    def __init__(self, out, definition: dict, resume: bool):
        self.out = os.fspath(out)
        self.definition = definition
        self.n_chunks = definition["n_chunks"]
        if os.path.exists(self.out) and not os.path.isdir(self.out):
            raise FileExistsError(f"out: {self.out!r} is a file, not a directory")
        self.created_dir = not os.path.exists(self.out)
        os.makedirs(self.out, exist_ok=True)
        self._journal = None
        self._lock = _Lock(self.out)
        self.fresh = True
        self.report: ResumeReport | None = None
        self.written = 0
        try:
            self.records = self._open(resume)
            _write_json(self.path(MANIFEST), dict(definition, complete=False,
                                                  chunks=[self.records[k] for k in sorted(self.records)]))
            self._journal = open(self.path(JOURNAL), "w", encoding="utf-8")  # folded into the manifest
        except BaseException:
            if self.fresh:
                self.discard()
            self.close()
            raise

    def path(self, name: str) -> str:
        return os.path.join(self.out, name)

    def _open(self, resume: bool) -> dict:
        manifest = self.path(MANIFEST)
        if not os.path.exists(manifest):
            _remove_temporaries(self.out)
            if os.path.exists(self.path(JOURNAL)):  # left by a run killed while it cleaned up
                os.remove(self.path(JOURNAL))
            stray = [f for f in os.listdir(self.out) if not f.startswith(".")]
            if stray:
                raise FileExistsError(f"out: {self.out!r} is not empty and holds no sweep manifest")
            if resume:
                self.report = ResumeReport(self.n_chunks, missing=list(range(self.n_chunks)))
            return {}
        self.fresh = False
        if not resume:
            raise FileExistsError(f"out: {self.out!r} already holds a sweep; pass resume=True to "
                                  "finish it, or choose another path")
        try:
            old = _read_manifest(manifest)
        except SweepManifestError as exc:
            raise SweepManifestError(f"resume: {exc}; move or delete {self.out!r} to start afresh") from None
        if old["format"] != _FORMAT:
            raise SweepError(f"resume: the sweep in {self.out!r} was written by an older version (manifest "
                             f"format {old['format']}, no chunk checksums); start it afresh in another directory")
        diff = _same_definition(old, self.definition)
        if diff:
            raise SweepError(f"resume: the sweep in {self.out!r} has a different definition "
                             f"({', '.join(diff)} differ)")
        _remove_temporaries(self.out)
        return self._verify_chunks(_records(self.out, old))

    def _verify_chunks(self, recorded: dict) -> dict:
        """Keep the chunks whose file is their record; remove the others; move strays aside."""
        report = self.report = ResumeReport(self.n_chunks)
        names = {chunk_file(k, self.n_chunks): k for k in range(self.n_chunks)}
        for f in sorted(os.listdir(self.out)):
            if _CHUNK_NAME.match(f) and f not in names:  # not a chunk of this sweep: keep it, hidden
                os.replace(self.path(f), self.path(f".stray-{f}"))
                report.strays.append(f)
        kept = {}
        for name, k in names.items():
            path = self.path(name)
            if not os.path.exists(path):
                report.missing.append(k)
                continue
            why = _verify(path, recorded.get(k), self.definition, k)
            if why is None:
                kept[k] = {key: recorded[k][key] for key in _RECORD_KEYS}
                report.kept.append(k)
            else:
                os.remove(path)  # so that no reader takes it for the chunk meanwhile
                report.recomputed[k] = why
        if report.recomputed or report.strays:
            import warnings
            warnings.warn(f"resume {self.out!r}: {report}", ResumeWarning, stacklevel=4)
        return kept

    def add(self, k: int, record: dict) -> None:
        """Record chunk ``k`` (written): one journal line, flushed."""
        self.records[k] = record
        self.written += 1
        self._journal.write(json.dumps(dict(record, sweep=self.definition["digest"]), sort_keys=True) + "\n")
        self._journal.flush()

    def finish(self) -> None:
        """Every chunk written: the complete manifest, holding every record; the journal goes."""
        missing = [k for k in range(self.n_chunks) if k not in self.records]
        if missing:  # pragma: no cover - a backend that skipped chunks would be a defect
            raise RuntimeError(f"sweep {self.out!r}: chunks {missing[:5]} were never recorded")
        _write_json(self.path(MANIFEST), dict(self.definition, complete=True,
                                              chunks=[self.records[k] for k in range(self.n_chunks)]))
        self._journal.close()
        os.remove(self.path(JOURNAL))

    def discard(self) -> None:
        """Remove what this fresh sweep created (it ended before writing any chunk)."""
        if not self.fresh or self.written:
            return
        if self._journal is not None:
            self._journal.close()
        for name in (JOURNAL, MANIFEST):
            try:
                os.remove(self.path(name))
            except FileNotFoundError:
                pass
        _remove_temporaries(self.out)
        if self.created_dir:
            try:
                os.rmdir(self.out)
            except OSError:  # pragma: no cover - someone else put a file there meanwhile
                pass

    def close(self) -> None:
        if self._journal is not None and not self._journal.closed:
            self._journal.close()
        self._lock.release()


def _chunk_record(k: int, manifest: dict, written: dict) -> dict:
    first, last = _span(manifest, k)
    return {"chunk": k, "file": chunk_file(k, manifest["n_chunks"]), "first_point": first,
            "last_point": last, "rows": last - first + 1, **written}
