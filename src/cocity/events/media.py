"""The files events stores (cocity.core.media): an event's materials, readable by whoever may
read the event (``events.view_event``: members-only spaces' events to members), as are its cover
image and its speakers' portraits."""

from cocity.core.media import register

from .models import Event, Material, Speaker

register(
    Material,
    "file",
    can_read=lambda user, row: user.has_perm("events.view_event", row.event),
    download_name=lambda row: row.title,
)
register(
    Event,
    "cover",
    can_read=lambda user, row: user.has_perm("events.view_event", row),
    variants=True,
)
register(
    Speaker,
    "portrait",
    can_read=lambda user, row: user.has_perm("events.view_event", row.event),
    variants=True,
)
