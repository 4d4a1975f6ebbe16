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

import io
import math
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf

PROFILES = ("print", "web")
SEVERITIES = ("error", "warning", "info")

PT_PER_MM = 72 / 25.4
MIN_BLEED_PT = 8.5  # 3 mm, rounded the way printers quote it
SAFE_MARGIN_PT = 3 * PT_PER_MM
PRINT_PPI_WARNING = 300
PRINT_PPI_ERROR = 150
WEB_PPI_MAX = 225
DEFAULT_TAC_LIMIT = 300.0
TAC_DPI = 36
# Each 8-bit channel is quantised to 1/255, so four channels can drift ~0.8 %
# above the value the designer set; without this slack 75/75/75/75 could fail.
TAC_TOLERANCE = 1.0
GS_TIMEOUT_S = 600
BOX_TOLERANCE_PT = 0.01

_XMP_PDFXID = "http://www.npes.org/pdfx/ns/id/"
_XMP_PDF = "http://ns.adobe.com/pdf/1.3/"
_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
_STANDARD_ROLES = {
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI",
    "Index", "NonStruct", "Private", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L",
    "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "THead", "TBody", "TFoot", "Span",
    "Quote", "Note", "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby", "RB", "RT",
    "RP", "Warichu", "WT", "WP", "Figure", "Formula", "Form",
}  # fmt: skip

Matrix = tuple[float, float, float, float, float, float]
Rect = tuple[float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


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
        return re.sub(r"\s*[\r\n]+\s*", " ", line)


def summarize(findings: Iterable[Finding]) -> tuple[int, int]:
    """Return (errors, warnings); info findings are not counted."""
    errors = warnings = 0
    for finding in findings:
        if finding.severity == "error":
            errors += 1
        elif finding.severity == "warning":
            warnings += 1
    return errors, warnings


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
    default the limit the file records (see ``recorded_ink_limit``), else 300 %;
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
        doc = _Document(pdf, path)
        checks: list[tuple[str, Callable[[], list[Finding]]]] = [
            ("fonts", doc.check_fonts),
            ("colour spaces", lambda: doc.check_colour(profile)),
            ("images", lambda: doc.check_images(profile)),
        ]
        if profile == "print":
            checks += [
                ("page boxes", doc.check_boxes),
                ("safe margin", doc.check_safe_margin),
                ("ink coverage", lambda: doc.check_ink(tac_limit, tac_dpi)),
                ("page count", doc.check_page_count),
                ("PDF/X metadata", doc.check_pdfx),
            ]
        else:
            checks += [
                ("tagging", doc.check_tagging),
                ("linearization", doc.check_linearization),
                ("PDF/A", doc.check_pdfa),
            ]
        if pdfx1a:
            checks.append(("transparency", doc.check_transparency))

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


# --------------------------------------------------------------------------
# Small helpers


def _oneline(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def _is_dict(obj: Any) -> bool:
    return isinstance(obj, pikepdf.Dictionary | pikepdf.Stream)


def _name(obj: Any) -> str | None:
    return str(obj) if isinstance(obj, pikepdf.Name) else None


def _key(obj: Any) -> tuple[int, int] | None:
    """Identity of an indirect object; None for direct ones, which cannot loop."""
    try:
        objgen = obj.objgen
    except AttributeError:
        return None
    return None if objgen == (0, 0) else objgen


def _numbers(value: Any, count: int) -> tuple[float, ...] | None:
    try:
        nums = tuple(float(v) for v in value)
    except (TypeError, ValueError):
        return None
    return nums if len(nums) == count else None


def _rect(value: Any) -> Rect | None:
    nums = _numbers(value, 4) if value is not None else None
    if nums is None:
        return None
    x0, y0, x1, y1 = nums
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _inside(inner: Rect, outer: Rect) -> bool:
    tol = BOX_TOLERANCE_PT
    return (
        inner[0] >= outer[0] - tol
        and inner[1] >= outer[1] - tol
        and inner[2] <= outer[2] + tol
        and inner[3] <= outer[3] + tol
    )


def _mul(m1: Matrix, m2: Matrix) -> Matrix:
    """m1 × m2 in PDF row-vector convention (m1 applied first)."""
    a1, b1, c1, d1, e1, f1 = m1
    a2, b2, c2, d2, e2, f2 = m2
    return (
        a1 * a2 + b1 * c2,
        a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2,
        c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2,
        e1 * b2 + f1 * d2 + f2,
    )


def _invert(m: Matrix) -> Matrix | None:
    a, b, c, d, e, f = m
    det = a * d - b * c
    if abs(det) < 1e-12:
        return None
    return (d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _inherited(page: Any, key: str) -> Any:
    """Page attributes such as /Resources and /MediaBox may live on a parent /Pages node."""
    node = page
    for _ in range(64):  # bounded: a malformed /Parent chain can loop
        if not _is_dict(node):
            return None
        value = node.get(key)
        if value is not None:
            return value
        node = node.get("/Parent")
    return None


def _lookup(resources: Any, category: str, name: Any) -> Any:
    if not _is_dict(resources):
        return None
    table = resources.get(category)
    if not _is_dict(table):
        return None
    return table.get(str(name))


def _mm(points: float) -> str:
    return f"{points / PT_PER_MM:.1f} mm"


def _pages_text(pages: list[int]) -> str:
    return ", ".join(str(p) for p in pages)


def _font_label(font: Any) -> str:
    base = _name(font.get("/BaseFont"))
    if base is None:
        desc = font.get("/DescendantFonts")
        return "font (unnamed)" if desc is None else "font (unnamed CID font)"
    return "font " + _SUBSET_PREFIX.sub("", base[1:])


def _filters(stream: Any) -> list[str]:
    value = stream.get("/Filter")
    if isinstance(value, pikepdf.Array):
        return [str(v) for v in value]
    return [str(value)] if value is not None else []


def _positive_number(value: Any, default: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if number > 0 else default


# --------------------------------------------------------------------------
# Colour spaces


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
            return _Space("Other", "unresolvable colour space")
        name = _name(cs)
        if name is not None:
            if name in _DEVICE_SPACES:
                return _DEVICE_SPACES[name]
            named = _lookup(resources, "/ColorSpace", name)
            if named is None:
                return _Space("Other", f"undefined colour space {name}")
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
            return _Space("Spot", f"Separation {str(cs[1]).lstrip('/')}")
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
                header = stream.read_bytes()[16:20]
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


# --------------------------------------------------------------------------
# Content stream walking


@dataclass(frozen=True)
class _Mark:
    tag: str
    mcid: int | None
    owner: tuple[int, int] | None  # page or stream that the MCID is relative to


@dataclass
class _Placement:
    obj: str
    width: int
    height: int
    ctm: Matrix
    marks: tuple[_Mark, ...]


@dataclass
class _PageScan:
    spaces: dict[str, set[_Space]] = field(default_factory=dict)
    images: list[_Placement] = field(default_factory=list)
    transparency: dict[str, list[str]] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)
    fonts: list[Any] = field(default_factory=list)  # font dictionaries selected with Tf

    def use(self, obj: str, space: _Space) -> None:
        self.spaces.setdefault(obj, set()).add(space)

    def transparent(self, obj: str, reason: str) -> None:
        reasons = self.transparency.setdefault(obj, [])
        if reason not in reasons:
            reasons.append(reason)


class _Walker:
    """Interprets just enough of a content stream to know what each object costs in print."""

    MAX_DEPTH = 16

    def __init__(self, scan: _PageScan, spaces: _ColourSpaces) -> None:
        self.scan = scan
        self.spaces = spaces

    def run(
        self,
        content: Any,
        resources: Any,
        ctm: Matrix,
        owner: tuple[int, int] | None,
        where: str,
        marks: tuple[_Mark, ...],
        depth: int,
        active: frozenset[tuple[int, int]],
    ) -> None:
        try:
            instructions = pikepdf.parse_content_stream(content)
        except Exception as exc:  # damaged stream: report and keep checking the rest
            self.scan.problems.append((where, f"cannot parse content stream: {_oneline(exc)}"))
            return
        base_ctm = ctm
        saved: list[Matrix] = []
        open_marks = list(marks)
        inherited = len(marks)
        for inst in instructions:
            op = str(inst.operator)
            args = inst.operands
            if op == "q":
                saved.append(ctm)
            elif op == "Q":
                if saved:
                    ctm = saved.pop()
            elif op == "cm":
                nums = _numbers(args, 6)
                if nums is not None:
                    ctm = _mul(nums, ctm)  # type: ignore[arg-type]
            elif op in _OPERATOR_SPACES:
                self.scan.use(where, _OPERATOR_SPACES[op])
            elif op in ("cs", "CS") and args:
                self.scan.use(where, self.spaces.classify(args[0], resources))
            elif op in ("sc", "scn", "SC", "SCN") and args and _name(args[-1]):
                self._pattern(args[-1], resources, base_ctm, marks, depth, active)
            elif op == "sh" and args:
                shading = _lookup(resources, "/Shading", args[0])
                if _is_dict(shading):
                    label = f"shading {str(args[0]).lstrip('/')}"
                    cs = shading.get("/ColorSpace")
                    self.scan.use(label, self.spaces.classify(cs, resources))
            elif op == "Do" and args:
                self._xobject(args[0], resources, ctm, tuple(open_marks), depth, active)
            elif op == "INLINE IMAGE" and args:
                image = getattr(inst, "iimage", args[0])
                self._image("inline image", image.obj, resources, ctm, tuple(open_marks))
            elif op == "gs" and args:
                self._extgstate(args[0], resources)
            elif op == "Tf" and args:
                font = _lookup(resources, "/Font", args[0])
                if _is_dict(font):
                    self.scan.fonts.append(font)
            elif op in ("BMC", "BDC") and args:
                open_marks.append(self._mark(op, args, resources, owner))
            elif op == "EMC" and len(open_marks) > inherited:
                # Never pop the caller's marks: an unbalanced form must not
                # untag the rest of the page.
                open_marks.pop()

    @staticmethod
    def _mark(op: str, args: Any, resources: Any, owner: tuple[int, int] | None) -> _Mark:
        tag = str(args[0])
        mcid = None
        if op == "BDC" and len(args) > 1:
            props = args[1]
            if _name(props):
                props = _lookup(resources, "/Properties", props)
            if _is_dict(props):
                value = props.get("/MCID")
                if isinstance(value, int) and not isinstance(value, bool):
                    mcid = value
        return _Mark(tag, mcid, owner)

    def _xobject(
        self,
        name: Any,
        resources: Any,
        ctm: Matrix,
        marks: tuple[_Mark, ...],
        depth: int,
        active: frozenset[tuple[int, int]],
    ) -> None:
        xobj = _lookup(resources, "/XObject", name)
        if not isinstance(xobj, pikepdf.Stream):
            return
        short = str(name).lstrip("/")
        subtype = _name(xobj.get("/Subtype"))
        if subtype == "/Image":
            self._image(f"image {short}", xobj, resources, ctm, marks)
        elif subtype == "/Form":
            label = f"form {short}"
            key = _key(xobj)
            if depth >= self.MAX_DEPTH or (key is not None and key in active):
                self.scan.problems.append((label, "form XObject nests too deeply or recursively"))
                return
            self._group(label, xobj.get("/Group"), resources)
            matrix = _numbers(xobj.get("/Matrix"), 6) or IDENTITY
            form_resources = xobj.get("/Resources")
            # Forms without /Resources fall back to the page's (PDF 1.1 files).
            inner = form_resources if _is_dict(form_resources) else resources
            self.run(
                xobj,
                inner,
                _mul(matrix, ctm),  # type: ignore[arg-type]
                key,
                label,
                marks,
                depth + 1,
                active | {key} if key is not None else active,
            )

    def _image(
        self, label: str, image: Any, resources: Any, ctm: Matrix, marks: tuple[_Mark, ...]
    ) -> None:
        if not bool(image.get("/ImageMask", False)):
            cs = image.get("/ColorSpace")
            if cs is not None:
                self.scan.use(label, self.spaces.classify(cs, resources))
            elif "/JPXDecode" in _filters(image):
                self.scan.use(label, _Space("Other", "JPEG 2000 embedded colour space"))
        if image.get("/SMask") is not None:
            self.scan.transparent(label, "image has a soft mask (SMask)")
        try:
            smask_in_data = int(image.get("/SMaskInData", 0))
        except (TypeError, ValueError):
            smask_in_data = 0
        if smask_in_data:
            self.scan.transparent(label, "JPEG 2000 image carries its own alpha (SMaskInData)")
        try:
            width, height = int(image.get("/Width", 0)), int(image.get("/Height", 0))
        except (TypeError, ValueError):
            width = height = 0
        self.scan.images.append(_Placement(label, width, height, ctm, marks))

    def _pattern(
        self,
        name: Any,
        resources: Any,
        base_ctm: Matrix,
        marks: tuple[_Mark, ...],
        depth: int,
        active: frozenset[tuple[int, int]],
    ) -> None:
        pattern = _lookup(resources, "/Pattern", name)
        if not _is_dict(pattern):
            return
        label = f"pattern {str(name).lstrip('/')}"
        pattern_type = pattern.get("/PatternType")
        if pattern_type == 2:
            shading = pattern.get("/Shading")
            if _is_dict(shading):
                self.scan.use(label, self.spaces.classify(shading.get("/ColorSpace"), resources))
            return
        if pattern_type != 1 or pattern.get("/PaintType") != 1:
            return  # uncoloured tiling patterns take their colour from the cs operator
        key = _key(pattern)
        if depth >= self.MAX_DEPTH or (key is not None and key in active):
            return
        matrix = _numbers(pattern.get("/Matrix"), 6) or IDENTITY
        inner = pattern.get("/Resources")
        self.run(
            pattern,
            inner if _is_dict(inner) else resources,
            # Pattern space hangs off the default space of the stream that
            # uses it, not off the CTM in force when the pattern is selected.
            _mul(matrix, base_ctm),  # type: ignore[arg-type]
            key,
            label,
            marks,
            depth + 1,
            active | {key} if key is not None else active,
        )

    def _extgstate(self, name: Any, resources: Any) -> None:
        state = _lookup(resources, "/ExtGState", name)
        if not _is_dict(state):
            return
        label = f"ExtGState {str(name).lstrip('/')}"
        for key, what in (("/CA", "stroke opacity"), ("/ca", "fill opacity")):
            value = state.get(key)
            if value is not None:
                try:
                    alpha = float(value)
                except (TypeError, ValueError):
                    continue
                if alpha < 1:
                    self.scan.transparent(label, f"{what} {key[1:]}={alpha:g}")
        smask = state.get("/SMask")
        if smask is not None and _name(smask) != "/None":
            self.scan.transparent(label, "soft mask (SMask)")
        blend = state.get("/BM")
        modes = list(blend) if isinstance(blend, pikepdf.Array) else [blend]
        modes = [str(m) for m in modes if m is not None]
        if modes and not any(m in ("/Normal", "/Compatible") for m in modes):
            self.scan.transparent(label, f"blend mode {modes[0].lstrip('/')}")

    def _group(self, label: str, group: Any, resources: Any) -> None:
        if not _is_dict(group):
            return
        cs = group.get("/CS")
        if cs is not None:
            self.scan.use(f"{label} transparency group", self.spaces.classify(cs, resources))
        if _name(group.get("/S")) == "/Transparency":
            self.scan.transparent(label, "transparency group")


# --------------------------------------------------------------------------
# Structure tree (for the web alt-text check)


@dataclass
class _StructElem:
    role: str
    has_alt: bool
    page: int | None
    parent: int | None


def _nonempty_text(value: Any) -> bool:
    return value is not None and bool(str(value).strip())


def _struct_index(
    root: Any, page_numbers: dict[tuple[int, int], int]
) -> tuple[list[_StructElem], dict[tuple[tuple[int, int], int], int]]:
    """Flatten the structure tree; map (page-or-stream, MCID) to the element owning it."""
    role_map = root.get("/RoleMap")
    elems: list[_StructElem] = []
    owners: dict[tuple[tuple[int, int], int], int] = {}
    seen: set[tuple[int, int]] = set()

    def resolve_role(name: str) -> str:
        for _ in range(16):  # role maps can chain, and malformed ones can loop
            if name in _STANDARD_ROLES or not _is_dict(role_map):
                break
            mapped = _name(role_map.get("/" + name))
            if mapped is None:
                break
            name = mapped[1:]
        return name

    stack: list[tuple[Any, tuple[int, int] | None, int | None]] = [(root.get("/K"), None, None)]
    while stack:
        node, page_key, parent = stack.pop()
        if node is None:
            continue
        if isinstance(node, pikepdf.Array):
            stack.extend((kid, page_key, parent) for kid in reversed(list(node)))
            continue
        if isinstance(node, int) and not isinstance(node, bool):
            if page_key is not None and parent is not None:
                owners.setdefault((page_key, node), parent)
            continue
        if not _is_dict(node):
            continue
        key = _key(node)
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        kind = _name(node.get("/Type"))
        if kind == "/MCR":
            mcid = node.get("/MCID")
            stream = node.get("/Stm")
            pg = node.get("/Pg")
            owner = _key(stream) if stream is not None else (_key(pg) if pg else page_key)
            if isinstance(mcid, int) and owner is not None and parent is not None:
                owners.setdefault((owner, mcid), parent)
            continue
        if kind == "/OBJR" or node.get("/S") is None:
            continue
        pg = node.get("/Pg")
        here = _key(pg) if pg is not None else page_key
        index = len(elems)
        elems.append(
            _StructElem(
                role=resolve_role(str(node.get("/S")).lstrip("/")),
                has_alt=_nonempty_text(node.get("/Alt")) or _nonempty_text(node.get("/ActualText")),
                page=page_numbers.get(here) if here is not None else None,
                parent=parent,
            )
        )
        stack.append((node.get("/K"), here, index))

    for (owner, _mcid), index in owners.items():
        if elems[index].page is None and owner in page_numbers:
            elems[index].page = page_numbers[owner]
    return elems, owners


# --------------------------------------------------------------------------
# The checks


class _Document:
    def __init__(self, pdf: pikepdf.Pdf, path: Path) -> None:
        self.pdf = pdf
        self.path = path
        self._scans: list[_PageScan] | None = None
        self._spaces = _ColourSpaces()

    # -- shared page data ---------------------------------------------------

    def pages(self) -> Iterator[tuple[int, Any]]:
        for number, page in enumerate(self.pdf.pages, 1):
            yield number, page.obj

    def scans(self) -> list[_PageScan]:
        if self._scans is None:
            self._scans = [self._scan(page) for _, page in self.pages()]
        return self._scans

    def _scan(self, page: Any) -> _PageScan:
        scan = _PageScan()
        walker = _Walker(scan, self._spaces)
        resources = _inherited(page, "/Resources")
        walker._group("page", page.get("/Group"), resources)
        if page.get("/Contents") is not None:
            key = _key(page)
            walker.run(
                pikepdf.Page(page),
                resources,
                IDENTITY,
                key,
                "content stream",
                (),
                0,
                frozenset(),
            )
        return scan

    def _problem_findings(self) -> list[Finding]:
        return [
            Finding("error", number, where, message)
            for number, scan in enumerate(self.scans(), 1)
            for where, message in scan.problems
        ]

    def _user_unit(self, page: Any) -> float:
        return _positive_number(page.get("/UserUnit"), 1.0)

    def _boxes(self, page: Any) -> tuple[Rect, Rect, Rect | None, Rect | None]:
        """MediaBox, CropBox, and TrimBox/BleedBox as written (None when absent)."""
        media = _rect(_inherited(page, "/MediaBox")) or (0.0, 0.0, 612.0, 792.0)
        crop = _rect(_inherited(page, "/CropBox")) or media
        return media, crop, _rect(page.get("/TrimBox")), _rect(page.get("/BleedBox"))

    # -- fonts --------------------------------------------------------------

    def check_fonts(self) -> list[Finding]:
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

        for (number, page), scan in zip(self.pages(), self.scans(), strict=True):
            for font in scan.fonts:
                if not _font_embedded(font):
                    note(used, font, number)
            seen: set[tuple[int, int]] = set()
            for resources in self._annotation_resources(page):
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

    @staticmethod
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

    # -- colour -------------------------------------------------------------

    def check_colour(self, profile: str) -> list[Finding]:
        findings = self._problem_findings()
        scans = self.scans()
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

    # -- images -------------------------------------------------------------

    def check_images(self, profile: str) -> list[Finding]:
        findings = []
        for (number, page), scan in zip(self.pages(), self.scans(), strict=True):
            unit = self._user_unit(page)
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

    # -- page boxes ---------------------------------------------------------

    def check_boxes(self) -> list[Finding]:
        findings: list[Finding] = []
        bleeds: list[str | None] = []
        for number, page in self.pages():
            unit = self._user_unit(page)
            media, crop, trim, bleed = self._boxes(page)
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

    # -- safe margin --------------------------------------------------------

    def check_safe_margin(self) -> list[Finding]:
        fast = self._safe_margin_poppler()
        if fast is not None:
            return fast
        import pdfplumber  # heavy import, only print preflight needs it

        findings = []
        with pdfplumber.open(self.path) as plumb:
            for (number, page), plpage in zip(self.pages(), plumb.pages, strict=False):
                _, _, trim, _ = self._boxes(page)
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

    def _safe_margin_poppler(self) -> list[Finding] | None:
        """The same check from poppler's word boxes: about fifty times faster than
        pdfplumber. Only for unrotated pages; None means "use the slow path"."""
        tool = shutil.which("pdftotext")
        if tool is None:
            return None
        pages = list(self.pages())
        for _, page in pages:
            if int(_inherited(page, "/Rotate") or 0) % 360:
                return None
        try:
            proc = subprocess.run([tool, "-q", "-bbox", str(self.path), "-"],
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
            _, crop, trim, _ = self._boxes(page)
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

    # -- ink ----------------------------------------------------------------

    def check_ink(self, tac_limit: float, dpi: int) -> list[Finding]:
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
                "-dUseBleedBox", f"-sOutputFile={pattern}", str(self.path.resolve()),
            ]  # fmt: skip
            try:
                proc = subprocess.run(cmd, capture_output=True, timeout=GS_TIMEOUT_S, check=False)
            except (OSError, subprocess.TimeoutExpired) as exc:
                return [
                    Finding("warning", None, "ink coverage", f"ink coverage not checked: {exc}")
                ]
            rendered = sorted(Path(tmp).glob("page-*.tif"))
            if proc.returncode != 0 or len(rendered) != len(self.pdf.pages):
                stderr = proc.stderr.decode("utf-8", "replace").strip().splitlines()
                why = stderr[-1] if stderr else f"exit status {proc.returncode}"
                findings.append(
                    Finding(
                        "warning",
                        None,
                        "ink coverage",
                        f"Ghostscript rendered {len(rendered)} of {len(self.pdf.pages)} pages: "
                        f"{why}",
                    )
                )
            for number, tif in enumerate(rendered, 1):
                peak, region = _max_ink(tif, tac_limit + TAC_TOLERANCE)
                if peak > tac_limit + TAC_TOLERANCE and region is not None:
                    left, top, right, bottom = (v * 25.4 / dpi for v in region)
                    findings.append(
                        Finding(
                            "error",
                            number,
                            "ink coverage",
                            f"total ink coverage reaches {peak:.0f}%, above the "
                            f"{tac_limit:.0f}% limit (area {left:.0f}-{right:.0f} mm from the "
                            f"left, {top:.0f}-{bottom:.0f} mm from the top of the bleed box)",
                        )
                    )
        return findings

    # -- document-level print checks -------------------------------------------

    def check_page_count(self) -> list[Finding]:
        count = len(self.pdf.pages)
        if count % 4 == 0:
            return []
        short = 4 - count % 4
        return [
            Finding(
                "warning",
                None,
                "document",
                f"page count {count} is not a multiple of 4 "
                f"(add {short} page{'s' if short > 1 else ''} for folded sheets)",
            )
        ]

    def check_pdfx(self) -> list[Finding]:
        findings = []
        root = self.pdf.Root
        intents = root.get("/OutputIntents")
        pdfx = []
        if isinstance(intents, pikepdf.Array):
            pdfx = [oi for oi in intents if _is_dict(oi) and _name(oi.get("/S")) == "/GTS_PDFX"]
        if not pdfx:
            findings.append(
                Finding("error", None, "OutputIntent", "no /OutputIntents entry with /S /GTS_PDFX")
            )
        else:
            intent = pdfx[0]
            if not _nonempty_text(intent.get("/OutputConditionIdentifier")):
                findings.append(
                    Finding("error", None, "OutputIntent", "OutputConditionIdentifier is missing")
                )
            profile = intent.get("/DestOutputProfile")
            if not isinstance(profile, pikepdf.Stream):
                findings.append(
                    Finding("error", None, "OutputIntent", "no embedded DestOutputProfile")
                )
            else:
                header = profile.read_bytes()[16:20]
                if header != b"CMYK":
                    shown = header.decode("latin-1").strip() or "unreadable"
                    findings.append(
                        Finding(
                            "error",
                            None,
                            "OutputIntent",
                            f"DestOutputProfile colour space is '{shown}', not 'CMYK'",
                        )
                    )

        info = self.pdf.trailer.get("/Info")
        info = info if _is_dict(info) else None
        xmp = self._xmp()
        version = info.get("/GTS_PDFXVersion") if info is not None else None
        version_text = (
            str(version) if version is not None else _xmp_value(xmp, _XMP_PDFXID, "GTS_PDFXVersion")
        )
        if not version_text:
            findings.append(
                Finding(
                    "error",
                    None,
                    "GTS_PDFXVersion",
                    "no PDF/X version (/GTS_PDFXVersion in Info or pdfxid:GTS_PDFXVersion in XMP)",
                )
            )
        else:
            findings.append(Finding("info", None, "GTS_PDFXVersion", f"declares {version_text}"))

        trapped = _name(info.get("/Trapped")) if info is not None else None
        trapped_text = trapped[1:] if trapped else _xmp_value(xmp, _XMP_PDF, "Trapped")
        if trapped_text not in ("True", "False"):
            shown = f"is {trapped_text}" if trapped_text else "is not set"
            findings.append(
                Finding("error", None, "Trapped", f"/Trapped {shown}; PDF/X needs True or False")
            )
        file_id = self.pdf.trailer.get("/ID")
        if not isinstance(file_id, pikepdf.Array) or len(file_id) != 2:
            findings.append(Finding("error", None, "ID", "trailer has no /ID"))
        return findings

    def _xmp(self) -> bytes:
        stream = self.pdf.Root.get("/Metadata")
        if not isinstance(stream, pikepdf.Stream):
            return b""
        try:
            return stream.read_bytes()
        except Exception:  # undecodable metadata counts as absent
            return b""

    # -- web ----------------------------------------------------------------

    def check_tagging(self) -> list[Finding]:
        findings = []
        root = self.pdf.Root
        image_count = sum(len(scan.images) for scan in self.scans())
        tree = root.get("/StructTreeRoot")
        if not _is_dict(tree):
            message = "document is not tagged (no /StructTreeRoot)"
            if image_count:
                message += f"; {image_count} image placements have no alternate text"
            findings.append(Finding("error", None, "StructTreeRoot", message))
        mark_info = root.get("/MarkInfo")
        if not (_is_dict(mark_info) and mark_info.get("/Marked") is True):
            findings.append(Finding("error", None, "MarkInfo", "/MarkInfo /Marked is not true"))
        if not _nonempty_text(root.get("/Lang")):
            findings.append(Finding("error", None, "Lang", "catalog has no /Lang"))
        if _is_dict(tree):
            findings += self._alt_text(tree)
        return findings

    def _alt_text(self, tree: Any) -> list[Finding]:
        page_numbers = {}
        for number, page in self.pages():
            key = _key(page)
            if key is not None:
                page_numbers[key] = number
        elems, owners = _struct_index(tree, page_numbers)
        findings: list[Finding] = []

        missing: dict[int | None, int] = {}
        for elem in elems:
            if elem.role == "Figure" and not elem.has_alt:
                missing[elem.page] = missing.get(elem.page, 0) + 1
        for page, count in sorted(missing.items(), key=lambda item: item[0] or 0):
            noun = "element has" if count == 1 else "elements have"
            findings.append(Finding("error", page, "Figure", f"{count} Figure {noun} no /Alt text"))

        reported: set[tuple[int, str, str]] = set()
        for number, scan in enumerate(self.scans(), 1):
            for placement in scan.images:
                problem = _image_tag_problem(placement, elems, owners)
                if problem and (number, placement.obj, problem) not in reported:
                    reported.add((number, placement.obj, problem))
                    findings.append(Finding("error", number, placement.obj, problem))
        return findings

    def check_linearization(self) -> list[Finding]:
        if not self.pdf.is_linearized:
            return [Finding("error", None, "linearization", "file is not linearized")]
        report = io.StringIO()
        saved = sys.stdout, sys.stderr  # pikepdf rebinds these while checking and may not
        try:  # restore them, which would silence every later message of the CLI
            ok = self.pdf.check_linearization(report)
        except Exception as exc:  # qpdf throws on hint tables it cannot parse
            ok = False
            report.write(str(exc))
        finally:
            sys.stdout, sys.stderr = saved
        if ok:
            return []
        detail = " ".join(report.getvalue().split())[:200] or "hint tables are inconsistent"
        return [Finding("error", None, "linearization", f"linearization is damaged: {detail}")]

    # -- PDF/A ------------------------------------------------------------------

    def check_pdfa(self) -> list[Finding]:
        """A file that declares PDF/A conformance (pdfaid in its XMP) must pass pikepdf's
        PDF/A validator for that part and level."""
        try:
            meta = self.pdf.open_metadata()
            part, level = meta.get("pdfaid:part"), meta.get("pdfaid:conformance")
        except Exception:  # noqa: BLE001 - unreadable XMP is reported by other checks
            return []
        if not part:
            return [Finding("info", None, "PDF/A", "no PDF/A conformance declared")]
        flavour = f"{part}{(level or 'b').lower()}"
        try:
            import pikepdf.pdfa as pdfa
        except ImportError:
            return [Finding("info", None, "PDF/A", f"declares PDF/A-{flavour}; validator "
                                                   "not installed (pip install 'pikepdf[pdfa]')")]
        try:
            report = pdfa.check(self.pdf, flavour)
        except (ValueError, KeyError) as exc:
            return [Finding("warning", None, "PDF/A", f"cannot check PDF/A-{flavour}: {exc}")]
        bad = [f for f in report.findings if f.kind == "violation"]
        if not bad:
            return [Finding("info", None, "PDF/A", f"PDF/A-{flavour}: passes")]
        return [Finding("error", None, "PDF/A", f"PDF/A-{flavour}: {f.rule}: {f.message} "
                                                f"({f.where})") for f in bad[:20]]

    # -- transparency ---------------------------------------------------------

    def check_transparency(self) -> list[Finding]:
        return [
            Finding("error", number, obj, f"transparency is not allowed in PDF/X-1a: {reason}")
            for number, scan in enumerate(self.scans(), 1)
            for obj, reasons in scan.transparency.items()
            for reason in reasons
        ]


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


def recorded_ink_limit(pdf: pikepdf.Pdf) -> float | None:
    """The total ink limit (percent) compositor records in a print file's XMP when it
    builds it, so a file is checked against the limit it was made for; None if absent."""
    try:
        raw = _xmp_value(bytes(pdf.Root.Metadata.read_bytes()),
                         "http://ns.compositor.invalid/print/1.0/", "MaxInk")
        value = float(raw)
    except (AttributeError, KeyError, TypeError, ValueError, pikepdf.PdfError):
        return None
    return value if 100 <= value <= 400 else None


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


def _xmp_value(xmp: bytes, namespace: str, local: str) -> str:
    """Read a simple XMP property written either as an element or as an attribute."""
    if not xmp:
        return ""
    qualified = f"{{{namespace}}}{local}"
    try:
        tree = ET.fromstring(xmp.strip(b"\x00 \t\r\n"))
    except ET.ParseError:
        # Some producers write XMP that is not well-formed; a prefix match is
        # good enough to know whether the property is there.
        match = re.search(rb":" + local.encode() + rb"""\s*(?:=\s*["']([^"']*)|>([^<]*))""", xmp)
        if not match:
            return ""
        return (match.group(1) or match.group(2) or b"").decode("utf-8", "replace").strip()
    for element in tree.iter():
        if element.tag == qualified and element.text and element.text.strip():
            return element.text.strip()
        value = element.attrib.get(qualified)
        if value:
            return value.strip()
    return ""


def _image_tag_problem(
    placement: _Placement,
    elems: list[_StructElem],
    owners: dict[tuple[tuple[int, int], int], int],
) -> str | None:
    if any(mark.tag == "/Artifact" for mark in placement.marks):
        return None  # decorative images are legitimately hidden from screen readers
    tagged = [mark for mark in placement.marks if mark.mcid is not None]
    if not tagged:
        return "image is neither tagged as a /Figure (no MCID) nor marked as an /Artifact"
    mark = tagged[-1]
    index = owners.get((mark.owner, mark.mcid)) if mark.owner is not None else None
    if index is None:
        return f"image is in marked content MCID {mark.mcid} that no structure element claims"
    role = elems[index].role
    hops = 0
    current: int | None = index
    while current is not None and hops < 64:
        if elems[current].role == "Figure":
            return None  # a Figure without /Alt is reported once, per Figure
        current = elems[current].parent
        hops += 1
    return f"image is tagged as /{role}, not as a /Figure with /Alt text"
