"""Which pages of two PDFs differ, and where: pages are rendered and compared pixel by
pixel; changed pixels are gathered into rectangles a reader can find at a glance."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

CELL = 8  # pixels per grid cell when gathering changes into regions
MARK = (226, 0, 116)  # magenta: no page of a newsletter is likely to use it for rules


@dataclass
class PageDiff:
    page: int  # 1-based
    status: str  # "same" | "changed" | "added" | "removed"
    regions: list[tuple[float, float, float, float]] = field(default_factory=list)
    # regions as fractions of the page (x0, y0, x1, y1), top-left origin


def changed_regions(old: Image.Image, new: Image.Image, threshold: int = 16
                    ) -> list[tuple[float, float, float, float]]:
    """Rectangles (fractions of the page) around every group of changed pixels; [] when
    the pages look the same. Pages of different sizes differ as a whole."""
    if old.size != new.size:
        return [(0.0, 0.0, 1.0, 1.0)]
    delta = ImageChops.difference(old.convert("RGB"), new.convert("RGB")).convert("L")
    if delta.getbbox() is None:
        return []
    mask = delta.point(lambda v: 255 if v > threshold else 0)
    if mask.getbbox() is None:
        return []
    w, h = mask.size
    gw, gh = -(-w // CELL), -(-h // CELL)
    # A cell is changed when any pixel in it is; neighbours two cells apart join, so a
    # reflowed paragraph is one region rather than one per word.
    grid = mask.resize((gw, gh), Image.BOX, reducing_gap=None).point(lambda v: 255 if v else 0)
    grid = grid.filter(ImageFilter.MaxFilter(5))
    data = grid.tobytes()
    seen = bytearray(len(data))
    boxes = []
    for start, value in enumerate(data):
        if not value or seen[start]:
            continue
        stack = [start]
        seen[start] = 1
        x0, y0, x1, y1 = gw, gh, 0, 0
        while stack:
            i = stack.pop()
            x, y = i % gw, i // gw
            x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
            for j in (i - 1 if x else -1, i + 1 if x + 1 < gw else -1, i - gw, i + gw):
                if 0 <= j < len(data) and data[j] and not seen[j]:
                    seen[j] = 1
                    stack.append(j)
        # The dilation grew each region by two cells on every side; give one back.
        boxes.append((max(0, x0 + 1) * CELL / w, max(0, y0 + 1) * CELL / h,
                      min(w, (x1) * CELL) / w, min(h, (y1) * CELL) / h))
    return sorted(boxes, key=lambda b: (b[1], b[0]))


def mark(image: Image.Image, regions: list[tuple[float, float, float, float]],
         width: int = 3) -> Image.Image:
    """A copy of the page with each region outlined and lightly tinted."""
    out = image.convert("RGB").copy()
    tint = Image.new("RGBA", out.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(tint)
    for x0, y0, x1, y1 in regions:
        box = (x0 * out.width - width, y0 * out.height - width,
               x1 * out.width + width, y1 * out.height + width)
        draw.rectangle(box, fill=MARK + (28,), outline=MARK + (255,), width=width)
    return Image.alpha_composite(out.convert("RGBA"), tint).convert("RGB")


def compare(old_images: list[Image.Image], new_images: list[Image.Image]) -> list[PageDiff]:
    out = []
    for i in range(max(len(old_images), len(new_images))):
        if i >= len(old_images):
            out.append(PageDiff(i + 1, "added", [(0.0, 0.0, 1.0, 1.0)]))
        elif i >= len(new_images):
            out.append(PageDiff(i + 1, "removed", [(0.0, 0.0, 1.0, 1.0)]))
        else:
            regions = changed_regions(old_images[i], new_images[i])
            out.append(PageDiff(i + 1, "changed" if regions else "same", regions))
    return out


def side_by_side(old: Image.Image | None, new: Image.Image | None, diff: PageDiff
                 ) -> Image.Image:
    """OLD | NEW with the changed regions marked on both; a missing side stays blank."""
    from compositor.designer.pages import _label_font

    ref = new or old
    gap, head = 24, 30
    w, h = ref.width, ref.height
    sheet = Image.new("RGB", (2 * w + 3 * gap, h + head + gap), (226, 228, 232))
    draw = ImageDraw.Draw(sheet)
    font = _label_font(16)
    for n, (label, image) in enumerate((("old", old), ("new", new))):
        x = gap + n * (w + gap)
        draw.text((x, 6), f"page {diff.page} · {label}", fill=(40, 40, 46), font=font)
        if image is None:
            draw.rectangle((x, head, x + w - 1, head + h - 1), outline=(150, 150, 155))
            draw.text((x + 12, head + 12), "no such page", fill=(120, 120, 126), font=font)
            continue
        sheet.paste(mark(image, diff.regions) if diff.status == "changed" else image,
                    (x, head))
    return sheet


_PICTURE = re.compile(r"^page-\d{3,}\.png$")


def write_diff(old_pdf: Path, new_pdf: Path, out_dir: Path, dpi: float = 100
               ) -> tuple[list[PageDiff], dict[int, Path]]:
    """Compare two PDF files page by page (two pages in memory at a time, each within the
    pixel budget); write `page-NNN.png` for each page that differs, replacing only the
    pictures an earlier `diff` wrote here (compositor/outputs.py)."""
    from compositor.designer.pages import open_pdf, page_size, render_page
    from compositor.outputs import Transaction, check_page_pixels

    old_doc, new_doc = open_pdf(old_pdf), open_pdf(new_pdf)
    count = max(len(old_doc), len(new_doc))
    for path, doc in ((old_pdf, old_doc), (new_pdf, new_doc)):
        for i in range(len(doc)):
            check_page_pixels(path, i + 1, page_size(doc, i), dpi)
    diffs: list[PageDiff] = []
    written: dict[int, Path] = {}
    with Transaction("diff", out_dir, (old_pdf, new_pdf)) as tx:
        for n in range(1, count + 1):  # a file of the user's stops the run before any work
            tx.check(out_dir / f"page-{n:03d}.png", "page picture")
        for i in range(count):
            old = render_page(old_doc, i, dpi) if i < len(old_doc) else None
            new = render_page(new_doc, i, dpi) if i < len(new_doc) else None
            d = compare([old] if old else [], [new] if new else [])[0]
            d.page = i + 1
            diffs.append(d)
            if d.status != "same":
                path = out_dir / f"page-{d.page:03d}.png"
                tx.save_png(path, side_by_side(old, new, d), "page picture")
                written[d.page] = path
            del old, new
        names = {p.name for p in written.values()}
        for stale in tx.ledger.mine("diff"):  # pictures of an earlier comparison here
            if _PICTURE.match(stale.name) and stale.name not in names:
                tx.remove(stale)
        tx.commit()
    return diffs, written
