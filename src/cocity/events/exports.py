"""Events' sections of the personal data export (see :mod:`cocity.accounts.exports`): a person's
registrations with their answers to the organisers' questions, and the events they created.

Registered from ``EventsConfig.ready()``. Registrations are three queries (the registrations
with their event and track; which of those events the person may still see; the questions of
those events, to label the answers); events created are one.
"""

from typing import Any

from cocity.accounts import exports
from cocity.accounts.exports import iso_utc
from cocity.accounts.types import Actor

from .models import Event, Question, Registration
from .selectors import events_visible_to


def registrations(user: Actor) -> list[dict[str, Any]]:
    """Every registration the person made, with their own answers. For an event they may no
    longer see (they left its members-only space, or were removed from it), what others wrote
    is withheld: the event's title and address, the track's name and the questions' wording
    are ``None`` and ``withheld`` is true; the dates, the status and their answers stay, being
    theirs (docs/permissions.md, "Visibility follows membership")."""
    rows = list(
        Registration.objects.filter(user_id=user.pk)
        .select_related("event", "track")
        .order_by("created_at", "id")
    )
    visible = set(
        events_visible_to(user)
        .filter(pk__in={r.event_id for r in rows})
        .values_list("pk", flat=True)
    )
    labels = dict(Question.objects.filter(event_id__in=visible).values_list("pk", "label"))

    def shown(r: Registration, value: Any) -> Any:
        return value if r.event_id in visible else None

    return [
        {
            "event": shown(r, r.event.title),
            "event_slug": shown(r, r.event.slug),
            "track": shown(r, r.track.name),
            "withheld": r.event_id not in visible,
            "status": r.status,
            "answers": [
                {
                    "question": shown(r, labels.get(int(key), "") if key.isdigit() else ""),
                    "answer": value,
                }
                for key, value in (r.answers or {}).items()
            ],
            "attended": r.attended,
            "registered_at": iso_utc(r.created_at),
            "cancelled_at": iso_utc(r.cancelled_at),
            "promoted_at": iso_utc(r.promoted_at),
        }
        for r in rows
    ]


def events_created(user: Actor) -> list[dict[str, Any]]:
    rows = Event.objects.filter(created_by_id=user.pk).order_by("created_at", "id")
    return [
        {
            "title": e.title,
            "slug": e.slug,
            "summary": e.summary,
            "description": e.description,
            "status": e.status,
            "starts_at": iso_utc(e.starts_at),
            "created_at": iso_utc(e.created_at),
        }
        for e in rows
    ]


def register_all() -> None:
    exports.register("event_registrations", registrations)
    exports.register("events_created", events_created)
