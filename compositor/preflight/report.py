"""Findings: what preflight reports, and how page-by-page notes collapse into one line."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compositor.errors import printable

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    severity: str  # "error" | "warning" | "info"
    page: int | None  # 1-based; None for document-level findings
    obj: str  # what the finding is about, e.g. "font NotoSans-Bold", "TrimBox"
    message: str

    def format(self, path: str | Path) -> str:
        where = f"page {self.page}: " if self.page is not None else ""
        line = f"{path}: {where}{self.severity}: {self.obj}: {self.message}"
        # Callers grep and count lines, so a stray newline in a PDF string
        # (font names, exception text) must not split one finding in two.
        return printable(re.sub(r"\s*[\r\n]+\s*", " ", line))


def summarize(findings: Iterable[Finding]) -> tuple[int, int]:
    """Return (errors, warnings); info findings are not counted."""
    errors = warnings = 0
    for finding in findings:
        if finding.severity == "error":
            errors += 1
        elif finding.severity == "warning":
            warnings += 1
    return errors, warnings


def _collapse_pages(values: list[Any], obj: str, describe: Callable[[Any], str]) -> list[Finding]:
    """One document-level info when all pages agree, else one info per page."""
    known = [v for v in values if v is not None]
    if not known:
        return []
    if len(known) == len(values) and all(v == known[0] for v in known):
        return [Finding("info", None, obj, describe(known[0]) + " (all pages)")]
    return [
        Finding("info", number, obj, describe(value))
        for number, value in enumerate(values, 1)
        if value is not None
    ]
