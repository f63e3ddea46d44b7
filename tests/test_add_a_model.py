"""Adding a model is one module and one story: every command and the report find it with no other edit.

The model below is defined here, registered with :func:`gametheory_aid.models.register` for this
module's tests only (and unregistered afterwards), and then looked for in the command line's
``list``, ``describe``, ``solve``, ``compare``, ``report`` (every format) and ``demo``, in the
report's configuration and in the glossary -- through the CLI and the Python API.

The model: an aider reports a project's progress to the centre.  Falsifying the report gains
:math:`g`; the platform detects a false report with probability :math:`\\tau` and then the aider
pays the penalty :math:`p`.  The expected net gain of falsifying is :math:`(1-\\tau) g - \\tau p`,
so the aider reports truthfully exactly from :math:`\\tau^* = g / (g + p)`; as a game, the aider
chooses between a truthful report (payoff 0) and a false one, which chance then detects.
"""
from __future__ import annotations

import base64
import inspect
import json
from html.parser import HTMLParser

import numpy as np
import pytest

from gametheory_aid.cli import main
from gametheory_aid.core.params import Domain, Parameter, UnknownNameError
from gametheory_aid.demo import demo
from gametheory_aid.glossary import GLOSSARY, term
from gametheory_aid.models import Model, Output, get_model, model_names, regime_codes, register, unregister
from gametheory_aid.models.story import DemoStep, Figure, Story, format_number
from gametheory_aid.report import build_report, check_config, render

NAME = "progress-report"
REGIMES = ("honest", "falsifies")
_f = format_number


def _sentences(table, facts, lang):
    (t0, r0), (t1, r1) = (table.levels[0], table.results[0]), (table.levels[-1], table.results[-1])
    tau = facts["threshold_transparency"]
    if lang == "zh":
        return [f"τ = {_f(t0)} 时，虚报进度的预期净收益为 {_f(r0.net_gain)}（均衡类型：{r0.regime}）。",
                f"τ = {_f(t1)} 时为 {_f(r1.net_gain)}（均衡类型：{r1.regime}）；τ ≥ {_f(tau)} 时如实报告。"]
    return [f"At τ = {_f(t0)} falsifying the progress report nets {_f(r0.net_gain)} (regime: {r0.regime}).",
            f"At τ = {_f(t1)} it nets {_f(r1.net_gain)} (regime: {r1.regime}); the aider reports truthfully "
            f"from τ ≥ {_f(tau)}."]


def _demo(model, lang):
    r0, r1 = model.solve(), model.with_(transparency=1.0).solve()
    g, p = model.params["gain"], model.params["penalty"]
    if lang == "zh":
        return [DemoStep("谁行动、谁知道什么", (f"支援方报告项目进度；虚报可得 {_f(g)}。",)),
                DemoStep("均衡", (f"虚报的净收益 {_f(r0.net_gain)}（均衡类型：{r0.regime}）。",)),
                DemoStep("数字透明（τ = 1）", (f"虚报必被发现并罚款 {_f(p)}：净收益 {_f(r1.net_gain)}。",))]
    return [DemoStep("Who moves, and what do they know?",
                     (f"The aider reports its progress; a false report gains {_f(g)}.",)),
            DemoStep("The equilibrium", (f"Falsifying nets {_f(r0.net_gain)} (regime {r0.regime}).",)),
            DemoStep("The same game with full transparency (τ = 1)",
                     (f"The platform detects every false report (penalty {_f(p)}): it nets {_f(r1.net_gain)}.",))]


STORY = Story(
    title={"en": "Falsifying the progress report", "zh": "虚报项目进度"},
    order=45,
    thresholds=("threshold_transparency",),
    figure=Figure(outputs=("net_gain",), points=11),
    sentences=_sentences,
    analyses=lambda model: {"net_gain_at_full": float(model.with_(transparency=1.0).solve().net_gain)},
    demo_title={"en": "Classroom walkthrough: the progress report", "zh": "课堂演示：项目进度报告"},
    demo=_demo,
    glossary={"progress_report": ("the progress report", "项目进度报告")},
)


class ProgressReport(Model):
    r"""An aider falsifies its progress report iff :math:`(1-\tau) g > \tau p` (see the module docstring)."""

    name = NAME
    title = "Falsifying the progress report"
    chinese_title = "虚报项目进度"
    summary = "The aider falsifies its progress report unless the platform's detection makes it not pay."
    transparency_channel = "probability that the platform detects a false report"
    story = STORY
    parameters = (
        Parameter("gain", "g", 3.0, Domain(0, None, low_open=True), "gain from a false report", "虚报收益"),
        Parameter("penalty", "p", 1.0, Domain(0, None), "penalty on a detected false report", "罚款"),
        Parameter("transparency", "tau", 0.0, Domain(0, 1), "strength of digital empowerment", "数字技术赋能"),
    )
    outputs = (
        Output("net_gain", "expected net gain of falsifying"),
        Output("falsifies", "whether the aider falsifies", kind="bool"),
        Output("regime", "honest or falsifies", kind="regime", categories=REGIMES),
        Output("threshold_transparency", "least transparency at which the aider reports truthfully"),
    )

    def _solve(self, gain, penalty, transparency):
        net = (1 - transparency) * gain - transparency * penalty
        return {"net_gain": net, "falsifies": net > 0, "regime": regime_codes(net <= 0, default=1),
                "threshold_transparency": gain / (gain + penalty)}

    def symbolic(self):
        import sympy as sp

        from gametheory_aid.core.symbolic import Regime, SymbolicSolution

        s = self.symbols()
        g, p, tau = s["gain"], s["penalty"], s["transparency"]
        net = (1 - tau) * g - tau * p
        return SymbolicSolution(self.name, s, [Regime("honest", sp.Le(net, 0), {"net_gain": net}),
                                               Regime("falsifies", sp.Gt(net, 0), {"net_gain": net})],
                                thresholds={"threshold_transparency": g / (g + p)})

    def to_game(self):
        from gametheory_aid.core.game_tree import Chance, Decision, GameTree, Terminal

        v = self.scalar_params("the game tree")
        g, p, tau = v["gain"], v["penalty"], v["transparency"]
        falsify = Chance({"detected": (tau, Terminal((-p, p))), "undetected": (1 - tau, Terminal((g, -g)))})
        # "truthful" first: an indifferent aider reports truthfully, as in _solve
        return GameTree(Decision(0, {"truthful": Terminal((0.0, 0.0)), "falsify": falsify}), ("aider", "centre"))

    def game_solution(self):
        tree = self.to_game()
        return {"falsifies": tree.backward_induction(tie="first").plan["root"] == "falsify",
                "net_gain": tree.expected_payoffs({"root": "falsify"})[0]}


@pytest.fixture(scope="module", autouse=True)
def registered():
    """The model in the registry for this module's tests only (``register`` is the class decorator)."""
    cls = register(ProgressReport)
    yield cls
    unregister(NAME)


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_the_registry_finds_it():
    assert NAME in model_names() and get_model(NAME) is ProgressReport


def test_the_generic_contract_holds_for_it():
    """Every per-model check of the contract test, on this model (the suite runs them on registered models)."""
    import test_contract

    checks = [f for n, f in inspect.getmembers(test_contract, inspect.isfunction)
              if n.startswith("test_") and list(inspect.signature(f).parameters) == ["name"]]
    assert len(checks) >= 5
    for check in checks:
        check(NAME)


def test_cli_list_and_describe(capsys):
    assert NAME in _run(capsys, "list")
    assert NAME in [m["name"] for m in json.loads(_run(capsys, "list", "--json"))]
    text = _run(capsys, "describe", NAME)
    assert "Falsifying the progress report" in text and "虚报收益" in text and "threshold_transparency" in text
    meta = json.loads(_run(capsys, "describe", NAME, "--json"))
    assert [p["name"] for p in meta["parameters"]] == ["gain", "penalty", "transparency"]
    assert meta["outputs"][2]["categories"] == list(REGIMES)


def test_cli_solve_equals_the_python_api(capsys):
    doc = json.loads(_run(capsys, "solve", NAME, "--set", "gain=2", "--set", "transparency=0.25", "--json"))
    own = ProgressReport(gain=2, transparency=0.25).solve()
    assert doc["equilibrium"]["net_gain"] == float(own.net_gain) == 0.75 * 2 - 0.25
    assert doc["equilibrium"]["regime"] == own.regime == "falsifies"
    assert "net_gain" in _run(capsys, "solve", NAME)


def test_cli_compare(capsys):
    doc = json.loads(_run(capsys, "compare", NAME, "--transparency", "0", "1", "--json"))
    assert [e["regime"] for e in doc["equilibria"]] == ["falsifies", "honest"]
    assert [e["net_gain"] for e in doc["equilibria"]] == [3.0, -1.0]


def test_the_report_has_its_section_in_the_stories_order():
    report = build_report([0.0, 0.5, 1.0])
    names = [s.model for s in report.sections]
    assert NAME in names
    orders = [get_model(n).story.order for n in names]
    assert orders == sorted(orders)
    section = report.sections[names.index(NAME)]
    assert section.title == "Falsifying the progress report"
    assert section.thresholds == {"threshold_transparency": 0.75}
    assert section.facts == {"threshold_transparency": 0.75, "net_gain_at_full": -1.0}
    assert section.sentences == _sentences(section.table, section.facts, "en")
    assert section.outputs == ["net_gain", "falsifies", "regime"]
    np.testing.assert_array_equal(section.figure.x, np.linspace(0, 1, 11))
    np.testing.assert_allclose(section.figure.y["net_gain"], 3 * (1 - section.figure.x) - section.figure.x,
                               rtol=1e-15, atol=1e-15)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_cli_report_text_formats(capsys, fmt, lang):
    text = _run(capsys, "report", "--format", fmt, "--lang", lang, "--transparency", "0", "1")
    title = STORY.text(STORY.title, lang)
    assert title in text
    report = build_report([0.0, 1.0], lang=lang)
    section = next(s for s in report.sections if s.model == NAME)
    for line in section.sentences:
        assert line in text
    assert "threshold_transparency" in text and "net_gain_at_full" in text


class _Sections(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sections, self.images, self._current = [], {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self._current = attrs["id"]
            self.sections.append(self._current)
        if tag == "img":
            self.images[self._current] = attrs["src"]


def test_cli_report_html_embeds_its_figure(capsys, tmp_path):
    out = tmp_path / "report.html"
    _run(capsys, "report", "--format", "html", "--out", str(out))
    parser = _Sections()
    parser.feed(out.read_text(encoding="utf-8"))
    assert NAME in parser.sections
    png = base64.b64decode(parser.images[NAME].split(",", 1)[1])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_report_json_equals_the_python_api(capsys):
    doc = json.loads(_run(capsys, "report", "--format", "json", "--transparency", "0", "0.5", "1"))
    section = doc["models"][NAME]
    for tau, eq in zip([0.0, 0.5, 1.0], section["equilibria"], strict=True):
        own = ProgressReport(transparency=tau).solve()
        assert eq == {"net_gain": float(own.net_gain), "falsifies": bool(own.falsifies), "regime": str(own.regime),
                      "threshold_transparency": 0.75}
    assert section["thresholds"] == {"threshold_transparency": 0.75}
    assert section["analyses"] == {"net_gain_at_full": -1.0}
    assert section["figure"]["x"] == np.linspace(0, 1, 11).tolist()
    grid = ProgressReport(transparency=np.linspace(0, 1, 11)).solve()
    assert section["figure"]["y"]["net_gain"] == grid.net_gain.tolist()


def test_report_config_takes_its_table(tmp_path, capsys):
    path = tmp_path / "params.toml"
    path.write_text(f"transparency = [0.5]\n[{NAME}]\ngain = 1\npenalty = 3\n", encoding="utf-8")
    doc = json.loads(_run(capsys, "report", "--config", str(path), "--format", "json"))
    assert doc["models"][NAME]["equilibria"][0]["net_gain"] == 0.5 * 1 - 0.5 * 3
    assert doc["models"][NAME]["thresholds"] == {"threshold_transparency": 0.25}


@pytest.mark.parametrize("table, message", [
    ("[progress-reprt]\ngain = 1\n", "unknown key or table 'progress-reprt'; did you mean 'progress-report'?"),
    (f"[{NAME}]\ngian = 1\n", f"unknown parameter 'gian' in [{NAME}]; did you mean 'gain'?"),
    (f"[{NAME}]\ngain = 0\n", f"'{NAME}.gain' = 0.0"),
])
def test_report_config_errors_name_the_closest(tmp_path, capsys, table, message):
    path = tmp_path / "bad.toml"
    path.write_text(table, encoding="utf-8")
    assert main(["report", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and message in err


def test_unknown_config_names_are_unknown_name_errors():
    with pytest.raises(UnknownNameError) as info:
        check_config({NAME: {"gian": 1}})
    assert info.value.name == "gian" and "gain" in info.value.known


@pytest.mark.parametrize("lang, heading", [("en", "Step {i}. "), ("zh", "第{i}步 ")])
def test_cli_demo_numbers_its_steps(capsys, lang, heading):
    text = _run(capsys, "demo", NAME, "--lang", lang)
    assert text == demo(NAME, lang) + "\n"
    title = STORY.text(STORY.demo_title, lang)
    assert text.startswith(f"{title}\n{'=' * len(title)}\n")
    for i, step in enumerate(_demo(ProgressReport(), lang), 1):
        assert heading.format(i=i) + step.heading + "\n" in text
        for line in step.lines:
            assert f"   {line}\n" in text


def test_demo_unknown_model_suggests_the_closest():
    with pytest.raises(UnknownNameError, match="did you mean 'progress-report'"):
        demo("progress-reprot")


def test_glossary_has_its_term():
    assert term("progress_report") == "the progress report"
    assert term("progress_report", "zh") == "项目进度报告"
    assert GLOSSARY["progress_report"] == ("the progress report", "项目进度报告")
    assert "paired_aid" in GLOSSARY


def test_unregistered_it_is_gone(registered):
    unregister(NAME)
    try:
        assert NAME not in model_names() and "progress_report" not in GLOSSARY
        assert NAME not in [s.model for s in build_report([0.0]).sections]
        with pytest.raises(UnknownNameError):
            check_config({NAME: {}})
    finally:
        register(registered)


def test_python_api_report_render_in_every_format():
    report = build_report([0.0, 1.0])
    for fmt in ("text", "markdown", "html", "json"):
        assert "Falsifying the progress report" in render(report, fmt)
