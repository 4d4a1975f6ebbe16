"""One post from the website, whatever it came from (feed entry, WordPress export, page)."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from compositor.model.markdown import clean_text


@dataclass
class Post:
    title: str
    html: str                      # the post's main content, as HTML
    origin: str                    # where it came from, for messages (file, URL, feed entry)
    url: str | None = None         # canonical address of the full post
    byline: str | None = None
    date: dt.date | None = None
    image_url: str | None = None   # lead photo, absolute URL or local file path
    caption: str | None = None
    alt: str | None = None
    base: str | None = None        # what relative links and images are resolved against
    local_image: str | None = None  # a saved page's own copy of the photo (its img src)
    local_base: str | None = None   # file: URI of a saved page's folder
    language: str | None = None
    summary_only: bool = False     # the source held only a teaser, not the full text
    notes: list[str] = field(default_factory=list)  # what was left out, for warnings


class SourceError(ValueError):
    """A source that cannot be read; `line` (1-based, 0 when unknown) is where."""

    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.line = line


def text_of(value: str | None) -> str | None:
    """Plain one-line text: markup-free, whitespace collapsed; None when empty."""
    if value is None:
        return None
    value = re.sub(r"<[^>]+>", " ", str(value)) if "<" in str(value) else str(value)
    value = _CONTROLS.sub(" ", clean_text(html.unescape(value)))
    value = " ".join(value.split())
    return value or None


# Control characters in a site's title or name are never meant (an escape sequence, a
# bell): they would reach the PDF, the archive's XML and the terminal.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def parse_date(value: str | None) -> dt.date | None:
    """The date part of an ISO 8601 / RFC 3339 timestamp or a plain YYYY-MM-DD."""
    if not value:
        return None
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", str(value))
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


_NOT_IN_URL = re.compile(r"[\s\x00-\x1f\x7f-\x9f\\<>\"`{}|^\u2028\u2029]")
MAX_URL = 2000


def web_address(value: str | None) -> str | None:
    """`value` when it is a usable http(s) address, else None.

    A remote document decides these strings. Whitespace or a control character inside
    one (a newline in a WordPress <link>) would break out of a YAML comment or a Markdown
    link, a backslash is read as a slash by browsers, and any other scheme (file:,
    javascript:, data:) must never be fetched, copied or linked."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > MAX_URL or _NOT_IN_URL.search(value):
        return None
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if parts.username is not None or parts.password is not None:
        return None  # user:password@ in an address from a feed is a trick, not a login
    return value
