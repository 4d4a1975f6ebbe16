"""What the files of the last build held, so that `watch` can tell a save that changed
nothing (an editor's "save all", a save without an edit) from one that did, and rebuild
only for the latter. A file is compared by a digest of its bytes; the digest is worked
out again only when the file's size, time or inode changed."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

# A file timestamp comes from a coarse clock, a few milliseconds behind the one a build
# reads: a file saved within this margin of a build's start may be newer than the build.
MTIME_MARGIN_NS = 100_000_000


def _stat_key(path: Path) -> tuple[int, int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ino)


class SavedContent:
    def __init__(self) -> None:
        self._digests: dict[Path, tuple[tuple[int, int, int], str]] = {}
        self.built: dict[Path, str | None] = {}  # what the last good build read
        self.used: set[Path] = set()  # every file it read (some too new to be recorded)

    def digest(self, path: Path) -> str | None:
        """A digest of the file's bytes (None: there is no such file)."""
        key = _stat_key(path)
        if key is None:
            self._digests.pop(path, None)
            return None
        known = self._digests.get(path)
        if known is not None and known[0] == key:
            return known[1]
        try:
            data = path.read_bytes()
        except OSError:
            return None
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        # Stat again: a file written while it was read must be read again next time.
        if _stat_key(path) == key:
            self._digests[path] = (key, digest)
        return digest

    def snapshot(self, paths: set[Path]) -> dict[Path, str | None]:
        """Digests of `paths`, taken before a build reads them."""
        return {p: self.digest(p) for p in paths}

    def record(self, before: dict[Path, str | None], used: set[Path],
               started_ns: int) -> None:
        """After a good build: the files it used, as they were when it read them. A file
        first used by this build was not in `before`; it is recorded only when it was
        last written well before the build began (otherwise its next save rebuilds)."""
        built = {p: d for p, d in before.items() if p in used}
        for p in used - built.keys():
            key = _stat_key(p)
            if key is not None and key[1] < started_ns - MTIME_MARGIN_NS:
                built[p] = self.digest(p)
        self.built = built
        self.used = set(used)

    def forget(self) -> None:
        """After a failed build nothing is known to be built."""
        self.built, self.used = {}, set()

    def unchanged(self, saved: set[Path]) -> bool:
        """Do the saved files, and every other file the last good build read, hold what
        it read? (A folder moved away and back, or a file deleted beside the one saved,
        is a change even when the saved file is not.)"""
        if not saved or not self.built or not self.used <= self.built.keys():
            return False
        for path in saved:
            if _absolute(path) not in self.built:
                return False
        return all(self.digest(path) == digest for path, digest in self.built.items())


def _absolute(path: Path) -> Path:
    return path.resolve() if path.exists() else path.absolute()


def now_ns() -> int:
    return time.time_ns()
