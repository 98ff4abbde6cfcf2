"""The "linked pledges" panel on the pages of the other apps (``cocity.core.panels``): the
measures of published pledges linked to an event, a library item or an action, and on an action
plan those linked to any of its actions. One query per page, whatever the number of links. And
the pledges and campaigns sections of the hub pages (``cocity.core.hubs``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cocity.core import hubs
from cocity.core.hubs import (
    ITEMS_PER_SECTION,
    HubActivity,
    HubContent,
    HubItem,
    HubScope,
    HubSection,
)
from cocity.core.panels import RelatedPanel, register
from cocity.core.translations import translated

from . import selectors


def _linked_measures(obj: Any) -> dict[str, Any] | None:
    if obj._meta.label == "plans.Process":
        links = selectors.links_to_process_actions(obj)
        return {"links": links, "with_action": True, "process": obj} if links else None
    links = selectors.links_to(obj)
    return {"links": links, "with_action": False} if links else None


register(
    RelatedPanel(
        key="pledges.linked_measures",
        models=("events.Event", "library.LibraryItem", "plans.Action", "plans.Process"),
        template="pledges/partials/linked_pledges.html",
        context=_linked_measures,
    )
)


# --- The hub pages (cocity.core.hubs) ---------------------------------------------------------
# What is in a hub: ``selectors.pledges_in_hub`` and ``selectors.campaigns_in_hub``, shared with
# the pledges page filtered to the hub ("See all"). Three queries a section.


def _pledges_hub(scope: HubScope) -> HubContent:
    pledges = selectors.pledges_in_hub(scope)
    shown = list(
        pledges.select_related("organisation", "campaign").order_by("-signed_on", "-id")[
            :ITEMS_PER_SECTION
        ]
    )
    return HubContent(
        count=pledges.count(),
        items=[
            HubItem(
                title=translated(pledge, "title"),
                url=pledge.get_absolute_url(),
                meta=f"{translated(pledge.organisation, 'name')} · "
                f"{translated(pledge.campaign, 'name')}",
                badge=str(pledge.get_status_display())
                if pledge.is_published
                else str(pledge.get_state_display()),
            )
            for pledge in shown
        ],
        see_all=scope.see_all(reverse("pledges:index")) + "#pledges",
        activity=[
            HubActivity(
                when=pledge.published_at,
                kind=gettext("Pledge"),
                title=translated(pledge, "title"),
                url=pledge.get_absolute_url(),
            )
            for pledge in shown
            if pledge.published_at
        ],
    )


def _campaigns_hub(scope: HubScope) -> HubContent:
    campaigns = selectors.campaigns_in_hub(scope)
    shown = list(
        campaigns.select_related("organisation").order_by("-created_at", "-id")[:ITEMS_PER_SECTION]
    )
    return HubContent(
        count=campaigns.count(),
        items=[
            HubItem(
                title=translated(campaign, "name"),
                url=campaign.get_absolute_url(),
                meta=translated(campaign, "summary") or translated(campaign.organisation, "name"),
            )
            for campaign in shown
        ],
        see_all=scope.see_all(reverse("pledges:index")) + "#campaigns",
        activity=[
            HubActivity(
                when=campaign.created_at,
                kind=gettext("Campaign"),
                title=translated(campaign, "name"),
                url=campaign.get_absolute_url(),
            )
            for campaign in shown
        ],
    )


hubs.register(
    HubSection(
        key="pledges",
        title=_("Pledges"),
        order=50,
        content=_pledges_hub,
        shows=("pledges.Pledge", "pledges.Campaign", "pledges.Measure", "pledges.MeasureLink"),
    )
)
hubs.register(
    HubSection(
        key="campaigns",
        title=_("Pledge campaigns"),
        order=55,
        content=_campaigns_hub,
        shows=("pledges.Campaign", "pledges.Measure", "pledges.MeasureLink"),
    )
)
