"""`compositor site`: the archive, checked in headless Chromium (Playwright driving the
system's chromium, never a downloaded browser), its feed with feedparser, and its
accessibility with axe-core."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest
from pypdf import PdfReader
from websrv import Site, serve_fixture_site

from compositor.cli import main

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def need(condition: bool, what: str) -> None:
    """Missing browser tools skip the test on a developer's machine; CI installs them, so
    there they are a failure."""
    if not condition:
        if os.environ.get("CI"):
            pytest.fail(f"{what} is missing (.ci/run installs it)")
        pytest.skip(f"{what} is missing (run .ci/run to install it)")


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """Two issues imported from the fixture website, published by `compositor site`
    (which builds them first) and served on 127.0.0.1."""
    tmp = tmp_path_factory.mktemp("archive")
    web = serve_fixture_site(tmp)
    issues = tmp / "issues"
    assert main(["import", web.url("export.wxr"), "--into", str(issues / "2024-spring"),
                 "-q"]) == 0
    assert main(["import", web.url("feed.rss"), "--into", str(issues / "2024-summer"),
                 "--since", "2024-05-18", "-q"]) == 0
    spring = issues / "2024-spring" / "issue.yaml"
    spring.write_text(spring.read_text().replace("date: May 2024",
                                                 "volume: 3\nnumber: 7\ndate: Spring 2024"))
    out = tmp / "site"
    server = Site(out)  # serves the folder once it exists
    assert main(["site", str(issues), "-o", str(out), "--base-url", server.address + "/",
                 "-q"]) == 0
    yield {"out": out, "server": server, "issues": issues}
    server.close()
    web.close()


@pytest.fixture(scope="module")
def browser():
    need(Path(CHROMIUM).exists(), "chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def test_index_has_one_card_per_issue_with_its_cover(archive, browser):
    for url in ((archive["out"] / "index.html").as_uri(), archive["server"].url("index.html")):
        page = browser.new_page()
        page.goto(url)
        page.wait_for_load_state("load")
        cards = page.locator("li.card")
        assert cards.count() == 2
        assert cards.locator("h2").all_inner_texts() == ["June 2024", "Spring 2024"]
        for i in range(2):
            img = cards.nth(i).locator("img")
            img.scroll_into_view_if_needed()
            page.wait_for_function("e => e.complete", arg=img.element_handle())
            assert img.evaluate("e => e.naturalWidth") == 600
        facts = cards.nth(1).locator(".facts").inner_text()
        assert facts.startswith("Volume 3, Number 7")
        size = (archive["out"] / "pdf" / "2024-summer.pdf").stat().st_size
        assert f"({round(size / 1024)} KB)" in cards.nth(0).locator(".download").inner_text()
        page.close()


def _links(page) -> list[str]:
    return page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")


def test_every_link_resolves(archive, browser):
    """From disk and served: every page's links lead to a file that exists (or a page the
    server answers), and #page=N stays within the PDF."""
    out, server = archive["out"], archive["server"]
    pages = ["index.html", "2024-spring.html", "2024-summer.html"]
    seen = 0
    for page_name in pages:
        page = browser.new_page()
        page.goto((out / page_name).as_uri())
        for href in _links(page):
            parts = urlsplit(href)
            if parts.scheme == "https":
                assert parts.netloc == "millbrook-garden.example.org"  # the society's site
                continue
            assert parts.scheme == "file", href
            target = Path(unquote(parts.path))
            assert target.is_file() and out in target.parents, href
            if parts.fragment.startswith("page="):
                n = int(parts.fragment[5:])
                assert 1 <= n <= len(PdfReader(target).pages), href
            seen += 1
        page.goto(server.url(page_name))
        for href in _links(page):
            if href.startswith(server.address):
                response = page.request.get(href.split("#")[0])
                assert response.status == 200, href
                seen += 1
        page.close()
    assert seen > 20


def test_contents_link_to_the_article_pages(archive, browser):
    out = archive["out"]
    page = browser.new_page()
    page.goto((out / "2024-summer.html").as_uri())
    entries = page.locator("ol.contents li a")
    titles = entries.all_inner_texts()
    assert titles[0] == "Tickets for the midsummer supper" and len(titles) == 4
    reader = PdfReader(out / "pdf" / "2024-summer.pdf")
    for i, title in enumerate(titles):
        n = int(entries.nth(i).get_attribute("href").rsplit("#page=", 1)[1])
        text = " ".join(reader.pages[n - 1].extract_text().split())
        assert title.split()[0] in text and title.split()[-1] in text
    page.close()


def test_feed_lists_the_pdfs_as_enclosures(archive):
    out, server = archive["out"], archive["server"]
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not feed.bozo and feed.feed.title == "Millbrook Community Garden"
    assert [e.title for e in feed.entries] == ["Millbrook Community Garden, June 2024",
                                              "Millbrook Community Garden, Spring 2024"]
    for entry, name in zip(feed.entries, ("2024-summer", "2024-spring"), strict=True):
        (enclosure,) = entry.enclosures
        assert enclosure.type == "application/pdf"
        assert enclosure.href == server.url(f"pdf/{name}.pdf")
        assert int(enclosure.length) == (out / "pdf" / f"{name}.pdf").stat().st_size
        assert entry.link == server.url(f"{name}.html")
    assert feed.entries[0].updated.startswith("2024-06-08")


def _headings(page) -> list[int]:
    return page.eval_on_selector_all("h1, h2, h3, h4, h5, h6",
                                     "els => els.map(e => Number(e.tagName[1]))")


@pytest.mark.parametrize("width", [1200, 375])
@pytest.mark.parametrize("name", ["index.html", "2024-spring.html"])
def test_accessible_on_desktop_and_phone(archive, browser, name, width):
    need(AXE.exists(), "axe-core (npm)")
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto(archive["server"].url(name))
    page.wait_for_load_state("load")
    assert page.get_attribute("html", "lang") == "en-GB"
    levels = _headings(page)
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    assert page.eval_on_selector_all("img", "els => els.every(e => e.hasAttribute('alt'))")
    if name != "index.html":  # the issue page's cover says what it shows
        assert "Front page of" in page.get_attribute(".issue img", "alt")
    # Readable on a phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # Keyboard: the first Tab lands on the skip link, which leads to the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert result["testEngine"]["name"] == "axe-core" and result["passes"] is not None
    serious = [(v["id"], v["help"], [n["target"] for n in v["nodes"]])
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []
    page.close()


def test_sharing_tags_and_theme(archive):
    out, server = archive["out"], archive["server"]
    html = (out / "2024-summer.html").read_text()
    assert f'<meta property="og:image" content="{server.url("covers/2024-summer.jpg")}">' in html
    assert '<meta property="og:title" content="Millbrook Community Garden, June 2024">' in html
    css = (out / "style.css").read_text()
    # The default layout's accent (CMYK 100/62/8/30) on the web, and its fonts.
    assert "--accent: #0044a4;" in css and "--masthead: #0044a4;" in css
    assert 'font-family: "Body"; src: url("fonts/CharisSIL-Regular.woff")' in css
    from fontTools.ttLib import TTFont
    font = TTFont(out / "fonts" / "CharisSIL-Regular.woff")
    assert "Charis" in font["name"].getDebugName(1) and font.flavor == "woff"
    assert "SIL OPEN FONT LICENSE" in (out / "fonts" / "OFL.txt").read_text().upper()


def test_unbuilt_issue_is_named_and_target_is_protected(archive, tmp_path, capsys):
    issues = tmp_path / "issues"
    shutil.copytree(archive["issues"] / "2024-spring", issues / "fresh",
                    ignore=shutil.ignore_patterns("build"))
    out = tmp_path / "site"
    assert main(["site", str(issues), "-o", str(out), "--no-build"]) == 1
    err = capsys.readouterr().err
    assert "fresh: not built, left out" in err and "compositor build" in err
    assert not out.exists()
    # -o may not be the issues, an issue, or someone else's folder.
    assert main(["site", str(issues), "-o", str(issues)]) == 1
    assert main(["site", str(issues), "-o", str(issues / "fresh")]) == 1
    other = tmp_path / "photos"
    other.mkdir()
    (other / "holiday.jpg").write_bytes(b"x")
    assert main(["site", str(issues), "-o", str(other)]) == 1
    assert [p.name for p in other.iterdir()] == ["holiday.jpg"]
    assert "was not written by `compositor site`" in capsys.readouterr().err


def test_an_issue_that_fails_to_build_is_named_and_the_rest_published(archive, tmp_path,
                                                                      capsys):
    issues = tmp_path / "issues"
    shutil.copytree(archive["issues"] / "2024-summer", issues / "2024-summer")  # built
    broken = issues / "2024-autumn"
    broken.mkdir()
    (broken / "issue.yaml").write_text("publication: {name: Millbrook}\ndate: Autumn 2024\n"
                                       "articles:\n  - articles/lost.md\n")
    out = tmp_path / "site"
    assert main(["site", str(issues), "-o", str(out), "-q"]) == 1
    err = capsys.readouterr().err
    assert "2024-autumn/issue.yaml:4: file not found" in err
    assert (out / "2024-summer.html").is_file() and not (out / "2024-autumn.html").exists()
    # A second run replaces the site it wrote before.
    assert main(["site", str(issues), "-o", str(out), "-q"]) == 1
    assert sorted(p.name for p in out.glob("*.html")) == ["2024-summer.html", "index.html"]
