"""Transparency figures: labels, shaded regimes, thresholds, breaks at jumps, CJK text, the CLI and the report."""
import base64
import dataclasses
import re
import warnings
import xml.etree.ElementTree as ET

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from gametheory_aid import cli, report  # noqa: E402
from gametheory_aid.analysis import plots  # noqa: E402
from gametheory_aid.models import get_model, model_names  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def spans(ax):
    return [p for p in ax.patches if p.get_gid() == "regime"]


def regime_runs(model, xs):
    """Runs of equal regimes, the model solved point by point."""
    regime = next(o.name for o in model.outputs if o.kind == "regime")
    labels = [str(model.with_(transparency=float(t)).solve()[regime]) for t in xs]
    return 1 + sum(a != b for a, b in zip(labels, labels[1:], strict=False))


@pytest.mark.parametrize("name", [pytest.param(n, id=n) for n in model_names()])
def test_every_model_draws_with_labelled_axes_and_one_span_per_regime_run(name):
    model = get_model(name)()
    fig, ax = plots.plot_transparency(model, points=41)
    assert ax.get_xlabel() == "digital transparency τ"
    assert ax.get_xlim() == (0, 1)
    assert ax.get_legend() is not None
    if any(o.kind == "regime" for o in model.outputs):
        assert len(spans(ax)) == regime_runs(model, np.linspace(0, 1, 41))


@pytest.mark.parametrize("name, settings", [
    pytest.param("pleading-poverty", [{}, {"penalty": 0.5}, {"penalty": 20}, {"value_intercept": 5}],
                 id="pleading-poverty"),
    pytest.param("joint-blame", [{}, {"audit_cost": 0.1}, {"penalty_aider": 0.5}, {"penalty_aider": 20}],
                 id="joint-blame"),
])
def test_a_regime_has_one_colour_in_every_figure_of_its_model(name, settings):
    colours = {}
    for params in settings:  # the regimes present, and their order, differ between these
        fig, ax = plots.plot_transparency(get_model(name)(**params), points=61)
        for span in spans(ax):
            if not span.get_label().startswith("_"):
                colours.setdefault(span.get_label(), set()).add(tuple(span.get_facecolor()))
        plt.close(fig)
    assert len(colours) >= 2
    assert all(len(c) == 1 for c in colours.values()), colours
    assert len({next(iter(c)) for c in colours.values()}) == len(colours)  # and regimes differ


def test_threshold_line_at_the_threshold():
    model = get_model("pleading-poverty")()
    fig, ax = plots.plot_transparency(model, ["quota_weak"], points=101)
    threshold = float(model.solve()["threshold_transparency"])
    assert 0 < threshold < 1
    lines = [ln for ln in ax.lines if ln.get_gid() == "threshold"]
    assert len(lines) == 1 and np.allclose(lines[0].get_xdata(), threshold)
    assert f"{threshold:.3g}" in lines[0].get_label()
    assert ax.get_ylabel()  # a single output labels the y axis


def _curve(ax, label):
    line = next(ln for ln in ax.lines if ln.get_label() == label)
    return np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)


def _fine_jumps(model, name, index=None, n=200_001, size=1e-3):
    """Where the output steps by more than ``size`` between neighbours of a fine grid, located by
    bisection on ``solve()`` point by point: the figure's breaks computed another way."""
    x = np.linspace(0, 1, n)
    y = np.asarray(model.with_(transparency=x).solve()[name], float)
    y = y if index is None else y[:, index]
    out = []
    for i in np.flatnonzero(np.abs(np.diff(y)) > size):
        lo, hi = x[i], x[i + 1]
        at = lambda t: float(np.asarray(model.with_(transparency=t).solve()[name], float).reshape(-1)[index or 0])  # noqa: E731
        left = at(lo)
        for _ in range(40):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if abs(at(mid) - left) < size / 2 else (lo, mid)
        out.append((lo + hi) / 2)
    return out


@pytest.mark.parametrize("name, output, index", [
    pytest.param("pleading-poverty", "quota_weak", None, id="pleading-poverty-quota-through-two-regimes"),
    pytest.param("resource-allocation", "allocation", 0, id="resource-allocation-flat-then-rising"),
    pytest.param("strategy-portfolio", "intensity", 2, id="strategy-portfolio-kinked"),
    pytest.param("strategy-portfolio", "intensity", 3, id="strategy-portfolio-steep-then-flat"),
])
def test_a_continuous_curve_is_drawn_whole(name, output, index):
    """Steep, kinked, flat-then-rising or crossing regimes, but continuous: no break anywhere."""
    model = get_model(name)()
    assert _fine_jumps(model, output, index) == []  # the premise, on a grid 1000 times finer
    fig, ax = plots.plot_transparency(model, [output], points=201)
    from gametheory_aid.models.story import label

    text = label(model, output if index is None else f"{output}[{index}]")
    x, y = _curve(ax, text)
    assert not np.isnan(y).any() and len(x) == 201


@pytest.mark.parametrize("points", [21, 201])
def test_a_jump_is_a_break_at_its_place(points):
    """task-pushdown's completion probability jumps where the actor changes: a break there, each
    side drawn up to the jump, located as an independent bisection locates it."""
    model = get_model("task-pushdown")()
    expected = _fine_jumps(model, "completion_probability")
    assert len(expected) >= 2
    fig, ax = plots.plot_transparency(model, ["completion_probability"], points=points)
    from gametheory_aid.models.story import label

    x, y = _curve(ax, label(model, "completion_probability"))
    gaps = np.flatnonzero(np.isnan(y))
    assert len(gaps) == len(expected)
    spacing = 1 / (points - 1)
    for g, jump in zip(gaps, expected, strict=True):
        assert x[g - 1] <= jump <= x[g + 1] and x[g + 1] - x[g - 1] <= spacing * 2.0 ** -plots.JUMP_STEPS * 1.01
    spans = [p for p in ax.patches if p.get_gid() == "regime"]  # the regime bands change there too
    edges = sorted({round(float(p.get_x()), 9) for p in spans} - {0.0})
    assert np.allclose(edges, expected, atol=spacing * 2.0 ** -plots.JUMP_STEPS)


def test_no_threshold_line_outside_the_range(monkeypatch):
    model = get_model("pleading-poverty")()
    outside = float(model.solve()["quota_weak"])
    assert not 0 <= outside <= 1  # an output whose value lies outside [0, 1] stands in for a threshold
    story = dataclasses.replace(model.story, thresholds=("quota_weak", "threshold_transparency"))
    monkeypatch.setattr(type(model), "story", story)
    fig, ax = plots.plot_transparency(model, ["quota_weak"], points=11, title=False)
    lines = [ln for ln in ax.lines if ln.get_gid() == "threshold"]
    from gametheory_aid.models.story import label

    assert len(lines) == 1 and label(model, "threshold_transparency") in lines[0].get_label()
    assert ax.get_title() == ""


def test_categorical_outputs_are_steps_and_vectors_give_one_line_per_element():
    fig, ax = plots.plot_transparency("pleading-poverty", ["pleads_poverty_if_naive", "regime"], points=21)
    steps = [ln for ln in ax.lines if ln.get_drawstyle().startswith("steps")]
    assert len(steps) == 2
    model = get_model("strategy-portfolio")()
    fig, ax = plots.plot_transparency(model, points=21, raw_names=True)
    vector = [o for o in model.story.figure.outputs if np.ndim(model.solve()[o]) == 1]
    for name in vector:
        n = len(model.solve()[name])
        assert sum(1 for ln in ax.lines if re.fullmatch(rf"{name}\[\d+\]", ln.get_label())) == n
    assert ax.get_xlabel() == "transparency"


def test_chinese_figure_has_no_missing_glyphs(tmp_path):
    if plots.cjk_font() is None:
        pytest.skip("no CJK font installed")
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*Glyph .* missing")
        fig, ax = plots.plot_transparency("pleading-poverty", lang="zh", points=21, save=tmp_path / "zh.png")
        fig.canvas.draw()
    assert ax.get_xlabel() == "数字透明程度 τ"


def test_missing_cjk_font_warns_once(monkeypatch):
    monkeypatch.setattr(plots, "cjk_font", lambda: None)
    monkeypatch.setattr(plots, "_warned", [])
    with pytest.warns(UserWarning, match="fonts-noto-cjk"):
        plots.style("zh")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert "font.family" not in plots.style("zh")


@pytest.mark.parametrize("kwargs, message", [
    pytest.param({"lang": "fr"}, "lang='fr'", id="lang"),
    pytest.param({"points": 1}, "points=1", id="points"),
    pytest.param({"outputs": []}, "outputs = []; name at least one output", id="no-outputs"),
])
def test_bad_arguments_name_the_value(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        plots.plot_transparency("pleading-poverty", **kwargs)


def test_model_without_transparency_is_an_error(monkeypatch):
    class NoTransparency:
        name = "no-transparency"

        @staticmethod
        def parameter_specs():
            return {"share": None}
    monkeypatch.setattr(plots, "resolve_model", lambda model: model)
    with pytest.raises(ValueError, match="no transparency parameter"):
        plots.plot_transparency(NoTransparency())


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_writes_png_and_svg(tmp_path, capsys):
    png, svg = tmp_path / "f.png", tmp_path / "f.svg"
    assert run(capsys, "plot", "pleading-poverty", "--out", str(png), "--points", "21")[0] == 0
    assert png.read_bytes()[:8] == PNG
    code, _, _ = run(capsys, "plot", "strategy-portfolio", "--out", str(svg), "--lang", "zh", "--points", "21")
    assert code == 0
    assert ET.parse(svg).getroot().tag.endswith("svg")


@pytest.mark.parametrize("argv, message", [
    pytest.param(["--out", "{tmp}/f.txt"], "unknown format 'txt'", id="extension"),
    pytest.param(["--out", "{tmp}/f"], "no extension", id="no-extension"),
    pytest.param(["--out", "{tmp}/no/such/dir/f.png"], "cannot write", id="unwritable"),
    pytest.param(["--out", "{tmp}/f.png", "--output", "nope"], "nope", id="output"),
    pytest.param(["--out", "{tmp}/f.png", "--points", "1"], "--points", id="points"),
    pytest.param(["--out", "{tmp}/f.png", "--points", "many"], "--points", id="points-text"),
    pytest.param(["--out", "{tmp}/f.png", "--set", "transparency=0.5"], "--set transparency", id="set-tau"),
])
def test_cli_errors_are_one_line_exit_2(tmp_path, capsys, argv, message):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    try:
        code = cli.main(["plot", "pleading-poverty", *argv])
    except SystemExit as exc:  # argparse's own errors
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_cli_value_error_from_the_figure_is_one_line(tmp_path, capsys, monkeypatch):
    def fail(*args, **kwargs):
        raise ValueError("plot_transparency: broken")
    monkeypatch.setattr(plots, "plot_transparency", fail)
    code, _, err = run(capsys, "plot", "pleading-poverty", "--out", str(tmp_path / "f.png"))
    assert code == 2 and "broken" in err


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_figures_are_drawn_by_plot_transparency(lang, monkeypatch):
    calls = []
    real = plots.plot_transparency

    def spy(model, outputs=None, **kwargs):
        calls.append(kwargs["lang"])
        return real(model, outputs, **kwargs)
    monkeypatch.setattr(plots, "plot_transparency", spy)
    model = get_model("pleading-poverty")()
    data = report.figure_data(model, lang=lang)
    png = report.figure_png(data)
    assert png[:8] == PNG and calls == [lang]
    assert report.figure_png("pleading-poverty", lang=lang)[:8] == PNG


def test_report_figure_of_another_parameter_still_draws():
    model = get_model("pleading-poverty")()
    other = next(n for n, s in model.parameter_specs().items()
                 if n != "transparency" and not s.vector and s.domain.low is not None and s.domain.high is not None)
    lo, hi = model.parameter_specs()[other].domain.low, model.parameter_specs()[other].domain.high
    figure = type(model.story.figure)(parameter=other, outputs=model.story.figure.outputs[:1], points=11,
                                      low=lo + 0.25 * (hi - lo), high=lo + 0.75 * (hi - lo))
    data = report.figure_data(model, figure)
    assert report.figure_png(data)[:8] == PNG


def test_html_report_embeds_the_images():
    rep = report.build_report()
    html = report.render_html(rep)
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', html)
    assert images and all(base64.b64decode(i)[:8] == PNG for i in images)
