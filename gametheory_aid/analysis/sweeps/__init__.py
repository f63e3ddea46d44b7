"""Parameter sweeps of any model, at any scale, in chunks of bounded memory.

A sweep solves a model at many parameter points and returns a tidy table: one row per
point, the swept axes' columns first, then the outputs.  The points are either

* a **full factorial grid** :math:`G = V_1 \\times \\dots \\times V_d` of given value
  vectors (rows in C order: the last axis varies fastest), or
* **N sampled points** in the box :math:`\\prod_j [l_j, h_j]` drawn by independent
  uniform sampling, Latin hypercube sampling (McKay, Beckman & Conover 1979) or a
  scrambled Sobol' sequence (Sobol' 1967; Owen scrambling), the last two through
  :mod:`scipy.stats.qmc`.

Chunk :math:`k` (points ``k*chunk_size`` up to ``(k+1)*chunk_size``) is generated from its
index alone, so a grid of :math:`10^8` points never exists in memory, and sampled points do
not depend on the chunk size (:mod:`.designs`).  Each chunk is solved by one vectorised
call of the model (one call per value of an integer parameter such as ``rounds``, which
models accept only as scalars; :mod:`.chunks`).

Axes and vector parameters
--------------------------
An axis is a parameter name or one element of a vector parameter (``Parameter(...,
vector=True)``, one value per target), spelt ``name[i]`` with a 0-based index:
``grid={"weight[0]": [1, 2, 4]}`` or ``bounds={"weight[2]": (0, 1)}``.  The other elements
keep the fixed vector, given whole by the model instance or ``fixed={"weight": [1, 2, 3]}``.
An unknown axis, a whole vector as an axis and an index outside ``0 .. n - 1`` are each a
:class:`~gametheory_aid.core.params.ParameterError` naming the axis.

Tidy-table rule for outputs
---------------------------
By default a sweep records every output of kind ``"real"``, ``"int"``, ``"bool"`` and
``"regime"`` that has one value per point, or one per element of the model's vector
parameters (trailing axes of length n: ``(n,)`` or ``(n, n)``).  Outputs of kind
``"object"`` and outputs with other trailing dimensions (such as a ``plan`` of shape
``(..., rounds)``) are skipped unless named in ``outputs``.  An output with trailing
dimensions becomes one column per trailing index, ``plan[0]``, ``plan[1]``, ...
(``name[i,j]`` for two dimensions), and its width must be the same at every point of the
sweep.  Categorical outputs (``Output(..., categories=labels)``) stay the model's integer
codes: pandas categoricals in memory, dictionary-encoded columns on disk; a model that
returns labels gets categorical columns too.  Object values are stored as strings
(``None`` stays missing).

Streaming to disk
-----------------
With ``out=PATH`` the chunks are written as a Parquet dataset: ``PATH/part-NNNNNN.parquet``,
one file per chunk, each written to a hidden temporary name and moved into place with
:func:`os.replace`, plus ``PATH/_manifest.json``, the sweep's definition and the record of
every chunk -- its first and last point, rows, size and CRC-32 checksum -- kept in a journal
(``PATH/_chunks.jsonl``) while the sweep runs (:mod:`.store`).  ``compression=`` picks the
Parquet codec (Snappy by default, ``"none"`` fastest).  ``resume=True`` checks that the
manifest matches, verifies every chunk file present against its record and its embedded
identity, recomputes (and names, :class:`ResumeWarning`) those that fail, and finishes the
sweep; the result equals an uninterrupted run's.  An interrupt (``KeyboardInterrupt``)
keeps every chunk already written.  With the local backend, background threads write
finished chunks while the next one is solved (up to three chunks in memory); without
``out`` the in-memory table is allocated once, at its full size, and filled chunk by chunk
(:mod:`.backends`, :mod:`.layout`).

Reading (:mod:`.dataset`): :func:`open_sweep` gives a :class:`SweepDataset`, whose
``to_pandas`` refuses an unfinished sweep (:class:`IncompleteSweepError`, saying how many
chunks are missing and how to resume) unless asked for ``partial=True``, and checks each
chunk's checksum as it reads it (:class:`CorruptChunkError`).

Sizes: a sweep has at most :data:`MAX_CHUNKS` chunks (refused before anything is solved or
written); a Sobol' design needs a power-of-two number of points, as Sobol' indices do.
The in-memory table is a :class:`~.frame.SweepFrame`, an ordinary (picklable) DataFrame
subclass.

Modules: :mod:`.designs` (points), :mod:`.layout` (columns and the in-memory table),
:mod:`.frame` (the table's type), :mod:`.chunks` (solving a chunk), :mod:`.store` (Parquet,
the manifest and resuming), :mod:`.dataset` (reading), :mod:`.backends` (local and Dask
execution), :mod:`.run` (:func:`sweep`, :func:`evaluate_points`), :mod:`.errors`.  pandas,
pyarrow, scipy, tqdm and dask are imported only when a sweep runs.
"""
from .backends import BACKENDS
from .dataset import SweepDataset, open_sweep, sweep_to_dataarrays
from .designs import (
    LATIN_MAX_BYTES,
    MAX_CHUNKS,
    METHODS,
    _axis_spec,
    _bound,
    _check_chunks,
    _check_name,
    _check_sobol_size,
    _Plan,
    _split_axis,
    _validated,
)
from .errors import (
    CorruptChunkError,
    IncompleteSweepError,
    IncompleteSweepWarning,
    ResumeWarning,
    SchedulerUnreachableError,
    SweepError,
    SweepManifestError,
)
from .layout import _Column, _column_names, _layout
from .run import DEFAULT_CHUNK_SIZE, DEFAULT_SCHEDULER_TIMEOUT, evaluate_points, resolve_model, sweep
from .store import COMPRESSIONS, JOURNAL, MANIFEST, ResumeReport

__all__ = ["sweep", "evaluate_points", "open_sweep", "SweepDataset", "SweepFrame", "sweep_to_dataarrays",
           "resolve_model", "ResumeReport", "DEFAULT_CHUNK_SIZE", "DEFAULT_SCHEDULER_TIMEOUT", "MANIFEST",
           "JOURNAL", "METHODS", "BACKENDS", "COMPRESSIONS", "MAX_CHUNKS", "LATIN_MAX_BYTES", "SweepError",
           "IncompleteSweepError", "CorruptChunkError", "SweepManifestError", "SchedulerUnreachableError",
           "IncompleteSweepWarning", "ResumeWarning"]


def __getattr__(name: str):
    if name == "SweepFrame":  # imports pandas: only when asked for
        from .frame import SweepFrame
        return SweepFrame
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
