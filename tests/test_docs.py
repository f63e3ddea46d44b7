"""The documentation and README stay in step with the code."""
import re
from pathlib import Path

import pytest

from gametheory_aid import get_model, model_names
from gametheory_aid.glossary import GLOSSARY

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def test_glossary_page_lists_every_term():
    page = (DOCS / "explanation" / "glossary.md").read_text(encoding="utf-8")
    for en, zh in GLOSSARY.values():
        assert f"- {en}\n" in page and f"- {zh}\n" in page, (en, zh)


@pytest.mark.parametrize("name", model_names())
def test_every_model_has_an_explanation_page(name):
    page = DOCS / "explanation" / f"{name}.md"
    assert page.exists(), page
    text = page.read_text(encoding="utf-8")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), "the page quotes the paper's own terms"
    for output in get_model(name).outputs:
        assert output.name in text or output.kind == "object", f"{name} page never mentions {output.name}"


def test_every_proposition_is_on_the_propositions_page():
    page = (DOCS / "explanation" / "propositions.md").read_text(encoding="utf-8")
    proofs = sorted(p.name for p in (ROOT / "proofs").glob("proposition_*.md"))
    assert proofs
    for name in proofs:
        assert f"../../proofs/{name}" in page, name


def test_readme_quick_start_targets_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    block = re.search(r"## Quick start.*?```console\n(.*?)```", readme, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["make report", "make test"]
    for cmd in commands:
        assert re.search(rf"^{cmd.split()[1]}:", makefile, re.M), cmd


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_registered_model_is_listed_in_the_api_reference():
    api = (DOCS / "reference" / "api.md").read_text(encoding="utf-8")
    for name in model_names():
        module = get_model(name).__module__
        assert f"automodule:: {module}" in api, module
