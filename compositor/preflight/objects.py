"""Small, pure helpers on pikepdf objects, geometry and units shared by every check."""

from __future__ import annotations

from typing import Any

import pikepdf

PT_PER_MM = 72 / 25.4
BOX_TOLERANCE_PT = 0.01

Matrix = tuple[float, float, float, float, float, float]
Rect = tuple[float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _oneline(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def _is_dict(obj: Any) -> bool:
    return isinstance(obj, pikepdf.Dictionary | pikepdf.Stream)


def _name(obj: Any) -> str | None:
    if not isinstance(obj, pikepdf.Name):
        return None
    try:
        return str(obj)
    except UnicodeDecodeError:  # names are bytes; a producer may write non-UTF-8 ones
        return obj.unparse().decode("latin-1")


def _key(obj: Any) -> tuple[int, int] | None:
    """Identity of an indirect object; None for direct ones, which cannot loop."""
    try:
        objgen = obj.objgen
    except AttributeError:
        return None
    return None if objgen == (0, 0) else objgen


def _numbers(value: Any, count: int) -> tuple[float, ...] | None:
    try:
        nums = tuple(float(v) for v in value)
    except (TypeError, ValueError):
        return None
    return nums if len(nums) == count else None


def _rect(value: Any) -> Rect | None:
    nums = _numbers(value, 4) if value is not None else None
    if nums is None:
        return None
    x0, y0, x1, y1 = nums
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _inside(inner: Rect, outer: Rect) -> bool:
    tol = BOX_TOLERANCE_PT
    return (
        inner[0] >= outer[0] - tol
        and inner[1] >= outer[1] - tol
        and inner[2] <= outer[2] + tol
        and inner[3] <= outer[3] + tol
    )


def _mul(m1: Matrix, m2: Matrix) -> Matrix:
    """m1 × m2 in PDF row-vector convention (m1 applied first)."""
    a1, b1, c1, d1, e1, f1 = m1
    a2, b2, c2, d2, e2, f2 = m2
    return (
        a1 * a2 + b1 * c2,
        a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2,
        c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2,
        e1 * b2 + f1 * d2 + f2,
    )


def _invert(m: Matrix) -> Matrix | None:
    a, b, c, d, e, f = m
    det = a * d - b * c
    if abs(det) < 1e-12:
        return None
    return (d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _inherited(page: Any, key: str) -> Any:
    """Page attributes such as /Resources and /MediaBox may live on a parent /Pages node."""
    node = page
    for _ in range(64):  # bounded: a malformed /Parent chain can loop
        if not _is_dict(node):
            return None
        value = node.get(key)
        if value is not None:
            return value
        node = node.get("/Parent")
    return None


def _lookup(resources: Any, category: str, name: Any) -> Any:
    if not _is_dict(resources):
        return None
    table = resources.get(category)
    if not _is_dict(table):
        return None
    return table.get(str(name))


def _mm(points: float) -> str:
    return f"{points / PT_PER_MM:.1f} mm"


def _pages_text(pages: list[int]) -> str:
    return ", ".join(str(p) for p in pages)


def _filters(stream: Any) -> list[str]:
    value = stream.get("/Filter")
    if isinstance(value, pikepdf.Array):
        return [str(v) for v in value]
    return [str(value)] if value is not None else []


def _positive_number(value: Any, default: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if number > 0 else default


def _nonempty_text(value: Any) -> bool:
    return value is not None and bool(str(value).strip())


# --------------------------------------------------------------------------
# Bounded reading: a few kilobytes of Flate data can inflate to gigabytes, so no
# stream is decoded without knowing first that it fits.

MAX_STREAM_BYTES = 64 * 1024 * 1024  # one decoded stream (content, ICC profile, XMP)
_FLATE = ("/FlateDecode", "/Fl")


class TooLarge(Exception):
    """A stream or a page exceeds what preflight is willing to decode or interpret."""


def _inflate(raw: bytes, limit: int, keep: bool) -> tuple[int, bytes]:
    """Inflate zlib data chunk by chunk, stopping past ``limit`` bytes of output."""
    import zlib

    inflater = zlib.decompressobj()
    out: list[bytes] = []
    total = 0
    pending = raw
    while pending:
        try:
            chunk = inflater.decompress(pending, 1 << 20)
        except zlib.error:
            break  # damaged data: qpdf decides below what it can recover
        total += len(chunk)
        if total > limit:
            raise TooLarge(f"stream inflates to more than {limit // (1024 * 1024)} MB")
        if keep:
            out.append(chunk)
        pending = inflater.unconsumed_tail
        if inflater.eof:
            break
    return total, b"".join(out)


def read_bounded(stream: Any, limit: int = MAX_STREAM_BYTES) -> bytes:
    """Decoded stream data, or TooLarge when it would exceed ``limit`` bytes."""
    filters = _filters(stream)
    if filters and filters[0] in _FLATE:
        # Measure the inflated size without keeping it; the real decoding (with
        # predictors and later filters) is then left to qpdf.
        _inflate(stream.read_raw_bytes(), limit, keep=False)
    data = stream.read_bytes()
    if len(data) > limit:
        raise TooLarge(f"stream decodes to more than {limit // (1024 * 1024)} MB")
    return data


def read_head(stream: Any, count: int) -> bytes:
    """The first ``count`` decoded bytes (headers of ICC profiles), without inflating the rest."""
    filters = _filters(stream)
    if len(filters) == 1 and filters[0] in _FLATE and _is_dict(stream) and \
            stream.get("/DecodeParms") is None:
        import zlib

        try:
            return zlib.decompressobj().decompress(stream.read_raw_bytes(), count)
        except zlib.error:
            return b""
    return read_bounded(stream)[:count]
