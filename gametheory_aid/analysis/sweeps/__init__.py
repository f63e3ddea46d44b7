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
one file per chunk, each written to a temporary name and moved into place with
:func:`os.replace` (so a file that exists is complete), plus ``PATH/_manifest.json``, the
sweep's definition (:mod:`.store`).  ``resume=True`` checks that the manifest matches, skips
the chunks whose file exists, and finishes the sweep; the result equals an uninterrupted
run's.  With the local backend, background threads write finished chunks while the next one
is solved (up to three chunks in memory); without ``out`` the in-memory table is allocated
once, at its full size, and filled chunk by chunk (:mod:`.backends`, :mod:`.layout`).

Modules: :mod:`.designs` (points), :mod:`.layout` (columns and the in-memory table),
:mod:`.chunks` (solving a chunk), :mod:`.store` (Parquet and the manifest),
:mod:`.backends` (local and Dask execution), :mod:`.run` (:func:`sweep`,
:func:`evaluate_points`).  pandas, pyarrow, scipy, tqdm and dask are imported only when
a sweep runs.
"""
from .backends import BACKENDS
from .designs import METHODS, _axis_spec, _bound, _check_name, _Plan, _split_axis, _validated
from .layout import _Column, _column_names, _layout
from .run import DEFAULT_CHUNK_SIZE, evaluate_points, resolve_model, sweep
from .store import MANIFEST, SweepDataset, open_sweep, sweep_to_dataarrays

__all__ = ["sweep", "evaluate_points", "open_sweep", "SweepDataset", "sweep_to_dataarrays",
           "resolve_model", "DEFAULT_CHUNK_SIZE", "MANIFEST", "METHODS", "BACKENDS"]
