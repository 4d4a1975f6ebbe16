"""Markdown body -> content blocks.

markdown-it-py parses CommonMark with raw HTML switched off, so anything that looks like
markup (`<b>`, `&nbsp;` written as text, `<font>`) stays literal text in the model.
Every block keeps the source line it came from.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from compositor.errors import Location, UserError
from compositor.model.content import (
    Block,
    Figure,
    Heading,
    ListBlock,
    Paragraph,
    Quote,
    Rule,
    Run,
)
from compositor.model.smart import quotes_for, smart_spacing, smart_text
from compositor.text.verse import VERSE_BREAK

# markdown-it silently drops everything past its nesting limit (20 by default), so the
# limit is raised and reaching it is an error; past MAX_INDENT levels, lists and quotes
# are set flush with their parent (labels kept) so deep nesting cannot squeeze a column
# to nothing.
MAX_NESTING = 100
MAX_INDENT = 4


@functools.lru_cache(maxsize=8)
def _parser(language: str) -> MarkdownIt:
    # Entity references are left as typed: an editor who writes "&nbsp;" sees "&nbsp;".
    # Quotes are the issue language's (« » in French, „ " in German).
    md = (MarkdownIt("commonmark", {"html": False, "typographer": True,
                                    "quotes": list(quotes_for(language))})
          .enable(["strikethrough", "smartquotes"]).disable("entity"))
    md.options["maxNesting"] = MAX_NESTING
    return md

# Characters that would otherwise reach the page as invisible trouble: bidi overrides
# and isolates from pasted web text are dropped (the engine sets Latin left to right),
# zero-width joiners are harmless to drop in Latin text.
_STRIP = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00ad]")
_SPACES = re.compile("[\t\u2000-\u200a\u202f\u205f\u3000]")
# In Arabic script the zero-width non-joiner and joiner are spelling, not trouble: the
# Persian plural suffix in "قایق‌ها" is written apart from its word with a ZWNJ. The
# left-to-right and right-to-left marks are how editors of such text place neutral
# characters ("C++‎" keeps its pluses after the C), and the isolates (LRI, RLI, FSI ...
# PDI) how they mark a run that keeps its own direction; the bidi algorithm honours
# them and they are never drawn. Embeddings and overrides are still dropped.
_JOINED = re.compile("[\u0600-\u08ff\ufb50-\ufdff\ufe70-\ufefc]")
_STRIP_JOINED = re.compile("[\u200b\u202a-\u202e\ufeff\u00ad]")


def clean_text(text: str) -> str:
    if text.isascii():  # the common case: nothing invisible to remove
        return text.replace("\t", " ") if "\t" in text else text
    strip = _STRIP_JOINED if _JOINED.search(text) else _STRIP
    return _SPACES.sub(" ", strip.sub("", text))


SAFE_SCHEMES = ("http://", "https://", "mailto:", "ftp://")


def safe_href(href: str | None) -> str | None:
    """Only web and mail links become clickable; anything else (javascript:, file:) is text."""
    if not href:
        return None
    return href if href.lower().startswith(SAFE_SCHEMES) else None


def iri_to_uri(iri: str) -> str:
    """The ASCII address a PDF link or QR code needs (RFC 3987 3.1): the host in IDNA,
    every other non-ASCII character as UTF-8 %-escapes. The printed text keeps the IRI."""
    from urllib.parse import quote, urlsplit, urlunsplit

    if iri.isascii() and " " not in iri:
        return iri
    keep = "/:@!$&'()*+,;=-._~%?#[]"
    try:
        parts = urlsplit(iri)
        netloc = parts.netloc
        host = parts.hostname or ""
        if host and not host.isascii():
            try:
                ascii_host = host.encode("idna").decode("ascii")
            except UnicodeError:
                ascii_host = quote(host, safe="")
            # hostname is lower-cased by urlsplit; replace it case-insensitively
            at = netloc.rfind("@") + 1
            netloc = netloc[:at] + ascii_host + netloc[at + len(host):]
        return urlunsplit((parts.scheme, quote(netloc, safe=keep), quote(parts.path, safe=keep),
                           quote(parts.query, safe=keep), quote(parts.fragment, safe=keep)))
    except ValueError:  # not parseable as a URL: escape it whole
        return quote(iri, safe=keep)


def parse_markdown(text: str, path: Path, first_line: int = 1, language: str = "en",
                   keep_lines: bool = False) -> list[Block]:
    """Parse a Markdown body whose first line is line `first_line` of `path`; with
    `keep_lines`, a single newline inside a paragraph is a line break."""
    tokens = _parser(language).parse(text)
    if keep_lines:
        for tok in tokens:
            for child in tok.children or ():
                if child.type == "softbreak":
                    child.type = "hardbreak"
    deep = next((t for t in tokens if t.level >= MAX_NESTING - 1), None)
    if deep is not None:
        raise UserError.at(_where(deep, path, first_line),
                           f"lists or quotes nested more than {MAX_NESTING - 2} levels deep; "
                           "the text inside them cannot be set")
    blocks, _ = _blocks(tokens, 0, len(tokens), path, first_line)
    return [_smart_captions(b, language) for b in blocks]


def _smart_captions(block: Block, language: str) -> Block:
    """Captions of inline images come from image text, which the parser's typographer
    does not reach; they get the same punctuation as the body."""
    if isinstance(block, Figure):
        caption = tuple(replace(r, text=smart_text(r.text, language)) for r in block.caption)
        return replace(block, caption=caption, alt=smart_text(block.alt, language))
    if isinstance(block, Quote):
        return replace(block, blocks=tuple(_smart_captions(b, language) for b in block.blocks))
    if isinstance(block, ListBlock):
        return replace(block, items=tuple(tuple(_smart_captions(b, language) for b in item)
                                          for item in block.items))
    if isinstance(block, Paragraph) and block.role == "verse":
        # Verse comes from a fenced block, which the typographer does not reach either.
        return replace(block, runs=tuple(replace(r, text=smart_text(r.text, language))
                                         for r in block.runs))
    return block


def _where(tok: Token, path: Path, first_line: int) -> Location:
    return Location(path, (tok.map[0] + first_line) if tok.map else first_line)


def _close_index(tokens: list[Token], i: int) -> int:
    """Index of the token closing the container opened at i."""
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def _blocks(tokens: list[Token], i: int, end: int, path: Path, first_line: int,
            depth: int = 0) -> tuple[list[Block], int]:
    out: list[Block] = []
    while i < end:
        tok = tokens[i]
        where = _where(tok, path, first_line)
        kind = tok.type
        if kind == "paragraph_open":
            out.extend(_paragraph(tokens[i + 1], where, path))
            i += 3
        elif kind == "heading_open":
            level = 2 if tok.tag in ("h1", "h2") else 3
            runs = _runs(tokens[i + 1].children or [])
            if runs:
                out.append(Heading(tuple(runs), level, where))
            i += 3
        elif kind in ("bullet_list_open", "ordered_list_open"):
            close = _close_index(tokens, i)
            items = []
            j = i + 1
            while j < close:
                if tokens[j].type == "list_item_open":
                    item_close = _close_index(tokens, j)
                    inner, _ = _blocks(tokens, j + 1, item_close, path, first_line,
                                       depth + 1)
                    items.append(tuple(inner))
                    j = item_close + 1
                else:
                    j += 1
            start = int(tok.attrGet("start") or 1) if kind == "ordered_list_open" else 1
            if items and depth >= MAX_INDENT:
                out.extend(_flat_items(items, kind == "ordered_list_open", start))
            elif items:
                out.append(ListBlock(tuple(items), kind == "ordered_list_open", start, where))
            i = close + 1
        elif kind == "blockquote_open":
            close = _close_index(tokens, i)
            inner, _ = _blocks(tokens, i + 1, close, path, first_line, depth + 1)
            pull = False
            if inner and isinstance(inner[0], Paragraph):
                first = inner[0]
                head = first.runs[0].text if first.runs else ""
                if head.lower().startswith("[!pullquote]"):
                    pull = True
                    rest = head[len("[!pullquote]"):].lstrip()
                    runs = ((Run(rest, first.runs[0].italic, first.runs[0].bold),)
                            if rest else ()) + first.runs[1:]
                    inner[0] = Paragraph(runs, first.where) if runs else None
                    inner = [b for b in inner if b is not None]
            if inner and depth >= MAX_INDENT and not pull:
                out.extend(inner)
            elif inner:
                out.append(Quote(tuple(inner), where, pull))
            i = close + 1
        elif kind == "fence" and tok.info.strip().lower() in ("poem", "verse"):
            poem = _poem(tok.content)
            if poem:
                out.append(Paragraph((Run(poem),), where, "verse"))
            i += 1
        elif kind in ("fence", "code_block"):
            lines = clean_text(tok.content).rstrip("\n").split("\n")
            for line in lines:
                out.append(Paragraph((Run(line or " ", code=True),), where, "code"))
            i += 1
        elif kind == "hr":
            out.append(Rule(where))
            i += 1
        else:
            i += 1
    return out, i


def _poem(content: str) -> str:
    """A ```poem block as the text engine takes verse: one couplet a line, its halves
    (typed with " / " or a tab between them) joined by VERSE_BREAK. The separator is
    never printed; blank lines are left out."""
    lines = []
    for raw in content.split("\n"):
        halves = raw.split("\t", 1) if "\t" in raw else raw.split(" / ", 1)
        halves = [" ".join(clean_text(h).split()) for h in halves]
        halves = [h for h in halves if h]
        if halves:
            lines.append(VERSE_BREAK.join(halves))
    return "\n".join(lines)


def _flat_items(items: list[tuple[Block, ...]], ordered: bool, start: int) -> list[Block]:
    """A list too deep to indent further: each item's label leads its first paragraph."""
    out: list[Block] = []
    for k, item in enumerate(items):
        label = f"{start + k}. " if ordered else "\u2022 "
        blocks = list(item)
        if blocks and isinstance(blocks[0], Paragraph):
            first = blocks[0]
            blocks[0] = Paragraph((Run(label),) + first.runs, first.where, first.role)
        out.extend(blocks)
    return out


def _paragraph(inline: Token, where: Location, path: Path) -> list[Block]:
    """A paragraph; images inside it become figures of their own, splitting the text."""
    out: list[Block] = []
    pending: list[Token] = []
    for child in inline.children or []:
        if child.type == "image":
            runs = _runs(pending)
            if _has_text(runs):
                out.append(Paragraph(tuple(runs), where))
            pending = []
            caption = clean_text("".join(c.content for c in child.children or [])).strip()
            title = child.attrGet("title")
            src = str(child.attrGet("src") or "")
            out.append(Figure((path.parent / src), (Run(caption),) if caption else (),
                              str(title or caption), where))
        else:
            pending.append(child)
    runs = _runs(pending)
    if _has_text(runs):
        out.append(Paragraph(tuple(runs), where))
    return out


def _has_text(runs: list[Run]) -> bool:
    return any(r.text.strip() for r in runs)


def _runs(children: list[Token]) -> list[Run]:
    """Inline tokens -> runs, merging neighbours of the same style."""
    runs: list[Run] = []
    italic = bold = 0
    href: list[str | None] = []

    def add(text: str, code: bool = False) -> None:
        text = clean_text(text)
        if not text:
            return
        link = href[-1] if href else None
        run = Run(text, italic > 0, bold > 0, code, link)
        if runs and (runs[-1].italic, runs[-1].bold, runs[-1].code, runs[-1].href) == (
                run.italic, run.bold, run.code, run.href):
            runs[-1] = Run(runs[-1].text + text, run.italic, run.bold, run.code, run.href)
        else:
            runs.append(run)

    for tok in children:
        kind = tok.type
        if kind == "text":
            add(tok.content)
        elif kind == "softbreak":
            add(" ")
        elif kind == "hardbreak":
            add("\n")
        elif kind == "code_inline":
            add(tok.content, code=True)
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "link_open":
            href.append(safe_href(str(tok.attrGet("href") or "")))
        elif kind == "link_close":
            if href:
                href.pop()
        elif kind in ("html_inline", "s_open", "s_close"):
            add(tok.content if kind == "html_inline" else "")
    # Dashes and no-break spaces are decided over the whole paragraph (a sign-off's dash
    # and the bold name after it are separate runs), then cut back into the runs.
    joined = "".join(r.text for r in runs)
    spaced = smart_spacing(joined)
    if spaced != joined:
        pos = 0
        for k, r in enumerate(runs):
            if not r.code:  # code is printed exactly as typed
                runs[k] = Run(spaced[pos:pos + len(r.text)], r.italic, r.bold, r.code, r.href)
            pos += len(r.text)
    # Trim outer whitespace so justification never sees a leading or trailing space.
    if runs:
        runs[0] = Run(runs[0].text.lstrip(" "), runs[0].italic, runs[0].bold, runs[0].code,
                      runs[0].href)
        runs[-1] = Run(runs[-1].text.rstrip(" "), runs[-1].italic, runs[-1].bold,
                       runs[-1].code, runs[-1].href)
    return [r for r in runs if r.text]
