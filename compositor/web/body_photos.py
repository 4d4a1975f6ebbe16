"""The photos a post shows in its body, after the lead photo: found in the post's HTML,
each replaced by a numbered placeholder that the Markdown converter turns into a figure
once import has fetched the picture (compositor/web/importer.py).

The HTML is the website's: a placeholder is made only here, after every figure, picture
and photo of the input has been taken out, so a post cannot forge one. Pictures inside a
line of text (emoji, icons, badges) are not photos and are dropped, as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from compositor.web.post import text_of, web_address

MARK = "data-compositor-photo"


@dataclass(frozen=True)
class BodyPhoto:
    number: int
    src: str             # as the HTML wrote it (a saved page's own copy is relative)
    url: str | None      # the http(s) address, a relative one resolved against the post's
    caption: str | None
    alt: str | None


def is_lead(src: str, lead: str | None) -> bool:
    """Whether an <img src> shows the lead photo (matched on its file name, as sites
    serve the same picture at several sizes and addresses)."""
    if not lead:
        return False
    name = lead.rsplit("/", 1)[-1].split("?")[0]
    return bool(name) and name in src


def take_photos(frag, base: str | None, lead: str | None) -> list[BodyPhoto]:
    """Replace each photo of `frag` by a placeholder <figure MARK=N> and return them in
    reading order. The lead photo (front matter already shows it) is dropped."""
    from compositor.web.extract import _drop  # keeps the text that follows an element

    photos: list[BodyPhoto] = []
    lead_seen = False
    for el in list(frag.iter("figure", "picture", "img")):
        if el.getparent() is None or any(a.tag in ("figure", "picture")
                                         for a in el.iterancestors()):
            continue  # inside a figure taken already, or removed with one
        img = el if el.tag == "img" else next(iter(el.iter("img")), None)
        src = (img.get("src") or "").strip() if img is not None else ""
        if not src or (el.tag == "img" and not _alone(el)):
            _drop(el)
            continue
        if not lead_seen and is_lead(src, lead):
            lead_seen = True
            _drop(el)
            continue
        caption = None
        if el.tag == "figure":
            caption = text_of(" ".join(c.text_content() for c in el.iter("figcaption")))
        url = web_address(urljoin(base, src) if web_address(base) else src)
        photos.append(BodyPhoto(len(photos), src, url, caption, text_of(img.get("alt"))))
        while el.tag != "figure" and el.getparent() is not None and \
                el.getparent().tag in ("a", "span") and len(el.getparent()) == 1 and \
                not (el.getparent().text or "").strip():
            el = el.getparent()  # a photo linked to its full size: the link goes with it
        mark = el.makeelement("figure", {MARK: str(len(photos) - 1)})
        mark.tail = el.tail
        el.getparent().replace(el, mark)
    return photos


def _alone(img) -> bool:
    """An <img> that stands as a block of its own (alone in its paragraph, or between
    blocks), not one inside a line of text."""
    node = img
    while True:
        parent = node.getparent()
        if parent is None:
            return True
        prev = node.getprevious()
        before = (prev.tail if prev is not None else parent.text) or ""
        if before.strip() or (node.tail or "").strip():
            return False
        if parent.tag in ("a", "span"):  # an inline wrapper: judged by where it stands
            node = parent
            continue
        if parent.tag == "p":
            return all(c is node or not isinstance(c.tag, str) or not c.text_content().strip()
                       for c in parent)
        return True


def markdown_figure(path: str, caption: str | None, alt: str | None) -> str:
    """`![caption](path "alt")`: the caption and alt are the website's text, escaped so
    they read back as exactly that text."""
    from compositor.web.markdown import escape_text

    title = (alt or "").replace("\\", "\\\\").replace('"', '\\"')
    shown = escape_text(caption or "")
    return f'![{shown}]({path} "{title}")' if title else f"![{shown}]({path})"
