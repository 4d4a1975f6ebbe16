"""The work behind each CLI command, kept apart from argument parsing."""

from __future__ import annotations

import argparse
import sys

from compositor import inputs
from compositor.build import Timings, default_output, lay_out, load
from compositor.errors import Location, UserError, printable
from compositor.outputs import check_targets

EXIT_OK, EXIT_USER = 0, 1


def _print_diagnostics(report, strict: bool) -> bool:
    """Print warnings; True when they must fail the run (--strict)."""
    for d in report.diagnostics:
        if d.severity != "error":
            print(d, file=sys.stderr)
    return strict and bool(report.warnings)


def _manifest(path):
    """A manifest path, or the folder holding issue.yaml."""
    if path.is_dir() and (path / "issue.yaml").is_file():
        return path / "issue.yaml"
    return path


def check_command(args: argparse.Namespace) -> int:
    args.manifest = _manifest(args.manifest)
    loaded = load(args.manifest)
    layout = lay_out(loaded)  # layout finds missing glyphs and oversize blocks too
    # The checks a default build makes before rendering: photo resolution for print and
    # the ICC profile; check must not pass what build would refuse.
    from compositor.finish.variants import check_resolution, produce, profile_path
    profile_path(loaded.spec.section("print")["profile"], loaded.spec.source)
    problems = check_resolution(layout, force=False)
    loaded.report.diagnostics.extend(problems)
    for d in problems:
        if d.severity == "error":
            print(d, file=sys.stderr)
    if any(d.severity == "error" for d in problems):
        return EXIT_USER
    if _print_diagnostics(loaded.report, args.strict):
        return EXIT_USER
    # The checks a build makes on what it drew need the PDFs: both variants are made and
    # checked in a private folder that is removed again, so nothing of the user's changes.
    import contextlib
    import io
    import tempfile
    from pathlib import Path

    said = {str(d) for d in loaded.report.diagnostics}
    heard = io.StringIO()
    try:
        with tempfile.TemporaryDirectory(prefix="compositor-check-") as scratch, \
                contextlib.redirect_stderr(heard):
            outputs = {v: Path(scratch) / f"{loaded.issue.name}-{v}.pdf"
                       for v in ("print", "web")}
            produce(layout, outputs, Timings(), checks="quick", force=False)
    finally:
        for line in heard.getvalue().splitlines():
            if line not in said:  # the photo warnings were printed above already
                print(line, file=sys.stderr)
    issue = loaded.issue
    print(f"{args.manifest}: ok — {len(issue.articles)} articles, {len(issue.boxes)} boxes, "
          f"{len(layout.pages)} pages with layout '{issue.layout_ref}'")
    return EXIT_OK


def build_command(args: argparse.Namespace) -> int:
    from compositor import progress

    progress.start(quiet=args.quiet)
    try:
        return _build(args)
    finally:
        progress.stop()


def _build(args: argparse.Namespace) -> int:
    from compositor import progress
    from compositor.finish.variants import produce

    progress.stage("loading")
    timings = Timings()
    args.manifest = _manifest(args.manifest)
    if args.pages is not None and not 1 <= args.pages <= 512:
        raise UserError.at(Location(args.manifest), "--pages must be between 1 and 512")
    inputs.reset()
    inputs.note(args.manifest)
    loaded = load(args.manifest)
    timings.mark("load")
    target = args.pages or loaded.issue.pages
    progress.stage(f"fitting to {target} pages" if target else "laying out")
    progress.expect(target)
    layout = lay_out(loaded, optimal=False if args.greedy else None, pages=args.pages)
    timings.mark("layout")
    progress.clear()
    from compositor.layout.report import fit_report, format_report
    report = fit_report(layout)
    if not args.quiet:
        print(printable(format_report(report)))
    if _print_diagnostics(loaded.report, args.strict):
        print("warnings are errors with --strict; nothing was written", file=sys.stderr)
        return EXIT_USER
    timings.mark("fit report")
    if args.output is not None and args.output.is_dir():
        # A folder: the usual file names, written there.
        folder, args.output = args.output, None
    else:
        folder = None
    variant = args.variant or ("web" if args.output else "all")
    variants = ("print", "web") if variant == "all" else (variant,)
    outputs = {}
    for v in variants:
        if folder is not None:
            outputs[v] = folder / f"{loaded.issue.name}-{v}.pdf"
        elif args.output and len(variants) == 1:
            outputs[v] = args.output
        elif args.output:
            outputs[v] = args.output.with_name(f"{args.output.stem}-{v}{args.output.suffix}")
        else:
            outputs[v] = default_output(args.manifest, loaded.issue.name, v)
    if args.impose and "print" not in outputs:
        raise UserError.at(Location(args.manifest), "--impose needs the print variant "
                                                    "(--variant print or all)")
    if args.impose:
        p = outputs["print"]
        outputs["print-saddle"] = p.with_name(f"{p.stem}-saddle{p.suffix}")
    if "print" in outputs:  # the ICC profile is an input too
        from compositor.finish.variants import profile_path
        profile_path(loaded.spec.section("print")["profile"], loaded.spec.source)
    # Every output checked before anything is written: never over an input, never over
    # a folder, pipe or device, never two outputs on one file.
    names = {v: f"{v} PDF" for v in outputs} | ({"report": "report"} if args.report else {})
    targets = check_targets({names[v]: p for v, p in outputs.items()}
                            | ({"report": args.report} if args.report else {}),
                            inputs.read())
    outputs = {v: targets[names[v]] for v in outputs}
    also = {}
    if args.report:
        import json
        text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
        also["report"] = (targets["report"], text.encode("utf-8"))
    written = produce(layout, outputs, timings, checks=args.preflight,
                      force=args.force, also=also)
    from compositor.layout.setting import save_caches
    save_caches()
    timings.mark("save caches")
    if not args.quiet:
        for v, path in written.items():
            if v not in outputs:
                continue
            size = path.stat().st_size
            print(printable(f"wrote {path} ({v}, {len(layout.pages)} pages, "
                            f"{size / 1024:.0f} KB)"))
    if args.timings:
        total = sum(t for _, t in timings.steps)
        for name, t in timings.steps:
            print(f"  {name:<22} {t * 1000:8.1f} ms")
            if name.startswith("variants"):
                for part, tp in timings.details:
                    print(f"    {part:<20} {tp * 1000:8.1f} ms")
        print(f"  {'total':<22} {total * 1000:8.1f} ms")
    return EXIT_OK


def preflight_command(args: argparse.Namespace) -> int:
    from compositor.preflight import preflight, summarize

    findings = preflight(args.pdf, args.profile)
    for f in findings:
        print(f.format(str(args.pdf)))
    errors, warnings = summarize(findings)
    print(f"{args.pdf}: {errors} errors, {warnings} warnings ({args.profile} profile)")
    return EXIT_USER if errors else EXIT_OK
