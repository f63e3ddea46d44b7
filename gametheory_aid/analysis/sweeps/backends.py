"""Running the chunks of a sweep: in this process, or as tasks on ``dask.distributed``.

* :func:`_run_local_memory` -- solve the next chunk while a thread copies the previous one
  into the preallocated in-memory table (:class:`~.layout._Collector`);
* :func:`_run_local_parquet` -- solve the next chunk while writer threads encode the
  previous ones to Parquet (at most ``writers + 1`` chunks in memory);
* :func:`_run_dask` -- a sliding window of chunk tasks on a Dask cluster (the workers must
  see ``out`` and import the model's module), with a ``LocalCluster`` of its own when no
  scheduler is given.

Each hands every finished chunk to ``collect(k, value)`` (a frame, or a written chunk's
record) in the calling thread, and advances the progress bar.  The Dask client is made by
:func:`_dask_client` before the output directory is touched, so that a scheduler that does
not answer (within a short timeout) leaves nothing behind.
"""
from __future__ import annotations

import sys

from ..._optional import require
from .chunks import _run_chunk, _Runner
from .errors import SchedulerUnreachableError
from .layout import _Collector

BACKENDS = ("local", "dask")


def _progress_bar(progress, total: int, initial: int):
    show = sys.stderr.isatty() if progress is None else bool(progress)
    if not show:
        return None
    tqdm = require("tqdm", "sweep").tqdm
    return tqdm(total=total, initial=initial, unit="pt", unit_scale=True, file=sys.stderr)


def _dask_client(scheduler, timeout: float):
    """A ``distributed.Client`` for ``scheduler`` and the objects to close after the sweep.

    Raises
    ------
    SchedulerUnreachableError
        No scheduler answered at the address within ``timeout`` seconds (or the address is
        malformed).
    """
    distributed = require("distributed", "dask")
    if isinstance(scheduler, distributed.Client):
        return scheduler, []
    if scheduler is None:
        cluster = distributed.LocalCluster(dashboard_address=":0")  # any free port
        client = distributed.Client(cluster)
        return client, [client, cluster]
    try:
        client = distributed.Client(scheduler, timeout=timeout)  # an address, or a cluster object
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SchedulerUnreachableError(
            f"scheduler: no Dask scheduler answered at {scheduler!r} within {timeout:g} s ({detail}); check the "
            "address and that the scheduler is running, or give no scheduler for a local cluster") from None
    return client, [client]


def _run_local(runner: _Runner, todo: list, bar, collect, table: _Collector | None = None) -> None:
    if runner.out is not None:
        _run_local_parquet(runner, todo, bar, collect)
    elif table is not None:
        _run_local_memory(runner, todo, bar, table)
    else:
        for k in todo:
            collect(k, runner(k))
            if bar is not None:
                start, stop = runner.plan.span(k)
                bar.update(stop - start)


def _run_local_memory(runner: _Runner, todo: list, bar, table: _Collector) -> None:
    """Solve the next chunk while a second thread copies the previous one into the table.

    The copy (and, at the first chunk, the mapping of the whole table's memory) releases
    the GIL, so on two cores it overlaps the solving; one chunk at most waits to be copied.
    """
    from concurrent.futures import ThreadPoolExecutor

    def copy(k, data):
        start, stop = runner.plan.span(k)
        table.add(start, stop, data)
        return stop - start

    pending = None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sweep-table") as pool:
        try:
            for k in todo:
                data = runner.columns(k)
                if pending is not None:
                    done, pending = pending.result(), None
                    if bar is not None:
                        bar.update(done)
                pending = pool.submit(copy, k, data)
                del data
            if pending is not None:
                done, pending = pending.result(), None
                if bar is not None:
                    bar.update(done)
        finally:
            if pending is not None:  # an error: let the copy already started end first
                pending.exception()


def _run_local_parquet(runner: _Runner, todo: list, bar, collect, writers: int = 2) -> None:
    """Solve the next chunk while other threads write the previous ones to Parquet.

    Arrow's encoder and numpy's loops release the GIL, so the writes overlap the solving;
    at most ``writers`` chunks wait to be written (memory: ``writers + 1`` chunks).  Each
    written chunk is handed to ``collect`` (which records it) in this thread.  On an error
    or an interrupt (``KeyboardInterrupt``) the writes already started are let finish and
    recorded before it propagates, so that every finished chunk is kept.
    """
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    def finish():
        k, fut = pending[0]
        record = fut.result()
        pending.popleft()  # only once its record is in hand: an interrupt here loses nothing
        collect(k, record)
        if bar is not None:
            bar.update(record["rows"])

    pending: deque = deque()
    with ThreadPoolExecutor(max_workers=writers, thread_name_prefix="sweep-writer") as pool:
        try:
            for k in todo:
                data = runner.columns(k)
                while len(pending) >= writers:
                    finish()
                pending.append((k, pool.submit(runner.write, k, data)))
                del data
            while pending:
                finish()
        finally:
            while pending:  # an error or an interrupt: keep the writes already started
                k, fut = pending.popleft()
                if fut.exception() is None:
                    collect(k, fut.result())


def _run_dask(runner: _Runner, todo: list, bar, collect, client) -> None:
    distributed = require("distributed", "dask")
    shared = client.scatter(runner, broadcast=True)
    window = max(4, 2 * sum(client.nthreads().values()))
    pending = iter(todo)
    live = distributed.as_completed()
    keys = {}

    def submit_next() -> bool:
        k = next(pending, None)
        if k is None:
            return False
        fut = client.submit(_run_chunk, shared, k, pure=False)
        keys[fut.key] = k
        live.add(fut)
        return True

    for _ in range(window):
        if not submit_next():
            break
    for fut in live:
        k = keys.pop(fut.key)
        collect(k, fut.result())
        fut.release()
        if bar is not None:
            start, stop = runner.plan.span(k)
            bar.update(stop - start)
        submit_next()
