"""The sweep and sensitivity subcommands: parsing, one-line errors, and kill-then-resume."""
import inspect
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_sweep import Ladder

from gametheory_aid import cli
from gametheory_aid.analysis import open_sweep, sweep
from gametheory_aid.cli.sweeps import parse_grid, parse_range
from gametheory_aid.models import MODELS, model_names

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


@pytest.fixture(autouse=True)
def ladder_registered(monkeypatch):
    model_names()  # load the real registry first, then add the test model beside it
    monkeypatch.setitem(MODELS, "ladder-test", Ladder)


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# -- parsing ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text, name, values", [
    pytest.param("transparency=0:1:5", "transparency", [0, 0.25, 0.5, 0.75, 1], id="range"),
    pytest.param("penalty=2:2:1", "penalty", [2.0], id="single"),
    pytest.param("penalty=0,1.5,3", "penalty", [0, 1.5, 3], id="list"),
    pytest.param(" value = -1:1:3 ", "value", [-1, 0, 1], id="spaces-negative"),
])
def test_parse_grid(text, name, values):
    got_name, got = parse_grid(text)
    assert got_name == name
    np.testing.assert_allclose(got, values)


@pytest.mark.parametrize("text, match", [
    pytest.param("transparency=0:1", "--grid 'transparency=0:1': expected NAME=LO:HI:N", id="two-parts"),
    pytest.param("transparency", "expected NAME=LO:HI:N", id="no-equals"),
    pytest.param("=0:1:3", "expected NAME=LO:HI:N", id="no-name"),
    pytest.param("transparency=", "expected NAME=LO:HI:N", id="no-range"),
    pytest.param("transparency=a:1:3", "--grid transparency: LO 'a' is not a number", id="bad-low"),
    pytest.param("transparency=0:1:x", "--grid transparency: N 'x' is not a whole number", id="bad-count"),
    pytest.param("transparency=0:1:0", "N must be at least 1", id="zero-count"),
    pytest.param("transparency=1:0:3", "LO 1 is greater than HI 0", id="reversed"),
    pytest.param("transparency=0:1:1", "N = 1 needs LO = HI", id="one-point"),
    pytest.param("transparency=0:inf:3", "not finite", id="infinite"),
    pytest.param("transparency=0,x", "value 'x' is not a number", id="bad-list"),
    pytest.param("transparency=0:1:2:3", "expected NAME=LO:HI:N", id="four-parts"),
])
def test_parse_grid_errors_are_one_line_value_errors(text, match):
    with pytest.raises(ValueError) as info:
        parse_grid(text)
    msg = str(info.value)
    assert match in msg and "\n" not in msg and msg.startswith("--grid")


@pytest.mark.parametrize("text, match", [
    pytest.param("transparency=0:1:3", "expected NAME=LO:HI", id="three-parts"),
    pytest.param("transparency=1:1", "needs LO < HI", id="empty"),
    pytest.param("transparency=0:nan", "not finite", id="nan"),
    pytest.param("transparency", "expected NAME=LO:HI", id="no-equals"),
])
def test_parse_range_errors(text, match):
    with pytest.raises(ValueError, match=match) as info:
        parse_range(text)
    assert "\n" not in str(info.value) and str(info.value).startswith("--vary")
    assert parse_range("value=0:2.5") == ("value", (0.0, 2.5))


# -- the commands ----------------------------------------------------------------------------
def test_sweep_command_writes_the_same_dataset_as_the_function(capsys, tmp_path):
    code, out, err = run(capsys, "sweep", "ladder-test", "--grid", "transparency=0:1:6", "--grid",
                         "rounds=1,2", "--set", "value=7", "--out", str(tmp_path / "cli"), "--chunk-size", "5")
    assert code == 0 and err == "" and "12 points" in out
    expected = sweep(Ladder(value=7.0), {"transparency": np.linspace(0, 1, 6), "rounds": [1, 2]},
                     chunk_size=5, out=tmp_path / "api").to_pandas()
    pd.testing.assert_frame_equal(open_sweep(tmp_path / "cli").to_pandas(), expected)


def test_sampled_sweep_command(capsys, tmp_path):
    code, out, _ = run(capsys, "sweep", "ladder-test", "--samples", "16", "--method", "sobol", "--vary",
                       "value=1:9", "--vary", "transparency=0:1", "--seed", "3", "--output", "rent",
                       "--out", str(tmp_path / "s"))
    assert code == 0
    table = open_sweep(tmp_path / "s").to_pandas()
    expected = sweep(Ladder, samples=16, method="sobol", bounds={"value": (1, 9), "transparency": (0, 1)},
                     seed=3, outputs=["rent"])
    assert list(table.columns) == ["value", "transparency", "rent"]
    np.testing.assert_array_equal(table.to_numpy(), expected.to_numpy())


def test_sensitivity_command_json(capsys):
    code, out, _ = run(capsys, "sensitivity", "ladder-test", "--vary", "transparency=0:1", "--vary",
                       "value=0:10", "--n", "64", "--output", "rent", "--output", "regime", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["method"] == "sobol" and doc["n_evaluations"] == 64 * 4
    assert {r["parameter"] for r in doc["indices"]} == {"transparency", "value"}
    assert abs(sum(r["share"] for r in doc["shares"]) - 1) < 1e-12
    code, out, _ = run(capsys, "sensitivity", "ladder-test", "--vary", "value=0:10", "--n", "8",
                       "--method", "morris", "--output", "rent")
    assert code == 0 and "Morris" in out and "mu_star" in out


@pytest.mark.parametrize("argv, match", [
    pytest.param(["sweep", "ladder-test", "--grid", "transparency=0:1", "--out", "X"], "--grid", id="grid-form"),
    pytest.param(["sweep", "ladder-test", "--grid", "nope=0:1:3", "--out", "X"], "'nope'", id="grid-name"),
    pytest.param(["sweep", "no-such-model", "--grid", "value=0:1:3", "--out", "X"], "no-such-model",
                 id="model-name"),
    pytest.param(["sweep", "ladder-test", "--grid", "transparency=0:2:3", "--out", "X"], "transparency",
                 id="out-of-domain"),
    pytest.param(["sweep", "ladder-test", "--samples", "4", "--out", "X"], "--vary", id="samples-no-vary"),
    pytest.param(["sweep", "ladder-test", "--grid", "value=0:1:2", "--samples", "4", "--out", "X"],
                 "--grid", id="grid-and-samples"),
    pytest.param(["sweep", "ladder-test", "--out", "X"], "--grid", id="nothing"),
    pytest.param(["sweep", "ladder-test", "--grid", "value=0:1:2", "--grid", "value=0:1:3", "--out", "X"],
                 "twice", id="twice"),
    pytest.param(["sweep", "ladder-test", "--grid", "value=0:1:2", "--chunk-size", "0", "--out", "X"],
                 "--chunk-size", id="chunk-size"),
    pytest.param(["sweep", "ladder-test", "--grid", "value=0:1:2", "--set", "bogus=1", "--out", "X"], "bogus",
                 id="set-name"),
    pytest.param(["sweep", "ladder-test", "--grid", "value=0:1:2", "--output", "bogus", "--out", "X"],
                 "bogus", id="output-name"),
    pytest.param(["sensitivity", "ladder-test", "--vary", "value=1:0"], "--vary value", id="vary-reversed"),
    pytest.param(["sensitivity", "ladder-test", "--vary", "value=0:1", "--n", "100"], "power of two",
                 id="n-not-power"),
    pytest.param(["sensitivity", "ladder-test", "--n", "64"], "--vary", id="no-vary"),
    pytest.param(["sensitivity", "ladder-test", "--vary", "nope=0:1"], "'nope'", id="vary-name"),
    pytest.param(["sensitivity", "ladder-test", "--vary", "transparency=0:1", "--n", "8", "--set",
                  "transparency=0.5"], "--vary transparency: also given with --set", id="sensitivity-vary-and-set"),
    pytest.param(["sweep", "ladder-test", "--grid", "transparency=0:1:3", "--set", "transparency=0.5", "--out", "X"],
                 "--grid transparency: also given with --set", id="grid-and-set"),
    pytest.param(["sweep", "ladder-test", "--grid", "value=0:1:2", "--scheduler", "tcp://127.0.0.1:8786", "--out",
                  "X"], "--scheduler: 'tcp://127.0.0.1:8786' is only used with --backend dask", id="scheduler-local"),
    pytest.param(["sweep", "ladder-test", "--grid", "value=0:1:2", "--backend", "dask", "--scheduler-timeout", "0",
                  "--out", "X"], "--scheduler-timeout", id="scheduler-timeout"),
    pytest.param(["sweep", "ladder-test", "--grid", "value=0:1:2", "--compression", "lzma", "--out", "X"],
                 "--compression", id="compression"),
    # 10^4 x 10^4 points in chunks of 10: 10^7 files, above the limit of 10^5
    pytest.param(["sweep", "ladder-test", "--grid", "value=0:10:10000", "--grid", "transparency=0:1:10000",
                  "--chunk-size", "10", "--out", "X"], "--chunk-size: 10 points per chunk makes 10000000 chunks",
                 id="too-many-chunks"),
    pytest.param(["sweep", "ladder-test", "--samples", "1000", "--method", "sobol", "--vary", "value=0:1", "--out",
                  "X"], "--samples: Sobol' designs need a power of two", id="sweep-sobol-size"),
    pytest.param(["sensitivity", "ladder-test", "--vary", "value=0:1", "--n", "1000"],
                 "--n: Sobol' designs need a power of two", id="sensitivity-sobol-size"),
])
def test_errors_print_one_line_and_exit_2(capsys, tmp_path, argv, match):
    argv = [str(tmp_path / "X") if a == "X" else a for a in argv]
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and match in err, err
    assert not (tmp_path / "X").exists()  # refused before anything was written


def test_sweep_and_sensitivity_give_one_message_for_a_sobol_size(capsys):
    _, _, sweep_err = run(capsys, "sweep", "ladder-test", "--samples", "1000", "--method", "sobol", "--vary",
                          "value=0:1", "--out", "unused")
    _, _, indices_err = run(capsys, "sensitivity", "ladder-test", "--vary", "value=0:1", "--n", "1000")
    assert sweep_err.replace("--samples", "ARG") == indices_err.replace("--n", "ARG")
    assert "got 1000; use 512 or 1024" in sweep_err


def test_an_unreachable_scheduler_is_one_line_and_leaves_nothing(capsys, tmp_path):
    pytest.importorskip("distributed")
    code, out, err = run(capsys, "sweep", "ladder-test", "--grid", "value=0:1:2", "--backend", "dask", "--scheduler",
                         "tcp://127.0.0.1:1", "--scheduler-timeout", "0.5", "--out", str(tmp_path / "never"))
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "no Dask scheduler answered at 'tcp://127.0.0.1:1' within 0.5 s" in err
    assert not (tmp_path / "never").exists()


def test_resume_says_what_it_skipped_and_recomputed(capsys, tmp_path):
    base = ["sweep", "ladder-test", "--grid", "value=0:9:10", "--chunk-size", "2", "--out", str(tmp_path / "r")]
    assert run(capsys, *base)[0] == 0
    (tmp_path / "r" / "part-000001.parquet").unlink()
    (tmp_path / "r" / "part-000003.parquet").write_bytes(b"")
    code, out, err = run(capsys, *base, "--resume")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].endswith("resumed: 3 of 5 chunks verified and skipped, 2 computed (1 recomputed, 1 missing); "
                             "recomputed part-000003.parquet: zero-length file")
    assert "10 points of ladder-test in 5 Parquet chunks" in lines[1]
    code, out, _ = run(capsys, *base, "--resume", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["resumed"] == {"kept": 5, "recomputed": {}, "missing": 0, "strays": []}
    assert doc["complete"] is True and "chunks" not in doc


def test_resume_of_a_different_sweep_is_refused(capsys, tmp_path):
    base = ["sweep", "ladder-test", "--grid", "value=0:1:4", "--out", str(tmp_path / "r")]
    assert run(capsys, *base)[0] == 0
    code, _, err = run(capsys, *base)
    assert code == 2 and "resume" in err
    code, _, err = run(capsys, *base[:-2], "--set", "penalty=2", "--out", str(tmp_path / "r"), "--resume")
    assert code == 2 and "different definition" in err


# -- interrupting a sweep with SIGKILL, then resuming -----------------------------------------------
# The subprocess defines the test model from its source (importing this test module would
# also import pytest and hypothesis, slowing every start).  Each chunk's solve is slowed by
# 10 ms, so that the 80 chunks take at least 0.8 s and the kill, at most 0.3 s after the first
# chunk is written, always interrupts the run however fast the machine.
LAUNCH = "\n".join([
    "import sys",
    "import time",
    "import numpy as np",
    "from gametheory_aid.core.params import Domain, Parameter",
    "from gametheory_aid.models.base import Model, Output",
    inspect.getsource(Ladder),
    "_solve = Ladder._solve",
    "Ladder._solve = lambda self, **params: (time.sleep(0.01), _solve(self, **params))[1]",
    "from gametheory_aid.models import MODELS, model_names",
    "model_names(); MODELS['ladder-test'] = Ladder",
    "from gametheory_aid.cli import main",
    "sys.exit(main(sys.argv[1:]))",
])
KILL_ARGS = ["sweep", "ladder-test", "--grid", "value=0:10:80", "--grid", "transparency=0:1:50",
             "--grid", "rounds=1,2,3,5", "--chunk-size", "200", "--output", "rent", "--output", "regime",
             "--output", "first_round"]


def _cli(args, **kw):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-c", LAUNCH, *args], cwd=str(ROOT), env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def test_sigkill_at_a_random_moment_then_resume_gives_the_uninterrupted_dataset(tmp_path):
    out = tmp_path / "killed"
    n_chunks = 80 * 50 * 4 // 200
    proc = _cli(KILL_ARGS + ["--out", str(out)])
    deadline = time.monotonic() + 60
    while not (out.exists() and any(p.name.startswith("part-") for p in out.iterdir())):
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline
        time.sleep(0.005)
    time.sleep(random.uniform(0.0, 0.3))  # a random moment of the run
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    written = len([p for p in out.iterdir() if p.name.startswith("part-")])
    assert 0 < written < n_chunks  # it really was interrupted part-way
    assert not open_sweep(out).complete

    resumed = _cli(KILL_ARGS + ["--out", str(out), "--resume"])
    stdout, stderr = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, stderr.decode()
    handle = open_sweep(out)
    assert handle.complete and handle.manifest["complete"] is True

    reference = sweep(Ladder, {"value": np.linspace(0, 10, 80), "transparency": np.linspace(0, 1, 50),
                               "rounds": [1, 2, 3, 5]}, outputs=["rent", "regime", "first_round"],
                      chunk_size=200, out=tmp_path / "reference").to_pandas()
    table = handle.to_pandas()
    assert len(table) == len(reference) == 80 * 50 * 4
    assert table.attrs["sweep"]["model_class"] == "__main__.Ladder"
    table.attrs = reference.attrs  # the class's module differs; the definition is otherwise the same
    pd.testing.assert_frame_equal(table, reference)


def test_python_m_gametheory_aid_sweep_of_a_real_model(tmp_path):
    out = tmp_path / "pp"
    res = subprocess.run([sys.executable, "-m", "gametheory_aid", "sweep", "pleading-poverty", "--grid",
                          "transparency=0:1:21", "--grid", "penalty=0,2", "--chunk-size", "16", "--out", str(out)],
                         cwd=str(ROOT), capture_output=True, text=True, timeout=120,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert res.returncode == 0, res.stderr
    table = open_sweep(out).to_pandas()
    from gametheory_aid import get_model
    model = get_model("pleading-poverty")()
    for row in table.itertuples(index=False):
        solved = model.with_(transparency=row.transparency, penalty=row.penalty).solve()
        assert row.rent_strong == pytest.approx(float(solved.rent_strong), abs=1e-12)
        assert row.regime == str(solved.regime)
