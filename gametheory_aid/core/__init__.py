"""Generic game theory: parameters, results, normal-form games, game trees, bargaining.

Nothing here knows about aid; the models in :mod:`gametheory_aid.models` are built on it.
"""
from .params import Domain, Parameter, ParameterError, broadcast_parameters, validate_parameters
from .results import Comparison, Equilibrium, EquilibriumSet, ModelResult, format_table, to_jsonable
from .symbolic import Regime, SymbolicSolution

__all__ = [
    "Domain", "Parameter", "ParameterError", "broadcast_parameters", "validate_parameters",
    "Comparison", "Equilibrium", "EquilibriumSet", "ModelResult", "format_table", "to_jsonable",
    "Regime", "SymbolicSolution",
]
