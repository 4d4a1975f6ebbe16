"""Word spacing of justified text read back from the PDF, on long real-article issues.

Usage::

    python bench/spacing.py [--out /tmp/spacing] [--only NAME,...] [--loosest N]

Builds the sample and issues of long articles (bench/makeup.py's issue 19 articles and
web articles, and the same issue 19 geometry with names-rich text from
bench/names_corpus.py: transliterated personal and place names, "-e-" compounds,
acronyms, figures), reads every justified body line back from the PDF and prints, per
build: the share of justified lines whose mean word gap is within 1.33x and 1.5x a normal
space and over 2x, ladders of three hyphenated lines in a row, capitalised words broken
by an added hyphen per 1,000 lines, the widest letter spacing (em) and glyph scale found
in the PDF, then the loosest lines with their text. Run it with another checkout's
`compositor` first on PYTHONPATH to measure that code on the same issues.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import random
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import pdfplumber
import pikepdf

HERE = Path(__file__).resolve().parent
sys.path.insert(1, str(HERE))

import makeup  # noqa: E402
import names_corpus  # noqa: E402

from compositor.cli import main  # noqa: E402

CASES = [
    ("sample-A4-3-fit4", "sample", {}, 4),
    ("i19-A4-3-fit8", "issue19", {}, 8),
    ("i19-Letter-3", "issue19", {"size": "Letter", "columns": 3}, None),
    ("web-A4-3", "web", {}, None),
    ("names-A4-3-fit8", "names", {}, 8),
    ("names-Letter-3", "names", {"size": "Letter", "columns": 3}, None),
]


def prepare(out: Path, case: tuple) -> Path:
    name, source, page, pages = case
    manifest = makeup.prepare(out, name, "issue19" if source == "names" else source, page,
                              pages)
    if source == "names":
        # Issue 19's ten articles (titles, photos, lengths) with names-rich text.
        rng = random.Random(22)
        prose = names_corpus.NamesProse(rng)
        for n, target in enumerate(makeup.ISSUE19_WORDS):
            path = manifest.parent / "articles" / f"s{n}.md"
            head = path.read_text(encoding="utf-8").split("---\n", 2)
            blocks, words = [], 0
            while words < target:
                para = prose.paragraph(rng.randint(2, 6))
                blocks.append(para)
                words += len(para.split())
            path.write_text("---\n" + head[1] + "---\n\n" + "\n\n".join(blocks) + "\n",
                            encoding="utf-8")
    return manifest


def space_widths(pdf_path: Path) -> dict[str, float]:
    out: dict[str, float] = {}
    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                widths = font.get("/Widths")
                first = int(font.get("/FirstChar", 0))
                if widths is not None and first <= 32 < first + len(widths):
                    out[str(font.BaseFont)[1:]] = float(widths[32 - first]) / 1000
    return out


def pdf_spacing_limits(pdf_path: Path, body_size: float) -> tuple[float, float, float]:
    """The widest and narrowest letter spacing (Tc, in em) that body text is shown with
    and the widest glyph-scale departure from 100 % (Tz) in the PDF's content streams."""
    tc_max = tc_min = tz_off = 0.0
    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            size, tc = 1.0, 0.0
            for operands, op in pikepdf.parse_content_stream(page):
                name = str(op)
                if name == "Tf":
                    size = float(operands[1]) or 1.0
                elif name == "Tc":
                    tc = float(operands[0])
                elif name in ("Tj", "TJ", "'", '"') and abs(size - body_size) < 0.05:
                    tc_max, tc_min = max(tc_max, tc / size), min(tc_min, tc / size)
                elif name == "Tz":
                    tz_off = max(tz_off, abs(float(operands[0]) - 100.0))
    return tc_max, tc_min, tz_off


def read_lines(pdf_path: Path, body_size: float) -> list[dict]:
    """Every body line of every column: page, column, text, whether justified (ends on a
    column edge) and its mean word gap over a normal space."""
    space = space_widths(pdf_path)
    out = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            rows = defaultdict(list)
            body = sorted((ch for ch in page.chars if abs(ch["size"] - body_size) < 0.05),
                          key=lambda ch: ch["top"])
            row, last = 0, None
            for ch in body:
                if last is not None and ch["top"] - last > 1.0:
                    row += 1
                rows[row].append(ch)
                last = ch["top"]
            segments = []
            for chars in rows.values():
                chars.sort(key=lambda c: c["x0"])
                seg = [chars[0]]
                for ch in chars[1:]:
                    if ch["x0"] - seg[-1]["x1"] > 8:
                        segments.append(seg)
                        seg = []
                    seg.append(ch)
                segments.append(seg)
            ends = sorted(max(c["x1"] for c in s if c["text"] != " ")
                          for s in segments if any(c["text"] != " " for c in s))
            bunches: list[list[float]] = []
            for x in ends:
                if bunches and x - bunches[-1][-1] <= 1.0:
                    bunches[-1].append(x)
                else:
                    bunches.append([x])
            edges = sorted(statistics.median(b) for b in bunches if len(b) >= 5)
            for seg in segments:
                ink = [c for c in seg if c["text"] != " "]
                if not ink:
                    continue
                x1 = ink[-1]["x1"]
                justified = any(abs(x1 - e) < 0.6 for e in edges)
                column = next((k for k, e in enumerate(edges) if e >= x1 - 0.6), len(edges))
                gaps, normal = [], []
                for i, ch in enumerate(seg[1:-1], 1):
                    if ch["text"] == " " and seg[i - 1]["text"] != " " and \
                            seg[i + 1]["text"] != " ":
                        gaps.append(seg[i + 1]["x0"] - seg[i - 1]["x1"])
                        normal.append(space[ch["fontname"]] * ch["size"])
                ratio = None
                if gaps and justified:
                    mean = sum(normal) / len(normal)
                    ratio = sum(gaps) / len(gaps) / mean
                out.append({"page": page.page_number, "column": column, "top": seg[0]["top"],
                            "text": "".join(c["text"] for c in seg).strip(),
                            "justified": justified, "gap": ratio})
    out.sort(key=lambda r: (r["page"], r["column"], r["top"]))
    return out


def source_words(folder: Path) -> set[str]:
    words: set[str] = set()
    for md in (folder / "articles").glob("*.md"):
        words.update(re.findall(r"[\w’'-]+", md.read_text(encoding="utf-8")))
    return words


def figures(lines: list[dict], words: set[str]) -> dict:
    gaps = [r["gap"] for r in lines if r["gap"] is not None]
    n = len(gaps) or 1
    ladders = run = 0
    broken = []
    prev = None
    for r in lines:
        same = prev is not None and (prev["page"], prev["column"]) == (r["page"], r["column"])
        if not same:
            run = 0
        if prev is not None and same and prev["text"].endswith("-"):
            head = prev["text"].split(" ")[-1].rstrip("-")
            tail = r["text"].split(" ")[0]
            core = re.sub(r"^\W+", "", head)
            joined = re.sub(r"\W+$", "", head + tail)
            # An added hyphen: the word exists whole in the text, not with the hyphen.
            if core[:1].isupper() and re.sub(r"^\W+", "", joined) in words:
                broken.append(f"{head}-/{tail}")
        if r["text"].endswith("-") and r["justified"]:
            run += 1
            if run == 3:
                ladders += 1
        else:
            run = 0
        prev = r
    return {"lines": len(lines), "justified": len(gaps),
            "le133": sum(g <= 1.33 + 1e-6 for g in gaps) / n,
            "le150": sum(g <= 1.5 + 1e-6 for g in gaps) / n,
            "gt200": sum(g > 2.0 for g in gaps) / n, "over2": sum(g > 2.0 for g in gaps),
            "ladders": ladders, "broken": broken,
            "broken_per_k": 1000 * len(broken) / max(1, len(lines))}


def run_case(out: Path, case: tuple) -> dict:
    name = case[0]
    manifest = prepare(out, case)
    pdf = manifest.parent / f"{name}.pdf"
    report = manifest.parent / "report.json"
    err = io.StringIO()
    t0 = time.perf_counter()
    with contextlib.redirect_stderr(err):
        code = main(["build", str(manifest), "-q", "--no-preflight", "--variant", "web",
                     "-o", str(pdf), "--report", str(report)])
    seconds = time.perf_counter() - t0
    if code != 0:
        return {"name": name, "error": err.getvalue().strip().splitlines()[-1:]}
    with pdfplumber.open(pdf) as doc:
        sizes = defaultdict(int)
        for page in doc.pages:
            for ch in page.chars:
                sizes[round(ch["size"], 2)] += 1
    body = max(sizes, key=sizes.get)
    lines = read_lines(pdf, body)
    f = figures(lines, source_words(manifest.parent))
    f.update(name=name, seconds=seconds, pdf=str(pdf),
             counts=json.loads(report.read_text())["counts"])
    f["tc_max"], f["tc_min"], f["tz_off"] = pdf_spacing_limits(pdf, body)
    f["loosest"] = sorted((r for r in lines if r["gap"] is not None),
                          key=lambda r: -r["gap"])
    return f


HEADER = ("build                 lines just  <=1.33  <=1.5    >2x (n) ladders names/1000  "
          "Tc max/min em  Tz off %  loose tight runts    s")


def row(f: dict) -> str:
    c = f["counts"]
    return (f"{f['name']:<21} {f['lines']:>5} {f['justified']:>4} {f['le133']:>6.1%} "
            f"{f['le150']:>6.1%} {f['gt200']:>5.2%} ({f['over2']:>2}) {f['ladders']:>7} "
            f"{f['broken_per_k']:>6.2f} ({len(f['broken']):>2})  {f['tc_max']:+.4f}/"
            f"{f['tc_min']:+.4f} {f['tz_off']:>8.1f} {c['loose']:>5} {c['tight']:>5} "
            f"{c['runts']:>5} {f['seconds']:>4.0f}")


def main_(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/spacing"))
    parser.add_argument("--only", default="", help="builds whose name contains any of "
                        "these comma-separated words")
    parser.add_argument("--loosest", type=int, default=5, help="loosest lines shown per build")
    parser.add_argument("--json", type=Path, help="write every figure here")
    args = parser.parse_args(argv)
    wanted = [w for w in args.only.split(",") if w]
    results = []
    print(HEADER)
    for case in CASES:
        if wanted and not any(w in case[0] for w in wanted):
            continue
        f = run_case(args.out, case)
        if "error" in f:
            print(f"{case[0]:<21} build failed: {f['error']}")
            continue
        results.append(f)
        print(row(f), flush=True)
    for f in results:
        print(f"\n{f['name']}: loosest lines (gap / normal space), names broken: "
              f"{', '.join(f['broken']) or 'none'}")
        for r in f["loosest"][:args.loosest]:
            print(f"  {r['gap']:.2f}x p{r['page']} c{r['column']}: {r['text']}")
    all_lines = sum(f["justified"] for f in results) or 1
    print(f"\nall: {sum(f['le133'] * f['justified'] for f in results) / all_lines:.1%} within "
          f"1.33x, {sum(f['le150'] * f['justified'] for f in results) / all_lines:.1%} within "
          f"1.5x, {sum(f['over2'] for f in results)} lines over 2x, "
          f"{sum(f['ladders'] for f in results)} ladders, "
          f"{sum(len(f['broken']) for f in results)} names broken in "
          f"{sum(f['lines'] for f in results)} lines")
    if args.json:
        for f in results:
            f["loosest"] = f["loosest"][:20]
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main_())
