"""Preflight on small crafted PDFs costs bounded time and memory: it reports what it
could not check instead of looping, swapping or crashing. Each case runs the real CLI
in a subprocess under an address-space limit, so a runaway would die, not pass."""

from __future__ import annotations

import subprocess
import sys
import zlib
from pathlib import Path

import pikepdf
import pytest

LIMIT_BYTES = 1536 * 1024 * 1024  # generous: the bombs below would need many gigabytes
TIMEOUT_S = 120


def run_preflight(path: Path, profile: str = "print") -> subprocess.CompletedProcess:
    code = (
        "import resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({LIMIT_BYTES}, {LIMIT_BYTES}))\n"
        "from compositor.cli import main\n"
        f"sys.exit(main(['preflight', {str(path)!r}, '--profile', {profile!r}]))\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=TIMEOUT_S)


def _page(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    pdf.add_blank_page(page_size=(200, 200))
    return pdf.pages[-1].obj


def _flate(pdf: pikepdf.Pdf, data: bytes) -> pikepdf.Stream:
    stream = pdf.make_stream(zlib.compress(data, 9))
    stream.Filter = pikepdf.Name.FlateDecode
    return stream


def _assert_clean(proc: subprocess.CompletedProcess, needle: str) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "MemoryError" not in proc.stderr + proc.stdout
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert needle in proc.stdout, proc.stdout


def test_content_stream_of_millions_of_operators(tmp_path: Path) -> None:
    # 60 KB compressed, 64 million operators once parsed (about 18 GB in pikepdf).
    pdf = pikepdf.new()
    _page(pdf).Contents = _flate(pdf, b"q Q\n" * 16_000_000)
    path = tmp_path / "ops.pdf"
    pdf.save(path)
    assert path.stat().st_size < 200_000
    _assert_clean(run_preflight(path), "page is too large to check")


def test_flate_bomb_is_not_inflated(tmp_path: Path) -> None:
    # About 1 MB of zlib data that inflates to a gigabyte of spaces.
    inflater = zlib.compressobj(9)
    raw = b"".join(inflater.compress(b" " * (1 << 20)) for _ in range(1024)) + inflater.flush()
    pdf = pikepdf.new()
    stream = pdf.make_stream(raw)
    stream.Filter = pikepdf.Name.FlateDecode
    _page(pdf).Contents = stream
    path = tmp_path / "bomb.pdf"
    pdf.save(path)
    _assert_clean(run_preflight(path), "inflates to more than")


def test_forms_drawn_over_and_over(tmp_path: Path) -> None:
    # Form k draws form k+1 forty times: 40**8 placements from a few hundred bytes.
    pdf = pikepdf.new()
    page = _page(pdf)
    forms = []
    for k in range(9):
        body = b"0 0 1 rg 0 0 1 1 re f" if k == 8 else b"/F Do " * 40
        form = pdf.make_stream(body)
        form.Type, form.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
        form.BBox = [0, 0, 1, 1]
        forms.append(form)
    for k in range(8):
        forms[k].Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(F=forms[k + 1]))
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(F=forms[0]))
    page.Contents = pdf.make_stream(b"/F Do")
    path = tmp_path / "forms.pdf"
    pdf.save(path)
    _assert_clean(run_preflight(path), "operators to interpret")


@pytest.mark.parametrize("shape", ["array", "element"])
def test_structure_tree_that_contains_itself(tmp_path: Path, shape: str) -> None:
    pdf = pikepdf.new()
    page = _page(pdf)
    page.Contents = pdf.make_stream(b"")
    kids = pdf.make_indirect(pikepdf.Array())
    elem = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem,
                                                S=pikepdf.Name.P, Pg=page))
    if shape == "array":
        kids.append(kids)  # an array that holds itself
        kids.append(elem)
        elem.K = kids
    else:
        elem.K = elem
        kids.append(elem)
    pdf.Root.StructTreeRoot = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot, K=kids))
    path = tmp_path / "loop.pdf"
    pdf.save(path)
    proc = run_preflight(path, "web")
    _assert_clean(proc, "not linearized")  # the ordinary findings, reached in bounded time
