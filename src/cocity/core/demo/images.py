"""Covers and portraits for the demo: illustrations drawn with Pillow, not photographs.

Each picture is drawn from a seed (the row's slug or name), so every space, event, commons and
pact gets its own colours and shapes, the same on every run: a sky in two tones, a sun, hills and
a few blocks of a skyline. They say nothing the page does not say, so they are stored as
*decorative* (``alt=""``), and they go through the same path as an upload (``cocity.core.images``:
checked, resized to every width, WebP, no metadata).

An app's ``demo.py`` calls ``attach_cover(row)`` (or ``attach_portrait(speaker)``) for its rows;
a row that already has a picture keeps it, so a second run writes no file.
"""

from __future__ import annotations

import functools
import io
import random
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from cocity.core import images

# Two sky tones, then the colours of the sun, the hills and the buildings.
PALETTES = (
    ("#fde2c8", "#f6a57a", "#fff3b0", ("#3d6b59", "#2d5446"), ("#26415e", "#3b5b7d", "#5d7fa3")),
    ("#cfe8f6", "#8ec5e6", "#fff7d6", ("#6a994e", "#386641"), ("#3d405b", "#81667a", "#e07a5f")),
    ("#f3e8ff", "#c4b5fd", "#fde68a", ("#7c3aed", "#5b21b6"), ("#1e1b4b", "#4338ca", "#6366f1")),
    ("#e0f2f1", "#80cbc4", "#ffe0b2", ("#00796b", "#004d40"), ("#263238", "#455a64", "#ff7043")),
    ("#fff1e6", "#ffb4a2", "#ffe5d9", ("#6d597a", "#355070"), ("#355070", "#b56576", "#e56b6f")),
    ("#e9f5db", "#b5c99a", "#fefae0", ("#718355", "#4a5a36"), ("#283618", "#606c38", "#bc6c25")),
    ("#e3f2fd", "#64b5f6", "#fffde7", ("#1565c0", "#0d47a1"), ("#102a43", "#243b53", "#f0b429")),
    ("#fce4ec", "#f48fb1", "#fff8e1", ("#ad1457", "#880e4f"), ("#311b92", "#4a148c", "#ff8f00")),
)


def illustration(seed: str, *, size: tuple[int, int] = (1440, 810)) -> bytes:
    """A JPEG landscape drawn from ``seed``: distinct per seed, the same for the same seed."""
    rng = random.Random(seed)  # noqa: S311 - shapes for pictures, not secrets
    sky_top, sky_bottom, sun, hills, blocks = PALETTES[rng.randrange(len(PALETTES))]
    width, height = size
    top, bottom = Image.new("RGB", size, sky_top), Image.new("RGB", size, sky_bottom)
    mask = Image.linear_gradient("L").resize(size)
    image = Image.composite(bottom, top, mask)
    draw = ImageDraw.Draw(image, "RGBA")
    radius = rng.randint(height // 10, height // 5)
    cx, cy = rng.randint(radius, width - radius), rng.randint(radius, height // 2)
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=sun)
    for index, colour in enumerate(hills):  # two rows of hills, the nearer one lower and darker
        base = height * (0.55 + 0.12 * index)
        points: list[tuple[float, float]] = [(0, height)]
        for x in range(0, width + 200, 200):
            points.append((x, base + rng.randint(-height // 12, height // 12)))
        points.append((width, height))
        draw.polygon(points, fill=colour)
    x = rng.randint(0, width // 6)
    while x < width:  # a skyline of blocks, some with lit windows
        block_width = rng.randint(width // 20, width // 9)
        block_height = rng.randint(height // 6, height // 2)
        colour = rng.choice(blocks)
        draw.rectangle((x, height - block_height, x + block_width, height), fill=colour)
        for wy in range(height - block_height + 20, height - 20, 36):
            for wx in range(x + 12, x + block_width - 16, 28):
                if rng.random() < 0.35:
                    draw.rectangle((wx, wy, wx + 12, wy + 16), fill=(255, 244, 200, 200))
        x += block_width + rng.randint(8, width // 10)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def avatar(seed: str, *, size: int = 640) -> bytes:
    """A JPEG silhouette on a coloured ground (a placeholder, never a person's likeness)."""
    rng = random.Random(seed)  # noqa: S311 - shapes for pictures, not secrets
    sky_top, sky_bottom, _sun, hills, _blocks = PALETTES[rng.randrange(len(PALETTES))]
    image = Image.new("RGB", (size, size), sky_bottom)
    draw = ImageDraw.Draw(image)
    draw.ellipse((size * 0.3, size * 0.16, size * 0.7, size * 0.56), fill=hills[0])
    draw.ellipse((size * 0.12, size * 0.6, size * 0.88, size * 1.3), fill=hills[1])
    draw.ellipse((size * 0.05, size * 0.05, size * 0.2, size * 0.2), fill=sky_top)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def attach_cover(row: Any, *, seed: str = "", name: str = "cover") -> bool:
    """Give ``row`` a drawn cover unless it has one; True when one was added."""
    if getattr(row, name):
        return False
    key = seed or f"{row._meta.label}:{getattr(row, 'slug', '') or row.pk}"
    widths = row._meta.get_field(name).widths
    return _attach(row, name, _prepared("cover", key, widths))


def attach_portrait(row: Any, *, seed: str = "", name: str = "portrait") -> bool:
    """Give a speaker a drawn placeholder portrait unless it has one; True when one was added."""
    if getattr(row, name):
        return False
    key = seed or f"{row._meta.label}:{row}"
    widths = row._meta.get_field(name).widths
    return _attach(row, name, _prepared("portrait", key, widths))


@functools.lru_cache(maxsize=512)
def _prepared(kind: str, seed: str, widths: tuple[int, ...]) -> images.Prepared:
    """Drawn and resized once per process: the demo built again (tests build it on several days)
    writes the same files without drawing them again."""
    drawn = illustration(seed) if kind == "cover" else avatar(seed)
    upload = SimpleUploadedFile(f"{kind}.jpg", drawn, content_type="image/jpeg")
    return images.prepare(upload, widths=widths)


def _attach(row: Any, name: str, prepared: images.Prepared) -> bool:
    images.picture_set(row, name, prepared=prepared, decorative=True)
    row.save(update_fields=[name, f"{name}_alt", f"{name}_decorative", f"{name}_variants"])
    return True
