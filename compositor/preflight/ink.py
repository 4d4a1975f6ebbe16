"""Total ink coverage, measured on a Ghostscript CMYK rendering of each page."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from compositor.preflight.objects import _apply
from compositor.preflight.report import Finding

if TYPE_CHECKING:
    from compositor.preflight.core import Document


DEFAULT_TAC_LIMIT = 300.0
TAC_DPI = 36
# Each 8-bit channel is quantised to 1/255, so four channels can drift ~0.8 %
# above the value the designer set; without this slack 75/75/75/75 could fail.
TAC_TOLERANCE = 1.0
GS_TIMEOUT_S = 600


def check_ink(doc: Document, tac_limit: float, dpi: int) -> list[Finding]:
    if doc.too_large():
        return [Finding("warning", None, "ink coverage",
                        "not checked: a page is too large to check")]
    gs = shutil.which("gs")
    if gs is None:
        return [
            Finding(
                "info", None, "ink coverage", "total ink coverage check skipped: gs not found"
            )
        ]
    findings = []
    with tempfile.TemporaryDirectory(prefix="preflight-tac-") as tmp:
        pattern = Path(tmp) / "page-%05d.tif"
        cmd = [
            gs, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiff32nc", f"-r{dpi}",
            # The bleed box keeps registration marks (400 % by design) in
            # the slug out of the measurement.
            "-dUseBleedBox", f"-sOutputFile={pattern}", str(doc.path.resolve()),
        ]  # fmt: skip
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=GS_TIMEOUT_S, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return [
                Finding("warning", None, "ink coverage", f"ink coverage not checked: {exc}")
            ]
        rendered = sorted(Path(tmp).glob("page-*.tif"))
        if proc.returncode != 0 or len(rendered) != len(doc.pdf.pages):
            stderr = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            why = stderr[-1] if stderr else f"exit status {proc.returncode}"
            findings.append(
                Finding(
                    "warning",
                    None,
                    "ink coverage",
                    f"Ghostscript rendered {len(rendered)} of {len(doc.pdf.pages)} pages: "
                    f"{why}",
                )
            )
        for number, tif in enumerate(rendered, 1):
            peak, region = _max_ink(tif, tac_limit + TAC_TOLERANCE)
            if peak > tac_limit + TAC_TOLERANCE and region is not None:
                left, top, right, bottom = (v * 25.4 / dpi for v in region)
                images = _images_in(doc, number, region, dpi)
                there = f"; drawn there: {', '.join(images)}" if images else ""
                findings.append(
                    Finding(
                        "error",
                        number,
                        "ink coverage",
                        f"total ink coverage reaches {peak:.0f}%, above the "
                        f"{tac_limit:.0f}% limit (area {left:.0f}-{right:.0f} mm from the "
                        f"left, {top:.0f}-{bottom:.0f} mm from the top of the bleed box"
                        f"{there})",
                    )
                )
    return findings


def _images_in(doc: Document, number: int, region: tuple[int, int, int, int],
               dpi: int) -> list[str]:
    """The images placed over a pixel region of the page rendered from its bleed box, so
    the finding names the culprit (a rich-black scan, say) instead of only an area."""
    pages = list(doc.pages())
    if not 1 <= number <= len(pages):
        return []
    _, crop, _, bleed = doc.boxes(pages[number - 1][1])
    box = bleed or crop
    scale = 72 / dpi
    x0, x1 = box[0] + region[0] * scale, box[0] + region[2] * scale
    y0, y1 = box[3] - region[3] * scale, box[3] - region[1] * scale
    names = []
    for placement in doc.scans()[number - 1].images:
        corners = [_apply(placement.ctm, u, v) for u in (0, 1) for v in (0, 1)]
        ix0, ix1 = min(c[0] for c in corners), max(c[0] for c in corners)
        iy0, iy1 = min(c[1] for c in corners), max(c[1] for c in corners)
        if ix0 < x1 and ix1 > x0 and iy0 < y1 and iy1 > y0:
            label = f"{placement.obj} ({placement.width}x{placement.height} px)"
            if label not in names:
                names.append(label)
    return names[:4]


def _max_ink(tif: Path, threshold_percent: float) -> tuple[float, tuple[int, int, int, int] | None]:
    """Peak C+M+Y+K in percent, and the pixel bbox of everything above the threshold."""
    from PIL import Image, ImageMath

    with Image.open(tif) as image:
        cmyk = image if image.mode == "CMYK" else image.convert("CMYK")
        c, m, y, k = cmyk.split()
    total = ImageMath.lambda_eval(lambda v: v["c"] + v["m"] + v["y"] + v["k"], c=c, m=m, y=y, k=k)
    peak = total.getextrema()[1] * 100 / 255
    if peak <= threshold_percent:
        return peak, None
    limit = threshold_percent * 255 / 100
    over = ImageMath.lambda_eval(lambda v: v["t"] > limit, t=total)
    return peak, over.getbbox()
