"""issue.yaml -> validated Issue model, with every referenced file read and checked."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from compositor.errors import Location, Report, UserError
from compositor.inputs import real_path
from compositor.load.articles import load_article, load_box, parse_box_page
from compositor.load.images import check_image
from compositor.load.rules import MANIFEST_TEXT_LIMITS, PUBLICATION_TEXT_LIMITS
from compositor.load.schema import Checker, describe
from compositor.load.yamlfile import Mapping, Sequence, load_yaml_file
from compositor.model.content import Issue, Publication
from compositor.model.smart import smart_text

MANIFEST_KEYS = {
    "publication": "mapping, or path of a YAML file holding it",
    "volume": "volume number",
    "number": "issue number, or a list for double issues",
    "date": "issue date as printed, e.g. 'July - August 2023'",
    "language": "language code, e.g. en, en-GB, fr",
    "layout": "built-in layout name or path of a layout YAML",
    "articles": "list of article files, in reading order",
    "boxes": "list of sidebar boxes",
    "pages": "exact number of pages to fit the issue to",
}
PUBLICATION_KEYS = {"name", "tagline", "publisher", "website", "logo", "key"}
# A feed id names its publication for good (tag: URIs, RFC 4151): a domain name the
# publication owns or an e-mail address, in lower case.
_LABEL = r"[a-z0-9]([a-z0-9-]*[a-z0-9])?"
PUBLICATION_KEY = rf"^([a-z0-9._%+-]+@)?{_LABEL}(\.{_LABEL})*$"
ARTICLE_ENTRY_KEYS = {"file", "title", "toc_title", "byline", "date", "url", "image",
                      "caption", "alt", "excerpt", "continue", "pullquote", "new_page",
                      "filler"}
BOX_ENTRY_KEYS = {"file", "page"}
_LANG = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")


def load_issue(manifest: Path) -> tuple[Issue, Report]:
    """Load and validate everything; raises UserError listing every problem found."""
    report = Report()
    data = load_yaml_file(manifest)
    check = Checker(manifest, report)
    top = check.mapping(data, Location(manifest, 1), "the manifest")
    if top is None:
        report.raise_if_errors()
    check.known_keys(top, MANIFEST_KEYS, "the manifest")
    publication = _publication(top, manifest, report)
    date_text = None
    if check.required(top, "date", "the manifest"):
        date_text = check.text(top, "date")
    language = check.text(top, "language", "en") or "en"
    if not _LANG.match(language):
        report.error(check.at(top, "language"),
                     f"'language' must be a language code such as en, en-GB or fr, "
                     f"not {describe(top.get('language'))}")
        language = "en"
    layout_ref = check.text(top, "layout", "default") or "default"
    volume = check.text(top, "volume")
    numbers: tuple[str, ...] = ()
    raw_number = top.get("number")
    if isinstance(raw_number, list):
        numbers = tuple(str(n) for n in raw_number if isinstance(n, str | int))
        if len(numbers) != len(raw_number):
            report.error(check.at(top, "number"), "'number' must be a number or a list of numbers")
    elif raw_number is not None:
        numbers = (check.text(top, "number") or "",)
    pages = check.integer(top, "pages", 1, 512)
    for key, limit in MANIFEST_TEXT_LIMITS.items():
        _check_length(top, key, limit, check)

    articles = []
    raw_articles = top.get("articles")
    if raw_articles is None:
        report.error(check.at(top), "the manifest needs 'articles': a list of article files")
    elif not isinstance(raw_articles, Sequence) or not raw_articles:
        report.error(check.at(top, "articles"),
                     f"'articles' must be a list of article files, not {describe(raw_articles)}")
    else:
        for i, entry in enumerate(raw_articles):
            where = Location(manifest, raw_articles.line_of(i))
            file, overrides = _entry(entry, where, ARTICLE_ENTRY_KEYS, "an article entry", check)
            if file is None:
                continue
            try:
                article = load_article(manifest.parent / file, where, overrides, manifest, report,
                                       language)
            except UserError as exc:
                report.diagnostics.extend(exc.diagnostics)
                continue
            if article is not None:
                articles.append(article)

    boxes = []
    raw_boxes = top.get("boxes")
    if raw_boxes is not None and not isinstance(raw_boxes, Sequence):
        report.error(check.at(top, "boxes"), f"'boxes' must be a list, not {describe(raw_boxes)}")
    for i, entry in enumerate(raw_boxes if isinstance(raw_boxes, Sequence) else []):
        where = Location(manifest, raw_boxes.line_of(i))
        file, extra = _entry(entry, where, BOX_ENTRY_KEYS, "a box entry", check)
        if file is None:
            continue
        page = None
        if extra and "page" in extra:
            page = parse_box_page(extra["page"], Location(manifest, extra.line_of("page")), report)
        try:
            box = load_box(manifest.parent / file, where, page, report, language)
        except UserError as exc:
            report.diagnostics.extend(exc.diagnostics)
            continue
        if box is not None:
            boxes.append(box)

    report.raise_if_errors()
    publication = replace(publication, name=smart_text(publication.name, language),
                          tagline=smart_text(publication.tagline or "", language) or None)
    issue = Issue(manifest=manifest, publication=publication,
                  date_text=smart_text(date_text or "", language),
                  language=language, layout_ref=layout_ref,
                  layout_where=check.at(top, "layout"), articles=tuple(articles),
                  boxes=tuple(boxes), volume=volume, numbers=numbers, pages=pages)
    return issue, report


def _check_length(top: Mapping, key: str, limit: int, check: Checker,
                  where: str = "the masthead") -> None:
    """Text printed on one line (the masthead's date, volume and number; the footer's
    website) within `limit` characters, one list item at a time."""
    value = top.get(key)
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str) and len(item.strip()) > limit:
            check.report.error(check.at(top, key),
                               f"'{key}' is {len(item.strip()):,} characters long; "
                               f"{where} prints at most {limit}: shorten it")


def _entry(entry: Any, where: Location, keys: set[str], what: str, check: Checker
           ) -> tuple[str | None, Mapping | None]:
    if isinstance(entry, str) and entry.strip():
        return entry.strip(), None
    if isinstance(entry, Mapping):
        check.known_keys(entry, keys, what)
        file = entry.get("file")
        if isinstance(file, str) and file.strip():
            return file.strip(), entry
        check.report.error(where, f"{what} needs 'file: path/to/file.md'")
        return None, None
    check.report.error(where, f"{what} must be a file path or a mapping with 'file', "
                              f"not {describe(entry)}")
    return None, None


def _publication(top: Mapping, manifest: Path, report: Report) -> Publication:
    raw = top.get("publication")
    path = manifest
    check = Checker(manifest, report)
    where = check.at(top, "publication")
    if isinstance(raw, str):
        path = (manifest.parent / raw)
        try:
            raw = load_yaml_file(path, where)
        except UserError as exc:
            report.diagnostics.extend(exc.diagnostics)
            return Publication(name="")
        check = Checker(path, report)
        where = Location(path, 1)
    if raw is None:
        report.error(where, "the manifest needs 'publication' with at least 'name'")
        return Publication(name="")
    pub = check.mapping(raw, where, "'publication'")
    if pub is None:
        return Publication(name="")
    check.known_keys(pub, PUBLICATION_KEYS, "'publication'")
    name = check.text(pub, "name") if check.required(pub, "name", "'publication'") else ""
    logo = None
    if pub.get("logo") is not None:
        logo_value = check.text(pub, "logo")
        if logo_value:
            logo = real_path(path.parent / logo_value)
            try:
                check_image(logo, check.at(pub, "logo"))
            except UserError as exc:
                report.diagnostics.extend(exc.diagnostics)
                logo = None
    website = check.text(pub, "website")
    key = check.text(pub, "key")
    if key is not None and (len(key) > 100 or not re.match(PUBLICATION_KEY, key)):
        report.error(check.at(pub, "key"),
                     f"'key' must be a domain name or e-mail address in lower case, such as "
                     f"news.example.org, not {describe(pub.get('key'))}")
        key = None
    for key_name, limit in PUBLICATION_TEXT_LIMITS.items():
        _check_length(pub, key_name, limit, check, "the footer")
    return Publication(name=name or "", tagline=check.text(pub, "tagline"),
                       publisher=check.text(pub, "publisher"), website=website, logo=logo,
                       key=key)
