"""`compositor import` keeps every photo a post shows, not only the lead: figures of the
body become Markdown figures with their captions, each photo fetched under the same
rules as the lead's (http(s) only, resolved against the post's own address, no other
local address) or, for a saved page, copied from beside it and never from outside."""

from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
import pytest
import yaml
from websrv import FIXTURES, serve_fixture_site

from compositor.cli import main

WORDS = "The volunteers walked the hedgerow and counted what they found there. " * 6


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    s = serve_fixture_site(tmp_path_factory.mktemp("web"))
    yield s
    s.close()


def front(path: Path) -> tuple[dict, str]:
    _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(head), body


def test_feed_item_keeps_its_body_photos(site, tmp_path, capsys):
    item = f"{site.address}/blog/2024/hedgerow-walk/"
    # Relative to the item's own link, this photo is /blog/2024/hedgerow-walk/photos/…;
    # against the feed's address it would be /blog/photos/…, which does not exist.
    walk = site.root / "blog" / "2024" / "hedgerow-walk" / "photos"
    walk.mkdir(parents=True)
    shutil.copy(FIXTURES / "images" / "bees.jpg", walk / "bees.jpg")
    body = (f"<p>{WORDS}</p>"
            '<figure><img src="/images/beds.jpg" alt="Beds"><figcaption>Lead</figcaption>'
            "</figure>"
            '<figure><img src="photos/bees.jpg" alt="Bees on the lavender">'
            "<figcaption>Bees on the lavender by the gate.</figcaption></figure>"
            f"<p>{WORDS}</p>"
            '<p><a href="/images/hedgehog.jpg"><img src="/images/hedgehog.jpg" '
            'alt="A hedgehog [at night]"></a></p>'
            '<p>An icon <img src="/images/seeds.jpg" alt="seed icon"> inside a line.</p>'
            '<figure><img src="http://127.0.0.1:9/private.jpg"><figcaption>Private'
            "</figcaption></figure>"
            '<figure><img src="file:///etc/hostname"><figcaption>Local</figcaption></figure>'
            f"<p>{WORDS}</p>")
    rss = ('<?xml version="1.0"?><rss version="2.0" '
           'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
           "<title>Hedgerow</title>"
           f"<link>{site.address}/blog/</link><language>en</language>"
           f"<item><title>Hedgerow walk</title><link>{item}</link>"
           "<pubDate>Sat, 01 Jun 2024 09:00:00 +0000</pubDate>"
           f'<media:content xmlns:media="http://search.yahoo.com/mrss/" url="/images/beds.jpg"'
           ' medium="image"/>'
           "<description>A walk.</description>"
           f"<content:encoded><![CDATA[{body}]]></content:encoded></item></channel></rss>")
    (site.root / "blog" / "feed-photos.rss").write_text(rss, encoding="utf-8")
    issue = tmp_path / "issue"
    assert main(["import", site.url("blog/feed-photos.rss"), "--into", str(issue)]) == 0
    err = capsys.readouterr().err
    meta, text = front(issue / "articles" / "hedgerow-walk.md")
    assert meta["image"] == "../images/hedgerow-walk.jpg"  # the lead, not repeated below
    assert "Lead" not in text and "beds" not in text
    assert '![Bees on the lavender by the gate.](../images/hedgerow-walk-2.jpg ' \
           '"Bees on the lavender")' in text
    assert '![](../images/hedgerow-walk-3.jpg "A hedgehog [at night]")' in text
    assert (issue / "images" / "hedgerow-walk-2.jpg").read_bytes() == \
        (FIXTURES / "images" / "bees.jpg").read_bytes()
    assert (issue / "images" / "hedgerow-walk-3.jpg").read_bytes() == \
        (FIXTURES / "images" / "hedgehog.jpg").read_bytes()
    assert text.index("Bees on") < text.index("hedgerow-walk-3")  # in reading order
    assert "An icon inside a line." in text and "seeds" not in text  # an inline icon
    # A photo on another address of this computer, and one that is a local file: refused.
    assert "127.0.0.1:9/private.jpg" in err and "private network address" in err
    assert "'file:///etc/hostname' in the text is not an http(s) address" in err
    assert "Private" not in text and "Local" not in text
    assert sorted(p.name for p in (issue / "images").iterdir()) == [
        "hedgerow-walk-2.jpg", "hedgerow-walk-3.jpg", "hedgerow-walk.jpg"]
    assert "/blog/2024/hedgerow-walk/photos/bees.jpg" in site.paths

    # The figures print: the article's page holds the lead and both body photos.
    out = tmp_path / "web.pdf"
    assert main(["build", str(issue / "issue.yaml"), "--variant", "web", "-o", str(out),
                 "-q", "--no-preflight"]) == 0
    with pdfplumber.open(out) as pdf:
        shown = sum(len(p.images) for p in pdf.pages)
        words = " ".join(p.extract_text() or "" for p in pdf.pages)
    assert shown == 3
    assert "Bees on the lavender by the gate." in " ".join(words.split())

    # Imported again: the same files, nothing new.
    before = {p.name: p.read_bytes() for p in (issue / "images").iterdir()}
    assert main(["import", site.url("blog/feed-photos.rss"), "--into", str(issue), "-q"]) == 0
    assert {p.name: p.read_bytes() for p in (issue / "images").iterdir()} == before


def test_saved_page_follows_its_asset_folder_and_nothing_outside(tmp_path, capsys):
    folder = tmp_path / "saved"
    assets = folder / "Hedgerow walk_files"
    assets.mkdir(parents=True)
    shutil.copy(FIXTURES / "images" / "openday.jpg", assets / "lead.jpg")
    shutil.copy(FIXTURES / "images" / "pond.jpg", assets / "pond.jpg")
    shutil.copy(FIXTURES / "images" / "shed.jpg", tmp_path / "outside.jpg")
    (folder / "walk.html").write_text(
        "<html><head><title>Hedgerow walk</title>"
        "<link rel=canonical href='https://hedge.example.org/2024/walk/'></head><body>"
        "<article><h1>Hedgerow walk</h1>"
        "<figure><img src='Hedgerow%20walk_files/lead.jpg'><figcaption>Lead</figcaption>"
        f"</figure><p>{WORDS}</p>"
        "<figure><img src='Hedgerow%20walk_files/pond.jpg' alt='The pond'>"
        "<figcaption>The pond after the rain.</figcaption></figure>"
        f"<p>{WORDS}</p>"
        "<figure><img src='../outside.jpg' alt='Shed'><figcaption>The shed.</figcaption>"
        f"</figure><p>{WORDS}</p></article></body></html>", encoding="utf-8")
    issue = tmp_path / "issue"
    assert main(["import", str(folder / "walk.html"), "--into", str(issue), "-q"]) == 0
    err = capsys.readouterr().err
    meta, text = front(issue / "articles" / "walk.md")
    assert meta["image"] == "../images/walk.jpg"
    assert (issue / "images" / "walk.jpg").read_bytes() == (assets / "lead.jpg").read_bytes()
    assert '![The pond after the rain.](../images/walk-2.jpg "The pond")' in text
    assert (issue / "images" / "walk-2.jpg").read_bytes() == (assets / "pond.jpg").read_bytes()
    # Outside the page's folder: refused, and not copied.
    assert "The shed." not in text
    assert not any(p.read_bytes() == (tmp_path / "outside.jpg").read_bytes()
                   for p in (issue / "images").iterdir())
    assert "https://hedge.example.org/2024/walk/: warning: photo file:" in err
    assert "outside.jpg: a saved page's photo must be in the page's folder" in err
