"""This checkout's `compositor build` against another checkout's (the base a branch started
from), interleaved, whole processes, with `--timings`.

    git worktree add --detach /tmp/base main
    .venv/bin/python bench/against.py --base /tmp/base issues/harbor-light-2023-07/issue.yaml
    .venv/bin/python bench/against.py --base /tmp/base --cache off --pages 14 \
        bench/corpus/issue-016/issue.yaml

Each code tree runs from its own folder (PYTHONPATH), with the same interpreter and
packages, and its own on-disk cache (`--cache warm`: filled by the untimed warm-up round;
`--cache off`: COMPOSITOR_CACHE=off). Rounds alternate which tree goes first, so load from
other work on the machine hits both alike. Prints, per manifest and tree, medians of wall
time, CPU time (user + system, the forked web variant included) and the layout and total
steps `--timings` reports, with min-max, and the ratio of this tree to the base.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STEP = re.compile(r"^\s{2}(\w[\w ]*?)\s+([\d.]+) ms$")


def run_once(tree: Path, manifest: Path, out: Path, cache: str, extra: list[str]) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=str(tree), COMPOSITOR_CACHE=cache, SOURCE_DATE_EPOCH="1690000000")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "compositor", "build", str(manifest), "-q",
                             "--timings", "-o", str(out), "--variant", "all", *extra],
                            cwd=out, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    text = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0,):
        raise SystemExit(f"{tree}: build of {manifest} failed:\n{text[-2000:]}")
    steps = {m.group(1).strip(): float(m.group(2)) / 1000 for line in text.splitlines()
             if (m := STEP.match(line))}
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
            "layout": steps.get("layout", float("nan")),
            "total": steps.get("total", float("nan"))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("manifests", nargs="+", type=Path)
    ap.add_argument("--base", type=Path, required=True, help="the other checkout")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--cache", choices=("warm", "off"), default="warm")
    ap.add_argument("--pages", type=int, help="fit to N pages (--pages N)")
    args = ap.parse_args(argv)
    extra = ["--pages", str(args.pages)] if args.pages else []
    trees = {"base": args.base.resolve(), "this": ROOT}
    work = Path(tempfile.mkdtemp(prefix="against-"))
    try:
        for manifest in args.manifests:
            manifest = manifest.resolve()
            caches = {name: "off" if args.cache == "off" else str(work / f"cache-{name}")
                      for name in trees}
            results: dict[str, list[dict]] = {name: [] for name in trees}
            for r in range(args.warmup + args.runs):
                order = list(trees) if r % 2 == 0 else list(reversed(trees))
                for name in order:
                    got = run_once(trees[name], manifest, work / f"out-{name}", caches[name],
                                   extra)
                    if r >= args.warmup:
                        results[name].append(got)
            same = all((work / "out-base" / p.name).read_bytes() == p.read_bytes()
                       for p in (work / "out-this").glob("*.pdf"))
            print(f"\n{manifest} {' '.join(extra)} cache {args.cache}, {args.runs} runs "
                  f"(median, min-max); last PDFs identical to base: {same}")
            print("| code | wall s | cpu s | layout s | total s |")
            print("|---|---:|---:|---:|---:|")
            med = {}
            for name, rows in results.items():
                cells = []
                for key in ("wall", "cpu", "layout", "total"):
                    values = [row[key] for row in rows]
                    med[name, key] = statistics.median(values)
                    cells.append(f"{med[name, key]:.2f} ({min(values):.2f}-{max(values):.2f})")
                print(f"| {name} | " + " | ".join(cells) + " |")
            print("| this ÷ base | " + " | ".join(
                f"{med['this', k] / med['base', k]:.2f}" for k in ("wall", "cpu", "layout",
                                                                  "total")) + " |")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
