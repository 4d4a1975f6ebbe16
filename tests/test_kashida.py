"""Kashida justification and copyable right-to-left text, read back from the samples'
PDFs: tatweel strokes in justified Persian and Arabic lines and never inside a Latin
word, loose lines within 1.5 times the English sample's share, vowelled Arabic that
extracts as typed, and the print PDF's right-to-left reading direction."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from pathlib import Path

import pdfplumber
import pikepdf
import pypdf
import pytest

from compositor.cli import main
from compositor.model.content import Run
from compositor.text import kashida
from compositor.text.fonts import FontBook
from compositor.text.linebreak import BOX
from compositor.text.paragraph import Settings, Style, Typesetter

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "compositor" / "fonts"
SAMPLES = {"en": "harbor-light-2023-07", "fa": "harbor-light-fa-1402-05",
           "ar": "harbor-light-ar-1445-01"}
TATWEEL_EM = 565 / 2048  # Vazirmatn's tatweel advance


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
    out = tmp_path_factory.mktemp("kashida")
    for lang, sample in SAMPLES.items():
        variant = "all" if lang == "fa" else "web"
        assert main(["build", str(ROOT / "issues" / sample / "issue.yaml"), "-q",
                     "--no-preflight", "--variant", variant, "-o", str(out / f"{lang}.pdf"),
                     "--report", str(out / f"{lang}.json")]) == 0
    return {lang: out for lang in SAMPLES}


def pdf_of(built, lang: str, variant: str = "web") -> Path:
    folder = built[lang]
    own = folder / f"{lang}-{variant}.pdf"
    return own if own.exists() else folder / f"{lang}.pdf"


def strokes_and_latin(pdf_path: Path) -> tuple[int, int, list[str]]:
    """Kashida strokes drawn (glyphs that stand for no text, as wide as a tatweel),
    lines that hold one, and every Latin word with a stroke inside it."""
    strokes = lines_with = 0
    torn: list[str] = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            rows: dict[tuple[float, int], list[dict]] = {}
            for c in page.chars:
                col = int((c["x0"] + c["x1"]) / 2 // (page.width / 3))
                rows.setdefault((round(c["matrix"][5], 1), col), []).append(c)
            for row in rows.values():
                marks = [c for c in row if c["text"] == "" and
                         abs(c["width"] - TATWEEL_EM * c["size"]) < 0.05]
                strokes += len(marks)
                lines_with += bool(marks)
                row.sort(key=lambda c: c["x0"])
                word: list[dict] = []
                for c in [*row, None]:
                    if c is not None and re.match(r"[A-Za-z]", c["text"]):
                        word.append(c)
                        continue
                    if len(word) > 1 and any(word[0]["x0"] < m["x0"] < word[-1]["x1"]
                                             for m in marks):
                        torn.append("".join(ch["text"] for ch in word))
                    word = []
    return strokes, lines_with, torn


def test_kashida_places_follow_the_joining_rules():
    # After a seen first; never between lam and alef, across a non-joining letter or a
    # ZWNJ; Latin words have none.
    assert kashida.places("مسلمان")[0] == (2, 1)
    assert all(kind != 1 for _, kind in kashida.places("کتاب"))
    assert kashida.places("لا") == [] and kashida.places("در") == []
    assert kashida.places("و") == [] and kashida.places("Solberg") == []
    mi = kashida.places("نمی\u200cخواهم")
    assert mi[0] == (5, 5) and 4 not in {i for i, _ in mi}  # never across the ZWNJ
    # Vowel marks stay on their letter: the stroke goes after them.
    assert kashida.places("بِسْمِ")[0] == (4, 1)
    # Before a final heh (kind 2) comes before a medial pair (kind 7).
    assert kashida.places("همه")[0] == (2, 2)


def persian_typesetter(justify: str) -> tuple[Typesetter, tuple[Run, ...], Style]:
    fonts = FontBook({"serif": {"regular": FONTS / "Vazirmatn-NL-Regular.ttf"}})
    ts = Typesetter(fonts, Settings(language="fa", hyphenate=False, stretch=0.5, shrink=0.2,
                                    tracking=0.0, tracking_shrink=0.0, rtl=True,
                                    justify=justify))
    text = ("قایق‌ها صبح زود به آب رفتند و پاروزنان تا ظهر روی رودخانه تمرین کردند؛ "
            "مربیان از ساحل فرمان می‌دادند و نوجوانان با دقت گوش می‌کردند. ") * 8
    return ts, (Run(text),), Style("serif:regular", 10, 15, "text")


def persian_lines(justify: str):
    ts, runs, style = persian_typesetter(justify)
    return ts.set(runs, style, 150.0).lines


def test_word_spaces_and_kashida_share_the_slack():
    spaces, both, first = (persian_lines(j) for j in ("spaces", "both", "kashida"))
    assert all(line.kashida == 0 and line.kashida_fill() == 0 for line in spaces)
    # Loose with word spaces alone, so broken again with the words' kashida stretch in
    # the line breaker's items, in as many lines (the page keeps its make-up).
    assert len(both) == len(spaces)
    stretch = {}
    for justify in ("spaces", "both"):
        ts, runs, style = persian_typesetter(justify)
        items = ts._optimal(runs, style, 150.0, 0.0, False, (0, 0.0))[0]
        stretch[justify] = sum(it.stretch for it in items if it.kind == BOX)
    assert stretch["spaces"] == 0 and stretch["both"] > 100
    loose = [sum(line.space_ratio() > 1 for line in ls) for ls in (spaces, both)]
    assert loose[0] >= 10 and loose[1] * 3 <= loose[0], loose
    body = [line for line in both[:-1] if line.kashida]
    assert body and all(0 < line.kashida_fill() <= line.kashida + 1e-6 for line in body)
    # Kashida first: the strokes take what they can before the word spaces grow.
    for line in first[:-1]:
        if line.kashida and line.measure - line.natural <= line.kashida:
            assert line.spacing().word == pytest.approx(0.0, abs=1e-6)


def test_justified_persian_and_arabic_lines_are_lengthened_by_kashida(built):
    for lang in ("fa", "ar"):
        strokes, lines_with, torn = strokes_and_latin(pdf_of(built, lang))
        assert strokes > 100 and lines_with > 50, lang
        assert torn == [], lang  # Latin words (Ingrid Solberg, VS Code) never stretch
    assert strokes_and_latin(pdf_of(built, "en"))[0] == 0


def test_loose_lines_within_one_and_a_half_times_english(built):
    share = {}
    for lang in SAMPLES:
        counts = json.loads((built[lang] / f"{lang}.json").read_text())["counts"]
        share[lang] = counts["loose"] / counts["lines"]
    assert share["en"] > 0
    assert share["fa"] <= 1.5 * share["en"] and share["ar"] <= 1.5 * share["en"], share


def test_vowelled_arabic_extracts_as_typed(built):
    source = (ROOT / "issues" / SAMPLES["ar"] / "articles" / "poetry.md").read_text("utf-8")
    verse = next(line[2:] for line in source.splitlines() if line.startswith("> "))
    assert "\u064e" in verse and "\u0651" in verse  # fatha and shadda: vowelled
    text = "".join(p.extract_text() for p in pypdf.PdfReader(pdf_of(built, "ar")).pages)
    # No joiner for a cluster's second glyph, and no tatweel for a kashida stroke: the
    # only tatweel copied is the one typed in the Hijri abbreviation "هـ".
    assert "\u200d" not in text
    assert text.count("\u0640") == text.count("\u0647\u0640")
    # HarfBuzz draws shadda before fatha; the copy is canonically the same text.
    assert verse in unicodedata.normalize("NFC", " ".join(text.split()))
    # Every right-to-left run carries what it says for extractors that read marked
    # content: here the verse's first words, in the visual order a line is read back in.
    with pikepdf.open(pdf_of(built, "ar")) as pdf:
        said = [bytes(op.operands[1].ActualText).decode("utf-16")
                for page in pdf.pages for op in pikepdf.parse_content_stream(page)
                if op.operator == pikepdf.Operator("BDC") and len(op.operands) == 2
                and isinstance(op.operands[1], pikepdf.Dictionary)
                and "/ActualText" in op.operands[1]]
    assert any(verse.split()[1] in s[::-1] for s in said)


def test_print_pdf_reads_right_to_left_and_latin_spans_have_a_language(built):
    with pikepdf.open(pdf_of(built, "fa", "print")) as pdf:
        assert pdf.Root.ViewerPreferences.Direction == pikepdf.Name.R2L
    with pikepdf.open(pdf_of(built, "fa")) as pdf:
        langs = [str(op.operands[1].Lang) for page in pdf.pages
                 for op in pikepdf.parse_content_stream(page)
                 if op.operator == pikepdf.Operator("BDC") and len(op.operands) == 2
                 and isinstance(op.operands[1], pikepdf.Dictionary)
                 and "/Lang" in op.operands[1]]
    assert langs and set(langs) == {"en"}
    with pikepdf.open(pdf_of(built, "en")) as pdf:
        assert "/Direction" not in pdf.Root.get("/ViewerPreferences", {})




POEM = ("```poem\n"
        "هر صبح پارو می‌زند دل بر تن آرام رود / تا موج‌ها از شوق ما گویند با ساحل درود\n"
        "ما هم‌سفر با باد و مه از بندر خاموش شب\tتا روشنای صبحدم پاروزنان خواهیم بود\n"
        "```")


@pytest.fixture(scope="module")
def couplet_pdf(tmp_path_factory) -> Path:
    from conftest import write_article

    folder = tmp_path_factory.mktemp("verse") / "fa"
    (folder.parent / "l.yaml").write_text(
        f"extends: {ROOT / 'issues' / 'harbor-light-fa-layout.yaml'}\n"
        "page: {columns: 1}\n", encoding="utf-8")
    prose = "قایق‌ها صبح زود به آب رفتند و پاروزنان تا ظهر روی رودخانه تمرین کردند. " * 4
    write_article(folder, "a", "شعر", [prose, POEM, prose])
    (folder / "issue.yaml").write_text(
        "publication: {name: چراغ بندر}\nvolume: 4\nnumber: 19\ndate: مرداد ۱۴۰۲\n"
        "language: fa\nlayout: ../l.yaml\narticles:\n  - articles/a.md\n", encoding="utf-8")
    assert main(["build", str(folder / "issue.yaml"), "-q", "--no-preflight",
                 "--variant", "web"]) == 0
    return folder / "build" / "fa-web.pdf"


def test_a_couplet_is_set_in_two_justified_halves(couplet_pdf):
    with pdfplumber.open(couplet_pdf) as pdf:
        page = pdf.pages[0]
        rows: dict[float, list[dict]] = {}
        for c in page.chars:
            rows.setdefault(round(c["matrix"][5], 1), []).append(c)
        body = [sorted(r, key=lambda c: c["x0"]) for r in rows.values()
                if len(r) > 40 and r[0]["size"] == 10]
        left = min(c["x0"] for r in body for c in r)
        right = max(c["x1"] for r in body for c in r)
        verse = [r for r in body if "درود" in "".join(c["text"] for c in r)[::-1]
                 or "بود" in "".join(c["text"] for c in r)[::-1]]
    assert len(verse) == 2  # each couplet on one line
    middle = (left + right) / 2
    edges = []
    for row in verse:
        text = "".join(c["text"] for c in row)
        assert "/" not in text and "\t" not in text  # the separator never prints
        inner = [c for c in row if c["text"].strip()]
        lhalf = [c for c in inner if c["x1"] < middle]
        rhalf = [c for c in inner if c["x0"] > middle]
        assert len(lhalf) + len(rhalf) == len(inner)  # nothing in the gap
        edges.append((min(c["x0"] for c in lhalf), max(c["x1"] for c in lhalf),
                      min(c["x0"] for c in rhalf), max(c["x1"] for c in rhalf)))
    for a, b, c, d in edges:
        assert c - b > 15  # at least 2 em between the halves
        assert b - a == pytest.approx(d - c, abs=1.5)  # two equal halves
        assert (a + d) / 2 == pytest.approx(middle, abs=1.5)  # the poem is centred
    # Each half justified to the same width: the couplets line up down the poem.
    for k in range(4):
        assert edges[0][k] == pytest.approx(edges[1][k], abs=1.5)
    # The first hemistich is on the right (the reading side).
    first = "".join(c["text"] for c in verse[0] if c["x0"] > middle)[::-1]
    assert "صبح" in first


def test_a_couplet_too_wide_for_half_the_measure_is_stacked_and_centred():
    from compositor.model.markdown import _poem

    ts, _runs, style = persian_typesetter("both")
    runs = (Run(_poem(POEM.split("\n", 1)[1].rsplit("```", 1)[0])),)
    wide = ts.set(runs, style, 420.0).lines
    assert len(wide) == 2 and all(len(line.halves) == 2 for line in wide)
    narrow = ts.set(runs, style, 200.0).lines
    assert len(narrow) == 4 and not any(line.halves for line in narrow)
    for line in narrow:
        assert line.indent == pytest.approx((200.0 - line.natural) / 2)
    # Each couplet's second hemistich is joined to its first: no break parts them.
    assert [line.joined for line in narrow] == [False, True, False, True]


def test_a_stacked_couplet_is_never_parted_by_a_column_break(tmp_path):
    # Three couplets stacked in a narrow column: every line after a couplet's first is
    # kept with the line before it (no column or page break between the hemistichs).
    from conftest import write_article

    from compositor.build import lay_out, load
    from compositor.layout.chunks import TextPart

    folder = tmp_path / "fa"
    poem = "\n".join(["```poem", "ای نسیم سحر آرامگه یار کجاست / منزل آن مه عاشق‌کش عیار کجاست",
                      "شب تار است و ره وادی ایمن در پیش / آتش طور کجا موعد دیدار کجاست",
                      "هر که آمد به جهان نقش خرابی دارد / در خرابات بگویید که هشیار کجاست",
                      "```"])
    write_article(folder, "a", "آزمون", ["این شعر را در جلسه خواندیم.", poem,
                                         "پایان جلسه با چای و گفت‌وگو همراه بود."])
    manifest = folder / "issue.yaml"
    manifest.write_text(
        "publication: {name: چراغ بندر}\nvolume: 4\nnumber: 19\ndate: مرداد ۱۴۰۲\n"
        "language: fa\nlayout: ../l.yaml\narticles:\n  - articles/a.md\n", encoding="utf-8")
    fa_layout = ROOT / "issues" / "harbor-light-fa-layout.yaml"
    (tmp_path / "l.yaml").write_text(f"extends: {fa_layout}\n", encoding="utf-8")
    layout = lay_out(load(manifest))
    kept = []
    for c in layout.chunks:
        lines = [x.line for x in c.parts if isinstance(x, TextPart)]
        if any(getattr(line, "joined", False) for line in lines):
            kept.append(c.keep_before)
    assert len(kept) == 3 and all(kept), kept


def test_persian_spacing_joins_verb_prefixes_and_says_where(tmp_path, capsys):
    from conftest import write_article

    folder = tmp_path / "fa"
    write_article(folder, "a", "آزمون", [
        "من هر روز می روم و او هنوز نمی داند؛ این روش علمی است.",
        "```poem\nمی نوش / که روز می‌گذرد\n```"])
    layout = tmp_path / "l.yaml"
    manifest = folder / "issue.yaml"
    manifest.write_text(
        "publication: {name: چراغ بندر}\nvolume: 4\nnumber: 19\ndate: مرداد ۱۴۰۲\n"
        "language: fa\nlayout: ../l.yaml\narticles:\n  - articles/a.md\n", encoding="utf-8")
    fa_layout = ROOT / "issues" / "harbor-light-fa-layout.yaml"
    layout.write_text(f"extends: {fa_layout}\ntext: {{persian_spacing: true}}\n",
                      encoding="utf-8")
    assert main(["build", str(manifest), "--no-preflight", "--variant", "web"]) == 0
    said = capsys.readouterr()
    notes = [n for n in (said.out + said.err).splitlines() if "zero-width non-joiner" in n]
    assert len(notes) == 2 and all("a.md:4: note:" in n for n in notes), notes
    text = "".join(p.extract_text() for p in
                   pypdf.PdfReader(folder / "build" / "fa-web.pdf").pages)
    assert "می\u200cروم" in text and "نمی\u200cداند" in text
    assert "روش علمی است" in text  # a word that merely ends in می is left alone
    assert "می نوش" in text  # verse is never changed
    layout.write_text(f"extends: {fa_layout}\ntext: {{persian_spacing: maybe}}\n",
                      encoding="utf-8")
    assert main(["build", str(manifest), "--no-preflight", "--variant", "web"]) == 1
    assert "persian_spacing" in capsys.readouterr().err


def test_harfbuzz_is_told_the_language_urdu_digits_take_their_forms(tmp_path):
    from conftest import write_article
    from fontTools.ttLib import TTFont

    folder = tmp_path / "ur"
    write_article(folder, "a", "خبر", ["کشتی رانی کے ۴۶۷ ارکان نے آج دریا پر مشق کی۔"])
    (folder / "issue.yaml").write_text(
        "publication: {name: بندرگاہ}\nvolume: 4\nnumber: 19\ndate: ۲۰۲۳\nlanguage: ur\n"
        f"layout: {ROOT / 'issues' / 'harbor-light-fa-layout.yaml'}\n"
        "articles:\n  - articles/a.md\n", encoding="utf-8")
    assert main(["build", str(folder / "issue.yaml"), "-q", "--no-preflight",
                 "--variant", "web"]) == 0
    font = TTFont(FONTS / "Vazirmatn-NL-Regular.ttf")
    upem, advance = font["head"].unitsPerEm, font["hmtx"]
    with pdfplumber.open(folder / "build" / "ur-web.pdf") as pdf:
        four = [c for c in pdf.pages[0].chars if c["text"] == "۴" and c["size"] == 10]
    assert four
    # Urdu's own form of four (the font's locl for URD), not the Persian one.
    for c in four:
        assert c["width"] == pytest.approx(advance["uni06F4.locl"][0] / upem * 10, abs=0.01)
        assert c["width"] != pytest.approx(advance["uni06F4"][0] / upem * 10, abs=0.01)


def test_the_justify_key_chooses_word_spaces_or_kashida(tmp_path, built):
    # `text.justify: spaces` in the Persian sample's layout: no kashida strokes are drawn
    # and the fit report counts many more loose lines than with the default (both).
    import shutil
    issues = tmp_path / "issues"
    shutil.copytree(ROOT / "issues", issues, ignore=shutil.ignore_patterns("build"))
    layout = issues / "harbor-light-fa-layout.yaml"
    raw = layout.read_text(encoding="utf-8")
    assert re.search(r"(?m)^text:", raw)
    layout.write_text(re.sub(r"(?m)^text:\n", "text:\n  justify: spaces\n", raw, count=1),
                      encoding="utf-8")
    out = tmp_path / "spaces.pdf"
    assert main(["build", str(issues / SAMPLES["fa"] / "issue.yaml"), "-q", "--no-preflight",
                 "--variant", "web", "-o", str(out), "--report",
                 str(tmp_path / "spaces.json")]) == 0
    strokes, _, _ = strokes_and_latin(out)
    assert strokes == 0
    both = json.loads((built["fa"] / "fa.json").read_text())["counts"]["loose"]
    spaces = json.loads((tmp_path / "spaces.json").read_text())["counts"]["loose"]
    assert spaces > 3 * max(both, 1), (spaces, both)
