"""Pages: where the columns are on each page, and the issue flowed through them."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace

from compositor.layout.chunks import Chunk
from compositor.layout.flow import EPS, Placed, Slot, column_height, fill, place
from compositor.load.layout import LayoutSpec

BALANCE_COLUMNS = 4  # up to this many columns, every mix of caps is tried
EVEN_REACH = 8  # lines either side of the even white a column's end is sought within
EVEN_ROUNDS = 3  # rounds of moving one column's end while the last page stays uneven
EVEN_STEPS = (-6, -4, -3, -2, -1, 1, 2, 3, 4, 6)  # lines a column's end moves in one try


@dataclass(frozen=True)
class Reserve:
    """Space taken out of the columns of one page: a band at the top or at the foot."""

    top: float = 0.0
    bottom: float = 0.0
    # (column index, height, at 'top' or 'bottom') taken from single columns
    columns: tuple[tuple[int, float, str], ...] = ()


@dataclass
class PagePlan:
    spec: LayoutSpec
    masthead_height: float
    band_height: float  # the spanning lead title on page 1
    gap: float  # one body line
    reserves: dict[int, Reserve] = field(default_factory=dict)
    bands: dict[int, float] = field(default_factory=dict)  # page -> spanning title band
    # page -> (column, top, height): space cut out of a column's middle (a pull quote
    # across columns); the text flows above it, then below it
    holes: dict[int, tuple[tuple[int, float, float], ...]] = field(default_factory=dict)
    # page -> column height limit for the whole flow (text held back to the next page)
    caps: dict[int, float | tuple[float, ...]] = field(default_factory=dict)
    # an article that began under the lead photo may not go on beside it (page 1): it
    # starts in the column beside the photo instead, with its title
    titles_beside: bool = False
    # columns the page-1 title band covers, from the first; 0: all of them
    band_span: int = 0

    def content_box(self, page: int) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of the type area, mirrored for left-hand pages."""
        s = self.spec
        left_margin = s.margin_inside if page % 2 == 1 else s.margin_outside
        right_margin = s.margin_outside if page % 2 == 1 else s.margin_inside
        top = s.margin_top
        if page == 1:
            top += self.masthead_height + self.gap
        return left_margin, top, s.page_width - right_margin, s.page_height - s.margin_bottom

    def columns_top(self, page: int, column: int = 0) -> float:
        """Where a column's text may start: under the masthead and any title band over it
        (the page-1 title band covers only `band_span` columns when it is that narrow)."""
        top = self.content_box(page)[1]
        banded = page == 1 and (self.band_span == 0 or column < self.band_span)
        # Beside the band a column starts higher by whole lines, so its baselines share
        # the grid of the columns under the band.
        band = self.band_height if banded or page != 1 else \
            self.band_height - int(self.band_height / self.gap + 1e-6) * self.gap
        return top + (band if page == 1 else 0.0) + self.bands.get(page, 0.0)

    def column_x(self, page: int, column: int) -> float:
        s = self.spec
        return self.content_box(page)[0] + column * (s.column_width + s.gutter)

    def slots(self, page: int, cap: float | tuple[float, ...] | None = None,
              holes: bool = True) -> list[Slot]:
        """The columns of a page; `cap` limits their height (one value, or one per column);
        with `holes` False, whole columns as if no pull quote were cut out of them."""
        s = self.spec
        _, _, _, bottom = self.content_box(page)
        r = self.reserves.get(page, Reserve())
        bottom -= r.bottom
        out = []
        for c in range(s.columns):
            top = self.columns_top(page, c) + r.top
            t, b = top, bottom
            for col, height, where in r.columns:
                if col == c:
                    if where == "top":
                        t += height
                    else:
                        b -= height
            if cap is not None:
                limit = cap[c] if isinstance(cap, tuple) else cap
                b = min(b, top + limit)
            x = self.column_x(page, c)
            for seg_top, seg_bottom in (self._segments(page, c, t, b) if holes else [(t, b)]):
                out.append(Slot(page, c, x, seg_top, max(seg_top, seg_bottom), s.column_width))
        return out

    def _segments(self, page: int, column: int, top: float, bottom: float
                  ) -> list[tuple[float, float]]:
        segments = [(top, bottom)]
        for col, y, height in sorted(self.holes.get(page, ())):
            if col != column:
                continue
            cut = []
            for t, b in segments:
                if y >= b or y + height <= t:
                    cut.append((t, b))
                    continue
                if y > t:
                    cut.append((t, y))
                if y + height < b:
                    cut.append((y + height, b))
            segments = cut
        return segments or [(top, top)]

    def full_height(self, page: int) -> float:
        _, top, _, bottom = self.content_box(page)
        return bottom - top - (self.band_height if page == 1 else 0.0) - self.bands.get(page, 0.0)


@dataclass
class FlowResult:
    placed: list[Placed]
    pages: int
    forced: list[Placed]  # chunks placed against the break rules
    page_start: dict[int, int]  # page -> index of its first chunk
    complete: bool = True
    # the chunks as flowed: photos may have been set smaller or moved into their text
    chunks: list[Chunk] | None = None


def run_flow(chunks: list[Chunk], plan: PagePlan, first_page: int = 1,
             last_page: int | None = None,
             caps: dict[int, float | tuple[float, ...]] | None = None,
             resume: FlowResult | None = None) -> FlowResult:
    """Flow chunks from `first_page` on, adding pages as needed (up to `last_page`). With
    `resume` (a flow of the same chunks from page 1), the pages before `first_page` are
    taken from it as they are and the flow goes on from where it began that page."""
    chunks = list(chunks)  # photos may be swapped for a smaller setting in this flow
    placed: list[Placed] = []
    forced: list[Placed] = []
    page_start: dict[int, int] = {}
    i, n = 0, len(chunks)
    if resume is not None:
        i = resume.page_start[first_page]
        chunks[:i] = (resume.chunks or chunks)[:i]
        placed = [p for p in resume.placed if p.page < first_page]
        forced = [p for p in resume.forced if p.page < first_page]
        page_start = {k: v for k, v in resume.page_start.items() if k < first_page}
    page = first_page
    while i < n:
        if (last_page is not None and page > last_page) or page > first_page + 5000:
            break
        page_start[page] = i
        used_page = False
        prev: tuple[Slot, int] | None = None  # the slot before, and its first chunk
        for slot in plan.slots(page, (caps if caps is not None else plan.caps).get(page)):
            if plan.titles_beside and page == 1 and prev is not None and i < n \
                    and slot.top < prev[0].top - EPS:
                head = _opening_of(chunks, i)
                if head is not None and head > prev[1]:
                    del placed[len(placed) - (i - head):]
                    i = head
            if i < n and chunks[i].kind == "pagebreak":
                if used_page:
                    break  # the article opens the next page
                placed.append(Placed(chunks[i], slot.page, slot.column, slot.x, slot.top))
                i += 1
            full = slot.height >= plan.full_height(page) - 0.5 * plan.gap
            first, end, was_forced = fill(chunks, i, slot.height, full)
            if not was_forced and end < n:
                end = smaller_photo(chunks, first, end, slot.height, full, plan.gap)
                end = later_quote(chunks, first, end, slot.height, full, plan.gap)
                larger_photo(chunks, first, end, slot.height, full, plan.gap)
            got = place(chunks, first, end, slot)
            prev = (slot, first)
            placed += got
            used_page = used_page or bool(got)
            if was_forced and got:
                forced.append(got[-1])
            i = end
            if i >= n:
                break
        page += 1
    return FlowResult(placed, max(page - 1, first_page), forced, page_start, i >= n, chunks)


def flow_from(chunks: list[Chunk], plan: PagePlan, base: FlowResult, page: int
              ) -> FlowResult:
    """`run_flow(chunks, plan)` when `base` is a flow of the same chunks whose pages before
    `page` had the caps the plan now gives them: those pages are reused, and only the rest
    is flowed again. When the base flow swapped a chunk at or after the start of `page`
    (a photo set smaller), the whole issue is flowed again."""
    start = base.page_start.get(page)
    done = base.chunks
    if page <= 1 or start is None or done is None or len(done) != len(chunks) or \
            any(a is not b for a, b in zip(done[start:], chunks[start:], strict=True)):
        return run_flow(chunks, plan)
    return run_flow(chunks, plan, first_page=page, resume=base)


def _opening_of(chunks: list[Chunk], i: int) -> int | None:
    """Index of the title of the article chunks[i] is inside of (None at its title, or
    for the lead article, which may go on beside its own photo)."""
    article = chunks[i].article
    if article is None or article == chunks[0].article or \
            chunks[i].anchor == f"article-{article}":
        return None
    for k in range(i - 1, -1, -1):
        if chunks[k].article != article:
            return None
        if chunks[k].anchor == f"article-{article}" and chunks[k].kind == "head":
            return k
    return None


def smaller_photo(chunks: list[Chunk], first: int, end: int, height: float, full: bool,
                  line: float) -> int:
    """Where the column would stop short because the next article's title and photo (or a
    photo in the text) do not fit under it, set that photo a line or more smaller (its
    `smaller` settings, within the layout's limits) when that lets the group start here.
    Swaps the chunk in `chunks`; returns the new end of the column."""
    if height - column_height(chunks, first, end) < 1.5 * line:
        return end
    n = len(chunks)
    k = end
    while "smaller" not in chunks[k].meta:
        k += 1
        if k >= min(n, end + 4) or not chunks[k].keep_before:
            return end
    original = chunks[k]
    for variant in original.meta["smaller"]:
        chunks[k] = variant
        _, new_end, forced = fill(chunks, first, height, full)
        if new_end > k and not forced:
            return new_end
    chunks[k] = original
    # Still too tall: the photo goes after the article's first paragraph, so the title
    # and the opening lines start here.
    para = chunks[k + 1].meta.get("element") if k + 1 < n else None
    q = k + 1
    while q + 1 < n and para is not None and chunks[q + 1].meta.get("element") == para:
        q += 1
    if para is None or q - k < 3 or chunks[k].anchor:
        return end
    moved = chunks[k + 1:q + 1] + [replace(original, keep_before=False)]
    saved = chunks[k:q + 1]
    chunks[k:q + 1] = moved
    _, new_end, forced = fill(chunks, first, height, full)
    if new_end > k + 1 and not forced:
        return new_end
    chunks[k:q + 1] = saved
    return end


def later_quote(chunks: list[Chunk], first: int, end: int, height: float, full: bool,
                line: float) -> int:
    """Where the column would stop short because a pull quote set in the column does not
    fit under its end, the quote goes after the paragraph that follows it (a pull quote
    repeats the text, so it may sit a paragraph later), when that paragraph then runs on
    here. Moves the chunks in `chunks`; returns the new end of the column."""
    n = len(chunks)
    if end >= n or chunks[end].meta.get("what") != "pull quote" or \
            height - column_height(chunks, first, end) < 1.5 * line:
        return end
    quote = chunks[end]
    q = end + 1
    para = chunks[q].meta.get("element") if q < n and chunks[q].kind == "body" else None
    if para is None or chunks[q].article != quote.article:
        return end
    while q + 1 < n and chunks[q + 1].meta.get("element") == para:
        q += 1
    saved = chunks[end:q + 1]
    chunks[end:q + 1] = [*chunks[end + 1:q + 1], replace(quote, keep_before=False)]
    _, new_end, forced = fill(chunks, first, height, full)
    if new_end > end and not forced:
        return new_end
    chunks[end:q + 1] = saved
    return end


def larger_photo(chunks: list[Chunk], first: int, end: int, height: float, full: bool,
                 line: float) -> None:
    """A column that stops whole lines short of its foot, with a photo in it, gets that
    photo taller by those lines (its `larger` settings) when the column then holds exactly
    the same text. Swaps the chunk in `chunks`."""
    short = int((height - column_height(chunks, first, end)) / line + 1e-6)
    if short < 1:
        return
    for k in range(end - 1, first - 1, -1):
        larger = chunks[k].meta.get("larger", ())
        if len(larger) >= short:
            original = chunks[k]
            chunks[k] = larger[short - 1]
            _, new_end, forced = fill(chunks, first, height, full)
            if new_end == end and not forced:
                return
            chunks[k] = original
            return


def balance_last_page(chunks: list[Chunk], plan: PagePlan, result: FlowResult) -> FlowResult:
    """Even out the columns of the last page, and of every page that ends where an article
    opens the next one: the smallest column height (in whole lines) that still holds the
    page's text, so no full column stands beside an empty one."""
    chunks = result.chunks if result.chunks is not None else chunks
    for page in sorted(result.page_start):
        if page == result.pages:
            continue
        start, end = result.page_start[page], result.page_start.get(page + 1)
        if end is not None and end < len(chunks) and chunks[end].kind == "pagebreak":
            result = _balance(chunks[start:end], plan, result, page)
    return _balance(chunks[result.page_start.get(result.pages, len(chunks)):], plan, result,
                    result.pages) if result.pages in result.page_start else result


def _balance(rest: list[Chunk], plan: PagePlan, result: FlowResult, last: int) -> FlowResult:
    """The text of page `last` in columns that end the same number of whole lines above
    their foot (above the box under each, when boxes of different heights sit there), as
    many as the text allows: the white is one band of even depth."""
    if not rest:
        return result
    slots = plan.slots(last)
    cols = plan.spec.columns
    room = [max((s.bottom - s.top for s in slots if s.column == c), default=0.0)
            for c in range(cols)]
    bottoms = [max((s.bottom for s in slots if s.column == c), default=0.0)
               for c in range(cols)]

    def flow(white: tuple[int, ...]) -> FlowResult | None:
        caps = tuple(max(0.0, room[c] - white[c] * plan.gap) for c in range(cols))
        trial = run_flow(rest, plan, first_page=last, last_page=last, caps={last: caps})
        return trial if trial.complete and not trial.forced else None

    lo, hi = 0, int(max(room) // plan.gap)
    best, white = None, 0
    while lo <= hi:  # the most white at the foot that still holds the page's text
        mid = (lo + hi) // 2
        trial = flow((mid,) * cols)
        if trial is not None:
            best, white, lo = trial, mid, mid + 1
        else:
            hi = mid - 1
    if best is None:
        return result
    spread = _spread(best, bottoms)
    whites = (white,) * cols
    if spread > plan.gap + EPS and cols <= BALANCE_COLUMNS:
        # Keep rules (a title with its first lines, no widow) can leave a column two or
        # more lines short of the others: try each column a line shorter or longer.
        for steps in itertools.product((-1, 0, 1), repeat=cols):
            trial_whites = tuple(max(0, white + d) for d in steps)
            trial = flow(trial_whites)
            if trial is not None and _spread(trial, bottoms) < spread - EPS:
                best, spread, whites = trial, _spread(trial, bottoms), trial_whites
    rounds, current, uneven = 0, whites, _unevenness(best, bottoms)
    while spread > plan.gap + EPS and cols > 1 and rounds < EVEN_ROUNDS:
        # Still uneven (a title and its first lines move as one, so a line less above
        # can move many down): one column at a time a few lines shorter or longer, kept
        # when the ends come closer together overall (the spread alone may need two
        # such moves before it shrinks).
        rounds += 1
        improved = False
        for c in range(cols):
            for d in EVEN_STEPS:
                trial_whites = tuple(max(0, w + (d if k == c else 0))
                                     for k, w in enumerate(current))
                trial = flow(trial_whites)
                score = _unevenness(trial, bottoms) if trial is not None else uneven
                if score >= uneven - EPS:
                    continue
                current, uneven, improved = trial_whites, score, True
                if _spread(trial, bottoms) < spread - EPS:
                    best, spread = trial, _spread(trial, bottoms)
        if not improved:
            break
    if spread > plan.gap + EPS and cols > 1:
        # Column by column, the end nearest an even share of the text still to set.
        total = sum(p.chunk.height for p in best.placed)
        chosen: list[int] = []
        for c in range(cols - 1):
            pick = None
            for w in range(max(0, white - EVEN_REACH), white + EVEN_REACH + 1):
                trial = flow(tuple(chosen) + (w,) + (0,) * (cols - c - 1))
                if trial is None:
                    continue
                used = [sum(p.chunk.height for p in trial.placed if p.column == k)
                        for k in range(c + 1)]
                given = sum(used[:c])
                miss = abs(used[c] - (total - given) / (cols - c))
                if pick is None or miss < pick[0] - EPS:
                    pick = (miss, w)
            if pick is None:
                break
            chosen.append(pick[1])
        else:
            trial = flow(tuple(chosen) + (0,))
            if trial is not None and _spread(trial, bottoms) < spread - EPS:
                best, spread = trial, _spread(trial, bottoms)
    keep = [p for p in result.placed if p.page != last]
    placed = sorted(keep + best.placed, key=lambda p: p.page)  # stable: flow order kept
    return FlowResult(placed, result.pages, result.forced, result.page_start,
                      chunks=result.chunks)


def end_spread(result: FlowResult, plan: PagePlan, page: int) -> float:
    """How far apart, in lines, the columns of `page` end above their feet (above the box
    under each)."""
    slots = plan.slots(page)
    cols = range(plan.spec.columns)
    bottoms = [max((s.bottom for s in slots if s.column == c), default=0.0) for c in cols]
    # A column left empty beside columns of text counts with all its room white.
    ends = [min((s.top for s in slots if s.column == c), default=0.0) for c in cols]
    for p in result.placed:
        if p.page == page:
            ends[p.column] = max(ends[p.column], p.y + p.chunk.height)
    white = [bottoms[c] - ends[c] for c in cols]
    return (max(white) - min(white)) / plan.gap if white else 0.0


def _whites(result: FlowResult, bottoms: list[float]) -> list[float]:
    """The white under the end of each column a one-page flow put something in."""
    ends: dict[int, float] = {}
    for p in result.placed:
        ends[p.column] = max(ends.get(p.column, 0.0), p.y + p.chunk.height)
    return [bottoms[c] - end for c, end in ends.items()]


def _unevenness(result: FlowResult, bottoms: list[float]) -> float:
    """How far the columns of a one-page flow end from their mean white, squared."""
    white = _whites(result, bottoms)
    mean = sum(white) / len(white) if white else 0.0
    return sum((w - mean) ** 2 for w in white)


def _spread(result: FlowResult, bottoms: list[float]) -> float:
    """How unevenly the columns of a one-page flow end above their feet: the difference
    between the most and the least white under them."""
    white = _whites(result, bottoms)
    return max(white) - min(white) if white else 0.0


def past_whole_lines(room: float, line: float) -> float:
    """What is left of `room` over its whole lines (0 when there is no room)."""
    return room - int(room / line + 1e-6) * line if room > 0 else 0.0


def text_reach(result: FlowResult, plan: PagePlan, page: int) -> float:
    """How much of a page's columns the text fills, all columns together, as a reader
    sees it: lines and photos, and the white between them up to a line at a time (more
    reads as white, not text)."""
    return sum(p.chunk.height for p in result.placed
               if p.page == page and (p.chunk.kind != "space"
                                      or p.chunk.height <= plan.gap + 0.01))


def flowed_on(result: FlowResult, page: int) -> float:
    """Height of the text and photos the flow put on a page, all columns together."""
    return sum(p.chunk.height for p in result.placed if p.page == page)

