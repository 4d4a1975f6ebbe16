"""What a command may write, and writing it all or nothing: the one rule every command
that writes follows (README, "Safety").

- A file is written where nothing is, over a file the command owns, or (``build``,
  ``watch`` and ``import``'s own articles and manifest) over the regular file the user
  named or the command manages. A command owns a file it wrote itself that nobody has
  changed since: the ledger ``.compositor-written.json`` in the folder it writes into
  records each such file with a digest of its bytes.
- Never over an input (symlinks resolved), a folder, a named pipe, a device or a socket,
  and never through a symbolic link it did not make (except to update a file the user
  keeps behind one, such as a linked issue.yaml).
- Nothing is deleted that the command did not write.
- Every file goes to a temporary name beside its target first, and all are renamed into
  place together once every one is complete; a failure (a full disk, SIGTERM) puts back
  what was replaced and removes the temporary files, so the disk is as it was.

Messages name the file, say what is wrong and what to do; every problem here is the
user's to fix (exit status 1).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import os
import signal
import stat
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from compositor.errors import Location, UserError

LEDGER = ".compositor-written.json"
CHUNK = 1 << 20


class Terminated(KeyboardInterrupt):
    """SIGTERM while files were being written: unwinds like Ctrl-C so that every
    ``finally`` removes the temporary files it made."""


# -- refusing a target ------------------------------------------------------------------

def refuse(path: Path, message: str) -> UserError:
    return UserError.at(Location(path), message)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_targets(targets: dict[str, Path], inputs: Iterable[str]) -> dict[str, Path]:
    """The outputs of one build (or of watch's rebuild), all checked before anything is
    written; each one's real path. ``targets`` maps what a file is ("print PDF",
    "report") to the path the user named (or the default one): it may replace a regular
    file there (through a symlink too), never an input, a folder, a pipe or a device, and
    two outputs may not be one file. Every problem is reported at once."""
    tx = Transaction("build", inputs=inputs, inputs_are="the issue's inputs")
    problems = []
    real: dict[str, Path] = {}
    for what, path in targets.items():
        try:
            real[what] = tx.check(path, what, replace="any")
        except UserError as exc:
            problems.extend(exc.diagnostics)
            continue
        tx.targets[str(real[what])] = (Path(path), what)
    if problems:
        raise UserError(problems)
    return real


def check_parent(path: Path) -> None:
    """The nearest existing folder above ``path`` must be a folder we may write in."""
    parent = Path(os.path.abspath(path)).parent
    existing = next((p for p in (parent, *parent.parents) if os.path.lexists(p)), None)
    if existing is None:
        return
    if not os.path.isdir(existing):
        raise refuse(path, f"cannot write here: {existing} is not a folder; move that file "
                           "away or choose another output")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise refuse(path, f"cannot write here: no permission to write in {existing}")


def file_state(path: Path) -> os.stat_result | None:
    """lstat of ``path``; None when nothing is there; a path through a file or a symlink
    loop is the user's to fix."""
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ENOTDIR:
            check_parent(path)
        raise refuse(path, f"cannot write here: {exc.strerror}") from None


def digest(path: Path) -> str | None:
    """sha256 of a regular file's bytes (not through a symlink); None for anything else."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        h = hashlib.sha256()
        with open(path, "rb") as f:
            while block := f.read(CHUNK):
                h.update(block)
        return h.hexdigest()
    except OSError:
        return None


# -- the ledger -----------------------------------------------------------------------------

class Ledger:
    """The files a command wrote into ``folder`` (paths relative to it), each with the
    sha256 of what it wrote. A missing or unreadable ledger owns nothing: the safe side."""

    def __init__(self, folder: Path, legacy: Callable[[str], bool] | None = None):
        self.folder = Path(os.path.realpath(folder))
        self.path = self.folder / LEDGER
        self.files: dict[str, dict[str, str]] = self._read()
        self.found = os.path.lexists(self.path)
        # Folders written before ledgers existed: what the command's naming matches.
        self.legacy = legacy if not self.found else None

    def _read(self) -> dict[str, dict[str, str]]:
        try:
            if not stat.S_ISREG(os.lstat(self.path).st_mode):
                return {}
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        files = data.get("files") if isinstance(data, dict) else None
        if not isinstance(files, dict):
            return {}
        return {k: v for k, v in files.items() if isinstance(k, str) and isinstance(v, dict)}

    def key(self, path: Path) -> str | None:
        real = os.path.join(os.path.realpath(Path(path).parent), Path(path).name)
        rel = os.path.relpath(real, self.folder)
        return None if rel.startswith("..") else Path(rel).as_posix()

    def owns(self, path: Path, command: str) -> bool:
        key = self.key(path)
        if key is None:
            return False
        entry = self.files.get(key)
        if entry is None:
            return bool(self.legacy and self.legacy(key)) and digest(path) is not None
        return entry.get("by") == command and digest(path) == entry.get("sha256")

    def mine(self, command: str) -> list[Path]:
        return [self.folder / k for k, v in sorted(self.files.items()) if v.get("by") == command]

    def text(self) -> bytes:
        return (json.dumps({"note": "files written by compositor; each is replaced or removed "
                                    "by the command that wrote it only while its bytes are "
                                    "unchanged. Delete this file to keep them all.",
                            "files": dict(sorted(self.files.items()))},
                           indent=1, ensure_ascii=False) + "\n").encode("utf-8")


# -- the transaction ------------------------------------------------------------------------

class Transaction:
    """Files to write and remove, staged under temporary names and published together.

    ``command`` names the owner in the ledger; ``home`` is the folder whose ledger says
    what the command owns (None: the command keeps no ledger); ``inputs`` are files that
    must never be written over. Use as a context manager: leaving it by an exception
    removes everything staged, and SIGTERM in the main thread unwinds as Ctrl-C does."""

    def __init__(self, command: str, home: Path | None = None, inputs: Iterable = (),
                 legacy: Callable[[str], bool] | None = None, inputs_are: str = "the inputs"):
        self.command = command
        self.inputs_are = inputs_are
        self.ledger = Ledger(home, legacy) if home is not None else None
        self.read: set[str] = set()
        for p in inputs:
            self.read.add(os.path.abspath(p))
            self.read.add(os.path.realpath(p))
        self.staged: list[tuple[Path, Path]] = []  # temporary file, real target
        self.targets: dict[str, tuple[Path, str]] = {}  # real target -> as named, what
        self.removals: list[Path] = []
        self.folders: list[Path] = []  # folders made for the files, removed on failure
        self.recorded: dict[str, str] = {}  # ledger key -> sha256 written
        self._guard = contextlib.ExitStack()

    def __enter__(self) -> Transaction:
        self._guard.enter_context(terminating_cleanly())
        return self

    def __exit__(self, kind, value, tb) -> None:
        try:
            self.discard()  # after a failure; after commit() nothing is left to remove
        finally:
            self._guard.close()

    # -- checks --------------------------------------------------------------------------
    def check(self, path: Path, what: str = "file", replace: str = "ours") -> Path:
        """The real path to write ``path`` at, or a UserError saying why not.

        ``replace``: "never" (only new files), "ours" (new files and those this command
        owns), "any" (also any regular file: the user named it, or the command manages
        it, and a symlink to one is written through)."""
        path = Path(path)
        real = os.path.realpath(path)
        if real in self.read or os.path.abspath(path) in self.read:
            raise refuse(path, f"refusing to write the {what} here: this file is one of "
                               f"{self.inputs_are}; choose another output path")
        st = file_state(path)
        if st is not None and stat.S_ISLNK(st.st_mode):
            if replace != "any":
                raise refuse(path, f"refusing to write the {what} through a symbolic link "
                                   f"(to {os.readlink(path)}); compositor writes only files "
                                   "it makes: remove the link or choose another output")
            try:
                st = os.stat(path)
            except FileNotFoundError:
                raise refuse(path, f"cannot write the {what} here: it is a symbolic link to "
                                   "a missing file; remove the link or choose another "
                                   "output") from None
            except OSError as exc:  # a loop, a path through a file, no permission
                raise refuse(path, f"cannot write the {what} here: {exc.strerror}") from None
        if st is not None and not stat.S_ISREG(st.st_mode):
            raise refuse(path, f"cannot write the {what} here: {path} is {_kind(st.st_mode)}; "
                               "only regular files are replaced")
        if st is not None and replace == "never":
            raise refuse(path, f"already exists; compositor {self.command} never writes over "
                               "a file: move it away or choose another output")
        if st is not None and replace == "ours" and not self.owns(path):
            raise refuse(path, f"this file was not written by compositor {self.command} (or "
                               "was changed since), so it is not replaced: move it away or "
                               "choose another output folder")
        check_parent(Path(real))
        if real in self.targets:
            raise refuse(path, f"the {what} and the {self.targets[real][1]} would be the same "
                               "file; choose different paths")
        return Path(real)

    def owns(self, path: Path) -> bool:
        return self.ledger is not None and self.ledger.owns(path, self.command)

    # -- staging -------------------------------------------------------------------------
    def write(self, path: Path, data: bytes, what: str = "file", replace: str = "ours",
              record: bool = True) -> Path:
        """Stage ``data`` for ``path``; returns the path as named."""
        return self._stage(path, what, replace, record, lambda fd: _write_all(fd, data))

    def copy(self, path: Path, source: Path, what: str = "file", replace: str = "ours"
             ) -> Path:
        """Stage a copy of ``source`` for ``path``, read a block at a time."""
        def pour(fd: int) -> None:
            with open(source, "rb") as f:
                while block := f.read(CHUNK):
                    _write_all(fd, block)
        return self._stage(path, what, replace, True, pour)

    def save_png(self, path: Path, image, what: str = "image") -> Path:
        buf = io.BytesIO()
        image.save(buf, "PNG", optimize=True)
        return self.write(path, buf.getvalue(), what)

    def remove(self, path: Path) -> bool:
        """Remove ``path`` with the rest, if this command owns it; True when it will."""
        if not self.owns(path):
            return False
        self.removals.append(Path(path))
        return True

    def _stage(self, path: Path, what: str, replace: str, record: bool,
               pour: Callable[[int], None]) -> Path:
        target = self.check(path, what, replace)
        for folder in missing_folders([target]):
            if folder not in self.folders:
                self.folders.append(folder)
        tmp = _temporary(target, pour)
        self.staged.append((tmp, target))
        self.targets[str(target)] = (Path(path), what)
        if record and self.ledger is not None and (key := self.ledger.key(target)):
            self.recorded[key] = digest(tmp) or ""
        return Path(path)

    # -- publishing ----------------------------------------------------------------------
    def commit(self) -> None:
        """Rename everything into place and remove what goes, or change nothing."""
        self._stage_ledger()
        staged, self.staged = self.staged, []
        try:
            commit(staged, self.removals)
        except UserError:
            self.discard()
            raise
        self.folders = []

    def _stage_ledger(self) -> None:
        ledger = self.ledger
        if ledger is None or (not self.recorded and not self.removals):
            return
        for path in self.removals:
            ledger.files.pop(ledger.key(path) or "", None)
        for key in [k for k in ledger.files if not os.path.lexists(ledger.folder / k)]:
            del ledger.files[key]  # deleted by hand since: nothing left to own
        for key, sha in self.recorded.items():
            ledger.files[key] = {"by": self.command, "sha256": sha}
        st = file_state(ledger.path)
        if st is not None and not stat.S_ISREG(st.st_mode):
            raise refuse(ledger.path, "compositor's list of the files it wrote here is not a "
                                      "regular file; remove it or choose another folder")
        if not ledger.files:
            if st is not None:
                self.removals.append(ledger.path)
            return
        tmp = _temporary(ledger.path, lambda fd: _write_all(fd, ledger.text()))
        self.staged.append((tmp, ledger.path))

    def discard(self) -> None:
        discard(self.staged, self.folders)
        self.staged, self.folders = [], []


# -- staging and publishing files ---------------------------------------------------------

def write_temporary(target: Path, data: bytes) -> Path:
    """``data`` in a new file beside ``target``, ready for commit()."""
    return _temporary(target, lambda fd: _write_all(fd, data))


def commit(staged: list[tuple[Path, Path]], removals: Iterable[Path] = ()) -> None:
    """Rename every (temporary, target) pair into place and remove ``removals``; on any
    failure put back what was replaced or removed, take away what was created, and raise
    a user error saying nothing changed. The temporary files are gone either way."""
    done: list[tuple[Path, Path | None]] = []  # placed or removed path, its backup
    current = Path(".")
    try:
        for tmp, target in staged:
            current = target
            backup = _backup(target) if os.path.lexists(target) else None
            os.replace(tmp, target)
            done.append((target, backup))
        for path in removals:
            current = path
            backup = _backup(path)
            os.unlink(path)
            done.append((path, backup))
    except BaseException as exc:  # a full disk, or SIGTERM between two renames
        for placed, backup in reversed(done):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, placed)
                else:
                    os.unlink(placed)
        if isinstance(exc, OSError):
            raise refuse(current, f"cannot write here: {exc.strerror}; no file was "
                                  "changed") from None
        raise
    finally:
        for _, backup in done:
            if backup is not None and os.path.lexists(backup):
                with contextlib.suppress(OSError):
                    os.unlink(backup)
        discard(staged)


def discard(staged: list[tuple[Path, Path]], folders: Iterable[Path] = ()) -> None:
    """Remove temporary files left behind, and ``folders`` made for them if still empty."""
    for tmp, _ in staged:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):
            folder.rmdir()


def missing_folders(targets: Iterable[Path]) -> list[Path]:
    """Folders that writing ``targets`` would create (removed again if the run fails)."""
    out: list[Path] = []
    for target in targets:
        for folder in (target.parent, *target.parent.parents):
            if os.path.lexists(folder):
                break
            if folder not in out:
                out.append(folder)
    return out


def _backup(target: Path) -> Path:
    """A second name for the file about to be replaced, so it can be put back."""
    import tempfile

    name = Path(tempfile.mktemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
    try:
        os.link(target, name)
    except OSError:  # file systems without hard links: keep a copy instead
        import shutil
        shutil.copy2(target, name)
    return name


def _mode_for(target: Path) -> int:
    """Keep the permissions of the file being replaced; new files get the usual ones."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _temporary(target: Path, pour: Callable[[int], None]) -> Path:
    """A new file beside ``target`` (same file system: the rename is atomic) filled by
    ``pour``, with the permissions the target has or would get under the umask."""
    import tempfile

    name = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise refuse(target, f"cannot make the folder {target.parent} ({exc.strerror}); "
                             "choose another place to write; no file was changed") from None
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                    dir=target.parent)
        try:
            pour(fd)
        finally:
            os.close(fd)
        os.chmod(name, _mode_for(target))
    except OSError as exc:
        if name:
            with contextlib.suppress(OSError):
                os.unlink(name)
        raise refuse(target, f"cannot write here: {exc.strerror}; no file was "
                             "changed") from None
    return Path(name)


# -- SIGTERM ---------------------------------------------------------------------------------

_depth = 0


@contextlib.contextmanager
def terminating_cleanly() -> Iterator[None]:
    """While files are staged, SIGTERM raises Terminated in the main thread so that the
    temporary files are removed on the way out; once is enough (a second SIGTERM during
    the clean-up is ignored, so the clean-up finishes)."""
    global _depth
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach the main thread only; its own guard (watch's) applies
        return
    if _depth:  # nested: the outer guard is in place
        _depth += 1
        try:
            yield
        finally:
            _depth -= 1
        return

    def stop(signum, frame):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, stop)
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        signal.signal(signal.SIGTERM, previous)


# -- pixels ----------------------------------------------------------------------------------

PAGE_PIXELS = 40_000_000  # one rendered page: 120 MB as RGB, four alive at most in diff


def check_page_pixels(where: Path, page: int, size_pt: tuple[float, float], dpi: float,
                      budget: int = PAGE_PIXELS) -> None:
    """Refuse before rendering a page that would not fit in the pixel budget."""
    w, h = (max(1.0, v) * dpi / 72.0 for v in size_pt)
    if w * h <= budget:
        return
    fits = int(dpi * (budget / (w * h)) ** 0.5)
    mm = " × ".join(f"{v / 72 * 25.4:.0f}" for v in size_pt)
    raise refuse(where, f"page {page} is {mm} mm: at {dpi:g} dpi that is "
                        f"{w * h / 1e6:.0f} million pixels, more than the "
                        f"{budget // 1_000_000} million one page may take; use --dpi "
                        f"{max(1, fits)} or less" + (" (or a normal page size)" if fits < 10
                                                     else ""))
