"""One typesetter per layout and language, shared by every layout pass of a build (and, in
`watch`, by later builds), with the paragraphs it has set kept on disk between builds."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from compositor import cache
from compositor.load.layout import LayoutSpec
from compositor.load.locale import right_to_left
from compositor.text.fonts import FontBook
from compositor.text.paragraph import (
    SetParagraph,
    Settings,
    Typesetter,
    _decode,
    _digest,
    _encode,
)

_TYPESETTERS: dict[tuple, Typesetter] = {}


@lru_cache(maxsize=1)
def engine_version() -> str:
    """A digest of the text engine's own code: paragraphs stored by another version of
    the line breaker or hyphenation are never reused."""
    import compositor.text as text_pkg

    folder = Path(text_pkg.__file__).parent
    return cache.key_for(*(p.read_bytes() for p in sorted(folder.glob("*.py"))))


def typesetter(spec: LayoutSpec, language: str, optimal: bool | None = None,
               issue_path: Path | None = None) -> Typesetter:
    """One typesetter per layout and language, so repeated passes reuse set paragraphs;
    with `issue_path`, paragraphs set by earlier builds of that issue are loaded too."""
    t = spec.section("text")
    opt = (t["line_breaking"] == "optimal") if optimal is None else optimal
    # Joined scripts are justified by word spaces alone: letter spacing would tear the
    # joins apart, and scaling would make lines of one paragraph differ in weight.
    rtl = right_to_left(spec.section("page")["direction"], language)
    glyph = 0.0 if rtl else 1.0
    settings = Settings(language=language, hyphenate=bool(t["hyphenate"]),
                        hyphenate_capitalized=bool(t["hyphenate_capitalized"]), optimal=opt,
                        stretch=max(0.05, float(t["max_word_space"]) - 1.0),
                        shrink=max(0.0, 1.0 - float(t["min_word_space"])),
                        tracking=glyph * max(0.0, float(t["max_letter_spacing"])),
                        tracking_shrink=glyph * max(0.0, float(t["min_letter_spacing"])),
                        scaling=glyph * max(0.0, float(t["max_glyph_scale"]) - 1.0),
                        scaling_shrink=glyph * max(0.0, 1.0 - float(t["min_glyph_scale"])),
                        rtl=rtl, justify=str(t["justify"]), colour=str(t["spacing_colour"]))
    key = (spec.source, str(spec.raw), settings, issue_path)
    ts = _TYPESETTERS.get(key)
    if ts is None:
        ts = _TYPESETTERS[key] = KeepingTypesetter(FontBook(spec.fonts), settings,
                                                   link_color=None)
        if issue_path is not None:
            # Reused by later builds of this issue only, with identical fonts and settings.
            fonts = sorted((str(p), p.stat().st_size, p.stat().st_mtime_ns)
                           for faces in spec.fonts.values() for p in faces.values())
            ts.load_store(cache.key_for("paragraphs", engine_version(),
                                        str(issue_path.resolve()), fonts,
                                        str(spec.raw["styles"]), str(spec.raw["text"]),
                                        settings))
    return ts


def save_caches() -> None:
    """Keep this run's set paragraphs for the next build."""
    for ts in _TYPESETTERS.values():
        ts.save_store()


_FITS_SAVED: dict[str, dict] = {}  # the fits store each name was last saved with
FITS_KEPT = 5_000  # settings in a given number of lines read from the store, held in memory
_ABSENT = object()


class KeepingTypesetter(Typesetter):
    """A typesetter that also keeps, between builds, the paragraphs it set in a given
    number of lines (a line longer or shorter to close a hole; again without a hyphen at
    a page turn). The make-up asks for hundreds of these per build, each a fresh line
    breaking; the typesetter remembers them only for one run, while they depend on
    nothing but the paragraph, its measure and the settings, like the paragraphs kept in
    the store. An answer of "no such setting" is kept too."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._fits: dict[tuple, SetParagraph | None] = {}
        self._fits_stored: dict[str, object] = {}
        self._fits_new: dict[str, SetParagraph | None] = {}
        self._fits_name: str | None = None

    def set_in_lines(self, runs, style, measure, **kwargs):
        return self._kept(("lines", runs, style, round(measure, 3),
                           tuple(sorted(kwargs.items()))),
                          lambda: Typesetter.set_in_lines(self, runs, style, measure,
                                                          **kwargs))

    def set_without_hyphen(self, runs, style, measure, **kwargs):
        return self._kept(("nohyphen", runs, style, round(measure, 3),
                           tuple(sorted(kwargs.items()))),
                          lambda: Typesetter.set_without_hyphen(self, runs, style, measure,
                                                                **kwargs))

    def _kept(self, key: tuple, make) -> SetParagraph | None:
        # What this run sets is remembered by the typesetter itself (and let go with the
        # rest of its memory in a long watch session); only what comes from the store is
        # held here, bounded.
        hit = self._fits.get(key, _ABSENT)
        if hit is not _ABSENT:
            return hit  # type: ignore[return-value]
        digest = _digest(key)
        stored = self._fits_stored.get(digest)
        if stored is None:
            made = make()
            if self._fits_name and digest not in self._fits_new:
                self._fits_new[digest] = made
            return made
        hit = None if stored == 0 else _decode(stored)  # type: ignore[arg-type]
        if len(self._fits) >= FITS_KEPT:
            self._fits.clear()
        self._fits[key] = hit
        return hit

    def load_store(self, name: str) -> None:
        super().load_store(name)
        if cache.cache_dir() is None:
            return
        self._fits_name = cache.key_for("fits-1", name)
        data = cache.get("paragraph-fits", self._fits_name)
        if data:
            try:
                self._fits_stored = json.loads(data)
            except ValueError:
                self._fits_stored = {}

    def save_store(self) -> None:
        super().save_store()
        if not self._fits_name or not self._fits_new:
            return
        new = {d: 0 if par is None else _encode(par) for d, par in self._fits_new.items()}
        # Shared with the typesetters of the layout's variants, as the paragraph store is.
        merged = {**(_FITS_SAVED.get(self._fits_name) or self._fits_stored), **new}
        if len(merged) > 60_000:  # bounded as the paragraph store is
            merged = new
        cache.put("paragraph-fits", self._fits_name,
                  json.dumps(merged, separators=(",", ":"), ensure_ascii=False).encode())
        self._fits_stored, self._fits_new = merged, {}
        _FITS_SAVED[self._fits_name] = merged
