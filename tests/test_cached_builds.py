"""A build that reuses what earlier builds kept (set paragraphs, fitting decisions, photos)
and runs its variants in two processes writes the same bytes as a serial build with the
cache off: for the sample issue (fitted to its four pages) and for a 16-page bench corpus
issue fitted one page shorter than it runs."""

from __future__ import annotations

import shutil
import sys

import pytest
from conftest import ROOT, build

from compositor.layout import planner

sys.path.insert(0, str(ROOT / "bench"))


def _pdfs(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.pdf"))}


def _builds(tmp, manifest, *args):
    """Serial and uncached; then cache filled; then warm, both cores. Each build's PDFs
    and the layout calls it made."""
    out = {}
    runs = [("uncached", "off", "1"), ("filling", str(tmp / "cache"), "2"),
            ("warm", str(tmp / "cache"), "2")]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1690000000")
        calls = []
        real = planner.layout_issue
        mp.setattr(planner, "layout_issue", lambda *a, **k: calls.append(1) or real(*a, **k))
        for name, cache, jobs in runs:
            mp.setenv("COMPOSITOR_CACHE", cache)
            mp.setenv("COMPOSITOR_JOBS", jobs)
            folder = tmp / name
            folder.mkdir()
            calls.clear()
            assert build(manifest, "-o", str(folder), "--variant", "all", *args) == 0
            out[name] = (_pdfs(folder), len(calls))
    return out


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sample")
    shutil.copytree(ROOT / "issues", tmp / "issues")
    return _builds(tmp, tmp / "issues" / "harbor-light-2023-07" / "issue.yaml")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    from corpus import DEFAULT_SEED, write_issue

    tmp = tmp_path_factory.mktemp("corpus")
    manifest = write_issue(tmp / "issue-016", 16, DEFAULT_SEED, log=lambda _: None)
    return _builds(tmp, manifest, "--pages", "14")


@pytest.mark.parametrize("which", ["sample", "corpus"])
def test_cached_parallel_build_gives_the_bytes_of_a_serial_uncached_one(which, request):
    builds = request.getfixturevalue(which)
    uncached, _ = builds["uncached"]
    assert sorted(uncached) == [n for n in sorted(uncached) if n.endswith(".pdf")]
    assert len(uncached) == 2  # print and web
    for name in ("filling", "warm"):
        pdfs, _ = builds[name]
        assert sorted(pdfs) == sorted(uncached)
        for file, data in pdfs.items():
            assert data == uncached[file], f"{name} build: {file} differs"


@pytest.mark.parametrize("which", ["sample", "corpus"])
def test_a_warm_rebuild_applies_the_fitting_decisions_in_one_layout(which, request):
    builds = request.getfixturevalue(which)
    assert builds["uncached"][1] > 3  # the fitting searched
    assert builds["filling"][1] == builds["uncached"][1]
    assert builds["warm"][1] == 1


def test_watch_reuses_the_decisions_of_content_it_built_before(tmp_path, monkeypatch):
    """An edit and its undo: the undo finds the fitting decisions of the first build."""
    from compositor.designer.session import Session

    shutil.copytree(ROOT / "issues", tmp_path / "issues",
                    ignore=shutil.ignore_patterns("build"))
    manifest = tmp_path / "issues" / "harbor-light-2023-07" / "issue.yaml"
    article = manifest.parent / "articles" / "regatta-report.md"
    original = article.read_text(encoding="utf-8")
    monkeypatch.setenv("COMPOSITOR_CACHE", str(tmp_path / "cache"))
    calls = []
    real = planner.layout_issue
    monkeypatch.setattr(planner, "layout_issue",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    session = Session(manifest, log=lambda _: None)
    counts, texts = [], []
    for text in (original, original.replace("promised rain", "promised sleet"), original):
        article.write_text(text, encoding="utf-8")
        calls.clear()
        assert session.rebuild({article})
        counts.append(len(calls))
        texts.append(" ".join(p["text"] for p in session.state["pages"]))
    assert counts[0] > 3 and counts[1] > 3  # new content: the fitting searched
    assert counts[2] == 1  # the undo: the first build's decisions, one layout
    assert "promised sleet" in texts[1] and "promised rain" in texts[2]
    assert texts[2] == texts[0]


def test_one_build_leaves_every_paragraph_it_set_for_the_next(tmp_path, monkeypatch):
    """A5 in three columns: the planner lays the issue out with the layout as written and
    with long titles set smaller, each with a typesetter of its own over one paragraph
    store. What both set is kept: a second build (a fresh process, as far as the store
    goes) sets no paragraph afresh."""
    sys.path.insert(0, str(ROOT / "bench"))
    import makeup as bench

    from compositor.build import lay_out, load
    from compositor.layout import setting
    from compositor.text import paragraph

    monkeypatch.setenv("COMPOSITOR_CACHE", str(tmp_path / "cache"))
    manifest = bench.prepare(tmp_path, "i19-A5-3", "issue19", {"size": "A5", "columns": 3},
                             None)

    def fresh_process() -> None:
        setting._TYPESETTERS.clear()
        paragraph._SAVED.clear()
        setting._FITS_SAVED.clear()

    fresh_process()
    first = lay_out(load(manifest))
    assert first.spec.section("article")["title_lines"] == 4  # two typesetters were used
    assert len(setting._TYPESETTERS) >= 2
    setting.save_caches()
    fresh_process()
    again = lay_out(load(manifest))
    made = sum(len(ts._new) + len(ts._fits_new) for ts in setting._TYPESETTERS.values())
    assert made == 0
    assert len(again.pages) == len(first.pages)
    fresh_process()
