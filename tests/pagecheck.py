"""Page make-up read back from a built PDF: where the columns hold nothing.

For every page and column, the vertical runs between the top and the foot of the text area
where there is no text, no image and no filled box. Only the PDF is read (pdfplumber); the
layout YAML gives the geometry a designer set (margins, columns, gutter, masthead), never
where the layout put things. Used by the tests and by bench/makeup.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber

from compositor.load.layout import LayoutSpec, parse_length


@dataclass
class Column:
    page: int
    column: int
    top: float
    bottom: float
    runs: list[tuple[float, float]] = field(default_factory=list)  # (top, height), empty

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class PageFill:
    page: int
    columns: list[Column]
    line: float  # one body line, in points

    def runs_over(self, lines: float) -> list[tuple[int, float]]:
        """(column number from 1, height in lines) of every empty run taller than `lines`."""
        return [(c.column + 1, h / self.line) for c in self.columns for _, h in c.runs
                if h > lines * self.line]

    @property
    def full(self) -> float:
        """Share of the text area holding something (runs under a line count as full:
        they are the space between paragraphs and around titles)."""
        total = sum(c.height for c in self.columns)
        empty = sum(h for c in self.columns for _, h in c.runs if h > self.line)
        return 1.0 - empty / total if total else 1.0

    body_chars: int = 0  # characters in the body text size

    def has_body_text(self) -> bool:
        """At least a few lines of running text (not just a box or a caption)."""
        return self.body_chars >= 150


def _columns(spec: LayoutSpec, page: int, masthead: float) -> list[tuple[float, float, float]]:
    """(left, right, top) of each column on `page`, in trim coordinates."""
    inside, outside = spec.margin_inside, spec.margin_outside
    left = inside if page % 2 == 1 else outside
    top = spec.margin_top + (masthead + spec.styles["body"].leading if page == 1 else 0.0)
    out = []
    for c in range(spec.columns):
        x = left + c * (spec.column_width + spec.gutter)
        out.append((x, x + spec.column_width, top))
    return out


def measure(pdf_path: Path, spec: LayoutSpec) -> list[PageFill]:
    """Empty vertical runs per page and column of a built PDF (web or print variant)."""
    masthead = parse_length(spec.section("masthead")["height"]) or 120.0
    line = spec.styles["body"].leading
    body_size = spec.styles["body"].size
    span_size = spec.styles["lead_title"].size

    def _spans(ch: dict) -> bool:  # set in the spanning title's size (not a drop cap)
        return abs(ch["size"] - span_size) < 0.3
    pages = []
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            trim = page.trimbox if hasattr(page, "trimbox") and page.trimbox else page.bbox
            ox, oy = trim[0] - page.bbox[0], trim[1] - page.bbox[1]
            # A title set across the columns (lead or opening title) heads all of them,
            # however far its ragged lines reach.
            boxes = [(0.0 if _spans(ch) else ch["x0"] - ox,
                      spec.page_width if _spans(ch) else ch["x1"] - ox,
                      ch["top"] - oy, ch["bottom"] - oy)
                     for ch in page.chars if ch["text"].strip()]
            boxes += [(im["x0"] - ox, im["x1"] - ox, im["top"] - oy, im["bottom"] - oy)
                      for im in page.images]
            boxes += [(r["x0"] - ox, r["x1"] - ox, r["top"] - oy, r["bottom"] - oy)
                      for r in page.rects if r.get("fill") and r["width"] * r["height"] > 0]
            bottom = spec.page_height - spec.margin_bottom
            cols = []
            for c, (x0, x1, top) in enumerate(_columns(spec, number, masthead)):
                spans = sorted((max(t, top), min(b, bottom)) for bx0, bx1, t, b in boxes
                               if bx1 > x0 + 1 and bx0 < x1 - 1 and b > top and t < bottom)
                runs = []
                y = top
                for t, b in spans:
                    if t > y + 0.5:
                        runs.append((y, t - y))
                    y = max(y, b)
                # The last line's box stops short of the text area's foot by up to a line.
                if bottom - y > line:
                    runs.append((y, bottom - y))
                cols.append(Column(number, c, top, bottom, runs))
            fill = PageFill(number, cols, line)
            fill.body_chars = sum(1 for ch in page.chars
                                   if abs(ch["size"] - body_size) < 0.3 and ch["text"].strip())
            pages.append(fill)
    return pages


def holes(pages: list[PageFill], lines: float = 2.5, last_too: bool = False
          ) -> list[tuple[int, int, float]]:
    """(page, column, lines) of every empty run over `lines` body lines, the last page
    left out unless `last_too`."""
    out = []
    for p in pages:
        if p is pages[-1] and not last_too:
            continue
        out += [(p.page, col, round(h, 1)) for col, h in p.runs_over(lines)]
    return out
