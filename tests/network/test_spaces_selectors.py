"""Space reads: who sees which spaces, the directory's filters and counts."""

import pytest
from django.contrib.auth.models import AnonymousUser

from cocity.network.models import Role, Space
from cocity.network.selectors import spaces as selectors
from tests.factories import (
    OrganisationFactory,
    OrganisationMembershipFactory,
    SpaceFactory,
    SpaceMembershipFactory,
    UserFactory,
    city_with_neighbourhoods,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    public = SpaceFactory(name="Public")
    secret = SpaceFactory(name="Secret", visibility=Space.Visibility.MEMBERS)
    other_secret = SpaceFactory(name="Other secret", visibility=Space.Visibility.MEMBERS)
    organisation = OrganisationFactory()
    other_secret.organisations.add(organisation)
    member = SpaceMembershipFactory(space=secret).user
    SpaceMembershipFactory.create_batch(2, space=secret)
    SpaceMembershipFactory(space=public, user=member)
    org_admin = OrganisationMembershipFactory(organisation=organisation, role=Role.ADMIN).user
    org_editor = OrganisationMembershipFactory(organisation=organisation, role=Role.EDITOR).user
    return {
        "anonymous": AnonymousUser(),
        "person": UserFactory(),
        "member": member,
        "org_admin": org_admin,
        "org_editor": org_editor,
        "staff": UserFactory(is_staff=True),
    }


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", ["Public"]),
        ("person", ["Public"]),
        ("member", ["Public", "Secret"]),
        ("org_admin", ["Other secret", "Public"]),
        ("org_editor", ["Public"]),
        ("staff", ["Other secret", "Public", "Secret"]),
    ],
)
def test_spaces_visible_to(world, who, expected):
    user = world[who]
    visible = selectors.spaces_visible_to(user)
    assert sorted(space.name for space in visible) == expected
    # The selector and the rule agree on every space.
    for space in Space.objects.all():
        assert user.has_perm("network.view_space", space) is (space.name in expected)


def test_visible_spaces_are_not_duplicated_and_counts_are_right(world):
    spaces = selectors.space_list(user=world["member"])
    counts = {space.name: space.member_count for space in spaces}
    assert counts == {"Public": 1, "Secret": 3}


def test_space_for_viewer(world):
    assert (
        selectors.space_for_viewer(slug=Space.objects.get(name="Secret").slug, user=world["person"])
        is None
    )
    space = selectors.space_for_viewer(
        slug=Space.objects.get(name="Secret").slug, user=world["member"]
    )
    assert space is not None and space.name == "Secret"


def test_space_list_filters():
    _country, city, _district, hoods = city_with_neighbourhoods()
    _other_country, other_city, _d, _h = city_with_neighbourhoods("BE", "BE-BRU")
    in_hood = SpaceFactory(name="Hood", territory=hoods[1], kind=Space.Kind.LAB)
    SpaceFactory(name="Other city", territory=other_city)
    in_city = SpaceFactory(name="City", territory=city, summary="Commons care")
    anonymous = AnonymousUser()
    assert list(selectors.space_list(user=anonymous, city=city)) == [in_city, in_hood]
    assert list(selectors.space_list(user=anonymous, kind="lab")) == [in_hood]
    assert list(selectors.space_list(user=anonymous, query="commons")) == [in_city]


def test_space_members_are_ordered_admins_first():
    space = SpaceFactory()
    member = SpaceMembershipFactory(space=space, user=UserFactory(display_name="A member"))
    admin = SpaceMembershipFactory(
        space=space, role=Role.ADMIN, user=UserFactory(display_name="Z admin")
    )
    editor = SpaceMembershipFactory(
        space=space, role=Role.EDITOR, user=UserFactory(display_name="M editor")
    )
    assert list(selectors.space_members(space=space)) == [admin, editor, member]


def test_viewer_state():
    space = SpaceFactory()
    person = UserFactory()
    state = selectors.viewer_state(space=space, user=person)
    assert not state.is_member and state.pending_request is None
    assert state.perms["request_join_space"] and not state.perms["leave_space"]
    member = SpaceMembershipFactory(space=space, role=Role.EDITOR)
    state = selectors.viewer_state(space=space, user=member.user)
    assert state.membership == member and state.perms["leave_space"]


def test_spaces_manageable_by_and_ownable_organisations():
    user = UserFactory()
    mine = SpaceMembershipFactory(user=user, role=Role.ADMIN).space
    SpaceMembershipFactory(user=user, role=Role.EDITOR)
    admin_org = OrganisationMembershipFactory(user=user, role=Role.ADMIN).organisation
    editor_org = OrganisationMembershipFactory(user=user, role=Role.EDITOR).organisation
    OrganisationMembershipFactory(user=user, role=Role.MEMBER)
    owned = SpaceFactory()
    owned.organisations.add(admin_org)
    assert set(selectors.spaces_manageable_by(user)) == {mine, owned}
    assert set(selectors.organisations_user_can_own_spaces_for(user)) == {admin_org, editor_org}
    assert not selectors.spaces_manageable_by(AnonymousUser()).exists()
    staff = UserFactory(is_staff=True)
    assert selectors.spaces_manageable_by(staff).count() == Space.objects.count()


def test_home_overview_still_counts_visible_spaces(world):
    overview = selectors.home_overview(user=world["member"])
    assert overview["space_count"] == 2
    assert {space.name: space.member_count for space in overview["latest_spaces"]} == {
        "Public": 1,
        "Secret": 3,
    }
