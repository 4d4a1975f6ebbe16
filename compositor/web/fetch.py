"""Fetching over HTTP(S): timeouts, a size limit, a User-Agent naming the tool, no scripts.

The standard library is enough here; what matters is that every failure becomes a
FetchError whose message starts with the URL, so the user knows which address failed.
"""

from __future__ import annotations

import http.client
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from compositor import __version__

USER_AGENT = f"compositor/{__version__} (newsletter import; +https://pypi.org/project/compositor/)"
PAGE_LIMIT = 8 * 1024 * 1024     # HTML pages and feeds
IMAGE_LIMIT = 20 * 1024 * 1024   # photos
DEFAULT_TIMEOUT = 20.0           # seconds, for connecting, each read and the whole transfer
_CHUNK = 64 * 1024


class FetchError(Exception):
    """A URL that could not be fetched; str() is 'URL: reason'."""

    def __init__(self, url: str, reason: str):
        super().__init__(f"{url}: {reason}")
        self.url, self.reason = url, reason


@dataclass(frozen=True)
class Fetched:
    url: str            # the address asked for
    final_url: str      # after redirects
    content_type: str   # lower case, without parameters
    charset: str | None
    body: bytes


def is_url(text: str) -> bool:
    return urlsplit(text).scheme in ("http", "https")


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = 8

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise FetchError(req.full_url, f"redirected to a non-web address ({newurl})")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_opener = urllib.request.build_opener(_Redirects)


def fetch(url: str, *, limit: int = PAGE_LIMIT, timeout: float = DEFAULT_TIMEOUT,
          accept: str = "*/*") -> Fetched:
    """GET `url`; raise FetchError on any failure (status, timeout, size, network)."""
    if not is_url(url):
        raise FetchError(url, "only http:// and https:// addresses can be fetched")
    request = urllib.request.Request(url, headers={
        "User-Agent": USER_AGENT, "Accept": accept, "Accept-Encoding": "identity"})
    deadline = time.monotonic() + timeout
    try:
        with _opener.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > limit:
                raise FetchError(url, f"too large ({_size(int(length))}; the limit is "
                                      f"{_size(limit)})")
            chunks, total = [], 0
            while True:
                if time.monotonic() > deadline:
                    raise FetchError(url, f"timed out after {timeout:g} s")
                chunk = response.read(_CHUNK)
                if not chunk:
                    break
                total += len(chunk)
                if total > limit:
                    raise FetchError(url, f"too large (more than {_size(limit)})")
                chunks.append(chunk)
            ctype = response.headers.get_content_type().lower()
            charset = response.headers.get_content_charset()
            return Fetched(url, response.geturl(), ctype, charset, b"".join(chunks))
    except FetchError:
        raise
    except urllib.error.HTTPError as exc:
        raise FetchError(url, f"the server answered {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, socket.timeout | TimeoutError):
            raise FetchError(url, f"timed out after {timeout:g} s") from None
        raise FetchError(url, f"could not connect ({reason})") from None
    except TimeoutError:
        raise FetchError(url, f"timed out after {timeout:g} s") from None
    except (OSError, ValueError, http.client.HTTPException) as exc:
        raise FetchError(url, f"could not be fetched ({exc})") from None


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"
