"""Line breaking over abstract boxes, glue and penalties (no fonts involved).

`optimal_breaks` chooses the breaks of a whole paragraph at once, minimising the sum of
demerits as in Knuth and Plass, "Breaking Paragraphs into Lines" (1981): badness from
how far each line's spaces stretch or shrink, penalties for hyphenating, extra demerits
for two hyphenated lines in a row and for a loose line next to a tight one, and for a
runt (a last line shorter than a quarter of the measure, or one short word). A third
hyphenated line in a row is not allowed at all. `greedy_breaks` fills one line at a time,
as most word processors do; it is kept as the fast fallback.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate

BOX, GLUE, PENALTY = 0, 1, 2
INFINITY = 10_000  # a penalty this high forbids a break; its negative forces one


@dataclass(frozen=True, slots=True)
class Item:
    kind: int
    width: float
    stretch: float = 0.0
    shrink: float = 0.0
    penalty: float = 0.0
    flagged: bool = False  # a break here ends the line with a hyphen


def box(width: float) -> Item:
    return Item(BOX, width)


def glue(width: float, stretch: float, shrink: float) -> Item:
    return Item(GLUE, width, stretch, shrink)


def penalty(width: float, cost: float, flagged: bool = False) -> Item:
    return Item(PENALTY, width, 0.0, 0.0, cost, flagged)


@dataclass(frozen=True, slots=True)
class Break:
    position: int  # index of the item the line ends at
    ratio: float  # adjustment ratio of the line ending here (-1 .. tolerance)
    hyphenated: bool


@dataclass(slots=True)
class _Node:
    position: int
    line: int
    fitness: int
    width: float
    stretch: float
    shrink: float
    demerits: float
    ratio: float
    hyphens: int
    previous: _Node | None
    spaces: int = 0  # word spaces before the line this node starts
    glue_stretch: float = 0.0  # stretch of the glue alone before the line it starts


LINE_PENALTY = 10
FLAGGED_DEMERITS = 3000
FITNESS_DEMERITS = 3000
MAX_HYPHENS_IN_A_ROW = 2
# A paragraph's last line that is a runt: shorter than RUNT_SHARE of the measure, or a
# single word shorter than RUNT_WORD_SHARE of it ("be." alone under a full paragraph).
# Costs about as much as two hyphens: worth a slightly fuller line, not a loose one.
RUNT_DEMERITS = 5000
RUNT_SHARE = 0.25
FRAGMENT_RUNT_DEMERITS = 100_000
RUNT_WORD_SHARE = 1 / 3


def _fitness(ratio: float) -> int:
    if ratio < -0.5:
        return 0  # tight
    if ratio <= 0.5:
        return 1  # decent
    if ratio <= 1.0:
        return 2  # loose
    return 3  # very loose


# Extra badness of a line whose word gaps reach their limit, over one whose gaps stop at
# the knee (1.33 spaces): worth about a hyphen, so a paragraph takes a hyphen rather than
# gaps past InDesign's maximum word spacing.
KNEE_BADNESS = 100.0
# How a layout's spacing colour weighs stretched against squeezed lines: tighter colour
# makes stretching dearer (lines take a word more and shrink), looser the reverse.
COLOUR_WEIGHTS = {"tighter": (3.0, 0.5), "even": (1.0, 1.0), "looser": (0.5, 3.0)}


def optimal_breaks(items: list[Item], widths: list[float], tolerance: float = 1.0, *,
                   avoid_hyphen: int | None = None, lines: int | None = None,
                   colour: str = "even", max_gap: float | None = None, knee: float = 0.0
                   ) -> list[Break] | None:
    """Best breaks for the paragraph, or None if no set of lines stays within tolerance.

    `widths[k]` is the measure of line k; the last entry is used for all later lines.
    The paragraph must end with a forced break (penalty -INFINITY). With `avoid_hyphen`,
    line number `avoid_hyphen` (from 0) may not end in a hyphen; with `lines`, only a
    setting of exactly that many lines is accepted (a paragraph re-broken after page
    make-up must keep its height). `colour` (COLOUR_WEIGHTS) weighs the badness of
    stretched and squeezed lines. With `max_gap`, no line's word gaps may pass that
    many times their stretch limit (the ratio a reader sees, letters spent). With `knee`
    (0 < knee < 1: the share of the gaps' stretch limit at which letter spacing and
    scaling are spent, Line.knee over the stretch), badness follows the gaps a reader
    sees, and a line whose gaps pass the knee costs KNEE_BADNESS more at the limit.
    """
    n = len(items)
    grow_w, squeeze_w = COLOUR_WEIGHTS[colour]
    over_knee = KNEE_BADNESS / (1.0 - knee) if 0 < knee < 1 else 0.0
    knee = knee if 0 < knee < 1 else 0.0
    # Word spaces before each item, to count the words of a paragraph's last line.
    sum_s = [0, *accumulate(1 if it.kind == GLUE and it.width > 0 else 0 for it in items)]
    # Prefix sums of width, stretch and shrink (penalties add nothing until a break).
    sum_w = [0.0, *accumulate(0.0 if it.kind == PENALTY else it.width for it in items)]
    sum_y = [0.0, *accumulate(it.stretch for it in items)]
    sum_z = [0.0, *accumulate(it.shrink for it in items)]
    # The glue's share of the stretch: past the limit (ratio 1) letter spacing and scaling
    # give no more, so only the word spaces grow, and much faster than the ratio says.
    sum_g = [0.0, *accumulate(it.stretch if it.kind == GLUE else 0.0 for it in items)]
    # Legal breakpoints: glue right after a box, and penalties below infinity.
    points = [i for i, it in enumerate(items)
              if (it.kind == GLUE and i and items[i - 1].kind == BOX)
              or (it.kind == PENALTY and it.penalty < INFINITY)]

    active: list[_Node] = [_Node(0, 0, 1, 0.0, 0.0, 0.0, 0.0, 0.0, 0, None)]
    last_width = widths[-1]
    n_widths = len(widths)
    single = n_widths == 1
    for i in points:
        it = items[i]
        if it.kind == GLUE:
            pen, flagged, extra = 0.0, False, 0.0
        else:
            pen, flagged, extra = it.penalty, it.flagged, it.width
        forced = it.kind == PENALTY and pen <= -INFINITY
        best: dict[tuple[int, bool], tuple[float, _Node, float]] = {}
        keep: list[_Node] = []
        wi, yi, zi = sum_w[i] + extra, sum_y[i], sum_z[i]
        for k, a in enumerate(active):
            measure = last_width if single else (
                widths[a.line] if a.line < n_widths else last_width)
            natural = wi - a.width
            if natural < measure:
                stretch = yi - a.stretch
                if not forced and stretch * tolerance < measure - natural:
                    # Too loose to end here. Active nodes are in text order, and a later
                    # node gives a shorter line with less stretch: looser still. With one
                    # measure for all lines the rest can be kept without a look.
                    if single:
                        keep.extend(active[k:])
                        break
                    keep.append(a)
                    continue
                ratio = (measure - natural) / stretch if stretch > 0 else INFINITY
            elif natural > measure:
                shrink = zi - a.shrink
                ratio = (measure - natural) / shrink if shrink > 0 else -INFINITY
            else:
                ratio = 0.0
            if ratio < -1 or forced:
                pass  # this node can never start a feasible line ending later
            else:
                keep.append(a)
            if -1 <= ratio <= tolerance or (forced and ratio >= -1):
                if flagged and (a.hyphens >= MAX_HYPHENS_IN_A_ROW or a.line == avoid_hyphen):
                    continue
                if lines is not None and a.line >= lines:
                    continue
                if ratio > 1.0 and not forced:
                    # Badness of what a reader sees: how far the word gaps pass their limit.
                    glue = sum_g[i] - a.glue_stretch
                    seen = 1.0 + (ratio - 1.0) * (yi - a.stretch) / glue if glue > 0 else ratio
                    if max_gap is not None and seen > max_gap:
                        continue
                    badness = (100 * seen ** 3 + over_knee * (seen - knee)) * grow_w
                elif ratio > 0.0 and knee and not forced:
                    # The gaps as the line fills: letters take their share up to the knee
                    # (where the gaps are at `knee` of their limit and the letters spent),
                    # then only the word spaces grow. Past the knee every step costs more.
                    total = yi - a.stretch
                    at_knee = 1.0 - (1.0 - knee) * (sum_g[i] - a.glue_stretch) / total
                    if ratio <= at_knee:
                        seen = knee * ratio / at_knee
                        badness = 100 * seen ** 3 * grow_w
                    else:
                        seen = knee + (1.0 - knee) * (ratio - at_knee) / (1.0 - at_knee)
                        badness = (100 * seen ** 3 + over_knee * (seen - knee)) * grow_w
                else:
                    badness = 100 * abs(ratio) ** 3 * (grow_w if ratio > 0 else squeeze_w)
                if forced and ratio > tolerance:
                    badness = 0  # last line: its glue may stretch without limit
                if pen >= 0:
                    d = (LINE_PENALTY + badness) ** 2 + pen * pen
                elif pen > -INFINITY:
                    d = (LINE_PENALTY + badness) ** 2 - pen * pen
                else:
                    d = (LINE_PENALTY + badness) ** 2
                if flagged and a.hyphens:
                    d += FLAGGED_DEMERITS
                if i == n - 1 and a.line and (natural < measure * RUNT_SHARE or (
                        sum_s[i] == a.spaces and natural < measure * RUNT_WORD_SHARE)):
                    d += RUNT_DEMERITS
                    if sum_s[i] == a.spaces and items[a.position].flagged:
                        # The tail of a broken word alone ("sixty-/two."): worse than a
                        # loose line above it.
                        d += FRAGMENT_RUNT_DEMERITS
                fit = _fitness(ratio) if not forced else 1
                if abs(fit - a.fitness) > 1:
                    d += FITNESS_DEMERITS
                d += a.demerits
                # Keep the best candidate per fitness class *and* hyphen run: a cheaper
                # candidate that already ends two hyphenated lines must not crowd out one
                # that leaves room for the next hyphen.
                slot = (fit, flagged and a.hyphens + 1 >= MAX_HYPHENS_IN_A_ROW,
                        a.line if lines is not None else 0)
                prev = best.get(slot)
                if prev is None or d < prev[0]:
                    best[slot] = (d, a, ratio)
        active = keep
        if best:
            # Totals after the break skip the glue and penalties that vanish at a line start.
            j = i
            if it.kind == GLUE or not forced:
                j = i + 1 if it.kind == GLUE else i + 1
            while j < n and items[j].kind != BOX and not (
                    items[j].kind == PENALTY and items[j].penalty <= -INFINITY and j > i):
                j += 1
            tw, ty, tz = sum_w[j], sum_y[j], sum_z[j]
            for (fit, _, _), (d, a, ratio) in best.items():
                hy = a.hyphens + 1 if flagged else 0
                active.append(_Node(i, a.line + 1, fit, tw, ty, tz, d, ratio, hy, a,
                                    sum_s[j], sum_g[j]))
        if not active:
            return None
    ends = [a for a in active if a.position == n - 1 and (lines is None or a.line == lines)]
    if not ends:
        return None
    node = min(ends, key=lambda a: a.demerits)
    out: list[Break] = []
    while node.previous is not None:
        pos = node.position
        it = items[pos]
        out.append(Break(pos, node.ratio, it.kind == PENALTY and it.flagged))
        node = node.previous
    out.reverse()
    return out


def greedy_breaks(items: list[Item], widths: list[float]) -> list[Break]:
    """First-fit breaking: each line takes as much as fits (allowing full shrink)."""
    out: list[Break] = []
    n = len(items)
    start = 0
    line = 0
    while start < n:
        measure = widths[line] if line < len(widths) else widths[-1]
        w = y = z = 0.0
        last_ok: tuple[int, float, float, float] | None = None
        i = start
        chosen = None
        while i < n:
            it = items[i]
            if it.kind == BOX:
                w += it.width
                y += it.stretch
                z += it.shrink
            elif it.kind == GLUE:
                if i > start and items[i - 1].kind == BOX and (
                        w - z <= measure or last_ok is None):
                    last_ok = (i, w, y, z)
                w += it.width
                y += it.stretch
                z += it.shrink
            elif it.penalty < INFINITY:
                total = w + it.width
                if it.penalty <= -INFINITY:
                    if total - z <= measure or last_ok is None:
                        chosen = (i, total, y, z)
                    break
                if total - z <= measure or last_ok is None:
                    last_ok = (i, total, y, z)
            if w - z > measure and last_ok is not None:
                break
            i += 1
        if chosen is None:
            chosen = last_ok if last_ok is not None else (n - 1, w, y, z)
        pos, natural, stretch, shrink = chosen
        it = items[pos]
        forced = it.kind == PENALTY and it.penalty <= -INFINITY
        if natural < measure:
            ratio = 0.0 if forced else ((measure - natural) / stretch if stretch else 0.0)
        else:
            ratio = (measure - natural) / shrink if shrink else 0.0
        out.append(Break(pos, ratio, it.kind == PENALTY and it.flagged))
        start = pos + 1
        while start < n and items[start].kind != BOX and not (
                items[start].kind == PENALTY and items[start].penalty <= -INFINITY):
            start += 1
        line += 1
    return out
