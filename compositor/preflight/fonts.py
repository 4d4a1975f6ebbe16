"""Fonts: every font a page draws with (text, annotations, Type 3 glyphs) must be embedded."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pikepdf

from compositor.preflight.objects import (
    _inherited,
    _is_dict,
    _key,
    _name,
    _pages_text,
)
from compositor.preflight.report import Finding

if TYPE_CHECKING:
    from compositor.preflight.core import Document

_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")


def check_fonts(doc: Document) -> list[Finding]:
    # Producers such as ReportLab share one /Font dictionary between all
    # pages, so the resources say which fonts exist but only Tf says on
    # which page a font is really drawn.
    used: dict[object, tuple[str, list[int]]] = {}
    listed: dict[object, tuple[str, int]] = {}

    def note(table: dict[object, tuple[str, list[int]]], font: Any, number: int) -> None:
        label = _font_label(font)
        pages = table.setdefault(_key(font) or label, (label, []))[1]
        if number not in pages:
            pages.append(number)

    for (number, page), scan in zip(doc.pages(), doc.scans(), strict=True):
        for font in scan.fonts:
            if not _font_embedded(font):
                note(used, font, number)
        seen: set[tuple[int, int]] = set()
        for resources in _annotation_resources(page):
            # Appearance streams are drawn by every viewer and printer.
            for font in _iter_fonts(resources, seen, 0):
                if not _font_embedded(font):
                    note(used, font, number)
        for font in _iter_fonts(_inherited(page, "/Resources"), seen, 0):
            if not _font_embedded(font):
                label = _font_label(font)
                listed.setdefault(_key(font) or label, (label, number))

    findings = []
    for label, pages in used.values():
        message = "font is not embedded"
        if len(pages) > 1:
            message += f" (used on pages {_pages_text(pages)})"
        findings.append(Finding("error", pages[0], label, message))
    for key, (label, number) in listed.items():
        if key not in used:
            findings.append(
                Finding(
                    "warning",
                    number,
                    label,
                    "font is not embedded; no text uses it, but strict PDF/X "
                    "validators still reject it",
                )
            )
    return findings


def _annotation_resources(page: Any) -> Iterator[Any]:
    annots = page.get("/Annots")
    if not isinstance(annots, pikepdf.Array):
        return
    for annot in annots:
        if not _is_dict(annot):
            continue
        appearance = annot.get("/AP")
        normal = appearance.get("/N") if _is_dict(appearance) else None
        if isinstance(normal, pikepdf.Stream):
            yield normal.get("/Resources")
        elif _is_dict(normal):  # one appearance per state (checkbox on/off)
            for _, state in normal.items():
                if isinstance(state, pikepdf.Stream):
                    yield state.get("/Resources")


def _font_label(font: Any) -> str:
    base = _name(font.get("/BaseFont"))
    if base is None:
        desc = font.get("/DescendantFonts")
        return "font (unnamed)" if desc is None else "font (unnamed CID font)"
    return "font " + _SUBSET_PREFIX.sub("", base[1:])


def _iter_fonts(resources: Any, seen: set[tuple[int, int]], depth: int) -> Iterator[Any]:
    if not _is_dict(resources) or depth > 16:
        return
    fonts = resources.get("/Font")
    if _is_dict(fonts):
        for _, font in fonts.items():
            if not _is_dict(font):
                continue
            yield font
            if _name(font.get("/Subtype")) == "/Type3":
                key = _key(font)
                if key is None or key not in seen:
                    if key is not None:
                        seen.add(key)
                    yield from _iter_fonts(font.get("/Resources"), seen, depth + 1)
    for category in ("/XObject", "/Pattern"):
        table = resources.get(category)
        if not _is_dict(table):
            continue
        for _, item in table.items():
            if not isinstance(item, pikepdf.Stream):
                continue
            if category == "/XObject" and _name(item.get("/Subtype")) != "/Form":
                continue
            key = _key(item)
            if key is not None:
                if key in seen:
                    continue
                seen.add(key)
            yield from _iter_fonts(item.get("/Resources"), seen, depth + 1)


def _font_embedded(font: Any) -> bool:
    subtype = _name(font.get("/Subtype"))
    if subtype == "/Type3":
        return True  # glyphs are content streams inside the font dictionary
    descriptor_owner = font
    if subtype == "/Type0":
        descendants = font.get("/DescendantFonts")
        if not isinstance(descendants, pikepdf.Array) or len(descendants) == 0:
            return False
        descriptor_owner = descendants[0]
        if not _is_dict(descriptor_owner):
            return False
    descriptor = descriptor_owner.get("/FontDescriptor")
    if not _is_dict(descriptor):
        return False
    return any(
        isinstance(descriptor.get(key), pikepdf.Stream)
        for key in ("/FontFile", "/FontFile2", "/FontFile3")
    )
