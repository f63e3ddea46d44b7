"""The tutorial notebooks: they are what docs/notebooks/build.py writes, and every one executes.

Each notebook runs in a kernel of this interpreter on this checkout; a cell that raises fails
the test.  The executed outputs are checked for what a reader must see: HTML tables with the
labels of the notebook's language, the closed form in LaTeX, the figure, the widgets.
"""
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from notebook_run import execute

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "docs" / "notebooks"

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")


def _build():
    spec = importlib.util.spec_from_file_location("notebook_build", NOTEBOOKS / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _build()
PATHS = sorted(build.notebooks())


def test_the_committed_notebooks_are_what_the_build_writes():
    proc = subprocess.run([sys.executable, str(NOTEBOOKS / "build.py"), "--check"], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    committed = sorted(str(p.relative_to(NOTEBOOKS)) for p in NOTEBOOKS.glob("*/*.ipynb"))
    assert committed == PATHS  # no notebook left over from a model that is gone


def test_every_model_with_a_story_has_a_notebook_in_each_language():
    from gametheory_aid.models import get_model, model_names

    with_story = [n for n in model_names() if get_model(n).story is not None]
    for lang in build.LANGUAGES:
        assert {f"{lang}/{n}.ipynb" for n in with_story} | {f"{lang}/report.ipynb"} == {
            p for p in PATHS if p.startswith(lang)}


def test_the_check_reports_a_stale_notebook(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "HERE", tmp_path)
    assert build.main([]) == 0  # writes them
    path = tmp_path / PATHS[0]
    path.write_text(path.read_text(encoding="utf-8").replace("model", "modle"), encoding="utf-8")
    assert build.main(["--check"]) == 1
    path.unlink()
    assert build.main(["--check"]) == 1  # a missing one too


def _outputs(nb, mime: str) -> list:
    return [o["data"][mime] for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", ())
            if "data" in o and mime in o["data"]]


@pytest.mark.parametrize("rel", PATHS)
def test_the_notebook_executes(rel, monkeypatch):
    lang, name = rel.split("/")[0], rel.split("/")[1].removesuffix(".ipynb")
    nb = execute(NOTEBOOKS / rel, monkeypatch)
    errors = [o for cell in nb.cells for o in cell.get("outputs", ()) if o.get("output_type") == "error"]
    assert not errors
    html = "\n".join(_outputs(nb, "text/html"))
    heading = {"en": "<th>output</th>", "zh": "<th>输出</th>"}[lang]
    assert heading in html  # the tables speak the notebook's language
    if name == "report":
        from gametheory_aid.report import report_models

        for model in report_models(composites=True):
            assert f'<section id="{model}">' in html, model
        assert html.count("<img ") >= len(report_models())
        return
    assert '<table class="gametheory-aid">' in html
    from gametheory_aid.models import get_model

    cls = get_model(name)
    from gametheory_aid.models.story import label

    first = next(o.name for o in cls.outputs if o.kind != "object")
    assert label(cls, first, lang).replace("'", "&#x27;") in html
    if cls.has_symbolic():
        latex = _outputs(nb, "text/latex")
        assert latex and latex[0].startswith("$$\\begin{aligned}")
    if cls.story.figure is not None:
        assert _outputs(nb, "image/png")
    assert _outputs(nb, "application/vnd.jupyter.widget-view+json")  # the explorer
