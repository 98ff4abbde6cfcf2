"""The pledges' section of the personal start page (cocity.core.start): the progress reports
due on the pledges the person reports for. Left out for a person who reports for none. One
query."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cocity.core.start import StartSection, register

from . import selectors

LIMIT = 5


def _due(user: Any) -> dict[str, Any] | None:
    pledges = selectors.reports_due(user=user, limit=LIMIT)
    if not pledges:
        return None
    return {"pledges": pledges, "today": timezone.localdate()}


register(
    StartSection(
        key="pledges",
        title=_("Progress reports due"),
        order=40,
        template="pledges/partials/start_reports.html",
        context=_due,
    )
)
