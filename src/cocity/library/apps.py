from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "cocity.library"
    label = "library"
    verbose_name = _("Library of practices")
    # The cache table (cocity.core.cache, decision 0007): a write to these rows, however it is
    # made, makes the cached entries of these namespaces stale. The API's library answers (their
    # ETags); the pages are not cached.
    cached_models = {
        "library.LibraryItem": ("library",),
        "library.ItemTranslation": ("library",),
        "library.ItemFigure": ("library",),
        "library.ItemAttachment": ("library",),
        "library.ItemLink": ("library",),
    }

    def ready(self) -> None:
        # This app's sections of the personal data export (accounts/exports.py is the registry).
        from . import exports

        exports.register_all()
