"""Right-to-left editions: the Persian sample read back from its PDFs.

pdfplumber gives words in visual order, letters left to right; an Arabic-script word
read right to left (its characters reversed) is the word as typed. Digits and Latin
words inside Persian text run left to right and are compared as they are.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from fontTools.ttLib import TTFont

from compositor.cli import main
from compositor.load.layout import FONT_DIR

ROOT = Path(__file__).resolve().parent.parent
ISSUES = ROOT / "issues"
SAMPLE = "harbor-light-fa-1402-05"
ARABIC = re.compile("[\u0621-\u064a\u0671-\u06d3]")  # letters, not digits


def logical(word: str) -> str:
    return word[::-1] if ARABIC.search(word) else word


MM = 72 / 25.4


def column(page, k: int) -> tuple[float, float]:
    """x range of column k (0 = leftmost) of the sample's 3-column A4 layout."""
    width = (page.width - 28 * MM - 10 * MM) / 3
    left = 14 * MM + k * (width + 5 * MM)
    return left - 1, left + width + 1


def lines_of(page, span: tuple[float, float] | None = None, min_size: float = 0.0
             ) -> list[list[dict]]:
    """Lines (chars grouped by baseline) in the given x range, top to bottom; each line
    is a list of words (dicts with text and x0/x1) in reading order, right to left."""
    x0, x1 = span or (0, page.width)
    rows: dict[float, list[dict]] = {}
    for c in page.chars:
        if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and c["size"] >= min_size:
            rows.setdefault(round(c["matrix"][5], 1), []).append(c)
    out = []
    for _, chars in sorted(rows.items(), key=lambda kv: -kv[0]):
        chars.sort(key=lambda c: c["x0"])
        words, cur = [], []
        for k, c in enumerate(chars + [None]):
            gap = c is not None and k and c["x0"] - chars[k - 1]["x1"] > 2.0
            if gap and cur:  # separately placed text (a page number) is a word of its own
                words.append({"text": "".join(ch["text"] for ch in cur),
                              "x0": cur[0]["x0"], "x1": cur[-1]["x1"]})
                cur = []
            if c is None or c["text"] == " ":
                if cur:
                    words.append({"text": "".join(ch["text"] for ch in cur),
                                  "x0": cur[0]["x0"], "x1": cur[-1]["x1"]})
                cur = []
            else:
                cur.append(c)
        out.append(words[::-1])
    return out


def line_text(line: list[dict]) -> str:
    return " ".join(logical(w["text"]) for w in line)


@pytest.fixture(scope="module")
def persian(tmp_path_factory) -> dict[str, Path]:
    import os
    os.environ["SOURCE_DATE_EPOCH"] = "1690000000"  # as the function-scoped fixture sets it
    root = tmp_path_factory.mktemp("fa")
    shutil.copytree(ISSUES / SAMPLE, root / SAMPLE, ignore=shutil.ignore_patterns("build"))
    for name in ("harbor-light-fa.yaml", "harbor-light-fa-layout.yaml"):
        shutil.copy(ISSUES / name, root / name)
    shutil.copytree(ISSUES / "assets", root / "assets")
    manifest = root / SAMPLE / "issue.yaml"
    assert main(["build", str(manifest), "-q", "--impose", "saddle"]) == 0
    out = root / SAMPLE / "build"
    return {"manifest": manifest, "web": out / f"{SAMPLE}-web.pdf",
            "print": out / f"{SAMPLE}-print.pdf", "saddle": out / f"{SAMPLE}-print-saddle.pdf"}


def test_first_column_is_on_the_right_and_text_flows_leftwards(persian):
    with pdfplumber.open(persian["web"]) as pdf:
        page = pdf.pages[0]
        # Words as lines_of groups them: pdfplumber's extract_words splits a word at a
        # kashida stroke (a glyph that gives back no text).
        words = {logical(w["text"]): w for line in lines_of(page) for w in line}
        # The lead article opens in the right-hand column and goes on in the next one
        # to its left ("سپاس از داوطلبان" is its subhead, further on in the text).
        opening = words["پاروزن"]
        later = words["داوطلبان"]
        assert opening["x0"] > page.width * 0.62
        assert later["x1"] < opening["x0"]
        assert later["x0"] > page.width * 0.3


def test_words_of_a_line_run_right_to_left_in_typed_order(persian):
    with pdfplumber.open(persian["web"]) as pdf:
        page = pdf.pages[0]
        text = [line_text(ln) for ln in lines_of(page)]
        right = [line_text(ln) for ln in lines_of(page, column(page, 2))]
    assert "مسابقهٔ تابستانی باشگاه با رکوردی تازه به پایان رسید" in text
    # Persian digits inside a Persian line: the number reads left to right, in place.
    assert "مسابقهٔ تابستانی امسال با حضور ۱۴۰ پاروزن" in " ".join(right), right
    assert "در ۶ دقیقه و ۵۴ ثانیه پیمود و رکورد باشگاه" in " ".join(right)


def test_latin_name_prints_left_to_right_in_place(persian):
    with pdfplumber.open(persian["web"]) as pdf:
        page = pdf.pages[0]
        line = next(ln for ln in lines_of(page, column(page, 2))
                    if any("Ingrid" in w["text"] for w in ln))
    # Typed: "سرمربی باشگاه، Ingrid Solberg، پس از"; the name reads left to right where
    # it stands: the Persian word before it on its right, the one after it on its left.
    words = [logical(w["text"]) for w in line]
    k = next(i for i, w in enumerate(words) if "Ingrid" in w)
    solberg, ingrid = line[k - 1], line[k]
    # The comma typed after the name belongs to the Persian sentence: left of "Ingrid".
    assert solberg["text"] == "Solberg" and ingrid["text"] == "،Ingrid"
    assert ingrid["x1"] < solberg["x0"]  # "Ingrid Solberg", left to right
    if k >= 2:  # the word before the name is on this line (where it breaks may vary)
        assert words[k - 2] == "باشگاه،" and line[k - 2]["x0"] > solberg["x1"]
    if k + 1 < len(line):
        assert words[k + 1] == "پس" and line[k + 1]["x1"] < ingrid["x0"]


def test_contents_has_right_page_numbers_in_persian_digits_on_the_left(persian):
    with pdfplumber.open(persian["web"]) as pdf:
        # Titles (set large), column by column and across the columns.
        pages_text = [" ".join(line_text(ln) for span in (column(p, 0), column(p, 1),
                                                          column(p, 2), None)
                               for ln in lines_of(p, span, min_size=12)) for p in pdf.pages]
        first = pdf.pages[0]
        lines = [ln for ln in lines_of(first, column(first, 0)) if ln]
    title = next(k for k, ln in enumerate(lines) if line_text(ln) == "در این شماره")
    # Where each article really starts: the page that shows its title's first words.
    import yaml

    folder = persian["manifest"].parent
    expected = {}
    for entry in yaml.safe_load(persian["manifest"].read_text(encoding="utf-8"))["articles"]:
        front = yaml.safe_load((folder / entry).read_text(encoding="utf-8").split("---")[1])
        start = " ".join(front["title"].split()[:3])
        page = next(n for n, t in enumerate(pages_text, 1) if start in t)
        expected[front.get("toc_title", front["title"])] = "۰۱۲۳۴۵۶۷۸۹"[page]
    entries = {}
    for ln in lines[title + 1:title + 1 + len(expected)]:
        number = ln[-1]  # read right to left, the page number comes last
        assert re.fullmatch("[۰-۹]+", number["text"]), line_text(ln)
        assert number["x1"] < min(w["x0"] for w in ln[:-1]) - 20  # on the left
        entries[line_text(ln[:-1])] = number["text"]
    assert entries == expected
    assert set(expected.values()) >= {"۱", "۲", "۳"}  # articles open on several pages


def test_page_furniture_is_mirrored(persian):
    with pdfplumber.open(persian["web"]) as pdf:
        p1, p2 = pdf.pages[0], pdf.pages[1]
        logo = p1.images[0]
        assert logo["x0"] > p1.width / 2  # the masthead logo on the right
        foot1 = [w for ln in lines_of(p1) for w in ln if w["text"] == "۱"]
        foot2 = [w for ln in lines_of(p2) for w in ln if w["text"] == "۲"]
        # Page numbers on the outer edge: left on page 1, right on page 2 (bound right).
        assert foot1 and foot1[-1]["x1"] < p1.width / 3
        assert foot2 and foot2[-1]["x0"] > p2.width * 2 / 3
        # The three-item list of the youth classes, in whichever column it falls.
        items = [ln for k in range(3) for ln in lines_of(p2, column(p2, k))
                 if ln and ln[0]["text"] == "\u2022"]
        assert len(items) == 3
        for ln in items:  # the bullet stands right of its item's text
            assert ln[0]["x0"] > max(w["x1"] for w in ln[1:])


def test_dates_and_volume_line_in_persian_digits_and_calendar(persian):
    with pdfplumber.open(persian["web"]) as pdf:
        text = [line_text(ln) for ln in lines_of(pdf.pages[0], column(pdf.pages[0], 2))]
        top = [ln for ln in lines_of(pdf.pages[0]) if any(w["text"] == "۱۹" for w in ln)][0]
    # 2023-07-22 is 31 Tir 1402 in the Solar Hijri calendar.
    assert "نوشتهٔ مریم احمدی – ۳۱ تیر ۱۴۰۲" in text, text
    # "دورهٔ ۴، شمارهٔ ۱۹" read right to left (the comma sits left of its number).
    assert [logical(w["text"]) for w in top][:4] == ["دورهٔ", "،۴", "شمارهٔ", "۱۹"]


def _codes_used(pdf: pikepdf.Pdf):
    """(font dictionary, code) for every glyph shown on every page."""
    for page in pdf.pages:
        fonts = page.Resources.Font
        font = None
        for operands, op in pikepdf.parse_content_stream(page):
            if op == pikepdf.Operator("Tf"):
                font = fonts[operands[0]]
            elif op == pikepdf.Operator("Tj"):
                for b in bytes(operands[0]):
                    yield font, b
            elif op == pikepdf.Operator("TJ"):
                for item in operands[0]:
                    if isinstance(item, pikepdf.String):
                        for b in bytes(item):
                            yield font, b


def test_no_notdef_glyphs_and_tounicode_gives_back_the_text(persian):
    with pikepdf.open(persian["web"]) as pdf:
        cmaps = {}
        for font, code in _codes_used(pdf):
            key = font.objgen
            if key not in cmaps:
                import io
                tt = TTFont(io.BytesIO(font.FontDescriptor.FontFile2.read_bytes()))
                cmaps[key] = (tt.getBestCmap() or tt["cmap"].tables[0].cmap, tt.getGlyphOrder())
            cmap, _order = cmaps[key]
            assert cmap.get(code, ".notdef") != ".notdef", (str(font.BaseFont), code)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(persian["web"]), "-"],
                         capture_output=True, text=True, check=True).stdout
    text = re.sub("[\u202a-\u202e]", "", out)
    # Joined letters, ligatures (lam-alef in اطلاعات, کلاس) and ZWNJ come back as typed.
    for phrase in ("مسابقهٔ تابستانی باشگاه با رکوردی تازه به پایان رسید",
                   "کلاس‌های تابستانی نوجوانان",
                   "شب‌های مسابقهٔ اطلاعات", "قایق‌های هشت‌نفره در آب‌های آرام صبح"):
        assert phrase in text, phrase


def test_web_pdf_language_tags_and_reading_direction(persian):
    with pikepdf.open(persian["web"]) as pdf:
        assert str(pdf.Root.Lang) == "fa"
        assert pdf.Root.ViewerPreferences.Direction == pikepdf.Name.R2L
        roles = set()

        def walk(node):
            if isinstance(node, pikepdf.Dictionary) and "/S" in node:
                roles.add(str(node.S))
            kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
            if isinstance(kids, pikepdf.Array):
                for k in kids:
                    walk(k)
            elif isinstance(kids, pikepdf.Dictionary):
                walk(kids)

        walk(pdf.Root.StructTreeRoot)
    assert {"/H1", "/P", "/Figure", "/TOC", "/L"} <= roles


def test_saddle_imposition_binds_on_the_right(persian):
    from compositor.finish.impose import saddle_order

    assert saddle_order(8, right_bound=True) == [(1, 8), (7, 2), (3, 6), (5, 4)]
    with pikepdf.open(persian["saddle"]) as pdf:
        sides = [re.findall(rb"/P(\d+) Do", p.obj.Contents.read_bytes()) for p in pdf.pages]
    # Bound on the right: page 1 is the left half of the front, the back page its right.
    assert sides == [[b"1", b"4"], [b"3", b"2"]]


def test_rebuild_is_byte_identical(persian, tmp_path):
    out = tmp_path / "again.pdf"
    assert main(["build", str(persian["manifest"]), "-q", "-o", str(out)]) == 0
    assert out.read_bytes() == persian["web"].read_bytes()


def test_numerals_and_calendars():
    from compositor.build import load
    from compositor.layout.furniture import issue_line
    from compositor.load.dates import format_date
    from compositor.load.locale import digits

    day = dt.date(2023, 8, 16)
    assert format_date(day, "fa", "persian", "persian") == "۲۵ مرداد ۱۴۰۲"
    assert format_date(day, "ar", "gregorian", "arabic") == "١٦ أغسطس ٢٠٢٣"
    assert format_date(day, "en") == "August 16, 2023"
    # `auto`: Solar Hijri in Persian, Gregorian elsewhere; Hijri (Umm al-Qura) on request,
    # Gregorian outside its tables.
    assert format_date(day, "fa", "auto", "persian") == "۲۵ مرداد ۱۴۰۲"
    assert format_date(day, "en", "auto") == "August 16, 2023"
    assert format_date(day, "ar", "hijri", "arabic") == "٢٩ محرم ١٤٤٥ هـ"
    assert format_date(dt.date(1900, 1, 1), "ar", "hijri") == "1 يناير 1900"
    assert digits("Page 12", "persian") == "Page ۱۲"
    # The volume line as the masthead prints it, with the default layout's words.
    loaded = load(ROOT / "issues" / "harbor-light-2023-07" / "issue.yaml")
    arabic = replace(loaded.issue, language="ar", volume="4", numbers=("19",))
    assert issue_line(loaded.spec, arabic) == "المجلد ٤، العدد ١٩"


def test_bidi_order_mirrors_brackets_and_keeps_addresses_whole():
    from compositor.text.shaping import visual_runs

    runs = visual_runs([("سلام (Reza) و https://a.example/x تمام", None)], True)
    assert [(t, rtl) for t, _, rtl in runs] == [
        (" تمام", True), ("https://a.example/x", False), (") و ", True), ("Reza", False),
        ("سلام (", True)]


def test_shaping_joins_letters_and_forms_the_lam_alef_ligature():
    from compositor.text.shaping import Shaper

    shaper = Shaper.for_path(FONT_DIR / "Vazirmatn-NL-Regular.ttf")
    glyphs, width = shaper.word("کلاس")
    # Four letters, three glyphs: lam and alef make one ligature standing for both.
    assert len(glyphs) == 3 and width > 0
    assert sorted(g.text for g in glyphs) == sorted(["ک", "ال", "س"])
    isolated, _ = shaper.word("ب")
    medial, _ = shaper.word("ببب")
    assert medial[1].gid != isolated[0].gid  # the middle beh takes its joining form


def test_layout_rejects_an_unknown_direction(tmp_path):
    layout = tmp_path / "l.yaml"
    layout.write_text("extends: default\npage:\n  direction: sideways\n", encoding="utf-8")
    from compositor.errors import Location, UserError
    from compositor.load.layout import load_layout

    with pytest.raises(UserError) as err:
        load_layout(str(layout), Location(layout, 1))
    assert "page.direction" in str(err.value)


def test_ordered_list_numbers_in_persian_digits_on_the_right(persian):
    with pdfplumber.open(persian["web"]) as pdf:
        page = pdf.pages[1]
        items = [ln for k in (2, 1, 0) for ln in lines_of(page, column(page, k))
                 if ln and re.fullmatch("\\.[۱-۵]", ln[0]["text"])]
    # "۱." typed; its full stop reads after the number, so it stands on its left.
    assert [ln[0]["text"] for ln in items] == [".۱", ".۲", ".۳", ".۴", ".۵"]
    for ln in items:
        assert ln[0]["x0"] > max(w["x1"] for w in ln[1:])


ALBANIAN = ("Bashkëpunëtorët e klubit dhe përfaqësuesit e bashkisë nënshkruan marrëveshjen "
            "për zhvillimin e garave ndërkombëtare të kanotazhit. Pjesëmarrësit falënderuan "
            "vullnetarët për shpërndarjen e ujit dhe organizimin e përkryer. Gjithashtu, "
            "trajnerët shpjeguan rëndësinë e bashkërendimit dhe të qëndrueshmërisë. ")
DIGRAPHS = ("dh", "gj", "ll", "nj", "rr", "sh", "th", "xh", "zh")


def body_serif(obj) -> bool:
    """Body text only: a column may end above the contents box, whose lines are not the
    continuation of the column's last line."""
    return obj.get("object_type") != "char" or "Charis" in obj.get("fontname", "")


def test_albanian_is_hyphenated_without_splitting_its_digraphs(tmp_path, capsys):
    from conftest import write_article

    folder = tmp_path / "sq"
    for i in range(3):
        write_article(folder, f"a{i}", f"Lajme nga lumi {i}", [ALBANIAN * 3] * 3,
                      byline="Arta Hoxha", date="2023-07-10")
    # Two columns on A5: narrow enough for many breaks, wide enough to stay justified
    # (under about 30 characters a line the text would be set ragged right).
    (folder / "narrow.yaml").write_text("extends: default\npage:\n  size: A5\n  columns: 2\n",
                                        encoding="utf-8")
    manifest = folder / "issue.yaml"
    manifest.write_text("publication: {name: Drita e Portit}\ndate: Korrik 2023\n"
                        "language: sq\nlayout: narrow.yaml\narticles:\n"
                        + "".join(f"  - articles/a{i}.md\n" for i in range(3)),
                        encoding="utf-8")
    assert main(["build", str(manifest), "--no-preflight"]) == 0
    assert "no hyphenation patterns" not in capsys.readouterr().err
    words = set(re.findall(r"\w+", ALBANIAN.lower()))
    with pdfplumber.open(folder / "build" / "sq-web.pdf") as pdf:
        lines = [ln for p in pdf.pages for x0, x1 in ((0, p.width / 2), (p.width / 2, p.width))
                 for ln in (p.crop((x0, 0, x1, p.height - 16 * MM))
                            .filter(body_serif).extract_text() or "").split("\n")]
    broken = [(a.split()[-1], b.split()[0]) for a, b in zip(lines, lines[1:], strict=False)
              if a.endswith("-") and a.split() and b.split()]
    assert len(broken) >= 3, lines  # narrow columns: Albanian words were hyphenated
    for head, tail in broken:
        whole = (head[:-1] + tail).lower().strip(".,")
        assert whole in words, (head, tail)
        assert (head[-2] + tail[0]).lower() not in DIGRAPHS, (head, tail)


def test_arabic_edition_prints_arabic_indic_digits_and_arabic_words(tmp_path):
    from conftest import write_article

    folder = tmp_path / "ar"
    text = ("اجتمع أعضاء النادي صباح السبت على ضفة النهر لتنظيف الشاطئ، وجمعوا أكثر من "
            "مئتي كيس من النفايات خلال ساعات قليلة. ")
    for i in range(3):
        write_article(folder, f"a{i}", f"أخبار النهر {i + 1}", [text * 4] * 3,
                      byline="ليلى حسن", date="2023-07-10")
    layout = (ISSUES / "harbor-light-fa-layout.yaml").read_text(encoding="utf-8")
    layout = layout.replace("  numerals: persian\n", "").replace(
        "  date_calendar: persian\n", "").replace("page:\n  direction: rtl\n", "")
    (folder / "layout.yaml").write_text(layout.replace("در این شماره", "في هذا العدد"),
                                        encoding="utf-8")
    (folder / "issue.yaml").write_text(
        "publication: {name: منارة الميناء, website: https://harborlight.example.org/ar}\n"
        "volume: 4\nnumber: 19\ndate: يوليو 2023\nlanguage: ar\nlayout: layout.yaml\n"
        "articles:\n" + "".join(f"  - articles/a{i}.md\n" for i in range(3)),
        encoding="utf-8")
    assert main(["build", str(folder / "issue.yaml"), "-q", "--no-preflight"]) == 0
    with pdfplumber.open(folder / "build" / "ar-web.pdf") as pdf:
        page = pdf.pages[0]
        text = " ".join(line_text(ln) for ln in lines_of(page))
        numbers = [w["text"] for ln in lines_of(page, column(page, 0)) for w in ln
                   if re.fullmatch("[٠-٩]+", w["text"])]
    assert "بقلم ليلى حسن – ١٠ يوليو ٢٠٢٣" in text
    assert "يوليو ٢٠٢٣" in text and "في هذا العدد" in text
    assert numbers and not re.search("[0-9۰-۹]", "".join(numbers))


def test_persian_issue_builds_with_the_default_layout(persian, tmp_path, capsys):
    """No layout of its own: Persian words fall back to the built-in Arabic-script family,
    the pages mirror, and the built-in English words of the layout are translated."""
    manifest = persian["manifest"].with_name("default-layout.yaml")
    manifest.write_text(persian["manifest"].read_text(encoding="utf-8").replace(
        "layout: ../harbor-light-fa-layout.yaml", "layout: default"), encoding="utf-8")
    out = tmp_path / "d.pdf"
    assert main(["build", str(manifest), "-q", "-o", str(out)]) == 0
    assert "cannot draw" not in capsys.readouterr().err
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]
        columns = [[line_text(ln) for ln in lines_of(page, column(page, k))] for k in range(3)]
        right = columns[2]
    # The contents box (its column is the make-up's choice) with its translated heading,
    # and the translated page number on the outer (left) edge of page 1.
    assert any("در این شماره" in col for col in columns) and "صفحهٔ ۱" in columns[0]
    # The default layout's calendar is the Solar Hijri one in a Persian issue:
    # 2023-07-22 is 31 Tir 1402.
    assert "نوشتهٔ مریم احمدی – ۳۱ تیر ۱۴۰۲" in right


def test_arabic_words_in_an_english_issue_stay_joined_when_lines_are_letter_spaced(tmp_path):
    """Justified Latin lines may add letter spacing; the Arabic words among them are shaped
    (with the built-in layout's Arabic-script family) and drawn without it."""
    from conftest import prose, write_issue

    from compositor.text.shaping import Shaper

    manifest = write_issue(tmp_path, articles=1, photo=False, boxes=False)
    word = "کتابخانه"
    paragraph = " ".join(f"{s} The {word} opened." for s in prose(5, 30).split(". "))
    (tmp_path / "articles" / "a0.md").write_text(
        f"---\ntitle: Libraries\n---\n\n{paragraph}\n", encoding="utf-8")
    out = tmp_path / "out.pdf"
    assert main(["build", str(manifest), "-q", "-o", str(out)]) == 0
    with pikepdf.open(out) as pdf:
        ops = [op for p in pdf.pages for _, op in pikepdf.parse_content_stream(p)]
    assert pikepdf.Operator("Tc") in ops  # some lines are letter-spaced
    glyphs, width = Shaper.for_path(FONT_DIR / "Vazirmatn-NL-Regular.ttf").word(word)
    checked = 0
    with pdfplumber.open(out) as pdf:
        for page in pdf.pages:
            chars = [c for c in page.chars if "Vazirmatn" in c["fontname"]]
            rows: dict[float, list] = {}
            for c in chars:
                rows.setdefault(round(c["matrix"][5], 1), []).append(c)
            for row in rows.values():  # one row may hold the word in several columns
                row.sort(key=lambda c: c["x0"])
                start = 0
                for k in range(1, len(row) + 1):
                    if k < len(row) and row[k]["x0"] - row[k - 1]["x1"] <= 3:
                        continue
                    first = row[start]
                    # The first glyph's box gives the line's horizontal scaling.
                    size = (first["x1"] - first["x0"]) * 1000 / glyphs[0].width
                    span = row[k - 1]["x1"] - first["x0"]
                    assert abs(span - width * size / 1000) < 0.03, (span, width * size / 1000)
                    checked += 1
                    start = k
    assert checked >= 10


def test_bidi_marks_typed_by_an_editor_are_kept_and_honoured():
    from compositor.model.markdown import clean_text
    from compositor.text.shaping import visual_runs

    typed = clean_text("نسخهٔ C++\u200e جدید")  # LRM: the pluses belong to the C
    assert "\u200e" in typed
    assert [(t, rtl) for t, _, rtl in visual_runs([(typed, None)], True)] == [
        (" جدید", True), ("C++\u200e", False), ("نسخهٔ ", True)]
    # Without the mark the pluses are neutral between C and Persian: they go right to left.
    assert visual_runs([("نسخهٔ C++ جدید", None)], True)[0][0] == "++ جدید"
    assert clean_text("plain \u200eLatin") == "plain Latin"  # still dropped in Latin text
