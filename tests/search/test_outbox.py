"""The outbox between the documents table and a backend that keeps its own index: written in
the content's transaction, applied by one indexer at a time, resumed after a crash, and kept
for the new index while a rebuild runs."""

import threading

import pytest
from django.db import connection, connections, transaction

from cocity.search import backends, index, indexer
from cocity.search.backends.base import SearchBackend
from cocity.search.models import Document, IndexChange, Reindex
from cocity.search.registry import IndexEntry, SearchProvider

THING = SearchProvider(key="test.thing", model="network.Space", entry=lambda obj: None)


class MemoryBackend(SearchBackend):
    """An engine that keeps documents in a dict (and can be made slow or failing)."""

    name = "memory"
    uses_outbox = True
    documents: dict[int, str] = {}
    fail = 0

    def search(self, query):  # type: ignore[no-untyped-def]
        raise NotImplementedError

    def apply(self, upserts, deletions):  # type: ignore[no-untyped-def]
        if MemoryBackend.fail:
            MemoryBackend.fail -= 1
            raise ConnectionError("engine down")
        for document in upserts:
            MemoryBackend.documents[document.id] = document.title
        for pk in deletions:
            MemoryBackend.documents.pop(pk, None)

    def rebuild(self, documents, progress):  # type: ignore[no-untyped-def]
        fresh = {}
        for n, document in enumerate(documents, 1):
            fresh[document.id] = document.title
            progress(n)
            if MemoryBackend.during_rebuild is not None:
                MemoryBackend.during_rebuild()
                MemoryBackend.during_rebuild = None
        MemoryBackend.documents = fresh

    during_rebuild = None


@pytest.fixture(autouse=True)
def memory(settings, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setitem(backends.BACKENDS, "memory", f"{__name__}.MemoryBackend")
    settings.COCITY_SEARCH_BACKEND = "memory"
    backends.reset_backends()
    MemoryBackend.documents, MemoryBackend.fail = {}, 0
    yield
    backends.reset_backends()


def _write(pk, title="A practice", **fields):  # type: ignore[no-untyped-def]
    entry = IndexEntry(title=title, body="Housing.", url="/x/", kind="library.news", **fields)
    return index.write_entry(THING, pk, entry)


def _engine_matches_table() -> None:
    table = dict(Document.objects.filter(is_public=True).values_list("pk", "title"))
    assert MemoryBackend.documents == table


@pytest.mark.django_db
def test_a_committed_write_reaches_the_engine_through_the_outbox():
    document = _write(1, "Rooftop gardens")
    assert list(IndexChange.objects.values_list("document_id", flat=True)) == [document.pk]
    assert MemoryBackend.documents == {}
    assert indexer.apply_pending() == 1
    assert MemoryBackend.documents == {document.pk: "Rooftop gardens"}
    assert not IndexChange.objects.exists()
    index._delete(THING.key, 1)
    indexer.apply_pending()
    assert MemoryBackend.documents == {}


@pytest.mark.django_db
def test_a_rolled_back_write_never_reaches_the_engine():
    with pytest.raises(RuntimeError), transaction.atomic():
        _write(1, "Never committed")
        raise RuntimeError
    assert not IndexChange.objects.exists()
    assert indexer.apply_pending() == 0
    assert MemoryBackend.documents == {}


@pytest.mark.django_db
def test_a_crashed_indexer_resumes_where_it_stopped():
    for pk in range(1, 4):
        _write(pk, f"Practice {pk}")
    MemoryBackend.fail = 1
    with pytest.raises(ConnectionError):
        indexer.apply_pending()
    assert IndexChange.objects.count() == 3  # nothing was lost
    assert indexer.apply_pending() == 3
    _engine_matches_table()
    assert indexer.apply_pending() == 0


@pytest.mark.django_db
def test_documents_seen_by_nobody_leave_the_engine():
    document = _write(1, "Public first")
    indexer.apply_pending()
    _write(1, "Now private", is_public=False)
    indexer.apply_pending()
    assert document.pk not in MemoryBackend.documents


@pytest.mark.django_db
def test_the_database_backend_needs_no_outbox(settings):
    settings.COCITY_SEARCH_BACKEND = "database"
    backends.reset_backends()
    _write(1)
    assert not IndexChange.objects.exists()


@pytest.mark.django_db
def test_a_rebuild_switches_and_keeps_the_changes_written_meanwhile():
    for pk in range(1, 4):
        _write(pk, f"Practice {pk}")
    indexer.apply_pending()
    late = []
    MemoryBackend.during_rebuild = lambda: late.append(_write(9, "Written during the rebuild"))
    run = Reindex.objects.create(backend="memory", from_objects=False)
    indexer.rebuild(run)
    run.refresh_from_db()
    assert run.state == Reindex.State.DONE and run.done == run.total == 3
    _engine_matches_table()  # the late document too
    assert late[0].pk in MemoryBackend.documents
    # While the rebuild ran, an indexer left the outbox alone (the rebuild applied it).
    assert not IndexChange.objects.exists()


@pytest.mark.django_db
def test_a_failed_rebuild_says_why_and_keeps_the_old_index(monkeypatch):
    _write(1, "Kept")
    indexer.apply_pending()
    monkeypatch.setattr(MemoryBackend, "rebuild", lambda *a: 1 / 0)
    run = indexer.rebuild(Reindex.objects.create(backend="memory", from_objects=False))
    assert run.state == Reindex.State.FAILED and "ZeroDivisionError" in run.error
    assert list(MemoryBackend.documents.values()) == ["Kept"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent PostgreSQL")
def test_concurrent_indexers_never_leave_an_older_state():
    """Indexer A reads a document and is slow to apply it; meanwhile the document changes and
    indexer B starts. Taking turns, B waits for A and then applies the newer state; without
    turns B would apply the newer state first and A's older one would stay in the engine with
    nothing left in the outbox to correct it."""
    # Only the two indexers below drain (no task queued by the writes).
    patch_queue = pytest.MonkeyPatch()
    patch_queue.setattr(indexer, "queue_apply", lambda: None)
    document = _write(1, "first version")
    a_has_read = threading.Event()
    let_a_apply = threading.Event()
    real_apply = MemoryBackend.apply

    def slow_first_apply(self, upserts, deletions):  # type: ignore[no-untyped-def]
        if threading.current_thread().name == "indexer-a":
            a_has_read.set()
            let_a_apply.wait(timeout=10)
        real_apply(self, upserts, deletions)

    def run(name: str) -> threading.Thread:
        def target() -> None:
            try:
                indexer.apply_pending()
            finally:
                connections.close_all()

        thread = threading.Thread(target=target, name=name)
        thread.start()
        return thread

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(MemoryBackend, "apply", slow_first_apply)
        a = run("indexer-a")
        assert a_has_read.wait(timeout=10)
        _write(1, "second version")
        b = run("indexer-b")
        b.join(timeout=0.5)  # B, free to run, would finish here
        let_a_apply.set()
        a.join(timeout=10)
        b.join(timeout=10)
    patch_queue.undo()
    assert MemoryBackend.documents == {document.pk: "second version"}
    assert not IndexChange.objects.exists()


def test_a_wrong_backend_setting_is_said_at_start_up(settings):
    from cocity.search.checks import search_backend_settings

    settings.COCITY_SEARCH_BACKEND = "elastic"
    assert [e.id for e in search_backend_settings()] == ["cocity.search.E001"]
    settings.COCITY_SEARCH_BACKEND, settings.COCITY_OPENSEARCH_URL = "opensearch", ""
    assert [e.id for e in search_backend_settings()] == ["cocity.search.E002"]
    settings.COCITY_SEARCH_BACKEND = "database"
    assert search_backend_settings() == []
