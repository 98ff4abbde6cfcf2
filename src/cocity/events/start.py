"""The events' section of the personal start page (cocity.core.start): the person's next
sessions, in their own time zone."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cocity.core.start import StartSection, register

from . import selectors

LIMIT = 5


def _next_sessions(user: Any) -> dict[str, Any]:
    sessions = selectors.next_sessions(user=user, limit=LIMIT)
    return {
        "sessions": sessions,
        "empty": not sessions,
        "all_url": reverse("events:my_events"),
        "find_url": reverse("events:event_list"),
    }


register(
    StartSection(
        key="events",
        title=_("Your next sessions"),
        order=10,
        template="events/partials/start_sessions.html",
        context=_next_sessions,
    )
)
