"""One layout pass over a whole issue, as four phases a newcomer can follow:

1. `compose_issue`: articles into chunks at column width, title bands, the contents box;
2. `plan_page_one`: the lead photo's height and where the contents box goes;
3. `flow_issue`: the text through the pages, with the make-up moves made within a pass
   (text held back for the boxes' page or a thin last page, the last page balanced,
   short columns justified);
4. `place_pages`: everything on its page, with page numbers, boxes and furniture.

The planner (layout/planner.py) runs passes and compares them by the make-up score."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from compositor import progress
from compositor.errors import Diagnostic, Location, UserError
from compositor.layout.boxes import BoxBands, stretch_box
from compositor.layout.chunks import Chunk, TextPart
from compositor.layout.compose import Composer, PageRef, opening_key
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
    foot_openings,
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
    end_spread,
    flowed_on,
    past_whole_lines,
    run_flow,
    text_reach,
)
from compositor.layout.pageturn import avoid_hyphen_at_turns
from compositor.layout.placing import column_rules, printed_ppi, resolve_refs
from compositor.layout.result import IssueLayout, PageLayout
from compositor.layout.setting import typesetter
from compositor.load.layout import LayoutSpec, parse_length
from compositor.load.locale import right_to_left
from compositor.model.content import Box, Issue
from compositor.text.hyphenate import has_dictionary

ELEMENTS_PER_ARTICLE = 100_000
MM = 72 / 25.4
THIN_PAGE = 0.25  # share of a last page's columns its text should fill at least
CROWDED_LINES = 4  # a column of page 1 with less room than this is crowded out
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
                          if base < el < base + ELEMENTS_PER_ARTICLE
                          or el == opening_key(index)))
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


@dataclass
class Pass:
    """One layout pass: what the phases share. The composed issue (chunks, the page-1
    title band and photo, articles that open a page, the contents box) and the decisions
    taken on it so far (where the contents box goes, which pages the features open)."""

    issue: Issue
    spec: LayoutSpec
    plan: PagePlan
    comp: Composer
    fill_last: bool
    min_pages: int
    warnings: list[tuple[Location, str]] = field(default_factory=list)
    chunks: list[Chunk] = field(default_factory=list)
    band: Chunk | None = None  # the page-1 title band
    photo: Chunk | None = None  # the page-1 lead photo across columns
    photo_span: int = 1
    features: dict[int, tuple[Chunk, Chunk | None]] = field(default_factory=dict)
    feature_pages: dict[int, int] = field(default_factory=dict)  # article -> page it opens
    contents: list[Chunk] = field(default_factory=list)
    contents_at: str = "bottom"
    contents_cols: list[int] = field(default_factory=list)
    bands: BoxBands | None = None
    pages_hint: int = 0  # the page count for the boxes an earlier pass found; 0: none
    flow_pages: int = 0  # the page count for the boxes this pass found
    grid: bool = True  # short columns filled by whole lines where their pauses allow

    @property
    def plain_boxes(self) -> bool:
        """Boxes go on the first or the last page only (a numbered page may say more
        depending on the page count)."""
        return all(b.page in ("first", "last", "own") for b in self.issue.boxes)

    @property
    def gap(self) -> float:
        return self.plan.gap

    @property
    def photo_cols(self) -> int:
        return self.photo.meta.get("columns", self.photo_span) if self.photo is not None else 0

    @property
    def own_boxes(self) -> list[Box]:
        """Boxes asked to go on a page of their own (`page: own`): they never share a page
        with text and take no part in the flow."""
        return [b for b in self.issue.boxes if b.page == "own"]

    def contents_height(self, k: int) -> float:
        """Height of part k of the contents box: at the foot of a column, a little taller
        so the text above it holds whole lines and ends one line above it."""
        height = self.contents[k].height
        if self.contents_at == "bottom":
            above = self.photo.height if self.photo is not None and \
                self.contents_cols[k] < self.photo_cols else 0.0
            height += past_whole_lines(self.plan.full_height(1) - above - height - self.gap,
                                       self.gap)
        return height

    def reserves(self, box_pages: dict[int, list[Box]]) -> dict[int, Reserve]:
        """Space taken out of the columns: the contents box and the lead photo on page 1,
        the photos of articles that open a page, the boxes on their pages."""
        out: dict[int, Reserve] = {}
        taken = [(self.contents_cols[k], self.contents_height(k) + self.gap, self.contents_at)
                 for k in range(len(self.contents))]
        taken += [(col, self.photo.height, "top") for col in range(self.photo_cols)]
        if taken:
            out[1] = Reserve(columns=tuple(taken))
        for index, page in self.feature_pages.items():
            fphoto = self.features[index][1]
            if fphoto is not None and page != 1:
                r = out.get(page, Reserve())
                out[page] = replace(r, columns=r.columns + tuple(
                    (col, fphoto.height, "top")
                    for col in range(fphoto.meta.get("columns", self.photo_span))))
        for page, boxes in box_pages.items():
            r = out.get(page, Reserve())
            depths = self.bands.depths(boxes)
            if depths is None:
                out[page] = replace(r, bottom=r.bottom + self.bands.band(boxes)[1] + self.gap)
            else:
                out[page] = replace(r, columns=r.columns + tuple(
                    (col, h + self.gap, "bottom") for col, h in sorted(depths.items())))
        return out

    def box_pages_for(self, pages: int) -> dict[int, list[Box]]:
        """The boxes that share a page with text, by page, for an issue of `pages` pages."""
        out: dict[int, list[Box]] = {}
        own = bool(self.own_boxes)
        for box in self.issue.boxes:
            if box.page == "own":
                continue
            page = {"first": 1, "last": pages}.get(box.page, box.page)
            if not isinstance(page, int) or page > pages:
                if own:
                    self.warnings.append((box.where, f"the box asks for page {box.page} but "
                                                     f"the text runs to {pages} pages; it goes "
                                                     "on the last page with text"))
                else:
                    self.warnings.append((box.where, f"the box asks for page {box.page} but "
                                                     f"the issue has {pages} pages; it goes "
                                                     "on the last page"))
                page = pages
            out.setdefault(page, []).append(box)
        return out


@dataclass
class Flowed:
    """What the flow phase gives: the text in its columns, and the page counts."""

    result: FlowResult
    chunks: list[Chunk]
    found: dict[int, FloatSpot | None]  # where the spanning pull quotes go
    pages: int  # pages of the issue
    text_pages: int  # pages that carry text
    boxes_page: int  # the page of boxes alone (`page: own`); 0: none
    spilled: bool  # text held back for a thin last page
    off_grid: int  # columns whose baselines left the grid to fill them


def lay_out_pass(issue: Issue, spec: LayoutSpec, optimal: bool | None, photo_scale: float,
                 min_pages: int, fill_last: bool, looseness: dict[int, int],
                 spill: bool = True, pages_hint: int = 0, grid: bool = True) -> IssueLayout:
    """One layout pass, in four phases: compose the articles, plan page 1, flow the text
    through the pages (with the make-up moves that take place within a pass), and place
    everything on its page with the furniture. With `spill`, a last page whose text would
    fill under a quarter of its columns gets text held back from the pages before it (the
    planner compares the pass with and without that). With `grid` False, short columns
    are filled by fractions of a line at their pauses rather than whole lines."""
    ts = typesetter(spec, issue.language, optimal, issue.manifest)
    gap = spec.styles["body"].leading
    masthead_h = parse_length(spec.section("masthead")["height"]) or 120.0
    most = min(int(spec.section("article")["lead_photo_columns"]), spec.columns)
    while True:
        plan = PagePlan(spec, masthead_h, 0.0, gap)
        comp = Composer(spec, ts, issue.language, plan.full_height(2),
                        photo_scale=photo_scale, looseness=looseness)
        state = Pass(issue, spec, plan, comp, fill_last, min_pages, pages_hint=pages_hint,
                     grid=grid, photo_span=most)
        state.warnings += setting_warnings(issue, spec, comp)
        compose_issue(state)
        plan_page_one(state)
        if state.photo_cols <= 1 or not page_one_crowded(state):
            break
        # The lead photo (with the contents box) leaves a column of page 1 almost no
        # room, even at its shortest shape: it takes a column fewer rather than being
        # narrowed into the middle of its span.
        most = state.photo_cols - 1
    flowed = flow_issue(state, spill)
    check_forced(state, flowed)
    underfull = [i for i, page in sorted(state.feature_pages.items())
                 if page > 1 and page_fill(flowed.result, plan, page - 1) < 0.5]
    if underfull:
        # An article that opens a page must not leave the page before it under half full
        # (only the tail of the article before, say): it opens on that page instead, in
        # the flow after that tail, with its title in a column.
        k = underfull[0]
        article = issue.articles[k]
        articles = list(issue.articles)
        articles[k] = replace(article, new_page=False)
        redone = lay_out_pass(replace(issue, articles=tuple(articles)), spec, optimal,
                              photo_scale, min_pages, fill_last, looseness, spill,
                              pages_hint, grid)
        page = state.feature_pages[k]
        redone.notes.insert(0, (article.where, f"the article opens in the flow on page "
                                                  f"{page - 1} rather than on a new page: "
                                                  f"page {page - 1} would be "
                                                  f"{page_fill(flowed.result, plan, page - 1):.0%} "
                                                  "full"))
        redone.issue = issue
        return redone
    return place_pages(state, flowed)


def setting_warnings(issue: Issue, spec: LayoutSpec, comp: Composer
                     ) -> list[tuple[Location, str]]:
    """What the reader should know about how the text is set (no hyphenation patterns for
    the language, columns too narrow to justify)."""
    out: list[tuple[Location, str]] = []
    if spec.section("text")["hyphenate"] and not has_dictionary(issue.language) and \
            not right_to_left("auto", issue.language):  # these scripts are not hyphenated
        out.append((Location(issue.manifest), f"no hyphenation patterns for language "
                                              f"'{issue.language}': justified text is set "
                                              "without hyphenation"))
    if comp.ragged:
        out.append((issue.layout_where, f"columns of {spec.column_width / MM:.0f} mm "
                                        f"hold about {comp.chars_per_line():.0f} "
                                        "characters a line, too few to justify well: "
                                        "body text is set ragged right (use fewer "
                                        "columns or a smaller body size)"))
    return out


def compose_issue(state: Pass) -> None:
    """Phase 1: the articles as chunks at column width, the lead title as a band across
    page 1 (and the title of every article that opens a page across its page), the
    contents box."""
    spec, comp, issue = state.spec, state.comp, state.issue
    art = spec.section("article")
    span_first = bool(art["title_span_first"]) and spec.columns > 1
    continuations: list[Chunk] = []
    page_area = state.plan.full_height(2) * spec.columns
    composed_height = 0.0
    for i, article in enumerate(issue.articles):
        feature = article.new_page and i > 0 and spec.columns > 1
        b, cs = compose_article(comp, article, i, (span_first and i == 0) or feature,
                                state.photo_span)
        # Pages so far, and pages expected if the other articles run as long on average.
        composed_height += sum(c.height for c in cs) + (b.height if b is not None else 0.0)
        done = composed_height / page_area
        progress.pages(int(done) + 1, state.min_pages or
                       round(done * len(issue.articles) / (i + 1)) + 1,
                       exact=bool(state.min_pages))
        if feature and b is not None:
            state.features[i] = (replace(b, meta={**b.meta, "band": True}), comp.spanned_photo)
        elif i == 0:
            state.band, state.photo = b, comp.spanned_photo
        if article.jump or i < int(art["jump_first"]):
            comp.number_elements_from((i + 1) * ELEMENTS_PER_ARTICLE
                                      + ELEMENTS_PER_ARTICLE // 2)
            opening, rest = comp.jump(cs, i, article, int(art["jump_lines"]))
            state.chunks += opening
            continuations += rest
        else:
            state.chunks += cs
    state.chunks += continuations
    comp.number_elements_from((len(issue.articles) + 1) * ELEMENTS_PER_ARTICLE)
    c = spec.section("contents")
    state.contents_at = c["position"]
    first_col = int(c["column"]) - 1
    if state.band is not None:
        state.band = replace(state.band, meta={**state.band.meta, "band": True})
        state.plan.band_height = state.band.height
        state.plan.band_span = headline_span(state.band, spec, state.photo_cols)
        if state.plan.band_span and state.contents_at == "bottom" and first_col == 0:
            # The headline leaves the last columns free at the head of page 1: the
            # contents box goes there, beside it, rather than leaving a block of white
            # (a layout that places the box itself keeps its choice).
            state.contents_at, first_col = "top", state.plan.band_span
    # The contents box takes part of one column on page 1, or (for a long issue) several.
    if first_col < state.photo_cols:  # the spanning photo's columns are taken: move along
        first_col = state.photo_cols % spec.columns
    # A long contents box continues into the next columns, never back into one before
    # its own (it would read backwards).
    state.contents_cols = list(range(first_col, spec.columns))
    state.contents = comp.contents(issue.articles, spec.column_width,
                                   state.plan.full_height(1) - state.gap,
                                   max(1, min(spec.columns - 1, len(state.contents_cols)))
                                   ) if issue.articles else []
    state.bands = BoxBands(comp, state.plan)


def plan_page_one(state: Pass) -> None:
    """Phase 2: page 1. Where the headline leaves columns free at its side, they start
    at the head of the page with the contents box, unless the columns under the photo
    then end shorter than with every column under the headline. For either, the lead
    photo a few lines taller or shorter (cropped, within 2:1 and 4:5) where that lets the
    columns of page 1 end at their foot; if one still stops short, the contents box at the
    foot of another column."""
    if state.photo is None:
        return
    beside = (state.plan.band_span, state.contents_at, state.contents_cols)
    if not state.plan.band_span:
        _page_one_photo(state)
        return
    first_photo = state.photo
    score = _page_one_photo(state)
    chosen = (score, state.photo, state.contents_at, state.contents_cols,
              state.plan.titles_beside)
    c = state.spec.section("contents")
    first_col = state.photo_cols % state.spec.columns
    state.plan.band_span, state.contents_at = 0, c["position"]
    state.contents_cols = list(range(first_col, state.spec.columns))
    state.photo = first_photo
    across = _page_one_photo(state)
    if across < score - 0.5 * state.gap:
        return  # every column under the headline: the columns end better
    state.plan.band_span = beside[0]
    _, state.photo, state.contents_at, state.contents_cols, state.plan.titles_beside = chosen


def _page_one_photo(state: Pass) -> float:
    """The lead photo's height and the contents box's column for the page-1 layout as
    set; how short the columns of page 1 end (points)."""
    plan, spec = state.plan, state.spec
    lines = int(spec.section("makeup")["photo_lines"])
    plan.reserves = state.reserves({})
    first_photo = state.photo
    state.photo, score = page_one_photo(first_photo, state.chunks, plan, lines)
    if not (score > 0 and len(state.contents) == 1 and state.contents_at == "bottom"
            and int(spec.section("contents")["column"]) == 1):
        return score
    # Try the contents box at the foot of each other column (under the photo too),
    # keeping the usual place where it ties. A layout that names another column than the
    # first keeps its choice.
    chosen = (score, state.contents_cols, state.photo, plan.titles_beside)
    usual = state.contents_cols[0]
    for col in range(spec.columns):
        if col == usual:
            continue
        state.contents_cols = [col]
        state.photo = first_photo  # the reserves are made for the photo as set
        plan.reserves = state.reserves({})
        trial_photo, trial = page_one_photo(first_photo, state.chunks, plan, lines)
        if trial < chosen[0] - 0.5:
            chosen = (trial, [col], trial_photo, plan.titles_beside)
    score, state.contents_cols, state.photo, plan.titles_beside = chosen
    return score


def flow_issue(state: Pass, spill: bool) -> Flowed:
    """Phase 3: the text through the pages. A box on the "last" page changes how many
    pages there are, so the flow repeats until the page count is stable (two or three
    runs over cached chunks, nothing rendered). Articles that open a page put their title
    (and photo) above that page's columns, and spanning pull quotes cut into the columns
    where they land; both depend on the flow before them, so they are settled first.
    Then the last page is balanced and short columns are filled by vertical
    justification."""
    plan, spec, gap = state.plan, state.spec, state.gap
    mk = spec.section("makeup")
    spilled = False
    float_articles = {c.meta["float"]: c.article for c in state.chunks if c.kind == "float"}
    inline: set[int] = set()  # spanning pull quotes set within their column instead
    for attempt in range(4):
        if attempt == 3:
            inline = set(float_articles)  # give up spanning: every quote in its column
        chunks = with_inline(state.chunks, inline)
        found: dict[int, FloatSpot | None] = {}
        settled = False
        for _ in range(10):
            plan.bands = {page: state.features[i][0].height
                          for i, page in state.feature_pages.items()}
            plan.holes = holes(found)
            plan.caps = {}
            result = pages = None
            if state.pages_hint and state.plain_boxes:
                # The page count an earlier pass of this issue found: when the text with
                # the boxes reserved there still reaches that page, the flow without them
                # would have found the same count, so it is not run.
                plan.reserves = state.reserves(state.box_pages_for(state.pages_hint))
                trial = run_flow(chunks, plan)
                if trial.pages == state.pages_hint:
                    result, pages = trial, state.pages_hint
            if result is None:
                plan.reserves = state.reserves({})
                result = run_flow(chunks, plan)
                pages = max(result.pages, 1)
                for _ in range(8):
                    plan.reserves = state.reserves(state.box_pages_for(pages))
                    result = run_flow(chunks, plan)
                    # Consistent once the text ends on or before the page the boxes were
                    # reserved on (reserving space only ever pushes text on: this settles
                    # in a few passes).
                    if result.pages <= pages:
                        break
                    pages = result.pages
            short_issue = state.min_pages > pages and not state.own_boxes \
                and state.plain_boxes
            if short_issue:
                # A fitted issue whose text ends before its last page (all of it fits):
                # the boxes go on that page all the same, and no room is kept for them on
                # the page where the text ends. The white is left in one band above them,
                # and the build says how much.
                pages = state.min_pages
                plan.reserves = state.reserves(state.box_pages_for(pages))
                result = run_flow(chunks, plan)
            on_box_page = state.box_pages_for(pages).get(pages, [])
            if short_issue:
                pass
            elif result.pages < pages and on_box_page and all(b.page == "last"
                                                            for b in on_box_page):
                # The boxes did not fit under the text where it ends: rather than a page
                # for the boxes alone, hold text back so the last page carries both.
                held = hold_back(chunks, plan, result, pages,
                                 int(mk["last_page_lines"]) * gap * spec.columns)
                if held is not None:
                    result = held
            elif spill and not state.fill_last and result.pages == pages and pages > 1 \
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
            if pages_found == state.feature_pages and spots_found == found:
                settled = True
                break
            state.feature_pages, found = pages_found, spots_found
        flow_pages = pages
        text_pages = max(pages, max((p for p in state.box_pages_for(pages)), default=1))
        # The page of boxes alone is the last one: with `pages: N` the text is fitted to the
        # pages before it, so it is page N.
        boxes_page = max(text_pages + 1, state.min_pages) if state.own_boxes else 0
        pages = boxes_page or max(text_pages, state.min_pages)
        result = balance_last_page(chunks, plan, result)
        fill_pages = set(range(1, result.pages + (1 if state.fill_last else 0)))
        placed, off_grid = justify(result.placed, plan, fill_pages,
                                   float(mk["vertical_justify"]), float(mk["paragraph_space"]),
                                   int(float(mk["hole_lines"]) - 0.5), whole=state.grid)
        result = replace(result, placed=placed)
        bad = misplaced(result.placed, found, float_articles, gap) if settled else set(found)
        if not bad:
            break
        inline |= bad
    result, chunks = avoid_hyphen_at_turns(result, chunks, state.comp)
    state.flow_pages = flow_pages
    return Flowed(result, chunks, found, pages, text_pages, boxes_page, spilled, off_grid)


def check_forced(state: Pass, flowed: Flowed) -> None:
    """Blocks the flow had to place against its rules: an error when one is taller than a
    column (it can never fit), a warning otherwise."""
    issue, plan = state.issue, state.plan
    too_tall = []
    for p in flowed.result.forced:
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
        state.warnings.append((where, f"page {p.page}: a {p.chunk.kind} block cannot be kept "
                                      "with its text here; it was placed anyway"))
    if too_tall:
        raise UserError(too_tall)


def place_pages(state: Pass, flowed: Flowed) -> IssueLayout:
    """Phase 4: everything on its page. Anchors and page numbers (the contents box, jump
    lines), the title bands and photos above the columns, the contents box, the boxes,
    masthead, footers and column rules; then the holes the pages show, and a right-to-left
    edition mirrored."""
    spec, plan, comp, issue, gap = state.spec, state.plan, state.comp, state.issue, state.gap
    result, pages = flowed.result, flowed.pages
    out = [PageLayout(n) for n in range(1, pages + 1)]
    anchors: dict[str, int] = {}
    anchor_y: dict[str, float] = {}
    for p in result.placed:
        out[p.page - 1].placed.append(p)
        if p.chunk.anchor and p.chunk.anchor not in anchors:
            anchors[p.chunk.anchor] = p.page
            anchor_y[p.chunk.anchor] = p.y
    place_quotes(out, flowed.found, plan)
    for page in out:
        page.placed = [replace(p, chunk=resolve_refs(p.chunk, anchors, comp))
                       if any(isinstance(x, PageRef) for x in p.chunk.parts) else p
                       for p in page.placed]
    if state.band is not None:
        left, top, _, _ = plan.content_box(1)
        out[0].placed.insert(0, Placed(state.band, 1, 0, left, top))
        anchors[state.band.anchor] = 1
        anchor_y[state.band.anchor] = top
    if state.photo is not None:
        out[0].placed.insert(1, Placed(state.photo, 1, 0, plan.column_x(1, 0),
                                       plan.columns_top(1)))
    for index, page in state.feature_pages.items():
        fband, fphoto = state.features[index]
        left, top, _, _ = plan.content_box(page)
        here = out[page - 1].placed
        at = next((k for k, p in enumerate(here) if p.chunk.kind == "pagebreak"), 0)
        here.insert(at, Placed(fband, page, 0, left, top))
        if fphoto is not None:
            here.insert(at + 1, Placed(fphoto, page, 0, plan.column_x(page, 0),
                                       plan.columns_top(page)))
        anchors[fband.anchor] = page
        anchor_y[fband.anchor] = top
    for k, part in enumerate(state.contents):
        col = state.contents_cols[k]
        x = plan.column_x(1, col)
        if state.contents_at == "top":
            y = plan.columns_top(1, col) + (state.photo.height if col < state.photo_cols
                                            else 0.0)
        else:
            part = stretch_box(part, state.contents_height(k))
            y = plan.content_box(1)[3] - plan.reserves.get(1, Reserve()).bottom - part.height
        out[0].placed.append(Placed(resolve_refs(part, anchors, comp), 1, col, x, y))
    place_boxes(state, flowed, out)
    out[0].furniture += masthead(comp, issue, plan.masthead_height)
    for page in out:
        left, _, right, _ = plan.content_box(page.number)
        page.furniture += footer(comp, issue, page.number, pages, left, right)
        if spec.column_rules:
            page.furniture += column_rules(page, spec)
    warnings = state.warnings
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
    last = flowed.text_pages if state.own_boxes else pages
    skip = set() if state.fill_last else {last}
    mk = spec.section("makeup")
    found_holes = column_holes(out, plan, float(mk["hole_lines"]), skip | {flowed.boxes_page})
    stranded = foot_openings(out, int(mk["opening_lines"]))
    for page_no, col, lines in found_holes:
        warnings.append((Location(issue.manifest, place=f"page {page_no}, column {col}"),
                         f"{lines:g} lines left empty"))
    if comp.rtl:
        text_width = spec.page_width - spec.margin_inside - spec.margin_outside
        for page in out:
            page.placed = [mirror_placed(p, text_width if p.chunk.meta.get("band")
                                         else spec.column_width, spec.page_width)
                           for p in page.placed]
            page.furniture = mirror_furniture(page.furniture, spec.page_width)
    capacity = {p.number: plan.full_height(p.number) for p in out}
    # as flowed, photos moved or set smaller included
    chunks = result.chunks if result.chunks is not None else flowed.chunks
    thin = 0.0 if state.fill_last or last < 2 else \
        max(0.0, thin_page_limit(plan, last) - text_reach(result, plan, last)) / gap
    return IssueLayout(spec, issue, out, anchors, anchor_y, warnings, result, chunks,
                       printed_ppi(comp.images, out),
                       capacity, dict(comp.containers), found_holes,
                       boxes_page=flowed.boxes_page, thin_lines=round(thin, 1),
                       spilled=flowed.spilled, foot_openings=stranded,
                       flow_pages=state.flow_pages, off_grid=flowed.off_grid,
                       end_spread=round(end_spread(result, plan, last), 1) if last else 0.0)


def place_boxes(state: Pass, flowed: Flowed, out: list[PageLayout]) -> None:
    """The boxes: on the foot of the text area of their pages, or from the head of a page
    of their own."""
    spec, plan, gap = state.spec, state.plan, state.gap
    own = state.own_boxes
    for page, boxes in state.box_pages_for(flowed.text_pages if own else flowed.pages).items():
        made, height = state.bands.band(boxes)
        left, _, _, bottom = plan.content_box(page)
        top = bottom - height  # on the foot of the text area
        if not any(p.chunk.height > 0 for p in out[page - 1].placed):
            free = (plan.full_height(page) - height - gap) * spec.columns / gap
            state.warnings.append((Location(state.issue.manifest, place=f"page {page}"),
                                   f"page {page} holds only boxes; about {free:.0f} lines of "
                                   "column space on it are left empty"))
        for chunk, col, dx, dy in made:
            out[page - 1].placed.append(Placed(chunk, page, col, left + dx, top + dy))
    if own:
        # A page of boxes alone reads from the top like any other page: the boxes start at
        # the head of the text area and the white is left at the foot, above the footer
        # (at the foot they would look as if something above them had gone missing).
        page = flowed.boxes_page
        made, height = state.bands.band(own, alone=True)
        left = plan.content_box(page)[0]
        top = plan.columns_top(page)
        free = (plan.full_height(page) - height) * spec.columns / gap
        state.warnings.append((Location(state.issue.manifest, place=f"page {page}"),
                               f"page {page} holds only boxes, as asked (page: own); about "
                               f"{free:.0f} lines of column space on it are left empty"))
        for chunk, col, dx, dy in made:
            out[page - 1].placed.append(Placed(chunk, page, col, left + dx, top + dy))


def page_fill(result: FlowResult, plan: PagePlan, page: int) -> float:
    """Share of a page's column space (without its reserves) that the flow filled."""
    room = sum(s.height for s in plan.slots(page, holes=False))
    return flowed_on(result, page) / room if room > 0 else 1.0


def page_one_crowded(state: Pass) -> bool:
    """Whether a column of page 1 has under four lines of room beside or under what is
    reserved there (the lead photo, the contents box)."""
    plan = state.plan
    plan.reserves = state.reserves({})
    return any(s.height < CROWDED_LINES * plan.gap for s in plan.slots(1, holes=False))


def headline_span(band: Chunk, spec: LayoutSpec, photo_cols: int) -> int:
    """How many columns, from the first, the page-1 title band needs (its title and
    byline as set, and the photo's columns under it); 0 when it needs them all."""
    used = max((part.dx + min(part.line.natural, part.line.measure) for part in band.parts
                if isinstance(part, TextPart)), default=spec.page_width)
    pitch = spec.column_width + spec.gutter
    needed = max(photo_cols, int((used - 1e-6) // pitch) + 1)
    return needed if needed < spec.columns else 0


def thin_page_limit(plan: PagePlan, page: int) -> float:
    """The least text a last page should carry so it does not read as spilled over: a
    quarter of its columns and half a line more in each (the white around heads and
    photos inside the text does not read as text), or nine tenths of the room above its
    boxes if that is less."""
    room = sum(s.height for s in plan.slots(page, holes=False))
    quarter = (plan.full_height(page) * THIN_PAGE + plan.gap / 2) * plan.spec.columns
    return min(quarter, 0.9 * room)


