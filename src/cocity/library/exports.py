"""The library's sections of the personal data export (see :mod:`cocity.accounts.exports`): the
items a person wrote (with their translations), the needs and offers they published, the contact
requests they sent and the review comments they wrote.

Registered from ``LibraryConfig.ready()``. Items are two queries (the items with their space;
their translations); each other section is one.
"""

from typing import Any

from cocity.accounts import exports
from cocity.accounts.exports import iso_utc
from cocity.accounts.types import Actor

from .models import ContactRequest, LibraryItem, PeerPost, ReviewComment


def items(user: Actor) -> list[dict[str, Any]]:
    rows = (
        LibraryItem.objects.filter(author_id=user.pk)
        .select_related("space")
        .prefetch_related("translations")
        .order_by("created_at", "id")
    )
    return [
        {
            "id": item.pk,
            "space": item.space.name,
            "kind": item.kind,
            "status": item.status,
            "title": item.title,
            "summary": item.summary,
            "body": item.body,
            "language": item.language,
            "published_on": iso_utc(item.published_on),
            "cover": item.cover.name or None,
            "cover_alt": item.cover_alt,
            "created_at": iso_utc(item.created_at),
            "updated_at": iso_utc(item.updated_at),
            "submitted_at": iso_utc(item.submitted_at),
            "published_at": iso_utc(item.published_at),
            "translations": [
                {"language": t.language, "title": t.title, "summary": t.summary, "body": t.body}
                for t in item.translations.all()
            ],
        }
        for item in rows
    ]


def peer_posts(user: Actor) -> list[dict[str, Any]]:
    rows = (
        PeerPost.objects.filter(author_id=user.pk)
        .select_related("organisation")
        .order_by("created_at", "id")
    )
    return [
        {
            "organisation": p.organisation.name,
            "kind": p.kind,
            "text": p.text,
            "open": p.is_open,
            "published_at": iso_utc(p.created_at),
        }
        for p in rows
    ]


def contact_requests(user: Actor) -> list[dict[str, Any]]:
    rows = (
        ContactRequest.objects.filter(sender_id=user.pk)
        .select_related("post", "from_organisation", "to_organisation", "item")
        .order_by("created_at", "id")
    )
    return [
        {
            "about_post": c.post.text,
            "from_organisation": c.from_organisation.name,
            "to_organisation": c.to_organisation.name,
            "about_item": c.item.title if c.item else None,
            "message": c.message,
            "status": c.status,
            "sent_at": iso_utc(c.created_at),
            "answered_at": iso_utc(c.decided_at),
        }
        for c in rows
    ]


def review_comments(user: Actor) -> list[dict[str, Any]]:
    rows = (
        ReviewComment.objects.filter(author_id=user.pk)
        .select_related("item")
        .order_by("created_at", "id")
    )
    return [
        {
            "item": c.item.title,
            "body": c.body,
            "action": c.action,
            "written_at": iso_utc(c.created_at),
        }
        for c in rows
    ]


def register_all() -> None:
    exports.register("library_items", items)
    exports.register("needs_and_offers", peer_posts)
    exports.register("contact_requests_sent", contact_requests)
    exports.register("library_review_comments", review_comments)
