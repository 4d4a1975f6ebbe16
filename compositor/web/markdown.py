"""Article HTML -> the Markdown compositor reads, through markdownify.

The converter is told what compositor's Markdown can say: paragraphs, emphasis, links,
lists, `##`/`###` subheads, block quotes, code and rules. Everything else is reduced to
its text (tables become one paragraph per row) or dropped (images, which come back as the
article's lead photo, and anything interactive).
"""

from __future__ import annotations

import re

from markdownify import MarkdownConverter

_SAFE_LINK = re.compile(r"^(https?|ftp|mailto):", re.I)


class _Converter(MarkdownConverter):
    def convert_img(self, el, text, parent_tags):
        return ""

    def convert_figure(self, el, text, parent_tags):
        return ""  # figures are photos with captions; the lead photo goes to front matter

    def convert_a(self, el, text, parent_tags):
        href = (el.get("href") or "").strip()
        if not _SAFE_LINK.match(href) or not text.strip():
            return text  # in-page anchors, javascript: and empty links keep only their text
        return super().convert_a(el, text, parent_tags)

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
        return "\n\n" + "\n\n".join(_escape(r) for r in rows) + "\n\n"

    def convert_tr(self, el, text, parent_tags):
        return text

    convert_td = convert_th = convert_thead = convert_tbody = convert_tfoot = convert_tr


def _escape(text: str) -> str:
    return re.sub(r"([*_`\[\]\\])", r"\\\1", text)


def html_to_markdown(html: str) -> str:
    md = _Converter(heading_style="ATX", bullets="-", strong_em_symbol="*",
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
