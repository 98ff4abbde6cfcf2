"""Search across every registered capability: ranked matches, highlighted snippets, facets.

The viewer only ever sees documents of spaces they may see (``spaces_visible_to``), or
documents without a space that are public.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.cache import cache
from django.core.paginator import Page
from django.db import connection
from django.db.models import BooleanField, Count, FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import HttpRequest
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from cocity.core.pagination import paginate
from cocity.network.models import Topic
from cocity.network.selectors import spaces_visible_to

from .index import VERSION_KEY
from .models import Document, DocumentTopic

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
FACETS = ("kind", "topic", "city", "language", "year", "space")
FACET_LIMIT = 12
_MARK_ON, _MARK_OFF = "\ue000", "\ue001"
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


def visible_documents(user: Any) -> QuerySet[Document]:
    visible = spaces_visible_to(user).values("pk")
    return Document.objects.filter(Q(space__isnull=True, is_public=True) | Q(space_id__in=visible))


def _pg_tsquery(text: str) -> tuple[str, list[str]]:
    parts = " || ".join(f"websearch_to_tsquery('{c}', %s)" for c in QUERY_CONFIGS)
    return f"({parts})", [text] * len(QUERY_CONFIGS)


def _fts5_query(terms: list[str], *, any_term: bool = False) -> str:
    quoted = []
    for term in terms:
        word = '"' + term.replace('"', '""') + '"'
        quoted.append(word + "*" if len(term) >= 4 else word)
    return (" OR " if any_term else " ").join(quoted)


def match(documents: QuerySet[Document], parsed: ParsedQuery, *, any_term: bool = False):  # type: ignore[no-untyped-def]
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
    html = escape(raw).replace(_MARK_ON, "<mark>").replace(_MARK_OFF, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own <mark> tags added


def snippets(ids: list[int], parsed: ParsedQuery) -> dict[int, SafeString]:
    """Highlighted extracts for the documents shown (one query for the page)."""
    if not ids or not parsed.terms:
        return {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql, params = _pg_tsquery(parsed.text)
            options = (
                f"StartSel={_MARK_ON}, StopSel={_MARK_OFF}, MaxWords=35, MinWords=12, "
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
                [_MARK_ON, _MARK_OFF, _fts5_query(parsed.terms), *ids],
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


def facet_counts(
    documents: QuerySet[Document], filters: dict[str, str]
) -> dict[str, list[FacetValue]]:
    base = documents.order_by()
    specs = {
        "kind": ("kind", "kind_label"),
        "city": ("city", "city_name"),
        "language": ("language", "language"),
        "year": ("year", "year"),
        "space": ("space_id", "space__name"),
    }
    facets: dict[str, list[FacetValue]] = {}
    for name, (value_field, label_field) in specs.items():
        rows = (
            base.exclude(**{f"{value_field}__isnull": True})
            .values(value_field, label_field)
            .annotate(n=Count("id"))
            .order_by("-n", value_field)[:FACET_LIMIT]
        )
        facets[name] = [
            FacetValue(
                value=str(row[value_field]),
                label=str(row[label_field] or row[value_field]),
                count=row["n"],
                selected=filters.get(name) == str(row[value_field]),
            )
            for row in rows
            if row[value_field] not in ("", None)
        ]
    topic_rows = (
        base.filter(topic_rows__isnull=False)
        .values("topic_rows__slug", "topic_rows__label")
        .annotate(n=Count("id"))
        .order_by("-n", "topic_rows__slug")[:FACET_LIMIT]
    )
    facets["topic"] = [
        FacetValue(
            value=row["topic_rows__slug"],
            label=row["topic_rows__label"],
            count=row["n"],
            selected=filters.get("topic") == row["topic_rows__slug"],
        )
        for row in topic_rows
    ]
    return {name: facets[name] for name in FACETS}


FACET_CACHE_SECONDS = 60


def cached_facet_counts(
    documents: QuerySet[Document], filters: dict[str, str], *, user: Any, query: str
) -> dict[str, list[FacetValue]]:
    """Facet counts are the costly part (six GROUP BYs over every match); the same counts serve
    everyone who sees the same spaces, until the index changes (``index`` bumps the version)."""
    visible = sorted(spaces_visible_to(user).values_list("pk", flat=True))
    version = cache.get_or_set(VERSION_KEY, 1)
    raw = json.dumps([version, visible, query, sorted(filters.items())])
    key = "search:facets:" + hashlib.sha256(raw.encode()).hexdigest()
    facets = cache.get(key)
    if facets is None:
        facets = facet_counts(documents, filters)
        cache.set(key, facets, FACET_CACHE_SECONDS)
    return facets


def _topic_labels(values: list[FacetValue]) -> list[FacetValue]:
    """Topic names in the reader's language (the index and the cache hold the source name)."""
    labels = {t.slug: t.label for t in Topic.objects.filter(slug__in=[v.value for v in values])}
    return [replace(v, label=labels.get(v.value, v.label)) for v in values]


def search(
    *, request: HttpRequest, raw_query: str, filters: dict[str, str], with_facets: bool = True
) -> SearchResults:
    parsed = parse_query(raw_query)
    documents = apply_filters(visible_documents(request.user), filters)
    if parsed.terms:
        documents = match(documents, parsed)
        ordered = documents.order_by("-rank", "-id")
    else:
        ordered = documents.order_by("-year", "-id")
    page = paginate(request, ordered.select_related("space"))
    rows = list(page.object_list)
    extracts = snippets([d.pk for d in rows], parsed)
    hits = [
        {
            "document": d,
            "snippet": extracts.get(d.pk) or escape(d.body[:240]),
        }
        for d in rows
    ]
    facets = (
        cached_facet_counts(documents, filters, user=request.user, query=parsed.text)
        if with_facets
        else {}
    )
    if facets.get("topic"):
        facets = {**facets, "topic": _topic_labels(facets["topic"])}
    return SearchResults(query=parsed, page=page, hits=hits, facets=facets, filters=filters)
