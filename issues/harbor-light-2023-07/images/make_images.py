#!/usr/bin/env python3
"""Generate the stylised "photographs" and the logo for the sample issue.

Everything here is drawn from scratch with Pillow, so the images carry no
third-party rights (see LICENSE.md).  The output is deterministic: every
random choice comes from a seeded ``random.Random`` and no Pillow effect that
uses the C library's own random generator is called.

Usage (from anywhere)::

    python issues/harbor-light-2023-07/images/make_images.py

Writes:

* ``dawn-outing.jpg``    2400 x 1600  a coxless four on the river at dawn
* ``regatta-dock.jpg``   2000 x 2000  the boathouse and pontoon on regatta day
* ``../../assets/logo.png`` 600 x 600  the Harbor Light mark (RGBA)
"""

from __future__ import annotations

import math
import random
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

HERE = Path(__file__).resolve().parent
ASSETS = HERE.parent.parent / "assets"

JPEG_QUALITY = 88
PPI = 300


# --------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------

def lerp(a: float, b: float, t: float) -> float:
    return a + (b - a) * t


def lerp_rgb(c1, c2, t):
    return tuple(int(round(lerp(a, b, t))) for a, b in zip(c1, c2))


def vertical_gradient(size, stops):
    """RGB image with a vertical multi-stop gradient.

    ``stops`` is a list of ``(position 0..1, (r, g, b))`` sorted by position.
    """
    w, h = size
    column = Image.new("RGB", (1, h))
    px = column.load()
    for y in range(h):
        t = y / max(1, h - 1)
        for (p0, c0), (p1, c1) in zip(stops, stops[1:]):
            if p0 <= t <= p1:
                local = (t - p0) / max(1e-9, p1 - p0)
                # smoothstep for softer transitions
                local = local * local * (3 - 2 * local)
                px[0, y] = lerp_rgb(c0, c1, local)
                break
        else:
            px[0, y] = stops[-1][1] if t > stops[-1][0] else stops[0][1]
    return column.resize((w, h), Image.Resampling.NEAREST)


def grain(img: Image.Image, rng: random.Random, strength: float = 0.07,
          blur: float = 0.7) -> Image.Image:
    """Add seeded monochrome film grain."""
    w, h = img.size
    noise = Image.frombytes("L", (w, h), rng.randbytes(w * h))
    if blur:
        noise = noise.filter(ImageFilter.GaussianBlur(blur))
        # blurring flattens the noise towards 128: stretch it back
        noise = noise.point(lambda v: max(0, min(255, int(128 + (v - 128) * 3.0))))
    noise = noise.point(lambda v: int(128 + (v - 128) * strength))
    noise_rgb = Image.merge("RGB", (noise, noise, noise))
    return ImageChops.add(img, noise_rgb, 1.0, -128)


def vignette(img: Image.Image, amount: float = 0.35) -> Image.Image:
    w, h = img.size
    radial = Image.radial_gradient("L").resize((w, h), Image.Resampling.BICUBIC)
    # radial: 0 in the centre, 255 at the edge circle and beyond
    mask = radial.point(lambda v: int(255 * amount * max(0.0, (v / 255 - 0.45) / 0.55) ** 1.6))
    dark = Image.new("RGB", (w, h), (8, 8, 14))
    return Image.composite(dark, img, mask)


def soft_blob(size, box, blur, fill=255):
    """L mask with a blurred ellipse."""
    m = Image.new("L", size, 0)
    ImageDraw.Draw(m).ellipse(box, fill=fill)
    return m.filter(ImageFilter.GaussianBlur(blur))


def tint_layer(img, color, mask):
    layer = Image.new("RGB", img.size, color)
    return Image.composite(layer, img, mask)


def supersampled_mask(size, draw_fn, factor=3):
    """Draw with ``draw_fn(draw, s)`` at ``factor`` x size and downsample.

    ``s`` is the scale factor the callback must apply to coordinates.
    """
    w, h = size
    big = Image.new("L", (w * factor, h * factor), 0)
    draw_fn(ImageDraw.Draw(big), factor)
    return big.resize(size, Image.Resampling.LANCZOS)


def ripple_rows(img, rng, amp_top, amp_bottom, wavelength=38.0):
    """Shift each row horizontally by a smooth, seeded wave (water look)."""
    w, h = img.size
    out = Image.new(img.mode, img.size)
    phase1 = rng.uniform(0, math.tau)
    phase2 = rng.uniform(0, math.tau)
    for y in range(h):
        t = y / max(1, h - 1)
        amp = lerp(amp_top, amp_bottom, t)
        # perspective: waves get longer towards the viewer
        wl = wavelength * (0.35 + 1.4 * t)
        dx = amp * (0.65 * math.sin(y / wl + phase1)
                    + 0.35 * math.sin(y / (wl * 0.37) + phase2))
        dx += rng.uniform(-0.25, 0.25) * amp
        dx = int(round(dx))
        row = img.crop((0, y, w, y + 1))
        out.paste(row, (dx, y))
        if dx > 0:
            out.paste(row.crop((0, 0, dx, 1)), (0, y))
        elif dx < 0:
            out.paste(row.crop((w + dx, 0, w, 1)), (w + dx, y))
    return out


def treeline_polygon(rng, x0, x1, base_y, min_h, max_h, step=18):
    pts = [(x0, base_y)]
    hgt = (min_h + max_h) / 2
    x = x0
    while x <= x1:
        hgt += rng.uniform(-0.18, 0.18) * (max_h - min_h)
        hgt = max(min_h, min(max_h, hgt))
        bump = rng.uniform(0, 0.25) * (max_h - min_h)
        pts.append((x, base_y - hgt - bump))
        x += step * rng.uniform(0.6, 1.4)
    pts.append((x1, base_y))
    return pts


def save_jpeg(img: Image.Image, name: str) -> Path:
    path = HERE / name
    img.convert("RGB").save(path, "JPEG", quality=JPEG_QUALITY,
                            optimize=True, dpi=(PPI, PPI))
    return path


# --------------------------------------------------------------------------
# image 1: dawn outing
# --------------------------------------------------------------------------

def make_dawn(seed: int = 19) -> Image.Image:
    rng = random.Random(seed)
    W, H = 2400, 1600
    horizon = 860
    size = (W, H)

    sky = vertical_gradient((W, horizon), [
        (0.00, (24, 34, 72)),
        (0.30, (58, 66, 118)),
        (0.62, (168, 112, 126)),
        (0.86, (238, 160, 112)),
        (1.00, (252, 200, 138)),
    ])
    img = Image.new("RGB", size, (0, 0, 0))
    img.paste(sky, (0, 0))

    sun_x, sun_y = 1640, horizon - 70

    # broad warm glow around the sun
    glow = soft_blob(size, (sun_x - 520, sun_y - 380, sun_x + 520, sun_y + 380), 160, 200)
    img = tint_layer(img, (255, 196, 140), glow)
    glow2 = soft_blob(size, (sun_x - 170, sun_y - 150, sun_x + 170, sun_y + 150), 60, 230)
    img = tint_layer(img, (255, 226, 176), glow2)

    # long thin clouds lit from below
    clouds = Image.new("L", size, 0)
    cd = ImageDraw.Draw(clouds)
    for _ in range(16):
        cy = rng.uniform(140, horizon - 260)
        cx = rng.uniform(-200, W + 200)
        cw = rng.uniform(260, 820)
        ch = rng.uniform(14, 42)
        cd.ellipse((cx - cw, cy - ch, cx + cw, cy + ch), fill=int(rng.uniform(70, 150)))
    clouds = clouds.filter(ImageFilter.GaussianBlur(22))
    img = tint_layer(img, (246, 170, 150), clouds)
    under = ImageChops.offset(clouds, 0, 10).point(lambda v: int(v * 0.55))
    img = tint_layer(img, (120, 84, 120), under)

    # sun disc
    sun = supersampled_mask(size, lambda d, s: d.ellipse(
        ((sun_x - 46) * s, (sun_y - 46) * s, (sun_x + 46) * s, (sun_y + 46) * s), fill=255))
    img = tint_layer(img, (255, 244, 214), sun)

    # far bank: hazy hills, then a darker treeline with a church spire and boathouse
    far = Image.new("L", size, 0)
    fd = ImageDraw.Draw(far)
    fd.polygon(treeline_polygon(rng, -20, W + 20, horizon + 4, 30, 90, 60), fill=255)
    far = far.filter(ImageFilter.GaussianBlur(4))
    img = tint_layer(img, (118, 92, 118), far)

    def draw_trees(d, s):
        pts = treeline_polygon(rng, -20, W + 20, horizon + 6, 18, 70, 14)
        d.polygon([(x * s, y * s) for x, y in pts], fill=255)
        # individual rounded crowns
        for _ in range(90):
            x = rng.uniform(0, W)
            r = rng.uniform(16, 46)
            y = horizon - rng.uniform(20, 60)
            if 1450 < x < 1830:  # keep the sun clear-ish
                y += 28
            d.ellipse(((x - r) * s, (y - r) * s, (x + r) * s, (y + r) * s), fill=255)
        # church spire on the left bank
        bx = 430
        d.rectangle(((bx - 22) * s, (horizon - 150) * s, (bx + 22) * s, horizon * s), fill=255)
        d.polygon([((bx - 26) * s, (horizon - 150) * s), ((bx + 26) * s, (horizon - 150) * s),
                   (bx * s, (horizon - 250) * s)], fill=255)
        # boathouse roof on the right bank
        hx = 2020
        d.rectangle(((hx - 110) * s, (horizon - 64) * s, (hx + 110) * s, horizon * s), fill=255)
        d.polygon([((hx - 130) * s, (horizon - 64) * s), ((hx + 130) * s, (horizon - 64) * s),
                   (hx * s, (horizon - 120) * s)], fill=255)
    trees = supersampled_mask(size, draw_trees, 2)
    img = tint_layer(img, (52, 44, 70), trees)

    # low mist hanging over the water line
    mist = soft_blob(size, (-300, horizon - 40, W + 300, horizon + 40), 26, 150)
    img = tint_layer(img, (236, 196, 178), mist)

    # ---- water: rippled, darkened mirror of everything above the horizon
    above = img.crop((0, horizon - (H - horizon), W, horizon))
    refl = above.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    refl = refl.filter(ImageFilter.GaussianBlur(3))
    refl = ripple_rows(refl, rng, amp_top=2, amp_bottom=26)
    water_tone = vertical_gradient(refl.size, [
        (0.0, (140, 100, 112)), (0.5, (60, 58, 92)), (1.0, (22, 26, 50))])
    refl = Image.blend(refl, water_tone, 0.42)
    img.paste(refl, (0, horizon))

    # glitter path below the sun
    glit = Image.new("L", size, 0)
    gd = ImageDraw.Draw(glit)
    for _ in range(900):
        t = rng.random() ** 1.3
        y = horizon + 8 + t * (H - horizon - 40)
        spread = 40 + t * 320
        x = sun_x + rng.gauss(0, spread * 0.45)
        ln = rng.uniform(8, 30) * (1 + 3 * t)
        th = rng.uniform(0.8, 2.2) * (1 + 2 * t)
        gd.ellipse((x - ln, y - th, x + ln, y + th), fill=int(rng.uniform(90, 240) * (1 - 0.5 * t)))
    glit = glit.filter(ImageFilter.GaussianBlur(1.6))
    img = tint_layer(img, (255, 222, 170), glit)

    # dark ripple lines across the whole river
    dark = Image.new("L", size, 0)
    dd = ImageDraw.Draw(dark)
    for _ in range(1400):
        t = rng.random() ** 1.6
        y = horizon + 6 + t * (H - horizon)
        x = rng.uniform(-100, W + 100)
        ln = rng.uniform(20, 70) * (1 + 4 * t)
        th = rng.uniform(0.6, 1.5) * (1 + 3 * t)
        dd.ellipse((x - ln, y - th, x + ln, y + th), fill=int(rng.uniform(40, 110)))
    dark = dark.filter(ImageFilter.GaussianBlur(1.4))
    img = tint_layer(img, (20, 22, 44), dark)

    # ---- the boat: a coxless four, rowing left to right, mid-stroke
    water_y = 1080          # waterline of the hull
    x0, x1 = 520, 1560      # bow/stern tips

    def draw_boat(d, s, flip=False):
        def P(x, y):
            if flip:
                y = 2 * water_y - y
            return (x * s, y * s)

        def E(a, b):  # ellipse box from two corners, in either order
            return [min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])]

        # hull: a long sliver with pointed ends
        hull = [P(x0, water_y - 4)]
        for i in range(0, 41):
            t = i / 40
            x = lerp(x0, x1, t)
            depth = 15 * math.sin(math.pi * t) ** 0.6
            hull.append(P(x, water_y - 6 - depth * 0.55))
        hull.append(P(x1, water_y - 4))
        for i in range(40, -1, -1):
            t = i / 40
            x = lerp(x0, x1, t)
            depth = 8 * math.sin(math.pi * t) ** 0.6
            hull.append(P(x, water_y + depth * 0.25))
        d.polygon(hull, fill=255)

        seats = [700, 900, 1100, 1300]
        for i, sx in enumerate(seats):
            lean = 0.35  # leaning back slightly: the drive phase
            hip = (sx, water_y - 16)
            shoulder = (sx - 60 * lean, water_y - 118)
            head = (shoulder[0] - 8, shoulder[1] - 30)
            # torso
            d.line([P(*hip), P(*shoulder)], fill=255, width=int(34 * s))
            d.ellipse(E(P(hip[0] - 20, hip[1] - 18), P(hip[0] + 26, hip[1] + 8)), fill=255)
            # head + cap
            d.ellipse(E(P(head[0] - 19, head[1] - 21), P(head[0] + 19, head[1] + 19)), fill=255)
            d.polygon([P(head[0] - 16, head[1] - 10), P(head[0] + 30, head[1] - 6),
                       P(head[0] + 10, head[1] - 20)], fill=255)
            # thighs and shins
            knee = (sx + 70, water_y - 44)
            foot = (sx + 118, water_y - 14)
            d.line([P(*hip), P(*knee), P(*foot)], fill=255, width=int(20 * s), joint="curve")
            # arms drawn towards the chest
            hand = (sx + 34, water_y - 78)
            d.line([P(*shoulder), P(hand[0] - 10, hand[1] + 10), P(*hand)], fill=255,
                   width=int(14 * s), joint="curve")
            # rigger pin and oar: sweep oars alternate sides; the near ones
            # run down towards the camera, the far ones are foreshortened
            pin = (sx + 40, water_y - 30)
            if i % 2 == 0:
                blade = (sx - 150, water_y + 150)
                width = 9
            else:
                blade = (sx - 40, water_y - 6)
                width = 6
            handle = (hand[0] + 10, hand[1])
            d.line([P(*handle), P(*pin), P(*blade)], fill=255, width=int(width * s))
            if i % 2 == 0:
                bx, by = blade
                d.ellipse(E(P(bx - 40, by - 12), P(bx + 26, by + 10)), fill=255)
            # rigger
            d.line([P(sx + 10, water_y - 8), P(*pin), P(sx + 70, water_y - 8)],
                   fill=255, width=int(5 * s))
        # bow ball and fin hint
        d.ellipse(E(P(x1 - 8, water_y - 12), P(x1 + 6, water_y - 2)), fill=255)

    boat = supersampled_mask(size, lambda d, s: draw_boat(d, s), 3)
    boat_refl = supersampled_mask(size, lambda d, s: draw_boat(d, s, flip=True), 3)
    # the reflection lives only below the waterline, rippled and faint
    cut = Image.new("L", size, 0)
    ImageDraw.Draw(cut).rectangle((0, water_y + 2, W, H), fill=255)
    boat_refl = ImageChops.multiply(boat_refl, cut)
    boat_refl = ripple_rows(boat_refl, rng, amp_top=3, amp_bottom=16, wavelength=9)
    boat_refl = boat_refl.filter(ImageFilter.GaussianBlur(2.2)).point(lambda v: int(v * 0.55))
    img = tint_layer(img, (18, 16, 34), boat_refl)

    # puddles left by the blades: small bright/dark rings on the water
    pud = Image.new("L", size, 0)
    pdr = ImageDraw.Draw(pud)
    for k, px_ in enumerate((560, 360, 160, -40)):
        r = 40 + k * 10
        py = water_y + 150 + k * 4
        pdr.ellipse((px_ + 400 - r, py - r * 0.22, px_ + 400 + r, py + r * 0.22),
                    outline=int(200 - k * 40), width=3)
    pud = pud.filter(ImageFilter.GaussianBlur(2))
    img = tint_layer(img, (250, 210, 170), pud)

    # a faint warm rim light on the silhouettes (sun is behind, to the right)
    rim = ImageChops.subtract(boat, ImageChops.offset(boat, -4, 2))
    rim = rim.filter(ImageFilter.GaussianBlur(1.2)).point(lambda v: int(v * 0.7))
    img = tint_layer(img, (16, 14, 26), boat)
    img = tint_layer(img, (255, 170, 110), rim)

    # a couple of gulls
    def draw_gulls(d, s):
        for gx, gy, span in ((1180, 330, 34), (1270, 300, 24), (980, 420, 18)):
            d.line([(gx - span) * s, (gy - 6) * s, (gx - span * 0.45) * s, (gy - 12) * s,
                    gx * s, gy * s], fill=255, width=int(4 * s), joint="curve")
            d.line([gx * s, gy * s, (gx + span * 0.45) * s, (gy - 12) * s,
                    (gx + span) * s, (gy - 6) * s], fill=255, width=int(4 * s), joint="curve")
    gulls = supersampled_mask(size, draw_gulls, 3)
    img = tint_layer(img, (40, 36, 64), gulls)

    # slight overall softness, like a real lens, then vignette and grain
    img = img.filter(ImageFilter.GaussianBlur(0.6))
    img = vignette(img, 0.42)
    img = grain(img, rng, strength=0.09)
    return img


# --------------------------------------------------------------------------
# image 2: boathouse and pontoon on regatta day
# --------------------------------------------------------------------------

NAVY = (24, 44, 86)
GOLD = (226, 170, 52)


def make_regatta(seed: int = 20) -> Image.Image:
    rng = random.Random(seed)
    W, H = 2000, 2000
    size = (W, H)
    horizon = 1010

    sky = vertical_gradient((W, horizon), [
        (0.0, (70, 124, 196)),
        (0.55, (132, 178, 226)),
        (1.0, (206, 224, 236)),
    ])
    img = Image.new("RGB", size, (0, 0, 0))
    img.paste(sky, (0, 0))

    # cumulus: clusters of blurred blobs with a grey underside
    for cx, cy, scale in ((380, 250, 1.0), (1350, 170, 1.3), (1780, 420, 0.8), (860, 520, 0.6)):
        body = Image.new("L", size, 0)
        shade = Image.new("L", size, 0)
        bd, sd = ImageDraw.Draw(body), ImageDraw.Draw(shade)
        for _ in range(26):
            ox = rng.gauss(0, 150 * scale)
            oy = rng.gauss(0, 36 * scale) - abs(ox) * 0.12
            r = rng.uniform(50, 110) * scale
            bd.ellipse((cx + ox - r, cy + oy - r, cx + ox + r, cy + oy + r * 0.8), fill=235)
            sd.ellipse((cx + ox - r, cy + oy + r * 0.2, cx + ox + r, cy + oy + r * 0.9), fill=120)
        body = body.filter(ImageFilter.GaussianBlur(18 * scale))
        shade = ImageChops.multiply(shade.filter(ImageFilter.GaussianBlur(24 * scale)), body)
        img = tint_layer(img, (250, 251, 252), body)
        img = tint_layer(img, (170, 180, 200), shade)

    # far shore: hazy green hills and trees
    hills = Image.new("L", size, 0)
    ImageDraw.Draw(hills).polygon(treeline_polygon(rng, -20, W + 20, horizon, 60, 170, 50), fill=255)
    hills = hills.filter(ImageFilter.GaussianBlur(5))
    img = tint_layer(img, (120, 150, 142), hills)
    trees = Image.new("L", size, 0)
    td = ImageDraw.Draw(trees)
    td.polygon(treeline_polygon(rng, -20, W + 20, horizon + 4, 20, 80, 16), fill=255)
    for _ in range(70):
        x = rng.uniform(0, W)
        r = rng.uniform(18, 50)
        y = horizon - rng.uniform(20, 70)
        td.ellipse((x - r, y - r, x + r, y + r), fill=255)
    trees = trees.filter(ImageFilter.GaussianBlur(3))
    img = tint_layer(img, (66, 98, 70), trees)
    # light dapples in the foliage
    dap = Image.new("L", size, 0)
    dpd = ImageDraw.Draw(dap)
    for _ in range(260):
        x = rng.uniform(0, W)
        y = horizon - rng.uniform(10, 100)
        r = rng.uniform(4, 12)
        dpd.ellipse((x - r, y - r, x + r, y + r), fill=int(rng.uniform(60, 140)))
    dap = ImageChops.multiply(dap.filter(ImageFilter.GaussianBlur(3)), trees)
    img = tint_layer(img, (140, 170, 110), dap)

    # water on the right-hand side
    water_top = horizon
    above = img.crop((0, water_top - (H - water_top), W, water_top))
    refl = above.transpose(Image.Transpose.FLIP_TOP_BOTTOM).filter(ImageFilter.GaussianBlur(4))
    refl = ripple_rows(refl, rng, amp_top=3, amp_bottom=30)
    tone = vertical_gradient(refl.size, [(0.0, (110, 150, 170)), (1.0, (34, 66, 92))])
    refl = Image.blend(refl, tone, 0.5)
    img.paste(refl, (0, water_top))
    sparkle = Image.new("L", size, 0)
    spd = ImageDraw.Draw(sparkle)
    for _ in range(900):
        t = rng.random() ** 1.4
        y = water_top + 6 + t * (H - water_top)
        x = rng.uniform(0, W)
        ln = rng.uniform(8, 30) * (1 + 3 * t)
        th = rng.uniform(0.8, 1.8) * (1 + 2 * t)
        spd.ellipse((x - ln, y - th, x + ln, y + th), fill=int(rng.uniform(60, 200)))
    sparkle = sparkle.filter(ImageFilter.GaussianBlur(1.3))
    img = tint_layer(img, (236, 244, 248), sparkle)

    # slight depth-of-field: everything so far is background
    img = img.filter(ImageFilter.GaussianBlur(1.8))

    # ---- bank and boathouse on the left
    def draw_bank(d, s):
        d.polygon([(0, (horizon - 20) * s), (1180 * s, (horizon - 20) * s), (1300 * s, (horizon + 80) * s),
                   (1150 * s, 1400 * s), (0, 1400 * s)], fill=255)
    bank = supersampled_mask(size, draw_bank, 2)
    img = tint_layer(img, (92, 128, 70), bank)
    grass = Image.new("L", size, 0)
    gd = ImageDraw.Draw(grass)
    for _ in range(5000):
        x = rng.uniform(0, 1250)
        y = rng.uniform(horizon - 20, 1400)
        gd.line((x, y, x + rng.uniform(-3, 3), y - rng.uniform(6, 18)), fill=int(rng.uniform(40, 200)), width=2)
    grass = ImageChops.multiply(grass.filter(ImageFilter.GaussianBlur(0.8)), bank)
    img = tint_layer(img, (150, 180, 96), grass)

    bx0, bx1 = 120, 1120        # boathouse walls
    wall_top, wall_bot = 560, 1030
    peak = (620, 300)
    # shadowed end wall and roof
    roof = supersampled_mask(size, lambda d, s: d.polygon(
        [((bx0 - 50) * s, (wall_top + 20) * s), (peak[0] * s, (peak[1] - 14) * s),
         ((bx1 + 50) * s, (wall_top + 20) * s), ((bx1 + 50) * s, (wall_top + 44) * s),
         (peak[0] * s, (peak[1] + 12) * s), ((bx0 - 50) * s, (wall_top + 44) * s)], fill=255), 2)
    gable = supersampled_mask(size, lambda d, s: d.polygon(
        [(bx0 * s, wall_top * s), (peak[0] * s, peak[1] * s), (bx1 * s, wall_top * s),
         (bx1 * s, wall_bot * s), (bx0 * s, wall_bot * s)], fill=255), 2)
    # clapboard: white paint with shading gradient
    wall_col = vertical_gradient(size, [(0.0, (236, 232, 222)), (0.5, (222, 218, 206)), (1.0, (196, 190, 178))])
    img = Image.composite(wall_col, img, gable)
    boards = Image.new("L", size, 0)
    bd = ImageDraw.Draw(boards)
    y = peak[1] + 20
    while y < wall_bot:
        bd.line((0, y, W, y), fill=150, width=3)
        bd.line((0, y + 3, W, y + 3), fill=60, width=2)
        y += 26
    boards = ImageChops.multiply(boards.filter(ImageFilter.GaussianBlur(0.7)), gable)
    img = tint_layer(img, (150, 146, 138), boards)
    # soft shadow under the eaves
    eave = soft_blob(size, (bx0 - 80, wall_top - 10, bx1 + 80, wall_top + 70), 22, 150)
    eave = ImageChops.multiply(eave, gable)
    img = tint_layer(img, (120, 116, 110), eave)
    img = tint_layer(img, (60, 66, 78), roof)

    # round window in the gable, navy trim
    win = supersampled_mask(size, lambda d, s: d.ellipse(
        ((peak[0] - 60) * s, 380 * s, (peak[0] + 60) * s, 500 * s), fill=255), 3)
    img = tint_layer(img, NAVY, win)
    win_in = supersampled_mask(size, lambda d, s: d.ellipse(
        ((peak[0] - 46) * s, 394 * s, (peak[0] + 46) * s, 486 * s), fill=255), 3)
    img = tint_layer(img, (150, 186, 214), win_in)
    cross = supersampled_mask(size, lambda d, s: (
        d.line((peak[0] * s, 394 * s, peak[0] * s, 486 * s), fill=255, width=8 * s),
        d.line(((peak[0] - 46) * s, 440 * s, (peak[0] + 46) * s, 440 * s), fill=255, width=8 * s)), 3)
    img = tint_layer(img, NAVY, cross)

    # club name board (plain stripes: navy with a gold rule)
    board = supersampled_mask(size, lambda d, s: d.rounded_rectangle(
        (360 * s, 590 * s, 880 * s, 650 * s), radius=8 * s, fill=255), 2)
    img = tint_layer(img, NAVY, board)
    rule = supersampled_mask(size, lambda d, s: d.rectangle(
        (380 * s, 616 * s, 860 * s, 624 * s), fill=255), 2)
    img = tint_layer(img, GOLD, rule)

    # two open bay doors with boats racked inside
    for dx0 in (190, 660):
        dx1 = dx0 + 380
        door = supersampled_mask(size, lambda d, s: d.rectangle(
            (dx0 * s, 700 * s, dx1 * s, wall_bot * s), fill=255), 2)
        interior = vertical_gradient(size, [(0.0, (26, 24, 24)), (1.0, (58, 52, 46))])
        img = Image.composite(interior, img, door)
        for ry, col in ((750, (230, 226, 214)), (810, (214, 182, 60)), (870, (236, 236, 232)),
                        (930, (170, 60, 48)), (985, (230, 226, 214))):
            hull = supersampled_mask(size, lambda d, s: d.ellipse(
                ((dx0 - 30) * s, (ry - 9) * s, (dx1 + 60) * s, (ry + 9) * s), fill=255), 2)
            hull = ImageChops.multiply(hull, door)
            shade = vertical_gradient(size, [(0.0, col), (1.0, lerp_rgb(col, (0, 0, 0), 0.6))])
            img = Image.composite(shade, img, hull.point(lambda v: int(v * 0.75)))
            rack = supersampled_mask(size, lambda d, s: d.rectangle(
                (dx0 * s, (ry + 10) * s, dx1 * s, (ry + 14) * s), fill=255), 2)
            img = tint_layer(img, (90, 70, 50), rack.point(lambda v: int(v * 0.7)))
        # door frame
        frame = supersampled_mask(size, lambda d, s: d.rectangle(
            ((dx0 - 12) * s, 688 * s, (dx1 + 12) * s, wall_bot * s), outline=255, width=12 * s), 2)
        img = tint_layer(img, NAVY, frame)

    # ground shadow along the wall
    gshadow = soft_blob(size, (bx0 - 60, wall_bot - 20, bx1 + 120, wall_bot + 60), 18, 170)
    gshadow = ImageChops.multiply(gshadow, ImageChops.invert(gable))
    img = tint_layer(img, (40, 60, 34), gshadow)

    # flagpole with the club pennant
    def draw_flag(d, s):
        d.line((1260 * s, 220 * s, 1260 * s, 1000 * s), fill=255, width=7 * s)
        d.ellipse((1252 * s, 210 * s, 1268 * s, 226 * s), fill=255)
    pole = supersampled_mask(size, draw_flag, 3)
    img = tint_layer(img, (230, 230, 228), pole)
    flag = supersampled_mask(size, lambda d, s: d.polygon(
        [(1264 * s, 232 * s), (1400 * s, 250 * s), (1440 * s, 280 * s), (1420 * s, 300 * s),
         (1264 * s, 330 * s)], fill=255), 3)
    img = tint_layer(img, NAVY, flag)
    stripe = supersampled_mask(size, lambda d, s: d.polygon(
        [(1264 * s, 270 * s), (1425 * s, 276 * s), (1430 * s, 290 * s), (1264 * s, 292 * s)], fill=255), 3)
    img = tint_layer(img, GOLD, stripe)

    # bunting from the gable peak to the flagpole
    def catenary(xa, ya, xb, yb, sag, n):
        pts = []
        for i in range(n + 1):
            t = i / n
            pts.append((lerp(xa, xb, t), lerp(ya, yb, t) + sag * 4 * t * (1 - t)))
        return pts
    line_pts = catenary(peak[0], peak[1] + 6, 1258, 360, 110, 22)
    colors = [NAVY, GOLD, (200, 60, 50), (240, 240, 236), (40, 120, 150)]
    string = supersampled_mask(size, lambda d, s: d.line(
        [(x * s, y * s) for x, y in line_pts], fill=255, width=3 * s), 3)
    img = tint_layer(img, (70, 70, 70), string)
    for i, ((xa, ya), (xb, yb)) in enumerate(zip(line_pts, line_pts[1:])):
        mx, my = (xa + xb) / 2, (ya + yb) / 2
        pen = supersampled_mask(size, lambda d, s: d.polygon(
            [(xa * s, ya * s), (xb * s, yb * s), ((mx + 2) * s, (my + 40) * s)], fill=255), 3)
        img = tint_layer(img, colors[i % len(colors)], pen)

    # ---- pontoon in perspective, running out into the water (right)
    def draw_pontoon(d, s):
        d.polygon([(860 * s, 1180 * s), (1500 * s, 1150 * s), (2050 * s, 1330 * s),
                   (2050 * s, 1560 * s), (760 * s, 1520 * s)], fill=255)
    pont = supersampled_mask(size, draw_pontoon, 2)
    deck = vertical_gradient(size, [(0.0, (168, 146, 116)), (1.0, (126, 104, 80))])
    img = Image.composite(deck, img, pont)
    planks = Image.new("L", size, 0)
    pld = ImageDraw.Draw(planks)
    for i in range(1, 30):
        t = i / 30
        y_left = lerp(1180, 1520, t)
        y_right = lerp(1150, 1560, t)
        pld.line((700, y_left - 6, 2050, y_right + 170 * (1 - t) - 6), fill=150, width=2 + int(2 * t))
    planks = ImageChops.multiply(planks.filter(ImageFilter.GaussianBlur(0.8)), pont)
    img = tint_layer(img, (90, 72, 54), planks)
    # pontoon edge and shadow on the water
    edge = supersampled_mask(size, lambda d, s: d.polygon(
        [(760 * s, 1520 * s), (2050 * s, 1560 * s), (2050 * s, 1600 * s), (760 * s, 1548 * s)], fill=255), 2)
    img = tint_layer(img, (62, 50, 40), edge)
    wshadow = soft_blob(size, (700, 1540, 2200, 1660), 24, 160)
    wshadow = ImageChops.multiply(wshadow, ImageChops.invert(pont))
    img = tint_layer(img, (22, 40, 58), wshadow)

    # two shells on slings on the pontoon: a yellow pair and a white single
    def shell(y, x0, x1, thick, col, rigger_col):
        hull = supersampled_mask(size, lambda d, s: d.polygon(
            [(x0 * s, y * s)]
            + [((lerp(x0, x1, i / 30)) * s,
                (y - thick * math.sin(math.pi * i / 30) ** 0.5) * s) for i in range(31)]
            + [((lerp(x0, x1, i / 30)) * s,
                (y + thick * 0.8 * math.sin(math.pi * i / 30) ** 0.5) * s) for i in range(30, -1, -1)],
            fill=255), 3)
        # local shading: lighter top half, darker underside
        top = Image.new("L", size, 0)
        ImageDraw.Draw(top).rectangle((0, 0, W, y - 2), fill=255)
        top = top.filter(ImageFilter.GaussianBlur(4))
        img2 = tint_layer(img_ref[0], lerp_rgb(col, (0, 0, 0), 0.28), hull)
        img2 = tint_layer(img2, col, ImageChops.multiply(hull, top))
        highlight = supersampled_mask(size, lambda d, s: d.line(
            [(lerp(x0, x1, 0.08) * s, (y - thick * 0.55) * s), (lerp(x0, x1, 0.9) * s, (y - thick * 0.55) * s)],
            fill=255, width=3 * s), 3)
        img2 = tint_layer(img2, lerp_rgb(col, (255, 255, 255), 0.6), highlight.point(lambda v: int(v * 0.8)))
        # riggers
        rig = supersampled_mask(size, lambda d, s: [d.line(
            (rx * s, (y - thick) * s, (rx + 30) * s, (y - thick - 36) * s, (rx + 60) * s, (y - thick) * s),
            fill=255, width=5 * s) for rx in (lerp(x0, x1, 0.35), lerp(x0, x1, 0.6))], 3)
        img2 = tint_layer(img2, rigger_col, rig)
        img_ref[0] = img2

    img_ref = [img]
    # slings (trestles) first so the boats sit on them
    def trestles(d, s):
        for tx, ty, hgt in ((1060, 1290, 100), (1560, 1300, 110), (1180, 1408, 112), (1740, 1410, 122)):
            d.line(((tx - 30) * s, (ty + hgt) * s, tx * s, ty * s, (tx + 30) * s, (ty + hgt) * s),
                   fill=255, width=8 * s)
            d.line(((tx - 36) * s, ty * s, (tx + 36) * s, ty * s), fill=255, width=6 * s)
    tr = supersampled_mask(size, trestles, 2)
    img_ref[0] = tint_layer(img_ref[0], (40, 36, 34), tr)
    shell(1290, 880, 1900, 16, (226, 184, 40), (30, 30, 34))
    shell(1398, 960, 2060, 19, (240, 240, 236), (200, 50, 44))
    img = img_ref[0]

    # people: club kit in navy and gold, a few spectators
    def person(cx, foot_y, height, shirt, shorts=(40, 40, 48), skin=(214, 168, 132), facing=1):
        head_r = height * 0.075
        body = supersampled_mask(size, lambda d, s: (
            # legs
            d.line(((cx - height * 0.05) * s, (foot_y - height * 0.45) * s,
                    (cx - height * 0.07) * s, foot_y * s), fill=255, width=int(height * 0.075 * s)),
            d.line(((cx + height * 0.05) * s, (foot_y - height * 0.45) * s,
                    (cx + height * 0.06) * s, foot_y * s), fill=255, width=int(height * 0.075 * s)),
        ), 2)
        nonlocal_img[0] = tint_layer(nonlocal_img[0], skin, body)
        shorts_m = supersampled_mask(size, lambda d, s: d.rounded_rectangle(
            ((cx - height * 0.11) * s, (foot_y - height * 0.5) * s,
             (cx + height * 0.11) * s, (foot_y - height * 0.36) * s), radius=int(6 * s), fill=255), 2)
        nonlocal_img[0] = tint_layer(nonlocal_img[0], shorts, shorts_m)
        torso = supersampled_mask(size, lambda d, s: d.rounded_rectangle(
            ((cx - height * 0.12) * s, (foot_y - height * 0.84) * s,
             (cx + height * 0.12) * s, (foot_y - height * 0.48) * s), radius=int(height * 0.06 * s), fill=255), 2)
        arms = supersampled_mask(size, lambda d, s: (
            d.line(((cx - height * 0.12) * s, (foot_y - height * 0.8) * s,
                    (cx - height * 0.16) * s, (foot_y - height * 0.5) * s), fill=255, width=int(height * 0.055 * s)),
            d.line(((cx + height * 0.12) * s, (foot_y - height * 0.8) * s,
                    (cx + height * 0.17 * facing) * s, (foot_y - height * 0.52) * s), fill=255,
                   width=int(height * 0.055 * s))), 2)
        nonlocal_img[0] = tint_layer(nonlocal_img[0], skin, arms)
        nonlocal_img[0] = tint_layer(nonlocal_img[0], shirt, torso)
        head = supersampled_mask(size, lambda d, s: d.ellipse(
            ((cx - head_r) * s, (foot_y - height * 0.84 - head_r * 2.1) * s,
             (cx + head_r) * s, (foot_y - height * 0.84 + head_r * 0.1) * s), fill=255), 3)
        nonlocal_img[0] = tint_layer(nonlocal_img[0], skin, head)
        hair = supersampled_mask(size, lambda d, s: d.chord(
            ((cx - head_r * 1.05) * s, (foot_y - height * 0.84 - head_r * 2.2) * s,
             (cx + head_r * 1.05) * s, (foot_y - height * 0.84 - head_r * 0.3) * s), 180, 360, fill=255), 3)
        nonlocal_img[0] = tint_layer(nonlocal_img[0], (50, 36, 28), hair)
        shadow = soft_blob(size, (cx - height * 0.2, foot_y - 8, cx + height * 0.3, foot_y + 10), 6, 140)
        nonlocal_img[0] = tint_layer(nonlocal_img[0], (30, 30, 30), shadow)

    nonlocal_img = [img]
    # people standing on the bank near the boathouse (smaller, further away)
    for cx, fy, hgt, shirt in ((1150, 1110, 150, (200, 60, 50)), (1210, 1116, 140, (240, 240, 236)),
                               (90, 1130, 160, (60, 120, 150))):
        person(cx, fy, hgt, shirt)
    # crew on the pontoon (closer, larger)
    for cx, fy, hgt, shirt in ((1320, 1250, 250, NAVY), (1420, 1262, 240, GOLD),
                               (900, 1440, 300, NAVY), (1010, 1452, 290, (240, 240, 236))):
        person(cx, fy, hgt, shirt, shorts=NAVY)
    img = nonlocal_img[0]

    # foreground: out-of-focus reeds along the lower left corner
    reeds = Image.new("L", size, 0)
    rd = ImageDraw.Draw(reeds)
    for _ in range(140):
        x = rng.uniform(-40, 700) if rng.random() < 0.8 else rng.uniform(700, 1000)
        top = rng.uniform(1500, 1820) + max(0, x - 500) * 0.4
        bend = rng.uniform(-60, 60)
        rd.line((x, H + 20, x + bend * 0.5, (H + top) / 2, x + bend, top), fill=255,
                width=int(rng.uniform(6, 14)), joint="curve")
    reeds = reeds.filter(ImageFilter.GaussianBlur(7))
    img = tint_layer(img, (44, 70, 40), reeds)
    reeds_hi = ImageChops.offset(reeds, -4, 0).point(lambda v: int(v * 0.4))
    img = tint_layer(img, (150, 170, 90), ImageChops.multiply(reeds_hi, ImageChops.invert(reeds.point(lambda v: min(255, v * 2)))))

    img = img.filter(ImageFilter.GaussianBlur(0.5))
    img = vignette(img, 0.3)
    img = grain(img, rng, strength=0.08)
    return img


# --------------------------------------------------------------------------
# logo
# --------------------------------------------------------------------------

def make_logo(size: int = 600) -> Image.Image:
    f = 4                       # supersampling factor
    S = size * f
    c = S / 2
    img = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)

    def u(v):                   # design units: 0..600
        return v * f

    # badge: gold ring around a navy disc
    d.ellipse((u(8), u(8), u(592), u(592)), fill=GOLD + (255,))
    d.ellipse((u(30), u(30), u(570), u(570)), fill=NAVY + (255,))

    # light beams
    beams = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    bd = ImageDraw.Draw(beams)
    lamp = (u(300), u(186))
    bd.polygon([lamp, (u(60), u(110)), (u(60), u(200))], fill=(255, 220, 120, 150))
    bd.polygon([lamp, (u(540), u(110)), (u(540), u(200))], fill=(255, 220, 120, 150))
    disc = Image.new("L", (S, S), 0)
    ImageDraw.Draw(disc).ellipse((u(30), u(30), u(570), u(570)), fill=255)
    beams.putalpha(ImageChops.multiply(beams.getchannel("A"), disc))
    img = Image.alpha_composite(img, beams)
    d = ImageDraw.Draw(img)

    # crossed oars behind the tower, blades up, clipped to the disc
    oars = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    od = ImageDraw.Draw(oars)

    def oar(angle_deg):
        a = math.radians(angle_deg)
        dx, dy = math.cos(a), math.sin(a)      # points from handle to blade
        cx, cy = 300, 400
        L = 230
        x0, y0 = cx - dx * L, cy - dy * L      # handle end (hidden by the waves)
        bx, by = cx + dx * L * 0.72, cy + dy * L * 0.72
        od.line((u(x0), u(y0), u(bx), u(by)), fill=GOLD + (255,), width=u(14))
        # blade: an asymmetric "cleaver" quad at the far end
        px, py = -dy, dx
        blade = [(bx - px * 8, by - py * 8), (bx + dx * 96 - px * 14, by + dy * 96 - py * 14),
                 (bx + dx * 104 + px * 26, by + dy * 104 + py * 26), (bx + px * 14, by + py * 14)]
        od.polygon([(u(x), u(y)) for x, y in blade], fill=GOLD + (255,))
        # collar (button) on the loom
        cxl, cyl = cx + dx * 40, cy + dy * 40
        od.line((u(cxl), u(cyl), u(cxl + dx * 16), u(cyl + dy * 16)),
                fill=(245, 236, 210, 255), width=u(22))
    oar(-135)   # blade to the upper left
    oar(-45)    # blade to the upper right
    oars.putalpha(ImageChops.multiply(oars.getchannel("A"), disc))
    img = Image.alpha_composite(img, oars)
    d = ImageDraw.Draw(img)

    # lighthouse tower (tapered) with red bands
    base_y, top_y = 470, 210
    bw, tw = 58, 36
    tower = [(300 - bw, base_y), (300 - tw, top_y), (300 + tw, top_y), (300 + bw, base_y)]
    d.polygon([(u(x), u(y)) for x, y in tower], fill=(246, 244, 238, 255))
    for yb0, yb1 in ((250, 290), (330, 370), (410, 450)):
        def half_w(y):
            t = (y - top_y) / (base_y - top_y)
            return lerp(tw, bw, t)
        band = [(300 - half_w(yb0), yb0), (300 + half_w(yb0), yb0),
                (300 + half_w(yb1), yb1), (300 - half_w(yb1), yb1)]
        d.polygon([(u(x), u(y)) for x, y in band], fill=(196, 54, 46, 255))
    # gallery, lantern and cap
    d.rectangle((u(252), u(200), u(348), u(214)), fill=(40, 40, 46, 255))
    d.rectangle((u(268), u(160), u(332), u(200)), fill=(255, 222, 120, 255))
    d.line((u(289), u(160), u(289), u(200)), fill=(40, 40, 46, 255), width=u(4))
    d.line((u(311), u(160), u(311), u(200)), fill=(40, 40, 46, 255), width=u(4))
    d.polygon([(u(260), u(162)), (u(300), u(122)), (u(340), u(162))], fill=(196, 54, 46, 255))
    d.ellipse((u(293), u(110), u(307), u(124)), fill=(40, 40, 46, 255))
    # door
    d.rounded_rectangle((u(288), u(430), u(312), u(470)), radius=u(10), fill=NAVY + (255,))

    # waves along the bottom, clipped to the disc
    waves = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    wd = ImageDraw.Draw(waves)
    wd.rectangle((0, u(470), S, S), fill=(36, 80, 128, 255))
    for row, yy in enumerate((486, 520, 556)):
        pts = []
        for i in range(0, 121):
            x = i * 5
            pts.append((u(x), u(yy + 8 * math.sin((x + row * 30) / 22))))
        wd.line(pts, fill=(246, 244, 238, 255), width=u(7), joint="curve")
    waves.putalpha(ImageChops.multiply(waves.getchannel("A"), disc))
    img = Image.alpha_composite(img, waves)

    return img.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    out = []
    dawn = make_dawn()
    out.append(save_jpeg(dawn, "dawn-outing.jpg"))
    regatta = make_regatta()
    out.append(save_jpeg(regatta, "regatta-dock.jpg"))
    ASSETS.mkdir(parents=True, exist_ok=True)
    logo_path = ASSETS / "logo.png"
    make_logo().save(logo_path, "PNG", optimize=True, dpi=(PPI, PPI))
    out.append(logo_path)
    for p in out:
        print(p)


if __name__ == "__main__":
    main()
