"""Ideas and actions in the cross-platform search (cocity.search); hidden ideas stay out."""

from typing import Any

from cocity.search.index import city_of, plain_text
from cocity.search.registry import IndexEntry, SearchProvider, register


def idea_entry(idea: Any) -> IndexEntry | None:
    if idea.hidden_at is not None:
        return None
    process = idea.process
    city, city_name = city_of(idea.territory)
    return IndexEntry(
        title=idea.title,
        body=plain_text(idea.body),
        url=idea.get_absolute_url(),
        kind="plans.idea",
        kind_label="idea",
        topics=((idea.topic.slug, idea.topic.name),) if idea.topic else (),
        city=city,
        city_name=city_name,
        year=idea.created_at.year,
        space_id=process.space_id,
        is_public=process.space.is_public,
    )


def action_entry(action: Any) -> IndexEntry | None:
    process = action.process
    return IndexEntry(
        title=action.title,
        body="\n".join(w for w in (plain_text(action.description), action.deliverables) if w),
        url=action.get_absolute_url(),
        kind="plans.action",
        kind_label="action",
        topics=((action.topic.slug, action.topic.name),) if action.topic else (),
        year=action.created_at.year,
        space_id=process.space_id,
        is_public=process.space.is_public,
    )


register(SearchProvider(key="plans.idea", model="plans.Idea", entry=idea_entry))
register(SearchProvider(key="plans.action", model="plans.Action", entry=action_entry))
