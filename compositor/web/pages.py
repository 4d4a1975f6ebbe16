"""The archive's HTML: the frame every page shares (head, masthead, footer) and the index
and issue pages. Every link is relative to the page; `root` is the way back to the
archive's top folder from a page in a subfolder ('' or '../')."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from compositor.text.shaping import is_rtl_language
from compositor.web.archive import ArchivedIssue
from compositor.web.pictures import COVER_WIDTHS
from compositor.web.theme import Theme, site_href

# Characters XML 1.0 does not allow at all (a control character in a title would make
# feed.xml ill-formed, and every reader refuse it); dropped from pages and the feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def e(text: object) -> str:
    return html.escape(_NOT_XML.sub("", str(text)), quote=True)


@dataclass(frozen=True)
class ArticleLink:
    """What the issue page needs of an article's own page."""
    title: str
    href: str          # relative to the archive's top folder
    page: int | None   # where it opens in the PDF


def size_text(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"


def lang_of(issues: list[ArchivedIssue]) -> str:
    return issues[0].issue.language


def dir_attr(language: str) -> str:
    return ' dir="rtl"' if is_rtl_language(language) else ""


def issue_title(a: ArchivedIssue) -> str:
    return f"{a.issue.publication.name}, {a.issue.date_text}"


def cover_file(name: str, width: int) -> str:
    """covers/NAME.jpg is the 600-pixel cover (also the sharing picture); the others sit
    in folders by width, so no issue name can meet another's file."""
    return f"covers/{quote(name)}.jpg" if width == 600 else f"covers/{width}w/{quote(name)}.jpg"


def head(title: str, description: str, theme: Theme, base: str | None, page: str,
         image: str | None, kind: str, image_alt: str = "", root: str = "") -> str:
    tags = [f'<meta property="og:type" content="{kind}">',
            f'<meta property="og:title" content="{e(title)}">',
            f'<meta property="og:description" content="{e(description)}">',
            f'<meta property="og:site_name" content="{e(theme.name)}">',
            f'<meta name="description" content="{e(description)}">']
    if base:
        tags.append(f'<meta property="og:url" content="{e(base + page)}">')
        tags.append(f'<link rel="canonical" href="{e(base + page)}">')
        if image:
            tags += [f'<meta property="og:image" content="{e(base + image)}">',
                     f'<meta property="og:image:alt" content="{e(image_alt)}">',
                     '<meta name="twitter:card" content="summary_large_image">']
    return f"""<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
{chr(10).join(tags)}
<link rel="alternate" type="application/atom+xml" href="{root}feed.xml"
      title="{e(theme.name)}: new issues">
<link rel="stylesheet" href="{root}style.css">
</head>"""


def masthead(theme: Theme, home: bool, root: str = "") -> str:
    # The logo is decoration beside the name, which says the same in words.
    logo = ""
    if theme.logo_name:
        w, h = theme.logo_size()
        logo = f'<img src="{root}{theme.logo_name}" alt="" width="{w}" height="{h}">'

    name = f"{logo}{e(theme.name)}" if home else \
        f'<a href="{root}index.html">{logo}{e(theme.name)}</a>'
    tagline = f'\n  <p class="tagline" dir="auto">{e(theme.tagline)}</p>' if theme.tagline else ""
    return f"""<header class="masthead">
  <p class="name" dir="auto">{name}</p>{tagline}
</header>"""


def footer(theme: Theme, root: str = "") -> str:
    site = ""
    website = site_href(theme.website)  # only http(s) or relative: never javascript:
    if website:
        shown = urlsplit(website).netloc or website
        site = f' · <a href="{e(website)}">{e(shown)}</a>'
    who = f"{e(theme.publisher)}" if theme.publisher else e(theme.name)
    return f"""<footer class="site-footer">
  <p>{who}{site} · <a href="{root}feed.xml">Subscribe to new issues (Atom feed)</a></p>
</footer>"""


def cover_alt(a: ArchivedIssue) -> str:
    lead = f": {a.lead}" if a.lead else ""
    return f"Front page of {issue_title(a)}{lead}"


def cover(a: ArchivedIssue, theme: Theme, alt: str) -> str:
    # Width and height let the browser reserve the space before the picture arrives.
    lazy = ' loading="lazy"' if not alt else ""
    srcset = ", ".join(f"{cover_file(a.name, w)} {w}w" for w in COVER_WIDTHS)
    return (f'<img src="{cover_file(a.name, 600)}" srcset="{srcset}" '
            f'sizes="(max-width: 40rem) 16rem, 300px" width="300" '
            f'height="{theme.cover_height(300)}" alt="{e(alt)}"{lazy}>')


def download(a: ArchivedIssue) -> str:
    return (f'<a class="download" href="pdf/{quote(a.name)}.pdf" download '
            f'type="application/pdf">Download the PDF<span class="visually-hidden"> of '
            f'{e(a.issue.date_text)}</span> ({size_text(a.size)})</a>')


def facts(a: ArchivedIssue) -> str:
    parts = [p for p in (a.label, f"{a.pages} page{'s' * (a.pages != 1)}") if p]
    return " · ".join(e(p) for p in parts)


def card_title(a: ArchivedIssue, theme: Theme) -> str:
    """The issue's date, with its publication's name when that is not the archive's."""
    if a.issue.publication.name != theme.name:
        return f"{e(a.issue.publication.name)}, {e(a.issue.date_text)}"
    return e(a.issue.date_text)


def index_page(issues: list[ArchivedIssue], theme: Theme, base: str | None) -> str:
    cards = []
    for a in issues:
        lang = a.issue.language
        own = f' lang="{e(lang)}"{dir_attr(lang)}' if lang != lang_of(issues) else ""
        cards.append(f"""<li class="card"{own}>
  <a class="cover" href="{quote(a.name)}.html" tabindex="-1" aria-hidden="true">
    {cover(a, theme, "")}</a>
  <h2><a href="{quote(a.name)}.html">{card_title(a, theme)}</a></h2>
  <p class="facts">{facts(a)}</p>
  <p>{download(a)}</p>
</li>""")
    newest = issues[0]
    description = f"Every issue of {theme.name} as a PDF, newest first."
    return f"""<!DOCTYPE html>
<html lang="{e(lang_of(issues))}"{dir_attr(lang_of(issues))}>
{head(f"{theme.name}: all issues", description, theme, base, "index.html",
      cover_file(newest.name, 600), "website", cover_alt(newest))}
<body>
<a class="skip" href="#main">Skip to the issues</a>
{masthead(theme, True)}
<main id="main">
<h1>All issues</h1>
<p class="intro">{len(issues)} issue{'s' * (len(issues) != 1)}, newest first, each as a PDF
to read on screen or print.</p>
<ol class="issues">
{chr(10).join(cards)}
</ol>
</main>
{footer(theme)}
</body>
</html>
"""


def issue_page(a: ArchivedIssue, theme: Theme, base: str | None,
               articles: list[ArticleLink] | None = None) -> str:
    """The issue's cover and details, and its contents: each title leads to the article's
    own page (when it has one), each page number into the PDF."""
    pdf = f"pdf/{quote(a.name)}.pdf"
    if articles is None:
        articles = [ArticleLink(x.title, "", x.page) for x in a.contents]
    rows = []
    for x in articles:
        where = (f'<a class="page" href="{pdf}#page={x.page}">page {x.page}'
                 f'<span class="visually-hidden"> of the PDF</span></a>'
                 if x.page else "")
        title = f'<a href="{x.href}">{e(x.title)}</a>' if x.href else \
            f'<a href="{pdf}#page={x.page}">{e(x.title)}</a>' if x.page else e(x.title)
        rows.append(f"<li>{title} {where}</li>")
    contents = (f'<h2 id="inside">Inside this issue</h2>\n<ol class="contents">\n'
                f'{chr(10).join(rows)}\n</ol>') if rows else ""
    lead = f" Inside: {', '.join(x.title for x in articles[:3])}." if articles else ""
    description = f"{issue_title(a)}. {a.label + '. ' if a.label else ''}{a.pages} pages.{lead}"
    return f"""<!DOCTYPE html>
<html lang="{e(a.issue.language)}"{dir_attr(a.issue.language)}>
{head(issue_title(a), description, theme, base, f"{quote(a.name)}.html",
      cover_file(a.name, 600), "article", cover_alt(a))}
<body>
<a class="skip" href="#main">Skip to the contents</a>
{masthead(theme, False)}
<nav class="crumbs" aria-label="Archive"><a href="index.html">All issues</a></nav>
<main id="main">
<h1>{card_title(a, theme)}</h1>
<div class="issue">
  <a class="cover" href="{pdf}">{cover(a, theme, cover_alt(a) + " (opens the PDF)")}</a>
  <div class="about">
    <p class="facts">{facts(a)}</p>
    <p>{download(a)}</p>
    {contents}
  </div>
</div>
</main>
{footer(theme)}
</body>
</html>
"""
