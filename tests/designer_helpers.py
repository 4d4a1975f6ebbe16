"""Running `compositor watch` for tests: in this process (to count builds) or as the real
command in a subprocess (what a designer runs)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def wait_for(predicate, timeout: float = 15.0, step: float = 0.05):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout} s waiting for {predicate}")


class InProcessWatch:
    """Session + server + file watcher + build loop, as `run_watch` wires them."""

    def __init__(self, manifest: Path):
        from compositor.designer.server import serve
        from compositor.designer.session import Session
        from compositor.designer.watch import Watcher

        self.log: list[str] = []
        self.session = Session(manifest, log=self.log.append)
        self.server = serve(self.session, 0)
        self.watcher = Watcher(self.session)
        self.stop = threading.Event()

    def __enter__(self) -> InProcessWatch:
        from compositor.designer.watch import build_loop

        self.server.start()
        self.session.rebuild()
        self.watcher.start()
        assert self.watcher.ready.wait(5)
        self.thread = threading.Thread(target=build_loop,
                                       args=(self.session, self.watcher, self.stop),
                                       daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(10)
        self.watcher.join()
        self.server.stop()

    @property
    def url(self) -> str:
        return self.server.url


class WatchProcess:
    """`compositor watch MANIFEST --port 0` in a subprocess; its output is collected."""

    def __init__(self, manifest: Path, cwd: Path, args: tuple[str, ...] = ()):
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "compositor", "watch", str(manifest), "--port", "0", *args],
            cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        found = wait_for(lambda: next((m for line in self.lines for m in
                                       [re.search(r"http://127\.0\.0\.1:\d+/", line)] if m),
                                      None), timeout=60)
        self.url = found.group(0)
        wait_for(lambda: any(line.startswith("watching") for line in self.lines), timeout=60)

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def stop(self, sig=None) -> int:
        import signal
        if self.proc.poll() is None:
            self.proc.send_signal(sig or signal.SIGINT)
        try:
            return self.proc.wait(15)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            self._reader.join(5)
