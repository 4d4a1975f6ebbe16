"""CPU time of one `watch` rebuild after a one-word edit of the sample issue, measured in
process (Session.rebuild, as `compositor watch` runs it, without the browser and the
server threads), after a first build: six edits to new words, then the same six again
(content built before, as after an undo). Medians of each half.

    .venv/bin/python bench/watch_cpu.py [--edits 12]

Compare two checkouts by running it with PYTHONPATH pointing at each. Each run uses a copy
of the sample issue and the on-disk cache named by COMPOSITOR_CACHE (default: a fresh
one), so the edits cycle through six words and later edits repeat earlier content.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = ["drizzle", "sleet", "hail", "showers", "storms", "fog"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--edits", type=int, default=12)
    args = ap.parse_args(argv)
    gc.disable()  # as the command runs (compositor/cli.py)
    work = Path(tempfile.mkdtemp(prefix="watch-cpu-"))
    os.environ.setdefault("COMPOSITOR_CACHE", str(work / "cache"))
    from compositor.designer.session import Session

    try:
        shutil.copytree(ROOT / "issues", work / "issues",
                        ignore=shutil.ignore_patterns("build"))
        manifest = work / "issues" / "harbor-light-2023-07" / "issue.yaml"
        article = manifest.parent / "articles" / "regatta-report.md"
        original = article.read_text(encoding="utf-8")
        session = Session(manifest, log=lambda _: None)
        session.rebuild()
        cpu, layout = [], []
        for k in range(args.edits):
            word = WORDS[k % len(WORDS)]
            article.write_text(original.replace("The forecast promised rain",
                                                f"The forecast promised {word}"),
                               encoding="utf-8")
            started = time.process_time()
            if not session.rebuild({article}):
                raise SystemExit(f"the rebuild failed: {session.state['errors']}")
            cpu.append(time.process_time() - started)
            layout.append(session.state["timings"]["layout"])
        import compositor
        n = len(WORDS)
        print(f"{Path(compositor.__file__).parent.parent}: one-word edits, CPU per rebuild "
              f"(median, min-max) / layout step (median wall)")
        for name, part in (("new content", slice(0, n)), ("built before", slice(n, None))):
            c, lay = cpu[part], layout[part]
            if c:
                print(f"  {name:13} {len(c):2} edits: {statistics.median(c) * 1000:4.0f} ms "
                      f"({min(c) * 1000:.0f}-{max(c) * 1000:.0f}) / "
                      f"{statistics.median(lay) * 1000:.0f} ms")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
