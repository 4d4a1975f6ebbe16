"""Whole-issue make-up, read back from the PDFs: the last page of an unfitted issue is not
a spill-over, boxes keep their own height, and the contents box on a narrow page lists
every article or says on which page the rest start."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pdfplumber
import pytest
from conftest import build, make_photo
from test_makeup import web_pdf, with_layout

from compositor.build import lay_out, load
from compositor.layout.score import score_of

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import makeup as bench  # noqa: E402


def body_lines(pdf: Path, page: int, spec, top: float, bottom: float,
               any_size: bool = False) -> dict[int, list[float]]:
    """Baselines of body-size text (or of any text) between `top` and `bottom`, by column
    of the grid the layout YAML sets."""
    size = spec.styles["body"].size
    left = spec.margin_inside if page % 2 == 1 else spec.margin_outside
    with pdfplumber.open(pdf) as doc:
        p = doc.pages[page - 1]
        words = [w for w in p.extract_words(extra_attrs=["size"])
                 if (any_size or abs(w["size"] - size) < 0.05) and top <= w["top"] < bottom]
    out: dict[int, set[float]] = {}
    for w in words:
        col = int((w["x0"] - left + 1) // (spec.column_width + spec.gutter))
        out.setdefault(col, set()).add(round(w["bottom"], 1))
    return {k: sorted(c) for k, c in sorted(out.items())}


def tinted_boxes(pdf: Path, page: int) -> list[dict]:
    with pdfplumber.open(pdf) as doc:
        p = doc.pages[page - 1]
        return sorted((r for r in p.rects if r.get("fill") and r["width"] > 60
                       and r["height"] > 30 and r["top"] > p.height / 2),
                      key=lambda r: r["x0"])


@pytest.fixture(scope="module")
def letter_issue(tmp_path_factory):
    """Issue 19's web articles on Letter, three columns, not fitted: the text runs a few
    lines into its last page, which also carries the About and Contact boxes."""
    out = tmp_path_factory.mktemp("letter")
    manifest = bench.prepare(out, "i19-Letter-3", "issue19", {"size": "Letter", "columns": 3},
                             None)
    return manifest, web_pdf(manifest)


def test_last_page_is_not_a_spill_over(letter_issue):
    manifest, pdf = letter_issue
    spec = load(manifest).spec
    with pdfplumber.open(pdf) as doc:
        last = len(doc.pages)
    boxes = tinted_boxes(pdf, last)
    assert boxes, "the boxes are on the last page"
    band_top = min(r["top"] for r in boxes)
    cols = body_lines(pdf, last, spec, spec.margin_top, band_top, any_size=True)
    # The text reaches down at least a quarter of the last page's columns, all columns
    # together (as a share of the type area's height).
    area = spec.page_height - spec.margin_top - spec.margin_bottom
    reach = sum(c[-1] - spec.margin_top for c in cols.values() if c) / (area * spec.columns)
    assert reach >= 0.25, reach


def test_a_thin_last_page_gets_its_text_from_a_shade_looser_leading(letter_issue):
    """Left as it flows, the Letter issue's last page would hold 14 % text. The planner
    loosens the body leading over the whole issue (one grid in every column) by the
    least that carries the text on, within `makeup.max_leading`, and the build says so:
    the baseline pitch read back from every page is the leading the note gives."""
    manifest, pdf = letter_issue
    loaded = load(manifest)
    layout = lay_out(loaded)
    said = [d.message for d in loaded.report.diagnostics if "loosened" in d.message]
    assert len(said) == 1, said
    leading = float(re.search(r"loosened from 12.4 to ([\d.]+) pt", said[0]).group(1))
    top = float(loaded.spec.section("makeup")["max_leading"])
    assert 12.4 < leading <= top
    with pdfplumber.open(pdf) as doc:
        pages = len(doc.pages)
    assert pages == len(layout.pages)
    for page in range(1, pages + 1):
        for baselines in body_lines(pdf, page, loaded.spec, 0, loaded.spec.page_height
                                    ).values():
            steps = [round(b - a, 1) for a, b in zip(baselines, baselines[1:], strict=False)]
            # Consecutive body lines of a paragraph sit one leading apart (larger steps
            # are pauses: between paragraphs, around heads and photos).
            assert min(steps, default=leading) == pytest.approx(leading, abs=0.15), page


def test_max_leading_zero_keeps_the_designers_leading(tmp_path):
    free = bench.prepare(tmp_path / "chosen", "i19-Letter-3", "issue19",
                         {"size": "Letter", "columns": 3}, None)
    manifest = bench.prepare(tmp_path / "fixed", "i19-Letter-3", "issue19",
                             {"size": "Letter", "columns": 3}, None)
    (manifest.parent / "layout.yaml").write_text(
        (manifest.parent / "layout.yaml").read_text() + "\nmakeup:\n  max_leading: 0\n")
    loaded = load(manifest)
    layout = lay_out(loaded)
    assert layout.spec.styles["body"].leading == 12.4
    assert not [d for d in loaded.report.diagnostics if "loosened" in d.message]
    # The loosened make-up was chosen because it scores better than the best the
    # designer's leading allows.
    chosen = lay_out(load(free))
    assert chosen.spec.styles["body"].leading > 12.4
    assert score_of(chosen) < score_of(layout)


def test_last_page_columns_end_together_above_the_boxes(letter_issue):
    manifest, pdf = letter_issue
    spec = load(manifest).spec
    with pdfplumber.open(pdf) as doc:
        last = len(doc.pages)
    boxes = tinted_boxes(pdf, last)
    band_top = min(r["top"] for r in boxes)
    cols = body_lines(pdf, last, spec, spec.margin_top, band_top, any_size=True)
    left = spec.margin_inside if last % 2 == 1 else spec.margin_outside
    pitch = spec.column_width + spec.gutter
    # Each column's text ends the same number of lines above the box under it (boxes
    # of different heights sit on the foot): the white above the boxes is one band of
    # even depth.
    white = []
    for c, baselines in cols.items():
        x = left + c * pitch + spec.column_width / 2
        under = next(r for r in boxes if r["x0"] <= x <= r["x1"])
        white.append(under["top"] - baselines[-1])
    assert len(white) == spec.columns
    # (A closing line set smaller than the body sits up to 2 pt higher on its baseline.)
    assert max(white) - min(white) <= spec.styles["body"].leading + 2.0, white


def test_boxes_keep_their_own_height_on_the_foot_of_the_page(letter_issue):
    manifest, pdf = letter_issue
    with pdfplumber.open(pdf) as doc:
        last = len(doc.pages)
        p = doc.pages[last - 1]
        boxes = tinted_boxes(pdf, last)
        assert len(boxes) == 2
        # Each box is as tall as its text: its tint is never stretched to a neighbour's
        # height and left empty (at most about two lines of it under the text) ...
        for box in boxes:
            inside = [c for c in p.chars if box["x0"] <= c["x0"] <= box["x1"]
                      and box["top"] <= c["top"] <= box["bottom"]]
            assert inside
            assert box["bottom"] - max(c["bottom"] for c in inside) < 30, box
    assert abs(boxes[0]["height"] - boxes[1]["height"]) > 12, "contents differ in length"
    # ... and both sit on the foot of the type area.
    assert abs(boxes[0]["bottom"] - boxes[1]["bottom"]) < 0.5


def test_contents_on_a_narrow_page_lists_every_article(tmp_path):
    # Ten articles on A5 in three columns: the entries are set smaller so all are listed.
    manifest = with_layout(tmp_path, "page: {size: A5, columns: 3}\n", articles=10,
                           sentences=12)
    pdf = web_pdf(manifest)
    with pdfplumber.open(pdf) as doc:
        first = doc.pages[0].extract_text()
    assert "bookmark" not in first.lower()
    assert [i for i in range(10) if f"Story {i}:" not in first] == []


def test_contents_that_cannot_list_all_says_from_which_page(tmp_path):
    # Forty-five articles beside a lead photo on A5 in two columns: even at the smallest
    # entry size they do not all fit, and the last line says, on paper, on which page
    # the first of the rest starts.
    manifest = with_layout(tmp_path, "page: {size: A5, columns: 2}\n", articles=45,
                           sentences=5)
    pdf = web_pdf(manifest)
    with pdfplumber.open(pdf) as doc:
        texts = [p.extract_text().replace("\n", " ") for p in doc.pages]
    assert "bookmark" not in texts[0].lower()
    m = re.search(r"and (\d+) more from page (\d+)", texts[0])
    assert m, texts[0]
    rest = int(m.group(1))
    first_left_out = 45 - rest
    assert f"Story {first_left_out - 1}:" in texts[0]
    assert f"Story {first_left_out}:" not in texts[0].split("Inside this issue")[-1]
    # The title may wrap: its first words are enough (on page 1 the contents box does
    # not list it, so a title there is the article's own).
    opens = next(n for n, text in enumerate(texts, 1) if f"Story {first_left_out}:" in text)
    assert int(m.group(2)) == opens


def placed_images(pdf: Path) -> list[tuple[int, dict]]:
    with pdfplumber.open(pdf) as doc:
        return [(n, im) for n, p in enumerate(doc.pages, 1) for im in p.images]


@pytest.mark.parametrize("page", ["{size: A5, columns: 3}", "{size: A4, columns: 4}",
                                  "{size: Letter, columns: 3}"])
def test_photos_fill_their_columns_and_portraits_stay_portraits(tmp_path, page):
    # A 3:4 portrait leads the issue, a landscape illustrates another article: each photo
    # is as wide as its column or span, never a thumbnail centred in it, and the portrait
    # is shown between 1:1 and 3:4 (height to width), never cropped into a strip.
    manifest = with_layout(tmp_path, f"page: {page}\n", articles=6, sentences=30)
    make_photo(tmp_path / "images" / "lead.jpg", size=(1200, 1600))
    make_photo(tmp_path / "images" / "wide.jpg", size=(1800, 1200))
    a3 = tmp_path / "articles" / "a3.md"
    a3.write_text(a3.read_text(encoding="utf-8").replace(
        "---\n", "---\nimage: ../images/wide.jpg\ncaption: Oars drying in the sun.\n", 1)
        , encoding="utf-8")
    pdf = web_pdf(manifest)
    spec = load(manifest).spec
    pitch = spec.column_width + spec.gutter
    images = placed_images(pdf)
    assert len(images) == 2
    for _, im in images:
        width = im["x1"] - im["x0"]
        columns = round((width + spec.gutter) / pitch)
        assert columns >= 1
        # As wide as whole columns (to within a point), never narrower than one.
        assert abs(width - (columns * pitch - spec.gutter)) < 1.0, (width, spec.column_width)
    portrait = next(im for _, im in images if im["srcsize"][1] > im["srcsize"][0]
                    or (im["bottom"] - im["top"]) > (im["x1"] - im["x0"]))
    aspect = (portrait["bottom"] - portrait["top"]) / (portrait["x1"] - portrait["x0"])
    assert 1.0 - 0.07 <= aspect <= 4 / 3 + 0.07, aspect


def test_fit_report_gives_the_make_up_score_page_by_page(tmp_path):
    # The A5 two-column issue leaves holes: the report says what each page adds to the
    # make-up score, and the parts add up to it.
    manifest = bench.prepare(tmp_path, "bench4-A5-2", "corpus4", {"size": "A5", "columns": 2},
                             None)
    report_file = tmp_path / "report.json"
    assert build(manifest, "--variant", "web", "--no-preflight", "-o", str(tmp_path / "o.pdf"),
                 "--report", str(report_file)) == 0
    report = json.loads(report_file.read_text(encoding="utf-8"))
    makeup = report["makeup"]
    assert makeup["pages"], "this issue has something to score"
    assert abs(sum(e["score"] for e in makeup["pages"]) - makeup["score"]) < 0.2
    empty = {}
    for h in report["holes"]:
        empty[h["page"]] = round(empty.get(h["page"], 0) + h["lines"], 1)
    assert {e["page"]: e["empty_lines"] for e in makeup["pages"] if e["empty_lines"]} == empty
    last = max(e["page"] for e in makeup["pages"])
    assert last <= report["pages"]


def test_page_one_photo_takes_fewer_columns_rather_than_cover_the_contents(tmp_path):
    # A5 in two columns: the lead photo across both, even cropped to 2:1, leaves the
    # contents box no room under it; it takes one column instead, and nothing on page 1
    # is drawn over anything else.
    manifest = bench.prepare(tmp_path, "bench4-A5-2", "corpus4", {"size": "A5", "columns": 2},
                             None)
    pdf = web_pdf(manifest)
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        photos = page.images
        tints = [r for r in page.rects if r.get("fill") and r["width"] > 60
                 and r["height"] > 30 and r["top"] > page.height * 0.3]
        words = page.extract_words()
    assert photos and tints
    for im in photos:
        for r in tints:
            overlap_x = min(im["x1"], r["x1"]) - max(im["x0"], r["x0"])
            overlap_y = min(im["bottom"], r["bottom"]) - max(im["top"], r["top"])
            assert overlap_x <= 0.5 or overlap_y <= 0.5, (im, r)
        # No word of text is printed on the photo.
        assert not [w for w in words if im["x0"] < w["x0"] < im["x1"]
                    and im["top"] < (w["top"] + w["bottom"]) / 2 < im["bottom"]]


def test_long_titles_are_set_smaller_where_that_ends_the_last_page_evenly(tmp_path, capsys):
    """A5 in three columns: titles run to six or seven lines in a 38 mm column, and the
    last page's columns end lines apart. The planner also lays the issue out with titles
    over four lines set smaller, keeps that (it scores better), and says so; the titles
    read back from the PDF are smaller than the layout's title size, never below 70 %."""
    manifest = bench.prepare(tmp_path, "i19-A5-3", "issue19", {"size": "A5", "columns": 3},
                             None)
    capsys.readouterr()
    pdf = web_pdf(manifest)
    err = capsys.readouterr().err
    assert "titles over 4 lines in their column set smaller" in err
    spec = load(manifest).spec
    size = spec.styles["title"].size
    titles = set()
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages[1:]:
            for ch in page.chars:
                if "Bold" in ch["fontname"] and ch["size"] > spec.styles["subhead"].size + 0.5:
                    titles.add(round(ch["size"], 2))
    assert titles and min(titles) < size - 0.1 and min(titles) >= 0.7 * size - 0.01, titles
