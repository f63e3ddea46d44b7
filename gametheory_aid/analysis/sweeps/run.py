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
from ...core.params import check_names
from ...models.base import Model
from .backends import BACKENDS, _progress_bar, _run_dask, _run_local
from .chunks import _Runner, _solve_table
from .designs import _axis_spec, _grid_plan, _sample_plan, _split_axis, _validated
from .layout import _as_frame, _check_widths, _Collector, _concat, _layout
from .store import MANIFEST, SweepDataset, _definition, _prepare_out, _write_json

DEFAULT_CHUNK_SIZE = 1 << 17


# -- the model ------------------------------------------------------------------------
def resolve_model(model, fixed: Mapping | None = None) -> Model:
    """A model instance from a registry name, a :class:`Model` subclass or an instance.

    A name or a class gives the model at its default parameters; an instance keeps its
    own parameters (one point: a scalar per parameter, one vector per vector parameter),
    which become the fixed parameters of a sweep.  ``fixed`` (parameter name -> value)
    changes some of them, e.g. ``{"weight": [1, 2, 3]}`` for a whole vector.

    Raises
    ------
    ValueError
        For an unknown name, an object that is not a model, or parameters that hold more
        than one point.
    """
    if isinstance(model, str):
        from ...models import get_model
        try:
            model = get_model(model)
        except KeyError as exc:
            raise ValueError(exc.args[0]) from None
    if isinstance(model, type) and issubclass(model, Model):
        model = model()
    if not isinstance(model, Model):
        raise ValueError(f"model must be a registry name, a Model class or instance, not {model!r}")
    if fixed:
        if not isinstance(fixed, Mapping):
            raise ValueError(f"fixed: expected a mapping NAME -> value, got {fixed!r}")
        check_names(fixed, model.parameter_specs(), "parameter", f"model {model.name!r} (fixed)")
        model = model.with_(**fixed)
    specs = model.parameter_specs()
    for k, v in model.params.items():
        if np.ndim(v) > (1 if specs[k].vector else 0):
            what = "one vector" if specs[k].vector else "scalars"
            raise ValueError(f"model {model.name!r}: fixed parameters must be {what}; "
                             f"{k!r} is an array of shape {np.shape(v)} (sweep it instead)")
    return model


def _check_overlap(fixed: Mapping | None, axes) -> None:
    """A parameter fixed explicitly cannot be swept too (a vector's elements can)."""
    for name in axes:
        if fixed and name in fixed and _split_axis(name)[1] is None:
            raise ValueError(f"fixed: {name!r} is also swept; give it in fixed= or in the sweep, not both")


# -- the sweep --------------------------------------------------------------------------
def sweep(model, grid: Mapping | None = None, samples: int | None = None, outputs: Sequence[str] | None = None, *,
          method: str = "random", bounds: Mapping | None = None, seed: int = 0, fixed: Mapping | None = None,
          chunk_size: int = DEFAULT_CHUNK_SIZE, out=None, resume: bool = False, backend: str = "local",
          scheduler=None, progress: bool | None = None):
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
        Sobol' (:mod:`scipy.stats.qmc`).  Sobol' designs are balanced when ``samples`` is a
        power of two.
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
        ``xarray``).  With ``out``: a handle on the dataset.  Categorical outputs are
        pandas categoricals (dictionary-encoded columns on disk).

    Raises
    ------
    ValueError
        Bad names, sizes, methods or bounds; a resumed sweep whose definition differs.
    ParameterError
        A swept value outside the parameter's domain; an unknown axis, a whole vector
        parameter as an axis, or an element index outside ``0 .. n - 1`` (naming the axis).
    FileExistsError
        ``out`` already holds a sweep and ``resume`` is false.
    """
    require("pandas", "sweep")
    model = resolve_model(model, fixed)
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
    _check_overlap(fixed, plan.names)
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
        raise ValueError("points: expected equal-length 1-D columns")
    for k, v in cols.items():
        cols[k] = _validated(_axis_spec(model, k, "points"), v, k)
    _check_overlap(fixed, cols)
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
