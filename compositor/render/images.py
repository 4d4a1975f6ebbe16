"""Preparing photos for a variant: CMYK through an ICC profile for print, downsampled sRGB
JPEG for the web. Results are cached per file, size and variant within a process."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageCms, ImageOps

from compositor import cache

ASSETS = Path(__file__).resolve().parent.parent.parent / "assets" / "icc"


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
    from PIL import ImageMath

    def ev(expression, **images):
        return ImageMath.lambda_eval(expression, **images)

    limit = max_ink * 255 / 100
    c, m, y, k = (b.convert("F") for b in im.split())
    total = ev(lambda v: v["c"] + v["m"] + v["y"] + v["k"], c=c, m=m, y=y, k=k)
    if total.getextrema()[1] <= limit:
        return im
    excess = ev(lambda v: v["max"](v["t"] - limit, 0.0), t=total)
    gray = ev(lambda v: v["min"](v["min"](v["c"], v["m"]), v["y"]), c=c, m=m, y=y)
    # GCR: x of each colour moves to black; x is at most half the excess, the gray, and
    # what black can still take.
    x = ev(lambda v: v["min"](v["min"](v["e"] / 2.0, v["g"]), 255.0 - v["k"]),
           e=excess, g=gray, k=k)
    c, m, y = (ev(lambda v: v["a"] - v["x"], a=a, x=x) for a in (c, m, y))
    k = ev(lambda v: v["k"] + v["x"], k=k, x=x)
    # UCR: what is still over comes off C, M and Y in proportion.
    rest = ev(lambda v: v["max"](v["e"] - 2.0 * v["x"], 0.0), e=excess, x=x)
    colour = ev(lambda v: v["max"](v["c"] + v["m"] + v["y"], 1.0), c=c, m=m, y=y)
    keep = ev(lambda v: v["max"](v["s"] - v["r"], 0.0) / v["s"], s=colour, r=rest)
    # Converting to 8 bits truncates: rounding never adds ink.
    bands = [ev(lambda v: v["a"] * v["f"], a=a, f=keep) for a in (c, m, y)] + [k]
    return Image.merge("CMYK", [b.convert("L") for b in bands])


@lru_cache(maxsize=64)
def prepare(path: Path, mtime: float, mode: str, target_px: tuple[int, int] | None,
            quality: int, profile: str | None,
            crop: tuple[int, int, int, int] | None = None,
            matte: tuple[int, ...] | None = None, max_ink: float | None = None) -> bytes:
    """Encoded JPEG bytes for the page. mode: 'cmyk' or 'rgb'; CMYK photos keep total ink
    within `max_ink` percent. Cached on disk by content."""
    try:
        stat = path.stat()
        key = cache.key_for("image", 3, str(path.resolve()), stat.st_size, stat.st_mtime_ns,
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
    if mode == "cmyk" and max_ink:
        return _jpeg_within_ink(im, quality, max_ink)
    return _jpeg(im, quality, 0 if mode == "cmyk" else 2)


def _jpeg(im: Image.Image, quality: int, subsampling: int) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality, optimize=True, subsampling=subsampling)
    return buf.getvalue()


def _jpeg_within_ink(im: Image.Image, quality: int, max_ink: float) -> bytes:
    """CMYK JPEG bytes whose decoded pixels stay within `max_ink`. Compression overshoots
    the limit near sharp edges by a few percent, so the encoded file is read back and,
    while it is over, the photo is limited again with a margin of what it overshot."""
    target = max_ink
    data = b""
    for _ in range(INK_TRIES):
        data = _jpeg(limit_ink(im, target), quality, 0)
        peak = total_ink(Image.open(io.BytesIO(data)))
        if peak <= max_ink:
            break
        target -= peak - max_ink + 0.5
    return data


def total_ink(im: Image.Image) -> float:
    """Highest C+M+Y+K of a CMYK image, in percent."""
    from PIL import ImageMath

    c, m, y, k = im.split()
    total = ImageMath.lambda_eval(lambda v: v["c"] + v["m"] + v["y"] + v["k"],
                                  c=c, m=m, y=y, k=k)
    return total.getextrema()[1] * 100 / 255
