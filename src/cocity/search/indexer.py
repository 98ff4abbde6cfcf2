"""Feeding a backend that keeps its own index, and rebuilding any backend's index.

``apply_pending`` drains the outbox (``IndexChange``) in order: it reads the current rows of the
documents the changes name, applies them to the backend (upserts, and deletions of the ids that
no longer have a row or are seen by nobody), and only then deletes the outbox rows it applied.
It runs in the task worker (``apply_index_changes``, queued with the writes), which is the one
writer of an embedded index. If it stops half-way the rows stay and the next run applies them
again: applying is idempotent.

``rebuild`` builds a new index from every document with progress kept in a ``Reindex`` row,
then switches atomically (each backend says how); changes written meanwhile stay in the outbox
and are applied to the new index after the switch.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from cocity.core.cache import bump_cache_versions

from .backends import get_backend
from .backends.base import NOBODY, SearchBackend, indexed_documents
from .models import Document, IndexChange, Reindex

log = logging.getLogger(__name__)
BATCH = 500


_process_lock = threading.Lock()
LOCK_KEY = 0x5EA2C4  # the PostgreSQL advisory lock the indexers take turns with


@contextmanager
def _one_indexer() -> Iterator[None]:
    """One indexer at a time, across processes. Two at once could apply a document's older
    state after another applied its newer one (each read the row at a different moment), and
    the index would keep the older. The second waits, then drains what is left, so a change
    committed while the first was finishing is never left behind."""
    with _process_lock:
        if connection.vendor != "postgresql":
            yield  # SQLite: one writer at a time anyway
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


REBUILD_KEY = 0x5EA2C5  # held by a rebuild for its whole run (PostgreSQL)
STALE_REBUILD = timedelta(hours=6)  # elsewhere, a "running" row older than this is a dead run


def _rebuilding(backend: SearchBackend) -> bool:
    """Is a rebuild of this backend's index running? Its changes then stay in the outbox: the
    rebuild applies them to the new index after its switch (applied to the old one and deleted,
    the new index would miss them)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [REBUILD_KEY])
            free = cursor.fetchone()[0]
            if free:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [REBUILD_KEY])
        return not free
    return Reindex.objects.filter(
        backend=backend.name,
        state=Reindex.State.RUNNING,
        phase="index",
        started_at__gt=timezone.now() - STALE_REBUILD,
    ).exists()


def apply_pending(
    backend: SearchBackend | None = None, *, batch: int = BATCH, rebuilding: bool = False
) -> int:
    """Apply every change in the outbox to the backend; returns the number of changes applied.
    While a rebuild runs, nothing (the rebuild applies them), unless called by the rebuild."""
    backend = backend or get_backend()
    if not backend.uses_outbox:
        IndexChange.objects.all().delete()
        return 0
    with _one_indexer():
        if not rebuilding and _rebuilding(backend):
            return 0
        return _drain(backend, batch)


def _drain(backend: SearchBackend, batch: int) -> int:
    applied = 0
    while True:
        changes = list(IndexChange.objects.order_by("id").values_list("id", "document_id")[:batch])
        if not changes:
            return applied
        ids = {document_id for _pk, document_id in changes}
        upserts = [d for d in indexed_documents(ids) if d.scope != NOBODY]
        deletions = sorted(ids - {d.id for d in upserts})
        backend.apply(upserts, deletions)
        # Answers cached between the content's commit and now came from the index without
        # these changes: make them stale (the commit's own bump came before the index had them).
        bump_cache_versions("search")
        IndexChange.objects.filter(id__lte=changes[-1][0]).filter(
            id__in=[pk for pk, _d in changes]
        ).delete()
        applied += len(changes)


@task()
def apply_index_changes() -> int:
    return apply_pending()


def queue_apply() -> None:
    """Queue the indexer once the current transaction commits (the task reads the outbox rows
    this transaction wrote; one queued run drains everything pending)."""
    transaction.on_commit(_enqueue)


def _enqueue() -> None:
    try:
        apply_index_changes.enqueue()
    except Exception:  # the outbox keeps the change: the next run or `search-reindex` applies it
        log.exception("could not queue the search indexer")


def start_rebuild(backend_name: str | None = None, *, from_objects: bool = True) -> Reindex:
    """A ``Reindex`` row, queued for the worker."""
    backend = get_backend(backend_name)
    run = Reindex.objects.create(
        backend=backend.name, total=Document.objects.count(), from_objects=from_objects
    )
    transaction.on_commit(lambda: rebuild_index.enqueue(run.pk))
    return run


@task()
def rebuild_index(run_id: int) -> str:
    run = Reindex.objects.get(pk=run_id)
    rebuild(run)
    return run.state


def rebuild(run: Reindex) -> Reindex:
    """Build the backend's index from every document, switch to it, then apply the changes
    written meanwhile. Progress is saved every ``BATCH`` documents."""
    backend = get_backend(run.backend)
    run.state, run.started_at, run.done = Reindex.State.RUNNING, timezone.now(), 0
    run.save(update_fields=["state", "started_at", "done"])
    if run.from_objects:
        from .index import reindex_all
        from .registry import providers

        run.phase, run.total = "documents", sum(_count(p.objects()) for p in providers())
        run.save(update_fields=["phase", "total"])
        try:
            reindex_all(lambda n: Reindex.objects.filter(pk=run.pk).update(done=n))
        except Exception:
            return _failed(run)
    run.phase, run.done, run.total = "index", 0, Document.objects.count()
    run.save(update_fields=["phase", "done", "total"])
    with _rebuild_lock():
        return _rebuild(run, backend)


@contextmanager
def _rebuild_lock() -> Iterator[None]:
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [REBUILD_KEY])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [REBUILD_KEY])


def _rebuild(run: Reindex, backend: SearchBackend) -> Reindex:
    # An indexer that started before this rebuild finishes first; later ones leave the outbox
    # alone until the switch. Changes from here on are applied after it.
    run.phase = "index"
    with _one_indexer():
        Reindex.objects.filter(pk=run.pk).update(phase="index")
        last_change = IndexChange.objects.order_by("-id").values_list("id", flat=True).first()
    last_change = last_change or 0

    def progress(done: int) -> None:
        if done - run.done >= BATCH or done >= run.total:
            run.done = done
            Reindex.objects.filter(pk=run.pk).update(done=done)

    try:
        documents = (d for d in indexed_documents() if d.scope != NOBODY)
        backend.rebuild(documents, progress)
    except Exception:
        return _failed(run)
    if backend.uses_outbox:
        # The new index was built from the rows as they were: older outbox rows are in it.
        IndexChange.objects.filter(id__lte=last_change).delete()
        try:
            apply_pending(backend, rebuilding=True)
        except Exception:
            # The switch is done; what was written meanwhile waits in the outbox for the next
            # indexer run (nothing is lost), and the rebuild says so.
            log.exception("search rebuild: changes written meanwhile not applied yet")
            run.error = traceback.format_exc()[-4000:]
            run.save(update_fields=["error"])
    run.state, run.finished_at, run.done = Reindex.State.DONE, timezone.now(), run.total
    run.save(update_fields=["state", "finished_at", "done"])
    return run


def _count(objects: object) -> int:
    count = getattr(objects, "count", None)
    if callable(count):
        try:
            return int(count())
        except TypeError:
            pass
    return len(list(objects))  # type: ignore[call-overload]


def _failed(run: Reindex) -> Reindex:
    run.state, run.error = Reindex.State.FAILED, traceback.format_exc()[-4000:]
    run.finished_at = timezone.now()
    run.save(update_fields=["state", "error", "finished_at"])
    log.exception("search rebuild failed")
    return run
