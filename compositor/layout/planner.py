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

from dataclasses import dataclass

from compositor.layout.chunks import ImagePart
from compositor.layout.fillers import place_fillers
from compositor.layout.issue import lay_out_pass
from compositor.layout.linefit import close_holes
from compositor.layout.result import IssueLayout
from compositor.layout.score import score_of
from compositor.layout.setting import typesetter
from compositor.load.layout import LayoutSpec
from compositor.model.content import Issue

# Lines a photo in a column may be set taller to carry text on to a thin last page
# (each within `makeup.photo_lines` and its shape's limits).
GROW_LINES = (2, 4)
FRACTION_HOLE = 4.0  # body lines: a hole that fractions of a line at pauses may close


def layout_issue(issue: Issue, spec: LayoutSpec, optimal: bool | None = None,
                 photo_scale: float = 1.0, min_pages: int = 0, fill_last: bool = False,
                 refine: bool = True) -> IssueLayout:
    """Lay the issue out. With `fill_last` (a fitted issue) the last page's columns are
    filled to the foot like the others, not balanced short. With `refine`, holes left in
    the columns are then closed where setting paragraphs a line longer or shorter can
    (layout/linefit.py); fitting turns that off for its trial passes."""
    hint = [0]

    def lay_out(issue: Issue, loose: dict[int, int], mode: Mode) -> IssueLayout:
        # Later passes start from the page count the first found (an exact shortcut).
        made = lay_out_pass(issue, spec, optimal, photo_scale, min_pages, fill_last, loose,
                            mode.spill, hint[0], mode.grid)
        hint[0] = hint[0] or made.flow_pages
        return made

    def refined(first: IssueLayout, mode: Mode, base: dict[int, int]) -> IssueLayout:
        """Fillers pulled forward, then copyfitting, for the holes `first` has (laid out
        with the changes in `base`)."""
        if refine and (first.holes or first.foot_openings):
            if first.holes and any(a.filler for a in first.issue.articles):
                first = place_fillers(first, lambda moved: lay_out(moved, base, mode))
            if first.holes or first.foot_openings:
                issue = first.issue
                first = close_holes(first, lambda loose: lay_out(issue, {**base, **loose},
                                                                 mode),
                                    typesetter(spec, issue.language, optimal,
                                               issue.manifest))
        first.refits = {**base, **first.refits}
        return first

    # The make-ups to start the search from: the flow as it comes; for a thin last page,
    # with text held back for it and without (holding back can leave columns short
    # elsewhere), and with the photos a few lines taller, which carries text on; where
    # holes are left, with short columns filled by fractions of a line (off the grid).
    usual = Mode()
    first = lay_out(issue, {}, usual)
    options: list[tuple[IssueLayout, Mode, dict[int, int]]] = [(first, usual, {})]
    if first.spilled:
        options.append((lay_out(issue, {}, Mode(spill=False)), Mode(spill=False), {}))
    if refine:
        for layout, mode, _ in list(options):
            photos = photo_elements(layout) if layout.thin_lines > 0 else []
            for lines in GROW_LINES if photos else ():
                loose = {el: lines for el in photos}
                options.append((lay_out(issue, loose, mode), mode, loose))
        if any(lines < FRACTION_HOLE for _, _, lines in first.holes):
            # Fractions of a line at a column's pauses add up to a few lines at most: only
            # a hole that short can close this way, so only then is the pass spent.
            loose_grid = Mode(spill=first.spilled, grid=False)
            options.append((lay_out(issue, {}, loose_grid), loose_grid, {}))
    options.sort(key=lambda o: score_of(o[0]))  # stable: the flow as it comes on a tie
    best = refined(*options[0])
    runner_up = next((o for o in options[1:] if o[1].spill != options[0][1].spill), None)
    if (best.holes or best.foot_openings) and runner_up is not None:
        # Text held back for a thin last page can keep copyfitting from closing holes
        # that the make-up without it lets close: that one is searched too.
        other = refined(*runner_up)
        if score_of(other) < score_of(best):
            best = other
    return best


@dataclass(frozen=True)
class Mode:
    """How a pass makes up its pages: text held back for a thin last page (`spill`),
    short columns filled by whole lines only where their pauses allow (`grid`)."""

    spill: bool = True
    grid: bool = True


def photo_elements(layout: IssueLayout) -> list[int]:
    """The photos set in the columns (not across them), by structure element."""
    out = []
    for page in layout.pages:
        for p in page.placed:
            if p.chunk.kind != "figure":
                continue
            image = next((x for x in p.chunk.parts if isinstance(x, ImagePart)), None)
            if image is not None and image.tag is not None:
                out.append(image.tag.element)
    return list(dict.fromkeys(out))
