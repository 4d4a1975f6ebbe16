"""Web accessibility: tagging, the structure tree, alternate text for figures, and PDF/A."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pikepdf

from compositor.preflight.objects import (
    TooLarge,
    _is_dict,
    _key,
    _name,
    _nonempty_text,
)
from compositor.preflight.report import Finding

if TYPE_CHECKING:
    from compositor.preflight.core import Document, _Placement


_STANDARD_ROLES = {
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI",
    "Index", "NonStruct", "Private", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L",
    "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "THead", "TBody", "TFoot", "Span",
    "Quote", "Note", "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby", "RB", "RT",
    "RP", "Warichu", "WT", "WP", "Figure", "Formula", "Form",
}  # fmt: skip

MAX_STRUCT_NODES = 2_000_000


@dataclass
class _StructElem:
    role: str
    has_alt: bool
    page: int | None
    parent: int | None


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
    visits = 0
    while stack:
        node, page_key, parent = stack.pop()
        if node is None:
            continue
        visits += 1
        if visits > MAX_STRUCT_NODES:
            raise TooLarge(f"structure tree has more than {MAX_STRUCT_NODES:,} nodes")
        if isinstance(node, pikepdf.Array):
            # Direct arrays cannot contain themselves; an indirect one can.
            key = _key(node)
            if key is not None:
                if key in seen:
                    continue
                seen.add(key)
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


def check_tagging(doc: Document) -> list[Finding]:
    findings = []
    root = doc.pdf.Root
    image_count = sum(len(scan.images) for scan in doc.scans())
    tree = root.get("/StructTreeRoot")
    if not _is_dict(tree):
        message = "document is not tagged (no /StructTreeRoot)"
        if image_count:
            message += f"; {image_count} image placements have no alternate text"
        findings.append(Finding("error", None, "StructTreeRoot", message))
    findings += catalog_marks(root)
    if _is_dict(tree):
        findings += _alt_text(doc, tree)
    return findings


def catalog_marks(root: Any) -> list[Finding]:
    """/MarkInfo /Marked and /Lang in the catalog, which every tagged file needs."""
    findings = []
    mark_info = root.get("/MarkInfo")
    if not (_is_dict(mark_info) and mark_info.get("/Marked") is True):
        findings.append(Finding("error", None, "MarkInfo", "/MarkInfo /Marked is not true"))
    if not _nonempty_text(root.get("/Lang")):
        findings.append(Finding("error", None, "Lang", "catalog has no /Lang"))
    return findings


def _alt_text(doc: Document, tree: Any) -> list[Finding]:
    page_numbers = {}
    for number, page in doc.pages():
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
    for number, scan in enumerate(doc.scans(), 1):
        for placement in scan.images:
            problem = _image_tag_problem(placement, elems, owners)
            if problem and (number, placement.obj, problem) not in reported:
                reported.add((number, placement.obj, problem))
                findings.append(Finding("error", number, placement.obj, problem))
    return findings


def check_pdfa(doc: Document) -> list[Finding]:
    """A file that declares PDF/A conformance (pdfaid in its XMP) must pass pikepdf's
    PDF/A validator for that part and level."""
    try:
        meta = doc.pdf.open_metadata()
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
        report = pdfa.check(doc.pdf, flavour)
    except (ValueError, KeyError) as exc:
        return [Finding("warning", None, "PDF/A", f"cannot check PDF/A-{flavour}: {exc}")]
    bad = [f for f in report.findings if f.kind == "violation"]
    if not bad:
        return [Finding("info", None, "PDF/A", f"PDF/A-{flavour}: passes")]
    return [Finding("error", None, "PDF/A", f"PDF/A-{flavour}: {f.rule}: {f.message} "
                                            f"({f.where})") for f in bad[:20]]


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
