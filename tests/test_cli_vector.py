"""The command line with vector parameters, and the ``--json`` and ``--debug`` options.

``--set weight=1,1,2`` (or ``'weight=[1, 1, 2]'``) gives a vector parameter its values;
``--grid 'weight[0]=...'`` and ``--vary 'weight[0]=LO:HI'`` sweep one element of it.
"""
import json

import numpy as np
import pytest
from vector_toy import VectorToy

from gametheory_aid import cli
from gametheory_aid.cli.options import CLIError, parse_value
from gametheory_aid.models import model_names, register, unregister


@pytest.fixture(autouse=True)
def vector_toy():
    model_names()  # load the real registry first, then add the test model beside it
    register(VectorToy)
    yield VectorToy
    unregister(VectorToy.name)


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# -- parsing a value ----------------------------------------------------------------------
@pytest.mark.parametrize("raw, value", [
    pytest.param("0.5", 0.5, id="number"),
    pytest.param(" -2 ", -2.0, id="negative-spaces"),
    pytest.param("none", None, id="none"),
    pytest.param("NULL", None, id="null"),
    pytest.param("0,0.5,1", [0.0, 0.5, 1.0], id="commas"),
    pytest.param("[0, 0.5, 1]", [0.0, 0.5, 1.0], id="brackets"),
    pytest.param("[2]", [2.0], id="one-element"),
    pytest.param("1e-3, 2", [0.001, 2.0], id="exponent"),
])
def test_parse_value(raw, value):
    assert parse_value("feedback", raw) == value


@pytest.mark.parametrize("raw, match", [
    pytest.param("abc", "--set feedback='abc': not a number", id="word"),
    pytest.param("0,x,1", "--set feedback='0,x,1': element 1 'x' is not a number", id="element"),
    pytest.param("0,,1", "element 1 '' is not a number", id="empty-element"),
    pytest.param("[0, 1", "unbalanced brackets", id="unbalanced"),
    pytest.param("[]", "an empty vector", id="empty"),
    pytest.param("[none]", "element 0 'none' is not a number", id="none-inside"),
])
def test_parse_value_errors_name_the_parameter(raw, match):
    with pytest.raises(CLIError) as info:
        parse_value("feedback", raw)
    assert match in str(info.value) and "\n" not in str(info.value)


# -- solve --------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["1,1,2", "[1, 1, 2]"])
def test_solve_with_a_vector_parameter(capsys, value):
    code, out, err = run(capsys, "solve", "vector-toy", "--set", f"weight={value}", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["parameters"]["weight"] == [1.0, 1.0, 2.0]
    np.testing.assert_allclose(doc["equilibrium"]["allocation"], [3.0, 3.0, 6.0], rtol=1e-12)
    assert doc["equilibrium"]["regime"] == "uneven"
    expected = VectorToy(weight=[1, 1, 2], transparency=0.5).solve()
    code, out, _ = run(capsys, "solve", "vector-toy", "--set", "weight=1,1,2", "--set", "transparency=0.5",
                       "--json")
    np.testing.assert_allclose(json.loads(out)["equilibrium"]["allocation"], expected.allocation, rtol=1e-12)


def test_solve_with_vectors_of_a_new_length(capsys):
    code, out, err = run(capsys, "solve", "vector-toy", "--set", "weight=1,1,1,1", "--set", "floor=0,0,0,0",
                         "--json")
    assert code == 0, err
    np.testing.assert_allclose(json.loads(out)["equilibrium"]["allocation"], [3.0] * 4, rtol=1e-12)


@pytest.mark.parametrize("argv, words", [
    pytest.param(["--set", "weight=1,1,2,3"], ["--set weight", "4 values", "floor"], id="longer-than-defaults"),
    pytest.param(["--set", "weight=1,2"], ["--set weight", "2 values", "floor"], id="shorter-than-defaults"),
    pytest.param(["--set", "weight=1,1,2", "--set", "floor=0,0"], ["--set floor", "2 values", "weight"],
                 id="two-lengths"),
    pytest.param(["--set", "weight=2"], ["'weight' is a vector parameter", "--set weight=2,2,2"],
                 id="number-for-vector"),
    pytest.param(["--set", "budget=1,2"], ["'budget' is a scalar parameter"], id="vector-for-scalar"),
    pytest.param(["--set", "weight=1,x,2"], ["weight", "element 1 'x' is not a number"], id="not-a-number"),
    pytest.param(["--set", "weight=1,-1,2"], ["'weight' = -1.0", "(0, inf)"], id="out-of-domain"),
    pytest.param(["--set", "weight=1,1,2", "--set", "weight=1,1,1"], ["'weight' given twice"], id="twice"),
    pytest.param(["--set", "weigth=1,1,2"], ["unknown parameter 'weigth'", "did you mean 'weight'"],
                 id="misspelt"),
])
def test_vector_errors_are_one_line_exit_2(capsys, argv, words):
    code, out, err = run(capsys, "solve", "vector-toy", *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    for word in words:
        assert word in err, err


# -- sweeps of one element ------------------------------------------------------------------
def test_sweep_of_a_vector_element(capsys, tmp_path):
    pytest.importorskip("pyarrow")
    from gametheory_aid.analysis import open_sweep, sweep

    code, out, err = run(capsys, "sweep", "vector-toy", "--set", "weight=1,1,2", "--grid", "weight[0]=0.5:2:4",
                         "--grid", "transparency=0:1:3", "--output", "allocation", "--out", str(tmp_path / "cli"),
                         "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["n_points"] == 12 and doc["parameters"] == ["weight[0]", "transparency"]
    assert doc["path"] == str(tmp_path / "cli") and doc["complete"] is True
    table = open_sweep(tmp_path / "cli").to_pandas()
    expected = sweep(VectorToy(weight=[1, 1, 2]), {"weight[0]": np.linspace(0.5, 2, 4),
                                                   "transparency": np.linspace(0, 1, 3)}, outputs=["allocation"])
    np.testing.assert_array_equal(table.to_numpy(), expected.to_numpy())
    assert list(table.columns) == ["weight[0]", "transparency", "allocation[0]", "allocation[1]", "allocation[2]"]
    row = table.iloc[-1]  # weight = (2, 1, 2), full transparency: even shares
    np.testing.assert_allclose(row[["allocation[0]", "allocation[1]", "allocation[2]"]], [4.0, 4.0, 4.0])


def test_sampled_sweep_of_a_vector_element(capsys, tmp_path):
    pytest.importorskip("pyarrow")
    from gametheory_aid.analysis import open_sweep

    code, out, err = run(capsys, "sweep", "vector-toy", "--set", "weight=1,1,2", "--samples", "8", "--vary",
                         "weight[2]=1:3", "--output", "gap", "--out", str(tmp_path / "s"))
    assert code == 0, err
    table = open_sweep(tmp_path / "s").to_pandas()
    assert list(table.columns) == ["weight[2]", "gap"] and len(table) == 8
    assert table["weight[2]"].between(1, 3).all()


@pytest.mark.parametrize("axis, words", [
    pytest.param("weight=1:2:3", ["--grid weight", "vector parameter", "weight[0] .. weight[2]"], id="whole-vector"),
    pytest.param("weight[3]=1:2:3", ["weight[3]", "0 .. 2"], id="index-too-large"),
    pytest.param("weight[x]=1:2:3", ["weight[x]"], id="index-not-a-number"),
    pytest.param("budget[0]=1:2:3", ["budget[0]", "scalar"], id="element-of-a-scalar"),
    pytest.param("weight[0]=0:1:3", ["'weight[0]' = 0.0", "(0, inf)"], id="out-of-domain"),
])
def test_sweep_axis_errors_are_one_line(capsys, tmp_path, axis, words):
    code, out, err = run(capsys, "sweep", "vector-toy", "--grid", axis, "--out", str(tmp_path / "x"))
    assert code == 2 and out == "" and err.count("\n") == 1
    for word in words:
        assert word in err, err


def test_a_parameter_both_set_and_swept_is_refused(capsys, tmp_path):
    code, _, err = run(capsys, "sweep", "vector-toy", "--set", "transparency=0.5", "--grid", "transparency=0:1:3",
                       "--out", str(tmp_path / "x"))
    assert code == 2 and "--grid transparency" in err and "--set" in err


def test_sensitivity_to_a_vector_element(capsys):
    pytest.importorskip("SALib")
    code, out, err = run(capsys, "sensitivity", "vector-toy", "--vary", "weight[0]=1:3", "--vary",
                         "transparency=0:1", "--n", "16", "--output", "gap", "--json")
    assert code == 0, err
    assert {r["parameter"] for r in json.loads(out)["indices"]} == {"weight[0]", "transparency"}


# -- --json of list and describe; --debug ---------------------------------------------------
def test_list_json(capsys):
    code, out, _ = run(capsys, "list", "--json")
    doc = json.loads(out)
    assert code == 0 and [m["name"] for m in doc] == model_names()
    toy = next(m for m in doc if m["name"] == "vector-toy")
    assert toy == {"name": "vector-toy", "title": VectorToy.title, "chinese_title": VectorToy.chinese_title,
                   "parameters": ["budget", "weight", "floor", "transparency"]}


def test_describe_json(capsys):
    code, out, _ = run(capsys, "describe", "vector-toy", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["name"] == "vector-toy" and doc["title"] == VectorToy.title
    weight = next(p for p in doc["parameters"] if p["name"] == "weight")
    assert weight["vector"] is True and weight["default"] == [1.0, 2.0, 3.0] and weight["symbol"] == "w"
    assert weight["domain"] == {"text": "(0, inf)", "low": 0, "high": None, "low_open": True, "high_open": False,
                                "integer": False}
    assert [o["name"] for o in doc["outputs"]] == ["allocation", "gap", "regime", "contrast"]
    regime = next(o for o in doc["outputs"] if o["name"] == "regime")
    assert regime["kind"] == "regime" and regime["categories"] == ["even", "uneven"]
    assert doc["has_game"] is False


def test_describe_marks_vector_parameters(capsys):
    code, out, _ = run(capsys, "describe", "vector-toy")
    assert code == 0 and "weight (vector)" in out


@pytest.mark.parametrize("argv", [
    pytest.param(["--debug", "solve", "vector-toy", "--set", "weight=1,-1,2"], id="before-the-command"),
    pytest.param(["solve", "vector-toy", "--set", "weight=1,-1,2", "--debug"], id="after-the-command"),
])
def test_debug_prints_the_traceback(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert "Traceback" in err and "ParameterError" in err


def test_a_defect_is_one_line_exit_1_and_debug_shows_it(capsys, monkeypatch):
    def broken(self, **kw):
        raise ZeroDivisionError("a defect")

    monkeypatch.setattr(VectorToy, "_solve", broken)
    code, out, err = run(capsys, "solve", "vector-toy")
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "internal error: ZeroDivisionError: a defect" in err and "--debug" in err
    code, _, err = run(capsys, "--debug", "solve", "vector-toy")
    assert code == 1 and "Traceback" in err and "ZeroDivisionError" in err


# -- the remaining error paths --------------------------------------------------------------
@pytest.mark.parametrize("argv, match", [
    pytest.param(["sweep", "vector-toy", "--samples", "0", "--vary", "transparency=0:1", "--out", "X"],
                 "--samples: must be at least 1", id="no-samples"),
    pytest.param(["sensitivity", "vector-toy", "--vary", "transparency=0:1", "--n", "1"], "--n: must be at least 2",
                 id="n-too-small"),
    pytest.param(["sweep", "vector-toy", "--grid", "transparency=0:1:3", "--output", "alocation", "--out", "X"],
                 "did you mean 'allocation'", id="output-misspelt"),
])
def test_more_errors_are_one_line(capsys, tmp_path, argv, match):
    argv = [str(tmp_path / "X") if a == "X" else a for a in argv]
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and err.count("\n") == 1 and match in err, err


def test_compare_needs_a_transparency_parameter(capsys):
    class Opaque(VectorToy):
        name = "opaque-toy"
        parameters = VectorToy.parameters[:-1]

        def _solve(self, *, budget, weight, floor):
            return VectorToy._solve(self, budget=budget, weight=weight, floor=floor,
                                    transparency=np.zeros_like(budget))

    register(Opaque)
    try:
        code, out, err = run(capsys, "compare", "opaque-toy")
    finally:
        unregister(Opaque.name)
    assert code == 2 and out == "" and "has no transparency parameter" in err


def test_report_to_standard_output(capsys):
    code, out, err = run(capsys, "report", "--transparency", "0", "1")
    assert code == 0 and err == "" and out.splitlines()[0].strip()


def test_a_closed_pipe_ends_the_command_quietly(capsys, monkeypatch):
    def closed(*args, **kwargs):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr("builtins.print", closed)
    code = cli.main(["list"])
    _, err = capsys.readouterr()
    assert code == 0 and err == ""


def test_writing_into_a_pipe_whose_reader_has_gone_exits_0_without_a_message():
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen([sys.executable, "-m", "gametheory_aid", "report"], cwd=str(root),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=dict(os.environ, PYTHONPATH=str(root)))
    proc.stdout.close()  # the reader is gone before the report is written, as with `| head` on a long output
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, err
    assert err == ""
