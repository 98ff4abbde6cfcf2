"""``{% picture %}``: a stored picture (``cocity.core.images``) as an ``<img>`` in every width it
was stored at, or a pattern drawn from its row when it has none.

    {% load images %}
    {% picture space.cover "header" %}             a page's header image, loaded at once
    {% picture event.cover "card" as cover %}      markup for a card (``card.html`` ``cover=``)
    {% picture speaker.portrait "portrait" %}      a portrait, or the speaker's initials

Presets say how wide the picture is drawn (``sizes``, so the browser fetches the smallest width
that fills it), its shape (a CSS class: ``picture-card`` 16:9, ``picture-header`` a band,
``picture-portrait`` a circle) and whether it loads at once (the header, above the fold) or when
it comes near the screen (``loading="lazy"``, cards and portraits). ``width`` and ``height`` are
the stored picture's, so the page does not move while it loads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.db.models.fields.files import FieldFile
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from cocity.core import images

register = template.Library()


@dataclass(frozen=True)
class Preset:
    sizes: str
    css: str
    lazy: bool
    box: tuple[int, int]  # the pattern's drawing box, in the shape CSS gives the picture


PRESETS = {
    # .cards: columns of at least 18rem in a 72rem container (three at 1280 px, 23rem each).
    "card": Preset(
        "(min-width: 72rem) 23rem, (min-width: 40rem) 50vw, 100vw", "card", True, (320, 180)
    ),
    "header": Preset("(min-width: 72rem) 70rem, 100vw", "header", False, (960, 320)),
    "portrait": Preset("5rem", "portrait", True, (160, 160)),
}


@register.simple_tag
def picture(file: Any, preset: str = "card", eager: bool = False) -> SafeString:
    """The ``<img>`` of ``file`` (a ``PictureField``'s value) or, without one, its pattern."""
    shape = PRESETS.get(preset, PRESETS["card"])
    css = f"picture picture-{shape.css}"
    if not isinstance(file, FieldFile) or not file:
        return _pattern(file, shape, css)
    found = images.sources(file)
    largest = found[-1]
    fallback = next((s for s in found if s.width >= 800), largest)
    srcset = ", ".join(f"{s.url} {s.width}w" for s in found if s.width)
    lazy = shape.lazy and not eager
    return format_html(
        '<img class="{}" src="{}"{} sizes="{}"{} alt="{}" loading="{}" decoding="async"{}>',
        css,
        fallback.url,
        format_html(' srcset="{}"', srcset) if srcset else "",
        shape.sizes,
        format_html(' width="{}" height="{}"', largest.width, largest.height)
        if largest.width
        else "",
        images.alt_text(file),
        "lazy" if lazy else "eager",
        "" if lazy else mark_safe(' fetchpriority="high"'),
    )


def _pattern(file: Any, shape: Preset, css: str) -> SafeString:
    """A decorative pattern for a row without a picture: hidden from screen readers."""
    row = getattr(file, "instance", None)
    label = row._meta.label if row is not None else ""
    seed = images.pattern_seed(label, getattr(row, "pk", "") or "", str(row or ""))
    width, height = shape.box
    if shape.css == "portrait":
        background = images.PALETTES[seed[0] % len(images.PALETTES)][0]
        body = format_html(
            '<rect width="{w}" height="{h}" fill="{bg}"/>'
            '<text x="50%" y="50%" dy="0.35em" text-anchor="middle" fill="#ffffff" '
            'font-size="{size}" font-family="sans-serif" font-weight="700">{letters}</text>',
            w=width,
            h=height,
            bg=background,
            size=width * 2 // 5,
            letters=images.initials(str(row or "")),
        )
    else:
        body = mark_safe(images.pattern_svg(seed, width=width, height=height))  # noqa: S308 - drawn here from numbers
    return format_html(
        '<svg class="{} picture-pattern" viewBox="0 0 {} {}" width="{}" height="{}" '
        'preserveAspectRatio="xMidYMid slice" aria-hidden="true" focusable="false" '
        'xmlns="http://www.w3.org/2000/svg">{}</svg>',
        css,
        width,
        height,
        width,
        height,
        body,
    )


@register.simple_tag
def picture_srcset(file: Any) -> str:
    """Only the ``srcset`` value of a picture ("" without one), for markup of one's own."""
    if not isinstance(file, FieldFile) or not file:
        return ""
    return ", ".join(f"{s.url} {s.width}w" for s in images.sources(file) if s.width)
