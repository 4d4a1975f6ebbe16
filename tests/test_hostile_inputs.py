"""Whatever an editor throws at it: each input either builds correctly or fails with
`path:line: message`, exit status 1, no traceback and no output file."""

from __future__ import annotations

import struct
import zlib

import pikepdf
import pytest
from conftest import make_photo, prose, write_article, write_issue
from PIL import Image
from pypdf import PdfReader

from compositor.cli import main


def build(tmp_path, capsys, *extra):
    manifest = tmp_path / "issue.yaml"
    out = tmp_path / "out" / "x.pdf"
    code = main(["build", str(manifest), "-o", str(out), "--variant", "web", *extra])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err, out


def assert_refused(code, err, out, needle):
    assert code == 1, err
    assert needle in err, err
    assert not out.exists()
    assert not list(out.parent.glob(".*.tmp")) if out.parent.exists() else True


def with_photo(tmp_path, name):
    write_issue(tmp_path, articles=1, photo=False)
    write_article(tmp_path, "a0", "Photo", [prose(1, 8)], image=f"../images/{name}",
                  caption="A photo")


def test_decompression_bomb(tmp_path, capsys):
    # A tiny PNG that claims 30000 × 30000 pixels.
    (tmp_path / "images").mkdir(parents=True)
    raw = b"\x00" * 10
    png = b"\x89PNG\r\n\x1a\n"
    ihdr = struct.pack(">IIBBBBB", 30000, 30000, 8, 0, 0, 0, 0)

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    png += chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    (tmp_path / "images" / "bomb.png").write_bytes(png)
    with_photo(tmp_path, "bomb.png")
    assert_refused(*build(tmp_path, capsys), "a0.md:")


def test_not_an_image(tmp_path, capsys):
    (tmp_path / "images").mkdir(parents=True)
    (tmp_path / "images" / "notes.png").write_text("these are my notes, not a picture")
    with_photo(tmp_path, "notes.png")
    assert_refused(*build(tmp_path, capsys), "not an image")


@pytest.mark.parametrize("mode", ["CMYK", "L", "I;16", "RGBA", "P", "LA"])
def test_unusual_image_modes_build_in_both_variants(tmp_path, capsys, mode):
    path = tmp_path / "images" / ("photo.tif" if mode in ("CMYK", "I;16") else "photo.png")
    path.parent.mkdir(parents=True)
    base = Image.new("RGB", (1200, 800), (40, 120, 200))
    if mode == "I;16":
        im = Image.new("I;16", (1200, 800))
        im.paste(30000, (0, 0, 600, 800))
    elif mode == "LA":
        im = base.convert("LA")
    else:
        im = base.convert(mode)
    im.save(path)
    with_photo(tmp_path, path.name)
    manifest = tmp_path / "issue.yaml"
    assert main(["build", str(manifest), "-q"]) == 0, capsys.readouterr().err
    with pikepdf.open(next((tmp_path / "build").glob("*-print.pdf"))) as pdf:
        for page in pdf.pages:
            for _, img in page.get_images().items():
                assert img.ColorSpace == "/DeviceCMYK"


def test_low_resolution_photo_is_refused_for_print_unless_forced(tmp_path, capsys):
    make_photo(tmp_path / "images" / "small.jpg", size=(200, 130))
    with_photo(tmp_path, "small.jpg")
    manifest = tmp_path / "issue.yaml"
    assert main(["build", str(manifest), "--variant", "print"]) == 1
    err = capsys.readouterr().err
    assert "a0.md:" in err and "below the 150 ppi minimum" in err
    assert main(["build", str(manifest), "--variant", "print", "--force", "-q"]) == 0


def test_empty_article_builds_with_a_warning(tmp_path, capsys):
    write_issue(tmp_path, articles=2, photo=False)
    (tmp_path / "articles" / "a1.md").write_text("---\ntitle: Nothing yet\n---\n")
    code, err, out = build(tmp_path, capsys)
    assert code == 0 and "a1.md:4: warning: the article has no text" in err


@pytest.mark.parametrize("text", [
    "x" * 400,
    "https://tide.example.org/" + "a" * 380,
    "<b>bold?</b> <font name=Courier>no</font> &nbsp; <a href=\"javascript:alert(1)\">x</a>",
    "Zero\u200bwidth\u200d and bidi \u202eoverride\u202c and \u2067isolate\u2069 marks.",
    "Mixed scripts: Ελληνικά, Кириллица, 中文, العربية, emoji 🎉.",
])
def test_text_prints_literally_inside_the_page(tmp_path, capsys, text):
    write_issue(tmp_path, articles=1, photo=False)
    write_article(tmp_path, "a0", "Odd text", [prose(2, 5), text, prose(3, 5)])
    code, err, out = build(tmp_path, capsys)
    assert code == 0, err
    reader = PdfReader(out)
    page = reader.pages[0]
    width = float(page.mediabox.width)
    extracted = "".join((page.extract_text() or "").split())
    if text.startswith("<b>"):
        assert "<b>bold?</b><fontname=Courier>no</font>&nbsp;" in extracted
    if "override" in text:
        assert "\u202e" not in extracted and "Zerowidthandbidioverride" in extracted
    if "🎉" in text:
        assert "warning: the fonts cannot draw" in err and "🎉" in err

    import pdfplumber
    with pdfplumber.open(out) as pdf:
        for pg in pdf.pages:
            for ch in pg.chars:
                assert ch["x0"] >= -0.5 and ch["x1"] <= width + 0.5


def test_enormous_image_is_refused(tmp_path, capsys):
    (tmp_path / "images").mkdir(parents=True)
    Image.new("1", (9000, 7000)).save(tmp_path / "images" / "huge.png")
    with_photo(tmp_path, "huge.png")
    assert_refused(*build(tmp_path, capsys), "too large")


def test_non_utf8_article(tmp_path, capsys):
    write_issue(tmp_path, articles=1, photo=False)
    (tmp_path / "articles" / "a0.md").write_bytes(b"---\ntitle: Caf\xe9\n---\n\nText.\n")
    assert_refused(*build(tmp_path, capsys), "a0.md:2: this file is not UTF-8")


def test_manifest_that_is_a_list_or_empty(tmp_path, capsys):
    (tmp_path / "issue.yaml").write_text("- just\n- a list\n")
    assert_refused(*build(tmp_path, capsys), "issue.yaml:1: the manifest must be a mapping")
    (tmp_path / "issue.yaml").write_text("")
    code, err, out = build(tmp_path, capsys)
    assert code == 1 and "issue.yaml:1:" in err


def test_missing_manifest(tmp_path, capsys):
    code, err, out = build(tmp_path, capsys)
    assert code == 1 and "file not found" in err


def test_title_taller_than_a_column_is_an_error(tmp_path, capsys):
    write_issue(tmp_path, articles=2, photo=False)
    # With a short title for the contents box, the long one reaches the layout.
    write_article(tmp_path, "a1", " ".join(["Headline"] * 300), [prose(1, 4)],
                  toc_title="Headline")
    code, err, out = build(tmp_path, capsys)
    assert_refused(code, err, out, "a1.md:1: the title is taller than a column")


def test_boxes_taller_than_the_page_are_an_error(tmp_path, capsys):
    write_issue(tmp_path, articles=2, photo=False)
    (tmp_path / "boxes" / "about.md").write_text(
        "---\ntitle: About\n---\n\n" + "\n\n".join(prose(i, 12) for i in range(12)))
    code, err, out = build(tmp_path, capsys)
    assert_refused(code, err, out, "about.md:1: the boxes for one page are")


def test_page_size_as_width_and_height(tmp_path, capsys):
    manifest = write_issue(tmp_path, articles=1, photo=False, extra="layout: l.yaml\n")
    (tmp_path / "l.yaml").write_text("extends: default\npage:\n  size: [8.5in, 11in]\n")
    code, err, out = build(tmp_path, capsys)
    assert code == 0, err
    page = PdfReader(out).pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == (612.0, 792.0)
    assert manifest.exists()


def test_language_without_hyphenation_patterns_warns(tmp_path, capsys):
    manifest = write_issue(tmp_path, articles=1, photo=False)
    manifest.write_text(manifest.read_text().replace("language: en", "language: tr"))
    code, err, out = build(tmp_path, capsys)
    assert code == 0 and "no hyphenation patterns for language 'tr'" in err
    assert PdfReader(out).trailer["/Root"]["/Lang"] == "tr"
