from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "cocity.events"
    label = "events"
    verbose_name = _("Events")
    # The cache table (cocity.core.cache, decision 0007): a write to these rows, however it is
    # made, makes the cached entries of these namespaces stale. The list, event and series
    # pages, the filter choices and the personal calendar feeds (registrations: a full track,
    # the feed's events).
    cached_models = {
        "events.Series": ("events",),
        "events.Event": ("events",),
        "events.Speaker": ("events",),
        "events.Material": ("events",),
        "events.Track": ("events",),
        "events.Session": ("events",),
        "events.Question": ("events",),
        # Not on the pages (visitors see no seat counts): on the personal calendar feeds only.
        "events.Registration": ("registrations",),
    }

    def ready(self) -> None:
        # This app's sections of the personal data export (accounts/exports.py is the registry).
        from . import exports

        exports.register_all()
        # Leaving or being removed from a members-only space lets go of its upcoming events'
        # seats (the network cannot import events: it calls what apps register).
        from cocity.network import access

        from .services import registrations_end_for_lost_access

        access.on_access_lost(registrations_end_for_lost_access)
