"""`compositor new`: a small issue that builds as it is, with no holes and no warnings, and
shows every file an editor and a designer touch. The words are in starter_text.py and the
photos are drawn by starter_photos.py, both made for this template."""

from __future__ import annotations

import os
from pathlib import Path

from compositor.errors import Diagnostic, Location, UserError


def scaffold(folder: Path, layout: str) -> list[Path]:
    """Write the template into `folder` and return the files written. Nothing is written
    when any of them exists already, or when `layout` names no layout."""
    import datetime as dt

    from compositor.designer import starter_photos
    from compositor.designer import starter_text as words
    from compositor.designer.schema import schema_text
    from compositor.load.layout import load_layout

    here = Location(Path("--layout"))
    if "/" in layout or layout.endswith((".yaml", ".yml")):
        ref = Path(layout).resolve()
        load_layout(str(ref), Location(Path.cwd() / "--layout"))
        parent = os.path.relpath(ref, folder.resolve())
    else:
        load_layout(layout, here)
        parent = layout
    if folder.exists() and not folder.is_dir():
        raise UserError.at(Location(folder), "exists and is not a folder")
    today = dt.date.today().isoformat()
    files: dict[Path, str | bytes] = {
        folder / "issue.yaml": words.MANIFEST.format(date=dt.date.today().strftime("%B %Y")),
        folder / "publication.yaml": words.PUBLICATION,
        folder / "layout.yaml": words.LAYOUT.format(parent=parent),
        folder / "articles" / "planting-day.md": words.PLANTING.format(date=today),
        folder / "articles" / "seed-library.md": words.SEEDS,
        folder / "articles" / "pond.md": words.POND,
        folder / "articles" / "compost.md": words.COMPOST,
        folder / "articles" / "kitchen.md": words.KITCHEN,
        folder / "articles" / "history.md": words.HISTORY,
        folder / "boxes" / "about.md": words.ABOUT,
        folder / "boxes" / "dates.md": words.DATES,
        folder / "images" / "beds.jpg": starter_photos.beds(),
        folder / "images" / "pond.jpg": starter_photos.pond(),
    }
    for kind in ("manifest", "publication", "layout"):
        files[folder / "schemas" / f"{kind}.schema.json"] = schema_text(kind)
    _check_new(folder, [*files, *(folder / "build" / f"{_name(folder)}-{v}.pdf"
                                  for v in ("print", "web"))])
    from compositor.outputs import Transaction

    with Transaction("new") as tx:
        for path, text in files.items():
            data = text if isinstance(text, bytes) else text.encode("utf-8")
            tx.write(path, data, path.name, replace="never")
        tx.commit()
    return list(files)


def _name(folder: Path) -> str:
    """The issue's name, as the build names its PDFs: the folder's own name."""
    return Path(os.path.realpath(folder)).name or "issue"


def _check_new(folder: Path, paths: list[Path]) -> None:
    """Nothing may be at any of ``paths`` (a dangling symbolic link counts: writing
    through it would put the file wherever it points), and no folder on the way may lead
    out of ``folder``. The first problem is reported with how many more there are."""
    from compositor.outputs import check_parent, file_state

    if folder.exists() and not folder.is_dir():
        raise UserError.at(Location(folder), "exists and is not a folder")
    if folder.is_symlink() and not folder.exists():
        raise UserError.at(Location(folder), f"is a symbolic link to {os.readlink(folder)}, "
                                             "which does not exist; `compositor new` makes "
                                             "a folder only where nothing is: choose a new "
                                             "folder (nothing was written)")
    home = os.path.realpath(folder)
    existing, outside = [], []
    for path in paths:
        if file_state(path) is not None:
            existing.append(path)
        elif not os.path.realpath(path.parent).startswith(home.rstrip(os.sep) + os.sep) \
                and os.path.realpath(path.parent) != home:
            outside.append(path)
        else:
            check_parent(path)
    if existing:
        more = f" (and {len(existing) - 1} more)" if len(existing) > 1 else ""
        raise UserError([Diagnostic(Location(existing[0]),
                                    f"already exists{more}; `compositor new` never overwrites "
                                    "a file: choose a new folder (nothing was written)")])
    if outside:
        raise UserError([Diagnostic(Location(outside[0]),
                                    f"{outside[0].parent} leads out of {folder} (a symbolic "
                                    "link); `compositor new` writes only inside the new "
                                    "folder: choose a new folder (nothing was written)")])
