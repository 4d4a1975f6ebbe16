"""What the tool promises about files: it never writes over an input or over something
that is not a regular file, a failed build changes nothing on disk, and several outputs
are published all together or not at all. Each case runs the real CLI."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, make_photo, write_issue

from compositor.cli import main


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every regular file under ``folder`` with its bytes (FIFOs and devices skipped)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file() and not p.is_symlink():
            out[str(p.relative_to(folder))] = p.read_bytes()
    return out


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


@pytest.fixture(scope="module")
def issue(tmp_path_factory) -> Path:
    """A one-article issue with a photo, a logo, a publication file, a two-level layout
    chain and a font of its own: every kind of input there is."""
    folder = tmp_path_factory.mktemp("safety")
    write_issue(folder, articles=2, sentences=10, boxes=True, photo=True)
    shutil.copy(folder / "images" / "lead.jpg", folder / "images" / "logo.jpg")
    shutil.copy(ROOT / "compositor" / "fonts" / "NotoSans-Bold.ttf", folder / "Local-Bold.ttf")
    (folder / "base.yaml").write_text("page:\n  columns: 3\n", encoding="utf-8")
    (folder / "layout.yaml").write_text(
        "extends: base.yaml\nfonts:\n  sans:\n    bold: Local-Bold.ttf\n", encoding="utf-8")
    (folder / "pub.yaml").write_text(
        "name: Test Tide\nwebsite: https://tide.example.org\nlogo: images/logo.jpg\n",
        encoding="utf-8")
    manifest = folder / "issue.yaml"
    text = manifest.read_text(encoding="utf-8")
    head, _, rest = text.partition("volume:")
    manifest.write_text("publication: pub.yaml\nlayout: layout.yaml\nvolume:" + rest,
                        encoding="utf-8")
    return manifest


INPUTS = ["issue.yaml", "articles/a0.md", "boxes/about.md", "images/lead.jpg",
          "images/logo.jpg", "layout.yaml", "base.yaml", "Local-Bold.ttf", "pub.yaml"]


@pytest.mark.parametrize("name", INPUTS)
@pytest.mark.parametrize("option", ["-o", "--report"])
def test_output_never_replaces_an_input(issue, capsys, name, option):
    folder = issue.parent
    before = snapshot(folder)
    code, _, err = run(capsys, "build", issue, option, folder / name, "--no-preflight", "-q")
    assert code == 1, err
    assert "is one of the issue's inputs" in err
    assert name.split("/")[-1] in err
    assert snapshot(folder) == before


def test_output_through_a_symlink_to_an_input(issue, capsys, tmp_path):
    link = tmp_path / "innocent.pdf"
    link.symlink_to(issue.parent / "articles" / "a0.md")
    before = snapshot(issue.parent)
    code, _, err = run(capsys, "build", issue, "-o", link, "-q")
    assert code == 1 and "is one of the issue's inputs" in err
    assert snapshot(issue.parent) == before
    assert link.is_symlink()


@pytest.mark.parametrize("option", ["-o", "--report"])
def test_fifo_and_device_are_refused_without_blocking(issue, capsys, tmp_path, option):
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    code, _, err = run(capsys, "build", issue, option, fifo, "-q", "--no-preflight")
    assert code == 1 and "named pipe" in err and "only regular files are replaced" in err
    assert fifo.exists() and not fifo.is_file()
    code, _, err = run(capsys, "build", issue, option, "/dev/null", "-q", "--no-preflight")
    assert code == 1 and "a device" in err
    assert Path("/dev/null").is_char_device()


def test_report_path_that_is_a_folder(issue, capsys, tmp_path):
    out = tmp_path / "out.pdf"
    code, _, err = run(capsys, "build", issue, "-o", out, "--report", tmp_path, "-q")
    assert code == 1 and "is a folder" in err
    assert not out.exists()


def test_report_and_pdf_on_the_same_file(issue, capsys, tmp_path):
    out = tmp_path / "same.pdf"
    code, _, err = run(capsys, "build", issue, "-o", out, "--report", out, "-q")
    assert code == 1 and "would be the same file" in err
    assert list(tmp_path.iterdir()) == []


def test_one_unwritable_output_changes_no_file(issue, capsys, tmp_path):
    # out-print.pdf exists from an earlier build; out-web.pdf is a folder.
    (tmp_path / "out-print.pdf").write_bytes(b"earlier print PDF")
    (tmp_path / "out-web.pdf").mkdir()
    report = tmp_path / "report.json"
    before = snapshot(tmp_path)
    code, _, err = run(capsys, "build", issue, "-o", tmp_path / "out.pdf", "--variant", "all",
                       "--report", report, "-q")
    assert code == 1 and "out-web.pdf" in err and "is a folder" in err
    assert snapshot(tmp_path) == before and not report.exists()


def test_a_failed_rename_puts_back_what_was_replaced(issue, capsys, tmp_path, monkeypatch):
    # The file system fails on the third rename (the report): both PDFs written before
    # it must be restored to their earlier contents.
    (tmp_path / "out-print.pdf").write_bytes(b"earlier print PDF")
    (tmp_path / "out-web.pdf").write_bytes(b"earlier web PDF")
    before = snapshot(tmp_path)
    real_replace, calls = os.replace, []

    def flaky(src, dst):
        calls.append(dst)
        if str(dst).endswith("report.json"):
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    code, _, err = run(capsys, "build", issue, "-o", tmp_path / "out.pdf", "--variant", "all",
                       "--report", tmp_path / "report.json", "-q", "--no-preflight")
    assert code == 1 and "No space left on device" in err and "no file was changed" in err
    assert len(calls) >= 3
    assert snapshot(tmp_path) == before  # no temporary or backup file left either


def test_failed_build_writes_no_report(issue, capsys, tmp_path):
    # The lead photo is far too small for print: the build fails after layout, where
    # the report used to be written already.
    folder = tmp_path / "issue"
    shutil.copytree(issue.parent, folder)
    make_photo(folder / "images" / "lead.jpg", size=(90, 60))
    out = tmp_path / "out"
    code, _, err = run(capsys, "build", folder / "issue.yaml", "-o", out / "x.pdf",
                       "--variant", "print", "--report", out / "report.json", "-q")
    assert code == 1 and "lead.jpg prints at" in err, err
    assert not out.exists()  # not even the folder made for it


def test_successful_build_publishes_everything(issue, capsys, tmp_path):
    code, _, err = run(capsys, "build", issue, "-o", tmp_path / "out.pdf", "--variant", "all",
                       "--report", tmp_path / "r.json", "-q")
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out-print.pdf", "out-web.pdf",
                                                          "r.json"]
    assert (tmp_path / "out-web.pdf").stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
