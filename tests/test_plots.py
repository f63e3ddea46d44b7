"""Plots return figures, shade the regimes the model computes, and save PNG files."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from test_sweep import Ladder  # noqa: E402

from gametheory_aid.analysis import plot_map, plot_output, plot_sobol, sensitivity  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def regime_runs(values):
    """Number of maximal runs of equal regimes along the axis (solved point by point)."""
    labels = [str(Ladder(transparency=t).solve().regime) for t in values]
    return 1 + sum(a != b for a, b in zip(labels, labels[1:], strict=False)), set(labels)


def test_plot_output_shades_each_regime_run_and_saves_png(tmp_path):
    path = tmp_path / "rent.png"
    fig, ax = plot_output(Ladder, "transparency", "rent", n=51, save=path)
    assert isinstance(fig, Figure) and isinstance(ax, Axes)
    assert path.read_bytes()[:8] == PNG
    runs, labels = regime_runs(np.linspace(0, 1, 51))
    assert len(ax.patches) == runs and runs == 2  # pleading below tau = 1/4, honest above
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {f"regime: {lab}" for lab in labels} <= set(legend)
    x, y = ax.lines[0].get_data()
    np.testing.assert_allclose(y, Ladder(transparency=x).solve().rent)


def test_plot_output_of_a_categorical_output_into_given_axes():
    fig, ax = plt.subplots()
    got_fig, got_ax = plot_output(Ladder(transparency=0.25), "penalty", "honest", bounds=(0, 3), n=31, regime=False,
                                  ax=ax)
    assert got_fig is fig and got_ax is ax and not ax.patches
    assert [t.get_text() for t in ax.get_yticklabels()] == ["False", "True"]


def test_plot_map_numeric_and_regime(tmp_path):
    fig, ax = plot_map(Ladder, "transparency", "value", "rent", n=11, save=tmp_path / "map.png")
    mesh = ax.collections[0]
    tau, value = np.meshgrid(np.linspace(0, 1, 11), np.linspace(0, 10, 11))  # rows are y values
    np.testing.assert_allclose(np.asarray(mesh.get_array()).reshape(11, 11),
                               Ladder(transparency=tau, value=value).solve().rent)
    assert (tmp_path / "map.png").read_bytes()[:8] == PNG
    fig, ax = plot_map(Ladder(cap=3.0), "transparency", "penalty", "regime", y_bounds=(0, 2), n=21,
                       save=tmp_path / "regimes.png")
    names = {t.get_text() for t in ax.get_legend().get_texts()}
    tau, pen = np.meshgrid(np.linspace(0, 1, 21), np.linspace(0, 2, 21))
    assert names == set(np.unique(Ladder(cap=3.0, transparency=tau, penalty=pen).solve().regime))
    assert (tmp_path / "regimes.png").read_bytes()[:8] == PNG


def test_plot_sobol_bars(tmp_path):
    res = sensitivity(Ladder, {"transparency": (0, 1), "value": (0, 10), "penalty": (0, 2)}, n=64,
                      outputs=["rent"])
    fig, ax = plot_sobol(res, save=tmp_path / "sobol.png")
    assert isinstance(fig, Figure) and len(ax.patches) == 6  # S1 and ST for three parameters
    heights = [p.get_height() for p in ax.patches]
    np.testing.assert_allclose(heights[:3], res.indices["S1"])
    assert (tmp_path / "sobol.png").read_bytes()[:8] == PNG
    morris = sensitivity(Ladder, {"transparency": (0, 1), "value": (0, 10)}, method="morris", n=8,
                         outputs=["rent"])
    fig, ax = plot_sobol(morris.indices)
    assert len(ax.patches) == 2 and "mu" in ax.get_ylabel()


@pytest.mark.parametrize("call, match", [
    pytest.param(lambda: plot_output(Ladder, "nope", "rent"), "nope", id="unknown-parameter"),
    pytest.param(lambda: plot_output(Ladder, "transparency", "nope"), "nope", id="unknown-output"),
    pytest.param(lambda: plot_output(Ladder, "penalty", "rent"), "unbounded", id="unbounded-domain"),
    pytest.param(lambda: plot_output(Ladder, "value", "rent", bounds=(2, 1)), "value", id="reversed"),
    pytest.param(lambda: plot_map(Ladder, "value", "value", "rent"), "different", id="same-axes"),
    pytest.param(lambda: plot_sobol(object()), "SensitivityResult", id="not-indices"),
])
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
