"""Result objects.

* :class:`ModelResult` -- the solution of a model: named fields (scalars or arrays with
  the parameters' broadcast shape), ``to_dict()``, and a table ``__repr__``, in the manner
  of ``scipy.stats`` result objects.
* :class:`Comparison` -- the same model solved at several values of one parameter, as a table.
* :class:`Equilibrium` and :class:`EquilibriumSet` -- equilibria of a finite game together
  with how they were computed (method, exact or floating-point arithmetic, tolerance) and a
  certificate (the maximum regret of any player), in the manner of pygambit.

In Jupyter each renders as an HTML table (``_repr_html_``).  The names in a result's table are
the raw output names unless a *presenter* is installed (:func:`set_presenter`): the models
layer installs one that labels outputs and regimes in the language :func:`set_display` chooses.
"""
from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any
from unicodedata import east_asian_width

import numpy as np

from .params import unicode_symbol

__all__ = ["ModelResult", "Comparison", "Equilibrium", "EquilibriumSet", "format_table", "to_jsonable",
           "html_table", "Presentation", "set_presenter", "set_display", "display_settings"]


def to_jsonable(value: Any) -> Any:
    """Convert numpy scalars/arrays, Fractions and sympy numbers to JSON-ready Python values."""
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return to_jsonable(value.item())
        return [to_jsonable(v) for v in value.tolist()]
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (np.floating, float)):
        v = float(value)
        return v if np.isfinite(v) else (None if np.isnan(v) else ("inf" if v > 0 else "-inf"))
    if isinstance(value, np.str_):
        return str(value)
    if isinstance(value, Fraction):
        return float(value)
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "is_Number") and getattr(value, "is_Number", False):  # sympy number
        return float(value)
    return value


def _cell(value: Any, digits: int = 6) -> str:
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return _cell(value.item(), digits)
        if value.size <= 8:  # nested lists keep a matrix's rows
            return _cell(value.tolist(), digits)
        return f"array(shape={value.shape}, dtype={value.dtype})"
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.{digits}g}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_cell(v, digits) for v in value) + "]"
    return str(value)


def _number(value: Any, digits: int) -> str:
    """A probability or payoff: a fraction exactly, a float to ``digits`` significant figures."""
    return str(value) if isinstance(value, Fraction) else _cell(float(value), digits)


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide (CJK) characters count two."""
    return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def format_table(header: Sequence[str], rows: Iterable[Sequence[Any]], digits: int = 6,
                 width: int | None = None) -> str:
    """A plain-text table with aligned columns (numbers to ``digits`` significant figures).

    Columns are aligned by display width (a CJK character takes two columns).  With
    ``width``, a table wider than ``width`` columns is printed as several blocks, each
    repeating the first column and holding as many of the other columns as fit (at least one).

    >>> print(format_table(("x", "y"), [(1, 0.5), (2, 1 / 3)], digits=3))
    x  y
    -  -----
    1  0.5
    2  0.333
    """
    body = [[_cell(c, digits) for c in r] for r in rows]
    cols = [list(header)] + body
    widths = [max(display_width(str(r[i])) for r in cols) for i in range(len(header))]
    blocks = [list(range(len(header)))]
    if width is not None and len(header) > 2 and sum(widths) + 2 * (len(widths) - 1) > width:
        blocks = [[0]]
        for i in range(1, len(header)):
            used = sum(widths[j] + 2 for j in blocks[-1])
            if len(blocks[-1]) > 1 and used + widths[i] > width:
                blocks.append([0])
            blocks[-1].append(i)
    out = []
    for block in blocks:
        lines = ["  ".join(_pad(str(header[i]), widths[i]) for i in block).rstrip(),
                 "  ".join("-" * widths[i] for i in block)]
        lines += ["  ".join(_pad(r[i], widths[i]) for i in block).rstrip() for r in body]
        out.append("\n".join(lines))
    return "\n\n".join(out)


#: Width in terminal columns beyond which a comparison's table is split into blocks of columns
#: (a 120-column terminal shows every block unwrapped).
TABLE_WIDTH = 120


# -- rich display (Jupyter) ---------------------------------------------------------------------
#: The languages of the labels, the stories and the tables (a presenter is asked for one of them).
LANGUAGES = ("en", "zh")


@dataclass(frozen=True)
class Presentation:
    """How one model's rich tables name things: the words a presenter gives for a language.

    Attributes
    ----------
    label : callable
        Output, regime or parameter name -> its label (identity: the raw name).
    cell : callable
        A value -> what the cell shows (a string, or a value to format as a number).
    output, value : str
        Column headings.
    equilibrium, by : str
        Table captions, formatted with ``model`` (and ``parameter``).
    regime, otherwise, where, precedence : str
        The words of a closed form in LaTeX: a regime's heading, the condition of a last regime
        that holds otherwise, the line before abbreviations, and how regimes take precedence.
    """

    label: Callable[[str], str] = str
    cell: Callable[[Any], Any] = lambda value: value
    output: str = "output"
    value: str = "value"
    equilibrium: str = "{model} equilibrium"
    by: str = "{model}: equilibrium by {parameter}"
    regime: str = "regime"
    otherwise: str = "otherwise"
    where: str = "where"
    precedence: str = "(the first regime whose condition holds applies)"


_DISPLAY = {"lang": "en", "raw_names": False}
_PRESENTER: list = [None]


def set_presenter(presenter: Callable[[str, str, bool], Presentation] | None) -> None:
    """Install ``presenter(model, lang, raw_names) -> Presentation`` for the rich tables.

    ``None`` removes it: the tables then show raw names and values as they are.
    """
    _PRESENTER[0] = presenter


def display_settings() -> dict:
    """The rich tables' settings: ``{"lang": ..., "raw_names": ...}``."""
    return dict(_DISPLAY)


def set_display(lang: str | None = None, raw_names: bool | None = None) -> dict:
    """Choose the language of the rich (HTML) tables and whether they show raw names.

    Returns the previous settings, so that ``set_display(**old)`` restores them.

    >>> old = set_display(lang="zh")
    >>> display_settings()["lang"]
    'zh'
    >>> _ = set_display(**old)
    """
    _check_display("set_display", lang, raw_names)
    old = display_settings()
    if lang is not None:
        _DISPLAY["lang"] = lang
    if raw_names is not None:
        _DISPLAY["raw_names"] = bool(raw_names)
    return old


def _check_display(owner: str, lang: Any, raw_names: Any) -> None:
    """Refuse, by name, a language other than those of :data:`LANGUAGES` or a ``raw_names`` that is no boolean."""
    if lang is not None and not (isinstance(lang, str) and lang in LANGUAGES):
        raise ValueError(f"{owner}: lang = {lang!r}; allowed: {', '.join(map(repr, LANGUAGES))}")
    if raw_names is not None and not isinstance(raw_names, (bool, np.bool_)):
        raise ValueError(f"{owner}: raw_names = {raw_names!r}; allowed: True or False")


def _presentation(model: str, lang: str | None, raw_names: bool | None, owner: str = "to_html") -> Presentation:
    _check_display(owner, lang, raw_names)
    lang = _DISPLAY["lang"] if lang is None else lang
    raw_names = _DISPLAY["raw_names"] if raw_names is None else raw_names
    presenter = _PRESENTER[0]
    return Presentation() if presenter is None else presenter(model, lang, bool(raw_names))


#: The largest matrix a rich table shows as a table of its own (a bigger one by its shape).
HTML_MATRIX_SIZE = 144


def _html_cell(value: Any, digits: int) -> str:
    if isinstance(value, np.ndarray) and value.ndim == 2 and 0 < value.size <= HTML_MATRIX_SIZE:
        rows = "".join("<tr>" + "".join(f"<td>{html.escape(_cell(v, digits))}</td>" for v in row) + "</tr>"
                       for row in value.tolist())
        return f'<table class="gametheory-aid-matrix">{rows}</table>'
    if isinstance(value, np.ndarray) and value.ndim == 1 and value.size <= 64:  # a vector in full
        return html.escape(_cell(value.tolist(), digits))
    return html.escape(value if isinstance(value, str) else _cell(value, digits))


def html_table(header: Sequence[str], rows: Iterable[Sequence[Any]], digits: int = 6,
               caption: str | None = None) -> str:
    """An HTML table (numbers to ``digits`` significant figures, text escaped).

    >>> print(html_table(("x", "y"), [(1, 0.5)], caption="a & b"))
    <table class="gametheory-aid"><caption>a &amp; b</caption>
    <thead><tr><th>x</th><th>y</th></tr></thead>
    <tbody><tr><td>1</td><td>0.5</td></tr></tbody></table>
    """
    head = "".join(f"<th>{_html_cell(h, digits)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_html_cell(c, digits)}</td>" for c in r) + "</tr>" for r in rows)
    cap = f"<caption>{html.escape(caption)}</caption>" if caption is not None else ""
    return (f'<table class="gametheory-aid">{cap}\n<thead><tr>{head}</tr></thead>\n'
            f"<tbody>{body}</tbody></table>")


def _is_nested(value: Any) -> bool:
    """A field holding a sub-model's whole result (a composite model's part), shown as its own table."""
    return isinstance(value, ModelResult)


class ModelResult(Mapping):
    """The solution of a model: an immutable mapping of output names to values.

    Fields are also attributes (``result.rent_strong``).  Numeric fields are numpy arrays
    with the broadcast shape of the parameters (0-d for scalar input), vector fields have
    trailing axes; :meth:`to_dict` gives plain Python values for 0-d fields.

    Categorical fields (a regime, an actor) are held as small-integer codes into their
    labels and turned into strings only when read: ``result.regime`` is a numpy string
    array, :meth:`codes` gives the codes and :attr:`categories` the labels, so that tables
    and files can keep the codes (pandas categoricals, dictionary-encoded Parquet).

    Parameters
    ----------
    model : str
        Registry name of the model that produced it.
    fields : mapping
        Output name -> value, in the order of the model's specification (codes for the
        categorical fields).
    parameters : mapping, optional
        The validated parameters that were solved.
    categories : mapping, optional
        Categorical output name -> tuple of labels indexed by its codes.

    The keyword ``shape`` (a tuple) gives the points' shape; it is computed from the
    parameters when omitted.
    """

    def __init__(self, model: str, fields: Mapping[str, Any], parameters: Mapping[str, Any] | None = None,
                 categories: Mapping[str, Sequence[str]] | None = None, shape: tuple | None = None):
        object.__setattr__(self, "_model", model)
        object.__setattr__(self, "_fields", dict(fields))
        object.__setattr__(self, "_parameters", dict(parameters or {}))
        object.__setattr__(self, "_categories", {k: tuple(v) for k, v in (categories or {}).items()})
        object.__setattr__(self, "_labels", {})
        object.__setattr__(self, "_shape", shape)

    def _value(self, name: str) -> Any:
        value = self._fields[name]
        labels = self._categories.get(name)
        if labels is None:
            return value
        decoded = self._labels.get(name)
        if decoded is None:
            decoded = np.asarray(np.asarray(labels).take(value))  # 0-d stays an array
            self._labels[name] = decoded
        return decoded

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._value(name)
        except KeyError:
            raise AttributeError(f"{type(self).__name__} of {self._model!r} has no field {name!r}") from None

    def __setattr__(self, name, value):
        raise AttributeError("ModelResult is immutable")

    def __getitem__(self, key: str) -> Any:
        return self._value(key)

    def __iter__(self):
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self._fields))

    def __reduce__(self):
        return (ModelResult, (self._model, self._fields, self._parameters, self._categories, self._shape))

    @property
    def model(self) -> str:
        return self._model

    @property
    def parameters(self) -> dict:
        return dict(self._parameters)

    @property
    def categories(self) -> dict:
        """Categorical output name -> its labels (indexed by :meth:`codes`)."""
        return dict(self._categories)

    def codes(self, name: str) -> np.ndarray:
        """The integer codes of categorical output ``name`` (indices into ``categories[name]``)."""
        if name not in self._categories:
            raise KeyError(f"{name!r} is not a categorical output of {self._model!r}")
        return self._fields[name]

    @property
    def shape(self) -> tuple:
        """Broadcast shape of the points (``()`` for a single point)."""
        if self._shape is not None:
            return tuple(self._shape)
        shapes = [np.shape(v) for v in self._parameters.values() if isinstance(v, np.ndarray)]
        return np.broadcast_shapes(*shapes) if shapes else ()

    def to_dict(self) -> dict:
        """Output name -> value; 0-d arrays become Python scalars, other arrays stay arrays."""
        out = {}
        for k in self._fields:
            v = self._value(k)
            if isinstance(v, np.ndarray) and v.ndim == 0:
                v = v.item()
            elif isinstance(v, np.generic):
                v = v.item()
            out[k] = v
        return out

    def to_json(self) -> dict:
        """``{"model", "parameters", "equilibrium"}`` with JSON-ready values."""
        return {"model": self._model, "parameters": to_jsonable(self._parameters),
                "equilibrium": to_jsonable(self.to_dict())}

    def __repr__(self) -> str:
        return self._text(f"{self._model} equilibrium")

    def _text(self, title: str) -> str:
        # a composite's sub-results follow the headline table, each under its own heading
        values = [(k, self._value(k)) for k in self._fields]
        rows = [(k, v) for k, v in values if not _is_nested(v)]
        parts = [title + ("\n" + format_table(("output", "value"), rows) if rows or len(values) == 0 else "")]
        parts += [v._text(f"{k}: {v.model} equilibrium") for k, v in values if _is_nested(v)]
        return "\n\n".join(parts)

    __str__ = __repr__

    def to_html(self, lang: str | None = None, raw_names: bool | None = None) -> str:
        """The result as HTML tables, labelled in ``lang`` (by default :func:`set_display`'s).

        A composite's sub-results follow the headline table, each as its own table.
        """
        words = _presentation(self._model, lang, raw_names)
        return self._html(words, words.equilibrium.format(model=self._model), lang, raw_names)

    def _html(self, words: Presentation, caption: str, lang, raw_names) -> str:
        values = [(k, self._value(k)) for k in self._fields]
        rows = [(words.label(k), words.cell(v)) for k, v in values if not _is_nested(v)]
        parts = [html_table((words.output, words.value), rows, caption=caption)]
        for k, v in values:
            if _is_nested(v):
                sub = _presentation(v.model, lang, raw_names)
                parts.append(v._html(sub, f"{words.label(k)} ({v.model})", lang, raw_names))
        return '<div class="gametheory-aid">' + "\n".join(parts) + "</div>"

    def _repr_html_(self) -> str:
        return self.to_html()


class Comparison:
    """One model solved at several values of one parameter (one row per value).

    Attributes
    ----------
    model : str
    parameter : str
        The parameter varied.
    levels : list of float
        Its values.
    results : list of ModelResult
    symbol : str
        The parameter's symbol, for column headers (its name when not given).
    """

    def __init__(self, model: str, parameter: str, levels: Sequence[float], results: Sequence[ModelResult],
                 symbol: str | None = None):
        self.model = model
        self.parameter = parameter
        self.symbol = symbol or parameter
        self.levels = [float(t) for t in levels]
        self.results = list(results)

    @property
    def outputs(self) -> list:
        return list(self.results[0].keys()) if self.results else []

    def column(self, name: str) -> list:
        """The values of output ``name`` across the levels (plain Python values for scalars)."""
        return [r.to_dict()[name] for r in self.results]

    def to_dict(self) -> dict:
        """``{parameter: [...], output: [...], ...}`` (a column-oriented table)."""
        out = {self.parameter: list(self.levels)}
        for name in self.outputs:
            out[name] = [r.to_dict()[name] for r in self.results]
        return out

    def to_json(self) -> dict:
        return {"model": self.model,
                "parameters": to_jsonable(self.results[0].parameters) if self.results else {},
                "varied": self.parameter,
                self.parameter: self.levels,
                "equilibria": [to_jsonable(r.to_dict()) for r in self.results]}

    def to_frame(self):
        """The table as a pandas DataFrame indexed by the varied parameter (needs ``pandas``)."""
        from .._optional import require
        pd = require("pandas", "frames")
        return pd.DataFrame(self.to_dict()).set_index(self.parameter)

    def __len__(self) -> int:
        return len(self.levels)

    def __repr__(self) -> str:
        return self._text(f"{self.model}: equilibrium by {self.parameter}")

    def _text(self, title: str) -> str:
        # a composite's sub-results follow the headline table, each as its own comparison;
        # a table wider than TABLE_WIDTH is split into blocks of levels
        header = ["output"] + [f"{self.symbol}={t:g}" for t in self.levels]
        columns = {name: [r[name] for r in self.results] for name in self.outputs}
        nested = [name for name, column in columns.items() if column and _is_nested(column[0])]
        rows = [[name] + column for name, column in columns.items() if name not in nested]
        parts = [title + ("\n" + format_table(header, rows, width=TABLE_WIDTH) if rows or not nested else "")]
        for name in nested:
            sub = Comparison(columns[name][0].model, self.parameter, self.levels, columns[name], self.symbol)
            parts.append(sub._text(f"{name}: {sub.model} equilibrium by {self.parameter}"))
        return "\n\n".join(parts)

    __str__ = __repr__

    def to_html(self, lang: str | None = None, raw_names: bool | None = None) -> str:
        """The table as HTML, labelled in ``lang`` (by default :func:`set_display`'s).

        A composite's sub-results follow the headline table, each as its own comparison.
        """
        words = _presentation(self.model, lang, raw_names)
        return self._html(words, words.by.format(model=self.model, parameter=words.label(self.parameter)),
                          lang, raw_names)

    def _html(self, words: Presentation, caption: str, lang, raw_names) -> str:
        header = [words.output] + [f"{unicode_symbol(self.symbol)}={t:g}" for t in self.levels]
        columns = {name: [r[name] for r in self.results] for name in self.outputs}
        nested = [name for name, column in columns.items() if column and _is_nested(column[0])]
        rows = [[words.label(name)] + [words.cell(v) for v in column]
                for name, column in columns.items() if name not in nested]
        parts = [html_table(header, rows, caption=caption)]
        for name in nested:
            sub = Comparison(columns[name][0].model, self.parameter, self.levels, columns[name], self.symbol)
            sub_words = _presentation(sub.model, lang, raw_names)
            parts.append(sub._html(sub_words, f"{words.label(name)} ({sub.model})", lang, raw_names))
        return '<div class="gametheory-aid">' + "\n".join(parts) + "</div>"

    def _repr_html_(self) -> str:
        return self.to_html()


@dataclass(frozen=True)
class Equilibrium:
    """A Nash equilibrium of a finite game and how it was found.

    Attributes
    ----------
    strategies : tuple
        One mixed strategy per player: a tuple of probabilities (``Fraction`` when exact,
        ``float`` otherwise), in the order of the player's pure strategies.
    payoffs : tuple
        Each player's expected payoff.
    method : str
        The algorithm, e.g. ``"vertex enumeration"``, ``"support enumeration"``,
        ``"pure enumeration"``, ``"backward induction"``.
    exact : bool
        Whether arithmetic was exact (rationals) rather than floating point.
    regret : float
        Certificate: the largest gain any player could get by deviating to a pure strategy
        (0 for an exact equilibrium; at most ``tolerance`` otherwise).
    tolerance : float
        The tolerance used to accept the equilibrium (0 when exact).
    """

    strategies: tuple
    payoffs: tuple
    method: str
    exact: bool
    regret: float
    tolerance: float = 0.0

    def to_dict(self) -> dict:
        return {"strategies": [list(map(to_jsonable, s)) for s in self.strategies],
                "payoffs": [to_jsonable(p) for p in self.payoffs],
                "method": self.method, "exact": self.exact,
                "regret": float(self.regret), "tolerance": float(self.tolerance)}

    def as_arrays(self) -> tuple:
        """The strategies as float numpy arrays."""
        return tuple(np.array([float(p) for p in s]) for s in self.strategies)

    def __repr__(self) -> str:
        strat, pay, _ = self._row()
        return (f"Equilibrium({strat}; payoffs {pay}; method={self.method!r}, exact={self.exact}, "
                f"regret={float(self.regret):.3g})")

    def _row(self) -> tuple:
        """Strategies and payoffs as text (fractions kept exact), the regret as a number."""
        strategies = "; ".join("(" + ", ".join(_number(p, 4) for p in s) + ")" for s in self.strategies)
        return strategies, ", ".join(_number(p, 6) for p in self.payoffs), float(self.regret)

    def _repr_html_(self) -> str:
        return html_table(("strategies", "payoffs", "regret"), [self._row()],
                          caption=f"equilibrium by {self.method} ({'exact' if self.exact else 'floating point'})")


class EquilibriumSet(list):
    """A list of :class:`Equilibrium` with what the solver knows about its completeness.

    Attributes
    ----------
    method : str
    exact : bool
    degenerate : bool
        The game is degenerate (some mixed strategy with support of size k has more than k
        pure best responses); equal-size support enumeration is then not enough.
    continuum : bool
        Some extreme equilibria are joined by a segment of equilibria (an equilibrium
        component that is not a single point): the list holds the component's extreme
        points, not every equilibrium.
    complete : bool
        The list holds every extreme equilibrium (True for enumeration methods).
    """

    def __init__(self, equilibria=(), *, method: str = "", exact: bool = False, degenerate: bool = False,
                 continuum: bool = False, complete: bool = True):
        super().__init__(equilibria)
        self.method = method
        self.exact = exact
        self.degenerate = degenerate
        self.continuum = continuum
        self.complete = complete

    @property
    def max_regret(self) -> float:
        return max((float(e.regret) for e in self), default=0.0)

    def to_dict(self) -> dict:
        return {"method": self.method, "exact": self.exact, "degenerate": self.degenerate,
                "continuum": self.continuum, "complete": self.complete,
                "equilibria": [e.to_dict() for e in self]}

    def __repr__(self) -> str:
        return "\n".join([self._head()] + ["  " + repr(e) for e in self])

    def _head(self) -> str:
        flags = []
        if self.degenerate:
            flags.append("degenerate game")
        if self.continuum:
            flags.append("continuum of equilibria: extreme points listed")
        count = f"{len(self)} equilibri{'um' if len(self) == 1 else 'a'}"
        head = f"{count} by {self.method} ({'exact' if self.exact else 'floating point'})"
        return head + ("; " + "; ".join(flags) if flags else "")

    def _repr_html_(self) -> str:
        return html_table(("#", "strategies", "payoffs", "regret"),
                          [(i + 1, *e._row()) for i, e in enumerate(self)], caption=self._head())
