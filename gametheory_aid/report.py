"""The package's main job: every registered model solved with and without transparency."""
from __future__ import annotations

from typing import Sequence

from .models import get_model, model_names

__all__ = ["render_report"]


def render_report(transparency: Sequence[float] = (0.0, 0.5, 1.0)) -> str:
    """Plain-text report: for each model, its default equilibrium at each transparency level."""
    sections = ["The contracting link of paired aid (对口支援): equilibria with and without digital "
                "transparency", ""]
    for name in model_names():
        cls = get_model(name)
        if "transparency" not in cls.parameter_specs():
            continue
        title = f"{cls.title}" + (f" ({cls.chinese_title})" if cls.chinese_title else "")
        sections += [f"== {name}: {title} ==", repr(cls().compare(transparency)), ""]
    return "\n".join(sections)
