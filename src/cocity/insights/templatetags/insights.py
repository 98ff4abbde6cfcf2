"""Number formatting for the insights pages (a dash when there is no value)."""

from __future__ import annotations

import math
from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()


def _float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):  # None, or "" for a missing key in a template
        return None
    return number if math.isfinite(number) else None


@register.filter
def num(value: Any, digits: int = 3) -> str:
    number = _float(value)
    return "—" if number is None else number_format(number, int(digits))


@register.filter
def pct(value: Any, digits: int = 1) -> str:
    number = _float(value)
    return "—" if number is None else number_format(100 * number, int(digits)) + " %"


@register.filter
def get(mapping: Any, key: str) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None
