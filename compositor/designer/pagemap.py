"""Where everything is on each page, read from the layout result (never from the PDF): the
regions an article, paragraph, photo or box takes with the source file and line they came
from, the page's margins, columns, baseline grid and bleed, and where the holes the
make-up counted lie. The preview uses it for hover, click-to-source, guides and change
outlines. Coordinates are points from the top-left corner of the trimmed page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from compositor.layout.chunks import ImagePart, LinkPart, RectPart, RulePart, TextPart
from compositor.layout.flow import Placed
from compositor.layout.makeup import ink
from compositor.layout.result import IssueLayout
from compositor.load.layout import parse_length
from compositor.load.locale import right_to_left
from compositor.model.content import Article, Figure, ListBlock, Paragraph, Quote

Box = tuple[float, float, float, float]  # x0, y0, x1, y1

# Where type sits in a line box: a change outline drawn this far under a baseline passes
# between the descenders of one line and the capitals of the next, never through letters.
BETWEEN_LINES = 0.32  # of the body leading, under the baseline
SNIPPET = 60  # characters of a region's first line shown on hover

KINDS = {"body": "paragraph", "figure": "photo", "box": "box", "contents": "contents",
         "jump": "jump line", "rule": "rule"}


@dataclass(frozen=True)
class Region:
    box: Box
    column: int  # 1-based; 0 for something set across the columns
    kind: str  # title, paragraph, heading, photo, pull quote, box, contents, …
    article: str | None  # the article's title
    paragraph: int | None  # 1-based, in the article's source order
    path: Path | None  # the source file (None: made by compositor, e.g. the contents)
    line: int  # 1-based line in `path`
    text: str  # the first words, to recognise it by


@dataclass(frozen=True)
class HoleAt:
    column: int  # 1-based
    box: Box
    lines: float  # body lines, as the make-up counted them


@dataclass(frozen=True)
class PageMap:
    number: int
    width: float
    height: float
    bleed: float  # of the print PDF, beyond the trim on every side
    margins: tuple[float, float, float, float]  # top, right, bottom, left on this page
    columns: tuple[tuple[float, float], ...]  # x0, x1 of each column, left to right
    baselines: tuple[float, ...]  # the body's baseline grid inside the type area
    leading: float
    regions: tuple[Region, ...]
    holes: tuple[HoleAt, ...]

    def at(self, x: float, y: float) -> Region | None:
        """The region under a point (the smallest, when a box or band holds others)."""
        hits = [r for r in self.regions if r.box[0] <= x <= r.box[2] and r.box[1] <= y <= r.box[3]]
        return min(hits, key=lambda r: (r.box[2] - r.box[0]) * (r.box[3] - r.box[1]),
                   default=None)

    def column_of(self, x: float) -> int | None:
        return next((k + 1 for k, (a, b) in enumerate(self.columns) if a <= x <= b), None)


def page_maps(layout: IssueLayout) -> list[PageMap]:
    spec = layout.spec
    rtl = right_to_left(str(spec.section("page")["direction"]), layout.issue.language)
    bleed = parse_length(str(spec.section("print")["bleed"])) or 0.0
    numbers = _paragraph_numbers(layout.issue.articles)
    holes: dict[int, list[tuple[int, float]]] = {}
    for page, column, lines in layout.holes:
        holes.setdefault(page, []).append((column, lines))
    out = []
    for page in layout.pages:
        n = page.number
        inside_left = n % 2 == 1
        left = spec.margin_inside if inside_left else spec.margin_outside
        right = spec.margin_outside if inside_left else spec.margin_inside
        if rtl:  # the laid-out page is mirrored: so are its margins and columns
            left, right = right, left
        pitch = spec.column_width + spec.gutter
        columns = tuple((left + c * pitch, left + c * pitch + spec.column_width)
                        for c in range(spec.columns))
        top, bottom = spec.margin_top, spec.page_height - spec.margin_bottom
        leading = spec.styles["body"].leading
        regions = tuple(_regions(page.placed, layout, columns, numbers))
        out.append(PageMap(
            n, spec.page_width, spec.page_height, bleed,
            (spec.margin_top, right, spec.margin_bottom, left),
            columns, _baselines(page.placed, top, bottom, leading), leading, regions,
            tuple(_locate_holes(page.placed, holes.get(n, []), columns, layout, top,
                                bottom))))
    return out


def _paragraph_numbers(articles: Iterable[Article]) -> dict[tuple[Path, int], int]:
    """(file, line) of each paragraph -> its number in its article, in source order (list
    items and quoted paragraphs count as paragraphs)."""
    out: dict[tuple[Path, int], int] = {}

    def walk(blocks, counter: list[int]) -> None:
        for b in blocks:
            if isinstance(b, Paragraph):
                counter[0] += 1
                out.setdefault((b.where.path, b.where.line), counter[0])
            elif isinstance(b, ListBlock):
                for item in b.items:
                    walk(item, counter)
            elif isinstance(b, Quote):
                walk(b.blocks, counter)

    for article in articles:
        walk(article.blocks, [0])
    return out


def _extent(p: Placed) -> tuple[float, float]:
    """Left and right of what a placed chunk covers: its parts, at least its column."""
    lo, hi = 0.0, 0.0
    for part in p.chunk.parts:
        if isinstance(part, TextPart):
            a, b = part.dx, part.dx + max(min(part.line.natural, part.line.measure), 0.0)
        elif isinstance(part, ImagePart | RectPart | LinkPart):
            a, b = part.dx, part.dx + part.width
        elif isinstance(part, RulePart):
            a, b = part.dx, part.dx + (0.0 if part.vertical else part.length)
        else:
            continue
        lo, hi = min(lo, a), max(hi, b)
    return p.x + lo, p.x + hi


def _covers(p: Placed, columns, column_width: float) -> tuple[float, float]:
    """Left and right of the page a placed chunk takes: a band set across the columns
    takes them all, a boxed or contents chunk its own width, anything else at least its
    column."""
    x0, x1 = _extent(p)
    if p.chunk.meta.get("band") and not p.chunk.meta.get("span"):
        return min(x0, columns[0][0]), max(x1, columns[-1][1])
    if p.chunk.kind in ("box", "contents"):
        return x0, x1
    return x0, max(x1, p.x + column_width)


def _regions(placed: list[Placed], layout: IssueLayout, columns, numbers) -> list[Region]:
    spec = layout.spec
    out: list[Region] = []
    for p in placed:
        c = p.chunk
        if c.height <= 0 or not c.parts or c.kind == "space":
            continue
        article = layout.issue.articles[c.article] if c.article is not None and \
            0 <= c.article < len(layout.issue.articles) else None
        kind = KINDS.get(c.kind, c.kind)
        where = c.meta.get("where")
        if c.kind == "head":
            kind = "heading" if where is not None else "title"
        elif c.meta.get("what") == "pull quote" or (c.meta.get("band") and c.kind == "figure"
                                                     and not _image(c)):
            kind = "pull quote"
        elif c.kind == "figure" and _image(c) is None:
            kind = "QR code" if any(isinstance(x, RectPart) for x in c.parts) else "figure"
        if where is None and kind == "photo" and article is not None:
            where = _figure_where(article, _image(c).path)
        if where is None and article is not None:
            where = article.where
        path, line = (where.path, max(where.line, 1)) if where is not None else (None, 0)
        paragraph = numbers.get((path, where.line)) if where is not None and \
            kind == "paragraph" else None
        x0, x1 = _covers(p, columns, spec.column_width)
        column = _column(x0, x1, columns)
        box = (x0, p.y, x1, p.y + c.height)
        prev = out[-1] if out else None
        if prev is not None and (prev.column, prev.kind, prev.path, prev.line,
                                 prev.article) == (column, kind, path, line,
                                                   article.title if article else None) \
                and box[1] <= prev.box[3] + 1.0 and abs(box[0] - prev.box[0]) < 1.0:
            out[-1] = Region((min(prev.box[0], x0), prev.box[1], max(prev.box[2], x1),
                              max(prev.box[3], box[3])), column, kind, prev.article,
                             prev.paragraph, path, line, prev.text)
            continue
        out.append(Region(tuple(round(v, 2) for v in box), column, kind,
                          article.title if article else None, paragraph, path, line,
                          _first_words(c.parts)))
    return out


def _image(chunk) -> ImagePart | None:
    return next((x for x in chunk.parts if isinstance(x, ImagePart)), None)


def _figure_where(article: Article, path: Path):
    figures = [article.lead] if article.lead is not None else []
    stack = list(article.blocks)
    while stack:
        b = stack.pop(0)
        if isinstance(b, Figure):
            figures.append(b)
        elif isinstance(b, Quote):
            stack[:0] = b.blocks
    return next((f.where for f in figures if f is not None and f.path == path), None)


def _column(x0: float, x1: float, columns) -> int:
    """The 1-based column a stretch lies in; 0 when it covers more than one."""
    hit = [k + 1 for k, (a, b) in enumerate(columns) if x1 > a + 1 and x0 < b - 1]
    return hit[0] if len(hit) == 1 else 0


def _first_words(parts) -> str:
    texts = [part.line.text for part in parts if isinstance(part, TextPart)]
    if len(texts) > 1 and len(texts[0].strip()) <= 2:  # a drop cap, then its line
        texts = [texts[0].strip() + texts[1], *texts[2:]]
    text = next((t.strip() for t in texts if len(t.strip()) > 2), "")
    return text if len(text) <= SNIPPET else text[:SNIPPET - 1].rstrip() + "…"


def _baselines(placed: list[Placed], top: float, bottom: float, leading: float
               ) -> tuple[float, ...]:
    """The body baselines of the type area, on the grid the body lines of this page sit
    on (page 1's masthead moves it); under the top margin when the page has no body."""
    origin = next((p.y + part.baseline for p in placed if p.chunk.kind == "body"
                   for part in p.chunk.parts if isinstance(part, TextPart)), None)
    if origin is None:
        origin = top + 0.8 * leading
    first = origin - int((origin - top) / leading) * leading
    out = []
    y = first
    while y <= bottom + 0.01:
        out.append(round(y, 2))
        y += leading
    return tuple(out)


def _locate_holes(placed: list[Placed], holes: list[tuple[int, float]], columns,
                  layout: IssueLayout, top: float, bottom: float) -> Iterable[HoleAt]:
    """Where on the page each hole the make-up counted lies: of the empty stretches of its
    column (between what the column shows), the one as tall as the count."""
    leading = layout.spec.styles["body"].leading
    for column, lines in holes:
        a, b = columns[column - 1]
        shown = []
        for p in placed:
            x0, x1 = _covers(p, columns, layout.spec.column_width)
            if x1 > a + 1 and x0 < b - 1:
                span = ink(p)
                if span is not None:
                    shown.append(span)
        gaps, y = [], top
        for t, bt in sorted(shown):
            if t > y:
                gaps.append((y, t))
            y = max(y, bt)
        if bottom > y:
            gaps.append((y, bottom))
        if not gaps:
            continue
        y0, y1 = min(gaps, key=lambda g: abs((g[1] - g[0]) / leading - lines))
        yield HoleAt(column, (round(a, 2), round(y0, 2), round(b, 2), round(y1, 2)), lines)


def outline(region: Box, page: PageMap) -> Box:
    """A changed region (points) grown to whole lines and whole columns, so that its
    outline runs between lines of type and in the gutters, never through letters."""
    x0, y0, x1, y1 = region
    hit = [(a, b) for a, b in page.columns if x1 > a and x0 < b]
    if hit:
        gutter = (page.columns[1][0] - page.columns[0][1]) if len(page.columns) > 1 else 12.0
        pad = min(gutter / 2, 6.0)
        x0, x1 = min(x0, hit[0][0] - pad), max(x1, hit[-1][1] + pad)
    step = page.leading
    if page.baselines and page.baselines[0] - step <= y0 <= page.baselines[-1] + step:
        base = page.baselines[0] - step
        k0 = int((y0 - base - BETWEEN_LINES * step) // step)
        k1 = -int(-(y1 - base - BETWEEN_LINES * step) // step)
        y0 = max(0.0, base + k0 * step + BETWEEN_LINES * step)
        y1 = min(page.height, base + k1 * step + BETWEEN_LINES * step)
    return (round(max(0.0, x0), 2), round(y0, 2), round(min(page.width, x1), 2), round(y1, 2))


def as_json(page: PageMap, shown) -> dict:
    """What the preview page receives; `shown(path)` is the path as the designer reads it
    (relative to where `watch` runs, when it can be)."""
    return {
        "width": page.width, "height": page.height, "bleed": round(page.bleed, 2),
        "margins": [round(v, 2) for v in page.margins],
        "columns": [[round(a, 2), round(b, 2)] for a, b in page.columns],
        "baselines": list(page.baselines), "leading": page.leading,
        "regions": [{"box": list(r.box), "column": r.column, "kind": r.kind,
                     "article": r.article, "paragraph": r.paragraph,
                     # the absolute path as a URL path ("/home/…", "/C:/…"): {path}
                     # in an editor link
                     "path": r.path.resolve().as_uri()[len("file://"):] if r.path else None,
                     "file": shown(r.path) if r.path else None, "line": r.line,
                     "text": r.text} for r in page.regions],
        "holes": [{"column": h.column, "box": list(h.box), "lines": h.lines}
                  for h in page.holes],
    }
