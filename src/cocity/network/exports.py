"""The export sections accounts knows about: e-mail addresses, and what the person holds in the
network app (memberships, join requests, invitations sent, spaces created).

Registered from ``AccountsConfig.ready()``; the network app's own files stay untouched. Each
section is one query (``select_related`` for the space or organisation names).
"""

from typing import Any

from . import exports
from .exports import iso_utc


def email_addresses(user) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    from allauth.account.models import EmailAddress

    return [
        {"email": address.email, "verified": address.verified, "primary": address.primary}
        for address in EmailAddress.objects.filter(user_id=user.pk).order_by("email")
    ]


def organisation_memberships(user) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    from cocity.network.models import OrganisationMembership

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


def space_memberships(user) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    from cocity.network.models import SpaceMembership

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


def join_requests(user) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    from cocity.network.models import JoinRequest

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


def invitations_sent(user) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    from cocity.network.models import Invitation

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


def spaces_created(user) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    from cocity.network.models import Space

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
    exports.register("email_addresses", email_addresses)
    exports.register("organisation_memberships", organisation_memberships)
    exports.register("space_memberships", space_memberships)
    exports.register("join_requests", join_requests)
    exports.register("invitations_sent", invitations_sent)
    exports.register("spaces_created", spaces_created)
