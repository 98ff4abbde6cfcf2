"""The pacts' section of the personal start page (cocity.core.start): the next deadlines of the
person's pacts. Left out for a person with no pact. One query."""

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cocity.core.start import StartSection, register

from . import selectors

LIMIT = 5


def _deadlines(user: Any) -> dict[str, Any] | None:
    pacts = selectors.pact_deadlines(user=user, limit=LIMIT)
    if not pacts:
        return None
    today = timezone.localdate()
    return {"pacts": pacts, "today": today, "all_url": reverse("commons:my_pacts")}


register(
    StartSection(
        key="pacts",
        title=_("Your pacts' next deadlines"),
        order=30,
        template="commons/partials/start_pacts.html",
        context=_deadlines,
    )
)
