"""Reads for commons, calls and pacts: the query shape of each page decided once here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.paginator import Page
from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cocity.accounts.types import Viewer
from cocity.core.cache import cached
from cocity.core.hubs import HubScope
from cocity.core.pagination import paginate
from cocity.core.translations import translated, translation_columns
from cocity.network.models import Role, Territory, Topic
from cocity.network.selectors.territories import paths_with_ancestors, places_at

from . import lifecycle
from .models import (
    CallForCare,
    Commons,
    Pact,
    PactHistoryEntry,
    PactParty,
    PactReport,
    PactVersion,
)

S = Pact.State
HIDDEN_STATES = (S.DRAFT, S.WITHDRAWN)
# At most this many features per map response (newest first); the GeoJSON says "truncated" when
# the visible area holds more, and the map asks to zoom in or filter.
MAP_LIMIT = 300


SMALL_AREA = 2000


def _restrict_to_commons(qs: QuerySet[Pact], commons: QuerySet[Commons]) -> QuerySet[Pact]:
    """Pacts of the commons in an area. A small area (a neighbourhood, a zoomed-in map) is
    looked up first through the commons' own indexes (location, territory path) and the pacts
    fetched by commons id; a large one is joined, newest first, which stops early anyway."""
    ids = list(commons.order_by().values_list("id", flat=True)[: SMALL_AREA + 1])
    if len(ids) <= SMALL_AREA:
        return qs.filter(commons_id__in=ids)
    return qs.filter(commons__in=commons)


def public_pacts() -> QuerySet[Pact]:
    return Pact.objects.exclude(state__in=HIDDEN_STATES)


def pacts_in_hub(scope: HubScope) -> QuerySet[Pact]:
    """The public pacts of a hub: those of the commons of its organisations or in its place
    (``HubScope.match``). What its pacts section counts and the registry filtered to the hub
    (``?space=``, ``?organisation=``, ``?place=``) shows."""
    return public_pacts().filter(
        scope.match(
            organisation="commons__organisation_id", territory_path="commons__territory_path"
        )
    )


def commons_in_hub(scope: HubScope) -> QuerySet[Commons]:
    """The commons of a hub's organisations or in its place: its commons section and the
    registry of commons filtered to the hub."""
    return Commons.objects.filter(
        scope.match(organisation="organisation_id", territory_path="territory_path")
    )


def filter_places(*, of_pacts: bool = True) -> QuerySet[Territory]:
    """The places the place filter offers (``forms.PactFilterForm``): those of the commons with a
    public pact (``of_pacts``: the registry, its map and exports) or of any commons (the registry
    of commons), and the places above them, since the filter matches subtrees. Not every place:
    a city bringing its thousands of areas adds only those with something to filter (issue 18).
    The paths are read in one query and cached until commons or places change; the places are
    one lazy query."""

    def compute() -> list[str]:
        commons = Commons.objects.exclude(territory_path="")
        if of_pacts:
            commons = commons.filter(Exists(public_pacts().filter(commons_id=OuterRef("pk"))))
        paths = commons.order_by().values_list("territory_path", flat=True).distinct()
        return paths_with_ancestors(paths)

    name = "pact-filter-places" if of_pacts else "commons-filter-places"
    return places_at(cached(("commons", "network"), name, compute))


def filter_pacts(qs: QuerySet[Pact], filters: dict[str, Any]) -> QuerySet[Pact]:
    """Apply the registry filters (already validated by ``forms.PactFilterForm``; ``hub``, a
    ``HubScope``, from ``network.selectors.hubs.hub_filter``)."""
    hub: HubScope | None = filters.get("hub")
    if hub is not None:
        qs = qs.filter(pk__in=pacts_in_hub(hub).values("pk"))
    if filters.get("state"):
        qs = qs.filter(state=filters["state"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("commons_kind"):
        qs = qs.filter(commons__kind=filters["commons_kind"])
    territory: Territory | None = filters.get("territory")
    if territory is not None:
        qs = _restrict_to_commons(
            qs, Commons.objects.filter(territory_path__startswith=territory.path)
        )
    topic: Topic | None = filters.get("topic")
    if topic is not None:
        qs = qs.filter(
            Exists(
                Commons.topics.through.objects.filter(
                    commons_id=OuterRef("commons_id"), topic_id=topic.pk
                )
            )
        )
    if filters.get("year"):
        year = int(filters["year"])
        start = timezone.make_aware(dt.datetime(year, 1, 1))
        qs = qs.filter(created_at__gte=start, created_at__lt=start.replace(year=year + 1))
    if filters.get("overdue"):
        qs = qs.filter(step_due_on__lt=timezone.localdate(), state__in=OVERDUE_STATES)
    return qs


OVERDUE_STATES = tuple(str(s) for s in lifecycle.DEFAULT_DEADLINES)
PICTURE_FIELDS = ("cover", "cover_alt", "cover_decorative", "cover_variants")  # the cards' covers


def pact_registry(filters: dict[str, Any]) -> QuerySet[Pact]:
    return (
        filter_pacts(public_pacts(), filters)
        .select_related("commons", "commons__territory")
        .only(
            "id",
            "title",
            *translation_columns(),
            *translation_columns("commons", "commons__territory"),
            "kind",
            "state",
            "level",
            "created_at",
            "step_due_on",
            "starts_on",
            "ends_on",
            "commons__name",
            "commons__slug",
            "commons__kind",
            "commons__territory__name",
            "commons__territory__code",
            *PICTURE_FIELDS,
        )
        .order_by("-created_at", "-id")
    )


def pacts_in_bbox(
    filters: dict[str, Any], bbox: tuple[float, float, float, float] | None, limit: int = MAP_LIMIT
) -> list[dict[str, Any]]:
    """The newest pacts whose commons lie in the visible area, as plain rows for the map (the
    pact's title and the commons' name in the viewer's language)."""
    qs = filter_pacts(public_pacts(), filters)
    if bbox is not None:
        west, south, east, north = bbox
        qs = _restrict_to_commons(
            qs,
            Commons.objects.filter(
                longitude__gte=west,
                longitude__lte=east,
                latitude__gte=south,
                latitude__lte=north,
            ),
        )
    else:
        qs = qs.filter(commons__latitude__isnull=False)
    rows: Any = list(
        qs.order_by("-created_at", "-id").values(
            "id",
            "title",
            "kind",
            "state",
            "commons__name",
            "commons__kind",
            "commons__latitude",
            "commons__longitude",
            "commons__shape",
            "commons__territory_path",
            *translation_columns(),
            *translation_columns("commons"),
        )[:limit]
    )
    for row in rows:
        pact = Pact(title=row["title"], **{n: row.pop(n) for n in translation_columns()})
        commons = Commons(
            name=row["commons__name"],
            **{n: row.pop(f"commons__{n}") for n in translation_columns()},
        )
        row["title"] = translated(pact, "title")
        row["commons__name"] = translated(commons, "name")
    return rows


def overdue_pacts() -> QuerySet[Pact]:
    return (
        public_pacts()
        .filter(step_due_on__lt=timezone.localdate(), state__in=OVERDUE_STATES)
        .select_related("commons")
        .order_by("step_due_on", "id")
    )


def pact_detail(pk: int) -> Pact:
    return (
        Pact.objects.select_related(
            "commons__organisation",
            "commons__territory",
            "call",
            "competes_with",
            "merged_into",
            "created_by",
        )
        .prefetch_related(
            Prefetch(
                "parties",
                PactParty.objects.select_related(
                    "organisation", "person", "signed_by"
                ).prefetch_related("commitments"),
            ),
            "activities",
            "documents",
            "photos",
            Prefetch(
                "history",
                PactHistoryEntry.objects.select_related("actor").order_by("created_at", "id"),
            ),
            Prefetch("versions", PactVersion.objects.select_related("author").order_by("-number")),
            Prefetch(
                "reports", PactReport.objects.select_related("author").prefetch_related("photos")
            ),
            Prefetch(
                "competing",
                Pact.objects.exclude(state__in=HIDDEN_STATES).only(
                    "id", "title", "state", "competes_with_id", *translation_columns()
                ),
            ),
        )
        .get(pk=pk)
    )


def pact_officers(pact: Pact) -> QuerySet[Any]:
    return (
        get_user_model()
        .objects.filter(
            organisation_memberships__organisation_id=pact.commons.organisation_id,
            organisation_memberships__role__in=[Role.EDITOR, Role.ADMIN],
        )
        .order_by("pk")
    )


def my_pacts(user: Viewer) -> QuerySet[Pact]:
    if not user.is_authenticated:
        return Pact.objects.none()
    return (
        Pact.objects.filter(Q(created_by=user) | Q(parties__person=user))
        .distinct()
        .select_related("commons")
        .order_by("-created_at", "-id")
    )


def officer_queue(user: Viewer) -> QuerySet[Pact]:
    if not user.is_authenticated:
        return Pact.objects.none()
    orgs = user.organisation_memberships.filter(role__in=[Role.EDITOR, Role.ADMIN]).values(
        "organisation_id"
    )
    return (
        Pact.objects.filter(commons__organisation_id__in=orgs, state__in=OVERDUE_STATES)
        .select_related("commons")
        .order_by("step_due_on", "id")
    )


def commons_list(filters: dict[str, Any]) -> QuerySet[Commons]:
    qs = Commons.objects.select_related("territory", "organisation").annotate(
        pact_count=Count("pacts", filter=~Q(pacts__state__in=HIDDEN_STATES))
    )
    if filters.get("commons_kind"):
        qs = qs.filter(kind=filters["commons_kind"])
    territory = filters.get("territory")
    if territory is not None:
        qs = qs.filter(territory_path__startswith=territory.path)
    hub: HubScope | None = filters.get("hub")
    if hub is not None:
        qs = qs.filter(pk__in=commons_in_hub(hub).values("pk"))
    return qs.order_by("name", "id")


def commons_detail(slug: str) -> Commons:
    return (
        Commons.objects.select_related("territory", "organisation")
        .prefetch_related("photos", "topics", "calls")
        .get(slug=slug)
    )


def commons_pacts(commons: Commons) -> QuerySet[Pact]:
    return (
        public_pacts()
        .filter(commons=commons)
        .select_related("commons__territory")
        .order_by("-created_at", "-id")
    )


def calls_list() -> QuerySet[CallForCare]:
    return (
        CallForCare.objects.select_related("organisation")
        .annotate(commons_count=Count("commons", distinct=True))
        .order_by("-opens_on", "id")
    )


def call_detail(slug: str) -> CallForCare:
    return (
        CallForCare.objects.select_related("organisation")
        .prefetch_related(Prefetch("commons", Commons.objects.select_related("territory")))
        .get(slug=slug)
    )


def export_rows(filters: dict[str, Any]) -> Any:
    return (
        filter_pacts(public_pacts(), filters)
        .order_by("id")
        .values(
            "id",
            "title",
            "kind",
            "state",
            "level",
            "starts_on",
            "ends_on",
            "created_at",
            "step_due_on",
            "commons__name",
            "commons__slug",
            "commons__kind",
            "commons__territory__name",
            "commons__territory__code",
            "commons__organisation__name",
            "commons__latitude",
            "commons__longitude",
            "commons__shape",
        )
        .iterator(chunk_size=2000)
    )


# The registry counts at most this many pacts (a LIMITed subquery walks the index, never the
# whole table); beyond, the page says "more than 500" and the filters narrow the list.
COUNT_CAP = 500


def registry_page(filters: dict[str, Any], page: str | int | None) -> Page:
    """One page of the public registry, its count capped (``paginator.capped``)."""
    return paginate(pact_registry(filters), page, cap=COUNT_CAP)


def registry_cards(pacts: Iterable[Pact]) -> list[dict[str, Any]]:
    """The registry's cards as plain strings, computed once per row in Python: the card template
    then only interpolates (no ``{% url %}``, choice labels or translations per row)."""
    pattern = reverse("commons:pact_detail", args=[987654321])
    kinds = dict(Pact.Kind.choices)
    states = dict(Pact.State.choices)
    today = timezone.localdate()
    cards = []
    for pact in pacts:
        commons = pact.commons
        place = [translated(commons, "name")]
        if commons.territory_id:
            place.append(translated(commons.territory, "name"))
        place.append(str(kinds.get(pact.kind, pact.kind)))
        place.append(
            _("proposed %(date)s")
            % {"date": formats.date_format(timezone.localtime(pact.created_at), "DATE_FORMAT")}
        )
        overdue = ""
        if pact.step_due_on and pact.step_due_on < today:
            overdue = _("overdue since %(date)s") % {
                "date": formats.date_format(pact.step_due_on, "DATE_FORMAT")
            }
        cards.append(
            {
                "url": pattern.replace("987654321", str(pact.pk)),
                "title": translated(pact, "title"),
                "meta": " · ".join(place),
                "state": str(states.get(pact.state, pact.state)),
                "overdue": overdue,
                "cover": pact.cover,
            }
        )
    return cards


def overdue_cards(pacts: Iterable[Pact]) -> list[dict[str, str]]:
    """The "steps overdue" list as plain strings (see ``registry_cards``)."""
    pattern = reverse("commons:pact_detail", args=[987654321])
    states = dict(Pact.State.choices)
    return [
        {
            "url": pattern.replace("987654321", str(pact.pk)),
            "title": translated(pact, "title"),
            "badge": _("%(state)s: due %(date)s")
            % {
                "state": states.get(pact.state, pact.state),
                "date": formats.date_format(pact.step_due_on, "DATE_FORMAT")
                if pact.step_due_on
                else "",
            },
        }
        for pact in pacts
    ]


# The states after signature: the deadline that matters is the pact's end (renew or close it).
RUNNING_STATES = (S.SIGNED, S.ACTIVE, S.REPORTED, S.RENEWED)


def pact_deadlines(*, user: Viewer, limit: int = 5) -> list[Pact]:
    """The next deadlines of the person's pacts, soonest (or most overdue) first: pacts they
    proposed or are a party to (themselves or through an organisation they edit for), and those
    of the commons their organisations answer for. A pact in a step has that step's due date,
    a running pact its end; each row has ``deadline`` and ``is_step``. One query."""
    if not user.is_authenticated:
        return []
    orgs = user.organisation_memberships.filter(role__in=[Role.EDITOR, Role.ADMIN]).values(
        "organisation_id"
    )
    mine = Pact.objects.filter(
        Q(created_by_id=user.pk)
        | Q(parties__person_id=user.pk)
        | Q(parties__organisation_id__in=orgs)
        | Q(commons__organisation_id__in=orgs)
    ).values("pk")
    in_step = Q(state__in=OVERDUE_STATES, step_due_on__isnull=False)
    return list(
        Pact.objects.filter(pk__in=mine)
        .filter(in_step | Q(state__in=RUNNING_STATES))
        .annotate(
            deadline=Case(When(in_step, then=F("step_due_on")), default=F("ends_on")),
            is_step=Case(When(in_step, then=Value(True)), default=Value(False)),
        )
        .select_related("commons")
        .order_by("deadline", "id")[:limit]
    )
