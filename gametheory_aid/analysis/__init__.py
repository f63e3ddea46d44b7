"""Sweeps, sensitivity analysis and plots of the models.

The functions need the optional ``sweep`` extras (pandas, pyarrow, SALib, tqdm), ``dask``
for the distributed backend, ``plot`` (matplotlib) for the figures and ``notebook``
(ipywidgets) for :func:`explore`; importing this package is cheap, as each function loads its
dependencies only when called.

The sweep machinery is the package :mod:`gametheory_aid.analysis.sweeps`;
``gametheory_aid.analysis.sweep`` is its function :func:`~gametheory_aid.analysis.sweeps.sweep`.
"""
from .explorer import Explorer, explore
from .plots import plot_map, plot_output, plot_sobol, plot_transparency
from .sensitivity import SensitivityResult, sensitivity
from .sweeps import SweepDataset, evaluate_points, open_sweep, sweep, sweep_to_dataarrays

__all__ = ["sweep", "evaluate_points", "open_sweep", "SweepDataset", "sweep_to_dataarrays",
           "sensitivity", "SensitivityResult", "plot_output", "plot_map", "plot_sobol",
           "plot_transparency", "explore", "Explorer"]
