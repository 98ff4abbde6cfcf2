"""Reads for places (territories) and topics. Ancestors come from the materialised path in one
query; lists never issue a query per row."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from cocity.accounts.types import Viewer
from cocity.core.translations import translation_columns

from ..models import Space, Territory, Topic
from .spaces import spaces_visible_to


@dataclass
class CountryWithCities:
    country: Territory
    cities: list[Territory] = field(default_factory=list)


def cities_ranked(paths: Iterable[str], *, limit: int) -> list[tuple[str, str]]:
    """The cities holding the most of these territory paths, as ``(code, name)``, most first
    (ties by name). For filter suggestions: computed rarely, then cached by the callers."""
    cities = {
        path: (code, name)
        for path, code, name in Territory.objects.filter(kind=Territory.Kind.CITY).values_list(
            "path", "code", "name"
        )
    }
    counts: Counter[str] = Counter()
    for path in paths:
        prefix = ""
        for part in path.split("/")[:-1]:
            prefix += part + "/"
            if prefix in cities:
                counts[prefix] += 1
                break
    ranked = sorted(counts, key=lambda city: (-counts[city], cities[city][1]))[:limit]
    return [cities[city] for city in ranked]


# The places drawn under a map's points when no place is chosen (the pacts' map): the areas of
# the few cities holding most of the points, enough to recognise them, small whatever the
# registry's size.
CONTEXT_CITIES = 3
CONTEXT_AREAS = 200


@dataclass
class ContextAreas:
    areas: list[Territory]
    capped: bool  # some cities or areas were left out


def city_areas(
    paths: Iterable[str], *, max_cities: int = CONTEXT_CITIES, max_areas: int = CONTEXT_AREAS
) -> ContextAreas:
    """The parts (districts or neighbourhoods) of the cities holding the most of these
    territory paths, at most ``max_cities`` cities and ``max_areas`` areas, with their
    boundaries; a city without parts with a boundary stands for itself. Two queries: which of
    the paths' ancestors are cities, then their parts."""
    held = Counter(path for path in paths if path)
    prefixes: dict[str, list[str]] = {}  # each distinct path's ancestors, itself included
    for path in held:
        codes = [code for code in path.split("/") if code]
        prefixes[path] = ["".join(f"{c}/" for c in codes[: n + 1]) for n in range(len(codes))]
    every = {prefix for chain in prefixes.values() for prefix in chain}
    city_paths = (
        set(
            Territory.objects.filter(kind=Territory.Kind.CITY, path__in=every).values_list(
                "path", flat=True
            )
        )
        if every
        else set()
    )
    counts: Counter[str] = Counter()
    for path, chain in prefixes.items():
        city = next((prefix for prefix in chain if prefix in city_paths), None)
        if city is not None:
            counts[city] += held[path]
    ranked = sorted(counts, key=lambda city: (-counts[city], city))
    cities = ranked[:max_cities]
    if not cities:
        return ContextAreas([], capped=False)
    rows = list(
        Territory.objects.filter(
            Q(parent__path__in=cities) | Q(path__in=cities),
            boundary__isnull=False,
        )
        .only(
            "name",
            "code",
            "path",
            "kind",
            "boundary",
            "boundary_approximate",
            *translation_columns(),
        )
        .order_by("path")[: max_areas + len(cities) + 1]
    )
    with_parts = {row.path.rsplit("/", 2)[0] + "/" for row in rows if row.path not in cities}
    areas = [row for row in rows if row.path not in cities or row.path not in with_parts]
    capped = len(ranked) > max_cities or len(areas) > max_areas
    return ContextAreas(areas[:max_areas], capped=capped)


def countries() -> QuerySet[Territory]:
    return Territory.objects.filter(kind=Territory.Kind.COUNTRY).order_by("name", "code")


def countries_with_cities(country_page: list[Territory]) -> list[CountryWithCities]:
    """The given countries, each with its cities (one query for all the cities)."""
    rows = {country.pk: CountryWithCities(country) for country in country_page}
    cities = (
        Territory.objects.filter(kind=Territory.Kind.CITY, parent_id__in=list(rows))
        .annotate(child_count=Count("children"))
        .order_by("name", "code")
    )
    for city in cities:
        rows[city.parent_id].cities.append(city)  # type: ignore[index]
    return list(rows.values())


def territory_by_code(code: str) -> Territory:
    return get_object_or_404(Territory.objects.select_related("parent"), code=code.upper())


def territory_outline(pk: int) -> Territory | None:
    """A place's name, code and boundary for its outline on a map (``None``: no such place)."""
    return (
        Territory.objects.filter(pk=pk)
        .only("name", "code", "boundary", "boundary_approximate", *translation_columns())
        .first()
    )


def territory_ancestors(territory: Territory) -> list[Territory]:
    """From the country down to the parent, read from the path in one query."""
    codes = [code for code in territory.path.split("/") if code][:-1]
    if not codes:
        return []
    return list(Territory.objects.filter(code__in=codes).order_by("depth"))


def paths_with_ancestors(paths: Iterable[str]) -> list[str]:
    """These materialised paths and every path above them, each once, sorted
    ("FR/FR-MRS/FR-MRS-01/" gives "FR/", "FR/FR-MRS/" and itself). Pure Python: the callers
    read the distinct paths of their rows in one query and cache the result."""
    every: set[str] = set()
    for path in paths:
        prefix = ""
        for code in (path or "").split("/")[:-1]:
            prefix += code + "/"
            every.add(prefix)
    return sorted(every)


def places_at(paths: Iterable[str]) -> QuerySet[Territory]:
    """The places at these paths, by path (one query when evaluated). With
    ``paths_with_ancestors``: the choices of a place filter that matches subtrees, limited to the
    places holding rows and those above them (a city still filters all its neighbourhoods'
    rows), never every place of a city that brought thousands of areas (issue 18)."""
    return Territory.objects.filter(path__in=list(paths)).order_by("path")


def territory_children(territory: Territory) -> QuerySet[Territory]:
    return territory.children.order_by("name", "code")


def spaces_in_territory(territory: Territory, *, user: Viewer) -> QuerySet[Space]:
    """Spaces this viewer may see whose territory lies anywhere in this territory's subtree."""
    return (
        spaces_visible_to(user)
        .filter(territory__path__startswith=territory.path)
        .select_related("territory")
        .order_by("-created_at", "id")
    )


def topic_by_slug(slug: str) -> Topic:
    return get_object_or_404(Topic.objects.select_related("parent"), slug=slug)


def topic_narrower(topic: Topic) -> QuerySet[Topic]:
    return topic.children.order_by("name")


def spaces_with_topic(topic: Topic, *, user: Viewer) -> QuerySet[Space]:
    return (
        spaces_visible_to(user)
        .filter(topics=topic)
        .select_related("territory")
        .order_by("-created_at", "id")
    )
