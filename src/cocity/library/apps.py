from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "cocity.library"
    label = "library"
    verbose_name = _("Library of practices")

    def ready(self) -> None:
        # This app's sections of the personal data export (accounts/exports.py is the registry).
        from . import exports

        exports.register_all()
