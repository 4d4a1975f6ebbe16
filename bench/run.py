"""Benchmark: compositor against plain ReportLab, Typst and WeasyPrint on one corpus.

Usage::

    python bench/run.py [--sizes 4,16,64,256] [--runs 5] [--out bench/RESULTS.md]
                        [--warmup 1] [--weasyprint-max N] [--tools SUBSTR,...]
                        [--timeout 900]

It writes the corpus (``corpus.py``, skipped when up to date), then for each size runs
every tool as a whole process (interpreter start and imports included), ``--runs`` times,
round-robin: run 1 of every tool, then run 2 of every tool, and so on, starting each
round one tool further on, so that machine noise hits every tool alike.  Wall time is
``time.perf_counter`` around the process; peak memory is the child's high-water RSS
from ``/usr/bin/time -f %M`` (``os.wait4``'s ``ru_maxrss`` without it).  One untimed warm-up round
comes first; a tool that fails there is not run again.  Compositor runs that exit with
status 2 (argparse: a flag it does not know) are recorded as "n/a".

The Markdown table goes to ``--out`` and to stdout; README.md explains the columns.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import importlib.metadata
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import corpus

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT_ROOT = HERE / "out"
PY = sys.executable
COLD = {"COMPOSITOR_CACHE": "off"}  # nothing reused from earlier builds
GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
WARM = {"COMPOSITOR_CACHE": str(OUT_ROOT / "compositor-cache")}


@dataclass
class Tool:
    name: str
    argv: list[str]
    outdir: Path
    env: dict[str, str] = field(default_factory=dict)
    compositor: bool = False
    status: str = "ok"  # "ok", "n/a" or "failed"
    detail: str = ""
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)


@dataclass
class Outcome:
    code: int
    wall: float
    cpu: float  # user + system seconds of the process and everything it waited for
    rss_mb: float
    stderr: str


def child_env(extra: dict[str, str]) -> dict[str, str]:
    """The runner's environment plus `extra`, with bytecode caching allowed: an installed
    tool runs from compiled modules, and a shell that sets PYTHONDONTWRITEBYTECODE would
    otherwise make every run compile the tool's (and the scripts') modules again."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, **extra}


def kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def run_process(argv: list[str], env: dict[str, str], timeout: float, log: Path) -> Outcome:
    """Run one process: wall time from perf_counter, peak RSS from GNU time or wait4.

    ``/usr/bin/time -f %M`` reports the child's own high-water mark.  Without it the
    fallback is ``os.wait4``'s ``ru_maxrss``, which on Linux also counts the memory the
    child inherited from this runner before ``exec`` (tens of MB too high for small runs).
    """
    rss_file = log.with_suffix(".rss")
    rss_file.unlink(missing_ok=True)
    if GNU_TIME:
        argv = [GNU_TIME, "-q", "-f", "%M", "-o", str(rss_file), *argv]
    with open(log, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv,
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=child_env(env),
            cwd=REPO,
            start_new_session=True,
        )
        timer = threading.Timer(timeout, kill_group, (proc.pid,))
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    rss_kb = usage.ru_maxrss
    if GNU_TIME and rss_file.exists():
        lines = rss_file.read_text().split()
        rss_kb = int(lines[-1]) if lines and lines[-1].isdigit() else rss_kb
    text = log.read_text(errors="replace")
    if wall >= timeout:
        text += f"\ntimed out after {timeout:.0f} s"
    cpu = usage.ru_utime + usage.ru_stime
    return Outcome(proc.returncode, wall, cpu, rss_kb / 1024, text)


def count_pages(folder: Path) -> list[int]:
    from pypdf import PdfReader

    counts = []
    for pdf in sorted(folder.rglob("*.pdf")):
        try:
            counts.append(len(PdfReader(pdf).pages))
        except Exception:  # a truncated PDF counts as no output
            continue
    return counts


def tail(text: str, lines: int = 3, width: int = 300) -> str:
    kept = [line.strip() for line in text.strip().splitlines() if line.strip()][-lines:]
    return " / ".join(kept)[-width:]


def measure(tool: Tool, timeout: float, timed: bool) -> None:
    """One run of ``tool``; on success record it (when ``timed``), else mark the tool."""
    if tool.outdir.exists():
        shutil.rmtree(tool.outdir)
    tool.outdir.mkdir(parents=True)
    result = run_process(tool.argv, tool.env, timeout, tool.outdir.with_suffix(".stderr"))
    if result.code != 0:
        tool.status = "n/a" if tool.compositor and result.code == 2 else "failed"
        tool.detail = f"exit {result.code}: {tail(result.stderr)}"
        return
    pages = count_pages(tool.outdir)
    if not pages:
        tool.status, tool.detail = "failed", "exit 0 but no readable PDF was written"
        return
    if timed:
        tool.walls.append(result.wall)
        tool.cpus.append(result.cpu)
        tool.rss_mb.append(result.rss_mb)
        tool.pages = pages


# ------------------------------------------------------------------------------- tools


def compositor_tool(name: str, manifest: Path, outdir: Path, args: list[str], env) -> Tool:
    argv = [PY, "-m", "compositor", "build", str(manifest), "-q", *args]
    argv += ["-o", str(outdir / "issue.pdf")]
    return Tool(name, argv, outdir, dict(env), compositor=True)


def make_tools(manifest: Path, work: Path, size: int, fit_pages: int | None, args) -> list:
    def out(slug: str) -> Path:
        return work / slug

    quick = "--no-preflight"
    tools = [
        # Both variants, default checks: what `compositor build MANIFEST` does (with -o
        # the variant must be named, or only the web file is written).
        compositor_tool(
            "compositor default", manifest, out("c-default"), ["--variant", "all"], COLD
        ),
        compositor_tool(
            "compositor default warm", manifest, out("c-default-warm"), ["--variant", "all"], WARM
        ),

        compositor_tool(
            "compositor print", manifest, out("c-print"), ["--variant", "print", quick], COLD
        ),
        compositor_tool(
            "compositor web", manifest, out("c-web"), ["--variant", "web", quick], COLD
        ),
        compositor_tool(
            "compositor both", manifest, out("c-all"), ["--variant", "all", quick], COLD
        ),
        compositor_tool(
            "compositor both warm", manifest, out("c-warm"), ["--variant", "all", quick], WARM
        ),
        compositor_tool(
            "compositor preflight full",
            manifest,
            out("c-pre"),
            ["--variant", "all", "--preflight", "full", "--force"],
            COLD,
        ),
    ]
    if fit_pages:
        fit = ["--variant", "print", quick, "--pages", str(fit_pages)]
        tools.append(
            compositor_tool(f"compositor print fit {fit_pages}", manifest, out("c-fit"), fit, COLD)
        )
    tools.append(
        Tool(
            "plain ReportLab",
            [PY, str(HERE / "plain_reportlab.py"), str(manifest), str(out("rl") / "rl.pdf")],
            out("rl"),
        )
    )
    for peer, label in (("typst", "Typst"), ("weasyprint", "WeasyPrint")):
        if peer == "weasyprint" and size > (args.weasyprint_max or size):
            continue
        pdf = out(peer) / f"{peer}.pdf"
        tools.append(
            Tool(label, [PY, str(HERE / "peers.py"), peer, str(manifest), str(pdf)], out(peer))
        )
    return [t for t in tools if selected(t.name, args)]


def selected(name: str, args) -> bool:
    """Whether ``--tools`` (comma-separated substrings; empty: all) selects ``name``."""
    wanted = [w.strip().lower() for w in args.tools.split(",") if w.strip()]
    return not wanted or any(w in name.lower() for w in wanted)


def bench_size(size: int, manifest: Path, args, log) -> list[Tool]:
    work = OUT_ROOT / f"issue-{size:03d}"
    work.mkdir(parents=True, exist_ok=True)

    # Probe: the natural print length, so the fitting run can ask for one page fewer.
    probe = compositor_tool(
        "probe", manifest, work / "probe", ["--variant", "print", "--no-preflight"], COLD
    )
    fit_pages = None
    if selected("compositor print fit", args):
        measure(probe, args.timeout, timed=True)
        natural = max(probe.pages, default=0)
        fit_pages = natural - 1 if natural > 1 else (size if probe.status != "ok" else None)
        log(f"size {size}: compositor probe {probe.status}, {natural} pages")

    tools = make_tools(manifest, work, size, fit_pages, args)
    if not tools:
        return tools
    for _ in range(args.warmup):
        for tool in tools:
            if tool.status == "ok":
                measure(tool, args.timeout, timed=False)
    for run in range(args.runs):
        shift = run % len(tools)
        for tool in tools[shift:] + tools[:shift]:
            if tool.status == "ok":
                measure(tool, args.timeout, timed=True)
        log(f"size {size}: round {run + 1}/{args.runs} done")
    return tools


# ----------------------------------------------------------------------------- report


def fmt(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def table(results: dict[int, list[Tool]]) -> tuple[str, list[str]]:
    head = (
        "| pages asked | tool | pages out | median s | min s | max s | cpu s | ms/page "
        "| peak MB | × Typst | × plain RL | runs |"
    )
    lines = [head, "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    notes = []
    for size, tools in results.items():
        medians = {t.name: statistics.median(t.walls) for t in tools if t.walls}
        typst = medians.get("Typst")
        floor = medians.get("plain ReportLab")
        for tool in tools:
            if not tool.walls:
                status = tool.status if tool.status != "ok" else "no runs"
                lines.append(f"| {size} | {tool.name} | – | {status} | | | | | | | | 0 |")
                if tool.detail:
                    notes.append(f"- {size} pages, {tool.name}: {status} ({tool.detail})")
                continue
            med = medians[tool.name]
            pages = max(tool.pages)
            shown = "+".join(str(p) for p in tool.pages)
            cells = [
                str(size),
                tool.name,
                shown,
                fmt(med),
                fmt(min(tool.walls)),
                fmt(max(tool.walls)),
                fmt(statistics.median(tool.cpus)),
                fmt(1000 * med / pages, 0),
                fmt(statistics.median(tool.rss_mb), 0),
                fmt(med / typst if typst else None),
                fmt(med / floor if floor else None),
                str(len(tool.walls)),
            ]
            lines.append("| " + " | ".join(cells) + " |")
            if tool.status != "ok":  # failed after some successful runs
                notes.append(
                    f"- {size} pages, {tool.name}: later run {tool.status} ({tool.detail})"
                )
    return "\n".join(lines), notes


def version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def git_revision() -> str:
    try:
        rev = subprocess.run(
            ["git", "-C", str(REPO), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            check=True,
        )
        return rev.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def environment(args, command: str) -> str:
    dists = ["compositor", "reportlab", "rl_accel", "pyphen", "typst", "weasyprint"]
    packages = ", ".join(f"{d} {version(d)}" for d in dists)
    return (
        f"`{command}`, {datetime.date.today().isoformat()}, commit {git_revision()}.\n\n"
        f"Machine: {os.cpu_count()} CPUs, {platform.platform()}, Python "
        f"{platform.python_version()}. Packages: {packages}.\n\n"
        f"Whole processes, {args.runs} timed run(s) per tool after {args.warmup} warm-up "
        "round(s), interleaved round-robin within each size. Median, min and max wall time; "
        "median peak resident memory; ms/page = median / pages out (the larger file for "
        "`both`); ratios are of medians. See bench/README.md for the columns.\n"
    )


def corpus_summary(folders: list[Path]) -> str:
    rows = ["| pages asked | articles | words (approx.) | with photo |", "|---:|---:|---:|---:|"]
    for folder in folders:
        arts = sorted((folder / "articles").glob("*.md"))
        texts = [a.read_text(encoding="utf-8") for a in arts]
        words = sum(len(t.split("---", 2)[-1].split()) for t in texts)
        photos = sum("\nimage:" in t for t in texts)
        size = int(folder.name.split("-")[-1])
        rows.append(f"| {size} | {len(arts)} | {words:,} | {photos} |")
    return "\n".join(rows)


def parse_args(argv: list[str] | None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=corpus.parse_sizes, default=list(corpus.DEFAULT_SIZES))
    ap.add_argument("--runs", type=int, default=5, help="timed runs per tool (default 5)")
    ap.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    ap.add_argument("--warmup", type=int, default=1, help="untimed rounds first (default 1)")
    ap.add_argument(
        "--weasyprint-max",
        type=int,
        default=None,
        help="largest size WeasyPrint runs at (default: all; it needs ~80 s at 256 pages)",
    )
    ap.add_argument("--tools", default="", help="only tools whose name contains one of these")
    ap.add_argument("--timeout", type=float, default=900, help="seconds per process")
    ap.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    command = "python bench/run.py " + " ".join(sys.argv[1:] if argv is None else argv)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    folders = corpus.generate(args.sizes, corpus.DEFAULT_OUT, args.seed, log=log)
    results = {}
    for size, folder in zip(args.sizes, folders, strict=True):
        results[size] = bench_size(size, folder / "issue.yaml", args, log)

    body, notes = table(results)
    report = [
        "# Benchmark results",
        "",
        environment(args, command.strip()),
        body,
        "",
    ]
    if notes:
        report += ["Not measured or failed:", "", *notes, ""]
    report += [f"Corpus (seed {args.seed}):", "", corpus_summary(folders), ""]
    text = "\n".join(report)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
