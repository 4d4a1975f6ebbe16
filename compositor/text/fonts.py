"""Font loading and cached metrics.

Widths come from ReportLab's TrueType tables, but measured here with a per-word cache:
a newsletter repeats its words, and per-character measurement in pure Python dominates
naive layout time.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from compositor import inputs
from compositor.errors import Location, UserError


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

    def measure(self, text: str) -> float:
        """Width of text in 1/1000 em (multiply by size / 1000 for points)."""
        w = self._cache.get(text)
        if w is None:
            get = self.widths.get
            d = self.default_width
            w = sum(get(ord(c), d) for c in text)
            if len(self._cache) < 200_000:
                self._cache[text] = w
        return w

    def width(self, text: str, size: float) -> float:
        return self.measure(text) * size / 1000.0

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
        font = TTFont(name, str(path))
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
