"""Save-to-preview latency of `compositor watch` on the sample issue.

A copy of the sample issue is watched by the real command; a headless Chromium (Debian's,
driven by Playwright) shows the preview page. Each round changes one word of an article on
disk and times, from just before the write to the moment the browser shows a newer build
with every page image loaded. The server's own breakdown of each rebuild is printed too.

    .venv/bin/python bench/watch_latency.py [--rounds 15] [--chromium /usr/bin/chromium]
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
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WORDS = ["rain", "drizzle", "sleet", "hail", "showers", "storms"]
LOADED = ("b => Number(document.body.dataset.build) > b && document.body.dataset.state === 'ok'"
          " && [...document.querySelectorAll('figure.page img')]"
          ".every(i => i.complete && i.naturalWidth > 0)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    ap.add_argument("--pause", type=float, default=3.0,
                    help="seconds between rounds, as a designer looks before the next "
                         "change (watch writes the PDF files in such pauses)")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="watch-bench-"))
    issues = work / "issues"
    shutil.copytree(ROOT / "issues", issues, ignore=shutil.ignore_patterns("build"))
    manifest = issues / "harbor-light-2023-07" / "issue.yaml"
    article = manifest.parent / "articles" / "regatta-report.md"
    env = {**os.environ, "PYTHONUNBUFFERED": "1",
           "COMPOSITOR_CACHE": os.environ.get("COMPOSITOR_CACHE", str(work / "cache"))}
    proc = subprocess.Popen([sys.executable, "-m", "compositor", "watch", str(manifest),
                             "--port", "0"], cwd=work, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    threading.Thread(target=lambda: [lines.append(x) for x in proc.stdout], daemon=True).start()
    url = None
    for _ in range(600):
        url = next((m.group(0) for x in lines for m in [re.search(r"http://\S+/", x)] if m), None)
        if url and any(x.startswith("watching") for x in lines):
            break
        time.sleep(0.1)
    results, breakdown = [], []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, args=FLAGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url)
            page.wait_for_function(LOADED, arg=0, timeout=60_000)
            text = article.read_text(encoding="utf-8")
            for k in range(args.rounds):
                time.sleep(args.pause)
                build = int(page.evaluate("document.body.dataset.build"))
                # Never the word already there: a save that changes nothing rebuilds
                # nothing, and the article starts with the first word of the list.
                word = WORDS[(k + 1) % len(WORDS)]
                new = re.sub(r"The forecast promised \w+", f"The forecast promised {word}", text)
                start = time.perf_counter()
                article.write_text(new, encoding="utf-8")
                page.wait_for_function(LOADED, arg=build, polling="raf", timeout=30_000)
                results.append(time.perf_counter() - start)
                state = page.evaluate("fetch('/state.json').then(r => r.json())")
                breakdown.append({**state.get("timings", {}), "cpu": state["cpu_seconds"],
                                  "rebuild": state["seconds"]})
                text = new
            browser.close()
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(work, ignore_errors=True)
    ms = sorted(r * 1000 for r in results)
    print(f"save -> refreshed preview, {len(ms)} one-word edits of the sample issue:")
    print(f"  median {statistics.median(ms):.0f} ms, min {ms[0]:.0f} ms, "
          f"p90 {ms[int(0.9 * (len(ms) - 1))]:.0f} ms, max {ms[-1]:.0f} ms")
    steps = sorted({k for b in breakdown for k in b})
    print("  server side, median per step (wall), rebuild total and its CPU time: " + ", ".join(
        f"{k} {statistics.median(b.get(k, 0) for b in breakdown) * 1000:.0f} ms"
        for k in steps))
    print(f"  load average during the run: {os.getloadavg()[0]:.1f} (2 cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
