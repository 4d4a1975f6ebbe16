"""Persian spacing fixes an issue may ask for (`text.persian_spacing: true` in its layout).

The verb prefixes می and نمی are written joined to their verb with a zero-width
non-joiner (می‌روم), but are often typed with a space (می روم). With a space the line
breaker may strand the prefix at a line end, apart from its verb. The fix joins them
and says where it did, so an editor can check every change: the rare word that only
looks like the prefix (the poetic می, "wine") is best kept in a fenced block, which is
never changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from compositor.errors import Location
from compositor.model.content import Block, Heading, Issue, ListBlock, Paragraph, Quote

ZWNJ = "\u200c"
# The prefix as a word of its own (not the end of a longer word), one or more spaces,
# then a Persian letter beginning the verb.
_PREFIX = re.compile("(?<![\u0600-\u06ff\u200c\u200d])(ن?می)[ \u00a0]+(?=[\u0622-\u06cc])")


@dataclass(frozen=True)
class Change:
    line: int  # line of the text, from 0
    before: str
    after: str


def join_verb_prefixes(text: str) -> tuple[str, list[Change]]:
    """`text` (Markdown) with every spaced می/نمی prefix joined to its verb with a ZWNJ,
    outside fenced blocks, and the changes made."""
    out: list[str] = []
    changes: list[Change] = []
    fence = ""
    for n, line in enumerate(text.split("\n")):
        mark = line.lstrip()[:3]
        if mark in ("```", "~~~"):
            fence = "" if fence == mark else (fence or mark)
            out.append(line)
            continue
        if fence:
            out.append(line)
            continue
        fixed = _PREFIX.sub(lambda m: m.group(1) + ZWNJ, line)
        if fixed != line:
            for m in _PREFIX.finditer(line):
                word = line[m.end():].split(" ", 1)[0]
                changes.append(Change(n, m.group(0) + word, m.group(1) + ZWNJ + word))
        out.append(fixed)
    return "\n".join(out), changes


def join_in_issue(issue: Issue) -> tuple[Issue, list[tuple[Location, str, str]]]:
    """The issue with the verb prefixes of its articles' paragraphs, headings, list items
    and quotes joined, and where each change was made (the paragraph's line). Verse and
    code are left as typed."""
    changes: list[tuple[Location, str, str]] = []

    def runs_of(runs, where):
        out = []
        for run in runs:
            if run.code:
                out.append(run)
                continue
            text, made = join_verb_prefixes(run.text)
            changes.extend((where, c.before, c.after) for c in made)
            out.append(replace(run, text=text) if made else run)
        return tuple(out)

    def block(b: Block) -> Block:
        if isinstance(b, Paragraph) and b.role not in ("verse", "code"):
            return replace(b, runs=runs_of(b.runs, b.where))
        if isinstance(b, Heading):
            return replace(b, runs=runs_of(b.runs, b.where))
        if isinstance(b, Quote):
            return replace(b, blocks=tuple(block(x) for x in b.blocks))
        if isinstance(b, ListBlock):
            return replace(b, items=tuple(tuple(block(x) for x in item) for item in b.items))
        return b

    articles = []
    for a in issue.articles:
        # The full text (which fitting cuts excerpts from) is what the editor wrote: its
        # changes are the ones reported; the printed blocks get the same fixes.
        full = tuple(block(b) for b in a.all_blocks)
        found = len(changes)
        blocks = tuple(block(b) for b in a.blocks)
        if a.all_blocks:
            del changes[found:]
        articles.append(replace(a, blocks=blocks, all_blocks=full))
    articles = tuple(articles)
    return replace(issue, articles=articles), changes
