"""Global sensitivity analysis of a model's outputs to its parameters (through SALib).

Let :math:`Y = f(X_1, \\dots, X_d)` be an output of a model with the parameters
:math:`X_j` independent and uniform on the box ``bounds``.

* **Sobol' indices** (Sobol' 2001; Saltelli 2002; Saltelli et al. 2010): the first-order
  index :math:`S_j = \\operatorname{Var}(E[Y \\mid X_j]) / \\operatorname{Var}(Y)` is the
  share of the variance of :math:`Y` explained by :math:`X_j` alone; the total index
  :math:`S_{Tj} = E[\\operatorname{Var}(Y \\mid X_{\\sim j})] / \\operatorname{Var}(Y)`
  adds every interaction involving :math:`X_j`.  They are estimated from the Saltelli
  design of :math:`n (d + 2)` points (:math:`n` a power of two), with bootstrap
  confidence intervals.
* **Morris elementary effects** (Morris 1991; Campolongo et al. 2007): for :math:`n`
  one-at-a-time trajectories on a grid of ``num_levels`` levels, the mean of the absolute
  elementary effects :math:`\\mu^*_j` ranks the parameters' influence and their standard
  deviation :math:`\\sigma_j` flags nonlinearity or interactions.

Indices are computed for numeric outputs (kinds ``"real"`` and ``"int"``).  Categorical
outputs (kinds ``"bool"`` and ``"regime"``) have no variance decomposition here; for them
the result reports the share of the sampled parameter box in each category.

Integer parameters (such as ``rounds``) are drawn uniformly from the integers of
``[low, high]``.
"""
from __future__ import annotations

import json
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .._optional import require
from ..core.params import _brief
from .sweeps import (
    DEFAULT_CHUNK_SIZE,
    LATIN_MAX_BYTES,
    SweepError,
    _axis_spec,
    _bound,
    _check_sobol_size,
    _layout,
    evaluate_points,
    resolve_model,
)

__all__ = ["sensitivity", "SensitivityResult", "SENSITIVITY_METHODS"]

SENSITIVITY_METHODS = ("sobol", "morris")
_NUMERIC = ("real", "int")
_CATEGORICAL = ("bool", "regime")


@dataclass
class SensitivityResult:
    """Sensitivity indices of some outputs of a model.

    Attributes
    ----------
    model : str
    method : {"sobol", "morris"}
    bounds : dict
        Parameter name -> ``(low, high)``.
    n_evaluations : int
        Model evaluations (points of the design).
    indices : pandas.DataFrame
        One row per (output, parameter).  Sobol': ``S1``, ``S1_conf``, ``ST``, ``ST_conf``
        (``_conf`` is the half-width of the confidence interval at ``conf_level``).
        Morris: ``mu``, ``mu_star``, ``mu_star_conf``, ``sigma``.
    shares : pandas.DataFrame
        Categorical outputs: one row per (output, category) with its ``share`` of the
        sampled points.
    conf_level : float
    notes : list of str
        Outputs whose indices are undefined (constant or non-finite), and why.
    """

    model: str
    method: str
    bounds: dict
    n_evaluations: int
    indices: object
    shares: object
    conf_level: float = 0.95
    notes: list = field(default_factory=list)

    def to_frame(self):
        """The indices table."""
        return self.indices

    def index(self, output: str, parameter: str, column: str | None = None) -> float:
        """One index: ``column`` (default ``"S1"`` or ``"mu_star"``) of ``parameter`` for ``output``."""
        column = column or ("S1" if self.method == "sobol" else "mu_star")
        rows = self.indices[(self.indices["output"] == output) & (self.indices["parameter"] == parameter)]
        if rows.empty:
            raise KeyError(f"no index for output {output!r} and parameter {parameter!r}")
        return float(rows[column].iloc[0])

    def to_json(self) -> dict:
        """A JSON-ready dictionary (NaN becomes ``null``)."""
        from ..core.results import to_jsonable
        return {"model": self.model, "method": self.method, "bounds": to_jsonable(self.bounds),
                "n_evaluations": self.n_evaluations, "conf_level": self.conf_level,
                "indices": to_jsonable(self.indices.to_dict(orient="records")),
                "shares": to_jsonable(self.shares.to_dict(orient="records")), "notes": list(self.notes)}

    def __repr__(self) -> str:
        from ..core.results import format_table
        title = "Sobol' indices" if self.method == "sobol" else "Morris elementary effects"
        lines = [f"{self.model}: {title} ({self.n_evaluations} evaluations, "
                 f"{int(round(self.conf_level * 100))}% intervals)"]
        if len(self.indices):
            lines.append(format_table(list(self.indices.columns), self.indices.itertuples(index=False), digits=4))
        if len(self.shares):
            lines += ["", "Categorical outputs (share of the parameter box):",
                      format_table(list(self.shares.columns), self.shares.itertuples(index=False), digits=4)]
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    __str__ = __repr__


def _problem(model, bounds: Mapping) -> tuple:
    """SALib's problem dictionary; integer parameters get the half-open box [lo, hi + 1)."""
    if not isinstance(bounds, Mapping) or not bounds:
        raise SweepError("bounds: expected a non-empty mapping NAME -> (low, high)")
    names, box, integer = [], [], []
    for name, pair in bounds.items():
        lo, hi = _bound(model, name, pair, strict=True)
        spec = _axis_spec(model, name, "bounds")
        names.append(name)
        integer.append(spec.integer)
        box.append([lo, hi + 1.0] if spec.integer else [lo, hi])
    return {"num_vars": len(names), "names": names, "bounds": box}, integer


def _points(problem: dict, integer: list, X: np.ndarray) -> dict:
    cols = {}
    for j, name in enumerate(problem["names"]):
        x = X[:, j]
        if integer[j]:
            x = np.minimum(np.floor(x), problem["bounds"][j][1] - 1.0).astype(np.int64)
        cols[name] = x
    return cols


def sensitivity(model, bounds: Mapping, method: str = "sobol", n: int = 1024,
                outputs: Sequence[str] | None = None, seed: int = 0, *, conf_level: float = 0.95,
                num_levels: int = 4, chunk_size: int = DEFAULT_CHUNK_SIZE) -> SensitivityResult:
    """Sobol' indices or Morris elementary effects of a model's outputs.

    Parameters
    ----------
    model : str, Model subclass or Model instance
        As for :func:`~gametheory_aid.analysis.sweeps.sweep`; unvaried parameters stay at
        the model's values.
    bounds : mapping
        Parameter name -> ``(low, high)``: the varied parameters, uniform on the box (an
        element of a vector parameter is spelt ``"weight[0]"``, as for a sweep).
    method : {"sobol", "morris"}
    n : int
        Sobol': base sample size, a power of two (the rule of Sobol' sweeps too: the
        design's balance holds only then; ``n * (d + 2)`` evaluations).  Morris:
        the number of trajectories (``n * (d + 1)`` evaluations).
    outputs : sequence of str, optional
        Outputs to analyse; by default every scalar numeric and categorical output.
    seed : int
        Seed of the design and of the bootstrap.
    conf_level : float
        Level of the confidence intervals.
    num_levels : int
        Morris grid levels.

    Returns
    -------
    SensitivityResult
    """
    pd = require("pandas", "sweep")
    require("SALib", "sweep")
    from SALib.analyze import morris as morris_analyze
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import morris as morris_sample
    from SALib.sample import sobol as sobol_sample

    model = resolve_model(model)
    if not isinstance(method, str) or method not in SENSITIVITY_METHODS:
        raise SweepError(f"method: expected one of {', '.join(SENSITIVITY_METHODS)}, got {_brief(method)}")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise SweepError(f"n: expected an integer >= 2, got {_brief(n)}")
    if method == "sobol":
        _check_sobol_size(n, "n")  # the same rule, and message, as a Sobol' sweep
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2 ** 32:
        # SALib seeds NumPy's legacy generator, which takes 32 bits
        raise SweepError(f"seed: expected an integer from 0 to 2**32 - 1, got {_brief(seed)}")
    if isinstance(conf_level, bool) or not isinstance(conf_level, (int, float, np.integer, np.floating)) \
            or not 0 < conf_level < 1:
        raise SweepError(f"conf_level: expected a number in (0, 1), got {_brief(conf_level)}")
    if isinstance(num_levels, bool) or not isinstance(num_levels, (int, np.integer)) or not 2 <= num_levels <= 1000:
        raise SweepError(f"num_levels: expected an integer from 2 to 1000 (Morris grid levels), "
                         f"got {_brief(num_levels)}")
    problem, integer = _problem(model, bounds)
    d = problem["num_vars"]
    evaluations = int(n) * (d + 2 if method == "sobol" else d + 1)
    if 8 * evaluations * d > LATIN_MAX_BYTES:  # the design is drawn at once, like a Latin hypercube
        raise SweepError(f"n: {n} gives {evaluations} evaluations in {d} dimensions, a design of "
                         f"{8 * evaluations * d / 2 ** 30:.1f} GiB drawn at once, above the limit of "
                         f"{LATIN_MAX_BYTES / 2 ** 30:.0f} GiB; use a smaller n")
    layout = _layout(model, outputs, vectors=False)
    for col in layout:
        if col.kind not in _NUMERIC + _CATEGORICAL or col.trailing:
            raise SweepError(f"outputs: {col.output!r} (kind {col.kind}) has no scalar value per point")

    if method == "sobol":
        X = sobol_sample.sample(problem, int(n), calc_second_order=False, seed=int(seed))
    else:
        X = morris_sample.sample(problem, int(n), num_levels=int(num_levels), seed=int(seed))
    table = evaluate_points(model, _points(problem, integer, X), [c.output for c in layout],
                            chunk_size=chunk_size)

    rows, shares, notes = [], [], []
    for col in layout:
        values = table[col.output]
        if col.kind in _CATEGORICAL:
            counts = values.astype(str).value_counts(sort=False).sort_index()
            for category, count in counts.items():
                shares.append({"output": col.output, "category": category, "share": count / len(values)})
            continue
        Y = np.asarray(values, dtype=float)
        undefined = None
        if not np.all(np.isfinite(Y)):
            undefined = "takes non-finite values in the box"
        elif np.ptp(Y) == 0:
            undefined = "is constant in the box"
        if undefined:
            notes.append(f"{col.output} {undefined}: its indices are undefined (NaN)")
            res = None
        else:
            with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
                warnings.simplefilter("ignore", RuntimeWarning)
                if method == "sobol":
                    res = sobol_analyze.analyze(problem, Y, calc_second_order=False, conf_level=conf_level,
                                                seed=int(seed))
                else:
                    res = morris_analyze.analyze(problem, X, Y, conf_level=conf_level,
                                                 num_levels=int(num_levels), seed=int(seed))
        for j, name in enumerate(problem["names"]):
            row = {"output": col.output, "parameter": name}
            keys = ("S1", "S1_conf", "ST", "ST_conf") if method == "sobol" else \
                ("mu", "mu_star", "mu_star_conf", "sigma")
            for key in keys:
                row[key] = float(np.nan if res is None else np.asarray(res[key])[j])
            rows.append(row)

    index_cols = ["output", "parameter"] + (["S1", "S1_conf", "ST", "ST_conf"] if method == "sobol"
                                            else ["mu", "mu_star", "mu_star_conf", "sigma"])
    return SensitivityResult(model=model.name, method=method,
                             bounds={k: (float(lo), float(hi)) for k, (lo, hi) in bounds.items()},
                             n_evaluations=len(X), indices=pd.DataFrame(rows, columns=index_cols),
                             shares=pd.DataFrame(shares, columns=["output", "category", "share"]),
                             conf_level=float(conf_level), notes=notes)


def _dumps(result: SensitivityResult) -> str:  # used by the command line
    return json.dumps(result.to_json(), ensure_ascii=False, indent=2)
