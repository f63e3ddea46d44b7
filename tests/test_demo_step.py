"""``demo --set`` / ``demo --step`` and ``report --set``: the walkthrough and the report at given parameters."""
import io

import pytest

from gametheory_aid import cli
from gametheory_aid.core.params import ParameterError, UnknownNameError
from gametheory_aid.demo import PROMPT, demo, walkthrough
from gametheory_aid.models import get_model
from gametheory_aid.models.story import format_number


def run(capsys, monkeypatch, stdin, *argv):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("lang", [pytest.param("en", id="en"), pytest.param("zh", id="zh")])
@pytest.mark.parametrize("stdin, pauses", [pytest.param("\n\n\n\n", 3, id="enter-each"),
                                           pytest.param("\n", 2, id="eof-after-one"),
                                           pytest.param("", 1, id="eof-at-once")])
def test_step_pauses_until_end_of_input_then_prints_the_rest(capsys, monkeypatch, lang, stdin, pauses):
    code, out, err = run(capsys, monkeypatch, stdin, "demo", "pleading-poverty", "--step", "--lang", lang)
    assert code == 0 and err == ""
    assert out.count(PROMPT[lang]) == pauses
    # the same walkthrough as without --step, every step printed once
    _, steps = walkthrough("pleading-poverty", lang)
    for step in steps:
        for line in step.lines:
            assert out.count(line) == 1


def test_step_ctrl_c_is_exit_130(capsys, monkeypatch):
    class Interrupt(io.StringIO):
        def readline(self, *args):
            raise KeyboardInterrupt

    monkeypatch.setattr("sys.stdin", Interrupt())
    assert cli.main(["demo", "pleading-poverty", "--step"]) == 130


def test_set_gives_the_walkthrough_the_parameters(capsys, monkeypatch):
    code, out, _ = run(capsys, monkeypatch, "", "demo", "pleading-poverty", "--set", "value_intercept=3")
    model = get_model("pleading-poverty")(value_intercept=3)
    assert code == 0 and out.strip() == demo(model).strip() == demo("pleading-poverty",
                                                                     params={"value_intercept": 3}).strip()
    assert f"welfare is {format_number(model.solve().centre_welfare)}," in out
    assert out != demo("pleading-poverty")


@pytest.mark.parametrize("argv, words", [
    pytest.param(["--set", "bogus=3"], "unknown parameter 'bogus'", id="unknown-parameter"),
    pytest.param(["--set", "value_intercept=-1"], "value_intercept", id="outside-domain"),
])
def test_set_errors_are_one_line(capsys, monkeypatch, argv, words):
    code, out, err = run(capsys, monkeypatch, "", "demo", "pleading-poverty", *argv)
    assert code == 2 and out == "" and words in err and len(err.strip().splitlines()) == 1


def test_demo_api_errors():
    with pytest.raises(UnknownNameError):
        demo("pleading-poverty", params={"bogus": 1})
    with pytest.raises(ParameterError):
        demo("pleading-poverty", params={"value_intercept": -1})
    with pytest.raises(ValueError, match="language"):
        demo("pleading-poverty", lang="fr")
    with pytest.raises(UnknownNameError, match="model"):
        demo("no-such-model")


class _NoWalk:
    name = "no-walkthrough"


def test_an_instance_without_a_walkthrough_is_refused():
    with pytest.raises(UnknownNameError, match="walkthrough"):
        demo(_NoWalk())


# -- report --set MODEL.NAME=VALUE and build_report(params=...) ------------------------------------------
def test_report_set_solves_the_model_there(capsys, monkeypatch, tmp_path):
    from gametheory_aid.report import build_report

    code, out, err = run(capsys, monkeypatch, "", "report", "--transparency", "0", "--format", "json",
                         "--set", "pleading-poverty.value_intercept=3")
    assert code == 0 and err == ""
    report = build_report([0], params={"pleading-poverty": {"value_intercept": 3}})
    section = next(s for s in report.sections if s.model == "pleading-poverty")
    expected = get_model("pleading-poverty")(value_intercept=3, transparency=0).solve()
    assert section.table.results[0].rent_strong == expected.rent_strong
    assert section.table.results[0].centre_welfare == expected.centre_welfare != \
        get_model("pleading-poverty")().solve().centre_welfare
    # a value the config sets the same is fine, and gives the same report
    config = tmp_path / "c.toml"
    config.write_text("[pleading-poverty]\nvalue_intercept = 3\n", encoding="utf-8")
    code, same_out, _ = run(capsys, monkeypatch, "", "report", "--transparency", "0", "--format", "json",
                            "--config", str(config), "--set", "pleading-poverty.value_intercept=3")
    assert code == 0 and same_out == out


@pytest.mark.parametrize("argv, words", [
    pytest.param(["--set", "value_intercept=3"], "MODEL.NAME=VALUE", id="no-prefix"),
    pytest.param(["--set", "pleading-povrty.value_intercept=3"], "did you mean 'pleading-poverty'", id="model"),
    pytest.param(["--set", "pleading-poverty.value_intercep=3"], "did you mean 'value_intercept'", id="parameter"),
    pytest.param(["--set", "pleading-poverty.value_intercept=-1"], "outside its domain", id="domain"),
    pytest.param(["--set", "pleading-poverty.value_intercept=1", "--set", "pleading-poverty.value_intercept=2"],
                 "given twice", id="twice"),
    pytest.param(["--set", "pleading-poverty.value_intercept=3", "--config", "CONFIG"], "in one place only",
                 id="config-differs"),
])
def test_report_set_errors_are_one_line(capsys, monkeypatch, tmp_path, argv, words):
    config = tmp_path / "c.toml"
    config.write_text("[pleading-poverty]\nvalue_intercept = 12\n", encoding="utf-8")
    argv = [str(config) if a == "CONFIG" else a for a in argv]
    code, out, err = run(capsys, monkeypatch, "", "report", *argv)
    assert code == 2 and out == "" and words in err and len(err.strip().splitlines()) == 1
    if words == "in one place only":  # names both places: the file and the option
        assert str(config) in err and "--set" in err


def test_build_report_params_that_differ_from_the_config_are_an_error():
    from gametheory_aid.report import ConfigError, build_report, check_config

    config = check_config({"pleading-poverty": {"value_intercept": 12}})
    with pytest.raises(ConfigError, match="value_intercept.*in one place only"):
        build_report([0], config, params={"pleading-poverty": {"value_intercept": 3}})
    same = build_report([0], config, params={"pleading-poverty": {"value_intercept": 12}})
    assert same.sections[0].table.results[0].to_dict() == build_report([0], config).sections[0].table.results[
        0].to_dict()
