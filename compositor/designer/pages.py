"""PDF pages as images (pypdfium2), page selections such as `1,4-5`, contact sheets, and
fingerprints that tell which pages of a rebuilt PDF can possibly look different."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from compositor.errors import Location, UserError


def parse_pages(text: str) -> list[int]:
    """`1,4-5` -> [1, 4, 5] (1-based, sorted, no repeats). ValueError on anything else, so
    argparse reports it as a command-line mistake."""
    out: set[int] = set()
    for part in text.split(","):
        part = part.strip()
        if not part:
            raise ValueError(text)
        first, _, last = part.partition("-")
        a = int(first)
        b = int(last) if last else a
        if a < 1 or b < a:
            raise ValueError(text)
        out.update(range(a, b + 1))
    return sorted(out)


def open_pdf(source: bytes | Path, where: Location | None = None):
    """A pypdfium2 document; a file that is not a readable PDF is the user's error."""
    import pypdfium2 as pdfium

    try:
        data = source.read_bytes() if isinstance(source, Path) else source
    except FileNotFoundError:
        raise UserError.at(where or Location(source), f"file not found: {source}") from None
    except IsADirectoryError:
        raise UserError.at(where or Location(source),
                           f"expected a PDF file but found a folder: {source}") from None
    except OSError as exc:
        raise UserError.at(where or Location(source), f"cannot read: {exc.strerror}") from None
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        name = source if isinstance(source, Path) else "the PDF"
        raise UserError.at(where or Location(Path(str(name))),
                           f"not a PDF that can be read ({exc})") from None


def render_page(doc, index: int, dpi: float) -> Image.Image:
    """One page (0-based) as an RGB image at `dpi`; annotations (link borders) are left out,
    as a reader sees the printed page."""
    page = doc[index]
    try:
        bitmap = page.render(scale=dpi / 72.0, draw_annots=False)
        return bitmap.to_pil().convert("RGB")
    finally:
        page.close()


def page_text(doc, index: int) -> str:
    page = doc[index]
    try:
        text = page.get_textpage()
        try:
            return text.get_text_bounded()
        finally:
            text.close()
    finally:
        page.close()


def screen_bytes(image: Image.Image) -> bytes:
    """A page for the live preview: JPEG at quality 92 without chroma subsampling keeps
    type crisp on screen and encodes in a seventh of the time of the fastest PNG (15 ms
    against 110 ms for an A4 page at 110 dpi), which the save-to-preview time needs."""
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=92, subsampling=0)
    return buf.getvalue()


def fingerprints(data: bytes, shared: bytes = b"") -> list[str]:
    """A digest per page of what draws it: its content streams and the images and forms it
    uses, plus `shared`, which stands for what all pages share (the caller passes the
    layout and the font files; a change there changes every digest). Pages whose digest did
    not change between two builds look the same and need not be rendered again. Fonts are
    not read from the PDF: a subset that grows keeps the codes of the glyphs it had, and
    glyphs that move change the content streams that use them."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        out = []
        for page in pdf.pages:
            h = hashlib.sha256(shared)
            contents = page.obj.get("/Contents")
            streams = contents if isinstance(contents, pikepdf.Array) else [contents]
            for s in streams:
                if s is not None:
                    h.update(s.read_raw_bytes())
            res = page.obj.get("/Resources")
            xobjects = res.get("/XObject") if res is not None else None
            if xobjects is not None:
                for name in sorted(xobjects.keys()):
                    h.update(name.encode())
                    h.update(xobjects[name].read_raw_bytes())
            fonts = res.get("/Font") if res is not None else None
            if fonts is not None:
                for name in sorted(fonts.keys()):
                    h.update(f"{name}={fonts[name].get('/BaseFont')}".encode())
            h.update(repr(tuple(float(v) for v in page.mediabox)).encode())
            out.append(h.hexdigest()[:20])
        return out


def spreads(count: int) -> list[tuple[int | None, int | None]]:
    """Pages as a reader sees them open: page 1 alone on the right, then 2-3, 4-5, ...;
    the last page alone on the left when the count is even."""
    out: list[tuple[int | None, int | None]] = [(None, 1)] if count else []
    for left in range(2, count + 1, 2):
        out.append((left, left + 1 if left + 1 <= count else None))
    return out


SHEET_PIXELS = 60_000_000  # a contact sheet beyond this would not open in a viewer either
SHEET_GAP, SHEET_PAD, SHEET_LABEL = 36, 28, 22
# Pages on the contact sheet at half the resolution of the page images: at the default
# 110 dpi an A4 page is 643 pixels high there, large enough to read the headlines.
SHEET_SCALE = 0.5


def sheet_page_height(first_size: tuple[float, float], dpi: float) -> int:
    """Pixel height of a page on the contact sheet: it follows --dpi."""
    return max(60, round(first_size[1] / 72 * dpi * SHEET_SCALE))


class SheetBuilder:
    """A contact sheet filled one page at a time, so that only the sheet and one page are
    in memory however many pages there are. Pages are added in increasing order."""

    def __init__(self, numbers: Sequence[int], first_size: tuple[float, float],
                 where: Path, page_height: int = 360):
        self.numbers = set(numbers)
        self.page_height = page_height
        # Page numbers grow with the pages, in a band under each row that fits them.
        self.label_size = max(14, round(page_height / 26))
        self.label_band = max(SHEET_LABEL, self.label_size + 8)
        count = max(self.numbers) if self.numbers else 0
        rows = [(a, b) for a, b in spreads(count) if a in self.numbers or b in self.numbers]
        per_row = 2  # spreads per row: a sheet that is wider than tall reads best on screen
        self.grid = [rows[i:i + per_row] for i in range(0, len(rows), per_row)]
        self.per_row = per_row
        self.image: Image.Image | None = None
        self.width = 0
        guess = round(first_size[0] * page_height / max(1.0, first_size[1]))
        w, h = self._size(max(1, guess))
        if w * h > SHEET_PIXELS:
            raise UserError.at(Location(where), f"a contact sheet of {len(self.numbers)} pages "
                                                f"would be {w} × {h} pixels, more than "
                                                f"{SHEET_PIXELS // 1_000_000} million; leave "
                                                "out --sheet or choose fewer --pages")

    def _size(self, width: int) -> tuple[int, int]:
        rows = len(self.grid)
        return (SHEET_PAD * 2 + self.per_row * 2 * width + (self.per_row - 1) * SHEET_GAP,
                SHEET_PAD * 2 + rows * (self.page_height + self.label_band)
                + (rows - 1) * SHEET_GAP)

    def add(self, number: int, page: Image.Image) -> None:
        if self.image is None:
            self.width = round(page.width * self.page_height / page.height)
            self.image = Image.new("RGB", self._size(self.width), (226, 228, 232))
            self.font = _label_font(self.label_size)
        draw = ImageDraw.Draw(self.image)
        width, height = self.width, self.page_height
        for r, row in enumerate(self.grid):
            y = SHEET_PAD + r * (height + self.label_band + SHEET_GAP)
            for s, (left, right) in enumerate(row):
                x = SHEET_PAD + s * (2 * width + SHEET_GAP)
                for offset, n in ((0, left), (width, right)):
                    if n != number:
                        continue
                    thumb = page.resize((width, height), Image.LANCZOS)
                    self.image.paste(thumb, (x + offset, y))
                    draw.rectangle((x + offset, y, x + offset + width - 1, y + height - 1),
                                   outline=(150, 150, 155))
                    text = str(n)
                    tw = draw.textlength(text, font=self.font)
                    draw.text((x + offset + (width - tw) / 2, y + height + 4), text,
                              fill=(60, 60, 66), font=self.font)


def contact_sheet(images: Sequence[Image.Image], numbers: Iterable[int],
                  page_height: int = 360) -> Image.Image:
    """All pages as spreads on one image, numbered, on a light grey ground."""
    by_number = dict(zip(numbers, images, strict=True))
    first = by_number[min(by_number)]
    sheet = SheetBuilder(sorted(by_number), first.size, Path("sheet"), page_height)
    for n in sorted(by_number):
        sheet.add(n, by_number[n])
    return sheet.image


def page_size(doc, index: int) -> tuple[float, float]:
    """A page's width and height in points, without rendering it."""
    page = doc[index]
    try:
        return page.get_size()
    finally:
        page.close()


def _label_font(size: int):
    from compositor.load.layout import FONT_DIR

    path = FONT_DIR / "NotoSans-Regular.ttf"
    try:
        return ImageFont.truetype(str(path), size)
    except OSError:
        return ImageFont.load_default()
