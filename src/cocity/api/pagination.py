"""Cursor pagination: a page of ``limit`` rows after the cursor, in a fixed order, and the cursor
of the next page (``null`` on the last). A cursor is the last row's sort values, signed: a
cursor that was not made here (edited, truncated, from another site) is refused with 400, and
pages stay stable while rows are added (no offset that shifts)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.core import signing
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _
from ninja import Schema

from .errors import ApiError

T = TypeVar("T")
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
_SALT = "cocity.api.cursor"


class Page(Schema, Generic[T]):
    items: list[T]
    next: str | None = None


def _decode(cursor: str, width: int) -> list[Any]:
    try:
        values = signing.loads(cursor, salt=_SALT)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise ApiError(
            400, _("This cursor is not valid."), _("Use the `next` of a page.")
        ) from error
    if not isinstance(values, list) or len(values) != width:
        raise ApiError(400, _("This cursor is not valid."), _("Use the `next` of a page."))
    return values


def cursor_page(
    rows: QuerySet[Any],
    *,
    cursor: str | None,
    limit: int,
    order: Sequence[str],
    convert: Callable[[Any], Any] = lambda row: row,
) -> dict[str, Any]:
    """The page after ``cursor`` of ``rows`` ordered by ``order`` (field names, ``-`` for
    descending; the last must be unique, e.g. ``-id``). ``limit`` is bounded to ``MAX_LIMIT``."""
    limit = max(1, min(int(limit or DEFAULT_LIMIT), MAX_LIMIT))
    fields = [name.lstrip("-") for name in order]
    if cursor:
        values = _decode(cursor, len(fields))
        condition = Q()
        for position in range(len(fields)):
            name, value = fields[position], values[position]
            lookup = "lt" if order[position].startswith("-") else "gt"
            step = Q(**{f"{name}__{lookup}": value})
            for before in range(position):
                step &= Q(**{fields[before]: values[before]})
            condition |= step
        rows = rows.filter(condition)
    found = list(
        rows.order_by(
            *[
                F(f).desc() if o.startswith("-") else F(f).asc()
                for f, o in zip(fields, order, strict=True)
            ]
        )[: limit + 1]
    )
    more = len(found) > limit
    found = found[:limit]
    next_cursor = None
    if more and found:
        last = found[-1]
        values = [_plain(getattr(last, name)) for name in fields]
        next_cursor = signing.dumps(values, salt=_SALT, compress=True)
    return {"items": [convert(row) for row in found], "next": next_cursor}


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
