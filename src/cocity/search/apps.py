from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "cocity.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        # Each capability registers its provider in ``<app>/search.py``.
        autodiscover_modules("search")
