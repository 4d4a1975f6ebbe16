"""Fetching over HTTP(S): one total deadline, a size limit, a User-Agent naming the tool,
and no way for a remote document to reach this computer's network.

Everything a feed or page names is untrusted: a summary-only entry's link, a photo's
address, any redirect. Such a fetch is refused when the host resolves to a private,
loopback, link-local or otherwise non-public address, unless that address and port are
those of a source the user named on the command line (importing from a site served on
127.0.0.1 works) or the user passed --allow-private. The check is made on the resolved
address, and the connection is made to that very address (no second DNS lookup that a
hostile name server could answer differently), at every redirect.

Every failure becomes a FetchError whose message starts with the URL, so the user knows
which address failed.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit

from compositor import __version__
from compositor.web.post import web_address

USER_AGENT = f"compositor/{__version__} (newsletter import; +https://pypi.org/project/compositor/)"
PAGE_LIMIT = 8 * 1024 * 1024     # HTML pages and feeds
IMAGE_LIMIT = 20 * 1024 * 1024   # photos
DEFAULT_TIMEOUT = 20.0           # seconds for the whole fetch: DNS, connect, headers, body
MAX_REDIRECTS = 8
_CHUNK = 64 * 1024
_REDIRECTS = (301, 302, 303, 307, 308)
_PATH_SAFE = "/%:@!$&'()*+,;=~-._"  # RFC 3986 path characters kept as they are


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


@dataclass
class NetPolicy:
    """Which non-public addresses a fetch may reach.

    "The same host" as a source the user named means the same resolved IP address and
    the same port (80 and 443 count as one, for a site that moves from http to https):
    a hostile page on 127.0.0.1:8000 cannot reach 127.0.0.1:5432 or 127.0.0.2.
    """

    allow_private: bool = False
    trusted: set[tuple[str, int]] = field(default_factory=set)

    def trust(self, ip: str, port: int) -> None:
        for p in (80, 443) if port in (80, 443) else (port,):
            self.trusted.add((_normal_ip(ip), p))

    def allows(self, ip: str, port: int) -> bool:
        return (self.allow_private or not is_private_ip(ip)
                or (_normal_ip(ip), port) in self.trusted)


def is_url(text: str) -> bool:
    return urlsplit(text).scheme in ("http", "https")


def is_private_ip(text: str) -> bool:
    """True for every address that is not on the public internet: private ranges,
    loopback, link-local (169.254/16, fe80::/10), unique-local fc00::/7, 0.0.0.0, shared,
    reserved and multicast, also when written inside an IPv6 address (::ffff:127.0.0.1,
    6to4, NAT64)."""
    try:
        ip = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return True  # not an address we understand: not known to be public
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour
        if inner is None and ip in ipaddress.ip_network("64:ff9b::/96"):
            inner = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if inner is not None and is_private_ip(str(inner)):
            return True
    return not ip.is_global or ip.is_multicast


def _normal_ip(text: str) -> str:
    ip = ipaddress.ip_address(text.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return str(ip)


class _Deadline:
    """One clock for a whole fetch. When it runs out, the socket is shut down from a
    timer thread, so a server that trickles a byte a second cannot keep a read (of the
    status line, the headers or the body) waiting past it."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def left(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0 or self.expired:
            raise TimeoutError
        return left

    def watch(self, sock: socket.socket | None) -> None:
        with self._lock:
            self._sock = sock
            if self.expired and sock is not None:
                self._shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            if self._sock is not None:
                self._shut(self._sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        # The plain socket's shutdown, also for a TLS socket (same descriptor): it wakes
        # up a read blocked in another thread.
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


def fetch(url: str, *, policy: NetPolicy, limit: int = PAGE_LIMIT,
          timeout: float = DEFAULT_TIMEOUT, accept: str = "*/*",
          named: bool = False) -> Fetched:
    """GET `url`; raise FetchError on any failure (status, timeout, size, network, an
    address the policy refuses). `named`: the user gave this URL, so its own host may be
    anywhere and becomes trusted; its redirects are checked all the same."""
    if not is_url(url):
        raise FetchError(url, "only http:// and https:// addresses can be fetched")
    if web_address(url) is None:
        raise FetchError(url, "is not a usable web address (no spaces, control characters "
                              "or user:password@ in it, and at most 2,000 characters)")
    deadline = _Deadline(timeout)
    try:
        return _fetch(url, policy, limit, accept, named, deadline)
    except FetchError:
        raise
    except Exception as exc:
        if deadline.expired or isinstance(exc, TimeoutError):
            raise FetchError(url, f"timed out after {timeout:g} s") from None
        if isinstance(exc, (OSError, ValueError, http.client.HTTPException)):
            raise FetchError(url, f"could not be fetched ({exc})") from None
        raise
    finally:
        deadline.cancel()


def _fetch(url: str, policy: NetPolicy, limit: int, accept: str, named: bool,
           deadline: _Deadline) -> Fetched:
    current = url
    for hop in range(MAX_REDIRECTS + 1):
        try:
            conn, response = _request(current, policy, accept, named and hop == 0, deadline)
        except FetchError as exc:
            if hop == 0:
                raise
            raise FetchError(url, f"redirected to {current}, which {exc.reason}") from None
        try:
            if response.status in _REDIRECTS:
                current = _redirect_target(url, current, response)
                continue
            if not 200 <= response.status < 300:
                raise FetchError(url, f"the server answered {response.status} "
                                      f"{response.reason}".rstrip())
            body = _read_body(url, response, limit, deadline)
            ctype = response.headers.get_content_type().lower()
            charset = response.headers.get_content_charset()
            return Fetched(url, current, ctype, charset, body)
        finally:
            deadline.watch(None)
            conn.close()
    raise FetchError(url, f"redirected more than {MAX_REDIRECTS} times")


def _redirect_target(url: str, current: str, response: http.client.HTTPResponse) -> str:
    location = (response.getheader("Location") or "").strip()
    target = web_address(urljoin(current, location)) if location else None
    if target is None:
        raise FetchError(url, f"redirected to a non-web address ({location!r})")
    return target


def _request(url: str, policy: NetPolicy, accept: str, named: bool, deadline: _Deadline
             ) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
    parts = urlsplit(url)
    host = parts.hostname or ""
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    sock = _connect(url, host, port, policy, named, deadline)
    try:
        deadline.watch(sock)
        if secure:
            context = ssl.create_default_context()
            sock = context.wrap_socket(sock, server_hostname=host)
            deadline.watch(sock)
        conn = http.client.HTTPConnection(host, port, timeout=deadline.left())
        conn.sock = sock  # already connected, to the address that was checked
        conn.request("GET", _target(parts), headers={
            "Host": _host_header(host, parts.port), "User-Agent": USER_AGENT,
            "Accept": accept, "Accept-Encoding": "identity", "Connection": "close"})
        return conn, conn.getresponse()
    except BaseException:
        sock.close()
        raise


def _target(parts) -> str:
    """The request's path and query, ASCII (a non-ASCII path is percent-encoded)."""
    target = quote(parts.path or "/", safe=_PATH_SAFE)
    return target + "?" + quote(parts.query, safe=_PATH_SAFE + "?") if parts.query \
        else target


def _host_header(host: str, port: int | None) -> str:
    shown = host.encode("idna").decode("ascii") if not host.isascii() else host
    if ":" in shown:
        shown = f"[{shown}]"  # an IPv6 address
    return f"{shown}:{port}" if port else shown


def _connect(url: str, host: str, port: int, policy: NetPolicy, named: bool,
             deadline: _Deadline) -> socket.socket:
    """A socket connected to the first address of `host` the policy allows."""
    addresses = _resolve(url, host, port, deadline)
    if named:  # the user's own source: wherever it is, it and its host are trusted
        for ip in addresses:
            policy.trust(ip, port)
    allowed = [ip for ip in addresses if policy.allows(ip, port)]
    if not allowed:
        raise FetchError(url, f"is on a private network address ({addresses[0]}); import "
                              "does not follow a feed or page to this computer or the local "
                              "network (pass --allow-private to allow it)")
    problem: OSError | None = None
    for ip in allowed:
        try:
            return socket.create_connection((ip, port), timeout=deadline.left())
        except TimeoutError:
            raise
        except OSError as exc:
            problem = exc
    raise FetchError(url, f"could not connect ({problem})")


def _resolve(url: str, host: str, port: int, deadline: _Deadline) -> list[str]:
    """The host's addresses, looked up in a thread so the deadline holds for DNS too."""
    found: dict[str, object] = {}

    def lookup() -> None:
        try:
            found["ok"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            found["error"] = exc

    worker = threading.Thread(target=lookup, daemon=True)
    worker.start()
    worker.join(deadline.left())
    if worker.is_alive():
        raise TimeoutError
    if "error" in found or not found.get("ok"):
        raise FetchError(url, f"could not connect (the host name could not be looked up: "
                              f"{found.get('error')})")
    infos = found["ok"]
    assert isinstance(infos, list)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _read_body(url: str, response: http.client.HTTPResponse, limit: int,
               deadline: _Deadline) -> bytes:
    length = response.getheader("Content-Length")
    if length and length.strip().isdigit() and int(length) > limit:
        raise FetchError(url, f"too large ({_size(int(length))}; the limit is "
                              f"{_size(limit)})")
    chunks, total = [], 0
    while True:
        deadline.left()
        chunk = response.read1(_CHUNK)  # at most one receive: the deadline is checked often
        if not chunk:
            break
        total += len(chunk)
        if total > limit:
            raise FetchError(url, f"too large (more than {_size(limit)})")
        chunks.append(chunk)
    if deadline.expired:  # the watchdog closed the socket: the body is cut short
        raise TimeoutError
    return b"".join(chunks)


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"
