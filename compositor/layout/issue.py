"""Laying out a whole issue: compose, flow, balance, then fill in page numbers and furniture."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from compositor import progress
from compositor.errors import Diagnostic, Location, UserError
from compositor.layout.boxes import BoxBands, stretch_box
from compositor.layout.chunks import Chunk, ImagePart, LinkPart, Part, RulePart, TextPart
from compositor.layout.compose import Composer, PageRef
from compositor.layout.floats import (
    FloatSpot,
    holes,
    misplaced,
    place_quotes,
    settle,
    spots,
    with_inline,
)
from compositor.layout.flow import Placed
from compositor.layout.furniture import footer, masthead
from compositor.layout.makeup import (
    column_holes,
    fill_thin_page,
    hold_back,
    justify,
    page_one_photo,
)
from compositor.layout.mirror import mirror_furniture, mirror_placed
from compositor.layout.pages import (
    FlowResult,
    PagePlan,
    Reserve,
    balance_last_page,
    past_whole_lines,
    run_flow,
)
from compositor.layout.pageturn import avoid_hyphen_at_turns
from compositor.layout.result import IssueLayout, PageLayout
from compositor.layout.setting import _TYPESETTERS, save_caches, typesetter  # noqa: F401
from compositor.load.layout import LayoutSpec, parse_length
from compositor.load.locale import right_to_left
from compositor.model.content import Box, Issue, Run
from compositor.text.hyphenate import has_dictionary

ELEMENTS_PER_ARTICLE = 100_000
MM = 72 / 25.4
THIN_PAGE = 0.25  # share of a last page's columns its text should fill at least
_COMPOSED: dict[tuple, tuple] = {}
_USED: set[tuple] = set()  # keys of the current pass; the rest is dropped after it


def compose_article(comp: Composer, article, index: int, span: bool, photo_cols: int
                    ) -> tuple[Chunk | None, list[Chunk]]:
    """An article's chunks, reused across the passes of one build when nothing that shapes
    them changed (fitting re-lays the issue out many times, cutting one article at a time).
    Structure element numbers come from the article's position, so a reused article is
    numbered exactly as a freshly composed one."""
    base = (index + 1) * ELEMENTS_PER_ARTICLE
    varied = tuple(sorted((el, d) for el, d in comp.looseness.items()
                          if base < el < base + ELEMENTS_PER_ARTICLE))
    key = (id(article), index, span, photo_cols, comp.photo_scale, id(comp.spec),
           id(comp.ts), comp.column_height, varied)
    _USED.add(key)
    hit = _COMPOSED.get(key)
    if hit is None or hit[0] is not article:
        outer = comp.missing, comp.images, comp.spanned_photo, comp.containers
        comp.missing, comp.images, comp.spanned_photo, comp.containers = {}, [], None, {}
        comp.number_elements_from((index + 1) * ELEMENTS_PER_ARTICLE)
        band, chunks = comp.article(article, index, index == 0, span, photo_cols)
        hit = (article, band, chunks, comp.missing, comp.images, comp.spanned_photo,
               comp.containers)
        comp.missing, comp.images, comp.spanned_photo, comp.containers = outer
        _COMPOSED[key] = hit
    _, band, chunks, missing, images, photo, containers = hit
    comp.containers.update(containers)
    for source, chars in missing.items():
        comp.missing.setdefault(source, set()).update(chars)
    comp.images.extend(images)
    comp.spanned_photo = photo
    return band, list(chunks)


def lay_out_pass(issue: Issue, spec: LayoutSpec, optimal: bool | None, photo_scale: float,
                 min_pages: int, fill_last: bool, looseness: dict[int, int],
                 spill: bool = True) -> IssueLayout:
    """One layout pass. With `spill`, a last page whose text would fill under a quarter of
    its columns gets text held back from the pages before it (the planner compares the
    pass with and without that)."""
    ts = typesetter(spec, issue.language, optimal, issue.manifest)
    body = spec.styles["body"]
    gap = body.leading
    masthead_h = parse_length(spec.section("masthead")["height"]) or 120.0
    plan = PagePlan(spec, masthead_h, 0.0, gap)
    comp = Composer(spec, ts, issue.language, plan.full_height(2), photo_scale=photo_scale,
                    looseness=looseness)
    warnings: list[tuple[Location, str]] = []
    if spec.section("text")["hyphenate"] and not has_dictionary(issue.language) and \
            not right_to_left("auto", issue.language):  # these scripts are not hyphenated
        warnings.append((Location(issue.manifest), f"no hyphenation patterns for language "
                                                   f"'{issue.language}': justified text is set "
                                                   "without hyphenation"))

    if comp.ragged:
        warnings.append((issue.layout_where, f"columns of {spec.column_width / MM:.0f} mm "
                                                f"hold about {comp.chars_per_line():.0f} "
                                                "characters a line, too few to justify well: "
                                                "body text is set ragged right (use fewer "
                                                "columns or a smaller body size)"))

    # 1. Compose: articles into chunks, the lead title as a band across page 1.
    chunks: list[Chunk] = []
    band: Chunk | None = None
    span_first = bool(spec.section("article")["title_span_first"]) and spec.columns > 1
    continuations: list[Chunk] = []
    art = spec.section("article")
    photo_span = min(int(art["lead_photo_columns"]), spec.columns)
    photo = None
    features: dict[int, tuple[Chunk, Chunk | None]] = {}  # articles opening a page
    page_area = plan.full_height(2) * spec.columns
    composed_height = 0.0
    for i, article in enumerate(issue.articles):
        feature = article.new_page and i > 0 and spec.columns > 1
        b, cs = compose_article(comp, article, i, (span_first and i == 0) or feature,
                                photo_span)
        # Pages so far, and pages expected if the other articles run as long on average.
        composed_height += sum(c.height for c in cs) + (b.height if b is not None else 0.0)
        done = composed_height / page_area
        progress.pages(int(done) + 1, min_pages or
                       round(done * len(issue.articles) / (i + 1)) + 1, exact=bool(min_pages))
        if feature and b is not None:
            features[i] = (replace(b, meta={**b.meta, "band": True}), comp.spanned_photo)
        elif i == 0:
            band, photo = b, comp.spanned_photo
        if article.jump or i < int(art["jump_first"]):
            comp.number_elements_from((i + 1) * ELEMENTS_PER_ARTICLE
                                      + ELEMENTS_PER_ARTICLE // 2)
            opening, rest = comp.jump(cs, i, article, int(art["jump_lines"]))
            chunks += opening
            continuations += rest
        else:
            chunks += cs
    chunks += continuations
    comp.number_elements_from((len(issue.articles) + 1) * ELEMENTS_PER_ARTICLE)
    photo_cols = photo_span if photo else 0
    c = spec.section("contents")
    contents_at = c["position"]
    first_col = int(c["column"]) - 1
    if band is not None:
        band = replace(band, meta={**band.meta, "band": True})
        plan.band_height = band.height
        plan.band_span = headline_span(band, spec, photo_cols)
        if plan.band_span and contents_at == "bottom" and first_col == 0:
            # The headline leaves the last columns free at the head of page 1: the
            # contents box goes there, beside it, rather than leaving a block of white
            # (a layout that places the box itself keeps its choice).
            contents_at, first_col = "top", plan.band_span
    # The contents box takes part of one column on page 1, or (for a long issue) several.
    if first_col < photo_cols:  # the spanning photo's columns are taken: move along
        first_col = photo_cols % spec.columns
    # A long contents box continues into the next columns, never back into one before
    # its own (it would read backwards).
    contents_cols = list(range(first_col, spec.columns))
    contents = comp.contents(issue.articles, spec.column_width, plan.full_height(1) - gap,
                             max(1, min(spec.columns - 1, len(contents_cols)))
                             ) if issue.articles else []

    mk = spec.section("makeup")

    # 2. Reserve space: the contents on page 1, the box bands on their pages.
    def contents_height(k: int) -> float:
        """Height of part k of the contents box: at the foot of a column, a little taller
        so the text above it holds whole lines and ends one line above it."""
        height = contents[k].height
        if contents_at == "bottom":
            above = photo.height if photo is not None and contents_cols[k] < photo_cols else 0.0
            height += past_whole_lines(plan.full_height(1) - above - height - gap, gap)
        return height

    def reserves(box_pages: dict[int, list[Box]]) -> dict[int, Reserve]:
        out: dict[int, Reserve] = {}
        taken = [(contents_cols[k], contents_height(k) + gap, contents_at)
                 for k in range(len(contents))]
        taken += [(col, photo.height, "top") for col in range(photo_cols)]
        if taken:
            out[1] = Reserve(columns=tuple(taken))
        for index, page in feature_pages.items():
            fphoto = features[index][1]
            if fphoto is not None and page != 1:
                r = out.get(page, Reserve())
                out[page] = replace(r, columns=r.columns + tuple(
                    (col, fphoto.height, "top") for col in range(photo_span)))
        for page, boxes in box_pages.items():
            r = out.get(page, Reserve())
            depths = bands.depths(boxes)
            if depths is None:
                out[page] = replace(r, bottom=r.bottom + box_band(boxes)[1] + gap)
            else:
                out[page] = replace(r, columns=r.columns + tuple(
                    (col, h + gap, "bottom") for col, h in sorted(depths.items())))
        return out

    bands = BoxBands(comp, plan)
    box_band = bands.band

    # Boxes asked to go on a page of their own (`page: own`) never share a page with text:
    # they go on the page after the last one that carries text, so they take no part in
    # the flow below. The others are placed among the text pages.
    own_boxes = [b for b in issue.boxes if b.page == "own"]
    shared_boxes = [b for b in issue.boxes if b.page != "own"]

    def box_pages_for(pages: int) -> dict[int, list[Box]]:
        out: dict[int, list[Box]] = {}
        for box in shared_boxes:
            page = {"first": 1, "last": pages}.get(box.page, box.page)
            if not isinstance(page, int) or page > pages:
                if own_boxes:
                    warnings.append((box.where, f"the box asks for page {box.page} but the "
                                                f"text runs to {pages} pages; it goes on "
                                                "the last page with text"))
                else:
                    warnings.append((box.where, f"the box asks for page {box.page} but the "
                                                f"issue has {pages} pages; it goes on the "
                                                "last page"))
                page = pages
            out.setdefault(page, []).append(box)
        return out

    # 3. Flow. A box on the "last" page changes how many pages there are, so repeat until
    # the page count is stable (two or three passes over cached chunks, nothing rendered).
    # Articles that open a page put their title (and photo) above that page's columns;
    # which page that is depends on the flow before it, so settle that first.
    feature_pages: dict[int, int] = {}
    spilled = False
    # The lead photo a few lines taller or shorter (cropped, within 2:1 and 4:5) where that
    # lets the columns of page 1 end at their foot.
    if photo is not None:
        plan.reserves = reserves({})
        first_photo = photo
        photo, score = page_one_photo(photo, chunks, plan, int(mk["photo_lines"]))
        if score > 0 and len(contents) == 1 and contents_at == "bottom" \
                and int(c["column"]) == 1:
            # Page 1 still has a short column: try the contents box at the foot of each
            # other column (under the photo too), keeping the usual place where it ties.
            # A layout that names another column than the first keeps its choice.
            chosen = (score, contents_cols, photo, plan.titles_beside)
            for col in range(spec.columns):
                if col == contents_cols[0]:
                    continue
                contents_cols = [col]
                photo = first_photo  # the reserves are made for the photo as set
                plan.reserves = reserves({})
                trial_photo, trial = page_one_photo(first_photo, chunks, plan,
                                                    int(mk["photo_lines"]))
                if trial < chosen[0] - 0.5:
                    chosen = (trial, [col], trial_photo, plan.titles_beside)
            _, contents_cols, photo, plan.titles_beside = chosen

    float_articles = {c.meta["float"]: c.article for c in chunks if c.kind == "float"}
    inline: set[int] = set()  # spanning pull quotes set within their column instead
    all_chunks = chunks
    for attempt in range(4):
        if attempt == 3:
            inline = set(float_articles)  # give up spanning: every quote in its column
        chunks = with_inline(all_chunks, inline)
        found: dict[int, FloatSpot | None] = {}
        settled = False
        for _ in range(10):
            plan.bands = {page: features[i][0].height for i, page in feature_pages.items()}
            plan.holes = holes(found)
            plan.reserves = reserves({})
            plan.caps = {}
            result = run_flow(chunks, plan)
            pages = max(result.pages, 1)
            for _ in range(8):
                plan.reserves = reserves(box_pages_for(pages))
                result = run_flow(chunks, plan)
                # Consistent once the text ends on or before the page the boxes were
                # reserved on (reserving space only ever pushes text on: this settles in a
                # few passes).
                if result.pages <= pages:
                    break
                pages = result.pages
            on_box_page = box_pages_for(pages).get(pages, [])
            if result.pages < pages and on_box_page and all(b.page == "last"
                                                            for b in on_box_page):
                # The boxes did not fit under the text where it ends: rather than a page
                # for the boxes alone, hold text back so the last page carries both.
                held = hold_back(chunks, plan, result, pages,
                                 int(mk["last_page_lines"]) * gap * spec.columns)
                if held is not None:
                    result = held
            elif spill and not fill_last and result.pages == pages and pages > 1 \
                    and on_box_page:
                # A last page whose text fills under a quarter of its columns reads as
                # spilled over: hold back a line or two a column from the pages before.
                want = thin_page_limit(plan, pages)
                if flowed_on(result, pages) < want - 0.5:
                    held = fill_thin_page(chunks, plan, result, pages, want)
                    if held is not None:
                        result, spilled = held, True
            pages_found = {p.chunk.meta["feature"]: p.page for p in result.placed
                           if p.chunk.kind == "pagebreak"}
            spots_found = settle(found, spots(result, plan, inline), gap)
            if pages_found == feature_pages and spots_found == found:
                settled = True
                break
            feature_pages, found = pages_found, spots_found
        text_pages = max(pages, max((p for p in box_pages_for(pages)), default=1))
        # The page of boxes alone is the last one: with `pages: N` the text is fitted to the
        # pages before it, so it is page N.
        boxes_page = max(text_pages + 1, min_pages) if own_boxes else 0
        pages = boxes_page or max(text_pages, min_pages)
        result = balance_last_page(chunks, plan, result)
        fill_pages = set(range(1, result.pages + (1 if fill_last else 0)))
        result = replace(result, placed=justify(result.placed, plan, fill_pages,
                                                float(mk["vertical_justify"]),
                                                float(mk["paragraph_space"]),
                                                int(float(mk["hole_lines"]) - 0.5)))
        bad = misplaced(result.placed, found, float_articles, gap) if settled else set(found)
        if not bad:
            break
        inline |= bad
    result, chunks = avoid_hyphen_at_turns(result, chunks, comp)
    too_tall = []
    for p in result.forced:
        where = (issue.articles[p.chunk.article].where if p.chunk.article is not None
                 else Location(issue.manifest))
        if p.chunk.height > plan.full_height(p.page) + 0.5:
            what = p.chunk.meta.get("what") or {"head": "title", "figure": "photo"}.get(
                p.chunk.kind, p.chunk.kind)
            too_tall.append(Diagnostic(where, f"the {what} is taller than a column "
                                              f"({p.chunk.height / MM:.0f} mm for "
                                              f"{plan.full_height(p.page) / MM:.0f} mm); "
                                              "shorten it"))
            continue
        warnings.append((where, f"page {p.page}: a {p.chunk.kind} block cannot be kept with "
                                "its text here; it was placed anyway"))
    if too_tall:
        raise UserError(too_tall)
    # An article that opens a page must not leave the page before it under half full
    # (only the tail of the article before, say): it opens on that page instead, in the
    # flow after that tail, with its title in a column.
    underfull = [i for i, page in sorted(feature_pages.items())
                 if page > 1 and page_fill(result, plan, page - 1) < 0.5]
    if underfull:
        k = underfull[0]
        article = issue.articles[k]
        articles = list(issue.articles)
        articles[k] = replace(article, new_page=False)
        redone = lay_out_pass(replace(issue, articles=tuple(articles)), spec, optimal,
                              photo_scale, min_pages, fill_last, looseness, spill)
        page = feature_pages[k]
        redone.notes.insert(0, (article.where, f"the article opens in the flow on page "
                                                  f"{page - 1} rather than on a new page: "
                                                  f"page {page - 1} would be "
                                                  f"{page_fill(result, plan, page - 1):.0%} "
                                                  "full"))
        redone.issue = issue
        return redone

    # 4. Pages, anchors, page numbers in the contents, boxes, masthead and footers.
    out = [PageLayout(n) for n in range(1, pages + 1)]
    anchors: dict[str, int] = {}
    anchor_y: dict[str, float] = {}
    for p in result.placed:
        out[p.page - 1].placed.append(p)
        if p.chunk.anchor and p.chunk.anchor not in anchors:
            anchors[p.chunk.anchor] = p.page
            anchor_y[p.chunk.anchor] = p.y
    place_quotes(out, found, plan)
    for page in out:
        page.placed = [replace(p, chunk=resolve_refs(p.chunk, anchors, comp))
                       if any(isinstance(x, PageRef) for x in p.chunk.parts) else p
                       for p in page.placed]
    if band is not None:
        left, top, _, _ = plan.content_box(1)
        out[0].placed.insert(0, Placed(band, 1, 0, left, top))
        anchors[band.anchor] = 1
        anchor_y[band.anchor] = top
    if photo is not None:
        out[0].placed.insert(1, Placed(photo, 1, 0, plan.column_x(1, 0), plan.columns_top(1)))
    for index, page in feature_pages.items():
        fband, fphoto = features[index]
        left, top, _, _ = plan.content_box(page)
        here = out[page - 1].placed
        at = next((k for k, p in enumerate(here) if p.chunk.kind == "pagebreak"), 0)
        here.insert(at, Placed(fband, page, 0, left, top))
        if fphoto is not None:
            here.insert(at + 1, Placed(fphoto, page, 0, plan.column_x(page, 0),
                                       plan.columns_top(page)))
        anchors[fband.anchor] = page
        anchor_y[fband.anchor] = top
    for k, part in enumerate(contents):
        col = contents_cols[k]
        x = plan.column_x(1, col)
        if contents_at == "top":
            y = plan.columns_top(1, col) + (photo.height if col < photo_cols else 0.0)
        else:
            part = stretch_box(part, contents_height(k))
            y = plan.content_box(1)[3] - plan.reserves.get(1, Reserve()).bottom - part.height
        out[0].placed.append(Placed(resolve_refs(part, anchors, comp), 1, col, x, y))
    for page, boxes in box_pages_for(text_pages if own_boxes else pages).items():
        made, height = box_band(boxes)
        left, _, _, bottom = plan.content_box(page)
        top = bottom - height  # on the foot of the text area
        if not any(p.chunk.height > 0 for p in out[page - 1].placed):
            free = (plan.full_height(page) - height - gap) * spec.columns / gap
            warnings.append((Location(issue.manifest),
                             f"page {page} holds only boxes; about {free:.0f} lines of column "
                             "space on it are left empty"))
        for chunk, col, dx, dy in made:
            out[page - 1].placed.append(Placed(chunk, page, col, left + dx, top + dy))
    if own_boxes:
        # A page of boxes alone reads from the top like any other page: the boxes start at
        # the head of the text area and the white is left at the foot, above the footer
        # (at the foot they would look as if something above them had gone missing).
        made, height = box_band(own_boxes, alone=True)
        left = plan.content_box(boxes_page)[0]
        top = plan.columns_top(boxes_page)
        free = (plan.full_height(boxes_page) - height) * spec.columns / gap
        warnings.append((Location(issue.manifest),
                         f"page {boxes_page} holds only boxes, as asked (page: own); about "
                         f"{free:.0f} lines of column space on it are left empty"))
        for chunk, col, dx, dy in made:
            out[boxes_page - 1].placed.append(Placed(chunk, boxes_page, col, left + dx,
                                                     top + dy))
    out[0].furniture += masthead(comp, issue, masthead_h)
    for page in out:
        left, _, right, _ = plan.content_box(page.number)
        page.furniture += footer(comp, issue, page.number, pages, left, right)
        if spec.column_rules:
            page.furniture += column_rules(page, spec)
    for source, chars in sorted(comp.missing.items()):
        shown = ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in sorted(chars))
        where = Location(issue.manifest if source in ("layout", "contents", "manifest",
                                                      "publication") else Path(source))
        warnings.append((where, f"the fonts cannot draw {shown}; they print as \u201c\ufffd\u201d "
                                "(use a layout font that has them)"))
    warnings = list(dict.fromkeys(warnings))
    for key in [k for k in _COMPOSED if k not in _USED]:
        del _COMPOSED[key]  # only the last pass's articles can be reused by the next one
    _USED.clear()
    # Holes are found on the pages as laid out, before a right-to-left edition is mirrored.
    # Not holes: the space under balanced columns on the last page of text (unless the
    # issue is fitted) and the white under the boxes on a page of boxes alone.
    skip = set() if fill_last else {text_pages if own_boxes else pages}
    found_holes = column_holes(out, plan, float(mk["hole_lines"]), skip | {boxes_page})
    for page_no, col, lines in found_holes:
        warnings.append((Location(issue.manifest), f"page {page_no}, column {col}: "
                                                   f"{lines:g} lines left empty"))
    if comp.rtl:
        text_width = spec.page_width - spec.margin_inside - spec.margin_outside
        for page in out:
            page.placed = [mirror_placed(p, text_width if p.chunk.meta.get("band")
                                         else spec.column_width, spec.page_width)
                           for p in page.placed]
            page.furniture = mirror_furniture(page.furniture, spec.page_width)
    capacity = {p.number: plan.full_height(p.number) for p in out}
    if result.chunks is not None:
        chunks = result.chunks  # as flowed, photos moved or set smaller included
    last = text_pages if own_boxes else pages
    thin = 0.0 if fill_last or last < 2 else \
        max(0.0, thin_page_limit(plan, last) - flowed_on(result, last)) / gap
    return IssueLayout(spec, issue, out, anchors, anchor_y, warnings, result, chunks,
                       printed_ppi(comp.images, out),
                       capacity, dict(comp.containers), found_holes, boxes_page=boxes_page,
                       thin_lines=round(thin, 1), spilled=spilled)


def printed_ppi(images: list, pages: list[PageLayout]) -> list:
    """(location, ppi, path) of every photo, the ppi as printed: photos are cropped and
    resized by the make-up after they were first set, so the pixels kept across the width
    they take on the page count, at the least sharp of its placements."""
    least: dict[Path, float] = {}
    for page in pages:
        for p in page.placed:
            for part in p.chunk.parts:
                if isinstance(part, ImagePart) and part.width > 0 and \
                        (part.crop or part.pixel_size[0]):
                    kept = (part.crop[2] - part.crop[0]) if part.crop else part.pixel_size[0]
                    ppi = kept / (part.width / 72.0)
                    least[part.path] = min(least.get(part.path, ppi), ppi)
    return [(where, least.get(path, ppi), path) for where, ppi, path in images]


def page_fill(result: FlowResult, plan: PagePlan, page: int) -> float:
    """Share of a page's column space (without its reserves) that the flow filled."""
    room = sum(s.height for s in plan.slots(page, holes=False))
    used = sum(p.chunk.height for p in result.placed if p.page == page)
    return used / room if room > 0 else 1.0


def headline_span(band: Chunk, spec: LayoutSpec, photo_cols: int) -> int:
    """How many columns, from the first, the page-1 title band needs (its title and
    byline as set, and the photo's columns under it); 0 when it needs them all."""
    used = max((part.dx + min(part.line.natural, part.line.measure) for part in band.parts
                if isinstance(part, TextPart)), default=spec.page_width)
    pitch = spec.column_width + spec.gutter
    needed = max(photo_cols, int((used - 1e-6) // pitch) + 1)
    return needed if needed < spec.columns else 0


def flowed_on(result: FlowResult, page: int) -> float:
    """Height of the text and photos the flow put on a page, all columns together."""
    return sum(p.chunk.height for p in result.placed if p.page == page)


def thin_page_limit(plan: PagePlan, page: int) -> float:
    """The least text a last page should carry so it does not read as spilled over: a
    quarter of its columns, or nine tenths of the room above its boxes if that is less."""
    room = sum(s.height for s in plan.slots(page, holes=False))
    quarter = plan.full_height(page) * plan.spec.columns * THIN_PAGE
    return min(quarter, 0.9 * room)


def column_rules(page: PageLayout, spec: LayoutSpec) -> list[Part]:
    """Hairlines centred in each gutter, as long as the text beside them."""
    cols: dict[int, tuple[float, float]] = {}
    for p in page.placed:
        if p.chunk.kind in ("box", "contents") or p.chunk.meta.get("band"):
            continue
        top, bottom = cols.get(p.column, (p.y, p.y))
        cols[p.column] = (min(top, p.y), max(bottom, p.y + p.chunk.height))
    rules: list[Part] = []
    for c in range(spec.columns - 1):
        if c in cols and c + 1 in cols:
            top = max(cols[c][0], cols[c + 1][0])
            bottom = min(cols[c][1], cols[c + 1][1])
            x = next(p.x for p in page.placed if p.column == c + 1) - spec.gutter / 2
            # A pull quote across this gutter interrupts the rule.
            cuts = sorted((p.y, p.y + p.chunk.height) for p in page.placed
                          if "span" in p.chunk.meta
                          and p.chunk.meta["span"][0] <= c < sum(p.chunk.meta["span"]) - 1)
            for cut_top, cut_bottom in [*cuts, (bottom, bottom)]:
                if min(cut_top, bottom) - top > 20:
                    rules.append(RulePart(x, top, min(cut_top, bottom) - top, 0.4, "rule",
                                          vertical=True))
                top = max(top, cut_bottom)
    return rules


def resolve_refs(chunk: Chunk, anchors: dict[str, int], comp: Composer) -> Chunk:
    parts: list[Part] = []
    for part in chunk.parts:
        if isinstance(part, PageRef):
            text = part.template.format(page=comp.digits(str(anchors.get(part.anchor, "?"))))
            line = comp.ts.set((Run(text, bold=part.bold),), part.style, 1000.0,
                               align="left").lines[0]
            x = part.right if part.align_left else part.right - line.natural
            parts.append(TextPart(line, x, part.baseline, "left", part.tag))
            if part.link:
                parts.append(LinkPart(x, part.baseline - part.style.size, line.natural,
                                      part.style.leading, f"#{part.anchor}"))
        else:
            parts.append(part)
    return replace(chunk, parts=tuple(parts))
