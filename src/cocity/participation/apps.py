from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "cocity.participation"
    label = "participation"
    verbose_name = _("Participation")

    def ready(self) -> None:
        # This app's sections of the personal data export (accounts/exports.py is the registry).
        from . import exports

        exports.register_all()
