"""Each article of an issue as its own page, to read on a phone: the full text from its
Markdown (never the excerpt the PDF may print), its photos at several widths, byline and
date, a link to where it opens in the PDF, and the previous and next article.

Pages live in a folder named after the issue (NAME/SLUG.html), photos in NAME/photos/.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from compositor.load.dates import format_date
from compositor.load.locale import digits, labels
from compositor.model.content import (
    Article,
    Block,
    Figure,
    Heading,
    ListBlock,
    Paragraph,
    Quote,
    Rule,
    Run,
)
from compositor.web.archive import ArchivedIssue
from compositor.web.pages import (
    ArticleLink,
    dir_attr,
    e,
    footer,
    head,
    issue_title,
    masthead,
    words_of,
)
from compositor.web.pictures import Rendition, photo_renditions, photo_stem, srcset
from compositor.web.theme import Theme, site_href


@dataclass
class Photo:
    stem: str
    renditions: list[Rendition]


@dataclass
class ArticlePage:
    article: Article
    slug: str                 # the page's file name, without .html
    page: int | None          # the PDF page it opens on
    photos: dict[Path, Photo] = field(default_factory=dict)

    def link(self, issue: str) -> ArticleLink:
        return ArticleLink(self.article.contents_title, f"{quote(issue)}/{self.slug}.html",
                           self.page)


def _fold(text: str) -> str:
    """Titles compared as a reader would: quotes, case and spacing aside."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub("[\u2018\u2019\u201c\u201d\"'\u00ad]", "", text)
    return " ".join(text.split())


def _slug(article: Article, taken: set[str], n: int) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", article.where.path.stem.lower()).strip("-")[:60]
    base = base.strip("-") or f"article-{n}"
    slug, k = base, 2
    while slug in taken or slug == "photos":
        slug, k = f"{base}-{k}", k + 1
    taken.add(slug)
    return slug


def plan_pages(a: ArchivedIssue) -> list[ArticlePage]:
    """One page per article, in the order the PDF prints them (the contents' order; an
    article not in the contents keeps its place after those that are)."""
    pages_of: dict[str, list[int]] = {}
    for entry in a.contents:
        pages_of.setdefault(_fold(entry.title), []).append(entry.page)
    taken: set[str] = set()
    planned = []
    for n, article in enumerate(a.issue.articles, 1):
        found = pages_of.get(_fold(article.contents_title)) or \
            pages_of.get(_fold(article.title)) or []
        page = found.pop(0) if found else None
        planned.append(ArticlePage(article, _slug(article, taken, n), page))
    order = sorted(range(len(planned)),
                   key=lambda i: (planned[i].page is None, planned[i].page or 0, i))
    return [planned[i] for i in order]


def _blocks_of(article: Article) -> tuple[Block, ...]:
    # Pull quotes repeat the text beside them: on the web they would be read twice.
    full = article.all_blocks or article.blocks
    return tuple(b for b in full if not (isinstance(b, Quote) and b.pull))


def gather_photos(page: ArticlePage) -> None:
    """Renditions of the lead photo and every figure, each photo once."""
    figures = [page.article.lead] if page.article.lead else []

    def walk(blocks: tuple[Block, ...]) -> None:
        for b in blocks:
            if isinstance(b, Figure):
                figures.append(b)
            elif isinstance(b, Quote):
                walk(b.blocks)
            elif isinstance(b, ListBlock):
                for item in b.items:
                    walk(item)
    walk(_blocks_of(page.article))
    for f in figures:
        if f.path not in page.photos and f.path.is_file():
            page.photos[f.path] = Photo(photo_stem(f.path), photo_renditions(f.path))


# -- HTML -----------------------------------------------------------------------------------

def _runs(runs: tuple[Run, ...]) -> str:
    out = []
    for r in runs:
        text = e(r.text)
        if r.code:
            text = f"<code>{text}</code>"
        if r.bold:
            text = f"<strong>{text}</strong>"
        if r.italic:
            text = f"<em>{text}</em>"
        href = site_href(r.href) if r.href else None
        if href:
            text = f'<a href="{e(href)}">{text}</a>'
        out.append(text)
    return "".join(out)


def _figure(f: Figure, page: ArticlePage, lead: bool = False) -> str:
    photo = page.photos.get(f.path)
    if photo is None:
        return ""
    biggest = photo.renditions[-1]
    middle = next((r for r in photo.renditions if r.width >= 960), biggest)
    alt = f.alt or ""
    loading = "" if lead else ' loading="lazy"'
    caption = f"\n  <figcaption>{_runs(f.caption)}</figcaption>" if f.caption else ""
    return (f'<figure>\n  <img src="photos/{photo.stem}-{middle.width}.jpg" '
            f'srcset="{srcset("photos/", photo.stem, photo.renditions)}" '
            f'sizes="(max-width: 44rem) calc(100vw - 2rem), 42rem" '
            f'width="{middle.width}" height="{middle.height}" alt="{e(alt)}"'
            f'{loading}>{caption}\n</figure>')


def _block(b: Block, page: ArticlePage, depth: list[int] | None = None) -> str:
    if isinstance(b, Paragraph):
        return f"<p>{_runs(b.runs)}</p>" if b.runs else ""
    if isinstance(b, Heading):
        # Under the page's h1 a heading goes at most one level deeper than the one
        # before it, so screen readers' outline has no gaps.
        depth = depth if depth is not None else [1]
        level = min(6, b.level, depth[0] + 1)
        depth[0] = level
        return f"<h{level}>{_runs(b.runs)}</h{level}>"
    if isinstance(b, ListBlock):
        tag = "ol" if b.ordered else "ul"
        start = f' start="{b.start}"' if b.ordered and b.start != 1 else ""
        items = "".join(f"<li>{''.join(_block(x, page) for x in item)}</li>"
                        for item in b.items)
        return f"<{tag}{start}>{items}</{tag}>"
    if isinstance(b, Quote):
        return f"<blockquote>{''.join(_block(x, page) for x in b.blocks)}</blockquote>"
    if isinstance(b, Figure):
        return _figure(b, page)
    if isinstance(b, Rule):
        return "<hr>"
    return ""


def article_page(a: ArchivedIssue, pages: list[ArticlePage], i: int, theme: Theme,
                 base: str | None) -> str:
    page = pages[i]
    art = page.article
    lang = a.issue.language
    root = "../"
    issue_href = f"{root}{quote(a.name)}.html"
    pdf = f"{root}pdf/{quote(a.name)}.pdf"
    words = words_of(a)
    meta = []
    if art.byline:
        by = labels(lang).by.format(name=art.byline)  # the author's name in an isolate
        meta.append(f'<span class="byline">{e(by)}</span>')
    if art.date:
        # In the calendar and digits the issue's layout prints (Solar Hijri for Persian).
        shown = format_date(art.date, lang, a.calendar, a.numerals)
        meta.append(f'<time datetime="{art.date.isoformat()}">{e(shown)}</time>')
    meta_html = f'<p class="meta">{e(words.sep).join(meta)}</p>' if meta else ""
    lead = _figure(art.lead, page, lead=True) if art.lead else ""
    depth = [1]
    body = "\n".join(x for x in (_block(b, page, depth) for b in _blocks_of(art)) if x)
    on_page = digits(words.read_on_page.format(page=page.page), a.numerals)
    in_pdf = (f'<a href="{pdf}#page={page.page}">{e(on_page)}</a>' if page.page
              else f'<a href="{pdf}">{e(words.read_pdf)}</a>')
    original = site_href(art.url)
    original_html = f'{e(words.sep)}<a href="{e(original)}">{e(words.first_published)}</a>' \
        if original and original.startswith("http") else ""
    steps = []
    if i > 0:
        prev = pages[i - 1]
        steps.append(f'<a rel="prev" href="{prev.slug}.html"><span class="step">'
                     f'{e(words.previous)}</span> {e(prev.article.contents_title)}</a>')
    if i + 1 < len(pages):
        nxt = pages[i + 1]
        steps.append(f'<a rel="next" href="{nxt.slug}.html"><span class="step">'
                     f'{e(words.next)}</span> {e(nxt.article.contents_title)}</a>')
    steps_html = (f'<nav class="steps" aria-label="{e(words.in_issue)}">\n'
                  f'{chr(10).join(steps)}\n</nav>') if steps else ""
    text = " ".join(" ".join(r.text for r in b.runs) for b in _blocks_of(art)
                    if isinstance(b, Paragraph))
    description = " ".join(text.split()[:40]) + ("…" if len(text.split()) > 40 else "")
    image = None
    if art.lead and art.lead.path in page.photos:
        photo = page.photos[art.lead.path]
        image = f"{quote(a.name)}/photos/{photo.stem}-{photo.renditions[-1].width}.jpg"
    return f"""<!DOCTYPE html>
<html lang="{e(lang)}"{dir_attr(lang)}>
{head(f"{art.title} – {issue_title(a)}", description or art.title, theme, base,
      f"{quote(a.name)}/{page.slug}.html", image, "article", art.lead.alt if art.lead else "",
      root=root, words=words)}
<body>
<a class="skip" href="#main">{e(words.skip_article)}</a>
{masthead(theme, False, root)}
<nav class="crumbs" aria-label="{e(words.archive)}">
<a href="{root}index.html">{e(words.all_issues)}</a> ›
<a href="{issue_href}">{e(issue_title(a))}</a></nav>
<main id="main" class="article">
<article>
<h1>{e(art.title)}</h1>
{meta_html}
{lead}
{body}
</article>
<p class="source">{in_pdf}{original_html}</p>
{steps_html}
</main>
{footer(theme, root, words)}
</body>
</html>
"""
