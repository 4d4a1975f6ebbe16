"""`compositor watch`: rebuild on every save of a file the issue uses, and show the result
in the browser. A burst of saves (an editor writing several files, "save all") becomes
one rebuild; a save during a rebuild starts another once it is done."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from compositor.designer.session import Session

SETTLE = 0.04  # seconds without a new save before a rebuild starts
CHECK_FOLDERS = 500  # ms between checks that the watched folders are still the same ones
IDLE_WRITE = 0.6  # seconds without a save before the PDF files are brought up to date


class _Either:
    """Stops the file watcher when we stop or when the folders to watch change."""

    def __init__(self, *events: threading.Event):
        self.events = events

    def is_set(self) -> bool:
        return any(e.is_set() for e in self.events)


def _identity(folder: Path) -> tuple[int, int] | None:
    """Which folder is at this path (device and inode), or None when none is."""
    try:
        info = folder.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def _watch(ready: threading.Event, changes):
    """watchfiles sets its watches up when first asked for changes: say we are ready a
    moment after that, so a save right after start is not missed."""
    timer = threading.Timer(0.25, ready.set)
    timer.daemon = True
    timer.start()
    yield from changes


class Watcher:
    """Watches the folders of the files the issue uses (not their subfolders) and queues
    saves of those files for the build loop."""

    def __init__(self, session: Session):
        self.session = session
        self.stop = threading.Event()
        self._restart = threading.Event()
        self._pending: set[Path] = set()
        self._last_change = 0.0
        self._lock = threading.Lock()
        self.changed = threading.Event()
        self._folders: set[Path] = set()
        self._watching: set[Path] = set()  # the folders that existed when watching began
        self._identity: dict[Path, tuple[int, int] | None] = {}  # and which folders they were
        self._thread: threading.Thread | None = None
        self.ready = threading.Event()  # the watcher is running

    def start(self) -> None:
        self._folders = self.session.folders()
        self._thread = threading.Thread(target=self._run, name="file-watcher", daemon=True)
        self._thread.start()

    def refresh(self) -> None:
        """Watch the folders of the current build's files (articles may have been added)."""
        folders = self.session.folders()
        existing = {f for f in folders if f.is_dir()}
        # A folder that was deleted and made again needs a new watch, as does a new one.
        if folders != self._folders or existing != self._watching:
            self._folders = folders
            self._restart.set()

    def _run(self) -> None:
        import watchfiles

        while not self.stop.is_set():
            self._restart.clear()
            self._watching = {f for f in self._folders if f.is_dir()}
            self._identity = {f: _identity(f) for f in self._folders}
            folders = sorted(str(f) for f in self._watching)
            stopper = _Either(self.stop, self._restart)
            # step: a save is handed over once 20 ms pass without another; debounce: at
            # most 400 ms of a continuous stream of saves are gathered into one batch.
            # Every rust_timeout without a change yields an empty batch: the moment to
            # check that the watched folders are still the ones being watched.
            source = watchfiles.watch(*folders, watch_filter=None, debounce=400, step=20,
                                      stop_event=stopper, rust_timeout=CHECK_FOLDERS,
                                      yield_on_timeout=True, recursive=False,
                                      raise_interrupt=False)
            try:
                for changes in _watch(self.ready, source):
                    paths = {Path(p) for _, p in changes}
                    relevant = {p for p in paths if self.session.is_relevant(p)}
                    if any(self._is_folder(p) for p in paths) or self._folders_replaced():
                        # A watched folder (or one above it) was moved, deleted or made:
                        # its watch may follow the old folder or have ended. Watch the
                        # paths afresh and build again.
                        relevant.add(self.session.manifest)
                        self._restart.set()
                    if relevant:
                        with self._lock:
                            self._pending |= relevant
                            self._last_change = time.monotonic()
                        self.changed.set()
            except (OSError, RuntimeError) as exc:
                # A watched folder was deleted or renamed: watch again what is left (the
                # next build says which files are missing) rather than stop watching.
                self.session.log(f"watching again after: {exc}")
                with self._lock:
                    self._pending.add(self.session.manifest)
                    self._last_change = time.monotonic()
                self.changed.set()
                self.stop.wait(0.5)

    def _is_folder(self, path: Path) -> bool:
        """Is `path` a watched folder, or a folder that holds one?"""
        return any(path == f or path in f.parents for f in self._folders)

    def _folders_replaced(self) -> bool:
        """Has a watched folder been replaced (another folder now at its path) or gone,
        or one appeared, since its watch began?"""
        return any(_identity(f) != seen for f, seen in self._identity.items())

    def take(self) -> set[Path]:
        """Wait until saves have settled, then hand over everything saved so far."""
        while True:
            with self._lock:
                quiet = time.monotonic() - self._last_change
            if quiet >= SETTLE:
                break
            time.sleep(SETTLE - quiet)
        with self._lock:
            pending, self._pending = self._pending, set()
            self.changed.clear()
        # An editor's scratch file that came and went while saving is not a change; a
        # used file that was deleted is.
        return {p for p in pending if p.exists() or p.absolute() in self.session.deps
                or p.resolve() in self.session.deps}

    def join(self, timeout: float = 2.0) -> None:
        self.stop.set()
        if self._thread is not None:
            self._thread.join(timeout)


def build_loop(session: Session, watcher: Watcher, stop: threading.Event | None = None
               ) -> None:
    """Rebuild after each settled burst of saves; when nothing has been saved for a moment,
    write the PDF files. Runs until `stop` is set (or Ctrl-C)."""
    stop = stop or threading.Event()
    while not stop.is_set():
        # A timed wait keeps Ctrl-C responsive in the main thread.
        if not watcher.changed.wait(IDLE_WRITE):
            if session.ok and session.stale and not stop.is_set():
                session.write_outputs(interrupted=watcher.changed.is_set)
            continue
        changed = watcher.take()
        if not changed:
            continue
        names = ", ".join(sorted(_short(p) for p in changed))
        session.log(f"changed: {names}")
        session.rebuild(changed)
        watcher.refresh()


def run_watch(manifest: Path, port: int, open_browser: bool, port_tries: int = 1,
              dpi: float = 110.0, editor: str | None = None) -> int:
    from compositor.designer.server import serve

    _stop_on_terminate()
    session = Session(manifest, dpi=dpi, editor=editor)
    server = serve(session, port, port_tries)
    server.start()
    print(f"preview: {server.url}  (Ctrl-C to stop)", flush=True)
    watcher = Watcher(session)
    try:
        session.rebuild()
        watcher.start()
        watcher.ready.wait(5)
        if open_browser:
            import webbrowser
            webbrowser.open(server.url)
        if session.ok:
            print(f"watching {len(session.deps)} files in {len(watcher._folders)} folders",
                  flush=True)
        else:
            print(f"watching {manifest.parent} until the issue builds", flush=True)
        build_loop(session, watcher)
    except KeyboardInterrupt:
        print("\nstopped watching", flush=True)
        return 0
    finally:
        watcher.join()
        server.stop()
    return 0


def _stop_on_terminate() -> None:
    """SIGTERM (a process manager, `kill`) and SIGHUP (the terminal closed) stop watching
    as Ctrl-C does: the server closes and nothing is left half-written."""
    import signal

    def stop(signum, frame):
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        for name in ("SIGTERM", "SIGHUP"):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), stop)


def _short(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
