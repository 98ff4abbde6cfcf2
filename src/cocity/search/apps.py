from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "cocity.search"
    label = "search"
    verbose_name = _("Search")
    # The cache table (cocity.core.cache, decision 0007): a write to these rows, however it is
    # made, makes the cached entries of these namespaces stale. Search summaries and pages of
    # hits (their facet counts are kept by the index writes).
    cached_models = {
        "search.Document": ("search",),
        "search.DocumentTopic": ("search",),
        "search.FacetCount": ("search",),
    }

    def ready(self) -> None:
        # Each capability registers its provider in ``<app>/search.py``.
        autodiscover_modules("search")
        # A new translation of an object: its document gets the new words.
        from cocity.core.translations import translations_changed

        from . import checks  # noqa: F401 - registers the settings checks

        translations_changed.connect(_translated, dispatch_uid="search:translated")


def _translated(sender: object, instance: object, **kwargs: object) -> None:
    from .index import update

    update(instance)
