"""Search across every registered capability: ranked matches, highlighted snippets, facets.

The viewer only ever sees documents of spaces they may see (``spaces_visible_to``), or
documents without a space that are public.
"""

import hashlib
import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.cache import cache
from django.core.paginator import Page
from django.db import connection, transaction
from django.db.models import BooleanField, FloatField, Max, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Substr
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cocity.accounts.types import Viewer
from cocity.core.cache import namespace_versions
from cocity.core.pagination import paginate
from cocity.network.models import Space, Topic
from cocity.network.selectors import spaces_visible_to

from .index import MARK_OFF, MARK_ON
from .models import Document, DocumentTopic, FacetCount

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
FACETS = ("kind", "topic", "city", "language", "year", "space")
FACET_LIMIT = 12
# Query parsed with every main language's rules, ORed: a word matches its stem in any of them.
QUERY_CONFIGS = ("simple", "english", "french", "italian", "spanish", "german")


@dataclass
class ParsedQuery:
    text: str
    terms: list[str]
    message: str = ""


def parse_query(raw: str) -> ParsedQuery:
    """Bound the query (length and number of words) and keep only words: operators, quotes and
    brackets typed by the viewer can never make the database refuse the query."""
    text = " ".join((raw or "").replace("\x00", " ").split())
    message = ""
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        message = _("Your search was long, so only its first %(count)d characters were used.") % {
            "count": MAX_QUERY_CHARS
        }
    terms = re.findall(r"\w+", text)
    if len(terms) > MAX_TERMS:
        terms = terms[:MAX_TERMS]
        message = message or _("Only the first %(count)d words of your search were used.") % {
            "count": MAX_TERMS
        }
    return ParsedQuery(text=" ".join(terms), terms=terms, message=message)


def visible_documents(user: Viewer) -> QuerySet[Document]:
    visible = spaces_visible_to(user).values("pk")
    return Document.objects.filter(Q(space__isnull=True, is_public=True) | Q(space_id__in=visible))


def _pg_tsquery(text: str) -> tuple[str, list[str]]:
    """The words parsed with each main language's rules, ORed, each distinct reading once: most
    words read the same in several languages, and ranking pays for every repeated branch."""
    parts = ", ".join(f"websearch_to_tsquery('{c}', %s)::text" for c in QUERY_CONFIGS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}", [text] * len(QUERY_CONFIGS))
        readings = [r for r in dict.fromkeys(cursor.fetchone()) if r]
    return "%s::tsquery", [" | ".join(f"( {r} )" for r in readings)]


def _fts5_query(terms: list[str], *, any_term: bool = False) -> str:
    quoted = []
    for term in terms:
        word = '"' + term.replace('"', '""') + '"'
        quoted.append(word + "*" if len(term) >= 4 else word)
    return (" OR " if any_term else " ").join(quoted)


def match(documents: QuerySet[Document], parsed: ParsedQuery, *, any_term: bool = False):
    """Documents matching the words, annotated with ``rank`` (higher is better)."""
    if connection.vendor == "postgresql":
        text = " or ".join(parsed.terms) if any_term else parsed.text
        sql, params = _pg_tsquery(text)
        return documents.filter(
            RawSQL(f"search_vector @@ {sql}", params, output_field=BooleanField())  # noqa: S611
        ).annotate(
            rank=RawSQL(  # noqa: S611 - configs are constants, words are parameters
                f"ts_rank_cd(search_vector, {sql})",
                params,
                output_field=FloatField(),
            )
        )
    fts = _fts5_query(parsed.terms, any_term=any_term)
    # A join on rowid (FTS5 finds the matches once, then primary-key lookups); a correlated
    # bm25() subquery per row would re-run the MATCH for every row.
    return documents.extra(
        tables=["search_fts"],
        where=["search_fts.rowid = search_document.id", "search_fts MATCH %s"],
        params=[fts],
        select={"rank": "-bm25(search_fts, 3.0, 1.0)"},
    )


def _safe_snippet(raw: str) -> SafeString:
    html = escape(raw).replace(MARK_ON, "<mark>").replace(MARK_OFF, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own <mark> tags added


def snippets(ids: list[int], parsed: ParsedQuery) -> dict[int, SafeString]:
    """Highlighted extracts for the documents shown (one query for the page)."""
    if not ids or not parsed.terms:
        return {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql, params = _pg_tsquery(parsed.text)
            options = (
                f"StartSel={MARK_ON}, StopSel={MARK_OFF}, MaxWords=35, MinWords=12, "
                'MaxFragments=2, FragmentDelimiter=" … "'
            )
            cursor.execute(
                f"SELECT id, ts_headline(ts_config, body, {sql}, %s) FROM search_document "  # noqa: S608
                "WHERE id = ANY(%s)",
                [*params, options, ids],
            )
        else:
            marks = ",".join(["%s"] * len(ids))
            cursor.execute(
                f"SELECT rowid, snippet(search_fts, 1, %s, %s, ' … ', 24) FROM search_fts "  # noqa: S608 - placeholders only
                f"WHERE search_fts MATCH %s AND rowid IN ({marks})",
                [MARK_ON, MARK_OFF, _fts5_query(parsed.terms), *ids],
            )
        return {row[0]: _safe_snippet(row[1] or "") for row in cursor.fetchall()}


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchResults:
    query: ParsedQuery
    page: Page
    hits: list[dict[str, Any]]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    filters: dict[str, str] = field(default_factory=dict)


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


RANKED_KEEP = 1000  # ids of the best matches kept with a summary: the first 50 pages
_ORDER = {True: "rank DESC, id DESC", False: "year DESC, id DESC"}  # with words / without


@dataclass
class MatchSummary:
    """What one pass over the matching documents gives: their number, the ids of the best
    ``RANKED_KEEP`` in order, and the facet counts."""

    total: int
    ranked: list[int]
    facets: dict[str, list[FacetValue]]


def _facets_from_rows(
    rows: list[tuple[str, str, str, int]], active: dict[str, str]
) -> dict[str, list[FacetValue]]:
    """(facet, value, label, count) rows to each facet's top values, by count then value; space
    names are read from the spaces (the index keeps only their id)."""
    grouped: dict[str, list[tuple[str, str, int]]] = {name: [] for name in FACETS}
    for facet, value, label, count in rows:
        if facet in grouped and value not in ("", None) and count > 0:
            grouped[facet].append((str(value), label or "", int(count)))
    facets: dict[str, list[FacetValue]] = {}
    for name in FACETS:
        numeric = name in ("year", "space")
        top = sorted(grouped[name], key=lambda r: (-r[2], int(r[0]) if numeric else r[0]))
        facets[name] = [
            FacetValue(
                value=value, label=label or value, count=count, selected=active.get(name) == value
            )
            for value, label, count in top[:FACET_LIMIT]
        ]
    if facets["space"]:
        names = dict(
            Space.objects.filter(pk__in=[int(v.value) for v in facets["space"]]).values_list(
                "pk", "name"
            )
        )
        facets["space"] = [
            replace(v, label=names.get(int(v.value), v.label)) for v in facets["space"]
        ]
    return facets


def summarise(
    documents: QuerySet[Document], filters: dict[str, str], *, ranked: bool
) -> MatchSummary:
    """Count, rank and facet the matching documents in one statement: the matches are read
    once into a materialised CTE, which the best ids, the total and the six facets then share
    (six GROUP BYs over the documents would read every match six times). ``documents`` carries
    a ``rank`` when ``ranked`` (words were searched); without words the newest come first."""
    columns = ["id", "kind", "kind_label", "city", "city_name", "language", "year", "space_id"]
    inner = documents.order_by().values_list(*columns, *(["rank"] if ranked else []))
    sql, params = inner.query.sql_with_params()
    names = ", ".join([*columns, "rank" if ranked else "0 AS rank"])
    order = _ORDER[ranked]
    if connection.vendor == "postgresql":
        # LATERAL with OFFSET 0 is never flattened into a join: one index look-up per match,
        # never a hash of every topic row (which the planner picks for a large match set).
        topics = (
            "CROSS JOIN LATERAL (SELECT slug, label FROM search_documenttopic "
            "WHERE document_id = m.id OFFSET 0) t"
        )
    else:
        topics = "JOIN search_documenttopic t ON t.document_id = m.id"
    statement = (
        f"WITH m AS MATERIALIZED (SELECT {names} FROM ({sql}) matched) "  # noqa: S608 - compiled queryset and constants
        "SELECT 'hit', CAST(id AS varchar(24)), '', row_number() OVER (ORDER BY "
        f"{order}) FROM (SELECT id, year, rank FROM m ORDER BY {order} LIMIT {RANKED_KEEP}) h "
        "UNION ALL SELECT 'total', '', '', count(*) FROM m "
        "UNION ALL SELECT 'kind', kind, max(kind_label), count(*) FROM m GROUP BY kind "
        "UNION ALL SELECT 'city', city, max(city_name), count(*) FROM m WHERE city <> '' "
        "GROUP BY city "
        "UNION ALL SELECT 'language', language, language, count(*) FROM m "
        "WHERE language <> '' GROUP BY language "
        "UNION ALL SELECT 'year', CAST(year AS varchar(12)), CAST(year AS varchar(12)), "
        "count(*) FROM m WHERE year IS NOT NULL GROUP BY year "
        "UNION ALL SELECT 'space', CAST(space_id AS varchar(24)), '', count(*) FROM m "
        "WHERE space_id IS NOT NULL GROUP BY space_id "
        f"UNION ALL SELECT 'topic', t.slug, max(t.label), count(*) FROM m {topics} "
        "GROUP BY t.slug"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The estimated cost of a large match set turns the JIT compiler on: ~50 ms of
            # compiling for a statement that runs once.
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(statement, params)
        rows = cursor.fetchall()
    hits = sorted((int(n), int(value)) for kind, value, _label, n in rows if kind == "hit")
    total = next((int(n) for kind, _v, _l, n in rows if kind == "total"), 0)
    facet_rows = [row for row in rows if row[0] not in ("hit", "total")]
    return MatchSummary(
        total=total,
        ranked=[pk for _position, pk in hits],
        facets=_facets_from_rows(facet_rows, active_filters(filters)),
    )


def facet_counts(
    documents: QuerySet[Document], filters: dict[str, str]
) -> dict[str, list[FacetValue]]:
    """The six facet counts of these documents, read from them."""
    return summarise(documents, filters, ranked=False).facets


def active_filters(filters: dict[str, str]) -> dict[str, str]:
    """The filters ``apply_filters`` applies, each value as the index stores it."""
    active = {}
    for name in FACETS:
        value = (filters.get(name) or "").strip()
        if name in ("year", "space"):
            if value.isdigit():
                active[name] = str(int(value))
        elif value:
            active[name] = value
    return active


def stored_facet_counts(user: Viewer, filters: dict[str, str]) -> MatchSummary | None:
    """The facet counts kept by the index writes (``FacetCount``), for the documents this person
    sees, with no filter or one: a few hundred rows whatever the size of the index. ``None``
    when more than one filter is on (those are counted from the documents). The total is the
    sum of the kinds (every document has one); ``ranked`` is left empty."""
    active = active_filters(filters)
    if len(active) > 1:
        return None
    condition = "=".join(next(iter(active.items()))) if active else ""
    scopes = [0, *spaces_visible_to(user).values_list("pk", flat=True)]
    rows = list(
        FacetCount.objects.filter(condition=condition, scope__in=scopes)
        .values("facet", "value")
        .annotate(label=Max("label"), total=Sum("n"))
        .filter(total__gt=0)
        .order_by()
        .values_list("facet", "value", "label", "total")
    )
    total = sum(row[3] for row in rows if row[0] == "kind")
    return MatchSummary(total=total, ranked=[], facets=_facets_from_rows(rows, active))


SUMMARY_CACHE_SECONDS = 60


SUMMARY_FRESH_SECONDS = 60  # a summary of the current index version is used this long
SUMMARY_KEEP_SECONDS = 600  # ... and kept this long, to answer while its successor is computed
COMPUTING_SECONDS = 30  # how long one computation may hold a question


def _cache_key(user: Viewer, query: str, filters: dict[str, str]) -> str:
    """One key per question and set of visible spaces."""
    visible = sorted(spaces_visible_to(user).values_list("pk", flat=True))
    raw = json.dumps([visible, query, sorted(active_filters(filters).items())])
    return "search:" + hashlib.sha256(raw.encode()).hexdigest()


def cached_summary(
    user: Viewer,
    filters: dict[str, str],
    *,
    key: str,
    documents: Callable[[], QuerySet[Document]],
    ranked: bool,
) -> tuple[MatchSummary, str]:
    """The summary of a question, and the key its pages are kept under.

    A summary serves everyone who asks the same thing and sees the same spaces, as long as the
    index has not changed (every write to the index bumps the "search" namespace of
    ``cocity.core.cache``: the next search finds a new item) and for a minute at most. One
    request at a time computes a question's new summary; the others asking meanwhile get the
    previous one instead of all computing it at once (after a write, 20 people asking the same
    thing cost one computation, not 20). Without words and with one filter at most it comes from
    the kept counts; otherwise from one pass over the matches (``documents()`` is only built
    then)."""
    version = namespace_versions(("search",))
    entry = cache.get(key + ":summary")  # (version, computed at, summary)
    locked = False
    if entry is not None:
        fresh = entry[0] == version and time.time() - entry[1] < SUMMARY_FRESH_SECONDS
        if fresh:
            return entry[2], f"{key}:{entry[0]}:{entry[1]}"
        locked = cache.add(key + ":computing", 1, COMPUTING_SECONDS)
        if not locked:
            return entry[2], f"{key}:{entry[0]}:{entry[1]}"
    try:
        computed_at = time.time()
        summary = None if ranked else stored_facet_counts(user, filters)
        if summary is None:
            summary = summarise(documents(), filters, ranked=ranked)
        cache.set(key + ":summary", (version, computed_at, summary), SUMMARY_KEEP_SECONDS)
    finally:
        if locked:
            cache.delete(key + ":computing")
    return summary, f"{key}:{version}:{computed_at}"


class _Hits(Sequence[dict[str, Any]]):
    """The matches for the paginator: their number is known; a page is read by id from the
    summary's best ids (or, past them, by the same order with an offset), with its extracts,
    and kept under the question's key."""

    def __init__(
        self,
        total: int,
        ranked: list[int],
        ordered: Callable[[], QuerySet[Document]],
        parsed: ParsedQuery,
        key: str,
    ) -> None:
        self.total, self.ranked, self._ordered = total, ranked, ordered
        self.parsed, self.key = parsed, key

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, min(index.stop or self.total, self.total)
        key = f"{self.key}:hits:{start}:{stop}"
        hits = cache.get(key)
        if hits is None:
            hits = self._read(start, stop)
            cache.set(key, hits, SUMMARY_CACHE_SECONDS)
        return hits

    def _read(self, start: int, stop: int) -> list[dict[str, Any]]:
        if stop <= len(self.ranked) or len(self.ranked) >= self.total:
            ids = self.ranked[start:stop]
        else:
            ids = list(self._ordered().values_list("pk", flat=True)[start:stop])
        found = (
            Document.objects.select_related("space")
            .defer("body")
            .annotate(excerpt=Substr("body", 1, 240))
            .in_bulk(ids)
        )
        extracts = snippets(ids, self.parsed)
        return [
            {
                "document": found[pk],
                "snippet": extracts.get(pk) or escape(found[pk].excerpt),
            }
            for pk in ids
            if pk in found
        ]


def _topic_labels(values: list[FacetValue]) -> list[FacetValue]:
    """Topic names in the reader's language (the index and the cache hold the source name)."""
    labels = {t.slug: t.label for t in Topic.objects.filter(slug__in=[v.value for v in values])}
    return [replace(v, label=labels.get(v.value, v.label)) for v in values]


def search(
    *,
    user: Viewer,
    raw_query: str,
    filters: dict[str, str],
    page: str | int | None = None,
    with_facets: bool = True,
) -> SearchResults:
    parsed = parse_query(raw_query)
    ranked = bool(parsed.terms)

    def documents() -> QuerySet[Document]:
        visible = apply_filters(visible_documents(user), filters)
        return match(visible, parsed) if ranked else visible

    def ordered() -> QuerySet[Document]:
        return documents().order_by(*(("-rank", "-id") if ranked else ("-year", "-id")))

    # Without words and with one filter at most, the kept counts give the total and the facets,
    # and the newest documents come from the (year, id) index: nothing reads every document.
    # The summary and each page are cached per question until the index changes.
    summary, key = cached_summary(
        user,
        filters,
        key=_cache_key(user, parsed.text, filters),
        documents=documents,
        ranked=ranked,
    )
    page_obj = paginate(_Hits(summary.total, summary.ranked, ordered, parsed, key), page)
    hits = list(page_obj.object_list)
    facets = summary.facets if with_facets else {}
    if facets.get("topic"):
        # Kept with the summary, per language (a topic renamed shows within a minute).
        labels_key = f"{key}:topics:{get_language()}"
        topics = cache.get(labels_key)
        if topics is None:
            topics = _topic_labels(facets["topic"])
            cache.set(labels_key, topics, SUMMARY_CACHE_SECONDS)
        facets = {**facets, "topic": topics}
    return SearchResults(query=parsed, page=page_obj, hits=hits, facets=facets, filters=filters)
