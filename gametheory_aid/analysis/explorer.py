"""A model to explore in a notebook: a slider per parameter, the table and the figure redrawn live.

:func:`explore` builds an :class:`Explorer`, which Jupyter shows as one ipywidgets box: the
controls (:mod:`~gametheory_aid.analysis.controls`: a slider per scalar parameter, a text
field for a vector or an optional one), a line for a refused value, the equilibrium's table
(:meth:`ModelResult.to_html <gametheory_aid.core.results.ModelResult.to_html>`) and the
model's figure against transparency (:func:`~gametheory_aid.analysis.plots.plot_transparency`)
with the current τ marked.  Every value goes through the model's own validation: a refused
value leaves the last table and figure in place and says why in the model's words.

It needs the ``notebook`` extra (ipywidgets, matplotlib).
"""
from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Sequence
from typing import Any

from .._optional import require
from ..core.params import ParameterError, check_names
from ..core.results import LANGUAGES, display_settings
from .controls import control, symbol
from .sweeps import resolve_model

__all__ = ["explore", "Explorer", "parse_vector"]


def parse_vector(name: str, text: str, domain: str) -> list | None:
    """A text field's value: numbers separated by commas or spaces; empty for none.

    >>> parse_vector("weight", "1, 2.5 3", "positive numbers")
    [1.0, 2.5, 3.0]
    >>> parse_vector("max_claim", " ", "(0, inf) or none") is None
    True
    """
    words = text.replace(",", " ").split()
    if not words:
        return None
    try:
        return [float(w) for w in words]
    except ValueError:
        raise ParameterError(name, text, domain, "give numbers separated by commas") from None


class Explorer:
    """The widgets of :func:`explore` and the model they drive.

    Attributes
    ----------
    model : Model
        The model at the controls' current values (the last accepted).
    result : ModelResult
        Its solution.
    controls : dict
        Parameter name -> its widget (``transparency`` last).
    table, figure, message : ipywidgets widgets
        The equilibrium's HTML table, the figure (PNG) and the line saying why a value was refused.
    widget : ipywidgets.VBox
        All of them, as Jupyter shows them.
    """

    def __init__(self, model, outputs: Sequence[str] | None = None, *, lang: str | None = None,
                 raw_names: bool | None = None, points: int = 101):
        widgets = require("ipywidgets", "notebook")
        settings = display_settings()
        self.lang = settings["lang"] if lang is None else lang
        self.raw_names = settings["raw_names"] if raw_names is None else bool(raw_names)
        self.model = resolve_model(model)
        self.outputs = None if outputs is None else list(outputs)
        self.points = int(points)
        self._specs = self.model.parameter_specs()
        names = [n for n in self._specs if n != "transparency"] + [n for n in self._specs if n == "transparency"]
        self.controls = {name: self._widget(widgets, name) for name in names}
        self.message = widgets.HTML()
        self.table = widgets.HTML()
        self.figure = widgets.Image(format="png")
        self.widget = widgets.VBox([widgets.VBox(list(self.controls.values())), self.message, self.table,
                                    self.figure])
        self._quiet = False
        for w in self.controls.values():
            w.observe(self._changed, names="value")
        self.result = None
        self.redraw()

    def _widget(self, widgets, name: str):
        """The control of parameter ``name``, at the model's value (its range widened to hold it)."""
        spec = self._specs[name]
        c = control(type(self.model), spec, self.lang)
        value = self.model.params[name]
        words = {"description": f"{symbol(spec.symbol)} ({name if self.raw_names else c['label']})",
                 "tooltip": c["domain"], "continuous_update": False, "style": {"description_width": "initial"},
                 "layout": widgets.Layout(width="32em")}
        if c["kind"] == "text":
            shown = "" if value is None else ", ".join(str(float(v)) for v in list(value))  # round-trips
            return widgets.Text(value=shown, **words)
        if c["kind"] == "integer":
            value = int(value)
            return widgets.IntSlider(value=value, min=min(c["min"], value), max=max(c["max"], value), step=1,
                                     **words)
        value = float(value)
        return widgets.FloatSlider(value=value, min=min(c["min"], value), max=max(c["max"], value), step=c["step"],
                                   readout_format=".3g", **words)

    def values(self) -> dict:
        """The controls' values as parameters (a text field's numbers as a list, empty as none).

        Raises
        ------
        ParameterError
            A text field that does not hold numbers.
        """
        out: dict[str, Any] = {}
        for name, w in self.controls.items():
            spec = self._specs[name]
            out[name] = parse_vector(name, w.value, spec.allowed) if isinstance(w.value, str) else w.value
        return out

    def set(self, **values: Any) -> Explorer:
        """Move some controls (as a reader would) and redraw once; returns the explorer.

        A vector or optional parameter's value is given as its text (``"1, 2, 3"``).
        """
        check_names(list(values), self.controls, "parameter", f"model {self.model.name!r}")
        self._quiet = True
        try:
            for name, value in values.items():
                self._move(name, value)
        finally:
            self._quiet = False
        self.redraw()
        return self

    def _move(self, name: str, value: Any) -> None:
        """Put ``value`` in its control; a slider's range widens to hold it rather than clip it."""
        w, spec = self.controls[name], self._specs[name]
        if isinstance(w.value, str):
            if value is not None and not isinstance(value, str):  # numbers given as numbers
                value = ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
            w.value = "" if value is None else value
            return
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ParameterError(name, value, spec.allowed, "a slider takes one number")
        if not math.isfinite(value):
            raise ParameterError(name, value, spec.allowed, "a slider takes a finite number")
        if isinstance(w.value, int) and value != int(value):
            raise ParameterError(name, value, spec.allowed, "a whole number")
        value = type(w.value)(value)
        if value < w.min:
            w.min = value
        if value > w.max:
            w.max = value
        w.value = value

    def _changed(self, change) -> None:
        if not self._quiet:
            self.redraw()

    def redraw(self) -> None:
        """Solve at the controls' values and redraw the table and the figure.

        A refused value leaves them as they were and puts the model's message in :attr:`message`.
        """
        try:
            model = self.model.with_(**self.values())
            result = model.solve()
        except ParameterError as exc:  # the model's validation, in its words
            self.message.value = f'<p class="gametheory-aid-error" style="color:#b00">{html.escape(str(exc))}</p>'
            return
        self.model, self.result = model, result
        self.message.value = ""
        self.table.value = result.to_html(self.lang, self.raw_names)
        self.figure.value = self._png(model)
        self.figure.layout.display = None if self.figure.value else "none"

    def _png(self, model) -> bytes:
        """The figure against transparency with the current τ marked (empty for a model without one)."""
        from .plots import plot_transparency

        if "transparency" not in self._specs:
            return b""
        story = model.story
        if self.outputs is None and (story is None or story.figure is None):
            return b""
        plt = require("matplotlib.pyplot", "plot")
        fig, ax = plot_transparency(model, self.outputs, lang=self.lang, raw_names=self.raw_names,
                                    points=self.points)
        try:
            ax.axvline(float(model.params["transparency"]), color="#555555", lw=2, alpha=0.6, gid="current")
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
        finally:
            plt.close(fig)
        return buffer.getvalue()

    def to_html(self) -> str:
        """The table and the figure at the controls' current values, as static HTML."""
        figure = self.figure.value
        img = (f'<img alt="figure" src="data:image/png;base64,{base64.b64encode(figure).decode("ascii")}">'
               if figure else "")
        return self.message.value + self.table.value + img

    def _repr_mimebundle_(self, **kwargs):
        # the widgets where a kernel runs them; where none does (a notebook rendered to HTML,
        # a viewer without widget state) the static table and figure in their place
        bundle = self.widget._repr_mimebundle_(**kwargs)
        return {**bundle, "text/html": self.to_html()}


def explore(model, outputs: Sequence[str] | None = None, *, lang: str | None = None,
            raw_names: bool | None = None, points: int = 101) -> Explorer:
    """A slider per parameter of ``model``; the table and the figure follow them.

    Parameters
    ----------
    model : str, Model subclass or Model instance
        The controls start at its values (a name or a class: the defaults).
    outputs : sequence of str, optional
        The figure's outputs (by default the model's story's figure; no figure for a model
        without one or without a transparency parameter).
    lang : {"en", "zh"}, optional
        The labels' language (by default :func:`~gametheory_aid.core.results.set_display`'s).
    raw_names : bool, optional
        Raw output and parameter names instead of labels.
    points : int
        Transparency values of the figure's curves.

    Returns
    -------
    Explorer
        Jupyter shows its widgets; :meth:`Explorer.set` moves controls from code.

    Raises
    ------
    ValueError
        An unknown output (the closest suggested), a language other than ``"en"`` and
        ``"zh"``, fewer than 2 points.

    Examples
    --------
    >>> from gametheory_aid.analysis import explore
    >>> ex = explore("pleading-poverty", lang="zh")
    >>> before = float(ex.result.rent_strong)
    >>> after = float(ex.set(transparency=1.0).result.rent_strong)
    >>> after < before                     # the platform shrinks the rent of pleading poverty
    True
    >>> _ = ex.set(penalty=-1.0)           # refused: the table stays, the message says why
    >>> "penalty" in ex.message.value and float(ex.result.rent_strong) == after
    True
    """
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"explore: lang = {lang!r}; allowed: {', '.join(map(repr, LANGUAGES))}")
    if raw_names is not None and not isinstance(raw_names, bool):
        raise ValueError(f"explore: raw_names = {raw_names!r}; allowed: True or False")
    if isinstance(points, bool) or not isinstance(points, int) or points < 2:
        raise ValueError(f"explore: points = {points!r}; needs an integer >= 2")
    resolved = resolve_model(model)
    if outputs is not None:
        check_names(list(outputs), resolved.output_specs(), "output", f"model {resolved.name!r}")
    return Explorer(model, outputs, lang=lang, raw_names=raw_names, points=points)
