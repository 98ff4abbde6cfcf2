"""Pacts and commons in the cross-platform search (cocity.search): public pacts only."""

from typing import Any

from django.utils.translation import gettext_noop

from cocity.search.index import city_of, plain_text
from cocity.search.registry import IndexEntry, SearchProvider, register


def pact_entry(pact: Any) -> IndexEntry | None:
    if not pact.is_public:
        return None
    city, city_name = city_of(pact.commons.territory)
    return IndexEntry(
        title=pact.title,
        body="\n".join(w for w in (plain_text(pact.objectives), pact.commons.name) if w),
        url=pact.get_absolute_url(),
        kind="commons.pact",
        kind_label=gettext_noop("collaboration pact"),
        city=city,
        city_name=city_name,
        year=pact.starts_on.year if pact.starts_on else pact.created_at.year,
    )


def commons_entry(commons: Any) -> IndexEntry | None:
    city, city_name = city_of(commons.territory)
    return IndexEntry(
        title=commons.name,
        body=plain_text(commons.description),
        url=commons.get_absolute_url(),
        kind="commons.commons",
        kind_label=gettext_noop("urban commons"),
        city=city,
        city_name=city_name,
        year=commons.created_at.year if getattr(commons, "created_at", None) else None,
    )


register(SearchProvider(key="commons.pact", model="commons.Pact", entry=pact_entry))
register(SearchProvider(key="commons.commons", model="commons.Commons", entry=commons_entry))
