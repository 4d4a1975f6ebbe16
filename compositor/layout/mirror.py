"""Mirroring a laid-out page for right-to-left editions.

Everything is laid out as for a left-to-right edition and then reflected about the
page's vertical centre line: columns run right to left, the inside margin of page 1 is
on the right (the binding edge), contents page numbers end up on the left, bullets and
indents on the right, the masthead's logo and footer fields swap sides. Text is not
reflected, only where it stands: a line set flush left becomes flush right, a justified
line keeps its measure. Glyph order within lines is the text engine's business
(text/shaping.py); this module only moves boxes.
"""

from __future__ import annotations

from dataclasses import replace

from compositor.layout.chunks import ImagePart, LinkPart, Part, RectPart, RulePart, TextPart
from compositor.layout.flow import Placed


def _extent(part: TextPart) -> tuple[float, float]:
    """Left edge and width of what a text line covers on the page, relative to its dx."""
    line = part.line
    if part.align == "justify":
        return 0.0, line.measure
    if part.align == "center":
        return (line.measure - line.natural) / 2, line.natural
    if part.align == "right":
        return line.measure - line.natural, line.natural
    return 0.0, line.natural


def mirror_part(part: Part, x: float, new_x: float, page_width: float) -> Part:
    """The part of a chunk placed at `x` reflected, for the chunk placed at `new_x`."""
    if isinstance(part, TextPart):
        offset, width = _extent(part)
        left = page_width - (x + part.dx + offset) - width
        if part.align == "justify":
            return replace(part, dx=left - new_x)
        # Ragged lines keep their natural width: a flush-left line becomes flush right.
        return replace(part, dx=left - new_x, align="left")
    if isinstance(part, RulePart):
        length = 0.0 if part.vertical else part.length
        return replace(part, dx=page_width - (x + part.dx) - length - new_x)
    if isinstance(part, ImagePart | RectPart | LinkPart):
        return replace(part, dx=page_width - (x + part.dx) - part.width - new_x)
    return part


def mirror_placed(p: Placed, width: float, page_width: float) -> Placed:
    """A placed chunk `width` wide, reflected with everything in it."""
    new_x = page_width - p.x - width
    parts = tuple(mirror_part(part, p.x, new_x, page_width) for part in p.chunk.parts)
    return replace(p, x=new_x, chunk=replace(p.chunk, parts=parts))


def mirror_furniture(parts: list[Part], page_width: float) -> list[Part]:
    return [mirror_part(part, 0.0, 0.0, page_width) for part in parts]
