"""The live preview page in a real headless browser: Debian's chromium driven by
Playwright (pointed at that executable; Playwright's own browser downloads are not used)."""

from __future__ import annotations

import io
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import write_issue
from designer_helpers import WatchProcess

CHROMIUM = os.environ.get("COMPOSITOR_CHROMIUM") or shutil.which("chromium") or \
    "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if not Path(CHROMIUM).is_file() and not os.environ.get("CI"):
    pytest.skip("chromium is not installed (CI installs it)", allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api") if not os.environ.get("CI") \
    else __import__("playwright.sync_api", fromlist=["sync_playwright"])


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def watched(tmp_path):
    manifest = write_issue(tmp_path, articles=4, sentences=30)
    proc = WatchProcess(manifest, cwd=tmp_path)
    yield manifest, proc
    assert proc.stop() == 0, proc.output
    assert "Traceback" not in proc.output


def _pdf_pages(url: str) -> int:
    """Pages of the current web PDF, as the page's download link gives it."""
    import urllib.request

    import pypdf
    with urllib.request.urlopen(url + "download/web", timeout=60) as r:
        return len(pypdf.PdfReader(io.BytesIO(r.read())).pages)


def _build(page) -> int:
    return int(page.evaluate("document.body.dataset.build"))


def _page_texts(page) -> str:
    return " ".join(page.locator("figure.page .page-text").all_text_contents())


def test_preview_page_live(browser, watched, tmp_path):
    manifest, proc = watched
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(proc.url)
    page.wait_for_function("Number(document.body.dataset.build) >= 1", timeout=30_000)

    # One image per PDF page, every one loaded, spreads side by side.
    count = _pdf_pages(proc.url)
    assert count >= 2
    images = page.locator("figure.page img")
    assert images.count() == count
    page.wait_for_function("[...document.querySelectorAll('figure.page img')]"
                           ".every(i => i.complete && i.naturalWidth > 100)", timeout=15_000)
    first, second = (page.locator(f"#page-{n}").bounding_box() for n in (1, 2))
    if count >= 3:
        third = page.locator("#page-3").bounding_box()
        assert abs(third["y"] - second["y"]) < 2 and third["x"] > second["x"]  # a spread
    assert second["y"] > first["y"]  # page 1 stands alone
    # The report links to pages.
    assert page.locator("#report a[href='#page-1']").count() >= 1
    links = page.locator("#downloads a")
    assert links.count() == 2 and "web PDF" in links.first.inner_text()

    # Screenshot: the page is drawn, not blank.
    from PIL import Image, ImageStat
    shot = Image.open(io.BytesIO(page.screenshot(full_page=False))).convert("RGB")
    assert shot.size == (1400, 1000)
    colours = len(shot.resize((350, 250)).getcolors(maxcolors=1 << 20))
    spread = ImageStat.Stat(shot.convert("L")).stddev[0]
    assert colours > 50 and spread > 20, (colours, spread)
    shot.save(tmp_path / "preview.png")

    # Editing an article on disk: the page updates itself and shows the new text, where
    # the reader had scrolled to.
    build = _build(page)
    page.evaluate("window.scrollTo(0, 300)")
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 100
    article = manifest.parent / "articles" / "a2.md"
    article.write_text(article.read_text().replace("Story 2:", "Quokkas ahoy:", 1))
    page.wait_for_function(f"Number(document.body.dataset.build) > {build}", timeout=20_000)
    assert "Quokkas ahoy:" in _page_texts(page)
    assert abs(page.evaluate("window.scrollY") - scrolled) < 5
    changed = page.locator("figure.page.changed")
    assert changed.count() >= 1
    assert page.locator("figure.page.changed .mark").count() >= 1
    srcs = page.locator("figure.page img").evaluate_all("els => els.map(e => e.src)")

    # A broken manifest: the error at the top, the last good pages stay.
    good = manifest.read_text()
    manifest.write_text(good.replace("articles:", "articles: [oops", 1))
    page.wait_for_selector("#errors:not([hidden])", timeout=20_000)
    message = page.locator("#errors li").first.inner_text()
    assert re.match(r"^\S*issue\.yaml:\d+: invalid YAML: ", message), message
    assert page.locator("figure.page img").evaluate_all("els => els.map(e => e.src)") == srcs
    assert "Quokkas ahoy:" in _page_texts(page)
    assert any("invalid YAML" in line for line in proc.lines)  # the terminal says the same

    # Fixing it clears the error.
    manifest.write_text(good)
    page.wait_for_selector("#errors", state="hidden", timeout=20_000)
    assert page.evaluate("document.body.dataset.state") == "ok"
    assert page.locator("figure.page img").count() == _pdf_pages(proc.url)
    page.close()


def test_preview_page_shows_a_missing_file(browser, watched):
    manifest, proc = watched
    page = browser.new_page()
    page.goto(proc.url)
    page.wait_for_function("Number(document.body.dataset.build) >= 1", timeout=30_000)
    pages = page.locator("figure.page img").count()
    manifest.write_text(manifest.read_text().replace("articles/a3.md", "articles/lost.md"))
    page.wait_for_selector("#errors:not([hidden])", timeout=20_000)
    text = page.locator("#errors").inner_text()
    assert "issue.yaml:" in text and "file not found" in text and "lost.md" in text
    assert page.locator("figure.page img").count() == pages
    page.close()


def test_preview_page_when_the_first_build_fails(browser, tmp_path):
    manifest = write_issue(tmp_path, articles=2, sentences=10)
    good = manifest.read_text()
    manifest.write_text(good.replace("date: July", "dat: July"))
    proc = WatchProcess(manifest, cwd=tmp_path)
    try:
        page = browser.new_page()
        page.goto(proc.url)
        page.wait_for_selector("#errors:not([hidden])", timeout=30_000)
        assert "unknown key 'dat'" in page.locator("#errors").inner_text()
        assert "has not built" in page.locator("#pages").inner_text()
        manifest.write_text(good)  # fixed: the pages appear
        page.wait_for_function("Number(document.body.dataset.build) >= 1", timeout=30_000)
        assert page.locator("figure.page img").count() >= 1
        assert page.locator("#errors").is_hidden()
        page.close()
    finally:
        assert proc.stop() == 0
