"""A local website for the import and archive tests: the fixture site from
fixtures/web served on 127.0.0.1, with a few misbehaving addresses (slow, redirecting,
missing, oversize, not a picture)."""

from __future__ import annotations

import contextlib
import shutil
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "web"
FIXTURE_ADDRESS = "http://127.0.0.1:8000"  # as written in the fixture files


class Site:
    def __init__(self, root: Path):
        self.root = root
        self.agents: list[str] = []
        self.paths: list[str] = []
        site = self

        class Handler(SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(root), **kwargs)

            def log_message(self, *args):
                pass

            def do_GET(self):
                site.agents.append(self.headers.get("User-Agent", ""))
                site.paths.append(self.path)
                if self.path.startswith("/slow/"):
                    time.sleep(3)
                    self.path = "/images/" + self.path.split("/")[-1]
                elif self.path.startswith("/moved/"):
                    self.send_response(301)
                    self.send_header("Location", "/images/" + self.path.split("/")[-1])
                    self.end_headers()
                    return
                elif self.path.startswith("/huge/"):
                    # No Content-Length: the limit must hold while reading.
                    self.send_response(200)
                    self.send_header("Content-Type", "image/jpeg")
                    self.end_headers()
                    try:
                        for _ in range(352):  # 22 MB, past the 20 MB photo limit
                            self.wfile.write(b"\xff" * 65536)
                    except OSError:
                        pass
                    return
                elif self.path.startswith("/page-not-picture/"):
                    self.path = "/posts/open-day.html"
                with contextlib.suppress(OSError):  # the client hung up (timeout tests)
                    super().do_GET()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.address = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"{self.address}/{path.lstrip('/')}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def serve_fixture_site(tmp: Path) -> Site:
    """Copy the fixture site to `tmp`, pointing its addresses at a fresh server there."""
    root = tmp / "site-src"
    shutil.copytree(FIXTURES, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    site = Site(root)
    for path in root.rglob("*"):
        if path.suffix in (".rss", ".atom", ".wxr", ".html"):
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace(FIXTURE_ADDRESS, site.address), encoding="utf-8")
    return site
