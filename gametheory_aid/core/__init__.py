"""Generic game theory: parameters, results, normal-form games, game trees, bargaining.

Nothing here knows about aid; the models in :mod:`gametheory_aid.models` are built on it.
"""
from .bargaining import BargainingSolution, nash_bargaining, rubinstein_finite, rubinstein_shares
from .game_tree import Chance, Decision, GameTree, SubgamePerfect, Terminal
from .normal_form import NormalFormGame
from .params import Domain, Parameter, ParameterError, broadcast_parameters, validate_parameters
from .results import Comparison, Equilibrium, EquilibriumSet, ModelResult, format_table, to_jsonable
from .symbolic import Regime, SymbolicSolution

__all__ = [
    "BargainingSolution", "nash_bargaining", "rubinstein_finite", "rubinstein_shares",
    "Chance", "Decision", "GameTree", "SubgamePerfect", "Terminal",
    "NormalFormGame",
    "Domain", "Parameter", "ParameterError", "broadcast_parameters", "validate_parameters",
    "Comparison", "Equilibrium", "EquilibriumSet", "ModelResult", "format_table", "to_jsonable",
    "Regime", "SymbolicSolution",
]
