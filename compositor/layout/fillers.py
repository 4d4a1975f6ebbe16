"""Fillers: short items an editor marks `filler: true`, which make-up may pull forward.

A newsletter keeps a few short items (a notice, a quotation, a date to remember) to plug
the gap where an article ends a few lines above a column's foot and the next one cannot
open there. Such an item is moved, whole, to just after the article that ends at a hole,
when the issue then comes out with fewer empty lines and no more pages; otherwise it
stays where the manifest put it. Only items marked so are ever moved: the editor's order
is kept for everything else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from compositor.layout.makeup import ink
from compositor.layout.score import score_of, tries_for

if TYPE_CHECKING:
    from compositor.layout.result import IssueLayout
    from compositor.model.content import Issue

MAX_MOVES = 4
MAX_TRIES = 24


def place_fillers(first: IssueLayout, lay_out: Callable[[Issue], IssueLayout]
                  ) -> IssueLayout:
    """The layout with filler items moved forward to the holes they close best."""
    best = first
    budget = tries_for(len(first.pages), MAX_TRIES)
    for _ in range(MAX_MOVES):
        if not best.holes:
            break
        issue = best.issue
        score = score_of(best)
        fillers = [i for i, a in enumerate(issue.articles) if a.filler and i > 0
                   and not a.new_page]
        chosen = None
        for spot in ends_at_holes(best):
            for f in fillers:
                if f <= spot + 1 or budget <= 0:
                    continue  # only pulled forward, and not to where it already is
                budget -= 1
                articles = list(issue.articles)
                articles.insert(spot + 1, articles.pop(f))
                trial = lay_out(replace(issue, articles=tuple(articles)))
                trial_score = score_of(trial)
                if trial_score < (chosen[0] if chosen else score):
                    chosen = (trial_score, trial)
        if chosen is None:
            break
        best = chosen[1]
    return best


def ends_at_holes(layout: IssueLayout) -> list[int]:
    """Articles whose text ends just above a hole, in issue order."""
    out: set[int] = set()
    for page, column, _ in layout.holes:
        above = [p for p in layout.pages[page - 1].placed
                 if p.column == column - 1 and p.chunk.article is not None
                 and p.chunk.kind not in ("box", "contents") and ink(p) is not None]
        if above:
            out.add(max(above, key=lambda p: p.y + p.chunk.height).chunk.article)
    return sorted(out)
