r"""Nash equilibria from outside solvers, and games of more than two players.

The bridges behind ``NormalFormGame.equilibria`` for ``method="nashpy-support"``,
``"nashpy-vertex"`` and ``"gambit"``, and for ``method="auto"`` with more than two players
(the methods are described in :mod:`gametheory_aid.core.normal_form`):

* nashpy's support and vertex enumeration (floating point);
* pygambit's ``enummixed_solve`` (two players, exact or float) and ``enumpoly_solve``, the
  latter run in a child process with a time limit because it can stall on degenerate games;
* for more than two players, pure equilibria plus Gambit's equilibria and the limit of the
  principal logit branch (``logit_solve``), polished by Newton's method on its support.

The outside solvers are given the payoffs mapped exactly onto [0, 1] (nashpy: [1, 2]), with
default labels, so that their tolerances are relative to each player's payoff range and any
labels may be used.  Every profile an outside solver returns is certified by its regret
relative to each player's payoff range; profiles that fail are left out with an
:class:`~gametheory_aid.core.nash_enumeration.IncompleteEnumerationWarning`.
nashpy, pygambit (optional) and scipy's root finder are imported only when a function
needs them.  The functions take a :class:`~gametheory_aid.core.normal_form.NormalFormGame`
whose arguments :meth:`~gametheory_aid.core.normal_form.NormalFormGame.equilibria` has
validated.
"""
from __future__ import annotations

import warnings
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from .._optional import require
from . import gambit_io
from .gambit_io import GameInputError
from .nash_enumeration import IncompleteEnumerationWarning, _scaled
from .payoff_tensors import _deviation_payoffs, _regret_and_payoffs
from .results import Equilibrium, EquilibriumSet


def _from_pairs(game, pairs, method: str, tol: float, complete: bool, degenerate: bool) -> EquilibriumSet:
    """Float profiles from an outside solver as certified, deduplicated equilibria."""
    eqs, dropped, seen = [], 0, set()
    for profile in pairs:
        profile = tuple(np.asarray(s, dtype=float) for s in profile)
        key = tuple(np.round(np.concatenate(profile) / max(tol, 1e-12)).astype(np.int64))
        if key in seen:
            continue
        seen.add(key)
        if not all(np.isfinite(s).all() for s in profile):
            dropped += 1  # a solver's numerical failure (nashpy returns NaN on some degenerate games)
            continue
        eq, certified = game._candidate(profile, method, False, tol)
        if not certified:
            dropped += 1
            continue
        eqs.append(eq)
    if dropped:
        warnings.warn(f"{dropped} equilibria returned by {method} have regret above {tol} of a payoff range and "
                      "were left out",
                      IncompleteEnumerationWarning, stacklevel=3)
    eqs.sort(key=lambda e: tuple(v for s in e.strategies for v in s))
    return EquilibriumSet(eqs, method=method, exact=False, degenerate=degenerate,
                          complete=complete and not dropped)


def _nashpy(game, which: str, tol: float) -> EquilibriumSet:
    """nashpy's ``"support"`` or ``"vertex"`` enumeration (two players, floating point)."""
    import nashpy

    nashpy_game = nashpy.Game(*_scaled(game, False))  # equilibria are those of the game itself
    degenerate = game.is_degenerate(tol)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if which == "support":
                pairs = list(nashpy_game.support_enumeration(non_degenerate=False, tol=tol))
            else:
                pairs = list(nashpy_game.vertex_enumeration())
        except Exception as exc:  # nashpy's vertex enumeration fails on some degenerate games
            raise GameInputError(f"nashpy's {which} enumeration failed on this game "
                                 f"({type(exc).__name__}: {exc}); use method='vertex'", name="method",
                                 value=f"nashpy-{which}", domain="a method that handles this game") from exc
    # nashpy's support enumeration can miss equilibria (equal-size supports, sign test
    # without tolerance); its vertex enumeration only covers non-degenerate games.
    complete = which == "vertex" and not degenerate
    return _from_pairs(game, pairs, f"nashpy {which} enumeration", tol, complete, degenerate)


def _gambit(game, exact: bool, tol: float, timeout: float) -> EquilibriumSet:
    """Gambit's ``enummixed_solve`` (two players) or ``enumpoly_solve`` (with a time limit)."""
    gbt = require("pygambit", "gambit")
    if game.n_players == 2:
        gambit_game = _unit_gambit(game)
        result = gbt.nash.enummixed_solve(gambit_game, rational=exact)
        method = "gambit enummixed"
        profiles = [[[e[s] for s in p.strategies] for p in gambit_game.players] for e in result.equilibria]
    else:
        if exact:
            raise GameInputError("method='gambit' with exact=True needs a two-player game (Gambit's "
                                 "polynomial enumeration for more players is floating point)", name="exact",
                                 value=exact, domain="False for games of more than two players")
        method = "gambit enumpoly"
        units = game._normalised()[0]
        names = [str(p + 1) for p in range(game.n_players)]
        profiles = _enumpoly_with_timeout(gambit_io.nfg_text("", names, [[str(k + 1) for k in range(s)]
                                                                          for s in game.shape], units), timeout)
        if profiles is None:
            warnings.warn(f"Gambit's enumpoly_solve did not finish within {timeout} s (it can stall on "
                          "degenerate games); its equilibria are missing", IncompleteEnumerationWarning,
                          stacklevel=3)
            return EquilibriumSet([], method=method, exact=False, complete=False)
    if exact:
        eqs = []
        for prof in profiles:
            profile = tuple(np.array([Fraction(v.numerator, v.denominator) for v in s], dtype=object)
                            for s in prof)
            eqs.append(game._equilibrium(profile, method, True, tol))
        bad = [e for e in eqs if e.regret != 0]
        if bad:
            raise ArithmeticError(f"Gambit returned {len(bad)} exact profiles that are not equilibria")
        eqs.sort(key=lambda e: tuple(float(v) for s in e.strategies for v in s))
        out = EquilibriumSet(eqs, method=method, exact=True, complete=True)
    else:
        out = _from_pairs(game, [[[float(v) for v in s] for s in prof] for prof in profiles],
                          method, tol, game.n_players == 2, False)
    if game.n_players == 2:
        out.degenerate = game.is_degenerate(tol)
        out.continuum = _shares_a_strategy(out)
    else:
        out.complete = False
    return out


def _many_player(game, exact: bool, tol: float, timeout: float) -> EquilibriumSet:
    """Pure equilibria, Gambit's enumpoly equilibria and the polished limit of the
    principal logit branch (which always exists), deduplicated; never complete."""
    pure = game.pure_equilibria(exact=exact, tol=tol)
    try:
        gbt = require("pygambit", "gambit")
    except ImportError:
        return EquilibriumSet(pure, method="pure enumeration", exact=exact, complete=False)
    mixed = list(_gambit(game, False, tol, timeout))
    gambit_game = _unit_gambit(game)
    for e in gbt.nash.logit_solve(gambit_game, use_strategic=True).equilibria:
        start = [np.array([float(e[s]) for s in p.strategies]) for p in gambit_game.players]
        polished = _polish(game._normalised()[1], start, tol)
        if polished is not None:
            mixed.append(game._equilibrium(polished, "gambit logit, polished", False, tol))
    keys = {tuple(round(float(v), 7) for s in e.strategies for v in s) for e in pure}
    extra = []
    for e in mixed:
        key = tuple(round(float(v), 7) for s in e.strategies for v in s)
        if key not in keys:
            keys.add(key)
            extra.append(e)
    return EquilibriumSet(list(pure) + extra, method="pure enumeration + gambit enumpoly + logit",
                          exact=exact and not extra, complete=False)


def _unit_gambit(game):
    """A ``pygambit.Game`` of the game's payoffs mapped exactly onto [0, 1], with Gambit's
    default labels (the solvers need neither the labels nor the payoffs' scale)."""
    gbt = require("pygambit", "gambit")
    return gbt.Game.from_arrays(*[u.copy() for u in game._normalised()[0]])


def _polish(payoffs: Sequence[np.ndarray], profile: Sequence[np.ndarray], tol: float):
    """Newton refinement of an approximate equilibrium on its support.

    ``payoffs`` are mapped onto [0, 1], so the regret test is relative to the payoff ranges.

    With supports :math:`T_p = \\{t : \\sigma_p(t) > 10^{-6}\\}`, solve the polynomial
    system :math:`U_p(t, \\sigma_{-p}) = U_p(t_0, \\sigma_{-p})` (:math:`t \\in T_p`) and
    :math:`\\sum_{t \\in T_p} \\sigma_p(t) = 1` for every player (as many equations as
    unknowns) with ``scipy.optimize.root``.  Returns the refined profile if its regret is
    at most ``tol`` and it is a probability profile, else ``None``.
    """
    from scipy.optimize import root

    supports = [np.flatnonzero(s > 1e-6) for s in profile]
    sizes = np.cumsum([0] + [len(t) for t in supports])

    def unpack(z):
        out = [np.zeros(len(s)) for s in profile]
        for p, t in enumerate(supports):
            out[p][t] = z[sizes[p]:sizes[p + 1]]
        return out

    def equations(z):
        sigma = unpack(z)
        eqs = []
        for p, t in enumerate(supports):
            dev = _deviation_payoffs(payoffs[p], sigma, p)[t]
            eqs.extend(dev[1:] - dev[0])
            eqs.append(sigma[p].sum() - 1.0)
        return np.array(eqs)

    start = np.concatenate([s[t] for s, t in zip(profile, supports, strict=False)])
    solution = root(equations, start, method="hybr", options={"xtol": 1e-15})
    sigma = unpack(solution.x)
    if min(s.min() for s in sigma) < -tol:
        return None
    sigma = [np.clip(s, 0.0, None) / np.clip(s, 0.0, None).sum() for s in sigma]
    regret = _regret_and_payoffs(payoffs, sigma)[0]
    return tuple(sigma) if regret <= tol else None


def _enumpoly_child(nfg: str, connection) -> None:
    """Child-process body: Gambit's enumpoly on a game given as .nfg text; sends float profiles."""
    import io

    gbt = require("pygambit", "gambit")
    game = gbt.read_nfg(io.StringIO(nfg))
    result = gbt.nash.enumpoly_solve(game, use_strategic=True)
    connection.send([[[float(e[s]) for s in p.strategies] for p in game.players] for e in result.equilibria])
    connection.close()


def _enumpoly_with_timeout(nfg: str, timeout: float):
    """Run :func:`_enumpoly_child` in a child process; ``None`` if it does not finish in time
    (the child is then terminated)."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_enumpoly_child, args=(nfg, sender), daemon=True)
    child.start()
    sender.close()
    try:
        if receiver.poll(timeout):
            try:
                return receiver.recv()
            except EOFError:  # the child died without an answer
                return None
        return None
    finally:
        if child.is_alive():
            child.terminate()
        child.join()
        receiver.close()


def _shares_a_strategy(equilibria: Sequence[Equilibrium], digits: int = 9) -> bool:
    """Whether two distinct extreme equilibria have one player's strategy in common (then
    the segment between them consists of equilibria)."""
    keys = [tuple(tuple(round(float(v), digits) for v in s) for s in e.strategies) for e in equilibria]
    keys = list(dict.fromkeys(keys))
    return any(len({k[p] for k in keys}) < len(keys) for p in range(len(keys[0]))) if keys else False
