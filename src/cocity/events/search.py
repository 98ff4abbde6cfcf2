"""Events in the cross-platform search (cocity.search): published, postponed or cancelled events
of the space they belong to; drafts stay out."""

from typing import Any

from cocity.search.index import city_of, plain_text
from cocity.search.registry import IndexEntry, SearchProvider, register


def event_entry(event: Any) -> IndexEntry | None:
    if event.status == event.Status.DRAFT:
        return None
    city, city_name = city_of(event.territory)
    when = event.starts_at or event.created_at
    languages = event.languages or []
    return IndexEntry(
        title=event.title,
        body="\n".join(
            w for w in (event.summary, plain_text(event.description), event.venue_name) if w
        ),
        url=event.get_absolute_url(),
        kind="events.event",
        kind_label=str(event.get_kind_display()),
        language=languages[0] if languages else "",
        topics=tuple((t.slug, t.name) for t in event.topics.all()),
        city=city,
        city_name=city_name,
        year=when.year if when else None,
        space_id=event.space_id,
        is_public=event.space.is_public,
    )


register(SearchProvider(key="events.event", model="events.Event", entry=event_entry))
