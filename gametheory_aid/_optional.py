"""Lazy import of optional dependencies with a helpful message."""
from __future__ import annotations

import importlib

__all__ = ["require", "MissingDependency"]


class MissingDependency(ImportError):
    """An optional dependency needed for a feature is not installed."""


def require(module: str, extra: str):
    """Import ``module`` or raise :class:`MissingDependency` naming the extra that provides it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingDependency(
            f"this feature needs the optional dependency {module!r}; "
            f"install it with: pip install 'gametheory-aid[{extra}]'") from exc
