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
from .models.story import raw_names as story_raw_names

__all__ = ["demo", "demo_models", "render_steps", "walkthrough", "PROMPT"]

#: What ``demo --step`` prints between steps, by language.
PROMPT = {"en": "(press Enter for the next step)", "zh": "（按回车键继续下一步）"}

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
    return "\n".join(["\n".join([title, "=" * len(title), ""]), *render_parts(steps, lang)])


def render_parts(steps, lang: str = "en") -> list:
    """Each step as text (its numbered heading, its indented lines, a blank line)."""
    return ["\n".join([_heading(i, step.heading, lang), *[f"   {b}" for b in step.lines], ""])
            for i, step in enumerate(steps, 1)]


def walkthrough(model, lang: str = "en", params=None, raw_names: bool = False) -> tuple:
    """The walkthrough's title and its steps (a list of ``DemoStep``); arguments as :func:`demo`.

    Parameters
    ----------
    model : str or Model
        A registered model's name (then at its defaults, with ``params`` applied) or a model
        instance at its own parameters.
    lang : {"en", "zh"}
    params : mapping, optional
        Parameter values for the walkthrough, as ``solve`` takes them
        (``demo("pleading-poverty", params={"value_intercept": 3})``).
    raw_names : bool
        Name outputs and regimes by their raw names rather than their labels.

    Raises
    ------
    UnknownNameError
        For a model that is not registered, or has no walkthrough (naming the closest one
        that has), or an unknown parameter.
    ParameterError
        For a parameter value outside its domain.
    ValueError
        For an unknown language.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    cls, instance = _model(model)
    if params:
        instance = instance.with_(**dict(params))
    story = cls.story
    title = story.text(story.demo_title, lang) or story.text(story.title, lang) or cls.title
    with story_raw_names(raw_names):  # the story's words name things through label()
        return title, story.demo(instance, lang)


def demo(model, lang: str = "en", params=None, raw_names: bool = False) -> str:
    """The narrated walkthrough of ``model`` in ``lang`` ("en" or "zh"), as text.

    Takes the arguments of :func:`walkthrough` and raises what it raises; the steps are
    numbered and laid out by :func:`render_steps`.
    """
    title, steps = walkthrough(model, lang, params, raw_names)
    return render_steps(title, steps, lang)


def _model(model) -> tuple:
    """The class and an instance of ``model`` (a name or an instance) that has a walkthrough."""
    available = demo_models()
    if not isinstance(model, str):
        cls = type(model)
        if cls.name not in available:
            raise UnknownNameError(cls.name, available, "walkthrough")
        return cls, model
    if model not in model_names():
        raise UnknownNameError(model, available, "model")
    if model not in available:
        raise UnknownNameError(model, available, "walkthrough")
    cls = get_model(model)
    return cls, cls()
