"""Refusing parameter points whose outputs leave the float64 range.

A model that lets intermediate overflows happen on purpose (``np.errstate(over="ignore")``,
where an infinite intermediate is the right limit) checks its outputs itself with
:func:`refuse_non_finite`: an output that should be finite but is not means the parameters'
magnitudes are beyond what float64 arithmetic can hold, and the point is refused with a
:class:`~gametheory_aid.core.params.ParameterError` that says so, never returned as inf/NaN.
"""
from __future__ import annotations

import math

import numpy as np

from ..core.params import ParameterError

__all__ = ["refuse_non_finite"]


def refuse_non_finite(model, fields: dict, args: dict, exempt: tuple = ()) -> None:
    """Raise :class:`ParameterError` if an output of ``fields`` (other than ``exempt``) is not finite.

    Names the parameter of ``args`` of most extreme magnitude (largest ``|log10 |x||``): the one
    to rescale.

    Parameters
    ----------
    model : Model
        The model solved (for its name and its parameters' domains).
    fields : dict
        The outputs as solved.
    args : dict
        The parameter values the outputs were solved at.
    exempt : tuple
        Outputs that are infinite on purpose (a threshold that is never reached).
    """
    bad = [name for name, v in fields.items()
           if name not in exempt and isinstance(v, np.ndarray) and v.dtype.kind == "f" and not np.isfinite(v).all()]
    if not bad:
        return
    specs = model.parameter_specs()
    worst = None
    for name, v in args.items():
        x = np.abs(np.asarray(v, dtype=float)).ravel()
        x = x[(x > 0) & np.isfinite(x)]
        for value in (x.min(), x.max()) if x.size else ():
            score = abs(math.log10(float(value)))
            if worst is None or score > worst[0]:
                worst = (score, name, float(value))
    name, value = (worst[1], worst[2]) if worst is not None else (next(iter(args)), None)
    raise ParameterError(name, value, f"{specs[name].domain}, at magnitudes float64 arithmetic can hold",
                         f"model {model.name!r} leaves the float64 range: its output {bad[0]!r} is not finite; "
                         "give the parameters moderate magnitudes (rescale the units)")
