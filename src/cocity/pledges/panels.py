"""The "linked pledges" panel on the pages of the other apps (``cocity.core.panels``): the
measures of published pledges linked to an event, a library item or an action, and on an action
plan those linked to any of its actions. One query per page, whatever the number of links."""

from __future__ import annotations

from typing import Any

from cocity.core.panels import RelatedPanel, register

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
