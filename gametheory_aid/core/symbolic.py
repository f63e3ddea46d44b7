"""Closed-form solutions as sympy expressions, regime by regime.

A model's closed form is a piecewise function: regimes :math:`R_1, \\dots, R_k` in order of
precedence, each a condition :math:`c_j(\\theta)` on the parameters and the outputs'
expressions :math:`y = f_j(\\theta)` valid there, so that

.. math:: y(\\theta) = f_j(\\theta) \\quad \\text{for the first } j \\text{ with } c_j(\\theta).

sympy is imported by the methods that build or print expressions, not with this module:
the classes are plain containers, and ``import gametheory_aid`` stays cheap.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover - annotations only
    import sympy as sp

__all__ = ["Regime", "SymbolicSolution"]


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
    """

    model: str
    symbols: dict
    regimes: list
    thresholds: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)

    def piecewise(self, output: str) -> sp.Piecewise:
        """The output as one ``sympy.Piecewise`` over the regimes that define it."""
        import sympy as sp

        pieces = [(r.outputs[output], r.condition) for r in self.regimes if output in r.outputs]
        return sp.Piecewise(*pieces)

    def lambdify(self, output: str):
        """A numpy function of the parameters (keyword arguments by public name)."""
        import sympy as sp

        expr = self.thresholds[output] if output in self.thresholds else self.piecewise(output)
        names = list(self.symbols)
        f = sp.lambdify([self.symbols[n] for n in names], expr, modules="numpy")

        def evaluate(**params):
            return np.asarray(f(*[params[n] for n in names]), dtype=float)

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
