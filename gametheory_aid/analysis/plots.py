"""Figures of sweeps and sensitivity indices (matplotlib, imported only when called).

* :func:`plot_output` -- an output against one parameter, the model's regimes shaded;
* :func:`plot_map` -- an output or a regime over a grid of two parameters;
* :func:`plot_sobol` -- a bar chart of Sobol' indices (or Morris :math:`\\mu^*`).

Every function returns ``(fig, ax)``, draws into ``ax`` when given, never calls
``show()`` (so it works with the non-interactive Agg backend) and writes the figure to
``save`` when a path is given.
"""
from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np

from .._optional import require
from ..core.params import check_names
from .sweeps import resolve_model, sweep

__all__ = ["plot_output", "plot_map", "plot_sobol", "plot_transparency", "style", "cjk_font", "OKABE_ITO"]

_CATEGORICAL = ("regime", "bool")


def _axes(ax, figsize=(6.4, 4.2)):
    if ax is not None:
        return ax.figure, ax
    plt = require("matplotlib.pyplot", "plot")
    fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    return fig, ax


def _finish(fig, save, dpi: int = 120):
    if save is not None:
        fig.savefig(save, dpi=dpi)


def _values(model, name: str, values, bounds, n: int) -> np.ndarray:
    """The values of ``name`` to plot: given, or ``n`` points over ``bounds`` or its domain."""
    specs = model.parameter_specs()
    check_names([name], specs, "parameter", f"model {model.name!r}")
    if values is not None:
        return np.asarray(values)
    spec = specs[name]
    if bounds is None:
        dom = spec.domain
        if dom.low is None or dom.high is None:
            raise ValueError(f"parameter {name!r} has the unbounded domain {dom}; give its plotting range")
        bounds = (dom.low, dom.high)
    lo, hi = (float(b) for b in bounds)
    if not lo < hi:
        raise ValueError(f"range of {name!r}: needs low < high, got ({lo!r}, {hi!r})")
    if spec.integer:
        return np.arange(int(np.ceil(lo)), int(np.floor(hi)) + 1)
    return np.linspace(lo, hi, int(n))


def _kind(model, output: str) -> str:
    kinds = {o.name: o.kind for o in model.outputs}
    check_names([output], kinds, "output", f"model {model.name!r}")
    return kinds[output]


def _palette(categories: Sequence[str]) -> dict:
    plt = require("matplotlib.pyplot", "plot")
    cycle = plt.get_cmap("tab10")
    return {c: cycle(i % 10) for i, c in enumerate(categories)}


def _runs(labels: np.ndarray) -> list:
    """Maximal runs of equal labels: ``(label, first index, last index)``."""
    change = np.flatnonzero(labels[1:] != labels[:-1]) + 1
    starts = np.concatenate([[0], change])
    stops = np.concatenate([change, [len(labels)]]) - 1
    return [(labels[s], int(s), int(e)) for s, e in zip(starts, stops, strict=False)]


def plot_output(model, parameter: str, output: str, *, values=None, bounds=None, n: int = 201,
                regime: str | bool | None = None, ax=None, save=None, label: str | None = None, **line_kw):
    """Plot an output of a model against one parameter, its regimes shaded.

    Parameters
    ----------
    model : str, Model subclass or Model instance
        Other parameters stay at the model's values.
    parameter : str
        The parameter on the horizontal axis.
    output : str
        A numeric output (drawn as a line) or a categorical one (drawn as steps).
    values : array, optional
        The parameter's values; by default ``n`` points over ``bounds`` or its domain.
    regime : str or bool, optional
        The categorical output whose regions are shaded; by default the model's first
        output of kind ``"regime"``; ``False`` for none.
    ax : matplotlib Axes, optional
    save : path, optional
        Write the figure there (format from the extension).

    Returns
    -------
    (Figure, Axes)
    """
    model = resolve_model(model)
    xs = _values(model, parameter, values, bounds, n)
    kind = _kind(model, output)
    if regime is None:
        regime = next((o.name for o in model.outputs if o.kind == "regime"), False)
    elif regime is not False:
        _kind(model, regime)
    wanted = [output] + ([regime] if regime and regime != output else [])
    table = sweep(model, {parameter: xs}, outputs=wanted, progress=False)
    fig, ax = _axes(ax)
    x = np.asarray(table[parameter], dtype=float)
    if regime:
        labels = np.asarray(table[regime].astype(str))
        colours = _palette(list(dict.fromkeys(labels)))
        mid = np.concatenate([[x[0]], (x[1:] + x[:-1]) / 2, [x[-1]]])
        seen = set()
        for lab, s, e in _runs(labels):
            ax.axvspan(mid[s], mid[e + 1], color=colours[lab], alpha=0.15, lw=0,
                       label=None if lab in seen else f"{regime}: {lab}")
            seen.add(lab)
    if kind in _CATEGORICAL:
        labels = np.asarray(table[output].astype(str))
        cats = list(dict.fromkeys(labels))
        ax.step(x, [cats.index(v) for v in labels], where="mid", label=label or output, **line_kw)
        ax.set_yticks(range(len(cats)), cats)
    else:
        ax.plot(x, np.asarray(table[output], dtype=float), label=label or output, **line_kw)
    ax.set_xlabel(parameter)
    ax.set_ylabel(output)
    ax.set_title(model.name)
    ax.legend(loc="best", fontsize="small")
    _finish(fig, save)
    return fig, ax


_STYLE = {"axes.prop_cycle": None, "axes.grid": True, "grid.alpha": 0.3, "axes.spines.top": False,
          "axes.spines.right": False, "legend.fontsize": "small", "legend.frameon": False}
# Okabe-Ito: distinguishable under the common colour-vision deficiencies
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
_CJK_FONTS = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
              "WenQuanYi Micro Hei", "SimHei", "PingFang SC", "Microsoft YaHei")
_warned: list = []


def cjk_font() -> str | None:
    """The first installed CJK font family of a known list, or ``None``."""
    fm = require("matplotlib.font_manager", "plot")
    installed = {f.name for f in fm.fontManager.ttflist}
    return next((name for name in _CJK_FONTS if name in installed), None)


def style(lang: str = "en") -> dict:
    """The rc settings every figure is drawn with (a CJK fallback font under ``lang="zh"``)."""
    cycler = require("cycler", "plot").cycler
    rc = dict(_STYLE, **{"axes.prop_cycle": cycler(color=OKABE_ITO)})
    if lang == "zh":
        font = cjk_font()
        if font is None:
            if not _warned:
                warnings.warn("no CJK font found, Chinese labels will not render; install one, e.g. "
                              "fonts-noto-cjk (Debian/Ubuntu)", stacklevel=3)
                _warned.append(True)
        else:
            rc["font.family"] = ["DejaVu Sans", font]  # per-glyph fallback (matplotlib >= 3.6)
    return rc


# lighter members of the same palette for the regime bands, behind the lines
_BANDS = ("#56B4E9", "#E69F00", "#009E73", "#F0E442", "#CC79A7", "#0072B2", "#D55E00")
X_LABEL = {"en": "digital transparency τ", "zh": "数字透明程度 τ"}


#: Bisection steps that narrow a step between two grid points: a jump is located to
#: 2**-JUMP_STEPS of the grid's spacing, and a continuous step shrinks by that factor
JUMP_STEPS = 12
#: The share of a step that must survive the bisection for it to count as a jump
JUMP_SHARE = 0.5


def _column(result, name: str, index: int | None) -> np.ndarray:
    values = np.asarray(result[name])
    return values if index is None else values[..., index]


def _bisect(model, lo: np.ndarray, hi: np.ndarray, value, keep_left) -> tuple:
    """Narrow each interval ``[lo_k, hi_k]`` of transparency by :data:`JUMP_STEPS` bisections.

    ``value(result)`` reads the quantity off a solution at an array of transparencies;
    ``keep_left(v_lo, v_mid, v_hi)`` says, per interval, whether the step sought lies in the
    left half.  One vectorised solve per step.  Returns ``(lo, hi, v_lo, v_hi)``.
    """
    v_lo, v_hi = value(model.with_(transparency=lo).solve()), value(model.with_(transparency=hi).solve())
    for _ in range(JUMP_STEPS):
        mid = (lo + hi) / 2
        v_mid = value(model.with_(transparency=mid).solve())
        left = keep_left(v_lo, v_mid, v_hi)
        lo, hi = np.where(left, lo, mid), np.where(left, mid, hi)
        v_lo, v_hi = np.where(left, v_lo, v_mid), np.where(left, v_mid, v_hi)
    return lo, hi, v_lo, v_hi


def _jumps(model, x: np.ndarray, y: np.ndarray, name: str, index: int | None) -> list:
    """The jumps of output ``name`` (element ``index``) between the grid points ``x``.

    Each step between neighbouring points is bisected toward its larger half; a continuous
    output's step shrinks with the interval (by :math:`2^{-J}` after :data:`JUMP_STEPS`
    bisections where it is smooth), a jump's keeps at least its size.  A step keeping more than
    :data:`JUMP_SHARE` of itself is a jump.  Returns ``(i, x_left, y_left, x_right, y_right)``
    per jump, ``i`` the grid interval it lies in.
    """
    dy = np.abs(np.diff(y))
    scale = float(np.nanmax(np.abs(y))) if np.isfinite(y).any() else 0.0
    candidates = np.flatnonzero(np.isfinite(dy) & (dy > 1e-12 * max(scale, 1.0)))
    if candidates.size == 0:
        return []
    lo, hi, y_lo, y_hi = _bisect(
        model, x[candidates], x[candidates + 1],
        lambda result: np.asarray(_column(result, name, index), dtype=float),
        lambda a, m, b: np.abs(m - a) >= np.abs(b - m))
    jump = np.abs(y_hi - y_lo) > JUMP_SHARE * dy[candidates]
    return [(int(i), float(a), float(ya), float(b), float(yb))
            for i, a, ya, b, yb in zip(candidates[jump], lo[jump], y_lo[jump], hi[jump], y_hi[jump], strict=True)]


def _with_breaks(x: np.ndarray, y: np.ndarray, jumps: list) -> tuple:
    """``x``, ``y`` drawn up to each jump from both sides, with a NaN across it (no line over a jump)."""
    xs, ys, start = [], [], 0
    for i, x_left, y_left, x_right, y_right in jumps:
        xs += [x[start:i + 1], [x_left, np.nan, x_right]]
        ys += [y[start:i + 1], [y_left, np.nan, y_right]]
        start = i + 1
    xs.append(x[start:])
    ys.append(y[start:])
    return np.concatenate(xs), np.concatenate(ys)


def _regime_changes(model, x: np.ndarray, regimes: np.ndarray, name: str) -> np.ndarray:
    """Where the regime changes inside each grid interval where it differs at the ends (by bisection)."""
    change = np.flatnonzero(regimes[1:] != regimes[:-1])
    if change.size == 0:
        return np.zeros(0)
    lo, hi, _, _ = _bisect(model, x[change], x[change + 1],
                           lambda result: np.asarray(result[name]).astype(str),
                           lambda a, m, b: m != a)
    return (lo + hi) / 2


def plot_transparency(model, outputs: Sequence[str] | None = None, *, lang: str = "en", raw_names: bool = False,
                      points: int = 201, ax=None, save=None, title: bool = True):
    """The model's outputs against digital transparency τ on [0, 1] (by default its story's figure).

    Numeric outputs are lines, one per output (``name[i]`` per element of a vector output),
    broken where they jump; categorical and boolean outputs are steps.  The regions of the
    model's first ``"regime"`` output are shaded and named in the legend, and the story's
    thresholds that fall inside [0, 1] are dashed vertical lines labelled with their value.

    Parameters
    ----------
    model : str, Model subclass or Model instance
        Other parameters stay at the model's values.
    outputs : sequence of str, optional
        By default the outputs of the model's story's figure.
    lang : {"en", "zh"}
        Language of the labels; ``"zh"`` uses an installed CJK font.
    raw_names : bool
        Label with the raw output names instead.
    points : int
        Number of transparency values on [0, 1] (at least 2).
    ax : matplotlib Axes, optional
    save : path, optional
        Write the figure there (format from the extension).
    title : bool
        Title the axes with the model's name.

    Returns
    -------
    (Figure, Axes)
    """
    from ..models.story import label

    if lang not in X_LABEL:
        raise ValueError(f"plot_transparency: lang={lang!r}; allowed: 'en', 'zh'")
    if int(points) < 2:
        raise ValueError(f"plot_transparency: points={points!r}; needs an integer >= 2")
    model = resolve_model(model)
    if "transparency" not in model.parameter_specs():
        raise ValueError(f"plot_transparency: model {model.name!r} has no transparency parameter")
    story = model.story
    if outputs is None:
        outputs = story.figure.outputs if story is not None and story.figure is not None else ()
        if not outputs:
            raise ValueError(f"plot_transparency: model {model.name!r} has no figure; name the outputs to plot")
    given = outputs
    outputs = [outputs] if isinstance(outputs, str) else list(outputs)  # one name is one output
    if not outputs:
        raise ValueError(f"plot_transparency: outputs = {given!r}; name at least one output to plot")
    kinds = {o.name: o.kind for o in model.outputs}
    check_names(outputs, kinds, "output", f"model {model.name!r}")
    regime = next((o.name for o in model.outputs if o.kind == "regime"), None)
    x = np.linspace(0.0, 1.0, int(points))
    result = model.with_(transparency=x).solve()
    plt = require("matplotlib.pyplot", "plot")
    with plt.rc_context(style(lang)):
        fig, ax = _axes(ax)
        if regime is not None:
            regimes = np.asarray(result[regime]).astype(str)
            # a regime's colour is its place among the model's regimes: the same in every figure
            order = list(next(o for o in model.outputs if o.name == regime).categories or ())
            order += [lab for lab in dict.fromkeys(regimes) if lab not in order]
            colours = {lab: _BANDS[order.index(lab) % len(_BANDS)] for lab in dict.fromkeys(regimes)}
            edges = np.concatenate([[x[0]], _regime_changes(model, x, regimes, regime), [x[-1]]])
            seen = set()
            for k, (lab, _, _) in enumerate(_runs(regimes)):
                ax.axvspan(edges[k], edges[k + 1], color=colours[lab], alpha=0.18, lw=0, gid="regime",
                           label=None if lab in seen else label(model, f"{lab}", lang, raw_names))
                seen.add(lab)
        for name in outputs:
            text = label(model, name, lang, raw_names)
            if kinds[name] in _CATEGORICAL:
                vals = np.asarray(result[name]).astype(str)
                cats = list(dict.fromkeys(vals))
                ax.step(x, [cats.index(v) for v in vals], where="mid", label=f"{text}: " + " → ".join(
                    label(model, c, lang, raw_names) for c in cats))
                continue
            v = np.asarray(result[name], dtype=float)
            columns = ([(label(model, f"{name}[{i}]", lang, raw_names), v[:, i], i) for i in range(v.shape[1])]
                       if v.ndim == 2 else [(text, v, None)])
            for lab, y, index in columns:
                ax.plot(*_with_breaks(x, y, _jumps(model, x, y, name, index)), label=lab)
        base = model.solve()
        for name in (story.thresholds if story is not None else ()):
            t = np.asarray(base[name], dtype=float)
            if t.ndim == 0 and np.isfinite(t) and 0 <= t <= 1:
                ax.axvline(float(t), color="black", ls="--", lw=1, gid="threshold",
                           label=f"{label(model, name, lang, raw_names)} = {float(t):.3g}")
        ax.set_xlim(0, 1)
        ax.set_xlabel(X_LABEL[lang] if not raw_names else "transparency")
        ax.set_ylabel(label(model, outputs[0], lang, raw_names) if len(outputs) == 1 else "")
        if title:
            ax.set_title(model.name if raw_names else getattr(model, "chinese_title" if lang == "zh" else "title",
                                                              model.name), fontsize="medium")
        ax.legend(loc="best")
        _finish(fig, save)
    return fig, ax


def plot_map(model, x: str, y: str, output_or_regime: str, *, x_values=None, y_values=None, x_bounds=None,
             y_bounds=None, n: int = 101, ax=None, save=None, cmap: str | None = None):
    """Map an output (or a regime) over a grid of two parameters.

    Numeric outputs are drawn as a colour mesh with a colour bar; categorical outputs
    (regimes, booleans) as coloured regions with a legend.

    Parameters
    ----------
    model : str, Model subclass or Model instance
    x, y : str
        The parameters on the horizontal and vertical axes.
    output_or_regime : str
        The output to map.
    x_values, y_values : array, optional
        Grid values; by default ``n`` points over ``x_bounds``/``y_bounds`` or the domains.
    ax : matplotlib Axes, optional
    save : path, optional

    Returns
    -------
    (Figure, Axes)
    """
    model = resolve_model(model)
    if x == y:
        raise ValueError(f"plot_map: x and y must be different parameters, both are {x!r}")
    xs = _values(model, x, x_values, x_bounds, n)
    ys = _values(model, y, y_values, y_bounds, n)
    kind = _kind(model, output_or_regime)
    table = sweep(model, {x: xs, y: ys}, outputs=[output_or_regime], progress=False)
    raw = np.asarray(table[output_or_regime])
    fig, ax = _axes(ax)
    if kind in _CATEGORICAL:
        from matplotlib.colors import ListedColormap
        from matplotlib.patches import Patch

        cats, codes = np.unique(raw.astype(str), return_inverse=True)
        cats = [str(c) for c in cats]
        codes = codes.reshape(len(xs), len(ys)).T
        colours = _palette(cats)
        ax.pcolormesh(xs, ys, codes, cmap=ListedColormap([colours[c] for c in cats]), vmin=-0.5,
                      vmax=len(cats) - 0.5, shading="nearest")
        ax.legend(handles=[Patch(color=colours[c], label=c) for c in cats], title=output_or_regime,
                  loc="best", fontsize="small")
    else:
        grid = raw.astype(float).reshape(len(xs), len(ys)).T
        mesh = ax.pcolormesh(xs, ys, grid, cmap=cmap or "viridis", shading="nearest")
        fig.colorbar(mesh, ax=ax, label=output_or_regime)
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.set_title(f"{model.name}: {output_or_regime}")
    _finish(fig, save)
    return fig, ax


def plot_sobol(indices, output: str | None = None, *, ax=None, save=None):
    """Bar chart of sensitivity indices, with their confidence intervals.

    Parameters
    ----------
    indices : SensitivityResult or DataFrame
        From :func:`~gametheory_aid.analysis.sensitivity.sensitivity` (or its ``indices``).
    output : str, optional
        The output to chart; by default the first one.
    ax : matplotlib Axes, optional
    save : path, optional

    Returns
    -------
    (Figure, Axes)
        Sobol' results: first-order and total indices side by side per parameter;
        Morris results: :math:`\\mu^*` per parameter.
    """
    table = getattr(indices, "indices", indices)
    if not hasattr(table, "columns") or "output" not in table.columns:
        raise ValueError("plot_sobol: expected a SensitivityResult or its indices table")
    outputs = list(dict.fromkeys(table["output"]))
    if not outputs:
        raise ValueError("plot_sobol: the indices table is empty")
    output = output or outputs[0]
    if output not in outputs:
        raise ValueError(f"plot_sobol: no indices for output {output!r}; outputs: {', '.join(outputs)}")
    rows = table[table["output"] == output]
    names = list(rows["parameter"])
    pos = np.arange(len(names))
    fig, ax = _axes(ax)
    if "S1" in rows.columns:
        width = 0.38
        ax.bar(pos - width / 2, rows["S1"], width, yerr=rows["S1_conf"], capsize=3, label="first order $S_1$")
        ax.bar(pos + width / 2, rows["ST"], width, yerr=rows["ST_conf"], capsize=3, label="total $S_T$")
        ax.set_ylabel("Sobol' index")
        ax.axhline(0, color="black", lw=0.6)
        ax.legend(loc="best", fontsize="small")
    else:
        ax.bar(pos, rows["mu_star"], 0.6, yerr=rows["mu_star_conf"], capsize=3, label=r"$\mu^*$")
        ax.set_ylabel(r"Morris $\mu^*$")
    ax.set_xticks(pos, names, rotation=30 if len(names) > 4 else 0)
    ax.set_title(f"sensitivity of {output}")
    _finish(fig, save)
    return fig, ax
