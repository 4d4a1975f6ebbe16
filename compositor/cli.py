"""Command line: `compositor build|check|preflight|…`. Parses arguments, calls the pipeline,
prints diagnostics, returns an exit status. Heavy imports happen inside the commands so
`compositor --help` answers at once."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_USER, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="compositor",
        description="Print-ready PDF newsletters from a folder of Markdown and YAML.")
    p.add_argument("--version", action="version", version=_version())
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    b = sub.add_parser("build", help="build the issue's PDFs",
                       description="Lay out the issue and write its print and web PDFs.")
    b.add_argument("manifest", type=Path, metavar="MANIFEST", help="the issue.yaml file")
    b.add_argument("-o", "--output", type=Path, metavar="OUT.pdf",
                   help="output path (a single variant; default: build/<issue>-<variant>.pdf "
                        "next to the manifest)")
    b.add_argument("--variant", choices=("print", "web", "all"), default=None,
                   help="which PDF to write (default: all; with -o: web)")
    b.add_argument("--pages", type=_page_count, metavar="N",
                   help="fit the issue to exactly N pages (1 to 512)")
    b.add_argument("--report", type=Path, metavar="FILE.json", help="write the fit report")
    b.add_argument("--timings", action="store_true", help="print where the time went")
    b.add_argument("--preflight", choices=("quick", "full", "off"), default="quick",
                   help="how each PDF is checked before it is written: quick (default), the "
                        "build's own checks against what it drew; full, the independent "
                        "preflight of `compositor preflight`; off")
    b.add_argument("--no-preflight", action="store_const", const="off", dest="preflight",
                   help="skip the checks (same as --preflight off)")
    b.add_argument("--force", action="store_true",
                   help="write the PDFs even when the checks find errors")
    b.add_argument("--strict", action="store_true", help="treat warnings as errors")
    b.add_argument("--impose", choices=("saddle",),
                   help="also write printer spreads of the print PDF for saddle stitching "
                        "(<name>-print-saddle.pdf)")
    b.add_argument("--greedy", action="store_true",
                   help="break lines one at a time instead of whole paragraphs (faster)")
    b.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    c = sub.add_parser("check", help="validate the manifest and the files it names",
                       description="Validate without building.")
    c.add_argument("manifest", type=Path, metavar="MANIFEST")
    c.add_argument("--strict", action="store_true", help="treat warnings as errors")
    f = sub.add_parser("preflight", help="check a PDF for print or web delivery",
                       description="Check any PDF; one line per finding, non-zero exit on errors.")
    f.add_argument("pdf", type=Path, metavar="PDF")
    f.add_argument("--profile", choices=("print", "web"), default="print")
    from compositor.designer.cli import add_parsers as designer_parsers
    from compositor.web.commands import add_parsers as web_parsers
    designer_parsers(sub)  # watch, preview, new, layout show, schema, diff
    web_parsers(sub)  # import, site
    return p


def _page_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 1 <= value <= 512:
        raise argparse.ArgumentTypeError(f"{value} is not between 1 and 512")
    return value


def _source_date_epoch() -> str | None:
    """What is wrong with SOURCE_DATE_EPOCH, if anything (it stamps every date we write)."""
    text = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or int(text) > 253402300799:
        return (f"SOURCE_DATE_EPOCH={text[:40]!r} must be a whole number of seconds since "
                "1970-01-01, at most 253402300799 (the end of 9999); fix or unset it")
    return None


def _version() -> str:
    from compositor import __version__
    return f"compositor {__version__}"


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        # A terminal that cannot show a title (LANG=C, a Latin-1 console) gets escapes,
        # not a UnicodeEncodeError halfway through the report.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    args = _parser().parse_args(argv)
    problem = _source_date_epoch() if args.command == "build" else None
    if problem:
        print(f"compositor: error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    from compositor.errors import UserError
    # A command is a short batch job, and its garbage is freed by reference counting: the
    # cyclic collector's passes over the growing layout cost a quarter to a third of a
    # big build and free nothing (peak memory is the same with it off).
    collecting = gc.isenabled()
    gc.disable()
    try:
        if getattr(args, "designer", None):
            from compositor.designer.cli import run
            return run(args)
        if args.command == "build":
            from compositor.commands import build_command
            return build_command(args)
        if hasattr(args, "run"):
            return args.run(args)
        if args.command == "check":
            from compositor.commands import check_command
            return check_command(args)
        from compositor.commands import preflight_command
        return preflight_command(args)
    except UserError as exc:
        for d in exc.diagnostics:
            print(d, file=sys.stderr)
        return EXIT_USER
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - last line of defence: no bare traceback
        import traceback
        print(f"compositor: internal error: {type(exc).__name__}: {exc}\n"
              "This is a bug in compositor, not in your files; please report it with the "
              "details below.", file=sys.stderr)
        traceback.print_exc(limit=6, file=sys.stderr)
        return EXIT_INTERNAL
    finally:
        if collecting:
            gc.enable()


def run() -> None:
    """The `compositor` command. Every output is written and renamed into place, and the
    caches saved, before main returns, so the process ends at once instead of tearing
    the interpreter down object by object."""
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: nothing more can be said anyway
        code = code or EXIT_USER
    os._exit(code)


if __name__ == "__main__":
    run()
