"""Fitting to a page count, jump lines and the fit report, read back from the PDF."""

from __future__ import annotations

import json
import re

import pdfplumber
from conftest import prose, write_article, write_issue
from pypdf import PdfReader

from compositor.build import lay_out, load
from compositor.cli import main
from compositor.layout.report import fit_report


def long_issue(folder, articles=10, sentences=60):
    """Ten long web articles (each with a url, so each may be cut to fit)."""
    manifest = write_issue(folder, articles=articles, boxes=True)
    for i in range(articles):
        paras = [prose(i * 31 + k, sentences // 6) for k in range(6)]
        write_article(folder, f"a{i}", f"Story {i}: news from the river", paras,
                      byline="Ayşe Yılmaz", date=f"2023-07-{i + 10:02d}",
                      url=f"https://tide.example.org/stories/{i}")
    return manifest


def page_texts(pdf) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(pdf).pages]


def test_fit_to_four_and_eight_pages(tmp_path):
    manifest = long_issue(tmp_path)
    for pages in (4, 8):
        out = tmp_path / f"fit{pages}.pdf"
        report = tmp_path / f"fit{pages}.json"
        assert main(["build", str(manifest), "-q", "--pages", str(pages), "-o", str(out),
                     "--report", str(report)]) == 0
        assert len(PdfReader(out).pages) == pages
        data = json.loads(report.read_text())
        assert data["pages"] == pages
        cut = [a for a in data["articles"] if a["words_kept"] < a["words_total"]]
        text = " ".join(page_texts(out))
        # Every cut article ends at a sentence with the ellipsis, then its address.
        ends = re.findall(r"(\S+) … Read the full article: (\S+)", text)
        assert len(ends) == len(cut) > 0
        for last_word, _ in ends:
            assert last_word.endswith((".", "!", "?")), last_word
        assert data["counts"]["widows"] == 0 and data["counts"]["orphans"] == 0


def test_cannot_fit_says_what_overflows(tmp_path, capsys):
    manifest = long_issue(tmp_path)
    for i in range(10):  # forbid cutting: nothing can give
        art = tmp_path / "articles" / f"a{i}.md"
        art.write_text(art.read_text().replace("url:", "excerpt: none\nurl:"))
    code = main(["build", str(manifest), "--pages", "2"])
    err = capsys.readouterr().err
    assert code == 1
    assert "cannot fit 2 pages" in err and "overflowing by about" in err
    assert "drop an article" in err
    assert not (tmp_path / "build").exists()


def test_too_little_content_reports_space_left(tmp_path, capsys):
    manifest = write_issue(tmp_path, articles=2)
    out = tmp_path / "out.pdf"
    assert main(["build", str(manifest), "-q", "--pages", "4", "-o", str(out)]) == 0
    assert len(PdfReader(out).pages) == 4
    assert "lines of column space are left empty" in capsys.readouterr().err


def test_jump_lines_point_to_the_right_pages(tmp_path):
    manifest = long_issue(tmp_path, articles=6, sentences=40)
    text = manifest.read_text().replace("  - articles/a1.md",
                                        "  - file: articles/a1.md\n    continue: true")
    manifest.write_text(text)
    out = tmp_path / "out.pdf"
    assert main(["build", str(manifest), "-q", "-o", str(out)]) == 0
    pages = page_texts(out)
    on = [(i + 1, int(m)) for i, t in enumerate(pages) for m in
          re.findall(r"Continued on page (\d+)", t)]
    back = [(i + 1, int(m)) for i, t in enumerate(pages) for m in
            re.findall(r"Continued from page (\d+)", t)]
    assert len(on) == 1 and len(back) == 1
    (jump_page, target), (resume_page, origin) = on[0], back[0]
    assert jump_page == 1 and target == resume_page and origin == jump_page
    assert resume_page > jump_page


def test_last_page_columns_balanced(tmp_path):
    manifest = write_issue(tmp_path, articles=5, boxes=False)
    out = tmp_path / "out.pdf"
    assert main(["build", str(manifest), "-q", "-o", str(out)]) == 0
    with pdfplumber.open(out) as pdf:
        last = pdf.pages[-1]
        words = [w for w in last.extract_words(extra_attrs=["size"]) if 9 <= w["size"] <= 9.8]
        width = last.width
    bottoms = {}
    for w in words:
        col = int((w["x0"] - 39) // ((width - 78) / 3))
        bottoms[col] = max(bottoms.get(col, 0), w["bottom"])
    assert len(bottoms) == 3
    # Within one line of the grid as printed (a thin last page may have had its leading
    # loosened over the whole issue).
    leading = _body_baseline_gap(out, 9.4)
    assert 12.4 <= leading <= load(manifest).spec.section("makeup")["max_leading"]
    assert max(bottoms.values()) - min(bottoms.values()) <= leading + 0.5


def test_report_counts_a_constructed_widow(tmp_path):
    """A page built to end a paragraph with one line at a column top is counted."""
    manifest = write_issue(tmp_path, articles=3, boxes=False)
    loaded = load(manifest)
    layout = lay_out(loaded)
    report = fit_report(layout)
    assert report["counts"]["widows"] == 0
    # Move the last line of a split paragraph to the top of the next column by hand.
    from dataclasses import replace
    page = layout.pages[1]
    by_col = {}
    for p in page.placed:
        by_col.setdefault(p.column, []).append(p)
    first = min(by_col[1], key=lambda p: p.y)
    meta = dict(first.chunk.meta, k=4, n=5)
    idx = page.placed.index(first)
    page.placed[idx] = replace(first, chunk=replace(first.chunk, meta=meta, kind="body"))
    layout.chunks[layout.chunks.index(first.chunk)] = page.placed[idx].chunk
    assert fit_report(layout)["counts"]["widows"] == 1


def test_report_counts_stacked_hyphens():
    from compositor.layout.chunks import Chunk
    from compositor.layout.report import fit_report as report_of

    class Fake:
        pass

    chunks = [Chunk(12, (), kind="body", meta={"ratio": 0.0, "hyphen": h, "justified": True,
                                               "k": i, "n": 5})
              for i, h in enumerate([True, True, True, False, True])]
    layout = Fake()
    layout.spec = load(write_issue_tmp()).spec
    layout.issue = type("I", (), {"articles": ()})()
    layout.pages = []
    layout.chunks = chunks
    layout.flow = type("F", (), {"forced": []})()
    layout.capacity = {}
    counts = report_of(layout)["counts"]
    assert counts["hyphenated"] == 4 and counts["stacked_hyphens"] == 1


def write_issue_tmp():
    import tempfile
    from pathlib import Path
    return write_issue(Path(tempfile.mkdtemp()), articles=1)


def test_front_matter_pull_quote_is_set_and_can_be_left_out(tmp_path):
    from compositor.model.excerpt import count_words, without_optional_pullquotes

    manifest = write_issue(tmp_path, articles=2, photo=False)
    write_article(tmp_path, "a0", "Quoted", [prose(1, 6), prose(2, 6), prose(3, 6)],
                  pullquote="Nobody rows alone on this river.")
    issue = load(manifest).issue
    article = issue.articles[0]
    quotes = [b for b in article.blocks if getattr(b, "pull", False)]
    assert len(quotes) == 1 and quotes[0].optional
    # The pull quote repeats text: it does not count as words of the article.
    assert count_words(without_optional_pullquotes(article).blocks) == article.words_total
    out = tmp_path / "o.pdf"
    assert main(["build", str(manifest), "-q", "-o", str(out)]) == 0
    with pdfplumber.open(out) as pdf:
        big = [c for c in pdf.pages[0].chars if c["size"] > 12 and c["text"] == "N"]
    assert big, "the pull quote is set in large type"


def test_leading_is_the_last_lever(tmp_path, capsys):
    """Articles that may not be cut, a few lines over: only tighter leading can fit them."""
    manifest = write_issue(tmp_path, articles=6, boxes=False, photo=False)
    natural = tmp_path / "natural.pdf"

    def natural_pages(sentences: int) -> int:
        write_article(tmp_path, "a5", "Last story", [prose(99, sentences)])
        assert main(["build", str(manifest), "-q", "-o", str(natural)]) == 0
        return len(PdfReader(natural).pages)

    # Lengthen the last story one sentence at a time until it just spills onto a new
    # page: then the issue is only a few lines over.
    first = natural_pages(1)
    for sentences in range(2, 40):
        pages = natural_pages(sentences)
        if pages > first:
            break
    assert pages == first + 1
    out = tmp_path / "fit.pdf"
    assert main(["build", str(manifest), "-q", "--pages", str(pages - 1), "-o", str(out)]) == 0
    assert len(PdfReader(out).pages) == pages - 1
    err = capsys.readouterr().err
    assert "body leading tightened from 12.4 to" in err
    assert "photos reduced" not in err
    # With the designer's floor at the normal leading, it cannot fit.
    (tmp_path / "strict.yaml").write_text("extends: default\nfit:\n  min_leading: 12.4\n")
    manifest.write_text(manifest.read_text() + "layout: strict.yaml\n")
    assert main(["build", str(manifest), "-q", "--pages", str(pages - 1)]) == 1


def test_article_opening_a_page_spans_title_and_photo(tmp_path):
    manifest = write_issue(tmp_path, articles=5, boxes=False)
    # The article before it shorter, so that it ends well into its page: an article opens a
    # page only where the page before is left at least half full.
    write_article(tmp_path, "a2", "Story 2: news from the river",
                  [prose(200 + k, 4) for k in range(5)], byline="Zoë Brontë", date="2023-07-12")
    write_article(tmp_path, "a3", "A feature that opens a page", [prose(7, 10), prose(8, 10)],
                  image="../images/lead.jpg", caption="Spanning photo.")
    manifest.write_text(manifest.read_text().replace(
        "  - articles/a3.md", "  - file: articles/a3.md\n    new_page: true"))
    out = tmp_path / "o.pdf"
    assert main(["build", str(manifest), "-q", "-o", str(out)]) == 0
    with pdfplumber.open(out) as pdf:
        hits = []
        for number, page in enumerate(pdf.pages, 1):
            big = "".join(c["text"] for c in page.chars if c["size"] > 18)
            if "Afeaturethatopensapage" in big.replace(" ", ""):
                top = min(c["top"] for c in page.chars if c["size"] > 18)
                hits.append((number, top, page.images))
        contents = contents_entries_of(pdf)
    assert len(hits) == 1
    number, top, images = hits[0]
    assert number > 1 and top < 80  # at the top of its page, above the columns
    assert images and max(i["x1"] - i["x0"] for i in images) > 300  # two columns wide
    assert contents.get("A feature that opens a page") == number


def contents_entries_of(pdf) -> dict[str, int]:
    from test_pdf_output import contents_entries
    return contents_entries(pdf.stream.name)


def test_pull_quote_spans_two_columns_inside_its_article(tmp_path):
    manifest = write_issue(tmp_path, articles=3, boxes=False, photo=False)
    paras = [prose(500 + k, 6) for k in range(10)]
    paras.insert(4, "> [!pullquote] Nobody checks the tide table twice until the day it "
                    "matters.")
    write_article(tmp_path, "a1", "Story 1: news from the river", paras)
    out = tmp_path / "out.pdf"
    assert main(["build", str(manifest), "-q", "--variant", "print", "-o", str(out)]) == 0
    with pdfplumber.open(out) as pdf:
        for page in pdf.pages:
            quote = [c for c in page.chars if 12 < c["size"] < 14]
            if quote:
                break
        body = [c for c in page.chars if abs(c["size"] - 9.4) < 0.05]
    text = "".join(c["text"] for c in quote)
    assert "Nobody checks the tide table" in text
    left, right = min(c["x0"] for c in quote), max(c["x1"] for c in quote)
    top, bottom = min(c["top"] for c in quote), max(c["bottom"] for c in quote)
    column = (page.width - 2 * 40) / 3
    assert right - left > column * 1.2, "the quote runs across a gutter"
    # Body text above and below the quote in each column it crosses.
    for x0, x1 in ((left, left + column * 0.8), (right - column * 0.8, right)):
        inside = [c for c in body if x0 <= c["x0"] <= x1]
        assert any(c["bottom"] < top for c in inside), (x0, x1)
        assert any(c["top"] > bottom for c in inside), (x0, x1)
    # No text runs through the quote.
    assert not [c for c in body if top - 2 < c["top"] < bottom + 2 and left < c["x0"] < right]


def _body_baseline_gap(pdf, size: float) -> float:
    """The most common distance between successive body baselines in one column."""
    from collections import Counter
    gaps: Counter = Counter()
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            ys: dict[int, set] = {}
            for c in page.chars:
                if c["text"].strip() and abs(c["size"] - size) < 0.3:
                    ys.setdefault(int(c["x0"] // 150), set()).add(round(c["matrix"][5], 2))
            for col in ys.values():
                ordered = sorted(col, reverse=True)
                gaps.update(round(a - b, 2)
                            for a, b in zip(ordered, ordered[1:], strict=False) if a - b < 20)
    return gaps.most_common(1)[0][0]


def test_room_to_spare_is_filled_by_looser_leading(tmp_path, capsys):
    """All the text fits with room left: the body leading is loosened (one grid for every
    column) up to `fit.max_leading`, and the fit report says so; with the key at 0 the
    designer's leading stays and the room is reported as empty."""
    manifest = long_issue(tmp_path, articles=6, sentences=48)
    natural = tmp_path / "natural.pdf"
    assert main(["build", str(manifest), "-q", "-o", str(natural)]) == 0
    pages = len(PdfReader(natural).pages)
    body = load(manifest).spec.styles["body"]
    # Unfitted, a thin last page may have had the leading loosened: the note says to what.
    loose = re.search(r"loosened from 12.4 to ([\d.]+) pt", capsys.readouterr().err)
    natural_leading = float(loose.group(1)) if loose else body.leading
    assert abs(_body_baseline_gap(natural, body.size) - natural_leading) < 0.02
    out = tmp_path / "fit.pdf"
    capsys.readouterr()
    # A page more than the text needs, within what 13.4 pt can fill at most.
    assert main(["build", str(manifest), "-q", "--pages", str(pages + 1), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert len(PdfReader(out).pages) == pages + 1
    assert "body leading loosened from 12.4 to" in err
    said = float(re.search(r"loosened from 12.4 to ([\d.]+) pt", err).group(1))
    gap = _body_baseline_gap(out, body.size)
    assert 12.4 < said <= 13.4 and abs(gap - said) < 0.02
    (tmp_path / "fixed.yaml").write_text("extends: default\nfit:\n  max_leading: 0\n")
    manifest.write_text(manifest.read_text() + "layout: fixed.yaml\n")
    assert main(["build", str(manifest), "-q", "--pages", str(pages + 1), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "loosened" not in err and "lines of column space are left empty" in err
    assert abs(_body_baseline_gap(out, body.size) - body.leading) < 0.02
