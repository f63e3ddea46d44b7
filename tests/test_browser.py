"""The classroom page in a real headless browser (Debian's chromium driven by playwright), with screenshots.

Locally the tests skip, saying why, when chromium or playwright is missing; with
``GAMETHEORY_AID_BROWSER_TESTS=required`` (as in CI) they fail instead.  Screenshots go to
pytest's ``tmp_path`` and, when ``GAMETHEORY_AID_SCREENSHOTS`` names a directory (the docs'
``docs/_static/screenshots``), there too.
"""
import io
import os
import re
import shutil
import threading
from pathlib import Path

import pytest

from gametheory_aid.models import get_model
from gametheory_aid.models.story import format_number

CHROMIUM = "/usr/bin/chromium"
REQUIRED = os.environ.get("GAMETHEORY_AID_BROWSER_TESTS", "").lower() == "required"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 800}
CJK = re.compile(r"[\u4e00-\u9fff]")
TIMEOUT = 20_000  # ms: a solve draws a figure, on a slow shared machine


def unavailable(reason: str):
    """Skip with ``reason`` locally; fail in CI, where the browser must run."""
    if REQUIRED:
        pytest.fail(f"browser tests required (GAMETHEORY_AID_BROWSER_TESTS=required) but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the Python package playwright is not installed")
    pytest.importorskip("flask")
    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        except Exception as exc:  # playwright's Error: chromium cannot start here
            unavailable(f"chromium does not start: {str(exc).splitlines()[0]}")
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def url():
    from gametheory_aid.serve import make_server

    server = make_server("127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    thread.join(10)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    yield page
    context.close()


def screenshot(page, tmp_path: Path, name: str, **kwargs) -> Path:
    """Save a small PNG of the page to ``tmp_path`` (and to ``$GAMETHEORY_AID_SCREENSHOTS`` when set)."""
    path = tmp_path / name
    page.evaluate("document.activeElement && document.activeElement.blur()")  # no focus ring in the picture
    data = page.screenshot(**kwargs)
    try:
        from PIL import Image

        image = Image.open(io.BytesIO(data)).convert("RGB").quantize(colors=128)  # a quarter of the size
        image.save(path, optimize=True)
    except ImportError:  # pragma: no cover - Pillow comes with matplotlib
        path.write_bytes(data)
    assert path.stat().st_size > 10_000  # a page, not a blank
    target = os.environ.get("GAMETHEORY_AID_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, Path(target) / name)
    return path


def solved(page) -> int:
    return int(page.evaluate("Number(document.body.dataset.solved || 0)"))


def wait_solved(page, before: int) -> None:
    """Wait until the page has shown the answer to a request sent after ``before`` answers."""
    page.wait_for_function(f"Number(document.body.dataset.solved || 0) > {before}")


def cell(page, output: str, column: int) -> str:
    return page.locator(f'#table tr[data-name="{output}"] td').nth(column).inner_text()


def test_the_page_follows_the_sliders_the_language_and_refuses_bad_values(page, url, tmp_path):
    page.goto(url)
    wait_solved(page, 0)
    # pick a model: another one first, then pleading poverty
    n = solved(page)
    page.select_option("#model", "joint-blame")
    wait_solved(page, n)
    assert page.locator("#title").inner_text() == get_model("joint-blame").story.title["en"]
    n = solved(page)
    page.select_option("#model", "pleading-poverty")
    wait_solved(page, n)
    model = get_model("pleading-poverty")()
    assert cell(page, "rent_strong", 1) == format_number(model.solve().rent_strong) != "0"
    regime_before = cell(page, "regime", 1)
    sentences_before = page.locator("#sentences li").all_inner_texts()
    # full transparency: the rent goes to 0 and the regime changes
    n = solved(page)
    page.locator("#range-transparency").fill("1")
    wait_solved(page, n)
    assert page.locator("#input-transparency").input_value() == "1"
    assert cell(page, "rent_strong", 2) == format_number(model.with_(transparency=1).solve().rent_strong) == "0"
    assert cell(page, "regime", 2) != regime_before == cell(page, "regime", 1)
    sentences = page.locator("#sentences li").all_inner_texts()
    assert set(sentences) - set(sentences_before)
    assert page.locator("#figure svg").count() == 1
    n = solved(page)
    page.locator("#range-transparency").fill("0.6")
    wait_solved(page, n)
    screenshot(page, tmp_path, "serve-en.png")
    # Chinese
    n = solved(page)
    page.click("#lang-zh")
    wait_solved(page, n)
    assert page.evaluate("document.documentElement.lang") == "zh"
    assert CJK.search(page.locator("#heading").inner_text())
    assert CJK.search(page.locator("#title").inner_text())
    assert all(CJK.search(s) for s in page.locator("#sentences li").all_inner_texts())
    assert page.locator("#range-transparency").input_value() == "0.6"  # the values stay
    screenshot(page, tmp_path, "serve-zh.png")
    # an invalid value: the server's one line is shown, and goes once the value is fixed
    n = solved(page)
    page.locator("#input-penalty").fill("-1")
    page.locator("#input-penalty").dispatch_event("change")
    wait_solved(page, n)
    error = page.locator("#error")
    assert error.is_visible()
    assert error.inner_text() == "gametheory-aid: error: parameter 'penalty' = -1.0 is outside its domain [0, inf)"
    n = solved(page)
    page.locator("#input-penalty").fill("2")
    page.locator("#input-penalty").dispatch_event("change")
    wait_solved(page, n)
    assert not error.is_visible()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_screenshot_of_the_html_report(browser, tmp_path, lang):
    from gametheory_aid.cli import main

    out = tmp_path / f"report-{lang}.html"
    assert main(["report", "--format", "html", "--lang", lang, "--out", str(out)]) == 0
    page = browser.new_page(viewport=VIEWPORT)
    try:
        page.goto(out.as_uri())
        heading = page.locator("h1").inner_text()
        assert bool(CJK.search(heading)) == (lang == "zh")
        assert page.locator("section img").count() >= 1
        page.locator("section img").first.scroll_into_view_if_needed()
        page.evaluate("window.scrollTo(0, 0)")
        screenshot(page, tmp_path, f"report-{lang}.png")
    finally:
        page.close()


def test_screenshot_of_an_executed_notebook(browser, tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nbconvert = pytest.importorskip("nbconvert")
    root = Path(__file__).resolve().parent.parent
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Pleading poverty (装穷叫苦) at two levels of digital transparency"),
        nbformat.v4.new_code_cell("from gametheory_aid.models import get_model\n"
                                  "model = get_model('pleading-poverty')()\n"
                                  "model.compare([0, 1])"),
        nbformat.v4.new_code_cell("from gametheory_aid.analysis.plots import plot_transparency\n"
                                  "fig, ax = plot_transparency(model)"),
    ]
    env = dict(os.environ, PYTHONPATH=str(root))
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = env["PYTHONPATH"]  # the kernel imports this checkout
    try:
        nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                resources={"metadata": {"path": str(root)}}).execute()
    finally:
        if old is None:
            os.environ.pop("PYTHONPATH")
        else:
            os.environ["PYTHONPATH"] = old
    body, _ = nbconvert.HTMLExporter().from_notebook_node(nb)
    html_path = tmp_path / "notebook.html"
    html_path.write_text(body, encoding="utf-8")
    page = browser.new_page(viewport=VIEWPORT)
    try:
        page.goto(html_path.as_uri())
        assert "rent_strong" in page.content()
        assert page.locator("img").count() == 1  # the figure
        screenshot(page, tmp_path, "notebook.png", full_page=True)
    finally:
        page.close()
