"""`compositor site`: a static archive of built issues for subscribers.

index.html (newest first, one card per issue with its cover), one page per issue with
its contents linking into the PDF (#page=N), feed.xml (Atom, PDFs as enclosures), the
PDFs, covers and a stylesheet in the publication's colours and fonts. Every link is
relative, so the folder works opened from disk and served from any address; --base-url
adds the absolute addresses that feeds and sharing tags need.

Every file is staged under a temporary name and all are published together
(compositor/outputs.py): a failure leaves the previous site as it was. The target must be
new, empty, or a site written here before (never an issue folder or anything else); a
re-run replaces or removes only the files the last run wrote (the folder's ledger), so a
.git, a CNAME and pages added by hand stay.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote, urlsplit

from compositor.errors import Location, UserError
from compositor.outputs import LEDGER, Transaction
from compositor.web.archive import ArchivedIssue, issue_day, read_contents, render_cover
from compositor.web.theme import Theme, site_href, site_theme

MARKER = ".compositor-site"
COVER_WIDTH = 600  # pixels; shown at 300 CSS px, sharp on high-density screens


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
    theme = site_theme(issues[0].issue)
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
        if name.lower() in ("index", "feed", "style"):
            raise UserError.at(Location(manifest),
                               f"an issue folder named '{name}' would replace the archive's "
                               f"own {name}.html; rename the folder")
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

    planned = {out / n for n in ("index.html", "feed.xml", "style.css", MARKER, LEDGER)}
    for name in names:
        planned |= {out / f"{name}.html", out / "pdf" / f"{name}.pdf",
                    out / "covers" / f"{name}.jpg"}
    real = {os.path.realpath(p) for p in planned} | {str(p) for p in Ledger(out).mine("site")}
    fonts = os.path.realpath(out / "fonts") + os.sep
    for path in sorted(inputs.read()):
        if path in real or path.startswith(fonts):
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

    return ArchivedIssue(issue=issue, pdf=pdf, pages=pages, size=pdf.stat().st_size,
                         contents=contents, when=issue_day(issue), lead=lead,
                         label=issue_line(loaded.spec, issue))


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

def _legacy(key: str) -> bool:
    """Files of a site written before the ledger: the names this command gives."""
    parts = key.split("/")
    if len(parts) == 1:
        return key in (MARKER, "index.html", "feed.xml", "style.css") or key.endswith(".html")
    return len(parts) == 2 and parts[0] in ("pdf", "covers", "fonts")


def _write(out: Path, issues: list[ArchivedIssue], theme: Theme, base: str | None) -> None:
    """Every file staged, then all published together: only files this command wrote
    before are replaced or removed (the folder's ledger), everything else is kept."""
    from compositor import inputs

    read = set(inputs.read()) | {str(a.pdf) for a in issues}
    legacy = _legacy if (out / MARKER).is_file() else None
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
            tx.write(out / "covers" / f"{a.name}.jpg", _cover_bytes(a), "cover")
            tx.write(out / f"{a.name}.html", issue_page(a, theme, base).encode(), "page")
        tx.write(out / "index.html", index_page(issues, theme, base).encode(), "page")
        tx.write(out / "feed.xml", atom_feed(issues, theme, base).encode(), "feed")
        tx.write(out / MARKER, b"This folder is written by `compositor site`: each run "
                               b"replaces the files it wrote (listed in " + LEDGER.encode()
                 + b") and keeps everything else.\n")
        written = {str(t) for t in tx.targets}
        for old in olds:
            if str(old) not in written:
                tx.remove(old)
        tx.commit()


COVER_TALLEST = 8.0  # height / width of a page still shown as a cover


def _cover_bytes(a: ArchivedIssue) -> bytes:
    """The cover picture, refused before rendering when page 1 is so tall that the
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
    return render_cover(a.pdf, COVER_WIDTH)


def _text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


# Characters XML 1.0 does not allow at all (a control character in a title would make
# feed.xml ill-formed, and every reader refuse it); dropped from pages and the feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _e(text: object) -> str:
    return html.escape(_NOT_XML.sub("", str(text)), quote=True)


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"


def _lang(issues: list[ArchivedIssue]) -> str:
    return issues[0].issue.language


def _title(a: ArchivedIssue) -> str:
    return f"{a.issue.publication.name}, {a.issue.date_text}"


def _head(title: str, description: str, theme: Theme, base: str | None, page: str,
          image: str | None, kind: str, image_alt: str = "") -> str:
    tags = [f'<meta property="og:type" content="{kind}">',
            f'<meta property="og:title" content="{_e(title)}">',
            f'<meta property="og:description" content="{_e(description)}">',
            f'<meta property="og:site_name" content="{_e(theme.name)}">',
            f'<meta name="description" content="{_e(description)}">']
    if base:
        tags.append(f'<meta property="og:url" content="{_e(base + page)}">')
        tags.append(f'<link rel="canonical" href="{_e(base + page)}">')
        if image:
            tags += [f'<meta property="og:image" content="{_e(base + image)}">',
                     f'<meta property="og:image:alt" content="{_e(image_alt)}">',
                     '<meta name="twitter:card" content="summary_large_image">']
    return f"""<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
{chr(10).join(tags)}
<link rel="alternate" type="application/atom+xml" href="feed.xml"
      title="{_e(theme.name)}: new issues">
<link rel="stylesheet" href="style.css">
</head>"""


def _masthead(theme: Theme, home: bool) -> str:
    name = _e(theme.name) if home else f'<a href="index.html">{_e(theme.name)}</a>'
    tagline = f'\n  <p class="tagline">{_e(theme.tagline)}</p>' if theme.tagline else ""
    return f"""<header class="masthead">
  <p class="name">{name}</p>{tagline}
</header>"""


def _footer(theme: Theme) -> str:
    site = ""
    website = site_href(theme.website)  # only http(s) or relative: never javascript:
    if website:
        shown = urlsplit(website).netloc or website
        site = f' · <a href="{_e(website)}">{_e(shown)}</a>'

    who = f"{_e(theme.publisher)}" if theme.publisher else _e(theme.name)
    return f"""<footer class="site-footer">
  <p>{who}{site} · <a href="feed.xml">Subscribe to new issues (Atom feed)</a></p>
</footer>"""


def _cover_alt(a: ArchivedIssue) -> str:
    lead = f": {a.lead}" if a.lead else ""
    return f"Front page of {_title(a)}{lead}"


def _cover(a: ArchivedIssue, theme: Theme, alt: str) -> str:
    # Width and height let the browser reserve the space before the picture arrives.
    lazy = ' loading="lazy"' if not alt else ""
    return (f'<img src="covers/{quote(a.name)}.jpg" width="300" '
            f'height="{theme.cover_height(300)}" alt="{_e(alt)}"{lazy}>')


def _download(a: ArchivedIssue) -> str:
    return (f'<a class="download" href="pdf/{quote(a.name)}.pdf" download '
            f'type="application/pdf">Download the PDF<span class="visually-hidden"> of '
            f'{_e(a.issue.date_text)}</span> ({_size(a.size)})</a>')


def _facts(a: ArchivedIssue) -> str:
    parts = [p for p in (a.label, f"{a.pages} page{'s' * (a.pages != 1)}") if p]
    return " · ".join(_e(p) for p in parts)


def _card_title(a: ArchivedIssue, theme: Theme) -> str:
    """The issue's date, with its publication's name when the archive mixes several."""
    if a.issue.publication.name != theme.name:
        return f"{_e(a.issue.publication.name)}, {_e(a.issue.date_text)}"
    return _e(a.issue.date_text)


def index_page(issues: list[ArchivedIssue], theme: Theme, base: str | None) -> str:
    cards = []
    for a in issues:
        lang = f' lang="{_e(a.issue.language)}"' if a.issue.language != _lang(issues) else ""
        cards.append(f"""<li class="card"{lang}>
  <a class="cover" href="{quote(a.name)}.html" tabindex="-1" aria-hidden="true">
    {_cover(a, theme, "")}</a>
  <h2><a href="{quote(a.name)}.html">{_card_title(a, theme)}</a></h2>
  <p class="facts">{_facts(a)}</p>
  <p>{_download(a)}</p>
</li>""")
    newest = issues[0]
    description = f"Every issue of {theme.name} as a PDF, newest first."
    return f"""<!DOCTYPE html>
<html lang="{_e(_lang(issues))}">
{_head(f"{theme.name}: all issues", description, theme, base, "index.html",
       f"covers/{quote(newest.name)}.jpg", "website", _cover_alt(newest))}
<body>
<a class="skip" href="#main">Skip to the issues</a>
{_masthead(theme, True)}
<main id="main">
<h1>All issues</h1>
<p class="intro">{len(issues)} issue{'s' * (len(issues) != 1)}, newest first, each as a PDF
to read on screen or print.</p>
<ol class="issues">
{chr(10).join(cards)}
</ol>
</main>
{_footer(theme)}
</body>
</html>
"""


def issue_page(a: ArchivedIssue, theme: Theme, base: str | None) -> str:
    pdf = f"pdf/{quote(a.name)}.pdf"
    rows = [f'<li><a href="{pdf}#page={e.page}">{_e(e.title)}</a> '
            f'<span class="page">page {e.page}</span></li>' for e in a.contents]
    contents = (f'<h2 id="inside">Inside this issue</h2>\n<ol class="contents">\n'
                f'{chr(10).join(rows)}\n</ol>') if rows else ""
    lead = f" Inside: {', '.join(e.title for e in a.contents[:3])}." if a.contents else ""
    description = f"{_title(a)}. {a.label + '. ' if a.label else ''}{a.pages} pages.{lead}"
    return f"""<!DOCTYPE html>
<html lang="{_e(a.issue.language)}">
{_head(_title(a), description, theme, base, f"{quote(a.name)}.html",
       f"covers/{quote(a.name)}.jpg", "article", _cover_alt(a))}
<body>
<a class="skip" href="#main">Skip to the contents</a>
{_masthead(theme, False)}
<nav class="crumbs" aria-label="Archive"><a href="index.html">All issues</a></nav>
<main id="main">
<h1>{_card_title(a, theme)}</h1>
<div class="issue">
  <a class="cover" href="{pdf}">{_cover(a, theme, _cover_alt(a) + " (opens the PDF)")}</a>
  <div class="about">
    <p class="facts">{_facts(a)}</p>
    <p>{_download(a)}</p>
    {contents}
  </div>
</div>
</main>
{_footer(theme)}
</body>
</html>
"""


def _xml(text: object) -> str:
    return _e(text)


def atom_feed(issues: list[ArchivedIssue], theme: Theme, base: str | None) -> str:
    root = base or ""
    host = urlsplit(base or theme.website or "").netloc or "compositor.invalid"

    def tag(a: ArchivedIssue) -> str:
        return f"tag:{host},{a.when.year}:{quote(a.name)}"

    def stamp(day: dt.date) -> str:
        return f"{day.isoformat()}T00:00:00Z"

    entries = []
    for a in issues:
        inside = "; ".join(e.title for e in a.contents)
        summary = " ".join(p for p in (f"{a.label}." if a.label else "",
                                       f"{a.pages} pages.",
                                       f"Inside: {inside}." if inside else "") if p)
        entries.append(f"""  <entry>
    <title>{_xml(_title(a))}</title>
    <id>{_xml(tag(a))}</id>
    <updated>{stamp(a.when)}</updated>
    <link rel="alternate" type="text/html" href="{_xml(root + quote(a.name))}.html"/>
    <link rel="enclosure" type="application/pdf" length="{a.size}"
          title="{_xml(_title(a))} (PDF)" href="{_xml(root)}pdf/{_xml(quote(a.name))}.pdf"/>
    <summary>{_xml(summary)}</summary>
  </entry>""")
    author = theme.publisher or theme.name
    self_link = f'\n  <link rel="self" type="application/atom+xml" href="{_xml(root)}feed.xml"/>' \
        if base else ""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{_xml(_lang(issues))}">
  <title>{_xml(theme.name)}</title>{f'''
  <subtitle>{_xml(theme.tagline)}</subtitle>''' if theme.tagline else ''}
  <id>tag:{_xml(host)},{issues[-1].when.year}:archive</id>
  <updated>{stamp(issues[0].when)}</updated>
  <link rel="alternate" type="text/html" href="{_xml(root)}index.html"/>{self_link}
  <author><name>{_xml(author)}</name></author>
{chr(10).join(entries)}
</feed>
"""
