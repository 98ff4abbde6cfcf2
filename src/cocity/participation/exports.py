"""Participation's sections of the personal data export (see :mod:`cocity.accounts.exports`):
the comments a person wrote, what they support and follow, the moderation reports they filed,
their notifications and their e-mail preference for them.

Registered from ``ParticipationConfig.ready()``. Each section is one query, plus one per kind of
target for the targets' titles (``prefetch_related`` on the generic foreign key): the number of
queries never grows with the number of rows.
"""

from typing import Any

from cocity.accounts import exports
from cocity.accounts.exports import iso_utc
from cocity.accounts.types import Actor

from .models import Comment, Follow, NotificationPreference, Report, Support
from .selectors import notifications_visible_to


def _target(row: Any) -> dict[str, Any]:
    """What a comment, support, follow or report is about: ``{"type": "plans.idea", "id": 12,
    "title": "..."}`` (the title is empty once the target is gone)."""
    content_type = row.content_type
    target = row.target
    return {
        "type": f"{content_type.app_label}.{content_type.model}",
        "id": row.object_id,
        "title": str(target) if target is not None else "",
    }


def comments(user: Actor) -> list[dict[str, Any]]:
    rows = (
        Comment.objects.filter(author_id=user.pk)
        .select_related("content_type")
        .prefetch_related("target")
        .order_by("created_at", "id")
    )
    return [
        {
            "on": _target(c),
            "in_reply_to": c.parent_id,
            "id": c.pk,
            "body": c.body,
            "stance": c.stance,
            "written_at": iso_utc(c.created_at),
            "edited_at": iso_utc(c.edited_at),
            "hidden_at": iso_utc(c.hidden_at),
            "hidden_reason": c.hidden_reason,
        }
        for c in rows
    ]


def supports(user: Actor) -> list[dict[str, Any]]:
    rows = (
        Support.objects.filter(user_id=user.pk)
        .select_related("content_type")
        .prefetch_related("target")
        .order_by("created_at", "id")
    )
    return [{"on": _target(s), "given_at": iso_utc(s.created_at)} for s in rows]


def follows(user: Actor) -> list[dict[str, Any]]:
    rows = (
        Follow.objects.filter(user_id=user.pk)
        .select_related("content_type")
        .prefetch_related("target")
        .order_by("created_at", "id")
    )
    return [{"on": _target(f), "since": iso_utc(f.created_at)} for f in rows]


def reports_filed(user: Actor) -> list[dict[str, Any]]:
    """Moderation reports the person filed (not the moderators' decisions' authors)."""
    rows = (
        Report.objects.filter(reporter_id=user.pk)
        .select_related("content_type")
        .prefetch_related("target")
        .order_by("created_at", "id")
    )
    return [
        {
            "on": _target(r),
            "reason": r.reason,
            "status": r.status,
            "reported_at": iso_utc(r.created_at),
            "decided_at": iso_utc(r.decided_at),
        }
        for r in rows
    ]


def notifications(user: Actor) -> dict[str, Any]:
    preference = NotificationPreference.objects.filter(user_id=user.pk).first()
    # Only about what the person may see now: a notification about a members-only space they
    # left was written by others about that space (docs/permissions.md).
    rows = notifications_visible_to(user).order_by("created_at", "id")
    return {
        "email": preference.email if preference else NotificationPreference.Email.IMMEDIATE.value,
        "received": [
            {
                "kind": n.kind,
                "message": n.message,
                "url": n.url,
                "received_at": iso_utc(n.created_at),
                "read_at": iso_utc(n.read_at),
                "emailed_at": iso_utc(n.emailed_at),
            }
            for n in rows
        ],
    }


def register_all() -> None:
    exports.register("comments", comments)
    exports.register("supports", supports)
    exports.register("follows", follows)
    exports.register("moderation_reports_filed", reports_filed)
    exports.register("notifications", notifications)
