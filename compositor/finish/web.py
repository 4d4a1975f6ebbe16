"""The subscriber PDF: a structure tree for screen readers, document settings, and
linearization for fast first-page display, added with pikepdf after rendering."""

from __future__ import annotations

import hashlib
import io
import uuid
import warnings

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from compositor.render.images import ASSETS
from compositor.render.pdf import StructRecord, pdf_role

SRGB = ASSETS / "sRGB.icc"


def finish_web(data: bytes, record: StructRecord, language: str,
               right_to_left: bool = False) -> bytes:
    digest = hashlib.sha256(data).digest()
    doc_id = uuid.UUID(bytes=digest[:16])
    with pikepdf.open(io.BytesIO(data)) as pdf:
        build_structure(pdf, record)
        root = pdf.Root
        root.MarkInfo = Dictionary(Marked=True)
        root.Lang = String(language)
        root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        if right_to_left:  # viewers show spreads and read pages right to left
            root.ViewerPreferences.Direction = Name.R2L
        root.PageMode = Name.UseOutlines
        for page in pdf.pages:
            page.obj.Tabs = Name.S
            if "/Trans" in page.obj and len(page.obj.Trans) == 0:
                del page.obj["/Trans"]
            for annot in page.obj.get("/Annots", []):
                annot.F = 4  # printable: PDF/A wants every annotation to print
        # PDF/A-2b: colours are device RGB, so the sRGB profile says what they mean.
        icc = pdf.make_stream(SRGB.read_bytes())
        icc.N = 3
        root.OutputIntents = Array([Dictionary(
            Type=Name.OutputIntent, S=Name.GTS_PDFA1, OutputConditionIdentifier=String("sRGB"),
            Info=String("sRGB IEC61966-2.1"), DestOutputProfile=icc)])
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            with warnings.catch_warnings():  # keys XMP has no place for are expected
                warnings.simplefilter("ignore")
                meta.load_from_docinfo(pdf.docinfo)
            meta["dc:language"] = [language]
            meta["pdfaid:part"] = "2"
            meta["pdfaid:conformance"] = "B"
            meta["xmpMM:DocumentID"] = f"uuid:{doc_id}"
            meta["xmpMM:InstanceID"] = f"uuid:{doc_id}"
        out = io.BytesIO()
        pdf.save(out, linearize=True, deterministic_id=True, compress_streams=True,
                 recompress_flate=True)
    return out.getvalue()


def build_structure(pdf: pikepdf.Pdf, record: StructRecord) -> None:
    """StructTreeRoot -> Document -> headings, paragraphs, figures (with Alt) and links, in
    reading order, each pointing at the marked content the renderer wrote."""
    tree = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=tree,
                                            K=Array()))
    tree.K = document
    pdf.Root.StructTreeRoot = tree
    elements: dict[int, pikepdf.Object] = {}
    nums = Array()

    def parent_of(element: int, page) -> pikepdf.Object:
        """The structure element `element` belongs in: a list, list item, list body,
        quotation or contents box, created when first needed; else the document."""
        role_parent = record.containers.get(element)
        if role_parent is None:
            return document
        found = elements.get(element)
        if found is None:
            role, parent = role_parent
            holder = parent_of(parent, page) if parent else document
            found = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + role),
                                                 P=holder, Pg=page.obj, K=Array()))
            holder.K.append(found)
            elements[element] = found
        return found

    for index, (page, marks) in enumerate(zip(pdf.pages, record.pages, strict=False)):
        page.obj.StructParents = index
        by_mcid: dict[int, pikepdf.Object] = {}
        for mcid, role, element, _parent, alt, _ in sorted(marks, key=lambda m: m[5]):
            elem = elements.get(element)
            if elem is None:
                holder = parent_of(_parent, page) if _parent else document
                elem = pdf.make_indirect(Dictionary(Type=Name.StructElem,
                                                    S=Name("/" + pdf_role(role)), P=holder,
                                                    Pg=page.obj, K=Array()))
                if role == "Figure":
                    elem.Alt = String(alt or "Photo")
                elements[element] = elem
                holder.K.append(elem)
            if elem.Pg.objgen == page.obj.objgen:
                elem.K.append(mcid)
            else:
                elem.K.append(Dictionary(Type=Name.MCR, Pg=page.obj, MCID=mcid))
            if role == "Figure" and alt:
                elem.Alt = String(alt)
            by_mcid[mcid] = elem
        nums.append(index)
        nums.append(pdf.make_indirect(Array([by_mcid[m] for m in sorted(by_mcid)])))
    # Link annotations get a description for screen readers. They are not wrapped in Link
    # structure elements: with an OBJR pointing at them, qpdf 11 and qpdf 12 disagree about
    # the linearization hint tables, and the file must pass both.
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", []):
            if annot.get("/Subtype") != Name.Link:
                continue
            action = annot.get("/A")
            if action is not None and "/URI" in action:
                annot.Contents = String(f"Link to {action.URI}")
            else:
                annot.Contents = String("Link to a page in this issue")
    key = len(pdf.pages)
    tree.ParentTree = pdf.make_indirect(Dictionary(Nums=nums))
    tree.ParentTreeNextKey = key
