"""Images: effective resolution at the size each one is placed."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from compositor.preflight.objects import (
    PT_PER_MM,
)
from compositor.preflight.report import Finding

if TYPE_CHECKING:
    from compositor.preflight.core import Document, _Placement


PRINT_PPI_WARNING = 300
PRINT_PPI_ERROR = 150
WEB_PPI_MAX = 225


def check_images(doc: Document, profile: str) -> list[Finding]:
    findings = []
    for (number, page), scan in zip(doc.pages(), doc.scans(), strict=True):
        unit = doc.user_unit(page)
        worst: dict[str, tuple[float, _Placement, float, float]] = {}
        for placement in scan.images:
            a, b, c, d, _, _ = placement.ctm
            drawn_w = math.hypot(a, b) * unit
            drawn_h = math.hypot(c, d) * unit
            if drawn_w < 1e-6 or drawn_h < 1e-6 or not placement.width or not placement.height:
                continue  # collapsed or empty images cannot be judged
            ppi = min(placement.width * 72 / drawn_w, placement.height * 72 / drawn_h)
            current = worst.get(placement.obj)
            # Print cares about the softest placement, web about the sharpest.
            if (
                current is None
                or (profile == "print" and ppi < current[0])
                or (profile == "web" and ppi > current[0])
            ):
                worst[placement.obj] = (ppi, placement, drawn_w, drawn_h)
        for obj, (ppi, placement, drawn_w, drawn_h) in worst.items():
            detail = (
                f"({placement.width}x{placement.height} px placed at "
                f"{drawn_w / PT_PER_MM:.0f}x{drawn_h / PT_PER_MM:.0f} mm)"
            )
            shown = f"{ppi:.0f}"
            if profile == "print":
                if ppi < PRINT_PPI_ERROR:
                    severity, limit = "error", PRINT_PPI_ERROR
                elif ppi < PRINT_PPI_WARNING:
                    severity, limit = "warning", PRINT_PPI_WARNING
                else:
                    continue
                message = f"effective resolution {shown} ppi is below {limit} ppi {detail}"
                findings.append(Finding(severity, number, obj, message))
            elif ppi > WEB_PPI_MAX:
                message = (
                    f"effective resolution {shown} ppi is above {WEB_PPI_MAX} ppi "
                    f"(not downsampled) {detail}"
                )
                findings.append(Finding("warning", number, obj, message))
    return findings
