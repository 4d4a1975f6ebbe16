"""The archive's HTML: the frame every page shares (head, masthead, footer) and the index
and issue pages. Every link is relative to the page; `root` is the way back to the
archive's top folder from a page in a subfolder ('' or '../')."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from compositor.load.locale import digits
from compositor.text.shaping import is_rtl_language
from compositor.web.archive import ArchivedIssue
from compositor.web.pictures import COVER_WIDTHS
from compositor.web.site_words import SiteWords, count_text, site_words
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


def lang_of(issues: list[ArchivedIssue]) -> str:
    return issues[0].issue.language


def dir_attr(language: str) -> str:
    return ' dir="rtl"' if is_rtl_language(language) else ""


def words_of(a: ArchivedIssue) -> SiteWords:
    return site_words(a.issue.language)


def issue_title(a: ArchivedIssue) -> str:
    return f"{a.issue.publication.name}{words_of(a).comma}{a.issue.date_text}"


def cover_file(name: str, width: int) -> str:
    """covers/NAME.jpg is the 600-pixel cover (also the sharing picture); the others sit
    in folders by width, so no issue name can meet another's file."""
    return f"covers/{quote(name)}.jpg" if width == 600 else f"covers/{width}w/{quote(name)}.jpg"


def head(title: str, description: str, theme: Theme, base: str | None, page: str,
         image: str | None, kind: str, image_alt: str = "", root: str = "",
         words: SiteWords | None = None) -> str:
    words = words or SiteWords()
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
      title="{e(words.feed_title.format(name=theme.name))}">
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


def footer(theme: Theme, root: str = "", words: SiteWords | None = None) -> str:
    words = words or SiteWords()
    site = ""
    website = site_href(theme.website)  # only http(s) or relative: never javascript:
    if website:
        shown = urlsplit(website).netloc or website
        site = f' · <a href="{e(website)}">{e(shown)}</a>'
    who = f"<bdi>{e(theme.publisher)}</bdi>" if theme.publisher else f"<bdi>{e(theme.name)}</bdi>"
    return f"""<footer class="site-footer">
  <p>{who}{site} · <a href="{root}feed.xml">{e(words.subscribe)}</a></p>
</footer>"""


def cover_alt(a: ArchivedIssue) -> str:
    words = words_of(a)
    lead = f"{words.colon}{a.lead}" if a.lead else ""
    return words.front_page.format(title=issue_title(a)) + lead


def cover(a: ArchivedIssue, theme: Theme, alt: str) -> str:
    # Width and height let the browser reserve the space before the picture arrives.
    lazy = ' loading="lazy"' if not alt else ""
    srcset = ", ".join(f"{cover_file(a.name, w)} {w}w" for w in COVER_WIDTHS)
    return (f'<img src="{cover_file(a.name, 600)}" srcset="{srcset}" '
            f'sizes="(max-width: 40rem) 16rem, 300px" width="300" '
            f'height="{theme.cover_height(300)}" alt="{e(alt)}"{lazy}>')


def download(a: ArchivedIssue) -> str:
    from compositor.web.site_words import size_text

    words = words_of(a)
    return (f'<a class="download" href="pdf/{quote(a.name)}.pdf" download '
            f'type="application/pdf">{e(words.download)}<span class="visually-hidden">'
            f'{e(words.download_of.format(date=a.issue.date_text))}</span> '
            f'({e(size_text(a.size, words, a.numerals))})</a>')


def facts(a: ArchivedIssue) -> str:
    """The details line: the volume line and the page count, each an isolate, so a
    number or a Latin word in one never joins its neighbour in right-to-left text."""
    words = words_of(a)
    parts = [p for p in (a.label, count_text(a.pages, words.pages_one, words.pages,
                                             a.numerals)) if p]
    return e(words.sep).join(f"<bdi>{e(p)}</bdi>" for p in parts)


def card_title(a: ArchivedIssue, theme: Theme) -> str:
    """The issue's date, with its publication's name when that is not the archive's."""
    if a.issue.publication.name != theme.name:
        return (f"<bdi>{e(a.issue.publication.name)}</bdi>{e(words_of(a).comma)}"
                f"<bdi>{e(a.issue.date_text)}</bdi>")
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
    words = site_words(lang_of(issues))
    description = words.site_description.format(name=theme.name)
    intro = count_text(len(issues), words.intro_one, words.intro, newest.numerals)
    return f"""<!DOCTYPE html>
<html lang="{e(lang_of(issues))}"{dir_attr(lang_of(issues))}>
{head(words.site_title.format(name=theme.name), description, theme, base, "index.html",
      cover_file(newest.name, 600), "website", cover_alt(newest), words=words)}
<body>
<a class="skip" href="#main">{e(words.skip_issues)}</a>
{masthead(theme, True)}
<main id="main">
<h1>{e(words.all_issues)}</h1>
<p class="intro">{e(intro)}</p>
<ol class="issues">
{chr(10).join(cards)}
</ol>
</main>
{footer(theme, words=words)}
</body>
</html>
"""


def issue_page(a: ArchivedIssue, theme: Theme, base: str | None,
               articles: list[ArticleLink] | None = None) -> str:
    """The issue's cover and details, and its contents: each title leads to the article's
    own page (when it has one), each page number into the PDF."""
    pdf = f"pdf/{quote(a.name)}.pdf"
    words = words_of(a)
    if articles is None:
        articles = [ArticleLink(x.title, "", x.page) for x in a.contents]
    rows = []
    for x in articles:
        shown = digits(words.page.format(page=x.page), a.numerals)
        where = (f'<a class="page" href="{pdf}#page={x.page}">{e(shown)}'
                 f'<span class="visually-hidden">{e(words.of_pdf)}</span></a>'
                 if x.page else "")
        title = f'<a href="{x.href}">{e(x.title)}</a>' if x.href else \
            f'<a href="{pdf}#page={x.page}">{e(x.title)}</a>' if x.page else e(x.title)
        rows.append(f"<li>{title} {where}</li>")
    contents = (f'<h2 id="inside">{e(words.contents)}</h2>\n<ol class="contents">\n'
                f'{chr(10).join(rows)}\n</ol>') if rows else ""
    lead = " " + words.inside.format(titles=words.comma.join(x.title for x in articles[:3])) \
        if articles else ""
    pages = count_text(a.pages, words.pages_one, words.pages, a.numerals)
    description = f"{issue_title(a)}. {a.label + '. ' if a.label else ''}{pages}.{lead}"
    return f"""<!DOCTYPE html>
<html lang="{e(a.issue.language)}"{dir_attr(a.issue.language)}>
{head(issue_title(a), description, theme, base, f"{quote(a.name)}.html",
      cover_file(a.name, 600), "article", cover_alt(a), words=words)}
<body>
<a class="skip" href="#main">{e(words.skip_contents)}</a>
{masthead(theme, False)}
<nav class="crumbs" aria-label="{e(words.archive)}">
<a href="index.html">{e(words.all_issues)}</a></nav>
<main id="main">
<h1>{card_title(a, theme)}</h1>
<div class="issue">
  <a class="cover" href="{pdf}">{cover(a, theme, cover_alt(a) + words.opens_pdf)}</a>
  <div class="about">
    <p class="facts">{facts(a)}</p>
    <p>{download(a)}</p>
    {contents}
  </div>
</div>
</main>
{footer(theme, words=words)}
</body>
</html>
"""
