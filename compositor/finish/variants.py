"""The two deliverables of a build, how each is rendered and finished, and the preflight
that every file passes before it replaces the previous one."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

from compositor import inputs
from compositor.build import Timings
from compositor.errors import Diagnostic, Location, UserError
from compositor.layout.compose import style_of
from compositor.layout.issue import IssueLayout, typesetter
from compositor.load.layout import parse_length
from compositor.model.content import Run
from compositor.publish import Staging
from compositor.render.images import ASSETS
from compositor.render.pdf import RenderOptions, render


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
    parts = [issue.publication.name, issue.issue_line, issue.date_text]
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
                                                "next to the layout or in assets/icc")


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


def produce(layout: IssueLayout, outputs: dict[str, Path], timings: Timings,
            preflight: bool = True, force: bool = False,
            also: dict[str, tuple[Path, bytes]] | None = None) -> dict[str, Path]:
    """Render, finish and preflight every requested variant. Each file is written to a
    temporary name beside its target; all of them (with the files in ``also``, such as
    the fit report) are renamed into place together, only once every one has passed."""
    from compositor.finish.pdfx import finish_pdfx
    from compositor.finish.web import finish_web

    if "print" in outputs:
        problems = check_resolution(layout, force)
        for d in problems:
            if d.severity == "warning":
                print(d, file=sys.stderr)
        if any(d.severity == "error" for d in problems):
            raise UserError([d for d in problems if d.severity == "error"])
    staged: dict[str, tuple[Path, Path]] = {}
    staging = Staging()
    print_data = None
    try:
        for variant, path in outputs.items():
            if variant == "print-saddle":
                from compositor.finish.impose import impose_saddle
                data, blanks = impose_saddle(print_data)
                if blanks:
                    print(f"{path}: warning: {blanks} blank page(s) added to make "
                          f"{len(layout.pages) + blanks} pages, a multiple of 4 for "
                          "saddle stitching", file=sys.stderr)
                staged[variant] = (staging.write(path, data), path)
                timings.mark("impose saddle")
                continue
            opts = options_for(variant, layout)
            data, record = render(layout, opts)
            timings.mark(f"render {variant}")
            if variant == "print":
                p = layout.spec.section("print")
                data = finish_pdfx(data, p["standard"], Path(opts.icc_profile),
                                   str(p["output_condition"]))
                print_data = data
            else:
                data = finish_web(data, record, layout.issue.language)
            tmp = staging.write(path, data)
            staged[variant] = (tmp, path)
            timings.mark(f"finish {variant}")
            if preflight:
                run_preflight(tmp, path, variant, force, layout)
                timings.mark(f"preflight {variant}")
        for name, (path, data) in (also or {}).items():
            staged[name] = (staging.write(path, data), path)
        staging.commit()
    finally:
        staging.discard()
    return {v: path for v, (_, path) in staged.items()}


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


def run_preflight(tmp: Path, final: Path, variant: str, force: bool, layout: IssueLayout) -> None:
    from compositor.preflight import preflight

    p = layout.spec.section("print")
    findings = preflight(tmp, variant, pdfx1a=p["standard"] == "PDF/X-1a",
                         tac_limit=float(p["max_ink"])) if variant == "print" \
        else preflight(tmp, variant)
    errors = [f for f in findings if f.severity == "error"]
    for f in findings:
        if f.severity in ("error", "warning"):
            print(f.format(str(final)) + _photos_hint(f, layout), file=sys.stderr)
    if errors and not force:
        raise UserError([Diagnostic(Location(final), f"preflight found {len(errors)} "
                                    f"error(s) in the {variant} PDF; nothing was written "
                                    "(use --force to write it anyway, or --no-preflight)")])
