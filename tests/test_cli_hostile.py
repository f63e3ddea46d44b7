"""The command line against careless and hostile input: one line on stderr, exit 2, never a traceback.

Also: a closed pipe and Ctrl-C end a command cleanly, every option has help text, and the
composite model prints as readable tables.
"""
import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gametheory_aid import cli
from gametheory_aid.core.params import Domain, Parameter
from gametheory_aid.models import MODELS, model_names
from gametheory_aid.models.base import Model, Output

ROOT = Path(__file__).resolve().parent.parent


class Plain(Model):
    """A one-output model, fast to sweep: ``rent = (1 - transparency) * value``."""

    name = "plain-test"
    title = "test model"
    parameters = (
        Parameter("value", "v", 4.0, Domain(0, 10), "value"),
        Parameter("transparency", "tau", 0.0, Domain(0, 1), "transparency"),
    )
    outputs = (Output("rent", "rent"),)

    def _solve(self, value, transparency):
        return {"rent": (1 - transparency) * value}


@pytest.fixture(autouse=True)
def plain_registered(monkeypatch):
    model_names()  # load the real registry first, then add the test model beside it
    monkeypatch.setitem(MODELS, Plain.name, Plain)


def run(capsys, *argv):
    try:
        code = cli.main(list(argv))
    except KeyboardInterrupt:  # would stop the test session: the command must handle it itself
        pytest.fail("KeyboardInterrupt escaped from the command line")
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code, out, err, match=None):
    assert code == 2, (code, err)
    assert "Traceback" not in err and "Traceback" not in out
    assert err.count("\n") == 1 and err.startswith("gametheory-aid: error: "), err
    if match is not None:
        assert match in err, err


# -- 1. a closed pipe ------------------------------------------------------------------------
def _closed_pipe(*argv):
    """Run the command line with its standard output a pipe whose reader has gone."""
    proc = subprocess.Popen([sys.executable, "-m", "gametheory_aid", *argv], cwd=str(ROOT), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=dict(os.environ, PYTHONPATH=os.environ.get(
                                "PYTHONPATH", str(ROOT))))
    proc.stdout.close()
    err = proc.stderr.read().decode()
    return proc.wait(timeout=120), err


@pytest.mark.skipif(not os.path.exists("/dev/stdout"), reason="needs /dev/stdout")
def test_out_naming_a_closed_pipe_is_a_normal_end():
    # ``--out /dev/stdout | head -1``: the pipe is a file the command opened, and still not an error
    code, err = _closed_pipe("report", "--format", "html", "--out", "/dev/stdout")
    assert (code, err) == (0, "")


def test_out_that_cannot_be_written_is_still_an_error(capsys, tmp_path):
    code, out, err = run(capsys, "report", "--out", str(tmp_path / "no" / "such" / "dir" / "r.txt"))
    assert_one_line_error(code, out, err, "--out")


# -- 2. Ctrl-C -------------------------------------------------------------------------------
class Interrupted(Plain):
    """The plain model, with Ctrl-C pressed (while ``armed``) when the point ``value = 6`` is solved."""

    name = "plain-interrupted-test"
    armed = False

    def _solve(self, **values):
        if type(self).armed and np.any(np.asarray(values["value"]) == 6):
            raise KeyboardInterrupt
        return super()._solve(**values)


def test_ctrl_c_during_a_sweep_keeps_the_finished_chunks_and_says_how_to_resume(capsys, tmp_path, monkeypatch):
    from gametheory_aid.analysis import open_sweep

    monkeypatch.setitem(MODELS, Interrupted.name, Interrupted)
    monkeypatch.setattr(Interrupted, "armed", True)
    argv = ["sweep", Interrupted.name, "--grid", "value=0:9:10", "--chunk-size", "2", "--out", str(tmp_path / "s")]
    code, out, err = run(capsys, *argv)
    assert code == 130 and out == "" and "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("gametheory-aid: interrupted: "), err
    assert "3 of 5 chunks" in err and "--resume" in err and "resume=" not in err
    assert len(open_sweep(tmp_path / "s").files()) == 3  # chunks 0 to 2 (values 0 to 5) are kept
    monkeypatch.setattr(Interrupted, "armed", False)
    code, out, err = run(capsys, *argv, "--resume")
    assert code == 0 and err == "" and "3 of 5 chunks verified and skipped, 2 computed" in out
    code, _, _ = run(capsys, "sweep", Interrupted.name, "--grid", "value=0:9:10", "--chunk-size", "2", "--out",
                     str(tmp_path / "whole"))
    resumed, whole = open_sweep(tmp_path / "s").to_pandas(), open_sweep(tmp_path / "whole").to_pandas()
    assert code == 0 and resumed.equals(whole)


def test_ctrl_c_in_any_command_is_one_line_and_status_130(capsys, monkeypatch):
    def interrupt(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(Plain, "solve", interrupt)
    code, out, err = run(capsys, "solve", "plain-test")
    assert (code, out, err) == (130, "", "gametheory-aid: interrupted\n")


# -- 3. conflicts ----------------------------------------------------------------------------
def test_compare_refuses_transparency_given_both_as_levels_and_with_set(capsys):
    code, out, err = run(capsys, "compare", "pleading-poverty", "--transparency", "0", "1", "--set",
                         "transparency=0.3")
    assert_one_line_error(code, out, err, "--set transparency: compare varies transparency over --transparency (0 1)")


# -- 5. sizes refused before anything is solved ----------------------------------------------
def _never_called(*args, **kwargs):
    raise AssertionError("the sweep ran; it should have been refused first")


def test_a_chunk_size_making_too_many_files_is_refused_before_the_sweep_runs(capsys, tmp_path, monkeypatch):
    import gametheory_aid.analysis as analysis

    monkeypatch.setattr(analysis, "sweep", _never_called)
    # 10^4 x 10^4 points in chunks of 10 would be 10^7 files; the limit is 10^5 chunks
    code, out, err = run(capsys, "sweep", "plain-test", "--grid", "value=0:10:10000", "--grid",
                         "transparency=0:1:10000", "--chunk-size", "10", "--out", str(tmp_path / "x"))
    assert_one_line_error(code, out, err, "10000000 chunks")
    assert "100000" in err.replace(" ", "").replace("_", "") and not (tmp_path / "x").exists()


# -- 6. the composite model prints as tables of tables, each readable --------------------------
@pytest.mark.parametrize("command", [["solve", "contracting-stage"], ["compare", "contracting-stage"]])
@pytest.mark.parametrize("raw", [pytest.param(False, id="labels"), pytest.param(True, id="raw-names")])
def test_contracting_stage_prints_one_table_per_part(capsys, command, raw):
    from gametheory_aid.models import get_model
    from gametheory_aid.models.story import label

    code, out, err = run(capsys, *command, *(["--raw-names"] if raw else []))
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert max(map(len, lines)) <= 120, max(lines, key=len)
    # the stage's own outputs first, then one table per sub-model, each under its own title
    assert lines[0].startswith("contracting-stage")
    stage = get_model("contracting-stage")
    parts = ("pleading_poverty", "poverty_bargaining", "task_pushdown", "joint_blame")
    heads = tuple(f"{part}:" if raw else label(stage, part) for part in parts)
    titles = [line for line in lines if line.startswith(heads)]
    assert len(titles) == 4, titles
    assert out.count("\noutput ") + out.startswith("output ") == 5  # five header rows


# -- 7. help, JSON, one error format, --debug ------------------------------------------------
def _parsers(parser, path=("gametheory-aid",)):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, path + (name,))


def test_every_option_and_command_has_help_text():
    missing = []
    for path, parser in _parsers(cli.build_parser()):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                helped = {a.dest for a in action._choices_actions if a.help}
                missing += [f"{' '.join(path)} {name}" for name in action.choices if name not in helped]
            elif not action.help or action.help == argparse.SUPPRESS:
                missing.append(f"{' '.join(path)} {'/'.join(action.option_strings) or action.dest}")
    assert missing == []


@pytest.mark.parametrize("argv", [["list", "--json"], ["describe", "plain-test", "--json"]])
def test_list_and_describe_print_json(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 0 and err == "" and json.loads(out)


def test_sweep_prints_json(capsys, tmp_path):
    code, out, err = run(capsys, "sweep", "plain-test", "--grid", "value=0:1:3", "--out", str(tmp_path / "j"),
                         "--json")
    doc = json.loads(out)
    assert code == 0 and err == "" and doc["n_points"] == 3 and doc["complete"] is True


@pytest.mark.parametrize("argv", [
    pytest.param(["solve"], id="missing-model"),
    pytest.param(["solve", "plain-test", "--nope"], id="unknown-option"),
    pytest.param(["sweep", "plain-test"], id="missing-out"),
    pytest.param(["bogus"], id="unknown-command"),
    pytest.param(["export", "plain-test", "--format", "pdf"], id="bad-choice"),
    pytest.param(["compare", "plain-test", "--transparency", "x"], id="bad-type"),
])
def test_parser_errors_have_the_one_error_format(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert_one_line_error(code, out, err)


def test_debug_shows_the_traceback(capsys):
    code, out, err = run(capsys, "--debug", "solve", "plain-test", "--set", "transparency=2")
    assert code == 2 and err.startswith("Traceback") and "ParameterError" in err
    code, out, err = run(capsys, "solve", "plain-test", "--set", "transparency=2", "--debug")
    assert code == 2 and err.startswith("Traceback")


# -- 8. a corpus of bad arguments for every command ------------------------------------------
BAD_VALUES = ["nan", "inf", "-inf", "abc", "1e400", "-1e400", "", "0x10", "1,2", "[1", "[]", "none", "--", "1e-400x"]

# the command, the arguments before --set, and the parameter to give a bad value
SETTABLE = [
    (["solve", "pleading-poverty"], "transparency"),
    (["solve", "task-pushdown"], "rounds"),
    (["solve", "contracting-stage"], "task_pushdown.rounds"),
    (["solve", "resource-allocation"], "feedback"),
    (["compare", "joint-blame"], "penalty_aider"),
    (["export", "task-pushdown", "--format", "efg"], "rounds"),
    (["export", "joint-blame", "--format", "nfg"], "prob_good"),
    (["sensitivity", "pleading-poverty", "--vary", "transparency=0:1", "--n", "8"], "penalty"),
]


def _corpus(tmp: Path) -> list:
    bad_toml = tmp / "bad.toml"
    bad_toml.write_text("transparency = [0, 0.5\n[pleading-poverty\n")
    binary = tmp / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00garbage\x80")
    unknown = tmp / "unknown.toml"
    unknown.write_text("[pleading-povrty]\ntransparency = 0.5\n")
    nested = tmp / "nested.toml"
    nested.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    huge = tmp / "huge.toml"
    huge.write_text("[task-pushdown]\nrounds = 100000000000000000000000000000000000000000\n")
    nanlevels = tmp / "nan.toml"
    nanlevels.write_text("transparency = [nan, inf]\n")
    a_file = tmp / "file"
    a_file.write_text("")
    out = str(tmp / "out")
    corpus = [
        ["solve", "no-such-model"], ["describe", "pleading-povrty"], ["demo", "nope"], ["compare", "nope"],
        ["export", "nope", "--format", "efg"], ["sweep", "nope", "--grid", "transparency=0:1:2", "--out", out],
        ["sensitivity", "nope", "--vary", "transparency=0:1"],
        ["solve", "pleading-poverty", "--set", "transparancy=0.5"], ["solve", "pleading-poverty", "--set", "=1"],
        ["solve", "pleading-poverty", "--set", "transparency"], ["solve", "pleading-poverty", "--set", "a=b=c"],
        ["solve", "pleading-poverty", "--set", "transparency=0.5", "--set", "transparency=0.6"],
        ["solve", "resource-allocation", "--set", "feedback=0,1"], ["solve", "resource-allocation", "--set",
                                                                     "transparency=0,1"],
        ["compare", "pleading-poverty", "--transparency"], ["compare", "pleading-poverty", "--transparency", "nan"],
        ["compare", "pleading-poverty", "--transparency", "2"], ["compare", "pleading-poverty", "--transparency",
                                                                 "1e999"],
        ["compare", "pleading-poverty", "--transparency", "0", "--transparency", "1"],
        ["export", "pleading-poverty", "--format", "efg"], ["export", "task-pushdown"],
        ["export", "task-pushdown", "--format", "nfg"],
        ["export", "task-pushdown", "--format", "efg", "--out", str(tmp / "no" / "dir" / "x.efg")],
        ["export", "task-pushdown", "--format", "efg", "--out", str(tmp)],
        ["export", "task-pushdown", "--format", "efg", "--set", "rounds=1e10"],
        ["report", "--config", str(tmp / "missing.toml")], ["report", "--config", str(bad_toml)],
        ["report", "--config", str(binary)], ["report", "--config", str(unknown)], ["report", "--config", str(tmp)],
        ["report", "--config", str(nested)], ["report", "--config", str(huge)], ["report", "--config", str(nanlevels)],
        ["report", "--transparency", "0", "2"], ["report", "--transparency", "nan"], ["report", "--lang", "fr"],
        ["report", "--format", "pdf"], ["report", "--out", str(tmp / "no" / "dir" / "r.txt")],
        ["report", "--out", str(tmp)],
        ["sweep", "pleading-poverty", "--out", out], ["sweep", "pleading-poverty", "--grid", "transparency=0:1:2"],
        ["sweep", "pleading-poverty", "--grid", "transparency=0:1:x", "--out", out],
        ["sweep", "pleading-poverty", "--grid", "transparency=nan:1:3", "--out", out],
        ["sweep", "pleading-poverty", "--grid", "transparency=0:2:3", "--out", out],
        ["sweep", "pleading-poverty", "--grid", "transparancy=0:1:3", "--out", out],
        ["sweep", "pleading-poverty", "--grid", "transparency=0:1:1e99", "--out", out],
        ["sweep", "pleading-poverty", "--grid", "transparency=0:1:99999999999999999999", "--out", out],
        ["sweep", "task-pushdown", "--grid", "rounds=1:1e9:3", "--out", out],
        ["sweep", "task-pushdown", "--grid", "rounds=1,2,1e30", "--out", out],
        ["sweep", "task-pushdown", "--samples", "4", "--vary", "rounds=1:1e9", "--out", out],
        ["sweep", "pleading-poverty", "--samples", "1e3", "--vary", "transparency=0:1", "--out", out],
        ["sweep", "pleading-poverty", "--samples", "0", "--vary", "transparency=0:1", "--out", out],
        ["sweep", "pleading-poverty", "--samples", "99999999999999999999", "--vary", "transparency=0:1", "--out", out],
        ["sweep", "pleading-poverty", "--samples", "4", "--vary", "transparency=1:0", "--out", out],
        ["sweep", "pleading-poverty", "--samples", "4", "--vary", "transparency=0:inf", "--out", out],
        ["sweep", "pleading-poverty", "--samples", "4", "--vary", "transparency=0:1", "--seed", "-1", "--out", out],
        ["sweep", "pleading-poverty", "--samples", "4", "--vary", "transparency=0:1", "--seed", "1e99", "--out", out],
        ["sweep", "pleading-poverty", "--samples", "4", "--vary", "transparency=0:1", "--seed",
         "9" * 40, "--out", out],
        ["sweep", "pleading-poverty", "--grid", "transparency=0:1:3", "--chunk-size", "0", "--out", out],
        ["sweep", "pleading-poverty", "--grid", "transparency=0:1:3", "--output", "rnet", "--out", out],
        ["sweep", "pleading-poverty", "--grid", "transparency=0:1:3", "--out", str(a_file)],
        ["sweep", "pleading-poverty", "--grid", "transparency=0:1:3", "--scheduler-timeout", "nan", "--out", out],
        ["sweep", "pleading-poverty", "--grid", "transparency=0:1:3", "--scheduler-timeout", "-1", "--out", out],
        ["sweep", "pleading-poverty", "--grid", "transparency=0:1:3", "--backend", "dask", "--scheduler", "no address",
         "--scheduler-timeout", "0.5", "--out", out],
        ["sweep", "pleading-poverty", "--grid", "transparency=0:1:3", "--backend", "dask", "--scheduler", "http://x:1",
         "--scheduler-timeout", "0.5", "--out", out],
        ["sweep", "resource-allocation", "--grid", "feedback=0:1:3", "--out", out],
        ["sweep", "resource-allocation", "--grid", "feedback[7]=0:1:3", "--out", out],
        ["sweep", "resource-allocation", "--grid", "feedback[x]=0:1:3", "--out", out],
        ["sweep", "resource-allocation", "--grid", "transparency[0]=0:1:3", "--out", out],
        ["sensitivity", "pleading-poverty"], ["sensitivity", "pleading-poverty", "--vary", "transparency=0:1",
                                              "--n", "1"],
        ["sensitivity", "pleading-poverty", "--vary", "transparency=0:1", "--n", "9" * 30],
        ["sensitivity", "pleading-poverty", "--vary", "transparency=0:1", "--n", "8", "--method", "morris",
         "--output", "nope"],
        ["sensitivity", "pleading-poverty", "--vary", "transparency=0:5", "--n", "8"],
        ["sensitivity", "pleading-poverty", "--vary", "transparency=0:1", "--n", "8", "--seed", "x"],
    ]
    corpus += [["solve", "pleading-poverty", "--set", "transparency=1e30"],
               ["solve", "task-pushdown", "--set", "rounds=1e30"], ["solve", "task-pushdown", "--set", "rounds=1e10"],
               ["solve", "task-pushdown", "--set", "rounds=2.5"],
               ["solve", "joint-blame", "--set", "prob_good=-0.0001"],
               ["compare", "joint-blame", "--set", "penalty_aider=-1e300"]]
    for prefix, name in SETTABLE:
        corpus += [prefix + ["--set", f"{name}={value}"] for value in BAD_VALUES]
        corpus.append(prefix + ["--set", f"{name}x=1"])
    return corpus


def test_every_command_refuses_a_corpus_of_bad_arguments_with_one_line(capsys, tmp_path):
    failures = []
    for argv in _corpus(tmp_path):
        code, out, err = run(capsys, *argv)
        if code != 2 or "Traceback" in err or err.count("\n") != 1 or not err.startswith("gametheory-aid: error: "):
            failures.append((argv, code, err[-300:]))
        if (tmp_path / "out").exists():  # a refused sweep writes nothing
            failures.append((argv, "left", sorted(p.name for p in (tmp_path / "out").iterdir())))
    assert failures == [], "\n".join(map(repr, failures))


# -- 9. TOML configurations, fuzzed ----------------------------------------------------------
_TABLES = ["pleading-poverty", "poverty-bargaining", "task-pushdown", "joint-blame", "contracting-stage",
           "pleading-povrty", "transparency"]
_KEYS = ["transparency", "value_intercept", "cost_weak", "rounds", "penalty", "prob_good", "task_value",
         "platform_cost", "nope", "rounds.x", '"quoted key"', "transparency"]
_HOSTILE = ["nan", "inf", "-inf", "+inf", "-0.0", "1e308", "-1e308", "1e400", "true", "false", '"0.5"', "''",
            "[]", "[1, 2]", "[nan]", "[[0.5]]", "{}", "{ a = 1 }", "1979-05-27", "07:32:00", "1979-05-27T07:32:00Z",
            "0x7fffffffffffffff", "9" * 40, "-" + "9" * 40, "0b1", "1_000", "3", "0.5", "0", "-1", "1e-320"]


def _hostile_config():
    line = st.builds(lambda k, v: f"{k} = {v}", st.sampled_from(_KEYS), st.sampled_from(_HOSTILE))
    table = st.builds(lambda t, lines: f"[{t}]\n" + "\n".join(lines), st.sampled_from(_TABLES),
                      st.lists(line, max_size=3))
    structured = st.builds(lambda top, tables: "\n".join(top + tables), st.lists(line, max_size=2),
                           st.lists(table, max_size=3))
    return st.one_of(structured, st.text(max_size=200), st.binary(max_size=200))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(config=_hostile_config())
def test_a_hostile_config_is_read_or_refused_on_one_line(capsys, tmp_path, monkeypatch, config):
    import gametheory_aid.report as report

    # what is under test is reading and checking the file; the report's solving is tested elsewhere
    monkeypatch.setattr(report, "build_report", lambda levels, config, lang, params=None: (levels, config, lang))
    monkeypatch.setattr(report, "render", lambda built, fmt, raw_names=False: "rendered")
    path = tmp_path / "hostile.toml"
    if isinstance(config, bytes):
        path.write_bytes(config)
    else:
        path.write_text(config, encoding="utf-8")
    code, out, err = run(capsys, "report", "--config", str(path))
    if code == 0:
        assert out == "rendered\n" and err == ""
    else:
        assert_one_line_error(code, out, err, repr(str(path)).strip("'"))


def test_a_pipe_closing_while_out_is_written_ends_quietly(capsys, monkeypatch):
    import gametheory_aid.cli.options as options

    class Pipe:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(options, "open", lambda *args, **kwargs: Pipe(), raising=False)
    code, out, err = run(capsys, "export", "task-pushdown", "--format", "efg", "--out", "/dev/stdout")
    assert (code, err) == (0, "")


# -- the remaining paths of the error handling ------------------------------------------------
def test_ctrl_c_before_the_first_chunk_says_nothing_was_kept(capsys, tmp_path, monkeypatch):
    monkeypatch.setitem(MODELS, Interrupted.name, Interrupted)
    monkeypatch.setattr(Interrupted, "armed", True)
    code, out, err = run(capsys, "sweep", Interrupted.name, "--grid", "value=6:9:4", "--chunk-size", "2", "--out",
                         str(tmp_path / "s"))
    assert code == 130 and out == ""
    assert err == ("gametheory-aid: interrupted: before any chunk was written; nothing was kept (run the command "
                   "again to start afresh)\n")
    assert not (tmp_path / "s").exists()


def test_ctrl_c_with_debug_shows_the_traceback(capsys, monkeypatch):
    def interrupt(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(Plain, "solve", interrupt)
    code, out, err = run(capsys, "--debug", "solve", "plain-test")
    assert code == 130 and err.startswith("Traceback") and "KeyboardInterrupt" in err


class Warns(Plain):
    name = "plain-warns-test"

    def _solve(self, value, transparency):
        import warnings

        warnings.warn("a caveat\nwith a second line", UserWarning, stacklevel=2)
        return super()._solve(value=value, transparency=transparency)


def test_a_warning_is_one_line_naming_the_program(capsys, monkeypatch):
    monkeypatch.setitem(MODELS, Warns.name, Warns)
    code, out, err = run(capsys, "solve", Warns.name)
    assert code == 0 and err == "gametheory-aid: warning: a caveat\n"


def test_report_refuses_levels_that_differ_from_the_configs(capsys, tmp_path):
    path = tmp_path / "levels.toml"
    path.write_text("transparency = [0, 1]\n")
    code, out, err = run(capsys, "report", "--config", str(path), "--transparency", "0", "0.5")
    assert_one_line_error(code, out, err, "--transparency 0 0.5: the config file")


class FloatGame(Plain):
    """A finite game built in floating point only: ``to_game`` takes no ``exact``."""

    name = "plain-game-test"

    def to_game(self):
        from gametheory_aid.core.game_tree import Decision, GameTree, Terminal

        return GameTree(Decision(0, {"a": Terminal((1.0, 0.0)), "b": Terminal((0.0, 1.0))}), players=("A", "B"))


class _NoSignature:
    """A callable whose signature cannot be read."""

    __signature__ = "not a signature"

    def __init__(self, build):
        self.build = build

    def __call__(self):
        return self.build()


class OpaqueGame(FloatGame):
    name = "plain-opaque-game-test"

    @property
    def to_game(self):
        return _NoSignature(super().to_game)


@pytest.mark.parametrize("cls", [FloatGame, OpaqueGame])
def test_export_without_exact_arithmetic(capsys, monkeypatch, cls):
    monkeypatch.setitem(MODELS, cls.name, cls)
    code, out, err = run(capsys, "export", cls.name, "--format", "efg")
    assert code == 0 and out.startswith("EFG 2 R")
    code, out, err = run(capsys, "export", cls.name, "--format", "efg", "--exact")
    assert_one_line_error(code, out, err, f"--exact: model {cls.name} builds its game in floating point only")
