"""Plans' sections of the personal data export (see :mod:`cocity.accounts.exports`): the ideas a
person posted (with their attachments and the organisers' answer) and the progress reports they
recorded on actions.

Registered from ``PlansConfig.ready()``. Ideas are two queries (the ideas with their process,
topic, place and organisation; their attachments); progress reports are one.
"""

from typing import Any

from cocity.accounts import exports
from cocity.accounts.exports import iso_utc
from cocity.accounts.types import Actor

from .models import Idea, ProgressUpdate


def _decimal(value: Any) -> str | None:
    return None if value is None else str(value)


def ideas(user: Actor) -> list[dict[str, Any]]:
    rows = (
        Idea.objects.filter(author_id=user.pk)
        .select_related("process", "topic", "territory", "on_behalf_of")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )
    return [
        {
            "id": idea.pk,
            "process": idea.process.title,
            "process_slug": idea.process.slug,
            "title": idea.title,
            "body": idea.body,
            "topic": idea.topic.name if idea.topic else None,
            "place": idea.territory.name if idea.territory else None,
            "latitude": _decimal(idea.latitude),
            "longitude": _decimal(idea.longitude),
            "on_behalf_of": idea.on_behalf_of.name if idea.on_behalf_of else None,
            "posted_at": iso_utc(idea.created_at),
            "updated_at": iso_utc(idea.updated_at),
            "answer": idea.answer,
            "answer_reason": idea.answer_reason,
            "answered_at": iso_utc(idea.answered_at),
            "hidden_at": iso_utc(idea.hidden_at),
            "hidden_reason": idea.hidden_reason,
            "attachments": [
                {"name": a.name, "type": a.mimetype, "size": a.size, "file": a.file.name}
                for a in idea.attachments.all()
            ],
        }
        for idea in rows
    ]


def progress_reports(user: Actor) -> list[dict[str, Any]]:
    rows = (
        ProgressUpdate.objects.filter(author_id=user.pk)
        .select_related("action")
        .order_by("created_at", "id")
    )
    return [
        {
            "action": r.action.title,
            "on": iso_utc(r.on),
            "text": r.text,
            "progress": r.progress,
            "status": r.status,
            "evidence_link": r.link,
            "evidence_file": r.file.name or None,
            "recorded_at": iso_utc(r.created_at),
        }
        for r in rows
    ]


def register_all() -> None:
    exports.register("ideas", ideas)
    exports.register("action_progress_reports", progress_reports)
