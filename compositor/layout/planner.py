"""The make-up planner: where the decisions about the issue's make-up are taken.

A layout pass (layout/issue.py) composes the articles, flows them into the pages and
makes the page-local choices (the lead photo's height, where the contents box goes, text
held back for the boxes' page). The planner then searches over whole-issue changes, each
laid out again and judged by one score (layout/score.py): filler items pulled forward to
the holes they close (layout/fillers.py), then paragraphs set a line looser or tighter and
photos a few lines taller or shorter (layout/linefit.py). A change is kept only when the
score improves; each search spends a bounded number of passes.
"""

from __future__ import annotations

from compositor.layout.fillers import place_fillers
from compositor.layout.issue import lay_out_pass
from compositor.layout.linefit import close_holes
from compositor.layout.result import IssueLayout
from compositor.layout.score import score_of
from compositor.layout.setting import typesetter
from compositor.load.layout import LayoutSpec
from compositor.model.content import Issue


def layout_issue(issue: Issue, spec: LayoutSpec, optimal: bool | None = None,
                 photo_scale: float = 1.0, min_pages: int = 0, fill_last: bool = False,
                 refine: bool = True) -> IssueLayout:
    """Lay the issue out. With `fill_last` (a fitted issue) the last page's columns are
    filled to the foot like the others, not balanced short. With `refine`, holes left in
    the columns are then closed where setting paragraphs a line longer or shorter can
    (layout/linefit.py); fitting turns that off for its trial passes."""
    hint = [0]

    def lay_out(issue: Issue, loose: dict[int, int], spill: bool) -> IssueLayout:
        # Later passes start from the page count the first found (an exact shortcut).
        made = lay_out_pass(issue, spec, optimal, photo_scale, min_pages, fill_last, loose,
                            spill, hint[0])
        hint[0] = hint[0] or made.flow_pages
        return made

    def refined(first: IssueLayout, spill: bool) -> IssueLayout:
        """Fillers pulled forward, then copyfitting, for the holes `first` has."""
        if not refine or not (first.holes or first.foot_openings):
            return first
        if first.holes and any(a.filler for a in first.issue.articles):
            first = place_fillers(first, lambda moved: lay_out(moved, {}, spill))
            if not (first.holes or first.foot_openings):
                return first
        issue = first.issue
        return close_holes(first, lambda loose: lay_out(issue, loose, spill),
                           typesetter(spec, issue.language, optimal, issue.manifest))

    first = lay_out(issue, {}, True)
    if not first.spilled:
        return refined(first, True)
    # Text held back for a thin last page can leave columns short elsewhere, or keep
    # copyfitting from closing them: the score decides between the two make-ups, each
    # as far as the search takes it.
    plain = lay_out(issue, {}, False)
    best = min((first, plain), key=score_of)
    best = refined(best, best is first)
    if best.holes or best.foot_openings:
        other = refined(plain if best.spilled else first, not best.spilled)
        if score_of(other) < score_of(best):
            best = other
    return best
