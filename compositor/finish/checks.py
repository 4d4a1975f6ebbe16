"""Checks the layout answers without reading the PDF back."""

from __future__ import annotations

from compositor.layout.chunks import TextPart
from compositor.layout.result import IssueLayout
from compositor.preflight.boxes import SAFE_MARGIN_PT
from compositor.preflight.objects import PT_PER_MM
from compositor.preflight.report import Finding

ASCENT, DESCENT = 0.75, 0.25  # of the type size: a generous box around a line's glyphs


def text_near_trim(layout: IssueLayout) -> list[Finding]:
    """Lines closer than 3 mm to the trim edge, per page: the layout knows where every line
    sits, so the print check needs no text extraction. Same rule as the preflight's."""
    width, height = layout.spec.page_width, layout.spec.page_height
    findings = []
    for page in layout.pages:
        close: list[tuple[float, str, str]] = []
        parts = [(0.0, 0.0, p) for p in page.furniture]
        parts += [(pl.x, pl.y, p) for pl in page.placed for p in pl.chunk.parts]
        for x, y, part in parts:
            if not isinstance(part, TextPart) or not part.line.frags:
                continue
            line = part.line
            left = x + part.dx
            drawn = line.measure if part.align == "justify" and line.justified else line.natural
            if part.align == "center":
                left += (line.measure - line.natural) / 2
            elif part.align == "right":
                left += line.measure - line.natural
            size = max(f.size for f in line.frags)
            base = y + part.baseline
            gaps = {"left": left, "right": width - (left + drawn),
                    "top": base - ASCENT * size, "bottom": height - (base + DESCENT * size)}
            edge = min(gaps, key=gaps.__getitem__)
            if gaps[edge] < SAFE_MARGIN_PT - 1e-3:
                close.append((gaps[edge], edge, line.text.strip()[:30]))
        if close:
            gap, edge, _ = min(close)
            distance = f"{max(gap, 0.0) / PT_PER_MM:.1f} mm" if gap >= 0 else "crosses"
            sample = " / ".join(t for _, _, t in close[:3])
            findings.append(Finding(
                "warning", page.number, "text",
                f"{len(close)} line{'s' if len(close) != 1 else ''} closer than 3 mm to the "
                f'trim edge (closest: {distance} at the {edge} edge, "{sample}")'))
    return findings
