"""Page turns: the last line of a page (or of a column that ends in a jump line) never ends
in a hyphen, since the reader must carry half a word over the turn.

Runs after page make-up. A paragraph whose line at such a turn is hyphenated is broken
again with that line barred from hyphenating and with the same number of lines, so no
chunk changes height and the make-up stands; when the paragraph has no such setting it
is left as it was.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from compositor.layout.chunks import Chunk
from compositor.layout.pages import FlowResult

if TYPE_CHECKING:
    from compositor.layout.compose import Composer


def turn_lines(placed: list) -> list[Chunk]:
    """Body lines a reader leaves to turn a page or follow a jump, in flow order."""
    out: list[Chunk] = []
    for k, p in enumerate(placed):
        nxt = placed[k + 1] if k + 1 < len(placed) else None
        if p.chunk.kind != "body" or "k" not in p.chunk.meta:
            continue
        if nxt is None:
            continue  # the end of the issue: nothing follows
        if nxt.page != p.page or nxt.chunk.kind == "jump":
            out.append(p.chunk)
    return out


def avoid_hyphen_at_turns(result: FlowResult, chunks: list[Chunk], comp: Composer
                          ) -> tuple[FlowResult, list[Chunk]]:
    swap: dict[int, Chunk] = {}  # id of a line chunk -> its replacement
    turns = [t for t in turn_lines(result.placed) if t.meta.get("hyphen")]
    if not turns:
        return result, chunks
    by_element: dict[int, list[Chunk]] = {}
    for c in chunks:
        if c.kind == "body" and "k" in c.meta:
            by_element.setdefault(c.meta["element"], []).append(c)
    for turn in turns:
        meta = turn.meta
        parts = comp.without_hyphen_at(meta)
        if parts is None:
            continue
        lines = by_element.get(meta["element"], [])
        if len(lines) != len(parts):
            continue
        for c in lines:
            line_parts, line = parts[c.meta["k"]]
            swap[id(c)] = replace(c, parts=line_parts, meta={
                **c.meta, "ratio": line.space_ratio(), "hyphen": line.hyphenated,
                "justified": line.justified,
                "runt": c.meta["n"] > 1 and c.meta["k"] == c.meta["n"] - 1 and line.is_runt()})
    if not swap:
        return result, chunks
    placed = [replace(p, chunk=swap[id(p.chunk)]) if id(p.chunk) in swap else p
              for p in result.placed]
    return (replace(result, placed=placed),
            [swap.get(id(c), c) for c in chunks])
