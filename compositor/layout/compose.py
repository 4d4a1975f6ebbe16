"""Content model -> chunks at column width: titles, body lines, figures, boxes, contents.

Everything that flows sits on the body text's baseline grid: each chunk is a whole number
of body lines tall, so lines in neighbouring columns line up, as in a well-made magazine.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass, field

from compositor.errors import UserError
from compositor.layout.chunks import (
    Chunk,
    ImagePart,
    LinkPart,
    Part,
    RectPart,
    RulePart,
    Tag,
    TextPart,
    space,
)
from compositor.load.dates import format_date
from compositor.load.layout import LayoutSpec, TextStyle, parse_length
from compositor.load.locale import Labels, digits, labels, numerals, right_to_left, translated
from compositor.model.content import (
    Article,
    Block,
    Box,
    Figure,
    Heading,
    ListBlock,
    Paragraph,
    Quote,
    Rule,
    Run,
)
from compositor.model.markdown import iri_to_uri
from compositor.model.smart import smart_text
from compositor.text.fonts import glyph_depth
from compositor.text.paragraph import NO_SPACING, Line, SetParagraph, Style, Typesetter

BULLET = "\u2022"
TAIL_CLEARANCE = 1.0  # points kept between a drop cap's tail and the line under it
TITLE_OVER_SUBHEAD = 1.2  # a title set smaller to keep its lines stays this much bigger
NARROW = 30  # characters a line under which body text is set ragged right


def display_url(url: str) -> str:
    """An address as a reader types it: no scheme, no "www.", no trailing slash."""
    shown = url
    for prefix in ("https://", "http://"):
        if shown.lower().startswith(prefix):
            shown = shown[len(prefix):]
            break
    if shown.lower().startswith("www."):
        shown = shown[4:]
    return shown.rstrip("/") or url


def style_of(spec: LayoutSpec, name: str) -> Style:
    s: TextStyle = spec.styles[name]
    return Style(s.font, s.size, s.leading, s.color)


# Sizes the contents entries are tried at before any entry is left out.
CONTENTS_SCALES = (1.0, 0.92, 0.85, 0.78, 0.7)
CONTENTS_ENTRY_LINES = (2, 1)  # lines an entry may keep when shortened, in turn


@dataclass
class Composer:
    spec: LayoutSpec
    ts: Typesetter
    language: str
    column_height: float
    missing: dict[str, set[str]] = field(default_factory=dict)  # source -> characters
    images: list = field(default_factory=list)  # (location, effective ppi, path)
    photo_scale: float = 1.0  # photo width as a fraction of the column (fitting lever)
    spanned_photo: Chunk | None = None  # an opening photo set across columns, if any
    containers: dict[int, tuple[str, int]] = field(default_factory=dict)  # id -> role, parent
    # paragraph or photo element -> lines added (+) or taken away (-) by page make-up
    looseness: dict[int, int] = field(default_factory=dict)
    _element: int = 0

    def __post_init__(self) -> None:
        self.body = style_of(self.spec, "body")
        self.L = self.body.leading
        self.width = self.spec.column_width
        self.indent = parse_length(self.spec.section("text")["paragraph_indent"],
                                   em=self.body.size) or 0.0
        text = self.spec.section("text")
        # A right-to-left edition is laid out as a left-to-right one and mirrored at the
        # end (layout/mirror.py); here only words and numbers change.
        self.rtl = right_to_left(self.spec.section("page")["direction"], self.language)
        self.numerals = numerals(text["numerals"], self.language)
        self.calendar = text["date_calendar"]
        self.labels = labels(self.language)
        # Under about 30 characters a line, justified text opens rivers of space: such a
        # column is set ragged right (the layout driver warns about it).
        self.ragged = self.chars_per_line() < NARROW

    def digits(self, text: str) -> str:
        return digits(text, self.numerals)

    def chars_per_line(self) -> float:
        sample = "the quick brown fox jumps over a lazy dog, said Zoë"
        line = self.ts.set((Run(sample),), self.body, 10000.0, align="left").lines[0]
        return self.width / (line.natural / len(sample))

    # -- helpers ---------------------------------------------------------------------------

    def number_elements_from(self, base: int) -> None:
        """Structure elements made from here on are numbered base+1, base+2, …"""
        self._element = base

    def new_element(self) -> int:
        self._element += 1
        return self._element

    def element_mark(self) -> int:
        return self._element

    def element_reset(self, mark: int) -> None:
        """Forget the structure elements made since `mark` (a setting that was dropped)."""
        self._element = mark
        for el in [el for el in self.containers if el > mark]:
            del self.containers[el]

    def container(self, role: str, parent: int) -> int:
        """A structure element that holds others (a list, a list item, a quotation)."""
        el = self.new_element()
        self.containers[el] = (role, parent)
        return el

    def set(self, runs: tuple[Run, ...], style: Style, measure: float, source: str,
            align: str = "justify", indent: float = 0.0) -> SetParagraph:
        result = self.ts.set(runs, style, measure, align=align, indent=indent)
        if result.missing:
            self.missing.setdefault(source, set()).update(result.missing)
        return result

    def set_balanced(self, runs: tuple[Run, ...], style: Style, measure: float, source: str
                     ) -> SetParagraph:
        """Ragged display lines of even length: the narrowest measure that still takes no
        more lines, so a title never leaves one word alone on its last line."""
        result = self.set(runs, style, measure, source, "left")
        n = len(result.lines)
        if n < 2:
            return result
        words = [w for r in runs for w in r.text.split()]
        widest = max((self.set((Run(w),), style, 10000.0, source, "left").lines[0].natural
                      for w in words), default=0.0)
        lo, hi = max(measure * 0.5, min(widest, measure)), measure  # never inside a word
        for _ in range(7):  # to within 1 % of the measure
            mid = (lo + hi) / 2
            if len(self.set(runs, style, mid, source, "left").lines) <= n:
                hi = mid
            else:
                lo = mid
        return self.set(runs, style, hi, source, "left")

    def fitting(self, style: Style, text: str, width: float, source: str) -> Style:
        """The display style, set smaller (down to 60 %) when its longest word is wider
        than the measure: a narrow column never breaks a title inside a word."""
        words = set(text.split())
        if not words:
            return style
        # The widest word as set, not the one with most letters ("commissioned" is wider
        # than "intermediate").
        longest = max(sorted(words), key=lambda w: self.set(
            (Run(w),), style, 10000.0, source, "left").lines[0].natural)
        for step in range(9):
            scale = 1.0 - 0.05 * step
            st = dataclasses.replace(style, size=style.size * scale,
                                     leading=style.leading * scale)
            if self.set((Run(longest),), st, 10000.0, source, "left").lines[0].natural \
                    <= width:
                return st
        return st

    def grid(self, height: float) -> float:
        """Round a height up to whole body lines."""
        return math.ceil(height / self.L - 1e-6) * self.L

    @staticmethod
    def baseline(style: Style) -> float:
        """Baseline offset of a line of `style` from the top of its line box."""
        return (style.leading - style.size) / 2 + style.size * 0.8

    def lines_parts(self, lines: tuple[Line, ...], style: Style, dx: float, top: float,
                    align: str, tag: Tag | None) -> tuple[list[Part], float]:
        parts: list[Part] = []
        y = top
        for line in lines:
            shown = "justify" if line.justified else ("left" if align == "justify" else align)
            parts.append(TextPart(line, dx + line.indent, y + self.baseline(style), shown, tag))
            parts.extend(self.link_parts(line, dx + line.indent, y, style.leading, align))
            y += style.leading
        return parts, y

    @staticmethod
    def link_parts(line: Line, dx: float, top: float, height: float, align: str
                   ) -> list[LinkPart]:
        """Clickable areas over linked fragments (positions as set unjustified)."""
        if not any(f.href for f in line.frags):
            return []
        tw, tc, h = line.spacing() if align == "justify" else NO_SPACING
        out = []
        x = dx
        if align == "center":
            x += (line.measure - line.natural) / 2
        elif align == "right":
            x += line.measure - line.natural
        for f in line.frags:
            w = (f.width + f.text.count(" ") * tw + len(f.text) * tc) * h
            if f.href:
                out.append(LinkPart(x, top, w, height, f.href))
            x += w
        return out

    # -- articles --------------------------------------------------------------------------

    def byline_text(self, article: Article) -> str:
        bits = []
        if article.byline:
            bits.append(self.labels.by.format(name=article.byline))
        if article.date:
            bits.append(format_date(article.date, self.language, self.calendar, self.numerals))
        return self.labels.byline_sep.join(bits)

    def head(self, article: Article, index: int, width: float, title_style: str,
             with_space: bool) -> Chunk:
        """Title, byline and date as one chunk (and the lead photo when not spanning)."""
        spec = self.spec
        source = str(article.where.path)
        parts: list[Part] = []
        top = 0.0
        space_chunk = None
        if with_space:
            top = spec.section("article")["space_before"] * self.L
            whole = math.floor(top / self.L + 1e-6) * self.L
            rule = ((RulePart(0, top * 0.45, width, 0.6, "rule"),)
                    if spec.section("article")["rule_between"] else ())
            if whole > 0 and top * 0.45 < whole:
                space_chunk = Chunk(whole, rule, discard=True, article=index, kind="space")
                top -= whole
            else:
                parts += rule
        own = style_of(spec, title_style)
        st = self.fitting(own, article.title, width, source)
        title = self.set_balanced((Run(article.title, href=article.url),), st, width, source)
        most = int(spec.section("article")["title_lines"])
        base = st
        for step in range(1, 7):
            # A long title in a narrow column is set smaller rather than run down the
            # column: a designer keeps a headline to a few lines, yet well above the
            # size of a subhead so it still reads as the article's title.
            scale = 1.0 - 0.05 * step
            if not most or len(title.lines) <= most or base.size * scale < max(
                    0.7 * own.size, TITLE_OVER_SUBHEAD * style_of(spec, "subhead").size) - 1e-6:
                break
            st = dataclasses.replace(base, size=base.size * scale, leading=base.leading * scale)
            title = self.set_balanced((Run(article.title, href=article.url),), st, width,
                                      source)
        el = self.new_element()
        p, y = self.lines_parts(title.lines, st, 0, top, "left", Tag("H1", el))
        parts += p
        by = self.byline_text(article)
        if by:
            bst = style_of(spec, "byline")
            y += bst.leading * 0.15
            lines = self.set((Run(by),), bst, width, source, "left").lines
            p, y = self.lines_parts(lines, bst, 0, y, "left", Tag("P", self.new_element()))
            parts += p
        y += self.L * 0.35
        height = self.grid(y)
        meta = {"title": article.title}
        if space_chunk is not None:
            meta["space"] = space_chunk
        return Chunk(height, tuple(parts), anchor=f"article-{index}", article=index,
                     kind="head", meta=meta)

    def figure(self, fig: Figure, article: int | None, width: float, source: str,
               max_share: float = 0.5, max_aspect: float | None = None) -> Chunk:
        """A photo across the full `width` of its column or span, with its caption. Its
        shape stays within its kind's limits (a landscape between 2:1 and 1:1, a portrait
        between 1:1 and 3:4, cropped centred beyond them, or at most `max_aspect` height
        to width); set smaller for fitting (`photo_scale`) or to stay under `max_share` of
        a column it loses height, cropped, never width. Only a picture that cannot be that
        short within its limits is set narrower, centred with its caption."""
        pw, ph = fig.pixel_size if fig.pixel_size != (0, 0) else (4, 3)
        low, high = aspect_limits(pw, ph)
        if max_aspect:
            high = max(low, min(high, max_aspect))
        aspect = min(max(ph / pw, low), high) * self.photo_scale
        max_h = self.column_height * max_share
        aspect = max(low, min(aspect, max_h / width))
        w, h = width, width * aspect
        if h > max_h:  # even at its shortest shape: narrower, centred
            h, w = max_h, max_h / aspect
        crop = _crop_to(pw, ph, aspect)
        if crop is not None:
            ph = crop[3] - crop[1]
            pw = crop[2] - crop[0]
        self.images.append((fig.where, pw / (w / 72.0), fig.path))
        el = self.new_element()
        parts: list[Part] = [ImagePart(fig.path, (width - w) / 2, 0.0, w, h, fig.alt or "",
                                       fig.pixel_size, Tag("Figure", el), crop)]
        y = h
        if fig.caption:
            cst = style_of(self.spec, "caption")
            y += cst.leading * 0.3
            # Under a photo narrower than its column (a tall one, centred) the caption
            # takes the photo's width and left edge; under a sliver of a photo it keeps
            # the column's width, so its words are never cut.
            narrow = width * 0.5 <= w < width - 0.5
            cap_w, cap_dx = (w, (width - w) / 2) if narrow else (width, 0.0)
            lines = self.set(fig.caption, cst, cap_w, source, "left").lines
            fits = int(self.column_height * 0.35 / cst.leading)
            if len(lines) > fits:
                # A caption longer than this would push its photo off the page, and the
                # end of the caption with it.
                raise UserError.at(fig.where, f"the caption is {len(lines)} lines long at "
                                              f"this width; at most {fits} fit under a photo "
                                              "(shorten it, or move the text to the article)")
            p, y = self.lines_parts(lines, cst, cap_dx, y, "left", Tag("Caption", el))
            parts += p
        y += self.L * 0.4
        chunk = Chunk(y, tuple(parts), article=article, kind="figure")
        # The picture a little taller (cropped) rather than white under its caption: the
        # frame then ends on the baseline grid, as a designer sizes it.
        slack = self.grid(y) - y
        framed = reframe(chunk, h + slack - 0.01, self.L) if slack > 0.5 else None
        return framed or dataclasses.replace(chunk, height=self.grid(y))

    def with_smaller(self, chunk: Chunk, most: int = 8) -> Chunk:
        """The photo chunk carrying its smaller settings (a line less each, cropped within
        its shape's limits) and its taller ones (a line more each, cropped, up
        to `makeup.photo_lines`), for the flow to use where the photo as set would leave
        its column short (layout/pages.py)."""
        image = next((p for p in chunk.parts if isinstance(p, ImagePart)), None)
        if image is None:
            return chunk
        smaller = []
        for d in range(1, most + 1):
            v = reframe(chunk, image.height - d * self.L, self.L)
            if v is None:
                break
            smaller.append(v)
        larger = []
        for d in range(1, int(self.spec.section("makeup")["photo_lines"]) + 1):
            v = reframe(chunk, image.height + d * self.L, self.L)
            if v is None:
                break
            larger.append(v)
        # Page make-up may have chosen this photo a few lines taller or shorter.
        delta = self.looseness.get(image.tag.element, 0) if image.tag else 0
        if delta > 0 and larger:
            return larger[min(delta, len(larger)) - 1]
        if delta < 0 and smaller:
            return smaller[min(-delta, len(smaller)) - 1]
        return dataclasses.replace(chunk, meta={**chunk.meta, "smaller": tuple(smaller),
                                                "larger": tuple(larger)})

    def article(self, article: Article, index: int, first_on_page_one: bool,
                spanning: bool, photo_span: int = 1) -> tuple[Chunk | None, list[Chunk]]:
        """Chunks of one article. With `spanning`, the title comes back separately, to be
        set across all columns; with `photo_span` > 1 as well, the lead photo comes back
        in `self.spanned_photo`, set across that many columns."""
        source = str(article.where.path)
        chunks: list[Chunk] = []
        band = None
        if spanning:
            band = self.head(article, index, self.spec.page_width - self.spec.margin_inside
                             - self.spec.margin_outside, "lead_title", False)
        else:
            head = self.head(article, index, self.width, "title", not first_on_page_one)
            before = head.meta.get("space")
            if before is not None:
                # The whole lines of space (and the rule) above a title are their own
                # chunk, dropped when the title opens a column.
                chunks.append(before)
                head = dataclasses.replace(head, keep_before=True)
            chunks.append(head)
        if article.new_page and index > 0:
            # Opens a page: a break in the flow; title and photo go above the columns.
            chunks.append(Chunk(0.0, (), kind="pagebreak", meta={"feature": index}))
        if article.lead is not None and spanning and photo_span > 1:
            # A portrait is not spread over columns (it would fill the page): it heads
            # the first column, at the column's width.
            portrait = is_portrait(article.lead)
            cols = 1 if portrait else photo_span
            span_w = cols * self.width + (cols - 1) * self.spec.gutter
            fig = self.figure(article.lead, index, span_w, source, max_share=0.62,
                              max_aspect=None if portrait else 2 / 3)
            self.spanned_photo = dataclasses.replace(fig, meta={**fig.meta, "columns": cols})
        elif article.lead is not None:
            fig = self.figure(article.lead, index, self.width, source)
            chunks.append(self.with_smaller(Chunk(
                fig.height, fig.parts, keep_before=not spanning, article=index, kind="figure",
                anchor=f"article-{index}" if spanning else None)))
        body = list(article.blocks)
        if article.cut and article.url:
            body.append(Paragraph(self.full_article_runs(article.url, source), article.where,
                                  "fulltext"))
        mode = self.spec.section("article")["drop_cap"]
        drop = mode == "all" or (mode == "lead" and (index == 0 or article.new_page))
        drop = drop and not self.rtl  # no drop caps in right-to-left editions
        self.blocks(body, index, source, chunks, keep_first=True, drop_cap=drop)
        if not spanning and opening_key(index) in self.looseness:
            keep_opening(chunks, int(self.spec.section("makeup")["opening_lines"]))
        if spanning and chunks and not chunks[0].anchor:
            chunks[0] = dataclasses.replace(chunks[0], anchor=f"article-{index}")
        return band, chunks

    def full_article_runs(self, url: str, source: str) -> tuple[Run, ...]:
        """"Read the full article: harborlight.example.org/history/…" under an excerpt.
        The address is printed without its scheme and "www." (the link keeps them); when
        it does not fit after the words, it starts a line of its own rather than breaking
        right after them."""
        label = smart_text(translated(str(self.spec.section("strings")["full_article"]),
                                      "Read the full article:",
                                      self.labels.full_article.rstrip()), self.language)
        shown = display_url(url)
        one = (Run(label + " "), Run(shown, href=url))
        st = style_of(self.spec, "fulltext")
        if not label or len(self.set(one, st, self.width, source, "left").lines) == 1:
            return one
        return (Run(label + "\n"), Run(shown, href=url))

    def blocks(self, blocks: list[Block], index: int | None, source: str, out: list[Chunk],
               keep_first: bool, dx: float = 0.0, width: float | None = None,
               style_name: str = "body", parent: int = 0, drop_cap: bool = False) -> None:
        width = self.width if width is None else width
        keep = keep_first
        after_heading = True
        for block in blocks:
            if isinstance(block, Paragraph):
                boxed = block.role == "box"
                if boxed and not after_heading:
                    out.append(space(self.L * 0.4, index))  # boxes space, not indent
                self.paragraph(block, index, source, out, keep, dx, width, style_name,
                               indent=0.0 if (after_heading or boxed
                                              or block.role == "fulltext") else self.indent,
                               parent=parent, drop_cap=drop_cap)
                drop_cap = False
                after_heading = False
                keep = False
            elif isinstance(block, Heading):
                if out:
                    out.append(space(self.L, index))
                st = style_of(self.spec, "subhead" if block.level == 2 else "subhead3")
                el = self.new_element()
                lines = self.set_balanced(block.runs, st, width, source).lines
                for k, line in enumerate(lines):
                    p, _ = self.lines_parts((line,), st, dx, 0, "left",
                                            Tag(f"H{block.level}", el, parent))
                    out.append(Chunk(self.grid(st.leading), tuple(p), keep_before=k > 0,
                                     article=index, kind="head",
                                     meta={"where": block.where}))  # the preview's page map
                keep = True
                after_heading = True
            elif isinstance(block, ListBlock):
                self.list_block(block, index, source, out, keep, dx, width, parent,
                                style_name if style_name == "box_body" else "body")
                keep = False
                after_heading = False
            elif isinstance(block, Quote):
                if block.pull:
                    el = self.new_element()
                    quote = self.pullquote(block, index, source, width, el)
                    cols = min(int(self.spec.section("article")["pullquote_columns"]),
                               self.spec.columns)
                    if cols > 1 and dx == 0 and abs(width - self.width) < 0.01:
                        # Set across columns where the page allows (layout/floats.py
                        # decides); the anchor marks its place in the text.
                        wide = self.pullquote(block, index, source,
                                              cols * self.width + (cols - 1) * self.spec.gutter,
                                              el)
                        out.append(Chunk(0.0, (), article=index, kind="float",
                                         meta={"float": el, "wide": wide, "inline": quote,
                                               "columns": cols}))
                    else:
                        out.append(quote)
                else:
                    # A whole line above and below, so the quotation keeps the column's
                    # grid even when a column break falls inside it (half a line each
                    # side would leave the text after it half a line off its neighbours').
                    out.append(space(self.L, index))
                    el = self.container("BlockQuote", parent)
                    self.blocks(list(block.blocks), index, source, out, keep, dx + self.body.size,
                                width - 2 * self.body.size, "quote", parent=el)
                    out.append(space(self.L, index))
                keep = False
                after_heading = True
            elif isinstance(block, Figure):
                mark = self.element_mark()
                fig = self.figure(block, index, width, source)
                out.append(space(self.L * 0.5, index))
                inline = self.with_smaller(Chunk(fig.height, fig.parts, keep_before=keep,
                                                 article=index, kind="figure"))
                cols = min(int(self.spec.section("article")["photo_columns"]),
                           self.spec.columns)
                if cols > 1 and dx == 0 and abs(width - self.width) < 0.01 \
                        and not is_portrait(block):
                    # A landscape photo across columns where the page allows, as a pull
                    # quote is (layout/floats.py); within its column where it does not.
                    # Both settings are one structure element: only one is printed.
                    after, seen = self.element_mark(), len(self.images)
                    self.element_reset(mark)
                    wide = self.figure(block, index, cols * self.width
                                       + (cols - 1) * self.spec.gutter, source)
                    del self.images[seen:]
                    self.element_reset(after)
                    out.append(Chunk(0.0, (), article=index, kind="float",
                                     meta={"float": self.new_element(), "wide": wide,
                                           "inline": inline, "columns": cols}))
                else:
                    out.append(inline)
                keep = True
                after_heading = True
            elif isinstance(block, Rule):
                out.append(Chunk(self.L, (RulePart(width * 0.35, self.L / 2, width * 0.3, 0.5,
                                                   "rule"),), article=index, kind="rule"))
                after_heading = True

    def paragraph(self, par: Paragraph, index: int | None, source: str, out: list[Chunk],
                  keep_first: bool, dx: float, width: float, style_name: str, indent: float,
                  parent: int = 0, drop_cap: bool = False) -> None:
        role = par.role
        name = {"fulltext": "fulltext", "code": "code", "box": "box_body"}.get(role, style_name)
        st = style_of(self.spec, name)
        align = "left" if role in ("fulltext", "code") else "justify"
        if role == "box" or style_name == "box_body" or self.ragged:
            align = "left"
        if role == "fulltext":
            # The link belongs to the excerpt's last line: never separated by a break.
            # The space above it brings its smaller lines back onto the body's grid, so
            # no white is left under the link at the end of a column.
            lead_in = len(out)
            out.append(Chunk(self.L * 0.5, (), keep_before=True, article=index, kind="space"))
            keep_first = True
        el = self.new_element()
        cap = self.drop_cap(par, st, source, dx, Tag("P", el, parent)) if drop_cap else None
        if cap is not None:
            part, hang, runs, hung = cap
            lines = self.ts.set(runs, st, width, align=align, hang=(hung, hang)).lines
            if len(lines) < hung + 1:
                cap = None
        if cap is None:
            lines = self.set(par.runs, st, width, source, align, indent).lines
        delta = self.looseness.get(el, 0)
        # Body text set ragged (narrow columns) may be made a line longer too.
        ragged_body = self.ragged and role not in ("box", "fulltext", "code") and \
            style_name != "box_body" and cap is None
        if delta and align == "justify":
            runs, hang_ = (cap[2], (cap[3], cap[1])) if cap is not None else \
                (par.runs, (0, 0.0))
            varied = self.ts.set_in_lines(runs, st, width, lines=len(lines) + delta,
                                          indent=0.0 if cap is not None else indent,
                                          hang=hang_)
            if varied is not None:
                lines = varied.lines
        elif delta > 0 and ragged_body:
            varied = self.ts.set_ragged_in_lines(par.runs, st, width, lines=len(lines) + delta,
                                                 indent=indent)
            if varied is not None:
                lines = varied.lines
        n = len(lines)
        # What page make-up needs to break the paragraph again (no hyphen at a page foot).
        rebreak = ((cap[2], st, width, 0.0, (cap[3], cap[1]), dx, el, parent, cap[0])
                   if cap is not None else (par.runs, st, width, indent, (0, 0.0), dx, el,
                                            parent, None)) if align == "justify" else None
        # What page make-up needs to set a ragged paragraph a line longer.
        vary = (par.runs, st, width, indent) if ragged_body else None
        for k, line in enumerate(lines):
            p, _ = self.lines_parts((line,), st, dx, 0, align, Tag("P", el, parent))
            if cap is not None and k == 0:
                p.insert(0, cap[0])
            keep = (k == 0 and keep_first) or k == 1 or (k == n - 1 and n > 1) or (
                cap is not None and 2 <= k < cap[3]) or role == "fulltext" or line.joined
            out.append(Chunk(st.leading, tuple(p), keep_before=keep, article=index,
                             kind="body", lines=1, meta={"ratio": line.space_ratio(),
                                                         "hyphen": line.hyphenated,
                                                         "justified": line.justified,
                                                         "element": el, "k": k, "n": n,
                                                         "runt": n > 1 and k == n - 1
                                                         and line.is_runt(),
                                                         "rebreak": rebreak,
                                                         "vary": vary,
                                                         # source line, for the page map
                                                         "where": par.where}))
        if role == "fulltext":
            href = next((r.href for r in par.runs if r.href), None)
            size = parse_length(self.spec.section("article")["qr_code"]) or 0.0
            if href and size > 0:
                qr = self.qr_chunk(href, min(size, width), index)
                out.append(qr)
            used = self.L * 0.5 + n * st.leading
            out[lead_in] = dataclasses.replace(out[lead_in],
                                               height=self.grid(used) - n * st.leading)

    def without_hyphen_at(self, meta: dict) -> list[tuple[tuple[Part, ...], Line]] | None:
        """The parts of every line of a justified paragraph broken again so that line
        `meta["k"]` does not end in a hyphen, keeping its number of lines (so no chunk
        changes height and the page make-up stands); None if no such setting exists."""
        if not meta.get("rebreak") or not meta["hyphen"]:
            return None
        runs, st, width, indent, hang, dx, el, parent, cap = meta["rebreak"]
        result = self.ts.set_without_hyphen(runs, st, width, line=meta["k"], lines=meta["n"],
                                            indent=indent, hang=hang)
        if result is None:
            return None
        out = []
        for k, line in enumerate(result.lines):
            p, _ = self.lines_parts((line,), st, dx, 0, "justify", Tag("P", el, parent))
            if cap is not None and k == 0:
                p.insert(0, cap)
            out.append((tuple(p), line))
        return out

    def qr_chunk(self, url: str, size: float, index: int | None) -> Chunk:
        """A QR code for the full article's address, drawn as vector squares (sharp at any
        resolution, pure K in print) and kept with the link line above it."""
        matrix = _qr_matrix(url)
        top = self.L * 0.3
        # A code a hair too tall for whole body lines would push an empty line under it:
        # up to a tenth smaller, it fits the lines below it.
        fitted = math.floor((size + 2 * top) / self.L + 1e-6) * self.L - 2 * top
        if fitted >= 0.9 * size:
            size = fitted
        cell = size / len(matrix)
        parts: list[Part] = []
        for r, row in enumerate(matrix):
            c = 0
            while c < len(row):
                if row[c]:
                    start = c
                    while c < len(row) and row[c]:
                        c += 1
                    parts.append(RectPart(start * cell, top + r * cell, (c - start) * cell,
                                          cell, "text"))
                else:
                    c += 1
        return Chunk(self.grid(top + size + self.L * 0.3), tuple(parts), keep_before=True,
                     article=index, kind="figure")

    def drop_cap(self, par: Paragraph, st: Style, source: str, dx: float, tag: Tag
                 ) -> tuple[TextPart, float, tuple[Run, ...], int] | None:
        """A three-line initial in the display face, aligned to the first line's cap height
        and the third line's baseline; returns (cap part, hang width, remaining runs, lines
        set beside it: four when the letter's tail, a Q's, reaches the fourth line)."""
        if not par.runs:
            return None
        text = par.runs[0].text
        start = 0
        while start < len(text) and text[start] in "\"'“‘(":
            start += 1
        if start >= len(text) or not text[start].isalnum() or len(text) < start + 2:
            return None
        letter = text[: start + 1]
        rest = (Run(text[start + 1:], par.runs[0].italic, par.runs[0].bold, par.runs[0].code,
                    par.runs[0].href), *par.runs[1:])
        body_face = self.ts.fonts.face(st.face)
        cap_face_key = "display:regular"
        cap_face = self.ts.fonts.face(cap_face_key)
        body_cap = st.size * body_face.cap_height / 1000
        size = (2 * self.L + body_cap) / (cap_face.cap_height / 1000)
        cap_style = Style(cap_face_key, size, size, "accent")
        line = self.set((Run(letter),), cap_style, self.width, source, "left").lines[0]
        part = TextPart(line, dx, 2 * self.L + self.baseline(st), "left", tag)
        tail = glyph_depth(cap_face.path, letter[-1]) * size / 1000
        # The fourth line's capitals stand this far under the third baseline.
        hung = 4 if tail > self.L - body_cap - TAIL_CLEARANCE else 3
        return part, line.natural + st.size * 0.35, rest, hung

    def list_block(self, block: ListBlock, index: int | None, source: str, out: list[Chunk],
                   keep_first: bool, dx: float, width: float, parent: int,
                   style_name: str = "body") -> None:
        st = style_of(self.spec, style_name)  # a list in a box is set in the box's type
        hang = st.size * (1.8 if block.ordered else 1.2)
        if block.ordered:  # room for the widest number: "1998." must not print as "199"
            last = block.start + len(block.items) - 1
            face = self.ts.fonts.face(st.face)
            widest = max(face.width(f"{n}.", st.size) for n in (block.start, last))
            hang = max(hang, widest + st.size * 0.5)
        list_el = self.container("L", parent)
        for i, item in enumerate(block.items):
            label = self.digits(f"{block.start + i}.") if block.ordered else BULLET
            first = len(out)
            item_el = self.container("LI", list_el)
            label_el = self.new_element()  # the label comes first in the item
            body_el = self.container("LBody", item_el)
            self.blocks(list(item), index, source, out, keep_first and i == 0, dx + hang,
                        width - hang, style_name, parent=body_el)
            if len(out) > first:
                marker = self.set((Run(label),), st, hang, source, "left").lines[0]
                c = out[first]
                mk = TextPart(marker, dx, self.baseline(st), "left", Tag("Lbl", label_el, item_el))
                out[first] = Chunk(c.height, (mk, *c.parts), c.keep_before, c.discard, c.anchor,
                                   c.article, c.kind, c.lines, c.meta)

    def pullquote(self, block: Quote, index: int | None, source: str, width: float,
                  el: int) -> Chunk:
        st = style_of(self.spec, "pullquote")
        runs: list[Run] = []
        for b in block.blocks:
            if isinstance(b, Paragraph):
                runs.extend(b.runs)
        lines = self.set_balanced(tuple(runs), st, width - 8, source).lines
        # Rules above and below, half a line clear of the text around; what rounding up
        # to whole grid lines adds is shared above and below, so the quote sits centred.
        natural = self.L * 1.7 + len(lines) * st.leading
        height = self.grid(natural)
        pad = (height - natural) / 2
        parts: list[Part] = [RulePart(0, pad + self.L * 0.5, width, 1.2, "accent")]
        p, y = self.lines_parts(lines, st, 4, pad + self.L * 0.9, "left",
                                Tag("BlockQuote", el))
        parts += p
        parts.append(RulePart(0, y + self.L * 0.3, width, 1.2, "accent"))
        return Chunk(height, tuple(parts), article=index, kind="figure",
                     meta={"what": "pull quote", "where": block.where})

    def jump(self, chunks: list[Chunk], index: int, article: Article, lines: int
             ) -> tuple[list[Chunk], list[Chunk]]:
        """Split an article into its opening (about `lines` body lines, ending in "Continued
        on page N") and the rest (headed "Continued from page M"), to be set later."""
        body_seen = 0
        cut = None
        for k, c in enumerate(chunks):
            if c.kind == "body":
                body_seen += 1
            if body_seen >= lines and k + 1 < len(chunks) and not chunks[k + 1].keep_before \
                    and chunks[k + 1].kind == "body":
                cut = k + 1
                break
        if cut is None or sum(1 for c in chunks[cut:] if c.kind == "body") < 4:
            return chunks, []
        width = self.width
        st = style_of(self.spec, "byline")
        base = self.baseline(st) + (self.L - st.leading) / 2
        el = self.new_element()
        to_page = Chunk(self.L, (PageRef(f"jump-{index}", width, base, st, Tag("P", el),
                                         self.labels.continued_on, False, True),),
                        keep_before=True, article=index, kind="jump")
        title_st = style_of(self.spec, "subhead")
        head_el = self.new_element()
        title = self.set((Run(article.title),), title_st, width, str(article.where.path), "left")
        parts: list[Part] = [RulePart(0, self.L * 0.3, width, 0.6, "rule")]
        p, y = self.lines_parts(title.lines, title_st, 0, self.L * 0.5, "left", Tag("H2", head_el))
        parts += p
        parts.append(PageRef(f"article-{index}", 0.0, y + base, st, Tag("P", self.new_element()),
                             self.labels.continued_from, False, True, align_left=True))
        y += self.L
        head = Chunk(self.grid(y), tuple(parts), anchor=f"jump-{index}", article=index,
                     kind="head")
        rest = list(chunks[cut:])
        first = rest[0]
        rest[0] = Chunk(first.height, first.parts, True, first.discard, first.anchor,
                        first.article, first.kind, first.lines, first.meta)
        return list(chunks[:cut]) + [to_page], [space(self.L, index), head, *rest]

    # -- boxes and the contents ------------------------------------------------------------

    def box(self, box: Box, width: float) -> Chunk:
        pad = self.body.size
        inner = width - 2 * pad
        source = str(box.where.path)
        parts: list[Part] = []
        y = pad
        if box.title:
            st = style_of(self.spec, "box_title")
            lines = self.set((Run(box.title),), st, inner, source, "left").lines
            p, y = self.lines_parts(lines, st, pad, y, "left", Tag("H2", self.new_element()))
            parts += p
            y += st.leading * 0.25
        body: list[Chunk] = []
        self.blocks(list(box.blocks), None, source, body, False, pad, inner, "box_body")
        for c in body:
            if c.discard and not parts:
                continue
            for part in c.parts:
                parts.append(_shift(part, y))
            y += c.height
        y += pad * 0.7
        bg = self.spec.section("boxes")["background"]
        back = [RectPart(0, 0, width, y, bg)] if bg != "none" else []
        return Chunk(y, tuple(back + parts), kind="box", meta={"where": box.where})

    def contents(self, articles: tuple[Article, ...], width: float, max_height: float,
                 max_parts: int) -> list[Chunk]:
        """The "Inside this issue" box, in as many column-high parts as it needs (at most
        `max_parts`). When the entries do not all fit, they are set smaller (down to 70 %
        of their size) before any is left out; those that still do not fit are summed up
        in a last line that says on which page the first of them starts."""
        pad = self.body.size * 0.9
        est = style_of(self.spec, "contents_entry")
        # On a narrow column the entries are set smaller (down to 60 %) so that no word
        # of a title is cut between letters.
        est = self.fitting(est, " ".join(a.contents_title for a in articles),
                           width - 2 * pad - est.size * 2.2, "contents")
        for scale in CONTENTS_SCALES:
            st = dataclasses.replace(est, size=est.size * scale, leading=est.leading * scale)
            mark = self.element_mark()
            chunks, left_out = self._contents(articles, width, max_height, max_parts, st)
            if not left_out:
                return chunks
            self.element_reset(mark)
        for most in CONTENTS_ENTRY_LINES:
            # Still too long: long titles are shortened at a word, with an ellipsis, as an
            # editor would shorten them (a `toc_title` gives the editor's own).
            mark = self.element_mark()
            chunks, left_out = self._contents(articles, width, max_height, max_parts, st, most)
            if not left_out:
                return chunks
            self.element_reset(mark)
        return self._contents(articles, width, max_height, max_parts, st,
                              CONTENTS_ENTRY_LINES[-1])[0]

    def entry_lines(self, title: str, st: Style, measure: float, most: int | None
                    ) -> tuple[Line, ...]:
        """A contents entry's lines: at most `most`, the title cut at a word with "…"."""
        lines = self.set((Run(title),), st, measure, "contents", "left").lines
        words = title.split()
        while most is not None and len(lines) > most and len(words) > 1:
            words.pop()
            short = " ".join(words).rstrip(",;:–—-") + "\u2026"
            lines = self.set((Run(short),), st, measure, "contents", "left").lines
        return lines

    def _contents(self, articles: tuple[Article, ...], width: float, max_height: float,
                  max_parts: int, est: Style, most: int | None = None
                  ) -> tuple[list[Chunk], int]:
        spec = self.spec
        pad = self.body.size * 0.9
        inner = width - 2 * pad
        tst = style_of(spec, "contents_title")
        num_w = est.size * 2.2
        toc_el = self.container("TOC", 0)
        entries = []
        for i, a in enumerate(articles):
            lines = self.entry_lines(a.contents_title, est, inner - num_w, most)
            entries.append((i, lines, len(lines) * est.leading + est.leading * 0.2))
        more_h = est.leading * 1.2
        chunks: list[Chunk] = []
        parts: list[Part] = []
        y = pad
        heading = smart_text(translated(str(spec.section("contents")["title"]),
                                        Labels().contents, self.labels.contents), self.language)
        title = self.set((Run(heading),), tst, inner, "layout", "left")
        p, y = self.lines_parts(title.lines, tst, pad, y, "left", Tag("H2", self.new_element()))
        parts += p
        parts.append(RulePart(pad, y + 1, inner, 0.8, "accent"))
        y += est.leading * 0.45
        k = left_out = 0
        while k < len(entries):
            i, lines, h = entries[k]
            last_part = len(chunks) == max_parts - 1
            room = max_height - pad * 0.6 - (more_h if last_part and k < len(entries) - 1 else 0)
            if y + h > room and parts and y > pad * 2:
                if last_part:
                    # On paper the reader needs a page to turn to, not a PDF's bookmarks.
                    left_out = len(entries) - k
                    template = self.labels.more.format(n=self.digits(str(left_out)),
                                                       page="{page}")
                    parts.append(PageRef(f"article-{i}", pad, y + self.baseline(est), est,
                                         Tag("P", self.new_element(), toc_el), template,
                                         bold=False, link=True, align_left=True))
                    y += est.leading
                    break
                chunks.append(self._contents_chunk(parts, y + pad * 0.6, width))
                parts, y = [], pad
                continue
            top = y
            entry = self.new_element()
            p, y = self.lines_parts(lines, est, pad, y, "left", Tag("TOCI", entry, toc_el))
            parts += p
            parts.append(PageRef(f"article-{i}", pad + inner, top + (len(lines) - 1) * est.leading
                                 + self.baseline(est), est, Tag("TOCI", entry, toc_el)))
            parts.append(LinkPart(pad, top, inner, y - top, f"#article-{i}"))
            y += est.leading * 0.2
            k += 1
        chunks.append(self._contents_chunk(parts, y + pad * 0.6, width))
        return chunks, left_out

    def _contents_chunk(self, parts: list[Part], height: float, width: float) -> Chunk:
        height = self.grid(height)
        return Chunk(height, (RectPart(0, 0, width, height, "accent_light"), *parts),
                     kind="contents")


@functools.lru_cache(maxsize=256)
def _qr_matrix(url: str) -> list[list[bool]]:
    import qrcode  # only issues that print QR codes pay for the import

    code = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(iri_to_uri(url))
    code.make(fit=True)
    return code.get_matrix()


@dataclass(frozen=True, slots=True)
class PageRef:
    """Text with a page number, filled in once pages are known ("Continued on page 3").
    Its width never changes the layout: it is right-aligned at `right` or set from `left`."""

    anchor: str
    right: float
    baseline: float
    style: Style
    tag: Tag | None = None
    template: str = "{page}"
    bold: bool = True
    link: bool = False
    align_left: bool = False


def reframe(chunk: Chunk, height: float, grid: float, min_width: float = 0.0
            ) -> Chunk | None:
    """The photo chunk with its picture `height` tall, parts below it moved up or down.
    The frame keeps its width and the picture is cropped (centred) to the new shape,
    within the limits of its kind (a landscape from 2:1 to 1:1, a portrait from 1:1 to
    3:4): a photo is never narrowed into the middle of its column. None when no shape
    within those limits gives that height (`min_width` is kept for callers that ask for
    a floor; the width never changes)."""
    k, image = next(((k, p) for k, p in enumerate(chunk.parts) if isinstance(p, ImagePart)),
                    (None, None))
    if image is None or height <= 0:
        return None
    frame = image.dx * 2 + image.width  # the column (or span) the photo sits in
    width = image.width
    low, high = aspect_limits(*image.pixel_size)
    slack = 0.0 if high == PORTRAIT[1] else ASPECT_SLACK  # a portrait stays within 3:4-1:1
    if not low - slack <= height / width <= high + slack:
        return None
    pw, ph = image.pixel_size
    left, top, right, bottom = image.crop or (0, 0, pw, ph)
    sw, sh = right - left, bottom - top
    if height / width > sh / sw:  # taller than the source: crop the sides
        keep = max(1, round(sh * width / height))
        left += (sw - keep) // 2
        right = left + keep
    else:  # wider than the source: crop top and bottom
        keep = max(1, round(sw * height / width))
        top += (sh - keep) // 2
        bottom = top + keep
    crop = None if (left, top, right, bottom) == (0, 0, pw, ph) else (left, top, right, bottom)
    delta = height - image.height
    parts = list(chunk.parts)
    dx = (frame - width) / 2
    parts[k] = dataclasses.replace(image, dx=dx, width=width, height=height, crop=crop)
    caption = [n for n, part in enumerate(parts) if n != k and _below(part, image)
               and isinstance(part, TextPart) and abs(part.dx - image.dx) < 0.01]
    # The caption follows the photo's left edge when the photo is scaled into the middle
    # of its frame, if every line of it fits the photo's width.
    follow = bool(caption) and all(parts[n].line.natural <= width + 0.01 for n in caption)
    for n, part in enumerate(parts):
        if n != k and _below(part, image):
            parts[n] = _shift(part, delta)
            if follow and n in caption:
                parts[n] = dataclasses.replace(parts[n], dx=dx)
    new_height = math.ceil((chunk.height + delta) / grid - 1e-6) * grid
    return dataclasses.replace(chunk, parts=tuple(parts), height=new_height)


def _below(part, image: ImagePart) -> bool:
    top = part.baseline if isinstance(part, TextPart) else getattr(part, "dy", 0.0)
    return top >= image.dy + image.height - 0.01


def _shift(part, dy: float):
    from dataclasses import replace
    if isinstance(part, TextPart):
        return replace(part, baseline=part.baseline + dy)
    if isinstance(part, LinkPart | ImagePart | RectPart | RulePart):
        return replace(part, dy=part.dy + dy)
    return part


def opening_key(index: int) -> int:
    """The make-up decision "article `index` keeps `makeup.opening_lines` lines under its
    title", kept among the paragraph settings (negative: never an element)."""
    return -1 - index


def keep_opening(chunks: list[Chunk], lines: int) -> None:
    """Keep a title with the first `lines` lines of text under it (fewer when the article
    is shorter): an article never opens at a column's foot with just its title and a line
    or two, which reads as a stray heading."""
    head = next((k for k, c in enumerate(chunks) if c.kind == "head"), None)
    if head is None:
        return
    seen = 0
    for k in range(head + 1, len(chunks)):
        if seen >= lines:
            return
        if chunks[k].kind == "body":
            seen += 1
        if not chunks[k].keep_before:
            chunks[k] = dataclasses.replace(chunks[k], keep_before=True)


# A landscape (or square) photo may be shown from 2:1 to 1:1, a portrait from 1:1 to 3:4
# (height to width): cropping a portrait into a landscape strip, or a landscape into a
# portrait, loses what the photographer framed.
LANDSCAPE = (0.5, 1.0)
PORTRAIT = (1.0, 4 / 3)
ASPECT_SLACK = 0.06  # a landscape may be a little beyond, to end on the baseline grid


def aspect_limits(pw: int, ph: int) -> tuple[float, float]:
    """The lowest and highest height-to-width ratio a photo of these pixels is shown at."""
    return PORTRAIT if ph > pw * 1.02 else LANDSCAPE


def is_portrait(fig: Figure) -> bool:
    pw, ph = fig.pixel_size if fig.pixel_size != (0, 0) else (4, 3)
    return aspect_limits(pw, ph) is PORTRAIT


def _crop_to(pw: int, ph: int, aspect: float) -> tuple[int, int, int, int] | None:
    """The centred crop of a pw x ph picture to height/width `aspect` (None: as it is)."""
    if abs(ph / pw - aspect) < 1e-3:
        return None
    if ph / pw > aspect:  # taller than wanted: crop top and bottom
        keep = max(1, round(pw * aspect))
        top = (ph - keep) // 2
        return (0, top, pw, top + keep)
    keep = max(1, round(ph / aspect))  # wider than wanted: crop the sides
    left = (pw - keep) // 2
    return (left, 0, left + keep, ph)

