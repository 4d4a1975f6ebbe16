"""What an edition prints in its own language: digits, the volume line, small labels.

Digits are converted only where compositor writes numbers itself (page numbers, the
contents, jump lines, dates, the volume line); numbers in articles print as typed.
"""

from __future__ import annotations

from dataclasses import dataclass

from compositor.text.shaping import is_rtl_language

_DIGITS = {"latin": "0123456789", "persian": "۰۱۲۳۴۵۶۷۸۹", "arabic": "٠١٢٣٤٥٦٧٨٩"}
_AUTO_NUMERALS = {"fa": "persian", "ar": "arabic", "ur": "persian"}


@dataclass(frozen=True)
class Labels:
    """Words compositor adds to the page. Right-to-left editions separate byline and
    date with a dash: a middle dot beside Persian digits reads as a zero (۰). Their
    bylines hold the author's name in a first-strong isolate (FSI ... PDI), so a Latin
    name keeps its own direction and never takes the date's day with it (digits after
    Latin letters would otherwise run with them)."""

    by: str = "by {name}"
    continued_on: str = "Continued on page {page}"
    continued_from: str = "Continued from page {page}"
    full_article: str = "Read the full article: "
    more: str = "\u2026 and {n} more from page {page}"
    volume: str = "Volume {n}"
    number: str = "Number {n}"
    list_sep: str = ", "
    byline_sep: str = "  \u00b7  "
    # The built-in layout's English words, replaced when a layout keeps them.
    contents: str = "Inside this issue"
    page: str = "Page {page}"


_LABELS = {
    "fa": Labels("نوشتهٔ \u2068{name}\u2069", "ادامه در صفحهٔ {page}", "ادامه از صفحهٔ {page}",
                 "متن کامل مطلب: ", "\u2026 و {n} مطلب دیگر از صفحهٔ {page}",
                 "دورهٔ {n}", "شمارهٔ {n}", "، ", "  \u2013  ",
                 "در این شماره", "صفحهٔ {page}"),
    "ar": Labels("بقلم \u2068{name}\u2069", "تتمة في الصفحة {page}", "تابع من الصفحة {page}",
                 "اقرأ المقال كاملًا: ", "\u2026 و{n} مقالات أخرى من الصفحة {page}",
                 "المجلد {n}", "العدد {n}", "، ", "  \u2013  ", "في هذا العدد",
                 "الصفحة {page}"),
    "ur": Labels("تحریر: \u2068{name}\u2069", "بقیہ صفحہ {page} پر", "صفحہ {page} سے آگے",
                 "پورا مضمون: ", "\u2026 اور {n} مزید، صفحہ {page} سے",
                 "جلد {n}", "شمارہ {n}", "، ", "  \u2013  ", "اس شمارے میں",
                 "صفحہ {page}"),
    "he": Labels("מאת \u2068{name}\u2069", "המשך בעמוד {page}", "המשך מעמוד {page}",
                 "לכתבה המלאה: ", "\u2026 ועוד {n} מעמוד {page}",
                 "כרך {n}", "גיליון {n}", ", ", "  \u2013  ", "בגיליון זה",
                 "עמוד {page}"),
}


def translated(text: str, english: str, own: str) -> str:
    """A layout's text, in the edition's language when the layout kept the built-in
    English words (`english`) and the language has its own (`own`)."""
    return own if text == english else text


def base_language(language: str) -> str:
    return language.replace("_", "-").split("-")[0].lower()


def labels(language: str) -> Labels:
    return _LABELS.get(base_language(language), Labels())


def numerals(setting: str, language: str) -> str:
    """The digit set a layout's `text.numerals` asks for in this language."""
    if setting == "auto":
        return _AUTO_NUMERALS.get(base_language(language), "latin")
    return setting


def digits(text: str, system: str) -> str:
    """Western digits in `text` written in the given digit set."""
    if system == "latin" or not any(c.isascii() and c.isdigit() for c in text):
        return text
    return text.translate(str.maketrans(_DIGITS["latin"], _DIGITS[system]))


def right_to_left(direction: str, language: str) -> bool:
    """Whether pages mirror: the layout's `page.direction`, or the language's script."""
    if direction == "auto":
        return is_rtl_language(language)
    return direction == "rtl"
