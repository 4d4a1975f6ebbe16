"""The fit report: what the layout did, article by article and page by page, and how the
type came out (hyphens, widows, orphans, loose lines). Designers read it; tests assert it."""

from __future__ import annotations

from collections import defaultdict

from compositor.layout.chunks import ImagePart
from compositor.layout.pageturn import turn_lines
from compositor.layout.result import IssueLayout
from compositor.layout.score import score_parts


def fit_report(layout: IssueLayout) -> dict:
    spec = layout.spec
    issue = layout.issue
    max_space = float(spec.section("text")["max_word_space"])
    min_space = float(spec.section("text")["min_word_space"])
    spans: dict[int, list[int]] = defaultdict(list)
    photo: dict[int, tuple[float, float]] = {}
    columns: dict[tuple[int, int], list] = defaultdict(list)
    for page in layout.pages:
        for p in page.placed:
            c = p.chunk
            if c.article is not None:
                spans[c.article].append(page.number)
                for part in c.parts:
                    if isinstance(part, ImagePart) and c.article not in photo:
                        photo[c.article] = (part.width * 25.4 / 72, part.height * 25.4 / 72)
            if c.kind not in ("box", "contents") and not c.meta.get("band"):
                columns[page.number, p.column].append(p)

    counts = {"lines": 0, "hyphenated": 0, "stacked_hyphens": 0, "widows": 0, "orphans": 0,
              "loose": 0, "tight": 0, "stranded_heads": 0, "runts": 0, "hyphen_at_turn": 0,
              "forced_breaks": len(layout.flow.forced)}
    run = 0
    for c in layout.chunks:
        m = c.meta
        if c.kind != "body" or "k" not in m:
            continue
        counts["lines"] += 1
        if m["hyphen"]:
            counts["hyphenated"] += 1
            run += 1
            if run == 3:
                counts["stacked_hyphens"] += 1
        else:
            run = 0
        if m.get("runt"):
            counts["runts"] += 1
        if m["justified"]:
            # space ratio 1.0 = stretched to the designer's maximum word space
            if m["ratio"] > 1.0 + 1e-6:
                counts["loose"] += 1
            elif m["ratio"] < -1.0 - 1e-6:
                counts["tight"] += 1

    # Names (capitalised words) broken by a hyphen, which the line breaker allows only
    # where keeping them whole would leave gaps over twice a space.
    counts["names_broken"] = sum(
        1 for c in layout.chunks if c.kind == "body"
        and any(getattr(getattr(p, "line", None), "name_break", False) for p in c.parts))
    counts["hyphen_at_turn"] = sum(1 for c in turn_lines(getattr(layout.flow, "placed", []))
                                   if c.meta.get("hyphen"))
    fullness = {}
    order = {id(c): i for i, c in enumerate(layout.chunks)}
    for (page, col), placed in sorted(columns.items()):
        placed.sort(key=lambda p: p.y)
        body = [p for p in placed if p.chunk.kind == "body" and "k" in p.chunk.meta]
        if body:
            first, last = body[0].chunk.meta, body[-1].chunk.meta
            if first["n"] > 1 and first["k"] == first["n"] - 1 and placed[0] is body[0]:
                counts["widows"] += 1
            if last["n"] > 1 and last["k"] == 0 and placed[-1] is body[-1]:
                counts["orphans"] += 1
        # A title, subhead or photo needs two body lines under it in its column when its
        # article goes on into the next column.
        for i, p in enumerate(placed):
            if p.chunk.kind not in ("head", "figure") or p.chunk.article is None:
                continue
            after = [q for q in placed[i + 1:]
                     if q.chunk.kind == "body" and q.chunk.article == p.chunk.article]
            tail = order.get(id(placed[-1].chunk), -1)
            goes_on = (placed[-1].chunk.article == p.chunk.article and tail + 1 < len(
                layout.chunks) and layout.chunks[tail + 1].article == p.chunk.article)
            if len(after) < 2 and goes_on:
                counts["stranded_heads"] += 1
        height = sum(p.chunk.height for p in placed)
        fullness[f"{page}.{col + 1}"] = round(100 * height / layout.capacity[page])

    articles = []
    for i, a in enumerate(issue.articles):
        pages = sorted(set(spans.get(i, [])))
        articles.append({
            "title": a.contents_title,
            "pages": f"{pages[0]}-{pages[-1]}" if len(pages) > 1 else (
                str(pages[0]) if pages else "-"),
            "words_kept": a.words_kept, "words_total": a.words_total,
            "photo_mm": [round(v) for v in photo[i]] if i in photo else None,
        })
    holes = [{"page": page, "column": col, "lines": lines}
             for page, col, lines in getattr(layout, "holes", ())]
    photos = {part.tag.element for page in layout.pages for p in page.placed
              for part in p.chunk.parts if isinstance(part, ImagePart) and part.tag}
    refits = getattr(layout, "refits", {})
    copyfit = {"looser": sum(1 for el, d in refits.items() if d > 0 and el not in photos),
               "tighter": sum(1 for el, d in refits.items() if d < 0 and el not in photos),
               "photos": sum(1 for el in refits if el in photos)}
    return {"pages": len(layout.pages), "articles": articles, "columns_full_percent": fullness,
            "holes": holes, "copyfit": copyfit, "counts": counts,
            "makeup": score_parts(layout),
            "limits": {"max_word_space": max_space, "min_word_space": min_space}}


def format_report(report: dict) -> str:
    lines = [f"{'article':<38} {'pages':>5} {'words':>11} {'photo mm':>9}"]
    for a in report["articles"]:
        words = f"{a['words_kept']}/{a['words_total']}"
        photo = "x".join(str(v) for v in a["photo_mm"]) if a["photo_mm"] else ""
        lines.append(f"{a['title'][:38]:<38} {a['pages']:>5} {words:>11} {photo:>9}")
    full = report["columns_full_percent"]
    by_page: dict[str, list[str]] = defaultdict(list)
    for key, value in full.items():
        page, col = key.split(".")
        by_page[page].append(f"{value}%")
    lines.append("columns full: " + "; ".join(f"p{p} " + " ".join(v)
                                              for p, v in by_page.items()))
    fit = report.get("copyfit", {})
    if any(fit.values()):
        lines.append(f"holes closed by setting {fit['looser']} paragraphs a line looser, "
                     f"{fit['tighter']} a line tighter and resizing {fit['photos']} photos")
    if report["holes"]:
        lines.append("holes (empty lines in a column): " + "; ".join(
            f"p{h['page']} col {h['column']}: {h['lines']:g}" for h in report["holes"]))
    makeup = report.get("makeup")
    if makeup and makeup["pages"]:
        said = []
        for e in makeup["pages"]:
            bits = []
            if e["empty_lines"]:
                bits.append(f"{e['empty_lines']:g} empty lines")
            if e["openings"]:
                bits.append(f"{e['openings']} opening(s) at a column foot")
            if e["thin_lines"]:
                bits.append(f"text {e['thin_lines']:g} lines short of a quarter of the page")
            if e.get("uneven_lines"):
                bits.append(f"columns end {e['uneven_lines']:g} lines further apart than one")
            if e.get("off_grid_columns"):
                bits.append(f"{e['off_grid_columns']} column(s) off the baseline grid")
            where = f"p{e['page']}" if e["page"] else "issue"
            said.append(f"{where} {', '.join(bits)} ({e['score']:g})")
        lines.append(f"make-up score {makeup['score']:g} (0 is best): " + "; ".join(said))
    c = report["counts"]
    lines.append(f"lines {c['lines']}, hyphenated {c['hyphenated']}, stacked hyphens "
                 f"{c['stacked_hyphens']}, widows {c['widows']}, orphans {c['orphans']}, "
                 f"loose {c['loose']}, tight {c['tight']}, stranded heads {c['stranded_heads']}, "
                 f"runts {c['runts']}, hyphens at page turns {c['hyphen_at_turn']}, "
                 f"names broken {c['names_broken']}")
    return "\n".join(lines)
