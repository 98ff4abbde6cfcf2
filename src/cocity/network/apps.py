from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "cocity.network"
    label = "network"
    verbose_name = _("Network")

    def ready(self) -> None:
        # This app's sections of the personal data export (accounts/exports.py is the registry).
        from . import exports

        exports.register_all()
