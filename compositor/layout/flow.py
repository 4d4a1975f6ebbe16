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
    limit = height + EPS
    chunk = chunks[j] if j < n else None
    while chunk is not None:
        if chunk.kind == "pagebreak":
            break  # an article that opens a page ends this one
        h = chunk.height
        if used + h > limit:
            break
        used += h
        j += 1
        chunk = chunks[j] if j < n else None
        if chunk is not None and not chunk.keep_before:
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


_new = object.__new__


def place(chunks: list[Chunk], first: int, end: int, slot: Slot) -> list[Placed]:
    # Make-up flows an issue hundreds of times per build, placing a few hundred thousand
    # chunks; a frozen dataclass's __init__ sets each field through object.__setattr__,
    # which made it most of the flow's time. Filling the instance's dict directly gives
    # the same object (fields, equality, hash) at a third of the cost.
    page, column, x, y = slot.page, slot.column, slot.x, slot.top
    out = []
    append = out.append
    for c in chunks[first:end]:
        placed = _new(Placed)
        fields = placed.__dict__
        fields["chunk"] = c
        fields["page"] = page
        fields["column"] = column
        fields["x"] = x
        fields["y"] = y
        append(placed)
        y += c.height
    return out


def column_height(chunks: list[Chunk], first: int, end: int) -> float:
    return sum([c.height for c in chunks[first:end]])  # a list sums faster than a generator
