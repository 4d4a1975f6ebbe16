"""Putting what the flow decided onto pages: page numbers filled into the contents box and
jump lines, the rules between columns, the resolution photos print at."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from compositor.layout.chunks import Chunk, ImagePart, LinkPart, Part, RulePart, TextPart
from compositor.layout.compose import Composer, PageRef
from compositor.layout.result import PageLayout
from compositor.load.layout import LayoutSpec
from compositor.model.content import Run


def printed_ppi(images: list, pages: list[PageLayout]) -> list:
    """(location, ppi, path) of every photo, the ppi as printed: photos are cropped and
    resized by the make-up after they were first set, so the pixels kept across the width
    they take on the page count, at the least sharp of its placements."""
    least: dict[Path, float] = {}
    for page in pages:
        for p in page.placed:
            for part in p.chunk.parts:
                if isinstance(part, ImagePart) and part.width > 0 and \
                        (part.crop or part.pixel_size[0]):
                    kept = (part.crop[2] - part.crop[0]) if part.crop else part.pixel_size[0]
                    ppi = kept / (part.width / 72.0)
                    least[part.path] = min(least.get(part.path, ppi), ppi)
    return [(where, least.get(path, ppi), path) for where, ppi, path in images]


def column_rules(page: PageLayout, spec: LayoutSpec) -> list[Part]:
    """Hairlines centred in each gutter, as long as the text beside them."""
    cols: dict[int, tuple[float, float]] = {}
    for p in page.placed:
        if p.chunk.kind in ("box", "contents") or p.chunk.meta.get("band"):
            continue
        top, bottom = cols.get(p.column, (p.y, p.y))
        cols[p.column] = (min(top, p.y), max(bottom, p.y + p.chunk.height))
    rules: list[Part] = []
    for c in range(spec.columns - 1):
        if c in cols and c + 1 in cols:
            top = max(cols[c][0], cols[c + 1][0])
            bottom = min(cols[c][1], cols[c + 1][1])
            x = next(p.x for p in page.placed if p.column == c + 1) - spec.gutter / 2
            # A pull quote across this gutter interrupts the rule.
            cuts = sorted((p.y, p.y + p.chunk.height) for p in page.placed
                          if "span" in p.chunk.meta
                          and p.chunk.meta["span"][0] <= c < sum(p.chunk.meta["span"]) - 1)
            for cut_top, cut_bottom in [*cuts, (bottom, bottom)]:
                if min(cut_top, bottom) - top > 20:
                    rules.append(RulePart(x, top, min(cut_top, bottom) - top, 0.4, "rule",
                                          vertical=True))
                top = max(top, cut_bottom)
    return rules


def resolve_refs(chunk: Chunk, anchors: dict[str, int], comp: Composer) -> Chunk:
    parts: list[Part] = []
    for part in chunk.parts:
        if isinstance(part, PageRef):
            text = part.template.format(page=comp.digits(str(anchors.get(part.anchor, "?"))))
            line = comp.ts.set((Run(text, bold=part.bold),), part.style, 1000.0,
                               align="left").lines[0]
            x = part.right if part.align_left else part.right - line.natural
            parts.append(TextPart(line, x, part.baseline, "left", part.tag))
            if part.link:
                parts.append(LinkPart(x, part.baseline - part.style.size, line.natural,
                                      part.style.leading, f"#{part.anchor}"))
        else:
            parts.append(part)
    return replace(chunk, parts=tuple(parts))
