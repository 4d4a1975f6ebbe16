"""What laying out an issue gives: its pages, each with what is placed on it, and what the
make-up found (anchors, holes, warnings, decisions)."""

from __future__ import annotations

from dataclasses import dataclass, field

from compositor.errors import Location
from compositor.layout.chunks import Chunk, Part
from compositor.layout.flow import Placed
from compositor.layout.pages import FlowResult
from compositor.load.layout import LayoutSpec
from compositor.model.content import Issue


@dataclass
class PageLayout:
    number: int
    placed: list[Placed] = field(default_factory=list)
    furniture: list[Part] = field(default_factory=list)  # page coordinates


@dataclass
class IssueLayout:
    spec: LayoutSpec
    issue: Issue
    pages: list[PageLayout]
    anchors: dict[str, int]  # anchor -> page number
    anchor_y: dict[str, float]  # anchor -> y from the page top
    warnings: list[tuple[Location, str]]
    flow: FlowResult
    chunks: list[Chunk]
    images: list  # (location, effective ppi, path) of every photo
    capacity: dict[int, float] = field(default_factory=dict)  # page -> full column height
    containers: dict[int, tuple[str, int]] = field(default_factory=dict)  # structure nesting
    holes: list[tuple[int, int, float]] = field(default_factory=list)  # page, column, lines
    notes: list[tuple[Location, str]] = field(default_factory=list)  # make-up decisions
    # paragraph or photo element -> lines added (+) or taken away (-) to close holes
    refits: dict[int, int] = field(default_factory=dict)
    boxes_page: int = 0  # the page of boxes alone after the text (`page: own`); 0: none
    # body lines the last page's text is short of a quarter of its columns (unfitted)
    thin_lines: float = 0.0
    spilled: bool = False  # text was held back from earlier pages for a thin last page
    # (page, column, article) of articles opening at a column's foot with too few lines
    foot_openings: list[tuple[int, int, int]] = field(default_factory=list)
    flow_pages: int = 0  # the page count the boxes were reserved for (a later pass's hint)
    off_grid: int = 0  # columns filled by fractions of a line, off the baseline grid
    end_spread: float = 0.0  # lines between the most and the least white on the last page
