"""The starter issue's photos, drawn with Pillow so the template carries no photograph of
anyone's. Drawn from fixed shapes only: the same bytes on every run."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFilter


def _jpeg(im: Image.Image) -> bytes:
    buf = io.BytesIO()
    im.filter(ImageFilter.GaussianBlur(1.2)).save(buf, "JPEG", quality=88)
    return buf.getvalue()


def _sky(d: ImageDraw.ImageDraw, w: int, h: int) -> None:
    """Pale blue at the top to warm white at the horizon, over the top half."""
    for y in range(h // 2):
        t = y / (h / 2)
        d.line([(0, y), (w, y)], fill=(int(150 + 95 * t), int(190 + 55 * t), int(230 + 10 * t)))


def beds() -> bytes:
    """Raised beds under a morning sky."""
    w, h = 1800, 1200
    im = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(im)
    _sky(d, w, h)
    d.rectangle([0, h // 2, w, h], fill=(104, 84, 58))  # soil
    d.polygon([(0, h // 2), (w, h // 2 - 40), (w, h // 2 + 30), (0, h // 2 + 50)],
              fill=(86, 128, 70))  # hedge on the horizon
    for row in range(4):  # four rows of beds, nearer ones larger
        y0 = h // 2 + 70 + row * (90 + row * 55)
        depth = 60 + row * 40
        for k in range(-1, 6):
            x0 = k * (w // 5) + (row % 2) * 120 - row * 30
            x1 = x0 + w // 5 - 60
            d.rectangle([x0, y0, x1, y0 + depth], fill=(150, 112, 70), outline=(96, 70, 42),
                        width=6)
            for p in range(x0 + 30, x1 - 20, 46 + row * 10):  # seedlings
                r = 10 + row * 6
                d.ellipse([p - r, y0 + depth // 2 - r, p + r, y0 + depth // 2 + r],
                          fill=(70 + row * 12, 140 + row * 10, 60))
    return _jpeg(im)


def pond() -> bytes:
    """A small pond edged with stones, reeds at one end, iris in flower."""
    w, h = 1800, 1200
    im = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(im)
    _sky(d, w, h)
    d.rectangle([0, h // 2 - 60, w, h], fill=(92, 136, 72))  # grass
    d.polygon([(0, h // 2 - 60), (w, h // 2 - 110), (w, h // 2 - 30), (0, h // 2)],
              fill=(66, 104, 58))  # hedge behind
    d.ellipse([260, 620, 1540, 1080], fill=(128, 118, 104))  # stone edge
    d.ellipse([310, 660, 1490, 1040], fill=(52, 96, 118))  # water
    for k in range(9):  # reflections of the sky
        y = 700 + k * 36
        d.line([(520 + k * 20, y), (1100 - k * 25, y)], fill=(120, 170, 196), width=6)
    for k in range(26):  # stones round the rim
        x = 300 + (k * 97) % 1240
        y = 640 + (k * 53) % 60 if k % 2 else 1010 + (k * 37) % 50
        d.ellipse([x, y, x + 70, y + 44], fill=(168, 160, 146), outline=(110, 104, 94), width=3)
    for k in range(22):  # reeds and iris leaves at the shallow end
        x = 1300 + k * 14
        d.line([(x, 900), (x - 30 + (k % 5) * 14, 520 + (k * 29) % 160)],
               fill=(58, 110 + (k % 3) * 14, 52), width=9)
    for k in range(6):  # yellow flag in flower
        x, y = 1270 + k * 48, 520 + (k * 41) % 90
        d.ellipse([x, y, x + 40, y + 34], fill=(236, 200, 40))
    return _jpeg(im)
