"""Number formatting for the insights pages (a dash when there is no value)."""

from __future__ import annotations

import math
from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def num(value: Any, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    return number_format(float(value), int(digits))


@register.filter
def pct(value: Any, digits: int = 1) -> str:
    if value is None:
        return "—"
    return number_format(100 * float(value), int(digits)) + " %"


@register.filter
def get(mapping: Any, key: str) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None
