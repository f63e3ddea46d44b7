"""Sphinx configuration for gametheory-aid."""
import os
import sys

sys.path.insert(0, os.path.abspath(".."))

project = "gametheory-aid"
author = "gametheory-aid developers"
copyright = "2026, gametheory-aid developers"

from gametheory_aid import __version__ as release  # noqa: E402

version = release
extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
]
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", "figures/*.py", "**/README.md"]
napoleon_numpy_docstring = True
napoleon_google_docstring = False
napoleon_use_rtype = False
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": True}
autosummary_generate = False
html_theme = "furo" if __import__("importlib").util.find_spec("furo") else "alabaster"
html_title = f"gametheory-aid {release}"
suppress_warnings = ["myst.header"]
nitpicky = False
