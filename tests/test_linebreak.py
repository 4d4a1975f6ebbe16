"""The line-breaking cost function on synthetic boxes, glue and penalties (no fonts)."""

from __future__ import annotations

from compositor.text.linebreak import (
    INFINITY,
    Item,
    box,
    glue,
    greedy_breaks,
    optimal_breaks,
    penalty,
)


def paragraph(words: list[float], space=2.0, stretch=1.0, shrink=0.5) -> list[Item]:
    items: list[Item] = []
    for i, w in enumerate(words):
        if i:
            items.append(glue(space, stretch, shrink))
        items.append(box(w))
    items += [glue(0, 10_000, 0), penalty(0, -INFINITY)]
    return items


def line_lengths(items: list[Item], breaks) -> list[int]:
    """Number of boxes on each line."""
    out, start = [], 0
    for b in breaks:
        out.append(sum(1 for it in items[start:b.position] if it.kind == 0))
        start = b.position + 1
    return out


def test_optimal_differs_from_greedy_and_is_better():
    # Greedy fills line 1 exactly (10 4 6 4) and leaves "4 14" stretched to ten times its
    # allowance. Choosing breaks for the whole paragraph takes one word less on line 1 and
    # spreads the slack: no line is worse than ratio 3.
    words = [10, 4, 6, 4, 4, 14, 10]
    items = paragraph(words, space=2, stretch=1, shrink=0.5)
    greedy = greedy_breaks(items, [30.0])
    best = optimal_breaks(items, [30.0], tolerance=3.0)
    assert line_lengths(items, greedy) == [4, 2, 1]
    assert [round(b.ratio, 6) for b in greedy] == [0.0, 10.0, 0.0]
    assert line_lengths(items, best) == [3, 3, 1]
    assert [round(b.ratio, 6) for b in best[:-1]] == [3.0, 2.0]


def test_exact_fit_has_zero_ratio_and_impossible_fit_is_refused():
    items = paragraph([15, 15, 15, 15])
    best = optimal_breaks(items, [32.0])
    assert line_lengths(items, best) == [2, 2]
    assert abs(best[0].ratio) < 1e-9
    # 10 10 is too loose (ratio 10), 10 10 10 too tight (ratio -2): nothing within limits.
    assert optimal_breaks(paragraph([10, 10, 10, 10]), [32.0]) is None


def hyphen_words() -> list[Item]:
    items: list[Item] = [box(20)]
    for _ in range(6):
        items += [glue(2, 1, 0.5), box(20), penalty(3, 50, flagged=True), box(20)]
    return items + [glue(0, 10_000, 0), penalty(0, -INFINITY)]


def test_no_third_hyphen_in_a_row(monkeypatch):
    # Every line of this paragraph must end in a hyphen (20 + 2 + 20 + hyphen = 45).
    import compositor.text.linebreak as lb
    monkeypatch.setattr(lb, "MAX_HYPHENS_IN_A_ROW", 99)
    unlimited = optimal_breaks(hyphen_words(), [45.0], tolerance=1)
    assert sum(b.hyphenated for b in unlimited) >= 3
    monkeypatch.setattr(lb, "MAX_HYPHENS_IN_A_ROW", 2)
    assert optimal_breaks(hyphen_words(), [45.0], tolerance=1) is None


def test_infeasible_returns_none_at_strict_tolerance():
    items = paragraph([10, 40, 10])
    assert optimal_breaks(items, [30.0], tolerance=1.0) is None
    assert greedy_breaks(items, [30.0])  # greedy always produces something
