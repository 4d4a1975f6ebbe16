"""Page make-up figures: how full the columns of several made-up issues are.

Usage::

    python bench/makeup.py [--out /tmp/makeup] [--only NAME,...] [--png]

Builds the sample issue, benchmark corpus issues and issues of long web-like articles in
several page geometries (A4, A5, Letter, Legal, Tabloid; 1 to 5 columns; fitted with
`pages: N` and unfitted; About and Contact boxes on the last page), reads every web PDF
back with pdfplumber (tests/pagecheck.py) and prints, per build: pages, empty runs over
2.5 body lines on pages other than the last (count and lines), pages under half full
(the last excepted), whether the last page carries body text, runs over 2.5 lines on the
last page, and the typography counts of the fit report. `--png` also writes page images
(pdftoppm, 50 dpi) next to each PDF for looking at.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

import corpus  # noqa: E402
import pagecheck  # noqa: E402

from compositor.build import load  # noqa: E402
from compositor.cli import main  # noqa: E402

SAMPLE = ROOT / "issues" / "harbor-light-2023-07"

# name, source, page geometry, pages (None = unfitted)
CASES = [
    ("sample-A4-3-fit4", "sample", {}, 4),
    ("sample-A4-3", "sample", {}, None),
    ("bench16-A4-3", "corpus16", {}, None),
    ("bench4-A5-2", "corpus4", {"size": "A5", "columns": 2}, None),
    ("bench4-Tabloid-4", "corpus4", {"size": "Tabloid", "columns": 4}, None),
    ("web-Letter-3-fit4", "web", {"size": "Letter", "columns": 3}, 4),
    ("web-A4-4-fit3", "web", {"columns": 4}, 3),
    ("web-Legal-2", "web", {"size": "Legal", "columns": 2}, None),
    ("web-A4-3", "web", {}, None),
    ("web-A4-5", "web", {"columns": 5}, None),
    ("web-A5-1", "web", {"size": "A5", "columns": 1}, None),
    ("web-Letter-2-fit6", "web", {"size": "Letter", "columns": 2}, 6),
    ("bench16-Tabloid-5-fit3", "corpus16", {"size": "Tabloid", "columns": 5}, 3),
]


def web_articles(folder: Path, seed: int = 9) -> list:
    """Long articles as copied from a website: many paragraphs, subheads, the odd list,
    a `url` (so `excerpt: auto`), a few hand-set excerpts."""
    rng = random.Random(seed)
    prose = corpus.Prose(rng)
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    (folder / "images").mkdir(exist_ok=True)
    for i in range(3):
        corpus.make_photo(folder / "images" / f"photo-{i}.jpg", seed * 10 + i)
    entries: list = []
    for n in range(7):
        blocks, words = [], 0
        target = rng.randint(700, 2200)
        while words < target:
            if words and rng.random() < 0.12:
                blocks.append(f"## {prose.headline()}")
                continue
            if words and rng.random() < 0.05:
                blocks.append("\n".join(f"- {prose.noun_phrase()}" for _ in range(4)))
                continue
            para = prose.paragraph(rng.randint(2, 7))
            blocks.append(para)
            words += len(para.split())
        front = {"title": prose.headline(), "byline": prose.person(),
                 "date": f"2026-02-{n + 3:02d}",
                 "url": f"https://news.example.org/2026/02/story-{n}"}
        if n in (0, 3, 5):
            front.update(image=f"../images/photo-{n % 3}.jpg", caption=prose.sentence())
        text = "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True,
                                        width=1000) + "---\n\n" + "\n\n".join(blocks) + "\n"
        (folder / "articles" / f"s{n}.md").write_text(text, encoding="utf-8")
        entry: dict = {"file": f"articles/s{n}.md"}
        if n in (2, 6):
            entry["excerpt"] = 260
        entries.append(entry)
    return entries


def prepare(out: Path, name: str, source: str, page: dict, pages: int | None) -> Path:
    folder = out / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    boxes = [{"file": "boxes/about.md", "page": "last"},
             {"file": "boxes/contact.md", "page": "last"}]
    shutil.copytree(SAMPLE / "boxes", folder / "boxes")
    layout = {"extends": "default", "page": page} if page else {"extends": "default"}
    if source == "sample":
        shutil.copytree(SAMPLE / "articles", folder / "articles")
        shutil.copytree(SAMPLE / "images", folder / "images")
        manifest = yaml.safe_load((SAMPLE / "issue.yaml").read_text(encoding="utf-8"))
        manifest["publication"] = str((ROOT / "issues" / "harbor-light.yaml").resolve())
        layout["article"] = {"qr_code": "15mm"}
    elif source.startswith("corpus"):
        size = int(source.removeprefix("corpus"))
        src = corpus.write_issue(out / "_corpus", size, corpus.DEFAULT_SEED, log=lambda s: None)
        shutil.copytree(src / "articles", folder / "articles")
        shutil.copytree(src / "images", folder / "images")
        manifest = yaml.safe_load((src / "issue.yaml").read_text(encoding="utf-8"))
    else:
        manifest = {"publication": dict(corpus.PUBLICATION), "volume": 2, "number": 7,
                    "date": "February 2026", "language": "en",
                    "articles": web_articles(folder)}
    manifest.pop("pages", None)
    if pages:
        manifest["pages"] = pages
    manifest["boxes"] = boxes
    manifest["layout"] = "layout.yaml"
    (folder / "layout.yaml").write_text(yaml.safe_dump(layout, sort_keys=False),
                                        encoding="utf-8")
    path = folder / "issue.yaml"
    path.write_text(yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True, width=1000),
                    encoding="utf-8")
    return path


def run_case(out: Path, case: tuple, png: bool) -> dict:
    name, source, page, pages = case
    manifest = prepare(out, name, source, page, pages)
    pdf = manifest.parent / f"{name}.pdf"
    report_file = manifest.parent / "report.json"
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["build", str(manifest), "-q", "--no-preflight", "--variant", "web",
                     "-o", str(pdf), "--report", str(report_file)])
    if code != 0:
        return {"name": name, "error": err.getvalue().strip().splitlines()[-1:]}
    spec = load(manifest).spec
    fills = pagecheck.measure(pdf, spec)
    holes = pagecheck.holes(fills)
    last_holes = [(p, c, h) for p, c, h in pagecheck.holes(fills, last_too=True)
                  if p == len(fills)]
    counts = json.loads(report_file.read_text())["counts"]
    if png:
        subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf),
                        str(manifest.parent / "page")], check=False)
    return {"name": name, "pages": len(fills), "fitted": bool(pages),
            "holes": len(holes), "hole_lines": round(sum(h for _, _, h in holes)),
            "where": holes,
            "half_empty": sum(1 for f in fills[:-1] if f.full < 0.5),
            "last_body": fills[-1].has_body_text(),
            "last_holes": last_holes,
            "warnings": [ln for ln in err.getvalue().splitlines() if "warning" in ln],
            "counts": {k: counts[k] for k in ("loose", "widows", "orphans",
                                              "stacked_hyphens", "stranded_heads")}}


def main_(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/makeup"))
    parser.add_argument("--only", default="")
    parser.add_argument("--png", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    wanted = [w for w in args.only.split(",") if w]
    results = []
    for case in CASES:
        if wanted and not any(w in case[0] for w in wanted):
            continue
        r = run_case(args.out, case, args.png)
        results.append(r)
        if "error" in r:
            print(f"{r['name']:<20} build failed: {r['error']}")
            continue
        c = r["counts"]
        print(f"{r['name']:<20} {r['pages']:>2} pp  holes {r['holes']:>2} "
              f"({r['hole_lines']:>3} lines)  <half {r['half_empty']}  "
              f"last: body {'yes' if r['last_body'] else 'NO '} "
              f"holes {len(r['last_holes'])}  | loose {c['loose']} widows {c['widows']} "
              f"orphans {c['orphans']} stacked {c['stacked_hyphens']}")
        for p, col, h in r["where"]:
            print(f"    p{p} col {col}: {h} lines")
        for p, col, h in r["last_holes"]:
            print(f"    last p{p} col {col}: {h} lines")
    ok = [r for r in results if "error" not in r]
    print(f"total: {sum(r['holes'] for r in ok)} holes ({sum(r['hole_lines'] for r in ok)} "
          f"lines) on pages but the last; {sum(r['half_empty'] for r in ok)} pages under half "
          f"full; {sum(not r['last_body'] for r in ok)} last pages without body text; "
          f"{sum(bool(r['last_holes']) for r in ok if r['fitted'])} of "
          f"{sum(r['fitted'] for r in ok)} fitted issues with a hole on the last page")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main_())
