"""One issue kept built while it is edited: each rebuild lays the issue out again (the
set paragraphs stay in memory, so only what changed is set again), renders the web PDF,
rasterizes the pages that can look different, compares them with the previous build, and
publishes a state the preview page shows. The print PDF follows when the editor pauses."""

from __future__ import annotations

import hashlib
import re
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compositor.designer.saved import SavedContent, now_ns
from compositor.errors import UserError

_PAGE_IN_MESSAGE = re.compile(r"\bpage (\d+)(?:, column (\d+))?")
HIRES = 2.0  # the sharper page images (zoom past 100 %, the loupe): times the preview's dpi
HIRES_KEPT = 12  # sharper page images kept in memory


@dataclass
class PageState:
    id: str  # digest of the image: its URL, so unchanged pages stay cached in the browser
    fingerprint: str
    image: Any  # PIL image, kept to compare with the next build
    text: str


class Session:
    def __init__(self, manifest: Path, dpi: float = 110.0, log=None,
                 editor: str | None = None):
        self.manifest = manifest
        self.dpi = dpi
        self.log = log or (lambda text: print(text, file=sys.stderr, flush=True))
        self.build_lock = threading.Lock()  # one build at a time (watch loop, downloads)
        self._cond = threading.Condition()
        self.version = 0
        self.closed = False
        self.state: dict[str, Any] = {"build": 0, "pages": [], "errors": [],
                                      "diagnostics": [], "report": None, "downloads": {},
                                      "issue": manifest.parent.name, "building": True,
                                      "editor": editor}
        self.images: dict[str, bytes] = {}
        self.pages: list[PageState] = []
        self.deps: set[Path] = set()
        self.ok = False  # did the last build succeed?
        self.builds = 0
        self.stale: set[str] = set()  # variants whose file is older than the preview
        self._layout = None
        self._outputs: dict[str, Path] = {}
        self._pdf: bytes | None = None  # the last good build's web PDF (sharper images)
        self._index: dict[str, int] = {}  # page image id -> its page, in that PDF
        self._hires: dict[str, bytes] = {}
        self._saved = SavedContent()

    # -- what to watch -------------------------------------------------------------------
    def folders(self) -> set[Path]:
        return {p.parent for p in self.deps} | {self.manifest.resolve().parent}

    def is_relevant(self, path: Path) -> bool:
        """A saved file matters when the issue uses it. After a failed build the issue's
        files are not all known (a manifest that does not parse names none), so any file
        in the watched folders counts, except our own output and editors' scratch files."""
        path = path.resolve() if path.exists() else path.absolute()
        if path in self.deps or path == self.manifest.resolve():
            return True
        if self.ok:
            return False
        name = path.name
        return not (name == "build" or name.startswith((".", "#")) or name.endswith(
            ("~", ".swp", ".swx", ".tmp")) or name.isdigit())

    # -- publishing ----------------------------------------------------------------------
    def publish(self, **changes: Any) -> None:
        with self._cond:
            self.state = {**self.state, **changes}
            self.version += 1
            self._cond.notify_all()

    def wait_newer(self, seen: int, timeout: float) -> tuple[dict | None, int]:
        """The state once it is newer than version `seen` (None on timeout or close)."""
        with self._cond:
            self._cond.wait_for(lambda: self.version > seen or self.closed, timeout)
            if self.version > seen and not self.closed:
                return self.state, self.version
            return None, seen

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()

    # -- building ------------------------------------------------------------------------
    def rebuild(self, changed: set[Path] | None = None) -> bool:
        """Rebuild the web PDF and the preview; False (and the error published, the last
        good pages kept) when the files have a problem."""
        with self.build_lock:
            if changed and self.ok and self._saved.unchanged(changed):
                # Saved again as it was (a "save all", a save without an edit): the
                # preview and files already show these bytes.
                self.log("saved without a change: nothing to rebuild")
                return True
            try:
                return self._rebuild(changed)
            except Exception as exc:  # noqa: BLE001 - a bug must not end the session
                import traceback
                message = (f"internal error: {type(exc).__name__}: {exc} (a bug in "
                           "compositor, not in your files; the details are in the terminal)")
                self.log(message)
                traceback.print_exc(limit=6)
                self.ok = False
                self.publish(errors=[message], building=False)
                return False
            finally:
                _release_build_memos()

    def _rebuild(self, changed: set[Path] | None) -> bool:
        from compositor.build import Timings, default_output, lay_out, load
        from compositor.finish.variants import options_for
        from compositor.layout.report import fit_report
        from compositor.render.pdf import render

        started = time.perf_counter()
        started_ns = now_ns()
        cpu = time.process_time()
        before = self._saved.snapshot(self.deps | {self.manifest.resolve()})
        self._saved.forget()
        self.builds += 1
        self.publish(building=True)
        timings = Timings()
        try:
            loaded = load(self.manifest)
            timings.mark("load")
            layout = lay_out(loaded)
            timings.mark("layout")
            report = fit_report(layout)
            # The pages are shown from the rendered web variant; finishing it (structure
            # tree, linearization) changes nothing a reader sees, so the files are
            # written once the editor pauses, or when a download asks for them.
            data, _ = render(layout, options_for("web", layout))
            timings.mark("render")
        except UserError as exc:
            errors = [str(d) for d in exc.diagnostics]
            for line in errors:
                self.log(line)
            self.log(f"build failed; the preview keeps the last good pages "
                     f"({len(errors)} problem{'s' if len(errors) != 1 else ''})")
            self.ok = False
            self.publish(errors=errors, building=False, failed_at=time.time())
            return False
        from compositor.designer.deps import used_files
        self.deps = used_files(loaded)
        self._saved.record(before, self.deps | {self.manifest.resolve()}, started_ns)
        _keep_recent_typesetters(loaded.spec)
        self.ok = True
        self._layout = layout
        self._outputs = {v: default_output(self.manifest, loaded.issue.name, v)
                         for v in ("web", "print")}
        self.stale = {"web", "print"}
        from compositor.designer.pagemap import page_maps
        maps = page_maps(layout)
        pages, changed_pages = self._render(data, maps)
        timings.mark("pages")
        # The holes the make-up counted, as the build's warnings report them, each where
        # it lies on its page.
        holes = [{"page": p["number"], **h} for p in pages
                 for h in (p["map"] or {}).get("holes", [])]
        diagnostics = [self._diagnostic(d, report) for d in loaded.report.diagnostics
                       if d.severity != "error"]
        elapsed = time.perf_counter() - started
        shown = ", ".join(str(n) for n in changed_pages) or "none"
        self.log(f"rebuilt in {elapsed:.2f} s: {len(pages)} pages, changed: {shown}")
        for d in loaded.report.diagnostics:
            if d.severity != "error":
                self.log(str(d))
        self.publish(build=self.state["build"] + 1, errors=[], building=False,
                     pages=pages, changed=changed_pages, seconds=round(elapsed, 3),
                     timings={name: round(t, 3) for name, t in timings.steps},
                     cpu_seconds=round(time.process_time() - cpu, 3),
                     report={**self._report(report), "holes": holes},
                     diagnostics=diagnostics,
                     issue=loaded.issue.name, title=loaded.issue.publication.name,
                     downloads=self._downloads(), built_at=time.time())
        return True

    def _render(self, data: bytes, maps: list) -> tuple[list[dict], list[int]]:
        from compositor.designer.diff import changed_regions
        from compositor.designer.pagemap import as_json, outline
        from compositor.designer.pages import (
            fingerprints,
            open_pdf,
            page_text,
            render_page,
            screen_bytes,
        )

        doc = open_pdf(data)
        spec = self._layout.spec
        shared = repr((str(spec.raw), sorted(
            (str(f), f.stat().st_mtime_ns, f.stat().st_size)
            for faces in spec.fonts.values() for f in faces.values()))).encode()
        prints = fingerprints(data, shared)
        first = not self.pages
        new_pages: list[PageState] = []
        out: list[dict] = []
        changed: list[int] = []
        for i, fp in enumerate(prints):
            old = self.pages[i] if i < len(self.pages) else None
            regions: list = []
            if old is not None and old.fingerprint == fp:
                page = old
            else:
                image = render_page(doc, i, self.dpi)
                if old is not None:
                    regions = changed_regions(old.image, image)
                if old is not None and not regions:
                    page = PageState(old.id, fp, old.image, old.text)
                else:
                    picture = screen_bytes(image)
                    digest = hashlib.sha256(picture).hexdigest()[:16]
                    self.images[digest] = picture
                    page = PageState(digest, fp, image, page_text(doc, i))
                    if old is None and not first:
                        regions = [(0.0, 0.0, 1.0, 1.0)]
            if regions:
                changed.append(i + 1)
            new_pages.append(page)
            pm = maps[i] if i < len(maps) else None
            out.append({"number": i + 1, "id": page.id, "width": page.image.width,
                        "height": page.image.height, "changed": bool(regions),
                        "regions": [_outlined(r, pm, outline) for r in regions],
                        # the page as the previous build showed it (before/after)
                        "before": old.id if regions and old is not None else None,
                        "text": page.text,
                        "map": as_json(pm, _shown) if pm is not None else None})
        doc.close()
        keep = {p.id for p in new_pages} | {p.id for p in self.pages}
        self.images = {k: v for k, v in self.images.items() if k in keep}
        self.pages = new_pages
        self._pdf = data
        self._index = {p.id: i for i, p in enumerate(new_pages)}
        self._hires = {k: v for k, v in self._hires.items() if k in self._index}
        return out, changed

    def hires(self, image_id: str) -> bytes | None:
        """A page of the current build at HIRES times the preview's resolution, made when
        first asked for (zooming in, the loupe); None for a page not in the current
        build."""
        from compositor.designer.pages import open_pdf, render_page, screen_bytes

        with self.build_lock:  # pdfium is not thread-safe, and a build may be using it
            if image_id in self._hires:
                return self._hires[image_id]
            index = self._index.get(image_id)
            if index is None or self._pdf is None:
                return None
            doc = open_pdf(self._pdf)
            try:
                picture = screen_bytes(render_page(doc, index, self.dpi * HIRES))
            finally:
                doc.close()
            while len(self._hires) >= HIRES_KEPT:
                self._hires.pop(next(iter(self._hires)))
            self._hires[image_id] = picture
            return picture

    def write_outputs(self, variants: tuple[str, ...] = ("web", "print"),
                      interrupted=lambda: False) -> None:
        """Write the PDFs of the last good build that are out of date (without preflight:
        run `compositor build` before sending files to the printer)."""
        from compositor.build import Timings
        from compositor.finish.variants import produce
        from compositor.layout.setting import save_caches

        with self.build_lock:
            wanted = [v for v in variants if v in self.stale]
            if not wanted or self._layout is None:
                return
            started = time.perf_counter()
            problems: dict[str, str] = {}
            written = []
            for variant in wanted:  # one at a time: a print-only problem keeps the web file
                if interrupted():
                    break  # a new save: the rebuild comes first, the files wait
                try:
                    produce(self._layout, {variant: self._outputs[variant]}, Timings(),
                            checks="off")
                except UserError as exc:
                    problems[variant] = "; ".join(str(d) for d in exc.diagnostics)
                    self.log(problems[variant])
                else:
                    written.append(variant)
                self.stale.discard(variant)
            if not written and not problems:
                return
            if not self.stale:
                save_caches()  # the next `build` or `watch` starts with these paragraphs
            downloads = self._downloads()
            for variant, problem in problems.items():
                downloads[variant]["problem"] = problem
            if written:
                self.log(f"{' and '.join(written)} PDF written in "
                         f"{time.perf_counter() - started:.2f} s")
            self.publish(downloads=downloads)

    def _downloads(self) -> dict:
        out = {}
        for variant, path in self._outputs.items():
            exists = path.is_file()
            out[variant] = {"name": path.name, "url": f"/download/{variant}",
                            "size": path.stat().st_size if exists else 0,
                            "stale": variant in self.stale}
        return out

    # -- the report as the page shows it ---------------------------------------------------
    def _report(self, report: dict) -> dict:
        articles = []
        for a in report["articles"]:
            first = a["pages"].split("-")[0]
            articles.append({**a, "page": int(first) if first.isdigit() else None})
        return {**report, "articles": articles}

    def _diagnostic(self, d, report: dict) -> dict:
        """A warning or note as the page lists it. One about a page (a hole, a page of
        boxes) is located by its page and column, not by the manifest it has no line in;
        one about a file keeps its `path:line`."""
        page = column = None
        if d.location.place:
            m = _PAGE_IN_MESSAGE.match(d.location.place)
            return {"text": f"{d.severity}: {d.location.place}: {d.message}", "where": None,
                    "severity": d.severity, "page": int(m.group(1)) if m else None,
                    "column": int(m.group(2)) if m and m.group(2) else None}
        m = _PAGE_IN_MESSAGE.search(d.message)
        if m:
            page = int(m.group(1))
            column = int(m.group(2)) if m.group(2) else None
        if m and m.start() == 0 and not d.location.line:
            return {"text": f"{d.severity}: {d.message}", "where": None,
                    "severity": d.severity, "page": page, "column": column}
        if not m:
            path = d.location.path.resolve()
            for article, entry in zip(self._layout.issue.articles, report["articles"],
                                      strict=False):
                if article.where.path.resolve() == path:
                    first = entry["pages"].split("-")[0]
                    page = int(first) if first.isdigit() else None
                    break
        return {"text": str(d), "where": str(d.location), "severity": d.severity,
                "page": page, "column": column}


def _outlined(region, page_map, outline) -> list[float]:
    """A changed region (fractions of the page) grown to whole lines and columns."""
    if page_map is None or tuple(region) == (0.0, 0.0, 1.0, 1.0):
        return [round(v, 4) for v in region]
    w, h = page_map.width, page_map.height
    x0, y0, x1, y1 = outline((region[0] * w, region[1] * h, region[2] * w, region[3] * h),
                             page_map)
    return [round(x0 / w, 4), round(y0 / h, 4), round(x1 / w, 4), round(y1 / h, 4)]


def _shown(path: Path) -> str:
    """A path as the designer reads it: relative to where `watch` runs, when it can be."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _release_build_memos() -> None:
    """Let go of what one build remembered only to speed up its own layout passes. Make-up
    keeps each chunk's measured extent, keyed by the chunk, for the passes of a build;
    a batch build ends there, but a watch session would keep every chunk of every build
    it ever made (about 2 MB a save on the sample issue)."""
    from compositor.layout import makeup

    makeup.forget_extents()


KEEP_TYPESETTERS = 4


def _keep_recent_typesetters(current) -> None:
    """A typesetter (fonts and set paragraphs) is kept per layout version; a designer who
    saves the layout a hundred times in one session would keep a hundred. The last few
    stay, so undoing a change is still fast; older ones are saved to the disk cache and
    let go."""
    from compositor.layout import setting as issue_layout

    kept = issue_layout._TYPESETTERS
    now = (current.source, str(current.raw))
    for key in [k for k in kept if k[:2] == now]:
        kept[key] = kept.pop(key)  # the layout in use counts as the most recent
    while len(kept) > KEEP_TYPESETTERS:
        kept.pop(next(iter(kept))).save_store()
    for ts in kept.values():
        _bound_paragraphs(ts)


MAX_SET_PARAGRAPHS = 10_000  # a 64-page issue sets about 5,000; each save adds the edited one


def _bound_paragraphs(ts) -> None:
    """A typesetter remembers every version of every paragraph it has set: each save adds
    the paragraph as edited. Past a bound, what it set is saved to the disk cache and the
    memory let go; the next build reads the paragraphs it still uses back from there."""
    if len(ts._cache) <= MAX_SET_PARAGRAPHS:
        return
    ts.save_store()
    ts._cache.clear()
    ts._words.clear()
    ts._seg_cache.clear()
