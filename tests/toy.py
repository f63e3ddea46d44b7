"""A minimal model used to test the framework and the CLI independently of the real models."""
import numpy as np

from gametheory_aid.core.params import Domain, Parameter, ParameterError
from gametheory_aid.models.base import Model, Output


class Toy(Model):
    """An agent hides a cost c from view with probability 1 - tau; rent = (1 - tau) * c."""

    name = "toy"
    title = "Toy rent model"
    chinese_title = "玩具"
    summary = "A one-line model used in tests."
    transparency_channel = "visibility of the cost"
    parameters = (
        Parameter("cost", "c", 2.0, Domain(0, None), "hidden cost", "成本"),
        Parameter("ceiling", "m", 10.0, Domain(0, None), "upper bound on the cost"),
        Parameter("transparency", "tau", 0.0, Domain(0, 1), "transparency", "数字技术赋能"),
    )
    outputs = (
        Output("rent", "rent kept by the agent"),
        Output("regime", "hidden or visible", kind="regime"),
    )

    def _check(self, values):
        if np.any(values["cost"] > values["ceiling"]):
            raise ParameterError("cost", float(np.max(values["cost"])), "[0, ceiling]")

    def _solve(self, cost, ceiling, transparency):
        rent = (1 - transparency) * cost
        return {"rent": rent, "regime": np.where(rent > 0, "hidden", "visible")}


class ToyGame(Toy):
    """The toy as a one-move game tree: the agent hides (payoff rent) or reveals (payoff 0)."""

    name = "toy-game"

    def to_game(self):
        from gametheory_aid.core.game_tree import Decision, GameTree, Terminal

        rent = float(self.solve().rent)
        root = Decision(0, {"hide": Terminal((rent, -rent)), "reveal": Terminal((0.0, 0.0))}, label="agent")
        return GameTree(root, players=("Agent", "Centre"))
