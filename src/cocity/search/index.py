"""Keep the index current: services call ``update(obj)`` / ``remove(obj)`` in the transaction of
the change, so a document is searchable the moment the change commits (and never before)."""

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.html import strip_tags

from cocity.core.text import render_markdown

from .models import Document, DocumentTopic
from .registry import IndexEntry, SearchProvider, provider_for

# Content language -> PostgreSQL text-search configuration (stemming and stop words).
TS_CONFIGS = {
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "it": "italian",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "tr": "turkish",
}
MAX_BODY = 50_000
VERSION_KEY = "search:version"  # bumped on every index change: cached facet counts expire


def _bump_version() -> None:
    def bump() -> None:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.set(VERSION_KEY, 2, None)

    transaction.on_commit(bump)


def ts_config(language: str) -> str:
    return TS_CONFIGS.get((language or "").split("-")[0].lower(), "simple")


def plain_text(markdown: str) -> str:
    """Markdown to the words a reader sees (sanitised render, tags stripped)."""
    return " ".join(strip_tags(render_markdown(markdown or "")).split())


def _write_fulltext(document: Document) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            config = ts_config(document.language)
            cursor.execute(
                "UPDATE search_document SET ts_config = %s::regconfig, search_vector = "
                "setweight(to_tsvector(%s::regconfig, title), 'A') || "
                "setweight(to_tsvector(%s::regconfig, body), 'B') WHERE id = %s",
                [config, config, config, document.pk],
            )
        elif connection.vendor == "sqlite":
            cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [document.pk])
            cursor.execute(
                "INSERT INTO search_fts (rowid, title, body) VALUES (%s, %s, %s)",
                [document.pk, document.title, document.body],
            )


def write_entry(provider: SearchProvider, object_id: int, entry: IndexEntry) -> Document:
    document, _created = Document.objects.update_or_create(
        provider=provider.key,
        object_id=object_id,
        defaults={
            "title": entry.title[:300],
            "body": entry.body[:MAX_BODY],
            "language": entry.language[:12],
            "kind": entry.kind[:40],
            "kind_label": str(entry.kind_label)[:80],
            "city": entry.city[:32],
            "city_name": entry.city_name[:200],
            "year": entry.year,
            "space_id": entry.space_id,
            "is_public": entry.is_public,
            "url": entry.url[:400],
            "updated_at": timezone.now(),
        },
    )
    DocumentTopic.objects.filter(document=document).delete()
    DocumentTopic.objects.bulk_create(
        [
            DocumentTopic(document=document, slug=slug[:120], label=str(label)[:120])
            for slug, label in dict(entry.topics).items()
        ]
    )
    _write_fulltext(document)
    _bump_version()
    return document


def _delete(provider_key: str, object_id: int) -> None:
    ids = list(
        Document.objects.filter(provider=provider_key, object_id=object_id).values_list(
            "pk", flat=True
        )
    )
    if not ids:
        return
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for pk in ids:
                cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [pk])
    Document.objects.filter(pk__in=ids).delete()
    _bump_version()


def update(obj: Any) -> None:
    """(Re)index one object with its registered provider, or drop it if it no longer belongs."""
    provider = provider_for(obj)
    if provider is None:
        return
    # Labels are stored in the source language and translated when shown.
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        entry = provider.entry(obj)
        if entry is None:
            _delete(provider.key, obj.pk)
        else:
            write_entry(provider, obj.pk, entry)


def remove(obj: Any) -> None:
    provider = provider_for(obj)
    if provider is not None and obj.pk is not None:
        _delete(provider.key, obj.pk)


def city_of(territory: Any) -> tuple[str, str]:
    """(code, name) of the city a territory is in, from its materialised path."""
    if territory is None:
        return "", ""
    from cocity.network.models import Territory

    if territory.kind == Territory.Kind.CITY:
        return territory.code, territory.name
    codes = territory.path.strip("/").split("/")
    if len(codes) < 2:
        return "", ""
    name = Territory.objects.filter(code=codes[1]).values_list("name", flat=True).first()
    return (codes[1], name) if name else ("", "")


def reindex_all() -> int:
    """Rebuild every provider's documents (after an import, or to repair the index)."""
    from .registry import providers

    count = 0
    for provider in providers():
        for obj in provider.objects():
            update(obj)
            count += 1
    return count
