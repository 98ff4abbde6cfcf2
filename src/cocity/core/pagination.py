from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def paginate(
    request: HttpRequest, queryset: QuerySet | Sequence[Any], per_page: int | None = None
) -> Page:
    """One page of a list (a queryset, or any sequence that knows its length); a bad or
    out-of-range page number gives the nearest valid page."""
    paginator = Paginator(queryset, per_page or settings.COCITY_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))
