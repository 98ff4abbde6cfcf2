"""Writes for topics (the shared taxonomy, kept by the site's staff in the admin)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cocity.core.translations import normalise_translations

from ..models import Topic


def _check_parent(topic: Topic, parent: Topic | None) -> None:
    node = parent
    while node is not None:
        if topic.pk and node.pk == topic.pk:
            raise ValidationError({"parent": _("A topic cannot be broader than itself.")})
        node = node.parent


@transaction.atomic
def topic_create(
    *,
    name: str,
    slug: str,
    parent: Topic | None = None,
    description: str = "",
    translations: dict[str, Any] | None = None,
) -> Topic:
    topic = Topic(
        name=(name or "").strip(),
        slug=slug,
        parent=parent,
        description=description,
        translations=normalise_translations(translations or {}, "name"),
    )
    topic.full_clean()
    topic.save()
    return topic


@transaction.atomic
def topic_update(
    *,
    topic: Topic,
    name: str,
    slug: str,
    parent: Topic | None = None,
    description: str = "",
    translations: dict[str, Any] | None = None,
) -> Topic:
    """Change a topic; it cannot sit under itself or under one of its narrower topics."""
    locked = Topic.objects.select_for_update().get(pk=topic.pk)
    _check_parent(locked, parent)
    locked.name, locked.slug, locked.parent = (name or "").strip(), slug, parent
    locked.description = description
    locked.translations = normalise_translations(translations or {}, "name")
    locked.full_clean()
    locked.save()
    return locked
