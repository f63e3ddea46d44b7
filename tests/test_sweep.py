"""Sweeps: grids and samples equal pointwise solve(); chunking, streaming, resuming, Dask."""
import json
import os
import subprocess
import sys
import tracemalloc

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import qmc
from vector_toy import VectorToy

from gametheory_aid._optional import MissingDependency
from gametheory_aid.analysis import evaluate_points, open_sweep, sweep, sweep_to_dataarrays
from gametheory_aid.analysis.sweeps import MANIFEST, _Plan, resolve_model
from gametheory_aid.core.params import Domain, Parameter, ParameterError
from gametheory_aid.core.results import ModelResult
from gametheory_aid.models import get_model
from gametheory_aid.models.base import Model, Output, regime_codes


class Ladder(Model):
    """A small test model with every kind of output (not registered globally).

    rent = (1 - tau) * value * rounds / (1 + penalty), capped at ``cap`` when set; the agent
    is honest iff tau * (1 + penalty) >= 1/2; ``path[k]`` is true for rounds k before
    ``first_round = floor(value) mod (rounds + 1)``.
    """

    name = "ladder-test"
    title = "test model"
    parameters = (
        Parameter("value", "v", 4.0, Domain(0, 10), "value"),
        Parameter("transparency", "tau", 0.0, Domain(0, 1), "transparency"),
        Parameter("penalty", "F", 1.0, Domain(0, None), "penalty"),
        Parameter("rounds", "T", 3, Domain(1, None, integer=True), "rounds"),
        Parameter("cap", "m", None, Domain(0, None), "cap on the rent", optional=True),
    )
    outputs = (
        Output("rent", "rent"),
        Output("honest", "honest", kind="bool"),
        Output("regime", "regime", kind="regime"),
        Output("first_round", "first round", kind="int"),
        Output("path", "acts before the first round", kind="bool"),
        Output("note", "a note", kind="object"),
    )

    def _solve(self, value, transparency, penalty, rounds, cap):
        rent = (1 - transparency) * value * rounds / (1 + penalty)
        capped = np.zeros(np.shape(rent), dtype=bool)
        if cap is not None:
            capped = rent > cap
            rent = np.minimum(rent, cap)
        honest = transparency * (1 + penalty) >= 0.5
        regime = np.where(honest, "honest", np.where(capped, "capped", "pleading"))
        first = (np.floor(value) % (rounds + 1)).astype(np.int64)
        path = np.stack([k < first for k in range(rounds)], axis=-1)
        note = np.where(honest, None, "pleads").astype(object)
        return {"rent": rent, "honest": honest, "regime": regime, "first_round": first, "path": path,
                "note": note}


LADDER_REGIMES = ("honest", "capped", "pleading")  # not in sorted order, on purpose


class CodedLadder(Ladder):
    """The same model with its regime declared as categories and returned as codes."""

    name = "ladder-coded-test"
    REGIMES = LADDER_REGIMES
    outputs = tuple(Output("regime", "regime", kind="regime", categories=LADDER_REGIMES) if o.name == "regime"
                    else o for o in Ladder.outputs)

    def _solve(self, value, transparency, penalty, rounds, cap):
        out = super()._solve(value=value, transparency=transparency, penalty=penalty, rounds=rounds, cap=cap)
        out["regime"] = regime_codes(out["regime"] == "honest", out["regime"] == "capped")
        return out


SCALAR_OUTPUTS = ["rent", "honest", "regime", "first_round"]


def assert_rows_match_solve(model, table, params, outputs=SCALAR_OUTPUTS):
    """Every row of ``table`` equals the model solved alone at that row's parameters."""
    for i, row in enumerate(table.itertuples(index=False)):
        row = row._asdict()
        point = {p: (int(row[p]) if model.parameter_specs()[p].integer else float(row[p])) for p in params}
        solved = model.with_(**point).solve()
        for out in outputs:
            expected = np.asarray(solved[out]).item()
            got = row[out]
            if isinstance(expected, float):
                assert got == pytest.approx(expected, rel=1e-12, abs=1e-12), (i, out)
            else:
                assert got == expected, (i, out)


# -- grids ----------------------------------------------------------------------------------
@pytest.mark.parametrize("chunk_size", [pytest.param(1, id="chunk-1"), pytest.param(7, id="chunk-7"),
                                        pytest.param(10_000, id="one-chunk")])
def test_grid_equals_pointwise_solve(chunk_size):
    grid = {"transparency": np.linspace(0, 1, 6), "penalty": [0.0, 1.0, 2.5], "value": [0.5, 3.7]}
    table = sweep(Ladder, grid, chunk_size=chunk_size)
    assert list(table.columns) == ["transparency", "penalty", "value"] + SCALAR_OUTPUTS
    assert len(table) == 36 and list(table.index) == list(range(36))
    # C order: the last parameter varies fastest
    expected = np.array(np.meshgrid(*grid.values(), indexing="ij")).reshape(3, -1).T
    np.testing.assert_array_equal(table[["transparency", "penalty", "value"]].to_numpy(), expected)
    assert_rows_match_solve(Ladder(), table, grid)


def test_grid_over_an_integer_parameter_and_fixed_instance_parameters():
    model = Ladder(cap=2.0, value=6.0)
    table = sweep(model, {"rounds": [1, 2, 4], "transparency": [0.0, 0.3]}, chunk_size=4)
    assert table["rounds"].dtype == np.int64
    assert set(table["regime"]) <= {"honest", "capped", "pleading"} and "capped" in set(table["regime"])
    assert_rows_match_solve(model, table, ["rounds", "transparency"])
    assert table.attrs["sweep"]["fixed_parameters"]["cap"] == 2.0


@settings(max_examples=25)
@given(tau=st.lists(st.floats(0, 1), min_size=1, max_size=5),
       value=st.lists(st.floats(0, 10), min_size=1, max_size=4),
       chunk=st.integers(1, 25))
def test_grid_property_any_values_any_chunking(tau, value, chunk):
    table = sweep(Ladder, {"transparency": tau, "value": value}, chunk_size=chunk)
    assert len(table) == len(tau) * len(value)
    assert_rows_match_solve(Ladder(), table, ["transparency", "value"])


def test_huge_grid_chunk_is_generated_from_flat_indices_only():
    values = (np.linspace(0, 1, 1000), np.linspace(0, 10, 1000), np.arange(100.0))
    plan = _Plan("grid", ("transparency", "value", "penalty"), (False, False, False), 10 ** 8, 1000,
                 values=values)
    assert plan.n_chunks == 10 ** 5
    tracemalloc.start()
    pts = plan.points(plan.n_chunks - 1)  # the last chunk of a 10^8-point grid
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 1_000_000  # a few chunk-sized arrays, not 10^8 points
    flat = np.arange(10 ** 8 - 1000, 10 ** 8)
    i, rem = np.divmod(flat, 1000 * 100)
    j, k = np.divmod(rem, 100)
    np.testing.assert_array_equal(pts["transparency"], values[0][i])
    np.testing.assert_array_equal(pts["value"], values[1][j])
    np.testing.assert_array_equal(pts["penalty"], values[2][k])


# -- samples --------------------------------------------------------------------------------
BOUNDS = {"transparency": (0.1, 0.9), "value": (2.0, 8.0), "penalty": (0.0, 3.0)}


@pytest.mark.parametrize("method", [pytest.param(m, id=m) for m in ("random", "latin", "sobol")])
def test_samples_equal_pointwise_solve_and_stay_in_bounds(method):
    table = sweep(Ladder, samples=64, method=method, bounds=BOUNDS, seed=3, chunk_size=10)
    assert len(table) == 64 and list(table.columns)[:3] == list(BOUNDS)
    for name, (lo, hi) in BOUNDS.items():
        assert table[name].between(lo, hi).all()
    assert_rows_match_solve(Ladder(), table, BOUNDS)


@pytest.mark.parametrize("method", [pytest.param(m, id=m) for m in ("random", "latin", "sobol")])
def test_samples_are_seeded_and_independent_of_chunking(method):
    # 64 points: a Sobol' design needs a power of two (as Sobol' indices do)
    a = sweep(Ladder, samples=64, method=method, bounds=BOUNDS, seed=11, chunk_size=7)
    b = sweep(Ladder, samples=64, method=method, bounds=BOUNDS, seed=11, chunk_size=64)
    c = sweep(Ladder, samples=64, method=method, bounds=BOUNDS, seed=12, chunk_size=7)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["value"], c["value"])


def test_sobol_points_are_scipys_scrambled_sobol_sequence():
    table = sweep(Ladder, samples=32, method="sobol", bounds=BOUNDS, seed=5, chunk_size=5)
    unit = qmc.Sobol(3, scramble=True, rng=np.random.default_rng(5)).random(32)
    lo = np.array([b[0] for b in BOUNDS.values()])
    hi = np.array([b[1] for b in BOUNDS.values()])
    np.testing.assert_allclose(table[list(BOUNDS)].to_numpy(), qmc.scale(unit, lo, hi), rtol=0, atol=1e-12)


def test_latin_hypercube_has_one_point_per_stratum():
    n = 40
    table = sweep(Ladder, samples=n, method="latin", bounds=BOUNDS, seed=1, chunk_size=9)
    for name, (lo, hi) in BOUNDS.items():
        strata = np.floor((table[name].to_numpy() - lo) / (hi - lo) * n).astype(int)
        assert sorted(strata) == list(range(n))


def test_random_points_are_uniform():
    from scipy.stats import kstest
    table = sweep(Ladder, samples=4000, method="random", bounds={"transparency": (0, 1), "value": (0, 10)})
    assert kstest(table["transparency"], "uniform").pvalue > 1e-3
    assert kstest(table["value"] / 10, "uniform").pvalue > 1e-3
    assert abs(np.corrcoef(table["transparency"], table["value"])[0, 1]) < 0.1


def test_sampled_integer_parameter_takes_every_integer_of_its_bounds():
    table = sweep(Ladder, samples=300, bounds={"rounds": (1, 4), "transparency": (0, 1)}, seed=2)
    assert table["rounds"].dtype == np.int64 and set(table["rounds"]) == {1, 2, 3, 4}
    assert_rows_match_solve(Ladder(), table.head(40), ["rounds", "transparency"])


# -- the tidy-table rule for object outputs and trailing dimensions -------------------------------
def test_trailing_and_object_outputs_are_skipped_unless_requested():
    grid = {"value": [0.0, 2.5, 9.0], "transparency": [0.0, 0.9]}
    default = sweep(Ladder, grid)
    assert "path" not in default.columns and "note" not in default.columns
    table = sweep(Ladder, grid, outputs=["path", "note", "rent"])
    assert list(table.columns) == ["value", "transparency", "path[0]", "path[1]", "path[2]", "note", "rent"]
    for row in table.itertuples(index=False):
        solved = Ladder(value=row.value, transparency=row.transparency).solve()
        assert [row[2], row[3], row[4]] == list(np.asarray(solved.path))
        expected_note = np.asarray(solved.note).item()
        assert (pd.isna(row.note) if expected_note is None else row.note == expected_note)


def test_trailing_width_changing_across_the_sweep_is_refused():
    with pytest.raises(ValueError, match="path"):
        sweep(Ladder, {"rounds": [1, 2]}, outputs=["path"])
    assert len(sweep(Ladder, {"rounds": [1, 2]})) == 2  # without the output the sweep is fine


# -- grids as arrays ---------------------------------------------------------------------------
def test_sweep_to_dataarrays_reshapes_to_the_grid():
    grid = {"transparency": np.linspace(0, 1, 4), "value": [1.0, 2.0, 5.0]}
    coords, arrays = sweep_to_dataarrays(sweep(Ladder, grid, chunk_size=5))
    np.testing.assert_array_equal(coords["transparency"], grid["transparency"])
    np.testing.assert_array_equal(coords["value"], grid["value"])
    tau, value = np.meshgrid(grid["transparency"], grid["value"], indexing="ij")
    np.testing.assert_allclose(arrays["rent"], Ladder(transparency=tau, value=value).solve().rent)
    with pytest.raises(ValueError, match="grid"):
        sweep_to_dataarrays(sweep(Ladder, samples=4, bounds={"value": (0, 1)}))


def test_to_xarray_needs_xarray():
    table = sweep(Ladder, {"transparency": [0.0, 1.0], "value": [1.0, 2.0]})
    try:
        import xarray  # noqa: F401
    except ImportError:
        with pytest.raises(MissingDependency, match="xarray"):
            table.to_xarray()
    else:
        ds = table.to_xarray()
        assert dict(ds.sizes) == {"transparency": 2, "value": 2}


# -- streaming to Parquet and resuming ------------------------------------------------------------
GRID = {"transparency": np.linspace(0, 1, 11), "penalty": [0.0, 1.0, 2.0], "rounds": [1, 3]}


def test_out_streams_chunks_and_equals_in_memory(tmp_path):
    out = tmp_path / "run"
    handle = sweep(Ladder, GRID, chunk_size=10, out=out)
    assert handle.complete and len(handle) == 66
    files = sorted(p.name for p in out.iterdir())
    assert files == [MANIFEST] + [f"part-{k:06d}.parquet" for k in range(7)]
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["complete"] is True and manifest["model"] == "ladder-test"
    assert manifest["grid"]["rounds"]["values"] == [1, 3]
    memory = sweep(Ladder, GRID, chunk_size=10)
    disk = handle.to_pandas()
    pd.testing.assert_frame_equal(disk, memory, check_dtype=False, check_categorical=False)
    plain = pd.read_parquet(os.fspath(handle)).sort_index()
    plain.attrs = disk.attrs  # attrs (the definition) are compared too
    pd.testing.assert_frame_equal(plain, disk, check_dtype=False, check_categorical=False,
                                  check_frame_type=False)
    assert_rows_match_solve(Ladder(), disk, GRID)


def test_resume_skips_written_chunks_and_equals_uninterrupted(tmp_path):
    ref = sweep(Ladder, GRID, chunk_size=10, out=tmp_path / "ref").to_pandas()
    out = tmp_path / "run"
    sweep(Ladder, GRID, chunk_size=10, out=out)
    for k in (0, 3, 6):  # as if interrupted: chunks missing, a temporary file left behind
        (out / f"part-{k:06d}.parquet").unlink()
    (out / ".part-000003.parquet.999.tmp").write_bytes(b"partial")
    mtime = (out / "part-000001.parquet").stat().st_mtime_ns
    handle = sweep(Ladder, GRID, chunk_size=10, out=out, resume=True)
    assert (out / "part-000001.parquet").stat().st_mtime_ns == mtime  # not recomputed
    assert not any(p.name.endswith(".tmp") for p in out.iterdir())
    pd.testing.assert_frame_equal(handle.to_pandas(), ref)


def test_resume_refuses_a_different_definition_and_out_refuses_overwrite(tmp_path):
    out = tmp_path / "run"
    sweep(Ladder, GRID, chunk_size=10, out=out)
    with pytest.raises(FileExistsError, match="resume"):
        sweep(Ladder, GRID, chunk_size=10, out=out)
    with pytest.raises(ValueError, match="chunk_size"):
        sweep(Ladder, GRID, chunk_size=11, out=out, resume=True)
    with pytest.raises(ValueError, match="fixed_parameters"):
        sweep(Ladder(value=5.0), GRID, chunk_size=10, out=out, resume=True)
    with pytest.raises(ValueError, match="grid"):
        sweep(Ladder, dict(GRID, penalty=[0.0, 1.5, 2.0]), chunk_size=10, out=out, resume=True)
    assert open_sweep(out).complete


# -- the table is an ordinary, picklable type ------------------------------------------------------
def test_the_table_pickles_and_crosses_process_boundaries(tmp_path):
    import copy
    import multiprocessing
    import pickle

    from gametheory_aid.analysis.sweeps import SweepFrame

    table = sweep(CodedLadder(cap=2.0), CODED_GRID, chunk_size=5)
    assert type(table) is SweepFrame and SweepFrame.__module__ == "gametheory_aid.analysis.sweeps.frame"
    for copied in (pickle.loads(pickle.dumps(table)), pickle.loads(pickle.dumps(table[table["rent"] > 0]))):
        assert type(copied) is SweepFrame and copied.attrs == table.attrs
    pd.testing.assert_frame_equal(pickle.loads(pickle.dumps(table)), table, check_exact=True)
    table.to_pickle(tmp_path / "table.pkl")
    pd.testing.assert_frame_equal(pd.read_pickle(tmp_path / "table.pkl"), table, check_exact=True)
    # a fresh interpreter (spawn) unpickles it by the class's name and sends it back
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        back = pool.apply(copy.copy, (table,))
    assert type(back) is SweepFrame and back.attrs == table.attrs
    pd.testing.assert_frame_equal(back, table, check_exact=True)
    assert open_sweep(sweep(Ladder, GRID, chunk_size=10, out=tmp_path / "d")).to_pandas().attrs == \
        pickle.loads(pickle.dumps(open_sweep(tmp_path / "d"))).to_pandas().attrs  # the handle too
    try:
        import joblib
    except ImportError:
        return
    pd.testing.assert_frame_equal(joblib.Parallel(n_jobs=2)([joblib.delayed(copy.copy)(table)])[0], table)


# -- the model argument and bad input -----------------------------------------------------------
def test_model_by_class_instance_and_registry_name():
    cls = get_model("pleading-poverty")
    grid = {"transparency": np.linspace(0, 1, 9), "penalty": [0.0, 2.0]}
    by_name = sweep("pleading-poverty", grid)
    pd.testing.assert_frame_equal(by_name, sweep(cls, grid))
    instance = cls(prob_strong=0.3)
    table = sweep(instance, grid)
    assert_rows_match_solve(instance, table, grid, outputs=[c for c in table.columns if c not in grid])


def test_task_pushdown_plan_columns_match_solve():
    model = get_model("task-pushdown")()
    grid = {"transparency": np.linspace(0, 1, 5), "blame_lower": [0.0, 2.0, 8.0]}
    table = sweep(model, grid, outputs=["plan", "acting_round", "actor", "completion_probability"])
    rounds = model.params["rounds"]
    assert [c for c in table.columns if c.startswith("plan")] == [f"plan[{k}]" for k in range(rounds)]
    for row in table.itertuples(index=False):
        solved = model.with_(transparency=row[0], blame_lower=row[1]).solve()
        assert list(row[2:2 + rounds]) == list(np.asarray(solved.plan))
        assert row.completion_probability == pytest.approx(float(solved.completion_probability))


@pytest.mark.parametrize("kwargs, error, match", [
    pytest.param(dict(grid={"nope": [1.0]}), ValueError, "nope", id="unknown-grid-name"),
    pytest.param(dict(grid={"transparency": [0.5, 1.5]}), ParameterError, "transparency", id="out-of-domain"),
    pytest.param(dict(grid={"transparency": [np.nan]}), ParameterError, "transparency", id="nan"),
    pytest.param(dict(grid={"rounds": [1.5]}), ParameterError, "rounds", id="non-integer"),
    pytest.param(dict(grid={"transparency": []}), ValueError, "transparency", id="empty"),
    pytest.param(dict(grid={"value": [1.0]}, samples=3), ValueError, "either", id="grid-and-samples"),
    pytest.param(dict(), ValueError, "either", id="neither"),
    pytest.param(dict(samples=4), ValueError, "bounds", id="no-bounds"),
    pytest.param(dict(samples=0, bounds={"value": (0, 1)}), ValueError, "samples", id="zero-samples"),
    pytest.param(dict(samples=4, bounds={"value": (2, 1)}), ValueError, "value", id="low-above-high"),
    pytest.param(dict(samples=4, bounds={"value": (0, 11)}), ParameterError, "value", id="bound-outside"),
    pytest.param(dict(samples=4, bounds={"value": (0, 1)}, method="grid"), ValueError, "method", id="method"),
    pytest.param(dict(grid={"value": [1.0]}, chunk_size=0), ValueError, "chunk_size", id="chunk-size"),
    pytest.param(dict(grid={"value": [1.0]}, backend="spark"), ValueError, "backend", id="backend"),
    pytest.param(dict(grid={"value": [1.0]}, outputs=["nope"]), ValueError, "nope", id="unknown-output"),
    pytest.param(dict(grid={"value": [1.0]}, resume=True), ValueError, "out", id="resume-without-out"),
    pytest.param(dict(grid={"value": [1.0]}, scheduler="tcp://127.0.0.1:8786"), ValueError,
                 "scheduler: .* only used with backend='dask'", id="scheduler-without-dask"),
    pytest.param(dict(grid={"value": [1.0]}, backend="dask", scheduler_timeout=0), ValueError,
                 "scheduler_timeout", id="scheduler-timeout"),
    pytest.param(dict(grid={"value": [1.0]}, compression="zstd"), ValueError, "compression: only", id="compression"),
    # 10^4 x 10^4 points in chunks of 10: 10^7 chunks, above 10^5; at least 10^8 / 10^5 = 1000 per chunk
    pytest.param(dict(grid={"value": np.linspace(0, 10, 10 ** 4), "transparency": np.linspace(0, 1, 10 ** 4)},
                      chunk_size=10), ValueError, "10000000 chunks .* limit of 100000 .* at least 1000",
                 id="too-many-chunks"),
    pytest.param(dict(samples=10 ** 9, bounds={"value": (0, 1)}, chunk_size=1000), ValueError,
                 "1000000 chunks", id="too-many-sampled-chunks"),
    pytest.param(dict(samples=1000, bounds={"value": (0, 1)}, method="sobol"), ValueError,
                 "samples: Sobol' designs need a power of two .* got 1000; use 512 or 1024", id="sobol-size"),
    # 8 bytes x 2^27 points x 3 axes = 3 GiB at once
    pytest.param(dict(samples=1 << 27, bounds=BOUNDS, method="latin"), ValueError, "3.0 GiB", id="latin-size"),
    # integers past 2**53 are not exact in float64 (and past 2**63 wrap around in int64)
    pytest.param(dict(samples=8, bounds={"rounds": (1, 2 ** 60)}), ParameterError, r"'rounds' .* above 2\*\*53",
                 id="integer-bound-not-exact"),
    pytest.param(dict(grid={"rounds": [1, 2 ** 63]}), ParameterError, r"'rounds' .* above 2\*\*53",
                 id="integer-grid-not-exact"),
    pytest.param(dict(samples=8, bounds={"value": ([0, 1], [2, 3])}), ValueError,
                 r"bounds: 'value' needs a pair of numbers \(low, high\)", id="bounds-pair-of-lists"),
])
def test_bad_input_raises_naming_the_argument(kwargs, error, match):
    with pytest.raises(error, match=match):
        sweep(Ladder, **kwargs)


def test_bad_input_to_disk_sweeps_raises_naming_the_argument(tmp_path):
    with pytest.raises(ValueError, match="compression: expected one of snappy"):
        sweep(Ladder, GRID, out=tmp_path / "x", compression="lzma")
    with pytest.raises(ValueError, match="chunk_size"):
        evaluate_points(Ladder, {"value": [1.0, 2.0]}, chunk_size=0)
    (tmp_path / "file").write_text("")
    with pytest.raises(FileExistsError, match="a file, not a directory"):
        sweep(Ladder, GRID, out=tmp_path / "file")
    assert not (tmp_path / "x").exists()


# -- hostile arguments: every failure is a package error naming what was wrong ---------------------
#: Values no argument of a sweep should crash on: NaN, infinities, -0.0, None, bools, complex,
#: huge magnitudes, strings, bytes, empty, object and masked arrays, dates, wrong shapes.
HOSTILE = (st.sampled_from([float("nan"), float("inf"), -float("inf"), -0.0, None, True, False, 1 + 1j, 10 ** 400,
                            -10 ** 400, 1e308, -1, 0, 2 ** 64, "", "x", "0.5", b"1", [], [[1.0, 2.0]], {}, {"a": 1},
                            np.array([], dtype=object), np.array([1.0, 2.0], dtype=object), np.zeros((2, 2)),
                            np.datetime64("2020-01-01"), np.ma.masked_array([1.0], mask=[True]), object()])
           | st.floats() | st.text(max_size=4) | st.integers(-10, 10) | st.integers(2 ** 60, 2 ** 80))


def _sweep_call(slot: str, value, out) -> dict:
    """Keyword arguments of a small valid sweep of Ladder with ``value`` put in one ``slot``."""
    grid, sampled = {"grid": {"value": [1.0, 2.0]}}, {"samples": 8, "bounds": {"value": (0.0, 1.0)}}
    calls = {"grid": lambda: {"grid": value}, "grid-values": lambda: {"grid": {"value": value}},
             "grid-element": lambda: {"grid": {"value": [1.0, value]}}, "grid-axis": lambda: {"grid": {value: [1.0]}},
             "integer-axis": lambda: {"grid": {"rounds": [value]}}, "samples": lambda: dict(sampled, samples=value),
             "bounds": lambda: dict(sampled, bounds=value),
             "bounds-pair": lambda: dict(sampled, bounds={"value": value}),
             "bounds-end": lambda: dict(sampled, bounds={"value": (0.0, value)}),
             "method": lambda: dict(sampled, method=value), "seed": lambda: dict(sampled, seed=value),
             "chunk_size": lambda: dict(grid, chunk_size=value), "outputs": lambda: dict(grid, outputs=value),
             "outputs-element": lambda: dict(grid, outputs=["rent", value]),
             "backend": lambda: dict(grid, backend=value),
             "fixed": lambda: dict(grid, fixed=value), "fixed-value": lambda: dict(grid, fixed={"penalty": value}),
             "scheduler_timeout": lambda: dict(grid, scheduler_timeout=value),
             "progress": lambda: dict(grid, progress=value), "resume": lambda: dict(grid, out=out, resume=value),
             "compression": lambda: dict(grid, out=out, compression=value), "out": lambda: dict(grid, out=value)}
    return calls[slot]()


# where each slot's failure must point: the argument, or the parameter it gives values to
SWEEP_NAMES = {"grid-values": ("value",), "grid-element": ("value",), "grid-axis": ("grid",),
               "integer-axis": ("rounds",), "bounds-pair": ("bounds", "value"), "bounds-end": ("bounds", "value"),
               "outputs-element": ("outputs",), "fixed-value": ("penalty",)}
SWEEP_SLOTS = ["grid", "grid-values", "grid-element", "grid-axis", "integer-axis", "samples", "bounds", "bounds-pair",
               "bounds-end", "method", "seed", "chunk_size", "outputs", "outputs-element", "backend", "fixed",
               "fixed-value", "scheduler_timeout", "progress", "resume", "compression", "out"]


def assert_package_error(call, names):
    """``call()`` succeeds, or fails with a package error whose one-line message names one of ``names``."""
    from gametheory_aid.analysis import sweeps

    try:
        call()
    except (ParameterError, getattr(sweeps, "SweepError", ParameterError)) as exc:
        message = str(exc)
        assert "\n" not in message and any(n in message for n in names), message
    # anything else (TypeError, OverflowError, numpy's errors, ...) fails the test with its traceback


@settings(max_examples=300, deadline=None)
@given(slot=st.sampled_from(SWEEP_SLOTS), value=HOSTILE)
def test_fuzzed_sweep_arguments_fail_with_a_package_error_naming_them(tmp_path_factory, slot, value):
    if slot == "out" and isinstance(value, str):
        value = None  # a string is a valid path: not hostile, and not to be created in the working directory
    if slot == "grid-axis":
        try:
            hash(value)
        except TypeError:
            return  # not a dictionary key: no sweep can be asked for
    out = tmp_path_factory.mktemp("fuzz") / "out"
    kwargs = _sweep_call(slot, value, out)
    assert_package_error(lambda: sweep(Ladder, **kwargs), SWEEP_NAMES.get(slot, (slot,)))


def test_bad_model_argument():
    with pytest.raises(ValueError, match="no-such-model"):
        resolve_model("no-such-model")
    with pytest.raises(ValueError, match="value"):
        resolve_model(Ladder(value=np.array([1.0, 2.0])))
    with pytest.raises(ValueError):
        resolve_model(42)


def test_evaluate_points():
    pts = {"value": np.array([1.0, 9.0, 4.0]), "rounds": np.array([1, 2, 5])}
    table = evaluate_points(Ladder, pts, chunk_size=2)
    assert_rows_match_solve(Ladder(), table, pts)
    with pytest.raises(ValueError, match="equal-length"):
        evaluate_points(Ladder, {"value": [1.0], "rounds": [1, 2]})


# -- categorical outputs as codes -------------------------------------------------------------
CODED_GRID = {"transparency": np.linspace(0, 1, 6), "penalty": [0.0, 1.0], "value": [0.5, 3.7, 9.0]}


@pytest.fixture
def decoded(monkeypatch):
    """The categorical outputs a ModelResult turns into strings while the fixture is active."""
    names = []
    original = ModelResult._value

    def spy(self, name):
        if name in self._categories:
            names.append(name)
        return original(self, name)

    monkeypatch.setattr(ModelResult, "_value", spy)
    return names


def test_coded_regime_column_equals_solve_strings_and_is_never_decoded(decoded):
    model = CodedLadder(cap=2.0)
    table = sweep(model, CODED_GRID, chunk_size=5)  # chunks with and without every regime
    assert decoded == []  # the codes went straight into the table
    column = table["regime"]
    assert isinstance(column.dtype, pd.CategoricalDtype)
    assert list(column.cat.categories) == list(CodedLadder.REGIMES)  # the declared labels, in order
    solved = model.with_(**{k: table[k].to_numpy() for k in CODED_GRID}).solve()
    assert list(column) == solved.regime.tolist()  # the strings solve() gives
    assert {"honest", "capped", "pleading"} <= set(column)
    assert_rows_match_solve(model, table.iloc[::5], CODED_GRID)


def test_coded_regime_is_dictionary_encoded_on_disk(tmp_path, decoded):
    import pyarrow as pa
    import pyarrow.parquet as pq

    model = CodedLadder(cap=2.0)
    handle = sweep(model, CODED_GRID, chunk_size=7, out=tmp_path / "run")
    assert decoded == []
    for f in handle.files():
        column = pq.read_table(f).column("regime")
        assert pa.types.is_dictionary(column.type) and column.type.index_type == pa.int32()
        assert column.chunk(0).dictionary.to_pylist() == list(CodedLadder.REGIMES)
    disk = handle.to_pandas()
    assert list(disk["regime"].cat.categories) == list(CodedLadder.REGIMES)
    pd.testing.assert_frame_equal(disk, sweep(model, CODED_GRID, chunk_size=7), check_dtype=False)
    solved = model.with_(**{k: disk[k].to_numpy() for k in CODED_GRID}).solve()
    assert list(disk["regime"].astype(str)) == solved.regime.tolist()


def test_evaluate_points_keeps_the_declared_categories():
    pts = {"transparency": np.array([0.0, 0.9, 0.2, 1.0]), "value": np.array([1.0, 2.0, 9.0, 4.0])}
    table = evaluate_points(CodedLadder(cap=2.0), pts, chunk_size=1)  # one category per chunk
    assert list(table["regime"].cat.categories) == list(CodedLadder.REGIMES)
    solved = CodedLadder(cap=2.0, **pts).solve()
    assert list(table["regime"]) == solved.regime.tolist()


# -- vector parameters -------------------------------------------------------------------------
VECTOR_COLUMNS = (["allocation[0]", "allocation[1]", "allocation[2]", "gap", "regime"]
                  + [f"contrast[{i},{j}]" for i in range(3) for j in range(3)])


def assert_vector_rows_match_solve(model, table, axes):
    """Every row equals the model solved alone with the row's axes set (vector elements in place)."""
    for _, row in table.iterrows():
        point = {}
        for axis in axes:
            base, _, index = axis.partition("[")
            if index:
                vector = np.array(point.get(base, model.params[base]), dtype=float)
                vector[int(index[:-1])] = row[axis]
                point[base] = vector
            else:
                point[axis] = row[axis]
        solved = model.with_(**point).solve()
        np.testing.assert_allclose([row[f"allocation[{i}]"] for i in range(3)], solved.allocation, rtol=1e-12)
        np.testing.assert_allclose([[row[f"contrast[{i},{j}]"] for j in range(3)] for i in range(3)],
                                   solved.contrast, rtol=1e-12, atol=1e-12)
        assert row["gap"] == pytest.approx(float(solved.gap), rel=1e-12, abs=1e-12)
        assert row["regime"] == str(solved.regime)


@pytest.mark.parametrize("chunk_size", [pytest.param(1, id="chunk-1"), pytest.param(4, id="chunk-4"),
                                        pytest.param(1000, id="one-chunk")])
def test_grid_over_a_vector_element_equals_pointwise_solve(chunk_size, decoded):
    grid = {"weight[0]": [0.5, 1.0, 6.0], "transparency": [0.0, 0.5, 1.0], "weight[2]": [3.0, 0.5]}
    table = sweep(VectorToy, grid, chunk_size=chunk_size)
    assert decoded == []
    assert list(table.columns) == list(grid) + VECTOR_COLUMNS  # vector outputs: one column per element
    assert len(table) == 18
    expected = np.array(np.meshgrid(*grid.values(), indexing="ij")).reshape(3, -1).T
    np.testing.assert_array_equal(table[list(grid)].to_numpy(), expected)
    assert list(table["regime"].cat.categories) == ["even", "uneven"]
    assert "even" in set(table["regime"]) and "uneven" in set(table["regime"])
    assert_vector_rows_match_solve(VectorToy(), table, grid)
    assert table.attrs["sweep"]["fixed_parameters"]["weight"] == [1.0, 2.0, 3.0]


def test_vector_parameter_fixed_whole_by_fixed_or_by_the_instance():
    grid = {"transparency": [0.0, 0.25, 1.0], "budget": [1.0, 12.0]}
    by_fixed = sweep(VectorToy, grid, fixed={"weight": [4.0, 1.0, 1.0], "floor": [0.1, 0.0, 0.0]})
    by_instance = sweep(VectorToy(weight=[4.0, 1.0, 1.0], floor=[0.1, 0.0, 0.0]), grid)
    pd.testing.assert_frame_equal(by_fixed, by_instance)
    assert by_fixed.attrs["sweep"]["fixed_parameters"]["weight"] == [4.0, 1.0, 1.0]
    assert_vector_rows_match_solve(VectorToy(weight=[4.0, 1.0, 1.0], floor=[0.1, 0.0, 0.0]), by_fixed, grid)
    # an element swept over a vector given in fixed=: the other elements keep the fixed values
    table = sweep(VectorToy, {"weight[1]": [1.0, 5.0]}, fixed={"weight": [4.0, 1.0, 2.0]})
    assert_vector_rows_match_solve(VectorToy(weight=[4.0, 1.0, 2.0]), table, ["weight[1]"])


@pytest.mark.parametrize("method", [pytest.param(m, id=m) for m in ("random", "latin", "sobol")])
def test_samples_over_vector_elements_stay_in_bounds_and_match_solve(method):
    bounds = {"weight[2]": (0.5, 4.0), "budget": (2.0, 20.0), "weight[0]": (1.0, 1.5)}
    model = VectorToy(floor=[0.5, 0.0, 0.5])
    table = sweep(model, samples=32, method=method, bounds=bounds, seed=7, chunk_size=5)  # Sobol': a power of 2
    assert list(table.columns) == list(bounds) + VECTOR_COLUMNS
    for name, (lo, hi) in bounds.items():
        assert table[name].between(lo, hi).all()
    assert table.attrs["sweep"]["bounds"]["weight[2]"] == [0.5, 4.0]
    pd.testing.assert_frame_equal(table, sweep(model, samples=32, method=method, bounds=bounds, seed=7,
                                               chunk_size=32))
    assert_vector_rows_match_solve(model, table, bounds)


def test_vector_sweep_streams_to_parquet_and_resumes(tmp_path):
    grid = {"weight[1]": np.linspace(0.5, 3, 5), "transparency": [0.0, 0.3, 1.0]}
    memory = sweep(VectorToy, grid, chunk_size=4)
    out = tmp_path / "run"
    sweep(VectorToy, grid, chunk_size=4, out=out)
    (out / "part-000001.parquet").unlink()
    handle = sweep(VectorToy, grid, chunk_size=4, out=out, resume=True)
    pd.testing.assert_frame_equal(handle.to_pandas(), memory, check_dtype=False)
    with pytest.raises(ValueError, match="fixed_parameters"):
        sweep(VectorToy, grid, chunk_size=4, out=out, resume=True, fixed={"weight": [1.0, 2.0, 4.0]})


def test_evaluate_points_at_vector_elements():
    pts = {"weight[0]": np.array([1.0, 3.0, 0.5]), "transparency": np.array([0.0, 0.5, 1.0])}
    table = evaluate_points(VectorToy, pts, outputs=["allocation", "regime"], chunk_size=2)
    assert list(table.columns) == list(pts) + ["allocation[0]", "allocation[1]", "allocation[2]", "regime"]
    solved = VectorToy(weight=np.stack([pts["weight[0]"], [2.0] * 3, [3.0] * 3], axis=-1),
                       transparency=pts["transparency"]).solve()
    np.testing.assert_allclose(table[["allocation[0]", "allocation[1]", "allocation[2]"]].to_numpy(),
                               solved.allocation, rtol=1e-12)
    assert list(table["regime"]) == solved.regime.tolist()


def test_default_outputs_of_a_model_without_vectors_are_unchanged():
    # trailing outputs whose width is not the vectors' n (task-pushdown's plan) stay opt-in
    table = sweep("task-pushdown", {"transparency": [0.0, 1.0]})
    assert not any(c.startswith("plan") for c in table.columns)


@pytest.mark.parametrize("kwargs, error, match", [
    pytest.param(dict(grid={"weight": [1.0]}), ParameterError, r"'weight'.*one element at a time",
                 id="whole-vector"),
    pytest.param(dict(grid={"weight[3]": [1.0]}), ParameterError, r"'weight\[3\]'.*0 \.\. 2", id="index-too-big"),
    pytest.param(dict(grid={"weight[-1]": [1.0]}), ParameterError, r"'weight\[-1\]'", id="negative-index"),
    pytest.param(dict(grid={"weight[x]": [1.0]}), ParameterError, r"'weight\[x\]'", id="not-an-index"),
    pytest.param(dict(grid={"budget[0]": [1.0]}), ParameterError, r"'budget\[0\]'.*scalar", id="scalar-indexed"),
    pytest.param(dict(grid={"wieght[0]": [1.0]}), ParameterError, r"'wieght\[0\]'.*did you mean 'weight\[0\]'",
                 id="unknown-axis"),
    pytest.param(dict(grid={"weight[0]": [-1.0]}), ParameterError, r"'weight\[0\]'", id="element-out-of-domain"),
    pytest.param(dict(samples=4, bounds={"floor[5]": (0, 1)}), ParameterError, r"'floor\[5\]'",
                 id="bounds-index"),
    pytest.param(dict(samples=4, bounds={"floor": (0, 1)}), ParameterError, r"'floor'", id="bounds-whole-vector"),
    pytest.param(dict(samples=4, bounds={"weight[1]": (0, 1)}), ParameterError, r"'weight\[1\]'",
                 id="bounds-out-of-domain"),
    pytest.param(dict(grid={"budget": [1.0]}, fixed={"budget": 2.0}), ValueError, "budget.*also swept",
                 id="fixed-and-swept"),
    pytest.param(dict(grid={"budget": [1.0]}, fixed={"wheight": [1.0, 1.0, 1.0]}), ParameterError, "wheight",
                 id="fixed-unknown"),
    pytest.param(dict(grid={"budget": [1.0]}, fixed={"weight": [[1.0, 2.0, 3.0]] * 2}), ValueError,
                 "one vector", id="fixed-two-vectors"),
    pytest.param(dict(grid={"budget": [1.0]}, fixed={"weight": [1.0, 2.0]}), ParameterError, "length",
                 id="fixed-wrong-length"),
])
def test_bad_vector_axes_raise_naming_the_axis(kwargs, error, match):
    with pytest.raises(error, match=match):
        sweep(VectorToy, **kwargs)


# -- progress bar ----------------------------------------------------------------------------
def test_progress_bar_only_when_asked_or_on_a_terminal(capsys):
    sweep(Ladder, {"value": [1.0, 2.0]}, progress=True)
    assert "pt" in capsys.readouterr().err
    sweep(Ladder, {"value": [1.0, 2.0]})  # stderr is not a terminal under pytest
    assert capsys.readouterr().err == ""


def test_local_backend_imports_no_dask():
    code = ("import sys; from gametheory_aid.analysis import sweep; "
            "import gametheory_aid.models.base as b; from gametheory_aid.core.params import Domain, Parameter\n"
            "class M(b.Model):\n"
            "    name='m'; parameters=(Parameter('x','x',0.0,Domain(0,1),'x'),); outputs=(b.Output('y','y'),)\n"
            "    def _solve(self, x): return {'y': 2*x}\n"
            "t = sweep(M, {'x': [0.0, 0.5]})\n"
            "assert list(t['y']) == [0.0, 1.0]\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "[]"


# -- Dask ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def local_cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        yield cluster


def test_dask_backend_equals_local(local_cluster, tmp_path):
    memory = sweep(Ladder, GRID, chunk_size=8)
    dask_memory = sweep(Ladder, GRID, chunk_size=8, backend="dask", scheduler=local_cluster)
    pd.testing.assert_frame_equal(dask_memory, memory)
    sampled = dict(samples=32, bounds=BOUNDS, method="sobol", seed=4, chunk_size=6)
    pd.testing.assert_frame_equal(sweep(Ladder, backend="dask", scheduler=local_cluster.scheduler_address,
                                        **sampled), sweep(Ladder, **sampled))
    local_disk = sweep(Ladder, GRID, chunk_size=8, out=tmp_path / "local").to_pandas()
    dask_disk = sweep(Ladder, GRID, chunk_size=8, out=tmp_path / "dask", backend="dask",
                      scheduler=local_cluster).to_pandas()
    pd.testing.assert_frame_equal(dask_disk, local_disk)


def test_dask_backend_default_local_cluster_is_created_and_closed(monkeypatch):
    distributed = pytest.importorskip("distributed")
    made = []
    original = distributed.LocalCluster

    def in_process_cluster(**kwargs):  # the default cluster, with threads instead of processes
        cluster = original(n_workers=1, threads_per_worker=2, processes=False,
                                           dashboard_address=None)
        made.append(cluster)
        return cluster

    monkeypatch.setattr(distributed, "LocalCluster", in_process_cluster)
    dask = sweep(Ladder, GRID, chunk_size=10, backend="dask")
    pd.testing.assert_frame_equal(dask, sweep(Ladder, GRID, chunk_size=10))
    assert len(made) == 1 and made[0].status.name == "closed"


def test_dask_backend_keeps_the_declared_categories(local_cluster):
    model = CodedLadder(cap=2.0)
    local = sweep(model, CODED_GRID, chunk_size=5)
    dask = sweep(model, CODED_GRID, chunk_size=5, backend="dask", scheduler=local_cluster)
    pd.testing.assert_frame_equal(dask, local)
    assert list(dask["regime"].cat.categories) == list(CodedLadder.REGIMES)

