"""The Unicode Bidirectional Algorithm (UAX #9): embedding levels of a paragraph and
the visual order of a line.

`paragraph_levels` resolves a paragraph once (rules P2-P3, X1-X10, W1-W7, N0-N2, I1-I2,
and L1 for segment separators); `line_order` and `line_levels` then reorder any line cut
from it (L1 for the line's end, L2), so where a line breaks never changes which
direction a character runs, as rule P1 requires. Written from the standard's text and
checked against Unicode's own conformance data (tests/fixtures/bidi/).

Character classes come from Python's `unicodedata`; the paired brackets of rule N0
(BidiBrackets.txt) are derived from character names, with the few pairs whose names do
not say LEFT/RIGHT or OPENING/CLOSING listed by hand.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

MAX_DEPTH = 125
_STRONG = {"L": "L", "R": "R", "AL": "R"}
_ISOLATE_OPEN = frozenset({"LRI", "RLI", "FSI"})
_EMBED = frozenset({"LRE", "RLE", "LRO", "RLO"})
_REMOVED = frozenset({"LRE", "RLE", "LRO", "RLO", "PDF", "BN"})  # rule X9
_NEUTRAL = frozenset({"B", "S", "WS", "ON", "LRI", "RLI", "FSI", "PDI"})
_TRAILING = frozenset({"WS", "LRI", "RLI", "FSI", "PDI"}) | _REMOVED  # rule L1

LRI, RLI, PDI = "\u2066", "\u2067", "\u2069"

# Bracket pairs whose names do not pair up by LEFT/RIGHT or OPENING/CLOSING.
_EXTRA_BRACKETS = {"\u0f3a": "\u0f3b", "\u0f3c": "\u0f3d", "\u169b": "\u169c",
                   "\u2993": "\u2994", "\u2995": "\u2996"}


def bidi_class(ch: str) -> str:
    # Unassigned code points default to L here (the standard gives some blocks R or AL
    # by default; text for print never holds unassigned characters).
    return unicodedata.bidirectional(ch) or "L"


@lru_cache(maxsize=4096)
def bracket(ch: str) -> tuple[str, bool] | None:
    """(the other bracket of the pair, whether `ch` opens) for a paired bracket."""
    category = unicodedata.category(ch)
    if category not in ("Ps", "Pe") or not unicodedata.mirrored(ch):
        return None
    opens = category == "Ps"
    for a, b in _EXTRA_BRACKETS.items():
        if ch in (a, b):
            return (b if ch == a else a), opens
    name = unicodedata.name(ch, "")
    for a, b in (("LEFT", "RIGHT"), ("OPENING", "CLOSING")):
        if a in name or b in name:
            other = name.replace(a, "\0").replace(b, a).replace("\0", b)
            try:
                return unicodedata.lookup(other), opens
            except KeyError:
                return None
    return None


def _canonical(ch: str) -> str:
    # U+2329/U+232A are canonically the same brackets as U+3008/U+3009 (BD16).
    return unicodedata.normalize("NFD", ch)


def _first_strong(classes: list[str], start: int, end: int) -> str | None:
    """Rules P2-P3: the first strong class, skipping isolates' contents."""
    depth = 0
    for k in range(start, end):
        c = classes[k]
        if c in _ISOLATE_OPEN:
            depth += 1
        elif c == "PDI":
            if depth:
                depth -= 1
        elif c == "B":
            break
        elif depth == 0 and c in _STRONG:
            return _STRONG[c]
    return None


def base_level(text: str) -> int:
    """The paragraph level rules P2-P3 give `text` (0 when it has no strong letter)."""
    return 1 if _first_strong([bidi_class(c) for c in text], 0, len(text)) == "R" else 0


def paragraph_levels(text: str, base: int | None = None) -> list[int]:
    """The resolved level of every character of `text` (even: left to right, odd: right
    to left). `base` is the paragraph level (0 or 1), or None to take it from the text.
    A paragraph separator (class B) ends one paragraph and starts the next at the same
    base. Characters rule X9 removes take the level of the character before them, so a
    caller can draw them with their neighbours. The trailing whitespace of a line is
    left to `line_levels`."""
    out: list[int] = []
    start = 0
    for k, ch in enumerate(text):
        if bidi_class(ch) == "B":
            out += _one_paragraph(text[start:k + 1], base)
            start = k + 1
    if start < len(text):
        out += _one_paragraph(text[start:], base)
    return out


def _matching_pdis(classes: list[str]) -> dict[int, int]:
    """BD9: each isolate initiator's matching PDI."""
    match: dict[int, int] = {}
    open_: list[int] = []
    for k, c in enumerate(classes):
        if c in _ISOLATE_OPEN:
            open_.append(k)
        elif c == "PDI" and open_:
            match[open_.pop()] = k
    return match


def _one_paragraph(text: str, base: int | None) -> list[int]:
    n = len(text)
    classes = [bidi_class(c) for c in text]
    para = base if base is not None else (1 if _first_strong(classes, 0, n) == "R" else 0)
    match = _matching_pdis(classes)
    levels = [para] * n
    types = list(classes)

    # X1-X8: explicit embeddings, overrides and isolates.
    stack: list[tuple[int, str | None, bool]] = [(para, None, False)]
    overflow_isolates = overflow_embeddings = valid_isolates = 0
    for k, c in enumerate(classes):
        level, override, _ = stack[-1]
        if c in _EMBED:
            new = (level + 1) | 1 if c[0] == "R" else (level + 2) & ~1
            if new <= MAX_DEPTH and not overflow_isolates and not overflow_embeddings:
                stack.append((new, {"LRO": "L", "RLO": "R"}.get(c), False))
            elif not overflow_isolates:
                overflow_embeddings += 1
            levels[k] = level
        elif c in _ISOLATE_OPEN:
            levels[k] = level
            if override:
                types[k] = override
            rtl = c == "RLI"
            if c == "FSI":
                rtl = _first_strong(classes, k + 1, match.get(k, n)) == "R"
            new = (level + 1) | 1 if rtl else (level + 2) & ~1
            if new <= MAX_DEPTH and not overflow_isolates and not overflow_embeddings:
                valid_isolates += 1
                stack.append((new, None, True))
            else:
                overflow_isolates += 1
        elif c == "PDI":
            if overflow_isolates:
                overflow_isolates -= 1
            elif valid_isolates:
                overflow_embeddings = 0
                while not stack[-1][2]:
                    stack.pop()
                stack.pop()
                valid_isolates -= 1
            level, override, _ = stack[-1]
            levels[k] = level
            if override:
                types[k] = override
        elif c == "PDF":
            if overflow_isolates:
                pass
            elif overflow_embeddings:
                overflow_embeddings -= 1
            elif not stack[-1][2] and len(stack) >= 2:
                stack.pop()
            levels[k] = level
        elif c == "B":
            levels[k] = para
        elif c == "BN":
            levels[k] = level
        else:
            levels[k] = level
            if override:
                types[k] = override

    # X9-X10: level runs of the characters that remain, joined into isolating run
    # sequences across isolates.
    kept = [k for k in range(n) if classes[k] not in _REMOVED]
    runs: list[list[int]] = []
    for k in kept:
        if runs and levels[runs[-1][-1]] == levels[k]:
            runs[-1].append(k)
        else:
            runs.append([k])
    run_of = {run[0]: r for r, run in enumerate(runs)}
    position = {k: p for p, k in enumerate(kept)}
    explicit = list(levels)  # sos and eos compare embedding levels, before rules I1-I2
    carried: set[int] = set()  # runs that continue an earlier run's sequence
    for r, run in enumerate(runs):
        if r in carried:
            continue
        seq = list(run)
        while classes[seq[-1]] in _ISOLATE_OPEN and seq[-1] in match:
            nxt = run_of.get(match[seq[-1]])
            if nxt is None:
                break
            carried.add(nxt)
            seq += runs[nxt]
        first, last = seq[0], seq[-1]
        before = position[first] - 1
        prev_level = explicit[kept[before]] if before >= 0 else para
        after = position[last] + 1
        if classes[last] in _ISOLATE_OPEN or after >= len(kept):
            next_level = para
        else:
            next_level = explicit[kept[after]]
        level = levels[first]
        sos = "R" if max(level, prev_level) % 2 else "L"
        eos = "R" if max(level, next_level) % 2 else "L"
        _resolve_sequence(seq, types, classes, text, level, sos, eos)
        for k in seq:  # I1-I2
            t = types[k]
            if level % 2 == 0:
                if t == "R":
                    levels[k] += 1
                elif t in ("AN", "EN"):
                    levels[k] += 2
            elif t in ("L", "EN", "AN"):
                levels[k] += 1

    # Removed characters go with the character before them.
    for k in range(n):
        if classes[k] in _REMOVED:
            levels[k] = levels[k - 1] if k else para
    # L1 (the parts that do not depend on the line): separators and the whitespace
    # before them go back to the paragraph level.
    k = n - 1
    reset = False
    while k >= 0:
        c = classes[k]
        if c in ("S", "B"):
            reset = True
            levels[k] = para
        elif reset and c in _TRAILING:
            levels[k] = para
        else:
            reset = False
        k -= 1
    return levels


def _resolve_sequence(seq: list[int], types: list[str], classes: list[str], text: str,
                      level: int, sos: str, eos: str) -> None:
    """Rules W1-W7 and N0-N2 on one isolating run sequence (changes `types`)."""
    t = [types[k] for k in seq]
    m = len(t)
    # W1: a non-spacing mark takes the class of the character before it.
    for i in range(m):
        if t[i] == "NSM":
            if i == 0:
                t[i] = sos
            else:
                t[i] = "ON" if t[i - 1] in _ISOLATE_OPEN or t[i - 1] == "PDI" else t[i - 1]
    # W2 and W3: European digits after Arabic letters are Arabic numbers.
    last = sos
    for i in range(m):
        if t[i] in ("L", "R", "AL"):
            last = t[i]
        elif t[i] == "EN" and last == "AL":
            t[i] = "AN"
    t = ["R" if x == "AL" else x for x in t]
    # W4: one separator between two numbers of a kind.
    for i in range(1, m - 1):
        if t[i] == "ES" and t[i - 1] == "EN" and t[i + 1] == "EN":
            t[i] = "EN"
        elif t[i] == "CS" and t[i - 1] == t[i + 1] and t[i - 1] in ("EN", "AN"):
            t[i] = t[i - 1]
    # W5: terminators next to European digits.
    i = 0
    while i < m:
        if t[i] == "ET":
            j = i
            while j < m and t[j] == "ET":
                j += 1
            if (i > 0 and t[i - 1] == "EN") or (j < m and t[j] == "EN"):
                t[i:j] = ["EN"] * (j - i)
            i = j
        else:
            i += 1
    # W6 and W7.
    t = ["ON" if x in ("ES", "ET", "CS") else x for x in t]
    last = sos
    for i in range(m):
        if t[i] in ("L", "R"):
            last = t[i]
        elif t[i] == "EN" and last == "L":
            t[i] = "L"
    _paired_brackets(seq, t, classes, text, level, sos)
    # N1-N2: neutrals between strong text of one direction take it; others take the
    # embedding direction.
    embedding = "R" if level % 2 else "L"
    i = 0
    while i < m:
        if t[i] in _NEUTRAL:
            j = i
            while j < m and t[j] in _NEUTRAL:
                j += 1
            before = sos if i == 0 else ("L" if t[i - 1] == "L" else "R")
            after = eos if j == m else ("L" if t[j] == "L" else "R")
            t[i:j] = [before if before == after else embedding] * (j - i)
            i = j
        else:
            i += 1
    for i, k in enumerate(seq):
        types[k] = t[i]


def _strong(x: str) -> str | None:
    if x == "L":
        return "L"
    if x in ("R", "EN", "AN"):
        return "R"
    return None


def _paired_brackets(seq: list[int], t: list[str], classes: list[str], text: str,
                     level: int, sos: str) -> None:
    """Rule N0: a bracket pair takes the direction of what it encloses."""
    pairs: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for i, k in enumerate(seq):
        if t[i] != "ON":
            continue
        found = bracket(text[k])
        if found is None:
            continue
        other, opens = found
        if opens:
            if len(stack) == 63:  # BD16: give up on the rest of the sequence
                break
            stack.append((_canonical(other), i))
        else:
            mine = _canonical(text[k])
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == mine:
                    pairs.append((stack[depth][1], i))
                    del stack[depth:]
                    break
    pairs.sort()
    embedding = "R" if level % 2 else "L"
    for open_i, close_i in pairs:
        inside = {_strong(t[i]) for i in range(open_i + 1, close_i)} - {None}
        if embedding in inside:
            new = embedding
        elif inside:
            # Only the other direction inside: the pair takes the direction of the text
            # before it (which is either that other direction or the embedding one).
            new = sos
            for i in range(open_i - 1, -1, -1):
                s = _strong(t[i])
                if s:
                    new = s
                    break
        else:
            continue
        for i in (open_i, close_i):
            t[i] = new
            # Marks on a bracket follow it (they were ON after W1).
            j = i + 1
            while j < len(t) and classes[seq[j]] == "NSM":
                t[j] = new
                j += 1


def line_levels(text: str, levels: list[int], base: int) -> list[int]:
    """A line's levels with rule L1 applied to its end: trailing whitespace (and
    isolate marks) go back to the paragraph level."""
    out = list(levels)
    k = len(text) - 1
    while k >= 0 and bidi_class(text[k]) in _TRAILING:
        out[k] = base
        k -= 1
    return out


def line_order(levels: list[int]) -> list[int]:
    """Rule L2: the indices of a line's characters in visual order, left to right."""
    order = list(range(len(levels)))
    if not levels:
        return order
    top = max(levels)
    lowest_odd = min((v for v in levels if v % 2), default=top + 1)
    for level in range(top, lowest_odd - 1, -1):
        k = 0
        while k < len(order):
            if levels[order[k]] >= level:
                j = k
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[k:j] = order[k:j][::-1]
                k = j
            else:
                k += 1
    return order
