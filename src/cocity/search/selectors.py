"""Search across every registered capability: ranked matches, highlighted snippets, facets.

The viewer only ever sees documents of spaces they may see (``spaces_visible_to``), or
documents without a space that are public.
"""

import difflib
import hashlib
import json
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page
from django.db.models import Q, QuerySet
from django.db.models.functions import Substr
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from cocity.accounts.types import Viewer
from cocity.core.cache import namespace_versions
from cocity.core.pagination import page_number, paginate
from cocity.network.models import Space, Topic
from cocity.network.selectors import spaces_visible_to

from .analysis import fold, highlight, highlight_pattern
from .backends import get_backend
from .backends.base import FACETS, MAX_HITS, Outcome, Query, SearchBackend, SearchUnavailable
from .backends.database import CANDIDATES, DatabaseBackend, apply_filters, match
from .index import MARK_OFF, MARK_ON, without_marks
from .models import Document, SearchWord
from .registry import kinds_of

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
FACET_LIMIT = 12


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


__all__ = ["apply_filters", "match", "parse_query", "search", "visible_documents"]


def visible_documents(user: Viewer) -> QuerySet[Document]:
    visible = spaces_visible_to(user).values("pk")
    return Document.objects.filter(Q(space__isnull=True, is_public=True) | Q(space_id__in=visible))


def _scopes(user: Viewer) -> tuple[int, ...]:
    """What this person may see, as the index keeps it: 0 (public documents without a space)
    and the ids of the spaces they may see."""
    return (0, *sorted(spaces_visible_to(user).values_list("pk", flat=True)))


# A list page's own search box searches only its capability's providers (``within``).
WITHIN: dict[str, tuple[tuple[str, ...], Any]] = {
    "library": (("library.item",), gettext_lazy("in the library")),
    "events": (("events.event",), gettext_lazy("in events")),
    "plans": (("plans.idea", "plans.action"), gettext_lazy("in ideas and actions")),
    "commons": (("commons.commons", "commons.pact"), gettext_lazy("in commons and pacts")),
}


def within_kinds(within: str) -> tuple[str, ...]:
    """The kinds a ``within`` key stands for (the library's items have one kind per type)."""
    return kinds_of(*WITHIN[within][0]) if within in WITHIN else ()


def _safe_snippet(raw: str) -> SafeString:
    html = escape(raw).replace(MARK_ON, "<mark>").replace(MARK_OFF, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own <mark> tags added


EXTRACT_FROM = 8_000  # characters of a body an extract is looked for in (and read)


def snippets(documents: Sequence[Document], parsed: ParsedQuery) -> dict[int, SafeString]:
    """Highlighted extracts of the documents shown, made here whichever backend found them."""
    prefixes = highlight_pattern(parsed.terms)
    return {
        d.pk: _safe_snippet(
            highlight(without_marks(d.body[:EXTRACT_FROM]), prefixes, on=MARK_ON, off=MARK_OFF)
        )
        for d in documents
    }


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
    total: int = 0
    exact: bool = True  # False: more than ``total`` ("10,000+")
    suggestion: str = ""  # another way to write the words that finds something
    within: str = ""
    within_label: str = ""
    degraded: bool = False  # the question was too costly and was answered over fewer documents


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
        top = sorted(
            grouped[name],
            key=lambda r: (-r[2], int(r[0]) if numeric and r[0].isdigit() else 0, r[0]),
        )
        facets[name] = [
            FacetValue(
                value=value, label=label or value, count=count, selected=active.get(name) == value
            )
            for value, label, count in top[:FACET_LIMIT]
        ]
    if facets["space"]:
        names = dict(
            Space.objects.filter(
                pk__in=[int(v.value) for v in facets["space"] if v.value.isdigit()]
            ).values_list("pk", "name")
        )
        facets["space"] = [
            replace(v, label=names.get(int(v.value), v.label) if v.value.isdigit() else v.label)
            for v in facets["space"]
        ]
    return facets


def active_filters(filters: dict[str, str]) -> dict[str, str]:
    """The filters a search applies, each value as the index stores it."""
    active = {}
    for name in FACETS:
        # No index holds NUL or other control characters (PostgreSQL refuses them in text).
        value = "".join(c for c in str(filters.get(name) or "") if c.isprintable()).strip()[:200]
        if name in ("year", "space"):
            if value.isdigit() and len(value) < 12:
                active[name] = str(int(value))
        elif value:
            active[name] = value
    return active


@dataclass
class MatchSummary:
    total: int
    facets: dict[str, list[FacetValue]]


def stored_facet_counts(user: Viewer, filters: dict[str, str]) -> MatchSummary | None:
    """The database backend's kept facet counts for what this person sees, with no filter or
    one (``None`` with more: those are counted from the documents)."""
    active = active_filters(filters)
    if len(active) > 1:
        return None
    total, rows = DatabaseBackend().kept_counts(_scopes(user), active)
    return MatchSummary(total, _facets_from_rows(rows, active))


def facet_counts(
    documents: QuerySet[Document], filters: dict[str, str]
) -> dict[str, list[FacetValue]]:
    """The six facet counts of these documents, read from them (the database backend)."""
    active = active_filters(filters)
    query = Query(terms=(), scopes=(), filters=active, limit=0)
    outcome = DatabaseBackend().summarise(documents, query, CANDIDATES)
    return _facets_from_rows(outcome.facets, active)


SUMMARY_CACHE_SECONDS = 60
SUMMARY_FRESH_SECONDS = 60  # an answer of the current index version is used this long
SUMMARY_KEEP_SECONDS = 600  # ... and kept this long, to answer while its successor is computed
COMPUTING_SECONDS = 30  # how long one computation may hold a question


def _cache_key(backend: str, query: Query) -> str:
    """One key per backend, question, page and set of visible spaces."""
    raw = json.dumps(
        [
            backend,
            query.scopes,
            query.terms,
            sorted(query.filters.items()),
            query.kinds,
            query.offset,
            query.limit,
            query.facets,
        ]
    )
    return "search:" + hashlib.sha256(raw.encode()).hexdigest()


def cached_outcome(backend: SearchBackend, query: Query) -> Outcome:
    """The backend's answer to a question, kept for everyone who asks the same thing and sees
    the same spaces, as long as the index has not changed (every write to the index bumps the
    "search" namespace of ``cocity.core.cache``: the next search finds a new item) and for a
    minute at most. One request at a time computes a question's new answer; the others asking
    meanwhile get the previous one instead of all computing it at once."""
    key = _cache_key(backend.name, query)
    version = namespace_versions(("search",))
    entry = cache.get(key)  # (version, computed at, outcome)
    locked = False
    if entry is not None:
        fresh = entry[0] == version and time.time() - entry[1] < SUMMARY_FRESH_SECONDS
        if fresh:
            return entry[2]
        locked = cache.add(key + ":computing", 1, COMPUTING_SECONDS)
        if not locked:
            return entry[2]
    try:
        computed_at = time.time()
        outcome = backend.search(query)
        if not outcome.degraded:
            cache.set(key, (version, computed_at, outcome), SUMMARY_KEEP_SECONDS)
    finally:
        if locked:
            cache.delete(key + ":computing")
    return outcome


class _Window(Sequence[dict[str, Any]]):
    """The matches as the paginator sees them: their number, and the one page that was read."""

    def __init__(self, size: int, offset: int, hits: list[dict[str, Any]]) -> None:
        self.size, self.offset, self.hits = size, offset, hits

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, index):  # type: ignore[no-untyped-def, override]
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start = (index.start or 0) - self.offset
        stop = (index.stop if index.stop is not None else self.size) - self.offset
        return self.hits[max(start, 0) : max(stop, 0)]


def _topic_labels(values: list[FacetValue]) -> list[FacetValue]:
    """Topic names in the reader's language (the index and the cache hold the source name),
    kept per language until a topic changes (the "network" namespace): a query less a page."""
    key = f"search:topic-labels:{get_language()}:{namespace_versions(('network',))}"
    labels = cache.get(key)
    if labels is None:
        labels = {t.slug: t.label for t in Topic.objects.all()[:5000]}
        cache.set(key, labels, 3600)
    return [replace(v, label=labels.get(v.value, v.label)) for v in values]


def suggest(terms: list[str]) -> str:
    """The words written another way that the index knows (``SearchWord``: the words of all
    titles, so ``search`` shows a suggestion only when it finds something the viewer may see),
    or "" when every word is known or nothing close is. Looks at the known words of
    the same first letter and a similar length only: a few hundred rows at most."""
    changed = False
    out = []
    for term in terms[:MAX_TERMS]:
        folded = fold(term)[:64]
        if len(folded) < 3 or folded.isdigit() or SearchWord.objects.filter(word=folded).exists():
            out.append(term)
            continue
        nearby = list(
            SearchWord.objects.filter(
                word__startswith=folded[0],
                length__gte=len(folded) - 2,
                length__lte=len(folded) + 2,
            )
            .order_by()
            .values_list("word", flat=True)[:3000]
        )
        close = difflib.get_close_matches(folded, nearby, n=1, cutoff=0.75)
        if close:
            out.append(close[0])
            changed = True
        else:
            out.append(term)
    return " ".join(out) if changed else ""


def search(
    *,
    user: Viewer,
    raw_query: str,
    filters: dict[str, str],
    page: str | int | None = None,
    within: str = "",
    backend: str | None = None,
    with_facets: bool = True,
) -> SearchResults:
    parsed = parse_query(raw_query)
    engine = get_backend(backend)
    within = within if within in WITHIN else ""
    active = active_filters(filters)
    per_page = settings.COCITY_PAGE_SIZE
    number = page_number(page)
    query = Query(
        terms=tuple(parsed.terms),
        scopes=_scopes(user),
        filters=active,
        kinds=within_kinds(within),
        offset=min((number - 1) * per_page, MAX_HITS - per_page),
        limit=per_page,
        facets=with_facets,
    )
    try:
        outcome = cached_outcome(engine, query)
    except SearchUnavailable:
        outcome = Outcome(ids=[], total=0, exact=False, degraded=True)
    reachable = min(outcome.total, MAX_HITS)
    if query.offset and query.offset >= reachable:
        # A page past the end: the last page there is.
        last = max((reachable - 1) // per_page, 0)
        query = replace(query, offset=last * per_page)
        outcome = cached_outcome(engine, query)
        reachable = min(outcome.total, MAX_HITS)
    found = (
        Document.objects.select_related("space")
        .defer("body")
        .annotate(body_start=Substr("body", 1, EXTRACT_FROM))
        .in_bulk(outcome.ids)
    )
    shown = [found[pk] for pk in outcome.ids if pk in found]
    for document in shown:
        document.body = document.body_start  # type: ignore[attr-defined]
    extracts = snippets(shown, parsed)
    hits = [{"document": d, "snippet": extracts[d.pk]} for d in shown]
    page_obj = paginate(_Window(reachable, query.offset, hits), query.offset // per_page + 1)
    facets = _facets_from_rows(outcome.facets, active) if with_facets else {}
    if facets.get("topic"):
        facets = {**facets, "topic": _topic_labels(facets["topic"])}
    suggestion = suggest(parsed.terms) if parsed.terms and not outcome.total else ""
    if suggestion:
        # Only a suggestion that finds something this person may see: the known words come from
        # every title, members-only ones included, which must not show through.
        check = replace(query, terms=tuple(parse_query(suggestion).terms), offset=0, limit=1)
        try:
            if not cached_outcome(engine, replace(check, facets=False)).total:
                suggestion = ""
        except SearchUnavailable:
            suggestion = ""
    return SearchResults(
        query=parsed,
        page=page_obj,
        hits=hits,
        facets=facets,
        filters=filters,
        total=outcome.total,
        exact=outcome.exact,
        suggestion=suggestion,
        within=within,
        within_label=str(WITHIN[within][1]) if within else "",
        degraded=outcome.degraded,
    )
