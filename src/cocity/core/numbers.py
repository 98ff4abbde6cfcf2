"""Numbers as the viewer's language writes them, the same in tables, charts and text.

``format_number(2645000)`` is "2,645,000" in English and "2 645 000" in French (a no-break
space, so a figure never breaks across lines). Templates use the ``number`` filter of
``{% load cocity %}``; Python code that builds labels (charts) calls this function.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils import formats

NO_BREAK_SPACE = "\xa0"


def to_decimal(value: Any) -> Decimal | None:
    """``value`` as a Decimal, None for nothing, a boolean or what is not a finite number."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def format_number(value: Any, decimals: int | None = None, *, max_decimals: int = 2) -> str:
    """``value`` with the locale's grouping and decimal mark. ``decimals`` None keeps up to
    ``max_decimals`` decimals and drops trailing zeros; what is not a number comes back as text."""
    number = to_decimal(value)
    if number is None:
        return "" if value is None else str(value)
    if decimals is None:
        step = Decimal(1).scaleb(-max(0, max_decimals))
        number = number.quantize(step, rounding=ROUND_HALF_UP).normalize()
        exponent = number.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    else:
        places = max(0, decimals)
        # Rounded, half up (Django's number_format cuts the extra digits off).
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = formats.number_format(number, places, use_l10n=True, force_grouping=True)
    # A grouping space never breaks (the French formats group with a no-break space already).
    return text.replace(" ", NO_BREAK_SPACE)
