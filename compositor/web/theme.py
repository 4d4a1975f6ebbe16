"""The archive's look, taken from the newest issue's layout: its colours (made dark
enough to read on white where needed, and overridden by the archive's own site.yaml) and
its fonts, subset to what a page of Latin text uses and stored as WOFF2. An archive with
an issue in Persian, Arabic or Urdu also gets the layout's Arabic-script font (Vazirmatn)
as a WOFF2 subset of the Arabic blocks, which the browser loads only for that text."""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from compositor.model.content import Issue
from compositor.web.branding import Branding

# Latin, Latin-1 Supplement, Latin Extended-A/B, general punctuation, currency, arrows.
_UNICODES = [*range(0x20, 0x7F), *range(0xA0, 0x250), *range(0x2000, 0x2070),
             *range(0x20A0, 0x20C0), 0x2122, 0x2190, 0x2192, 0x2026]
# Arabic, its supplement and presentation forms, ZWNJ/ZWJ and the direction marks and
# isolates; the digits are in the Arabic block.
_ARABIC = [*range(0x0600, 0x0700), *range(0x0750, 0x0780), *range(0x08A0, 0x0900),
           *range(0xFB50, 0xFE00), *range(0xFE70, 0xFF00), *range(0x200C, 0x2010),
           *range(0x2066, 0x206A), 0x00AB, 0x00BB]
_ARABIC_RANGE = "U+0600-06FF, U+0750-077F, U+08A0-08FF, U+FB50-FDFF, U+FE70-FEFF, U+200C-200F"
_ROLES = {  # CSS family -> layout style whose font it takes
    "Body": "body", "Heading": "title", "Display": "masthead_name", "Small": "byline"}


@dataclass
class Theme:
    name: str
    tagline: str | None
    publisher: str | None
    website: str | None
    colors: dict[str, str]                    # CSS custom property -> #rrggbb
    fonts: list[tuple[str, str, Path]]        # (CSS family, face, font file) per @font-face
    aspect: float = 1.414                     # page height / width
    faces: list[str] = field(default_factory=list)
    logo: Path | None = None                  # shown beside the name in the masthead
    key: str = ""                             # the feed's tag: authority
    arabic: bool = False                      # an issue is in an Arabic-script language

    @property
    def logo_name(self) -> str | None:
        return "logo.png" if self.logo else None

    def logo_size(self, height: int = 48) -> tuple[int, int]:
        """CSS size of the logo `height` pixels high, so the page keeps its place."""
        from PIL import Image

        with Image.open(self.logo) as im:
            w, h = im.size
        return max(1, round(w * height / h)), height

    def cover_height(self, width: int) -> int:
        return round(width * self.aspect)

    def write_assets(self, folder: Path) -> None:
        for source in dict.fromkeys(source for _, _, source in self.fonts):
            (folder / "fonts" / f"{source.stem}.woff2").write_bytes(
                _woff2(source, _UNICODES + _ARABIC if self.arabic else _UNICODES))
            # Font licences (the OFL asks for it) travel with the fonts.
            for licence in sorted(source.parent.glob("OFL*.txt")) + sorted(
                    source.parent.glob("LICEN[CS]E*")):
                if licence.is_file() and not (folder / "fonts" / licence.name).exists():
                    (folder / "fonts" / licence.name).write_bytes(licence.read_bytes())
        if self.logo and self.logo_name:
            (folder / self.logo_name).write_bytes(_logo(self.logo))
        (folder / "style.css").write_text(self.css(), encoding="utf-8")

    def css(self) -> str:
        faces = []
        for family, face, source in self.fonts:
            name = f"{source.stem}.woff2"
            weight = 700 if "bold" in face else 400
            style = "italic" if "italic" in face else "normal"
            # The Arabic face is fetched only when a page has text in its blocks.
            only = f" unicode-range: {_ARABIC_RANGE};" if family == "Arabic" else ""
            faces.append(f'@font-face {{ font-family: "{family}"; src: url("fonts/{name}") '
                         f'format("woff2"); font-weight: {weight}; font-style: {style}; '
                         f'font-display: swap;{only} }}')
        colors = "\n".join(f"  --{k}: {v};" for k, v in self.colors.items())
        rules = self._rules()
        if self.arabic:  # Arabic-script text, in any role, is set in the Arabic face
            for family in _ROLES:
                rules = rules.replace(f'"{family}", ', f'"{family}", "Arabic", ')
        return "\n".join(faces) + f"""
:root {{
{colors}
}}
""" + rules

    def _rules(self) -> str:
        return """* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 1.0625rem/1.55 "Body", Georgia, serif; color: var(--text);
  background: var(--paper); }
a { color: var(--link); text-underline-offset: 0.15em; }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px;
  box-shadow: 0 0 0 2px var(--paper); border-radius: 2px; }
.masthead :focus-visible { outline-color: var(--masthead-text);
  box-shadow: 0 0 0 2px var(--masthead); }
.skip { position: absolute; left: 0.5rem; top: -4rem; background: var(--paper);
  color: var(--link); padding: 0.5rem 1rem; z-index: 2; }
.skip:focus { top: 0.5rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }
.masthead { background: var(--masthead); color: var(--masthead-text);
  padding: 1.5rem max(1rem, calc((100% - 68rem) / 2)); }
.masthead .name { font: 2.6rem/1.1 "Display", Georgia, serif; margin: 0; }
.masthead .name a { color: inherit; text-decoration: none; }
.masthead .name img { height: 1em; width: auto; vertical-align: -0.12em;
  margin-inline-end: 0.4em; }
.masthead .tagline { font: italic 1rem/1.4 "Small", system-ui, sans-serif; margin: 0.4rem 0 0; }
main, .crumbs, .site-footer { max-width: 68rem; margin: 0 auto; padding: 0 1rem; }
.crumbs { font: 0.95rem/1.4 "Small", system-ui, sans-serif; padding-top: 1rem; }
h1, h2 { font-family: "Heading", system-ui, sans-serif; color: var(--accent);
  line-height: 1.2; }
h1 { font-size: 1.9rem; margin: 1.5rem 0 0.5rem; }
h2 { font-size: 1.25rem; margin: 0.75rem 0 0.25rem; }
.intro, .facts { color: var(--muted); font-family: "Small", system-ui, sans-serif; }
.facts { margin: 0.2rem 0; font-size: 0.95rem; }
.issues { list-style: none; margin: 1.5rem 0; padding: 0; display: grid; gap: 2rem 1.5rem;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 15rem), 1fr)); }
.card { display: flex; flex-direction: column; }
.card h2 a { color: inherit; }
.cover img { display: block; width: 100%; height: auto; border: 1px solid var(--rule);
  box-shadow: 0 2px 10px rgba(0, 0, 0, 0.15); background: #fff; }
.download { display: inline-block; margin-top: 0.3rem; padding: 0.45rem 0.9rem;
  border-radius: 4px; background: var(--button); color: var(--button-text);
  font: 600 0.95rem/1.3 "Small", system-ui, sans-serif; text-decoration: none; }
.download:hover { text-decoration: underline; }
.issue { display: grid; gap: 1.5rem 2.5rem; grid-template-columns: minmax(0, 18rem) 1fr;
  align-items: start; margin-bottom: 2rem; }
@media (max-width: 40rem) {
  .issue { grid-template-columns: 1fr; }
  .issue .cover { max-width: 16rem; }
  .masthead .name { font-size: 2rem; }
}
.contents { padding-inline-start: 1.4rem; }
.contents:lang(fa), .contents:lang(ur) { list-style-type: persian; }
.contents:lang(ar) { list-style-type: arabic-indic; }
.contents li { margin: 0.45rem 0; }
.contents .page { color: var(--muted); font: 0.9rem "Small", system-ui, sans-serif;
  white-space: nowrap; }
.site-footer { border-top: 1px solid var(--rule); margin-top: 2rem; padding-top: 1rem;
  padding-bottom: 2rem; font: 0.95rem/1.5 "Small", system-ui, sans-serif; color: var(--muted); }
.site-footer a { color: var(--link); }
.article { max-width: 44rem; overflow-wrap: break-word; }
.article article a, .article code { overflow-wrap: anywhere; }
.article h1 { font-size: 2.1rem; }
.article .meta, .article .source { color: var(--muted);
  font: 0.95rem/1.5 "Small", system-ui, sans-serif; }
.article figure { margin: 1.5rem 0; }
.article figure img { display: block; width: 100%; height: auto; }
.article figcaption { color: var(--muted); font: 0.9rem/1.45 "Small", system-ui, sans-serif;
  margin-top: 0.4rem; }
.article blockquote { margin: 1rem 0; padding-inline-start: 1rem;
  border-inline-start: 3px solid var(--rule); }
.article hr { border: 0; border-top: 1px solid var(--rule); margin: 2rem 0; }
.steps { display: flex; flex-wrap: wrap; gap: 1rem; justify-content: space-between;
  border-top: 1px solid var(--rule); margin-top: 2rem; padding-top: 1rem;
  font: 0.95rem/1.4 "Small", system-ui, sans-serif; }
.steps a { max-width: 20rem; }
.steps a[rel="next"] { margin-inline-start: auto; text-align: end; }
.steps .step { display: block; color: var(--muted); font-size: 0.85rem; }
"""


def site_theme(issue: Issue, brand: Branding, languages: tuple[str, ...] = ()) -> Theme:
    """The look of the archive from `issue`'s layout; `languages`, those of every issue
    in it, decide whether the Arabic-script web font is wanted."""
    from compositor.load.layout import load_layout
    from compositor.web.site_words import arabic_script

    spec = load_layout(issue.layout_ref, issue.layout_where)
    rgb = {name: _hex(c.as_rgb()) for name, c in spec.colors.items()}

    def style_color(style: str, fallback: str) -> str:
        st = spec.styles.get(style)
        return rgb.get(st.color, fallback) if st else fallback

    paper = "#ffffff"
    own = brand.colors  # the archive's own colours, when site.yaml gives them
    accent = readable(own.get("accent") or style_color("title", "#1f4e79"), paper)
    masthead = spec.raw["masthead"]["background"]
    masthead_bg = rgb.get(masthead, paper) if masthead != "none" else paper
    masthead_text = style_color("masthead_name", "#ffffff" if masthead != "none" else "#000000")
    masthead_bg = own.get("masthead", masthead_bg)
    masthead_text = own.get("masthead-text", masthead_text)
    if contrast(masthead_text, masthead_bg) < 4.5:
        masthead_text = "#ffffff" if contrast("#ffffff", masthead_bg) >= \
            contrast("#000000", masthead_bg) else "#000000"
    colors = {"paper": paper, "text": readable(style_color("body", "#000000"), paper),
              "accent": accent, "link": accent, "focus": accent,
              "muted": readable(style_color("byline", "#555555"), paper),
              "rule": rgb.get("rule", "#aaaaaa"), "masthead": masthead_bg,
              "masthead-text": masthead_text, "button": accent, "button-text": paper}
    fonts: list[tuple[str, str, Path]] = []
    for family, role in _ROLES.items():
        st = spec.styles.get(role)
        if st is None:
            continue
        layout_family, weight = st.font.split(":")
        faces = [weight] if family in ("Display",) else (
            ["regular", "italic", "bold"] if family == "Body" else
            ["bold"] if family == "Heading" else ["regular", "italic", "bold"])
        for face in faces:
            source = spec.fonts.get(layout_family, {}).get(face)
            if source is None:
                continue
            # The weight the browser asks for is what the file is said to be.
            as_face = face if family != "Heading" else "bold"
            fonts.append((family, as_face, source))
    arabic = any(arabic_script(lang) for lang in (*languages, issue.language))
    if arabic:
        own = spec.fonts.get("arabic", {})
        for face in ("regular", "bold"):
            source = own.get(face) or Path(__file__).resolve().parent.parent / "fonts" / \
                f"Vazirmatn-NL-{face.title()}.ttf"
            fonts.append(("Arabic", face, Path(source)))
    return Theme(name=brand.name, tagline=brand.tagline, publisher=brand.publisher,
                 website=brand.website, colors=colors, fonts=fonts,
                 aspect=spec.page_height / spec.page_width, logo=brand.logo, key=brand.key,
                 arabic=arabic)


def site_href(url: str | None) -> str | None:
    """A link the archive may write: an http(s) address or a relative one. `website`
    comes from issue.yaml, which import may have filled from a feed: javascript:, data:
    or file: there would be a link on every page, so it is not written at all."""
    from compositor.web.post import web_address

    text = (url or "").strip()
    if not text:
        return None
    if web_address(text):
        return text
    # Relative: no scheme, no "//host", and no ":" in the first segment (which a
    # browser might yet read as a scheme).
    relative = ":" not in re.split(r"[/?#]", text, maxsplit=1)[0] and not text.startswith("//")
    return text if relative and not re.search(r"[\s\x00-\x1f\x7f-\x9f\\]", text) else None


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, v)) * 255):02x}" for v in rgb)


def _luminance(color: str) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable(color: str, background: str, ratio: float = 4.5) -> str:
    """The colour, darkened just enough for text on `background` (WCAG AA)."""
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    for _ in range(40):
        c = f"#{r:02x}{g:02x}{b:02x}"
        if contrast(c, background) >= ratio:
            return c
        r, g, b = (int(v * 0.9) for v in (r, g, b))
    return "#000000"


def _woff2(source: Path, unicodes: list[int]) -> bytes:
    """The font subset for the web, from the on-disk cache when this file was done before
    (subsetting a large font takes seconds)."""
    from compositor import cache

    data = source.read_bytes()
    key = cache.key_for("woff2", 2, hashlib.sha256(data).hexdigest(), unicodes)
    found = cache.get("webfonts", key)
    if found is None:
        found = _subset(source, unicodes)
        cache.put("webfonts", key, found)
    return found


def _subset(source: Path, unicodes: list[int]) -> bytes:
    import logging

    from fontTools import subset
    from fontTools.ttLib import TTFont

    # Graphite tables (Charis SIL) cannot be subset and are dropped; browsers use OpenType.
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["kern", "liga", "calt", "ccmp", "locl", "mark", "mkmk"]
    if set(_ARABIC) & set(unicodes):  # joining forms, required ligatures and marks
        options.layout_features += ["init", "medi", "fina", "isol", "rlig", "rclt"]
    options.name_IDs = ["*"]  # keep the licence and copyright names (OFL)
    options.notdef_outline = True
    font = TTFont(str(source), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    font.flavor = "woff2"  # Brotli: about a quarter smaller than WOFF
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _logo(source: Path) -> bytes:
    """The logo as a PNG 96 pixels high (48 CSS pixels at 2x), metadata left behind."""
    from PIL import Image

    with Image.open(source) as im:
        image = im.convert("RGBA")
    height = min(96, image.height)
    width = max(1, round(image.width * height / image.height))
    out = io.BytesIO()
    image.resize((width, height), Image.LANCZOS).save(out, "PNG", optimize=True)
    return out.getvalue()
