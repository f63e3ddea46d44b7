"""The main job: the report's numbers are the models' own, in every format and language."""
import base64
import io
import json
import re
from html.parser import HTMLParser

import numpy as np
import pytest

from gametheory_aid import cli, get_model
from gametheory_aid.models.story import label
from gametheory_aid.report import REPORT_MODELS, build_report, check_config, load_config, render

LEVELS = [0.0, 0.3, 1.0]


@pytest.fixture(scope="module")
def report():
    return build_report(LEVELS)


def test_every_number_equals_the_models_own_solve(report):
    assert [s.model for s in report.sections] == list(REPORT_MODELS)
    for section in report.sections:
        cls = get_model(section.model)
        for tau, result in zip(LEVELS, section.table.results, strict=True):
            own = cls(transparency=tau).solve().to_dict()
            got = result.to_dict()
            assert set(got) == set(own)
            for name, value in own.items():
                np.testing.assert_array_equal(np.asarray(got[name]), np.asarray(value), err_msg=name)


def test_stage_totals_add_up(report):
    for tau, r in zip(LEVELS, report.stage.table.results, strict=True):
        pp = get_model("pleading-poverty")(transparency=tau).solve()
        pb = get_model("poverty-bargaining")(transparency=tau).solve()
        tp = get_model("task-pushdown")(transparency=tau).solve()
        jb = get_model("joint-blame")(transparency=tau).solve()
        task_value = get_model("contracting-stage")().params["task_value"]
        expected = (pp.centre_welfare + pb.centre_expected_payoff + task_value * tp.completion_probability
                    - jb.centre_expected_loss)
        assert float(r.centre_total) == pytest.approx(float(expected), rel=1e-12)


def test_json_round_trips_to_the_python_api(report):
    doc = json.loads(render(report, "json"))
    assert doc["transparency"] == LEVELS
    for name in REPORT_MODELS:
        cls = get_model(name)
        for tau, eq in zip(LEVELS, doc["models"][name]["equilibria"], strict=True):
            own = cls(transparency=tau).solve().to_dict()
            for key, value in own.items():
                v = np.asarray(value)
                if v.dtype.kind in "fc":
                    np.testing.assert_allclose(np.asarray(eq[key], dtype=float), v, rtol=0, atol=0, err_msg=key)
                else:
                    assert np.asarray(eq[key]).tolist() == v.tolist(), key
    opt = get_model("contracting-stage")().optimal_transparency()
    assert doc["optimal_transparency"]["transparency"] == opt.transparency


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images, self.sections = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self.images.append(attrs.get("src", ""))
        if tag == "section":
            self.sections.append(attrs.get("id"))


def test_html_is_one_file_whose_figures_render(report, tmp_path):
    import matplotlib.image as mpimg

    text = render(report, "html")
    parser = _Images()
    parser.feed(text)
    assert parser.sections == list(REPORT_MODELS) + ["contracting-stage"]
    with_figure = [name for name in parser.sections if get_model(name).story.figure is not None]
    assert len(parser.images) == len(with_figure)
    for src in parser.images:
        assert src.startswith("data:image/png;base64,")  # embedded: no external file
        png = base64.b64decode(src.split(",", 1)[1])
        pixels = mpimg.imread(io.BytesIO(png), format="png")
        assert pixels.ndim == 3 and pixels.shape[0] > 100 and pixels.shape[1] > 100
        assert pixels[..., :3].std() > 0.01  # not blank
    assert "<script" not in text and "http" not in text.replace("http-equiv", "")


def test_chinese_report_uses_the_papers_terms():
    text = render(build_report([0.0, 1.0], lang="zh"), "text")
    for word in ("装穷叫苦", "向下转移任务压力", "反向避责", "联合避责"):
        assert word in text, word
    lapsed = build_report([0.0], config=check_config({"task-pushdown": {"rounds": 1, "blame_upper": 40,
                                                                          "blame_lower": 40}}), lang="zh")
    assert get_model("task-pushdown")(rounds=1, blame_upper=40, blame_lower=40).solve().lapsed
    assert "任务落空" in render(lapsed, "text")


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_text_formats_contain_every_model(report, fmt):
    text = render(report, fmt)
    for section in report.sections:
        assert section.title in text
    # the table's row of an output: its label by default, its raw name with raw_names
    row = {"text": r"^{} +\d", "markdown": r"^\| {} \| \d"}[fmt]
    total = label(get_model("contracting-stage"), "centre_total")
    assert re.search(row.format(re.escape(total)), text, re.M)
    assert not re.search(row.format("centre_total"), text, re.M)
    assert re.search(row.format("centre_total"), render(report, fmt, raw_names=True), re.M)


def test_config_changes_the_numbers(tmp_path):
    path = tmp_path / "params.toml"
    path.write_text('transparency = [0.0, 0.2]\n[pleading-poverty]\npenalty = 5\n'
                    '[contracting-stage]\nplatform_cost = 1.5\n', encoding="utf-8")
    config = load_config(path)
    rep = build_report(None, config)
    assert rep.levels == [0.0, 0.2]
    own = get_model("pleading-poverty")(penalty=5, transparency=0.2).solve()
    assert rep.sections[0].table.results[1].rent_strong == own.rent_strong
    assert rep.optimal.platform_cost == 1.5


@pytest.mark.parametrize("toml, message", [
    pytest.param('[nope]\nx = 1\n', "unknown key or table 'nope'", id="unknown-table"),
    pytest.param('[joint-blame]\npenalty = 1\n', "unknown parameter 'penalty' in [joint-blame]", id="unknown-key"),
    pytest.param('[joint-blame]\nprob_good = 2\n', "'joint-blame.prob_good' = 2.0", id="out-of-domain"),
    pytest.param('[joint-blame]\nprob_good = "x"\n', "must be a number", id="not-a-number"),
    pytest.param('transparency = 0.5\n', "must be a non-empty list", id="scalar-levels"),
    pytest.param('transparency = [0, 2]\n', "'transparency' = 2.0", id="level-out-of-domain"),
    pytest.param('[joint-blame\n', "not valid TOML", id="malformed"),
])
def test_cli_config_errors_are_one_line(tmp_path, capsys, toml, message):
    path = tmp_path / "bad.toml"
    path.write_text(toml, encoding="utf-8")
    code = cli.main(["report", "--config", str(path), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err


def test_cli_missing_config(capsys):
    assert cli.main(["report", "--config", "no-such-file.toml"]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_cli_report_writes_file(tmp_path, capsys):
    out = tmp_path / "report.md"
    assert cli.main(["report", "--format", "markdown", "--transparency", "0", "1", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# ") and "| τ=0 | τ=1 |" in text


@pytest.mark.parametrize("model", REPORT_MODELS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_demo_walks_through_each_model(capsys, model, lang):
    assert cli.main(["demo", model, "--lang", lang]) == 0
    text = capsys.readouterr().out
    steps = [line for line in text.splitlines() if line.startswith(("Step ", "第"))]
    assert len(steps) == 4
    assert ("transparency" in text) if lang == "en" else ("数字透明" in text)


def test_demo_unknown_model(capsys):
    assert cli.main(["demo", "nope"]) == 2
    assert "unknown model 'nope'" in capsys.readouterr().err


# -- the report, the demo and the glossary are generic over the registry ----------------------
def test_sections_follow_the_stories_order(report):
    orders = [get_model(s.model).story.order for s in report.sections]
    assert orders == sorted(orders)
    assert [s.model for s in report.composites] == ["contracting-stage"]
    assert report.stage is report.composites[0]


def test_every_figure_is_computed_when_the_report_is_built(report):
    for section in report.all_sections:
        cls = get_model(section.model)
        figure = cls.story.figure
        assert section.figure is not None and section.figure.parameter == figure.parameter
        element = re.fullmatch(r"(\w+)\[(\d+)\]", figure.parameter)
        base = element[1] if element else figure.parameter
        domain = cls.parameter_specs()[base].domain
        low = domain.low if figure.low is None else figure.low
        high = domain.high if figure.high is None else figure.high
        np.testing.assert_array_equal(section.figure.x, np.linspace(low, high, figure.points))
        if element:  # one scalar solve per point, the rest of the vector at its default
            index = int(element[2])
            points = []
            for x in section.figure.x:
                vector = np.array(cls().params[base], dtype=float)
                vector[index] = x
                points.append(cls(**{base: vector}).solve())
            grid = {name: np.array([p[name] for p in points]) for name in figure.outputs}
        else:
            grid = cls(transparency=section.figure.x).solve()
        expected = {}
        for name in figure.outputs:  # a vector output is one curve per element, "name[i]"
            v = np.asarray(grid[name], dtype=float)
            expected.update({f"{name}[{i}]": v[:, i] for i in range(v.shape[1])} if v.ndim == 2 else {name: v})
        assert list(section.figure.y) == list(expected)
        for name, y in section.figure.y.items():
            np.testing.assert_allclose(y, expected[name], rtol=1e-12, atol=1e-12, err_msg=name)


def test_a_figure_can_vary_one_element_of_a_vector_parameter():
    from gametheory_aid.core.params import UnknownNameError
    from gametheory_aid.models.story import Figure
    from gametheory_aid.report import figure_data

    model = get_model("resource-allocation")(transparency=0.5)
    data = figure_data(model, Figure(outputs=("allocation", "diverted"), parameter="feedback[0]",
                                     low=0.0, high=2.0, points=9))
    assert data.parameter == "feedback[0]" and list(data.y) == [
        "allocation[0]", "allocation[1]", "allocation[2]", "diverted"]
    for k, value in enumerate(data.x):
        one = model.with_(feedback=[value, 0.5, 1.0]).solve()
        assert data.y["diverted"][k] == float(one.diverted)
        np.testing.assert_array_equal([data.y[f"allocation[{i}]"][k] for i in range(3)], one.allocation)
    with pytest.raises(UnknownNameError, match="feedbak"):
        figure_data(model, Figure(outputs=("diverted",), parameter="feedbak[0]", low=0.0, high=1.0))


def test_json_holds_the_figures_and_the_analyses(report):
    doc = json.loads(render(report, "json"))
    stage = doc["composites"]["contracting-stage"]
    assert stage == doc["stage"]
    assert stage["analyses"]["optimal"] == doc["optimal_transparency"]
    assert stage["figure"]["y"]["centre_total"] == report.stage.figure.y["centre_total"].tolist()


def test_sub_model_tables_set_the_composite_too():
    config = check_config({"pleading-poverty": {"penalty": 5}, "joint-blame": {"penalty_aider": 4},
                           "contracting-stage": {"task_value": 7}})
    rep = build_report([0.0, 0.4], config)
    assert rep.stage.parameters == {"transparency": 0.0, "task_value": 7.0, "platform_cost": 4.0}
    pp = next(s for s in rep.sections if s.model == "pleading-poverty")
    jb = next(s for s in rep.sections if s.model == "joint-blame")
    for i, r in enumerate(rep.stage.table.results):
        assert r.information_rent == pp.table.results[i].rent_strong
        assert r.collusion_rate == jb.table.results[i].collusion_probability
        assert r.centre_value_pushdown == 7.0 * r.completion_probability


@pytest.mark.parametrize("data, message", [
    pytest.param({"joint-blam": {}}, "did you mean 'joint-blame'?", id="table"),
    pytest.param({"joint-blame": {"penalty_aidr": 1}}, "did you mean 'penalty_aider'?", id="key"),
    pytest.param({"contracting-stage": {"joint-blame.penalty_aider": 1}}, "unknown parameter", id="namespaced"),
])
def test_unknown_config_names_suggest_the_closest(data, message):
    from gametheory_aid.core.params import UnknownNameError

    with pytest.raises(UnknownNameError, match=message):
        check_config(data)


def test_glossary_merges_the_stories_terms():
    from gametheory_aid.core.params import UnknownNameError
    from gametheory_aid.glossary import GENERAL, GLOSSARY, sources, term

    owners = sources()
    for key, (en, zh) in GENERAL.items():
        assert owners[key] == "" and term(key) == en and term(key, "zh") == zh
    for name in REPORT_MODELS + ("contracting-stage",):
        story = get_model(name).story
        assert story.glossary, name
        for key, (en, zh) in story.glossary.items():
            # a term several stories use is owned by the first (in story order) and defined alike
            owner = owners[key]
            assert owner == name or (owner and get_model(owner).story.glossary[key] == (en, zh)), key
            assert GLOSSARY[key] == (en, zh)
            assert term(key) == en and term(key, "zh") == zh
    with pytest.raises(UnknownNameError, match="did you mean 'pleading_poverty'"):
        term("pleading_povrty")


def test_glossary_page_names_where_each_term_comes_from():
    from pathlib import Path

    from gametheory_aid.glossary import GLOSSARY, sources

    page = (Path(__file__).parent.parent / "docs" / "explanation" / "glossary.md").read_text(encoding="utf-8")
    cells = [line.strip().removeprefix("* ")[2:] for line in page.splitlines()
             if line.strip().startswith(("* - ", "- "))]
    rows = {cells[i]: (cells[i + 1], cells[i + 2]) for i in range(0, len(cells) - 2, 3)}
    for key, owner in sources().items():
        en, zh = GLOSSARY[key]
        assert en in rows, en
        assert rows[en][0] == zh, en
        assert rows[en][1] == owner if owner else rows[en][1] in ("background", "every model (transparency)"), en
    assert len(rows) == len(GLOSSARY) + 1  # and the header


def test_report_demo_and_glossary_hold_no_model_specific_text():
    """Their code names no model and no model's output: those live in the models and their stories."""
    import ast
    from pathlib import Path

    import gametheory_aid

    names = set(gametheory_aid.model_names())
    outputs = {o.name for n in names for o in get_model(n).outputs}
    for module in ("report.py", "demo.py", "glossary.py"):
        tree = ast.parse((Path(gametheory_aid.__file__).parent / module).read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
                      and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                assert not any(n in node.value for n in names), (module, node.value)
                assert node.value not in outputs, (module, node.value)


@pytest.mark.parametrize("lang, heading", [("en", r"Step \d\. "), ("zh", r"第\d步 ")])
def test_demo_numbers_every_step(lang, heading):
    import re

    from gametheory_aid.demo import demo, demo_models

    assert set(REPORT_MODELS) | {"contracting-stage"} <= set(demo_models())
    for name in demo_models():
        text = demo(name, lang)
        title = get_model(name).story.text(get_model(name).story.demo_title, lang)
        assert text.startswith(f"{title}\n{'=' * len(title)}\n\n")
        numbers = [int(re.search(r"\d+", line).group()) for line in text.splitlines() if re.match(heading, line)]
        assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 3, name


def test_a_config_nested_too_deeply_is_a_config_error(tmp_path):
    from gametheory_aid.report import ConfigError

    path = tmp_path / "nested.toml"
    path.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    with pytest.raises(ConfigError, match="nested too deeply"):
        load_config(path)
