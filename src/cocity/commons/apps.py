from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonsConfig(AppConfig):
    name = "cocity.commons"
    label = "commons"
    verbose_name = _("Urban commons")

    def ready(self) -> None:
        # This app's sections of the personal data export (accounts/exports.py is the registry).
        from . import exports

        exports.register_all()
