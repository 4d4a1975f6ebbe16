"""Hostile input, third round, remote content: `compositor import` treats everything a
website says as data, and `site` writes only safe links.

A local HTTP server plays the hostile site (on 127.0.0.1, the address the user names)
and a second one plays the intranet (on 127.0.0.2, on another port of 127.0.0.1, and on
[::1]): a feed or page served by the first may name the second, and import must never
fetch from it. Every case checks the exit status, a message naming the culprit, that no
traceback is printed, and a before/after listing of the test folder: nothing changes but
the issue folder, and on failure nothing at all.
"""

from __future__ import annotations

import html
import io
import os
import re
import socket
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import lxml.html
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from compositor.cli import main
from compositor.model.content import Figure, Issue, Publication
from compositor.model.markdown import parse_markdown
from compositor.web import fetch as fetch_module
from compositor.web.archive import ArchivedIssue, Entry
from compositor.web.extract import clean_fragment, parse_page
from compositor.web.feeds import read_feed, read_wxr, sniff
from compositor.web.fetch import NetPolicy, is_private_ip
from compositor.web.markdown import html_to_markdown
from compositor.web.site import atom_feed, index_page, issue_page
from compositor.web.theme import Theme, site_href

Handler = Callable[[BaseHTTPRequestHandler], None]


# -- the servers ----------------------------------------------------------------------------

class Server:
    """A web server on `host` answering from `routes` (path -> bytes or a handler),
    recording every path asked for."""

    def __init__(self, host: str = "127.0.0.1"):
        self.routes: dict[str, tuple[str, bytes] | Handler] = {}
        self.hits: list[str] = []
        server = self

        class Answer(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                server.hits.append(self.path)
                route = server.routes.get(self.path.split("?")[0])
                try:
                    if callable(route):
                        route(self)
                    elif route is None:
                        self.send_error(404)
                    else:
                        ctype, body = route
                        self.send_response(200)
                        self.send_header("Content-Type", ctype)
                        self.send_header("Content-Length", str(len(body)))
                        self.end_headers()
                        self.wfile.write(body)
                except OSError:
                    pass  # the client hung up (timeouts, refusals)

        class Threaded(ThreadingHTTPServer):
            address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
            daemon_threads = True

        self.server = Threaded((host, 0), Answer)
        shown = f"[{host}]" if ":" in host else host
        self.address = f"http://{shown}:{self.server.server_address[1]}"
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"{self.address}/{path.lstrip('/')}"

    def add(self, path: str, body: str | bytes, ctype: str = "text/html; charset=utf-8"
            ) -> str:
        self.routes[path] = (ctype, body.encode("utf-8") if isinstance(body, str) else body)
        return self.url(path)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def hostile():
    s = Server("127.0.0.1")
    yield s
    s.close()


@pytest.fixture(scope="module")
def intranet():
    """The local network: a second host (127.0.0.2) whose pages must stay unread."""
    s = Server("127.0.0.2")
    s.add("/secret", page("Salaries 2024", "INTRANET-SECRET payroll figures " * 20))
    s.add("/photo.jpg", jpeg(), "image/jpeg")
    yield s
    s.close()


@pytest.fixture(scope="module")
def other_port():
    """Another server on the user's own host but another port: not the same host."""
    s = Server("127.0.0.1")
    s.add("/secret", page("Admin", "OTHER-PORT-SECRET " * 20))
    yield s
    s.close()


def ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


# -- documents ------------------------------------------------------------------------------

def jpeg(width: int = 400, height: int = 300) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (120, 160, 90)).save(out, "JPEG")
    return out.getvalue()


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (255, 255, 255)).save(out, "PNG")
    return out.getvalue()


def page(title: str, text: str, head: str = "", figure: str = "") -> str:
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}"
            f"</title>{head}</head><body><article><h1>{title}</h1>{figure}"
            f"<p>{html.escape(text)}</p><p>{'A second paragraph of plain words. ' * 8}</p>"
            "</article></body></html>")


def item(title: str, link: str, content: str | None = None, extra: str = "") -> str:
    body = (f"<content:encoded><![CDATA[{content}]]></content:encoded>" if content is not None
            else "<description>A short teaser.</description>")
    return (f"<item><title>{title}</title><link>{link}</link>"
            f"<pubDate>Sat, 01 Jun 2024 09:00:00 +0000</pubDate>{body}{extra}</item>")


def rss(*items: str, link: str = "https://garden.example.org/", prolog: str = "") -> str:
    return (f'<?xml version="1.0" encoding="utf-8"?>{prolog}<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Garden news</title>'
            f"<link>{link}</link><language>en</language>{''.join(items)}</channel></rss>")


def wxr(link: str, content: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Garden</title>'
            "<link>https://garden.example.org</link><language>en</language>"
            f"<item><title>Pond day</title><link>{link}</link><dc:creator>ann</dc:creator>"
            f"<content:encoded><![CDATA[{content}]]></content:encoded>"
            "<wp:post_id>7</wp:post_id><wp:post_date>2024-06-01 10:00:00</wp:post_date>"
            "<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>"
            "</channel></rss>")


WORDS = "<p>" + "The pond was dipped by twelve children and two herons. " * 6 + "</p>"


# -- running --------------------------------------------------------------------------------

def listing(folder: Path) -> dict[str, object]:
    """Every file and folder under `folder`: a file's bytes (size and modification time
    for a big one, such as the 300 MB sparse page), a folder's mode."""
    out: dict[str, object] = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        info = p.lstat()
        if p.is_file() and not p.is_symlink() and info.st_size <= 1024 * 1024:
            out[rel] = (info.st_mode, p.read_bytes())
        else:
            out[rel] = (info.st_mode, info.st_size, info.st_mtime_ns)
    return out


class Run:
    def __init__(self, code: int, out: str, err: str, changed: set[str], seconds: float):
        self.code, self.out, self.err, self.changed = code, out, err, changed
        self.seconds = seconds


def attempt(tmp: Path, capsys, *args: str) -> Run:
    """`compositor import ARGS` with the listing of `tmp` taken before and after."""
    before = listing(tmp)
    start = time.monotonic()
    code = main(["import", *args])
    seconds = time.monotonic() - start
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err, err
    after = listing(tmp)
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    run = Run(code, out, err, changed, seconds)
    if code != 0:
        assert changed == set(), f"a failed import changed {sorted(changed)}"
    else:
        # Only the issue folders named with --into (issue, issue2, ...) may change.
        assert all(k.split("/")[0].startswith(("issue", "i2")) for k in changed), \
            sorted(changed)
    return run


@pytest.fixture
def home(tmp_path) -> Path:
    """The user's private files, which no website may make import copy."""
    folder = tmp_path / "home"
    folder.mkdir()
    (folder / "private.jpg").write_bytes(jpeg(500, 400))
    return folder


def articles(issue: Path) -> dict[str, tuple[dict, str]]:
    found = {}
    for md in sorted((issue / "articles").glob("*.md")):
        text = md.read_text(encoding="utf-8")
        _, head, body = text.split("---\n", 2)
        found[md.name] = (yaml.safe_load(head), body)
    return found


def no_private_copy(issue: Path, home: Path) -> None:
    secret = (home / "private.jpg").read_bytes()
    for p in issue.rglob("*"):
        assert not (p.is_file() and p.read_bytes() == secret), f"{p} is the private file"


def blocks_of(body: str):
    return parse_markdown(body, Path("article.md"))


def links_and_figures(blocks) -> list:
    found = []
    for b in blocks:
        if isinstance(b, Figure):
            found.append(b)
        for r in getattr(b, "runs", ()):
            if r.href:
                found.append(r.href)
        for inner in getattr(b, "items", ()):
            found += links_and_figures(inner)
        found += links_and_figures(getattr(b, "blocks", ()))
    return found


# -- text stays text ------------------------------------------------------------------------

HOSTILE_TEXT = "See ![caption](/home/me/private.jpg) and [x](http://intranet/) now."


def test_markdown_in_a_page_stays_text(hostile, tmp_path, capsys, home):
    url = hostile.add("/posts/escape.html", page("Escaped words", HOSTILE_TEXT))
    issue = tmp_path / "issue"
    run = attempt(tmp_path, capsys, url, "--into", str(issue), "-q")
    assert run.code == 0
    (meta, body), = articles(issue).values()
    assert meta["title"] == "Escaped words" and "image" not in meta
    blocks = blocks_of(body)
    assert links_and_figures(blocks) == []
    text = " ".join("".join(r.text for r in b.runs) for b in blocks if hasattr(b, "runs"))
    assert HOSTILE_TEXT in text  # the reader sees exactly what the site wrote
    no_private_copy(issue, home)
    # The issue checks clean: no picture of a local file is asked for.
    assert main(["check", str(issue / "issue.yaml")]) == 0
    assert "private.jpg" not in capsys.readouterr().err


def test_markdown_in_a_feed_item_stays_text_and_real_links_stay_links(tmp_path, capsys):
    feed = tmp_path / "feed.rss"
    content = (f"<p>{html.escape(HOSTILE_TEXT)}</p><p>Details <a href='https://garden.example"
               ".org/more'>here</a> or <a href='file:///etc/passwd'>this</a> or <a href="
               "'javascript:alert(1)'>that</a>.</p>" + WORDS)
    feed.write_text(rss(item("Escaped feed", "https://garden.example.org/p/1", content)))
    issue = tmp_path / "issue"
    run = attempt(tmp_path, capsys, str(feed), "--into", str(issue), "-q")
    assert run.code == 0
    (_, body), = articles(issue).values()
    assert links_and_figures(blocks_of(body)) == ["https://garden.example.org/more"], body
    assert "!\\[caption\\](/home/me/private.jpg)" in body  # escaped, shown as written


# -- file: addresses are never the post's own -----------------------------------------------

def test_page_with_file_canonical_does_not_reach_local_files(hostile, tmp_path, capsys,
                                                             home):
    head = (f"<link rel='canonical' href='{home.as_uri()}/'>"
            f"<meta property='og:url' content='{home.as_uri()}/'>"
            "<meta property='og:image' content='private.jpg'>")
    url = hostile.add("/posts/canonical.html", page(
        "Canonical trick", "Words of the post. " * 20, head,
        "<figure><img src='private.jpg'><figcaption>Ours</figcaption></figure>"))
    issue = tmp_path / "issue"
    run = attempt(tmp_path, capsys, url, "--into", str(issue), "-q")
    assert run.code == 0
    assert f"its canonical address '{home.as_uri()}/' is not an http(s) address" in run.err
    # The relative photo is looked for on the site (where it is missing), not at home.
    assert f"photo {hostile.url('/posts/private.jpg')}: the server answered 404" in run.err
    (meta, _), = articles(issue).values()
    assert meta["url"] == url and "image" not in meta
    no_private_copy(issue, home)


@pytest.mark.parametrize("kind", ["rss", "wxr"])
def test_feed_item_with_file_link_does_not_reach_local_files(tmp_path, capsys, home, kind):
    link = f"{home.as_uri()}/"
    content = "<figure><img src='private.jpg'><figcaption>x</figcaption></figure>" + WORDS
    source = tmp_path / f"export.{kind}"
    source.write_text(rss(item("Pond day", link, content)) if kind == "rss"
                      else wxr(link, content))
    issue = tmp_path / "issue"
    run = attempt(tmp_path, capsys, str(source), "--into", str(issue), "-q")
    assert run.code == 0
    assert "the post's address 'file:" in run.err and "is not an http(s) address; ignored" \
        in run.err
    assert "its photo 'private.jpg' is not an http(s) address" in run.err
    (meta, _), = articles(issue).values()
    assert "url" not in meta and "image" not in meta
    no_private_copy(issue, home)


def test_newline_in_a_wxr_link_adds_no_front_matter(tmp_path, capsys, home):
    link = f"https://garden.example.org/pond/\nimage: {home / 'private.jpg'}\nx: y"
    export = tmp_path / "export.wxr"
    export.write_text(wxr(html.escape(link), WORDS))
    issue = tmp_path / "issue"
    run = attempt(tmp_path, capsys, str(export), "--into", str(issue), "-q")
    assert run.code == 0
    assert "the post's address 'https://garden.example.org/pond/\\nimage:" in run.err
    (meta, _), = articles(issue).values()
    assert set(meta) == {"title", "byline", "date", "excerpt"}
    text = (issue / "articles" / "pond-day.md").read_text()
    assert not re.search(r"^(image|x):", text, re.M)
    assert text.splitlines()[1].startswith("# imported by compositor from a saved page")
    no_private_copy(issue, home)


def test_addresses_in_front_matter_are_quoted(tmp_path, capsys):
    """A valid address with YAML-active characters reads back as itself."""
    link = "https://garden.example.org/a:b/#x?y=1&z='q'"
    feed = tmp_path / "feed.rss"
    feed.write_text(rss(item("Quoted", html.escape(link), WORDS)))
    issue = tmp_path / "issue"
    assert attempt(tmp_path, capsys, str(feed), "--into", str(issue), "-q").code == 0
    (meta, _), = articles(issue).values()
    assert meta["url"] == link


# -- the local network stays out of reach ---------------------------------------------------

def teaser_feed(hostile: Server, name: str, link: str) -> str:
    return hostile.add(f"/{name}.rss", rss(item(f"Teaser {name}", link)),
                       "application/rss+xml")


def test_summary_entry_linking_to_the_intranet_is_not_fetched(hostile, intranet, tmp_path,
                                                               capsys):
    secret = intranet.url("/secret")
    feed = teaser_feed(hostile, "to-intranet", secret)
    issue = tmp_path / "issue"
    run = attempt(tmp_path, capsys, feed, "--into", str(issue), "-q")
    assert run.code == 0
    assert f"{secret}: warning: is on a private network address (127.0.0.2)" in run.err
    assert "--allow-private" in run.err
    assert intranet.hits == []
    (_, body), = articles(issue).values()
    assert "INTRANET-SECRET" not in body


def test_redirect_to_the_intranet_is_not_followed(hostile, intranet, tmp_path, capsys):
    def to_intranet(h):
        h.send_response(302)
        h.send_header("Location", intranet.url("/secret"))
        h.end_headers()

    hostile.routes["/go"] = to_intranet
    feed = teaser_feed(hostile, "via-redirect", hostile.url("/go"))
    issue = tmp_path / "issue"
    run = attempt(tmp_path, capsys, feed, "--into", str(issue), "-q")
    assert run.code == 0
    assert f"{hostile.url('/go')}: warning: is on a private network address" not in run.err
    assert f"{hostile.url('/go')}: warning: redirected to {intranet.url('/secret')}, which " \
        "is on a private network address (127.0.0.2)" in run.err
    assert intranet.hits == []
    # The same redirect on the address the user named: refused too, nothing written.
    run = attempt(tmp_path, capsys, hostile.url("/go"), "--into", str(issue), "-q")
    assert run.code == 1 and f"{hostile.url('/go')}: redirected to {intranet.url('/secret')}"\
        ", which is on a private network address (127.0.0.2)" in run.err
    assert intranet.hits == []


def test_image_on_the_intranet_is_not_fetched(hostile, intranet, tmp_path, capsys):
    media = f'<media:content url="{intranet.url("/photo.jpg")}" medium="image"/>'
    feed = hostile.add("/photo.rss", rss(item("Photo post", "https://garden.example.org/p",
                                              WORDS, media)), "application/rss+xml")
    issue = tmp_path / "issue"
    run = attempt(tmp_path, capsys, feed, "--into", str(issue), "-q")
    assert run.code == 0
    assert f"photo {intranet.url('/photo.jpg')}: is on a private network address" in run.err
    assert intranet.hits == [] and not (issue / "images").exists()


def test_same_host_means_same_address_and_port(hostile, other_port, tmp_path, capsys):
    """The user's site on 127.0.0.1:P may make import read 127.0.0.1:P (and localhost:P,
    the same address), never 127.0.0.1:Q or [::1]:Q."""
    own = hostile.add("/posts/own.html", page("Own page", "OWN-PAGE-TEXT " * 30))
    as_localhost = own.replace("127.0.0.1", "localhost")
    targets = {"own": own, "localhost": as_localhost, "port": other_port.url("/secret")}
    six = None
    if ipv6_loopback():
        six = Server("::1")
        six.add("/secret", page("Six", "IPV6-SECRET " * 20))
        targets["ipv6"] = six.url("/secret")
    try:
        feed = hostile.add("/mixed.rss", rss(*(item(f"Teaser {k}", v)
                                               for k, v in targets.items())),
                           "application/rss+xml")
        issue = tmp_path / "issue"
        run = attempt(tmp_path, capsys, feed, "--into", str(issue), "-q")
        assert run.code == 0
        bodies = " ".join(b for _, b in articles(issue).values())
        assert bodies.count("OWN-PAGE-TEXT") >= 2  # own page, also as localhost
        assert "OTHER-PORT-SECRET" not in bodies and other_port.hits == []
        assert f"{other_port.url('/secret')}: warning: is on a private network" in run.err
        if six:
            assert "IPV6-SECRET" not in bodies and six.hits == []
            assert f"{six.url('/secret')}: warning: is on a private network address (::1)" \
                in run.err
    finally:
        if six:
            six.close()


@pytest.mark.parametrize("spelling", ["2130706434", "0x7f000002", "127.2", "[::ffff:127.0.0.2]"])
def test_other_spellings_of_an_intranet_address(hostile, intranet, tmp_path, capsys,
                                                spelling):
    """Numeric host names that resolve to 127.0.0.2 are checked after resolution."""
    link = f"http://{spelling}:{intranet.port}/secret"
    feed = teaser_feed(hostile, f"spelled-{spelling.strip('[]').replace(':', '-')}", link)
    run = attempt(tmp_path, capsys, feed, "--into", str(tmp_path / "issue"), "-q")
    assert run.code == 0 and intranet.hits == []
    assert f"{link}: warning: is on a private network address" in run.err


def test_allow_private_and_naming_the_intranet_directly(hostile, intranet, tmp_path,
                                                         capsys):
    feed = teaser_feed(hostile, "allowed", intranet.url("/secret"))
    issue = tmp_path / "issue"
    run = attempt(tmp_path, capsys, feed, "--into", str(issue), "-q", "--allow-private")
    assert run.code == 0 and intranet.hits == ["/secret"]
    assert "INTRANET-SECRET" in " ".join(b for _, b in articles(issue).values())
    intranet.hits.clear()
    run = attempt(tmp_path, capsys, intranet.url("/secret"), "--into", str(tmp_path / "i2"),
                  "-q")
    assert run.code == 0 and intranet.hits == ["/secret"]  # what the user names directly
    intranet.hits.clear()


@pytest.mark.parametrize("address", [
    "127.0.0.1", "127.1.2.3", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254",
    "100.64.0.1", "0.0.0.0", "::1", "::", "fc00::1", "fd12:3456::1", "fe80::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "2002:7f00:1::", "64:ff9b::a00:1", "224.0.0.1"])
def test_private_addresses(address):
    assert is_private_ip(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700::1111", "8.8.8.8"])
def test_public_addresses(address):
    assert not is_private_ip(address)


def test_the_checked_address_is_the_one_connected_to(monkeypatch):
    """A name that resolves to a private address is refused after the lookup, whatever
    the name looks like (DNS rebinding: the connection goes to the address checked)."""
    def resolve(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.2", port))]

    monkeypatch.setattr(fetch_module.socket, "getaddrinfo", resolve)
    with pytest.raises(fetch_module.FetchError, match="private network address"):
        fetch_module.fetch("http://public.example.com/x", policy=NetPolicy(), timeout=2)


# -- deadlines and sizes --------------------------------------------------------------------

def trickle(headers_first: bool) -> Handler:
    def answer(h):
        if headers_first:
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.end_headers()
            h.wfile.flush()
        else:
            h.wfile.write(b"H")  # the status line itself, a byte a second
        for _ in range(40):
            time.sleep(1)
            h.wfile.write(b"x" if headers_first else b"T")
            h.wfile.flush()
    return answer


@pytest.mark.parametrize("part", ["body", "headers"])
def test_timeout_bounds_a_server_sending_a_byte_a_second(hostile, tmp_path, capsys, part):
    hostile.routes[f"/trickle-{part}"] = trickle(part == "body")
    url = hostile.url(f"/trickle-{part}")
    run = attempt(tmp_path, capsys, url, "--into", str(tmp_path / "issue"), "--timeout", "3")
    assert run.code == 1 and f"{url}: timed out after 3 s" in run.err
    assert run.seconds < 6


def test_device_fifo_and_huge_local_sources_are_refused(tmp_path, capsys):
    fifo = tmp_path / "feed.fifo"
    os.mkfifo(fifo)
    huge = tmp_path / "huge.html"
    with huge.open("wb") as f:  # 300 MB, sparse: no disk used
        f.write(b"<html><body><p>")
        f.truncate(300 * 1024 * 1024)
    big = tmp_path / "big.html"
    big.write_bytes(b"<html><body><p>" + b"word " * (2 * 1024 * 1024))  # 10 MB
    cases = {"/dev/zero": "is not a regular file", str(fifo): "is not a regular file",
             str(huge): "is too large (300.0 MB", str(big): "is too large for a page or a "
                                                           "feed (10.0 MB"}
    for source, message in cases.items():
        run = attempt(tmp_path, capsys, source, "--into", str(tmp_path / "issue"))
        assert run.code == 1 and message in run.err, (source, run.err)
        shown = source if source.startswith("/dev") else Path(source).name
        assert shown in run.err and run.seconds < 10


# -- website links --------------------------------------------------------------------------

def test_javascript_website_is_not_copied_from_a_feed(tmp_path, capsys):
    feed = tmp_path / "feed.rss"
    feed.write_text(rss(item("Post", "https://garden.example.org/p", WORDS),
                        link="javascript://garden.example.org/%0aalert(document.domain)"))
    issue = tmp_path / "issue"
    run = attempt(tmp_path, capsys, str(feed), "--into", str(issue), "-q")
    assert run.code == 0
    assert "the site's address 'javascript://garden.example.org/%0aalert" in run.err
    manifest = yaml.safe_load((issue / "issue.yaml").read_text())
    assert "website" not in manifest["publication"]


def archived(name: str, title: str, tmp: Path, website: str | None = None) -> ArchivedIssue:
    issue = Issue(manifest=tmp / name / "issue.yaml",
                  publication=Publication(name=title, website=website), date_text=title,
                  language="en", layout_ref="default", layout_where=None, articles=())
    import datetime as dt
    return ArchivedIssue(issue=issue, pdf=tmp / "x.pdf", pages=2, size=1000,
                         contents=[Entry(title, 1)], when=dt.date(2024, 6, 1), lead=title)


def theme_for(name: str, website: str | None, tagline: str | None = None) -> Theme:
    return Theme(name=name, tagline=tagline, publisher=None, website=website, colors={},
                 fonts=[])


SAFE_SCHEMES = ("http://", "https://")


def hrefs(page_html: str) -> list[str]:
    doc = lxml.html.document_fromstring(page_html)
    return [v for el in doc.iter() if isinstance(el.tag, str)
            for k, v in el.attrib.items() if k in ("href", "src")]


def assert_safe_links(page_html: str) -> None:
    for href in hrefs(page_html):
        if ":" in href.split("/")[0] or href.startswith("//"):
            assert href.startswith(SAFE_SCHEMES), href


@pytest.mark.parametrize("website", [
    "javascript://x.example/%0aalert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
    "java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>", "file:///etc/passwd",
    "//evil.example/", "\\\\evil.example\\x", "vbscript:msgbox(1)"])
def test_archive_footer_links_only_web_addresses(tmp_path, website):
    a = archived("2024-06", "June", tmp_path, website)
    theme = theme_for("Garden", website)
    for text in (index_page([a], theme, None), issue_page(a, theme, None)):
        assert_safe_links(text)
        assert "javascript" not in " ".join(hrefs(text)).lower()
    assert site_href("https://garden.example.org/") == "https://garden.example.org/"
    assert site_href("about/") == "about/"


def test_control_character_in_a_title_keeps_feed_xml_well_formed(tmp_path):
    a = archived("2024-06", "Bell\x07 and \x1b[31mred\x00", tmp_path)
    feed = atom_feed([a], theme_for("Garden\x0b", None, "tag\x01line"),
                     "https://garden.example.org/")
    root = ET.fromstring(feed.encode("utf-8"))
    assert root.find("{http://www.w3.org/2005/Atom}title").text == "Garden"


# -- messages -------------------------------------------------------------------------------

def test_feed_after_a_long_prolog_is_read_as_a_feed(tmp_path, capsys):
    prolog = "<!-- " + "generated by a very chatty plugin " * 300 + "-->\n"
    assert len(prolog) > 4096
    feed = tmp_path / "feed.rss"
    feed.write_text(rss(item("First post", "https://garden.example.org/1", WORDS),
                        item("Second post", "https://garden.example.org/2", WORDS),
                        prolog=prolog))
    issue = tmp_path / "issue"
    run = attempt(tmp_path, capsys, str(feed), "--into", str(issue), "-q")
    assert run.code == 0
    assert sorted(articles(issue)) == ["first-post.md", "second-post.md"]


def test_feed_cut_in_the_middle_is_an_error_with_its_line(tmp_path, capsys):
    text = rss(*(item(f"Post {n}", f"https://garden.example.org/{n}", WORDS)
                 for n in range(1, 6))).replace("><", ">\n<")
    cut = tmp_path / "feed.rss"
    cut.write_text(text[: len(text) * 2 // 3])
    lines = cut.read_text().count("\n") + 1
    run = attempt(tmp_path, capsys, str(cut), "--into", str(tmp_path / "issue"))
    assert run.code == 1
    m = re.search(r"feed\.rss:(\d+): the feed stops in the middle", run.err)
    assert m and 1 <= int(m[1]) <= lines, run.err
    assert "download it again" in run.err


def test_cut_wordpress_export_is_an_error_with_its_line(tmp_path, capsys):
    text = wxr("https://garden.example.org/p", WORDS).replace("><", ">\n<")
    cut = tmp_path / "export.wxr"
    cut.write_text(text[: len(text) // 2])
    run = attempt(tmp_path, capsys, str(cut), "--into", str(tmp_path / "issue"))
    assert run.code == 1
    assert re.search(r"export\.wxr:\d+: the WordPress export stops in the middle", run.err)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_pages_are_read(hostile, tmp_path, capsys, encoding):
    text = page("Größe zählt", "Über die Brücke gehen wir langsam. " * 10)
    data = text.encode(encoding)
    if encoding != "utf-16":  # no byte order mark: the server says what it is
        url = hostile.add(f"/u16-{encoding}.html", data, f"text/html; charset={encoding}")
    else:
        url = hostile.add("/u16.html", data, "text/html")
    issue = tmp_path / "issue"
    run = attempt(tmp_path, capsys, url, "--into", str(issue), "-q")
    assert run.code == 0, run.err
    (meta, body), = articles(issue).values()
    assert meta["title"] == "Größe zählt" and "Über die Brücke" in body
    local = tmp_path / "saved.html"
    local.write_bytes(text.encode("utf-16"))
    assert attempt(tmp_path, capsys, str(local), "--into", str(tmp_path / "issue2"),
                   "-q").code == 0


def test_tracking_pixel_is_left_out(hostile, tmp_path, capsys):
    pixel = hostile.add("/pixel.png", png(1, 1), "image/png")
    photo = hostile.add("/photo.jpg", jpeg(), "image/jpeg")
    feed = tmp_path / "feed.rss"
    feed.write_text(rss(
        item("Pixel", "https://garden.example.org/pixel", WORDS,
             f'<media:content url="{pixel}" medium="image"/>'),
        item("Photo", "https://garden.example.org/photo", WORDS,
             f'<media:content url="{photo}" medium="image"/>')))
    issue = tmp_path / "issue"
    run = attempt(tmp_path, capsys, str(feed), "--into", str(issue), "-q", "--allow-private")
    assert run.code == 0
    assert f"photo {pixel}: only 1×1 pixels" in run.err
    found = articles(issue)
    assert "image" not in found["pixel.md"][0]
    assert found["photo.md"][0]["image"] == "../images/photo.jpg"
    assert sorted(p.name for p in (issue / "images").iterdir()) == ["photo.jpg"]


def test_relative_image_in_a_feed_is_resolved_against_the_post(hostile, tmp_path, capsys):
    hostile.add("/2024/pond/pond.jpg", jpeg(), "image/jpeg")
    post = hostile.url("/2024/pond/")
    feed = hostile.add("/relative.rss", rss(item(
        "Relative", post, "<figure><img src='pond.jpg'><figcaption>Pond</figcaption></figure>"
        + WORDS)), "application/rss+xml")
    issue = tmp_path / "issue"
    run = attempt(tmp_path, capsys, feed, "--into", str(issue), "-q")
    assert run.code == 0, run.err
    (meta, _), = articles(issue).values()
    assert meta["image"] == "../images/pond.jpg" and meta["caption"] == "Pond"


def test_allow_private_is_an_option_and_mistakes_are_exit_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["import", "x.rss", "--allow-private=yes", "--into", str(tmp_path / "i")])
    assert exc.value.code == 2
    assert "--allow-private" in capsys.readouterr().err
    assert not (tmp_path / "i").exists()


# -- fuzzing --------------------------------------------------------------------------------

FUZZ = settings(max_examples=2000, deadline=None, derandomize=True,
                suppress_health_check=list(HealthCheck))
QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'",
                        "\u00ab": '"', "\u00bb": '"', "\u2013": "-", "\u2014": "-"})
MARKDOWNISH = st.sampled_from([
    *"ab #>-+=*_`[]()!<>~\\&;:/.1|\"'{}", "\n", "\t", "1.", "2)", "http://intranet/",
    "![x](/etc/passwd)", "[x](http://10.0.0.1/)", "<http://a.example>", "&amp;", "&#60;",
    "```", "~~~", "    ", "\u00a0", "é", "\u202e", "***", "---", "==="])
TEXT = st.lists(MARKDOWNISH, max_size=30).map("".join)
WRAPS = st.sampled_from(["{}", "{}<br>", "<b>{}</b>", "<em>{}</em>", "<i><b>{}</b></i>",
                         "<span>{}</span>", "<code>{}</code>",
                         "<a href='https://garden.example.org/'>{}</a>",
                         "<a href='file:///etc/passwd'>{}</a>",
                         "<a href='javascript:alert(1)'>{}</a>", "<kbd>{}</kbd>"])


def flat(text: str) -> str:
    return "".join(text.translate(QUOTES).split())


def runs_text(blocks) -> str:
    out = []
    for b in blocks:
        out += ["".join(r.text for r in getattr(b, "runs", ()))]
        for inner in getattr(b, "items", ()):
            out.append(runs_text(inner))
        out.append(runs_text(getattr(b, "blocks", ())))
    return " ".join(out)


@FUZZ
@given(st.lists(st.tuples(TEXT, WRAPS), max_size=5),
       st.sampled_from(["p", "h2", "li", "blockquote", "td", "pre"]))
def test_fuzz_import_html_text_stays_text(parts, tag):
    """Any text, in any of the blocks import converts, reads back through compositor's
    own Markdown parser as the same characters, with no picture and no link but the
    page's own http(s) one."""
    inner = "".join(w.format(html.escape(t)) for t, w in parts)
    if tag == "li":
        doc = f"<ul><li>{inner}</li></ul>"
    elif tag == "td":
        doc = f"<table><tr><td>{inner}</td></tr></table>"
    else:
        doc = f"<{tag}>{inner}</{tag}>"
    body = html_to_markdown(clean_fragment(doc, None, "https://garden.example.org/"))
    blocks = blocks_of(body)
    for found in links_and_figures(blocks):
        assert found == "https://garden.example.org/", (doc, body)
    if tag != "pre":
        want = "".join(t for t, _ in parts).replace("\u202e", "")
        assert flat(runs_text(blocks)) == flat(want), (doc, body)


FEED_BITS = st.sampled_from([
    "file:///etc/passwd", "javascript:alert(1)", "http://127.0.0.1/x", "https://a.example/p",
    "https://a.example/p\nimage: /etc/passwd", "../rel/x.jpg", "", "<![CDATA[", "]]>",
    "&lt;img src=/etc/x&gt;", "&amp;", "<", "\x00", "\x07", "ö", "&xxe;", "\ufeff"])
FEED_TEXT = st.lists(FEED_BITS | st.text(max_size=8), max_size=6).map("".join)


@FUZZ
@given(FEED_TEXT, FEED_TEXT, FEED_TEXT, st.booleans(), st.integers(0, 400))
def test_fuzz_import_feeds(title, link, content, as_wxr, cut):
    """Hostile feed and export text: a Channel or a ValueError, and every address kept
    is an http(s) one without whitespace."""
    esc = html.escape
    doc = (wxr(esc(link), esc(content)) if as_wxr
           else rss(item(esc(title), esc(link), esc(content)), link=esc(link)))
    data = doc.encode("utf-8", "surrogatepass")
    if cut:
        data = data[: max(1, len(data) - cut)]
    try:
        kind = sniff(data)
        if kind == "html":
            posts = [parse_page(data, "x.html", None)]
            channel_link = None
        else:
            channel = read_wxr(data, "f") if kind == "wxr" else read_feed(data, "f")
            posts, channel_link = channel.posts, channel.link
    except ValueError:
        return
    for address in [channel_link] + [a for p in posts for a in (p.url, p.image_url, p.base)]:
        if address is not None:
            assert address.startswith(SAFE_SCHEMES) and not re.search(r"\s", address)


ARCHIVE_TEXT = st.text(max_size=30) | st.sampled_from([
    "<script>alert(1)</script>", "\" onmouseover=\"x", "javascript:alert(1)", "a\x00b\x1b",
    "]]>", "&amp;", "\ud800", "\ufffe"])
LINKS = st.sampled_from([
    None, "https://garden.example.org/", "javascript:alert(1)", "JAVASCRIPT://x%0aalert(1)",
    "data:text/html,x", "//evil.example", "about/", "file:///etc/passwd", " java script:x",
    "http://a.example/\"><script>"]) | st.text(max_size=20)


# An issue's name is its folder's: anything but "/" and NUL.
FOLDER_NAMES = st.sampled_from(["2024-06", "x y", "a&b", "<i>", "javascript:x", "%2e%2e",
                                "é", "..", "-"]) | st.text(
    st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)),
    min_size=1, max_size=12).filter(lambda n: n not in (".", ".."))


@FUZZ
@given(ARCHIVE_TEXT, ARCHIVE_TEXT, LINKS, FOLDER_NAMES)
def test_fuzz_archive_writer(title, tagline, website, name):
    """Any title, tagline, website and issue name: index and issue pages whose links are
    all http(s) or relative, and a feed.xml that parses."""
    tmp = Path("/nonexistent")
    a = archived(name, title, tmp, website)
    theme = theme_for(title or "x", website, tagline or None)
    for text in (index_page([a], theme, None), issue_page(a, theme, None)):
        assert_safe_links(text)
    ET.fromstring(atom_feed([a], theme, "https://garden.example.org/").encode(
        "utf-8", "surrogatepass"))
