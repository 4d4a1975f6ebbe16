"""Peers: the same issue rendered with Typst and with WeasyPrint.

Usage::

    python bench/peers.py typst|weasyprint ISSUE_DIR_OR_MANIFEST OUT.pdf

Both get the same page geometry as the compositor's default layout (A4, 14 mm margins,
three justified, hyphenated columns with a 5 mm gutter), the same fonts from ``fonts/``,
a masthead, an outline / contents, headlines per article and the photos at column width.
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

from issue_model import Article, Block, Inline, Issue, read_issue

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "fonts"


# -- Typst ------------------------------------------------------------------------------

def _typ_escape(text: str) -> str:
    out = []
    for ch in text:
        if ch in "\\#*_`$<>@[]~=-+/\"'":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def _typ_inlines(runs: list[Inline]) -> str:
    parts = []
    for kind, text, url in runs:
        t = _typ_escape(text)
        if kind == "em":
            parts.append(f"#emph[{t}]")
        elif kind == "strong":
            parts.append(f"#strong[{t}]")
        elif kind == "link" and url:
            parts.append(f'#link("{url}")[{t}]')
        else:
            parts.append(t)
    return "".join(parts)


def _typ_block(block: Block) -> str:
    if block.kind == "h2":
        return f"=== {_typ_inlines(block.inlines)}\n"
    if block.kind in ("ul", "ol"):
        mark = "-" if block.kind == "ul" else "+"
        return "".join(f"{mark} {_typ_inlines(item)}\n" for item in block.items) + "\n"
    if block.kind == "quote":
        return f"#quote(block: true)[{_typ_inlines(block.inlines)}]\n\n"
    if block.kind == "more":
        return f'#text(size: 7.6pt)[Read the full article: #link("{block.url}")]\n\n'
    return _typ_inlines(block.inlines) + "\n\n"


def _typ_article(a: Article, root: Path) -> str:
    out = [f"== {_typ_escape(a.title)}\n"]
    meta = " · ".join(x for x in (f"by {a.byline}" if a.byline else "", a.date or "") if x)
    if meta:
        out.append(f"#text(size: 7.8pt, style: \"italic\")[{_typ_escape(meta)}]\n\n")
    if a.image:
        rel = Path(a.image).resolve().relative_to(root)
        out.append(f'#figure(image("/{rel}", width: 100%), '
                   f'caption: [{_typ_escape(a.caption or "")}])\n\n')
    out += [_typ_block(b) for b in a.blocks]
    return "".join(out)


def render_typst(issue: Issue, out: Path) -> None:
    import typst

    root = Path("/")  # images are addressed by absolute path
    doc = f"""
#set document(title: "{_typ_escape(issue.name)}")
#set page(paper: "a4", margin: 14mm, columns: 3, footer: context [#text(size: 7.4pt)[
  {_typ_escape(issue.website)} #h(1fr) Page #counter(page).display()]])
#set columns(gutter: 5mm)
#set text(font: "Charis SIL", size: 9.4pt, lang: "en", hyphenate: true)
#set par(justify: true, leading: 3pt, first-line-indent: 9.4pt)
#show heading.where(level: 2): set text(font: "Noto Sans", size: 14pt, fill: rgb("#1d4f7a"))
#show heading.where(level: 3): set text(font: "Noto Sans", size: 9.6pt)
#place(top, float: true, scope: "parent", block(width: 100%, fill: rgb("#1d4f7a"), inset: 12pt)[
  #text(font: "Noto Serif Display", size: 44pt, fill: white)[{_typ_escape(issue.name)}] \\
  #text(font: "Noto Sans", size: 10pt, fill: white, style: "italic")[{_typ_escape(issue.tagline)}]
])
#block(fill: rgb("#eef4fa"), inset: 8pt)[#outline(title: [Inside this issue], depth: 2)]
"""
    body = "\n".join(_typ_article(a, root) for a in issue.articles)
    src = doc + body
    out.write_bytes(typst.compile(src.encode("utf-8"), root=str(root),
                                  font_paths=[str(FONTS)]))


# -- WeasyPrint ---------------------------------------------------------------------------

CSS = """
@font-face { font-family: Body; src: url("%(fonts)s/CharisSIL-Regular.ttf"); }
@font-face { font-family: Body; font-style: italic; src: url("%(fonts)s/CharisSIL-Italic.ttf"); }
@font-face { font-family: Body; font-weight: bold; src: url("%(fonts)s/CharisSIL-Bold.ttf"); }
@font-face { font-family: Sans; src: url("%(fonts)s/NotoSans-Regular.ttf"); }
@font-face { font-family: Sans; font-weight: bold; src: url("%(fonts)s/NotoSans-Bold.ttf"); }
@font-face { font-family: Display; src: url("%(fonts)s/NotoSerifDisplay-Bold.ttf"); }
@page { size: A4; margin: 14mm;
        @bottom-right { content: "Page " counter(page); font: 7.4pt Sans; } }
body { font: 9.4pt/12.4pt Body; hyphens: auto; text-align: justify; }
.columns { columns: 3; column-gap: 5mm; }
header { background: #1d4f7a; color: white; padding: 12pt; }
header h1 { font: 44pt Display; margin: 0; }
h2 { font: bold 14pt/16.5pt Sans; color: #1d4f7a; text-align: left; }
h3 { font: bold 9.6pt Sans; }
p { margin: 0; text-indent: 9.4pt; }
img { width: 100%%; }
nav { background: #eef4fa; padding: 8pt; }
nav a::after { content: leader(" ") target-counter(attr(href), page); }
"""


def _html_inlines(runs: list[Inline]) -> str:
    out = []
    for kind, text, url in runs:
        t = html.escape(text)
        if kind == "em":
            out.append(f"<em>{t}</em>")
        elif kind == "strong":
            out.append(f"<strong>{t}</strong>")
        elif kind == "link" and url:
            out.append(f'<a href="{html.escape(url)}">{t}</a>')
        else:
            out.append(t)
    return "".join(out)


def render_weasyprint(issue: Issue, out: Path) -> None:
    from weasyprint import CSS as WCSS
    from weasyprint import HTML

    parts = [f"<header><h1>{html.escape(issue.name)}</h1>{html.escape(issue.tagline)}</header>",
             '<div class="columns"><nav><b>Inside this issue</b>']
    parts += [f'<div><a href="#a{i}">{html.escape(a.title)}</a></div>'
              for i, a in enumerate(issue.articles)]
    parts.append("</nav>")
    for i, a in enumerate(issue.articles):
        parts.append(f'<h2 id="a{i}">{html.escape(a.title)}</h2>')
        if a.image:
            parts.append(f'<img src="{Path(a.image).resolve().as_uri()}">'
                         f"<small>{html.escape(a.caption or '')}</small>")
        for b in a.blocks:
            if b.kind == "h2":
                parts.append(f"<h3>{_html_inlines(b.inlines)}</h3>")
            elif b.kind in ("ul", "ol"):
                tag = b.kind
                parts.append(f"<{tag}>" + "".join(f"<li>{_html_inlines(it)}</li>"
                                                 for it in b.items) + f"</{tag}>")
            elif b.kind == "more":
                parts.append(f'<p>Read the full article: <a href="{b.url}">{b.url}</a></p>')
            else:
                parts.append(f"<p>{_html_inlines(b.inlines)}</p>")
    parts.append("</div>")
    doc = f'<html lang="en"><body>{"".join(parts)}</body></html>'
    HTML(string=doc).write_pdf(out, stylesheets=[WCSS(string=CSS % {"fonts": FONTS.as_uri()})])


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] not in ("typst", "weasyprint"):
        print(__doc__, file=sys.stderr)
        return 2
    issue = read_issue(argv[1])
    out = Path(argv[2])
    (render_typst if argv[0] == "typst" else render_weasyprint)(issue, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
