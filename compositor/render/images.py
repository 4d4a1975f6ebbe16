"""Preparing photos for a variant: CMYK through an ICC profile for print, downsampled sRGB
JPEG for the web. Results are cached per file, size and variant within a process."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageCms, ImageOps

from compositor import cache

ASSETS = Path(__file__).resolve().parent.parent / "icc"  # shipped inside the package


@lru_cache(maxsize=4)
def _transform(profile: str, source_mode: str):
    srgb = ImageCms.getOpenProfile(str(ASSETS / "sRGB.icc"))
    cmyk = ImageCms.getOpenProfile(profile)
    return ImageCms.buildTransform(srgb, cmyk, source_mode, "CMYK",
                                   renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)


def _flatten(im: Image.Image) -> tuple[Image.Image, Image.Image | None]:
    """Any mode (16-bit, palette, with alpha) -> (8-bit RGB or CMYK, alpha or None),
    orientation applied."""
    im = ImageOps.exif_transpose(im)
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        im = im.point(lambda v: v / 256).convert("L")
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        im = im.convert("RGBA")
        return im.convert("RGB"), im.getchannel("A")
    if im.mode == "CMYK":
        return im, None
    return im.convert("RGB"), None


@lru_cache(maxsize=64)
def prepare(path: Path, mtime: float, mode: str, target_px: tuple[int, int] | None,
            quality: int, profile: str | None,
            crop: tuple[int, int, int, int] | None = None,
            matte: tuple[int, ...] | None = None) -> bytes:
    """Encoded JPEG bytes for the page. mode: 'cmyk' or 'rgb'. Cached on disk by content."""
    try:
        stat = path.stat()
        key = cache.key_for("image", 1, str(path.resolve()), stat.st_size, stat.st_mtime_ns,
                            mode, target_px, quality, profile, crop, matte)
    except OSError:
        key = None
    if key and (hit := cache.get("images", key)) is not None:
        return hit
    data = _convert(path, mode, target_px, quality, profile, crop, matte)
    if key:
        cache.put("images", key, data)
    return data


def _convert(path: Path, mode: str, target_px: tuple[int, int] | None, quality: int,
             profile: str | None, crop: tuple[int, int, int, int] | None = None,
             matte: tuple[int, ...] | None = None) -> bytes:
    with Image.open(path) as src:
        if target_px and src.format == "JPEG" and crop is None:
            # Decode at a reduced scale straight from the DCT data when that is enough.
            src.draft(src.mode, (target_px[0], target_px[1]))
        im, alpha = _flatten(src)
    if crop is not None:
        im = im.crop(crop)
        alpha = alpha.crop(crop) if alpha is not None else None
    if target_px and (im.width > target_px[0] * 1.05):
        im = im.resize(target_px, Image.Resampling.LANCZOS, reducing_gap=3.0)
        alpha = alpha.resize(target_px, Image.Resampling.LANCZOS) if alpha is not None else None
    if mode == "cmyk":
        if im.mode != "CMYK":
            im = ImageCms.applyTransform(im, _transform(profile, "RGB")) if profile else \
                im.convert("CMYK")
    elif im.mode == "CMYK":
        im = im.convert("RGB")
    if alpha is not None:
        # Transparent parts take the colour the image sits on, composited in the output's
        # own colour space, so a logo on a coloured band shows no box in print or on screen.
        back = Image.new(im.mode, im.size, matte or ((0, 0, 0, 0) if im.mode == "CMYK"
                                                      else (255, 255, 255)))
        im = Image.composite(im, back, alpha)
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality, optimize=True, subsampling=0 if mode == "cmyk" else 2)
    return buf.getvalue()


def jpeg_size(jpeg: bytes) -> tuple[int, int]:
    """Pixel size from the JPEG's header (nothing is decoded)."""
    with Image.open(io.BytesIO(jpeg)) as im:
        return im.size


INK_PPI = 36  # the resolution total ink is judged at, as a preflight renders pages for it


@lru_cache(maxsize=256)
def photo_ink(jpeg: bytes, width_pt: float, height_pt: float) -> float:
    """Peak total ink (C+M+Y+K, percent) of a CMYK photo as printed, averaged over
    INK_PPI pixels the way a page rendered for an ink check averages it. Measured on the
    JPEG as stored (decoded at a reduced scale, which is quick), so no page needs to be
    rendered to know it."""
    from PIL import ImageMath

    size = (max(1, round(width_pt / 72 * INK_PPI)), max(1, round(height_pt / 72 * INK_PPI)))
    with Image.open(io.BytesIO(jpeg)) as im:
        im.draft(im.mode, size)
        im = im.convert("CMYK").resize(size, Image.Resampling.BOX)
    c, m, y, k = im.split()
    total = ImageMath.lambda_eval(lambda v: v["c"] + v["m"] + v["y"] + v["k"],
                                  c=c, m=m, y=y, k=k)
    return total.getextrema()[1] * 100 / 255
