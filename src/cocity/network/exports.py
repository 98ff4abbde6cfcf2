"""The network's sections of the personal data export (see :mod:`cocity.accounts.exports`):
memberships, join requests, invitations sent, spaces created.

Registered from ``NetworkConfig.ready()``. Each section is one query (``select_related`` for the
space or organisation names).
"""

from typing import Any

from cocity.accounts import exports
from cocity.accounts.exports import iso_utc
from cocity.accounts.types import Actor

from .models import Invitation, JoinRequest, OrganisationMembership, Space, SpaceMembership


def organisation_memberships(user: Actor) -> list[dict[str, Any]]:
    memberships = (
        OrganisationMembership.objects.filter(user_id=user.pk)
        .select_related("organisation")
        .order_by("created_at", "id")
    )
    return [
        {
            "organisation": m.organisation.name,
            "organisation_slug": m.organisation.slug,
            "role": m.role,
            "since": iso_utc(m.created_at),
        }
        for m in memberships
    ]


def space_memberships(user: Actor) -> list[dict[str, Any]]:
    memberships = (
        SpaceMembership.objects.filter(user_id=user.pk)
        .select_related("space")
        .order_by("created_at", "id")
    )
    return [
        {
            "space": m.space.name,
            "space_slug": m.space.slug,
            "role": m.role,
            "since": iso_utc(m.created_at),
        }
        for m in memberships
    ]


def join_requests(user: Actor) -> list[dict[str, Any]]:
    requests = (
        JoinRequest.objects.filter(user_id=user.pk)
        .select_related("space")
        .order_by("created_at", "id")
    )
    return [
        {
            "space": r.space.name,
            "space_slug": r.space.slug,
            "message": r.message,
            "status": r.status,
            "asked_at": iso_utc(r.created_at),
            "decided_at": iso_utc(r.decided_at),
        }
        for r in requests
    ]


def invitations_sent(user: Actor) -> list[dict[str, Any]]:
    invitations = (
        Invitation.objects.filter(invited_by_id=user.pk)
        .select_related("space")
        .order_by("created_at", "id")
    )
    return [
        {
            "space": i.space.name,
            "space_slug": i.space.slug,
            "email": i.email,
            "role": i.role,
            "status": i.status,
            "sent_at": iso_utc(i.created_at),
            "expires_at": iso_utc(i.expires_at),
        }
        for i in invitations
    ]


def spaces_created(user: Actor) -> list[dict[str, Any]]:
    spaces = Space.objects.filter(created_by_id=user.pk).order_by("created_at", "id")
    return [
        {
            "name": s.name,
            "slug": s.slug,
            "kind": s.kind,
            "visibility": s.visibility,
            "summary": s.summary,
            "description": s.description,
            "created_at": iso_utc(s.created_at),
        }
        for s in spaces
    ]


def register_all() -> None:
    exports.register("organisation_memberships", organisation_memberships)
    exports.register("space_memberships", space_memberships)
    exports.register("join_requests", join_requests)
    exports.register("invitations_sent", invitations_sent)
    exports.register("spaces_created", spaces_created)
