"""Page make-up read back from a built PDF: where the columns hold nothing.

For every page and column, the vertical runs between the top and the foot of the text area
where there is no text, no image and no filled box. Only the PDF is read (pdfplumber); the
layout YAML gives the geometry a designer set (margins, columns, gutter, masthead), never
where the layout put things. Used by the tests and by bench/makeup.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
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


def printed_grid(pdf_path: Path, spec: LayoutSpec) -> LayoutSpec:
    """The layout with the body leading the PDF was set in (a fitted issue may loosen or
    tighten it): the most common distance between successive body baselines of one
    column, read from the page."""
    from collections import Counter

    from compositor.layout.variants import with_leading

    size = spec.styles["body"].size
    leading = spec.styles["body"].leading
    gaps: Counter = Counter()
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            lines: dict[int, set[float]] = {}
            for c in page.chars:
                if c["text"].strip() and abs(c["size"] - size) < 0.3:
                    column = int(c["x0"] // (spec.column_width + spec.gutter))
                    lines.setdefault(column, set()).add(round(c["matrix"][5], 2))
            for ys in lines.values():
                ordered = sorted(ys, reverse=True)
                for a, b in zip(ordered, ordered[1:], strict=False):
                    if 0.7 * leading < a - b < 1.3 * leading:
                        gaps[round(a - b, 2)] += 1
    if not gaps:
        return spec
    found = gaps.most_common(1)[0][0]
    return spec if abs(found - leading) < 0.02 else with_leading(spec, found)


def measure(pdf_path: Path, spec: LayoutSpec) -> list[PageFill]:
    """Empty vertical runs per page and column of a built PDF (web or print variant)."""
    spec = printed_grid(pdf_path, spec)
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


# ------------------------------------------------------------------------------------------
# The make-up targets of issue 19, read back from the PDF alone. The layout YAML gives the
# column grid and the styles (font and size recognise a title, a byline, body text, a
# caption); the issue (optional) gives the articles' titles and the photos' source pixel
# sizes, to match a photo read back to its source by its caption.


def _norm(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


@lru_cache(maxsize=64)
def _ps_name(path: str) -> str:
    from reportlab.pdfbase.ttfonts import TTFontFile
    name = TTFontFile(path).name
    return name.decode() if isinstance(name, bytes) else str(name)


def _font(spec: LayoutSpec, style: str) -> str:
    family, weight = spec.styles[style].font.split(":")
    return _ps_name(str(spec.fonts[family][weight]))


def _family(spec: LayoutSpec, style: str) -> set[str]:
    family = spec.styles[style].font.split(":")[0]
    return {_ps_name(str(p)) for p in spec.fonts[family].values()}


def _display_sizes(size: float) -> list[float]:
    """A title's size as set: the style's, or smaller in 5 % steps down to 60 % when its
    widest word would not fit the measure."""
    return [size * (1.0 - 0.05 * k) for k in range(9)]


@dataclass
class _Line:
    column: int
    baseline: float
    top: float
    bottom: float
    x0: float
    x1: float
    text: str


def _group_lines(chars: list[dict], column_of) -> list[_Line]:
    rows: dict[tuple[int, float], list[dict]] = {}
    for ch in chars:
        rows.setdefault((column_of(ch), round(ch["baseline"], 1)), []).append(ch)
    out = []
    for (col, base), cs in sorted(rows.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        cs.sort(key=lambda c: c["x0"])
        out.append(_Line(col, base, min(c["top"] for c in cs), max(c["bottom"] for c in cs),
                         min(c["x0"] for c in cs), max(c["x1"] for c in cs),
                         "".join(c["text"] for c in cs)))
    # Merge rows of one line whose baselines differ by rounding only.
    merged: list[_Line] = []
    for ln in out:
        prev = merged[-1] if merged else None
        if prev and prev.column == ln.column and abs(prev.baseline - ln.baseline) < 0.3:
            prev.x0, prev.x1 = min(prev.x0, ln.x0), max(prev.x1, ln.x1)
            prev.top, prev.bottom = min(prev.top, ln.top), max(prev.bottom, ln.bottom)
            prev.text += ln.text
        else:
            merged.append(ln)
    return merged


def _phase_diff(a: float, b: float, leading: float) -> float:
    """a - b modulo the leading, in (-leading/2, leading/2]."""
    d = (a - b) % leading
    return d - leading if d > leading / 2 else d


def _dominant_phase(baselines: list[float], leading: float) -> tuple[float, int]:
    """The phase (baseline modulo the leading) most body lines of a column share, and how
    many lines are off it by more than 0.5 pt."""
    best, best_n = 0.0, -1
    for b in baselines:
        n = sum(1 for o in baselines if abs(_phase_diff(o, b, leading)) <= 0.5)
        if n > best_n:
            best, best_n = b % leading, n
    return best, len(baselines) - max(best_n, 0)


def _runs_in(items: list[tuple[float, float, float, float]], x0: float, x1: float,
             top: float, bottom: float) -> list[tuple[float, float]]:
    """Empty vertical runs (top, height) in [top, bottom] of the strip x0..x1."""
    spans = sorted((max(t, top), min(b, bottom)) for bx0, bx1, t, b in items
                   if bx1 > x0 + 1 and bx0 < x1 - 1 and b > top and t < bottom)
    runs, y = [], top
    for t, b in spans:
        if t > y + 0.5:
            runs.append((y, t - y))
        y = max(y, b)
    if bottom - y > 0.5:
        runs.append((y, bottom - y))
    return runs


def _column_at(x: float, cols: list[tuple[float, float, float]]) -> int:
    """The column holding x, or the nearest one."""
    def distance(k: int) -> float:
        x0, x1 = cols[k][0], cols[k][1]
        return 0.0 if x0 - 2 <= x <= x1 + 2 else min(abs(x - x0), abs(x - x1))
    return min(range(len(cols)), key=distance)


def read_back(pdf_path: Path, spec: LayoutSpec, issue=None) -> dict:
    """Every make-up figure of issue 19's targets, measured on the PDF. Heights are in
    body lines unless named `_mm` or `_pt`. See the keys' comments for what each means."""
    spec = printed_grid(pdf_path, spec)
    L = spec.styles["body"].leading
    body_size = spec.styles["body"].size
    body_fonts = _family(spec, "body")
    title_font = _font(spec, "title")
    title_sizes = (_display_sizes(spec.styles["title"].size)
                   + _display_sizes(spec.styles["lead_title"].size))
    not_titles = [spec.styles[s].size for s in ("subhead", "box_title", "contents_title",
                                                  "masthead_info")
                  if _font(spec, s) == title_font]
    byline_font, byline_size = _font(spec, "byline"), spec.styles["byline"].size
    caption_fonts, caption_size = _family(spec, "caption"), spec.styles["caption"].size
    masthead = parse_length(spec.section("masthead")["height"]) or 120.0
    foot = spec.page_height - spec.margin_bottom
    mm = 25.4 / 72

    def is_body(ch):
        return ch["font"] in body_fonts and abs(ch["size"] - body_size) < 0.3

    def is_title(ch):
        return (ch["font"] == title_font
                and any(abs(ch["size"] - s) < 0.06 for s in title_sizes)
                and not any(abs(ch["size"] - s) < 0.06 for s in not_titles))

    def is_byline(ch):
        return ch["font"] == byline_font and abs(ch["size"] - byline_size) < 0.2

    articles = list(issue.articles) if issue is not None else []
    sources = {}  # normalised caption start -> (width px, height px)
    for art in articles:
        for block in list(getattr(art, "lead", None) and [art.lead] or []) + list(art.blocks):
            if type(block).__name__ == "Figure" and block.pixel_size:
                key = _norm("".join(r.text for r in block.caption))[:24]
                if key:
                    sources[key] = tuple(block.pixel_size)

    out: dict = {"pages": 0, "holes": [], "thin_last_page": None, "last_page": {},
                 "photos": [], "foot_openings": [], "baseline_pairs_off": [],
                 "off_grid_lines": [], "byline_space": [], "contents": {},
                 "paragraph_gaps": [],
                 "bookmarks": []}
    with pdfplumber.open(pdf_path) as pdf:
        n_pages = len(pdf.pages)
        out["pages"] = n_pages
        for number, page in enumerate(pdf.pages, start=1):
            trim = page.trimbox if hasattr(page, "trimbox") and page.trimbox else page.bbox
            ox, oy = trim[0] - page.bbox[0], trim[1] - page.bbox[1]
            cols = _columns(spec, number, masthead)
            col_top = cols[0][2]

            def column_of(ch, cols=cols):
                return _column_at((ch["x0"] + ch["x1"]) / 2, cols)

            chars = [{"text": c["text"], "font": c["fontname"].split("+")[-1],
                      "size": c["size"], "x0": c["x0"] - ox, "x1": c["x1"] - ox,
                      "top": c["top"] - oy, "bottom": c["bottom"] - oy,
                      "baseline": page.height - c["matrix"][5] - oy}
                     for c in page.chars if c["text"].strip()]
            text = "".join(c["text"] for c in page.chars)
            if "bookmark" in text.lower():
                out["bookmarks"].append(number)
            images = [(im["x0"] - ox, im["x1"] - ox, im["top"] - oy, im["bottom"] - oy)
                      for im in page.images]
            # Every filled shape takes room (a QR code is drawn as small squares); the
            # larger ones are the contents box and the boxes.
            fills = [(r["x0"] - ox, r["x1"] - ox, r["top"] - oy, r["bottom"] - oy)
                     for r in page.rects if r.get("fill") and r["width"] * r["height"] > 0]
            rects = [r for r in fills if r[1] - r[0] > 20 and r[3] - r[2] > 20
                     and r[2] > col_top - 2 * L]

            def inside(ch, rects=rects):
                return any(x0 - 0.5 <= ch["x0"] and ch["x1"] <= x1 + 0.5 and t - 0.5 <= ch["top"]
                           and ch["bottom"] <= b + 0.5 for x0, x1, t, b in rects)

            free = [c for c in chars if c["top"] >= col_top - L and c["bottom"] <= foot + 1
                    and not inside(c)]
            body = _group_lines([c for c in free if is_body(c)], column_of)
            # Titles and bylines may run across columns: one line per baseline, in the
            # column where it starts.
            titles = _group_lines([c for c in free if is_title(c)], lambda ch: 0)
            bylines = _group_lines([c for c in free if is_byline(c)], lambda ch: 0)
            for ln in titles + bylines:
                ln.column = _column_at(ln.x0 + 1, cols)
            titles.sort(key=lambda ln: (ln.column, ln.baseline))
            bylines.sort(key=lambda ln: (ln.column, ln.baseline))

            # Boxes: filled rects standing on the foot of the text area.
            boxes = [r for r in rects if abs(r[3] - foot) < 2.0 and r[3] - r[2] > 30]

            def floor_of(c, boxes=boxes, cols=cols):
                x0, x1, _ = cols[c]
                return min([t for bx0, bx1, t, _b in boxes if bx1 > x0 + 1 and bx0 < x1 - 1]
                           + [foot])

            # Everything that takes room, a spanning title over the columns it reaches.
            items = [(c["x0"], c["x1"], c["top"], c["bottom"]) for c in chars
                     if not is_title(c)]
            for t in _group_lines([c for c in chars if is_title(c)], lambda ch: 0):
                first = column_of({"x0": t.x0, "x1": t.x0})
                last = column_of({"x0": t.x1 - 1, "x1": t.x1 - 1})
                items.append((cols[first][0], cols[last][1], t.top, t.bottom))
            items += images + fills

            # 1. Empty runs over 2.5 body lines (all pages; the last page's are kept apart).
            for c, (x0, x1, top) in enumerate(cols):
                runs = _runs_in(items, x0, x1, top, floor_of(c))
                for y, h in runs:
                    # The last line's box stops short of the foot by up to a line.
                    if h > 2.5 * L and not (y + h >= floor_of(c) - 0.5 and h <= L):
                        out["holes"].append({"page": number, "column": c + 1,
                                             "lines": round(h / L, 1),
                                             "at_mm": round(y * mm), "last": number == n_pages,
                                             "at_foot": y + h >= floor_of(c) - 0.5})

            # 7. Baselines of adjacent columns on one grid.
            phases = []
            for c in range(len(cols)):
                bl = [ln.baseline for ln in body if ln.column == c]
                if bl:
                    phase, off = _dominant_phase(bl, L)
                    phases.append((c, phase))
                    if off:
                        out["off_grid_lines"].append({"page": number, "column": c + 1,
                                                      "lines": off, "of": len(bl)})
            for (a, pa), (b, pb) in zip(phases, phases[1:], strict=False):
                d = _phase_diff(pa, pb, L)
                if b == a + 1 and abs(d) > 0.5:
                    out["baseline_pairs_off"].append({"page": number, "columns": [a + 1, b + 1],
                                                      "offset_pt": round(d, 2)})

            # 9. Blank lines opened between two paragraphs to fill a column: two body
            # lines exactly two leadings apart with nothing between, the second a full
            # (justified) line reaching the column's right edge (a quotation is indented
            # on both sides, so it is not counted).
            for c, (x0, x1, _top) in enumerate(cols):
                lines = sorted((ln for ln in body if ln.column == c), key=lambda ln: ln.baseline)
                gaps = 0
                for a, b in zip(lines, lines[1:], strict=False):
                    if abs(b.baseline - a.baseline - 2 * L) > 0.6 or b.x1 < x1 - 3:
                        continue
                    between = [it for it in items if it[1] > x0 + 1 and it[0] < x1 - 1
                               and a.bottom + 0.5 < it[2] and it[3] < b.top - 0.5]
                    if not between:
                        gaps += 1
                if gaps:
                    out["paragraph_gaps"].append({"page": number, "column": c + 1,
                                                  "lines": gaps})

            # 8. Space under bylines: byline baseline to the next body baseline below it in
            # the column (a photo or title between: not counted).
            spaces = []
            for by in bylines:
                if any(o.column == by.column and 0 < o.baseline - by.baseline < 1.5 * L
                       for o in bylines):
                    continue  # a byline set on two lines: measured from its last
                below = [ln for ln in body if ln.column == by.column and ln.baseline > by.baseline]
                if not below:
                    continue
                nxt = min(below, key=lambda ln: ln.baseline)
                if any(im[2] > by.baseline and im[3] < nxt.baseline for im in images) or any(
                        t.column == by.column and by.baseline < t.baseline < nxt.baseline
                        for t in titles):
                    continue
                if nxt.baseline - by.baseline < 4 * L:
                    spaces.append(round(nxt.baseline - by.baseline, 1))
            if spaces:
                out["byline_space"].append({"page": number, "min_pt": min(spaces),
                                            "max_pt": max(spaces),
                                            "spread_pt": round(max(spaces) - min(spaces), 1)})

            # 6. Article openings at a column's foot: a title block with fewer than 5 body
            # lines under it before its column ends (the column full to its floor).
            blocks: list[list[_Line]] = []
            for t in titles:
                if blocks and blocks[-1][-1].column == t.column and \
                        t.top - blocks[-1][-1].bottom < L:
                    blocks[-1].append(t)
                else:
                    blocks.append([t])
            for blk in blocks:
                c = blk[0].column
                if max(t.x1 for t in blk) > cols[c][1] + 2:
                    continue  # a title across columns heads the page, not a column's foot
                later = [b2[0].top for b2 in blocks if b2[0].column == c
                         and b2[0].top > blk[-1].bottom]
                if later:
                    continue
                under = [ln for ln in body if ln.column == c and ln.baseline > blk[-1].bottom]
                content = [it[3] for it in items if it[0] < cols[c][1] - 1 and
                           it[1] > cols[c][0] + 1 and it[3] <= floor_of(c) + 1]
                end = max(content, default=blk[-1].bottom)
                if len(under) < 5 and floor_of(c) - end < 2 * L:
                    out["foot_openings"].append({"page": number, "column": c + 1,
                                                 "lines": len(under),
                                                 "title": "".join(t.text for t in blk)[:40]})

            # 5. Photos: span by the column grid, caption alignment, aspect, size.
            for x0, x1, top, bottom in images:
                w, h = x1 - x0, bottom - top
                if number == 1 and bottom < col_top - L:
                    continue  # the masthead's logo
                first = next((c for c in range(len(cols)) if cols[c][1] > x0 + 1), 0)
                last = max((c for c in range(len(cols)) if cols[c][0] < x1 - 1), default=first)
                span_w = cols[last][1] - cols[first][0]
                cap = [c for c in chars if c["font"] in caption_fonts
                       and c["size"] <= caption_size + 0.3
                       and bottom - 1 <= c["top"] <= bottom + 2.5 * spec.styles["caption"].leading
                       and c["x1"] > cols[first][0] and c["x0"] < cols[last][1]]
                caption = "".join(c["text"] for c in sorted(cap, key=lambda c: (
                    round(c["baseline"]), c["x0"])))
                cap_x0 = min((c["x0"] for c in cap), default=None)
                src = next((v for k, v in sources.items() if k and _norm(caption).startswith(
                    k[:min(len(k), 20)])), None)
                if not cap and w < 25 / mm and abs(w - h) < 1:
                    continue  # a QR code
                narrower = span_w - w > 1.0
                beside = any(c["top"] < bottom and c["bottom"] > top and (
                    c["x1"] <= x0 or c["x0"] >= x1) and cols[first][0] - 1 <= c["x0"]
                    and c["x1"] <= cols[last][1] + 1 for c in chars) if narrower else None
                portrait = bool(src and src[1] > src[0])
                aspect = w / h if h else 0.0
                out["photos"].append({
                    "page": number, "columns": [first + 1, last + 1],
                    "w_mm": round(w * mm, 1), "h_mm": round(h * mm, 1),
                    "span_mm": round(span_w * mm, 1), "narrower": narrower,
                    "caption": caption[:30], "caption_aligned": (
                        None if cap_x0 is None else abs(cap_x0 - x0) < 1.0),
                    "text_beside": beside,
                    "source": list(src) if src else None, "portrait": portrait,
                    "aspect": round(aspect, 3),
                    "aspect_ok": (0.75 - 0.01 <= aspect <= 1.0 + 0.01) if portrait else None})

            # 9. The contents box on page 1.
            if number == 1 and issue is not None:
                heading = str(spec.section("contents")["title"])
                inbox = [c for c in chars if inside(c)]
                boxtext = _norm("".join(c["text"] for c in sorted(
                    inbox, key=lambda c: (column_of(c), round(c["baseline"]), c["x0"]))))
                listed = [a for a in articles
                          if _norm(a.toc_title or "".join(r.text for r in a.title)
                                   if not isinstance(a.title, str) else a.toc_title or a.title
                                   )[:16] in boxtext]
                out["contents"] = {"found": _norm(heading) in boxtext,
                                   "articles": len(articles), "listed": len(listed),
                                   "continued": "continuedonpage" in boxtext}

            # 2, 3, 4. The last page: text outside the boxes, where columns end above them.
            if number == n_pages:
                total = sum(foot - top for _, _, top in cols)
                ends, held = [], 0.0
                for c, (x0, x1, top) in enumerate(cols):
                    floor = floor_of(c)
                    runs = _runs_in([it for it in items if it not in boxes], x0, x1, top, floor)
                    held += (floor - top) - sum(h for _, h in runs if h > L)
                    tail = runs[-1] if runs and runs[-1][0] + runs[-1][1] >= floor - 0.5 else None
                    gap = tail[1] if tail else 0.0
                    inner = [h / L for y, h in runs if h > 2.5 * L and (y, h) != tail]
                    # A full column ends about a line above the boxes (the space set
                    # between them), or on the foot but for its last line's descent.
                    allowance = 1.0 if floor < foot - 1 else 0.2
                    ends.append({"column": c + 1, "gap_lines": round(gap / L, 1),
                                 "short_lines": round(max(0.0, gap / L - allowance), 1),
                                 "above_boxes": floor < foot - 1, "inner_runs": inner})
                gaps = [e["gap_lines"] for e in ends]
                spread = round(max(gaps) - min(gaps), 1)
                inner = any(e["inner_runs"] for e in ends)
                white = ("none" if max(gaps) <= 1.0 and not inner else
                         "one band" if spread <= 1.0 and not inner else "ragged")
                share = held / total if total else 1.0
                out["thin_last_page"] = share < 0.25
                out["last_page"] = {"text_share": round(share, 3),
                                    "boxes": len(boxes),
                                    "box_top_mm": round(min((b[2] for b in boxes),
                                                            default=foot) * mm),
                                    "columns": ends, "end_spread_lines": spread,
                                    "max_gap_lines": max(gaps), "white": white,
                                    "max_short_lines": max(e["short_lines"] for e in ends),
                                    "white_mm": round(max(gaps) * L * mm)}
    return out


def summary(fig: dict) -> dict:
    """The figures a table shows, one per target."""
    holes_ = [h for h in fig["holes"] if not h["last"]]
    photos = fig["photos"]
    bad_photos = [p for p in photos if p["narrower"] and not (
        p["caption_aligned"] and p["text_beside"])]
    portraits = [p for p in photos if p["portrait"]]
    spreads = [b["spread_pt"] for b in fig["byline_space"]]
    last = fig["last_page"]
    contents = fig["contents"]
    return {
        "pages": fig["pages"],
        "holes": len(holes_), "hole_max": max((h["lines"] for h in holes_), default=0.0),
        "thin_last": fig["thin_last_page"], "last_share": last.get("text_share"),
        "end_spread": last.get("end_spread_lines"), "max_gap": last.get("max_gap_lines"),
        "last_short": last.get("max_short_lines"),
        "white": last.get("white"),
        "narrow_photos": len(bad_photos),
        "portrait_aspects": [p["aspect"] for p in portraits],
        "portraits_bad": sum(1 for p in portraits if not p["aspect_ok"]),
        "foot_openings": len(fig["foot_openings"]),
        "foot_opening_min": min((o["lines"] for o in fig["foot_openings"]), default=None),
        "baseline_pairs_off": len(fig["baseline_pairs_off"]),
        "byline_spread": max(spreads, default=0.0),
        "contents": f"{contents.get('listed', '?')}/{contents.get('articles', '?')}",
        "bookmarks": bool(fig["bookmarks"]),
        "paragraph_gaps": sum(g["lines"] for g in fig["paragraph_gaps"]),
    }
