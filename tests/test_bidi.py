"""Bidirectional text: the algorithm against Unicode's conformance data, and a Persian
issue whose hard cases (brackets, percent signs, a byline with a Latin name, a phone
number, an address broken across lines) are read back from the PDF by position."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pdfplumber
import pytest

from compositor.cli import main
from compositor.text import uba

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "bidi" / "BidiCharacterTest-15.0.0-selection.txt"
SYSTEM_COPY = Path("/usr/share/unicode/BidiCharacterTest.txt")  # Debian's unicode-data


def conformance_failures(path: Path) -> tuple[int, list[str]]:
    """Run every case of a BidiCharacterTest file: levels (after L1), the paragraph
    level and the visual order (L2) must all be as the file says."""
    ran, failures = 0, []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#")[0].strip()
        if not line:
            continue
        fields = line.split(";")
        text = "".join(chr(int(cp, 16)) for cp in fields[0].split())
        direction, want_base = int(fields[1]), int(fields[2])
        base = uba.base_level(text) if direction == 2 else direction
        levels = uba.line_levels(text, uba.paragraph_levels(text, base), base)
        removed = [uba.bidi_class(c) in uba._REMOVED for c in text]
        got = ["x" if gone else str(v) for v, gone in zip(levels, removed, strict=True)]
        kept = [k for k, gone in enumerate(removed) if not gone]
        order = [kept[k] for k in uba.line_order([levels[k] for k in kept])]
        ran += 1
        if (base, got, order) != (want_base, fields[3].split(),
                                  [int(k) for k in fields[4].split()]):
            failures.append(f"{path.name}:{number}: {fields[0]} gave {got} {order}")
    return ran, failures


def test_unicode_conformance_cases_shipped_with_the_tests():
    ran, failures = conformance_failures(FIXTURE)
    assert ran >= 1300
    assert not failures, failures[:5]


@pytest.mark.skipif(not SYSTEM_COPY.exists(), reason="Debian's unicode-data not installed")
def test_the_whole_unicode_conformance_file_when_the_system_has_it():
    ran, failures = conformance_failures(SYSTEM_COPY)
    assert ran > 90_000
    assert not failures, failures[:5]


def test_bracket_pairs_match_unicode_bidi_brackets():
    table = Path("/usr/share/unicode/BidiBrackets.txt")
    if not table.exists():
        pytest.skip("Debian's unicode-data not installed")
    for raw in table.read_text(encoding="utf-8").splitlines():
        line = raw.split("#")[0].strip()
        if line:
            cp, pair, kind = (f.strip() for f in line.split(";"))
            assert uba.bracket(chr(int(cp, 16))) == (chr(int(pair, 16)), kind == "o"), cp
    assert uba.bracket("a") is None and uba.bracket("«") is None


def test_levels_are_resolved_for_the_paragraph_not_the_line():
    """Rule P1: the same characters get the same levels wherever a line breaks."""
    from compositor.text.shaping import paragraph_levels, visual_runs

    text = "نرخ بازگشت 45% بود و امسال %18 شد"
    levels = paragraph_levels(text, True)
    cut = text.index("45%")
    first, second = text[:cut].rstrip(), text[cut:]
    runs = visual_runs([(second, None)], True, levels[cut:])
    # "45%" at the start of the second line keeps the order it has mid-paragraph.
    alone = visual_runs([(text, None)], True)
    assert [t for t, _, _ in runs if "45" in t] == [t for t, _, _ in alone if "45" in t]
    assert first and "45" not in first


# -- a Persian issue read back ------------------------------------------------------------

BRACKETS = "ابزار VS (Code) نصب شد و نسخهٔ Python (3.12) را هم آزمودیم."
PERCENT = ("سهم اعضای جوان در سال گذشته 45% بود و امسال به %18 رسید؛ " * 8).strip()
ADDRESS = "https://harborlight.example.org/news/members/notice-summer-results/"
MAIL = "office@harborlight.example.org"


@pytest.fixture(scope="module")
def bidi_issue(tmp_path_factory) -> Path:
    from conftest import write_article

    os.environ["SOURCE_DATE_EPOCH"] = "1690000000"
    folder = tmp_path_factory.mktemp("bidi") / "fa"
    shutil.copy(ROOT / "issues" / "harbor-light-fa-layout.yaml", folder.parent / "l.yaml")
    filler = ("قایق‌ها صبح زود به آب رفتند و پاروزنان تا ظهر روی رودخانه تمرین کردند. " * 6)
    write_article(folder, "a", "آزمون ابزار", [
        BRACKETS, PERCENT,
        f"برای دیدن نتایج به نشانی {ADDRESS} بروید یا به {MAIL} نامه بنویسید. " + filler,
        'سرمربی گفت "تمرین فردا ساعت شش است" و رفت.', filler],
        byline="Ingrid Solberg", date="2023-06-30")
    box = folder / "boxes" / "phone.md"
    box.parent.mkdir(parents=True)
    box.write_text("---\ntitle: تماس\n---\n\nتلفن: ۰۱۰۱ ۵۵۵ ۰۱۴۷\n", encoding="utf-8")
    (folder / "issue.yaml").write_text(
        "publication: {name: چراغ بندر, website: https://harborlight.example.org}\n"
        "volume: 4\nnumber: 19\ndate: مرداد ۱۴۰۲\nlanguage: fa\nlayout: ../l.yaml\n"
        "articles:\n  - articles/a.md\nboxes:\n  - file: boxes/phone.md\n    page: 1\n",
        encoding="utf-8")
    assert main(["build", str(folder / "issue.yaml"), "-q", "--no-preflight",
                 "--variant", "web"]) == 0
    return folder / "build" / "fa-web.pdf"


def text_lines(pdf_path: Path) -> list[list[dict]]:
    """Every line of every page: its characters left to right (pdfplumber dicts)."""
    out = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            rows: dict[tuple[float, int], list[dict]] = {}
            for c in page.chars:
                # A line is a baseline within one column (a third of the page).
                col = int((c["x0"] + c["x1"]) / 2 // (page.width / 3))
                rows.setdefault((round(c["matrix"][5], 1), col), []).append(c)
            # Columns right to left (the issue's reading order), each top to bottom.
            for key in sorted(rows, key=lambda k: (-k[1], -k[0])):
                out.append(sorted(rows[key], key=lambda c: c["x0"]))
    return out


def visual(line: list[dict]) -> str:
    return "".join(c["text"] for c in line)


def find(lines: list[list[dict]], needle: str) -> list[dict]:
    return next(ln for ln in lines if needle in visual(ln))


def test_brackets_around_latin_text_pair_up(bidi_issue):
    lines = text_lines(bidi_issue)
    line = find(lines, "VS")
    shown = visual(line)
    # Left to right as printed: "VS (Code)" reads as typed, brackets round "Code".
    assert "VS (Code)" in shown, shown
    assert "(VS (Code" not in shown
    python = visual(find(lines, "Python"))
    assert "Python (3.12)" in python, python
    # The Persian words stay on either side: "ابزار" to the right of VS.
    vs = shown.index("VS")
    assert "زار" in shown[vs:] or "ابزار"[::-1] in shown[vs:]


def test_percent_sign_sits_on_the_same_side_wherever_a_line_breaks(bidi_issue):
    found = 0
    for line in text_lines(bidi_issue):
        shown = visual(line)
        for m in re.finditer(r"%?(45|18)%?", shown):
            # Digits after Persian letters are Arabic numbers and the sign a neutral that
            # runs right to left with the sentence: typed "45%" reads number then sign
            # (the sign prints on the left), typed "%18" sign then number - on every line,
            # at its start or not (each paragraph is resolved once, before breaking).
            assert m.group(0) == {"45": "%45", "18": "18%"}[m.group(1)], shown
            found += 1
    assert found >= 16


def test_byline_keeps_the_day_with_its_month(bidi_issue):
    line = find(text_lines(bidi_issue), "Solberg")
    words = [w for w in re.split(r"\s+", visual(line)) if w]
    # Read right to left: نوشتهٔ, Ingrid Solberg, –, ۹, تیر, ۱۴۰۲ (30 June 2023).
    assert words == ["۱۴۰۲", "تیر"[::-1], "۹", "–", "Ingrid", "Solberg", "نوشتهٔ"[::-1]], words


def test_phone_number_groups_read_left_to_right(bidi_issue):
    shown = visual(find(text_lines(bidi_issue), "۵۵۵"))
    assert "۰۱۰۱ ۵۵۵ ۰۱۴۷" in shown, shown


def address_pieces(lines: list[list[dict]], address: str, first: str) -> list[str]:
    """The pieces of `address` on the lines from the one holding `first`, in reading
    order (lines top to bottom; a piece is a run of ASCII read left to right)."""
    start = next(k for k, ln in enumerate(lines) if first in visual(ln))
    pieces: list[str] = []
    for line in lines[start:start + 4]:
        pieces += [p for p in re.findall(r"[!-~]+", visual(line))
                   if len(p) > 1 and p in address]
        if address in "".join(pieces):
            break
    return pieces


def test_address_broken_across_lines_keeps_its_pieces_in_order(bidi_issue):
    lines = text_lines(bidi_issue)
    pieces = address_pieces(lines, ADDRESS, "https:")
    assert "".join(pieces) == ADDRESS, pieces
    assert len(pieces) >= 3  # broken twice at least: the column is narrower than it
    mail = address_pieces(lines, MAIL, "office")
    assert "".join(mail) == MAIL and len(mail) >= 2, mail


def test_straight_quotes_become_guillemets_in_persian(bidi_issue):
    shown = " ".join(visual(ln) for ln in text_lines(bidi_issue))
    # The one quotation of the issue: the text layer maps HarfBuzz's mirrored glyphs
    # back to the characters typed, an opening and a closing guillemet.
    assert shown.count("\u00ab") == 1 and shown.count("\u00bb") == 1, shown
    assert not set(shown) & set('"\u201c\u201d'), shown


def test_addresses_broken_across_columns_keep_their_pieces_in_order(tmp_path):
    # A long Persian paragraph of addresses runs over several columns: wherever a column
    # ends inside an address, its first piece ends that column and the rest starts the
    # next one, every piece reading left to right, so the address reads whole.
    from conftest import write_article

    os.environ["SOURCE_DATE_EPOCH"] = "1690000000"
    folder = tmp_path / "fa"
    shutil.copy(ROOT / "issues" / "harbor-light-fa-layout.yaml", folder.parent / "l.yaml")
    links = [f"https://harborlight.example.org/news/members/notice-{k}-summer/"
             for k in range(90)]
    write_article(folder, "a", "نشانی‌ها", [" ".join(
        f"برای خبر شماره {k} به {link} بروید." for k, link in enumerate(links))])
    (folder / "issue.yaml").write_text(
        "publication: {name: چراغ بندر}\nvolume: 4\nnumber: 19\ndate: مرداد ۱۴۰۲\n"
        "language: fa\nlayout: ../l.yaml\narticles:\n  - articles/a.md\n", encoding="utf-8")
    assert main(["build", str(folder / "issue.yaml"), "-q", "--no-preflight",
                 "--variant", "web"]) == 0
    lines = []  # (page, column, ASCII words left to right), in reading order
    with pdfplumber.open(folder / "build" / "fa-web.pdf") as pdf:
        for number, page in enumerate(pdf.pages):
            rows: dict[tuple[float, int], list[dict]] = {}
            chars = [c for c in page.chars if c["top"] < page.height - 40]  # no footer
            # The gutters: the two widest x ranges no character covers.
            spans = sorted((c["x0"], c["x1"]) for c in chars)
            gaps, reach = [], spans[0][1]
            for x0, x1 in spans[1:]:
                if x0 > reach:
                    gaps.append((x0 - reach, (reach + x0) / 2))
                reach = max(reach, x1)
            cuts = sorted(x for _, x in sorted(gaps)[-2:])
            for c in chars:
                col = sum(1 for x in cuts if (c["x0"] + c["x1"]) / 2 > x)
                rows.setdefault((round(c["matrix"][5], 1), col), []).append(c)
            for key in sorted(rows, key=lambda k: (-k[1], -k[0])):
                words, word, last = [], "", None
                for c in sorted(rows[key], key=lambda c: c["x0"]):
                    if last is not None and c["x0"] - last > 1.5:
                        words.append(word)
                        word = ""
                    word, last = word + c["text"], c["x1"]
                words.append(word)
                lines.append((number, key[1], [w for w in words if re.fullmatch(r"[!-~]+", w)]))
    crossings = 0
    for (page, col, before), (page2, col2, after) in zip(lines, lines[1:], strict=False):
        if (page, col) == (page2, col2) or not before or not after:
            continue
        # A right-to-left line ends on its left: the piece an address breaks after is the
        # leftmost Latin word of a column's last line, and the rest is the rightmost of
        # the next column's first line.
        end, start = before[0], after[-1]
        if not any(link.startswith(end) and link != end for link in links):
            continue
        crossings += 1
        assert any(link.startswith(end) and link[len(end):].startswith(start)
                   for link in links), (end, start)
    assert crossings >= 1
