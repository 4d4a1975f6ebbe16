"""Page make-up after the flow: the moves a layout artist makes once the text has run in.

- Holding text back: when the boxes for the last page do not fit under the text where it
  ends, the columns of that page are shortened evenly so the last page carries text above
  its boxes, instead of a page made for the boxes alone.
- Vertical justification: a column that stops a few lines short of its foot is filled by
  spreading the space where the text already pauses — between articles, before a subhead,
  around a photo or a quotation (at most `makeup.vertical_justify` lines at each) and
  between paragraphs (at most `makeup.paragraph_space`) — never between the lines of a
  paragraph.
- Holes: every empty run left in a column, for the fit report and `--strict`.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import replace

from compositor.layout.chunks import Chunk, ImagePart, RectPart, TextPart
from compositor.layout.compose import reframe
from compositor.layout.flow import Placed
from compositor.layout.pages import FlowResult, PagePlan, flow_from, flowed_on, run_flow

EPS = 0.5
# Lines a column may give up to carry text over to the boxes' last page: so few that
# the column still reads as full, its pauses spaced a little wider.
SPREAD = (1, 2)
SPREAD_PAGES = 8  # at most this many pages give up lines
THIN_PAGES = 16  # for a thin last page, at most this many
# A column may stop this many lines short before it reads as a hole (vertical
# justification spreads up to about that much at its pauses); a column that gave up
# lines may stop that much shorter still, and the planner's score judges the result.
HOLE_SHORT = 2.5


def hold_back(chunks: list[Chunk], plan: PagePlan, result: FlowResult, box_page: int,
              want: float) -> FlowResult | None:
    """A flow whose text reaches `box_page` (where it ended, or one past it), carrying at
    least `want` points of text there. Of the ways to hold text back, the one whose columns
    stop least short wins: a line or two a column over as few pages before it as will do
    (vertical justification fills such columns again); the page before alone, shortened
    evenly as little as possible; or both, two lines a column over the pages before and
    the rest from the page before. None when no such flow exists."""
    if box_page not in (result.pages, result.pages + 1):
        return None
    last = box_page - 1  # the last page that gives up lines
    if last < 2:
        return None
    plan.caps = {}
    lines = {page: int(max(s.height for s in plan.slots(page)) / plan.gap + 1e-6)
             for page in range(2, last + 1)}
    found: list[tuple[float, int, FlowResult, dict]] = []  # shortfall, order, flow, caps
    base = run_flow(chunks, plan)  # no caps: each try flows again from its first cap on

    def carries(caps: dict) -> FlowResult | None:
        plan.caps = caps
        trial = flow_from(chunks, plan, base, min(caps, default=1))
        moved = sum(p.chunk.height for p in trial.placed if p.page == box_page)
        ok = trial.complete and trial.pages == box_page and moved >= want - EPS
        return trial if ok else None

    def keep(trial: FlowResult, caps: dict) -> None:
        plan.caps = caps
        found.append((_short_lines(trial, plan, box_page), len(found), trial, caps))

    earliest = max(2, last - SPREAD_PAGES)
    for shave in SPREAD:
        for first in range(last, earliest - 1, -1):
            caps = {page: (lines[page] - shave) * plan.gap for page in range(first, last + 1)}
            trial = carries(caps)
            if trial is not None:
                keep(trial, caps)
                break
    for before in ({}, {page: (lines[page] - max(SPREAD)) * plan.gap
                        for page in range(earliest, last)}):
        lo, hi = 1, lines.get(last, int(max(s.height for s in plan.slots(last)) / plan.gap))
        best = None
        while lo <= hi:  # the largest cap on the page before that still carries enough
            mid = (lo + hi) // 2
            trial = carries({**before, last: mid * plan.gap})
            if trial is not None:
                best, lo = (trial, {**before, last: mid * plan.gap}), mid + 1
            else:
                hi = mid - 1
        if best is not None:
            keep(*best)
    if not found:
        plan.caps = {}
        return None
    _, _, trial, caps = min(found, key=lambda f: (round(f[0], 1), f[1]))
    plan.caps = caps
    return trial


def fill_thin_page(chunks: list[Chunk], plan: PagePlan, result: FlowResult, page: int,
                   want: float) -> FlowResult | None:
    """A flow that carries at least `want` points of text onto the last page `page` (or
    as much more as it can), held back a line or two a column over the pages before it,
    as few pages as will do, with no column of those pages left shorter than that (nor
    than the flow already left it). None when no such flow carries more."""
    lines = {p: int(max(s.height for s in plan.slots(p)) / plan.gap + 1e-6)
             for p in range(2, page)}
    best: tuple[float, FlowResult, dict] | None = None
    base = flowed_on(result, page)
    plan.caps = {}
    uncapped = run_flow(chunks, plan)  # each try flows again from its first cap on
    worst = max(_worst_short(result, plan, page), HOLE_SHORT + max(SPREAD))
    for shave in SPREAD:
        for first in range(page - 1, max(2, page - THIN_PAGES) - 1, -1):
            caps = {p: (lines[p] - shave) * plan.gap for p in range(first, page)}
            plan.caps = caps
            trial = flow_from(chunks, plan, uncapped, first)
            if not trial.complete or trial.pages != page:
                continue
            moved = flowed_on(trial, page)
            if moved > (best[0] if best else base) + EPS \
                    and _worst_short(trial, plan, page) <= worst + EPS / plan.gap:
                best = (moved, trial, caps)
                if moved >= want - EPS:
                    break
        if best is not None and best[0] >= want - EPS:
            break
    if best is None:
        plan.caps = {}
        return None
    plan.caps = best[2]
    return best[1]


def _worst_short(result: FlowResult, plan: PagePlan, page: int) -> float:
    """Body lines by which the column that stops furthest short of its foot, on the
    pages before `page`, stops short (lines given up on purpose included)."""
    return max(_shortfalls(result, plan, page), default=0.0)


def _shortfalls(result: FlowResult, plan: PagePlan, page: int) -> list[float]:
    """Body lines by which each column of the pages before `page` stops short of its
    foot (without the caps that held text back)."""
    caps, plan.caps = plan.caps, {}
    ends: dict[tuple[int, int], float] = {}
    for p in result.placed:
        if p.page < page and p.chunk.height > 0:
            key = (p.page, p.column)
            ends[key] = max(ends.get(key, 0.0), p.y + p.chunk.height)
    out = [(max(s.bottom for s in plan.slots(pg) if s.column == column) - end) / plan.gap
           for (pg, column), end in ends.items()]
    plan.caps = caps
    return out


def _short_lines(result: FlowResult, plan: PagePlan, box_page: int) -> float:
    """Body lines by which the columns of the pages before `box_page` stop short of their
    foot, beyond the couple of lines a column can give up unnoticed."""
    total = 0.0
    for short in _shortfalls(result, plan, box_page):
        total += max(0.0, short - max(SPREAD))
    return total


def page_one_photo(photo: Chunk, chunks: list[Chunk], plan: PagePlan, most: int
                   ) -> tuple[Chunk, float]:
    """The spanning lead photo up to `most` lines taller or shorter, whichever leaves the
    columns of page 1 least short of their foot (the photo as set when nothing helps),
    and how short they are (points; 0 = every column full). The caller has set page 1's
    reserves for `photo`; they are kept in step."""
    image = next((p for p in photo.parts if isinstance(p, ImagePart)), None)
    plan.titles_beside = False
    if image is None or most <= 0:
        return photo, 0.0
    line = plan.gap
    reserve = plan.reserves.get(1)
    if reserve is None:
        return photo, 0.0

    def shortfall(candidate: Chunk) -> float:
        cols = tuple((c, candidate.height, w) if (h == photo.height and w == "top") else
                     (c, h, w) for c, h, w in reserve.columns)
        plan.reserves[1] = replace(reserve, columns=cols)
        trial = run_flow(chunks, plan, last_page=1)
        bottoms: dict[int, float] = {}
        for p in trial.placed:
            bottoms[p.column] = max(bottoms.get(p.column, 0.0), p.y + p.chunk.height)
        total = 0.0
        slots = plan.slots(1)
        lowest = max(s.top for s in slots)
        under = {s.column for s in slots if s.top >= lowest - EPS}
        # Columns run in order, under the photo first: an article with anything there
        # (the lead apart) began there.
        begun_under = {p.chunk.article for p in trial.placed if p.column in under}
        for slot in slots:
            if slot.height < 4 * line and slot.column in roomy:
                return float("inf")  # the photo would crowd a column out
            short = slot.bottom - bottoms.get(slot.column, slot.top)
            if short > line + EPS:
                total += short
            if slot.top < lowest - EPS:
                # Beside the photo, another article may open (with its title) but not go
                # on from under the photo: it would read as part of the lead story.
                top = next((p.chunk for p in trial.placed if p.column == slot.column
                            and p.chunk.height > 0), None)
                if top is not None and top.article != lead and top.kind != "head" \
                        and top.article in begun_under:
                    total += 1000 * line
        return total

    roomy = {s.column for s in plan.slots(1) if s.height >= 4 * line}
    lead = photo.article
    if len(roomy) < plan.spec.columns:
        # The photo (with the contents box under it) leaves a column almost no room: set
        # it smaller, a line at a time, scaled down to a third of the span if cropping is not
        # enough, until every column has four lines of text.
        for d in range(1, 200):
            candidate = reframe(photo, image.height - d * line, line,
                                (image.dx * 2 + image.width) * 0.35)
            if candidate is None:
                break
            cols = tuple((c, candidate.height, w) if (h == photo.height and w == "top") else
                         (c, h, w) for c, h, w in reserve.columns)
            plan.reserves[1] = replace(reserve, columns=cols)
            if all(s.height >= 4 * line for s in plan.slots(1)):
                photo, reserve = candidate, plan.reserves[1]
                image = next(p for p in photo.parts if isinstance(p, ImagePart))
                roomy = set(range(plan.spec.columns))
                break
        plan.reserves[1] = reserve
    def search() -> tuple[Chunk, float]:
        best, best_score = photo, shortfall(photo)
        for d in sorted(range(-most, most + 1), key=abs):
            if d == 0 or best_score <= 0:
                continue
            candidate = reframe(photo, image.height + d * line, line)
            if candidate is None:
                continue
            score = shortfall(candidate)
            if score < best_score - EPS:
                best, best_score = candidate, score
        return best, best_score

    best, best_score = search()
    if best_score >= 1000 * line:
        # No photo height avoids it: the article that began under the photo starts
        # beside it with its title instead, with the photo height that leaves the
        # column it gives up least short (what remains is a reported hole).
        plan.titles_beside = True
        best, best_score = search()
    plan.reserves[1] = reserve
    return best, best_score


def _opening(prev: Chunk, chunk: Chunk) -> int | None:
    """Rank of the pause before `chunk` where space may be added (lower first), or None
    when the two belong together."""
    if chunk.height <= 0:
        return None
    if chunk.kind == "body" and chunk.meta.get("k") == 0 and prev.kind == "body" \
            and not chunk.keep_before:
        return 2  # between two paragraphs
    if chunk.keep_before:
        return None
    if chunk.kind == "head" and chunk.anchor and chunk.anchor.startswith("article-"):
        return 0  # between articles
    if chunk.kind in ("head", "space", "rule", "figure", "jump"):
        return 1  # before a subhead, around photos, quotations and rules
    return None


def justify(placed: list[Placed], plan: PagePlan, pages: set[int], pause_space: float,
            paragraph_space: float, leave: int = 0, whole: bool = True
            ) -> tuple[list[Placed], int]:
    """Fill the columns of `pages` that stop short, by whole body lines added where the
    text already pauses: between articles, before a subhead, around a photo or a
    quotation (up to `pause_space` lines at each, rounded up), and, for what those cannot
    take, between paragraphs (up to `paragraph_space`, rounded up). Whole lines keep
    every baseline of the column on the page's grid, so it still lines up with its
    neighbours. The lines go to pauses spread evenly down the column; a column whose
    pauses can take all but `leave` of its short lines is filled that far, one that
    cannot is left as it is (spreading part of a hole only moves it). Where the pauses
    are too few for whole lines (or with `whole` False, everywhere) the space is shared
    in fractions of a line instead. Returns the placements and how many columns left the
    baseline grid."""
    at_pause = math.ceil(pause_space - 1e-6) if pause_space > 0 else 0
    at_paragraph = math.ceil(paragraph_space - 1e-6) if paragraph_space > 0 else 0
    if (at_pause <= 0 and at_paragraph <= 0) or not pages:
        return placed, 0
    line = plan.gap
    off_grid = 0
    groups: dict[tuple[int, int], list[int]] = {}
    for k, p in enumerate(placed):
        if p.page in pages and not p.chunk.meta.get("band"):
            groups.setdefault((p.page, p.column), []).append(k)
    out = list(placed)
    for (page, column), idx in groups.items():
        slots = [s for s in plan.slots(page) if s.column == column]
        if not slots:
            continue
        slot = slots[-1]  # only the column's last stretch (below any pull quote)
        idx = [k for k in idx if placed[k].y >= slot.top - EPS]
        if not idx:
            continue
        bottom = placed[idx[-1]].y + placed[idx[-1]].chunk.height
        short = int((slot.bottom - bottom) / line + 1e-6)
        if short < 1:
            continue
        pauses: list[int] = []  # one entry per line a pause may take
        paragraphs: list[int] = []
        for n in range(1, len(idx)):
            kind = _opening(placed[idx[n - 1]].chunk, placed[idx[n]].chunk)
            if kind == 2:
                paragraphs += [n] * at_paragraph
            elif kind is not None:
                pauses += [n] * at_pause
        if not whole or short - len(pauses) - len(paragraphs) > leave \
                or not (pauses or paragraphs):
            # Too few pauses for whole lines: spread the space evenly over them instead,
            # a fraction of a line at each, as far as the limits allow. The column's
            # baselines then leave the grid below the first pause, which shows less
            # than a hole.
            extra = _fractions(placed, idx, short, line, pause_space, paragraph_space,
                               leave)
            if extra is None:
                continue
            off_grid += any(abs(v / line - round(v / line)) > 1e-3 for v in extra.values())
        else:
            extra = _whole_lines(pauses, paragraphs, short, line)
        shift = 0.0
        for n, k in enumerate(idx):
            shift += extra.get(n, 0.0)
            if shift:
                out[k] = replace(placed[k], y=placed[k].y + shift)
    return out, off_grid


def _whole_lines(pauses: list[int], paragraphs: list[int], short: int, line: float
                 ) -> dict[int, float]:
    """Whole lines for a column `short` lines short: at its pauses first, then between
    its paragraphs, each share spread evenly down the column."""
    extra: dict[int, float] = {}
        # The pauses first, then (what they cannot take) the gaps between paragraphs,
        # each share spread evenly down the column.
    from_pauses = min(short, len(pauses))
    for room, give in ((pauses, from_pauses),
                       (paragraphs, min(short - from_pauses, len(paragraphs)))):
        for k in range(give):
            n = room[min(len(room) - 1, int((k + 0.5) * len(room) / give))]
            extra[n] = extra.get(n, 0.0) + line
    return extra


def _fractions(placed: list[Placed], idx: list[int], short: int, line: float,
               pause_space: float, paragraph_space: float, leave: int
               ) -> dict[int, float] | None:
    """The whole lines a column is short (as many as its pauses can take, all but
    `leave`) shared evenly among its pauses, each up to `pause_space` (between
    paragraphs `paragraph_space`) lines; None when they cannot take enough."""
    caps = [(n, (paragraph_space if r == 2 else pause_space) * line)
            for n in range(1, len(idx))
            if (r := _opening(placed[idx[n - 1]].chunk, placed[idx[n]].chunk)) is not None]
    caps = [(n, cap) for n, cap in caps if cap > 0]
    room = int(sum(cap for _, cap in caps) / line + 1e-6)
    if short - room > leave or not caps:
        return None
    left = min(short, room) * line
    extra: dict[int, float] = {}
    while left > 1e-6 and caps:  # even shares, each up to its limit
        share = left / len(caps)
        for n, cap in caps:
            give = min(share, cap - extra.get(n, 0.0))
            extra[n] = extra.get(n, 0.0) + give
            left -= give
        caps = [(n, cap) for n, cap in caps if extra.get(n, 0.0) < cap - 1e-6]
    return None if left > 1e-3 else extra


def column_holes(pages: list, plan: PagePlan, lines: float, skip: Collection[int] = ()
                 ) -> list[tuple[int, int, float]]:
    """(page, column from 1, height in body lines) of every run taller than `lines` body
    lines in which a column shows nothing (no type, photo or tinted box: space and rules
    do not count), between the top and the foot of the text area (the pages numbered in
    `skip` left out)."""
    out = []
    line = plan.gap
    spec = plan.spec
    for page in pages:
        if page.number in skip:
            continue
        _, _, _, bottom = plan.content_box(page.number)
        spans: dict[int, list[tuple[float, float]]] = {c: [] for c in range(spec.columns)}
        xs = [plan.column_x(page.number, c) for c in range(spec.columns)]
        for p in page.placed:
            extent = _extent(p.chunk, spec)
            if extent is None:
                continue
            t, b, width = extent
            shown = (p.y + t, p.y + b)
            if width <= spec.column_width + 1 and abs(p.x - xs[p.column]) < 1:
                spans[p.column].append(shown)  # the usual case: within its own column
                continue
            x0, x1 = p.x, p.x + width
            for c, cx in enumerate(xs):
                if x1 > cx + 1 and x0 < cx + spec.column_width - 1:
                    spans[c].append(shown)
        for c, taken in spans.items():
            y = plan.columns_top(page.number, c)
            for t, b in sorted(taken):
                if t - y > lines * line + EPS:
                    out.append((page.number, c + 1, round((t - y) / line, 1)))
                y = max(y, b)
            if bottom - y > lines * line + EPS:
                out.append((page.number, c + 1, round((bottom - y) / line, 1)))
    return out


def foot_openings(pages: list, lines: int) -> list[tuple[int, int, int]]:
    """(page, column from 1, article) of every article that opens at a column's foot with
    fewer than `lines` lines of text under its title before the column ends, while the
    article goes on in the next column."""
    out = []
    for page in pages:
        by_column: dict[int, list[Placed]] = {}
        for p in page.placed:
            if not p.chunk.meta.get("band"):
                by_column.setdefault(p.column, []).append(p)
        for column, placed in by_column.items():
            placed.sort(key=lambda p: p.y)
            for k, p in enumerate(placed):
                if p.chunk.kind != "head" or p.chunk.article is None or not (
                        "title" in p.chunk.meta or (p.chunk.anchor or "").startswith("jump-")):
                    continue  # a subhead, not where the article opens
                after = [q for q in placed[k + 1:] if q.chunk.article == p.chunk.article]
                body = sum(1 for q in after if q.chunk.kind == "body")
                ends_here = after and after[-1] is placed[-1]
                if body < lines and ends_here and _goes_on(pages, page.number, column,
                                                           p.chunk.article):
                    out.append((page.number, column + 1, p.chunk.article))
    return out


def _goes_on(pages: list, number: int, column: int, article: int) -> bool:
    """Whether `article` has text in a later column or on a later page."""
    for page in pages[number - 1:number + 1]:
        for p in page.placed:
            if p.chunk.article == article and p.chunk.kind == "body" and \
                    (page.number > number or p.column > column):
                return True
    return False


_EXTENTS: dict[int, tuple[Chunk, tuple[float, float, float] | None]] = {}


def forget_extents() -> None:
    """Let go of the chunks remembered for one build (a long-running process, `watch` or
    `site`, builds many)."""
    _EXTENTS.clear()


def _extent(chunk: Chunk, spec) -> tuple[float, float, float] | None:
    """What a chunk shows, from its own top: (top, bottom, width); remembered per chunk,
    since the passes of one build place the same chunks again and again."""
    hit = _EXTENTS.get(id(chunk))
    if hit is not None and hit[0] is chunk:
        return hit[1]
    at_origin = Placed(chunk, 0, 0, 0.0, 0.0)
    shown = ink(at_origin)
    extent = None if shown is None else (*shown, _width(at_origin, spec))
    if len(_EXTENTS) > 500_000:
        _EXTENTS.clear()
    _EXTENTS[id(chunk)] = (chunk, extent)
    return extent


def ink(p: Placed) -> tuple[float, float] | None:
    """Top and bottom of what a placed chunk shows on the page: its type (from about the
    cap height to the descenders), photos and tinted boxes."""
    top, bottom = float("inf"), float("-inf")
    for part in p.chunk.parts:
        if isinstance(part, TextPart):
            size = max((f.size for f in part.line.frags if f.text.strip()), default=0.0)
            if not size:
                continue
            t, b = part.baseline - 0.75 * size, part.baseline + 0.3 * size
        elif isinstance(part, ImagePart | RectPart):
            t, b = part.dy, part.dy + part.height
        else:
            continue
        top, bottom = min(top, t), max(bottom, b)
    return None if top > bottom else (p.y + top, p.y + bottom)


def _width(p: Placed, spec) -> float:
    """How wide a placed chunk is: a title band heads every column; otherwise its parts'
    extent (boxes, photos across columns, type as far as it reaches) or a column."""
    if p.chunk.meta.get("band"):
        return spec.page_width
    widest = spec.column_width
    for part in p.chunk.parts:
        w = getattr(part, "width", None)
        if w is not None:
            widest = max(widest, getattr(part, "dx", 0.0) + w)
        elif hasattr(part, "line"):
            widest = max(widest, part.dx + min(part.line.natural, part.line.measure))
    return widest
