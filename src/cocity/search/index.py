"""Keep the index current: services call ``update(obj)`` / ``remove(obj)`` in the transaction of
the change, so a document is searchable the moment the change commits (and never before)."""

import dataclasses
import hashlib
from collections import Counter
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.html import strip_tags

from cocity.core.text import render_markdown
from cocity.core.translations import Translatable, words_of

from .analysis import fold, index_terms, words
from .models import Document, DocumentTopic, FacetCount, IndexChange, SearchWord
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
    "ar": "arabic",
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
# The private-use characters extracts mark highlights with (``selectors.snippets``); a document's
# body (what extracts are cut from) never holds them, so every one in an extract is a highlight
# the search made, and an extract never opens or closes one of its own.
MARK_ON, MARK_OFF = "\ue000", "\ue001"
_NO_MARKS = str.maketrans("", "", MARK_ON + MARK_OFF)


def without_marks(text: str) -> str:
    return text.translate(_NO_MARKS)


# Invisible characters people's editors put around or between words (bidirectional marks,
# embeddings, overrides and isolates, the zero-width space, the byte-order mark): the database's
# tokenizers glue them to the word next to them, which then matches no search. The words
# indexed have a space instead; the stored document keeps them.
_INVISIBLE = dict.fromkeys(
    map(ord, "\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"),
    " ",
)


def searchable(text: str) -> str:
    return text.translate(_INVISIBLE)


# Cached summaries follow the "search" namespace (cocity.core.cache): the table in apps.py bumps
# it with every write to a document, its topics or the facet counts. This counter only says when
# to fold the facet counts' +1/-1 rows.
CHANGES_KEY = "search:changes"
FOLD_EVERY = 200  # index changes between two folds of the facet counts' +1/-1 rows


def _count_change() -> None:
    def count() -> None:
        try:
            changes = cache.incr(CHANGES_KEY)
        except ValueError:
            changes = 1
            cache.set(CHANGES_KEY, changes, None)
        if changes % FOLD_EVERY == 0:
            fold_facet_counts()

    transaction.on_commit(count)


# --- Facet counts kept by the writes (see ``models.FacetCount``) ---------------------------

FacetKey = tuple[int, str, str, str]  # scope, condition, facet, value


def _facet_values(document: Document, topics: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(facet, value, label) of one document, as the search filters name them."""
    values = [("kind", document.kind, document.kind_label)]
    if document.city:
        values.append(("city", document.city, document.city_name))
    if document.language:
        values.append(("language", document.language, document.language))
    if document.year is not None:
        values.append(("year", str(document.year), str(document.year)))
    if document.space_id is not None:
        values.append(("space", str(document.space_id), ""))
    values.extend(("topic", slug, label) for slug, label in topics)
    return values


def _facet_rows(document: Document | None, topics: list[tuple[str, str]]) -> dict[FacetKey, str]:
    """Every counter one document adds to: each of its values, with no condition and under each
    one-facet filter that keeps it. Keys map to the value's label."""
    if document is None:
        return {}
    if document.space_id is not None:
        scope = document.space_id
    elif document.is_public:
        scope = 0
    else:
        return {}  # seen by nobody
    values = _facet_values(document, topics)
    conditions = ["", *(f"{facet}={value}" for facet, value, _label in values)]
    return {
        (scope, condition, facet, value): label
        for condition in conditions
        for facet, value, label in values
    }


def _snapshot(document: Document | None) -> dict[FacetKey, str]:
    if document is None:
        return {}
    topics = list(
        DocumentTopic.objects.filter(document=document).values_list("slug", "label").order_by()
    )
    return _facet_rows(document, topics)


def _record_facet_change(before: dict[FacetKey, str], after: dict[FacetKey, str]) -> None:
    """Append +1 for the counters the document now adds to and -1 for those it left (nothing
    when a re-index changed no facet value). Appending never waits for another writer."""
    change: Counter[FacetKey] = Counter(dict.fromkeys(after, 1))
    change.subtract(dict.fromkeys(before, 1))
    rows = [
        FacetCount(
            scope=key[0],
            condition=key[1],
            facet=key[2],
            value=key[3],
            label=after.get(key, before.get(key, ""))[:200],
            n=n,
        )
        for key, n in sorted(change.items())
        if n
    ]
    FacetCount.objects.bulk_create(rows, batch_size=500)


def fold_facet_counts() -> int:
    """Fold the +1/-1 rows of every key that has some into one row per key; returns the number
    of rows removed. One DELETE ... RETURNING takes exactly the rows it folds: rows committed
    meanwhile stay for the next fold, so a count is never lost or doubled, and readers see the
    same sums before and after."""
    pending = "SELECT scope, condition, facet, value FROM search_facetcount WHERE NOT folded"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM search_facetcount WHERE (scope, condition, facet, value) IN "  # noqa: S608
            f"({pending}) RETURNING scope, condition, facet, value, label, n"
        )
        gone = cursor.fetchall()
        totals: Counter[FacetKey] = Counter()
        labels: dict[FacetKey, str] = {}
        for scope, condition, facet, value, label, n in gone:
            key = (scope, condition, facet, value)
            totals[key] += n
            labels[key] = max(labels.get(key, ""), label)
        FacetCount.objects.bulk_create(
            [
                FacetCount(
                    scope=key[0],
                    condition=key[1],
                    facet=key[2],
                    value=key[3],
                    label=labels[key],
                    n=n,
                    folded=True,
                )
                for key, n in sorted(totals.items())
                if n
            ],
            batch_size=1000,
        )
    return len(gone)


# Every facet value of every document as (document_id, facet, value, label): the SQL twin of
# ``_facet_values`` for rebuilding the counts of a whole index in the database.
_VALUES_SQL = """
    SELECT id AS document_id, 'kind' AS facet, kind AS value, kind_label AS label
      FROM search_document
    UNION ALL SELECT id, 'city', city, city_name FROM search_document WHERE city <> ''
    UNION ALL SELECT id, 'language', language, language FROM search_document
      WHERE language <> ''
    UNION ALL SELECT id, 'year', CAST(year AS varchar(12)), CAST(year AS varchar(12))
      FROM search_document WHERE year IS NOT NULL
    UNION ALL SELECT id, 'space', CAST(space_id AS varchar(24)), '' FROM search_document
      WHERE space_id IS NOT NULL
    UNION ALL SELECT document_id, 'topic', slug, label FROM search_documenttopic
"""


def rebuild_facet_counts() -> None:
    """Count every document again (after a bulk load, or to repair): one pass in the database."""
    scopes = (
        "SELECT id AS document_id, COALESCE(space_id, 0) AS scope FROM search_document "
        "WHERE space_id IS NOT NULL OR is_public"
    )
    condition = "c.facet || '=' || c.value"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_facetcount")
        cursor.execute(
            "INSERT INTO search_facetcount (scope, condition, facet, value, label, n, folded) "  # noqa: S608 - constant SQL
            f"WITH s AS ({scopes}), v AS ({_VALUES_SQL}) "
            "SELECT s.scope, '', v.facet, v.value, max(v.label), count(*), true "
            "FROM s JOIN v ON v.document_id = s.document_id GROUP BY 1, 2, 3, 4 "
            f"UNION ALL SELECT s.scope, {condition}, v.facet, v.value, max(v.label), count(*), "
            "true FROM s JOIN v c ON c.document_id = s.document_id "
            "JOIN v ON v.document_id = s.document_id "
            f"GROUP BY s.scope, {condition}, v.facet, v.value"
        )


def ts_config(language: str) -> str:
    return TS_CONFIGS.get((language or "").split("-")[0].lower(), "simple")


def plain_text(markdown: str) -> str:
    """Markdown to the words a reader sees (sanitised render, tags stripped)."""
    return " ".join(strip_tags(render_markdown(markdown or "")).split())


def fulltext_sql(vendor: str) -> str:
    """The statement that writes one document's full-text part: parameters are those of
    ``fulltext_params`` (PostgreSQL: its dictionaries on folded text; SQLite: our terms)."""
    if vendor == "postgresql":
        return (
            "UPDATE search_document SET ts_config = %s::regconfig, search_vector = "
            "setweight(to_tsvector(%s::regconfig, %s), 'A') || "
            "setweight(to_tsvector(%s::regconfig, %s), 'B') WHERE id = %s"
        )
    return "INSERT INTO search_fts (rowid, title, body) VALUES (%s, %s, %s)"


def fulltext_params(vendor: str, pk: int, title: str, body: str, language: str) -> list[Any]:
    if vendor == "postgresql":
        config = ts_config(language)
        return [config, config, fold(searchable(title)), config, fold(searchable(body)), pk]
    return [pk, index_terms(searchable(title)), index_terms(searchable(body))]


def _write_fulltext(document: Document) -> None:
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        return
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [document.pk])
        cursor.execute(
            fulltext_sql(vendor),
            fulltext_params(vendor, document.pk, document.title, document.body, document.language),
        )


def _remember_words(title: str) -> None:
    """The title's words, for suggestions (``selectors.suggest``)."""
    known = {w for w in words(title) if 3 <= len(w) <= 64 and not w.isdigit()}
    if known:
        SearchWord.objects.bulk_create(
            [SearchWord(word=w, length=len(w)) for w in sorted(known)], ignore_conflicts=True
        )


def _outbox(document_ids: list[int]) -> None:
    """One outbox row per changed document, in this transaction, when the backend keeps its
    own index (``indexer``); the indexer is queued for after the commit."""
    from .backends import get_backend

    if not document_ids or not get_backend().uses_outbox:
        return
    IndexChange.objects.bulk_create([IndexChange(document_id=pk) for pk in document_ids])
    from .indexer import queue_apply

    queue_apply()


def _lock_object(provider_key: str, object_id: int) -> None:
    """One writer at a time per indexed object (PostgreSQL; SQLite has one writer anyway), so two
    concurrent first indexings cannot both count the object as new."""
    if connection.vendor == "postgresql":
        digest = hashlib.blake2b(f"search:{provider_key}:{object_id}".encode(), digest_size=8)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s)",
                [int.from_bytes(digest.digest(), "big", signed=True)],
            )


@transaction.atomic
def write_entry(provider: SearchProvider, object_id: int, entry: IndexEntry) -> Document:
    _lock_object(provider.key, object_id)
    before = _snapshot(
        Document.objects.select_for_update()
        .filter(provider=provider.key, object_id=object_id)
        .first()
    )
    document, _created = Document.objects.update_or_create(
        provider=provider.key,
        object_id=object_id,
        defaults={
            "title": entry.title[:300],
            "body": without_marks(entry.body)[:MAX_BODY],
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
    _remember_words(document.title)
    _record_facet_change(before, _facet_rows(document, list(dict(entry.topics).items())))
    _outbox([document.pk])
    _count_change()
    return document


@transaction.atomic
def _delete(provider_key: str, object_id: int) -> None:
    _lock_object(provider_key, object_id)
    documents = list(
        Document.objects.select_for_update().filter(provider=provider_key, object_id=object_id)
    )
    if not documents:
        return
    ids = [d.pk for d in documents]
    for document in documents:
        _record_facet_change(_snapshot(document), {})
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for pk in ids:
                cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [pk])
    Document.objects.filter(pk__in=ids).delete()
    _outbox(ids)
    _count_change()


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
            if isinstance(obj, Translatable):
                # Found in every language it is read in: people's and machine translations.
                words = words_of(obj)
                if words:
                    entry = dataclasses.replace(entry, body="\n".join([entry.body, *words]))
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


def reindex_all(progress: Any = None) -> int:
    """Write every provider's documents again from the objects (after an import, a change of
    analysis, or to repair), each object in its own transaction, so that a search meanwhile sees
    every document either as it was or as it is now; documents whose object is gone or no longer
    belongs are dropped at the end. ``progress(count)`` is called every 500 objects."""
    from .registry import providers

    started = timezone.now()
    count = 0
    for provider in providers():
        for obj in provider.objects():
            update(obj)
            count += 1
            if progress is not None and count % 500 == 0:
                progress(count)
    stale = Document.objects.filter(updated_at__lt=started).values_list("provider", "object_id")
    for provider_key, object_id in list(stale.iterator()):
        _delete(provider_key, object_id)
    rebuild_facet_counts()
    return count
