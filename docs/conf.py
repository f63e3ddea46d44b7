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
napoleon_use_ivar = True
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": True}
autosummary_generate = False
html_theme = "furo" if __import__("importlib").util.find_spec("furo") else "alabaster"
html_title = f"gametheory-aid {release}"
# napoleon turns "Attributes" entries into references; an attribute name that several classes share
# (e.g. "shape") is then ambiguous, which is harmless
suppress_warnings = ["myst.header", "ref.python"]
nitpicky = False


# -- Tutorials and how-to guides are executed at every build ---------------------------------
# The ```pycon blocks of each page run in order in one namespace and their printed output is
# compared with the page, so a stale tutorial fails the build (and CI).
def _run_page_examples(app):
    import doctest
    import glob
    import re

    block = re.compile(r"^```pycon\n(.*?)^```", re.S | re.M)
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    failed = []
    for folder in ("tutorials", "how-to"):
        for path in sorted(glob.glob(os.path.join(app.srcdir, folder, "*.md"))):
            with open(path, encoding="utf-8") as fh:
                text = "\n\n".join(m.group(1) for m in block.finditer(fh.read()))
            if ">>>" not in text:
                continue
            test = doctest.DocTestParser().get_doctest(text, {}, os.path.relpath(path, app.srcdir), path, 0)
            runner = doctest.DocTestRunner(optionflags=flags)
            cwd = os.getcwd()
            try:
                os.chdir(app.outdir)  # pages may write files: keep them out of the sources
                runner.run(test)
            finally:
                os.chdir(cwd)
            if runner.failures:
                failed.append(f"{test.name} ({runner.failures} of {runner.tries} examples)")
    if failed:
        from sphinx.errors import ExtensionError
        raise ExtensionError("stale examples in: " + "; ".join(failed))


def setup(app):
    app.connect("builder-inited", _run_page_examples)
