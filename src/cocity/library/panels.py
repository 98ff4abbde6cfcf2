"""The library section of the hub pages (``cocity.core.hubs``): published case studies,
publications and news of a space (or shown in it), an organisation or a place. Three queries
whatever the number of items; drafts and items under review never appear."""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cocity.core.hubs import (
    ITEMS_PER_SECTION,
    HubActivity,
    HubContent,
    HubItem,
    HubScope,
    HubSection,
    register,
)

from . import selectors
from .models import LibraryItem


def _item(item: LibraryItem) -> HubItem:
    meta = [str(item.get_kind_display()).capitalize()]
    if item.published_on:
        meta.append(formats.date_format(item.published_on, "DATE_FORMAT"))
    return HubItem(title=item.title, url=item.get_absolute_url(), meta=" · ".join(meta))


def _content(scope: HubScope) -> HubContent:
    items = selectors.items_in_hub(scope)
    shown = list(
        items.select_related(None)
        .prefetch_related(None)
        .only("id", "title", "kind", "published_on", "published_at", "created_at")
        .order_by("-published_at", "-id")[:ITEMS_PER_SECTION]
    )
    return HubContent(
        count=items.count(),
        items=[_item(item) for item in shown],
        see_all=scope.see_all(reverse("library:item_list")),
        activity=[
            HubActivity(
                when=item.published_at or timezone.now(),
                kind=gettext("Library"),
                title=item.title,
                url=item.get_absolute_url(),
            )
            for item in shown
            if item.published_at
        ],
    )


register(
    HubSection(
        key="library",
        title=_("Library"),
        order=30,
        content=_content,
        shows=("library.LibraryItem",),
        empty=_("Nothing published yet."),
    )
)
