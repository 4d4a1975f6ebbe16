"""Variants of a layout that the make-up may choose instead of the one the designer wrote:
the same layout with its body leading, or its photos' span, changed. Each is a whole
LayoutSpec, so a layout pass needs nothing else to lay the issue out with it."""

from __future__ import annotations

from dataclasses import replace

from compositor.load.layout import LayoutSpec


def with_photo_columns(spec: LayoutSpec, columns: int) -> LayoutSpec:
    """The layout with landscape photos in the text set across `columns` columns."""
    return _with_article_key(spec, "photo_columns", columns)


def with_leading(spec: LayoutSpec, leading: float) -> LayoutSpec:
    """The layout with body leading (and every style on the body's grid) set to `leading`."""
    body = spec.styles["body"].leading
    styles = {name: replace(st, leading=round(leading, 2)) if st.leading == body else st
              for name, st in spec.styles.items()}
    return replace(spec, styles=styles)


def with_title_lines(spec: LayoutSpec, lines: int) -> LayoutSpec:
    """The layout with titles longer than `lines` lines in their column set smaller."""
    return _with_article_key(spec, "title_lines", lines)


def _with_article_key(spec: LayoutSpec, key: str, value: object) -> LayoutSpec:
    return replace(spec, raw={**spec.raw, "article": {**spec.raw["article"], key: value}})
