"""Writes for organisations: create, edit, members and their roles.

Every change to who is an admin goes through ``_lock_memberships`` first, so two people demoting
or removing the last two admins at the same moment cannot leave an organisation without one.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cocity.accounts.types import Actor
from cocity.core import uploads

from .. import access
from ..models import Organisation, OrganisationMembership, Role, Space, Territory


def check_logo(logo: Any) -> None:
    """A JPEG, PNG or WebP image within ``COCITY_MAX_UPLOAD_BYTES["logo"]`` (stored under a
    random name with the extension of what it is: ``cocity.core.media``)."""
    uploads.check_upload(logo, (uploads.IMAGE,), limit="logo", field="logo")


def _unique_slug(name: str) -> str:
    base = (slugify(name) or "organisation")[:190].strip("-") or "organisation"
    existing = set(
        Organisation.objects.filter(slug__startswith=base).values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in existing:
        slug = f"{base}-{number}"
        number += 1
    return slug


def organisation_create(
    *,
    creator: Any,
    name: str,
    kind: str,
    home_territory: Territory | None = None,
    website: str = "",
    description: str = "",
    logo: File | None = None,
    logo_alt: str = "",
) -> Organisation:
    """A new organisation, with the person creating it as its first admin."""
    if not getattr(creator, "is_authenticated", False):
        raise ValidationError(_("Sign in to create an organisation."), code="anonymous")
    if logo:
        check_logo(logo)
    for attempt in range(3):
        organisation = Organisation(
            name=name.strip(),
            slug=_unique_slug(name),
            kind=kind,
            home_territory=home_territory,
            website=website,
            description=description,
            logo_alt=logo_alt.strip(),
        )
        if logo:
            organisation.logo = logo
        organisation.full_clean()
        try:
            with transaction.atomic():
                organisation.save()
                membership = OrganisationMembership(
                    organisation=organisation, user=creator, role=Role.ADMIN
                )
                membership.full_clean()
                membership.save()
        except IntegrityError:  # another organisation took the slug meanwhile: try the next
            if attempt == 2:
                raise
            continue
        return organisation
    raise AssertionError("unreachable")  # pragma: no cover


def organisation_update(
    *,
    organisation: Organisation,
    name: str,
    kind: str,
    home_territory: Territory | None,
    website: str,
    description: str,
    logo_alt: str,
    logo: File | None = None,
    remove_logo: bool = False,
) -> Organisation:
    """Change an organisation's public details (the slug, and so its address, stays)."""
    if logo:
        check_logo(logo)
    organisation.name = name.strip()
    organisation.kind = kind
    organisation.home_territory = home_territory
    organisation.website = website
    organisation.description = description
    organisation.logo_alt = logo_alt.strip()
    if logo:
        organisation.logo = logo
    elif remove_logo:
        organisation.logo = None
    organisation.full_clean()
    with transaction.atomic():
        organisation.save()
    return organisation


# --- Members ------------------------------------------------------------------------------


def _lock_memberships(organisation: Organisation) -> list[OrganisationMembership]:
    """Lock every membership row of the organisation (in the caller's transaction) and return
    them: whoever comes second waits, then sees the first one's change before counting admins."""
    return list(
        OrganisationMembership.objects.select_for_update()
        .filter(organisation_id=organisation.pk)
        .order_by("pk")
    )


def _refuse_if_last_admin(
    memberships: list[OrganisationMembership],
    changing: OrganisationMembership,
    *,
    leaving: bool = False,
) -> None:
    admins = [m for m in memberships if m.role == Role.ADMIN]
    if changing.role != Role.ADMIN or [m.pk for m in admins] != [changing.pk]:
        return
    if leaving:
        raise ValidationError(
            _(
                "You are the only admin of this organisation. Make someone else an admin "
                "before you leave, so the organisation always has one."
            ),
            code="last_admin",
        )
    raise ValidationError(
        _(
            "%(name)s is the only admin of this organisation. Make someone else an admin "
            "first, so the organisation always has one."
        )
        % {"name": changing.user.public_name},
        code="last_admin",
    )


def _owned_spaces_lost(organisation: Organisation, membership: OrganisationMembership) -> None:
    """An admin of an organisation sees its members-only spaces: after leaving, being removed or
    losing the admin role, what they held there is let go (``cocity.network.access``)."""
    if membership.role == Role.ADMIN:
        access.access_lost(
            spaces=list(Space.objects.filter(organisations=organisation)),
            user_ids=[membership.user_id],
        )


def _validate_role(role: str) -> Role:
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role: member, editor or admin.")})
    return Role(role)


def organisation_member_add(
    *, organisation: Organisation, email: str, role: str = Role.MEMBER
) -> OrganisationMembership:
    """Add a person who already has an account, found by e-mail address."""
    role = _validate_role(role)
    email = (email or "").strip()
    user = get_user_model().objects.filter(email__iexact=email, deleted_at__isnull=True).first()
    if user is None:
        raise ValidationError(
            {
                "email": _(
                    "Nobody has an account with the address %(email)s. Ask them to sign up "
                    "first, then add them."
                )
                % {"email": email}
            }
        )
    with transaction.atomic():
        _lock_memberships(organisation)
        if OrganisationMembership.objects.filter(
            organisation_id=organisation.pk, user_id=user.pk
        ).exists():
            raise ValidationError(
                {
                    "email": _("%(name)s is already a member of this organisation.")
                    % {"name": user.public_name}
                }
            )
        membership = OrganisationMembership(organisation=organisation, user=user, role=role)
        membership.full_clean()
        membership.save()
    return membership


def _locked_membership(
    organisation: Organisation, membership_id: int
) -> tuple[list[OrganisationMembership], OrganisationMembership]:
    memberships = _lock_memberships(organisation)
    for membership in memberships:
        if membership.pk == membership_id:
            return memberships, membership
    raise ValidationError(
        _("This person is no longer a member of the organisation."), code="not_member"
    )


def organisation_member_change_role(
    *, organisation: Organisation, membership_id: int, role: str
) -> OrganisationMembership:
    """Give a member another role; refused when it would leave the organisation without admin."""
    new_role = _validate_role(role)
    with transaction.atomic():
        memberships, membership = _locked_membership(organisation, membership_id)
        if membership.role == new_role:
            return membership
        if new_role != Role.ADMIN:
            _refuse_if_last_admin(memberships, membership)
        was = OrganisationMembership(user_id=membership.user_id, role=membership.role)
        membership.role = new_role
        membership.full_clean()
        membership.save(update_fields=["role"])
        if new_role != Role.ADMIN:
            _owned_spaces_lost(organisation, was)
    return membership


def organisation_member_remove(*, organisation: Organisation, membership_id: int) -> None:
    """Remove a member; refused for the only admin."""
    with transaction.atomic():
        memberships, membership = _locked_membership(organisation, membership_id)
        _refuse_if_last_admin(memberships, membership)
        membership.delete()
        _owned_spaces_lost(organisation, membership)


def organisation_leave(*, organisation: Organisation, user: Actor) -> None:
    """A member leaves; the only admin must hand over first."""
    with transaction.atomic():
        memberships = _lock_memberships(organisation)
        mine = next((m for m in memberships if m.user_id == user.pk), None)
        if mine is None:
            raise ValidationError(
                _("You are not a member of this organisation."), code="not_member"
            )
        _refuse_if_last_admin(memberships, mine, leaving=True)
        mine.delete()
        _owned_spaces_lost(organisation, mine)
