"""What each setting may hold: one table of kinds, ranges, choices and text lengths.

The loaders check files against it (layout.py, articles.py, manifest.py) and the JSON
schemas for editors are generated from it (designer/schema.py), so a value the schema
offers is one the build accepts and a range the build enforces is the one an editor shows.
Every key of the built-in default layout has a rule here; a test keeps it that way.
"""

from __future__ import annotations

from dataclasses import dataclass

# Fields a template may use.
FOOTER_FIELDS = frozenset({"website", "publication", "issue", "issue_date", "page", "pages",
                           "publisher"})
STRING_FIELDS = {"volume": frozenset({"volume"}), "number": frozenset({"number"}),
                 "numbers": frozenset({"numbers"}), "full_article": frozenset()}

# The PDF/X flavours finish/pdfx.py can write (tests/test_hostile_round3_inputs.py keeps
# this and its table of versions the same).
PDFX_STANDARDS = ("PDF/X-4", "PDF/X-1a")


@dataclass(frozen=True)
class Rule:
    """One layout key.

    kind: length (points, or a number with mm/cm/in/pt/em), number, integer, bool, choice,
    text, template (text with {fields}), colour_name (a name from `colors` or none), file
    (a file name: text only), page_size. low/high bound lengths (in points) and numbers;
    choices list a choice's words; max_chars bounds text; fields are a template's fields.
    """

    kind: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    max_chars: int | None = None
    fields: frozenset[str] = frozenset()
    nonblank: bool = False  # text that must say something (it names a file or a condition)

    def bounds_text(self, length: bool) -> str:
        """'between 0 and 48 pt (17 mm)' as the messages and descriptions say it."""
        def shown(v: float) -> str:
            text = f"{v:g}"
            return f"{text} pt ({v * 25.4 / 72:.0f} mm)" if length and v else text
        if self.kind == "integer" and self.low is not None and self.high is not None:
            return f"{self.low:g} to {self.high:g}"
        if self.low is not None and self.high is not None:
            return f"between {shown(self.low)} and {shown(self.high)}"
        if self.low is not None:
            return f"at least {shown(self.low)}"
        return f"at most {shown(self.high or 0)}"

    def within(self, number: float) -> bool:
        return (self.low is None or number >= self.low) and (
            self.high is None or number <= self.high)


def _length(low: float | None = None, high: float | None = None) -> Rule:
    return Rule("length", low, high)


def _number(low: float, high: float) -> Rule:
    return Rule("number", low, high)


def _integer(low: int, high: int) -> Rule:
    return Rule("integer", low, high)


def _choice(*words: str) -> Rule:
    return Rule("choice", choices=words)


BOOL = Rule("bool")
COLOUR_NAME = Rule("colour_name")
MM = 72 / 25.4

# Sections whose keys the designer names (colours, font families) or whose entries have
# their own structure (styles) are checked in layout.py and are not listed here.
LAYOUT_RULES: dict[tuple[str, str], Rule] = {
    ("page", "size"): Rule("page_size"),
    # Margins and gutter have no fixed maximum: together they must leave a text column of
    # at least 25 mm × 70 mm, which the loader checks against the page size.
    ("page", "margin_top"): _length(0), ("page", "margin_bottom"): _length(0),
    ("page", "margin_inside"): _length(0), ("page", "margin_outside"): _length(0),
    ("page", "columns"): _integer(1, 6),
    ("page", "gutter"): _length(0),
    ("page", "column_rules"): BOOL,
    ("page", "direction"): _choice("auto", "ltr", "rtl"),
    ("text", "hyphenate"): BOOL,
    ("text", "hyphenate_capitalized"): BOOL,
    # A negative indent hangs the first letters outside the column and an indent wider
    # than the column pushes them past its edge: either way they do not print. 48 pt is
    # five times the usual 1 em; the loader also keeps it under a third of the column.
    ("text", "paragraph_indent"): _length(0, 48),
    ("text", "line_breaking"): _choice("optimal", "greedy"),
    ("text", "min_word_space"): _number(0.3, 1.0), ("text", "max_word_space"): _number(1.0, 4.0),
    ("text", "max_letter_spacing"): _number(0.0, 0.2),
    ("text", "min_letter_spacing"): _number(0.0, 0.1),
    ("text", "max_glyph_scale"): _number(1.0, 1.1), ("text", "min_glyph_scale"): _number(0.9, 1.0),
    ("text", "numerals"): _choice("auto", "latin", "persian", "arabic"),
    ("text", "date_calendar"): _choice("auto", "gregorian", "persian", "hijri"),
    ("text", "justify"): _choice("both", "kashida", "spaces"),
    ("text", "spacing_colour"): _choice("tighter", "even", "looser"),
    ("text", "persian_spacing"): BOOL,
    ("masthead", "height"): _length(36, 600),
    ("masthead", "background"): COLOUR_NAME,
    # A logo under 3 pt cannot be seen; a negative one was drawn upside down over the text.
    # The masthead's own height caps it as it is placed.
    ("masthead", "logo_height"): _length(3, 600),
    ("masthead", "rule"): COLOUR_NAME,
    ("article", "title_span_first"): BOOL,
    ("article", "space_before"): _number(0, 10),
    ("article", "rule_between"): BOOL,
    ("article", "qr_code"): _length(0, 288),  # 0 = none; a QR code 4 inches wide is plenty
    ("article", "lead_photo_columns"): _integer(1, 6),
    ("article", "pullquote_columns"): _integer(1, 6),
    ("article", "title_lines"): _integer(0, 20),
    ("article", "photo_columns"): _integer(1, 6),
    ("article", "drop_cap"): _choice("none", "lead", "all"),
    ("article", "jump_first"): _integer(0, 1000),
    ("article", "jump_lines"): _integer(4, 1000),
    # Longer headings would fill the contents box before its first entry.
    ("contents", "title"): Rule("text", max_chars=80),
    ("contents", "column"): _integer(1, 6),
    ("contents", "position"): _choice("top", "bottom"),
    ("makeup", "vertical_justify"): _number(0, 6),
    ("makeup", "paragraph_space"): _number(0, 2),
    ("makeup", "hole_lines"): _number(1, 1000),
    ("makeup", "last_page_lines"): _integer(1, 200),
    ("makeup", "photo_lines"): _integer(0, 40),
    ("makeup", "opening_lines"): _integer(1, 40),
    ("makeup", "max_leading"): _number(0, 100),
    ("boxes", "background"): COLOUR_NAME,
    **{("footer", slot): Rule("template", max_chars=200, fields=FOOTER_FIELDS)
       for slot in ("left", "center", "right")},
    **{("strings", key): Rule("template", max_chars=80, fields=fields)
       for key, fields in STRING_FIELDS.items()},
    ("print", "standard"): _choice(*PDFX_STANDARDS),
    ("print", "profile"): Rule("file", nonblank=True),
    ("print", "output_condition"): Rule("text", max_chars=200, nonblank=True),
    ("print", "bleed"): _length(0, 36),
    ("print", "crop_marks"): BOOL,
    ("print", "mark_offset"): _length(0, 72),
    ("print", "slug"): BOOL,
    ("print", "warn_ppi"): _number(0, 1200),
    ("print", "min_ppi"): _number(0, 1200),
    ("print", "max_ppi"): _number(0, 4800),
    ("print", "max_ink"): _number(100, 400),
    ("web", "image_ppi"): _number(36, 1200),
    ("web", "jpeg_quality"): _integer(10, 95),
    ("fit", "min_words"): _integer(20, 100000),
    ("fit", "min_photo"): _number(0.2, 1.0),
    ("fit", "min_leading"): _number(0, 100),
    ("fit", "max_leading"): _number(0, 100),
}

# A text style's size in points, and its leading as a multiple of that size.
STYLE_SIZE = (3, 200)
LEADING_TIMES_SIZE = (0.8, 4.0)

LENGTH_KEYS = frozenset(key for (_, key), rule in LAYOUT_RULES.items() if rule.kind == "length")

# Longest text an article's or a manifest's key may hold, in characters. The contents
# box sets an entry (`toc_title`, or the title when there is none) in a part of one
# column: past this it would grow over the masthead. The masthead's date and volume
# line, likewise.
CONTENTS_ENTRY_CHARS = 200
ARTICLE_TEXT_LIMITS = {"toc_title": CONTENTS_ENTRY_CHARS, "byline": 200}
MANIFEST_TEXT_LIMITS = {"date": 80, "volume": 40, "number": 20}
# The website is printed in every page's footer; the publisher may be.
PUBLICATION_TEXT_LIMITS = {"website": 100, "publisher": 120}
