"""The files events stores (cocity.core.media): an event's materials, readable by whoever may
read the event (``events.view_event``: members-only spaces' events to members)."""

from cocity.core.media import register

from .models import Material

register(
    Material,
    "file",
    can_read=lambda user, row: user.has_perm("events.view_event", row.event),
    download_name=lambda row: row.title,
)
