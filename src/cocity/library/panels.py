"""The library section of the hub pages (``cocity.core.hubs``): published case studies,
publications and news of a space (or shown in it), an organisation or a place. Three queries
whatever the number of items; drafts and items under review never appear."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Q
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


def items_in(scope: HubScope):
    condition = scope.match(space="space_id")
    condition |= Q(
        pk__in=LibraryItem.also_in_spaces.through.objects.filter(space_id__in=scope.spaces).values(
            "libraryitem_id"
        )
    )
    if scope.kind != "space":
        if scope.organisations is not None:
            condition |= Q(
                pk__in=LibraryItem.organisations.through.objects.filter(
                    organisation_id__in=scope.organisations
                ).values("libraryitem_id")
            )
        if scope.territory_path:
            condition |= Q(
                pk__in=LibraryItem.territories.through.objects.filter(
                    territory__path__startswith=scope.territory_path
                ).values("libraryitem_id")
            )
    return selectors.published_items(scope.viewer).filter(condition)


def _item(item: LibraryItem) -> HubItem:
    meta = [str(item.get_kind_display()).capitalize()]
    if item.published_on:
        meta.append(formats.date_format(item.published_on, "DATE_FORMAT"))
    return HubItem(title=item.title, url=item.get_absolute_url(), meta=" · ".join(meta))


def _see_all(scope: HubScope) -> str:
    url = reverse("library:item_list")
    if scope.kind == "space":
        return f"{url}?{urlencode({'space': scope.obj.slug})}"
    return url


def _content(scope: HubScope) -> HubContent:
    items = items_in(scope)
    shown = list(
        items.select_related(None)
        .prefetch_related(None)
        .only("id", "title", "kind", "published_on", "published_at", "created_at")
        .order_by("-published_at", "-id")[:ITEMS_PER_SECTION]
    )
    return HubContent(
        count=items.count(),
        items=[_item(item) for item in shown],
        see_all=_see_all(scope),
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
