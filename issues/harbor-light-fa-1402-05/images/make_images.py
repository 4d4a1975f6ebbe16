"""Draws the Persian sample issue's photos: river.jpg (a river at dawn with rowing boats)
and evening.jpg (the same reach at dusk, with a single scull).

Pillow only, seeded, deterministic. Run from this folder: python make_images.py
"""

import random

from PIL import Image, ImageDraw, ImageFilter

W, H = 1800, 1200


def mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def draw(path, seed, sky_top, sky_low, water_far, water_near, sun, sun_x, boats):
    rng = random.Random(seed)
    img = Image.new("RGB", (W, H))
    px = ImageDraw.Draw(img)
    horizon = int(H * 0.46)
    for y in range(horizon):  # sky: deep at the top, warm at the horizon
        px.line([(0, y), (W, y)], fill=mix(sky_top, sky_low, (y / horizon) ** 1.6))
    for y in range(horizon, H):  # water: the sky's colours, darker with distance
        t = (y - horizon) / (H - horizon)
        px.line([(0, y), (W, y)], fill=mix(water_far, water_near, t ** 0.7))
    glow = Image.new("L", (W, H))
    ImageDraw.Draw(glow).ellipse([sun_x - 100, horizon - 150, sun_x + 100, horizon + 50], fill=255)
    img.paste(sun, mask=glow.filter(ImageFilter.GaussianBlur(40)))
    # The far bank: a low treeline with a few poplars.
    bank = [(0, horizon)]
    x = 0
    while x <= W:
        bank.append((x, horizon - rng.randint(18, 46) - (rng.random() < 0.12) * rng.randint(40, 90)))
        x += rng.randint(14, 30)
    bank += [(W, horizon), (W, horizon + 12), (0, horizon + 12)]
    px.polygon(bank, fill=(40, 52, 48))
    # Ripples: short light strokes, denser and longer towards the viewer.
    for _ in range(1400):
        y = rng.randint(horizon + 14, H - 1)
        t = (y - horizon) / (H - horizon)
        x = rng.randint(0, W)
        length = int(8 + 60 * t * rng.random())
        px.line([(x, y), (x + length, y)], fill=mix(sky_low, (90, 120, 150), t), width=1 + int(2 * t))
    # Boats: a long dark hull, rowers and oars.
    for bx, by, scale, crew in boats:
        length = int(140 * scale + crew * 42 * scale)
        px.polygon([(bx, by), (bx + length, by), (bx + length - 18 * scale, by + 10 * scale),
                    (bx + 16 * scale, by + 10 * scale)], fill=(34, 30, 34))
        for k in range(crew):
            rx = bx + 40 * scale + k * (length - 80 * scale) / max(crew - 1, 1)
            px.ellipse([rx - 7 * scale, by - 40 * scale, rx + 7 * scale, by - 26 * scale], fill=(40, 34, 38))
            px.rectangle([rx - 6 * scale, by - 26 * scale, rx + 6 * scale, by], fill=(52, 70, 120))
            for side in (-1, 1):
                px.line([(rx, by - 12 * scale), (rx - 34 * scale, by + side * 34 * scale + 10 * scale)],
                        fill=(30, 28, 30), width=max(1, int(2 * scale)))
    img = img.filter(ImageFilter.GaussianBlur(0.8))
    img.save(path, quality=88, optimize=True)


draw("river.jpg", 1402, (54, 84, 140), (246, 190, 140), (214, 160, 126), (28, 52, 84),
     (255, 226, 170), 1280, ((260, 760, 1.0, 8), (980, 640, 0.6, 4), (1320, 900, 1.3, 2)))
draw("evening.jpg", 1403, (38, 36, 92), (226, 122, 96), (170, 96, 96), (20, 26, 56),
     (255, 170, 120), 420, ((700, 820, 1.6, 1),))
