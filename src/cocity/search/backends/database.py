"""The default backend: full-text search in the main database (SQLite FTS5, PostgreSQL).

Its index is the ``search_document`` table's full-text part, written with the document in the
content's own transaction (``index._write_fulltext``), so it needs no outbox.

Every question does bounded work, whatever the size of the index:

- **Candidates**: at most ``CANDIDATES`` matching documents are read (SQLite takes the newest
  first; PostgreSQL the first its GIN index gives). Ranking, the total and the facets are
  computed over them, in one statement (a materialised CTE that the best ids, the total and the
  six facets share). The total is exact up to ``EXACT_LIMIT``; beyond, "10,000+".
- **Without words**, with one filter at most, nothing reads the documents: the facet counts
  are the counters the index writes keep (``FacetCount``) and the newest come from the
  ``(year, id)`` index.
- **A time limit** on each question: ``COCITY_SEARCH_STATEMENT_TIMEOUT_MS`` in all (PostgreSQL
  ``statement_timeout``; SQLite a progress handler that interrupts it). The statement has two
  thirds of it; a question that hits that is asked again over a tenth of the candidates with
  the last third, and if that too is too slow the page says so instead of waiting.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any, ClassVar

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import BooleanField, FloatField, Max, Q, QuerySet, Sum, Value
from django.db.models.expressions import RawSQL

from ..analysis import fold, query_variants
from ..index import (
    fulltext_params,
    fulltext_sql,
    rebuild_facet_counts,
)
from ..models import Document, DocumentTopic, FacetCount
from .base import MAX_HITS, FacetRow, Outcome, Progress, Query, SearchBackend

LIMIT = 1_000  # totals are exact up to this many matches, "1,000+" beyond
CANDIDATES = LIMIT + 1  # documents a question reads at most (one more says "1,000+")
# PostgreSQL configurations a word is looked up with (its stems in each, ORed); every
# interface language's and "simple" (the word as typed, folded).
QUERY_CONFIGS = ("simple", "english", "french", "german", "spanish", "dutch", "greek", "arabic")


class SearchTimeout(Exception):
    """A question took longer than the backend allows."""


def _active(query: Query) -> dict[str, str]:
    filters = dict(query.filters)
    if len(query.kinds) == 1 and not filters.get("kind"):
        filters["kind"] = query.kinds[0]
    return filters


def visible(scopes: Iterable[int]) -> Q:
    scopes = set(scopes)
    spaces = sorted(s for s in scopes if s > 0)
    condition = Q(space_id__in=spaces)
    if 0 in scopes:
        condition |= Q(space__isnull=True, is_public=True)
    return condition


def apply_filters(documents: QuerySet[Document], filters: dict[str, str]) -> QuerySet[Document]:
    if filters.get("kind"):
        documents = documents.filter(kind=filters["kind"])
    if filters.get("language"):
        documents = documents.filter(language=filters["language"])
    if filters.get("city"):
        documents = documents.filter(city=filters["city"])
    if (filters.get("year") or "").isdigit():
        documents = documents.filter(year=int(filters["year"]))
    if (filters.get("space") or "").isdigit():
        documents = documents.filter(space_id=int(filters["space"]))
    if filters.get("topic"):
        documents = documents.filter(
            pk__in=DocumentTopic.objects.filter(slug=filters["topic"]).values("document_id")
        )
    return documents


# --- Questions in each database's language ------------------------------------------------


def fts5_query(terms: Iterable[str], *, prefix: bool) -> str:
    """Every word as any of its terms (``analysis.stems``), ANDed; the last also as a prefix."""
    terms = list(terms)
    groups = []
    for position, term in enumerate(terms):
        variants = [f'"{v}"' for v in query_variants(term)]
        if prefix and position == len(terms) - 1 and variants and len(fold(term)) >= 2:
            variants.append(f'"{fold(term)[:64]}"*')
        if variants:
            groups.append("(" + " OR ".join(dict.fromkeys(variants)) + ")")
    return " AND ".join(groups)


def pg_tsquery(terms: Iterable[str], *, prefix: bool) -> str:
    """A tsquery: each word as its lexemes in every configuration, ORed; the words ANDed; the
    last word also as a prefix. A word that is a stop word in one configuration is left out
    (documents of that language do not hold it). Empty when no word is left."""
    terms = [fold(t)[:64] for t in terms]
    terms = [t for t in terms if t]
    if not terms:
        return ""
    parts = ", ".join(
        f"plainto_tsquery('{config}', %s)::text" for _t in terms for config in QUERY_CONFIGS
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}", [t for t in terms for _c in QUERY_CONFIGS])
        readings = cursor.fetchone()
    groups = []
    width = len(QUERY_CONFIGS)
    for position, term in enumerate(terms):
        own = readings[position * width : (position + 1) * width]
        if any(not r for r in own[1:]):
            continue  # a stop word somewhere
        lexemes = dict.fromkeys(r for reading in own for r in reading.split(" & ") if r)
        alternatives = list(lexemes)
        if prefix and position == len(terms) - 1 and len(term) >= 2 and own[0]:
            alternatives.append(own[0].split(" & ")[0] + ":*")
        if alternatives:
            groups.append("( " + " | ".join(alternatives) + " )")
    return " & ".join(groups)


def match(documents: QuerySet[Document], terms: Iterable[str], *, any_term: bool = False) -> Any:
    """Documents matching the words (every word, or any with ``any_term``), annotated with
    ``rank`` (higher is better): for reads other than the search page (the library's similar
    items and peer matching), which use the database's full-text part whatever the backend
    (it is always written with the document)."""
    terms = list(terms)
    if connection.vendor == "postgresql":
        groups = [pg_tsquery([t], prefix=False) for t in terms]
        tsquery = (" | " if any_term else " & ").join(g for g in groups if g)
        if not tsquery:
            return documents.none().annotate(rank=Value(0.0, output_field=FloatField()))
        return documents.filter(
            RawSQL("search_vector @@ %s::tsquery", [tsquery], output_field=BooleanField())
        ).annotate(
            rank=RawSQL(
                "ts_rank_cd(search_vector, %s::tsquery)", [tsquery], output_field=FloatField()
            )
        )
    groups = [fts5_query([t], prefix=False) for t in terms]
    fts = (" OR " if any_term else " AND ").join(g for g in groups if g)
    if not fts:
        return documents.none().annotate(rank=Value(0.0, output_field=FloatField()))
    return documents.extra(
        tables=["search_fts"],
        where=["search_fts.rowid = search_document.id", "search_fts MATCH %s"],
        params=[fts],
        select={"rank": "-bm25(search_fts, 3.0, 1.0)"},
    )


class DatabaseBackend(SearchBackend):
    name: ClassVar[str] = "database"
    uses_outbox: ClassVar[bool] = False

    # -- Reading -------------------------------------------------------------------------------

    def search(self, query: Query) -> Outcome:
        filters = _active(query)
        documents = Document.objects.filter(visible(query.scopes))
        if len(query.kinds) > 1:
            documents = documents.filter(kind__in=query.kinds)
        documents = apply_filters(documents, filters)
        if not query.terms:
            kept: tuple[int, list[FacetRow]] | None = None
            if len(filters) <= 1 and len(query.kinds) <= 1:
                kept = self.kept_counts(query.scopes, filters)
            if kept is not None:
                total, facets = kept
                ids = list(
                    documents.order_by("-year", "-id").values_list("pk", flat=True)[
                        query.offset : min(query.offset + query.limit, MAX_HITS)
                    ]
                )
                return Outcome(ids=ids, total=total, exact=True, facets=facets)
        return self._bounded(documents, query)

    def kept_counts(
        self, scopes: tuple[int, ...], filters: dict[str, str]
    ) -> tuple[int, list[FacetRow]]:
        condition = "=".join(next(iter(filters.items()))) if filters else ""
        rows = list(
            FacetCount.objects.filter(condition=condition, scope__in=[0, *scopes])
            .values("facet", "value")
            .annotate(label=Max("label"), total=Sum("n"))
            .filter(total__gt=0)
            .order_by()
            .values_list("facet", "value", "label", "total")
        )
        total = sum(row[3] for row in rows if row[0] == "kind")
        return total, [(f, str(v), str(label or ""), int(n)) for f, v, label, n in rows]

    def _bounded(self, documents: QuerySet[Document], query: Query) -> Outcome:
        budget = int(getattr(settings, "COCITY_SEARCH_STATEMENT_TIMEOUT_MS", 300) or 0)
        try:
            return self.summarise(documents, query, CANDIDATES, timeout_ms=budget * 2 // 3)
        except SearchTimeout:
            pass
        try:  # a tenth of the candidates: the page still answers, with fewer to choose from
            outcome = self.summarise(
                documents, query, CANDIDATES // 10, timeout_ms=budget - budget * 2 // 3
            )
            outcome.exact = False
            outcome.degraded = True
            return outcome
        except SearchTimeout:
            return Outcome(ids=[], total=0, exact=False, degraded=True)

    def summarise(
        self, documents: QuerySet[Document], query: Query, limit: int, *, timeout_ms: int = 0
    ) -> Outcome:
        vendor = connection.vendor
        ranked = bool(query.terms)
        columns = ["id", "kind", "kind_label", "city", "city_name", "language", "year", "space_id"]
        params: Any
        if ranked and vendor == "postgresql":
            tsquery = pg_tsquery(query.terms, prefix=query.prefix)
            if not tsquery:
                return Outcome(ids=[], total=0)
            matched = documents.filter(
                RawSQL("search_vector @@ %s::tsquery", [tsquery], output_field=BooleanField())
            ).annotate(
                rank=RawSQL(
                    "ts_rank_cd(search_vector, %s::tsquery)", [tsquery], output_field=FloatField()
                )
            )
            candidates, params = (
                matched.order_by().values_list(*columns, "rank")[:limit].query.sql_with_params()
            )
        elif ranked:
            fts = fts5_query(query.terms, prefix=query.prefix)
            if not fts:
                return Outcome(ids=[], total=0)
            # A join on rowid (FTS5 finds the matches once, newest first), never a correlated
            # bm25() per row.
            matched = documents.extra(
                tables=["search_fts"],
                where=["search_fts.rowid = search_document.id", "search_fts MATCH %s"],
                params=[fts],
                select={"rank": "-bm25(search_fts, 3.0, 1.0)"},
            )
            candidates, params = (
                matched.order_by("-id")
                .values_list(*columns, "rank")[:limit]
                .query.sql_with_params()
            )
        else:
            candidates, params = (
                documents.order_by("-year", "-id")
                .annotate(rank=Value(0.0, output_field=FloatField()))
                .values_list(*columns, "rank")[:limit]
                .query.sql_with_params()
            )
        order = "rank DESC, id DESC" if ranked else "year DESC, id DESC"
        if vendor == "postgresql":
            topics = (
                "CROSS JOIN LATERAL (SELECT slug, label FROM search_documenttopic "
                "WHERE document_id = c.id OFFSET 0) t"
            )
        else:
            topics = "JOIN search_documenttopic t ON t.document_id = c.id"
        start = max(0, query.offset)
        stop = max(start, min(query.offset + query.limit, MAX_HITS))
        names = ", ".join([*columns, "rank"])
        statement = (
            f"WITH c ({names}) AS MATERIALIZED ({candidates}) "  # noqa: S608 - compiled queryset, constants
            "SELECT 'hit', CAST(id AS varchar(24)), '', position FROM (SELECT id, "
            f"row_number() OVER (ORDER BY {order}) AS position FROM c) h "
            f"WHERE position > {start} AND position <= {stop} "
            "UNION ALL SELECT 'total', '', '', count(*) FROM c"
        )
        if query.facets:
            statement += (
                " UNION ALL SELECT 'kind', kind, max(kind_label), count(*) FROM c GROUP BY kind "  # noqa: S608 - constants
                "UNION ALL SELECT 'city', city, max(city_name), count(*) FROM c WHERE city <> '' "
                "GROUP BY city "
                "UNION ALL SELECT 'language', language, language, count(*) FROM c "
                "WHERE language <> '' GROUP BY language "
                "UNION ALL SELECT 'year', CAST(year AS varchar(12)), CAST(year AS varchar(12)), "
                "count(*) FROM c WHERE year IS NOT NULL GROUP BY year "
                "UNION ALL SELECT 'space', CAST(space_id AS varchar(24)), '', count(*) FROM c "
                "WHERE space_id IS NOT NULL GROUP BY space_id "
                f"UNION ALL SELECT 'topic', t.slug, max(t.label), count(*) FROM c {topics} "
                "GROUP BY t.slug"
            )
        rows = self._run(statement, params, timeout_ms)
        hits = sorted((int(n), int(value)) for kind, value, _label, n in rows if kind == "hit")
        counted = next((int(n) for kind, _v, _l, n in rows if kind == "total"), 0)
        exact = counted < limit
        facets = [
            (str(kind), str(value), str(label or ""), int(n))
            for kind, value, label, n in rows
            if kind not in ("hit", "total")
        ]
        return Outcome(
            ids=[pk for _position, pk in hits],
            total=counted if exact else min(counted, limit - 1),
            exact=exact,
            facets=facets,
        )

    def _run(self, statement: str, params: list[Any], timeout_ms: int) -> list[tuple[Any, ...]]:
        if connection.vendor == "postgresql":
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    # The estimated cost of a large candidate set turns the JIT compiler on:
                    # ~50 ms of compiling for a statement that runs once.
                    cursor.execute("SET LOCAL jit = off")
                    # A common word's bitmap of matches stays exact (no lossy pages whose every
                    # row is checked again).
                    cursor.execute("SET LOCAL work_mem = '64MB'")
                    # With a LIMIT the planner bets a sequential scan meets the candidates
                    # early; when a word's documents sit together it reads most of the table
                    # (2.0-2.6 s at a million documents, against 45-154 ms with the index).
                    cursor.execute("SET LOCAL enable_seqscan = off")
                    if timeout_ms:
                        cursor.execute(f"SET LOCAL statement_timeout = {timeout_ms}")
                    cursor.execute(statement, params)
                    return cursor.fetchall()
            except DatabaseError as error:
                if "statement timeout" in str(error) or "canceling statement" in str(error):
                    raise SearchTimeout from error
                raise
        connection.ensure_connection()
        raw = connection.connection
        deadline = time.monotonic() + timeout_ms / 1000 if timeout_ms else None

        def interrupt() -> int:
            return 1 if deadline is not None and time.monotonic() > deadline else 0

        raw.set_progress_handler(interrupt, 10_000)
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement, params)
                return cursor.fetchall()
        except DatabaseError as error:
            if "interrupted" in str(error):
                raise SearchTimeout from error
            raise
        finally:
            raw.set_progress_handler(None, 0)

    # -- Writing -------------------------------------------------------------------------------

    def rebuild(self, documents: Iterable[Any], progress: Progress) -> None:
        """Write every document's full-text part again (after a change of analysis). SQLite
        fills a new table and swaps it for the old one in one transaction; PostgreSQL rewrites
        each document's vector in place, in batches (a search meanwhile finds each document
        with its old or its new terms, never without), then counts the facets again."""
        vendor = connection.vendor
        done = 0
        if vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE IF EXISTS search_fts_next")
                cursor.execute(
                    "CREATE VIRTUAL TABLE search_fts_next USING fts5("
                    "title, body, tokenize = 'unicode61 remove_diacritics 2')"
                )
                insert = fulltext_sql(vendor).replace("search_fts ", "search_fts_next ")
                batch: list[list[Any]] = []
                for document in documents:
                    batch.append(
                        fulltext_params(
                            vendor, document.id, document.title, document.body, document.language
                        )
                    )
                    if len(batch) >= 1000:
                        cursor.executemany(insert, batch)
                        done += len(batch)
                        batch = []
                        progress(done)
                if batch:
                    cursor.executemany(insert, batch)
                    done += len(batch)
                with transaction.atomic():
                    # Rows indexed while the new table filled: copied over before the switch.
                    cursor.execute(
                        "INSERT INTO search_fts_next (rowid, title, body) SELECT rowid, title, "
                        "body FROM search_fts WHERE rowid NOT IN (SELECT rowid FROM "
                        "search_fts_next)"
                    )
                    cursor.execute("DROP TABLE search_fts")
                    cursor.execute("ALTER TABLE search_fts_next RENAME TO search_fts")
            progress(done)
        elif vendor == "postgresql":
            batch = []
            for document in documents:
                batch.append(
                    fulltext_params(
                        vendor, document.id, document.title, document.body, document.language
                    )
                )
                if len(batch) >= 1000:
                    with transaction.atomic(), connection.cursor() as cursor:
                        cursor.executemany(fulltext_sql(vendor), batch)
                    done += len(batch)
                    batch = []
                    progress(done)
            if batch:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.executemany(fulltext_sql(vendor), batch)
                done += len(batch)
            progress(done)
            if not connection.in_atomic_block:
                # Every row was rewritten: without this the table is twice its size and the
                # next searches read the dead half too.
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM (ANALYZE) search_document")
        rebuild_facet_counts()

    def statistics(self) -> dict[str, object]:
        stats: dict[str, object] = {"documents": Document.objects.count()}
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT pg_total_relation_size('search_document'), "
                    "pg_relation_size('search_document_vector')"
                )
                table, gin = cursor.fetchone()
                stats.update(bytes=table, gin_bytes=gin)
            elif connection.vendor == "sqlite":
                try:
                    cursor.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search_%'")
                    stats["bytes"] = cursor.fetchone()[0]
                except DatabaseError:
                    pass
        return stats
