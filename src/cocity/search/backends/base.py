"""What every search backend does, whatever it runs on (decision 0013, docs/search.md).

The ``search_document`` table (``models.Document``) is the one store of what is searchable: the
index hooks (``index.update`` / ``index.remove``) write it in the content's own transaction, and
with it one ``IndexChange`` row per changed document (the outbox). A backend that keeps its own
index (Tantivy, OpenSearch) is fed from the outbox by ``indexer.apply_pending``: it reads the
documents' current rows and applies them, then deletes the rows it applied, so a rolled-back
write never reaches it and a crashed indexer resumes where it stopped. The database backend
needs no outbox: its full-text part is written with the document, in the same transaction.

Every backend answers the same ``Query`` with the same ``Outcome``: the ids of the documents of
one page, the number of matches (exact up to ``EXACT_LIMIT``), and the six facets' counts. The
search page reads the documents of the page from the table and makes their extracts itself
(``analysis.highlight``), so a page looks the same whichever backend answered.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import ClassVar

from ..models import Document, DocumentTopic

FACETS = ("kind", "topic", "city", "language", "year", "space")
EXACT_LIMIT = 10_000  # totals beyond this are shown as "10,000+"
MAX_HITS = 1_000  # the first 50 pages of 20: no backend is asked past them
NOBODY = -1  # the scope of a document without a space that is not public: seen by nobody


class SearchUnavailable(Exception):
    """The backend could not answer (a search server down or timing out): the page says so."""


@dataclass(frozen=True)
class Query:
    """One question, already bounded by ``selectors.parse_query``.

    ``terms`` are the words as typed (each backend analyses them its own way); the last one is
    also matched as the start of a longer word when ``prefix`` is set. ``filters`` are the active
    facet filters (value as the index stores it: ``year`` and ``space`` as digits). ``kinds``
    limits the search to these kinds (a list page's own search box), ``scopes`` are what the
    viewer may see: 0 (public documents without a space) and the ids of their visible spaces.
    """

    terms: tuple[str, ...]
    scopes: tuple[int, ...]
    filters: dict[str, str] = field(default_factory=dict)
    kinds: tuple[str, ...] = ()
    prefix: bool = True
    offset: int = 0
    limit: int = 20
    facets: bool = True


FacetRow = tuple[str, str, str, int]  # facet, value, label, count


@dataclass
class Outcome:
    ids: list[int]  # Document ids of the page, best first
    total: int  # matches, exact when ``exact``, else at least this many
    exact: bool = True
    facets: list[FacetRow] = field(default_factory=list)
    # The question hit the backend's time limit and was answered over fewer candidates.
    degraded: bool = False


@dataclass(frozen=True)
class IndexedDocument:
    """A document as every backend indexes it (a row of the table and its topics)."""

    id: int
    title: str
    body: str
    language: str
    kind: str
    kind_label: str
    city: str
    city_name: str
    year: int | None
    space_id: int | None
    is_public: bool
    topics: tuple[tuple[str, str], ...]

    @property
    def scope(self) -> int:
        """Who may see it: its space's id, 0 when public without a space, else ``NOBODY``."""
        if self.space_id is not None:
            return self.space_id
        return 0 if self.is_public else NOBODY


def indexed_documents(
    ids: Iterable[int] | None = None, *, batch: int = 2000
) -> Iterator[IndexedDocument]:
    """The documents with these ids (all when ``None``), in id order, read in batches."""
    wanted = None if ids is None else sorted(set(ids))
    last = 0
    position = 0
    while True:
        rows = Document.objects.order_by("id")
        if wanted is None:
            rows = rows.filter(id__gt=last)
        else:
            chunk = wanted[position : position + batch]
            if not chunk:
                return
            position += batch
            rows = rows.filter(id__in=chunk)
        page = list(rows[:batch])
        if not page:
            if wanted is None:
                return
            continue
        topics: dict[int, list[tuple[str, str]]] = {}
        for document_id, slug, label in DocumentTopic.objects.filter(
            document_id__in=[d.pk for d in page]
        ).values_list("document_id", "slug", "label"):
            topics.setdefault(document_id, []).append((slug, label))
        for d in page:
            yield IndexedDocument(
                id=d.pk,
                title=d.title,
                body=d.body,
                language=d.language,
                kind=d.kind,
                kind_label=d.kind_label,
                city=d.city,
                city_name=d.city_name,
                year=d.year,
                space_id=d.space_id,
                is_public=d.is_public,
                topics=tuple(sorted(topics.get(d.pk, []))),
            )
        last = page[-1].pk


Progress = Callable[[int], None]  # called with the number of documents done so far


class SearchBackend(abc.ABC):
    name: ClassVar[str]
    # Fed by the outbox (``IndexChange``); the database backend writes with the document.
    uses_outbox: ClassVar[bool] = True

    @abc.abstractmethod
    def search(self, query: Query) -> Outcome:
        """The page of matches the viewer may see, their number and the facets."""

    def apply(self, upserts: list[IndexedDocument], deletions: list[int]) -> None:  # noqa: B027
        """Make the index hold these documents as they are now and none of ``deletions``
        (ids); idempotent, so applying the same changes twice is harmless."""

    @abc.abstractmethod
    def rebuild(self, documents: Iterable[IndexedDocument], progress: Progress) -> None:
        """Build a new index from scratch beside the one in use, then switch to it atomically:
        searches answer from the old index until the switch, and from the new one after."""

    def statistics(self) -> dict[str, object]:
        """What the index holds (documents, size on disk...), for the command and the admin."""
        return {}

    def reset(self) -> None:  # noqa: B027
        """Drop everything (tests)."""
