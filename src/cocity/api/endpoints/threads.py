"""Comment threads as the pages show them (ideas, actions, pacts): top-level comments oldest
first, each with its replies, read through ``participation.selectors.comment_threads``. A
comment the moderators removed keeps its place, author and date with their reason; its text is
never given (``body`` is null), as on the pages."""

from datetime import datetime
from typing import Any

from ninja import Schema

from cocity.core.translations import translated
from cocity.participation import selectors as participation_selectors

from ..pagination import cursor_page


class CommentReplyOut(Schema):
    id: int
    author: str
    stance: str
    created_at: datetime
    edited_at: datetime | None
    hidden: bool
    hidden_reason: str
    body: str | None


class CommentOut(CommentReplyOut):
    replies: list[CommentReplyOut]


class CommentPage(Schema):
    items: list[CommentOut]
    next: str | None


def _reply(comment: Any) -> dict[str, Any]:
    hidden = comment.is_hidden
    return {
        "id": comment.pk,
        "author": comment.author.public_name,
        "stance": comment.stance,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
        "hidden": hidden,
        "hidden_reason": comment.hidden_reason if hidden else "",
        "body": None if hidden else translated(comment, "body"),
    }


def _comment(comment: Any) -> dict[str, Any]:
    # A plain dict: the response's schema (CommentPage) validates it once.
    return {**_reply(comment), "replies": [_reply(r) for r in comment.replies.all()]}


def comment_page(target: Any, cursor: str | None, limit: int) -> dict[str, Any]:
    return cursor_page(
        participation_selectors.comment_threads(target),
        cursor=cursor,
        limit=limit,
        order=("created_at", "id"),
        convert=_comment,
    )
