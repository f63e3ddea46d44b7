"""Executing a notebook in a kernel of this interpreter that imports this checkout (for the tests)."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def kernel_manager():
    """A kernel manager whose ``python3`` kernel is this interpreter (ipykernel's own spec)."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    # no kernel directories: the only kernel is ipykernel's native one, which runs sys.executable
    return KernelManager(kernel_name="python3", kernel_spec_manager=KernelSpecManager(kernel_dirs=[]))


def execute(path: Path, monkeypatch):
    """The notebook at ``path``, executed (cells run from the checkout's root); a cell that raises raises."""
    import nbclient
    import nbformat

    old = os.environ.get("PYTHONPATH")
    # the kernel inherits the environment: it imports this checkout, drawing inline
    monkeypatch.setenv("PYTHONPATH", str(ROOT) + (os.pathsep + old if old else ""))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(nb, timeout=300, km=kernel_manager(), resources={"metadata": {"path": str(ROOT)}}).execute()
    return nb
