"""Peer renderers: the same issue typeset by Typst and by WeasyPrint.

Usage::

    python bench/peers.py typst ISSUE_DIR_OR_MANIFEST OUT.pdf
    python bench/peers.py weasyprint ISSUE_DIR_OR_MANIFEST OUT.pdf
    python bench/peers.py typst ISSUE OUT.typ --source   # write the markup, do not render

Both get the same design as ``plain_reportlab.py``: A4, 15 mm margins, three justified,
hyphenated (en-GB) columns with a 12 pt gutter, Charis SIL 9.5/12.5 pt body and Noto Sans
Bold headlines from the package's ``compositor/fonts/`` folder, a masthead across page 1, an
"Inside this issue" contents list with page numbers and links, PDF bookmarks per
article, photos at column width.  The conversion is deliberately simple; it is timed
as part of each tool's run, just as parsing is part of compositor's.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

from issue_model import Article, Block, Inline, Issue, read_issue

FONTS_DIR = Path(__file__).resolve().parent.parent / "compositor" / "fonts"


# ----------------------------------------------------------------------------------- Typst

_TYPST_SPECIAL = re.compile(r"([\\#$*_@<>\[\]`~/=+\-])")


def typst_text(text: str) -> str:
    """Escape Markdown-ish text for Typst markup mode."""
    return _TYPST_SPECIAL.sub(r"\\\1", text)


def typst_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def typst_runs(runs: list[Inline]) -> str:
    out = []
    for kind, text, url in runs:
        body = typst_text(text)
        if kind == "em":
            out.append(f"#emph[{body}]")
        elif kind == "strong":
            out.append(f"#strong[{body}]")
        elif kind == "link":
            out.append(f"#link({typst_string(url or '')})[{body}]")
        else:
            out.append(body)
    return "".join(out)


def typst_block(block: Block) -> str:
    if block.kind == "p":
        return typst_runs(block.inlines)
    if block.kind == "h2":
        return (
            f"#heading(level: 2, outlined: false, bookmarked: false)[{typst_runs(block.inlines)}]"
        )
    if block.kind == "quote":
        return f"#quote(block: true)[{typst_runs(block.inlines)}]"
    if block.kind in ("ul", "ol"):
        marker = "+" if block.kind == "ol" else "-"
        return "\n".join(f"{marker} {typst_runs(item)}" for item in block.items)
    if block.kind == "more":
        url = block.url or ""
        return f"#meta[Continue reading: #link({typst_string(url)})]"
    raise ValueError(f"unknown block kind {block.kind!r}")


def typst_article(art: Article, root: Path) -> str:
    parts = [f"= {typst_text(art.title)}"]
    meta = " · ".join(typst_text(x) for x in (art.byline, art.date) if x)
    if meta:
        parts.append(f"#meta[{meta}]")
    if art.image:
        rel = "/" + art.image.relative_to(root).as_posix()
        parts.append(f"#image({typst_string(rel)}, width: 100%)")
        if art.caption:
            parts.append(f"#caption[{typst_text(art.caption)}]")
    parts.extend(typst_block(b) for b in art.blocks)
    return "\n\n".join(parts)


TYPST_PREAMBLE = """\
#set document(title: {title}, author: {author})
#set page(
  paper: "a4",
  margin: 15mm,
  columns: 3,
  footer: context [
    #set text(size: 7.5pt)
    {footer} #h(1fr) #counter(page).display()
  ],
)
#set columns(gutter: 12pt)
#set text(font: "Charis SIL", size: 9.5pt, lang: "en", region: "GB", hyphenate: true,
          top-edge: 0.8em, bottom-edge: -0.2em)
#set par(justify: true, leading: 3pt, spacing: 6pt)
#show heading: set text(font: "Noto Sans", weight: "bold")
#show heading.where(level: 1): set text(size: 15pt)
#show heading.where(level: 1): set block(above: 14pt, below: 5pt)
#show heading.where(level: 2): set text(size: 10.5pt)
#show heading.where(level: 2): set block(above: 9pt, below: 5pt)
#show link: set text(fill: rgb("#1a4f8b"))
#let meta(body) = block(above: 4pt, below: 7pt, text(size: 8.5pt, style: "italic", body))
#let caption(body) = block(above: 4pt, below: 8pt, text(size: 8pt, style: "italic", body))

#place(top, scope: "parent", float: true, clearance: 12pt)[
  #align(center)[
    #text(font: "Noto Sans", weight: "bold", size: 40pt)[{name}] \\
    #text(size: 11pt, style: "italic")[{tagline}] \\
    #text(size: 8.5pt)[{dateline}]
  ]
  #line(length: 100%, stroke: 1.2pt)
]

#outline(title: [Inside this issue], depth: 1)
"""


def typst_source(issue: Issue) -> str:
    dateline = f"Volume {issue.volume} · Number {issue.number} · {issue.date} · {issue.website}"
    head = TYPST_PREAMBLE.format(
        title=typst_string(f"{issue.name}, {issue.date}"),
        author=typst_string(issue.publisher),
        footer=typst_text(f"{issue.name} · {issue.date}"),
        name=typst_text(issue.name),
        tagline=typst_text(issue.tagline),
        dateline=typst_text(dateline),
    )
    body = "\n\n".join(typst_article(a, issue.root) for a in issue.articles)
    return head + "\n" + body + "\n"


def render_typst(issue: Issue, out: Path) -> None:
    import typst

    typst.compile(
        typst_source(issue).encode("utf-8"),
        output=str(out),
        root=str(issue.root),
        font_paths=[str(FONTS_DIR)],
        ignore_system_fonts=True,
    )


# ------------------------------------------------------------------------------ WeasyPrint

CSS = """\
@font-face {{ font-family: Charis; src: url({fonts}/CharisSIL-Regular.ttf); }}
@font-face {{ font-family: Charis; font-style: italic; src: url({fonts}/CharisSIL-Italic.ttf); }}
@font-face {{ font-family: Charis; font-weight: bold; src: url({fonts}/CharisSIL-Bold.ttf); }}
@font-face {{ font-family: Charis; font-weight: bold; font-style: italic;
             src: url({fonts}/CharisSIL-BoldItalic.ttf); }}
@font-face {{ font-family: NotoSans; font-weight: bold; src: url({fonts}/NotoSans-Bold.ttf); }}
@page {{
  size: A4; margin: 15mm;
  @bottom-left {{ content: "{footer}"; font: 7.5pt Charis; }}
  @bottom-right {{ content: counter(page); font: 7.5pt Charis; }}
}}
html {{ font: 9.5pt/12.5pt Charis; }}
main {{ columns: 3; column-gap: 12pt; column-fill: auto; }}
p, li {{ margin: 0 0 3pt; text-align: justify; hyphens: auto; widows: 2; orphans: 2; }}
li {{ text-align: left; }}
ul, ol {{ margin: 0 0 4pt; padding-left: 11pt; }}
blockquote {{ margin: 0 6pt 3pt 10pt; font-style: italic; }}
a {{ color: #1a4f8b; text-decoration: none; }}
header.masthead {{ column-span: all; text-align: center; border-bottom: 1.2pt solid black;
                   padding-bottom: 4pt; margin-bottom: 12pt; }}
header.masthead p {{ text-align: center; }}
.name {{ font: bold 40pt/44pt NotoSans; margin: 0; }}
.tagline {{ font-style: italic; font-size: 11pt; line-height: 14pt; margin: 0; }}
.dateline {{ font-size: 8.5pt; margin: 4pt 0 0; }}
h1, h2 {{ font-family: NotoSans; font-weight: bold; break-after: avoid; }}
h1 {{ font-size: 15pt; line-height: 17.5pt; margin: 10pt 0 3pt; }}
h2 {{ font-size: 10.5pt; line-height: 13pt; margin: 6pt 0 2pt; bookmark-level: none; }}
nav h2 {{ font-size: 11pt; margin-top: 0; }}
nav ol {{ list-style: none; padding: 0; font-size: 8.5pt; line-height: 10.5pt; }}
nav li {{ margin-bottom: 2pt; }}
nav a {{ color: black; }}
nav a::after {{ content: leader(".") target-counter(attr(href), page); }}
.meta {{ font-style: italic; font-size: 8.5pt; line-height: 11pt; margin: 0 0 5pt;
         text-align: left; break-after: avoid; }}
figure {{ margin: 0 0 6pt; break-inside: avoid; }}
figure img {{ width: 100%; display: block; }}
figcaption {{ font-style: italic; font-size: 8pt; line-height: 10pt; margin-top: 2pt; }}
"""


def html_runs(runs: list[Inline]) -> str:
    out = []
    for kind, text, url in runs:
        body = html.escape(text, quote=False)
        if kind == "em":
            out.append(f"<em>{body}</em>")
        elif kind == "strong":
            out.append(f"<strong>{body}</strong>")
        elif kind == "link":
            out.append(f'<a href="{html.escape(url or "")}">{body}</a>')
        else:
            out.append(body)
    return "".join(out)


def html_block(block: Block) -> str:
    if block.kind == "p":
        return f"<p>{html_runs(block.inlines)}</p>"
    if block.kind == "h2":
        return f"<h2>{html_runs(block.inlines)}</h2>"
    if block.kind == "quote":
        return f"<blockquote><p>{html_runs(block.inlines)}</p></blockquote>"
    if block.kind in ("ul", "ol"):
        items = "".join(f"<li>{html_runs(item)}</li>" for item in block.items)
        return f"<{block.kind}>{items}</{block.kind}>"
    if block.kind == "more":
        url = html.escape(block.url or "")
        return f'<p class="meta">Continue reading: <a href="{url}">{url}</a></p>'
    raise ValueError(f"unknown block kind {block.kind!r}")


def html_article(art: Article, index: int) -> str:
    parts = [f'<article><h1 id="article-{index}">{html.escape(art.title)}</h1>']
    meta = " · ".join(html.escape(x) for x in (art.byline, art.date) if x)
    if meta:
        parts.append(f'<p class="meta">{meta}</p>')
    if art.image:
        caption = f"<figcaption>{html.escape(art.caption)}</figcaption>" if art.caption else ""
        parts.append(f'<figure><img src="{art.image.as_uri()}" alt="">{caption}</figure>')
    parts.extend(html_block(b) for b in art.blocks)
    parts.append("</article>")
    return "\n".join(parts)


def html_source(issue: Issue) -> str:
    css = CSS.format(fonts=FONTS_DIR.as_uri(), footer=f"{issue.name} · {issue.date}")
    toc = "".join(
        f'<li><a href="#article-{i}">{html.escape(a.title)}</a></li>'
        for i, a in enumerate(issue.articles, start=1)
    )
    dateline = f"Volume {issue.volume} · Number {issue.number} · {issue.date} · {issue.website}"
    articles = "\n".join(html_article(a, i) for i, a in enumerate(issue.articles, start=1))
    return f"""<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>{html.escape(issue.name)}, {html.escape(issue.date)}</title>
<meta name="author" content="{html.escape(issue.publisher)}">
<style>{css}</style></head>
<body><main>
<header class="masthead">
<p class="name">{html.escape(issue.name)}</p>
<p class="tagline">{html.escape(issue.tagline)}</p>
<p class="dateline">{html.escape(dateline)}</p>
</header>
<nav><h2>Inside this issue</h2><ol>{toc}</ol></nav>
{articles}
</main></body></html>
"""


def render_weasyprint(issue: Issue, out: Path) -> None:
    from weasyprint import HTML

    HTML(string=html_source(issue), base_url=str(issue.root)).write_pdf(str(out))


# ------------------------------------------------------------------------------------ main

RENDERERS = {"typst": (render_typst, typst_source), "weasyprint": (render_weasyprint, html_source)}


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if a != "--source"]
    if len(args) != 3 or args[0] not in RENDERERS:
        print(__doc__, file=sys.stderr)
        return 2
    tool, source, out = args[0], Path(args[1]), Path(args[2])
    manifest = source / "issue.yaml" if source.is_dir() else source
    issue = read_issue(manifest)
    render, to_source = RENDERERS[tool]
    if "--source" in argv:
        out.write_text(to_source(issue), encoding="utf-8")
    else:
        render(issue, out)
    print(f"{tool}: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
