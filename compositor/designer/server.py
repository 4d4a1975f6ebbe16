"""The preview server, bound to 127.0.0.1 only. It serves one page, the page images from
memory, the current PDFs, and a stream of server-sent events that pushes each new build to
the page.

It stays responsive whatever connects to it. A connection waits in one selector loop,
costing no thread, until the head of a request (its line and headers) has arrived whole;
only then does one of a fixed pool of worker threads answer it, with a timeout on every
write, and a kept-alive connection goes back to wait in the loop. A connection that sends
nothing, or sends a request a byte at a time, is closed after a while, the oldest first
when too many wait; event streams (each holding a worker while its page is open) are
capped so that they never take the whole pool; a client that goes away is not worth a
line in the terminal."""

from __future__ import annotations

import contextlib
import errno
import io
import json
import queue
import select
import selectors
import socket
import socketserver
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlsplit

from compositor.designer.session import Session
from compositor.errors import Location, UserError

HOST = "127.0.0.1"
PAGE = Path(__file__).with_name("preview.html")
KEEPALIVE = 15.0  # seconds between comments on an idle event stream
STREAM_CHECK = 1.0  # seconds between checks that an event stream's page is still open
MAX_STREAMS = 8  # open preview pages (event streams) at a time
WORKERS = MAX_STREAMS + 8  # so that streams never leave requests unanswered
IO_TIMEOUT = 10.0  # seconds an answer's write may stall
IDLE_TIMEOUT = 30.0  # seconds a connection may wait for its next request
HEAD_TIMEOUT = 10.0  # seconds from a request's first byte to the end of its headers
MAX_HEAD = 64 * 1024  # bytes of request line and headers
MAX_WAITING = 512  # connections waiting for a request; beyond it the oldest is closed
# What a client that goes away or stalls causes: not a bug, and not worth a line.
DROPPED = (ConnectionError, TimeoutError, socket.timeout)


@dataclass
class _Waiting:
    """A connection in the waiting room and what it has sent of its next request."""

    since: float  # when it began to wait
    data: bytearray = field(default_factory=bytearray)
    started: float | None = None  # when the first byte of the request came


class PreviewServer(socketserver.TCPServer):
    allow_reuse_address = True
    request_queue_size = 128  # a burst of connections waits in the kernel, not refused

    def __init__(self, session: Session, port: int):
        self.session = session
        self.html = PAGE.read_bytes()
        self.streams = threading.BoundedSemaphore(MAX_STREAMS)
        self._work: queue.SimpleQueue[tuple[socket.socket, bytes, bytes] | None] = \
            queue.SimpleQueue()
        self._returned: queue.SimpleQueue[tuple[socket.socket, bytes]] = queue.SimpleQueue()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._wake_r, self._wake_w = socket.socketpair()
        for sock in (self._wake_r, self._wake_w):
            sock.setblocking(False)  # a full wake-up pipe already says "wake up"
        try:
            super().__init__((HOST, port), _Handler)
        except OSError:
            self._wake_r.close()
            self._wake_w.close()
            raise
        self.socket.setblocking(False)  # a client gone before accept() never blocks the loop

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"

    def start(self) -> threading.Thread:
        for k in range(WORKERS):
            worker = threading.Thread(target=self._worker, name=f"preview-worker-{k}",
                                      daemon=True)
            worker.start()
            self._threads.append(worker)
        thread = threading.Thread(target=self._loop, name="preview-server", daemon=True)
        thread.start()
        self._threads.append(thread)
        return thread

    def stop(self) -> None:
        self.session.close()  # wakes the event streams
        self._stopping.set()
        self._wake()
        for _ in range(WORKERS):
            self._work.put(None)
        deadline = time.monotonic() + 2.0  # the threads are daemons: never wait longer
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        self.server_close()
        for sock in (self._wake_r, self._wake_w):
            sock.close()

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_w.send(b"x")

    # -- the waiting room: one thread, a selector over connections between requests -------
    def _loop(self) -> None:
        waiting: dict[socket.socket, _Waiting] = {}  # in the order they began to wait
        with selectors.DefaultSelector() as sel:
            sel.register(self.socket, selectors.EVENT_READ, "listen")
            sel.register(self._wake_r, selectors.EVENT_READ, "wake")
            while not self._stopping.is_set():
                for key, _ in sel.select(0.5):
                    if key.data == "listen":
                        self._accept(sel, waiting)
                    elif key.data == "wake":
                        with contextlib.suppress(OSError):
                            self._wake_r.recv(4096)
                    else:
                        self._receive(key.fileobj, sel, waiting)
                self._take_back(sel, waiting)
                self._expire(sel, waiting, time.monotonic())
            for conn in waiting:
                _close(conn)

    def _accept(self, sel: selectors.BaseSelector, waiting: dict) -> None:
        for _ in range(64):  # a burst at a time, so the others are not kept waiting
            try:
                conn, _ = self.socket.accept()
            except BlockingIOError:
                return
            except OSError as exc:
                if exc.errno in (errno.EMFILE, errno.ENFILE) and waiting:
                    # Out of file descriptors: the longest-waiting connection makes room.
                    self._drop(next(iter(waiting)), sel, waiting)
                return
            conn.setblocking(False)
            self._wait(conn, b"", sel, waiting)

    def _wait(self, conn: socket.socket, data: bytes, sel: selectors.BaseSelector,
              waiting: dict) -> None:
        if len(waiting) >= MAX_WAITING:
            self._drop(next(iter(waiting)), sel, waiting)
        try:
            sel.register(conn, selectors.EVENT_READ, "conn")
        except (ValueError, OSError):  # closed meanwhile
            _close(conn)
            return
        now = time.monotonic()
        waiting[conn] = _Waiting(now, bytearray(data), now if data else None)
        if b"\r\n\r\n" in data:  # a pipelined request already here
            self._dispatch(conn, sel, waiting)

    def _receive(self, conn: socket.socket, sel: selectors.BaseSelector, waiting: dict) -> None:
        entry = waiting[conn]
        try:
            data = conn.recv(8192)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:  # the client closed the connection (or reset it)
            self._drop(conn, sel, waiting)
            return
        entry.data += data
        entry.started = entry.started or time.monotonic()
        if b"\r\n\r\n" in entry.data:
            self._dispatch(conn, sel, waiting)
        elif len(entry.data) > MAX_HEAD:
            self._drop(conn, sel, waiting)

    def _dispatch(self, conn: socket.socket, sel: selectors.BaseSelector, waiting: dict) -> None:
        """A whole request head has arrived: a worker answers it."""
        entry = waiting.pop(conn)
        sel.unregister(conn)
        end = entry.data.index(b"\r\n\r\n") + 4
        self._work.put((conn, bytes(entry.data[:end]), bytes(entry.data[end:])))

    def _drop(self, conn: socket.socket, sel: selectors.BaseSelector, waiting: dict) -> None:
        with contextlib.suppress(KeyError, ValueError):
            sel.unregister(conn)
        waiting.pop(conn, None)
        _close(conn)

    def _take_back(self, sel: selectors.BaseSelector, waiting: dict) -> None:
        """Kept-alive connections a worker has finished with wait for their next request."""
        while True:
            try:
                conn, rest = self._returned.get_nowait()
            except queue.Empty:
                return
            self._wait(conn, rest, sel, waiting)

    def _expire(self, sel: selectors.BaseSelector, waiting: dict, now: float) -> None:
        late = [conn for conn, entry in waiting.items()
                if now - entry.since > IDLE_TIMEOUT
                or (entry.started is not None and now - entry.started > HEAD_TIMEOUT)]
        for conn in late:
            self._drop(conn, sel, waiting)

    # -- the workers ------------------------------------------------------------------
    def _worker(self) -> None:
        while True:
            job = self._work.get()
            if job is None:
                return
            conn, head, rest = job
            keep = False
            try:
                conn.settimeout(IO_TIMEOUT)
                handler = _Handler(conn, head, self)
                keep = not handler.close_connection
            except DROPPED:
                pass  # the browser went away or stalled
            except OSError as exc:
                if exc.errno not in (errno.ENOTCONN, errno.EBADF, errno.EPIPE):
                    _report_bug()
            except Exception:  # noqa: BLE001 - a bug in one answer must not stop serving
                _report_bug()
            if keep and not self._stopping.is_set():
                with contextlib.suppress(OSError):
                    conn.setblocking(False)
                    self._returned.put((conn, rest))
                    self._wake()
                    continue
            _close(conn)


def _close(conn: socket.socket) -> None:
    with contextlib.suppress(OSError):
        conn.close()


def _report_bug() -> None:
    print("preview server: internal error (a bug in compositor):", file=sys.stderr)
    traceback.print_exc(limit=6)


def serve(session: Session, port: int, tries: int = 1) -> PreviewServer:
    """Bind 127.0.0.1:port (or the next free port, when `tries` allows)."""
    for candidate in range(port, port + tries):
        try:
            return PreviewServer(session, candidate)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE or candidate == port + tries - 1:
                raise UserError.at(Location(session.manifest),
                                   f"cannot serve the preview on {HOST}:{candidate}: "
                                   f"{exc.strerror} (choose another port with --port)"
                                   ) from None
    raise AssertionError("unreachable")


class _Handler(BaseHTTPRequestHandler):
    """Answers one request whose head the waiting room has read (see PreviewServer)."""

    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def __init__(self, conn: socket.socket, head: bytes, server: PreviewServer):
        self.head = head
        super().__init__(conn, conn.getpeername(), server)

    def setup(self) -> None:
        super().setup()
        self.rfile.close()
        self.rfile = io.BytesIO(self.head)  # the request line and headers, read already

    def handle(self) -> None:
        """One request; a kept-alive connection is then handed back (see _worker)."""
        self.close_connection = True
        self.handle_one_request()
        if self.command not in ("GET", "HEAD"):
            self.close_connection = True  # a body we did not read would pose as a request

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass  # the terminal is for build messages

    def _allowed_host(self) -> bool:
        # Only pages served from this address may talk to it: a web page elsewhere that
        # rebinds its own name to 127.0.0.1 sends its own name as Host and is refused.
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]").lower()
        return host in ("127.0.0.1", "localhost")

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if not self._allowed_host():
            return self._send(403, b"forbidden host\n", "text/plain")
        path = urlsplit(self.path).path
        session = self.server.session
        if path in ("/", "/index.html"):
            return self._send(200, self.server.html, "text/html; charset=utf-8")
        if path == "/state.json":
            with session._cond:
                body = json.dumps(session.state).encode()
            return self._send(200, body, "application/json", cache=False)
        if path == "/events":
            return self._events()
        if path.startswith("/page/") and path.endswith("@2x.jpg"):
            picture = session.hires(path[6:-7])
            if picture is None:
                return self._send(404, b"no such page in the current build\n", "text/plain")
            return self._send(200, picture, "image/jpeg", immutable=True)
        if path.startswith("/page/") and path.endswith(".jpg"):
            picture = session.images.get(path[6:-4])
            if picture is None:
                return self._send(404, b"no such page image\n", "text/plain")
            return self._send(200, picture, "image/jpeg", immutable=True)
        if path.startswith("/download/"):
            return self._download(path.rsplit("/", 1)[1])
        return self._send(404, b"not found\n", "text/plain")

    def _download(self, variant: str) -> None:
        session = self.server.session
        if variant not in ("web", "print") or variant not in session._outputs:
            return self._send(404, b"no such PDF (yet)\n", "text/plain")
        session.write_outputs((variant,))  # brought up to date on demand
        path = session._outputs[variant]
        try:
            data = path.read_bytes()
        except OSError:
            return self._send(404, b"the PDF has not been written\n", "text/plain")
        self._send(200, data, "application/pdf", cache=False,
                   extra={"Content-Disposition": f'attachment; filename="{path.name}"'})

    def _events(self) -> None:
        if not self.server.streams.acquire(blocking=False):
            return self._send(503, f"too many preview pages are open (at most {MAX_STREAMS}); "
                                   "close some and reload\n".encode(), "text/plain",
                              extra={"Retry-After": "10"})
        try:
            self._stream()
        finally:
            self.server.streams.release()

    def _stream(self) -> None:
        session = self.server.session
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        seen, quiet_since = -1, time.monotonic()
        try:
            while not session.closed and not self._client_gone():
                # Short waits: a page that was closed or reloaded frees its place among
                # the MAX_STREAMS within a second, not at the next keep-alive.
                state, seen = session.wait_newer(seen, STREAM_CHECK)
                if state is None:
                    if session.closed or time.monotonic() - quiet_since < KEEPALIVE:
                        continue
                    self.wfile.write(b": idle\n\n")
                else:
                    body = json.dumps(state, separators=(",", ":"))
                    self.wfile.write(f"event: state\nid: {seen}\ndata: {body}\n\n".encode())
                quiet_since = time.monotonic()
                self.wfile.flush()
        except DROPPED:
            pass  # the browser went away

    def _client_gone(self) -> bool:
        """Has the browser closed its end? (It never sends anything on an event stream, so
        a readable socket means the end of it.)"""
        ready, _, _ = select.select([self.connection], [], [], 0)
        if not ready:
            return False
        try:
            return self.connection.recv(1, socket.MSG_PEEK) == b""
        except BlockingIOError:
            return False
        except OSError:
            return True

    def _send(self, status: int, body: bytes, kind: str, cache: bool = True,
              immutable: bool = False, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if immutable:
            self.send_header("Cache-Control", "public, max-age=31536000, immutable")
        elif not cache or status != 200 or kind.startswith("text/html"):
            self.send_header("Cache-Control", "no-store")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)  # unless the browser went away
