"""The floor: one issue laid out with plain ReportLab platypus, no compositor code.

Usage::

    python bench/plain_reportlab.py ISSUE_DIR_OR_MANIFEST OUT.pdf

A4, 15 mm margins, three column frames with a 12 pt gutter; page 1 has a masthead frame
and an "Inside this issue" TableOfContents whose entries link to the articles.  Body
text is Charis SIL 9.5/12.5 pt, justified, hyphenated (``en_GB`` via pyphen) with
``allowWidows=0``; headlines are Noto Sans Bold.  Photos are scaled to the column
width.  ``multiBuild`` resolves the contents' page numbers.
"""

from __future__ import annotations

import sys
from pathlib import Path
from xml.sax.saxutils import escape

from issue_model import Article, Block, Inline, Issue, read_issue
from PIL import Image as PILImage
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    FrameBreak,
    Image,
    ListFlowable,
    ListItem,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Spacer,
)
from reportlab.platypus.flowables import HRFlowable
from reportlab.platypus.tableofcontents import TableOfContents

FONTS_DIR = Path(__file__).resolve().parent.parent / "compositor" / "fonts"
PAGE_W, PAGE_H = A4
MARGIN = 15 * mm
GUTTER = 12.0
COLUMNS = 3
COL_W = (PAGE_W - 2 * MARGIN - (COLUMNS - 1) * GUTTER) / COLUMNS
MASTHEAD_H = 38 * mm
LINK_COLOUR = "#1a4f8b"


def register_fonts() -> None:
    faces = {
        "Charis": "CharisSIL-Regular.ttf",
        "Charis-Italic": "CharisSIL-Italic.ttf",
        "Charis-Bold": "CharisSIL-Bold.ttf",
        "Charis-BoldItalic": "CharisSIL-BoldItalic.ttf",
        "NotoSans-Bold": "NotoSans-Bold.ttf",
    }
    for name, file in faces.items():
        pdfmetrics.registerFont(TTFont(name, str(FONTS_DIR / file)))
    pdfmetrics.registerFontFamily(
        "Charis",
        normal="Charis",
        italic="Charis-Italic",
        bold="Charis-Bold",
        boldItalic="Charis-BoldItalic",
    )


def make_styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle(
        "Body",
        fontName="Charis",
        fontSize=9.5,
        leading=12.5,
        alignment=TA_JUSTIFY,
        hyphenationLang="en_GB",
        allowWidows=0,
        spaceAfter=3,
    )
    return {
        "body": body,
        "title": ParagraphStyle(
            "ArticleTitle",
            fontName="NotoSans-Bold",
            fontSize=15,
            leading=17.5,
            alignment=TA_LEFT,
            spaceBefore=10,
            spaceAfter=3,
            keepWithNext=1,
        ),
        "meta": ParagraphStyle(
            "Meta",
            parent=body,
            fontName="Charis-Italic",
            fontSize=8.5,
            leading=11,
            alignment=TA_LEFT,
            spaceAfter=5,
            keepWithNext=1,
        ),
        "subhead": ParagraphStyle(
            "Subhead",
            fontName="NotoSans-Bold",
            fontSize=10.5,
            leading=13,
            spaceBefore=6,
            spaceAfter=2,
            keepWithNext=1,
        ),
        "caption": ParagraphStyle(
            "Caption",
            parent=body,
            fontName="Charis-Italic",
            fontSize=8,
            leading=10,
            alignment=TA_LEFT,
            spaceBefore=2,
            spaceAfter=6,
        ),
        "quote": ParagraphStyle(
            "Quote", parent=body, fontName="Charis-Italic", leftIndent=10, rightIndent=6
        ),
        "list": ParagraphStyle("ListItem", parent=body, alignment=TA_LEFT, spaceAfter=1),
        "name": ParagraphStyle(
            "Name",
            fontName="NotoSans-Bold",
            fontSize=40,
            leading=44,
            alignment=TA_CENTER,
        ),
        "tagline": ParagraphStyle(
            "Tagline",
            fontName="Charis-Italic",
            fontSize=11,
            leading=14,
            alignment=TA_CENTER,
        ),
        "dateline": ParagraphStyle(
            "Dateline",
            fontName="Charis",
            fontSize=8.5,
            leading=11,
            alignment=TA_CENTER,
            spaceBefore=4,
        ),
        "toc_head": ParagraphStyle(
            "TocHead", fontName="NotoSans-Bold", fontSize=11, leading=14, spaceAfter=4
        ),
        "toc": ParagraphStyle(
            "Toc0",
            fontName="Charis",
            fontSize=8.5,
            leading=10.5,
            leftIndent=0,
            firstLineIndent=0,
            rightIndent=14,
        ),
    }


class NewsletterDoc(BaseDocTemplate):
    """Two page templates (front and inside) plus TOC, bookmark and outline hooks."""

    def __init__(self, filename: str, issue: Issue, **kw) -> None:
        super().__init__(
            filename,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=f"{issue.name}, {issue.date}",
            author=issue.publisher,
            lang="en-GB",
            initialFontName="Charis",
            **kw,
        )
        self.issue = issue
        body_h = PAGE_H - 2 * MARGIN
        masthead = Frame(
            MARGIN, PAGE_H - MARGIN - MASTHEAD_H, PAGE_W - 2 * MARGIN, MASTHEAD_H, id="masthead"
        )
        front = [masthead] + self._columns(body_h - MASTHEAD_H - 6, "front")
        self.addPageTemplates(
            [
                PageTemplate("front", frames=front, onPage=self._footer),
                PageTemplate("inside", frames=self._columns(body_h, "inside"), onPage=self._footer),
            ]
        )

    @staticmethod
    def _columns(height: float, prefix: str) -> list[Frame]:
        return [
            Frame(
                MARGIN + i * (COL_W + GUTTER),
                MARGIN,
                COL_W,
                height,
                leftPadding=0,
                rightPadding=0,
                topPadding=0,
                bottomPadding=0,
                id=f"{prefix}-col{i}",
            )
            for i in range(COLUMNS)
        ]

    def _footer(self, canv, doc) -> None:
        canv.saveState()
        canv.setFont("Charis", 7.5)
        canv.drawString(MARGIN, MARGIN / 2, f"{self.issue.name} · {self.issue.date}")
        canv.drawRightString(PAGE_W - MARGIN, MARGIN / 2, str(doc.page))
        canv.restoreState()

    def afterFlowable(self, flowable) -> None:
        if isinstance(flowable, Paragraph) and flowable.style.name == "ArticleTitle":
            key = getattr(flowable, "_bookmark", None)
            if key is None:
                return
            text = flowable.getPlainText()
            self.canv.bookmarkHorizontal(key, 0, self.frame._y + flowable.height)
            self.canv.addOutlineEntry(text, key, level=0, closed=True)
            self.notify("TOCEntry", (0, text, self.page, key))


def runs_to_markup(runs: list[Inline]) -> str:
    out = []
    for kind, text, url in runs:
        text = escape(text)
        if kind == "em":
            out.append(f"<i>{text}</i>")
        elif kind == "strong":
            out.append(f"<b>{text}</b>")
        elif kind == "link":
            out.append(f'<a href="{escape(url or "")}" color="{LINK_COLOUR}">{text}</a>')
        else:
            out.append(text)
    return "".join(out)


def image_flowable(path: Path) -> Image:
    with PILImage.open(path) as im:
        w, h = im.size
    return Image(str(path), width=COL_W, height=COL_W * h / w)


def block_flowables(block: Block, st: dict[str, ParagraphStyle]) -> list:
    if block.kind == "p":
        return [Paragraph(runs_to_markup(block.inlines), st["body"])]
    if block.kind == "h2":
        return [Paragraph(runs_to_markup(block.inlines), st["subhead"])]
    if block.kind == "quote":
        return [Paragraph(runs_to_markup(block.inlines), st["quote"])]
    if block.kind in ("ul", "ol"):
        items = [ListItem(Paragraph(runs_to_markup(it), st["list"])) for it in block.items]
        kind = {"bulletType": "1"} if block.kind == "ol" else {"bulletType": "bullet", "start": "•"}
        return [
            ListFlowable(items, leftIndent=11, bulletFontName="Charis", bulletFontSize=9.5, **kind),
            Spacer(0, 3),
        ]
    if block.kind == "more":
        url = escape(block.url or "")
        markup = f'Continue reading: <a href="{url}" color="{LINK_COLOUR}">{url}</a>'
        return [Paragraph(markup, st["meta"])]
    raise ValueError(f"unknown block kind {block.kind!r}")


def article_flowables(art: Article, index: int, st: dict[str, ParagraphStyle]) -> list:
    title = Paragraph(escape(art.title), st["title"])
    title._bookmark = f"article-{index}"
    story: list = [title]
    meta = " · ".join(escape(x) for x in (art.byline, art.date) if x)
    if meta:
        story.append(Paragraph(meta, st["meta"]))
    if art.image:
        story.append(image_flowable(art.image))
        if art.caption:
            story.append(Paragraph(escape(art.caption), st["caption"]))
    for block in art.blocks:
        story.extend(block_flowables(block, st))
    return story


def build(issue: Issue, out: str) -> int:
    register_fonts()
    st = make_styles()
    doc = NewsletterDoc(out, issue)
    toc = TableOfContents(dotsMinLevel=0, rightColumnWidth=18)
    toc.levelStyles = [st["toc"]]
    numbering = f"Volume {issue.volume} · Number {issue.number} · {issue.date}"
    story: list = [
        Paragraph(escape(issue.name), st["name"]),
        Paragraph(escape(issue.tagline), st["tagline"]),
        Paragraph(f"{escape(numbering)} · {escape(issue.website)}", st["dateline"]),
        HRFlowable(width="100%", thickness=1.2, color=colors.black, spaceBefore=4),
        NextPageTemplate("inside"),
        FrameBreak(),
        Paragraph("Inside this issue", st["toc_head"]),
        toc,
        Spacer(0, 6),
    ]
    for i, art in enumerate(issue.articles, start=1):
        story.extend(article_flowables(art, i, st))
    doc.multiBuild(story)
    return doc.page


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    source = Path(argv[1])
    manifest = source / "issue.yaml" if source.is_dir() else source
    pages = build(read_issue(manifest), argv[2])
    print(f"plain-reportlab: {pages} pages -> {argv[2]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
