"""The command line: every command, and every error path (one line on stderr, exit 2)."""
import json
import subprocess
import sys

import pytest
from toy import Toy, ToyGame

from gametheory_aid import cli
from gametheory_aid.models import MODELS, model_names


@pytest.fixture(autouse=True)
def toy_models(monkeypatch):
    model_names()  # load the real registry first, then add the toys beside it
    monkeypatch.setitem(MODELS, "toy", Toy)
    monkeypatch.setitem(MODELS, "toy-game", ToyGame)


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list(capsys):
    code, out, err = run(capsys, "list")
    assert code == 0 and "toy" in out and "Toy rent model" in out


def test_describe(capsys):
    code, out, _ = run(capsys, "describe", "toy")
    assert code == 0 and "transparency" in out and "rent" in out


def test_solve_text_and_json(capsys):
    code, out, _ = run(capsys, "solve", "toy", "--set", "transparency=0.25", "--set", "cost=4")
    assert code == 0 and "rent" in out and "3" in out
    code, out, _ = run(capsys, "solve", "toy", "--set", "transparency=0.25", "--json")
    doc = json.loads(out)
    assert code == 0 and set(doc) == {"model", "parameters", "equilibrium"}
    assert doc["model"] == "toy" and doc["parameters"]["transparency"] == 0.25
    assert doc["equilibrium"]["rent"] == pytest.approx(Toy(transparency=0.25).solve().rent)


def test_compare_json(capsys):
    code, out, _ = run(capsys, "compare", "toy", "--transparency", "0", "0.5", "1", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["transparency"] == [0, 0.5, 1]
    assert [e["regime"] for e in doc["equilibria"]] == ["hidden", "hidden", "visible"]
    code, out, _ = run(capsys, "compare", "toy", "--transparency", "0", "1")
    assert code == 0 and "tau=1" in out


def test_export_efg(capsys, tmp_path):
    code, out, _ = run(capsys, "export", "toy-game", "--format", "efg")
    assert code == 0 and out.startswith("EFG 2 R")
    path = tmp_path / "toy.efg"
    code, _, _ = run(capsys, "export", "toy-game", "--format", "efg", "--out", str(path))
    assert code == 0 and path.read_text().startswith("EFG 2 R")


@pytest.mark.parametrize("argv, message", [
    pytest.param(["solve", "nope"], "unknown model 'nope'", id="unknown-model"),
    pytest.param(["describe", "nope"], "unknown model 'nope'", id="unknown-model-describe"),
    pytest.param(["solve", "toy", "--set", "penalty=1"], "unknown parameter 'penalty'", id="unknown-parameter"),
    pytest.param(["solve", "toy", "--set", "transparency=2"], "'transparency' = 2.0 is outside its domain [0, 1]",
                 id="out-of-domain"),
    pytest.param(["solve", "toy", "--set", "transparency=abc"], "transparency='abc': not a number",
                 id="malformed-value"),
    pytest.param(["solve", "toy", "--set", "transparency"], "expected NAME=VALUE", id="no-equals"),
    pytest.param(["solve", "toy", "--set", "=1"], "missing parameter name", id="no-name"),
    pytest.param(["solve", "toy", "--set", "transparency=nan"], "'transparency' = nan", id="nan"),
    pytest.param(["solve", "toy", "--set", "cost=20"], "'cost'", id="cross-constraint"),
    pytest.param(["compare", "toy", "--transparency", "0", "x"], "invalid float value: 'x'", id="bad-level"),
    pytest.param(["compare", "toy", "--transparency", "0", "3"], "'transparency' = 3.0", id="level-out-of-domain"),
    pytest.param(["export", "toy", "--format", "nfg"], "not a finite game", id="no-game"),
    pytest.param(["export", "toy-game", "--format", "nfg"], "--format efg", id="wrong-format"),
    pytest.param(["export", "toy-game", "--format", "xml"], "invalid choice: 'xml'", id="unknown-format"),
    pytest.param(["frobnicate"], "invalid choice: 'frobnicate'", id="unknown-command"),
    pytest.param([], "required: COMMAND", id="no-command"),
])
def test_errors_are_one_line_exit_2(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert message in lines[0]
    assert "Traceback" not in err


def test_module_entry_point_exit_code_and_no_traceback():
    proc = subprocess.run([sys.executable, "-m", "gametheory_aid", "solve", "no-such-model"],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "unknown model 'no-such-model'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["--version"])
    assert info.value.code == 0
    assert "gametheory-aid" in capsys.readouterr().out


@pytest.mark.parametrize("model, fmt, head", [
    pytest.param("task-pushdown", "efg", "EFG 2 R", id="task-pushdown-efg"),
    pytest.param("joint-blame", "nfg", "NFG 1 R", id="joint-blame-nfg"),
])
def test_export_real_models(capsys, tmp_path, model, fmt, head):
    path = tmp_path / f"game.{fmt}"
    code, _, err = run(capsys, "export", model, "--format", fmt, "--set", "transparency=0.2", "--out", str(path))
    assert code == 0, err
    text = path.read_text(encoding="utf-8")
    assert text.startswith(head)
    pygambit = pytest.importorskip("pygambit")
    game = (pygambit.read_efg if fmt == "efg" else pygambit.read_nfg)(str(path))
    assert len(game.players) == 2


@pytest.mark.parametrize("model", ["pleading-poverty", "poverty-bargaining"])
def test_export_of_a_model_without_a_finite_game(capsys, model):
    code, out, err = run(capsys, "export", model, "--format", "nfg")
    assert code == 2 and "not a finite game" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("name", [pytest.param(n, id=n) for n in model_names() if n not in ("toy", "toy-game")])
def test_compare_fits_a_120_column_terminal(capsys, name):
    """Eleven levels of any model: the table is split into blocks, no line wider than 120 columns."""
    from gametheory_aid.core.results import display_width

    levels = [f"{t / 10:g}" for t in range(11)]
    code, out, _ = run(capsys, "compare", name, "--transparency", *levels)
    assert code == 0
    assert max(display_width(line) for line in out.splitlines()) <= 120
    for t in levels:  # every level is still shown
        assert f"tau={t}" in out


def test_tables_align_wide_characters():
    from gametheory_aid.core.results import display_width, format_table

    lines = format_table(("输出", "value"), [("信息租金", 1.5), ("rent", 2.0)]).splitlines()
    # the second column starts at the same terminal column on every line
    rows = [lines[0], lines[2], lines[3]]
    starts = [display_width(line[:line.index(v)]) for line, v in zip(rows, ("value", "1.5", "2"), strict=True)]
    assert len(set(starts)) == 1 and starts[0] == display_width("信息租金  ")
