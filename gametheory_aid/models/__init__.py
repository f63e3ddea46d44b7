"""The models and their registry (by the specification's names).

Registering a model is one decorator, :func:`register`, in the model's own module: every
public module of this package is imported on first use of the registry, so there is no second
list to edit.  Models defined elsewhere (a user's, a test's) register the same way.
"""
from __future__ import annotations

import importlib
import pkgutil

from ..core.params import UnknownNameError
from ..core.results import set_presenter
from .base import Model, Output, regime_codes
from .display import present

__all__ = ["Model", "Output", "MODELS", "register", "unregister", "get_model", "model_names", "regime_codes"]

MODELS: dict = {}

set_presenter(present)  # results render in Jupyter with the models' labels

_loaded = False


def register(cls):
    """Class decorator: add a :class:`Model` subclass to the registry under ``cls.name``."""
    if not cls.name:
        raise ValueError("a registered model needs a name")
    MODELS[cls.name] = cls
    return cls


def unregister(name: str) -> None:
    """Remove the model registered under ``name`` (for models defined at run time)."""
    MODELS.pop(name, None)


def _load() -> None:
    """Import every public module of this package (each registers its models)."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    for info in pkgutil.iter_modules(__path__):
        if (not info.name.startswith("_") and info.name not in ("base", "story", "display")
                and not info.name.endswith("_story")):
            importlib.import_module(f"{__name__}.{info.name}")


def model_names() -> list:
    """The registered models' names, in the paper's order (their stories' ``order``).

    Models without a story follow, in the order they were registered.
    """
    _load()
    # sorted() is stable: equal orders and story-less models keep their registration order
    return sorted(MODELS, key=lambda name: (MODELS[name].story is None,
                                            getattr(MODELS[name].story, "order", 0)))


def get_model(name: str):
    """The model class registered under ``name``.

    Raises
    ------
    UnknownNameError
        (a ``KeyError`` and a ``ValueError``) naming the closest known model.
    """
    _load()
    try:
        return MODELS[name]
    except (KeyError, TypeError):
        raise UnknownNameError(name, tuple(MODELS), "model") from None
