"""Closing holes by copyfitting: paragraphs set a line longer or shorter, photos resized.

A column stops short when what comes next (an article's title with its first lines, a
photo) does not fit under the end of its text. A layout artist closes such a hole by
hand: a few paragraphs above it are set one line looser, their words spread over one
more line, so the column fills; or a few are set one line tighter, so the next opening
fits where the hole was. Every line of such a paragraph stays within the designer's
word-space limits (no loose or tight line is made), and a paragraph is changed by one
line at most; text set ragged is made a line longer by breaking it at a slightly
narrower measure. A photo above the hole may also be set a few lines taller or shorter.

Each try is a layout pass over cached chunks; a try is kept only when the issue comes
out with no more pages and fewer empty lines in its holes. The number of tries is
bounded, so the cost stays a few layout passes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from compositor.layout.chunks import ImagePart
from compositor.layout.compose import opening_key
from compositor.layout.score import score_of, tries_for
from compositor.text.paragraph import SetParagraph, Typesetter

if TYPE_CHECKING:
    from compositor.layout.result import IssueLayout

MAX_TRIES = 24
MOST_TIGHTER = 3  # lines taken out above a hole so the next opening fits there
POOL = 60  # paragraphs before a hole that are considered
OPENING_TRIES = 2  # tries for an article opening at a column's foot
OPENING_BUDGET = 2  # of a search's tries, at most this many for openings at a foot


def close_holes(first: IssueLayout, lay_out: Callable[[dict[int, int]], IssueLayout],
                ts: Typesetter) -> IssueLayout:
    """The layout with the best make-up score these changes reach (fewest empty lines in
    holes, fewest articles opening at a column's foot with too few lines), starting from
    `first`; `lay_out` lays the issue out again with paragraph or photo element ->
    lines added (+) or taken away (-)."""
    state: dict[int, int] = {}
    best, best_score = first, score_of(first)
    tried: set[tuple] = set()
    tries = opening_tries = 0
    budget = tries_for(len(first.pages), MAX_TRIES)
    while (best.holes or best.foot_openings) and tries < budget:
        improved = False
        targets = [(_moves, hole) for hole in sorted(best.holes)]
        # Openings at a column's foot cost less than holes: a few tries in all.
        targets += [(_opening_moves, opening) for opening in best.foot_openings]
        for moves_for, target in targets:
            for move in moves_for(best, target, state, ts):
                if moves_for is _opening_moves:
                    if opening_tries >= OPENING_BUDGET:
                        break
                    opening_tries += 1
                trial_state = {**state, **move}
                key = tuple(sorted(trial_state.items()))
                if key in tried:
                    continue
                tried.add(key)
                tries += 1
                trial = lay_out(trial_state)
                score = score_of(trial)
                if score < best_score:
                    state, best, best_score = trial_state, trial, score
                    improved = True
                    break
                if tries >= budget:
                    break
            if improved or tries >= budget:
                break
        if not improved:
            break
    best.refits = state
    return best


def varied(ts: Typesetter, meta: dict, delta: int) -> SetParagraph | None:
    """The paragraph of a body line's `meta` set in `delta` more (or fewer) lines."""
    if not meta.get("rebreak"):
        if delta < 0 or not meta.get("vary"):
            return None  # ragged text can be made longer, never shorter
        runs, style, width, indent = meta["vary"]
        return ts.set_ragged_in_lines(runs, style, width, lines=meta["n"] + delta,
                                      indent=indent)
    runs, style, width, indent, hang = meta["rebreak"][:5]
    return ts.set_in_lines(runs, style, width, lines=meta["n"] + delta, indent=indent,
                           hang=hang)


def _cost(setting: SetParagraph) -> float:
    return sum(line.space_ratio() ** 2 for line in setting.lines)


def _moves(layout: IssueLayout, hole: tuple[int, int, float], state: dict[int, int],
           ts: Typesetter) -> list[dict[int, int]]:
    """Changes worth a try for one hole: paragraphs before it (in its column first, then
    the columns and pages before, nearest first) set a line looser to fill it, or a line
    tighter so what comes next moves up into it."""
    page, column, lines = hole
    paragraphs: dict[int, tuple[tuple[int, int, float], dict]] = {}
    for number in range(page, 0, -1):
        for p in layout.pages[number - 1].placed:
            m = p.chunk.meta
            if p.chunk.kind != "body" or not (m.get("rebreak") or m.get("vary")) or \
                    (number == page and p.column > column - 1):
                continue
            el = m["element"]
            if el not in state and el not in paragraphs:
                paragraphs[el] = ((number, p.column, p.y), m)
        if len(paragraphs) >= POOL:
            break
    nearest = sorted(paragraphs, key=lambda el: tuple(-v for v in paragraphs[el][0]))[:POOL]
    looser = [(el, s) for el in nearest if (s := varied(ts, paragraphs[el][1], 1)) is not None]
    tighter = [el for el in nearest if paragraphs[el][1]["n"] > 1
               and varied(ts, paragraphs[el][1], -1) is not None]
    moves: list[dict[int, int]] = []
    # Enough lines for the hole, or for every hole on its page (a page shortened to carry
    # text over to the boxes' last page is short in all its columns).
    on_page = sum(h for pg, _, h in layout.holes if pg == page)
    for k in dict.fromkeys((int(lines + 0.5), int(lines), int(on_page + 0.5))):
        k = min(k, len(looser))
        if k > 0:
            # The evenest settings among those nearest the hole.
            pool = sorted(looser[:max(k * 2, k + 2)], key=lambda es: _cost(es[1]))
            moves.append({el: 1 for el, _ in pool[:k]})
    # A line or two at a time from the nearest paragraphs, when more at once does not do.
    for k in (1, 2):
        if k < len(looser):
            moves.append({el: 1 for el, _ in looser[:k]})
    # Only the hole's own column, so nothing is pushed over a page or column before it.
    own = [(el, s) for el, s in looser if paragraphs[el][0][:2] == (page, column - 1)]
    if own and len(own) < len(looser):
        k = min(int(lines + 0.5), len(own))
        moves.append({el: 1 for el, _ in sorted(own, key=lambda es: _cost(es[1]))[:k]})
    for k in range(1, min(MOST_TIGHTER, len(tighter)) + 1):
        moves.append({el: -1 for el in tighter[:k]})
    # A photo on the hole's page, before it, a few lines taller (pushing the text after
    # it down into the hole) or a line or two shorter (so the next opening moves up).
    for p in sorted(layout.pages[page - 1].placed, key=lambda p: (-p.column, -p.y)):
        image = next((x for x in p.chunk.parts if isinstance(x, ImagePart)), None)
        if p.chunk.kind != "figure" or image is None or image.tag is None or \
                p.column > column - 1 or image.tag.element in state:
            continue
        # (As placed it may be a variant the flow chose, without settings of its own:
        # the composer takes the nearest setting it has.)
        moves.append({image.tag.element: int(lines + 0.5)})
        moves += [{image.tag.element: -k} for k in (1, 2)]
    return moves


def _opening_moves(layout: IssueLayout, opening: tuple[int, int, int], state: dict[int, int],
                   ts: Typesetter) -> list[dict[int, int]]:
    """Changes worth a try for an article that opens at a column's foot with too few
    lines: keep its title with its first lines (it moves to the next column), alone or
    with paragraphs before it set looser so they fill what it leaves."""
    page, column, article = opening
    keep = {opening_key(article): 1}
    if opening_key(article) in state:
        return []
    gap = layout.spec.styles["body"].leading
    here = [p for p in layout.pages[page - 1].placed if p.column == column - 1]
    own = [p for p in here if p.chunk.article == article]
    left = sum(p.chunk.height for p in own) / gap
    looser = [m for m in _moves(layout, (page, column, left), state, ts)
              if all(d > 0 for d in m.values())]
    moves = []
    # Paragraphs above the title in its column set a line tighter each, so the title
    # moves up and its first lines fit under it in the same column.
    short = int(layout.spec.section("makeup")["opening_lines"]) - sum(
        1 for p in own if p.chunk.kind == "body")
    top = min((p.y for p in own), default=0.0)
    above: dict[int, dict] = {}
    for p in sorted(here, key=lambda p: -p.y):
        m = p.chunk.meta
        if p.y < top and p.chunk.kind == "body" and m.get("rebreak") and m["n"] > 1 \
                and m["element"] not in state and m["element"] not in above \
                and varied(ts, m, -1) is not None:
            above[m["element"]] = m
    if 0 < short <= len(above):
        moves.append({el: -1 for el in list(above)[:short]})
    return [*moves, keep, *({**keep, **m} for m in looser[:OPENING_TRIES - 1])]
