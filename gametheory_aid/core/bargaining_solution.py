"""The outcome of a two-player bargaining problem, and the checks of the solvers' inputs.

:class:`BargainingSolution` is what :func:`~gametheory_aid.core.bargaining.nash_bargaining`
returns for every kind of frontier.  The validators turn array arguments into finite float
arrays or raise a :class:`~gametheory_aid.core.params.ParameterError` naming the argument,
the value and the allowed domain; ``_TOUCH_ULPS`` is the rounding allowance within which a
disagreement point off the feasible set still touches it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .params import Domain, ParameterError, as_real_array
from .results import to_jsonable

__all__ = ["BargainingSolution"]

# A disagreement point outside the feasible set by at most _TOUCH_ULPS * eps * (largest |u_i| on the
# frontier + |d_i|) in each coordinate i counts as touching it: the miss is rounding error.
_TOUCH_ULPS = 16.0


@dataclass(frozen=True)
class BargainingSolution:
    """The outcome of a two-player bargaining problem.

    Attributes
    ----------
    utilities : tuple of ndarray
        ``(u1, u2)``, the agreed utilities (the disagreement payoffs where there is no
        agreement); arrays with the broadcast shape of the inputs (0-d for scalar input).
    agreement : ndarray of bool
        Whether some feasible point gives both players at least their disagreement payoffs.
    disagreement : tuple of ndarray
        ``(d1, d2)``, broadcast to the same shape.
    power : ndarray
        Player 1's bargaining power, broadcast to the same shape.
    method : str
        ``"piecewise_linear"`` (closed form on each segment), ``"transfers"`` (closed form on a
        :class:`TransferFrontier`) or ``"concave_function"`` (bounded scalar optimisation).
    """

    utilities: tuple
    agreement: np.ndarray
    disagreement: tuple
    power: np.ndarray
    method: str

    @property
    def gains(self) -> tuple:
        """``(u1 - d1, u2 - d2)``: each player's gain over disagreement."""
        return (self.utilities[0] - self.disagreement[0], self.utilities[1] - self.disagreement[1])

    def to_dict(self) -> dict:
        """Plain Python values (lists for arrays, floats and bools for 0-d arrays)."""
        return {
            "utilities": to_jsonable(list(self.utilities)),
            "agreement": to_jsonable(self.agreement),
            "disagreement": to_jsonable(list(self.disagreement)),
            "power": to_jsonable(self.power),
            "method": self.method,
        }


# ----------------------------------------------------------------------------- validation

def _real_array(name: str, value: Any, domain: str) -> np.ndarray:
    """``value`` as a float array, or a ParameterError naming ``name``.

    NaN and infinities are refused, and so is what numpy would convert without a word:
    booleans, complex numbers (the imaginary part would be dropped), text, dates, masked
    arrays (the mask would be dropped) and integers too large for a float.
    """
    if callable(value):
        raise ParameterError(name, value, domain, "must be a real number or array, not a function")
    arr = as_real_array(name, value, domain)
    # NaN and infinities propagate into the minimum or maximum: two reductions, no mask
    if arr.size and not (np.isfinite(arr.min()) and np.isfinite(arr.max())):
        bad = arr[~np.isfinite(arr)].flat[0]
        raise ParameterError(name, float(bad), domain, "must be finite")
    return arr


def _in_domain(name: str, value: Any, domain: Domain) -> np.ndarray:
    arr = _real_array(name, value, str(domain))
    if not domain.contains_all(arr):
        ok = domain.mask(arr)
        raise ParameterError(name, float(arr[~ok].flat[0]), str(domain))
    return arr


def _pairs(name: str, value: Any, symbols: str) -> np.ndarray:
    """``value`` as a float array of pairs, shape ``(..., 2)``, or a ParameterError naming ``name``."""
    domain = f"finite {symbols} pairs in an array of shape (..., 2)"
    pairs = _real_array(name, value, domain)
    if pairs.ndim < 1 or pairs.shape[-1] != 2:
        raise ParameterError(name, f"array of shape {pairs.shape}", domain, "last axis must have length 2")
    return pairs


def _validate_disagreement(disagreement: Any) -> np.ndarray:
    return _pairs("disagreement", disagreement, "(d1, d2)")
