"""Labels: every output, regime and parameter of every model has a short English and Chinese label.

The tables of the report and of ``solve``/``compare``/``describe`` show the labels under the
language chosen; ``--raw-names`` (``raw_names=True``) shows the raw names; JSON keeps the raw
names always.
"""
import json
import re

import pytest

from gametheory_aid import cli
from gametheory_aid.models import get_model, model_names
from gametheory_aid.models.story import label

CJK = re.compile(r"[\u4e00-\u9fff]")


def labelled_names(cls) -> set:
    """The names a model's tables may show: its outputs, their categories, its parameters and
    the fields of its story's analyses (the report's further results, ``analysis.field``)."""
    from gametheory_aid.report import _fact_items, build_section

    names = {o.name for o in cls.outputs}
    names |= {c for o in cls.outputs for c in (getattr(o, "categories", None) or ())}
    names |= {p.name for p in cls.parameters}
    if cls.story.analyses is not None:
        names |= {n for n, _ in _fact_items(build_section(cls()), raw_names=True)}
    return names


@pytest.mark.parametrize("name", model_names())
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_name_has_a_label(name, lang):
    cls = get_model(name)
    labels = {n: label(cls, n, lang) for n in labelled_names(cls)}
    for n, text in labels.items():
        assert text and text.strip(), (name, n)
        # the story labels it: itself, or (a part's parameter) the part and the part's model
        own = n.partition(".")[0] if "." in n and n not in cls.story.labels else n
        assert own in cls.story.labels, f"{name}: {n!r} has no label"
        if own != n:
            assert n.partition(".")[2] in get_model(own).story.labels, f"{name}: {n!r} has no label"
        if lang == "zh":
            assert CJK.search(text), f"{name}: the Chinese label of {n!r} ({text!r}) has no Chinese"
    # one label per thing: two names never read the same (a shared key carries one label)
    by_text = {}
    for n, text in labels.items():
        by_text.setdefault(text, []).append(n)
    assert not {t: ns for t, ns in by_text.items() if len(ns) > 1}


@pytest.mark.parametrize("name", model_names())
def test_labels_are_the_storys_own(name):
    """Every label the story carries is an (English, Chinese) pair naming something of the model."""
    cls = get_model(name)
    parts = {p.name.split(".", 1)[0] for p in cls.parameters if "." in p.name}
    for key, pair in cls.story.labels.items():
        assert key in labelled_names(cls) | parts, f"{name}: label for unknown name {key!r}"
        english, chinese = pair
        assert english and not CJK.search(english) and CJK.search(chinese), (name, key)


@pytest.mark.parametrize("name, lang, expected", [
    pytest.param("pleading-poverty", "en", "strong aider's information rent", id="rent-en"),
    pytest.param("pleading-poverty", "zh", "宽裕型的信息租金", id="rent-zh"),
    pytest.param("task-pushdown", "zh", "任务落空", id="lapsed-zh"),
])
def test_paper_terms(name, lang, expected):
    """The labels use the paper's terms."""
    n = {"pleading-poverty": "rent_strong", "task-pushdown": "lapsed"}[name]
    assert label(get_model(name), n, lang) == expected


@pytest.mark.parametrize("lang, separator", [pytest.param("en", ": ", id="en"), pytest.param("zh", "：", id="zh")])
def test_part_parameter_reuses_the_parts_label(lang, separator):
    stage = get_model("contracting-stage")
    own = label(get_model("joint-blame"), "penalty_aider", lang)
    part = stage.story.label("joint-blame", lang)
    assert label(stage, "joint-blame.penalty_aider", lang) == f"{part}{separator}{own}"


@pytest.mark.parametrize("name, expected", [
    pytest.param("nowhere.penalty", "nowhere.penalty", id="unknown-part"),
    pytest.param("intended_share[1]", None, id="element"),
])
def test_label_edge_cases(name, expected):
    cls = get_model("contracting-stage" if expected else "resource-allocation")
    if expected is None:
        expected = label(cls, "intended_share", "zh") + " 2"
    assert label(cls, name, "zh") == expected
    assert label(cls, name, "zh", raw=True) == name


# -- the command line ---------------------------------------------------------------------------
def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def rows(out: str) -> dict:
    """A text table's rows: first cell -> the other cells (cells are separated by two spaces)."""
    table = {}
    for line in out.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        if len(cells) > 1:
            table[cells[0]] = cells[1:]
    return table


def test_solve_shows_labels_in_the_language(capsys):
    cls = get_model("task-pushdown")
    result = cls().solve()
    code, out, _ = run(capsys, "solve", "task-pushdown", "--lang", "zh")
    table = rows(out)
    assert code == 0 and "lapsed" not in out and "actor" not in out
    assert table[label(cls, "lapsed", "zh")] == ["是" if result.lapsed else "否"]
    assert table[label(cls, "actor", "zh")] == [label(cls, result.actor, "zh")]
    code, out, _ = run(capsys, "solve", "task-pushdown")  # English labels by default
    assert code == 0 and label(cls, "completion_probability") in out and "completion_probability" not in out


def test_raw_names_print_the_results_as_they_print_themselves(capsys):
    cls = get_model("task-pushdown")
    code, out, _ = run(capsys, "solve", "task-pushdown", "--lang", "zh", "--raw-names")
    assert code == 0 and out == f"{cls().solve()}\n"
    code, out, _ = run(capsys, "compare", "joint-blame", "--raw-names")
    assert code == 0 and out == f"{get_model('joint-blame')().compare([0.0, 0.5, 1.0])}\n"
    code, out, _ = run(capsys, "describe", "joint-blame", "--raw-names")
    assert code == 0 and out == get_model("joint-blame").describe() + "\n"


@pytest.mark.parametrize("argv", [
    pytest.param(["solve", "contracting-stage"], id="solve"),
    pytest.param(["compare", "joint-blame", "--transparency", "0", "1"], id="compare"),
    pytest.param(["describe", "resource-allocation"], id="describe"),
])
def test_json_keeps_the_raw_names(capsys, argv):
    outs = [run(capsys, *argv, "--json", *extra)[1] for extra in ([], ["--lang", "zh"], ["--raw-names"])]
    assert outs[0] == outs[1] == outs[2]
    assert not CJK.search(json.dumps(json.loads(outs[0])["name" if "describe" in argv else "parameters"]))


def test_compare_labels_regimes_and_composite_parts(capsys):
    cls = get_model("joint-blame")
    code, out, _ = run(capsys, "compare", "joint-blame", "--lang", "zh", "--transparency", "0", "1")
    expected = [label(cls, cls(transparency=t).solve().regime, "zh") for t in (0.0, 1.0)]
    assert code == 0 and rows(out)[label(cls, "regime", "zh")] == expected
    assert label(cls, "transparency", "zh") in out.splitlines()[0]
    stage = get_model("contracting-stage")
    code, out, _ = run(capsys, "compare", "contracting-stage", "--lang", "zh", "--transparency", "0", "1")
    assert code == 0 and label(stage, "centre_total", "zh") in rows(out)
    part = get_model("pleading-poverty")
    assert rows(out)[label(part, "rent_strong", "zh")][0] == f"{part().solve().rent_strong:g}"
    assert f"{label(stage, 'pleading_poverty', 'zh')}（pleading-poverty）" in out
    code, out, _ = run(capsys, "solve", "contracting-stage")
    assert code == 0 and f"{label(stage, 'joint_blame')} (joint-blame)" in out


def test_describe_lists_every_label(capsys):
    cls = get_model("pleading-poverty")
    code, out, _ = run(capsys, "describe", "pleading-poverty", "--lang", "zh")
    assert code == 0
    for name in [p.name for p in cls.parameters] + [o.name for o in cls.outputs]:
        # the raw name first (what --set takes), then the label
        assert re.search(rf"^{name} +{re.escape(label(cls, name, 'zh'))}  ", out, re.M), name
    for c in next(o for o in cls.outputs if o.name == "regime").categories:
        assert re.search(rf"^regime +{c} +{re.escape(label(cls, c, 'zh'))}$", out, re.M)
    code, out, _ = run(capsys, "describe", "task-pushdown")
    assert code == 0 and "Parameters:" in out and label(get_model("task-pushdown"), "lapsed") in out


@pytest.mark.parametrize("fmt, raw_row, label_row", [
    pytest.param("text", r"^rent_strong +8$", r"^{} +8$", id="text"),
    pytest.param("markdown", r"^\| rent_strong \| 8 ", r"^\| {} \| 8 ", id="markdown"),
])
def test_report_tables_show_labels(capsys, fmt, raw_row, label_row):
    cls = get_model("pleading-poverty")
    assert cls(transparency=0).solve().rent_strong == 8  # the default model's rent at τ = 0
    code, out, _ = run(capsys, "report", "--lang", "zh", "--format", fmt, "--transparency", "0")
    assert code == 0 and re.search(label_row.format(re.escape(label(cls, "rent_strong", "zh"))), out, re.M)
    assert not re.search(raw_row, out, re.M)
    regime = label(cls, cls(transparency=0).solve().to_dict()["regime"], "zh")
    row = re.escape(label(cls, "regime", "zh"))
    assert re.search(label_row.replace("8", re.escape(regime)).format(row), out, re.M)  # the regime's cell
    code, out, _ = run(capsys, "report", "--lang", "zh", "--format", fmt, "--transparency", "0", "--raw-names")
    assert code == 0 and re.search(raw_row, out, re.M)


def test_report_json_ignores_raw_names(capsys):
    outs = [run(capsys, "report", "--format", "json", "--transparency", "0", *extra)[1]
            for extra in ([], ["--raw-names"])]
    assert outs[0] == outs[1] and "rent_strong" in outs[0]


def test_html_report_labels(monkeypatch):
    from gametheory_aid import report

    monkeypatch.setattr(report, "figure_png", lambda figure, *a, **k: b"")  # the tables only
    rep = report.build_report([0.0], lang="zh")
    cls = get_model("pleading-poverty")
    labelled = report.render(rep, "html")
    raw = report.render(rep, "html", raw_names=True)
    assert f"<td>{label(cls, 'rent_strong', 'zh')}</td>" in labelled and "<td>rent_strong</td>" not in labelled
    assert "<td>rent_strong</td>" in raw
    threshold = label(cls, "threshold_transparency", "zh")
    assert f"{threshold} = " in labelled and "<code>threshold_transparency</code>" in raw
    assert report.render_report([0.0], "zh", "text", raw_names=True) == report.render(rep, "text", raw_names=True)


def test_demo_raw_names(capsys):
    cls = get_model("pleading-poverty")
    category = cls(transparency=0).solve().to_dict()["regime"]
    code, out, _ = run(capsys, "demo", "pleading-poverty", "--lang", "zh")
    assert code == 0 and label(cls, category, "zh") in out and category not in out
    code, out, _ = run(capsys, "demo", "pleading-poverty", "--lang", "zh", "--raw-names")
    assert code == 0 and category in out
    monkeypatch_input = "\n" * 10
    import io
    import sys
    stdin, sys.stdin = sys.stdin, io.StringIO(monkeypatch_input)
    try:
        code, out, _ = run(capsys, "demo", "pleading-poverty", "--step", "--raw-names")
    finally:
        sys.stdin = stdin
    assert code == 0 and category in out


@pytest.mark.parametrize("command", ["solve", "compare", "describe"])
def test_unknown_language(capsys, command):
    code, _, err = run(capsys, command, "joint-blame", "--lang", "fr")
    assert code == 2 and "invalid choice: 'fr'" in err and "Traceback" not in err


def test_describe_without_summary_or_channel(monkeypatch):
    from gametheory_aid.cli.models import describe_text

    cls = get_model("joint-blame")
    monkeypatch.setattr(cls, "summary", "")
    monkeypatch.setattr(cls, "transparency_channel", "")
    lines = describe_text(cls, "zh").splitlines()
    assert lines[0].startswith("joint-blame: ") and lines[1:3] == ["", "参数："]
    bargaining = get_model("poverty-bargaining")
    assert not any(o.categories for o in bargaining.outputs)  # no regime: no table of regimes
    assert "均衡类型：" not in describe_text(bargaining, "zh") and "Regimes:" not in describe_text(bargaining)
