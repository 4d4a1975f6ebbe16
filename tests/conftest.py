"""Shared fixtures: small issues written into tmp folders, built through the real CLI."""

from __future__ import annotations

import random
import textwrap
from pathlib import Path

import pytest
from PIL import Image

from compositor.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "issues" / "harbor-light-2023-07" / "issue.yaml"

_SUBJECTS = ["The coach", "Our treasurer", "A new member", "The junior squad", "The committee",
             "Every volunteer", "The harbour master", "Our oldest sculler"]
_VERBS = ["checked", "repaired", "described", "celebrated", "questioned", "measured",
          "organised", "photographed", "rearranged", "recommended"]
_OBJECTS = ["the slipway before breakfast", "a cracked rigger on the old coxless four",
            "the timetable for the autumn head race", "twelve kilometres of tidal river",
            "the extraordinarily complicated insurance paperwork",
            "a collection of mismatched oars", "the boathouse roof after the storm",
            "our intergenerational mentoring scheme", "the launch engine and its manual"]
_TAILS = ["", " with remarkable patience", " despite the weather", " on Saturday morning",
          " for the third time this season", " while the tide turned"]


def prose(seed: int, sentences: int) -> str:
    rnd = random.Random(seed)
    out = []
    for _ in range(sentences):
        s = f"{rnd.choice(_SUBJECTS)} {rnd.choice(_VERBS)} {rnd.choice(_OBJECTS)}" \
            f"{rnd.choice(_TAILS)}."
        out.append(s)
    return " ".join(out)


def write_article(folder: Path, name: str, title: str, paragraphs: list[str], **front) -> Path:
    lines = ["---", f"title: {title!r}"]
    lines += [f"{k}: {v!r}" if isinstance(v, str) else f"{k}: {v}" for k, v in front.items()]
    lines += ["---", ""]
    path = folder / "articles" / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def make_photo(path: Path, size=(1800, 1200), mode="RGB") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    im = Image.new("RGB", size)
    px = im.load()
    for y in range(0, size[1], 4):
        for x in range(0, size[0], 4):
            c = (x * 255 // size[0], y * 255 // size[1], 128)
            for dy in range(4):
                for dx in range(4):
                    if x + dx < size[0] and y + dy < size[1]:
                        px[x + dx, y + dy] = c
    if mode != "RGB":
        im = im.convert(mode)
    im.save(path, quality=90) if path.suffix == ".jpg" else im.save(path)
    return path


def write_issue(folder: Path, articles: int = 8, sentences: int = 40, extra: str = "",
                boxes: bool = True, photo: bool = True) -> Path:
    """A plausible issue of `articles` articles, about a page and a half of text each 5."""
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    for i in range(articles):
        paras = [prose(i * 100 + k, max(2, sentences // 5)) for k in range(5)]
        front = {"byline": "Zoë Brontë", "date": f"2023-07-{i + 10:02d}"}
        if photo and i == 0:
            make_photo(folder / "images" / "lead.jpg")
            front.update(image="../images/lead.jpg", caption="The slipway at low tide.")
        write_article(folder, f"a{i}", f"Story {i}: news from the river", paras, **front)
        entries.append(f"  - articles/a{i}.md")
    box_yaml = ""
    if boxes:
        (folder / "boxes").mkdir(exist_ok=True)
        (folder / "boxes" / "about.md").write_text(
            "---\ntitle: About the club\n---\n\n" + prose(7, 4) + "\n", encoding="utf-8")
        (folder / "boxes" / "contact.md").write_text(
            "---\ntitle: Contact\n---\n\n12 Quay Street  \nHarbor Town\n", encoding="utf-8")
        box_yaml = ("boxes:\n  - file: boxes/about.md\n    page: last\n"
                    "  - file: boxes/contact.md\n    page: last\n")
    manifest = folder / "issue.yaml"
    manifest.write_text(textwrap.dedent("""\
        publication:
          name: Test Tide
          tagline: Newsletter of the test rowing club
          publisher: Test Rowing Club
          website: https://tide.example.org
        volume: 4
        number: [19, 20]
        date: July - August 2023
        language: en
        articles:
        """) + "\n".join(entries) + "\n" + box_yaml + extra, encoding="utf-8")
    return manifest


def pytest_configure(config):
    """Tests keep their on-disk cache to themselves, never the user's ~/.cache."""
    import os
    import tempfile
    os.environ["COMPOSITOR_CACHE"] = tempfile.mkdtemp(prefix="compositor-test-cache-")


@pytest.fixture(autouse=True)
def _reproducible(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1690000000")


def build(manifest: Path, *args: str) -> int:
    return main(["build", str(manifest), "-q", *args])


@pytest.fixture(scope="session")
def built_issue(tmp_path_factory) -> dict[str, Path]:
    """A standard test issue built once, both variants."""
    import os
    os.environ["SOURCE_DATE_EPOCH"] = "1690000000"
    folder = tmp_path_factory.mktemp("issue")
    manifest = write_issue(folder)
    assert main(["build", str(manifest), "-q"]) == 0
    return {"manifest": manifest, "print": folder / "build" / f"{folder.name}-print.pdf",
            "web": folder / "build" / f"{folder.name}-web.pdf"}
