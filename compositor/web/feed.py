"""The archive's Atom feed: one entry per issue, its PDF as the enclosure.

Ids are tag: URIs (RFC 4151) from the publication's own key, never from the address the
site is published at, so adding or changing --base-url does not make readers show every
issue again. `published` is the day the issue stands for; `updated` moves when the
issue's PDF changes: the site folder keeps each PDF's digest with the time it was last
updated (FeedState), and a PDF whose digest differs is dated by its file's modification
time. The same PDFs and the same record give the same feed, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from compositor.web.archive import ArchivedIssue
from compositor.web.branding import publication_key
from compositor.web.pages import e, issue_title, lang_of
from compositor.web.theme import Theme

STATE = ".compositor-feed.json"


def stamp(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _day(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


@dataclass
class FeedState:
    """Per issue: the digest of the PDF last published and when its entry was updated."""
    issues: dict[str, tuple[str, dt.datetime]] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> FeedState:
        """The record of the last run; an unreadable one counts as none (the feed then
        dates each entry by its issue, as on a first run)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            found = {}
            for name, item in data["issues"].items():
                when = dt.datetime.strptime(item["updated"], "%Y-%m-%dT%H:%M:%SZ")
                found[str(name)] = (str(item["sha256"]), when.replace(tzinfo=dt.UTC))
            return cls(found)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls()

    def text(self) -> str:
        return json.dumps({"issues": {n: {"sha256": d, "updated": stamp(w)}
                                      for n, (d, w) in sorted(self.issues.items())}},
                          indent=1, sort_keys=True) + "\n"


def digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def updated_times(issues: list[ArchivedIssue], before: FeedState) -> FeedState:
    """Each issue's `updated`: kept while its PDF is the same; the PDF's modification time
    once it changes (never before the issue's day, nor before the last update)."""
    now = FeedState()
    for a in issues:
        sha = digest(a.pdf)
        published = _day(a.when)
        last = before.issues.get(a.name)
        if last is None:
            when = published
        elif last[0] == sha:
            when = max(last[1], published)
        else:
            built = dt.datetime.fromtimestamp(int(a.pdf.stat().st_mtime), dt.UTC)
            when = max(built, published, last[1] + dt.timedelta(seconds=1))
        now.issues[a.name] = (sha, when)
    return now


def entry_id(a: ArchivedIssue) -> str:
    return f"tag:{publication_key(a.issue.publication)},{a.when.year}:{quote(a.name)}"


def atom_feed(issues: list[ArchivedIssue], theme: Theme, base: str | None,
              state: FeedState | None = None) -> str:
    root = base or ""
    key = theme.key or publication_key(issues[0].issue.publication)
    times = state.issues if state else {}

    def updated(a: ArchivedIssue) -> dt.datetime:
        return times[a.name][1] if a.name in times else _day(a.when)

    entries = []
    for a in issues:
        inside = "; ".join(x.title for x in a.contents)
        summary = " ".join(p for p in (f"{a.label}." if a.label else "",
                                       f"{a.pages} pages.",
                                       f"Inside: {inside}." if inside else "") if p)
        author = a.issue.publication.publisher or a.issue.publication.name
        entries.append(f"""  <entry xml:lang="{e(a.issue.language)}">
    <title>{e(issue_title(a))}</title>
    <id>{e(entry_id(a))}</id>
    <published>{stamp(_day(a.when))}</published>
    <updated>{stamp(updated(a))}</updated>
    <author><name>{e(author)}</name></author>
    <link rel="alternate" type="text/html" href="{e(root + quote(a.name))}.html"/>
    <link rel="enclosure" type="application/pdf" length="{a.size}"
          title="{e(issue_title(a))} (PDF)" href="{e(root)}pdf/{e(quote(a.name))}.pdf"/>
    <summary>{e(summary)}</summary>
  </entry>""")
    author = theme.publisher or theme.name
    self_link = f'\n  <link rel="self" type="application/atom+xml" href="{e(root)}feed.xml"/>' \
        if base else ""
    first_year = min(a.when.year for a in issues)
    newest = max(updated(a) for a in issues)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{e(lang_of(issues))}">
  <title>{e(theme.name)}</title>{f'''
  <subtitle>{e(theme.tagline)}</subtitle>''' if theme.tagline else ''}
  <id>tag:{e(key)},{first_year}:archive</id>
  <updated>{stamp(newest)}</updated>
  <link rel="alternate" type="text/html" href="{e(root)}index.html"/>{self_link}
  <author><name>{e(author)}</name></author>
{chr(10).join(entries)}
</feed>
"""
