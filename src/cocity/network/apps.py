from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "cocity.network"
    label = "network"
    verbose_name = _("Network")
    # The cache table (cocity.core.cache, decision 0007): a write to these rows, however it is
    # made, makes the cached entries of these namespaces stale. Every page names places, topics,
    # organisations and spaces: their pages and lists are cached under "network", and every
    # other app's cached pages include it.
    cached_models = {
        "network.Territory": ("network",),
        "network.Topic": ("network",),
        "network.Organisation": ("network",),
        "network.OrganisationMembership": ("network",),
        "network.Space": ("network",),
        "network.SpaceMembership": ("network",),
    }

    def ready(self) -> None:
        # This app's sections of the personal data export (accounts/exports.py is the registry).
        from . import exports

        exports.register_all()
