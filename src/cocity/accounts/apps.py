from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "cocity.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Accounts' own export section (e-mail addresses); every other app registers its own.
        from . import export_sections

        export_sections.register_all()
