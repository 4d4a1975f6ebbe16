"""Cutting an article to a word budget at a sentence end, the way an editor would."""

from __future__ import annotations

import re
from dataclasses import replace

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

ELLIPSIS = "\u2026"

# A sentence ends at . ! ? (optionally followed by closing quotes or brackets) before a
# space or the end of the text; abbreviations and initials do not end sentences.
_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*(?=\s|$)")
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Mt|Prof|Rev|Sr|Jr|vs|etc|e\.g|i\.e|approx|No|Nr|Fig|cf)"
    r"|\b[A-Z])\.$")
_WORD = re.compile(r"\S+")


def count_words(blocks: tuple[Block, ...] | list[Block]) -> int:
    return sum(_block_words(b) for b in blocks)


def _block_words(block: Block) -> int:
    if isinstance(block, Paragraph | Heading):
        return len(_WORD.findall("".join(r.text for r in block.runs)))
    if isinstance(block, ListBlock):
        return sum(count_words(item) for item in block.items)
    if isinstance(block, Quote):
        return 0 if block.pull else count_words(block.blocks)  # a pull quote repeats text
    return 0


def sentence_ends(text: str) -> list[int]:
    """Offsets just after each sentence end in text."""
    ends = []
    for m in _END.finditer(text):
        before = text[max(0, m.start() - 8): m.start() + 1]
        if m.group(0).startswith(".") and _ABBREV.search(before):
            continue
        ends.append(m.end())
    return ends


def cut_to_words(blocks: tuple[Block, ...], budget: int) -> tuple[tuple[Block, ...], int]:
    """Keep at most about `budget` words, ending at a sentence end. Returns (blocks, kept).

    Whole blocks are kept while they fit; the block that crosses the budget is cut at its
    last sentence end within budget. If not even the first sentence fits, the first sentence
    is kept anyway: an excerpt is never empty and never ends mid-sentence. A trailing
    subhead or figure is dropped so the excerpt ends on text.
    """
    kept: list[Block] = []
    used = 0
    for block in blocks:
        words = _block_words(block)
        if used + words <= budget:
            kept.append(block)
            used += words
            continue
        if isinstance(block, Paragraph):
            part, n = _cut_paragraph(block, budget - used, force=not _has_text(kept))
            if part is not None:
                kept.append(part)
                used += n
        elif isinstance(block, Figure):
            continue
        elif not _has_text(kept):
            kept.append(block)  # a list or quote first: kept whole, an excerpt is never empty
            used += words
        break
    while kept and (isinstance(kept[-1], Heading | Figure) or (
            isinstance(kept[-1], Quote) and kept[-1].pull)):
        kept.pop()
    if not kept:
        return blocks[:0], 0
    total = count_words(blocks)
    if _only_a_tail(blocks[len(kept) - (1 if _is_cut(kept, blocks) else 0):], total
                    - count_words(kept)):
        return blocks, total  # what the cut leaves out is not worth an ellipsis
    # An excerpt does not end on a dateline or a signature ("Tirana – August 5, 2023"):
    # it ends on the last sentence before it.
    while len(kept) > 1 and _is_tail_line(kept[-1]) and _has_text(kept[:-1]):
        kept.pop()
    return tuple(kept), count_words(kept)


TAIL_WORDS = 12  # a trailing line this short is a dateline, a signature or a sign-off


def _is_cut(kept: list[Block], blocks: tuple[Block, ...]) -> bool:
    """Whether the last kept block is a shortened copy of its original."""
    k = len(kept) - 1
    return k < len(blocks) and kept[k] is not blocks[k]


def _only_a_tail(rest: tuple[Block, ...], words: int) -> bool:
    """What a cut would leave out is only a last short line or two (a dateline, a
    signature, a closing remark): an excerpt that drops only those reads as cut short for
    nothing."""
    if words <= TAIL_WORDS:
        return True
    return words <= 2 * TAIL_WORDS and all(
        _block_words(b) <= TAIL_WORDS for b in rest if isinstance(b, Paragraph)) and all(
        isinstance(b, Paragraph | Rule | Figure) for b in rest)


def _is_tail_line(block: Block) -> bool:
    """A short paragraph that is not a sentence: a dateline, a place and date, a name."""
    if not isinstance(block, Paragraph):
        return False
    text = "".join(r.text for r in block.runs).strip()
    return _block_words(block) <= TAIL_WORDS and not _END.search(text)


def _has_text(blocks: list[Block]) -> bool:
    return any(isinstance(b, Paragraph | ListBlock | Quote) for b in blocks)


def _cut_paragraph(par: Paragraph, budget: int, force: bool) -> tuple[Paragraph | None, int]:
    text = "".join(r.text for r in par.runs)
    best = None
    for end in sentence_ends(text):
        n = len(_WORD.findall(text[:end]))
        if n <= budget or (force and best is None):
            best = end
        if n > budget:
            break
    if best is None and force:
        # Text with no sentence end at all (a poem, a list of names): cut between words
        # rather than keep nothing; the ellipsis shows the cut.
        words = list(_WORD.finditer(text))
        keep = max(budget, 1)
        best = words[keep - 1].end() if len(words) > keep else len(text)
    if best is None or best >= len(text.rstrip()):
        return (par, len(_WORD.findall(text))) if best is not None else (None, 0)
    return replace(par, runs=tuple(_slice_runs(par.runs, best))), len(_WORD.findall(text[:best]))


def _slice_runs(runs: tuple[Run, ...], stop: int) -> list[Run]:
    out, pos = [], 0
    for run in runs:
        if pos >= stop:
            break
        take = run.text[: stop - pos]
        out.append(replace(run, text=take))
        pos += len(run.text)
    return out


def without_optional_pullquotes(article: Article) -> Article:
    def keep(block: Block) -> bool:
        return not (isinstance(block, Quote) and block.optional)
    return replace(article, blocks=tuple(b for b in article.blocks if keep(b)),
                   all_blocks=tuple(b for b in article.all_blocks if keep(b)))


def excerpted(article: Article, budget: int | None) -> Article:
    """The article cut to about `budget` words (None: the full text)."""
    full = article.all_blocks or article.blocks
    if budget is None or article.words_total <= budget:
        return replace(article, blocks=full, words_kept=article.words_total, excerpt=None)
    kept_blocks, kept = cut_to_words(full, budget)
    return replace(article, blocks=append_ellipsis(kept_blocks), words_kept=kept,
                   excerpt=budget)


def append_ellipsis(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Put the ellipsis after the last text of the excerpt."""
    out = list(blocks)
    last = out[-1] if out else None
    if isinstance(last, Paragraph) and last.runs:
        runs = list(last.runs)
        runs[-1] = replace(runs[-1], text=runs[-1].text.rstrip())
        out[-1] = replace(last, runs=(*runs, Run("\u00a0" + ELLIPSIS)))
    elif last is not None:
        out.append(Paragraph((Run(ELLIPSIS),), last.where))
    return tuple(out)
