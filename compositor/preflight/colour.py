"""Colour spaces: what each object paints with, and whether print or PDF/X-1a allows it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pikepdf

from compositor.preflight.objects import (
    _key,
    _lookup,
    _name,
    read_head,
)
from compositor.preflight.report import Finding, _collapse_pages

if TYPE_CHECKING:
    from compositor.preflight.core import Document


@dataclass(frozen=True)
class _Space:
    family: str  # RGB, Lab, CMYK, Gray, Spot, Pattern, Other
    label: str


_DEVICE_SPACES = {
    "/DeviceRGB": _Space("RGB", "DeviceRGB"),
    "/RGB": _Space("RGB", "DeviceRGB"),
    "/DeviceCMYK": _Space("CMYK", "DeviceCMYK"),
    "/CMYK": _Space("CMYK", "DeviceCMYK"),
    "/DeviceGray": _Space("Gray", "DeviceGray"),
    "/G": _Space("Gray", "DeviceGray"),
    "/Pattern": _Space("Pattern", "Pattern"),
}

_OPERATOR_SPACES = {
    "g": _DEVICE_SPACES["/DeviceGray"],
    "G": _DEVICE_SPACES["/DeviceGray"],
    "rg": _DEVICE_SPACES["/DeviceRGB"],
    "RG": _DEVICE_SPACES["/DeviceRGB"],
    "k": _DEVICE_SPACES["/DeviceCMYK"],
    "K": _DEVICE_SPACES["/DeviceCMYK"],
}
_ICC_HEADER_FAMILIES = {b"RGB ": "RGB", b"CMYK": "CMYK", b"GRAY": "Gray", b"Lab ": "Lab"}
_ICC_N_FAMILIES = {1: "Gray", 3: "RGB", 4: "CMYK"}
_PRINT_BAD_FAMILIES = {"RGB", "Lab"}


class _ColourSpaces:
    """Classifies colour space objects; caches ICC headers, which need decompressing."""

    def __init__(self) -> None:
        self._icc: dict[tuple[int, int], str] = {}

    def classify(self, cs: Any, resources: Any, depth: int = 0) -> _Space:
        if depth > 8:
            return _Space("Invalid", "colour space that refers to itself")
        name = _name(cs)
        if name is not None:
            if name in _DEVICE_SPACES:
                return _DEVICE_SPACES[name]
            named = _lookup(resources, "/ColorSpace", name)
            if named is None:
                return _Space("Invalid", f"undefined colour space {name}")
            return self.classify(named, resources, depth + 1)
        if not isinstance(cs, pikepdf.Array) or len(cs) == 0:
            return _Space("Other", "unknown colour space")
        kind = _name(cs[0]) or ""
        if kind == "/ICCBased" and len(cs) > 1:
            family = self._icc_family(cs[1])
            return _Space(family, f"ICCBased {family}")
        if kind == "/CalRGB":
            return _Space("RGB", "CalRGB")
        if kind == "/CalGray":
            return _Space("Gray", "CalGray")
        if kind == "/Lab":
            return _Space("Lab", "Lab")
        if kind in ("/Indexed", "/I") and len(cs) > 1:
            base = self.classify(cs[1], resources, depth + 1)
            return _Space(base.family, f"Indexed {base.label}")
        if kind == "/Separation" and len(cs) > 1:
            ink = (_name(cs[1]) or "?").lstrip("/")
            if len(cs) != 4 or _name(cs[1]) is None:
                # e.g. a '/' written unescaped inside the ink name splits it in two
                return _Space("Invalid", f"malformed Separation {ink} ({len(cs)} entries, "
                                         "expected 4)")
            return _Space("Spot", f"Separation {ink}")
        if kind == "/DeviceN" and len(cs) > 1:
            count = len(cs[1]) if isinstance(cs[1], pikepdf.Array) else 0
            return _Space("Spot", f"DeviceN ({count} colorants)")
        if kind == "/Pattern":
            if len(cs) > 1:  # uncoloured pattern: the paint comes from the base space
                base = self.classify(cs[1], resources, depth + 1)
                return _Space(base.family, f"Pattern over {base.label}")
            return _DEVICE_SPACES["/Pattern"]
        if kind in _DEVICE_SPACES:
            return _DEVICE_SPACES[kind]
        return _Space("Other", f"unknown colour space {kind or '?'}")

    def _icc_family(self, stream: Any) -> str:
        key = _key(stream)
        if key is not None and key in self._icc:
            return self._icc[key]
        family = "Other"
        if isinstance(stream, pikepdf.Stream):
            try:
                # The header names the data colour space; /N alone cannot tell
                # RGB from Lab, both of which have three components.
                header = read_head(stream, 20)[16:20]
            except Exception:  # undecodable profile: fall back to /N below
                header = b""
            family = _ICC_HEADER_FAMILIES.get(header, "")
            if not family:
                try:
                    family = _ICC_N_FAMILIES.get(int(stream.get("/N", 0)), "Other")
                except (TypeError, ValueError):
                    family = "Other"
        if key is not None:
            self._icc[key] = family
        return family


def check_colour(doc: Document, profile: str) -> list[Finding]:
    findings = doc.problem_findings()
    scans = doc.scans()
    for number, scan in enumerate(scans, 1):
        for obj, spaces in scan.spaces.items():
            for label in sorted({s.label for s in spaces if s.family == "Invalid"}):
                findings.append(Finding("error", number, obj, f"{label}: viewers and "
                                                              "printers cannot use it"))
    if profile == "print":
        for number, scan in enumerate(scans, 1):
            for obj, spaces in scan.spaces.items():
                bad = sorted({s.label for s in spaces if s.family in _PRINT_BAD_FAMILIES})
                if bad:
                    findings.append(
                        Finding(
                            "error",
                            number,
                            obj,
                            f"uses {', '.join(bad)}; print output must be CMYK, "
                            "gray or spot colour",
                        )
                    )
        return findings
    per_page = [
        sorted({s.label for spaces in scan.spaces.values() for s in spaces}) for scan in scans
    ]
    findings += _collapse_pages(
        per_page,
        "colour spaces",
        lambda labels: "colour spaces used: " + (", ".join(labels) if labels else "none"),
    )
    return findings


def check_transparency(doc: Document) -> list[Finding]:
    return [
        Finding("error", number, obj, f"transparency is not allowed in PDF/X-1a: {reason}")
        for number, scan in enumerate(doc.scans(), 1)
        for obj, reasons in scan.transparency.items()
        for reason in reasons
    ]
