from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonsConfig(AppConfig):
    name = "cocity.commons"
    label = "commons"
    verbose_name = _("Urban commons")
    # The cache table (cocity.core.cache, decision 0007): a write to these rows, however it is
    # made, makes the cached entries of these namespaces stale. Commons and pact pages, the map
    # and its GeoJSON, the shared list parts.
    cached_models = {
        "commons.Commons": ("commons",),
        "commons.CommonsPhoto": ("commons",),
        "commons.CallForCare": ("commons",),
        "commons.Pact": ("commons",),
        "commons.PactParty": ("commons",),
        "commons.Commitment": ("commons",),
        "commons.Activity": ("commons",),
        "commons.PactDocument": ("commons",),
        "commons.PactPhoto": ("commons",),
        "commons.PactHistoryEntry": ("commons",),
        "commons.PactVersion": ("commons",),
        "commons.PactReport": ("commons",),
    }

    def ready(self) -> None:
        # This app's sections of the personal data export (accounts/exports.py is the registry).
        from . import exports

        exports.register_all()
