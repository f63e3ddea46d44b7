"""The contracting-stage models and their registry (by the specification's names)."""
from __future__ import annotations

import importlib

from .base import Model, Output

__all__ = ["Model", "Output", "MODELS", "register", "get_model", "model_names"]

MODELS: dict = {}

# Modules that define registered models, imported on first use of the registry.
_MODEL_MODULES = (
    "pleading_poverty",
    "poverty_bargaining",
    "task_pushdown",
    "joint_blame",
    "contracting_stage",
)
_loaded = False


def register(cls):
    """Class decorator: add a :class:`Model` subclass to the registry under ``cls.name``."""
    if not cls.name:
        raise ValueError("a registered model needs a name")
    MODELS[cls.name] = cls
    return cls


def _load() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    for mod in _MODEL_MODULES:
        try:
            importlib.import_module(f"{__name__}.{mod}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{mod}":
                raise


def model_names() -> list:
    """The registered models' names."""
    _load()
    return list(MODELS)


def get_model(name: str):
    """The model class registered under ``name``.

    Raises
    ------
    KeyError
        With the list of known names when ``name`` is not registered.
    """
    _load()
    try:
        return MODELS[name]
    except KeyError:
        raise KeyError(f"unknown model {name!r}; known models: {', '.join(MODELS) or 'none'}") from None
