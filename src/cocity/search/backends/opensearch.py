"""Search on an OpenSearch cluster, for installations that outgrow one machine (docs/scaling.md).

The index is reached through an alias (``COCITY_OPENSEARCH_INDEX``, default ``cocity``) that
points at one concrete index, ``<alias>-<UTC timestamp>``. ``rebuild`` fills a new concrete index
beside the one in use and switches the alias to it with one ``POST /_aliases`` (remove + add in
the same request, so searches answer from the old index until the switch and from the new one
after it, never from neither), then deletes the old index.

Mapping: one pair of text fields per interface language (``title_fr`` / ``body_fr``...) with that
language's stemming and stop words, folded (lowercase, accents) after stemming where the
language's stemmer expects accents; a document goes in its own language's pair, a document in
another language in ``title_std`` / ``body_std`` (standard tokenizer, folded). A query word is
looked for in every pair (each analyses it its own way), the title weighted 3. Keyword fields
hold the facets and the visibility scope; the kind, city and topic labels are kept beside them
so the facets come back with their labels.

Every search filters on the viewer's scopes inside the query (``terms`` on ``scope``), so
members-only documents are neither returned nor counted in a facet. Totals are counted exactly
up to ``EXACT_LIMIT`` (``track_total_hits``), and no page past ``MAX_HITS`` is asked for.

Errors: a search that cannot be answered (server down, 5xx, timeout, index missing) raises
``SearchUnavailable`` (the search page says so); ``apply`` and ``rebuild`` raise
``IndexingFailed``, so the outbox keeps its rows and the next run applies them again.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import (
    EXACT_LIMIT,
    MAX_HITS,
    NOBODY,
    IndexedDocument,
    Outcome,
    Progress,
    Query,
    SearchBackend,
    SearchUnavailable,
)

try:  # the optional extra: pip install "cocity[opensearch]"
    import opensearchpy
    from opensearchpy import OpenSearch, helpers
except ImportError:  # pragma: no cover - the dev extra installs it
    opensearchpy = None  # type: ignore[assignment]

__all__ = ["IndexingFailed", "OpenSearchBackend", "SearchUnavailable"]

log = logging.getLogger(__name__)

# Interface languages and the analyser of each (built on OpenSearch's own language filters).
LANGUAGES = ("ar", "de", "el", "en", "es", "fr", "nl")
OTHER = "std"  # any other language: standard tokenizer, folded
TITLE_BOOST = 3
FACET_SIZE = 12
MAX_TERMS = 12  # selectors.parse_query already keeps 12 words of 200 characters at most
MAX_TERM = 64  # analysis.MAX_WORD: the index cuts longer words, so do the queries
SEPARATOR = "\x1f"  # between a topic's slug and its label in ``topic_facet``
BATCH = 500  # documents per bulk request
BULK_RETRIES = 2  # items refused with 429 (the cluster's queues full) are sent again...
BULK_BACKOFF = 2.0  # ... after this many seconds, doubled each time

# Seconds. A search gives up quickly (the page says search is unavailable); writes may wait.
SEARCH_TIMEOUT = 5.0
WRITE_TIMEOUT = 60.0
REBUILD_TIMEOUT = 300.0  # refresh and settings changes of a new index of millions of documents
QUERY_TIMEOUT = "2s"  # each shard stops collecting after this and the answer says "timed_out"
MAX_RETRIES = 2  # on connection errors and 502/503/504; timeouts are not retried


class IndexingFailed(RuntimeError):
    """The cluster refused or could not take the changes (the outbox keeps them)."""


def _stemmed(*filters: str) -> dict[str, Any]:
    return {"type": "custom", "tokenizer": "standard", "filter": list(filters)}


ANALYSIS: dict[str, Any] = {
    "filter": {
        "cocity_en_stop": {"type": "stop", "stopwords": "_english_"},
        "cocity_en_stemmer": {"type": "stemmer", "language": "english"},
        "cocity_en_possessive": {"type": "stemmer", "language": "possessive_english"},
        "cocity_fr_elision": {
            "type": "elision",
            "articles_case": True,
            "articles": [
                "l",
                "m",
                "t",
                "qu",
                "n",
                "s",
                "j",
                "d",
                "c",
                "jusqu",
                "quoiqu",
                "lorsqu",
                "puisqu",
            ],
        },
        "cocity_fr_stop": {"type": "stop", "stopwords": "_french_"},
        "cocity_fr_stemmer": {"type": "stemmer", "language": "light_french"},
        "cocity_de_stop": {"type": "stop", "stopwords": "_german_"},
        "cocity_de_stemmer": {"type": "stemmer", "language": "light_german"},
        "cocity_es_stop": {"type": "stop", "stopwords": "_spanish_"},
        "cocity_es_stemmer": {"type": "stemmer", "language": "light_spanish"},
        "cocity_nl_stop": {"type": "stop", "stopwords": "_dutch_"},
        "cocity_nl_stemmer": {"type": "stemmer", "language": "dutch"},
        "cocity_el_lowercase": {"type": "lowercase", "language": "greek"},
        "cocity_el_stop": {"type": "stop", "stopwords": "_greek_"},
        "cocity_el_stemmer": {"type": "stemmer", "language": "greek"},
        "cocity_ar_stop": {"type": "stop", "stopwords": "_arabic_"},
        "cocity_ar_stemmer": {"type": "stemmer", "language": "arabic"},
    },
    "analyzer": {
        # Folding comes after the stemmer: the stemmers expect accented words.
        "cocity_en": _stemmed(
            "cocity_en_possessive",
            "lowercase",
            "cocity_en_stop",
            "cocity_en_stemmer",
            "asciifolding",
        ),
        "cocity_fr": _stemmed(
            "cocity_fr_elision",
            "lowercase",
            "cocity_fr_stop",
            "cocity_fr_stemmer",
            "asciifolding",
        ),
        "cocity_de": _stemmed(
            "lowercase",
            "cocity_de_stop",
            "german_normalization",
            "cocity_de_stemmer",
            "asciifolding",
        ),
        "cocity_es": _stemmed("lowercase", "cocity_es_stop", "cocity_es_stemmer", "asciifolding"),
        "cocity_nl": _stemmed("lowercase", "cocity_nl_stop", "cocity_nl_stemmer", "asciifolding"),
        # Greek's lowercase filter also drops the tonos; Arabic's normalisation its short vowels.
        "cocity_el": _stemmed("cocity_el_lowercase", "cocity_el_stop", "cocity_el_stemmer"),
        "cocity_ar": _stemmed(
            "lowercase",
            "decimal_digit",
            "cocity_ar_stop",
            "arabic_normalization",
            "cocity_ar_stemmer",
        ),
        "cocity_std": _stemmed("lowercase", "asciifolding"),
    },
}

_KEYWORD = {"type": "keyword"}
_LABEL = {"type": "keyword", "index": False}  # aggregated and returned, never searched

MAPPING: dict[str, Any] = {
    "dynamic": "strict",
    # The index is rebuilt from the database, never from itself: keep no copy of the texts.
    "_source": {"excludes": ["title_*", "body_*"]},
    "properties": {
        "id": {"type": "long"},
        "kind": _KEYWORD,
        "kind_label": _LABEL,
        "topic": _KEYWORD,
        "topic_facet": _LABEL,  # "slug\x1flabel", one per topic
        "city": _KEYWORD,
        "city_name": _LABEL,
        "language": _KEYWORD,
        "year": {"type": "integer"},
        "space": {"type": "long"},
        "scope": {"type": "long"},
        **{
            f"{part}_{suffix}": {"type": "text", "analyzer": f"cocity_{suffix}"}
            for suffix in (*LANGUAGES, OTHER)
            for part in ("title", "body")
        },
    },
}

SEARCH_FIELDS = [
    field
    for suffix in (*LANGUAGES, OTHER)
    for field in (f"title_{suffix}^{TITLE_BOOST}", f"body_{suffix}")
]

_ALIAS = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,200}$")
_SURROGATE = re.compile("[\ud800-\udfff]")
_MATCH_NOTHING: dict[str, Any] = {"bool": {"must_not": [{"match_all": {}}]}}


def field_suffix(language: str) -> str:
    """The field pair a document of this language goes in (``fr-BE`` -> ``fr``)."""
    base = (language or "").split("-")[0].split("_")[0].lower()
    return base if base in LANGUAGES else OTHER


def clean(text: str) -> str:
    """Text that JSON and UTF-8 can carry: lone surrogates become U+FFFD."""
    return _SURROGATE.sub("\ufffd", text) if text else ""


def _masked(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{netloc}"))


def _reason(error: Exception) -> str:
    """A short reason from a client exception (status and the server's error type)."""
    if opensearchpy is not None and isinstance(error, opensearchpy.ConnectionTimeout):
        return "timed out"
    if opensearchpy is not None and isinstance(error, opensearchpy.ConnectionError):
        return f"cannot connect ({error.info!s:.200})" if error.info else "cannot connect"
    if opensearchpy is not None and isinstance(error, opensearchpy.TransportError):
        return f"HTTP {error.status_code} {error.error}"
    return f"{type(error).__name__}: {error!s:.200}"


def document_body(document: IndexedDocument) -> dict[str, Any]:
    """What one document is indexed as."""
    suffix = field_suffix(document.language)
    topics = [
        (clean(slug), clean(label).replace(SEPARATOR, " ")) for slug, label in document.topics
    ]
    body: dict[str, Any] = {
        "id": document.id,
        "kind": clean(document.kind),
        "kind_label": clean(document.kind_label),
        "topic": [slug for slug, _label in topics],
        "topic_facet": [f"{slug}{SEPARATOR}{label}" for slug, label in topics],
        "language": clean(document.language) or None,
        "city": clean(document.city) or None,
        "city_name": clean(document.city_name) or None,
        "year": document.year,
        "space": document.space_id,
        "scope": document.scope,
        f"title_{suffix}": clean(document.title),
        f"body_{suffix}": clean(document.body),
    }
    return body


def _word(term: str) -> str:
    return clean(term.strip())[:MAX_TERM]


def _numeric(value: str, bits: int) -> int | None:
    """A facet value for an integer field, or None when no document can have it."""
    if not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if number < 2 ** (bits - 1) else None


def search_body(query: Query) -> dict[str, Any]:
    """The request body of one search (see the module's docstring)."""
    words = [w for w in (_word(t) for t in query.terms[:MAX_TERMS]) if w]
    must: list[dict[str, Any]] = []
    for position, word in enumerate(words):
        # A word matches in any language's fields, each field analysing it its own way; a word
        # that is a stop word of one language (its field reads nothing) does not restrict.
        exact = {
            "multi_match": {
                "query": word,
                "fields": SEARCH_FIELDS,
                "type": "best_fields",
                "operator": "and",
                "zero_terms_query": "all",
            }
        }
        if query.prefix and position == len(words) - 1:
            # As people type: the last word may be the start of a longer one.
            starts = {
                "multi_match": {
                    "query": word,
                    "fields": SEARCH_FIELDS,
                    "type": "bool_prefix",
                    "operator": "and",
                }
            }
            must.append({"bool": {"should": [exact, starts], "minimum_should_match": 1}})
        else:
            must.append(exact)

    # Who may see what, always inside the query: never a hit nor a count the viewer may not see.
    # NOBODY is no viewer's scope (such documents are never indexed; this keeps it so).
    scopes = sorted({int(s) for s in query.scopes} - {NOBODY})
    filters: list[dict[str, Any]] = [{"terms": {"scope": scopes}}]
    for name in ("kind", "topic", "city", "language", "year", "space"):
        value = query.filters.get(name)
        if value is None or value == "":
            continue
        value = clean(str(value))
        if name in ("year", "space"):
            number = _numeric(value, 32 if name == "year" else 64)
            filters.append({"term": {name: number}} if number is not None else _MATCH_NOTHING)
        else:
            filters.append({"term": {name: value}})
    if query.kinds:
        filters.append({"terms": {"kind": sorted({clean(k) for k in query.kinds})}})

    offset = max(0, min(query.offset, MAX_HITS))
    size = max(0, min(query.limit, MAX_HITS - offset))
    body: dict[str, Any] = {
        "query": {"bool": {"must": must or [{"match_all": {}}], "filter": filters}},
        "from": offset,
        "size": size,
        "track_total_hits": EXACT_LIMIT,
        "_source": False,
        "timeout": QUERY_TIMEOUT,
        "sort": (
            ["_score", {"id": {"order": "desc"}}]
            if words
            else [{"year": {"order": "desc", "missing": "_last"}}, {"id": {"order": "desc"}}]
        ),
    }
    if query.facets:
        body["aggs"] = {
            "kind": {
                "terms": {"field": "kind", "size": FACET_SIZE},
                "aggs": {"label": {"terms": {"field": "kind_label", "size": 1}}},
            },
            "topic": {"terms": {"field": "topic_facet", "size": FACET_SIZE}},
            "city": {
                "terms": {"field": "city", "size": FACET_SIZE},
                "aggs": {"label": {"terms": {"field": "city_name", "size": 1}}},
            },
            "language": {"terms": {"field": "language", "size": FACET_SIZE}},
            "year": {"terms": {"field": "year", "size": FACET_SIZE}},
            "space": {"terms": {"field": "space", "size": FACET_SIZE}},
        }
    return body


def _facet_rows(aggregations: dict[str, Any]) -> list[tuple[str, str, str, int]]:
    rows: list[tuple[str, str, str, int]] = []
    for name in ("kind", "city", "language", "year", "space"):
        for bucket in aggregations.get(name, {}).get("buckets", []):
            key = bucket["key"]
            value = str(int(key)) if name in ("year", "space") else str(key)
            labels = bucket.get("label", {}).get("buckets", [])
            label = str(labels[0]["key"]) if labels else value
            rows.append((name, value, label, int(bucket["doc_count"])))
    topics: dict[str, tuple[str, int]] = {}
    for bucket in aggregations.get("topic", {}).get("buckets", []):
        slug, _sep, label = str(bucket["key"]).partition(SEPARATOR)
        # The same topic under two labels (renamed between two indexings): one row, one count.
        previous_label, previous = topics.get(slug, (label, 0))
        topics[slug] = (previous_label or label, previous + int(bucket["doc_count"]))
    rows.extend(("topic", slug, label or slug, count) for slug, (label, count) in topics.items())
    return rows


def outcome_from(response: dict[str, Any]) -> Outcome:
    hits = response.get("hits", {})
    total = hits.get("total", 0)
    if isinstance(total, dict):
        count, exact = int(total.get("value", 0)), total.get("relation", "eq") == "eq"
    else:  # very old servers: a number
        count, exact = int(total), True
    timed_out = bool(response.get("timed_out"))
    return Outcome(
        ids=[int(hit["_id"]) for hit in hits.get("hits", [])],
        total=count,
        exact=exact and not timed_out,
        facets=_facet_rows(response.get("aggregations", {})),
        degraded=timed_out,
    )


def _batches(items: Iterable[IndexedDocument], size: int) -> Iterator[list[IndexedDocument]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


class OpenSearchBackend(SearchBackend):
    name = "opensearch"
    uses_outbox = True

    def __init__(
        self,
        url: str | None = None,
        alias: str | None = None,
        *,
        search_timeout: float = SEARCH_TIMEOUT,
        write_timeout: float = WRITE_TIMEOUT,
        max_retries: int = MAX_RETRIES,
    ) -> None:
        if opensearchpy is None:  # pragma: no cover
            raise ImproperlyConfigured(
                'The OpenSearch backend needs opensearch-py: pip install "cocity[opensearch]".'
            )
        url = (url if url is not None else settings.COCITY_OPENSEARCH_URL).strip()
        if not url:
            raise ImproperlyConfigured(
                "COCITY_SEARCH_BACKEND is 'opensearch' but COCITY_OPENSEARCH_URL is empty: set it "
                "to the cluster's address, e.g. https://cocity:password@search.example.org:9200 "
                "(docs/scaling.md)."
            )
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ImproperlyConfigured(
                f"COCITY_OPENSEARCH_URL {_masked(url)!r} is not an http(s)://[user:password@]"
                "host:port address (docs/scaling.md)."
            )
        alias = alias if alias is not None else settings.COCITY_OPENSEARCH_INDEX
        if not _ALIAS.match(alias):
            raise ImproperlyConfigured(
                f"COCITY_OPENSEARCH_INDEX {alias!r} is not a valid index name: lowercase letters, "
                "digits, '-', '_' and '.', starting with a letter or digit."
            )
        self.url = url
        self.alias = alias
        self.search_timeout = search_timeout
        self.write_timeout = write_timeout
        # A private certificate authority (a self-signed cluster): its certificate's path.
        tls: dict[str, Any] = {}
        ca_certs = getattr(settings, "COCITY_OPENSEARCH_CA_CERTS", "")
        if ca_certs:
            tls["ca_certs"] = str(ca_certs)
        self.client = OpenSearch(
            hosts=[url],
            timeout=write_timeout,
            max_retries=max_retries,
            retry_on_timeout=False,
            http_compress=False,
            **tls,
        )
        self._alias_checked = False
        self._generation = re.compile(re.escape(alias) + r"-\d{20}$")

    def __repr__(self) -> str:
        return f"<OpenSearchBackend {_masked(self.url)} {self.alias}>"

    # Searching

    def search(self, query: Query) -> Outcome:
        try:
            response = self.client.search(
                index=self.alias,
                body=search_body(query),
                request_timeout=self.search_timeout,
            )
        except opensearchpy.NotFoundError as error:
            raise SearchUnavailable(
                f"OpenSearch index {self.alias!r} not found at {_masked(self.url)}: "
                "run `cocity search-reindex`"
            ) from error
        except opensearchpy.OpenSearchException as error:
            raise SearchUnavailable(
                f"OpenSearch at {_masked(self.url)} could not answer: {_reason(error)}"
            ) from error
        return outcome_from(response)

    # Writing

    def apply(self, upserts: list[IndexedDocument], deletions: list[int]) -> None:
        """Index ``upserts`` and delete ``deletions`` in bulk requests into the alias.

        Refresh policy ``wait_for``: the call returns once the changes are searchable (at the
        index's next periodic refresh, one second by default) without forcing a refresh, so
        the outbox rows are deleted only when searches see their changes. Deleting an id the
        index does not hold is fine; any other failed item raises ``IndexingFailed``."""
        if not upserts and not deletions:
            return
        self._ensure_alias()
        # A document seen by nobody is never in the index (the indexer sends none; this keeps
        # it so whoever calls).
        hidden = [d.id for d in upserts if d.scope == NOBODY]
        actions: list[dict[str, Any]] = [
            {"_op_type": "index", "_id": str(d.id), "_source": document_body(d)}
            for d in upserts
            if d.scope != NOBODY
        ]
        actions += [{"_op_type": "delete", "_id": str(pk)} for pk in [*deletions, *hidden]]
        self._bulk(actions, index=self.alias, refresh="wait_for")

    def _bulk(self, actions: list[dict[str, Any]], *, index: str, refresh: str | bool) -> None:
        try:
            _done, errors = helpers.bulk(
                self.client,
                actions,
                index=index,
                chunk_size=BATCH,
                max_chunk_bytes=50 * 1024 * 1024,
                raise_on_error=False,
                raise_on_exception=True,
                max_retries=BULK_RETRIES,
                initial_backoff=BULK_BACKOFF,
                refresh=refresh,
                request_timeout=self.write_timeout,
            )
        except opensearchpy.OpenSearchException as error:
            raise IndexingFailed(
                f"OpenSearch at {_masked(self.url)} did not take the changes: {_reason(error)}"
            ) from error
        failed = []
        for failure in errors or []:
            ((operation, item),) = failure.items()
            if operation == "delete" and item.get("status") == 404:
                continue  # already gone
            cause = item.get("error")
            reason = cause.get("reason") if isinstance(cause, dict) else cause
            failed.append(f"{operation} {item.get('_id')}: {item.get('status')} {reason}")
        if failed:
            raise IndexingFailed(
                f"OpenSearch refused {len(failed)} change(s): " + "; ".join(failed[:5])
            )

    def _ensure_alias(self) -> None:
        """Before the first write of this process: if the alias does not exist yet (no rebuild
        ever ran), create an empty concrete index behind it, so a bulk write never creates an
        index named like the alias with a guessed mapping."""
        if self._alias_checked:
            return
        try:
            if not self.client.indices.exists_alias(name=self.alias):
                name = self._new_index_name()
                self.client.indices.create(
                    index=name,
                    body={
                        "settings": {"analysis": ANALYSIS},
                        "mappings": MAPPING,
                        "aliases": {self.alias: {}},
                    },
                )
                log.info("created the empty OpenSearch index %s behind %s", name, self.alias)
        except opensearchpy.OpenSearchException as error:
            raise IndexingFailed(
                f"OpenSearch at {_masked(self.url)}: cannot check or create the index "
                f"{self.alias!r}: {_reason(error)}"
            ) from error
        self._alias_checked = True

    def _new_index_name(self) -> str:
        return f"{self.alias}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"

    def _current_indices(self) -> list[str]:
        """The concrete indices behind the alias (none before the first build)."""
        try:
            found = self.client.indices.get_alias(name=self.alias)
        except opensearchpy.NotFoundError:
            return []
        return sorted(found)

    # Rebuilding

    def rebuild(self, documents: Iterable[IndexedDocument], progress: Progress) -> None:
        """A new concrete index filled in batches, then one atomic alias switch.

        The new index is created with refreshes off (faster bulk loading); once full, its
        refresh interval goes back to the cluster's default and it is refreshed, then one
        ``POST /_aliases`` removes the alias from the old index and adds it to the new one.
        The old index is deleted afterwards. On failure the new index is deleted and the old
        one keeps answering."""
        name = self._new_index_name()
        try:
            self.client.indices.create(
                index=name,
                body={
                    "settings": {"analysis": ANALYSIS, "index": {"refresh_interval": "-1"}},
                    "mappings": MAPPING,
                },
                request_timeout=REBUILD_TIMEOUT,
            )
        except opensearchpy.OpenSearchException as error:
            raise IndexingFailed(
                f"OpenSearch at {_masked(self.url)}: cannot create the index {name!r}: "
                f"{_reason(error)}"
            ) from error
        try:
            done = 0
            progress(0)
            for batch in _batches(documents, BATCH):
                actions = [
                    {"_op_type": "index", "_id": str(d.id), "_source": document_body(d)}
                    for d in batch
                    if d.scope != NOBODY
                ]
                if actions:
                    self._bulk(actions, index=name, refresh=False)
                done += len(batch)
                progress(done)
            self.client.indices.put_settings(
                index=name,
                body={"index": {"refresh_interval": None}},
                request_timeout=REBUILD_TIMEOUT,
            )
            self.client.indices.refresh(index=name, request_timeout=REBUILD_TIMEOUT)
            old = self._current_indices()
            actions = [{"remove": {"index": index, "alias": self.alias}} for index in old]
            actions.append({"add": {"index": name, "alias": self.alias}})
            self.client.indices.update_aliases(body={"actions": actions})
        except Exception as error:
            self._drop(name)
            if isinstance(error, opensearchpy.OpenSearchException):
                raise IndexingFailed(
                    f"OpenSearch at {_masked(self.url)}: rebuilding {name!r} failed: "
                    f"{_reason(error)}"
                ) from error
            raise
        self._alias_checked = True
        # The old index, and any left by a rebuild that stopped half-way.
        for index in sorted(set(old) | set(self._stale_indices(keep=name))):
            self._drop(index)

    def _stale_indices(self, *, keep: str) -> list[str]:
        try:
            found = self.client.indices.get(index=f"{self.alias}-*", expand_wildcards="open")
        except opensearchpy.OpenSearchException:
            return []
        return [n for n in found if n != keep and self._generation.match(n)]

    def _drop(self, index: str) -> None:
        try:
            self.client.indices.delete(index=index, ignore_unavailable=True)
        except opensearchpy.OpenSearchException:
            log.warning("could not delete the OpenSearch index %s", index, exc_info=True)

    # Looking after

    def statistics(self) -> dict[str, object]:
        try:
            stats = self.client.indices.stats(index=self.alias, metric="docs,store")
        except opensearchpy.NotFoundError:
            return {
                "backend": self.name,
                "url": _masked(self.url),
                "alias": self.alias,
                "indices": [],
                "documents": 0,
                "size_bytes": 0,
            }
        except opensearchpy.OpenSearchException as error:
            return {
                "backend": self.name,
                "url": _masked(self.url),
                "alias": self.alias,
                "error": _reason(error),
            }
        primaries = stats.get("_all", {}).get("primaries", {})
        return {
            "backend": self.name,
            "url": _masked(self.url),
            "alias": self.alias,
            "indices": sorted(stats.get("indices", {})),
            "documents": int(primaries.get("docs", {}).get("count", 0)),
            "size_bytes": int(primaries.get("store", {}).get("size_in_bytes", 0)),
            "size_bytes_with_replicas": int(
                stats.get("_all", {}).get("total", {}).get("store", {}).get("size_in_bytes", 0)
            ),
        }

    def reset(self) -> None:
        """Delete the indices behind the alias and any this backend left (tests)."""
        for index in sorted(set(self._current_indices()) | set(self._stale_indices(keep=""))):
            self._drop(index)
        self._alias_checked = False
