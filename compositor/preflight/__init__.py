"""Preflight for finished PDFs: print (PDF/X-4 style) and web (tagged, linearized).

Works on any PDF, not only on what compositor writes, so every check reads the
file with pikepdf (plus pdfplumber for text positions and Ghostscript for ink
coverage) and never assumes how it was produced.

Findings are plain data; the CLI decides how to print them and what exit code
they mean. ``preflight`` never raises on a damaged file: it answers with an
error finding instead, because a preflight that crashes tells the user less
than one that says the file is unreadable.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pikepdf

from compositor.preflight.boxes import MIN_BLEED_PT, SAFE_MARGIN_PT, check_boxes, check_safe_margin
from compositor.preflight.colour import check_colour, check_transparency
from compositor.preflight.core import Document
from compositor.preflight.fonts import check_fonts
from compositor.preflight.images import (
    PRINT_PPI_ERROR,
    PRINT_PPI_WARNING,
    WEB_PPI_MAX,
    check_images,
)
from compositor.preflight.ink import (
    DEFAULT_TAC_LIMIT,
    GS_TIMEOUT_S,
    TAC_DPI,
    TAC_TOLERANCE,
    check_ink,
    recorded_ink_limit,
)
from compositor.preflight.objects import BOX_TOLERANCE_PT, PT_PER_MM, _oneline
from compositor.preflight.report import SEVERITIES, Finding, summarize
from compositor.preflight.structure import check_linearization, check_page_count, check_pdfx
from compositor.preflight.tags import check_pdfa, check_tagging

__all__ = [
    "BOX_TOLERANCE_PT", "DEFAULT_TAC_LIMIT", "GS_TIMEOUT_S", "MIN_BLEED_PT", "PRINT_PPI_ERROR",
    "PRINT_PPI_WARNING", "PROFILES", "PT_PER_MM", "SAFE_MARGIN_PT", "SEVERITIES", "TAC_DPI",
    "TAC_TOLERANCE", "WEB_PPI_MAX", "Finding", "preflight", "recorded_ink_limit", "summarize",
]

PROFILES = ("print", "web")


def preflight(
    path: str | Path,
    profile: str,
    *,
    tac_limit: float | None = None,
    pdfx1a: bool = False,
    tac_dpi: int = TAC_DPI,
) -> list[Finding]:
    """Check ``path`` against ``profile`` ("print" or "web").

    ``tac_limit`` is the maximum total area coverage in percent (print only); by
    default the limit the file records (``recorded_ink_limit``), else 300 %;
    ``pdfx1a`` additionally rejects every kind of transparency.
    """
    if profile not in PROFILES:
        raise ValueError(f"unknown preflight profile {profile!r}; expected one of {PROFILES}")
    path = Path(path)
    try:
        pdf = pikepdf.open(path)
    except Exception as exc:  # pikepdf raises several unrelated types for bad input
        return [Finding("error", None, "document", f"cannot read PDF: {_oneline(exc)}")]

    with pdf:
        if tac_limit is None:
            tac_limit = recorded_ink_limit(pdf) or DEFAULT_TAC_LIMIT
        doc = Document(pdf, path)
        checks: list[tuple[str, Callable[[], list[Finding]]]] = [
            ("fonts", lambda: check_fonts(doc)),
            ("colour spaces", lambda: check_colour(doc, profile)),
            ("images", lambda: check_images(doc, profile)),
        ]
        if profile == "print":
            checks += [
                ("page boxes", lambda: check_boxes(doc)),
                ("safe margin", lambda: check_safe_margin(doc)),
                ("ink coverage", lambda: check_ink(doc, tac_limit, tac_dpi)),
                ("page count", lambda: check_page_count(doc)),
                ("PDF/X metadata", lambda: check_pdfx(doc)),
            ]
        else:
            checks += [
                ("tagging", lambda: check_tagging(doc)),
                ("linearization", lambda: check_linearization(doc)),
                ("PDF/A", lambda: check_pdfa(doc)),
            ]
        if pdfx1a:
            checks.append(("transparency", lambda: check_transparency(doc)))

        findings: list[Finding] = []
        for name, check in checks:
            try:
                findings.extend(check())
            except Exception as exc:  # one broken structure must not hide the other checks
                findings.append(
                    Finding("error", None, "document", f"cannot read PDF ({name}): {_oneline(exc)}")
                )
    # Document-level findings first, then page order; the sort is stable so
    # each page keeps the order the checks produced.
    findings.sort(key=lambda f: (f.page is not None, f.page or 0))
    return findings
