"""An embedded Tantivy index, for large installations (``COCITY_SEARCH_BACKEND = "tantivy"``).

**On disk**: ``COCITY_SEARCH_DIR/tantivy/`` holds generations (``gen-<time>/``, each a whole
Tantivy index) and ``CURRENT``, a file naming the generation in use. A rebuild writes a new
generation beside the one in use, then replaces ``CURRENT`` atomically (``os.replace``) and
removes the generations older than the one it replaced (processes that have not looked at
``CURRENT`` since still read that one).

**One writer**: ``apply`` and ``rebuild`` run in the task worker (``indexer``); each ``apply``
opens a writer on the current generation, commits, waits for its merges and lets it go, so a
rebuild or another process never finds the writer's lock held for long.

**Readers** in every web process: the index is opened once per process; before each search two
``stat`` calls (``CURRENT`` and the generation's ``meta.json``, which Tantivy replaces at each
commit) say whether the writer committed or a rebuild switched, and only then is the reader
reloaded or the new generation opened (a few microseconds per search otherwise).

**Analysis**: a document's title and body go to the fields of its own language
(``title_fr``/``body_fr``...: lower case, accents folded, that language's Snowball stemmer),
and every document's also to ``title_plain``/``body_plain`` (lower case and accents folded,
not stemmed): that is the field of the other languages, the one the last word is matched in
as the start of a longer word (a stem is not the start of the words it stands for), and the one
where a translation's words appended to a body are found whatever the document's language (a
French query "logements" finds an English document translated with "logements"). A query word
is looked for in every field, each analysing it its own way, ORed; the words are ANDed.

**Visibility** is a clause of the index query: the document's ``scope`` (its space, 0 when
public without a space) must be one of the viewer's; documents seen by nobody are never
indexed. **Facets** are terms aggregations over fast fields, over the same query (visibility
and every filter included); the labels travel with the values (``value\\x1flabel``).
Totals are exact (Tantivy counts every match as it collects the page).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar

import tantivy
from django.conf import settings

from ..analysis import fold
from .base import (
    MAX_HITS,
    NOBODY,
    FacetRow,
    IndexedDocument,
    Outcome,
    Progress,
    Query,
    SearchBackend,
)

log = logging.getLogger(__name__)

# Interface languages and their Snowball stemmers (``analysis.STEMMERS``).
LANGUAGES = {
    "ar": "arabic",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "fr": "french",
    "nl": "dutch",
}
PLAIN = "plain"
TITLE_BOOST = 3.0  # a word in the title counts three times one in the body (as bm25 weights)
PLAIN_BOOST = 0.5  # an unstemmed match counts, less than one in the document's own language
MAX_TOKEN_BYTES = 255  # longer "words" (hashes, pasted URLs) are not indexed
MAX_TERMS = 32
MAX_TERM_CHARS = 200
MIN_PREFIX = 2  # the last word is matched as a prefix from this many characters
FACET_SIZE = 50  # values per facet returned (the page shows the top 12)
FACET_SEGMENT_SIZE = 500  # values per segment considered: the top ones' counts are exact
SEPARATOR = "\x1f"  # between a facet value and its label in the fast fields
WRITER_HEAP = 50_000_000
REBUILD_HEAP = 256_000_000
LOCK_WAIT_SECONDS = 10.0
CURRENT = "CURRENT"
META = "meta.json"

# Facet -> (fast field aggregated, field filtered on, labelled values?)
FACET_FIELDS = {
    "kind": ("kind_facet", "kind", True),
    "topic": ("topic_facet", "topic", True),
    "city": ("city_facet", "city", True),
    "language": ("language", "language", False),
    "year": ("year", "year", False),
    "space": ("space", "space", False),
}
NUMERIC = {"year", "space"}


def _analyzer(stemmer: str | None) -> tantivy.TextAnalyzer:
    builder = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(MAX_TOKEN_BYTES))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
    )
    if stemmer:
        builder = builder.filter(tantivy.Filter.stemmer(stemmer))
    return builder.build()


ANALYZERS: dict[str, tantivy.TextAnalyzer] = {
    **{code: _analyzer(name) for code, name in LANGUAGES.items()},
    PLAIN: _analyzer(None),
}
TEXT_FIELDS = [
    (f"{part}_{code}", code) for code in [*LANGUAGES, PLAIN] for part in ("title", "body")
]


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", indexed=True, fast=True)
    builder.add_integer_field("scope", indexed=True, fast=True)
    builder.add_integer_field("newest", fast=True)  # year and id: the order without words
    for name, code in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name=f"cocity_{code}", index_option="freq")
    for name in ("kind", "topic", "city", "language"):
        builder.add_text_field(name, tokenizer_name="raw", fast=name == "language")
    for name in ("kind_facet", "topic_facet", "city_facet"):
        builder.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    builder.add_integer_field("year", indexed=True, fast=True)
    builder.add_integer_field("space", indexed=True, fast=True)
    return builder.build()


def _clean(text: str) -> str:
    """Text Rust accepts (no lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "ignore").decode("utf-8")
    return text


# Letters ``ascii_fold`` leaves accented (Greek tonos, Arabic short vowels), and combining marks.
_UNFOLDED = re.compile("[\u0300-\u036f\u0370-\u03ff\u1f00-\u1fff\u0600-\u06ff\u0750-\u077f]")


def _plain(text: str) -> str:
    """The text of the plain fields: a text with letters ``ascii_fold`` leaves accented is
    folded first (``analysis.fold``), so "αθη" finds "Αθήνα" there too (the Greek and Arabic
    stemmers fold their own letters). Most texts have none and are left to Tantivy."""
    return fold(text) if _UNFOLDED.search(text) else text


def _labelled(value: str, label: str) -> str:
    return f"{value.replace(SEPARATOR, ' ')}{SEPARATOR}{label.replace(SEPARATOR, ' ')}"


def _language(code: str) -> str:
    code = (code or "").lower().split("-")[0].split("_")[0]
    return code if code in LANGUAGES else PLAIN


def _newest(document: IndexedDocument) -> int:
    return (document.year or 0) * 2**40 + document.id


def _document(d: IndexedDocument) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_integer("id", d.id)
    doc.add_integer("scope", d.scope)
    doc.add_integer("newest", _newest(d))
    title, body = _clean(d.title), _clean(d.body)
    language = _language(d.language)
    if language != PLAIN:
        doc.add_text(f"title_{language}", title)
        doc.add_text(f"body_{language}", body)
    doc.add_text(f"title_{PLAIN}", _plain(title))
    doc.add_text(f"body_{PLAIN}", _plain(body))
    doc.add_text("kind", _clean(d.kind))
    doc.add_text("kind_facet", _labelled(_clean(d.kind), _clean(d.kind_label)))
    if d.city:
        doc.add_text("city", _clean(d.city))
        doc.add_text("city_facet", _labelled(_clean(d.city), _clean(d.city_name)))
    if d.language:
        doc.add_text("language", _clean(d.language))
    for slug, label in d.topics:
        doc.add_text("topic", _clean(slug))
        doc.add_text("topic_facet", _labelled(_clean(slug), _clean(label)))
    if d.year is not None:
        doc.add_integer("year", d.year)
    if d.space_id is not None:
        doc.add_integer("space", d.space_id)
    return doc


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _made(generation: str) -> int:
    """When a generation was made (its name says), 0 for a name not of ours."""
    digits = generation.removeprefix("gen-")
    return int(digits) if digits.isdigit() else 0


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class _Opened:
    """One generation opened by this process, and what its files looked like then."""

    def __init__(self, generation: str, index: tantivy.Index, meta: tuple[int, int, int] | None):
        self.generation, self.index, self.meta = generation, index, meta


class TantivyBackend(SearchBackend):
    name: ClassVar[str] = "tantivy"
    uses_outbox: ClassVar[bool] = True

    def __init__(self, path: Path | str | None = None) -> None:
        self.root = Path(path or Path(settings.COCITY_SEARCH_DIR) / "tantivy")
        self.schema = _schema()
        self._opened: _Opened | None = None
        self._current_stamp: tuple[int, int, int] | None = None
        self._lock = threading.Lock()

    # --- generations -------------------------------------------------------------------------

    def _current_name(self) -> str | None:
        try:
            name = (self.root / CURRENT).read_text().strip()
        except OSError:
            return None
        if not name.startswith("gen-") or "/" in name or not (self.root / name).is_dir():
            return None
        return name

    def _open(self, generation: str, *, create: bool = False) -> tantivy.Index:
        path = self.root / generation
        if create:
            path.mkdir(parents=True, exist_ok=True)
            index = tantivy.Index(self.schema, str(path), reuse=False)
        else:
            index = tantivy.Index.open(str(path))
        for code, analyzer in ANALYZERS.items():
            index.register_tokenizer(f"cocity_{code}", analyzer)
        return index

    def _new_generation(self) -> tuple[str, tantivy.Index]:
        self.root.mkdir(parents=True, exist_ok=True)
        name = f"gen-{time.time_ns()}"
        while (self.root / name).exists():
            name = f"gen-{time.time_ns()}"
        return name, self._open(name, create=True)

    def _switch(self, generation: str) -> None:
        """Point ``CURRENT`` at ``generation`` (atomic: a reader sees the old name or the new)."""
        temporary = self.root / f"{CURRENT}.{os.getpid()}.tmp"
        with open(temporary, "w") as out:
            out.write(generation + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, self.root / CURRENT)
        _fsync_dir(self.root)

    def _remove_older_than(self, previous: str) -> None:
        """Remove the generations made before ``previous`` (the one just replaced, which the
        processes that have not looked at ``CURRENT`` since still read), and failed builds'
        leftovers; a newer one (another build under way) is left alone."""
        for path in self.root.glob("gen-*"):
            if path.is_dir() and _made(path.name) < _made(previous):
                shutil.rmtree(path, ignore_errors=True)

    def _reader(self) -> _Opened | None:
        """The generation in use, reloaded if the writer committed since (two stat calls when
        nothing changed)."""
        stamp = _stamp(self.root / CURRENT)
        opened = self._opened
        if opened is not None and stamp == self._current_stamp:
            meta = _stamp(self.root / opened.generation / META)
            if meta == opened.meta:
                return opened
        with self._lock:
            stamp = _stamp(self.root / CURRENT)
            opened = self._opened
            name = self._current_name()
            if name is None:
                self._opened, self._current_stamp = None, stamp
                return None
            meta = _stamp(self.root / name / META)
            if opened is None or opened.generation != name:
                index = self._open(name)
                index.config_reader(reload_policy="manual")
                opened = _Opened(name, index, meta)
            elif meta != opened.meta:
                opened.index.reload()
                opened.meta = meta
            self._opened, self._current_stamp = opened, stamp
            return opened

    # --- writing -----------------------------------------------------------------------------

    def _writer(self, index: tantivy.Index, heap: int, threads: int) -> tantivy.IndexWriter:
        """The index's one writer; another process holding it (a rebuild's last apply) is
        waited for a little, then the change stays in the outbox for the next run."""
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                return index.writer(heap_size=heap, num_threads=threads)
            except ValueError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def apply(self, upserts: list[IndexedDocument], deletions: list[int]) -> None:
        if not upserts and not deletions:
            return
        name = self._current_name()
        if name is None:
            name, index = self._new_generation()
            # An empty generation first: readers see it as soon as it is in CURRENT.
            writer = self._writer(index, WRITER_HEAP, 1)
            writer.commit()
            writer.wait_merging_threads()
            self._switch(name)
        index = self._open(name)
        writer = self._writer(index, WRITER_HEAP, 1)
        try:
            for document_id in deletions:
                writer.delete_documents_by_term("id", int(document_id))
            for document in upserts:
                writer.delete_documents_by_term("id", document.id)
                if document.scope != NOBODY:  # never indexed (the indexer filters them too)
                    writer.add_document(_document(document))
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()

    def rebuild(self, documents: Iterable[IndexedDocument], progress: Progress) -> None:
        previous = self._current_name()
        name, index = self._new_generation()
        try:
            writer = self._writer(index, REBUILD_HEAP, 0)
            done = 0
            try:
                for document in documents:
                    if document.scope != NOBODY:
                        writer.add_document(_document(document))
                    done += 1
                    if done % 500 == 0:
                        progress(done)
                writer.commit()
            except BaseException:
                writer.rollback()
                raise
            finally:
                writer.wait_merging_threads()
            progress(done)
        except BaseException:
            shutil.rmtree(self.root / name, ignore_errors=True)
            raise
        self._switch(name)
        self._remove_older_than(previous or name)

    def reset(self) -> None:
        with self._lock:
            self._opened, self._current_stamp = None, None
            shutil.rmtree(self.root, ignore_errors=True)

    def statistics(self) -> dict[str, object]:
        opened = self._reader()
        if opened is None:
            return {"backend": self.name, "documents": 0, "bytes": 0, "generation": ""}
        path = self.root / opened.generation
        size = sum(f.stat().st_size for f in path.iterdir() if f.is_file())
        searcher = opened.index.searcher()
        return {
            "backend": self.name,
            "documents": searcher.num_docs,
            "segments": searcher.num_segments,
            "bytes": size,
            "generation": opened.generation,
            "path": str(path),
        }

    # --- searching ---------------------------------------------------------------------------

    def _word(self, term: str, *, last: bool) -> tantivy.Query | None:
        """One typed word: its tokens in every text field (each analysed its own way), ORed;
        the last word also as the start of a longer word."""
        schema = self.schema
        clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for field, code in TEXT_FIELDS:
            tokens = ANALYZERS[code].analyze(_plain(term) if code == PLAIN else term)
            if not tokens:
                continue
            if len(tokens) == 1:
                found = tantivy.Query.term_query(schema, field, tokens[0])
            else:  # "a_b" is two tokens: both in that field
                found = tantivy.Query.boolean_query(
                    [
                        (tantivy.Occur.Must, tantivy.Query.term_query(schema, field, t))
                        for t in dict.fromkeys(tokens)
                    ]
                )
            boost = (TITLE_BOOST if field.startswith("title_") else 1.0) * (
                PLAIN_BOOST if code == PLAIN else 1.0
            )
            if boost != 1.0:
                found = tantivy.Query.boost_query(found, boost)
            clauses.append((tantivy.Occur.Should, found))
            if last and code == PLAIN and len(tokens) == 1 and len(tokens[0]) >= MIN_PREFIX:
                prefix = tantivy.Query.phrase_prefix_query(schema, field, [tokens[0]])
                clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(prefix, boost)))
        if not clauses:
            return None
        return tantivy.Query.boolean_query(clauses)

    def _filters(self, query: Query) -> list[tantivy.Query] | None:
        """The visibility, kinds and filter clauses; ``None`` when nothing can match."""
        schema = self.schema
        scopes = sorted({int(s) for s in query.scopes if int(s) != NOBODY and abs(int(s)) < 2**62})
        if not scopes:
            return None
        clauses = [tantivy.Query.term_set_query(schema, "scope", scopes)]
        if query.kinds:
            clauses.append(
                tantivy.Query.term_set_query(schema, "kind", [_clean(k) for k in query.kinds])
            )
        for facet, spec in FACET_FIELDS.items():
            field = spec[1]
            value = (query.filters.get(facet) or "").strip()
            if not value:
                continue
            if facet in NUMERIC:
                if not value.isdigit():
                    continue  # ignored, as the database does
                number = int(value)
                if number >= 2**62:
                    return None
                clauses.append(tantivy.Query.term_query(schema, field, number))
            else:
                clauses.append(tantivy.Query.term_query(schema, field, _clean(value)))
        return clauses

    def _query(self, query: Query) -> tantivy.Query | None:
        filters = self._filters(query)
        if filters is None:
            return None
        terms = [_clean(t)[:MAX_TERM_CHARS] for t in query.terms[:MAX_TERMS]]
        terms = [t for t in terms if t.strip()]
        words = []
        for position, term in enumerate(terms):
            word = self._word(term, last=query.prefix and position == len(terms) - 1)
            if word is not None:
                words.append(word)
        if terms and not words:
            return None  # only "words" no field indexes (too long, no letter): nothing matches
        clauses = [(tantivy.Occur.Must, w) for w in words]
        # Filters do not score: every match has them.
        clauses += [(tantivy.Occur.Must, tantivy.Query.const_score_query(f, 0.0)) for f in filters]
        if not words:
            clauses.append((tantivy.Occur.Must, tantivy.Query.all_query()))
        return tantivy.Query.boolean_query(clauses)

    def search(self, query: Query) -> Outcome:
        opened = self._reader()
        if opened is None:
            return Outcome(ids=[], total=0)
        index_query = self._query(query)
        if index_query is None:
            return Outcome(ids=[], total=0)
        searcher = opened.index.searcher()
        offset = max(0, int(query.offset))
        limit = max(0, min(int(query.limit), MAX_HITS - offset))
        ranked = any(t.strip() for t in query.terms)
        if ranked:
            # The best offset+limit (what Tantivy collects for an offset anyway), ties broken
            # by the newest id as the database does.
            found = searcher.search(index_query, max(1, offset + limit), count=True)
            ids = searcher.fast_field_values("id", [address for _score, address in found.hits])
            order = sorted(
                zip((score for score, _a in found.hits), ids, strict=True),
                key=lambda pair: (-pair[0], -int(pair[1] or 0)),
            )
            page = [int(pk) for _score, pk in order[offset : offset + limit] if pk is not None]
        else:
            found = searcher.search(
                index_query,
                max(1, limit),
                count=True,
                order_by_field="newest",
                offset=offset,
                order=tantivy.Order.Desc,
            )
            ids = searcher.fast_field_values("id", [address for _value, address in found.hits])
            page = [int(pk) for pk in ids[:limit] if pk is not None]
        total = int(getattr(found, "count", 0) or 0)  # count=True: every match
        facets = self._facets(searcher, index_query) if query.facets and total else []
        return Outcome(ids=page, total=total, exact=True, facets=facets)

    def _facets(self, searcher: tantivy.Searcher, index_query: tantivy.Query) -> list[FacetRow]:
        aggregations = {
            facet: {
                "terms": {
                    "field": field,
                    "size": FACET_SIZE,
                    "segment_size": FACET_SEGMENT_SIZE,
                }
            }
            for facet, (field, _f, _l) in FACET_FIELDS.items()
        }
        result: dict[str, Any] = searcher.aggregate(index_query, aggregations)
        rows: list[FacetRow] = []
        for facet, (_field, _f, labelled) in FACET_FIELDS.items():
            merged: dict[str, list[Any]] = {}  # value -> [label, count]
            for bucket in (result.get(facet) or {}).get("buckets", []):
                key, count = bucket.get("key"), int(bucket.get("doc_count") or 0)
                if key is None or count <= 0:
                    continue
                if labelled:
                    value, _sep, label = str(key).partition(SEPARATOR)
                elif facet in NUMERIC:
                    value = str(int(key))
                    label = value if facet == "year" else ""
                else:
                    value = label = str(key)
                entry = merged.setdefault(value, [label, 0])
                entry[0] = max(entry[0], label)
                entry[1] += count
            rows.extend((facet, value, label, count) for value, (label, count) in merged.items())
        return rows
