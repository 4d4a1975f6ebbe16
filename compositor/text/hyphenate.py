"""Hyphenation points from pyphen's dictionaries, loaded once and cached per word."""

from __future__ import annotations

from functools import lru_cache

import pyphen

MIN_WORD = 6  # shorter words are never hyphenated


@lru_cache(maxsize=16)
def _dictionary(language: str) -> pyphen.Pyphen | None:
    code = language.replace("-", "_")
    found = pyphen.language_fallback(code) or pyphen.language_fallback(code.split("_")[0])
    if found is None and code.split("_")[0].lower() == "en":
        found = "en_US"
    return pyphen.Pyphen(lang=found, left=2, right=3) if found else None


def has_dictionary(language: str) -> bool:
    return _dictionary(language) is not None


@lru_cache(maxsize=100_000)
def _points(language: str, word: str) -> tuple[int, ...]:
    dic = _dictionary(language)
    if dic is None:
        return ()
    return tuple(dic.positions(word))


def hyphen_points(word: str, language: str) -> tuple[int, ...]:
    """Offsets inside `word` where a hyphen may be inserted.

    Only the alphabetic core of a word is hyphenated; leading and trailing punctuation
    (quotes, commas) is ignored, and words with digits or capitals inside are left whole.
    """
    start = 0
    end = len(word)
    while start < end and not word[start].isalpha():
        start += 1
    while end > start and not word[end - 1].isalpha():
        end -= 1
    core = word[start:end]
    if len(core) < MIN_WORD or not core.isalpha() or not core[1:].islower():
        return ()
    return tuple(start + p for p in _points(language, core.lower()))
