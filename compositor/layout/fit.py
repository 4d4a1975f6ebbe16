"""Fitting an issue to an exact number of pages, the way an editor would.

Levers, in order: shorten the articles that allow it (`excerpt: auto`, the default for an
article with a `url`), always at a sentence end and never below `fit.min_words`; then
shrink photos down to `fit.min_photo` of the column. Each trial is a layout pass over
cached paragraph settings, so fitting costs a few layouts, never a re-render.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from compositor.errors import Location, UserError
from compositor.layout.fillers import ends_at_holes
from compositor.layout.recorded import layout_issue  # each call remembered
from compositor.layout.result import IssueLayout
from compositor.layout.score import score_of, tries_for
from compositor.layout.variants import with_leading, with_photo_columns
from compositor.load.layout import LayoutSpec
from compositor.model.content import Article, Issue
from compositor.model.excerpt import excerpted, without_optional_pullquotes


@dataclass
class FitOutcome:
    layout: IssueLayout
    passes: int
    factor: float  # share of each adjustable article kept (1.0 = untouched)
    photo_scale: float
    notes: list[str]


def _with_factor(issue: Issue, factor: float, min_words: int) -> Issue:
    articles = []
    for a in issue.articles:
        if a.excerpt_mode == "auto" and a.words_total > min_words:
            budget = max(min_words, int(a.words_total * factor))
            articles.append(excerpted(a, None if factor >= 1.0 else budget))
        else:
            articles.append(a)
    return replace(issue, articles=tuple(articles))


def fit_issue(issue: Issue, spec: LayoutSpec, pages: int, optimal: bool | None = None
              ) -> FitOutcome:
    fit = spec.section("fit")
    min_words = int(fit["min_words"])
    min_photo = float(fit["min_photo"])
    own = [b for b in issue.boxes if b.page == "own"]
    if own and pages < 2:
        raise UserError.at(Location(issue.manifest), "a box with 'page: own' needs a page "
                                                     "of its own after the text: the issue "
                                                     "cannot fit 1 page")
    passes = 1
    layout = layout_issue(issue, spec, optimal, fill_last=True, refine=False)
    notes: list[str] = []
    if len(layout.pages) <= pages:
        # All the text fits: the room left is filled first by landscape photos set across
        # two columns, then by looser body leading (the same grid in every column) up to
        # `fit.max_leading`, before any white is left.
        if spec.columns >= 3 and int(spec.section("article")["photo_columns"]) < 2:
            wider = with_photo_columns(spec, 2)
            trial = layout_issue(issue, wider, optimal, fill_last=True, refine=False)
            passes += 1
            spanned = sum(1 for page in trial.pages for p in page.placed
                          if p.chunk.kind == "figure" and p.chunk.meta.get("band"))
            if spanned and len(trial.pages) <= pages:
                spec, layout = wider, trial
                notes.append(f"{spanned} photo{'s' if spanned > 1 else ''} set across two "
                             f"columns to fill the {pages} pages")
        body = spec.styles["body"].leading
        looser, looser_layout, tries = loosened(issue, spec, optimal, pages)
        passes += tries
        if looser is not spec:
            spec, layout = looser, looser_layout
            notes.append(f"body leading loosened from {body:g} to "
                         f"{spec.styles['body'].leading:g} pt to fill the {pages} pages")
        if len(layout.pages) < pages:
            free = free_lines(layout)
            filled = (f"the text fills {len(layout.pages) - 1} of the {pages - 1} pages "
                      "before the page of boxes" if layout.boxes_page else
                      f"the content fills {len(layout.pages)} of {pages} pages")
            notes.append(f"{filled}; {free} lines of column space are left empty (add an "
                         "article or a photo rather than stretching the text)")
            layout = layout_issue(issue, spec, optimal, min_pages=pages, fill_last=True)
            passes += 1
        elif layout.holes:
            layout = layout_issue(issue, spec, optimal, fill_last=True)
            passes += 1
        return FitOutcome(layout, passes, 1.0, 1.0, notes)

    adjustable = [a for a in issue.articles if a.excerpt_mode == "auto"
                  and a.words_total > min_words]
    lean = replace(issue, articles=tuple(without_optional_pullquotes(a)
                                         for a in issue.articles))
    has_optional = lean.articles != issue.articles
    best: tuple[float, float, IssueLayout] | None = None
    dropped = False
    # Levers in order: excerpts (searched within each step), then smaller photos, then
    # leaving out the pull quotes that front matter offered.
    # Last, body leading a little tighter, in 0.1 pt steps down to `fit.min_leading`.
    steps = [(issue, 1.0, spec), (issue, (1.0 + min_photo) / 2, spec),
             (issue, min_photo, spec)]
    last_issue = lean if has_optional else issue
    if has_optional:
        steps.append((lean, min_photo, spec))
    body = spec.styles["body"].leading
    floor_leading = float(fit["min_leading"]) if fit["min_leading"] else body
    tighter = body - 0.1
    while tighter >= floor_leading - 1e-6 and len(steps) < 12:
        steps.append((last_issue, min_photo, with_leading(spec, tighter)))
        tighter -= 0.1
    base_spec = spec
    for base, scale, spec in steps:
        trial_issue = _with_factor(base, 0.0, min_words) if adjustable else base
        floor = layout_issue(trial_issue, spec, optimal, photo_scale=scale, fill_last=True,
                             refine=False)
        passes += 1
        if len(floor.pages) > pages:
            continue
        lo, hi = 0.0, 1.0
        best = (0.0, scale, floor)
        for _ in range(7 if adjustable else 0):
            mid = (lo + hi) / 2
            trial = layout_issue(_with_factor(base, mid, min_words), spec, optimal,
                                 photo_scale=scale, fill_last=True, refine=False)
            passes += 1
            if len(trial.pages) <= pages:
                lo, best = mid, (mid, scale, trial)
            else:
                hi = mid
        dropped = base is lean
        issue = base
        break
    if best is None:
        spec = base_spec
        over = overflow_lines(floor, pages)
        biggest = sorted(issue.articles, key=lambda a: -a.words_kept)[:3]
        names = ", ".join(f"'{a.contents_title}' ({a.words_kept} words, "
                          f"excerpt: {a.excerpt_mode})" for a in biggest)
        raise UserError.at(Location(issue.manifest),
                           f"the issue cannot fit {pages} pages: even with every adjustable "
                           f"article at {min_words} words and photos at {min_photo:.0%} it "
                           f"needs {len(floor.pages)} pages, overflowing by about {over} "
                           f"lines; drop an article or allow excerpts (largest: {names})")
    factor, scale, layout = best
    fitted = _with_factor(issue, factor, min_words)
    if adjustable:
        # The shared factor leaves the last page short by whatever the next cut would
        # have overflowed: give sentences back one article at a time while they fit.
        fitted, tries = fill_last_page(issue, fitted, spec, optimal, scale, pages, layout,
                                       min_words)
        passes += tries
    layout = layout_issue(fitted, spec, optimal, photo_scale=scale, min_pages=pages,
                          fill_last=True)
    passes += 1
    cut = [a for a in layout.issue.articles if a.cut]
    if cut:
        notes.append("shortened to fit: " + ", ".join(
            f"'{a.contents_title}' {a.words_kept}/{a.words_total} words" for a in cut))
    if scale < 1.0 and layout.images:
        notes.append(f"photos reduced to {scale:.0%} of the column width to fit")
    if dropped:
        notes.append("pull quotes from front matter left out to fit")
    if spec is not base_spec:
        notes.append(f"body leading tightened from {base_spec.styles['body'].leading:g} to "
                     f"{spec.styles['body'].leading:g} pt to fit")
    return FitOutcome(layout, passes, factor, scale, notes)


MAX_FILL_TRIES = 30
LEADING_STEP = 0.1  # points: a looser leading gains at least this much or is not used
LEADING_SEARCH = 6  # halvings of the interval between the first step and the ceiling


def loosened(issue: Issue, spec: LayoutSpec, optimal: bool | None, pages: int
             ) -> tuple[LayoutSpec, IssueLayout | None, int]:
    """The layout with the loosest body leading, up to `fit.max_leading`, at which the
    issue still fits `pages` pages, its trial layout, and the passes spent; the layout
    itself (and None) when even one step looser would not fit."""
    body = spec.styles["body"].leading
    top = float(spec.section("fit")["max_leading"] or 0)
    if top < body + LEADING_STEP - 1e-6:
        return spec, None, 0
    tries = 0

    def trial(leading: float) -> IssueLayout | None:
        nonlocal tries
        tries += 1
        made = layout_issue(issue, with_leading(spec, leading), optimal, fill_last=True,
                            refine=False)
        return made if len(made.pages) <= pages else None

    lo = round(body + LEADING_STEP, 2)
    found = trial(lo)
    if found is None:
        return spec, None, tries
    best = (lo, found)
    at_top = trial(top)
    if at_top is not None:
        return with_leading(spec, top), at_top, tries
    hi = top
    for _ in range(LEADING_SEARCH):
        mid = round((lo + hi) / 2, 2)
        if mid in (lo, hi):
            break
        made = trial(mid)
        if made is not None:
            lo, best = mid, (mid, made)
        else:
            hi = mid
    return with_leading(spec, best[0]), best[1], tries


def fill_last_page(full: Issue, fitted: Issue, spec: LayoutSpec, optimal: bool | None,
                   scale: float, pages: int, layout: IssueLayout, min_words: int
                   ) -> tuple[Issue, int]:
    """The fitted issue with sentences given back to its cut articles, one at a time
    (the most deeply cut article first), while the issue still fits `pages` and its holes
    (the last page's included) get smaller. Where a sentence more no longer fits, a
    sentence less from the least cut article may make room for it: which sentence ends
    each article is chosen per article. Returns the issue and the layout passes used."""
    score = score_of(layout)[1]  # the issue keeps its page count: holes alone decide
    tries = 0
    budget = tries_for(pages, MAX_FILL_TRIES)
    articles = list(fitted.articles)

    def attempt(changes: dict[int, Article]) -> bool:
        nonlocal articles, score, tries, layout
        trial_articles = [changes.get(k, a) for k, a in enumerate(articles)]
        trial = layout_issue(replace(fitted, articles=tuple(trial_articles)), spec, optimal,
                             photo_scale=scale, min_pages=pages, fill_last=True,
                             refine=False)
        tries += 1
        trial_score = score_of(trial)[1]
        if len(trial.pages) <= pages and trial_score < score:
            articles, score, layout = trial_articles, trial_score, trial
            return True
        return False

    while score > 0 and tries < budget:
        auto = [i for i, a in enumerate(articles) if a.excerpt_mode == "auto"
                and a.words_total > min_words]
        share = {i: articles[i].words_kept / articles[i].words_total for i in auto}
        # An article that ends just above a hole first: a sentence more fills it in place.
        above = set(ends_at_holes(layout))
        order = sorted((i for i in auto if articles[i].cut),
                       key=lambda i: (i not in above, share[i], i))
        done = False
        for i in order:
            longer = one_more_sentence(full.articles[i], articles[i].words_kept)
            if longer is None:
                continue
            if attempt({i: longer}):
                done = True
                break
            for j in sorted((j for j in auto if j != i), key=lambda j: (-share[j], j))[:2]:
                shorter = one_less_sentence(full.articles[j], articles[j].words_kept,
                                            min_words)
                if shorter is not None and tries < budget and \
                        attempt({i: longer, j: shorter}):
                    done = True
                    break
            if done or tries >= budget:
                break
        if not done:
            break
    return replace(fitted, articles=tuple(articles)), tries


def one_more_sentence(article: Article, kept: int) -> Article | None:
    """The article cut one sentence later than at `kept` words (None: nothing left)."""
    for budget in range(kept + 1, article.words_total + 1):
        longer = excerpted(article, budget)
        if longer.words_kept > kept:
            return longer
    return None


def one_less_sentence(article: Article, kept: int, min_words: int) -> Article | None:
    """The article cut one sentence earlier than at `kept` words, never below
    `min_words` (None: no such cut)."""
    shorter = excerpted(article, kept - 1)
    if shorter.words_kept >= kept or shorter.words_kept < min_words:
        return None
    return shorter


def free_lines(layout: IssueLayout) -> int:
    """Empty body lines left in the columns of the last page with text (the one before a
    page of boxes alone)."""
    spec = layout.spec
    gap = spec.styles["body"].leading
    last = layout.pages[-2 if layout.boxes_page and len(layout.pages) > 1 else -1]
    used = sum(p.chunk.height for p in last.placed if p.chunk.kind not in ("box", "contents"))
    from compositor.layout.pages import PagePlan
    plan = PagePlan(spec, 0.0, 0.0, gap)
    capacity = plan.full_height(2) * spec.columns
    return max(0, int((capacity - used) / gap))


def overflow_lines(layout: IssueLayout, pages: int) -> int:
    """Body lines beyond the pages the text may take (all `pages`, or all but the last
    when that is a page of boxes alone)."""
    gap = layout.spec.styles["body"].leading
    text_pages = pages - 1 if layout.boxes_page else pages
    extra = [p for page in layout.pages[text_pages:] for p in page.placed
             if p.chunk.kind not in ("box", "contents")]
    return int(sum(p.chunk.height for p in extra) / gap)
