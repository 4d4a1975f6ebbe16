"""Read the built PDFs back and check what a reader would see."""

from __future__ import annotations

import re
from collections import defaultdict

import pdfplumber
import pikepdf
from conftest import prose, write_article, write_issue
from pypdf import PdfReader

from compositor.cli import main


def title_pages(pdf_path, min_size=12.5) -> dict[str, int]:
    """Article titles (large type) -> page they are printed on."""
    found: dict[str, int] = {}
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            lines = defaultdict(list)
            for ch in page.chars:
                if ch["size"] >= min_size and ch["size"] < 40:
                    lines[round(ch["top"])].append(ch)
            text = " ".join("".join(c["text"] for c in sorted(cs, key=lambda c: c["x0"]))
                            for _, cs in sorted(lines.items()))
            for m in re.finditer(r"Story (\d+): news from the river", text.replace("  ", " ")):
                found.setdefault(m.group(0), number)
    return found


def contents_entries(pdf_path) -> dict[str, int]:
    """'Inside this issue' entries on page 1: title -> printed page number."""
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[0]
        words = page.extract_words(extra_attrs=["size"])
        box = [w for w in words if abs(w["size"] - 8.2) < 0.05]
    rows = defaultdict(list)
    for w in box:
        rows[round(w["top"])].append(w)
    entries, current = {}, []
    for _, ws in sorted(rows.items()):
        ws.sort(key=lambda w: w["x0"])
        tokens = [w["text"] for w in ws]
        if tokens and tokens[-1].isdigit():
            current += tokens[:-1]
            entries[" ".join(current)] = int(tokens[-1])
            current = []
        else:
            current += tokens
    return entries


def test_contents_page_numbers_match_where_titles_land(built_issue):
    pdf = built_issue["web"]
    entries = contents_entries(pdf)
    titles = title_pages(pdf)
    assert len(entries) == 8, entries
    assert len(titles) == 8, titles
    for title, page in titles.items():
        assert entries[title] == page, (title, entries[title], page)
    assert max(titles.values()) >= 3  # the issue really spans pages


def test_contents_entries_link_to_their_articles(built_issue):
    with pikepdf.open(built_issue["web"]) as pdf:
        page1 = pdf.pages[0]
        internal = [a for a in page1.obj.get("/Annots", []) if "/Dest" in a]
        assert len(internal) >= 8
        outline = [item.title for item in pdf.open_outline().root]
    assert outline == [f"Story {i}: news from the river" for i in range(8)]


def test_three_columns_of_body_text(built_issue):
    with pdfplumber.open(built_issue["web"]) as pdf:
        words = [w for w in pdf.pages[1].extract_words(extra_attrs=["size"])
                 if 9.0 <= w["size"] <= 9.8]
    rows = defaultdict(list)
    for w in words:
        rows[round(w["top"])].append(w)
    starts = set()
    for ws in rows.values():
        ws.sort(key=lambda w: w["x0"])
        starts.add(round(ws[0]["x0"]))
        for a, b in zip(ws, ws[1:], strict=False):
            if b["x0"] - a["x1"] > 10:  # wider than any word space: a gutter
                starts.add(round(b["x0"]))
    clusters: list[list[int]] = []
    for x in sorted(starts):
        if not clusters or x - clusters[-1][-1] > 40:
            clusters.append([x])
        else:
            clusters[-1].append(x)
    assert len(clusters) == 3, clusters
    # Each column's lines start at one edge (or one paragraph indent to its right).
    assert all(max(c) - min(c) <= 12 for c in clusters), clusters


def test_every_font_embedded_and_no_helvetica(built_issue):
    for variant in ("print", "web"):
        reader = PdfReader(built_issue[variant])
        for page in reader.pages:
            fonts = page["/Resources"]["/Font"]
            for ref in fonts.values():
                font = ref.get_object()
                desc = font.get("/FontDescriptor")
                assert desc is not None, font["/BaseFont"]
                desc = desc.get_object()
                assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")), \
                    font["/BaseFont"]
                assert "Helvetica" not in str(font["/BaseFont"])


def test_metadata_language_and_outline(built_issue):
    reader = PdfReader(built_issue["web"])
    meta = reader.metadata
    assert meta.title == "Test Tide — July – August 2023"  # the date as printed
    assert meta.author == "Test Rowing Club"
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_rebuild_is_byte_identical(tmp_path):
    manifest = write_issue(tmp_path, articles=3)
    out1, out2 = tmp_path / "one.pdf", tmp_path / "two.pdf"
    assert main(["build", str(manifest), "-q", "-o", str(out1), "--variant", "web"]) == 0
    assert main(["build", str(manifest), "-q", "-o", str(out2), "--variant", "web"]) == 0
    assert out1.read_bytes() == out2.read_bytes()


def test_markup_like_text_prints_literally(tmp_path):
    manifest = write_issue(tmp_path, articles=1, photo=False)
    write_article(tmp_path, "a0", "Tags & <b>entities</b>", [
        "Times < 7:30 & > 6:45 were <b>fast</b> and <font color=red>red</font> &amp; &nbsp; "
        "stayed literal.", "A [link](javascript:alert(1)) is not clickable."])
    out = tmp_path / "out.pdf"
    assert main(["build", str(manifest), "-q", "-o", str(out)]) == 0
    text = "".join(PdfReader(out).pages[0].extract_text().split())
    assert "Tags&<b>entities</b>" in text
    assert "Times<7:30&>6:45were<b>fast</b>and<fontcolor=red>red</font>&amp;&nbsp;" in text
    with pikepdf.open(out) as pdf:
        uris = [str(a.A.URI) for p in pdf.pages for a in p.obj.get("/Annots", [])
                if "/A" in a]
    assert not any("javascript" in u for u in uris)


def test_excerpt_ends_with_ellipsis_and_full_text_link(tmp_path):
    manifest = write_issue(tmp_path, articles=1, photo=False)
    write_article(tmp_path, "a0", "A long story", [prose(1, 30), prose(2, 30)],
                  url="https://tide.example.org/news/a-very-long-story-about-the-river",
                  excerpt=60)
    out = tmp_path / "out.pdf"
    assert main(["build", str(manifest), "-q", "-o", str(out)]) == 0
    text = " ".join(PdfReader(out).pages[0].extract_text().split())
    m = re.search(r"(\S+) …", text)
    assert m and m.group(1).endswith("."), text
    assert "Read the full article:" in text
    # Printed without the scheme (the link keeps it), broken without added hyphens.
    assert "tide.example.org/news/a-very-long-story-about-the-river" in text.replace(" ", "")
    links = [a.get_object()["/A"]["/URI"] for a in PdfReader(out).pages[0]["/Annots"]
             if "/URI" in a.get_object().get("/A", {})]
    assert "https://tide.example.org/news/a-very-long-story-about-the-river" in links
    with pikepdf.open(out) as pdf:
        uris = [str(a.A.URI) for p in pdf.pages for a in p.obj.get("/Annots", []) if "/A" in a]
    assert "https://tide.example.org/news/a-very-long-story-about-the-river" in uris


def test_latin_extended_and_missing_glyph_warning(tmp_path, capsys):
    manifest = write_issue(tmp_path, articles=1, photo=False)
    write_article(tmp_path, "a0", "Ödön Kővári and Ayşe Yılmaz", [
        "François, Zoë, Ayşe, Ğ, ő and ç all print. The rower waved 🚣 at us."])
    out = tmp_path / "out.pdf"
    assert main(["build", str(manifest), "-q", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "a0.md:1: warning: the fonts cannot draw '🚣' (U+1F6A3)" in err
    text = PdfReader(out).pages[0].extract_text()
    for word in ("François", "Zoë", "Ayşe", "Kővári", "Yılmaz"):
        assert word in text


def test_long_url_stays_inside_its_column(tmp_path):
    manifest = write_issue(tmp_path, articles=1, photo=False)
    url = "https://tide.example.org/" + "/".join(["averyveryverylongpathsegment"] * 8)
    write_article(tmp_path, "a0", "Links", [prose(3, 6) + f" See {url} for the minutes.",
                                            "Supercalifragilisticexpialidocious" * 8])
    out = tmp_path / "out.pdf"
    assert main(["build", str(manifest), "-q", "-o", str(out)]) == 0
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]
        chars = [c for c in page.chars if 9.0 <= c["size"] <= 9.8]
        width = page.width
    from compositor.load.layout import PAGE_SIZES
    assert width == PAGE_SIZES["A4"][0]
    # Every body character stays inside the page margins (14 mm).
    assert min(c["x0"] for c in chars) >= 14 * 72 / 25.4 - 0.5
    assert max(c["x1"] for c in chars) <= width - 14 * 72 / 25.4 + 0.5


def test_font_fallback_for_greek_and_replacement_for_the_rest(tmp_path, capsys):
    manifest = write_issue(tmp_path, articles=1, photo=False)
    write_article(tmp_path, "a0", "Greek", ["Ελληνικά words sit in body text, 中 does not."])
    out = tmp_path / "out.pdf"
    assert main(["build", str(manifest), "-q", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "'中' (U+4E2D)" in err and "Ε" not in err.split("cannot draw")[1]
    with pdfplumber.open(out) as pdf:
        chars = pdf.pages[0].chars
    greek = [c for c in chars if c["text"] == "λ"]
    assert greek and all("NotoSans" in c["fontname"] for c in greek)
    assert any(c["text"] == "\ufffd" for c in chars)


def test_cached_rebuild_is_byte_identical_to_a_cold_build(tmp_path, monkeypatch):
    """The on-disk caches (photos, paragraphs, hyphenation) never change the output."""
    import subprocess
    import sys

    manifest = write_issue(tmp_path, articles=3)
    env = {"SOURCE_DATE_EPOCH": "1690000000", "COMPOSITOR_CACHE": str(tmp_path / "cache")}
    outs = []
    for name, extra in (("cold", {"COMPOSITOR_CACHE": "off"}), ("fill", {}), ("warm", {})):
        out = tmp_path / f"{name}.pdf"
        subprocess.run([sys.executable, "-m", "compositor", "build", str(manifest), "-q",
                        "--variant", "all", "-o", str(out)], check=True,
                       env={**__import__("os").environ, **env, **extra})
        outs.append(out)
    assert (tmp_path / "cache" / "paragraphs").is_dir()
    for variant in ("print", "web"):
        data = [o.with_name(f"{o.stem}-{variant}.pdf").read_bytes() for o in outs]
        assert data[0] == data[1] == data[2]
