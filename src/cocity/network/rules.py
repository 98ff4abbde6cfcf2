"""Who may do what in the network app: the one place views, the API and commands ask.

The matrix in ``docs/permissions.md`` is this file written out; ``tests/network/test_rules.py``
checks every role against every action. One condition per predicate, so coverage shows each.
"""

import rules

from cocity.accounts.types import Viewer

from .models import ROLE_RANK, Organisation, OrganisationMembership, Role, Space, SpaceMembership


def _space_role(user: Viewer, space: Space) -> str | None:
    if not user.is_authenticated or space is None:
        return None
    # Kept on the person for the request (forget_roles drops it).
    cache: dict[int, str | None] = user.__dict__.setdefault("_cocity_space_roles", {})
    if space.pk not in cache:
        cache[space.pk] = (
            SpaceMembership.objects.filter(space_id=space.pk, user_id=user.pk)
            .values_list("role", flat=True)
            .first()
        )
    return cache[space.pk]


def _org_role(user: Viewer, organisation: Organisation) -> str | None:
    if not user.is_authenticated or organisation is None:
        return None
    cache: dict[int, str | None] = user.__dict__.setdefault("_cocity_org_roles", {})
    if organisation.pk not in cache:
        cache[organisation.pk] = (
            OrganisationMembership.objects.filter(organisation_id=organisation.pk, user_id=user.pk)
            .values_list("role", flat=True)
            .first()
        )
    return cache[organisation.pk]


def forget_roles(user: Viewer) -> None:
    """Drop the per-request role cache after a membership changes."""
    for attribute in ("_cocity_space_roles", "_cocity_org_roles"):
        if hasattr(user, attribute):
            delattr(user, attribute)


def _at_least(role: str | None, wanted: Role) -> bool:
    return role is not None and ROLE_RANK[Role(role)] >= ROLE_RANK[wanted]


@rules.predicate
def is_staff(user: Viewer) -> bool:
    return bool(user.is_authenticated and user.is_staff)


@rules.predicate
def is_space_public(user: Viewer, space: Space) -> bool:
    return space is not None and space.visibility == Space.Visibility.PUBLIC


@rules.predicate
def is_space_member(user: Viewer, space: Space) -> bool:
    return _space_role(user, space) is not None


@rules.predicate
def is_space_editor(user: Viewer, space: Space) -> bool:
    return _at_least(_space_role(user, space), Role.EDITOR)


@rules.predicate
def is_space_admin(user: Viewer, space: Space) -> bool:
    return _at_least(_space_role(user, space), Role.ADMIN)


@rules.predicate
def is_space_open(user: Viewer, space: Space) -> bool:
    return space is not None and space.join_policy == Space.JoinPolicy.OPEN


@rules.predicate
def is_space_by_request(user: Viewer, space: Space) -> bool:
    return space is not None and space.join_policy == Space.JoinPolicy.REQUEST


@rules.predicate
def is_owning_org_admin(user: Viewer, space: Space) -> bool:
    if not user.is_authenticated or space is None:
        return False
    return OrganisationMembership.objects.filter(
        user_id=user.pk, role=Role.ADMIN, organisation__spaces=space
    ).exists()


@rules.predicate
def is_org_member(user: Viewer, organisation: Organisation) -> bool:
    return _org_role(user, organisation) is not None


@rules.predicate
def is_org_editor(user: Viewer, organisation: Organisation) -> bool:
    return _at_least(_org_role(user, organisation), Role.EDITOR)


@rules.predicate
def is_org_admin(user: Viewer, organisation: Organisation) -> bool:
    return _at_least(_org_role(user, organisation), Role.ADMIN)


is_signed_in = rules.is_authenticated

# Spaces ------------------------------------------------------------------------------------
can_view_space = is_space_public | is_space_member | is_owning_org_admin | is_staff
rules.add_perm("network.view_space", can_view_space)
rules.add_perm("network.view_space_members", can_view_space)
rules.add_perm("network.add_space", is_signed_in)
rules.add_perm("network.change_space", is_space_admin | is_owning_org_admin | is_staff)
rules.add_perm("network.manage_space_members", is_space_admin | is_owning_org_admin | is_staff)
rules.add_perm(
    "network.join_space", is_signed_in & is_space_public & is_space_open & ~is_space_member
)
rules.add_perm(
    "network.request_join_space",
    is_signed_in & is_space_public & is_space_by_request & ~is_space_member,
)
rules.add_perm("network.leave_space", is_space_member)

# Organisations -----------------------------------------------------------------------------
rules.add_perm("network.view_organisation", rules.always_allow)
rules.add_perm("network.add_organisation", is_signed_in)
rules.add_perm("network.change_organisation", is_org_admin | is_staff)
rules.add_perm("network.manage_organisation_members", is_org_admin | is_staff)
rules.add_perm("network.own_space_as_organisation", is_org_editor | is_staff)
rules.add_perm("network.leave_organisation", is_org_member)

# Territories and topics: the shared reference lists, kept by staff (Django admin, commands).
rules.add_perm("network.change_territory", is_staff)
rules.add_perm("network.change_topic", is_staff)
