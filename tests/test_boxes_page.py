"""Boxes on a page of their own (`page: own`), read back from the web PDF: the page after
the text carries the boxes and no body text, the build says how much of it is left empty,
and a fitted issue counts that page as one of its pages."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
from conftest import build, prose, write_article, write_issue
from pagecheck import measure

from compositor.build import load

ABOUT = ("The Harbour Town Rowing Club was founded by six friends who wanted to row on the "
         "estuary before work. Today it welcomes rowers of every age and ability, from "
         "complete beginners to crews who race at national level.")
MEMBERSHIP = ("Membership runs from April to March. Fill in the form at the boathouse desk, "
              "pay the fee for your category and book a first outing with a coach.")
CONTACT = "The Boathouse\n12 Quay Street\nHarbor Town\n\nTelephone 0101 555 0147"


def own_page_issue(folder: Path, articles: int = 3, sentences: int = 30, extra: str = "",
                   url: bool = False) -> Path:
    """A small issue whose three boxes (About us, Membership, Contact) ask for a page of
    their own after the text; with `url`, the articles may be cut to fit."""
    manifest = write_issue(folder, articles=articles, sentences=sentences, boxes=False,
                           extra=extra)
    if url:
        for i in range(articles):
            paras = [prose(i * 100 + k, max(2, sentences // 5)) for k in range(5)]
            write_article(folder, f"a{i}", f"Story {i}: news from the river", paras,
                          byline="Zoë Brontë", url=f"https://tide.example.org/story-{i}")
    boxes = folder / "boxes"
    boxes.mkdir(exist_ok=True)
    for name, title, body in (("about", "About us", ABOUT),
                              ("membership", "Membership", MEMBERSHIP),
                              ("contact", "Contact", CONTACT)):
        (boxes / f"{name}.md").write_text(f"---\ntitle: {title}\n---\n\n{body}\n",
                                          encoding="utf-8")
    with manifest.open("a", encoding="utf-8") as f:
        f.write("boxes:\n"
                "  - file: boxes/about.md\n    page: own\n"
                "  - file: boxes/membership.md\n    page: own\n"
                "  - file: boxes/contact.md\n    page: own\n")
    return manifest


def web_pdf(manifest: Path, *args: str) -> Path:
    out = manifest.parent / "out.pdf"
    assert build(manifest, "--variant", "web", "--no-preflight", "-o", str(out), *args) == 0
    return out


def page_words(pdf: Path, page: int) -> list[dict]:
    with pdfplumber.open(pdf) as doc:
        return doc.pages[page - 1].extract_words(extra_attrs=["fontname", "size"])


def body_words(words: list[dict], body_size: float) -> list[str]:
    """Words set in the body style (Charis SIL at the body size): running text."""
    return [w["text"] for w in words if "Charis" in w["fontname"]
            and abs(w["size"] - body_size) < 0.3]


def test_own_boxes_get_the_page_after_the_text(tmp_path, capsys):
    manifest = own_page_issue(tmp_path)
    pdf = web_pdf(manifest)
    err = capsys.readouterr().err
    spec = load(manifest).spec
    pages = measure(pdf, spec)
    last = len(pages)
    assert last >= 2
    body_size = spec.styles["body"].size

    # The last page: every box, no running text.
    words = page_words(pdf, last)
    text = " ".join(w["text"] for w in words)
    for phrase in ("About us", "Membership", "Contact", "six friends", "boathouse desk",
                   "12 Quay Street", "0101 555 0147"):
        assert phrase in text
    assert body_words(words, body_size) == []
    assert not pages[-1].has_body_text()
    # The page before it carries the end of the text, and no box.
    before = page_words(pdf, last - 1)
    assert len(body_words(before, body_size)) > 50
    assert pages[-2].has_body_text()
    assert "six friends" not in " ".join(w["text"] for w in before)

    # The boxes start at the head of the text area, not in the middle or on the foot.
    with pdfplumber.open(pdf) as doc:
        rects = [r for r in doc.pages[last - 1].rects if r.get("fill") and r["width"] > 60]
    assert len(rects) == 3
    assert min(r["top"] for r in rects) - spec.margin_top < 2.0
    assert max(r["bottom"] for r in rects) < spec.page_height / 2

    # The build says the page holds only boxes and how much of it is empty; the figure
    # agrees with the empty column space read back from the PDF.
    said = re.search(rf"warning: page {last} holds only boxes, as asked \(page: own\); about "
                     r"(\d+) lines of column space on it are left empty", err)
    assert said, err
    empty = sum(h for c in pages[-1].columns for _, h in c.runs) / pages[-1].line
    assert abs(int(said.group(1)) - empty) <= spec.columns * 2


def test_own_boxes_leave_last_boxes_on_the_last_page_with_text(tmp_path):
    manifest = own_page_issue(tmp_path)
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("boxes/contact.md\n    page: own",
                                     "boxes/contact.md\n    page: last"), encoding="utf-8")
    pdf = web_pdf(manifest)
    spec = load(manifest).spec
    pages = measure(pdf, spec)
    last = len(pages)
    assert "0101 555 0147" in " ".join(w["text"] for w in page_words(pdf, last - 1))
    assert pages[-2].has_body_text()
    last_text = " ".join(w["text"] for w in page_words(pdf, last))
    assert "six friends" in last_text and "0101 555 0147" not in last_text


def test_fitted_issue_counts_the_boxes_page(tmp_path, capsys):
    # Unfitted, the text runs to three pages and the boxes take a fourth: fitted to three,
    # the text is cut to two pages and the boxes are page 3.
    manifest = own_page_issue(tmp_path, articles=4, sentences=40, url=True)
    free = measure(web_pdf(manifest), load(manifest).spec)
    assert len(free) == 4
    capsys.readouterr()
    with manifest.open("a", encoding="utf-8") as f:
        f.write("pages: 3\n")
    pdf = web_pdf(manifest)
    err = capsys.readouterr().err
    spec = load(manifest).spec
    pages = measure(pdf, spec)
    assert len(pages) == 3
    assert "shortened to fit" in err
    assert "page 3 holds only boxes, as asked (page: own)" in err
    # located by the page it is about, not a meaningless line 1 of the manifest
    assert "issue.yaml: page 3: warning: page 3 holds only boxes" in err
    assert "issue.yaml:1: warning" not in err
    assert body_words(page_words(pdf, 3), spec.styles["body"].size) == []
    assert "six friends" in " ".join(w["text"] for w in page_words(pdf, 3))
    assert pages[0].has_body_text() and pages[1].has_body_text()


def test_too_little_text_for_a_fitted_issue_still_puts_the_boxes_on_page_n(tmp_path, capsys):
    manifest = own_page_issue(tmp_path, extra="pages: 4\n")  # two pages of text
    pdf = web_pdf(manifest)
    err = capsys.readouterr().err
    spec = load(manifest).spec
    pages = measure(pdf, spec)
    assert len(pages) == 4
    assert "the text fills 2 of the 3 pages before the page of boxes" in err
    assert "six friends" in " ".join(w["text"] for w in page_words(pdf, 4))
    assert body_words(page_words(pdf, 4), spec.styles["body"].size) == []


def test_a_one_page_fit_with_an_own_page_is_refused(tmp_path, capsys):
    manifest = own_page_issue(tmp_path, articles=1, sentences=10, extra="pages: 1\n")
    out = tmp_path / "out.pdf"
    assert build(manifest, "--variant", "web", "--no-preflight", "-o", str(out)) == 1
    assert not out.exists()
    err = capsys.readouterr().err
    assert f"{manifest}:" in err and "'page: own' needs a page of its own" in err


def test_an_unknown_page_value_names_the_line_and_the_choices(tmp_path, capsys):
    manifest = own_page_issue(tmp_path, articles=1, sentences=10)
    text = manifest.read_text(encoding="utf-8").replace(
        "boxes/membership.md\n    page: own", "boxes/membership.md\n    page: back")
    manifest.write_text(text, encoding="utf-8")
    line = text.splitlines().index("    page: back") + 1
    out = tmp_path / "out.pdf"
    assert build(manifest, "--variant", "web", "--no-preflight", "-o", str(out)) == 1
    assert not out.exists()
    err = capsys.readouterr().err
    assert (f"{manifest}:{line}: a box's 'page' must be first, last, a page number or own "
            "(a page of boxes alone after the text), not 'back'") in err, err

    # The same in a box's own front matter.
    manifest.write_text(text.replace("    page: back\n", ""), encoding="utf-8")
    box = tmp_path / "boxes" / "membership.md"
    box.write_text("---\ntitle: Membership\npage: backpage\n---\n\n" + MEMBERSHIP + "\n",
                   encoding="utf-8")
    assert build(manifest, "--variant", "web", "--no-preflight", "-o", str(out)) == 1
    err = capsys.readouterr().err
    assert f"{box}:3: a box's 'page' must be first, last, a page number or own" in err, err


def test_watch_preview_marks_no_holes_under_the_last_text_or_the_boxes(tmp_path):
    # The preview marks blank runs in the columns; the balanced end of the text (the page
    # before the boxes) and the white under the boxes are not holes.
    from compositor.designer.session import Session

    manifest = own_page_issue(tmp_path)
    session = Session(manifest, dpi=50, log=lambda *a, **k: None)
    try:
        assert session.rebuild()
        pages = session.state["pages"]
    finally:
        session.close()
    assert len(pages) == 3
    # The preview marks the holes the make-up counted (the page map of each page).
    assert [(p["map"] or {}).get("holes", []) for p in pages[1:]] == [[], []]
    assert [h for h in session.state["report"]["holes"] if h["page"] > 1] == []
