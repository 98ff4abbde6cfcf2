"""The personal start page (``/start/``): what is next for the signed-in person, section by
section, without core naming any of the apps that fill it.

Each app registers its section in its ``start.py`` (imported by ``CoreConfig.ready()``)::

    from cocity.core.start import StartSection, register

    def _sessions(user):
        rows = list(selectors.next_sessions(user=user, limit=5))
        return {"sessions": rows}          # or None to leave the section out

    register(
        StartSection(
            key="events",
            title=_("Your next sessions"),
            order=10,
            template="events/partials/start_sessions.html",
            context=_sessions,
        )
    )

``context(user)`` reads through the app's own selectors, with the visibility they apply
everywhere else, and makes a fixed number of queries whatever the number of rows (the start
page's query count is tested with few and many items). It returns the template's values, or
``None`` when the section has nothing to say to this person (a resident who signs no pact sees
no pacts section); a section that always shows gives an empty state that says what to do next.
Sections render in ``order``; an app that is not installed registers nothing.

The page is personal: it is never cached (``public_page_cache`` is for visitors' pages).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class StartSection:
    key: str  # "events"
    title: Any  # a lazy translation: "Your next sessions"
    order: int
    template: str  # rendered with the section's values, plus ``user`` and ``section``
    context: Callable[[Any], dict[str, Any] | None]


@dataclass
class GatheredStart:
    section: StartSection
    values: dict[str, Any]
    # False when the section shows only its empty state (the page then opens with first steps
    # when no section has anything).
    has_items: bool


_sections: dict[str, StartSection] = {}


def register(section: StartSection) -> StartSection:
    _sections[section.key] = section
    return section


def unregister(key: str) -> StartSection | None:
    return _sections.pop(key, None)


def registered() -> list[StartSection]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.key))


def gather(user: Any) -> list[GatheredStart]:
    """Every registered section's values for ``user`` (sections answering None left out). A
    section's values say whether it has items with ``"empty": True``."""
    gathered = []
    for section in registered():
        values = section.context(user)
        if values is None:
            continue
        gathered.append(GatheredStart(section, values, has_items=not values.get("empty", False)))
    return gathered
