"""Writes about spaces: creating and editing them, and everything about who belongs to them.

Every function is one use case: keyword-only arguments, one transaction, ``full_clean()`` before
saving, and a :class:`~django.core.exceptions.ValidationError` a person can act on when the
request is refused (nothing is written then). Mail is rendered in the recipient's language and
sent only once the transaction has committed.

The "a space always keeps an admin" invariant is protected by locking the space's membership
rows (``SELECT ... FOR UPDATE``) before counting its admins, so two admins demoting each other at
the same moment cannot leave the space without one (proven on PostgreSQL in
``tests/network/test_spaces_concurrency.py``).
"""

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cocity.accounts.types import Actor
from cocity.core import images
from cocity.core.mail import queue_templated_email, queue_templated_emails

from .. import access
from ..models import (
    ROLE_RANK,
    Invitation,
    JoinRequest,
    Organisation,
    Role,
    Space,
    SpaceMembership,
    Territory,
    Topic,
)
from ..rules import forget_roles

logger = logging.getLogger(__name__)

SPACE_FIELDS = (
    "name",
    "kind",
    "visibility",
    "join_policy",
    "summary",
    "description",
    "parent",
    "territory",
)


# Helpers ------------------------------------------------------------------------------------


def _absolute(path: str, link_base: str) -> str:
    base = link_base or getattr(settings, "COCITY_BASE_URL", "")
    return f"{base.rstrip('/')}{path}"


def _unique_slug(name: str) -> str:
    base = slugify(name)[:180].strip("-") or "space"
    taken = set(Space.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _descendant_ids(space: Space) -> set[int]:
    """Every space below this one (one query per level; spaces are nested a few levels deep)."""
    found: set[int] = set()
    frontier = {space.pk}
    while frontier:
        frontier = (
            set(Space.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            - found
            - {space.pk}
        )
        found |= frontier
    return found


def _check_parent(*, space: Space | None, parent: Space | None, actor: Actor) -> None:
    if parent is None:
        return
    if space is not None and space.pk is not None:
        if parent.pk == space.pk:
            raise ValidationError({"parent": _("A space cannot be part of itself.")})
        if parent.pk in _descendant_ids(space):
            raise ValidationError(
                {"parent": _("A space cannot be part of one of its own sub-spaces.")}
            )
    if not actor.has_perm("network.change_space", parent):
        raise ValidationError(
            {"parent": _("You can only place a space inside a space you manage.")}
        )


def _check_organisations(
    *, organisations: Iterable[Organisation], actor: Actor, already: Iterable[Organisation] = ()
) -> None:
    kept = {org.pk for org in already}
    refused = [
        org.name
        for org in organisations
        if org.pk not in kept and not actor.has_perm("network.own_space_as_organisation", org)
    ]
    if refused:
        raise ValidationError(
            {
                "organisations": _(
                    "You can only name organisations where you are an editor or admin "
                    "(not: %(names)s)."
                )
                % {"names": ", ".join(refused)}
            }
        )


def _require(actor: Actor, perm: str, obj: Any) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You are not allowed to do this."))


def _locked_admin_ids(space: Space) -> list[int]:
    """Lock every membership row of the space, then return the ids of its admins.

    Anything that could remove an admin calls this first, inside its transaction; a second
    caller waits for the first to commit and then counts what is really left.
    """
    rows = (
        SpaceMembership.objects.select_for_update()
        .filter(space_id=space.pk)
        .order_by("pk")
        .values_list("user_id", "role")
    )
    return [user_id for user_id, role in rows if role == Role.ADMIN]


def _space_admins(space: Space) -> list[Any]:
    return [
        membership.user
        for membership in SpaceMembership.objects.filter(space_id=space.pk, role=Role.ADMIN)
        .exclude(user__is_active=False)
        .select_related("user")
    ]


# Spaces -------------------------------------------------------------------------------------


@transaction.atomic
def space_create(
    *,
    creator: Any,
    name: str,
    kind: str,
    visibility: str = Space.Visibility.PUBLIC,
    join_policy: str = Space.JoinPolicy.REQUEST,
    summary: str = "",
    description: str = "",
    parent: Space | None = None,
    territory: Territory | None = None,
    organisations: Sequence[Organisation] = (),
    topics: Sequence[Topic] = (),
    cover: Any = None,
    cover_alt: str = "",
    cover_decorative: bool = False,
) -> Space:
    """A new space; its creator becomes its first admin. ``cover``: an uploaded image
    (``cocity.core.images``), with its text alternative unless it is decorative."""
    if not creator.is_authenticated or not creator.has_perm("network.add_space"):
        raise PermissionDenied(_("Sign in to create a space."))
    _check_parent(space=None, parent=parent, actor=creator)
    _check_organisations(organisations=organisations, actor=creator)
    space = Space(
        name=name,
        slug=_unique_slug(name),
        kind=kind,
        visibility=visibility,
        join_policy=join_policy,
        summary=summary,
        description=description,
        parent=parent,
        territory=territory,
        created_by=creator,
    )
    images.picture_set(space, "cover", upload=cover, alt=cover_alt, decorative=cover_decorative)
    space.full_clean()
    space.save()
    space.organisations.set(organisations)
    space.topics.set(topics)
    membership = SpaceMembership(space=space, user=creator, role=Role.ADMIN)
    membership.full_clean()
    membership.save()
    forget_roles(creator)
    return space


@transaction.atomic
def space_update(
    *,
    space: Space,
    actor: Actor,
    organisations: Sequence[Organisation] | None = None,
    topics: Sequence[Topic] | None = None,
    cover: Any = None,
    cover_alt: str | None = None,
    cover_decorative: bool = False,
    **changes: Any,
) -> Space:
    """Change a space's description and settings (``network.change_space``). ``cover``: a new
    image, ``False`` to remove it, ``None`` to keep it; ``cover_alt=None`` keeps its text."""
    _require(actor, "network.change_space", space)
    unknown = set(changes) - set(SPACE_FIELDS)
    if unknown:
        raise TypeError(f"space_update() got unexpected fields: {sorted(unknown)}")
    if "parent" in changes and changes["parent"] != space.parent:
        _check_parent(space=space, parent=changes["parent"], actor=actor)
    if organisations is not None:
        _check_organisations(
            organisations=organisations, actor=actor, already=space.organisations.all()
        )
    was_public = space.is_public
    for name, value in changes.items():
        setattr(space, name, value)
    if cover is not None or cover_alt is not None:
        images.picture_set(
            space,
            "cover",
            upload=cover,
            alt=space.cover_alt if cover_alt is None else cover_alt,
            decorative=cover_decorative if cover_alt is not None else space.cover_decorative,
        )
    space.full_clean()
    space.save()
    if was_public and not space.is_public:
        access.access_lost(spaces=[space], user_ids=None)  # whoever is not a member now
    if organisations is not None:
        space.organisations.set(organisations)
    if topics is not None:
        space.topics.set(topics)
    return space


# Joining and leaving ------------------------------------------------------------------------


@transaction.atomic
def space_join(*, space: Space, user: Actor) -> SpaceMembership:
    """Join a public space that is open to anyone signed in."""
    if not user.is_authenticated:
        raise ValidationError(_("Sign in to join this space."))
    if space.join_policy != Space.JoinPolicy.OPEN or not space.is_public:
        raise ValidationError(_("This space is not open: ask to join or wait for an invitation."))
    if SpaceMembership.objects.filter(space_id=space.pk, user_id=user.pk).exists():
        raise ValidationError(_("You are already a member of this space."))
    membership = SpaceMembership(space=space, user=user, role=Role.MEMBER)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:
        raise ValidationError(_("You are already a member of this space.")) from None
    JoinRequest.objects.filter(
        space_id=space.pk, user_id=user.pk, status=JoinRequest.Status.PENDING
    ).update(status=JoinRequest.Status.WITHDRAWN)
    forget_roles(user)
    return membership


@transaction.atomic
def join_request_create(
    *, space: Space, user: Actor, message: str = "", link_base: str = ""
) -> JoinRequest:
    """Ask to join a public space whose admins decide; its admins are told by e-mail."""
    if not user.is_authenticated:
        raise ValidationError(_("Sign in to ask to join this space."))
    if space.join_policy != Space.JoinPolicy.REQUEST or not space.is_public:
        raise ValidationError(_("This space does not take requests to join."))
    if SpaceMembership.objects.filter(space_id=space.pk, user_id=user.pk).exists():
        raise ValidationError(_("You are already a member of this space."))
    already = _("You have already asked to join this space; its admins will answer.")
    if JoinRequest.objects.filter(
        space_id=space.pk, user_id=user.pk, status=JoinRequest.Status.PENDING
    ).exists():
        raise ValidationError(already)
    join_request = JoinRequest(space=space, user=user, message=message)
    join_request.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            join_request.save()
    except IntegrityError:
        raise ValidationError(already) from None
    # Each admin reads it in their language (one rendering per language among them).
    queue_templated_emails(
        recipients=_space_admins(space),
        template="network/emails/join_request_received",
        context={
            "space": space,
            "requester": user,
            "message": message,
            "members_url": _absolute(
                reverse("network:space_members", args=[space.slug]), link_base
            ),
        },
    )
    return join_request


@transaction.atomic
def join_request_withdraw(*, space: Space, user: Actor) -> JoinRequest:
    """Take back one's own pending request to join."""
    join_request = (
        JoinRequest.objects.select_for_update()
        .filter(space_id=space.pk, user_id=user.pk, status=JoinRequest.Status.PENDING)
        .first()
    )
    if join_request is None:
        raise ValidationError(_("You have no pending request to join this space."))
    join_request.status = JoinRequest.Status.WITHDRAWN
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_at"])
    return join_request


@transaction.atomic
def join_request_decide(
    *, join_request: JoinRequest, actor: Actor, accept: bool, link_base: str = ""
) -> JoinRequest:
    """Accept (the person becomes a member) or decline a request; the person is e-mailed."""
    _require(actor, "network.manage_space_members", join_request.space)
    locked = JoinRequest.objects.select_for_update().select_related("space", "user")
    join_request = locked.get(pk=join_request.pk)
    if join_request.status != JoinRequest.Status.PENDING:
        raise ValidationError(_("This request has already been answered or withdrawn."))
    space, requester = join_request.space, join_request.user
    if accept:
        SpaceMembership.objects.get_or_create(
            space=space, user=requester, defaults={"role": Role.MEMBER}
        )
        forget_roles(requester)
    join_request.status = JoinRequest.Status.ACCEPTED if accept else JoinRequest.Status.DECLINED
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.full_clean(validate_constraints=False)
    join_request.save(update_fields=["status", "decided_by", "decided_at"])
    queue_templated_email(
        to=requester.email,
        template="network/emails/join_request_decided",
        recipient=requester,
        context={
            "space": space,
            "requester": requester,
            "accepted": accept,
            "space_url": _absolute(space.get_absolute_url(), link_base),
        },
    )
    return join_request


@transaction.atomic
def space_leave(*, space: Space, user: Actor) -> None:
    """Leave a space; the last admin cannot leave before naming another admin."""
    admin_ids = _locked_admin_ids(space)
    membership = SpaceMembership.objects.filter(space_id=space.pk, user_id=user.pk).first()
    if membership is None:
        raise ValidationError(_("You are not a member of this space."))
    if membership.role == Role.ADMIN and admin_ids == [user.pk]:
        raise ValidationError(
            _("You are the only admin of this space: make someone else an admin before leaving.")
        )
    membership.delete()
    forget_roles(user)
    access.access_lost(spaces=[space], user_ids=[user.pk])


# Managing members ---------------------------------------------------------------------------


@transaction.atomic
def membership_role_change(
    *, membership: SpaceMembership, role: str, actor: Actor
) -> SpaceMembership:
    """Give a member another role; the space always keeps at least one admin."""
    space = membership.space
    _require(actor, "network.manage_space_members", space)
    if role not in Role.values:
        raise ValidationError({"role": _("Choose member, editor or admin.")})
    admin_ids = _locked_admin_ids(space)
    membership = SpaceMembership.objects.get(pk=membership.pk)
    if membership.role == Role.ADMIN and role != Role.ADMIN and admin_ids == [membership.user_id]:
        raise ValidationError(
            _("A space needs at least one admin: make someone else an admin first.")
        )
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role"])
    forget_roles(actor)
    return membership


@transaction.atomic
def membership_remove(*, membership: SpaceMembership, actor: Actor) -> None:
    """Remove someone from a space; the space always keeps at least one admin."""
    space = membership.space
    _require(actor, "network.manage_space_members", space)
    admin_ids = _locked_admin_ids(space)
    current = SpaceMembership.objects.filter(pk=membership.pk).first()
    if current is None:
        raise ValidationError(_("This person is no longer a member of this space."))
    if current.role == Role.ADMIN and admin_ids == [current.user_id]:
        raise ValidationError(
            _("A space needs at least one admin: make someone else an admin first.")
        )
    current.delete()
    forget_roles(actor)
    access.access_lost(spaces=[space], user_ids=[current.user_id])


# Invitations --------------------------------------------------------------------------------


def _email_is_member(space: Space, email: str) -> bool:
    from allauth.account.models import EmailAddress

    by_account = SpaceMembership.objects.filter(space_id=space.pk, user__email__iexact=email)
    by_address = SpaceMembership.objects.filter(
        space_id=space.pk,
        user_id__in=EmailAddress.objects.filter(email__iexact=email, verified=True).values(
            "user_id"
        ),
    )
    return by_account.exists() or by_address.exists()


@transaction.atomic
def invitation_create(
    *, space: Space, email: str, role: str = Role.MEMBER, invited_by: Any, link_base: str = ""
) -> Invitation:
    """Invite an e-mail address to the space with a role; the invitation is e-mailed."""
    _require(invited_by, "network.manage_space_members", space)
    email = (email or "").strip().lower()
    invitation = Invitation(space=space, email=email, role=role, invited_by=invited_by)
    invitation.full_clean(validate_constraints=False)
    if _email_is_member(space, email):
        raise ValidationError({"email": _("This person is already a member of this space.")})
    pending = Invitation.objects.select_for_update().filter(
        space_id=space.pk, email__iexact=email, status=Invitation.Status.PENDING
    )
    for old in pending:
        if old.is_usable:
            raise ValidationError(
                {"email": _("This address already has a pending invitation to this space.")}
            )
        old.status = Invitation.Status.REVOKED  # expired: make room for the new one
        old.save(update_fields=["status"])
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:
        raise ValidationError(
            {"email": _("This address already has a pending invitation to this space.")}
        ) from None
    # In the language of the person invited when they have an account, else the inviter's.
    invitee = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
    queue_templated_email(
        to=email,
        template="network/emails/invitation",
        recipient=invitee,
        context={
            "space": space,
            "invitation": invitation,
            "inviter": invited_by,
            "accept_url": _absolute(
                reverse("network:invitation_respond", args=[invitation.token]), link_base
            ),
        },
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: Actor) -> Invitation:
    _require(actor, "network.manage_space_members", invitation.space)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(_("This invitation has already been answered or withdrawn."))
    invitation.status = Invitation.Status.REVOKED
    invitation.save(update_fields=["status"])
    return invitation


def invitation_problem(invitation: Invitation) -> str | None:
    """Why this invitation can no longer be answered, in words for the person holding it."""
    if invitation.status == Invitation.Status.REVOKED:
        return _("This invitation has been withdrawn by the space's admins.")
    if invitation.status in (Invitation.Status.ACCEPTED, Invitation.Status.DECLINED):
        return _("This invitation has already been answered.")
    if invitation.expires_at <= timezone.now():
        return _("This invitation has expired. Ask the space's admins to invite you again.")
    return None


def _has_verified_email(user: Actor, email: str) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user_id=user.pk, email__iexact=email, verified=True).exists()


@transaction.atomic
def invitation_respond(*, token: str, user: Actor, accept: bool) -> Invitation:
    """Accept (become a member with the invited role) or decline an invitation. Only the person
    whose verified e-mail address was invited may answer."""
    if not user.is_authenticated:
        raise ValidationError(_("Sign in to answer this invitation."))
    invitation = (
        Invitation.objects.select_for_update().select_related("space").filter(token=token).first()
    )
    if invitation is None:
        raise ValidationError(_("This invitation link is not valid."))
    problem = invitation_problem(invitation)
    if problem:
        raise ValidationError(problem)
    if not _has_verified_email(user, invitation.email):
        raise ValidationError(
            _(
                "This invitation was sent to another e-mail address. Sign in with that address, "
                "or add it to your account and verify it."
            )
        )
    if accept:
        membership = SpaceMembership.objects.filter(space=invitation.space, user=user).first()
        if membership is None:
            membership = SpaceMembership(space=invitation.space, user=user, role=invitation.role)
            membership.full_clean()
            membership.save()
        elif ROLE_RANK[Role(invitation.role)] > ROLE_RANK[Role(membership.role)]:
            membership.role = invitation.role  # an invitation never lowers a role
            membership.save(update_fields=["role"])
        JoinRequest.objects.filter(
            space=invitation.space, user=user, status=JoinRequest.Status.PENDING
        ).update(status=JoinRequest.Status.ACCEPTED, decided_at=timezone.now())
        forget_roles(user)
    invitation.status = Invitation.Status.ACCEPTED if accept else Invitation.Status.DECLINED
    invitation.accepted_by = user if accept else None
    invitation.save(update_fields=["status", "accepted_by"])
    return invitation
