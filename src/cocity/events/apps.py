from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "cocity.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        # This app's sections of the personal data export (accounts/exports.py is the registry).
        from . import exports

        exports.register_all()
