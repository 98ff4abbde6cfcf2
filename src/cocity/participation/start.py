"""The notifications' section of the personal start page (cocity.core.start): how many are
unread and the latest of them. Two queries."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cocity.core.start import StartSection, register

from . import selectors

LIMIT = 5


def _unread(user: Any) -> dict[str, Any]:
    unread = selectors.notifications_visible_to(user).filter(read_at__isnull=True)
    count = unread.count()
    latest = list(unread.order_by("-created_at", "-id")[:LIMIT]) if count else []
    return {
        "count": count,
        "latest": latest,
        "empty": not count,
        "all_url": reverse("participation:notifications"),
        "spaces_url": reverse("network:space_list"),
    }


register(
    StartSection(
        key="notifications",
        title=_("Unread notifications"),
        order=5,
        template="participation/partials/start_notifications.html",
        context=_unread,
    )
)
