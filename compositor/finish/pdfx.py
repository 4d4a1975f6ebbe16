"""PDF/X for the printer: output intent, identification keys and XMP, added with pikepdf.

ReportLab writes the page content, CMYK colours and page boxes; it cannot write an output
intent or the PDF/X identification, so those are added to the rendered file here.
"""

from __future__ import annotations

import hashlib
import io
import uuid
import warnings
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from compositor.preflight.ink import INK_NS

VERSIONS = {"PDF/X-4": ("PDF/X-4", None, "1.6"),
            "PDF/X-1a": ("PDF/X-1a:2001", "PDF/X-1a:2001", "1.3")}


# The total ink limit the file was made for, recorded so that a preflight of the file
# alone checks it against the same limit (PDF/X has no key of its own for it).
INK_KEY = f"{{{INK_NS}}}MaxInk"


def finish_pdfx(data: bytes, standard: str, profile: Path, condition: str,
                max_ink: float | None = None, right_to_left: bool = False) -> bytes:
    version, conformance, pdf_version = VERSIONS[standard]
    digest = hashlib.sha256(data).digest()
    doc_id = uuid.UUID(bytes=digest[:16])
    with pikepdf.open(io.BytesIO(data)) as pdf:
        icc = pdf.make_stream(profile.read_bytes())
        icc.N = 4
        intent = Dictionary(Type=Name.OutputIntent, S=Name.GTS_PDFX,
                            OutputConditionIdentifier=String(condition),
                            OutputCondition=String(f"{condition} (profile {profile.name})"),
                            RegistryName=String("http://www.color.org"),
                            Info=String(profile.stem), DestOutputProfile=icc)
        pdf.Root.OutputIntents = Array([intent])
        if right_to_left:  # proofs show spreads and read pages right to left
            prefs = pdf.Root.get("/ViewerPreferences")
            if prefs is None:
                pdf.Root.ViewerPreferences = prefs = Dictionary()
            prefs.Direction = Name.R2L
        info = pdf.docinfo
        info.GTS_PDFXVersion = String(version)
        if conformance:
            info.GTS_PDFXConformance = String(conformance)
        info.Trapped = Name("/False")
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            with warnings.catch_warnings():  # keys XMP has no place for are expected
                warnings.simplefilter("ignore")
                meta.load_from_docinfo(info)
            meta["pdfxid:GTS_PDFXVersion"] = version
            if conformance:
                meta["pdfx:GTS_PDFXConformance"] = conformance
            meta["pdf:Trapped"] = "False"
            meta["xmpMM:DocumentID"] = f"uuid:{doc_id}"
            meta["xmpMM:InstanceID"] = f"uuid:{doc_id}"
            meta["xmpMM:RenditionClass"] = "default"
            meta["xmpMM:VersionID"] = "1"
            if max_ink:
                meta[INK_KEY] = f"{max_ink:g}"
        for page in pdf.pages:
            if "/Trans" in page.obj and len(page.obj.Trans) == 0:
                del page.obj["/Trans"]
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, min_version=pdf_version,
                 force_version=pdf_version if standard == "PDF/X-1a" else None,
                 compress_streams=True)
    return out.getvalue()
