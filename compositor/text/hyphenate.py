"""Hyphenation points from pyphen's dictionaries, loaded once and cached per word."""

from __future__ import annotations

import json
from functools import lru_cache

import pyphen

from compositor import cache

MIN_WORD = 6  # shorter words are never hyphenated


@lru_cache(maxsize=16)
def _dictionary(language: str) -> pyphen.Pyphen | None:
    code = language.replace("-", "_")
    if code.lower() == "en":
        # English without a region: the US patterns (TeX's standard ones) find many more
        # break points than the British set, which misses words like peo-ple and some-one.
        code = "en_US"
    found = pyphen.language_fallback(code) or pyphen.language_fallback(code.split("_")[0])
    if found is None and code.split("_")[0].lower() == "en":
        found = "en_US"
    if not found:
        return None
    # Parsing a dictionary's patterns takes longer than a whole layout pass; keep the parsed
    # form in the cache, keyed by the pyphen version and dictionary file.
    path = pyphen.LANGUAGES[found]
    key = cache.key_for("hyph", pyphen.__version__, str(path), found)
    data = cache.get("hyphenation", key)
    if data is not None and path not in pyphen.hdcache:
        try:
            stored = json.loads(data)
            hd = pyphen.HyphDict.__new__(pyphen.HyphDict)
            hd.patterns = {k: (v[0], tuple(v[1])) for k, v in stored["patterns"].items()}
            hd.cache, hd.maxlen = {}, stored["maxlen"]
            pyphen.hdcache[path] = hd
        except (ValueError, KeyError, TypeError, IndexError):
            data = None  # a damaged entry is rebuilt below
    dic = pyphen.Pyphen(lang=found, left=2, right=3)
    plain = all(isinstance(x, int) for _, values in dic.hd.patterns.values() for x in values)
    if data is None and plain:  # dictionaries with alternative spellings are not cached
        cache.put("hyphenation", key, json.dumps(
            {"patterns": dic.hd.patterns, "maxlen": dic.hd.maxlen}).encode())
    return dic


def has_dictionary(language: str) -> bool:
    return _dictionary(language) is not None


@lru_cache(maxsize=100_000)
def _points(language: str, word: str) -> tuple[int, ...]:
    dic = _dictionary(language)
    if dic is None:
        return ()
    points = tuple(dic.positions(word))
    if not points and language.lower() == "en" and len(word) >= 8:
        # English without a region: a long word the US patterns leave whole (compounds
        # such as boathouse) is tried with the British ones.
        other = _dictionary("en_GB")
        if other is not None:
            points = tuple(other.positions(word))
    return points


def hyphen_points(word: str, language: str, capitalized: bool = False) -> tuple[int, ...]:
    """Offsets inside `word` where a hyphen may be inserted.

    Only the alphabetic core of a word is hyphenated; leading and trailing punctuation
    (quotes, commas) is ignored, and words with digits or capitals inside are left whole.
    A word that starts with a capital (a name, mostly: "Dehqan", "Albania") is left whole
    too unless `capitalized` is set: patterns are made for common words, and a reader
    stumbles over a name split across lines.
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
    if not capitalized and core[0].isupper():
        return ()
    return tuple(start + p for p in _points(language, core.lower()))
