"""`compositor import`: feeds, WordPress exports and saved pages from a fixture website
served on 127.0.0.1, then built and read back from the PDF."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
import yaml
from websrv import FIXTURES, serve_fixture_site

from compositor.cli import main

sys.path.insert(0, str(FIXTURES))
from make_fixtures import CLUTTER  # noqa: E402
from posts import POSTS  # noqa: E402

SITE = "https://millbrook-garden.example.org"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    s = serve_fixture_site(tmp_path_factory.mktemp("web"))
    yield s
    s.close()


def run(*args: str) -> int:
    return main([*args])


def front(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    _, head, body = text.split("---\n", 2)
    return yaml.safe_load(head), body.lstrip("\n")


def words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def assert_clean(body: str) -> None:
    for s in CLUTTER:
        assert s.lower() not in body.lower(), f"{s!r} left in the body"
    assert "<" not in body and "&amp;" not in body


def test_rss_feed_to_articles_and_manifest(site, tmp_path, capsys):
    issue = tmp_path / "issue"
    assert run("import", site.url("feed.rss"), "--into", str(issue), "--limit", "10") == 0
    manifest = yaml.safe_load((issue / "issue.yaml").read_text())
    # The ten newest posts, in the feed's order (newest first).
    newest = [p[0] for p in reversed(POSTS)][:10]
    assert manifest["articles"] == [f"articles/{s}.md" for s in newest]
    assert manifest["publication"]["name"] == "Millbrook Community Garden"
    assert manifest["date"] == "June 2024" and manifest["language"] == "en-GB"
    post = dict((p[0], p) for p in POSTS)["slug-survey"]
    meta, body = front(issue / "articles" / "slug-survey.md")
    assert meta == {"title": post[1], "byline": post[2],
                    "date": __import__("datetime").date.fromisoformat(post[3]),
                    "url": f"{SITE}/2024/05/slug-survey/", "image": "../images/slug-survey.jpg",
                    "caption": post[5], "alt": post[6], "excerpt": "auto"}
    assert (issue / "images" / "slug-survey.jpg").read_bytes() == \
        (FIXTURES / "images" / post[4]).read_bytes()
    assert "> Leave a little mess. Your predators need somewhere to live." in body
    assert body.count("\n\n") >= 5  # paragraphs stay paragraphs
    for md in (issue / "articles").glob("*.md"):
        assert_clean(front(md)[1])
    assert all(a.startswith("compositor/") for a in site.agents)


def test_teaser_feed_fetches_the_pages(site, tmp_path):
    """An Atom feed with summaries only: the full text comes from each post's page, and
    the article's url is the page's canonical address, not the feed's link."""
    issue = tmp_path / "issue"
    assert run("import", site.url("feed.atom"), "--into", str(issue), "--sort", "oldest",
               "-q") == 0
    listed = yaml.safe_load((issue / "issue.yaml").read_text())["articles"]
    assert listed == ["articles/school-beds.md", "articles/hedgehog-highway.md",
                      "articles/summer-watering.md"]
    meta, body = front(issue / "articles" / "hedgehog-highway.md")
    assert meta["url"] == f"{SITE}/2024/05/hedgehog-highway/"
    assert meta["caption"] == "One of the new gaps, with its small painted sign."
    assert "without once having to cross a road." in body  # the last paragraph
    assert_clean(body)


def test_wordpress_export(site, tmp_path):
    issue = tmp_path / "issue"
    assert run("import", site.url("export.wxr"), "--into", str(issue), "-q") == 0
    listed = yaml.safe_load((issue / "issue.yaml").read_text())["articles"]
    assert listed == ["articles/spring-seed-swap.md", "articles/pond-dipping.md",
                      "articles/bee-group.md"]  # no draft, no page
    meta, body = front(issue / "articles" / "pond-dipping.md")
    assert meta["byline"] == "Priya Sandoval"  # display name, not the login
    assert meta["caption"] == "Nets out at the wildlife pond." and meta["image"]
    assert meta["alt"].startswith("Children kneeling")
    assert "[caption" not in body and "[gallery" not in body and "Nets out" not in body
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    assert paragraphs[0].startswith("The wildlife pond") and len(paragraphs) == 5
    meta, body = front(issue / "articles" / "spring-seed-swap.md")
    assert "## What we learned" in body and "- Bring envelopes." in body


@pytest.mark.parametrize("slug", ["open-day", "pond-dipping"])
def test_saved_page_keeps_the_article_and_nothing_else(site, tmp_path, slug):
    """A page with sharing tags and one without: the same article either way."""
    issue = tmp_path / "issue"
    page = site.root / "posts" / f"{slug}.html"
    # The saved page's photo is on the test server (127.0.0.1): a local network address
    # that a page may make import reach only with --allow-private.
    assert run("import", str(page), "--into", str(issue), "-q", "--allow-private") == 0
    post = dict((p[0], p) for p in POSTS)[slug]
    meta, body = front(issue / "articles" / f"{slug}.md")
    assert meta["title"] == post[1] and meta["byline"] == post[2]
    assert str(meta["date"]) == post[3]
    assert meta["url"] == f"{SITE}/{post[3][:4]}/{post[3][5:7]}/{slug}/"
    assert meta["caption"] == post[5] and meta["alt"] == post[6]
    expected = [words(p) for p in re.findall(r"<p>(.*?)</p>", post[7], re.S)]
    got = [" ".join(p.split()) for p in body.split("\n\n") if p.strip()]
    assert got == expected
    assert_clean(body)


def test_reimport_updates_and_keeps_hand_edits(site, tmp_path, capsys):
    issue = tmp_path / "issue"
    feed = site.url("feed.rss")
    assert run("import", feed, "--into", str(issue), "--limit", "3", "-q") == 0
    again = run("import", feed, "--into", str(issue), "--limit", "3")
    out = capsys.readouterr().out
    assert again == 0 and out.count("unchanged articles/") == 3
    assert len(yaml.safe_load((issue / "issue.yaml").read_text())["articles"]) == 3
    # A hand edit survives a re-import...
    edited = issue / "articles" / "summer-watering.md"
    text = edited.read_text().replace("A few habits", "Three habits")
    edited.write_text(text)
    assert run("import", feed, "--into", str(issue), "--limit", "3") == 0
    assert "kept articles/summer-watering.md" in capsys.readouterr().out
    assert edited.read_text() == text
    # ...until --force.
    assert run("import", feed, "--into", str(issue), "--limit", "3", "--force", "-q") == 0
    assert "Three habits" not in edited.read_text()
    # An untouched article follows the site: a changed title is updated in place.
    src = site.root / "feed.rss"
    original = src.read_text()
    try:
        src.write_text(original.replace("Tickets for the midsummer supper",
                                        "Tickets on sale for the midsummer supper"))
        assert run("import", feed, "--into", str(issue), "--limit", "3") == 0
        assert "updated articles/midsummer-supper.md" in capsys.readouterr().out
    finally:
        src.write_text(original)
    assert front(issue / "articles" / "midsummer-supper.md")[0]["title"] == \
        "Tickets on sale for the midsummer supper"
    assert sorted(p.name for p in (issue / "articles").iterdir()) == [
        "hedgehog-highway.md", "midsummer-supper.md", "summer-watering.md"]


def test_appends_to_an_existing_manifest_keeping_its_comments(site, tmp_path):
    issue = tmp_path / "issue"
    (issue / "articles").mkdir(parents=True)
    (issue / "articles" / "editorial.md").write_text("---\ntitle: From the chair\n---\n\nHi.\n")
    manifest = issue / "issue.yaml"
    manifest.write_text("# Spring issue\npublication:\n  name: The Compost Heap\n"
                        "date: Spring 2024   # as printed\narticles:\n"
                        "- articles/editorial.md   # always first\n"
                        "boxes: []\n")
    assert run("import", site.url("feed.rss"), "--into", str(issue), "--since", "2024-06-01",
               "--sort", "oldest", "-q") == 0
    text = manifest.read_text()
    assert text.startswith("# Spring issue\n") and "# always first" in text
    assert yaml.safe_load(text)["articles"] == [
        "articles/editorial.md", "articles/summer-watering.md", "articles/midsummer-supper.md"]
    assert run("check", str(manifest)) == 0


def test_photo_failures_cost_only_the_photo(site, tmp_path, capsys):
    """Timeouts, 404s, oversize answers and non-pictures leave the article without an
    image (and a warning naming the address); a redirect is followed."""
    cases = {"moved": "moved/pond.jpg", "missing": "images/no-such-photo.jpg",
             "slow": "slow/bees.jpg", "huge": "huge/big.jpg",
             "notpicture": "page-not-picture/x.jpg"}
    items = "".join(f"""<item><title>Photo case {name}</title>
<link>{SITE}/cases/{name}/</link><pubDate>Sat, 01 Jun 2024 09:00:00 +0000</pubDate>
<content:encoded><![CDATA[<p>The {name} case has a paragraph of its own text.</p>]]>
</content:encoded>
<media:content url="{site.url(path)}" medium="image"/></item>""" for name, path in cases.items())
    feed = tmp_path / "cases.rss"
    feed.write_text('<?xml version="1.0"?><rss version="2.0" '
                    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
                    'xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Cases</title>'
                    f"{items}</channel></rss>")
    issue = tmp_path / "issue"
    assert run("import", str(feed), "--into", str(issue), "--timeout", "1", "-q",
               "--allow-private") == 0  # the photos are on the test server, 127.0.0.1
    err = capsys.readouterr().err
    images = {name: front(issue / "articles" / f"{name}.md")[0].get("image") for name in cases}
    assert images == {"moved": "../images/moved.jpg", "missing": None, "slow": None,
                      "huge": None, "notpicture": None}
    assert f"{site.url(cases['missing'])}: the server answered 404" in err
    assert f"{site.url(cases['slow'])}: timed out after 1 s" in err
    assert f"{site.url(cases['huge'])}: too large" in err
    assert "page-not-picture/x.jpg: not a readable image" in err
    assert run("check", str(issue / "issue.yaml")) == 0


def test_unreadable_source_writes_nothing(site, tmp_path, capsys):
    issue = tmp_path / "issue"
    missing = site.url("no-such-feed.xml")
    assert run("import", site.url("feed.rss"), missing, "--into", str(issue)) == 1
    assert f"{missing}: the server answered 404" in capsys.readouterr().err
    assert not issue.exists()
    assert run("import", str(tmp_path / "nothing.rss"), "--into", str(issue)) == 1
    assert "file not found" in capsys.readouterr().err
    assert run("import", "http://127.0.0.1:9/feed", "--into", str(issue),
               "--timeout", "2") == 1
    assert "http://127.0.0.1:9/feed: could not connect" in capsys.readouterr().err
    assert not issue.exists()


def test_imported_issue_builds_and_reads_back(site, tmp_path):
    """The seed's case: ten posts, three pages (so the fitter must cut), French dates."""
    issue = tmp_path / "issue"
    assert run("import", site.url("feed.rss"), "--into", str(issue), "--limit", "10",
               "-q") == 0
    manifest = issue / "issue.yaml"
    manifest.write_text(manifest.read_text().replace("language: en-GB", "language: fr")
                        + "pages: 3\n")
    report = tmp_path / "fit.json"
    assert run("build", str(manifest), "-q", "--variant", "web", "-o", str(tmp_path / "w.pdf"),
               "--report", str(report)) == 0
    with pdfplumber.open(tmp_path / "w.pdf") as pdf:
        assert len(pdf.pages) == 3
        text = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)
        # Headline words: the large type (titles are 14 pt and more, body 9.4 pt).
        big = [w["text"] for p in pdf.pages
               for w in p.filter(lambda o: o.get("size", 0) >= 13).extract_words()]
    big = [w.strip(":,.;").replace("\u2019", "'") for w in big]
    pieces = {w.rstrip("-") for w in big} | {p for w in big for p in w.split("-")}

    def printed(word: str) -> bool:  # whole, or split over two lines at a hyphen
        return word in pieces or any(word[:i] in pieces and word[i:] in pieces
                                     for i in range(2, len(word) - 1))

    for post in POSTS[2:]:  # every title, in headline type
        for word in re.split(r"[\s-]+", post[1].replace(":", "")):
            assert printed(word), (word, post[1])
    assert "8 juin 2024" in text and "11 mai 2024" in text  # dates in the issue's language
    for s in CLUTTER:
        assert s not in text
    fit = json.loads(report.read_text())
    cut = [a for a in fit["articles"] if a["words_kept"] < a["words_total"]]
    assert cut, "three pages should force the fitter to shorten some excerpts"
    assert text.count("…") >= len(cut)
    # Each shortened article's link sits right under an ellipsis in the same column.
    links = []  # (page, x0, x1, top, uri)
    with pikepdf.open(tmp_path / "w.pdf") as pdf:
        for n, page in enumerate(pdf.pages):
            height = float(page.mediabox[3])
            for annot in page.obj.get("/Annots", []):
                if "/A" in annot and "/URI" in annot.A:
                    x0, _y0, x1, y1 = (float(v) for v in annot.Rect)
                    links.append((n, x0, x1, height - y1, str(annot.A.URI)))
    with pdfplumber.open(tmp_path / "w.pdf") as pdf:
        dots = [(n, c["x0"], c["top"]) for n, p in enumerate(pdf.pages)
                for c in p.chars if c["text"] == "…"]
    by_title = {p[1]: p for p in POSTS}
    for a in cut:
        title = a["title"].replace("\u2019", "'").rstrip("…")  # typeset with curly quotes
        post = next(p for t, p in by_title.items() if t.startswith(title))
        url = f"{SITE}/{post[3][:4]}/{post[3][5:7]}/{post[0]}/"
        placed = [(n, x0, x1, top) for n, x0, x1, top, uri in links if uri == url]
        assert placed, f"no link to {url}"
        assert any(dn == n and x0 - 2 <= dx <= x1 + 2 and 0 < top - dtop < 40
                   for n, x0, x1, top in placed for dn, dx, dtop in dots), url


def test_article_urls_keep_structure(site, tmp_path):
    """Article addresses as sources: subheads, numbered and bulleted lists, links and
    block quotes come through as Markdown; the page's clutter does not."""
    issue = tmp_path / "issue"
    assert run("import", site.url("posts/compost-course.html"),
               site.url("posts/tool-shed-rota.html"), site.url("posts/new-water-butts.html"),
               "--into", str(issue), "--sort", "date", "-q") == 0
    listed = yaml.safe_load((issue / "issue.yaml").read_text())["articles"]
    assert listed == ["articles/tool-shed-rota.md", "articles/compost-course.md",
                      "articles/new-water-butts.md"]
    _, compost = front(issue / "articles" / "compost-course.md")
    assert "\n## Greens and browns\n" in compost
    assert "1. Chop large stems before they go in.\n2. Tear cardboard" in compost
    _, shed = front(issue / "articles" / "tool-shed-rota.md")
    assert "- Clean a tool before you hang it up.\n- Sign the book" in shed
    _, butts = front(issue / "articles" / "new-water-butts.md")
    assert "> Carrying cans uphill was the main reason people gave up those plots." in butts
    for body in (compost, shed, butts):
        assert_clean(body)


def test_not_a_page_or_feed(tmp_path, capsys):
    junk = tmp_path / "photo.rss"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    empty = tmp_path / "empty.html"
    empty.write_text("")
    for source in (junk, empty):
        assert run("import", str(source), "--into", str(tmp_path / "issue")) == 1
        err = capsys.readouterr().err
        assert str(source.name) in err and "Traceback" not in err
    assert not (tmp_path / "issue").exists()


def test_saved_page_uses_its_own_photo_and_no_other_local_file(tmp_path, capsys):
    """'Save page, complete' keeps the photo beside the page: it is used, offline. A page
    whose photo points outside its folder (or at file:) gets no image."""
    folder = tmp_path / "saved"
    (folder / "Open day_files").mkdir(parents=True)
    shutil.copy(FIXTURES / "images" / "openday.jpg", folder / "Open day_files" / "photo.jpg")
    page = (FIXTURES / "posts" / "open-day.html").read_text()
    page = page.replace('<img src="http://127.0.0.1:8000/images/openday.jpg"',
                        '<img src="Open%20day_files/photo.jpg"')
    (folder / "open-day.html").write_text(page.replace(
        '<meta property="og:image" content="http://127.0.0.1:8000/images/openday.jpg">',
        '<meta property="og:image" content="http://127.0.0.1:9/offline.jpg">'))
    secret = tmp_path / "secret.jpg"
    shutil.copy(FIXTURES / "images" / "pond.jpg", secret)
    (folder / "sneaky.html").write_text(
        "<html><head><title>Sneaky</title><link rel=canonical href='https://e.example/s'>"
        f"</head><body><article><h1>Sneaky</h1><figure><img src='{secret.as_uri()}'>"
        "<figcaption>x</figcaption></figure><p>" + "Some words here. " * 30 +
        "</p></article></body></html>")
    issue = tmp_path / "issue"
    assert run("import", str(folder / "open-day.html"), str(folder / "sneaky.html"),
               "--into", str(issue), "-q") == 0
    assert front(issue / "articles" / "open-day.md")[0]["image"] == "../images/open-day.jpg"
    assert (issue / "images" / "open-day.jpg").read_bytes() == \
        (FIXTURES / "images" / "openday.jpg").read_bytes()
    assert "image" not in front(issue / "articles" / "s.md")[0]
    assert "photo must be in the page's folder" in capsys.readouterr().err


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_other_page_shapes_and_undeclared_encodings(tmp_path, encoding):
    """A hand-made site: camelCase class names, no sharing tags, no declared charset."""
    page = tmp_path / "boote.html"
    page.write_bytes(("""<html lang="de"><head><title>Drei neue Boote | Ruderverein</title>
<link rel="canonical" href="https://verein.example.de/neues/drei-neue-boote"></head><body>
<div id="cookieConsent"><p>Diese Website verwendet Cookies.</p>
<a href="#">Alle akzeptieren</a></div>
<div class="siteNav"><a href="/">Start</a> <a href="/termine">Termine</a></div>
<div class="post"><h1>Drei neue Boote</h1>
<p class="postMeta">Von <span class="author">Jürgen Weiß</span>,
<time datetime="2024-04-20">20. April 2024</time></p>
<p>Der Verein hat im Frühjahr drei neue Boote gekauft, die ab sofort allen Mitgliedern zur
Verfügung stehen. Finanziert wurden sie über Spenden und einen Zuschuss der Stadt.</p>
<p>Die Einweihung findet am Samstag statt. Alle sind herzlich eingeladen, mit uns zu feiern
und die Boote auf dem Wasser auszuprobieren.</p>
<div class="socialShare">Teilen auf Facebook</div></div>
<div class="commentList"><p>Toller Beitrag! Wir kommen gerne vorbei und bringen Kuchen mit,
wenn das Wetter mitspielt und der Steg nicht wieder überflutet ist.</p></div>
</body></html>""").encode(encoding))
    issue = tmp_path / "issue"
    assert run("import", str(page), "--into", str(issue), "-q") == 0
    meta, body = front(issue / "articles" / "drei-neue-boote.md")
    assert meta["title"] == "Drei neue Boote" and meta["byline"] == "Jürgen Weiß"
    assert str(meta["date"]) == "2024-04-20"
    assert body.startswith("Der Verein hat im Frühjahr") and "Verfügung" in body
    for clutter in ("Cookies", "akzeptieren", "Termine", "Teilen", "Kuchen", "Von Jürgen"):
        assert clutter not in body
    assert yaml.safe_load((issue / "issue.yaml").read_text())["language"] == "de"


def test_wordpress_post_without_featured_image_uses_its_captioned_picture(site, tmp_path):
    export = tmp_path / "export.wxr"
    export.write_text((site.root / "export.wxr").read_text().replace(
        "<![CDATA[_thumbnail_id]]>", "<![CDATA[_edit_lock]]>"))
    issue = tmp_path / "issue"
    assert run("import", str(export), "--into", str(issue), "-q", "--allow-private") == 0
    meta, body = front(issue / "articles" / "pond-dipping.md")
    assert meta["image"] == "../images/pond-dipping.jpg"
    assert meta["caption"] == "Nets out at the wildlife pond."
    assert meta["alt"].startswith("Children kneeling") and "Nets out" not in body
    assert "image" not in front(issue / "articles" / "bee-group.md")[0]


def test_post_date_is_the_day_the_site_wrote(tmp_path):
    """Half past midnight in Berlin is still the 8th, though it is the 7th in UTC."""
    feed = tmp_path / "late.rss"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Late</title>'
                    "<item><title>Midnight swim</title><link>http://127.0.0.1:9/swim</link>"
                    "<pubDate>Sat, 08 Jun 2024 00:30:00 +0200</pubDate>"
                    "<description>&lt;p&gt;The pond at midnight.&lt;/p&gt;</description>"
                    "</item></channel></rss>")
    issue = tmp_path / "issue"
    assert run("import", str(feed), "--into", str(issue), "--timeout", "1", "-q") == 0
    assert str(front(issue / "articles" / "swim.md")[0]["date"]) == "2024-06-08"
