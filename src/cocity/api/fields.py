"""Types for the API's parameters that hold exactly what the schema says: pydantic's lax mode
reads ``0`` or ``1700000000`` as a day (a Unix time), which the schema's ``format: date`` does
not allow; ``Day`` takes only ``YYYY-MM-DD`` (422 otherwise, as the schema promises)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: Any) -> Any:
    if isinstance(value, str) and not _ISO_DAY.fullmatch(value):
        raise ValueError("Use a day as YYYY-MM-DD.")
    if isinstance(value, int | float):
        raise ValueError("Use a day as YYYY-MM-DD.")
    return value


Day = Annotated[date, BeforeValidator(_iso_day)]


MAX_ADDRESS_TEXT = 200  # longest slug or code a filter or path accepts


def address_text(value: str | None) -> str:
    """A slug or code from the address: '' when absent; one that cannot exist is not found
    (longer than any slug or code, or holding NUL, which PostgreSQL refuses in a query)."""
    from django.http import Http404

    value = (value or "").strip()
    if len(value) > MAX_ADDRESS_TEXT or "\x00" in value:
        raise Http404
    return value
