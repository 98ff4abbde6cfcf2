"""Number formatting for the insights pages (a dash when there is no value)."""

from __future__ import annotations

import math
from typing import Any

from django import template
from django.utils.translation import gettext

from cocity.core.numbers import format_number

register = template.Library()


def _float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):  # None, or "" for a missing key in a template
        return None
    return number if math.isfinite(number) else None


@register.filter
def num(value: Any, digits: int = 3) -> str:
    """A figure as the locale writes it, grouped (as the ``number`` filter of the tables)."""
    number = _float(value)
    return "—" if number is None else format_number(number, int(digits))


@register.filter
def pct(value: Any, digits: int = 1) -> str:
    """A share (0..1) as a percentage: "12.5%" in English, "12,5 %" in French."""
    number = _float(value)
    if number is None:
        return "—"
    return gettext("%(percent)s%%") % {"percent": format_number(100 * number, int(digits))}


@register.filter
def get(mapping: Any, key: str) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.inclusion_tag("insights/partials/explanations.html")
def index_glossary(*keys: str) -> dict[str, Any]:
    """What each index means (``explanations.py``), by section: every index, or only ``keys``."""
    from cocity.insights.explanations import SAME_DATA, SECTIONS, anchor

    sections = []
    for title, entries in SECTIONS:
        items = [
            {"key": key, "anchor": anchor(key), **entry._asdict()}
            for key, entry in entries.items()
            if not keys or key in keys
        ]
        if items:
            sections.append({"title": title, "items": items})
    return {"sections": sections, "same_data": SAME_DATA}
