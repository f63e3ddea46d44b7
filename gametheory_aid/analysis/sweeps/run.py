"""The public entry points: :func:`sweep`, :func:`evaluate_points` and :func:`resolve_model`.

They check the arguments, resolve the model and its fixed parameters, build the plan of
points (:mod:`.designs`) and the table's layout (:mod:`.layout`), prepare the output
directory (:mod:`.store`) and hand the chunks to a backend (:mod:`.backends`).
"""
from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

import numpy as np

from ..._optional import require
from ...core.params import _brief, check_names
from ...models.base import Model
from .backends import BACKENDS, _dask_client, _progress_bar, _run_dask, _run_local
from .chunks import _Runner, _solve_table
from .dataset import SweepDataset
from .designs import _axis_spec, _check_chunks, _grid_plan, _sample_plan, _split_axis, _validated
from .errors import SweepError
from .layout import _as_frame, _check_widths, _Collector, _concat, _layout
from .store import COMPRESSIONS, _definition, _Store

DEFAULT_CHUNK_SIZE = 1 << 17
DEFAULT_SCHEDULER_TIMEOUT = 10.0


# -- the model ------------------------------------------------------------------------
def resolve_model(model, fixed: Mapping | None = None) -> Model:
    """A model instance from a registry name, a :class:`Model` subclass or an instance.

    A name or a class gives the model at its default parameters; an instance keeps its
    own parameters (one point: a scalar per parameter, one vector per vector parameter),
    which become the fixed parameters of a sweep.  ``fixed`` (parameter name -> value)
    changes some of them, e.g. ``{"weight": [1, 2, 3]}`` for a whole vector.

    Raises
    ------
    UnknownNameError
        (a ``ValueError`` and a ``KeyError``) for an unknown name, suggesting the closest.
    SweepError
        (a ``ValueError``) for an object that is not a model, or parameters that hold more than one point.
    """
    if isinstance(model, str):
        from ...models import get_model
        model = get_model(model)  # an unknown name: UnknownNameError, suggesting the closest
    if isinstance(model, type) and issubclass(model, Model):
        model = model()
    if not isinstance(model, Model):
        raise SweepError(f"model must be a registry name, a Model class or instance, not {_brief(model)}")
    if fixed is not None and not isinstance(fixed, Mapping):
        raise SweepError(f"fixed: expected a mapping NAME -> value, got {_brief(fixed)}")
    if fixed:
        check_names(fixed, model.parameter_specs(), "parameter", f"model {model.name!r} (fixed)")
        model = model.with_(**fixed)
    specs = model.parameter_specs()
    for k, v in model.params.items():
        if np.ndim(v) > (1 if specs[k].vector else 0):
            what = "one vector" if specs[k].vector else "scalars"
            raise SweepError(f"model {model.name!r}: fixed parameters must be {what}; "
                             f"{k!r} is an array of shape {np.shape(v)} (sweep it instead)")
    return model


def _check_overlap(fixed: Mapping | None, axes) -> None:
    """A parameter fixed explicitly cannot be swept too (a vector's elements can)."""
    for name in axes:
        if fixed and name in fixed and _split_axis(name)[1] is None:
            raise SweepError(f"fixed: {name!r} is also swept; give it in fixed= or in the sweep, not both")


# -- the sweep --------------------------------------------------------------------------
def sweep(model, grid: Mapping | None = None, samples: int | None = None, outputs: Sequence[str] | None = None, *,
          method: str = "random", bounds: Mapping | None = None, seed: int = 0, fixed: Mapping | None = None,
          chunk_size: int = DEFAULT_CHUNK_SIZE, out=None, resume: bool = False, compression: str | None = None,
          backend: str = "local", scheduler=None, scheduler_timeout: float = DEFAULT_SCHEDULER_TIMEOUT,
          progress: bool | None = None):
    """Solve a model over a grid or a sample of parameter points.

    Parameters
    ----------
    model : str, Model subclass or Model instance
        A registry name or class (solved at the defaults of the other parameters) or an
        instance (the other parameters at the instance's values, which must be one point).
    grid : mapping, optional
        Axis name -> 1-D values; the sweep covers the full factorial product, rows in C
        order (the last axis varies fastest).  An axis is a parameter (``"transparency"``)
        or one element of a vector parameter, spelt with its 0-based index:
        ``{"weight[0]": [1, 2, 4]}`` sweeps the first element, the others keep their fixed
        values.  A whole vector is fixed, never swept (``fixed=`` or the instance).
    samples : int, optional
        Number of sampled points (instead of ``grid``), in the box ``bounds``.
    outputs : sequence of str, optional
        Outputs to record; by default every output of kind real, int, bool or regime with
        one value per point or one per element of the vector parameters (see the package
        docstring for object outputs and trailing dimensions).  An output with trailing
        axes becomes one column per element: ``allocation[0]``, ``allocation[1]``, ...,
        ``contrast[0,1]`` for an n x n output.
    method : {"random", "latin", "sobol"}
        Sampling design: independent uniform (Philox, seeded), Latin hypercube or scrambled
        Sobol' (:mod:`scipy.stats.qmc`).  A Sobol' design needs ``samples`` a power of two
        (its balance holds only then), the same rule as Sobol' indices; a Latin hypercube
        is drawn at once and may take at most 1 GiB (8 ``samples`` x axes bytes).
    bounds : mapping
        Axis name -> ``(low, high)`` for sampled sweeps (``{"weight[2]": (0, 1)}`` for an
        element of a vector parameter); integer parameters are drawn uniformly from the
        integers of ``[low, high]``.
    seed : int
        Seed of the sampling design (the same seed gives the same points).
    fixed : mapping, optional
        Parameter name -> value for the parameters that are not swept, over the model's
        own: a scalar, or the whole vector of a vector parameter (``{"weight": [1, 2, 3]}``).
    chunk_size : int
        Points solved per vectorised call (and, with ``out``, per file); memory is
        proportional to it.  A sweep has at most :data:`~.designs.MAX_CHUNKS` (100 000)
        chunks: a smaller chunk size is refused before anything is solved or written.
    out : path, optional
        Directory of a Parquet dataset to stream the chunks to.  The table is then not held
        in memory: the return value is a :class:`SweepDataset` handle.  The manifest
        records each chunk's size and CRC-32 checksum.
    resume : bool
        With ``out``: finish an interrupted sweep of the same definition.  Every chunk file
        present is verified against its record (size, checksum, identity); those that fail
        -- truncated, corrupted, copied from another sweep, unrecorded -- are computed
        again (a :class:`ResumeWarning` names them), and the handle's ``resumed`` says what
        was skipped and computed.
    compression : {"snappy", "zstd", "lz4", "gzip", "brotli", "none"}, optional
        With ``out``: the Parquet codec (default Snappy; ``"none"`` writes fastest and
        largest, ``"zstd"`` smallest); part of the definition, so a resumed sweep uses the same.
    backend : {"local", "dask"}
        Run chunks in this process, or as tasks on ``dask.distributed`` (the workers must
        see ``out``, and import the model's module).
    scheduler : str, Client or cluster, optional
        Only for ``backend="dask"``: a scheduler address, a ``distributed.Client`` or a
        cluster object; by default a new ``LocalCluster`` for the duration of the sweep.
    scheduler_timeout : float
        Seconds to wait for the scheduler at ``scheduler`` before giving up (default 10);
        the client is made before ``out`` is touched, so a failure leaves nothing.
    progress : bool, optional
        Show a tqdm progress bar; by default only when standard error is a terminal.

    Returns
    -------
    pandas.DataFrame or SweepDataset
        Without ``out``: the tidy table, a :class:`~.frame.SweepFrame` (a picklable
        DataFrame subclass) indexed by the point number ``point``, with
        ``attrs["sweep"]`` the definition and, for grids, ``to_xarray()`` (needs
        ``xarray``).  With ``out``: a handle on the dataset.  Categorical outputs are
        pandas categoricals (dictionary-encoded columns on disk).

    Raises
    ------
    ValueError
        Bad names, sizes, methods or bounds; too many chunks; a scheduler without the Dask
        backend; a resumed sweep whose definition differs (:class:`SweepError`); a
        manifest that is not one (:class:`SweepManifestError`).
    ParameterError
        A swept value outside the parameter's domain; an unknown axis, a whole vector
        parameter as an axis, or an element index outside ``0 .. n - 1`` (naming the axis).
    SchedulerUnreachableError
        No Dask scheduler answered at ``scheduler`` within ``scheduler_timeout``.
    FileExistsError
        ``out`` already holds a sweep and ``resume`` is false, or is a non-empty directory
        that holds no sweep.
    KeyboardInterrupt
        Passed on after the chunks already written are recorded (and kept): resume later.
        If the sweep was new and wrote nothing, what it created is removed, as after any
        error.
    """
    require("pandas", "sweep")
    model = resolve_model(model, fixed)
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer)) or chunk_size < 1:
        raise SweepError(f"chunk_size: expected a positive integer, got {_brief(chunk_size)}")
    if not isinstance(backend, str) or backend not in BACKENDS:
        raise SweepError(f"backend: expected one of {', '.join(BACKENDS)}, got {_brief(backend)}")
    if scheduler is not None and backend != "dask":
        raise SweepError(f"scheduler: {_brief(scheduler)} is only used with backend='dask' (the backend is "
                         f"{_brief(backend)}); pass backend='dask' too, or no scheduler")
    timeout = _timeout(scheduler_timeout)
    for flag, value in (("resume", resume), ("progress", progress)):
        if not (isinstance(value, (bool, np.bool_)) or (flag == "progress" and value is None)):
            raise SweepError(f"{flag}: expected True or False, got {_brief(value)}")
    if out is not None and not isinstance(out, (str, os.PathLike)):
        raise SweepError(f"out: expected a directory path (a string or path), got {_brief(out)}")
    if compression is not None and out is None:
        raise SweepError("compression: only for sweeps written to disk (out=PATH)")
    compression = "snappy" if compression is None else compression
    if not isinstance(compression, str) or compression not in COMPRESSIONS:
        raise SweepError(f"compression: expected one of {', '.join(COMPRESSIONS)}, got {_brief(compression)}")
    if (grid is None) == (samples is None):
        raise SweepError("sweep: give either grid=... or samples=N (with bounds=...), not both or neither")
    if grid is not None:
        if bounds is not None:
            raise SweepError("bounds: only for sampled sweeps (samples=N), not with grid")
        plan = _grid_plan(model, grid, int(chunk_size))
    else:
        plan = _sample_plan(model, samples, bounds, method, seed, int(chunk_size))
    _check_overlap(fixed, plan.names)
    if resume and out is None:
        raise SweepError("resume: needs out=PATH")
    layout = _layout(model, outputs)
    _check_widths(model, layout, plan)
    definition = _definition(model, plan, layout, compression)

    owned, client = [], None
    if backend == "dask":  # before the output directory: an unreachable scheduler leaves nothing
        client, owned = _dask_client(scheduler, timeout)
    store = None
    try:
        if out is not None:
            store = _Store(out, definition, resume)
        runner = _Runner(model, plan, layout, None if out is None else store.out, definition, compression)
        done = set(store.records) if store is not None else set()
        todo = [k for k in range(plan.n_chunks) if k not in done]
        initial = sum(plan.span(k)[1] - plan.span(k)[0] for k in done)
        results: dict = {}
        collect = store.add if store is not None else results.__setitem__
        table = _Collector(plan.n_points) if out is None and backend == "local" else None
        bar = _progress_bar(progress, plan.n_points, initial)
        try:
            if backend == "local":
                _run_local(runner, todo, bar, collect, table)
            else:
                _run_dask(runner, todo, bar, collect, client)
        finally:
            if bar is not None:
                bar.close()
        if store is not None:
            store.finish()
    except BaseException:
        if store is not None:
            store.discard()  # only a new sweep that wrote nothing: leave no manifest-only folder
        raise
    finally:
        if store is not None:
            store.close()
        for obj in owned:
            obj.close()

    if out is not None:
        handle = SweepDataset(store.out)
        handle.resumed = store.report
        return handle
    if table is not None:
        return _as_frame(table.frame(), definition)
    return _as_frame(_concat([results[k] for k in range(plan.n_chunks)]), definition)


def _timeout(value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not 0 < value <= 3600:  # compared as given: float() of a huge int overflows
        raise SweepError(f"scheduler_timeout: expected a number of seconds in (0, 3600], got {_brief(value)}")
    return float(value)


def evaluate_points(model, points: Mapping, outputs: Sequence[str] | None = None, *,
                    fixed: Mapping | None = None, chunk_size: int = DEFAULT_CHUNK_SIZE):
    """Solve a model at explicit points (a table of equal-length columns), in chunks.

    Parameters
    ----------
    model : str, Model subclass or Model instance
    points : mapping or DataFrame
        Axis name -> 1-D array of values (all of one length); axes as for :func:`sweep`.
    outputs : sequence of str, optional
        As for :func:`sweep`.
    fixed : mapping, optional
        As for :func:`sweep`.

    Returns
    -------
    pandas.DataFrame
        The parameter columns, then the outputs; one row per point.
    """
    require("pandas", "sweep")
    model = resolve_model(model, fixed)
    cols = {k: np.asarray(points[k]) for k in points}
    lengths = {len(v) for v in cols.values()}
    if not cols or len(lengths) != 1:
        raise SweepError("points: expected equal-length 1-D columns")
    for k, v in cols.items():
        cols[k] = _validated(_axis_spec(model, k, "points"), v, k)
    _check_overlap(fixed, cols)
    n = lengths.pop()
    if n == 0:
        raise SweepError("points: no points given")
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer)) or chunk_size < 1:
        raise SweepError(f"chunk_size: expected a positive integer, got {_brief(chunk_size)}")
    _check_chunks(n, int(chunk_size))
    layout = _layout(model, outputs)
    frames = []
    for start in range(0, n, chunk_size):
        stop = min(start + chunk_size, n)
        frames.append(_solve_table(model, {k: v[start:stop] for k, v in cols.items()}, layout,
                                   np.arange(start, stop)))
    return _concat(frames)
