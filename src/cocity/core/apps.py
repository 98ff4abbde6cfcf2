from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "cocity.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # The cache table: every app's ``cached_models``, wired to the model signals once
        # (cocity.core.cache, decision 0007).
        from .cache import connect_cached_models

        connect_cached_models()
        # Each app registers the panels it shows on other apps' pages in ``<app>/panels.py``
        # (cocity.core.panels).
        autodiscover_modules("panels")
        # ... and the counters it keeps on its rows in ``<app>/counters.py``, which
        # ``cocity check-counters`` recounts (cocity.core.counters).
        autodiscover_modules("counters")
        # ... and the files it stores, with who may read them, in ``<app>/media.py``
        # (cocity.core.media).
        autodiscover_modules("media")
        # ... and its section of the personal start page in ``<app>/start.py``
        # (cocity.core.start).
        autodiscover_modules("start")
        # Every Translatable model's writes queue its machine translation
        # (cocity.core.translations).
        from .translations import connect_signals

        connect_signals()
