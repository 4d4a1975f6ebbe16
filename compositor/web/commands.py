"""Argument parsing and dispatch for `compositor import` and `compositor site`. Imports
nothing heavy: the work modules are loaded only when their command runs."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path


def add_parsers(sub) -> None:
    i = sub.add_parser(
        "import", help="import posts from a website into an issue folder",
        description="Write articles/<slug>.md (and images/) for each post of an RSS or Atom "
                    "feed, a WordPress export, saved HTML pages or article URLs, and list "
                    "them in the folder's issue.yaml (created when missing). Posts already "
                    "imported are matched on their URL and updated; hand-edited articles are "
                    "kept unless --force is given.")
    i.add_argument("sources", nargs="+", metavar="SOURCE",
                   help="feed or WordPress export (file or URL), saved HTML page, or "
                        "article URL")
    i.add_argument("--into", type=Path, required=True, metavar="ISSUE_FOLDER",
                   help="the issue folder (created when missing)")
    i.add_argument("--sort", choices=("given", "date", "oldest"), default="given",
                   help="order of the new articles: as given (default), newest first, or "
                        "oldest first")
    i.add_argument("--since", type=_date, metavar="YYYY-MM-DD",
                   help="only posts dated on or after this day")
    i.add_argument("--limit", type=_positive, metavar="N", help="at most the N newest posts")
    i.add_argument("--force", action="store_true",
                   help="replace articles even when they were edited since their import")
    i.add_argument("--timeout", type=_seconds, default=20.0, metavar="SECONDS",
                   help="time allowed for each address, from connecting to the last byte "
                        "(default 20)")
    i.add_argument("--allow-private", action="store_true",
                   help="let feeds and pages make import fetch from this computer or the "
                        "local network (loopback, private and link-local addresses); without "
                        "it, only the hosts of the sources you name may be on such addresses")
    i.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    i.set_defaults(run=_run_import)

    s = sub.add_parser(
        "site", help="publish built issues as a static archive",
        description="Write a static archive for subscribers: index.html with every issue's "
                    "cover, one page per issue with its contents, and an Atom feed with the "
                    "PDFs. Issues whose web PDF is missing or older than their files are "
                    "built first.")
    s.add_argument("issues", type=Path, metavar="ISSUES_DIR",
                   help="folder holding one folder per issue (each with issue.yaml)")
    s.add_argument("-o", "--output", type=Path, required=True, metavar="SITE_DIR",
                   help="folder to write the site into")
    s.add_argument("--base-url", metavar="URL",
                   help="address the site is published at (for the feed and sharing tags)")
    s.add_argument("--no-build", action="store_true",
                   help="do not build missing or out-of-date issues; list them instead")
    s.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    s.set_defaults(run=_run_site)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date written YYYY-MM-DD: {text!r}") from None


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0
    if not 0 < value <= 600:
        raise argparse.ArgumentTypeError(f"must be a number of seconds, 0 to 600: {text!r}")
    return value


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1: {text!r}")
    return int(text)


def _run_import(args: argparse.Namespace) -> int:
    from compositor.web.importer import ImportOptions, print_outcome, run_import

    out = run_import(args.sources, args.into, ImportOptions(
        sort=args.sort, since=args.since, limit=args.limit, force=args.force,
        timeout=args.timeout, allow_private=args.allow_private))
    print_outcome(out, args.quiet)
    return 0


def _run_site(args: argparse.Namespace) -> int:
    from compositor.web.site import build_site

    return build_site(args.issues, args.output, args.base_url, build=not args.no_build,
                      quiet=args.quiet)
