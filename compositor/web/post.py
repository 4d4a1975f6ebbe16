"""One post from the website, whatever it came from (feed entry, WordPress export, page)."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass

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


def text_of(value: str | None) -> str | None:
    """Plain one-line text: markup-free, whitespace collapsed; None when empty."""
    if value is None:
        return None
    value = re.sub(r"<[^>]+>", " ", str(value)) if "<" in str(value) else str(value)
    value = " ".join(clean_text(html.unescape(value)).split())
    return value or None


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
