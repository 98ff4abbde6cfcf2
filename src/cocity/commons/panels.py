"""The commons sections of the hub pages (``cocity.core.hubs``): the collaboration pacts and
the urban commons of a space's organisations or place, of an organisation, of a place and the
places in it. Pacts are shown once public (never drafts or withdrawn proposals). Three queries a
section whatever the number of rows."""

from __future__ import annotations

from django.urls import reverse
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
from cocity.core.translations import translated, translation_columns

from . import selectors


def _pacts(scope: HubScope) -> HubContent:
    pacts = selectors.pacts_in_hub(scope)
    shown = list(
        pacts.select_related("commons")
        .only(
            "id",
            "title",
            "state",
            "state_since",
            "created_at",
            "commons__name",
            *translation_columns(),
            *translation_columns("commons"),
        )
        .order_by("-state_since", "-id")[:ITEMS_PER_SECTION]
    )
    return HubContent(
        count=pacts.count(),
        items=[
            HubItem(
                title=translated(pact, "title"),
                url=pact.get_absolute_url(),
                meta=translated(pact.commons, "name"),
                badge=str(pact.get_state_display()),
            )
            for pact in shown
        ],
        see_all=scope.see_all(reverse("commons:index")),
        activity=[
            HubActivity(
                when=pact.state_since,
                kind=gettext("Pact"),
                title=translated(pact, "title"),
                url=pact.get_absolute_url(),
            )
            for pact in shown
        ],
    )


def _commons(scope: HubScope) -> HubContent:
    commons = selectors.commons_in_hub(scope)
    shown = list(
        commons.select_related("territory")
        .only(
            "id",
            "name",
            "slug",
            "kind",
            "territory__name",
            *translation_columns(),
            *translation_columns("territory"),
        )
        .order_by("name", "id")[:ITEMS_PER_SECTION]
    )
    return HubContent(
        count=commons.count(),
        items=[
            HubItem(
                title=translated(item, "name"),
                url=item.get_absolute_url(),
                meta=f"{str(item.get_kind_display()).capitalize()} · "
                f"{translated(item.territory, 'name')}",
            )
            for item in shown
        ],
        see_all=scope.see_all(reverse("commons:commons_list")),
    )


register(
    HubSection(
        key="pacts",
        title=_("Collaboration pacts"),
        order=40,
        content=_pacts,
        shows=("commons.Pact", "commons.Commons"),
    )
)
register(
    HubSection(
        key="commons",
        title=_("Urban commons"),
        order=45,
        content=_commons,
        shows=("commons.Commons",),
    )
)
