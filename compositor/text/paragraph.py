"""Setting a paragraph: styled runs -> boxes, glue and penalties -> measured lines.

This is the one door through which text reaches the page: fonts are chosen here, words
measured, hyphenation points found, and lines broken. The renderer only draws the lines.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import NamedTuple

from compositor import cache
from compositor.model.content import Run
from compositor.text.fonts import FontBook
from compositor.text.hyphenate import hyphen_points
from compositor.text.linebreak import (
    BOX,
    GLUE,
    INFINITY,
    PENALTY,
    RUNT_SHARE,
    RUNT_WORD_SHARE,
    Break,
    Item,
    greedy_breaks,
    optimal_breaks,
)
from compositor.text.shaping import (
    BIDI_ISOLATES,
    Shaper,
    has_rtl,
    needs_shaping,
    paragraph_levels,
    visual_runs,
    without_isolates,
)
from compositor.text.verse import VERSE_SLACK, couplets, gap, is_verse

HYPHEN = "-"
REPLACEMENT = "\ufffd"  # drawn for characters no font of the layout has
HYPHEN_PENALTY = 50
SHORT_PART_PENALTY = 300  # after "Kanoon-", leaving "e-Nevisandegan" to open a line
# A capitalised word (a name, mostly) broken by a hyphen: only offered once the paragraph
# has no setting without one whose gaps stay under about twice a space, and then at a
# price (a million demerits) that only a line of such gaps outweighs.
NAME_PENALTY = 1000
# The loosest word gaps accepted to keep names whole, in times their stretch limit: 2.0
# is twice a space with the default max_word_space of 1.5.
NAMES_WHOLE_GAP = 2.0
URL_BREAK_PENALTY = 30  # after "//" or a colon, before "/": the natural places
URL_MINOR_PENALTY = 70  # before . - _ ? # % ~, around = and &
_ADDRESS = re.compile(r"^[(\[<\"'\u201c\u2018]*(?:[a-z][a-z0-9+.\-]*://|www\.|mailto:"
                      r"|[^\s@/()]+@[^\s@/]+\.[a-z])", re.IGNORECASE)
_LEAD = "([<\"'\u201c\u2018\u00ab"
_TRAIL = ".,;:!?)]>\"'\u201d\u2019\u00bb\u2026"


def _letters(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def is_address(word: str) -> bool:
    """A web address or an e-mail address (with or without its scheme)."""
    if _ADDRESS.match(word):
        return True
    # Bare addresses such as harborlight.example.org/history
    return len(word) > 14 and "/" in word and "." in word and not word.isalpha()


def address_breaks(word: str) -> list[tuple[int, float]]:
    """Where a URL or e-mail address may break, as (offset, penalty), the way a book
    designer breaks them (Chicago Manual of Style 14.18): after "//" or a colon; before
    a slash, a dot, a hyphen, an underscore, ?, #, % or ~; before or after = and &. An
    e-mail address breaks before @ or a dot. No hyphen is ever added, so a line never
    ends in a character that could be mistaken for one; at least two characters stay
    before a break and three after it (a line holding only "-0" reads as a stray)."""
    start, end = 0, len(word)
    while start < end and word[start] in _LEAD:
        start += 1
    while end > start and word[end - 1] in _TRAIL:
        end -= 1
    core = word[start:end]
    email = "@" in core and "://" not in core and "/" not in core.partition("@")[2]
    out: list[tuple[int, float]] = []
    for i in range(start + 2, end - 2):
        prev, ch = word[i - 1], word[i]
        if email:
            if ch in "@.":
                out.append((i, URL_BREAK_PENALTY if ch == "@" else URL_MINOR_PENALTY))
            continue
        after_slashes = prev == "/" and word[i - 2] == "/" and ch != "/"
        after_colon = prev == ":" and ch != "/"
        before_slash = ch == "/" and prev not in "/:" and word[i + 1:i + 2] != "/"
        before_mark = ch in ".-_?#%~=&" and prev not in "/:.-_?#%~=&"
        after_joiner = prev in "=&" and ch not in "=&"
        if after_slashes or after_colon or before_slash:
            out.append((i, URL_BREAK_PENALTY))
        elif before_mark or after_joiner:
            out.append((i, URL_MINOR_PENALTY))
    return out


@dataclass(frozen=True, slots=True)
class Style:
    """What the typesetter needs of a text style: face key, size, colour name."""

    face: str  # 'family:weight'
    size: float
    leading: float
    color: str


@dataclass(frozen=True, slots=True)
class Frag:
    face: str
    size: float
    color: str
    text: str
    width: float  # natural width in points, spaces included
    href: str | None = None
    rtl: bool = False  # a right-to-left run: text in logical order, drawn shaped


class Spacing(NamedTuple):
    """How a justified line is filled: extra per word space and per glyph (points), and
    the horizontal scale of the whole line (1.0 = as designed)."""

    word: float
    char: float
    scale: float


NO_SPACING = Spacing(0.0, 0.0, 1.0)
SCALE_STEPS = 1000  # glyph scaling is set in steps of 0.1 %


def quantise_scale(h: float) -> float:
    """Horizontal glyph scale in steps of 0.1 %, rounded towards 100 % so it never passes
    the layout's limit. A 0.1 % difference in letter width cannot be seen, but every
    distinct scale makes PDF readers and RIPs (Ghostscript among them) build and cache
    another scaled font: unrounded, each justified line had its own. The word spaces,
    computed after the rounding, absorb the difference, so lines still end exactly on
    the measure."""
    steps = math.trunc((h - 1.0) * SCALE_STEPS + math.copysign(1e-6, h - 1.0))
    return 1.0 + steps / SCALE_STEPS


def word_space_give(space: float, gap_room: float, track: float, scale: float) -> float:
    """What a word space itself may stretch (or shrink) when a gap may change by
    `gap_room` in all: letter spacing adds to the gap twice (after the letter before it
    and after the space) and scaling widens the space too. Used both by the line breaker's
    items and by Line.spacing, which must agree."""
    return max(0.0, gap_room - 2 * track - space * scale)


@dataclass(frozen=True, slots=True)
class Line:
    frags: tuple[Frag, ...]
    natural: float  # natural width in points
    spaces: int  # justifiable spaces
    measure: float  # target width
    indent: float
    ratio: float  # how far the line stretches (+) or shrinks (-), 1.0 = to the limit
    hyphenated: bool
    justified: bool
    space: float = 0.0  # natural width of a word space in this line, in points
    stretch: float = 0.0  # how far a word gap may grow, times `space`
    shrink: float = 0.0  # how far a word gap may shrink, times `space`
    track: float = 0.0  # most letter spacing allowed per glyph, in points
    track_shrink: float = 0.0  # most letter spacing taken away per glyph, in points
    scale: float = 0.0  # most horizontal glyph scaling added, as a fraction
    scale_shrink: float = 0.0  # most horizontal glyph scaling taken away, as a fraction
    glyphs: int = 0
    # How far the line's Arabic-script words may be lengthened by kashida in all, in
    # points, and whether kashida fills the line before the word spaces grow.
    kashida: float = 0.0
    kashida_first: bool = False
    # A couplet side by side: its two halves, each a justified line of its own, with
    # where each starts from the line's left edge (visual order). `frags` holds both.
    halves: tuple[tuple[float, Line], ...] = ()
    # A stacked couplet's later lines: never parted from the line before by a column or
    # page break.
    joined: bool = False
    # How far a word gap grows (times `space`) before letter spacing and glyph scaling
    # have given all they may; 0 = the three share the slack evenly up to the limit.
    knee: float = 0.0
    name_break: bool = False  # ends inside a capitalised word broken as a last resort

    @property
    def text(self) -> str:
        return "".join(f.text for f in self.frags)

    def spacing(self) -> Spacing:
        """Word spacing, letter spacing and glyph scaling that fill the line to its measure.

        The three share the slack in proportion to what each may give, the way
        InDesign's justification settings work, with the word spaces' share reduced by
        what letter spacing and scaling already add to each gap: at the limit the gap
        between two words is exactly `1 + stretch` (or `1 - shrink`) times a space. So a
        line within the limits never shows a gap beyond what the designer allowed, and
        slack that word spaces alone would turn into holes is spread over the letters.
        """
        return self._fill()[0]

    def kashida_fill(self) -> float:
        """How much the line's words are lengthened by kashida in all, in points (shared
        among them in proportion to what each may give)."""
        return self._fill()[1]

    def _fill(self) -> tuple[Spacing, float]:
        # Every pass of the make-up asks again for the same lines' spacing: remembered by
        # the numbers it depends on.
        return _filled(self.justified, self.spaces, self.track, self.scale, self.kashida,
                       self.measure, self.natural, self.stretch, self.shrink, self.space,
                       self.track_shrink, self.scale_shrink, self.knee, self.glyphs,
                       self.kashida_first)

    def is_runt(self) -> bool:
        """As a paragraph's last line: shorter than a quarter of the measure, or a single
        word shorter than a third of it (what the line breaker's runt demerit avoids)."""
        return self.natural < self.measure * RUNT_SHARE or (
            " " not in self.text.strip() and self.natural < self.measure * RUNT_WORD_SHARE)

    def space_ratio(self) -> float:
        """How far the gaps between words are stretched (+) or shrunk (-), as a fraction
        of what the layout allows: above 1.0 a gap is wider than max_word_space times a
        space, below -1.0 narrower than min_word_space. The gap is what a reader sees:
        the word space with letter spacing and scaling included."""
        if not self.justified or not self.spaces or not self.frags or not self.space:
            return 0.0
        tw, tc, h = self.spacing()
        grow = (self.space + tw + 2 * tc) * h - self.space
        room = self.stretch if grow >= 0 else self.shrink
        return grow / (room * self.space) if room else 0.0


# The store each name was last saved with in this process (see Typesetter.save_store).
_SAVED: dict[str, dict] = {}


@lru_cache(maxsize=65_536)
def _filled(justified: bool, spaces: int, track: float, scale: float, kashida: float,
            measure: float, natural: float, stretch: float, shrink: float, space: float,
            track_shrink: float, scale_shrink: float, knee: float, glyphs: int,
            kashida_first: bool) -> tuple[Spacing, float]:
    """Line._fill's spacing and kashida, from the numbers of the line it depends on."""
    if not justified or not (spaces or track or scale or kashida):
        return NO_SPACING, 0.0
    extra = measure - natural
    kash = 0.0
    if extra >= 0:
        room, track, scale = stretch * space, track, scale
        kash = kashida
    else:
        room, track, scale = -shrink * space, -track_shrink, -scale_shrink
    if extra >= 0 and 0 < knee < stretch and spaces and not kash:
        # As InDesign's composer: letter spacing and scaling reach their limits by the
        # time word gaps reach the knee (1.33 spaces); beyond it only the word spaces
        # grow, up to the limit and past it. A loose line so shows its letters at full
        # stretch before its gaps turn into holes.
        room = knee * space
    # What each gap's own word space may give once letter spacing (on the letter
    # before the gap and on the space itself) and scaling have taken their part.
    sign = 1.0 if room >= 0 else -1.0
    word_room = sign * word_space_give(space, sign * room, sign * track,
                                       sign * scale)
    capacity = spaces * word_room + (glyphs - 1) * track + natural * scale
    if kash and kashida_first:
        # Kashida first; what it cannot fill goes to the word spaces.
        k = min(extra, kash)
        ratio = min(1.0, (extra - k) / capacity) if capacity else 0.0
    else:
        capacity += kash
        ratio = min(1.0, extra / capacity) if capacity else 0.0
        k = ratio * kash
    tc, h = ratio * track, quantise_scale(1.0 + ratio * scale)
    if not spaces:
        # A line with no word space (a piece of a long address) is filled by letter
        # spacing, scaling and kashida alone, as far as they go.
        return Spacing(0.0, tc, h), k
    # The word spaces take the rest exactly; beyond the limits, only they grow on.
    # PDF scales glyphs, letter and word spacing alike: h * (natural + tc's + tw's).
    tw = (measure / h - natural - (glyphs - 1) * tc - k) / spaces
    if ratio < 1.0 and abs((space + tw + 2 * tc) * h - space) > abs(room):
        # Rounding the scale towards 100 % left the few word spaces of a line of long
        # words more than their share: one step further, within the layout's limit,
        # gives it back to the letters.
        away = h + sign / SCALE_STEPS
        if abs(away - 1.0) <= abs(scale) + 1e-9:
            h = away
            tw = (measure / h - natural - (glyphs - 1) * tc - k) / spaces
    return Spacing(tw, tc, h), k


@dataclass(frozen=True)
class SetParagraph:
    lines: tuple[Line, ...]
    missing: frozenset[str]  # characters no font could draw


@dataclass(frozen=True)
class Settings:
    language: str = "en"
    hyphenate: bool = True
    hyphenate_capitalized: bool = False  # break words that start with a capital (names)
    optimal: bool = True
    stretch: float = 0.5  # allowed stretch of a space, times its width
    shrink: float = 0.2
    tracking: float = 0.02  # most letter spacing added per glyph, in em
    tracking_shrink: float = 0.01  # most letter spacing removed per glyph, in em
    scaling: float = 0.0  # most horizontal glyph scaling added, as a fraction (0.02 = 102%)
    scaling_shrink: float = 0.0  # most taken away (0.02 = 98%)
    rtl: bool = False  # paragraphs run right to left (bidi base direction)
    # How justified lines with Arabic-script words are filled: "both" shares the slack
    # between word spaces and kashida, "kashida" lengthens words first, "spaces" never.
    justify: str = "both"
    # Word-gap growth (times a space) at which letter spacing and glyph scaling have given
    # all they may: InDesign's default maximum word spacing, 133 %.
    knee: float = 0.33
    colour: str = "even"  # text.spacing_colour: tighter, even or looser


_WEIGHTS = {(False, False): "regular", (True, False): "italic", (False, True): "bold",
            (True, True): "bold_italic"}


def run_face(style: Style, run: Run, accent: str | None) -> tuple[str, float, str]:
    family, _, weight = style.face.partition(":")
    italic = ("italic" in weight) != run.italic  # emphasis inside italic text goes upright
    bold = "bold" in weight or run.bold
    size = style.size
    if run.code:
        family, size = "sans", size * 0.92
    color = accent if (run.href and accent) else style.color
    return f"{family}:{_WEIGHTS[italic, bold]}", size, color


class Typesetter:
    """Sets paragraphs, caching results: a layout pass that repeats a paragraph at the same
    measure gets the lines of the first pass back for free."""

    def __init__(self, fonts: FontBook, settings: Settings, link_color: str | None = None):
        self.fonts = fonts
        self.settings = settings
        self.link_color = link_color
        self._cache: dict[tuple, SetParagraph] = {}
        self._words: dict[tuple, tuple[list[Item], list[object], frozenset[str]]] = {}
        self._fallbacks: dict[tuple[str, str], str | None] = {}
        self._seg_cache: dict[tuple[str, str], tuple[tuple, frozenset[str]]] = {}
        self._stored: dict[str, list] | None = None
        self._new: dict[str, tuple] = {}  # digest -> cache key, encoded only when saved
        self._store_name: str | None = None
        self._ragged_urls = False  # breaks inside addresses may end a line short
        self._stretch_words = True  # words offer their kashida stretch to the breaker
        self._names = False  # capitalised words offer (costly) hyphenation points

    def set(self, runs: tuple[Run, ...], style: Style, measure: float, *, align: str = "justify",
            indent: float = 0.0, hyphenate: bool = True,
            hang: tuple[int, float] = (0, 0.0)) -> SetParagraph:
        """Set a paragraph. `hang` = (n, width): the first n lines are `width` narrower and
        start that much further right (room for a drop cap)."""
        key = (runs, style, round(measure, 3), align, round(indent, 3), hyphenate, hang)
        hit = self._cache.get(key)
        if hit is None:
            stored = self._stored.get(_digest(key)) if self._stored else None
            if stored is not None:
                hit = _decode(stored)
            else:
                hit = self._set(runs, style, measure, align, indent, hyphenate, hang)
                if self._store_name:
                    self._new[_digest(key)] = key
            self._cache[key] = hit
        return hit

    # -- a disk cache of set paragraphs, for the next build of the same issue ---------------

    def load_store(self, name: str) -> None:
        """Paragraphs set by earlier builds with the same fonts and settings. With the
        cache off nothing is loaded, and nothing is encoded to be saved."""
        if cache.cache_dir() is None:
            return
        self._store_name = name
        data = cache.get("paragraphs", name)
        if data:
            try:
                self._stored = json.loads(data)
            except ValueError:
                self._stored = {}

    def save_store(self) -> None:
        if not self._store_name or not self._new:
            return
        new = {digest: _encode(self._cache[key]) for digest, key in self._new.items()}
        # Typesetters of one build for variants of a layout (titles set smaller, photos
        # across columns) share a store: each adds to what the last one saved.
        merged = {**(_SAVED.get(self._store_name) or self._stored or {}), **new}
        if len(merged) > 60_000:  # keep the file bounded: start afresh with this build's
            merged = new
        cache.put("paragraphs", self._store_name,
                  json.dumps(merged, separators=(",", ":"), ensure_ascii=False).encode())
        self._stored, self._new = merged, {}
        _SAVED[self._store_name] = merged

    # -- building items -------------------------------------------------------------------

    def set_without_hyphen(self, runs: tuple[Run, ...], style: Style, measure: float, *,
                           line: int, lines: int, indent: float = 0.0,
                           hang: tuple[int, float] = (0, 0.0)) -> SetParagraph | None:
        """The justified paragraph broken again so that line `line` (from 0) does not end
        in a hyphen, in exactly `lines` lines; None when no such setting stays within the
        looser tolerances. Page make-up uses it for the last line of a page."""
        key = ("nohyphen", runs, style, round(measure, 3), round(indent, 3), hang, line, lines)
        if key in self._cache:
            return self._cache[key]
        found = self._optimal(runs, style, measure, indent, True, hang, avoid_hyphen=line,
                              lines=lines)
        result = None
        if found is not None:
            items, payload, missing, widths, breaks = found
            result = SetParagraph(tuple(self._lines(items, payload, breaks, measure, indent,
                                                    "justify", hang)), frozenset(missing))
        self._cache[key] = result  # type: ignore[assignment]
        return result

    def set_in_lines(self, runs: tuple[Run, ...], style: Style, measure: float, *, lines: int,
                     indent: float = 0.0, hang: tuple[int, float] = (0, 0.0)
                     ) -> SetParagraph | None:
        """The justified paragraph in exactly `lines` lines, every line within the
        designer's word-space limits (no loose or tight line); None when there is no such
        setting. Page make-up uses it to make a paragraph a line longer or shorter."""
        key = ("lines", runs, style, round(measure, 3), round(indent, 3), hang, lines)
        if key in self._cache:
            return self._cache[key]
        result = None
        if lines >= 1 and self.settings.optimal and not is_verse(runs):
            items, payload, missing, widths = self._items(runs, style, measure, "justify",
                                                          indent, True, hang)
            breaks = optimal_breaks(items, widths, 1.0, lines=lines, **self._breaker_options())
            if breaks is not None:
                set_lines = self._lines(items, payload, breaks, measure, indent, "justify",
                                        hang)
                # Every line within the limits, and none of them empty (a break at the
                # last word space would leave an empty last line: a blank line on the page).
                if all(abs(line.space_ratio()) <= 1.0 + 1e-6 and line.text.strip()
                       for line in set_lines):
                    result = SetParagraph(tuple(set_lines), frozenset(missing))
        self._cache[key] = result  # type: ignore[assignment]
        return result

    def set_ragged_in_lines(self, runs: tuple[Run, ...], style: Style, measure: float, *,
                            lines: int, indent: float = 0.0) -> SetParagraph | None:
        """The ragged-right paragraph in exactly `lines` lines, one more than it takes at
        `measure`: broken at a measure up to a tenth narrower, so its right edge is only a
        little more ragged. None when no such measure gives that many lines."""
        key = ("ragged-lines", runs, style, round(measure, 3), round(indent, 3), lines)
        if key in self._cache:
            return self._cache[key]
        result = None
        for step in range(1, 11):
            trial = self.set(runs, style, measure * (1 - step / 100), align="left",
                             indent=indent)
            if len(trial.lines) == lines:
                # Not by pushing a last word (or a lone "…") onto a line of its own.
                if all(line.text.strip() for line in trial.lines) and \
                        not trial.lines[-1].is_runt():
                    result = trial
                break
            if len(trial.lines) > lines:
                break
        self._cache[key] = result  # type: ignore[assignment]
        return result

    def _optimal(self, runs: tuple[Run, ...], style: Style, measure: float, indent: float,
                 hyphenate: bool, hang: tuple[int, float], **constraints
                 ) -> tuple[list[Item], list[object], set[str], list[float], list[Break]] | None:
        """Whole-paragraph breaking in passes: strict first, then looser passes that still
        minimise badness over the whole paragraph (spreading unavoidable slack rather than
        dumping it on one line)."""
        constraints = {**constraints, **self._breaker_options()}
        items, payload, missing, widths = self._items(runs, style, measure, "justify", indent,
                                                      hyphenate, hang, kashida=False)
        breaks = (optimal_breaks(items, widths, 1.0, **constraints)
                  or optimal_breaks(items, widths, 2.5, max_gap=NAMES_WHOLE_GAP,
                                    **constraints))
        names = False
        if breaks is None and hyphenate and self.settings.hyphenate and \
                not self.settings.hyphenate_capitalized:
            # No setting keeps every name whole without a gap over about twice a space:
            # names may break now, each break at NAME_PENALTY, so as few as possible and
            # only where a line would otherwise gape.
            names = True
            items, payload, missing, widths = self._items(
                runs, style, measure, "justify", indent, hyphenate, hang, kashida=False,
                names=True)
            breaks = optimal_breaks(items, widths, 1.0, **constraints)
        breaks = breaks or optimal_breaks(items, widths, 2.5, **constraints)
        ragged = False
        if breaks is None and self._has_address_break(items):
            # An address too long for any good justified setting: rather than gaping word
            # spaces, the line before a break inside it may end short.
            ragged = True
            items, payload, missing, widths = self._items(
                runs, style, measure, "justify", indent, hyphenate, hang, ragged_urls=True,
                kashida=False, names=names)
            breaks = (optimal_breaks(items, widths, 1.0, **constraints)
                      or optimal_breaks(items, widths, 2.5, **constraints))
        breaks = breaks or optimal_breaks(items, widths, 60.0, **constraints)
        if breaks is not None and self._kashida and any(b.ratio > 1.0 for b in breaks[:-1]):
            # Word spaces alone leave a loose line: broken again counting what kashida
            # may give, in as many lines (the page make-up keeps the paragraph's height).
            kept = {**constraints, "lines": constraints.get("lines") or len(breaks)}
            k_items, k_payload, k_missing, k_widths = self._items(
                runs, style, measure, "justify", indent, hyphenate, hang, ragged_urls=ragged,
                names=names)
            better = (optimal_breaks(k_items, k_widths, 1.0, **kept)
                      or optimal_breaks(k_items, k_widths, 2.5, **kept))
            if better is not None:
                return k_items, k_payload, k_missing, k_widths, better
        return None if breaks is None else (items, payload, missing, widths, breaks)

    def _set(self, runs: tuple[Run, ...], style: Style, measure: float, align: str,
             indent: float, hyphenate: bool, hang: tuple[int, float] = (0, 0.0)
             ) -> SetParagraph:
        if is_verse(runs):
            return self._set_verse(runs, style, measure)
        found = None
        if align == "justify" and self.settings.optimal:
            found = self._optimal(runs, style, measure, indent, hyphenate, hang)
        if found is not None:
            items, payload, missing, widths, breaks = found
        else:
            items, payload, missing, widths = self._items(runs, style, measure, align, indent,
                                                          hyphenate, hang)
            breaks = greedy_breaks(items, widths)
        lines = self._lines(items, payload, breaks, measure, indent, align, hang)
        return SetParagraph(tuple(lines), frozenset(missing))

    def _set_verse(self, runs: tuple[Run, ...], style: Style, measure: float
                   ) -> SetParagraph:
        """A poem (verse.py): each couplet one line, its halves side by side and each
        justified to its half; stacked and centred when a half does not fit."""
        poem = couplets(runs)
        space = gap(measure, style.size)
        missing: set[str] = set()
        # Every half of the poem as wide as its widest hemistich (a little more, so that
        # one is justified too), at most half the measure: the couplets line up, and on a
        # wide measure the poem is a centred block rather than words spread across it.
        widest = max((self._set(h, style, 1e6, "left", 0.0, False).lines[0].natural
                      for c in poem for h in c), default=0.0)
        half = min((measure - space) / 2, widest * (1 + VERSE_SLACK))
        start = (measure - 2 * half - space) / 2
        sets = [[self._set(h, style, half, "justify", 0.0, False) for h in c] for c in poem]
        for c in sets:
            for s_ in c:
                missing.update(s_.missing)
        side_by_side = all(len(s_.lines) == 1 for c in sets for s_ in c)
        lines: list[Line] = []
        if side_by_side:
            for c in sets:
                if len(c) == 1:  # a line of its own (a refrain, a closing half): centred
                    one = c[0].lines[0]
                    lines.append(replace(one, indent=(measure - one.natural) / 2,
                                         measure=measure, justified=False))
                    continue
                first, second = (self._filled(s_.lines[0], half) for s_ in c[:2])
                # The first half on the reading side.
                left, right = (second, first) if self.settings.rtl else (first, second)
                lines.append(Line(left.frags + right.frags, measure, 0, measure, 0.0, 0.0,
                                  False, True, halves=((start, left),
                                                       (start + half + space, right))))
        else:
            for c in couplets(runs):
                first = True
                for h in c:
                    for one in self._set(h, style, measure, "left", 0.0, False).lines:
                        lines.append(replace(one, indent=(measure - one.natural) / 2,
                                             measure=(measure + one.natural) / 2,
                                             joined=not first))
                        first = False
        return SetParagraph(tuple(lines), frozenset(missing))

    def _filled(self, line: Line, width: float) -> Line:
        """A hemistich justified to `width` by word spaces and kashida."""
        kash = sum(self._kashida_room(f.face, f.text, f.size) for f in line.frags if f.rtl) \
            if self._kashida else 0.0
        return replace(line, measure=width, indent=0.0, justified=True, kashida=kash)

    def _breaker_options(self) -> dict:
        s = self.settings
        knee = s.knee / s.stretch if s.stretch > 0 and (s.tracking or s.scaling) else 0.0
        return {"colour": s.colour, "knee": knee}

    @staticmethod
    def _has_address_break(items: list[Item]) -> bool:
        return any(it.kind == PENALTY and not it.flagged and 0 < it.penalty < INFINITY
                   for it in items)

    @property
    def _kashida(self) -> bool:
        return self.settings.rtl and self.settings.justify != "spaces"

    def _items(self, runs: tuple[Run, ...], style: Style, measure: float, align: str,
               indent: float, hyphenate: bool, hang: tuple[int, float],
               ragged_urls: bool = False, kashida: bool = True, names: bool = False
               ) -> tuple[list[Item], list[object], set[str], list[float]]:
        """Boxes, glue and penalties of a paragraph, what they draw, and the line widths;
        with `kashida`, words that may be lengthened stretch; with `names`, capitalised
        words may break at NAME_PENALTY."""
        settings = self.settings
        self._ragged_urls = ragged_urls
        self._names = names
        self._stretch_words = kashida
        items: list[Item] = []
        payload: list[object] = []
        missing: set[str] = set()
        hyph = hyphenate and settings.hyphenate and align == "justify"
        justify = align == "justify"
        fonts = self.fonts
        if indent:
            items.append(Item(BOX, indent))
            payload.append(None)

        words: list[list[tuple[str, float, str, str, str | None]]] = [[]]
        seps: list[str] = []  # what follows each word: ' ' or '\n'
        for run in runs:
            face, size, color = run_face(style, run, self.link_color)
            text = run.text
            start = 0
            for i, ch in enumerate(text):
                if ch == " " or ch == "\n":
                    if i > start:
                        for f, piece in self._segments(text[start:i], face, missing):
                            words[-1].append((f, size, color, piece, run.href))
                    if words[-1] or ch == "\n":
                        seps.append(ch)
                        words[-1].append((face, size, color, "", run.href))  # space style
                        words.append([])
                    start = i + 1
            if start < len(text):
                for f, piece in self._segments(text[start:], face, missing):
                    words[-1].append((f, size, color, piece, run.href))
        if not words[-1]:
            words.pop()

        for wi, word in enumerate(words):
            sep = seps[wi] if wi < len(seps) else None
            parts = [p for p in word if p[3]]
            space_style = word[-1] if sep else None
            if parts:
                # Pieces must fit even on an indented or hanging first line.
                self._word_items(parts, items, payload, measure - max(indent, hang[1]), hyph,
                                 justify,
                                 missing)
            if sep == " ":
                face, size = space_style[0], space_style[1]
                sw = fonts.face(face).width(" ", size)
                if justify:
                    # A word space gives its own stretch less what letter spacing (on the
                    # letter before it and on the space) and scaling already add to the
                    # gap, so a line at its limit shows gaps of exactly max_word_space.
                    t, ts = settings.tracking * size, settings.tracking_shrink * size
                    h, hs = settings.scaling, settings.scaling_shrink
                    stretch = word_space_give(sw, sw * settings.stretch, t, h) + t + sw * h
                    shrink = word_space_give(sw, sw * settings.shrink, ts, hs) + ts + sw * hs
                else:
                    # Ragged text is never squeezed: a line must fit as measured.
                    stretch, shrink = sw * settings.stretch, 0.0
                items.append(Item(GLUE, sw, stretch, shrink))
                payload.append(space_style)
            elif sep == "\n":
                items.append(Item(GLUE, 0.0, 100_000.0, 0.0))
                payload.append(None)
                items.append(Item(PENALTY, 0.0, 0.0, 0.0, -INFINITY))
                payload.append("\n")
        # Drop trailing glue, then finish with fill glue and a forced break.
        while items and items[-1].kind == GLUE:
            items.pop()
            payload.pop()
        items.append(Item(GLUE, 0.0, 100_000.0, 0.0))
        payload.append(None)
        items.append(Item(PENALTY, 0.0, 0.0, 0.0, -INFINITY))
        payload.append("end")

        widths = [measure - hang[1]] * hang[0] + [measure]
        return items, payload, missing, widths

    def _segments(self, text: str, face: str, missing: set[str]) -> tuple[tuple[str, str], ...]:
        """Split text by the face that can draw it: a character the run's font lacks is
        taken from another family of the layout in the same weight; one that no font has
        becomes U+FFFD (and is reported), never an invisible .notdef box. Cached per word
        and face: a newsletter repeats its words."""
        key = (text, face)
        hit = self._seg_cache.get(key)
        if hit is None:
            lacking: set[str] = set()
            hit = (tuple(self._segments_uncached(text, face, lacking)), frozenset(lacking))
            if len(self._seg_cache) < 300_000:
                self._seg_cache[key] = hit
        if hit[1]:
            missing.update(hit[1])
        return hit[0]

    def _segments_uncached(self, text: str, face: str, missing: set[str]
                           ) -> list[tuple[str, str]]:
        primary = self.fonts.face(face)
        if all(primary.covers(ch) or ch in BIDI_ISOLATES for ch in text):
            return [(face, text)]
        # A word is set in one face where possible, not letter by letter.
        weight = face.partition(":")[2] or "regular"
        for family in self.fonts.families:
            candidate = f"{family}:{weight}"
            if candidate != face and all(self.fonts.face(candidate).covers(ch) for ch in text):
                return [(candidate, text)]
        out: list[tuple[str, str]] = []
        for ch in text:
            use = face if primary.covers(ch) or ch in BIDI_ISOLATES else \
                self._fallback(face, ch)
            if use is None:
                missing.add(ch)
                use, ch = face, REPLACEMENT
            if out and out[-1][0] == use:
                out[-1] = (use, out[-1][1] + ch)
            else:
                out.append((use, ch))
        return out

    def _fallback(self, face: str, ch: str) -> str | None:
        key = (face, ch)
        if key not in self._fallbacks:
            weight = face.partition(":")[2] or "regular"
            found = None
            for family in self.fonts.families:
                candidate = f"{family}:{weight}"
                if candidate != face and self.fonts.face(candidate).covers(ch):
                    found = candidate
                    break
            self._fallbacks[key] = found
        return self._fallbacks[key]

    def _word_items(self, parts, items: list[Item], payload: list[object], measure: float,
                    hyph: bool, justify: bool, missing: set[str]) -> None:
        """Boxes and break points of one word, cached: a newsletter repeats its words."""
        key = (tuple(parts), round(measure, 2), hyph, justify, self._ragged_urls,
               self._stretch_words, self._names)
        hit = self._words.get(key)
        if hit is None:
            w_items: list[Item] = []
            w_payload: list[object] = []
            w_missing: set[str] = set()
            self._word_items_uncached(parts, w_items, w_payload, measure, hyph, justify,
                                      w_missing)
            hit = (w_items, w_payload, frozenset(w_missing))
            if len(self._words) < 300_000:
                self._words[key] = hit
        items.extend(hit[0])
        payload.extend(hit[1])
        if hit[2]:
            missing.update(hit[2])

    def _word_items_uncached(self, parts, items: list[Item], payload: list[object],
                             measure: float, hyph: bool, justify: bool, missing: set[str]
                             ) -> None:
        fonts = self.fonts
        lang = self.settings.language
        for face, _size, _c, text, _h in parts:
            f = fonts.face(face)
            for ch in text:
                if not f.covers(ch) and ch not in BIDI_ISOLATES:
                    missing.add(ch)
        # Split the word into pieces at allowed break points inside it.
        pieces: list[tuple[list[tuple], str | None]] = []  # (frags, break-kind after)
        if len(parts) == 1:
            face, size, color, text, href = parts[0]
            cuts = self._cuts(text, hyph)
            if not cuts and hyph and fonts.face(face).width(text, size, lang) > measure:
                # A word wider than the column (a long capitalised compound) breaks where
                # hyphenation allows before it is cut between any two letters.
                cuts = [(p, "hyphen") for p in hyphen_points(text, lang, True)]
            prev = 0
            for pos, kind in cuts:
                pieces.append(([(face, size, color, text[prev:pos], href)], kind))
                prev = pos
            pieces.append(([(face, size, color, text[prev:], href)], None))
        else:
            # A word in several styles ("*Rindfleisch…*." or "**bold**," with its stop in
            # roman) breaks inside each styled part as a word of one style would.
            current: list[tuple] = []
            for face, size, color, text, href in parts:
                prev = 0
                for pos, kind in self._cuts(text, hyph) if hyph else ():
                    current.append((face, size, color, text[prev:pos], href))
                    pieces.append((current, kind))
                    current, prev = [], pos
                current.append((face, size, color, text[prev:], href))
            pieces.append((current, None))
        for k, (frags, kind) in enumerate(pieces):
            width = sum(fonts.face(fc).width(t, sz, lang) for fc, sz, _c, t, _h in frags)
            if width > measure:
                self._emergency(frags, items, payload, measure)
            else:
                # What the glyphs themselves may give in a justified line: letter spacing
                # after each and horizontal scaling. Ragged lines are set as measured.
                # Right-to-left words are drawn without letter spacing (it would tear
                # joined letters apart), so they offer none.
                glyphs = sum(len(t) * sz for _f, sz, _c, t, _h in frags
                             if not has_rtl(t)) if justify else 0.0
                scale = width if justify else 0.0
                st = self.settings
                # Arabic-script words may be lengthened by kashida: the breaker counts
                # that stretch with the word spaces'.
                kash = sum(self._kashida_room(fc, t, sz) for fc, sz, _c, t, _h in frags) \
                    if justify and self._stretch_words and self._kashida else 0.0
                items.append(Item(BOX, width, glyphs * st.tracking + scale * st.scaling + kash,
                                  glyphs * st.tracking_shrink + scale * st.scaling_shrink))
                payload.append(tuple(frags))
            if kind is not None and k < len(pieces) - 1:
                fc, sz = frags[-1][0], frags[-1][1]
                if kind == "hyphen" or kind == "name":
                    hw = fonts.face(fc).width(HYPHEN, sz)
                    cost = HYPHEN_PENALTY if kind == "hyphen" else NAME_PENALTY
                    items.append(Item(PENALTY, hw, 0, 0, cost, True))
                    payload.append((fc, sz, frags[-1][2], HYPHEN, frags[-1][4]))
                elif kind == "hard" or kind == "hard-short":
                    cost = HYPHEN_PENALTY if kind == "hard" else SHORT_PART_PENALTY
                    items.append(Item(PENALTY, 0.0, 0, 0, cost, True))
                    payload.append(None)
                else:
                    # A break inside an address adds no hyphen, and the line before it is
                    # justified like any other (the address offers enough break points).
                    cost = URL_BREAK_PENALTY if kind == "url" else URL_MINOR_PENALTY
                    if self._ragged_urls:
                        self._ragged_break(items, payload, measure, cost)
                    else:
                        items.append(Item(PENALTY, 0.0, 0, 0, cost, False))
                        payload.append(None)

    def _kashida_room(self, face: str, text: str, size: float) -> float:
        """How far the words of `text` may be lengthened by kashida, in points. Only in a
        right-to-left edition: an Arabic word quoted in English text keeps its length."""
        if not needs_shaping(text):
            return 0.0
        shaper = Shaper.for_path(self.fonts.face(face).path)
        lang = self.settings.language
        return sum(shaper.kashida_room(w, lang) for w in without_isolates(text).split(" ")) \
            * size

    def _cuts(self, text: str, hyph: bool) -> list[tuple[int, str]]:
        cuts: list[tuple[int, str]] = []
        if is_address(text):
            cuts = [(pos, "url" if cost <= URL_BREAK_PENALTY else "url2")
                    for pos, cost in address_breaks(text)]
        elif "-" in text:
            # After an explicit hyphen (a compound, a transliteration such as
            # Bandar-e-Anzali), with at least three letters on either side ("-to" alone
            # reads as a stray). A line opening with a linking "e-" costs more than
            # "Bandar-e-", which keeps the "e" with its word, as it is spoken.
            for i, ch in enumerate(text[:-1]):
                if ch == "-" and _letters(text[:i]) >= 3 and _letters(text[i + 1:]) >= 3:
                    short = _letters(text[i + 1:].split("-", 1)[0]) < 3
                    cuts.append((i + 1, "hard-short" if short else "hard"))
            if self._names and hyph:
                # As a last resort the parts break too (Kanoon-e-Nevisan-degan).
                start = 0
                for part in text.split("-"):
                    cuts += [(start + p, "name") for p in hyphen_points(
                        part, self.settings.language, True)]
                    start += len(part) + 1
                cuts.sort()
        elif hyph and not needs_shaping(text):  # Arabic script is never hyphenated
            lang, capitalized = self.settings.language, self.settings.hyphenate_capitalized
            cuts = [(p, "hyphen") for p in hyphen_points(text, lang, capitalized)]
            if not cuts and self._names and not capitalized:
                cuts = [(p, "name") for p in hyphen_points(text, lang, True)]
        return cuts

    def _emergency(self, frags, items: list[Item], payload: list[object], measure: float) -> None:
        """A piece wider than the column: cut it between characters so nothing overflows."""
        fonts = self.fonts
        lang = self.settings.language
        for n, (face, size, color, text, href) in enumerate(frags):
            f = fonts.face(face)
            chunk = ""
            for i, ch in enumerate(text):
                # Closing punctuation stays with the letters before it (the 3 % kept
                # free takes it): a line never starts with a lone full stop.
                if chunk and f.width(chunk + ch, size, lang) > measure * 0.97 and \
                        text[i:].strip(_TRAIL):
                    items.append(Item(BOX, f.width(chunk, size, lang)))
                    payload.append(((face, size, color, chunk, href),))
                    self._ragged_break(items, payload, measure, 0)
                    chunk = ""
                chunk += ch
            if chunk:
                items.append(Item(BOX, f.width(chunk, size, lang)))
                payload.append(((face, size, color, chunk, href),))
                if n < len(frags) - 1:
                    self._ragged_break(items, payload, measure, 0)

    @staticmethod
    def _ragged_break(items: list[Item], payload: list[object], measure: float,
                      cost: float) -> None:
        """A break inside a URL or an over-long word. The line ending here may fall short of
        the measure (it is set ragged), so the break carries stretch of its own; the stretch
        is cancelled again when the break is not taken (the TeX idiom for ragged breaks)."""
        give = measure * 0.6
        items += [Item(PENALTY, 0.0, 0, 0, INFINITY), Item(GLUE, 0.0, give, 0.0),
                  Item(PENALTY, 0.0, 0, 0, cost, False), Item(GLUE, 0.0, -give, 0.0)]
        payload += [None, None, "ragged", None]

    # -- from breaks to lines ------------------------------------------------------------

    def _visual(self, frags: tuple[Frag, ...], levels: list[int] | None = None
                ) -> tuple[Frag, ...]:
        """A line's fragments in visual order, split where the direction changes; runs
        that go right to left are marked so the renderer draws them shaped. `levels` are
        the bidi levels the paragraph gave the line's characters."""
        fonts = self.fonts
        out = []
        for text, f, rtl in visual_runs([(f.text, f) for f in frags], self.settings.rtl,
                                        levels):
            text = without_isolates(text)
            if not text:
                continue
            out.append(Frag(f.face, f.size, f.color, text,
                            fonts.face(f.face).width(text, f.size, self.settings.language),
                            f.href, rtl))
        return tuple(out)

    def _line_levels(self, logical: list[tuple[tuple[Frag, ...], bool, str]]
                     ) -> list[list[int]] | None:
        """The bidi levels of each line's characters, resolved once for the whole
        paragraph (UAX #9 rule P1: a paragraph, not a line, is the unit), or None when
        the paragraph has no right-to-left text in a left-to-right issue. `logical` holds
        each line's fragments, whether a hyphen was added at its end, and what separated
        it from the next line in the text (a space, a paragraph separator or nothing)."""
        texts = ["".join(f.text for f in frags) for frags, _, _ in logical]
        if not self.settings.rtl and not any(has_rtl(t) for t in texts):
            return None
        own = [t[:-1] if added else t for t, (_, added, _) in zip(texts, logical,
                                                                  strict=True)]
        levels = paragraph_levels("".join(t + sep for t, (_, _, sep) in
                                          zip(own, logical, strict=True)), self.settings.rtl)
        base = 1 if self.settings.rtl else 0
        out: list[list[int]] = []
        pos = 0
        for t, (_, added, sep) in zip(own, logical, strict=True):
            mine = levels[pos:pos + len(t)]
            if added:  # a hyphen the breaker added goes with the letter before it
                mine.append(mine[-1] if mine else base)
            out.append(mine)
            pos += len(t) + len(sep)
        return out

    def _lines(self, items: list[Item], payload: list[object], breaks: list[Break],
               measure: float, indent: float, align: str, hang: tuple[int, float] = (0, 0.0)
               ) -> list[Line]:
        fonts = self.fonts
        lines: list[Line] = []
        logical: list[tuple[tuple[Frag, ...], bool, str]] = []
        spaces_of: list[int] = []
        start = 0
        for brk in breaks:
            # [face, size, color, text, href, width]: widths add up from the pieces, which
            # were measured (and cached) when the words were first set.
            frags: list[list] = []
            spaces = 0
            for i in range(start, brk.position + 1):
                it = items[i]
                p = payload[i]
                if it.kind == BOX and p is not None:
                    for face, size, color, text, href in p:
                        w = fonts.face(face).width(text, size, self.settings.language)
                        last = frags[-1] if frags else None
                        if last and last[0] == face and last[1] == size and \
                                last[2] == color and last[4] == href:
                            last[3] += text
                            last[5] += w
                        else:
                            frags.append([face, size, color, text, href, w])
                elif it.kind == GLUE and p is not None and i < brk.position:
                    face, size, color = p[0], p[1], p[2]
                    href = p[4]
                    if frags and frags[-1][0] == face and frags[-1][1] == size:
                        frags[-1][3] += " "
                        frags[-1][5] += it.width
                        if frags[-1][4] != href:
                            frags.append([face, size, color, "", href, 0.0])
                    else:
                        frags.append([face, size, color, " ", href, it.width])
                    spaces += 1
                elif it.kind == PENALTY and i == brk.position and isinstance(p, tuple):
                    face, size, color, text, href = p
                    if frags and frags[-1][0] == face:
                        frags[-1][3] += text
                        frags[-1][5] += it.width
                    else:
                        frags.append([face, size, color, text, href, it.width])
            out = tuple(Frag(f[0], f[1], f[2], f[3], f[5], f[4]) for f in frags if f[3])
            at = items[brk.position]
            ending = payload[brk.position]
            sep = " " if at.kind == GLUE else "\u2029" if ending == "\n" else ""
            logical.append((out, at.kind == PENALTY and isinstance(ending, tuple), sep))
            start = brk.position + 1
            while start < len(items) and items[start].kind in (GLUE, PENALTY) and \
                    payload[start] not in ("\n", "end"):
                start += 1
            spaces_of.append(spaces)
        levels = self._line_levels(logical)
        for k, brk in enumerate(breaks):
            out = logical[k][0]
            spaces = spaces_of[k]
            line_indent = (indent if k == 0 else 0.0) + (hang[1] if k < hang[0] else 0.0)
            if levels is not None:
                out = self._visual(out, levels[k])
            # A line never starts or ends with a justifiable space.
            natural = sum(f.width for f in out)
            last = k == len(breaks) - 1 or payload[brk.position] in ("\n", "ragged")
            # A last line is set as it falls, unless the breaker chose to squeeze it: then
            # it is justified to the measure like the others, never left overflowing.
            justified = align == "justify" and (not last or natural > measure - line_indent
                                                + 0.01)
            spaces_w = [fonts.face(f.face).width(" ", f.size) for f in out
                        for _ in range(f.text.count(" "))]
            size = out[0].size if out else 0.0
            s = self.settings
            on = 1.0 if justified else 0.0
            kash = sum(self._kashida_room(f.face, f.text, f.size) for f in out if f.rtl) \
                if justified and self._kashida else 0.0
            lines.append(Line(out, natural, spaces, measure - line_indent, line_indent,
                              brk.ratio, brk.hyphenated, justified,
                              sum(spaces_w) / len(spaces_w) if spaces_w else 0.0,
                              s.stretch, s.shrink, on * size * s.tracking,
                              on * size * s.tracking_shrink, on * s.scaling,
                              on * s.scaling_shrink,
                              sum(len(f.text) for f in out if not f.rtl), kash,
                              s.justify == "kashida", knee=on * s.knee,
                              name_break=brk.hyphenated
                              and items[brk.position].penalty == NAME_PENALTY))
        return lines


def _digest(key: tuple) -> str:
    return hashlib.blake2b(repr(key).encode(), digest_size=16).hexdigest()


def _encode_line(ln: Line) -> list:
    return [[[f.face, f.size, f.color, f.text, f.width, f.href, f.rtl] for f in ln.frags],
            ln.natural, ln.spaces, ln.measure, ln.indent, ln.ratio, ln.hyphenated,
            ln.justified, ln.space, ln.stretch, ln.shrink, ln.track, ln.track_shrink,
            ln.scale, ln.scale_shrink, ln.glyphs, ln.kashida, ln.kashida_first,
            [[x, _encode_line(h)] for x, h in ln.halves], ln.joined, ln.knee, ln.name_break]


def _decode_line(ln: list) -> Line:
    halves = tuple((x, _decode_line(h)) for x, h in ln[18]) if len(ln) > 18 else ()
    return Line(tuple(Frag(*f) for f in ln[0]), *ln[1:18], halves, *ln[19:22])


def _encode(par: SetParagraph) -> list:
    return [[_encode_line(ln) for ln in par.lines], sorted(par.missing)]


def _decode(data: list) -> SetParagraph:
    return SetParagraph(tuple(_decode_line(ln) for ln in data[0]), frozenset(data[1]))
