"""Importing the package, and the ``list`` command, load none of the heavy optional libraries.

Each check runs in a fresh interpreter, so that modules imported by other tests do not count.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

HEAVY = ("sympy", "scipy.optimize", "pandas", "pyarrow", "matplotlib")

REPORT = "import json, sys; print(json.dumps([m for m in {heavy!r} if m in sys.modules]))"


def _loaded_after(code: str) -> list:
    script = f"{code}\n{REPORT.format(heavy=HEAVY)}"
    proc = subprocess.run([sys.executable, "-c", script], cwd=str(ROOT), capture_output=True, text=True,
                          timeout=120, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("code", [
    pytest.param("import gametheory_aid", id="import-package"),
    pytest.param("import gametheory_aid.cli", id="import-cli"),
    pytest.param("import contextlib, io\nfrom gametheory_aid.cli import main\n"
                 "with contextlib.redirect_stdout(io.StringIO()):\n    assert main(['list']) == 0",
                 id="list"),
    pytest.param("import contextlib, io\nfrom gametheory_aid.cli import main\n"
                 "with contextlib.redirect_stdout(io.StringIO()):\n    assert main(['list', '--json']) == 0",
                 id="list-json"),
])
def test_no_heavy_library_is_imported(code):
    assert _loaded_after(code) == []
