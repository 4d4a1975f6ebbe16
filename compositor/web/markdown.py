"""Article HTML -> the Markdown compositor reads, through markdownify.

The converter is told what compositor's Markdown can say: paragraphs, emphasis, links,
lists, `##`/`###` subheads, block quotes, code and rules. Everything else is reduced to
its text (tables become one paragraph per row) or dropped (anything interactive). Photos
come in as figures only through the placeholders body_photos.py makes.

The HTML comes from a website, so its text is data: every character Markdown would act
on is escaped, and a page whose text reads `![x](/home/me/private.jpg)` or
`[x](http://intranet/)` gets exactly that text, never a picture of a local file or a
link. Links come only from real <a href> elements with an http(s) or mailto: address.
"""

from __future__ import annotations

import re
import unicodedata

from markdownify import MarkdownConverter

from compositor.web.body_photos import MARK
from compositor.web.post import web_address

# Anywhere in text: escapes, code, emphasis, link brackets, autolinks, strikethrough.
_INLINE = re.compile(r"([\\`*_\[\]<>~])")
# At the start of a line: headings, quotes, bullets, setext underlines and rules.
_LEAD = re.compile(r"^(\s*)([#>+=-])")
_LEAD_NUMBER = re.compile(r"^(\s*\d{1,9})([.)])")  # "1." and "1)" start ordered lists
_TRAIL_HASH = re.compile(r"(\s)(#+\s*)$")  # a heading's closing #s would be dropped
_WHITESPACE = re.compile(r"[ \t\r\n\f\v]+")
# Characters of an address that would end or break a Markdown link destination.
_LINK_UNSAFE = re.compile(r"[()<>\\ \[\]]")


def escape_text(text: str) -> str:
    """Text as Markdown that reads back as exactly this text. Each text node is escaped
    as if it started and ended a line, since markdownify may put it there (after a
    <br>, as the first words of a block or of a heading)."""
    text = _INLINE.sub(r"\\\1", text)
    text = _LEAD.sub(r"\1\\\2", text)
    text = _LEAD_NUMBER.sub(r"\1\\\2", text)
    text = _TRAIL_HASH.sub(r"\1\\\2", text)
    # A "!" ending the text would make a link that follows it an image.
    return text[:-1] + "\\!" if text.endswith("!") else text


def link_target(href: str | None) -> str | None:
    """A link's address as a Markdown destination, or None when it may not be a link:
    only http(s) (validated) and mailto:, with the characters that would end the
    destination percent-encoded."""
    href = (href or "").strip()
    if href.lower().startswith("mailto:") and "\n" not in href and "\r" not in href:
        target = href
    else:  # a space in a real page's href is how browsers read it: as %20
        target = web_address(href.replace(" ", "%20"))
    if target is None or re.search(r"[\x00-\x1f\x7f]", target):
        return None
    return _LINK_UNSAFE.sub(lambda m: f"%{ord(m[0]):02X}", target)


class _Converter(MarkdownConverter):
    def escape(self, text, parent_tags):
        # Outside <pre>, line breaks in the HTML source are spaces; one kept in the
        # Markdown could start a heading or a list on the next line.
        return escape_text(_WHITESPACE.sub(" ", text)) if text else ""

    def _emphasis(self, el, text, parent_tags, marker):
        # CommonMark reads `**` as emphasis only where it "flanks" the words: next to
        # punctuation inside and a letter outside ("a**\#**"), it would print as two
        # asterisks. Such a stretch is set without emphasis rather than with stray marks.
        lead, core, tail = _split_space(text)
        if "_noformat" in parent_tags or not core or not _flanks(el, core, lead, tail):
            return text
        return f"{lead}{marker}{core}{marker}{tail}"

    def convert_b(self, el, text, parent_tags):
        return self._emphasis(el, text, parent_tags, "**")

    def convert_em(self, el, text, parent_tags):
        return self._emphasis(el, text, parent_tags, "*")

    convert_strong = convert_b
    convert_i = convert_em

    def convert_img(self, el, text, parent_tags):
        return ""

    def convert_figure(self, el, text, parent_tags):
        # The body's photos are placeholders by now (body_photos.py); one that import
        # fetched becomes a figure of its own, any other is left out.
        shown = self.options["photos"].get(el.get(MARK, ""))
        return f"\n\n{shown}\n\n" if shown and "_inline" not in parent_tags else ""

    def convert_a(self, el, text, parent_tags):
        target = link_target(el.get("href"))
        if target is None or not text.strip() or "_noformat" in parent_tags:
            return text  # in-page anchors, javascript:, file: and empty links keep their text
        lead, core, tail = _split_space(text)
        return f"{lead}[{core}]({target}){tail}"

    def convert_code(self, el, text, parent_tags):
        if "_noformat" in parent_tags or not text.strip():
            return text
        if "`" in text or _after_code(el):
            # Backticks inside, or a code span right after another (their backticks would
            # run together), could end the span early and let the rest be read as
            # Markdown: such code is set as plain text.
            return escape_text(_WHITESPACE.sub(" ", text))
        # One line: a line break inside could start a quote or a list on the next.
        lead, core, tail = _split_space(_WHITESPACE.sub(" ", text))
        return f"{lead}`{core}`{tail}"

    convert_kbd = convert_samp = convert_code

    def convert_pre(self, el, text, parent_tags):
        # The fence is longer than any run of backticks inside, so a line of ``` in the
        # code cannot close it and let the rest be read as Markdown.
        if not text:
            return ""
        longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
        fence = "`" * max(3, longest + 1)
        return f"\n\n{fence}\n{text.strip(chr(10))}\n{fence}\n\n"

    def _heading(self, level: int, text: str) -> str:
        text = " ".join(text.split())
        return f"\n\n{'#' * level} {text}\n\n" if text else ""

    # The title is printed from front matter, so body headings start at level 2.
    def convert_h1(self, el, text, parent_tags):
        return self._heading(2, text)

    def convert_h2(self, el, text, parent_tags):
        return self._heading(2, text)

    def convert_h3(self, el, text, parent_tags):
        return self._heading(3, text)

    convert_h4 = convert_h5 = convert_h6 = convert_h3

    def convert_br(self, el, text, parent_tags):
        return "\n" if "_inline" not in parent_tags else " "

    def convert_table(self, el, text, parent_tags):
        rows = []
        for tr in el.find_all("tr"):
            cells = [" ".join(c.get_text(" ").split()) for c in tr.find_all(["td", "th"])]
            cells = [c for c in cells if c]
            if cells:
                rows.append(" — ".join(cells))
        return "\n\n" + "\n\n".join(escape_text(r) for r in rows) + "\n\n"

    def convert_tr(self, el, text, parent_tags):
        return text

    convert_td = convert_th = convert_thead = convert_tbody = convert_tfoot = convert_tr


_CODE_TAGS = {"code", "kbd", "samp"}


def _flanks(el, core: str, lead: str, tail: str) -> bool:
    """Whether emphasis marks around `core` open and close where CommonMark says they
    may: a mark next to punctuation inside needs space or punctuation outside."""
    before = lead[-1:] or _edge(el.find_previous(string=True), -1)
    inner = el.find_all(string=True)
    after = tail[:1] or _edge((inner[-1] if inner else el).find_next(string=True), 0)
    opens = core[0].isalnum() or _loose(before)
    closes = core[-1].isalnum() or _loose(after)
    return opens and closes and not _right_after(el, _EMPHASIS_TAGS)


def _loose(c: str) -> bool:
    """Space or punctuation as markdown-it classes them (Unicode Zs, P and S), or the
    edge of the text: beside it, an emphasis mark may open or close."""
    return not c or c in " \t\n\r\f\v" or unicodedata.category(c)[0] in "PS" \
        or unicodedata.category(c) == "Zs"


def _edge(node, index: int) -> str:
    """The first or last character of a neighbouring text node ('' at the edge)."""
    if node is None:
        return ""
    return str(node)[index] if str(node) else ""


_EMPHASIS_TAGS = {"b", "strong", "i", "em"}
_BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "table",
               "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
               "figure", "figcaption", "main", "header", "footer", "body", "html", "hr"}


def _block_of(node):
    return next((p for p in node.parents if p.name in _BLOCK_TAGS), None)


def _right_after(el, tags) -> bool:
    """Whether the text just before `el`, in the same block, is inside another element
    with one of `tags`: their marks (`` ` ``, `**`) would run together."""
    before = el.find_previous(string=True)
    if before is None or _block_of(before) is not _block_of(el):
        return False
    own = {id(p) for p in el.parents}
    return any(p.name in tags and id(p) not in own for p in before.parents)


def _after_code(el) -> bool:
    return _right_after(el, _CODE_TAGS)


def _split_space(text: str) -> tuple[str, str, str]:
    core = text.strip()
    start = text.index(core[0]) if core else 0
    return text[:start], core, text[start + len(core):]


def html_to_markdown(html: str, photos: dict[str, str] | None = None) -> str:
    """`photos`: the Markdown figure of each body photo import fetched, by placeholder
    number (compositor/web/body_photos.py)."""
    md = _Converter(photos=photos or {}, heading_style="ATX", bullets="-",
                    strong_em_symbol="*",
                    strip=["script", "style", "button", "input", "select", "textarea", "svg",
                           "video", "audio", "iframe", "object", "embed", "form"],
                    escape_misc=False, autolinks=False).convert(html)
    return tidy(md)


def tidy(md: str) -> str:
    """Normalise spacing: no trailing blanks, at most one empty line between blocks."""
    md = md.replace("\u00a0", " ").replace("\r\n", "\n")
    lines = [line.rstrip() for line in md.split("\n")]
    md = "\n".join(lines)
    md = re.sub(r"\n{3,}", "\n\n", md).strip()
    return md + "\n" if md else ""
