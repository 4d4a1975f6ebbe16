"""The preview server, bound to 127.0.0.1 only. It serves one page, the page images from
memory, the current PDFs, and a stream of server-sent events that pushes each new build to
the page.

It stays responsive whatever connects to it: a connection waits in one selector loop,
costing no thread, until it has sent something; only then does one of a fixed pool of
worker threads read and answer its request, with a timeout on every read and write, and
a kept-alive connection goes back to wait in the loop. Connections that send nothing are
closed after a while, the oldest first when too many wait; event streams (each holding a
worker while the page is open) are capped so that they never take the whole pool; a
client that goes away is not worth a line in the terminal."""

from __future__ import annotations

import collections
import contextlib
import errno
import json
import queue
import selectors
import socket
import socketserver
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlsplit

from compositor.designer.session import Session
from compositor.errors import Location, UserError

HOST = "127.0.0.1"
PAGE = Path(__file__).with_name("preview.html")
KEEPALIVE = 15.0  # seconds between comments on an idle event stream
MAX_STREAMS = 8  # open preview pages (event streams) at a time
WORKERS = MAX_STREAMS + 8  # so that streams never leave requests unanswered
IO_TIMEOUT = 10.0  # seconds a read or write of a request in progress may stall
IDLE_TIMEOUT = 30.0  # seconds a connection may wait without sending a request
MAX_WAITING = 512  # connections waiting for a request; beyond it the oldest is closed
# What a client that goes away or stalls causes: not a bug, and not worth a line.
DROPPED = (ConnectionError, TimeoutError, socket.timeout)


class PreviewServer(socketserver.TCPServer):
    allow_reuse_address = True
    request_queue_size = 128  # a burst of connections waits in the kernel, not refused

    def __init__(self, session: Session, port: int):
        self.session = session
        self.html = PAGE.read_bytes()
        self.streams = threading.BoundedSemaphore(MAX_STREAMS)
        self._work: queue.SimpleQueue[socket.socket | None] = queue.SimpleQueue()
        self._returned: queue.SimpleQueue[socket.socket] = queue.SimpleQueue()
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
        with contextlib.suppress(OSError):
            self._wake_w.send(b"x")
        for _ in range(WORKERS):
            self._work.put(None)
        deadline = time.monotonic() + 2.0  # the threads are daemons: never wait longer
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        self.server_close()
        for sock in (self._wake_r, self._wake_w):
            sock.close()

    # -- the waiting room: one thread, a selector over idle connections ------------------
    def _loop(self) -> None:
        waiting: collections.OrderedDict[socket.socket, float] = collections.OrderedDict()
        with selectors.DefaultSelector() as sel:
            sel.register(self.socket, selectors.EVENT_READ, "listen")
            sel.register(self._wake_r, selectors.EVENT_READ, "wake")
            while not self._stopping.is_set():
                for key, _ in sel.select(1.0):
                    if key.data == "listen":
                        self._accept(sel, waiting)
                    elif key.data == "wake":
                        with contextlib.suppress(OSError):
                            self._wake_r.recv(4096)
                    else:  # a request (or the end of the connection) has arrived
                        sel.unregister(key.fileobj)
                        waiting.pop(key.fileobj, None)
                        self._work.put(key.fileobj)
                self._take_back(sel, waiting)
                self._expire(sel, waiting, time.monotonic() - IDLE_TIMEOUT)
            for conn in waiting:
                self._close(conn)

    def _accept(self, sel: selectors.BaseSelector, waiting: dict) -> None:
        try:
            conn, _ = self.socket.accept()
        except BlockingIOError:
            return
        except OSError as exc:
            if exc.errno in (errno.EMFILE, errno.ENFILE) and waiting:
                # Out of file descriptors: the longest-waiting connection makes room.
                oldest = next(iter(waiting))
                sel.unregister(oldest)
                del waiting[oldest]
                self._close(oldest)
            return
        self._wait(conn, sel, waiting)

    def _wait(self, conn: socket.socket, sel: selectors.BaseSelector, waiting: dict) -> None:
        if len(waiting) >= MAX_WAITING:
            oldest = next(iter(waiting))
            sel.unregister(oldest)
            del waiting[oldest]
            self._close(oldest)
        try:
            sel.register(conn, selectors.EVENT_READ, "conn")
        except (ValueError, OSError):  # closed meanwhile
            self._close(conn)
            return
        waiting[conn] = time.monotonic()

    def _take_back(self, sel: selectors.BaseSelector, waiting: dict) -> None:
        """Kept-alive connections a worker has finished with wait for their next request."""
        while True:
            try:
                conn = self._returned.get_nowait()
            except queue.Empty:
                return
            self._wait(conn, sel, waiting)

    def _expire(self, sel: selectors.BaseSelector, waiting: dict, before: float) -> None:
        while waiting:
            conn, since = next(iter(waiting.items()))
            if since > before:
                return
            sel.unregister(conn)
            del waiting[conn]
            self._close(conn)

    def _close(self, conn: socket.socket) -> None:
        with contextlib.suppress(OSError):
            conn.close()

    # -- the workers ------------------------------------------------------------------
    def _worker(self) -> None:
        while True:
            conn = self._work.get()
            if conn is None:
                return
            keep = False
            try:
                handler = _Handler(conn, conn.getpeername(), self)
                keep = not handler.close_connection
            except DROPPED:
                pass  # the browser went away or stalled
            except OSError as exc:
                if exc.errno not in (errno.ENOTCONN, errno.EBADF, errno.EPIPE):
                    self._report_bug()
            except Exception:  # noqa: BLE001 - a bug in one answer must not stop serving
                self._report_bug()
            if keep and not self._stopping.is_set():
                self._returned.put(conn)
                with contextlib.suppress(OSError):
                    self._wake_w.send(b"x")
            else:
                self._close(conn)

    def _report_bug(self) -> None:
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
    server: PreviewServer
    protocol_version = "HTTP/1.1"
    timeout = IO_TIMEOUT  # every read and write of the connection
    # Unbuffered reads: nothing past this request is read ahead, so a kept-alive
    # connection can go back to the waiting room with its next request still unread.
    rbufsize = 0

    def handle(self) -> None:
        """One request; a kept-alive connection is then handed back (see _worker)."""
        self.close_connection = True
        self.handle_one_request()

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
        seen = -1
        try:
            while not session.closed:
                state, seen = session.wait_newer(seen, KEEPALIVE)
                if state is None:
                    if session.closed:
                        break
                    self.wfile.write(b": idle\n\n")
                else:
                    body = json.dumps(state, separators=(",", ":"))
                    self.wfile.write(f"event: state\nid: {seen}\ndata: {body}\n\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass  # the browser went away

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
