"""The words of the starter issue `compositor new` writes: a small garden club's
newsletter, written for this project. Sized so the issue fills its four fitted pages
with the last article cut at a sentence end (`excerpt: auto`), which leaves no holes
whatever the layout engine's next refinement moves by a line or two."""

PUBLICATION = """\
# The publication: shared by every issue (name it from each issue.yaml).
# yaml-language-server: $schema=schemas/publication.schema.json
name: Millbrook Sprout
tagline: News from the Millbrook community garden
publisher: Millbrook Garden Association
website: https://millbrook-garden.example.org
"""

MANIFEST = """\
# yaml-language-server: $schema=schemas/manifest.schema.json
# One issue: what goes in it, in reading order. Paths are relative to this file.
publication: publication.yaml
volume: 1
number: 1
date: {date}
language: en
layout: layout.yaml          # the look; see layout.yaml
pages: 4                     # fit the issue to one folded sheet (a multiple of 4)
articles:
  - articles/planting-day.md # the first article leads page 1
  - articles/seed-library.md
  - articles/pond.md
  - articles/compost.md
  - articles/kitchen.md
  - file: articles/history.md
    excerpt: auto            # the fitter cuts it at a sentence end to fill the pages
boxes:
  - file: boxes/about.md
    page: last
  - file: boxes/dates.md
    page: last
"""

LAYOUT = """\
# yaml-language-server: $schema=schemas/layout.schema.json
# This issue's look: everything not set here comes from '{parent}'.
# `compositor layout show issue.yaml` prints every value and where it comes from;
# `compositor watch issue.yaml` shows each change in the browser as you save.
extends: {parent}

page:
  size: A5                 # A4, A5, A3, Letter, Legal, Tabloid or [width, height]
  columns: 2               # try 3 on A4
  margin_inside: 15mm
  # margin_outside: 12mm

colors:
  accent: [65, 25, 85, 40]       # a garden green, in CMYK percent
  accent_light: [10, 0, 14, 0]   # behind the boxes

styles:
  masthead_name: {{size: 36, leading: 40}}   # only what changes; the rest is inherited
  title: {{size: 13, leading: 15.5}}
  # body: {{size: 9.8, leading: 13}}

article:
  drop_cap: lead           # none, lead or all

footer:
  right: "Page {{page}} of {{pages}}"
"""

PLANTING = """\
---
title: Planting day fills every bed before noon
byline: Ines Okafor
date: {date}
image: ../images/beds.jpg
caption: The raised beds along the east fence, planted and watered by eleven o'clock.
alt: Rows of raised vegetable beds under a pale morning sky.
---

Forty-one gardeners turned up on Saturday morning, trowels in hand, and by
eleven o'clock every one of the twenty-eight raised beds had been dug over,
planted and watered. The early start paid off: the rain that had been
promised for the afternoon arrived just as the last seed trays were stacked
back in the shed.

The children's bed by the gate went to beans and sunflowers this year, after
a vote that was closer than anyone expected. Marigolds were tucked between
the tomatoes along the south wall to keep the whitefly away, and the herb
spiral finally has its thyme back after last winter's frost.

## What went where

The committee kept a plan of the beds pinned to the shed door all morning,
and a photograph of it is now on the website. If you planted something that
is not on the plan, please add it in pencil the next time you are in.

Thanks go to the Rossi family for the loan of their wheelbarrows, and to
everyone who stayed to sweep the paths. The next work morning is on the first
Saturday of next month; bring gloves and a flask.
"""

SEEDS = """\
---
title: How the seed library works
toc_title: The seed library
byline: Tomasz Wren
---

The seed library lives in the old card-index cabinet inside the shed door. Each
drawer holds one family of plants, and each envelope is labelled with the
variety, the year it was saved and the gardener who saved it.

Borrowing is simple: take an envelope, write your name and the date on the
card in the front of the drawer, and plant. At the end of the season, save
seed from your best plants and bring back a little more than you took. Dry the
seed on a plate for a week before you fill a new envelope.

- Beans, peas and tomatoes are the easiest to save and the best to start with.
- Squash and sweetcorn cross readily, so their seed may not come true.
- Label everything, even when you are sure you will remember.

Last year the library lent out one hundred and twelve envelopes and received
ninety-three back. The committee would like to close that gap: if you have
seed to spare, the empty envelopes are in the top drawer.
"""

POND = """\
---
title: The wildlife pond, one year on
byline: Priya Halloran
image: ../images/pond.jpg
caption: The pond in late spring, with the yellow flag iris in flower at its shallow end.
alt: A small garden pond edged with stones and reeds, under a blue sky.
---

A year ago the corner behind the compost bays was a patch of nettles and broken
paving. Today it is the busiest place in the garden. The pond we dug last spring
is no bigger than a kitchen table, but it has changed what lives here.

The frogs came first, within three weeks of the pond filling with rain, and by
midsummer there were tadpoles in the shallows. Damselflies followed, then a pair
of blackbirds who now bathe on the flat stone at the edge every evening. Volunteers
counted nine kinds of dragonfly and damselfly over the summer, against two the year
before.

We have kept the planting to native species: water mint, marsh marigold, yellow
flag and a clump of purple loosestrife that has already needed cutting back. The
log pile beside the pond is for the beetles and should be left alone, however
untidy it looks.

Please do not add fish, frogspawn from other ponds or plants from garden
centres: each of them can bring in disease or take over. If you would like to
help, the pond team meets on the second Sunday of the month to clear the blanket
weed, and there are always spare waders.
"""

COMPOST = """\
---
title: Notes from the compost bays
byline: Dev Marsh
---

Our three compost bays turned roughly four tonnes of green waste into soil last
year, which is why the beds looked so dark and crumbly at planting day. The system
only works if everyone follows the same few rules, so here they are again.

Fill the left-hand bay. When it is full, the compost team turns it into the middle
bay, and the middle bay into the right-hand one, where it finishes. Take finished
compost only from the right-hand bay, and only from the front.

Greens and browns should go in roughly equal amounts. Greens are grass clippings,
vegetable peelings and spent plants; browns are cardboard, straw, dry leaves and
the shredded paper from the box by the gate. Too many greens and the bay turns
slimy and smells; too many browns and nothing happens at all.

Please keep out cooked food, meat, diseased plants and the roots of bindweed and
couch grass, which survive the heap and come back stronger. Woody prunings go on
the brash pile for the shredder day in autumn.
"""

KITCHEN = """\
---
title: From the garden kitchen
toc_title: Garden kitchen
byline: Marta Rossi
---

Every summer the same thing happens: the courgettes arrive all at once, and
nobody can give them away fast enough. These fritters are the answer, and they
use up the mint that is trying to escape from its pot by the shed.

Grate two large courgettes, salt them lightly and leave them in a sieve for
twenty minutes, then squeeze out as much water as you can with your hands. Mix
in two beaten eggs, four tablespoons of flour, a handful of chopped mint, some
crumbled feta and plenty of black pepper.

Fry spoonfuls in a little oil over a medium heat, three minutes a side, until
they are golden. Serve them warm with yoghurt and a squeeze of lemon. They keep
for a day in the fridge and are just as good cold in a lunchbox.

Have a recipe that uses something we grow too much of? Leave it in the post box
on the shed door and it may appear here next time.
"""

HISTORY = """\
---
title: A short history of the Millbrook site
toc_title: A history of the site
byline: Harold Achebe
url: https://millbrook-garden.example.org/history
---

The land the garden stands on has been cultivated, on and off, for more than a
hundred and fifty years. The oldest map we have found, in the county archive,
shows it as an orchard belonging to the mill that gave the town its name. The
mill ground corn for the farms along the valley, and its owners kept apples,
pears and a few plums on the slope behind the mill race.

When the mill closed, the orchard was sold to the town, and for a while it was
let as allotments to the families who lived in the terraces along Station Road.
A photograph from those years, now framed in the shed, shows rows of potatoes
and runner beans, and a line of washing strung between two of the old pear
trees. One of those trees still stands by the gate.

During the war the whole site was dug for vegetables, and the school across the
road kept a pig in the corner where the pond is now. Older members remember the
pig, who was called Duchess, better than they remember the vegetables.

In the years that followed the allotments fell out of use one by one. By the
time the town council put the site up for sale, most of it was bramble, and the
only regular visitors were foxes and the children who came to pick blackberries
in September. A group of neighbours asked the council to lease the land to them
instead, and after two years of letters and meetings the first lease was signed.

The first season was spent clearing. Volunteers pulled out brambles, carted away
rubble and found, under the nettles, the brick edging of the old allotment paths,
which we still use. The raised beds were built the following spring from timber
given by a builders' merchant, and the shed came from a member's garden on a
borrowed trailer.

Since then the garden has grown to twenty-eight beds, a pond, three compost bays,
a seed library and a waiting list. It is still run entirely by volunteers, and
the lease has been renewed twice. The council's next review is in three years,
and the committee is collecting stories, photographs and memories of the site to
show what it means to the town. If you have any, please bring them to a work
morning or send them to the secretary.

We are especially keen to hear from anyone whose family kept an allotment here,
and from anyone who remembers Duchess. Copies of everything will go into the
garden's own archive, and the originals will be returned.

The pear tree by the gate deserves a history of its own. Nobody knows exactly how
old it is, but a tree surgeon who looked at it last winter thought it was well
over a hundred years, which would make it one of the mill's own. It still
crops in good years, though the fruit is small and hard and best cooked. The
committee has had two young trees grafted from it, and they will be planted
along the north path this autumn so that the old variety carries on.

The brick paths have their own stories too. Several bricks near the shed carry
the stamp of a brickworks that closed before the First World War, and one has a
child's initials scratched into it, with a date that is hard to read. If you
find another marked brick, please leave it where it is and tell the secretary,
who is keeping a list.
"""

ABOUT = """\
---
title: About the garden
---

The Millbrook community garden is open every day from dawn to dusk. Beds are
shared between members; the waiting list is kept by the secretary.

**Work mornings:** first Saturday of the month, 9 am.
"""

DATES = """\
---
title: Dates for the diary
---

**Pond team:** second Sunday, 10 am.
**Compost turning:** last Saturday, 2 pm.
**Shredder day:** the first dry Saturday of October.
"""
