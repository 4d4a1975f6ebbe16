"""The two deliverables of a build, how each is rendered and finished, and the preflight
that every file passes before it replaces the previous one."""

from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from compositor import inputs
from compositor import outputs as guard
from compositor.build import Timings
from compositor.errors import Diagnostic, Location, UserError
from compositor.layout.compose import style_of
from compositor.layout.furniture import issue_line
from compositor.layout.result import IssueLayout
from compositor.layout.setting import typesetter
from compositor.load.layout import parse_length
from compositor.model.content import Run
from compositor.render.images import ASSETS
from compositor.render.pdf import RenderOptions, StructRecord, render


def build_date() -> dt.date:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def options_for(variant: str, layout: IssueLayout) -> RenderOptions:
    spec = layout.spec
    if variant == "print":
        p = spec.section("print")
        return RenderOptions(color_mode="cmyk", bleed=parse_length(p["bleed"]) or 0.0,
                             marks=bool(p["crop_marks"]),
                             mark_offset=parse_length(p["mark_offset"]) or 0.0,
                             slug=slug_lines(layout) if p["slug"] else (),
                             image_ppi=float(p["max_ppi"]) or None, jpeg_quality=92,
                             icc_profile=str(profile_path(p["profile"], spec.source)),
                             max_ink=float(p["max_ink"]),
                             tagged=False, links=False,
                             pdf_version=(1, 3) if p["standard"] == "PDF/X-1a" else (1, 6))
    w = spec.section("web")
    return RenderOptions(color_mode="rgb", image_ppi=float(w["image_ppi"]),
                         jpeg_quality=int(w["jpeg_quality"]), tagged=True, links=True)


def slug_lines(layout: IssueLayout) -> tuple:
    issue = layout.issue
    ts = typesetter(layout.spec, issue.language)
    st = style_of(layout.spec, "footer")
    st = type(st)(st.face, 6.0, 7.0, "text")
    n = len(layout.pages)
    parts = [issue.publication.name, issue_line(layout.spec, issue), issue.date_text]
    head = " · ".join(p for p in parts if p)
    return tuple(ts.set((Run(f"{head} · page {k} of {n} · built {build_date().isoformat()}"),),
                        st, layout.spec.page_width, align="left").lines[0]
                 for k in range(1, n + 1))


def profile_path(name: str, layout_source: Path) -> Path:
    for candidate in (layout_source.parent / name, ASSETS / name):
        if candidate.is_file():
            inputs.note(candidate)
            return candidate
    raise UserError.at(Location(layout_source), f"print.profile: ICC profile '{name}' not found "
                                                "next to the layout or in the shipped profiles")


def check_resolution(layout: IssueLayout, force: bool) -> list[Diagnostic]:
    """Effective resolution of every photo at its printed size, against the print limits."""
    p = layout.spec.section("print")
    out = []
    for where, ppi, path in layout.images:
        if ppi < p["min_ppi"]:
            out.append(Diagnostic(where, f"{path.name} prints at {ppi:.0f} ppi, below the "
                                         f"{p['min_ppi']} ppi minimum for print; use a larger "
                                         "image (or --force)", "warning" if force else "error"))
        elif ppi < p["warn_ppi"]:
            out.append(Diagnostic(where, f"{path.name} prints at {ppi:.0f} ppi; "
                                         f"{p['warn_ppi']} ppi is recommended for print",
                                  "warning"))
    return out


@dataclass
class _Made:
    """What making one group of variants left behind: temporary files ready to be renamed,
    messages to print in order, where the time went, and the error that stopped it."""

    staged: dict[str, tuple[Path, Path]] = field(default_factory=dict)  # variant -> tmp, final
    messages: list[str] = field(default_factory=list)
    steps: list[tuple[str, float]] = field(default_factory=list)
    error: list[Diagnostic] | None = None


def produce(layout: IssueLayout, outputs: dict[str, Path], timings: Timings,
            checks: str = "quick", force: bool = False,
            also: dict[str, tuple[Path, bytes]] | None = None) -> dict[str, Path]:
    """Render, finish and check every requested variant (`checks`: "quick", the build's
    own checks against what it drew; "full", the independent preflight; or "off"). Each
    file is written to a temporary name beside its target and renamed only once every
    file has passed; the files in `also` (the fit report) are published with them, all
    together or not at all (compositor/outputs.py).

    With two cores the web variant is made in a forked process while this one makes the
    print variant; the files are the same bytes as made one after the other, and the
    messages come out in the same order."""

    # The same guard for every caller (build, watch, site, check): never over an input,
    # a folder, a FIFO or a device, and SIGTERM leaves no temporary file behind.
    named = {f"{v} PDF": p for v, p in outputs.items()}
    guard.check_targets(named | {what: p for what, (p, _) in (also or {}).items()},
                          inputs.read())
    with guard.terminating_cleanly():
        return _produce(layout, outputs, timings, checks, force, also)


def _produce(layout: IssueLayout, outputs: dict[str, Path], timings: Timings, checks: str,
             force: bool, also: dict[str, tuple[Path, bytes]] | None) -> dict[str, Path]:
    from compositor import progress
    from compositor.finish import parallel

    if "print" in outputs:
        problems = check_resolution(layout, force)
        for d in problems:
            if d.severity == "warning":
                progress.clear()
                print(d, file=sys.stderr)
        if any(d.severity == "error" for d in problems):
            raise UserError([d for d in problems if d.severity == "error"])
    pages = len(layout.pages)
    if "print" in outputs and pages % 4 and "print-saddle" not in outputs:
        # Said here, not by the checks below: it then holds with any --preflight and -q.
        short = 4 - pages % 4
        progress.clear()
        print(f"{outputs['print']}: warning: {pages} pages is not a multiple of 4; a folded "
              f"or saddle-stitched issue needs {short} more (--impose saddle adds blank "
              "pages)", file=sys.stderr)
    groups = [{v: p for v, p in outputs.items() if v.startswith("print")},
              {v: p for v, p in outputs.items() if not v.startswith("print")}]
    groups = [g for g in groups if g]
    made: list[_Made] = []
    extra: list[tuple[Path, Path]] = []
    folders = guard.missing_folders([*outputs.values(), *(p for p, _ in (also or {}).values())])
    worker = None
    names = " and ".join(v for v in outputs if not v.endswith("saddle"))
    progress.stage(("rendering " if checks == "off" else "rendering and checking ") + names)
    try:
        if len(groups) > 1 and parallel.can_fork():
            worker = parallel.fork(lambda: _make(layout, groups[1], checks, force))
            made.append(_make(layout, groups[0], checks, force))
            made.append(worker.result())
            worker = None
        else:
            for group in groups:
                made.append(_make(layout, group, checks, force))
                if made[-1].error:
                    break
        progress.clear()
        for m in made:
            timings.details.extend(m.steps)
            for message in m.messages:
                print(message, file=sys.stderr)
            if m.error:
                raise UserError(m.error)
        for path, data in (also or {}).values():
            extra.append((guard.write_temporary(path, data), path))
        guard.commit([pair for m in made for pair in m.staged.values()] + extra)
        folders = []
    finally:
        if worker is not None and (m := worker.abandon()) is not None:
            made.append(m)
        guard.discard([pair for m in made for pair in m.staged.values()] + extra, folders)
    timings.mark("variants" + (" (in parallel)" if len(groups) > 1 and
                               parallel.can_fork() else ""))
    return {v: path for m in made for v, (_, path) in m.staged.items()}


def _make(layout: IssueLayout, outputs: dict[str, Path], checks: str, force: bool
          ) -> _Made:
    """Render, finish, write to a temporary file and check each variant of `outputs`
    (print, then its saddle imposition; or web). Stops at the first error; the temporary
    files made so far are left for the caller to publish or remove."""
    from compositor.finish.pdfx import finish_pdfx
    from compositor.finish.web import finish_web

    out = _Made()
    clock = Timings()
    print_data = None
    try:
        for variant, path in outputs.items():
            if variant == "print-saddle":
                from compositor.finish.impose import impose_saddle
                from compositor.load.locale import right_to_left
                rtl = right_to_left(layout.spec.section("page")["direction"],
                                    layout.issue.language)
                data, blanks = impose_saddle(print_data, right_bound=rtl)
                if blanks:
                    out.messages.append(
                        f"{path}: warning: {blanks} blank page(s) added to make "
                        f"{len(layout.pages) + blanks} pages, a multiple of 4 for "
                        "saddle stitching")
                out.staged[variant] = (_write_temporary(path, data), path)
                clock.mark("impose saddle")
                continue
            opts = options_for(variant, layout)
            data, record = render(layout, opts)
            clock.mark(f"render {variant}")
            if variant == "print":
                p = layout.spec.section("print")
                from compositor.load.locale import right_to_left
                data = finish_pdfx(data, p["standard"], Path(opts.icc_profile),
                                   str(p["output_condition"]), float(p["max_ink"]),
                                   right_to_left(layout.spec.section("page")["direction"],
                                                 layout.issue.language))
                print_data = data
            else:
                from compositor.load.locale import right_to_left
                data = finish_web(data, record, layout.issue.language, right_to_left(
                    layout.spec.section("page")["direction"], layout.issue.language))
            tmp = _write_temporary(path, data)
            out.staged[variant] = (tmp, path)
            clock.mark(f"finish {variant}")
            if checks != "off":
                run_checks(tmp, path, variant, checks, force, layout, record, out.messages)
                clock.mark(f"{'preflight' if checks == 'full' else 'check'} {variant}")
    except UserError as exc:
        out.error = exc.diagnostics
    except BaseException:
        for tmp, _ in out.staged.values():
            tmp.unlink(missing_ok=True)
        raise
    out.steps = clock.steps
    return out


def _write_temporary(path: Path, data: bytes) -> Path:
    return guard.write_temporary(path, data)


def _photos_hint(finding, layout: IssueLayout) -> str:
    """For an ink finding, the photo files on that page: the PDF only knows them by
    internal names, the user by file name."""
    if finding.obj != "ink coverage" or not finding.page or finding.page > len(layout.pages):
        return ""
    from compositor.layout.chunks import ImagePart
    page = layout.pages[finding.page - 1]
    parts = [p for placed in page.placed for p in placed.chunk.parts] + list(page.furniture)
    names = sorted({p.path.name for p in parts if isinstance(p, ImagePart)})
    return f" (photos on this page: {', '.join(names)})" if names else ""


def run_checks(tmp: Path, final: Path, variant: str, checks: str, force: bool,
               layout: IssueLayout, record: StructRecord, messages: list[str]) -> None:
    """Check a written file before it replaces the previous one: the quick check against
    what the renderer drew (and, for print, the text's distance from the trim, which the
    layout knows), or the full independent preflight."""
    p = layout.spec.section("print")
    if checks == "full":
        from compositor.preflight import preflight

        findings = preflight(tmp, variant, pdfx1a=p["standard"] == "PDF/X-1a",
                             tac_limit=float(p["max_ink"])) if variant == "print" \
            else preflight(tmp, variant)
    else:
        from compositor.finish.checks import text_near_trim
        from compositor.preflight.quick import Drawn, quick_check

        findings = quick_check(tmp, Drawn(
            profile=variant, pages=len(layout.pages), images=record.images,
            tac_limit=float(p["max_ink"]), min_ppi=float(p["min_ppi"]),
            warn_ppi=float(p["warn_ppi"]), pdfx1a=p["standard"] == "PDF/X-1a"))
        if variant == "print":
            findings = text_near_trim(layout) + findings
    errors = [f for f in findings if f.severity == "error"]
    for f in findings:
        if f.severity == "warning" and f.message.startswith("page count ") \
                and "not a multiple of 4" in f.message:
            continue  # the build has said so already (see _produce): once is enough
        if f.severity in ("error", "warning"):
            messages.append(f.format(str(final)) + _photos_hint(f, layout))
    if errors and not force:
        what = "preflight" if checks == "full" else "the build's checks"
        raise UserError([Diagnostic(Location(final), f"{what} found {len(errors)} error(s) "
                                    f"in the {variant} PDF; nothing was written (use --force "
                                    "to write it anyway, or --no-preflight)")])
