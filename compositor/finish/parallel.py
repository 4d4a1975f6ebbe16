"""Running one piece of the build in a forked process, so the print and web variants are
rendered, finished and checked on two cores at once.

A fork inherits the finished layout as it is in memory (nothing is pickled on the way
in); only the small result comes back, pickled through a pipe. The child never returns
into the caller's code: it leaves with os._exit, so no cleanup handler of the parent
(temporary files, caches) runs twice.
"""

from __future__ import annotations

import gc
import os
import pickle
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


def cores() -> int:
    """CPUs this process may run on; COMPOSITOR_JOBS=1 forces a serial build."""
    setting = os.environ.get("COMPOSITOR_JOBS", "").strip()
    if setting.isdigit() and int(setting) > 0:
        return int(setting)
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_fork() -> bool:
    return hasattr(os, "fork") and cores() > 1


@dataclass
class Forked:
    """A child process working on a function; `result()` waits for what it returned."""

    pid: int
    fd: int

    def result(self) -> Any:
        """The child's return value; its exception is raised again here, a crash becomes
        a RuntimeError."""
        chunks = []
        try:
            while chunk := os.read(self.fd, 1 << 20):
                chunks.append(chunk)
        finally:
            os.close(self.fd)
            _, status = os.waitpid(self.pid, 0)
            gc.unfreeze()  # the objects shared with the child may be collected again
        data = b"".join(chunks)
        if not data:
            raise RuntimeError(f"worker process ended without an answer "
                               f"(exit status {os.waitstatus_to_exitcode(status)})")
        ok, value = pickle.loads(data)
        if ok:
            return value
        if isinstance(value, BaseException):
            raise value
        raise RuntimeError(f"in the worker process: {value}")

    def abandon(self) -> Any:
        """Wait for the child when the parent is failing anyway: its answer (so what it
        made can be cleaned up) or None; its own error is dropped for the parent's."""
        try:
            return self.result()
        except BaseException:  # noqa: BLE001 - the parent's own error is the one reported
            return None


def fork(work: Callable[[], Any]) -> Forked:
    """Start `work()` in a child process. Objects made before the fork are frozen first,
    so the collector does not touch (and copy) the pages both processes share."""
    gc.freeze()
    read, write = os.pipe()
    pid = os.fork()
    if pid:  # parent
        os.close(write)
        return Forked(pid, read)
    os.close(read)  # child
    from compositor import progress

    progress.silence()
    code = 0
    try:
        try:
            answer = (True, work())
        except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
            code = 1
            try:
                pickle.dumps(exc)
                answer = (False, exc)
            except Exception:  # noqa: BLE001 - an exception that does not pickle
                answer = (False, "".join(traceback.format_exception(exc)))
        data = pickle.dumps(answer)
        view = memoryview(data)
        while view:
            view = view[os.write(write, view):]
    finally:
        os._exit(code)
