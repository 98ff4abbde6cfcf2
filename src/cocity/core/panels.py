"""Related panels: what one app shows on the pages of another app's objects, without either app
naming the other. An app registers its panels in its ``panels.py`` (imported by
``CoreConfig.ready()``)::

    from cocity.core.panels import RelatedPanel, register

    register(
        RelatedPanel(
            key="pledges.measures",
            models=("events.Event", "plans.Action"),
            template="pledges/partials/linked_pledges.html",
            context=lambda obj: {"links": links_to(obj)},
        )
    )

and the page of an event, an action... renders whatever is registered for its object::

    {% load cocity %}{% related_panels event %}

``context(obj)`` returns the template's context, or ``None`` when the panel has nothing to show
(the panel is then left out). Panels render in the order they were registered; an app that is
not installed registers nothing, and the pages of the others render without its panels.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RelatedPanel:
    key: str  # "pledges.measures"
    models: tuple[str, ...]  # model labels: "events.Event", "plans.Action"
    template: str
    context: Callable[[Any], dict[str, Any] | None]


_panels: dict[str, RelatedPanel] = {}


def register(panel: RelatedPanel) -> RelatedPanel:
    _panels[panel.key] = panel
    return panel


def unregister(key: str) -> RelatedPanel | None:
    return _panels.pop(key, None)


def panels_for(obj: Any) -> list[RelatedPanel]:
    label = getattr(getattr(obj, "_meta", None), "label", None)
    if label is None:
        return []
    return [panel for panel in _panels.values() if label in panel.models]
