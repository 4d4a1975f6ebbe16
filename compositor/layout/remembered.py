"""Fitting decisions kept between builds of the same content.

Fitting an issue to its pages searches: excerpt lengths, photo sizes, leading, each trial
a layout pass. What it decides is small (where each article is cut, which pull quotes are
left out, the photo scale, the body leading) and depends only on the content, the layout
and the code. Kept in the on-disk cache under a digest of all three, a rebuild of
unchanged content lays the issue out once with those decisions instead of searching
again; the layout is the same call the search ended with, so the bytes are the same.
Any change (a word, a layout key, a font file, compositor itself) gives another digest
and a fresh search. A decision that cannot be written down exactly is not kept.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from compositor import cache
from compositor.layout import planner, recorded
from compositor.layout.fit import FitOutcome, fit_issue
from compositor.layout.variants import with_leading
from compositor.load.layout import LayoutSpec
from compositor.model.content import Article, Issue
from compositor.model.excerpt import excerpted, without_optional_pullquotes

KIND = "fitting"
_PARSED = (".md", ".markdown", ".yaml", ".yml")
_PATH = re.compile(r"""PosixPath\((?:'([^']*)'|"([^"]*)")\)""")


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of compositor's own code: decisions made by another version of any part
    of it are never reused."""
    import compositor

    root = Path(compositor.__file__).parent
    return cache.key_for(*(p.read_bytes() for p in sorted(root.rglob("*.py"))))


def content_key(issue: Issue, spec: LayoutSpec, pages: int, optimal: bool | None) -> str:
    """The digest of everything fitting reads: the issue and layout as loaded, and the
    size and time of every other file they name (photos, logo, fonts). A text file saved
    again with the same words keeps its digest (an undo in `watch` finds its decisions)."""
    text = repr((issue, spec, spec.raw))
    # Articles, boxes, the manifest and the layout are in the model as read: only what
    # the model names without holding (a photo's pixels, a font) is known by its file.
    files = sorted({name for a, b in _PATH.findall(text)
                    if not (name := a or b).lower().endswith(_PARSED)})
    stats = []
    for name in files:
        try:
            info = Path(name).stat()
            stats.append((name, info.st_size, info.st_mtime_ns))
        except OSError:
            stats.append((name, None, None))
    return cache.key_for(KIND, code_version(), text, stats, pages, optimal)


@dataclass(frozen=True)
class Decisions:
    """What fitting decided, written down so that it can be applied again exactly."""

    articles: list  # per article: [pull quotes left out, excerpt budget or "same"]
    leading: float | None  # body leading when fitting changed it
    args: list  # the layout call's other arguments (optimal, photo scale, ...)
    kwargs: dict
    passes: int
    factor: float
    photo_scale: float
    notes: list[str]

    def encode(self) -> bytes:
        return json.dumps(self.__dict__, sort_keys=True).encode()

    @staticmethod
    def decode(data: bytes) -> Decisions | None:
        try:
            return Decisions(**json.loads(data))
        except (ValueError, TypeError):
            return None


def fit(issue: Issue, spec: LayoutSpec, pages: int, optimal: bool | None = None
        ) -> FitOutcome:
    """fit_issue, or its decisions from an earlier build of the same content applied in
    one layout call."""
    key = content_key(issue, spec, pages, optimal) if cache.cache_dir() else None
    stored = cache.get(KIND, key) if key else None
    decisions = Decisions.decode(stored) if stored else None
    if decisions is not None:
        made = _applied(issue, spec, decisions)
        if made is not None:
            return made
    recorded.forget()
    try:
        outcome = fit_issue(issue, spec, pages, optimal)
        if key:
            found = written_down(issue, spec, outcome)
            if found is not None:
                cache.put(KIND, key, found.encode())
    finally:
        recorded.forget()
    return outcome


def written_down(issue: Issue, spec: LayoutSpec, outcome: FitOutcome) -> Decisions | None:
    """The outcome's decisions, when applying them gives back exactly the layout call the
    search ended with; None otherwise."""
    call = recorded.call_that_made(outcome.layout)
    if call is None or len(call.args) < 2:
        return None
    fitted, fitted_spec = call.args[0], call.args[1]
    rest = list(call.args[2:])
    if not _plain(rest) or not _plain(call.kwargs) or not _plain(outcome.notes) or \
            not isinstance(fitted, Issue) or not isinstance(fitted_spec, LayoutSpec):
        return None
    if len(fitted.articles) != len(issue.articles):
        return None
    articles = []
    for original, made in zip(issue.articles, fitted.articles, strict=True):
        how = _how_made(original, made)
        if how is None:
            return None
        articles.append(how)
    leading = None if fitted_spec == spec else fitted_spec.styles["body"].leading
    decisions = Decisions(articles, leading, rest, dict(call.kwargs), outcome.passes,
                          outcome.factor, outcome.photo_scale, list(outcome.notes))
    # Written down exactly only if reading it back gives the same issue and layout.
    again = Decisions.decode(decisions.encode())
    if again is None or _issue(issue, again) != fitted or _spec(spec, again) != fitted_spec:
        return None
    return again


def _how_made(original: Article, made: Article) -> list | None:
    for lean in (False, True):
        base = without_optional_pullquotes(original) if lean else original
        if made == base:
            return [lean, "same"]
        if made == excerpted(base, made.excerpt):
            return [lean, made.excerpt]
    return None


def _issue(issue: Issue, decisions: Decisions) -> Issue:
    articles = []
    for original, (lean, budget) in zip(issue.articles, decisions.articles, strict=True):
        article = without_optional_pullquotes(original) if lean else original
        articles.append(article if budget == "same" else excerpted(article, budget))
    return replace(issue, articles=tuple(articles))


def _spec(spec: LayoutSpec, decisions: Decisions) -> LayoutSpec:
    return spec if decisions.leading is None else with_leading(spec, decisions.leading)


def _applied(issue: Issue, spec: LayoutSpec, decisions: Decisions) -> FitOutcome | None:
    if len(decisions.articles) != len(issue.articles):
        return None
    try:
        layout = planner.layout_issue(_issue(issue, decisions), _spec(spec, decisions),
                                      *decisions.args, **decisions.kwargs)
    except TypeError:  # written by a build whose layout call took other arguments
        return None
    return FitOutcome(layout, decisions.passes, decisions.factor, decisions.photo_scale,
                      list(decisions.notes))


def _plain(value: object) -> bool:
    """Does the value survive JSON unchanged (so the call made from it is the same)?"""
    try:
        return json.loads(json.dumps(value)) == value
    except (TypeError, ValueError):
        return False
