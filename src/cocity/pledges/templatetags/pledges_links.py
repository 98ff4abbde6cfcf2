"""The pledges side of links from measures, for the pages of the other apps: they show the
measures linked to them without importing anything of the pledges app::

    {% load pledges_links %}{% measures_linked_to event %}
    {% load pledges_links %}{% measures_linked_to_plan process %}

Each tag makes one query (the links with their measure, pledge and city), whatever the number
of links, and renders nothing when there is none."""

from __future__ import annotations

from typing import Any

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("pledges/partials/linked_pledges.html")
def measures_linked_to(target: Any) -> dict[str, Any]:
    """The measures of published pledges linked to an event, a library item or an action."""
    return {"links": selectors.links_to(target), "with_action": False}


@register.inclusion_tag("pledges/partials/linked_pledges.html")
def measures_linked_to_plan(process: Any) -> dict[str, Any]:
    """The measures of published pledges linked to any action of a process's action plan."""
    links = selectors.links_to_process_actions(process)
    return {"links": links, "with_action": True, "process": process}
