"""Feeds (RSS 2.0, Atom, through feedparser) and WordPress exports (WXR) -> Posts."""

from __future__ import annotations

import codecs
import datetime as dt
import email.utils
import re
import xml.etree.ElementTree as ET
import xml.sax
from dataclasses import dataclass, field
from urllib.parse import urljoin

import feedparser
import lxml.html

from compositor.web.post import Post, SourceError, parse_date, text_of, web_address

_WXR_NS = re.compile(rb"xmlns:wp=[\"']http://wordpress\.org/export/")


@dataclass
class Channel:
    """What a feed says about the site itself, used when an issue.yaml is created."""

    title: str | None = None
    tagline: str | None = None
    link: str | None = None       # the site's http(s) address, None when it gave no usable one
    language: str | None = None
    posts: list[Post] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was read leniently or left out


# What may come before the root element of an XML document: space, the declaration and
# other processing instructions, comments, a doctype (with an internal subset).
_PROLOG = re.compile(r"(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*", re.S | re.I)
_ROOT = re.compile(r"<([A-Za-z_][\w:.-]*)([^>]*)>?")
_HEAD = 1024 * 1024  # how much of a document is decoded to find its root element
_XML_BOMS = ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"), (b"\xef\xbb\xbf", "utf-8"))


def sniff(data: bytes) -> str:
    """'wxr', 'feed' or 'html' from the root element of a document, found past however
    long a prolog of comments and processing instructions comes before it."""
    text = _head_text(data)
    prolog = _PROLOG.match(text)
    root = _ROOT.match(text, prolog.end() if prolog else 0)
    name = root[1].lower() if root else ""
    if name == "rss" and _WXR_NS.search(root[2].encode("utf-8", "replace")):
        return "wxr"
    if name in ("rss", "feed", "rdf:rdf"):
        return "feed"
    return "html"


def _head_text(data: bytes) -> str:
    """The start of the document as text (UTF-16 feeds are read by their mark)."""
    for bom, name in _XML_BOMS:
        if data.startswith(bom):
            return codecs.decode(data[len(bom):_HEAD], name, "replace")
    if data[:2] == b"<\0":
        return data[:_HEAD].decode("utf-16-le", "replace")
    if data[:2] == b"\0<":
        return data[:_HEAD].decode("utf-16-be", "replace")
    return data[:_HEAD].decode("utf-8", "replace")


def read_feed(data: bytes, origin: str, base_url: str | None = None) -> Channel:
    # Relative addresses are resolved here against each post's own address, not by
    # feedparser against the feed's.
    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    problem = parsed.get("bozo_exception") if parsed.bozo else None
    if problem is not None and not parsed.entries:
        raise SourceError(f"not a readable RSS or Atom feed ({problem})", _line_of(problem))
    feed = parsed.feed
    channel = Channel(title=text_of(feed.get("title")), tagline=text_of(feed.get("subtitle")),
                      language=feed.get("language"))
    channel.link = _site_link(feed.get("link"), "site's", channel.notes)
    if isinstance(problem, xml.sax.SAXException):
        _check_complete(data, problem, channel)
    for i, entry in enumerate(parsed.entries, 1):
        contents = entry.get("content") or []
        html = next((c.value for c in contents if "html" in (c.get("type") or "")), None)
        if html is None and contents:
            html = contents[0].value
        summary_only = html is None
        if html is None:
            html = entry.get("summary", "")
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        date = _written_date(entry.get("published") or entry.get("updated")) or (
            dt.date(*stamp[:3]) if stamp else None)
        title = text_of(entry.get("title")) or ""
        notes: list[str] = []
        link = entry.get("link")
        if isinstance(link, str) and web_address(base_url) and _PLAIN.fullmatch(link.strip()):
            link = urljoin(base_url, link.strip())  # a relative link is the feed's site's
        url = _post_link(link, notes)
        base = url or web_address(base_url)
        image, caption, alt = _entry_image(entry, html)
        channel.posts.append(Post(
            title=title, html=html, origin=f"{origin}, entry {i} ('{title or '?'}')",
            url=url, byline=text_of(entry.get("author")), date=date,
            image_url=_image_address(image, base, notes), caption=caption, alt=alt,
            base=base, language=channel.language, summary_only=summary_only, notes=notes))
    return channel


# No space or control character (urljoin would silently drop a newline, not refuse it).
_PLAIN = re.compile(r"[^\s\x00-\x1f\x7f-\x9f]+")


def _line_of(problem: object) -> int:
    try:
        return int(problem.getLineNumber())  # type: ignore[attr-defined]
    except (AttributeError, TypeError, ValueError):
        return 0


_CLOSING = re.compile(rb"</(?:[\w.-]+:)?(rss|feed|RDF)\s*>\s*(?:<!--.*?-->\s*)*$", re.S)


def _check_complete(data: bytes, problem: xml.sax.SAXException, channel: Channel) -> None:
    """A feed that is not well-formed XML: an error when it stops before its closing tag
    (cut off in downloading: its last posts would be imported half or not at all), else a
    note that it was read leniently, as feedparser does for sloppy but complete feeds."""
    line = _line_of(problem)
    if not _CLOSING.search(_tail_bytes(data)):
        raise SourceError("the feed stops in the middle (no closing </rss> or </feed>): it "
                          "was cut short; download it again", line or data.count(b"\n") + 1)
    channel.notes.append(f"is not well-formed XML (line {line}: {problem.getMessage()}); "
                         "read leniently: check the imported posts")


def _tail_bytes(data: bytes) -> bytes:
    """The document's last few KB as UTF-8, trailing space removed (a UTF-16 feed is
    decoded by its byte order mark)."""
    tail = data[-8192:]
    codec = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}.get(data[:2])
    if codec:
        tail = tail[len(tail) % 2:].decode(codec, "replace").encode("utf-8")
    return tail.rstrip(b"\0 \t\r\n")


def _site_link(value: object, whose: str, notes: list[str]) -> str | None:
    link = web_address(value) if isinstance(value, str) else None
    if value and link is None:
        notes.append(f"the {whose} address {str(value)[:200]!r} is not an http(s) address; "
                     "ignored")
    return link


def _post_link(value: object, notes: list[str]) -> str | None:
    """The post's web address; a file: link (or one with a newline in it) is not used as
    its address nor to find its photo or its full text."""
    return _site_link(value, "post's", notes)


def _image_address(image: str | None, base: str | None, notes: list[str]) -> str | None:
    """The photo's http(s) address, a relative one resolved against the post's address."""
    if not image:
        return None
    image = image.strip()
    found = web_address(urljoin(base, image) if base and _PLAIN.fullmatch(image) else image)
    if found is None:
        notes.append(f"its photo {image[:200]!r} is not an http(s) address"
                     + ("" if base else " and the post has no web address to resolve it "
                                        "against") + "; left out")
    return found


def _written_date(text: str | None) -> dt.date | None:
    """The day as the site wrote it (feedparser converts to UTC, which can move a post
    published just after midnight local time to the day before)."""
    if not text:
        return None
    try:
        return email.utils.parsedate_to_datetime(text).date()  # RFC 822, as in RSS
    except (TypeError, ValueError, IndexError):
        return parse_date(text)  # RFC 3339, as in Atom


def _entry_image(entry, html: str) -> tuple[str | None, str | None, str | None]:
    """The entry's photo: media:content / an image enclosure / media:thumbnail, else the
    first picture in its content. Caption and alt come from media:description or from the
    content's figure showing the same picture."""
    url = None
    for media in entry.get("media_content") or []:
        if media.get("medium") == "image" or str(media.get("type", "")).startswith("image/"):
            url = media.get("url")
            break
    if url is None:
        url = next((link.get("href") for link in entry.get("links") or []
                    if link.get("rel") == "enclosure"
                    and str(link.get("type", "")).startswith("image/")), None)
    if url is None:
        thumbs = entry.get("media_thumbnail") or []
        url = thumbs[0].get("url") if thumbs else None
    caption = text_of(entry.get("media_description"))
    alt = None
    if html and "<img" in html:
        frag = lxml.html.fragment_fromstring(html, create_parent="div")
        imgs = frag.xpath(".//img[@src]")
        name = url.rsplit("/", 1)[-1] if url else None
        img = next((i for i in imgs if name and i.get("src", "").endswith(name)), None)
        if img is None and url is None and imgs:
            img = imgs[0]
        if img is not None:
            url = url or img.get("src")
            fig = next(iter(img.xpath("ancestor::figure[1]")), None)
            cap = fig.xpath(".//figcaption") if fig is not None else []
            caption = caption or (text_of(cap[0].text_content()) if cap else None)
            alt = text_of(img.get("alt"))
    return url, caption, alt


# WordPress eXtended RSS: an RSS file with the site's whole content, posts and pages and
# attachments as items. Read with ElementTree: feedparser would flatten the wp: fields.
_NS = {"content": "http://purl.org/rss/1.0/modules/content/",
       "excerpt": "http://wordpress.org/export/1.2/excerpt/",
       "dc": "http://purl.org/dc/elements/1.1/"}
_SHORTCODE = re.compile(r"\[/?[a-z_][\w-]*(?:\s[^\]]*)?\]")
_CAPTION = re.compile(r"\[caption[^\]]*\](.*?)\[/caption\]", re.S)


def read_wxr(data: bytes, origin: str) -> Channel:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else 0
        cut = not _CLOSING.search(data.rstrip(b"\0 \t\r\n")[-4096:])
        raise SourceError("the WordPress export stops in the middle: it was cut short; "
                          "export it again" if cut else
                          f"not a readable WordPress export ({exc})", line) from None
    wp = next((ns for ns in re.findall(r'xmlns:wp="([^"]+)"', data[:20000].decode(
        "utf-8", "replace"))), "http://wordpress.org/export/1.2/")
    ns = dict(_NS, wp=wp)
    ns["excerpt"] = wp.rstrip("/") + "/excerpt/"
    channel_el = root.find("channel")
    if channel_el is None:
        raise ValueError("not a WordPress export: no <channel>")
    channel = Channel(title=text_of(channel_el.findtext("title")),
                      tagline=text_of(channel_el.findtext("description")),
                      language=channel_el.findtext("language"))
    channel.link = _site_link(channel_el.findtext("link"), "site's", channel.notes)
    authors = {a.findtext("wp:author_login", namespaces=ns):
               a.findtext("wp:author_display_name", namespaces=ns)
               for a in channel_el.findall("wp:author", ns)}
    items = channel_el.findall("item")
    attachments = {}
    for item in items:
        if item.findtext("wp:post_type", namespaces=ns) == "attachment":
            meta = _postmeta(item, ns)
            attachments[item.findtext("wp:post_id", namespaces=ns)] = (
                item.findtext("wp:attachment_url", namespaces=ns),
                text_of(item.findtext("excerpt:encoded", namespaces=ns)),
                text_of(meta.get("_wp_attachment_image_alt")))
    n = 0
    for item in items:
        if item.findtext("wp:post_type", namespaces=ns) != "post":
            continue
        if item.findtext("wp:status", namespaces=ns) != "publish":
            continue
        n += 1
        title = text_of(item.findtext("title")) or ""
        login = item.findtext("dc:creator", namespaces=ns)
        gmt = item.findtext("wp:post_date_gmt", namespaces=ns)
        local = item.findtext("wp:post_date", namespaces=ns)
        date = parse_date(local) or parse_date(gmt)
        html = wordpress_html(item.findtext("content:encoded", namespaces=ns) or "")
        image = caption = alt = None
        thumb = _postmeta(item, ns).get("_thumbnail_id")
        if thumb in attachments:
            image, caption, alt = attachments[thumb]
        elif "<img" in html:  # no featured image: the post's first picture
            image, caption, alt = _entry_image({}, html)
        notes: list[str] = []
        url = _post_link(item.findtext("link"), notes)
        base = url  # a relative picture is the post's own, or none at all
        channel.posts.append(Post(
            title=title, html=html, origin=f"{origin}, post {n} ('{title or '?'}')",
            url=url, byline=text_of(authors.get(login) or login),
            date=date, image_url=_image_address(image, base, notes), caption=caption,
            alt=alt, base=base, language=channel.language, notes=notes))
    return channel


def _postmeta(item, ns) -> dict[str, str]:
    return {m.findtext("wp:meta_key", namespaces=ns): m.findtext("wp:meta_value", namespaces=ns)
            for m in item.findall("wp:postmeta", ns)}


def _caption_figure(m: re.Match) -> str:
    """[caption]<a><img/></a> Text[/caption] -> a figure whose caption is the text."""
    inner = m[1].strip()
    picture = re.match(r"(?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?", inner)
    if not picture:
        return f"<figure>{inner}</figure>"
    text = inner[picture.end():].strip()
    return f"<figure>{picture[0]}<figcaption>{text}</figcaption></figure>"


def wordpress_html(raw: str) -> str:
    """Post content as stored by WordPress -> HTML: captions become figures, other
    shortcodes go, and text without <p> tags gets them, as WordPress adds them on display
    (blank line = new paragraph)."""
    raw = _CAPTION.sub(_caption_figure, raw)
    raw = _SHORTCODE.sub("", raw)
    raw = re.sub(r"<!--.*?-->", "", raw, flags=re.S)  # block-editor markers
    out = []
    for chunk in re.split(r"\n\s*\n", raw):
        chunk = chunk.strip()
        if not chunk:
            continue
        if _BLOCK.match(chunk):
            out.append(chunk)
        else:
            out.append(f"<p>{chunk}</p>")
    return "\n".join(out)


_BLOCK = re.compile(r"<(p|h[1-6]|ul|ol|li|blockquote|figure|div|table|pre|hr|section)[\s>/]",
                    re.I)
