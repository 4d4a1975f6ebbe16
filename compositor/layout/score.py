"""The make-up score: one measure of how a laid-out issue looks, which every make-up
search (copyfitting, fillers, fitting) compares its tries by, and what each search may
spend.

Lower is better. Pages come first (a try that adds a page is never better), then how
badly the empty runs in the columns show: an empty line inside the issue counts three
times, because a short last page reads as the end and a hole on page 2 does not. A last
page whose text fills under a quarter of its columns (a few lines spilled over above
the boxes) counts each line it is short of that quarter; an article that opens at a
column's foot with fewer than `makeup.opening_lines` lines under its title counts as a
two-line hole; a column whose baselines left the grid to be filled counts as two
empty lines on the last page; each line by which the last page's columns end further
apart than one counts as two empty lines there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from compositor.layout.result import IssueLayout

# Each try lays out the whole issue again: a long issue gets fewer, so the make-up costs
# about as much as this many pages laid out, never a multiple of the issue's length.
TRY_PAGES = 400
MIN_TRIES = 2
INNER_HOLE_WEIGHT = 3
# A line the last page's text falls short of a quarter of its columns (an unfitted issue
# whose last page reads as spilled over) weighs as much as an empty line on that page.
THIN_WEIGHT = 1
# An article opening at a column's foot with its title and a line or two weighs as much as
# a two-line hole inside the issue: the make-up lets one open there only to close a
# larger hole.
OPENING_WEIGHT = 6
# A column filled by fractions of a line, its baselines off its neighbours', weighs as
# much as two empty lines on the last page: better than a hole inside the issue.
OFF_GRID_WEIGHT = 2


# Each line by which the last page's columns end further apart than one line weighs as
# much as two empty lines there: the white above the boxes should be one even band.
SPREAD_WEIGHT = 2


def last_spread(layout: IssueLayout) -> float:
    """How many lines further apart than one the last page's columns end."""
    return max(0.0, getattr(layout, "end_spread", 0.0) - 1.0)


def hole_score(holes: list[tuple[int, int, float]], pages: int) -> float:
    """How badly a layout's holes show: empty lines, three times over on a page that is
    not the last."""
    return round(sum(lines * (1 if page == pages else INNER_HOLE_WEIGHT)
                     for page, _, lines in holes), 1)


def score_of(layout: IssueLayout) -> tuple[int, float]:
    """Pages first, then how badly the holes show and how far the last page's text falls
    short of a quarter of its columns (a line of each counts alike): lower is better."""
    return len(layout.pages), round(hole_score(layout.holes, len(layout.pages))
                                    + THIN_WEIGHT * layout.thin_lines
                                    + OPENING_WEIGHT * len(layout.foot_openings)
                                    + OFF_GRID_WEIGHT * layout.off_grid
                                    + SPREAD_WEIGHT * last_spread(layout), 1)


def tries_for(pages: int, most: int) -> int:
    """How many whole-issue layout passes a make-up search may spend on an issue."""
    return max(MIN_TRIES, min(most, TRY_PAGES // max(1, pages)))


def score_parts(layout: IssueLayout) -> dict:
    """The score of a layout and what each page adds to it, for the fit report and the
    preview: a designer sees why a page looks as it does."""
    pages = len(layout.pages)
    by_page: dict[int, dict] = {}
    holes = getattr(layout, "holes", ())
    openings = getattr(layout, "foot_openings", ())
    thin = getattr(layout, "thin_lines", 0.0)

    def entry(page: int) -> dict:
        return by_page.setdefault(page, {"page": page, "empty_lines": 0.0, "openings": 0,
                                         "thin_lines": 0.0, "uneven_lines": 0.0,
                                         "off_grid_columns": 0,
                                         "score": 0.0})

    for page, _, lines in holes:
        e = entry(page)
        e["empty_lines"] = round(e["empty_lines"] + lines, 1)
        e["score"] += lines * (1 if page == pages else INNER_HOLE_WEIGHT)
    for page, _, _ in openings:
        e = entry(page)
        e["openings"] += 1
        e["score"] += OPENING_WEIGHT
    if thin:
        e = entry(pages - (1 if getattr(layout, "boxes_page", 0) else 0))
        e["thin_lines"] = thin
        e["score"] += THIN_WEIGHT * thin
    uneven = last_spread(layout)
    if uneven:
        e = entry(pages - (1 if getattr(layout, "boxes_page", 0) else 0))
        e["uneven_lines"] = round(uneven, 1)
        e["score"] += SPREAD_WEIGHT * uneven
    off = getattr(layout, "off_grid", 0)
    if off:
        e = entry(0)  # page 0: the whole issue (columns off the grid are not by page)
        e["off_grid_columns"] = off
        e["score"] += OFF_GRID_WEIGHT * off
    for e in by_page.values():
        e["score"] = round(e["score"], 1)
    return {"score": round(sum(e["score"] for e in by_page.values()), 1),
            "pages": [by_page[k] for k in sorted(by_page)],
            "weights": {"empty_line_inside": INNER_HOLE_WEIGHT, "empty_line_last_page": 1,
                        "opening_at_column_foot": OPENING_WEIGHT,
                        "last_page_line_short_of_a_quarter": THIN_WEIGHT,
                        "column_off_the_baseline_grid": OFF_GRID_WEIGHT,
                        "last_page_column_ends_apart_per_line": SPREAD_WEIGHT}}

