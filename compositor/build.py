"""The whole pipeline for one manifest: load -> layout -> render -> finish -> write."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from compositor.errors import Diagnostic, Location, Report
from compositor.layout.makeup import forget_extents
from compositor.layout.planner import layout_issue
from compositor.layout.remembered import fit
from compositor.layout.result import IssueLayout
from compositor.load.layout import LayoutSpec, load_layout
from compositor.load.manifest import load_issue
from compositor.model.content import Issue
from compositor.model.persian import join_in_issue


@dataclass
class Timings:
    steps: list[tuple[str, float]] = field(default_factory=list)
    # Parts of the last step, which may have run side by side in two processes.
    details: list[tuple[str, float]] = field(default_factory=list)
    _t: float = field(default_factory=time.perf_counter)

    def mark(self, name: str) -> None:
        now = time.perf_counter()
        self.steps.append((name, now - self._t))
        self._t = now


@dataclass
class Loaded:
    issue: Issue
    spec: LayoutSpec
    report: Report


def load(manifest: Path) -> Loaded:
    """Stage 1 for `check` and `build`: everything validated, nothing laid out."""
    issue, report = load_issue(manifest)
    spec = load_layout(issue.layout_ref, issue.layout_where)
    if spec.section("text")["persian_spacing"]:
        issue, changes = join_in_issue(issue)
        for where, before, after in changes:
            report.diagnostics.append(Diagnostic(
                where, f"joined with a zero-width non-joiner: '{before}' -> '{after}'",
                "note"))
    return Loaded(issue, spec, report)


def lay_out(loaded: Loaded, optimal: bool | None = None, pages: int | None = None
            ) -> IssueLayout:
    """Lay the issue out; with `pages` (or `pages:` in the manifest) fit it to that count."""
    pages = pages or loaded.issue.pages
    if pages:
        # The decisions of an earlier build of the same content, when there was one.
        outcome = fit(loaded.issue, loaded.spec, pages, optimal)
        layout = outcome.layout
        for note in outcome.notes:
            loaded.report.diagnostics.append(
                Diagnostic(Location(loaded.issue.manifest), note, "note"))
    else:
        layout = layout_issue(loaded.issue, loaded.spec, optimal)
    forget_extents()  # what the passes of this build remembered of its chunks
    for where, message in layout.notes:
        loaded.report.diagnostics.append(Diagnostic(where, message, "note"))
    for where, message in layout.warnings:
        loaded.report.diagnostics.append(Diagnostic(where, message, "warning"))
    return layout


def default_output(manifest: Path, name: str, variant: str) -> Path:
    return manifest.resolve().parent / "build" / f"{name}-{variant}.pdf"

