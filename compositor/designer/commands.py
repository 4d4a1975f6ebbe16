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
    if path.exists() and not path.is_dir():
        raise UserError.at(Location(path), "-o must name a folder, and this is a file "
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
    if args.port is None:
        return run_watch(manifest, DEFAULT_PORT, args.open, port_tries=20)
    return run_watch(manifest, args.port, args.open)


# -- preview ---------------------------------------------------------------------------

def _issue_pdf(manifest: Path) -> tuple[bytes, str]:
    """Build the web variant in memory: the pages as a reader sees them."""
    from compositor.build import lay_out, load
    from compositor.finish.variants import options_for
    from compositor.layout.issue import save_caches
    from compositor.render.pdf import render

    loaded = load(manifest)
    layout = lay_out(loaded)
    _warnings(loaded.report)
    data, _ = render(layout, options_for("web", layout))
    save_caches()
    return data, loaded.issue.name


def preview_command(args: argparse.Namespace) -> int:
    from compositor.designer.pages import contact_sheet, open_pdf, render_page

    source = _manifest(args.manifest)
    if source.suffix.lower() == ".pdf":
        data, name = None, source.stem
        doc = open_pdf(source)
        out = _out_dir(args.output or source.with_name(f"{source.stem}-preview"))
    else:
        out = _out_dir(args.output or source.resolve().parent / "build" / "preview")
        data, name = _issue_pdf(source)
        doc = open_pdf(data)
    count = len(doc)
    wanted = args.pages or list(range(1, count + 1))
    beyond = [n for n in wanted if n > count]
    if beyond:
        raise UserError.at(Location(source), f"--pages asks for page {beyond[0]} but there "
                                             f"{'is' if count == 1 else 'are'} only {count} "
                                             f"page{'s' if count != 1 else ''}")
    needed = set(range(1, count + 1)) if args.sheet else set(wanted)
    images = {n: render_page(doc, n - 1, args.dpi) for n in sorted(needed)}
    out.mkdir(parents=True, exist_ok=True)
    digits = max(2, len(str(count)))
    pattern = re.compile(rf"^{re.escape(name)}-page-\d+\.png$")
    if not args.pages:  # a full set: pages left from a longer earlier version go
        keep = {f"{name}-page-{n:0{digits}d}.png" for n in range(1, count + 1)}
        for stale in out.iterdir():
            if pattern.match(stale.name) and stale.name not in keep:
                stale.unlink()
    written = []
    for n in wanted:
        written.append(_save(images[n], out / f"{name}-page-{n:0{digits}d}.png"))
    if args.sheet:
        sheet = contact_sheet([images[n] for n in sorted(images)], sorted(images))
        written.append(_save(sheet, out / f"{name}-sheet.png"))
    pages = ", ".join(str(n) for n in wanted)
    print(f"wrote {len(wanted)} page image{'s' if len(wanted) != 1 else ''} "
          f"(page{'s' if len(wanted) != 1 else ''} {pages}, {args.dpi:g} dpi) to {out}")
    if args.sheet:
        print(f"wrote {written[-1]} ({count} pages as spreads)")
    return EXIT_OK


def _save(image, path: Path) -> Path:
    tmp = path.with_name(f".{path.name}.tmp")
    image.save(tmp, "PNG", optimize=True)
    tmp.replace(path)
    return path


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

    text = (SHIPPED / f"{args.kind}.schema.json").read_text(encoding="utf-8")
    if args.output is None:
        sys.stdout.write(text)
        return EXIT_OK
    if args.output.is_dir():
        args.output = args.output / f"{args.kind}.schema.json"
    if args.output.suffix.lower() in (".yaml", ".yml", ".md", ".pdf"):
        raise UserError.at(Location(args.output), "refusing to write a schema over a "
                                                  f"{args.output.suffix} file; name a .json file")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return EXIT_OK


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
