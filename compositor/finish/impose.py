"""Printer spreads for a saddle-stitched booklet.

Sheets are folded in the middle and nested, so the pages on each side of a sheet are not
consecutive: for n pages (a multiple of 4), sheet s (from 0) carries n-2s | 2s+1 on the
front and 2s+2 | n-2s-1 on the back. Blank pages fill the issue up to a multiple of 4.
Each page keeps its bleed on the outer edges and is cut at the spine; the sheet gets
its own trim and bleed boxes, crop marks and fold marks.
"""

from __future__ import annotations

import io

import pikepdf
from pikepdf import Array, Dictionary


def saddle_order(pages: int, right_bound: bool = False
                 ) -> list[tuple[int | None, int | None]]:
    """(left, right) page numbers for each sheet side, front then back; None = blank.
    A right-to-left booklet is bound on its right edge: each spread is reversed, so
    page 1 is the front cover's left half and the pages read from right to left."""
    n = pages + (-pages) % 4
    sides = []
    for s in range(n // 4):
        sides.append((n - 2 * s, 2 * s + 1))
        sides.append((2 * s + 2, n - 2 * s - 1))
    if right_bound:
        sides = [(b, a) for a, b in sides]
    return [(a if a is not None and a <= pages else None,
             b if b is not None and b <= pages else None) for a, b in sides]


def impose_saddle(data: bytes, right_bound: bool = False) -> tuple[bytes, int]:
    """Return (imposed PDF, number of blank pages added)."""
    src = pikepdf.open(io.BytesIO(data))
    out = pikepdf.new()
    pages = list(src.pages)
    first = pages[0].obj
    media = [float(v) for v in first.MediaBox]
    trim = [float(v) for v in first.get("/TrimBox", first.MediaBox)]
    bleed = [float(v) for v in first.get("/BleedBox", first.MediaBox)]
    off_x, off_y = trim[0] - media[0], trim[1] - media[1]
    w, h = trim[2] - trim[0], trim[3] - trim[1]
    b = trim[0] - bleed[0]
    sheet_w, sheet_h = 2 * w + 2 * off_x, h + 2 * off_y
    forms = [out.copy_foreign(p.as_form_xobject()) for p in pages]
    order = saddle_order(len(pages), right_bound)
    for left, right in order:
        sheet = out.add_blank_page(page_size=(sheet_w, sheet_h))
        sheet.obj.TrimBox = Array([off_x, off_y, off_x + 2 * w, off_y + h])
        sheet.obj.BleedBox = Array([off_x - b, off_y - b, off_x + 2 * w + b, off_y + h + b])
        xobjects = Dictionary()
        ops = []
        for slot, number in ((0, left), (1, right)):
            if number is None:
                continue
            name = f"/P{number}"
            xobjects[name] = forms[number - 1]
            # Left page: bleed on the outer (left) edge, cut at the spine; right: mirrored.
            x0 = off_x - b if slot == 0 else off_x + w
            x1 = off_x + w if slot == 0 else off_x + 2 * w + b
            dx = slot * w - (media[0])
            ops.append(f"q {x0:.3f} {off_y - b:.3f} {x1 - x0:.3f} {h + 2 * b:.3f} re W n "
                       f"1 0 0 1 {dx:.3f} {-media[1]:.3f} cm {name} Do Q")
        ops.append(_marks(off_x, off_y, w, h, b))
        sheet.obj.Resources = Dictionary(XObject=xobjects)
        sheet.obj.Contents = out.make_stream("\n".join(ops).encode())
    if "/OutputIntents" in src.Root:
        out.Root.OutputIntents = Array([out.copy_foreign(src.make_indirect(intent))
                                        for intent in src.Root.OutputIntents])
    for key, value in src.docinfo.items():
        out.docinfo[key] = value
    if "/Metadata" in src.Root:
        out.Root.Metadata = out.copy_foreign(src.Root.Metadata)
    buf = io.BytesIO()
    out.save(buf, deterministic_id=True, min_version=src.pdf_version)
    blanks = sum((a is None) + (b_ is None) for a, b_ in order)
    return buf.getvalue(), blanks


def _marks(ox: float, oy: float, w: float, h: float, b: float) -> str:
    """Crop marks at the sheet's corners and fold marks at the spine, outside the bleed,
    in registration colour."""
    start, end = b + 2.0, max(b + 8.0, ox - 2.0)
    lines = []
    for x in (ox, ox + 2 * w):
        for y in (oy, oy + h):
            sx = -1 if x == ox else 1
            sy = -1 if y == oy else 1
            lines.append(f"{x + sx * start:.3f} {y:.3f} m {x + sx * end:.3f} {y:.3f} l")
            lines.append(f"{x:.3f} {y + sy * start:.3f} m {x:.3f} {y + sy * end:.3f} l")
    spine = ox + w
    lines.append(f"{spine:.3f} {oy - start:.3f} m {spine:.3f} {oy - end:.3f} l")
    lines.append(f"{spine:.3f} {oy + h + start:.3f} m {spine:.3f} {oy + h + end:.3f} l")
    return "q 0.25 w [3 2] 0 d 1 1 1 1 K " + " ".join(lines[-2:]) + " S [] 0 d " + \
        " ".join(lines[:-2]) + " S Q"

