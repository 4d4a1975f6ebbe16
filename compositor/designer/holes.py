"""Holes a reader would notice: blank stretches inside a column's text area, found on the
rendered page, so whatever caused them (a kept-together block, a photo that did not fit,
a short article) is caught the same way."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

MIN_LINES = 3.0  # a gap shorter than this is ordinary spacing (between articles, around a photo)


@dataclass(frozen=True)
class Hole:
    column: int  # 1-based
    left: float  # fractions of the page width and height
    top: float
    right: float
    bottom: float
    lines: float  # in body lines


def find_holes(image: Image.Image, spec, number: int, last: bool,
               bands: tuple[tuple[float, float], ...] = (), foot: float | None = None
               ) -> list[Hole]:
    """Blank runs of at least MIN_LINES body lines in each column of page `number`; on the
    last page the space under balanced columns is not a hole. `bands` are (top, bottom) in
    points of blocks set across the columns (a title with short lines leaves white beside
    it by design). `foot` is where the boxes at the foot of the page start, in points."""
    scale = image.width / spec.page_width
    leading = spec.styles["body"].leading
    left_hand = number % 2 == 0
    x0 = spec.margin_outside if left_hand else spec.margin_inside
    top, bottom = spec.margin_top, spec.page_height - spec.margin_bottom
    grey = image.convert("L").point(lambda v: 255 if v < 235 else 0)  # ink or tint
    holes = []
    for c in range(spec.columns):
        left = x0 + c * (spec.column_width + spec.gutter)
        # A few points in from each side: a column rule or a photo edge in the gutter
        # must not count as text in the column.
        box = (round((left + 3) * scale), round(top * scale),
               round((left + spec.column_width - 3) * scale), round(bottom * scale))
        strip = grey.crop(box)
        if strip.width <= 0 or strip.height <= 0:
            continue
        rows = bytearray(_inked_rows(strip))
        for band_top, band_bottom in bands:
            a = max(0, round(band_top * scale) - box[1])
            b = min(len(rows), round(band_bottom * scale) - box[1])
            rows[a:b] = b"\xff" * max(0, b - a)
        inked = [i for i, v in enumerate(rows) if v]
        x_left = round(left / spec.page_width, 4)
        x_right = round((left + spec.column_width) / spec.page_width, 4)
        if not inked:
            if not last:
                holes.append(Hole(c + 1, x_left, round(top / spec.page_height, 4), x_right,
                                  round(bottom / spec.page_height, 4),
                                  round((bottom - top) / leading, 1)))
            continue
        runs = [(a, b) for a, b in zip(inked, inked[1:], strict=False) if b - a > 1]
        if last and foot is not None:  # white above the boxes under balanced columns
            edge = round(foot * scale) - box[1]
            runs = [(a, b) for a, b in runs if abs(b - edge) > 2 * scale * leading]
        if not last:
            runs.append((inked[-1], len(rows)))
        for a, b in runs:
            lines = (b - a) / scale / leading
            if lines >= MIN_LINES:
                y0 = (box[1] + a) / image.height
                y1 = (box[1] + b) / image.height
                holes.append(Hole(c + 1, x_left, round(y0, 4), x_right, round(y1, 4),
                                  round(lines, 1)))
    return holes


def _inked_rows(mask: Image.Image) -> bytes:
    """One byte per row, non-zero where the row has any ink: box-averaging at most 128
    pixels at a time keeps a single inked pixel above zero (255 / 128 rounds to 2)."""
    while mask.width > 1:
        mask = mask.reduce((min(mask.width, 128), 1)).point(lambda v: 255 if v else 0)
    return mask.tobytes()
