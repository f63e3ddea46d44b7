"""gametheory-aid: the contracting link of paired aid (对口支援) as games.

The centre contracts aid tasks out to richer provinces; the package models the provinces'
strategies of escaping that pressure -- pleading poverty (装穷叫苦), pushing tasks down
(向下转移任务压力) and reverse blame-avoidance (反向避责), joint blame-avoidance with the
recipient (联合避责) -- as principal-agent, bargaining and extensive-form games, and
computes their equilibria with and without digital transparency.

>>> import gametheory_aid as gta
>>> gta.model_names()                                  # doctest: +SKIP
>>> gta.get_model("pleading-poverty")(transparency=0.5).solve()   # doctest: +SKIP
"""
from .core.params import ParameterError, UnknownNameError
from .core.results import set_display
from .models import MODELS, Model, get_model, model_names, register

__version__ = "0.1.0"

__all__ = ["ParameterError", "UnknownNameError", "MODELS", "Model", "get_model", "model_names", "register",
           "set_display", "__version__"]
