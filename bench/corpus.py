"""Deterministic benchmark corpus: issue folders of roughly 4, 16, 64 and 256 pages.

Usage::

    python bench/corpus.py [--sizes 4,16,64,256] [--out bench/corpus] [--seed 2026]

Each size N becomes ``<out>/issue-NNN/`` with an ``issue.yaml`` manifest, Markdown articles
in ``articles/`` and a handful of seeded photos in ``images/``.  The prose comes from a
small sentence grammar (below), so it has realistic variety: short and long words, numbers,
money, percentages, quotations, names, parentheses, the odd very long word and bare URLs.

The same seed always produces byte-identical files.  A stamp file records the generator
version and parameters; an issue whose stamp matches is not written again.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFilter

DEFAULT_SIZES = (4, 16, 64, 256)
DEFAULT_SEED = 2026
DEFAULT_OUT = Path(__file__).resolve().parent / "corpus"

# A 3-column A4 page at 9.5/12.5 pt holds ~1,000 words of running text.  Headlines,
# photos, subheads and the page-1 masthead eat into that, so the budget below counts
# words plus a word-equivalent cost for each of those (calibrated against
# plain_reportlab.py: 4, 16, 63 and 254 pages for the default seed).
WORDS_PER_PAGE = 905
PHOTO_COST = 130  # a 1600x1000 photo at column width plus its caption
HEADLINE_COST = 45  # headline, byline/date line and the space around them
SUBHEAD_COST = 12
LIST_COST = 15
MASTHEAD_COST = 500  # masthead band across page 1 and the contents list heading
TOC_ENTRY_COST = 14

PHOTO_COUNT = 5
PHOTO_SIZE = (1600, 1000)
PUBLICATION = {
    "name": "Bench Gazette",
    "tagline": "News, notices and long reads from the Vale of Benchmark",
    "publisher": "Bench Gazette Community Press",
    "website": "https://bench.example.org",
}

# --------------------------------------------------------------------------- vocabulary

FIRST_NAMES = [
    "Amara",
    "Ben",
    "Chloé",
    "Dev",
    "Eleanor",
    "Farid",
    "Grace",
    "Hamish",
    "Ingrid",
    "Jonah",
    "Kaveh",
    "Lucía",
    "Maeve",
    "Nikhil",
    "Olu",
    "Priya",
    "Quentin",
    "Rosa",
    "Siobhan",
    "Tomasz",
    "Ugo",
    "Valentina",
    "Wen",
    "Xavier",
    "Yusuf",
    "Zofia",
    "Anneliese",
    "Bartholomew",
    "Cressida",
    "Dmitri",
]
SURNAMES = [
    "Abernethy",
    "Bhattacharya",
    "Carr",
    "Delacroix",
    "Evans",
    "Fitzgerald",
    "Gallagher",
    "Hoang",
    "Iwu",
    "Jankowski",
    "Kowalczyk",
    "Lindqvist",
    "MacLeod",
    "Nakamura",
    "O'Sullivan",
    "Pereira",
    "Quigley",
    "Rahman",
    "Schwarzenegger",
    "Tan",
    "Underwood",
    "Vasquez",
    "Whitfield",
    "Xu",
    "Yardley",
    "Zielinski",
    "Featherstonehaugh",
    "Ng",
    "Oyelaran",
    "Brown",
]
PLACES = [
    "Millbrook",
    "Ashcombe",
    "Little Wenlow",
    "Harrowgate",
    "Upper Stoke",
    "Kingsmere",
    "Fenwick",
    "Dunmore",
    "Broadwater",
    "Thornbury",
    "Eastleigh",
    "Marlowe-on-Sea",
    "Cresswell",
    "Llanfairpwllgwyngyll",
    "Saltash",
    "Ravensworth",
]
ORGANISATIONS = [
    "the parish council",
    "the county library service",
    "Millbrook Rugby Club",
    "the Vale Allotment Society",
    "the district health board",
    "St Anne’s Primary School",
    "the Harrowgate Historical Association",
    "the regional transport authority",
    "Kingsmere Community Choir",
    "the Friends of Broadwater Park",
    "the chamber of commerce",
    "the volunteer fire brigade",
    "the Thornbury Repair Café",
    "the youth football league",
]
ROLES = [
    "chair",
    "treasurer",
    "head teacher",
    "spokesperson",
    "project manager",
    "secretary",
    "founder",
    "head of operations",
    "lead volunteer",
    "councillor",
]
ADJECTIVES = [
    "new",
    "old",
    "local",
    "busy",
    "quiet",
    "ambitious",
    "modest",
    "long-awaited",
    "controversial",
    "popular",
    "sturdy",
    "temporary",
    "permanent",
    "green",
    "narrow",
    "generous",
    "remarkable",
    "unexpected",
    "seasonal",
    "affordable",
    "historic",
    "experimental",
    "overdue",
    "successful",
    "cautious",
    "energetic",
    "weatherproof",
    "independent",
    "straightforward",
    "comprehensive",
    "intergenerational",
    "well-attended",
    "fragile",
    "muddy",
]
NOUNS = [
    "bridge",
    "library",
    "footpath",
    "garden",
    "festival",
    "budget",
    "survey",
    "proposal",
    "market",
    "hall",
    "playground",
    "roof",
    "bus",
    "route",
    "allotment",
    "bakery",
    "choir",
    "museum",
    "exhibition",
    "workshop",
    "scheme",
    "fund",
    "report",
    "orchard",
    "cycle",
    "lane",
    "pavilion",
    "meadow",
    "clinic",
    "harbour",
    "bandstand",
    "railway",
    "timetable",
    "newsletter",
    "consultation",
    "refurbishment",
    "partnership",
    "apprenticeship",
    "volunteer",
    "committee",
    "petition",
    "infrastructure",
    "accessibility",
]
PLURALS = {
    "library": "libraries",
    "bakery": "bakeries",
    "survey": "surveys",
    "railway": "railways",
    "committee": "committees",
    "partnership": "partnerships",
    "apprenticeship": "apprenticeships",
    "infrastructure": "infrastructure",
    "accessibility": "accessibility",
    "bus": "buses",
    "lane": "lanes",
}
VERBS_PAST = [
    "approved",
    "opened",
    "rejected",
    "welcomed",
    "reviewed",
    "delayed",
    "funded",
    "repaired",
    "launched",
    "extended",
    "celebrated",
    "criticised",
    "questioned",
    "postponed",
    "redesigned",
    "inspected",
    "praised",
    "restored",
    "reconsidered",
    "commissioned",
]
VERBS_PRESENT = [
    "backs",
    "opens",
    "rejects",
    "welcomes",
    "reviews",
    "delays",
    "funds",
    "repairs",
    "launches",
    "extends",
    "celebrates",
    "questions",
    "restores",
    "commissions",
]
ADVERBS = [
    "quietly",
    "finally",
    "unexpectedly",
    "unanimously",
    "reluctantly",
    "swiftly",
    "eventually",
    "narrowly",
    "enthusiastically",
    "provisionally",
]
SAY_VERBS = ["said", "explained", "added", "admitted", "insisted", "noted", "warned", "told us"]
SHORT_SENTENCES = [
    "Nobody disagreed.",
    "It rained, of course.",
    "Not everyone was convinced.",
    "The vote was close.",
    "Then the lights went out.",
    "Watch this space.",
    "Tea was served at half past four.",
    "Twelve hands went up.",
]
TIME_PHRASES = [
    "last week",
    "on Tuesday evening",
    "earlier this month",
    "after a two-hour meeting",
    "in the spring",
    "before Christmas",
    "over the summer holidays",
    "at the annual general meeting",
    "for the third year running",
    "since 1987",
]
CONNECTIVES = [
    "However,",
    "Meanwhile,",
    "In the end,",
    "Even so,",
    "As a result,",
    "Perhaps surprisingly,",
    "By contrast,",
    "For now,",
    "Nevertheless,",
    "In practice,",
]
SUBORDINATORS = ["although", "because", "while", "after", "before", "even though", "since"]
PREPOSITIONS = ["near", "behind", "beside", "opposite", "along", "beyond", "next to", "above"]
LONG_WORDS = [
    "internationalisation",
    "counterrevolutionaries",
    "electroencephalography",
    "incomprehensibilities",
    "Donaudampfschifffahrtsgesellschaft",
    "pneumonoultramicroscopicsilicovolcanoconiosis",
    "antidisestablishmentarianism",
    "compartmentalisation",
    "uncharacteristically",
    "Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz",
]
QUOTES = [
    "We have waited a long time for this, and it shows what a small village can do",
    "Nobody expected the response to be quite so overwhelming",
    "It is not perfect, but it is a start",
    "The numbers simply did not add up",
    "Bring wellies, because the lower field will be muddy",
    "Frankly, it’s the best thing to happen here in a decade",
    "We’ll be back next year with twice as many volunteers",
    "If you have an old bicycle in the shed, we can probably fix it",
    "This is about the next generation, not about us",
    "Every penny raised goes straight back into the garden",
]
URL_PATHS = [
    "/events/2026/spring-fair",
    "/council/minutes/2026-01-14",
    "/volunteer",
    "/library/opening-hours?branch=millbrook&season=winter",
    "/reports/annual-budget-2025-26.pdf",
    "/news/2026/01/bridge-reopening-schedule-and-diversions",
    "/clubs/allotments/waiting-list",
]
LIST_ITEMS = [
    "bring a reusable cup",
    "doors open at 7.30 pm",
    "tickets cost £5 (children free)",
    "parking is available behind the village hall",
    "dogs on leads are welcome",
    "the café will accept cards only",
    "step-free access via the north entrance",
    "volunteers should arrive by 9 am",
    "rain date: the following Saturday",
    "contact the secretary for large-print copies",
    "refreshments provided by the Women’s Institute",
    "bicycle racks are next to the pavilion",
]


def plural(noun: str) -> str:
    if noun in PLURALS:
        return PLURALS[noun]
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


# ------------------------------------------------------------------------------ grammar


class Prose:
    """A seeded sentence grammar that writes newsletter-like English."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def pick(self, seq):
        return self.rng.choice(seq)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    # ----- small pieces

    def person(self) -> str:
        return f"{self.pick(FIRST_NAMES)} {self.pick(SURNAMES)}"

    def money(self) -> str:
        return f"£{self.rng.randint(1, 950):,}{self.pick(['', ',000', ' million', '.50'])}"

    def count(self) -> str:
        if self.chance(0.3):
            return f"{self.rng.randint(1000, 48000):,}"
        return str(self.rng.randint(3, 250))

    def number(self) -> str:
        kind = self.rng.randrange(6)
        if kind == 0:
            return f"{self.rng.randint(2, 99)} per cent"
        if kind == 1:
            return self.money()
        if kind == 2:
            return f"{self.rng.randint(2, 12)}.{self.rng.randint(0, 9)} km"
        if kind == 3:
            day = self.rng.randint(1, 28)
            month = self.pick(["January", "February", "March", "April", "May", "June"])
            return f"{day} {month}"
        if kind == 4:
            return str(self.rng.randint(1850, 2025))
        return self.count()

    def noun_phrase(self, plural_ok: bool = True) -> str:
        noun = self.pick(NOUNS)
        if plural_ok and self.chance(0.3):
            head = plural(noun)
            det = self.pick(["the", "several", "two", "some", "most of the", "all the"])
        else:
            head = noun
            det = self.pick(["the", "a", "the", "this", "their", "our"])
            if det == "a" and head[0] in "aeiou":
                det = "an"
        words = [det]
        if self.chance(0.55):
            adj = self.pick(ADJECTIVES)
            if det == "a" and adj[0] in "aeiou":
                words[0] = "an"
            elif det == "an" and adj[0] not in "aeiou":
                words[0] = "a"
            words.append(adj)
        words.append(head)
        if self.chance(0.25):
            words.append(f"{self.pick(PREPOSITIONS)} {self.pick(PLACES)}")
        return " ".join(words)

    def subject(self) -> str:
        r = self.rng.random()
        if r < 0.35:
            return self.pick(ORGANISATIONS)
        if r < 0.55:
            return self.person()
        if r < 0.7:
            return f"residents of {self.pick(PLACES)}"
        return self.noun_phrase()

    def clause(self) -> str:
        parts = [self.subject()]
        if self.chance(0.2):
            parts.append(self.pick(ADVERBS))
        parts.append(self.pick(VERBS_PAST))
        parts.append(self.noun_phrase())
        if self.chance(0.4):
            parts.append(self.pick(TIME_PHRASES))
        if self.chance(0.25):
            parts.append(f"at a cost of {self.money()}")
        return " ".join(parts)

    # ----- sentences

    def sentence(self) -> str:
        r = self.rng.random()
        if r < 0.30:
            text = self.clause()
        elif r < 0.45:
            text = f"{self.pick(CONNECTIVES)} {self.clause()}"
        elif r < 0.58:
            text = f"{self.clause()} {self.pick(SUBORDINATORS)} {self.clause()}"
        elif r < 0.68:
            return self.quotation()
        elif r < 0.76:
            text = (
                f"{self.clause()}, and {self.count()} people "
                f"{self.pick(['signed up', 'turned out', 'replied', 'came along'])}"
            )
        elif r < 0.82:
            text = f"{self.clause()} ({self.parenthetical()})"
        elif r < 0.86:
            text = (
                f"Details are at {PUBLICATION['website']}{self.pick(URL_PATHS)}, "
                f"or ask {self.pick(ORGANISATIONS)}"
            )
        elif r < 0.89:
            word = self.pick(LONG_WORDS)
            text = f"{self.clause()}, a case of what one member called *{word}*"
        elif r < 0.92:
            return self.pick(SHORT_SENTENCES)
        else:
            text = f"{self.clause()}; {self.clause()}, {self.pick(SUBORDINATORS)} {self.clause()}"
        text = text[0].upper() + text[1:]
        return text + self.pick([".", ".", ".", ".", "!", "?"] if r > 0.9 else ["."])

    def parenthetical(self) -> str:
        return self.pick(
            [
                f"see page {self.rng.randint(2, 9)}",
                f"up from {self.number()} last year",
                f"founded in {self.rng.randint(1890, 2015)}",
                "weather permitting",
                f"about {self.number()}",
                "details below",
            ]
        )

    def quotation(self) -> str:
        said = self.pick(SAY_VERBS)
        who = self.person()
        role = f"{self.pick(ROLES)} of {self.pick(ORGANISATIONS)}"
        quote = self.pick(QUOTES)
        if self.chance(0.5):
            return f"“{quote},” {said} {who}, {role}."
        return f"{who}, {role}, {said}: “{quote}.”"

    def paragraph(self, sentences: int) -> str:
        text = " ".join(self.sentence() for _ in range(sentences))
        # Sprinkle inline emphasis and links the way editors do.
        if self.chance(0.15):
            words = text.split(" ")
            i = self.rng.randrange(len(words))
            if words[i].isalpha() and len(words[i]) > 4:
                words[i] = f"**{words[i]}**"
            text = " ".join(words)
        if self.chance(0.12):
            text += (
                f" [Read the minutes]({PUBLICATION['website']}{self.pick(URL_PATHS)})"
                " or come to the next meeting."
            )
        return text

    def headline(self) -> str:
        head = self.rng.random()
        if head < 0.4:
            text = f"{self.pick(ORGANISATIONS)} {self.pick(VERBS_PRESENT)} {self.noun_phrase()}"
        elif head < 0.7:
            adj = self.pick(ADJECTIVES)
            text = f"{adj} {self.pick(NOUNS)} for {self.pick(PLACES)}"
        elif head < 0.85:
            text = (
                f"{self.pick(PLACES)}: {self.pick(ADJECTIVES)} {self.pick(NOUNS)} "
                f"{self.pick(VERBS_PAST)} {self.pick(TIME_PHRASES)}"
            )
        else:
            text = f"Why {self.noun_phrase()} matters to {self.pick(PLACES)}"
        text = text.replace("the ", "", 1) if text.startswith("the ") else text
        return text[0].upper() + text[1:]


# ------------------------------------------------------------------------------- articles


@dataclass
class Article:
    slug: str
    title: str
    words: int
    image: str | None
    markdown: str
    excerpt: int | None = None
    front: dict = field(default_factory=dict)

    def budget_cost(self) -> int:
        """Approximate word-equivalent space this article takes on the page."""
        body = self.words if self.excerpt is None else min(self.words, self.excerpt + 20)
        cost = body + HEADLINE_COST + TOC_ENTRY_COST
        if self.image:
            cost += PHOTO_COST
        if self.excerpt is None:
            cost += SUBHEAD_COST * self.markdown.count("\n## ")
            cost += LIST_COST * self.markdown.count("\n\n- ") + LIST_COST * self.markdown.count(
                "\n\n1. "
            )
        return cost


def article_length(rng: random.Random) -> int:
    """150-1500 words, skewed towards the short end as in real newsletters."""
    return int(rng.triangular(150, 1500, 380))


def build_article(prose: Prose, index: int, photos: list[str], room: int) -> Article:
    """One article of 150-1500 words, shortened to ``room`` words to end the issue."""
    rng = prose.rng
    target = max(150, min(article_length(rng), room))
    slug = f"a{index:03d}"
    blocks: list[str] = []
    words = 0
    since_subhead = 0
    while words < target:
        if target > 500 and since_subhead > rng.randint(220, 420) and target - words > 120:
            heading = prose.headline()
            blocks.append(f"## {heading}")
            since_subhead = 0
            continue
        if words > 60 and rng.random() < 0.07:
            items = rng.sample(LIST_ITEMS, rng.randint(3, 6))
            marker = "1." if rng.random() < 0.35 else "-"
            numbered = marker == "1."
            lines = [
                f"{f'{n}.' if numbered else '-'} {item[0].upper()}{item[1:]}"
                for n, item in enumerate(items, start=1)
            ]
            blocks.append("\n".join(lines))
            count = sum(len(item.split()) for item in items)
        else:
            para = prose.paragraph(rng.randint(1, 6) if rng.random() < 0.9 else 9)
            blocks.append(para)
            count = len(para.split())
        words += count
        since_subhead += count

    day = rng.randint(1, 28)
    front: dict = {
        "title": prose.headline(),
        "byline": f"{prose.person()}" if rng.random() < 0.85 else None,
        "date": datetime.date(2026, 1, day),
        "url": f"{PUBLICATION['website']}/2026/01/{slug}",
    }
    image = None
    if rng.random() < 0.4 or index == 1:  # the lead story always has a photo
        image = f"../images/{rng.choice(photos)}"
        front["image"] = image
        front["caption"] = prose.sentence()
    front = {k: v for k, v in front.items() if v is not None}
    header = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000)
    markdown = f"---\n{header}---\n\n" + "\n\n".join(blocks) + "\n"
    return Article(slug, front["title"], words, image, markdown, front=front)


# --------------------------------------------------------------------------------- photos


def make_photo(path: Path, seed: int) -> None:
    """A seeded 'landscape photo': sky gradient, hills, blobs, fine grain.  ~1600x1000."""
    rng = random.Random(seed)
    w, h = PHOTO_SIZE
    top = (rng.randint(60, 140), rng.randint(110, 180), rng.randint(180, 240))
    bottom = (rng.randint(200, 255), rng.randint(180, 230), rng.randint(150, 210))
    sky = Image.linear_gradient("L").resize((w, h))
    img = Image.composite(Image.new("RGB", (w, h), bottom), Image.new("RGB", (w, h), top), sky)
    draw = ImageDraw.Draw(img)
    for _ in range(rng.randint(8, 16)):  # clouds, trees, buildings
        x, y = rng.randrange(w), rng.randrange(h // 2)
        r = rng.randint(20, 160)
        shade = tuple(rng.randint(40, 255) for _ in range(3))
        draw.ellipse((x - r, y - r // 2, x + r, y + r // 2), fill=shade)
    for layer in range(3):  # rolling hills, darker towards the front
        base = h // 2 + layer * h // 8
        pts = [(0, h)]
        for x in range(0, w + 100, 100):
            pts.append((x, base + rng.randint(-60, 60)))
        pts.append((w, h))
        green = (30 + 20 * layer + rng.randint(0, 30), 90 + rng.randint(0, 60), 40 + 10 * layer)
        draw.polygon(pts, fill=green)
    img = img.filter(ImageFilter.GaussianBlur(2))
    noise = Image.frombytes("L", (w, h), rng.randbytes(w * h)).convert("RGB")
    img = Image.blend(img, noise, 0.08)
    img.save(path, "JPEG", quality=85, optimize=True)


# ---------------------------------------------------------------------------------- issue


def build_issue(pages: int, seed: int, photos: list[str]) -> tuple[dict, list[Article]]:
    rng = random.Random(seed * 1000 + pages)
    prose = Prose(rng)
    budget = pages * WORDS_PER_PAGE - MASTHEAD_COST
    articles: list[Article] = []
    used = 0
    while used < budget:
        room = budget - used - HEADLINE_COST - TOC_ENTRY_COST
        art = build_article(prose, len(articles) + 1, photos, room)
        if rng.random() < 0.15 and art.words > 300:
            art.excerpt = rng.choice([100, 150, 200])
        articles.append(art)
        used += art.budget_cost()

    entries: list = []
    for art in articles:
        path = f"articles/{art.slug}.md"
        entries.append({"file": path, "excerpt": art.excerpt} if art.excerpt else path)
    manifest = {
        "publication": dict(PUBLICATION),
        "volume": 1,
        "number": {4: 1, 16: 2, 64: 3, 256: 4}.get(pages, 9),
        "date": "January 2026",
        "language": "en",
        "articles": entries,
    }
    return manifest, articles


def generator_digest() -> str:
    """Changes whenever this file changes, so stale corpora are rewritten."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]


def issue_dir(out: Path, pages: int) -> Path:
    return out / f"issue-{pages:03d}"


def write_issue(out: Path, pages: int, seed: int, log: Callable[[str], None] = print) -> Path:
    """Write one issue folder (skipped when an up-to-date stamp is present)."""
    folder = issue_dir(out, pages)
    stamp = {"generator": generator_digest(), "seed": seed, "pages": pages}
    stamp_file = folder / ".stamp.json"
    if stamp_file.exists() and json.loads(stamp_file.read_text()) == stamp:
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "articles").mkdir(parents=True)
    (folder / "images").mkdir()

    photos = [f"photo-{i}.jpg" for i in range(1, PHOTO_COUNT + 1)]
    shared = out / "_photos" / f"seed-{seed}-{generator_digest()}"
    shared.mkdir(parents=True, exist_ok=True)
    for i, name in enumerate(photos, start=1):
        src = shared / name
        if not src.exists():
            make_photo(src, seed * 100 + i)
        shutil.copyfile(src, folder / "images" / name)

    manifest, articles = build_issue(pages, seed, photos)
    for art in articles:
        (folder / "articles" / f"{art.slug}.md").write_text(art.markdown, encoding="utf-8")
    text = yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True, width=1000)
    (folder / "issue.yaml").write_text(text, encoding="utf-8")
    stamp_file.write_text(json.dumps(stamp))
    words = sum(a.words for a in articles)
    log(f"corpus: wrote {folder} ({len(articles)} articles, {words:,} words)")
    return folder


def generate(sizes, out: Path = DEFAULT_OUT, seed: int = DEFAULT_SEED, log=print) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    return [write_issue(out, n, seed, log) for n in sizes]


def parse_sizes(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=parse_sizes, default=list(DEFAULT_SIZES))
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    for folder in generate(args.sizes, args.out, args.seed):
        print(folder / "issue.yaml")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
