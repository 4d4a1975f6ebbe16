"""A saved or fetched article page -> Post: metadata from the page's own tags, main
content through readability-lxml after the obvious page furniture is cut away.

Readability scores blocks by how much running text they hold; removing navigation,
sidebars, share bars, cookie banners and comment sections first keeps their text from
leaking into a short article, and makes its choice of container easier.
"""

from __future__ import annotations

import codecs
import json
import re
from urllib.parse import urljoin

import lxml.html
from lxml import etree
from readability import Document

from compositor.web.body_photos import BodyPhoto, is_lead, take_photos
from compositor.web.post import Post, parse_date, text_of, web_address

# Elements that are never part of an article's text.
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "form", "button", "nav",
              "aside", "footer", "svg", "canvas", "select", "input", "textarea", "dialog",
              "object", "embed", "video", "audio", "link", "meta")
_DROP_ROLES = {"navigation", "banner", "contentinfo", "complementary", "dialog",
               "alertdialog", "search", "menu", "menubar", "toolbar"}
# class/id words of page furniture, matched as whole words of the attribute
_FURNITURE = re.compile(
    r"(?:^|[\s_-])(cookies?|consent|gdpr|share|sharing|sharedaddy|social|comments?|respond|"
    r"related|newsletter|subscribe|subscription|signup|sidebar|widgets?|breadcrumbs?|"
    r"pagination|pager|advert|adverts|ads|ad|sponsor|sponsored|promo|popup|modal|"
    r"skip-link|screen-reader-text|sr-only|visually-hidden|post-navigation|nav-links|"
    r"jp-relatedposts|author-box|tags|tag-links|cat-links|entry-meta|post-meta|byline|"
    r"print-only|onetrust|cc-window|cc-banner|cmp|usercentrics)(?:$|[\s_-])", re.I)


def parse_page(data: bytes, origin: str, base_url: str | None = None,
               charset: str | None = None) -> Post:
    """Parse one article page. `base_url` is where it was fetched from (None for a file),
    `charset` what the server said the bytes are in. ValueError when it is no page."""
    text = decode_page(data, charset)
    try:
        # Parsed from UTF-8 bytes with the encoding given: a <meta charset> that
        # disagrees with what the bytes were decoded as is not obeyed twice.
        parser = lxml.html.HTMLParser(encoding="utf-8")
        doc = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, LookupError, ValueError) as exc:
        raise ValueError(f"not a readable HTML page ({exc})") from None
    meta = _meta(doc)
    ld = _json_ld(doc)
    notes: list[str] = []
    canonical = _canonical(doc, meta, ld, notes)
    # Relative addresses (the photo's) are the page's own: resolved against where it was
    # fetched, or for a saved page against its canonical web address.
    base = web_address(base_url) or canonical
    if base_url:
        canonical = canonical or web_address(base_url)
    title = text_of(_first(meta.get("og:title"), ld.get("headline"),
                           _text(doc.xpath("//article//h1")), _text(doc.xpath("//h1")),
                           _site_title(doc)))
    byline = text_of(_first(meta.get("author"), _ld_value(ld, "author", "name"),
                            _text(doc.xpath("//*[@rel='author']")),
                            _text(doc.xpath("//*[contains(concat(' ', normalize-space(@class),"
                                            " ' '), ' author ')]"))))
    date = parse_date(_first(meta.get("article:published_time"), ld.get("datePublished"),
                             _first(doc.xpath("//article//time/@datetime")),
                             _first(doc.xpath("//time/@datetime")), meta.get("date"),
                             meta.get("dc.date")))
    image = _first(meta.get("og:image"), meta.get("twitter:image"), _ld_value(ld, "image", "url"))
    language = _first(doc.xpath("/html/@lang"), meta.get("og:locale"))
    caption, alt, image, local = _figure_text(doc, image)
    alt = text_of(_first(alt, meta.get("og:image:alt")))
    _strip_furniture(doc)
    try:
        main = Document(lxml.html.tostring(doc, encoding="unicode")).summary(html_partial=True)
    except Exception as exc:  # noqa: BLE001 - readability raises its own kinds on odd pages
        raise ValueError(f"no article text could be found in the page ({exc})") from None
    main = _tidy_main(main, title, image)
    if image:
        # Only a web address is the post's photo; a relative one is resolved against
        # the post's web address (a saved page's own copy is found through `local`).
        image = web_address(urljoin(base, image) if base else image)
    return Post(title=title or "", html=main, origin=origin, url=canonical, byline=byline,
                date=date, image_url=image, caption=caption, alt=alt, base=base,
                local_image=local, notes=notes,
                language=(language or "").replace("_", "-") or None)


def _canonical(doc, meta: dict[str, str], ld: dict, notes: list[str]) -> str | None:
    """The page's own web address from <link rel=canonical>, og:url or JSON-LD; one that
    is not http(s) (file:///home/…) is ignored, so a page cannot make import treat local
    files as its own."""
    for found in (_first(doc.xpath("//link[@rel='canonical']/@href")), meta.get("og:url"),
                  ld.get("url") if isinstance(ld.get("url"), str) else None):
        if not found:
            continue
        if web_address(found):
            return web_address(found)
        notes.append(f"its canonical address {found[:200]!r} is not an http(s) address; "
                     "ignored")
    return None


_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"),
         (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe", "utf-16-le"),
         (b"\xfe\xff", "utf-16-be"))


def decode_page(data: bytes, charset: str | None = None) -> str:
    """The page's text: by its byte order mark, else the server's charset, else its own
    <meta charset>, else UTF-8 when the bytes are valid UTF-8, else Windows-1252 (what
    undeclared pages usually are). ValueError for binary data."""
    encoding = _encoding(data, charset)
    try:
        text = data.decode(encoding, "replace")
    except LookupError:
        text = data.decode("cp1252", "replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\0" in text[:4096]:
        raise ValueError("not an HTML page, a feed or a WordPress export (binary data)")
    return text


def _encoding(data: bytes, charset: str | None) -> str:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    # UTF-16 without a mark: every other byte of the leading markup is zero.
    if data[:2] == b"<\0" or (data[:1] == b"\0" and data[1:2] == b"<"):
        return "utf-16-le" if data[:1] == b"<" else "utf-16-be"
    if charset and _known(charset):
        return _ascii_safe(charset)
    m = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", data[:4096], re.I)
    if m and _known(m[1].decode("ascii")):
        return _ascii_safe(m[1].decode("ascii"))
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def _known(name: str) -> bool:
    try:
        codecs.lookup(name)
        return True
    except LookupError:
        return False


def _ascii_safe(name: str) -> str:
    """A declared UTF-16/32 on bytes without a mark or zeros is a mislabel (HTML says to
    read such a page as UTF-8); Latin-1 is read as Windows-1252, as browsers do."""
    codec = codecs.lookup(name).name
    if codec.startswith(("utf-16", "utf-32")):
        return "utf-8"
    return "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec


def _first(*values):
    for v in values:
        if isinstance(v, list):
            v = v[0] if v else None
        if isinstance(v, str) and v.strip():
            return v.strip()
    return None


def _text(elements) -> str | None:
    return " ".join(elements[0].text_content().split()) if elements else None


def _site_title(doc) -> str | None:
    """<title> without the ' | Site name' or ' – Site name' tail."""
    title = _text(doc.xpath("//title"))
    if not title:
        return None
    return re.split(r"\s+[|–—-]\s+", title)[0]


def _meta(doc) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in doc.xpath("//meta[@content]"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        if key and key not in out:
            out[key] = m.get("content")
    return out


def _json_ld(doc) -> dict:
    """The first schema.org Article-like object in the page's JSON-LD, or {}."""
    for script in doc.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if not isinstance(item, dict):
                continue
            stack.extend(item.get("@graph") or [])
            kind = item.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(str(k).endswith(("Article", "BlogPosting", "NewsArticle", "Report"))
                   for k in kinds):
                return item
    return {}


def _ld_value(ld: dict, key: str, field: str) -> str | None:
    """A JSON-LD property that may be text, an object with `field`, or a list of either
    (the first is taken)."""
    value = ld.get(key)
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        return value.get(field)
    return value if isinstance(value, str) else None

def _figure_text(doc, image: str | None
                 ) -> tuple[str | None, str | None, str | None, str | None]:
    """Caption and alt of the lead photo: the figure showing `image`, else the article's
    first figure (whose picture then becomes the lead photo when the page names none)."""
    figures = doc.xpath("//article//figure[.//img]") or doc.xpath("//main//figure[.//img]") \
        or doc.xpath("//figure[.//img]")
    chosen = None
    if image:
        name = image.rsplit("/", 1)[-1].split("?")[0]
        chosen = next((f for f in figures for img in f.xpath(".//img")
                       if name and name in (img.get("src") or "")), None)
    if chosen is None and figures and not image:
        chosen = figures[0]
    if chosen is None:
        if image:
            img = next((i for i in doc.xpath("//img") if image.rsplit("/", 1)[-1]
                        in (i.get("src") or "")), None)
            if img is not None:
                return None, img.get("alt"), image, img.get("src")
        return None, None, image, None
    img = chosen.xpath(".//img")[0]
    caption = text_of(_text(chosen.xpath(".//figcaption")))
    return caption, text_of(img.get("alt")), image or img.get("src"), img.get("src")


def _classes(el) -> str:
    """class and id, with camelCase split into words ('cookieConsent' -> 'cookie-Consent')."""
    return re.sub(r"([a-z])([A-Z])", r"\1-\2", f"{el.get('class') or ''} {el.get('id') or ''}")


def _strip_furniture(doc) -> None:
    for el in list(doc.iter(etree.Comment, etree.ProcessingInstruction)):
        _drop(el)
    for el in list(doc.iter(*_DROP_TAGS)):
        _drop(el)
    for el in list(doc.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        if el.tag in ("html", "body", "main", "article") or el is doc:
            continue
        role = (el.get("role") or "").lower()
        if (role in _DROP_ROLES or el.get("aria-hidden") == "true" or el.get("hidden")
                is not None or _FURNITURE.search(_classes(el))):
            _drop(el)
    # A page header holds the site's name and menu; the article's own header holds the
    # title and byline, which become front matter.
    for el in list(doc.iter("header")):
        _drop(el)


def _drop(el) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


_BOILERPLATE = re.compile(
    r"^(the post .+ appeared first on .+|continue reading.*|read more.*|"
    r"this entry was posted in .+|share this:?|like this:?|related)$", re.I | re.S)


def clean_fragment(html: str, title: str | None, base: str | None = None) -> str:
    """Post content from a feed or an export: the same furniture removed as from a page
    (share bars, 'The post … appeared first on …', related posts), whitespace collapsed,
    relative links made absolute against the post's address."""
    return clean_post(html, title, base)[0]


def clean_post(html: str, title: str | None, base: str | None = None,
               lead: str | None = None) -> tuple[str, list[BodyPhoto]]:
    """As clean_fragment, with the photos of the body (all but the lead photo `lead`)
    taken out as placeholders (compositor/web/body_photos.py), their addresses resolved
    against the post's own `base`."""
    if not html.strip():
        return "", []
    frag = lxml.html.fragment_fromstring(html, create_parent="div")
    for link in frag.iter("a"):
        if not (link.get("href") or "").strip():  # (feedparser empties a javascript: link)
            link.attrib.pop("href", None)  # not a link to the post itself once absolute
    _strip_furniture(frag)
    # Before links are made absolute: a saved page's own copy is found by its relative src.
    photos = take_photos(frag, base, lead)
    if web_address(base):
        frag.make_links_absolute(base, resolve_base_href=False, handle_failures="discard")
    for el in frag.xpath(".//p|.//div|.//h2|.//h3|.//h4|.//span"):
        if _BOILERPLATE.match(" ".join(el.text_content().split())) and \
                el.getparent() is not None:
            _drop(el)
    _collapse_spaces(frag)
    return _tidy_main(lxml.html.tostring(frag, encoding="unicode"), title, None), photos


def _collapse_spaces(root) -> None:
    """Source line breaks inside paragraphs are not the author's: one line per paragraph."""
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in ("pre", "code") or \
                any(a.tag == "pre" for a in el.iterancestors()):
            continue
        if el.text:
            el.text = re.sub(r"\s+", " ", el.text)
        if el.tail:
            el.tail = re.sub(r"\s+", " ", el.tail)


def _tidy_main(html: str, title: str | None, image: str | None) -> str:
    """Remove what readability keeps but an article body should not repeat: the title
    as a heading, the lead photo `image` (it becomes front matter), empty blocks. The
    other photos stay, for import to fetch."""
    if not html.strip():
        return ""
    frag = lxml.html.fragment_fromstring(html, create_parent="div")
    for h in frag.xpath(".//h1"):
        _drop(h)
    if title:
        for h in frag.xpath(".//h2|.//h3"):
            if " ".join(h.text_content().split()) == title:
                _drop(h)
    for img in frag.xpath(".//img"):
        if is_lead(img.get("src") or "", image):
            shown = next((a for a in img.iterancestors("figure", "picture")), img)
            if shown.getparent() is not None:
                _drop(shown)
            break
    for el in frag.xpath(".//p|.//div|.//span|.//li|.//ul|.//ol|.//blockquote"):
        if not el.text_content().strip() and el.getparent() is not None and \
                not el.xpath(".//img|.//figure"):
            _drop(el)
    return lxml.html.tostring(frag, encoding="unicode")
