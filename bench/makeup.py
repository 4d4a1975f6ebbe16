"""Page make-up figures: how full the columns of several made-up issues are.

Usage::

    python bench/makeup.py [--out /tmp/makeup] [--only NAME,...] [--png] [--details]
                           [--json FILE]

Builds the sample issue, benchmark corpus issues and issues of long web-like articles in
several page geometries (A4, A5, Letter, Legal, Tabloid; 1 to 5 columns; fitted with
`pages: N` and unfitted; About and Contact boxes on the last page), reads every web PDF
back with pdfplumber (tests/pagecheck.py, `read_back`) and prints one row per build with
each of issue 19's make-up targets (holes, thin last page, where the last page's columns
end above the boxes, fitted last page full, photos against the column grid, portrait
aspects, openings at a column foot, baseline grid, byline space, contents box; see the
epilog of `--help`), then a total line. `--details` says where each figure is, `--json`
writes every figure, `--png` also writes page images (pdftoppm, 50 dpi) next to each PDF.
The `i19-*` builds are issue 19's geometries (`--only i19`).
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
    # Issue 19's targets: ten web articles of 150 to 2,500 words (about 7,000), two
    # landscape and two portrait photos (one 3:4), About and Contact boxes on the last page.
    ("i19-Letter-3", "issue19", {"size": "Letter", "columns": 3}, None),
    ("i19-A4-2", "issue19", {"columns": 2}, None),
    ("i19-Tabloid-4", "issue19", {"size": "Tabloid", "columns": 4}, None),
    ("i19-A4-4", "issue19", {"columns": 4}, None),
    ("i19-A5-3", "issue19", {"size": "A5", "columns": 3}, None),
    ("i19-A4-3", "issue19", {}, None),
    ("i19-A4-3-fit8", "issue19", {}, 8),  # text cut to fit
    ("i19-A4-3-fit10", "issue19", {}, 10),  # all the text fits: nothing to give back
]
# The issue 19 geometries (tests/test_makeup.py builds the same issues).
ISSUE19 = [c for c in CASES if c[1] == "issue19"]

# Issue 19's articles: words per article, and which carry a photo of which shape
# (width, height in pixels; 750 x 1000 is a 3:4 portrait).
ISSUE19_WORDS = [1000, 380, 2380, 330, 600, 130, 780, 320, 470, 240]
ISSUE19_PHOTOS = {0: (750, 1000), 2: (1600, 1000), 4: (800, 1000), 6: (1500, 1000)}


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


def photo(path: Path, seed: int, size: tuple[int, int]) -> None:
    """The bench's seeded landscape scene, cut to `size` (a portrait from its middle)."""
    corpus.make_photo(path, seed)
    from PIL import Image
    with Image.open(path) as im:
        w, h = im.size
        scale = max(size[0] / w, size[1] / h)
        im = im.resize((round(w * scale), round(h * scale)))
        left, top = (im.width - size[0]) // 2, (im.height - size[1]) // 2
        im.crop((left, top, left + size[0], top + size[1])).save(path, "JPEG", quality=85)


def issue19_articles(folder: Path, seed: int = 19) -> list:
    """Ten articles as copied from a website, 150 to 2,500 words (about 7,000 in all):
    paragraphs, subheads in the longer ones, the odd list, a `url` (so `excerpt: auto` when
    fitted); photos landscape and portrait, each with a caption. Generated text (the
    bench's own sentence generator), never copied prose."""
    rng = random.Random(seed)
    prose = corpus.Prose(rng)
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    (folder / "images").mkdir(exist_ok=True)
    entries: list = []
    for n, target in enumerate(ISSUE19_WORDS):
        blocks, words = [], 0
        while words < target:
            if target > 600 and words > 150 and rng.random() < 0.1:
                blocks.append(f"## {prose.headline()}")
            if target > 400 and words and rng.random() < 0.04:
                blocks.append("\n".join(f"- {prose.noun_phrase()}" for _ in range(3)))
            para = prose.paragraph(rng.randint(2, 6))
            blocks.append(para)
            words += len(para.split())
        title = prose.headline()
        if n % 2:  # web headlines run long
            title += f", and what comes next for {prose.noun_phrase(plural_ok=False)}"
        front = {"title": title, "byline": prose.person(),
                 "date": f"2026-03-{n + 2:02d}",
                 "url": f"https://news.example.org/2026/03/story-{n}"}
        if n in ISSUE19_PHOTOS:
            photo(folder / "images" / f"photo-{n}.jpg", seed * 10 + n, ISSUE19_PHOTOS[n])
            front.update(image=f"../images/photo-{n}.jpg", caption=prose.sentence())
        text = "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True,
                                        width=1000) + "---\n\n" + "\n\n".join(blocks) + "\n"
        (folder / "articles" / f"s{n}.md").write_text(text, encoding="utf-8")
        entries.append({"file": f"articles/s{n}.md"})
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
        articles = issue19_articles(folder) if source == "issue19" else web_articles(folder)
        manifest = {"publication": dict(corpus.PUBLICATION), "volume": 2, "number": 7,
                    "date": "February 2026", "language": "en", "articles": articles}
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
    built = load(manifest)
    spec = built.spec
    fills = pagecheck.measure(pdf, spec)
    holes = pagecheck.holes(fills)
    last_holes = [(p, c, h) for p, c, h in pagecheck.holes(fills, last_too=True)
                  if p == len(fills)]
    figures = pagecheck.read_back(pdf, spec, built.issue)
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
                                              "stacked_hyphens", "stranded_heads")},
            "figures": figures, "summary": pagecheck.summary(figures)}


HEADER = ("build                  pp  holes max  thin(share)  last: spread gap white     "
          "photos portr  foot  base  byl  toc   bkm | loose wid orph")


def row(r: dict) -> str:
    """One build's figures on one line: see --help-columns."""
    s, c = r["summary"], r["counts"]
    portraits = ",".join(f"{a:.2f}" for a in s["portrait_aspects"]) or "-"
    fitted_full = "" if not r["fitted"] else (" full" if s["last_short"] <= 1.0 else " SHORT")
    return (f"{r['name']:<21} {s['pages']:>3} {s['holes']:>5} {s['hole_max']:>4.1f} "
            f"{'THIN' if s['thin_last'] else 'ok  '}({s['last_share']:.2f})  "
            f"{s['end_spread']:>11.1f} {s['max_gap']:>4.1f} {s['white']:<9}{fitted_full:<6}"
            f"{s['narrow_photos']:>2} {portraits:<10} {s['foot_openings']:>2} "
            f"{s['baseline_pairs_off']:>5} {s['byline_spread']:>5.1f} {s['contents']:>5} "
            f"{'YES' if s['bookmarks'] else 'no':>4} | {c['loose']:>5} {c['widows']:>3} "
            f"{c['orphans']:>4}")


COLUMNS = """Columns: pp pages; holes, max: empty runs over 2.5 body lines in a column of a page
but the last (spanning titles cover only the columns they reach), and the tallest in
lines; thin(share): the last page's columns hold text, photos or titles outside the boxes
over this share of their area (THIN under 0.25); last: spread: lines between where the
last page's columns end above the boxes (or the foot), gap: the most white above the
boxes in lines, white: none / one band / ragged, and for fitted issues full (every
column within one line of full: past the line left above the boxes, or on the foot) or
SHORT; photos: photos narrower than their span by the
column grid without their caption aligned and text beside them; portr: displayed aspect
(w/h) of each photo whose source is a portrait (3:4 = 0.75 to 1:1 wanted); foot: article
openings at a column foot with fewer than 5 body lines under the title; base: pairs of
adjacent columns whose body baselines are off one grid by over 0.5 pt; byl: the largest
spread on one page of the space under bylines (pt, byline to body baseline); toc:
articles the page-1 contents box lists, of all; bkm: text mentions bookmarks; then the
fit report's counts."""


def details(r: dict) -> list[str]:
    f = r["figures"]
    out = []
    for h in f["holes"]:
        if not h["last"]:
            out.append(f"    hole p{h['page']} col {h['column']}: {h['lines']} lines "
                       f"at {h['at_mm']} mm")
    last = f["last_page"]
    ends = " ".join(f"{e['gap_lines']:g}" for e in last["columns"])
    out.append(f"    last page: {last['text_share']:.0%} text, {last['boxes']} boxes, "
               f"column ends above boxes/foot (lines): {ends}; white {last['white_mm']} mm")
    for p in f["photos"]:
        flag = ""
        if p["narrower"]:
            flag = (f" NARROWER than its {p['span_mm']} mm span, caption "
                    f"{'aligned' if p['caption_aligned'] else 'NOT aligned'}, text beside "
                    f"{'yes' if p['text_beside'] else 'NO'}")
        src = f" source {p['source'][0]}x{p['source'][1]}" if p["source"] else ""
        out.append(f"    photo p{p['page']} cols {p['columns'][0]}-{p['columns'][1]}: "
                   f"{p['w_mm']} x {p['h_mm']} mm, aspect {p['aspect']}{src}{flag}")
    for o in f["foot_openings"]:
        out.append(f"    opening at foot p{o['page']} col {o['column']}: {o['lines']} lines "
                   f"under '{o['title']}'")
    for b in f["baseline_pairs_off"]:
        out.append(f"    baselines p{b['page']} cols {b['columns'][0]}/{b['columns'][1]}: "
                   f"{b['offset_pt']:+} pt off the grid")
    for b in f["byline_space"]:
        if b["spread_pt"] > 1:
            out.append(f"    bylines p{b['page']}: {b['min_pt']}-{b['max_pt']} pt to the "
                       f"first body baseline")
    if f["bookmarks"]:
        out.append(f"    'bookmarks' on page(s) {f['bookmarks']}")
    return out


def main_(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                     epilog=COLUMNS,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("/tmp/makeup"))
    parser.add_argument("--only", default="", help="builds whose name contains any of "
                        "these comma-separated words (i19 = issue 19's geometries)")
    parser.add_argument("--png", action="store_true")
    parser.add_argument("--json", type=Path, help="write every figure of every build here")
    parser.add_argument("--details", action="store_true", help="where each figure is")
    args = parser.parse_args(argv)
    wanted = [w for w in args.only.split(",") if w]
    results = []
    print(HEADER)
    for case in CASES:
        if wanted and not any(w in case[0] for w in wanted):
            continue
        r = run_case(args.out, case, args.png)
        results.append(r)
        if "error" in r:
            print(f"{r['name']:<21} build failed: {r['error']}")
            continue
        print(row(r), flush=True)
        if args.details:
            print("\n".join(details(r)))
    ok = [r for r in results if "error" not in r]
    sums = [r["summary"] for r in ok]
    fitted = [r for r in ok if r["fitted"]]
    print(f"total ({len(ok)} builds): {sum(s['holes'] for s in sums)} holes over 2.5 lines "
          f"on pages but the last; {sum(bool(s['thin_last']) for s in sums)} thin last pages; "
          f"{sum(s['end_spread'] > 1.05 for s in sums)} last pages whose columns end over a "
          f"line apart; {sum(s['white'] == 'ragged' for s in sums)} with ragged white above "
          f"the boxes; {sum(r['summary']['last_short'] > 1.0 for r in fitted)} of "
          f"{len(fitted)} fitted issues short on the last page; "
          f"{sum(s['narrow_photos'] for s in sums)} narrowed photos; "
          f"{sum(s['portraits_bad'] for s in sums)} portraits out of 3:4-1:1; "
          f"{sum(s['foot_openings'] for s in sums)} openings at a column foot; "
          f"{sum(s['baseline_pairs_off'] for s in sums)} column pairs off the baseline grid; "
          f"{sum(s['bookmarks'] for s in sums)} mentions of bookmarks; "
          f"{sum(s['paragraph_gaps'] for s in sums)} blank lines opened between paragraphs "
          f"(most {max((s['paragraph_gaps'] for s in sums), default=0)} in one build)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main_())
