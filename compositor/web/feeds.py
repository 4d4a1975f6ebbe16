"""Feeds (RSS 2.0, Atom, through feedparser) and WordPress exports (WXR) -> Posts."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import feedparser
import lxml.html

from compositor.web.post import Post, parse_date, text_of

_WXR_NS = re.compile(rb"xmlns:wp=[\"']http://wordpress\.org/export/")


@dataclass
class Channel:
    """What a feed says about the site itself, used when an issue.yaml is created."""

    title: str | None = None
    tagline: str | None = None
    link: str | None = None
    language: str | None = None
    posts: list[Post] = field(default_factory=list)


def sniff(data: bytes) -> str:
    """'wxr', 'feed' or 'html' from the first bytes of a document."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if _WXR_NS.search(data[:20000]):
        return "wxr"
    if head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf")) and re.search(
            rb"<(rss|feed|rdf:rdf)[\s>]", head):
        return "feed"
    return "html"


def read_feed(data: bytes, origin: str, base_url: str | None = None) -> Channel:
    parsed = feedparser.parse(data, response_headers={"content-location": base_url}
                              if base_url else None, sanitize_html=True,
                              resolve_relative_uris=True)
    if parsed.bozo and not parsed.entries:
        raise ValueError(f"not a readable RSS or Atom feed ({parsed.bozo_exception})")
    feed = parsed.feed
    channel = Channel(title=text_of(feed.get("title")), tagline=text_of(feed.get("subtitle")),
                      link=feed.get("link"),
                      language=feed.get("language"))
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
        image, caption, alt = _entry_image(entry, html)
        title = text_of(entry.get("title")) or ""
        channel.posts.append(Post(
            title=title, html=html, origin=f"{origin}, entry {i} ('{title or '?'}')",
            url=entry.get("link"), byline=text_of(entry.get("author")), date=date,
            image_url=image, caption=caption, alt=alt, base=entry.get("link") or base_url,
            language=channel.language, summary_only=summary_only))
    return channel


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
        raise ValueError(f"not a readable WordPress export ({exc})") from None
    wp = next((ns for ns in re.findall(r'xmlns:wp="([^"]+)"', data[:20000].decode(
        "utf-8", "replace"))), "http://wordpress.org/export/1.2/")
    ns = dict(_NS, wp=wp)
    ns["excerpt"] = wp.rstrip("/") + "/excerpt/"
    channel_el = root.find("channel")
    if channel_el is None:
        raise ValueError("not a WordPress export: no <channel>")
    channel = Channel(title=text_of(channel_el.findtext("title")),
                      tagline=text_of(channel_el.findtext("description")),
                      link=channel_el.findtext("link"),
                      language=channel_el.findtext("language"))
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
        channel.posts.append(Post(
            title=title, html=html, origin=f"{origin}, post {n} ('{title or '?'}')",
            url=item.findtext("link"), byline=text_of(authors.get(login) or login),
            date=date, image_url=image, caption=caption, alt=alt, base=item.findtext("link"),
            language=channel.language))
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
