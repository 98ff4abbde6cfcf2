"""Start-up checks of the search backend's settings (``manage.py check``, run by every command
and the server): a wrong setting is said at start-up, never as a 500 on the search page."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register

from .backends import BACKENDS


@register()
def search_backend_settings(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    name = getattr(settings, "COCITY_SEARCH_BACKEND", "database")
    if name not in BACKENDS:
        return [
            Error(
                f"COCITY_SEARCH_BACKEND is {name!r}.",
                hint="Choose one of: " + ", ".join(sorted(BACKENDS)) + ".",
                id="cocity.search.E001",
            )
        ]
    if name == "opensearch" and not getattr(settings, "COCITY_OPENSEARCH_URL", ""):
        return [
            Error(
                "COCITY_SEARCH_BACKEND is 'opensearch' but COCITY_OPENSEARCH_URL is empty.",
                hint="Set it to the cluster's address, e.g. https://user:password@host:9200 "
                "(docs/scaling.md).",
                id="cocity.search.E002",
            )
        ]
    if name == "tantivy":
        directory = settings.COCITY_SEARCH_DIR
        parent = directory if os.path.isdir(directory) else os.path.dirname(str(directory))
        if parent and os.path.isdir(parent) and not os.access(parent, os.W_OK):
            return [
                Warning(
                    f"The search index directory {directory} cannot be written.",
                    hint="Set COCITY_SEARCH_DIR to a directory the task worker may write.",
                    id="cocity.search.W001",
                )
            ]
    return []
