"""Kashida: where an Arabic-script word may be lengthened to justify a line, and how far.

Persian and Arabic typesetters fill a justified line by drawing a joining stroke longer
(kashida, tatweel U+0640) as well as by widening word spaces. Where the stroke may grow
follows the priorities of Microsoft's published Arabic justification rules, which the
W3C note "Arabic and Persian Layout Requirements" describes too, from first choice to
last:

1. after a seen or sad (the stroke that leaves س ش ص ض);
2. before a final he, teh marbuta or dal (ه ة د ذ);
3. before a final alef, tah, lam, kaf or gaf;
4. before a medial beh-like letter that is followed by a final reh or yeh;
5. before a final waw, ain, qaf or feh;
6. before any other final letter;
7. between two medial letters.

Only two letters that join may be drawn apart: never across a non-joining letter (alef,
dal, reh, waw and their kin end a join), a zero-width non-joiner, or inside a ligature
(lam-alef, which shaping.py checks against HarfBuzz's clusters). One place per word, the
last of the best kind, as those rules choose. Latin words have no joining letters, so
they are never lengthened.
"""

from __future__ import annotations

import unicodedata

TATWEEL = "\u0640"
ZWNJ = "\u200c"
# The most a word is lengthened, in em, when its place is of the best kind; the weaker
# kinds give less (a stroke between two medial letters looks strained sooner).
MOST_EM = 0.5
_WEIGHT = {1: 1.0, 2: 1.0, 3: 0.9, 4: 0.8, 5: 0.7, 6: 0.6, 7: 0.4}


def _chars(*spans: str | tuple[int, int]) -> frozenset[str]:
    out: set[str] = set()
    for s in spans:
        if isinstance(s, tuple):
            out.update(chr(c) for c in range(s[0], s[1] + 1))
        else:
            out.update(s)
    return frozenset(out)


# Letters that join only to the letter before them (Unicode's joining type R).
_RIGHT = _chars("\u0622\u0623\u0624\u0625\u0627\u0629\u062f\u0630\u0631\u0632\u0648",
                (0x0671, 0x0673), (0x0675, 0x0677), (0x0688, 0x0699), "\u06c0",
                (0x06c3, 0x06cb), "\u06cd\u06cf\u06d2\u06d3\u06d5\u06ee\u06ef",
                (0x0759, 0x075b), "\u076b\u076c\u0771\u0773\u0774\u0778\u0779")
# Letters that join on both sides (type D).
_DUAL = _chars("\u0620\u0626\u0628", (0x062a, 0x062e), (0x0633, 0x063f), (0x0641, 0x0647),
               "\u0649\u064a\u066e\u066f", (0x0678, 0x0687), (0x069a, 0x06bf),
               "\u06c1\u06c2\u06cc\u06ce\u06d0\u06d1", (0x06fa, 0x06fc), "\u06ff",
               (0x0750, 0x0758), (0x075c, 0x076a), (0x076d, 0x0770), "\u0772",
               (0x0775, 0x0777), (0x077a, 0x077f))
_CAUSING = frozenset(TATWEEL + "\u200d")  # join on both sides and draw as a stroke

_SEEN_SAD = _chars((0x0633, 0x0636), "\u069a\u069b\u069c\u069d\u069e\u06fa\u06fb")
_FINAL_HEH_DAL = _chars("\u0647\u0629\u062f\u0630\u06c0\u06d5\u06c1\u0688\u0689\u068a")
_FINAL_ALEF_LAM_KAF = _chars("\u0627\u0622\u0623\u0625\u0671\u0637\u0638\u0644\u0643"
                             "\u06a9\u06af\u06aa\u06ab\u06ac\u06ad\u06ae\u06b0\u06b1\u06b3")
_BEH = _chars("\u0628\u062a\u062b\u0646\u064a\u06cc\u0626\u067e\u0679\u067b\u067d\u0680"
              "\u06ba\u06bb\u06bd\u0649")
_REH_YEH = _chars("\u0631\u0632\u0698\u0691\u064a\u06cc\u0649\u06d2\u06d3")
_FINAL_WAW_AIN_QAF = _chars("\u0648\u0624\u0639\u063a\u0642\u0641\u06a4\u06a6\u06c6"
                            "\u06c7\u06c8\u06cb")
_LAM = _chars("\u0644\u06b5\u06b6\u06b7\u06b8")
_ALEF = _chars("\u0622\u0623\u0625\u0627\u0671\u0672\u0673\u0675")


def _transparent(ch: str) -> bool:
    """Marks (vowel signs, shadda) sit on their letter and do not break a join."""
    return ch != ZWNJ and ch != "\u200d" and unicodedata.category(ch) in ("Mn", "Me", "Cf")


def _joins_after(ch: str) -> bool:
    return ch in _DUAL or ch in _CAUSING


def _joins_before(ch: str) -> bool:
    return ch in _DUAL or ch in _RIGHT or ch in _CAUSING


def places(word: str) -> list[tuple[int, int]]:
    """Every place a kashida may go in `word` (logical order), as (index, kind): the
    stroke is drawn before word[index], after the letter before it and that letter's
    marks. Best kinds first (1 = best); of one kind the last place in the word first."""
    letters = [(i, ch) for i, ch in enumerate(word) if not _transparent(ch)]
    found: list[tuple[int, int]] = []
    for k in range(len(letters) - 1):
        (_, a), (j, b) = letters[k], letters[k + 1]
        if a == TATWEEL or b == TATWEEL or not (_joins_after(a) and _joins_before(b)):
            continue
        if a in _LAM and b in _ALEF:
            continue  # lam-alef is one glyph
        after = letters[k + 2][1] if k + 2 < len(letters) else ""
        final = not (_joins_after(b) and after and _joins_before(after))
        if a in _SEEN_SAD:
            kind = 1
        elif final and b in _FINAL_HEH_DAL:
            kind = 2
        elif final and b in _FINAL_ALEF_LAM_KAF:
            kind = 3
        elif not final and b in _BEH and after in _REH_YEH and not (
                k + 3 < len(letters) and _joins_after(after)
                and _joins_before(letters[k + 3][1])):
            kind = 4
        elif final and b in _FINAL_WAW_AIN_QAF:
            kind = 5
        elif final:
            kind = 6
        else:
            kind = 7
        found.append((j, kind))
    found.sort(key=lambda p: (p[1], -p[0]))
    return found


def weight(kind: int) -> float:
    """How much of MOST_EM a word may be lengthened at a place of this kind."""
    return _WEIGHT[kind]
