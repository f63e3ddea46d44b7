"""The errors and warnings of sweeps, each a subclass of a standard exception.

Every error is a :class:`SweepError`, hence a ``ValueError``: the command line reports it
on one line (exit status 2).

* :class:`IncompleteSweepError` -- a dataset read before every chunk is written and
  verified (``partial=True`` reads what is there, with an :class:`IncompleteSweepWarning`);
* :class:`CorruptChunkError` -- a chunk file whose size, checksum or embedded identity does
  not match the manifest's record of it;
* :class:`SweepManifestError` -- a ``_manifest.json`` that is not a sweep's manifest
  (malformed JSON, another type, missing or ill-typed fields);
* :class:`SchedulerUnreachableError` -- no Dask scheduler answered within the timeout (also
  a ``ConnectionError``);
* :class:`ResumeWarning` -- chunks that a resumed sweep found damaged, foreign or stray, and
  recomputed or moved aside.
"""
from __future__ import annotations

__all__ = ["SweepError", "IncompleteSweepError", "CorruptChunkError", "SweepManifestError",
           "SchedulerUnreachableError", "IncompleteSweepWarning", "ResumeWarning"]


class SweepError(ValueError):
    """A sweep that cannot be run, resumed or read as asked."""


class IncompleteSweepError(SweepError):
    """A dataset read before every chunk was written and verified.

    Attributes
    ----------
    path : str
    missing : list of int
        The chunks not written (or not verified).
    n_chunks : int
    """

    def __init__(self, message: str, path: str = "", missing=(), n_chunks: int = 0):
        super().__init__(message)
        self.path = path
        self.missing = list(missing)
        self.n_chunks = n_chunks


class CorruptChunkError(SweepError):
    """A chunk file that does not match its record in the manifest (size, checksum, identity)."""

    def __init__(self, message: str, path: str = "", reason: str = ""):
        super().__init__(message)
        self.path = path
        self.reason = reason


class SweepManifestError(SweepError):
    """A ``_manifest.json`` that is not the manifest of a sweep."""


class SchedulerUnreachableError(SweepError, ConnectionError):
    """No Dask scheduler answered at the given address within the timeout."""


class IncompleteSweepWarning(UserWarning):
    """Reading part of a sweep (``partial=True``): some chunks are missing."""


class ResumeWarning(UserWarning):
    """A resumed sweep found chunk files it could not trust, and recomputed or moved them."""
