"""How the models' results show themselves: labels and cells in the reader's language.

:func:`present` is the presenter the rich (HTML) tables of
:class:`~gametheory_aid.core.results.ModelResult` and
:class:`~gametheory_aid.core.results.Comparison` use: outputs, regimes and parameters by their
stories' labels, booleans as yes/no words.  :func:`display_value` is the one labelled cell that
the text tables, the report and the page share.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core.results import Presentation

__all__ = ["WORDS", "display_value", "present"]

#: The words of the labelled tables, by language.
WORDS = {
    "en": {"output": "output", "value": "value", "equilibrium": "{model} equilibrium",
           "by": "{model}: equilibrium by {parameter}", "yes": "yes", "no": "no", "regime": "regime",
           "otherwise": "otherwise", "where": "where",
           "precedence": "(the first regime whose condition holds applies)"},
    "zh": {"output": "输出", "value": "值", "equilibrium": "{model} 的均衡",
           "by": "{model}：不同{parameter}下的均衡", "yes": "是", "no": "否", "regime": "均衡类型",
           "otherwise": "其他情形", "where": "其中", "precedence": "（按先后顺序，条件首先成立的均衡类型适用）"},
}


def display_value(model, value: Any, lang: str = "en", raw: bool = False) -> Any:
    """A labelled table's cell: booleans (one, or a sequence such as a plan by round) as yes/no
    words, a regime by ``model``'s label of it (its raw name if ``raw``), anything else as it is.

    >>> from gametheory_aid.models import get_model
    >>> display_value(get_model("task-pushdown"), [True, False], "zh")
    '是 否'
    """
    from .story import label

    if isinstance(value, (np.ndarray, np.generic)) and np.ndim(value) == 0:  # a 0-d result: its scalar
        value = value.item()
    if isinstance(value, np.ndarray) and value.ndim == 1 and value.dtype == bool:
        value = value.tolist()
    if isinstance(value, (bool, np.bool_)):
        value = [value]
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, (bool, np.bool_)) for v in value):
        return " ".join(WORDS[lang]["yes" if v else "no"] for v in value)
    if isinstance(value, str) and model is not None:
        return label(model, value, lang, raw=raw)
    if isinstance(value, np.ndarray) and value.dtype == bool:  # a broadcast result: a word per point
        return np.where(value, WORDS[lang]["yes"], WORDS[lang]["no"])
    if isinstance(value, np.ndarray) and value.dtype.kind in "US" and model is not None:  # regimes per point
        return np.vectorize(lambda v: label(model, str(v), lang, raw=raw), otypes=[str])(value) if value.size \
            else value
    return value


def present(model_name: str, lang: str, raw_names: bool = False) -> Presentation:
    """The words of ``model_name``'s rich tables in ``lang``: its labels, or its raw names if
    ``raw_names`` or the model is not registered."""
    from . import get_model
    from .story import label

    W = WORDS[lang]
    try:
        model = get_model(model_name)
    except KeyError:
        model = None
    # a caption names the model by its Chinese title in Chinese, else by the name get_model takes
    title = model.chinese_title if model is not None and lang == "zh" and model.chinese_title and not raw_names \
        else model_name
    return Presentation(label=(lambda name: label(model, name, lang, raw=raw_names)) if model is not None else str,
                        cell=lambda value: display_value(model, value, lang, raw=raw_names),
                        output=W["output"], value=W["value"], equilibrium=W["equilibrium"].replace("{model}", title),
                        by=W["by"].replace("{model}", title), regime=W["regime"], otherwise=W["otherwise"],
                        where=W["where"], precedence=W["precedence"])
