"""The processes section of the hub pages (``cocity.core.hubs``): a space's processes with their
current phase, what one can do now ("Post ideas until 12 January") and the action plan's
progress. Four queries whatever the number of processes."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext
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
from cocity.core.numbers import format_number
from cocity.core.translations import translated

from . import selectors
from .models import Action, PhaseKind

# What a person can do in each kind of phase, until the phase ends.
NOW: dict[str, Any] = {
    PhaseKind.COLLECT: _("Post ideas until %(date)s"),
    PhaseKind.REFINE: _("Comment on ideas until %(date)s"),
    PhaseKind.PRIORITISE: _("Support ideas until %(date)s"),
    PhaseKind.PLAN: _("The action plan is being drafted until %(date)s"),
    PhaseKind.MONITOR: _("Follow the action plan until %(date)s"),
}
IN_PLAN = ~Q(actions__status__in=(Action.Status.PROPOSED, Action.Status.DROPPED))


def _item(process: Any, today: datetime.date) -> HubItem:
    """``process`` carries the annotations of ``_content`` (plan_actions, plan_done,
    plan_progress)."""
    phase = process.active_phase(today)
    item = HubItem(title=translated(process, "title"), url=process.get_absolute_url())
    if phase is not None:
        item.badge = phase.label
        item.action = str(NOW[phase.kind]) % {
            "date": formats.date_format(phase.ends_on, "DATE_FORMAT")
        }
    else:
        upcoming = [p for p in process.phases.all() if p.starts_on > today]
        item.meta = (
            gettext("Next phase from %(date)s")
            % {"date": formats.date_format(upcoming[0].starts_on, "DATE_FORMAT")}
            if upcoming
            else gettext("No phase open now")
        )
    if process.plan_actions:
        item.progress = round(process.plan_progress or 0)
        item.progress_label = ngettext(
            "Action plan: %(done)s of %(total)s actions done",
            "Action plan: %(done)s of %(total)s actions done",
            process.plan_done or 0,
        ) % {
            "done": format_number(process.plan_done or 0, 0),
            "total": format_number(process.plan_actions, 0),
        }
    return item


def _content(scope: HubScope) -> HubContent:
    processes = selectors.processes_in_hub(scope)
    shown = list(
        processes.prefetch_related("phases")
        .select_related("manual_phase")
        .annotate(
            plan_actions=Count("actions", filter=IN_PLAN),
            plan_done=Count("actions", filter=IN_PLAN & Q(actions__status=Action.Status.DONE)),
            plan_progress=Avg("actions__progress", filter=IN_PLAN),
        )
        .order_by("-created_at", "-id")[:ITEMS_PER_SECTION]
    )
    today = timezone.localdate()
    return HubContent(
        count=processes.count(),
        items=[_item(process, today) for process in shown],
        see_all=scope.see_all(reverse("plans:process_list")),
        activity=[
            HubActivity(
                when=p.created_at,
                kind=gettext("Process"),
                title=translated(p, "title"),
                url=p.get_absolute_url(),
            )
            for p in shown
        ],
    )


register(
    HubSection(
        key="processes",
        title=_("Processes"),
        order=20,
        content=_content,
        shows=("plans.Process", "plans.Phase", "plans.Action"),
        scopes=("space", "organisation", "territory"),
        empty=_("No processes yet."),
    )
)
