"""A model's story: what the report, the demo, ``describe`` and the glossary say about it.

A model carries its story as the class attribute ``story`` (a :class:`Story`), written in its
own module or in one narrative file beside it.  The report, the demo and the command line
iterate the registry and read the stories; they hold no model-specific text of their own.

Sentences and demo steps are functions of the solution they describe, so the words always
follow the numbers.
"""
from __future__ import annotations

import contextlib
import contextvars
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from ..core.results import LANGUAGES

__all__ = ["Story", "Figure", "DemoStep", "LANGUAGES", "format_number", "first_last", "label", "raw_names", "same",
           "direction", "change", "threshold_case", "effect"]


def format_number(x) -> str:
    """A number for prose: three significant figures, ∞ and n/a spelt out."""
    x = float(x)
    if math.isnan(x):
        return "n/a"
    if math.isinf(x):
        return "∞"
    return f"{x:.3g}"


def first_last(table, name: str) -> tuple:
    """Output ``name`` at the first and the last level of a comparison table (plain values)."""
    return table.results[0].to_dict()[name], table.results[-1].to_dict()[name]


@dataclass(frozen=True)
class Figure:
    """What a model's figure plots: ``outputs`` against ``parameter`` on ``points`` values.

    ``low``/``high`` default to the parameter's domain (``[0, 1]`` for transparency).
    """

    outputs: tuple
    parameter: str = "transparency"
    points: int = 201
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class DemoStep:
    """One step of a classroom walkthrough: a heading and its lines (already in one language)."""

    heading: str
    lines: tuple


@dataclass(frozen=True)
class Story:
    """The narrative side of a model.

    Attributes
    ----------
    title : mapping
        ``{"en": ..., "zh": ...}``: the report section's title.
    order : float
        Position in the report and in listings (the paper's order of the strategies).
    thresholds : tuple of str
        Outputs that are one number per section (not per level), shown apart from the table.
    table_outputs : tuple of str or None
        Outputs the report's table shows (``None``: every non-nested output but the thresholds).
    figure : Figure or None
        What the report's figure plots.
    sentences : callable or None
        ``sentences(table, facts, lang) -> list of str``: the section's sentences, chosen from the
        :class:`~gametheory_aid.core.results.Comparison` ``table`` and ``facts`` (the thresholds and
        the results of ``analyses``).
    analyses : callable or None
        ``analyses(model) -> dict``: further results of the model the section reports (e.g. an
        optimal transparency), computed when the report is built.
    demo_title : mapping
        ``{"en": ..., "zh": ...}``: the walkthrough's title.
    demo : callable or None
        ``demo(model, lang) -> list of DemoStep``: the classroom walkthrough at the model's
        parameters.
    glossary : mapping
        The model's terms: key -> ``(English, Chinese as the paper writes it)``.
    in_report : bool
        Whether the report has a section for the model.
    labels : mapping
        Short human labels: output, regime (category) or parameter name -> ``(English,
        Chinese)``, the paper's term where it has one.  Tables, figures, the demo and
        ``describe`` show them under a language; the raw names stay the keys of every
        result and file.
    """

    title: Mapping[str, str]
    order: float = 100.0
    thresholds: tuple = ()
    table_outputs: tuple | None = None
    figure: Figure | None = None
    sentences: Callable[..., list] | None = None
    analyses: Callable[..., dict] | None = None
    demo_title: Mapping[str, str] = field(default_factory=dict)
    demo: Callable[..., list] | None = None
    glossary: Mapping[str, tuple] = field(default_factory=dict)
    in_report: bool = True
    labels: Mapping[str, tuple] = field(default_factory=dict)

    def label(self, name: str, lang: str = "en") -> str:
        """The label of ``name`` in ``lang`` (``name`` itself where the story has none)."""
        pair = self.labels.get(name)
        if not pair:
            return name
        return pair[1] if lang == "zh" and len(pair) > 1 and pair[1] else pair[0]

    def text(self, mapping: Mapping[str, str], lang: str) -> str:
        """``mapping[lang]``, falling back to English."""
        return mapping.get(lang) or mapping.get("en", "")


_ELEMENT = re.compile(r"(?P<base>[^\[\]]+)\[(?P<index>\d+)\]")

# whether label() gives raw names everywhere (inside ``with raw_names():``)
_RAW_NAMES = contextvars.ContextVar("raw_names", default=False)


@contextlib.contextmanager
def raw_names(on: bool = True) -> Iterator[None]:
    """Within the block, :func:`label` gives every name raw (what ``--raw-names`` asks of text
    written by a story, e.g. a walkthrough).

    Examples
    --------
    >>> from gametheory_aid.models import get_model
    >>> with raw_names():
    ...     label(get_model("task-pushdown"), "lapsed", "zh")
    'lapsed'
    """
    token = _RAW_NAMES.set(bool(on))
    try:
        yield
    finally:
        _RAW_NAMES.reset(token)


def label(model, name: str, lang: str = "en", raw: bool = False) -> str:
    """The human label of output, regime or parameter ``name`` of ``model`` in ``lang``.

    ``model`` is a model class or instance; ``raw=True`` gives ``name`` unchanged (what
    ``--raw-names`` shows).  One element of a vector, ``"name[i]"``, is labelled as its vector
    with the element's 1-based number (``"name[0]"`` -> ``"<label> 1"``).  A composite's
    parameter of a part, ``"part.param"``, is labelled by the part's label and the part model's
    own label of ``param`` (``"joint blame: aider's penalty if caught"``).  A name the story
    does not label is returned as it is; so is every name inside ``with raw_names():``.
    """
    name = str(name)  # a regime read off a result may be a numpy string
    story = getattr(model, "story", None)
    if raw or story is None or _RAW_NAMES.get():
        return name
    element = _ELEMENT.fullmatch(name)
    if element and element["base"] in story.labels:
        return f"{story.label(element['base'], lang)} {int(element['index']) + 1}"
    part, dot, inner = name.partition(".")
    if dot and name not in story.labels:
        from . import get_model  # the registry imports the stories: look it up when called
        try:
            part_model = get_model(part)
        except KeyError:  # not a registered model: the name as it is
            return name
        separator = "：" if lang == "zh" else ": "
        return f"{story.label(part, lang)}{separator}{label(part_model, inner, lang)}"
    return story.label(name, lang)


# -- words chosen from numbers ----------------------------------------------------------------
#: Direction words by language: (rises, falls, stays).
_DIRECTION = {"en": ("rises", "falls", "stays"), "zh": ("上升", "下降", "不变")}


def same(a, b) -> bool:
    """Whether two numbers read the same in prose (equal at :func:`format_number`'s precision)."""
    return format_number(a) == format_number(b)


def direction(before, after, lang: str = "en") -> str:
    """The word for the move from ``before`` to ``after``: rises / falls / stays (上升/下降/不变).

    Two values that read the same in prose "stay", so the word never contradicts the numbers
    printed beside it.

    Examples
    --------
    >>> direction(1, 2), direction(2, 1), direction(0.7, 0.7001), direction(1, 2, "zh")
    ('rises', 'falls', 'stays', '上升')
    """
    rises, falls, stays = _DIRECTION.get(lang, _DIRECTION["en"])
    if same(before, after):
        return stays
    return rises if float(after) > float(before) else falls


def change(before, after, lang: str = "en") -> str:
    """The move from ``before`` to ``after`` in words with its numbers: "rises (0 → 8)", "stays at 8".

    The direction word is :func:`direction`'s, so it always agrees with the two numbers printed.

    Examples
    --------
    >>> change(0, 8), change(8, 0, "zh"), change(0.5, 0.5), change(2, 2, "zh")
    ('rises (0 → 8)', '下降（8 → 0）', 'stays at 0.5', '保持 2 不变')
    """
    word = direction(before, after, lang)
    if same(before, after):
        return f"保持 {format_number(after)} 不变" if lang == "zh" else f"stays at {format_number(after)}"
    if lang == "zh":
        return f"{word}（{format_number(before)} → {format_number(after)}）"
    return f"{word} ({format_number(before)} → {format_number(after)})"


def threshold_case(value) -> str:
    """Where a transparency threshold lies: ``"zero"`` (≤ 0), ``"inside"`` ((0, 1]) or ``"never"``.

    ``"never"`` covers values above 1, infinity and n/a: no transparency level reaches it.

    Examples
    --------
    >>> [threshold_case(v) for v in (0, 0.4, 1, 1.5, float("inf"), float("nan"))]
    ['zero', 'inside', 'inside', 'never', 'never', 'never']
    """
    value = float(value)
    if value <= 0:
        return "zero"
    return "inside" if value <= 1 else "never"


def effect(before, after, t0, t1) -> str:
    """How more transparency moves an output: ``"rises"``, ``"falls"`` or ``"stays"``.

    ``before`` is the output at level ``t0``, ``after`` at ``t1``, in the order given: a move
    from a higher level to a lower one is read backwards, so "transparency lowers it" is said
    only when the output is lower at the higher level.  Equal levels "stay".

    Examples
    --------
    >>> effect(1, 2, 0, 1), effect(1, 2, 1, 0), effect(1, 2, 0.5, 0.5)
    ('rises', 'falls', 'stays')
    """
    if same(t0, t1):
        return "stays"
    return direction(before, after) if float(t1) > float(t0) else direction(after, before)
