"""The "linked pledges" panel on the pages of the other apps (``cocity.core.panels``): the
measures of published pledges linked to an event, a library item or an action, and on an action
plan those linked to any of its actions. One query per page, whatever the number of links. And
the pledges and campaigns sections of the hub pages (``cocity.core.hubs``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
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

from . import selectors
from .models import Campaign, MeasureLink, Pledge


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
# Pledges and campaigns belong to organisations: a space's page shows those of the organisations
# that own it, a place's page those of the organisations based there; and, anywhere, those with a
# measure linked to the hub's events, library items or actions. Drafts only for those who
# may see them (``selectors.pledges_visible_to``). Three queries a section.


def _linked_pledge_ids(scope: HubScope) -> Any:
    """Pledges with a measure linked to an event, a library item or an action of the hub's
    spaces (a subquery): a partnership's page shows the pledges its work feeds into."""
    links = MeasureLink.objects.filter(
        Q(event__space_id__in=scope.spaces)
        | Q(library_item__space_id__in=scope.spaces)
        | Q(action__process__space_id__in=scope.spaces)
    )
    return links.values("measure__pledge_id")


def _pledges_in(scope: HubScope) -> Any:
    return selectors.pledges_visible_to(scope.viewer).filter(
        scope.match(organisation="organisation_id") | Q(pk__in=_linked_pledge_ids(scope))
    )


def _pledges_hub(scope: HubScope) -> HubContent:
    pledges = _pledges_in(scope)
    shown = list(
        pledges.select_related("organisation", "campaign").order_by("-signed_on", "-id")[
            :ITEMS_PER_SECTION
        ]
    )
    see_all = reverse("pledges:index")
    if scope.kind == "organisation":
        see_all = reverse("pledges:organisation_pledges", args=[scope.obj.slug])
    return HubContent(
        count=pledges.count(),
        items=[
            HubItem(
                title=pledge.title,
                url=pledge.get_absolute_url(),
                meta=f"{pledge.organisation.name} · {pledge.campaign.name}",
                badge=str(pledge.get_status_display())
                if pledge.is_published
                else str(pledge.get_state_display()),
            )
            for pledge in shown
        ],
        see_all=see_all,
        activity=[
            HubActivity(
                when=pledge.published_at,
                kind=gettext("Pledge"),
                title=pledge.title,
                url=pledge.get_absolute_url(),
            )
            for pledge in shown
            if pledge.published_at
        ],
    )


def _campaigns_hub(scope: HubScope) -> HubContent:
    linked = Pledge.objects.filter(
        pk__in=_linked_pledge_ids(scope), state=Pledge.State.PUBLISHED
    ).values("campaign_id")
    campaigns = Campaign.objects.filter(
        scope.match(organisation="organisation_id") | Q(pk__in=linked)
    )
    shown = list(
        campaigns.select_related("organisation").order_by("-created_at", "-id")[:ITEMS_PER_SECTION]
    )
    return HubContent(
        count=campaigns.count(),
        items=[
            HubItem(
                title=campaign.name,
                url=campaign.get_absolute_url(),
                meta=campaign.summary or campaign.organisation.name,
            )
            for campaign in shown
        ],
        see_all=reverse("pledges:index"),
        activity=[
            HubActivity(
                when=campaign.created_at,
                kind=gettext("Campaign"),
                title=campaign.name,
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
