"""One typesetter per layout and language, shared by every layout pass of a build (and, in
`watch`, by later builds), with the paragraphs it has set kept on disk between builds."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from compositor import cache
from compositor.load.layout import LayoutSpec
from compositor.load.locale import right_to_left
from compositor.text.fonts import FontBook
from compositor.text.paragraph import Settings, Typesetter

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
                        rtl=rtl, justify=str(t["justify"]))
    key = (spec.source, str(spec.raw), settings, issue_path)
    ts = _TYPESETTERS.get(key)
    if ts is None:
        ts = _TYPESETTERS[key] = Typesetter(FontBook(spec.fonts), settings, link_color=None)
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
