"""Pull quotes set across columns: where on the page each goes, and whether it may.

A spanning quote leaves an anchor (a chunk of no height) in its article's text. After a
flow, the quote is placed across the anchor's column and the next one (or the one before,
in the last column), at the anchor's height on the baseline grid, and the same band is cut
out of every column it spans; the text is flowed again around it. A quote that cannot
settle, or that would end up beside another article's text or below the end of a
balanced page, is set within its column instead.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from compositor.layout.chunks import Chunk
from compositor.layout.flow import Placed
from compositor.layout.pages import FlowResult, PagePlan

EPS = 0.5


@dataclass(frozen=True)
class FloatSpot:
    page: int
    column: int  # the first column spanned
    columns: int
    y: float  # top, from the page top
    height: float


def with_inline(chunks: list[Chunk], inline: set[int]) -> list[Chunk]:
    """The chunks with the anchors of quotes that may not span replaced by their
    within-column setting."""
    if not inline:
        return chunks
    return [c.meta["inline"] if c.kind == "float" and c.meta["float"] in inline else c
            for c in chunks]


def spots(result: FlowResult, plan: PagePlan, inline: set[int]) -> dict[int, FloatSpot | None]:
    """Where each spanning quote goes after this flow (None: its column has no room)."""
    cols = plan.spec.columns
    out: dict[int, FloatSpot | None] = {}
    for p in result.placed:
        meta = p.chunk.meta
        if p.chunk.kind != "float" or meta["float"] in inline:
            continue
        n = min(meta["columns"], cols)
        first = p.column if p.column + n <= cols else cols - n
        slots = [s for s in plan.slots(p.page, holes=False) if first <= s.column < first + n]
        top = max(s.top for s in slots)
        bottom = min(s.bottom for s in slots)
        height = meta["wide"].height
        line = plan.gap
        # Two lines of text above and below at least, on the grid of the columns.
        low, high = top + 2 * line, bottom - height - 2 * line
        if high < low:
            out[meta["float"]] = None
            continue
        y = top + round((min(max(p.y, low), high) - top) / line) * line
        out[meta["float"]] = FloatSpot(p.page, first, n, min(max(y, low), high), height)
    return out


def settle(old: dict[int, FloatSpot | None], new: dict[int, FloatSpot | None], line: float
           ) -> dict[int, FloatSpot | None]:
    """The new spots, keeping an old one where the quote only moved by up to a line in
    the same columns (the text around it cannot always end exactly on the grid), or where
    its anchor now follows the band cut for it."""
    out = dict(new)
    for key, spot in new.items():
        before = old.get(key)
        if spot is not None and before is not None and (before.page, before.column) == (
                spot.page, spot.column) and (
                abs(before.y - spot.y) <= line + EPS
                # the anchor now sits right under the band cut for it: the float is
                # where its anchor is (a tall one would otherwise swap above and below)
                or abs(before.y + before.height - spot.y) <= 2 * line + EPS):
            out[key] = before
    return out


def holes(found: dict[int, FloatSpot | None]) -> dict[int, tuple[tuple[int, float, float], ...]]:
    out: dict[int, list[tuple[int, float, float]]] = {}
    for spot in found.values():
        if spot is not None:
            out.setdefault(spot.page, []).extend(
                (c, spot.y, spot.height) for c in range(spot.column, spot.column + spot.columns))
    return {page: tuple(sorted(v)) for page, v in out.items()}


def misplaced(placed: list[Placed], found: dict[int, FloatSpot | None],
              articles: dict[int, int], line: float) -> set[int]:
    """Quotes that do not sit inside their own article's text: in every column spanned,
    the text just above and just below the quote must be the article's, and there must
    be some."""
    bad = set()
    for key, spot in found.items():
        if spot is None:
            bad.add(key)
            continue
        article = articles[key]
        for col in range(spot.column, spot.column + spot.columns):
            here = [p for p in placed if p.page == spot.page and p.column == col
                    and p.chunk.height > 0 and not p.chunk.meta.get("band")]
            above = [p for p in here
                     if spot.y - 1.5 * line < p.y + p.chunk.height < spot.y + EPS]
            below = [p for p in here
                     if spot.y + spot.height - EPS < p.y < spot.y + spot.height + 1.5 * line]
            near = above + below
            if not near or any(p.chunk.article != article for p in near):
                bad.add(key)
                break
    return bad


def place_quotes(pages: list, found: dict[int, FloatSpot | None], plan: PagePlan) -> None:
    """Put each spanning quote on its page, right after its anchor (reading order)."""
    for page in pages:
        placed = []
        for p in page.placed:
            placed.append(p)
            spot = found.get(p.chunk.meta.get("float")) if p.chunk.kind == "float" else None
            if spot is not None:
                wide = replace(p.chunk.meta["wide"],
                               meta={"band": True, "span": (spot.column, spot.columns)})
                placed.append(Placed(wide, spot.page, spot.column,
                                     plan.column_x(spot.page, spot.column), spot.y))
        page.placed = placed
