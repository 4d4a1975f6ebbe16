"""Flowing chunks through column slots: breaks only where the chunks allow them.

A chunk with keep_before may not start a column; body lines use this for widow and orphan
control, titles and figures to stay with the first lines that follow them.
"""

from __future__ import annotations

from dataclasses import dataclass

from compositor.layout.chunks import Chunk

EPS = 0.01


@dataclass(frozen=True)
class Slot:
    """One column (or part of one) on one page, in points from the page's top-left."""

    page: int
    column: int
    x: float
    top: float
    bottom: float
    width: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class Placed:
    chunk: Chunk
    page: int
    column: int
    x: float
    y: float  # top of the chunk, from the page top


def fill(chunks: list[Chunk], start: int, height: float, full: bool) -> tuple[int, int, bool]:
    """How many chunks from `start` go into a column of `height`.

    Returns (first, end, forced): chunks[first:end] go into the column (leading spacing
    skipped); forced is True when no allowed break existed and the rules were overridden.
    A partial column (`full` False) is left empty rather than breaking a rule.
    """
    n = len(chunks)
    i = start
    while i < n and chunks[i].discard:
        i += 1
    used = 0.0
    j = i
    last_ok = None
    while j < n:
        if chunks[j].kind == "pagebreak":
            break  # an article that opens a page ends this one
        h = chunks[j].height
        if used + h > height + EPS:
            break
        used += h
        j += 1
        if j < n and not chunks[j].keep_before:
            last_ok = j
    if j >= n:
        return i, n, False
    if j > i and (not chunks[j].keep_before or chunks[j].kind == "pagebreak"):
        return i, j, False
    if last_ok is not None and last_ok > i:
        return i, last_ok, False
    if not full:
        return i, i, False
    return i, max(j, i + 1), True


def place(chunks: list[Chunk], first: int, end: int, slot: Slot) -> list[Placed]:
    out = []
    y = slot.top
    for c in chunks[first:end]:
        out.append(Placed(c, slot.page, slot.column, slot.x, y))
        y += c.height
    return out


def column_height(chunks: list[Chunk], first: int, end: int) -> float:
    return sum(c.height for c in chunks[first:end])
