"""The controls of a model's parameters: what a slider or a text field offers for each.

One description serves the page (:mod:`gametheory_aid.serve`) and the notebook explorer
(:func:`gametheory_aid.analysis.explore`): a scalar parameter is a slider over its domain (an
unbounded side reaching a few times the default's distance, an open end approached by one
step), an integer one a slider of whole numbers, and a vector or optional parameter a text
field.
"""
from __future__ import annotations

import math

from ..core.params import unicode_symbol
from ..models.story import label

__all__ = ["control", "nice_step", "symbol"]


def nice_step(span: float) -> float:
    """A round step giving about a hundred positions over ``span`` (1, 2 or 5 times a power of ten)."""
    raw = span / 100
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


#: A parameter's symbol with its Greek letter written as one (``"theta_s"`` -> ``"θ_s"``).
symbol = unicode_symbol


def _step_through(offset: float, step: float) -> float:
    """``step``, or the largest smaller round step (halving through 5, 2, 1) that puts a point
    ``offset`` above the slider's start, so that the default is on the slider; ``step`` if none
    within a thousand-fold does."""
    candidate = step
    for _ in range(10):
        if abs(offset / candidate - round(offset / candidate)) < 1e-9:
            return candidate
        mantissa = round(candidate / 10 ** math.floor(math.log10(candidate)), 6)
        candidate = float(f"{candidate * {1.0: 0.5, 5.0: 0.4, 2.0: 0.5}.get(mantissa, 0.5):.12g}")
    return step


def control(cls, spec, lang: str) -> dict:
    """The control of one parameter: a slider for a scalar, a text field for a vector or an optional one."""
    domain = spec.domain
    out = {"name": spec.name, "label": label(cls, spec.name, lang), "symbol": symbol(spec.symbol),
           "meaning": spec.chinese if lang == "zh" and spec.chinese else spec.meaning,
           "domain": spec.allowed, "optional": spec.optional, "vector": spec.vector}
    default = spec.default
    if spec.vector or default is None:
        out.update(kind="text", default=None if default is None else [float(v) for v in default])
        return out
    if spec.integer:
        low, high = domain.integer_bounds()
        low = 0 if low is None else low
        top = low + max(3 * (int(default) - low), 10)
        out.update(kind="integer", min=low, max=top if high is None else min(high, top), step=1, default=int(default))
        return out
    default = float(default)
    low, high = domain.low, domain.high
    # an unbounded side reaches a few times the default's distance from the other side
    if low is None and high is None:
        low, high = default - max(2 * abs(default), 10), default + max(2 * abs(default), 10)
    elif low is None:
        low = high - max(2 * (high - default), 2)
    elif high is None:
        high = low + max(3 * (default - low), 10)
    step = _step_through(default - low, nice_step(high - low))
    if domain.low is not None and domain.low_open:  # an open end is approached, never reached
        low += step
    if domain.high is not None and domain.high_open:
        high -= step
    out.update(kind="float", min=low, max=high, step=step, default=default)
    return out
