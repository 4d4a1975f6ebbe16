"""`compositor site`: a static archive of built issues for subscribers.

index.html (newest first, one card per issue with its cover), one page per issue with
its contents, one page per article (NAME/SLUG.html, its full text and photos), feed.xml
(Atom, PDFs as enclosures), the PDFs, covers and a stylesheet in the archive's colours and
fonts. Every link is relative, so the folder works opened from disk and served from any
address; --base-url adds the absolute addresses that feeds and sharing tags need.

Every file is staged under a temporary name and all are published together
(compositor/outputs.py): a failure leaves the previous site as it was. The target must be
new, empty, or a site written here before (never an issue folder or anything else); a
re-run replaces or removes only the files the last run wrote (the folder's ledger), so a
.git, a CNAME and pages added by hand stay.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from compositor.errors import Location, UserError
from compositor.outputs import LEDGER, Transaction
from compositor.web.archive import ArchivedIssue, issue_day, read_contents
from compositor.web.article_pages import article_page, gather_photos, plan_pages
from compositor.web.branding import archive_branding
from compositor.web.feed import STATE, FeedState, atom_feed, updated_times
from compositor.web.pages import cover_file, index_page, issue_page
from compositor.web.pictures import COVER_WIDTHS, Rendition, cover_renditions
from compositor.web.theme import Theme, site_theme

__all__ = ["atom_feed", "build_site", "index_page", "issue_page"]

MARKER = ".compositor-site"
# Issue folder names the archive's own files and folders take.
RESERVED = ("index", "feed", "style", "pdf", "covers", "fonts", "logo")


def build_site(issues_dir: Path, out: Path, base_url: str | None, build: bool = True,
               quiet: bool = False) -> int:
    _check_target(issues_dir, out)
    if base_url is not None:
        if urlsplit(base_url).scheme not in ("http", "https") or not urlsplit(base_url).netloc:
            raise UserError.at(Location(out), f"--base-url must be an http(s) address, not "
                                              f"{base_url!r}")
        base_url = base_url.rstrip("/") + "/"
    manifests = _manifests(issues_dir)
    if not manifests:
        raise UserError.at(Location(issues_dir), "no issues here: expected folders that each "
                                                 "hold an issue.yaml")
    _check_names(manifests)
    from compositor.build import load

    issues, problems, skipped = [], [], []
    loaded = {}
    for manifest in manifests:  # every issue read before any is built or anything written
        try:
            loaded[manifest] = load(manifest)
        except UserError as exc:
            problems.extend(exc.diagnostics)
    _check_inputs(out, [m.resolve().parent.name for m in loaded])
    for manifest, issue in loaded.items():
        try:
            found = _archived(manifest, issue, build, quiet)
        except UserError as exc:
            problems.extend(exc.diagnostics)
            continue
        if isinstance(found, str):
            skipped.append(found)
        else:
            issues.append(found)
    for d in problems:
        print(d, file=sys.stderr)
    for line in skipped:
        print(line, file=sys.stderr)
    if not issues:
        raise UserError.at(Location(issues_dir), "no built issue to publish")
    issues.sort(key=lambda a: (a.when, a.name), reverse=True)
    brand, mixed = archive_branding(issues_dir, [a.issue.publication for a in issues])
    if mixed:
        print(mixed, file=sys.stderr)
    theme = site_theme(issues[0].issue, brand, tuple(a.issue.language for a in issues))
    _write(out, issues, theme, base_url)
    if not quiet:
        print(f"wrote {out}/index.html: {len(issues)} issue{'s' * (len(issues) != 1)}, "
              f"feed.xml, covers and PDFs")
        if base_url is None:
            print("note: without --base-url the feed and sharing tags carry relative "
                  "addresses; pass the site's address before publishing it")
    return 1 if problems or skipped else 0


def _check_target(issues_dir: Path, out: Path) -> None:
    """-o must be a new folder, an empty one, or one this command wrote into before; never
    the issues, an issue folder or a folder inside one, nor a symbolic link."""
    if not issues_dir.is_dir():
        raise UserError.at(Location(issues_dir), "not a folder of issues")
    if out.is_symlink():
        raise UserError.at(Location(out), f"-o is a symbolic link (to {os.readlink(out)}); "
                                          "name the folder itself")
    src, dst = issues_dir.resolve(), out.resolve()
    if dst == src or dst in src.parents:
        raise UserError.at(Location(out), "-o would replace the issues themselves; name a "
                                          "new folder for the site")
    inside = next((p for p in (dst, *dst.parents) if (p / "issue.yaml").exists()), None)
    if inside is not None:
        raise UserError.at(Location(out), f"-o is {'inside ' if inside != dst else ''}an issue "
                                          f"folder ({inside}); name a new folder for the site "
                                          "outside the issues")
    if out.exists() and not out.is_dir():
        raise UserError.at(Location(out), "-o must be a folder, and this is a file")
    # Hidden entries (.git, .nojekyll) and a CNAME are a publishing setup, not content.
    shown = [p for p in out.iterdir() if not p.name.startswith(".") and p.name != "CNAME"] \
        if out.is_dir() else []
    if shown and not (out / LEDGER).exists() and not (out / MARKER).exists():
        raise UserError.at(Location(out), "the folder is not empty and was not written by "
                                          "`compositor site`; name a new or empty folder")


def _check_names(manifests: list[Path]) -> None:
    """Each issue has a page named after its folder: 'index' (or two issues of one name)
    would take another page's place."""
    seen: dict[str, Path] = {}
    for manifest in manifests:
        folder = manifest.resolve().parent
        name = folder.name
        if name.lower() in RESERVED:
            raise UserError.at(Location(manifest),
                               f"an issue folder named '{name}' would take the place of the "
                               f"archive's own {name}; rename the folder")
        if name.lower() in seen:
            raise UserError.at(Location(manifest),
                               f"{folder} and {seen[name.lower()]} would have the same page "
                               f"({name}.html); rename one of the folders")
        seen[name.lower()] = folder


def _check_inputs(out: Path, names: list[str]) -> None:
    """No file an issue reads may be one the site writes or removes: checked before any
    issue is built, so a refusal leaves every folder as it was."""
    from compositor import inputs
    from compositor.outputs import Ledger

    planned = {out / n for n in ("index.html", "feed.xml", "style.css", MARKER, LEDGER,
                                 STATE)} | set(out.glob("logo.*"))
    for name in names:
        planned |= {out / f"{name}.html", out / "pdf" / f"{name}.pdf"}
        planned |= {out / cover_file(name, w) for w in COVER_WIDTHS}
    real = {os.path.realpath(p) for p in planned} | {str(p) for p in Ledger(out).mine("site")}
    folders = tuple(os.path.realpath(out / f) + os.sep for f in ("fonts", *names))
    for path in sorted(inputs.read()):
        if path in real or path.startswith(folders) or \
                os.path.basename(path).startswith("logo.") and \
                os.path.dirname(path) == os.path.realpath(out):
            raise UserError.at(Location(Path(path)), "this file is read by an issue and is "
                                                     f"one that `compositor site` writes in "
                                                     f"{out}; move it out of the site folder")


def _manifests(issues_dir: Path) -> list[Path]:
    found = sorted(issues_dir.glob("*/issue.yaml"))
    if (issues_dir / "issue.yaml").is_file():
        found.insert(0, issues_dir / "issue.yaml")
    return found


def _sources(loaded) -> list[Path]:
    issue = loaded.issue
    paths = [issue.manifest, loaded.spec.source]
    for a in issue.articles:
        paths.append(a.where.path)
        if a.lead:
            paths.append(a.lead.path)
    paths.extend(b.where.path for b in issue.boxes)
    if issue.publication.logo:
        paths.append(issue.publication.logo)
    try:  # a publication kept in its own YAML file counts too
        import yaml
        publication = (yaml.safe_load(issue.manifest.read_text(encoding="utf-8")) or {}
                       ).get("publication")
        if isinstance(publication, str):
            paths.append(issue.manifest.parent / publication)
    except (OSError, yaml.YAMLError, AttributeError):
        pass
    return [p for p in paths if p and Path(p).is_file()]


def _archived(manifest: Path, loaded, build: bool, quiet: bool) -> ArchivedIssue | str:
    from compositor.build import default_output

    issue = loaded.issue
    pdf = default_output(manifest, issue.name, "web")
    newest = max(p.stat().st_mtime for p in _sources(loaded))
    reason = None
    if not pdf.exists():
        reason = "its web PDF is missing"
    elif pdf.stat().st_mtime < newest:
        reason = "its files changed after the web PDF was built"
    if reason and not build:
        shown = manifest.parent
        if pdf.exists():
            print(f"{shown}: warning: {reason}; the site shows the older PDF "
                  f"(run `compositor build {manifest}`)", file=sys.stderr)
        else:
            return f"{shown}: not built, left out ({reason}; run `compositor build {manifest}`)"
    elif reason:
        if not quiet:
            print(f"building {manifest.parent} ({reason})")
        _build_web(loaded, pdf)
    pages, contents = read_contents(pdf)
    lead = issue.articles[0].title if issue.articles else None
    from compositor.layout.furniture import issue_line
    from compositor.load.locale import numerals

    text = loaded.spec.section("text")
    return ArchivedIssue(issue=issue, pdf=pdf, pages=pages, size=pdf.stat().st_size,
                         contents=contents, when=issue_day(issue), lead=lead,
                         label=issue_line(loaded.spec, issue),
                         calendar=str(text["date_calendar"]),
                         numerals=numerals(str(text["numerals"]), issue.language))


def _build_web(loaded, pdf: Path) -> None:
    from compositor.build import Timings, lay_out
    from compositor.finish.variants import produce
    from compositor.layout.setting import save_caches

    layout = lay_out(loaded)
    for d in loaded.report.diagnostics:
        if d.severity == "warning":
            print(d, file=sys.stderr)
    produce(layout, {"web": pdf}, Timings())
    save_caches()


# -- writing ------------------------------------------------------------------------------

def _legacy_of(names: set[str]):
    """Files of a site written before the ledger: the names this command gives (article
    pages and photos only in the folder of an issue it writes now)."""
    def legacy(key: str) -> bool:
        parts = key.split("/")
        if len(parts) == 1:
            return key in (MARKER, STATE, "index.html", "feed.xml", "style.css", "logo.png") \
                or key.endswith(".html")
        if len(parts) == 2:
            return parts[0] in ("pdf", "covers", "fonts") or \
                (parts[0] in names and key.endswith(".html"))
        return len(parts) == 3 and (
            (parts[0] == "covers" and parts[1] in ("300w", "900w"))
            or (parts[0] in names and parts[1] == "photos"))
    return legacy


def _write(out: Path, issues: list[ArchivedIssue], theme: Theme, base: str | None) -> None:
    """Every file staged, then all published together: only files this command wrote
    before are replaced or removed (the folder's ledger), everything else is kept."""
    from compositor import inputs

    read = set(inputs.read()) | {str(a.pdf) for a in issues}
    legacy = _legacy_of({a.name for a in issues}) if (out / MARKER).is_file() else None
    with Transaction("site", out, read, legacy=legacy) as tx, \
            tempfile.TemporaryDirectory(prefix="compositor-site-") as scratch:
        # What the last run wrote, listed before this run stages its own files beside it.
        # A site written before the ledger existed loses nothing: its files of this run's
        # names are replaced, and no other file is known to be ours, so none is removed.
        olds = tx.ledger.mine("site")
        assets = Path(scratch)
        (assets / "fonts").mkdir()
        theme.write_assets(assets)
        for path in sorted(assets.rglob("*")):
            if path.is_file():
                tx.copy(out / path.relative_to(assets), path)
        for a in issues:
            tx.copy(out / "pdf" / f"{a.name}.pdf", a.pdf, "PDF")
            for r in _covers(a):
                tx.write(out / cover_file(a.name, r.width), r.data, "cover")
            planned = plan_pages(a)
            photos: dict[str, bytes] = {}
            for i, page in enumerate(planned):
                gather_photos(page)
                for photo in page.photos.values():
                    for r in photo.renditions:
                        photos[f"{photo.stem}-{r.width}.jpg"] = r.data
                tx.write(out / a.name / f"{page.slug}.html",
                         article_page(a, planned, i, theme, base).encode(), "page")
            for file_name, data in sorted(photos.items()):
                tx.write(out / a.name / "photos" / file_name, data, "photo")
            links = [p.link(a.name) for p in planned]
            tx.write(out / f"{a.name}.html", issue_page(a, theme, base, links).encode(), "page")
        tx.write(out / "index.html", index_page(issues, theme, base).encode(), "page")
        # The last run's record counts only when that run wrote it (it is in the ledger).
        before = FeedState.read(out / STATE) if (out / STATE) in olds else FeedState()
        state = updated_times(issues, before)
        tx.write(out / "feed.xml", atom_feed(issues, theme, base, state).encode(), "feed")
        tx.write(out / STATE, state.text().encode(), "feed record")
        tx.write(out / MARKER, b"This folder is written by `compositor site`: each run "
                               b"replaces the files it wrote (listed in " + LEDGER.encode()
                 + b") and keeps everything else.\n")
        written = {str(t) for t in tx.targets}
        for old in olds:
            if str(old) not in written:
                tx.remove(old)
        tx.commit()


COVER_TALLEST = 8.0  # height / width of a page still shown as a cover


def _covers(a: ArchivedIssue) -> list[Rendition]:
    """The cover at each width, refused before rendering when page 1 is so tall that the
    picture would take gigabytes."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(a.pdf)
        try:
            w, h = doc[0].get_size()
        finally:
            doc.close()
    except (pdfium.PdfiumError, IndexError) as exc:
        raise UserError.at(Location(a.pdf), f"cannot read the first page for the cover "
                                            f"({exc}); rebuild the issue") from None
    if w <= 0 or h <= 0 or not 1 / COVER_TALLEST <= h / w <= COVER_TALLEST:
        shape = "tall" if h > w else "wide"
        raise UserError.at(Location(a.pdf), f"page 1 is {w / 72 * 25.4:.0f} × "
                                            f"{h / 72 * 25.4:.0f} mm, too {shape} to show as "
                                            f"a cover (one side at most {COVER_TALLEST:g} "
                                            "times the other); give the issue a normal page "
                                            "size")
    return cover_renditions(a.pdf)
