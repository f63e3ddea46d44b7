r"""The generalised Nash solution on a frontier given as a concave function.

The frontier is :math:`u_2 = f(u_1)` on :math:`[\underline u_1, \overline u_1]`, concave
and strictly decreasing (checked on a grid, ``_validate_callable``); the problem is scalar.
The individually rational interval of :math:`u_1` is found by root finding, and the
weighted log Nash product is maximised on it by Brent's bounded method, then refined by a
golden-section search and by root finding on the first-order condition
(``_maximise_log_product``).  ``scipy.optimize`` is imported only when a problem is solved.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .bargaining_solution import _TOUCH_ULPS, BargainingSolution, _real_array
from .params import ParameterError

_GRID_CHECK = 257  # points at which a callable frontier is checked for monotonicity and concavity


def _validate_callable(frontier: Callable, bounds: Any):
    domain = "(u1_min, u1_max), finite, u1_min <= u1_max"
    if bounds is None:
        raise ParameterError("bounds", None, domain, "required when the frontier is a function")
    b = _real_array("bounds", bounds, domain)
    if b.shape != (2,) or b[0] > b[1]:
        raise ParameterError("bounds", b.tolist(), domain)
    u1_min, u1_max = float(b[0]), float(b[1])

    def f(u1: float) -> float:
        value = frontier(u1)
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise ParameterError("frontier", f"f({u1!r}) = {value!r}", "a real-valued function of u1") from None
        if not np.isfinite(value):
            raise ParameterError("frontier", f"f({u1!r}) = {value!r}", "a finite function on bounds")
        return value

    grid = np.linspace(u1_min, u1_max, _GRID_CHECK)
    values = np.array([f(x) for x in grid])
    scale = np.max(np.abs(values)) + np.max(np.abs(grid)) + 1.0
    tol = 1e-9 * scale
    rises = np.diff(values) > tol
    if np.any(rises):
        i = int(np.argmax(rises))
        raise ParameterError("frontier",
                             f"f({grid[i]!r}) = {values[i]!r} < f({grid[i + 1]!r}) = {values[i + 1]!r}",
                             "a concave, strictly decreasing function on bounds", "not decreasing")
    bends_up = values[:-2] - 2.0 * values[1:-1] + values[2:] > tol
    if np.any(bends_up):
        i = int(np.argmax(bends_up)) + 1
        raise ParameterError("frontier", f"f near u1 = {grid[i]!r}",
                             "a concave, strictly decreasing function on bounds", "not concave")
    return f, u1_min, u1_max


def _nash_concave_function(frontier, bounds, d, power):
    f, u1_min, u1_max = _validate_callable(frontier, bounds)
    if d.shape != (2,) or power.shape != ():
        raise ParameterError("disagreement" if d.shape != (2,) else "power",
                             f"array of shape {d.shape if d.shape != (2,) else power.shape}",
                             "a single (d1, d2) pair and a scalar power", "a function frontier is scalar only")
    d1, d2, beta = float(d[0]), float(d[1]), float(power)

    def solution(u1, u2, agreement):
        return BargainingSolution(utilities=(np.array(u1), np.array(u2)), agreement=np.array(agreement),
                                  disagreement=(np.array(d1), np.array(d2)), power=np.array(beta),
                                  method="concave_function")

    # Individually rational interval [x_lo, x_hi] of u1: u1 >= d1 and f(u1) >= d2 (f decreasing);
    # as for the piecewise-linear form, missing it by a few ulps counts as touching.
    eps = np.finfo(float).eps
    tol1 = _TOUCH_ULPS * eps * (max(abs(u1_min), abs(u1_max)) + abs(d1))
    tol2 = _TOUCH_ULPS * eps * (max(abs(f(u1_min)), abs(f(u1_max))) + abs(d2))
    if d1 > u1_max + tol1:
        return solution(d1, d2, False)
    # as for a chain: some point weakly dominates d lowered by the allowance in both coordinates
    if f(min(max(u1_min, d1 - tol1), u1_max)) < d2 - tol2:
        return solution(d1, d2, False)
    x_lo = min(max(u1_min, d1), u1_max)
    top = f(x_lo)
    if f(u1_max) >= d2:
        x_hi = u1_max
    elif top <= d2:
        x_hi = x_lo
    else:
        from scipy import optimize  # imported when needed: scipy.optimize is slow to import

        x_hi = optimize.brentq(lambda x: f(x) - d2, x_lo, u1_max, xtol=1e-15 * (1.0 + abs(u1_max)), rtol=1e-15)

    if beta == 1.0 or x_hi <= x_lo:
        u1 = x_hi
    elif beta == 0.0:
        # Player 2's best point; if f is flat there in floating point, the Pareto-best of the ties.
        u1 = _last_at_least(f, top, x_lo, x_hi)
    else:
        u1 = _maximise_log_product(f, d1, d2, beta, x_lo, x_hi)
    # max: a root of f - d2 (or a touching point) may sit an ulp below d
    return solution(max(u1, d1), max(f(u1), d2), True)


def _maximise_log_product(f, d1, d2, beta, x_lo, x_hi):
    """Maximiser of beta*log(u1 - d1) + (1 - beta)*log(f(u1) - d2) on [x_lo, x_hi], 0 < beta < 1.

    The objective is concave.  Brent's bounded method (scipy) brackets the maximum, but stops
    at a relative precision of about the square root of the machine precision.  Around its
    point a bracket is widened until the first-order condition (below) changes sign across it,
    and two refinements follow: a golden-section search in the bracket, driven by comparisons of
    the objective, pins down a maximum at a kink of ``f`` to rounding; where ``f`` is smooth the
    objective is too flat for comparisons, and the first-order condition
    ``beta*(f - d2) + (1 - beta)*(u1 - d1)*f' = 0`` (``f'`` by central differences) is solved by
    root finding instead.  That root is kept only if it is as good to rounding, which
    discards it at a kink.
    """
    from scipy import optimize  # imported when needed: scipy.optimize is slow to import

    def neg_log_product(u1: float) -> float:
        gain1, gain2 = u1 - d1, f(u1) - d2
        if gain1 <= 0.0 or gain2 <= 0.0:
            return np.inf
        return -(beta * np.log(gain1) + (1.0 - beta) * np.log(gain2))

    width = x_hi - x_lo
    scale = 1.0 + abs(x_lo) + abs(x_hi)
    # A huge finite value, not inf, where a gain vanishes keeps Brent's parabolic steps finite.
    result = optimize.minimize_scalar(lambda x: min(neg_log_product(x), 1e300), bounds=(x_lo, x_hi),
                                      method="bounded", options={"xatol": 1e-13 * scale})
    # The bounded method never evaluates the ends themselves; the maximum may sit at one
    # (a bound of the frontier that is not an individual-rationality bound).
    best = min([float(result.x), x_lo, x_hi], key=neg_log_product)

    step = max(1e-5 * width, 4.0 * np.finfo(float).eps * scale)  # never below rounding of u1

    def first_order(x: float) -> float:
        lo, hi = max(x - step, x_lo), min(x + step, x_hi)
        slope = (f(hi) - f(lo)) / (hi - lo)
        return beta * (f(x) - d2) + (1.0 - beta) * (x - d1) * slope

    # A bracket around Brent's point, widened until the first-order condition changes sign
    # across it (Brent's error grows with the flatness of the objective).
    reach = max(1e-7 * width, 1e-9 * scale)
    while True:
        left, right = max(x_lo, best - reach), min(x_hi, best + reach)
        sign_change = first_order(left) > 0.0 > first_order(right)
        if sign_change or (left == x_lo and right == x_hi):
            break
        reach *= 8.0
    # The first-order condition uses finite differences, which straddle a kink of f closer than
    # `step` and may show a sign change beside it: confirm the bracket by comparisons.  While the
    # golden-section point sits at an end of the bracket that is not an end of [x_lo, x_hi],
    # the maximum lies beyond that end, and the bracket is widened there.
    xtol = 1e-15 * scale
    for _ in range(200):
        golden = _golden_section(neg_log_product, left, right, xtol)
        beyond_left = golden - left <= 4.0 * xtol and left > x_lo
        beyond_right = right - golden <= 4.0 * xtol and right < x_hi
        if not (beyond_left or beyond_right):
            break
        span = max(right - left, xtol)
        if beyond_left:
            left = max(x_lo, left - 2.0 * span)
        if beyond_right:
            right = min(x_hi, right + 2.0 * span)
        sign_change = first_order(left) > 0.0 > first_order(right)
    best = min([golden, best], key=neg_log_product)
    if sign_change:
        refined = optimize.brentq(first_order, left, right, xtol=1e-15 * scale, rtol=1e-15)
        value = neg_log_product(best)
        if neg_log_product(refined) <= value + 1e-13 * (1.0 + abs(value)):
            best = refined
    return best


def _last_at_least(f, level, left, right):
    """The largest u1 in [left, right] with f(u1) >= level (f non-increasing, f(left) >= level)."""
    if f(right) >= level:
        return right
    for _ in range(1100):  # bisection: enough halvings to reach adjacent floats
        middle = 0.5 * (left + right)
        if middle in (left, right):
            break
        if f(middle) >= level:
            left = middle
        else:
            right = middle
    return left


def _golden_section(objective, left, right, xtol):
    """Minimiser of a unimodal ``objective`` on [left, right] by golden-section search."""
    ratio = (np.sqrt(5.0) - 1.0) / 2.0
    inner_left, inner_right = right - ratio * (right - left), left + ratio * (right - left)
    f_left, f_right = objective(inner_left), objective(inner_right)
    for _ in range(200):  # about 70 steps shrink any bracket used here below xtol
        if right - left <= xtol:
            break
        if f_left <= f_right:
            right, inner_right, f_right = inner_right, inner_left, f_left
            inner_left = right - ratio * (right - left)
            f_left = objective(inner_left)
        else:
            left, inner_left, f_left = inner_left, inner_right, f_right
            inner_right = left + ratio * (right - left)
            f_right = objective(inner_right)
    return inner_left if f_left <= f_right else inner_right
