"""A small model with vector parameters, to test the framework independently of the real models.

n targets with weights w (one per target) share a budget B: the aider gives each target
``B w_i / sum(w)`` when nobody looks and the even share ``B / n`` when the platform shows
everything; in between the mixture ``(1 - tau) B w_i / sum(w) + tau B / n``.
"""
import numpy as np

from gametheory_aid.core.params import Domain, Parameter, ParameterError
from gametheory_aid.models.base import Model, Output, regime_codes

REGIMES = ("even", "uneven")


class VectorToy(Model):
    """Weighted shares of a budget, pulled towards even shares by transparency."""

    name = "vector-toy"
    title = "Vector toy: weighted shares of a budget"
    chinese_title = "向量玩具"
    summary = "A model with one value per target, used in tests."
    transparency_channel = "visibility of the shares"
    parameters = (
        Parameter("budget", "B", 12.0, Domain(0, None, low_open=True), "the budget"),
        Parameter("weight", "w", (1.0, 2.0, 3.0), Domain(0, None, low_open=True), "each target's weight",
                  vector=True),
        Parameter("floor", "f", (0.0, 0.0, 0.0), Domain(0, None), "each target's least share", vector=True),
        Parameter("transparency", "tau", 0.0, Domain(0, 1), "transparency", "数字技术赋能"),
    )
    outputs = (
        Output("allocation", "each target's share of the budget"),
        Output("gap", "largest minus smallest share"),
        Output("regime", "even or uneven", kind="regime", categories=REGIMES),
        Output("contrast", "allocation_i - allocation_j for every pair (n x n)"),
    )

    def _check(self, values):
        floor, budget = values["floor"], values["budget"]
        if np.any(floor.sum(axis=-1) > budget):
            raise ParameterError("floor", float(floor.sum(axis=-1).max()), "sums of at most budget")

    def _solve(self, *, budget, weight, floor, transparency):
        n = weight.shape[-1]
        tau = transparency[:, None]
        weighted = weight / weight.sum(axis=-1, keepdims=True)
        allocation = budget[:, None] * ((1 - tau) * weighted + tau / n)
        gap = allocation.max(axis=-1) - allocation.min(axis=-1)
        return {"allocation": allocation, "gap": gap,
                "regime": regime_codes(gap <= 1e-12 * budget),
                "contrast": allocation[:, :, None] - allocation[:, None, :]}
