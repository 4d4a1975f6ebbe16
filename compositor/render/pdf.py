"""IssueLayout -> PDF bytes with ReportLab's canvas.

ReportLab has no API for marked content, so the BDC/BMC/EMC operators are appended to the
canvas's and text object's operator lists (`_code`) directly; nothing else is written
behind ReportLab's back.

Each page is drawn in a fixed order (fills, rules, photos, text, links) so the output is
stable; text of a page goes into a single text object. Structure marks (BDC/EMC with
marked-content ids) are written around every tagged part so the web variant can carry a
structure tree, and page furniture is marked as an artifact.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass, field

from reportlab import rl_config
from reportlab.lib.colors import CMYKColor, CMYKColorSep
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from compositor.layout.chunks import ImagePart, LinkPart, Part, RectPart, RulePart, TextPart
from compositor.layout.furniture import issue_line
from compositor.layout.result import IssueLayout
from compositor.model.markdown import iri_to_uri
from compositor.render.images import jpeg_size, photo_ink, prepare
from compositor.text.fonts import FontBook
from compositor.text.paragraph import NO_SPACING
from compositor.text.shaping import Shaper, is_rtl_language, needs_shaping

# Binary streams: ASCII85 only makes files a quarter bigger and slower to write.
rl_config.useA85 = 0


@dataclass(frozen=True)
class RenderOptions:
    color_mode: str = "rgb"  # rgb | cmyk
    bleed: float = 0.0  # points beyond the trim on every side
    marks: bool = False  # crop marks outside the bleed
    mark_offset: float = 0.0  # space between trim and media edge, for the marks
    slug: tuple = ()  # per page, a set Line of production info outside the trim (print)
    image_ppi: float | None = None  # downsample to this resolution at printed size
    jpeg_quality: int = 85
    icc_profile: str | None = None  # CMYK profile for photo conversion
    max_ink: float | None = None  # total ink limit of CMYK photos, in percent
    tagged: bool = True
    links: bool = True
    pdf_version: tuple[int, int] = (1, 6)


@dataclass
class StructRecord:
    """What the finisher needs to build a structure tree: per page, marked-content ids with
    their role, element and parent ids, in reading order."""

    # per page: (mcid, role, element, parent element, alt text, reading-order position)
    pages: list[list[tuple[int, str, int, int, str, int]]] = field(default_factory=list)
    containers: dict[int, tuple[str, int]] = field(default_factory=dict)  # id -> role, parent
    # Every image drawn, for the build's own check of the file: (bytes of the stored JPEG,
    # pixel width, height) -> (source file name, peak total ink in percent for CMYK).
    images: dict[tuple[int, int, int], tuple[str, float | None]] = field(default_factory=dict)


def render(layout: IssueLayout, options: RenderOptions) -> tuple[bytes, StructRecord]:
    spec = layout.spec
    issue = layout.issue
    fonts = FontBook(spec.fonts)
    off = options.mark_offset
    media = (spec.page_width + 2 * off, spec.page_height + 2 * off)
    buf = io.BytesIO()
    body_face = fonts.face(spec.styles["body"].font)
    boxes = {}
    if off or options.bleed:
        b = options.bleed
        boxes = {"trimBox": (off, off, off + spec.page_width, off + spec.page_height),
                 "bleedBox": (off - b, off - b, off + spec.page_width + b,
                              off + spec.page_height + b)}
    canv = Canvas(buf, pagesize=media, initialFontName=body_face.name, **boxes,
                  initialFontSize=spec.styles["body"].size, pageCompression=1,
                  invariant=0 if os.environ.get("SOURCE_DATE_EPOCH") else 1,
                  pdfVersion=options.pdf_version, lang=issue.language)
    pub = issue.publication
    canv.setTitle(f"{pub.name} — {issue.date_text}")
    canv.setAuthor(pub.publisher or pub.name)
    canv.setSubject(", ".join(a.title for a in issue.articles)[:480] or pub.name)
    canv.setKeywords([pub.name, issue_line(spec, issue), issue.date_text])
    canv.setCreator("compositor")
    canv.setProducer("compositor (ReportLab)")
    record = StructRecord(containers=layout.containers)
    painter = _Painter(canv, layout, fonts, options, record)
    for page in layout.pages:
        painter.page(page)
        canv.showPage()
    if options.links:
        for i, article in enumerate(issue.articles):
            key = f"article-{i}"
            if key in layout.anchors:
                canv.addOutlineEntry(article.title, key, level=0)
        canv.showOutline()
    canv.save()
    return buf.getvalue(), record


class _Painter:
    def __init__(self, canv: Canvas, layout: IssueLayout, fonts: FontBook,
                 options: RenderOptions, record: StructRecord):
        self.canv = canv
        self.layout = layout
        self.fonts = fonts
        self.opt = options
        self.record = record
        self.colors = layout.spec.colors
        self.H = layout.spec.page_height
        self.off = options.mark_offset
        self._mcid = 0
        self._order: dict[int, int] = {}
        self.latin_lang = "en" if is_rtl_language(layout.issue.language) else ""
        # Shaped text is drawn as the typesetter measured it: HarfBuzz is told the
        # issue's language (Urdu digits, Persian letter forms).
        self.language = layout.issue.language

    # -- colour ------------------------------------------------------------------------------

    def _print_color(self, color):
        if color.spot:
            return CMYKColorSep(*color.as_cmyk(), spotName=pdf_name(color.spot), density=1)
        return CMYKColor(*color.as_cmyk())

    def fill(self, name: str, target=None) -> None:
        t = target or self.canv
        color = self.colors.get(name) or self.colors["text"]
        if self.opt.color_mode == "cmyk":
            t.setFillColor(self._print_color(color))
        else:
            t.setFillColorRGB(*color.as_rgb())

    def stroke(self, name: str) -> None:
        color = self.colors.get(name) or self.colors["text"]
        if self.opt.color_mode == "cmyk":
            self.canv.setStrokeColor(self._print_color(color))
        else:
            self.canv.setStrokeColorRGB(*color.as_rgb())

    # -- geometry: layout works from the page's top-left, PDF from the media's bottom-left ----

    def X(self, x: float) -> float:
        return x + self.off

    def Y(self, y: float) -> float:
        return self.H - y + self.off

    # -- marked content --------------------------------------------------------------------

    def begin_mark(self, code: list[str], tag, page_marks: list, part=None) -> None:
        if not self.opt.tagged or tag is None:
            return
        if tag.role == "Artifact":
            code.append("/Artifact <</Type /Pagination>> BDC")
            return
        mcid = self._mcid
        self._mcid += 1
        # Marks are numbered in drawing order (photos, then one text object); the reading
        # order is the order of the parts in the layout, recorded alongside.
        order = self._order.get(id(part), mcid)
        page_marks.append((mcid, tag.role, tag.element, tag.parent, "", order))
        code.append(f"/{pdf_role(tag.role)} <</MCID {mcid}>> BDC")

    def end_mark(self, code: list[str], tag) -> None:
        if self.opt.tagged and tag is not None:
            code.append("EMC")

    # -- a page ----------------------------------------------------------------------------

    def page(self, page) -> None:
        canv = self.canv
        self._mcid = 0
        marks: list = []
        self.record.pages.append(marks)
        all_parts: list[tuple[float, float, Part]] = []  # (x, y, part) in page coordinates
        for part in page.furniture:
            all_parts.append((0.0, 0.0, part))
        for placed in page.placed:
            for part in placed.chunk.parts:
                all_parts.append((placed.x, placed.y, part))
            if placed.chunk.anchor and self.opt.links:
                canv.bookmarkHorizontal(placed.chunk.anchor, self.X(placed.x),
                                        self.Y(placed.y) + 4)
        self._order = {id(p): k for k, (_, _, p) in enumerate(all_parts)}
        # Fills and rules are decoration: artifacts for assistive technology.
        deco = [(x, y, p) for x, y, p in all_parts if isinstance(p, RectPart | RulePart)]
        if deco and self.opt.tagged:
            canv._code.append("/Artifact BMC")
        for x, y, p in deco:
            if isinstance(p, RectPart):
                self.rect(x, y, p)
            else:
                self.rule(x, y, p)
        if deco and self.opt.tagged:
            canv._code.append("EMC")
        for x, y, p in all_parts:
            if isinstance(p, ImagePart):
                self.image(x, y, p, marks)
        texts = [(x, y, p) for x, y, p in all_parts if isinstance(p, TextPart)]
        if texts:
            self.text(texts, marks)
        if self.opt.marks:
            self.crop_marks()
        if self.opt.slug and page.number <= len(self.opt.slug):
            self.slug_line(self.opt.slug[page.number - 1])
        if self.opt.links:
            for x, y, p in all_parts:
                if isinstance(p, LinkPart):
                    rect = (self.X(x + p.dx), self.Y(y + p.dy + p.height),
                            self.X(x + p.dx + p.width), self.Y(y + p.dy))
                    if p.target.startswith("#"):
                        canv.linkRect("", p.target[1:], rect, thickness=0, relative=0)
                    else:
                        canv.linkURL(iri_to_uri(p.target), rect, thickness=0, relative=0)

    def crop_marks(self) -> None:
        """Trim marks at the four corners, starting outside the bleed so they never print
        on the finished page; drawn in registration colour (on every plate)."""
        canv = self.canv
        off, b = self.off, self.opt.bleed
        W, H = self.layout.spec.page_width, self.layout.spec.page_height
        start = b + 2.0
        end = max(start + 6.0, off - 2.0)
        if self.opt.color_mode == "cmyk":
            canv.setStrokeColorCMYK(1, 1, 1, 1)
        else:
            canv.setStrokeColorRGB(0, 0, 0)
        canv.setLineWidth(0.25)
        for x in (off, off + W):
            for y in (off, off + H):
                sx = -1 if x == off else 1
                sy = -1 if y == off else 1
                canv.line(x + sx * start, y, x + sx * end, y)
                canv.line(x, y + sy * start, x, y + sy * end)

    def slug_line(self, line) -> None:
        t = self.canv.beginText()
        t.setTextOrigin(self.off + 36.0, max(2.0, self.off - self.opt.bleed - 9.0))
        for frag in line.frags:
            face = self.fonts.face(frag.face)
            t.setFont(face.name, frag.size)
            self.fill("text", t)
            t.textOut(self.glyphs(face, frag) if frag.rtl else frag.text)
        self.canv.drawText(t)

    def rect(self, x: float, y: float, p: RectPart) -> None:
        x0, y0, x1, y1 = x + p.dx, y + p.dy, x + p.dx + p.width, y + p.dy + p.height
        # Anything touching the trim edge runs on into the bleed.
        b = self.opt.bleed
        W = self.layout.spec.page_width
        if x0 <= 0.01:
            x0 -= b
        if y0 <= 0.01:
            y0 -= b
        if x1 >= W - 0.01:
            x1 += b
        if y1 >= self.H - 0.01:
            y1 += b
        self.fill(p.color)
        self.canv.rect(self.X(x0), self.Y(y1), x1 - x0, y1 - y0, stroke=0, fill=1)

    def rule(self, x: float, y: float, p: RulePart) -> None:
        self.stroke(p.color)
        self.canv.setLineWidth(p.thickness)
        x0, y0 = x + p.dx, y + p.dy
        if p.vertical:
            self.canv.line(self.X(x0), self.Y(y0), self.X(x0), self.Y(y0 + p.length))
        else:
            self.canv.line(self.X(x0), self.Y(y0), self.X(x0 + p.length), self.Y(y0))

    def image(self, x: float, y: float, p: ImagePart, marks: list) -> None:
        opt = self.opt
        target = None
        if opt.image_ppi:
            tw = max(1, round(p.width / 72 * opt.image_ppi))
            th = max(1, round(p.height / 72 * opt.image_ppi))
            target = (tw, th)
        matte = self.colors.get(p.matte or "paper")
        if matte is None:
            matte_px = None
        elif opt.color_mode == "cmyk":
            matte_px = tuple(round(v * 255) for v in matte.as_cmyk())
        else:
            matte_px = tuple(round(v * 255) for v in matte.as_rgb())
        data = prepare(p.path, p.path.stat().st_mtime, opt.color_mode, target,
                       opt.jpeg_quality, opt.icc_profile, p.crop, matte_px, opt.max_ink)
        key = (len(data), *jpeg_size(data))
        if key not in self.record.images:
            ink = photo_ink(data, p.width, p.height) if opt.color_mode == "cmyk" else None
            self.record.images[key] = (p.path.name, ink)
        code = self.canv._code
        self.begin_mark(code, p.tag, marks, p)
        if p.tag is not None and marks:
            mcid, role, el, parent, _, order = marks[-1]
            marks[-1] = (mcid, role, el, parent, p.alt, order)
        self.canv.drawImage(_JpegReader(data), self.X(x + p.dx),
                            self.Y(y + p.dy + p.height), p.width, p.height)
        self.end_mark(code, p.tag)

    def glyphs(self, face, frag, track: float = 0.0, kashida: float = 0.0):
        """A right-to-left run as HarfBuzz shaped it, word by word, in visual order; word
        spaces stay spaces so justification (word spacing) applies to them. `track` is
        the line's letter spacing (points), taken back after every glyph of the run:
        joined letters must touch (the line's spacing counted no glyphs here).
        `kashida` is the share of its kashida room every word is lengthened by."""
        shaper = Shaper.for_path(face.path)
        words = frag.text.split(" ")
        lang = self.language
        if kashida > 0:
            shaped = [shaper.stretched(w, kashida * shaper.kashida_room(w, lang) * 1000.0,
                                       lang) if w else () for w in reversed(words)]
        else:
            shaped = [shaper.word(w, lang)[0] if w else () for w in reversed(words)]
        return pdfmetrics.getFont(face.name).glyph_string(shaped, track * 1000.0 / frag.size)

    def frags(self, t, frags, state: _TextState, share: float) -> None:
        """Draw a line's fragments from the text object's current point; `share` is the
        share of its kashida room every right-to-left word is lengthened by."""
        code = t._code
        for frag in frags:
            face = self.fonts.face(frag.face)
            if (face.name, frag.size) != state.font:
                t.setFont(face.name, frag.size)
                state.font = (face.name, frag.size)
            if frag.color != state.color:
                self.fill(frag.color, t)
                state.color = frag.color
            if frag.rtl:
                shaped = self.glyphs(face, frag, state.tc, share)
                if shaped.__shapeData__ and shaped.__shapeData__[0].y_offset:
                    # ReportLab sets the rise only after an operator of the run
                    # (it looks at the last one): make the font selection that.
                    t._curSubset = -1
                # What the run says, for extractors that read marked content
                # (poppler): marks and kashida strokes are glyphs of their own,
                # placed by offsets, and would otherwise come back as letters of
                # their own. Given in visual order, as the glyphs' own ToUnicode
                # texts are: the extractor reorders the line as a whole.
                code.append(f"/Span <</ActualText <{_actual_text(frag.text[::-1])}>>> "
                            "BDC")
                t.textOut(shaped)
                code.append("EMC")
            elif needs_shaping(frag.text):
                # Digits of the script in a number read left to right, but still take
                # the forms the language gives them (Urdu's own four, six and seven).
                shaper = Shaper.for_path(face.path)
                t.textOut(pdfmetrics.getFont(face.name).glyph_string(
                    [shaper.word(w, self.language, rtl=False)[0] if w else ()
                     for w in frag.text.split(" ")]))
            elif self.latin_lang and _LATIN.search(frag.text):
                # A Latin name or term in a right-to-left issue is read by a screen
                # reader's voice for English, not the issue's.
                code.append(f"/Span <</Lang ({self.latin_lang})>> BDC")
                t.textOut(frag.text)
                code.append("EMC")
            else:
                t.textOut(frag.text)

    def text(self, texts: list[tuple[float, float, TextPart]], marks: list) -> None:
        canv = self.canv
        t = canv.beginText()
        code = t._code
        state = _TextState()
        for x, y, part in texts:
            line = part.line
            lx = x + part.dx
            if part.align == "center":
                lx += (line.measure - line.natural) / 2
            elif part.align == "right":
                lx += line.measure - line.natural
            self.begin_mark(code, part.tag, marks, part)
            # A couplet side by side is drawn as its two halves, each justified.
            pieces = [(lx + dx, half, "justify") for dx, half in line.halves] \
                if line.halves else [(lx, line, part.align)]
            for px, piece, align in pieces:
                (ws, tc, h), kashida = piece._fill() if align == "justify" else (
                    NO_SPACING, 0.0)
                # Each word's share of its own kashida room (the fill over the room).
                share = kashida / piece.kashida if kashida > 0 else 0.0
                t.setTextOrigin(self.X(px), self.Y(y + part.baseline))
                if ws != state.ws:
                    t.setWordSpace(ws)
                    state.ws = ws
                if tc != state.tc:
                    t.setCharSpace(tc)
                    state.tc = tc
                if h != state.h:
                    t.setHorizScale(h * 100)
                    state.h = h
                self.frags(t, piece.frags, state, share)
            self.end_mark(code, part.tag)
        canv.drawText(t)


@dataclass
class _TextState:
    """What the text object has set, so an operator is written only when it changes."""

    font: tuple[str, float] | None = None
    color: str | None = None
    ws: float = 0.0
    tc: float = 0.0
    h: float = 1.0


class _JpegReader(ImageReader):
    """Hands a prepared JPEG to ReportLab as is. ReportLab names an image by hashing its
    decoded pixels; hashing the JPEG bytes instead gives the same stable name without
    decoding every photo again."""

    def __init__(self, data: bytes):
        super().__init__(io.BytesIO(data))
        self._jpeg = data
        self._dataA = None

    def getRGBData(self) -> bytes:  # noqa: N802 - ReportLab's name
        return self._jpeg


_LATIN = re.compile("[A-Za-z]")


def _actual_text(text: str) -> str:
    """A PDF text string in hex: UTF-16 with its byte order mark."""
    return "FEFF" + text.encode("utf-16-be").hex().upper()


def pdf_name(text: str) -> str:
    """A spot name as ReportLab needs it to write valid PDF: ReportLab escapes each
    character outside ASCII as one #xx byte, so handing it the UTF-8 bytes (as Latin-1
    characters) gives the UTF-8 name ISO 32000 7.3.5 asks for. ('/' and control
    characters, which it does not escape, are refused when the layout is read.)"""
    return text.encode("utf-8").decode("latin-1")


def pdf_role(role: str) -> str:
    return {"Title": "H1"}.get(role, role)  # Title is a PDF 2.0 type; PDF 1.x has H1
