"""One rule decides who sees a space (issue 15): ``persons_who_see`` (whom to notify or remind)
is ``spaces_visible_to`` asked the other way round, and the network tells the apps that
registered with ``network.access`` when people may have lost sight of a space."""

import itertools

import pytest

from cocity.network import access
from cocity.network.models import Role, Space, SpaceMembership
from cocity.network.selectors import persons_who_see, spaces_visible_to
from cocity.network.services import organisations as organisation_services
from cocity.network.services import spaces as space_services
from tests.factories import (
    OrganisationFactory,
    OrganisationMembershipFactory,
    SpaceFactory,
    SpaceMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_persons_who_see_agrees_with_spaces_visible_to():
    organisation = OrganisationFactory()
    public = SpaceFactory()
    closed = SpaceFactory(visibility=Space.Visibility.MEMBERS)
    owned = SpaceFactory(visibility=Space.Visibility.MEMBERS)
    owned.organisations.add(organisation)
    people = [
        UserFactory(),  # stranger
        UserFactory(is_staff=True),
        SpaceMembershipFactory(space=closed).user,
        SpaceMembershipFactory(space=closed, role=Role.ADMIN).user,
        OrganisationMembershipFactory(organisation=organisation, role=Role.ADMIN).user,
        OrganisationMembershipFactory(organisation=organisation, role=Role.EDITOR).user,
        SpaceMembershipFactory(space=owned).user,
    ]
    ids = [p.pk for p in people]
    for space, person in itertools.product((public, closed, owned), people):
        sees = spaces_visible_to(person).filter(pk=space.pk).exists()
        assert (person.pk in persons_who_see(space, ids)) is sees, (space, person)


@pytest.fixture
def heard():  # type: ignore[no-untyped-def]
    calls: list[tuple[list[int], list[int] | None]] = []

    def listener(*, spaces, user_ids):  # type: ignore[no-untyped-def]
        calls.append(([s.pk for s in spaces], user_ids))

    access.on_access_lost(listener)
    access.on_access_lost(listener)  # registered once however often ready() runs
    yield calls
    access._callbacks.remove(listener)


def test_leaving_and_removal_are_told(heard):
    space = SpaceFactory(visibility=Space.Visibility.MEMBERS)
    admin = SpaceMembershipFactory(space=space, role=Role.ADMIN).user
    leaving, removed = (SpaceMembershipFactory(space=space).user for _ in range(2))
    space_services.space_leave(space=space, user=leaving)
    membership = SpaceMembership.objects.get(space=space, user=removed)
    space_services.membership_remove(membership=membership, actor=admin)
    assert heard == [([space.pk], [leaving.pk]), ([space.pk], [removed.pk])]


def test_a_public_space_tells_nothing(heard):
    space = SpaceFactory()
    SpaceMembershipFactory(space=space, role=Role.ADMIN)
    person = SpaceMembershipFactory(space=space).user
    space_services.space_leave(space=space, user=person)
    assert heard == []


def test_a_refused_leave_tells_nothing(heard):
    space = SpaceFactory(visibility=Space.Visibility.MEMBERS)
    only_admin = SpaceMembershipFactory(space=space, role=Role.ADMIN).user
    with pytest.raises(Exception, match="only admin"):
        space_services.space_leave(space=space, user=only_admin)
    assert heard == []


def test_becoming_members_only_tells_about_everyone(heard):
    space = SpaceFactory()
    admin = SpaceMembershipFactory(space=space, role=Role.ADMIN).user
    space_services.space_update(space=space, actor=admin, summary="Still public")
    assert heard == []
    space_services.space_update(space=space, actor=admin, visibility=Space.Visibility.MEMBERS)
    assert heard == [([space.pk], None)]


def test_an_organisation_admin_leaving_is_told_about_its_closed_spaces(heard):
    organisation = OrganisationFactory()
    OrganisationMembershipFactory(organisation=organisation, role=Role.ADMIN)
    closed = SpaceFactory(visibility=Space.Visibility.MEMBERS)
    closed.organisations.add(organisation)
    SpaceFactory().organisations.add(organisation)  # public: nothing to lose
    editor = OrganisationMembershipFactory(organisation=organisation, role=Role.EDITOR).user
    admin = OrganisationMembershipFactory(organisation=organisation, role=Role.ADMIN).user
    organisation_services.organisation_leave(organisation=organisation, user=editor)
    assert heard == []  # an editor saw no more than anyone
    organisation_services.organisation_leave(organisation=organisation, user=admin)
    assert heard == [([closed.pk], [admin.pk])]
