"""Arguments of the designer commands, and their dispatch. Imported by the main parser;
everything heavier is imported by the command that needs it."""

from __future__ import annotations

import argparse
from pathlib import Path

SCHEMA_KINDS = ("manifest", "article", "box", "layout", "publication")


def _pages(text: str) -> list[int]:
    from compositor.designer.pages import parse_pages
    try:
        return parse_pages(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a page list such as 1,4-5") from None


def _dpi(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not 10 <= value <= 1200:
        raise argparse.ArgumentTypeError("the resolution must be 10 to 1200 dpi")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("a port is 0 to 65535 (0: any free port)")
    return value


def _editor(text: str) -> str | None:
    from compositor.designer.editor import editor_link
    try:
        return editor_link(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_parsers(sub) -> None:
    w = sub.add_parser("watch", help="rebuild on every save and show the pages in the browser",
                       description="Rebuild the issue whenever a file it uses is saved, and "
                                   "serve a live preview on http://127.0.0.1:PORT/.")
    w.add_argument("manifest", type=Path, metavar="MANIFEST", help="the issue.yaml file")
    w.add_argument("--port", type=_port, default=None,
                   help="port on 127.0.0.1 (default: 8470 or the next free one; 0: any)")
    w.add_argument("--open", action="store_true", help="open the preview in the browser")
    w.add_argument("--editor", type=_editor, default=False, metavar="EDITOR",
                   help="what a click on a page opens: vscode, vscodium, subl, idea, none, "
                        "or a link template with {path} and {line} (default: "
                        "$COMPOSITOR_EDITOR, else none: a click shows file:line to copy)")
    w.set_defaults(designer="watch")

    p = sub.add_parser("preview", help="write the issue's pages as PNG images",
                       description="Build the issue in memory and write its pages as PNG "
                                   "images (nothing else is written).")
    p.add_argument("manifest", type=Path, metavar="MANIFEST",
                   help="the issue.yaml file (or a PDF to render)")
    p.add_argument("-o", "--output", type=Path, metavar="DIR",
                   help="folder for the images (default: build/preview next to the manifest)")
    p.add_argument("--pages", type=_pages, metavar="1,4-5", help="only these pages")
    p.add_argument("--dpi", type=_dpi, default=110.0, help="resolution (default: 110)")
    p.add_argument("--sheet", action="store_true",
                   help="also write one contact sheet of the pages as spreads")
    p.set_defaults(designer="preview")

    n = sub.add_parser("new", help="start a new issue from a working example",
                       description="Write a new issue folder (manifest, publication, two "
                                   "articles, a box, a layout and a photo) and build it.")
    n.add_argument("folder", type=Path, metavar="FOLDER")
    n.add_argument("--layout", default="default", metavar="NAME",
                   help="what the new layout extends: a built-in layout name or the path of "
                        "an existing layout YAML (default: default)")
    n.set_defaults(designer="new")

    lay = sub.add_parser("layout", help="show the resolved layout",
                         description="Layout tools.")
    lsub = lay.add_subparsers(dest="layout_command", metavar="ACTION")
    lsub.required = True
    show = lsub.add_parser("show", help="every layout value after 'extends', with its origin",
                           description="Print the layout a build uses, after 'extends', each "
                                       "value with the file:line it came from or 'default'.")
    show.add_argument("source", nargs="?", type=Path, metavar="MANIFEST|LAYOUT",
                      help="an issue.yaml, a layout YAML, an issue folder or a built-in "
                           "layout name (default: the built-in default)")
    show.add_argument("--json", action="store_true", help="print JSON instead of YAML")
    show.set_defaults(designer="layout-show")

    s = sub.add_parser("schema", help="print a JSON Schema for editors",
                       description="Print (or write) the JSON Schema of one kind of file, for "
                                   "editors that complete and check YAML keys.")
    s.add_argument("kind", choices=SCHEMA_KINDS)
    s.add_argument("-o", "--output", type=Path, metavar="FILE.json",
                   help="write it to this file instead of printing it")
    s.set_defaults(designer="schema")

    d = sub.add_parser("diff", help="show which pages of two PDFs differ",
                       description="Render both PDFs, print which pages differ and write an "
                                   "image of each, the changed regions marked.")
    d.add_argument("old", type=Path, metavar="OLD.pdf")
    d.add_argument("new", type=Path, metavar="NEW.pdf")
    d.add_argument("-o", "--output", type=Path, metavar="DIR",
                   help="folder for the images (default: <NEW>-diff next to NEW.pdf)")
    d.add_argument("--dpi", type=_dpi, default=100.0, help="resolution (default: 100)")
    d.add_argument("--exit-code", action="store_true",
                   help="exit with status 1 when the pages differ")
    d.set_defaults(designer="diff")


def run(args: argparse.Namespace) -> int:
    import os
    import sys

    from compositor.designer import commands

    try:
        return {"watch": commands.watch_command, "preview": commands.preview_command,
                "new": commands.new_command, "layout-show": commands.layout_show_command,
                "schema": commands.schema_command, "diff": commands.diff_command,
                }[args.designer](args)
    except BrokenPipeError:  # `compositor layout show | head`: the reader has seen enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        if exc.filename is None:
            raise
        # A folder that cannot be created or a file that cannot be written: the user's
        # setup, not a bug (files are written to a temporary name first, so nothing is
        # left half-written).
        print(f"{exc.filename}:1: cannot write here: {exc.strerror}", file=sys.stderr)
        return 1
