"""Closed-form solutions as sympy expressions, regime by regime.

A model's closed form is a piecewise function: regimes :math:`R_1, \\dots, R_k` in order of
precedence, each a condition :math:`c_j(\\theta)` on the parameters and the outputs'
expressions :math:`y = f_j(\\theta)` valid there, so that

.. math:: y(\\theta) = f_j(\\theta) \\quad \\text{for the first } j \\text{ with } c_j(\\theta).

sympy is imported by the methods that build or print expressions, not with this module:
the classes are plain containers, and ``import gametheory_aid`` stays cheap.

A solution returned by a model's ``symbolic()`` carries the model's own parameter values
(:attr:`SymbolicSolution.values`): the functions :meth:`SymbolicSolution.lambdify` builds
take them for every argument not given.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .params import ParameterError, UnknownNameError, as_real_array

if TYPE_CHECKING:  # pragma: no cover - annotations only
    import sympy as sp

__all__ = ["Regime", "SymbolicSolution", "LATEX_BLOCK"]


@dataclass
class Regime:
    """One regime of a piecewise closed-form solution.

    Attributes
    ----------
    name : str
        The regime's name (as in the model's ``regime`` output where it has one).
    condition : sympy Boolean
        When the regime applies, in the model's symbols.
    outputs : dict
        Output name -> sympy expression valid in this regime.
    """

    name: str
    condition: Any
    outputs: dict = field(default_factory=dict)


@dataclass
class SymbolicSolution:
    """The equilibrium of a model in closed form.

    Attributes
    ----------
    model : str
    symbols : dict
        Parameter name -> sympy Symbol.
    regimes : list of Regime
        In order of precedence: the first regime whose condition holds applies.
    thresholds : dict
        Name -> sympy expression (e.g. ``threshold_transparency``).
    notes : list of str
        Statements that accompany the solution (tie rules, assumptions).
    values : dict
        Parameter name -> the value of the model that built the solution (filled in by
        :meth:`Model.symbolic <gametheory_aid.models.base.Model.symbolic>`): the arguments a
        lambdified function is not given.  It may name parameters that are fixed in the
        closed form rather than symbols (e.g. the number of rounds).
    """

    model: str
    symbols: dict
    regimes: list
    thresholds: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    values: dict = field(default_factory=dict)

    @property
    def output_names(self) -> list:
        """The outputs the solution defines: the regimes' outputs, then the thresholds."""
        names = dict.fromkeys(k for r in self.regimes for k in r.outputs)
        names.update(dict.fromkeys(self.thresholds))
        return list(names)

    def _known_output(self, output: str) -> None:
        if not isinstance(output, str) or output not in self.output_names:
            raise UnknownNameError(output, self.output_names, "output", f"the closed form of {self.model!r}")

    def piecewise(self, output: str) -> sp.Piecewise:
        """The output as one ``sympy.Piecewise`` over the regimes that define it.

        Raises
        ------
        UnknownNameError
            If no regime defines ``output`` (suggesting the closest output name).
        """
        import sympy as sp

        self._known_output(output)
        pieces = [(r.outputs[output], r.condition) for r in self.regimes if output in r.outputs]
        if not pieces:  # a threshold only
            raise UnknownNameError(output, [k for r in self.regimes for k in r.outputs], "regime output",
                                   f"the closed form of {self.model!r}")
        return sp.Piecewise(*pieces)

    def lambdify(self, output: str):
        """A numpy function of the parameters (keyword arguments by public name).

        An argument not given takes the model's own value (:attr:`values`); an optional
        parameter the model leaves unset (``None``) is passed as ``inf``, the package's optional
        parameters being bounds whose absence is an infinite bound (``None`` is accepted for it,
        and refused for a parameter the model sets).  A vector parameter's array has its
        targets on the last axis, as for the model.  The arguments are evaluated wherever
        they are asked (domains are the model's business), but each must be a real number
        or array.

        Raises
        ------
        UnknownNameError
            ``output`` is not an output of the solution (suggesting the closest); the
            function raises it for an argument that is not a parameter.
        ParameterError
            From the function: an argument that is not a real number or array, one that
            is fixed in the closed form with another value, or one without any value.

        Examples
        --------
        >>> import gametheory_aid as gta
        >>> sol = gta.get_model("pleading-poverty")(penalty=2.0).symbolic()
        >>> rent = sol.lambdify("rent_strong")
        >>> float(rent(transparency=0.5)) == float(rent(transparency=0.5, penalty=2.0))  # the model's penalty
        True
        >>> try:
        ...     sol.lambdify("rent_stong")
        ... except gta.ParameterError as error:
        ...     print(error)  # doctest: +ELLIPSIS
        unknown output 'rent_stong' of the closed form of 'pleading-poverty'; did you mean 'rent_strong'? ...
        """
        import sympy as sp

        self._known_output(output)
        expr = self.thresholds[output] if output in self.thresholds else self.piecewise(output)
        names = list(self.symbols)
        f = sp.lambdify([self.symbols[n] for n in names], expr, modules="numpy")
        fixed = {k: v for k, v in self.values.items() if k not in self.symbols}
        owner = f"the closed form of {self.model!r}"

        def evaluate(**params):
            for name, value in params.items():
                if name in fixed:
                    if not _same_value(value, fixed[name]):
                        raise ParameterError(name, value, f"{fixed[name]!r} (fixed in this closed form)",
                                             f"{owner} is built for {name} = {fixed[name]!r}; call symbolic() "
                                             f"on the model with {name}={value!r}")
                elif name not in self.symbols:
                    raise UnknownNameError(name, names + list(fixed), "parameter", owner)
            args = {}
            for name in names:
                value = params[name] if name in params else self.values.get(name, _MISSING)
                if value is _MISSING:
                    raise ParameterError(name, None, "a real number or array",
                                         f"{owner} needs a value for {name!r} (no model value to fall back on)")
                if value is None and self.values.get(name, _MISSING) is None:  # an optional one the model leaves unset
                    value = np.asarray(np.inf)
                else:  # None for a parameter the model sets is no number (nor a way to unset it)
                    value = as_real_array(name, value, "a real number or array")
                n = len(self.symbols[name]) if isinstance(self.symbols[name], tuple) else None
                if n is not None and (value.ndim == 0 or value.shape[-1] != n):
                    raise ParameterError(name, value, f"a vector of length n = {n}",
                                         f"{owner} is built for {n} targets (last axis)")
                args[name] = value
            shape = _points_shape(args, self.symbols)
            # numpy's printers reduce lists of sub-expressions (max, logical and): one shape for all
            flat = [_targets_first(np.broadcast_to(v, shape + v.shape[-1:])) if isinstance(self.symbols[k], tuple)
                    else np.broadcast_to(v, shape) for k, v in args.items()]
            # np.select evaluates every piece; pieces that do not apply may divide by zero
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                value = np.asarray(f(*flat), dtype=float)
            return value if value.shape == shape else np.array(np.broadcast_to(value, shape))

        evaluate.__name__ = output
        evaluate.__doc__ = f"{output} of {self.model!r} in closed form; keyword arguments: {', '.join(names)}."
        return evaluate

    def __repr__(self) -> str:
        import sympy as sp

        lines = [f"{self.model}: closed-form equilibrium"]
        for r in self.regimes:
            lines.append(f"  regime {r.name}: when {sp.sstr(r.condition)}")
            for k, v in r.outputs.items():
                lines.append(f"    {k} = {sp.sstr(v)}")
        for k, v in self.thresholds.items():
            lines.append(f"  {k} = {sp.sstr(v)}")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)

    __str__ = __repr__

    def to_latex(self, lang: str | None = None, raw_names: bool | None = None) -> str:
        r"""The solution in LaTeX: the regimes' conditions, each output by regime, the thresholds.

        Display-math blocks (``$$\begin{aligned} ... \end{aligned}$$``, what Jupyter renders
        with MathJax), each at most :data:`LATEX_BLOCK` characters.  Each regime's condition is
        written once; an output defined in several regimes is a ``cases`` environment whose
        cases name the regime they hold in, or, when that is too long for one block, a line per
        regime.  An expression too long for a block is abbreviated by its common
        sub-expressions (:func:`sympy.cse`), defined on the lines that follow it.

        Outputs and regimes are named by their labels in ``lang`` where the installed presenter
        has them (by default the language of :func:`~gametheory_aid.core.results.set_display`),
        by their raw names if ``raw_names``; the notes stay as the derivation wrote them.
        """
        import sympy as sp

        from .results import _presentation

        words = _presentation(self.model, lang, raw_names, owner="to_latex")
        abbreviations = _abbreviations({sp.latex(s) for s in self._free_symbols()})

        def name_of(output: str) -> str:
            shown = words.label(output)
            return _latex_name(output) if shown == output else _latex_text(shown)

        def regime_of(regime: str) -> str:
            return _latex_text(words.label(regime))

        def line(lhs: str, expr) -> list[str]:
            text = sp.latex(expr)
            if len(lhs) + len(text) <= _LATEX_LINE:
                return [lhs + text]
            replacements, (reduced,) = sp.cse(expr, symbols=abbreviations)
            first = lhs + sp.latex(reduced)
            where = [rf"{sp.latex(w)} &= {sp.latex(v)}" for w, v in replacements]
            if max(map(len, [first] + where)) > _LATEX_LINE:  # still too long to typeset
                return [lhs + _TOO_LONG]
            return [first, rf"&{_latex_text(words.where)}"] + where

        lines = []
        if len(self.regimes) > 1:  # in order of precedence: the first that holds applies
            for r in self.regimes:
                head = rf"&{_latex_text(words.regime + ' ')}{regime_of(r.name)}{_latex_text(':')}\ "
                lines += [head + _latex_text(words.otherwise)] if r.condition is sp.true else line(head, r.condition)
            lines.append(rf"&{_latex_text(words.precedence)}")
        for output in dict.fromkeys(k for r in self.regimes for k in r.outputs):
            cases = [(r.outputs[output], r.name) for r in self.regimes if output in r.outputs]
            name = name_of(output)
            together = (r"\begin{cases} " + r" \\ ".join(rf"{sp.latex(value)} & {regime_of(regime)}"
                                                         for value, regime in cases) + r" \end{cases}")
            if len(cases) == 1:
                lines += line(rf"{name} &= ", cases[0][0])
            elif len(name) + 4 + len(together) <= _LATEX_LINE:
                lines.append(rf"{name} &= {together}")
            else:
                for value, regime in cases:
                    lines += line(rf"{name} &= {_latex_text('[')}{regime_of(regime)}{_latex_text(']')}\ ", value)
        for k, v in self.thresholds.items():
            lines += line(rf"{name_of(k)} &= ", v)
        lines += [rf"&{_latex_text(part)}" for n in self.notes for part in _wrapped(n)]
        return "\n".join(_latex_blocks(lines))

    def _free_symbols(self) -> set:
        import sympy as sp

        found = set()
        for r in self.regimes:
            found |= sp.sympify(r.condition).free_symbols
            for v in r.outputs.values():
                found |= sp.sympify(v).free_symbols
        for v in self.thresholds.values():
            found |= sp.sympify(v).free_symbols
        return found

    def _repr_latex_(self) -> str:
        return self.to_latex()


#: The longest display block :meth:`SymbolicSolution.to_latex` writes.  MathJax's TeX input
#: refuses an expression longer than 5 * 1024 characters (``MAXBUFFER`` in MathJax 2,
#: ``maxBuffer`` in 3, which Jupyter uses); the margin is for the macros it expands.
LATEX_BLOCK = 4000
_LATEX_HEAD, _LATEX_TAIL, _LATEX_SEP = r"$$\begin{aligned}", r"\end{aligned}$$", r" \\ "
#: The longest line of a block: a block of one line
_LATEX_LINE = LATEX_BLOCK - len(_LATEX_HEAD) - len(_LATEX_TAIL)


def _abbreviations(taken: set):
    """Symbols ``w_0, w_1, ...`` for common sub-expressions, skipping any that would print as
    one of ``taken`` (the LaTeX of the solution's own symbols: ``w0``, ``w_0`` and a vector
    parameter's ``w_1`` all print as ``w_{0}`` or ``w_{1}``)."""
    import itertools

    import sympy as sp

    for k in itertools.count():
        w = sp.Symbol(f"w_{k}")
        if sp.latex(w) not in taken:
            yield w


def _wrapped(note: str) -> list[str]:
    """A note in pieces short enough for a line of a block, broken at spaces where it can be."""
    import textwrap

    # escaping at most triples a character's length (``%`` -> ``\%``, a word -> ``\text{..}``)
    width = max((_LATEX_LINE - 8) // 3, 1)
    return textwrap.wrap(note, width, break_long_words=True, break_on_hyphens=False) or [note]


_TOO_LONG = r"\text{(too long to typeset: print the solution to read it)}"


def _latex_blocks(lines: list[str]) -> list[str]:
    """``lines`` of an ``aligned`` environment, packed in order into display blocks of at most
    :data:`LATEX_BLOCK` characters (a line longer than one block's worth is said to be too long)."""
    head, tail, sep = _LATEX_HEAD, _LATEX_TAIL, _LATEX_SEP
    blocks, current = [], []
    for text in lines:
        text = text if len(text) <= _LATEX_LINE else "&" + _TOO_LONG
        if current and len(head + sep.join(current + [text]) + tail) > LATEX_BLOCK:
            blocks.append(head + sep.join(current) + tail)
            current = []
        current.append(text)
    if current:
        blocks.append(head + sep.join(current) + tail)
    return blocks


# LaTeX's special characters, each as math that LaTeX and MathJax both read
_LATEX_SPECIAL = {"\\": r"\backslash ", "{": r"\{", "}": r"\}", "_": r"\_", "%": r"\%", "&": r"\&",
                  "#": r"\#", "$": r"\$", "^": r"\hat{}", "~": r"\sim "}


def _latex_text(text: str) -> str:
    r"""``text`` as math-mode LaTeX: runs of words in ``\text{}``, special characters escaped.

    >>> print(_latex_text("x_i >= 0"))
    \text{x}\_\text{i >= 0}
    """
    parts = re.split(r"([\\{}_%&#$^~])", text)
    return "".join(_LATEX_SPECIAL.get(p) or rf"\text{{{p}}}" for p in parts if p)


def _latex_name(name: str) -> str:
    r"""An output's name as upright math (``rent_strong`` -> ``\mathrm{rent\_strong}``)."""
    return r"\mathrm{" + "".join(_LATEX_SPECIAL.get(c, c) for c in name) + "}"


_MISSING = object()


def _points_shape(args: dict, symbols: dict) -> tuple:
    """The broadcast shape of the points: scalar arguments' shapes and vectors' leading axes."""
    shape: tuple = ()
    for name, value in args.items():
        lead = value.shape[:-1] if isinstance(symbols[name], tuple) else value.shape
        try:
            shape = np.broadcast_shapes(shape, lead)
        except ValueError:
            raise ParameterError(name, f"array of shape {value.shape}", f"arrays broadcastable to shape {shape}",
                                 "shapes do not broadcast") from None
    return shape


def _targets_first(value: np.ndarray) -> np.ndarray:
    """A vector parameter's array with its targets on the first axis.

    The lambdified function unpacks a vector argument into its n symbols along the first
    axis; the package's arrays hold the targets on the last.
    """
    value = np.asarray(value)
    return np.moveaxis(value, -1, 0) if value.ndim > 1 else value


def _same_value(a, b) -> bool:
    if isinstance(a, (bool, np.bool_)) or isinstance(a, str):
        return False
    try:
        return bool(np.all(np.asarray(a) == np.asarray(b)))
    except Exception:
        return False
