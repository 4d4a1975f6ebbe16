"""Sidebar boxes: set side by side in a band across the foot of their page, in rows, each
box taking whole columns."""

from __future__ import annotations

from dataclasses import replace

from compositor.errors import Diagnostic, UserError
from compositor.layout.chunks import Chunk, RectPart
from compositor.layout.compose import Composer
from compositor.layout.pages import PagePlan, past_whole_lines
from compositor.model.content import Box

MM = 72 / 25.4

# (box, column, x offset, y offset) of each box of a band
PlacedBox = tuple[Chunk, int, float, float]


class BoxBands:
    """The bands of boxes of one layout pass, each made once."""

    def __init__(self, comp: Composer, plan: PagePlan) -> None:
        self.comp, self.plan = comp, plan
        self._made: dict[tuple, tuple[list[PlacedBox], float]] = {}

    def band(self, boxes: list[Box], alone: bool = False) -> tuple[list[PlacedBox], float]:
        """The boxes of one page side by side, in rows, and the band's height. Each box
        takes whole columns, as many as its content needs: of the ways to share a row's
        columns, the one with the lowest row wins (then the most even heights), so an
        address box is not as wide as a long text. Boxes that share a page with text may
        take at most 80 % of it; `alone` (a page of boxes only) the whole of it."""
        key = (alone, *(id(b) for b in boxes))
        if key not in self._made:
            self._made[key] = self._band(boxes, alone)
        return self._made[key]

    def depths(self, boxes: list[Box]) -> dict[int, float] | None:
        """How far up from the foot of the type area each column is taken by the boxes
        (a band of one row), or None when the band is more than one row (then the whole
        band's height is taken from every column)."""
        placed, height = self.band(boxes)
        if len(boxes) > self.comp.spec.columns:
            return None
        out: dict[int, float] = {}
        # A row uses every column: each box runs to the next box's first column.
        starts = [col for _, col, _, _ in placed] + [self.comp.spec.columns]
        for (chunk, col, _, _), end in zip(placed, starts[1:], strict=False):
            for c in range(col, end):
                out[c] = chunk.height
        return out

    def _band(self, boxes: list[Box], alone: bool) -> tuple[list[PlacedBox], float]:
        spec, plan, gap = self.comp.spec, self.plan, self.plan.gap
        per_row = min(len(boxes), spec.columns)
        placed: list[PlacedBox] = []
        y = 0.0
        for start in range(0, len(boxes), per_row):
            row = boxes[start:start + per_row]
            best = None
            for split in _splits(spec.columns, len(row)):
                made = [self.comp.box(b, n * spec.column_width + (n - 1) * spec.gutter)
                        for b, n in zip(row, split, strict=True)]
                heights = [c.height for c in made]
                score = (max(heights), max(heights) - min(heights))
                if best is None or score < best[0]:
                    best = (score, split, made)
            _, split, made = best
            last_row = start + per_row >= len(boxes)
            if last_row and not alone:
                # Each box of the last row a little taller, so the columns above it hold
                # whole lines and their text ends one line above it, not a fraction more.
                made = [stretch_box(c, c.height + past_whole_lines(
                    plan.full_height(2) - (y + c.height) - gap, gap)) for c in made]
            row_h = max(c.height for c in made)
            one_row = last_row and start == 0 and not alone
            col = 0
            for chunk, n in zip(made, split, strict=True):
                # Every box keeps its own height: a short box is never stretched to its
                # neighbour's with its tint left empty. Boxes sharing a page with text sit
                # on the foot of the type area, the text of each column running down to
                # the box under it; stacked rows and pages of boxes alone read from the top.
                dy = y + (row_h - chunk.height if one_row else 0.0)
                placed.append((chunk, col, col * (spec.column_width + spec.gutter), dy))
                col += n
            y += row_h + gap
        height = y - gap
        room = plan.full_height(2) * (1.0 if alone else 0.8)
        if height > room:
            raise UserError([Diagnostic(b.where, f"the boxes for one page are "
                                                 f"{height / MM:.0f} mm tall and take more "
                                                 f"than {room / MM:.0f} mm of the page; "
                                                 "shorten them or spread them over pages")
                             for b in boxes])
        return placed, height


def _splits(columns: int, boxes: int) -> list[tuple[int, ...]]:
    """Every way to give `boxes` boxes side by side at least one of `columns` columns each,
    all of them used (evenest first)."""
    if boxes == 1:
        return [(columns,)]
    out = [(first, *rest) for first in range(1, columns - boxes + 2)
           for rest in _splits(columns - first, boxes - 1)]
    return sorted(out, key=lambda s: (max(s) - min(s), s))


def stretch_box(chunk: Chunk, height: float) -> Chunk:
    """Boxes in one row share a height, so their backgrounds line up."""
    parts = tuple(replace(p, height=height) if isinstance(p, RectPart) and p.dy == 0 else p
                  for p in chunk.parts)
    return replace(chunk, parts=parts, height=height)
