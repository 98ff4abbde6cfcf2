"""One paginator for every list, with an optional cap on what it counts.

Views read the page number from the address and pass it on; selectors take a page number
(``str | int | None``), never the request::

    page_obj = paginate(selectors.pact_registry(filters), request.GET.get("page"), cap=500)

A bad or out-of-range page number gives the nearest valid page. With ``cap``, the COUNT stops
after ``cap`` rows (``SELECT COUNT(*) FROM (… LIMIT cap + 1)``, which walks an index, never the
whole table); ``page_obj.paginator.capped`` then says the true total is larger than
``paginator.count`` and the template says "more than". Every paginator here has ``capped``
(``False`` without a cap), so a template may always ask.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

# With ``open_ended``, the rows counted reach this many pages past the one asked for.
PAGES_AHEAD = 5
# The deepest page an open-ended count reaches for (beyond it, the nearest valid page).
DEEPEST_PAGE = 100_000


def page_number(value: Any) -> int:
    """The page asked for as a whole number (1 for anything that is not one)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), DEEPEST_PAGE)


class CappedPaginator(Paginator):
    """A ``Paginator`` that counts at most ``cap`` rows (all rows when ``cap`` is None).

    ``count`` is the rows the pages reach (at most the limit) and ``capped`` says there are
    more. With ``open_ended``, the limit grows with the page asked for (``page``) to
    ``PAGES_AHEAD`` pages after it, so every page stays reachable and a deep page still knows
    it exists; without it, pages past the cap are not served (the OFFSET is bounded too).
    With ``ids_first``, a page of a queryset reads its ids first (an index-only scan), then
    those rows with their joins, so the joins never run over the skipped rows.
    """

    def __init__(
        self,
        object_list: QuerySet[Any] | Sequence[Any],
        per_page: int,
        *,
        cap: int | None = None,
        open_ended: bool = False,
        page: Any = None,
        ids_first: bool = False,
    ) -> None:
        super().__init__(object_list, per_page)
        self.limit = cap
        if cap is not None and open_ended:
            self.limit = max(cap, (page_number(page) + PAGES_AHEAD) * self.per_page)
        self.ids_first = ids_first

    @cached_property
    def _counted(self) -> int:
        items: Any = self.object_list if self.limit is None else self.object_list[: self.limit + 1]
        return items.count() if isinstance(items, QuerySet) else len(items)

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        """The rows the pages reach: all of them, or the limit when there are more."""
        return self._counted if self.limit is None else min(self._counted, self.limit)

    @property
    def capped(self) -> bool:
        """There are more rows than ``count`` (the template says "more than")."""
        return self.limit is not None and self._counted > self.limit

    def get_page(self, number: Any) -> Page:
        """The page asked for, or the nearest valid one (1 for a bad or low number, the last
        one for a number past the end)."""
        return self.page(min(page_number(number), self.num_pages))

    def page(self, number: Any) -> Page:
        if not (self.ids_first and isinstance(self.object_list, QuerySet)):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        queryset = self.object_list
        ids = list(queryset.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        by_id = {row.pk: row for row in queryset.order_by().filter(pk__in=ids)}
        return Page([by_id[pk] for pk in ids if pk in by_id], number, self)


def paginate(
    items: QuerySet[Any] | Sequence[Any],
    page: str | int | None,
    *,
    per_page: int | None = None,
    cap: int | None = None,
    open_ended: bool = False,
    ids_first: bool = False,
) -> Page:
    """Page ``page`` of ``items`` (a queryset, or any sequence that knows its length), at
    ``per_page`` rows (``COCITY_PAGE_SIZE`` by default); ``cap`` and the other options as in
    :class:`CappedPaginator`. A bad or out-of-range number gives the nearest valid page."""
    paginator = CappedPaginator(
        items,
        per_page or settings.COCITY_PAGE_SIZE,
        cap=cap,
        open_ended=open_ended,
        page=page,
        ids_first=ids_first,
    )
    return paginator.get_page(page)
