"""`compositor new`: a small issue that builds as it is and shows every file an editor
and a designer touch. The text and the photo are made for this template."""

from __future__ import annotations

import os
from pathlib import Path

from compositor.errors import Diagnostic, Location, UserError

PUBLICATION = """\
# The publication: shared by every issue (name it from each issue.yaml).
# yaml-language-server: $schema=schemas/publication.schema.json
name: Millbrook Sprout
tagline: News from the Millbrook community garden
publisher: Millbrook Garden Association
website: https://millbrook-garden.example.org
"""

MANIFEST = """\
# yaml-language-server: $schema=schemas/manifest.schema.json
# One issue: what goes in it, in reading order. Paths are relative to this file.
publication: publication.yaml
volume: 1
number: 1
date: {date}
language: en
layout: layout.yaml          # the look; see layout.yaml
articles:
  - articles/planting-day.md # the first article leads page 1
  - articles/seed-library.md
boxes:
  - file: boxes/about.md
    page: last
"""

LAYOUT = """\
# yaml-language-server: $schema=schemas/layout.schema.json
# This issue's look: everything not set here comes from '{parent}'.
# `compositor layout show issue.yaml` prints every value and where it comes from;
# `compositor watch issue.yaml` shows each change in the browser as you save.
extends: {parent}

page:
  columns: 3               # try 2 for a calmer page
  # size: Letter           # A4, A5, A3, Letter, Legal, Tabloid or [width, height]
  # margin_outside: 18mm

colors:
  accent: [65, 25, 85, 40]       # a garden green, in CMYK percent
  accent_light: [10, 0, 14, 0]   # behind the boxes

styles:
  title: {{size: 15, leading: 17.5}}   # only what changes; the rest is inherited
  # body: {{size: 9.8, leading: 13}}

article:
  drop_cap: lead           # none, lead or all

footer:
  right: "Page {{page}} of {{pages}}"
"""

PLANTING = """\
---
title: Planting day fills every bed before noon
byline: Ines Okafor
date: {date}
image: ../images/beds.jpg
caption: The raised beds along the east fence, planted and watered by eleven o'clock.
alt: Rows of raised vegetable beds under a pale morning sky.
---

Forty-one gardeners turned up on Saturday morning, trowels in hand, and by
eleven o'clock every one of the twenty-eight raised beds had been dug over,
planted and watered. The early start paid off: the rain that had been
promised for the afternoon arrived just as the last seed trays were stacked
back in the shed.

The children's bed by the gate went to beans and sunflowers this year, after
a vote that was closer than anyone expected. Marigolds were tucked between
the tomatoes along the south wall to keep the whitefly away, and the herb
spiral finally has its thyme back after last winter's frost.

## What went where

The committee kept a plan of the beds pinned to the shed door all morning,
and a photograph of it is now on the website. If you planted something that
is not on the plan, please add it in pencil the next time you are in.

Thanks go to the Rossi family for the loan of their wheelbarrows, and to
everyone who stayed to sweep the paths. The next work morning is on the first
Saturday of next month; bring gloves and a flask.
"""

SEEDS = """\
---
title: How the seed library works
toc_title: The seed library
byline: Tomasz Wren
---

The seed library lives in the old card-index cabinet inside the shed door. Each
drawer holds one family of plants, and each envelope is labelled with the
variety, the year it was saved and the gardener who saved it.

Borrowing is simple: take an envelope, write your name and the date on the
card in the front of the drawer, and plant. At the end of the season, save
seed from your best plants and bring back a little more than you took. Dry the
seed on a plate for a week before you fill a new envelope.

- Beans, peas and tomatoes are the easiest to save and the best to start with.
- Squash and sweetcorn cross readily, so their seed may not come true.
- Label everything, even when you are sure you will remember.

Last year the library lent out one hundred and twelve envelopes and received
ninety-three back. The committee would like to close that gap: if you have
seed to spare, the empty envelopes are in the top drawer.
"""

ABOUT = """\
---
title: About the garden
---

The Millbrook community garden is open every day from dawn to dusk. Beds are
shared between members; the waiting list is kept by the secretary.

**Work mornings:** first Saturday of the month, 9 am.
"""


def _photo() -> bytes:
    """Raised beds under a morning sky, drawn so the template needs no photo of anyone's."""
    import io

    from PIL import Image, ImageDraw, ImageFilter

    w, h = 1800, 1200
    im = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(im)
    for y in range(h // 2):  # sky: pale blue to warm white at the horizon
        t = y / (h / 2)
        d.line([(0, y), (w, y)], fill=(int(150 + 95 * t), int(190 + 55 * t), int(230 + 10 * t)))
    d.rectangle([0, h // 2, w, h], fill=(104, 84, 58))  # soil
    d.polygon([(0, h // 2), (w, h // 2 - 40), (w, h // 2 + 30), (0, h // 2 + 50)],
              fill=(86, 128, 70))  # hedge on the horizon
    for row in range(4):  # four rows of beds, nearer ones larger
        y0 = h // 2 + 70 + row * (90 + row * 55)
        depth = 60 + row * 40
        for k in range(-1, 6):
            x0 = k * (w // 5) + (row % 2) * 120 - row * 30
            x1 = x0 + w // 5 - 60
            d.rectangle([x0, y0, x1, y0 + depth], fill=(150, 112, 70), outline=(96, 70, 42),
                        width=6)
            for p in range(x0 + 30, x1 - 20, 46 + row * 10):  # seedlings
                r = 10 + row * 6
                d.ellipse([p - r, y0 + depth // 2 - r, p + r, y0 + depth // 2 + r],
                          fill=(70 + row * 12, 140 + row * 10, 60))
    im = im.filter(ImageFilter.GaussianBlur(1.2))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=88)
    return buf.getvalue()


def scaffold(folder: Path, layout: str) -> list[Path]:
    """Write the template into `folder` and return the files written. Nothing is written
    when any of them exists already, or when `layout` names no layout."""
    import datetime as dt

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
    files: dict[Path, str | None] = {
        folder / "issue.yaml": MANIFEST.format(date=dt.date.today().strftime("%B %Y")),
        folder / "publication.yaml": PUBLICATION,
        folder / "layout.yaml": LAYOUT.format(parent=parent),
        folder / "articles" / "planting-day.md": PLANTING.format(date=today),
        folder / "articles" / "seed-library.md": SEEDS,
        folder / "boxes" / "about.md": ABOUT,
        folder / "images" / "beds.jpg": None,
    }
    for kind in ("manifest", "publication", "layout"):
        files[folder / "schemas" / f"{kind}.schema.json"] = schema_text(kind)
    _check_new(folder, [*files, *(folder / "build" / f"{_name(folder)}-{v}.pdf"
                                  for v in ("print", "web"))])
    from compositor.outputs import Transaction

    with Transaction("new") as tx:
        for path, text in files.items():
            data = _photo() if text is None else text.encode("utf-8")
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
