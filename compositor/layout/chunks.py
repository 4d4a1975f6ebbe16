"""What flows through columns: chunks of fixed height made of positioned drawing parts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from compositor.text.paragraph import Line


@dataclass(frozen=True, slots=True)
class Tag:
    """Where a part belongs in the document structure (for tagged PDF and reading order)."""

    role: str  # H1, H2, H3, P, LI, Lbl, Caption, Figure, BlockQuote, Artifact
    element: int  # parts with the same element id form one structure element
    parent: int = 0  # enclosing element id (0 = the article or box)


@dataclass(frozen=True, slots=True)
class TextPart:
    line: Line
    dx: float
    baseline: float  # from the chunk top
    align: str = "left"  # left | justify | center | right
    tag: Tag | None = None


@dataclass(frozen=True, slots=True)
class ImagePart:
    path: Path
    dx: float
    dy: float
    width: float
    height: float
    alt: str
    pixel_size: tuple[int, int]
    tag: Tag | None = None
    crop: tuple[int, int, int, int] | None = None  # pixel box to keep, left top right bottom
    matte: str | None = None  # colour under the image, for transparent pixels (else paper)


@dataclass(frozen=True, slots=True)
class RulePart:
    dx: float
    dy: float
    length: float
    thickness: float
    color: str
    vertical: bool = False


@dataclass(frozen=True, slots=True)
class RectPart:
    dx: float
    dy: float
    width: float
    height: float
    color: str


@dataclass(frozen=True, slots=True)
class LinkPart:
    """A clickable area; target is a URL or '#anchor'."""

    dx: float
    dy: float
    width: float
    height: float
    target: str


Part = TextPart | ImagePart | RulePart | RectPart | LinkPart


@dataclass(frozen=True)
class Chunk:
    """An unbreakable piece of a column.

    keep_before: the column may not break between the previous chunk and this one.
    discard: dropped when it would start a column (spacing between paragraphs).
    anchor: a link target placed at this chunk's top (an article's start).
    """

    height: float
    parts: tuple[Part, ...]
    keep_before: bool = False
    discard: bool = False
    anchor: str | None = None
    article: int | None = None
    kind: str = "body"  # body | head | figure | space | rule | end
    lines: int = 0  # body lines carried (for widow/orphan accounting)
    meta: dict = field(default_factory=dict, compare=False)


def space(height: float, article: int | None = None) -> Chunk:
    return Chunk(height, (), discard=True, article=article, kind="space")
