"""Reads for places (territories) and topics. Ancestors come from the materialised path in one
query; lists never issue a query per row."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from cocity.accounts.types import Viewer

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
        .only("name", "code", "boundary", "boundary_approximate")
        .first()
    )


def territory_ancestors(territory: Territory) -> list[Territory]:
    """From the country down to the parent, read from the path in one query."""
    codes = [code for code in territory.path.split("/") if code][:-1]
    if not codes:
        return []
    return list(Territory.objects.filter(code__in=codes).order_by("depth"))


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
