"""Benchmark: compositor against plain ReportLab, Typst and WeasyPrint on one corpus.

Usage::

    python bench/run.py [--sizes 4,16,64,256] [--runs 5] [--out bench/RESULTS.md]
                        [--weasyprint-max 16]

Every measurement is a whole process (interpreter start included), timed with
``/usr/bin/time`` for wall time and peak memory. Runs are interleaved round-robin across
tools within each size, so load on a shared machine hits every tool alike. Ratios are
reported next to seconds because absolute times drift on a shared machine.

Compositor runs use ``COMPOSITOR_CACHE=off`` (cold: nothing reused from earlier builds)
unless the column says "warm"; ``--no-preflight`` unless it says "+preflight".
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PY = sys.executable


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MB, error text) of one process."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        full = ["/usr/bin/time", "-o", tf.name, "-f", "%e %M", *cmd]
        proc = subprocess.run(full, capture_output=True, env={**os.environ, **(env or {})})
        wall, rss = tf.read().split()[-2:]
    err = "" if proc.returncode == 0 else proc.stderr.decode(errors="replace")[-300:]
    return float(wall), int(rss) / 1024, err


def pages_of(pdf: Path) -> int:
    from pypdf import PdfReader
    return len(PdfReader(pdf).pages)


def tools(manifest: Path, out: Path, fit_pages: int | None, weasy: bool) -> dict[str, tuple]:
    comp = [PY, "-m", "compositor", "build", str(manifest), "-q"]
    cold = {"COMPOSITOR_CACHE": "off"}
    t = {
        "compositor print": (comp + ["--variant", "print", "--no-preflight", "-o",
                                     str(out / "c-print.pdf")], cold),
        "compositor web": (comp + ["--variant", "web", "--no-preflight", "-o",
                                   str(out / "c-web.pdf")], cold),
        "compositor both": (comp + ["--variant", "all", "--no-preflight", "-o",
                                    str(out / "c.pdf")], cold),
        "compositor both warm": (comp + ["--variant", "all", "--no-preflight", "-o",
                                         str(out / "w.pdf")], {}),
        "compositor both +preflight": (comp + ["--variant", "all", "--force", "-o",
                                               str(out / "p.pdf")], cold),
        "plain ReportLab": ([PY, str(HERE / "plain_reportlab.py"), str(manifest),
                             str(out / "rl.pdf")], {}),
        "Typst": ([PY, str(HERE / "peers.py"), "typst", str(manifest), str(out / "typst.pdf")],
                  {}),
    }
    if fit_pages:
        t["compositor print fit"] = (comp + ["--variant", "print", "--no-preflight",
                                             "--pages", str(fit_pages), "-o",
                                             str(out / "fit.pdf")], cold)
    if weasy:
        t["WeasyPrint"] = ([PY, str(HERE / "peers.py"), "weasyprint", str(manifest),
                            str(out / "weasy.pdf")], {})
    return t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="4,16,64,256")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    ap.add_argument("--weasyprint-max", type=int, default=16,
                    help="largest size to run WeasyPrint on (it is slow)")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    subprocess.run([PY, str(HERE / "corpus.py"), "--sizes", args.sizes], check=True,
                   capture_output=True)
    rows = []
    for size in sizes:
        manifest = HERE / "corpus" / f"issue-{size:03d}" / "issue.yaml"
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp)
            # Warm-up (also finds the natural page count to fit one page shorter).
            subprocess.run([PY, "-m", "compositor", "build", str(manifest), "-q",
                            "--variant", "print", "--no-preflight", "-o",
                            str(out / "probe.pdf")], capture_output=True)
            natural = pages_of(out / "probe.pdf") if (out / "probe.pdf").exists() else 0
            fit = max(1, natural - 1) if natural > 1 else None
            plan = tools(manifest, out, fit, size <= args.weasyprint_max)
            results: dict[str, list[tuple[float, float]]] = {k: [] for k in plan}
            errors: dict[str, str] = {}
            for _ in range(args.runs):
                for name, (cmd, env) in plan.items():
                    wall, rss, err = timed(cmd, env)
                    if err:
                        errors[name] = err
                    else:
                        results[name].append((wall, rss))
            pdfs = {"compositor print": "c-print.pdf", "plain ReportLab": "rl.pdf",
                    "Typst": "typst.pdf", "WeasyPrint": "weasy.pdf",
                    "compositor print fit": "fit.pdf"}
            counts = {k: pages_of(out / v) for k, v in pdfs.items() if (out / v).exists()}
        med = {k: statistics.median(w for w, _ in v) for k, v in results.items() if v}
        for name, runs in results.items():
            if not runs:
                rows.append((size, name, None, None, None, None, None, None, None,
                             errors.get(name, "")))
                continue
            walls = [w for w, _ in runs]
            m = statistics.median(walls)
            pages = counts.get(name, counts.get("compositor print", natural))
            rows.append((size, name, m, min(walls), max(walls), max(r for _, r in runs),
                         m / med["Typst"] if "Typst" in med else None,
                         m / med["plain ReportLab"] if "plain ReportLab" in med else None,
                         (m / pages * 1000) if pages else None, ""))
        print(f"size {size}: done", file=sys.stderr)
    lines = ["| size | tool | median s | min s | max s | peak MB | × Typst | × plain RL | "
             "ms/page |", "|---|---|---|---|---|---|---|---|---|"]
    def f(v: float | None, d: int = 2) -> str:
        return f"{v:.{d}f}" if v is not None else "–"

    for size, name, m, lo, hi, rss, rt, rr, pp, err in rows:
        if m is None:
            why = err.strip().splitlines()[-1] if err.strip() else "?"
            lines.append(f"| {size} | {name} | failed: {why} | | | | | | |")
            continue
        lines.append(f"| {size} | {name} | {m:.2f} | {lo:.2f} | {hi:.2f} | {rss:.0f} | "
                     f"{f(rt)} | {f(rr)} | {f(pp, 0)} |")
    table = "\n".join(lines)
    header = (f"# Benchmark results\n\n`python bench/run.py --sizes {args.sizes} --runs "
              f"{args.runs}` on {os.cpu_count()} CPUs. Whole processes, interleaved; "
              "median, min and max wall time; peak resident memory.\n\n")
    args.out.write_text(header + table + "\n")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
