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
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from .._optional import require
from ..core.params import ParameterError, check_names
from ..core.results import LANGUAGES, display_settings
from .controls import control, symbol
from .sweeps import resolve_model

__all__ = ["explore", "Explorer", "parse_vector"]

#: A number as a text field takes it (Python's float() would also take "1_000", "nan" and "inf")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def parse_vector(name: str, text: str, domain: str) -> list | None:
    """A text field's value: numbers separated by commas or spaces; empty for none.

    >>> parse_vector("weight", "1, 2.5 3", "positive numbers")
    [1.0, 2.5, 3.0]
    >>> parse_vector("max_claim", " ", "(0, inf) or none") is None
    True
    """
    if not text.strip():
        return None
    words = [w for item in text.split(",") for w in (item.split() or [""])]
    if not all(_NUMBER.fullmatch(w) for w in words):  # no empty item, no digit separators, no words
        raise ParameterError(name, text, domain, "give numbers separated by commas")
    return [float(w) for w in words]


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
        _check_arguments(lang, raw_names, points)
        widgets = require("ipywidgets", "notebook")
        settings = display_settings()
        self.lang = settings["lang"] if lang is None else lang
        self.raw_names = settings["raw_names"] if raw_names is None else bool(raw_names)
        self.model = resolve_model(model)
        self.outputs = None if outputs is None else _outputs(outputs)
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
            if value is None:
                shown = ""
            elif np.ndim(value) == 0:  # an optional scalar the model sets
                shown = str(float(value))
            else:
                shown = ", ".join(str(float(v)) for v in np.asarray(value).ravel())  # round-trips
            return widgets.Text(value=shown, **words)
        if c["kind"] == "integer":
            value = int(value)
            return widgets.IntSlider(value=value, min=min(c["min"], value), max=max(c["max"], value), step=1,
                                     **words)
        value = float(value)
        return widgets.FloatSlider(value=value, min=min(c["min"], value), max=max(c["max"], value), step=c["step"],
                                   readout_format=".3g", **words)

    def values(self) -> dict:
        """The controls' values as parameters (a text field's numbers as a list, or as one number
        for a scalar; empty as none).

        Raises
        ------
        ParameterError
            A text field that does not hold numbers (or holds several for a scalar).
        """
        return {name: self._parameter(name, w.value) for name, w in self.controls.items()}

    def _parameter(self, name: str, shown: Any) -> Any:
        """The parameter a control's value stands for."""
        if not isinstance(shown, str):
            return shown
        spec = self._specs[name]
        numbers = parse_vector(name, shown, spec.allowed)
        if spec.vector or numbers is None:
            return numbers
        if len(numbers) != 1:
            raise ParameterError(name, shown, spec.allowed, "a scalar parameter: give one number (or nothing for none)")
        return numbers[0]

    def set(self, **values: Any) -> Explorer:
        """Move some controls (as a reader would) and redraw once; returns the explorer.

        A vector or optional parameter's value is given as its text (``"1, 2, 3"``) or as
        numbers.  Values the model refuses move no control: the drawing stays and
        :attr:`message` says why, as when a reader types them.

        Raises
        ------
        ValueError
            An unknown parameter name.
        ParameterError
            A value no control can hold (text or a boolean for a slider, a non-finite number, a
            fraction for a whole-number slider); then no control moves either.
        """
        check_names(list(values), self.controls, "parameter", f"model {self.model.name!r}")
        shown = {name: self._shown(name, value) for name, value in values.items()}
        try:
            current = self.values()
            current.update({name: self._parameter(name, v) for name, v in shown.items()})
            self.model.with_(**current)
        except ParameterError as exc:
            self._refuse(exc)
            return self
        self._quiet = True
        try:
            for name, value in shown.items():
                self._move(name, value)
        finally:
            self._quiet = False
        self.redraw()
        return self

    def _shown(self, name: str, value: Any) -> Any:
        """``value`` as control ``name`` holds it: text for a text field, a number for a slider."""
        w, spec = self.controls[name], self._specs[name]
        if isinstance(w.value, str):
            if value is None:
                return ""
            if isinstance(value, str):
                return value
            return ", ".join(map(str, value)) if isinstance(value, (list, tuple, np.ndarray)) else str(value)
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise ParameterError(name, value, spec.allowed, "a slider takes one number")
        try:
            finite = math.isfinite(float(value))
        except OverflowError:  # an integer beyond any float
            finite = False
        if not finite:
            raise ParameterError(name, value, spec.allowed, "a slider takes a finite number")
        if isinstance(w.value, int) and value != int(value):
            raise ParameterError(name, value, spec.allowed, "a whole number")
        return type(w.value)(value)

    def _move(self, name: str, value: Any) -> None:
        """Put an accepted ``value`` in its control; a slider's range widens to hold it rather than clip it."""
        w = self.controls[name]
        if not isinstance(w.value, str):
            if value < w.min:
                w.min = value
            if value > w.max:
                w.max = value
        w.value = value

    def _refuse(self, exc: ParameterError) -> None:
        self.message.value = f'<p class="gametheory-aid-error" style="color:#b00">{html.escape(str(exc))}</p>'

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
            self._refuse(exc)
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
    _check_arguments(lang, raw_names, points)
    resolved = resolve_model(model)
    if outputs is not None:
        outputs = _outputs(outputs)
        check_names(outputs, resolved.output_specs(), "output", f"model {resolved.name!r}")
    return Explorer(model, outputs, lang=lang, raw_names=raw_names, points=points)


def _check_arguments(lang, raw_names, points) -> None:
    if lang is not None and not (isinstance(lang, str) and lang in LANGUAGES):
        raise ValueError(f"explore: lang = {lang!r}; allowed: {', '.join(map(repr, LANGUAGES))}")
    if raw_names is not None and not isinstance(raw_names, (bool, np.bool_)):
        raise ValueError(f"explore: raw_names = {raw_names!r}; allowed: True or False")
    if isinstance(points, (bool, np.bool_)) or not isinstance(points, (int, np.integer)) or points < 2:
        raise ValueError(f"explore: points = {points!r}; needs an integer >= 2")


def _outputs(outputs) -> list:
    """The figure's outputs as a list: one name given as a string is one output."""
    outputs = [outputs] if isinstance(outputs, str) else list(outputs)
    if not outputs:
        raise ValueError("explore: outputs = []; name at least one output (or leave it out for the story's figure)")
    return outputs
