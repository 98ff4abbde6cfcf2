"""Background work of the API app: regenerating the open-data packages (``cocity.api.opendata``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django_tasks import task

# After a write, the packages are regenerated once the writes of the next minute have come in
# (one queued task for a burst of writes, not one per write).
DEBOUNCE_SECONDS = 60
QUEUED_KEY = "cocity:open-data:queued"


@task()
def refresh_open_data(*, space: str | None = None, city: str | None = None) -> list[str]:
    from . import opendata

    cache.delete(QUEUED_KEY)
    try:
        return opendata.publish(space=space, city=city)
    except LookupError:
        return []


def _immediate(backend: Any) -> bool:
    from django_tasks.backends.immediate import ImmediateBackend

    return isinstance(backend, ImmediateBackend)


def queue_refresh(**kwargs: Any) -> None:
    """Queue a regeneration of every package, at most once per debounce window. Off when tasks
    run at once in the request (the tests, unless ``COCITY_OPEN_DATA_ON_WRITE`` says so)."""
    wanted = getattr(settings, "COCITY_OPEN_DATA_ON_WRITE", None)
    backend = refresh_open_data.get_backend()
    if wanted is False or (wanted is None and _immediate(backend)):
        return
    transaction.on_commit(_enqueue_once)


def _enqueue_once() -> None:
    if not cache.add(QUEUED_KEY, 1, timeout=DEBOUNCE_SECONDS * 5):
        return  # already queued: it will see this write too
    queued = refresh_open_data
    if getattr(refresh_open_data.get_backend(), "supports_defer", False):
        queued = refresh_open_data.using(
            run_after=timezone.now() + datetime.timedelta(seconds=DEBOUNCE_SECONDS)
        )
    queued.enqueue()


# The models whose public rows go into the packages: a write to any of them queues a refresh.
WATCHED = (
    "events.Event",
    "events.Session",
    "library.LibraryItem",
    "plans.Process",
    "plans.Idea",
    "plans.Action",
    "participation.Comment",
    "commons.Commons",
    "commons.Pact",
    "pledges.Pledge",
    "network.Space",
)


def connect_refresh() -> None:
    """Called by ``ApiConfig.ready()``: regenerate the packages in the background after the
    commits that changed what they hold. The writes are seen where every cached page sees them,
    the cache table of ``cocity.core.cache`` (decision 0007): the namespaces of these models."""
    from django.apps import apps

    from cocity.core.cache import after_changes, cache_namespaces_of

    namespaces = {name for label in WATCHED for name in cache_namespaces_of(apps.get_model(label))}
    after_changes(namespaces, queue_refresh)
