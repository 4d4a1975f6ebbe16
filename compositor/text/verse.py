"""Couplets: verse set as two hemistichs side by side, each justified to its half.

Persian and Arabic poetry (a ghazal's beyt, a qasida's bayt) is printed with a couplet's
two halves on one line, in two equal halves with a gap between them; the first half is
on the reading side (right in a right-to-left edition). Each half is as wide as the
poem's widest hemistich (a little more), at most half the measure, and justified to that
width with word spaces and kashida, so the halves of every couplet line up down the poem,
which stands centred in its column. When a half does not fit half the measure (a narrow
column), the poem is stacked instead: every hemistich on a line of its own, centred.

The text engine receives a verse paragraph as one paragraph whose lines are couplets
(separated by line breaks) and whose halves are separated by VERSE_BREAK (markdown.py
puts it there: an author never types it, since typed em spaces become word spaces).
A couplet side by side is a single line, so no column or page break can part it.
"""

from __future__ import annotations

from dataclasses import replace

from compositor.model.content import Run

VERSE_BREAK = "\u2003"  # between a couplet's halves; never drawn
GAP_EM = 2.0  # the least gap between the halves, in em
GAP_SHARE = 0.08  # or this share of the measure, whichever is wider
VERSE_SLACK = 0.06  # a half is this much wider than the poem's widest hemistich


def is_verse(runs: tuple[Run, ...]) -> bool:
    return any(VERSE_BREAK in r.text for r in runs)


def couplets(runs: tuple[Run, ...]) -> list[list[tuple[Run, ...]]]:
    """The verse's lines, each a list of its halves (one or two), each half its runs."""
    lines: list[list[list[Run]]] = [[[]]]
    for run in runs:
        text = run.text
        piece = ""
        for ch in text + "\0":
            if ch in ("\n", VERSE_BREAK, "\0"):
                if piece.strip():
                    lines[-1][-1].append(replace(run, text=piece.strip()))
                piece = ""
                if ch == "\n":
                    lines.append([[]])
                elif ch == VERSE_BREAK:
                    lines[-1].append([])
            else:
                piece += ch
    out = []
    for line in lines:
        halves = [tuple(h) for h in line if h]
        if halves:
            out.append(halves)
    return out


def gap(measure: float, size: float) -> float:
    return max(GAP_EM * size, GAP_SHARE * measure)
