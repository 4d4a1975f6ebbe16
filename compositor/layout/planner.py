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

import math
from dataclasses import dataclass, replace

from compositor.errors import Location
from compositor.layout.chunks import ImagePart, TextPart
from compositor.layout.compose import is_portrait
from compositor.layout.fillers import place_fillers
from compositor.layout.issue import lay_out_pass
from compositor.layout.linefit import close_holes
from compositor.layout.result import IssueLayout
from compositor.layout.score import last_spread, score_of
from compositor.layout.setting import typesetter
from compositor.layout.variants import with_leading, with_photo_columns, with_title_lines
from compositor.load.layout import LayoutSpec
from compositor.model.content import Figure, Issue

# Lines a photo in a column may be set taller to carry text on to a thin last page
# (each within `makeup.photo_lines` and its shape's limits).
GROW_LINES = (2, 4)
WIDE_COLUMNS = 2  # columns a landscape photo may take to carry text on to a thin last page
LEADING_STEP = 0.05  # points: body leadings tried for a thin last page
BEAM = 2  # make-ups moved on from in each round of the thin-page search
# Passes the thin-page search may spend: about THIN_TRY_PAGES pages laid out, between
# MIN_THIN_TRIES and THIN_TRIES passes (a 5-page issue gets 16, a 16-page one 6).
THIN_TRIES = 16
THIN_TRY_PAGES = 100
MIN_THIN_TRIES = 2
TITLE_LINES = 4  # titles over this many lines may be set smaller where that scores better
FRACTION_HOLE = 4.0  # body lines: a hole that fractions of a line at pauses may close


def layout_issue(issue: Issue, spec: LayoutSpec, optimal: bool | None = None,
                 photo_scale: float = 1.0, min_pages: int = 0, fill_last: bool = False,
                 refine: bool = True) -> IssueLayout:
    """Lay the issue out. With `fill_last` (a fitted issue) the last page's columns are
    filled to the foot like the others, not balanced short. With `refine`, holes left in
    the columns are then closed where setting paragraphs a line longer or shorter can
    (layout/linefit.py); fitting turns that off for its trial passes."""
    hint = [0]
    wide = with_photo_columns(spec, WIDE_COLUMNS) if widens(spec, issue) else None

    def lay_out(issue: Issue, loose: dict[int, int], mode: Mode) -> IssueLayout:
        # Later passes start from the page count the first found (an exact shortcut).
        used = wide if mode.wide and wide else spec
        if mode.titles:
            used = with_title_lines(used, mode.titles)
        if mode.leading:
            used = with_leading(used, mode.leading)
        made = lay_out_pass(issue, used, optimal,
                            photo_scale, min_pages, fill_last, loose, mode.spill, hint[0],
                            mode.grid)
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
    # without the text held back for it (holding back can leave columns short
    # elsewhere); where holes are left, with short columns filled by fractions of a line
    # (off the grid).
    usual = Mode()
    first = lay_out(issue, {}, usual)
    options: list[tuple[IssueLayout, Mode, dict[int, int]]] = [(first, usual, {})]
    if first.spilled:
        options.append((lay_out(issue, {}, Mode(spill=False)), Mode(spill=False), {}))
    if refine and any(lines < FRACTION_HOLE for _, _, lines in first.holes):
        # Fractions of a line at a column's pauses add up to a few lines at most: only
        # a hole that short can close this way, so only then is the pass spent.
        loose_grid = Mode(spill=first.spilled, grid=False)
        options.append((lay_out(issue, {}, loose_grid), loose_grid, {}))
    smaller: Option | None = None
    if refine and not int(spec.section("article")["title_lines"]) and (
            last_spread(first) > 0 or first.foot_openings) and long_titles(first):
        # A title that runs down a narrow column moves as one block with its first
        # lines: the last page's columns cannot end together, or it opens at a column's
        # foot. Set smaller (as a designer would), it may fit where it should.
        mode = Mode(spill=first.spilled, titles=TITLE_LINES)
        smaller = (lay_out(issue, {}, mode), mode, {})
    if refine and not fill_last and any(o[0].thin_lines > 0 for o in options):
        photos = photo_elements(first)

        def made(mode: Mode) -> tuple[IssueLayout, Mode, dict[int, int]]:
            loose = {el: mode.grow for el in photos} if mode.grow else {}
            return lay_out(issue, loose, mode), mode, loose

        options = thin_page_search(options, made, spec, wide is not None, bool(photos),
                                   max(MIN_THIN_TRIES, min(THIN_TRIES,
                                                           THIN_TRY_PAGES // len(first.pages))))
    options.sort(key=lambda o: score_of(o[0]))  # stable: the flow as it comes on a tie
    best = refined(*options[0])
    runner_up = next((o for o in options[1:] if o[1].spill != options[0][1].spill), None)
    if (best.holes or best.foot_openings) and runner_up is not None:
        # Text held back for a thin last page can keep copyfitting from closing holes
        # that the make-up without it lets close: that one is searched too.
        other = refined(*runner_up)
        if score_of(other) < score_of(best):
            best = other
    if smaller is not None and (best.holes or best.foot_openings or last_spread(best) > 0) \
            and promising(smaller[0], first):
        # Smaller titles move openings and holes all through the issue, which copyfitting
        # may then close: judged after it, not before.
        other = refined(*smaller)
        if score_of(other) < score_of(best):
            best = other
    body, used = spec.styles["body"].leading, best.spec.styles["body"].leading
    if used != body:
        best.notes.append((Location(issue.manifest), f"body leading loosened from {body:g} "
                           f"to {used:g} pt to carry text on to a last page that would "
                           "fill under a quarter of its columns"))
    article, chosen = spec.section("article"), best.spec.section("article")
    if chosen["photo_columns"] != article["photo_columns"]:
        best.notes.append((Location(issue.manifest), "landscape photos in the text set "
                           f"across {chosen['photo_columns']} columns to carry text on to a "
                           "last page that would fill under a quarter of its columns"))
    if chosen["title_lines"] != article["title_lines"]:
        best.notes.append((Location(issue.manifest), f"titles over {chosen['title_lines']} "
                           "lines in their column set smaller, so articles open where they "
                           "should and the last page's columns end together"))
    return best


@dataclass(frozen=True)
class Mode:
    """How a pass makes up its pages: text held back for a thin last page (`spill`),
    short columns filled by whole lines only where their pauses allow (`grid`)."""

    spill: bool = True
    grid: bool = True
    wide: bool = False  # landscape photos in the text set across WIDE_COLUMNS columns
    leading: float = 0.0  # body leading (points) instead of the layout's; 0: the layout's
    grow: int = 0  # lines each photo in a column is set taller (within its shape's limits)
    titles: int = 0  # titles over this many lines set smaller (`article.title_lines`); 0: not


def promising(trial: IssueLayout, first: IssueLayout) -> bool:
    """Is a make-up worth copyfitting beside the usual one: does it, as it comes, score
    better, or open fewer articles at a column's foot, or end the last page's columns
    closer together?"""
    return score_of(trial) < score_of(first) or \
        len(trial.foot_openings) < len(first.foot_openings) or \
        last_spread(trial) < last_spread(first)


def long_titles(layout: IssueLayout) -> bool:
    """Does any article title in a column run over TITLE_LINES lines?"""
    return any(p.chunk.kind == "head" and "title" in p.chunk.meta and sum(
        1 for part in p.chunk.parts if isinstance(part, TextPart) and part.tag is not None
        and part.tag.role == "H1") > TITLE_LINES
        for page in layout.pages for p in page.placed)


Option = tuple[IssueLayout, "Mode", dict[int, int]]


def thin_page_search(options: list[Option], made, spec: LayoutSpec, widen: bool,
                     photos: bool, budget: int) -> list[Option]:
    """The make-ups a beam search reaches from `options` for a last page whose text fills
    under a quarter of its columns. A move changes one decision of a make-up (text held
    back for the last page or not, photos a few lines taller, landscape photos across two
    columns, body leading a step looser or tighter); the best BEAM make-ups by score are
    moved on from, until `budget` passes are spent or no move is left. All are returned,
    the search's starting points first."""
    seen = {mode: (layout, mode, loose) for layout, mode, loose in options}
    done: set[Mode] = set()
    spent = 0
    while spent < budget:
        ranked = sorted(seen.values(), key=lambda o: score_of(o[0]))
        frontier = [o for o in ranked if o[1] not in done][:BEAM]
        if not frontier:
            break
        for layout, mode, _ in frontier:
            done.add(mode)
            for move in moves(layout, mode, spec, widen, photos):
                if move in seen or spent >= budget:
                    continue
                seen[move] = made(move)
                spent += 1
    return list(seen.values())


def moves(layout: IssueLayout, mode: Mode, spec: LayoutSpec, widen: bool, photos: bool
          ) -> list[Mode]:
    """The make-ups one decision away from `mode` worth a pass, given how `layout` (laid
    out with it) looks."""
    out: list[Mode] = []
    thin = layout.thin_lines > 0
    flawed = thin or layout.holes or layout.foot_openings or last_spread(layout) > 0
    if not flawed:
        return out
    looser = round(mode.leading + LEADING_STEP, 2)
    may_loosen = looser <= float(spec.section("makeup")["max_leading"]) + 1e-6
    if thin:
        out.append(replace(mode, spill=not mode.spill))
        if mode.leading:
            if may_loosen:
                out.append(replace(mode, leading=looser))
        elif (leading := thin_leading(layout, spec)) is not None:
            out.append(replace(mode, leading=leading))
        if photos and mode.grow < max(GROW_LINES):
            out.append(replace(mode, grow=min(g for g in GROW_LINES if g > mode.grow)))
        if widen and not mode.wide:
            out.append(replace(mode, wide=True))
    elif mode.leading:
        # Loosened too far (a hole or an opening at a column's foot came with it): a step
        # back, or a step further.
        lower = round(mode.leading - LEADING_STEP, 2)
        out.append(replace(mode, leading=lower if lower > spec.styles["body"].leading
                           + 1e-6 else 0.0))
        if may_loosen:
            out.append(replace(mode, leading=looser))
    return out


def thin_leading(layout: IssueLayout, spec: LayoutSpec) -> float | None:
    """The body leading to try first for a thin last page: the one that carries just the
    lines the page lacks (in proportion to the lines before it), at most
    `makeup.max_leading`. None when the layout may not loosen."""
    top = float(spec.section("makeup")["max_leading"])
    body = spec.styles["body"].leading
    lines = sum(layout.capacity.get(p.number, 0.0) for p in layout.pages[:-1]) \
        * spec.columns / body
    if layout.thin_lines <= 0 or top < body + LEADING_STEP or lines <= 0:
        return None
    need = math.ceil(body * (1 + layout.thin_lines / lines) / LEADING_STEP) * LEADING_STEP
    return round(min(need, top), 2)


def widens(spec: LayoutSpec, issue: Issue) -> bool:
    """May the make-up set landscape photos in the text across columns the layout sets
    them in one, and has the issue any?"""
    return spec.columns >= WIDE_COLUMNS and \
        int(spec.section("article")["photo_columns"]) < WIDE_COLUMNS and any(
            isinstance(b, Figure) and not is_portrait(b)
            for a in issue.articles for b in a.blocks)


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
