"""Reads of co-production processes, each with its query shape decided once.

Idea lists are bounded (decision in docs/plans.md): a page is found by OFFSET on an index that
matches the sort, and at most ``MAX_PAGES`` pages are reachable for any filter (narrow the filter
to go further), so the deepest OFFSET and the COUNT are bounded whatever the number of rows. The
random order is ``(id * A + seed) mod P`` computed in SQL with a per-visitor seed: stable across
pages and visits of the same session, different between visitors.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from django.core.paginator import Page
from django.db.models import F, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Mod
from django.http import Http404

from cocity.accounts.types import Viewer
from cocity.core.cache import cached
from cocity.core.hubs import HubScope
from cocity.core.pagination import paginate
from cocity.core.translations import translation_columns
from cocity.network.models import Territory
from cocity.network.selectors import spaces_visible_to
from cocity.network.selectors.territories import paths_with_ancestors, places_at

from .models import Action, Idea, Process

MAX_PAGES = 100
PAGE_SIZE = 20
RANDOM_MULTIPLIER = 1_103_515_245
RANDOM_MODULUS = 2_147_483_647

SORTS = {
    "supported": ("-support_count", "-id"),
    "newest": ("-created_at", "-id"),
    "discussed": ("-comment_count", "-id"),
}


def processes_visible_to(user: Viewer) -> QuerySet[Process]:
    return Process.objects.filter(space__in=spaces_visible_to(user)).select_related("space")


def processes_in_hub(scope: HubScope) -> QuerySet[Process]:
    """The processes of a hub's spaces that this person may see: what its processes section
    counts and the list filtered to the hub shows."""
    return processes_visible_to(scope.viewer).filter(scope.match(space="space_id"))


def process_list(*, user: Viewer, hub: HubScope | None = None) -> QuerySet[Process]:
    """The processes page: visible processes, newest first; ``hub`` (``?space=``,
    ``?organisation=``, ``?place=``) keeps those of that hub, as its page counts them."""
    processes = processes_visible_to(user)
    if hub is not None:
        processes = processes.filter(pk__in=processes_in_hub(hub).values("pk"))
    return processes.order_by("-created_at", "id")


def process_for(user: Viewer, slug: str) -> Process:
    """The process, its space and phases, or 404 (also for members-only spaces)."""
    try:
        process = (
            Process.objects.select_related("space", "manual_phase")
            .prefetch_related("phases")
            .get(slug=slug)
        )
    except Process.DoesNotExist:
        raise Http404 from None
    if not user.has_perm("plans.view_process", process):
        raise Http404
    return process


def idea_list(
    process: Process,
    *,
    sort: str = "newest",
    seed: int = 0,
    topic: int | None = None,
    territory_path: str | None = None,
    answer: str | None = None,
    merged: bool | None = None,
) -> QuerySet[Idea]:
    qs = Idea.objects.filter(process=process)
    if topic:
        qs = qs.filter(topic_id=topic)
    if territory_path:
        qs = qs.filter(territory__path__startswith=territory_path)
    if answer:
        qs = qs.filter(answer=answer)
    if merged is not None:
        qs = qs.filter(action__isnull=not merged)
    qs = qs.select_related("author", "on_behalf_of", "topic", "territory", "action").only(
        "id", "process_id", "title", "created_at", "support_count", "comment_count", "answer",
        "hidden_at", "hidden_reason", "latitude", "longitude",  # the list's map (maps.points_map)
        "action__id", "action__title", "action__process_id", "action__status", "action__progress",
        "author__id", "author__display_name", "author__email", "author__deleted_at",
        "on_behalf_of__id", "on_behalf_of__name", "on_behalf_of__slug",
        "topic__id", "topic__name", "topic__slug", "territory__id", "territory__name",
        "territory__code",  # the API names places by code, as the filter does
        *translation_columns(),
        *translation_columns("topic", "territory", "action", "on_behalf_of"),
    )  # fmt: skip
    if sort == "random":
        key = Mod(
            F("id") * Value(RANDOM_MULTIPLIER) + Value(seed % RANDOM_MODULUS), Value(RANDOM_MODULUS)
        )
        return qs.annotate(shuffle=key).order_by("shuffle", "id")
    return qs.order_by(*SORTS.get(sort, SORTS["newest"]))


def idea_filter_places(process: Process) -> QuerySet[Territory]:
    """The places the idea list's place filter offers: those of this process's ideas and the
    places above them (the filter matches subtrees), not every place of every city (issue 18).
    The paths are read in one query, cached until ideas or places change."""

    def compute() -> list[str]:
        paths = (
            Idea.objects.filter(process=process, territory__isnull=False)
            .order_by()
            .values_list("territory__path", flat=True)
            .distinct()
        )
        return paths_with_ancestors(paths)

    return places_at(cached(("plans", "network"), f"idea-filter-places:{process.pk}", compute))


def idea_places(territory: Territory | None) -> QuerySet[Territory]:
    """The places an idea may be in, for a process whose space is in ``territory``: that place
    and everything under it (only the cities and districts under a country); without a
    territory, the cities and districts. Never every neighbourhood of every city: a city can
    bring thousands of its own areas (issue 18)."""
    kinds = Territory.Kind
    if territory is None:
        return Territory.objects.filter(kind__in=(kinds.CITY, kinds.DISTRICT)).order_by("path")
    places = Territory.objects.filter(path__startswith=territory.path)
    if territory.kind == kinds.COUNTRY:
        places = places.filter(kind__in=(kinds.COUNTRY, kinds.CITY, kinds.DISTRICT))
    return places.order_by("path")


def bounded_page(
    queryset: QuerySet[Any], page: str | int | None, per_page: int = PAGE_SIZE
) -> Page:
    """At most ``MAX_PAGES`` pages of ideas: the COUNT and the deepest OFFSET are bounded, and a
    page reads its ids first, so the joins never run over the skipped rows."""
    return paginate(queryset, page, per_page=per_page, cap=MAX_PAGES * per_page, ids_first=True)


def idea_detail(process: Process, pk: int) -> Idea:
    try:
        idea = (
            Idea.objects.select_related("author", "on_behalf_of", "topic", "territory", "action")
            .prefetch_related("attachments")
            .get(process=process, pk=pk)
        )
        attach_process(process, [idea])
        return idea
    except Idea.DoesNotExist:
        raise Http404 from None


WORD_RE = re.compile(r"\w{4,}", re.UNICODE)
CANDIDATES = 50


def similar_ideas(
    process: Process, title: str, *, exclude: int | None = None, limit: int = 5
) -> list[Idea]:
    """Ideas of the same process whose titles look like ``title``: a LIKE on up to five words of
    four letters or more picks at most 50 candidates (most supported first), then a similarity
    score in Python orders them."""
    title = (title or "")[:200]
    words = sorted({w.lower()[:30] for w in WORD_RE.findall(title)}, key=len, reverse=True)[:5]
    if not words:
        return []
    condition = Q()
    for word in words:
        condition |= Q(title__icontains=word)
    qs = Idea.objects.filter(process=process, hidden_at__isnull=True).filter(condition)
    if exclude:
        qs = qs.exclude(pk=exclude)
    candidates = list(
        qs.only("id", "title", "process_id", "support_count", *translation_columns()).order_by(
            "-support_count", "-id"
        )[:CANDIDATES]
    )
    wanted = title.lower()

    def score(idea: Idea) -> float:
        text = idea.title.lower()
        overlap = sum(1 for w in words if w in text) / len(words)
        return overlap + difflib.SequenceMatcher(None, wanted, text).ratio()

    candidates.sort(key=score, reverse=True)
    attach_process(process, candidates[:limit])
    return candidates[:limit]


def action_detail(process: Process, pk: int) -> Action:
    try:
        action = (
            Action.objects.select_related("lead_organisation", "topic", "process")
            .prefetch_related(
                "partners",
                "updates__author",
                Prefetch(
                    "source_ideas",
                    queryset=Idea.objects.select_related("author", "on_behalf_of").order_by("id"),
                ),
            )
            .get(process=process, pk=pk)
        )
        attach_process(process, [action])
        return action
    except Action.DoesNotExist:
        raise Http404 from None


def actions_of(process: Process) -> QuerySet[Action]:
    """The actions of a process with their lead, topic, partners and source ideas (a fixed
    number of queries whatever their number): the action plan and the API's action list."""
    return (
        Action.objects.filter(process=process)
        .select_related("lead_organisation", "topic")
        .prefetch_related(
            "partners",
            Prefetch(
                "source_ideas",
                queryset=Idea.objects.select_related("author")
                .only(
                    "id",
                    "title",
                    *translation_columns(),
                    "action_id",
                    "process_id",
                    "author__id",
                    "author__display_name",
                    "author__email",
                    "author__deleted_at",
                )
                .order_by("id"),
            ),
        )
    )


def plan_actions(process: Process, *, include_proposed: bool = True) -> list[Action]:
    qs = actions_of(process).order_by("topic__name", "starts_on", "id")
    if not include_proposed:
        qs = qs.exclude(status=Action.Status.PROPOSED)
    actions = list(qs)
    attach_process(process, actions)
    return actions


def attach_process(process: Process, items: Any) -> None:
    """Ideas and actions of ``process`` build their URLs from it: set it, no query per row."""
    for item in items:
        item.process = process
        action = getattr(item, "action", None) if isinstance(item, Idea) else None
        if action is not None:
            action.process = process
        if isinstance(item, Action) and "source_ideas" in getattr(
            item, "_prefetched_objects_cache", {}
        ):
            for idea in item.source_ideas.all():
                idea.process = process


def plan_by_topic(actions: list[Action]) -> list[tuple[Any, list[Action]]]:
    groups: dict[Any, list[Action]] = {}
    for action in actions:
        groups.setdefault(action.topic, []).append(action)
    return list(groups.items())


def idea_activity(*, home_path: str, reactions: bool = True) -> list[tuple[Any, ...]]:
    """Ideas (not hidden) in public spaces by people whose home neighbourhood lies under
    ``home_path`` and, with ``reactions``, their supports and visible comments on such ideas, as
    ``(person id, home neighbourhood id, space id, created at)`` rows (the participation-equity
    pages of insights count them)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import OuterRef, Subquery

    from cocity.network.models import Space
    from cocity.participation.models import Comment, Support

    public = Space.Visibility.PUBLIC
    rows: list[tuple[Any, ...]] = list(
        Idea.objects.filter(
            author__home_neighbourhood__path__startswith=home_path,
            process__space__visibility=public,
            hidden_at__isnull=True,
        ).values_list(
            "author_id", "author__home_neighbourhood_id", "process__space_id", "created_at"
        )
    )
    if not reactions:
        return rows
    idea_type = ContentType.objects.get_for_model(Idea)
    idea_space = (
        Idea.objects.filter(pk=OuterRef("object_id"), process__space__visibility=public)
        .order_by()
        .values("process__space_id")[:1]
    )
    for model, person, extra in (
        (Support, "user", {}),
        (Comment, "author", {"hidden_at__isnull": True}),
    ):
        rows += list(
            model.objects.filter(
                content_type=idea_type,
                **{f"{person}__home_neighbourhood__path__startswith": home_path},
                **extra,
            )
            .annotate(space_id=Subquery(idea_space))
            .filter(space_id__isnull=False)
            .values_list(
                f"{person}_id", f"{person}__home_neighbourhood_id", "space_id", "created_at"
            )
        )
    return rows


def followed_processes(*, user: Viewer, limit: int = 5) -> list[Process]:
    """The processes the person follows, or that are in a space they follow, that they may
    see, with their phases (``active_phase()`` needs no query): two queries (the start page)."""
    from cocity.network.models import Space
    from cocity.participation.selectors import followed_ids

    if not user.is_authenticated:
        return []
    return list(
        processes_visible_to(user)
        .filter(Q(pk__in=followed_ids(user, Process)) | Q(space_id__in=followed_ids(user, Space)))
        .select_related("manual_phase")
        .prefetch_related("phases")
        .order_by("-created_at", "id")[:limit]
    )
