"""The sweep's table type, :class:`SweepFrame`: a module-level DataFrame subclass.

It lives in a module of its own, which imports pandas, so that importing
:mod:`gametheory_aid.analysis.sweeps` stays cheap while the class is an ordinary,
importable type: a table pickles by reference to ``gametheory_aid.analysis.sweeps.frame.SweepFrame``
(``pickle``, ``DataFrame.to_pickle``, ``multiprocessing``, ``joblib``), with its ``attrs``.
"""
from __future__ import annotations

import pandas as pd

from ..._optional import require

__all__ = ["SweepFrame"]


class SweepFrame(pd.DataFrame):
    """A sweep's tidy table (a :class:`pandas.DataFrame`); ``attrs["sweep"]`` is its definition.

    Operations that return a table (selection, ``copy``, ...) return a ``SweepFrame``;
    ``to_xarray`` indexes a grid sweep by its swept parameters.
    """

    @property
    def _constructor(self):
        return SweepFrame

    def to_xarray(self):
        """The grid sweep as an :class:`xarray.Dataset` with one dimension per parameter.

        Needs the optional package ``xarray`` (not a dependency of this package).
        """
        require("xarray", "xarray")
        sweep_def = self.attrs.get("sweep", {})
        plain = pd.DataFrame(self)
        if sweep_def.get("kind") == "grid":
            return plain.set_index(list(sweep_def["parameters"])).to_xarray()
        return plain.to_xarray()
