"""Document-level structure: page count, PDF/X identification and output intent, linearization."""

from __future__ import annotations

import io
import re
import sys
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

import pikepdf

from compositor.preflight.objects import (
    _is_dict,
    _name,
    _nonempty_text,
    read_bounded,
    read_head,
)
from compositor.preflight.report import Finding

if TYPE_CHECKING:
    from compositor.preflight.core import Document


_XMP_PDFXID = "http://www.npes.org/pdfx/ns/id/"
_XMP_PDF = "http://ns.adobe.com/pdf/1.3/"


def check_page_count(doc: Document) -> list[Finding]:
    count = len(doc.pdf.pages)
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


def check_pdfx(doc: Document) -> list[Finding]:
    findings = []
    root = doc.pdf.Root
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
            header = read_head(profile, 20)[16:20]
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

    info = doc.pdf.trailer.get("/Info")
    info = info if _is_dict(info) else None
    xmp = _xmp(doc)
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
    file_id = doc.pdf.trailer.get("/ID")
    if not isinstance(file_id, pikepdf.Array) or len(file_id) != 2:
        findings.append(Finding("error", None, "ID", "trailer has no /ID"))
    return findings


def _xmp(doc: Document) -> bytes:
    stream = doc.pdf.Root.get("/Metadata")
    if not isinstance(stream, pikepdf.Stream):
        return b""
    try:
        return read_bounded(stream, 16 * 1024 * 1024)
    except Exception:  # undecodable metadata counts as absent
        return b""


def check_linearization(doc: Document) -> list[Finding]:
    if not doc.pdf.is_linearized:
        return [Finding("error", None, "linearization", "file is not linearized")]
    report = io.StringIO()
    saved = sys.stdout, sys.stderr  # pikepdf rebinds these while checking and may not
    try:  # restore them, which would silence every later message of the CLI
        ok = doc.pdf.check_linearization(report)
    except Exception as exc:  # qpdf throws on hint tables it cannot parse
        ok = False
        report.write(str(exc))
    finally:
        sys.stdout, sys.stderr = saved
    if ok:
        return []
    detail = " ".join(report.getvalue().split())[:200] or "hint tables are inconsistent"
    return [Finding("error", None, "linearization", f"linearization is damaged: {detail}")]


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
