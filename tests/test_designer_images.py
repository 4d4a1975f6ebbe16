"""Changed regions between two page images."""

from __future__ import annotations

from PIL import Image, ImageDraw

from compositor.designer.diff import changed_regions, mark


def _page(lines_per_column, size=(600, 850), ground="white"):
    """A page with three columns of 'text' (grey bars), `lines_per_column[c]` lines each,
    optionally with gaps (None) in them."""
    im = Image.new("RGB", size, ground)
    d = ImageDraw.Draw(im)
    for c, lines in enumerate(lines_per_column):
        x0 = 50 + c * 175
        for i, line in enumerate(lines):
            if line:
                y = 60 + i * 12
                d.rectangle((x0, y, x0 + 160, y + 6), fill=(60, 60, 60))
    return im


def test_two_separate_changes_are_two_regions():
    full = [[1] * 60] * 3
    old = _page(full)
    new = old.copy()
    d = ImageDraw.Draw(new)
    d.rectangle((60, 100, 120, 104), fill="white")  # a word gone near the top of column 1
    d.rectangle((420, 700, 500, 706), fill=(200, 0, 0))  # something new low in column 3
    regions = changed_regions(old, new)
    assert len(regions) == 2
    (a, b) = regions
    assert a[0] < 0.25 and a[1] < 0.15 and b[0] > 0.6 and b[1] > 0.75
    for x0, y0, x1, y1 in regions:
        assert 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1 and (x1 - x0) < 0.3
    assert changed_regions(old, old.copy()) == []
    assert changed_regions(old, old.resize((300, 425))) == [(0.0, 0.0, 1.0, 1.0)]
    marked = mark(new, regions)
    assert marked.getpixel((int(a[0] * 600) - 2, int(a[1] * 850) + 3))[0] > 200  # outline
