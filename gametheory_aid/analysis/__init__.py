"""Sweeps, sensitivity analysis and plots of the models.

The functions need the optional ``sweep`` extras (pandas, pyarrow, SALib, tqdm), ``dask``
for the distributed backend and ``plot`` (matplotlib) for the figures; importing this
package is cheap, as each function loads its dependencies only when called.

Note that ``gametheory_aid.analysis.sweep`` is the function :func:`sweep.sweep`; import
the module's other names with ``from gametheory_aid.analysis.sweep import ...``.
"""
from .plots import plot_map, plot_output, plot_sobol
from .sensitivity import SensitivityResult, sensitivity
from .sweep import SweepDataset, evaluate_points, open_sweep, sweep_to_dataarrays
from .sweep import sweep  # noqa: E402  (binds the function over the submodule's name)

__all__ = ["sweep", "evaluate_points", "open_sweep", "SweepDataset", "sweep_to_dataarrays",
           "sensitivity", "SensitivityResult", "plot_output", "plot_map", "plot_sobol"]
