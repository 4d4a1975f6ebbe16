"""The two deliverables of a build and how each is rendered and finished."""

from __future__ import annotations

from pathlib import Path

from compositor.build import Timings
from compositor.layout.issue import IssueLayout
from compositor.load.layout import parse_length
from compositor.render.images import ASSETS
from compositor.render.pdf import RenderOptions, render, write_atomic


def options_for(variant: str, layout: IssueLayout) -> RenderOptions:
    spec = layout.spec
    if variant == "print":
        p = spec.section("print")
        profile = _profile_path(p["profile"], spec.source)
        return RenderOptions(color_mode="cmyk", bleed=parse_length(p["bleed"]) or 0.0,
                             marks=bool(p["crop_marks"]),
                             mark_offset=parse_length(p["mark_offset"]) or 0.0,
                             image_ppi=None, jpeg_quality=92, icc_profile=str(profile),
                             tagged=False, links=False,
                             pdf_version=(1, 3) if p["standard"] == "PDF/X-1a" else (1, 6))
    w = spec.section("web")
    return RenderOptions(color_mode="rgb", image_ppi=float(w["image_ppi"]),
                         jpeg_quality=int(w["jpeg_quality"]), tagged=True, links=True)


def _profile_path(name: str, layout_source: Path) -> Path:
    for candidate in (layout_source.parent / name, ASSETS / name):
        if candidate.is_file():
            return candidate
    return ASSETS / name


def produce(layout: IssueLayout, outputs: dict[str, Path], timings: Timings,
            preflight: bool = True, force: bool = False) -> dict[str, Path]:
    """Render and finish every requested variant; write each file atomically."""
    written = {}
    for variant, path in outputs.items():
        opts = options_for(variant, layout)
        data, record = render(layout, opts)
        timings.mark(f"render {variant}")
        write_atomic(data, path)
        timings.mark(f"finish {variant}")
        written[variant] = path
    return written
