"""Right-to-left text: HarfBuzz shaping and the Unicode bidirectional algorithm.

Latin text never comes here (the checks below are one regular expression on words the
width cache has not seen), so left-to-right issues pay nothing for it. Arabic-script
words are shaped once per font and cached: their width is the sum of HarfBuzz's
advances, their glyphs come back in visual order together with the logical characters
each glyph stands for, which is what the PDF's ToUnicode map needs to give copied text
back as typed (a lam-alef ligature copies as lam + alef, a final form as its letter).

Line order follows the bidirectional algorithm (uba.py): levels are resolved once per
paragraph and each line is reordered after breaking, on whole runs. Mirrored brackets
come from HarfBuzz, which mirrors characters in right-to-left runs.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from compositor.text import kashida, uba

# Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Arabic Extended, presentation forms,
# and the right-to-left blocks of the supplementary planes.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc"
                  "\U00010800-\U00010fff\U0001e800-\U0001efff]")
# Scripts whose letters join or reorder and must be shaped to be legible.
_JOINING = re.compile("[\u0600-\u08ff\ufb50-\ufdff\ufe70-\ufefc]")

RTL_LANGUAGES = frozenset({"fa", "ar", "ur", "he", "yi", "ps", "ckb", "sd", "ug", "dv"})


# Isolates (LRI RLI FSI PDI): they steer the bidi algorithm and are never drawn.
BIDI_ISOLATES = frozenset("\u2066\u2067\u2068\u2069")


def without_isolates(text: str) -> str:
    return text.translate(_NO_ISOLATES) if any(c in BIDI_ISOLATES for c in text) else text


_NO_ISOLATES = {ord(c): None for c in BIDI_ISOLATES}


def has_rtl(text: str) -> bool:
    return _RTL.search(text) is not None


def needs_shaping(text: str) -> bool:
    return _JOINING.search(text) is not None


def is_rtl_language(language: str) -> bool:
    return language.replace("_", "-").split("-")[0].lower() in RTL_LANGUAGES


@dataclass(frozen=True, slots=True)
class Glyph:
    gid: int
    advance: float  # where HarfBuzz puts the next glyph (kerning included), 1/1000 em
    # The characters this glyph stands for ('' for a second glyph of one character), in
    # visual order: text extractors (poppler, pdf.js) read a right-to-left line by
    # reversing it character by character, so a lam-alef ligature must say alef-lam to
    # come back as lam-alef.
    text: str
    width: float  # the glyph's own advance in the font (what a PDF width must say)
    dx: float = 0.0  # offset from the pen position (marks), 1/1000 em
    dy: float = 0.0
    cluster: int = 0  # index in the word of the first character it stands for


class Shaper:
    """HarfBuzz for one font file, with a per-word cache."""

    _by_path: dict[Path, Shaper] = {}

    def __init__(self, path: Path):
        import uharfbuzz as hb  # only issues with right-to-left text pay for the import

        self._hb = hb
        face = hb.Face(hb.Blob(path.read_bytes()))
        self.font = hb.Font(face)
        self.scale = 1000.0 / face.upem
        self._words: dict[tuple[str, str], tuple[tuple[Glyph, ...], float]] = {}
        self._places: dict[tuple[str, str], tuple[int, int] | None] = {}
        self.tatweel = self.font.get_nominal_glyph(ord(kashida.TATWEEL)) or 0

    @classmethod
    def for_path(cls, path: Path) -> Shaper:
        shaper = cls._by_path.get(path)
        if shaper is None:
            shaper = cls._by_path[path] = cls(path)
        return shaper

    def word(self, word: str, language: str = "", rtl: bool = True
             ) -> tuple[tuple[Glyph, ...], float]:
        """Glyphs of a right-to-left word in visual (left-to-right) order, and its width
        in 1/1000 em. With `rtl` false, a left-to-right run of the script (Persian or
        Urdu digits in a number) in its own order."""
        key = (word, language) if rtl else (word, language, False)
        hit = self._words.get(key)
        if hit is None:
            hit = self._words[key] = self._shape(word, language, rtl)
        return hit

    def _shape(self, word: str, language: str, rtl: bool = True
               ) -> tuple[tuple[Glyph, ...], float]:
        hb = self._hb
        buf = hb.Buffer()
        buf.add_str(word)
        buf.direction = "rtl" if rtl else "ltr"
        if language:
            buf.language = language
        # One cluster per character where possible, so ToUnicode maps stay exact.
        buf.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
        buf.guess_segment_properties()
        hb.shape(self.font, buf, {"kern": True, "liga": True})
        infos, positions = buf.glyph_infos, buf.glyph_positions
        starts = sorted({info.cluster for info in infos})
        ends = {c: (starts[k + 1] if k + 1 < len(starts) else len(word))
                for k, c in enumerate(starts)}
        seen: set[int] = set()
        texts = [""] * len(infos)
        # Visual order runs against the logical one: the first glyph of a cluster in
        # logical order is the last one here; it carries the cluster's characters.
        for k in (range(len(infos) - 1, -1, -1) if rtl else range(len(infos))):
            c = infos[k].cluster
            if c not in seen:
                seen.add(c)
                texts[k] = word[c:ends[c]][::-1] if rtl else word[c:ends[c]]
        own = self.font.get_glyph_h_advance
        sc = self.scale
        glyphs = tuple(Glyph(info.codepoint, pos.x_advance * sc, texts[k],
                             own(info.codepoint) * sc, pos.x_offset * sc, pos.y_offset * sc,
                             info.cluster)
                       for k, (info, pos) in enumerate(zip(infos, positions, strict=True)))
        return glyphs, sum(g.advance for g in glyphs)

    # -- kashida ------------------------------------------------------------------------

    def kashida_place(self, word: str, language: str = "") -> tuple[int, int] | None:
        """Where `word` may be lengthened, as (index, kind) (kashida.places), or None:
        the best place whose two letters are separate glyphs once shaped (a ligature
        cannot be drawn apart), in a font that has a tatweel to draw the stroke with."""
        key = (word, language)
        if key in self._places:
            return self._places[key]
        found = None
        if self.tatweel and needs_shaping(word):
            starts = {g.cluster for g in self.word(word, language)[0]}
            found = next((p for p in kashida.places(word) if p[0] in starts), None)
        self._places[key] = found
        return found

    def kashida_room(self, word: str, language: str = "") -> float:
        """How far `word` may be lengthened, in em (0 when it may not be)."""
        place = self.kashida_place(word, language)
        return 0.0 if place is None else kashida.MOST_EM * kashida.weight(place[1])

    def stretched(self, word: str, extra: float, language: str = ""
                  ) -> tuple[Glyph, ...]:
        """The glyphs of `word` lengthened by `extra` (1/1000 em) at its kashida place:
        tatweel strokes between the two joined letters, as many as cover the length,
        each advancing an equal share so they overlap into one unbroken stroke. The
        letters keep their shaped forms (they were joined already), so the word is
        exactly `extra` wider. The strokes stand for no text: copied, the word reads as
        typed."""
        glyphs = self.word(word, language)[0]
        place = self.kashida_place(word, language)
        if place is None or extra <= 0:
            return glyphs
        own = self.font.get_glyph_h_advance(self.tatweel) * self.scale
        count = max(1, math.ceil(extra / own - 1e-9)) if own > 0 else 1
        stroke = Glyph(self.tatweel, extra / count, "", own, 0.0, 0.0, place[0])
        # Visual order runs right to left through the word: the stroke goes just left of
        # the last glyph of the letters before the place.
        at = next((k for k, g in enumerate(glyphs) if g.cluster < place[0]), len(glyphs))
        return (*glyphs[:at], *(stroke,) * count, *glyphs[at:])

    def width(self, text: str, space: float, language: str = "") -> float:
        """Width (1/1000 em) of right-to-left text of one or more words; `space` is the
        width of a word space."""
        words = text.split(" ")
        return sum(self.word(w, language)[1] for w in words if w) + space * (len(words) - 1)


# -- the bidirectional algorithm ---------------------------------------------------------

# A run of printable ASCII with a letter in it; an address when it has a slash, an @ or a
# dot before a letter. Opening and closing punctuation around it is the sentence's.
_TOKEN = re.compile(r"[!-~]*[A-Za-z][!-~]*")
_ADDRESS_MARK = re.compile(r"[/@]|\.[A-Za-z]")
_OUTSIDE_LEAD = "([<\"'"
_OUTSIDE_TRAIL = ".,;:!?)]>\"'"


# Two or more groups of digits (any script's) with single spaces between: a phone
# number, read left to right as a whole in Persian and Arabic text too.
_DIGIT = "0-9\u0660-\u0669\u06f0-\u06f9"
_PHONE = re.compile(f"\\+?[{_DIGIT}]+(?:[ \\-][{_DIGIT}]+)+")


def _left_to_right_islands(text: str) -> list[tuple[int, int]]:
    """Spans of `text` that read left to right whatever is around them: web and mail
    addresses (without the sentence's punctuation around them) and phone numbers."""
    spans: list[tuple[int, int]] = []
    for m in _TOKEN.finditer(text):
        if not _ADDRESS_MARK.search(m.group(0)):
            continue
        start, end = m.start(), m.end()
        while start < end and text[start] in _OUTSIDE_LEAD:
            start += 1
        while end > start and text[end - 1] in _OUTSIDE_TRAIL:
            end -= 1
        if start < end:
            spans.append((start, end))
    if " " in text or "-" in text:
        for m in _PHONE.finditer(text):
            if " " in m.group(0) and not any(a < m.end() and m.start() < b
                                             for a, b in spans):
                spans.append((m.start(), m.end()))
    return sorted(spans)


def _isolated_addresses(text: str) -> tuple[str, list[int]]:
    """`text` with every address and phone number wrapped in LRI ... PDI, and where
    each character of `text` is in the result. An isolate runs left to right whatever is
    around it and is a single neutral to its neighbours, so an address keeps its order
    and a line broken inside it shows its pieces in reading order."""
    out: list[str] = []
    where: list[int] = []
    pos = 0
    for start, end in _left_to_right_islands(text):
        for k in range(pos, start):
            where.append(len(out))
            out.append(text[k])
        out.append(uba.LRI)
        for k in range(start, end):
            where.append(len(out))
            out.append(text[k])
        out.append(uba.PDI)
        pos = end
    for k in range(pos, len(text)):
        where.append(len(out))
        out.append(text[k])
    return "".join(out), where


def paragraph_levels(text: str, base_rtl: bool) -> list[int]:
    """The bidi level of every character of a whole paragraph (rules P2-I2 of UAX #9),
    resolved once before it is broken into lines, with addresses as left-to-right
    isolates."""
    marked, where = _isolated_addresses(text)
    levels = uba.paragraph_levels(marked, 1 if base_rtl else 0)
    return [levels[k] for k in where]


def visual_runs(pieces: list[tuple[str, object]], base_rtl: bool,
                levels: list[int] | None = None) -> list[tuple[str, object, bool]]:
    """Split a line's logical-order pieces (text, attributes) where the direction changes
    and put them in visual order (rules L1-L2). Returns (text, attributes, right_to_left)
    left to right. `levels` are the line's characters' levels as its paragraph resolved
    them; without them the line is resolved as a paragraph of its own."""
    text = "".join(t for t, _ in pieces)
    if not text:
        return []
    base = 1 if base_rtl else 0
    if levels is None:
        levels = paragraph_levels(text, base_rtl)
    levels = uba.line_levels(text, levels, base)
    runs: list[list] = []  # [text, attrs, level]
    pos = 0
    for t, attrs in pieces:
        for k, ch in enumerate(t):
            level = levels[pos + k]
            if runs and runs[-1][1] is attrs and runs[-1][2] == level:
                runs[-1][0] += ch
            else:
                runs.append([ch, attrs, level])
        pos += len(t)
    # Rule L2 on whole runs: a right-to-left run keeps its logical order and is drawn
    # shaped, right to left.
    order = uba.line_order([r[2] for r in runs])
    return [(runs[k][0], runs[k][1], runs[k][2] % 2 == 1) for k in order]
