"""Narrated classroom walkthroughs: one model, step by step, without and with transparency.

A walkthrough is a model's story's ``demo(model, lang)``: a list of
:class:`~gametheory_aid.models.story.DemoStep` (a heading and its lines) saying who moves, what
they know, what each would do and why, the equilibrium, and then the same game with full
transparency -- every number computed by the model's own ``solve()`` at its default
parameters.  This module only numbers and lays out the steps, for any registered model whose
story has a walkthrough.
"""
from __future__ import annotations

import re

from .core.params import UnknownNameError
from .models import get_model, model_names
from .models.story import LANGUAGES

__all__ = ["demo", "demo_models", "render_steps"]

#: A Chinese heading that is numbered already ("第1步 ...").
_NUMBERED_ZH = re.compile(r"^第\s*\d+\s*步")


def demo_models() -> list:
    """The registered models whose story has a classroom walkthrough."""
    return [n for n in model_names() if get_model(n).story is not None and get_model(n).story.demo is not None]


def _heading(i: int, heading: str, lang: str) -> str:
    if lang == "zh":
        return heading if _NUMBERED_ZH.match(heading) else f"第{i}步 {heading}"
    return f"Step {i}. {heading}"


def render_steps(title: str, steps, lang: str = "en") -> str:
    """The walkthrough as text: the title underlined, then numbered steps with indented lines."""
    lines = [title, "=" * len(title), ""]
    for i, step in enumerate(steps, 1):
        lines += [_heading(i, step.heading, lang), *[f"   {b}" for b in step.lines], ""]
    return "\n".join(lines)


def demo(model: str, lang: str = "en") -> str:
    """The narrated walkthrough of ``model`` in ``lang`` ("en" or "zh").

    Raises
    ------
    UnknownNameError
        For a model that is not registered, or has no walkthrough (naming the closest one
        that has).
    ValueError
        For an unknown language.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    available = demo_models()
    if model not in model_names():
        raise UnknownNameError(model, available, "model")
    if model not in available:
        raise UnknownNameError(model, available, "walkthrough")
    cls = get_model(model)
    story = cls.story
    title = story.text(story.demo_title, lang) or story.text(story.title, lang) or cls.title
    return render_steps(title, story.demo(cls(), lang), lang)
