"""Typographer's punctuation for every string that reaches the page: curly quotes and
apostrophes in the issue's language, en dashes in ranges, and no-break spaces where a line
break would strand a sign or a dash.

Body text gets its quotes from the Markdown parser (which sees emphasis and links);
`smart_spacing` then runs over each paragraph. Titles, captions, box titles, the masthead
and the footer are plain strings and go through `smart_text`.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
EN_DASH = "\u2013"
EM_DASH = "\u2014"

# Opening and closing double quotes, then opening and closing single quotes, per language.
_QUOTES: dict[str, tuple[str, str, str, str]] = {
    "en": ("\u201c", "\u201d", "\u2018", "\u2019"),
    "nl": ("\u201c", "\u201d", "\u2018", "\u2019"),
    "pt": ("\u201c", "\u201d", "\u2018", "\u2019"),
    "de": ("\u201e", "\u201c", "\u201a", "\u2018"),
    "cs": ("\u201e", "\u201c", "\u201a", "\u2018"),
    "sk": ("\u201e", "\u201c", "\u201a", "\u2018"),
    "da": ("\u00bb", "\u00ab", "\u203a", "\u2039"),
    "pl": ("\u201e", "\u201d", "\u00ab", "\u00bb"),
    "hu": ("\u201e", "\u201d", "\u00bb", "\u00ab"),
    "ro": ("\u201e", "\u201d", "\u00ab", "\u00bb"),
    "fr": ("\u00ab" + NBSP, NBSP + "\u00bb", "\u2039" + NBSP, NBSP + "\u203a"),
    "it": ("\u00ab", "\u00bb", "\u201c", "\u201d"),
    "es": ("\u00ab", "\u00bb", "\u201c", "\u201d"),
    "ca": ("\u00ab", "\u00bb", "\u201c", "\u201d"),
    "ru": ("\u00ab", "\u00bb", "\u201e", "\u201c"),
    "uk": ("\u00ab", "\u00bb", "\u201e", "\u201c"),
    "nb": ("\u00ab", "\u00bb", "\u2018", "\u2019"),
    "no": ("\u00ab", "\u00bb", "\u2018", "\u2019"),
    "sv": ("\u201d", "\u201d", "\u2019", "\u2019"),
    "fi": ("\u201d", "\u201d", "\u2019", "\u2019"),
    # Persian and Arabic: guillemets outside, English quotes inside. Typed in logical
    # order, the bidi algorithm mirrors them in right-to-left lines.
    "fa": ("\u00ab", "\u00bb", "\u201c", "\u201d"),
    "ar": ("\u00ab", "\u00bb", "\u201c", "\u201d"),
    "el": ("\u00ab", "\u00bb", "\u201c", "\u201d"),
    "hy": ("\u00ab", "\u00bb", "\u00ab", "\u00bb"),
    "be": ("\u00ab", "\u00bb", "\u201e", "\u201c"),
    "kk": ("\u00ab", "\u00bb", "\u201c", "\u201d"),
    "sq": ("\u00ab", "\u00bb", "\u201c", "\u201d"),
    "tr": ("\u201c", "\u201d", "\u2018", "\u2019"),
    "he": ("\u201d", "\u201d", "\u2019", "\u2019"),
    "lt": ("\u201e", "\u201c", "\u201a", "\u2018"),
    "hr": ("\u201e", "\u201c", "\u201a", "\u2018"),
    "sl": ("\u201e", "\u201c", "\u201a", "\u2018"),
    "sr": ("\u201e", "\u201c", "\u2018", "\u2019"),
    "bg": ("\u201e", "\u201c", "\u201e", "\u201c"),
    "et": ("\u201e", "\u201c", "\u201e", "\u201c"),
    "is": ("\u201e", "\u201c", "\u201a", "\u2018"),
    "ja": ("\u300c", "\u300d", "\u300e", "\u300f"),
    "zh": ("\u201c", "\u201d", "\u2018", "\u2019"),
}
_REGIONAL = {"de-ch": ("\u00ab", "\u00bb", "\u2039", "\u203a"),
             "fr-ch": ("\u00ab", "\u00bb", "\u2039", "\u203a")}


def quotes_for(language: str) -> tuple[str, str, str, str]:
    """The quotation marks of a language ('fr', 'de-CH', 'en-GB'); English ones when the
    language is not known."""
    code = language.lower().replace("_", "-")
    return _REGIONAL.get(code) or _QUOTES.get(code.split("-")[0], _QUOTES["en"])


APOSTROPHE = "\u2019"
_OPENS_AFTER = set(" \t\n([{\u2014\u2013-/" + NBSP)  # a quote after these opens
_RANGE = re.compile(r"(?<![\d\-\u2013./:])(\d{1,4})-(\d{1,4})(?![\d\-\u2013./:])")
_SPACED_HYPHEN = re.compile(r"(?<=\S) - (?=\S)")
_SIGN_OFF = re.compile(r"(^|\n|(?<=[.!?\u2026\u201d\u2019\"')\]] ))\u2014 (?=\S)")
_COMPARE = re.compile(r" ([<>\u2264\u2265]) (?=[\d\u2212+-]?\d)")


def smart_spacing(text: str) -> str:
    """Dashes and no-break spaces; the result is exactly as long as `text`, so it can be
    applied to a paragraph and cut back into its styled runs.

    - "19-20", "1990-1995": an en dash between numbers (not in dates like 2023-07-01,
      times or decimal numbers);
    - "July - August": a spaced hyphen between words becomes a spaced en dash;
    - "— A thirsty bow seat": the space after a sign-off's opening em dash is no-break;
    - "< 7:30", "> 6:45": a comparison sign before a number is bound to it by a no-break
      space, so it never ends a line (the space before it stays a word space, which keeps
      the line free to justify).
    """
    if "-" in text:
        text = _RANGE.sub(lambda m: f"{m.group(1)}{EN_DASH}{m.group(2)}", text)
        text = _SPACED_HYPHEN.sub(f" {EN_DASH} ", text)
    if EM_DASH in text:
        text = _SIGN_OFF.sub(lambda m: f"{m.group(1)}{EM_DASH}{NBSP}", text)
    if "<" in text or ">" in text or "\u2264" in text or "\u2265" in text:
        text = _COMPARE.sub(lambda m: f" {m.group(1)}{NBSP}", text)
    return text


def smart_quotes(text: str, language: str) -> str:
    """Straight quotes and apostrophes -> the language's curly ones."""
    if '"' not in text and "'" not in text:
        return text
    o2, c2, o1, c1 = quotes_for(language)
    out: list[str] = []
    n = len(text)
    for i, ch in enumerate(text):
        if ch not in "\"'":
            out.append(ch)
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < n else " "
        if ch == "'" and before.isalnum() and (after.isalpha() or not after.strip()
                                               or after in ".,;:!?)"):
            # don't, Rahimi's, the members' boats: an apostrophe (or a closing single
            # quote, which is the same mark in English)
            out.append(APOSTROPHE if after.isalpha() else c1)
            continue
        if ch == "'" and after.isdigit() and (before in _OPENS_AFTER or not i):
            out.append(APOSTROPHE)  # '90s
            continue
        opening = before in _OPENS_AFTER or i == 0 or (
            before in "\u201c\u2018\u00ab\u201e\"'" and after.strip())
        if opening:
            out.append(o2 if ch == '"' else o1)
        else:
            mark = c2 if ch == '"' else c1
            if mark.startswith(NBSP) and out and out[-1] == " ":
                out.pop()
            out.append(mark)
    result = "".join(out)
    if NBSP in o2:  # French: « word » keeps one no-break space inside the marks
        result = re.sub("([\u00ab\u2039]\u00a0) +", r"\1", result)
    return result


def smart_text(text: str, language: str) -> str:
    """A plain string (a title, a caption, the masthead's date) as a typographer sets it."""
    if not text:
        return text
    text = text.replace("---", EM_DASH).replace("--", EN_DASH)
    return smart_spacing(smart_quotes(text, language))
