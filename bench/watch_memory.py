"""Resident memory of `compositor watch` over many saves.

A copy of the sample issue is watched by the real command (a subprocess). Each round
changes one word of an article on disk, so every save changes text (new paragraphs to
set, new page images), waits until the preview's state shows the new build, and reads
the watcher's resident set size from /proc. A server that keeps what each build made
grows linearly; one that lets it go stays flat after the first few builds.

    .venv/bin/python bench/watch_memory.py [--saves 600] [--every 50]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def build_number(url: str) -> int:
    with urllib.request.urlopen(url + "state.json", timeout=30) as answer:
        state = json.load(answer)
    return -1 if state.get("building") else int(state["build"])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--saves", type=int, default=600)
    ap.add_argument("--every", type=int, default=50, help="print the RSS every N saves")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="watch-memory-"))
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
    try:
        url = _wait_for_url(lines)
        text = article.read_text(encoding="utf-8")
        build = _wait_for_build(url, 0)
        started = time.perf_counter()
        print(f"after the first build: {rss_mb(proc.pid):.0f} MB", flush=True)
        for k in range(1, args.saves + 1):
            # A different word each time: the paragraph is new to the typesetter.
            new = re.sub(r"The forecast promised [\w-]+", f"The forecast promised w{k}", text)
            article.write_text(new, encoding="utf-8")
            build = _wait_for_build(url, build)
            if k % args.every == 0 or k == args.saves:
                print(f"after {k} saves: {rss_mb(proc.pid):.0f} MB "
                      f"({time.perf_counter() - started:.0f} s)", flush=True)
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _wait_for_url(lines: list[str]) -> str:
    for _ in range(600):
        url = next((m.group(0) for x in lines for m in [re.search(r"http://\S+/", x)] if m),
                   None)
        if url and any(x.startswith("watching") for x in lines):
            return url
        time.sleep(0.1)
    raise SystemExit("watch did not start:\n" + "".join(lines))


def _wait_for_build(url: str, after: int) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        number = build_number(url)
        if number > after:
            return number
        time.sleep(0.02)
    raise SystemExit(f"no build after {after} within 120 s")


if __name__ == "__main__":
    sys.exit(main())
