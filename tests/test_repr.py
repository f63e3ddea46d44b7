"""Rich display in Jupyter: results and comparisons as HTML tables, the closed form as LaTeX.

The HTML is read back with the standard library's parser, and every cell is checked against
the result it shows: an output's label in the chosen language (its raw name with
``raw_names``), numbers to six significant figures, regimes by their labels, booleans as
yes/no words.
"""
from fractions import Fraction
from html.parser import HTMLParser

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gametheory_aid as gta
from gametheory_aid.core import results
from gametheory_aid.core.results import (
    Comparison,
    Equilibrium,
    EquilibriumSet,
    ModelResult,
    Presentation,
    html_table,
    set_display,
    set_presenter,
)
from gametheory_aid.models import get_model, model_names
from gametheory_aid.models.display import WORDS, present
from gametheory_aid.models.story import label


class _Tables(HTMLParser):
    """The tables of an HTML fragment: ``[(caption, header, rows)]`` with unescaped text."""

    def __init__(self):
        super().__init__()
        self.tables, self._cell, self._row, self._inner = [], None, None, 0

    def handle_starttag(self, tag, attrs):
        if self._inner or (tag == "table" and self._cell is not None):  # a matrix inside a cell
            self._inner += tag == "table"
            return
        if tag == "table":
            self.tables.append({"caption": None, "header": [], "rows": []})
        elif tag in ("td", "th", "caption"):
            self._cell = []
        elif tag == "tr":
            self._row = []

    def handle_endtag(self, tag):
        if self._inner:  # a matrix's entries separated by spaces, its rows by " / "
            self._inner -= tag == "table"
            self._cell.append({"td": " ", "tr": "/ "}.get(tag, ""))
            return
        table = self.tables[-1] if self.tables else None
        if tag == "caption":
            table["caption"] = "".join(self._cell)
        elif tag in ("td", "th"):
            self._row.append(("th" if tag == "th" else "td", "".join(self._cell)))
            self._cell = None
        elif tag == "tr":
            if all(kind == "th" for kind, _ in self._row):
                table["header"] = [text for _, text in self._row]
            else:
                table["rows"].append([text for _, text in self._row])

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables(fragment: str) -> list:
    parser = _Tables()
    parser.feed(fragment)
    return parser.tables


def expected_cell(model, value, lang: str, raw: bool) -> str:
    """What a cell must show, computed here from the value."""
    value = np.asarray(value) if isinstance(value, np.ndarray) else value
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, np.ndarray) and value.ndim == 2 and value.size <= 144:
        return "".join(" ".join(_number(v) for v in row) + " / " for row in value.tolist())
    if isinstance(value, np.ndarray) and value.size > 64:
        return f"array(shape={value.shape}, dtype={value.dtype})"
    if isinstance(value, np.ndarray):
        value = value.tolist()
    words = WORDS[lang]
    if isinstance(value, bool):
        return words["yes" if value else "no"]
    if isinstance(value, list) and value and all(isinstance(v, bool) for v in value):
        return " ".join(words["yes" if v else "no"] for v in value)
    if isinstance(value, str):
        return value if raw else label(model, value, lang)
    return _number(value)


def _number(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_number(v) for v in value) + "]"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


@pytest.fixture(autouse=True)
def default_display():
    old = set_display(lang="en", raw_names=False)
    yield
    set_display(**old)


def _check_result(model, result, table, lang, raw):
    assert table["header"] == [WORDS[lang]["output"], WORDS[lang]["value"]]
    flat = [k for k in result if not isinstance(result[k], ModelResult)]
    assert [r[0] for r in table["rows"]] == [k if raw else label(model, k, lang) for k in flat]
    for (_, shown), k in zip(table["rows"], flat, strict=True):
        assert shown == expected_cell(model, result[k], lang, raw), k


def caption_name(name: str, lang: str, raw: bool) -> str:
    """How a caption names the model: its Chinese title in Chinese (labels on), else its name."""
    title = get_model(name).chinese_title
    return title if lang == "zh" and title and not raw else name


@pytest.mark.parametrize("raw", [False, True], ids=["labels", "raw-names"])
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", model_names())
def test_a_result_renders_as_a_table_of_every_output(name, lang, raw):
    model = get_model(name)()
    result = model.solve()
    found = tables(result.to_html(lang, raw))
    nested = [k for k in result if isinstance(result[k], ModelResult)]
    assert len(found) == 1 + len(nested)
    caption = WORDS[lang]["equilibrium"].format(model=caption_name(name, lang, raw))
    assert found[0]["caption"] == caption
    _check_result(model, result, found[0], lang, raw)
    for table, k in zip(found[1:], nested, strict=True):
        part = result[k]
        assert table["caption"] == f"{k if raw else label(model, k, lang)} ({part.model})"
        _check_result(get_model(part.model), part, table, lang, raw)


@pytest.mark.parametrize("name", model_names())
def test_the_display_setting_chooses_what_jupyter_shows(name):
    result = get_model(name)().solve()
    assert result._repr_html_() == result.to_html("en", False)
    set_display(lang="zh")
    assert result._repr_html_() == result.to_html("zh", False)
    set_display(raw_names=True)
    assert result._repr_html_() == result.to_html("zh", True)


@settings(max_examples=25, deadline=None)
@given(name=st.sampled_from(model_names()), lang=st.sampled_from(["en", "zh"]), raw=st.booleans(),
       levels=st.lists(st.floats(0, 1), min_size=1, max_size=4))
def test_a_comparison_renders_every_level(name, lang, raw, levels):
    model = get_model(name)()
    table = model.compare(levels)
    found = tables(table.to_html(lang, raw))
    head = found[0]
    assert head["header"] == [WORDS[lang]["output"]] + [f"τ={t:g}" for t in table.levels]
    parameter = "transparency" if raw else label(model, "transparency", lang)
    assert head["caption"] == WORDS[lang]["by"].format(model=caption_name(name, lang, raw), parameter=parameter)
    flat = [k for k in table.outputs if not isinstance(table.results[0][k], ModelResult)]
    assert [r[0] for r in head["rows"]] == [k if raw else label(model, k, lang) for k in flat]
    for row, k in zip(head["rows"], flat, strict=True):
        assert row[1:] == [expected_cell(model, r[k], lang, raw) for r in table.results], k
    nested = [k for k in table.outputs if isinstance(table.results[0][k], ModelResult)]
    assert len(found) == 1 + len(nested)
    assert table._repr_html_() == table.to_html(lang="en", raw_names=False)


def test_text_is_escaped_and_unregistered_models_show_raw_names():
    result = ModelResult("not-registered", {"a<b": np.asarray("x & y"), "n": np.asarray(2.5)})
    found = tables(result.to_html())
    assert found[0]["rows"] == [["a<b", "x & y"], ["n", "2.5"]]
    assert "a&lt;b" in result.to_html() and "x &amp; y" in result.to_html()
    comparison = Comparison("not-registered", "k", [1, 2], [result, result], symbol="κ")
    assert tables(comparison.to_html())[0]["header"] == ["output", "κ=1", "κ=2"]


def test_without_a_presenter_tables_show_raw_names():
    result = get_model("task-pushdown")().solve()
    set_presenter(None)
    try:
        found = tables(result.to_html("zh"))
    finally:
        set_presenter(present)
    assert found[0]["header"] == ["output", "value"]
    assert [r[0] for r in found[0]["rows"]] == list(result)


@pytest.mark.parametrize("kwargs, message", [
    pytest.param({"lang": "fr"}, "lang = 'fr'; allowed: 'en', 'zh'", id="lang"),
    pytest.param({"raw_names": "yes"}, "raw_names = 'yes'; allowed: True or False", id="raw-names"),
])
def test_bad_display_settings_are_refused_by_name(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        set_display(**kwargs)
    assert results.display_settings() == {"lang": "en", "raw_names": False}


def test_a_bad_language_is_refused_by_to_html():
    with pytest.raises(ValueError, match="lang = 'de'"):
        get_model("joint-blame")().solve().to_html("de")


def test_html_table_and_default_presentation():
    assert tables(html_table(("a", "b"), [(1 / 3, True)], digits=3))[0]["rows"] == [["0.333", "True"]]
    words = Presentation()
    assert words.label("rent_strong") == "rent_strong" and words.cell(2) == 2
    assert gta.set_display is set_display


def test_equilibria_render_with_their_method_and_certificate():
    eq = Equilibrium(strategies=((Fraction(1, 3), Fraction(2, 3)), (0.25, 0.75)), payoffs=(Fraction(1, 2), 0.125),
                     method="support enumeration", exact=False, regret=1e-12, tolerance=1e-9)
    found = tables(eq._repr_html_())
    assert found[0]["caption"] == "equilibrium by support enumeration (floating point)"
    assert found[0]["rows"] == [["(1/3, 2/3); (0.25, 0.75)", "1/2, 0.125", "1e-12"]]
    es = EquilibriumSet([eq, eq], method="support enumeration", degenerate=True)
    found = tables(es._repr_html_())
    assert found[0]["caption"].startswith("2 equilibria by support enumeration (floating point); degenerate game")
    assert [r[0] for r in found[0]["rows"]] == ["1", "2"]
    assert repr(eq).startswith("Equilibrium((1/3, 2/3); (0.25, 0.75); payoffs 1/2, 0.125;")


def test_a_game_solution_renders():
    equilibria = get_model("joint-blame")().to_game().equilibria()
    found = tables(equilibria._repr_html_())
    count = f"{len(equilibria)} " + ("equilibrium" if len(equilibria) == 1 else "equilibria")
    assert found[0]["caption"].startswith(f"{count} by {equilibria.method}")
    assert [float(r[3]) for r in found[0]["rows"]] == pytest.approx([float(e.regret) for e in equilibria], rel=1e-5)


# -- the closed form in LaTeX -------------------------------------------------------------------
def _balanced(latex: str) -> bool:
    depth, i = 0, 0
    while i < len(latex):
        if latex[i] == "\\":
            i += 2  # an escaped character (\{, \}, \_) is not a brace
            continue
        depth += {"{": 1, "}": -1}.get(latex[i], 0)
        if depth < 0:
            return False
        i += 1
    return depth == 0


SYMBOLIC = [n for n in model_names() if get_model(n).has_symbolic()]


@pytest.mark.parametrize("raw", [False, True], ids=["labels", "raw-names"])
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", SYMBOLIC)
def test_the_closed_form_renders_as_latex(name, lang, raw):
    from gametheory_aid.core.symbolic import LATEX_BLOCK

    model = get_model(name)()
    solution = model.symbolic()
    latex = solution.to_latex(lang, raw)
    blocks = latex.split("\n")
    for block in blocks:  # display blocks MathJax reads: each within its buffer, balanced
        assert block.startswith("$$\\begin{aligned}") and block.endswith("\\end{aligned}$$")
        assert block.count("$$") == 2 and len(block) <= LATEX_BLOCK
        assert _balanced(block)
        assert block.count("\\begin{cases}") == block.count("\\end{cases}")

    def named(output):  # an output's name on the left: its label as text, or its raw name upright
        shown = output if raw else label(model, output, lang)
        return ("\\mathrm{" + output.replace("_", "\\_") + "}" if shown == output else as_latex_text(shown)) + " &="

    def regime(r):
        return as_latex_text(r if raw else label(model, r, lang))

    for output in solution.output_names:
        assert named(output) in latex, output
    several = {k for k in solution.output_names
               if sum(k in r.outputs for r in solution.regimes) > 1}
    word = WORDS[lang]["regime"]
    if len(solution.regimes) > 1:  # each regime's condition once, in order of precedence
        heads = [latex.index(as_latex_text(word + " ") + regime(r.name) + as_latex_text(":")) for r in solution.regimes]
        assert heads == sorted(heads)
        assert as_latex_text(WORDS[lang]["precedence"]) in latex
    for output in several:  # its cases (or its lines, one per regime) name their regimes
        cases = latex.split(named(output), 1)[1]
        for r in solution.regimes:
            if output in r.outputs:
                assert ("& " + regime(r.name) in cases
                        or as_latex_text("[") + regime(r.name) + as_latex_text("]") in cases), (output, r.name)
    for note in solution.notes:
        assert as_latex_text(note) in latex
    if len(solution.regimes) > 1:  # the heading's word in the language, once per regime
        assert latex.count(as_latex_text(word + " ")) == len(solution.regimes)


@pytest.mark.parametrize("name", SYMBOLIC)
def test_jupyter_shows_the_closed_form_in_the_display_language(name):
    solution = get_model(name)().symbolic()
    assert solution._repr_latex_() == solution.to_latex("en", False)
    set_display(lang="zh", raw_names=True)
    assert solution._repr_latex_() == solution.to_latex("zh", True)


@pytest.mark.parametrize("name", ["task-pushdown", "strategy-portfolio"])
def test_a_long_closed_form_is_split_and_abbreviated_not_cut(name):
    """Expressions past one MathJax block: common sub-expressions named w_k, each defined once
    from those above it, each used, none undefined, none clashing with the model's symbols."""
    import re

    solution = get_model(name)().symbolic()
    latex = solution.to_latex()
    assert len(latex.split("\n")) > 1
    assert as_latex_text("where") in latex and "too long to typeset" not in latex
    defined = re.findall(r"(w_\{\d+\}) &=", latex)
    assert defined and len(defined) == len(set(defined))
    used = set(re.findall(r"w_\{\d+\}", latex))
    assert used == set(defined)
    for line in latex.replace("\n", " \\\\ ").split(" \\\\ "):  # a definition uses only those above it
        if re.match(r"w_\{\d+\} &=", line):
            w, rhs = line.split(" &=", 1)
            assert set(re.findall(r"w_\{\d+\}", rhs)) <= set(defined[:defined.index(w)]), line
    for w in defined:  # and each is used, not only defined
        assert latex.count(w) >= 2, w
    assert not any(str(s).startswith("w") for s in solution._free_symbols())


def test_a_closed_form_of_one_regime_and_one_beyond_any_block(monkeypatch):
    """One regime: no conditions listed, outputs without cases; an expression that even its
    abbreviation cannot fit is named as too long, never cut mid-expression."""
    import sympy as sp

    from gametheory_aid.core import symbolic
    from gametheory_aid.core.symbolic import Regime, SymbolicSolution

    x, y = sp.symbols("x y")
    long = sum(sp.sqrt(x + k * y) for k in range(1, 40))  # no common sub-expression to name
    solution = SymbolicSolution("m", {"x": x, "y": y}, [Regime("only", sp.true, {"short": x + y, "long": long})],
                                thresholds={"t": 2 * x})
    latex = solution.to_latex()
    assert "regime only" not in latex and "\\begin{cases}" not in latex
    assert "\\mathrm{short} &= x + y" in latex and "\\mathrm{t} &= 2 x" in latex
    monkeypatch.setattr(symbolic, "_LATEX_LINE", 200)
    latex = solution.to_latex()
    assert "\\mathrm{long} &= " + as_latex_text("(too long to typeset: print the solution to read it)") in latex
    assert "\\mathrm{short} &= x + y" in latex and "\\sqrt" not in latex


def test_abbreviations_never_print_as_the_solutions_own_symbols(monkeypatch):
    """With symbols of its own printing as w_{0} and w_{1} (``w0``, a vector's ``w_1``), a long
    expression's abbreviations skip those names."""
    import re

    import sympy as sp

    from gametheory_aid.core import symbolic
    from gametheory_aid.core.symbolic import Regime, SymbolicSolution

    w0, w1, x = sp.symbols("w0 w_1 x")
    shared = sp.sqrt(x + w0 + w1 + 1) / (x + 2) + sp.exp(x * w1)  # a sub-expression to abbreviate
    long = sum(sp.sin(shared + k) for k in range(1, 40))
    solution = SymbolicSolution("m", {"w0": w0, "w": (w1,), "x": x}, [Regime("only", sp.true, {"long": long})])
    monkeypatch.setattr(symbolic, "_LATEX_LINE", 2000)
    latex = solution.to_latex()
    defined = re.findall(r"(w_\{\d+\}) &=", latex)
    assert defined and not {"w_{0}", "w_{1}"} & set(defined)


def test_no_block_exceeds_the_limit_whatever_the_names_and_notes():
    import sympy as sp

    from gametheory_aid.core.symbolic import LATEX_BLOCK, Regime, SymbolicSolution

    x = sp.Symbol("x")
    long_name = "o" * 5000
    solution = SymbolicSolution("m", {"x": x}, [Regime("r" * 5000, x > 0, {long_name: x, "aider_expected_payoff": x}),
                                                Regime("s", sp.true, {"aider_expected_payoff": sum(
                                                    sp.sqrt(x + k) for k in range(300))})],
                                notes=["a % note & " * 600, "short"])
    blocks = solution.to_latex().split("\n")
    assert max(map(len, blocks)) <= LATEX_BLOCK
    assert all(_balanced(b) for b in blocks)
    assert as_latex_text("short") in blocks[-1]


def as_latex_text(text: str) -> str:
    from gametheory_aid.core.symbolic import _latex_text

    return _latex_text(text)


@pytest.mark.parametrize("text, latex", [
    pytest.param("plain words", "\\text{plain words}", id="words"),
    pytest.param("x_i", "\\text{x}\\_\\text{i}", id="underscore"),
    pytest.param("{50% & #1 $}", "\\{\\text{50}\\%\\text{ }\\&\\text{ }\\#\\text{1 }\\$\\}", id="specials"),
    pytest.param("a\\b^c~", "\\text{a}\\backslash \\text{b}\\hat{}\\text{c}\\sim ", id="backslash-hat-tilde"),
])
def test_latex_text_escapes_what_latex_would_read(text, latex):
    from gametheory_aid.core.symbolic import _latex_text

    assert _latex_text(text) == latex
    assert _balanced(_latex_text(text))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_report_renders_in_jupyter_as_the_html_reports_body(lang):
    from gametheory_aid.report import build_report, html_section, render_html

    report = build_report([0.0, 1.0], lang=lang)
    body = report._repr_html_()
    page = render_html(report)
    assert body in page and page.startswith("<!DOCTYPE html>") and not body.startswith("<!DOCTYPE")
    for section in report.all_sections:
        assert section.lang == lang
        assert section._repr_html_() == html_section(section, lang) and section._repr_html_() in body
    found = tables(body)
    assert len(found) >= len(report.all_sections)
    model = get_model(report.sections[0].model)
    first = report.sections[0].outputs[0]
    assert found[0]["rows"][0][0] == label(model, first, lang)
    with pytest.raises(ValueError, match="html_section: lang = 'fr'"):
        html_section(report.sections[0], "fr")
