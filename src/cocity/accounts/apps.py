from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "cocity.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    @property
    def cached_models(self) -> dict[str, object]:
        # The cache table (cocity.core.cache, decision 0007): a person's public name (display
        # name, e-mail prefix, "Former member") appears on the cached pages of every app, so a
        # profile edit or an account deletion makes them all stale at once; a login (last_login)
        # or a password change does not.
        from cocity.core.cache import EVERYWHERE, Shown

        names = frozenset({"display_name", "email", "deleted_at"})
        return {"accounts.User": Shown((EVERYWHERE,), fields=names)}

    def ready(self) -> None:
        # Accounts' own export section (e-mail addresses); every other app registers its own.
        from . import export_sections

        export_sections.register_all()
