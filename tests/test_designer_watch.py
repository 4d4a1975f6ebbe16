"""`compositor watch`: what it watches, how it batches saves, where it serves, and that it
survives the user's mistakes and stops cleanly on Ctrl-C."""

from __future__ import annotations

import signal
import socket
import time
import urllib.error
import urllib.request

import pytest
from conftest import write_issue
from designer_helpers import ROOT, InProcessWatch, WatchProcess, wait_for


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def issue(tmp_path):
    manifest = write_issue(tmp_path, articles=3, sentences=20, boxes=True)
    layout = tmp_path / "house.yaml"
    layout.write_text("extends: default\narticle:\n  rule_between: true\n", encoding="utf-8")
    (tmp_path / "layout.yaml").write_text("extends: house.yaml\npage:\n  columns: 3\n",
                                          encoding="utf-8")
    manifest.write_text(manifest.read_text() + "layout: layout.yaml\n", encoding="utf-8")
    return manifest


def test_watch_knows_every_file_the_issue_uses(issue):
    from compositor.build import load
    from compositor.designer.deps import used_files

    files = used_files(load(issue))
    folder = issue.parent.resolve()
    for name in ("issue.yaml", "layout.yaml", "house.yaml", "articles/a0.md", "articles/a2.md",
                 "boxes/about.md", "images/lead.jpg"):
        assert folder / name in files, name
    assert ROOT / "compositor" / "layouts" / "default.yaml" in files  # end of the chain
    assert any(p.name == "CharisSIL-Regular.ttf" for p in files)  # fonts
    assert any(p.suffix == ".icc" for p in files)  # the output profile


def test_watch_ignores_files_the_issue_does_not_use(issue):
    folder = issue.parent
    with InProcessWatch(issue) as w:
        builds = w.session.builds
        (folder / "notes.txt").write_text("a reminder\n")
        (folder / "articles" / "draft.md").write_text("---\ntitle: Not in this issue\n---\n")
        (folder / "images" / "unused.jpg").write_bytes(b"not really a photo")
        (folder / "articles" / "a1.md.swp").write_text("editor scratch")
        time.sleep(1.5)
        assert w.session.builds == builds
        assert not w.watcher.changed.is_set()
        # ...while a file it does use, two levels down the layout chain, rebuilds it.
        _edit(folder / "house.yaml", "rule_between: true", "rule_between: false")
        wait_for(lambda: w.session.builds > builds)
        assert any("house.yaml" in line for line in w.log if line.startswith("changed:"))


def test_watch_does_not_rebuild_for_a_save_that_changed_nothing(issue):
    article = issue.parent / "articles" / "a1.md"
    original = article.read_bytes()
    # Files saved just as a build starts are read again on their next save (their time
    # cannot tell whether the build saw them): these were written well before.
    time.sleep(0.2)
    with InProcessWatch(issue) as w:
        builds, shown = w.session.builds, w.session.state["build"]
        for _ in range(3):  # saved as it was, three times over (new timestamps each time)
            article.write_bytes(original)
            time.sleep(0.3)
        time.sleep(1.0)
        assert w.session.builds == builds, w.log
        assert w.session.state["build"] == shown
        assert any("saved without a change" in line for line in w.log)
        # The same file with one word changed is rebuilt, and the preview shows the word.
        article.write_bytes(original.replace(b"Story 1:", b"Altered 1:", 1))
        wait_for(lambda: w.session.builds > builds and not w.session.state["building"])
        assert "Altered 1:" in " ".join(p["text"] for p in w.session.state["pages"])
        # ...and saving the original back is a change again, relative to that build.
        builds = w.session.builds
        article.write_bytes(original)
        wait_for(lambda: w.session.builds > builds and not w.session.state["building"])
        assert "Altered 1:" not in " ".join(p["text"] for p in w.session.state["pages"])


def test_watch_turns_a_burst_of_saves_into_one_rebuild(issue):
    articles = [issue.parent / "articles" / f"a{i}.md" for i in range(3)]
    originals = [a.read_text(encoding="utf-8") for a in articles]
    with InProcessWatch(issue) as w:
        builds = w.session.builds
        for k in range(5):  # "save all", five times over: fifteen saves in a burst
            for i, (article, original) in enumerate(zip(articles, originals, strict=True)):
                article.write_text(original.replace(f"Story {i}:", f"Version{k}x{i}:"),
                                   encoding="utf-8")
        wait_for(lambda: w.session.builds > builds and not w.session.state["building"])
        time.sleep(1.5)  # anything still queued would have been built by now
        assert w.session.builds - builds <= 2, w.log
        text = " ".join(p["text"] for p in w.session.state["pages"])
        for i in range(3):  # the last save of each file is what the preview shows
            assert f"Version4x{i}:" in text


def test_watch_waits_for_saves_to_settle(issue):
    """The loop takes changes only after SETTLE seconds without a new one."""
    from compositor.designer.watch import SETTLE, Watcher

    with InProcessWatch(issue) as w:
        watcher: Watcher = w.watcher
    a, b = issue.parent / "articles" / "a0.md", issue.parent / "articles" / "a1.md"
    import threading
    with watcher._lock:
        watcher._pending = {a}
        watcher._last_change = time.monotonic()
    late = threading.Timer(SETTLE / 2, lambda: _queue(watcher, b))
    late.start()
    started = time.monotonic()
    taken = watcher.take()
    assert taken == {a, b}  # the late save joined the batch
    assert time.monotonic() - started >= SETTLE * 1.4


def _queue(watcher, path):
    with watcher._lock:
        watcher._pending.add(path)
        watcher._last_change = time.monotonic()


def _external_address() -> str | None:
    """This machine's address on its network, if it has one other than loopback."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # no packet is sent for a UDP connect
            address = s.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


def test_watch_serves_only_on_loopback(issue):
    with InProcessWatch(issue) as w:
        host, port = w.server.server_address[:2]
        assert host == "127.0.0.1"
        with urllib.request.urlopen(w.url, timeout=5) as r:
            assert r.status == 200 and b"<title>" in r.read()
        external = _external_address()
        if external:
            with pytest.raises(OSError), socket.create_connection((external, port), timeout=2):
                pass
        # A page elsewhere that rebinds its own name to 127.0.0.1 is refused.
        request = urllib.request.Request(w.url + "state.json",
                                         headers={"Host": f"attacker.example:{port}"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        assert refused.value.code == 403


def test_watch_serves_pages_pdfs_and_state(issue):
    import json

    import pypdf

    with InProcessWatch(issue) as w:
        with urllib.request.urlopen(w.url + "state.json", timeout=5) as r:
            state = json.loads(r.read())
        with urllib.request.urlopen(w.url + "download/web", timeout=30) as r:
            served = r.read()  # written on demand when the editor has not paused yet
        web = issue.parent / "build" / f"{issue.parent.name}-web.pdf"
        assert web.read_bytes() == served
        assert len(state["pages"]) == len(pypdf.PdfReader(web).pages) >= 2
        assert "/StructTreeRoot" in str(pypdf.PdfReader(web).trailer["/Root"].keys())
        first = state["pages"][0]
        with urllib.request.urlopen(f"{w.url}page/{first['id']}.jpg", timeout=5) as r:
            assert r.headers["Content-Type"] == "image/jpeg" and r.read()[:2] == b"\xff\xd8"
        with urllib.request.urlopen(w.url + "download/print", timeout=30) as r:
            data = r.read()
            assert data.startswith(b"%PDF-") and "attachment" in r.headers["Content-Disposition"]
        printed = issue.parent / "build" / f"{issue.parent.name}-print.pdf"
        assert printed.read_bytes() == data
        assert "/GTS_PDFXVersion" in str(pypdf.PdfReader(printed).metadata)


def test_watch_writes_the_pdfs_when_the_editor_pauses(issue):
    article = issue.parent / "articles" / "a1.md"
    web = issue.parent / "build" / f"{issue.parent.name}-web.pdf"
    with InProcessWatch(issue) as w:
        wait_for(lambda: not w.session.stale)
        before = web.stat().st_mtime_ns
        _edit(article, "Story 1:", "Story one:")
        wait_for(lambda: w.session.state["build"] >= 2 and not w.session.stale)
        assert web.stat().st_mtime_ns > before
        import pypdf
        assert "Story one:" in " ".join(p.extract_text() for p in pypdf.PdfReader(web).pages)
        assert all(not d["stale"] for d in w.session.state["downloads"].values())


def test_watch_keeps_a_few_layout_versions_in_memory(issue):
    from compositor.designer.session import KEEP_TYPESETTERS, Session
    from compositor.layout import setting as issue_layout

    layout = issue.parent / "layout.yaml"
    session = Session(issue, log=lambda line: None)
    for size in (9.0, 9.2, 9.4, 9.6, 9.8, 10.0, 9.0):
        layout.write_text(f"extends: house.yaml\nstyles:\n  body: {{size: {size}, "
                          f"leading: 13}}\n", encoding="utf-8")
        assert session.rebuild()
        assert len(issue_layout._TYPESETTERS) <= KEEP_TYPESETTERS
    current = list(issue_layout._TYPESETTERS)[-1]
    assert "'size': 9.0" in current[1]  # the layout in use is the newest, not evicted


def test_watch_reports_changed_pages_and_regions(issue):
    article = issue.parent / "articles" / "a2.md"
    with InProcessWatch(issue) as w:
        build = w.session.state["build"]
        _edit(article, "Story 2: news from the river", "Story 2: news from the estuary")
        wait_for(lambda: w.session.state["build"] > build)
        state = w.session.state
        changed = [p for p in state["pages"] if p["changed"]]
        assert changed and state["changed"] == [p["number"] for p in changed]
        page = next(p for p in changed if "estuary" in p["text"])
        assert page["regions"] and all(0 <= v <= 1 for r in page["regions"] for v in r)
        unchanged = [p for p in state["pages"] if not p["changed"]]
        assert all(not p["regions"] for p in unchanged)


def test_watch_survives_errors_and_stops_on_ctrl_c(issue):
    proc = WatchProcess(issue, cwd=issue.parent)
    try:
        text = issue.read_text()
        issue.write_text(text.replace("date: July", "date: [July"), encoding="utf-8")
        line = next(i for i, s in enumerate(issue.read_text().splitlines(), 1)
                    if s.startswith("date:"))
        wait_for(lambda: "build failed" in proc.output, timeout=30)
        assert f"issue.yaml:{line}: invalid YAML" in proc.output or \
            "issue.yaml:" in proc.output
        assert proc.proc.poll() is None  # still watching
        (issue.parent / "articles" / "a0.md").unlink()  # a second mistake on top
        issue.write_text(text, encoding="utf-8")
        wait_for(lambda: "file not found" in proc.output, timeout=30)
        assert proc.proc.poll() is None
    finally:
        code = proc.stop(signal.SIGINT)
    assert code == 0
    assert "stopped watching" in proc.output
    assert "Traceback" not in proc.output


def test_watch_says_when_its_port_is_taken(issue, capsys):
    from compositor.cli import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["watch", str(issue), "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert f"cannot serve the preview on 127.0.0.1:{port}" in err and "--port" in err


def test_watch_stops_cleanly_on_sigterm(issue):
    proc = WatchProcess(issue, cwd=issue.parent)
    code = proc.stop(signal.SIGTERM)
    assert code == 0 and "stopped watching" in proc.output
    assert "Traceback" not in proc.output


def test_watch_refuses_a_manifest_that_is_not_there(tmp_path, capsys):
    from compositor.cli import main

    assert main(["watch", str(tmp_path / "nothing.yaml"), "--port", "0"]) == 1
    assert "nothing.yaml:1: file not found" in capsys.readouterr().err


def test_watch_follows_a_folder_that_is_deleted_and_made_again(issue):
    import shutil
    images = issue.parent / "images"
    photo = images.parent / "lead-copy.jpg"
    shutil.copy(images / "lead.jpg", photo)
    with InProcessWatch(issue) as w:
        builds = w.session.builds
        shutil.rmtree(images)
        wait_for(lambda: w.session.builds > builds and not w.session.ok)
        assert "image not found" in w.session.state["errors"][0]
        assert w.session.state["pages"]  # the last good pages stay
        time.sleep(0.8)
        images.mkdir()
        time.sleep(0.8)  # the new folder is watched once the failed build has seen it
        shutil.copy(photo, images / "lead.jpg")
        wait_for(lambda: w.session.ok and not w.session.state["errors"])
