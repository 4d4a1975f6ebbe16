"""A status line for long builds: the stage, and pages laid out of pages expected.

Drawn on stderr only when stderr is a terminal (and not with -q), redrawn at most ten
times a second, and erased before anything else is printed, so it never ends up in a
log or between two messages. Pipeline stages report through the module functions; when
no line is shown they cost a function call and a comparison.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

_INTERVAL = 0.1  # seconds between redraws


class StatusLine:
    def __init__(self, stream: TextIO):
        self.stream = stream
        self.stage = ""
        self.detail = ""
        self.shown = False
        self._last = 0.0

    def set(self, stage: str, detail: str = "", force: bool = False) -> None:
        self.stage, self.detail = stage, detail
        now = time.monotonic()
        if force or now - self._last >= _INTERVAL:
            self._last = now
            self._draw()

    def _draw(self) -> None:
        text = f"compositor: {self.stage}" + (f" — {self.detail}" if self.detail else "")
        try:
            self.stream.write("\r\x1b[2K" + text[:_width() - 1])
            self.stream.flush()
            self.shown = True
        except (OSError, ValueError):
            pass

    def clear(self) -> None:
        if self.shown:
            try:
                self.stream.write("\r\x1b[2K")
                self.stream.flush()
            except (OSError, ValueError):
                pass
            self.shown = False


def _width() -> int:
    import shutil

    return shutil.get_terminal_size((80, 24)).columns


_line: StatusLine | None = None


def start(quiet: bool = False, stream: TextIO | None = None) -> None:
    """Show progress from now on, if `stream` (stderr) is a terminal and not `quiet`."""
    global _line
    stream = stream or sys.stderr
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    _line = StatusLine(stream) if tty and not quiet else None


def stop() -> None:
    """Erase the line and show no more (also called in a forked worker)."""
    global _line
    if _line is not None:
        _line.clear()
    _line = None


def silence() -> None:
    """Show nothing from this process (a forked worker: the parent owns the line)."""
    global _line
    _line = None


def stage(name: str) -> None:
    if _line is not None:
        _line.set(name, force=True)


def expect(pages: int | None) -> None:
    """The page count is known (the issue is fitted to it)."""
    global _expected
    _expected = pages


_expected: int | None = None


def pages(done: int, expected: int | None, exact: bool = False) -> None:
    """Pages laid out so far, of how many are expected (an estimate unless `exact`)."""
    if _line is not None:
        if _expected:
            expected, exact = _expected, True
            done = min(done, expected)
        about = "" if exact else "~"
        of = f" of {about}{expected}" if expected else ""
        _line.set(_line.stage, f"{done} page{'s' if done != 1 else ''}{of}")


def clear() -> None:
    """Erase the line before something else is printed; the next update draws it again."""
    if _line is not None:
        _line.clear()
