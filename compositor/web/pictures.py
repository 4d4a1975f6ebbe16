"""Pictures for the archive at several widths, for `srcset`: a phone downloads the small
one, a high-density screen the large one. JPEGs without metadata, so the same picture
gives the same bytes."""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

COVER_WIDTHS = (300, 600, 900)   # CSS width 300 at 1x, 2x, 3x
PHOTO_WIDTHS = (480, 960, 1440)  # a phone column, a desktop column, the latter at 2x


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    data: bytes


def _jpeg(image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, optimize=True, progressive=True)
    return out.getvalue()


def _rgb(image):
    from PIL import Image

    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, (255, 255, 255))
        flat.paste(image, mask=image.getchannel("A"))
        return flat
    return image.convert("RGB")


def scaled(image, widths: tuple[int, ...]) -> list[Rendition]:
    """The picture at each width no larger than its own (at least one: its own width)."""
    from PIL import Image

    image = _rgb(image)
    w, h = image.size
    chosen = [x for x in widths if x < w] + [min(w, widths[-1])]
    out = []
    for width in sorted(set(chosen)):
        height = max(1, round(h * width / w))
        small = image if width == w else image.resize((width, height), Image.LANCZOS)
        out.append(Rendition(width, height, _jpeg(small)))
    return out


def cover_renditions(pdf: Path, widths: tuple[int, ...] = COVER_WIDTHS) -> list[Rendition]:
    """Page 1 rendered once at the largest width and scaled down for the others."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        page = doc[0]
        image = page.render(scale=max(widths) / page.get_width()).to_pil()
        page.close()
    finally:
        doc.close()
    image = image.convert("RGB")
    if image.width != max(widths):  # rounding in the renderer
        from PIL import Image

        image = image.resize((max(widths), round(image.height * max(widths) / image.width)),
                             Image.LANCZOS)
    return scaled(image, widths)


def photo_renditions(path: Path) -> list[Rendition]:
    from PIL import Image, ImageOps

    with Image.open(path) as im:
        im.seek(0)
        image = ImageOps.exif_transpose(im)
        image.load()
    return scaled(image, PHOTO_WIDTHS)


def photo_stem(path: Path) -> str:
    """A file name for a photo's renditions: readable, and unique by its content."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    readable = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")[:40] or "photo"
    return f"{readable}-{digest}"


def srcset(folder: str, stem: str, renditions: list[Rendition]) -> str:
    return ", ".join(f"{folder}{stem}-{r.width}.jpg {r.width}w" for r in renditions)
