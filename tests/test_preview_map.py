"""The preview's page map, read from the layout: checked against where the words really are
in the rendered PDF (pdfplumber) and against the Markdown files' own lines."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import write_issue

from compositor.designer.editor import editor_link
from compositor.designer.pagemap import BETWEEN_LINES, outline, page_maps


def marked_issue(folder: Path) -> Path:
    """Three short articles whose every paragraph opens with a word found nowhere else
    ("Markerab": article a, paragraph b); page 1 keeps a hole of a few lines."""
    manifest = write_issue(folder, articles=3, sentences=12)
    for a in range(3):
        path = folder / "articles" / f"a{a}.md"
        head, front, body = path.read_text().split("---\n", 2)
        paras = body.strip("\n").split("\n\n")
        paras = [f"Marker{chr(97 + a)}{chr(97 + k)} " + p for k, p in enumerate(paras)]
        path.write_text(f"{head}---\n{front}---\n\n" + "\n\n".join(paras) + "\n")
    return manifest


def source_line(path: Path, word: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if word in line)


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory):
    from compositor.build import lay_out, load
    from compositor.finish.variants import options_for
    from compositor.render.pdf import render

    folder = tmp_path_factory.mktemp("mapped")
    manifest = marked_issue(folder)
    loaded = load(manifest)
    # The hole on page 1 is kept: no leading loosened for the thin last page.
    raw = loaded.spec.raw
    loaded = replace(loaded, spec=replace(loaded.spec, raw={
        **raw, "makeup": {**raw["makeup"], "max_leading": 0}}))
    layout = lay_out(loaded)
    data, _ = render(layout, options_for("web", layout))
    return folder, loaded, layout, page_maps(layout), data


def test_every_paragraph_is_mapped_to_its_article_and_source_line(laid_out):
    import pdfplumber

    folder, _, layout, maps, data = laid_out
    found = 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            for w in page.extract_words():
                m = re.fullmatch(r"M?arker([a-c])([a-e])", w["text"])  # M: a drop cap
                if not m:
                    continue
                found += 1
                article = ord(m.group(1)) - 97
                path = folder / "articles" / f"a{article}.md"
                x, y = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
                region = maps[number - 1].at(x, y)
                assert region is not None, (w["text"], number, x, y)
                assert region.kind == "paragraph"
                assert region.article == f"Story {article}: news from the river"
                assert region.path == path
                assert region.line == source_line(path, "M" + w["text"].lstrip("M"))
                assert region.paragraph == ord(m.group(2)) - 96
                assert region.column == maps[number - 1].column_of(x)
    assert found == 15  # five paragraphs in each of three articles, every one on a page
    # The titles point at their article's file; the contents box at no file.
    kinds = {r.kind for pm in maps for r in pm.regions}
    assert {"title", "paragraph", "photo", "box", "contents"} <= kinds
    title = next(r for r in maps[0].regions if r.kind == "title")
    assert title.path == folder / "articles" / "a0.md" and title.line == 1
    assert all(r.path is None for pm in maps for r in pm.regions if r.kind == "contents")


def test_guides_come_from_the_layout(laid_out):
    _, _, layout, maps, _ = laid_out
    spec = layout.spec
    for pm in maps:
        top, right, bottom, left = pm.margins
        assert (top, bottom) == (spec.margin_top, spec.margin_bottom)
        # Mirrored margins: the inside margin is on the left of a right-hand page.
        assert left == (spec.margin_inside if pm.number % 2 else spec.margin_outside)
        assert len(pm.columns) == spec.columns
        assert pm.columns[0][0] == pytest.approx(left)
        assert pm.columns[-1][1] == pytest.approx(spec.page_width - right)
        assert pm.bleed == pytest.approx(3 * 72 / 25.4)  # the default layout's 3 mm
        steps = {round(b - a, 3) for a, b in zip(pm.baselines, pm.baselines[1:], strict=False)}
        assert steps == {round(spec.styles["body"].leading, 3)}
    # Every body line of the layout sits on its page's grid.
    for page, pm in zip(layout.pages, maps, strict=True):
        grid = set(pm.baselines)
        for p in page.placed:
            if p.chunk.kind == "body":
                part = next(x for x in p.chunk.parts if hasattr(x, "baseline"))
                assert round(p.y + part.baseline, 2) in grid or \
                    min(abs(p.y + part.baseline - g) for g in grid) < 0.05


def test_holes_lie_where_the_make_up_counted_them(laid_out):
    import pdfplumber

    _, _, layout, maps, data = laid_out
    assert layout.holes, "the fixture is meant to keep a hole on page 1"
    located = [(pm.number, h.column, h.lines) for pm in maps for h in pm.holes]
    assert located == list(layout.holes)
    leading = layout.spec.styles["body"].leading
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for pm in maps:
            words = pdf.pages[pm.number - 1].extract_words()
            for h in pm.holes:
                x0, y0, x1, y1 = h.box
                assert (x0, x1) == pytest.approx(pm.columns[h.column - 1], abs=0.01)
                assert (y1 - y0) / leading == pytest.approx(h.lines, abs=0.6)
                # No word of the page lies in the hole.
                inside = [w["text"] for w in words if x0 < (w["x0"] + w["x1"]) / 2 < x1
                          and y0 < (w["top"] + w["bottom"]) / 2 < y1]
                assert inside == []


def test_change_outlines_run_between_lines_and_in_the_gutters(laid_out):
    _, _, layout, maps, _ = laid_out
    pm = maps[0]
    size = layout.spec.styles["body"].size
    a, b = pm.columns[1]
    for y0, y1 in ((400.0, 403.0), (401.3, 455.9), (pm.baselines[5], pm.baselines[9])):
        x0, oy0, x1, oy1 = outline((a + 20, y0, a + 60, y1), pm)
        assert x0 < a and x1 > b  # the column's width, in the gutters
        assert x1 - b < pm.columns[2][0] - b  # not into the next column
        assert oy0 <= y0 and oy1 >= y1
        for edge in (oy0, oy1):
            # Between the descenders of one line and the capitals of the next.
            for base in pm.baselines:
                assert not (base - 0.72 * size < edge < base + 0.22 * size), (edge, base)
        assert (oy0 - pm.baselines[0]) / pm.leading % 1 == pytest.approx(BETWEEN_LINES, abs=1e-3)


def test_page_warnings_are_located_by_page_and_column(laid_out, tmp_path):
    from compositor.designer.session import Session

    folder, *_ = laid_out
    session = Session(folder / "issue.yaml", log=lambda text: None)
    assert session.rebuild()
    state = session.state
    holes = state["report"]["holes"]
    warned = [d for d in state["diagnostics"] if "lines left empty" in d["text"]]
    # One account: each hole warned about is a hole in the list, with its page and column.
    assert [(d["page"], d["column"]) for d in warned] == [(h["page"], h["column"])
                                                         for h in holes]
    assert all(d["where"] is None and "issue.yaml" not in d["text"] for d in warned)
    for h in holes:
        assert len(h["box"]) == 4 and h["lines"] > 0
    page = state["pages"][0]
    assert page["map"]["regions"] and page["map"]["columns"]
    assert all(r["path"] is None or r["path"].startswith("/") for r in page["map"]["regions"])


def test_editor_links():
    assert editor_link("vscode") == "vscode://file{path}:{line}"
    assert editor_link("none") is None and editor_link("") is None
    assert editor_link("subl").startswith("subl://")
    assert editor_link("myeditor://open?f={path}&l={line}") == "myeditor://open?f={path}&l={line}"
    for bad in ("javascript:alert({path})", "https://x.example/{path}", "vscode://file",
                "emacs"):
        with pytest.raises(ValueError):
            editor_link(bad)
