"""The library's search provider: published items, with their translations' words."""

from typing import Any

from cocity.search.index import plain_text
from cocity.search.registry import IndexEntry, SearchProvider, register


def city_of(territories: Any) -> tuple[str, str]:
    """The first city among the places (a neighbourhood's city from its path)."""
    from cocity.network.models import Territory

    for territory in territories:
        if territory.kind == Territory.Kind.CITY:
            return territory.code, territory.name
    codes = [p for t in territories for p in t.path.strip("/").split("/")]
    city = Territory.objects.filter(code__in=codes, kind=Territory.Kind.CITY).first()
    return (city.code, city.name) if city else ("", "")


def item_entry(item: Any) -> IndexEntry | None:
    if item.status != item.Status.PUBLISHED:
        return None
    translations = list(item.translations.all())
    territories = list(item.territories.all())
    city, city_name = city_of(territories)
    words = [item.summary, plain_text(item.body)]
    for tr in translations:
        words += [tr.title, tr.summary, plain_text(tr.body)]
    words += [t.name for t in territories] + [o.name for o in item.organisations.all()]
    year = item.published_on.year if item.published_on else item.created_at.year
    return IndexEntry(
        title=item.title,
        body="\n".join(w for w in words if w),
        url=item.get_absolute_url(),
        kind=f"library.{item.kind}",
        kind_label=str(item.get_kind_display()),
        language=item.language,
        topics=tuple((t.slug, t.name) for t in item.topics.all()),
        city=city,
        city_name=city_name,
        year=year,
        space_id=item.space_id,
        is_public=item.space.is_public,
    )


register(
    SearchProvider(
        key="library.item",
        model="library.LibraryItem",
        entry=item_entry,
        queryset=lambda: __import__(
            "cocity.library.models", fromlist=["LibraryItem"]
        ).LibraryItem.objects.filter(status="published"),
        kinds=lambda: [
            f"library.{kind}"
            for kind in __import__(
                "cocity.library.models", fromlist=["LibraryItem"]
            ).LibraryItem.Kind.values
        ],
    )
)
