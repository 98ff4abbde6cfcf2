"""The hub part of the space, organisation and place pages (``cocity.core.hubs``), rendered once
for everyone who sees what a visitor sees.

Visitors get these pages from the page cache, but signed-in people were served a fresh render of
every section, about 60 ms of building and compiling the sections' queries for the same HTML a
visitor gets. Most signed-in people see exactly what a visitor sees
(``selectors.hubs.sees_what_visitors_see``): for them the sections are rendered as for a visitor
and kept as a shared fragment (``cocity.core.cache.shared_fragment``, stale with the same
namespaces as the cached page); the personal parts (the Follow button) are always theirs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.template.loader import render_to_string

from cocity.accounts.types import Viewer
from cocity.core.cache import shared_fragment
from cocity.core.hubs import HUB_NAMESPACE, HubScope, gather_actions

from ..selectors import hubs as hub_selectors

TEMPLATE = "network/partials/hub.html"
NAMESPACES = ("network", HUB_NAMESPACE)


def hub_context(
    request: HttpRequest, *, name: str, scope_for: Callable[[Viewer], HubScope]
) -> dict[str, Any]:
    """``hub_html`` (the sections and the recent activity) and ``hub_actions`` for the page;
    ``name`` tells the hub apart in the fragment cache ("space:12")."""
    user = request.user
    scope = scope_for(user)
    if hub_selectors.sees_what_visitors_see(user):

        def render_as_visitor() -> str:
            visitor_hub = hub_selectors.hub(scope_for(AnonymousUser()), with_actions=False)
            return render_to_string(TEMPLATE, {"hub": visitor_hub})

        html = shared_fragment(request, NAMESPACES, f"hub:{name}", render_as_visitor)
        return {"hub_html": html, "hub_actions": gather_actions(scope)}
    full = hub_selectors.hub(scope)
    return {"hub_html": render_to_string(TEMPLATE, {"hub": full}), "hub_actions": full.actions}
