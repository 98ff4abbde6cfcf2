"""Hubs: the pages of a space, an organisation and a place gather what happens there, section by
section, without the network app (below the capabilities) naming any of them.

Each capability registers one section in its ``panels.py`` (imported by ``CoreConfig.ready()``)::

    from cocity.core.hubs import HubContent, HubItem, HubSection, register

    def _content(scope):
        events = selectors.events_visible_to(scope.viewer).filter(scope.match(space="space_id"))
        ...
        return HubContent(count=..., items=[HubItem(...)], see_all="/events/?space=...")

    register(
        HubSection(
            key="events",
            title=_("Events"),
            order=10,
            content=_content,
            shows=("events.Event", "events.Session"),
        )
    )

The network app builds a :class:`HubScope` (what "in this space / organisation / place" means,
as subqueries of the spaces the viewer may see, the organisations and the territory path) and
calls :func:`gather`; each section answers with a count, a few items, the URL of its own list
page filtered to the scope, and the recent publications it contributes to the page's activity
stream. A section reads through its own app's selectors, with the visibility it applies
everywhere else (members-only spaces, drafts), and makes a fixed number of queries whatever the
number of rows: the hub pages' query counts are tested with 2 and 20 items.

An app can also offer an action on the hub itself (:class:`HubAction`, registered with
:func:`register_action`): participation's "Follow this space" button.

The models a section shows go into the cache table (``cocity.core.cache``) under
:data:`HUB_NAMESPACE`, so a hub page cached for visitors is stale as soon as one of them is
written (a new event in a space).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q

HUB_NAMESPACE = "hubs"
SCOPES = ("space", "organisation", "territory")
# The address parameter that carries each kind of scope to a list page ("See all"), read back by
# ``network.selectors.hubs.hub_scope_from_query``.
SCOPE_PARAMS = {"space": "space", "organisation": "organisation", "territory": "place"}
ITEMS_PER_SECTION = 4
ACTIVITY_ITEMS = 6


def paths_up(path: str) -> list[str]:
    """A materialised path and those of its ancestors: "FR/FR-MRS/" -> ["FR/", "FR/FR-MRS/"]."""
    parts = [part for part in path.split("/") if part]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


@dataclass(frozen=True)
class HubScope:
    """What a hub gathers. ``spaces`` and ``organisations`` are querysets of ids (used as
    subqueries, so they cost no query of their own); ``territory_path`` is a materialised path
    (``FR/FR-MRS/``) or "".

    - a space: the space and its sub-spaces (three levels down) that the viewer may see; its
      owning organisations; its territory;
    - an organisation: the spaces it owns that the viewer may see; itself; its home territory
      is not used (an organisation's page shows its own work, not its city's);
    - a place: the visible spaces in it or in its sub-territories; the organisations based
      there; the territory.
    """

    kind: str  # "space", "organisation" or "territory"
    obj: Any
    viewer: Any
    spaces: Any  # QuerySet of space ids
    organisations: Any = None  # QuerySet of organisation ids, or None
    territory_path: str = ""

    @property
    def query(self) -> dict[str, str]:
        """This scope in a list page's address: ``{"space": slug}``, ``{"organisation": slug}``
        or ``{"place": code}``."""
        value = self.obj.code if self.kind == "territory" else self.obj.slug
        return {SCOPE_PARAMS[self.kind]: value}

    def see_all(self, url: str, **extra: str) -> str:
        """A list page's address filtered to this scope (a section's "See all" link): the list
        resolves it with ``hub_scope_from_query`` and filters with the section's own queryset."""
        return f"{url}?{urlencode({**self.query, **extra})}"

    @property
    def territory_paths_up(self) -> list[str]:
        """The territory's path and those of the territories it lies in ("FR/", "FR/FR-MRS/")."""
        return paths_up(self.territory_path)

    def match(
        self,
        *,
        space: str | None = None,
        organisation: str | None = None,
        territory_path: str | None = None,
    ) -> Q:
        """The one rule of "in this hub", given the lookups by which a model reaches a space,
        an organisation and a territory path. On a space's page, content that belongs to a space
        is matched by its space only; content that belongs to no space (pacts, pledges, data
        sets) by the space's organisations or place. On the page of an organisation or a place,
        by any of the three."""
        by_space = Q(**{f"{space}__in": self.spaces}) if space else None
        if self.kind == "space" and by_space is not None:
            return by_space
        parts = [by_space] if by_space is not None else []
        if organisation and self.organisations is not None:
            parts.append(Q(**{f"{organisation}__in": self.organisations}))
        if territory_path and self.territory_path:
            parts.append(Q(**{f"{territory_path}__startswith": self.territory_path}))
        if not parts:
            return Q(pk__in=[])
        combined = parts[0]
        for part in parts[1:]:
            combined |= part
        return combined


@dataclass
class HubItem:
    """One row of a section: a linked title and what a person needs to decide to open it."""

    title: str
    url: str
    meta: str = ""  # a line under the title: dates, place, organisation
    badge: str = ""  # a state or a phase, in words
    action: str = ""  # what one can do now ("Post ideas until 12 January")
    progress: int | None = None  # a percentage (an action plan's actions done)
    progress_label: str = ""


@dataclass
class HubActivity:
    """A publication for the activity stream."""

    when: datetime.datetime
    kind: str  # "Event", "Library item"...
    title: str
    url: str


@dataclass
class HubContent:
    count: int
    items: list[HubItem]
    see_all: str
    activity: list[HubActivity] = field(default_factory=list)


@dataclass(frozen=True)
class HubSection:
    key: str  # "events"
    title: Any  # a lazy translation: "Events"
    order: int
    content: Callable[[HubScope], HubContent | None]
    shows: tuple[str, ...] = ()  # model labels whose writes make the hub pages stale
    scopes: tuple[str, ...] = SCOPES
    template: str = "core/hub_section.html"
    empty: Any = ""  # a sentence for an empty section; "" leaves the section out


@dataclass(frozen=True)
class HubAction:
    """Something a person can do about the hub itself, shown next to its title (follow a
    space). ``context(scope)`` returns the template's values, or ``None`` to leave it out; the
    template is included in the page's own context (its CSRF token), under ``action.values``."""

    key: str
    template: str
    context: Callable[[HubScope], dict[str, Any] | None]
    scopes: tuple[str, ...] = SCOPES


@dataclass
class GatheredAction:
    template: str
    values: dict[str, Any]


@dataclass
class GatheredSection:
    section: HubSection
    content: HubContent


@dataclass
class Hub:
    sections: list[GatheredSection]
    activity: list[HubActivity]
    actions: list[GatheredAction] = field(default_factory=list)


_sections: dict[str, HubSection] = {}
_actions: dict[str, HubAction] = {}


def register(section: HubSection) -> HubSection:
    """Add a section; its ``shows`` go into the cache table under :data:`HUB_NAMESPACE`."""
    from .cache import register_cached_models

    _sections[section.key] = section
    if section.shows:
        register_cached_models(dict.fromkeys(section.shows, (HUB_NAMESPACE,)))
    return section


def unregister(key: str) -> HubSection | None:
    return _sections.pop(key, None)


def register_action(action: HubAction) -> HubAction:
    _actions[action.key] = action
    return action


def sections_for(kind: str) -> list[HubSection]:
    return sorted(
        (section for section in _sections.values() if kind in section.scopes),
        key=lambda section: (section.order, section.key),
    )


def gather_actions(scope: HubScope) -> list[GatheredAction]:
    """The registered actions for this scope and viewer (the Follow button): personal, so never
    part of a shared fragment."""
    actions = []
    for action in _actions.values():
        values = action.context(scope) if scope.kind in action.scopes else None
        if values is not None:
            actions.append(GatheredAction(action.template, values))
    return actions


def gather(
    scope: HubScope, *, activity_items: int = ACTIVITY_ITEMS, with_actions: bool = True
) -> Hub:
    """Every registered section's content for this scope (sections with nothing to show and no
    ``empty`` sentence are left out) and the newest publications of all of them."""
    gathered: list[GatheredSection] = []
    activity: list[HubActivity] = []
    for section in sections_for(scope.kind):
        content = section.content(scope)
        if content is None or (content.count == 0 and not section.empty):
            continue
        gathered.append(GatheredSection(section, content))
        activity.extend(content.activity)
    activity.sort(key=lambda entry: entry.when, reverse=True)
    actions = gather_actions(scope) if with_actions else []
    return Hub(sections=gathered, activity=activity[:activity_items], actions=actions)
