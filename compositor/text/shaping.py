"""Right-to-left text: HarfBuzz shaping and the Unicode bidirectional algorithm.

Latin text never comes here (the checks below are one regular expression on words the
width cache has not seen), so left-to-right issues pay nothing for it. Arabic-script
words are shaped once per font and cached: their width is the sum of HarfBuzz's
advances, their glyphs come back in visual order together with the logical characters
each glyph stands for, which is what the PDF's ToUnicode map needs to give copied text
back as typed (a lam-alef ligature copies as lam + alef, a final form as its letter).

Line order follows the bidirectional algorithm (python-bidi's reference implementation,
rules X1-I2 for the levels; the reordering of rule L2 is done here on whole fragments).
Mirrored brackets come from HarfBuzz, which mirrors characters in right-to-left runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Arabic Extended, presentation forms,
# and the right-to-left blocks of the supplementary planes.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc"
                  "\U00010800-\U00010fff\U0001e800-\U0001efff]")
# Scripts whose letters join or reorder and must be shaped to be legible.
_JOINING = re.compile("[\u0600-\u08ff\ufb50-\ufdff\ufe70-\ufefc]")

RTL_LANGUAGES = frozenset({"fa", "ar", "ur", "he", "yi", "ps", "ckb", "sd", "ug", "dv"})


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

    @classmethod
    def for_path(cls, path: Path) -> Shaper:
        shaper = cls._by_path.get(path)
        if shaper is None:
            shaper = cls._by_path[path] = cls(path)
        return shaper

    def word(self, word: str, language: str = "") -> tuple[tuple[Glyph, ...], float]:
        """Glyphs of a right-to-left word in visual (left-to-right) order, and its width
        in 1/1000 em."""
        key = (word, language)
        hit = self._words.get(key)
        if hit is None:
            hit = self._words[key] = self._shape(word, language)
        return hit

    def _shape(self, word: str, language: str) -> tuple[tuple[Glyph, ...], float]:
        hb = self._hb
        buf = hb.Buffer()
        buf.add_str(word)
        buf.direction = "rtl"
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
        for k in range(len(infos) - 1, -1, -1):
            c = infos[k].cluster
            if c not in seen:
                seen.add(c)
                texts[k] = word[c:ends[c]][::-1]
        own = self.font.get_glyph_h_advance
        sc = self.scale
        glyphs = tuple(Glyph(info.codepoint, pos.x_advance * sc, texts[k],
                             own(info.codepoint) * sc, pos.x_offset * sc, pos.y_offset * sc)
                       for k, (info, pos) in enumerate(zip(infos, positions, strict=True)))
        return glyphs, sum(g.advance for g in glyphs)

    def width(self, text: str, space: float, language: str = "") -> float:
        """Width (1/1000 em) of right-to-left text of one or more words; `space` is the
        width of a word space."""
        words = text.split(" ")
        return sum(self.word(w, language)[1] for w in words if w) + space * (len(words) - 1)


# -- the bidirectional algorithm ---------------------------------------------------------


def embedding_levels(text: str, base_rtl: bool) -> list[int]:
    """Resolved embedding level of every character (rules P3, X1-X10, W1-W7, N1-N2,
    I1-I2): even levels run left to right, odd ones right to left."""
    import unicodedata

    from bidi import algorithm as ba

    # Rule X9 drops embedding controls and boundary neutrals (the zero-width non-joiner
    # of Persian spelling among them); they take the level of the character before.
    removed = [k for k, ch in enumerate(text)
               if unicodedata.bidirectional(ch) in ("BN", "RLE", "LRE", "RLO", "LRO", "PDF")]
    if removed:
        gone = set(removed)
        kept = embedding_levels("".join(ch for k, ch in enumerate(text) if k not in gone),
                                base_rtl)
        base = 1 if base_rtl else 0
        out, it = [], iter(kept)
        for k in range(len(text)):
            out.append((out[-1] if out else base) if k in gone else next(it))
        return out
    storage = ba.get_empty_storage()
    storage["base_level"] = 1 if base_rtl else 0
    storage["base_dir"] = "R" if base_rtl else "L"
    ba.get_embedding_levels(text, storage)
    ba.explicit_embed_and_overrides(storage)
    ba.resolve_weak_types(storage)
    ba.resolve_neutral_types(storage, False)
    ba.resolve_implicit_levels(storage, False)
    levels = [ch["level"] for ch in storage["chars"]]
    # L1: whitespace at the end of the line goes back to the paragraph level.
    k = len(text) - 1
    while k >= 0 and text[k] in " \t":
        levels[k] = storage["base_level"]
        k -= 1
    return levels


_ADDRESS = re.compile(r"[!-~]*[A-Za-z][!-~]*")
_ADDRESS_MARK = re.compile(r"[/@]|\.[A-Za-z]")


def _as_strong_ltr(match: re.Match) -> str:
    word = match.group(0)
    return "a" * len(word) if _ADDRESS_MARK.search(word) else word


def visual_runs(pieces: list[tuple[str, object]], base_rtl: bool
                ) -> list[tuple[str, object, bool]]:
    """Split logical-order pieces (text, attributes) at direction changes and put them in
    visual order (rule L2). Returns (text, attributes, right_to_left) left to right.

    Web and mail addresses are kept whole left to right, as if isolated (what an editor
    means; bare UBA would send "https://" 's slashes to the far side of a broken line)."""
    text = "".join(t for t, _ in pieces)
    if not text:
        return []
    levels = embedding_levels(_ADDRESS.sub(_as_strong_ltr, text), base_rtl)
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
    top = max(r[2] for r in runs)
    lowest_odd = min((r[2] for r in runs if r[2] % 2), default=top + 1)
    for level in range(top, lowest_odd - 1, -1):
        k = 0
        while k < len(runs):
            if runs[k][2] >= level:
                j = k
                while j < len(runs) and runs[j][2] >= level:
                    j += 1
                runs[k:j] = runs[k:j][::-1]
                k = j
            else:
                k += 1
    return [(t, attrs, level % 2 == 1) for t, attrs, level in runs]
