from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "cocity.api"
    label = "api"
    verbose_name = _("API")
    # The cache table (cocity.core.cache, decision 0007): an imported event or library item
    # shows its origin on its page.
    cached_models = {"api.ImportedRecord": ("events", "library")}

    def ready(self) -> None:
        # Each capability's endpoints (``cocity/api/endpoints/<capability>.py``) are added to
        # the one API when its module is imported by ``cocity.api.urls``.
        from .tasks import connect_refresh

        connect_refresh()  # the open-data packages are regenerated in the background after writes
