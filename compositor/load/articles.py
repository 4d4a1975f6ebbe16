"""Article and box files: YAML front matter + Markdown body -> content model."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from compositor.errors import Location, Report, UserError
from compositor.inputs import real_path
from compositor.load.images import check_image
from compositor.load.rules import ARTICLE_TEXT_LIMITS, CONTENTS_ENTRY_CHARS
from compositor.load.schema import Checker, describe
from compositor.load.yamlfile import Mapping, parse_yaml, read_text
from compositor.model.content import Article, Block, Box, Figure, ListBlock, Paragraph, Quote, Run
from compositor.model.excerpt import append_ellipsis, count_words, cut_to_words
from compositor.model.markdown import clean_text, parse_markdown, safe_href
from compositor.model.smart import smart_text

ARTICLE_KEYS = {
    "title": "headline (required)",
    "toc_title": "shorter title for the contents box",
    "byline": "author or source, printed as 'by …'",
    "date": "publication date, YYYY-MM-DD",
    "url": "address of the full article",
    "image": "lead photo, relative to the article file",
    "caption": "caption of the lead photo",
    "alt": "text alternative of the lead photo (defaults to the caption)",
    "excerpt": "word budget: a number, 'none' or 'auto'",
    "continue": "true: open on page 1 and continue on a later page",
    "pullquote": "a line from the article set large as a pull quote (fitting may drop it)",
    "new_page": "true: start on a new page, with title and photo across the columns",
    "filler": "true: a short item page make-up may move forward to fill a column's gap",
}
BOX_KEYS = {"title": "box heading",
            "page": "first, last, a page number or own (a page of boxes alone after the text)"}

_FENCE = re.compile(r"^---[ \t]*$", re.M)


def split_front_matter(text: str, path: Path) -> tuple[Mapping, str, int]:
    """Return (front matter, body, first line of the body)."""
    if not text.startswith("---"):
        raise UserError.at(Location(path, 1),
                           "missing front matter: start the file with '---', a line "
                           "'title: …', and another '---'")
    first = text.find("\n")
    m = _FENCE.search(text, first + 1) if first >= 0 else None
    if m is None:
        raise UserError.at(Location(path, 1),
                           "the front matter is not closed: add a line '---' after it")
    header = text[first + 1: m.start()]
    data = parse_yaml(header, path, first_line=2)
    if data is None:
        data = Mapping()
        data.line, data.key_lines = 1, {}
    if not isinstance(data, Mapping):
        raise UserError.at(Location(path, 2),
                           f"front matter must be 'key: value' lines, not {describe(data)}")
    body_line = text[: m.end()].count("\n") + 2
    return data, text[m.end():].lstrip("\n"), body_line + _leading_newlines(text[m.end():]) - 1


def _leading_newlines(s: str) -> int:
    return len(s) - len(s.lstrip("\n"))


# Beyond any newsletter article, and enough to keep the line breaker's time and memory
# bounded on hostile input (a paragraph of 200,000 one-letter words).
MAX_WORDS = 50_000


def load_article(path: Path, named_at: Location, overrides: Mapping | None,
                 manifest_path: Path, report: Report, language: str = "en") -> Article | None:
    text = read_text(path, named_at)
    front, body, body_line = split_front_matter(text, path)
    check = Checker(path, report)
    check.known_keys(front, ARTICLE_KEYS, "the article's front matter")
    # Keys given in the manifest win over the file's own front matter.
    sources: dict[str, tuple[Any, Location]] = {
        k: (v, Location(path, front.line_of(k))) for k, v in front.items()}
    if overrides:
        for k, v in overrides.items():
            if k != "file":
                sources[k] = (v, Location(manifest_path, overrides.line_of(k)))

    def get(key: str) -> tuple[Any, Location]:
        return sources.get(key, (None, Location(path, 1)))

    title, where = get("title")
    blank = title is None or (isinstance(title, str) and not clean_text(title).strip())
    if blank or not isinstance(title, str | int | float):
        report.error(where, ("the article needs a 'title' in its front matter" if title is None
                             else "'title' is blank; the headline would print empty")
                     if blank else f"'title' must be text, not {describe(title)}")
        return None
    values: dict[str, Any] = {}
    if get("toc_title")[0] is None and len(clean_text(str(title)).strip()) > \
            CONTENTS_ENTRY_CHARS:
        report.error(where, f"the title is {len(clean_text(str(title)).strip()):,} characters "
                            f"long; the contents box takes at most {CONTENTS_ENTRY_CHARS}: "
                            "add a shorter 'toc_title' for it")
    for key in ("toc_title", "byline", "caption", "alt"):
        v, loc = get(key)
        if v is not None and not isinstance(v, str | int | float):
            report.error(loc, f"'{key}' must be text, not {describe(v)}")
        elif v is not None:
            values[key] = smart_text(clean_text(str(v)).strip(), language)
            _check_length(key, values[key], loc, report)
    date = None
    v, loc = get("date")
    if isinstance(v, dt.datetime):
        date = v.date()
    elif isinstance(v, dt.date):
        date = v
    elif v is not None:
        try:
            date = dt.date.fromisoformat(str(v).strip())
        except ValueError:
            report.error(loc, f"'date' must be a date written YYYY-MM-DD, not {describe(v)}")
    url = None
    v, loc = get("url")
    if v is not None:
        url = safe_href(str(v).strip())
        if url is None:
            report.error(loc, f"'url' must start with https:// or http://, not {describe(v)}")
    lead = None
    v, loc = get("image")
    if v is not None:
        if not isinstance(v, str):
            report.error(loc, f"'image' must be a file path, not {describe(v)}")
        else:
            base = loc.path.parent
            image_path = real_path(base / v)
            try:
                size = check_image(image_path, loc)
                caption = values.get("caption", "")
                lead = Figure(image_path, (Run(caption),) if caption else (),
                              values.get("alt", caption), loc, size)
            except UserError as exc:
                report.diagnostics.extend(exc.diagnostics)
    budget = None
    v, loc = get("excerpt")
    mode = "auto" if url else "none"
    if v in ("none", False):
        mode = "none"
    elif v == "auto":
        mode = "auto"
    elif v is not None:
        if isinstance(v, bool) or not isinstance(v, int) or v < 20:
            report.error(loc, "'excerpt' must be a number of words (at least 20), "
                              f"'auto' or 'none', not {describe(v)}")
        else:
            budget, mode = v, "fixed"
    jump = False
    v, jloc = get("continue")
    if v is not None:
        if not isinstance(v, bool):
            report.error(jloc, f"'continue' must be true or false, not {describe(v)}")
        else:
            jump = v
    new_page = False
    v, nloc = get("new_page")
    if v is not None:
        if not isinstance(v, bool):
            report.error(nloc, f"'new_page' must be true or false, not {describe(v)}")
        else:
            new_page = v
    filler = False
    v, floc = get("filler")
    if v is not None:
        if not isinstance(v, bool):
            report.error(floc, f"'filler' must be true or false, not {describe(v)}")
        else:
            filler = v
    blocks = tuple(parse_markdown(body, path, body_line, language))
    blocks = tuple(_check_figures(blocks, report))
    v, ploc = get("pullquote")
    if v is not None:
        if not isinstance(v, str) or not v.strip():
            report.error(ploc, f"'pullquote' must be text, not {describe(v)}")
        else:
            blocks = _with_pullquote(blocks, smart_text(clean_text(v).strip(), language), ploc)
    total = count_words(blocks)
    if total > MAX_WORDS:
        raise UserError.at(Location(path, body_line),
                           f"the article has {total:,} words; an article is limited to "
                           f"{MAX_WORDS:,} (about 100 newsletter pages) so that layout time "
                           "and memory stay bounded; split it into several articles")
    kept_blocks, kept = blocks, total
    if budget is not None and total > budget:
        kept_blocks, kept = cut_to_words(blocks, budget)
        kept_blocks = append_ellipsis(kept_blocks)
        if url is None:
            report.warn(loc, "the excerpt has no 'url' to point readers to the full text")
    if total == 0:
        report.warn(Location(path, body_line), "the article has no text")
    return Article(title=smart_text(clean_text(str(title)).strip(), language),
                   where=Location(path, 1),
                   blocks=kept_blocks, toc_title=values.get("toc_title"),
                   byline=values.get("byline"), date=date, url=url, lead=lead,
                   excerpt=budget if kept < total else None, words_total=total,
                   words_kept=kept, excerpt_mode=mode, all_blocks=blocks, jump=jump,
                   new_page=new_page, filler=filler)


def _check_length(key: str, text: str, where: Location, report: Report) -> None:
    limit = ARTICLE_TEXT_LIMITS.get(key)
    if limit is not None and len(text) > limit:
        what = " (the contents box would grow over the masthead)" if key == "toc_title" else ""
        report.error(where, f"'{key}' is {len(text):,} characters long; it takes at most "
                            f"{limit}{what}: shorten it")


def _with_pullquote(blocks: tuple[Block, ...], text: str, where: Location
                    ) -> tuple[Block, ...]:
    """Put a front-matter pull quote about a third of the way into the article, after a
    paragraph, where a designer would."""
    paragraphs = [i for i, b in enumerate(blocks) if isinstance(b, Paragraph)]
    if not paragraphs:
        return blocks
    after = paragraphs[min(len(paragraphs) - 1, max(0, len(paragraphs) // 3))]
    quote = Quote((Paragraph((Run(text),), where),), where, pull=True, optional=True)
    return blocks[: after + 1] + (quote,) + blocks[after + 1:]


def _check_figures(blocks: tuple[Block, ...], report: Report) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Figure):
            try:
                size = check_image(real_path(block.path), block.where)
            except UserError as exc:
                report.diagnostics.extend(exc.diagnostics)
                continue
            out.append(replace(block, path=real_path(block.path), pixel_size=size))
        elif isinstance(block, Quote):
            out.append(replace(block, blocks=tuple(_check_figures(block.blocks, report))))
        elif isinstance(block, ListBlock):
            out.append(replace(block, items=tuple(tuple(_check_figures(item, report))
                                                  for item in block.items)))
        else:
            out.append(block)
    return out


def load_box(path: Path, named_at: Location, page: str | int | None,
             report: Report, language: str = "en") -> Box | None:
    text = read_text(path, named_at)
    if text.startswith("---"):
        front, body, body_line = split_front_matter(text, path)
    else:
        front, body, body_line = Mapping(), text, 1
        front.line, front.key_lines = 1, {}
    check = Checker(path, report)
    check.known_keys(front, BOX_KEYS, "the box's front matter")
    title = check.text(front, "title")
    if page is None:
        page = parse_box_page(front.get("page", "last"), Location(path, front.line_of("page")),
                              report)
    blocks = tuple(b if not isinstance(b, Paragraph) else replace(b, role="box")
                   for b in _check_figures(tuple(parse_markdown(body, path, body_line, language,
                                                                   keep_lines=True)), report))
    if not blocks and not title:
        report.warn(Location(path, 1), "the box is empty")
    return Box(title=smart_text(clean_text(title), language) if title else None, blocks=blocks,
               where=Location(path, 1), page=page)


BOX_PAGE_WORDS = ("first", "last", "own")  # `own`: a page of boxes alone after the text


def parse_box_page(value: Any, where: Location, report: Report) -> str | int:
    if value in BOX_PAGE_WORDS:
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    report.error(where, f"a box's 'page' must be first, last, a page number or own (a page "
                        f"of boxes alone after the text), not {describe(value)}")
    return "last"
