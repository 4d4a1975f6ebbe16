"""Total ink coverage, measured on a Ghostscript CMYK rendering of each page."""

from __future__ import annotations

import io
import math
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pikepdf

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
# compositor records the limit a print file was built for in its XMP (PDF/X has no key of
# its own for it), so a later preflight of the file alone checks the same limit.
INK_NS = "http://ns.compositor.invalid/print/1.0/"


def recorded_ink_limit(pdf) -> float | None:
    """The total ink limit (percent) recorded in a print file's XMP, or None."""
    from compositor.preflight.structure import _xmp_value

    try:
        value = float(_xmp_value(bytes(pdf.Root.Metadata.read_bytes()), INK_NS, "MaxInk"))
    except Exception:  # no metadata, a damaged stream or no number: not recorded
        return None
    return value if 100 <= value <= 400 else None


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
    # Without overprint or transparency, whatever is painted last replaces what is under
    # it, so a page's ink is the most of any one thing on it. A page that paints only
    # CMYK or grey colours set with k/K/g/G, and CMYK JPEG photos whose pixels can be read
    # directly, is measured without rendering; only the others go to Ghostscript.
    limit = tac_limit + TAC_TOLERANCE
    numbers = []
    measured: dict[tuple, float | None] = {}
    for number, scan in enumerate(doc.scans(), 1):
        direct = scan.ink <= limit and not (scan.render - {"image"}) and \
            not scan.needs_rendering_apart_from_images(limit)
        peaks = [_placed_ink(p, dpi, measured) for p in scan.images] if direct else [None]
        if any(peak is None for peak in peaks):
            numbers.append(number)
            continue
        for placement, peak in zip(scan.images, peaks, strict=True):
            if peak > limit:
                findings.append(Finding(
                    "error", number, "ink coverage",
                    f"total ink coverage reaches {peak:.0f}%, above the {tac_limit:.0f}% "
                    f"limit ({placement.obj})"))
                break
    total = len(doc.pdf.pages)
    if len(numbers) < total:
        findings.append(Finding("info", None, "ink coverage",
                                f"{total - len(numbers)} of {total} pages measured from their "
                                "colours and photos; the other pages were rendered"))
    if not numbers:
        return findings
    with tempfile.TemporaryDirectory(prefix="preflight-tac-") as tmp:
        pattern = Path(tmp) / "page-%05d.tif"
        pages = [] if len(numbers) == total else \
            ["-sPageList=" + ",".join(str(n) for n in numbers)]
        cmd = [
            gs, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiff32nc", f"-r{dpi}",
            # The bleed box keeps registration marks (400 % by design) in
            # the slug out of the measurement.
            "-dUseBleedBox", *pages, f"-sOutputFile={pattern}", str(doc.path.resolve()),
        ]  # fmt: skip
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=GS_TIMEOUT_S, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return [
                Finding("warning", None, "ink coverage", f"ink coverage not checked: {exc}")
            ]
        rendered = sorted(Path(tmp).glob("page-*.tif"))
        if proc.returncode != 0 or len(rendered) != len(numbers):
            stderr = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            why = stderr[-1] if stderr else f"exit status {proc.returncode}"
            findings.append(
                Finding(
                    "warning",
                    None,
                    "ink coverage",
                    f"Ghostscript rendered {len(rendered)} of {len(numbers)} pages: "
                    f"{why}",
                )
            )
        for number, tif in zip(numbers, rendered, strict=False):
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


def _placed_ink(placement: Any, dpi: int, measured: dict[tuple, float | None]) -> float | None:
    """Peak total ink of a CMYK JPEG photo at the size it is placed, averaged over `dpi`
    pixels as a rendering would; None when the image is of a kind only a rendering can
    judge (another colour space or filter, a mask, an unusual decode array)."""
    image = placement.image
    if not isinstance(image, pikepdf.Stream):
        return None
    a, b, c, d = placement.ctm[:4]
    width_pt, height_pt = math.hypot(a, b), math.hypot(c, d)
    size = (max(1, round(width_pt / 72 * dpi)), max(1, round(height_pt / 72 * dpi)))
    key = (image.objgen, size)
    if key in measured:
        return measured[key]
    measured[key] = None
    filters = image.get("/Filter")
    filters = list(filters) if isinstance(filters, pikepdf.Array) else [filters]
    if [str(f) for f in filters] != ["/DCTDecode"] or \
            str(image.get("/ColorSpace")) != "/DeviceCMYK" or \
            int(image.get("/BitsPerComponent", 8)) != 8 or \
            image.get("/SMask") is not None or image.get("/Mask") is not None:
        return None
    decode = [float(v) for v in image.get("/Decode", [])]
    from PIL import Image, ImageMath

    try:
        with Image.open(io.BytesIO(image.read_raw_bytes())) as im:
            # Pillow undoes Adobe's inverted CMYK; the PDF does it with /Decode [1 0 ...].
            adobe = "adobe" in im.info
            if im.mode != "CMYK" or decode not in (([1.0, 0.0] * 4) if adobe else [], ):
                return None
            im.draft("CMYK", size)
            im = im.convert("CMYK").resize(size, Image.Resampling.BOX)
    except Exception:  # noqa: BLE001 - undecodable here: let Ghostscript judge it
        return None
    c_, m_, y_, k_ = im.split()
    total = ImageMath.lambda_eval(lambda v: v["c"] + v["m"] + v["y"] + v["k"],
                                  c=c_, m=m_, y=y_, k=k_)
    measured[key] = total.getextrema()[1] * 100 / 255
    return measured[key]
