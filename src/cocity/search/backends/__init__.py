"""The search backend chosen in settings (``COCITY_SEARCH_BACKEND``): ``database`` (default),
``tantivy`` or ``opensearch``. One instance per process."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

from .base import SearchBackend

BACKENDS = {
    "database": "cocity.search.backends.database.DatabaseBackend",
    "tantivy": "cocity.search.backends.tantivy.TantivyBackend",
    "opensearch": "cocity.search.backends.opensearch.OpenSearchBackend",
}


@lru_cache(maxsize=4)
def _backend(name: str) -> SearchBackend:
    return import_string(BACKENDS[name])()


def get_backend(name: str | None = None) -> SearchBackend:
    return _backend(name or getattr(settings, "COCITY_SEARCH_BACKEND", "database"))


def reset_backends() -> None:
    """Forget the instances (tests that switch backends or index directories)."""
    _backend.cache_clear()
