"""Font loading and cached metrics.

Widths come from ReportLab's TrueType tables, but measured here with a per-word cache:
a newsletter repeats its words, and per-character measurement in pure Python dominates
naive layout time.
"""

from __future__ import annotations

import functools
import struct
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from compositor import inputs
from compositor.errors import Location, UserError
from compositor.text.shaping import Shaper, needs_shaping, without_isolates


@dataclass
class Face:
    """One font file: its ReportLab name and metrics in 1/1000 em."""

    name: str
    path: Path
    widths: dict[int, float]
    default_width: float
    ascent: float
    descent: float
    cap_height: float
    _cache: dict[str, float] = field(default_factory=dict)

    def measure(self, text: str, language: str = "") -> float:
        """Width of text in 1/1000 em (multiply by size / 1000 for points). `language`
        is what HarfBuzz is told of text in a joined script (Urdu digits have forms of
        their own); other text does not depend on it."""
        key = f"{language}\0{text}" if language and needs_shaping(text) else text
        w = self._cache.get(key)
        if w is None:
            # Bidi isolates are never drawn (paragraph.py drops them after reordering).
            if needs_shaping(text):
                # Joined scripts are as wide as their shaped glyphs, not their letters.
                w = Shaper.for_path(self.path).width(without_isolates(text),
                                                     self.widths.get(32, 250.0), language)
            else:
                get = self.widths.get
                d = self.default_width
                w = sum(get(ord(c), d) for c in without_isolates(text))
            if len(self._cache) < 200_000:
                self._cache[key] = w
        return w

    def width(self, text: str, size: float, language: str = "") -> float:
        return self.measure(text, language) * size / 1000.0

    def covers(self, char: str) -> bool:
        return ord(char) in self.widths


class FontBook:
    """Loads each font file once per process and registers it with ReportLab."""

    _faces: dict[Path, Face] = {}

    def __init__(self, families: dict[str, dict[str, Path]]):
        self.families = families
        self._by_key: dict[str, Face] = {}

    def face(self, key: str) -> Face:
        """key is 'family:weight', e.g. 'serif:italic'."""
        face = self._by_key.get(key)
        if face is None:
            family, _, weight = key.partition(":")
            path = self.families[family][weight or "regular"]
            face = self._by_key[key] = load_face(path)
        return face


_names: dict[str, Path] = {}  # ReportLab font name -> the file registered under it


def load_face(path: Path) -> Face:
    inputs.note(path)
    path = path.resolve()
    face = FontBook._faces.get(path)
    if face is not None:
        return face
    name = "C-" + path.stem.replace(" ", "")
    if name in _names and _names[name] != path:
        # Two files with one name in different folders (two "Regular.ttf"): ReportLab
        # knows fonts by name, so the second would silently replace the first.
        import hashlib
        name += "-" + hashlib.sha256(str(path).encode()).hexdigest()[:8]
    _names[name] = path
    try:
        font = GlyphTTFont(name, str(path))
    except (TTFError, OSError, ValueError, KeyError, IndexError, struct.error) as exc:
        # A truncated or damaged file fails deep inside the table parser.
        raise UserError.at(Location(path, 1), f"cannot use this font: {exc}") from None
    pdfmetrics.registerFont(font)
    f = font.face
    widths = {code: float(w) for code, w in f.charWidths.items()}
    cap = float(getattr(f, "capHeight", 0) or f.ascent * 0.7)
    face = Face(name=name, path=path, widths=widths, default_width=float(f.defaultWidth),
                ascent=float(f.ascent), descent=float(f.descent), cap_height=cap)
    FontBook._faces[path] = face
    return face


class GlyphTTFont(TTFont):
    """A TrueType font that can also draw shaped glyphs by glyph id.

    ReportLab encodes text through a character -> glyph map. A shaped glyph (a medial
    beh, a lam-alef ligature) has no character of its own, so each distinct (glyph,
    characters) pair gets a private code point mapped to its glyph and its advance in
    the font (PDF/A wants widths that match the font program; kerning and mark offsets
    are written as TJ adjustments by ReportLab's ShapedStr path). The ToUnicode map of
    every subset that uses one is then rewritten so the code gives back the characters
    the glyph stands for. Text without shaped glyphs is written exactly as by a plain
    TTFont.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._glyph_codes: dict[tuple[int, str], int] = {}
        self._code_text: dict[int, str] = {}
        self._next_code = 0xF0000  # supplementary private use area, never in a font's cmap

    def glyph_string(self, words: list[tuple], untrack: float = 0.0):
        """A string that draws shaped words (tuples of shaping.Glyph, in visual order),
        separated by word spaces, in this font: ReportLab's ShapedStr, whose position
        data makes the text object write the kerning and mark offsets HarfBuzz chose.
        `untrack` (1/1000 em) is taken off every advance, cancelling letter spacing."""
        from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr

        face = self.face
        chars: list[str] = []
        data: list = []
        for n, glyphs in enumerate(words):
            if n:
                chars.append(" ")
                w = face.charWidths.get(32, 0.0)
                data.append(ShapeData(0, w - untrack, 0, 0, 0, w))
            for g in glyphs:
                own = face.glyphToChar.get(g.gid)
                if own and len(g.text) == 1 and ord(g.text) in own and \
                        face.charToGlyph.get(ord(g.text)) == g.gid:
                    code = ord(g.text)  # the glyph the character maps to anyway
                else:
                    key = (g.gid, g.text)
                    code = self._glyph_codes.get(key)
                    if code is None:
                        code = self._glyph_codes[key] = self._next_code
                        self._next_code += 1
                        face.charToGlyph[code] = g.gid
                        face.charWidths[code] = g.width
                        self._code_text[code] = g.text
                chars.append(chr(code))
                data.append(ShapeData(0, g.advance - untrack, 0, g.dx, g.dy,
                                      face.charWidths.get(code, g.width)))
        return ShapedStr("".join(chars), shapeData=data)

    def addObjects(self, doc):  # noqa: N802 - ReportLab's name
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state is not None else []
        super().addObjects(doc)
        if not self._code_text:
            return
        from reportlab.pdfbase.ttfonts import SUBSETN

        for n, subset in enumerate(subsets):
            if not any(c in self._code_text for c in subset):
                continue
            base = b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX)
                            ).decode("pdfdoc")
            stream = doc.idToObject.get("toUnicodeCMap:" + base)
            if stream is not None:
                stream.content = to_unicode_cmap(base, [self._code_text.get(c, chr(c))
                                                        for c in subset])


def _utf16_hex(text: str) -> str:
    # A glyph that stands for no character of its own (a second glyph of a cluster, a
    # kashida stroke) gives back nothing: copied text reads exactly as typed.
    return text.encode("utf-16-be").hex().upper()


def to_unicode_cmap(name: str, texts: list[str]) -> str:
    """A ToUnicode CMap for one single-byte subset: code i gives back texts[i] (one or
    more characters, in logical order)."""
    body = [f"<{i:02X}> <{_utf16_hex(t)}>" for i, t in enumerate(texts)]
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo", f"<< /Registry ({name})", f"/Ordering ({name})", "/Supplement 0",
        ">> def", f"/CMapName /{name} def", "/CMapType 2 def", "1 begincodespacerange",
        f"<00> <{len(texts) - 1:02X}>", "endcodespacerange", f"{len(body)} beginbfchar",
        *body, "endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop",
        "end", "end"])


@functools.lru_cache(maxsize=512)
def glyph_depth(path: Path, char: str) -> float:
    """How far the glyph of `char` reaches below the baseline, in 1/1000 em (0 when it
    does not, or the font has no outline for it)."""
    font = _tools_font(path)
    name = font.getBestCmap().get(ord(char))
    if name is None or "glyf" not in font:
        return 0.0
    glyph = font["glyf"][name]
    if not getattr(glyph, "numberOfContours", 0):
        return 0.0
    glyph.recalcBounds(font["glyf"])
    return max(0.0, -glyph.yMin * 1000 / font["head"].unitsPerEm)


@functools.lru_cache(maxsize=16)
def _tools_font(path: Path):
    from fontTools.ttLib import TTFont as ToolsFont  # only for drop caps: loaded when used

    return ToolsFont(str(path), lazy=True)
