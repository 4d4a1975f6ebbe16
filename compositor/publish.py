"""Writing outputs safely: never over an input or over something that is not a regular
file, and all or nothing when one build writes several files.

Every file is first written to a temporary name beside its target. Only when all of
them are complete are they renamed into place; if a rename fails, the files already
replaced are put back, so a failed build leaves the disk as it found it.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from compositor.errors import Diagnostic, Location, UserError


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
    """Validate every output before anything is written; return each one's real path.

    ``targets`` maps what a file is ("print PDF", "report") to the path the user asked
    for. Refused: a path that is (or links to) an input, two outputs that are the same
    file, and anything that exists but is not a regular file."""
    read = set(inputs)
    problems: list[Diagnostic] = []
    real: dict[str, Path] = {}
    owners: dict[str, str] = {}
    for what, path in targets.items():
        where = Location(path)
        resolved = os.path.realpath(path)
        if resolved in read or os.path.abspath(path) in read:
            problems.append(Diagnostic(where, f"refusing to write the {what} here: this file "
                                              "is one of the issue's inputs; choose another "
                                              "output path"))
            continue
        if resolved in owners:
            problems.append(Diagnostic(where, f"the {what} and the {owners[resolved]} would be "
                                              "the same file; choose different paths"))
            continue
        owners[resolved] = what
        try:
            mode = os.stat(resolved).st_mode
        except FileNotFoundError:
            mode = None
        except OSError as exc:  # a symlink loop, a path through a file, no permission
            problems.append(Diagnostic(where, f"cannot write the {what} here: {exc.strerror}"))
            continue
        if mode is not None and not stat.S_ISREG(mode):
            problems.append(Diagnostic(where, f"cannot write the {what} here: {path} is "
                                              f"{_kind(mode)}; only regular files are replaced"))
            continue
        parent = Path(resolved).parent
        existing = next((p for p in (parent, *parent.parents) if os.path.lexists(p)), None)
        if existing is not None and not existing.is_dir():
            problems.append(Diagnostic(where, f"cannot write the {what} here: {existing} is "
                                              "not a folder"))
            continue
        if existing is not None and not os.access(existing, os.W_OK | os.X_OK):
            problems.append(Diagnostic(where, f"cannot write the {what} here: no permission "
                                              f"to write in {existing}"))
            continue
        real[what] = Path(resolved)
    if problems:
        raise UserError(problems)
    return real


def write_temporary(target: Path, data: bytes) -> Path:
    """``data`` in a new file beside ``target`` (same file system, so the rename that
    publishes it is atomic), with the permissions the target has or would get."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(name, _mode_for(target))
    except OSError as exc:
        raise UserError.at(Location(target), f"cannot write here: {exc.strerror}") from None
    return Path(name)


def commit(staged: list[tuple[Path, Path]]) -> None:
    """Rename every (temporary, target) pair into place; on any failure put back what was
    replaced, remove what was created, and raise a user error saying nothing changed."""
    done: list[tuple[Path, Path | None]] = []
    try:
        for tmp, target in staged:
            backup = _backup(target) if os.path.lexists(target) else None
            os.replace(tmp, target)
            done.append((target, backup))
    except OSError as exc:
        for placed, backup in reversed(done):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, placed)
                else:
                    os.unlink(placed)
        raise UserError.at(Location(target), f"cannot write here: {exc.strerror}; "
                                             "no file was changed") from None
    finally:
        for _, backup in done:
            if backup is not None and os.path.lexists(backup):
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
    """Folders that writing ``targets`` would create (removed again if the build fails)."""
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
