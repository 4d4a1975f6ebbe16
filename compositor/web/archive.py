"""What the archive knows about one built issue: read back from its web PDF and its
manifest, so the site shows what subscribers will actually download."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from compositor.model.content import Issue


@dataclass(frozen=True)
class Entry:
    title: str
    page: int  # 1-based


@dataclass
class ArchivedIssue:
    issue: Issue
    pdf: Path
    pages: int
    size: int               # bytes of the web PDF
    contents: list[Entry]
    when: dt.date           # for ordering and the feed: newest article date, else the date text
    lead: str | None        # the first article's title, for the cover's description
    label: str = ""         # 'Volume 4, Numbers 19–20' in the layout's words, or ''
    calendar: str = "gregorian"  # the layout's text.date_calendar: how the pages give dates
    numerals: str = "latin"      # the digits the layout prints (text.numerals, resolved)

    @property
    def name(self) -> str:
        return self.issue.name


def issue_day(issue: Issue) -> dt.date:
    """The day an issue stands for: its newest dated article; else the year and month
    written in its date; else 1 January of the year found there."""
    dates = [a.date for a in issue.articles if a.date]
    if dates:
        return max(dates)
    text = issue.date_text.lower()
    year = re.search(r"(19|20)\d\d", text)
    if not year:
        return dt.date(1970, 1, 1)
    months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
              "dec"]
    found = [i + 1 for i, m in enumerate(months) if m in text]
    return dt.date(int(year[0]), max(found) if found else 1, 1)


def read_contents(pdf: Path) -> tuple[int, list[Entry]]:
    """Page count and the top-level bookmarks (one per article) of a built PDF."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    entries = []
    for item in reader.outline:
        if isinstance(item, list):
            continue  # nested bookmarks: the article's subheads
        try:
            page = reader.get_destination_page_number(item) + 1
        except Exception:  # noqa: BLE001 - a bookmark without a page is simply not listed
            continue
        title = " ".join(str(item.title).split())
        if title and page >= 1:
            entries.append(Entry(title, page))
    return len(reader.pages), entries


def render_cover(pdf: Path, width: int) -> bytes:
    """Page 1 as a JPEG `width` pixels wide."""
    import io

    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        page = doc[0]
        scale = width / page.get_width()
        image = page.render(scale=scale).to_pil().convert("RGB")
        page.close()
    finally:
        doc.close()
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    return out.getvalue()
