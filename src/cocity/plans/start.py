"""The processes' section of the personal start page (cocity.core.start): the processes the
person follows (or that are in a space they follow), with their phase and what one can do now.
Two queries whatever the number of processes."""

from typing import Any

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cocity.core.start import StartSection, register

from . import selectors
from .panels import NOW  # what one can do in each kind of phase, as the hub pages say it

LIMIT = 5


def _row(process: Any, today: Any) -> dict[str, Any]:
    phase = process.active_phase(today)
    if phase is not None:
        until = formats.date_format(phase.ends_on, "DATE_FORMAT")
        return {
            "process": process,
            "phase": phase.label,
            "now": str(NOW[phase.kind]) % {"date": until},
        }
    upcoming = [p for p in process.phases.all() if p.starts_on > today]
    if upcoming:
        when = formats.date_format(upcoming[0].starts_on, "DATE_FORMAT")
        return {
            "process": process,
            "phase": "",
            "now": gettext("The next phase opens on %(date)s") % {"date": when},
        }
    return {"process": process, "phase": "", "now": gettext("No phase is open now")}


def _followed(user: Any) -> dict[str, Any]:
    today = timezone.localdate()
    rows = [
        _row(process, today) for process in selectors.followed_processes(user=user, limit=LIMIT)
    ]
    return {"rows": rows, "empty": not rows, "find_url": reverse("plans:process_list")}


register(
    StartSection(
        key="processes",
        title=_("Processes you follow"),
        order=20,
        template="plans/partials/start_processes.html",
        context=_followed,
    )
)
