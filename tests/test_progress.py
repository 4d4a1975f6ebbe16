"""The status line of long builds: on a terminal only, never with -q or into a pipe."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys

import pytest
from conftest import write_issue

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
ERASE = b"\r\x1b[2K"


def on_terminal(*args: str) -> bytes:
    """Run compositor with stdout and stderr on a pseudo-terminal; all it printed."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "compositor", *args], stdin=slave,
                            stdout=slave, stderr=slave)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    assert proc.wait(timeout=300) == 0, out[-2000:]
    return out


def test_a_terminal_sees_the_stage_and_the_pages(tmp_path):
    manifest = write_issue(tmp_path / "issue", articles=6)
    out = on_terminal("build", str(manifest))
    assert ERASE + b"compositor: laying out" in out
    # Updates are throttled, so a quick build may show only its first page count.
    assert re.search(rb"\d+ pages? of ~\d+", out), out[:400]
    assert ERASE + b"compositor: rendering and checking print and web" in out
    # The line is erased before the report and the messages, which stay readable.
    report = out.index(b"article ")
    assert out[:report].endswith(ERASE)
    assert b"wrote " in out and b"compositor: " not in out[out.index(b"wrote "):]


def test_fitting_shows_the_target_page_count(tmp_path):
    manifest = write_issue(tmp_path / "issue", articles=6)
    out = on_terminal("build", str(manifest), "--pages", "4", "--variant", "print")
    assert b"compositor: fitting to 4 pages" in out and b"of 4" in out


def test_nothing_with_quiet_or_into_a_pipe(tmp_path):
    manifest = write_issue(tmp_path / "issue", articles=3)
    assert b"compositor:" not in on_terminal("build", str(manifest), "-q")
    piped = subprocess.run([sys.executable, "-m", "compositor", "build", str(manifest)],
                           capture_output=True, timeout=300)
    assert piped.returncode == 0
    assert b"\x1b" not in piped.stdout + piped.stderr
    assert b"compositor:" not in piped.stderr
