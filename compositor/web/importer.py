"""`compositor import`: posts from feeds, WordPress exports, saved pages or URLs ->
articles/<slug>.md (+ images/) in an issue folder, listed in its issue.yaml.

Nothing is written until every source has been read: a source that cannot be read stops
the run with the file or URL named, and the folder stays as it was. A photo that cannot be
fetched only costs the article its `image:` (with a warning).

Each written article carries a checksum in a comment of its front matter. Re-importing a
post (matched on its URL) rewrites the file only while the checksum still matches its
text, so an editor's changes survive unless --force is given.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import stat
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit, urlunsplit

import yaml

from compositor.errors import Diagnostic, Location, UserError
from compositor.load.dates import format_date
from compositor.web.body_photos import BodyPhoto, markdown_figure
from compositor.web.extract import clean_post, parse_page
from compositor.web.feeds import Channel, read_feed, read_wxr, sniff
from compositor.web.fetch import (
    DEFAULT_TIMEOUT,
    IMAGE_LIMIT,
    PAGE_LIMIT,
    Fetched,
    FetchError,
    NetPolicy,
    fetch,
    is_url,
)
from compositor.web.markdown import html_to_markdown
from compositor.web.post import Post, SourceError, web_address

_STAMP = re.compile(r"^# imported by compositor from (\S+); .*\(checksum ([0-9a-f]{16})\)\n",
                    re.M)
_IMAGE_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif",
                  "TIFF": ".tif"}
# A picture smaller than this on either side is a tracking pixel, a spacer or an icon,
# never a photo that prints: it is left out at import rather than refused by `build`.
MIN_PHOTO_SIDE = 100
# A WordPress export holds a whole site and may be large; anything else read from a file
# has the limit of a fetched page or feed.
WXR_LIMIT = 64 * 1024 * 1024


@dataclass(frozen=True)
class SourceLocation(Location):
    """A URL or a feed entry as the place a message is about."""

    label: str = ""

    def __str__(self) -> str:
        return self.label


def at_source(label: str) -> SourceLocation:
    return SourceLocation(Path("."), 0, label)


@dataclass
class ImportOptions:
    sort: str = "given"            # given | date (newest first) | oldest
    since: dt.date | None = None
    limit: int | None = None
    force: bool = False
    timeout: float = DEFAULT_TIMEOUT
    allow_private: bool = False    # let feeds and pages make import reach the local network
    net: NetPolicy = field(default_factory=NetPolicy)

    def __post_init__(self) -> None:
        self.net.allow_private = self.allow_private


@dataclass
class Outcome:
    lines: list[str] = field(default_factory=list)        # what was done, for stdout
    warnings: list[Diagnostic] = field(default_factory=list)


def run_import(sources: list[str], into: Path, options: ImportOptions) -> Outcome:
    into = _issue_folder(into)
    out = Outcome()
    channel, posts = _gather(sources, options, out)
    posts = _select(posts, options, out)
    if not posts:
        raise UserError.at(at_source(", ".join(sources)), "no posts to import"
                           + (" (none is dated on or after --since)" if options.since else ""))
    existing = _existing_articles(into / "articles")
    writes: dict[Path, bytes] = {}
    entries: list[str] = []
    taken: set[str] = set()
    seen: set[str] = set()
    for post in posts:
        key = normal_url(post.url)
        if key and key in seen:
            out.warnings.append(Diagnostic(at_source(post.origin), f"is {post.url} again; "
                                           "imported once", "warning"))
            continue
        if key:
            seen.add(key)
        _plan_post(post, into, existing, taken, options, writes, entries, out)
    if not entries:
        for d in out.warnings:
            print(d, file=sys.stderr)
        raise UserError.at(at_source(", ".join(sources)), "no post could be imported "
                                                           "(see the warnings above)")
    manifest = into / "issue.yaml"
    from compositor.outputs import Transaction
    # Checked before it is read: a pipe would block, a folder or device is no manifest.
    Transaction("import").check(manifest, "issue.yaml", replace="any")
    existed = manifest.exists()
    text = _manifest_text(manifest, entries, channel, posts)
    if text is not None:
        writes[manifest] = text.encode("utf-8")
    _write_all(into, writes, sources)
    listed = len(dict.fromkeys(entries))
    state = ("created" if not existed else "updated") if manifest in writes else "unchanged"
    out.lines.append(f"{manifest}: {state}; {listed} imported article"
                     f"{'s' * (listed != 1)} listed")
    return out


def _issue_folder(into: Path) -> Path:
    if into.name == "issue.yaml":
        return into.parent
    if into.exists() and not into.is_dir():
        raise UserError.at(Location(into), "--into must be an issue folder (or its "
                                           "issue.yaml), not another file")
    return into


# -- reading the sources ------------------------------------------------------------------

def _gather(sources: list[str], options: ImportOptions, out: Outcome
            ) -> tuple[Channel | None, list[Post]]:
    channel: Channel | None = None
    posts: list[Post] = []
    for source in sources:
        data, base, charset, where = _read_source(source, options)
        kind = sniff(data)
        if kind != "wxr" and len(data) > PAGE_LIMIT:
            raise UserError.at(where, f"is too large for a page or a feed "
                                      f"({_size(len(data))}; the limit is {_size(PAGE_LIMIT)})")
        try:
            if kind == "html":
                post = parse_page(data, source, base, charset)
                if not post.url and not is_url(source):
                    out.warnings.append(Diagnostic(where, "the page names no canonical "
                                                   "address (<link rel=canonical> or og:url); "
                                                   "the article gets no 'url'", "warning"))
                if not is_url(source):
                    post.local_base = Path(source).resolve().parent.as_uri() + "/"
                posts.append(post)
                continue
            found = read_wxr(data, source) if kind == "wxr" else read_feed(data, source, base)
        except ValueError as exc:
            raise UserError.at(_at_line(where, exc), str(exc)) from None
        for note in found.notes:
            out.warnings.append(Diagnostic(where, note, "warning"))
        if not found.posts:
            out.warnings.append(Diagnostic(where, "the feed has no entries", "warning"))
        channel = channel or found
        for post in found.posts:
            if post.summary_only and post.url:
                _complete_from_page(post, options, out)
            posts.append(post)
    return channel, posts


def _at_line(where: Location, exc: ValueError) -> Location:
    """The place of a source's problem: file:line, or for an address 'URL, line N'."""
    line = exc.line if isinstance(exc, SourceError) else 0
    if not line:
        return where
    if isinstance(where, SourceLocation):
        return at_source(f"{where.label}, line {line}")
    return Location(where.path, line)


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def _read_source(source: str, options: ImportOptions
                 ) -> tuple[bytes, str | None, str | None, Location]:
    if is_url(source):
        try:
            got = fetch(source, policy=options.net, timeout=options.timeout, named=True,
                        limit=WXR_LIMIT,
                        accept="application/rss+xml, application/atom+xml, text/html;q=0.9, "
                               "*/*;q=0.5")
        except FetchError as exc:
            raise UserError.at(at_source(exc.url), exc.reason) from None
        return got.body, got.final_url, got.charset, at_source(source)
    path = Path(source)
    where = Location(path)
    if not path.exists():
        raise UserError.at(where, "file not found (give a feed, a WordPress export, a saved "
                                  "HTML page or an http(s):// address)")
    if path.is_dir():
        raise UserError.at(where, "is a folder; name the feed or page files in it")
    return _read_local(path, where), None, None, where


def _read_local(path: Path, where: Location) -> bytes:
    """A source file's bytes, with the size limit of a fetched one. A FIFO, a device
    (/dev/zero) or a socket is refused: reading one could block forever or never end. It
    is opened without waiting (a FIFO would block the open itself) and checked on the
    open file, so it cannot be swapped for another between the check and the read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            info = os.fstat(f.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise UserError.at(where, "is not a regular file (a FIFO, a device or a "
                                          "socket); save the feed or page to a file and "
                                          "import that")
            if info.st_size > WXR_LIMIT:
                raise UserError.at(where, f"is too large ({_size(info.st_size)}; the limit "
                                          f"is {_size(WXR_LIMIT)} for a WordPress export and "
                                          f"{_size(PAGE_LIMIT)} for a page or a feed)")
            data = f.read(WXR_LIMIT + 1)  # the file may grow while it is read
    except OSError as exc:
        raise UserError.at(where, f"cannot be read ({exc.strerror or exc})") from None
    if len(data) > WXR_LIMIT:
        raise UserError.at(where, f"is too large (more than {_size(WXR_LIMIT)})")
    return data


def _complete_from_page(post: Post, options: ImportOptions, out: Outcome) -> None:
    """A feed that carries only teasers: fetch the post's page for the full text."""
    try:
        got = fetch(post.url, policy=options.net, timeout=options.timeout, accept="text/html")
    except FetchError as exc:
        out.warnings.append(Diagnostic(at_source(exc.url), f"{exc.reason}; the article keeps "
                                       "the feed's summary only", "warning"))
        return
    try:
        page = parse_page(got.body, post.url, got.final_url, got.charset)
    except ValueError as exc:
        out.warnings.append(Diagnostic(at_source(post.url), f"{exc}; the article keeps the "
                                       "feed's summary only", "warning"))
        return
    post.url = web_address(page.url) or post.url  # the page's canonical address
    if page.html.strip():
        post.html, post.summary_only, post.base = page.html, False, page.base
    post.title = post.title or page.title
    post.byline = post.byline or page.byline
    post.date = post.date or page.date
    if not post.image_url:
        post.image_url, post.caption, post.alt = page.image_url, page.caption, page.alt
    else:
        post.caption, post.alt = post.caption or page.caption, post.alt or page.alt


def _select(posts: list[Post], options: ImportOptions, out: Outcome) -> list[Post]:
    if options.since:
        undated = [p for p in posts if p.date is None]
        for p in undated:
            out.warnings.append(Diagnostic(at_source(p.origin), "has no date; left out by "
                                           "--since", "warning"))
        posts = [p for p in posts if p.date and p.date >= options.since]
    if options.limit is not None and len(posts) > options.limit:
        # The N newest, kept in the order given.
        newest = sorted(range(len(posts)), key=lambda i: (posts[i].date or dt.date.min, -i),
                        reverse=True)[: options.limit]
        posts = [posts[i] for i in sorted(newest)]
    if options.sort in ("date", "oldest"):
        posts = sorted(posts, key=lambda p: p.date or dt.date.min,
                       reverse=options.sort == "date")
    return posts


# -- planning what to write ---------------------------------------------------------------

def normal_url(url: str | None) -> str | None:
    """A URL as compared for re-imports: no fragment, tracking parameters or trailing slash."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query)
                       if not k.lower().startswith("utm_")])
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


def _existing_articles(folder: Path) -> dict[str, Path]:
    """URL -> article file, for the articles already in the folder."""
    found: dict[str, Path] = {}
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        if not path.is_file():  # a pipe would block the read; it is never written either
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        m = re.match(r"---[ \t]*\n(.*?\n)---[ \t]*\n", text, re.S)
        try:
            front = yaml.safe_load(m[1]) if m else None
        except yaml.YAMLError:
            continue
        if isinstance(front, dict) and isinstance(front.get("url"), str):
            found.setdefault(normal_url(front["url"]), path)
    return found


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return text[:60].rstrip("-") or "article"


def _slug_for(post: Post) -> str:
    if post.url:
        segments = [s for s in urlsplit(post.url).path.split("/") if s]
        if segments:
            last = re.sub(r"\.(html?|php|aspx?)$", "", segments[-1])
            if re.search(r"[a-z]", last) and not re.fullmatch(r"index|post|article", last):
                return slugify(last)
    return slugify(post.title)


def _plan_post(post: Post, into: Path, existing: dict[str, Path], taken: set[str],
               options: ImportOptions, writes: dict[Path, bytes], entries: list[str],
               out: Outcome) -> None:
    where = at_source(post.url or post.origin)
    for note in post.notes:
        out.warnings.append(Diagnostic(at_source(post.origin), note, "warning"))
    if not post.title:
        out.warnings.append(Diagnostic(at_source(post.origin), "has no title; skipped",
                                       "warning"))
        return
    html, photos = clean_post(post.html, post.title, post.url or post.base,
                              post.image_url) if post.html else ("", [])
    body = html_to_markdown(html)
    if not body.strip():
        out.warnings.append(Diagnostic(where, "no article text was found in it", "warning"))
    elif post.summary_only:
        out.warnings.append(Diagnostic(where, "the source holds only a summary of the post",
                                       "warning"))
    path = existing.get(normal_url(post.url)) if post.url else None
    if path is None:
        slug = base = _slug_for(post)
        n = 2
        while slug in taken or (into / "articles" / f"{slug}.md").exists():
            slug, n = f"{base}-{n}", n + 1
        path = into / "articles" / f"{slug}.md"
    slug = path.stem
    taken.add(slug)
    rel = path.relative_to(into).as_posix()
    old = path.read_text(encoding="utf-8") if path.exists() else None
    if old is not None and not options.force and not _untouched(old):
        why = "edited since it was imported" if _STAMP.search(old) else "not written by import"
        out.lines.append(f"kept {rel}: {why} (--force replaces it)")
        entries.append(rel)
        return
    image_key = _image(post, into, slug, options, writes, out)
    if photos:
        body = html_to_markdown(html, _body_photos(post, photos, into, slug, options, writes,
                                                   out))
    text = article_text(post, body, image_key)
    if old == text:
        out.lines.append(f"unchanged {rel}")
    else:
        writes[path] = text.encode("utf-8")
        out.lines.append(f"{'updated' if old is not None else 'added'} {rel}")
    entries.append(rel)


def _untouched(text: str) -> bool:
    m = _STAMP.search(text)
    return bool(m) and _checksum(_STAMP.sub("", text, count=1)) == m[2]


def _checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def article_text(post: Post, body: str, image: str | None) -> str:
    # Addresses come from the website: only a valid http(s) one (no newline that could
    # end the comment below or add a key) is written, and through the YAML dumper.
    url = web_address(post.url)
    front: dict = {"title": post.title}
    if post.byline:
        front["byline"] = post.byline
    if post.date:
        front["date"] = post.date
    if url:
        front["url"] = url
    if image:
        front["image"] = image
        if post.caption:
            front["caption"] = post.caption
        if post.alt and post.alt != post.caption:
            front["alt"] = post.alt
    front["excerpt"] = "auto"
    header = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000)
    plain = f"---\n{header}---\n\n{body}"
    stamp = (f"# imported by compositor from {url or 'a saved page'}; re-importing "
             f"replaces this file unless it was edited (checksum {_checksum(plain)})\n")
    return f"---\n{stamp}{header}---\n\n{body}"


def _image(post: Post, into: Path, slug: str, options: ImportOptions,
           writes: dict[Path, bytes], out: Outcome) -> str | None:
    """Fetch or copy the lead photo into images/; its path relative to the article, or
    None (with a warning) when it cannot be had."""
    source = web_address(post.image_url)  # feeds and pages give only http(s) photos
    local = None
    if post.local_base and post.local_image and not is_url(post.local_image):
        # A saved page's own copy of the photo ("Save page, complete") is used first.
        found = urljoin(post.local_base, post.local_image)
        if found.startswith("file:") and Path(unquote(urlsplit(found).path)).is_file():
            source, local = found, post.local_base
    if not source:
        return None
    where = at_source(post.url or post.origin)
    try:
        data = _image_bytes(source, local, options)
        kind, size = _picture_kind(source, data)
    except FetchError as exc:
        previous = sorted((into / "images").glob(f"{slug}.*"))
        keep = f" (the photo from the last import, {previous[0].name}, is kept)" \
            if previous else "; the article has no image"
        out.warnings.append(Diagnostic(where, f"photo {exc}{keep}", "warning"))
        return f"../images/{previous[0].name}" if previous else None
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds for broken files
        out.warnings.append(Diagnostic(where, f"photo {source}: not a readable image "
                                       f"({type(exc).__name__}); the article has no image",
                                       "warning"))
        return None
    if min(size) < MIN_PHOTO_SIDE:
        out.warnings.append(Diagnostic(where, f"photo {source}: only {size[0]}×{size[1]} "
                                       "pixels (a tracking pixel or an icon, too small to "
                                       "print); left out, the article has no image",
                                       "warning"))
        return None
    target = into / "images" / f"{slug}{_IMAGE_FORMATS[kind]}"
    if not _same_bytes(target, data):
        free = _free_photo(into, slug, _IMAGE_FORMATS[kind])
        if free != target:
            out.warnings.append(Diagnostic(Location(target), "was not written by import and "
                                           f"is kept; the post's photo is {free.name}",
                                           "warning"))
        target = free
    writes[target] = data
    return f"../images/{target.name}"


def _body_photos(post: Post, photos: list[BodyPhoto], into: Path, slug: str,
                 options: ImportOptions, writes: dict[Path, bytes], out: Outcome
                 ) -> dict[str, str]:
    """Fetch (or, for a saved page, copy from beside it) each photo of the post's body
    into images/<slug>-2.jpg, -3, …; the Markdown figure of each one that could be had,
    by placeholder number. One that cannot costs only itself, with a warning."""
    where = at_source(post.url or post.origin)
    shown: dict[str, str] = {}
    done: dict[str, str] = {}  # the same picture shown twice is fetched once
    for photo in photos:
        source, local = photo.url, None
        if post.local_base and not is_url(photo.src) and ":" not in photo.src.split("/")[0]:
            found = urljoin(post.local_base, photo.src)
            if found.startswith("file:") and Path(unquote(urlsplit(found).path)).is_file():
                source, local = found, post.local_base
        if not source:
            out.warnings.append(Diagnostic(where, f"photo {photo.src[:200]!r} in the text "
                                           "is not an http(s) address; left out", "warning"))
            continue
        if source not in done:
            try:
                data = _image_bytes(source, local, options)
                kind, size = _picture_kind(source, data)
            except FetchError as exc:
                out.warnings.append(Diagnostic(where, f"photo {exc}; left out of the text",
                                               "warning"))
                continue
            except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds
                out.warnings.append(Diagnostic(where, f"photo {source}: not a readable image "
                                               f"({type(exc).__name__}); left out of the "
                                               "text", "warning"))
                continue
            if min(size) < MIN_PHOTO_SIDE:
                continue  # an icon or a spacer, not a photo that prints
            name = f"{slug}-{len(done) + 2}"
            target = into / "images" / f"{name}{_IMAGE_FORMATS[kind]}"
            if not _same_bytes(target, data):
                target = _free_photo(into, name, _IMAGE_FORMATS[kind])
            writes[target] = data
            done[source] = f"../images/{target.name}"
        shown[str(photo.number)] = markdown_figure(done[source], photo.caption, photo.alt)
    return shown


def _picture_kind(source: str, data: bytes) -> tuple[str, tuple[int, int]]:
    """Pillow's name for the picture's format and its size in pixels."""
    from PIL import Image
    with Image.open(io.BytesIO(data)) as im:
        im.verify()
        kind, size = im.format, im.size
    if kind not in _IMAGE_FORMATS:
        raise FetchError(source, f"not a photo compositor can print ({kind})")
    return kind, size


def _image_bytes(source: str, local_base: str | None, options: ImportOptions) -> bytes:
    if is_url(source):
        got: Fetched = fetch(source, policy=options.net, limit=IMAGE_LIMIT,
                             timeout=options.timeout, accept="image/*")
        return got.body
    # A local file only for a saved page the user named, and only from the page's own
    # folder: a feed or page must not be able to copy files from this computer.
    if not (local_base or "").startswith("file:"):
        raise FetchError(source, "only http:// and https:// photos can be fetched")
    folder = Path(unquote(urlsplit(local_base).path)).resolve()
    path = Path(unquote(urlsplit(source).path)).resolve()
    if not path.is_relative_to(folder):
        raise FetchError(source, "a saved page's photo must be in the page's folder")
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise FetchError(source, "is not a regular file")
        if info.st_size > IMAGE_LIMIT:
            raise FetchError(source, "too large")
        with path.open("rb") as f:
            data = f.read(IMAGE_LIMIT + 1)
    except OSError as exc:
        raise FetchError(source, f"cannot be read ({exc.strerror})") from None
    if len(data) > IMAGE_LIMIT:
        raise FetchError(source, "too large")
    return data


# -- issue.yaml ---------------------------------------------------------------------------

def _manifest_text(manifest: Path, entries: list[str], channel: Channel | None,
                   posts: list[Post]) -> str | None:
    """The manifest's new text with the entries not yet listed appended, or None when
    nothing changes. Comments and layout of an existing file are kept as they are."""
    if not manifest.exists():
        return _new_manifest(manifest, entries, channel, posts)
    text = manifest.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError:
        raise UserError.at(Location(manifest), "is not valid YAML; fix it before importing "
                                               "into it (run `compositor check`)") from None
    listed = set()
    for entry in (data.get("articles") or []) if isinstance(data, dict) else []:
        file = entry.get("file") if isinstance(entry, dict) else entry
        if isinstance(file, str):
            listed.add(Path(file.strip()).as_posix())
    new = [e for e in dict.fromkeys(entries) if e not in listed]
    if not new:
        return None
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    # A byte order mark (kept as the text's first character) sits before a first key.
    key = next((i for i, line in enumerate(lines) if re.match(r"\ufeff?articles\s*:", line)),
               None)
    if key is None:
        return "".join(lines) + "articles:\n" + "".join(f"  - {e}\n" for e in new)
    rest = lines[key].split(":", 1)[1].split("#")[0].strip()
    if rest and rest != "[]":
        raise UserError.at(Location(manifest, key + 1), "'articles' is written on one line; "
                                                        "write it as a list, one file a line")
    if rest == "[]":
        lines[key] = "articles:\n"
    last, indent = key, "  "
    for i in range(key + 1, len(lines)):
        line = lines[i]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0] in " \t-":
            last = i
            m = re.match(r"(\s*)- ", line)
            if m and i == _first_item(lines, key):
                indent = m[1]
            continue
        break
    added = "".join(f"{indent}- {e}\n" for e in new)
    return "".join(lines[: last + 1]) + added + "".join(lines[last + 1:])


def _first_item(lines: list[str], key: int) -> int:
    return next((i for i in range(key + 1, len(lines)) if re.match(r"\s*- ", lines[i])), -1)


def _new_manifest(manifest: Path, entries: list[str], channel: Channel | None,
                  posts: list[Post]) -> str:
    language = (channel.language if channel else None) or next(
        (p.language for p in posts if p.language), None) or "en"
    language = re.split(r"[^A-Za-z0-9-]", language.replace("_", "-"))[0] or "en"
    name = (channel.title if channel else None) or manifest.parent.name.replace("-", " ").title()
    newest = max((p.date for p in posts if p.date), default=dt.date.today())
    # "June 2024" from the language's long date ("June 8, 2024", "8. Juni 2024"): the
    # day's token dropped, as a masthead shows an issue's date.
    day = str(newest.day)
    date = " ".join(t for t in format_date(newest, language).split()
                    if t.rstrip(".,") != day)
    publication = {"name": name}
    if channel and channel.tagline:
        publication["tagline"] = channel.tagline
    website = web_address(channel.link) if channel else None
    if website:  # never javascript: or file: as the archive's footer link
        publication["website"] = website
    head = yaml.safe_dump({"publication": publication, "date": date, "language": language},
                          sort_keys=False, allow_unicode=True, width=1000)
    return ("# Written by compositor import: check the publication, the date and the order\n"
            "# of the articles, then build with `compositor build`.\n" + head
            + "articles:\n" + "".join(f"  - {e}\n" for e in dict.fromkeys(entries)))


def _write_all(into: Path, writes: dict[Path, bytes], sources: list[str]) -> None:
    """All files or none (compositor/outputs.py). Photos replace only photos an import
    wrote (the folder's ledger); articles and issue.yaml are the ones planned above (a
    symlinked issue.yaml is updated through its link); no source file is written over."""
    from compositor.outputs import Transaction

    local = [s for s in sources if not is_url(s) and os.path.lexists(s)]
    with Transaction("import", into, local) as tx:
        for path, data in writes.items():
            if _same_bytes(path, data):  # leave unchanged files be
                continue
            photo = path.parent.name == "images"
            tx.write(path, data, "photo" if photo else path.name,
                     replace="ours" if photo else "any", record=photo)
        tx.commit()


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _free_photo(into: Path, slug: str, ext: str) -> Path:
    """images/<slug><ext>, or <slug>-2<ext>, ... when a photo of the user's (one an
    import did not write) already has that name: it is never written over."""
    from compositor.outputs import Ledger, file_state

    ledger = Ledger(into) if into.is_dir() else None
    target, n = into / "images" / f"{slug}{ext}", 2
    while file_state(target) is not None and not (ledger and ledger.owns(target, "import")):
        target, n = into / "images" / f"{slug}-{n}{ext}", n + 1
    return target


def print_outcome(out: Outcome, quiet: bool) -> None:
    for d in out.warnings:
        print(d, file=sys.stderr)
    if not quiet:
        for line in out.lines:
            print(line)
