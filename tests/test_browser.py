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


#: MathJax from Debian's libjs-mathjax (the notebook's HTML would fetch it from a CDN otherwise)
MATHJAX = Path("/usr/share/javascript/mathjax/MathJax.js")
#: MathJax's TeX input shows an expression it cannot read as its source in a box (noErrors); with
#: that off it shows the error, which the tests can find
NO_ERRORS_HIDDEN = "TeX: {noErrors: {disabled: true}, "
TYPESET = ("window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0 && "
           "document.querySelectorAll('.mjx-chtml').length > 0")
TEX_ERRORS = "Array.from(document.querySelectorAll('.mjx-merror, .MathJax_Error')).map(e => e.textContent)"


def test_every_closed_form_typesets_in_mathjax(browser, tmp_path):
    """Each model's :meth:`to_latex` in MathJax 2 (the TeX input Jupyter's MathJax 3 shares):
    no TeX error, e.g. no expression beyond MathJax's buffer."""
    import html

    from gametheory_aid.models import model_names

    if not MATHJAX.exists():
        unavailable(f"{MATHJAX} is not installed (apt-get install libjs-mathjax)")
    names = [n for n in model_names() if get_model(n).has_symbolic()]
    divs = "".join(f'<div id="{n}">{html.escape(get_model(n)().symbolic().to_latex())}</div>' for n in names)
    page_html = (f'<html><head><script type="text/x-mathjax-config">MathJax.Hub.Config({{'
                 f'{NO_ERRORS_HIDDEN} }}, tex2jax: {{displayMath: [["$$", "$$"]]}}}});</script>'
                 f'<script src="{MATHJAX.as_uri()}?config=TeX-AMS_CHTML-full,Safe"></script></head>'
                 f'<body>{divs}</body></html>')
    path = tmp_path / "closed-forms.html"
    path.write_text(page_html, encoding="utf-8")
    page = browser.new_page(viewport=VIEWPORT)
    page.set_default_timeout(4 * TIMEOUT)
    try:
        page.goto(path.as_uri())
        page.wait_for_function(TYPESET)
        assert page.evaluate(TEX_ERRORS) == []
        for n in names:  # every block typeset: no TeX source left as text
            blocks = get_model(n)().symbolic().to_latex().count("$$") // 2
            assert page.locator(f"#{n} .MathJax_CHTML").count() == blocks, n
            assert "\\begin" not in page.locator(f"#{n}").inner_text(), n
    finally:
        page.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_screenshot_of_an_executed_notebook(browser, tmp_path, lang, monkeypatch):
    pytest.importorskip("nbclient")
    nbconvert = pytest.importorskip("nbconvert")
    pytest.importorskip("ipywidgets")
    if not MATHJAX.exists():
        unavailable(f"{MATHJAX} is not installed (apt-get install libjs-mathjax)")
    from notebook_run import ROOT, execute

    nb = execute(ROOT / "docs" / "notebooks" / lang / "pleading-poverty.ipynb", monkeypatch)
    # the widgets' state would make the page load their manager from a CDN, out of the offline
    # test's reach; without it the explorer's output is its static table and figure
    nb.metadata.pop("widgets", None)
    exporter = nbconvert.HTMLExporter(mathjax_url=f"{MATHJAX.as_uri()}?config=TeX-AMS_CHTML-full,Safe")
    body, _ = exporter.from_notebook_node(nb)
    # nbconvert's template asks MathJax 2 to break long lines itself; MathJax 2's line breaker
    # fails ("Math Processing Error") on long \frac{..\min\left(..)} rows, which Jupyter's own
    # MathJax 3 renders, so the screenshot shows the rows unbroken, as the notebook does
    assert "automatic: true" in body and "TeX: {" in body
    body = body.replace("automatic: true", "automatic: false")
    body = body.replace("TeX: {", NO_ERRORS_HIDDEN, 1)
    html_path = tmp_path / "notebook.html"
    html_path.write_text(body, encoding="utf-8")
    page = browser.new_page(viewport=VIEWPORT)
    page.set_default_timeout(TIMEOUT)
    try:
        page.goto(html_path.as_uri())
        model = get_model("pleading-poverty")
        from gametheory_aid.models.story import label

        tables = page.locator("table.gametheory-aid")
        assert tables.count() >= 2  # the result and the comparison
        assert label(model, "rent_strong", lang) in tables.first.inner_text()
        assert page.locator("img").count() >= 2  # the figure, and the explorer's figure
        assert tables.count() >= 3  # and the explorer's table
        # the closed form typeset by MathJax, without a TeX error
        page.wait_for_function(TYPESET)
        assert page.evaluate(TEX_ERRORS) == []
        assert "\\begin{aligned}" not in page.locator("body").inner_text()
        screenshot(page, tmp_path, f"notebook-{lang}.png", full_page=True)
    finally:
        page.close()
