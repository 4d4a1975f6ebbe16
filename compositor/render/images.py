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


INK_TRIES = 4  # encodings tried to bring a compressed photo within the ink limit


def limit_ink(im: Image.Image, max_ink: float) -> Image.Image:
    """A CMYK image with total ink (C+M+Y+K) at most `max_ink` percent.

    Gray component replacement first: where the total is too high, part of the gray that
    cyan, magenta and yellow make together is taken out of all three and printed with
    black instead (removing x of each and adding x of K lowers the total by 2x and keeps
    the tone). What black cannot take (it is already near solid) comes off the three
    colours in proportion (under colour removal). Pixels within the limit are untouched.
    """
    import numpy as np  # only print builds with photos pay for the import

    px = np.array(im, dtype=np.uint8)  # height x width x 4, a copy to change
    total = _channel_sum(px)
    over = total > int(max_ink * 255 / 100)
    if not over.any():
        return im
    # Only the pixels over the limit change; work on those alone.
    sel = px[over].astype(np.float32)
    c, m, y, k = sel[:, 0], sel[:, 1], sel[:, 2], sel[:, 3]
    excess = total[over] - max_ink * 255 / 100
    # GCR: x of each colour moves to black; x is at most half the excess, the gray, and
    # what black can still take.
    x = np.minimum(np.minimum(excess / 2, np.minimum(np.minimum(c, m), y)), 255 - k)
    sel[:, :3] -= x[:, None]
    sel[:, 3] += x
    # UCR: what is still over comes off C, M and Y in proportion.
    rest = np.maximum(excess - 2 * x, 0)
    colour = sel[:, :3].sum(axis=1)
    keep = np.where(colour > 0, np.maximum(colour - rest, 0) / np.maximum(colour, 1e-6), 1)
    sel[:, :3] *= keep[:, None]
    # Truncating to 8 bits never adds ink.
    px[over] = np.clip(sel, 0, 255).astype(np.uint8)
    return Image.fromarray(px, "CMYK")


@lru_cache(maxsize=64)
def prepare(path: Path, mtime: float, mode: str, target_px: tuple[int, int] | None,
            quality: int, profile: str | None,
            crop: tuple[int, int, int, int] | None = None,
            matte: tuple[int, ...] | None = None, max_ink: float | None = None) -> bytes:
    """Encoded JPEG bytes for the page. mode: 'cmyk' or 'rgb'; CMYK photos keep total ink
    within `max_ink` percent. Cached on disk by content."""
    try:
        stat = path.stat()
        key = cache.key_for("image", 5, str(path.resolve()), stat.st_size, stat.st_mtime_ns,
                            mode, target_px, quality, profile, crop, matte, max_ink)
    except OSError:
        key = None
    if key and (hit := cache.get("images", key)) is not None:
        return hit
    data = _convert(path, mode, target_px, quality, profile, crop, matte, max_ink)
    if key:
        cache.put("images", key, data)
    return data


def _convert(path: Path, mode: str, target_px: tuple[int, int] | None, quality: int,
             profile: str | None, crop: tuple[int, int, int, int] | None = None,
             matte: tuple[int, ...] | None = None, max_ink: float | None = None) -> bytes:
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
    converted = mode == "cmyk" and im.mode != "CMYK"
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
    if mode == "cmyk" and max_ink and converted:
        # Photos converted here are held to the printer's limit; a photo supplied in CMYK
        # is the designer's separation and goes to print as it is (the checks refuse it
        # when it is over the limit).
        return _jpeg_within_ink(im, quality, max_ink)
    return _jpeg(im, quality, 0 if mode == "cmyk" else 2)


JPEG_MAX_SIDE = 65_500  # the most a JPEG's side can hold


def _jpeg(im: Image.Image, quality: int, subsampling: int) -> bytes:
    if max(im.size) > JPEG_MAX_SIDE:
        # The loader refuses such images; one that got here is scaled rather than left to
        # fail inside the encoder.
        scale = JPEG_MAX_SIDE / max(im.size)
        im = im.resize((max(1, round(im.width * scale)), max(1, round(im.height * scale))),
                       Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality, optimize=True, subsampling=subsampling)
    return buf.getvalue()


def _jpeg_within_ink(im: Image.Image, quality: int, max_ink: float) -> bytes:
    """CMYK JPEG bytes whose decoded pixels stay within `max_ink`. Compression overshoots
    the limit near sharp edges by a few percent, so the encoded file is read back and,
    while it is over, the photo is limited again with a margin of what it overshot."""
    target = max_ink - 2.0
    data = b""
    for _ in range(INK_TRIES):
        data = _jpeg(limit_ink(im, target), quality, 0)
        peak = total_ink(Image.open(io.BytesIO(data)))
        if peak <= max_ink:
            break
        target -= (peak - max_ink) * 1.25 + 0.5
    return data


def total_ink(im: Image.Image) -> float:
    """Highest C+M+Y+K of a CMYK image, in percent."""
    import numpy as np

    return float(_channel_sum(np.asarray(im)).max()) * 100 / 255


def _channel_sum(px):
    """C+M+Y+K per pixel (adding the four planes is much faster than a sum over the
    short last axis)."""
    import numpy as np

    total = px[..., 0].astype(np.int16)
    for i in (1, 2, 3):
        total += px[..., i]
    return total


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
