"""Hostile round three, the writing side (issue 20): every command that writes writes
only files it creates or owns, deletes nothing it did not write, refuses inputs, pipes,
devices and files of the user's, and writes all or nothing. Each case runs the real CLI
and compares a listing of the folders involved (paths, kinds, sizes, mtimes, modes,
contents, link targets) before and after."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, write_issue
from PIL import Image

from compositor.cli import main
from compositor.outputs import LEDGER


def listing(*folders: Path) -> dict[str, tuple]:
    """Everything under ``folders`` (the folders too): kind, size, mtime, mode, a digest
    of a file's bytes, a link's target. Nothing is opened that could block (pipes)."""
    out: dict[str, tuple] = {}
    for folder in folders:
        if not os.path.lexists(folder):
            continue
        for p in [folder, *sorted(folder.rglob("*"))]:
            st = os.lstat(p)
            if stat.S_ISLNK(st.st_mode):
                out[str(p)] = ("link", os.readlink(p))
            elif stat.S_ISREG(st.st_mode):
                out[str(p)] = ("file", st.st_size, st.st_mtime_ns, stat.S_IMODE(st.st_mode),
                               hashlib.sha256(p.read_bytes()).hexdigest())
            elif stat.S_ISDIR(st.st_mode):
                out[str(p)] = ("dir", stat.S_IMODE(st.st_mode))
            else:
                out[str(p)] = ("other", stat.S_IFMT(st.st_mode))
    return out


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err, err
    return code, out, err


def refused(capsys, folders: list[Path], *argv, culprit: str) -> str:
    """Run a command that must fail with exit 1, naming ``culprit``, changing nothing."""
    before = listing(*folders)
    code, _, err = run(capsys, *argv)
    assert code == 1, err
    assert culprit in err, err
    assert listing(*folders) == before
    return err


def blank_pdf(path: Path, sizes: list[tuple[float, float]]) -> Path:
    from pypdf import PdfWriter

    w = PdfWriter()
    for width, height in sizes:
        w.add_blank_page(width, height)
    with open(path, "wb") as f:
        w.write(f)
    return path


def no_space(monkeypatch) -> None:
    """Every write of file contents fails as on a full disk."""
    def full(fd, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(os, "write", full)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A folder of issues holding one built issue, 'one'."""
    issues = tmp_path_factory.mktemp("r3w") / "issues"
    manifest = write_issue(issues / "one", articles=2, sentences=12, photo=True)
    assert main(["build", str(manifest), "-q", "--no-preflight", "--variant", "web"]) == 0
    return issues


@pytest.fixture
def issues(built, tmp_path) -> Path:
    folder = tmp_path / "issues"
    shutil.copytree(built, folder, symlinks=True)
    return folder


# -- site --------------------------------------------------------------------------------------

def test_site_rerun_keeps_git_cname_added_pages_and_old_folder(issues, tmp_path, capsys):
    out = tmp_path / "site"
    code, _, err = run(capsys, "site", issues, "-o", out, "--no-build", "-q")
    assert code == 0, err
    (out / ".git" / "objects").mkdir(parents=True)
    (out / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (out / "CNAME").write_text("news.example.org\n")
    (out / "about.html").write_text("<p>hand-written</p>\n")
    (out / "covers" / "extra.jpg").write_bytes(b"mine")
    beside = tmp_path / ".site.old"
    beside.mkdir()
    (beside / "keep.txt").write_text("kept\n")
    mine = [out / ".git", out / "CNAME", out / "about.html", out / "covers" / "extra.jpg"]
    before = {k: v for k, v in listing(out, beside).items()
              if any(k.startswith(str(m)) for m in mine) or k.startswith(str(beside))}
    index = (out / "index.html").stat().st_mtime_ns
    time.sleep(0.01)
    code, _, err = run(capsys, "site", issues, "-o", out, "--no-build", "-q")
    assert code == 0, err
    after = listing(out, beside)
    assert {k: after.get(k) for k in before} == before
    assert (out / "index.html").stat().st_mtime_ns != index  # its own files are rewritten
    assert "index.html" in (out / LEDGER).read_text() and "CNAME" not in (out / LEDGER).read_text()


def test_site_into_a_fresh_pages_repository(issues, tmp_path, capsys):
    out = tmp_path / "site"
    (out / ".git").mkdir(parents=True)
    (out / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (out / "CNAME").write_text("news.example.org\n")
    before = listing(out / ".git", out / "CNAME")
    code, _, err = run(capsys, "site", issues, "-o", out, "--no-build", "-q")
    assert code == 0, err
    assert (out / "index.html").is_file() and listing(out / ".git", out / "CNAME") == before


def test_site_written_before_the_ledger_is_replaced_but_added_files_stay(issues, tmp_path,
                                                                         capsys):
    out = tmp_path / "site"
    assert run(capsys, "site", issues, "-o", out, "--no-build", "-q")[0] == 0
    (out / LEDGER).unlink()  # as an earlier version left it: the marker only
    (out / "pdf" / "gone.pdf").write_bytes(b"an issue no longer in the archive")
    (out / "CNAME").write_text("news.example.org\n")
    code, _, err = run(capsys, "site", issues, "-o", out, "--no-build", "-q")
    assert code == 0, err
    # Only what it now writes is replaced: with no list, nothing else is known to be its.
    assert (out / "pdf" / "gone.pdf").is_file() and (out / "CNAME").is_file()
    assert "pdf/one.pdf" in (out / LEDGER).read_text()


def test_site_does_not_replace_a_page_the_user_changed(issues, tmp_path, capsys):
    out = tmp_path / "site"
    assert run(capsys, "site", issues, "-o", out, "--no-build", "-q")[0] == 0
    (out / "index.html").write_text("<p>my own edit</p>\n")
    refused(capsys, [out, issues], "site", issues, "-o", out, "--no-build", "-q",
            culprit="index.html:1: this file was not written by compositor site")


def test_site_removes_only_its_own_pages_of_an_issue_that_went(issues, tmp_path, capsys):
    out = tmp_path / "site"
    shutil.copytree(issues / "one", issues / "two")
    (issues / "two" / "build" / "one-web.pdf").rename(issues / "two" / "build" / "two-web.pdf")
    assert run(capsys, "site", issues, "-o", out, "--no-build", "-q")[0] == 0
    shutil.rmtree(issues / "two")
    (out / "two-notes.html").write_text("mine\n")
    assert run(capsys, "site", issues, "-o", out, "--no-build", "-q")[0] == 0
    assert not (out / "two.html").exists() and not (out / "pdf" / "two.pdf").exists()
    assert (out / "two-notes.html").read_text() == "mine\n"


def test_site_into_the_current_folder_of_other_files(issues, tmp_path, capsys, monkeypatch):
    here = tmp_path / "work"
    here.mkdir()
    (here / "notes.txt").write_text("mine\n")
    monkeypatch.chdir(here)
    refused(capsys, [here, issues], "site", issues, "-o", ".", "--no-build",
            culprit="was not written by `compositor site`")


def test_site_into_a_symlink(issues, tmp_path, capsys):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "site"
    link.symlink_to(real)
    err = refused(capsys, [tmp_path], "site", issues, "-o", link, "--no-build",
                  culprit="is a symbolic link")
    assert "site:1:" in err


def test_site_inside_an_issue_folder(issues, tmp_path, capsys):
    refused(capsys, [tmp_path], "site", issues, "-o", issues / "one" / "web", "--no-build",
            culprit="-o is inside an issue folder")


def test_an_issue_folder_named_index(issues, tmp_path, capsys):
    (issues / "one").rename(issues / "index")  # not built as 'index': refused before
    refused(capsys, [tmp_path], "site", issues, "-o", tmp_path / "site",
            culprit="index/issue.yaml:1: an issue folder named 'index'")


@pytest.mark.parametrize("size, culprit", [((595, 14000), "210 × 4939 mm, too tall"),
                                           ((14000, 10), "4939 × 4 mm, too wide")])
def test_a_very_tall_or_wide_web_pdf_page(issues, tmp_path, capsys, size, culprit):
    pdf = issues / "one" / "build" / "one-web.pdf"
    blank_pdf(pdf, [size])
    refused(capsys, [tmp_path], "site", issues, "-o", tmp_path / "site", "--no-build",
            culprit=f"one-web.pdf:1: page 1 is {culprit} to show as a cover")


def test_site_never_writes_over_an_input_in_its_folder(issues, tmp_path, capsys):
    out = tmp_path / "site"
    assert run(capsys, "site", issues, "-o", out, "--no-build", "-q")[0] == 0
    # The issue now uses the cover site wrote as its logo: an input at an output path.
    pub = issues / "one" / "issue.yaml"
    pub.write_text(pub.read_text().replace("publication:\n",
                                           f"publication:\n  logo: {out}/covers/one.jpg\n", 1))
    assert f"logo: {out}" in pub.read_text()
    # Refused before the issue, changed since its PDF, is built again.
    refused(capsys, [out, issues], "site", issues, "-o", out, "-q",
            culprit="covers/one.jpg:1: this file is read by an issue and is one that "
                    "`compositor site` writes")


@pytest.mark.parametrize("again", [False, True])
def test_site_on_a_full_disk(issues, tmp_path, capsys, monkeypatch, again):
    out = tmp_path / "site"
    if again:
        assert run(capsys, "site", issues, "-o", out, "--no-build", "-q")[0] == 0
    no_space(monkeypatch)
    refused(capsys, [tmp_path], "site", issues, "-o", out, "--no-build", "-q",
            culprit="No space left on device")
    assert out.exists() == again  # a folder made for the site goes again


# -- diff and preview --------------------------------------------------------------------------

def test_diff_keeps_the_users_page_pictures(tmp_path, capsys):
    old = blank_pdf(tmp_path / "old.pdf", [(200, 200)] * 3)
    new = blank_pdf(tmp_path / "new.pdf", [(200, 200), (200, 300), (200, 200)])
    kept = tmp_path / "kept"
    kept.mkdir()
    for n in range(1, 124):
        Image.new("RGB", (4, 4), (n, 0, 0)).save(kept / f"page-{n:03d}.png")
    refused(capsys, [tmp_path], "diff", old, new, "-o", kept,
            culprit="page-001.png:1: this file was not written by compositor diff")


def test_diff_replaces_only_its_own_pictures(tmp_path, capsys):
    old = blank_pdf(tmp_path / "old.pdf", [(200, 200)] * 3)
    new = blank_pdf(tmp_path / "new.pdf", [(200, 200), (200, 300), (200, 200)])
    out = tmp_path / "d"
    assert run(capsys, "diff", old, new, "-o", out)[0] == 0
    assert (out / "page-002.png").is_file()
    (out / "notes.png").write_bytes(b"mine")
    assert run(capsys, "diff", old, old, "-o", out)[0] == 0
    assert sorted(p.name for p in out.iterdir()) == ["notes.png"]


def test_preview_keeps_files_of_its_naming_it_did_not_write(tmp_path, capsys):
    pdf = blank_pdf(tmp_path / "doc.pdf", [(200, 200)] * 2)
    out = tmp_path / "p"
    out.mkdir()
    (out / "doc-page-07.png").write_bytes(b"mine, from another tool")
    code, _, err = run(capsys, "preview", pdf, "-o", out)
    assert code == 0, err
    assert (out / "doc-page-07.png").read_bytes() == b"mine, from another tool"
    (out / "doc-page-01.png").write_bytes(b"mine now")
    refused(capsys, [tmp_path], "preview", pdf, "-o", out,
            culprit="doc-page-01.png:1: this file was not written by compositor preview")


@pytest.mark.parametrize("command", ["preview", "diff"])
def test_a_huge_page_is_refused_before_rendering(tmp_path, capsys, command):
    pdf = blank_pdf(tmp_path / "huge.pdf", [(200, 200), (14400, 14400)])
    argv = [command, pdf] if command == "preview" else [command, pdf, pdf]
    err = refused(capsys, [tmp_path], *argv, "-o", tmp_path / "out",
                  culprit="huge.pdf:1: page 2 is 5080 × 5080 mm: at")
    assert "use --dpi" in err


def test_preview_of_an_issue_with_a_huge_page_size(tmp_path, capsys):
    manifest = write_issue(tmp_path / "poster", articles=1, sentences=5, boxes=False,
                           photo=False)
    (tmp_path / "poster" / "lay.yaml").write_text("page:\n  size: [1700mm, 1700mm]\n")
    manifest.write_text(manifest.read_text().replace("language: en\n",
                                                     "language: en\nlayout: lay.yaml\n"))
    err = refused(capsys, [tmp_path], "preview", manifest,
                  culprit="page 1 is 1700 × 1700 mm: at 110 dpi that is 54 million pixels")
    assert "use --dpi 94 or less" in err


def test_preview_sheet_beyond_the_budget(tmp_path, capsys):
    # The sheet shows pages at half --dpi: 3000 pages of 400 pt are 357 million pixels.
    pdf = blank_pdf(tmp_path / "long.pdf", [(400, 400)] * 3000)
    refused(capsys, [tmp_path], "preview", pdf, "--sheet", "--pages", "1", "-o",
            tmp_path / "out", culprit="a contact sheet of 3000 pages")


def test_diff_of_many_pages_keeps_memory_flat(tmp_path):
    """Pages are rendered two at a time: both sets of 800 pages at 600 dpi held at once
    would take 1.7 GB; one pair is two megabytes."""
    old = blank_pdf(tmp_path / "old.pdf", [(72, 72)] * 800)
    new = blank_pdf(tmp_path / "new.pdf", [(72, 72)] * 800)
    # The peak of this process's own memory (VmHWM starts afresh at exec; ru_maxrss
    # would carry over the test runner's peak).
    script = ("import re; from compositor.cli import main; "
              f"code = main(['diff', {str(old)!r}, {str(new)!r}, '--dpi', '600']); "
              "peak = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()); "
              "print(code, peak.group(1))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)
    assert "Traceback" not in done.stderr, done.stderr
    code, peak_kb = done.stdout.splitlines()[-1].split()
    assert code == "0" and int(peak_kb) < 400_000, peak_kb


# -- schema -o ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name, culprit", [
    ("package.json", "package.json:1: already exists"),
    ("photo.jpg", "photo.jpg:1: a schema is written to a .json file"),
])
def test_schema_never_overwrites_a_foreign_file(tmp_path, capsys, name, culprit):
    (tmp_path / name).write_bytes(b'{"name": "app"}\n')
    refused(capsys, [tmp_path], "schema", "manifest", "-o", tmp_path / name, culprit=culprit)


def test_schema_through_a_json_symlink_to_the_manifest(tmp_path, capsys):
    (tmp_path / "issue.yaml").write_text("date: x\n")
    (tmp_path / "schema.json").symlink_to(tmp_path / "issue.yaml")
    refused(capsys, [tmp_path], "schema", "manifest", "-o", tmp_path / "schema.json",
            culprit="schema.json:1: refusing to write the schema through a symbolic link")


def test_schema_to_a_fifo_does_not_block(tmp_path, capsys):
    os.mkfifo(tmp_path / "s.json")
    refused(capsys, [tmp_path], "schema", "layout", "-o", tmp_path / "s.json",
            culprit="s.json:1: cannot write the schema here")


def test_schema_replaces_an_earlier_schema_and_survives_a_full_disk(tmp_path, capsys,
                                                                    monkeypatch):
    target = tmp_path / "layout.schema.json"
    assert run(capsys, "schema", "layout", "-o", target)[0] == 0
    target.write_text('{"$schema": "x", "title": "compositor layout"}\n')
    assert run(capsys, "schema", "layout", "-o", tmp_path)[0] == 0
    assert len(target.read_text()) > 1000
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~_umask()
    no_space(monkeypatch)
    refused(capsys, [tmp_path], "schema", "manifest", "-o", tmp_path / "m.json",
            culprit="m.json:1: cannot write here: No space left on device")


# -- new -------------------------------------------------------------------------------------

def test_new_does_not_follow_a_dangling_symlink(tmp_path, capsys):
    folder, outside = tmp_path / "news", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    (folder / "publication.yaml").symlink_to(outside / "stolen.yaml")
    refused(capsys, [tmp_path], "new", folder, culprit="publication.yaml:1: already exists")
    assert not (outside / "stolen.yaml").exists()


def test_new_into_a_dangling_symlink(tmp_path, capsys):
    (tmp_path / "news").symlink_to(tmp_path / "elsewhere" / "news")
    refused(capsys, [tmp_path], "new", tmp_path / "news",
            culprit="is a symbolic link to")
    assert not (tmp_path / "elsewhere").exists()


def test_new_does_not_write_through_a_linked_folder(tmp_path, capsys):
    folder, outside = tmp_path / "news", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    (folder / "articles").symlink_to(outside)
    refused(capsys, [tmp_path], "new", folder, culprit="leads out of")


def test_new_does_not_overwrite_a_build_pdf(tmp_path, capsys):
    folder = tmp_path / "news"
    (folder / "build").mkdir(parents=True)
    (folder / "build" / "news-print.pdf").write_bytes(b"%PDF- the printer's copy")
    refused(capsys, [tmp_path], "new", folder, culprit="news-print.pdf:1: already exists")


# -- import (its writes) -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def web(tmp_path_factory):
    from websrv import serve_fixture_site
    site = serve_fixture_site(tmp_path_factory.mktemp("r3web"))
    yield site
    site.close()


def test_import_keeps_the_users_photo_of_the_same_name(web, tmp_path, capsys):
    issue = tmp_path / "issue"
    (issue / "images").mkdir(parents=True)
    mine = issue / "images" / "midsummer-supper.jpg"
    mine.write_bytes(b"my own photo")
    before = listing(mine)
    code, _, err = run(capsys, "import", web.url("feed.rss"), "--into", issue, "--limit", "1")
    assert code == 0, err
    assert "midsummer-supper.jpg:1: warning: was not written by import and is kept" in err
    assert listing(mine) == before
    assert (issue / "images" / "midsummer-supper-2.jpg").is_file()
    assert "../images/midsummer-supper-2.jpg" in \
        (issue / "articles" / "midsummer-supper.md").read_text()
    # The photo it wrote is its own: a second import replaces it in place.
    code, _, err = run(capsys, "import", web.url("feed.rss"), "--into", issue, "--limit", "1")
    assert code == 0 and not (issue / "images" / "midsummer-supper-3.jpg").exists()


def test_import_updates_a_linked_manifest_through_the_link(web, tmp_path, capsys):
    issue, shared = tmp_path / "issue", tmp_path / "shared"
    issue.mkdir()
    shared.mkdir()
    (shared / "issue.yaml").write_text("publication: {name: Sprout}\ndate: June 2024\n"
                                       "articles:\n")
    (issue / "issue.yaml").symlink_to(shared / "issue.yaml")
    code, _, err = run(capsys, "import", web.url("feed.rss"), "--into", issue, "--limit", "1")
    assert code == 0, err
    assert (issue / "issue.yaml").is_symlink()
    assert "articles/midsummer-supper.md" in (shared / "issue.yaml").read_text()
    for p in [shared / "issue.yaml", *issue.rglob("*.md"), *issue.rglob("*.jpg")]:
        assert stat.S_IMODE(p.stat().st_mode) == 0o666 & ~_umask(), p


@pytest.mark.parametrize("blocked", ["articles", "images"])
def test_import_where_a_folder_is_a_file(web, tmp_path, capsys, blocked):
    issue = tmp_path / "issue"
    issue.mkdir()
    (issue / blocked).write_text("not a folder\n")
    refused(capsys, [tmp_path], "import", web.url("feed.rss"), "--into", issue, "--limit", "1",
            culprit=f"{blocked} is not a folder")


@pytest.mark.parametrize("where", ["issue.yaml", "articles/midsummer-supper.md"])
def test_import_beside_a_fifo_does_not_block(web, tmp_path, capsys, where):
    issue = tmp_path / "issue"
    (issue / "articles").mkdir(parents=True)
    os.mkfifo(issue / where)
    if where == "issue.yaml":
        refused(capsys, [tmp_path], "import", web.url("feed.rss"), "--into", issue,
                "--limit", "1", culprit="issue.yaml:1: cannot write the issue.yaml here")
        return
    before = listing(issue / "articles")
    code, _, err = run(capsys, "import", web.url("feed.rss"), "--into", issue, "--limit", "1")
    assert code == 0, err
    assert listing(issue / "articles" / "midsummer-supper.md") == \
        {k: v for k, v in before.items() if k.endswith("supper.md")}
    assert (issue / "articles" / "midsummer-supper-2.md").is_file()


def test_import_into_proc(web, tmp_path, capsys):
    code, _, err = run(capsys, "import", web.url("feed.rss"), "--into", "/proc", "--limit", "1")
    assert code == 1 and "cannot make the folder /proc/" in err, err


def test_import_on_a_full_disk(web, tmp_path, capsys, monkeypatch):
    issue = tmp_path / "issue"
    assert run(capsys, "import", web.url("feed.rss"), "--into", issue, "--limit", "1")[0] == 0
    no_space(monkeypatch)
    refused(capsys, [tmp_path], "import", web.url("feed.rss"), "--into", issue, "--limit", "3",
            culprit="No space left on device")


# -- preview on a full disk ---------------------------------------------------------------------

def test_preview_on_a_full_disk(tmp_path, capsys, monkeypatch):
    pdf = blank_pdf(tmp_path / "doc.pdf", [(200, 200)] * 2)
    assert run(capsys, "preview", pdf, "-o", tmp_path / "p")[0] == 0
    no_space(monkeypatch)
    refused(capsys, [tmp_path], "preview", pdf, "-o", tmp_path / "p", "--dpi", "50",
            culprit="No space left on device")


# -- watch -------------------------------------------------------------------------------------

def _watch_until(manifest: Path, needle: str, timeout: float = 60) -> str:
    """Run `compositor watch` until ``needle`` shows in its output, then SIGTERM it."""
    proc = subprocess.Popen([sys.executable, "-m", "compositor", "watch", str(manifest),
                             "--port", "0"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    seen = []
    deadline = time.monotonic() + timeout
    try:
        os.set_blocking(proc.stdout.fileno(), False)
        while time.monotonic() < deadline and not any(needle in line for line in seen):
            line = proc.stdout.readline()
            if line:
                seen.append(line)
            else:
                time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGTERM)
        rest = proc.communicate(timeout=30)[0]
    return "".join(seen) + (rest or "")


def test_watch_does_not_replace_a_fifo_at_its_output(built, tmp_path):
    folder = tmp_path / "one"
    shutil.copytree(built / "one", folder)
    shutil.rmtree(folder / "build")
    (folder / "build").mkdir()
    for v in ("print", "web"):
        os.mkfifo(folder / "build" / f"one-{v}.pdf")
    before = listing(folder)
    said = _watch_until(folder / "issue.yaml", "only regular files are replaced")
    assert "one-web.pdf:1: cannot write the web PDF here" in said, said
    assert "named pipe" in said and "PDF written" not in said and "Traceback" not in said
    assert listing(folder) == before


def test_watch_never_writes_over_an_input_at_its_output(built, tmp_path):
    folder = tmp_path / "one"
    shutil.copytree(built / "one", folder)
    # The layout is kept where the print PDF goes.
    layout = folder / "build" / "one-print.pdf"
    layout.write_text("extends: default\npage:\n  columns: 2\n")
    manifest = folder / "issue.yaml"
    manifest.write_text(manifest.read_text().replace("language: en\n",
                                                     "language: en\nlayout: build/one-print.pdf\n"))
    before = {k: v for k, v in listing(folder).items() if not k.endswith("one-web.pdf")}
    said = _watch_until(manifest, "is one of the issue's inputs")
    assert "one-print.pdf:1: refusing to write the print PDF here" in said, said
    assert "Traceback" not in said
    after = {k: v for k, v in listing(folder).items() if not k.endswith("one-web.pdf")}
    assert after == before


# -- SIGTERM during build ------------------------------------------------------------------------

def test_sigterm_during_build_leaves_no_temporary_files(tmp_path):
    manifest = write_issue(tmp_path / "big", articles=6, sentences=60, photo=True)
    build = manifest.parent / "build"
    proc = subprocess.Popen([sys.executable, "-m", "compositor", "build", str(manifest), "-q"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if build.is_dir() and any(p.name.endswith(".tmp") for p in build.iterdir()):
            break
        time.sleep(0.002)
    assert proc.poll() is None, "the build ended before a temporary file was seen"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0 and "Traceback" not in err, err
    assert "interrupted; nothing was written" in err
    left = sorted(build.iterdir()) if build.is_dir() else []
    assert not [p.name for p in left if p.name.startswith(".")], left  # no temporary file
    # Almost always nothing is left; a signal in the instant after the renames leaves the
    # finished PDFs, never a part of one.
    assert all(p.read_bytes().rstrip().endswith(b"%%EOF") for p in left), left


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
