"""Tests for compositor.preflight.

Every PDF is generated here (ReportLab for realistic producer output, pikepdf
for the structures ReportLab cannot write), so each test shows exactly which
defect it plants and which single finding it expects back.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from compositor.preflight import Finding, preflight, summarize

ROOT = Path(__file__).resolve().parents[1]
FONT_PATH = ROOT / "compositor" / "fonts" / "NotoSans-Regular.ttf"
FONT = "PreflightTestNotoSans"
MM = 72 / 25.4
TRIM_W, TRIM_H = 148 * MM, 210 * MM  # A5
BLEED = 3.2 * MM  # a little over 3 mm so rounding can never make it "short"
SLUG = 10 * MM
PAGE_W, PAGE_H = TRIM_W + 2 * (BLEED + SLUG), TRIM_H + 2 * (BLEED + SLUG)
TRIM_X0, TRIM_Y0 = BLEED + SLUG, BLEED + SLUG
TRIM_BOX = (TRIM_X0, TRIM_Y0, TRIM_X0 + TRIM_W, TRIM_Y0 + TRIM_H)
BLEED_BOX = (SLUG, SLUG, PAGE_W - SLUG, PAGE_H - SLUG)

needs_gs = pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript not installed")


def cmyk_profile() -> bytes:
    for candidate in (
        ROOT / "compositor" / "icc" / "FOGRA39L-coated.icc",
        Path("/usr/share/color/icc/ghostscript/ps_cmyk.icc"),
    ):
        if candidate.exists():
            return candidate.read_bytes()
    # Preflight reads only the header, so a bare 128-byte header is enough
    # when no real profile is around.
    header = bytearray(128)
    header[12:16], header[16:20], header[20:24] = b"prtr", b"CMYK", b"Lab "
    return bytes(header)


def rgb_profile() -> bytes:
    candidate = ROOT / "compositor" / "icc" / "sRGB.icc"
    if candidate.exists():
        return candidate.read_bytes()
    header = bytearray(128)
    header[12:16], header[16:20], header[20:24] = b"mntr", b"RGB ", b"XYZ "
    return bytes(header)


@pytest.fixture(scope="module", autouse=True)
def _register_font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_PATH)))


def cmyk_image(px: int) -> ImageReader:
    return ImageReader(Image.new("CMYK", (px, px), (40, 80, 120, 0)))


Draw = Callable[[canvas.Canvas, int], None]


def make_print_pdf(
    path: Path,
    *,
    pages: int = 4,
    draw: Draw | None = None,
    trim_missing_on: tuple[int, ...] = (),
    bleed_box: tuple[float, float, float, float] = BLEED_BOX,
    intent: bool = True,
) -> Path:
    """A clean PDF/X-4-like newsletter; ``draw`` plants the defect under test."""
    c = canvas.Canvas(
        str(path), pagesize=(PAGE_W, PAGE_H), initialFontName=FONT, initialFontSize=10
    )
    for number in range(1, pages + 1):
        c.setFillColorCMYK(0, 0, 0, 1)
        c.setFont(FONT, 10)
        c.drawString(TRIM_X0 + 20 * MM, TRIM_Y0 + 100 * MM, f"Harbour Light, page {number}")
        # 64 px across 0.2 in is 320 ppi: sharp enough for print.
        c.drawImage(cmyk_image(64), TRIM_X0 + 20 * MM, TRIM_Y0 + 40 * MM, 14.4, 14.4)
        # Slug line and registration-colour crop marks sit outside the bleed;
        # both are normal on press sheets and must not trigger anything.
        c.setFont(FONT, 6)
        c.drawString(2 * MM, 2 * MM, f"harbour-light.pdf  page {number}")
        c.setStrokeColorCMYK(1, 1, 1, 1)
        c.setLineWidth(1)
        c.line(0, TRIM_Y0, SLUG - 1, TRIM_Y0)
        c.line(TRIM_X0, 0, TRIM_X0, SLUG - 1)
        if draw is not None:
            draw(c, number)
        c.showPage()
    c.save()

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            if number not in trim_missing_on:
                page.obj.TrimBox = pikepdf.Array(TRIM_BOX)
            page.obj.BleedBox = pikepdf.Array(bleed_box)
        if intent:
            profile = pdf.make_stream(cmyk_profile(), N=4)
            pdf.Root.OutputIntents = pikepdf.Array(
                [
                    pikepdf.Dictionary(
                        Type=pikepdf.Name.OutputIntent,
                        S=pikepdf.Name.GTS_PDFX,
                        OutputConditionIdentifier="FOGRA39",
                        Info="Coated FOGRA39",
                        DestOutputProfile=profile,
                    )
                ]
            )
            pdf.docinfo["/GTS_PDFXVersion"] = "PDF/X-4"
        pdf.docinfo["/Trapped"] = pikepdf.Name("/False")
        pdf.save(path)
    return path


def on_page(page: int, action: Callable[[canvas.Canvas], None]) -> Draw:
    def draw(c: canvas.Canvas, number: int) -> None:
        if number == page:
            action(c)

    return draw


def only(findings: list[Finding], severity: str) -> list[Finding]:
    return [f for f in findings if f.severity == severity]


def problems(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity != "info"]


def assert_single(findings: list[Finding], severity: str, page: int | None, obj: str) -> Finding:
    """Exactly one non-info finding, and it is the planted one."""
    found = problems(findings)
    assert len(found) == 1, [f.format("x.pdf") for f in found]
    finding = found[0]
    assert (finding.severity, finding.page) == (severity, page), finding
    assert finding.obj == obj or finding.obj.startswith(obj), finding
    return finding


@pytest.fixture(scope="module")
def clean_print(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_print_pdf(tmp_path_factory.mktemp("clean") / "clean.pdf")


# --------------------------------------------------------------------------
# Finding and summary


def test_finding_format_is_one_line() -> None:
    finding = Finding("error", 3, "image Im3", "effective resolution 96 ppi is below 150 ppi")
    assert (
        finding.format("issue.pdf")
        == "issue.pdf: page 3: error: image Im3: effective resolution 96 ppi is below 150 ppi"
    )
    doc_level = Finding("warning", None, "document", "first\nsecond")
    assert doc_level.format(Path("a.pdf")) == "a.pdf: warning: document: first second"


def test_summarize_counts_errors_and_warnings_only() -> None:
    findings = [
        Finding("error", 1, "a", "x"),
        Finding("warning", None, "b", "y"),
        Finding("warning", 2, "c", "z"),
        Finding("info", None, "d", "w"),
    ]
    assert summarize(findings) == (1, 2)


def test_unknown_profile_is_a_programming_error(clean_print: Path) -> None:
    with pytest.raises(ValueError):
        preflight(clean_print, "screen")


# --------------------------------------------------------------------------
# Print profile


@needs_gs
def test_clean_print_pdf_passes(clean_print: Path) -> None:
    findings = preflight(clean_print, "print")
    assert summarize(findings) == (0, 0), [f.format("clean.pdf") for f in findings]
    infos = {f.obj: f.message for f in only(findings, "info")}
    assert infos["GTS_PDFXVersion"] == "declares PDF/X-4"
    assert infos["BleedBox"].startswith("bleed left 3.2 mm")
    assert infos["BleedBox"].endswith("(all pages)")


def test_rgb_image_and_rgb_text_are_errors_in_print(tmp_path: Path) -> None:
    def rgb_image(c: canvas.Canvas) -> None:
        c.drawImage(
            ImageReader(Image.new("RGB", (64, 64), (200, 30, 30))), TRIM_X0 + 60 * MM,
            TRIM_Y0 + 60 * MM, 14.4, 14.4,
        )  # fmt: skip

    def rgb_text(c: canvas.Canvas) -> None:
        c.setFillColorRGB(0.8, 0.1, 0.1)
        c.drawString(TRIM_X0 + 20 * MM, TRIM_Y0 + 120 * MM, "red headline")

    def draw(c: canvas.Canvas, number: int) -> None:
        if number == 2:
            rgb_image(c)
        if number == 3:
            rgb_text(c)

    path = make_print_pdf(tmp_path / "rgb.pdf", draw=draw)
    findings = problems(preflight(path, "print"))
    assert [(f.severity, f.page) for f in findings] == [("error", 2), ("error", 3)]
    image, text = findings
    assert image.obj.startswith("image ") and "DeviceRGB" in image.message
    assert text.obj == "content stream" and "DeviceRGB" in text.message


def test_iccbased_rgb_and_lab_are_recognised_from_the_profile(tmp_path: Path) -> None:
    path = make_print_pdf(tmp_path / "icc.pdf")
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        icc = pdf.make_stream(rgb_profile(), N=3)
        image = pdf.make_stream(
            bytes(3 * 64 * 64), Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image,
            Width=64, Height=64, BitsPerComponent=8,
            ColorSpace=pikepdf.Array([pikepdf.Name.ICCBased, icc]),
        )  # fmt: skip
        page = pdf.pages[0]
        page.Resources.XObject["/Photo"] = image
        lab = pikepdf.Array([pikepdf.Name.Lab, pikepdf.Dictionary(WhitePoint=[0.9505, 1, 1.089])])
        page.Resources.ColorSpace = pikepdf.Dictionary(CS9=lab)
        page.contents_add(
            pdf.make_stream(b"q 14.4 0 0 14.4 100 100 cm /Photo Do Q /CS9 cs 50 0 0 sc"),
            prepend=False,
        )
        pdf.save(path)
    findings = problems(preflight(path, "print"))
    messages = {(f.severity, f.page, f.obj): f.message for f in findings}
    assert len(findings) == 2
    assert "ICCBased RGB" in messages[("error", 1, "image Photo")]
    assert "uses Lab;" in messages[("error", 1, "content stream")]


def test_unembedded_helvetica_is_an_error(tmp_path: Path) -> None:
    def helvetica(c: canvas.Canvas) -> None:
        c.setFont("Helvetica", 10)
        c.drawString(TRIM_X0 + 20 * MM, TRIM_Y0 + 120 * MM, "not embedded")

    path = make_print_pdf(tmp_path / "helv.pdf", draw=on_page(1, helvetica))
    finding = assert_single(preflight(path, "print"), "error", 1, "font Helvetica")
    assert finding.message == "font is not embedded"
    # The same rule holds for the web variant.
    web = [f for f in preflight(path, "web") if f.obj == "font Helvetica"]
    assert [(f.severity, f.page) for f in web] == [("error", 1)]


def test_unembedded_fonts_inside_forms_and_type0_descendants(tmp_path: Path) -> None:
    def form_with_helvetica(c: canvas.Canvas) -> None:
        c.beginForm("Masthead")
        c.setFont("Helvetica-Bold", 12)
        c.drawString(TRIM_X0 + 20 * MM, TRIM_Y0 + 150 * MM, "The Harbour Light")
        c.endForm()
        c.doForm("Masthead")

    path = make_print_pdf(tmp_path / "forms.pdf", draw=on_page(2, form_with_helvetica))
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        descendant = pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType2,
            BaseFont=pikepdf.Name("/ABCDEF+FakeSans-Bold"),
            FontDescriptor=pikepdf.Dictionary(
                Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name("/FakeSans-Bold")
            ),
        )  # fmt: skip
        type0 = pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0,
            BaseFont=pikepdf.Name("/ABCDEF+FakeSans-Bold"), Encoding=pikepdf.Name("/Identity-H"),
            DescendantFonts=pikepdf.Array([pdf.make_indirect(descendant)]),
        )  # fmt: skip
        fonts = pdf.pages[3].Resources.Font  # ReportLab shares it between pages
        fonts["/FX"] = pdf.make_indirect(type0)
        fonts["/FY"] = pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name("/Times-Roman"),
        )
        pdf.pages[3].contents_add(
            pdf.make_stream(b"BT /FX 10 Tf 100 100 Td <0001> Tj ET"), prepend=False
        )
        pdf.save(path)
    findings = problems(preflight(path, "print"))
    assert [(f.severity, f.page, f.obj) for f in findings] == [
        ("warning", 1, "font Times-Roman"),  # listed in resources, never drawn
        ("error", 2, "font Helvetica-Bold"),
        ("error", 4, "font FakeSans-Bold"),
    ]


def test_missing_trimbox_is_an_error(tmp_path: Path) -> None:
    path = make_print_pdf(tmp_path / "notrim.pdf", trim_missing_on=(3,))
    finding = assert_single(preflight(path, "print"), "error", 3, "TrimBox")
    assert "missing" in finding.message


def test_short_bleed_and_bleedbox_outside_media_are_warnings(tmp_path: Path) -> None:
    short = (TRIM_X0 - 1 * MM, TRIM_Y0 - BLEED, TRIM_BOX[2] + BLEED, TRIM_BOX[3] + BLEED)
    path = make_print_pdf(tmp_path / "short.pdf", bleed_box=short)
    findings = problems(preflight(path, "print"))
    assert {(f.severity, f.page, f.obj) for f in findings} == {
        ("warning", n, "BleedBox") for n in range(1, 5)
    }
    assert findings[0].message == "bleed is below 3 mm: left 1.0 mm"

    outside = (SLUG, SLUG, PAGE_W - SLUG, PAGE_H + 5)
    path = make_print_pdf(tmp_path / "outside.pdf", bleed_box=outside, pages=4)
    messages = {f.message for f in problems(preflight(path, "print"))}
    assert messages == {"BleedBox is not inside the MediaBox"}


def test_text_within_3mm_of_trim_is_a_warning(tmp_path: Path) -> None:
    def near_edge(c: canvas.Canvas) -> None:
        c.setFont(FONT, 9)
        c.drawString(TRIM_X0 + 1 * MM, TRIM_Y0 + 80 * MM, "Too close")

    path = make_print_pdf(tmp_path / "margin.pdf", draw=on_page(2, near_edge))
    finding = assert_single(preflight(path, "print"), "warning", 2, "text")
    # Word boxes with poppler (fast path), character boxes with pdfplumber (fallback).
    assert finding.message in (
        '1 word closer than 3 mm to the trim edge (closest: 1.0 mm at the left edge, "Too")',
        '2 characters closer than 3 mm to the trim edge (closest: 1.0 mm at the left edge, "To")',
    )


def test_safe_margin_follows_rotation_and_shifted_media_box(tmp_path: Path) -> None:
    def near_top(c: canvas.Canvas) -> None:
        c.drawString(TRIM_X0 + 40 * MM, TRIM_BOX[3] - 3, "top edge")

    path = make_print_pdf(tmp_path / "rot.pdf", draw=on_page(1, near_top))
    dx, dy = 100.0, -40.0
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for page in pdf.pages:
            page.obj.Rotate = 90
            # Move the whole page away from the origin: content, and every box.
            page.contents_add(pdf.make_stream(f"q 1 0 0 1 {dx} {dy} cm".encode()), prepend=True)
            page.contents_add(pdf.make_stream(b"Q"), prepend=False)
            for key in ("/MediaBox", "/TrimBox", "/BleedBox"):
                x0, y0, x1, y1 = (float(v) for v in page.obj[key])
                page.obj[key] = pikepdf.Array([x0 + dx, y0 + dy, x1 + dx, y1 + dy])
        pdf.save(path)
    finding = assert_single(preflight(path, "print"), "warning", 1, "text")
    assert "top edge" in finding.message


def test_low_resolution_images(tmp_path: Path) -> None:
    def low(c: canvas.Canvas) -> None:
        c.drawImage(cmyk_image(72), TRIM_X0 + 60 * MM, TRIM_Y0 + 60 * MM, 72, 72)  # 72 ppi

    def medium(c: canvas.Canvas) -> None:
        c.drawImage(cmyk_image(50), TRIM_X0 + 60 * MM, TRIM_Y0 + 60 * MM, 18, 18)  # 200 ppi

    def draw(c: canvas.Canvas, number: int) -> None:
        if number == 1:
            low(c)
        if number == 4:
            medium(c)

    path = make_print_pdf(tmp_path / "lowres.pdf", draw=draw)
    findings = problems(preflight(path, "print"))
    assert [(f.severity, f.page) for f in findings] == [("error", 1), ("warning", 4)]
    assert all(f.obj.startswith("image ") for f in findings)
    assert "effective resolution 72 ppi is below 150 ppi" in findings[0].message
    assert "effective resolution 200 ppi is below 300 ppi" in findings[1].message


@needs_gs
def test_total_ink_coverage_above_limit_is_an_error(tmp_path: Path) -> None:
    def rich_black(c: canvas.Canvas) -> None:
        c.setFillColorCMYK(1, 1, 1, 1)
        c.rect(TRIM_X0 + 30 * MM, TRIM_Y0 + 130 * MM, 40 * MM, 20 * MM, stroke=0, fill=1)

    path = make_print_pdf(tmp_path / "tac.pdf", draw=on_page(3, rich_black))
    finding = assert_single(preflight(path, "print"), "error", 3, "ink coverage")
    assert finding.message.startswith("total ink coverage reaches 400%, above the 300% limit")
    assert summarize(preflight(path, "print", tac_limit=400)) == (0, 0)


def test_missing_ghostscript_is_reported_as_skipped(
    clean_print: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    findings = preflight(clean_print, "print")
    assert summarize(findings) == (0, 0)
    skipped = [f for f in findings if f.obj == "ink coverage"]
    assert [(f.severity, f.page) for f in skipped] == [("info", None)]
    assert "skipped" in skipped[0].message


def test_page_count_not_multiple_of_four_is_a_warning(tmp_path: Path) -> None:
    path = make_print_pdf(tmp_path / "three.pdf", pages=3)
    finding = assert_single(preflight(path, "print"), "warning", None, "document")
    assert "page count 3 is not a multiple of 4" in finding.message


def test_missing_output_intent_is_an_error(tmp_path: Path) -> None:
    path = make_print_pdf(tmp_path / "nointent.pdf", intent=False)
    findings = problems(preflight(path, "print"))
    assert [(f.severity, f.page, f.obj) for f in findings] == [
        ("error", None, "OutputIntent"),
        ("error", None, "GTS_PDFXVersion"),
    ]


def test_rgb_output_intent_and_missing_trapped_and_xmp_version(tmp_path: Path) -> None:
    path = make_print_pdf(tmp_path / "rgbintent.pdf")
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.Root.OutputIntents[0].DestOutputProfile = pdf.make_stream(rgb_profile(), N=3)
        del pdf.docinfo["/Trapped"]
        del pdf.docinfo["/GTS_PDFXVersion"]
        # Declaring the version only in XMP is allowed.
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["pdfxid:GTS_PDFXVersion"] = "PDF/X-4"
        pdf.save(path)
    findings = problems(preflight(path, "print"))
    assert [(f.severity, f.obj) for f in findings] == [
        ("error", "OutputIntent"),
        ("error", "Trapped"),
    ]
    assert "'RGB', not 'CMYK'" in findings[0].message


def test_transparency_only_reported_for_pdfx1a(tmp_path: Path) -> None:
    def tint(c: canvas.Canvas) -> None:
        c.setFillColorCMYK(0, 0.5, 0, 0)
        c.setFillAlpha(0.5)
        c.rect(TRIM_X0 + 30 * MM, TRIM_Y0 + 130 * MM, 40 * MM, 20 * MM, stroke=0, fill=1)

    path = make_print_pdf(tmp_path / "alpha.pdf", draw=on_page(2, tint))
    assert problems(preflight(path, "print")) == []
    finding = assert_single(preflight(path, "print", pdfx1a=True), "error", 2, "ExtGState")
    assert "fill opacity ca=0.5" in finding.message


# --------------------------------------------------------------------------
# Web profile


def make_web_pdf(
    path: Path,
    *,
    tag: str = "figure",
    alt: bool = True,
    structure: bool = True,
    linearize: bool = True,
    pixels: int = 150,
) -> Path:
    """One page, one RGB photo drawn 1 in wide; ``tag`` says how the photo is marked."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(300, 300))
    page = pdf.pages[0]
    photo = pdf.make_stream(
        bytes(3 * pixels * pixels), Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image,
        Width=pixels, Height=pixels, BitsPerComponent=8, ColorSpace=pikepdf.Name.DeviceRGB,
    )  # fmt: skip
    page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Photo=photo))
    draw = b"q 72 0 0 72 50 50 cm /Photo Do Q"
    opening = {
        "figure": b"/Figure <</MCID 0>> BDC ",
        "paragraph": b"/P <</MCID 0>> BDC ",
        "artifact": b"/Artifact BMC ",
        "untagged": b"",
    }[tag]
    closing = b" EMC" if opening else b""
    page.obj.Contents = pdf.make_stream(opening + draw + closing)
    if structure:
        role = pikepdf.Name.P if tag == "paragraph" else pikepdf.Name.Figure
        element = pdf.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=role, Pg=page.obj, K=0)
        )
        if alt:
            element.Alt = "Lighthouse at dusk"
        document = pdf.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, K=[element])
        )
        tree = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.StructTreeRoot, K=document,
                ParentTree=pikepdf.Dictionary(Nums=[0, [element]]),
            )
        )  # fmt: skip
        element.P = document
        document.P = tree
        page.obj.StructParents = 0
        pdf.Root.StructTreeRoot = tree
        pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
        pdf.Root.Lang = "en-GB"
    pdf.save(path, linearize=linearize)
    return path


def test_tagged_linearized_web_pdf_passes(tmp_path: Path) -> None:
    findings = preflight(make_web_pdf(tmp_path / "web.pdf"), "web")
    assert summarize(findings) == (0, 0), [f.format("web.pdf") for f in findings]
    infos = [f for f in findings if f.obj == "colour spaces"]
    assert [(f.severity, f.page, f.message) for f in infos] == [
        ("info", None, "colour spaces used: DeviceRGB (all pages)")
    ]


def test_untagged_unlinearized_web_pdf(tmp_path: Path) -> None:
    path = make_web_pdf(tmp_path / "plain.pdf", structure=False, linearize=False)
    findings = problems(preflight(path, "web"))
    assert [(f.severity, f.page, f.obj) for f in findings] == [
        ("error", None, "StructTreeRoot"),
        ("error", None, "MarkInfo"),
        ("error", None, "Lang"),
        ("error", None, "linearization"),
    ]
    assert "1 image placements have no alternate text" in findings[0].message


@pytest.mark.parametrize(
    ("tag", "alt", "obj", "fragment"),
    [
        ("figure", False, "Figure", "1 Figure element has no /Alt text"),
        ("paragraph", True, "image Photo", "tagged as /P"),
        ("untagged", True, "image Photo", "neither tagged"),
    ],
)
def test_web_images_need_a_figure_with_alt(
    tmp_path: Path, tag: str, alt: bool, obj: str, fragment: str
) -> None:
    path = make_web_pdf(tmp_path / f"{tag}.pdf", tag=tag, alt=alt)
    finding = assert_single(preflight(path, "web"), "error", 1, obj)
    assert fragment in finding.message


def test_decorative_artifact_image_needs_no_alt(tmp_path: Path) -> None:
    path = make_web_pdf(tmp_path / "artifact.pdf", tag="artifact")
    assert summarize(preflight(path, "web")) == (0, 0)


def test_web_image_not_downsampled_is_a_warning(tmp_path: Path) -> None:
    path = make_web_pdf(tmp_path / "big.pdf", pixels=300)
    finding = assert_single(preflight(path, "web"), "warning", 1, "image Photo")
    assert "300 ppi is above 225 ppi (not downsampled)" in finding.message


# --------------------------------------------------------------------------
# Robustness


@pytest.mark.parametrize("profile", ["print", "web"])
def test_unreadable_files_become_findings(tmp_path: Path, profile: str) -> None:
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"this is not a PDF at all\n" * 20)
    for path in (garbage, tmp_path / "missing.pdf"):
        findings = preflight(path, profile)
        assert len(findings) == 1
        assert (findings[0].severity, findings[0].page, findings[0].obj) == (
            "error",
            None,
            "document",
        )
        assert findings[0].message.startswith("cannot read PDF: ")


def test_damaged_content_stream_is_reported_not_raised(tmp_path: Path) -> None:
    path = make_web_pdf(tmp_path / "damaged.pdf", linearize=False)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        # Flate data that does not inflate: the page cannot be interpreted.
        pdf.pages[0].obj.Contents = pdf.make_stream(b"not zlib", Filter=pikepdf.Name.FlateDecode)
        pdf.save(path)
    findings = preflight(path, "web")
    assert any(
        f.severity == "error" and f.page == 1 and "cannot parse content stream" in f.message
        for f in findings
    ), [f.format("damaged.pdf") for f in findings]
