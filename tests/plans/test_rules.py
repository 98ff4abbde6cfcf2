"""Every role against every action of plans (the matrix in docs/plans.md)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from cocity.network.models import Role
from tests.factories import (
    IdeaFactory,
    OrganisationMembershipFactory,
    SpaceFactory,
    SpaceMembershipFactory,
    UserFactory,
    process_in_phase,
)

pytestmark = pytest.mark.django_db

ACTIONS = ("view_process", "participate", "change_idea", "facilitate", "change_process")
# role -> expected permissions (public space, collect phase; "author" wrote the idea)
PUBLIC = {
    "anonymous": {"view_process"},
    "signed_in": {"view_process", "participate"},
    "author": {"view_process", "participate", "change_idea"},
    "member": {"view_process", "participate"},
    "editor": set(ACTIONS),
    "admin": set(ACTIONS),
    "owning_org_admin": set(ACTIONS),
    "staff": set(ACTIONS),
}


def _person(role, space, idea):  # type: ignore[no-untyped-def]
    if role == "anonymous":
        return AnonymousUser()
    if role == "author":
        return idea.author
    if role in ("member", "editor", "admin"):
        return SpaceMembershipFactory(space=space, role=Role(role)).user
    if role == "owning_org_admin":
        membership = OrganisationMembershipFactory(role=Role.ADMIN)
        space.organisations.add(membership.organisation)
        return membership.user
    if role == "staff":
        return UserFactory(is_staff=True)
    return UserFactory()


@pytest.mark.parametrize("visibility", ["public", "members"])
@pytest.mark.parametrize("role", list(PUBLIC))
def test_role_by_action(role, visibility):
    space = SpaceFactory(visibility=visibility, join_policy="invitation")
    process, _organiser = process_in_phase("collect", space=space)
    idea = IdeaFactory(process=process)
    user = _person(role, space, idea)
    expected = set(PUBLIC[role])
    if visibility == "members" and role in ("anonymous", "signed_in", "author"):
        expected = set()  # outsiders see nothing (the author here is not a member)
    got = {
        action
        for action in ACTIONS
        if user.has_perm(f"plans.{action}", idea if action == "change_idea" else process)
    }
    assert got == expected


def test_author_cannot_edit_outside_an_editing_phase():
    process, _ = process_in_phase("refine")
    idea = IdeaFactory(process=process)
    assert not idea.author.has_perm("plans.change_idea", idea)
