"""The content of an issue: articles made of blocks made of styled runs of text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from compositor.errors import Location


@dataclass(frozen=True)
class Run:
    """A stretch of text in one style. Text is always literal: it is never parsed as markup."""

    text: str
    italic: bool = False
    bold: bool = False
    code: bool = False
    href: str | None = None


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    where: Location
    role: str = "body"  # body | lead | excerpt-end | fulltext | box | caption


@dataclass(frozen=True)
class Heading:
    runs: tuple[Run, ...]
    level: int  # 2 or 3 (level 1 is the article title)
    where: Location


@dataclass(frozen=True)
class ListBlock:
    items: tuple[tuple[Block, ...], ...]
    ordered: bool
    start: int
    where: Location


@dataclass(frozen=True)
class Quote:
    blocks: tuple[Block, ...]
    where: Location
    pull: bool = False
    optional: bool = False  # from front matter: fitting may leave it out


@dataclass(frozen=True)
class Figure:
    path: Path
    caption: tuple[Run, ...]
    alt: str
    where: Location
    pixel_size: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Rule:
    where: Location


Block = Paragraph | Heading | ListBlock | Quote | Figure | Rule


@dataclass(frozen=True)
class Article:
    title: str
    where: Location
    blocks: tuple[Block, ...]
    toc_title: str | None = None
    byline: str | None = None
    date: dt.date | None = None
    url: str | None = None
    lead: Figure | None = None
    excerpt: int | None = None  # word budget, None = full text
    words_total: int = 0
    words_kept: int = 0
    excerpt_mode: str = "none"  # none | fixed | auto (fitting may cut at a sentence end)
    all_blocks: tuple[Block, ...] = ()  # the full text, before any excerpt
    jump: bool = False  # opens on page 1 and continues later
    new_page: bool = False  # starts a page, title and photo across the columns
    filler: bool = False  # make-up may move it forward to fill a gap a column leaves

    @property
    def contents_title(self) -> str:
        return self.toc_title or self.title

    @property
    def cut(self) -> bool:
        return self.words_kept < self.words_total


@dataclass(frozen=True)
class Box:
    title: str | None
    blocks: tuple[Block, ...]
    where: Location
    page: str | int = "last"  # "first" | "last" | "own" (a page of its own) | number


@dataclass(frozen=True)
class Publication:
    name: str
    tagline: str | None = None
    publisher: str | None = None
    website: str | None = None
    logo: Path | None = None
    key: str | None = None  # the feed's tag: authority; None: made from the name


@dataclass(frozen=True)
class Issue:
    manifest: Path
    publication: Publication
    date_text: str
    language: str
    layout_ref: str
    layout_where: Location
    articles: tuple[Article, ...]
    boxes: tuple[Box, ...] = ()
    volume: str | None = None
    numbers: tuple[str, ...] = ()
    pages: int | None = None
    warnings: tuple[str, ...] = field(default=())

    def issue_line_with(self, volume: str, number: str, numbers: str, sep: str = ", ") -> str:
        """'Volume 4, Numbers 19–20' (or whatever parts are given) from the layout's
        templates for the words (layout/furniture.py)."""
        parts = []
        if self.volume:
            parts.append(volume.format(volume=self.volume))
        if len(self.numbers) == 1:
            parts.append(number.format(number=self.numbers[0]))
        elif self.numbers:
            parts.append(numbers.format(numbers=number_list(self.numbers)))
        return sep.join(parts)

    @property
    def name(self) -> str:
        """The output base name: the issue's folder name."""
        return self.manifest.resolve().parent.name or "issue"


def number_list(numbers: tuple[str, ...]) -> str:
    """'19–20' for consecutive issue numbers (a double issue), else '19, 21'."""
    try:
        values = [int(n) for n in numbers]
    except ValueError:
        return ", ".join(numbers)
    if all(b == a + 1 for a, b in zip(values, values[1:], strict=False)):
        return f"{numbers[0]}\u2013{numbers[-1]}"
    return ", ".join(numbers)
