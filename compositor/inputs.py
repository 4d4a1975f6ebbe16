"""Every file a run reads, so that no output may ever be written over one of them.

Readers note each path as they open it (YAML, Markdown, images, fonts, ICC profiles);
the build compares its output paths with these by real path before it writes anything.
"""

from __future__ import annotations

import os
from pathlib import Path

_read: set[str] = set()


def note(path: Path | str) -> None:
    """Remember ``path`` as an input: as named and with every symlink resolved."""
    _read.add(os.path.abspath(path))
    _read.add(os.path.realpath(path))


def real_path(path: Path | str) -> Path:
    """``path`` with symlinks resolved; unlike Path.resolve() in Python 3.11 a symlink
    loop is left for the reader to report (as "too many levels of symbolic links")."""
    return Path(os.path.realpath(path))


def reset() -> None:
    _read.clear()


def read() -> frozenset[str]:
    return frozenset(_read)
