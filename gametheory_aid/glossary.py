"""The paper's terms, English <-> Chinese (used by the report, the demos and the docs).

The general terms of paired aid and its contracting link are here (:data:`GENERAL`); each
model's own terms are in its story (``story.glossary``).  :func:`glossary` merges them from the
registry, so a newly registered model's terms are found by :func:`term` with no edit here;
:data:`GLOSSARY` is a live, read-only view of that merge.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping

from .core.params import UnknownNameError

__all__ = ["GENERAL", "GLOSSARY", "glossary", "sources", "term"]

#: The general terms: key -> (English, Chinese as the paper writes it).
GENERAL = {
    "paired_aid": ("paired aid", "对口支援"),
    "contracting": ("contracting out", "发包"),
    "administrative_subcontracting": ("administrative subcontracting", "行政发包制"),
    "project_system": ("project system", "项目制"),
    "centre": ("the centre", "中央政府"),
    "aider": ("the aiding government", "支援方政府"),
    "recipient": ("the receiving government", "受援方政府"),
    "digital_empowerment": ("digital empowerment", "数字技术赋能"),
    "responsibility": ("responsibility", "责任性"),
    "transparency": ("digital transparency", "数字透明"),
}


def sources() -> dict:
    """Term key -> the model whose story defines it (``""`` for a general term), in glossary order.

    General terms come first, then each story's terms in the stories' order.

    Raises
    ------
    ValueError
        If two definitions of one key disagree (a story redefining another's term).
    """
    from .models import get_model, model_names

    owner = dict.fromkeys(GENERAL, "")
    entries = dict(GENERAL)
    stories = [(n, get_model(n).story) for n in model_names() if get_model(n).story is not None]
    for name, story in sorted(stories, key=lambda item: item[1].order):
        for key, value in story.glossary.items():
            value = tuple(value)
            if key in entries and entries[key] != value:
                where = f"model {owner[key]!r}" if owner[key] else "the general terms"
                raise ValueError(f"glossary term {key!r} of model {name!r} is {value!r}, but {where} "
                                 f"defines it as {entries[key]!r}")
            if key not in entries:
                entries[key], owner[key] = value, name
    return owner


def glossary() -> dict:
    """Every term: key -> (English, Chinese), the general ones and the registered stories'."""
    from .models import get_model

    out = {}
    for key, name in sources().items():
        out[key] = GENERAL[key] if not name else tuple(get_model(name).story.glossary[key])
    return out


class _Glossary(Mapping):
    """A read-only view of :func:`glossary`, current with the registry."""

    def __getitem__(self, key: str) -> tuple:
        terms = glossary()
        try:
            return terms[key]
        except KeyError:
            raise UnknownNameError(key, tuple(terms), "term") from None

    def __iter__(self) -> Iterator[str]:
        return iter(glossary())

    def __len__(self) -> int:
        return len(glossary())

    def __repr__(self) -> str:
        return f"GLOSSARY({glossary()!r})"


#: key -> (English, Chinese as the paper writes it): every term (see :func:`glossary`).
GLOSSARY = _Glossary()


def term(key: str, lang: str = "en") -> str:
    """The term ``key`` in ``lang`` ("en" or "zh").

    Raises
    ------
    UnknownNameError
        (a ``KeyError``) for an unknown key, naming the closest one.
    """
    en, zh = GLOSSARY[key]
    return zh if lang == "zh" else en
