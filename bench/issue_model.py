"""A small, independent reader for issue folders, shared by the baseline renderers.

It deliberately does not import ``compositor``: the plain ReportLab, Typst and
WeasyPrint baselines must stand on their own.  It understands the subset of Markdown
that ``corpus.py`` writes: paragraphs, ``##`` subheads, ``-`` and ``1.`` lists,
``>`` quotes, ``*em*``, ``**strong**`` and ``[text](url)`` links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

# An inline run: (kind, text, url) with kind in {"text", "em", "strong", "link"}.
Inline = tuple[str, str, str | None]

_INLINE = re.compile(
    r"\*\*(?P<strong>.+?)\*\*"
    r"|\*(?P<em>[^*]+?)\*"
    r"|\[(?P<label>[^\]]+)\]\((?P<url>[^)\s]+)\)"
)
_ORDERED = re.compile(r"^\d+[.)]\s+")


@dataclass
class Block:
    kind: str  # "p", "h2", "ul", "ol", "quote", "more"
    inlines: list[Inline] = field(default_factory=list)
    items: list[list[Inline]] = field(default_factory=list)
    url: str | None = None


@dataclass
class Article:
    source: Path
    title: str
    byline: str | None
    date: str | None
    url: str | None
    image: Path | None
    caption: str | None
    blocks: list[Block]


@dataclass
class Issue:
    root: Path
    name: str
    tagline: str
    publisher: str
    website: str
    volume: int
    number: int
    date: str
    language: str
    articles: list[Article]


def parse_inlines(text: str) -> list[Inline]:
    runs: list[Inline] = []
    pos = 0
    for m in _INLINE.finditer(text):
        if m.start() > pos:
            runs.append(("text", text[pos : m.start()], None))
        if m.group("strong") is not None:
            runs.append(("strong", m.group("strong"), None))
        elif m.group("em") is not None:
            runs.append(("em", m.group("em"), None))
        else:
            runs.append(("link", m.group("label"), m.group("url")))
        pos = m.end()
    if pos < len(text):
        runs.append(("text", text[pos:], None))
    return runs


def parse_markdown(text: str) -> list[Block]:
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        first = lines[0]
        if first.startswith("#"):
            blocks.append(Block("h2", parse_inlines(first.lstrip("#").strip())))
        elif first.startswith(("- ", "* ")):
            items = [parse_inlines(line[2:].strip()) for line in lines]
            blocks.append(Block("ul", items=items))
        elif _ORDERED.match(first):
            items = [parse_inlines(_ORDERED.sub("", line)) for line in lines]
            blocks.append(Block("ol", items=items))
        elif first.startswith(">"):
            body = " ".join(line.lstrip("> ").strip() for line in lines)
            blocks.append(Block("quote", parse_inlines(body)))
        else:
            blocks.append(Block("p", parse_inlines(" ".join(lines))))
    return blocks


def _truncate_runs(runs: list[Inline], budget: int) -> tuple[list[Inline], int]:
    """Keep at most ``budget`` words of ``runs``; return the kept runs and words used."""
    kept: list[Inline] = []
    used = 0
    for kind, text, url in runs:
        words = text.split()
        if used + len(words) <= budget:
            kept.append((kind, text, url))
            used += len(words)
            continue
        part = " ".join(words[: budget - used])
        if part:
            lead = " " if text[:1].isspace() else ""
            kept.append((kind, lead + part.rstrip(",;:"), url))
        used = budget
        break
    return kept, used


def excerpt(blocks: list[Block], words: int, url: str | None) -> list[Block]:
    """The first ``words`` words of an article, ending in an ellipsis and a read-on line."""
    out: list[Block] = []
    left = words
    truncated = False
    for block in blocks:
        if left <= 0:
            truncated = True
            break
        if block.kind in ("ul", "ol"):
            items = []
            for item in block.items:
                kept, used = _truncate_runs(item, left)
                left -= used
                if kept:
                    items.append(kept)
                if left <= 0:
                    break
            out.append(Block(block.kind, items=items))
            continue
        kept, used = _truncate_runs(block.inlines, left)
        total = sum(len(t.split()) for _, t, _ in block.inlines)
        left -= used
        if used < total:
            kind, text, link = kept[-1] if kept else ("text", "", None)
            kept = kept[:-1] + [(kind, text + "…", link)]
            truncated = True
        out.append(Block(block.kind, kept))
        if truncated:
            break
    if truncated and url:
        out.append(Block("more", url=url))
    return out


def split_front_matter(text: str) -> tuple[dict, str]:
    if text.startswith("---"):
        _, head, body = text.split("---", 2)
        return yaml.safe_load(head) or {}, body
    return {}, text


def read_article(path: Path, excerpt_words: int | None) -> Article:
    meta, body = split_front_matter(path.read_text(encoding="utf-8"))
    blocks = parse_markdown(body)
    words = excerpt_words if excerpt_words is not None else meta.get("excerpt")
    if isinstance(words, int):
        blocks = excerpt(blocks, words, meta.get("url"))
    image = (path.parent / meta["image"]).resolve() if meta.get("image") else None
    date = meta.get("date")
    return Article(
        source=path,
        title=str(meta["title"]),
        byline=meta.get("byline"),
        date=str(date) if date is not None else None,
        url=meta.get("url"),
        image=image,
        caption=meta.get("caption"),
        blocks=blocks,
    )


def read_issue(manifest: str | Path) -> Issue:
    manifest = Path(manifest).resolve()
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    pub = data.get("publication", {})
    articles = []
    for entry in data.get("articles", []):
        if isinstance(entry, str):
            entry = {"file": entry}
        articles.append(read_article(manifest.parent / entry["file"], entry.get("excerpt")))
    return Issue(
        root=manifest.parent,
        name=pub.get("name", ""),
        tagline=pub.get("tagline", ""),
        publisher=pub.get("publisher", ""),
        website=pub.get("website", ""),
        volume=int(data.get("volume", 1)),
        number=int(data.get("number", 1)),
        date=str(data.get("date", "")),
        language=str(data.get("language", "en")),
        articles=articles,
    )


def plain_text(runs: list[Inline]) -> str:
    return "".join(text for _, text, _ in runs)
