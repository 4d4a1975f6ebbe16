"""Page boxes and bleed, and text kept a safe distance inside the trim."""

from __future__ import annotations

import re
import shutil
import subprocess
from typing import TYPE_CHECKING, Any

from compositor.preflight.objects import (
    PT_PER_MM,
    Matrix,
    _apply,
    _inherited,
    _inside,
    _invert,
    _mm,
    _numbers,
)
from compositor.preflight.report import Finding, _collapse_pages

if TYPE_CHECKING:
    from compositor.preflight.core import Document


MIN_BLEED_PT = 8.5  # 3 mm, rounded the way printers quote it
SAFE_MARGIN_PT = 3 * PT_PER_MM


def check_boxes(doc: Document) -> list[Finding]:
    findings: list[Finding] = []
    bleeds: list[str | None] = []
    for number, page in doc.pages():
        unit = doc.user_unit(page)
        media, crop, trim, bleed = doc.boxes(page)
        if trim is None:
            findings.append(
                Finding(
                    "error", number, "TrimBox", "TrimBox is missing; the cut size is unknown"
                )
            )
        if bleed is None:
            findings.append(Finding("warning", number, "BleedBox", "BleedBox is missing"))
        elif not _inside(bleed, media):
            findings.append(
                Finding("warning", number, "BleedBox", "BleedBox is not inside the MediaBox")
            )
        if trim is None:
            bleeds.append(None)
            continue
        # An absent BleedBox defaults to the CropBox (ISO 32000 14.11.2).
        outer = bleed or crop
        sides = {
            "left": (trim[0] - outer[0]) * unit,
            "right": (outer[2] - trim[2]) * unit,
            "top": (outer[3] - trim[3]) * unit,
            "bottom": (trim[1] - outer[1]) * unit,
        }
        bleeds.append(", ".join(f"{side} {_mm(size)}" for side, size in sides.items()))
        short = [side for side, size in sides.items() if size < MIN_BLEED_PT - 1e-3]
        if short:
            listed = ", ".join(f"{side} {_mm(sides[side])}" for side in short)
            findings.append(
                Finding("warning", number, "BleedBox", f"bleed is below 3 mm: {listed}")
            )
    findings += _collapse_pages(bleeds, "BleedBox", lambda text: f"bleed {text}")
    return findings


def check_safe_margin(doc: Document) -> list[Finding]:
    if doc.too_large():
        return [Finding("warning", None, "text", "not checked: a page is too large to check")]
    fast = _safe_margin_poppler(doc)
    if fast is not None:
        return fast
    import pdfplumber  # heavy import, only print preflight needs it

    findings = []
    with pdfplumber.open(doc.path) as plumb:
        for (number, page), plpage in zip(doc.pages(), plumb.pages, strict=False):
            _, _, trim, _ = doc.boxes(page)
            if trim is None:
                continue  # reported by the box check; the margin would be guesswork
            to_user = _invert(_pdfminer_ctm(page))
            if to_user is None:
                continue
            shift = float(plpage.mediabox[0])
            close: list[tuple[float, str, str]] = []
            snippet: list[str] = []
            for char in plpage.chars:
                text = char.get("text", "")
                if not text.strip():
                    continue
                # pdfplumber shifts x (not y) by the MediaBox origin; undo
                # that to get pdfminer device space, then undo pdfminer's
                # own page transform to land in PDF user space.
                x0, x1 = float(char["x0"]) - shift, float(char["x1"]) - shift
                y0, y1 = float(char["y0"]), float(char["y1"])
                corners = [_apply(to_user, x, y) for x in (x0, x1) for y in (y0, y1)]
                ux0, ux1 = min(p[0] for p in corners), max(p[0] for p in corners)
                uy0, uy1 = min(p[1] for p in corners), max(p[1] for p in corners)
                if ux1 <= trim[0] or ux0 >= trim[2] or uy1 <= trim[1] or uy0 >= trim[3]:
                    continue  # slug lines and marks outside the trim are fine
                gaps = {
                    "left": ux0 - trim[0],
                    "right": trim[2] - ux1,
                    "bottom": uy0 - trim[1],
                    "top": trim[3] - uy1,
                }
                edge = min(gaps, key=gaps.__getitem__)
                if gaps[edge] < SAFE_MARGIN_PT - 1e-3:
                    close.append((gaps[edge], edge, text))
                    if len(snippet) < 24:
                        snippet.append(text)
            if close:
                gap, edge, _ = min(close)
                distance = f"{max(gap, 0.0) / PT_PER_MM:.1f} mm" if gap >= 0 else "crosses"
                findings.append(
                    Finding(
                        "warning",
                        number,
                        "text",
                        f"{len(close)} characters closer than 3 mm to the trim edge "
                        f"(closest: {distance} at the {edge} edge, "
                        f'"{"".join(snippet).strip()}")',
                    )
                )
    return findings


def _safe_margin_poppler(doc: Document) -> list[Finding] | None:
    """The same check from poppler's word boxes: about fifty times faster than
    pdfplumber. Only for unrotated pages; None means "use the slow path"."""
    tool = shutil.which("pdftotext")
    if tool is None:
        return None
    pages = list(doc.pages())
    for _, page in pages:
        if int(_inherited(page, "/Rotate") or 0) % 360:
            return None
    try:
        proc = subprocess.run([tool, "-q", "-bbox", str(doc.path), "-"],
                              capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    html = proc.stdout.decode("utf-8", "replace")
    chunks = html.split("<page ")[1:]
    if len(chunks) != len(pages):
        return None
    word = re.compile(r'<word xMin="([\d.\-]+)" yMin="([\d.\-]+)" xMax="([\d.\-]+)" '
                      r'yMax="([\d.\-]+)">([^<]*)</word>')
    findings = []
    for (number, page), chunk in zip(pages, chunks, strict=True):
        _, crop, trim, _ = doc.boxes(page)
        if trim is None:
            continue
        left, top = crop[0], crop[3]
        close: list[tuple[float, str, str]] = []
        for m in word.finditer(chunk):
            x0, y0, x1, y1 = (float(v) for v in m.groups()[:4])
            ux0, ux1 = left + x0, left + x1
            uy0, uy1 = top - y1, top - y0
            if ux1 <= trim[0] or ux0 >= trim[2] or uy1 <= trim[1] or uy0 >= trim[3]:
                continue  # slug lines and marks outside the trim are fine
            gaps = {"left": ux0 - trim[0], "right": trim[2] - ux1,
                    "bottom": uy0 - trim[1], "top": trim[3] - uy1}
            edge = min(gaps, key=gaps.__getitem__)
            if gaps[edge] < SAFE_MARGIN_PT - 1e-3:
                close.append((gaps[edge], edge, m.group(5)))
        if close:
            gap, edge, _ = min(close)
            distance = f"{max(gap, 0.0) / PT_PER_MM:.1f} mm" if gap >= 0 else "crosses"
            sample = " ".join(t for _, _, t in close[:6])
            findings.append(Finding(
                "warning", number, "text",
                f"{len(close)} word{'s' if len(close) != 1 else ''} closer than 3 mm "
                "to the trim edge (closest: "
                f'{distance} at the {edge} edge, "{sample}")'))
    return findings


def _pdfminer_ctm(page: Any) -> Matrix:
    """The page transform pdfminer applies before reporting character boxes."""
    raw = _numbers(_inherited(page, "/MediaBox"), 4) or (0.0, 0.0, 612.0, 792.0)
    x0, y0, x1, y1 = raw
    try:
        rotate = int(_inherited(page, "/Rotate") or 0) % 360
    except (TypeError, ValueError):
        rotate = 0
    if rotate == 90:
        return (0.0, -1.0, 1.0, 0.0, -y0, x1)
    if rotate == 180:
        return (-1.0, 0.0, 0.0, -1.0, x1, y1)
    if rotate == 270:
        return (0.0, 1.0, -1.0, 0.0, y1, -x0)
    return (1.0, 0.0, 0.0, 1.0, -x0, -y0)
