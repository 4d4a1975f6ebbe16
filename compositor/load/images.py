"""Checking image files before layout: readable, not hostile, and how many pixels they hold."""

from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from compositor import cache, inputs
from compositor.errors import Location, UserError

# Pillow warns from ~89 Mpx and refuses from ~179 Mpx; a newsletter photo never needs more
# than a few thousand pixels a side, so anything above this is refused outright.
MAX_PIXELS = 60_000_000
# Nor a side longer than this: 2.5 metres at 300 ppi. (JPEG, which every photo becomes in
# the PDF, cannot hold a side over 65,500 px at all.)
MAX_SIDE = 30_000


@lru_cache(maxsize=256)
def _probe(path: Path, mtime: float) -> tuple[int, int] | str:
    """Pixel size or a problem; a file already checked unchanged is not decoded again."""
    try:
        key = cache.key_for("probe", 2, str(path), path.stat().st_size, mtime)
    except OSError:
        key = None
    if key and (hit := cache.get("probe", key)) is not None:
        text = hit.decode("utf-8")
        if text.startswith("size:"):
            w, h = text[5:].split("x")
            return int(w), int(h)
        return text
    result = _decode(path)
    if key:
        cache.put("probe", key, (f"size:{result[0]}x{result[1]}" if isinstance(result, tuple)
                                 else result).encode("utf-8"))
    return result


def _decode(path: Path) -> tuple[int, int] | str:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                w, h = im.size
                if w * h > MAX_PIXELS:
                    return (f"image is too large ({w}×{h} px, {w * h / 1e6:.0f} Mpx); "
                            f"scale it below {MAX_PIXELS / 1e6:.0f} Mpx")
                if max(w, h) > MAX_SIDE:
                    return (f"image is {w:,}×{h:,} px; a side longer than {MAX_SIDE:,} px is "
                            "more than any page can print: crop or scale it (an image editor's "
                            "'Image size') below that")
                if im.format not in ("JPEG", "PNG", "TIFF", "GIF", "WEBP", "BMP"):
                    return f"unsupported image format {im.format}; use JPEG or PNG"
                im.load()  # reads every byte: a truncated file fails here, not at render
                return w, h
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return "image has too many pixels to be safe to open (decompression bomb?)"
    except UnidentifiedImageError:
        return "not an image Pillow can read (is it really a JPEG or PNG?)"
    except OSError as exc:
        return f"image is damaged or truncated: {exc}"
    except (ValueError, SyntaxError, MemoryError) as exc:
        return f"image cannot be decoded: {exc}"


def check_image(path: Path, where: Location) -> tuple[int, int]:
    """Pixel size of a usable image, or a user error naming the file that refers to it."""
    inputs.note(path)
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise UserError.at(where, f"image not found: {path}") from None
    except OSError as exc:
        raise UserError.at(where, f"cannot read image {path}: {exc.strerror}") from None
    if not path.is_file():
        raise UserError.at(where, f"image path is not a file: {path}")
    result = _probe(path.resolve(), mtime)
    if isinstance(result, str):
        raise UserError.at(where, f"{path.name}: {result}")
    if min(result) < 1:
        raise UserError.at(where, f"{path.name}: image is empty")
    return result
