"""The preview's tools in a real headless browser (Debian's chromium driven by Playwright,
as in test_designer_browser.py): zoom, guides, hover and click to the source line, and the
error bar. Where a word is on a page comes from the web PDF itself (pdfplumber), and its
source line from the Markdown file, never from the page map under test."""

from __future__ import annotations

import io
import os
import urllib.request

import pytest
from designer_helpers import WatchProcess
from test_designer_browser import CHROMIUM, FLAGS, playwright_api
from test_preview_map import marked_issue, source_line

WORD = "Markerbc"  # article a1 ("Story 1"), its third paragraph


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def watched(tmp_path_factory):
    folder = tmp_path_factory.mktemp("watched")
    manifest = marked_issue(folder)
    env = os.environ.pop("COMPOSITOR_EDITOR", None)
    proc = WatchProcess(manifest, cwd=folder, args=("--editor", "vscode"))
    if env is not None:
        os.environ["COMPOSITOR_EDITOR"] = env
    yield manifest, proc
    assert proc.stop() == 0, proc.output
    assert "Traceback" not in proc.output


@pytest.fixture
def page(browser, watched):
    _, proc = watched
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    tab.goto(proc.url)
    tab.wait_for_function("Number(document.body.dataset.build) >= 1", timeout=30_000)
    tab.wait_for_function("[...document.querySelectorAll('figure.page img')]"
                          ".every(i => i.complete && i.naturalWidth > 100)", timeout=15_000)
    yield tab
    tab.close()


def _word_on_page(url: str, word: str) -> tuple[int, float, float, float, float]:
    """(page, x, y, page width, page height) of a word's middle in the web PDF, in points."""
    import pdfplumber

    with urllib.request.urlopen(url + "download/web", timeout=60) as r:
        data = r.read()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, p in enumerate(pdf.pages, 1):
            for w in p.extract_words():
                if w["text"] == word:
                    return (number, (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2,
                            float(p.width), float(p.height))
    raise AssertionError(f"{word} is not in the PDF")


def _type_left(url: str, number: int) -> float:
    """The left edge of the type on a page of the web PDF, in points."""
    import pdfplumber

    with urllib.request.urlopen(url + "download/web", timeout=60) as r:
        data = r.read()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return min(w["x0"] for w in pdf.pages[number - 1].extract_words())


def _screen_point(tab, number: int, x: float, y: float, width: float, height: float):
    """Where a point of a page is on the screen, scrolled to the middle of the window (not
    under the sticky bars)."""
    box = tab.locator(f"#page-{number} .sheet").bounding_box()
    tab.evaluate(f"window.scrollBy(0, {box['y'] + y / height * box['height'] - 450})")
    box = tab.locator(f"#page-{number} .sheet").bounding_box()
    return box["x"] + x / width * box["width"], box["y"] + y / height * box["height"]


def test_hover_and_click_name_the_article_and_source_line(page, watched):
    manifest, proc = watched
    path = manifest.parent / "articles" / "a1.md"
    line = source_line(path, WORD)
    number, x, y, w, h = _word_on_page(proc.url, WORD)
    sx, sy = _screen_point(page, number, x, y, w, h)
    page.mouse.move(sx, sy)
    tip = page.locator("#tip")
    tip.wait_for(state="visible")
    text = tip.inner_text()
    assert "Story 1: news from the river" in text, text
    assert f"articles/a1.md:{line}" in text and "paragraph 3" in text, text

    # "c" copies the file:line under the pointer.
    page.keyboard.press("c")
    assert page.evaluate("document.body.dataset.copied") == f"articles/a1.md:{line}"

    # The shot for the closing note: guides on, the pointer over a paragraph.
    for guide in ("margins", "columns", "baseline", "bleed"):
        page.check(f"input.guide[value={guide}]")
    sx, sy = _screen_point(page, number, x, y, w, h)
    page.mouse.move(sx, sy)
    tip.wait_for(state="visible")
    assert f"articles/a1.md:{line}" in tip.inner_text()
    shots = os.environ.get("PREVIEW_SHOTS")
    if shots:
        page.screenshot(path=os.path.join(shots, "preview-guides-hover.png"))

    # A click shows the source and opens it in the editor (last: headless Chromium stops
    # taking input while it would ask whether to open the editor's link).
    page.mouse.click(sx, sy)
    card = page.locator("#source")
    card.wait_for(state="visible")
    assert page.locator("#source-where").inner_text() == f"articles/a1.md:{line}"
    link = f"vscode://file{path.resolve().as_posix()}:{line}"
    assert page.locator("#open-source").get_attribute("href") == link
    assert page.evaluate("document.body.dataset.opened") == link
    assert page.locator("#copy-source").is_visible()
    if shots:
        page.screenshot(path=os.path.join(shots, "preview-source.png"))


def test_hover_in_another_article_names_that_article(page, watched):
    manifest, proc = watched
    for word, title, name in (("Markerab", "Story 0", "a0.md"), ("Markercd", "Story 2", "a2.md")):
        number, x, y, w, h = _word_on_page(proc.url, word)
        page.mouse.move(*_screen_point(page, number, x, y, w, h))
        page.wait_for_function(f"document.querySelector('#tip').textContent.includes('{name}')",
                               timeout=5_000)
        text = page.locator("#tip").inner_text()
        line = source_line(manifest.parent / "articles" / name, word)
        assert title in text and f"articles/{name}:{line}" in text, text


def test_guides_overlay(page, watched):
    sheet = page.locator("#page-2 .sheet")
    sheet.scroll_into_view_if_needed()
    from PIL import Image

    def blue_share() -> float:
        shot = Image.open(io.BytesIO(sheet.screenshot())).convert("RGB").resize((200, 283))
        raw = shot.tobytes()
        px = [raw[k:k + 3] for k in range(0, len(raw), 3)]
        return sum(1 for r, g, b in px if b > r + 40 and b > g + 10) / len(px)

    plain = blue_share()
    groups = {"margins": 1, "columns": 3, "baseline": 50, "bleed": 2}
    for guide, least in groups.items():
        assert page.evaluate(f"getComputedStyle(document.querySelector("
                             f"'#page-2 svg.overlay .g-{guide}')).display") == "none"
        page.check(f"input.guide[value={guide}]")
        shown = page.evaluate(f"(() => {{ const g = document.querySelector("
                              f"'#page-2 svg.overlay .g-{guide}'); return [getComputedStyle(g)"
                              f".display, g.children.length]; }})()")
        assert shown[0] != "none" and shown[1] >= least, (guide, shown)
    # The columns are tinted and outlined on the page as drawn.
    assert blue_share() > plain + 0.2, (plain, blue_share())
    # The first column's guide starts where the type of page 2 does in the PDF.
    edge = page.evaluate("Number(document.querySelector('#page-2 .g-columns rect')"
                         ".getAttribute('x'))")
    assert edge == pytest.approx(_type_left(watched[1].url, 2), abs=0.5)
    for guide in groups:
        page.uncheck(f"input.guide[value={guide}]")
    assert blue_share() == pytest.approx(plain, abs=0.01)


def test_zoom(page):
    fig = page.locator("#page-2")

    def width() -> float:
        return fig.bounding_box()["width"]

    fit = width()
    pages = page.locator("#pages")
    assert 2 * fit <= pages.bounding_box()["width"] + 1  # two pages across
    page.click("#zoom button[data-zoom='100']")
    assert width() == pytest.approx(595.28 * 96 / 72, abs=2)  # A4 at actual size
    page.click("#zoom button[data-zoom='200']")
    assert width() == pytest.approx(2 * 595.28 * 96 / 72, abs=3)
    # The larger view uses the sharper image, twice the preview's resolution.
    img = page.locator("#page-2 img")
    assert "@2x" in img.get_attribute("src")
    page.wait_for_function("(() => { const i = document.querySelector('#page-2 img');"
                           " return i.complete && i.naturalWidth > 1500; })()", timeout=20_000)
    assert pages.evaluate("e => e.scrollWidth > e.clientWidth")  # scrolls sideways
    page.click("#zoom button[data-zoom='page']")
    row = page.locator(".spread").nth(1).bounding_box()
    top = page.evaluate("document.getElementById('top').offsetHeight")
    assert row["height"] <= 900 - top
    page.click("#zoom button[data-zoom='width']")
    assert width() == pytest.approx(fit, abs=1)
    # The loupe shows the page under the pointer, magnified.
    page.check("#loupe-on")
    page.mouse.move(*_screen_point(page, 2, 300, 300, 595.28, 841.89))
    box = page.locator("#page-2 .sheet").bounding_box()
    loupe = page.locator("#loupe")
    loupe.wait_for(state="visible")
    assert "@2x" in loupe.evaluate("e => e.style.backgroundImage")
    size = loupe.evaluate("e => parseFloat(e.style.backgroundSize)")
    assert size == pytest.approx(3 * box["width"], rel=0.01)
    page.uncheck("#loupe-on")


def test_error_bar_stays_in_view_and_the_header_says_the_pages_are_old(page, watched):
    manifest, _ = watched
    good = manifest.read_text()
    build = int(page.evaluate("document.body.dataset.build"))
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    assert page.evaluate("window.scrollY") > 300
    manifest.write_text(good.replace("articles:", "articles: [oops", 1))
    try:
        page.wait_for_selector("#errors:not([hidden])", timeout=20_000)
        bar = page.locator("#errors").bounding_box()
        assert bar["y"] >= 0 and bar["y"] + bar["height"] <= 900  # in view, scrolled down
        hit = page.evaluate(f"document.elementFromPoint({bar['x'] + 40}, "
                            f"{bar['y'] + bar['height'] / 2}).closest('#errors') !== null")
        assert hit  # not covered by the pages
        status = page.locator("#status").inner_text()
        assert "did not build" in status and f"build {build} from" in status, status
        assert "failed" in page.locator("#status").get_attribute("class")
        assert page.evaluate("document.body.dataset.state") == "error"
    finally:
        manifest.write_text(good)
    page.wait_for_selector("#errors", state="hidden", timeout=20_000)
    status = page.locator("#status").inner_text()
    assert "did not build" not in status and status.startswith("build "), status


def test_changes_are_outlined_and_the_page_before_can_be_shown(page, watched):
    manifest, _ = watched
    article = manifest.parent / "articles" / "a2.md"
    old = article.read_text()
    build = int(page.evaluate("document.body.dataset.build"))
    article.write_text(old.replace("Markercb ", "Markercb Quokkas ", 1))
    try:
        page.wait_for_function(f"Number(document.body.dataset.build) > {build}",
                               timeout=20_000)
        changed = page.locator("figure.page.changed")
        assert changed.count() >= 1
        img = changed.first.locator("img")
        now, before = img.get_attribute("data-id"), img.get_attribute("data-before")
        assert before and before != now
        page.check("#before")
        assert img.get_attribute("src") == f"/page/{before}.jpg"
        page.uncheck("#before")
        assert now in img.get_attribute("src")
        assert changed.first.locator(".mark").count() >= 1
    finally:
        article.write_text(old)
