"""The preview server: the standard library's threaded HTTP server, bound to 127.0.0.1
only. It serves one page, the page images from memory, the current PDFs, and a stream of
server-sent events that pushes each new build to the page. Nothing here needs more than
http.server: one designer, one browser, a handful of requests per build."""

from __future__ import annotations

import contextlib
import errno
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from compositor.designer.session import Session
from compositor.errors import Location, UserError

HOST = "127.0.0.1"
PAGE = Path(__file__).with_name("preview.html")
KEEPALIVE = 15.0  # seconds between comments on an idle event stream


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # an open event stream never holds up Ctrl-C
    allow_reuse_address = True

    def __init__(self, session: Session, port: int):
        self.session = session
        self.html = PAGE.read_bytes()
        super().__init__((HOST, port), _Handler)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.2},
                                  name="preview-server", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self.session.close()
        self.shutdown()
        self.server_close()


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
