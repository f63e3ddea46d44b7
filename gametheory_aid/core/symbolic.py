"""Closed-form solutions as sympy expressions, regime by regime."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np
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
        pieces = [(r.outputs[output], r.condition) for r in self.regimes if output in r.outputs]
        return sp.Piecewise(*pieces)

    def lambdify(self, output: str):
        """A numpy function of the parameters (keyword arguments by public name)."""
        expr = self.thresholds[output] if output in self.thresholds else self.piecewise(output)
        names = list(self.symbols)
        f = sp.lambdify([self.symbols[n] for n in names], expr, modules="numpy")

        def evaluate(**params):
            return np.asarray(f(*[params[n] for n in names]), dtype=float)

        return evaluate

    def __repr__(self) -> str:
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
