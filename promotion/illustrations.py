"""Illustrations the site draws for itself: Taihang ridges, terraces and canal water.

Each picture is drawn from its subject's slug, so the same slug always gives
the same picture and nothing is fetched from elsewhere.
"""

import hashlib
import math
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 1600, 900
PAPER = (250, 247, 242)
SKY_TOP = (233, 226, 214)
SLATE = (31, 42, 51)
STONE = (98, 110, 118)
CANAL = (11, 110, 105)
CANAL_LIGHT = (120, 183, 176)
FLAG_RED = (179, 18, 27)


def blend(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def ridge(rng: random.Random, base: float, amplitude: float, width: int) -> list[tuple[float, float]]:
    """A mountain line across the picture: a sum of a few sine waves."""
    waves = [(rng.uniform(0.5, 3.0), rng.uniform(0, math.tau), rng.uniform(0.3, 1.0)) for _ in range(4)]
    points = []
    for x in range(0, width + 20, 20):
        t = x / width
        y = base - amplitude * sum(w * math.sin(f * math.tau * t + p) for f, p, w in waves) / len(waves)
        points.append((x, y))
    return points


def draw_illustration(slug: str, width: int = WIDTH, height: int = HEIGHT) -> Image.Image:
    rng = random.Random(int(hashlib.sha256(slug.encode()).hexdigest(), 16))
    image = Image.new("RGB", (width, height), PAPER)
    draw = ImageDraw.Draw(image)

    for y in range(height):
        draw.line([(0, y), (width, y)], fill=blend(SKY_TOP, PAPER, y / height))

    sun_x, sun_y, sun_r = rng.uniform(0.15, 0.85) * width, height * rng.uniform(0.16, 0.3), height * 0.06
    draw.ellipse([sun_x - sun_r, sun_y - sun_r, sun_x + sun_r, sun_y + sun_r], fill=FLAG_RED)

    layers = 4
    for i in range(layers):
        shade = blend(STONE, SLATE, i / (layers - 1))
        shade = blend(shade, SKY_TOP, 0.55 - 0.18 * i)
        base = height * (0.42 + 0.09 * i)
        line = ridge(rng, base, height * (0.16 - 0.025 * i), width)
        draw.polygon([*line, (width, height), (0, height)], fill=shade)
        # Terraces cut into the nearer slopes.
        if i >= 2:
            for step in range(1, 6):
                offset = step * height * 0.025
                terrace = [(x, y + offset) for x, y in line]
                draw.line(terrace, fill=blend(shade, PAPER, 0.18), width=2)

    canal_top = height * rng.uniform(0.74, 0.8)
    canal = ridge(rng, canal_top, height * 0.02, width)
    draw.polygon([*canal, (width, height), (0, height)], fill=CANAL)
    for row in range(6):
        y0 = canal_top + (row + 1) * height * 0.03
        wave = [(x, y0 + 4 * math.sin(x / 37 + row)) for x in range(0, width + 10, 10)]
        draw.line(wave, fill=CANAL_LIGHT, width=2)

    return image.filter(ImageFilter.SMOOTH)


def save_illustration(slug: str, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    draw_illustration(slug).save(path, "JPEG", quality=82, optimize=True, progressive=True)
    return path
