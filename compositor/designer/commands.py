"""The work behind the designer commands, kept apart from argument parsing."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from compositor.errors import Location, UserError

EXIT_OK, EXIT_USER = 0, 1
DEFAULT_PORT = 8470


def _manifest(path: Path) -> Path:
    if path.is_dir() and (path / "issue.yaml").is_file():
        return path / "issue.yaml"
    return path


def _out_dir(path: Path) -> Path:
    import os

    from compositor.outputs import _kind

    if os.path.lexists(path) and not path.is_dir():
        what = "a file" if path.is_file() else _kind(os.lstat(path).st_mode)
        if path.is_symlink() and not path.exists():
            what = "a symbolic link to nothing"
        raise UserError.at(Location(path), f"-o must name a folder, and this is {what} "
                                           "(nothing was written)")
    return path


def _warnings(report) -> None:
    for d in report.diagnostics:
        if d.severity != "error":
            print(d, file=sys.stderr)


# -- watch -----------------------------------------------------------------------------

def watch_command(args: argparse.Namespace) -> int:
    import gc

    from compositor.designer.watch import run_watch

    # One-off commands run with the cyclic collector off (see cli.main); a session that
    # rebuilds for hours must collect what each rebuild leaves in cycles.
    gc.enable()
    manifest = _manifest(args.manifest)
    if not manifest.is_file():
        raise UserError.at(Location(manifest), "file not found: give the issue's issue.yaml "
                                               "(or its folder) to watch")
    editor = args.editor
    if editor is False:  # not given: the environment's choice, if any
        from compositor.designer.editor import ENVIRONMENT, default_editor, editor_link
        try:
            editor = editor_link(default_editor())
        except ValueError as exc:
            print(f"compositor watch: ${ENVIRONMENT}: {exc}", file=sys.stderr)
            return 1
    if args.port is None:
        return run_watch(manifest, DEFAULT_PORT, args.open, port_tries=20, editor=editor)
    return run_watch(manifest, args.port, args.open, editor=editor)


# -- preview ---------------------------------------------------------------------------

def _issue_pdf(manifest: Path) -> tuple[bytes, str]:
    """Build the web variant in memory: the pages as a reader sees them."""
    from compositor.build import lay_out, load
    from compositor.finish.variants import options_for
    from compositor.layout.setting import save_caches
    from compositor.render.pdf import render

    loaded = load(manifest)
    layout = lay_out(loaded)
    _warnings(loaded.report)
    data, _ = render(layout, options_for("web", layout))
    save_caches()
    return data, loaded.issue.name


def preview_command(args: argparse.Namespace) -> int:
    from compositor import inputs
    from compositor.designer.pages import (
        SheetBuilder,
        open_pdf,
        page_size,
        render_page,
        sheet_page_height,
    )
    from compositor.outputs import Transaction, check_page_pixels

    source = _manifest(args.manifest)
    if source.suffix.lower() == ".pdf":
        name = source.stem
        doc = open_pdf(source)
        out = _out_dir(args.output or source.with_name(f"{source.stem}-preview"))
        read: set = {source}
    else:
        out = _out_dir(args.output or source.resolve().parent / "build" / "preview")
        inputs.note(source)
        data, name = _issue_pdf(source)
        doc = open_pdf(data)
        read = set(inputs.read())
    count = len(doc)
    wanted = args.pages or list(range(1, count + 1))
    beyond = [n for n in wanted if n > count]
    if beyond:
        raise UserError.at(Location(source), f"--pages asks for page {beyond[0]} but there "
                                             f"{'is' if count == 1 else 'are'} only {count} "
                                             f"page{'s' if count != 1 else ''}")
    needed = range(1, count + 1) if args.sheet else wanted
    for n in needed:  # every page measured before any is drawn
        check_page_pixels(source, n, page_size(doc, n - 1), args.dpi)
    digits = max(2, len(str(count)))
    files = {n: out / f"{name}-page-{n:0{digits}d}.png" for n in wanted}
    sheet_path = out / f"{name}-sheet.png"
    first = page_size(doc, 0)
    sheet = SheetBuilder(list(needed), first, source, sheet_page_height(first, args.dpi)) \
        if args.sheet else None
    with Transaction("preview", out, read) as tx:
        for path in [*files.values(), *([sheet_path] if sheet else [])]:
            tx.check(path, "page image")  # a file of the user's stops the run here
        if not args.pages:  # a full set: pages of a longer earlier version go, ours only
            pattern = re.compile(rf"^{re.escape(name)}-page-\d+\.png$")
            keep = {p.name for p in files.values()}
            for stale in tx.ledger.mine("preview"):
                if pattern.match(stale.name) and stale.name not in keep:
                    tx.remove(stale)
        for n in needed:  # one page in memory at a time (and the sheet's thumbnails)
            image = render_page(doc, n - 1, args.dpi)
            if n in files:
                tx.save_png(files[n], image, "page image")
            if sheet:
                sheet.add(n, image)
            del image
        if sheet:
            tx.save_png(sheet_path, sheet.image, "contact sheet")
        tx.commit()
    pages = ", ".join(str(n) for n in wanted)
    print(f"wrote {len(wanted)} page image{'s' if len(wanted) != 1 else ''} "
          f"(page{'s' if len(wanted) != 1 else ''} {pages}, {args.dpi:g} dpi) to {out}")
    if args.sheet:
        print(f"wrote {sheet_path} ({count} pages as spreads)")
    return EXIT_OK


# -- new -------------------------------------------------------------------------------

def new_command(args: argparse.Namespace) -> int:
    from compositor.cli import _parser
    from compositor.commands import build_command
    from compositor.designer.scaffold import scaffold

    written = scaffold(args.folder, args.layout)
    print(f"wrote {len(written)} files to {args.folder}:")
    for path in written:
        print(f"  {path.relative_to(args.folder)}")
    manifest = args.folder / "issue.yaml"
    code = build_command(_parser().parse_args(["build", str(manifest), "-q"]))
    if code == EXIT_OK:
        for variant in ("print", "web"):
            print(f"built {args.folder / 'build' / f'{args.folder.resolve().name}-{variant}.pdf'}")
        print(f"next: compositor watch {manifest}")
    return code


# -- layout show -----------------------------------------------------------------------

def layout_show_command(args: argparse.Namespace) -> int:
    from compositor.designer.layoutinfo import resolve
    from compositor.errors import _display_path
    from compositor.load.yamlfile import Mapping, load_yaml_file

    source = args.source
    if source is None:
        ref, named_at = "default", Location(Path("default"))
    elif not source.exists() and "/" not in str(source) and not source.suffix:
        ref, named_at = str(source), Location(Path.cwd() / "--", 0)  # a built-in name
    else:
        source = _manifest(source)
        data = load_yaml_file(source)
        if isinstance(data, Mapping) and ("articles" in data or "publication" in data):
            # Only the manifest's `layout` line matters here: a broken article elsewhere
            # in the issue does not stop a designer from reading the layout.
            value = data.get("layout", "default")
            if not isinstance(value, str) or not value.strip():
                raise UserError.at(Location(source, data.line_of("layout")),
                                   "'layout' must be a built-in layout name or a YAML path")
            ref, named_at = value.strip(), Location(source, data.line_of("layout"))
        else:
            ref, named_at = source.name, Location(source.resolve())
    resolved = resolve(ref, named_at)
    if args.json:
        values = {".".join(k): {"value": _value_at(resolved.values, k),
                                "from": "default" if v is None
                                else f"{_display_path(v[0])}:{v[1]}"}
                  for k, v in resolved.origins.items()}
        print(json.dumps({"chain": [_display_path(p) for p in resolved.chain],
                          "values": values}, indent=2, ensure_ascii=False, default=str))
    else:
        from compositor.designer.layoutinfo import format_resolved
        print(format_resolved(resolved, _display_path))
    return EXIT_OK


def _value_at(values: dict, keys: tuple[str, ...]):
    for k in keys:
        values = values[k]
    return values


# -- schema ----------------------------------------------------------------------------

def schema_command(args: argparse.Namespace) -> int:
    from compositor.designer.schema import SHIPPED
    from compositor.outputs import Transaction

    text = (SHIPPED / f"{args.kind}.schema.json").read_text(encoding="utf-8")
    if args.output is None:
        sys.stdout.write(text)
        return EXIT_OK
    target = args.output
    if target.is_dir():
        target = target / f"{args.kind}.schema.json"
    if target.suffix.lower() != ".json":
        raise UserError.at(Location(target), "a schema is written to a .json file; name one "
                                             "(nothing was written)")
    # A schema file may replace only an earlier one (say, after an upgrade): never a
    # package.json, a photo or anything else that happens to sit at that name.
    replace = "any" if _is_schema(target) else "never"
    with Transaction("schema") as tx:
        tx.write(target, text.encode("utf-8"), "schema", replace=replace)
        tx.commit()
    print(f"wrote {target}")
    return EXIT_OK


def _is_schema(path: Path) -> bool:
    """Whether ``path`` is a regular file holding a JSON Schema that compositor wrote."""
    import stat

    try:
        if not stat.S_ISREG(path.stat().st_mode) or path.stat().st_size > 1 << 20:
            return False
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (isinstance(data, dict) and "$schema" in data
            and str(data.get("title", "")).startswith("compositor "))


# -- diff ------------------------------------------------------------------------------

def diff_command(args: argparse.Namespace) -> int:
    from compositor.designer.diff import write_diff

    for path in (args.old, args.new):
        if not path.is_file():
            raise UserError.at(Location(path), "file not found" if not path.exists()
                               else "expected a PDF file, found a folder")
    out = _out_dir(args.output or args.new.with_name(f"{args.new.stem}-diff"))
    diffs, written = write_diff(args.old, args.new, out, args.dpi)
    differing = [d for d in diffs if d.status != "same"]
    for d in differing:
        what = {"changed": f"changed ({len(d.regions)} region"
                           f"{'s' if len(d.regions) != 1 else ''})",
                "added": "only in the new PDF", "removed": "only in the old PDF"}[d.status]
        print(f"page {d.page}: {what} -> {written[d.page]}")
    same = len(diffs) - len(differing)
    print(f"{len(differing)} of {len(diffs)} pages differ" + (f"; {same} the same" if same
                                                               else ""))
    return EXIT_USER if differing and args.exit_code else EXIT_OK
