from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "cocity.participation"
    label = "participation"
    verbose_name = _("Participation")
    # The cache table (cocity.core.cache, decision 0007): a write to these rows, however it is
    # made, makes the cached entries of these namespaces stale. Comments, supports and follows
    # shown on the pages of the apps that use them (plans).
    cached_models = {
        "participation.Comment": ("participation",),
        "participation.Support": ("participation",),
        "participation.Follow": ("participation",),
    }

    def ready(self) -> None:
        # This app's sections of the personal data export (accounts/exports.py is the registry).
        from . import exports

        exports.register_all()
