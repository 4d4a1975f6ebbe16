"""`compositor site`: the archive, checked in headless Chromium (Playwright driving the
system's chromium, never a downloaded browser), its feed with feedparser, and its
accessibility with axe-core."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest
from pypdf import PdfReader
from websrv import Site, serve_fixture_site

from compositor.cli import main
from compositor.errors import Location

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
            # The browser picks from three widths the one its screen needs.
            assert [c.split()[-1] for c in img.get_attribute("srcset").split(", ")] == \
                ["300w", "600w", "900w"]
            assert img.evaluate("e => e.naturalWidth") >= img.evaluate("e => e.width") > 200
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
    pages = ["index.html", "2024-spring.html", "2024-summer.html",
             *sorted(str(p.relative_to(out)) for p in out.glob("*/*.html"))]
    assert len(pages) == 10  # and one page for each of the seven articles
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
    """Each title leads to the article's own page, each page number to that page of the
    PDF, where the title is printed."""
    out = archive["out"]
    page = browser.new_page()
    page.goto((out / "2024-summer.html").as_uri())
    entries = page.locator("ol.contents li > a:first-child")
    titles = entries.all_inner_texts()
    assert titles[0] == "Tickets for the midsummer supper" and len(titles) == 4
    reader = PdfReader(out / "pdf" / "2024-summer.pdf")
    in_pdf = page.locator("ol.contents li a.page")
    for i, title in enumerate(titles):
        n = int(in_pdf.nth(i).get_attribute("href").rsplit("#page=", 1)[1])
        text = " ".join(reader.pages[n - 1].extract_text().split())
        assert title.split()[0] in text and title.split()[-1] in text
        article = browser.new_page()
        article.goto(entries.nth(i).evaluate("e => e.href"))
        assert article.inner_text("h1") == title
        article.close()
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
@pytest.mark.parametrize("name", ["index.html", "2024-spring.html",
                                  "2024-summer/midsummer-supper.html"])
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
    if name == "2024-spring.html":  # the issue page's cover says what it shows
        assert "Front page of" in page.get_attribute(".issue img", "alt")
    # Readable on a phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # Keyboard: the first Tab lands on the skip link, which leads to the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert result["testEngine"]["name"] == "axe-core" and result["passes"] is not None
    found = [(v["id"], v["help"], [n["target"] for n in v["nodes"]])
             for v in result["violations"]]
    assert found == []
    page.close()


def test_sharing_tags_and_theme(archive):
    out, server = archive["out"], archive["server"]
    html = (out / "2024-summer.html").read_text()
    assert f'<meta property="og:image" content="{server.url("covers/2024-summer.jpg")}">' in html
    assert '<meta property="og:title" content="Millbrook Community Garden, June 2024">' in html
    css = (out / "style.css").read_text()
    # The default layout's accent (CMYK 100/62/8/30) on the web, and its fonts.
    assert "--accent: #0044a4;" in css and "--masthead: #0044a4;" in css
    assert ('font-family: "Body"; src: url("fonts/CharisSIL-Regular.woff2") '
            'format("woff2")') in css
    from fontTools.ttLib import TTFont
    font = TTFont(out / "fonts" / "CharisSIL-Regular.woff2")
    assert "Charis" in font["name"].getDebugName(1) and font.flavor == "woff2"
    assert not list(out.glob("fonts/*.woff"))
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


# -- keyboard focus, article pages ---------------------------------------------------------

def _contrast(a, b):
    """WCAG contrast ratio of each pair of pixels of two same-sized RGB pictures."""
    import numpy as np

    def luminance(image):
        c = np.asarray(image, dtype=float) / 255
        c = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
        return c @ np.array([0.2126, 0.7152, 0.0722])
    la, lb = luminance(a), luminance(b)
    return (np.maximum(la, lb) + 0.05) / (np.minimum(la, lb) + 0.05)


@pytest.mark.parametrize("name", ["index.html", "2024-summer.html",
                                  "2024-summer/summer-watering.html"])
def test_focus_is_visible_on_every_link(archive, browser, name):
    """Tab through the page; for each link the focused picture of its surroundings
    differs from the unfocused one by a ring of pixels in at least 3:1 contrast with what
    was there (WCAG 1.4.11), whatever the background (the masthead's included)."""
    import io

    from PIL import Image

    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(archive["server"].url(name))
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready")
    page.evaluate("Promise.all([...document.images].map(i => i.decode().catch(() => 0)))")

    def shot(clip):
        return Image.open(io.BytesIO(page.screenshot(clip=clip, full_page=True))).convert("RGB")

    links = page.eval_on_selector_all(
        "a[href]", "els => els.filter(e => e.tabIndex >= 0).length")
    boxes = []
    for _ in range(links):
        page.keyboard.press("Tab")
        box = page.evaluate("""() => { const e = document.activeElement;
            const r = e.getBoundingClientRect();
            return {x: r.x + scrollX, y: r.y + scrollY, w: r.width, h: r.height,
                    href: e.getAttribute('href'), tag: e.tagName}; }""")
        assert box["tag"] == "A", box
        box["clip"] = {"x": max(0, box["x"] - 8), "y": max(0, box["y"] - 8),
                       "width": box["w"] + 16, "height": box["h"] + 16}
        box["focused"] = shot(box["clip"])
        boxes.append(box)
    page.evaluate("document.activeElement.blur()")
    for box in boxes:
        plain = shot(box["clip"])
        changed = int((_contrast(box["focused"], plain) >= 3).sum())
        # At least a 2-pixel ring around the link's box.
        ring = 2 * 2 * (box["w"] + box["h"])
        assert changed >= ring, (name, box["href"], changed, ring)
    hrefs = [b["href"] for b in boxes]
    assert len(hrefs) == links >= 4
    assert hrefs[0] == "#main"
    if name != "index.html":  # the masthead's link (#0044a4 on #0044a4 once)
        assert hrefs[1].endswith("index.html")
    page.close()


def test_article_page_reads_on_a_phone(archive, browser):
    """The full text from the Markdown (past where the PDF's excerpt may stop), the photo
    in several widths, byline and date, where it is in the PDF, the next article; at
    390 px wide nothing needs sideways scrolling."""
    out, issues = archive["out"], archive["issues"]
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto((out / "2024-summer" / "midsummer-supper.html").as_uri())
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    text = " ".join(page.inner_text("article").split())
    source = (issues / "2024-summer" / "articles" / "midsummer-supper.md").read_text()
    last = source.strip().splitlines()[-1]
    assert last.startswith("Places are limited") and last in text
    assert page.inner_text("h1") == "Tickets for the midsummer supper"
    assert page.inner_text(".meta") == "by Marta Quist · June 8, 2024"  # as the PDF has it
    assert page.get_attribute(".meta time", "datetime") == "2024-06-08"
    img = page.locator("article figure img").first
    page.wait_for_function("e => e.complete && e.naturalWidth > 0", arg=img.element_handle())
    widths = [c.split()[-1] for c in img.get_attribute("srcset").split(", ")]
    assert len(widths) >= 2 and img.evaluate("e => e.getBoundingClientRect().right") <= 390
    assert img.get_attribute("alt").startswith("Long tables with lanterns")
    # Its page in the PDF really is where the title is printed.
    href = page.get_attribute(".source a", "href")
    n = int(href.rsplit("#page=", 1)[1])
    pdf_text = PdfReader(out / "pdf" / "2024-summer.pdf").pages[n - 1].extract_text()
    assert "midsummer supper" in " ".join(pdf_text.split())
    # First of the issue: a next link, no previous one; the next page links back.
    assert page.locator('a[rel="prev"]').count() == 0
    page.click('a[rel="next"]')
    assert page.inner_text("h1") == "Summer watering: a few words of advice"
    assert page.get_attribute('a[rel="prev"]', "href") == "midsummer-supper.html"
    page.close()


def test_right_to_left_issue_pages_say_so(tmp_path):
    """A Persian issue's page and its article pages are dir="rtl"; an English one not."""
    import lxml.html

    from compositor.model.content import Article, Issue, Publication
    from compositor.web.archive import ArchivedIssue, Entry
    from compositor.web.article_pages import article_page, plan_pages
    from compositor.web.site import issue_page
    from compositor.web.theme import Theme

    theme = Theme(name="چراغ بندر", tagline=None, publisher=None, website=None, colors={},
                  fonts=[])
    for language, direction in (("fa", "rtl"), ("en-GB", None)):
        article = Article(title="دربارهٔ ما", where=Location(tmp_path / "about.md"),
                          blocks=())
        issue = Issue(manifest=tmp_path / language / "issue.yaml",
                      publication=Publication(name="چراغ بندر"), date_text="مرداد ۱۴۰۲",
                      language=language, layout_ref="default", layout_where=None,
                      articles=(article,))
        a = ArchivedIssue(issue=issue, pdf=tmp_path / "x.pdf", pages=4, size=1000,
                          contents=[Entry("دربارهٔ ما", 2)], when=dt.date(2023, 8, 1),
                          lead=None)
        planned = plan_pages(a)
        assert planned[0].page == 2
        for text in (issue_page(a, theme, None, [p.link(a.name) for p in planned]),
                     article_page(a, planned, 0, theme, None)):
            root = lxml.html.document_fromstring(text)
            assert root.get("dir") == direction and root.get("lang") == language


# -- the feed, and whose archive it is -----------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"


def _entries(feed_xml: bytes) -> dict[str, dict[str, str]]:
    import xml.etree.ElementTree as ET

    root = ET.fromstring(feed_xml)
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    return {e.find(f"{ATOM}title").text: {
        "id": e.find(f"{ATOM}id").text, "published": e.find(f"{ATOM}published").text,
        "updated": e.find(f"{ATOM}updated").text, "lang": e.get(lang)}
        for e in root.findall(f"{ATOM}entry")}


def test_feed_ids_published_and_language(archive, tmp_path):
    """Ids come from the publication, not the address: the same with and without
    --base-url; `published` is the issue's day, each entry says its language; a second
    run over the same issues writes the same bytes."""
    out = archive["out"]
    with_base = (out / "feed.xml").read_bytes()
    feed = feedparser.parse(with_base)
    assert not feed.bozo
    for entry in feed.entries:
        assert entry.id.startswith("tag:millbrook-community-garden,2024:")
        assert entry.published.startswith(("2024-06-08", "2024-05-04"))
    plain = tmp_path / "site"
    assert main(["site", str(archive["issues"]), "-o", str(plain), "-q"]) == 0
    ids = {t: e["id"] for t, e in _entries(with_base).items()}
    assert {t: e["id"] for t, e in _entries((plain / "feed.xml").read_bytes()).items()} == ids
    assert len(set(ids.values())) == 2
    assert {e["lang"] for e in _entries(with_base).values()} == {"en-GB"}
    before = {p: p.read_bytes() for p in sorted(plain.rglob("*")) if p.is_file()}
    assert main(["site", str(archive["issues"]), "-o", str(plain), "-q"]) == 0
    assert {p: p.read_bytes() for p in sorted(plain.rglob("*")) if p.is_file()} == before


@pytest.fixture(scope="module")
def mixed(archive, tmp_path_factory):
    """The two issues, the spring one now of another publication, published without
    and then with the archive's own site.yaml (and a corrected summer article between)."""
    tmp = tmp_path_factory.mktemp("mixed")
    issues = tmp / "issues"
    shutil.copytree(archive["issues"], issues)
    spring = issues / "2024-spring" / "issue.yaml"
    spring.write_text(spring.read_text().replace("name: Millbrook Community Garden",
                                                 "name: Millbrook Bee Group\n"
                                                 "  key: bees.millbrook.example.org"))
    out = tmp / "site"
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["site", str(issues), "-o", str(out), "-q"]) == 0
    first = {"err": err.getvalue(), "feed": (out / "feed.xml").read_bytes(),
             "pages": {n: (out / f"{n}.html").read_text() for n in ("2024-spring",
                                                                     "2024-summer")}}
    # A correction to the summer issue, and the archive named in its own settings.
    article = issues / "2024-summer" / "articles" / "summer-watering.md"
    article.write_text(article.read_text().replace("advice", "advice (corrected)", 1))
    logo = issues / "logo.png"
    from PIL import Image
    Image.new("RGB", (80, 40), (200, 40, 40)).save(logo)
    (issues / "site.yaml").write_text("name: Millbrook Newsletters\nlogo: logo.png\n"
                                      "key: millbrook.example.org\ncolors:\n"
                                      "  masthead: '#1d3b2a'\n  accent: '#2a6a3b'\n")
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["site", str(issues), "-o", str(out), "-q"]) == 0
    second = {"err": err.getvalue(), "feed": (out / "feed.xml").read_bytes()}
    return {"out": out, "first": first, "second": second}


def test_two_publications_keep_their_names(mixed):
    import lxml.html

    first = mixed["first"]
    assert "the archive mixes issues of 2 publications (Millbrook Community Garden, " \
           "Millbrook Bee Group)" in first["err"] and "site.yaml" in first["err"]
    for name, publication in (("2024-spring", "Millbrook Bee Group"),
                              ("2024-summer", "Millbrook Community Garden")):
        doc = lxml.html.document_fromstring(first["pages"][name])
        assert doc.findtext(".//title").startswith(f"{publication}, ")
        assert doc.xpath('string(//meta[@property="og:title"]/@content)').startswith(
            publication)
        h1 = " ".join(doc.find(".//h1").text_content().split())
        assert h1.startswith(publication) or publication == "Millbrook Community Garden"
    entries = _entries(first["feed"])
    assert entries["Millbrook Bee Group, Spring 2024"]["id"] == \
        "tag:bees.millbrook.example.org,2024:2024-spring"
    assert entries["Millbrook Community Garden, June 2024"]["id"] == \
        "tag:millbrook-community-garden,2024:2024-summer"


def test_archive_settings_name_logo_and_colours(mixed):
    out, second = mixed["out"], mixed["second"]
    assert "mixes issues" not in second["err"]
    index = (out / "index.html").read_text()
    assert '<p class="name" dir="auto"><img src="logo.png" alt="" width="96" height="48">' \
           'Millbrook Newsletters</p>' in index
    from PIL import Image
    with Image.open(out / "logo.png") as logo:
        assert logo.size == (80, 40) and logo.getpixel((5, 5))[:3] == (200, 40, 40)
    css = (out / "style.css").read_text()
    assert "--masthead: #1d3b2a;" in css and "--accent: #2a6a3b;" in css
    spring = (out / "2024-spring.html").read_text()
    assert "<h1><bdi>Millbrook Bee Group</bdi>, <bdi>Spring 2024</bdi></h1>" in spring
    assert '<meta property="og:site_name" content="Millbrook Newsletters">' in spring
    feed = feedparser.parse(second["feed"])
    assert feed.feed.title == "Millbrook Newsletters"
    assert feed.feed.id == "tag:millbrook.example.org,2024:archive"


def test_feed_updated_moves_when_an_issue_pdf_changes(mixed):
    before, after = _entries(mixed["first"]["feed"]), _entries(mixed["second"]["feed"])
    summer, spring = "Millbrook Community Garden, June 2024", "Millbrook Bee Group, Spring 2024"
    assert before[summer]["updated"] == before[summer]["published"] == "2024-06-08T00:00:00Z"
    assert after[summer]["published"] == before[summer]["published"]
    assert after[summer]["id"] == before[summer]["id"]
    assert after[summer]["updated"] > before[summer]["updated"]  # the rebuilt PDF's time
    assert after[spring] == before[spring]  # unchanged PDF, unchanged entry


def test_a_mistake_in_site_yaml_is_named_and_nothing_written(archive, tmp_path, capsys):
    issues = tmp_path / "issues"
    shutil.copytree(archive["issues"], issues)  # built: the PDFs are newer than the files
    (issues / "site.yaml").write_text("name: Millbrook\ncolours: {}\ncolors:\n"
                                      "  accent: green\n")
    out = tmp_path / "site"
    assert main(["site", str(issues), "-o", str(out), "--no-build", "-q"]) == 1
    err = capsys.readouterr().err
    assert "site.yaml:2: unknown key 'colours' in site.yaml (did you mean 'colors'?)" in err
    assert "site.yaml:4: 'accent' must be a colour written #rrggbb, not 'green'" in err
    assert "Traceback" not in err and not out.exists()


# -- a Persian archive ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def persian(tmp_path_factory):
    """The Persian sample issue published as an archive, served on 127.0.0.1."""
    tmp = tmp_path_factory.mktemp("persian")
    issues = tmp / "issues"
    issues.mkdir()
    shutil.copytree(ROOT / "issues" / "harbor-light-fa-1402-05", issues / "fa-1402-05",
                    ignore=shutil.ignore_patterns("build"))
    shutil.copytree(ROOT / "issues" / "assets", issues / "assets")
    for name in ("harbor-light-fa.yaml", "harbor-light-fa-layout.yaml"):
        shutil.copy(ROOT / "issues" / name, issues / name)
    out = tmp / "site"
    server = Site(out)
    assert main(["site", str(issues), "-o", str(out), "--base-url", server.address + "/",
                 "-q"]) == 0
    yield {"out": out, "server": server}
    server.close()


# Interface words of the English pages that must not show on a Persian one.
ENGLISH = ("All issues", "Skip to", "Previous", "Next", "page ", "Download", "Subscribe",
           "Inside this issue", "Read it on", "First published", " of the PDF", "pages")


@pytest.mark.parametrize("name", ["index.html", "fa-1402-05.html", "fa-1402-05/regatta.html"])
def test_persian_archive_pages_are_persian(persian, browser, name):
    need(AXE.exists(), "axe-core (npm)")
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.goto(persian["server"].url(name))
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == "fa"
    text = page.evaluate("document.body.innerText + ' ' + [...document.querySelectorAll("
                         "'.visually-hidden, [aria-label]')].map(e => e.textContent + "
                         "(e.getAttribute('aria-label') || '')).join(' ')")
    assert not [w for w in ENGLISH if w in text], text
    assert "همهٔ شماره‌ها" in text or name == "index.html"
    assert page.text_content(".skip").startswith("رفتن به")
    if name == "fa-1402-05.html":
        # The details line: each part an isolate, Persian digits, a Persian separator.
        assert page.inner_html(".facts") == "<bdi>دورهٔ ۴، شمارهٔ ۱۹</bdi> – <bdi>۴ صفحه</bdi>"
        assert page.text_content("title").startswith("چراغ بندر، مرداد ۱۴۰۲")
        assert "صفحهٔ ۱" in page.text_content(".contents")
    if name.endswith("regatta.html"):
        # The date in the Solar Hijri calendar, as the issue's layout prints it.
        assert page.get_attribute("time", "datetime") == "2023-07-22"
        assert page.text_content("time") == "۳۱ تیر ۱۴۰۲"
        assert "مطلب بعدی" in page.text_content(".steps")
    # Set in Vazirmatn from the archive's own WOFF2, not a system font.
    fonts = page.evaluate("[...document.fonts].filter(f => f.status === 'loaded')"
                          ".map(f => f.family)")
    assert "Body" in fonts or "Heading" in fonts
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]] == []
    page.close()


def test_persian_web_font_is_an_arabic_woff2_subset(persian):
    from fontTools.ttLib import TTFont

    fonts = sorted((persian["out"] / "fonts").glob("*.woff2"))
    assert [f.name for f in fonts] == ["Vazirmatn-NL-Bold.woff2", "Vazirmatn-NL-Regular.woff2"]
    for path in fonts:
        assert path.read_bytes()[:4] == b"wOF2"
        font = TTFont(str(path))
        cmap = font.getBestCmap()
        assert all(ord(c) in cmap for c in "ابپچژگیکهٔ۰۱۹\u200c")
        features = {r.FeatureTag for r in font["GSUB"].table.FeatureList.FeatureRecord}
        assert {"init", "medi", "fina"} <= features
        assert path.stat().st_size < 40_000
    css = (persian["out"] / "style.css").read_text()
    assert '"Body", "Arabic", Georgia' in css and "unicode-range: U+0600-06FF" in css


def test_arabic_face_only_where_an_issue_needs_it(archive):
    css = (archive["out"] / "style.css").read_text()
    assert "Arabic" not in css and not list((archive["out"] / "fonts").glob("Vazirmatn*"))
