"""Print (PDF/X-4) and web (tagged, linearized) PDFs, read back with pikepdf and qpdf."""

from __future__ import annotations

import shutil
import subprocess

import pikepdf
import pytest

from compositor.preflight import preflight

MM = 72 / 25.4


def test_print_has_output_intent_with_cmyk_profile(built_issue):
    with pikepdf.open(built_issue["print"]) as pdf:
        intents = pdf.Root.OutputIntents
        assert len(intents) == 1
        intent = intents[0]
        assert intent.S == "/GTS_PDFX"
        assert str(intent.OutputConditionIdentifier) == "FOGRA39"
        profile = intent.DestOutputProfile.read_bytes()
        assert profile[16:20] == b"CMYK"
        assert str(pdf.docinfo.GTS_PDFXVersion) == "PDF/X-4"
        assert pdf.docinfo.Trapped == "/False"
        assert pdf.pdf_version >= "1.6"
        meta = pdf.open_metadata()
        assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
        assert "/ID" in pdf.trailer


def test_print_page_boxes_bleed_and_marks(built_issue):
    with pikepdf.open(built_issue["print"]) as pdf:
        for page in pdf.pages:
            trim = [float(v) for v in page.obj.TrimBox]
            bleed = [float(v) for v in page.obj.BleedBox]
            media = [float(v) for v in page.obj.MediaBox]
            assert trim[2] - trim[0] == pytest.approx(595.28, abs=0.01)
            assert trim[3] - trim[1] == pytest.approx(841.89, abs=0.01)
            for side in range(2):
                assert trim[side] - bleed[side] == pytest.approx(3 * MM, abs=0.01)
                assert bleed[side + 2] - trim[side + 2] == pytest.approx(3 * MM, abs=0.01)
            assert media[0] < bleed[0] and media[2] > bleed[2]
            # Crop marks: stroked lines drawn entirely outside the bleed box.
            ops = pikepdf.parse_content_stream(page)
            segments = []
            point = None
            for operands, op in ops:
                if str(op) == "m":
                    point = [float(v) for v in operands]
                elif str(op) == "l" and point:
                    segments.append((*point, *[float(v) for v in operands]))
            marks = [s for s in segments if s[0] < bleed[0] or s[0] > bleed[2]
                     or s[1] < bleed[1] or s[1] > bleed[3]]
            assert len(marks) == 8
            for x0, y0, x1, y1 in marks:
                inside = all(bleed[0] < x < bleed[2] and bleed[1] < y < bleed[3]
                             for x, y in ((x0, y0), (x1, y1)))
                assert not inside


def test_print_has_no_rgb_anywhere(built_issue):
    with pikepdf.open(built_issue["print"]) as pdf:
        for page in pdf.pages:
            for _operands, op in pikepdf.parse_content_stream(page):
                assert str(op) not in ("rg", "RG"), "RGB colour operator in a print page"
            for name, xobj in page.get_images().items():
                assert xobj.ColorSpace == "/DeviceCMYK", name
    findings = preflight(built_issue["print"], "print", tac_limit=330)
    assert not [f for f in findings if f.severity == "error"], findings


def test_black_text_is_pure_k(built_issue):
    with pikepdf.open(built_issue["print"]) as pdf:
        fills = set()
        for operands, op in pikepdf.parse_content_stream(pdf.pages[1]):
            if str(op) == "k":
                fills.add(tuple(round(float(v), 3) for v in operands))
    assert (0.0, 0.0, 0.0, 1.0) in fills
    assert not any(c > 0 and m > 0 and y > 0 and k > 0.9 for c, m, y, k in fills)


def test_web_is_tagged_linearized_and_small(built_issue):
    web, prt = built_issue["web"], built_issue["print"]
    with pikepdf.open(web) as pdf:
        assert pdf.is_linearized
        root = pdf.Root
        assert root.MarkInfo.Marked is True
        assert str(root.Lang) == "en"
        assert root.ViewerPreferences.DisplayDocTitle is True
        document = root.StructTreeRoot.K
        roles = [str(e.S) for e in document.K]
        assert "/H1" in roles and "/P" in roles and "/Figure" in roles
        figures = [e for e in document.K if e.S == "/Figure"]
        assert all(str(f.Alt) for f in figures)
        assert any(str(f.Alt) == "The slipway at low tide." for f in figures)
        # Reading order: article titles appear in issue order.
        titles = []
        for e in document.K:
            if e.S == "/H1":
                titles.append(e)
        assert len(titles) >= 8
        # Images are downsampled to about 150 ppi at their printed size (the widest, the
        # lead photo across two columns, is 339 pt wide: 707 px).
        for page in pdf.pages:
            for _, img in page.get_images().items():
                assert int(img.Width) <= 710
    assert web.stat().st_size < prt.stat().st_size / 3
    if shutil.which("qpdf"):
        for path in (web, prt):
            result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True)
            assert result.returncode == 0, result.stdout[-500:]


def test_web_passes_pdfa_2b_validation(built_issue):
    import pikepdf.pdfa as pdfa

    with pikepdf.open(built_issue["web"]) as pdf:
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFA1"
        assert intent.DestOutputProfile.read_bytes()[16:20] == b"RGB "
        report = pdfa.check(pdf, "2b")
        assert not [f for f in report.findings if f.kind == "violation"], report.findings


def test_web_preflight_is_clean(built_issue):
    findings = preflight(built_issue["web"], "web")
    assert not [f for f in findings if f.severity == "error"], findings
    assert not [f for f in findings if "not downsampled" in f.message], findings


def test_saddle_imposition_order_and_boxes(tmp_path):
    import pdfplumber
    from conftest import write_issue

    from compositor.cli import main
    from compositor.finish.impose import saddle_order

    assert saddle_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    assert saddle_order(6) == [(None, 1), (2, None), (6, 3), (4, 5)]
    manifest = write_issue(tmp_path, articles=8)
    out = tmp_path / "out.pdf"
    assert main(["build", str(manifest), "-q", "--variant", "print", "--impose", "saddle",
                 "-o", str(out)]) == 0
    pages = len(pikepdf.open(out).pages)
    imposed = tmp_path / "out-saddle.pdf"
    sides = saddle_order(pages)
    with pdfplumber.open(imposed) as pdf:
        assert len(pdf.pages) == len(sides)
        for sheet, (left, right) in zip(pdf.pages, sides, strict=True):
            half = sheet.width / 2
            left_text = sheet.crop((0, 0, half, sheet.height)).extract_text() or ""
            right_text = sheet.crop((half, 0, sheet.width, sheet.height)).extract_text() or ""
            if left:
                assert f"Page {left}" in left_text
            if right:
                assert f"Page {right}" in right_text
    with pikepdf.open(imposed) as pdf:
        page = pdf.pages[0].obj
        trim = [float(v) for v in page.TrimBox]
        assert trim[2] - trim[0] == pytest.approx(2 * 595.28, abs=0.01)
        assert len(pdf.Root.OutputIntents) == 1


def test_spot_colour_is_a_separation_in_print_and_rgb_on_the_web(tmp_path):
    from conftest import write_issue

    from compositor.cli import main

    manifest = write_issue(tmp_path, articles=2,
                           extra="layout: house.yaml\n")
    (tmp_path / "house.yaml").write_text(
        "extends: default\ncolors:\n  accent: {spot: PANTONE 288 C, cmyk: [100, 67, 0, 23]}\n")
    out = tmp_path / "o.pdf"
    assert main(["build", str(manifest), "-q", "--variant", "all", "-o", str(out)]) == 0
    with pikepdf.open(tmp_path / "o-print.pdf") as pdf:
        spaces = pdf.pages[0].Resources.ColorSpace
        sep = [v for v in spaces.values() if v[0] == "/Separation"]
        assert sep and str(sep[0][1]) == "/PANTONE 288 C" and sep[0][2] == "/DeviceCMYK"
    with pikepdf.open(tmp_path / "o-web.pdf") as pdf:
        assert "/ColorSpace" not in pdf.pages[0].Resources or not any(
            v[0] == "/Separation" for v in pdf.pages[0].Resources.ColorSpace.values())


def test_pdfx1a_option(tmp_path):
    from conftest import write_issue

    from compositor.cli import main

    manifest = write_issue(tmp_path, articles=2, extra="layout: x1a.yaml\n")
    (tmp_path / "x1a.yaml").write_text("extends: default\nprint:\n  standard: PDF/X-1a\n")
    out = tmp_path / "o.pdf"
    assert main(["build", str(manifest), "-q", "--variant", "print", "-o", str(out)]) == 0
    with pikepdf.open(out) as pdf:
        assert pdf.pdf_version == "1.3"
        assert str(pdf.docinfo.GTS_PDFXVersion) == "PDF/X-1a:2001"
        assert str(pdf.docinfo.GTS_PDFXConformance) == "PDF/X-1a:2001"
        for page in pdf.pages:
            for _, img in page.get_images().items():
                assert "/SMask" not in img
    findings = preflight(out, "print", pdfx1a=True, tac_limit=330)
    assert not [f for f in findings if f.severity == "error"], findings


def test_structure_nests_lists_and_contents_in_reading_order(tmp_path):
    from conftest import write_article, write_issue

    from compositor.cli import main

    manifest = write_issue(tmp_path, articles=2, photo=False)
    write_article(tmp_path, "a0", "Lists", ["Before the list.", "- first item\n- second item",
                                           "After the list."])
    out = tmp_path / "o.pdf"
    assert main(["build", str(manifest), "-q", "-o", str(out)]) == 0
    with pikepdf.open(out) as pdf:
        document = pdf.Root.StructTreeRoot.K
        top = [str(e.S) for e in document.K]
        assert top[0] == "/H1"  # the masthead name comes first in reading order
        lists = [e for e in document.K if e.S == "/L"]
        assert len(lists) == 1
        items = list(lists[0].K)
        assert [str(i.S) for i in items] == ["/LI", "/LI"]
        assert [str(k.S) for k in items[0].K] == ["/Lbl", "/LBody"]
        toc = [e for e in document.K if e.S == "/TOC"]
        assert toc and all(str(k.S) == "/TOCI" for k in toc[0].K)
