"""The checks every build runs on its own output: cheap, and told what the build drew.

The full preflight trusts nothing: it interprets every content stream, renders every page
with Ghostscript for ink and extracts every word for the safe margin, because it must
work on any PDF. A file this program has just written comes with knowledge instead: the
ink of each photo was measured when it was converted, the pages and fonts are known. So
the quick check reads the file's objects and lets qpdf pick a handful of operators out
of its content streams (nothing is interpreted), and compares what it finds with what
the build says it drew:

- the file opens, has the expected number of pages, and every page's boxes are sound;
- every font a page selects is embedded;
- every colour operator and colour space fits the variant (no RGB or Lab in print, no
  CMYK on the web), and every vector colour stays within the ink limit (strokes in
  registration colour, 100/100/100/100, are the crop marks outside the bleed);
- every image is in the variant's colour space, its effective resolution (pixels over
  the size it is drawn at) is within the print limits, and a print photo's ink, measured
  when it was converted, stays within the limit; an image the build did not draw is an
  error;
- print: OutputIntent, PDF/X version, /Trapped, ID, page count; web: structure tree,
  /Lang, /MarkInfo, alternate text on every Figure, linearization, and the PDF/A output
  intent and identification.

What only the full preflight (`compositor preflight`, `build --preflight full`) does:
interpreting content streams (forms, patterns, shadings, transparency groups, marked
content per image), rendering the pages with Ghostscript for total ink, the safe margin
from the words as a PDF reader extracts them, and pikepdf's PDF/A validator.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf

from compositor.preflight.boxes import check_boxes
from compositor.preflight.colour import _PRINT_BAD_FAMILIES, _ColourSpaces
from compositor.preflight.core import Document
from compositor.preflight.fonts import _font_embedded, _font_label
from compositor.preflight.ink import TAC_TOLERANCE
from compositor.preflight.objects import (
    _is_dict,
    _key,
    _name,
    _oneline,
    _pages_text,
)
from compositor.preflight.report import Finding
from compositor.preflight.structure import check_linearization, check_page_count, check_pdfx
from compositor.preflight.tags import _struct_index, catalog_marks


@dataclass(frozen=True)
class Drawn:
    """What the build drew into one file."""

    profile: str  # "print" | "web"
    pages: int
    # each image drawn, by (length of its stored data, pixel width, height) -> (source file
    # name, peak total ink in percent, None when not measured)
    images: dict[tuple[int, int, int], tuple[str, float | None]] = field(default_factory=dict)
    tac_limit: float = 300.0
    min_ppi: float = 150.0
    warn_ppi: float = 300.0
    pdfx1a: bool = False


def quick_check(path: str | Path, drawn: Drawn) -> list[Finding]:
    """Check a file this program wrote against what it drew; never raises."""
    path = Path(path)
    try:
        pdf = pikepdf.open(path)
    except Exception as exc:  # pikepdf raises several unrelated types for bad input
        return [Finding("error", None, "document", f"cannot read PDF: {_oneline(exc)}")]
    findings: list[Finding] = []
    with pdf:
        doc = Document(pdf, path)
        checks = [("pages", lambda: _pages(doc, drawn)), ("content", lambda: _content(doc, drawn))]
        if drawn.profile == "print":
            checks += [("page boxes", lambda: check_boxes(doc)),
                       ("page count", lambda: check_page_count(doc)),
                       ("PDF/X metadata", lambda: check_pdfx(doc))]
        else:
            checks += [("tagging", lambda: _tagging(doc)),
                       ("linearization", lambda: check_linearization(doc)),
                       ("PDF/A", lambda: _pdfa_declared(doc))]
        for name, check in checks:
            try:
                findings.extend(check())
            except Exception as exc:  # one broken structure must not hide the other checks
                findings.append(Finding("error", None, "document",
                                        f"cannot read PDF ({name}): {_oneline(exc)}"))
    findings.sort(key=lambda f: (f.page is not None, f.page or 0))
    return findings


def _pages(doc: Document, drawn: Drawn) -> list[Finding]:
    count = len(doc.pdf.pages)
    if count != drawn.pages:
        return [Finding("error", None, "document",
                        f"the file has {count} pages; the build laid out {drawn.pages}")]
    return []


def _content(doc: Document, drawn: Drawn) -> list[Finding]:
    """One pass over each page's content, parsed by qpdf for the few operators that
    matter here: colours, colour spaces, fonts, images and graphics states."""
    findings: list[Finding] = []
    spaces = _ColourSpaces()
    print_ = drawn.profile == "print"
    unembedded: dict[str, list[int]] = {}
    bad_spaces: dict[str, list[int]] = {}
    images_seen: dict[tuple[int, int], tuple[str, float | None]] = {}
    embedded: dict[object, bool] = {}  # fonts are shared between pages
    peak_ink, peak_page = 0.0, 0
    for number, page in doc.pages():
        resources = page.get("/Resources")
        last_cm: tuple[float, ...] | None = None
        for operands, operator in pikepdf.parse_content_stream(page, _OPERATORS):
            op = str(operator)
            if op in ("k", "K"):
                values = [float(v) for v in operands]
                if not print_:
                    bad_spaces.setdefault("CMYK", []).append(number)
                elif not (op == "K" and min(values, default=0) >= 1.0):
                    # (strokes in registration colour are the crop marks, outside the bleed)
                    ink = 100 * sum(values)
                    if ink > peak_ink:
                        peak_ink, peak_page = ink, number
            elif op in ("rg", "RG"):
                if print_:
                    bad_spaces.setdefault("RGB", []).append(number)
            elif op in ("cs", "CS") and operands:
                name = str(operands[0])
                cs = operands[0] if name in _DEVICE else \
                    _lookup(resources, "/ColorSpace", name)
                family = spaces.classify(cs, resources).family
                if (print_ and family in _PRINT_BAD_FAMILIES) or \
                        (not print_ and family in ("CMYK", "Lab")):
                    bad_spaces.setdefault(family, []).append(number)
                if print_ and family == "Spot":
                    ink = _spot_ink(cs)
                    if ink > peak_ink:
                        peak_ink, peak_page = ink, number
            elif op == "Tf" and operands:
                name = str(operands[0])
                font = _lookup(resources, "/Font", name)
                if font is None:
                    findings.append(Finding("error", number, f"font {name[1:]}",
                                            "selected but missing from the page's resources"))
                elif not embedded.setdefault(_key(font) or name, _font_embedded(font)):
                    pages = unembedded.setdefault(_font_label(font), [])
                    if number not in pages:
                        pages.append(number)
            elif op == "cm":
                last_cm = tuple(float(v) for v in operands)
            elif op == "Do" and operands:
                name = str(operands[0])
                xobj = _lookup(resources, "/XObject", name)
                size = (abs(last_cm[0]), abs(last_cm[3])) if last_cm and len(last_cm) == 6 \
                    else None
                findings += _image(number, name[1:], xobj, size, drawn, spaces, resources,
                                   images_seen)
            elif op == "sh":
                findings.append(Finding("error", number, f"shading {operands[0]}",
                                        "this build draws no shadings"))
            elif op == "gs" and operands:
                gs = _lookup(resources, "/ExtGState", str(operands[0]))
                if _is_dict(gs) and (gs.get("/OP") is True or gs.get("/op") is True):
                    findings.append(Finding("error", number, f"graphics state {operands[0]}",
                                            "overprint is set; this build sets none"))
    for family, pages in sorted(bad_spaces.items()):
        pages = sorted(set(pages))
        where = "print" if print_ else "the web (PDF/A with an sRGB output intent)"
        findings.append(Finding("error", pages[0], "colour space",
                                f"{family} is not allowed in {where} (pages "
                                f"{_pages_text(pages)})"))
    for label, pages in unembedded.items():
        message = "font is not embedded"
        if len(pages) > 1:
            message += f" (used on pages {_pages_text(pages)})"
        findings.append(Finding("error", pages[0], label, message))
    if print_ and peak_ink > drawn.tac_limit + TAC_TOLERANCE:
        findings.append(Finding("error", peak_page, "ink coverage",
                                f"a colour of {peak_ink:.0f}% total ink is drawn, above the "
                                f"{drawn.tac_limit:.0f}% limit"))
    return findings


_OPERATORS = "k K rg RG cs CS Tf cm Do sh gs"
_DEVICE = {"/DeviceRGB", "/DeviceCMYK", "/DeviceGray", "/Pattern", "/RGB", "/CMYK", "/G"}


def _lookup(resources: Any, category: str, name: str) -> Any:
    if not _is_dict(resources):
        return None
    table = resources.get(category)
    return table.get(name) if _is_dict(table) else None


def _spot_ink(cs: Any) -> float:
    """Ink of a spot colour at full tint, from its CMYK alternate: a type 2 function's C1,
    or the four factors of the type 4 function ReportLab writes
    ({dup c mul exch dup m mul exch y exch k mul})."""
    try:
        if _name(cs[2]) != "/DeviceCMYK":
            return 0.0
        function = cs[3]
        kind = int(function.get("/FunctionType", 0))
        if kind == 2:
            return 100 * sum(float(v) for v in function.get("/C1", [1, 1, 1, 1]))
        if kind == 4:
            numbers = re.findall(rb"-?\d*\.?\d+", function.read_bytes())
            if len(numbers) == 4:
                return 100 * sum(float(v) for v in numbers)
    except Exception:  # noqa: BLE001 - an unusual spot definition: the full check renders it
        pass
    return 0.0


def _image(number: int, name: str, xobj: Any, size: tuple[float, float] | None, drawn: Drawn,
           spaces: _ColourSpaces, resources: Any, seen: dict) -> list[Finding]:
    if not isinstance(xobj, pikepdf.Stream) or _name(xobj.get("/Subtype")) != "/Image":
        return [Finding("error", number, f"XObject {name}",
                        "not an image; this build draws only images as XObjects")]
    key = xobj.objgen
    known = seen.get(key)
    if known is None:
        record = drawn.images.get((int(xobj.get("/Length", -1)), int(xobj.get("/Width", 0)),
                                   int(xobj.get("/Height", 0))))
        if record is None:
            return [Finding("error", number, f"image {name}",
                            "the file holds an image this build did not draw")]
        seen[key] = known = record
    label, ink = known
    out = []
    family = spaces.classify(xobj.get("/ColorSpace"), resources).family
    wanted = ("CMYK", "Gray") if drawn.profile == "print" else ("RGB", "Gray")
    if family not in wanted:
        out.append(Finding("error", number, f"image {label}",
                           f"is {family}; the {drawn.profile} file needs {' or '.join(wanted)}"))
    if drawn.profile == "print" and ink is not None and \
            ink > drawn.tac_limit + TAC_TOLERANCE:
        out.append(Finding("error", number, f"image {label}",
                           f"total ink coverage reaches {ink:.0f}%, above the "
                           f"{drawn.tac_limit:.0f}% limit"))
    if size is None:
        out.append(Finding("warning", number, f"image {label}",
                           "placement not recognised; its resolution was not checked"))
    elif drawn.profile == "print":
        w, h = size
        ppi = min(int(xobj.get("/Width", 0)) / (w / 72) if w else 0,
                  int(xobj.get("/Height", 0)) / (h / 72) if h else 0)
        if ppi < drawn.min_ppi:
            out.append(Finding("error", number, f"image {label}",
                               f"prints at {ppi:.0f} ppi, below the {drawn.min_ppi:.0f} ppi "
                               "minimum"))
        elif ppi < drawn.warn_ppi:
            out.append(Finding("warning", number, f"image {label}",
                               f"prints at {ppi:.0f} ppi; {drawn.warn_ppi:.0f} ppi is "
                               "recommended"))
    return out


def _tagging(doc: Document) -> list[Finding]:
    findings = []
    root = doc.pdf.Root
    tree = root.get("/StructTreeRoot")
    if not _is_dict(tree):
        findings.append(Finding("error", None, "StructTreeRoot",
                                "document is not tagged (no /StructTreeRoot)"))
    findings += catalog_marks(root)
    if _is_dict(tree):
        pages = {k: n for n, p in doc.pages() if (k := _key(p)) is not None}
        elems, _ = _struct_index(tree, pages)
        missing = [e.page for e in elems if e.role == "Figure" and not e.has_alt]
        for page in sorted(set(missing), key=lambda p: p or 0):
            count = missing.count(page)
            noun = "element has" if count == 1 else "elements have"
            findings.append(Finding("error", page, "Figure",
                                    f"{count} Figure {noun} no /Alt text"))
    return findings


def _pdfa_declared(doc: Document) -> list[Finding]:
    """The PDF/A essentials this build writes: identification in XMP and an RGB output
    intent. Conformance itself is pikepdf's validator's job, in the full preflight."""
    findings = []
    try:
        meta = doc.pdf.open_metadata()
        part = meta.get("pdfaid:part")
    except Exception:  # noqa: BLE001 - unreadable XMP
        part = None
    if not part:
        findings.append(Finding("error", None, "PDF/A", "no PDF/A identification in the XMP"))
    intents = doc.pdf.Root.get("/OutputIntents")
    ok = False
    if isinstance(intents, pikepdf.Array):
        for oi in intents:
            profile = oi.get("/DestOutputProfile") if _is_dict(oi) else None
            if _name(oi.get("/S")) == "/GTS_PDFA1" and isinstance(profile, pikepdf.Stream) \
                    and int(profile.get("/N", 0)) == 3:
                ok = True
    if not ok:
        findings.append(Finding("error", None, "OutputIntent",
                                "no PDF/A output intent with an RGB profile"))
    return findings


def merge(*parts: Iterable[Finding]) -> list[Finding]:
    out = [f for part in parts for f in part]
    out.sort(key=lambda f: (f.page is not None, f.page or 0))
    return out
